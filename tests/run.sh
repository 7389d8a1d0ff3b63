#!/bin/sh
# Runs every test: cmocka unit binaries given as arguments, then the
# integration scripts (tests/int/*.sh: the real binary, headless) and the
# end-to-end scripts (tests/e2e/*.sh: the real TUI in tmux).
# A script exits 0 (pass), 77 (skip: it prints why) or anything else (fail).
set -u
cd "$(dirname "$0")/.."

unit_only=0
[ "${1:-}" = "--unit-only" ] && { unit_only=1; shift; }

pass=0 fail=0 skip=0 failed=""
export IOLAB=${IOLAB:-$PWD/iolab}
export TEST_TMP=$(mktemp -d "${TMPDIR:-/tmp}/iolab-test.XXXXXX")
# No test reads the machine's /etc/iolab or the user's ~/.config/iolab
# settings (tests/int/settings.sh makes its own): both point at nothing.
export IOLAB_SYSTEM_SETTINGS="$TEST_TMP/no-system-settings.conf"
export XDG_CONFIG_HOME="$TEST_TMP/no-xdg-config"
trap 'rm -rf "$TEST_TMP"' EXIT

run_one() {
	name=$1; shift
	log="$TEST_TMP/$(basename "$name").log"
	start=$(date +%s)
	"$@" >"$log" 2>&1
	rc=$?
	secs=$(( $(date +%s) - start ))
	case $rc in
	0)  pass=$((pass + 1)); printf '  PASS  %-40s %3ss\n' "$name" "$secs" ;;
	77) skip=$((skip + 1)); printf '  SKIP  %-40s %s\n' "$name" "$(grep -m1 -i 'skip' "$log" | cut -c1-70)" ;;
	*)  fail=$((fail + 1)); failed="$failed $name"
	    printf '  FAIL  %-40s (exit %s)\n' "$name" "$rc"
	    # the assertion first: a sanitizer's leak report after a failed
	    # cmocka case would push it out of the tail
	    grep -m 12 -E '^\[  (ERROR|FAILED) |Failure!|[Ee]rror:|assert|^FAIL' "$log" |
		sed 's/^/        ! /'
	    sed 's/^/        | /' "$log" | tail -n 40 ;;
	esac
}

for t in "$@"; do
	run_one "$t" "$t"
done

if [ $unit_only = 0 ]; then
	for t in tests/int/*.sh tests/e2e/*.sh; do
		[ -e "$t" ] || continue
		run_one "$t" sh "$t"
	done
fi

echo "tests: $pass passed, $skip skipped, $fail failed"
[ $fail -eq 0 ] || { echo "failed:$failed"; exit 1; }
