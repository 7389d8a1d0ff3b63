#!/bin/sh
# iolab --diagnose takes the job options a user would expect: one the
# battery does not set itself (inject_delay) reaches every step: no I/O
# completes in under 2 ms; one it sets (bs) is refused
# saying why; a misspelt one gets a suggestion; a bad value names itself.
. "$(dirname "$0")/common.inc"

run_iolab --diagnose "$T/scratch" --runtime=0.3 --size=16m --inject_delay=2ms --output-format=json
[ $rc -eq 0 ] || { cat "$T/err"; fail "--inject_delay=2ms: exit status $rc"; }
python3 - "$T/out" <<'PY' || fail "inject_delay did not reach the steps"
import json, sys
d = json.load(open(sys.argv[1]))["diagnosis"]
done = [s for s in d["steps"] if s["status"] == "done"]
assert len(done) >= 5, [(s["name"], s["status"]) for s in d["steps"]]
for s in done:
    assert s["lat_min_us"] >= 2000, (s["name"], s["lat_min_us"])
print("ok: every I/O of %d steps took at least 2 ms" % len(done))
PY
[ ! -e "$T/scratch" ] || fail "the scratch file was left behind"

run_iolab --diagnose "$T/scratch" --bs=4k
[ $rc -eq 2 ] || fail "--bs=4k: exit status $rc, want 2"
grep -q 'diagnose sets bs itself' "$T/err" || { cat "$T/err"; fail "no reason for refusing --bs"; }
run_iolab --diagnose "$T/scratch" --inject_dely=2ms
[ $rc -eq 2 ] || fail "--inject_dely: exit status $rc, want 2"
grep -q 'did you mean --inject_delay' "$T/err" || { cat "$T/err"; fail "no suggestion for --inject_dely"; }
run_iolab --diagnose "$T/scratch" --inject_delay=soon
[ $rc -eq 2 ] || fail "--inject_delay=soon: exit status $rc, want 2"
grep -q -- "--inject_delay=soon: 'soon' is not a time" "$T/err" || { cat "$T/err"; fail "no reason for a bad value"; }
# what only a whole job can tell is refused before the scratch file is made
nocpu=$(getconf _NPROCESSORS_CONF) # CPUs are numbered from 0: this one is not there
run_iolab --diagnose "$T/scratch" --cpus_allowed="$nocpu"
[ $rc -eq 2 ] || fail "--cpus_allowed=$nocpu: exit status $rc, want 2"
grep -q "cpus_allowed=$nocpu: CPU $nocpu is not on this machine" "$T/err" || { cat "$T/err"; fail "no reason for refusing --cpus_allowed"; }
grep -q 'preparing a scratch file' "$T/err" && fail "--cpus_allowed=$nocpu: refused only after the scratch file"
run_iolab --diagnose "$T/scratch" --ioengine=exec
[ $rc -eq 2 ] || fail "--ioengine=exec: exit status $rc, want 2"
grep -q 'engine that reads and writes it' "$T/err" || { cat "$T/err"; fail "no reason for refusing --ioengine=exec"; }
[ ! -e "$T/scratch" ] || fail "a refused diagnose left a scratch file"
echo "ok: diagnose job options"
