#!/bin/sh
# write_iolog / read_iolog: (a) an iolog iolab writes of a randrw job replays
# in iolab with the same I/Os in the same order (the replay's own write_iolog
# has the same I/O lines) and the same bytes; (b) an iolog fio writes (v3,
# timestamps) replays in iolab with fio's bytes per direction; (c) a log
# whose file is gone replays on the job's filename; (d) a bad log is refused
# with FILE:LINE and exit 1.
. "$(dirname "$0")/common.inc"

ios() { grep -Ev ' (add|open|close)$' "$1"; }

bytes() {
	python3 - "$1" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))["jobs"][0]
assert j["error"] == 0, j["error"]
print(" ".join(str(j[d]["io_bytes"]) for d in ("read", "write", "trim")))
PY
}

# (a) iolab -> iolab, two files, mixed block sizes, queue depth 4
run_iolab --headless --name=rec --directory="$T" --nrfiles=2 --size=2m --bsrange=4k-32k \
	--rw=randrw --rwmixread=60 --ioengine=libaio --iodepth=4 --write_iolog="$T/rec.log" \
	--output-format=json --output="$T/rec.json"
[ "$rc" = 0 ] || { cat "$T/err"; fail "recording run failed ($rc)"; }
[ "$(head -n1 "$T/rec.log")" = "fio version 2 iolog" ] || fail "rec.log: no v2 header"
[ "$(grep -c ' add$' "$T/rec.log")" = 2 ] || fail "rec.log: expected 2 add lines"
[ "$(grep -c ' close$' "$T/rec.log")" = 2 ] || fail "rec.log: expected 2 close lines"
n=$(ios "$T/rec.log" | tail -n +2 | wc -l)
[ "$n" -gt 50 ] || fail "rec.log: only $n I/O lines"
ios "$T/rec.log" | grep -q ' read ' || fail "rec.log: no reads"
ios "$T/rec.log" | grep -q ' write ' || fail "rec.log: no writes"

run_iolab --headless --name=rep --iodepth=4 --ioengine=libaio --read_iolog="$T/rec.log" \
	--write_iolog="$T/rep.log" --output-format=json --output="$T/rep.json"
[ "$rc" = 0 ] || { cat "$T/err"; fail "replay failed ($rc)"; }
ios "$T/rec.log" >"$T/rec.io"
ios "$T/rep.log" >"$T/rep.io"
cmp -s "$T/rec.io" "$T/rep.io" || { diff "$T/rec.io" "$T/rep.io" | head; fail "replayed I/Os differ"; }
a=$(bytes "$T/rec.json") && b=$(bytes "$T/rep.json") || fail "no JSON results"
[ "$a" = "$b" ] || fail "bytes r/w/t: recorded $a, replayed $b"
echo "(a) iolab log replayed: $n I/Os in order, bytes r/w/t $b"

# (b) fio 3.x -> iolab
need_fio
(cd "$T" && timeout 120 fio --name=f --filename="$T/fio.dat" --size=1m --bsrange=4k-16k \
	--rw=randrw --write_iolog="$T/fio.log" --output-format=json --output="$T/fio.json" \
	>/dev/null 2>&1) || fail "fio failed"
head -n1 "$T/fio.log" | grep -q '^fio version [23] iolog$' || fail "fio.log: unexpected header"
run_iolab --headless --name=frep --read_iolog="$T/fio.log" --replay_no_stall=1 \
	--write_iolog="$T/frep.log" --output-format=json --output="$T/frep.json"
[ "$rc" = 0 ] || { cat "$T/err"; fail "replay of fio's log failed ($rc)"; }
a=$(bytes "$T/fio.json") && b=$(bytes "$T/frep.json") || fail "no JSON results"
[ "$a" = "$b" ] || fail "bytes r/w/t: fio $a, iolab replay $b"
# same I/Os in the same order (fio's v3 lines carry a timestamp first)
grep -Ev ' (add|open|close)$' "$T/fio.log" | tail -n +2 | cut -d' ' -f2- >"$T/fio.io"
ios "$T/frep.log" | tail -n +2 >"$T/frep.io"
cmp -s "$T/fio.io" "$T/frep.io" || { diff "$T/fio.io" "$T/frep.io" | head; fail "I/Os differ from fio's log"; }
echo "(b) fio log replayed: bytes r/w/t $b, as fio"

# (c) the logged file is gone: the job's filename is used
sed "s#$T/fio.dat#$T/gone.dat#" "$T/fio.log" >"$T/gone.log"
run_iolab --headless --name=g --filename="$T/other.dat" --read_iolog="$T/gone.log" \
	--replay_no_stall=1 --output-format=json --output="$T/gone.json"
[ "$rc" = 0 ] || { cat "$T/err"; fail "replay onto filename= failed ($rc)"; }
[ -e "$T/other.dat" ] || fail "replay did not use filename=other.dat"
[ ! -e "$T/gone.dat" ] || fail "replay created the missing logged file"
b=$(bytes "$T/gone.json") || fail "no JSON results"
[ "$a" = "$b" ] || fail "bytes r/w/t on filename=: $b, fio $a"
echo "(c) missing file replayed on filename="

# (d) a bad line
printf 'fio version 2 iolog\n%s add\n%s read 0 4096\n%s read 4096\n' \
	"$T/other.dat" "$T/other.dat" "$T/other.dat" >"$T/bad.log"
run_iolab --headless --name=bad --read_iolog="$T/bad.log"
[ "$rc" = 1 ] || fail "bad iolog: exit $rc, expected 1"
grep -q "$T/bad.log:4: 3 fields" "$T/err" || { cat "$T/err"; fail "bad iolog: no FILE:LINE message"; }
echo "(d) bad log: $(cat "$T/err")"
echo "ok: iolog write and replay"
