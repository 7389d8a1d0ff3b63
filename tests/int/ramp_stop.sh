#!/bin/sh
# A run stopped during ramp_time measured nothing and says so (issue 12: it
# reported 4.27 G IOPS, 17 TB/s over a runtime clamped to 1 ms). In every
# format: json (iops/bw/io_bytes 0, no bandwidth samples, iolab_note),
# normal (a Note line), terse (zero figures) and a line on stderr.
. "$(dirname "$0")/common.inc"

cat >"$T/ramp.fio" <<'JOB'
[ramp]
ioengine=null
rw=randrw
bs=4k
size=1g
time_based
runtime=20
ramp_time=10
JOB

stop_in_ramp() {
	"$IOLAB" --headless --output-format="$1" --output="$T/res.$1" "$T/ramp.fio" \
		>"$T/out" 2>"$T/err" &
	pid=$!
	sleep 1.2
	kill -INT $pid
	wait $pid
	rc=$?
	[ $rc -eq 130 ] || { cat "$T/err"; fail "$1: exit $rc, want 130"; }
	grep -q "job 'ramp': stopped during ramp_time (.* of 10.0 s): no I/O was measured" "$T/err" ||
		{ cat "$T/err"; fail "$1: stderr does not say the run stopped in ramp"; }
}

stop_in_ramp json
python3 - "$T/res.json" <<'PY' || fail "json: figures of a run stopped in ramp"
import json, sys
j = json.load(open(sys.argv[1]))["jobs"][0]
assert "stopped during ramp_time" in j["iolab_note"], j.get("iolab_note")
for d in ("read", "write"):
    r = j[d]
    for k in ("io_bytes", "bw", "bw_bytes", "iops", "runtime", "total_ios", "bw_max",
              "iops_max", "bw_samples"):
        assert r[k] == 0, (d, k, r[k])
PY
echo "ok: json"

stop_in_ramp normal
grep -q '^  Note         : stopped during ramp_time' "$T/res.normal" ||
	{ cat "$T/res.normal"; fail "normal: no Note line"; }
grep -Eq 'IOPS=|BW=' "$T/res.normal" && { cat "$T/res.normal"; fail "normal: figures for a ramp"; }
echo "ok: normal"

stop_in_ramp terse
python3 - "$T/res.terse" <<'PY' || { cat "$T/res.terse"; fail "terse: figures of a ramp"; }
import sys
f = open(sys.argv[1]).read().strip().split(";")
# v3: read kb, bw, iops, runtime at 5..8; write the same 41 fields on;
# read bw min/max at 41/42, write 82/83
for i in (5, 6, 7, 8, 46, 47, 48, 49, 41, 42, 82, 83):
    assert float(f[i].rstrip("%")) == 0, (i, f[i])
PY
echo "ok: terse"
