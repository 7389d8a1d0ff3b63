#!/bin/sh
# Files iolab reads for a job are regular files: a FIFO as read_iolog or as
# the verify_state_load file used to block the worker in open() until a
# writer came, past SIGTERM (issue 12: every wait obeys a stop); now each
# is refused at once with the reason, exit 1.
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
