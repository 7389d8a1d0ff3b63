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

pane_run "clear; ulimit -c 0; $IOLAB --run $T/two.fio; echo EXIT=\$?"
wait_re '^b +r running' 15
pid=$(pgrep -n -f -- "--run $T/two.fio") || fail "cannot find the iolab process"
kill -ABRT "$pid"
wait_for 'EXIT=134' 15
check_restored
echo "ok"
