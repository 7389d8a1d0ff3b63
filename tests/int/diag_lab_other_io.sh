#!/bin/sh
# Slow-disk lab: another process keeps the device busy. The device serves at
# most 500 IOPS (labfs --iops=500) and a second iolab reads at QD8 all the
# while. Diagnose must say the device is busy with other I/O: util near 100%,
# the device's IOPS near 500 (within 10%), this run's share under half.
. "$(dirname "$0")/common.inc"
. "$ROOT/tests/lab/lab.inc"
. "$ROOT/tests/lab/diag.inc"
lab_need
lab_disk 256 --iops=500
lab_load "$IOLAB" --headless --name=other --filename="$LAB_DEV" --rw=randread --bs=4k \
	--direct=1 --ioengine=libaio --iodepth=8 --time_based=1 --runtime=60
sleep 0.5
diag_run "$LAB_DEV" --runtime=1
diag_has other_io
util=$(diag_fig other_io util) || exit 1
python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) >= 80 else 1)' "$util" ||
	fail "util $util%, want near 100%"
dev=$(diag_fig other_io dev_iops) || exit 1
diag_near "$dev" 500 0.10 "dev_iops"
share=$(diag_fig other_io our_share) || exit 1
python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) < 0.5 else 1)' "$share" ||
	fail "our share of the device is $share"
echo "ok: other I/O"
