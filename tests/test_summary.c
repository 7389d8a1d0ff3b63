/* lib/summary: min <= mean <= max for any series of values, for sums of
 * summaries (group_reporting) and for the bounds printed at a coarser unit;
 * table cases for the exact figures, then random series (fixed seeds, so a
 * failure reproduces). */
#include <setjmp.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/rand.h"
#include "lib/summary.h"

struct quant_case {
	double v;
	uint64_t want;
};

static const struct quant_case quant_cases[] = {
	{ 0.0, 0 },       { 0.49, 0 },   { 0.5, 1 },       { 999.6, 1000 },
	{ 1000.01, 1000 }, { -3.0, 0 },  { NAN, 0 },       { INFINITY, 0 },
	{ 142853.9, 142854 }, { 1e30, UINT64_MAX },
};

static void test_quantize(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(quant_cases) / sizeof(quant_cases[0]); i++)
		if (summary_quantize(quant_cases[i].v) != quant_cases[i].want)
			fail_msg("quantize(%g): got %" PRIu64 ", want %" PRIu64, quant_cases[i].v,
				 summary_quantize(quant_cases[i].v), quant_cases[i].want);
}

/* The series: rates just above an integer; min, max and mean come
 * from the same rounded values. */
static void test_exact(void **state)
{
	static const double rates[] = { 1000.01, 1000.4, 999.6, 1000.2, 1000.45 };
	struct summary_acc a = { 0 };
	struct summary s;

	(void)state;
	for (size_t i = 0; i < 5; i++)
		summary_push(&a, summary_quantize(rates[i]));
	summary_finish(&a, &s);
	assert_int_equal(s.n, 5);
	assert_int_equal(s.min, 1000);
	assert_int_equal(s.max, 1000);
	assert_true(s.mean == 1000.0);
	assert_true(s.dev == 0.0);

	a = (struct summary_acc){ 0 };
	summary_push(&a, 1);
	summary_push(&a, 2);
	summary_push(&a, 3);
	summary_push(&a, 4);
	summary_finish(&a, &s);
	assert_true(s.mean == 2.5);
	assert_true(fabs(s.dev - sqrt(5.0 / 3.0)) < 1e-12);

	a = (struct summary_acc){ 0 };
	summary_finish(&a, &s);
	assert_int_equal(s.n, 0);
	assert_int_equal(s.min, 0);
	assert_int_equal(s.max, 0);
}

struct scale_case {
	uint64_t min, max, div, lo, hi;
};

static const struct scale_case scale_cases[] = {
	{ 1500, 1500, 1000, 1, 2 },       /* 1.5 is inside [1, 2] */
	{ 2000, 3000, 1000, 2, 3 },       /* exact stays exact */
	{ 1048577, 1048577, 1024, 1024, 1025 },
	{ 0, 999, 1000, 0, 1 },
	{ 5, 5, 0, 5, 5 },                /* div 0 taken as 1 */
};

static void test_scale_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(scale_cases) / sizeof(scale_cases[0]); i++) {
		const struct scale_case *c = &scale_cases[i];
		uint64_t lo, hi;
		double m;

		summary_scale(c->min, c->max, (double)(c->min + c->max) / 2, c->div, &lo, &hi, &m);
		if (lo != c->lo || hi != c->hi)
			fail_msg("scale %" PRIu64 "..%" PRIu64 " / %" PRIu64 ": got %" PRIu64
				 "..%" PRIu64,
				 c->min, c->max, c->div, lo, hi);
	}
}

/* min <= mean <= max as printed: "%5.02f" of the mean parsed back against
 * the integer bounds, the way a reader compares the figures. */
static void check_printed(uint64_t lo, uint64_t hi, double mean, const char *what)
{
	char buf[64];
	double m;

	snprintf(buf, sizeof(buf), "%5.02f", mean);
	m = strtod(buf, NULL);
	if (!((double)lo <= m && m <= (double)hi))
		fail_msg("%s: min=%" PRIu64 " avg=%s max=%" PRIu64, what, lo, buf, hi);
	/* %f (terse) and %.17g (json) as well */
	snprintf(buf, sizeof(buf), "%f", mean);
	m = strtod(buf, NULL);
	if (!((double)lo <= m && m <= (double)hi))
		fail_msg("%s: min=%" PRIu64 " avg=%s max=%" PRIu64, what, lo, buf, hi);
}

/* A random value: magnitudes from fractions to 10^12, sometimes a run of
 * near-equal values (the case the issue met: all within one integer). */
static double rnd_value(struct rand_state *r, double base)
{
	switch (rand_u64(r) % 4) {
	case 0:
		return base + (double)(rand_u64(r) % 1000) / 1000.0;
	case 1:
		return (double)(rand_u64(r) % 1000000) / 7.0;
	case 2:
		return pow(10.0, (double)(rand_u64(r) % 1200) / 100.0);
	default:
		return base * (1.0 + (double)(rand_u64(r) % 100) / 1e6);
	}
}

static void test_random_series(void **state)
{
	static const uint64_t divs[] = { 1000, 1024, 1000000 };
	struct rand_state r;

	(void)state;
	rand_seed(&r, 0x5eed5u);
	for (int round = 0; round < 20000; round++) {
		struct summary_acc a = { 0 };
		struct summary s, sum = { 0 };
		double base = pow(10.0, (double)(rand_u64(&r) % 1000) / 100.0);
		size_t n = 1 + rand_u64(&r) % 40;
		char what[64];

		snprintf(what, sizeof(what), "round %d (n=%zu)", round, n);
		for (size_t i = 0; i < n; i++)
			summary_push(&a, summary_quantize(rnd_value(&r, base)));
		summary_finish(&a, &s);
		assert_int_equal(s.n, n);
		if (!((double)s.min <= s.mean && s.mean <= (double)s.max))
			fail_msg("%s: min=%" PRIu64 " mean=%f max=%" PRIu64, what, s.min, s.mean,
				 s.max);
		assert_true(s.dev >= 0.0);
		check_printed(s.min, s.max, s.mean, what);

		for (size_t k = 0; k < sizeof(divs) / sizeof(divs[0]); k++) {
			uint64_t lo, hi;
			double m;

			summary_scale(s.min, s.max, s.mean, divs[k], &lo, &hi, &m);
			check_printed(lo, hi, m, what);
		}

		/* group_reporting: members added stay ordered */
		summary_add_sum(&sum, &s);
		for (int member = 0; member < 3; member++) {
			struct summary_acc b = { 0 };
			struct summary t;
			size_t nb = rand_u64(&r) % 5; /* 0: a member without samples */

			for (size_t i = 0; i < nb; i++)
				summary_push(&b, summary_quantize(rnd_value(&r, base)));
			summary_finish(&b, &t);
			summary_add_sum(&sum, &t);
		}
		check_printed(sum.min, sum.max, sum.mean, what);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quantize),
		cmocka_unit_test(test_exact),
		cmocka_unit_test(test_scale_table),
		cmocka_unit_test(test_random_series),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
