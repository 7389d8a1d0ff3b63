#!/bin/sh
# Slow-disk lab: a healthy device (labfs with no fault). Its class is the
# loop driver's own (rotational): a FUSE round trip on a busy 2-core test
# machine has tails an SSD would be blamed for, not a disk. Diagnose must
# give no warning and say "healthy" with the figures that show it.
. "$(dirname "$0")/common.inc"
. "$ROOT/tests/lab/lab.inc"
. "$ROOT/tests/lab/diag.inc"
lab_need
lab_disk 256
diag_run "$LAB_DEV" --runtime=1
diag_no_warnings
diag_has healthy
json_get "$T/diag.json" "[f['text'] for f in d['diagnosis']['findings'] if f['code'] == 'healthy'][0]" |
	grep -q 'IOPS' || fail "the healthy finding gives no figures"
echo "ok: healthy"
