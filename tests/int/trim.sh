#!/bin/sh
# Trim side by side with fio on a loop device this script creates (fio 3.33
# trims only block devices): rw=trim, randtrim, trimwrite, randtrimwrite on
# several engines move the same bytes and I/O counts per direction as fio,
# and the JSON trim direction carries the same keys (and filled latency
# objects) as fio's. Then, without fio: a trim of a regular file punches
# holes (the file keeps its size and loses its blocks), and trim_percentage
# is refused with a clear message.
. "$(dirname "$0")/common.inc"

# ---- regular file: fallocate punch-hole (no fio comparison: fio 3.33 fails
# with ENOTTY there) ----
dd if=/dev/urandom of="$T/file.dat" bs=1M count=2 2>/dev/null || fail "dd"
sync
before=$(stat -c %b "$T/file.dat")
run_iolab --headless --name=ft --filename="$T/file.dat" --size=2m --bs=64k --rw=trim \
	--output-format=json --output="$T/ft.json"
if [ "$rc" != 0 ] && grep -q "Operation not supported" "$T/err"; then
	echo "note: $TEST_TMP cannot punch holes; regular-file trim not checked"
else
	[ "$rc" = 0 ] || { cat "$T/err"; fail "trim of a regular file failed ($rc)"; }
	after=$(stat -c %b "$T/file.dat")
	[ "$(stat -c %s "$T/file.dat")" = 2097152 ] || fail "trim changed the file size"
	[ "$after" -lt "$before" ] || fail "trim punched no holes ($before -> $after blocks)"
	[ "$(json_get "$T/ft.json" 'd["jobs"][0]["trim"]["io_bytes"]')" = 2097152 ] ||
		fail "regular file: trim io_bytes is not 2 MiB"
	echo "regular file: holes punched ($before -> $after blocks)"
fi

# ---- trim_percentage: refused ----
run_iolab --headless --name=tp --filename="$T/tp.dat" --size=1m --rw=write --verify=crc32c \
	--trim_percentage=10
[ "$rc" = 1 ] || fail "trim_percentage: exit $rc, expected 1"
grep -q "trim_percentage=10: not supported" "$T/err" || { cat "$T/err"; fail "trim_percentage: no clear message"; }

# ---- against fio on a loop device ----
need_fio
[ "$(id -u)" = 0 ] || skip "needs root for a loop device (fio 3.33 trims only block devices)"
command -v losetup >/dev/null 2>&1 || skip "losetup is not installed"
truncate -s 32M "$T/loop.img" || fail "truncate"
L=$(losetup -f --show "$T/loop.img" 2>/dev/null) || skip "cannot attach a loop device"
trap 'losetup -d "$L" 2>/dev/null' EXIT INT TERM
[ -b "$L" ] || fail "$L is not a block device"

n=0
for eng in psync libaio io_uring; do
	for rw in trim randtrim trimwrite randtrimwrite; do
		cat >"$T/job.fio" <<EOF
[t]
filename=$L
size=8m
bs=16k
rw=$rw
ioengine=$eng
iodepth=4
EOF
		timeout 120 fio --output-format=json --output="$T/f.json" "$T/job.fio" >/dev/null 2>&1 ||
			fail "fio failed on $eng $rw"
		run_iolab --headless --output-format=json --output="$T/i.json" "$T/job.fio"
		[ "$rc" = 0 ] || { cat "$T/err"; fail "iolab failed on $eng $rw ($rc)"; }
		python3 - "$T/f.json" "$T/i.json" "$eng $rw" <<'PY' || fail "$eng $rw: differs from fio"
import json, sys
f = json.load(open(sys.argv[1]))["jobs"][0]
i = json.load(open(sys.argv[2]))["jobs"][0]
what = sys.argv[3]
assert f["error"] == 0 and i["error"] == 0, (what, f["error"], i["error"])
for d in ("read", "write", "trim"):
    for k in ("io_bytes", "io_kbytes", "total_ios", "short_ios", "drop_ios"):
        assert f[d][k] == i[d][k], "%s %s %s: fio %s, iolab %s" % (what, d, k, f[d][k], i[d][k])
    assert (f[d]["runtime"] > 0) == (i[d]["runtime"] > 0), (what, d, "runtime")
    assert (f[d]["iops"] > 0) == (i[d]["iops"] > 0), (what, d, "iops")
# the trim direction as fio fills it: same keys, latency objects filled
ft, it = f["trim"], i["trim"]
assert set(ft) == set(it), (what, "trim keys", set(ft) ^ set(it))
for k in ("slat_ns", "clat_ns", "lat_ns"):
    assert set(ft[k]) == set(it[k]), (what, k, set(ft[k]) ^ set(it[k]))
    # slat too: trims an async engine completes inline have none, as in fio
    assert it[k]["N"] == ft[k]["N"], (what, k, "N", ft[k]["N"], it[k]["N"])
    assert (it[k]["N"] == 0) or it[k]["max"] >= it[k]["min"] > 0, (what, k)
if "percentile" in ft["clat_ns"]:
    assert set(ft["clat_ns"]["percentile"]) == set(it["clat_ns"]["percentile"]), what
print("%-22s r/w/t bytes %s (fio %s)" % (what, [i[d]["io_bytes"] for d in ("read", "write", "trim")],
      [f[d]["io_bytes"] for d in ("read", "write", "trim")]))
PY
		n=$((n + 1))
	done
done
echo "ok: $n trim jobs match fio"
