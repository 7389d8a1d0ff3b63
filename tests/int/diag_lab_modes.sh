#!/bin/sh
# Slow-disk lab: 10% of I/Os take 20 ms, the rest are fast (labfs
# --mix=10:20000). Diagnose must name two populations of latency with their
# shares (the slow one 10% +-4.5 points) and the slow one's latency (within
# 20% of 20 ms), on a non-rotational device (20 ms is slow for its class).
# The share's tolerance is sampling, not slack: labfs picks the slow I/Os
# at random, and a 1 s QD1 step holds ~480 I/Os, so the share it sees has
# a standard deviation of ~1.4 points; +-3 points failed about one run in
# thirty (13.9% seen). +-4.5 is over three deviations and still tells 10%
# from 5% or 20%.
. "$(dirname "$0")/common.inc"
. "$ROOT/tests/lab/lab.inc"
. "$ROOT/tests/lab/diag.inc"
lab_need
lab_disk 256 --mix=10:20000
lab_queue rotational 0
diag_run "$LAB_DEV" --runtime=1
diag_has latency_modes
share=$(diag_fig latency_modes slow_share) || exit 1
diag_near "$share" 0.10 0.45 "slow_share"
slow=$(diag_fig latency_modes slow_us) || exit 1
diag_near "$slow" 20000 0.20 "slow_us"
echo "ok: two populations"
