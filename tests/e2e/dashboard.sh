#!/bin/sh
# The dashboard with two paced null-engine jobs at 120x40: both jobs shown
# with IOPS within 5% of their rates, braille graphs, a tooltip under the
# cursor (Left), Esc removes it, a resize to 80x24 keeps both jobs, q asks
# first and exits 0 with the terminal restored.
. "$(dirname "$0")/lib.inc"

two_jobs "$T/two.fio"
pane_start 120 40
pane_run "$IOLAB --run $T/two.fio; echo EXIT=\$?"
wait_re '^a +r running' 15
wait_re '^b +r running' 15

# IOPS column: the figure after the progress percentage; wait until both
# settle within 5% of their rates (the first interval may still ramp)
deadline=$(( $(date +%s) + 20 ))
while :; do
	verdict=$(capture | python3 -c '
import re, sys
want = {"a": 2000, "b": 5000}
got = {}
for line in sys.stdin:
    m = re.match(r"^([ab]) +\S running .*?\d+% +([0-9.]+)([kM]?) ", line)
    if m:
        v = float(m.group(2)) * {"": 1, "k": 1e3, "M": 1e6}[m.group(3)]
        got[m.group(1)] = v
ok = len(got) == 2 and all(abs(got[j] - want[j]) <= 0.05 * want[j] for j in want)
print(("ok " if ok else "no ") + repr(got))
')
	case "$verdict" in ok*) break ;; esac
	[ "$(date +%s)" -ge "$deadline" ] && fail "IOPS not within 5% of 2000/5000: $verdict"
	sleep 0.5
done
echo "iops: $verdict"

# braille cells (U+2800..U+28FF) in the graphs
deadline=$(( $(date +%s) + 10 ))
until capture | python3 -c '
import sys
s = sys.stdin.read()
sys.exit(0 if sum(1 for c in s if 0x2801 <= ord(c) <= 0x28ff) >= 10 else 1)'; do
	[ "$(date +%s)" -ge "$deadline" ] && fail "no braille cells in the graphs"
	sleep 0.5
done

# the cursor and its tooltip: the time and each series with its job
tm send-keys Left
wait_re 't=[0-9]+\.[0-9]s' 5
wait_re 'a read +[0-9.]+k? IOPS' 5
tm send-keys Escape
wait_gone 't=' 5
wait_for 'live' 5

# the mouse: motion reports are on (mode 1003), and a pointer over the IOPS
# graph brings the same cursor and tooltip (an X10 motion report written
# into the pane as the terminal would send it)
[ "$(tm display -p '#{mouse_any_flag}')" = 1 ] || fail "mouse motion reports are not enabled"
tm send-keys -H 1b 5b 4d 43 $(printf '%x %x' $((7 + 33)) $((10 + 33)))
wait_re 't=[0-9]+\.[0-9]s' 5
wait_re 'a read +[0-9.]+k? IOPS' 5
# the pointer leaving the graphs takes the tooltip away
tm send-keys -H 1b 5b 4d 43 $(printf '%x %x' $((7 + 33)) $((3 + 33)))
wait_gone 't=' 5

# overlay: every job on the graphs, the tooltip names both
tm send-keys a Left
wait_re '■ a.*■ b' 5
wait_re '■ b +[0-9.]+k IOPS' 5
tm send-keys Escape a

# resize: both jobs still visible at 80x24
tm resize-window -x 80 -y 24
wait_re '^a +r running' 10
wait_re '^b +r running' 10
capture | grep -q 'qQuit' || fail "no footer at 80x24"

# quit: asks first while jobs run, then exits 0 and restores the terminal
tm send-keys q
wait_for 'Stop them and quit?' 5
tm send-keys y
wait_for 'EXIT=0' 15
check_restored
echo "ok"
