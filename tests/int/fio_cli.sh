#!/bin/sh
# fio's command line, side by side with fio 3.33: iolab run under the name
# "fio" as a regression script runs fio (--max-jobs, --output-format=json,
# --output), --output-format lists, --minimal/--append-terse, --section,
# --readonly, --eta*, --bandwidth-log, --warnings-fatal, and the flags that
# only tune fio (accepted with a note naming them) or that iolab refuses.
. "$(dirname "$0")/common.inc"
need_fio
FIO=$(command -v fio)
mkdir -p "$T/bin" && ln -s "$IOLAB" "$T/bin/fio" || fail "cannot make the fio link"

cat >"$T/two.fio" <<JOB
[global]
filename=$T/two.dat
size=2m
bs=4k
[reader]
rw=read
[writer]
stonewall
rw=randwrite
[mixed]
rw=randrw
rwmixread=60
JOB

# --- 1. a regression script's call, iolab installed as "fio" ------------
# (no tty: the workbench must not open, nor a note about it be printed)
for who in fio iolab; do
	if [ $who = fio ]; then exe=$FIO; else exe=$T/bin/fio; fi
	(cd "$T" && timeout 120 "$exe" --max-jobs=16 --output-format=json \
		--output="$T/reg.$who.json" "$T/two.fio" >"$T/reg.$who.out" 2>"$T/reg.$who.err" \
		</dev/null) || { cat "$T/reg.$who.err"; fail "regression call: $who failed"; }
done
grep -q "not a terminal" "$T/reg.iolab.err" && fail "as fio: printed the workbench note"
grep -q "max-jobs" "$T/reg.iolab.err" || fail "--max-jobs: no note naming it"
python3 - "$T/reg.fio.json" "$T/reg.iolab.json" <<'PY' || fail "regression call: results differ"
import json, sys
def load(p):
    lines = open(p).read().splitlines()
    return json.loads("\n".join(lines[lines.index("{"):]))  # as fio's script reads it
f, i = load(sys.argv[1]), load(sys.argv[2])
fj = [(j["jobname"], j["groupid"], [j[d]["io_bytes"] for d in ("read", "write", "trim")] ) for j in f["jobs"]]
ij = [(j["jobname"], j["groupid"], [j[d]["io_bytes"] for d in ("read", "write", "trim")] ) for j in i["jobs"]]
for a, b in zip(fj, ij):
    assert a[0:2] == b[0:2], (a, b)
    assert sum(a[2]) == sum(b[2]), (a, b)
assert len(fj) == len(ij), (fj, ij)
for k in f:
    assert k in i, "top-level key %r missing" % k
print("regression call: %s" % ij)
PY

# --- 2. --output-format lists, --minimal, --append-terse: same blocks, same order
kinds() {
	# one letter per block of output: t terse line, j json object, n normal report
	python3 -c '
import sys
out, inj = [], False
for l in open(sys.argv[1]):
    if inj:
        inj = l.rstrip() != "}"
        continue
    if l.startswith("{"):
        out.append("j"); inj = True
    elif l.startswith("3;"):
        out.append("t:%d" % l.count(";"))
    elif "(groupid=" in l:
        out.append("n")
print(" ".join(out))' "$1"
}
for args in "--output-format=json,normal" "--output-format=normal,json" \
	    "--output-format=terse,json" "--output-format=json+,terse,normal" \
	    "--minimal" "--append-terse" "--output-format=json --append-terse" \
	    "--append-terse --output-format=json" "--minimal --output-format=normal,terse"; do
	n=$(echo "$args" | tr -c 'a-z0-9\n' _)
	(cd "$T" && timeout 60 $FIO $args --name=x --filename="$T/f.dat" --size=1m \
		--rw=read >"$T/$n.fio" 2>/dev/null) || fail "fio $args failed"
	(cd "$T" && timeout 60 "$T/bin/fio" $args --name=x --filename="$T/f.dat" --size=1m \
		--rw=read >"$T/$n.iolab" 2>"$T/$n.err") || { cat "$T/$n.err"; fail "iolab $args failed"; }
	a=$(kinds "$T/$n.fio"); b=$(kinds "$T/$n.iolab")
	[ "$a" = "$b" ] || fail "$args: fio writes [$a], iolab [$b]"
	echo "$args: [$b] as fio"
done

# --terse-version 2..5: the same fields, lines and order as fio's
for v in 2 3 4 5; do
	for who in fio iolab; do
		if [ $who = fio ]; then exe=$FIO; else exe=$T/bin/fio; fi
		(cd "$T" && "$exe" --minimal --terse-version=$v --name=x --filename="$T/f.dat" \
			--size=1m --rw=read --description="a b" >"$T/tv$v.$who" 2>/dev/null) ||
			fail "--terse-version=$v: $who failed"
		awk -F';' '{ printf "%d ", NF }' "$T/tv$v.$who" >"$T/tv$v.$who.n"
		head -c 2 "$T/tv$v.$who" >>"$T/tv$v.$who.n"
	done
	cmp -s "$T/tv$v.fio.n" "$T/tv$v.iolab.n" ||
		fail "--terse-version=$v: fio [$(cat "$T/tv$v.fio.n")], iolab [$(cat "$T/tv$v.iolab.n")]"
	echo "--terse-version=$v: fields per line $(cat "$T/tv$v.iolab.n") as fio"
done

# --- 3. --section: only the named sections, fio's groups -----------------
for who in fio iolab; do
	if [ $who = fio ]; then exe=$FIO; else exe=$T/bin/fio; fi
	(cd "$T" && timeout 60 "$exe" --section=mixed --section=reader --output-format=json \
		"$T/two.fio" >"$T/sec.$who" 2>"$T/sec.$who.err") || fail "--section: $who failed"
	python3 -c '
import json, sys
t = open(sys.argv[1]).read(); d = json.loads(t[t.index("{"):])
print(" ".join("%s/%d" % (j["jobname"], j["groupid"]) for j in d["jobs"]))' "$T/sec.$who" \
		>"$T/sec.$who.jobs"
done
cmp -s "$T/sec.fio.jobs" "$T/sec.iolab.jobs" ||
	fail "--section: fio ran $(cat "$T/sec.fio.jobs"), iolab $(cat "$T/sec.iolab.jobs")"
echo "--section: $(cat "$T/sec.iolab.jobs") as fio"
"$T/bin/fio" --section=nosuch "$T/two.fio" >/dev/null 2>"$T/err" && fail "--section=nosuch ran"
grep -q "section" "$T/err" || fail "--section=nosuch: $(cat "$T/err")"
"$T/bin/fio" --section=global "$T/two.fio" >/dev/null 2>&1 && fail "--section=global accepted"
# a section not chosen is not even parsed (fio skips it)
printf '[ok]\nfilename=%s/f.dat\nsize=1m\n[bad]\nnosuchoption=1\n' "$T" >"$T/skip.fio"
"$T/bin/fio" --section=ok "$T/skip.fio" >/dev/null 2>"$T/err" ||
	fail "--section: the skipped section was parsed: $(cat "$T/err")"

# --- 4. --readonly: refuse writers; no file created ----------------------
for who in fio iolab; do
	if [ $who = fio ]; then exe=$FIO; else exe=$T/bin/fio; fi
	"$exe" --readonly --name=w --filename="$T/ro.$who" --size=1m --rw=randwrite \
		>/dev/null 2>"$T/ro.$who.err" && fail "--readonly: $who ran a write job"
	[ -e "$T/ro.$who" ] && fail "--readonly: $who created the file of a write job"
	"$exe" --readonly --name=r --filename="$T/ro2.$who" --size=1m --rw=read \
		>/dev/null 2>&1
	[ -s "$T/ro2.$who" ] && fail "--readonly: $who laid out a file"
done
grep -q "rw" "$T/ro.iolab.err" || fail "--readonly: the refusal names no option: $(cat "$T/ro.iolab.err")"
"$T/bin/fio" --readonly --name=r --filename="$T/ro2.iolab" --size=1m --rw=read >/dev/null 2>&1 &&
	fail "--readonly: a read of a missing file succeeded"
(cd "$T" && $FIO --readonly --output-format=json --output="$T/ro3.fio.json" --name=r \
	--filename="$T/f.dat" --size=1m --rw=randread >/dev/null 2>&1) || fail "fio --readonly read failed"
(cd "$T" && "$T/bin/fio" --readonly --output-format=json --output="$T/ro3.iolab.json" --name=r \
	--filename="$T/f.dat" --size=1m --rw=randread >/dev/null 2>&1) || fail "iolab --readonly read failed"
[ "$(json_get "$T/ro3.fio.json" 'd["jobs"][0]["read"]["io_bytes"]')" = \
  "$(json_get "$T/ro3.iolab.json" 'd["jobs"][0]["read"]["io_bytes"]')" ] || fail "--readonly read: bytes differ"
# a replayed iolog's writes are skipped, its reads done, the file untouched
dd if=/dev/zero of="$T/rl.dat" bs=64k count=1 2>/dev/null
printf 'fio version 2 iolog\n%s add\n%s open\n%s read 0 4096\n%s write 4096 4096\n%s read 8192 4096\n%s write 0 4096\n%s close\n' \
	"$T/rl.dat" "$T/rl.dat" "$T/rl.dat" "$T/rl.dat" "$T/rl.dat" "$T/rl.dat" "$T/rl.dat" >"$T/rl.log"
sum=$(md5sum <"$T/rl.dat")
for who in fio iolab; do
	if [ $who = fio ]; then exe=$FIO; else exe=$T/bin/fio; fi
	(cd "$T" && "$exe" --readonly --name=r --read_iolog="$T/rl.log" --output-format=json \
		--output="$T/rl.$who.json" >/dev/null 2>&1) || fail "--readonly replay: $who failed"
	[ "$(json_get "$T/rl.$who.json" '(d["jobs"][0]["read"]["io_bytes"], d["jobs"][0]["write"]["io_bytes"])')" = "(8192, 0)" ] ||
		fail "--readonly replay: $who moved $(json_get "$T/rl.$who.json" '(d["jobs"][0]["read"]["io_bytes"], d["jobs"][0]["write"]["io_bytes"])')"
done
[ "$(md5sum <"$T/rl.dat")" = "$sum" ] || fail "--readonly replay: the file changed"
echo "--readonly: writers refused, nothing created, reads as fio"

# --- 5. --eta: the status line on stdout, as fio decides -----------------
eta_lines() { tr '\r' '\n' <"$1" | grep -c '^Jobs: '; }
for who in fio iolab; do
	if [ $who = fio ]; then exe=$FIO; else exe=$T/bin/fio; fi
	(cd "$T" && "$exe" --eta=always --eta-interval=250ms --name=x --filename="$T/f.dat" --size=1m \
		--rw=read --rate=512k --output-format=json --output="$T/eta.$who.json" \
		>"$T/eta.$who" 2>/dev/null) || fail "--eta=always: $who failed"
	[ "$(eta_lines "$T/eta.$who")" -ge 1 ] || fail "--eta=always: $who printed no status line"
	(cd "$T" && "$exe" --eta=never --name=x --filename="$T/f.dat" --size=1m --rw=read \
		--rate=2m >"$T/etan.$who" 2>/dev/null) || fail "--eta=never: $who failed"
	[ "$(eta_lines "$T/etan.$who")" -eq 0 ] || fail "--eta=never: $who printed a status line"
	(cd "$T" && "$exe" --eta=always --name=x --filename="$T/f.dat" --size=1m --rw=read \
		--rate=2m --output-format=json >"$T/etaj.$who" 2>/dev/null) || fail "--eta json: $who failed"
	[ "$(eta_lines "$T/etaj.$who")" -eq 0 ] || fail "--eta=always, json on stdout: $who printed a status line"
done
python3 -c 'import json; json.load(open("'"$T"'/etaj.iolab"))' || fail "--eta: stdout JSON broken"
"$T/bin/fio" --eta=sometimes --name=x --filename="$T/f.dat" --size=1m >/dev/null 2>&1 &&
	fail "--eta=sometimes accepted"
echo "--eta: always/never/json-on-stdout as fio"

# --- 6. --bandwidth-log: three aggregate logs in fio's format ------------
mkdir -p "$T/bwl"
(cd "$T/bwl" && "$T/bin/fio" --bandwidth-log --name=x --filename="$T/f.dat" --size=1m \
	--rw=randrw --rate=256k --output-format=json >/dev/null 2>"$T/bwl.err") ||
	{ cat "$T/bwl.err"; fail "--bandwidth-log failed"; }
python3 - "$T/bwl" <<'PY' || fail "--bandwidth-log: logs not in fio's format"
import os, sys
for d, n in enumerate(("read", "write", "trim")):
    p = os.path.join(sys.argv[1], "agg-%s_bw.log" % n)
    rows = [l.split(", ") for l in open(p).read().splitlines()]
    assert rows, p + " is empty"
    last = -1
    for r in rows:
        assert len(r) == 5, r
        t, bw, dd, bs, off = map(int, r)
        assert dd == d and bs == 0 and off == 0 and t >= last, r
        last = t
    if n != "trim":
        assert any(int(r[1]) > 0 for r in rows), p + " has no bandwidth"
    # fio's bwavgtime, 500 ms: the usual step between lines (not a
    # deadline: a loaded host may stretch some)
    steps = sorted(b - a for a, b in zip([int(r[0]) for r in rows], [int(r[0]) for r in rows[1:]]))
    assert steps and steps[len(steps) // 2] < 800, (p, steps)
print("--bandwidth-log: %d lines a direction, median step %d ms" % (len(rows), steps[len(steps) // 2]))
PY

# --- 7. --warnings-fatal: a warning stops the run ------------------------
"$T/bin/fio" --name=x --filename="$T/f.dat" --size=1m --gtod_reduce=1 >/dev/null 2>&1 ||
	fail "a warning alone failed the run"
"$T/bin/fio" --warnings-fatal --name=x --filename="$T/f.dat" --size=1m --gtod_reduce=1 \
	>"$T/out" 2>"$T/err" && fail "--warnings-fatal: ran anyway"
grep -q "gtod_reduce" "$T/err" || fail "--warnings-fatal: the warning is not shown"
[ -s "$T/out" ] && fail "--warnings-fatal: results printed"

# --- 8. flags that only tune fio: accepted, with a note naming them; -----
# ------ flags for what iolab does not do: refused, saying why -----------
for fl in --max-jobs=4 --alloc-size=32768 --debug=io --aux-path=/tmp --terse-version=3; do
	"$T/bin/fio" $fl --name=x --filename="$T/f.dat" --size=1m >/dev/null 2>"$T/err" ||
		fail "$fl: refused: $(cat "$T/err")"
	case $fl in --terse-version=3) ;; *)
		grep -q -- "${fl%%=*}" "$T/err" || fail "$fl: no note naming it" ;;
	esac
done
for fl in --remote-config=x --server --trigger=true --crctest --idle-prof=system \
	  --latency-log=x --terse-version=6; do
	"$T/bin/fio" $fl --name=x --filename="$T/f.dat" --size=1m >/dev/null 2>"$T/err" &&
		fail "$fl: accepted"
	grep -q -- "${fl%%=*}" "$T/err" || fail "$fl: refusal does not name it: $(cat "$T/err")"
done
"$T/bin/fio" --max-jobs=abc --name=x --filename="$T/f.dat" --size=1m >/dev/null 2>&1 &&
	fail "--max-jobs=abc accepted"
# every fio flag is known: none falls through as a job option
for fl in $($FIO --help | sed -n 's/^  \(--[a-z-]*\).*/\1/p'); do
	"$T/bin/fio" --help | grep -q -- "$fl" || fail "fio's $fl is not in iolab --help"
done
# --- 9. --enghelp and --cmdhelp=all, as fio answers them ----------------
for who in fio iolab; do
	if [ $who = fio ]; then exe=$FIO; else exe=$T/bin/fio; fi
	"$exe" --enghelp >"$T/eng.$who" 2>&1 || fail "--enghelp: $who failed"
	grep -q "^Available IO engines:" "$T/eng.$who" && grep -q "	psync$" "$T/eng.$who" ||
		fail "--enghelp: $who: $(head -3 "$T/eng.$who")"
	"$exe" --enghelp=psync >/dev/null 2>&1 && fail "--enghelp=psync: $who says it has options"
	"$exe" --enghelp=io_uring | grep -q "^fixedbufs *:" || fail "--enghelp=io_uring: $who"
	"$exe" --enghelp=nosuch >/dev/null 2>&1 && fail "--enghelp=nosuch: $who accepted it"
	"$exe" --cmdhelp=all | grep -q "rwmixread" || fail "--cmdhelp=all: $who"
done

# --- 10. --status-interval: run as fio, the results so far every interval
# (each a whole JSON object, as fio writes them); as iolab, the sampling tick
(cd "$T" && "$T/bin/fio" --status-interval=1 --name=x --filename="$T/f.dat" --size=1m \
	--rw=read --rate=256k --output-format=json --output="$T/si.json" >/dev/null 2>"$T/err") ||
	{ cat "$T/err"; fail "--status-interval as fio failed"; }
python3 - "$T/si.json" <<'PY' || fail "--status-interval: not a series of JSON results"
import json, sys
t, dec, objs, i = open(sys.argv[1]).read(), json.JSONDecoder(), [], 0
while True:
    i = t.find("{", i)
    if i < 0:
        break
    o, i = dec.raw_decode(t, i)
    objs.append(o)
assert len(objs) >= 2, len(objs)
assert objs[-1]["jobs"][0]["read"]["io_bytes"] == 1 << 20
assert objs[0]["jobs"][0]["read"]["io_bytes"] < 1 << 20
print("--status-interval as fio: %d results" % len(objs))
PY
"$T/bin/fio" --status-interval=500ms --name=x --filename="$T/f.dat" --size=1m >/dev/null 2>&1 &&
	fail "--status-interval=500ms as fio: accepted below fio's 1s minimum"
(cd "$T" && "$IOLAB" --headless --status-interval=1 --name=x --filename="$T/f.dat" --size=1m \
	--rw=read --rate=512k --output-format=json --output="$T/si2.json" >/dev/null 2>&1) ||
	fail "iolab --status-interval=1 failed"
[ "$(grep -c '"fio version"' "$T/si2.json")" = 1 ] || fail "iolab --status-interval: more than one result"

echo "ok: fio's command line"
