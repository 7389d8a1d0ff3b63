#!/bin/sh
# --parse-only prints the normalized jobs (numjobs expanded) and runs
# nothing; --showcmd prints a fio command line fio itself accepts.
. "$(dirname "$0")/common.inc"

cat >"$T/job.fio" <<'JOB'
; a comment
[global]
ioengine=null
size=2M
bs=8k

[clones]
rw=randwrite
numjobs=3

[other]
stonewall
rw=read
bs=64k
JOB

run_iolab --parse-only "$T/job.fio"
[ $rc -eq 0 ] || { cat "$T/err"; fail "--parse-only: exit $rc"; }
[ "$(grep -c '^\[clones\]$' "$T/out")" = 3 ] || fail "numjobs=3 did not give 3 [clones] jobs: $(cat "$T/out")"
[ "$(grep -c '^\[other\]$' "$T/out")" = 1 ] || fail "no [other] job"
grep -q '^rw=randwrite$' "$T/out" || fail "rw=randwrite not printed"
grep -q '^ioengine=null$' "$T/out" || fail "inherited ioengine not printed"
grep -qi '^bs=64k$' "$T/out" || grep -q '^bs=65536$' "$T/out" || fail "bs of [other] not printed"
grep -q 'group 1' "$T/out" || fail "stonewall did not make group 1"
grep -q 'Run status' "$T/out" && fail "--parse-only ran the jobs"
[ -e "$T/iolab-default.dat" ] && fail "--parse-only created files"

run_iolab --showcmd "$T/job.fio"
[ $rc -eq 0 ] || fail "--showcmd: exit $rc"
head -c 4 "$T/out" | grep -q '^fio ' || fail "--showcmd does not start with fio: $(cat "$T/out")"
grep -q -- '--name=clones' "$T/out" || fail "--showcmd lacks --name=clones"
grep -q -- '--numjobs=3' "$T/out" || fail "--showcmd lacks --numjobs=3"
if command -v fio >/dev/null 2>&1; then
	cmd=$(cat "$T/out")
	(cd "$T" && eval "$cmd --parse-only") >"$T/fio.out" 2>&1 || fail "fio refused our --showcmd: $(cat "$T/fio.out")"
	# and the command line runs the same jobs in iolab
	run_iolab --parse-only $(echo "$cmd" | cut -d' ' -f2-)
	[ $rc -eq 0 ] || fail "iolab refused its own --showcmd: $(cat "$T/err")"
	[ "$(grep -c '^\[clones\]$' "$T/out")" = 3 ] || fail "showcmd round trip lost the clones"
fi
echo "ok: --parse-only and --showcmd"
