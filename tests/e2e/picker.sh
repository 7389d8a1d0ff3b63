#!/bin/sh
# The profile picker: P on the dashboard lists the shipped profiles with
# their descriptions (as --list-profiles prints them) and the selected one's
# opening comment; Enter loads it on its scratch file in $TMPDIR and opens
# the editor on its job (its rw= shown); F4 in the editor opens the picker
# and Esc goes back to the editor; a resize to 80x24 keeps list and pane;
# q exits 0 with the terminal restored.
. "$(dirname "$0")/lib.inc"

PICK=wal-writer
PFILE=$ROOT/profiles/$PICK.fio
[ -f "$PFILE" ] || skip "no profiles/$PICK.fio in this tree"
"$IOLAB" --list-profiles >"$T/list.txt" || fail "iolab --list-profiles failed"
# "  name   description" rows
grep -E '^  [a-z0-9-]+  +[A-Z0-9]' "$T/list.txt" >"$T/rows.txt"
[ "$(wc -l <"$T/rows.txt")" -ge 12 ] || fail "fewer than 12 profiles listed: $(cat "$T/list.txt")"
want_rw=$(sed -n 's/^rw=\([a-z]*\).*/\1/p' "$PFILE" | head -n 1)
[ -n "$want_rw" ] || fail "$PFILE sets no rw="
# a line of its opening comment, as the pane shows it
comment=$(sed -n '4s/^# //p' "$PFILE" | cut -c1-40)

pane_start 120 40
pane_run "$IOLAB; echo EXIT=\$?"
wait_re '^Job +State' 15
tm send-keys P
wait_for ' Profiles ' 5
wait_re '─ profiles/[a-z0-9-]+\.fio \(1 of [0-9]+\)' 5

# every profile that fits on the screen: its name and its description
# (the first 50 characters; the list is cut at the pane's width)
shown=0
while read -r name desc; do
	d=$(printf '%s' "$desc" | cut -c1-50)
	if capture | grep -qE "^ $name +"; then
		capture | grep -F -- "$d" | grep -qE "^ $name +" ||
			fail "profile $name is listed without its description '$d'"
		shown=$((shown + 1))
	fi
done <"$T/rows.txt"
[ "$shown" -ge 10 ] || fail "only $shown profiles with descriptions on a 120x40 screen"
echo "profiles shown with descriptions: $shown"

# move down to the profile; the pane follows the selection
n=0
until capture | grep -qF "profiles/$PICK.fio ("; do
	n=$((n + 1))
	[ "$n" -gt 40 ] && fail "could not select $PICK"
	tm send-keys Down
	sleep 0.1
done
wait_for "$comment" 5

# a resize keeps the list and the pane
tm resize-window -x 80 -y 24
wait_for "profiles/$PICK.fio (" 5
capture | grep -qE "^ $PICK +" || fail "$PICK not in the list at 80x24"
capture | grep -q 'EnterLoad' || fail "no footer at 80x24"
tm resize-window -x 120 -y 40
wait_for "$comment" 5

# Enter: the editor on the profile's job, retargeted to the scratch file
tm send-keys Enter
wait_for "Edit job '$PICK'" 5
wait_re "^ +rw +$want_rw( |\$)" 5
tm send-keys Escape
wait_re "^$PICK +P " 5
wait_for "iolab-$PICK" 5

# F4 in the editor opens the picker; Esc goes back to the editor
tm send-keys F2
wait_for "Edit job '$PICK'" 5
tm send-keys F4
wait_for ' Profiles ' 5
tm send-keys Escape
wait_for "Edit job '$PICK'" 5
tm send-keys Escape
wait_re "^$PICK +P " 5

tm send-keys q
wait_for 'EXIT=0' 10
check_restored
echo "ok"
