#!/bin/sh
# fio and iolab run the same job file and move the same bytes per job.
. "$(dirname "$0")/common.inc"
need_fio

job=$ROOT/tests/jobs/basic.fio
[ -e "$job" ] || job=$ROOT/tests/jobs/fio_compare.fio
fj=$ROOT/tests/jobs/fio_compare.fio

for f in "$job" "$fj"; do
	[ -e "$f" ] || continue
	b=$(basename "$f" .fio)
	(cd "$T" && timeout 120 fio --output-format=json --output="$T/$b.fio.json" "$f" >/dev/null 2>&1) ||
		fail "fio failed on $f"
	(cd "$T" && timeout 120 "$IOLAB" --headless --output-format=json --output="$T/$b.iolab.json" "$f" \
		>/dev/null 2>"$T/$b.err") || { cat "$T/$b.err"; fail "iolab failed on $f"; }
	python3 - "$T/$b.fio.json" "$T/$b.iolab.json" "$b" <<'PY' || fail "$b: results differ from fio's"
import json, sys
f = json.load(open(sys.argv[1]))["jobs"]
i = json.load(open(sys.argv[2]))["jobs"]
name = sys.argv[3]
assert len(f) == len(i), "%s: fio ran %d jobs, iolab %d" % (name, len(f), len(i))
for a, b in zip(f, i):
    assert a["jobname"] == b["jobname"], (a["jobname"], b["jobname"])
    assert a["groupid"] == b["groupid"], (a["jobname"], a["groupid"], b["groupid"])
    tf = sum(a[d]["io_bytes"] for d in ("read", "write", "trim"))
    ti = sum(b[d]["io_bytes"] for d in ("read", "write", "trim"))
    assert tf == ti, "%s: fio moved %d bytes, iolab %d" % (a["jobname"], tf, ti)
    for d in ("read", "write", "trim"):
        assert (a[d]["io_bytes"] > 0) == (b[d]["io_bytes"] > 0), (a["jobname"], d)
    if a["read"]["io_bytes"] and a["write"]["io_bytes"]:
        ff = a["read"]["io_bytes"] / float(tf)
        fi = b["read"]["io_bytes"] / float(ti)
        assert abs(ff - fi) < 0.03, "%s: read share fio %.3f, iolab %.3f" % (a["jobname"], ff, fi)
    print("%-10s group %d: %d bytes (fio %d)" % (b["jobname"], b["groupid"], ti, tf))
PY
done
echo "ok: same bytes as fio"
