/* backend/bufdata (zero, refill, scramble and compressible buffers,
 * buffer_pattern, dedupe) and backend/flow: shares that
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
	opts_init(o);
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

	opts_free(&o);
	opts_for(&o, 100, DEDUPE_REPEAT, 5);
	gen(&o, 0, 1, buf, n);
	assert_int_equal(distinct(buf, n), 1);

	opts_free(&o);
	opts_for(&o, 0, DEDUPE_REPEAT, 5);
	o.buffer_pattern_len = 0;
	{
		struct bufdata b;
		char err[100];

		assert_int_equal(bufdata_init(&b, &o, 1, 0, 1, err, sizeof(err)), 0);
		/* fio's default: filled once, stamped per write */
		assert_false(b.per_write);
		assert_false(b.prefill);
		assert_true(b.scramble);
	}

	opts_free(&o);
	opts_for(&o, 30, DEDUPE_WORKING_SET, 20);
	gen(&o, 0, 1, buf, n);
	s = (double)distinct(buf, n) / n;
	assert_true(s > 0.67 && s < 0.73);

	/* dedupe_global, two jobs, 50% over a 50% set: each file ~0.66 unique,
	 * both together 0.50 (fio: 0.650, 0.656, 0.499) */
	opts_free(&o);
	opts_for(&o, 50, DEDUPE_WORKING_SET, 50);
	o.dedupe_global = true;
	gen(&o, 0, 2, buf, n);
	gen(&o, 1, 2, buf + (size_t)n * BS, n);
	s = (double)distinct(buf + (size_t)n * BS, n) / n;
	assert_true(s > 0.62 && s < 0.70);
	s = (double)distinct(buf, 2 * n) / (2 * n);
	assert_true(s > 0.47 && s < 0.53);
	free(buf);
	opts_free(&o);
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
	opts_free(&o);
	opts_for(&o, 10, DEDUPE_WORKING_SET, 50);
	o.size = 0;
	assert_int_equal(bufdata_init(&b, &o, 1, 0, 1, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "needs size="));
	opts_free(&o);
	opts_for(&o, 10, DEDUPE_WORKING_SET, 50);
	o.nrfiles = 2;
	assert_int_equal(bufdata_init(&b, &o, 1, 0, 1, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "one file per job"));
	opts_free(&o);
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
	assert_true(b.prefill);
	assert_false(b.per_write);
	assert_false(b.scramble);
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
	opts_free(&o);
}

/* Set option @name as a job file would (so it counts as given). */
static void set(struct job_opts *o, const char *name, const char *val)
{
	char err[200];

	assert_int_equal(opt_set(o, name, val, err, sizeof(err)), 0);
}

static struct bufdata init_ok(const struct job_opts *o)
{
	struct bufdata b;
	char err[200];

	assert_int_equal(bufdata_init(&b, o, 42, 0, 1, err, sizeof(err)), 0);
	return b;
}

static unsigned zeros(const uint8_t *p, size_t n)
{
	unsigned z = 0;

	for (size_t i = 0; i < n; i++)
		z += !p[i];
	return z;
}

/* zero_buffers: filled once with zeros, never stamped; also what
 * buffer_compress_percentage=100 means, as fio. */
static void test_zero(void **state)
{
	static uint8_t buf[4 * BS];
	struct job_opts o;
	struct bufdata b;

	(void)state;
	opts_for(&o, 0, DEDUPE_REPEAT, 5);
	set(&o, "zero_buffers", "1");
	b = init_ok(&o);
	assert_true(b.prefill);
	assert_false(b.per_write);
	assert_false(b.scramble);
	memset(buf, 0xa5, sizeof(buf));
	bufdata_fill_span(&b, buf, sizeof(buf), BS);
	assert_int_equal(zeros(buf, sizeof(buf)), sizeof(buf));

	/* given together with scramble_buffers, fio stamps the zeros */
	set(&o, "scramble_buffers", "1");
	b = init_ok(&o);
	assert_true(b.scramble);

	opts_free(&o);
	opts_for(&o, 0, DEDUPE_REPEAT, 5);
	set(&o, "buffer_compress_percentage", "100");
	b = init_ok(&o);
	assert_true(b.zero);
	assert_int_equal(b.compress_pct, 0);
	assert_false(b.scramble);
	memset(buf, 0xa5, sizeof(buf));
	bufdata_fill(&b, buf, sizeof(buf));
	assert_int_equal(zeros(buf, sizeof(buf)), sizeof(buf));
	opts_free(&o);
}

/* refill_buffers: every write gets new random contents. */
static void test_refill(void **state)
{
	const unsigned n = 256;
	uint8_t *buf = malloc((size_t)n * BS);
	struct job_opts o;
	struct bufdata b;

	(void)state;
	assert_non_null(buf);
	opts_for(&o, 0, DEDUPE_REPEAT, 5);
	set(&o, "refill_buffers", "1");
	b = init_ok(&o);
	assert_true(b.per_write);
	assert_false(b.scramble);
	for (unsigned i = 0; i < n; i++)
		bufdata_fill(&b, buf + (size_t)i * BS, BS);
	assert_int_equal(distinct(buf, n), n);
	/* random: about 1/256 of the bytes are zero, not runs of them */
	assert_true(zeros(buf, (size_t)n * BS) < (size_t)n * BS / 128);
	/* the same seed gives the same bytes (a dedupe duplicate) */
	bufdata_random(buf, 1000, 7);
	bufdata_random(buf + 1000, 1000, 7);
	assert_memory_equal(buf, buf + 1000, 1000);
	bufdata_random(buf + 1000, 1000, 8);
	assert_memory_not_equal(buf, buf + 1000, 1000);
	free(buf);
	opts_free(&o);
}

/* scramble_buffers: one buffer written at two offsets gives two distinct
 * blocks; the stamp sits where fio puts it. When fio stamps. */
static void test_scramble(void **state)
{
	static uint8_t a[BS], c[BS];
	const uint64_t ns = 5 * 1000000000ull + 123456789, off = 1 << 20;
	struct job_opts o;
	uint64_t v;
	size_t line = ((123456789 ^ off) & 7) * 64;

	(void)state;
	bufdata_random(a, BS, 1);
	memcpy(c, a, BS);
	bufdata_scramble(a, BS, off, ns);
	bufdata_scramble(c, BS, off + BS, ns);
	assert_memory_not_equal(a, c, BS);
	for (unsigned blk = 0; blk < BS / 512; blk++) {
		memcpy(&v, a + blk * 512 + line, 8);
		assert_int_equal(v, off + blk * 512);
		memcpy(&v, a + blk * 512 + 48, 8);
		assert_int_equal(v, 5);
		memcpy(&v, a + blk * 512 + 56, 8);
		assert_int_equal(v, 123456789);
	}
	/* a 100-byte write has no 512-byte block to stamp */
	memcpy(c, a, BS);
	bufdata_scramble(c, 100, 0, ns);
	assert_memory_equal(a, c, BS);

	/* off with verify, dedupe, a pattern, compress given (even 0), refill */
	opts_for(&o, 0, DEDUPE_REPEAT, 5);
	o.verify = VERIFY_CRC32C;
	assert_false(init_ok(&o).scramble);
	opts_free(&o);
	opts_for(&o, 10, DEDUPE_REPEAT, 5);
	assert_false(init_ok(&o).scramble);
	opts_free(&o);
	opts_for(&o, 0, DEDUPE_REPEAT, 5);
	set(&o, "buffer_pattern", "0xdead");
	assert_false(init_ok(&o).scramble);
	opts_free(&o);
	opts_for(&o, 0, DEDUPE_REPEAT, 5);
	set(&o, "buffer_compress_percentage", "0");
	assert_false(init_ok(&o).scramble);
	opts_free(&o);
	opts_for(&o, 0, DEDUPE_REPEAT, 5);
	set(&o, "scramble_buffers", "0");
	assert_false(init_ok(&o).scramble);
	/* dedupe_percentage=0 given: fio refills every write instead */
	opts_free(&o);
	opts_for(&o, 0, DEDUPE_REPEAT, 5);
	set(&o, "dedupe_percentage", "0");
	assert_false(init_ok(&o).scramble);
	assert_true(init_ok(&o).per_write);
	/* scramble_buffers=1 given stamps a pattern too */
	opts_free(&o);
	opts_for(&o, 0, DEDUPE_REPEAT, 5);
	set(&o, "buffer_pattern", "0xdead");
	set(&o, "scramble_buffers", "1");
	assert_true(init_ok(&o).scramble);
	opts_free(&o);
}

/* buffer_compress_percentage=C: each chunk is (100-C)% random, then zeros
 * or the pattern; chunk = min(buffer_compress_chunk, write size). */
static void test_compress(void **state)
{
	const unsigned n = 64;
	uint8_t *buf = malloc((size_t)n * BS);
	struct job_opts o;
	struct bufdata b;

	(void)state;
	assert_non_null(buf);
	opts_for(&o, 0, DEDUPE_REPEAT, 5);
	set(&o, "buffer_compress_percentage", "50");
	b = init_ok(&o);
	assert_true(b.per_write); /* fio refills unless refill_buffers is given */
	assert_false(b.scramble);
	for (unsigned i = 0; i < n; i++)
		bufdata_fill(&b, buf + (size_t)i * BS, BS);
	assert_int_equal(distinct(buf, n), n);
	for (unsigned c = 0; c < n * BS / 512; c++) {
		const uint8_t *p = buf + (size_t)c * 512;

		assert_int_equal(zeros(p + 256, 256), 256); /* the compressible half */
		assert_true(zeros(p, 256) < 16);           /* the random half */
	}

	/* 33% of 4k chunks, with a pattern for the compressible part */
	opts_free(&o);
	opts_for(&o, 0, DEDUPE_REPEAT, 5);
	set(&o, "buffer_compress_percentage", "33");
	set(&o, "buffer_compress_chunk", "4k");
	set(&o, "buffer_pattern", "\"ab\"");
	b = init_ok(&o);
	assert_true(b.per_write);
	bufdata_fill(&b, buf, BS);
	{
		size_t rnd = BS * 67 / 100;

		for (size_t i = rnd; i < BS; i++)
			assert_int_equal(buf[i], "ab"[(i - rnd) % 2]);
		assert_true(buf[rnd - 1] != 'b' || buf[rnd - 2] != 'a' || buf[rnd - 3] != 'b');
	}

	/* a chunk above the write size is the write size; refill_buffers=0
	 * given: filled once (prefill), as fio fills its buffers once */
	opts_free(&o);
	opts_for(&o, 0, DEDUPE_REPEAT, 5);
	set(&o, "buffer_compress_percentage", "75");
	set(&o, "buffer_compress_chunk", "1m");
	set(&o, "refill_buffers", "0");
	b = init_ok(&o);
	assert_false(b.per_write);
	assert_true(b.prefill);
	bufdata_fill(&b, buf, 2 * BS);
	assert_int_equal(zeros(buf + BS / 4, BS * 3 / 4), BS * 3 / 4);
	assert_int_equal(zeros(buf + BS + BS / 4, BS * 3 / 4), BS * 3 / 4);
	assert_true(zeros(buf, BS / 4) < 32);

	/* with dedupe, a duplicate repeats the whole layout */
	opts_free(&o);
	opts_for(&o, 100, DEDUPE_REPEAT, 5);
	set(&o, "buffer_compress_percentage", "50");
	b = init_ok(&o);
	for (unsigned i = 0; i < 8; i++)
		bufdata_fill(&b, buf + (size_t)i * BS, BS);
	assert_int_equal(distinct(buf, 8), 1);
	assert_int_equal(zeros(buf + 256, 256), 256);
	free(buf);
	opts_free(&o);
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
		cmocka_unit_test(test_zero),
		cmocka_unit_test(test_refill),
		cmocka_unit_test(test_scramble),
		cmocka_unit_test(test_compress),
		cmocka_unit_test(test_flow_ratio),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
