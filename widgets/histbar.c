/* Histogram bar widget; see histbar.h. */
#include "histbar.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct histbar {
	struct widget base;
	char title[64];
	struct histbar_bin *bin;
	int *eighths;
	size_t n, top;
};

static const struct widget_class histbar_class;

struct histbar *histbar_new(const char *title)
{
	struct histbar *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	h->base.cls = &histbar_class;
	snprintf(h->title, sizeof(h->title), "%s", title ? title : "");
	return h;
}

struct widget *histbar_widget(struct histbar *h)
{
	return &h->base;
}

int histbar_set(struct histbar *h, const struct histbar_bin *bins, size_t n)
{
	struct histbar_bin *nb = NULL;
	int *ne = NULL;

	if (n) {
		nb = malloc(n * sizeof(*nb));
		ne = calloc(n, sizeof(*ne));
		if (!nb || !ne) {
			free(nb);
			free(ne);
			return -ENOMEM;
		}
		memcpy(nb, bins, n * sizeof(*nb));
	}
	free(h->bin);
	free(h->eighths);
	h->bin = nb;
	h->eighths = ne;
	h->n = n;
	if (h->top >= n)
		h->top = 0;
	return 0;
}

int histbar_bar_eighths(const struct histbar *h, size_t i)
{
	return i < h->n ? h->eighths[i] : 0;
}

static void histbar_draw(struct widget *wd, WINDOW *win)
{
	struct histbar *h = (struct histbar *)wd;
	const struct glyphs *g = widget_glyphs;
	int lw = 0, vw = 0, barw, rows = wd->h - 1;
	double max = 0;

	if (wd->h < 2 || wd->w < 10)
		return;
	for (int r = 0; r < wd->h; r++)
		text_fill(win, wd->y + r, wd->x, wd->w, role_attr(ROLE_NORMAL));
	text_repeat(win, wd->y, wd->x, wd->w, role_attr(ROLE_RULE), g->hline);
	text_putf(win, wd->y, wd->x + 1, wd->w - 2,
		  role_attr(wd->focused ? ROLE_RULE_FOCUS : ROLE_TITLE), " %s ", h->title);
	for (size_t i = 0; i < h->n; i++) {
		if (text_width(h->bin[i].label) > lw)
			lw = text_width(h->bin[i].label);
		if (text_width(h->bin[i].text) > vw)
			vw = text_width(h->bin[i].text);
		if (h->bin[i].value > max)
			max = h->bin[i].value;
	}
	barw = wd->w - lw - vw - 3;
	if (barw < 1)
		return;
	if (h->top + (size_t)rows > h->n)
		h->top = h->n > (size_t)rows ? h->n - (size_t)rows : 0;
	for (int r = 0; r < rows && h->top + (size_t)r < h->n; r++) {
		size_t i = h->top + (size_t)r;
		const struct histbar_bin *b = &h->bin[i];
		int y = wd->y + 1 + r, e, full, x;

		e = max > 0 ? (int)(b->value / max * barw * 8 + 0.5) : 0;
		if (e == 0 && b->value > 0)
			e = 1; /* a non-empty bin always shows */
		if (!g->utf8) {
			int cells = (e + 4) / 8;

			e = cells ? cells * 8 : (e ? 8 : 0);
		}
		h->eighths[i] = e;
		text_put(win, y, wd->x + lw - text_width(b->label), lw, role_attr(ROLE_TICK),
			 b->label);
		x = wd->x + lw + 1;
		full = e / 8;
		text_repeat(win, y, x, full, role_attr(ROLE_BAR), g->bar_full);
		if (e % 8 && full < barw)
			text_put(win, y, x + full, 1, role_attr(ROLE_BAR), g->eighths[e % 8]);
		text_put(win, y, wd->x + wd->w - vw, vw, role_attr(ROLE_NORMAL), b->text);
	}
}

static unsigned histbar_key(struct widget *wd, int key)
{
	struct histbar *h = (struct histbar *)wd;

	switch (key) {
	case KEY_UP:
	case 'k':
		if (h->top)
			h->top--;
		return WK_HANDLED | WK_REDRAW;
	case KEY_DOWN:
	case 'j':
		if (h->top + 1 < h->n)
			h->top++;
		return WK_HANDLED | WK_REDRAW;
	}
	return WK_IGNORED;
}

static void histbar_free(struct widget *wd)
{
	struct histbar *h = (struct histbar *)wd;

	if (!h)
		return;
	free(h->bin);
	free(h->eighths);
	free(h);
}

static const struct widget_class histbar_class = {
	.name = "histbar",
	.draw = histbar_draw,
	.key = histbar_key,
	.resize = widget_resize,
	.free = histbar_free,
};
