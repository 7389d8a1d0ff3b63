#!/bin/sh
# iolab --client writes --output whole, through lib/outfile: a run killed
# before its report leaves an older file as it was (it is not truncated at
# the start), and a finished run replaces it. The "server" here accepts
# and says nothing, so the run is still waiting when it is killed.
. "$(dirname "$0")/common.inc"

spid=""
cleanup() { [ -n "$spid" ] && kill "$spid" 2>/dev/null; }
trap cleanup EXIT INT TERM

python3 - "$T/port" <<'PY' &
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0)); s.listen(4)
open(sys.argv[1] + ".tmp", "w").write(str(s.getsockname()[1]))
import os; os.rename(sys.argv[1] + ".tmp", sys.argv[1])
conns = []
s.settimeout(30)
try:
    while True:
        c, _ = s.accept(); conns.append(c)   # accepted, never answered
except OSError:
    pass
PY
spid=$!
i=0
while [ ! -s "$T/port" ]; do
	i=$((i + 1)); [ $i -le 100 ] || fail "the silent server did not start"
	sleep 0.05
done
port=$(cat "$T/port")

printf '[j]\nrw=read\nsize=1m\nfilename=/dev/null\n' >"$T/j.fio"
echo "an older report" >"$T/report.txt"
timeout 60 "$IOLAB" --headless --client=127.0.0.1,"$port" --output="$T/report.txt" "$T/j.fio" \
	>"$T/out" 2>"$T/err" &
pid=$!
sleep 1
kill -0 $pid 2>/dev/null || { cat "$T/err"; fail "iolab --client ended before the kill"; }
kill -KILL $pid
wait $pid 2>/dev/null
[ "$(cat "$T/report.txt")" = "an older report" ] ||
	fail "a killed --client run left --output as: $(head -c 200 "$T/report.txt")"
ls "$T" | grep -q 'report.txt.tmp' && fail "a temporary was left beside --output: $(ls "$T")"

# a run that ends (the host lost after its timeout) writes its report
run_iolab --headless --client=127.0.0.1,"$port" --client-timeout=1 --output="$T/report.txt" \
	"$T/j.fio"
[ $rc -ne 0 ] || fail "a lost host: exit 0"
grep -q "an older report" "$T/report.txt" && fail "the finished run did not replace --output"
echo "ok: --client --output is written whole"
