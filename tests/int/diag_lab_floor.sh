#!/bin/sh
# Slow-disk lab: every I/O takes 5 ms (labfs --lat=5000) on a non-rotational
# device. Diagnose must name the latency floor (p50 within 10% of 5 ms) and
# say depth helps as it should (QD32 gives at least 8x the IOPS). The
# report names the device's queue settings as the test set them (not the
# loop driver's defaults: rotational 1, no scheduler).
. "$(dirname "$0")/common.inc"
. "$ROOT/tests/lab/lab.inc"
. "$ROOT/tests/lab/diag.inc"
lab_need
lab_disk 256 --lat=5000
lab_queue rotational 0
lab_queue scheduler mq-deadline
diag_run "$LAB_DEV" --runtime=1
python3 - "$T/diag.json" "$LAB_NAME" "$(cat /sys/block/$LAB_NAME/queue/nr_requests)" \
	"$(cat /sys/block/$LAB_NAME/queue/write_cache)" <<'PY' || fail "the report's device facts are not the device's"
import json, sys
di = json.load(open(sys.argv[1]))["diagnosis"]["device_info"]
want = {"name": sys.argv[2], "rotational": 0, "scheduler": "mq-deadline",
        "nr_requests": int(sys.argv[3]), "write_cache": sys.argv[4]}
bad = {k: (di[k], v) for k, v in want.items() if di[k] != v}
assert not bad, bad
print("ok: device facts", want)
PY
diag_has latency_floor
p50=$(diag_fig latency_floor p50_us) || exit 1
diag_near "$p50" 5000 0.10 "p50_us"
gain=$(diag_fig latency_floor qd_gain) || exit 1
python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) >= 8 else 1)' "$gain" ||
	fail "QD32 gave only ${gain}x the IOPS of QD1"
echo "ok: latency floor, depth gain ${gain}x"
