#!/bin/sh
# verify=meta, verify_dump and experimental_verify, side by side with fio
# 3.33 (each tool reads back its own files: the on-disk formats differ).
#  - meta checks each block's header (offset, generation, job) and not its
#    data: corrupt data passes, a corrupt header fails the job at that block.
#  - verify_dump writes the failed block as read and as expected to
#    FILE.OFFSET.received/.expected in the working directory, as fio names
#    them; a rejected header dumps nothing.
#  - experimental_verify only changes how fio finds the blocks: accepted
#    with a warning naming it, same reads.
. "$(dirname "$0")/common.inc"
need_fio

run() { # WHO NAME ARGS... (in $T; status in $T/NAME.rc, JSON in $T/NAME.json)
	who=$1 n=$2; shift 2
	if [ "$who" = fio ]; then set -- fio "$@"; else set -- "$IOLAB" --headless "$@"; fi
	(cd "$T" && "$@" --output-format=json --output="$T/$n.json" >/dev/null 2>"$T/$n.err")
	echo $? >"$T/$n.rc"
}
read_bytes() { json_get "$T/$1.json" 'd["jobs"][0]["read"]["io_bytes"]'; }
jerror() { json_get "$T/$1.json" 'd["jobs"][0]["error"]'; }
poke() { # FILE OFFSET: 8 bytes of X
	printf 'XXXXXXXX' | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

for who in fio iolab; do
	f=$T/m.$who
	job="--name=v --filename=$f --size=64k --bs=4k --rw=write --verify=meta"
	# shellcheck disable=SC2086
	run $who meta.$who $job
	[ "$(cat "$T/meta.$who.rc")" = 0 ] || { cat "$T/meta.$who.err"; fail "meta: $who failed"; }
	[ "$(read_bytes meta.$who)" = 65536 ] || fail "meta: $who read $(read_bytes meta.$who)"
	poke "$f" $((8192 + 1000)) # data of block 2
	# shellcheck disable=SC2086
	run $who metad.$who $job --verify_only=1
	[ "$(cat "$T/metad.$who.rc")" = 0 ] || { cat "$T/metad.$who.err"; fail "meta: $who failed on data"; }
	poke "$f" 8192 # header of block 2
	# shellcheck disable=SC2086
	run $who metah.$who $job --verify_only=1 --verify_dump=1
	[ "$(cat "$T/metah.$who.rc")" = 1 ] || fail "meta: $who passed a corrupt header"
	echo "$who: meta: clean $(read_bytes meta.$who) bytes; bad data passes; bad header: error" \
		"$(jerror metah.$who) after $(read_bytes metah.$who) bytes"
	[ -e "$T/m.$who.8192.received" ] && fail "verify_dump: $who dumped a rejected header"

	f=$T/d.$who
	job="--name=v --filename=$f --size=64k --bs=4k --rw=write --verify=md5"
	# shellcheck disable=SC2086
	run $who dw.$who $job --do_verify=0
	poke "$f" $((8192 + 1000))
	# shellcheck disable=SC2086
	run $who dv.$who $job --verify_only=1 --verify_dump=1
	[ "$(cat "$T/dv.$who.rc")" = 1 ] || fail "verify_dump: $who passed a corrupt block"
	[ -s "$T/d.$who.8192.received" ] && [ -s "$T/d.$who.8192.expected" ] ||
		fail "verify_dump: $who wrote no d.$who.8192.received/.expected: $(ls "$T")"
	dd if="$f" bs=4096 skip=2 count=1 2>/dev/null | cmp -s - "$T/d.$who.8192.received" ||
		fail "verify_dump: $who's received dump is not the block on disk"
	cmp -s "$T/d.$who.8192.received" "$T/d.$who.8192.expected" &&
		fail "verify_dump: $who's expected dump equals the corrupt block"

	# shellcheck disable=SC2086
	run $who ev.$who --name=v --filename="$T/e.$who" --size=64k --bs=4k --rw=randwrite \
		--verify=crc32c --experimental_verify=1
	[ "$(cat "$T/ev.$who.rc")" = 0 ] || { cat "$T/ev.$who.err"; fail "experimental_verify: $who failed"; }
done
for n in meta metah ev; do
	[ "$(read_bytes $n.fio)" = "$(read_bytes $n.iolab)" ] ||
		fail "$n: fio read $(read_bytes $n.fio), iolab $(read_bytes $n.iolab)"
	[ "$(jerror $n.fio)" = "$(jerror $n.iolab)" ] ||
		fail "$n: fio error $(jerror $n.fio), iolab $(jerror $n.iolab)"
done
# iolab's expected dump differs from the block read in the 8 bytes poked
[ "$(cmp -l "$T/d.iolab.8192.received" "$T/d.iolab.8192.expected" | wc -l)" = 8 ] ||
	fail "verify_dump: iolab's dumps differ in more than the corrupt bytes"
grep -q "experimental_verify" "$T/ev.iolab.err" || fail "experimental_verify: no warning naming it"
grep -q "verify_dump: d.iolab.8192.received" "$T/dv.iolab.err" || fail "verify_dump: not reported"
for o in verify_dump experimental_verify; do
	"$IOLAB" --cmdhelp=$o >/dev/null || fail "--cmdhelp $o"
done
"$IOLAB" --cmdhelp=verify | grep -q "meta" || fail "--cmdhelp verify: no meta"
# ioengine=null moves no data: fio's verify of it passes (nothing was
# written to check), and iolab's did fail with "misplaced block"
for rw in write randwrite; do
	run_iolab --headless --name=n --ioengine=null --size=1m --rw=$rw --verify=crc32c
	[ "$rc" = 0 ] || fail "null, rw=$rw, verify: exit $rc: $(cat "$T/err")"
	grep -q "err= 0" "$T/out" || fail "null, rw=$rw, verify: job failed: $(cat "$T/out")"
done
echo "ok: verify=meta, verify_dump, experimental_verify, null engine as fio"
