/* Diagnose view's steps: what the step table's cells, the selected step's
 * IOPS and latency graphs (tail spikes as marks), the latency heat map and
 * the cursor's tooltip show, all read from the UI's copy of the run
 * (diag_state.view). diag.c runs the battery, lays these widgets out,
 * draws them and moves the cursor; the state is in diag_int.h. UI thread
 * only. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "../backend/diagnose.h"
#include "../lib/units.h"
#include "../widgets/heatmap.h"
#include "../widgets/tooltip.h"
#include "app.h"
#include "diag_int.h"
#include "term.h"

/* ------------------------------------------------------------- table */

static const char *const status_name[] = {
	[DIAG_NOT_RUN] = "waiting", [DIAG_DONE] = "done",	 [DIAG_STOPPED] = "stopped",
	[DIAG_SKIPPED] = "skipped", [DIAG_FAILED] = "failed",
};

void diag_step_cell(void *ctx, size_t row, int col, char *buf, size_t len, enum role *role)
{
	struct app *a = ctx;
	struct diag_state *ds = a->diag;
	const struct diagnose_step *s;
	bool live, have;

	buf[0] = '\0';
	if (row >= DIAG_STEP_NR)
		return;
	s = &ds->view.res.steps[row];
	live = diag_running(ds) && !ds->view.preparing && ds->view.index == row &&
	       s->status == DIAG_NOT_RUN && ds->view.phase != DIAG_PHASE_STEP_SKIPPED;
	have = s->status == DIAG_DONE || s->status == DIAG_STOPPED;
	switch (col) {
	case 0:
		if (table_col_width(ds->tab, 0) >= 40) {
			int w = table_col_width(ds->tab, 0);

			snprintf(buf, len, "%-18s %s", s->name, s->title);
			if (text_width(buf) > w && len > (size_t)w + 4) {
				/* clipped: end in an ellipsis */
				size_t fit = text_fit(buf, w - 1);

				snprintf(buf + fit, len - fit, "%s", widget_glyphs->ellipsis);
			}
		} else
			snprintf(buf, len, "%s", s->name);
		break;
	case 1:
		snprintf(buf, len, "%s",
			 live ? "running"
			 : s->status == DIAG_NOT_RUN && ds->view.done ? "not run"
								       : status_name[s->status]);
		*role = live				 ? ROLE_RUNNING
			: s->status == DIAG_DONE	 ? ROLE_OK
			: s->status == DIAG_FAILED	 ? ROLE_ERROR
			: s->status == DIAG_NOT_RUN ? ROLE_DIM
						     : ROLE_WARN;
		break;
	case 2:
	case 3:
	case 4:
	case 5:
	case 6:
		if (live && ds->view.nlive) {
			/* the newest interval while it runs */
			const struct diagnose_point *p = &ds->view.live[ds->view.nlive - 1];
			double v = col == 2 ? p->iops
				   : col == 3 ? p->iops * s->bs
				   : col == 4 ? p->lat_p50_us * 1000
				   : col == 5 ? p->lat_p99_us * 1000
					      : p->lat_p999_us * 1000;

			units_fmt_or_dash(buf, len, p->ios > 0 || col < 4, v,
					  col == 2 ? UNIT_NONE : col == 3 ? UNIT_BYTES_S : UNIT_NSEC);
			*role = ROLE_DIM;
			break;
		}
		if (col == 2)
			units_fmt_or_dash(buf, len, have, s->iops, UNIT_NONE);
		else if (col == 3)
			units_fmt_or_dash(buf, len, have, s->bw_bytes, UNIT_BYTES_S);
		else
			units_fmt_or_dash(buf, len, have && s->iops > 0,
					  (col == 4 ? s->lat_p50_us : col == 5 ? s->lat_p99_us
									: s->lat_p999_us) * 1000,
					  UNIT_NSEC);
		break;
	case 7:
		units_fmt_or_dash(buf, len, have, s->util, UNIT_PCT);
		break;
	}
}

const struct table_col diag_step_cols[DIAG_STEP_NCOL] = {
	{ "Step", 16, 1, false },   { "Status", 7, 0, false }, { "IOPS", 7, 0, true },
	{ "Bandwidth", 10, 0, true }, { "p50", 8, 0, true },   { "p99", 8, 0, true },
	{ "p99.9", 8, 0, true },      { "Util", 5, 0, true },
};

/* ------------------------------------------------------------ graphs */

void diag_set_graphs(struct app *a)
{
	struct diag_state *ds = a->diag;
	const struct diagnose_step *s = &ds->view.res.steps[ds->sel];
	const struct diagnose_point *pts;
	struct graph_point gp[DIAG_MAX_POINTS];
	struct graph_mark marks[DIAG_MAX_SPIKES];
	static const struct {
		const char *name;
		size_t off;
		enum role role;
	} lat[] = {
		{ "p50", offsetof(struct diagnose_point, lat_p50_us), ROLE_SERIES0 },
		{ "p99", offsetof(struct diagnose_point, lat_p99_us), ROLE_SERIES2 },
		{ "p99.9", offsetof(struct diagnose_point, lat_p999_us), ROLE_SERIES3 },
	};
	bool live = diag_running(ds) && ds->view.index == ds->sel && s->status == DIAG_NOT_RUN;
	unsigned n = live ? ds->view.nlive : s->nr_points, nm = 0;
	double span = ds->view.res.runtime_s > 0 ? ds->view.res.runtime_s : 1;
	char val[24];
	int idx;

	pts = live ? ds->view.live : s->points;
	for (unsigned i = 0; i < n; i++)
		if (pts[i].t_s + pts[i].dur_s / 2 > span)
			span = pts[i].t_s + pts[i].dur_s / 2;
	for (int g = 0; g < 2; g++) {
		struct graph *gr = g ? ds->g_lat : ds->g_iops;

		graph_clear_series(gr);
		graph_set_mode(gr, a->gmode);
		graph_set_xrange(gr, 0, (uint64_t)(span * 1e6) + 1);
		ds->span_us = (uint64_t)(span * 1e6) + 1;
		graph_set_note(gr, s->status == DIAG_SKIPPED  ? "skipped"
				   : s->status == DIAG_FAILED ? "failed"
				   : live			 ? "waiting for samples"
				   : s->status == DIAG_NOT_RUN ? "not run yet"
							       : "no samples");
		graph_set_marks(gr, NULL, 0);
	}
	heatmap_set_note(ds->heat, s->status == DIAG_SKIPPED  ? "skipped"
				   : s->status == DIAG_FAILED ? "failed"
				   : live			 ? "waiting for samples"
				   : s->status == DIAG_NOT_RUN ? "not run yet"
							       : "no samples");
	for (unsigned i = 0; i < n; i++) {
		gp[i].t0 = (uint64_t)(fmax(0, pts[i].t_s - pts[i].dur_s / 2) * 1e6);
		gp[i].t1 = (uint64_t)((pts[i].t_s + pts[i].dur_s / 2) * 1e6);
		gp[i].v = pts[i].iops;
	}
	idx = graph_add_series(ds->g_iops, "IOPS", ROLE_SERIES0, 0);
	if (idx >= 0 && n) {
		graph_set_points(ds->g_iops, idx, gp, n);
		units_fmt(val, sizeof(val), live ? pts[n - 1].iops : s->iops, UNIT_NONE);
		graph_set_value(ds->g_iops, idx, val);
	}
	for (size_t k = 0; k < sizeof(lat) / sizeof(lat[0]); k++) {
		for (unsigned i = 0; i < n; i++) {
			double v = *(const double *)((const char *)&pts[i] + lat[k].off);

			gp[i].v = pts[i].ios > 0 && v > 0 ? v * 1000 : NAN;
		}
		idx = graph_add_series(ds->g_lat, lat[k].name, lat[k].role, 0);
		if (idx >= 0 && n)
			graph_set_points(ds->g_lat, idx, gp, n);
	}
	for (unsigned i = 0; !live && i < s->nr_spikes && i < DIAG_MAX_SPIKES; i++) {
		marks[nm].t = (uint64_t)(s->spike_t[i] * 1e6);
		snprintf(marks[nm].text, sizeof(marks[nm].text), "spike");
		nm++;
	}
	graph_set_marks(ds->g_lat, marks, nm);
}

/* The selected step's points (the running step's live ones) in *pts. */
unsigned diag_step_points(const struct diag_state *ds, const struct diagnose_point **pts)
{
	const struct diagnose_step *s = &ds->view.res.steps[ds->sel];
	bool live = diag_running(ds) && ds->view.index == ds->sel && s->status == DIAG_NOT_RUN;

	*pts = live ? ds->view.live : s->points;
	return live ? ds->view.nlive : s->nr_points;
}

/* Points of @pts overlapping [t0, t1] (us since the step started): the
 * first in *first, how many returned. */
static unsigned points_in(const struct diagnose_point *pts, unsigned n, uint64_t t0, uint64_t t1,
			  unsigned *first)
{
	unsigned k = 0;

	*first = 0;
	for (unsigned i = 0; i < n; i++) {
		double p0 = (pts[i].t_s - pts[i].dur_s / 2) * 1e6, p1 = (pts[i].t_s + pts[i].dur_s / 2) * 1e6;

		if (p1 < (double)t0 || p0 > (double)t1)
			continue;
		if (!k++)
			*first = i;
	}
	return k;
}

/* The heat map's columns from the selected step's points' heat. */
void diag_heat_fill(struct diag_state *ds, uint64_t span_us)
{
	const struct diagnose_point *pts;
	unsigned n = diag_step_points(ds, &pts), first, k;
	uint64_t cnt[DIAG_LAT_BINS], c0, c1;
	int py, px, ph, pw;

	heatmap_set_xrange(ds->heat, 0, span_us);
	heatmap_clear(ds->heat);
	heatmap_plot_rect(ds->heat, &py, &px, &ph, &pw);
	for (int c = 0; c < pw; c++) {
		if (heatmap_col_range(ds->heat, c, &c0, &c1))
			continue;
		memset(cnt, 0, sizeof(cnt));
		k = points_in(pts, n, c0, c1, &first);
		for (unsigned i = first; i < first + k; i++)
			for (unsigned b = 0; b < DIAG_LAT_BINS; b++)
				cnt[b] += pts[i].heat[b];
		heatmap_set_col(ds->heat, c, cnt);
	}
}

/* The slow I/Os the findings name in [t0, t1] of the selected step, as
 * tooltip lines. */
static void tip_findings(struct diag_state *ds, uint64_t t0, uint64_t t1)
{
	const struct diagnose_result *r = &ds->view.res;
	char left[48], right[32], a[24];

	for (unsigned i = 0; i < r->nr_findings; i++) {
		const struct diagnose_finding *f = &r->findings[i];
		double over = 0;

		for (unsigned k = 0; k < f->nr_fig; k++)
			if (!strcmp(f->fig[k].name, "over_us"))
				over = f->fig[k].value;
		for (unsigned k = 0; k < f->nr_when; k++) {
			const struct diagnose_when *w = &f->when[k];

			if (w->step != (int)ds->sel || (w->t_s + w->dur_s / 2) * 1e6 < (double)t0 ||
			    (w->t_s - w->dur_s / 2) * 1e6 > (double)t1)
				continue;
			units_fmt(a, sizeof(a), over * 1000, UNIT_NSEC);
			snprintf(left, sizeof(left), "%s: >= %s", f->code, a);
			snprintf(right, sizeof(right), "%.0f of %.0f", w->slow, w->ios);
			tooltip_add(ds->tip, ROLE_MARK, left, right);
		}
	}
}

/* The cursor's tooltip: on the heat map its column's latency ranges, else
 * the figures of the points under the cursor's column. */
void diag_update_tip(struct app *a)
{
	struct diag_state *ds = a->diag;
	const struct diagnose_point *pts;
	unsigned n = diag_step_points(ds, &pts), first, k;
	struct graph *g = ds->cursor_iops ? ds->g_iops : ds->g_lat;
	struct widget *bw = graph_widget(g);
	uint64_t t0, t1;
	int col, py, px, ph, pw;
	char title[48], v[32];
	double ios = 0, dur = 0, p50 = 0, p99 = 0, p999 = 0, mx = 0;

	tooltip_clear(ds->tip);
	if (!ds->cursor_on || ds->gh < 4)
		return;
	if (ds->heat_on && !ds->cursor_iops) {
		bw = heatmap_widget(ds->heat);
		col = heatmap_time_col(ds->heat, ds->cursor_t);
		if (col < 0 || heatmap_col_range(ds->heat, col, &t0, &t1))
			return;
		heatmap_plot_rect(ds->heat, &py, &px, &ph, &pw);
	} else {
		col = graph_time_col(g, ds->cursor_t);
		if (col < 0 || graph_col_range(g, col, &t0, &t1))
			return;
		graph_plot_rect(g, &py, &px, &ph, &pw);
	}
	snprintf(title, sizeof(title), "t=%.2f-%.2fs", (double)t0 / 1e6, (double)t1 / 1e6);
	tooltip_set_title(ds->tip, title);
	if (ds->heat_on && !ds->cursor_iops) {
		heatmap_tip(ds->heat, col, ds->tip_mouse ? ds->heat_row : -1, ds->tip);
	} else {
		k = points_in(pts, n, t0, t1, &first);
		for (unsigned i = first; i < first + k; i++) {
			ios += pts[i].ios;
			dur += pts[i].dur_s;
			p50 += pts[i].ios * pts[i].lat_p50_us;
			p99 = fmax(p99, pts[i].lat_p99_us);
			p999 = fmax(p999, pts[i].lat_p999_us);
			mx = fmax(mx, pts[i].lat_max_us);
		}
		if (!k) {
			tooltip_add(ds->tip, -1, "no samples here", "");
		} else {
			units_fmt(v, sizeof(v), dur > 0 ? ios / dur : 0, UNIT_NONE);
			tooltip_add(ds->tip, ROLE_SERIES0, "IOPS", v);
			units_fmt(v, sizeof(v), ios, UNIT_NONE);
			tooltip_add(ds->tip, -1, "I/Os", v);
			if (ios > 0) {
				const char *const name[] = { "p50", k > 1 ? "p99 (worst)" : "p99",
							     k > 1 ? "p99.9 (worst)" : "p99.9", "max" };
				double val[] = { p50 / ios, p99, p999, mx };

				for (int i = 0; i < 4; i++) {
					units_fmt(v, sizeof(v), val[i] * 1000, UNIT_NSEC);
					tooltip_add(ds->tip, i == 0 ? ROLE_SERIES0 : i == 1 ? ROLE_SERIES2 :
							     i == 2 ? ROLE_SERIES3 : -1, name[i], v);
				}
			}
		}
	}
	tip_findings(ds, t0, t1);
	tooltip_set_bounds(ds->tip, bw->y, bw->x, bw->h, bw->w);
	if (ds->tip_mouse)
		tooltip_set_anchor(ds->tip, ds->mouse_y, ds->mouse_x);
	else
		tooltip_set_anchor(ds->tip, py + ph / 3, px + col);
}
