#!/bin/sh
# Write buffer contents side by side with fio 3.33: each case writes (or
# lays out) a 1 MiB scratch file (4 MiB where a dedupe share is measured, for the statistics) with fio and with iolab under the same
# options, then compares how the two files compress (gzip and xz ratios,
# within 0.03) and deduplicate (share of distinct 4k blocks, within 0.05;
# share of all-zero blocks, within 0.02). Covers zero_buffers,
# refill_buffers, scramble_buffers (fio's default stamping), and
# buffer_compress_percentage/_chunk alone and with dedupe, buffer_pattern,
# verify, bsrange, reads and layout. None of them may warn "no effect".
. "$(dirname "$0")/common.inc"
need_fio
python3 -c 'import lzma, zlib' 2>/dev/null || skip "python3 lacks the lzma or zlib module"

# measure FILE: "gzip xz distinct zero" ratios of FILE
measure() {
	python3 - "$1" <<'PY'
import lzma, sys, zlib
d = open(sys.argv[1], 'rb').read()
n = len(d) // 4096
if not n:
    sys.exit("empty file")
blocks = [d[i * 4096:(i + 1) * 4096] for i in range(n)]
zero = bytes(4096)
print("%.4f %.4f %.4f %.4f" % (len(zlib.compress(d, 6)) / len(d),
                               len(lzma.compress(d, preset=1)) / len(d),
                               len(set(blocks)) / n,
                               sum(b == zero for b in blocks) / n))
PY
}

# case NAME EXPECT ARGS...: fio and iolab with ARGS on $T/NAME.{fio,iolab};
# their measures must agree within the bands, and iolab's must satisfy
# EXPECT, a python expression over g, x, u, z (gzip, xz, distinct, zero)
# that says the option had its effect.
case_() {
	n=$1 want=$2
	shift 2
	(cd "$T" && timeout 120 fio --name="$n" --filename="$T/$n.fio" --size=1m --bs=4k \
		--ioengine=psync "$@" >"$T/$n.fio.out" 2>&1) ||
		{ cat "$T/$n.fio.out"; fail "$n: fio failed"; }
	run_iolab --headless --name="$n" --filename="$T/$n.iolab" --size=1m --bs=4k \
		--ioengine=psync "$@"
	[ $rc -eq 0 ] || { cat "$T/err"; fail "$n: iolab exit $rc"; }
	grep -qi "no effect\|accepted for fio compat" "$T/err" &&
		fail "$n: iolab warns about an option it implements: $(cat "$T/err")"
	f=$(measure "$T/$n.fio") && i=$(measure "$T/$n.iolab") || fail "$n: no file to measure"
	python3 - "$n" "$f" "$i" "$want" <<'PY' || exit 1
import sys
name, f, i, want = sys.argv[1], sys.argv[2].split(), sys.argv[3].split(), sys.argv[4]
f = [float(v) for v in f]
i = [float(v) for v in i]
bands = (("gzip", 0.03), ("xz", 0.03), ("distinct 4k blocks", 0.05), ("zero 4k blocks", 0.02))
print("%-10s fio: gzip %.3f xz %.3f distinct %.3f zero %.3f" % (name, *f))
print("%-10s iolab:     %.3f    %.3f          %.3f      %.3f" % ("", *i))
for k, (what, band) in enumerate(bands):
    if abs(f[k] - i[k]) > band:
        sys.exit("FAIL: %s: %s ratio %.3f, fio's %.3f (band %.2f)" % (name, what, i[k], f[k], band))
g, x, u, z = i
if not eval(want):
    sys.exit("FAIL: %s: iolab's file does not show the option (%s is false)" % (name, want))
PY
}

# fio's default stamps every 512-byte block: no two 4k blocks alike
case_ default "u > 0.99 and g < 0.1" --rw=write
case_ noscramble "u < 0.01" --rw=write --scramble_buffers=0
case_ zero "z == 1" --rw=write --zero_buffers
# given together, fio stamps the zeros
case_ zeroscr "z == 0 and u > 0.99" --rw=write --zero_buffers --scramble_buffers=1
case_ refill "g > 0.98 and u > 0.99" --rw=write --refill_buffers
case_ c50 "0.45 < g < 0.56" --rw=write --buffer_compress_percentage=50
case_ c30chunk "0.65 < g < 0.76" --rw=write --buffer_compress_percentage=30 \
	--buffer_compress_chunk=4k
case_ c100 "z == 1" --rw=write --buffer_compress_percentage=100
case_ c70dd40 "0.14 < g < 0.24 and 0.5 < u < 0.7" --rw=write \
	--buffer_compress_percentage=70 --dedupe_percentage=40 --size=4m
case_ c50pat "0.45 < g < 0.56 and z == 0" --rw=write --buffer_compress_percentage=50 \
	--buffer_pattern=0xdeadbeef
case_ c40bsr "0.55 < g < 0.66" --rw=write --bsrange=4k-64k --buffer_compress_percentage=40
# filled once, then stamped no more (compress given): the buffer repeats
case_ c50once "u < 0.01" --rw=write --buffer_compress_percentage=50 --refill_buffers=0
# dedupe_percentage=0 given: fio refills every write with random data
case_ dedupe0 "g > 0.98" --rw=write --dedupe_percentage=0
# scramble_buffers=1 after buffer_pattern: fio stamps the pattern
case_ patscr "u > 0.99 and g < 0.1" --rw=write --buffer_pattern=0xab --scramble_buffers=1
# verify writes its own contents over the zeros
case_ verify "z == 0 and g > 0.9" --rw=write --verify=crc32c --zero_buffers
# the file is laid out with the job's contents, then read or mixed
case_ layzero "z == 1" --rw=read --zero_buffers
case_ layc60 "0.35 < g < 0.46" --rw=read --buffer_compress_percentage=60
case_ rwzero "z == 1" --rw=randrw --zero_buffers

# the help lists each option, with its text
run_iolab --cmdhelp
for o in zero_buffers refill_buffers scramble_buffers buffer_compress_percentage \
	buffer_compress_chunk; do
	grep -q "^  $o  .*[a-z]" "$T/out" || fail "--cmdhelp does not list $o with its help"
done
exit 0
