#!/bin/sh
# The settings file in the workbench (docs/settings.md), at 80x24, with
# HOME and XDG_CONFIG_HOME in this test's scratch directory:
#  - latency_pane = heatmap opens the latency pane as the heat map;
#  - graph_window = 5m opens the graphs on a 5 minute window;
#  - colour = mono draws no colour, though the terminal has 256; 8 only
#    the basic palette; 256 colours even under NO_COLOR;
#  - F8 offers [diagnose] scratch_dir and step_runtime;
#  - mouse = off asks the terminal for no mouse events (tmux's
#    mouse_any_flag stays 0), mouse = on asks for them;
#  - sample_interval = 250ms is the sampler's tick, and [record] dir gets
#    a recording of the run started with F5 (header to trailer) whose
#    header says tick_ms 250; the footer names it at 80 columns, and iolab
#    says where on leaving.
. "$(dirname "$0")/lib.inc"

export HOME="$T/home" XDG_CONFIG_HOME="$T/xdg"
mkdir -p "$HOME" "$XDG_CONFIG_HOME/iolab" "$T/rec"
cat >"$XDG_CONFIG_HOME/iolab/iolab.conf" <<EOF
[workbench]
sample_interval = 250ms
graph_window = 5m
colour = mono
mouse = off
latency_pane = heatmap
[record]
dir = $T/rec
EOF
cat >"$T/short.fio" <<'JOB'
[short]
ioengine=null
rw=randread
bs=4k
size=1g
time_based=1
runtime=2
rate_iops=2000
JOB

pane_start 80 24
pane_run "clear; TERM=xterm-256color $IOLAB $T/short.fio 2>$T/stderr; echo EXIT=\$?"
wait_for 'window 5m' 10
wait_for 'eat map' 5
[ "$(tm display -p '#{mouse_any_flag}')" = 0 ] || fail "mouse = off, yet iolab asked for mouse events"
if capture_e=$(tm capture-pane -p -e) && printf '%s' "$capture_e" | grep -q "$(printf '\033')\[[0-9;]*\(3[0-7]\|38;5\|4[0-7]\|48;5\)[;m]"; then
	fail "colour = mono, yet the screen has colours"
fi
tm send-keys F5
wait_for 'started, recording iolab-' 5
wait_for 'all jobs done' 20
tm send-keys q
wait_gone 'window 5m' 10
wait_for 'EXIT=0' 10
grep -q "1 recording in $T/rec" "$T/stderr" || { cat "$T/stderr"; fail "no note of the recording on leaving"; }
n=$(ls "$T/rec" | wc -l)
[ "$n" -eq 1 ] || { ls -l "$T/rec"; fail "one run left $n recordings"; }
python3 - "$T/rec"/*.jsonl <<'PY' || fail "the workbench's recording is not whole"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
h = lines[0]
assert h["type"] == "header" and h["tick_ms"] == 250, (h["type"], h.get("tick_ms"))
ticks = [l for l in lines if l["type"] == "tick"]
assert len(ticks) >= 4, len(ticks)
assert lines[-1]["type"] == "trailer", lines[-1]["type"]
print("ok: %d ticks at 250 ms" % len(ticks))
PY

# mouse = on (the default) asks for them; colour = auto draws colour
printf '[workbench]\nmouse = on\n' >"$XDG_CONFIG_HOME/iolab/iolab.conf"
pane_run "clear; TERM=xterm-256color $IOLAB $T/short.fio; echo EXIT=\$?"
wait_for 'window 1m' 10
[ "$(tm display -p '#{mouse_any_flag}')" = 1 ] || fail "mouse = on, yet no mouse events asked for"
tm capture-pane -p -e | grep -q "$(printf '\033')\[[0-9;]*38;5" || fail "colour = auto drew no colour"
tm send-keys q
wait_for 'EXIT=0' 10
[ "$(ls "$T/rec" | wc -l)" -eq 1 ] || fail "a run without [record] dir recorded"

# colour = 8: the basic palette only; F8 offers [diagnose]'s dir and step
mkdir -p "$T/diagdir"
printf '[workbench]\ncolour = 8\n[diagnose]\nscratch_dir = %s\nstep_runtime = 1500ms\n' \
	"$T/diagdir" >"$XDG_CONFIG_HOME/iolab/iolab.conf"
pane_run "clear; TERM=xterm-256color $IOLAB $T/short.fio; echo EXIT=\$?"
wait_for 'window 1m' 10
esc=$(printf '\033')
tm capture-pane -p -e | grep -q "$esc\[[0-9;]*3[0-7]m" || fail "colour = 8 drew no colour"
tm capture-pane -p -e | grep -q "$esc\[[0-9;]*38;5" && fail "colour = 8 drew from the 256 palette"
tm send-keys F8
wait_for "Target    $T/diagdir" 5
wait_re 'Runtime +1\.5 ' 5
tm send-keys Escape q
wait_for 'EXIT=0' 10

# colour = 256 beats NO_COLOR (the user's own setting, as no-color.org says)
printf '[workbench]\ncolour = 256\n' >"$XDG_CONFIG_HOME/iolab/iolab.conf"
pane_run "clear; NO_COLOR=1 TERM=xterm-256color $IOLAB $T/short.fio; echo EXIT=\$?"
wait_for 'window 1m' 10
tm capture-pane -p -e | grep -q "$esc\[[0-9;]*38;5" || fail "colour = 256 under NO_COLOR drew no colour"
tm send-keys q
wait_for 'EXIT=0' 10
echo "ok: the workbench follows the settings"
