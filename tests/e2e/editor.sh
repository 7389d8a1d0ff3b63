#!/bin/sh
# The editor: every group of the option table, the help of the focused
# option, validation as you type (bs=abc says why), and a refused value
# keeps the job from starting.
. "$(dirname "$0")/lib.inc"

two_jobs "$T/two.fio"
pane_start 120 40
pane_run "$IOLAB $T/two.fio; echo EXIT=\$?"
wait_re '^a +P ' 15
tm send-keys F2
wait_for 'Edit job' 5
for g in target workload queue rate timing; do
	:
done
wait_for '─ job ' 5
# find bs, edit it to "abc"
tm send-keys / b s Enter
wait_for 'bs / blocksize' 5
tm send-keys Enter C-u a b c
wait_for "'abc' is not a size" 5
tm send-keys Enter
wait_for '1 refused' 5
# starting is refused and says why
tm send-keys F5
wait_for 'the job was not started' 5
tm send-keys Enter
capture | grep -qE '^a +P ' && fail "editor closed on a refused value"
# fix it: the reason goes away
tm send-keys Enter C-u 8 k Enter
wait_gone "'abc' is not a size" 5
wait_gone 'refused' 5
# the groups are all there (scroll through with PgDn)
seen=""
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
	seen="$seen $(capture | grep -oE '^─ [a-z]+ ' | tr -d '─ ' | tr '\n' ' ')"
	tm send-keys NPage
	sleep 0.1
done
for g in job target workload queue rate timing verify logging engine fault; do
	echo "$seen" | grep -qw "$g" || fail "editor has no '$g' group (saw:$seen)"
done
tm send-keys Escape
wait_re '^a +P ' 5
tm send-keys q
wait_for 'EXIT=0' 10
check_restored
echo "ok"
