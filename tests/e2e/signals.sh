#!/bin/sh
# Ctrl-C in the workbench stops the jobs and exits 130 with the terminal
# restored; so does SIGTERM from outside (143). A fatal signal (SIGABRT, as
# a failed assertion raises) still puts the terminal back before the
# process dies of it (134).
. "$(dirname "$0")/lib.inc"

two_jobs "$T/two.fio"
pane_start 100 30
pane_run "$IOLAB --run $T/two.fio; echo EXIT=\$?"
wait_re '^a +r running' 15
tm send-keys C-c
wait_for 'EXIT=130' 15
check_restored

pane_run "clear; $IOLAB --run $T/two.fio; echo EXIT=\$?"
wait_re '^b +r running' 15
pid=$(pgrep -n -f -- "--run $T/two.fio") || fail "cannot find the iolab process"
kill -TERM "$pid"
wait_for 'EXIT=143' 15
check_restored

# SIGUSR1 (fio: print the stats) leaves the workbench running; SIGHUP
# then ends it like SIGTERM (129), the terminal restored and the summary
# written to --output
pane_run "clear; $IOLAB --run --output-format=json --output=$T/sum.json $T/two.fio; echo EXIT=\$?"
wait_re '^b +r running' 15
pid=$(pgrep -n -f -- "--output=$T/sum.json") || fail "cannot find the iolab process"
kill -USR1 "$pid"
sleep 0.5
kill -0 "$pid" 2>/dev/null || fail "SIGUSR1 ended the workbench"
wait_re '^b +r running' 5
kill -HUP "$pid"
wait_for 'EXIT=129' 15
check_restored
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["jobs"]) == 2' "$T/sum.json" ||
	fail "SIGHUP: no summary in --output"

pane_run "clear; ulimit -c 0; $IOLAB --run $T/two.fio; echo EXIT=\$?"
wait_re '^b +r running' 15
pid=$(pgrep -n -f -- "--run $T/two.fio") || fail "cannot find the iolab process"
kill -ABRT "$pid"
wait_for 'EXIT=134' 15
check_restored
echo "ok"
