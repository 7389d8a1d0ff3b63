#!/bin/sh
# A write error on any output is an error: logs, an iolog and --output on a
# full file system (a 64 KiB tmpfs, root only) exit non-zero and name the
# file; results cut by a reader that goes away (| head -c 10) exit non-zero
# with a message.
. "$(dirname "$0")/common.inc"

cat >"$T/job.fio" <<'JOB'
[w]
ioengine=null
rw=write
bs=4k
size=64m
JOB

# stdout cut: the intro reaches head, which leaves; the results do not
( timeout 60 "$IOLAB" --headless --runtime=1 --time_based "$T/job.fio" 2>"$T/err"; echo $? >"$T/rc" ) |
	head -c 10 >/dev/null
[ "$(cat "$T/rc")" != 0 ] || fail "| head -c 10: exit 0"
grep -q 'stdout' "$T/err" || { cat "$T/err"; fail "| head -c 10: no message"; }
echo "ok: | head -c 10 exits $(cat "$T/rc")"

[ "$(id -u)" = 0 ] || skip "not root: cannot mount a small tmpfs"
mkdir "$T/full"
mount -t tmpfs -o size=64k tmpfs "$T/full" 2>/dev/null || skip "cannot mount tmpfs"
trap 'umount "$T/full"' EXIT INT TERM

for opt in write_bw_log write_lat_log write_iops_log; do
	rm -f "$T/full"/*
	run_iolab --headless --$opt="$T/full/lg" "$T/job.fio"
	[ $rc -ne 0 ] || fail "$opt into a full file system: exit 0"
	grep -q "$opt: $T/full/lg_.*No space left on device" "$T/err" ||
		{ cat "$T/err"; fail "$opt: no ENOSPC message naming the log"; }
	grep -q 'Run status' "$T/out" || fail "$opt: results not reported"
done
echo "ok: logs on a full file system fail the run"

rm -f "$T/full"/*
run_iolab --headless --write_iolog="$T/full/io.log" "$T/job.fio"
[ $rc -ne 0 ] || fail "write_iolog into a full file system: exit 0"
grep -q 'write_iolog.*No space left on device' "$T/err" || { cat "$T/err"; fail "write_iolog: no message"; }
echo "ok: write_iolog on a full file system fails the run"

rm -f "$T/full"/*
head -c 60000 /dev/zero >"$T/full/filler" 2>/dev/null
run_iolab --headless --output-format=json+ --output="$T/full/res.json" "$T/job.fio"
[ $rc -ne 0 ] || fail "--output into a full file system: exit 0"
grep -q -- "--output=$T/full/res.json.*No space left on device" "$T/err" || { cat "$T/err"; fail "--output: no message"; }
ls "$T/full" | grep -q tmp && fail "--output: temporary left behind"
echo "ok: --output on a full file system fails the run"
