#!/bin/sh
# The job's usr/sys CPU is the CPU its I/O phase cost the process: with
# io_submit_mode=offload the submit thread's share is counted too (it used
# to be left out), and setup before the I/O is not (a 2 ms job once
# reported sys=791%).
. "$(dirname "$0")/common.inc"

python3 - "$IOLAB" "$T" <<'PY' || fail "CPU accounting"
import json, os, resource, subprocess, sys
iolab, tmp = sys.argv[1], sys.argv[2]
for mode in ("inline", "offload"):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run([iolab, "--headless", "--output-format=json", "--name=c",
                          "--ioengine=psync", "--rw=randread", "--bs=4k", "--size=8m",
                          "--filename=" + os.path.join(tmp, "c.dat"), "--time_based",
                          "--runtime=2", "--io_submit_mode=" + mode],
                         capture_output=True, text=True, check=True).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    j = json.loads(out)["jobs"][0]
    job = (j["usr_cpu"] + j["sys_cpu"]) / 100.0 * j["job_runtime"] / 1000.0
    print("%s: job %.2f CPU s, process %.2f CPU s" % (mode, job, proc))
    # the job's share: most of the process (the rest is setup, the
    # sampler and exit), never more than it
    assert job <= proc * 1.02 + 0.02, (mode, job, proc)
    # (an absolute slack for setup and exit: on a starved machine the run
    # itself gets a few tens of ms, and the fixed costs are then most of it)
    assert job >= proc * 0.7 - 0.05, (mode, job, proc)
PY
echo "ok: CPU accounting"
