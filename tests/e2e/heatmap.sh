#!/bin/sh
# The latency heat map (issue 19) at 80x24, in 256 colours and in
# monochrome (TERM=xterm-mono: no colours, a mouse): a null-engine job with inject_delay=5ms:10% shows
# two bands, the upper one (the delayed tenth, around 5 ms) lighter than
# the lower one (the null engine's sub-microsecond rest); H toggles it and
# the footer says so; the pointer on the upper band gives a tooltip whose
# highlighted range holds 5 ms with a share near 10%, and the percentiles;
# in the results view, H and Left give the run's heat map and a tooltip
# holding the 5 ms range near 10%.
. "$(dirname "$0")/lib.inc"

cat >"$T/inj.fio" <<'JOB'
[inj]
ioengine=null
rw=randread
bs=4k
size=1g
time_based=1
runtime=120
rate_iops=400
inject_delay=5ms:10%
JOB

# Reads `tmux capture-pane -p -e` of the whole pane on stdin; argv: mode
# (256 or mono) and what to do: "bands" checks the two bands and prints the
# window cell "x y" of a populated cell of the upper band; "tip" checks the
# tooltip's highlighted line.
cat >"$T/heat.py" <<'PY'
import re, sys
mode, what = sys.argv[1], sys.argv[2]
RAMP256 = ['230', '229', '222', '215', '209', '202', '160', '88']
GLYPHS = ' ░▒▓█'
rows = []
for raw in sys.stdin.read().split('\n'):
    cells, bg = [], None
    for tok in re.split(r'(\x1b\[[0-9;:]*m)', raw):
        m = re.match(r'\x1b\[([0-9;:]*)m', tok)
        if not m:
            cells.extend((ch, bg) for ch in tok)
            continue
        ps = m.group(1).split(';') if m.group(1) else ['0']
        i = 0
        while i < len(ps):
            p = ps[i]
            if p in ('', '0', '49'):
                bg = None
            elif p in ('38', '48'):
                if p == '48' and ps[i + 1] == '5':
                    bg = ps[i + 2]
                i += 2 if ps[i + 1] == '5' else 4
            i += 1
    rows.append(cells)
text = [''.join(c for c, _ in r) for r in rows]
UNIT = {'ns': 1, 'us': 1e3, 'ms': 1e6, 's': 1e9}
def ns(s):
    m = re.fullmatch(r'([0-9.]+)(ns|us|ms|s)', s)
    return float(m.group(1)) * UNIT[m.group(2)] if m else None

if what == 'bands':
    top = next((i for i, t in enumerate(text) if 'eat map ' in t), None)
    if top is None:
        sys.exit('no heat map pane')
    plot = []  # (window row, low bound ns, shade levels of the cells)
    for y in range(top + 1, len(text)):
        m = re.match(r'^ *([0-9.]+(?:ns|us|ms|s))[┤|+]', text[y])
        if not m:
            break
        x0 = len(m.group(0))
        lv = []
        for ch, bg in rows[y][x0:39]:
            if mode == '256':
                lv.append(RAMP256.index(bg) + 1 if bg in RAMP256 else 0)
            else:
                lv.append(GLYPHS.index(ch) if ch in GLYPHS else 0)
        plot.append((y, ns(m.group(1)), x0, lv))
    if len(plot) < 4:
        sys.exit('heat map plot not found (%d rows)' % len(plot))
    # the row holding 5 ms: the last whose low bound is <= 5 ms
    five = max((p for p in plot if p[1] <= 5e6), key=lambda p: p[1])
    below = [p for p in plot if p[1] < 5e6 / 8 and p is not five]
    upper = max(five[3])
    lower = max((max(p[3]) for p in below), default=0)
    if not upper:
        sys.exit('no upper band around 5 ms')
    if not lower:
        sys.exit('no lower band')
    # between them, at most stray outliers: lighter than either band
    gap = [p for p in plot if p[1] > 20e3 and p[1] < five[1] / 2 and max(p[3]) >= upper]
    if gap:
        sys.exit('no gap between the bands: row %s as dark as the upper band' % gap[0][1])
    if lower <= upper:
        sys.exit('lower band (shade %d) not darker than the upper one (%d)' % (lower, upper))
    col = next(i for i, v in enumerate(five[3]) if v)
    print(five[2] + col, five[0])
else:
    hl = [t for t in text if re.search(r'> [0-9.]+(?:ns|us|ms|s)-[0-9.]+(?:ns|us|ms|s) ', t)]
    if not hl:
        sys.exit('no highlighted range in the tooltip')
    m = re.search(r'> ([0-9.]+(?:ns|us|ms|s))-([0-9.]+(?:ns|us|ms|s)) +[0-9.]+k? +([0-9.]+)%', hl[0])
    if not m:
        sys.exit('cannot read %r' % hl[0])
    lo, hi, share = ns(m.group(1)), ns(m.group(2)), float(m.group(3))
    if not (lo <= 5e6 < hi):
        sys.exit('highlighted range %s-%s does not hold 5 ms' % (m.group(1), m.group(2)))
    if not (5 <= share <= 17):
        sys.exit('share of the 5 ms range %.1f%%, not near 10%%' % share)
    if not any(re.search(r'p99\.9 +[0-9.]+(?:ns|us|ms|s)', t) for t in text):
        sys.exit('no p99.9 in the tooltip')
    print('%s-%s %.1f%%' % (m.group(1), m.group(2), share))
PY

check() {
	pane_run "clear; env $1 $IOLAB --run $T/inj.fio; echo EXIT=\$?"
	wait_re '^inj +r running' 15
	capture | grep -q 'HHeat' || fail "$2: the footer does not offer H"
	tm send-keys H
	wait_for 'eat map ' 5
	wait_for 'latency: heat map' 5
	# a few samples: both bands in most columns
	sleep 5
	xy=$(tm capture-pane -p -e | python3 "$T/heat.py" "$2" bands) || fail "$2: bands"
	x=${xy% *}
	y=${xy#* }
	# the pointer over the upper band (an X10 motion report)
	tm send-keys -H 1b 5b 4d 43 $(printf '%x %x' $((x + 33)) $((y + 33)))
	wait_re 't=[0-9]+\.[0-9]s' 5
	got=$(tm capture-pane -p -e | python3 "$T/heat.py" "$2" tip) || fail "$2: tooltip"
	echo "$2: upper band $got"
	# H again: the latency lines are back
	tm send-keys Escape H
	wait_gone 'eat map ' 5
	wait_re '─ Latency ' 5
	# the results view: H and Left give the run's heat map with a cursor
	# whose tooltip holds the 5 ms range near 10%; Esc the cursor, Esc back
	tm send-keys r
	wait_for 'Results ' 5
	tm send-keys H Left
	wait_re 't=[0-9]+\.[0-9]s' 5
	capture | python3 -c '
import re, sys
U = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}
for lo, lu, hi, hu, share in re.findall(r"([0-9.]+)(ns|us|ms|s)-([0-9.]+)(ns|us|ms|s) +[0-9.]+k? +([0-9.]+)%", sys.stdin.read()):
    if float(lo) * U[lu] <= 5e6 < float(hi) * U[hu] and 4 <= float(share) <= 17:
        sys.exit(0)
sys.exit("no 5 ms range near 10% in the results heat map tooltip")' || fail "$2: results heat map"
	tm send-keys Escape
	wait_gone 'I/Os  ' 5
	tm send-keys Escape
	wait_re '^inj +r running' 5
	tm send-keys q
	wait_for 'and quit?' 5
	tm send-keys y
	wait_for 'EXIT=0' 15
}

pane_start 80 24
check "TERM=screen-256color" 256
check "TERM=xterm-mono" mono
echo "ok"
