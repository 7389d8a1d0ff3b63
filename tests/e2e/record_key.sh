#!/bin/sh
# Recording in the workbench: --record FILE records the first run (REC in
# the header), the record key (C) turns recording off for the next run and
# on again mid-run (FILE-2, from the run's start: the store's history), and
# --output-format=jsonl --output streams every run's lines; each recording
# replays with its trailer's report.
. "$(dirname "$0")/lib.inc"

cat >"$T/job.fio" <<'JOB'
[a]
ioengine=null
rw=randread
size=1g
time_based=1
runtime=3
rate_iops=1000
JOB
pane_start 120 30
pane_run "cd '$T' && '$IOLAB' --no-settings --status-interval=100ms --record '$T/rec.jsonl' --output-format=jsonl --output '$T/stream.jsonl' job.fio; echo EXIT=\$?"
wait_for "F1Help"
tm send-keys F5
wait_for "recording rec.jsonl"
wait_re '^ iolab +. REC .'
wait_for "all jobs done"
wait_gone " REC "
tm send-keys Escape
tm send-keys C
wait_for "the next run will not be recorded"
tm send-keys F5
wait_re 'elapsed 00:0[0-2]'
capture | grep -q ' REC ' && fail "REC shown for a run the key turned off"
tm send-keys C
wait_for "recording rec-2.jsonl"
wait_re '^ iolab +. REC .'
wait_for "all jobs done"
tm send-keys q
wait_for "EXIT=0"
[ -e "$T/rec-3.jsonl" ] && fail "a third recording was made"
for f in rec.jsonl rec-2.jsonl; do
	timeout 30 "$IOLAB" --replay "$T/$f" --headless --output-format=json >"$T/$f.json" 2>"$T/err" ||
		{ cat "$T/err"; fail "$f does not replay"; }
	[ -s "$T/err" ] && { cat "$T/err"; fail "$f replays with a note"; }
	python3 - "$T/$f" "$T/$f.json" <<'PY' || fail "$f: not a whole recording of the run"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
assert recs[0]["type"] == "header" and recs[-1]["type"] == "trailer"
ticks = [r for r in recs if r["type"] == "tick"]
# mid-run, the recording still begins at the run's start (the store's history)
assert ticks[0]["t0"] < 200000, ticks[0]
assert ticks[-1]["t1"] > 2800000, ticks[-1]
res = json.load(open(sys.argv[2]))
assert abs(res["jobs"][0]["read"]["iops"] - 1000) < 50, res["jobs"][0]["read"]["iops"]
PY
done
[ "$(grep -c '"type":"header"' "$T/stream.jsonl")" -eq 2 ] || fail "the stream lacks a run"
[ "$(grep -c '"type":"trailer"' "$T/stream.jsonl")" -eq 2 ] || fail "the stream lacks a trailer"
echo ok
