#!/bin/sh
# ioengine=exec: the job is a program run for the job's runtime. Refused
# without --allow-exec; side by side with fio 3.33 (fio's exec.fio "sleep"
# job and a std_redirect one: no bytes, no errors, the same redirected
# output with %r and %n expanded); the program is ended at the runtime and
# on a stop (SIGTERM, then SIGKILL after grace_time); std_redirect writes
# through lib/outfile (a planted symlink is refused).
. "$(dirname "$0")/common.inc"
need_fio

cat >"$T/ran.sh" <<EOF
#!/bin/sh
touch "$T/ran"
EOF
chmod +x "$T/ran.sh"
printf '[x]\nioengine=exec\nruntime=1\nprogram=%s\n' "$T/ran.sh" >"$T/guard.fio"
run_iolab --headless "$T/guard.fio"
[ $rc -eq 1 ] || { cat "$T/err"; fail "without --allow-exec: exit $rc, want 1"; }
grep -q "guard.fio:1: \[x\]: ioengine=exec: not running program.*--allow-exec" "$T/err" ||
	{ cat "$T/err"; fail "the refusal does not name the line and --allow-exec"; }
[ ! -e "$T/ran" ] || fail "without --allow-exec: the program ran"
echo "ok: refused: $(head -n 1 "$T/err")"

# side by side
cat >"$T/sbs.fio" <<'EOF'
[global]
time_based
runtime=2

[sleep]
ioengine=exec
program=/bin/sleep
arguments=%r
grace_time=0
std_redirect=0

[say]
ioengine=exec
program=/bin/echo
arguments=hello %n for %r s
EOF
mkdir "$T/fio" "$T/iolab"
(cd "$T/fio" && timeout 60 fio --output-format=json --output="$T/sbs.fio.json" "$T/sbs.fio" \
	>/dev/null 2>"$T/fio.err") || { cat "$T/fio.err"; fail "fio failed"; }
(cd "$T/iolab" && timeout 60 "$IOLAB" --headless --allow-exec --output-format=json \
	--output="$T/sbs.iolab.json" "$T/sbs.fio" >/dev/null 2>"$T/iolab.err") ||
	{ cat "$T/iolab.err"; fail "iolab failed"; }
python3 - "$T/sbs.fio.json" "$T/sbs.iolab.json" <<'PY' || fail "differs from fio"
import json, sys
def load(p):
    t = open(p).read()
    return json.loads(t[t.index("{"):])
f, i = load(sys.argv[1]), load(sys.argv[2])
fj = {j["jobname"]: j for j in f["jobs"]}
ij = {j["jobname"]: j for j in i["jobs"]}
assert sorted(fj) == sorted(ij), (sorted(fj), sorted(ij))
for n in fj:
    for t in (fj[n], ij[n]):
        assert t["error"] == 0, (n, t["error"])
        b = sum(t[d]["io_bytes"] for d in ("read", "write", "trim"))
        assert b == 0, (n, b)
        assert t["read"]["total_ios"] > 0, (n, "no units")
    print("%s: fio %d units, iolab %d units, 0 bytes in both" %
          (n, fj[n]["read"]["total_ios"], ij[n]["read"]["total_ios"]))
PY
[ "$(cat "$T/iolab/say.stdout")" = "hello say for 2 s" ] ||
	fail "say.stdout: '$(cat "$T/iolab/say.stdout")'"
cmp -s "$T/fio/say.stdout" "$T/iolab/say.stdout" || fail "say.stdout differs from fio's"
[ -e "$T/iolab/say.stderr" ] || fail "std_redirect made no say.stderr"
[ ! -e "$T/iolab/sleep.stdout" ] || fail "std_redirect=0 made sleep.stdout"
echo "ok: side by side, say.stdout: $(cat "$T/iolab/say.stdout")"

live_in_group() { ps -eo pgid=,stat=,pid= | awk -v g="$1" '$1 == g && $2 !~ /^Z/ { print $3 }'; }

# at the runtime the program gets SIGTERM; one ignoring it, SIGKILL after
# grace_time
cat >"$T/stubborn.sh" <<EOF
#!/bin/sh
echo \$\$ >"$T/\$1.pid"
[ "\$1" = deaf ] && trap '' TERM
sleep 600 &
wait
EOF
chmod +x "$T/stubborn.sh"
printf '[polite]\nioengine=exec\nruntime=1\nprogram=%s\narguments=polite\ngrace_time=0\nstd_redirect=0\n[deaf]\nioengine=exec\nruntime=1\nprogram=%s\narguments=deaf\ngrace_time=1\nstd_redirect=0\n' \
	"$T/stubborn.sh" "$T/stubborn.sh" >"$T/end.fio"
run_iolab --headless --allow-exec "$T/end.fio"
[ $rc -eq 0 ] || { cat "$T/err"; fail "end.fio: exit $rc"; }
for n in polite deaf; do
	p=$(cat "$T/$n.pid") || fail "$n: the program did not start"
	! kill -0 "$p" 2>/dev/null || { kill -9 "$p"; fail "$n: program $p outlived its job"; }
	# SIGKILL lands asynchronously: give the group a moment (zombies count as gone)
	k=0
	while [ -n "$(live_in_group "$p")" ] && [ $k -lt 50 ]; do sleep 0.1; k=$((k + 1)); done
	[ -z "$(live_in_group "$p")" ] || { pkill -9 -g "$p"; fail "$n: its process group outlived the job"; }
done
echo "ok: the programs and their groups end with the runtime (SIGTERM, SIGKILL for the deaf one)"

# a stop (SIGINT) ends a long run and its program
rm -f "$T/polite.pid"
printf '[long]\nioengine=exec\nruntime=600\nprogram=%s\narguments=polite\nstd_redirect=0\n' \
	"$T/stubborn.sh" >"$T/long.fio"
timeout 60 "$IOLAB" --headless --allow-exec "$T/long.fio" >"$T/out" 2>"$T/err" &
bg=$!
n=0
while [ ! -s "$T/polite.pid" ] && [ $n -lt 300 ]; do sleep 0.1; n=$((n + 1)); done
[ -s "$T/polite.pid" ] || fail "long: the program did not start"
kill -INT $bg
wait $bg
rc=$?
[ $rc -ne 124 ] || fail "long: SIGINT did not stop the run"
p=$(cat "$T/polite.pid")
! kill -0 "$p" 2>/dev/null || { kill -9 "$p"; fail "long: program $p outlived the stop"; }
echo "ok: SIGINT stops the run (exit $rc) and the program"

# a program that is not there: the job fails, naming it
printf '[gone]\nioengine=exec\nruntime=1\nprogram=%s/nowhere\n' "$T" >"$T/gone.fio"
(cd "$T/iolab" && timeout 60 "$IOLAB" --headless --allow-exec "$T/gone.fio" >"$T/out" 2>"$T/err")
[ $? -ne 0 ] || fail "a missing program: exit 0"
grep -q "exec: program '$T/nowhere': No such file" "$T/err" "$T/out" ||
	{ cat "$T/err" "$T/out"; fail "a missing program: message"; }
echo "ok: missing program: $(grep -h nowhere "$T/err" "$T/out" | head -n 1)"

# std_redirect in a world-writable directory: a planted symlink is refused
mkdir "$T/shared" && chmod 1777 "$T/shared"
echo keep >"$T/victim"
ln -s "$T/victim" "$T/shared/say.stdout"
(cd "$T/shared" && timeout 60 "$IOLAB" --headless --allow-exec "$T/sbs.fio" >"$T/out" 2>"$T/err")
[ $? -ne 0 ] || fail "a planted say.stdout symlink: exit 0"
[ "$(cat "$T/victim")" = keep ] || fail "the symlink's target was written"
grep -q "std_redirect.*say.stdout" "$T/err" "$T/out" || { cat "$T/err" "$T/out"; fail "symlink: message"; }
echo "ok: planted symlink refused: $(grep -h say.stdout "$T/err" "$T/out" | head -n 1)"
