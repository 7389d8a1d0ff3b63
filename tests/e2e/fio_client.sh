#!/bin/sh
# The workbench as a client of three real `fio --server` processes on
# 127.0.0.1: every host's two jobs on the dashboard (name@HOST,PORT) with
# live IOPS within 5% of their rate_iops, a tooltip from a remote job's
# graph, a row per host summing its jobs, the hosts view (c) with each connection and All clients, and after
# q the per-host report with All clients, exit 0.
# Under load: the run lasts 20 s (the live figures are read at any second
# of it), the servers may be slow to answer (--client-timeout=120: this
# test is not about silent hosts; tests/int/fio_client.sh is), and every
# wait is a deadline, never a measure.
. "$(dirname "$0")/lib.inc"
command -v fio >/dev/null 2>&1 || skip "fio is not installed"

spids=""
stop_servers() { for p in $spids; do kill -KILL "-$p" 2>/dev/null; done; cleanup; }
trap stop_servers EXIT INT TERM
ports=""
for i in 1 2 3; do
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	setsid fio --server=ip:127.0.0.1,"$port" >"$T/server.$port.log" 2>&1 &
	spids="$spids $!"
	ports="$ports $port"
done
for port in $ports; do
	python3 - "$port" <<'PY' || fail "no fio server on $port"
import socket, sys, time
for _ in range(50):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2).close(); sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit(1)
PY
done
cat >"$T/two.fio" <<'JOB'
[global]
ioengine=null
size=64m
time_based
runtime=20
[r1]
rw=randread
rate_iops=500
[w1]
rw=randwrite
rate_iops=200
JOB
args=" --client-timeout=120"
for port in $ports; do args="$args --client=127.0.0.1,$port"; done

pane_start 120 40
pane_run "$IOLAB$args $T/two.fio; echo EXIT=\$?"
deadline=$(( $(date +%s) + 90 ))
while :; do
	verdict=$(capture | python3 -c '
import re, sys
want = {"r1": 500, "w1": 200}
got = {}
for line in sys.stdin:
    m = re.match(r"^(r1|w1) +127\.0\.0\.1,(\d+) +\S running +(?:-|\S+ +\d+%) +([0-9.]+)([kM]?) ", line)
    if m:
        got[(m.group(1), m.group(2))] = float(m.group(3)) * {"": 1, "k": 1e3, "M": 1e6}[m.group(4)]
ok = len(got) == 6 and all(abs(v - want[k[0]]) <= 0.05 * want[k[0]] for k, v in got.items())
print(("ok " if ok else "no ") + repr(got))
')
	case "$verdict" in ok*) break ;; esac
	[ "$(date +%s)" -ge "$deadline" ] && fail "not every host's jobs within 5% of 500/200: $verdict"
	sleep 0.5
done
echo "iops: $verdict"
# a row per host summing its two jobs
for port in $ports; do
	wait_re "^all +127\.0\.0\.1,$port +2/2 running +[0-9.]+ +[0-9.]+[KM]iB/s" 30
done

# the hosts view: every connection running fio-3.33, All clients with
# percentiles of the merged bins beside the hosts' mean
tm send-keys c
for port in $ports; do
	wait_re "^ 127\.0\.0\.1,$port +running +[0-9]+/2 .* fio-3\.33 " 30
done
wait_re '^ All clients +[0-9]+/6 +[0-9.]+k? +[0-9.]+[KM]iB/s +[0-9.]+[num]s +[0-9.]+[num]s +[0-9.]+[num]s +[0-9.]+[num]s' 30
tm send-keys Escape
wait_for "p99 lat" 10

tm send-keys Left
wait_re 'r1@127\.0\.0\.1,[0-9]+ +read +[0-9.]+ IOPS' 30
tm send-keys Escape

wait_re "^ Results 'r1@127\.0\.0\.1" 120   # the end of the run opens the results
tm send-keys q
sleep 0.5
capture | grep -q "EXIT=" || tm send-keys q
wait_for "EXIT=0" 60
tm capture-pane -p -S -400 | grep -q "^All clients" || fail "no All clients after the workbench"
exit 0
