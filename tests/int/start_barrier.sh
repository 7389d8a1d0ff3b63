#!/bin/sh
# fio's start barrier, side by side with fio 3.33: the jobs started
# together (a group) run only once all of them are set up, so a job whose
# file takes a while to lay out is running when a short job beside it ends
# the run (exitall), and moves bytes in both tools; before the barrier
# iolab's short job ran and ended during the layout, and the other moved
# nothing. Then: a stop reaches a job waiting at the barrier.
. "$(dirname "$0")/common.inc"
need_fio

head -c 65536 /dev/zero >"$T/a.dat"
cat >"$T/j.fio" <<EOF
[global]
ioengine=psync
bs=4k
rw=read
exitall
[a]
filename=$T/a.dat
size=64k
rate=256k
[b]
filename=$T/b.dat
size=128m
rate=1m
EOF
for who in fio iolab; do
	rm -f "$T/b.dat"
	if [ $who = fio ]; then exe="fio"; else exe="$IOLAB --headless"; fi
	# shellcheck disable=SC2086
	(cd "$T" && timeout 120 $exe --output-format=json --output="$T/$who.json" "$T/j.fio" \
		>/dev/null 2>"$T/$who.err") || { cat "$T/$who.err"; fail "$who failed"; }
	json_get "$T/$who.json" '" ".join("%s:%s" % (j["jobname"], "moved" if j["read"]["io_bytes"] else "none") for j in d["jobs"])' >"$T/$who.res"
done
[ "$(cat "$T/fio.res")" = "a:moved b:moved" ] || fail "fio: $(cat "$T/fio.res") (test is wrong)"
cmp -s "$T/fio.res" "$T/iolab.res" || fail "fio [$(cat "$T/fio.res")], iolab [$(cat "$T/iolab.res")]"
echo "exitall beside a layout: $(cat "$T/iolab.res") (as fio)"

# a stop while one job waits at the barrier for another's long layout
rm -f "$T/b.dat"
cat >"$T/stop.fio" <<EOF
[a]
filename=$T/a.dat
size=64k
rw=read
[b]
filename=$T/b.dat
size=4g
rw=read
EOF
timeout 60 "$IOLAB" --headless --output-format=json --output="$T/stop.json" "$T/stop.fio" \
	>/dev/null 2>"$T/stop.err" &
pid=$!
i=0
until [ -s "$T/b.dat" ] || [ $i -ge 200 ]; do sleep 0.05; i=$((i + 1)); done
kill -INT $pid
wait $pid
rc=$?
rm -f "$T/b.dat"
[ $rc -ne 124 ] || fail "a stop did not end the run (a job at the barrier?)"
json_get "$T/stop.json" '[j["jobname"] for j in d["jobs"]]' | grep -q "'a'" ||
	fail "no results after the stop: $(cat "$T/stop.err")"
echo "ok: a group starts together once set up; a stop reaches the barrier"
