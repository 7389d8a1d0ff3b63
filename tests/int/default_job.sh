#!/bin/sh
# The default job built into the binary is profiles/default.fio, and it
# targets a scratch file in $TMPDIR, never a device.
. "$(dirname "$0")/common.inc"

run_iolab --parse-only
[ $rc -eq 0 ] || { cat "$T/err"; fail "default job: exit $rc"; }
# the built-in job runs on a new scratch file: the template the run fills
# in stands for the fixed name profiles/default.fio has
grep -v '^;' "$T/out" | sed 's/iolab-default\.XXXXXX\.dat$/iolab-default.dat/' >"$T/builtin"
run_iolab --parse-only "$ROOT/profiles/default.fio"
[ $rc -eq 0 ] || fail "profiles/default.fio: exit $rc"
grep -v '^;' "$T/out" >"$T/file"
cmp -s "$T/builtin" "$T/file" || { diff "$T/builtin" "$T/file"; fail "built-in default job differs from profiles/default.fio"; }
grep -q "^filename=$T/iolab-default.dat\$" "$T/builtin" || fail "default job does not use \$TMPDIR: $(grep filename "$T/builtin")"
grep -q '^rw=randrw$' "$T/builtin" || fail "default job is not randrw"

# the text itself: comments included, byte for byte
python3 - "$ROOT/cli/jobs.c" "$ROOT/profiles/default.fio" <<'PY' || fail "cli/jobs.c's default_job_text and profiles/default.fio differ"
import re, sys, ast
src = open(sys.argv[1]).read()
m = re.search(r'static const char default_job_text\[\] =\n(.*?);\n', src, re.S)
text = "".join(ast.literal_eval(s) for s in re.findall(r'"(?:[^"\\]|\\.)*"', m.group(1)))
assert text == open(sys.argv[2]).read()
PY

# command-line options without --name override the default job's own
run_iolab --parse-only --runtime=7 --bs=16k
[ $rc -eq 0 ] || fail "default job with overrides: exit $rc: $(cat "$T/err")"
grep -q '^runtime=7' "$T/out" || fail "--runtime=7 did not override: $(grep runtime "$T/out")"
grep -q '^bs=16k$' "$T/out" || fail "--bs=16k did not override: $(grep bs= "$T/out")"

# with TMPDIR unset it falls back to /tmp
out=$(env -u TMPDIR timeout 30 "$IOLAB" --parse-only 2>&1) || fail "TMPDIR unset: $out"
echo "$out" | grep -q '^filename=/tmp/iolab-default.XXXXXX.dat$' || fail "TMPDIR unset: $(echo "$out" | grep filename)"
echo "ok: default job"
