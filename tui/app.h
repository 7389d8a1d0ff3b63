/* The workbench's state and the pieces its screens share (internal to tui/).
 *
 * One `struct app` lives for a tui_run() call. The main loop (app.c) waits
 * on the terminal and the source's wake fd, turns keys into actions, and
 * when something changed asks the current screen to update its state from
 * the source, then to draw; one doupdate per frame. Screens read the
 * source (source.h: job status snapshots, stats copies, published samples)
 * and send commands through the action functions below; nothing here
 * blocks on a worker or knows which kind of source it is but through its
 * capability mask. */
#ifndef IOLAB_TUI_APP_H
#define IOLAB_TUI_APP_H

#include <stdbool.h>
#include <stdint.h>

#include "../backend/jobfile.h"
#include "../backend/source.h"
#include "../backend/samples.h"
#include "../widgets/dialog.h"
#include "../widgets/form.h"
#include "../widgets/graph.h"
#include "../widgets/heatmap.h"
#include "../widgets/histbar.h"
#include "../widgets/statusbar.h"
#include "../widgets/table.h"
#include "../widgets/tooltip.h"
#include "tui.h"

enum screen_id {
	SCR_DASH = 0, SCR_EDIT, SCR_RESULTS, SCR_HELP, SCR_PICKER, SCR_DIAG, SCR_HOSTS, SCR_NR
};

/* What a dialog on screen is for. */
enum dlg_tag {
	DLG_NONE = 0,
	DLG_INFO,       /* just close */
	DLG_QUIT,       /* yes: stop jobs and quit */
	DLG_KNOB,       /* input: a knob value; arg = knob index */
	DLG_DESTRUCT,   /* start even though a job writes to a block device */
	DLG_SAVE,       /* input: file name to save the jobs to */
	DLG_LOAD,       /* input: job file or profile to load */
	DLG_DISCARD,    /* leave the editor dropping refused edits */
	DLG_OVERWRITE,  /* save_path exists: replace it */
};

struct app;
struct dash_state;
struct edit_state;
struct results_state;
struct help_state;
struct picker_state;
struct diag_state;
struct hosts_state;

/* One screen. Every hook is optional and runs on the UI thread. A screen
 * keeps its own state behind its pointer in struct app, which it
 * allocates in open and frees in close; the others reach it only through
 * the functions below. */
struct screen_ops {
	const char *name;
	/* app_open, before anything else: allocate the screen's state.
	 * Returns 0 or -ENOMEM (close is called all the same). */
	int (*open)(struct app *a);
	/* app_close: free the state (NULL or half-built after a failed open). */
	void (*close)(struct app *a);
	/* Called when the screen becomes current. */
	void (*enter)(struct app *a);
	/* Called when another screen becomes current. */
	void (*leave)(struct app *a);
	/* The terminal is a->rows x a->cols now (every screen, current or
	 * not, after open and on each resize). */
	void (*resize)(struct app *a);
	/* Refresh state from the source (only when something changed). */
	void (*update)(struct app *a);
	/* Draw into stdscr; no refresh. */
	void (*draw)(struct app *a, WINDOW *win);
	/* A key not taken by a dialog or the global keys; returns wk_result. */
	unsigned (*key)(struct app *a, int key);
	void (*mouse)(struct app *a, const MEVENT *m);
	/* Footer items for this screen. */
	void (*footer)(struct app *a, struct statusbar *sb);
};

struct app {
	struct source *src;
	struct job_list *jobs;
	struct sample_store *ss;
	enum screen_id scr;
	const struct screen_ops *screens[SCR_NR];
	int rows, cols;
	bool quit;
	int exit_code;
	bool dirty;
	bool started;       /* source_start was called for this load */
	bool reaped;        /* source_reap returned for this run */
	bool results_shown; /* results opened automatically for this run */
	uint64_t last_seq;
	uint64_t last_state;  /* source_gen at the last frame */
	uint64_t last_second;
	unsigned failed_seen; /* jobs whose failure was reported */
	bool *fail_reported;
	size_t fail_cap;

	struct statusbar *footer;
	char msg[192];
	enum role msg_role;
	uint64_t msg_until_ns;
	struct dialog *dlg;

	/* selection shared by all screens */
	unsigned sel;

	enum graph_mode gmode; /* how every screen's graphs draw (g) */

	/* where the jobs came from: a job file's path (malloc'd), or NULL for
	 * the default job or a profile; what F9 offers */
	char *jobs_path;
	char save_path[DIALOG_INPUT_MAX]; /* waiting for "replace it?" */

	/* each screen's own state (its open hook allocates it) */
	struct dash_state *dash;
	struct edit_state *edit;
	struct results_state *res;
	struct help_state *help;
	struct picker_state *pick; /* picker.c: made when first opened */
	struct diag_state *diag;   /* diag.c: made when first shown */
	struct hosts_state *hosts; /* hosts.c */
	/* diag.c's thread wakes the loop through it: the read end, -1: none */
	int aux_wake_fd;
	const struct tui_run_hooks *hooks; /* tui_args.hooks, or NULL */
	struct source *base; /* tui_args.baseline: a recording drawn dim, or NULL */
};

extern const struct screen_ops dash_screen, editor_screen, results_screen, help_screen,
	picker_screen, diag_screen, hosts_screen;

/* Set up @a for @args on the curses screen already open (tui_run opens
 * the terminal; a test an off-screen one): widgets, the dashboard, and the
 * jobs loaded when the source takes them. Returns 0 or -ENOMEM (nothing to
 * close then). UI thread only, as everything here. */
int app_open(struct app *a, const struct tui_args *args);
/* Free what app_open and the screens hold; the source is the caller's. */
void app_close(struct app *a);
/* One turn of the main loop without waiting: notice what changed (the
 * sample store's sequence, source_gen, the clock's second while jobs run,
 * a message expiring), watch for failures and the end of the run, and draw
 * the frame when something did. Returns whether it drew. */
bool app_tick(struct app *a);

/* Switch screens (calls enter). */
void app_show(struct app *a, enum screen_id s);
/* A note in the footer for a few seconds. */
void app_message(struct app *a, enum role role, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Open a dialog (replacing any); @tag says what its choice means. */
void app_dialog(struct app *a, struct dialog *d, enum dlg_tag tag, long arg);
void app_error(struct app *a, const char *title, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Actions (app.c). */
/* Start the loaded jobs (asks first if one writes to a block device). */
void act_start(struct app *a, bool confirmed);
void act_stop(struct app *a, int id);
/* Restart job @id with the options in the job list. */
void act_restart(struct app *a, unsigned id);
/* Replace the backend's jobs with the job list (only when idle). Returns
 * 0 or -1 after an error dialog. */
int act_reload(struct app *a);
/* Ask for a knob's value (dashboard keys). */
void act_knob_prompt(struct app *a, int knob);
bool app_any_running(struct app *a);
/* A recording of the run is being written (the caller's hooks). */
bool app_recording(struct app *a);
/* A run began: started here, or by whoever runs the source's jobs. */
bool app_started(struct app *a);
/* Job @id's status into @st; false when there is no such job. */
bool app_status(struct app *a, unsigned id, struct source_status *st);
/* The colour role of a job in @st's state. */
enum role status_role(const struct source_status *st);
/* Not started, or ended: nothing of it runs. */
bool status_idle(const struct source_status *st);

/* Live knobs in dashboard key order. */
struct knob_def {
	int key;
	const char *name;  /* an OPTF_LIVE option, for source_set_knobs */
	const char *label; /* footer label */
};
extern const struct knob_def knobs[];
extern const unsigned nknobs;

/* The job table's host rows (a source that drives hosts), after the
 * jobs: refreshes them from the source and returns how many. */
unsigned hosts_sum_rows(struct app *a);
/* Cell @col of host row @i, in the job table's columns with a Host
 * column (Job, Host, State, Progress, IOPS, BW, p99 lat, Errors). */
void hosts_sum_cell(struct app *a, unsigned i, int col, char *buf, size_t len,
		    enum role *role);
/* Why the editor is closed for this source ("" when it is open): its
 * edits would reach no job. */
const char *app_edit_refusal(struct app *a, char *buf, size_t len);
/* Editor: (re)build the form for job @id of the job list. */
void editor_open(struct app *a, unsigned id);
/* Load a job file or a profile as the job list (asks nothing; errors in a
 * dialog). @profile_only: @what is a profile name even if a file of that
 * name exists. Returns 0 or -1. */
int act_load(struct app *a, const char *what, bool profile_only);
/* Profile picker: open it; Esc goes back to the current screen. */
void picker_open(struct app *a);
void picker_free(struct app *a);
/* Diagnose view: stop and join its thread, free its state. */
void diag_free(struct app *a);
/* Results: refresh the report text. */
void results_invalidate(struct app *a);
/* Results: show job @id's. */
void results_show(struct app *a, unsigned id);

/* Dashboard: the graphs follow the newest samples again; @hide_cursor
 * also puts the cursor away. */
void dash_follow(struct app *a, bool hide_cursor);
/* Fills heat map @h over [t0, t1) with the summed latency histograms of
 * jobs j0 .. j1 - 1 (dash_graphs.c; the one place a heat map reads the
 * run). UI thread. */
void heat_fill(struct app *a, struct heatmap *h, unsigned j0, unsigned j1, uint64_t t0,
	       uint64_t t1);
/* Dashboard: a cursor is on a graph (the person is reading figures). */
bool dash_cursor_shown(const struct app *a);

#endif
