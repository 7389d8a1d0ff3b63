#!/bin/sh
# Targets that are not regular files or block devices: a FIFO (reading or
# writing, no peer) is refused before open() with the reason, promptly, and
# a SIGTERM sent meanwhile ends the run within a second; a socket and a
# character device other than the memory ones (/dev/ptmx) are refused too;
# /dev/zero (read) and /dev/null (write) are used as is, and unlink=1 does
# not remove a device node.
. "$(dirname "$0")/common.inc"

command -v mkfifo >/dev/null 2>&1 || skip "mkfifo is not installed"
mkfifo "$T/fifo" || fail "mkfifo"

job() { # FILE RW TARGET
	printf '[t]\nioengine=psync\nrw=%s\nbs=4k\nsize=64k\nfilename=%s\n' "$2" "$3" >"$1"
}

now_ms() { date +%s%3N; }

for rw in read write; do
	job "$T/f.fio" $rw "$T/fifo"
	t0=$(now_ms)
	timeout -k 2 10 "$IOLAB" --headless "$T/f.fio" >"$T/out" 2>"$T/err"
	rc=$?
	ms=$(( $(now_ms) - t0 ))
	[ $rc -ne 124 ] && [ $rc -ne 137 ] || fail "fifo $rw: still in open() after 10 s (SIGTERM ignored)"
	[ $rc -ne 0 ] || fail "fifo $rw: exit 0"
	grep -q "$T/fifo: is a FIFO" "$T/err" || { cat "$T/err"; fail "fifo $rw: no reason given"; }
	[ $ms -lt 5000 ] || fail "fifo $rw: took $ms ms"
	echo "ok: fifo $rw refused in $ms ms: $(grep -m1 FIFO "$T/err")"
done

# SIGTERM during the run: obeyed within a second
job "$T/f.fio" read "$T/fifo"
t0=$(now_ms)
timeout -k 2 30 "$IOLAB" --headless "$T/f.fio" >"$T/out" 2>"$T/err" &
pid=$!
sleep 0.3
kill -TERM $pid 2>/dev/null
wait $pid
rc=$?
ms=$(( $(now_ms) - t0 ))
[ $rc -ne 124 ] || fail "SIGTERM: still running after 30 s"
[ $ms -lt 1300 ] || fail "SIGTERM: took $ms ms"
echo "ok: SIGTERM with a FIFO target: exit $rc after $ms ms"

# a socket
python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$T/sock" ||
	fail "cannot make a socket"
job "$T/s.fio" read "$T/sock"
run_iolab --headless "$T/s.fio"
[ $rc -ne 0 ] && grep -q "is a socket" "$T/err" || { cat "$T/err"; fail "socket: not refused"; }
echo "ok: socket refused"

# a character device that is not a memory device
if [ -c /dev/ptmx ]; then
	job "$T/c.fio" read /dev/ptmx
	run_iolab --headless "$T/c.fio"
	[ $rc -ne 0 ] && grep -q "/dev/ptmx: is a character device" "$T/err" ||
		{ cat "$T/err"; fail "/dev/ptmx: not refused"; }
	echo "ok: /dev/ptmx refused: $(grep -m1 'character device' "$T/err")"
fi

# the memory devices fio users measure with
job "$T/z.fio" read /dev/zero
run_iolab --headless --output-format=json --output="$T/z.json" "$T/z.fio"
[ $rc -eq 0 ] || { cat "$T/err"; fail "/dev/zero read: exit $rc"; }
[ "$(json_get "$T/z.json" 'd["jobs"][0]["read"]["io_bytes"]')" = 65536 ] || fail "/dev/zero: not 64 KiB read"
job "$T/n.fio" write /dev/null
run_iolab --headless --output-format=json --output="$T/n.json" "$T/n.fio"
[ $rc -eq 0 ] || { cat "$T/err"; fail "/dev/null write: exit $rc"; }
[ "$(json_get "$T/n.json" 'd["jobs"][0]["write"]["io_bytes"]')" = 65536 ] || fail "/dev/null: not 64 KiB written"
echo "ok: /dev/zero read and /dev/null write run"

# unlink=1 removes only the regular file it checked, never a device node
# (a private copy of /dev/null, so a failure cannot take the real one)
if [ "$(id -u)" = 0 ] && mknod "$T/null" c 1 3 2>/dev/null; then
	printf '[u]\nioengine=psync\nrw=write\nbs=4k\nsize=64k\nfilename=%s\nunlink=1\n' "$T/null" >"$T/u.fio"
	run_iolab --headless "$T/u.fio"
	[ $rc -eq 0 ] || { cat "$T/err"; fail "unlink=1 on a null node: exit $rc"; }
	[ -c "$T/null" ] || fail "unlink=1 removed a character device node"
	echo "ok: unlink=1 left the device node alone"
fi
