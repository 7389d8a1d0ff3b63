#!/bin/sh
# Headless SIGHUP stops the run like SIGTERM: results kept and written,
# exit 129. SIGUSR1 prints the results so far on stdout and the run goes
# on to its end (fio prints its running stats the same way); the figures
# of a job still running are rates over the time it has run, not over a
# clamped 1 ms.
. "$(dirname "$0")/common.inc"

cat >"$T/long.fio" <<'JOB'
[long]
ioengine=null
rw=randread
bs=4k
size=64m
time_based
runtime=3
rate_iops=2000
JOB

"$IOLAB" --headless --output-format=json --output="$T/hup.json" "$T/long.fio" \
	>"$T/out" 2>"$T/err" &
pid=$!
sleep 1
kill -HUP $pid
wait $pid
rc=$?
[ $rc -eq 129 ] || { cat "$T/err"; fail "SIGHUP: exit $rc, want 129"; }
python3 - "$T/hup.json" <<'PY' || { cat "$T/err"; fail "SIGHUP: results"; }
import json, sys
r = json.load(open(sys.argv[1]))["jobs"][0]["read"]
assert r["io_bytes"] > 0 and 300 <= r["runtime"] <= 2500, r
PY
grep -q 'Hangup: stopping the jobs' "$T/err" || { cat "$T/err"; fail "SIGHUP: no message"; }
echo "ok: SIGHUP: results written, exit 129"

# SIGUSR1 twice: two snapshots on stdout, the run still ends normally with
# its final results in --output
"$IOLAB" --headless --output-format=json --output="$T/usr1.json" "$T/long.fio" \
	>"$T/usr1.out" 2>"$T/err" &
pid=$!
sleep 1
kill -USR1 $pid
sleep 0.5
kill -USR1 $pid
wait $pid
rc=$?
[ $rc -eq 0 ] || { cat "$T/err"; fail "SIGUSR1: exit $rc, want 0 (the run goes on)"; }
python3 - "$T/usr1.out" "$T/usr1.json" <<'PY' || { cat "$T/err"; fail "SIGUSR1: results"; }
import json, sys
text = open(sys.argv[1]).read()
dec = json.JSONDecoder()
snaps, i = [], 0
while i < len(text):
    if text[i].isspace():
        i += 1
        continue
    d, i = dec.raw_decode(text, i)
    snaps.append(d["jobs"][0]["read"])
assert len(snaps) == 2, len(snaps)
for r in snaps:
    # a running job: rates over the time run so far (2000 IOPS paced)
    assert 700 <= r["runtime"] <= 2500, r["runtime"]
    assert 1000 <= r["iops"] <= 3000, r["iops"]
assert snaps[1]["total_ios"] > snaps[0]["total_ios"]
fin = json.load(open(sys.argv[2]))["jobs"][0]["read"]
assert 2800 <= fin["runtime"] <= 3500, fin["runtime"]
assert fin["total_ios"] > snaps[1]["total_ios"]
PY
echo "ok: SIGUSR1: two snapshots printed, the run finished"
