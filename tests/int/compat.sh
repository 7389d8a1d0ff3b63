#!/bin/sh
# fio options iolab accepts without effect warn and still run; the fio
# options with an effect outside the I/O pattern (percentile_list, unlink,
# cpus_allowed, nice, invalidate) do what fio's do; --dry-run says what
# would happen and touches nothing.
. "$(dirname "$0")/common.inc"

cat >"$T/job.fio" <<JOB
[global]
gtod_reduce=1
pre_read
ioengine=psync
size=1m
bs=4k
percentile_list=50:99.5

[a]
rw=randread
filename=$T/a.dat
unlink=1
cpus_allowed=0
nice=3
JOB

run_iolab --headless --output-format=json --output="$T/a.json" "$T/job.fio"
[ $rc -eq 0 ] || { cat "$T/err"; fail "job with compat options: exit $rc"; }
grep -q "job.fio:2: gtod_reduce: accepted for fio compatibility" "$T/err" ||
	fail "no warning naming gtod_reduce and its line: $(cat "$T/err")"
grep -q "job.fio:3: pre_read" "$T/err" || fail "no warning for the bare pre_read"
keys=$(json_get "$T/a.json" "sorted(d['jobs'][0]['read']['clat_ns']['percentile'])")
[ "$keys" = "['50.000000', '99.500000']" ] || fail "percentile_list=50:99.5 gave keys $keys"
[ -e "$T/a.dat" ] && fail "unlink=1 left $T/a.dat behind"

# the text report lists the same percentiles
sed -i 's/^unlink=1$/unlink=0/' "$T/job.fio"
run_iolab --headless "$T/job.fio"
[ $rc -eq 0 ] || fail "text run: exit $rc"
grep -q '50.00th=\[.*99.50th=\[' "$T/out" || fail "text report lacks 50.00th/99.50th: $(grep th= "$T/out")"
grep -q '99.90th' "$T/out" && fail "text report shows default percentiles despite percentile_list"
[ -e "$T/a.dat" ] || fail "unlink=0 removed the file"

# CPU usage counts the I/O phase only: a few I/Os cannot use 100% of a CPU
# for longer than they ran
sys=$(json_get "$T/a.json" "d['jobs'][0]['sys_cpu'] + d['jobs'][0]['usr_cpu']")
python3 -c "import sys; sys.exit(0 if float('$sys') <= 105 else 1)" ||
	fail "usr+sys = $sys% of the job's runtime"

# a CPU the machine does not have fails the job, naming the option
run_iolab --headless --name=x --ioengine=null --size=1m --cpus_allowed=1000
[ $rc -eq 1 ] || fail "cpus_allowed=1000: exit $rc"
grep -q "cpus_allowed=1000" "$T/err" || fail "cpus_allowed failure not named: $(cat "$T/err")"
run_iolab --headless --name=x --ioengine=null --size=1m --cpus_allowed=0-x
[ $rc -eq 1 ] || fail "cpus_allowed=0-x: exit $rc"
grep -q "not a CPU list" "$T/err" || fail "bad CPU list not explained: $(cat "$T/err")"

# --dry-run: says what it would create and lay out, creates nothing
cat >"$T/dry.fio" <<JOB
[r]
rw=read
size=2m
filename=$T/dry.dat
[w]
rw=randwrite
size=1m
directory=$T
JOB
run_iolab --dry-run "$T/dry.fio"
[ $rc -eq 0 ] || { cat "$T/out" "$T/err"; fail "--dry-run: exit $rc"; }
grep -q "$T/dry.dat: does not exist; created, then 2MiB laid out" "$T/out" ||
	fail "--dry-run did not describe the layout: $(cat "$T/out")"
grep -q "$T/w.0.0: does not exist; created empty" "$T/out" ||
	fail "--dry-run did not name the write job's file: $(cat "$T/out")"
grep -q "nothing was touched" "$T/out" || fail "--dry-run lacks its closing line"
[ -e "$T/dry.dat" ] || [ -e "$T/w.0.0" ] && fail "--dry-run created a file"
grep -q "Run status" "$T/out" && fail "--dry-run ran the jobs"

# a job that would fail says so and exits 1
run_iolab --dry-run --name=bad --rw=read --size=1m --filename=/nonexistent-dir/f
[ $rc -eq 1 ] || fail "--dry-run of a job that cannot lay out: exit $rc"
exit 0
