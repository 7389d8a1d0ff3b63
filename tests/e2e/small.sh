#!/bin/sh
# What a small terminal keeps, at 80x24 and 120x40, for a read/write job on
# a long path: the header's target keeps the file's name and marks what it
# left out (never cut to another path); the bandwidth legend keeps its
# figures; the cursor's tooltip stays inside the IOPS graph, every axis
# label of the bandwidth graph beside it whole; the help wraps a long
# description instead of cutting it.
. "$(dirname "$0")/lib.inc"

mkdir -p "$T/work/a-rather-long-directory-name"
cat >"$T/long.fio" <<JOB
[rw]
ioengine=null
rw=randrw
bs=8k
size=1g
time_based=1
runtime=120
rate_iops=4000
filename=$T/work/a-rather-long-directory-name/test1.dat
JOB

for size in 80x24 120x40; do
	SOCK=iolab-e2e-$$-$size # a server of its own for each size
	cols=${size%x*}
	pane_start "$cols" "${size#*x}"
	pane_run "$IOLAB --run $T/long.fio; echo EXIT=\$?"
	wait_re '^rw +m running .*% +[0-9.]+k ' 15
	# the target: its end whole, an ellipsis for the middle unless it fits
	head=$(capture | head -n 1)
	case "$head" in
	*"target $T/work/a-rather-long-directory-name/test1.dat"*) ;;
	*"target "*"…"*"/test1.dat"*) ;;
	*) fail "$size: target cut: $head" ;;
	esac
	# bandwidth legend with its values
	wait_re '(─ BW |─ Bandwidth ).*■ (r|read) [0-9.]+[KMG]?i?B/s' 5
	# the tooltip inside the IOPS graph (columns 0 .. (cols-1)/2 - 1)
	tm send-keys Tab
	sleep 0.3
	tm send-keys Left
	wait_re 't=[0-9]+\.[0-9]s' 5
	capture | python3 -c '
import sys
cols = int(sys.argv[1])
lines = sys.stdin.read().split("\n")
limit = (cols - 1) // 2
box = [(y, l.index("╮")) for y, l in enumerate(lines) if "╮" in l]
end = [y for y, l in enumerate(lines) if "╯" in l]
if not box or not end:
    sys.exit("no tooltip box")
y, right = box[0]
if right >= limit:
    sys.exit("tooltip reaches column %d, past the IOPS graph (< %d)" % (right, limit))
# beside it, every y label of the bandwidth graph: a figure and a unit
for l in lines[y:end[0] + 1]:
    rest = l[limit + 1:]
    if "┤" in rest:
        lab = rest.split("┤")[0].strip()
        if lab and not (lab == "0" or lab[0].isdigit() and lab.endswith("B/s")):
            sys.exit("bandwidth label %r" % lab)
' "$cols" || fail "$size: tooltip"
	tm send-keys Escape
	wait_gone 't=' 5
	# what the tooltip covered is drawn again: the bandwidth graph's y
	# labels are whole on every row, the tooltip's border gone
	capture | python3 -c '
import sys
cols = int(sys.argv[1])
limit = (cols - 1) // 2
lines = sys.stdin.read().split("\n")
if any("╮" in l or "╯" in l for l in lines):
    sys.exit("the tooltip box is still drawn")
labs = [l[limit + 1:].split("┤")[0].strip() for l in lines if "┤" in l[limit + 1:]]
labs = [x for x in labs if x]
bad = [x for x in labs if not (x == "0" or x[0].isdigit() and (x.endswith("B/s") or x.endswith("%")))]
if bad:
    sys.exit("labels %r after the tooltip went" % bad)
' "$cols" || fail "$size: after the tooltip"
	# help: a description too long for the row wraps under itself
	tm send-keys '?'
	wait_for 'Everywhere' 5
	capture | grep -A1 'F8 D' | grep -q 'findings' ||
		fail "$size: help cuts the F8 line: $(capture | grep -A1 'F8 D')"
	tm send-keys Escape
	wait_re '^rw +m running' 5
	tm send-keys q
	wait_for 'and quit?' 5
	tm send-keys y
	wait_for 'EXIT=0' 15
	tm kill-server
	echo "$size ok"
done
echo "ok"
