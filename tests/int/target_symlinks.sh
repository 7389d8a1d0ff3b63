#!/bin/sh
# Job targets at names the user did not type (NAME.CLONE.I when there is no
# filename=, filename_format=, a read_iolog's paths) in a world-writable
# sticky directory: a symlink planted there by another user is refused, not
# followed (also dangling, also in a dry run), and so are a file owned by
# someone else and a hard link; iolab's own file there is reused; a link the
# user names in filename= is followed, unless another user planted it in a
# sticky directory they do not own (what protected_symlinks refuses).
#
# The kernel's fs.protected_symlinks would hide the bug, so the shared
# directory is owned by the link's owner (nobody): the kernel then follows
# the link whatever the sysctl says, and this test never changes a global
# setting other test runs on the machine depend on. Needs root (chown).
. "$(dirname "$0")/common.inc"

[ "$(id -u)" = 0 ] || skip "not root: cannot plant files as another user"

SH=$T/shared
mkdir "$SH" && chmod 1777 "$SH" && chown 65534:65534 "$SH" || fail "cannot make the shared directory"
python3 -c 'import sys; open(sys.argv[1], "w").write("precious\n" * 512)' "$T/victim"
cp "$T/victim" "$T/victim.orig"

# plant_link TARGET NAME: a symlink owned by nobody, as if nobody made it
plant_link() {
	ln -s "$1" "$SH/$2" && chown -h 65534:65534 "$SH/$2" || fail "cannot plant $2"
}
intact() {
	cmp -s "$T/victim" "$T/victim.orig" || fail "$1: wrote through the planted name"
}
# run in the shared directory (cwd=/tmp as the careless user has it)
run_in_sh() {
	(cd "$SH" && timeout 60 "$IOLAB" "$@") >"$T/out" 2>"$T/err"
	rc=$?
}
refused() { # CASE PATTERN
	[ $rc -eq 1 ] || { cat "$T/err"; fail "$1: exit $rc, want 1"; }
	cat "$T/out" "$T/err" | grep -q "$2" || { cat "$T/err"; fail "$1: no reason ('$2')"; }
	intact "$1"
}

plant_link "$T/victim" lnk.0.0
run_in_sh --headless --name=lnk --rw=write --bs=4k --size=64k
refused "made-up name, symlink" 'symbolic link in a world-writable directory'
echo "ok: NAME.0.0 planted as a symlink is refused"

run_in_sh --headless --name=lnk --rw=randrw --bs=4k --size=64k
refused "made-up name, symlink, layout" 'symbolic link in a world-writable directory'
echo "ok: ... also when it would be laid out"

run_in_sh --dry-run --name=lnk --rw=write --bs=4k --size=64k
refused "dry run" 'symbolic link in a world-writable directory'
echo "ok: the dry run says so"

plant_link "$T/new-victim" dang.0.0
run_in_sh --headless --name=dang --rw=write --bs=4k --size=64k
refused "dangling symlink" 'symbolic link'
[ -e "$T/new-victim" ] && fail "dangling symlink: created its target"
echo "ok: a dangling symlink is not created through"

plant_link "$T/victim" fmt-w-3
run_in_sh --headless --name=w --filename_format='fmt-$jobname-3' --rw=write --bs=4k --size=64k
refused "filename_format" 'symbolic link in a world-writable directory'
echo "ok: filename_format's names too"

run_iolab --headless --name=dirjob --directory="$SH" --filename_format=fmt-w-3 --rw=write --bs=4k --size=64k
refused "directory= + made-up name" 'symbolic link in a world-writable directory'
echo "ok: directory=SHARED with a made-up name"

echo theirs >"$SH/foreign.0.0" && chown 65534:65534 "$SH/foreign.0.0" || fail "cannot plant foreign.0.0"
run_in_sh --headless --name=foreign --rw=write --bs=4k --size=64k
refused "another user's file" 'owned by uid 65534'
[ "$(cat "$SH/foreign.0.0")" = theirs ] || fail "another user's file was written"
echo "ok: another user's file at a made-up name is refused"

ln "$T/victim" "$SH/hard.0.0" 2>/dev/null && {
	run_in_sh --headless --name=hard --rw=write --bs=4k --size=64k
	refused "hard link" 'hard links'
	echo "ok: a hard link at a made-up name is refused"
}

# read_iolog: the log's paths are the log's, not the user's
plant_link "$T/victim" replayed
printf 'fio version 2 iolog\n%s add\n%s open\n%s write 0 4096\n%s close\n' \
	"$SH/replayed" "$SH/replayed" "$SH/replayed" "$SH/replayed" >"$T/replay.log"
run_iolab --headless --name=rp --read_iolog="$T/replay.log"
refused "read_iolog path" 'symbolic link in a world-writable directory'
echo "ok: a read_iolog's path planted as a symlink is refused"

# iolab's own file at a made-up name is reused; one it made, unlink=1 removes
run_in_sh --headless --name=own --rw=write --bs=4k --size=64k
[ $rc -eq 0 ] || { cat "$T/err"; fail "own file: exit $rc"; }
run_in_sh --headless --name=own --rw=read --bs=4k --size=64k
[ $rc -eq 0 ] || { cat "$T/err"; fail "own file reused: exit $rc"; }
run_in_sh --headless --name=gone --rw=randrw --bs=4k --size=64k --unlink=1
[ $rc -eq 0 ] || { cat "$T/err"; fail "unlink=1: exit $rc"; }
[ -e "$SH/gone.0.0" ] && fail "unlink=1 left gone.0.0"
echo "ok: iolab's own file there is reused"

# the user's own named link is followed (read only: the victim is intact)
run_in_sh --headless --name=named --filename="$SH/lnk.0.0" --rw=read --bs=4k --size=4k
[ $rc -eq 0 ] || { cat "$T/err"; fail "a named link: exit $rc"; }
intact "a named link, read"
echo "ok: a link named in filename= is followed"

# a path the user names is followed, but not through a link another user
# planted in a sticky shared directory they do not own (the kernel's
# protected_symlinks rule, enforced by iolab whatever the sysctl says)
SH2=$T/shared-root
mkdir "$SH2" && chmod 1777 "$SH2" || fail "cannot make $SH2"
ln -s "$T/victim" "$SH2/t.dat" && chown -h 65534:65534 "$SH2/t.dat" || fail "cannot plant t.dat"
ln -s "$T/victim" "$SH2/res.json" && chown -h 65534:65534 "$SH2/res.json" || fail "cannot plant res.json"
run_iolab --headless --name=planted --filename="$SH2/t.dat" --rw=write --bs=4k --size=64k
refused "a named link another user planted" 'symbolic link owned by uid 65534 in a sticky world-writable directory'
run_iolab --dry-run --name=planted --filename="$SH2/t.dat" --rw=write --bs=4k --size=64k
refused "... in a dry run" 'symbolic link owned by uid 65534 in a sticky world-writable directory'
run_iolab --headless --name=o --ioengine=null --size=4k --output="$SH2/res.json"
refused "--output through another user's link" 'symbolic link owned by uid 65534 in a sticky world-writable directory'
echo "ok: a named link another user planted in a sticky directory is refused"

# ... nor through a directory on the way: a link planted as the directory
# would put a log or a target wherever the planter chose
mkdir "$T/elsewhere"
ln -s "$T/elsewhere" "$SH2/logs" && chown -h 65534:65534 "$SH2/logs" || fail "cannot plant logs"
run_iolab --headless --name=l --ioengine=null --size=4k --write_bw_log="$SH2/logs/run"
refused "write_bw_log under a planted directory link" "its directory $SH2/logs is a symbolic link owned by uid 65534"
run_iolab --headless --name=d --directory="$SH2/logs" --rw=write --bs=4k --size=64k
refused "directory= a planted link" "its directory $SH2/logs is a symbolic link owned by uid 65534"
[ -z "$(ls "$T/elsewhere")" ] || fail "wrote into the planted directory: $(ls "$T/elsewhere")"
echo "ok: a directory link another user planted in a sticky directory is refused"
