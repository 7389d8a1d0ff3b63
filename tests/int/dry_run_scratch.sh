#!/bin/sh
# --dry-run and --parse-only of the default job and of a profile show the
# plan the real run follows: a new scratch file "$TMPDIR/iolab-NAME.XXXXXX.dat"
# (unique name, removed at the end), never the fixed $TMPDIR/iolab-NAME.dat,
# which they neither stat nor describe (a file planted there changes
# nothing), and the real run's file has that form and is gone after; a
# read_iolog replay's plan names the directions the log gives it.
. "$(dirname "$0")/common.inc"

# a big file at the fixed name: a dry run that looked would say "file of 1GiB"
truncate -s 1g "$T/iolab-default.dat" "$T/iolab-randread-4k-qd1.dat" || fail "truncate"

check_plan() { # WHAT NAME
	[ $rc -eq 0 ] || { cat "$T/out" "$T/err"; fail "$1: exit $rc"; }
	grep -q "$T/iolab-$2\\.XXXXXX\\.dat: a new scratch file .*removed at the end" "$T/out" ||
		{ cat "$T/out"; fail "$1: does not describe a new scratch file"; }
	grep -q "iolab-$2\\.dat" "$T/out" && { cat "$T/out"; fail "$1: names the fixed scratch name"; }
	grep -q "1GiB\\|1g" "$T/out" && { cat "$T/out"; fail "$1: describes the file at the fixed name"; }
	return 0
}

run_iolab --dry-run --size=1m
check_plan "--dry-run" default
grep -q "1MiB laid out (written)" "$T/out" || { cat "$T/out"; fail "--dry-run: no layout"; }
echo "ok: --dry-run of the default job"

run_iolab --dry-run --profile randread-4k-qd1 --size=1m
check_plan "--dry-run --profile" randread-4k-qd1
echo "ok: --dry-run of a profile"

run_iolab --parse-only
[ $rc -eq 0 ] || fail "--parse-only: exit $rc"
grep -q "^filename=$T/iolab-default\\.XXXXXX\\.dat\$" "$T/out" || { cat "$T/out"; fail "--parse-only: filename"; }
grep -q '^; filename: a new scratch file .*removed at the end' "$T/out" || { cat "$T/out"; fail "--parse-only: no note"; }
echo "ok: --parse-only"

# the real run: a file of that form, not the fixed name, removed after
run_iolab --headless --runtime=0.3 --size=1m --output-format=json
[ $rc -eq 0 ] || { cat "$T/err"; fail "real run: exit $rc"; }
real=$(json_get "$T/out" 'd["jobs"][0]["job options"].get("filename") or d["global options"]["filename"]')
case $real in
"$T"/iolab-default.??????.dat) ;;
*) fail "real run used '$real', not the plan's $T/iolab-default.XXXXXX.dat" ;;
esac
[ -e "$real" ] && fail "real run left its scratch file $real"
[ "$(stat -c %s "$T/iolab-default.dat")" = 1073741824 ] || fail "the file at the fixed name changed"
echo "ok: the real run follows the plan"

# a replayed log decides the directions: the plan says so, whatever rw= says
printf 'fio version 2 iolog\n%s add\n%s open\n%s write 0 4096\n%s close\n' \
	"$T/w.dat" "$T/w.dat" "$T/w.dat" "$T/w.dat" >"$T/w.log"
run_iolab --dry-run --name=rp --rw=read --read_iolog="$T/w.log"
[ $rc -eq 0 ] || { cat "$T/out" "$T/err"; fail "--dry-run of a read_iolog: exit $rc"; }
grep -q 'replays .*w.log: 1 I/Os over 1 file, rw=write as the log says' "$T/out" ||
	{ cat "$T/out"; fail "--dry-run of a read_iolog does not say it writes"; }
echo "ok: a replay's plan names the log's directions"
