#!/bin/sh
# A scratch file iolab made, in a world-writable directory WITHOUT the
# sticky bit (where anyone may rename over anyone's file, and the kernel's
# protected_symlinks does not apply): another user renames a symlink over
# it between its creation and the job's opens. The job used to open the
# name again, follow the link and write the file it points to (a root-owned
# 0600 file was filled by the default job); now the scratch file is known
# by its device and inode and opened O_NOFOLLOW, so the run is refused with
# the reason and the linked file keeps its bytes. Covers the default job
# (the swap lands during startdelay) and --diagnose DIR (the swap lands
# after its first step). Needs root (chown to plant as another user).
. "$(dirname "$0")/common.inc"

[ "$(id -u)" = 0 ] || skip "not root: cannot plant links as another user"

WW=$T/ww
mkdir "$WW" && chmod 0777 "$WW" || fail "cannot make the world-writable directory"
python3 -c 'import sys; open(sys.argv[1], "w").write("precious\n" * 512)' "$T/victim"
chmod 600 "$T/victim"
cp "$T/victim" "$T/victim.orig"

# swap_in PREFIX: rename a link (owned by nobody) to the victim over the
# scratch file $WW/PREFIX*.dat iolab made; waits up to 20 s for it
swap_in() {
	i=0
	while [ $i -lt 200 ]; do
		sc=$(ls "$WW" | grep "^$1.*\.dat\$" | head -n 1)
		[ -n "$sc" ] && break
		sleep 0.1
		i=$((i + 1))
	done
	[ -n "$sc" ] || fail "$1: no scratch file appeared in $WW"
	ln -s "$T/victim" "$WW/planted" && chown -h 65534:65534 "$WW/planted" &&
		mv -f "$WW/planted" "$WW/$sc" || fail "cannot rename the link over $sc"
}
intact() {
	cmp -s "$T/victim" "$T/victim.orig" || fail "$1: wrote through the link renamed over its scratch file"
}

# the default job: the scratch file is made at load, opened after startdelay
TMPDIR=$WW timeout 60 "$IOLAB" --headless --startdelay=3 --runtime=1 --size=1m \
	>"$T/out" 2>"$T/err" &
pid=$!
swap_in iolab-default.
wait $pid
rc=$?
intact "default job"
[ $rc -eq 1 ] || { cat "$T/err"; fail "default job: exit $rc, want 1"; }
grep -q 'iolab-default\..*\.dat: is a symbolic link in a world-writable directory' "$T/err" ||
	{ cat "$T/err"; fail "default job: the refusal gives no reason"; }
echo "ok: default job: a link renamed over its scratch file is refused"
rm -f "$WW"/*

# --diagnose DIR: every step opens the scratch file again by name
timeout 120 "$IOLAB" --headless --diagnose="$WW" --runtime=1 --size=16m >"$T/out" 2>"$T/err" &
pid=$!
i=0
while [ $i -lt 300 ] && ! grep -q '^\[2/' "$T/err"; do
	sleep 0.1
	i=$((i + 1))
done
swap_in iolab-diagnose.
wait $pid
rc=$?
intact "--diagnose DIR"
# steps that failed leave the diagnosis incomplete: not exit 0
[ $rc = 1 ] || { cat "$T/err"; fail "--diagnose with failed steps: exit $rc, want 1"; }
grep -q 'steps failed; the findings cover the rest' "$T/err" ||
	{ cat "$T/err"; fail "--diagnose: no line saying how many steps failed"; }
grep -q 'failed: .*iolab-diagnose\..*\.dat: is a symbolic link in a world-writable directory' \
	"$T/err" || { cat "$T/err"; fail "--diagnose: the steps after the swap do not say why they failed"; }
echo "ok: --diagnose DIR: the steps after the swap are refused"
