#!/bin/sh
# cpus_allowed_policy, cpumask and numa_cpu_nodes, side by side with fio 3.33: the
# CPUs each job's thread (fio: process) may run on, read from /proc while
# the jobs run. split puts job N on the N-th CPU of cpus_allowed, shared
# gives every job the whole set; numa_cpu_nodes keeps a job on its nodes'
# CPUs, in place of cpus_allowed as in fio (iolab reads them from sysfs, no
# libnuma needed). A node that does
# not exist fails the job in both.
. "$(dirname "$0")/common.inc"
need_fio
[ "$(getconf _NPROCESSORS_ONLN)" -ge 2 ] || skip "needs 2 CPUs"
[ -r /sys/devices/system/node/node0/cpulist ] || skip "no NUMA node 0 in sysfs"

# the CPU lists of every task under PID (threads and child processes),
# gathered while it runs: one per line, deduplicated
affinities() { # PID
	pid=$1
	: >"$T/aff"
	while kill -0 "$pid" 2>/dev/null; do
		for p in $pid $(pgrep -P "$pid"); do
			cat /proc/"$p"/task/*/status 2>/dev/null | sed -n 's/^Cpus_allowed_list:[[:space:]]*//p'
		done >>"$T/aff"
		sleep 0.1
	done
	sort -u "$T/aff"
}

run() { # WHO ARGS... -> the CPU lists seen, space separated
	who=$1; shift
	if [ "$who" = fio ]; then
		(cd "$T" && exec fio "$@" >/dev/null 2>&1) &
	else
		(cd "$T" && exec "$IOLAB" --headless "$@" >/dev/null 2>&1) &
	fi
	affinities $! | tr '\n' ' '
	wait
}

job="--name=x --filename=$T/c.dat --size=1m --rw=read --rate=256k --time_based --runtime=2"
for who in fio iolab; do
	# shellcheck disable=SC2086
	split=$(run $who $job --numjobs=2 --cpus_allowed=0-1 --cpus_allowed_policy=split)
	echo " $split " | grep -q " 0 " && echo " $split " | grep -q " 1 " ||
		fail "split: $who's jobs ran on [$split], want one on CPU 0 and one on CPU 1"
	# shellcheck disable=SC2086
	shared=$(run $who $job --numjobs=2 --cpus_allowed=0-1 --cpus_allowed_policy=shared)
	echo " $shared " | grep -q " [01] " && fail "shared: $who pinned a job to one CPU [$shared]"
	# shellcheck disable=SC2086
	# fio binds to the nodes after cpus_allowed: the nodes' CPUs win
	node0=$(cat /sys/devices/system/node/node0/cpulist)
	numa=$(run $who $job --cpus_allowed=1 --numa_cpu_nodes=0)
	echo " $numa " | grep -q " $node0 " && ! echo " $numa " | grep -q " 1 " ||
		fail "cpus_allowed=1 + numa_cpu_nodes=0: $who ran on [$numa], want node 0's $node0"
	# cpumask: fio's bit mask of the same CPUs (0x2: CPU 1)
	mask=$(run $who $job --cpumask=0x2)
	echo " $mask " | grep -q " 1 " && ! echo " $mask " | grep -q " 0 " ||
		fail "cpumask=0x2: $who ran on [$mask], want CPU 1"
	echo "$who: split [$split] shared [$shared] numa+cpus [$numa] cpumask=0x2 [$mask]"
	# shellcheck disable=SC2086
	(cd "$T" && if [ $who = fio ]; then fio $job --runtime=1 --numa_cpu_nodes=4095; else
		"$IOLAB" --headless $job --runtime=1 --numa_cpu_nodes=4095; fi) >/dev/null 2>"$T/err" &&
		fail "numa_cpu_nodes=4095: $who ran"
done
grep -q "numa_cpu_nodes" "$T/err" || fail "the failure does not name numa_cpu_nodes: $(cat "$T/err")"
"$IOLAB" --cmdhelp=cpus_allowed_policy | grep -q split || fail "--cmdhelp cpus_allowed_policy"
"$IOLAB" --cmdhelp=numa_cpu_nodes >/dev/null || fail "--cmdhelp numa_cpu_nodes"
"$IOLAB" --parse-only --name=x --numa_cpu_nodes=zz >/dev/null 2>"$T/err" && fail "numa_cpu_nodes=zz accepted"
grep -q "numa_cpu_nodes" "$T/err" || fail "refusal does not name numa_cpu_nodes"
"$IOLAB" --parse-only --name=x --cpumask=0x80000000 >/dev/null 2>"$T/err" && fail "cpumask of CPU 31 accepted on a small machine"
grep -q "cpumask=0x80000000: CPU 31" "$T/err" || fail "refusal does not name cpumask: $(cat "$T/err")"
"$IOLAB" --cmdhelp | sed -n '/without effect/,$p' | grep -qw cpumask && fail "cpumask still listed as without effect"
echo "ok: CPU placement as fio"
