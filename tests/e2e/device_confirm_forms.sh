#!/bin/sh
# The TUI asks before writing a block device however the job names it: as
# directory=/dev + filename=loopN, and as the second name of a ':' list
# (decoy.dat:/dev/loopN), and as a path a read_iolog replays writes to
# (with rw=read). The dialog names the device; Cancel writes nothing. Needs root and a loop device this test creates.
. "$(dirname "$0")/lib.inc"

[ "$(id -u)" = 0 ] || skip "needs root to create a loop device"
command -v losetup >/dev/null 2>&1 || skip "losetup is not installed"
img=$T/disk.img
dd if=/dev/zero of="$img" bs=1M count=8 status=none || fail "cannot create $img"
dev=$(losetup -f --show "$img" 2>/dev/null) || skip "no loop device available"
detach() { losetup -d "$dev" 2>/dev/null; cleanup; }
trap detach EXIT INT TERM
echo data >"$T/decoy.dat"

cat >"$T/viadir.fio" <<JOB
[viadir]
ioengine=psync
rw=write
bs=64k
size=1m
directory=/dev
filename=$(basename "$dev")
JOB
cat >"$T/decoy.fio" <<JOB
[decoy]
ioengine=psync
rw=randwrite
bs=64k
size=1m
filename=$T/decoy.dat:$dev
JOB
# a replayed log that writes the device: rw= says read, the log decides
printf 'fio version 2 iolog\n%s add\n%s open\n%s write 0 65536\n%s close\n' \
	"$dev" "$dev" "$dev" "$dev" >"$T/replay.log"
cat >"$T/replay.fio" <<JOB
[replay]
ioengine=psync
rw=read
read_iolog=$T/replay.log
JOB
before=$(sha256sum <"$img")

pane_start 100 30
for j in viadir decoy replay; do
	pane_run "clear; $IOLAB $T/$j.fio; echo EXIT=\$?"
	wait_re "^$j +P " 15
	tm send-keys F5
	wait_for 'Destructive target' 5
	capture | grep -q "Job '$j' writes to the block device $dev" ||
		fail "$j: the dialog does not name $dev"
	tm send-keys Escape
	wait_gone 'Destructive target' 5
	sleep 1
	capture | grep -qE "^$j +P " || fail "$j: the job left its not-started state after Cancel"
	sync
	[ "$(sha256sum <"$img")" = "$before" ] || fail "$j: $dev changed after Cancel"
	tm send-keys q
	wait_for 'EXIT=0' 10
	echo "ok: $j: the dialog names $dev"
done
