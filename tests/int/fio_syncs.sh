#!/bin/sh
# fsync=/fdatasync= counts, side by side with fio 3.33. fio queues a sync
# before the next I/O whenever the count of writes queued so far is a
# positive multiple of N and the last I/O was not a sync: in a mixed job
# every read queued at such a count brings one more sync, and the count
# runs on across loops (a new loop forgets the last sync: two in a row at
# a loop's start, none after the job's last I/O). Judged on each tool's write_iolog (the order of
# reads, writes and syncs), and on the sync totals where the order is
# not random.
. "$(dirname "$0")/common.inc"
. "$(dirname "$0")/sbs.inc"
need_fio

# The syncs of an iolog against the rule; prints "syncs writes reads".
check_log() {
	python3 - "$1" "$2" 32 <<'PY'
import sys
n, per_loop = int(sys.argv[2]), int(sys.argv[3])
w = r = syncs = expect = 0
last_sync = False
for line in open(sys.argv[1]):
    f = line.split()
    if len(f) < 2 or f[1] not in ("read", "write", "sync", "datasync"):
        continue
    if f[1] in ("sync", "datasync"):
        assert w and w % n == 0 and (not last_sync or (w + r) % per_loop == 0), \
            "%s: a sync after %d writes (fsync=%d)" % (sys.argv[1], w, n)
        syncs += 1
        last_sync = True
        continue
    assert last_sync or not w or w % n, "%s: no sync before an I/O after %d writes" % (sys.argv[1], w)
    last_sync = False
    if f[1] == "write":
        w += 1
    else:
        r += 1
print(syncs, w, r)
PY
}

for args in "--rw=randrw --fsync=4 --loops=3" "--rw=readwrite --rwmixread=70 --fdatasync=3" \
	    "--rw=randrw --fsync=1 --iodepth=4 --ioengine=libaio --loops=2"; do
	n=$(echo "$args" | sed 's/.*sync=\([0-9]*\).*/\1/')
	rm -f "$T"/f "$T"/*.log
	sbs mix --name=a --filename=f --size=128k --write_iolog=a.log $args
	mv "$T/a.log" "$T/fio.log"
	rm -f "$T"/f
	(cd "$T" && "$IOLAB" --headless --name=a --filename=f --size=128k --write_iolog=a.log \
		$args >/dev/null 2>&1) || fail "$args: iolab failed"
	fs=$(check_log "$T/fio.log" "$n") || fail "$args: fio's log breaks the rule (test is wrong)"
	is=$(check_log "$T/a.log" "$n") || fail "$args: iolab's syncs differ from fio's rule"
	echo "$args: fio syncs/writes/reads $fs, iolab $is"
done

# Sequential writes: the same totals (12k, 3 writes a loop: a sync ends
# each loop but the last, and another starts the next)
for loops in 1 2 3; do
rm -f "$T"/f
sbs seq --name=a --filename=f --size=12k --rw=write --fsync=3 --loops=$loops
sbs_cmp seq '
a, b = f["jobs"][0], i["jobs"][0]
assert a["sync"]["total_ios"] == b["sync"]["total_ios"], (a["sync"]["total_ios"], b["sync"]["total_ios"])
assert a["write"]["total_ios"] == b["write"]["total_ios"]
print("write, fsync=3, %d loop(s): %d syncs, %d writes (as fio)" % (b["write"]["total_ios"] // 3, b["sync"]["total_ios"], b["write"]["total_ios"]))'
done
echo "ok: fsync/fdatasync counts as fio"
