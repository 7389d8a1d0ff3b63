#!/bin/sh
# slat_percentiles, lat_percentiles, clat_percentiles, unified_rw_reporting
# and the sync section's percentiles, side by side with fio 3.33: the same
# JSON sections and keys ("percentile" where fio has one, "bins" with
# json+), the same sample counts, the same percentile blocks and group lines
# in the normal output, and the same terse fields.
. "$(dirname "$0")/common.inc"
. "$(dirname "$0")/sbs.inc"
need_fio

base="--name=x --filename=$T/p.dat --size=2m --bs=4k --ioengine=libaio --iodepth=4"
n=0
for opts in "--rw=randread" \
	    "--rw=randread --lat_percentiles=1" \
	    "--rw=randwrite --slat_percentiles=1 --fsync=8" \
	    "--rw=randwrite --clat_percentiles=0 --fdatasync=8" \
	    "--rw=randrw --unified_rw_reporting=mixed --lat_percentiles=1 --slat_percentiles=1" \
	    "--rw=randrw --unified_rw_reporting=both --fsync=16" \
	    "--rw=randrw --unified_rw_reporting=1" \
	    "--rw=randrw --unified_rw_reporting=none --lat_percentiles=1 --clat_percentiles=0"; do
	n=$((n + 1))
	# shellcheck disable=SC2086
	sbs "p$n" $base $opts --randrepeat=1
	sbs_cmp "p$n" '
def paths(o, p=""):
    out = set()
    for k, v in o.items():
        if k in ("percentile", "bins"):
            out.add(p + "/" + k)
        elif isinstance(v, dict):
            out |= paths(v, p + "/" + k)
        else:
            out.add(p + "/" + k)
    return out
# known differences elsewhere, not these options: iodepth_submit/_complete,
# the job options name, total_err/first_error
skip = ("/iodepth_submit", "/iodepth_complete", "/job options", "/total_err", "/first_error")
a, b = f["jobs"][0], i["jobs"][0]
pa = set(x for x in paths(a) if not x.startswith(skip))
pb = set(x for x in paths(b) if not x.startswith(skip))
assert pa == pb, ("only fio", sorted(pa - pb), "only iolab", sorted(pb - pa))
# a read/write mix splits differently (each tool its own random numbers):
# the directions are compared summed, "mixed" as is
def tot(j, key):
    secs = [s for s in ("read", "write", "trim") if s in j] or ["mixed"]
    return sum(key(j[s]) for s in secs)
for key in (lambda s: s["total_ios"], lambda s: s["io_bytes"], lambda s: s["slat_ns"]["N"],
            lambda s: s["clat_ns"]["N"], lambda s: s["lat_ns"]["N"]):
    assert tot(a, key) == tot(b, key), (tot(a, key), tot(b, key))
if "mixed" in a:
    assert a["mixed"]["total_ios"] == b["mixed"]["total_ios"]
    assert a["mixed"]["io_bytes"] == b["mixed"]["io_bytes"]
for sec in [s for s in ("read", "write", "trim", "mixed") if s in a]:
    for lat in ("slat_ns", "clat_ns", "lat_ns"):
        if "percentile" in a[sec][lat]:
            assert sorted(a[sec][lat]["percentile"]) == sorted(b[sec][lat]["percentile"]), (sec, lat)
if "sync" in a and a["sync"]["total_ios"]:
    assert b["sync"]["lat_ns"]["N"] > 0
print("%s: %s" % (name, " ".join(sorted(s for s in ("read", "write", "trim", "sync", "mixed") if s in b))))'
done

# json+: every latency with percentiles carries bins, as fio's
# shellcheck disable=SC2086
(cd "$T" && fio $base --rw=randread --lat_percentiles=1 --output-format=json+ \
	--output="$T/plus.fio.json" >/dev/null 2>&1) || fail "fio json+ failed"
# shellcheck disable=SC2086
(cd "$T" && "$IOLAB" --headless $base --rw=randread --lat_percentiles=1 --output-format=json+ \
	--output="$T/plus.iolab.json" >/dev/null 2>&1) || fail "iolab json+ failed"
for who in fio iolab; do
	[ "$(json_get "$T/plus.$who.json" '"bins" in d["jobs"][0]["read"]["lat_ns"]')" = True ] ||
		fail "json+: $who has no lat_ns bins"
done

# normal: the same percentile blocks and group lines; terse: the same fields
for opts in "--rw=randrw --unified_rw_reporting=both --lat_percentiles=1 --slat_percentiles=1 --fsync=4" \
	    "--rw=randrw --unified_rw_reporting=mixed --lat_percentiles=1" \
	    "--rw=randread --clat_percentiles=0"; do
	n=$((n + 1))
	# shellcheck disable=SC2086
	(cd "$T" && fio $base $opts --output-format=terse,normal >"$T/n$n.fio" 2>/dev/null) ||
		fail "fio $opts failed"
	# shellcheck disable=SC2086
	(cd "$T" && "$IOLAB" --headless $base $opts --output-format=terse,normal >"$T/n$n.iolab" \
		2>"$T/n$n.err") || { cat "$T/n$n.err"; fail "iolab $opts failed"; }
	for who in fio iolab; do
		grep -E '^  [a-z]+: IOPS=|percentiles \(|^ *(READ|WRITE|TRIM|MIXED): bw=|fsync/fdatasync' \
			"$T/n$n.$who" | sed -e 's/:.*//' -e 's/ (.*//' >"$T/n$n.$who.shape"
		head -1 "$T/n$n.$who" | tr ';' '\n' | sed 's/=.*//; s/^[0-9.]*$/N/' >"$T/n$n.$who.terse"
	done
	cmp -s "$T/n$n.fio.shape" "$T/n$n.iolab.shape" ||
		fail "$opts: normal output differs: fio [$(tr '\n' '|' <"$T/n$n.fio.shape")] iolab [$(tr '\n' '|' <"$T/n$n.iolab.shape")]"
	[ "$(wc -l <"$T/n$n.fio.terse")" = "$(wc -l <"$T/n$n.iolab.terse")" ] ||
		fail "$opts: terse has $(wc -l <"$T/n$n.iolab.terse") fields, fio $(wc -l <"$T/n$n.fio.terse")"
	echo "$opts: $(tr '\n' '|' <"$T/n$n.iolab.shape")"
done
# clat_percentiles=0: terse's percentile slots are all empty, as fio's
grep -q '0%=0;0%=0;0%=0' "$T/n$n.iolab" || fail "clat_percentiles=0: terse slots not empty"
for o in clat_percentiles lat_percentiles slat_percentiles unified_rw_reporting; do
	"$IOLAB" --cmdhelp="$o" >/dev/null 2>&1 || fail "--cmdhelp $o"
done
# no "no effect" warning for options that change the output
"$IOLAB" --headless $base --rw=read --lat_percentiles=1 --unified_rw_reporting=both \
	--slat_percentiles=1 >/dev/null 2>"$T/err" || fail "run failed"
grep -q "no effect" "$T/err" && fail "warned: $(cat "$T/err")"
echo "ok: percentiles and unified reporting as fio"
