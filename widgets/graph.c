/* Line graph widget; see graph.h for the contract and the layout. */
#include "graph.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TICKS 8

struct series {
	char label[48];
	char short_label[16]; /* for a narrow legend; empty: the label */
	char value[24];
	enum role role;
	int axis;
	struct graph_point *p;
	size_t n, cap;
};

struct axis {
	enum unit unit;
	bool used;
	double top, step;
	char tick[MAX_TICKS + 1][16]; /* top first */
	double tick_v[MAX_TICKS + 1];
	size_t nticks;
	int label_w;
};

struct graph {
	struct widget base;
	char title[48];
	char short_title[24]; /* for a narrow title row; empty: the title */
	char note[96];
	enum graph_mode mode;
	struct series s[GRAPH_MAX_SERIES];
	size_t ns;
	uint64_t t0, t1;
	struct graph_mark marks[GRAPH_MAX_MARKS];
	size_t nmarks;
	int cursor;
	struct axis ax[2];
	/* layout: plot rectangle in window coordinates */
	int py, px, ph, pw;
	/* dot grid scratch, one entry per plot cell */
	uint8_t *mask, *owner;
	size_t cells;
};

static const struct widget_class graph_class;

/* Dots per cell for each mode. */
static const int cell_w[GRAPH_MODE_NR] = { 2, 2, 1 };
static const int cell_h[GRAPH_MODE_NR] = { 4, 2, 3 };

/* braille dot bits by [row][col] within a cell */
static const uint8_t braille_bit[4][2] = { { 0x01, 0x08 }, { 0x02, 0x10 },
					   { 0x04, 0x20 }, { 0x40, 0x80 } };
/* quadrant blocks by mask: bit0 UL, bit1 UR, bit2 LL, bit3 LR */
static const wchar_t quad[16] = { L' ',    0x2598, 0x259d, 0x2580, 0x2596, 0x258c,
				  0x259e, 0x259b, 0x2597, 0x259a, 0x2590, 0x259c,
				  0x2584, 0x2599, 0x259f, 0x2588 };
/* ASCII by mask: bit0 top, bit1 middle, bit2 bottom */
static const char ascii_cell[8] = { ' ', '\'', '-', '|', '.', ':', '|', '|' };

struct graph *graph_new(const char *title)
{
	struct graph *g = calloc(1, sizeof(*g));

	if (!g)
		return NULL;
	g->base.cls = &graph_class;
	g->cursor = -1;
	g->t1 = 60 * 1000000ULL;
	g->mode = GRAPH_BRAILLE;
	graph_set_title(g, title);
	return g;
}

struct widget *graph_widget(struct graph *g)
{
	return &g->base;
}

struct graph *graph_of(struct widget *w)
{
	return w && w->cls == &graph_class ? (struct graph *)w : NULL;
}

void graph_set_title(struct graph *g, const char *title)
{
	snprintf(g->title, sizeof(g->title), "%s", title ? title : "");
}

void graph_set_short_title(struct graph *g, const char *title)
{
	snprintf(g->short_title, sizeof(g->short_title), "%s", title ? title : "");
}

void graph_set_note(struct graph *g, const char *note)
{
	snprintf(g->note, sizeof(g->note), "%s", note ? note : "");
}

void graph_set_mode(struct graph *g, enum graph_mode m)
{
	if ((unsigned)m < GRAPH_MODE_NR)
		g->mode = m;
}

enum graph_mode graph_mode(const struct graph *g)
{
	return g->mode;
}

static void layout(struct graph *g);

void graph_set_unit(struct graph *g, int axis, enum unit u)
{
	if (axis == 0 || axis == 1) {
		g->ax[axis].unit = u;
		layout(g);
	}
}

void graph_clear_series(struct graph *g)
{
	for (size_t i = 0; i < g->ns; i++)
		free(g->s[i].p);
	memset(g->s, 0, sizeof(g->s));
	g->ns = 0;
	layout(g);
}

int graph_add_series(struct graph *g, const char *label, enum role role, int axis)
{
	struct series *s;

	if (g->ns >= GRAPH_MAX_SERIES)
		return -ENOSPC;
	s = &g->s[g->ns];
	memset(s, 0, sizeof(*s));
	snprintf(s->label, sizeof(s->label), "%s", label ? label : "");
	s->role = role;
	s->axis = axis == 1 ? 1 : 0;
	return (int)g->ns++;
}

void graph_set_label(struct graph *g, int i, const char *label)
{
	if (i >= 0 && (size_t)i < g->ns)
		snprintf(g->s[i].label, sizeof(g->s[i].label), "%s", label ? label : "");
}

void graph_set_short_label(struct graph *g, int i, const char *label)
{
	if (i >= 0 && (size_t)i < g->ns)
		snprintf(g->s[i].short_label, sizeof(g->s[i].short_label), "%s",
			 label ? label : "");
}

void graph_set_value(struct graph *g, int i, const char *value)
{
	if (i >= 0 && (size_t)i < g->ns)
		snprintf(g->s[i].value, sizeof(g->s[i].value), "%s", value ? value : "");
}

int graph_set_points(struct graph *g, int i, const struct graph_point *p, size_t n)
{
	struct series *s;

	if (i < 0 || (size_t)i >= g->ns)
		return -EINVAL;
	s = &g->s[i];
	if (n > s->cap) {
		size_t cap = n < 64 ? 64 : n + n / 2;
		struct graph_point *np = realloc(s->p, cap * sizeof(*np));

		if (!np)
			return -ENOMEM;
		s->p = np;
		s->cap = cap;
	}
	if (n)
		memcpy(s->p, p, n * sizeof(*p));
	s->n = n;
	layout(g);
	return 0;
}

size_t graph_series_count(const struct graph *g)
{
	return g->ns;
}

void graph_set_xrange(struct graph *g, uint64_t t0, uint64_t t1)
{
	if (t1 <= t0)
		t1 = t0 + 1;
	g->t0 = t0;
	g->t1 = t1;
	layout(g);
}

void graph_set_marks(struct graph *g, const struct graph_mark *m, size_t n)
{
	if (n > GRAPH_MAX_MARKS)
		n = GRAPH_MAX_MARKS;
	if (n)
		memcpy(g->marks, m, n * sizeof(*m));
	g->nmarks = n;
}

static bool point_visible(const struct graph *g, const struct graph_point *p)
{
	return !isnan(p->v) && p->t1 >= g->t0 && p->t0 < g->t1;
}

/* Scale and tick labels of each axis from the points in view; then the
 * plot rectangle from the label widths. */
static void layout(struct graph *g)
{
	const struct widget *w = &g->base;
	int max_ticks;
	size_t cells;

	g->ph = w->h - 2;
	if (g->ph < 1)
		g->ph = w->h > 0 ? 1 : 0;
	max_ticks = (g->ph - 1) / 2;
	if (max_ticks < 1)
		max_ticks = 1;
	if (max_ticks > 5)
		max_ticks = 5;

	for (int a = 0; a < 2; a++) {
		struct axis *ax = &g->ax[a];
		double max = 0;
		size_t k = 0;

		ax->used = a == 0;
		for (size_t i = 0; i < g->ns; i++) {
			if (g->s[i].axis != a)
				continue;
			ax->used = true;
			for (size_t j = 0; j < g->s[i].n; j++)
				if (point_visible(g, &g->s[i].p[j]) && g->s[i].p[j].v > max)
					max = g->s[i].p[j].v;
		}
		/* no data: just the unit's smallest scale, 0 and top */
		ax->top = units_nice_scale(max, ax->unit, max > 0 ? max_ticks : 1, &ax->step);
		ax->label_w = 0;
		ax->nticks = 0;
		if (!ax->used)
			continue;
		for (double v = ax->top; k <= MAX_TICKS; v -= ax->step, k++) {
			if (v < ax->step * 1e-6)
				v = 0;
			units_fmt(ax->tick[k], sizeof(ax->tick[k]), v, ax->unit);
			ax->tick_v[k] = v;
			if ((int)strlen(ax->tick[k]) > ax->label_w)
				ax->label_w = (int)strlen(ax->tick[k]);
			if (v == 0) {
				k++;
				break;
			}
		}
		ax->nticks = k;
		if (ax->label_w < 4)
			ax->label_w = 4;
	}

	g->py = w->y + 1;
	g->px = w->x + g->ax[0].label_w + 1;
	g->pw = w->w - g->ax[0].label_w - 1 - (g->ax[1].used ? g->ax[1].label_w + 1 : 0);
	if (g->pw < 1)
		g->pw = w->w > 0 ? 1 : 0;
	if (g->cursor >= g->pw)
		g->cursor = g->pw - 1;

	cells = (size_t)(g->ph > 0 ? g->ph : 0) * (size_t)(g->pw > 0 ? g->pw : 0);
	if (cells > g->cells) {
		uint8_t *m = realloc(g->mask, cells), *o;

		if (!m)
			return;
		g->mask = m;
		o = realloc(g->owner, cells);
		if (!o)
			return;
		g->owner = o;
		g->cells = cells;
	}
}

void graph_plot_rect(const struct graph *g, int *y, int *x, int *h, int *w)
{
	*y = g->py;
	*x = g->px;
	*h = g->ph;
	*w = g->pw;
}

int graph_col_range(const struct graph *g, int col, uint64_t *t0, uint64_t *t1)
{
	uint64_t span = g->t1 - g->t0;

	if (col < 0 || col >= g->pw || g->pw <= 0)
		return -ERANGE;
	/* exactly the times graph_time_col() maps to @col */
	*t0 = g->t0 + (span * (uint64_t)col + (uint64_t)g->pw - 1) / (uint64_t)g->pw;
	*t1 = g->t0 + (span * (uint64_t)(col + 1) + (uint64_t)g->pw - 1) / (uint64_t)g->pw - 1;
	if (*t1 < *t0)
		*t1 = *t0;
	return 0;
}

int graph_time_col(const struct graph *g, uint64_t t)
{
	if (t < g->t0 || t >= g->t1 || g->pw <= 0)
		return -1;
	return (int)((t - g->t0) * (uint64_t)g->pw / (g->t1 - g->t0));
}

int graph_col_at(const struct graph *g, int wy, int wx)
{
	if (wy < g->py || wy >= g->py + g->ph || wx < g->px || wx >= g->px + g->pw)
		return -1;
	return wx - g->px;
}

int graph_newest_col(const struct graph *g)
{
	uint64_t newest = 0;
	bool any = false;

	for (size_t i = 0; i < g->ns; i++)
		for (size_t j = g->s[i].n; j-- > 0;) {
			const struct graph_point *p = &g->s[i].p[j];
			uint64_t mid = p->t0 + (p->t1 - p->t0) / 2;

			if (!point_visible(g, p))
				continue;
			if (mid >= g->t1)
				mid = g->t1 - 1;
			if (mid < g->t0)
				mid = g->t0;
			if (!any || mid > newest)
				newest = mid;
			any = true;
			break;
		}
	return any ? graph_time_col(g, newest) : -1;
}

void graph_set_cursor(struct graph *g, int col)
{
	if (col >= g->pw)
		col = g->pw - 1;
	g->cursor = col < 0 ? -1 : col;
}

int graph_cursor(const struct graph *g)
{
	return g->cursor;
}

double graph_axis_top(const struct graph *g, int axis)
{
	return axis == 1 ? g->ax[1].top : g->ax[0].top;
}

size_t graph_tick_labels(const struct graph *g, int axis, char (*out)[16], size_t max)
{
	const struct axis *ax = &g->ax[axis == 1 ? 1 : 0];
	size_t n = ax->nticks < max ? ax->nticks : max;

	for (size_t i = 0; i < n; i++)
		memcpy(out[i], ax->tick[i], 16);
	return n;
}

/* ------------------------------------------------------------- drawing */

struct grid {
	struct graph *g;
	int dw, dh; /* dots */
	int cw, ch; /* dots per cell */
};

static void dot_set(struct grid *gr, long x, long y, uint8_t owner)
{
	int cx, cy;
	size_t cell;
	uint8_t bit;

	if (x < 0 || y < 0 || x >= gr->dw || y >= gr->dh)
		return;
	cx = (int)(x % gr->cw);
	cy = (int)(y % gr->ch);
	cell = (size_t)(y / gr->ch) * (size_t)gr->g->pw + (size_t)(x / gr->cw);
	switch (gr->g->mode) {
	case GRAPH_BRAILLE:
		bit = braille_bit[cy][cx];
		break;
	case GRAPH_BLOCK:
		bit = (uint8_t)(1u << (cy * 2 + cx));
		break;
	default:
		bit = (uint8_t)(1u << cy);
		break;
	}
	gr->g->mask[cell] |= bit;
	gr->g->owner[cell] = owner;
}

/* A line between two dots, clipped to the grid's columns. */
static void dot_line(struct grid *gr, double x0, double y0, double x1, double y1, uint8_t owner)
{
	long ax, ay, bx, by, dx, dy, sx, sy, err;

	if (x0 > x1) {
		double t;

		t = x0, x0 = x1, x1 = t;
		t = y0, y0 = y1, y1 = t;
	}
	if (x1 < 0 || x0 >= gr->dw)
		return;
	if (x0 < 0 && x1 > x0) {
		y0 += (y1 - y0) * (0 - x0) / (x1 - x0);
		x0 = 0;
	}
	if (x1 > gr->dw - 1 && x1 > x0) {
		y1 = y0 + (y1 - y0) * (gr->dw - 1 - x0) / (x1 - x0);
		x1 = gr->dw - 1;
	}
	ax = lround(x0), ay = lround(y0), bx = lround(x1), by = lround(y1);
	dx = labs(bx - ax), dy = -labs(by - ay);
	sx = ax < bx ? 1 : -1, sy = ay < by ? 1 : -1;
	err = dx + dy;
	for (;;) {
		long e2;

		dot_set(gr, ax, ay, owner);
		if (ax == bx && ay == by)
			break;
		e2 = 2 * err;
		if (e2 >= dy) {
			err += dy;
			ax += sx;
		}
		if (e2 <= dx) {
			err += dx;
			ay += sy;
		}
	}
}

static void plot_series(struct grid *gr, size_t si)
{
	struct graph *g = gr->g;
	const struct series *s = &g->s[si];
	const struct axis *ax = &g->ax[s->axis];
	double span = (double)(g->t1 - g->t0);
	bool have_prev = false;
	double px = 0, py = 0;
	uint64_t prev_t1 = 0, prev_dur = 0;

	for (size_t j = 0; j < s->n; j++) {
		const struct graph_point *p = &s->p[j];
		double mid, x, y, v;
		uint64_t dur = p->t1 - p->t0;

		if (isnan(p->v)) {
			have_prev = false;
			continue;
		}
		/* points far outside the range only matter as line ends */
		if (p->t1 < g->t0 && j + 1 < s->n && s->p[j + 1].t1 < g->t0)
			continue;
		mid = (double)p->t0 + (double)dur / 2 - (double)g->t0;
		x = floor(mid * gr->dw / span);
		v = p->v < 0 ? 0 : p->v > ax->top ? ax->top : p->v;
		y = (gr->dh - 1) - (ax->top > 0 ? v / ax->top : 0) * (gr->dh - 1);
		if (have_prev && p->t0 <= prev_t1 + 2 * (dur > prev_dur ? dur : prev_dur) + 1000)
			dot_line(gr, px, py, x, y, (uint8_t)(si + 1));
		else if (x >= 0 && x < gr->dw)
			dot_set(gr, (long)x, lround(y), (uint8_t)(si + 1));
		px = x, py = y, have_prev = true;
		prev_t1 = p->t1;
		prev_dur = dur;
		if (p->t0 >= g->t1)
			break;
	}
}

static void put_wc(WINDOW *win, int y, int x, wchar_t wc, attr_t a)
{
	cchar_t cc;
	wchar_t s[2] = { wc, 0 };

	setcchar(&cc, s, a & ~A_COLOR, (short)PAIR_NUMBER(a), NULL);
	mvwadd_wch(win, y, x, &cc);
}

static void put_cell(struct graph *g, WINDOW *win, int y, int x, uint8_t mask, attr_t a)
{
	switch (g->mode) {
	case GRAPH_BRAILLE:
		put_wc(win, y, x, (wchar_t)(0x2800 + mask), a);
		break;
	case GRAPH_BLOCK:
		put_wc(win, y, x, quad[mask & 15], a);
		break;
	default:
		wattrset(win, a);
		mvwaddch(win, y, x, (chtype)(unsigned char)ascii_cell[mask & 7]);
		wattrset(win, A_NORMAL);
		break;
	}
}

/* Legend width with values (@values) or without. */
static const char *series_label(const struct series *s, bool brief)
{
	return brief && s->short_label[0] ? s->short_label : s->label;
}

static int legend_width(const struct graph *g, bool values, bool brief)
{
	int lw = 0;

	for (size_t i = 0; i < g->ns; i++) {
		lw += 3 + text_width(series_label(&g->s[i], brief)) + (i + 1 == g->ns);
		if (values && g->s[i].value[0])
			lw += 1 + text_width(g->s[i].value);
	}
	return lw;
}

/* Title row: the title, and the legend at the right. What gives way when
 * it does not fit, in order: the series' labels shorten (short labels),
 * the title shortens (short title), and only then the values go. */
static void draw_title(struct graph *g, WINDOW *win)
{
	static const struct {
		bool values, brief_labels, brief_title;
	} steps[] = {
		{ true, false, false }, { true, true, false }, { true, true, true },
		{ false, false, false }, { false, true, true },
	};
	const struct widget *w = &g->base;
	const struct glyphs *gl = widget_glyphs;
	int x = w->x, end = w->x + w->w, room = 0, lw = 0;
	size_t k;
	const char *title = g->title;
	attr_t rule = role_attr(ROLE_RULE);

	for (k = 0; k < sizeof(steps) / sizeof(steps[0]); k++) {
		title = steps[k].brief_title && g->short_title[0] ? g->short_title : g->title;
		room = end - (x + 1 + text_width(title) + 2) - 2;
		lw = legend_width(g, steps[k].values, steps[k].brief_labels);
		if (lw <= room)
			break;
	}
	if (k == sizeof(steps) / sizeof(steps[0]))
		k--;
	text_repeat(win, w->y, x, w->w, rule, gl->hline);
	x += 1;
	x += text_putf(win, w->y, x, end - x, role_attr(w->focused ? ROLE_RULE_FOCUS : ROLE_TITLE),
		       " %s ", title);
	if (!g->ns)
		return;
	x = lw > room ? x + 1 : end - 1 - lw;
	for (size_t i = 0; i < g->ns && x < end - 3; i++) {
		const char *label = series_label(&g->s[i], steps[k].brief_labels);
		int iw = 3 + text_width(label), more = 0;
		char rest[16];

		if (steps[k].values && g->s[i].value[0])
			iw += 1 + text_width(g->s[i].value);
		if (i + 1 < g->ns)
			more = snprintf(rest, sizeof(rest), " +%zu", g->ns - i - 1);
		if (x + iw + more > end - 1) {
			/* no room for this one whole (and the count of the
			 * rest): count it with them, never show half a name */
			snprintf(rest, sizeof(rest), " +%zu", g->ns - i);
			if (x + text_width(rest) <= end - 1)
				x += text_put(win, w->y, x, end - 1 - x, role_attr(ROLE_DIM), rest);
			break;
		}
		x += text_put(win, w->y, x, end - 1 - x, role_attr(ROLE_NORMAL), " ");
		x += text_put(win, w->y, x, end - 1 - x, role_attr(g->s[i].role), gl->swatch);
		x += text_putf(win, w->y, x, end - 1 - x, role_attr(ROLE_NORMAL), " %s", label);
		if (steps[k].values && g->s[i].value[0])
			x += text_putf(win, w->y, x, end - 1 - x, role_attr(g->s[i].role) | A_BOLD,
				       " %s", g->s[i].value);
	}
	if (x < end - 1)
		text_put(win, w->y, x, 1, role_attr(ROLE_NORMAL), " ");
}

/* Markers on the time axis (row @xrow), none drawn over another: marks at
 * one column with the same text count once; a mark whose label would reach
 * the next one joins it in a cluster, drawn as one glyph per mark and the
 * newest label with "+N" for the others; each cluster's label stops before
 * the next cluster. The cursor's tooltip lists every mark in full. Fills
 * the cluster spans [mcol, mend] and returns how many. */
static size_t layout_marks(struct graph *g, WINDOW *win, int xrow, int *mcol, int *mend)
{
	int col[GRAPH_MAX_MARKS];
	size_t idx[GRAPH_MAX_MARKS], n = 0, nc = 0;

	for (size_t i = 0; i < g->nmarks; i++) {
		int c = graph_time_col(g, g->marks[i].t);
		bool dup = false;
		size_t k;

		if (c < 0)
			continue;
		for (k = 0; k < n && !dup; k++)
			dup = col[k] == c && !strcmp(g->marks[idx[k]].text, g->marks[i].text);
		if (dup)
			continue;
		/* insertion in column order; equal columns keep time order */
		for (k = n; k > 0 && col[k - 1] > c; k--) {
			col[k] = col[k - 1];
			idx[k] = idx[k - 1];
		}
		col[k] = c;
		idx[k] = i;
		n++;
	}
	for (size_t i = 0; i < n;) {
		size_t last = i, j;
		char label[80];
		int room, next, lw;

		/* grow the cluster while the next mark falls on or before the
		 * end of the label drawn after the cluster's last glyph */
		for (;;) {
			int extra = (int)(last - i);

			snprintf(label, sizeof(label), extra ? "%s +%d" : "%s", g->marks[idx[last]].text,
				 extra);
			if (last + 1 >= n || col[last + 1] > col[last] + 1 + text_width(label) + 1)
				break;
			last++;
		}
		next = last + 1 < n ? col[last + 1] : g->pw;
		for (j = i; j <= last; j++)
			text_put(win, xrow, g->px + col[j], 1, role_attr(ROLE_MARK), widget_glyphs->mark);
		room = next - col[last] - 2;
		lw = text_width(label);
		mcol[nc] = col[i];
		mend[nc] = col[last];
		if (room > 3) {
			/* a label that does not fit is elided in the middle,
			 * never cut: "IOPS cap 50000->450" would read as a
			 * whole change to a wrong value */
			char cut[sizeof(label) + 8];

			if (lw > room && last > i) {
				/* keep the count, shorten the text */
				char cnt[16];
				int cw;

				snprintf(cnt, sizeof(cnt), " +%d", (int)(last - i));
				cw = text_width(cnt);
				if (room > cw + 2) {
					text_elide_middle(cut, sizeof(cut), g->marks[idx[last]].text,
							  room - cw);
					mend[nc] += text_put(win, xrow, g->px + col[last] + 1, room - cw,
							     role_attr(ROLE_MARK), cut);
					mend[nc] += text_put(win, xrow, g->px + mend[nc] + 1, cw,
							     role_attr(ROLE_MARK), cnt);
				}
			} else {
				text_elide_middle(cut, sizeof(cut), label, room);
				mend[nc] += text_put(win, xrow, g->px + col[last] + 1, room,
						     role_attr(ROLE_MARK), cut);
			}
		}
		nc++;
		i = last + 1;
	}
	return nc;
}

static void draw_axes(struct graph *g, WINDOW *win)
{
	const struct widget *w = &g->base;
	const struct glyphs *gl = widget_glyphs;
	attr_t axa = role_attr(ROLE_AXIS), tk = role_attr(ROLE_TICK);
	int xrow = w->y + w->h - 1, last_end;
	double span_s = (double)(g->t1 - g->t0) / 1e6, step;
	char buf[32];

	for (int a = 0; a < 2; a++) {
		const struct axis *ax = &g->ax[a];
		int col = a == 0 ? g->px - 1 : g->px + g->pw;
		int prev_row = -1;

		if (!ax->used)
			continue;
		for (int r = 0; r < g->ph; r++)
			text_put(win, g->py + r, col, 1, axa, gl->vline);
		for (size_t k = 0; k < ax->nticks; k++) {
			double frac = ax->top > 0 ? ax->tick_v[k] / ax->top : 0;
			int dh = g->ph * cell_h[g->mode];
			int row = (int)lround((1 - frac) * (dh - 1)) / cell_h[g->mode];

			if (row == prev_row)
				continue;
			prev_row = row;
			text_put(win, g->py + row, col, 1, axa, a == 0 ? gl->tee_left : gl->tee_right);
			if (a == 0)
				text_put(win, g->py + row, w->x + ax->label_w - (int)strlen(ax->tick[k]),
					 ax->label_w, tk, ax->tick[k]);
			else
				text_put(win, g->py + row, col + 1, ax->label_w, tk, ax->tick[k]);
		}
	}

	/* time axis: markers first (they matter more), then the time ticks
	 * where they do not collide with a marker */
	text_put(win, xrow, g->px - 1, 1, axa, gl->axis_corner);
	text_repeat(win, xrow, g->px, g->pw, axa, gl->hline);
	{
		int mcol[GRAPH_MAX_MARKS], mend[GRAPH_MAX_MARKS];
		size_t nm = layout_marks(g, win, xrow, mcol, mend);

		if (g->pw <= 0)
			return;
		step = units_time_step(span_s * 8.0 / g->pw);
		last_end = -1;
		for (double t = ceil((double)g->t0 / 1e6 / step) * step; t * 1e6 < (double)g->t1;
		     t += step) {
			int col = graph_time_col(g, (uint64_t)(t * 1e6 + 0.5));
			int len, lend;
			bool clash = false;

			if (col < 0 || col <= last_end)
				continue;
			units_fmt_time(buf, sizeof(buf), t);
			len = text_width(buf);
			lend = col + len + (col > 0);
			if (lend >= g->pw)
				continue;
			for (size_t k = 0; k < nm; k++)
				clash |= !(lend < mcol[k] || col > mend[k] + 1);
			if (clash)
				continue;
			/* at column 0 the corner is the tick */
			if (col > 0)
				text_put(win, xrow, g->px + col, 1, axa, gl->tee_up);
			text_put(win, xrow, g->px + col + (col > 0), len, tk, buf);
			last_end = lend;
		}
	}
}

static void graph_draw(struct widget *wd, WINDOW *win)
{
	struct graph *g = (struct graph *)wd;
	struct grid gr;
	bool any = false;

	if (wd->h < 3 || wd->w < 10)
		return;
	layout(g);
	for (int r = 0; r < wd->h; r++)
		text_fill(win, wd->y + r, wd->x, wd->w, role_attr(ROLE_NORMAL));
	draw_title(g, win);
	if (!g->mask || g->ph <= 0 || g->pw <= 0)
		return;

	gr.g = g;
	gr.cw = cell_w[g->mode];
	gr.ch = cell_h[g->mode];
	gr.dw = g->pw * gr.cw;
	gr.dh = g->ph * gr.ch;
	memset(g->mask, 0, (size_t)g->ph * (size_t)g->pw);
	memset(g->owner, 0, (size_t)g->ph * (size_t)g->pw);
	for (size_t i = 0; i < g->ns; i++) {
		for (size_t j = 0; j < g->s[i].n && !any; j++)
			any = point_visible(g, &g->s[i].p[j]);
		plot_series(&gr, i);
	}

	for (int r = 0; r < g->ph; r++) {
		for (int c = 0; c < g->pw; c++) {
			size_t cell = (size_t)r * (size_t)g->pw + (size_t)c;
			uint8_t m = g->mask[cell];
			bool is_mark = false;

			for (size_t k = 0; k < g->nmarks && !m; k++)
				is_mark |= graph_time_col(g, g->marks[k].t) == c;
			if (m) {
				attr_t a = role_attr(g->s[g->owner[cell] - 1].role);

				/* data keeps its look under the cursor (a reversed cell
				 * would read as a bar); it is only brightened */
				if (c == g->cursor)
					a |= A_BOLD;
				put_cell(g, win, g->py + r, g->px + c, m, a);
			} else if (c == g->cursor) {
				text_put(win, g->py + r, g->px + c, 1, role_attr(ROLE_CURSOR),
					 widget_glyphs->vline);
			} else if (is_mark) {
				text_put(win, g->py + r, g->px + c, 1, role_attr(ROLE_MARK),
					 widget_glyphs->mark_line);
			}
		}
	}
	draw_axes(g, win);
	if (!any && g->note[0]) {
		int len = text_width(g->note);
		int x = g->px + (g->pw - len) / 2;

		text_put(win, g->py + g->ph / 2, x < g->px ? g->px : x, g->pw, role_attr(ROLE_DIM),
			 g->note);
	}
}

static unsigned graph_key(struct widget *wd, int key)
{
	struct graph *g = (struct graph *)wd;
	int newest;

	switch (key) {
	case KEY_LEFT:
	case 'h':
		if (g->cursor < 0) {
			newest = graph_newest_col(g);
			g->cursor = newest >= 0 ? newest : g->pw - 1;
		} else if (g->cursor > 0) {
			g->cursor--;
		}
		return WK_HANDLED | WK_REDRAW;
	case KEY_RIGHT:
	case 'l':
		if (g->cursor < 0) {
			newest = graph_newest_col(g);
			g->cursor = newest >= 0 ? newest : g->pw - 1;
		} else if (g->cursor < g->pw - 1) {
			g->cursor++;
		}
		return WK_HANDLED | WK_REDRAW;
	case KEY_HOME:
		g->cursor = 0;
		return WK_HANDLED | WK_REDRAW;
	case KEY_END:
		newest = graph_newest_col(g);
		g->cursor = newest >= 0 ? newest : g->pw - 1;
		return WK_HANDLED | WK_REDRAW;
	case 27:
		if (g->cursor < 0)
			return WK_IGNORED;
		g->cursor = -1;
		return WK_HANDLED | WK_REDRAW;
	}
	return WK_IGNORED;
}

static void graph_resize(struct widget *wd, int y, int x, int h, int w)
{
	widget_resize(wd, y, x, h, w);
	layout((struct graph *)wd);
}

static void graph_free(struct widget *wd)
{
	struct graph *g = (struct graph *)wd;

	if (!g)
		return;
	for (size_t i = 0; i < g->ns; i++)
		free(g->s[i].p);
	free(g->mask);
	free(g->owner);
	free(g);
}

static const struct widget_class graph_class = {
	.name = "graph",
	.draw = graph_draw,
	.key = graph_key,
	.resize = graph_resize,
	.free = graph_free,
};
