#!/bin/sh
# The engines that need no special hardware, side by side with fio 3.33 on
# the same job files (tests/jobs/nohw_*.fio, fio's examples in small): the
# same jobs and groups, the same bytes, I/O counts and latency sample counts
# (clat one a file for the metadata engines, no lat), the same JSON sections,
# and the same files created, stat'ed and deleted. Time-based jobs compare
# by shape: which directions moved, samples per I/O. Each tool runs in its
# own directory under $T.
. "$(dirname "$0")/common.inc"
need_fio
fio --version 2>/dev/null | grep -q '^fio-3\.33' || skip "fio 3.33 needed, found $(fio --version)"

# run NAME: both tools on tests/jobs/nohw_NAME.fio, in $T/iolab.NAME and
# $T/fio.NAME, JSON in $T/NAME.iolab.json and $T/NAME.fio.json
run() {
	job=$ROOT/tests/jobs/nohw_$1.fio
	mkdir -p "$T/iolab.$1" "$T/fio.$1"
	(cd "$T/iolab.$1" && NOHW_DIR=$PWD timeout 120 "$IOLAB" --headless --output-format=json \
		--output="$T/$1.iolab.json" "$job" >"$T/$1.iolab.out" 2>"$T/$1.iolab.err") ||
		{ cat "$T/$1.iolab.err"; fail "$1: iolab exited $?"; }
	(cd "$T/fio.$1" && NOHW_DIR=$PWD timeout 120 fio --output-format=json \
		--output="$T/$1.fio.json" "$job" >"$T/$1.fio.out" 2>"$T/$1.fio.err") ||
		{ cat "$T/$1.fio.err"; fail "$1: fio exited $?"; }
}

# compare NAME exact|shape: the two JSON reports, job by job
compare() {
	python3 - "$T/$1.iolab.json" "$T/$1.fio.json" "$1" "$2" <<'PY' || fail "$1: iolab and fio differ (above)"
import json, sys
a, b = (json.load(open(p))['jobs'] for p in sys.argv[1:3])
name, mode = sys.argv[3], sys.argv[4]
bad = []
def chk(cond, what):
    if not cond:
        bad.append(what)
chk(len(a) == len(b), 'jobs: iolab %d, fio %d' % (len(a), len(b)))
for ja, jb in zip(a, b):
    j = ja['jobname']
    chk(j == jb['jobname'], 'job name %s vs %s' % (j, jb['jobname']))
    chk(ja['groupid'] == jb['groupid'], '%s: group %s vs %s' % (j, ja['groupid'], jb['groupid']))
    chk(ja['error'] == 0 and jb['error'] == 0, '%s: error %s vs %s' % (j, ja['error'], jb['error']))
    for d in ('read', 'write', 'trim'):
        sa, sb = ja[d], jb[d]
        chk(set(sa) == set(sb), '%s %s: JSON keys differ: %s' % (j, d, set(sa) ^ set(sb)))
        chk(set(sa['clat_ns']) == set(sb['clat_ns']), '%s %s: clat_ns keys differ' % (j, d))
        moved = lambda s: s['total_ios'] > 0
        chk(moved(sa) == moved(sb), '%s %s: I/Os %d vs %d' % (j, d, sa['total_ios'], sb['total_ios']))
        if not moved(sa) or not moved(sb):
            continue
        for lat in ('clat_ns', 'lat_ns', 'slat_ns'):
            # per I/O, per file, or none: the same ratio of samples to I/Os
            ra = sa[lat]['N'] / sa['total_ios']
            rb = sb[lat]['N'] / sb['total_ios']
            chk(abs(ra - rb) < 0.02, '%s %s: %s N/ios %.3f vs %.3f' % (j, d, lat, ra, rb))
        if mode == 'exact':
            for k in ('io_bytes', 'total_ios', 'short_ios'):
                chk(sa[k] == sb[k], '%s %s: %s %s vs %s' % (j, d, k, sa[k], sb[k]))
            for lat in ('clat_ns', 'lat_ns', 'slat_ns'):
                chk(sa[lat]['N'] == sb[lat]['N'], '%s %s: %s N %d vs %d' %
                    (j, d, lat, sa[lat]['N'], sb[lat]['N']))
        else:
            chk((sa['io_bytes'] > 0) == (sb['io_bytes'] > 0),
                '%s %s: bytes %d vs %d' % (j, d, sa['io_bytes'], sb['io_bytes']))
for x in bad:
    print('%s: %s' % (name, x))
sys.exit(1 if bad else 0)
PY
}

# files NAME PATTERN: how many files PATTERN matches in each tool's directory,
# and of which sizes, the same
files() {
	ia=$(cd "$T/iolab.$1" && find . -maxdepth 1 -type f -name "$2" -printf '%s\n' | sort | uniq -c)
	fa=$(cd "$T/fio.$1" && find . -maxdepth 1 -type f -name "$2" -printf '%s\n' | sort | uniq -c)
	[ "$ia" = "$fa" ] || fail "$1: files $2 (count size): iolab [$ia], fio [$fa]"
	echo "$ia"
}

# metadata: 16 x 200 files created empty, 6 x 200 files laid out and
# stat'ed, 6 x 200 laid out and deleted
run filecreate
compare filecreate exact
[ "$(files filecreate 't*.0.*' | tr -s ' ')" = " 3200 0" ] || fail "filecreate: not 3200 empty files"
run filestat
compare filestat exact
[ "$(files filestat 't*.0.*' | tr -s ' ')" = " 1200 4096" ] || fail "filestat: not 1200 files of 4 KiB"
run filedelete
compare filedelete exact
[ -z "$(files filedelete 't*.0.*')" ] || fail "filedelete: files left behind"
# every sample of the metadata engines is a completion latency, one a file
for e in filecreate filestat filedelete; do
	n=$(json_get "$T/$e.iolab.json" "sum(j['read']['clat_ns']['N'] for j in d['jobs'])")
	l=$(json_get "$T/$e.iolab.json" "sum(j['read']['lat_ns']['N'] for j in d['jobs'])")
	case $e in filecreate) want=3200 ;; *) want=1200 ;; esac
	[ "$n" = "$want" ] && [ "$l" = 0 ] || fail "$e: clat N $n (want $want), lat N $l (want 0)"
done

# fio's per-I/O logs: one clat line a file, and nothing in the bw, iops,
# lat and slat logs, as fio writes them
for tool in iolab fio; do
	mkdir -p "$T/logs.$tool"
	(cd "$T/logs.$tool" && if [ $tool = iolab ]; then bin=$IOLAB; else bin=fio; fi &&
		$bin --name=t0 --ioengine=filecreate --nrfiles=7 --filesize=8k --write_lat_log=x \
		--write_bw_log=x --write_iops_log=x --output=out.txt >/dev/null 2>&1) ||
		fail "filecreate with logs: $tool failed"
	(cd "$T/logs.$tool" && wc -l x_*.log | grep -v total | awk '{print $2, $1}' | sort) >"$T/logs.$tool.wc"
done
cmp -s "$T/logs.iolab.wc" "$T/logs.fio.wc" ||
	fail "filecreate logs (file lines): iolab [$(tr '\n' ' ' <"$T/logs.iolab.wc")], fio [$(tr '\n' ' ' <"$T/logs.fio.wc")]"
grep -q "x_clat.1.log 7" "$T/logs.iolab.wc" || fail "filecreate: not 7 clat log lines: $(cat "$T/logs.iolab.wc")"

# --dry-run says the metadata files are made by the run, and makes none
mkdir -p "$T/dry"
(cd "$T/dry" && NOHW_DIR=$PWD "$IOLAB" --dry-run "$ROOT/tests/jobs/nohw_filecreate.fio" >"$T/dry.out" 2>&1) ||
	fail "filecreate --dry-run: $(cat "$T/dry.out")"
grep -q "t0.0.0: does not exist; created by the run, not laid out; timed: one filecreate" "$T/dry.out" ||
	fail "filecreate --dry-run does not say what the run does: $(head -3 "$T/dry.out")"
[ -z "$(ls "$T/dry")" ] || fail "filecreate --dry-run created files"

# posixaio and pvsync2 move data as psync does: bytes and counts exactly
run posixaio
compare posixaio exact
run pvsync2
compare pvsync2 exact

# falloc, ftruncate, cpuio are time based: the same jobs, groups and shape;
# the untimed phases of falloc.fio move the same bytes
run falloc
compare falloc shape
for k in 1 2; do
	ib=$(json_get "$T/falloc.iolab.json" "[j['write']['io_bytes'] + j['read']['io_bytes'] for j in d['jobs']][$k]")
	fb=$(json_get "$T/falloc.fio.json" "[j['write']['io_bytes'] + j['read']['io_bytes'] for j in d['jobs']][$k]")
	[ "$ib" = "$fb" ] || fail "falloc: group $k moved $ib bytes in iolab, $fb in fio"
done
run ftruncate
compare ftruncate shape
run cpuio
compare cpuio shape
b=$(json_get "$T/cpuio.iolab.json" "sum(j['read']['io_bytes'] for j in d['jobs'])")
[ "$b" = 0 ] || fail "cpuio moved $b bytes"
exit 0
