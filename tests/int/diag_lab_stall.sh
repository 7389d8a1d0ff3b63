#!/bin/sh
# Slow-disk lab: the device stops for 300 ms every 2 s (labfs
# --stall=2000:300). Diagnose (4 s steps, read-only) must name periodic
# stalls: period within 20% of 2 s, length within 20% of 300 ms, and the
# share of time they take.
. "$(dirname "$0")/common.inc"
. "$ROOT/tests/lab/lab.inc"
. "$ROOT/tests/lab/diag.inc"
lab_need
lab_disk 256 --stall=2000:300
diag_run "$LAB_DEV" --runtime=4
diag_has periodic_stall
period=$(diag_fig periodic_stall period_s) || exit 1
diag_near "$period" 2.0 0.20 "period_s"
len=$(diag_fig periodic_stall stall_ms) || exit 1
diag_near "$len" 300 0.20 "stall_ms"
share=$(diag_fig periodic_stall time_share) || exit 1
diag_near "$share" 0.15 0.30 "time_share"
echo "ok: periodic stalls"
