/* The workbench: the curses front end. Only the UI thread calls curses, and
 * only code under tui/ and widgets/ includes it. */
#ifndef IOLAB_TUI_H
#define IOLAB_TUI_H

#include <stdbool.h>

struct source;
struct job_list;

/* What the workbench tells its caller of a run's life (the [record] dir's
 * recordings hang here). UI thread. */
struct tui_run_hooks {
	/* The jobs were started, none running before (a start, or a restart
	 * after the last run was reaped). Returns 0 with an optional note in
	 * @msg ("recording to PATH"), or -1 with why in @msg: shown, and the
	 * jobs run on. */
	int (*started)(void *arg, struct source *src, char *msg, size_t msglen);
	/* The run was reaped (all jobs done, new jobs loaded, or the
	 * workbench closing). Returns 0 (@msg may hold a note) or -1 with
	 * why in @msg. */
	int (*reaped)(void *arg, char *msg, size_t msglen);
	void *arg;
	/* The record key: stop the recording going, or start one (now while
	 * jobs run, else for the next run). Returns 1 recording (or armed),
	 * 0 not, -1 with why in @msg; @msg holds a note either way. NULL: the
	 * key is greyed out. */
	int (*record)(void *arg, struct source *src, bool running, char *msg, size_t msglen);
	/* A recording is being written now (REC in the header). */
	bool (*recording)(void *arg);
};

struct tui_args {
	struct source *src;     /* what runs the jobs; created and owned by main */
	struct job_list *jobs;  /* jobs loaded at start (editable); owned by main */
	bool run_now;           /* start the jobs at once (--run) */
	const char *path;       /* the one job file the jobs came from, or NULL
				 * (default job, profile, several files) */
	const struct tui_run_hooks *hooks; /* or NULL */
	/* --baseline: a recording (a replay source, loaded) drawn dim under the
	 * graphs of the job of the same name (else the same place), aligned at
	 * the start; tooltips give both values. NULL: none. The caller's. */
	struct source *baseline;
};

/* Runs until the user quits. Returns the process exit status: 0 normally,
 * 1 if a job failed, 130 after Ctrl-C. The terminal is restored on every
 * return path and on fatal signals. */
int tui_run(const struct tui_args *a);

#endif
