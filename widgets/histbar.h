/* Histogram bars: one horizontal bar per bin, a label at the left and the
 * value at the right, lengths proportional to the largest bin (eighth-cell
 * resolution with UTF-8). Scrolls with Up/Down when there are more bins
 * than rows. */
#ifndef IOLAB_HISTBAR_H
#define IOLAB_HISTBAR_H

#include <stddef.h>

#include "widget.h"

struct histbar_bin {
	char label[16]; /* "<=250us" */
	double value;   /* what the bar shows (e.g. percent of I/Os) */
	char text[16];  /* value as shown ("12.5%") */
};

struct histbar;

struct histbar *histbar_new(const char *title);
struct widget *histbar_widget(struct histbar *h);
/* Copy @n bins. Returns 0 or -ENOMEM. */
int histbar_set(struct histbar *h, const struct histbar_bin *bins, size_t n);
/* Cells the bar of bin @i took at the last draw, in eighths (for tests). */
int histbar_bar_eighths(const struct histbar *h, size_t i);

#endif
