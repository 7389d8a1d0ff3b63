#!/bin/sh
# Issue 13: what can be known before I/O is refused when the job loads.
# verify=crc32c verify_interval=16 passed --parse-only and failed at start
# with err=22; now --parse-only, --headless and the command line refuse it
# at once, naming the file, the line and the option, and create nothing.
. "$(dirname "$0")/common.inc"

cat >"$T/vi.fio" <<'JOB'
[j]
ioengine=null
size=1m
rw=write
verify=crc32c
verify_interval=16
JOB

run_iolab --parse-only "$T/vi.fio"
[ "$rc" = 1 ] || { cat "$T/err"; fail "--parse-only: exit $rc, expected 1"; }
grep -q "vi.fio:[0-9]*: .*verify_interval: 16 is smaller than the 72-byte verify header" "$T/err" ||
	fail "--parse-only: no clear refusal: $(cat "$T/err")"

run_iolab --headless "$T/vi.fio"
[ "$rc" = 1 ] || { cat "$T/err"; fail "--headless: exit $rc, expected 1"; }
grep -q "verify_interval: 16 is smaller" "$T/err" || fail "--headless: $(cat "$T/err")"
grep -q "err=" "$T/out" && fail "--headless started the job: $(cat "$T/out")"

run_iolab --headless --name=c --ioengine=null --size=1m --rw=write --verify=crc32c \
	--verify_interval=16
[ "$rc" = 1 ] || fail "command line: exit $rc, expected 1"
grep -q "verify_interval: 16 is smaller" "$T/err" || fail "command line: $(cat "$T/err")"

# More that a worker used to refuse after start: each is refused by
# --parse-only and by --headless before any job starts or file is made.
refuse() { # want, options...
	want=$1
	shift
	mkdir -p "$T/rd"
	run_iolab --parse-only --name=r --size=1m --directory="$T/rd" "$@"
	[ "$rc" = 1 ] || fail "--parse-only $*: exit $rc, expected 1"
	grep -q -- "$want" "$T/err" || fail "--parse-only $*: no '$want' in: $(cat "$T/err")"
	run_iolab --headless --name=r --size=1m --directory="$T/rd" "$@"
	[ "$rc" = 1 ] || fail "--headless $*: exit $rc, expected 1"
	grep -q -- "$want" "$T/err" || fail "--headless $*: no '$want' in: $(cat "$T/err")"
	grep -q "err=" "$T/out" && fail "--headless $* started the job: $(cat "$T/out")"
	[ -z "$(ls -A "$T/rd")" ] || fail "--headless $* created files: $(ls "$T/rd")"
	return 0
}
refuse "trim_percentage=10: not supported" --rw=randwrite --verify=crc32c --trim_percentage=10
refuse "dedupe_mode: working_set works on one file" --rw=write --nrfiles=2 \
	--dedupe_percentage=50 --dedupe_mode=working_set
refuse "dedupe_working_set_percentage 50 is above 100" --rw=write --dedupe_percentage=60 \
	--dedupe_mode=working_set --dedupe_working_set_percentage=50
refuse "zoned_abs read zones add to" --rw=randread --random_distribution=zoned_abs:50/2m:50/2m
refuse "cpus_allowed=1000: CPU 1000 is not on this machine" --rw=read --cpus_allowed=1000
if [ -e /sys/devices/system/node/node0 ]; then
	refuse "numa_cpu_nodes=1000: no CPUs on node 1000" --rw=read --numa_cpu_nodes=1000
fi
if command -v taskset >/dev/null 2>&1 && [ "$(nproc --all)" -ge 2 ]; then
	# a CPU the machine has but iolab may not use (taskset, a container's cpuset)
	run_iolab_in() { rc=0; timeout 60 taskset -c 0 "$IOLAB" "$@" >"$T/out" 2>"$T/err" || rc=$?; }
	run_iolab_in --parse-only --name=r --size=1m --ioengine=null --cpus_allowed=1
	[ "$rc" = 1 ] || fail "taskset -c 0, cpus_allowed=1: exit $rc, expected 1"
	grep -q "cpus_allowed=1: CPU 1 is not allowed to iolab here" "$T/err" ||
		fail "taskset -c 0, cpus_allowed=1: $(cat "$T/err")"
	run_iolab_in --parse-only --name=r --size=1m --ioengine=null --cpus_allowed=0-1
	[ "$rc" = 0 ] || fail "taskset -c 0, cpus_allowed=0-1 (shared): refused: $(cat "$T/err")"
fi
echo "refused at load: --parse-only, --headless, command line"
