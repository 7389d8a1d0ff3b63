#!/bin/sh
# make bench, issue 17: what iolab --client costs its machine while it
# drives 16 local `fio --server` hosts x 2 paced jobs with every job's TS
# (status interval 1 s) and an ETA each second. Prints the client's CPU
# time as a share of one core over the
# run (the budget is 5%). Knobs: BENCH_CLIENT_HOSTS (16), BENCH_SECONDS (5).
set -eu
cd "$(dirname "$0")/.."
command -v fio >/dev/null || { echo "bench: fio is not installed" >&2; exit 1; }
n=${BENCH_CLIENT_HOSTS:-16}
secs=${BENCH_SECONDS:-5}
T=$(mktemp -d "${TMPDIR:-/tmp}/iolab-bench-client.XXXXXX")
pids=""
trap 'for p in $pids; do kill -KILL "-$p" 2>/dev/null; done; rm -rf "$T"' EXIT INT TERM

: >"$T/hosts"
for i in $(seq 1 "$n"); do
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	setsid fio --server=ip:127.0.0.1,"$port" >/dev/null 2>&1 &
	pids="$pids $!"
	echo "127.0.0.1,$port" >>"$T/hosts"
done
printf '[global]\nioengine=null\nsize=64m\ntime_based\nruntime=%s\nrate_iops=200\n[a]\nrw=randread\n[b]\nrw=randwrite\n' \
	"$secs" >"$T/job.fio"
sleep 2
python3 - "$T" "$n" <<'PY'
import os, subprocess, sys, time
t, n = sys.argv[1], int(sys.argv[2])
start = time.monotonic()
p = subprocess.Popen(["./iolab", "--client=" + t + "/hosts", "--status-interval=1", t + "/job.fio"],
                     stdout=subprocess.DEVNULL, stderr=open(t + "/err", "w"))
_, status, ru = os.wait4(p.pid, 0)
wall = time.monotonic() - start
cpu = ru.ru_utime + ru.ru_stime
print("fio-server client: %d hosts x 2 jobs, TS and ETA every 1 s: %.3f s CPU over %.1f s = %.2f%% of one core (budget 5%%)%s"
      % (n, cpu, wall, 100 * cpu / wall, "" if status == 0 else "; exit %d, see below" % (status >> 8)))
if status:
    sys.stdout.write(open(t + "/err").read())
PY
