/* The dashboard's insides, shared by its two files and by nothing else:
 * dash.c (lifecycle, layout, job table, header, keys and mouse) and
 * dash_graphs.c (what the four graphs, the heat map and the tooltip
 * show). Everything here lives on the UI thread. */
#ifndef IOLAB_TUI_DASH_INT_H
#define IOLAB_TUI_DASH_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app.h"

/* Samples the tooltip reads at most under one column. */
#define MAX_QUERY 4096

enum metric { M_IOPS, M_BW, M_P50, M_P99, M_UTIL, M_RAWAIT, M_WAWAIT, M_QD };

/* What a graph's series shows, so the tooltip can recompute it. */
struct series_desc {
	unsigned job;
	enum metric m;
	int dir; /* -1: all directions */
	enum role role;
	bool base; /* the baseline's (--baseline), drawn dim */
	char name[40];
};

/* A job's status and the figures of its row, taken by update_rows() once
 * a frame; drawing reads only these. */
struct row_cache {
	bool have_st;
	struct source_status st;
	bool have;
	double iops, bw, p99;
	uint64_t errors;
	uint64_t key; /* started_ns of the run the final figures are for */
	bool final;
};

/* Dashboard panes, in Tab order. */
enum pane { PANE_JOBS = 0, PANE_IOPS, PANE_BW, PANE_LAT, PANE_DEV, PANE_NR };
#define NGRAPHS 4

/* The dashboard's own state (a->dash), from dash_open to dash_close. */
struct dash_state {
	struct table *jobtab;
	bool host_col;      /* the source drives hosts: a Host column */
	unsigned njobs;     /* the table's job rows, as of the last update */
	unsigned nsum;      /* then one row per host summing its jobs */
	struct graph *graph[NGRAPHS];
	struct tooltip *tip;
	enum pane focus;
	bool overlay;       /* all jobs on each graph */
	unsigned zoom;      /* index into the span table */
	bool live;          /* window follows the newest sample */
	bool zoom_set;      /* the user zoomed: a replay's window stops fitting its data */
	uint64_t view_end;  /* right edge when not live (us) */
	bool cursor_on;
	uint64_t cursor_t;  /* time under the cursor (us) */
	bool tip_mouse;     /* cursor comes from the mouse pointer */
	int mouse_y, mouse_x;
	struct heatmap *heat; /* the latency pane as a heat map */
	bool heat_on;         /* H: the heat map instead of the latency lines */
	int heat_row;         /* heat map row under the mouse pointer, -1: none */
	struct row_cache *row;
	size_t nrow;
	struct sample *sbuf;
	size_t scap;
	struct sample *bbuf; /* the baseline's samples in the window */
	size_t bcap;
	struct sample *qbuf;
	struct series_desc desc[NGRAPHS][GRAPH_MAX_SERIES];
	size_t ndesc[NGRAPHS];
	struct graph_point *pts;
	size_t pcap;
	uint64_t t_lo, t_hi;
	int table_rows;
};

/* Job @id's status as update_rows() took it this frame, or NULL (dash.c). */
const struct source_status *dash_row_status(const struct app *a, unsigned id);

/* dash_graphs.c */
/* Metric @m of sample @s over direction @dir (-1: all); NAN when the
 * sample has none. */
double dash_metric_value(const struct sample *s, enum metric m, int dir);
/* The graphs' series over the window [t_lo, t_hi] from the store (and the
 * baseline under them), and the knob changes as marks on the time axis. */
void dash_build_series(struct app *a);
void dash_build_marks(struct app *a);
/* The latency pane as a heat map: the selected job, or all overlaid. */
void dash_heat(struct app *a);
/* The cursor's tooltip, from the store, for the focused graph. */
void dash_update_tooltip(struct app *a);

#endif
