/* Samples: what each job did during each sampler interval, indexed by time.
 *
 * The sampler thread is the only writer (samples_append, samples_mark).
 * Readers (UI, logs, diagnose, output) call the query functions from any
 * thread; the store has its own mutex, which no worker ever takes, so a slow
 * reader can never stall I/O.
 *
 * Time is microseconds since backend start. Every sample covers the closed
 * interval [t_start, t_end]. Samples are indexed in a priority search tree,
 * so the samples under a screen column (a time range) come back in
 * O(log n + k) whatever the zoom.
 *
 * Memory stays bounded: recent samples are kept at full rate; older ones are
 * merged in fixed ratios into coarser samples (see samples.c for the
 * arithmetic and the bytes an hour costs). Totals live in job stats and never
 * depend on what the store keeps. */
#ifndef IOLAB_SAMPLES_H
#define IOLAB_SAMPLES_H

#include <stddef.h>
#include <stdint.h>

#include "../lib/hist.h"
#include "options.h"

struct sample_dir {
	float iops;
	float bw;         /* bytes per second */
	float lat_mean;   /* ns, completion latency over the interval */
	float lat_p50, lat_p99, lat_p999, lat_max;
	uint64_t ios;     /* I/Os completed in the interval */
};

struct sample {
	uint64_t t_start, t_end; /* us since backend start */
	uint32_t job;            /* backend job id */
	uint8_t runstate;        /* enum runstate at t_end */
	uint8_t level;           /* 0 full rate, 1.. merged */
	uint16_t in_ramp;        /* 1 while in ramp_time (excluded from results) */
	float depth;             /* mean in-flight I/Os */
	float iodepth_set;       /* queue depth the job was set to */
	struct sample_dir dir[DDIR_RWDIR_CNT];
	/* device under the job's target, if any (iostat -x figures) */
	float dev_util;          /* percent */
	float dev_r_await, dev_w_await; /* ms */
	float dev_rps, dev_wps, dev_rkbs, dev_wkbs, dev_aqu;
};

/* Heat-map histograms. A sample may carry, per direction, the histogram of
 * its interval's latencies (the same figure as lat_p50..lat_max): the
 * buckets of lib/hist.h coarsened by SAMPLES_HEAT_SHIFT, i.e. 8 buckets an
 * octave, each at most 1/8 of its lowest value wide (100 us and 120 us land
 * two buckets apart), SAMPLES_HEAT_NR = 304 buckets from 0 ns to about 4.9
 * hours. Heat bucket b holds the fine buckets [b << SHIFT, (b + 1) << SHIFT),
 * so it covers [samples_heat_low(b), samples_heat_low(b + 1)).
 *
 * Stored sparse: per direction, only the buckets that were hit, as varint
 * (gap, count) pairs in one block per sample, typically a few dozen bytes.
 * Merged samples carry the sum of their parts' histograms, exactly (counts
 * are 64-bit); so at every level, a sample's buckets add up to its ios
 * (for samples appended with a histogram whose count is ios).
 *
 * Memory an hour (added to the rings' figure in samples.c): a bucket hit
 * costs 2 to 12 bytes (gap and count varints), so a sample's block is at
 * most 3 * 304 * 12 = 10944 bytes; 8 jobs at 100 ms keep 1511 samples a job
 * after an hour, 12088 blocks: 126 MiB in that worst case (every bucket of
 * every direction hit in every interval, which no device does). Measured by
 * `make bench` (bench/samples_mem.c, 1000 I/Os a tick): two narrow modes
 * add 0.3 MiB to the hour (a block is malloc's 24-byte minimum), latencies
 * spread over three decades (~80 buckets) add 2.3 MiB. */
#define SAMPLES_HEAT_SHIFT 4
#define SAMPLES_HEAT_NR (HIST_NR >> SAMPLES_HEAT_SHIFT)

/* Heat bucket of @ns, and the lowest value of heat bucket @b (@b may be
 * SAMPLES_HEAT_NR: then UINT64_MAX, the end of the last bucket). */
unsigned samples_heat_index(uint64_t ns);
uint64_t samples_heat_low(unsigned b);

/* A knob change or other event drawn on the time axis. */
struct sample_mark {
	uint64_t t;     /* us since backend start */
	int job;        /* -1: all jobs */
	int njobs;      /* jobs job .. job + njobs - 1 (0 taken as 1) */
	char text[48];  /* "iodepth 1->32" */
};

struct sample_store;

struct sample_store *samples_new(void);
void samples_free(struct sample_store *s);
/* Drop everything (a new run). */
void samples_clear(struct sample_store *s);

/* Writer side (sampler thread). */
void samples_append(struct sample_store *s, const struct sample *smp);
void samples_mark(struct sample_store *s, const struct sample_mark *m);
/* samples_append with the interval's latency histogram per direction
 * (@lat[d] NULL, or @lat NULL: none). The histograms are only read, during
 * the call; what the store keeps is their coarse sparse form. */
void samples_append_hist(struct sample_store *s, const struct sample *smp,
			 const struct hist *const lat[DDIR_RWDIR_CNT]);

/* samples_append with the interval's heat histogram per direction as it
 * was recorded (docs/recording.md "hist"): @npairs[d] (bucket, count)
 * pairs at @pairs[d], buckets rising (@pairs or @pairs[d] NULL: none).
 * A pair out of order or range is left out, so bad input cannot hurt the
 * store. Only read during the call. */
void samples_append_heat(struct sample_store *s, const struct sample *smp,
			 const uint64_t *const pairs[DDIR_RWDIR_CNT],
			 const size_t npairs[DDIR_RWDIR_CNT]);

/* Number of samples ever appended; grows monotonically, lock-free read. A
 * reader compares it with its last value to know whether to redraw. */
uint64_t samples_seq(const struct sample_store *s);

/* Every sample (all jobs) whose interval overlaps [t0, t1]; at most @max
 * copied into @out, returns how many overlap in total. */
size_t samples_query(struct sample_store *s, uint64_t t0, uint64_t t1,
		     struct sample *out, size_t max);
/* Samples of job @job overlapping [t0, t1] in time order. Same return. */
size_t samples_range(struct sample_store *s, unsigned job, uint64_t t0, uint64_t t1,
		     struct sample *out, size_t max);
/* Newest sample of job @job; returns 0 if none yet, else 1. */
int samples_latest(struct sample_store *s, unsigned job, struct sample *out);
/* Adds to @heat[SAMPLES_HEAT_NR] the heat histograms of the directions in
 * @dirmask (bit 1 << d for direction d) of job @job's samples overlapping
 * [t0, t1]; a sample only partly inside counts whole. Returns how many
 * samples overlapped. Any thread; takes the store's mutex for the walk. */
size_t samples_heat(struct sample_store *s, unsigned job, uint64_t t0, uint64_t t1,
		    unsigned dirmask, uint64_t *heat);
/* Time span covered: oldest t_start and newest t_end (0,0 when empty). */
void samples_span(struct sample_store *s, uint64_t *t0, uint64_t *t1);
/* Marks overlapping [t0, t1], up to @max. Returns the count copied. */
size_t samples_marks(struct sample_store *s, uint64_t t0, uint64_t t1,
		     struct sample_mark *out, size_t max);
/* Bytes currently held (for the memory budget and tests). */
size_t samples_bytes(const struct sample_store *s);

/* Rollup: each job keeps at most SAMPLES_LEVEL_CAP samples per level; when a
 * level is full, its SAMPLES_MERGE oldest become one sample of the next. */
#define SAMPLES_LEVEL_CAP 512
#define SAMPLES_MERGE 8
#define SAMPLES_MAX_LEVELS 12 /* the top level folds into itself */
#define SAMPLES_MAX_MARKS 256 /* newest kept */
#define SAMPLES_MAX_DISKS 16

/* Samples that could not be stored for lack of memory (normally 0). */
uint64_t samples_dropped(const struct sample_store *s);

/* Run-level device figures (fio's disk_util, see diskstats.h): the sampler
 * publishes the totals since its start on every tick and when it stops;
 * the report reads them after the run. At most SAMPLES_MAX_DISKS kept.
 * samples_disk_util copies up to @max and returns how many there are;
 * samples_clear drops them. */
struct disk_util;
void samples_set_disk_util(struct sample_store *s, const struct disk_util *d, size_t n);
size_t samples_disk_util(struct sample_store *s, struct disk_util *out, size_t max);

#endif
