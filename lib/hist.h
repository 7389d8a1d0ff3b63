/* Log-linear histogram of unsigned 64-bit values (latencies in ns).
 *
 * Values below 2^HIST_SUB_BITS land in exact buckets; above that, each power
 * of two is split into 2^HIST_SUB_BITS equal buckets, so a bucket's width is
 * at most 1/128 of its value and a percentile read at the bucket midpoint is
 * within 0.4% of the true value. Values past the last group clamp into the
 * last bucket.
 *
 * The smallest and largest values added are kept too, and a percentile never
 * reads above the largest nor below the smallest: a percentile that falls in
 * the bucket holding the maximum is clamped to it (and likewise the minimum),
 * so p99.9 <= max and p50 >= min wherever they are printed.
 *
 * One writer (hist_add) and any number of readers (hist_*), no locks: bucket
 * counters are single-writer relaxed atomics. The writer stores min/max before
 * the bucket; a reader that sees the bucket but a stale max (weakly ordered
 * CPUs) skips the clamp for that bucket rather than clamping wrongly. */
#ifndef IOLAB_HIST_H
#define IOLAB_HIST_H

#include <stddef.h>
#include <stdint.h>

#define HIST_SUB_BITS 7
#define HIST_SUB (1u << HIST_SUB_BITS)
#define HIST_GROUPS 38 /* up to 2^(38+7-1) ns, about 4.9 hours */
#define HIST_NR (HIST_GROUPS * HIST_SUB)

struct hist {
	uint64_t count;
	/* Smallest and largest value added; meaningful while count > 0 (a
	 * zeroed histogram is empty). After hist_diff(), the bounds of the
	 * cumulative histogram, which still bound the interval's values. */
	uint64_t min, max;
	uint64_t bucket[HIST_NR];
};

/* Bucket index of @v. */
unsigned hist_index(uint64_t v);
/* Lowest value that maps to bucket @idx, and the value reported for it
 * (midpoint of its range). */
uint64_t hist_bucket_low(unsigned idx);
uint64_t hist_bucket_value(unsigned idx);

void hist_add(struct hist *h, uint64_t v);
void hist_reset(struct hist *h);
/* dst += src (dst owned by the caller's thread). */
void hist_merge(struct hist *dst, const struct hist *src);
/* out = a - b, for interval histograms from two cumulative snapshots. */
void hist_diff(struct hist *out, const struct hist *a, const struct hist *b);
/* Snapshot a histogram another thread is writing. */
void hist_copy(struct hist *dst, const struct hist *src);

/* Value at percentile @pct (0 < pct <= 100); 0 when empty. Within
 * [min, max] of the values added. */
uint64_t hist_percentile(const struct hist *h, double pct);
/* Fill out[i] for each pcts[i]; one pass. */
void hist_percentiles(const struct hist *h, const double *pcts, size_t n, uint64_t *out);

#endif
