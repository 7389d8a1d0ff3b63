#!/bin/sh
# rate_iops=5000 on the null engine for 2 s: IOPS within 5% of the target.
. "$(dirname "$0")/common.inc"

run_iolab --headless --output-format=json --name=rated --ioengine=null --rw=randread \
	--bs=4k --size=64m --time_based --runtime=2 --rate_iops=5000
[ $rc -eq 0 ] || { cat "$T/err"; fail "exit status $rc"; }
python3 - "$T/out" <<'PY' || fail "rate not held"
import json, sys
r = json.load(open(sys.argv[1]))["jobs"][0]["read"]
iops = r["iops"]
print("iops %.1f over %d ms, %d I/Os" % (iops, r["runtime"], r["total_ios"]))
assert abs(iops - 5000) <= 250, iops
assert 1900 <= r["runtime"] <= 2200, r["runtime"]
PY
echo "ok: rate_iops"
