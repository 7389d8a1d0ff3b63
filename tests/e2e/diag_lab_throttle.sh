#!/bin/sh
# The throttled disk of issue 14 in the workbench: a lab loop device held at
# 200 read IOPS by a blkio cgroup, iolab running inside the group. The
# diagnose view (D, target the device, 1 s steps) must end with the limit
# finding, not "No problem found"; s saves the report as
# iolab-diagnose-HOST-TIME.txt and .json in the current directory (0600,
# the JSON with the same finding).
. "$(dirname "$0")/lib.inc"
. "$ROOT/tests/lab/lab.inc"
lab_need
lab_disk 256
lab_throttle riops=200 wiops=200

pane_start 160 50
pane_run "cd $T && sh -c 'echo \$\$ >$LAB_CG/cgroup.procs && exec $IOLAB'; echo EXIT=\$?"
wait_re '^Job +State' 15
tm send-keys D
wait_for 'seconds per step' 5
# the workbench's step length is the headless default
capture | grep -qE '^  Runtime +5( |$)' || fail "the default step length is not 5 s"
tm send-keys C-u
tm send-keys -l "$LAB_DEV"
tm send-keys Tab C-u 1 Enter
wait_re 'done: [0-9]+ findings?' 60
capture >"$T/done.txt"
grep -q 'A limit above the device caps I/O near' "$T/done.txt" ||
	fail "no limit finding in the diagnose view"
grep -q 'No problem found' "$T/done.txt" && fail "'No problem found' on a throttled device"

tm send-keys s
wait_re 'saved iolab-diagnose-.*\.txt' 10
txt=$(ls "$T"/iolab-diagnose-*.txt 2>/dev/null | head -n 1)
[ -n "$txt" ] || fail "no report file in $T"
json=${txt%.txt}.json
[ -f "$json" ] || fail "no JSON report beside $txt"
[ "$(stat -c %a "$txt")" = 600 ] || fail "$txt is mode $(stat -c %a "$txt"), want 600"
grep -q 'A limit above the device' "$txt" || fail "the saved report has no limit finding"
grep -q "kernel $(uname -r)" "$txt" || fail "the saved report does not name the kernel"
python3 - "$json" <<'PY' || fail "the saved JSON does not hold the limit finding"
import json, sys
d = json.load(open(sys.argv[1]))["diagnosis"]
f = [f for f in d["findings"] if f["code"] == "iops_limit"][0]
assert abs(f["figures"]["cap_iops"] / 200 - 1) <= 0.10, f["figures"]
assert d["host"] and d["kernel"] and d["time"] and d["iolab_version"], d
PY
tm send-keys q
wait_re '^Job +State' 5
tm send-keys q
wait_for 'EXIT=0' 15
echo "ok: throttle in the workbench"
