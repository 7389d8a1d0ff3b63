#!/bin/sh
# Regenerates screenshots/: drives the real binary in a private tmux server
# through a scripted tour and saves what the pane shows.
#
#   screenshots/NAME.txt   plain text (tmux capture-pane -p)
#   screenshots/NAME.ans   the same with colours (capture-pane -e; `cat` it)
#   screenshots/NAME.png   rendered, when a python3 with PIL is at hand
#
# Tour: the dashboard with two paced null-engine jobs (2000 and 5000 IOPS),
# a live knob change (QD 1->32) with its marker, the cursor's tooltip, all
# jobs overlaid, the same at 80x24, the editor refusing bs=abc, help, and
# the results of a finished job, the profile picker and a diagnose run
# (1 s steps on a scratch file), and eight clones at 80x24 with the knob
# dialog. Every step waits for the text it needs
# (with a deadline), so a slow machine only makes it slower.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
IOLAB=${IOLAB:-$ROOT/iolab}
OUT=${OUT:-$ROOT/screenshots}
SOCK=iolab-shots-$$
WORK=$(mktemp -d "${TMPDIR:-/tmp}/iolab-shots.XXXXXX")

command -v tmux >/dev/null 2>&1 || { echo "screenshots: tmux is not installed" >&2; exit 1; }
[ -x "$IOLAB" ] || { echo "screenshots: no binary at $IOLAB (make iolab)" >&2; exit 1; }
# the built-in look, whatever this machine's or user's iolab.conf says
export IOLAB_SYSTEM_SETTINGS=/nonexistent/iolab-shots/iolab.conf
export XDG_CONFIG_HOME=/nonexistent/iolab-shots
mkdir -p "$OUT"

tm() { tmux -L "$SOCK" "$@"; }
cleanup() { tmux -L "$SOCK" kill-server 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT INT TERM

die() {
	echo "screenshots: $*" >&2
	tm capture-pane -p >&2 || true
	exit 1
}

wait_re() {
	deadline=$(( $(date +%s) + ${2:-20} ))
	# shellcheck disable=SC2086
	while ! tm capture-pane -p ${TGT:+-t $TGT} | grep -qE -- "$1"; do
		[ "$(date +%s)" -ge "$deadline" ] && die "timed out waiting for /$1/"
		sleep 0.2
	done
}

# PIL renderer for the .png copies (optional)
PY=""
for p in python3 /usr/bin/python3; do
	if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import PIL' 2>/dev/null; then
		PY=$p
		break
	fi
done
FONT=/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf
[ -r "$FONT" ] || PY=""
cat >"$WORK/render.py" <<'PYEOF'
import re, sys
from PIL import Image, ImageDraw, ImageFont
src, W, H, dst, fontpath = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
base = [(0,0,0),(205,49,49),(13,188,121),(229,229,16),(36,114,200),(188,63,188),(17,168,205),
        (229,229,229),(102,102,102),(241,76,76),(35,209,139),(245,245,67),(59,142,234),
        (214,112,214),(41,184,219),(255,255,255)]
def pal(n):
    if n < 16: return base[n]
    if n < 232:
        n -= 16; c = [0, 95, 135, 175, 215, 255]
        return (c[n // 36], c[(n // 6) % 6], c[n % 6])
    v = 8 + (n - 232) * 10
    return (v, v, v)
DFG, DBG = (220, 220, 220), (24, 24, 24)
font = ImageFont.truetype(fontpath, 15)
try:
    bold = ImageFont.truetype(fontpath.replace('.ttf', '-Bold.ttf'), 15)
except OSError:
    bold = font
cw, ch = int(font.getlength('M') + 0.5), 19
img = Image.new('RGB', (W * cw, H * ch), DBG)
d = ImageDraw.Draw(img)
fg = bg = None; b = rev = dim = ul = False
dots = [(0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (1, 2), (0, 3), (1, 3)]
for y, line in enumerate(open(src, encoding='utf-8', errors='replace').read().split('\n')[:H]):
    x = i = 0
    while i < len(line):
        m = re.match(r'\x1b\[([0-9;]*)m', line[i:])
        if m:
            ps = [int(p) if p else 0 for p in m.group(1).split(';')]
            k = 0
            while k < len(ps):
                p = ps[k]
                if p == 0: fg = bg = None; b = rev = dim = ul = False
                elif p == 1: b = True
                elif p == 2: dim = True
                elif p == 4: ul = True
                elif p == 7: rev = True
                elif p == 22: b = dim = False
                elif p == 24: ul = False
                elif p == 27: rev = False
                elif 30 <= p <= 37: fg = pal(p - 30)
                elif 90 <= p <= 97: fg = pal(p - 82)
                elif p == 39: fg = None
                elif 40 <= p <= 47: bg = pal(p - 40)
                elif 100 <= p <= 107: bg = pal(p - 92)
                elif p == 49: bg = None
                elif p in (38, 48) and k + 2 < len(ps) and ps[k + 1] == 5:
                    if p == 38: fg = pal(ps[k + 2])
                    else: bg = pal(ps[k + 2])
                    k += 2
                k += 1
            i += m.end()
            continue
        c = line[i]; i += 1
        f, g = fg or DFG, bg or DBG
        if rev: f, g = bg or DBG, fg or DFG
        if dim: f = tuple(v * 6 // 10 for v in f)
        d.rectangle([x * cw, y * ch, (x + 1) * cw - 1, (y + 1) * ch - 1], fill=g)
        o = ord(c)
        if 0x2800 <= o <= 0x28ff:
            for k, (px, py) in enumerate(dots):
                if (o - 0x2800) & (1 << k):
                    cx, cy = x * cw + 2 + px * (cw - 4) / 1.5, y * ch + 2 + py * (ch - 4) / 3.6
                    d.rectangle([cx, cy, cx + 2, cy + 2], fill=f)
        elif c != ' ':
            d.text((x * cw, y * ch + 1), c, font=bold if b else font, fill=f)
        if ul: d.line([x * cw, (y + 1) * ch - 2, (x + 1) * cw - 1, (y + 1) * ch - 2], fill=f)
        x += 1
img.save(dst)
PYEOF

TGT=${TGT:-}
shot() {
	name=$1
	# shellcheck disable=SC2086
	tm capture-pane -p ${TGT:+-t $TGT} >"$OUT/$name.txt"
	# shellcheck disable=SC2086
	tm capture-pane -p -e ${TGT:+-t $TGT} >"$OUT/$name.ans"
	if [ -n "$PY" ]; then
		# shellcheck disable=SC2086
		size=$(tm display-message -p ${TGT:+-t $TGT} '#{pane_width} #{pane_height}')
		# shellcheck disable=SC2086
		"$PY" "$WORK/render.py" "$OUT/$name.ans" $size "$OUT/$name.png" "$FONT" ||
			echo "screenshots: could not render $name.png" >&2
	fi
	echo "  $name"
}

cat >"$WORK/two.fio" <<'JOB'
; two paced null-engine jobs, for the screenshots
[global]
ioengine=null
rw=randread
bs=4k
size=1g
time_based=1
runtime=600

[a]
rate_iops=2000

[b]
rate_iops=5000
JOB

# 256 colours in the pane, with tmux's key sequences matching the terminfo
tm -f /dev/null start-server \; set-option -g default-terminal xterm-256color \; \
	new-session -d -x 120 -y 40 \
	"env -u NO_COLOR LANG=C.UTF-8 LC_ALL=C.UTF-8 TMPDIR=$WORK $IOLAB --run $WORK/two.fio; sleep 600"
tm set-option -g status off >/dev/null
tm resize-window -x 120 -y 40 2>/dev/null || true

echo "screenshots into $OUT:"
wait_re '^a +r running .*% +[0-9.]+k ' 20
wait_re '^b +r running .*% +[0-9.]+k ' 20
sleep 12
tm send-keys d
wait_re 'Live knob'
tm send-keys C-u 3 2 Enter
wait_re 'QD 1->32'
sleep 8
shot dashboard

tm send-keys Tab Left Left Left Left Left Left
wait_re 't=[0-9.]+s'
shot dashboard-tooltip
tm send-keys Escape a
wait_re '■ a .*■ b'
sleep 1
shot dashboard-overlay
tm send-keys a

tm resize-window -x 80 -y 24
wait_re '^b +r running'
sleep 1
shot dashboard-80x24
tm resize-window -x 120 -y 40
wait_re '^b +r running'

tm send-keys F2
wait_re 'Edit job'
tm send-keys / b s Enter Enter C-u a b c
wait_re "'abc' is not a size"
shot editor-error
# Esc restores the value the edit began with; Esc again leaves
tm send-keys Escape Escape
wait_re '^a +r running'

tm send-keys '?'
wait_re 'Everywhere'
shot help
tm send-keys NPage NPage NPage
wait_re 'Runstate letters'
shot help-runstates
tm send-keys Escape

# stop job a: its results are final while b runs on
tm send-keys Up x
wait_re '^a +_ reaped' 20
tm send-keys r
wait_re 'clat pct'
shot results

# the profile picker, then the diagnose view (it runs only while no job does)
tm send-keys Escape
wait_re '^b +r running'
tm send-keys P
wait_re 'wal-writer'
tm send-keys Down Down Down Down Down Down Down Down Down Down Down
sleep 1
shot picker
tm send-keys Escape
wait_re '^b +r running'
tm send-keys X
wait_re '_ reaped' 20 # all done: the results screen comes up
tm send-keys D
wait_re 'Runtime'
tm send-keys Tab C-u 1 Enter
wait_re 'Findings \([0-9]+\)' 120
sleep 1
shot diagnose
tm send-keys Escape

tm send-keys q
sleep 1
tm send-keys y 2>/dev/null
sleep 1

# eight clones at 80x24: numbered rows, "+4 more", the knob dialog that
# offers one clone or all of them
cat >"$WORK/capped.fio" <<'JOB'
; eight paced clones, for the screenshots
[global]
ioengine=null
rw=randrw
rwmixread=70
bs=4k
size=1g
time_based=1
runtime=600

[capped]
rate_iops=2000
numjobs=8
JOB
tm new-session -d -s clones -x 80 -y 24 \
	"env -u NO_COLOR LANG=C.UTF-8 LC_ALL=C.UTF-8 TMPDIR=$WORK $IOLAB --run $WORK/capped.fio; sleep 600"
TGT=clones
tm resize-window -t clones -x 80 -y 24 2>/dev/null || true
wait_re '^capped\.0 +m running .*% +[0-9.]+k ' 20
sleep 6
tm send-keys -t clones Down Down
wait_re 'job capped\.2'
tm send-keys -t clones o
wait_re 'All 8 clones'
shot clones-80x24
tm send-keys -t clones Escape q
sleep 1
tm send-keys -t clones y 2>/dev/null
sleep 1
# the latency heat map (H) at 120x40 and in monochrome at 80x24: a null
# job whose tenth of I/Os waits 5 ms, the pointer on the slow band
cat >"$WORK/inj.fio" <<'JOB'
; a null job with a slow tenth, for the heat map screenshots
[inj]
ioengine=null
rw=randread
bs=4k
size=1g
time_based=1
runtime=600
rate_iops=400
inject_delay=5ms:10%
JOB
heat_shot() { # session, TERM, width, height, name
	tm new-session -d -s "$1" -x "$3" -y "$4" \
		"env -u NO_COLOR LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=$2 TMPDIR=$WORK $IOLAB --run $WORK/inj.fio; sleep 600"
	TGT=$1
	tm resize-window -t "$1" -x "$3" -y "$4" 2>/dev/null || true
	wait_re '^inj +r running'
	sleep 14
	tm send-keys -t "$1" H
	wait_re 'eat map '
	sleep 1
	# the pointer on the row that holds 5 ms, a few columns in
	row=$(tm capture-pane -p -t "$1" | grep -n 'eat map ' | head -n 1 | cut -d: -f1)
	y=$(tm capture-pane -p -t "$1" | awk -v r="$row" 'NR > r && /^ *[0-9.]+(ns|us|ms|s)┤/ {
		v = $0; sub(/┤.*/, "", v); gsub(/ /, "", v); n = v + 0
		u = v; sub(/^[0-9.]+/, "", u)
		n *= (u == "s" ? 1e9 : u == "ms" ? 1e6 : u == "us" ? 1e3 : 1)
		if (n <= 5e6) { print NR - 1; exit } }')
	[ -n "$y" ] && tm send-keys -t "$1" -H 1b 5b 4d 43 $(printf '%x %x' $((12 + 33)) $((y + 33)))
	wait_re 't=[0-9.]+s'
	shot "$5"
	tm send-keys -t "$1" Escape q
	sleep 1
	tm send-keys -t "$1" y 2>/dev/null
	sleep 1
}
heat_shot heat screen-256color 120 40 dashboard-heatmap
heat_shot heatmono xterm-mono 80 24 dashboard-heatmap-mono-80x24
echo "done"
