#!/bin/sh
# unlink=1 removes the files iolab created or laid out, and nothing else: a
# character device node and a symlink named as the target stay (the link's
# file too), a file iolab made is gone.
. "$(dirname "$0")/common.inc"

python3 -c 'import sys; open(sys.argv[1], "w").write("x" * 65536)' "$T/victim"
ln -s "$T/victim" "$T/link"
run_iolab --headless --name=l --filename="$T/link" --rw=read --bs=4k --size=64k --unlink=1
[ $rc -eq 0 ] || { cat "$T/err"; fail "read through a symlink: exit $rc"; }
[ -L "$T/link" ] || fail "unlink=1 removed the symlink"
[ -f "$T/victim" ] || fail "unlink=1 removed the symlink's file"
echo "ok: a symlink target survives unlink=1"

run_iolab --headless --name=n --filename="$T/new.dat" --rw=write --bs=4k --size=64k --unlink=1
[ $rc -eq 0 ] || { cat "$T/err"; fail "new file: exit $rc"; }
[ -e "$T/new.dat" ] && fail "unlink=1 left the file it created"
echo "ok: a file iolab created is removed"

[ "$(id -u)" = 0 ] || skip "not root: mknod needs it"
mknod "$T/null" c 1 3 || skip "cannot mknod here"
run_iolab --headless --name=c --filename="$T/null" --rw=write --bs=4k --size=64k --unlink=1
[ -c "$T/null" ] || fail "unlink=1 removed a character device node (exit $rc: $(cat "$T/err"))"
echo "ok: a device node survives unlink=1"
