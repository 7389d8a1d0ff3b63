#!/bin/sh
# --output-format=json and json+: valid JSON in fio's shape, with the right
# counts; fio's own fio_jsonplus_clat2csv reads our json+.
. "$(dirname "$0")/common.inc"

cat >"$T/job.fio" <<'JOB'
[global]
ioengine=null
size=8m
bs=4k

[rr]
rw=randrw
rwmixread=70
JOB

run_iolab --headless --output-format=json "$T/job.fio"
[ $rc -eq 0 ] || { cat "$T/err"; fail "exit status $rc"; }
python3 -m json.tool "$T/out" >/dev/null || fail "output is not JSON"
python3 - "$T/out" <<'PY' || fail "JSON content"
import json, sys
d = json.load(open(sys.argv[1]))
for k in ("fio version", "timestamp", "timestamp_ms", "time", "jobs", "disk_util"):
    assert k in d, "top-level key %r missing" % k
assert d["fio version"].startswith("iolab-"), d["fio version"]
assert len(d["jobs"]) == 1, len(d["jobs"])
j = d["jobs"][0]
assert j["jobname"] == "rr" and j["groupid"] == 0 and j["error"] == 0, j["jobname"]
r, w = j["read"], j["write"]
assert r["io_bytes"] + w["io_bytes"] == 8 << 20, (r["io_bytes"], w["io_bytes"])
assert r["total_ios"] + w["total_ios"] == 2048
assert r["io_kbytes"] == r["io_bytes"] >> 10
for x in (r, w):
    assert x["clat_ns"]["N"] == x["total_ios"], (x["clat_ns"]["N"], x["total_ios"])
    p = x["clat_ns"]["percentile"]
    assert list(p)[0] == "1.000000" and list(p)[-1] == "99.990000" and len(p) == 17, list(p)
    vals = list(p.values())
    assert vals == sorted(vals), vals
    assert "bins" not in x["clat_ns"], "plain json must not carry bins"
    if x["runtime"]:
        assert x["bw_bytes"] == x["io_bytes"] * 1000 // x["runtime"], x
        assert x["bw"] == x["bw_bytes"] // 1024
frac = r["io_bytes"] / float(r["io_bytes"] + w["io_bytes"])
assert 0.65 < frac < 0.75, frac
for k in ("job_runtime", "usr_cpu", "sys_cpu", "ctx", "majf", "minf", "iodepth_level",
          "latency_ns", "latency_us", "latency_ms", "sync", "trim"):
    assert k in j, "job key %r missing" % k
# as fio: only a job with continue_on_error or ignore_error has these
for k in ("total_err", "first_error"):
    assert k not in j, "job key %r without continue_on_error" % k
assert abs(sum(j["iodepth_level"].values()) - 100.0) < 0.5, j["iodepth_level"]
lat = sum(j["latency_ns"].values()) + sum(j["latency_us"].values()) + sum(j["latency_ms"].values())
assert abs(lat - 100.0) < 1.0, lat
PY

run_iolab --headless --output-format=json+ "$T/job.fio"
[ $rc -eq 0 ] || { cat "$T/err"; fail "json+: exit status $rc"; }
cp "$T/out" "$T/plus.json"
python3 - "$T/plus.json" <<'PY' || fail "json+ content"
import json, sys
d = json.load(open(sys.argv[1]))
for dd in ("read", "write"):
    c = d["jobs"][0][dd]["clat_ns"]
    b = c["bins"]
    assert sum(b.values()) == c["N"], (sum(b.values()), c["N"])
    keys = [int(k) for k in b]
    assert min(keys) >= c["min"] * 0.99 - 1 and max(keys) <= c["max"] * 1.01 + 1, (min(keys), max(keys), c["min"], c["max"])
assert "bins" not in d["jobs"][0]["trim"]["clat_ns"]
PY
if command -v fio_jsonplus_clat2csv >/dev/null 2>&1 && python3 -c 'import six' 2>/dev/null; then
	(cd "$T" && fio_jsonplus_clat2csv plus.json lat.csv >/dev/null) || fail "fio_jsonplus_clat2csv refused our json+"
	(cd "$T" && fio_jsonplus_clat2csv plus.json lat.csv --validate) | grep -q validated ||
		fail "fio_jsonplus_clat2csv --validate failed"
	[ "$(wc -l <"$T/lat_job0.csv")" -gt 2 ] || fail "clat2csv wrote no rows"
else
	echo "note: fio_jsonplus_clat2csv (or python six) missing; json+ not cross-checked"
fi

run_iolab --headless --output-format=normal,json "$T/job.fio"
[ $rc -eq 0 ] || fail "normal,json: exit status $rc"
grep -q '^Run status group 0' "$T/out" || fail "normal,json: no normal part"
grep -q '"fio version" : "iolab-' "$T/out" || fail "normal,json: no json part"

run_iolab --headless --output-format=terse "$T/job.fio"
[ $rc -eq 0 ] || fail "terse: exit status $rc"
python3 - "$T/out" <<'PY' || fail "terse line"
import sys
lines = [l for l in open(sys.argv[1]).read().splitlines() if l.startswith("3;")]
assert len(lines) == 1, lines
f = lines[0].split(";")
assert f[0] == "3" and f[1].startswith("iolab-") and f[2] == "rr" and f[3] == "0" and f[4] == "0", f[:5]
# read kbytes + write kbytes = 8192 (fields 5 and 5+ddir width)
width = 4 + 4 + 4 + 20 + 4 + 5   # io, slat, clat, 20 pct, lat, bw
assert int(f[5]) + int(f[5 + width]) == 8192, (f[5], f[5 + width])
# fio's v3 line: 5 + 2 ddirs + cpu 5 + depths 7 + lat_u 10 + lat_m 12
assert len(f) == 5 + 2 * width + 5 + 7 + 10 + 12, len(f)
PY

run_iolab --headless --output-format=xml "$T/job.fio"
[ $rc -eq 1 ] || fail "unknown format: exit $rc, want 1"
grep -q "output-format" "$T/err" || fail "unknown format: no message"
echo "ok: json, json+, normal+json, terse"
