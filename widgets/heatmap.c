/* Heat map widget; see heatmap.h. */
#include "heatmap.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/units.h"

#define LABEL_W 6     /* "10.5ms" */
#define MIN_OCTAVES 3 /* the y range never narrower */
#define RAMP_GLYPHS 4
#define RAMP_COLOURS 8

struct heatmap {
	struct widget base;
	char title[64];
	char short_title[32];
	char note[64];
	uint64_t *edge; /* nb + 1 */
	unsigned nb;
	uint64_t t0, t1;
	int py, px, ph, pw; /* plot rectangle */
	int cursor;
	uint64_t *count;  /* pw columns of nb counts */
	uint64_t *total;  /* pw */
	int cols;         /* columns allocated */
	/* y mapping of the last draw */
	double lo, step;  /* log2 of the bottom row's low bound; octaves a row */
	int *row_of;      /* nb: row of each bucket (-1 outside) */
	uint8_t *level;   /* ph * pw shade levels of the last draw, row 0 bottom */
	int lrows, lcols; /* shape of level */
};

static const struct widget_class heatmap_class;

struct heatmap *heatmap_new(const char *title)
{
	struct heatmap *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	h->base.cls = &heatmap_class;
	h->cursor = -1;
	h->t1 = 1;
	heatmap_set_title(h, title);
	return h;
}

struct widget *heatmap_widget(struct heatmap *h)
{
	return h ? &h->base : NULL;
}

void heatmap_set_title(struct heatmap *h, const char *title)
{
	snprintf(h->title, sizeof(h->title), "%s", title ? title : "");
}

void heatmap_set_short_title(struct heatmap *h, const char *title)
{
	snprintf(h->short_title, sizeof(h->short_title), "%s", title ? title : "");
}

void heatmap_set_note(struct heatmap *h, const char *note)
{
	snprintf(h->note, sizeof(h->note), "%s", note ? note : "");
}

/* Column storage for the current plot width and bucket count. */
static int cols_alloc(struct heatmap *h)
{
	int w = h->pw > 0 ? h->pw : 0;
	uint64_t *c, *t;

	if (w == h->cols && h->count)
		return 0;
	free(h->count);
	free(h->total);
	h->count = NULL;
	h->total = NULL;
	h->cols = 0;
	if (!w || !h->nb)
		return 0;
	c = calloc((size_t)w * h->nb, sizeof(*c));
	t = calloc((size_t)w, sizeof(*t));
	if (!c || !t) {
		free(c);
		free(t);
		return -ENOMEM;
	}
	h->count = c;
	h->total = t;
	h->cols = w;
	return 0;
}

int heatmap_set_buckets(struct heatmap *h, const uint64_t *edge, unsigned nb)
{
	uint64_t *e;
	int *r;

	if (!nb)
		return -EINVAL;
	for (unsigned b = 0; b < nb; b++)
		if (edge[b] >= edge[b + 1])
			return -EINVAL;
	e = malloc((nb + 1) * sizeof(*e));
	r = malloc(nb * sizeof(*r));
	if (!e || !r) {
		free(e);
		free(r);
		return -ENOMEM;
	}
	memcpy(e, edge, (nb + 1) * sizeof(*e));
	free(h->edge);
	free(h->row_of);
	h->edge = e;
	h->row_of = r;
	for (unsigned b = 0; b < nb; b++)
		r[b] = -1;
	h->nb = nb;
	free(h->count);
	h->count = NULL;
	h->cols = 0;
	return cols_alloc(h);
}

void heatmap_set_xrange(struct heatmap *h, uint64_t t0, uint64_t t1)
{
	h->t0 = t0;
	h->t1 = t1 > t0 ? t1 : t0 + 1;
}

static void layout(struct heatmap *h)
{
	const struct widget *w = &h->base;

	h->py = w->y + 1;
	h->ph = w->h - 2;
	h->px = w->x + LABEL_W + 1;
	h->pw = w->w - LABEL_W - 2;
	if (h->ph < 0)
		h->ph = 0;
	if (h->pw < 0)
		h->pw = 0;
	cols_alloc(h);
}

void heatmap_plot_rect(const struct heatmap *h, int *y, int *x, int *ph, int *pw)
{
	*y = h->py;
	*x = h->px;
	*ph = h->ph;
	*pw = h->pw;
}

int heatmap_col_range(const struct heatmap *h, int col, uint64_t *t0, uint64_t *t1)
{
	uint64_t span = h->t1 - h->t0;

	if (col < 0 || col >= h->pw)
		return -ERANGE;
	/* the times heatmap_time_col() maps to @col, as graph.c does */
	*t0 = h->t0 + (span * (uint64_t)col + (uint64_t)h->pw - 1) / (uint64_t)h->pw;
	*t1 = h->t0 + (span * (uint64_t)(col + 1) + (uint64_t)h->pw - 1) / (uint64_t)h->pw - 1;
	if (*t1 < *t0)
		*t1 = *t0;
	return 0;
}

int heatmap_time_col(const struct heatmap *h, uint64_t t)
{
	if (t < h->t0 || t >= h->t1 || h->pw <= 0)
		return -1;
	return (int)((t - h->t0) * (uint64_t)h->pw / (h->t1 - h->t0));
}

int heatmap_col_at(const struct heatmap *h, int wy, int wx)
{
	if (wy < h->py || wy >= h->py + h->ph || wx < h->px || wx >= h->px + h->pw)
		return -1;
	return wx - h->px;
}

int heatmap_row_at(const struct heatmap *h, int wy)
{
	if (wy < h->py || wy >= h->py + h->ph)
		return -1;
	return h->py + h->ph - 1 - wy;
}

void heatmap_clear(struct heatmap *h)
{
	if (h->count)
		memset(h->count, 0, (size_t)h->cols * h->nb * sizeof(*h->count));
	if (h->total)
		memset(h->total, 0, (size_t)h->cols * sizeof(*h->total));
}

int heatmap_set_col(struct heatmap *h, int col, const uint64_t *count)
{
	uint64_t sum = 0;

	if (col < 0 || col >= h->cols || !h->count)
		return -ERANGE;
	memcpy(h->count + (size_t)col * h->nb, count, h->nb * sizeof(*count));
	for (unsigned b = 0; b < h->nb; b++)
		sum += count[b];
	h->total[col] = sum;
	return 0;
}

void heatmap_set_cursor(struct heatmap *h, int col)
{
	h->cursor = col;
}

static double lg(uint64_t v)
{
	return log2(v ? (double)v : 1.0);
}

/* log2 of the middle of bucket @b. */
static double bucket_mid(const struct heatmap *h, unsigned b)
{
	uint64_t hi = h->edge[b + 1] == UINT64_MAX ? h->edge[b] * 2 : h->edge[b + 1];

	return lg(h->edge[b] + (hi - h->edge[b]) / 2);
}

static uint64_t bucket_value(const struct heatmap *h, unsigned b)
{
	uint64_t hi = h->edge[b + 1] == UINT64_MAX ? h->edge[b] * 2 : h->edge[b + 1];

	return h->edge[b] + (hi - h->edge[b]) / 2;
}

/* Bucket holding percentile @pct of column @col, or -1 when empty. */
static int col_pct_bucket(const struct heatmap *h, int col, double pct)
{
	const uint64_t *c;
	uint64_t want, acc = 0;

	if (col < 0 || col >= h->cols || !h->total[col])
		return -1;
	c = h->count + (size_t)col * h->nb;
	want = (uint64_t)ceil(pct / 100.0 * (double)h->total[col]);
	if (want < 1)
		want = 1;
	for (unsigned b = 0; b < h->nb; b++) {
		acc += c[b];
		if (acc >= want)
			return (int)b;
	}
	return (int)h->nb - 1;
}

uint64_t heatmap_col_percentile(const struct heatmap *h, int col, double pct)
{
	int b = col_pct_bucket(h, col, pct);

	return b < 0 ? 0 : bucket_value(h, (unsigned)b);
}

/* The y mapping from the populated buckets of every column. */
static bool map_rows(struct heatmap *h)
{
	int lo = -1, hi = -1;
	double l0, l1, mid;

	for (int c = 0; c < h->cols; c++) {
		const uint64_t *cnt = h->count + (size_t)c * h->nb;

		if (!h->total[c])
			continue;
		for (unsigned b = 0; b < h->nb; b++)
			if (cnt[b]) {
				if (lo < 0 || (int)b < lo)
					lo = (int)b;
				break;
			}
		for (unsigned b = h->nb; b-- > 0;)
			if (cnt[b]) {
				if ((int)b > hi)
					hi = (int)b;
				break;
			}
	}
	for (unsigned b = 0; b < h->nb; b++)
		h->row_of[b] = -1;
	if (lo < 0 || h->ph <= 0)
		return false;
	l0 = floor(lg(h->edge[lo]));
	l1 = ceil(bucket_mid(h, (unsigned)hi) + 1e-9);
	if (l1 - l0 < MIN_OCTAVES) {
		mid = (l0 + l1) / 2;
		l0 = floor(mid - MIN_OCTAVES / 2.0);
		l1 = l0 + MIN_OCTAVES;
	}
	h->lo = l0;
	h->step = (l1 - l0) / h->ph;
	for (unsigned b = 0; b < h->nb; b++) {
		double r = floor((bucket_mid(h, b) - l0) / h->step);

		h->row_of[b] = r < 0 ? 0 : r >= h->ph ? h->ph - 1 : (int)r;
	}
	return true;
}

static int shade(double share)
{
	if (share <= 0)
		return 0;
	if (widget_colour_ramp) {
		int l = 1 + (int)((log10(share) + 3.0) / 3.0 * (RAMP_COLOURS - 1));

		return l < 1 ? 1 : l > RAMP_COLOURS ? RAMP_COLOURS : l;
	}
	return share < 0.05 ? 1 : share < 0.25 ? 2 : share < 0.60 ? 3 : 4;
}

static const char *const ramp_utf8[RAMP_GLYPHS + 1] = { " ", "\u2591", "\u2592", "\u2593",
							 "\u2588" };
static const char *const ramp_ascii[RAMP_GLYPHS + 1] = { " ", ".", "+", "*", "#" };
/* p50, p99, p99.9 */
static const double line_pct[3] = { 50.0, 99.0, 99.9 };
static const char *const line_utf8[3] = { "\u2500", "\u2504", "\u2508" };
static const char *const line_ascii[3] = { "-", "=", "~" };
static const char *const line_name[3] = { "p50", "p99", "p99.9" };

static attr_t line_mono_attr(int k)
{
	return k == 0 ? A_UNDERLINE : A_UNDERLINE | A_BOLD;
}

static void draw_title(struct heatmap *h, WINDOW *win)
{
	const struct widget *w = &h->base;
	const struct glyphs *gl = widget_glyphs;
	int x = w->x + 1, end = w->x + w->w, lw = 0;
	const char *title = h->title;

	/* legend: " ─ p50 ┄ p99 ┈ p99.9 " */
	for (int k = 0; k < 3; k++)
		lw += 3 + (int)strlen(line_name[k]);
	lw += 1;
	if (x + text_width(title) + 2 > end - 1 - lw && h->short_title[0])
		title = h->short_title;
	text_repeat(win, w->y, w->x, w->w, role_attr(ROLE_RULE), gl->hline);
	x += text_putf(win, w->y, x, end - x, role_attr(w->focused ? ROLE_RULE_FOCUS : ROLE_TITLE),
		       " %s ", title);
	if (end - 1 - lw <= x)
		return;
	x = end - 1 - lw;
	for (int k = 0; k < 3; k++) {
		x += text_put(win, w->y, x, end - x, role_attr(ROLE_NORMAL), " ");
		if (widget_colour_ramp)
			x += text_put(win, w->y, x, end - x, role_attr(ROLE_HEAT0 + RAMP_COLOURS - 1),
				      gl->utf8 ? line_utf8[k] : line_ascii[k]);
		else
			x += text_put(win, w->y, x, end - x, line_mono_attr(k),
				      gl->utf8 ? ramp_utf8[2] : ramp_ascii[2]);
		x += text_putf(win, w->y, x, end - x, role_attr(ROLE_NORMAL), " %s", line_name[k]);
	}
	text_put(win, w->y, x, end - x, role_attr(ROLE_NORMAL), " ");
}

static void draw_axes(struct heatmap *h, WINDOW *win)
{
	const struct widget *w = &h->base;
	const struct glyphs *gl = widget_glyphs;
	attr_t axa = role_attr(ROLE_AXIS), tk = role_attr(ROLE_TICK);
	int xrow = w->y + w->h - 1, last_end = -1, every = h->ph > 8 ? 2 : 1;
	double span_s = (double)(h->t1 - h->t0) / 1e6, step;
	char buf[32];

	for (int r = 0; r < h->ph; r++) {
		int y = h->py + h->ph - 1 - r;

		text_put(win, y, h->px - 1, 1, axa, gl->vline);
		if (h->step <= 0 || r % every)
			continue;
		/* each labelled row by its low bound */
		units_fmt(buf, sizeof(buf), exp2(h->lo + r * h->step), UNIT_NSEC);
		text_put(win, y, w->x + LABEL_W - text_width(buf), LABEL_W, tk, buf);
		text_put(win, y, h->px - 1, 1, axa, gl->tee_left);
	}
	text_put(win, xrow, h->px - 1, 1, axa, gl->axis_corner);
	text_repeat(win, xrow, h->px, h->pw, axa, gl->hline);
	if (h->pw <= 0)
		return;
	if (h->cursor >= 0 && h->cursor < h->pw)
		text_put(win, xrow, h->px + h->cursor, 1, role_attr(ROLE_CURSOR), gl->mark);
	step = units_time_step(span_s * 8.0 / h->pw);
	for (double t = ceil((double)h->t0 / 1e6 / step) * step; t * 1e6 < (double)h->t1; t += step) {
		int col = heatmap_time_col(h, (uint64_t)(t * 1e6 + 0.5)), len, lend;

		if (col < 0 || col <= last_end)
			continue;
		units_fmt_time(buf, sizeof(buf), t);
		len = text_width(buf);
		lend = col + len + (col > 0);
		if (lend >= h->pw || (h->cursor >= col && h->cursor <= lend))
			continue;
		if (col > 0)
			text_put(win, xrow, h->px + col, 1, axa, gl->tee_up);
		text_put(win, xrow, h->px + col + (col > 0), len, tk, buf);
		last_end = lend;
	}
}

static int level_alloc(struct heatmap *h)
{
	if (h->lrows == h->ph && h->lcols == h->pw && h->level)
		return 0;
	free(h->level);
	h->level = calloc((size_t)(h->ph > 0 ? h->ph : 1) * (size_t)(h->pw > 0 ? h->pw : 1), 1);
	h->lrows = h->level ? h->ph : 0;
	h->lcols = h->level ? h->pw : 0;
	return h->level ? 0 : -ENOMEM;
}

int heatmap_cell_level(const struct heatmap *h, int row, int col)
{
	if (!h->level || row < 0 || row >= h->lrows || col < 0 || col >= h->lcols)
		return -1;
	return h->level[(size_t)row * (size_t)h->lcols + (size_t)col];
}

static void heatmap_draw(struct widget *wd, WINDOW *win)
{
	struct heatmap *h = (struct heatmap *)wd;
	const struct glyphs *gl = widget_glyphs;
	uint64_t cell[256];
	bool any;

	if (wd->h < 4 || wd->w < LABEL_W + 10)
		return;
	layout(h);
	for (int r = 0; r < wd->h; r++)
		text_fill(win, wd->y + r, wd->x, wd->w, role_attr(ROLE_NORMAL));
	draw_title(h, win);
	if (level_alloc(h) || !h->count || h->ph > 256)
		return;
	memset(h->level, 0, (size_t)h->lrows * (size_t)h->lcols);
	any = map_rows(h);
	for (int c = 0; c < h->pw && any; c++) {
		const uint64_t *cnt = h->count + (size_t)c * h->nb;
		int prow[3];

		if (!h->total[c])
			continue;
		memset(cell, 0, (size_t)h->ph * sizeof(cell[0]));
		for (unsigned b = 0; b < h->nb; b++)
			if (cnt[b])
				cell[h->row_of[b]] += cnt[b];
		for (int k = 0; k < 3; k++) {
			int b = col_pct_bucket(h, c, line_pct[k]);

			prow[k] = b < 0 ? -1 : h->row_of[b];
		}
		for (int r = 0; r < h->ph; r++) {
			int lv = shade((double)cell[r] / (double)h->total[c]);
			int y = h->py + h->ph - 1 - r, line = -1;

			h->level[(size_t)r * (size_t)h->lcols + (size_t)c] = (uint8_t)lv;
			for (int k = 2; k >= 0; k--)
				if (prow[k] == r)
					line = k; /* p50 wins a shared cell */
			if (widget_colour_ramp) {
				attr_t a = lv ? role_attr(ROLE_HEAT0 + lv - 1) : role_attr(ROLE_NORMAL);

				text_put(win, y, h->px + c, 1, a,
					 line < 0 ? " " : gl->utf8 ? line_utf8[line] : line_ascii[line]);
			} else {
				attr_t a = line < 0 ? A_NORMAL : line_mono_attr(line);

				text_put(win, y, h->px + c, 1, a, gl->utf8 ? ramp_utf8[lv] : ramp_ascii[lv]);
			}
		}
	}
	/* the cursor where a column is empty; the axis marks it always */
	if (h->cursor >= 0 && h->cursor < h->pw)
		for (int r = 0; r < h->ph; r++)
			if (!h->level[(size_t)r * (size_t)h->lcols + (size_t)h->cursor])
				text_put(win, h->py + h->ph - 1 - r, h->px + h->cursor, 1,
					 role_attr(ROLE_CURSOR), gl->vline);
	draw_axes(h, win);
	if (!any && h->note[0]) {
		int len = text_width(h->note), x = h->px + (h->pw - len) / 2;

		text_put(win, h->py + h->ph / 2, x < h->px ? h->px : x, h->pw, role_attr(ROLE_DIM),
			 h->note);
	}
}

static void fmt_ns(char *buf, size_t len, uint64_t v)
{
	units_fmt(buf, len, (double)v, UNIT_NSEC);
}

void heatmap_tip(struct heatmap *h, int col, int hrow, struct tooltip *t)
{
	const uint64_t *cnt;
	char left[64], right[48], a[16], b[16], n[16];
	int listed = 0;

	/* the rows the next draw gives these counts (none drawn yet, after
	 * a refill or a resize: the last draw's would be stale) */
	map_rows(h);
	if (col < 0 || col >= h->cols || !h->total[col] || h->step <= 0) {
		tooltip_add(t, -1, "no I/O here", "");
		return;
	}
	cnt = h->count + (size_t)col * h->nb;
	units_fmt(n, sizeof(n), (double)h->total[col], UNIT_NONE);
	tooltip_add(t, -1, "I/Os", n);
	for (int r = h->ph - 1; r >= 0; r--) {
		uint64_t sum = 0, lo = 0, hi = 0;
		bool have = false;

		for (unsigned bk = 0; bk < h->nb; bk++) {
			if (h->row_of[bk] != r || !cnt[bk])
				continue;
			if (!have)
				lo = h->edge[bk];
			hi = h->edge[bk + 1];
			have = true;
			sum += cnt[bk];
		}
		if (!have)
			continue;
		if (listed++ >= TOOLTIP_MAX_LINES - 6) {
			tooltip_add(t, -1, "...", "");
			break;
		}
		fmt_ns(a, sizeof(a), lo);
		fmt_ns(b, sizeof(b), hi);
		units_fmt(n, sizeof(n), (double)sum, UNIT_NONE);
		snprintf(left, sizeof(left), "%s%s-%s", r == hrow ? "> " : "  ", a, b);
		snprintf(right, sizeof(right), "%s %5.1f%%", n, 100.0 * (double)sum / (double)h->total[col]);
		tooltip_add(t, r == hrow ? ROLE_CURSOR : -1, left, right);
	}
	for (int k = 0; k < 3; k++) {
		fmt_ns(a, sizeof(a), heatmap_col_percentile(h, col, line_pct[k]));
		tooltip_add(t, -1, line_name[k], a);
	}
}

static void heatmap_resize(struct widget *wd, int y, int x, int hh, int w)
{
	widget_resize(wd, y, x, hh, w);
	layout((struct heatmap *)wd);
}

static void heatmap_free(struct widget *wd)
{
	struct heatmap *h = (struct heatmap *)wd;

	if (!h)
		return;
	free(h->edge);
	free(h->row_of);
	free(h->count);
	free(h->total);
	free(h->level);
	free(h);
}

static const struct widget_class heatmap_class = {
	.name = "heatmap",
	.draw = heatmap_draw,
	.resize = heatmap_resize,
	.free = heatmap_free,
};
