/* Log-linear latency histogram; see hist.h for the bucket layout. */
#include "hist.h"

#include <stdbool.h>
#include <string.h>

#include "atomic.h"

unsigned hist_index(uint64_t v)
{
	unsigned msb, group;

	if (v < HIST_SUB)
		return (unsigned)v;
	msb = 63u - (unsigned)__builtin_clzll(v);
	group = msb - HIST_SUB_BITS + 1;
	if (group >= HIST_GROUPS)
		return HIST_NR - 1;
	return group * HIST_SUB + (unsigned)((v >> (msb - HIST_SUB_BITS)) & (HIST_SUB - 1));
}

uint64_t hist_bucket_low(unsigned idx)
{
	unsigned group = idx / HIST_SUB, sub = idx % HIST_SUB;

	if (group == 0)
		return sub;
	return (uint64_t)(HIST_SUB + sub) << (group - 1);
}

uint64_t hist_bucket_value(unsigned idx)
{
	unsigned group = idx / HIST_SUB;
	uint64_t width;

	if (group == 0)
		return idx;
	width = 1ULL << (group - 1);
	return hist_bucket_low(idx) + (width - 1) / 2;
}

void hist_add(struct hist *h, uint64_t v)
{
	unsigned idx = hist_index(v);
	uint64_t n = ld_relaxed(&h->count);

	if (!n || v < ld_relaxed(&h->min))
		st_relaxed(&h->min, v);
	if (!n || v > ld_relaxed(&h->max))
		st_relaxed(&h->max, v);
	sw_add(&h->bucket[idx], 1);
	sw_add(&h->count, 1);
}

void hist_reset(struct hist *h)
{
	for (unsigned i = 0; i < HIST_NR; i++)
		st_relaxed(&h->bucket[i], 0);
	st_relaxed(&h->count, 0);
	st_relaxed(&h->min, 0);
	st_relaxed(&h->max, 0);
}

void hist_merge(struct hist *dst, const struct hist *src)
{
	uint64_t total = 0, before = 0, smin, smax;

	for (unsigned i = 0; i < HIST_NR; i++) {
		uint64_t c = ld_relaxed(&src->bucket[i]);

		before += dst->bucket[i];
		dst->bucket[i] += c;
		total += c;
	}
	smin = ld_relaxed(&src->min);
	smax = ld_relaxed(&src->max);
	if (total) {
		dst->min = before && dst->min < smin ? dst->min : smin;
		dst->max = before && dst->max > smax ? dst->max : smax;
	}
	dst->count = before + total;
}

void hist_diff(struct hist *out, const struct hist *a, const struct hist *b)
{
	uint64_t total = 0;

	for (unsigned i = 0; i < HIST_NR; i++) {
		uint64_t x = a->bucket[i], y = b->bucket[i];
		uint64_t d = x > y ? x - y : 0;

		out->bucket[i] = d;
		total += d;
	}
	out->count = total;
	out->min = a->min;
	out->max = a->max;
}

void hist_copy(struct hist *dst, const struct hist *src)
{
	uint64_t total = 0;

	/* count is recomputed from the buckets so the copy is self-consistent
	 * even while the writer is between its two stores. */
	for (unsigned i = 0; i < HIST_NR; i++) {
		uint64_t c = ld_relaxed(&src->bucket[i]);

		dst->bucket[i] = c;
		total += c;
	}
	dst->count = total;
	dst->min = ld_relaxed(&src->min);
	dst->max = ld_relaxed(&src->max);
}

/* Rank (1-based) of percentile @pct among @n values. */
static uint64_t pct_rank(double pct, uint64_t n)
{
	double r = pct / 100.0 * (double)n;
	uint64_t rank = (uint64_t)r;

	if ((double)rank < r)
		rank++;
	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return rank;
}

uint64_t hist_percentile(const struct hist *h, double pct)
{
	uint64_t out;

	hist_percentiles(h, &pct, 1, &out);
	return out;
}

/* The value reported for bucket @i: its midpoint, clamped to the
 * recorded min/max when the bucket holds them. */
static uint64_t bucket_value_in(unsigned i, uint64_t vmin, uint64_t vmax)
{
	uint64_t v = hist_bucket_value(i);

	if (hist_index(vmax) == i && v > vmax)
		v = vmax;
	if (hist_index(vmin) == i && v < vmin)
		v = vmin;
	return v;
}

void hist_percentiles(const struct hist *h, const double *pcts, size_t n, uint64_t *out)
{
	uint64_t total = 0, seen = 0, vmin, vmax;
	unsigned last = 0;
	size_t done = 0;
	bool sorted = true;

	for (size_t k = 0; k < n; k++) {
		out[k] = 0;
		if (k && pcts[k] < pcts[k - 1])
			sorted = false;
	}
	for (unsigned i = 0; i < HIST_NR; i++)
		total += ld_relaxed(&h->bucket[i]);
	if (!total || !n)
		return;
	vmin = ld_relaxed(&h->min);
	vmax = ld_relaxed(&h->max);
	if (!sorted) {
		for (size_t k = 0; k < n; k++)
			hist_percentiles(h, &pcts[k], 1, &out[k]);
		return;
	}
	for (unsigned i = 0; i < HIST_NR && done < n; i++) {
		uint64_t c = ld_relaxed(&h->bucket[i]);

		if (!c)
			continue;
		seen += c;
		last = i;
		while (done < n && seen >= pct_rank(pcts[done], total))
			out[done++] = bucket_value_in(i, vmin, vmax);
	}
	while (done < n)
		out[done++] = bucket_value_in(last, vmin, vmax);
}
