#!/bin/sh
# number_ios side by side with fio 3.33: a cap per loop (loops of fewer
# I/Os run whole), per numjobs clone, and not applied to time_based jobs.
. "$(dirname "$0")/common.inc"
need_fio

ios() { # TOOL ARGS...: "read,write" I/O counts of every job, space-separated
	tool=$1; shift
	if [ "$tool" = fio ]; then
		fio --output-format=json "$@" >"$T/$tool.json" 2>"$T/$tool.err"
	else
		"$IOLAB" --headless --output-format=json "$@" >"$T/$tool.json" 2>"$T/$tool.err"
	fi || fail "$tool $*: $(cat "$T/$tool.err")"
	json_get "$T/$tool.json" "' '.join('%d,%d' % (j['read']['total_ios'], j['write']['total_ios']) for j in d['jobs'])"
}

base="--name=n --ioengine=psync --filename=$T/n.dat --bs=4k --number_ios=100"
for args in "--rw=randread --size=1m" "--rw=read --size=64k --loops=10" \
	"--rw=read --size=1m --loops=3" "--rw=write --size=1m --numjobs=2"; do
	# shellcheck disable=SC2086
	a=$(ios iolab $base $args)
	# shellcheck disable=SC2086
	b=$(ios fio $base $args)
	[ "$a" = "$b" ] || fail "$args: iolab $a, fio $b"
	echo "ok: $args: $a (fio the same)"
done
# time_based: the cap does not apply (fio ignores it too)
# shellcheck disable=SC2086
a=$(ios iolab $base --rw=randread --size=1m --time_based --runtime=1)
[ "${a%%,*}" -gt 100 ] || fail "time_based job stopped at number_ios: $a"
echo "ok: time_based runs past number_ios ($a)"
