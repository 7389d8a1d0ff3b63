#!/bin/sh
# --cmdhelp, --cmdhelp=bs, --version, --help.
. "$(dirname "$0")/common.inc"

run_iolab --cmdhelp
[ $rc -eq 0 ] || fail "--cmdhelp: exit $rc"
for o in bs rw ioengine iodepth rate_iops runtime numjobs; do
	grep -qw "$o" "$T/out" || fail "--cmdhelp does not list $o"
done
[ "$(wc -l <"$T/out")" -gt 40 ] || fail "--cmdhelp: suspiciously short"

run_iolab --cmdhelp=bs
[ $rc -eq 0 ] || fail "--cmdhelp=bs: exit $rc"
grep -qw bs "$T/out" || fail "--cmdhelp=bs does not name bs"
[ "$(wc -l <"$T/out")" -lt 40 ] || fail "--cmdhelp=bs printed everything"

run_iolab --cmdhelp=blocksize_nonsense
[ $rc -eq 1 ] || fail "--cmdhelp=unknown: exit $rc, want 1"
grep -q blocksize_nonsense "$T/err" || fail "--cmdhelp=unknown: not named"

run_iolab --version
[ $rc -eq 0 ] || fail "--version: exit $rc"
grep -q '^iolab-[0-9]' "$T/out" || fail "--version: $(cat "$T/out")"

run_iolab --help
[ $rc -eq 0 ] || fail "--help: exit $rc"
for f in --headless --run --output-format --output --status-interval --cmdhelp --parse-only --showcmd --allow-exec; do
	grep -q -- "$f" "$T/out" || fail "--help does not mention $f"
done

run_iolab --help --version
[ $rc -eq 1 ] || fail "two modes at once: exit $rc, want 1"
echo "ok: help texts"
