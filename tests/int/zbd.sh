#!/bin/sh
# zonemode=zbd on a scratch file, side by side with fio 3.33 (issue 15):
#  (a) sequential writes (open-zone limit, zonecapacity below zonesize,
#      zonesize not a multiple of bs, a region fitted to whole zones,
#      libaio at QD 16 with one open zone, zone_reset_threshold and
#      zone_reset_frequency over twice the file) land at fio's very offsets,
#      with fio's bytes and I/O counts; zoneskip too
#  (b) reads stay below the write pointers: a sequential and a random
#      read of a file with three written zones read fio's bytes; reads of
#      fresh zones read nothing, in both; zoneskip reads move on at a
#      zone's wp as fio's; trims reset their zones (a reader after them
#      reads nothing), random ones only zones holding data, as fio's
#  (c) random writes with max_open_zones=4 over twice the file: fio's
#      bytes and I/O counts; in iolab's write_iolog (and fio's) every write
#      is at its zone's write pointer or restarts a full zone, never more
#      than 4 zones are open, and the zone resets counted from the log are
#      the ones the write line reports
#  (d) numjobs=16 on one file share its zones: fio's bytes, no error
#  (e) the fio example stand-ins in tests/jobs/zbd/ run with fio's jobs,
#      groups and (size-bound) bytes
#  (f) attacks: a zone larger than the file fails the job in both; zone
#      capacity above the zone size, a missing zonesize, job_max_open_zones
#      alone, trimwrite, a trim bs other than zonesize, zbd knobs without
#      zonemode=zbd, a write larger than a zone, a zoneskip of part of a
#      zone and, with verify, a zonesize bs does not divide are refused at
#      load naming file, line and option
#  (g) --cmdhelp lists the zbd options with their help; --parse-only's
#      dump of them is a job file fio 3.33 accepts
#  (h) a non-zoned block device (a loop device on a scratch file, where one
#      can be attached): sequential writes at fio's offsets
# Real zoned block devices are refused (zbd_opts_check); this machine has
# none and no null_blk module to make one, so that refusal has no test.
. "$(dirname "$0")/common.inc"
need_fio

# pair NAME SIZE ARGS...: fio then iolab on a fresh SIZE-byte file each,
# JSON results and a write_iolog per tool in $T/NAME.{fio,iolab}.*
pair() {
	n=$1 sz=$2
	shift 2
	for tool in fio iolab; do
		rm -f "$T/$n.dat" "$T/$n.$tool.log"
		truncate -s "$sz" "$T/$n.dat" || fail "truncate"
		if [ $tool = fio ]; then cmd=fio; else cmd="$IOLAB --headless"; fi
		(cd "$T" && timeout 120 $cmd --output-format=json --output="$T/$n.$tool.json" \
			--name="$n" --filename="$T/$n.dat" --write_iolog="$T/$n.$tool.log" \
			--zonemode=zbd "$@" >/dev/null 2>"$T/$n.$tool.err") ||
			{ cat "$T/$n.$tool.err"; fail "$n: $tool failed"; }
	done
}

# check NAME WHAT ARG: python over fio's and iolab's results and logs
check() {
	python3 - "$T" "$1" "$2" "${3:-}" <<'PY' || fail "$1: $2"
import json, sys
T, name, what, arg = sys.argv[1:5]

def res(tool):
    t = open("%s/%s.%s.json" % (T, name, tool)).read()
    j = json.loads(t[t.index("{"):])["jobs"]
    return j

def ios(tool):
    out = []
    for line in open("%s/%s.%s.log" % (T, name, tool)):
        p = line.split()
        for i in (1, 2):
            if len(p) == i + 3 and p[i] in ("read", "write", "trim"):
                out.append((p[i], int(p[i + 1]), int(p[i + 2])))
    return out

def totals(tool):
    t = {}
    for jb in res(tool):
        assert jb["error"] == 0, "%s: %s job %s failed (%d)" % (name, tool, jb["jobname"], jb["error"])
        for d in ("read", "write", "trim"):
            b, n = t.get(d, (0, 0))
            t[d] = (b + jb[d]["io_bytes"], n + jb[d]["total_ios"])
    return t

def wp_walk(tool, zs, cap, maxopen, minbs):
    """Replays a write_iolog on emulated zones: every write at its zone's
    wp, or at the start of a zone too full for minbs (a reset); open zones
    (first write until one reaching the capacity) never above maxopen."""
    wp, opened, resets, peak = {}, set(), 0, 0
    for op, off, ln in ios(tool):
        if op != "write":
            continue
        z = off // zs
        start = z * zs
        w = wp.get(z, start)
        if off != w:
            assert off == start and w + minbs > start + cap, \
                "%s: %s wrote at %d, zone %d's wp is %d" % (name, tool, off, z, w)
            resets += 1
        assert off + ln <= start + cap, "%s: %s write past zone %d's capacity" % (name, tool, z)
        wp[z] = off + ln
        opened.add(z)
        peak = max(peak, len(opened))
        assert len(opened) <= maxopen, "%s: %s had %d zones open" % (name, tool, len(opened))
        if off + ln >= start + cap:
            opened.discard(z)
    return resets, peak

f, i = totals("fio"), totals("iolab")
if what == "same":
    assert f == i, "%s: fio moved %s, iolab %s" % (name, f, i)
    a, b = ios("fio"), ios("iolab")
    assert a, "%s: fio logged no I/O" % name
    assert a == b, "%s: offsets differ (first at I/O %d: fio %s, iolab %s)" % (
        name, next(k for k in range(min(len(a), len(b))) if a[k] != b[k]) if any(
            x != y for x, y in zip(a, b)) else min(len(a), len(b)), a[:1], b[:1])
    print("%s: %d I/Os at fio's offsets, %s" % (name, len(a), i))
elif what == "bytes":
    assert f == i, "%s: fio moved %s, iolab %s" % (name, f, i)
    print("%s: fio's bytes and I/Os %s" % (name, i))
elif what == "wp":
    zs, cap, maxopen, minbs, resets = (int(x) for x in arg.split(","))
    assert f == i, "%s: fio moved %s, iolab %s" % (name, f, i)
    rf, pf = wp_walk("fio", zs, cap, maxopen, minbs)
    ri, pi = wp_walk("iolab", zs, cap, maxopen, minbs)
    assert ri == resets, "%s: iolab's log shows %d resets, it reported %d" % (name, ri, resets)
    assert pi == maxopen, "%s: iolab never had %d zones open (%d)" % (name, maxopen, pi)
    print("%s: writes at the wps, <= %d zones open (fio %d resets, iolab %d), %s" % (
        name, maxopen, rf, ri, i))
PY
}

# (a) sequential writes at fio's offsets
pair seq2 8m --rw=write --bs=64k --zonesize=1m --max_open_zones=2
check seq2 same
pair cap 8m --rw=write --bs=64k --zonesize=1m --zonecapacity=768k
check cap same
pair bs96 8m --rw=write --bs=96k --zonesize=1m
check bs96 same
pair z100k 8m --rw=write --bs=48k --zonesize=100k
check z100k same
pair fitted 8m --rw=write --bs=64k --zonesize=1m --offset=100k --size=3m
check fitted same
pair aio 16m --rw=write --bs=128k --zonesize=1m --size=6m --max_open_zones=1 \
	--ioengine=libaio --iodepth=16 --direct=1
check aio same
pair skipw 16m --rw=write --bs=64k --zonesize=1m --zoneskip=1m
check skipw same
pair freq 8m --rw=write --bs=64k --zonesize=1m --io_size=16m --zone_reset_threshold=0.25 \
	--zone_reset_frequency=0.25
check freq same

# (b) reads below the write pointers (a writer group first)
readers() {
	n=$1
	shift
	for tool in fio iolab; do
		rm -f "$T/$n.dat"
		truncate -s 8m "$T/$n.dat"
		cat >"$T/$n.job" <<EOF
[global]
filename=$T/$n.dat
zonemode=zbd
zonesize=1m
bs=64k
[w]
rw=write
offset=2m
size=3m
[r]
stonewall
write_iolog=$T/$n.$tool.log
$*
EOF
		if [ $tool = fio ]; then cmd=fio; else cmd="$IOLAB --headless"; fi
		(cd "$T" && timeout 120 $cmd --output-format=json --output="$T/$n.$tool.json" \
			"$T/$n.job" >/dev/null 2>"$T/$n.$tool.err") ||
			{ cat "$T/$n.$tool.err"; fail "$n: $tool failed"; }
	done
}
readers seqread "rw=read"
check seqread same
readers randread "rw=randread"
check randread bytes
readers beyond "rw=read
read_beyond_wp=1"
check beyond same
readers skipr "rw=read
zoneskip=1m"
check skipr same
readers skipr2 "rw=read
size=8m
zoneskip=2m
offset=0
bs=32k"
check skipr2 same
readers trims "rw=trim
bs=1m
[r2]
stonewall
rw=read"
check trims same
readers rtrims "rw=randtrim
bs=1m
[r2]
stonewall
rw=randread"
check rtrims bytes
pair fresh 8m --rw=read --bs=64k --zonesize=1m
[ "$(json_get "$T/fresh.iolab.json" 'd["jobs"][0]["read"]["io_bytes"]')" = 0 ] &&
	[ "$(json_get "$T/fresh.fio.json" 'd["jobs"][0]["read"]["io_bytes"]')" = 0 ] ||
	fail "fresh: reads of empty zones moved data"

# (c) random writes: wps, open zones, resets
pair rand 16m --rw=randwrite --bs=64k --zonesize=1m --max_open_zones=4 --io_size=32m
rm -f "$T/rand.dat" && truncate -s 16m "$T/rand.dat"
"$IOLAB" --headless --name=rand --filename="$T/rand.dat" --zonemode=zbd --rw=randwrite \
	--bs=64k --zonesize=1m --max_open_zones=4 --io_size=32m >"$T/rand.txt" 2>&1 ||
	fail "rand: iolab failed (normal output)"
resets=$(sed -n 's/.*; \([0-9]*\) zone resets$/\1/p' "$T/rand.txt")
[ -n "$resets" ] || { cat "$T/rand.txt"; fail "rand: no zone resets on the write line"; }
check rand wp "1048576,1048576,4,65536,$resets"

# (d) sixteen jobs on one file
pair many 16m --rw=randwrite --bs=64k --zonesize=1m --max_open_zones=4 --size=4m \
	--numjobs=16 --group_reporting
check many bytes

# (e) the example stand-ins
for job in "$ROOT"/tests/jobs/zbd/*.fio; do
	b=$(basename "$job" .fio)
	for tool in fio iolab; do
		rm -f "$T/ex.dat" && truncate -s 64m "$T/ex.dat"
		if [ $tool = fio ]; then cmd=fio; else cmd="$IOLAB --headless"; fi
		(cd "$T" && ZBD_FILE="$T/ex.dat" timeout 120 $cmd --output-format=json \
			--output="$T/$b.$tool.json" "$job" >/dev/null 2>"$T/$b.$tool.err") ||
			{ cat "$T/$b.$tool.err"; fail "$b: $tool failed"; }
	done
	grep . "$T/$b.iolab.err" && fail "$b: iolab warned"
	timed=0
	grep -q '^time_based' "$job" && timed=1
	python3 - "$T/$b.fio.json" "$T/$b.iolab.json" "$b" "$timed" <<'PY' || fail "$b: differs from fio"
import json, sys
f = json.load(open(sys.argv[1]))["jobs"]
i = json.load(open(sys.argv[2]))["jobs"]
name, timed = sys.argv[3], sys.argv[4] == "1"
assert len(f) == len(i), "%s: fio reported %d jobs, iolab %d" % (name, len(f), len(i))
for a, b in zip(f, i):
    assert (a["jobname"], a["groupid"]) == (b["jobname"], b["groupid"]), (a["jobname"], b["jobname"])
    assert a["error"] == 0 and b["error"] == 0, (a["error"], b["error"])
    for d in ("read", "write"):
        assert (a[d]["io_bytes"] > 0) == (b[d]["io_bytes"] > 0), (name, a["jobname"], d)
        assert timed or a[d]["io_bytes"] == b[d]["io_bytes"], (name, a["jobname"], d,
            a[d]["io_bytes"], b[d]["io_bytes"])
print("%s: fio's jobs, groups and %s" % (name, "directions" if timed else "bytes"))
PY
done

# (f) attacks
rm -f "$T/small.dat" && truncate -s 512k "$T/small.dat"
run_iolab --headless --name=small --filename="$T/small.dat" --zonemode=zbd --zonesize=1m \
	--rw=write --bs=64k
[ $rc -ne 0 ] && grep -q 'less than zonesize' "$T/out" "$T/err" ||
	{ cat "$T/out" "$T/err"; fail "small: a zone larger than the file was not refused"; }
fio --name=small --filename="$T/small.dat" --zonemode=zbd --zonesize=1m --rw=write \
	--bs=64k >/dev/null 2>&1 && fail "small: fio accepted it (the test's premise)"
refuse() {
	want=$1
	shift
	printf '[global]\nfilename=%s/x.dat\n[j]\nrw=write\n' "$T" >"$T/bad.fio"
	for kv in "$@"; do echo "$kv" >>"$T/bad.fio"; done
	line=$(grep -n "^$want=" "$T/bad.fio" | cut -d: -f1)
	run_iolab --parse-only "$T/bad.fio"
	[ $rc -ne 0 ] || fail "$want: accepted ($*)"
	grep -q "bad.fio:$line: $want" "$T/err" ||
		{ cat "$T/err"; fail "$want: refusal does not name bad.fio:$line and $want"; }
}
refuse zonecapacity zonemode=zbd zonesize=1m zonecapacity=2m
refuse zonemode zonemode=zbd
refuse job_max_open_zones zonemode=zbd zonesize=1m job_max_open_zones=2
# what fio takes silently and ignores is taken, with a warning at its line
warned() {
	want=$1
	shift
	printf '[global]\nfilename=%s/x.dat\n[j]\nrw=write\n' "$T" >"$T/warn.fio"
	for kv in "$@"; do echo "$kv" >>"$T/warn.fio"; done
	line=$(grep -n "^$want=" "$T/warn.fio" | cut -d: -f1)
	run_iolab --parse-only "$T/warn.fio"
	[ $rc -eq 0 ] || { cat "$T/err"; fail "$want: refused ($*); fio takes it"; }
	grep -q "warn.fio:$line: $want: no effect" "$T/err" ||
		{ cat "$T/err"; fail "$want: no warning naming warn.fio:$line"; }
	fio --parse-only "$T/warn.fio" >/dev/null 2>&1 || fail "$want: fio refuses it (the test's premise)"
}
warned max_open_zones max_open_zones=4
warned read_beyond_wp read_beyond_wp=1
warned zonerange zonemode=zbd zonesize=1m zonerange=4m
refuse bs zonemode=zbd zonesize=100k verify=crc32c bs=64k
refuse bs zonemode=zbd zonesize=1m bs=2m
refuse zoneskip zonemode=zbd zonesize=1m zoneskip=100k
refuse bs zonemode=zbd zonesize=1m rw=randtrim bs=64k
printf '[j]\nfilename=%s/x.dat\nrw=trimwrite\nzonemode=zbd\nzonesize=1m\nbs=1m\n' "$T" >"$T/tw.fio"
run_iolab --parse-only "$T/tw.fio"
[ $rc -ne 0 ] && grep -q 'trimwrite' "$T/err" || fail "trimwrite with zonemode=zbd was not refused"

# (g) --cmdhelp
for o in zonecapacity max_open_zones job_max_open_zones ignore_zone_limits \
	zone_reset_threshold zone_reset_frequency read_beyond_wp; do
	run_iolab --cmdhelp="$o"
	[ $rc -eq 0 ] && grep -q "zonemode=zbd" "$T/out" ||
		{ cat "$T/out" "$T/err"; fail "--cmdhelp=$o: no help"; }
	grep -q 'no effect' "$T/out" && fail "--cmdhelp=$o still says no effect"
done
# ... and iolab's dump of them is a job file fio 3.33 takes
run_iolab --parse-only --name=dump --filename="$T/x.dat" --zonemode=zbd --zonesize=1m \
	--zonecapacity=512k --max_open_zones=3 --job_max_open_zones=1 --ignore_zone_limits=1 \
	--zone_reset_threshold=0.3 --zone_reset_frequency=0.01 --read_beyond_wp=1 --zoneskip=2m
[ $rc -eq 0 ] && grep -q '^zone_reset_frequency=0.01$' "$T/out" || { cat "$T/err"; fail "dump"; }
fio --parse-only "$T/out" >/dev/null 2>"$T/dump.err" || { cat "$T/dump.err"; fail "fio refuses the dump"; }
# (h) a non-zoned block device
loopdev=
if command -v losetup >/dev/null 2>&1 && truncate -s 8m "$T/loop.img" &&
	loopdev=$(losetup -f --show "$T/loop.img" 2>/dev/null); then
	trap 'losetup -d "$loopdev" 2>/dev/null' EXIT INT TERM
	for tool in fio iolab; do
		dd if=/dev/zero of="$loopdev" bs=1M count=8 conv=fsync status=none
		if [ $tool = fio ]; then cmd=fio; else cmd="$IOLAB --headless"; fi
		timeout 120 $cmd --output-format=json --output="$T/blk.$tool.json" --name=blk \
			--filename="$loopdev" --write_iolog="$T/blk.$tool.log" --zonemode=zbd \
			--zonesize=1m --rw=write --bs=64k --max_open_zones=2 --direct=1 \
			>/dev/null 2>"$T/blk.$tool.err" || { cat "$T/blk.$tool.err"; fail "blk: $tool failed"; }
	done
	check blk same
else
	echo "note: no loop device could be attached; the block device case did not run"
fi
echo "ok: zonemode=zbd side by side with fio 3.33"
