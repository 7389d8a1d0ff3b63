#!/bin/sh
# The slow-disk lab itself (tests/lab/): a loop device over labfs really is
# as slow as it was told to be. Measured with iolab on the device: with
# 5 ms injected, QD1 4k random reads complete in ~5 ms and QD8 gives ~8x
# the IOPS (the loop driver passes requests on in parallel); labfs counted
# the reads and the kernel's diskstats saw them; a blkio throttle of 300
# read IOPS holds QD8 at ~300 IOPS.
. "$(dirname "$0")/common.inc"
. "$ROOT/tests/lab/lab.inc"
lab_need
lab_disk 64 --lat=5000

# $1 iodepth, then extra iolab options; prints "iops p50_us"
measure() {
	qd=$1
	shift
	"$@" nice -n -10 "$IOLAB" --headless --output-format=json --name=lab --filename="$LAB_DEV" \
		--rw=randread --bs=4k --direct=1 --ioengine=libaio --iodepth="$qd" \
		--runtime=1 --time_based=1 --norandommap=1 >"$T/out" 2>"$T/err" ||
		{ cat "$T/err"; fail "iolab on $LAB_DEV at QD$qd failed"; }
	json_get "$T/out" '"%.1f %.1f" % (d["jobs"][0]["read"]["iops"], d["jobs"][0]["read"]["clat_ns"]["percentile"]["50.000000"] / 1000)'
}

ios0=$(awk -v n="$LAB_NAME" '$3 == n { print $4 }' /proc/diskstats)
reads0=$(lab_stat reads)
set -- $(measure 1)
q1_iops=$1 q1_p50=$2
set -- $(measure 8)
q8_iops=$1 q8_p50=$2
echo "lab: --lat=5000: QD1 $q1_iops IOPS p50 $q1_p50 us; QD8 $q8_iops IOPS p50 $q8_p50 us"
python3 - "$q1_iops" "$q1_p50" "$q8_iops" "$q8_p50" <<'PY' || fail "the lab device is not 5 ms per I/O"
import sys
q1, p1, q8, p8 = map(float, sys.argv[1:])
# the injected 5 ms plus a FUSE round trip; a loaded host adds to iolab's
# side, never takes from the device's
assert 4750 <= p1 <= 6500, ("QD1 p50", p1)
assert 4750 <= p8 <= 6500, ("QD8 p50", p8)
assert q1 <= 210, ("QD1 IOPS above 1/5 ms", q1)
assert q8 >= 5 * q1, ("QD8 does not scale", q8, q1)
PY
reads=$(( $(lab_stat reads) - reads0 ))
ios=$(( $(awk -v n="$LAB_NAME" '$3 == n { print $4 }' /proc/diskstats) - ios0 ))
echo "lab: labfs served $reads reads, diskstats counted $ios"
[ "$reads" -ge 1000 ] || fail "labfs served only $reads reads: the loop device does not reach it"
[ "$ios" -ge 1000 ] || fail "diskstats counted only $ios reads on $LAB_NAME"

lab_throttle riops=300
set -- $(measure 8 lab_in_cgroup)
echo "lab: throttled to 300 read IOPS: QD8 $1 IOPS"
python3 -c 'import sys; v = float(sys.argv[1]); assert 270 <= v <= 330, v' "$1" ||
	fail "the blkio throttle does not hold the device at 300 IOPS ($1)"
echo "ok: lab"
