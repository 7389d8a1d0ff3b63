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
wait_re 'fl\.1 read +[0-9.]+k? IOPS'
# the tooltip reads fio's own figure there: fio's pacing swings a window
# well away from its 2000 on a loaded host, so the reference is the log's
# windows around the cursor's time, not the rate asked for
capture | python3 -c '
import re, sys
scr = sys.stdin.read()
t = float(re.search(r"t=([0-9.]+)s", scr).group(1))
m = re.search(r"fl\.1 read +([0-9.]+)(k?) IOPS", scr)
v = float(m.group(1)) * (1000 if m.group(2) else 1)
near = [float(l.split(",")[1]) for l in open(sys.argv[1])
        if abs(float(l.split(",")[0]) / 1000 - t) <= 0.35]
assert near, "no log window near t=%.1f s" % t
lo, hi = min(near), max(near)
assert 0.95 * lo <= v <= 1.05 * hi, "tooltip %.0f IOPS at t=%.1f s, fio logged %.0f-%.0f" % (v, t, lo, hi)
print("tooltip %.0f IOPS at t=%.1f s; fio logged %.0f-%.0f there" % (v, t, lo, hi))
' "$T/fl_iops.1.log" || fail "the tooltip does not read fio's log"
tm send-keys q
wait_for "EXIT=0"
echo ok
