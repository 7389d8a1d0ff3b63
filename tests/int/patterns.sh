#!/bin/sh
# Issue 15's patterns and layout, side by side with fio 3.33 on scratch
# files: the same options go to both tools and their write_iolog offsets,
# bytes, files and unique-block shares are compared.
#  (a) rw=read:-8k backwards reads and forward holes: identical offsets,
#      loops=N included (a stream ended on bytes goes on in the next loop)
#  (b) zonemode=strided: identical offsets (sequential, loops=N too);
#      random draws stay in each zone's range in both
#  (c) random_generator=lfsr: every block exactly once in both
#  (d) random_distribution=zoned / zoned_abs: shares within 3 points of
#      fio's, every offset inside its zones' span
#  (e) buffer_pattern: byte-identical files
#  (f) dedupe_percentage / dedupe_mode / dedupe_global: unique 4k-block
#      shares within 3 points of fio's
#  (g) filename_format: the same file names
#  (h) flow / flow_sleep: the 1:8 I/O ratio of fio's flow example, within
#      15% of fio's own ratio
#  (i) serialize_overlap: fio's bytes; never more in flight than blocks
#  (j) refusals name file, line and option
. "$(dirname "$0")/common.inc"
need_fio

# both NAME ARGS...: run fio and iolab on $T/NAME.{fio,iolab}.dat (as they
# are: see pre) with a write_iolog each; fails if either tool fails.
both() {
	n=$1
	shift
	rm -f "$T/$n".*.log "$T/$n".*.json
	(cd "$T" && timeout 120 fio --name="$n" --filename="$T/$n.fio.dat" \
		--write_iolog="$T/$n.fio.log" --output-format=json --output="$T/$n.fio.json" \
		"$@" >/dev/null 2>"$T/$n.fio.err") || { cat "$T/$n.fio.err"; fail "$n: fio failed"; }
	(cd "$T" && timeout 120 "$IOLAB" --headless --name="$n" --filename="$T/$n.iolab.dat" \
		--write_iolog="$T/$n.iolab.log" --output-format=json --output="$T/$n.iolab.json" \
		"$@" >/dev/null 2>"$T/$n.iolab.err") || { cat "$T/$n.iolab.err"; fail "$n: iolab failed"; }
}

# pre NAME SIZE: both tools' target files exist with SIZE bytes first
pre() {
	rm -f "$T/$1".*
	truncate -s "$2" "$T/$1.fio.dat" "$T/$1.iolab.dat" || fail "truncate"
}

# Offsets (and lengths) of the logged reads/writes/trims, one a line.
ios() {
	python3 - "$1" <<'PY'
import sys
for line in open(sys.argv[1]):
    p = line.split()
    for i in (1, 2):
        if len(p) == i + 3 and p[i] in ("read", "write", "trim"):
            print(p[i], p[i + 1], p[i + 2])
PY
}

same_offsets() {
	n=$1
	ios "$T/$n.fio.log" >"$T/$n.fio.io"
	ios "$T/$n.iolab.log" >"$T/$n.iolab.io"
	[ -s "$T/$n.fio.io" ] || fail "$n: fio logged no I/O"
	cmp -s "$T/$n.fio.io" "$T/$n.iolab.io" ||
		{ diff "$T/$n.fio.io" "$T/$n.iolab.io" | head -8; fail "$n: offsets differ from fio's"; }
	echo "$n: $(wc -l <"$T/$n.fio.io") I/Os at fio's offsets"
}

# (a) backwards and holes
both back --size=128k --bs=4k --rw=read:-8k
same_offsets back
pre backoff 1m
both backoff --size=128k --bs=4k --rw=read:-8k --offset=64k
same_offsets backoff
both backw --size=128k --bs=4k --rw=write:-16k
same_offsets backw
both holeoff --size=128k --bs=4k --rw=read:8k --offset=64k
same_offsets holeoff
pre backloops 1m
both backloops --size=128k --bs=4k --rw=read:-8k --offset=64k --loops=3
same_offsets backloops
both holeloops --size=128k --bs=4k --rw=read:8k --loops=2
same_offsets holeloops

# (b) strided zones
pre zseq 1m
both zseq --size=256k --bs=4k --rw=read --zonemode=strided --zonesize=16k --zoneskip=32k
same_offsets zseq
both zwrap --size=256k --bs=4k --rw=write --zonemode=strided --zonesize=8k --zonerange=16k \
	--zoneskip=48k
same_offsets zwrap
pre ztwice 1m
both ztwice --size=256k --bs=4k --rw=read --zonemode=strided --zonesize=32k --zonerange=16k \
	--zoneskip=16k
same_offsets ztwice
pre zback 1m
both zback --size=256k --bs=4k --rw=read:-8k --zonemode=strided --zonesize=16k --zonerange=32k \
	--zoneskip=16k
same_offsets zback
pre zloops 1m
both zloops --size=128k --bs=4k --rw=read --zonemode=strided --zonesize=16k --zoneskip=32k --loops=2
same_offsets zloops
pre zrand 1m
both zrand --size=256k --bs=4k --rw=randread --zonemode=strided --zonesize=16k --zonerange=32k \
	--zoneskip=16k
for t in fio iolab; do
	ios "$T/zrand.$t.log" | python3 -c '
import sys
offs = [int(l.split()[1]) for l in sys.stdin]
assert len(offs) == 64, len(offs)
for i, o in enumerate(offs):
    z = (i // 4) * 48 * 1024
    assert z <= o and o + 4096 <= z + 32 * 1024, (i, o)
for k in range(0, 64, 4):
    assert len(set(offs[k:k + 4])) == 4, offs[k:k + 4]
' || fail "zrand: $t's random I/O left its zone"
done
echo "zrand: 64 random I/Os inside their zones in both"

# (c) lfsr
both lfsr --size=1000k --bs=4k --rw=randread --random_generator=lfsr --norandommap
for t in fio iolab; do
	ios "$T/lfsr.$t.log" | python3 -c '
import sys
offs = [int(l.split()[1]) for l in sys.stdin]
assert sorted(offs) == [b * 4096 for b in range(250)], (len(offs), len(set(offs)))
' || fail "lfsr: $t did not read each of the 250 blocks once"
done
echo "lfsr: each of 250 blocks read exactly once by both"

# (d) zoned and zoned_abs
shares() {
	python3 - "$T/$1.fio.log" "$T/$1.iolab.log" "$2" "$3" <<'PY'
import sys
M = 1 << 20
bounds = [float(x) * M for x in sys.argv[3].split(",")]
act = sys.argv[4]
res = []
for path in sys.argv[1:3]:
    offs = []
    for line in open(path):
        p = line.split()
        if act in p[1:3]:
            offs.append(int(p[p.index(act) + 1]))
    assert offs and all(bounds[0] <= o < bounds[-1] for o in offs), path
    res.append([sum(1 for o in offs if a <= o < b) / len(offs)
                for a, b in zip(bounds, bounds[1:])])
for f, i in zip(*res):
    assert abs(f - i) < 0.03, res
print("fio %s, iolab %s" % tuple(" ".join("%.3f" % x for x in r) for r in res))
PY
}
both zoned --size=64m --bs=4k --rw=randread --norandommap --io_size=40m \
	--random_distribution=zoned:50/5:30/15:20/
r=$(shares zoned 0,3.2,12.8,64 read) || fail "zoned: shares differ from fio's"
echo "zoned 50/5:30/15:20/: $r"
both zabs --size=64m --bs=4k --rw=randrw --io_size=80m --random_distribution=zoned_abs:60/4m:30/16m:10/44m
r=$(shares zabs 0,4,20,64 read) || fail "zoned_abs: read shares differ from fio's"
echo "zoned_abs reads: $r"
r=$(shares zabs 0,4,20,64 write) || fail "zoned_abs: write shares differ from fio's"
echo "zoned_abs writes: $r"

# (e) buffer_pattern
both pat --size=256k --bs=4k --rw=write --buffer_pattern=0xdeadbeef
cmp -s "$T/pat.fio.dat" "$T/pat.iolab.dat" || fail "pat: file differs from fio's"
both patrw --size=256k --bsrange=1k-16k --rw=randrw --ioengine=libaio --iodepth=4 \
	'--buffer_pattern="abc"12'
cmp -s "$T/patrw.fio.dat" "$T/patrw.iolab.dat" || fail "patrw: file differs from fio's"
echo "buffer_pattern: files byte-identical to fio's (write, randrw)"

# (f) dedupe
uniq_share() {
	python3 - "$@" <<'PY'
import sys, hashlib
tot = 0
seen = set()
for path in sys.argv[1:]:
    data = open(path, "rb").read()
    for i in range(0, len(data), 4096):
        seen.add(hashlib.md5(data[i:i + 4096]).digest())
        tot += 1
print("%.3f" % (len(seen) / tot))
PY
}
close_to() { python3 -c "import sys; sys.exit(abs($1 - $2) >= 0.03)"; }
for args in "--dedupe_percentage=50" \
	"--dedupe_percentage=30 --dedupe_mode=working_set --dedupe_working_set_percentage=20" \
	"--dedupe_percentage=80 --ioengine=libaio --iodepth=8"; do
	# shellcheck disable=SC2086
	both dd --size=16m --bs=4k --rw=write $args
	f=$(uniq_share "$T/dd.fio.dat") && i=$(uniq_share "$T/dd.iolab.dat") || fail "dd: no files"
	close_to "$f" "$i" || fail "dedupe $args: unique share $i, fio's $f"
	echo "dedupe $args: unique share iolab $i, fio $f"
done
mkdir -p "$T/fg" "$T/ig"
(cd "$T" && fio --name=g --directory="$T/fg" --numjobs=2 --size=16m --bs=4k --rw=write \
	--dedupe_percentage=50 --dedupe_mode=working_set --dedupe_working_set_percentage=50 \
	--dedupe_global=1 >/dev/null 2>&1) || fail "dedupe_global: fio failed"
run_iolab --headless --name=g --directory="$T/ig" --numjobs=2 --size=16m --bs=4k --rw=write \
	--dedupe_percentage=50 --dedupe_mode=working_set --dedupe_working_set_percentage=50 \
	--dedupe_global=1
[ "$rc" = 0 ] || { cat "$T/err"; fail "dedupe_global: iolab failed"; }
for s in "g.0.0" "g.1.0" "g.0.0 g.1.0"; do
	f=$(cd "$T/fg" && uniq_share $s) && i=$(cd "$T/ig" && uniq_share $s) || fail "no files"
	close_to "$f" "$i" || fail "dedupe_global $s: unique share $i, fio's $f"
	echo "dedupe_global $s: unique share iolab $i, fio $f"
done

# (g) filename_format
mkdir -p "$T/fn.fio" "$T/fn.iolab"
(cd "$T" && fio --name=jj --directory="$T/fn.fio" --size=8k --nrfiles=2 --numjobs=2 --rw=write \
	'--filename_format=$jobname-$JOBNUM-x$filenum.$clientuid.d' >/dev/null 2>&1) || fail "fn: fio"
run_iolab --headless --name=jj --directory="$T/fn.iolab" --size=8k --nrfiles=2 --numjobs=2 \
	--rw=write '--filename_format=$jobname-$JOBNUM-x$filenum.$clientuid.d'
[ "$rc" = 0 ] || { cat "$T/err"; fail "filename_format: iolab failed"; }
a=$(ls "$T/fn.fio" | tr '\n' ' ') && b=$(ls "$T/fn.iolab" | tr '\n' ' ')
[ "$a" = "$b" ] || fail "filename_format: fio made '$a', iolab '$b'"
echo "filename_format: the same names ($a)"

# (h) flow: fio's flow example, scaled to 2 s on a scratch file; exitall
# ends both jobs together, so neither runs alone (unheld) at the end while
# the other's runtime, started a little earlier, is over
cat >"$T/flow.fio" <<EOF
[global]
exitall
norandommap
thread
time_based
runtime=2
ioengine=libaio
iodepth=16
size=16m
bs=8k
filename=$T/flow.dat
flow_sleep=1000
[writer]
rw=write
flow=1
[reader]
rw=randread
flow=8
EOF
(cd "$T" && timeout 60 fio --output-format=json --output="$T/flow.fio.json" "$T/flow.fio" \
	>/dev/null 2>&1) || fail "flow: fio failed"
run_iolab --headless --output-format=json --output="$T/flow.iolab.json" "$T/flow.fio"
[ "$rc" = 0 ] || { cat "$T/err"; fail "flow: iolab failed"; }
python3 - "$T/flow.fio.json" "$T/flow.iolab.json" <<'PY' || fail "flow: ratio differs from fio's"
import json, sys
r = []
for p in sys.argv[1:]:
    j = {x["jobname"]: x["read"]["total_ios"] + x["write"]["total_ios"]
         for x in json.load(open(p))["jobs"]}
    r.append(j["reader"] / float(j["writer"]))
assert 6.5 < r[1] < 9.5 and abs(r[1] - r[0]) / r[0] < 0.15, r
print("flow 1:8: reader/writer I/Os fio %.2f, iolab %.2f" % tuple(r))
PY

# (i) serialize_overlap
both ser --size=64k --io_size=16m --bs=4k --rw=randwrite --norandommap --ioengine=libaio \
	--iodepth=16 --serialize_overlap=1
a=$(json_get "$T/ser.fio.json" 'd["jobs"][0]["write"]["io_bytes"]')
b=$(json_get "$T/ser.iolab.json" 'd["jobs"][0]["write"]["io_bytes"]')
[ "$a" = "$b" ] || fail "serialize_overlap: fio wrote $a bytes, iolab $b"
# four blocks, completions held 200 us: never more than four in flight
run_iolab --headless --name=so --ioengine=null --size=16k --io_size=4m --bs=4k --rw=randwrite \
	--norandommap --iodepth=16 --inject_delay=200us --serialize_overlap=1 --output-format=json \
	--output="$T/so.json"
[ "$rc" = 0 ] || { cat "$T/err"; fail "serialize_overlap: iolab failed"; }
deep=$(json_get "$T/so.json" 'sum(v for k, v in d["jobs"][0]["iodepth_level"].items() if k in ("8", "16", "32", ">=64"))')
[ "$deep" = "0.0" ] || [ "$deep" = "0" ] || fail "serialize_overlap: depths above 4: $deep%"
run_iolab --headless --name=so --ioengine=null --size=16k --io_size=4m --bs=4k --rw=randwrite \
	--norandommap --iodepth=16 --inject_delay=200us --output-format=json --output="$T/so0.json"
deep=$(json_get "$T/so0.json" 'd["jobs"][0]["iodepth_level"]["16"]')
python3 -c "import sys; sys.exit(not $deep > 50)" || fail "without serialize_overlap the depth stayed low ($deep%)"
echo "serialize_overlap: $b bytes as fio; depth <= 4 over 4 blocks (16 without it)"

# (j) refusals
printf '[z]\nsize=1m\n\nzonesize=64k\n' >"$T/bad_zone.fio"
run_iolab --parse-only "$T/bad_zone.fio"
[ "$rc" = 1 ] || fail "zonesize without zonemode: exit $rc"
grep -q "bad_zone.fio:4: zonesize: has no effect without zonemode=strided" "$T/err" ||
	{ cat "$T/err"; fail "zonesize refusal does not name file, line and option"; }
printf '[z]\nsize=1m\nzonemode=zbd\n' >"$T/bad_zbd.fio"
run_iolab --parse-only "$T/bad_zbd.fio"
[ "$rc" = 1 ] && grep -q "bad_zbd.fio:3: zonemode: zbd on a file or non-zoned device needs zonesize" "$T/err" ||
	{ cat "$T/err"; fail "zonemode=zbd refusal"; }
printf '[z]\nsize=1m\nrw=randread\nrandom_distribution=zoned:50/5:30/15\n' >"$T/bad_zoned.fio"
run_iolab --parse-only "$T/bad_zoned.fio"
[ "$rc" = 1 ] && grep -q "bad_zoned.fio:4: random_distribution: .*access shares add to 80" "$T/err" ||
	{ cat "$T/err"; fail "zoned refusal"; }
echo "refusals name file, line and option"
echo "ok: patterns and layout as fio"
