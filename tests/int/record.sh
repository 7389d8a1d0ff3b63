#!/bin/sh
# --record and --output-format=jsonl: every line is JSON, the header carries
# what ran and where, one tick line per job per interval, and the trailer is
# the very result --output-format=json wrote; kill -9 mid-run leaves a file
# whose complete lines parse and that --compare and --replay still read.
. "$(dirname "$0")/common.inc"

recorded_run "$T/out.json"
[ $rc -eq 0 ] || { cat "$T/err"; fail "exit status $rc"; }
python3 - "$T/rec.jsonl" "$T/out.json" "$T/job.fio" <<'PY' || fail "recording content"
import json, sys
lines = open(sys.argv[1]).read().split("\n")
assert lines[-1] == "", "the file must end with a newline"
recs = [json.loads(l) for l in lines[:-1]]
h = recs[0]
assert h["type"] == "header" and h["format"] == "iolab-record" and h["version"] == 1, h
for k in ("iolab", "cmdline", "start", "tick_ms", "host", "job_files", "jobs"):
    assert k in h, "header lacks " + k
for k in ("hostname", "kernel", "cpu_model", "cpus", "mem_bytes"):
    assert k in h["host"], "host lacks " + k
assert h["tick_ms"] == 100
assert h["job_files"][0]["text"] == open(sys.argv[3]).read()
assert [j["name"] for j in h["jobs"]] == ["a", "b"]
for j in h["jobs"]:
    assert "seed" in j and "rate_iops=" in j["options"], j
    t = j["targets"][0]
    for k in ("path", "device", "fstype", "mount_options"):
        assert k in t, "target lacks " + k
ticks = [r for r in recs if r["type"] == "tick"]
for job in (0, 1):
    mine = [r for r in ticks if r["job"] == job]
    assert 8 <= len(mine) <= 16, (job, len(mine))
    t1 = [r["t1"] for r in mine]
    assert t1 == sorted(t1), "ticks out of order"
mid = [r for r in ticks if r["job"] == 0][4]
assert abs(mid["read"]["iops"] - 3000) < 300, mid
assert "write" not in mid, "a read-only job's tick has no write figures"
assert len(h["hist_low_ns"]) > 100 and h["hist_low_ns"] == sorted(h["hist_low_ns"])
# a tick's histogram may hold a few I/Os of its neighbour (the sampler
# reads the histogram and the counters apart); over the run they agree
for job in (0, 1):
    for d in ("read", "write"):
        mine = [r[d] for r in ticks if r["job"] == job and d in r and "hist" in r[d]]
        assert sum(sum(x["hist"][1::2]) for x in mine) == sum(x["ios"] for x in mine), (job, d)
assert any("hist" in r.get("read", {}) for r in ticks), "no tick carries a histogram"
tr = recs[-1]
assert tr["type"] == "trailer" and tr["stopped_by"] is None, tr
assert tr["fio"] == json.load(open(sys.argv[2])), "trailer differs from --output-format=json"
assert any(r["type"] == "runstate" for r in recs)
PY

# the same lines on stdout
sed 's/runtime=1/runtime=300ms/' "$T/job.fio" >"$T/short.fio"
run_iolab --headless --status-interval=100ms --output-format=jsonl "$T/short.fio"
[ $rc -eq 0 ] || { cat "$T/err"; fail "jsonl: exit status $rc"; }
python3 - "$T/out" <<'PY' || fail "jsonl on stdout"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
assert recs[0]["type"] == "header" and recs[-1]["type"] == "trailer", (recs[0]["type"], recs[-1]["type"])
assert recs[-1]["fio"]["jobs"][0]["jobname"] == "a"
PY

# --record refuses a device as --output does, before anything runs
run_iolab --headless --record /dev/null "$T/job.fio"
[ $rc -ne 0 ] || fail "--record=/dev/null accepted"
grep -q "record=/dev/null" "$T/err" || { cat "$T/err"; fail "no reason for /dev/null"; }

# kill -9 mid-run: what was written parses, and covers the run to its last tick
sed 's/runtime=1/runtime=30/' "$T/job.fio" >"$T/long.fio"
timeout 20 "$IOLAB" --headless --status-interval=100ms --record "$T/cut.jsonl" \
	"$T/long.fio" >/dev/null 2>&1 &
pid=$!
# killed once a tick past the first second is in the file (a loaded host
# may start late), so the file must hold at least that
for i in $(seq 100); do
	grep -q '"t1":1[0-9]\{6\},' "$T/cut.jsonl" 2>/dev/null && break
	sleep 0.1
done
kill -9 $pid
wait $pid 2>/dev/null
python3 - "$T/cut.jsonl" <<'PY' || fail "killed recording"
import json, sys
text = open(sys.argv[1]).read()
whole = text.split("\n")[:-1]  # the last piece may be cut
recs = [json.loads(l) for l in whole]
assert recs[0]["type"] == "header"
ticks = [r for r in recs if r["type"] == "tick"]
assert ticks and max(r["t1"] for r in ticks) > 1000000, "less than a second of ticks"
assert recs[-1]["type"] != "trailer"
PY
run_iolab --compare "$T/cut.jsonl" "$T/rec.jsonl"
[ $rc -eq 0 ] || { cat "$T/err"; fail "--compare on a killed recording: exit $rc"; }
grep -q "without its trailer\|cut short" "$T/err" || { cat "$T/err"; fail "no note on the cut record"; }
grep -q "iops" "$T/out" || fail "no figures from the killed recording"
# and --replay opens it, saying where it stops
run_iolab --replay "$T/cut.jsonl" --headless
[ $rc -eq 0 ] || { cat "$T/err"; fail "--replay on a killed recording: exit $rc"; }
grep -q "$T/cut.jsonl:[0-9]*: .*\(without its trailer\|cut short\)" "$T/err" ||
	{ cat "$T/err"; fail "--replay: no file:line note on the killed recording"; }
grep -q "did not reach its end" "$T/out" || { cat "$T/out"; fail "--replay claims a report"; }
exit 0
