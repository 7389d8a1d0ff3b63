#!/bin/sh
# The device guard (backend/devguard.c) on loop devices this test builds:
# a write job aimed at a device holding a LUKS1 header, an MD v1.2 member
# (superblock at 4 KiB) or a minix filesystem is refused headless, naming
# what libblkid found, and not one byte of the device changes; so are the
# forms that reach a device through directory=/dev + filename=loopN and a
# ':' list (decoy.dat:/dev/loopN), and the dry run says the same. A read
# job on the same devices runs, and --diagnose --allow-write skips its write
# steps on one. The loop devices are always detached (trap).
. "$(dirname "$0")/common.inc"

[ "$(id -u)" = 0 ] || skip "needs root for losetup"
for c in losetup mkfs.minix sha256sum; do
	command -v $c >/dev/null 2>&1 || skip "$c is not installed"
done

DEVS=""
cleanup() {
	for d in $DEVS; do losetup -d "$d" 2>/dev/null; done
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# craft KIND IMG: a minimal LUKS1 phdr at 0, or an MD v1.2 superblock (with
# its checksum) at 4 KiB, as cryptsetup luksFormat / mdadm --create lay them.
craft() {
	python3 - "$1" "$2" <<'PY'
import struct, sys
kind, path = sys.argv[1], sys.argv[2]
with open(path, 'r+b') as f:
    if kind == 'luks1':
        h = bytearray(592)
        h[0:6] = b'LUKS\xba\xbe'
        struct.pack_into('>H', h, 6, 1)
        h[8:11] = b'aes'; h[40:51] = b'xts-plain64'; h[72:78] = b'sha256'
        struct.pack_into('>II', h, 104, 4096, 64)        # payload offset, key bytes
        struct.pack_into('>I', h, 164, 1000)             # digest iterations
        h[168:204] = b'12345678-1234-5678-1234-567812345678'
        for k in range(8):                               # key slots: disabled
            struct.pack_into('>III', h, 208 + 48 * k, 0x0000DEAD, 0, 8 + k * 512)
            struct.pack_into('>I', h, 208 + 48 * k + 44, 4000)
        f.seek(0); f.write(h)
    elif kind == 'md12':
        max_dev = 2
        sb = bytearray(256 + 2 * max_dev)
        struct.pack_into('<III', sb, 0, 0xa92b4efc, 1, 0)  # magic, major, features
        sb[16:32] = bytes(range(1, 17))                    # set uuid
        sb[32:38] = b'iolab0'
        struct.pack_into('<Q', sb, 64, 1700000000)
        struct.pack_into('<iI', sb, 72, 1, 0)              # raid1
        struct.pack_into('<QII', sb, 80, 8192, 0, 2)
        struct.pack_into('<QQQ', sb, 128, 2048, 8192, 8)   # data off/size, super_offset
        sb[168:184] = bytes(range(17, 33))                 # device uuid
        struct.pack_into('<QQQ', sb, 192, 1700000000, 1, (1 << 64) - 1)
        struct.pack_into('<I', sb, 220, max_dev)
        struct.pack_into('<HH', sb, 256, 0, 1)
        s = sum(struct.unpack_from('<I', sb, i)[0] for i in range(0, len(sb) // 4 * 4, 4))
        if len(sb) % 4:
            s += struct.unpack_from('<H', sb, len(sb) - 2)[0]
        struct.pack_into('<I', sb, 216, ((s & 0xffffffff) + (s >> 32)) & 0xffffffff)
        f.seek(4096); f.write(sb)
PY
}

# attach IMG: a loop device on it in $DEV, remembered for the trap
attach() {
	DEV=$(losetup -f --show "$1" 2>"$T/losetup.err") ||
		skip "cannot set up a loop device: $(cat "$T/losetup.err")"
	DEVS="$DEVS $DEV"
}

devsum() { sha256sum <"$1" | cut -d' ' -f1; }

job() { # FILE NAME RW FILENAME [EXTRA...]
	f=$1 name=$2 rw=$3 fn=$4; shift 4
	{
		echo "[$name]"
		echo "ioengine=psync"
		echo "rw=$rw"
		echo "bs=64k"
		echo "size=1m"
		echo "filename=$fn"
		for o in "$@"; do echo "$o"; done
	} >"$f"
}

# refused NAME DEV WANT JOBFILE [ARGS...]: exit 1, WANT in the message,
# the device's bytes unchanged
refused() {
	name=$1 dev=$2 want=$3; shift 3
	before=$(devsum "$dev")
	run_iolab --headless "$@"
	[ $rc -ne 0 ] || { cat "$T/err"; fail "$name: exit 0, the write was not refused"; }
	cat "$T/out" "$T/err" >"$T/both" # a dry run says it on stdout
	grep -qF -- "$want" "$T/both" ||
		{ cat "$T/both"; fail "$name: the refusal does not say '$want'"; }
	[ "$(devsum "$dev")" = "$before" ] || fail "$name: the device's bytes changed"
	echo "ok: $name: $(grep -F -- "$want" "$T/both" | head -n 1)"
}

for k in luks1 md12 minix; do
	truncate -s 16m "$T/$k.img"
done
craft luks1 "$T/luks1.img"
craft md12 "$T/md12.img"
mkfs.minix "$T/minix.img" >"$T/mkfs.out" 2>&1 || { cat "$T/mkfs.out"; fail "mkfs.minix"; }
if command -v blkid >/dev/null 2>&1; then
	blkid -p "$T/luks1.img" | grep -q 'TYPE="crypto_LUKS"' || fail "blkid does not see the LUKS1 header"
	blkid -p "$T/md12.img" | grep -q 'TYPE="linux_raid_member"' || fail "blkid does not see the MD superblock"
fi
attach "$T/luks1.img"; LUKS=$DEV
attach "$T/md12.img"; MD=$DEV
attach "$T/minix.img"; MINIX=$DEV

job "$T/luks.fio" luks write "$LUKS"
refused "LUKS1" "$LUKS" "$LUKS holds a LUKS encrypted volume (crypto_LUKS, found by libblkid); refusing to write to it (allow_mounted_write=1 overrides)" "$T/luks.fio"
job "$T/md.fio" md randwrite "$MD"
refused "MD v1.2" "$MD" "$MD holds a Linux MD RAID member (linux_raid_member, found by libblkid)" "$T/md.fio"
job "$T/minix.fio" minix write "$MINIX"
refused "minix" "$MINIX" "$MINIX holds a minix filesystem (minix, found by libblkid)" "$T/minix.fio"
job "$T/trim.fio" trim trim "$MINIX"
refused "minix, trim" "$MINIX" "$MINIX holds a minix filesystem" "$T/trim.fio"

# the other ways to name a device
job "$T/dir.fio" viadir write "$(basename "$LUKS")" directory=/dev
refused "directory=/dev" "$LUKS" "$LUKS holds a LUKS encrypted volume" "$T/dir.fio"
echo data >"$T/decoy.dat"
job "$T/decoy.fio" decoy write "$T/decoy.dat:$MINIX"
refused "decoy.dat:$MINIX" "$MINIX" "$MINIX holds a minix filesystem" "$T/decoy.fio"
refused "--filename on the command line" "$MD" "$MD holds a Linux MD RAID member" \
	--name=cli --ioengine=psync --rw=write --bs=4k --size=64k --filename="$MD"
refused "--dry-run" "$MD" "$MD holds a Linux MD RAID member" --dry-run "$T/md.fio"

# reading is fine
job "$T/read.fio" read read "$LUKS"
before=$(devsum "$LUKS")
run_iolab --headless "$T/read.fio"
[ $rc -eq 0 ] || { cat "$T/err"; fail "read: exit $rc, want 0"; }
[ "$(devsum "$LUKS")" = "$before" ] || fail "read: the device's bytes changed"
echo "ok: a read job on the LUKS device runs"

# diagnose asks the same guard: --allow-write on a device holding a
# signature runs the read steps and skips every write step, naming why
before=$(devsum "$MINIX")
run_iolab --headless --diagnose="$MINIX" --allow-write --runtime=0.1
[ "$(devsum "$MINIX")" = "$before" ] || fail "--diagnose --allow-write: the device's bytes changed"
grep -q "seqwrite-1m  *skipped: $MINIX holds a minix filesystem (minix, found by libblkid)" \
	"$T/err" || { cat "$T/out" "$T/err"; fail "--diagnose --allow-write: write steps not refused by the guard"; }
echo "ok: --diagnose --allow-write on the minix device: write steps skipped, device unchanged"
