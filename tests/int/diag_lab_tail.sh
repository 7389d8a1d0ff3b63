#!/bin/sh
# Slow-disk lab: 0.5% of I/Os take 40 ms, picked evenly through the run
# (labfs --mix=0.5:40000), on a non-rotational device. Too few for two
# populations, enough to lift the p99.9: diagnose must name the tail and,
# from the intervals' heat, how much of the I/O it was (at QD1, 0.5% of
# the I/Os +-0.3 points: a 3 s step holds several thousand; deeper queues
# wait behind the slow ones too) and that it is spread through the step,
# not bunched in a few intervals.
. "$(dirname "$0")/common.inc"
. "$ROOT/tests/lab/lab.inc"
. "$ROOT/tests/lab/diag.inc"
lab_need
lab_disk 256 --mix=0.5:40000
lab_queue rotational 0
diag_run "$LAB_DEV" --runtime=3
diag_has tail_latency
python3 - "$T/diag.json" <<'PY' || fail "the tail finding does not say how much of the I/O was slow, nor when"
import json, sys
d = json.load(open(sys.argv[1]))["diagnosis"]
tails = [f for f in d["findings"] if f["code"] == "tail_latency"]
assert any(f["step"] == "randread-4k-qd1" for f in tails), "no tail finding at QD1"
for f in tails:
    fig, step = f["figures"], [s for s in d["steps"] if s["name"] == f["step"]][0]
    # the threshold sits under the 40 ms I/Os and over the fast ones
    assert 1000 <= fig["over_us"] <= 40000, fig
    # the share over it, from the heat, is the share labfs slowed, and what
    # the step's whole distribution says
    over = sum(n for k, n in enumerate(step["lat_bins"]) if 2 ** (k / 4) >= fig["over_us"])
    # at QD1 each I/O is on its own; deeper, some wait behind a slow one
    if f["step"] == "randread-4k-qd1":
        assert abs(fig["over_share"] - 0.005) <= 0.003, fig
    assert abs(fig["over_share"] - over / sum(step["lat_bins"])) <= 0.001, (fig, over)
    assert "spread through the step" in f["text"], f["text"]
    assert f["intervals"] and all(i["step"] == f["step"] and i["slow_ios"] > 0 for i in f["intervals"]), f
    # spread: the four busiest intervals do not hold the 80% that makes a
    # bunch (a loaded host's 2 s step may hold only ~20 slow I/Os, so they
    # can hold half by chance)
    assert fig["top_share"] < 0.8, fig
print("ok:", len(tails), "tail findings:", "; ".join("%s %.2f%% over %.0f us" % (f["step"], 100 * f["figures"]["over_share"], f["figures"]["over_us"]) for f in tails))
PY
echo "ok: tail latency from the heat"
