#!/bin/sh
# time_based buffered jobs drop the file's page cache again on each pass
# over it, as fio 3.33 does (invalidate=1): after every full random map and
# at each sequential wrap of a lone file. Counted, not timed: under strace,
# each tool's DONTNEED calls on the file must be the passes its own I/O
# count began (I/Os / blocks in the file, rounded up: one at open, one at
# each new pass), for fio and for iolab alike. norandommap has no passes: one drop only.
. "$(dirname "$0")/common.inc"
need_fio
command -v strace >/dev/null 2>&1 || skip "strace is not installed"
strace -f -qq -e trace=fadvise64 -o /dev/null true 2>/dev/null || skip "strace cannot trace here"

f=$T/tb.dat
dd if=/dev/zero of="$f" bs=64k count=16 2>/dev/null || fail "cannot make $f"
blocks=256 # 1 MiB of 4 KiB blocks

for case in "randread" "read" "randread --norandommap" "randrw --rwmixread=50"; do
	for who in fio iolab; do
		if [ $who = fio ]; then exe="fio"; else exe="$IOLAB --headless"; fi
		n=$(echo "$case" | tr -c 'a-z0-9\n' _).$who
		# shellcheck disable=SC2086
		(cd "$T" && traced -f -qq -e trace=fadvise64 -o "$T/$n.st" $exe --name=x \
			--filename="$f" --size=1m --bs=4k --rw=$case --time_based --runtime=1 \
			--output-format=json --output="$T/$n.json" >/dev/null 2>"$T/$n.err") ||
			{ cat "$T/$n.err"; fail "$case: $who failed"; }
		drops=$(grep -c 'POSIX_FADV_DONTNEED' "$T/$n.st")
		ios=$(json_get "$T/$n.json" 'sum(d["jobs"][0][k]["total_ios"] for k in ("read","write"))')
		case $case in
		*norandommap*) want=1 ;;
		*) want=$(((ios + blocks - 1) / blocks)) ;; # passes begun
		esac
		# an I/O in flight at the end may have started one more pass
		[ "$drops" -eq "$want" ] || [ "$drops" -eq $((want + 1)) ] ||
			fail "$case: $who dropped the cache $drops times in $ios I/Os (want $want)"
		echo "$case: $who $ios I/Os, $drops cache drops"
	done
done
echo "ok: a cold cache on every pass, as fio"
