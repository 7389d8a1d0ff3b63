#!/bin/sh
# --compare BASE NEW on two recordings of one job at rate_iops=2000 and
# 1000: the -50% IOPS is named, --max-regression=10% exits 3, a file
# against itself exits 0; the option that differs is named; bad files are
# refused with file:line and why, a cut one is read up to its last line.
. "$(dirname "$0")/common.inc"

for r in 2000 1000; do
	cat >"$T/job$r.fio" <<JOB
[cap]
ioengine=null
size=64m
bs=4k
rw=randread
time_based
runtime=1
rate_iops=$r
JOB
	run_iolab --headless --status-interval=200ms --record "$T/r$r.jsonl" "$T/job$r.fio"
	[ $rc -eq 0 ] || { cat "$T/err"; fail "recording at $r: exit $rc"; }
done

run_iolab --compare "$T/r2000.jsonl" "$T/r1000.jsonl" --max-regression=10%
[ $rc -eq 3 ] || { cat "$T/out" "$T/err"; fail "exit $rc, not 3, past the threshold"; }
python3 - "$T/out" <<'PY' || { cat "$T/out"; fail "compare output"; }
import re, sys
out = open(sys.argv[1]).read()
m = re.search(r"^  iops\s+([\d.]+)\s+([\d.]+)\s+([-+][\d.]+)%  WORSE$", out, re.M)
assert m, "no iops row marked WORSE"
base, new, ch = map(float, m.groups())
assert abs(base - 2000) < 40 and abs(new - 1000) < 20, (base, new)
assert abs(ch + 50) < 2, ch
assert "rate_iops=2000 -> rate_iops=1000" in out, "the differing option is not named"
PY

run_iolab --compare "$T/r2000.jsonl" "$T/r2000.jsonl" --max-regression=10
[ $rc -eq 0 ] || { cat "$T/out" "$T/err"; fail "a file against itself: exit $rc"; }
grep -q "same host, storage and job options" "$T/out" || fail "identical provenance not said"

# without a threshold nothing fails
run_iolab --compare "$T/r2000.jsonl" "$T/r1000.jsonl"
[ $rc -eq 0 ] || fail "no --max-regression: exit $rc"

# fio JSON results compare too (iolab's own --output-format=json here)
run_iolab --headless --output-format=json --output "$T/r.json" "$T/job1000.fio"
run_iolab --compare "$T/r.json" "$T/r1000.jsonl"
[ $rc -eq 0 ] || { cat "$T/err"; fail "fio JSON vs recording: exit $rc"; }
grep -q "fio JSON result" "$T/out" || fail "fio JSON not named as such"

# bad input: file:line and why, exit 2
head -c 300 "$T/r2000.jsonl" >"$T/cut1.jsonl"
echo 'not json at all' >"$T/text.txt"
sed '1s/"version":1/"version":9/' "$T/r2000.jsonl" >"$T/future.jsonl"
sed '3s/^{/{{/' "$T/r2000.jsonl" >"$T/damaged.jsonl"
: >"$T/empty.jsonl"
for f in cut1 text future empty; do
	ext=jsonl; [ $f = text ] && ext=txt
	run_iolab --compare "$T/$f.$ext" "$T/r2000.jsonl"
	[ $rc -eq 2 ] || { cat "$T/err"; fail "$f: exit $rc, not 2"; }
	grep -q "$T/$f.$ext" "$T/err" || { cat "$T/err"; fail "$f: file not named"; }
done
run_iolab --compare "$T/future.jsonl" "$T/r2000.jsonl"
grep -q "future.jsonl:1: recording format version 9" "$T/err" || { cat "$T/err"; fail "future version"; }
# damaged in the middle: read up to there, said where
run_iolab --compare "$T/damaged.jsonl" "$T/r2000.jsonl"
[ $rc -eq 0 ] || { cat "$T/err"; fail "damaged: exit $rc"; }
grep -q "damaged.jsonl:3: damaged line" "$T/err" || { cat "$T/err"; fail "damaged: no file:line"; }
# cut after some ticks: the last whole line counts, the cut one is named
n=$(wc -l <"$T/r2000.jsonl")
head -n $((n - 3)) "$T/r2000.jsonl" >"$T/cut2.jsonl"
tail -n 3 "$T/r2000.jsonl" | head -c 40 >>"$T/cut2.jsonl"
run_iolab --compare "$T/cut2.jsonl" "$T/r2000.jsonl"
[ $rc -eq 0 ] || { cat "$T/err"; fail "cut: exit $rc"; }
grep -q "cut2.jsonl:$((n - 2)): the record is cut short" "$T/err" || { cat "$T/err"; fail "cut: no file:line"; }
exit 0
