/* The workbench: the curses front end. Only the UI thread calls curses, and
 * only code under tui/ and widgets/ includes it. */
#ifndef IOLAB_TUI_H
#define IOLAB_TUI_H

#include <stdbool.h>

struct source;
struct job_list;

struct tui_args {
	struct source *src;     /* what runs the jobs; created and owned by main */
	struct job_list *jobs;  /* jobs loaded at start (editable); owned by main */
	bool run_now;           /* start the jobs at once (--run) */
	const char *path;       /* the one job file the jobs came from, or NULL
				 * (default job, profile, several files) */
};

/* Runs until the user quits. Returns the process exit status: 0 normally,
 * 1 if a job failed, 130 after Ctrl-C. The terminal is restored on every
 * return path and on fatal signals. */
int tui_run(const struct tui_args *a);

#endif
