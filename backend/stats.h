/* Per-job, per-direction I/O statistics.
 *
 * Written only by the job's worker thread (or its completion side), read by
 * the sampler, the UI and the output code without locks: every field is a
 * single-writer relaxed atomic (lib/atomic.h). Readers take a snapshot with
 * stats_snapshot() and compute from the copy. */
#ifndef IOLAB_STATS_H
#define IOLAB_STATS_H

#include <stdint.h>

#include "../lib/hist.h"
#include "options.h"

#define STATS_ERR_OFFS 8

/* n, min, max, sum and sumsq describe the same values in any snapshot:
 * lat_add writes them inside a sequence count (odd while writing) and
 * stats_snapshot copies them until it reads one even count before and
 * after, so a mean read live never comes from a sum with more values than
 * its n, its min or its max. */
struct lat_stat {
	uint64_t seq;      /* writer's sequence count; meaningless in copies */
	uint64_t n;
	uint64_t min, max; /* ns; min is UINT64_MAX when n == 0 */
	uint64_t sum;      /* ns */
	double sumsq;      /* ns^2, for the standard deviation */
};

struct dir_stats {
	uint64_t ios;   /* completed I/Os */
	uint64_t bytes; /* completed bytes */
	uint64_t errors;
	uint64_t failed; /* of errors: I/Os that completed in error (not verify
			  * mismatches); fio's total_ios counts them, ios does not */
	uint64_t shorts; /* of ios: moved fewer bytes than asked (fio's short_ios) */
	struct lat_stat slat, clat, lat;
	struct hist clat_hist; /* completion latency; json+ bins come from here */
	struct hist lat_hist;  /* submission to completion, for interval p50/p99
				* and lat_percentiles */
	struct hist slat_hist; /* submission latency, for slat_percentiles */
};

struct job_stats {
	struct dir_stats dir[DDIR_RWDIR_CNT];
	uint64_t runtime_ns[DDIR_RWDIR_CNT]; /* time spent with the direction active */
	uint64_t start_ns, end_ns;           /* measured phase (after ramp) */
	uint64_t syncs;                      /* fsync/fdatasync issued */
	uint64_t datasyncs;                  /* of syncs: fdatasync (fio's sync
					      * total_ios leaves them out) */
	struct lat_stat sync_lat;
	/* Commits (fsync=/fdatasync= jobs): from the submission of the first
	 * write a sync covers to that sync's completion, so a commit's latency
	 * holds its writes and its flush. */
	struct lat_stat commit_lat;
	struct hist commit_hist;
	struct hist sync_hist;               /* fsync/fdatasync latency percentiles */
	uint64_t inflight;                   /* I/Os queued, not completed */
	uint64_t zone_resets;                /* zonemode=zbd: zones this job reset */
	uint64_t total_err;
	int first_error;                     /* positive errno, 0 if none */
	/* Byte offsets of the first failed reads and writes, distinct, in the
	 * order they failed; nr_err_off of them are valid. */
	uint64_t err_off[STATS_ERR_OFFS];
	uint64_t nr_err_off;
	/* resource usage of the worker thread, filled at exit (and at samples) */
	double usr_cpu_s, sys_cpu_s;
	uint64_t ctx_switches, majf, minf;
	/* I/O depth distribution, fio's buckets 1,2,4,8,16,32,>=64 */
	uint64_t depth_hist[7];
	/* I/Os per submission and per reap, fio's buckets 0,1-4,5-8,9-16,
	 * 17-32,33-64,>64, one count per call (fio's io_u_submit and
	 * io_u_complete): an engine that completes at queue counts 1 and 1 */
	uint64_t submit_hist[7], complete_hist[7];
};

/* fio's bucket of @nr I/Os submitted or reaped in one call. */
static inline int stats_batch_bucket(unsigned nr)
{
	return nr == 0 ? 0 : nr <= 4 ? 1 : nr <= 8 ? 2 : nr <= 16 ? 3 : nr <= 32 ? 4 : nr <= 64 ? 5 : 6;
}

void stats_init(struct job_stats *s);
/* Back to the stats_init state with relaxed stores, while readers may be
 * taking snapshots (end of ramp_time, a job restart). Writer side. */
void stats_reset(struct job_stats *s);
void lat_add(struct lat_stat *l, uint64_t ns); /* writer side */
/* Reader side: copy everything (histograms included). */
void stats_snapshot(struct job_stats *dst, const struct job_stats *src);
/* dst += src, for group_reporting (both owned by the caller). */
void stats_merge(struct job_stats *dst, const struct job_stats *src);
/* One direction's figures added to another's (unified_rw_reporting folds
 * every direction into one); both owned by the caller. */
void dir_stats_merge(struct dir_stats *dst, const struct dir_stats *src);
/* A direction back to empty (owned by the caller, no concurrent reader). */
void dir_stats_clear(struct dir_stats *ds);

/* Latencies per I/O priority (cmdprio.h), for reads and writes: a job's
 * when it gives its I/Os priorities of their own, the report's for a
 * group. Index 0 of a job's is its thread's priority. What is counted is
 * the completion latency, or the total latency with lat_percentiles=1, as
 * fio 3.33 does. Writer and readers as job_stats; a job's is allocated
 * before its thread starts and not resized while it runs. */
#define PRIO_STATS_MAX 32 /* distinct priorities: 4 classes x 8 levels */
struct prio_stat {
	uint32_t ioprio; /* class << 13 | level */
	struct lat_stat lat;
	struct hist hist;
};
struct prio_stats {
	unsigned nr[2];         /* entries of e[d]; 0: none for direction d */
	struct prio_stat *e[2];
};

/* For priorities @prios[d][0..nr[d]-1]. NULL on ENOMEM. */
struct prio_stats *prio_stats_new(const unsigned nr[2], const uint32_t prios[2][PRIO_STATS_MAX]);
void prio_stats_free(struct prio_stats *p);
/* Writer side: one latency for entry @idx of direction @d (out of range:
 * ignored). */
void prio_stats_add(struct prio_stats *p, int d, unsigned idx, uint64_t ns);
/* Writer side, back to empty (ramp end, restart), readers may copy. */
void prio_stats_reset(struct prio_stats *p);
/* Reader side: a copy of @src (NULL: an empty one). NULL on ENOMEM. */
struct prio_stats *prio_stats_dup(const struct prio_stats *src);
/* Adds @l/@h into @dst's entry for @ioprio of direction @d, made if new
 * (owned by the caller). Returns 0 or -ENOMEM. */
int prio_stats_merge_one(struct prio_stats *dst, int d, uint32_t ioprio,
			 const struct lat_stat *l, const struct hist *h);
/* Entries of direction @d holding latencies. */
unsigned prio_stats_used(const struct prio_stats *p, int d);

double lat_mean(const struct lat_stat *l);
double lat_stddev(const struct lat_stat *l);

#endif
