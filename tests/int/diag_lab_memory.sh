#!/bin/sh
# Slow-disk lab: reads served from the page cache. The target is a file on
# the lab's tmpfs, whose pages are the page cache itself. Diagnose must say
# the figures are memory, not the device, and never "no problem".
. "$(dirname "$0")/common.inc"
. "$ROOT/tests/lab/lab.inc"
. "$ROOT/tests/lab/diag.inc"
lab_need
lab_fs 64
head -c 33554432 /dev/urandom >"$LAB_TMPFS/data" || fail "cannot write the tmpfs file"
diag_run "$LAB_TMPFS/data" --runtime=1
diag_has from_memory
p50=$(diag_fig from_memory p50_us) || exit 1
python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) < 5 else 1)' "$p50" || fail "p50 $p50 us"
json_get "$T/diag.json" "any(f['code'] == 'healthy' for f in d['diagnosis']['findings'])" |
	grep -q False || fail "'healthy' said over memory-speed figures"
echo "ok: memory, not the device"
