#!/bin/sh
# A job that writes to a block device asks first, naming the device: Cancel
# leaves its bytes alone; Start runs it. A device holding a filesystem is
# refused by the backend even after the confirmation, unless
# allow_mounted_write=1. Needs root and a loop device this test creates.
. "$(dirname "$0")/lib.inc"

[ "$(id -u)" = 0 ] || skip "needs root to create a loop device"
command -v losetup >/dev/null 2>&1 || skip "losetup is not installed"
img=$T/disk.img
dd if=/dev/zero of="$img" bs=1M count=8 status=none || fail "cannot create $img"
dev=$(losetup -f --show "$img" 2>/dev/null) || skip "no loop device available"
detach() { losetup -d "$dev" 2>/dev/null; cleanup; }
trap detach EXIT INT TERM

cat >"$T/dev.fio" <<JOB
[devwrite]
ioengine=psync
rw=write
bs=64k
size=1m
filename=$dev
JOB
before=$(sha256sum <"$img")

pane_start 100 30
pane_run "$IOLAB $T/dev.fio; echo EXIT=\$?"
wait_re '^devwrite +P ' 15
tm send-keys F5
wait_for 'Destructive target' 5
wait_for "$dev" 5
capture | grep -q "writes to the block device $dev" || fail "the dialog does not name $dev"
# Cancel: nothing starts, nothing is written
tm send-keys Escape
wait_gone 'Destructive target' 5
sleep 1
capture | grep -qE '^devwrite +P ' || fail "the job left its not-started state after Cancel"
sync
[ "$(sha256sum <"$img")" = "$before" ] || fail "$dev changed after Cancel"

# Start: the job runs and writes
tm send-keys F5
wait_for 'Destructive target' 5
tm send-keys Enter
wait_for 'reaped' 20
sync
[ "$(sha256sum <"$img")" != "$before" ] || fail "$dev unchanged after Start"
tm send-keys q
wait_for 'EXIT=0' 10

# A filesystem on it: refused even after the confirmation, naming it
if command -v mkfs.ext4 >/dev/null 2>&1; then
	mkfs.ext4 -q -F "$dev" >/dev/null 2>&1 || fail "mkfs.ext4 failed"
	before=$(sha256sum <"$img")
	pane_run "clear; $IOLAB $T/dev.fio; echo EXIT=\$?"
	wait_re '^devwrite +P ' 15
	tm send-keys F5
	wait_for 'Destructive target' 5
	tm send-keys Enter
	wait_for 'holds an ext4 filesystem' 20
	sync
	[ "$(sha256sum <"$img")" = "$before" ] || fail "$dev with ext4 was written"
	tm send-keys Enter
	wait_gone 'Job failed' 5
	tm send-keys q
	wait_re 'EXIT=[01]' 10
fi
echo ok
