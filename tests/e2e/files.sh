#!/bin/sh
# Files and linked options in the editor, at 80x24 and 120x40: a path
# that does not exist says "no such file" (not "unknown profile"); F9
# offers the file the jobs were loaded from (at start, and after loading
# another one from the editor); saving over an existing file
# asks first (Cancel leaves it as it was, Replace writes it); rwmixread 90
# shows rwmixwrite 10 at once.
. "$(dirname "$0")/lib.inc"

for size in 80x24 120x40; do
	SOCK=iolab-e2e-$$-$size # a server of its own for each size
	mkdir -p "$T/$size"
	cat >"$T/$size/mix.fio" <<'JOB'
[mix]
ioengine=null
rw=randrw
rwmixread=70
bs=4k
size=1m
JOB
	cp "$T/$size/mix.fio" "$T/$size/orig.fio"
	pane_start "${size%x*}" "${size#*x}"
	pane_run "cd $T/$size && $IOLAB mix.fio; echo EXIT=\$?"
	wait_re '^mix +' 15
	tm send-keys F2
	wait_for "Edit job 'mix'" 5
	# linked options
	tm send-keys / r w m i x r e a d Enter
	wait_for '─ rwmixread' 5
	tm send-keys Enter C-u 9 0 Enter
	wait_re 'rwmixread +90 ' 5
	tm send-keys Down
	wait_re 'rwmixwrite +10 ' 5
	# a missing file
	tm send-keys C-o
	wait_for 'Load jobs' 5
	tm send-keys n o p e . f i o Enter
	wait_for 'nope.fio: no such file' 5
	capture | grep -q 'unknown profile' && fail "$size: a missing file read as a profile"
	tm send-keys Enter
	wait_gone 'Cannot load' 5
	# F9 offers the loaded file; it exists: asked, cancelled, unchanged
	tm send-keys F9
	wait_for 'Save as fio job file' 5
	wait_re '│ mix\.fio +│' 5
	tm send-keys Enter
	wait_for 'mix.fio already exists.' 5
	wait_for 'Replace it?' 5
	tm send-keys Escape
	wait_for 'not saved' 5
	cmp -s "$T/$size/mix.fio" "$T/$size/orig.fio" || fail "$size: cancelled save changed the file"
	# again, replacing it: the edit is in the file
	tm send-keys F9
	wait_for 'Save as fio job file' 5
	tm send-keys Enter
	wait_for 'Replace it?' 5
	tm send-keys Enter
	wait_for 'saved 1 job to mix.fio' 5
	grep -q '^rwmixread=90' "$T/$size/mix.fio" || fail "$size: saved file lacks rwmixread=90"
	# another file loaded from the editor: F9 offers that one now
	printf '[other]\nioengine=null\nrw=read\nbs=4k\nsize=1m\n' >"$T/$size/other.fio"
	tm send-keys C-o
	wait_for 'Load jobs' 5
	tm send-keys -l "$T/$size/other.fio"
	tm send-keys Enter
	wait_for "Edit job 'other'" 5
	tm send-keys F9
	wait_for 'Save as fio job file' 5
	wait_for 'other.fio' 5
	capture | grep -q '│ mix\.fio' && fail "$size: F9 still offers mix.fio after loading other.fio"
	tm send-keys Escape
	wait_gone 'Save as fio job file' 5
	tm send-keys Escape
	wait_re '^other +' 5
	tm send-keys q
	wait_for 'EXIT=0' 10
	tm kill-server
	echo "$size ok"
done
echo "ok"
