#!/bin/sh
# A file truncated while the job reads it, and reads that return 0 bytes
# (issue 12). mmap: SIGBUS killed the process and --output was never
# written; now the job fails with the offset, exit 1, results written.
# psync/libaio/io_uring (and the offload path): every read past the new end
# counted as a completed I/O (11.68 M I/Os for 10.6 GB); now the first read
# that moves nothing fails the job with EIO, as fio's "full resid", and
# I/Os add up with bytes. /dev/null read: EIO like fio 3.33, not
# "256000 IOPS" of 0 bytes.
. "$(dirname "$0")/common.inc"

# truncate_case NAME ENGINE [options]: read a 64 MiB file at random for
# 20 s, cut it to 1 MiB after 1 s.
truncate_case() {
	name=$1 eng=$2
	shift 2
	head -c 64M /dev/zero | tr '\0' 'x' >"$T/data"
	"$IOLAB" --headless --name="$name" --filename="$T/data" --ioengine="$eng" --rw=randread \
		--bs=4k --time_based --runtime=20 --output-format=json --output="$T/$name.json" "$@" \
		>"$T/out" 2>"$T/$name.err" &
	pid=$!
	sleep 1
	truncate -s 1M "$T/data"
	i=0
	while kill -0 $pid 2>/dev/null; do
		sleep 0.1
		i=$((i + 1))
		[ $i -lt 100 ] || { kill -9 $pid; fail "$name: still running 10 s after the truncate"; }
	done
	wait $pid
	rc=$?
	[ $rc -eq 1 ] || { cat "$T/$name.err"; fail "$name: exit $rc, want 1 (the job failed)"; }
	[ -s "$T/$name.json" ] || { cat "$T/$name.err"; fail "$name: --output not written"; }
	python3 - "$T/$name.json" <<'PY' || { cat "$T/$name.err"; fail "$name: figures"; }
import json, sys
j = json.load(open(sys.argv[1]))["jobs"][0]
r = j["read"]
assert j["error"] == 5, j["error"]
# total_ios counts the I/Os issued, as fio's: the ones that failed at the
# end too (one, or up to the queue depth in flight)
k = r["total_ios"] - r["io_bytes"] // 4096
assert r["io_bytes"] > 0 and r["io_bytes"] % 4096 == 0 and 1 <= k <= 8, (r["total_ios"], r["io_bytes"])
assert r["runtime"] < 10000, r["runtime"]
PY
}

truncate_case mmap mmap
grep -q "job 'mmap': mmap: read at offset [0-9]* of $T/data: the file was truncated (SIGBUS at byte [0-9]*)" \
	"$T/mmap.err" || { cat "$T/mmap.err"; fail "mmap: message"; }
echo "ok: mmap: $(grep 'truncated' "$T/mmap.err")"

for eng in psync libaio io_uring; do
	truncate_case "$eng" "$eng" --iodepth=8
	grep -q "job '$eng': $T/data: read at offset [0-9]* moved 0 of 4096 bytes: end of file (the file ends at 1048576 bytes: truncated while the job ran?)" \
		"$T/$eng.err" || { cat "$T/$eng.err"; fail "$eng: message"; }
	echo "ok: $eng"
done
truncate_case offload psync --io_submit_mode=offload --iodepth=4
echo "ok: psync, io_submit_mode=offload"

# /dev/null: no data to read, whatever the engine
for eng in psync pvsync libaio io_uring; do
	run_iolab --headless --name=nul --filename=/dev/null --rw=read --bs=4k --size=1m \
		--ioengine=$eng --output-format=json
	[ $rc -eq 1 ] || { cat "$T/err"; fail "/dev/null $eng: exit $rc, want 1"; }
	python3 - "$T/out" <<'PY' || { cat "$T/out"; fail "/dev/null $eng: figures"; }
import json, sys
j = json.load(open(sys.argv[1]))["jobs"][0]
r = j["read"]
# the one read issued failed: fio counts it in total_ios too
assert j["error"] == 5 and r["total_ios"] == 1 and r["iops"] == 0, (j["error"], r["total_ios"], r["iops"])
PY
	grep -q "/dev/null: read at offset 0 moved 0 of 4096 bytes: end of file" "$T/err" ||
		{ cat "$T/err"; fail "/dev/null $eng: message"; }
done
echo "ok: /dev/null reads fail with EIO"
if command -v fio >/dev/null 2>&1; then
	fio --name=nul --filename=/dev/null --rw=read --bs=4k --size=1m --ioengine=psync \
		>"$T/fio.out" 2>&1
	grep -q 'err= 5' "$T/fio.out" || { cat "$T/fio.out"; fail "fio 3.33 no longer fails /dev/null reads"; }
	echo "ok: fio agrees (psync: err=5, full resid)"
fi

# a read that ends past the file's end (the file shrank to 1 MiB + 100 B):
# one short I/O, its real bytes counted, then EIO
head -c 8M /dev/zero | tr '\0' 'x' >"$T/data"
"$IOLAB" --headless --name=seq --filename="$T/data" --rw=read --bs=4k --size=8m --thinktime=1ms \
	--output-format=json --output="$T/seq.json" >"$T/out" 2>"$T/err" &
pid=$!
sleep 0.5
truncate -s $((1048576 * 3 + 100)) "$T/data"
wait $pid
python3 - "$T/seq.json" <<'PY' || { cat "$T/err"; fail "short read: figures"; }
import json, sys
j = json.load(open(sys.argv[1]))["jobs"][0]
r = j["read"]
assert j["error"] == 5, j["error"]
assert r["short_ios"] == 1, r["short_ios"]
# total_ios counts the failed read too, as fio's: full blocks, the short one, the EIO
assert r["io_bytes"] == 4096 * (r["total_ios"] - 2) + 100, (r["total_ios"], r["io_bytes"])
PY
echo "ok: a read across the new end: one short I/O of 100 bytes, then EIO"
