/* backend/rate: pacing on a virtual clock. A bandwidth cap (rate=20m) lets
 * through the bytes it should; poisson pacing keeps the mean but spaces
 * I/Os with exponential gaps (checked on the distribution, not only the
 * mean); both directions of a mix keep their own schedules; a total cap
 * splits as the mix does. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <pthread.h>
#include <unistd.h>

#include "backend/rate.h"
#include "lib/clock.h"

#define M (1024ULL * 1024)

/* Issue @len-byte I/Os in @ddir whenever they are due, on a clock that
 * jumps to the due time, for @span_ns. Returns the I/Os issued; their
 * gaps go to @gaps (up to @max) when non-NULL. */
static size_t drive(struct rate *r, int ddir, uint32_t len, uint64_t span_ns, double *gaps,
		    size_t max)
{
	uint64_t now = 0, last = 0;
	size_t n = 0;

	rate_reset(r, now);
	for (;;) {
		uint64_t t = rate_when(r, ddir, len);

		if (t > now)
			now = t;
		if (now >= span_ns)
			break;
		if (gaps && n && n - 1 < max)
			gaps[n - 1] = (double)(now - last);
		last = now;
		rate_issued(r, ddir, len);
		n++;
	}
	return n;
}

static void init(struct rate *r, enum rate_process p, uint64_t bps, uint64_t iops)
{
	struct job_opts o;

	memset(&o, 0, sizeof(o));
	o.rate_process = p;
	for (int d = 0; d < 2; d++) {
		o.rate[d] = bps;
		o.rate_iops[d] = iops;
	}
	rate_init(r, &o, 42);
}

/* rate=20m: 20 MiB/s of 4k writes for 2 s, and of 128k reads. */
static void test_bandwidth_cap(void **state)
{
	static const uint32_t sizes[] = { 4096, 131072, 65536 + 512 };
	struct rate r;

	(void)state;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t n;
		double bps;

		init(&r, RATE_LINEAR, 20 * M, 0);
		n = drive(&r, DDIR_WRITE, sizes[i], 2 * NS_PER_SEC, NULL, 0);
		bps = (double)n * sizes[i] / 2.0;
		fprintf(stderr, "rate=20m bs=%u: %.4f MiB/s\n", sizes[i], bps / M);
		assert_true(fabs(bps - 20.0 * M) <= 0.05 * 20.0 * M);
		/* linear pacing: an I/O is never early, and at most one late */
		assert_true(fabs(bps - 20.0 * M) <= (double)sizes[i]);
	}
}

/* Poisson: mean gap 1/iops, standard deviation equal to the mean, and the
 * share of gaps under k means follows 1 - e^-k. */
static void test_poisson_gaps(void **state)
{
	enum { N = 20000 };
	static double gaps[N];
	static const double ks[] = { 0.1, 0.5, 1.0, 2.0, 3.0 };
	struct rate r;
	double mean = 0, var = 0, want = 1e9 / 4000.0;
	size_t n;

	(void)state;
	init(&r, RATE_POISSON, 0, 4000);
	n = drive(&r, DDIR_READ, 4096, 6 * NS_PER_SEC, gaps, N);
	if (n > N)
		n = N;
	n--; /* gaps between consecutive I/Os */
	assert_true(n > 15000);
	for (size_t i = 0; i < n; i++)
		mean += gaps[i];
	mean /= (double)n;
	for (size_t i = 0; i < n; i++)
		var += (gaps[i] - mean) * (gaps[i] - mean);
	var /= (double)(n - 1);
	fprintf(stderr, "poisson: mean gap %.1f us (want %.1f), cv %.3f\n", mean / 1e3, want / 1e3,
		sqrt(var) / mean);
	assert_true(fabs(mean - want) < 0.03 * want);
	assert_true(fabs(sqrt(var) / mean - 1.0) < 0.05);
	for (size_t k = 0; k < sizeof(ks) / sizeof(ks[0]); k++) {
		size_t under = 0;
		double expect = 1.0 - exp(-ks[k]);

		for (size_t i = 0; i < n; i++)
			under += gaps[i] < ks[k] * want;
		fprintf(stderr, "  P(gap < %.1f mean) = %.4f, exponential %.4f\n", ks[k],
			(double)under / (double)n, expect);
		assert_true(fabs((double)under / (double)n - expect) < 0.015);
	}

	/* linear pacing of the same rate: every gap is the mean */
	init(&r, RATE_LINEAR, 0, 4000);
	n = drive(&r, DDIR_READ, 4096, NS_PER_SEC / 10, gaps, N) - 1;
	for (size_t i = 0; i < n; i++)
		assert_true(fabs(gaps[i] - want) <= 1.0);
}

/* The directions keep separate schedules: reads at their rate whatever
 * the writes do. */
static void test_directions_apart(void **state)
{
	struct rate r;
	struct job_opts o;
	uint64_t now = 0;
	size_t nr = 0, nw = 0;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.rate_iops[DDIR_READ] = 1000;
	o.rate_iops[DDIR_WRITE] = 250;
	rate_init(&r, &o, 1);
	assert_true(rate_limits(&r, DDIR_READ) && rate_limits(&r, DDIR_WRITE));
	assert_false(rate_limits(&r, DDIR_TRIM));
	rate_reset(&r, now);
	while (now < NS_PER_SEC) {
		uint64_t tr = rate_when(&r, DDIR_READ, 4096), tw = rate_when(&r, DDIR_WRITE, 4096);
		int d = tr <= tw ? DDIR_READ : DDIR_WRITE;

		now = d == DDIR_READ ? tr : tw;
		if (now >= NS_PER_SEC)
			break;
		rate_issued(&r, d, 4096);
		*(d == DDIR_READ ? &nr : &nw) += 1;
	}
	assert_int_equal(nr, 1000);
	assert_int_equal(nw, 250);
}

/* Sets *arg after 150 ms, from another thread (a stop from the UI). */
static void *stop_later(void *arg)
{
	clock_sleep_until(clock_now_ns() + 150 * NS_PER_MS);
	__atomic_store_n((int *)arg, 1, __ATOMIC_RELAXED);
	return NULL;
}

/* clock_wait: each way a wait ends, and a stop reaching a 30 s thinktime
 * (sleeping and spinning) within a slice. */
static void test_stoppable_waits(void **state)
{
	struct rate r;
	pthread_t th;
	uint64_t t0, took;
	int stop = 0, p[2];

	(void)state;
	t0 = clock_now_ns();
	assert_int_equal(clock_wait(t0 + 20 * NS_PER_MS, &stop, -1), CLOCK_WAIT_DEADLINE);
	assert_true(clock_now_ns() - t0 >= 20 * NS_PER_MS);
	stop = 1;
	assert_int_equal(clock_wait(UINT64_MAX, &stop, -1), CLOCK_WAIT_STOPPED);
	assert_int_equal(clock_wait(t0, &stop, -1), CLOCK_WAIT_DEADLINE); /* due already */
	stop = 0;
	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], "x", 1), 1);
	assert_int_equal(clock_wait(UINT64_MAX, &stop, p[0]), CLOCK_WAIT_READY);
	close(p[0]);
	close(p[1]);

	for (int spin = 0; spin < 2; spin++) {
		memset(&r, 0, sizeof(r));
		r.think_ns = 30 * NS_PER_SEC;
		r.think_spin_ns = spin ? 20 * NS_PER_SEC : 0;
		stop = 0;
		assert_int_equal(pthread_create(&th, NULL, stop_later, &stop), 0);
		t0 = clock_now_ns();
		rate_think(&r, &stop);
		took = clock_now_ns() - t0;
		pthread_join(th, NULL);
		assert_true(took >= 100 * NS_PER_MS);
		assert_true(took < 150 * NS_PER_MS + 2 * CLOCK_WAIT_SLICE_NS + 500 * NS_PER_MS);
	}
}

/* A total cap over a mix: the read share rounded, the rest to writes, never
 * 0 ("no cap") for a direction the mix uses. */
static void test_split_total(void **state)
{
	static const struct {
		uint64_t total;
		unsigned mix;
		uint64_t r, w;
	} cases[] = {
		{ 50000, 90, 45000, 5000 }, { 50000, 50, 25000, 25000 }, { 3, 70, 2, 1 },
		{ 10, 99, 9, 1 },           { 10, 1, 1, 9 },             { 1000, 100, 1000, 0 },
		{ 1000, 0, 0, 1000 },       { 0, 70, 0, 0 },             { 1, 50, 1, 1 },
		{ UINT64_MAX, 50, UINT64_MAX / 2 + 1, UINT64_MAX / 2 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t out[DDIR_RWDIR_CNT];

		rate_split_total(cases[i].total, cases[i].mix, out);
		if (out[DDIR_READ] != cases[i].r || out[DDIR_WRITE] != cases[i].w ||
		    out[DDIR_TRIM])
			fail_msg("%llu at %u%%: got %llu,%llu want %llu,%llu",
				 (unsigned long long)cases[i].total, cases[i].mix,
				 (unsigned long long)out[DDIR_READ], (unsigned long long)out[DDIR_WRITE],
				 (unsigned long long)cases[i].r, (unsigned long long)cases[i].w);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bandwidth_cap),
		cmocka_unit_test(test_poisson_gaps),
		cmocka_unit_test(test_directions_apart),
		cmocka_unit_test(test_stoppable_waits),
		cmocka_unit_test(test_split_total),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
