#!/bin/sh
# A rerun starts clean: a 4 s null job at rate_iops=1000 runs, then the
# editor sets rate_iops=3000 and runtime=1s and starts it again. The header
# says the second run's time ("done in" under the first run's 4 s), and the
# report counts the second run's samples only (at most 2 for 1 s, where the
# old store gave both runs' 5 or more, with min=999 among them).
. "$(dirname "$0")/lib.inc"

cat >"$T/rr.fio" <<'JOB'
[global]
ioengine=null
rw=randread
bs=4k
size=1g
time_based=1

[r]
runtime=4s
rate_iops=1000
JOB

for size in 80x24 120x40; do
	SOCK=iolab-e2e-$$-$size # a server of its own for each size
	pane_start "${size%x*}" "${size#*x}"
	pane_run "$IOLAB --run $T/rr.fio; echo EXIT=\$?"
	wait_for 'all jobs done' 20
	tm send-keys F2
	wait_for "Edit job 'r'" 5
	tm send-keys / r a t e _ i o p s Enter
	wait_for '─ rate_iops' 5
	tm send-keys Enter C-u 3 0 0 0 Enter
	tm send-keys / r u n t i m e Enter
	wait_for '─ runtime' 5
	tm send-keys Enter C-u 1 s Enter
	wait_for '2 changed' 5
	tm send-keys F5
	wait_re 'IOPS=(29[0-9][0-9]|30[0-9][0-9])' 20 # 3000 give or take a loaded machine's tick
	wait_for 'all jobs done' 20
	tm send-keys f
	wait_re 'iops +: min=' 5
	line=$(capture | grep -E 'iops +: min=' | head -n 1)
	n=$(echo "$line" | sed -n 's/.*samples=\([0-9]*\).*/\1/p')
	min=$(echo "$line" | sed -n 's/.*min= *\([0-9]*\),.*/\1/p')
	[ -n "$n" ] && [ "$n" -le 2 ] || fail "$size: the rerun's report counts $n samples: $line"
	[ -n "$min" ] && [ "$min" -gt 1500 ] || fail "$size: a sample of the first run is counted: $line"
	tm send-keys Escape
	sleep 0.3
	tm send-keys Escape
	wait_re 'done in 00:0[0-3]' 5
	tm send-keys q
	wait_for 'EXIT=0' 10
	tm kill-server
	echo "$size: $line"
done
echo "ok"
