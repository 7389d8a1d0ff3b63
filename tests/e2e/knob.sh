#!/bin/sh
# A live knob: iodepth 1 -> 32 on a running job through the prompt; the
# change shows as a marker on the graphs' time axis ("QD 1->32"), the job
# keeps running, and a bad value is refused with a reason.
. "$(dirname "$0")/lib.inc"

two_jobs "$T/two.fio"
pane_start 120 40
pane_run "$IOLAB --run $T/two.fio; echo EXIT=\$?"
wait_re '^a +r running' 15
wait_re '^a +r running .*% +[0-9.]+k ' 15
tm send-keys d
wait_for 'Live knob' 5
tm send-keys C-u x y z Enter
wait_for 'iodepth:' 5
tm send-keys C-u 3 2 Enter
wait_gone 'Live knob' 5
wait_for 'QD 1->32' 10
wait_re '^a +r running' 5
# an IOPS cap change on the other job
tm send-keys Down o
wait_for 'Live knob' 5
tm send-keys C-u 3 0 0 0 Enter
wait_for 'IOPS cap 5k->3k' 10
tm send-keys q
wait_for 'Stop them and quit?' 5
tm send-keys y
wait_for 'EXIT=0' 15
echo "ok"
