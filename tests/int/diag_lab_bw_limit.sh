#!/bin/sh
# Slow-disk lab: bandwidth capped above the device (blkio throttle of 20 MiB/s
# read). Diagnose (2 s steps: the throttle's first slice passes at once)
# must name a throughput limit near 20 MiB/s (within 10%).
. "$(dirname "$0")/common.inc"
. "$ROOT/tests/lab/lab.inc"
. "$ROOT/tests/lab/diag.inc"
lab_need
lab_disk 256
lab_throttle rbps=20971520 wbps=20971520
LAB_IN_CG=1
diag_run "$LAB_DEV" --runtime=2
diag_has bw_limit
cap=$(diag_fig bw_limit cap_bw_bytes) || exit 1
diag_near "$cap" 20971520 0.10 "cap_bw_bytes"
echo "ok: bandwidth limit"
