#!/bin/sh
# Slow-disk lab: the device stops for 300 ms every 2 s (labfs
# --stall=2000:300). Diagnose (4 s steps, read-only) must name periodic
# stalls: period within 20% of 2 s, length within 20% of 300 ms, and the
# share of time they take; and, from the intervals' heat, when the I/Os
# they held completed: in each step, intervals 2 s apart (+-0.3 s) that
# hold at least 90% of the I/Os past half a stall.
. "$(dirname "$0")/common.inc"
. "$ROOT/tests/lab/lab.inc"
. "$ROOT/tests/lab/diag.inc"
lab_need
lab_disk 256 --stall=2000:300
diag_run "$LAB_DEV" --runtime=4
diag_has periodic_stall
period=$(diag_fig periodic_stall period_s) || exit 1
diag_near "$period" 2.0 0.20 "period_s"
len=$(diag_fig periodic_stall stall_ms) || exit 1
diag_near "$len" 300 0.20 "stall_ms"
share=$(diag_fig periodic_stall time_share) || exit 1
diag_near "$share" 0.15 0.30 "time_share"
python3 - "$T/diag.json" <<'PY' || fail "the stall finding does not say when the slow I/Os completed"
import json, sys
d = json.load(open(sys.argv[1]))["diagnosis"]
f = [f for f in d["findings"] if f["code"] == "periodic_stall"][0]
fig, iv = f["figures"], f["intervals"]
assert 100000 <= fig["over_us"] <= 150000, fig
assert fig["top_share"] >= 0.9, fig
assert len(iv) >= 3, iv
steps = {}
for i in iv:
    assert i["slow_ios"] > 0 and i["ios"] >= i["slow_ios"], i
    steps.setdefault(i["step"], []).append(i["t_s"])
for name, ts in steps.items():
    assert name in f["text"], (name, f["text"])
    for a, b in zip(ts, ts[1:]):
        assert abs(b - a - 2.0) <= 0.3, (name, ts)
assert "completed at t=" in f["text"], f["text"]
print("ok: slow I/Os completed at", "; ".join("%s %s" % (n, ", ".join("%.2f" % t for t in ts)) for n, ts in steps.items()), "holding %.0f%% of them" % (100 * fig["top_share"]))
PY
echo "ok: periodic stalls"
