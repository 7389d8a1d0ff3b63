#!/bin/sh
# A block device named through a link, as /dev/disk/by-id/... names are
# (long: past 64 characters), or relative to directory=: the device guard
# judges the device the link leads to, refuses a write to one holding a
# filesystem, and its message names the whole path and the device
# ("/x/by-id/ata-...-part1 (/dev/loop3) holds an ext4 filesystem"); the
# device's bytes stay. Needs root, losetup and mkfs.ext4; skips otherwise.
. "$(dirname "$0")/common.inc"

[ "$(id -u)" = 0 ] || skip "not root: needs a loop device"
command -v losetup >/dev/null 2>&1 || skip "losetup is not installed"
command -v mkfs.ext4 >/dev/null 2>&1 || skip "mkfs.ext4 is not installed"
truncate -s 16m "$T/disk.img" || fail "cannot make the image"
mkfs.ext4 -q -F "$T/disk.img" >/dev/null 2>&1 || skip "mkfs.ext4 failed"
LOOP=$(losetup -f --show "$T/disk.img" 2>/dev/null) || skip "no loop device available"
trap 'losetup -d "$LOOP" 2>/dev/null' EXIT INT TERM
before=$(sha256sum <"$LOOP")

mkdir -p "$T/by-id"
long=ata-SAMSUNG_MZ7LH960HAJR-00005_S45NNA0M123456-part1-a-long-by-id-style-name
ln -s "$LOOP" "$T/by-id/$long"

run_iolab --headless --name=w --rw=write --bs=4k --size=1m --filename="$T/by-id/$long"
[ $rc -eq 1 ] || { cat "$T/err"; fail "write through a long link: exit $rc, want 1"; }
grep -q "$T/by-id/$long ($LOOP) holds an ext4 filesystem" "$T/err" ||
	{ cat "$T/err"; fail "the refusal does not name the whole link and its device"; }
echo "ok: a long by-id style link is judged by its device and named whole"

run_iolab --headless --name=w --rw=write --bs=4k --size=1m --directory="$T/by-id" --filename="$long"
[ $rc -eq 1 ] || { cat "$T/err"; fail "directory= + link name: exit $rc, want 1"; }
grep -q "($LOOP) holds an ext4 filesystem" "$T/err" || { cat "$T/err"; fail "directory=: no reason"; }
(cd "$T" && timeout 60 "$IOLAB" --headless --name=w --rw=write --bs=4k --size=1m \
	--directory=by-id --filename="$long") >"$T/out" 2>"$T/err"
rc=$?
[ $rc -eq 1 ] || { cat "$T/err"; fail "relative directory= + link name: exit $rc, want 1"; }
grep -q "($LOOP) holds an ext4 filesystem" "$T/err" || { cat "$T/err"; fail "relative directory=: no reason"; }
echo "ok: ... also under directory=, absolute and relative"

sync
[ "$(sha256sum <"$LOOP")" = "$before" ] || fail "the device's bytes changed"
echo "ok: the device is unchanged"
