#!/bin/sh
# The diagnose view at 120x40: D opens its setup, the battery runs on a
# scratch directory (mktemp) with 1 s per step, at least five steps show
# figures (IOPS, bandwidth, latencies), a "Findings" section with text
# follows; Up selects another step (its line and graphs); H and Left give
# the step's heat map with a cursor whose tooltip lists latency ranges,
# Esc takes the cursor away (not the view); the view survives
# a resize to 80x24; the scratch file is removed; a second run stopped
# with Esc says so and leaves no scratch file; q exits 0.
. "$(dirname "$0")/lib.inc"

D=$(mktemp -d "$T/diag.XXXXXX") || fail "mktemp failed"
# the battery lays out a scratch file of 256 MiB at least
avail=$(df -Pk "$D" | awk 'NR == 2 { print $4 }')
[ "${avail:-0}" -ge $((1100 * 1024)) ] || skip "less than 1.1 GiB free under $D"

pane_start 120 40
pane_run "$IOLAB; echo EXIT=\$?"
wait_re '^Job +State' 15
tm send-keys D
wait_for ' Diagnose ' 5
wait_for 'seconds per step' 5
# the default target is the scratch directory ($TMPDIR in the pane)
capture | grep -qE "^  Target +$T( |\$)" || fail "the default target is not \$TMPDIR ($T)"

tm send-keys C-u
tm send-keys -l "$D"
tm send-keys Tab C-u 1 Enter
wait_re 'step [0-9] of 7' 30
wait_re 'done: [0-9]+ findings?' 90

# steps with figures: name, done, IOPS, bandwidth, three latencies
capture >"$T/done.txt"
rows=$(python3 - "$T/done.txt" <<'PY'
import re, sys
n = 0
for line in open(sys.argv[1], encoding="utf-8"):
    m = re.match(r"^([a-z0-9-]+) .*? done +([0-9.]+[kM]?) +([0-9.]+[KMGT]?i?B/s) +"
                 r"([0-9.]+[nmu]?s) +([0-9.]+[nmu]?s) +([0-9.]+[nmu]?s) ", line)
    if m and float(re.sub(r"[kM]$", "", m.group(2))) > 0:
        n += 1
print(n)
PY
)
[ "${rows:-0}" -ge 5 ] || { cat "$T/done.txt" >&2; fail "only ${rows:-0} steps show figures"; }
echo "steps with figures: $rows"
grep -q '─ Findings ([1-9][0-9]*) ─' "$T/done.txt" || fail "no Findings section"
# a finding: a severity tag, then words
grep -qE '^ (ALERT|WARN|info) +[A-Za-z0-9].{20,}' "$T/done.txt" || fail "no finding text"
[ -e "$D/iolab-diagnose.dat" ] && fail "the scratch file was left behind"

# Up selects the step before the last: its line under the table
tm send-keys Up
wait_re '^ bufwrite-4k: 4k buffered write' 5
tm send-keys Home
wait_re '^ randread-4k-qd1: 4k random read' 5

# H: the step's heat map; Left at once (no redraw between): the cursor on
# the newest interval with I/O, whose tooltip lists its latency ranges and
# percentiles (not a tooltip of the map before it was drawn)
tm send-keys H Left
wait_for 'latency: heat map' 5
wait_re 't=[0-9.]+-[0-9.]+s' 5
capture | grep -q 'no I/O here' && fail "the heat map's first tooltip has no I/O"
capture | grep -qE '[0-9.]+(ns|us|ms)-[0-9.]+(ns|us|ms) +[0-9.]+k? +[0-9.]+%' ||
	fail "the heat map's tooltip lists no latency range with count and share"
capture | grep -qE 'p99\.9 +[0-9.]+(ns|us|ms)' || fail "the heat map's tooltip has no p99.9"
# Esc leaves the cursor, not the view; H again: the lines
tm send-keys Escape
i=0
while capture | grep -qE 't=[0-9.]+-[0-9.]+s'; do
	i=$((i + 1))
	[ $i -le 25 ] || fail "Esc did not take the cursor's tooltip away"
	sleep 0.2
done
capture | grep -q 'Latency heat map' || fail "Esc with a cursor left the diagnose view"
tm send-keys H
wait_for 'latency: lines' 5

# 80x24: the table, the findings title and the footer
tm resize-window -x 80 -y 24
wait_re '^randread-4k-qd1 +done' 5
wait_re '^mixed-7030 +done' 5
wait_for 'Findings (' 5
capture | grep -q 'EscBack' || fail "no footer at 80x24"
tm resize-window -x 120 -y 40

# a second run, stopped with Esc while it runs
tm send-keys n
wait_for 'seconds per step' 5
tm send-keys Enter
wait_re 'step [0-9] of 7|preparing the scratch file' 30
tm send-keys Escape
wait_for 'diagnose stopped' 5
wait_re '^Job +State' 5
deadline=$(( $(date +%s) + 15 ))
while [ -e "$D/iolab-diagnose.dat" ]; do
	[ "$(date +%s)" -ge "$deadline" ] && fail "a stopped battery left its scratch file"
	sleep 0.2
done

tm send-keys q
wait_for 'EXIT=0' 15
check_restored
echo "ok"
