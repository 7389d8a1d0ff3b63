#!/bin/sh
# Scratch files in the workbench, at 80x24 and 120x40 (TMPDIR is the
# test's directory): the default job runs on a scratch file of its own and
# the header says so ("scratch PATH"); loading a profile removes the
# default's file (no job names it any more) and makes the profile's; quit
# removes that one too. With --keep the file stays and iolab says where.
. "$(dirname "$0")/lib.inc"

scratch_files() { ls "$T" 2>/dev/null | grep -E '^iolab-.*\.dat$' | tr '\n' ' '; }

for size in 80x24 120x40; do
	SOCK=iolab-e2e-$$-$size # a server of its own for each size
	pane_start "${size%x*}" "${size#*x}"
	pane_run "$IOLAB --run --size=4m --runtime=60; echo EXIT=\$?"
	wait_re '^default +[a-zA-Z] running' 15
	f=$(scratch_files)
	case "$f" in
	"iolab-default."*".dat ") ;;
	*) fail "$size: scratch files while the default job runs: '$f'" ;;
	esac
	# the header names it as scratch: whole, or elided in the middle (at 120
	# columns keeping the file's name)
	base=${f% }
	head=$(capture | head -n 1)
	case "$head" in
	*"scratch $T/$base"*) ;;
	*"scratch "*"…"*"/$base"*) ;;
	*"scratch "*"…"*) [ "${size%x*}" -lt 100 ] || fail "$size: file name cut: $head" ;;
	*) fail "$size: header does not say scratch: $head" ;;
	esac
	# stop, then load a profile from the picker: the default's file goes
	tm send-keys X
	wait_for '_ reaped' 15
	tm send-keys Escape
	sleep 0.3
	tm send-keys P
	wait_for ' Profiles ' 5
	tm send-keys Enter
	wait_for "Edit job 'seq1m-q8t1-read'" 10
	f=$(scratch_files)
	case "$f" in
	"iolab-crystaldiskmark."*".dat ") ;;
	*) fail "$size: after loading a profile: '$f'" ;;
	esac
	tm send-keys Escape
	sleep 0.3
	tm send-keys q
	wait_for 'EXIT=0' 15
	f=$(scratch_files)
	[ -z "$f" ] || fail "$size: left behind: $f"

	# --keep: it stays, and iolab says where
	pane_run "clear; $IOLAB --run --keep --size=4m --runtime=60; echo EXIT=\$?"
	wait_re '^default +[a-zA-Z] running' 15
	tm send-keys q
	wait_for 'and quit?' 5
	tm send-keys y
	wait_for 'EXIT=0' 15
	f=$(scratch_files)
	base=${f% }
	[ -n "$base" ] && [ -f "$T/$base" ] || fail "$size: --keep kept nothing: '$f'"
	capture | tr -d '\n' | grep -qF "kept the scratch file $T/$base" ||
		fail "$size: --keep did not say where"
	rm -f "$T/$base"
	tm kill-server
	echo "$size ok"
done
echo "ok"
