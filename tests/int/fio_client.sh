#!/bin/sh
# iolab --client against real `fio --server` processes on 127.0.0.1: the
# same bytes per host and job as `fio --client` reports, fio's client JSON
# layout, cluster percentiles, a refused host, a server killed mid-run, a
# server of another protocol version, exec_prerun refused, and a job
# given as command-line options.
. "$(dirname "$0")/common.inc"
need_fio

pids=""
cleanup() { for p in $pids; do kill -KILL "-$p" 2>/dev/null; done; }
trap cleanup EXIT INT TERM

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
wait_port() {
	python3 - "$1" <<'PY' || fail "no server on port $1 after 5 s"
import socket, sys, time
for _ in range(50):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2).close(); sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit(1)
PY
}
# Starts a fio server in its own session (so a kill reaches its children).
start_server() {
	setsid fio --server=ip:127.0.0.1,"$1" >"$T/server.$1.log" 2>&1 &
	pids="$pids $!"
	last_server=$!
	wait_port "$1"
}

p1=$(free_port); p2=$(free_port)
start_server "$p1"
start_server "$p2"
spid2=$last_server

cat >"$T/two.fio" <<'JOB'
[global]
ioengine=null
size=8m
[r1]
rw=randread
bs=4k
[w1]
rw=write
bs=8k
JOB

# 1. the same bytes as fio --client, in fio's client layout
(cd "$T" && timeout 60 fio --client=127.0.0.1,"$p1" --client=127.0.0.1,"$p2" \
	--output-format=json two.fio >"$T/fio.json" 2>"$T/fio.err") || fail "fio --client failed"
run_iolab --client=127.0.0.1,"$p1" --client=127.0.0.1,"$p2" --output-format=normal,json \
	"$T/two.fio"
[ $rc = 0 ] || { cat "$T/err"; fail "iolab --client exited $rc"; }
sed -n '/^{$/,$p' "$T/out" >"$T/iolab.json"
python3 - "$T/fio.json" "$T/iolab.json" "$p1" "$p2" <<'PY' || fail "client JSON differs from fio --client"
import json, sys
def load(p):
    s = open(p).read()
    return json.loads(s[s.index("{"):])
f, i = load(sys.argv[1]), load(sys.argv[2])
ports = {int(sys.argv[3]), int(sys.argv[4])}
for k in ("fio version", "client_stats", "disk_util", "global options"):
    assert k in i, "no %r" % k
def key(e): return (e["jobname"], e["hostname"], e["port"])
fe = {key(e): e for e in f["client_stats"] if e["jobname"] != "All clients"}
ie = {key(e): e for e in i["client_stats"] if e["jobname"] != "All clients"}
assert set(fe) == set(ie), (sorted(fe), sorted(ie))
assert {k[2] for k in ie} == ports, ie.keys()
for k in fe:
    for d in ("read", "write", "trim"):
        for fld in ("io_bytes", "io_kbytes", "total_ios", "short_ios", "drop_ios"):
            assert fe[k][d][fld] == ie[k][d][fld], (k, d, fld, fe[k][d][fld], ie[k][d][fld])
        assert ie[k][d]["clat_ns"]["N"] == fe[k][d]["clat_ns"]["N"], (k, d)
fa = [e for e in f["client_stats"] if e["jobname"] == "All clients"]
ia = [e for e in i["client_stats"] if e["jobname"] == "All clients"]
assert len(fa) == len(ia) == 1, (len(fa), len(ia))
for d in ("read", "write"):
    assert fa[0][d]["io_bytes"] == ia[0][d]["io_bytes"], d
    assert ia[0][d]["io_bytes"] == 2 * 8 * 1024 * 1024
    assert "percentile" in ia[0][d]["clat_ns"]
PY

# 2. the normal report names each host and shows both cluster percentiles
grep -q "<127.0.0.1,$p1> r1" "$T/out" || fail "no per-host job line for $p1"
grep -q "<127.0.0.1,$p2> w1" "$T/out" || fail "no per-host job line for $p2"
grep -q "^All clients" "$T/out" || fail "no All clients section"
grep -q "merged bins.*mean of the hosts" "$T/out" || fail "no cluster percentile table"

# 3. a host list file, with a host nobody listens on: lost, the other reports
p3=$(free_port)
printf '# rack 1\n127.0.0.1,%s\n127.0.0.1,%s\n' "$p1" "$p3" >"$T/hosts"
run_iolab --client="$T/hosts" "$T/two.fio"
[ $rc = 1 ] || fail "a refused host: exit $rc, not 1"
grep -q "127.0.0.1,$p3.*connect" "$T/err" || { cat "$T/err"; fail "the refused host is not named"; }
grep -q "<127.0.0.1,$p1> r1" "$T/out" || fail "the good host's results were lost"

# 4. a server killed mid-run: lost within 6 s, the other finishes
cat >"$T/long.fio" <<'JOB'
[global]
ioengine=null
size=64m
time_based
runtime=2
rate_iops=500
[r1]
rw=randread
JOB
( sleep 0.5; kill -KILL "-$spid2" ) &
start=$(date +%s)
run_iolab --client=127.0.0.1,"$p1" --client=127.0.0.1,"$p2" "$T/long.fio"
took=$(( $(date +%s) - start ))
[ $rc = 1 ] || { cat "$T/err"; fail "a killed server: exit $rc, not 1"; }
grep -q "lost: 127.0.0.1,$p2" "$T/err" || { cat "$T/err"; fail "the killed host is not named"; }
grep -q "<127.0.0.1,$p1> r1" "$T/out" || fail "the surviving host's results were lost"
[ "$took" -le 9 ] || fail "took ${took}s with a dead host"

# A fake server: "version" answers the probe as protocol 99; "silent"
# answers the probe and the job as fio 3.33 would, then says nothing.
cat >"$T/fake.py" <<'PY'
import socket, struct, sys
def crc16(b):
    c = 0
    for x in b:
        c ^= x
        for _ in range(8):
            c = (c >> 1) ^ 0xA001 if c & 1 else c >> 1
    return c
def packet(ver, op, pdu=b""):
    hdr = struct.pack("<HHIQI", ver, op, 0, 0, len(pdu))
    return hdr + struct.pack("<HH", crc16(hdr), crc16(pdu)) + pdu
def recv_cmd(c):
    hdr = b""
    while len(hdr) < 24:
        d = c.recv(24 - len(hdr))
        if not d:
            return None
        hdr += d
    n = struct.unpack("<I", hdr[16:20])[0]
    pdu = b""
    while len(pdu) < n:
        pdu += c.recv(n - len(pdu))
    return struct.unpack("<H", hdr[2:4])[0]
mode, port = sys.argv[1], int(sys.argv[2])
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", port)); s.listen(1)
while True:   # the readiness probe connects and sends nothing
    c, _ = s.accept()
    op = recv_cmd(c)
    if op is not None:
        break
    c.close()
if mode == "version":
    c.sendall(packet(99, 10))
else:
    probe = b"fake".ljust(64, b"\0") + b"\0" + b"fio-3.33".ljust(32, b"\0") + bytes([1, 1, 8]) + struct.pack("<IQ", 2, 0)
    c.sendall(packet(97, 10, probe))
    while True:
        op = recv_cmd(c)
        if op is None:
            break
        if op == 3:
            c.sendall(packet(97, 11, struct.pack("<II", 1, 1)))
try:
    c.recv(4096)
except OSError:
    pass
PY

# 4b. live figures every second (fio's status interval): IOPS of a whole
# interval within 5% of rate_iops
run_iolab --client=127.0.0.1,"$p1" --status-interval=1 "$T/long.fio"
[ $rc = 0 ] || { cat "$T/err"; fail "--status-interval: exit $rc"; }
python3 - "$T/err" <<'PY' || { cat "$T/err"; fail "no interval within 5% of rate_iops=500"; }
import re, sys
v = [float(m) for m in re.findall(r"r1: read IOPS=(\d+)", open(sys.argv[1]).read())]
assert v, "no interval lines"
assert any(abs(x - 500) <= 25 for x in v), v
PY

# 5. a server of another protocol version is refused by name
pv=$(free_port)
python3 "$T/fake.py" version "$pv" >"$T/fake.log" 2>&1 &
pids="$pids $!"
wait_port "$pv"
run_iolab --client=127.0.0.1,"$pv" "$T/two.fio"
[ $rc = 1 ] || fail "another version: exit $rc, not 1"
grep -q "127.0.0.1,$pv.*version 99.*97" "$T/err" || { cat "$T/err"; fail "no version message"; }

# 5b. a server that goes silent mid-run is lost within 6 s of its last word
ps_=$(free_port)
python3 "$T/fake.py" silent "$ps_" >"$T/fake2.log" 2>&1 &
pids="$pids $!"
wait_port "$ps_"
start=$(date +%s)
run_iolab --client=127.0.0.1,"$ps_" "$T/two.fio"
took=$(( $(date +%s) - start ))
[ $rc = 1 ] || fail "a silent server: exit $rc, not 1"
grep -q "127.0.0.1,$ps_: no reply in 5 s" "$T/err" || { cat "$T/err"; fail "no silence message"; }
[ "$took" -le 8 ] || fail "a silent server took ${took}s to be noticed"

# 5c. Ctrl-C mid-run: QUIT to every host, what they sent is reported
timeout 30 "$IOLAB" --client=127.0.0.1,"$p1" "$T/long.fio" >"$T/out" 2>"$T/err" &
ipid=$!
sleep 1.5
kill -INT $ipid
wait $ipid
rc=$?
[ $rc = 1 ] || { cat "$T/err"; fail "Ctrl-C: exit $rc, not 1"; }
grep -q "stopped: QUIT sent" "$T/err" || { cat "$T/err"; fail "no stop message"; }
grep -q "<127.0.0.1,$p1> r1" "$T/out" || { cat "$T/err"; fail "Ctrl-C lost the results"; }

# 6. exec_prerun is refused unless --allow-exec
printf '[x]\nioengine=null\nsize=1m\nexec_prerun=touch %s/ran\n' "$T" >"$T/exec.fio"
run_iolab --client=127.0.0.1,"$p1" "$T/exec.fio"
[ $rc = 2 ] || fail "exec_prerun: exit $rc, not 2"
grep -q "exec_prerun.*--allow-exec" "$T/err" || fail "no exec refusal message"
[ ! -e "$T/ran" ] || fail "the command ran"
# and so is ioengine=exec: the servers would run program=
printf '[x]\nioengine = exec\nruntime=1\nprogram=/bin/touch\narguments=%s/ran\n' "$T" >"$T/exec2.fio"
run_iolab --client=127.0.0.1,"$p1" "$T/exec2.fio"
[ $rc = 2 ] || fail "ioengine=exec: exit $rc, not 2"
grep -q "exec2.fio:2: ioengine=exec: refused.*--allow-exec" "$T/err" || { cat "$T/err"; fail "no ioengine=exec refusal message"; }
[ ! -e "$T/ran" ] || fail "the program ran"

# 7. job options on the command line are a job, as fio's client sends them
run_iolab --client=127.0.0.1,"$p1" --output-format=json --ioengine=null --name=c1 \
	--rw=write --size=4m --bs=4k
[ $rc = 0 ] || { cat "$T/err"; fail "a command-line job: exit $rc"; }
python3 - "$T/out" <<'PY' || fail "the command-line job's JSON"
import json, sys
s = open(sys.argv[1]).read()
j = json.loads(s[s.index("{"):])
e = [x for x in j["client_stats"] if x["jobname"] == "c1"]
assert len(e) == 1, j["client_stats"]
assert e[0]["write"]["io_bytes"] == 4 << 20, e[0]["write"]["io_bytes"]
PY
run_iolab --client=127.0.0.1,"$p1" --name=c2 --bogus_option=1
[ $rc = 1 ] || fail "a bad command-line option: exit $rc, not 1"
grep -q "refused the job: .*bogus_option" "$T/err" || { cat "$T/err"; fail "no refusal naming it"; }
run_iolab --client=127.0.0.1,"$p1" --name=c3 --exec_prerun=true
[ $rc = 2 ] || fail "exec_prerun on the command line: exit $rc, not 2"
run_iolab --client=127.0.0.1,"$p1" "$T/two.fio" --name=c4
[ $rc = 2 ] || fail "a job file and job options: exit $rc, not 2"
grep -q "give one" "$T/err" || { cat "$T/err"; fail "no message for file and options"; }

# 8. the servers' logs (IOLOG) written where and as fio's client writes
# them; a name with a directory keeps only its last part
mkdir "$T/logs" "$T/logs.fio"
cat >"$T/log.fio" <<'JOB'
[x]
ioengine=null
size=64m
rw=randread
rate_iops=200
time_based
runtime=2
log_avg_msec=500
write_iops_log=../escape/xio
[y]
ioengine=null
size=1m
rw=write
bs=64k
write_bw_log=ybw
log_offset=1
JOB
cd "$T/logs" || fail "no $T/logs"
run_iolab --client=127.0.0.1,"$p1" "$T/log.fio"
cd - >/dev/null || exit 1
[ $rc = 0 ] || { cat "$T/err"; fail "a job with logs: exit $rc"; }
(cd "$T/logs.fio" && timeout 60 fio --client=127.0.0.1,"$p1" "$T/log.fio" >/dev/null 2>&1)
[ ! -e "$T/escape" ] || fail "a log name from the server chose the directory"
python3 - "$T/logs" "$T/logs.fio" <<'PY' || { ls -l "$T/logs" "$T/logs.fio"; cat "$T/err"; fail "logs unlike fio's"; }
import os, sys
mine, theirs = sys.argv[1], sys.argv[2]
for name, cols in (("xio_iops.1.log.127.0.0.1", 5), ("ybw_bw.2.log.127.0.0.1", 6)):
    a = open(os.path.join(mine, name)).read().splitlines()
    b = [l for l in open(os.path.join(theirs, name)).read().splitlines()] if os.path.exists(os.path.join(theirs, name)) else None
    assert a, name
    for l in a:
        f = [int(x) for x in l.split(", ")]
        assert len(f) == cols, (name, l)
    if b is not None:
        assert len(b[0].split(", ")) == cols, (name, b[0])
    if cols == 6:   # offsets of a sequential 64k write, in order
        offs = [int(l.split(", ")[4]) for l in a]
        assert offs == sorted(offs) and offs[1] - offs[0] == 65536, offs[:3]
PY
exit 0
