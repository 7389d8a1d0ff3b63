/* backend/lattarget: the latency_target depth search against a simulated
 * device whose latency grows with the queue depth. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "backend/lattarget.h"

#define US 1000ull
#define MS 1000000ull

/* Simulated device: an I/O at depth d takes per_io * d * (1 + j), j uniform
 * in [0, 0.5) from a fixed LCG; @ios completions per window. */
struct sim {
	uint64_t per_io_ns;
	uint64_t state;
	unsigned ios;
	uint64_t now;
	unsigned max_seen;
	unsigned windows;
};

static double sim_jitter(struct sim *s)
{
	s->state = s->state * 6364136223846793005ull + 1442695040888963407ull;
	return (double)(s->state >> 11) / (double)(1ull << 53) * 0.5;
}

/* Run one window through lat_target_io/lat_target_check as the worker
 * does; returns the action taken. */
static enum lat_action sim_window(struct sim *s, struct lat_target *lt)
{
	enum lat_action a = LT_NONE;

	if (lt->depth > s->max_seen)
		s->max_seen = lt->depth;
	for (unsigned i = 0; i < s->ios; i++) {
		uint64_t lat = (uint64_t)((double)(s->per_io_ns * lt->depth) * (1.0 + sim_jitter(s)));

		lat_target_io(lt, lat);
		s->now += lat / (lt->depth ? lt->depth : 1);
		a = lat_target_check(lt, s->now);
		if (a != LT_NONE)
			break;
	}
	if (a == LT_NONE) {
		s->now = lt->win_start_ns + lt->window_ns;
		a = lat_target_check(lt, s->now);
	}
	lat_target_new_window(lt, s->now);
	s->windows++;
	return a;
}

/* Depth d passes a 1 ms p99 target exactly when 50us * d * 1.5 <= 1ms
 * for 99% of I/Os: d <= 13 always passes, d = 14 fails ~14%. */
static void converges_on_simulated_device(void **state)
{
	struct sim s = { .per_io_ns = 50 * US, .state = 42, .ios = 2000 };
	struct lat_target lt;
	enum lat_action a = LT_NONE;
	bool final_seen = false;

	(void)state;
	lat_target_init(&lt, 1 * MS, 100 * MS, 99.0, 64, false, 0);
	assert_int_equal(lt.depth, 1);
	while (s.windows < 40) {
		a = sim_window(&s, &lt);
		if (a == LT_FINAL)
			final_seen = true;
		if (a == LT_DONE)
			break;
	}
	assert_int_equal(a, LT_DONE);
	assert_true(final_seen);
	assert_true(lt.settled);
	assert_int_equal(lt.depth, 13);
	/* doubling stops at the first failing depth */
	assert_int_equal(s.max_seen, 16);
	assert_true(s.windows < 15);
}

/* Higher depths first pass, then the device slows: the search backs off. */
static void backs_off_when_over(void **state)
{
	struct lat_target lt;
	enum lat_action a;

	(void)state;
	lat_target_init(&lt, 2 * MS, 10 * MS, 95.0, 128, false, 0);
	for (unsigned want = 2; want <= 32; want *= 2) {
		a = lat_target_window(&lt, 1000, 10); /* 99% under */
		assert_int_equal(a, LT_UP);
		assert_int_equal(lt.depth, want);
		lat_target_new_window(&lt, 0);
	}
	a = lat_target_window(&lt, 1000, 100); /* 90% under: miss */
	assert_int_equal(a, LT_DOWN);
	assert_true(lt.depth < 32);
	assert_true(lt.depth >= 16);
	assert_int_equal(lt.high, 32);
	lat_target_new_window(&lt, 0);
	/* everything misses from now on: down to 1, and it stays there */
	for (int i = 0; i < 20; i++) {
		a = lat_target_window(&lt, 1000, 1000);
		assert_int_equal(a, LT_DOWN);
		lat_target_new_window(&lt, 0);
	}
	assert_int_equal(lt.depth, 1);
	assert_false(lt.settled);
	/* an empty window judges nothing */
	assert_int_equal(lat_target_window(&lt, 0, 0), LT_NONE);
}

/* percentile 100: one late completion fails the window at once; what
 * completes while the worker quiesces does not count again. */
static void percentile_100_fails_at_once(void **state)
{
	struct lat_target lt;

	(void)state;
	lat_target_init(&lt, 500 * US, 1000 * MS, 0, 16, false, 0);
	assert_true(lt.pct == 100.0);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(lat_target_window(&lt, 10, 0), LT_UP);
		lat_target_new_window(&lt, 0);
	}
	assert_int_equal(lt.depth, 8);
	assert_int_equal(lat_target_io(&lt, 100 * US), LT_NONE);
	assert_int_equal(lat_target_check(&lt, 1), LT_NONE); /* window not over */
	assert_int_equal(lat_target_io(&lt, 600 * US), LT_DOWN);
	assert_int_equal(lt.depth, 6);
	/* the drain's completions */
	assert_int_equal(lat_target_io(&lt, 900 * US), LT_NONE);
	assert_int_equal(lat_target_io(&lt, 900 * US), LT_NONE);
	assert_int_equal(lt.depth, 6);
	assert_int_equal(lat_target_check(&lt, 2), LT_DOWN); /* pending, for the worker */
	lat_target_new_window(&lt, 3);
	assert_int_equal(lat_target_check(&lt, 4), LT_NONE);
	/* down to 1, where a miss fails the job, as fio's max latency */
	while (lt.depth > 1) {
		assert_int_equal(lat_target_io(&lt, 600 * US), LT_DOWN);
		lat_target_new_window(&lt, 5);
	}
	assert_int_equal(lat_target_io(&lt, 700 * US), LT_FATAL);
	assert_int_equal(lt.fatal_lat_ns, 700 * US);
	assert_int_equal(lat_target_check(&lt, 6), LT_FATAL);
}

/* Never above iodepth; settles at iodepth when it always passes. */
static void clamps_to_iodepth(void **state)
{
	struct lat_target lt;
	enum lat_action a;
	int n = 0;

	(void)state;
	lat_target_init(&lt, 1 * MS, 0, 99, 24, false, 0);
	do {
		a = lat_target_window(&lt, 100, 0);
		assert_true(lt.depth <= 24);
		lat_target_new_window(&lt, 0);
	} while (a != LT_DONE && ++n < 20);
	assert_int_equal(a, LT_DONE);
	assert_int_equal(lt.depth, 24);
	/* 1 2 4 8 16 24, then 24 again twice (settle, final window) */
	assert_int_equal(n, 6);
}

/* latency_run: never ends; follows the device down and back up. */
static void latency_run_follows_device(void **state)
{
	struct sim s = { .per_io_ns = 50 * US, .state = 7, .ios = 2000 };
	struct lat_target lt;
	enum lat_action a;

	(void)state;
	lat_target_init(&lt, 1 * MS, 100 * MS, 99.0, 64, true, 0);
	for (int i = 0; i < 30; i++) {
		a = sim_window(&s, &lt);
		assert_true(a != LT_FINAL && a != LT_DONE);
	}
	assert_true(lt.settled);
	assert_true(lt.depth >= 12 && lt.depth <= 14);
	/* the device gets twice as slow: about half the depth */
	s.per_io_ns = 100 * US;
	for (int i = 0; i < 30; i++)
		sim_window(&s, &lt);
	assert_true(lt.depth >= 5 && lt.depth <= 7);
	/* and faster again: the search climbs back */
	s.per_io_ns = 25 * US;
	for (int i = 0; i < 80; i++)
		sim_window(&s, &lt);
	assert_true(lt.depth >= 20);
	assert_true(lt.depth <= 28);
}

/* latency_run one below iodepth: the probe still reaches iodepth. */
static void latency_run_probes_up_to_iodepth(void **state)
{
	struct lat_target lt;
	bool seen_max = false;

	(void)state;
	lat_target_init(&lt, 1 * MS, 0, 99, 32, true, 0);
	for (int i = 0; i < 6; i++) { /* 1 2 4 8 16 32, then 32 settles */
		lat_target_window(&lt, 100, 0);
		lat_target_new_window(&lt, 0);
	}
	assert_int_equal(lt.depth, 32);
	assert_int_equal(lat_target_window(&lt, 100, 50), LT_DOWN); /* a bad window */
	lat_target_new_window(&lt, 0);
	assert_int_equal(lt.depth, 31); /* settled at 32: floor drops by one */
	for (int i = 0; i < 20; i++) {
		assert_true(lat_target_window(&lt, 100, 0) == LT_UP);
		lat_target_new_window(&lt, 0);
		assert_true(lt.depth <= 32);
		seen_max |= lt.depth == 32;
	}
	assert_true(seen_max);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(converges_on_simulated_device),
		cmocka_unit_test(backs_off_when_over),
		cmocka_unit_test(percentile_100_fails_at_once),
		cmocka_unit_test(clamps_to_iodepth),
		cmocka_unit_test(latency_run_follows_device),
		cmocka_unit_test(latency_run_probes_up_to_iodepth),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
