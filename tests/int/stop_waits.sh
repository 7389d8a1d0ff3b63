#!/bin/sh
# Every wait obeys a stop (issue 12): a signal during thinktime=30s, an
# exec_prerun child (sleep 25), startdelay, a long rate-limited sleep, a
# wait_for and a replayed iolog's stall ends the run within 2 s (the wait
# was 25-1000 s), with the results written; the exec child and its process
# group are gone; diagnose survives SIGUSR1 and stops on SIGINT.
. "$(dirname "$0")/common.inc"

# stop_case NAME SIGNAL JOBFILE [iolab args]: start, signal after 1 s, then
# require an exit within 2 s and a JSON result file.
stop_case() {
	name=$1 sig=$2 job=$3
	shift 3
	"$IOLAB" --headless --output-format=json --output="$T/$name.json" "$@" "$job" \
		>"$T/$name.out" 2>"$T/$name.err" &
	pid=$!
	sleep 1
	kill -0 $pid 2>/dev/null || { cat "$T/$name.err"; fail "$name: ended before the signal"; }
	t0=$(date +%s%N)
	kill -s "$sig" $pid
	i=0
	while kill -0 $pid 2>/dev/null; do
		sleep 0.05
		i=$((i + 1))
		if [ $i -gt 40 ]; then
			kill -9 $pid
			fail "$name: still running 2 s after SIG$sig"
		fi
	done
	wait $pid
	rc=$?
	ms=$((($(date +%s%N) - t0) / 1000000))
	case $sig in INT) want=130 ;; TERM) want=143 ;; HUP) want=129 ;; esac
	[ $rc -eq $want ] || { cat "$T/$name.err"; fail "$name: exit $rc"; }
	python3 -m json.tool "$T/$name.json" >/dev/null || { cat "$T/$name.err"; fail "$name: no results"; }
	echo "ok: $name: SIG$sig obeyed in $ms ms"
}

cat >"$T/think.fio" <<'JOB'
[think]
ioengine=null
rw=read
bs=4k
size=1m
thinktime=30s
JOB
stop_case thinktime INT "$T/think.fio"
python3 - "$T/thinktime.json" <<'PY' || fail "thinktime: the I/O before the stall is not reported"
import json, sys
r = json.load(open(sys.argv[1]))["jobs"][0]["read"]
assert r["total_ios"] == 1 and r["io_bytes"] == 4096, r
PY

# thinktime_spin busy-waits part of the stall: stopped too
cat >"$T/spin.fio" <<'JOB'
[spin]
ioengine=null
rw=read
bs=4k
size=1m
thinktime=30s
thinktime_spin=20s
JOB
stop_case thinktime_spin TERM "$T/spin.fio"

# exec_prerun: the child and what it started are gone; the message says why
cat >"$T/exec.fio" <<'JOB'
[ex]
ioengine=null
rw=read
bs=4k
size=1m
exec_prerun=sleep 25.31 && sleep 25.32
JOB
stop_case exec_prerun TERM "$T/exec.fio" --allow-exec
sleep 0.2
if pgrep -f '^sleep 25\.3' >/dev/null; then
	pkill -f '^sleep 25\.3'
	fail "exec_prerun: its sleep is still running after the stop"
fi
grep -q "exec_prerun: 'sleep 25.31 && sleep 25.32' ended: the run was stopped" "$T/exec_prerun.err" ||
	{ cat "$T/exec_prerun.err"; fail "exec_prerun: no message saying it was stopped"; }

# a child that ignores SIGTERM is killed after the grace period
cat >"$T/stubborn.fio" <<'JOB'
[stubborn]
ioengine=null
rw=read
bs=4k
size=1m
exec_prerun=trap '' TERM && sleep 25.41
JOB
"$IOLAB" --headless --allow-exec --output-format=json --output="$T/stubborn.json" \
	"$T/stubborn.fio" >"$T/out" 2>"$T/err" &
pid=$!
sleep 1
kill -TERM $pid
i=0
while kill -0 $pid 2>/dev/null; do
	sleep 0.1
	i=$((i + 1))
	[ $i -lt 60 ] || { kill -9 $pid; fail "stubborn exec_prerun: still running 6 s after SIGTERM"; }
done
wait $pid
sleep 0.2
pgrep -f '^sleep 25\.41' >/dev/null && { pkill -f '^sleep 25\.41'; fail "stubborn exec_prerun: child survived"; }
echo "ok: a child ignoring SIGTERM is killed ($((i * 100)) ms)"

# startdelay: the job never starts, the run ends
cat >"$T/delay.fio" <<'JOB'
[delay]
ioengine=null
rw=read
bs=4k
size=1m
startdelay=60
JOB
stop_case startdelay INT "$T/delay.fio"

# rate pacing: 1 MiB units at 1 KiB/s, a 1000 s sleep between them
cat >"$T/rate.fio" <<'JOB'
[rate]
ioengine=null
rw=read
bs=1m
size=64m
rate=1k
JOB
stop_case rate INT "$T/rate.fio"

# wait_for a job in a long thinktime: both stop
cat >"$T/waitfor.fio" <<'JOB'
[first]
ioengine=null
rw=read
bs=4k
size=1m
thinktime=30s
[second]
ioengine=null
rw=read
bs=4k
size=1m
wait_for=first
JOB
stop_case wait_for HUP "$T/waitfor.fio"

# injected completion delay of 30 s (fault injection)
cat >"$T/inject.fio" <<'JOB'
[inj]
ioengine=null
rw=read
bs=4k
size=1m
JOB
echo "inject_delay=30s" >>"$T/inject.fio"
echo "inject_delay_perc=100" >>"$T/inject.fio"
stop_case inject_delay INT "$T/inject.fio"


# diagnose: SIGUSR1 does not kill the probe; SIGINT stops it within 2 s
"$IOLAB" --diagnose "$T/diag.dat" --runtime=5 >"$T/diag.out" 2>"$T/diag.err" &
pid=$!
sleep 1
kill -USR1 $pid
sleep 0.3
kill -0 $pid 2>/dev/null || { cat "$T/diag.err"; fail "diagnose: SIGUSR1 killed it"; }
kill -INT $pid
i=0
while kill -0 $pid 2>/dev/null; do
	sleep 0.05
	i=$((i + 1))
	[ $i -le 40 ] || { kill -9 $pid; fail "diagnose: still running 2 s after SIGINT"; }
done
wait $pid
rc=$?
# 130 stopped in a step, 1 stopped while laying out its scratch file
[ $rc -eq 130 ] || grep -q interrupted "$T/diag.err" ||
	{ cat "$T/diag.err"; fail "diagnose: exit $rc, want 130 or an interrupted layout"; }
echo "ok: diagnose: survived SIGUSR1, SIGINT obeyed in $((i * 50)) ms"
exit 0
