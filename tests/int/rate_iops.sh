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

# A 50/50 mix with both directions paced: each direction holds its own
# rate (the next I/O goes to the direction due first, as fio does), rather
# than drifting with the coin flips of the mix.
run_iolab --headless --output-format=json --name=mixed --ioengine=null --rw=randrw \
	--bs=4k --size=64m --time_based --runtime=2 --rate_iops=1000
[ $rc -eq 0 ] || { cat "$T/err"; fail "mixed: exit status $rc"; }
python3 - "$T/out" <<'PY' || fail "mixed rate not held per direction"
import json, sys
j = json.load(open(sys.argv[1]))["jobs"][0]
for d in ("read", "write"):
    print("%s iops %.1f" % (d, j[d]["iops"]))
    # 2%: a loaded machine's late wakeups, not the mix's coin flips (which
    # drift a direction by several per cent over 2 s)
    assert abs(j[d]["iops"] - 1000) <= 20, (d, j[d]["iops"])
PY
echo "ok: mixed rate_iops per direction"

# rate=20m (bytes per second) on the real clock: within 5%
run_iolab --headless --output-format=json --name=bw --ioengine=null --rw=write \
	--bs=64k --size=1g --time_based --runtime=2 --rate=20m
[ $rc -eq 0 ] || { cat "$T/err"; fail "rate=20m: exit status $rc"; }
python3 - "$T/out" <<'PY' || fail "rate=20m not held"
import json, sys
w = json.load(open(sys.argv[1]))["jobs"][0]["write"]
mib = w["bw_bytes"] / 1048576
print("rate=20m: %.3f MiB/s over %d ms" % (mib, w["runtime"]))
assert abs(mib - 20) <= 1.0, mib
PY
echo "ok: rate=20m"
