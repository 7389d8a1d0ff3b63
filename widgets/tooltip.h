/* Tooltip: a small box of lines beside an anchor cell (a graph cursor or
 * the mouse pointer). It prefers the right of and below the anchor and
 * flips to the left / above where it would cross its bounds (the graph it
 * belongs to, see tooltip_set_bounds) or, where it is larger than those,
 * the window's edge; if it fits neither way it is clamped inside. Text
 * the box cuts at its left and right edges is blanked up to the next
 * blank or line, so a covered label never reads as another figure. */
#ifndef IOLAB_TOOLTIP_H
#define IOLAB_TOOLTIP_H

#include <stdbool.h>
#include <stddef.h>

#include "widget.h"

#define TOOLTIP_MAX_LINES 24

/* Where a @bw x @bh box goes for an anchor at (@ay, @ax) in a screen of
 * @sh rows by @sw columns: *y, *x of its top-left corner. Pure function. */
void tooltip_place(int ay, int ax, int bh, int bw, int sh, int sw, int *y, int *x);
/* The same inside the rectangle (by, bx, bbh, bbw) in each direction where
 * the box fits in it, else inside the screen. */
void tooltip_place_in(int ay, int ax, int bh, int bw, int sh, int sw, int by, int bx, int bbh,
		      int bbw, int *y, int *x);

struct tooltip;

struct tooltip *tooltip_new(void);
struct widget *tooltip_widget(struct tooltip *t);
/* Forget every line and the title. */
void tooltip_clear(struct tooltip *t);
void tooltip_set_title(struct tooltip *t, const char *title);
/* A line: an optional colour swatch (@swatch < 0: none), a left text and a
 * right-aligned value. Returns 0, or -ENOSPC past TOOLTIP_MAX_LINES. */
int tooltip_add(struct tooltip *t, int swatch, const char *left, const char *right);
/* Anchor cell in window coordinates. */
void tooltip_set_anchor(struct tooltip *t, int ay, int ax);
/* Rectangle to keep the box inside, in each direction where it fits (h or
 * w 0: the window). */
void tooltip_set_bounds(struct tooltip *t, int y, int x, int h, int w);
/* Box size the current lines need (borders included). */
void tooltip_size(const struct tooltip *t, int *h, int *w);
/* Where the last draw put the box. */
void tooltip_last_rect(const struct tooltip *t, int *y, int *x, int *h, int *w);
size_t tooltip_lines(const struct tooltip *t);

#endif
