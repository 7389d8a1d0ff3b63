#!/bin/sh
# Slow-disk lab: EIO at two places (labfs --eio: 64 KiB at 96 MiB, 4 KiB at
# 160 MiB). Diagnose must say the device returns errors, how many, and at
# which offsets: every offset it names is an I/O that overlaps a bad range,
# and the sequential read (which crosses both) names both.
. "$(dirname "$0")/common.inc"
. "$ROOT/tests/lab/lab.inc"
. "$ROOT/tests/lab/diag.inc"
lab_need
lab_disk 256 --eio=96m+64k,160m+4k
diag_run "$LAB_DEV" --runtime=1
diag_has io_errors
n=$(diag_fig io_errors errors) || exit 1
python3 - "$T/diag.json" "$n" "$(lab_stat errors)" <<'PY' || fail "the error offsets are wrong"
import json, sys
d = json.load(open(sys.argv[1]))["diagnosis"]
bad = [(96 << 20, 64 << 10), (160 << 20, 4 << 10)]
total = 0
for s in d["steps"]:
    total += s["errors"]
    for off in s["error_offsets"]:
        assert any(off < b + l and b < off + s["bs"] for b, l in bad), (s["name"], off)
seq = [s for s in d["steps"] if s["name"] == "seqread-1m"][0]
hit = {b for b, l in bad for off in seq["error_offsets"] if off < b + l and b < off + seq["bs"]}
assert len(hit) == 2, seq["error_offsets"]
assert total == float(sys.argv[2]) > 0, (total, sys.argv[2])
assert total <= int(sys.argv[3]), ("more errors than labfs returned", total, sys.argv[3])
print("ok: %d errors, offsets in the bad ranges" % total)
PY
echo "ok: I/O errors"
