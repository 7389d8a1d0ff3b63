#!/bin/sh
# steadystate (ss, ss_dur, ss_ramp) side by side with fio 3.33: a
# rate-limited null job whose IOPS are flat attains and ends before its
# runtime in both; a limit no window can meet runs to runtime in both; the
# "steadystate" JSON object carries fio's keys; a group_reporting pair
# shares one window; bad values are refused naming the option.
. "$(dirname "$0")/common.inc"
need_fio

# run TOOL NAME: $T/NAME.fio through iolab or fio, JSON into $T/NAME.TOOL.json
run() {
	if [ "$1" = iolab ]; then
		set -- "$IOLAB --headless" "$2" iolab
	else
		set -- fio "$2" fio
	fi
	(cd "$T" && timeout 60 $1 --output-format=json --output="$T/$2.$3.json" "$T/$2.fio" \
		>/dev/null 2>"$T/$2.$3.err") || { cat "$T/$2.$3.err"; fail "$2: $3 failed"; }
}
job() { json_get "$T/$1.json" "d['jobs'][0]$2"; }
# both tools at once (paced null jobs: neither disturbs the other's pace)
run_both() {
	run iolab "$1" &
	a=$!
	run fio "$1" &
	b=$!
	wait $a || fail "$1: iolab failed"
	wait $b || fail "$1: fio failed"
}

# 1. flat 1000 IOPS, max deviation 10% over 3 s after a 1 s ramp: both
#    attain and stop long before runtime=30.
cat >"$T/flat.fio" <<'EOF'
[flat]
ioengine=null
rw=read
bs=4k
size=1g
time_based=1
runtime=30
rate_iops=1000
ss=iops:10%
ss_dur=3
ss_ramp=1
EOF
run_both flat
keys_want=$(python3 -c '
import json,sys; s=json.load(open(sys.argv[1]))["jobs"][0]["steadystate"]
print(sorted(s), sorted(s["data"]))' "$T/flat.fio.json") || fail "fio's flat.fio JSON has no steadystate"
for tool in iolab fio; do
	a=$(job flat.$tool '["steadystate"]["attained"]')
	rt=$(job flat.$tool '["job_runtime"]')
	[ "$a" = 1 ] || fail "flat: $tool did not attain"
	[ "$rt" -lt 30000 ] || fail "flat: $tool ran $rt ms; attaining ends the job"
	echo "flat: $tool attained after $rt ms"
done
for f in ss duration criterion; do
	a=$(job flat.iolab "['steadystate']['$f']")
	b=$(job flat.fio "['steadystate']['$f']")
	case $f in criterion) a=${a##*[0-9]}; b=${b##*[0-9]} ;; esac # unit only
	[ "$a" = "$b" ] || fail "flat: steadystate.$f is '$a', fio says '$b'"
done
n=$(job flat.iolab '["steadystate"]["data"]["iops"].__len__()')
[ "$n" = 3 ] || fail "flat: $n iops readings, want ss_dur's 3"
m=$(job flat.iolab '["steadystate"]["data"]["iops_mean"]')
[ "$m" -ge 900 ] && [ "$m" -le 1100 ] || fail "flat: iops_mean $m, want about 1000"
keys=$(python3 -c '
import json,sys; s=json.load(open(sys.argv[1]))["jobs"][0]["steadystate"]
print(sorted(s), sorted(s["data"]))' "$T/flat.iolab.json")
[ "$keys" = "$keys_want" ] || fail "flat: steadystate keys $keys, fio has $keys_want"

# the text report's line, in fio's words
(cd "$T" && timeout 60 "$IOLAB" --headless flat.fio >"$T/flat.txt" 2>&1) || fail "flat: text run failed"
grep -Eq '^  steadystate  : attained=yes, bw=[0-9.]+KiB/s \([0-9.]+kB/s\), iops=[0-9.]+, iops mean dev=[0-9.]+%$' \
	"$T/flat.txt" || { grep steady "$T/flat.txt"; fail "flat: no fio-style steadystate line"; }

# 2. a bandwidth slope under 1e-9 % of the mean never holds: both run to
#    runtime and report attained 0.
sed 's/ss=iops:10%/ss=bw_slope:0.000000001%/; s/runtime=30/runtime=4/; s/\[flat\]/[never]/' \
	"$T/flat.fio" >"$T/never.fio"
run_both never
for tool in iolab fio; do
	a=$(job never.$tool '["steadystate"]["attained"]')
	rt=$(job never.$tool '["job_runtime"]')
	[ "$a" = 0 ] || fail "never: $tool attained"
	[ "$rt" -ge 3900 ] || fail "never: $tool stopped after $rt ms, before runtime"
	echo "never: $tool ran $rt ms, not attained"
done

# 3. group_reporting, two jobs: one entry, one window, both members stop.
cat >"$T/group.fio" <<'EOF'
[global]
ioengine=null
rw=randread
bs=4k
size=1g
time_based=1
runtime=30
rate_iops=500
group_reporting=1
numjobs=2
ss=iops_slope:5%
ss_dur=3
ss_ramp=1
[pair]
EOF
run_both group
for tool in iolab fio; do
	n=$(json_get "$T/group.$tool.json" 'len(d["jobs"])')
	a=$(job group.$tool '["steadystate"]["attained"]')
	rt=$(job group.$tool '["job_runtime"]')
	m=$(job group.$tool '["steadystate"]["data"]["iops_mean"]')
	[ "$n" = 1 ] && [ "$a" = 1 ] || fail "group: $tool: $n entries, attained $a"
	[ "$rt" -lt 60000 ] || fail "group: $tool ran $rt ms (two members)"
	[ "$m" -ge 900 ] && [ "$m" -le 1100 ] || fail "group: $tool iops_mean $m, want the pair's 1000"
	echo "group: $tool attained, iops_mean $m, job_runtime $rt ms"
done

# 4. bad values name the option
for bad in "ss=iops" "ss=cpu:5%" "ss=iops:-1" "ss_dur=abc" "ss_dur=8d"; do
	if "$IOLAB" --headless --parse-only --name=b --ioengine=null --size=1m "--$bad" \
		>"$T/bad.out" 2>&1; then
		fail "$bad accepted"
	fi
	grep -q "${bad%%=*}" "$T/bad.out" || { cat "$T/bad.out"; fail "$bad: message does not name the option"; }
done
"$IOLAB" --cmdhelp=ss_dur | grep -q steadystate_duration || fail "--cmdhelp does not know ss_dur"
echo ok
