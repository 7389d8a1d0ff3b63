#!/bin/sh
# A target that cannot be opened fails its job with a message naming the
# target and the error; the other job runs and both are reported (text and
# JSON); exit status 1.
. "$(dirname "$0")/common.inc"

cat >"$T/job.fio" <<JOB
[global]
ioengine=psync
size=1m
[bad]
rw=read
filename=$T/no-such-dir/x
[good]
rw=write
filename=$T/good.dat
JOB
run_iolab --headless --output-format=json,normal --output="$T/res" "$T/job.fio"
[ $rc -eq 1 ] || fail "exit $rc, want 1"
grep -q "job 'bad': $T/no-such-dir/x: .*No such file or directory" "$T/err" ||
	fail "the failure does not name the target and error: $(cat "$T/err")"
python3 - "$T/res" <<'PY' || fail "results incomplete"
import json, sys
text = open(sys.argv[1]).read()
d = json.loads(text[text.index("{"):text.rindex("}") + 1])
jobs = {j["jobname"]: j for j in d["jobs"]}
assert jobs["bad"]["error"] == 2, jobs["bad"]["error"]
assert jobs["good"]["error"] == 0 and jobs["good"]["write"]["io_bytes"] == 1048576, jobs["good"]["write"]
assert "good: (groupid=" in text and "bad: (groupid=" in text, "text report lacks a job"
print("ok: bad err=2, good wrote 1 MiB, both in text and JSON")
PY
