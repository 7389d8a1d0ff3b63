#!/bin/sh
# The default job built into the binary is profiles/default.fio, and it
# targets a scratch file in $TMPDIR, never a device.
. "$(dirname "$0")/common.inc"

run_iolab --parse-only
[ $rc -eq 0 ] || { cat "$T/err"; fail "default job: exit $rc"; }
grep -v '^;' "$T/out" >"$T/builtin"
run_iolab --parse-only "$ROOT/profiles/default.fio"
[ $rc -eq 0 ] || fail "profiles/default.fio: exit $rc"
grep -v '^;' "$T/out" >"$T/file"
cmp -s "$T/builtin" "$T/file" || { diff "$T/builtin" "$T/file"; fail "built-in default job differs from profiles/default.fio"; }
grep -q "^filename=$T/iolab-default.dat\$" "$T/builtin" || fail "default job does not use \$TMPDIR: $(grep filename "$T/builtin")"
grep -q '^rw=randrw$' "$T/builtin" || fail "default job is not randrw"

# the text itself: comments included, byte for byte
python3 - "$ROOT/tui/main.c" "$ROOT/profiles/default.fio" <<'PY' || fail "main.c's default_job_text and profiles/default.fio differ"
import re, sys, ast
src = open(sys.argv[1]).read()
m = re.search(r'static const char default_job_text\[\] =\n(.*?);\n', src, re.S)
text = "".join(ast.literal_eval(s) for s in re.findall(r'"(?:[^"\\]|\\.)*"', m.group(1)))
assert text == open(sys.argv[2]).read()
PY

# with TMPDIR unset it falls back to /tmp
out=$(env -u TMPDIR timeout 30 "$IOLAB" --parse-only 2>&1) || fail "TMPDIR unset: $out"
echo "$out" | grep -q '^filename=/tmp/iolab-default.dat$' || fail "TMPDIR unset: $(echo "$out" | grep filename)"
echo "ok: default job"
