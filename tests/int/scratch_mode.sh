#!/bin/sh
# Scratch data files iolab creates (laid out for a read job, created by a
# write job, numjobs clones under directory=, every engine that creates)
# are 0600, whatever the umask: they may hold copies of sensitive data.
. "$(dirname "$0")/common.inc"

umask 000
mkdir -p "$T/d"
cat >"$T/scratch.fio" <<JOB
[global]
bs=4k
size=256k
directory=$T/d

[rd]
ioengine=psync
rw=randread

[wr]
ioengine=psync
rw=write
numjobs=2

[sync]
ioengine=sync
rw=write
filename=sync.dat

[aio]
ioengine=libaio
rw=randwrite
filename=aio.dat
JOB
run_iolab --headless "$T/scratch.fio"
[ $rc -eq 0 ] || { cat "$T/err"; fail "exit $rc"; }
n=0
for f in "$T"/d/*; do
	[ -f "$f" ] || continue
	mode=$(stat -c %a "$f")
	[ "$mode" = 600 ] || fail "$f: mode $mode, want 600"
	n=$((n + 1))
done
[ $n -ge 5 ] || { ls -l "$T/d"; fail "only $n scratch files made"; }
echo "ok: $n scratch files, all 0600 under umask 000"
