#!/bin/sh
# Files iolab reads for a job are regular files: a FIFO as read_iolog or as
# the verify_state_load file used to block the worker in open() until a
# writer came, past SIGTERM (issue 12: every wait obeys a stop); now each
# is refused at once with the reason, exit 1. A job file may be a FIFO
# (iolab <(...)): read as it comes, but one nobody writes reads as empty at
# once instead of blocking (the TUI loads files on its only thread).
. "$(dirname "$0")/common.inc"

mkfifo "$T/log.fifo" "$T/v-verify.state" || skip "cannot make a FIFO here"
head -c 65536 /dev/zero >"$T/data"

check() { # WHAT PATTERN
	[ $rc -eq 1 ] || { cat "$T/err"; fail "$1: exit $rc, want 1 (124: it hung)"; }
	grep -q "$2" "$T/err" || { cat "$T/err"; fail "$1: no reason"; }
}

timeout 10 "$IOLAB" --headless --name=rp --read_iolog="$T/log.fifo" >"$T/out" 2>"$T/err"
rc=$?
check "read_iolog=FIFO" "read_iolog: $T/log.fifo: is a FIFO"
echo "ok: read_iolog on a FIFO is refused at once"

(cd "$T" && timeout 10 "$IOLAB" --headless --name=v --verify=crc32c --rw=read --bs=4k \
	--filename="$T/data" --size=64k --verify_state_load=1) >"$T/out" 2>"$T/err"
rc=$?
check "verify_state_load on a FIFO" "verify_state_load: v-verify.state: is a FIFO"
echo "ok: verify_state_load on a FIFO is refused at once"

timeout 10 "$IOLAB" --headless --name=rp --read_iolog=/dev/zero >"$T/out" 2>"$T/err"
rc=$?
check "read_iolog=/dev/zero" "is a character device"
echo "ok: read_iolog on a device is refused"

mkfifo "$T/job.fifo"
timeout 10 "$IOLAB" --parse-only "$T/job.fifo" >"$T/out" 2>"$T/err"
rc=$?
check "a job file FIFO nobody writes" "no jobs defined"
printf '[a]\nioengine=null\nsize=4k\n' >"$T/job.fio"
cat "$T/job.fio" >"$T/job.fifo" &
writer=$!
timeout 10 "$IOLAB" --parse-only "$T/job.fifo" >"$T/out" 2>"$T/err"
rc=$?
kill $writer 2>/dev/null
wait $writer 2>/dev/null
# the writer may not have opened the FIFO yet: then it read as empty
if [ $rc -eq 0 ]; then
	grep -q '^\[a\]' "$T/out" || fail "a job file FIFO with a writer: no job read"
else
	grep -q "no jobs defined" "$T/err" || { cat "$T/err"; fail "job FIFO with a writer: exit $rc"; }
fi
echo "ok: a job file FIFO never blocks the open"
