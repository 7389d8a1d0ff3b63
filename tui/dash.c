/* Dashboard: header, job table (with a row per host summing its jobs when
 * the source drives hosts), four graphs on one time axis (IOPS,
 * bandwidth, latency, device), the cursor and its tooltip, live knobs.
 *
 * This file holds the dashboard's lifecycle, layout, the job table, the
 * header, the update loop and the keys and mouse; what the graphs, the
 * heat map and the tooltip show is dash_graphs.c's, and the state both
 * share is in dash_int.h.
 *
 * update() reads the source: each job's status and newest sample for the
 * table (update_rows), the visible window from zoom and pan
 * (update_window), then has dash_graphs.c build the graphs' series and
 * marks, the heat map and the tooltip for that window.
 *
 * H shows the latency pane as a heat map (widgets/heatmap.c) in the same
 * rectangle. The cursor keys still move the latency graph's cursor, which
 * the heat map follows through cursor_t. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../backend/profiles.h"
#include "../lib/clock.h"
#include "../lib/units.h"
#include "app.h"
#include "dash_int.h"
#include "settings.h"
#include "term.h"

/* Time spans for zoom, in seconds. */
static const unsigned spans[] = { 10, 30, 60, 120, 300, 600, 1800, 3600, 10800, 21600, 43200,
				  86400 };
#define NSPANS (sizeof(spans) / sizeof(spans[0]))

static const char *const graph_title[NGRAPHS] = { "IOPS", "Bandwidth", "Latency",
						  "Device util / await" };

/* ---------------------------------------------------------------- table */

static void progress_cell(char *buf, size_t len, double f, int width)
{
	const struct glyphs *g = widget_glyphs;
	int cells = width - 5 < 4 ? 4 : width - 5 > 40 ? 40 : width - 5, full, pct;
	size_t off = 0;

	if (f < 0) {
		snprintf(buf, len, "-");
		return;
	}
	full = (int)(f * cells + 0.5);
	pct = (int)(f * 100 + 0.5);
	for (int i = 0; i < cells && off + 8 < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s", i < full ? g->bar_full : g->bar_empty);
	snprintf(buf + off, len - off, " %3d%%", pct);
}

/* Job @id's status as update_rows() took it this frame, or NULL. */
const struct source_status *dash_row_status(const struct app *a, unsigned id)
{
	const struct dash_state *ds = a->dash;

	return ds && id < ds->nrow && ds->row[id].have_st ? &ds->row[id].st : NULL;
}

static void job_cell(void *ctx, size_t row, int col, char *buf, size_t len, enum role *role)
{
	struct app *a = ctx;
	const struct source_status *st = dash_row_status(a, (unsigned)row);
	const struct row_cache *rc = st ? &a->dash->row[row] : NULL;
	int err;

	if (!st) {
		buf[0] = '\0';
		if (a->dash->host_col && row >= a->dash->njobs)
			hosts_sum_cell(a, (unsigned)(row - a->dash->njobs), col, buf, len, role);
		return;
	}
	err = st->error;
	if (a->dash->host_col) {   /* Job, Host, then the usual columns */
		if (col == 1) {
			snprintf(buf, len, "%s", st->host);
			return;
		}
		col -= col > 1;
	}
	switch (col) {
	case 0:
		if (a->dash->host_col)   /* "name@HOST,PORT": the host has its column */
			snprintf(buf, len, "%.*s", (int)strcspn(st->label, "@"), st->label);
		else
			snprintf(buf, len, "%s", st->label);
		break;
	case 1:
		snprintf(buf, len, "%c %s", runstate_letter(st->runstate, st->rw, err != 0),
			 err ? "failed" : runstate_name(st->runstate));
		*role = status_role(st);
		break;
	case 2:
		progress_cell(buf, len, st->done,
			      table_col_width(a->dash->jobtab, a->dash->host_col ? 3 : 2));
		*role = ROLE_BAR;
		break;
	case 3:
		units_fmt_or_dash(buf, len, rc && rc->have, rc ? rc->iops : 0, UNIT_NONE);
		break;
	case 4:
		units_fmt_or_dash(buf, len, rc && rc->have, rc ? rc->bw : 0, UNIT_BYTES_S);
		break;
	case 5:
		units_fmt_or_dash(buf, len, rc && rc->have && rc->p99 > 0, rc ? rc->p99 : 0, UNIT_NSEC);
		break;
	case 6:
		if (err) {
			snprintf(buf, len, "%s", "failed");
			*role = ROLE_ERROR;
		} else {
			snprintf(buf, len, "%llu", (unsigned long long)(rc ? rc->errors : 0));
			if (rc && rc->errors)
				*role = ROLE_WARN;
		}
		break;
	}
}

static const struct table_col job_cols[] = {
	{ "Job", 12, 1, false },     { "State", 13, 0, false }, { "Progress", 13, 1, false },
	{ "IOPS", 7, 0, true },      { "BW", 10, 0, true },     { "p99 lat", 8, 0, true },
	{ "Errors", 6, 0, true },
};
static const struct table_col job_host_cols[] = {
	{ "Job", 4, 1, false },      { "Host", 15, 2, false },  { "State", 13, 0, false },
	{ "Progress", 9, 1, false }, { "IOPS", 7, 0, true },   { "BW", 10, 0, true },
	{ "p99 lat", 8, 0, true },   { "Errors", 6, 0, true },
};

/* ------------------------------------------------------------ lifecycle */

static int dash_open(struct app *a)
{
	a->dash = calloc(1, sizeof(*a->dash));
	if (!a->dash)
		return -ENOMEM;
	a->dash->live = true;
	/* the settings' graph window, rounded up to a zoom step */
	a->dash->zoom = NSPANS - 1;
	for (unsigned z = NSPANS; z-- > 0;)
		if (spans[z] >= settings_get()->window_s)
			a->dash->zoom = z;
	a->dash->qbuf = calloc(MAX_QUERY, sizeof(struct sample));
	a->dash->host_col = source_hosts(a->src, NULL, 0) > 0;
	if (a->dash->host_col)
		a->dash->jobtab = table_new(job_host_cols, (int)(sizeof(job_host_cols) /
				sizeof(job_host_cols[0])), job_cell, a);
	else
		a->dash->jobtab = table_new(job_cols, (int)(sizeof(job_cols) / sizeof(job_cols[0])),
					    job_cell, a);
	for (int i = 0; i < NGRAPHS; i++) {
		a->dash->graph[i] = graph_new(graph_title[i]);
		if (!a->dash->graph[i])
			return -ENOMEM;
	}
	graph_set_short_title(a->dash->graph[1], "BW");
	graph_set_unit(a->dash->graph[0], 0, UNIT_NONE);
	graph_set_unit(a->dash->graph[1], 0, UNIT_BYTES_S);
	graph_set_unit(a->dash->graph[2], 0, UNIT_NSEC);
	graph_set_unit(a->dash->graph[2], 1, UNIT_NONE); /* QD of a latency_target search */
	graph_set_unit(a->dash->graph[3], 0, UNIT_PCT);
	graph_set_unit(a->dash->graph[3], 1, UNIT_NSEC);
	a->dash->tip = tooltip_new();
	a->dash->heat = heatmap_new("Latency heat map");
	if (a->dash->heat) {
		uint64_t edge[SAMPLES_HEAT_NR + 1];

		for (unsigned b = 0; b <= SAMPLES_HEAT_NR; b++)
			edge[b] = samples_heat_low(b);
		heatmap_set_buckets(a->dash->heat, edge, SAMPLES_HEAT_NR);
	}
	a->dash->heat_row = -1;
	a->dash->heat_on = a->dash->heat && settings_get()->latency_pane == SET_LAT_HEATMAP;
	a->gmode = term_utf8() ? GRAPH_BRAILLE : GRAPH_ASCII;
	a->dash->focus = PANE_JOBS;
	return a->dash->qbuf && a->dash->jobtab && a->dash->tip && a->dash->heat ? 0 : -ENOMEM;
}

static void dash_close(struct app *a)
{
	if (!a->dash)
		return;
	if (a->dash->jobtab)
		widget_free(table_widget(a->dash->jobtab));
	for (int i = 0; i < NGRAPHS; i++)
		if (a->dash->graph[i])
			widget_free(graph_widget(a->dash->graph[i]));
	if (a->dash->tip)
		widget_free(tooltip_widget(a->dash->tip));
	if (a->dash->heat)
		widget_free(heatmap_widget(a->dash->heat));
	{
		free(a->dash->row);
		free(a->dash->sbuf);
		free(a->dash->bbuf);
		free(a->dash->qbuf);
		free(a->dash->pts);
		free(a->dash);
		a->dash = NULL;
	}
}

void dash_follow(struct app *a, bool hide_cursor)
{
	a->dash->live = true;
	if (hide_cursor)
		a->dash->cursor_on = false;
}

bool dash_cursor_shown(const struct app *a)
{
	return a->dash->cursor_on;
}

/* Header 2 rows, the table, graphs in a 2x2 grid, the footer. */
static void dash_layout(struct app *a)
{
	unsigned n = source_njobs(a->src) + (a->dash ? a->dash->nsum : 0);
	int rows = a->rows, cols = a->cols, maxrows, th, gy, gh, h1, w1;

	if (!a->dash || !a->dash->jobtab)
		return;
	maxrows = rows / (a->dash->nsum ? 4 : 6);   /* host rows: a taller table */
	if (maxrows < 2)
		maxrows = 2;
	if (n > (unsigned)maxrows)
		maxrows++; /* the table's "+N more" line */
	th = 1 + (int)(n < (unsigned)maxrows ? (n ? n : 1) : (unsigned)maxrows);
	a->dash->table_rows = th;
	widget_resize(table_widget(a->dash->jobtab), 2, 0, th, cols);
	gy = 2 + th;
	gh = rows - 1 - gy;
	h1 = gh / 2;
	w1 = (cols - 1) / 2;
	for (int i = 0; i < NGRAPHS; i++) {
		struct widget *w = graph_widget(a->dash->graph[i]);
		int top = i < 2, left = i % 2 == 0;

		w->cls->resize(w, top ? gy : gy + h1, left ? 0 : w1 + 1, top ? h1 : gh - h1,
			       left ? w1 : cols - w1 - 1);
	}
	if (a->dash->heat) {
		const struct widget *lw = graph_widget(a->dash->graph[2]);
		struct widget *hw = heatmap_widget(a->dash->heat);

		hw->cls->resize(hw, lw->y, lw->x, lw->h, lw->w);
	}
}

static void update_rows(struct app *a)
{
	struct dash_state *ds = a->dash;
	unsigned n = source_njobs(a->src);

	if (ds->nrow < n) {
		struct row_cache *nr = realloc(ds->row, n * sizeof(*nr));

		if (!nr)
			return;
		memset(nr + ds->nrow, 0, (n - ds->nrow) * sizeof(*nr));
		ds->row = nr;
		ds->nrow = n;
	}
	for (unsigned i = 0; i < ds->nrow; i++)
		ds->row[i].have_st = i < n && app_status(a, i, &ds->row[i].st);
	for (unsigned i = 0; i < n; i++) {
		struct row_cache *rc = &ds->row[i];
		enum runstate rs = rc->st.runstate;
		uint64_t started = rc->st.started_ns;
		struct sample s;

		if (!rc->have_st)
			continue;
		rc->errors = rc->st.io_errors;
		if (rs >= RS_EXITED && started) {
			/* the run's totals, computed once */
			struct job_stats *snap;
			double iops = 0, bw = 0, p99 = 0;

			if (rc->final && rc->key == started)
				continue;
			snap = malloc(sizeof(*snap));
			if (!snap)
				continue;
			if (source_stats(a->src, i, snap)) {
				free(snap);
				continue;
			}
			for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
				double rt = (double)snap->runtime_ns[d] / 1e9;
				double p;

				if (!snap->dir[d].ios || rt <= 0)
					continue;
				iops += (double)snap->dir[d].ios / rt;
				bw += (double)snap->dir[d].bytes / rt;
				p = (double)hist_percentile(&snap->dir[d].clat_hist, 99.0);
				if (p > p99)
					p99 = p;
			}
			free(snap);
			rc->have = true;
			rc->iops = iops;
			rc->bw = bw;
			rc->p99 = p99;
			rc->final = true;
			rc->key = started;
			continue;
		}
		rc->final = false;
		if (rs == RS_NOT_CREATED || !samples_latest(a->ss, i, &s)) {
			rc->have = false;
			continue;
		}
		rc->have = true;
		rc->iops = dash_metric_value(&s, M_IOPS, -1);
		rc->bw = dash_metric_value(&s, M_BW, -1);
		rc->p99 = dash_metric_value(&s, M_P99, -1);
		if (isnan(rc->p99))
			rc->p99 = 0;
	}
}

/* Visible window from zoom, live/pan state and the data's span. */
static void update_window(struct app *a)
{
	uint64_t span, lo, hi, end;

	samples_span(a->ss, &lo, &hi);
	/* a replay opens on the whole of it, at the first zoom step it fits in */
	if (!source_can(a->src, SRC_CAP_LIVE) && !a->dash->zoom_set && hi > lo) {
		unsigned z = 0;

		while (z + 1 < NSPANS && (uint64_t)spans[z] * 1000000ULL < hi - lo)
			z++;
		a->dash->zoom = z;
	}
	span = (uint64_t)spans[a->dash->zoom] * 1000000ULL;
	if (a->dash->live) {
		end = hi;
	} else {
		end = a->dash->view_end;
		if (end > hi && hi > 0)
			end = hi;
	}
	if (end < span)
		end = span;
	a->dash->t_hi = end;
	a->dash->t_lo = end - span;
}

static void dash_update(struct app *a)
{
	if (!a->dash)
		return;
	a->dash->njobs = source_njobs(a->src);
	a->dash->nsum = a->dash->host_col ? hosts_sum_rows(a) : 0;
	dash_layout(a);
	table_set_rows(a->dash->jobtab, a->dash->njobs + a->dash->nsum);
	table_select(a->dash->jobtab, a->sel);
	update_rows(a);
	update_window(a);
	dash_build_series(a);
	dash_build_marks(a);
	for (int i = 0; i < NGRAPHS; i++) {
		widget_focus(graph_widget(a->dash->graph[i]), a->dash->focus == (enum pane)(PANE_IOPS + i));
		graph_set_cursor(a->dash->graph[i], a->dash->cursor_on ? graph_time_col(a->dash->graph[i], a->dash->cursor_t)
							   : -1);
	}
	widget_focus(table_widget(a->dash->jobtab), a->dash->focus == PANE_JOBS);
	if (a->dash->heat_on && a->dash->heat) {
		widget_focus(heatmap_widget(a->dash->heat), a->dash->focus == PANE_LAT);
		dash_heat(a);
	}
	dash_update_tooltip(a);
}

/* -------------------------------------------------------------- drawing */

static void fmt_clock(char *buf, size_t len, double s)
{
	unsigned long t = s < 0 ? 0 : (unsigned long)(s + 0.5);

	if (t >= 3600)
		snprintf(buf, len, "%lu:%02lu:%02lu", t / 3600, t / 60 % 60, t % 60);
	else
		snprintf(buf, len, "%02lu:%02lu", t / 60, t % 60);
}

/* label in the header colour, value highlighted; returns the new x. A
 * segment that does not fit whole is not cut (a cut figure reads as
 * another one): an ellipsis stands for it and the row ends there. */
static int seg(WINDOW *win, int y, int x, int end, const char *label, const char *value)
{
	if (x >= end)
		return x;
	if (text_width(label ? label : "") + text_width(value ? value : "") > end - x) {
		text_put(win, y, x, end - x, role_attr(ROLE_HEADER), widget_glyphs->ellipsis);
		return end;
	}
	if (label && *label)
		x += text_put(win, y, x, end - x, role_attr(ROLE_HEADER), label);
	if (value && *value)
		x += text_put(win, y, x, end - x, role_attr(ROLE_HEADER_VALUE), value);
	return x;
}

static int sep(WINDOW *win, int y, int x, int end)
{
	char s[16];

	snprintf(s, sizeof(s), " %s ", widget_glyphs->vline);
	return seg(win, y, x, end, s, NULL);
}

static void draw_header(struct app *a, WINDOW *win)
{
	unsigned n = source_njobs(a->src), running = 0, done = 0, failed = 0;
	const struct source_status *sj = dash_row_status(a, a->sel);
	const struct job_opts *so = source_opts(a->src, a->sel);
	uint64_t now = clock_now_ns(), start = source_run_start_ns(a->src), last_end = 0;
	double iops[DDIR_RWDIR_CNT] = { 0 }, bw = 0, eta = 0, util = -1, await = -1;
	bool eta_known = true;
	char buf[160], v1[32], v2[32], v3[32];
	int x, end = a->cols;

	for (unsigned i = 0; i < n; i++) {
		const struct source_status *j = dash_row_status(a, i);
		enum runstate rs;
		struct sample s;

		if (!j)
			continue;
		rs = j->runstate;
		if (j->ended_ns > last_end)
			last_end = j->ended_ns;
		if (rs > RS_NOT_CREATED && rs < RS_EXITED) {
			double je = j->eta_s;

			running++;
			if (je < 0)
				eta_known = false;
			else if (je > eta)
				eta = je;
			if (samples_latest(a->ss, i, &s)) {
				for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
					iops[d] += s.dir[d].iops;
					bw += s.dir[d].bw;
				}
			}
		} else if (rs >= RS_EXITED) {
			done++;
		}
		if (j->error)
			failed++;
	}
	if (sj) {
		struct sample s;

		if (samples_latest(a->ss, a->sel, &s) && (s.dev_util > 0 || s.dev_rps + s.dev_wps > 0)) {
			util = s.dev_util;
			await = s.dev_rps + s.dev_wps > 0
					? (s.dev_r_await * s.dev_rps + s.dev_w_await * s.dev_wps) /
						  (s.dev_rps + s.dev_wps)
					: 0;
		}
	}

	if (!running)   /* every job yet to start: no estimate */
		eta_known = false;
	text_fill(win, 0, 0, a->cols, role_attr(ROLE_HEADER));
	text_fill(win, 1, 0, a->cols, role_attr(ROLE_HEADER));
	/* row 0: when, then what and where (the target, longest, last) */
	x = seg(win, 0, 0, end, NULL, " iolab ");
	x = sep(win, 0, x, end);
	if (!source_title(a->src, buf, sizeof(buf))) { /* a replay: of what, when */
		x = seg(win, 0, x, end, NULL, buf);
		x = sep(win, 0, x, end);
	}
	if (app_recording(a)) {
		x += text_put(win, 0, x, end - x, role_attr(ROLE_ERROR) | A_BOLD | A_REVERSE, "REC");
		x = sep(win, 0, x, end);
	}
	if (!start) {
		x = seg(win, 0, x, end, NULL, "idle");
	} else {
		double el = (double)((running || app_any_running(a) || last_end <= start ? now
				      : last_end) - start) / 1e9;

		fmt_clock(v1, sizeof(v1), el);
		if (running || app_any_running(a)) {
			if (eta_known)
				fmt_clock(v2, sizeof(v2), eta);
			else
				snprintf(v2, sizeof(v2), "--:--");
			x = seg(win, 0, x, end, "elapsed ", v1);
			x = seg(win, 0, x, end, "  ETA ", v2);
		} else {
			x = seg(win, 0, x, end, "done in ", v1);
		}
	}
	if (sj && so) {
		bool scratch;
		const char *tgt = so->filename && so->filename[0] ? so->filename
				  : so->directory ? so->directory
						  : "(none)";

		x = sep(win, 0, x, end);
		x = seg(win, 0, x, end, "job ", sj->label);
		/* the target matters more than the engine on a narrow row */
		{
			const char *eng = so->ioengine ? so->ioengine : "psync";
			int tw = text_width(tgt), ew = 3 + 7 + text_width(eng);

			if (end - x - ew - 3 - 7 >= (tw < 24 ? tw : 24)) {
				x = sep(win, 0, x, end);
				x = seg(win, 0, x, end, "engine ", eng);
			}
		}
		x = sep(win, 0, x, end);
		/* a path cut short would name another file: elide its middle. A
		 * scratch file iolab made says so: it goes when iolab exits */
		scratch = profile_scratch_owns(tgt);
		text_elide_middle(buf, sizeof(buf), tgt, end - x - (scratch ? 9 : 8));
		x = seg(win, 0, x, end, scratch ? "scratch " : "target ", buf);
	}
	(void)x;

	/* row 1: how much, right now */
	units_fmt(v1, sizeof(v1), iops[0] + iops[1] + iops[2], UNIT_NONE);
	x = seg(win, 1, 0, end, " IOPS ", v1);
	if (iops[0] > 0 && iops[1] > 0) {
		units_fmt(v2, sizeof(v2), iops[0], UNIT_NONE);
		units_fmt(v3, sizeof(v3), iops[1], UNIT_NONE);
		snprintf(buf, sizeof(buf), " (r %s w %s)", v2, v3);
		x = seg(win, 1, x, end, buf, NULL);
	}
	x = sep(win, 1, x, end);
	units_fmt(v1, sizeof(v1), bw, UNIT_BYTES_S);
	x = seg(win, 1, x, end, "BW ", v1);
	x = sep(win, 1, x, end);
	if (util >= 0) {
		units_fmt(v1, sizeof(v1), util, UNIT_PCT);
		units_fmt(v2, sizeof(v2), await * 1e6, UNIT_NSEC);
		x = seg(win, 1, x, end, "dev util ", v1);
		x = seg(win, 1, x, end, " await ", v2);
	} else {
		x = seg(win, 1, x, end, "dev ", "-");
	}
	x = sep(win, 1, x, end);
	snprintf(buf, sizeof(buf), "%u", n);
	x = seg(win, 1, x, end, "jobs ", buf);
	snprintf(buf, sizeof(buf), " run %u done %u", running, done);
	x = seg(win, 1, x, end, buf, NULL);
	if (failed) {
		snprintf(buf, sizeof(buf), " failed %u", failed);
		x += text_put(win, 1, x, end - x, role_attr(ROLE_HEADER) | A_BOLD, buf);
	}
	x = sep(win, 1, x, end);
	units_fmt_time(v1, sizeof(v1), spans[a->dash->zoom]);
	x = seg(win, 1, x, end, "window ", v1);
	seg(win, 1, x, end, NULL, !a->dash->live ? " paused"
				  : source_can(a->src, SRC_CAP_LIVE) ? " live" : " end");
}

static void dash_draw(struct app *a, WINDOW *win)
{
	if (!a->dash)
		return;
	draw_header(a, win);
	widget_draw(table_widget(a->dash->jobtab), win);
	for (int i = 0; i < NGRAPHS; i++)
		if (i != PANE_LAT - PANE_IOPS || !a->dash->heat_on || !a->dash->heat)
			widget_draw(graph_widget(a->dash->graph[i]), win);
	if (a->dash->heat_on && a->dash->heat)
		widget_draw(heatmap_widget(a->dash->heat), win);
	if (a->dash->cursor_on && a->dash->focus >= PANE_IOPS)
		widget_draw(tooltip_widget(a->dash->tip), win);
}

/* ----------------------------------------------------------------- keys */

static void freeze(struct app *a)
{
	if (a->dash->live) {
		a->dash->view_end = a->dash->t_hi;
		a->dash->live = false;
	}
}

static void cursor_off(struct app *a)
{
	a->dash->cursor_on = false;
	a->dash->tip_mouse = false;
	a->dash->live = true;
}

/* After a graph moved its cursor: remember the time under it. */
static void cursor_from_graph(struct app *a, struct graph *g)
{
	uint64_t t0, t1;
	int col = graph_cursor(g);

	if (col < 0 || graph_col_range(g, col, &t0, &t1)) {
		cursor_off(a);
		return;
	}
	freeze(a);
	a->dash->cursor_on = true;
	a->dash->cursor_t = t0 + (t1 - t0) / 2;
}

static void zoom(struct app *a, int dir)
{
	a->dash->zoom_set = true;
	if (dir > 0 && a->dash->zoom > 0)
		a->dash->zoom--;
	else if (dir < 0 && a->dash->zoom + 1 < NSPANS)
		a->dash->zoom++;
	else
		return;
	if (a->dash->cursor_on) {
		uint64_t span = (uint64_t)spans[a->dash->zoom] * 1000000ULL;

		/* keep the cursor's moment in view */
		a->dash->view_end = a->dash->cursor_t + span / 2;
	}
	app_message(a, ROLE_DIM, "window %us", spans[a->dash->zoom]);
}

static void pan(struct app *a, int dir)
{
	uint64_t span = (uint64_t)spans[a->dash->zoom] * 1000000ULL, lo, hi;

	samples_span(a->ss, &lo, &hi);
	freeze(a);
	if (dir < 0) {
		a->dash->view_end = a->dash->view_end > span / 2 + span ? a->dash->view_end - span / 2 : span;
	} else {
		a->dash->view_end += span / 2;
		if (a->dash->view_end >= hi && !a->dash->cursor_on) {
			a->dash->live = true;
			app_message(a, ROLE_DIM, "following live data");
		}
	}
}

static unsigned dash_key(struct app *a, int key)
{
	int gi = (int)a->dash->focus - PANE_IOPS;

	for (unsigned k = 0; k < nknobs; k++)
		if (key == knobs[k].key) {
			act_knob_prompt(a, (int)k);
			return WK_HANDLED | WK_REDRAW;
		}
	switch (key) {
	case '\t':
		a->dash->focus = (enum pane)((a->dash->focus + 1) % PANE_NR);
		return WK_HANDLED | WK_REDRAW;
	case KEY_BTAB:
		a->dash->focus = (enum pane)((a->dash->focus + PANE_NR - 1) % PANE_NR);
		return WK_HANDLED | WK_REDRAW;
	case KEY_UP:
	case KEY_DOWN:
	case 'k':
	case 'j':
	case KEY_PPAGE:
	case KEY_NPAGE:
	case KEY_HOME:
	case KEY_END: {
		unsigned r;

		/* End: back to live data as before, and in the jobs pane the
		 * last job too */
		if (key == KEY_END && (gi >= 0 || a->dash->cursor_on)) {
			cursor_off(a);
			return WK_HANDLED | WK_REDRAW;
		}
		if (key == KEY_END)
			cursor_off(a);
		if (key == KEY_HOME && gi >= 0)
			break;
		r = widget_key(table_widget(a->dash->jobtab), key);
		a->sel = (unsigned)table_selected(a->dash->jobtab);
		if (a->sel >= a->dash->njobs && a->dash->njobs) {  /* host rows: shown only */
			a->sel = a->dash->njobs - 1;
			table_select(a->dash->jobtab, a->sel);
		}
		return r | WK_HANDLED;
	}
	case KEY_LEFT:
	case KEY_RIGHT:
	case 'h':
	case 'l':
		if (gi < 0) {
			a->dash->focus = PANE_IOPS;
			gi = 0;
		}
		if (!a->dash->cursor_on)
			graph_set_cursor(a->dash->graph[gi], -1);
		a->dash->tip_mouse = false;
		widget_key(graph_widget(a->dash->graph[gi]), key);
		cursor_from_graph(a, a->dash->graph[gi]);
		return WK_HANDLED | WK_REDRAW;
	case 27:
		if (a->dash->cursor_on) {
			cursor_off(a);
			return WK_HANDLED | WK_REDRAW;
		}
		if (!a->dash->live) {
			a->dash->live = true;
			return WK_HANDLED | WK_REDRAW;
		}
		return WK_HANDLED;
	case '\n':
	case '\r':
	case KEY_ENTER:
		results_show(a, a->sel);
		return WK_HANDLED | WK_REDRAW;
	case '+':
	case '=':
		zoom(a, 1);
		return WK_HANDLED | WK_REDRAW;
	case '-':
	case '_':
		zoom(a, -1);
		return WK_HANDLED | WK_REDRAW;
	case '[':
		pan(a, -1);
		return WK_HANDLED | WK_REDRAW;
	case ']':
		pan(a, 1);
		return WK_HANDLED | WK_REDRAW;
	case 'H':
		a->dash->heat_on = !a->dash->heat_on && a->dash->heat;
		app_message(a, ROLE_DIM, a->dash->heat_on ? "latency: heat map" : "latency: lines");
		return WK_HANDLED | WK_REDRAW;
	case 'a':
		a->dash->overlay = !a->dash->overlay;
		app_message(a, ROLE_DIM, a->dash->overlay ? "graphs: all jobs" : "graphs: selected job");
		return WK_HANDLED | WK_REDRAW;
	case 'g':
		if (!term_utf8()) {
			app_message(a, ROLE_DIM, "graphs: ASCII (the locale is not UTF-8)");
			return WK_HANDLED | WK_REDRAW;
		}
		a->gmode = (enum graph_mode)((a->gmode + 1) % GRAPH_MODE_NR);
		app_message(a, ROLE_DIM, "graphs: %s",
			    a->gmode == GRAPH_BRAILLE ? "braille" : a->gmode == GRAPH_BLOCK ? "blocks"
											   : "ASCII");
		return WK_HANDLED | WK_REDRAW;
	}
	return WK_IGNORED;
}

static void dash_mouse(struct app *a, const MEVENT *m)
{
	long row;

	if (m->bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)) {
		row = table_row_at(a->dash->jobtab, m->y, m->x);
		if (row >= 0 && (unsigned long)row < a->dash->njobs) {
			a->sel = (unsigned)row;
			table_select(a->dash->jobtab, a->sel);
			a->dash->focus = PANE_JOBS;
			a->dirty = true;
			return;
		}
	}
	for (int i = 0; i < NGRAPHS; i++) {
		bool heat = i == PANE_LAT - PANE_IOPS && a->dash->heat_on && a->dash->heat;
		int col = heat ? heatmap_col_at(a->dash->heat, m->y, m->x)
			       : graph_col_at(a->dash->graph[i], m->y, m->x);

		if (col < 0)
			continue;
		if (heat && !(m->bstate & (BUTTON4_PRESSED | BUTTON5_PRESSED))) {
			uint64_t t0, t1;

			/* the heat map's own column: its plot is not the graph's */
			a->dash->focus = PANE_LAT;
			a->dash->tip_mouse = true;
			a->dash->mouse_y = m->y;
			a->dash->mouse_x = m->x;
			a->dash->heat_row = heatmap_row_at(a->dash->heat, m->y);
			if (!heatmap_col_range(a->dash->heat, col, &t0, &t1)) {
				freeze(a);
				a->dash->cursor_on = true;
				a->dash->cursor_t = t0 + (t1 - t0) / 2;
				graph_set_cursor(a->dash->graph[i], graph_time_col(a->dash->graph[i], a->dash->cursor_t));
			}
			a->dirty = true;
			return;
		}
		if (m->bstate & BUTTON4_PRESSED) {
			zoom(a, 1);
		} else if (m->bstate & BUTTON5_PRESSED) {
			zoom(a, -1);
		} else {
			a->dash->focus = (enum pane)(PANE_IOPS + i);
			graph_set_cursor(a->dash->graph[i], col);
			a->dash->tip_mouse = true;
			a->dash->mouse_y = m->y;
			a->dash->mouse_x = m->x;
			cursor_from_graph(a, a->dash->graph[i]);
			a->dash->tip_mouse = true;
		}
		a->dirty = true;
		return;
	}
	/* the pointer left the graphs: a mouse tooltip goes away */
	if (a->dash->tip_mouse && a->dash->cursor_on) {
		cursor_off(a);
		a->dirty = true;
	}
}

static void dash_footer(struct app *a, struct statusbar *sb)
{
	char buf[160];
	static const struct statusbar_item items[] = {
		{ "F1", "Help", 0 },   { "F2", "Edit", 1 },    { "F3", "Results", 2 },
		{ "F5", "Start", 0 },  { "F6", "Stop", 1 },    { "F7", "Restart", 4 },
		{ "d", "QD", 3 },      { "b", "BS", 5 },       { "o", "IOPS", 5 },
		{ "w", "BW", 6 },      { "m", "Mix", 6 },      { "a", "All", 4 },
		{ "H", "Heat", 3 },    { "C", "Rec", 4 },
		{ "Tab", "Pane", 7 },  { "\u2190\u2192", "Cursor", 7 },
		{ "+-", "Zoom", 6 },   { "[]", "Pan", 8 },     { "P", "Profiles", 5 },
		{ "D", "Diagnose", 5 }, { "c", "Hosts", 5 }, { "q", "Quit", 0 },
	};
	static const struct statusbar_item items_ascii[] = {
		{ "F1", "Help", 0 },   { "F2", "Edit", 1 },    { "F3", "Results", 2 },
		{ "F5", "Start", 0 },  { "F6", "Stop", 1 },    { "F7", "Restart", 4 },
		{ "d", "QD", 3 },      { "b", "BS", 5 },       { "o", "IOPS", 5 },
		{ "w", "BW", 6 },      { "m", "Mix", 6 },      { "a", "All", 4 },
		{ "H", "Heat", 3 },    { "C", "Rec", 4 },
		{ "Tab", "Pane", 7 },  { "<>", "Cursor", 7 },
		{ "+-", "Zoom", 6 },   { "[]", "Pan", 8 },     { "P", "Profiles", 5 },
		{ "D", "Diagnose", 5 }, { "c", "Hosts", 5 }, { "q", "Quit", 0 },
	};

	/* what the source cannot do is greyed out (source.h caps) */
	static const struct {
		const char *key;
		unsigned cap;
	} needs[] = { { "F5", SRC_CAP_START }, { "F6", SRC_CAP_STOP }, { "F7", SRC_CAP_RESTART },
		      { "d", SRC_CAP_KNOBS },  { "b", SRC_CAP_KNOBS }, { "o", SRC_CAP_KNOBS },
		      { "w", SRC_CAP_KNOBS },  { "m", SRC_CAP_KNOBS } };

	if (term_utf8())
		statusbar_set(sb, items, sizeof(items) / sizeof(items[0]));
	else
		statusbar_set(sb, items_ascii, sizeof(items_ascii) / sizeof(items_ascii[0]));
	for (size_t k = 0; k < sizeof(needs) / sizeof(needs[0]); k++)
		statusbar_dim(sb, needs[k].key, !source_can(a->src, needs[k].cap));
	statusbar_dim(sb, "F2", app_edit_refusal(a, buf, sizeof(buf))[0] != '\0');
	statusbar_dim(sb, "c", !source_hosts(a->src, NULL, 0));
	statusbar_dim(sb, "C", !a->hooks || !a->hooks->record);
}

static void dash_enter(struct app *a)
{
	dash_layout(a);
}

const struct screen_ops dash_screen = {
	.name = "dashboard",
	.open = dash_open,
	.close = dash_close,
	.enter = dash_enter,
	.resize = dash_layout,
	.update = dash_update,
	.draw = dash_draw,
	.key = dash_key,
	.mouse = dash_mouse,
	.footer = dash_footer,
};
