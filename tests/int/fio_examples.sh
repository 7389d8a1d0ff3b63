#!/bin/sh
# fio 3.33's example job files that use only local files and the engines
# iolab has, and that iolab refused before issue 15's patterns (backwards
# reads, flows, dedupe working sets, strided zones, zoned distributions,
# lfsr): our stand-ins in tests/jobs/fio_examples/ run in fio and in iolab
# with the same jobs, groups and bytes per job (time_based ones: the same
# directions moving data; with bssplit, whose last I/O per clone passes the
# size by a random part of a block in fio too, the same bytes within one
# largest block per clone). iolab's normalized dump of each (--parse-only)
# is a job file fio 3.33 accepts.
. "$(dirname "$0")/common.inc"
need_fio

dir=$ROOT/tests/jobs/fio_examples
export EXDIR="$T"
n=0
for job in "$dir"/*.fio; do
	b=$(basename "$job" .fio)
	rm -f "$T"/*.dat "$T"/*.0 "$T"/*.log
	(cd "$T" && timeout 120 fio --output-format=json --output="$T/$b.fio.json" "$job" \
		>/dev/null 2>"$T/$b.fio.err") || { cat "$T/$b.fio.err"; fail "$b: fio failed"; }
	rm -f "$T"/*.dat "$T"/*.0 "$T"/*.log
	(cd "$T" && timeout 120 "$IOLAB" --headless --output-format=json \
		--output="$T/$b.iolab.json" "$job" >/dev/null 2>"$T/$b.iolab.err") ||
		{ cat "$T/$b.iolab.err"; fail "$b: iolab failed"; }
	grep -v 'warning: .*accepted for fio compatibility' "$T/$b.iolab.err" | grep . &&
		fail "$b: iolab said more than compatibility warnings"
	timed=0 tol=0
	grep -q '^time_based' "$job" && timed=1
	grep -q '^bssplit' "$job" && tol=$((4 * 65536))
	python3 - "$T/$b.fio.json" "$T/$b.iolab.json" "$b" "$timed" "$tol" <<'PY' || fail "$b: differs from fio"
import json, sys
f = json.load(open(sys.argv[1]))["jobs"]
i = json.load(open(sys.argv[2]))["jobs"]
name, timed, tol = sys.argv[3], sys.argv[4] == "1", int(sys.argv[5])
assert len(f) == len(i), "%s: fio reported %d jobs, iolab %d" % (name, len(f), len(i))
out = []
for a, b in zip(f, i):
    assert a["jobname"] == b["jobname"], (a["jobname"], b["jobname"])
    assert a["groupid"] == b["groupid"], (a["jobname"], a["groupid"], b["groupid"])
    assert a["error"] == 0 and b["error"] == 0, (a["error"], b["error"])
    for d in ("read", "write", "trim"):
        assert (a[d]["io_bytes"] > 0) == (b[d]["io_bytes"] > 0), (a["jobname"], d)
    tf = sum(a[d]["io_bytes"] for d in ("read", "write", "trim"))
    ti = sum(b[d]["io_bytes"] for d in ("read", "write", "trim"))
    if not timed:
        assert abs(tf - ti) <= tol, "%s/%s: fio moved %d bytes, iolab %d" % (name, a["jobname"], tf, ti)
    out.append("%s g%d %d/%d" % (b["jobname"], b["groupid"], ti, tf))
print("%-18s %s" % (name, ", ".join(out)))
PY
	"$IOLAB" --parse-only "$job" >"$T/$b.dump.fio" 2>/dev/null || fail "$b: --parse-only failed"
	fio --parse-only "$T/$b.dump.fio" >/dev/null 2>"$T/$b.dump.err" ||
		{ cat "$T/$b.dump.err"; fail "$b: fio refuses iolab's dump"; }
	n=$((n + 1))
done
[ "$n" -ge 8 ] || fail "only $n example stand-ins found in $dir"
echo "ok: $n fio examples run with fio's jobs, groups and bytes (iolab/fio bytes above)"
