#!/bin/sh
# iolab --replay in the workbench: a headless recorded run opens with the
# header naming the recording's host and time, start/stop/knobs greyed out
# (and refused if pressed), the cursor's tooltip showing the figures the
# recording holds for its time (job a ran at 2000 IOPS, b at 500), the heat map drawn from
# the recorded histograms.
. "$(dirname "$0")/lib.inc"

cat >"$T/job.fio" <<'JOB'
[global]
ioengine=null
rw=randread
bs=4k
size=1g
time_based=1
runtime=3

[a]
rate_iops=2000

[b]
rate_iops=500
JOB
timeout 60 "$IOLAB" --headless --status-interval=100ms --record "$T/rec.jsonl" \
	--output-format=json --output "$T/live.json" "$T/job.fio" 2>"$T/err" ||
	{ cat "$T/err"; fail "the recorded run failed"; }
host=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["host"]["hostname"])' "$T/rec.jsonl")
when=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["start"]["local"][:16].replace("T", " "))' "$T/rec.jsonl")

pane_start 120 40
pane_run "'$IOLAB' --replay '$T/rec.jsonl'; echo EXIT=\$?"
wait_for "replay of $host, $when"
wait_re 'done in 00:0[34]'
wait_re '^a +. (exited|reaped)'
# what a replay cannot do is drawn dim (SGR 2) in the footer
tm capture-pane -e -p | tail -n 1 | grep -q "$(printf '\033')\[2m[^ ]*F5Start" ||
	fail "F5 Start is not greyed out"
tm capture-pane -e -p | tail -n 1 | grep -q "$(printf '\033')\[2m[^ ]*dQD" ||
	fail "the QD knob is not greyed out"
tm capture-pane -e -p | tail -n 1 | grep -q "$(printf '\033')\[2m[^ ]*F1Help" &&
	fail "F1 Help is greyed out too"
tm send-keys F5
wait_for "a replay source does not start jobs"
tm send-keys d
wait_for "a replay source has no live knobs"

# the cursor: a second into the run, the tooltip reads the figures the
# recording holds for that time (what the live run showed then): each
# job's IOPS lies within its ticks' around the cursor's time
cursor_back 't=1\.[0-9]s'
wait_re 'a read +[0-9.]+k? IOPS'
tm send-keys a # every job on the graphs
wait_re '■ b +[0-9.]+k? IOPS'
capture >"$T/tip.txt"
python3 - "$T/rec.jsonl" "$T/tip.txt" <<'PY' || fail "the tooltip's figures are not the recording's"
import json, re, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
names = [j["name"] for j in recs[0]["jobs"]]
scr = open(sys.argv[2]).read()
t = float(re.search(r"t=([0-9.]+)s", scr).group(1)) * 1e6
for job, name in enumerate(names):
    m = re.search("■ " + name + r" +([0-9.]+)(k?) IOPS", scr)
    assert m, "no value for " + name
    shown = float(m.group(1)) * (1000 if m.group(2) else 1)
    near = [r["read"]["iops"] for r in recs if r["type"] == "tick" and r["job"] == job
            and r["t0"] <= t + 150000 and r["t1"] >= t - 150000 and "read" in r]
    assert near, "no tick near the cursor"
    # the tooltip shows the column's mean, to 3 significant digits
    lo, hi = min(near) * 0.99, max(near) * 1.01
    assert lo <= shown <= hi, (name, shown, near)
    assert abs(shown - (2000 if name == "a" else 500)) < 200, (name, shown)
PY

# the heat map from the recorded histograms: its tooltip's latency ranges
tm send-keys a H Tab Tab Left
wait_re '[0-9.]+[nu]s-[0-9.]+[nu]s +[0-9.]+k? +[0-9.]+%'
wait_re 'p99\.9 +[0-9.]+[nu]s'
tm send-keys Escape H

# results: the recorded report's figures
tm send-keys F3
wait_re 'IOPS=2000|IOPS=1999|IOPS=2001'
tm send-keys q
wait_for "EXIT=0"
check_restored
echo ok
