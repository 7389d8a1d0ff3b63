#!/bin/sh
# A reader that goes away does not lose results: with stdout and stderr on a
# closed pipe (a failing job's message, warnings), iolab is not killed by
# SIGPIPE and the --output JSON file is complete, both jobs in it, exit 1.
# JSON on a closed stdout does not kill it either. exec_prerun commands run
# with SIGPIPE back to default and nothing blocked.
. "$(dirname "$0")/common.inc"

cat >"$T/two.fio" <<JOB
[bad]
ioengine=psync
filename=$T/no/such/dir/file
rw=read
bs=4k
size=1m

[good]
ioengine=null
rw=read
bs=4k
size=16m
JOB

# run ARGS...: iolab with stdout and stderr on a pipe whose reader is gone;
# prints the exit status (negative: killed by that signal)
closed_pipe() {
	timeout 60 python3 - "$IOLAB" "$@" <<'PY'
import os, subprocess, sys
r, w = os.pipe()
os.close(r)
p = subprocess.run(sys.argv[1:], stdout=w, stderr=w)
print(p.returncode)
PY
}

st=$(closed_pipe --headless --output-format=json --output="$T/res.json" "$T/two.fio")
[ "$st" = 1 ] || fail "stdout/stderr on a closed pipe: exit status $st, want 1 (-13 is SIGPIPE)"
python3 - "$T/res.json" <<'PY' || fail "the --output JSON"
import json, sys
jobs = {j["jobname"]: j for j in json.load(open(sys.argv[1]))["jobs"]}
assert jobs["bad"]["error"] != 0, jobs["bad"]["error"]
assert jobs["good"]["error"] == 0
assert jobs["good"]["read"]["io_bytes"] == 16 << 20, jobs["good"]["read"]["io_bytes"]
PY
echo "ok: closed pipe on stdout and stderr: exit $st, JSON file complete"

st=$(closed_pipe --headless --output-format=normal,json "$T/two.fio")
case $st in
-*) fail "results on a closed stdout: killed by signal ${st#-}" ;;
esac
echo "ok: results on a closed stdout: exit $st"

cat >"$T/exec.fio" <<JOB
[ex]
ioengine=null
rw=read
bs=4k
size=1m
exec_prerun=grep -E '^Sig(Ign|Blk)' /proc/self/status >$T/sig.txt
JOB
run_iolab --headless --allow-exec "$T/exec.fio"
[ $rc -eq 0 ] || { cat "$T/err"; fail "exec_prerun: exit $rc"; }
python3 - "$T/sig.txt" <<'PY' || { cat "$T/sig.txt"; fail "exec_prerun: signal state"; }
import signal, sys
m = dict(l.split(":") for l in open(sys.argv[1]))
ign, blk = int(m["SigIgn"], 16), int(m["SigBlk"], 16)
for s in (signal.SIGPIPE, signal.SIGINT, signal.SIGTERM):
    bit = 1 << (s - 1)
    assert not ign & bit, "%s ignored" % s.name
    assert not blk & bit, "%s blocked" % s.name
PY
echo "ok: exec_prerun runs with SIGPIPE, SIGINT, SIGTERM at their defaults"
