#!/bin/sh
# Slow-disk lab: 10% of I/Os take 20 ms, the rest are fast (labfs
# --mix=10:20000). Diagnose must name two populations of latency with their
# shares (the slow one 10% +-3 points) and the slow one's latency (within
# 20% of 20 ms), on a non-rotational device (20 ms is slow for its class).
. "$(dirname "$0")/common.inc"
. "$ROOT/tests/lab/lab.inc"
. "$ROOT/tests/lab/diag.inc"
lab_need
lab_disk 256 --mix=10:20000
lab_queue rotational 0
diag_run "$LAB_DEV" --runtime=1
diag_has latency_modes
share=$(diag_fig latency_modes slow_share) || exit 1
diag_near "$share" 0.10 0.30 "slow_share"
slow=$(diag_fig latency_modes slow_us) || exit 1
diag_near "$slow" 20000 0.20 "slow_us"
echo "ok: two populations"
