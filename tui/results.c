/* Results: a job's summary with the figures the headless report prints
 * (IOPS, bandwidth, lat/clat/slat min/avg/max/stdev, percentiles), a
 * percentile table per direction and the completion-latency histogram as
 * bars (fio's latency buckets). 'f' shows the full fio-format report of
 * every job, as `--headless` prints it. While the job runs, the figures are
 * its results so far. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../backend/report.h"
#include "../lib/clock.h"
#include "../lib/units.h"
#include "app.h"
#include "term.h"

#define MAX_LINES 160

static const double pcts[] = { 1, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 99, 99.5, 99.9,
			       99.95, 99.99 };
#define NPCTS (sizeof(pcts) / sizeof(pcts[0]))

struct line {
	char text[160];
	enum role role;
};

struct lines {
	struct line l[MAX_LINES];
	int n;
};

static void add(struct lines *ls, enum role role, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void add(struct lines *ls, enum role role, const char *fmt, ...)
{
	va_list ap;

	if (ls->n >= MAX_LINES)
		return;
	va_start(ap, fmt);
	vsnprintf(ls->l[ls->n].text, sizeof(ls->l[ls->n].text), fmt, ap);
	va_end(ap);
	ls->l[ls->n].role = role;
	ls->n++;
}

/* The results screen's own state (a->res), from results_open to
 * results_close. */
struct results_state {
	struct histbar *hist; /* made when first shown */
	struct heatmap *heat; /* the run's heat map (H), made when first shown */
	bool heat_on;         /* H: the heat map where the distribution was */
	struct tooltip *tip;  /* the heat map cursor's */
	bool cursor_on;       /* Left/Right or the pointer on the heat map */
	bool tip_mouse;       /* the cursor follows the pointer */
	uint64_t cursor_t;    /* us on the store's clock */
	int mouse_y, mouse_x, heat_row; /* heat_row: under the pointer, -1 none */
	unsigned job;         /* whose results */
	int scroll;
	bool report;          /* the full fio-format report instead */
	char *text;           /* that report, built when first drawn */
};

static void heat_tip(struct app *a, WINDOW *win);
static void heat_newest(struct app *a);

static int results_open(struct app *a)
{
	a->res = calloc(1, sizeof(*a->res));
	return a->res ? 0 : -ENOMEM;
}

static void results_close(struct app *a)
{
	if (!a->res)
		return;
	if (a->res->hist)
		widget_free(histbar_widget(a->res->hist));
	if (a->res->heat)
		widget_free(heatmap_widget(a->res->heat));
	if (a->res->tip)
		widget_free(tooltip_widget(a->res->tip));
	free(a->res->text);
	free(a->res);
	a->res = NULL;
}

void results_show(struct app *a, unsigned id)
{
	a->res->job = id;
	app_show(a, SCR_RESULTS);
}

void results_invalidate(struct app *a)
{
	free(a->res->text);
	a->res->text = NULL;
	a->dirty = true;
}

static void lat_line(struct lines *ls, const char *name, const struct lat_stat *l, bool wide)
{
	char mn[16], av[16], mx[16], sd[16];

	if (!l->n)
		return;
	units_fmt(mn, sizeof(mn), (double)l->min, UNIT_NSEC);
	units_fmt(av, sizeof(av), lat_mean(l), UNIT_NSEC);
	units_fmt(mx, sizeof(mx), (double)l->max, UNIT_NSEC);
	units_fmt(sd, sizeof(sd), lat_stddev(l), UNIT_NSEC);
	if (wide) {
		add(ls, ROLE_NORMAL, "  %-4s  min %-8s avg %-8s max %-8s stdev %s", name, mn, av, mx,
		    sd);
	} else {
		add(ls, ROLE_NORMAL, "  %-4s  avg %-8s stdev %s", name, av, sd);
		add(ls, ROLE_NORMAL, "        min %-8s max %s", mn, mx);
	}
}

/* fio's latency buckets (upper bounds, ns) for the histogram bars. */
static const double lat_bounds[] = {
	2,     4,     10,    20,    50,    100,   250,   500,   750,   1e3,   2e3,   4e3,
	10e3,  20e3,  50e3,  100e3, 250e3, 500e3, 750e3, 1e6,   2e6,   4e6,   10e6,  20e6,
	50e6,  100e6, 250e6, 500e6, 750e6, 1e9,   2e9,
};
#define NBOUNDS (sizeof(lat_bounds) / sizeof(lat_bounds[0]))

static void fill_hist(struct histbar *hb, const struct hist *h)
{
	uint64_t cnt[NBOUNDS + 1] = { 0 }, total = 0;
	struct histbar_bin bins[NBOUNDS + 1];
	int first = -1, last = -1, n = 0;

	for (unsigned i = 0; i < HIST_NR; i++) {
		uint64_t c = h->bucket[i];
		double v;
		size_t b = 0;

		if (!c)
			continue;
		v = (double)hist_bucket_value(i);
		while (b < NBOUNDS && v > lat_bounds[b])
			b++;
		cnt[b] += c;
		total += c;
	}
	for (size_t b = 0; b <= NBOUNDS; b++)
		if (cnt[b]) {
			if (first < 0)
				first = (int)b;
			last = (int)b;
		}
	for (int b = first; total && b >= 0 && b <= last; b++) {
		struct histbar_bin *bin = &bins[n++];
		double pct = 100.0 * (double)cnt[b] / (double)total;
		char v[16];

		if ((size_t)b < NBOUNDS) {
			units_fmt(v, sizeof(v), lat_bounds[b], UNIT_NSEC);
			snprintf(bin->label, sizeof(bin->label), "<=%.12s", v);
		} else {
			snprintf(bin->label, sizeof(bin->label), ">2s");
		}
		bin->value = pct;
		if (pct >= 10 || pct == 0)
			snprintf(bin->text, sizeof(bin->text), "%.1f%%", pct);
		else if (pct >= 0.01)
			snprintf(bin->text, sizeof(bin->text), "%.2f%%", pct);
		else
			snprintf(bin->text, sizeof(bin->text), "<0.01%%");
	}
	histbar_set(hb, bins, (size_t)n);
}

/* Summary and percentile lines for the job in @js, running with options
 * @o; the merged clat histogram into @hsum. */
static void build(struct app *a, const struct source_status *js, const struct job_opts *o,
		  struct lines *ls, struct hist *hsum, int width)
{
	struct job_stats *st = malloc(sizeof(*st));
	bool wide = width >= 64;
	uint64_t pv[DDIR_RWDIR_CNT][NPCTS];
	int dirs[DDIR_RWDIR_CNT], nd = 0;
	char hdr[160];
	size_t off;
	int ret;

	ls->n = 0;
	hist_reset(hsum);
	if (!st) {
		add(ls, ROLE_ERROR, "out of memory");
		return;
	}
	ret = source_stats(a->src, js->id, st);
	if (ret == -ENODATA) {   /* the kind has figures, not yet this job's */
		add(ls, ROLE_DIM, "No figures from this job%s.",
		    js->runstate >= RS_EXITED ? "" : " yet");
		if (js->error)
			add(ls, ROLE_ERROR, "failed: %s", js->errmsg[0] ? js->errmsg : "error");
		free(st);
		return;
	}
	if (ret) {
		add(ls, ROLE_DIM, "No figures from this %s source.", source_kind(a->src));
		free(st);
		return;
	}
	if (js->runstate == RS_NOT_CREATED) {
		add(ls, ROLE_DIM, "Not started yet: F5 starts the jobs.");
		free(st);
		return;
	}
	if (js->runstate < RS_EXITED)
		add(ls, ROLE_WARN, "Still running: the figures so far.");
	if (js->error)
		add(ls, ROLE_ERROR, "failed: %s", js->errmsg[0] ? js->errmsg : "error");
	for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
		const struct dir_stats *ds = &st->dir[d];
		double rt = (double)st->runtime_ns[d] / 1e9;
		char iops[16], bw[16], bwd[16], tot[16], rts[16];

		if (!ds->ios && !opts_has_ddir(o, (enum ddir)d))
			continue;
		if (rt <= 0 && st->start_ns) {
			uint64_t end = st->end_ns ? st->end_ns : clock_now_ns();

			rt = end > st->start_ns ? (double)(end - st->start_ns) / 1e9 : 0;
		}
		/* the numbers as the headless report prints them */
		report_fmt_num(iops, sizeof(iops), rt > 0 ? (uint64_t)((double)ds->ios / rt + 0.5) : 0,
			       4, false, RU_NONE);
		report_fmt_num(bw, sizeof(bw), rt > 0 ? (uint64_t)((double)ds->bytes / rt) : 0, 4,
			       true, RU_BYTEPERSEC);
		report_fmt_num(bwd, sizeof(bwd), rt > 0 ? (uint64_t)((double)ds->bytes / rt) : 0, 4,
			       false, RU_BYTEPERSEC);
		report_fmt_num(tot, sizeof(tot), ds->bytes, 4, true, RU_BYTE);
		snprintf(rts, sizeof(rts), "%.1fs", rt);
		if (ls->n)
			add(ls, ROLE_NORMAL, "%s", "");
		add(ls, role_series((unsigned)d), "%s", ddir_name(d));
		ls->l[ls->n - 1].role = (enum role)(role_series((unsigned)d));
		add(ls, ROLE_BOLD, "  IOPS=%s, BW=%s (%s)", iops, bw, bwd);
		add(ls, ROLE_NORMAL, "  %s in %s, %llu I/Os, %llu errors", tot, rts,
		    (unsigned long long)ds->ios, (unsigned long long)ds->errors);
		lat_line(ls, "slat", &ds->slat, wide);
		lat_line(ls, "clat", &ds->clat, wide);
		lat_line(ls, "lat", &ds->lat, wide);
		hist_merge(hsum, &ds->clat_hist);
		if (ds->clat_hist.count) {
			hist_percentiles(&ds->clat_hist, pcts, NPCTS, pv[nd]);
			dirs[nd++] = d;
		}
	}
	if (nd) {
		add(ls, ROLE_NORMAL, "%s", "");
		off = (size_t)snprintf(hdr, sizeof(hdr), "  %-10s", "clat pct");
		for (int k = 0; k < nd; k++)
			off += (size_t)snprintf(hdr + off, sizeof(hdr) - off, " %10s", ddir_name(dirs[k]));
		add(ls, ROLE_TABLE_HEAD, "%s", hdr);
		for (size_t p = 0; p < NPCTS; p++) {
			char row[160], v[16], name[16];

			snprintf(name, sizeof(name), "%.2fth", pcts[p]);
			off = (size_t)snprintf(row, sizeof(row), "  %-10s", name);
			for (int k = 0; k < nd; k++) {
				units_fmt(v, sizeof(v), (double)pv[k][p], UNIT_NSEC);
				off += (size_t)snprintf(row + off, sizeof(row) - off, " %10s", v);
			}
			add(ls, pcts[p] == 99 ? ROLE_BOLD : ROLE_NORMAL, "%s", row);
		}
	}
	free(st);
}

static void results_enter(struct app *a)
{
	a->res->scroll = 0;
	if (a->res->job >= source_njobs(a->src))
		a->res->job = 0;
	if (!a->res->hist)
		a->res->hist = histbar_new("clat distribution");
	if (!a->res->tip)
		a->res->tip = tooltip_new();
	a->res->cursor_on = a->res->tip_mouse = false;
	if (!a->res->heat) {
		uint64_t edge[SAMPLES_HEAT_NR + 1];

		a->res->heat = heatmap_new("Latency heat map of the run");
		for (unsigned b = 0; a->res->heat && b <= SAMPLES_HEAT_NR; b++)
			edge[b] = samples_heat_low(b);
		if (a->res->heat && heatmap_set_buckets(a->res->heat, edge, SAMPLES_HEAT_NR)) {
			widget_free(heatmap_widget(a->res->heat));
			a->res->heat = NULL;
		}
		if (a->res->heat) {
			heatmap_set_short_title(a->res->heat, "Heat map");
			heatmap_set_note(a->res->heat, "no samples yet");
		}
	}
}

static void build_report(struct app *a)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	if (!m)
		return;
	source_report(a->src, m, REPORT_NORMAL, NULL);
	fclose(m);
	free(a->res->text);
	a->res->text = buf;
}

static void draw_report(struct app *a, WINDOW *win)
{
	int rows = a->rows - 3, line = 0, y = 2;
	const char *p;

	if (!a->res->text)
		build_report(a);
	p = a->res->text ? a->res->text : "";
	while (*p && y < 2 + rows) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char buf[512];

		if (line >= a->res->scroll) {
			if (len >= sizeof(buf))
				len = sizeof(buf) - 1;
			memcpy(buf, p, len);
			buf[len] = '\0';
			text_put(win, y++, 1, a->cols - 2, role_attr(ROLE_NORMAL), buf);
		}
		line++;
		p = nl ? nl + 1 : p + strlen(p);
	}
}

static void results_draw(struct app *a, WINDOW *win)
{
	const struct job_opts *o = source_opts(a->src, a->res->job);
	struct source_status js;
	struct lines *ls;
	struct hist *hsum;
	int lw, x, rows = a->rows - 3;
	char buf[256];

	text_fill(win, 0, 0, a->cols, role_attr(ROLE_HEADER));
	if (!o || !app_status(a, a->res->job, &js)) {
		text_put(win, 0, 0, a->cols, role_attr(ROLE_HEADER_VALUE), " Results: no jobs");
		return;
	}
	x = text_put(win, 0, 0, a->cols, role_attr(ROLE_HEADER_VALUE), " Results ");
	snprintf(buf, sizeof(buf), "'%s'", js.label);
	x += text_put(win, 0, x, a->cols - x, role_attr(ROLE_HEADER_VALUE), buf);
	snprintf(buf, sizeof(buf), " (%u of %u)  %s  %c %s  %s  ", a->res->job + 1,
		 source_njobs(a->src), widget_glyphs->vline,
		 runstate_letter(js.runstate, js.rw, js.error != 0),
		 js.error ? "failed" : runstate_name(js.runstate), widget_glyphs->vline);
	x += text_put(win, 0, x, a->cols - x, role_attr(ROLE_HEADER), buf);
	{
		const struct opt_def *rw = opt_find("rw"), *bs = opt_find("bs");
		char r[64] = "", b[64] = "";

		if (rw)
			opt_print(rw, o, r, sizeof(r));
		if (bs)
			opt_print(bs, o, b, sizeof(b));
		snprintf(buf, sizeof(buf), "rw=%s bs=%s ioengine=%s iodepth=%u", r, b,
			 o->ioengine ? o->ioengine : "psync", o->iodepth);
		text_put(win, 0, x, a->cols - x, role_attr(ROLE_HEADER), buf);
	}
	if (a->res->report) {
		text_put(win, 1, 1, a->cols - 2, role_attr(app_any_running(a) ? ROLE_WARN : ROLE_DIM),
			 app_any_running(a)
				 ? "fio-format report: final once the jobs end (runtimes are set at exit); f: summary"
				 : "fio-format report of every job (as --headless prints it); f: back to the summary");
		draw_report(a, win);
		return;
	}
	ls = malloc(sizeof(*ls));
	hsum = malloc(sizeof(*hsum));
	if (!ls || !hsum) {
		free(ls);
		free(hsum);
		return;
	}
	lw = a->cols >= 100 ? a->cols * 55 / 100 : 46;
	if (lw > a->cols - 30)
		lw = a->cols - 30;
	build(a, &js, o, ls, hsum, lw);
	text_put(win, 1, 1, a->cols - 2, role_attr(ROLE_DIM),
		 "n/p other job  Up/Down scroll  f fio report  H heat map (Left/Right: cursor)  Esc dashboard");
	if (a->res->scroll > ls->n - 1)
		a->res->scroll = ls->n > 0 ? ls->n - 1 : 0;
	for (int i = 0; i < rows && a->res->scroll + i < ls->n; i++) {
		const struct line *l = &ls->l[a->res->scroll + i];

		text_put(win, 2 + i, 1, lw - 2, role_attr(l->role), l->text);
	}
	if (a->res->heat_on && a->res->heat) {
		/* the whole span the store covers, this job's samples */
		struct widget *hw = heatmap_widget(a->res->heat);
		uint64_t t0, t1;

		samples_span(a->ss, &t0, &t1);
		hw->cls->resize(hw, 2, lw, rows, a->cols - lw);
		heat_fill(a, a->res->heat, a->res->job, a->res->job + 1, t0, t1 > t0 ? t1 + 1 : t0 + 1);
		heat_newest(a);
		heatmap_set_cursor(a->res->heat, a->res->cursor_on ?
				   heatmap_time_col(a->res->heat, a->res->cursor_t) : -1);
		widget_draw(hw, win);
		heat_tip(a, win);
	} else if (a->res->hist) {
		fill_hist(a->res->hist, hsum);
		widget_resize(histbar_widget(a->res->hist), 2, lw, rows, a->cols - lw);
		widget_draw(histbar_widget(a->res->hist), win);
		if (!hsum->count)
			text_put(win, 4, lw + 2, a->cols - lw - 3, role_attr(ROLE_DIM),
				 "no completions yet");
	}
	free(ls);
	free(hsum);
}

/* The heat map cursor's tooltip (after the map is filled and drawn). */
static void heat_tip(struct app *a, WINDOW *win)
{
	struct results_state *rs = a->res;
	struct widget *hw = heatmap_widget(rs->heat);
	int col = rs->cursor_on ? heatmap_time_col(rs->heat, rs->cursor_t) : -1, py, px, ph, pw;
	uint64_t t0, t1;
	char title[48];

	if (!rs->tip || col < 0 || heatmap_col_range(rs->heat, col, &t0, &t1))
		return;
	tooltip_clear(rs->tip);
	snprintf(title, sizeof(title), "t=%.1fs", (double)(t0 + (t1 - t0) / 2) / 1e6);
	tooltip_set_title(rs->tip, title);
	heatmap_tip(rs->heat, col, rs->tip_mouse ? rs->heat_row : -1, rs->tip);
	heatmap_plot_rect(rs->heat, &py, &px, &ph, &pw);
	tooltip_set_bounds(rs->tip, hw->y, hw->x, hw->h, hw->w);
	if (rs->tip_mouse)
		tooltip_set_anchor(rs->tip, rs->mouse_y, rs->mouse_x);
	else
		tooltip_set_anchor(rs->tip, py + ph / 3, px + col);
	widget_draw(tooltip_widget(rs->tip), win);
}

/* Left (-1) / Right (1) on the heat map: its cursor one column over; the
 * first press asks for the newest column (NEWEST, placed once the map is
 * laid out and filled: heat_newest). */
#define NEWEST UINT64_MAX
static void heat_cursor(struct app *a, int dir)
{
	struct results_state *rs = a->res;
	int col, py, px, ph, pw;
	uint64_t t0, t1;

	rs->tip_mouse = false;
	if (!rs->cursor_on || rs->cursor_t == NEWEST) {
		rs->cursor_on = true;
		rs->cursor_t = NEWEST;
		return;
	}
	heatmap_plot_rect(rs->heat, &py, &px, &ph, &pw);
	col = heatmap_time_col(rs->heat, rs->cursor_t) + dir;
	if (col >= 0 && col < pw && !heatmap_col_range(rs->heat, col, &t0, &t1))
		rs->cursor_t = t0 + (t1 - t0) / 2;
}

/* A cursor asked for the newest column: the last one holding samples. */
static void heat_newest(struct app *a)
{
	struct results_state *rs = a->res;
	int py, px, ph, pw;
	uint64_t t0, t1, s0, s1;

	if (!rs->cursor_on || rs->cursor_t != NEWEST)
		return;
	samples_span(a->ss, &s0, &s1);
	heatmap_plot_rect(rs->heat, &py, &px, &ph, &pw);
	rs->cursor_on = false;
	for (int c = 0; c < pw; c++)
		if (!heatmap_col_range(rs->heat, c, &t0, &t1) && t0 < s1) {
			rs->cursor_on = true;
			rs->cursor_t = t0 + (t1 - t0) / 2;
		}
}

static void results_mouse(struct app *a, const MEVENT *m)
{
	struct results_state *rs = a->res;
	int col = rs->heat_on && rs->heat ? heatmap_col_at(rs->heat, m->y, m->x) : -1;
	uint64_t t0, t1;

	if (col >= 0 && !heatmap_col_range(rs->heat, col, &t0, &t1)) {
		rs->cursor_on = rs->tip_mouse = true;
		rs->cursor_t = t0 + (t1 - t0) / 2;
		rs->mouse_y = m->y;
		rs->mouse_x = m->x;
		rs->heat_row = heatmap_row_at(rs->heat, m->y);
		a->dirty = true;
	} else if (rs->tip_mouse && rs->cursor_on) {
		rs->cursor_on = rs->tip_mouse = false;
		a->dirty = true;
	}
}

static unsigned results_key(struct app *a, int key)
{
	unsigned n = source_njobs(a->src);

	if (a->res->heat_on && a->res->heat && !a->res->report &&
	    (key == KEY_LEFT || key == KEY_RIGHT || (key == 27 && a->res->cursor_on))) {
		/* with the heat map: its cursor (n/p/Tab still change the job) */
		if (key == 27)
			a->res->cursor_on = a->res->tip_mouse = false;
		else
			heat_cursor(a, key == KEY_LEFT ? -1 : 1);
		return WK_HANDLED | WK_REDRAW;
	}
	switch (key) {
	case 27:
	case KEY_F(3):
		app_show(a, SCR_DASH);
		return WK_HANDLED | WK_REDRAW;
	case 'n':
	case '\t':
	case KEY_RIGHT:
		if (n)
			a->res->job = (a->res->job + 1) % n;
		a->res->scroll = 0;
		return WK_HANDLED | WK_REDRAW;
	case 'p':
	case KEY_BTAB:
	case KEY_LEFT:
		if (n)
			a->res->job = (a->res->job + n - 1) % n;
		a->res->scroll = 0;
		return WK_HANDLED | WK_REDRAW;
	case KEY_UP:
	case 'k':
		if (a->res->scroll > 0)
			a->res->scroll--;
		return WK_HANDLED | WK_REDRAW;
	case KEY_DOWN:
	case 'j':
		a->res->scroll++;
		return WK_HANDLED | WK_REDRAW;
	case KEY_PPAGE:
		a->res->scroll = a->res->scroll > a->rows / 2 ? a->res->scroll - a->rows / 2 : 0;
		return WK_HANDLED | WK_REDRAW;
	case KEY_NPAGE:
		a->res->scroll += a->rows / 2;
		return WK_HANDLED | WK_REDRAW;
	case 'H':
		a->res->heat_on = !a->res->heat_on && a->res->heat;
		return WK_HANDLED | WK_REDRAW;
	case 'f':
		a->res->report = !a->res->report;
		a->res->scroll = 0;
		if (a->res->report)
			build_report(a);
		return WK_HANDLED | WK_REDRAW;
	}
	return WK_IGNORED;
}

static void results_footer(struct app *a, struct statusbar *sb)
{
	static const struct statusbar_item items[] = {
		{ "F1", "Help", 0 }, { "n/p", "Job", 0 },      { "f", "fio report", 1 },
		{ "H", "Heat map", 1 }, { "Lt/Rt", "Cursor", 3 },
		{ "F2", "Edit", 2 }, { "F7", "Restart", 2 },  { "Esc", "Dashboard", 0 },
		{ "q", "Quit", 0 },
	};

	char why[160];

	statusbar_set(sb, items, sizeof(items) / sizeof(items[0]));
	statusbar_dim(sb, "F2", app_edit_refusal(a, why, sizeof(why))[0] != '\0');
	statusbar_dim(sb, "F7", !source_can(a->src, SRC_CAP_RESTART));
}

const struct screen_ops results_screen = {
	.name = "results",
	.open = results_open,
	.close = results_close,
	.enter = results_enter,
	.update = NULL,
	.draw = results_draw,
	.key = results_key,
	.mouse = results_mouse,
	.footer = results_footer,
};
