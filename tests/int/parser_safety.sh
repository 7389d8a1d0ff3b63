#!/bin/sh
# Issue 12, the parser's part: each check failed before its fix.
#  - ${VAR} holding a newline cannot rewrite another option (file:line:option)
#  - --filename=F --nrfiles=8 (and --dry-run) is refused, not a SIGSEGV
#  - offsets + sizes that wrap around 2^64 are refused when read
#  - JSON is valid UTF-8 whatever the names hold; terse keeps its fields
#  - --dry-run replays read_iolog's extent; a layout past the free space is
#    refused in the dry run and in the real run alike
#  - an include bomb is refused in under a second; 200k repeated keys load
#    in under a second
#  - --showcmd with a multi-line description round-trips through a shell
#  - a logged file name ending in '\' stays its own file on replay
#  - directory=a:b spreads made-up names over a and b as fio 3.33 does
. "$(dirname "$0")/common.inc"

cd "$T" || fail "cd $T" # relative names (r.0.0, F, ...) land in the scratch directory
# cpu_iolab ARGS...: run_iolab, and cpu_ms = the CPU time it used (user +
# system, ms), printed for the reader.
cpu_iolab() {
	cpu_ms=$(python3 -c '
import os, resource, subprocess, sys
with open(sys.argv[1], "wb") as out, open(sys.argv[2], "wb") as err:
    rc = subprocess.call(["timeout", "60"] + sys.argv[3:], stdout=out, stderr=err)
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(rc, int((r.ru_utime + r.ru_stime) * 1000))' "$T/out" "$T/err" "$IOLAB" "$@")
	rc=${cpu_ms% *}
	cpu_ms=${cpu_ms#* }
}

# --- ${VAR} with a newline ------------------------------------------------
cat >"$T/env.fio" <<'JOB'
[a]
rw=read
ioengine=null
size=4k
filename=${IOLAB_X}
JOB
IOLAB_X='/x
e0 = write ;' run_iolab --parse-only "$T/env.fio"
[ $rc -eq 1 ] || fail "env newline: exit $rc, want 1: $(cat "$T/out")"
grep -q "env.fio:5: filename: environment variable 'IOLAB_X' holds a control character" "$T/err" ||
	fail "env newline: message: $(cat "$T/err")"
grep -q 'rw=write' "$T/out" && fail "env newline rewrote rw"
run_iolab --parse-only --name=a --ioengine=null "--filename=$(printf 'x\033[2Jy')"
[ $rc -eq 1 ] && grep -q 'command line: filename: control character 0x1b' "$T/err" ||
	fail "command-line control character: exit $rc: $(cat "$T/err")"

# --- fewer names than files ------------------------------------------------
for mode in --headless --dry-run; do
	(cd "$T" && timeout 60 "$IOLAB" $mode --name=x --filename=F --nrfiles=8 --size=1m \
		--rw=read) >"$T/out" 2>"$T/err"
	rc=$?
	[ $rc -eq 1 ] || fail "nrfiles=8 with one name ($mode): exit $rc (a crash is >= 128): $(cat "$T/err")"
	grep -q 'nrfiles: 8 files, but filename names 1' "$T/err" || fail "nrfiles: $(cat "$T/err")"
done
[ -e "$T/F" ] && fail "nrfiles refusal created F"
# fio 3.33: an nrfiles below the names uses the first ones
(cd "$T" && "$IOLAB" --dry-run --name=x --filename=F:G:H --nrfiles=2 --size=1m --rw=read) >"$T/out" 2>&1 ||
	fail "F:G:H nrfiles=2: $(cat "$T/out")"
grep -q '^  F: ' "$T/out" && grep -q '^  G: ' "$T/out" && ! grep -q '^  H: ' "$T/out" ||
	fail "F:G:H nrfiles=2 should use F and G: $(cat "$T/out")"

# --- offsets that wrap ------------------------------------------------------
for mode in --parse-only --dry-run --headless; do
	run_iolab $mode --name=x --ioengine=null --offset=18446744073709551615 --size=4k
	[ $rc -eq 1 ] && grep -q 'offset: 18446744073709551615 is past the largest file offset' "$T/err" ||
		fail "offset wrap ($mode): exit $rc: $(cat "$T/err")"
done
run_iolab --parse-only --name=x --ioengine=null --offset=1000p --offset_increment=1000p \
	--numjobs=9 --size=4k
[ $rc -eq 1 ] && grep -q 'ends past the largest file offset' "$T/err" ||
	fail "offset_increment x numjobs wrap: exit $rc: $(cat "$T/err")"

# --- JSON is UTF-8, terse keeps its fields -----------------------------------
name=$(printf 'bad;\377\376name')
run_iolab --headless --output-format=json,terse --name="$name" --ioengine=null --size=64k \
	"--filename=$(printf 'caf\351')" "--description=$(printf 'two\nlines;')" \
	--name=b --rw=read --size=4k "--filename=$T/$(printf 'no\377dir')/f"
python3 - "$T/out" <<'PY' || fail "JSON output is not valid UTF-8 JSON"
import json, sys
b = open(sys.argv[1], 'rb').read()
i = b.index(b'{')
j = b.rindex(b'}') + 1
b[i:j].decode('utf-8')  # strict: no surrogates, no overlong forms
d = json.loads(b[i:j])
names = [x['jobname'] for x in d['jobs']]
assert names[0] == 'bad;\ufffd\ufffdname', names
assert d['jobs'][0]['desc'] == 'two\nlines;', d['jobs'][0]['desc']
assert d['jobs'][1]['error'] == 2, d['jobs'][1]['error']
assert '/no\ufffddir/f' in d['jobs'][1]['job options']['filename'], d['jobs'][1]['job options']
assert d['jobs'][0]['job options']['filename'] == 'caf\ufffd', d['jobs'][0]['job options']
terse = [l for l in b.split(b'\n') if l.startswith(b'3;')]
assert len(terse) == 2, terse
assert terse[0].split(b';')[2] == b'bad_\xff\xfename', terse[0]
assert terse[0].endswith(b';two_lines_'), terse[0][-40:]
PY

# --- dry run and read_iolog --------------------------------------------------
printf 'fio version 2 iolog\n%s add\n%s open\n%s read 1048576 4096\n%s close\n' \
	"$T/replayed" "$T/replayed" "$T/replayed" "$T/replayed" >"$T/small.log"
run_iolab --dry-run --name=r --read_iolog="$T/small.log"
[ $rc -eq 0 ] || fail "dry run of a read_iolog: exit $rc: $(cat "$T/out" "$T/err")"
grep -q 'replays .*small.log: 1 I/Os over 1 file' "$T/out" &&
	grep -q "^  r.0.0: does not exist; created, then 1.0MiB laid out" "$T/out" &&
	grep -q 'transfers 4KiB' "$T/out" || fail "dry run ignores the log's extent: $(cat "$T/out")"
[ -e "$T/r.0.0" ] && fail "dry run created the replayed file"
# an extent twice the free space: refused by both, nothing laid out
big=$(python3 -c 'import os,sys; s=os.statvfs(sys.argv[1]); print(min(2*s.f_bavail*s.f_frsize//4096*4096 + 4096, 2**62))' "$T")
printf 'fio version 2 iolog\n%s add\n%s open\n%s read %s 4096\n%s close\n' \
	"$T/huge" "$T/huge" "$T/huge" "$big" "$T/huge" >"$T/big.log"
for mode in --dry-run --headless; do
	run_iolab $mode --name=r --read_iolog="$T/big.log"
	[ $rc -eq 1 ] || fail "layout past the free space ($mode): exit $rc: $(cat "$T/out")"
	grep -q 'r.0.0: laying out .* for reading needs more than the .* free on its file system; refused' \
		"$T/out" "$T/err" || fail "free space ($mode): $(cat "$T/out" "$T/err")"
	[ -s "$T/r.0.0" ] && fail "$mode laid out part of the huge file"
done

# --- include bomb, repeated keys ---------------------------------------------
mkdir -p "$T/bomb"
k=0
while [ $k -lt 15 ]; do
	{
		[ $k = 0 ] && printf '[global]\nioengine=null\nsize=4k\n[j]\n'
		for i in 1 2 3 4 5 6 7 8; do echo "include l$((k + 1)).fio"; done
	} >"$T/bomb/l$k.fio"
	k=$((k + 1))
done
echo 'bs=4k' >"$T/bomb/l15.fio"
cpu_iolab --parse-only "$T/bomb/l0.fio"
bomb_ms=$cpu_ms
[ $rc -eq 1 ] && grep -q 'l14.fio:[0-9]*: include l15.fio: more than 1024 includes' "$T/err" ||
	fail "include bomb: exit $rc: $(cat "$T/err")"
python3 -c '
print("[j]\nioengine=null\nsize=4k")
for i in range(200000): print("bs=8k")' >"$T/keys.fio"
cpu_iolab --parse-only "$T/keys.fio"
dt=$cpu_ms
[ $rc -eq 0 ] && grep -q '^bs=8k$' "$T/out" || fail "200k keys: exit $rc: $(cat "$T/err")"
# No time limit is asserted (speed belongs to make bench): a loader
# quadratic in key lines or include fan-out would need minutes here and
# meet run_iolab's 60 s timeout, which fails the test as a hang.
echo "  include bomb refused in $bomb_ms ms of CPU; 200k repeated keys loaded in $dt ms"

# --- --showcmd with a multi-line description ----------------------------------
desc=$(printf "line one\nrw=write 'q' \\\\")
run_iolab --showcmd --name=a --ioengine=null --size=4k "--description=$desc" \
	"--read_iolog=$T/x\\"
[ $rc -eq 0 ] || fail "--showcmd: exit $rc: $(cat "$T/err")"
grep -q -- "--rw=write" "$T/out" && fail "--showcmd split the description into options: $(cat "$T/out")"
cmd=$(cat "$T/out")
eval "set -- ${cmd#fio }"
got=""
for a; do case $a in --description=*) got=${a#--description=} ;; esac; done
[ "$got" = "$desc" ] || fail "--showcmd description round trip: got [$got]"
run_iolab --showcmd "$@"
[ "$(cat "$T/out")" = "$cmd" ] || fail "--showcmd of its own output differs: $(cat "$T/out")"
if command -v fio >/dev/null 2>&1; then
	(cd "$T" && eval "$cmd --parse-only") >"$T/fio.out" 2>&1 ||
		fail "fio refused our --showcmd: $(cat "$T/fio.out")"
fi

# --- a logged file name ending in '\' -----------------------------------------
mkdir -p "$T/rp"
: >"$T/rp/a\\"
: >"$T/rp/b"
printf 'fio version 2 iolog\n%s add\n%s add\n%s open\n%s open\n%s read 0 4096\n%s read 0 4096\n' \
	"$T/rp/a\\" "$T/rp/b" "$T/rp/a\\" "$T/rp/b" "$T/rp/a\\" "$T/rp/b" >"$T/rp/log"
run_iolab --dry-run --name=r --read_iolog="$T/rp/log"
[ $rc -eq 0 ] || fail "replay of a\\: exit $rc: $(cat "$T/out" "$T/err")"
grep -qF "  $T/rp/a\\: file of 0B" "$T/out" && grep -qF "  $T/rp/b: file of 0B" "$T/out" ||
	fail "a name ending in '\\' merged with the next: $(cat "$T/out")"
cat >"$T/bs.fio" <<JOB
[j]
read_iolog=$T/rp/log\\
write_iolog=$T/w\\
rw=write
ioengine=null
size=4k
JOB
run_iolab --parse-only "$T/bs.fio"
[ $rc -eq 0 ] && grep -qxF "read_iolog=$T/rp/log\\" "$T/out" && grep -qxF "write_iolog=$T/w\\" "$T/out" &&
	grep -qx 'rw=write' "$T/out" || fail "values ending in '\\': $(cat "$T/out" "$T/err")"

# --- directory=a:b ------------------------------------------------------------
mkdir -p "$T/d/a" "$T/d/b"
(cd "$T/d" && "$IOLAB" --headless --name=j --directory=a:b --size=8k --numjobs=3 --rw=write \
	--ioengine=psync) >"$T/out" 2>&1 || fail "directory=a:b: $(cat "$T/out")"
got=$(cd "$T/d" && find a b -type f | sort | tr '\n' ' ')
[ "$got" = "a/j.0.0 a/j.2.0 b/j.1.0 " ] || fail "directory=a:b spread: $got"
rm -rf "$T/d/a" "$T/d/b" && mkdir -p "$T/d/a" "$T/d/b"
(cd "$T/d" && "$IOLAB" --headless --name=j --directory=a:b --filename=f1:f2 --size=8k --rw=write \
	--ioengine=psync) >"$T/out" 2>&1 || fail "directory=a:b filename=f1:f2: $(cat "$T/out")"
got=$(cd "$T/d" && find a b -type f | sort | tr '\n' ' ')
[ "$got" = "a/f1 a/f2 " ] || fail "directory=a:b with named files: $got"
if command -v fio >/dev/null 2>&1; then
	rm -rf "$T/d/a" "$T/d/b" && mkdir -p "$T/d/a" "$T/d/b"
	(cd "$T/d" && fio --name=j --directory=a:b --size=8k --numjobs=3 --rw=write) >/dev/null 2>&1
	fio_got=$(cd "$T/d" && find a b -type f | sort | tr '\n' ' ')
	[ "$fio_got" = "a/j.0.0 a/j.2.0 b/j.1.0 " ] || fail "fio 3.33 spreads differently now: $fio_got"
fi
echo "ok: parser safety (env, nrfiles, offsets, UTF-8, iolog dry run, includes, keys, showcmd, '\\', directory lists)"
