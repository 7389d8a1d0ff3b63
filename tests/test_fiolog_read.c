/* backend/fiolog_read: fio's averaged logs read back on a grid. fio writes
 * a line when log_avg_msec has passed since its last one, so the lines drift
 * and jitter; every window the run covered must come back with the rate fio
 * logged (no false dip where two lines fell into one window), an idle gap
 * stays a gap, and a per-I/O log counts its I/Os. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/scratch.h"

#include "backend/fiolog_read.h"

static char dir[512];

static int setup(void **state)
{
	(void)state;
	return scratch_dir_make(dir, sizeof(dir), "fiologr");
}

static int teardown(void **state)
{
	(void)state;
	return scratch_dir_remove(dir);
}

#define MAXW 256

struct got {
	unsigned n;
	uint64_t t_start[MAXW];
	float iops[MAXW], bw[MAXW];
	uint64_t ios[MAXW];
};

static int collect(void *arg, const struct sample *smp, const uint64_t *const pairs[DDIR_RWDIR_CNT],
		   const size_t npairs[DDIR_RWDIR_CNT])
{
	struct got *g = arg;

	(void)pairs;
	(void)npairs;
	if (g->n < MAXW) {
		g->t_start[g->n] = smp->t_start;
		g->iops[g->n] = smp->dir[DDIR_READ].iops;
		g->bw[g->n] = smp->dir[DDIR_READ].bw;
		g->ios[g->n] = smp->dir[DDIR_READ].ios;
		g->n++;
	}
	return 0;
}

static void write_log(const char *path, const uint64_t *ms, size_t n, double val, unsigned bs)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%llu, %.0f, 0, %u, 0\n", (unsigned long long)ms[i], val, bs);
	assert_int_equal(fclose(f), 0);
}

static void load(const char *first, struct got *g)
{
	struct fiologr *r;
	char err[512] = "";

	memset(g, 0, sizeof(*g));
	assert_int_equal(fiologr_open(first, &r, err, sizeof(err)), 0);
	assert_int_equal(fiologr_read(r, collect, g, NULL, err, sizeof(err)), 0);
	fiologr_close(r);
}

/* 30 lines 100.3 ms apart from 146 ms, one of them 49 ms late (the next
 * on time): the old rounding put two lines in one window and none in the
 * one before. Every window from the first to the last reads 2000. */
static void test_drift_and_jitter(void **state)
{
	uint64_t ms[30];
	char iops[600], bw[600];
	struct got g;

	(void)state;
	for (int i = 0; i < 30; i++)
		ms[i] = 146 + (uint64_t)(i * 100.3);
	ms[18] += 49; /* 1954, then 2053: the old rounding's collision */
	snprintf(iops, sizeof(iops), "%s/dj_iops.1.log", dir);
	snprintf(bw, sizeof(bw), "%s/dj_bw.1.log", dir);
	write_log(iops, ms, 30, 2000, 0);
	write_log(bw, ms, 30, 8000, 0);
	load(iops, &g);
	assert_true(g.n >= 29);
	for (unsigned i = 0; i < g.n; i++) {
		if (i)
			assert_int_equal(g.t_start[i], g.t_start[i - 1] + 100000);
		assert_float_equal(g.iops[i], 2000, 0.5);
		assert_float_equal(g.bw[i], 8000 * 1024.0, 1);
	}
	/* the time axis follows fio's clock: the last window holds the last line */
	assert_int_equal(g.t_start[g.n - 1], ms[29] / 100 * 100000);
	assert_int_equal(g.t_start[0], 0);
}

/* A direction idle for two seconds has no lines there: those windows stay
 * empty, and the line after the silence covers one window, not the gap. */
static void test_idle_gap(void **state)
{
	uint64_t ms[] = { 100, 200, 300, 400, 2500, 2600, 2700 };
	char iops[600];
	struct got g;

	(void)state;
	snprintf(iops, sizeof(iops), "%s/gap_iops.1.log", dir);
	write_log(iops, ms, sizeof(ms) / sizeof(ms[0]), 1000, 0);
	load(iops, &g);
	assert_int_equal(g.n, 7);
	assert_int_equal(g.t_start[3], 300000);
	assert_int_equal(g.t_start[4], 2400000);
	for (unsigned i = 0; i < g.n; i++)
		assert_float_equal(g.iops[i], 1000, 0.5);
}

/* No log_avg_msec: one line per I/O, counted in the window it ends in. */
static void test_per_io(void **state)
{
	uint64_t ms[250];
	char iops[600];
	struct got g;
	uint64_t total = 0;

	(void)state;
	for (int i = 0; i < 250; i++)
		ms[i] = (uint64_t)i * 2; /* 500 IOPS for 0.5 s */
	snprintf(iops, sizeof(iops), "%s/pio_iops.1.log", dir);
	write_log(iops, ms, 250, 1, 4096);
	load(iops, &g);
	assert_int_equal(g.n, 5);
	for (unsigned i = 0; i < g.n; i++) {
		assert_int_equal(g.ios[i], 50);
		assert_float_equal(g.iops[i], 500, 0.5);
		total += g.ios[i];
	}
	assert_int_equal(total, 250);
}

/* log_prio=1 logs (fio 3.33's "0x4001" last column), with and without
 * log_offset's column before it, read as any per-I/O log. */
static void test_prio_column(void **state)
{
	static const char *const fmt[2] = { "%u, 1, %d, 4096, 0x%04x\n",
					    "%u, 1, %d, 4096, 8192, 0x%04x\n" };
	(void)state;
	for (int off = 0; off < 2; off++) {
		char path[600];
		struct got g;
		uint64_t total = 0;
		FILE *f;

		snprintf(path, sizeof(path), "%s/prio%d_iops.1.log", dir, off);
		f = fopen(path, "w");
		assert_non_null(f);
		for (unsigned i = 0; i < 250; i++)
			fprintf(f, fmt[off], i * 2, 0, i % 4 ? 0x4006 : 0x2001);
		assert_int_equal(fclose(f), 0);
		load(path, &g);
		for (unsigned i = 0; i < g.n; i++)
			total += g.ios[i];
		assert_int_equal(total, 250);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_drift_and_jitter),
		cmocka_unit_test(test_idle_gap),
		cmocka_unit_test(test_per_io),
		cmocka_unit_test(test_prio_column),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
