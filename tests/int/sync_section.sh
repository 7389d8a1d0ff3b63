#!/bin/sh
# fio's "sync" section side by side with fio 3.33: how many fsyncs a job
# counts (a due fsync is issued only before another I/O, end_fsync's are
# not counted, fdatasyncs count in the latency but not in total_ios, as
# fio 3.33 counts them), and the latency percentiles it carries.
. "$(dirname "$0")/common.inc"
. "$(dirname "$0")/sbs.inc"
need_fio

n=0
for opts in "--fsync=4" "--fsync=4 --end_fsync=1" "--fdatasync=8" "--fsync=3" \
	    "--fsync=4 --number_ios=8" "--fsync=16 --ioengine=libaio --iodepth=8"; do
	n=$((n + 1))
	# shellcheck disable=SC2086
	sbs "s$n" --name=x --filename="$T/s.dat" --size=1m --bs=4k --rw=write $opts
	sbs_cmp "s$n" '
a, b = f["jobs"][0], i["jobs"][0]
fa = (a["sync"]["total_ios"], a["sync"]["lat_ns"]["N"], a["write"]["total_ios"])
fb = (b["sync"]["total_ios"], b["sync"]["lat_ns"]["N"], b["write"]["total_ios"])
assert fa == fb, ("fio", fa, "iolab", fb)
pa = sorted(a["sync"]["lat_ns"].get("percentile", {}))
pb = sorted(b["sync"]["lat_ns"].get("percentile", {}))
assert pa == pb, (pa, pb)
print("%s: sync total_ios %d, latency N %d, writes %d; %d percentiles (as fio)" % (name, fb[0], fb[1], fb[2], len(pb)))'
done
echo "ok: the sync section as fio's"
