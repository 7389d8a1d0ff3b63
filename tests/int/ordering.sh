#!/bin/sh
# Ordering between jobs, iolab against fio 3.33 on the same job files:
# wait_for, stonewall with numjobs and startdelay (startdelay counts from
# the start of the run), exitall (stops the rest of the job's group; later
# groups still run), exitall_on_error (likewise, for a failed job),
# new_group (reporting only), create_serialize.
# Start and end times come from exec_prerun/exec_postrun stamps (fio's JSON
# has no per-job start time); bytes from the JSON.
. "$(dirname "$0")/common.inc"
need_fio

# run TOOL NAME: run $T/NAME.fio with TOOL (fio|iolab) in $T/TOOL,
# JSON in $T/NAME.TOOL.json, stamps in $T/TOOL/ev.log
run() {
	mkdir -p "$T/$1"
	rm -f "$T/$1/ev.log"
	if [ "$1" = fio ]; then
		(cd "$T/$1" && timeout 60 fio --output-format=json --output="$T/$2.$1.json" \
			"$T/$2.fio" >/dev/null 2>"$T/$2.$1.err")
	else
		(cd "$T/$1" && timeout 60 "$IOLAB" --headless --allow-exec --output-format=json \
			--output="$T/$2.$1.json" "$T/$2.fio" >/dev/null 2>"$T/$2.$1.err")
	fi
	[ -s "$T/$2.$1.json" ] || { cat "$T/$2.$1.err"; fail "$2: $1 wrote no JSON"; }
}

# stamp NAME: exec_prerun/exec_postrun lines for job NAME
stamp() {
	echo "exec_prerun=sh -c 'echo start $1 \$(date +%s%3N) >>ev.log'"
	echo "exec_postrun=sh -c 'echo end $1 \$(date +%s%3N) >>ev.log'"
}

# 1. wait_for, stonewall, numjobs, startdelay, as fio's job scan has them:
#    a runs 600 ms; b waits for a; c (stonewall, 2 clones) has
#    startdelay=1200ms counted from the start of the run, and while its
#    delay runs it is passed over, so d (after it, same group) starts at
#    once beside a; when its delay is over c waits for everything running
#    (a, b, d) to end. Both tools must keep all these constraints.
{
	printf '[global]\nioengine=null\nbs=4k\n'
	printf '[a]\nrw=read\nsize=64m\ntime_based=1\nruntime=600ms\n'; stamp a
	printf '[b]\nrw=write\nsize=32m\nwait_for=a\n'; stamp b
	printf '[c]\nstonewall\nrw=read\nsize=8m\nnumjobs=2\nstartdelay=1200ms\ntime_based=1\nruntime=300ms\n'
	stamp c
	printf '[d]\nrw=randwrite\nsize=16m\n'; stamp d
} >"$T/order.fio"
run fio order
run iolab order
python3 - "$T" <<'PY' || fail "order: iolab differs from fio"
import json, sys
t = sys.argv[1]
def events(tool):
    ev = []
    for line in open("%s/%s/ev.log" % (t, tool)):
        kind, name, ms = line.split()
        ev.append((int(ms), kind, name))
    ev.sort()
    return ev
res = {}
for tool in ("fio", "iolab"):
    ev = events(tool)
    seq = [k + " " + n for _, k, n in ev]
    at = {}
    for ms, k, n in ev:
        at.setdefault(k + " " + n, ms)
    assert seq.count("start c") == 2 and seq.count("end c") == 2, (tool, seq)
    pos = lambda e: seq.index(e)
    last = lambda e: len(seq) - 1 - seq[::-1].index(e)
    assert pos("start d") < pos("end a"), (tool, "d runs beside a", seq)
    assert pos("end a") < pos("start b"), (tool, "wait_for", seq)
    for e in ("end a", "end b", "end d"):
        assert pos(e) < pos("start c"), (tool, "stonewall after " + e, seq)
    assert last("start c") < pos("end c"), (tool, "clones together", seq)
    # startdelay from the start of the run, not from when c could start
    late = at["start c"] - at["end a"]
    assert late < 1000, "%s: c started %d ms after a ended" % (tool, late)
    assert at["start c"] - at["start a"] >= 1100, (tool, at)
    res[tool] = seq
    print("%-5s %s" % (tool, ", ".join(seq)))
f = json.load(open(t + "/order.fio.json"))["jobs"]
i = json.load(open(t + "/order.iolab.json"))["jobs"]
assert [j["jobname"] for j in f] == [j["jobname"] for j in i]
for a, b in zip(f, i):
    assert a["groupid"] == b["groupid"], (a["jobname"], a["groupid"], b["groupid"])
    fb = a["read"]["io_bytes"] + a["write"]["io_bytes"]
    ib = b["read"]["io_bytes"] + b["write"]["io_bytes"]
    if a["jobname"] in ("a", "c"):
        assert fb > 0 and ib > 0
    else:
        assert fb == ib, "%s: fio %d bytes, iolab %d" % (a["jobname"], fb, ib)
PY
echo "order: same start/end order and bytes as fio"

# 1b. new_group alone starts a reporting group; it does not wait.
{
	printf '[global]\nioengine=null\nbs=4k\nsize=64m\ntime_based=1\nruntime=400ms\n'
	printf '[a]\nrw=read\n'; stamp a
	printf '[b]\nnew_group\nrw=read\n'; stamp b
} >"$T/newgroup.fio"
run fio newgroup
run iolab newgroup
for tool in fio iolab; do
	python3 - "$T" "$tool" <<'PY' || fail "new_group: $tool serialised the groups"
import json, sys
t, tool = sys.argv[1], sys.argv[2]
ev = sorted((int(ms), k + " " + n) for k, n, ms in
            (l.split() for l in open("%s/%s/ev.log" % (t, tool))))
seq = [e for _, e in ev]
assert seq.index("start b") < seq.index("end a"), seq
g = [j["groupid"] for j in json.load(open("%s/newgroup.%s.json" % (t, tool)))["jobs"]]
assert g == [0, 1], g
PY
done
echo "new_group: a reporting group, run beside the others, as fio"

# 2. exitall: a (exitall) ends after 300 ms; it stops b in its group. In
#    group 1 nobody has exitall, but it is global in fio: c's end stops d.
{
	printf '[global]\nioengine=null\nbs=4k\n'
	printf '[a]\nrw=read\nsize=64m\ntime_based=1\nruntime=300ms\nexitall\n'
	printf '[b]\nrw=read\nsize=64m\ntime_based=1\nruntime=20s\n'
	printf '[c]\nstonewall\nrw=write\nsize=64m\ntime_based=1\nruntime=300ms\n'
	printf '[d]\nrw=read\nsize=64m\ntime_based=1\nruntime=20s\n'
} >"$T/exitall.fio"
run fio exitall
run iolab exitall
python3 - "$T" <<'PY' || fail "exitall: iolab differs from fio"
import json, sys
t = sys.argv[1]
for tool in ("fio", "iolab"):
    js = {j["jobname"]: j for j in json.load(open("%s/exitall.%s.json" % (t, tool)))["jobs"]}
    by = lambda n: js[n]["read"]["io_bytes"] + js[n]["write"]["io_bytes"]
    assert by("a") > 0 and by("c") > 0, (tool, by("a"), by("c"))
    for n in ("b", "d"):
        assert 0 < js[n]["job_runtime"] < 20000, (tool, n, js[n]["job_runtime"])
        assert by(n) > 0, (tool, n)
    print("%-5s a %d, c %d bytes; b %d ms, d %d ms" % (tool, by("a"), by("c"),
          js["b"]["job_runtime"], js["d"]["job_runtime"]))
PY
echo "exitall: stops the group, later groups run, as fio"

# 3. exitall_on_error: a write to /dev/full fails with ENOSPC after 200 ms;
#    that stops b, the rest of its group; group 1 runs (fio 3.33 stops the
#    group only, exit_what=group).
if [ -w /dev/full ]; then
	{
		printf '[global]\nbs=4k\nsize=64m\n'
		printf '[a]\nioengine=sync\nrw=write\nfilename=/dev/full\nexitall_on_error\nstartdelay=200ms\n'
		printf '[b]\nioengine=null\nrw=read\ntime_based=1\nruntime=20s\n'
		printf '[c]\nstonewall\nioengine=null\nrw=write\n'
	} >"$T/onerr.fio"
	run fio onerr
	run iolab onerr
	python3 - "$T" <<'PY' || fail "exitall_on_error: iolab differs from fio"
import json, sys
t = sys.argv[1]
for tool in ("fio", "iolab"):
    js = {j["jobname"]: j for j in json.load(open("%s/onerr.%s.json" % (t, tool)))["jobs"]}
    assert js["a"]["error"] == 28, (tool, js["a"]["error"])
    assert 0 < js["b"]["job_runtime"] < 20000, (tool, js["b"]["job_runtime"])
    assert js["c"]["write"]["io_bytes"] == 64 << 20, (tool, js["c"]["write"]["io_bytes"])
    print("%-5s a error %d, b stopped at %d ms, c %d bytes" % (tool, js["a"]["error"],
          js["b"]["job_runtime"], js["c"]["write"]["io_bytes"]))
PY
	echo "exitall_on_error: stops the failing job's group, as fio"
else
	echo "exitall_on_error: no writable /dev/full here, part skipped"
fi

# 4. create_serialize=1 (default) and 0: two readers lay out their files,
#    one at a time or together; either way the files and bytes match fio.
for cs in 1 0; do
	{
		printf '[global]\nioengine=psync\nbs=64k\nsize=8m\nrw=read\ncreate_serialize=%s\n' "$cs"
		printf '[r1]\nfilename=cs%s.r1\n[r2]\nfilename=cs%s.r2\n' "$cs" "$cs"
	} >"$T/cs$cs.fio"
	run fio "cs$cs"
	run iolab "cs$cs"
	for tool in fio iolab; do
		for n in r1 r2; do
			sz=$(stat -c %s "$T/$tool/cs$cs.$n")
			[ "$sz" = 8388608 ] || fail "create_serialize=$cs: $tool laid out $n as $sz bytes"
		done
		b=$(json_get "$T/cs$cs.$tool.json" 'sum(j["read"]["io_bytes"] for j in d["jobs"])')
		[ "$b" = 16777216 ] || fail "create_serialize=$cs: $tool read $b bytes"
	done
done
echo "create_serialize: files and bytes as fio"
echo "ok: job ordering matches fio"
