#!/bin/sh
# Issue 19 in the diagnose view, on the slow-disk lab: a device that stops
# for 300 ms every 2 s (labfs --stall=2000:300), 4 s steps, in monochrome
# at 120x40 (TERM=xterm-mono: glyph shades, a mouse). After the battery the
# periodic-stall finding says when the stalled I/Os completed; on the first
# step, H shows its heat map; the keyboard cursor (Left) reaches an interval
# the finding names, whose tooltip lists a latency range past 100 ms with
# its count and share and the finding's slow I/Os there; the pointer on
# that column's slowest populated cell marks that range ("> ").
. "$(dirname "$0")/lib.inc"
. "$ROOT/tests/lab/lab.inc"
lab_need
lab_disk 256 --stall=2000:300

pane_start 120 40
pane_run "cd $T && TERM=xterm-mono $IOLAB; echo EXIT=\$?"
wait_re '^Job +State' 15
tm send-keys D
wait_for 'seconds per step' 5
tm send-keys C-u
tm send-keys -l "$LAB_DEV"
tm send-keys Tab C-u 4 Enter
wait_re 'done: [0-9]+ findings?' 90
capture | grep -q 'Periodic stalls' || fail "no periodic-stall finding in the view"
capture | tr -s ' \n' ' ' | grep -q 'completed at t=' ||
	fail "the periodic-stall finding does not say when the slow I/Os completed"

# the first step, its heat map
tm send-keys k k k k k k k
wait_re '^ randread-4k-qd1: ' 5
tm send-keys H
wait_for 'latency: heat map' 5
wait_for 'Latency heat map' 5

# Left from the newest interval until the tooltip names the finding's I/Os
tm send-keys Left
i=0
until capture | grep -q 'periodic_stall: >='; do
	i=$((i + 1))
	[ $i -le 80 ] || fail "no interval of the heat map holds the stall finding's I/Os"
	tm send-keys Left
	sleep 0.15
done
capture >"$T/tip.txt"
python3 - "$T/tip.txt" <<'PY' || fail "the tooltip at a stall does not show the stalled I/Os"
import re, sys
text = open(sys.argv[1]).read()
UNIT = {'ns': 1, 'us': 1e3, 'ms': 1e6, 's': 1e9}
def ns(v, u):
    return float(v) * UNIT[u]
rng = re.findall(r'([0-9.]+)(ns|us|ms|s)-([0-9.]+)(ns|us|ms|s) +([0-9.]+k?) +([0-9.]+)%', text)
assert rng, 'no latency ranges in the tooltip'
slow = [r for r in rng if ns(r[2], r[3]) > 100e6]
assert slow, 'no range past 100 ms: %r' % rng
m = re.search(r'periodic_stall: >= ([0-9.]+)ms +([0-9]+) of ([0-9]+)', text)
assert m and int(m.group(2)) >= 1 and int(m.group(3)) >= int(m.group(2)), 'finding line %r' % m
assert re.search(r'p99\.9 +[0-9.]+(ns|us|ms|s)', text), 'no p99.9'
print('ok: stall interval: %s, finding %s of %s I/Os over %s ms' % (
    ' '.join('%s%s-%s%s %s %s%%' % r for r in slow), m.group(2), m.group(3), m.group(1)))
PY

# the pointer on the same column's slowest populated cell
xy=$(capture | python3 -c '
import sys
rows = sys.stdin.read().split("\n")
ax = [y for y, r in enumerate(rows) if "\u25b2" in r]
assert ax, "no cursor mark on the time axis"
y0 = ax[-1]
x = rows[y0].rindex("\u25b2")
for y in range(y0 - 1, 0, -1):
    if "Latency heat map" in rows[y]:
        break
    if len(rows[y]) > x and rows[y][x] in "\u2591\u2592\u2593\u2588":
        top = y
print(x, top)') || fail "cannot find the stall's cell on the heat map"
x=${xy% *}
y=${xy#* }
tm send-keys -H 1b 5b 4d 43 $(printf '%x %x' $((x + 33)) $((y + 33)))
sleep 0.5
capture | python3 -c '
import re, sys
t = sys.stdin.read()
m = re.search(r"> ([0-9.]+)(ns|us|ms|s)-([0-9.]+)(ns|us|ms|s) ", t)
assert m, "no range marked under the pointer"
hi = float(m.group(3)) * {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}[m.group(4)]
assert hi > 100e6, "the marked range ends at %s%s, not past 100 ms" % (m.group(3), m.group(4))
print("ok: pointer marks", m.group(0))' || fail "the pointer does not mark the stall's range"

tm send-keys Escape q
wait_re '^Job +State' 5
tm send-keys q
wait_for 'EXIT=0' 15
echo "ok: diagnose heat map on the stall lab"
