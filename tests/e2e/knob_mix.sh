#!/bin/sh
# The IOPS cap knob on a 90/10 mix (issue 16), at 80x24 and 120x40: two
# clones run with rate_iops=50000 from the job file (fio's meaning: 50000
# for each direction). The dialog says what the caps are now and that the
# new value is a total split as the mix splits I/Os; 50000 for all clones
# sets read 45000 and write 5000 each, the status line says so (whole at
# 120 columns, elided but with the caps at 80), the header's IOPS follow
# (r 90k w 10k for both), and the time axis names the change in a form
# that fits ("IOPS cap 50k,50k->45k,5k"), never cut to a wrong value. A
# bs change right after it is marked "bs 8k->64k" beside the first marker,
# neither drawn over the other.
. "$(dirname "$0")/lib.inc"

cat >"$T/mix.fio" <<'JOB'
[global]
ioengine=null
rw=randrw
rwmixread=90
bs=8k
size=1g
time_based=1
runtime=120

[oltp]
rate_iops=50000
numjobs=2
JOB

for size in 80x24 120x40; do
	SOCK=iolab-e2e-$$-$size # a server of its own for each size
	pane_start "${size%x*}" "${size#*x}"
	pane_run "$IOLAB --run $T/mix.fio; echo EXIT=\$?"
	wait_re '^oltp\.1 +m running .*% +[0-9.]+k ' 15
	tm send-keys o
	wait_for 'Live knob' 5
	wait_for 'New total cap, split 90/10' 5
	wait_for 'cap each direction' 5
	# the caps in force (the dialog may wrap after the comma)
	wait_for 'read 50000,' 5
	wait_for 'write 50000 now' 5
	tm send-keys C-u 5 0 0 0 0 Tab Enter
	wait_gone 'Live knob' 5
	wait_for '(read 45000, write 5000)' 5
	[ "${size%x*}" -lt 100 ] || wait_for 'oltp.0-1: IOPS cap 50000,50000 -> 50000 total' 5
	wait_for 'IOPS cap 50k,50k->45k,5k' 5
	capture | grep -qE 'IOPS cap 50(000)?,50(000)?->4[0-9]?─' &&
		fail "$size: a marker cut to a wrong value"
	wait_re 'IOPS (99|100)[.0-9]*k \(r (89|90)[.0-9]*k w (9[.0-9]*|10[.0-9]*)k\)' 10
	# a second change a moment later: its marker says what changed
	# ("bs 8k->64k", not "bs job->64k") and does not draw over the first,
	# whose glyph stays, the two counted ("+1") where their labels meet
	tm send-keys b
	wait_for 'Live knob' 5
	wait_for 'is 8k now' 5
	tm send-keys C-u 6 4 k Tab Enter
	wait_gone 'Live knob' 5
	wait_re 'bs 8k->64k( \+1)?─' 5
	capture | grep -q 'job->' && fail "$size: a marker says 'job->'"
	capture | grep -E 'bs 8k->64k' | head -n 1 | grep -qE '▲.*▲' ||
		fail "$size: the first marker's glyph is gone: $(capture | grep -E 'bs 8k->64k' | head -n 1)"
	tm send-keys q
	wait_for 'Stop them and quit?' 5
	tm send-keys y
	wait_for 'EXIT=0' 15
	tm kill-server
	echo "$size ok"
done
echo "ok"
