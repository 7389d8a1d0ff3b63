/* Summary figures of a series of values: min, max, mean, standard
 * deviation and count, as fio reports them for bandwidth and IOPS samples.
 *
 * Contract: every figure comes from the same integer values, so
 * min <= mean <= max holds for every summary, for the sum of summaries
 * (summary_add_sum) and for the printed bounds (summary_scale). A caller
 * turns each sample into one integer with summary_push() and never takes
 * min/max from one representation and the mean from another.
 *
 * Pure functions, no allocation; any thread on its own objects. */
#ifndef IOLAB_SUMMARY_H
#define IOLAB_SUMMARY_H

#include <stdint.h>

struct summary {
	uint64_t min, max; /* 0, 0 when n == 0 */
	double mean, dev;  /* dev: sample standard deviation (n - 1), as fio */
	uint64_t n;
};

/* Accumulator: zero it (= {0}), push values, then finish. */
struct summary_acc {
	uint64_t n, min, max;
	uint64_t sum;      /* exact while it fits; see summary_finish */
	long double sumsq;
};

/* The value a sample contributes: @v rounded to the nearest integer;
 * negative, NaN and infinite values count as 0. */
uint64_t summary_quantize(double v);
void summary_push(struct summary_acc *a, uint64_t v);
void summary_finish(const struct summary_acc *a, struct summary *out);

/* fio's sum_stat(pure_sum) for group_reporting: members' min, max, mean
 * and dev added, n added. @dst may be all zero (n == 0). */
void summary_add_sum(struct summary *dst, const struct summary *src);

/* Figures divided by @div for printing at integer precision: *lo is
 * floor(min / div), *hi is ceil(max / div), so that the printed bounds
 * enclose the printed mean (mean / div at any number of decimals). */
void summary_scale(uint64_t min, uint64_t max, double mean, uint64_t div, uint64_t *lo,
		   uint64_t *hi, double *mean_out);

#endif
