#!/bin/sh
# Every file iolab writes besides its job's targets is refused when it is a
# block device, a character device or a FIFO, with the reason, before any
# job runs, and the device's bytes stay as they were: --output, write_iolog,
# write_bw_log, write_iops_log, write_hist_log, write_lat_log, verify_state_save,
# --diagnose --output, --record, --bandwidth-log's agg-*_bw.log. Loop-device cases need
# root (skipped otherwise); the FIFO and /dev/null cases run for everyone.
. "$(dirname "$0")/common.inc"

cat >"$T/job.fio" <<'JOB'
[w]
ioengine=null
rw=write
bs=4k
size=1m
JOB

# refused ARGS...: iolab refuses with "is a ..." on stderr, exit 1, fast
refused() {
	want=$1
	shift
	run_iolab --headless "$@"
	[ $rc -eq 1 ] || { cat "$T/err"; fail "$*: exit $rc, want 1"; }
	grep -q "$want; iolab writes reports, logs and state only to regular files" "$T/err" ||
		{ cat "$T/err"; fail "$*: no '$want' reason"; }
	grep -q 'Run status' "$T/out" && fail "$*: the job ran"
	return 0
}

# FIFOs: refused, and nothing blocks on the open (timeout 60 in run_iolab)
mkfifo "$T/fifo"
refused "is a FIFO" --output="$T/fifo" "$T/job.fio"
refused "is a FIFO" --write_iolog="$T/fifo" "$T/job.fio"
mkfifo "$T/lg_bw.1.log"
refused "is a FIFO" --write_bw_log="$T/lg" "$T/job.fio"
mkfifo "$T/io_iops.1.log" "$T/hi_clat_hist.1.log"
refused "is a FIFO" --write_iops_log="$T/io" "$T/job.fio"
refused "is a FIFO" --write_hist_log="$T/hi" "$T/job.fio"
refused "is a FIFO" --record="$T/fifo" "$T/job.fio"
refused "is a character device" --output=/dev/null "$T/job.fio"
refused "is a character device" --write_iolog=/dev/null "$T/job.fio"
echo "ok: FIFO and character device outputs refused"

[ "$(id -u)" = 0 ] || skip "not root: the /dev and loop-device cases need root"

# A device name that is not there (mistyped, or the disk went away) is
# never created as a file in /dev: an output, a log, and a job's target
# (which would be RAM measured as the disk). /dev/shm is a tmpfs for files.
nodev=/dev/iolab-nodev-$$
for args in "--output=$nodev $T/job.fio" "--write_iolog=$nodev $T/job.fio" \
	"--name=t --ioengine=psync --rw=write --size=1m --filename=$nodev"; do
	# shellcheck disable=SC2086
	run_iolab --headless $args
	[ $rc -ne 0 ] || fail "$args: exit 0"
	grep -q "no such device.*creates no files under /dev" "$T/err" ||
		{ cat "$T/err"; fail "$args: no reason given"; }
	[ -e "$nodev" ] && { rm -f "$nodev"; fail "$args: created $nodev"; }
done
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
	shm=/dev/shm/iolab-shm-$$.dat
	run_iolab --headless --name=t --ioengine=psync --rw=write --size=1m --filename="$shm"
	rm -f "$shm"
	[ $rc -eq 0 ] || { cat "$T/err"; fail "a target in /dev/shm was refused"; }
fi
echo "ok: no file created under /dev"

command -v losetup >/dev/null 2>&1 || skip "losetup is not installed"
python3 -c 'import os, sys; open(sys.argv[1], "wb").write(os.urandom(8 << 20))' "$T/disk.img" ||
	fail "cannot make the disk image"
cp "$T/disk.img" "$T/disk.orig"
LOOP=$(losetup -f --show "$T/disk.img" 2>/dev/null) || skip "no loop device available"
trap 'losetup -d "$LOOP" 2>/dev/null' EXIT INT TERM

refused "is a block device" --output="$LOOP" "$T/job.fio"
grep -q -- "--output=$LOOP: is a block device" "$T/err" || fail "--output: not named"
refused "is a block device" --write_iolog="$LOOP" "$T/job.fio"
grep -q "write_iolog=$LOOP: is a block device" "$T/err" || { cat "$T/err"; fail "write_iolog: not named"; }
# a device node at a log's name, an iolog of a clone, verify state
mknod "$T/dv_lat.1.log" b $(stat -L -c '%t %T' "$LOOP" | while read ma mi; do printf '%d %d' 0x$ma 0x$mi; done)
refused "is a block device" --write_lat_log="$T/dv" "$T/job.fio"
mknod "$T/il.1" b $(stat -L -c '%t %T' "$LOOP" | while read ma mi; do printf '%d %d' 0x$ma 0x$mi; done)
refused "is a block device" --write_iolog="$T/il" --numjobs=2 "$T/job.fio"
cat >"$T/verify.fio" <<JOB
[v]
ioengine=psync
filename=$T/v.dat
rw=write
bs=4k
size=256k
verify=crc32c
verify_state_save=$LOOP
JOB
refused "is a block device" "$T/verify.fio"
refused "is a block device" --record="$LOOP" "$T/job.fio"
# --bandwidth-log writes agg-write_bw.log in the current directory
mkdir "$T/agg"
mknod "$T/agg/agg-write_bw.log" b $(stat -L -c '%t %T' "$LOOP" | while read ma mi; do printf '%d %d' 0x$ma 0x$mi; done)
(cd "$T/agg" && run_iolab --headless --bandwidth-log "$T/job.fio"; echo $rc >"$T/agg.rc")
[ "$(cat "$T/agg.rc")" = 1 ] || { cat "$T/err"; fail "--bandwidth-log onto a device node: exit $(cat "$T/agg.rc")"; }
grep -q "agg-write_bw.log: is a block device" "$T/err" || { cat "$T/err"; fail "--bandwidth-log: no reason"; }
# refused before the run and before any of the three files was made
[ -e "$T/agg/agg-read_bw.log" ] && fail "--bandwidth-log made agg-read_bw.log before refusing agg-write_bw.log"
grep -q "Run status" "$T/out" 2>/dev/null && fail "--bandwidth-log onto a device: the jobs ran before the refusal"
run_iolab --diagnose "$T/diagdir-does-not-matter" --output="$LOOP" --runtime=0.1 --size=16m
[ $rc -eq 1 ] || fail "--diagnose --output=$LOOP: exit $rc"
grep -q "is a block device" "$T/err" || { cat "$T/err"; fail "--diagnose --output: no reason"; }
grep -q 'preparing a scratch file' "$T/err" && fail "--diagnose ran before refusing its --output"
sync
cmp -s "$T/disk.img" "$T/disk.orig" || fail "the loop device's bytes changed"
echo "ok: outputs on a block device refused, device unchanged"
