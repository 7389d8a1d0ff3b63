#!/bin/sh
# `make fuzz` helper (kept out of scripts/deps.sh: only fuzzing needs clang).
#   scripts/fuzz.sh deps              install clang and its libFuzzer runtime
#   scripts/fuzz.sh run BIN SECONDS   run BIN over tests/fuzz/corpus for SECONDS
# New inputs go to build-fuzz/corpus; a crash, leak, timeout or OOM leaves
# build-fuzz/crash-* (or leak-/timeout-/oom-) and a non-zero exit. Copy it
# to tests/fuzz/regress/ once fixed: tests/test_fuzz.c replays that folder.
set -eu
cd "$(dirname "$0")/.."

case "${1:-}" in
deps)
	exec scripts/deps.sh clang libclang-rt-14-dev
	;;
run)
	bin=$2 secs=$3
	out=$(dirname "$bin")
	mkdir -p "$out/corpus"
	# option names (and a few value words) as a dictionary
	{
		sed -n 's/.*\.name = "\([a-z0-9_]*\)".*/"\1="/p' backend/options.c
		sed -n 's/.*\.alias = "\([a-z0-9_]*\)".*/"\1="/p' backend/options.c
		printf '"[global]"\n"include "\n"${FUZZ_BS}"\n";@iolab "\n"EIO:"\n"ms:"\n"%%"\n'
	} | sort -u >"$out/options.dict"
	echo "fuzz: $bin for $secs s (corpus tests/fuzz/corpus + $out/corpus)"
	start=$(date +%s)
	set +e
	ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
	UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
	"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
		-dict="$out/options.dict" -artifact_prefix="$out/" -print_final_stats=1 \
		"$out/corpus" tests/fuzz/corpus >"$out/fuzz.log" 2>&1
	rc=$?
	set -e
	tail -n 25 "$out/fuzz.log"
	echo "fuzz: exit $rc after $(( $(date +%s) - start )) s (full log $out/fuzz.log)"
	exit $rc
	;;
*)
	echo "usage: $0 deps | run BIN SECONDS" >&2
	exit 2
	;;
esac
