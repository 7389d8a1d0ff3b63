#!/bin/sh
# Shipped profiles from the real binary: --list-profiles lists every one with
# a description, each runs headless (shortened by command-line overrides) and
# exits 0, a profile without --filename lands on a scratch file in $TMPDIR,
# options given on the command line override the profile, and an unknown
# name is refused with a suggestion.
. "$(dirname "$0")/common.inc"

"$IOLAB" --help >"$T/help" 2>&1
grep -q -- '--list-profiles' "$T/help" ||
	fail "iolab --help does not list --list-profiles: not wired into the command line (cli/) yet"
grep -q -- '--profile' "$T/help" ||
	fail "iolab --help does not list --profile: not wired into the command line (cli/) yet"

run_iolab --list-profiles
[ $rc -eq 0 ] || { cat "$T/err"; fail "--list-profiles: exit status $rc"; }
names=$(sed -n 's/^  \([A-Za-z0-9._-]*\)  *[^ ].*$/\1/p' "$T/out")
n=$(echo "$names" | grep -c .)
[ "$n" -ge 12 ] || { cat "$T/out"; fail "--list-profiles shows $n profiles, want >= 12"; }
for f in "$ROOT"/profiles/*.fio; do
	p=$(basename "$f" .fio)
	echo "$names" | grep -qx "$p" || fail "--list-profiles does not show $p"
done

# Every profile, small and short: 16 MiB, 0.3 s per job.
for p in $names; do
	timeout 60 "$IOLAB" --headless --profile "$p" --filename="$T/x.dat" --runtime=300ms \
		--size=16m >"$T/$p.out" 2>"$T/$p.err"
	rc=$?
	if [ $rc -ne 0 ]; then
		tail -n 20 "$T/$p.err"
		fail "profile $p: exit status $rc"
	fi
	grep -q 'Run status group' "$T/$p.out" || { cat "$T/$p.out"; fail "profile $p: no summary"; }
	echo "ok: $p"
done

# No --filename: a new scratch file in $TMPDIR named after the profile
# (iolab-NAME.XXXXXX.dat), removed at the end.
rm -f "$T"/iolab-randread-4k-qd1*
run_iolab --headless --profile randread-4k-qd1 --runtime=1 --size=16m --output-format=json
[ $rc -eq 0 ] || { cat "$T/err"; fail "randread-4k-qd1 on its scratch file: exit $rc"; }
[ "$(json_get "$T/out" 'd["jobs"][0]["read"]["io_bytes"] > 0')" = True ] ||
	fail "randread-4k-qd1 on its scratch file: nothing read"
ls "$T" | grep -q '^iolab-randread-4k-qd1' && fail "scratch file left behind: $(ls "$T")"

# Command-line options override the profile (bs=4k -> 8k, runtime 30 s -> 1 s).
run_iolab --headless --profile randread-4k-qd1 --filename="$T/x.dat" --size=16m \
	--runtime=1 --bs=8k --output-format=json
[ $rc -eq 0 ] || { cat "$T/err"; fail "override run: exit $rc"; }
bs=$(json_get "$T/out" 'd["jobs"][0]["read"]["io_bytes"] // max(1, d["jobs"][0]["read"]["total_ios"])')
[ "$bs" = 8192 ] || fail "--bs=8k did not override the profile's bs (bytes per I/O: $bs)"
ms=$(json_get "$T/out" 'd["jobs"][0]["job_runtime"]')
[ "$ms" -lt 5000 ] || fail "--runtime=1 did not override the profile's runtime (ran ${ms} ms)"

# Unknown profile: refused, with a suggestion.
run_iolab --headless --profile randread-4k-qd3
[ $rc -ne 0 ] || fail "unknown profile accepted"
grep -q "unknown profile 'randread-4k-qd3'" "$T/err" || { cat "$T/err"; fail "no 'unknown profile' message"; }
grep -q "did you mean" "$T/err" || fail "no suggestion for a misspelt profile"
echo "ok: profiles"
