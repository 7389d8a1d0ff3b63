#!/bin/sh
# latency_target: the depth search settles and reports the depth it found
# (text "depth=N" and JSON latency_depth), stops early unless latency_run,
# fails at depth 1 with percentile 100 (as fio); fio 3.33 on the same job
# files where it can run them (no inject_delay there).
. "$(dirname "$0")/common.inc"

# run_json NAME: run $T/NAME.fio, JSON into $T/NAME.json, text into $T/NAME.txt
run_json() {
	(cd "$T" && timeout 60 "$IOLAB" --headless --output-format=json --output="$T/$1.json" \
		"$T/$1.fio" >/dev/null 2>"$T/$1.err") || { cat "$T/$1.err"; fail "$1: iolab failed"; }
	(cd "$T" && timeout 60 "$IOLAB" --headless "$T/$1.fio" >"$T/$1.txt" 2>&1) ||
		fail "$1: iolab (text) failed"
}

# 1. null engine, every completion held 1 ms: under a 50 ms target at p90
#    every depth passes (wide margin: the machine may be busy), so the search doubles up to iodepth=16, settles, runs a
#    final window and ends long before runtime.
cat >"$T/under.fio" <<'EOF'
[under]
ioengine=null
rw=randread
bs=4k
size=1g
iodepth=16
time_based=1
runtime=30
inject_delay=1ms
latency_target=50ms
latency_window=100ms
latency_percentile=90
EOF
run_json under
d=$(json_get "$T/under.json" 'd["jobs"][0]["latency_depth"]')
[ "$d" = 16 ] || fail "under: settled on depth $d, want 16"
grep -q "latency   : target=50000000, window=100000, percentile=90.00%, depth=16" "$T/under.txt" ||
	{ grep latency "$T/under.txt"; fail "under: text report lacks the settled depth"; }
rt=$(json_get "$T/under.json" 'd["jobs"][0]["job_runtime"]')
[ "$rt" -lt 30000 ] || fail "under: ran $rt ms; a settled search ends the job"
echo "under: depth $d, final window $rt ms"

# 2. same device, 500 us target at p90: no depth passes (the delay is a
#    floor); the search stays at 1 for the whole run.
sed 's/latency_target=50ms/latency_target=500us/; s/runtime=30/runtime=1/; s/\[under\]/[over]/' \
	"$T/under.fio" >"$T/over.fio"
run_json over
d=$(json_get "$T/over.json" 'd["jobs"][0]["latency_depth"]')
[ "$d" = 1 ] || fail "over: depth $d, want 1"
e=$(json_get "$T/over.json" 'd["jobs"][0]["error"]')
[ "$e" = 0 ] || fail "over: error $e (percentile 90 never fails the job)"
echo "over: depth $d"

# 3. percentile 100 missed at depth 1 fails the job with ETIMEDOUT, as fio.
sed 's/latency_percentile=90/latency_percentile=100/; s/\[over\]/[fatal]/' "$T/over.fio" \
	>"$T/fatal.fio"
(cd "$T" && timeout 60 "$IOLAB" --headless --output-format=json --output="$T/fatal.json" \
	"$T/fatal.fio" >/dev/null 2>"$T/fatal.err")
e=$(json_get "$T/fatal.json" 'd["jobs"][0]["error"]')
[ "$e" = 110 ] || fail "fatal: error $e, want 110 (ETIMEDOUT)"
echo "fatal: error $e"

# 4. latency_run=1: the search never stops the job; it runs its runtime.
sed 's/\[under\]/[keep]/; s/runtime=30/runtime=1500ms/' "$T/under.fio" >"$T/keep.fio"
echo "latency_run=1" >>"$T/keep.fio"
run_json keep
d=$(json_get "$T/keep.json" 'd["jobs"][0]["latency_depth"]')
rt=$(json_get "$T/keep.json" 'd["jobs"][0]["job_runtime"]')
[ "$d" = 16 ] || fail "keep: depth $d, want 16"
[ "$rt" -ge 1400 ] || fail "keep: ran $rt ms of 1500 with latency_run=1"
echo "keep: depth $d over $rt ms"

# 5. a scratch file through libaio (buffered: io_submit does the copy, so
#    latency grows with the batch): the search lands somewhere in 1..64.
#    invalidate=0 keeps the file cached for fio too (it drops the cache by
#    default, then reads from the disk: a different device).
cat >"$T/file.fio" <<EOF
[file]
ioengine=libaio
filename=$T/scratch
rw=randread
bs=64k
size=64m
iodepth=64
time_based=1
runtime=5
latency_target=300us
latency_window=100ms
latency_percentile=95
invalidate=0
EOF
run_json file
d=$(json_get "$T/file.json" 'd["jobs"][0]["latency_depth"]')
[ "$d" -ge 1 ] && [ "$d" -le 64 ] || fail "file: depth $d outside 1..64"
echo "file: iolab settled on depth $d"

command -v fio >/dev/null 2>&1 || { echo "ok (fio not installed: no comparison)"; exit 0; }

# fio on the jobs it can run: null with no delay (latency ~0, every depth
# passes) must settle at iodepth in both; the scratch file in 1..iodepth.
cat >"$T/nulljob.fio" <<'EOF'
[nulljob]
ioengine=null
rw=randread
bs=4k
size=1g
iodepth=24
time_based=1
runtime=30
latency_target=50ms
latency_window=100ms
latency_percentile=90
EOF
run_json nulljob
(cd "$T" && timeout 60 fio --output-format=json --output="$T/nulljob.fio.json" "$T/nulljob.fio" \
	>/dev/null 2>&1) || fail "fio failed on nulljob"
(cd "$T" && timeout 60 fio --output-format=json --output="$T/file.fio.json" "$T/file.fio" \
	>/dev/null 2>&1) || fail "fio failed on file"
python3 - "$T" <<'PY' || fail "latency_target differs from fio"
import json, sys
t = sys.argv[1]
def job(p):
    return json.load(open(p))["jobs"][0]
fi, ii = job(t + "/nulljob.fio.json"), job(t + "/nulljob.json")
assert fi["latency_depth"] == ii["latency_depth"] == 24, (fi["latency_depth"], ii["latency_depth"])
for k in ("latency_target", "latency_window", "latency_percentile"):
    assert fi[k] == ii[k], (k, fi[k], ii[k])
assert fi["job_runtime"] < 30000 and ii["job_runtime"] < 30000, "a settled search ends the job"
ff, fl = job(t + "/file.fio.json"), job(t + "/file.json")
for n, j in (("fio", ff), ("iolab", fl)):
    assert 1 <= j["latency_depth"] <= 64, (n, j["latency_depth"])
print("null: both settle on %d; scratch file: fio depth %d, iolab depth %d"
      % (ii["latency_depth"], ff["latency_depth"], fl["latency_depth"]))
PY
echo "ok: latency_target settles and reports its depth"
