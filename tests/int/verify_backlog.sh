#!/bin/sh
# verify_backlog reads each written block back once, as fio 3.33: the
# blocks checked in a backlog batch are not read again by the final verify
# pass (a backlog that does not divide the writes leaves the rest to it).
. "$(dirname "$0")/common.inc"
. "$(dirname "$0")/sbs.inc"
need_fio

for case in "write 32" "randwrite 32" "randwrite 100" "write 0"; do
	set -- $case
	n=vb_$1_$2
	sbs "$n" --name=vb --filename="$T/$n.dat" --rw="$1" --size=16m --bs=4k \
		--verify=md5 --verify_backlog="$2" --randrepeat=1
	sbs_cmp "$n" '
for d in ("read", "write"):
    a, b = f["jobs"][0][d], i["jobs"][0][d]
    assert a["io_bytes"] == b["io_bytes"], (name, d, a["io_bytes"], b["io_bytes"])
    assert a["total_ios"] == b["total_ios"], (name, d, a["total_ios"], b["total_ios"])
r = i["jobs"][0]["read"]
print("%-18s read %d bytes, %d I/Os (fio the same)" % (name, r["io_bytes"], r["total_ios"]))'
	rm -f "$T/$n.dat"
done
echo "ok: verify_backlog reads what fio reads"
