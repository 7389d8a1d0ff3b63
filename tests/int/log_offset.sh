#!/bin/sh
# log_offset=1, side by side with fio 3.33: every per-I/O line of the bw,
# iops and lat logs carries the I/O's offset in a 6th-from-the-end column
# ("msec, value, ddir, bs, offset, prio"); without it, 5 columns. Sequential
# jobs log the same offsets in the same order; random ones (no repeats,
# random map) the same set.
. "$(dirname "$0")/common.inc"
need_fio

run_both() { # NAME ARGS...
	n=$1; shift
	(cd "$T" && fio --name=x --filename="$T/lo.dat" --size=256k --bs=4k \
		--write_lat_log="$T/$n.fio" --write_bw_log="$T/$n.fio" --write_iops_log="$T/$n.fio" \
		"$@" >/dev/null 2>"$T/$n.fio.err") || { cat "$T/$n.fio.err"; fail "$n: fio failed"; }
	(cd "$T" && "$IOLAB" --headless --name=x --filename="$T/lo.dat" --size=256k --bs=4k \
		--write_lat_log="$T/$n.iolab" --write_bw_log="$T/$n.iolab" \
		--write_iops_log="$T/$n.iolab" "$@" >/dev/null 2>"$T/$n.iolab.err") ||
		{ cat "$T/$n.iolab.err"; fail "$n: iolab failed"; }
}

compare() { # NAME ORDERED(0/1) COLUMNS
	python3 - "$T" "$1" "$2" "$3" <<'PY' || fail "$1: logs differ from fio's"
import sys
t, n, ordered, cols = sys.argv[1], sys.argv[2], sys.argv[3] == "1", int(sys.argv[4])
for kind in ("clat", "lat", "bw", "iops"):
    rows = {}
    for who in ("fio", "iolab"):
        lines = open("%s/%s.%s_%s.1.log" % (t, n, who, kind)).read().splitlines()
        rows[who] = [[int(x) for x in l.split(", ")] for l in lines]
        for r in rows[who]:
            assert len(r) == cols, (who, kind, r)
            assert r[-1] == 0, (who, kind, r)  # priority
    if cols == 6:
        fo = [r[4] for r in rows["fio"]]
        io = [r[4] for r in rows["iolab"]]
        if not ordered:
            fo, io = sorted(fo), sorted(io)
        assert fo == io, (kind, fo[:8], io[:8])
    assert len(rows["fio"]) == len(rows["iolab"]), (kind, len(rows["fio"]), len(rows["iolab"]))
print("%s: %d lines a log, %d columns, offsets as fio's" % (n, len(rows["iolab"]), cols))
PY
}

run_both seq --rw=read --log_offset=1
compare seq 1 6
run_both wseq --rw=write --log_offset=1 --offset=64k --size=128k
compare wseq 1 6
run_both rand --rw=randread --log_offset=1
compare rand 0 6
run_both off0 --rw=read
compare off0 1 5
# averaged windows: offset column 0, still 6 columns
(cd "$T" && "$IOLAB" --headless --name=x --filename="$T/lo.dat" --size=256k --bs=4k \
	--rw=read --rate=256k --log_avg_msec=200 --log_offset=1 --write_bw_log="$T/avg" \
	>/dev/null 2>&1) || fail "averaged log run failed"
python3 -c '
import sys
rows = [l.split(", ") for l in open(sys.argv[1]).read().splitlines()]
assert rows and all(len(r) == 6 and r[4] == "0" for r in rows), rows[:3]' "$T/avg_bw.1.log" ||
	fail "averaged log with log_offset=1: not 6 columns with offset 0"
"$IOLAB" --cmdhelp=log_offset | grep -qi "offset" || fail "--cmdhelp log_offset"
echo "ok: log_offset as fio"
