/* Heat map: a distribution over time. x is time, y a value (latency) on a
 * log scale, each cell shaded by the share of its column's count that
 * falls in its value range, with the p50/p99/p99.9 of each column drawn
 * over it.
 *
 * Opaque, and it knows nothing of jobs or samples: the caller gives the
 * bucket layout once (any increasing bucket edges, e.g. the sample store's
 * heat buckets), the visible time range, then for each plot column the
 * counts of the samples under it (heatmap_col_range says which times a
 * column covers). The widget chooses the y range (the populated buckets in
 * view, whole octaves, at least 3), maps buckets to rows, shades and draws.
 *
 * Shading: with a colour ramp (term.c sets widget_colour_ramp where the
 * terminal has 256 colours) eight background shades, light to dark as the
 * share grows on a log scale (0.1% .. 100%), with the percentile lines as
 * glyphs over them; without, the glyph ramp " ░▒▓█" (ASCII " .+*#") on
 * fixed share steps (under 5%, 25%, 60%, above), and the percentile lines
 * as underlined (p50) or bold underlined (p99, p99.9) cells.
 *
 * Rectangle layout (h rows): row 0 title on a rule with the line legend;
 * rows 1..h-2 the plot, latency labels at the left; row h-1 the time axis.
 * Times are microseconds on the caller's clock. Only the UI thread. */
#ifndef IOLAB_HEATMAP_H
#define IOLAB_HEATMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tooltip.h"
#include "widget.h"

struct heatmap;

/* Returns NULL when out of memory. */
struct heatmap *heatmap_new(const char *title);
struct widget *heatmap_widget(struct heatmap *h);
void heatmap_set_title(struct heatmap *h, const char *title);
/* A shorter title ("Lat heat") used when the title row cannot hold the
 * title and the line legend. */
void heatmap_set_short_title(struct heatmap *h, const char *title);
/* Text shown in the middle of the plot when no column has a count. */
void heatmap_set_note(struct heatmap *h, const char *note);

/* @nb buckets; bucket b holds values in [edge[b], edge[b + 1]) (@edge has
 * nb + 1 increasing entries, copied). Drops the columns' counts. Returns 0
 * or -ENOMEM / -EINVAL. */
int heatmap_set_buckets(struct heatmap *h, const uint64_t *edge, unsigned nb);
/* Visible time range [t0, t1), t1 > t0. */
void heatmap_set_xrange(struct heatmap *h, uint64_t t0, uint64_t t1);
/* Plot area in window coordinates (valid after a resize). */
void heatmap_plot_rect(const struct heatmap *h, int *y, int *x, int *ph, int *pw);
/* Times plot column @col covers, [*t0, *t1] closed; 0 or -ERANGE. */
int heatmap_col_range(const struct heatmap *h, int col, uint64_t *t0, uint64_t *t1);
/* Plot column showing time @t, or -1. */
int heatmap_time_col(const struct heatmap *h, uint64_t t);
/* Plot column under window cell (wy, wx), or -1. */
int heatmap_col_at(const struct heatmap *h, int wy, int wx);
/* Plot row under window row @wy, counted from the bottom (0), or -1. */
int heatmap_row_at(const struct heatmap *h, int wy);

/* Forget every column's counts (before refilling them). */
void heatmap_clear(struct heatmap *h);
/* Counts of column @col (nb of them, copied). 0 or -ERANGE. */
int heatmap_set_col(struct heatmap *h, int col, const uint64_t *count);
/* Cursor column, or -1 for none. */
void heatmap_set_cursor(struct heatmap *h, int col);

/* Value at percentile @pct (0 < pct <= 100) of column @col, read at the
 * middle of its bucket; 0 when the column is empty. */
uint64_t heatmap_col_percentile(const struct heatmap *h, int col, double pct);
/* Adds to @t what column @col holds: each populated row, top first, as
 * "lo-hi" (the populated buckets' bounds in it), the count and its share,
 * the row @hrow (from heatmap_row_at; -1: none) marked "> "; then the
 * column's p50, p99 and p99.9. Rows are mapped as the next draw maps the
 * counts set now, so a tooltip made before any draw (or after a refill)
 * agrees with the frame it is drawn on. */
void heatmap_tip(struct heatmap *h, int col, int hrow, struct tooltip *t);
/* What the last draw put in cell (@row from the bottom, @col): its shade
 * level (0 empty .. 4 with the glyph ramp, 0 .. 8 with colours). For
 * tests. */
int heatmap_cell_level(const struct heatmap *h, int row, int col);

#endif
