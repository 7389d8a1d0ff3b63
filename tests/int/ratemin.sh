#!/bin/sh
# ratemin side by side with fio 3.33: a read job paced at more than a
# second an I/O (rate=3000 with 4k blocks) meets ratemin=2048 in both
# (a ratemin above the rate is refused by both). fio checks a direction only once it has
# moved bytes (ratemin= names writes too) and only after a completion;
# iolab failed the first with "got 0 B/s" for the writes it never did.
. "$(dirname "$0")/common.inc"
. "$(dirname "$0")/sbs.inc"
need_fio

head -c 16384 /dev/zero >"$T/f"
sbs ok --name=x --filename=f --size=16k --rw=read --rate=3000 --ratemin=2048
sbs_cmp ok '
a, b = f["jobs"][0], i["jobs"][0]
assert a["error"] == b["error"] == 0, (a["error"], b["error"])
assert a["read"]["io_bytes"] == b["read"]["io_bytes"] == 16384
print("rate=3000 ratemin=2048: error 0, 16384 bytes (as fio)")'
# a ratemin above the rate is refused by both before anything runs
for who in fio iolab; do
	if [ $who = fio ]; then exe="fio"; else exe="$IOLAB --headless"; fi
	# shellcheck disable=SC2086
	(cd "$T" && timeout 60 $exe --name=x --filename=f --size=16k --rw=read --rate=1500 \
		--ratemin=8192 --output-format=json >"$T/slow.$who.out" 2>&1) &&
		fail "$who ran ratemin=8192 above rate=1500"
done
grep -q ratemin "$T/slow.iolab.out" || grep -q rate_min "$T/slow.iolab.out" ||
	fail "the refusal does not name ratemin: $(cat "$T/slow.iolab.out")"
echo "ok: ratemin as fio"
