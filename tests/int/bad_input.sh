#!/bin/sh
# Bad job input is refused with exit status 1 and a message naming where
# (file:line) and what (the option, the reason); nothing runs.
. "$(dirname "$0")/common.inc"

# expect_bad NAME WANT... : the job file $T/NAME.fio must be refused and
# stderr must contain every WANT (fixed strings)
expect_bad() {
	name=$1; shift
	run_iolab --headless "$T/$name.fio"
	[ $rc -eq 1 ] || { cat "$T/err"; fail "$name: exit status $rc, want 1"; }
	for want in "$@"; do
		grep -qF -- "$want" "$T/err" || fail "$name: stderr lacks '$want': $(cat "$T/err")"
	done
	grep -q '^Run status' "$T/out" && fail "$name: a job ran"
	echo "ok: $name: $(head -n 1 "$T/err")"
}

printf '[global]\nioengine=null\n\n[a]\nrw=read\nbsize=4k\nsize=1m\n' >"$T/unknown.fio"
expect_bad unknown "unknown.fio:6" "bsize"

printf '[a]\nioengine=null\nrw=read\nsize=12q\n' >"$T/badsize.fio"
expect_bad badsize "badsize.fio:4" "size" "12q"

printf '[a]\nioengine=null\nrw=randwrite\nsize=1m\nbssplit=4k/50:8k/40\n' >"$T/bssplit.fio"
expect_bad bssplit "bssplit.fio" "bssplit" "100"

printf '[global]\nioengine=null\ninclude nosuch-include.fio\n\n[a]\nrw=read\nsize=1m\n' >"$T/include.fio"
expect_bad include "include.fio:3" "nosuch-include.fio"

: >"$T/empty.fio"
expect_bad empty "empty.fio"

head -c 4096 /dev/urandom >"$T/garbage.fio"
printf '\000\001\002\377' >>"$T/garbage.fio"
expect_bad garbage "garbage.fio"

printf '[a]\nioengine=null\nrw=sideways\nsize=1m\n' >"$T/badenum.fio"
expect_bad badenum "badenum.fio:3" "rw" "sideways"

run_iolab --headless "$T/does-not-exist.fio"
[ $rc -eq 1 ] || fail "missing file: exit $rc"
grep -qF "does-not-exist.fio" "$T/err" || fail "missing file: not named"

run_iolab --headless --name=a --ioengine=null --bsz=4k --size=1m
[ $rc -eq 1 ] || fail "bad command-line option: exit $rc"
grep -qF "bsz" "$T/err" || fail "bad command-line option: not named: $(cat "$T/err")"
grep -qi "command line" "$T/err" || fail "bad command-line option: source not named: $(cat "$T/err")"

run_iolab --headless --status-interval=10ms "$T/unknown.fio"
[ $rc -eq 1 ] || fail "--status-interval=10ms: exit $rc"
grep -q "100ms" "$T/err" || fail "--status-interval=10ms: no minimum named"

run_iolab -x
[ $rc -eq 1 ] || fail "unknown flag -x: exit $rc"
echo "ok: bad input refused"
