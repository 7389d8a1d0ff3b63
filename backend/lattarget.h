/* latency_target: search for the highest queue depth whose latency
 * percentile stays under a target (fio's latency_target, latency_window,
 * latency_percentile, latency_run).
 *
 * Pure logic, no clock and no I/O: the worker feeds it every completion's
 * latency (lat_target_io) and asks at the top of its loop whether a window
 * has ended (lat_target_check); the answer says what to do, and lt->depth is
 * the number of I/Os the worker may keep in flight from then on.
 *
 * The search follows fio: it starts at depth 1; a window that meets the
 * target raises the floor to the current depth and doubles it (or, once a
 * window has failed, bisects towards the lowest failing depth); a window
 * that misses lowers the ceiling to the current depth and bisects down.
 * With latency_percentile=100 a single completion over the target fails
 * the window at once, and fails the job (LT_FATAL) at depth 1, as fio's
 * "latency exceeds specified max". When a successful window leaves the
 * depth where it was, the search has settled: without latency_run the
 * job runs one more window at that depth with fresh statistics (LT_FINAL)
 * and then ends (LT_DONE); with latency_run it keeps searching for the
 * whole run, probing one step above a settled depth now and then so it
 * can also climb back.
 *
 * After any non-LT_NONE answer the worker waits for what is in flight
 * (completions then are ignored) and calls lat_target_new_window. */
#ifndef IOLAB_LATTARGET_H
#define IOLAB_LATTARGET_H

#include <stdbool.h>
#include <stdint.h>

enum lat_action {
	LT_NONE = 0,
	LT_UP,     /* window met the target: depth raised */
	LT_DOWN,   /* window missed: depth lowered */
	LT_FINAL,  /* settled: reset statistics, run one last window */
	LT_DONE,   /* final window over: end the job */
	LT_FATAL,  /* percentile 100 missed at depth 1: the job fails (ETIMEDOUT) */
};

struct lat_target {
	/* settings */
	uint64_t target_ns;
	uint64_t window_ns;   /* 0: every check ends a window */
	double pct;           /* 0 < pct <= 100 */
	unsigned max_depth;   /* iodepth */
	bool run;             /* latency_run: never settle */

	/* search state */
	unsigned depth, low, high;
	bool final_run;       /* in the last window at the settled depth */
	bool settled;         /* depth has been confirmed at least once */
	bool quiesce;         /* a decision is pending: ignore completions */
	enum lat_action pending; /* that decision, returned by lat_target_check */
	uint64_t fatal_lat_ns;   /* LT_FATAL: the latency that missed */
	uint64_t win_start_ns, win_ios, win_over;
	unsigned changes;     /* depth changes so far (marks, tests) */
};

/* Set up for target @target_ns over windows of @window_ns with @pct percent
 * of I/Os under the target (<= 0 means 100), up to @max_depth; the first
 * window starts at @now_ns. */
void lat_target_init(struct lat_target *lt, uint64_t target_ns, uint64_t window_ns, double pct,
		     unsigned max_depth, bool run, uint64_t now_ns);

/* One completion with latency @lat_ns. Returns LT_DOWN when it fails the
 * window at once (percentile 100), else LT_NONE; the decision is also kept
 * for the next lat_target_check, so a caller inside its completion path
 * may ignore the return. */
enum lat_action lat_target_io(struct lat_target *lt, uint64_t lat_ns);

/* At @now_ns: the decision pending since a completion, or, if the window is
 * over, its verdict; LT_NONE otherwise. Until lat_target_new_window, the
 * same decision is returned again. */
enum lat_action lat_target_check(struct lat_target *lt, uint64_t now_ns);

/* Judge a whole window of @ios completions of which @over were over the
 * target; returns the action (lt->depth is the next depth). Used by
 * lat_target_check; callable directly (tests, simulations). */
enum lat_action lat_target_window(struct lat_target *lt, uint64_t ios, uint64_t over);

/* Start a new window at @now_ns (after the worker has quiesced). */
void lat_target_new_window(struct lat_target *lt, uint64_t now_ns);

#endif
