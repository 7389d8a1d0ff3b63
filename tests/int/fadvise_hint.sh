#!/bin/sh
# fadvise_hint, side by side with fio 3.33 (under strace): at each open of
# a regular file the job's region gets POSIX_FADV_RANDOM or _SEQUENTIAL
# (1, fio's default: from rw=; or as named), or no hint at all (0). The
# hint is what makes buffered random reads as slow as fio's: without it
# the kernel's read-ahead turned iolab's misses into hits.
. "$(dirname "$0")/common.inc"
need_fio
command -v strace >/dev/null 2>&1 || skip "strace is not installed"

head -c 1048576 /dev/zero >"$T/f"
hints() { # strace output -> the hints other than cache drops, one a line
	sed -n 's/.*fadvise64([0-9]*, \(.*\)) = .*/\1/p' "$1" | grep -v DONTNEED | sort
}
for a in "--rw=randread" "--rw=read" "--rw=randread --fadvise_hint=sequential" \
	 "--rw=read --fadvise_hint=random" "--rw=randread --fadvise_hint=0" \
	 "--rw=randrw --offset=64k --size=512k"; do
	# shellcheck disable=SC2086
	(cd "$T" && strace -f -e trace=fadvise64 -o "$T/fio.st" fio --name=a --filename=f \
		--size=1m $a --output-format=json >/dev/null 2>&1) || fail "$a: fio failed"
	# shellcheck disable=SC2086
	(cd "$T" && traced -f -e trace=fadvise64 -o "$T/iolab.st" "$IOLAB" --headless --name=a \
		--filename=f --size=1m $a >/dev/null 2>&1) || fail "$a: iolab failed"
	hints "$T/fio.st" >"$T/fio.h"
	hints "$T/iolab.st" >"$T/iolab.h"
	cmp -s "$T/fio.h" "$T/iolab.h" ||
		fail "$a: fio hinted [$(cat "$T/fio.h")], iolab [$(cat "$T/iolab.h")]"
	echo "$a: $(tr '\n' ' ' <"$T/iolab.h")(as fio)"
done
"$IOLAB" --cmdhelp=fadvise_hint | grep -q sequential || fail "--cmdhelp fadvise_hint"
"$IOLAB" --parse-only --name=x --fadvise_hint=bogus >"$T/out" 2>&1 && fail "fadvise_hint=bogus accepted"
grep -q fadvise_hint "$T/out" || fail "the refusal does not name fadvise_hint: $(cat "$T/out")"
echo "ok: fadvise_hint as fio"
