#!/bin/sh
# A real ENOSPC: a job writing 32 MiB into an 8 MiB tmpfs fails with a
# message naming the target and ENOSPC, while a second job in the same file
# runs to its end; both are reported in text and JSON; exit status 1.
. "$(dirname "$0")/common.inc"

[ "$(id -u)" = 0 ] || skip "needs root to mount a tmpfs"
MNT=$(mktemp -d "$T/mnt.XXXXXX")
mount -t tmpfs -o size=8m iolab-enospc "$MNT" 2>"$T/mount.err" ||
	skip "cannot mount a tmpfs: $(cat "$T/mount.err")"
trap 'umount "$MNT" 2>/dev/null; rmdir "$MNT" 2>/dev/null' EXIT

cat >"$T/two.fio" <<JOB
[full]
ioengine=psync
filename=$MNT/big
rw=write
bs=128k
size=32m

[other]
ioengine=psync
filename=$T/other.dat
rw=write
bs=64k
size=8m
JOB

run_iolab --headless --output-format=normal,json --output="$T/res.txt" "$T/two.fio"
[ $rc -eq 1 ] || { cat "$T/err"; fail "exit status $rc, want 1"; }
grep "full" "$T/err" | grep "$MNT/big" | grep -q "No space left on device\|ENOSPC" ||
	{ cat "$T/err"; fail "stderr does not name the target and ENOSPC"; }

# text part: both jobs reported, the full one with its error
grep -q "^full: (groupid=0, jobs=1): err=.*28" "$T/res.txt" ||
	{ cat "$T/res.txt"; fail "text: no error line for 'full'"; }
grep -q "^other: (groupid=0, jobs=1): err= *0" "$T/res.txt" ||
	{ cat "$T/res.txt"; fail "text: 'other' not reported as done"; }

# JSON part (as fio: the JSON document first, then the text)
sed -n '/^{/,/^}/p' "$T/res.txt" >"$T/res.json"
python3 - "$T/res.json" <<'PY' || fail "JSON"
import errno, json, sys
jobs = {j["jobname"]: j for j in json.load(open(sys.argv[1]))["jobs"]}
full, other = jobs["full"], jobs["other"]
assert full["error"] == errno.ENOSPC, full["error"]
assert 0 < full["write"]["io_bytes"] <= 8 << 20, full["write"]["io_bytes"]
assert other["error"] == 0, other["error"]
assert other["write"]["io_bytes"] == 8 << 20, other["write"]["io_bytes"]
print("ok: full wrote %d KiB before ENOSPC, other wrote %d KiB"
      % (full["write"]["io_bytes"] >> 10, other["write"]["io_bytes"] >> 10))
PY
echo "ok: $(grep full "$T/err" | head -n 1)"
