/* Tooltip widget; see tooltip.h. */
#include "tooltip.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

struct tip_line {
	int swatch; /* enum role, or -1 */
	char left[64];
	char right[32];
};

struct tooltip {
	struct widget base;
	char title[64];
	struct tip_line line[TOOLTIP_MAX_LINES];
	size_t n;
	int ay, ax;
	int by, bx, bh, bw; /* bounds to keep inside when it fits (bh 0: none) */
	int ly, lx, lh, lw; /* last placement */
};

static const struct widget_class tooltip_class;

/* One axis: @len cells for an anchor at @a in [lo, hi), preferring @a +
 * @gap, flipping to before the anchor, else clamped. */
static int place_1d(int a, int gap, int len, int lo, int hi)
{
	int p = a + gap;

	if (p + len > hi)
		p = a - (gap > 1 ? 1 : 0) - len; /* flip */
	if (p < lo)
		p = hi - len < lo ? lo : hi - len;
	if (p + len > hi)
		p = hi - len < lo ? lo : hi - len;
	return p;
}

void tooltip_place(int ay, int ax, int bh, int bw, int sh, int sw, int *y, int *x)
{
	*y = place_1d(ay, 1, bh, 0, sh);
	*x = place_1d(ax, 2, bw, 0, sw);
}

void tooltip_place_in(int ay, int ax, int bh, int bw, int sh, int sw, int by, int bx, int bbh,
		      int bbw, int *y, int *x)
{
	if (bbh > 0 && bh <= bbh && by >= 0 && by + bbh <= sh)
		*y = place_1d(ay, 1, bh, by, by + bbh);
	else
		*y = place_1d(ay, 1, bh, 0, sh);
	if (bbw > 0 && bw <= bbw && bx >= 0 && bx + bbw <= sw)
		*x = place_1d(ax, 2, bw, bx, bx + bbw);
	else
		*x = place_1d(ax, 2, bw, 0, sw);
}

struct tooltip *tooltip_new(void)
{
	struct tooltip *t = calloc(1, sizeof(*t));

	if (t)
		t->base.cls = &tooltip_class;
	return t;
}

struct widget *tooltip_widget(struct tooltip *t)
{
	return &t->base;
}

void tooltip_clear(struct tooltip *t)
{
	t->n = 0;
	t->title[0] = '\0';
}

void tooltip_set_title(struct tooltip *t, const char *title)
{
	snprintf(t->title, sizeof(t->title), "%s", title ? title : "");
}

int tooltip_add(struct tooltip *t, int swatch, const char *left, const char *right)
{
	struct tip_line *l;

	if (t->n >= TOOLTIP_MAX_LINES)
		return -ENOSPC;
	l = &t->line[t->n++];
	l->swatch = swatch;
	snprintf(l->left, sizeof(l->left), "%s", left ? left : "");
	snprintf(l->right, sizeof(l->right), "%s", right ? right : "");
	return 0;
}

void tooltip_set_anchor(struct tooltip *t, int ay, int ax)
{
	t->ay = ay;
	t->ax = ax;
}

void tooltip_set_bounds(struct tooltip *t, int y, int x, int h, int w)
{
	t->by = y;
	t->bx = x;
	t->bh = h;
	t->bw = w;
}

/* A cell that is part of a word or a figure ("400MiB/s", "45s"), not a
 * blank, a line or a graph dot. */
static bool word_cell(WINDOW *win, int y, int x)
{
	cchar_t cc;
	wchar_t wc[CCHARW_MAX + 1] = { 0 };
	attr_t a;
	short pair;

	if (mvwin_wch(win, y, x, &cc) == ERR)
		return false;
	getcchar(&cc, wc, &a, &pair, NULL);
	return wc[0] < 0x80 && (iswalnum((wint_t)wc[0]) || wcschr(L".,/%:+-_()", wc[0]));
}

/* Before the box is drawn over columns [x, x + w) of row @y: blank the
 * rest of any word the box will cut at either side, as a label half
 * covered would read as another figure ("0MiB/s" for "400MiB/s"). */
static void blank_cut(WINDOW *win, int y, int x, int w)
{
	attr_t n = role_attr(ROLE_NORMAL);

	if (word_cell(win, y, x + w - 1))
		for (int c = x + w; c < getmaxx(win) && word_cell(win, y, c); c++)
			text_put(win, y, c, 1, n, " ");
	if (word_cell(win, y, x))
		for (int c = x - 1; c >= 0 && word_cell(win, y, c); c--)
			text_put(win, y, c, 1, n, " ");
}

size_t tooltip_lines(const struct tooltip *t)
{
	return t->n;
}

/* Widths of the left and right columns. */
static void columns(const struct tooltip *t, int *lw, int *rw)
{
	*lw = 0;
	*rw = 0;
	for (size_t i = 0; i < t->n; i++) {
		int l = text_width(t->line[i].left) + (t->line[i].swatch >= 0 ? 2 : 0);
		int r = text_width(t->line[i].right);

		if (l > *lw)
			*lw = l;
		if (r > *rw)
			*rw = r;
	}
}

void tooltip_size(const struct tooltip *t, int *h, int *w)
{
	int lw, rw, inner;

	columns(t, &lw, &rw);
	inner = lw + (rw ? rw + 2 : 0);
	if (text_width(t->title) > inner)
		inner = text_width(t->title);
	*w = inner + 4;
	*h = (int)t->n + 2 + (t->title[0] ? 1 : 0);
}

void tooltip_last_rect(const struct tooltip *t, int *y, int *x, int *h, int *w)
{
	*y = t->ly;
	*x = t->lx;
	*h = t->lh;
	*w = t->lw;
}

static void tooltip_draw(struct widget *wd, WINDOW *win)
{
	struct tooltip *t = (struct tooltip *)wd;
	attr_t fill = role_attr(ROLE_TOOLTIP);
	int h, w, y, x, lw, rw, row;

	if (!t->n && !t->title[0])
		return;
	tooltip_size(t, &h, &w);
	if (w > getmaxx(win))
		w = getmaxx(win);
	if (h > getmaxy(win))
		h = getmaxy(win);
	tooltip_place_in(t->ay, t->ax, h, w, getmaxy(win), getmaxx(win), t->by, t->bx, t->bh,
			 t->bw, &y, &x);
	t->ly = y, t->lx = x, t->lh = h, t->lw = w;
	for (int r = y; r < y + h; r++)
		blank_cut(win, r, x, w);
	box_draw(win, y, x, h, w, fill, fill);
	columns(t, &lw, &rw);
	row = y + 1;
	if (t->title[0])
		text_put(win, row++, x + 2, w - 4, role_attr(ROLE_TOOLTIP_TITLE), t->title);
	for (size_t i = 0; i < t->n && row < y + h - 1; i++, row++) {
		const struct tip_line *l = &t->line[i];
		int cx = x + 2;

		if (l->swatch >= 0) {
			text_put(win, row, cx, 1, role_attr((enum role)l->swatch) | A_BOLD,
				 widget_glyphs->swatch);
			cx += 2;
		}
		text_put(win, row, cx, w - 4 - (cx - x - 2), fill, l->left);
		if (l->right[0]) {
			int rx = x + w - 2 - text_width(l->right);

			if (rx > cx)
				text_put(win, row, rx, x + w - 2 - rx, fill | A_BOLD, l->right);
		}
	}
}

static void tooltip_free(struct widget *wd)
{
	free(wd);
}

static const struct widget_class tooltip_class = {
	.name = "tooltip",
	.draw = tooltip_draw,
	.key = NULL,
	.resize = widget_resize,
	.free = tooltip_free,
};
