/* Editor: every option of the option table for one job, in its groups,
 * with the table's help for the focused field and validation as you type
 * (opt_set on a scratch copy of the job's options). Refused values keep
 * their reason and block applying and starting. Load a job file or a
 * profile; save the jobs as a fio job file. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../engines/engine.h"
#include "app.h"
#include "term.h"

/* Group order on screen. */
static const enum opt_group group_order[] = { GRP_JOB,	  GRP_TARGET, GRP_WORKLOAD, GRP_QUEUE,
					      GRP_RATE,	  GRP_TIMING, GRP_VERIFY,   GRP_LOGGING,
					      GRP_ENGINE, GRP_FAULT };
#define NGROUPS (sizeof(group_order) / sizeof(group_order[0]))

/* The editor's own state (a->edit), from editor_open_state to
 * editor_close. */
struct edit_state {
	struct form *form;      /* NULL until editor_open */
	unsigned job;           /* index in the job list */
	const char **choices;   /* NULL-terminated lists the form points into */
};

static int editor_state_open(struct app *a)
{
	a->edit = calloc(1, sizeof(*a->edit));
	return a->edit ? 0 : -ENOMEM;
}

static void editor_close(struct app *a)
{
	if (!a->edit)
		return;
	if (a->edit->form)
		widget_free(form_widget(a->edit->form));
	free(a->edit->choices);
	free(a->edit);
	a->edit = NULL;
}

static struct job_spec *edit_spec(struct app *a)
{
	return a->edit->job < a->jobs->nr ? &a->jobs->jobs[a->edit->job] : NULL;
}

/* The spec's label (job_spec_label) in a buffer that lives until the next
 * call: UI thread only. */
static const char *spec_label(const struct job_spec *s)
{
	static char buf[300];

	job_spec_label(s, buf, sizeof(buf));
	return buf;
}

/* Validator: @text for option @f->id on a copy of the job's options. */
static int validate(void *ctx, const struct form_field *f, const char *text, char *err,
		    size_t errlen)
{
	struct app *a = ctx;
	struct job_spec *s = edit_spec(a);
	struct job_opts tmp;
	int rc;

	if (!s || f->id < 0 || (size_t)f->id >= opt_count)
		return 0;
	opts_copy(&tmp, &s->opts);
	rc = opt_set(&tmp, opt_table[f->id].name, text, err, errlen);
	opts_free(&tmp);
	return rc ? -1 : 0;
}

/* NULL-terminated choice names of every option with choices, in one block
 * the form's fields point into. */
static const char **build_choices(struct app *a)
{
	const struct engine_ops *const *eng = engine_list();
	size_t total = 0, ne = 0;
	const char **block;

	for (size_t i = 0; i < opt_count; i++)
		if (opt_table[i].choices)
			for (const struct opt_choice *c = opt_table[i].choices; c->name; c++)
				total++;
	while (eng && eng[ne])
		ne++;
	total += opt_count + ne + 1;
	block = calloc(total, sizeof(*block));
	free(a->edit->choices);
	a->edit->choices = block;
	return block;
}

/* A field's text for option @d of @o: as the job file writes it, booleans
 * as 0/1. */
static void field_text(const struct opt_def *d, const struct job_opts *o, char *buf, size_t len)
{
	opt_print(d, o, buf, len);
	if (d->type == OPT_BOOL) {
		bool b = false;

		parse_bool(buf, &b);
		snprintf(buf, len, "%d", b ? 1 : 0);
	}
}

/* Linked options show what the edits make of them (rwmixread 90 makes
 * rwmixwrite 10): the changed fields are applied to a copy of the job's
 * options, the focused one (just edited) last so that it wins, and every
 * other field without an error is shown from that copy. */
static void editor_sync(struct app *a)
{
	struct job_spec *s = edit_spec(a);
	size_t focus = form_focus(a->edit->form), n = form_count(a->edit->form);
	struct form_field *ff = form_field(a->edit->form, focus);
	struct job_opts tmp;
	char err[256], buf[FORM_VALUE_MAX];

	if (!s)
		return;
	opts_copy(&tmp, &s->opts);
	for (size_t pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < n; i++) {
			struct form_field *f = form_field(a->edit->form, i);

			if (f->kind == FF_HEADER || !f->changed || f->error[0] || (i == focus) != pass)
				continue;
			opt_set(&tmp, opt_table[f->id].name, f->value, err, sizeof(err));
		}
	for (size_t i = 0; i < n; i++) {
		struct form_field *f = form_field(a->edit->form, i);

		if (f->kind == FF_HEADER || f == ff || f->error[0])
			continue;
		field_text(&opt_table[f->id], &tmp, buf, sizeof(buf));
		if (strcmp(buf, f->value))
			snprintf(f->value, sizeof(f->value), "%s", buf);
	}
	opts_free(&tmp);
}

void editor_open(struct app *a, unsigned id)
{
	struct job_spec *s;
	struct form_field *fields;
	size_t n = 0, cpos = 0;
	const char **choices;
	const struct engine_ops *const *eng = engine_list();

	if (a->edit->form) {
		widget_free(form_widget(a->edit->form));
		a->edit->form = NULL;
	}
	if (!a->jobs->nr)
		return;
	a->edit->job = id < a->jobs->nr ? id : 0;
	s = edit_spec(a);
	fields = calloc(opt_count + NGROUPS, sizeof(*fields));
	choices = build_choices(a);
	if (!fields || !choices) {
		free(fields);
		app_error(a, "Editor", "Out of memory.");
		return;
	}
	for (size_t g = 0; g < NGROUPS; g++) {
		fields[n].kind = FF_HEADER;
		fields[n].label = opt_group_names[group_order[g]];
		fields[n].id = -1;
		n++;
		for (size_t i = 0; i < opt_count; i++) {
			const struct opt_def *d = &opt_table[i];
			struct form_field *f;

			if (d->group != group_order[g] || (d->flags & OPTF_COMPAT))
				continue;
			f = &fields[n++];
			f->label = d->name;
			f->help = d->help;
			f->units = d->units;
			f->id = (int)i;
			field_text(d, &s->opts, f->value, sizeof(f->value));
			if (d->type == OPT_BOOL) {
				f->kind = FF_BOOL;
			} else if (d->choices || !strcmp(d->name, "ioengine")) {
				f->kind = FF_CHOICE;
				f->choices = &choices[cpos];
				if (d->choices) {
					for (const struct opt_choice *c = d->choices; c->name; c++)
						choices[cpos++] = c->name;
				} else {
					for (size_t e = 0; eng && eng[e]; e++)
						choices[cpos++] = eng[e]->name;
				}
				choices[cpos++] = NULL;
			} else {
				f->kind = FF_TEXT;
			}
		}
	}
	a->edit->form = form_new(fields, n, validate, a);
	free(fields);
	if (!a->edit->form) {
		app_error(a, "Editor", "Out of memory.");
		return;
	}
	widget_focus(form_widget(a->edit->form), true);
	form_focus_label(a->edit->form, "rw");
}

/* Apply the changed fields to the job list. Returns 0, or -1 after an
 * error dialog saying which field and why; @what names the action. */
static int apply(struct app *a, const char *what)
{
	struct job_spec *s = edit_spec(a);
	struct job_opts tmp;
	char err[256];
	size_t first = 0;

	if (!s || !a->edit->form)
		return -1;
	if (form_errors(a->edit->form, &first)) {
		struct form_field *f = form_field(a->edit->form, first);

		form_set_focus(a->edit->form, first);
		app_error(a, "Refused value", "%s: %s\n\nFix it (or Esc to drop the change); %s.",
			  f->label, f->error, what);
		return -1;
	}
	opts_copy(&tmp, &s->opts);
	for (size_t i = 0; i < form_count(a->edit->form); i++) {
		struct form_field *f = form_field(a->edit->form, i);

		if (f->kind == FF_HEADER || !f->changed)
			continue;
		if (opt_set(&tmp, opt_table[f->id].name, f->value, err, sizeof(err))) {
			snprintf(f->error, sizeof(f->error), "%.150s", err);
			form_set_focus(a->edit->form, i);
			opts_free(&tmp);
			app_error(a, "Refused value", "%s: %s\n\n%s.", f->label, err, what);
			return -1;
		}
	}
	if (opts_validate(&tmp, err, sizeof(err)) || opts_check_host(&tmp, err, sizeof(err))) {
		opts_free(&tmp);
		app_error(a, "Options do not fit together", "%s\n\n%s.", err, what);
		return -1;
	}
	opts_free(&s->opts);
	s->opts = tmp;
	for (size_t i = 0; i < form_count(a->edit->form); i++)
		form_field(a->edit->form, i)->changed = false;
	return 0;
}

static size_t changed_count(struct app *a)
{
	size_t n = 0;

	for (size_t i = 0; a->edit->form && i < form_count(a->edit->form); i++)
		n += form_field(a->edit->form, i)->changed;
	return n;
}

static void apply_and_start(struct app *a)
{
	if (apply(a, "the job was not started"))
		return;
	if (app_any_running(a) && a->edit->job < source_njobs(a->src)) {
		/* other jobs' runs go on: restart only this one */
		act_restart(a, a->edit->job);
	} else {
		/* nothing runs: a new run, from clean stats and samples */
		if (act_reload(a))
			return;
		act_start(a, false);
	}
	a->sel = a->edit->job;
	if (!a->dlg)
		app_show(a, SCR_DASH);
}

static void leave(struct app *a)
{
	static const char *const btn[] = { "Discard", "Keep editing" };
	size_t first = 0;

	if (a->edit->form && form_errors(a->edit->form, &first)) {
		char msg[400];
		struct form_field *f = form_field(a->edit->form, first);

		snprintf(msg, sizeof(msg), "%s: %s\n\nDiscard the edits of this job?", f->label,
			 f->error);
		app_dialog(a, dialog_new(DIALOG_CONFIRM, "Refused value", msg, btn, 2), DLG_DISCARD,
			   0);
		return;
	}
	if (changed_count(a)) {
		if (apply(a, "nothing was changed"))
			return;
		/* idle: the dashboard shows the edited jobs */
		if (!app_any_running(a) && !a->started)
			act_reload(a);
		app_message(a, ROLE_OK, "edits kept for '%s' (F5 starts, F7 restarts)",
			    spec_label(edit_spec(a)));
	}
	app_show(a, SCR_DASH);
}

static void prompt_save(struct app *a)
{
	static const char *const btn[] = { "Save", "Cancel" };
	char def[300];
	struct dialog *d;

	if (apply(a, "nothing was saved"))
		return;
	/* the file the jobs came from; else NAME.fio here */
	if (a->jobs_path)
		snprintf(def, sizeof(def), "%s", a->jobs_path);
	else
		snprintf(def, sizeof(def), "%.200s.fio", edit_spec(a)->section);
	d = dialog_new(DIALOG_INPUT, "Save as fio job file",
		       "File to write every job to (fio reads it as it is):", btn, 2);
	dialog_set_input(d, def);
	app_dialog(a, d, DLG_SAVE, 0);
}

static void prompt_load(struct app *a)
{
	static const char *const btn[] = { "Load", "Cancel" };
	struct dialog *d = dialog_new(DIALOG_INPUT, "Load jobs",
				      "A fio job file, or the name of a shipped profile\n"
				      "(randread-4k-qd32, seqwrite-1m, oltp-8k-7030, ...):",
				      btn, 2);

	dialog_set_input(d, "");
	app_dialog(a, d, DLG_LOAD, 0);
}

static void switch_job(struct app *a, int dir)
{
	unsigned n = (unsigned)a->jobs->nr;

	if (n < 2)
		return;
	if (changed_count(a) && apply(a, "stayed on this job"))
		return;
	editor_open(a, (a->edit->job + n + (unsigned)(dir > 0 ? 1 : n - 1)) % n);
}

static void editor_enter(struct app *a)
{
	if (!a->edit->form || a->edit->job >= a->jobs->nr)
		editor_open(a, a->sel);
}

static unsigned editor_key(struct app *a, int key)
{
	unsigned r = WK_IGNORED;

	if (!a->edit->form) {
		if (key == 27) {
			app_show(a, SCR_DASH);
			return WK_HANDLED | WK_REDRAW;
		}
		return WK_IGNORED;
	}
	r = widget_key(form_widget(a->edit->form), key);
	if (!(r & WK_IGNORED)) {
		if (!form_editing(a->edit->form) && !form_searching(a->edit->form))
			editor_sync(a);
		return r;
	}
	switch (key) {
	case 27:
	case KEY_F(2):
		leave(a);
		return WK_HANDLED | WK_REDRAW;
	case KEY_F(5):
	case 's':
		apply_and_start(a);
		return WK_HANDLED | WK_REDRAW;
	case KEY_F(7):
	case 'R':
		if (apply(a, "the job was not restarted"))
			return WK_HANDLED | WK_REDRAW;
		act_restart(a, a->edit->job);
		return WK_HANDLED | WK_REDRAW;
	case KEY_F(9):
	case 19: /* Ctrl-S */
	case 'w':
		prompt_save(a);
		return WK_HANDLED | WK_REDRAW;
	case KEY_F(4):
	case 'P':
		picker_open(a);
		return WK_HANDLED | WK_REDRAW;
	case 15: /* Ctrl-O */
	case 'o':
		prompt_load(a);
		return WK_HANDLED | WK_REDRAW;
	case 'n':
	case ']':
		switch_job(a, 1);
		return WK_HANDLED | WK_REDRAW;
	case 'p':
	case '[':
		switch_job(a, -1);
		return WK_HANDLED | WK_REDRAW;
	case 'e':
		return WK_HANDLED;
	}
	return WK_IGNORED;
}

static void editor_mouse(struct app *a, const MEVENT *m)
{
	long i;

	if (!a->edit->form || !(m->bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)))
		return;
	i = form_row_at(a->edit->form, m->y);
	if (i >= 0) {
		form_set_focus(a->edit->form, (size_t)i);
		a->dirty = true;
	}
}

/* Wrap @text into rows of @w from (y, x); returns rows used (<= @max). */
static int put_wrapped(WINDOW *win, int y, int x, int w, int max, attr_t at, const char *text)
{
	int rows = 0;

	while (*text && rows < max) {
		size_t fit = text_fit(text, w);
		char line[512];

		if (fit < strlen(text)) {
			size_t sp = fit;

			while (sp > 0 && text[sp] != ' ')
				sp--;
			if (sp > 0)
				fit = sp;
		}
		if (fit >= sizeof(line))
			fit = sizeof(line) - 1;
		if (!fit)
			break;
		memcpy(line, text, fit);
		line[fit] = '\0';
		text_put(win, y + rows, x, w, at, line);
		rows++;
		text += fit;
		while (*text == ' ')
			text++;
	}
	return rows;
}

static void editor_draw(struct app *a, WINDOW *win)
{
	struct job_spec *s = edit_spec(a);
	int help_h = 5, fy = 2, fh, x;
	char buf[256], src[300], state[64] = "";
	size_t nerr, first = 0;
	struct form_field *f;

	text_fill(win, 0, 0, a->cols, role_attr(ROLE_HEADER));
	text_fill(win, 1, 0, a->cols, role_attr(ROLE_NORMAL));
	if (!s || !a->edit->form) {
		text_put(win, 0, 0, a->cols, role_attr(ROLE_HEADER_VALUE), " Editor: no jobs loaded");
		text_put(win, 3, 2, a->cols - 4, role_attr(ROLE_NORMAL),
			 "F4 picks a shipped profile; Ctrl-O loads a job file or a profile by name.");
		return;
	}
	x = text_put(win, 0, 0, a->cols, role_attr(ROLE_HEADER_VALUE), " Edit job ");
	snprintf(buf, sizeof(buf), "'%.200s'", spec_label(s));
	x += text_put(win, 0, x, a->cols - x, role_attr(ROLE_HEADER_VALUE), buf);
	nerr = form_errors(a->edit->form, &first);
	if (nerr)
		snprintf(state, sizeof(state), "  %s  %zu refused", widget_glyphs->vline, nerr);
	else if (changed_count(a))
		snprintf(state, sizeof(state), "  %s  %zu changed", widget_glyphs->vline,
			 changed_count(a));
	snprintf(buf, sizeof(buf), " (%u of %zu)  %s  from ", a->edit->job + 1, a->jobs->nr,
		 widget_glyphs->vline);
	x += text_put(win, 0, x, a->cols - x, role_attr(ROLE_HEADER), buf);
	/* the source's path gives way (elided in the middle) to the state */
	snprintf(src, sizeof(src), "%s:%d", s->src_file ? s->src_file : "?", s->src_line);
	text_elide_middle(buf, sizeof(buf), src, a->cols - x - text_width(state));
	x += text_put(win, 0, x, a->cols - x, role_attr(ROLE_HEADER), buf);
	text_put(win, 0, x, a->cols - x, role_attr(ROLE_HEADER) | (nerr ? A_BOLD : 0), state);
	if (form_editing(a->edit->form))
		text_put(win, 1, 1, a->cols - 2, role_attr(ROLE_DIM),
			 "editing: Enter keeps the value, Esc restores it; checked as you type");
	else
		text_putf(win, 1, 1, a->cols - 2, role_attr(ROLE_DIM),
			  "Enter edit  Space toggle  %s choices  / find  n/p job  "
			  "F5 apply+start  F9 save  F4 profiles  ^O open  Esc back",
			  term_utf8() ? "\u2190\u2192" : "<>");
	fh = a->rows - 1 - fy - help_h;
	widget_resize(form_widget(a->edit->form), fy, 0, fh, a->cols);
	widget_draw(form_widget(a->edit->form), win);

	/* help for the focused field */
	f = form_field(a->edit->form, form_focus(a->edit->form));
	{
		int hy = a->rows - 1 - help_h;
		const struct opt_def *d = f && f->id >= 0 ? &opt_table[f->id] : NULL;
		char def[128] = "", range[96] = "";

		text_repeat(win, hy, 0, a->cols, role_attr(ROLE_RULE), widget_glyphs->hline);
		if (!d)
			return;
		text_putf(win, hy, 1, a->cols - 2, role_attr(ROLE_RULE_FOCUS), " %s%s%s ", d->name,
			  d->alias ? " / " : "", d->alias ? d->alias : "");
		put_wrapped(win, hy + 1, 2, a->cols - 4, 2, role_attr(ROLE_NORMAL),
			    d->help ? d->help : "");
		opt_default_text(d, def, sizeof(def));
		if (d->max)
			snprintf(range, sizeof(range), "  range %lld..%lld", d->min, d->max);
		text_putf(win, hy + 3, 2, a->cols - 4, role_attr(ROLE_DIM), "%s%s%s%s%s",
			  d->syntax ? "syntax " : "", d->syntax ? d->syntax : "",
			  def[0] ? "  default " : "", def, range);
		if (f->error[0])
			text_putf(win, hy + 4, 2, a->cols - 4, role_attr(ROLE_ERROR), "%s %s: %s",
				  term_utf8() ? "\u2717" : "x", d->name, f->error);
		else if (d->units && d->units[0])
			text_putf(win, hy + 4, 2, a->cols - 4, role_attr(ROLE_DIM), "units %s",
				  d->units);
	}
}

static void editor_footer(struct app *a, struct statusbar *sb)
{
	static const struct statusbar_item items[] = {
		{ "F1", "Help", 0 },	  { "Enter", "Edit", 1 },  { "/", "Find", 2 },
		{ "F4", "Profiles", 1 },  { "^O", "Open", 5 },	   { "F5", "Apply+Start", 0 },
		{ "F7", "Restart", 3 },	  { "F9", "Save", 0 },	  { "n/p", "Job", 4 },     { "Esc", "Back", 0 },
		{ "q", "Quit", 2 },
	};
	static const struct statusbar_item editing[] = {
		{ "Enter", "Keep", 0 },
		{ "Esc", "Restore", 0 },
		{ "^U", "Clear", 1 },
	};

	if (a->edit->form && form_editing(a->edit->form))
		statusbar_set(sb, editing, sizeof(editing) / sizeof(editing[0]));
	else
		statusbar_set(sb, items, sizeof(items) / sizeof(items[0]));
}

const struct screen_ops editor_screen = {
	.name = "editor",
	.open = editor_state_open,
	.close = editor_close,
	.enter = editor_enter,
	.update = NULL,
	.draw = editor_draw,
	.key = editor_key,
	.mouse = editor_mouse,
	.footer = editor_footer,
};
