/* backend/bufdata (buffer_pattern, dedupe) and backend/flow: shares that
 * fio makes random are checked within tolerance; fio's own figures for the
 * same settings are in tests/int/patterns.sh, which runs both tools. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "backend/bufdata.h"
#include "backend/flow.h"

#define BS 4096u

static void opts_for(struct job_opts *o, unsigned pct, enum dedupe_mode mode, unsigned ws)
{
	memset(o, 0, sizeof(*o));
	o->rw = RW_WRITE;
	for (int d = 0; d < DDIR_RWDIR_CNT; d++)
		o->bs[d] = BS;
	o->nrfiles = 1;
	o->size = 16u << 20;
	o->dedupe_percentage = pct;
	o->dedupe_mode = mode;
	o->dedupe_working_set_percentage = ws;
}

static int cmp_block(const void *a, const void *b)
{
	return memcmp(a, b, BS);
}

/* Distinct blocks among @n blocks of @buf (sorted in place). */
static unsigned distinct(uint8_t *buf, unsigned n)
{
	unsigned d = n ? 1 : 0;

	qsort(buf, n, BS, cmp_block);
	for (unsigned i = 1; i < n; i++)
		d += memcmp(buf + (size_t)i * BS, buf + (size_t)(i - 1) * BS, BS) != 0;
	return d;
}

/* Write @n blocks of job @job of @jobs into @out. */
static void gen(const struct job_opts *o, unsigned job, unsigned jobs, uint8_t *out, unsigned n)
{
	struct bufdata b;
	char err[200];

	assert_int_equal(bufdata_init(&b, o, 1000 + job, job, jobs, err, sizeof(err)), 0);
	assert_true(b.per_write);
	for (unsigned i = 0; i < n; i++)
		bufdata_fill(&b, out + (size_t)i * BS, BS);
}

/* Unique shares: repeat 50% -> 0.50, 100% -> one block, working set 30%
 * of writes over a 20% set -> 0.70 (fio: 0.496, 1 block, 0.696). */
static void test_dedupe_shares(void **state)
{
	const unsigned n = 4096;
	uint8_t *buf = malloc((size_t)2 * n * BS);
	struct job_opts o;
	double s;

	(void)state;
	assert_non_null(buf);
	opts_for(&o, 50, DEDUPE_REPEAT, 5);
	gen(&o, 0, 1, buf, n);
	s = (double)distinct(buf, n) / n;
	assert_true(s > 0.47 && s < 0.53);

	opts_for(&o, 100, DEDUPE_REPEAT, 5);
	gen(&o, 0, 1, buf, n);
	assert_int_equal(distinct(buf, n), 1);

	opts_for(&o, 0, DEDUPE_REPEAT, 5);
	o.buffer_pattern_len = 0;
	{
		struct bufdata b;
		char err[100];

		assert_int_equal(bufdata_init(&b, &o, 1, 0, 1, err, sizeof(err)), 0);
		assert_false(bufdata_active(&b));
	}

	opts_for(&o, 30, DEDUPE_WORKING_SET, 20);
	gen(&o, 0, 1, buf, n);
	s = (double)distinct(buf, n) / n;
	assert_true(s > 0.67 && s < 0.73);

	/* dedupe_global, two jobs, 50% over a 50% set: each file ~0.66 unique,
	 * both together 0.50 (fio: 0.650, 0.656, 0.499) */
	opts_for(&o, 50, DEDUPE_WORKING_SET, 50);
	o.dedupe_global = true;
	gen(&o, 0, 2, buf, n);
	gen(&o, 1, 2, buf + (size_t)n * BS, n);
	s = (double)distinct(buf + (size_t)n * BS, n) / n;
	assert_true(s > 0.62 && s < 0.70);
	s = (double)distinct(buf, 2 * n) / (2 * n);
	assert_true(s > 0.47 && s < 0.53);
	free(buf);
}

/* Working sets fio refuses are refused with the option's name. */
static void test_dedupe_refusals(void **state)
{
	struct job_opts o;
	struct bufdata b;
	char err[200];

	(void)state;
	opts_for(&o, 60, DEDUPE_WORKING_SET, 50);
	assert_int_equal(bufdata_init(&b, &o, 1, 0, 1, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "dedupe_percentage: 60 plus"));
	opts_for(&o, 10, DEDUPE_WORKING_SET, 50);
	o.size = 0;
	assert_int_equal(bufdata_init(&b, &o, 1, 0, 1, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "needs size="));
	opts_for(&o, 10, DEDUPE_WORKING_SET, 50);
	o.nrfiles = 2;
	assert_int_equal(bufdata_init(&b, &o, 1, 0, 1, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "one file per job"));
}

/* buffer_pattern: repeated from the first byte, whatever the length; a job
 * that reads refills it per write. */
static void test_pattern(void **state)
{
	struct job_opts o;
	struct bufdata b;
	uint8_t buf[1000];
	char err[100];

	(void)state;
	opts_for(&o, 0, DEDUPE_REPEAT, 5);
	memcpy(o.buffer_pattern, "abc\x0c\x01", 5);
	o.buffer_pattern_len = 5;
	assert_int_equal(bufdata_init(&b, &o, 1, 0, 1, err, sizeof(err)), 0);
	assert_true(bufdata_active(&b));
	assert_false(b.per_write);
	memset(buf, 0, sizeof(buf));
	bufdata_fill(&b, buf, 997);
	for (unsigned i = 0; i < 997; i++)
		assert_int_equal(buf[i], o.buffer_pattern[i % 5]);
	assert_int_equal(buf[997], 0);
	o.rw = RW_READ | RW_WRITE;
	assert_int_equal(bufdata_init(&b, &o, 1, 0, 1, err, sizeof(err)), 0);
	assert_true(b.per_write);
	pattern_repeat((const uint8_t *)"xy", 2, buf, 3);
	assert_memory_equal(buf, "xyx", 3);
}

/* Two jobs in one flow with weights 1 and 8, taking turns as fast as they
 * can: the I/Os they are let through keep a 1:8 ratio; once the heavy one
 * leaves, the light one is never held back. */
static void test_flow_ratio(void **state)
{
	struct flow *a, *b;
	uint64_t ca = 0, cb = 0;

	(void)state;
	a = flow_join(7, 1);
	b = flow_join(7, 8);
	assert_non_null(a);
	assert_ptr_equal(a, b);
	for (int i = 0; i < 90000; i++) {
		(void)flow_hold(a, &ca, 1);
		(void)flow_hold(b, &cb, 8);
	}
	assert_true(cb > 7.8 * (double)ca && cb < 8.2 * (double)ca);
	flow_leave(b, cb, 8);
	for (int i = 0; i < 100; i++)
		assert_false(flow_hold(a, &ca, 1));
	flow_leave(a, ca, 1);
	/* a new flow with the same id starts from scratch */
	a = flow_join(7, 2);
	ca = 0;
	assert_false(flow_hold(a, &ca, 2));
	flow_leave(a, ca, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dedupe_shares),
		cmocka_unit_test(test_dedupe_refusals),
		cmocka_unit_test(test_pattern),
		cmocka_unit_test(test_flow_ratio),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
