#!/bin/sh
# numjobs=8 at 80x24 and 120x40: clones are named capped.0 .. capped.7 in
# the table, the overlaid legend and the tooltip; rows that do not fit say
# "+N more" and scroll into view; the knob dialog says which clone it
# changes and offers all of them; applied to all, the status line and the
# marker name the clones ("capped.0-7"), and the tooltip lists the change.
. "$(dirname "$0")/lib.inc"

cat >"$T/capped.fio" <<'JOB'
[global]
ioengine=null
rw=randread
bs=4k
size=1g
time_based=1
runtime=120

[capped]
rate_iops=1000
numjobs=8
JOB

for size in 80x24 120x40; do
	SOCK=iolab-e2e-$$-$size # a server of its own for each size
	pane_start "${size%x*}" "${size#*x}"
	pane_run "$IOLAB --run $T/capped.fio; echo EXIT=\$?"
	wait_re '^capped\.0 +r running' 15
	wait_re '^capped\.1 +r running' 5
	# a sample in (the IOPS column fills from samples)
	wait_re '^capped\.0 +r running .*% +[0-9.]+k ' 15
	if [ "$size" = 80x24 ]; then
		wait_re '^ \+[0-9]+ more' 5
		capture | grep -q '^capped\.7 ' && fail "$size: all 8 rows fit at 80x24?"
		tm send-keys End
		wait_re '^capped\.7 +r running' 5
		wait_re '^ \+[0-9]+ more above' 5
		tm send-keys Home
		wait_re '^ \+[0-9]+ more$' 5
	else
		wait_re '^capped\.5 +r running' 5
	fi
	# every graph with every clone, named
	tm send-keys a
	wait_for 'graphs: all jobs' 5
	wait_for '■ capped.0 ■ capped.1' 5
	capture | grep -qE '■ capped ■ capped' && fail "$size: clones unnamed in a legend"
	tm send-keys Tab
	sleep 0.3
	tm send-keys Left
	wait_re 't=[0-9]+\.[0-9]s' 5
	wait_re '■ capped\.3 +[0-9.]+k? IOPS' 5
	tm send-keys Escape
	wait_gone 't=' 5
	tm send-keys a
	wait_for 'graphs: selected job' 5
	tm send-keys BTab
	# the knob dialog on clone 2
	tm send-keys Down
	tm send-keys Down
	wait_for 'job capped.2' 5
	tm send-keys d
	wait_for 'Live knob' 5
	wait_for "capped.2 (clone 3 of 8 of 'capped')" 5
	wait_for 'capped.2 only' 5
	wait_for 'All 8 clones' 5
	tm send-keys C-u 4 Tab Enter
	wait_gone 'Live knob' 5
	wait_for 'capped.0-7: QD 1 -> 4' 5
	wait_for 'QD 1->4' 5
	# one marker, not eight: "QD 1->4" once on each time axis
	n=$(capture | grep -o 'QD 1->4' | wc -l)
	[ "$n" -le 4 ] || fail "$size: $n markers for one change"
	tm send-keys q
	wait_for 'Stop them and quit?' 5
	tm send-keys y
	wait_for 'EXIT=0' 15
	tm kill-server
	echo "$size ok"
done
echo "ok"
