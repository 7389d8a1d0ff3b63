#!/bin/sh
# The settings file (docs/settings.md), driving the real binary with HOME,
# XDG_CONFIG_HOME and the system path (IOLAB_SYSTEM_SETTINGS, test-only)
# all in this test's scratch directory, never the machine's /etc/iolab or
# the user's ~/.config:
#  - none there: built-ins, exit 0; the user file overrides the system
#    file key by key; --settings FILE reads only FILE; --no-settings none;
#    --show-settings names where each value came from (FILE:LINE);
#  - command line > settings: --status-interval, --runtime, --record,
#    --client=HOST,PORT each beat their setting;
#  - [record] dir: every headless run leaves a valid recording there
#    (header to trailer), one file a run, unique names; --record FILE
#    leaves none there;
#  - [diagnose] step_runtime and scratch_dir reach `iolab --diagnose`;
#  - [client] port reaches --client=HOST (a refused connection names it);
#  - bad files are refused with file, line, section, key and why, and exit
#    1: unknown section, unknown key, bad value, a key set twice, a syntax
#    error, a directory, a device, a FIFO (without blocking), a huge file;
#    a missing file is fine; --help still works with a bad file;
#  - no setting reaches safety: a job option given as a setting is an
#    unknown key; every key --show-settings prints is in docs/settings.md.
. "$(dirname "$0")/common.inc"

export HOME="$T/home" XDG_CONFIG_HOME="$T/xdg" IOLAB_SYSTEM_SETTINGS="$T/system.conf"
mkdir -p "$HOME" "$XDG_CONFIG_HOME/iolab" "$T/rec"
USER_CONF="$XDG_CONFIG_HOME/iolab/iolab.conf"

show() { run_iolab "$@" --show-settings; [ $rc -eq 0 ] || { cat "$T/err"; fail "--show-settings $*: exit $rc"; }; }
# value and origin of KEY in the last --show-settings
val() { sed -n "s/^$1 = \([^ ]*\) *; *\(.*\)\$/\1 \2/p" "$T/out"; }
want() {
	got=$(val "$1")
	[ "$got" = "$2" ] || { cat "$T/out"; fail "$1: got '$got', want '$2'"; }
}

# --- nothing there: built-ins
show
want sample_interval "1s built-in"
want port "8765 built-in"
grep -q "not there" "$T/out" || fail "--show-settings does not say the files are missing"

# --- layers: the user file wins key by key; origins are FILE:LINE
printf '[workbench]\nsample_interval = 2s\nmouse = off\n[client]\nport = 1111\n' >"$T/system.conf"
printf '; mine\n[workbench]\nsample_interval = 250ms\n[record]\ndir = ~/../rec\n' >"$USER_CONF"
show
want sample_interval "250ms $USER_CONF:3"
want mouse "off $T/system.conf:3"
want port "1111 $T/system.conf:5"
want dir "\"$T/home/../rec\" $USER_CONF:5"
# the command line beats both
show --status-interval=500ms
want sample_interval "500ms command line (--status-interval)"
# --settings FILE: that file only
printf '[client]\nport = 2222\n' >"$T/only.conf"
show --settings "$T/only.conf"
want port "2222 $T/only.conf:2"
want sample_interval "1s built-in"
want mouse "on built-in"
# --no-settings: none
show --no-settings
want port "8765 built-in"
want dir '"" built-in'
run_iolab --settings "$T/only.conf" --no-settings --show-settings
[ $rc -eq 1 ] || fail "--settings with --no-settings: exit $rc"

# --- [record] dir: each headless run leaves a recording there
printf '[record]\ndir = %s\n' "$T/rec" >"$USER_CONF"
: >"$T/system.conf"
for i in 1 2; do
	run_iolab --headless --name=r --ioengine=null --rw=randread --bs=4k --size=1m \
		--time_based=1 --runtime=1 --filename="$T/data"
	[ $rc -eq 0 ] || { cat "$T/err"; fail "headless run $i: exit $rc"; }
	grep -q "recording to $T/rec/iolab-" "$T/err" || { cat "$T/err"; fail "run $i did not say where it recorded"; }
done
n=$(ls "$T/rec" | wc -l)
[ "$n" -eq 2 ] || { ls -l "$T/rec"; fail "2 runs left $n recordings"; }
for f in "$T/rec"/*; do
	case $(basename "$f") in iolab-[0-9]*-[0-9]*-??????.jsonl) ;; *) fail "recording name $f" ;; esac
	python3 - "$f" <<'PY' || fail "$f is not a whole recording"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert lines[0]["type"] == "header" and lines[0]["format"] == "iolab-record", lines[0]
assert any(l["type"] == "tick" for l in lines), "no tick"
assert lines[-1]["type"] == "trailer", lines[-1]["type"]
PY
done
# the recording is the user's alone
[ "$(stat -c %a "$f")" = 600 ] || fail "recording mode $(stat -c %a "$f")"
# --record FILE beats the directory
run_iolab --headless --name=r --ioengine=null --size=1m --time_based=1 --runtime=1 \
	--filename="$T/data" --record="$T/named.jsonl"
[ $rc -eq 0 ] || { cat "$T/err"; fail "--record run: exit $rc"; }
[ -s "$T/named.jsonl" ] || fail "--record FILE was not written"
[ "$(ls "$T/rec" | wc -l)" -eq 2 ] || fail "--record FILE also recorded into the settings' dir"
# a directory that went away after the check: refused, nothing runs
printf '[record]\ndir = %s\n' "$T/gone" >"$USER_CONF"
run_iolab --headless --name=r --ioengine=null --size=1m --filename="$T/data"
[ $rc -eq 1 ] || fail "a missing record dir: exit $rc"
grep -q "$USER_CONF:2: \[record\] dir: $T/gone: No such file" "$T/err" || { cat "$T/err"; fail "missing dir message"; }

# --- [diagnose]: step_runtime and scratch_dir; --runtime wins
mkdir -p "$T/diag"
printf '[diagnose]\nstep_runtime = 200ms\nscratch_dir = %s\n' "$T/diag" >"$USER_CONF"
run_iolab --diagnose --size=16m --output-format=json
[ $rc -eq 0 ] || { cat "$T/err"; fail "--diagnose with the settings' dir: exit $rc"; }
[ "$(json_get "$T/out" 'd["diagnosis"]["runtime_s"]')" = 0.2 ] || fail "step_runtime did not reach diagnose"
case $(json_get "$T/out" 'd["diagnosis"]["target"]') in
"$T/diag"*) ;;
*) fail "diagnose's target is not scratch_dir: $(json_get "$T/out" 'd["diagnosis"]["target"]')" ;;
esac
[ -z "$(ls "$T/diag")" ] || fail "diagnose left its scratch file in $T/diag"
run_iolab --diagnose "$T/diag" --runtime=300ms --size=16m --output-format=json
[ $rc -eq 0 ] || { cat "$T/err"; fail "--diagnose --runtime: exit $rc"; }
[ "$(json_get "$T/out" 'd["diagnosis"]["runtime_s"]')" = 0.3 ] || fail "--runtime did not beat step_runtime"

# --- [client] port: a host without a port gets it; HOST,PORT wins
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf '[client]\nport = %s\n' "$port" >"$USER_CONF"
printf '[j]\nioengine=null\nsize=1m\n' >"$T/j.fio"
run_iolab --client=127.0.0.1 --headless "$T/j.fio"
[ $rc -ne 0 ] || fail "--client to a closed port succeeded"
grep -q "127.0.0.1,$port" "$T/err" || { cat "$T/err"; fail "--client=127.0.0.1 did not use the settings' port $port"; }
run_iolab --client=127.0.0.1,"$port" --settings "$USER_CONF" --headless "$T/j.fio"
grep -q "127.0.0.1,$port" "$T/err" || { cat "$T/err"; fail "--settings FILE with --client"; }

# --- bad files: refused with file, line, section, key and why; exit 1
bad() { # TEXT EXPECTED-FRAGMENT...
	printf "$1" >"$USER_CONF"
	shift
	run_iolab --headless --name=x --ioengine=null --size=1m --filename="$T/data-bad"
	[ $rc -eq 1 ] || { cat "$T/err"; fail "bad settings ($*): exit $rc"; }
	for w in "$@"; do
		grep -qF -- "$w" "$T/err" || { cat "$T/err"; fail "message lacks '$w'"; }
	done
	[ ! -e "$T/data-bad" ] || fail "a run went ahead with a bad settings file"
}
bad '[workbench]\nmouse = on\n[colours]\nx = 1\n' "$USER_CONF:3: [colours]" "not a section"
bad '[workbench]\ncolor = mono\n' "$USER_CONF:2: [workbench] color: not a setting" "colour"
bad '[workbench]\nsample_interval = 10ms\n' "$USER_CONF:2: [workbench] sample_interval" "100ms to 1m"
bad '[client]\nport = 99999\n' "$USER_CONF:2: [client] port" "1 to 65535"
bad '[workbench]\nmouse = on\nmouse = off\n' "$USER_CONF:2: [workbench] mouse: set again on line 3"
bad '[workbench]\nwhat is this\n' "$USER_CONF:2: not a [section], key = value"
bad '[record]\ndir = relative\n' "[record] dir" "not an absolute path"
bad '[record]\ndir = /dev/null\n' "[record] dir" "character device"
# settings never reach safety: a job option is no setting
bad '[workbench]\nallow_mounted_write = 1\n' "[workbench] allow_mounted_write: not a setting"
bad 'allow_mounted_write = 1\n' "allow_mounted_write: a key outside any section"
# the system file is judged too
: >"$USER_CONF"
printf '[diagnose]\nstep_runtime = forever\n' >"$T/system.conf"
run_iolab --show-settings
[ $rc -eq 1 ] && grep -qF "$T/system.conf:2: [diagnose] step_runtime" "$T/err" || { cat "$T/err"; fail "bad system file"; }
# ... but not by what prints only the binary's own tables
run_iolab --help
[ $rc -eq 0 ] || fail "--help with a bad settings file: exit $rc"
: >"$T/system.conf"
# files that are no settings file
rm -f "$USER_CONF"; mkdir "$USER_CONF"
run_iolab --show-settings
[ $rc -eq 1 ] && grep -q "$USER_CONF: is a directory" "$T/err" || { cat "$T/err"; fail "a directory as settings"; }
rmdir "$USER_CONF"
mkfifo "$USER_CONF"
run_iolab --show-settings   # must not block on the FIFO (60 s cap)
[ $rc -eq 1 ] && grep -q "$USER_CONF: is a FIFO" "$T/err" || { cat "$T/err"; fail "a FIFO as settings (exit $rc)"; }
rm -f "$USER_CONF"
run_iolab --settings /dev/zero --show-settings
[ $rc -eq 1 ] && grep -q "/dev/zero: is a character device" "$T/err" || { cat "$T/err"; fail "a device as settings"; }
head -c 200000 /dev/zero | tr '\0' ';' >"$USER_CONF"
run_iolab --show-settings
[ $rc -eq 1 ] && grep -q "$USER_CONF: 200000 bytes is too big" "$T/err" || { cat "$T/err"; fail "a huge settings file"; }
rm -f "$USER_CONF"
run_iolab --settings "$T/nope.conf" --show-settings
[ $rc -eq 1 ] && grep -q "$T/nope.conf: cannot read it: No such file" "$T/err" || { cat "$T/err"; fail "--settings of a missing file"; }

# --- every key printed is documented
show --no-settings
for k in $(sed -n 's/^\([a-z_]*\) = .*/\1/p' "$T/out"); do
	grep -q "^$k = \|\`$k\`" "$ROOT/docs/settings.md" || fail "docs/settings.md does not document $k"
done
echo "ok: settings files, precedence, recordings, refusals"
