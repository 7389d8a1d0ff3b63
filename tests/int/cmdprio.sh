#!/bin/sh
# I/O priorities side by side with fio 3.33 (tests/jobs/cmdprio.fio on a
# scratch file): the same I/O counts; the share of I/Os sent at the
# cmdprio priority near cmdprio_percentage in the JSON "prios" arrays,
# whose keys and priorities are fio's; the "clat prio C/L" lines of the
# normal report; log_prio's last column (0x4006, 0x4001) in the lat logs.
# Then: the job thread's own priority as the kernel sees it (ionice),
# io_uring's per-I/O priorities, fio's cmdprio_bssplit example forms,
# prios under group_reporting, lat_percentiles and unified_rw_reporting,
# refusals with file:line:option (and fio's [global] engine rule), and
# --cmdhelp.
. "$(dirname "$0")/common.inc"
need_fio

job=$ROOT/tests/jobs/cmdprio.fio
dd if=/dev/zero of="$T/prio.dat" bs=1M count=8 2>/dev/null || fail "cannot make the scratch file"
export CMDPRIO_FILE="$T/prio.dat"
for who in fio iolab; do
	export CMDPRIO_LOG="$T/$who"
	if [ $who = fio ]; then
		(cd "$T" && timeout 120 fio --output-format=json --output="$T/fio.json" "$job" \
			>/dev/null 2>"$T/fio.err") || { cat "$T/fio.err"; fail "fio failed"; }
		(cd "$T" && timeout 120 fio "$job" >"$T/fio.txt" 2>&1) || fail "fio (normal) failed"
	else
		(cd "$T" && timeout 120 "$IOLAB" --headless --output-format=json \
			--output="$T/iolab.json" "$job" >/dev/null 2>"$T/iolab.err") ||
			{ cat "$T/iolab.err"; fail "iolab failed"; }
		grep . "$T/iolab.err" && fail "iolab warned about a cmdprio job"
		(cd "$T" && timeout 120 "$IOLAB" --headless "$job" >"$T/iolab.txt" 2>&1) ||
			fail "iolab (normal) failed"
	fi
done

python3 - "$T" <<'PY' || fail "JSON or logs differ from fio's"
import json, sys
t = sys.argv[1]
f = json.load(open(t + "/fio.json"))["jobs"]
i = json.load(open(t + "/iolab.json"))["jobs"]
assert [j["jobname"] for j in f] == [j["jobname"] for j in i]
want = {("reader", "read"): 25, ("writer", "write"): 50}
for a, b in zip(f, i):
    for d in ("read", "write"):
        assert a[d]["total_ios"] == b[d]["total_ios"], (a["jobname"], d, a[d]["total_ios"], b[d]["total_ios"])
        assert list(a[d].keys()) == list(b[d].keys()), (a["jobname"], d, list(a[d]), list(b[d]))
        pct = want.get((a["jobname"], d))
        if pct is None:
            assert "prios" not in b[d], (b["jobname"], d)
            continue
        for who, j in (("fio", a), ("iolab", b)):
            pr = j[d]["prios"]
            assert [list(p.keys()) for p in pr] == [["prioclass", "prio", "clat_ns"]] * 2, (who, pr)
            got = {(p["prioclass"], p["prio"]): p["clat_ns"]["N"] for p in pr}
            assert set(got) == {(2, 6), (2, 1)}, (who, got)
            assert sum(got.values()) == j[d]["total_ios"], (who, got)
            share = 100.0 * got[(2, 1)] / j[d]["total_ios"]
            # 2048 I/Os: one standard deviation is about 1 point
            assert abs(share - pct) <= 5, (who, j["jobname"], share, pct)
            for k in ("min", "max", "mean", "stddev", "N", "percentile"):
                assert k in pr[0]["clat_ns"], (who, k)
        print("%s %s: %d I/Os, %s%% sent at 2/1 (fio %s%%)" % (b["jobname"], d, b[d]["total_ios"],
              round(100.0 * [p for p in b[d]["prios"] if p["prio"] == 1][0]["clat_ns"]["N"] / b[d]["total_ios"], 1),
              round(100.0 * [p for p in a[d]["prios"] if p["prio"] == 1][0]["clat_ns"]["N"] / a[d]["total_ios"], 1)))
# log_prio=1: five columns, the last the I/O's priority in fio's 0x%04x
for n in (1, 2):
    for kind in ("clat", "lat", "slat"):
        cols = {}
        for who in ("fio", "iolab"):
            rows = [l.split(", ") for l in open("%s/%s_%s.%d.log" % (t, who, kind, n)).read().splitlines()]
            assert rows and all(len(r) == 5 for r in rows), (who, kind, rows[:2])
            cols[who] = sorted(set(r[4] for r in rows))
            hi = sum(r[4] == "0x4001" for r in rows) * 100.0 / len(rows)
            assert abs(hi - (25, 50)[n - 1]) <= 5, (who, kind, n, hi)
        assert cols["fio"] == cols["iolab"] == ["0x4001", "0x4006"], (kind, cols)
print("logs: last column 0x4001/0x4006 as fio's")
PY

for who in fio iolab; do
	for p in "2/6 (" "2/1 ("; do
		grep -q "clat prio $p" "$T/$who.txt" || fail "$who: no 'clat prio $p' line"
	done
done
# the reader's writes and the writer's reads have no per-priority lines
[ "$(grep -c 'clat prio 2/6 (.*of IOs' "$T/iolab.txt")" = 2 ] || fail "iolab: prio lines in the wrong directions"

# the thread's own priority, as the kernel reports it for the job's thread
if command -v ionice >/dev/null 2>&1; then
	"$IOLAB" --headless --name=thr --ioengine=psync --filename="$T/prio.dat" \
		--size=1m --rw=read --rate_iops=50 --time_based --runtime=3 --prioclass=3 \
		>"$T/thr.out" 2>&1 &
	pid=$!
	seen=""
	for i in 1 2 3 4 5 6 7 8 9 10; do
		sleep 0.2
		for c in /proc/$pid/task/*/comm; do
			[ "$(cat "$c" 2>/dev/null)" = iolab-thr ] || continue
			tid=$(basename "$(dirname "$c")")
			seen=$(ionice -p "$tid" 2>/dev/null)
		done
		[ -n "$seen" ] && break
	done
	wait $pid || fail "prioclass=3 job failed: $(cat "$T/thr.out")"
	case "$seen" in
	idle*) echo "thread: ionice says '$seen'" ;;
	*) fail "job thread's I/O priority: ionice says '$seen', not idle" ;;
	esac
else
	echo "note: no ionice here; the thread's priority is not read back"
fi

# io_uring: each I/O's priority goes in its SQE
if fio --name=u --ioengine=io_uring --filename="$T/prio.dat" --size=64k --rw=read \
	>/dev/null 2>&1; then
	run_iolab --headless --output-format=json --name=u --ioengine=io_uring --iodepth=8 \
		--filename="$T/prio.dat" --size=8m --rw=randread --cmdprio_percentage=30 \
		--cmdprio_class=3 --cmdprio=0
	[ $rc = 0 ] || fail "io_uring cmdprio run: $(cat "$T/err")"
	python3 - "$T/out" <<'PY' || fail "io_uring: prios wrong"
import json, sys
r = json.load(open(sys.argv[1]))["jobs"][0]["read"]
got = {(p["prioclass"], p["prio"]): p["clat_ns"]["N"] for p in r["prios"]}
assert set(got) == {(0, 0), (3, 0)}, got
share = 100.0 * got[(3, 0)] / r["total_ios"]
assert abs(share - 30) <= 5, share
print("io_uring: %.1f%% of reads at 3/0" % share)
PY
else
	echo "note: io_uring is not allowed here; its cmdprio is not checked"
fi

# fio's cmdprio_bssplit example forms: per size, own class/level, a default
cat >"$T/bss.fio" <<EOF
[global]
filename=$T/prio.dat
rw=randread
ioengine=libaio
iodepth=8
size=8m
bssplit=4k/50:16k/50
norandommap
prioclass=2
prio=7
[adv]
cmdprio_bssplit=4k/25/2/1:4k/75/3/2:16k/0
EOF
for who in fio iolab; do
	if [ $who = fio ]; then cmd="fio"; else cmd="$IOLAB --headless"; fi
	(cd "$T" && timeout 60 $cmd --output-format=json --output="$T/bss.$who.json" "$T/bss.fio" \
		>/dev/null 2>&1) || fail "$who: cmdprio_bssplit job failed"
done
python3 - "$T" <<'PY' || fail "cmdprio_bssplit: differs from fio"
import json, sys
t = sys.argv[1]
for who in ("fio", "iolab"):
    r = json.load(open("%s/bss.%s.json" % (t, who)))["jobs"][0]["read"]
    got = {(p["prioclass"], p["prio"]): p["clat_ns"]["N"] for p in r["prios"]}
    assert set(got) == {(2, 7), (2, 1), (3, 2)}, (who, got)
    # half the I/Os are 4k; a quarter of those at 2/1, three quarters at 3/2
    n, hi = r["total_ios"], got[(2, 1)] + got[(3, 2)]
    assert abs(100.0 * hi / n - 50) <= 7, (who, got, n)
    assert abs(100.0 * got[(2, 1)] / hi - 25) <= 8, (who, got, n)
print("cmdprio_bssplit: priorities and shares as fio's")
PY

# group_reporting of jobs at different thread priorities; lat_percentiles
# (prios report total latency); unified_rw_reporting=mixed (one list) and
# both (read, write, then mixed)
cat >"$T/grp.fio" <<EOF
[global]
filename=$T/prio.dat
ioengine=libaio
size=2m
rw=randrw
group_reporting
[a]
prioclass=2
prio=1
[b]
prioclass=3
[c]
new_group
lat_percentiles=1
cmdprio_percentage=30
cmdprio_class=2
[d]
new_group
unified_rw_reporting=mixed
cmdprio_percentage=30
cmdprio_class=2
[e]
new_group
unified_rw_reporting=both
cmdprio_percentage=30
cmdprio_class=2
EOF
for who in fio iolab; do
	if [ $who = fio ]; then cmd="fio"; else cmd="$IOLAB --headless"; fi
	(cd "$T" && timeout 60 $cmd --output-format=json --output="$T/grp.$who.json" "$T/grp.fio" \
		>/dev/null 2>&1) || fail "$who: group job failed"
done
python3 - "$T" <<'PY' || fail "groups, lat_percentiles or mixed: prios differ from fio's"
import json, sys
t = sys.argv[1]
shape = {}
for who in ("fio", "iolab"):
    jobs = json.load(open("%s/grp.%s.json" % (t, who)))["jobs"]
    out = []
    for j in jobs:
        for d in ("read", "write", "mixed"):
            if d in j and "prios" in j[d]:
                out.append((j["jobname"], d, sorted((p["prioclass"], p["prio"], tuple(p)) for p in j[d]["prios"])))
    shape[who] = out
assert shape["fio"] == shape["iolab"], shape
assert len(shape["iolab"]) == 8, shape
print("groups, lat_percentiles, mixed: prios as fio's (%d lists)" % len(shape["fio"]))
PY

# a realtime job thread (psync): every I/O carries its priority into the
# logs, 1 without log_prio, 0x2003 with it, as fio's (realtime needs root)
if [ "$(id -u)" = 0 ]; then
	for lp in 0 1; do
		for who in fio iolab; do
			if [ $who = fio ]; then cmd="fio"; else cmd="$IOLAB --headless"; fi
			(cd "$T" && $cmd --name=x --filename="$T/prio.dat" --size=64k --rw=read \
				--prioclass=1 --prio=3 --log_prio=$lp --write_lat_log="$T/rt$lp.$who" \
				>/dev/null 2>&1) || fail "$who: realtime psync job failed"
		done
		want=1
		[ $lp = 1 ] && want=0x2003
		for who in fio iolab; do
			[ "$(sed 's/.*, //' "$T/rt$lp.${who}_clat.1.log" | sort -u)" = $want ] ||
				fail "$who: log_prio=$lp of a realtime thread: not '$want' in every line"
		done
	done
	echo "realtime thread: logs' last column 1 / 0x2003 as fio's"
else
	echo "note: not root; the realtime thread's log column is not checked"
fi

# refusals name file, line and option; fio refuses the same jobs
printf '[x]\nfilename=%s\nsize=1m\ncmdprio_percentage=20\n' "$T/prio.dat" >"$T/bad1.fio"
run_iolab --parse-only "$T/bad1.fio"
[ $rc != 0 ] && grep -q "bad1.fio:4: cmdprio_percentage: ioengine=psync" "$T/err" ||
	fail "psync cmdprio not refused at file:line:option: $(cat "$T/err")"
fio --parse-only "$T/bad1.fio" >/dev/null 2>&1 && fail "fio accepted cmdprio with psync (test premise)"
# [global]: refused when its own engine does not take it; with its engine
# libaio, a psync job simply goes without it (fio: the same)
printf '[global]\ncmdprio_percentage=20\nsize=1m\n[a]\nioengine=libaio\n' >"$T/g1.fio"
run_iolab --parse-only "$T/g1.fio"
[ $rc != 0 ] && grep -q "g1.fio:2: cmdprio_percentage:" "$T/err" || fail "[global] cmdprio under psync not refused"
fio --parse-only "$T/g1.fio" >/dev/null 2>&1 && fail "fio accepted g1.fio (test premise)"
printf '[global]\nioengine=libaio\ncmdprio_percentage=20\nsize=1m\n[a]\n[b]\nioengine=psync\n' >"$T/g2.fio"
fio --parse-only "$T/g2.fio" >/dev/null 2>&1 || fail "fio refused g2.fio (test premise)"
run_iolab --parse-only "$T/g2.fio"
[ $rc = 0 ] && [ ! -s "$T/err" ] || fail "g2.fio: $(cat "$T/err")"
[ "$(grep -c '^cmdprio_percentage=20' "$T/out")" = 1 ] || fail "g2.fio: job b kept cmdprio_percentage"
run_iolab --headless --name=x --ioengine=psync --filename="$T/prio.dat" --size=1m --cmdprio=2
[ $rc != 0 ] && grep -q "cmdprio: ioengine=psync" "$T/err" || fail "command-line cmdprio under psync not refused"
for bad in "prio=8:prio" "prioclass=4:prioclass" "cmdprio_percentage=101:cmdprio_percentage" \
	"cmdprio=8:cmdprio" "cmdprio_bssplit=4k/50/1:cmdprio_bssplit" \
	"cmdprio_bssplit=4k/60:4k/50:cmdprio_bssplit"; do
	opt=${bad##*:}
	printf '[x]\nioengine=libaio\nsize=1m\n%s\n' "${bad%:*}" >"$T/bad2.fio"
	run_iolab --parse-only "$T/bad2.fio"
	[ $rc != 0 ] && grep -q "bad2.fio:4: $opt:" "$T/err" || fail "'${bad%:*}' not refused at file:line:option: $(cat "$T/err")"
done
printf '[x]\nioengine=libaio\nsize=1m\ncmdprio_percentage=10\ncmdprio_bssplit=4k/10\n' >"$T/bad3.fio"
run_iolab --parse-only "$T/bad3.fio"
[ $rc != 0 ] && grep -q "cmdprio_bssplit: not with cmdprio_percentage" "$T/err" ||
	fail "cmdprio_percentage with cmdprio_bssplit not refused"
for o in prio prioclass cmdprio_percentage cmdprio_class cmdprio cmdprio_bssplit log_prio; do
	"$IOLAB" --cmdhelp="$o" >"$T/help" 2>&1 || fail "--cmdhelp=$o failed"
	grep -qi "prio" "$T/help" || fail "--cmdhelp=$o: no help"
	"$IOLAB" --cmdhelp | grep -q "^  $o " || fail "--cmdhelp does not list $o"
done
"$IOLAB" --cmdhelp | sed -n '/without effect/,$p' | grep -qw prio && fail "prio still listed as without effect"
echo "ok: I/O priorities as fio 3.33"
