#!/bin/sh
# iolab --replay FILE --headless: a recording's report is the live run's
# (the JSON equal, the normal text fio's); a record cut short or damaged is
# read up to its last good line and says which; bad input is refused with
# file, line and why, exit 1, never a crash.
. "$(dirname "$0")/common.inc"

recorded_run "$T/live.json"
[ $rc -eq 0 ] || { cat "$T/err"; fail "recording run: exit status $rc"; }

# the report: JSON equal to the live run's, normal text as fio prints it
run_iolab --replay "$T/rec.jsonl" --headless --output-format=json
[ $rc -eq 0 ] || { cat "$T/err"; fail "replay: exit status $rc"; }
[ -s "$T/err" ] && { cat "$T/err"; fail "a whole recording replays without a note"; }
python3 - "$T/live.json" "$T/out" <<'PY' || fail "the replayed JSON differs from the live run's"
import json, sys
a = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2]))
assert a == b, "differ"
assert [j["jobname"] for j in b["jobs"]] == ["a", "b"]
PY
run_iolab --replay "$T/rec.jsonl" --headless
[ $rc -eq 0 ] || fail "replay normal: exit status $rc"
grep -q '^a: (groupid=0, jobs=1)' "$T/out" || { cat "$T/out"; fail "no fio normal text for job a"; }
grep -q '^  read: IOPS=[0-9]' "$T/out" && grep -q '^  write: IOPS=[0-9]' "$T/out" &&
	grep -q '^Run status group 0' "$T/out" || { cat "$T/out"; fail "the jobs' figures not in the report"; }
cp "$T/out" "$T/normal.txt"
run_iolab --replay "$T/rec.jsonl" --headless --output "$T/rep.txt"
[ $rc -eq 0 ] && cmp -s "$T/rep.txt" "$T/normal.txt" || fail "--output did not get the report"

# cut in the middle of a line (what kill -9 leaves): read to the line before
lines=$(wc -l <"$T/rec.jsonl")
keep=$((lines / 2))
{ head -n "$keep" "$T/rec.jsonl"; sed -n "$((keep + 1))p" "$T/rec.jsonl" | head -c 40; } >"$T/cut.jsonl"
run_iolab --replay "$T/cut.jsonl" --headless
[ $rc -eq 0 ] || { cat "$T/err"; fail "a cut record must open: exit status $rc"; }
grep -qF "$T/cut.jsonl:$((keep + 1)): the record is cut short here (the run was killed?); read up to line $keep" "$T/err" ||
	{ cat "$T/err"; fail "the cut is not named with its line"; }
grep -q 'holds no fio report' "$T/out" || { cat "$T/out"; fail "a cut record claims a report"; }

# cut at a line's end: no trailer, it says so
head -n "$keep" "$T/rec.jsonl" >"$T/cut2.jsonl"
run_iolab --replay "$T/cut2.jsonl" --headless
[ $rc -eq 0 ] && grep -qF "$T/cut2.jsonl:$keep: the record ends without its trailer" "$T/err" ||
	{ cat "$T/err"; fail "a record without its trailer must say so"; }

# a damaged line in the middle: what came before is kept, the line named
sed '5s/.*/{"type":"tick","job":0,"t0":[}/' "$T/rec.jsonl" >"$T/bad5.jsonl"
run_iolab --replay "$T/bad5.jsonl" --headless
[ $rc -eq 0 ] && grep -qF "$T/bad5.jsonl:5: damaged line (column " "$T/err" &&
	grep -q 'lines 1-4 kept' "$T/err" || { cat "$T/err"; fail "damaged line 5 not named"; }

# refused: exit 1, file and line and why
refuse() { # FILE EXPECTED-TEXT
	run_iolab --replay "$1" --headless
	[ $rc -eq 1 ] || fail "$1: exit status $rc, want 1"
	grep -qF -- "$2" "$T/err" || { cat "$T/err"; fail "$1: message lacks '$2'"; }
	grep -qi 'sanitizer\|segmentation' "$T/err" && fail "$1: crashed"
	return 0
}
: >"$T/empty"
refuse "$T/empty" "$T/empty: empty file; not an iolab recording"
printf 'hello\n' >"$T/text"
refuse "$T/text" "$T/text:1: not an iolab recording (column 1:"
refuse "$T/live.json" "$T/live.json:1: a fio JSON result, not an iolab recording"
sed '1s/"version":1/"version":9/' "$T/rec.jsonl" >"$T/v9.jsonl"
refuse "$T/v9.jsonl" "$T/v9.jsonl:1: recording format version 9; this iolab reads version 1"
head -c 100 "$T/rec.jsonl" >"$T/hdr.jsonl"
refuse "$T/hdr.jsonl" "$T/hdr.jsonl:1: the header line is cut short"
printf '{"type":"header","format":"other"}\n' >"$T/other.jsonl"
refuse "$T/other.jsonl" "$T/other.jsonl:1: not an iolab recording (no iolab-record header)"
refuse "$T" "$T: not a regular file"
refuse "$T/absent" "$T/absent: No such file or directory"
run_iolab --replay "$T/rec.jsonl" --headless "$T/job.fio"
[ $rc -eq 1 ] && grep -q 'takes one recording and no job file' "$T/err" ||
	fail "--replay with a job file must be refused"
echo ok
