#!/bin/sh
# Issue 13: what can be known before I/O is refused when the job loads.
# verify=crc32c verify_interval=16 passed --parse-only and failed at start
# with err=22; now --parse-only, --headless and the command line refuse it
# at once, naming the file, the line and the option, and create nothing.
. "$(dirname "$0")/common.inc"

cat >"$T/vi.fio" <<'JOB'
[j]
ioengine=null
size=1m
rw=write
verify=crc32c
verify_interval=16
JOB

run_iolab --parse-only "$T/vi.fio"
[ "$rc" = 1 ] || { cat "$T/err"; fail "--parse-only: exit $rc, expected 1"; }
grep -q "vi.fio:[0-9]*: .*verify_interval: 16 is smaller than the 72-byte verify header" "$T/err" ||
	fail "--parse-only: no clear refusal: $(cat "$T/err")"

run_iolab --headless "$T/vi.fio"
[ "$rc" = 1 ] || { cat "$T/err"; fail "--headless: exit $rc, expected 1"; }
grep -q "verify_interval: 16 is smaller" "$T/err" || fail "--headless: $(cat "$T/err")"
grep -q "err=" "$T/out" && fail "--headless started the job: $(cat "$T/out")"

run_iolab --headless --name=c --ioengine=null --size=1m --rw=write --verify=crc32c \
	--verify_interval=16
[ "$rc" = 1 ] || fail "command line: exit $rc, expected 1"
grep -q "verify_interval: 16 is smaller" "$T/err" || fail "command line: $(cat "$T/err")"
echo "refused at load: --parse-only, --headless, command line"
