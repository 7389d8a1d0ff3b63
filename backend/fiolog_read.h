/* Reading fio's own per-interval logs back (write_bw_log, write_iops_log,
 * write_lat_log: "<prefix>_<kind>.<N>.log", lines "msec, value, ddir, bs,
 * offset[, prio]"; backend/fiologs.h says what fio writes), so the replay
 * viewer shows an old fio run.
 *
 * fiologr_load() takes one of the files; its siblings (the other kinds and
 * the other jobs' numbers of the same prefix) are read too. Every job
 * becomes a series of samples of one window each: log_avg_msec's when the
 * logs were averaged (bs 0), else 1 s (100 ms for a run under a minute)
 * over the per-I/O lines. Per window and direction: bandwidth and IOPS
 * (the logs' mean, or summed from the I/Os), latency mean and maximum, and
 * a latency histogram (completion latency, else total) in the sample
 * store's heat buckets, from which p50/p99/p99.9 come: per I/O with
 * per-I/O logs, of the windows' means with averaged ones.
 *
 * Pure file reading: no shared state, any thread. */
#ifndef IOLAB_FIOLOG_READ_H
#define IOLAB_FIOLOG_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "samples.h"

/* True when @path's name is a fio log's ("*_bw.log", "*_iops.3.log"...). */
bool fiologr_is_log(const char *path);

struct fiologr_job {
	char name[128];     /* "<prefix>.<N>" (the prefix's last part) */
	unsigned rw;        /* enum rw bits of the directions seen */
	uint64_t end_us;    /* the last window's end */
};

/* Called for each window in time order (all jobs' windows of one time
 * before the next): @smp with its histogram pairs (samples_append_heat's
 * form); return non-zero to stop. */
typedef int (*fiologr_fn)(void *arg, const struct sample *smp,
			  const uint64_t *const pairs[DDIR_RWDIR_CNT],
			  const size_t npairs[DDIR_RWDIR_CNT]);

#define FIOLOGR_MAX_JOBS 4096

struct fiologr {
	char prefix[4096];
	unsigned njobs;
	unsigned nums[FIOLOGR_MAX_JOBS]; /* fio's job numbers (0: a log without one) */
	struct fiologr_job *jobs;        /* njobs of them */
};

/* Find @path's siblings: the jobs. Returns 0 with *@out, or -errno with
 * "FILE: why" in @err (not a fio log's name). */
int fiologr_open(const char *path, struct fiologr **out, char *err, size_t errlen);
/* Read every job's logs, in job order; @fn gets their samples. Returns 0,
 * or -errno with "FILE:LINE: why" in @err (a line that is not "msec,
 * value, ddir, bs, ..."). @stop (may be NULL) is polled: non-zero ends
 * the read early (-ECANCELED). */
int fiologr_read(struct fiologr *r, fiologr_fn fn, void *arg, const int *stop, char *err,
		 size_t errlen);
void fiologr_close(struct fiologr *r);

#endif
