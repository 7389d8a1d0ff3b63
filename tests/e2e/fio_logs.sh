#!/bin/sh
# fio's own logs in the viewer: a fio 3.x run at rate_iops=2000 with
# write_bw_log/write_iops_log/write_lat_log (log_avg_msec=100) opens with
# iolab --replay on one of its files; the header names the logs, the jobs
# are fio's numbers, the cursor's tooltip reads fio's ~2000 IOPS.
. "$(dirname "$0")/lib.inc"
command -v fio >/dev/null 2>&1 || skip "fio is not installed"

(cd "$T" && timeout 60 fio --name=fl --ioengine=null --rw=randread --size=64m --time_based \
	--runtime=3 --rate_iops=2000 --numjobs=2 --write_bw_log=fl --write_iops_log=fl \
	--write_lat_log=fl --log_avg_msec=100 >"$T/fio.out" 2>&1) || { cat "$T/fio.out"; fail "fio failed"; }
[ -s "$T/fl_iops.2.log" ] || fail "fio wrote no logs"

pane_start 120 40
pane_run "'$IOLAB' --replay '$T/fl_iops.1.log'; echo EXIT=\$?"
wait_for "fio logs fl, 2 jobs"
wait_re '^fl\.1 '
wait_re '^fl\.2 '
wait_re 'done in 00:0[2-4]'
cursor_back 't=1\.[0-9]s'
# fio's own pacing swings a window by some percent around its 2000
wait_re 'fl\.1 read +(1\.[6-9][0-9]?k|2k|2\.[0-3][0-9]?k) IOPS'
tm send-keys q
wait_for "EXIT=0"
echo ok
