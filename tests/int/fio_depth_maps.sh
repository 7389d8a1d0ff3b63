#!/bin/sh
# iodepth_submit and iodepth_complete (JSON) and the normal output's
# "submit"/"complete" lines, side by side with fio 3.33: the I/Os each
# submission and each reap carried, in fio's buckets 0, 1-4, ... >=64,
# one count per call; an engine that completes at queue counts 1 and 1.
. "$(dirname "$0")/common.inc"
. "$(dirname "$0")/sbs.inc"
need_fio

head -c 4194304 /dev/zero >"$T/f"
n=0
for a in "--ioengine=psync" "--ioengine=libaio --iodepth=16" \
	 "--ioengine=libaio --iodepth=32 --iodepth_batch_submit=8 --iodepth_batch_complete_min=8" \
	 "--ioengine=libaio --iodepth=4 --fsync=2 --rw=randwrite"; do
	n=$((n + 1))
	# shellcheck disable=SC2086
	sbs d$n --name=a --filename=f --size=4m --direct=1 --rw=randread $a
	sbs_cmp d$n '
a, b = f["jobs"][0], i["jobs"][0]
for k in ("iodepth_submit", "iodepth_complete"):
    assert list(a[k]) == list(b[k]), (k, list(a[k]), list(b[k]))
    fa = [round(v) for v in a[k].values()]
    fb = [round(v) for v in b[k].values()]
    # the bucket most calls fall in, and (submissions) the whole map
    assert fa.index(max(fa)) == fb.index(max(fb)), (k, fa, fb)
    assert k == "iodepth_complete" or fa == fb, (k, fa, fb)
print("%s: submit %s complete %s (as fio)" % (sys.argv[3], fb, [round(v) for v in b["iodepth_complete"].values()]))' 2>&1 | sed "s|^|$a: |"
done
"$IOLAB" --headless --name=a --filename="$T/f" --size=256k --ioengine=libaio --iodepth=8 \
	--iodepth_batch_submit=8 >"$T/normal" 2>&1 || fail "normal output run failed"
grep -q '^     submit    : 0=0.0%, 4=[0-9.]*%, 8=' "$T/normal" || fail "no submit line: $(cat "$T/normal")"
grep -q '^     complete  : 0=' "$T/normal" || fail "no complete line: $(cat "$T/normal")"
echo "ok: iodepth_submit/iodepth_complete as fio writes them"
