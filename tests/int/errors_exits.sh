#!/bin/sh
# ignore_error and exit_what, side by side with fio 3.33.
#  - exit_what: with exitall, the end of a short job stops the rest of its
#    group (group), every running job (stonewall: later groups still run)
#    or everything (all); judged by the bytes each job moved.
#  - ignore_error: a real ENOSPC (an 8 MiB tmpfs, root only) ends the job
#    under continue_on_error (fio goes on after EIO and EILSEQ only) and is
#    gone past when a write list names it, unless a continue_on_error set
#    after it leaves writes out (fio's order); error, bytes, I/Os issued,
#    total_err/first_error (present only for such jobs, counting only
#    errors of a type continue_on_error covers) and exit status
#    as fio's; error_dump says each error gone past, as fio's.
. "$(dirname "$0")/common.inc"
need_fio

result() { # FILE -> "job:group:bytes:error ..." with bytes as full or cut (stopped
	   # before its first I/O or after some, which is timing)
	python3 - "$1" <<'PY'
import json, sys
t = open(sys.argv[1]).read()
d = json.loads(t[t.index("{"):])
size = {"a": 65536, "b": 1 << 20, "c": 2 << 20, "d": 256 << 10}
out = []
for j in d["jobs"]:
    b = j["read"]["io_bytes"]
    k = "full" if b == size[j["jobname"]] else "cut"
    out.append("%s:%d:%s:%d" % (j["jobname"], j["groupid"], k, j["error"]))
print(" ".join(out))
PY
}

# The files exist before either tool runs, so that no layout is timed;
# both tools start a group's jobs together once all are set up (the start
# barrier, tests/int/start_barrier.sh), and exit_what=stonewall stops the
# jobs let through it, in both.
for f in a:65536 b:1048576 c:2097152 d:262144; do
	head -c "${f#*:}" /dev/zero >"$T/${f%%:*}.dat"
done
for ew in group stonewall all; do
	cat >"$T/ew.fio" <<JOB
[global]
ioengine=psync
bs=4k
rw=read
exitall
exit_what=$ew
[a]
filename=$T/a.dat
size=64k
[b]
new_group
filename=$T/b.dat
size=1m
rate=512k
[c]
filename=$T/c.dat
size=2m
rate=512k
[d]
stonewall
filename=$T/d.dat
size=256k
JOB
	(cd "$T" && fio --output-format=json --output="$T/ew.fio.json" "$T/ew.fio" >/dev/null 2>&1)
	frc=$?
	(cd "$T" && "$IOLAB" --headless --output-format=json --output="$T/ew.iolab.json" "$T/ew.fio" \
		>/dev/null 2>"$T/ew.err")
	irc=$?
	[ $frc = $irc ] || fail "exit_what=$ew: exit status $irc, fio's $frc"
	a=$(result "$T/ew.fio.json"); b=$(result "$T/ew.iolab.json")
	[ "$a" = "$b" ] || fail "exit_what=$ew: fio [$a], iolab [$b]"
	echo "exit_what=$ew: $b (as fio)"
done
# fio's examples/exitwhat.fio (as tests/jobs/exitwhat.fio, on a small file):
# the same entries, groups and bytes
for who in fio iolab; do
	if [ $who = fio ]; then exe="fio"; else exe="$IOLAB --headless"; fi
	# shellcheck disable=SC2086
	(cd "$T" && $exe --output-format=json --output="$T/ex.$who.json" "$ROOT/tests/jobs/exitwhat.fio" \
		>/dev/null 2>"$T/ex.$who.err") || { cat "$T/ex.$who.err"; fail "exitwhat.fio: $who failed"; }
	json_get "$T/ex.$who.json" '[(j["jobname"], j["groupid"], j["read"]["io_bytes"] + j["write"]["io_bytes"], j["error"]) for j in d["jobs"]]' >"$T/ex.$who"
done
cmp -s "$T/ex.fio" "$T/ex.iolab" || fail "exitwhat.fio: fio $(cat "$T/ex.fio"), iolab $(cat "$T/ex.iolab")"
echo "exitwhat.fio: $(cat "$T/ex.iolab") (as fio)"
"$IOLAB" --cmdhelp=exit_what | grep -q stonewall || fail "--cmdhelp exit_what"
"$IOLAB" --cmdhelp=ignore_error >/dev/null || fail "--cmdhelp ignore_error"
"$IOLAB" --parse-only --name=x --ignore_error=EIO:ENOSPC,,EILSEQ >"$T/out" 2>&1 ||
	fail "ignore_error: $(cat "$T/out")"
grep -q "ignore_error=EIO:ENOSPC,,EILSEQ" "$T/out" || fail "ignore_error dump: $(cat "$T/out")"
"$IOLAB" --parse-only --name=x --ignore_error=EBOGUS >"$T/out" 2>&1 && fail "ignore_error=EBOGUS accepted"
grep -q "ignore_error" "$T/out" || fail "the refusal does not name ignore_error: $(cat "$T/out")"

[ "$(id -u)" = 0 ] || { echo "ok: exit_what as fio (ignore_error needs root for a tmpfs: skipped)"; exit 0; }
MNT=$(mktemp -d "$T/mnt.XXXXXX")
mount -t tmpfs -o size=8m iolab-ignore "$MNT" 2>"$T/mount.err" ||
	{ echo "ok: exit_what as fio (no tmpfs: $(cat "$T/mount.err"))"; exit 0; }
trap 'umount "$MNT" 2>/dev/null; rmdir "$MNT" 2>/dev/null' EXIT
n=0
for opts in "--continue_on_error=write" "--ignore_error=,ENOSPC" \
	    "--continue_on_error=all --ignore_error=,EIO" "--ignore_error=,EIO:28" \
	    "--rw=randwrite --ignore_error=,ENOSPC --continue_on_error=write" \
	    "--ignore_error=,ENOSPC --continue_on_error=none" \
	    "--ignore_error=,ENOSPC --continue_on_error=read" "--continue_on_error=read"; do
	n=$((n + 1))
	for who in fio iolab; do
		if [ $who = fio ]; then exe="fio"; else exe="$IOLAB --headless"; fi
		rm -f "$MNT"/*
		# shellcheck disable=SC2086
		(cd "$T" && $exe --name=x --filename="$MNT/f" --size=16m --bs=128k --rw=write \
			$opts --output-format=json --output="$T/ie$n.$who.json" >/dev/null 2>&1)
		echo $? >"$T/ie$n.$who.rc"
	done
	python3 - "$T/ie$n.fio.json" "$T/ie$n.iolab.json" "$(cat "$T/ie$n.fio.rc")" \
		"$(cat "$T/ie$n.iolab.rc")" "$opts" <<'PY' || fail "$opts: differs from fio"
import json, sys
def load(p):
    t = open(p).read()
    j = json.loads(t[t.index("{"):])["jobs"][0]
    return (j["error"], j["write"]["io_bytes"], j["write"]["total_ios"], j.get("total_err"),
            j.get("first_error"))
f, i = load(sys.argv[1]), load(sys.argv[2])
assert f == i and sys.argv[3] == sys.argv[4], ("fio", f, sys.argv[3], "iolab", i, sys.argv[4])
print("%s: error %d, %d bytes, %d I/Os, total_err %s, exit %s (as fio)" % (sys.argv[5], i[0], i[1], i[2], i[3], sys.argv[4]))
PY
done
# error_dump: each error gone past is said on stderr, as fio says it; not without
for ed in 0 1; do
	for who in fio iolab; do
		if [ $who = fio ]; then exe="fio"; else exe="$IOLAB --headless"; fi
		rm -f "$MNT"/*
		# shellcheck disable=SC2086
		(cd "$T" && $exe --name=x --filename="$MNT/f" --size=16m --bs=128k --rw=write \
			--ignore_error=,ENOSPC --error_dump=$ed --output-format=json \
			--output="$T/ed.$who.json" >/dev/null 2>"$T/ed.$who.err")
		grep -c "No space left on device" "$T/ed.$who.err" >"$T/ed.$who.n"
	done
	[ "$(cat "$T/ed.fio.n")" = "$(cat "$T/ed.iolab.n")" ] ||
		fail "error_dump=$ed: fio said $(cat "$T/ed.fio.n") errors, iolab $(cat "$T/ed.iolab.n")"
	echo "error_dump=$ed: $(cat "$T/ed.iolab.n") errors said (as fio)"
done
echo "ok: ignore_error and exit_what as fio"
