#!/bin/sh
# fio's timing and verify-state semantics, side by side: fio 3.33 and iolab
# run the same job files (each in its own scratch directory, relative file
# names) and the figures are compared:
#  (1) ramp_time: ramp I/O is left out of the stats and the iops log
#  (2) loops with and without a runtime that ends first
#  (3) time_based / runtime with verify
#  (4) io_size above and below size
#  (5) offset_increment with numjobs=3 (offsets per clone, from write_iolog)
#  (6) file_service_type orders (from write_iolog), and what iolab refuses
#  (7) verify_state_save / verify_state_load after an interrupted write job
. "$(dirname "$0")/common.inc"
need_fio

mkdir -p "$T/f" "$T/i" || fail "mkdir"

# fio_run / iolab_run NAME JOBFILE [ARGS]: JSON in $T/{f,i}/NAME.json,
# stdout+stderr in NAME.out, exit status in $rc
fio_run() {
	n=$1 j=$2
	shift 2
	(cd "$T/f" && timeout 60 fio --output-format=json --output="$n.json" "$@" "$j" \
		>"$n.out" 2>&1)
	rc=$?
}
iolab_run() {
	n=$1 j=$2
	shift 2
	(cd "$T/i" && timeout 60 "$IOLAB" --headless --output-format=json --output="$n.json" \
		"$@" "$j" >"$n.out" 2>&1)
	rc=$?
}
both() {
	fio_run "$@"
	[ "$rc" = 0 ] || { cat "$T/f/$1.out"; fail "$1: fio failed ($rc)"; }
	iolab_run "$@"
	[ "$rc" = 0 ] || { cat "$T/i/$1.out"; fail "$1: iolab failed ($rc)"; }
}

# python helpers: J(tool, name) the jobs of a run; iolog(path) the sections
# of an iolog (v2 or fio's v3 with timestamps; fio 3.33 appends one section
# per numjobs clone to the same file) as lists of (file, action, off, len)
cat >"$T/fs.py" <<'PY'
import json, os, sys
T = os.environ["T"]
def J(tool, name):
    # fio puts its warnings (time_based with verify) ahead of the JSON
    s = open(os.path.join(T, tool, name + ".json")).read()
    return json.loads(s[s.index("{"):])["jobs"]
def io(j, d):
    return j[d]["io_bytes"]
def iolog(path):
    secs = []
    for line in open(path):
        t = line.split()
        if not t:
            continue
        if line.startswith("fio version"):
            v3 = t[2] == "3"
            secs.append([])
            continue
        if v3:
            t = t[1:]
        f, a = os.path.basename(t[0]), t[1]
        if a in ("read", "write", "trim", "sync", "datasync"):
            secs[-1].append((f, a, int(t[2]), int(t[3])))
    return secs
def ios(secs):
    return [x for s in secs for x in s if x[1] in ("read", "write", "trim")]
def near(a, b, tol):
    return abs(a - b) <= tol * max(a, b, 1)
PY
export T
py() { PYTHONPATH=$T python3 - "$@"; }

# ---- (1) ramp_time -------------------------------------------------------
cat >"$T/ramp.fio" <<'EOF'
[ramp]
filename=ramp.dat
size=16m
rw=randwrite
bs=4k
ramp_time=1s
runtime=2s
time_based
rate_iops=500
write_iops_log=ramp
log_avg_msec=100
EOF
both ramp "$T/ramp.fio"
py <<'PY' || fail "(1) ramp_time"
from fs import *
f, i = J("f", "ramp")[0], J("i", "ramp")[0]
nf, ni = f["write"]["total_ios"], i["write"]["total_ios"]
# 2 s at 500/s after the ramp: ~1000, not the ~1500 a counted ramp would give
for who, n in (("fio", nf), ("iolab", ni)):
    assert 900 <= n <= 1100, "%s counted %d I/Os, expected ~1000 (ramp excluded)" % (who, n)
assert near(nf, ni, 0.05), (nf, ni)
def last_t(tool):
    rows = [l.split(",") for l in open(os.path.join(T, tool, "ramp_iops.1.log"))]
    return int(rows[0][0]), int(rows[-1][0]), len(rows)
ff, fl, fn = last_t("f")
i0, il, inn = last_t("i")
# timestamps count from the end of the ramp: the last is ~2000 ms, not ~3000
for who, a, b in (("fio", ff, fl), ("iolab", i0, il)):
    assert a <= 300 and 1500 <= b <= 2300, "%s iops log spans %d..%d ms" % (who, a, b)
assert abs(fn - inn) <= 2, (fn, inn)
print("ok (1) ramp_time=1s runtime=2s rate_iops=500: I/Os iolab %d, fio %d; "
      "iops log %d..%d ms (%d rows), fio %d..%d ms (%d rows)" % (ni, nf, i0, il, inn, ff, fl, fn))
PY

# ---- (2) loops, runtime --------------------------------------------------
cat >"$T/loops.fio" <<'EOF'
[global]
filename=loops.dat
size=1m
bs=16k
rw=write
[l3]
loops=3
write_iolog=l3.log
[l3rt]
stonewall
size=4m
bs=4k
loops=3
runtime=1s
rate_iops=1000
EOF
both loops "$T/loops.fio"
py <<'PY' || fail "(2) loops"
from fs import *
f, i = J("f", "loops"), J("i", "loops")
assert io(f[0], "write") == io(i[0], "write") == 3 << 20, (io(f[0], "write"), io(i[0], "write"))
a = [x[2:] for x in ios(iolog(os.path.join(T, "f", "l3.log")))]
b = [x[2:] for x in ios(iolog(os.path.join(T, "i", "l3.log")))]
assert a == b, "loops=3: I/O sequence differs (%d vs %d I/Os)" % (len(a), len(b))
wf, wi = io(f[1], "write"), io(i[1], "write")
assert wf < 12 << 20 and wi < 12 << 20, (wf, wi)
assert near(wf, wi, 0.05), "runtime-bound loops: fio %d, iolab %d bytes" % (wf, wi)
print("ok (2) loops=3: %d bytes, %d I/Os in fio's order; loops=3 ended by runtime=1s: "
      "iolab %d, fio %d bytes" % (io(i[0], "write"), len(b), wi, wf))
PY

# ---- (3) time_based / runtime with verify --------------------------------
# Where the write phase ends before runtime, both verify every block after
# it, with the same bytes. When runtime runs out first, fio 3.33 skips the
# verify phase ("verification read phase will never start because write
# phase uses all of runtime"); iolab verifies after the timed phase, once per
# block written (the issue asks for this), and the test checks that.
cat >"$T/tbv.fio" <<'EOF'
[global]
bs=4k
verify=crc32c
[short]
filename=short.dat
size=256k
rw=randwrite
runtime=10s
[tb]
stonewall
filename=tb.dat
size=256k
rw=write
time_based
runtime=500ms
rate_iops=1000
[cut]
stonewall
filename=cut.dat
size=1m
rw=write
runtime=300ms
rate_iops=500
EOF
both tbv "$T/tbv.fio"
py <<'PY' || fail "(3) time_based with verify"
from fs import *
f, i = J("f", "tbv"), J("i", "tbv")
for j in f + i:
    assert j["error"] == 0, (j["jobname"], j["error"])
# write phase inside runtime: same written and verified bytes
assert io(f[0], "write") == io(i[0], "write") == 256 << 10
assert io(f[0], "read") == io(i[0], "read") == 256 << 10, (io(f[0], "read"), io(i[0], "read"))
# time_based: ~500 writes looping over 64 blocks, then each block verified once
wf, wi = io(f[1], "write"), io(i[1], "write")
assert near(wf, wi, 0.05), (wf, wi)
assert io(i[1], "read") == 256 << 10, "time_based: iolab verified %d bytes" % io(i[1], "read")
# runtime ends the write: what was written is verified
assert near(io(f[2], "write"), io(i[2], "write"), 0.05), (io(f[2], "write"), io(i[2], "write"))
assert io(i[2], "read") == io(i[2], "write"), (io(i[2], "read"), io(i[2], "write"))
print("ok (3) verify after the write phase: %d bytes (fio %d); time_based: wrote %d (fio %d), "
      "verified %d (fio %d); cut by runtime: wrote %d (fio %d), verified %d (fio %d)"
      % (io(i[0], "read"), io(f[0], "read"), wi, wf, io(i[1], "read"), io(f[1], "read"),
         io(i[2], "write"), io(f[2], "write"), io(i[2], "read"), io(f[2], "read")))
PY

# ---- (4) io_size vs size -------------------------------------------------
cat >"$T/ios.fio" <<'EOF'
[global]
filename=ios.dat
size=1m
bs=4k
[big]
rw=write
io_size=3m
write_iolog=big.log
[bigrand]
stonewall
rw=randwrite
io_size=3m
[small]
stonewall
rw=randread
io_size=256k
[smallseq]
stonewall
rw=read
bs=8k
io_size=300k
write_iolog=smallseq.log
EOF
both ios "$T/ios.fio"
py <<'PY' || fail "(4) io_size"
from fs import *
f, i = J("f", "ios"), J("i", "ios")
out = []
for a, b in zip(f, i):
    tf = io(a, "read") + io(a, "write")
    ti = io(b, "read") + io(b, "write")
    assert tf == ti, "%s: fio %d bytes, iolab %d" % (a["jobname"], tf, ti)
    out.append("%s %d" % (a["jobname"], ti))
for log in ("big.log", "smallseq.log"):
    a = [x[2:] for x in ios(iolog(os.path.join(T, "f", log)))]
    b = [x[2:] for x in ios(iolog(os.path.join(T, "i", log)))]
    assert a == b, "%s: offsets differ from fio's" % log
print("ok (4) io_size, bytes as fio: %s; sequential offsets as fio's" % ", ".join(out))
PY

# ---- (5) offset_increment, numjobs=3 -------------------------------------
# fio 3.33 appends every clone's log to the one write_iolog file (a
# "fio version 3 iolog" header each, in the order they finish); iolab writes
# FILE.N per clone. Compared: the set of offsets of each clone.
cat >"$T/oi.fio" <<'EOF'
[oi]
filename=oi.dat
size=64k
bs=4k
rw=randwrite
offset=256k
offset_increment=1m
numjobs=3
write_iolog=oi.log
EOF
both oi "$T/oi.fio"
py <<'PY' || fail "(5) offset_increment"
from fs import *
fs_ = iolog(os.path.join(T, "f", "oi.log"))
assert len(fs_) == 3, "fio's oi.log: %d sections" % len(fs_)
fset = sorted(sorted(x[2] for x in s) for s in fs_)
iset = []
for k in range(3):
    s = iolog(os.path.join(T, "i", "oi.log.%d" % k))
    assert len(s) == 1, "oi.log.%d: %d sections" % (k, len(s))
    iset.append(sorted(x[2] for x in s[0]))
# clone k: offset + k * offset_increment, 16 blocks each
for k, s in enumerate(iset):
    assert s[0] == (256 << 10) + k * (1 << 20) and len(s) == 16, (k, s[0], len(s))
assert sorted(iset) == fset, "offsets per clone differ from fio's"
print("ok (5) offset_increment=1m numjobs=3: clones start at %s, 16 offsets each, as fio"
      % ", ".join(str(s[0]) for s in iset))
PY

# ---- (6) file_service_type -----------------------------------------------
types="roundrobin sequential roundrobin:2 random random:4"
for m in nrfiles filename; do
	: >"$T/fst.fio"
	k=0
	for t in $types; do
		mkdir -p "$T/f/fst$k" "$T/i/fst$k" || fail "mkdir"
		if [ $m = nrfiles ]; then
			files="directory=fst$k
nrfiles=3
filesize=32k"
		else
			files="filename=fst$k/a:fst$k/b:fst$k/c
size=96k"
		fi
		cat >>"$T/fst.fio" <<EOF
[fst$k]
$files
bs=4k
rw=write
file_service_type=$t
write_iolog=fst$k.log
EOF
		k=$((k + 1))
	done
	rm -f "$T"/f/fst*.log* "$T"/i/fst*.log*
	both fst "$T/fst.fio"
	py "$m" $types <<'PY' || fail "(6) file_service_type ($m)"
from fs import *
m = sys.argv[1]
for k, t in enumerate(sys.argv[2:]):
    a = [x[0] for x in ios(iolog(os.path.join(T, "f", "fst%d.log" % k)))]
    il = os.path.join(T, "i", "fst%d.log" % k)
    b = [x[0] for x in ios(iolog(il + ".0" if os.path.exists(il + ".0") else il))]
    assert len(a) == len(b) == 24, (t, len(a), len(b))
    names = sorted(set(a))
    short = lambda s: "".join(str(names.index(x)) for x in s)
    if t.startswith("random"):
        n = int(t.split(":")[1]) if ":" in t else 1
        for who, s in (("fio", a), ("iolab", b)):
            # every file gets its 8 blocks, N I/Os at a time
            assert all(s.count(x) == 8 for x in names), (who, t, short(s))
            runs, i = [], 0
            while i < len(s):
                e = i
                while e < len(s) and s[e] == s[i]:
                    e += 1
                runs.append(e - i)
                i = e
            assert all(r % n == 0 for r in runs), (who, t, short(s))
            # random: the choice moves around, not one file after the other
            assert n > 1 or who == "fio" or len(runs) > 6, (who, t, short(s))
        print("ok (6) file_service_type=%s, %s: iolab %s (fio %s)" % (t, m, short(b), short(a)))
    else:
        assert a == b, "%s: fio %s, iolab %s" % (t, short(a), short(b))
        print("ok (6) file_service_type=%s, %s: %s as fio" % (t, m, short(b)))
PY
done
iolab_run fstz "$T/fst.fio" --file_service_type=zipf:1.2
[ "$rc" = 1 ] || fail "file_service_type=zipf:1.2: exit $rc, expected 1"
grep -q "zipf file selection is not supported" "$T/i/fstz.out" ||
	{ cat "$T/i/fstz.out"; fail "file_service_type=zipf: no message"; }
echo "ok (6) refused: $(head -n1 "$T/i/fstz.out")"

# ---- (7) verify_state_save / verify_state_load ---------------------------
# The write job is cut by runtime (fio saves its state when the job ends
# early; iolab saves at the end of the write phase), then verify_only=1 with
# verify_state_load=1 checks just the blocks written: the reads equal the
# bytes written (a full 2m check would fail on the blocks never written).
cat >"$T/vw.fio" <<'EOF'
[vs]
filename=vs.dat
size=2m
bs=4k
rw=randwrite
verify=crc32c
verify_state_save=1
runtime=300ms
rate_iops=1000
write_iolog=w.log
EOF
sed -e 's/^verify_state_save=1$/verify_only=1\nverify_state_load=1/' -e '/^write_iolog/d' \
	-e '/^runtime/d' "$T/vw.fio" >"$T/vv.fio"
both vw "$T/vw.fio"
both vv "$T/vv.fio"
py <<'PY' || fail "(7) verify_state_load"
from fs import *
out = []
for tool in ("f", "i"):
    w, v = J(tool, "vw")[0], J(tool, "vv")[0]
    logged = sum(x[3] for x in ios(iolog(os.path.join(T, tool, "w.log"))) if x[1] == "write")
    assert 0 < io(w, "write") < 2 << 20, (tool, io(w, "write"))
    assert io(v, "read") == io(w, "write") == logged, (tool, io(v, "read"), io(w, "write"), logged)
    assert v["error"] == 0, (tool, v["error"])
    out.append("%d of %d written bytes verified" % (io(v, "read"), io(w, "write")))
print("ok (7) verify_state_load: iolab %s; fio %s" % (out[1], out[0]))
PY
# a corrupted block among those written: exit 1, naming its offset
for tool in f i; do
	off=$(grep ' write ' "$T/$tool/w.log" | sed -n 20p | awk '{print $(NF-1)}')
	[ -n "$off" ] || fail "$tool: no 20th write in w.log"
	printf 'XXXXXXXX' | dd of="$T/$tool/vs.dat" bs=1 seek=$((off + 100)) conv=notrunc \
		status=none || fail "dd"
	if [ $tool = f ]; then fio_run vbad "$T/vv.fio"; else iolab_run vbad "$T/vv.fio"; fi
	[ "$rc" = 1 ] || { cat "$T/$tool/vbad.out"; fail "$tool: corrupted block: exit $rc, expected 1"; }
	grep -q "offset $off\b" "$T/$tool/vbad.out" ||
		{ cat "$T/$tool/vbad.out"; fail "$tool: the failure does not name offset $off"; }
	eval "off_$tool=$off"
done
echo "ok (7) corrupted block: exit 1 naming offset $off_i (fio: offset $off_f)"
echo "    iolab: $(grep -m1 "offset $off_i" "$T/i/vbad.out" | cut -c1-110)..."
# the verify stops at the first bad block, as fio's (sequential: same bytes)
printf '[seq]\nfilename=seq.dat\nsize=1m\nbs=4k\nrw=write\nverify=crc32c\n' >"$T/sw.fio"
sed 's/^verify=crc32c$/verify=crc32c\nverify_only=1/' "$T/sw.fio" >"$T/sv.fio"
both sw "$T/sw.fio"
for tool in f i; do
	printf 'XXXX' | dd of="$T/$tool/seq.dat" bs=1 seek=$((524288 + 100)) conv=notrunc \
		status=none || fail "dd"
done
fio_run sv "$T/sv.fio"
[ "$rc" = 1 ] || fail "fio: verify_only of a bad block: exit $rc"
iolab_run sv "$T/sv.fio"
[ "$rc" = 1 ] || fail "iolab: verify_only of a bad block: exit $rc"
py <<'PY' || fail "(7) first bad block"
from fs import *
f, i = J("f", "sv")[0], J("i", "sv")[0]
assert io(f, "read") == io(i, "read") == 528384, (io(f, "read"), io(i, "read"))
print("ok (7) verify stops at the first bad block (offset 524288): read %d bytes, fio %d"
      % (io(i, "read"), io(f, "read")))
PY

# what iolab refuses: a missing state file, a state written with another verify
mkdir -p "$T/i/empty"
(cd "$T/i/empty" && timeout 60 "$IOLAB" --headless --output="$T/i/vmiss.json" "$T/vv.fio" >../vmiss.out 2>&1)
rc=$?
[ "$rc" = 1 ] || fail "missing state file: exit $rc"
grep -q "verify_state_load: vs-verify.state: No such file" "$T/i/vmiss.out" ||
	{ cat "$T/i/vmiss.out"; fail "missing state file: no message"; }
sed 's/^verify=crc32c$/verify=md5/' "$T/vv.fio" >"$T/vmd5.fio"
iolab_run vmd5 "$T/vmd5.fio"
[ "$rc" = 1 ] || fail "state with another verify: exit $rc"
grep -q "written with verify=crc32c" "$T/i/vmd5.out" ||
	{ cat "$T/i/vmd5.out"; fail "state with another verify: no message"; }
echo "ok (7) refused: $(head -n1 "$T/i/vmiss.out")"
echo "ok (7) refused: $(head -n1 "$T/i/vmd5.out")"

# iolab only (fio 3.33 takes SIGINT badly before its jobs start): SIGINT
# during the write phase saves the state too
sed -e '/^runtime/d' -e 's/^rate_iops=1000$/rate_iops=500/' "$T/vw.fio" >"$T/vsig.fio"
mkdir -p "$T/i/sig"
(cd "$T/i/sig" && exec timeout 60 "$IOLAB" --headless --output-format=json --output=w.json \
	"$T/vsig.fio" >w.out 2>&1) &
pid=$!
# SIGINT once the write phase is under way (iolab's w.log fills 4 KiB at a time)
k=0
while [ "$({ wc -c <"$T/i/sig/w.log"; } 2>/dev/null || echo 0)" -lt 4096 ] && [ $k -lt 200 ]; do
	sleep 0.05
	k=$((k + 1))
done
kill -INT $pid 2>/dev/null
wait $pid
rc=$?
[ "$rc" = 130 ] || [ "$rc" = 0 ] || { cat "$T/i/sig/w.out"; fail "SIGINT: exit $rc"; }
(cd "$T/i/sig" && timeout 60 "$IOLAB" --headless --output-format=json --output=v.json \
	"$T/vv.fio" >v.out 2>&1) || { cat "$T/i/sig/v.out"; fail "verify after SIGINT failed"; }
py <<'PY' || fail "(7) SIGINT"
from fs import *
w, v = J("i/sig", "w")[0], J("i/sig", "v")[0]
assert 0 < io(w, "write") < 2 << 20, io(w, "write")
assert io(w, "read") == 0, io(w, "read")
assert io(v, "read") == io(w, "write"), (io(v, "read"), io(w, "write"))
print("ok (7) SIGINT after %d bytes: state saved, verify_state_load verified %d"
      % (io(w, "write"), io(v, "read")))
PY
echo "ok: fio semantics"
