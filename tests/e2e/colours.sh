#!/bin/sh
# Colours as the terminal allows, at 80x24 and 120x40, for a read/write job:
# NO_COLOR (non-empty) and TERM=vt100 draw no colour at all, the table and
# header readable and read and write told apart by attributes (plain and
# bold swatches); an empty NO_COLOR does not count; xterm-256color gets the
# 256-colour palette; a direct-colour terminal (terminfo with 2^24
# colours, compiled here with tic) gets the same palette as exact RGB, not
# palette numbers read as RGB (index 114 as 0,0,114: dark blue).
. "$(dirname "$0")/lib.inc"

cat >"$T/rw.fio" <<'JOB'
[rw]
ioengine=null
rw=randrw
bs=4k
size=1g
time_based=1
runtime=120
rate_iops=2000
JOB

# what the pane shows, with its attributes, as python reads it:
#   colours  whether any cell has a foreground/background colour
#   swatches the attributes of the legend swatches before " read"/" write"
cat >"$T/sgr.py" <<'PY'
import re, sys
mode = sys.argv[1]
text = sys.stdin.read()
colour = False
cells = []          # (char, attrs frozenset, fg)
bold = False
fg = None
for tok in re.split(r'(\x1b\[[0-9;:]*m)', text):
    m = re.match(r'\x1b\[([0-9;:]*)m', tok)
    if not m:
        for ch in tok:
            cells.append((ch, bold, fg))
        continue
    ps = m.group(1).split(';') if m.group(1) else ['0']
    i = 0
    while i < len(ps):
        p = ps[i]
        if p in ('', '0'):
            bold, fg = False, None
        elif p == '1':
            bold = True
        elif p == '22':
            bold = False
        elif p in ('38', '48'):
            colour = True
            if ps[i + 1] == '5':
                v = 'p' + ps[i + 2]; i += 2
            else:
                v = 'rgb(%s,%s,%s)' % tuple(ps[i + 2:i + 5]); i += 4
            if p == '38':
                fg = v
        elif p in ('39', '49'):
            if p == '39':
                fg = None
        elif re.fullmatch(r'3[0-7]|4[0-7]|9[0-7]|10[0-7]', p):
            colour = True
            if p.startswith('3'):
                fg = 'c' + p
        i += 1
line = ''.join(c for c, _, _ in cells)
def swatch(label):
    k = line.find('■ ' + label + ' ')
    if k < 0:
        k = line.find('# ' + label + ' ')
    return cells[k] if k >= 0 else None
r, w = swatch('read'), swatch('write')
if mode == 'mono':
    if colour:
        sys.exit('colour codes on a screen that should have none')
    if not r or not w:
        sys.exit('no read/write legend')
    if r[1] == w[1]:
        sys.exit('read and write swatches look the same')
elif mode == '256':
    if not r or r[2] != 'p114':
        sys.exit('read swatch colour %r, want palette 114' % (r and r[2]))
elif mode == 'direct':
    if 'rgb(0,0,' in text.replace('\x1b[38;2;0;0;', 'rgb(0,0,'):
        sys.exit('palette numbers sent as RGB')
    if not r or r[2] != 'rgb(135,215,135)':
        sys.exit('read swatch colour %r, want rgb(135,215,135)' % (r and r[2]))
PY

cat >"$T/direct.src" <<'TI'
xterm-direct-iolab|xterm with direct colour (iolab test),
	colors#0x1000000, pairs#0x10000, RGB,
	setab=\E[%?%p1%{8}%<%t4%p1%d%e48\:2\:\:%p1%{65536}%/%d\:%p1%{256}%/%{255}%&%d\:%p1%{255}%&%d%;m,
	setaf=\E[%?%p1%{8}%<%t3%p1%d%e38\:2\:\:%p1%{65536}%/%d\:%p1%{256}%/%{255}%&%d\:%p1%{255}%&%d%;m,
	use=xterm-256color,
TI
direct=0
if command -v tic >/dev/null 2>&1 && tic -x -o "$T/ti" "$T/direct.src" 2>/dev/null; then
	direct=1
else
	echo "note: no tic; the direct-colour case is not checked"
fi

# one case: ENV (for env), MODE (for sgr.py)
check() {
	pane_run "clear; env $1 $IOLAB --run $T/rw.fio; echo EXIT=\$?"
	wait_re '^rw +m running .*% +[0-9.]+k ' 15
	wait_re '(read|r) [0-9.]+k' 5
	capture | grep -q '^Job  *State  *Progress' || fail "$size $1: table header unreadable"
	row=$(capture | grep -n 'IOPS ─' | head -n 1 | cut -d: -f1)
	[ -n "$row" ] || fail "$size $1: no IOPS graph"
	tm capture-pane -p -e -S $((row - 1)) -E $((row - 1)) | python3 "$T/sgr.py" "$2" ||
		fail "$size $1"
	tm send-keys q
	wait_for 'and quit?' 5
	tm send-keys y
	wait_for 'EXIT=0' 15
}

for size in 80x24 120x40; do
	SOCK=iolab-e2e-$$-$size # a server of its own for each size
	pane_start "${size%x*}" "${size#*x}"
	check "TERM=xterm-256color NO_COLOR=1" mono
	check "TERM=vt100" mono
	check "TERM=xterm-256color NO_COLOR=" 256
	check "TERM=xterm-256color" 256
	[ $direct = 1 ] && check "TERMINFO=$T/ti TERM=xterm-direct-iolab" direct
	tm kill-server
	echo "$size ok"
done
echo "ok"
