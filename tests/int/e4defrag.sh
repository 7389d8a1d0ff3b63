#!/bin/sh
# ioengine=e4defrag: EXT4_IOC_MOVE_EXT with a donor file, side by side with
# fio 3.33 on an ext4 loop device this test makes (inplace=0 sequential,
# inplace=1 random: the same I/Os and bytes); refused on a file that is not
# on ext4, and at load without donorname= or with reads.
. "$(dirname "$0")/common.inc"
need_fio

# a file on tmpfs (not ext4)
S=
[ -d /dev/shm ] && [ "$(stat -f -c %T /dev/shm)" = tmpfs ] && S=$(mktemp -d -p /dev/shm)
printf '[d]\nioengine=e4defrag\nfilename=%s/f\nsize=64k\nrw=write\ndonorname=%s/donor\n' \
	"${S:-$T}" "${S:-$T}" >"$T/notext4.fio"
if [ -n "$S" ]; then
	run_iolab --headless "$T/notext4.fio"
	rm -rf "$S"
	[ $rc -ne 0 ] || fail "not ext4: exit 0"
	grep -q "e4defrag: $S/f is not on an ext4 filesystem" "$T/err" "$T/out" ||
		{ cat "$T/err" "$T/out"; fail "not ext4: message"; }
	echo "ok: not ext4: $(grep -h 'not on an ext4' "$T/err" "$T/out" | head -n 1)"
else
	echo "note: no tmpfs at /dev/shm: the not-ext4 refusal is not checked"
fi
sed -i '/^donorname/d' "$T/notext4.fio"
run_iolab --headless "$T/notext4.fio"
grep -q "donorname: not set" "$T/err" || { cat "$T/err"; fail "no donorname: message"; }
printf '[r]\nioengine=e4defrag\nfilename=%s/f\nsize=64k\nrw=randrw\ndonorname=x\n' "$T" >"$T/rd.fio"
run_iolab --headless "$T/rd.fio"
grep -q "rd.fio:5: rw: ioengine=e4defrag moves extents on writes only" "$T/err" ||
	{ cat "$T/err"; fail "reads: message"; }
echo "ok: refused at load: $(head -n 1 "$T/err")"

[ "$(id -u)" = 0 ] || skip "not root: cannot make and mount an ext4 loop device"
command -v mkfs.ext4 >/dev/null 2>&1 || skip "mkfs.ext4 is not installed"
command -v losetup >/dev/null 2>&1 || skip "losetup is not installed"
truncate -s 64M "$T/img"
LOOP=$(losetup -f --show "$T/img" 2>/dev/null) || skip "no loop device available"
mkdir "$T/m"
cleanup_loop() { umount "$T/m" 2>/dev/null; losetup -d "$LOOP"; }
trap cleanup_loop EXIT
mkfs.ext4 -q "$LOOP" >/dev/null 2>&1 || fail "mkfs.ext4 $LOOP failed"
mount "$LOOP" "$T/m" 2>/dev/null || skip "cannot mount the ext4 loop device"

cat >"$T/defrag.fio" <<EOF
[global]
ioengine=e4defrag
directory=$T/m
filesize=1m
size=1m

[seq]
filename=f1
bs=32k
rw=write
donorname=donor1
inplace=0

[rand]
stonewall
filename=f2
bs=4k
rw=randwrite
donorname=donor2
inplace=1
EOF
for tool in fio iolab; do
	rm -f "$T/m/f1" "$T/m/f2" "$T/m/donor1" "$T/m/donor2"
	if [ $tool = fio ]; then
		timeout 120 fio --output-format=json --output="$T/fio.json" "$T/defrag.fio" \
			>/dev/null 2>"$T/fio.err" || { cat "$T/fio.err"; fail "fio failed"; }
	else
		timeout 120 "$IOLAB" --headless --output-format=json --output="$T/iolab.json" \
			"$T/defrag.fio" >/dev/null 2>"$T/iolab.err" || { cat "$T/iolab.err"; fail "iolab failed"; }
	fi
done
python3 - "$T/fio.json" "$T/iolab.json" <<'PY' || fail "differs from fio"
import json, sys
def load(p):
    t = open(p).read()
    return json.loads(t[t.index("{"):])
f, i = load(sys.argv[1]), load(sys.argv[2])
fj = {j["jobname"]: j for j in f["jobs"]}
ij = {j["jobname"]: j for j in i["jobs"]}
assert sorted(fj) == sorted(ij) == ["rand", "seq"], (sorted(fj), sorted(ij))
for n in fj:
    a, b = fj[n], ij[n]
    assert a["error"] == b["error"] == 0, (n, a["error"], b["error"])
    for k in ("io_bytes", "total_ios"):
        assert a["write"][k] == b["write"][k], (n, k, a["write"][k], b["write"][k])
    assert b["write"]["io_bytes"] == 1 << 20, (n, b["write"]["io_bytes"])
    print("%s: %d bytes in %d moves in both" % (n, b["write"]["io_bytes"], b["write"]["total_ios"]))
PY
# the donors iolab made are gone (scratch), so the same file runs again
[ -e "$T/m/donor1" ] || [ -e "$T/m/donor2" ] && fail "iolab left its donor files"
timeout 120 "$IOLAB" --headless "$T/defrag.fio" >/dev/null 2>"$T/iolab.err" ||
	{ cat "$T/iolab.err"; fail "a second run failed"; }
# a donor that holds data would lose it: refused, its bytes kept
rm -f "$T/m/f1" "$T/m/f2"
printf 'precious bytes\n' >"$T/m/donor1"
run_iolab --headless "$T/defrag.fio"
[ $rc -ne 0 ] || fail "a donor holding data was used"
grep -q "donor1 holds 15 bytes" "$T/err" || { cat "$T/err"; fail "no reason for the refused donor"; }
[ "$(cat "$T/m/donor1")" = "precious bytes" ] || fail "the donor's data changed"
echo "ok: e4defrag side by side with fio on ext4 ($LOOP); a donor holding data refused"
