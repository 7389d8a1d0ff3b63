/* Help: every key of every screen and what the runstate letters mean
 * (the letters come from runstate_letter(), so they match the table). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "docgen.h"
#include "term.h"

/* The help screen's own state (a->help). */
struct help_state {
	int scroll; /* first line shown */
};

/* key NULL: a heading (text in desc); key "": a continuation line */
static const struct doc_key keys[] = {
	{ NULL, "Everywhere" },
	{ "F1 ?", "this help (again: back)" },
	{ "F2 e", "edit the selected job's options" },
	{ "F3 r", "results of the selected job" },
	{ "F5 s", "start the jobs (or the selected one while others run)" },
	{ "F6 x", "stop the selected job        X  stop all jobs" },
	{ "F7 R", "restart the selected job with its edited options" },
	{ "F4 P", "profile picker: the shipped profiles with what each models" },
	{ "F8 D", "diagnose: a battery of short probes of a disk, with findings" },
	{ "c", "hosts (iolab --client): each server's state, fio version, system, last "
	       "packet; each host's jobs summed, each job across the hosts and All clients, "
	       "p50/p99/p99.9 of their merged latency bins" },
	{ "C", "record the run to a file (again: stop; REC in the header while it records)" },
	{ "q F10", "quit (asks first while jobs run)" },
	{ "Ctrl-C", "stop every job and quit at once (exit status 130)" },
	{ "Ctrl-L", "redraw the screen" },
	{ NULL, "Dashboard" },
	{ "Up Down j k", "select a job" },
	{ "PgUp PgDn Home End", "jobs pane: page, first and last job (rows out of view scroll in)" },
	{ "Tab S-Tab", "move between the panes: jobs, IOPS, bandwidth, latency, device" },
	{ "Left Right h l", "cursor on the focused graph (first press: the newest sample);" },
	{ "", "a tooltip shows the time and every value under it" },
	{ "Esc End", "leave the cursor; the graphs follow live data again" },
	{ "mouse", "pointer over a graph: the same cursor and tooltip; wheel zooms" },
	{ "+ -", "zoom the time axis in / out (10 s .. 24 h)" },
	{ "[ ]", "pan back / forward through the history" },
	{ "a", "graphs of the selected job / of all jobs overlaid" },
	{ "g", "graph cells: braille, blocks, ASCII" },
	{ "H", "latency pane: lines / heat map (time across, latency up on a log scale, cells" },
	{ "", "darker as more of the interval's I/O falls there; p50, p99, p99.9 lines over it;" },
	{ "", "its tooltip lists the latency ranges with their counts and shares)" },
	{ "Enter", "results of the selected job" },
	{ NULL, "Live knobs (while the selected job runs; a marker on the time axis)" },
	{ "d", "iodepth (QD)" },
	{ "b", "block size (bs)" },
	{ "o", "IOPS cap (rate_iops; 0: none)" },
	{ "w", "bandwidth cap (rate, e.g. 10m; 0: none)" },
	{ "m", "read share of a mix (rwmixread)" },
	{ NULL, "Editor" },
	{ "Up Down PgUp PgDn", "move between options" },
	{ "Enter", "edit the value (checked as you type; Enter keeps, Esc restores)" },
	{ "Space Left Right", "toggle a boolean, cycle a choice" },
	{ "/", "find an option by name" },
	{ "n p", "next / previous job" },
	{ "F5 s", "apply and start (refused values block it)" },
	{ "F9 Ctrl-S w", "save every job as a fio job file" },
	{ "F4 P", "pick a shipped profile from a list (replaces the jobs)" },
	{ "Ctrl-O o", "load a job file or a shipped profile by name" },
	{ "Esc F2", "back to the dashboard, keeping valid edits" },
	{ NULL, "Results" },
	{ "n p Tab", "other job" },
	{ "Up Down", "scroll" },
	{ "f", "the full fio-format report of every job" },
	{ "H", "the run's latency heat map instead of its distribution (and back)" },
	{ "Left Right", "with the heat map: its cursor, a tooltip of the interval's latency" },
	{ "", "ranges (mouse: the range under the pointer marked); Esc leaves it" },
	{ "Esc", "back to the dashboard" },
	{ NULL, "Profile picker" },
	{ "Up Down PgUp PgDn", "select a profile; its full description shows below the list" },
	{ "Enter", "load it as the jobs (on a scratch file in $TMPDIR) and edit it" },
	{ "Esc", "back, loading nothing" },
	{ NULL, "Diagnose (never writes to a block device)" },
	{ "Tab Up Down", "setup: move between target and runtime per step" },
	{ "Enter", "setup: run the battery on the target (file or directory)" },
	{ "Up Down j k", "select a step: its IOPS and latency (p50, p99, p99.9) graphs," },
	{ "", "tail-latency spikes marked on the time axis" },
	{ "g", "graph cells: braille, blocks, ASCII" },
	{ "H", "latency pane: lines / heat map (time across, latency up on a log scale, cells" },
	{ "", "darker as more of the interval's I/O falls there; p50, p99, p99.9 lines over it;" },
	{ "", "its tooltip lists the latency ranges with their counts and shares)" },
	{ "Left Right h l", "cursor on the step's graphs: a tooltip with the interval's figures, and" },
	{ "", "the slow I/Os a finding names there; Esc leaves it" },
	{ "mouse", "pointer over a graph: the same cursor; on the heat map, the range under it marked" },
	{ "PgUp PgDn", "scroll the findings" },
	{ "s", "save the report, text and JSON, as iolab-diagnose-HOST-TIME.txt/.json here" },
	{ "n", "new run (back to the setup)" },
	{ "Esc q", "leave (stops a running battery)" },
};

static const struct {
	enum runstate rs;
	const char *what;
} states[] = {
	{ RS_NOT_CREATED, "not started (waits for its group or F5)" },
	{ RS_CREATED, "thread created" },
	{ RS_INITIALIZED, "files and engine set up" },
	{ RS_RAMP, "ramp_time: running, not counted" },
	{ RS_RUNNING, "running" },
	{ RS_VERIFYING, "verifying what it wrote" },
	{ RS_FSYNCING, "fsync at the end" },
	{ RS_FINISHING, "finishing (last I/Os)" },
	{ RS_EXITED, "exited, not reaped yet" },
	{ RS_REAPED, "done" },
};

const struct doc_key *help_keys(size_t *n)
{
	*n = sizeof(keys) / sizeof(keys[0]);
	return keys;
}

#define MAX_HELP 160

struct hline {
	char text[200];
	enum role role;
};

static int build(struct hline *out, int max)
{
	int n = 0;
	char l[8];

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]) && n < max; i++) {
		if (!keys[i].key) {
			if (n && n < max) {
				out[n].text[0] = '\0';
				out[n++].role = ROLE_NORMAL;
			}
			snprintf(out[n].text, sizeof(out[n].text), "%s", keys[i].desc);
			out[n++].role = ROLE_TITLE;
			continue;
		}
		snprintf(out[n].text, sizeof(out[n].text), "  %-20s %s", keys[i].key, keys[i].desc);
		out[n++].role = ROLE_NORMAL;
	}
	if (n + 3 >= max)
		return n;
	out[n].text[0] = '\0';
	out[n++].role = ROLE_NORMAL;
	snprintf(out[n].text, sizeof(out[n].text),
		 "Runstate letters (as fio's status line; random I/O in lower case)");
	out[n++].role = ROLE_TITLE;
	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]) && n < max; i++) {
		if (states[i].rs == RS_RUNNING) {
			char lets[32];

			snprintf(lets, sizeof(lets), "%c %c  %c %c  %c %c  %c",
				 runstate_letter(RS_RUNNING, RW_READ, false),
				 runstate_letter(RS_RUNNING, RW_READ | RW_RAND, false),
				 runstate_letter(RS_RUNNING, RW_WRITE, false),
				 runstate_letter(RS_RUNNING, RW_WRITE | RW_RAND, false),
				 runstate_letter(RS_RUNNING, RW_READ | RW_WRITE, false),
				 runstate_letter(RS_RUNNING, RW_READ | RW_WRITE | RW_RAND, false),
				 runstate_letter(RS_RUNNING, RW_TRIM, false));
			snprintf(out[n].text, sizeof(out[n].text), "  %-20s %s", lets,
				 "running: read, write, mixed (sequential, random), trim");
			out[n++].role = ROLE_NORMAL;
			continue;
		}
		snprintf(l, sizeof(l), "%c", runstate_letter(states[i].rs, RW_READ, false));
		snprintf(out[n].text, sizeof(out[n].text), "  %-20s %s", l, states[i].what);
		out[n++].role = ROLE_NORMAL;
	}
	if (n < max) {
		snprintf(l, sizeof(l), "%c", runstate_letter(RS_REAPED, RW_READ, true));
		snprintf(out[n].text, sizeof(out[n].text), "  %-20s %s", l,
			 "failed (the reason is in the job table and a dialog)");
		out[n++].role = ROLE_NORMAL;
	}
	return n;
}

/* A key line ("  KEY                  what it does") wider than @w wraps
 * its description under itself, so that no line is cut at the screen's
 * edge; other lines are copied. Returns the rows in @out. */
#define KEY_COL 23 /* "  " and the key in 20 columns and a space */
static int unfold(const struct hline *in, int n, struct hline *out, int max, int w)
{
	int k = 0;

	for (int i = 0; i < n && k < max; i++) {
		const char *d = in[i].text + KEY_COL;
		bool keyed = !strncmp(in[i].text, "  ", 2) && strlen(in[i].text) > KEY_COL;

		if (!keyed || text_width(in[i].text) <= w || w - KEY_COL < 16) {
			out[k++] = in[i];
			continue;
		}
		for (bool first = true; *d && k < max; first = false) {
			size_t fit = text_wrap_fit(d, w - KEY_COL);

			if (!fit)
				break;
			snprintf(out[k].text, sizeof(out[k].text), "%-*.*s%.*s", KEY_COL,
				 first ? KEY_COL : 0, in[i].text, (int)fit, d);
			out[k++].role = in[i].role;
			d += fit;
			while (*d == ' ')
				d++;
		}
	}
	return k;
}

static void help_draw(struct app *a, WINDOW *win)
{
	static struct hline lines[MAX_HELP], wrapped[3 * MAX_HELP];
	int n = build(lines, MAX_HELP), rows = a->rows - 2, w = a->cols - 4;

	n = unfold(lines, n, wrapped, 3 * MAX_HELP, w);

	text_fill(win, 0, 0, a->cols, role_attr(ROLE_HEADER));
	text_put(win, 0, 0, a->cols, role_attr(ROLE_HEADER_VALUE), " Help ");
	text_putf(win, 0, 6, a->cols - 6, role_attr(ROLE_HEADER),
		  "%s iolab %s keys and runstates   Up/Down scroll   Esc back",
		  widget_glyphs->vline, "0.1");
	if (a->help->scroll > n - rows)
		a->help->scroll = n - rows > 0 ? n - rows : 0;
	for (int i = 0; i < rows && a->help->scroll + i < n; i++) {
		const struct hline *l = &wrapped[a->help->scroll + i];

		text_put(win, 1 + i, 2, a->cols - 4, role_attr(l->role), l->text);
	}
}

static unsigned help_key(struct app *a, int key)
{
	switch (key) {
	case 27:
		app_show(a, SCR_DASH);
		return WK_HANDLED | WK_REDRAW;
	case KEY_UP:
	case 'k':
		if (a->help->scroll > 0)
			a->help->scroll--;
		return WK_HANDLED | WK_REDRAW;
	case KEY_DOWN:
	case 'j':
		a->help->scroll++;
		return WK_HANDLED | WK_REDRAW;
	case KEY_PPAGE:
		a->help->scroll = a->help->scroll > a->rows / 2 ? a->help->scroll - a->rows / 2 : 0;
		return WK_HANDLED | WK_REDRAW;
	case KEY_NPAGE:
	case ' ':
		a->help->scroll += a->rows / 2;
		return WK_HANDLED | WK_REDRAW;
	case KEY_HOME:
		a->help->scroll = 0;
		return WK_HANDLED | WK_REDRAW;
	case KEY_END:
		a->help->scroll = 1 << 20; /* clamped at draw */
		return WK_HANDLED | WK_REDRAW;
	}
	return WK_IGNORED;
}

static void help_footer(struct app *a, struct statusbar *sb)
{
	static const struct statusbar_item items[] = {
		{ "Esc", "Back", 0 },
		{ "PgUp/PgDn", "Scroll", 1 },
		{ "q", "Quit", 0 },
	};

	statusbar_set(sb, items, sizeof(items) / sizeof(items[0]));
}

static void help_enter(struct app *a)
{
	a->help->scroll = 0;
}

static int help_open(struct app *a)
{
	a->help = calloc(1, sizeof(*a->help));
	return a->help ? 0 : -ENOMEM;
}

static void help_close(struct app *a)
{
	free(a->help);
	a->help = NULL;
}

const struct screen_ops help_screen = {
	.name = "help",
	.open = help_open,
	.close = help_close,
	.enter = help_enter,
	.update = NULL,
	.draw = help_draw,
	.key = help_key,
	.mouse = NULL,
	.footer = help_footer,
};
