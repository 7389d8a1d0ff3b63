#!/bin/sh
# make install DESTDIR=... PREFIX=/usr lays out the binary, the profiles,
# iolab.1 and the bash completion; man -l reads the page, which documents
# every --help flag, job option and profile (it is generated from the same
# tables); the completion completes flags, options, choices and profiles.
. "$(dirname "$0")/common.inc"

command -v make >/dev/null 2>&1 || skip "make is not installed"
D=$T/dest
make -C "$ROOT" --no-print-directory -s install DESTDIR="$D" PREFIX=/usr \
	IOLAB_BIN="$IOLAB" DOCS_O="$T/docs" >"$T/make.out" 2>&1 ||
	{ cat "$T/make.out"; fail "make install failed"; }

[ -x "$D/usr/bin/iolab" ] || fail "no bin/iolab"
"$D/usr/bin/iolab" --version | grep -q '^iolab-' || fail "installed binary does not run"
[ -f "$D/usr/share/man/man1/iolab.1" ] || fail "no man1/iolab.1"
[ -f "$D/usr/share/bash-completion/completions/iolab" ] || fail "no bash completion"
want=$(ls "$ROOT"/profiles/*.fio | wc -l)
got=$(ls "$D"/usr/share/iolab/profiles/*.fio | wc -l)
[ "$got" -eq "$want" ] || fail "$got profiles installed, $want shipped"

# the manual page, as man shows it
if command -v man >/dev/null 2>&1; then
	MANPAGER=cat MANWIDTH=100 man -l "$D/usr/share/man/man1/iolab.1" >"$T/man.txt" 2>"$T/man.err" ||
		fail "man -l: $(cat "$T/man.err")"
	[ -s "$T/man.err" ] && fail "man -l complains: $(cat "$T/man.err")"
	for s in NAME SYNOPSIS OPTIONS 'JOB OPTIONS' PROFILES KEYS 'EXIT STATUS' ENVIRONMENT; do
		grep -q "^$s" "$T/man.txt" || fail "man page has no $s section"
	done
	# every flag of --help
	"$IOLAB" --help | sed -n 's/^  \(--[a-z-]*\).*/\1/p' >"$T/flags"
	[ -s "$T/flags" ] || fail "no flags in --help"
	while read -r fl; do
		grep -q -- "^ *$fl" "$T/man.txt" || fail "man page lacks $fl"
	done <"$T/flags"
	# every job option --cmdhelp lists, and every profile
	for o in bs rwmixread rwmixwrite rate_iops ioengine verify latency_target; do
		grep -qE "^ +$o(,|=)" "$T/man.txt" || fail "man page lacks job option $o"
	done
	"$IOLAB" --list-profiles | sed -n 's/^  \([a-z0-9][a-z0-9-]*\)  .*/\1/p' >"$T/profiles"
	[ "$(wc -l <"$T/profiles")" -eq "$want" ] || fail "--list-profiles names $(wc -l <"$T/profiles")"
	for p in $(cat "$T/profiles"); do
		grep -q "^ *$p\$" "$T/man.txt" || grep -q "^ *$p " "$T/man.txt" ||
			fail "man page lacks profile $p"
	done
else
	echo "note: man is not installed; the page is checked with groff only"
fi
if command -v groff >/dev/null 2>&1; then
	groff -man -ww -z "$D/usr/share/man/man1/iolab.1" 2>"$T/groff.err"
	[ -s "$T/groff.err" ] && fail "groff warns: $(head -n 3 "$T/groff.err")"
fi

# the completion, driven as bash drives it (--key=value split at '=')
command -v bash >/dev/null 2>&1 || skip "bash is not installed"
cat >"$T/comp.bash" <<COMP
. "$D/usr/share/bash-completion/completions/iolab"
t() { COMP_WORDS=("\$@"); COMP_CWORD=\$(( \${#COMP_WORDS[@]} - 1 )); COMPREPLY=(); _iolab; echo "\${COMPREPLY[*]}"; }
t iolab --profi
t iolab --profile o
t iolab --profile = oltp
t iolab --rw = randr
t iolab --output-format = js
t iolab --rwmixw
t iolab --ioengine = io_
t iolab --hea
COMP
bash "$T/comp.bash" >"$T/comp.out" 2>"$T/comp.err" || fail "completion: $(cat "$T/comp.err")"
[ -s "$T/comp.err" ] && fail "completion complains: $(cat "$T/comp.err")"
printf '%s\n' "--profile=" "oltp-8k-7030" "oltp-8k-7030" "randread randrw" "json json+" \
	"--rwmixwrite=" "io_uring" "--headless" >"$T/comp.want"
diff "$T/comp.want" "$T/comp.out" >"$T/comp.diff" || fail "completion: $(cat "$T/comp.diff")"
echo "ok"
