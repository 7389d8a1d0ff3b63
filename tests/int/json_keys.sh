#!/bin/sh
# Every key fio 3.33 writes in its JSON (top level, jobs[0], each direction,
# the latency objects) is in ours too, for the same job file, except the
# few listed in OMITTED below with the reason.
. "$(dirname "$0")/common.inc"
need_fio

cat >"$T/keys.fio" <<JOB
[global]
ioengine=psync
filename=$T/keys.dat
size=4m
bs=4k

[mix]
rw=randrw
rwmixread=70
runtime=1
time_based
JOB

(cd "$T" && timeout 60 fio --output-format=json+ --output="$T/fio.json" "$T/keys.fio" >/dev/null 2>&1) ||
	fail "fio failed"
run_iolab --headless --output-format=json+ --output="$T/iolab.json" "$T/keys.fio"
[ $rc -eq 0 ] || { cat "$T/err"; fail "iolab: exit $rc"; }

python3 - "$T/fio.json" "$T/iolab.json" <<'PY' || fail "key sets differ"
import json, sys

# key path -> why iolab leaves it out
OMITTED = {
    "jobs[0].iodepth_submit": "iolab does not count I/Os per submit call",
    "jobs[0].iodepth_complete": "iolab does not count I/Os per reap call",
}

f = json.load(open(sys.argv[1]))
i = json.load(open(sys.argv[2]))
missing = []

def cmp(path, a, b):
    if not isinstance(a, dict):
        return
    if not isinstance(b, dict):
        missing.append("%s (not an object)" % path)
        return
    for k in a:
        p = "%s.%s" % (path, k) if path else k
        if p in OMITTED:
            continue
        if k not in b:
            missing.append(p)
            continue
        if k in ("job options", "global options", "percentile", "bins"):
            continue  # values-as-keys: options given, percentile list, bucket values
        cmp(p, a[k], b[k])

cmp("", f, i)
cmp("jobs[0]", f["jobs"][0], i["jobs"][0])
for d in ("read", "write"):
    pf = list(f["jobs"][0][d]["clat_ns"]["percentile"])
    pi = list(i["jobs"][0][d]["clat_ns"]["percentile"])
    if pf != pi:
        missing.append("jobs[0].%s.clat_ns.percentile keys %s != %s" % (d, pi, pf))
gf = set(f.get("global options", {}))
gi = set(i.get("global options", {}))
if not gf <= gi:
    missing.append("global options %s" % sorted(gf - gi))
if f["disk_util"] and i["disk_util"]:
    cmp("disk_util[0]", f["disk_util"][0], i["disk_util"][0])
elif f["disk_util"]:
    missing.append("disk_util: fio found device %s, iolab none" % f["disk_util"][0]["name"])
for p, why in sorted(OMITTED.items()):
    print("omitted on purpose: %s: %s" % (p, why))
if missing:
    print("missing in iolab's JSON:\n  " + "\n  ".join(missing))
    sys.exit(1)
print("all of fio's keys present (%d job keys, %d read keys)" %
      (len(f["jobs"][0]), len(f["jobs"][0]["read"])))
PY
echo "ok: json keys"
