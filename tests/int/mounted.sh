#!/bin/sh
# Safety guard for block devices: a write job aimed at a loop device holding
# a mounted ext4 is refused naming it mounted, and not one byte of the device
# changes; unmounted but holding ext4 it is refused naming the filesystem;
# allow_mounted_write=1 lets the write through. A loop device in use as swap
# (a 16 MiB area at the default, lowest priority, swapped off in the trap)
# is refused naming swap, its header page unchanged (the rest is the
# kernel's to write while it is on). The loop devices are always detached
# (trap).
. "$(dirname "$0")/common.inc"

[ "$(id -u)" = 0 ] || skip "needs root for losetup and mount"
for c in losetup mkfs.ext4 mount umount sha256sum; do
	command -v $c >/dev/null 2>&1 || skip "$c is not installed"
done

IMG=$T/disk.img
MNT=$(mktemp -d "$T/mnt.XXXXXX")
truncate -s 32m "$IMG"
mkfs.ext4 -q -F -E lazy_itable_init=0,lazy_journal_init=0 "$IMG" >"$T/mkfs.out" 2>&1 ||
	{ cat "$T/mkfs.out"; fail "mkfs.ext4"; }
DEV=$(losetup -f --show "$IMG" 2>"$T/losetup.err") ||
	skip "cannot set up a loop device: $(cat "$T/losetup.err")"
SWAPDEV=
cleanup() {
	umount "$MNT" 2>/dev/null
	losetup -d "$DEV" 2>/dev/null
	[ -z "$SWAPDEV" ] || { swapoff "$SWAPDEV" 2>/dev/null; losetup -d "$SWAPDEV" 2>/dev/null; }
	rmdir "$MNT" 2>/dev/null
}
trap cleanup EXIT
trap 'exit 1' INT TERM

write_job() { # FILE EXTRA...
	f=$1; shift
	{
		echo "[dev]"
		echo "ioengine=psync"
		echo "filename=$DEV"
		echo "rw=write"
		echo "bs=64k"
		echo "size=4m"
		for o in "$@"; do echo "$o"; done
	} >"$f"
}
devsum() { sha256sum <"$DEV" | cut -d' ' -f1; }

# 1. mounted (read-only, so ext4 itself writes nothing)
# (ext4 edits its superblock in the page cache while mounted, so the bytes
# are compared mounted before/after the run, and unmounted before/after)
before=$(devsum)
mount -o ro -t ext4 "$DEV" "$MNT" 2>"$T/mount.err" || skip "cannot mount ext4: $(cat "$T/mount.err")"
mbefore=$(devsum)
write_job "$T/w.fio"
run_iolab --headless --output-format=json --output="$T/m.json" "$T/w.fio"
[ $rc -eq 1 ] || { cat "$T/err"; fail "mounted: exit $rc, want 1"; }
grep -q "$DEV.*mounted" "$T/err" || { cat "$T/err"; fail "mounted: the refusal does not say mounted"; }
[ "$(devsum)" = "$mbefore" ] || fail "mounted: the device's bytes changed"
umount "$MNT"
[ "$(devsum)" = "$before" ] || fail "mounted: the device's bytes changed (after umount)"
echo "ok: mounted: $(head -n 1 "$T/err")"

# 2. not mounted, still ext4
run_iolab --headless "$T/w.fio"
[ $rc -eq 1 ] || { cat "$T/err"; fail "ext4: exit $rc, want 1"; }
grep -q "$DEV holds an ext4 filesystem (ext4, found by libblkid)" "$T/err" ||
	{ cat "$T/err"; fail "ext4: the refusal does not name the filesystem"; }
[ "$(devsum)" = "$before" ] || fail "ext4: the device's bytes changed"
echo "ok: ext4: $(head -n 1 "$T/err")"

# 3. allow_mounted_write=1 on the unmounted device
write_job "$T/allow.fio" allow_mounted_write=1
run_iolab --headless --output-format=json --output="$T/a.json" "$T/allow.fio"
[ $rc -eq 0 ] || { cat "$T/err"; fail "allow_mounted_write=1: exit $rc, want 0"; }
[ "$(json_get "$T/a.json" 'd["jobs"][0]["write"]["io_bytes"]')" = $((4 << 20)) ] ||
	fail "allow_mounted_write=1: not all 4 MiB written"
[ "$(devsum)" != "$before" ] || fail "allow_mounted_write=1: the device did not change"
echo "ok: allow_mounted_write=1 wrote 4 MiB"

# 4. in use as swap (the kernel holds it exclusively; /proc/swaps says so)
command -v mkswap >/dev/null 2>&1 && command -v swapon >/dev/null 2>&1 ||
	skip "mkswap/swapon are not installed (cases 1-3 passed)"
dd if=/dev/zero of="$T/swap.img" bs=1M count=16 status=none && chmod 600 "$T/swap.img" &&
	mkswap "$T/swap.img" >"$T/mkswap.out" 2>&1 || { cat "$T/mkswap.out"; fail "mkswap"; }
SWAPDEV=$(losetup -f --show "$T/swap.img" 2>"$T/losetup.err") ||
	skip "cannot set up a second loop device: $(cat "$T/losetup.err") (cases 1-3 passed)"
swapon "$SWAPDEV" 2>"$T/swapon.err" || skip "cannot swapon here: $(cat "$T/swapon.err") (cases 1-3 passed)"
hdr() { head -c 4096 "$T/swap.img" | sha256sum | cut -d' ' -f1; }
sbefore=$(hdr)
run_iolab --headless --name=sw --ioengine=psync --rw=write --bs=64k --size=1m --filename="$SWAPDEV"
[ $rc -eq 1 ] || { cat "$T/err"; fail "swap: exit $rc, want 1"; }
grep -q "$SWAPDEV is in use as swap; refusing to write to it" "$T/err" ||
	{ cat "$T/err"; fail "swap: the refusal does not say swap"; }
swapoff "$SWAPDEV" || fail "swapoff $SWAPDEV"
[ "$(hdr)" = "$sbefore" ] || fail "swap: the swap header was overwritten"
losetup -d "$SWAPDEV"
SWAPDEV=
echo "ok: swap: $(head -n 1 "$T/err")"
