/* Dashboard graphs: what the four graphs, the heat map and the cursor's
 * tooltip show (dash.c lays them out, draws them and moves the cursor;
 * the state is in dash_int.h).
 *
 * dash_build_series() reads samples_range() per job over the graphs'
 * window (and the baseline's recording, --baseline, moved onto the live
 * axis and drawn dim); dash_build_marks() puts the knob changes on the
 * time axis. The tooltip asks the store once, samples_query() over the
 * time range of the cursor's column, and shows every sample of the
 * graph's series under it.
 *
 * The heat map: heat_fill() sums the samples' latency histograms under
 * each of its columns (samples_heat), for the selected job or, overlaid,
 * every job; its tooltip lists the latency ranges of the cursor's column. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/units.h"
#include "app.h"
#include "dash_int.h"

/* ---------------------------------------------------------------- data */

double dash_metric_value(const struct sample *s, enum metric m, int dir)
{
	double v = 0;
	bool any = false;

	switch (m) {
	case M_IOPS:
	case M_BW:
		for (int d = 0; d < DDIR_RWDIR_CNT; d++)
			if (dir < 0 || d == dir)
				v += m == M_IOPS ? s->dir[d].iops : s->dir[d].bw;
		return v;
	case M_P50:
	case M_P99:
		for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
			double x = m == M_P50 ? s->dir[d].lat_p50 : s->dir[d].lat_p99;

			if ((dir >= 0 && d != dir) || !s->dir[d].ios)
				continue;
			if (!any || x > v)
				v = x;
			any = true;
		}
		return any ? v : NAN;
	case M_UTIL:
		return s->dev_util;
	case M_RAWAIT:
		return s->dev_rps > 0 ? s->dev_r_await * 1e6 : NAN;
	case M_WAWAIT:
		return s->dev_wps > 0 ? s->dev_w_await * 1e6 : NAN;
	case M_QD:
		return s->iodepth_set;
	}
	return NAN;
}

static enum unit metric_unit(enum metric m)
{
	switch (m) {
	case M_IOPS:
	case M_QD:
		return UNIT_NONE;
	case M_BW:
		return UNIT_BYTES_S;
	case M_UTIL:
		return UNIT_PCT;
	default:
		return UNIT_NSEC;
	}
}

/* Samples of job @job in the window into the dash buffer; returns count. */
static size_t fetch(struct app *a, unsigned job, uint64_t t0, uint64_t t1)
{
	struct dash_state *ds = a->dash;
	size_t n = samples_range(a->ss, job, t0, t1, ds->sbuf, ds->scap);

	if (n > ds->scap) {
		struct sample *nb = realloc(ds->sbuf, n * sizeof(*nb));

		if (!nb)
			return ds->scap;
		ds->sbuf = nb;
		ds->scap = n;
		n = samples_range(a->ss, job, t0, t1, ds->sbuf, ds->scap);
	}
	return n < ds->scap ? n : ds->scap;
}

/* ---- the baseline (--baseline): a recording under the live graphs ---- */

/* The baseline's job for job @job: the one with its label, else the one
 * in its place; -1 when none. */
static int base_job(struct app *a, unsigned job)
{
	const struct source_status *st = dash_row_status(a, job);
	unsigned n = source_njobs(a->base);

	for (unsigned i = 0; st && i < n; i++) {
		struct source_status bs;

		if (!source_status(a->base, i, &bs) && !strcmp(bs.label, st->label))
			return (int)i;
	}
	return job < n ? (int)job : -1;
}

/* What to add to a baseline time to set it on the live axis: both start
 * at their first sample. */
static int64_t base_offset(struct app *a)
{
	uint64_t l0, l1, b0, b1;

	samples_span(a->ss, &l0, &l1);
	samples_span(source_samples(a->base), &b0, &b1);
	return (int64_t)(l1 ? l0 : 0) - (int64_t)b0;
}

/* The baseline's samples of job @bj over the live window [t0, t1], their
 * times moved onto the live axis, into ds->bbuf. Returns how many. */
static size_t fetch_base(struct app *a, int bj, uint64_t t0, uint64_t t1)
{
	struct dash_state *ds = a->dash;
	int64_t off = base_offset(a);
	uint64_t b0 = (int64_t)t0 - off > 0 ? (uint64_t)((int64_t)t0 - off) : 0;
	uint64_t b1 = (int64_t)t1 - off > 0 ? (uint64_t)((int64_t)t1 - off) : 0;
	struct sample_store *bs = source_samples(a->base);
	size_t n;

	if (bj < 0 || b1 == 0)
		return 0;
	n = samples_range(bs, (unsigned)bj, b0, b1, ds->bbuf, ds->bcap);
	if (n > ds->bcap) {
		struct sample *nb = realloc(ds->bbuf, n * sizeof(*nb));

		if (!nb)
			return 0;
		ds->bbuf = nb;
		ds->bcap = n;
		n = samples_range(bs, (unsigned)bj, b0, b1, ds->bbuf, ds->bcap);
	}
	n = n < ds->bcap ? n : ds->bcap;
	for (size_t i = 0; i < n; i++) {
		ds->bbuf[i].t_start = (uint64_t)((int64_t)ds->bbuf[i].t_start + off);
		ds->bbuf[i].t_end = (uint64_t)((int64_t)ds->bbuf[i].t_end + off);
	}
	return n;
}

static int points_reserve(struct dash_state *ds, size_t n)
{
	if (n > ds->pcap) {
		struct graph_point *np = realloc(ds->pts, n * sizeof(*np));

		if (!np)
			return -ENOMEM;
		ds->pts = np;
		ds->pcap = n;
	}
	return 0;
}

static void add_series(struct app *a, int gi, unsigned job, enum metric m, int dir,
		       const char *name, enum role role, int axis, const struct sample *s,
		       size_t n)
{
	struct dash_state *ds = a->dash;
	struct graph *g = a->dash->graph[gi];
	char val[24];
	double last = NAN;
	int idx;

	if (ds->ndesc[gi] >= GRAPH_MAX_SERIES || points_reserve(ds, n ? n : 1))
		return;
	for (size_t i = 0; i < n; i++) {
		ds->pts[i].t0 = s[i].t_start;
		ds->pts[i].t1 = s[i].t_end;
		ds->pts[i].v = dash_metric_value(&s[i], m, dir);
		if (!isnan(ds->pts[i].v))
			last = ds->pts[i].v;
	}
	idx = graph_add_series(g, name, role, axis);
	if (idx < 0)
		return;
	/* "read p99" -> "r p99" where the legend is narrow */
	for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
		size_t l = strlen(ddir_name(d));

		if (!strncmp(name, ddir_name(d), l) && (name[l] == ' ' || !name[l])) {
			char sh[16];

			/* "read p99" -> "r99", "read" -> "r" */
			snprintf(sh, sizeof(sh), "%c%.12s", ddir_name(d)[0],
				 !strncmp(name + l, " p", 2) ? name + l + 2 : name + l);
			graph_set_short_label(g, idx, sh);
		}
	}
	if (!isnan(last)) {
		units_fmt(val, sizeof(val), last, metric_unit(m));
		graph_set_value(g, idx, val);
	}
	graph_set_points(g, idx, ds->pts, n);
	ds->desc[gi][ds->ndesc[gi]].job = job;
	ds->desc[gi][ds->ndesc[gi]].m = m;
	ds->desc[gi][ds->ndesc[gi]].dir = dir;
	ds->desc[gi][ds->ndesc[gi]].role = role;
	ds->desc[gi][ds->ndesc[gi]].base = false;
	snprintf(ds->desc[gi][ds->ndesc[gi]].name, sizeof(ds->desc[gi][0].name), "%s", name);
	ds->ndesc[gi]++;
}

static bool has_device(const struct sample *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i].dev_util > 0 || s[i].dev_rps > 0 || s[i].dev_wps > 0)
			return true;
	return false;
}

/* Series of the graphs for the selected job (or every job overlaid). */
void dash_build_series(struct app *a)
{
	static const enum role p50_role[DDIR_RWDIR_CNT] = { ROLE_SERIES0, ROLE_SERIES1,
							    ROLE_SERIES6 };
	static const enum role p99_role[DDIR_RWDIR_CNT] = { ROLE_SERIES2, ROLE_SERIES3,
							    ROLE_SERIES5 };
	struct dash_state *ds = a->dash;
	unsigned n = source_njobs(a->src);
	bool any_dev = false;

	graph_set_title(a->dash->graph[2], a->dash->overlay ? "Latency p99" : "Latency");
	graph_set_short_title(a->dash->graph[2], a->dash->overlay ? "p99" : "Lat");
	graph_set_title(a->dash->graph[3], a->dash->overlay ? "Device util" : "Device util / await");
	graph_set_short_title(a->dash->graph[3], a->dash->overlay ? "Util" : "Dev");
	for (int i = 0; i < NGRAPHS; i++) {
		graph_clear_series(a->dash->graph[i]);
		graph_set_mode(a->dash->graph[i], a->gmode);
		graph_set_xrange(a->dash->graph[i], ds->t_lo, ds->t_hi);
		ds->ndesc[i] = 0;
	}
	if (!n)
		return;
	if (a->dash->overlay) {
		for (unsigned j = 0; j < n && j < GRAPH_MAX_SERIES; j++) {
			const struct source_status *st = dash_row_status(a, j);
			const char *name = st ? st->label : "?";
			size_t cnt = fetch(a, j, ds->t_lo, ds->t_hi);
			enum role r = role_series(j);

			add_series(a, 0, j, M_IOPS, -1, name, r, 0, ds->sbuf, cnt);
			add_series(a, 1, j, M_BW, -1, name, r, 0, ds->sbuf, cnt);
			add_series(a, 2, j, M_P99, -1, name, r, 0, ds->sbuf, cnt);
			add_series(a, 3, j, M_UTIL, -1, name, r, 0, ds->sbuf, cnt);
			any_dev |= has_device(ds->sbuf, cnt);
		}
	} else {
		unsigned j = a->sel < n ? a->sel : 0;
		const struct job_opts *o = source_opts(a->src, j);
		size_t cnt = fetch(a, j, ds->t_lo, ds->t_hi);
		char name[32];

		if (!o)
			return;
		if (a->base) { /* first: drawn under the live lines */
			int bj = base_job(a, j);
			size_t bn = fetch_base(a, bj, ds->t_lo, ds->t_hi);

			for (int d = 0; bn && d < DDIR_RWDIR_CNT; d++) {
				if (!opts_has_ddir(o, (enum ddir)d))
					continue;
				snprintf(name, sizeof(name), "base %c", ddir_name(d)[0]);
				add_series(a, 0, (unsigned)bj, M_IOPS, d, name, ROLE_DIM, 0, ds->bbuf, bn);
				add_series(a, 1, (unsigned)bj, M_BW, d, name, ROLE_DIM, 0, ds->bbuf, bn);
				snprintf(name, sizeof(name), "base %c99", ddir_name(d)[0]);
				add_series(a, 2, (unsigned)bj, M_P99, d, name, ROLE_DIM, 0, ds->bbuf, bn);
				for (int gi = 0; gi < 3; gi++)
					ds->desc[gi][ds->ndesc[gi] - 1].base = true;
			}
		}

		for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
			if (!opts_has_ddir(o, (enum ddir)d))
				continue;
			add_series(a, 0, j, M_IOPS, d, ddir_name(d), role_series((unsigned)d), 0,
				   ds->sbuf, cnt);
			add_series(a, 1, j, M_BW, d, ddir_name(d), role_series((unsigned)d), 0,
				   ds->sbuf, cnt);
		}
		for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
			if (!opts_has_ddir(o, (enum ddir)d))
				continue;
			snprintf(name, sizeof(name), "%s p50", ddir_name(d));
			add_series(a, 2, j, M_P50, d, name, p50_role[d], 0, ds->sbuf, cnt);
			snprintf(name, sizeof(name), "%s p99", ddir_name(d));
			add_series(a, 2, j, M_P99, d, name, p99_role[d], 0, ds->sbuf, cnt);
		}
		/* latency_target: the depth the search tried, beside its latency */
		if (o->latency_target_us)
			add_series(a, 2, j, M_QD, -1, "QD", ROLE_SERIES4, 1, ds->sbuf, cnt);
		any_dev = has_device(ds->sbuf, cnt);
		add_series(a, 3, j, M_UTIL, -1, "util", ROLE_SERIES3, 0, ds->sbuf, cnt);
		if (opts_has_ddir(o, DDIR_READ))
			add_series(a, 3, j, M_RAWAIT, -1, "r_await", ROLE_SERIES0, 1, ds->sbuf, cnt);
		if (opts_has_ddir(o, DDIR_WRITE))
			add_series(a, 3, j, M_WAWAIT, -1, "w_await", ROLE_SERIES1, 1, ds->sbuf, cnt);
	}
	for (int i = 0; i < NGRAPHS; i++) {
		const char *note = !app_started(a)	   ? "not started: F5 starts the jobs"
				   : app_any_running(a) ? "waiting for samples"
							: "no samples in this window";

		graph_set_note(a->dash->graph[i], note);
	}
	if (!any_dev) {
		graph_clear_series(a->dash->graph[3]);
		ds->ndesc[3] = 0;
		graph_set_note(a->dash->graph[3], app_started(a) ? "no block device under the target"
						       : "not started: F5 starts the jobs");
	}
}

/* @s with every whole number that is a multiple of a thousand written as
 * "50k" (of a million, "2M"): "50000,50000->45000,5000" as
 * "50k,50k->45k,5k", short enough for an 80-column time axis. */
static void compact_thousands(char *buf, size_t len, const char *s)
{
	size_t o = 0;

	while (*s && o + 1 < len) {
		if (isdigit((unsigned char)*s)) {
			char *end;
			unsigned long long v = strtoull(s, &end, 10);
			int n;

			if (v >= 1000000 && v % 1000000 == 0)
				n = snprintf(buf + o, len - o, "%lluM", v / 1000000);
			else if (v >= 1000 && v % 1000 == 0)
				n = snprintf(buf + o, len - o, "%lluk", v / 1000);
			else
				n = snprintf(buf + o, len - o, "%.*s", (int)(end - s), s);
			if (n < 0 || (size_t)n >= len - o)
				break;
			o += (size_t)n;
			s = end;
		} else {
			buf[o++] = *s++;
		}
	}
	buf[o] = '\0';
}

/* "iodepth 1->32" as "QD 1->32", "rate_iops 5000->3000" as "IOPS cap
 * 5k->3k", with the job's name when overlaid. */
static void mark_text(struct app *a, const struct sample_mark *m, char *buf, size_t len)
{
	static const struct {
		const char *from, *to;
	} abbrev[] = { { "iodepth ", "QD " }, { "rate_iops ", "IOPS cap " },
		       { "rate ", "BW cap " },  { "rwmixread ", "mix " } };
	const struct source_status *st;
	const char *t = m->text;
	char tmp[64];

	snprintf(tmp, sizeof(tmp), "%s", t);
	for (size_t i = 0; i < sizeof(abbrev) / sizeof(abbrev[0]); i++)
		if (!strncmp(t, abbrev[i].from, strlen(abbrev[i].from))) {
			char num[48];

			if (!strcmp(abbrev[i].from, "rate_iops "))
				compact_thousands(num, sizeof(num), t + strlen(abbrev[i].from));
			else
				snprintf(num, sizeof(num), "%s", t + strlen(abbrev[i].from));
			snprintf(tmp, sizeof(tmp), "%s%s", abbrev[i].to, num);
			break;
		}
	st = m->job >= 0 ? dash_row_status(a, (unsigned)m->job) : NULL;
	if (a->dash->overlay && st && m->njobs > 1) {
		/* clones changed together: "capped.0-7" */
		char range[24];

		snprintf(range, sizeof(range), "%u-%u", st->clone, st->clone + (unsigned)m->njobs - 1);
		snprintf(buf, len, "%.11s.%.9s: %.40s", st->name, range, tmp);
	} else if (a->dash->overlay && st)
		snprintf(buf, len, "%.20s: %.40s", st->label, tmp);
	else
		snprintf(buf, len, "%s", tmp);
}

/* Whether mark @m concerns job @id. */
static bool mark_of(const struct sample_mark *m, unsigned id)
{
	unsigned n = m->njobs > 1 ? (unsigned)m->njobs : 1;

	return m->job < 0 || (id >= (unsigned)m->job && id - (unsigned)m->job < n);
}

void dash_build_marks(struct app *a)
{
	struct sample_mark m[GRAPH_MAX_MARKS];
	struct graph_mark gm[GRAPH_MAX_MARKS];
	size_t n = samples_marks(a->ss, a->dash->t_lo, a->dash->t_hi, m, GRAPH_MAX_MARKS), k = 0;

	for (size_t i = 0; i < n; i++) {
		if (!a->dash->overlay && !mark_of(&m[i], a->sel))
			continue;
		gm[k].t = m[i].t;
		mark_text(a, &m[i], gm[k].text, sizeof(gm[k].text));
		k++;
	}
	for (int i = 0; i < NGRAPHS; i++)
		graph_set_marks(a->dash->graph[i], gm, k);
}
/* ------------------------------------------------------------ heat map */

/* Fills @h's columns over [t0, t1): the latency histograms (every
 * direction) of jobs j0 .. j1 - 1, summed under each column, from the
 * source's sample store. The one place a heat map reads the run (the
 * dashboard's and the results view's). */
void heat_fill(struct app *a, struct heatmap *h, unsigned j0, unsigned j1, uint64_t t0,
	       uint64_t t1)
{
	static uint64_t cnt[SAMPLES_HEAT_NR]; /* UI thread only */
	unsigned n = source_njobs(a->src);
	int py, px, ph, pw;
	uint64_t c0, c1;

	heatmap_set_xrange(h, t0, t1);
	heatmap_clear(h);
	heatmap_plot_rect(h, &py, &px, &ph, &pw);
	for (int c = 0; c < pw; c++) {
		if (heatmap_col_range(h, c, &c0, &c1))
			continue;
		memset(cnt, 0, sizeof(cnt));
		for (unsigned j = j0; j < j1 && j < n; j++)
			samples_heat(a->ss, j, c0, c1, (1u << DDIR_RWDIR_CNT) - 1, cnt);
		heatmap_set_col(h, c, cnt);
	}
}

/* The dashboard's heat map: the selected job, or every job overlaid. */
void dash_heat(struct app *a)
{
	struct dash_state *ds = a->dash;
	unsigned n = source_njobs(a->src);

	heatmap_set_title(ds->heat, ds->overlay ? "Latency heat map, all jobs" : "Latency heat map");
	heatmap_set_short_title(ds->heat, ds->overlay ? "Heat, all" : "Heat map");
	heatmap_set_note(ds->heat, !a->started		? "not started: F5 starts the jobs"
				   : app_any_running(a) ? "waiting for samples"
							: "no samples in this window");
	heat_fill(a, ds->heat, ds->overlay ? 0 : a->sel, ds->overlay ? n : a->sel + 1, ds->t_lo,
		  ds->t_hi);
	heatmap_set_cursor(ds->heat, ds->cursor_on ? heatmap_time_col(ds->heat, ds->cursor_t) : -1);
}

/* ------------------------------------------------------------- tooltip */

void dash_update_tooltip(struct app *a)
{
	struct dash_state *ds = a->dash;
	int gi = (int)a->dash->focus - PANE_IOPS, col, py, px, ph, pw;
	struct graph *g;
	uint64_t t0, t1;
	size_t n, shown = 0;
	char title[64], val[80], left[80];
	struct sample_mark marks[8];
	size_t nm;

	tooltip_clear(a->dash->tip);
	if (!a->dash->cursor_on || gi < 0 || gi >= NGRAPHS)
		return;
	if (gi == PANE_LAT - PANE_IOPS && a->dash->heat_on && a->dash->heat) {
		struct widget *hw = heatmap_widget(a->dash->heat);

		col = heatmap_time_col(a->dash->heat, a->dash->cursor_t);
		if (col < 0 || heatmap_col_range(a->dash->heat, col, &t0, &t1))
			return;
		snprintf(title, sizeof(title), "t=%.1fs", (double)(t0 + (t1 - t0) / 2) / 1e6);
		tooltip_set_title(a->dash->tip, title);
		heatmap_tip(a->dash->heat, col, a->dash->tip_mouse ? a->dash->heat_row : -1, a->dash->tip);
		heatmap_plot_rect(a->dash->heat, &py, &px, &ph, &pw);
		tooltip_set_bounds(a->dash->tip, hw->y, hw->x, hw->h, hw->w);
		if (a->dash->tip_mouse)
			tooltip_set_anchor(a->dash->tip, a->dash->mouse_y, a->dash->mouse_x);
		else
			tooltip_set_anchor(a->dash->tip, py + ph / 3, px + col);
		return;
	}
	g = a->dash->graph[gi];
	col = graph_cursor(g);
	if (col < 0 || graph_col_range(g, col, &t0, &t1))
		return;
	/* one query: every sample of every job under the column */
	n = samples_query(a->ss, t0, t1, ds->qbuf, MAX_QUERY);
	if (n > MAX_QUERY)
		n = MAX_QUERY;
	snprintf(title, sizeof(title), "t=%.1fs", (double)(t0 + (t1 - t0) / 2) / 1e6);
	tooltip_set_title(a->dash->tip, title);
	for (size_t i = 0; i < ds->ndesc[gi]; i++) {
		const struct series_desc *sd = &ds->desc[gi][i];
		double sum = 0, bv = NAN;
		unsigned cnt = 0;

		if (sd->base)
			continue; /* beside its live value below */
		if (a->base && !a->dash->overlay) {
			size_t bn = fetch_base(a, base_job(a, sd->job), t0, t1);
			double bsum = 0;
			unsigned bc = 0;

			for (size_t k = 0; k < bn; k++) {
				double v = dash_metric_value(&ds->bbuf[k], sd->m, sd->dir);

				if (!isnan(v)) {
					bsum += v;
					bc++;
				}
			}
			bv = bc ? bsum / bc : NAN;
		}

		for (size_t k = 0; k < n; k++) {
			double v;

			if (ds->qbuf[k].job != sd->job)
				continue;
			v = dash_metric_value(&ds->qbuf[k], sd->m, sd->dir);
			if (isnan(v))
				continue;
			sum += v;
			cnt++;
		}
		if (!cnt)
			continue;
		units_fmt(val, sizeof(val), sum / cnt, metric_unit(sd->m));
		if (sd->m == M_IOPS)
			strncat(val, " IOPS", sizeof(val) - strlen(val) - 1);
		if (!isnan(bv)) { /* live vs baseline: "2k IOPS  base 1k +100%" */
			char b[24], d[16] = "";
			size_t l = strlen(val);

			units_fmt(b, sizeof(b), bv, metric_unit(sd->m));
			if (bv > 0)
				snprintf(d, sizeof(d), " %+.0f%%", (sum / cnt - bv) / bv * 100);
			snprintf(val + l, sizeof(val) - l, "  base %s%s", b, d);
		}
		if (a->dash->overlay || !dash_row_status(a, sd->job))
			snprintf(left, sizeof(left), "%s", sd->name);
		else
			snprintf(left, sizeof(left), "%.40s %.38s", dash_row_status(a, sd->job)->label,
				 sd->name);
		tooltip_add(a->dash->tip, (int)sd->role, left, val);
		shown++;
	}
	if (!shown)
		tooltip_add(a->dash->tip, -1, n ? "no figures for this graph" : "no samples here", "");
	nm = samples_marks(a->ss, t0, t1, marks, 8);
	for (size_t i = 0; i < nm; i++) {
		char txt[64];

		if (!a->dash->overlay && !mark_of(&marks[i], a->sel))
			continue;
		mark_text(a, &marks[i], txt, sizeof(txt));
		tooltip_add(a->dash->tip, ROLE_MARK, txt, "");
	}
	graph_plot_rect(g, &py, &px, &ph, &pw);
	/* inside its own graph where it fits */
	tooltip_set_bounds(a->dash->tip, graph_widget(g)->y, graph_widget(g)->x, graph_widget(g)->h,
			   graph_widget(g)->w);
	if (a->dash->tip_mouse)
		tooltip_set_anchor(a->dash->tip, a->dash->mouse_y, a->dash->mouse_x);
	else
		tooltip_set_anchor(a->dash->tip, py + ph / 3, px + col);
}
