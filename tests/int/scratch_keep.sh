#!/bin/sh
# Headless, the default job's and a profile's scratch files go when iolab
# exits; --keep keeps them and says where on stderr.
. "$(dirname "$0")/common.inc"

left() { ls "$T" | grep -E '^iolab-.*\.dat$' | tr '\n' ' '; }

run_iolab --headless --runtime=1 --size=1m
[ $rc -eq 0 ] || fail "default job: exit $rc: $(cat "$T/err")"
[ -z "$(left)" ] || fail "default job left $(left)"
run_iolab --headless --profile seqread-1m --runtime=1 --size=2m
[ $rc -eq 0 ] || fail "profile: exit $rc: $(cat "$T/err")"
[ -z "$(left)" ] || fail "profile left $(left)"

run_iolab --headless --keep --runtime=1 --size=1m
[ $rc -eq 0 ] || fail "--keep: exit $rc: $(cat "$T/err")"
f=$(left)
f=${f% }
case "$f" in
iolab-default.*.dat) ;;
*) fail "--keep kept '$f'" ;;
esac
grep -qF "iolab: kept the scratch file $T/$f" "$T/err" || fail "--keep did not say where: $(cat "$T/err")"
[ "$(stat -c %s "$T/$f")" -eq 1048576 ] || fail "kept file is not the job's 1 MiB"
rm -f "$T/$f"
echo "ok"
