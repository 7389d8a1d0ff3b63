#!/bin/sh
# --output=FILE: results go to the file, complete, even when stdout is a
# pipe whose reader has gone away; nothing of them reaches stdout.
. "$(dirname "$0")/common.inc"

cat >"$T/job.fio" <<'JOB'
[w]
ioengine=null
rw=write
bs=4k
size=4m
JOB

run_iolab --headless --output-format=json --output="$T/res.json" "$T/job.fio"
[ $rc -eq 0 ] || { cat "$T/err"; fail "exit status $rc"; }
[ -s "$T/out" ] && fail "stdout got output: $(head -c 200 "$T/out")"
[ "$(json_get "$T/res.json" 'd["jobs"][0]["write"]["io_bytes"]')" = 4194304 ] ||
	fail "file lacks write io_bytes 4194304"
ls "$T" | grep -q '\.tmp\.' && fail "a temporary file was left behind"

# "--output FILE" (separate argument), normal format: start-up lines and
# summary both in the file
run_iolab --headless --output "$T/res.txt" "$T/job.fio"
[ $rc -eq 0 ] || fail "separate-argument form: exit $rc"
grep -q '^w: (g=0): rw=write' "$T/res.txt" || fail "start-up line not in the file"
grep -q '^Run status group 0' "$T/res.txt" || fail "summary not in the file"
[ -s "$T/out" ] && fail "stdout got output with --output"

# stdout is a pipe closed at once: the file is still complete
( timeout 60 "$IOLAB" --headless --output-format=json --output="$T/pipe.json" "$T/job.fio" 2>"$T/err2" ; echo $? >"$T/rc2" ) | true
python3 -m json.tool "$T/pipe.json" >/dev/null || fail "file incomplete when stdout was a closed pipe"
[ "$(cat "$T/rc2")" = 0 ] || fail "closed stdout pipe: exit $(cat "$T/rc2")"

# without --output, results cut by a reader that left are a failure
# (exit 1, said on stderr), not a hang nor a death by SIGPIPE
( timeout 60 "$IOLAB" --headless --output-format=json "$T/job.fio" 2>"$T/err3"; echo $? >"$T/rc3" ) | head -c 1 >/dev/null
case $(cat "$T/rc3") in
0|1) ;;
*) fail "stdout closed early: exit $(cat "$T/rc3"), want 1 (or 0 when all fit the pipe)" ;;
esac

# an unwritable output path is an error, named
run_iolab --headless --output="$T/no/such/dir/x.json" "$T/job.fio"
[ $rc -eq 1 ] || fail "unwritable --output: exit $rc, want 1"
grep -q 'no/such/dir' "$T/err" || fail "unwritable --output: path not named"
echo "ok: --output"
