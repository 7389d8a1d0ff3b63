#!/bin/sh
# Fault injection wraps the engine: inject_error=EIO:1% with
# continue_on_error=all counts the errors (total_err, first_error) and the
# job completes; without continue_on_error the job fails naming EIO and
# iolab exits 1; inject_delay=20ms:5% shows in the latency figures (p99
# clat >= 15 ms) as a slow disk would.
. "$(dirname "$0")/common.inc"

job() { # NAME EXTRA...
	name=$1; shift
	{
		echo "[$name]"
		echo "ioengine=psync"
		echo "filename=$T/data.$name"
		echo "rw=randwrite"
		echo "bs=4k"
		echo "size=4m"
		for o in "$@"; do echo "$o"; done
	} >"$T/$name.fio"
}

# 1. errors counted, job goes on
job coe inject_error=EIO:1% continue_on_error=all
run_iolab --headless --output-format=json --output="$T/coe.json" "$T/coe.fio"
[ $rc -eq 0 ] || { cat "$T/err"; fail "continue_on_error=all: exit $rc, want 0"; }
python3 - "$T/coe.json" <<'PY' || fail "continue_on_error=all: JSON"
import errno, json, sys
j = json.load(open(sys.argv[1]))["jobs"][0]
# as fio: a job that went on after errors reports the first one
assert j["error"] == errno.EIO, j["error"]
assert j["total_err"] > 0, j["total_err"]
assert j["first_error"] == errno.EIO, j["first_error"]
w = j["write"]
# the job ran to the end: every block was issued, errors included
assert w["total_ios"] + j["total_err"] >= 1024 * 0.99, (w["total_ios"], j["total_err"])
assert w["total_ios"] > 900, w["total_ios"]
print("ok: total_err=%d, first_error=%d, ios=%d" % (j["total_err"], j["first_error"], w["total_ios"]))
PY

# 2. without continue_on_error the first error ends the job, named
job fail inject_error=EIO:1%
run_iolab --headless --output-format=json --output="$T/fail.json" "$T/fail.fio"
[ $rc -eq 1 ] || { cat "$T/err"; fail "without continue_on_error: exit $rc, want 1"; }
grep -q "Input/output error\|EIO" "$T/err" || { cat "$T/err"; fail "the error is not named on stderr"; }
python3 - "$T/fail.json" <<'PY' || fail "without continue_on_error: JSON"
import errno, json, sys
j = json.load(open(sys.argv[1]))["jobs"][0]
assert j["error"] == errno.EIO, j["error"]
assert j["write"]["total_ios"] < 1024, j["write"]["total_ios"]
PY
echo "ok: EIO without continue_on_error fails the job: $(head -c 200 "$T/err")"

# 3. injected delays are latency
job delay inject_delay=20ms:5% size=1m
run_iolab --headless --output-format=json --output="$T/delay.json" "$T/delay.fio"
[ $rc -eq 0 ] || { cat "$T/err"; fail "inject_delay: exit $rc"; }
python3 - "$T/delay.json" <<'PY' || fail "inject_delay: p99 clat"
import json, sys
j = json.load(open(sys.argv[1]))["jobs"][0]
pct = j["write"]["clat_ns"]["percentile"]
p99 = pct["99.000000"]
p50 = pct["50.000000"]
assert p99 >= 15e6, "p99 clat %d ns" % p99
assert p50 < 15e6, "p50 clat %d ns: more than 5%% delayed" % p50
print("ok: p50 clat %.3f ms, p99 clat %.1f ms" % (p50 / 1e6, p99 / 1e6))
PY
