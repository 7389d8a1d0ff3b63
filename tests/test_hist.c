/* lib/hist: bucket layout, percentiles against exact sorted arrays,
 * edge values, merge/diff/copy. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include <cmocka.h>

#include "lib/hist.h"
#include "lib/rand.h"

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* exact percentile: the value of rank ceil(p/100*n) */
static uint64_t exact_pct(const uint64_t *sorted, size_t n, double p)
{
	double r = p / 100.0 * (double)n;
	size_t rank = (size_t)r;

	if ((double)rank < r)
		rank++;
	if (rank < 1)
		rank = 1;
	return sorted[rank - 1];
}

static void test_layout(void **state)
{
	(void)state;
	/* every bucket's low maps back to it, and low-1 to the one before */
	for (unsigned i = 1; i < HIST_NR; i++) {
		uint64_t lo = hist_bucket_low(i);

		assert_int_equal(hist_index(lo), i);
		assert_int_equal(hist_index(lo - 1), i - 1);
		assert_true(hist_bucket_value(i) >= lo);
		if (i + 1 < HIST_NR)
			assert_true(hist_bucket_value(i) < hist_bucket_low(i + 1));
	}
	for (uint64_t v = 0; v < HIST_SUB; v++)
		assert_int_equal(hist_index(v), v);
	assert_int_equal(hist_index(UINT64_MAX), HIST_NR - 1);
	assert_int_equal(hist_index(1ULL << 50), HIST_NR - 1);
}

struct dist_case {
	const char *name;
	int kind; /* 0 uniform, 1 lognormal, 2 small ints */
};

static uint64_t draw(struct rand_state *r, int kind)
{
	switch (kind) {
	case 0:
		return 1000 + rand_below(r, 10000000);
	case 1: {
		double u1 = rand_double(r), u2 = rand_double(r);
		double z = sqrt(-2.0 * log(1.0 - u1)) * cos(2 * M_PI * u2);

		return (uint64_t)exp(11.0 + 1.5 * z); /* ~60 us median, long tail */
	}
	default:
		return rand_below(r, 300);
	}
}

static void test_percentiles(void **state)
{
	static const struct dist_case cases[] = {
		{ "uniform", 0 }, { "lognormal", 1 }, { "small", 2 },
	};
	static const double pcts[] = { 1, 5, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.99, 100 };
	const size_t n = 200000;
	uint64_t *vals = malloc(n * sizeof(*vals));
	struct hist *h = calloc(1, sizeof(*h));
	uint64_t out[sizeof(pcts) / sizeof(pcts[0])];

	(void)state;
	assert_non_null(vals);
	assert_non_null(h);
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct rand_state r;

		rand_seed(&r, 42 + c);
		hist_reset(h);
		for (size_t i = 0; i < n; i++) {
			vals[i] = draw(&r, cases[c].kind);
			hist_add(h, vals[i]);
		}
		assert_int_equal(h->count, n);
		qsort(vals, n, sizeof(*vals), cmp_u64);
		hist_percentiles(h, pcts, sizeof(pcts) / sizeof(pcts[0]), out);
		for (size_t k = 0; k < sizeof(pcts) / sizeof(pcts[0]); k++) {
			uint64_t exact = exact_pct(vals, n, pcts[k]);
			double err = exact ? fabs((double)out[k] - (double)exact) / (double)exact : 0;

			if (err >= 0.005)
				fprintf(stderr, "%s p%g: hist %llu exact %llu err %.4f\n", cases[c].name,
					pcts[k], (unsigned long long)out[k], (unsigned long long)exact, err);
			/* values under 128 are exact */
			if (exact < HIST_SUB)
				assert_int_equal(out[k], exact);
			assert_true(err < 0.005);
			assert_int_equal(hist_percentile(h, pcts[k]), out[k]);
		}
	}
	free(vals);
	free(h);
}

static void test_edges(void **state)
{
	struct hist *h = calloc(1, sizeof(*h));

	(void)state;
	assert_int_equal(hist_percentile(h, 50), 0); /* empty */
	hist_add(h, 0);
	assert_int_equal(hist_percentile(h, 50), 0);
	assert_int_equal(hist_percentile(h, 100), 0);
	hist_add(h, 1);
	assert_int_equal(hist_percentile(h, 100), 1);
	assert_int_equal(hist_percentile(h, 50), 0);
	hist_reset(h);
	hist_add(h, UINT64_MAX);
	assert_int_equal(h->count, 1);
	/* lands in the last bucket, reported as the value recorded */
	assert_int_equal(hist_percentile(h, 99), UINT64_MAX);
	hist_reset(h);
	hist_add(h, 1ULL << 43); /* 2.4 hours, still in range */
	{
		uint64_t v = hist_percentile(h, 50);
		double err = fabs((double)v - (double)(1ULL << 43)) / (double)(1ULL << 43);

		assert_true(err < 0.005);
	}
	free(h);
}

static void test_merge_diff(void **state)
{
	struct hist *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
	struct hist *m = calloc(1, sizeof(*m)), *d = calloc(1, sizeof(*d));
	struct hist *c = calloc(1, sizeof(*c));

	(void)state;
	for (uint64_t v = 0; v < 1000; v++)
		hist_add(a, v * 1000);
	hist_copy(c, a); /* snapshot */
	for (uint64_t v = 0; v < 500; v++)
		hist_add(a, 5000000 + v);
	for (uint64_t v = 0; v < 300; v++)
		hist_add(b, 7);
	hist_merge(m, a);
	hist_merge(m, b);
	assert_int_equal(m->count, 1800);
	assert_int_equal(m->bucket[7], 300);
	/* interval = a now - a at the snapshot: only the 500 late values */
	hist_diff(d, a, c);
	assert_int_equal(d->count, 500);
	{
		uint64_t p = hist_percentile(d, 50);

		assert_true(fabs((double)p - 5000250.0) / 5000250.0 < 0.005);
	}
	assert_int_equal(c->count, 1000);
	free(a);
	free(b);
	free(m);
	free(d);
	free(c);
}

static void test_unsorted_pcts(void **state)
{
	struct hist *h = calloc(1, sizeof(*h));
	const double p[] = { 99, 50, 1 };
	uint64_t out[3];

	(void)state;
	for (uint64_t v = 1; v <= 100; v++)
		hist_add(h, v);
	hist_percentiles(h, p, 3, out);
	assert_int_equal(out[0], 99);
	assert_int_equal(out[1], 50);
	assert_int_equal(out[2], 1);
	free(h);
}

/* Percentiles stay within the smallest and largest value added, through
 * merge, copy and diff: a bucket midpoint above the max (or below the min)
 * is clamped to it. */
static void test_within_min_max(void **state)
{
	static const double pcts[] = { 0.1, 1, 50, 99, 99.9, 99.99, 100 };
	struct hist *h = calloc(1, sizeof(*h)), *m = calloc(1, sizeof(*m));
	struct hist *c = calloc(1, sizeof(*c)), *d = calloc(1, sizeof(*d));
	uint64_t out[7];
	struct rand_state r;

	(void)state;
	/* one value at the bottom of its bucket: the midpoint is above it */
	hist_add(h, 103900000);
	assert_true(hist_bucket_value(hist_index(103900000)) != 103900000);
	assert_int_equal(hist_percentile(h, 99.9), 103900000);
	assert_int_equal(h->min, 103900000);
	assert_int_equal(h->max, 103900000);
	hist_add(h, 1000);
	hist_add(h, 999);
	assert_int_equal(h->min, 999);
	hist_copy(c, h);
	for (uint64_t v = 0; v < 5; v++)
		hist_add(h, 50000 + v * 7919);
	hist_diff(d, h, c);
	assert_int_equal(d->count, 5);
	rand_seed(&r, 7);
	for (int i = 0; i < 2000; i++)
		hist_add(m, 1000 + rand_below(&r, 100000000));
	hist_merge(m, h);
	assert_int_equal(m->max, 103900000);
	for (int k = 0; k < 4; k++) {
		const struct hist *x = k == 0 ? h : k == 1 ? m : k == 2 ? c : d;

		hist_percentiles(x, pcts, 7, out);
		for (int i = 0; i < 7; i++) {
			assert_true(out[i] <= x->max);
			assert_true(out[i] >= x->min);
		}
	}
	/* a reset histogram starts over */
	hist_reset(h);
	hist_add(h, 5000000);
	assert_int_equal(h->min, 5000000);
	assert_int_equal(hist_percentile(h, 100), 5000000);
	free(h);
	free(m);
	free(c);
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_percentiles),
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_within_min_max),
		cmocka_unit_test(test_merge_diff),
		cmocka_unit_test(test_unsorted_pcts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
