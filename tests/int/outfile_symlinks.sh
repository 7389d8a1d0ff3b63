#!/bin/sh
# Symlinks planted by another user in a shared (sticky, world-writable)
# directory are never written through, with the kernel's own guard out of
# the way (the directory is owned by the links' owner, so the kernel follows
# them whatever fs.protected_symlinks says; the test never changes that
# global setting, which concurrent test runs would race on): --diagnose DIR's scratch
# file, the default job's and a profile's scratch file, --output's temporary,
# and a log name derived from write_bw_log. Scratch files are removed after.
# Needs root (sysctl, chown); skips otherwise.
. "$(dirname "$0")/common.inc"

[ "$(id -u)" = 0 ] || skip "not root: cannot plant links as another user"

SH_DIR=$T/shared
mkdir "$SH_DIR" && chmod 1777 "$SH_DIR" && chown 65534:65534 "$SH_DIR" ||
	fail "cannot make the shared directory"
python3 -c 'import sys; open(sys.argv[1], "w").write("precious\n" * 512)' "$T/victim"
cp "$T/victim" "$T/victim.orig"

# plant NAME: a link $SH_DIR/NAME -> victim, owned by nobody (uid 65534)
plant() {
	ln -s "$T/victim" "$SH_DIR/$1" && chown -h 65534:65534 "$SH_DIR/$1" || fail "cannot plant $1"
}
intact() {
	cmp -s "$T/victim" "$T/victim.orig" || fail "$1: wrote through the planted link"
}

plant iolab-diagnose.dat
run_iolab --diagnose "$SH_DIR" --runtime=0.1 --size=16m --ioengine=psync
[ $rc -eq 0 ] || { cat "$T/err"; fail "--diagnose DIR: exit $rc"; }
intact "--diagnose DIR"
ls "$SH_DIR" | grep -v '^iolab-diagnose.dat$' | grep -q iolab-diagnose &&
	fail "--diagnose DIR: scratch file left behind: $(ls "$SH_DIR")"
echo "ok: --diagnose DIR"

plant iolab-default.dat
TMPDIR=$SH_DIR run_iolab --headless --runtime=1 --size=1m --output-format=json
[ $rc -eq 0 ] || { cat "$T/err"; fail "default job: exit $rc"; }
intact "default job"
[ "$(json_get "$T/out" 'd["jobs"][0]["write"]["io_bytes"] > 0')" = True ] || fail "default job: no I/O"
ls "$SH_DIR" | grep -v '^iolab-default.dat$' | grep -q iolab-default &&
	fail "default job: scratch file left behind: $(ls "$SH_DIR")"
echo "ok: default job"

plant iolab-randread-4k-qd1.dat
TMPDIR=$SH_DIR run_iolab --headless --profile randread-4k-qd1 --runtime=1 --size=1m
[ $rc -eq 0 ] || { cat "$T/err"; fail "profile: exit $rc"; }
intact "profile randread-4k-qd1"
ls "$SH_DIR" | grep -v '^iolab-randread-4k-qd1.dat$' | grep -q iolab-randread &&
	fail "profile: scratch file left behind: $(ls "$SH_DIR")"
echo "ok: profile scratch file"

cat >"$T/job.fio" <<'JOB'
[w]
ioengine=null
rw=write
bs=4k
size=1m
JOB
# --output's temporary: the link sits at the name the old code used
# (FILE.tmp.PID); exec keeps the shell's pid for iolab
timeout 60 sh -c 'ln -s "$1/victim" "$1/shared/res.json.tmp.$$" && chown -h 65534 "$1/shared/res.json.tmp.$$" &&
	exec "$2" --headless --output-format=json --output="$1/shared/res.json" "$3"' sh "$T" "$IOLAB" "$T/job.fio" \
	>"$T/out" 2>"$T/err"
rc=$?
[ $rc -eq 0 ] || { cat "$T/err"; fail "--output in a shared directory: exit $rc"; }
intact "--output's temporary"
json_get "$SH_DIR/res.json" 'd["jobs"][0]["write"]["io_bytes"]' >/dev/null || fail "--output file incomplete"
echo "ok: --output's temporary"

plant lg_bw.1.log
run_iolab --headless --write_bw_log="$SH_DIR/lg" "$T/job.fio"
[ $rc -eq 1 ] || { cat "$T/err"; fail "write_bw_log through a planted link: exit $rc, want 1"; }
grep -q 'symbolic link in a world-writable directory' "$T/err" || { cat "$T/err"; fail "write_bw_log: no reason"; }
intact "write_bw_log"
echo "ok: a derived log name is not followed"

# a hard link to the victim at a derived name (fs.protected_hardlinks=0
# lets anyone make one to a file they cannot write): not truncated
ln "$T/victim" "$SH_DIR/hl_bw.1.log" || fail "cannot plant a hard link"
run_iolab --headless --write_bw_log="$SH_DIR/hl" "$T/job.fio"
[ $rc -eq 1 ] || { cat "$T/err"; fail "write_bw_log through a planted hard link: exit $rc, want 1"; }
grep -q 'hard links, in a world-writable directory' "$T/err" || { cat "$T/err"; fail "hard link: no reason"; }
intact "write_bw_log through a hard link"
echo theirs >"$SH_DIR/fo_bw.1.log" && chown 65534 "$SH_DIR/fo_bw.1.log"
run_iolab --headless --write_bw_log="$SH_DIR/fo" "$T/job.fio"
[ $rc -eq 1 ] || { cat "$T/err"; fail "write_bw_log over another user's file: exit $rc, want 1"; }
grep -q 'is owned by uid 65534' "$T/err" || { cat "$T/err"; fail "another user's file: no reason"; }
[ "$(cat "$SH_DIR/fo_bw.1.log")" = theirs ] || fail "another user's file was written"
echo "ok: a hard link or another user's file at a derived log name is refused"
