#!/bin/sh
# Slow-disk lab: IOPS capped above the device. A blkio cgroup throttle holds
# the device at 200 read and 200 write IOPS (iolab runs inside the group, as
# in issue 14). Diagnose must name a limit above the device near 200 IOPS
# (within 10%), read-only and with --allow-write, first among its findings,
# and never call it memory, the write cache or "no problem".
. "$(dirname "$0")/common.inc"
. "$ROOT/tests/lab/lab.inc"
. "$ROOT/tests/lab/diag.inc"
lab_need
lab_disk 256
lab_throttle riops=200 wiops=200
LAB_IN_CG=1

check() {
	diag_has iops_limit
	cap=$(diag_fig iops_limit cap_iops) || exit 1
	diag_near "$cap" 200 0.10 "cap_iops ($1)"
	first=$(json_get "$T/diag.json" 'd["diagnosis"]["findings"][0]["code"]')
	[ "$first" = iops_limit ] || fail "the first finding is $first, not iops_limit ($1)"
	for bad in healthy from_memory write_cache; do
		json_get "$T/diag.json" "any(f['code'] == '$bad' for f in d['diagnosis']['findings'])" |
			grep -q False || fail "a '$bad' finding on a throttled device ($1)"
	done
}

# 2 s steps: the throttle lets its first slice through at once, and over
# a 1 s step on a loaded host that burst alone lifted the figure 11%
diag_run "$LAB_DEV" --runtime=2
check read-only
diag_run "$LAB_DEV" --runtime=2 --allow-write
check --allow-write
# a slow_commit finding, if any, blames the limit
json_get "$T/diag.json" "all('limit above the device' in f['text'] for f in d['diagnosis']['findings'] if f['code'] == 'slow_commit')" |
	grep -q True || fail "slow_commit does not name the limit as its cause"
echo "ok: iops limit"
