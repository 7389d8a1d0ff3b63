/* A job's bandwidth and IOPS series for its report: fio's bwavgtime and
 * iopsavgtime windows (500 ms by default), apart from the sampler's display
 * tick, so that the "bw (KiB/s): min, max, avg, stdev, samples" and "iops"
 * lines count and average what fio's would.
 *
 * As fio: a window closes when its time has passed (within 1 ms), the rate
 * is the direction's bytes (I/Os) in the window divided by the window's
 * whole milliseconds, a direction with nothing in the window adds no value,
 * the next window starts when this one closed, only running and verifying
 * time is windowed, and the unfinished window at the end counts nothing.
 * When the job's measured phase restarts (the end of ramp_time, a rerun)
 * the series starts again from zero.
 *
 * Threads: rates_tick/rates_next_ns on the sampler thread; rates_get from
 * any thread (a lock guards the accumulators); rates_reset by the control
 * thread before a rerun. */
#ifndef IOLAB_RATES_H
#define IOLAB_RATES_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "../lib/summary.h"
#include "options.h"

struct job_stats;

struct rate_win {
	uint64_t avg_ns;                   /* the window */
	uint64_t start_ns;                 /* this window's start; 0: not begun */
	uint64_t base[DDIR_RWDIR_CNT];     /* bytes or I/Os at its start */
	struct summary_acc acc[DDIR_RWDIR_CNT];
};

struct job_rates {
	pthread_mutex_t lock;
	uint64_t phase_ns; /* the stats' start_ns the windows belong to */
	uint64_t kb_base;  /* bandwidth values are in units of this many bytes/s */
	struct rate_win bw, iops;
};

/* The windows of a job with options @o: bwavgtime and iopsavgtime, or
 * log_avg_msec when it is shorter and the job writes that log, as fio. */
void rates_init(struct job_rates *r, const struct job_opts *o);
void rates_destroy(struct job_rates *r);
/* Drop every value, windows from @o: a rerun starts from a clean series. */
void rates_reset(struct job_rates *r, const struct job_opts *o);
/* At monotonic @now with @snap, a snapshot of the job's stats: begin the
 * windows at the phase's start, close those that are due. Call while the
 * job runs or verifies. */
void rates_tick(struct job_rates *r, uint64_t now, const struct job_stats *snap);
/* When the next window may close (UINT64_MAX: none begun yet). */
uint64_t rates_next_ns(struct job_rates *r);
/* The stats start_ns the windows belong to (0: none yet). */
uint64_t rates_phase(struct job_rates *r);
/* The series so far: bandwidth in units of the job's kb_base bytes per
 * second (KiB/s by default), IOPS. */
void rates_get(struct job_rates *r, struct summary bw[DDIR_RWDIR_CNT],
	       struct summary iops[DDIR_RWDIR_CNT]);

#endif
