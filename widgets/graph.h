/* Graph: a line graph of series against time, drawn with braille cells
 * (2x4 dots a cell), quadrant blocks (2x2) or ASCII (1x3).
 *
 * Opaque. The caller adds series, sets their points and the visible time
 * range, and draws; the graph knows nothing of jobs or samples. It owns
 * the y scale (auto, from the points in view, to a "nice" top), the axes
 * and tick labels (human units, lib/units.h), a legend, knob markers on the
 * time axis and a vertical cursor. For a tooltip, graph_col_range() gives
 * the time range a plot column covers, so the caller can ask its own store
 * what lies under it.
 *
 * Rectangle layout (h rows):
 *   row 0        title on a rule, legend at the right
 *   rows 1..h-2  plot, y tick labels at the left (and right for axis 1)
 *   row h-1      time axis: a rule with time ticks and markers
 *
 * Times are microseconds on the caller's clock; labels show seconds. */
#ifndef IOLAB_GRAPH_H
#define IOLAB_GRAPH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../lib/units.h"
#include "widget.h"

enum graph_mode { GRAPH_BRAILLE = 0, GRAPH_BLOCK, GRAPH_ASCII, GRAPH_MODE_NR };

/* One value over [t0, t1]; plotted at the middle. A NaN value is a gap. */
struct graph_point {
	uint64_t t0, t1;
	double v;
};

struct graph_mark {
	uint64_t t;
	char text[48];
};

#define GRAPH_MAX_SERIES 16
#define GRAPH_MAX_MARKS 32

struct graph;

/* Returns NULL when out of memory. */
struct graph *graph_new(const char *title);
struct widget *graph_widget(struct graph *g);
/* The graph behind a widget made by graph_new (NULL for any other). */
struct graph *graph_of(struct widget *w);

void graph_set_title(struct graph *g, const char *title);
/* Unit of axis 0 (left) or 1 (right). */
void graph_set_unit(struct graph *g, int axis, enum unit u);
void graph_set_mode(struct graph *g, enum graph_mode m);
enum graph_mode graph_mode(const struct graph *g);
/* Text shown in the middle of the plot when no series has a point in view. */
void graph_set_note(struct graph *g, const char *note);

/* Drop every series (points too). */
void graph_clear_series(struct graph *g);
/* Add a series drawn in @role on @axis (0 or 1). Returns its index, or
 * -ENOSPC past GRAPH_MAX_SERIES. */
int graph_add_series(struct graph *g, const char *label, enum role role, int axis);
/* Legend text of series @i ("read"). */
void graph_set_label(struct graph *g, int i, const char *label);
/* A shorter label ("r" for "read") and title ("BW" for "Bandwidth") the
 * legend uses before it drops values when the title row is narrow. */
void graph_set_short_label(struct graph *g, int i, const char *label);
void graph_set_short_title(struct graph *g, const char *title);
/* Its current value for the legend ("2k"); dropped last, after labels and
 * title have shortened, when the legend does not fit. */
void graph_set_value(struct graph *g, int i, const char *value);
/* Copy @n points (time order) into series @i. Returns 0 or -ENOMEM/-EINVAL. */
int graph_set_points(struct graph *g, int i, const struct graph_point *p, size_t n);
size_t graph_series_count(const struct graph *g);

/* Visible time range [t0, t1), t1 > t0. */
void graph_set_xrange(struct graph *g, uint64_t t0, uint64_t t1);
void graph_set_marks(struct graph *g, const struct graph_mark *m, size_t n);

/* Plot area in window coordinates (valid after a resize). */
void graph_plot_rect(const struct graph *g, int *y, int *x, int *h, int *w);
/* Times plot column @col covers: [*t0, *t1] (closed, us). Returns 0, or
 * -ERANGE when @col is outside the plot. */
int graph_col_range(const struct graph *g, int col, uint64_t *t0, uint64_t *t1);
/* Plot column showing time @t, or -1 when outside the range. */
int graph_time_col(const struct graph *g, uint64_t t);
/* Plot column under window cell (wy, wx), or -1. */
int graph_col_at(const struct graph *g, int wy, int wx);
/* Column of the newest point in view, or -1 when there is none. */
int graph_newest_col(const struct graph *g);

/* Cursor: a plot column, or -1 for none. Left/Right (h/l) move it, the
 * first press landing on the newest point; Esc removes it. */
void graph_set_cursor(struct graph *g, int col);
int graph_cursor(const struct graph *g);

/* Axis top chosen at the last draw (or by graph_autoscale). */
double graph_axis_top(const struct graph *g, int axis);
/* Tick labels of axis @axis at the last draw, top first; returns the count
 * copied (at most @max), each label up to 15 chars. */
size_t graph_tick_labels(const struct graph *g, int axis, char (*out)[16], size_t max);

#endif
