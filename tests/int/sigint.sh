#!/bin/sh
# SIGINT one second into a 30 s time_based job: iolab stops the jobs, exits
# within 5 s, and still writes the results gathered so far.
. "$(dirname "$0")/common.inc"

cat >"$T/long.fio" <<'JOB'
[long]
ioengine=null
rw=randread
bs=4k
size=64m
time_based
runtime=30
rate_iops=20000
JOB

for sig in INT TERM; do
	"$IOLAB" --headless --output-format=json --output="$T/res-$sig.json" "$T/long.fio" \
		>"$T/out" 2>"$T/err" &
	pid=$!
	sleep 1
	start=$(date +%s)
	kill -s "$sig" $pid
	waited=0
	while kill -0 $pid 2>/dev/null; do
		sleep 0.2
		waited=$((waited + 1))
		if [ $waited -gt 25 ]; then
			kill -9 $pid
			fail "SIG$sig: still running 5 s after the signal"
		fi
	done
	wait $pid
	rc=$?
	end=$(date +%s)
	[ $rc -ne 0 ] || true
	[ -s "$T/res-$sig.json" ] || { cat "$T/err"; fail "SIG$sig: no results written"; }
	python3 - "$T/res-$sig.json" <<'PY' || fail "SIG$sig: results"
import json, sys
d = json.load(open(sys.argv[1]))
r = d["jobs"][0]["read"]
assert r["io_bytes"] > 0, r["io_bytes"]
assert 500 <= r["runtime"] <= 5000, r["runtime"]
PY
	echo "ok: SIG$sig stopped the run in $((end - start)) s (exit $rc)"
done

# a second SIGINT while stopping does not kill it before the results
"$IOLAB" --headless --output-format=json --output="$T/res2.json" "$T/long.fio" >"$T/out" 2>"$T/err" &
pid=$!
sleep 1
kill -INT $pid
kill -INT $pid
wait $pid
python3 -m json.tool "$T/res2.json" >/dev/null || fail "double SIGINT: no complete results"
echo "ok: double SIGINT"
