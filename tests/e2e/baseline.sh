#!/bin/sh
# --baseline: a recording at rate_iops=1000 drawn under a live run at 2000;
# the legend names the baseline's series and the cursor's tooltip gives
# both values and the change (+100%).
. "$(dirname "$0")/lib.inc"

cat >"$T/job.fio" <<'JOB'
[a]
ioengine=null
rw=randread
size=1g
time_based=1
runtime=4
rate_iops=1000
JOB
timeout 60 "$IOLAB" --headless --status-interval=100ms --record "$T/base.jsonl" "$T/job.fio" \
	>/dev/null 2>"$T/err" || { cat "$T/err"; fail "the baseline run failed"; }
sed 's/rate_iops=1000/rate_iops=2000/' "$T/job.fio" >"$T/new.fio"

pane_start 120 40
pane_run "'$IOLAB' --no-settings --status-interval=100ms --baseline '$T/base.jsonl' '$T/new.fio'; echo EXIT=\$?"
wait_for "F1Help"
tm send-keys F5
wait_re 'elapsed 00:0[2-4]'
wait_for "base r"
cursor_back 't=1\.[0-9]s'
# a tick's figures swing a few percent on a loaded machine
wait_re 'a read +(2k|1\.9[0-9]k|2\.0[0-9]k) IOPS +base (1k|9[5-9][0-9]|1\.0[0-5]k) [+](9[0-9]|10[0-9]|11[0-5])%'
tm send-keys Escape
wait_for "all jobs done" 20
tm send-keys q
wait_for "EXIT=0"
# a baseline that cannot be read: refused before the workbench opens
pane_run "clear; '$IOLAB' --no-settings --baseline '$T/job.fio' '$T/new.fio'; echo EXIT=\$?"
wait_for "EXIT=1"
wait_for "iolab: --baseline: $T/job.fio:1: not an iolab recording"
# headless has no graphs to draw it under
"$IOLAB" --headless --baseline "$T/base.jsonl" "$T/new.fio" >/dev/null 2>"$T/err" &&
	fail "--baseline was taken headless"
grep -q "iolab: --baseline draws under the workbench's graphs" "$T/err" || { cat "$T/err"; fail "headless --baseline message"; }
echo ok
