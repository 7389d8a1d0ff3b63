/* The diagnose view's insides, shared by its two files and by nothing
 * else: diag.c (setup form, thread, lifecycle, layout, drawing, keys) and
 * diag_steps.c (what the step table, graphs, heat map and tooltip show).
 * See diag.c for the threads: `shared` is the thread's, under `mu`;
 * everything else is the UI thread's. */
#ifndef IOLAB_TUI_DIAG_INT_H
#define IOLAB_TUI_DIAG_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "../backend/diagnose.h"
#include "../widgets/heatmap.h"
#include "../widgets/tooltip.h"
#include "app.h"

#define TABLE_Y 2
#define TABLE_H (1 + DIAG_STEP_NR)
#define FIELD_TARGET 0
#define FIELD_RUNTIME 1

enum diag_mode { DM_SETUP = 0, DM_RUN };

/* What the thread hands to the UI (under mu). */
struct diag_shared {
	uint64_t gen;
	bool done;          /* diagnose_run returned */
	int rc;
	char err[512];
	enum diag_phase phase;
	unsigned index;     /* running step */
	double elapsed_s;
	double prep;        /* PREPARE: 0..1 */
	bool preparing;
	struct diagnose_result res;
	struct diagnose_point live[DIAG_MAX_POINTS];
	unsigned nlive;
};

struct diag_state {
	enum diag_mode mode;
	char field[2][DIALOG_INPUT_MAX];
	int focus;
	char setup_err[600];

	/* the run */
	pthread_t th;
	bool thread_on;     /* started and not joined */
	atomic_int stop;    /* set by the UI, read by on_progress (relaxed) */
	int wake[2];
	pthread_mutex_t mu;
	struct diagnose_cfg cfg;
	char cfg_target[DIALOG_INPUT_MAX];
	struct diagnose_result *work; /* the thread's record */
	struct diag_shared shared;    /* thread -> UI, under mu */
	uint64_t seen_gen;
	struct diag_shared view;      /* the UI's copy */
	uint64_t t_start_ns;

	/* widgets */
	struct table *tab;
	struct graph *g_iops, *g_lat;
	struct heatmap *heat; /* the latency pane as a heat map */
	bool heat_on;         /* H */
	struct tooltip *tip;
	bool cursor_on;       /* Left/Right or the pointer over a graph */
	uint64_t cursor_t;    /* us since the selected step started */
	bool cursor_iops;     /* the pointer is on the IOPS graph, not the latency pane */
	bool tip_mouse;       /* the cursor follows the pointer */
	int mouse_y, mouse_x;
	int heat_row;         /* heat map row under the pointer, -1: none */
	int gy, gh, w1;       /* the graphs' rows (diag_layout); gh < 4: not shown */
	uint64_t span_us;     /* the graphs' time axis: 0 .. span_us */
	unsigned sel;
	bool follow;        /* selection follows the running step */
	int find_scroll, find_rows, find_total;
};

/* diag.c: the battery's thread was started and has not returned. */
bool diag_running(const struct diag_state *ds);

/* diag_steps.c */
#define DIAG_STEP_NCOL 8
/* The step table's columns and cells (ctx: the app). */
extern const struct table_col diag_step_cols[DIAG_STEP_NCOL];
void diag_step_cell(void *ctx, size_t row, int col, char *buf, size_t len, enum role *role);
/* The selected step's graphs from the view: its points, or the running
 * step's live ones, and its tail spikes as marks. Sets span_us. */
void diag_set_graphs(struct app *a);
/* The selected step's points (the running step's live ones) in *pts;
 * returns how many. */
unsigned diag_step_points(const struct diag_state *ds, const struct diagnose_point **pts);
/* The heat map's columns over 0 .. @span_us from the step's points' heat. */
void diag_heat_fill(struct diag_state *ds, uint64_t span_us);
/* The cursor's tooltip for the graph or heat map it is on. */
void diag_update_tip(struct app *a);

#endif
