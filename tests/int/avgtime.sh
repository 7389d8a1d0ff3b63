#!/bin/sh
# bwavgtime and iopsavgtime, side by side with fio 3.33: the report's
# "bw (KiB/s): ... samples=N" and "iops: ... samples=N" count fio's windows
# (500 ms by default, 250 ms and 1000 ms when asked), also after ramp_time,
# and min <= avg <= max in the JSON of both. The windows are the sampler's
# own, apart from the display tick (--status-interval changes nothing).
. "$(dirname "$0")/common.inc"
command -v fio >/dev/null 2>&1 || skip "fio is not installed"

job="--name=avg --ioengine=null --rw=randrw --size=1g --time_based --runtime=2 --rate_iops=1000,500"
run_pair() { # tag, extra options...
	tag=$1
	shift
	# shellcheck disable=SC2086
	fio $job "$@" --output-format=json --output="$T/fio.$tag.json" >/dev/null 2>&1 ||
		fail "$tag: fio failed"
	# shellcheck disable=SC2086
	"$IOLAB" --headless $job "$@" --output-format=json --output="$T/iolab.$tag.json" \
		>/dev/null 2>"$T/err" || { cat "$T/err"; fail "$tag: iolab failed"; }
	python3 - "$T/fio.$tag.json" "$T/iolab.$tag.json" "$tag" <<'PY' || fail "$tag: samples differ from fio's"
import json, sys
f = json.load(open(sys.argv[1]))["jobs"][0]
i = json.load(open(sys.argv[2]))["jobs"][0]
tag = sys.argv[3]
for d in ("read", "write"):
    for k in ("bw", "iops"):
        fs, is_ = f[d][k + "_samples"], i[d][k + "_samples"]
        assert abs(fs - is_) <= 1, "%s %s %s_samples: fio %d, iolab %d" % (tag, d, k, fs, is_)
        assert i[d][k + "_min"] <= i[d][k + "_mean"] <= i[d][k + "_max"], (tag, d, k, i[d])
    print("%s %s: bw_samples fio %d iolab %d, iops_samples fio %d iolab %d" % (
        tag, d, f[d]["bw_samples"], i[d]["bw_samples"], f[d]["iops_samples"],
        i[d]["iops_samples"]))
PY
}

run_pair default
run_pair short --bwavgtime=250 --iopsavgtime=250
run_pair long --bwavgtime=1000 --iopsavgtime=1000
run_pair ramp --ramp_time=1 --iopsavgtime=250

# the display tick does not change the report's windows
"$IOLAB" --headless $job --status-interval=100ms --output-format=json --output="$T/tick.json" \
	>/dev/null 2>"$T/err" || { cat "$T/err"; fail "status-interval run failed"; }
python3 -c '
import json, sys
n = json.load(open(sys.argv[1]))["jobs"][0]["read"]["iops_samples"]
assert 3 <= n <= 5, "iops_samples %d with a 100 ms display tick, want 4 windows of 500 ms" % n
' "$T/tick.json" || fail "the display tick changed the report's windows"

# 0 is refused at load, with the option's range
"$IOLAB" --parse-only --name=z --ioengine=null --size=1m --bwavgtime=0 >/dev/null 2>"$T/err" &&
	fail "bwavgtime=0 accepted"
grep -q "bwavgtime: 0 is out of range (at least 1)" "$T/err" || { cat "$T/err"; fail "bwavgtime=0: no clear message"; }
echo "ok: bwavgtime/iopsavgtime as fio"
