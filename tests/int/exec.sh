#!/bin/sh
# exec_prerun/exec_postrun run shell commands from a job file only with
# --allow-exec on the command line; without it the job is refused with a
# message saying so, and the commands do not run.
. "$(dirname "$0")/common.inc"

cat >"$T/exec.fio" <<JOB
[ex]
ioengine=null
rw=read
bs=4k
size=1m
exec_prerun=touch $T/pre.ran
exec_postrun=touch $T/post.ran
JOB

run_iolab --headless "$T/exec.fio"
[ $rc -eq 1 ] || { cat "$T/err"; fail "without --allow-exec: exit $rc, want 1"; }
[ ! -e "$T/pre.ran" ] || fail "without --allow-exec: exec_prerun ran"
[ ! -e "$T/post.ran" ] || fail "without --allow-exec: exec_postrun ran"
grep -q "exec_prerun.*--allow-exec" "$T/err" || { cat "$T/err"; fail "the refusal does not name --allow-exec"; }
echo "ok: refused: $(head -n 1 "$T/err")"

# --parse-only must not run them either
run_iolab --parse-only --allow-exec "$T/exec.fio"
[ ! -e "$T/pre.ran" ] || fail "--parse-only ran exec_prerun"

run_iolab --headless --allow-exec --output-format=json --output="$T/ok.json" "$T/exec.fio"
[ $rc -eq 0 ] || { cat "$T/err"; fail "with --allow-exec: exit $rc, want 0"; }
[ -e "$T/pre.ran" ] || fail "with --allow-exec: exec_prerun did not run"
[ -e "$T/post.ran" ] || fail "with --allow-exec: exec_postrun did not run"
[ "$(json_get "$T/ok.json" 'd["jobs"][0]["read"]["io_bytes"]')" = $((1 << 20)) ] ||
	fail "with --allow-exec: the job did not run"
echo "ok: --allow-exec runs both"

# a failing prerun fails the job without running it
rm -f "$T/pre.ran" "$T/post.ran"
sed -i "s|^exec_prerun=.*|exec_prerun=false|" "$T/exec.fio"
run_iolab --headless --allow-exec --output-format=json --output="$T/bad.json" "$T/exec.fio"
[ $rc -eq 1 ] || { cat "$T/err"; fail "failing exec_prerun: exit $rc, want 1"; }
grep -q "exec_prerun: 'false' exited with status 1" "$T/err" || { cat "$T/err"; fail "failing exec_prerun: message"; }
[ ! -e "$T/post.ran" ] || fail "failing exec_prerun: exec_postrun ran"
echo "ok: failing exec_prerun: $(head -n 1 "$T/err")"
