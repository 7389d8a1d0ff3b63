/* Tooltip widget; see tooltip.h. */
#include "tooltip.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	int ly, lx, lh, lw; /* last placement */
};

static const struct widget_class tooltip_class;

void tooltip_place(int ay, int ax, int bh, int bw, int sh, int sw, int *y, int *x)
{
	int px = ax + 2, py = ay + 1;

	if (px + bw > sw)
		px = ax - 1 - bw; /* flip to the left */
	if (px < 0)
		px = sw - bw < 0 ? 0 : sw - bw;
	if (px + bw > sw)
		px = sw - bw < 0 ? 0 : sw - bw;
	if (py + bh > sh)
		py = ay - bh; /* flip above */
	if (py < 0)
		py = sh - bh < 0 ? 0 : sh - bh;
	*y = py;
	*x = px;
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
	tooltip_place(t->ay, t->ax, h, w, getmaxy(win), getmaxx(win), &y, &x);
	t->ly = y, t->lx = x, t->lh = h, t->lw = w;
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
