#!/bin/sh
# The terminal going away (window closed, tmux killed, ssh dropped) ends
# iolab: the jobs stop and the process exits, instead of spinning on a
# stdin that is always "ready". Found when killed tmux sessions left iolab
# processes at 30% CPU each.
. "$(dirname "$0")/lib.inc"

two_jobs "$T/two.fio"
pane_start 100 30
pane_run "exec $IOLAB --run $T/two.fio"
wait_re '^a +r ' 15
pid=$(tm list-panes -F '#{pane_pid}')
[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || fail "no iolab process in the pane"
tm kill-server
for i in $(seq 1 50); do
	kill -0 "$pid" 2>/dev/null || { echo "ok: iolab exited $((i * 100)) ms after the hangup"; exit 0; }
	sleep 0.1
done
kill -9 "$pid" 2>/dev/null
fail "iolab (pid $pid) still running 5 s after its terminal went away"
