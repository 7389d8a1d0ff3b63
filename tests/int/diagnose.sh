#!/bin/sh
# iolab --diagnose from the real binary: on a new file it creates a scratch
# file, runs every step, prints a report with findings (text and JSON), and
# removes the file; on an existing file it leaves the bytes alone (write
# steps skipped without --allow-write); a bad target is refused.
. "$(dirname "$0")/common.inc"

"$IOLAB" --help >"$T/help" 2>&1
grep -q -- '--diagnose' "$T/help" ||
	fail "iolab --help does not list --diagnose: --diagnose is not in the flag table (cli/flags.c)"

# Text report.
start=$(date +%s)
run_iolab --diagnose "$T/file" --runtime=1
secs=$(( $(date +%s) - start ))
[ $rc -eq 0 ] || { cat "$T/err"; fail "--diagnose: exit status $rc"; }
[ $secs -lt 45 ] || fail "--diagnose --runtime=1 took $secs s"
[ ! -e "$T/file" ] || fail "the scratch file $T/file was not removed"
grep -q "^iolab diagnose: $T/file" "$T/out" || { cat "$T/out"; fail "no report header"; }
steps=$(grep -cE '^  [a-z0-9-]+ +[0-9.]+k? +[0-9.]+ [MG]iB/s ' "$T/out")
[ "$steps" -ge 5 ] || { cat "$T/out"; fail "$steps steps with figures in the report, want >= 5"; }
grep -q '^Findings:$' "$T/out" || fail "no Findings section"
grep -q "^  latencies are fio's lat: from submission to completion$" "$T/out" ||
	fail "the text report does not say which latency it shows"
grep -qE '^  step +IOPS +bandwidth +lat p50 +lat p99 +lat p99.9 +lat max +util$' "$T/out" ||
	fail "the text report's table does not label its latencies lat"
nf=$(sed -n '/^Findings:$/,$p' "$T/out" | grep -cE '^ *(!!|!|-) ')
[ "$nf" -ge 1 ] || { cat "$T/out"; fail "no findings"; }
echo "ok: text report, $steps steps, $nf findings, ${secs}s"

# What the field engineer takes home (issue 14): when, where, which iolab,
# and the disk under the target as /sys/block says it is, in text and JSON.
grep -qE "^  run: [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}[-+][0-9]{4} on $(hostname), kernel $(uname -r), iolab [^ -]" "$T/out" ||
	{ grep '^  run:' "$T/out"; fail "the text report does not say when, on which host and kernel, with which iolab"; }

# JSON report.
run_iolab --diagnose "$T/file2" --runtime=1 --size=64m --output-format=json
python3 - "$T/out" "$(hostname)" "$(uname -r)" <<'PY' || fail "the JSON report's provenance is not what the machine says"
import json, os, sys
d = json.load(open(sys.argv[1]))["diagnosis"]
assert d["host"] == sys.argv[2] and d["kernel"] == sys.argv[3], (d["host"], d["kernel"])
assert d["time"][:2] == "20" and d["iolab_version"], (d["time"], d["iolab_version"])
di = d["device_info"]
if not di["name"]:
    print("ok: provenance (no block device under %s: no device facts)" % d["target"])
    sys.exit(0)
sysb = "/sys/block/" + di["name"]
assert os.path.isdir(sysb), ("the device named is no /sys/block entry", di["name"])
def attr(rel):
    try:
        return open(os.path.join(sysb, rel)).readline().strip()
    except OSError:
        return None
want = {"write_cache": attr("queue/write_cache"), "nr_requests": attr("queue/nr_requests"),
        "rotational": attr("queue/rotational"), "scheduler": attr("queue/scheduler"),
        "model": attr("device/model"), "firmware": attr("device/firmware_rev") or attr("device/rev")}
if want["scheduler"] and "[" in want["scheduler"]:
    want["scheduler"] = want["scheduler"].split("[")[1].split("]")[0]
if want["model"] and attr("device/vendor"):
    want["model"] = attr("device/vendor") + " " + want["model"]
for k, v in want.items():
    if v is None:
        continue
    got = str(di[k]) if k in ("nr_requests", "rotational") else di[k]
    assert got == v, (k, got, v)
print("ok: provenance: %s on %s, kernel %s; %s: %s" % (d["time"], d["host"], d["kernel"], di["name"],
      ", ".join("%s=%s" % (k, di[k]) for k in sorted(want))))
PY
[ $rc -eq 0 ] || { cat "$T/err"; fail "--diagnose --output-format=json: exit status $rc"; }
python3 - "$T/out" <<'PY' || fail "JSON report does not hold what it should"
import json, sys
d = json.load(open(sys.argv[1]))["diagnosis"]
assert d["kind"] == "scratch", d["kind"]
done = [s for s in d["steps"] if s["status"] == "done"]
assert len(done) >= 5, [(s["name"], s["status"], s["note"]) for s in d["steps"]]
for s in done:
    for k in ("name", "iops", "bw_bytes", "lat_p50_us", "lat_p99_us", "lat_p999_us", "util", "findings"):
        assert k in s, (s["name"], k)
    assert s["iops"] > 0 and s["bw_bytes"] > 0, s["name"]
    assert 0 < s["lat_p50_us"] <= s["lat_p99_us"] <= s["lat_p999_us"], s["name"]
    # no percentile beyond the step's max nor under its min (issue 14)
    assert s["lat_min_us"] <= s["lat_p50_us"] and s["lat_p999_us"] <= s["lat_max_us"], s
    # submission to completion is fio's lat: no key calls it clat
    assert not [k for k in s if k.startswith("clat")], (s["name"], sorted(s))
assert len(d["findings"]) >= 1
for f in d["findings"]:
    assert f["code"] and f["severity"] in ("info", "warning", "alert") and f["text"], f
sync = [s for s in d["steps"] if s["name"] == "syncwrite-4k"][0]
assert sync["syncs"] > 0, sync
print("ok: json", len(done), "steps done;", ", ".join(f["code"] for f in d["findings"]))
PY

# An existing file: read steps only, its contents untouched.
head -c 33554432 /dev/urandom >"$T/keep.dat"
sum1=$(md5sum <"$T/keep.dat")
run_iolab --diagnose "$T/keep.dat" --runtime=1 --output-format=json
[ $rc -eq 0 ] || { cat "$T/err"; fail "--diagnose on an existing file: exit status $rc"; }
sum2=$(md5sum <"$T/keep.dat")
[ "$sum1" = "$sum2" ] || fail "diagnose changed an existing file without --allow-write"
skipped=$(json_get "$T/out" 'sum(s["status"] == "skipped" for s in d["diagnosis"]["steps"])')
[ "$skipped" -ge 4 ] || fail "$skipped write steps skipped on an existing file, want 4"
grep -q 'allow-write' "$T/err" || fail "no hint about --allow-write on stderr"

# Bad targets.
run_iolab --diagnose /dev/null --runtime=1
[ $rc -eq 1 ] || fail "--diagnose /dev/null: exit status $rc, want 1"
grep -q 'not a regular file, directory or block device' "$T/err" || { cat "$T/err"; fail "no reason for /dev/null"; }
run_iolab --diagnose "$T/file3" --runtime=abc
[ $rc -eq 2 ] || fail "--runtime=abc: exit status $rc, want 2"
grep -q -- '--runtime=abc' "$T/err" || fail "no message naming --runtime=abc"
echo "ok: diagnose"
