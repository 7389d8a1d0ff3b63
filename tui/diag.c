/* Diagnose view: the diagnose battery (backend/diagnose.h) run from the TUI.
 *
 * Setup: the target (a file or a directory; default the settings'
 * [diagnose] scratch_dir, else $TMPDIR or /tmp) and the runtime of each
 * step (default the settings' step_runtime). Enter starts
 * diagnose_run() on a thread of its own; it never gets allow_write, so
 * diagnose's guards keep every write off a block device.
 *
 * Threads: the battery's progress callback runs on that thread. It copies
 * what the UI shows (the step figures at each step's end, the running
 * step's samples as points, the phase) into `shared` under `mu`, bumps
 * `gen` and writes a byte to a pipe whose read end the main loop polls
 * (app->aux_wake_fd); it never calls curses. The UI thread, in update(),
 * copies `shared` into `view` when gen moved and draws from `view` only.
 * Leaving the view sets `stop`, which the callback returns, so the battery
 * stops at its next tick (as with diagnose_cfg.stop); the thread is joined
 * when the view is entered again or at exit.
 *
 * Screen: a table of the steps (status, IOPS, bandwidth, latency
 * p50/p99/p99.9 from submission to completion, fio's lat;
 * device util), a line on the selected step, its IOPS and latency graphs
 * (the running step's live samples, or a finished step's recorded points,
 * tail spikes marked on the time axis) and, when the battery is done, the
 * findings as wrapped paragraphs coloured by severity.
 *
 * H shows the latency pane as a heat map (widgets/heatmap.c) of the step's
 * points' heat (diagnose_point.heat, the step's latency bins). Left/Right
 * or the mouse pointer put a cursor on the graphs, shared by both (a time
 * into the step); its tooltip gives the interval's figures, or on the heat
 * map its populated latency ranges with counts and shares (the range under
 * the pointer marked) and percentiles, and the slow I/Os a finding names
 * in that interval. Layout (diag_layout) is computed in update, so draw
 * in that interval. Layout (diag_layout) is computed in update, so draw
 * only draws.
 *
 * This file holds the setup form, the thread, the lifecycle, the layout,
 * the drawing and the keys and mouse; what the step table's cells, the
 * graphs, the heat map and the tooltip show is diag_steps.c's, and the
 * state both share is in diag_int.h. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../backend/diagnose.h"
#include "../lib/units.h"
#include "../widgets/heatmap.h"
#include "../widgets/tooltip.h"
#include "app.h"
#include "diag_int.h"
#include "settings.h"
#include "term.h"

/* ------------------------------------------------------------- thread */

static void poke(struct diag_state *ds)
{
	char c = 1;
	ssize_t r = write(ds->wake[1], &c, 1);

	(void)r; /* a full pipe already wakes the loop */
}

/* The result's header fields (target, kind, ...) without steps and findings. */
static void copy_head(struct diagnose_result *to, const struct diagnose_result *from)
{
	memcpy(to->target, from->target, sizeof(to->target));
	memcpy(to->kind, from->kind, sizeof(to->kind));
	memcpy(to->device, from->device, sizeof(to->device));
	memcpy(to->write_block, from->write_block, sizeof(to->write_block));
	to->size = from->size;
	to->runtime_s = from->runtime_s;
	memcpy(to->ioengine, from->ioengine, sizeof(to->ioengine));
	to->direct = from->direct;
	to->dev_stats = from->dev_stats;
	to->interrupted = from->interrupted;
}

static int on_progress(const struct diagnose_progress *p, void *arg)
{
	struct diag_state *ds = arg;
	struct diag_shared *sh = &ds->shared;
	unsigned npts = p->npoints < DIAG_MAX_POINTS ? p->npoints : DIAG_MAX_POINTS;

	pthread_mutex_lock(&ds->mu);
	copy_head(&sh->res, ds->work);
	sh->phase = p->phase;
	sh->elapsed_s = p->elapsed_s;
	sh->preparing = p->phase == DIAG_PHASE_PREPARE;
	if (sh->preparing)
		sh->prep = p->done;
	if (p->step && p->index < DIAG_STEP_NR) {
		sh->index = p->index;
		sh->res.steps[p->index] = *p->step;
	}
	if (p->phase == DIAG_PHASE_STEP_START)
		sh->nlive = 0;
	/* the runner's live points (diagnose.h), not the step's backend */
	if ((p->phase == DIAG_PHASE_TICK || p->phase == DIAG_PHASE_STEP_START) && p->points) {
		memcpy(sh->live, p->points, npts * sizeof(*p->points));
		sh->nlive = npts;
	}
	sh->gen++;
	pthread_mutex_unlock(&ds->mu);
	poke(ds);
	return atomic_load_explicit(&ds->stop, memory_order_relaxed) ? 1 : 0;
}

static void *diag_thread(void *arg)
{
	struct diag_state *ds = arg;
	char err[512] = "";
	int rc = diagnose_run(&ds->cfg, ds->work, err, sizeof(err));

	pthread_mutex_lock(&ds->mu);
	if (rc == 0)
		ds->shared.res = *ds->work;
	ds->shared.rc = rc;
	snprintf(ds->shared.err, sizeof(ds->shared.err), "%s", err);
	ds->shared.done = true;
	ds->shared.preparing = false;
	ds->shared.gen++;
	pthread_mutex_unlock(&ds->mu);
	poke(ds);
	return NULL;
}

/* Join a thread that said it is done; with @wait, stop and join any. */
static void reap(struct diag_state *ds, bool wait)
{
	bool done;

	if (!ds->thread_on)
		return;
	pthread_mutex_lock(&ds->mu);
	done = ds->shared.done;
	pthread_mutex_unlock(&ds->mu);
	if (!done && !wait)
		return;
	if (!done)
		atomic_store_explicit(&ds->stop, 1, memory_order_relaxed);
	pthread_join(ds->th, NULL);
	ds->thread_on = false;
}

bool diag_running(const struct diag_state *ds)
{
	return ds->thread_on && !ds->view.done;
}

/* ----------------------------------------------------------- lifecycle */

static void default_target(char *buf, size_t len)
{
	const char *t = getenv("TMPDIR");

	/* the settings' scratch_dir when it fits the field (else the user
	 * types it: a cut path would name another directory) */
	if (settings_get()->diag_dir[0] && strlen(settings_get()->diag_dir) < len)
		t = settings_get()->diag_dir;
	if (!t || !*t)
		t = "/tmp";
	if (strlen(t) < len)
		memcpy(buf, t, strlen(t) + 1);
	else
		buf[0] = '\0';
}

static void widgets_free(struct diag_state *ds)
{
	if (ds->tab)
		widget_free(table_widget(ds->tab));
	if (ds->g_iops)
		widget_free(graph_widget(ds->g_iops));
	if (ds->g_lat)
		widget_free(graph_widget(ds->g_lat));
	if (ds->heat)
		widget_free(heatmap_widget(ds->heat));
	if (ds->tip)
		widget_free(tooltip_widget(ds->tip));
}

static struct diag_state *diag_new(struct app *a)
{
	struct diag_state *ds = calloc(1, sizeof(*ds));

	if (!ds)
		return NULL;
	ds->work = calloc(1, sizeof(*ds->work));
	ds->tab = table_new(diag_step_cols, DIAG_STEP_NCOL, diag_step_cell, a);
	ds->g_iops = graph_new("IOPS");
	ds->g_lat = graph_new("Latency");
	ds->heat = heatmap_new("Latency heat map");
	ds->tip = tooltip_new();
	if (ds->heat) {
		uint64_t edge[DIAG_LAT_BINS + 1];

		for (unsigned k = 0; k <= DIAG_LAT_BINS; k++)
			edge[k] = (uint64_t)llround(diagnose_bin_low_us(k) * 1000);
		if (heatmap_set_buckets(ds->heat, edge, DIAG_LAT_BINS)) {
			widget_free(heatmap_widget(ds->heat));
			ds->heat = NULL;
		}
	}
	if (!ds->work || !ds->tab || !ds->g_iops || !ds->g_lat || !ds->heat || !ds->tip ||
	    pipe2(ds->wake, O_NONBLOCK | O_CLOEXEC)) {
		widgets_free(ds);
		free(ds->work);
		free(ds);
		return NULL;
	}
	heatmap_set_short_title(ds->heat, "Heat map");
	ds->heat_row = -1;
	pthread_mutex_init(&ds->mu, NULL);
	graph_set_unit(ds->g_iops, 0, UNIT_NONE);
	graph_set_unit(ds->g_lat, 0, UNIT_NSEC);
	table_set_rows(ds->tab, DIAG_STEP_NR);
	widget_focus(table_widget(ds->tab), true);
	default_target(ds->field[FIELD_TARGET], sizeof(ds->field[0]));
	/* the same step length as iolab --diagnose unless changed */
	snprintf(ds->field[FIELD_RUNTIME], sizeof(ds->field[0]), "%g",
		 (double)settings_get()->diag_runtime_ms / 1000);
	diagnose_result_init(&ds->view.res, NULL);
	a->aux_wake_fd = ds->wake[0];
	return ds;
}

void diag_free(struct app *a)
{
	struct diag_state *ds = a->diag;

	if (!ds)
		return;
	reap(ds, true);
	close(ds->wake[0]);
	close(ds->wake[1]);
	a->aux_wake_fd = -1;
	pthread_mutex_destroy(&ds->mu);
	widgets_free(ds);
	free(ds->work);
	free(ds);
	a->diag = NULL;
}

static void diag_enter(struct app *a)
{
	if (!a->diag) {
		a->diag = diag_new(a);
		if (!a->diag) {
			a->scr = SCR_DASH;
			app_error(a, "Diagnose", "Out of memory.");
			return;
		}
	}
	reap(a->diag, false);
}

/* Leave the view; a running battery is told to stop. */
static void leave(struct app *a)
{
	struct diag_state *ds = a->diag;

	if (ds && diag_running(ds)) {
		atomic_store_explicit(&ds->stop, 1, memory_order_relaxed);
		app_message(a, ROLE_WARN, "diagnose stopped");
	}
	app_show(a, SCR_DASH);
}

static void start(struct app *a)
{
	struct diag_state *ds = a->diag;
	char *end;
	double rt;

	ds->setup_err[0] = '\0';
	reap(ds, false);
	if (ds->thread_on) {
		snprintf(ds->setup_err, sizeof(ds->setup_err),
			 "The last battery is still stopping; try again in a moment.");
		return;
	}
	if (app_any_running(a)) {
		snprintf(ds->setup_err, sizeof(ds->setup_err),
			 "Jobs are running: stop them first (X), they would skew the figures.");
		return;
	}
	if (!ds->field[FIELD_TARGET][0]) {
		snprintf(ds->setup_err, sizeof(ds->setup_err), "Give a target: a file or a directory.");
		ds->focus = FIELD_TARGET;
		return;
	}
	errno = 0;
	rt = strtod(ds->field[FIELD_RUNTIME], &end);
	while (*end == ' ')
		end++;
	if (*end == 's')
		end++;
	if (errno || *end || !(rt >= 0.5 && rt <= 600)) {
		snprintf(ds->setup_err, sizeof(ds->setup_err),
			 "Runtime: seconds per step, 0.5 to 600 (e.g. 2).");
		ds->focus = FIELD_RUNTIME;
		return;
	}
	snprintf(ds->cfg_target, sizeof(ds->cfg_target), "%s", ds->field[FIELD_TARGET]);
	memset(&ds->cfg, 0, sizeof(ds->cfg));
	ds->cfg.target = ds->cfg_target;
	ds->cfg.runtime_s = rt;
	ds->cfg.progress = on_progress;
	ds->cfg.progress_arg = ds;
	/* stop goes through the callback's return (an atomic read), not
	 * cfg.stop, which diagnose reads as a plain volatile (a signal flag) */
	/* never allow_write: diagnose keeps writes off devices and existing files */
	atomic_store_explicit(&ds->stop, 0, memory_order_relaxed);
	memset(&ds->shared, 0, sizeof(ds->shared));
	diagnose_result_init(&ds->shared.res, ds->cfg_target);
	ds->shared.res.runtime_s = rt;
	ds->shared.preparing = true;
	ds->view = ds->shared;
	ds->seen_gen = 0;
	diagnose_result_init(ds->work, ds->cfg_target);
	if (pthread_create(&ds->th, NULL, diag_thread, ds)) {
		snprintf(ds->setup_err, sizeof(ds->setup_err), "Cannot start a thread: %s",
			 strerror(errno));
		return;
	}
	ds->thread_on = true;
	ds->t_start_ns = 0;
	ds->mode = DM_RUN;
	ds->sel = 0;
	ds->follow = true;
	ds->find_scroll = 0;
	table_select(ds->tab, 0);
}

/* ------------------------------------------------------------- update */

static int put_wrapped(WINDOW *win, int y, int end, int x, int w, attr_t at, const char *text,
		       int *skip);

/* Where the graphs go (gy, gh, w1), as draw_run lays the screen out: the
 * findings, once there, get the rows they need and the graphs at least 6. */
static void diag_layout(struct app *a)
{
	struct diag_state *ds = a->diag;
	const struct diagnose_result *r = &ds->view.res;
	int y = TABLE_Y + TABLE_H + 1, body = a->rows - 1 - y, gh = body - 1;
	struct widget *hw = heatmap_widget(ds->heat);

	if (ds->view.done && ds->view.rc == 0) {
		int need = 1, w = a->cols - 10 < 20 ? a->cols - 2 : a->cols - 10;

		for (unsigned i = 0; i < r->nr_findings; i++) {
			int z = 0;

			need += put_wrapped(NULL, 0, 0, 0, w, 0, r->findings[i].text, &z) + 1;
		}
		gh = body - need;
		if (gh < body * 2 / 5)
			gh = body * 2 / 5;
		if (gh < 6)
			gh = body >= 10 ? 6 : body / 2;
	}
	ds->gy = y;
	ds->gh = gh;
	ds->w1 = (a->cols - 1) / 2;
	widget_resize(graph_widget(ds->g_iops), y, 0, gh, ds->w1);
	widget_resize(graph_widget(ds->g_lat), y, ds->w1 + 1, gh, a->cols - ds->w1 - 1);
	hw->cls->resize(hw, y, ds->w1 + 1, gh, a->cols - ds->w1 - 1);
}

/* The selected step's graphs, heat map, cursor and tooltip from the view. */
static void diag_refresh(struct app *a)
{
	struct diag_state *ds = a->diag;

	diag_set_graphs(a);
	diag_layout(a);
	diag_heat_fill(ds, ds->span_us);
	graph_set_cursor(ds->g_iops, ds->cursor_on ? graph_time_col(ds->g_iops, ds->cursor_t) : -1);
	graph_set_cursor(ds->g_lat, ds->cursor_on ? graph_time_col(ds->g_lat, ds->cursor_t) : -1);
	heatmap_set_cursor(ds->heat, ds->cursor_on ? heatmap_time_col(ds->heat, ds->cursor_t) : -1);
	diag_update_tip(a);
}

static void diag_update(struct app *a)
{
	struct diag_state *ds = a->diag;

	if (!ds)
		return;
	pthread_mutex_lock(&ds->mu);
	if (ds->shared.gen != ds->seen_gen) {
		ds->seen_gen = ds->shared.gen;
		ds->view = ds->shared;
	}
	pthread_mutex_unlock(&ds->mu);
	if (ds->thread_on && ds->view.done) {
		reap(ds, false);
		if (ds->view.rc) {
			ds->mode = DM_SETUP;
			snprintf(ds->setup_err, sizeof(ds->setup_err), "%s", ds->view.err);
		} else {
			app_message(a, ds->view.res.interrupted ? ROLE_WARN : ROLE_OK,
				    "diagnose %s: %u finding%s",
				    ds->view.res.interrupted ? "stopped" : "done",
				    ds->view.res.nr_findings, ds->view.res.nr_findings == 1 ? "" : "s");
		}
	}
	if (ds->follow && diag_running(ds) && !ds->view.preparing)
		ds->sel = ds->view.index;
	if (ds->sel >= DIAG_STEP_NR)
		ds->sel = 0;
	table_select(ds->tab, ds->sel);
	diag_refresh(a);
}

/* --------------------------------------------------------------- draw */

/* Bytes of @text for one row of @w columns, broken at a space. */
static size_t wrap_fit(const char *text, int w)
{
	size_t fit = text_fit(text, w), len = strlen(text);

	if (fit < len) {
		size_t sp = fit;

		while (sp > 0 && text[sp] != ' ')
			sp--;
		if (sp > 0)
			fit = sp;
	}
	return fit;
}

/* Put (or just count, when @win is NULL) @text wrapped at @w from row @y,
 * skipping the first *skip rows and stopping at row @end; returns rows. */
static int put_wrapped(WINDOW *win, int y, int end, int x, int w, attr_t at, const char *text,
		       int *skip)
{
	int rows = 0;
	char line[512];

	while (*text) {
		size_t fit = wrap_fit(text, w);

		if (!fit)
			break;
		if (fit >= sizeof(line))
			fit = sizeof(line) - 1;
		if (*skip > 0) {
			(*skip)--;
		} else {
			if (win && y + rows < end) {
				memcpy(line, text, fit);
				line[fit] = '\0';
				text_put(win, y + rows, x, w, at, line);
			}
			rows++;
		}
		text += fit;
		while (*text == ' ')
			text++;
	}
	return rows;
}

static const char *sev_tag(enum diag_severity s, enum role *role)
{
	switch (s) {
	case DIAG_ALERT:
		*role = ROLE_ERROR;
		return "ALERT";
	case DIAG_WARN:
		*role = ROLE_WARN;
		return "WARN";
	default:
		*role = ROLE_OK;
		return "info";
	}
}

/* The findings from row @y to @end (exclusive); sets find_total. */
static void draw_findings(struct app *a, WINDOW *win, int y, int end)
{
	struct diag_state *ds = a->diag;
	const struct diagnose_result *r = &ds->view.res;
	int w = a->cols - 10, total = 0, skip, row = y + 1;

	text_repeat(win, y, 0, a->cols, role_attr(ROLE_RULE), widget_glyphs->hline);
	text_putf(win, y, 1, a->cols - 2, role_attr(ROLE_RULE_FOCUS), " Findings (%u) ",
		  r->nr_findings);
	if (w < 20)
		w = a->cols - 2;
	/* count, to clamp the scroll */
	for (unsigned i = 0; i < r->nr_findings; i++) {
		int z = 0;

		total += put_wrapped(NULL, 0, 0, 0, w, 0, r->findings[i].text, &z) + 1;
	}
	ds->find_total = total;
	ds->find_rows = end - y - 1;
	if (ds->find_scroll > total - ds->find_rows)
		ds->find_scroll = total - ds->find_rows > 0 ? total - ds->find_rows : 0;
	if (ds->find_scroll < 0)
		ds->find_scroll = 0;
	skip = ds->find_scroll;
	for (unsigned i = 0; i < r->nr_findings && row < end; i++) {
		const struct diagnose_finding *f = &r->findings[i];
		enum role role;
		const char *tag = sev_tag(f->severity, &role);
		int before = skip, n;

		n = put_wrapped(win, row, end, 8, w, role_attr(ROLE_NORMAL), f->text, &skip);
		if (before == 0 && n > 0)
			text_putf(win, row, 1, 6, role_attr(role) | A_BOLD, "%s", tag);
		row += n;
		/* the empty row between findings */
		if (skip > 0)
			skip--;
		else
			row++;
	}
	if (ds->find_scroll > 0)
		text_put(win, y, a->cols - 12, 11, role_attr(ROLE_DIM), " more ^ ");
	if (ds->find_scroll + ds->find_rows < total)
		text_put(win, y, a->cols - 24, 11, role_attr(ROLE_DIM), " PgDn more ");
}

static void draw_field(struct app *a, WINDOW *win, int y, int i, const char *label, int width,
		       const char *after)
{
	struct diag_state *ds = a->diag;
	int fx = 12, fw = a->cols - fx - 2 - (after ? text_width(after) + 1 : 0);
	const char *v = ds->field[i];
	bool focus = ds->focus == i;
	int vw = text_width(v);

	if (width > 0 && fw > width)
		fw = width;
	if (fw < 8)
		fw = 8;
	text_put(win, y, 2, 10, role_attr(focus ? ROLE_TITLE : ROLE_NORMAL), label);
	text_fill(win, y, fx, fw, role_attr(ROLE_INPUT));
	/* the end of a long value stays in view */
	while (vw > fw - 1 && *v) {
		v++;
		vw = text_width(v);
	}
	text_put(win, y, fx, fw, role_attr(ROLE_INPUT), v);
	if (focus)
		text_put(win, y, fx + vw, 1, role_attr(ROLE_INPUT) | A_REVERSE, " ");
	if (after)
		text_put(win, y, fx + fw + 1, a->cols - fx - fw - 2, role_attr(ROLE_DIM), after);
}

static void draw_setup(struct app *a, WINDOW *win)
{
	struct diag_state *ds = a->diag;
	struct diagnose_result *plan = &ds->view.res;
	int y = 2, skip = 0;

	text_put(win, 1, 1, a->cols - 2, role_attr(ROLE_DIM),
		 "Tab next field  Ctrl-U clear  Enter run the battery  Esc back");
	draw_field(a, win, y, FIELD_TARGET, "Target", 0, NULL);
	draw_field(a, win, y + 1, FIELD_RUNTIME, "Runtime", 8, "seconds per step");
	y += 3;
	if (ds->setup_err[0]) {
		y += put_wrapped(win, y, a->rows - 1, 2, a->cols - 4, role_attr(ROLE_ERROR),
				 ds->setup_err, &skip);
		y++;
	}
	y += put_wrapped(win, y, a->rows - 1, 2, a->cols - 4, role_attr(ROLE_NORMAL),
			 "A file or a directory. A directory (or a path that does not exist) gets "
			 "a scratch file that is filled, probed and removed. An existing file is "
			 "only read. A block device is only read: this view never writes to a "
			 "device.",
			 &skip);
	y++;
	if (y < a->rows - 1)
		text_put(win, y++, 2, a->cols - 4, role_attr(ROLE_TITLE), "The battery, one step after another:");
	for (unsigned i = 0; i < DIAG_STEP_NR && y < a->rows - 1; i++, y++)
		text_putf(win, y, 4, a->cols - 6, role_attr(ROLE_NORMAL), "%u. %-18s %s", i + 1,
			  plan->steps[i].name, plan->steps[i].title);
}

static void draw_run(struct app *a, WINDOW *win)
{
	struct diag_state *ds = a->diag;
	const struct diagnose_result *r = &ds->view.res;
	const struct diagnose_step *s = &r->steps[ds->sel];
	int y = TABLE_Y + TABLE_H, fy;
	char size[24] = "", bs[16];
	bool show_find = ds->view.done && ds->view.rc == 0;

	if (r->size)
		units_fmt(size, sizeof(size), (double)r->size, UNIT_BYTES);
	text_putf(win, 1, 1, a->cols - 2, role_attr(ROLE_DIM), "%s%s%s%s%s%s%s%s  %s  %s", r->target,
		  r->kind[0] ? " (" : "", r->kind, size[0] ? ", " : "", size,
		  r->device[0] ? ", on " : "", r->device, r->kind[0] ? ")" : "",
		  r->direct ? "O_DIRECT" : "buffered", r->ioengine);
	widget_resize(table_widget(ds->tab), TABLE_Y, 0, TABLE_H, a->cols);
	widget_draw(table_widget(ds->tab), win);

	/* the selected step in one line */
	if (s->bs % (1024 * 1024) == 0)
		snprintf(bs, sizeof(bs), "%um", s->bs / (1024 * 1024));
	else if (s->bs % 1024 == 0)
		snprintf(bs, sizeof(bs), "%uk", s->bs / 1024);
	else
		snprintf(bs, sizeof(bs), "%u", s->bs);
	text_putf(win, y, 1, a->cols - 2, role_attr(ROLE_NORMAL), "%s: %s  rw=%s bs=%s iodepth=%u%s%s%s%s",
		  s->name, s->title, s->rw, bs, s->iodepth, s->direct ? " direct" : "",
		  s->fdatasync ? " fdatasync" : "", s->note[0] ? "  | " : "", s->note);
	if (ds->gh >= 4) {
		widget_draw(graph_widget(ds->g_iops), win);
		if (ds->heat_on)
			widget_draw(heatmap_widget(ds->heat), win);
		else
			widget_draw(graph_widget(ds->g_lat), win);
	}
	fy = ds->gy + ds->gh;
	if (show_find && fy < a->rows - 2)
		draw_findings(a, win, fy, a->rows - 1);
	else if (!show_find && fy < a->rows - 2 && diag_running(ds))
		text_put(win, fy, 2, a->cols - 4, role_attr(ROLE_DIM),
			 "Findings follow when every step has run.");
	/* last: a tall tooltip may cover the findings */
	if (ds->gh >= 4 && ds->cursor_on && tooltip_lines(ds->tip))
		widget_draw(tooltip_widget(ds->tip), win);
}

static void diag_draw(struct app *a, WINDOW *win)
{
	struct diag_state *ds = a->diag;
	const struct diagnose_result *r;
	int x;

	text_fill(win, 0, 0, a->cols, role_attr(ROLE_HEADER));
	text_fill(win, 1, 0, a->cols, role_attr(ROLE_NORMAL));
	x = text_put(win, 0, 0, a->cols, role_attr(ROLE_HEADER_VALUE), " Diagnose ");
	if (!ds)
		return;
	r = &ds->view.res;
	if (ds->mode == DM_SETUP) {
		text_putf(win, 0, x, a->cols - x, role_attr(ROLE_HEADER),
			  "%s latency, IOPS, throughput, sync writes and a mix, in %u short steps",
			  widget_glyphs->vline, (unsigned)DIAG_STEP_NR);
		draw_setup(a, win);
		return;
	}
	if (diag_running(ds) && ds->view.preparing)
		text_putf(win, 0, x, a->cols - x, role_attr(ROLE_HEADER),
			  "%s preparing the scratch file %.0f%%", widget_glyphs->vline,
			  ds->view.prep * 100);
	else if (diag_running(ds))
		text_putf(win, 0, x, a->cols - x, role_attr(ROLE_HEADER),
			  "%s step %u of %u: %s  %.1f of %g s%s", widget_glyphs->vline,
			  ds->view.index + 1, (unsigned)DIAG_STEP_NR, r->steps[ds->view.index].name,
			  ds->view.elapsed_s, r->runtime_s,
			  atomic_load_explicit(&ds->stop, memory_order_relaxed) ? "  (stopping)" : "");
	else
		text_putf(win, 0, x, a->cols - x, role_attr(ROLE_HEADER) | A_BOLD, "%s %s: %u finding%s",
			  widget_glyphs->vline, r->interrupted ? "stopped" : "done", r->nr_findings,
			  r->nr_findings == 1 ? "" : "s");
	draw_run(a, win);
}

/* ---------------------------------------------------------------- keys */

static unsigned setup_key(struct app *a, int key)
{
	struct diag_state *ds = a->diag;
	char *f = ds->field[ds->focus];
	size_t len = strlen(f);

	switch (key) {
	case 27:
		leave(a);
		return WK_HANDLED | WK_REDRAW;
	case '\t':
	case KEY_BTAB:
	case KEY_UP:
	case KEY_DOWN:
		ds->focus = !ds->focus;
		return WK_HANDLED | WK_REDRAW;
	case '\n':
	case '\r':
	case KEY_ENTER:
		start(a);
		return WK_HANDLED | WK_REDRAW;
	case KEY_BACKSPACE:
	case 127:
	case 8:
		while (len > 0) {
			/* a whole UTF-8 sequence */
			len--;
			if (((unsigned char)f[len] & 0xc0) != 0x80)
				break;
		}
		f[len] = '\0';
		return WK_HANDLED | WK_REDRAW;
	case 21: /* Ctrl-U */
		f[0] = '\0';
		return WK_HANDLED | WK_REDRAW;
	case 12: /* Ctrl-L */
		return WK_IGNORED;
	}
	if (key >= 32 && key < 256 && key != 127 && len + 1 < sizeof(ds->field[0])) {
		f[len] = (char)key;
		f[len + 1] = '\0';
		return WK_HANDLED | WK_REDRAW;
	}
	/* function keys and the like keep their global meaning */
	return key >= KEY_MIN ? WK_IGNORED : WK_HANDLED;
}

/* The finished report, text and JSON, into the current directory. */
static void save(struct app *a)
{
	struct diag_state *ds = a->diag;
	char path[4300], err[4600];

	if (diag_running(ds)) {
		app_message(a, ROLE_WARN, "the battery is running: save when it is done");
		return;
	}
	if (diagnose_save(&ds->view.res, ".", path, sizeof(path), err, sizeof(err))) {
		app_message(a, ROLE_ERROR, "%s", err);
		return;
	}
	app_message(a, ROLE_OK, "saved %s (and .json)", path + (strncmp(path, "./", 2) ? 0 : 2));
}

/* End of the selected step's newest point with I/O in it, us; 0 if none
 * (a step's last interval may be an empty tail). */
static double ds_newest_us(const struct diag_state *ds)
{
	const struct diagnose_point *pts;
	unsigned n = diag_step_points(ds, &pts);

	while (n > 0 && pts[n - 1].ios <= 0)
		n--;
	return n ? (pts[n - 1].t_s + pts[n - 1].dur_s / 2) * 1e6 : 0;
}

/* Left (-1) / Right (1): the cursor one column of the latency pane over;
 * the first press puts it on the newest interval. */
static void cursor_move(struct app *a, int dir)
{
	struct diag_state *ds = a->diag;
	int col, last = -1, px, py, ph, pw;
	uint64_t t0, t1;

	diag_refresh(a); /* keys before it may have changed the step or the pane */
	if (ds->heat_on) {
		heatmap_plot_rect(ds->heat, &py, &px, &ph, &pw);
		for (int c = 0; c < pw; c++)
			if (!heatmap_col_range(ds->heat, c, &t0, &t1) &&
			    (double)t0 + 1 < ds_newest_us(ds))
				last = c;
		col = ds->cursor_on ? heatmap_time_col(ds->heat, ds->cursor_t) + dir : last;
		if (col < 0 || col >= pw || heatmap_col_range(ds->heat, col, &t0, &t1))
			return;
	} else {
		last = graph_newest_col(ds->g_lat);
		graph_plot_rect(ds->g_lat, &py, &px, &ph, &pw);
		col = ds->cursor_on ? graph_time_col(ds->g_lat, ds->cursor_t) + dir : last;
		if (col < 0 || col >= pw || graph_col_range(ds->g_lat, col, &t0, &t1))
			return;
	}
	ds->cursor_on = true;
	ds->cursor_iops = ds->tip_mouse = false;
	ds->cursor_t = t0 + (t1 - t0) / 2;
}

static unsigned diag_key(struct app *a, int key)
{
	struct diag_state *ds = a->diag;

	if (!ds)
		return WK_IGNORED;
	if (ds->mode == DM_SETUP)
		return setup_key(a, key);
	switch (key) {
	case 27:
		if (ds->cursor_on) {
			ds->cursor_on = ds->tip_mouse = false;
			return WK_HANDLED | WK_REDRAW;
		}
		leave(a);
		return WK_HANDLED | WK_REDRAW;
	case 'q':
		leave(a);
		return WK_HANDLED | WK_REDRAW;
	case KEY_LEFT:
	case 'h':
		cursor_move(a, -1);
		return WK_HANDLED | WK_REDRAW;
	case KEY_RIGHT:
	case 'l':
		cursor_move(a, 1);
		return WK_HANDLED | WK_REDRAW;
	case 'H':
		ds->heat_on = !ds->heat_on;
		app_message(a, ROLE_DIM, ds->heat_on ? "latency: heat map" : "latency: lines");
		return WK_HANDLED | WK_REDRAW;
	case KEY_UP:
	case 'k':
		if (ds->sel > 0)
			ds->sel--;
		ds->follow = diag_running(ds) && ds->sel == ds->view.index;
		return WK_HANDLED | WK_REDRAW;
	case KEY_DOWN:
	case 'j':
		if (ds->sel + 1 < DIAG_STEP_NR)
			ds->sel++;
		ds->follow = diag_running(ds) && ds->sel == ds->view.index;
		return WK_HANDLED | WK_REDRAW;
	case KEY_HOME:
		ds->sel = 0;
		ds->follow = false;
		return WK_HANDLED | WK_REDRAW;
	case KEY_END:
		ds->sel = DIAG_STEP_NR - 1;
		ds->follow = false;
		return WK_HANDLED | WK_REDRAW;
	case KEY_NPAGE:
	case ' ':
		ds->find_scroll += ds->find_rows > 2 ? ds->find_rows - 1 : 1;
		return WK_HANDLED | WK_REDRAW;
	case KEY_PPAGE:
		ds->find_scroll -= ds->find_rows > 2 ? ds->find_rows - 1 : 1;
		if (ds->find_scroll < 0)
			ds->find_scroll = 0;
		return WK_HANDLED | WK_REDRAW;
	case 'n':
		if (diag_running(ds)) {
			app_message(a, ROLE_WARN, "the battery is running: Esc stops it");
			return WK_HANDLED | WK_REDRAW;
		}
		ds->mode = DM_SETUP;
		ds->setup_err[0] = '\0';
		diagnose_result_init(&ds->view.res, NULL);
		return WK_HANDLED | WK_REDRAW;
	case 12: /* Ctrl-L */
		return WK_IGNORED;
	case 's':
		save(a);
		return WK_HANDLED | WK_REDRAW;
	case 'g':
		if (term_utf8())
			a->gmode = (enum graph_mode)((a->gmode + 1) % GRAPH_MODE_NR);
		return WK_HANDLED | WK_REDRAW;
	}
	/* while it runs, keys that would leave the view do nothing */
	return diag_running(ds) ? WK_HANDLED : WK_IGNORED;
}

static void diag_mouse(struct app *a, const MEVENT *m)
{
	struct diag_state *ds = a->diag;
	long row;
	int col = -1;
	uint64_t t0 = 0, t1 = 0;
	bool iops = false;

	if (!ds || ds->mode != DM_RUN)
		return;
	/* the pointer over a graph: the cursor and its tooltip follow it */
	if (ds->gh >= 4) {
		col = graph_col_at(ds->g_iops, m->y, m->x);
		iops = col >= 0;
		if (iops && graph_col_range(ds->g_iops, col, &t0, &t1))
			col = -1;
		if (!iops && ds->heat_on) {
			col = heatmap_col_at(ds->heat, m->y, m->x);
			if (col >= 0 && heatmap_col_range(ds->heat, col, &t0, &t1))
				col = -1;
		} else if (!iops) {
			col = graph_col_at(ds->g_lat, m->y, m->x);
			if (col >= 0 && graph_col_range(ds->g_lat, col, &t0, &t1))
				col = -1;
		}
	}
	if (col >= 0) {
		ds->cursor_on = ds->tip_mouse = true;
		ds->cursor_iops = iops;
		ds->cursor_t = t0 + (t1 - t0) / 2;
		ds->mouse_y = m->y;
		ds->mouse_x = m->x;
		ds->heat_row = ds->heat_on && !iops ? heatmap_row_at(ds->heat, m->y) : -1;
		a->dirty = true;
	} else if (ds->tip_mouse && ds->cursor_on) {
		/* the pointer left the graphs: its tooltip goes away */
		ds->cursor_on = ds->tip_mouse = false;
		a->dirty = true;
	}
	if (!(m->bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)))
		return;
	row = table_row_at(ds->tab, m->y, m->x);
	if (row >= 0 && row < DIAG_STEP_NR) {
		ds->sel = (unsigned)row;
		ds->follow = diag_running(ds) && ds->sel == ds->view.index;
		a->dirty = true;
	}
}

static void diag_footer(struct app *a, struct statusbar *sb)
{
	static const struct statusbar_item setup[] = {
		{ "Enter", "Run", 0 },	   { "Tab", "Field", 0 }, { "^U", "Clear", 1 },
		{ "Esc", "Back", 0 },	   { "F1", "Help", 2 },
	};
	static const struct statusbar_item run[] = {
		{ "Up/Dn", "Step", 0 },	   { "PgDn", "Findings", 1 }, { "s", "Save", 0 },
		{ "H", "Heat map", 1 },    { "Lt/Rt", "Cursor", 2 },  { "n", "New run", 1 },
		{ "g", "Graph cells", 3 }, { "Esc", "Back", 0 },      { "q", "Back", 2 },
	};
	static const struct statusbar_item busy[] = {
		{ "Up/Dn", "Step", 0 },   { "H", "Heat map", 1 }, { "Lt/Rt", "Cursor", 2 },
		{ "Esc", "Stop+Back", 0 },
	};

	if (!a->diag || a->diag->mode == DM_SETUP)
		statusbar_set(sb, setup, sizeof(setup) / sizeof(setup[0]));
	else if (diag_running(a->diag))
		statusbar_set(sb, busy, sizeof(busy) / sizeof(busy[0]));
	else
		statusbar_set(sb, run, sizeof(run) / sizeof(run[0]));
}

const struct screen_ops diag_screen = {
	.name = "diagnose",
	.close = diag_free,
	.enter = diag_enter,
	.update = diag_update,
	.draw = diag_draw,
	.key = diag_key,
	.mouse = diag_mouse,
	.footer = diag_footer,
};
