#!/bin/sh
# A headless run of a job file prints fio's summary and exits 0.
. "$(dirname "$0")/common.inc"

cat >"$T/job.fio" <<'JOB'
[global]
ioengine=null
size=16m

[seqread]
rw=read
bs=4k

[seqwrite]
rw=write
bs=64k
JOB

run_iolab --headless "$T/job.fio"
[ $rc -eq 0 ] || { cat "$T/err"; fail "exit status $rc, want 0"; }
out=$T/out
grep -q '^seqread: (g=0): rw=read, bs=(R) 4096B-4096B' "$out" || fail "no start-up line for seqread"
grep -q '^seqread: (groupid=0, jobs=1): err= 0: pid=' "$out" || fail "no job header for seqread"
grep -q '^seqwrite: (groupid=0, jobs=1): err= 0: pid=' "$out" || fail "no job header for seqwrite"
grep -q '^  read: IOPS=.*, BW=.*(16.0MiB/[0-9]*msec)$' "$out" || fail "no read line with io 16.0MiB"
grep -q '^  write: IOPS=.*(16.0MiB/[0-9]*msec); 0 zone resets$' "$out" || fail "no write line"
grep -q '^    clat (nsec\|usec\|msec)' "$out" || grep -q '^    clat (' "$out" || fail "no clat line"
grep -q '^    clat percentiles (' "$out" || fail "no percentile block"
grep -q '^     | 99.00th=\[' "$out" || fail "no 99th percentile in the block"
grep -q '^  cpu          : usr=' "$out" || fail "no cpu line"
grep -q '^  IO depths    : 1=100.0%' "$out" || fail "no IO depths line at depth 1"
grep -q '^     issued rwts: total=4096,0,0,0 ' "$out" || fail "seqread did not issue 4096 reads"
grep -q '^     issued rwts: total=0,256,0,0 ' "$out" || fail "seqwrite did not issue 256 writes"
grep -q '^Run status group 0 (all jobs):$' "$out" || fail "no run status group"
grep -q '^   READ: bw=.*io=16.0MiB (16.8MB), run=' "$out" || fail "no READ group line"
grep -q '^  WRITE: bw=.*io=16.0MiB (16.8MB), run=' "$out" || fail "no WRITE group line"
echo "ok: headless summary"
