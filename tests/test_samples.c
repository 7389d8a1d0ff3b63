/* backend/samples: append, query, range, latest, span, marks; rollup keeps
 * memory bounded (an hour of 8 jobs at 100 ms costs exactly the figure
 * samples.c documents), queries after rollup still cover every instant, and
 * merged samples keep the ios totals and the documented merge arithmetic. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "backend/diskstats.h"
#include "backend/samples.h"

#define TICK 100000ULL /* 100 ms in us */

/* The figure in samples.c's header comment (x86-64, LP64 glibc). */
#define HOUR_8JOBS_100MS_BYTES 3264464ULL
/* What the store may cost for that hour on any ABI: 3.5 MiB. */
#define HOUR_BUDGET_BYTES (3584ULL * 1024)

static struct sample mk(unsigned job, uint64_t tick, uint64_t ios)
{
	struct sample s;

	memset(&s, 0, sizeof(s));
	s.job = job;
	s.t_start = tick * TICK;
	s.t_end = (tick + 1) * TICK;
	s.runstate = 4;
	s.iodepth_set = 1;
	s.depth = 1;
	s.dir[0].ios = ios;
	s.dir[0].iops = (float)ios * 10.0f;
	s.dir[0].bw = (float)ios * 40960.0f;
	s.dir[0].lat_mean = 1000.0f + (float)(tick % 7);
	s.dir[0].lat_p50 = 900.0f;
	s.dir[0].lat_p99 = 5000.0f + (float)(tick % 100);
	s.dir[0].lat_p999 = 9000.0f;
	s.dir[0].lat_max = 10000.0f + (float)tick;
	s.dir[1].ios = ios / 2;
	return s;
}

static void test_basic(void **state)
{
	struct sample_store *s = samples_new();
	struct sample out[16], one;
	uint64_t t0, t1;

	(void)state;
	assert_non_null(s);
	assert_int_equal(samples_seq(s), 0);
	assert_int_equal(samples_latest(s, 0, &one), 0);
	samples_span(s, &t0, &t1);
	assert_true(t0 == 0 && t1 == 0);
	assert_int_equal(samples_query(s, 0, UINT64_MAX, out, 16), 0);

	/* jobs 0 and 2, five ticks each; job 1 never appends */
	for (uint64_t t = 0; t < 5; t++) {
		struct sample a = mk(0, t, 10 + t), b = mk(2, t, 100 + t);

		samples_append(s, &a);
		samples_append(s, &b);
	}
	assert_int_equal(samples_seq(s), 10);
	samples_span(s, &t0, &t1);
	assert_true(t0 == 0 && t1 == 5 * TICK);

	/* inside tick 2: one per job, sorted by job */
	assert_int_equal(samples_query(s, 2 * TICK + 1, 2 * TICK + 5, out, 16), 2);
	assert_int_equal(out[0].job, 0);
	assert_int_equal(out[1].job, 2);
	assert_int_equal(out[0].dir[0].ios, 12);
	assert_int_equal(out[1].dir[0].ios, 102);
	/* a shared boundary is in both closed intervals */
	assert_int_equal(samples_query(s, 3 * TICK, 3 * TICK, out, 16), 4);
	/* more overlap than room: total returned, max copied */
	assert_int_equal(samples_query(s, 0, UINT64_MAX, out, 3), 10);
	assert_int_equal(samples_query(s, 0, UINT64_MAX, NULL, 0), 10);

	/* range: time order, one job only */
	assert_int_equal(samples_range(s, 2, TICK + 1, 4 * TICK - 1, out, 16), 3);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(out[i].job, 2);
		assert_int_equal(out[i].t_start, (uint64_t)(i + 1) * TICK);
	}
	assert_int_equal(samples_range(s, 1, 0, UINT64_MAX, out, 16), 0);
	assert_int_equal(samples_range(s, 999999, 0, UINT64_MAX, out, 16), 0);
	assert_int_equal(samples_range(s, 0, 6 * TICK, 7 * TICK, out, 16), 0);

	assert_int_equal(samples_latest(s, 0, &one), 1);
	assert_int_equal(one.t_start, 4 * TICK);
	assert_int_equal(one.dir[0].ios, 14);
	assert_int_equal(samples_latest(s, 1, &one), 0);

	samples_clear(s);
	assert_int_equal(samples_query(s, 0, UINT64_MAX, out, 16), 0);
	assert_int_equal(samples_latest(s, 0, &one), 0);
	assert_int_equal(samples_seq(s), 10); /* monotonic: never goes back */
	samples_free(s);
}

static void test_marks(void **state)
{
	struct sample_store *s = samples_new();
	struct sample_mark m, out[SAMPLES_MAX_MARKS + 8];
	size_t n;

	(void)state;
	for (unsigned i = 0; i < SAMPLES_MAX_MARKS + 10; i++) {
		memset(&m, 0, sizeof(m));
		m.t = (uint64_t)i * 1000;
		m.job = (int)(i % 3) - 1;
		snprintf(m.text, sizeof(m.text), "iodepth %u->%u", i, i + 1);
		samples_mark(s, &m);
	}
	/* bounded: the 10 oldest are gone, the rest in time order */
	n = samples_marks(s, 0, UINT64_MAX, out, SAMPLES_MAX_MARKS + 8);
	assert_int_equal(n, SAMPLES_MAX_MARKS);
	assert_int_equal(out[0].t, 10 * 1000);
	assert_string_equal(out[0].text, "iodepth 10->11");
	for (size_t i = 1; i < n; i++)
		assert_true(out[i].t > out[i - 1].t);
	n = samples_marks(s, 20000, 22000, out, 8);
	assert_int_equal(n, 3);
	assert_int_equal(out[2].t, 22000);
	assert_int_equal(samples_marks(s, 20000, 22000, out, 2), 2);
	samples_free(s);
}

/* Fill level 0 exactly, then one more: the 8 oldest merge into one level-1
 * sample whose figures follow the rules documented in samples.c. */
static void test_merge_math(void **state)
{
	struct sample_store *s = samples_new();
	struct sample x, out[SAMPLES_LEVEL_CAP + 4];
	size_t n;
	uint64_t ios = 0;
	double lat_acc = 0, iops_acc = 0, aw_acc = 0, aw_w = 0;
	float p99 = 0, mx = 0;

	(void)state;
	for (uint64_t t = 0; t <= SAMPLES_LEVEL_CAP; t++) {
		x = mk(3, t, t % 5 == 0 ? 0 : 20 + t);
		/* uneven durations: the first 8 last 1..8 ticks' worth */
		if (t < SAMPLES_MERGE) {
			x.t_start = t * (t + 1) / 2 * TICK;
			x.t_end = (t + 1) * (t + 2) / 2 * TICK;
		} else {
			x.t_start = (t - SAMPLES_MERGE) * TICK + 36 * TICK;
			x.t_end = x.t_start + TICK;
		}
		x.dev_rps = (float)t;
		x.dev_r_await = 2.0f * (float)t;
		if (t < SAMPLES_MERGE) {
			double w = (double)(x.t_end - x.t_start);

			ios += x.dir[0].ios;
			lat_acc += (double)x.dir[0].ios * x.dir[0].lat_mean;
			iops_acc += w * x.dir[0].iops;
			aw_acc += w * x.dev_rps * x.dev_r_await;
			aw_w += w * x.dev_rps;
			if (x.dir[0].lat_p99 > p99)
				p99 = x.dir[0].lat_p99;
			if (x.dir[0].lat_max > mx)
				mx = x.dir[0].lat_max;
		}
		samples_append(s, &x);
	}
	n = samples_range(s, 3, 0, UINT64_MAX, out, SAMPLES_LEVEL_CAP + 4);
	assert_int_equal(n, SAMPLES_LEVEL_CAP + 1 - SAMPLES_MERGE + 1);
	x = out[0];
	assert_int_equal(x.level, 1);
	assert_int_equal(x.t_start, 0);
	assert_int_equal(x.t_end, 36 * TICK);
	assert_int_equal(x.dir[0].ios, ios);
	assert_float_equal(x.dir[0].lat_mean, lat_acc / (double)ios, 0.01);
	assert_float_equal(x.dir[0].iops, iops_acc / (36.0 * TICK), 0.01);
	assert_float_equal(x.dir[0].lat_p99, p99, 0);
	assert_float_equal(x.dir[0].lat_max, mx, 0);
	assert_float_equal(x.dev_r_await, aw_acc / aw_w, 0.001);
	/* level 0 follows, contiguous */
	assert_int_equal(out[1].level, 0);
	assert_int_equal(out[1].t_start, x.t_end);
	samples_free(s);
}

struct reader_arg {
	struct sample_store *s;
	int stop; /* atomic */
	int monotonic;
	uint64_t last;
};

static void *reader(void *p)
{
	struct reader_arg *a = p;
	struct sample buf[64];

	a->monotonic = 1;
	while (!__atomic_load_n(&a->stop, __ATOMIC_ACQUIRE)) {
		uint64_t q = samples_seq(a->s);

		if (q < a->last)
			a->monotonic = 0;
		a->last = q;
		samples_query(a->s, q * TICK / 8, q * TICK / 8 + TICK, buf, 64);
	}
	return NULL;
}

/* An hour of 8 jobs at 100 ms, a reader polling concurrently. */
static void test_hour_of_8_jobs(void **state)
{
	struct sample_store *s = samples_new();
	const unsigned jobs = 8;
	const uint64_t ticks = 36000;
	uint64_t want_ios[8] = { 0 }, bytes_new = samples_bytes(s);
	struct sample *out = calloc(4096, sizeof(*out));
	struct reader_arg ra = { s, 0, 0, 0 };
	pthread_t th;
	size_t bytes;

	(void)state;
	assert_non_null(out);
	assert_int_equal(pthread_create(&th, NULL, reader, &ra), 0);
	for (uint64_t t = 0; t < ticks; t++)
		for (unsigned j = 0; j < jobs; j++) {
			struct sample x = mk(j, t, (t * 7 + j) % 50);

			want_ios[j] += x.dir[0].ios;
			samples_append(s, &x);
		}
	__atomic_store_n(&ra.stop, 1, __ATOMIC_RELEASE);
	pthread_join(th, NULL);
	assert_true(ra.monotonic);
	assert_int_equal(samples_seq(s), jobs * ticks);
	assert_int_equal(samples_dropped(s), 0);

	bytes = samples_bytes(s);
	print_message("store %zu B empty, %zu B after an hour of 8 jobs at 100 ms\n",
		      (size_t)bytes_new, bytes);
	assert_true(bytes <= HOUR_BUDGET_BYTES);
	if (sizeof(void *) == 8 && sizeof(long) == 8)
		assert_int_equal(bytes, HOUR_8JOBS_100MS_BYTES);

	for (unsigned j = 0; j < jobs; j++) {
		size_t n = samples_range(s, j, 0, UINT64_MAX, out, 4096);
		uint64_t ios = 0, ios1 = 0;
		unsigned lv[4] = { 0 };

		assert_true(n <= 4096);
		/* time order, contiguous from 0 to the end, totals exact */
		assert_int_equal(out[0].t_start, 0);
		assert_int_equal(out[n - 1].t_end, ticks * TICK);
		for (size_t i = 0; i < n; i++) {
			if (i)
				assert_int_equal(out[i].t_start, out[i - 1].t_end);
			assert_true(out[i].level < 4);
			lv[out[i].level]++;
			ios += out[i].dir[0].ios;
			ios1 += out[i].dir[1].ios;
		}
		assert_int_equal(ios, want_ios[j]);
		(void)ios1;
		if (j == 0)
			print_message("job 0: %zu samples: level0 %u, level1 %u, level2 %u, level3 %u\n",
				      n, lv[0], lv[1], lv[2], lv[3]);
		assert_int_equal(lv[3], 0);
		assert_true(lv[0] > SAMPLES_LEVEL_CAP - SAMPLES_MERGE && lv[0] <= SAMPLES_LEVEL_CAP);
		assert_true(lv[1] > SAMPLES_LEVEL_CAP - SAMPLES_MERGE && lv[1] <= SAMPLES_LEVEL_CAP);
		/* what samples.c's comment works out: 512 + 508 + 491 */
		assert_int_equal(lv[0], 512);
		assert_int_equal(lv[1], 508);
		assert_int_equal(lv[2], 491);
	}

	/* every instant is still covered: one sample per job strictly inside */
	for (uint64_t k = 0; k < 200; k++) {
		uint64_t t = (k * 179 % ticks) * TICK + TICK / 2;
		size_t n = samples_query(s, t, t, out, 64);

		assert_int_equal(n, jobs);
		for (unsigned j = 0; j < jobs; j++) {
			assert_int_equal(out[j].job, j);
			assert_true(out[j].t_start <= t && out[j].t_end >= t);
		}
	}
	/* a wide query agrees with the ranges */
	{
		size_t total = samples_query(s, 0, UINT64_MAX, NULL, 0), sum = 0;

		for (unsigned j = 0; j < jobs; j++)
			sum += samples_range(s, j, 0, UINT64_MAX, NULL, 0);
		assert_int_equal(total, sum);
	}
	samples_clear(s);
	assert_int_equal(samples_bytes(s), bytes_new);
	samples_free(s);
	free(out);
}

/* ---- heat-map histograms ------------------------------------------------ */

#define HEAT_TICKS 5000 /* past 4608: three levels */
#define HEAT_IOS 50     /* reads a tick; writes: HEAT_IOS / 10 */

/* The @i-th read latency of tick @t: two modes, 100 us and 5 ms, 9:1, each
 * spread +-4% by a hash so neighbouring buckets get some too. */
static uint64_t heat_lat(uint64_t t, unsigned i)
{
	uint64_t x = (t * 2654435761u + i * 40503u) % 801;
	uint64_t base = i % 10 == 9 ? 5000000 : 100000;

	return base - base / 25 + base * x / 10000;
}

/* Heat bucket of @v found by scanning the bucket bounds, not hist_index. */
static unsigned brute_bucket(uint64_t v)
{
	unsigned b = 0;

	while (b + 1 < SAMPLES_HEAT_NR && samples_heat_low(b + 1) <= v)
		b++;
	return b;
}

static void test_heat_bimodal(void **state)
{
	struct sample_store *s = samples_new();
	struct hist *h = calloc(2, sizeof(*h));
	struct sample *out = calloc(2048, sizeof(*out));
	uint64_t heat[SAMPLES_HEAT_NR], want[SAMPLES_HEAT_NR];
	uint64_t low = 0, high = 0, all = 0;
	unsigned levels_seen = 0;
	size_t n;

	(void)state;
	assert_non_null(h);
	assert_non_null(out);
	/* the buckets the issue asks for: 100 us and 120 us apart, 100 ns and
	 * 10 s inside the range, not clamped into the last bucket */
	assert_true(samples_heat_index(100000) != samples_heat_index(120000));
	assert_true(samples_heat_index(100) != samples_heat_index(120));
	assert_true(samples_heat_index(10000000000ULL) < SAMPLES_HEAT_NR - 1);
	for (unsigned b = 0; b + 1 < SAMPLES_HEAT_NR; b++)
		assert_true(samples_heat_low(b) < samples_heat_low(b + 1));
	for (uint64_t v = 1; v < 20000000000ULL; v = v * 3 + 1)
		assert_int_equal(samples_heat_index(v), brute_bucket(v));

	for (uint64_t t = 0; t < HEAT_TICKS; t++) {
		struct sample x = mk(5, t, HEAT_IOS);
		const struct hist *lat[DDIR_RWDIR_CNT] = { &h[0], &h[1], NULL };

		hist_reset(&h[0]);
		hist_reset(&h[1]);
		for (unsigned i = 0; i < HEAT_IOS; i++)
			hist_add(&h[0], heat_lat(t, i));
		for (unsigned i = 0; i < HEAT_IOS / 10; i++)
			hist_add(&h[1], 5000000);
		x.dir[1].ios = HEAT_IOS / 10;
		samples_append_hist(s, &x, lat);
	}

	/* every sample kept, at every level, against a brute-force count of the
	 * latencies of the ticks it covers */
	n = samples_range(s, 5, 0, UINT64_MAX, out, 2048);
	assert_true(n < 2048);
	for (size_t k = 0; k < n; k++) {
		uint64_t t0 = out[k].t_start / TICK, t1 = out[k].t_end / TICK, sum = 0;

		levels_seen |= 1u << out[k].level;
		memset(want, 0, sizeof(want));
		for (uint64_t t = t0; t < t1; t++)
			for (unsigned i = 0; i < HEAT_IOS; i++)
				want[brute_bucket(heat_lat(t, i))]++;
		memset(heat, 0, sizeof(heat));
		/* strictly inside: the neighbours share the closed ends */
		assert_int_equal(samples_heat(s, 5, out[k].t_start + 1, out[k].t_end - 1,
					      1u << DDIR_READ, heat), 1);
		for (unsigned b = 0; b < SAMPLES_HEAT_NR; b++) {
			assert_int_equal(heat[b], want[b]);
			sum += heat[b];
			if (samples_heat_low(b) < 1000000)
				low += heat[b];
			else
				high += heat[b];
		}
		assert_int_equal(sum, out[k].dir[0].ios);
		all += sum;
		/* writes kept apart: all of them in the 5 ms bucket */
		memset(heat, 0, sizeof(heat));
		samples_heat(s, 5, out[k].t_start + 1, out[k].t_end - 1, 1u << DDIR_WRITE, heat);
		assert_int_equal(heat[samples_heat_index(5000000)], out[k].dir[1].ios);
	}
	assert_int_equal(levels_seen, 0x7); /* levels 0, 1 and 2 checked */
	assert_int_equal(all, (uint64_t)HEAT_TICKS * HEAT_IOS);
	assert_int_equal(low, all / 10 * 9);
	assert_int_equal(high, all / 10);

	/* a column over many samples sums them; both directions at once */
	memset(heat, 0, sizeof(heat));
	n = samples_heat(s, 5, 0, UINT64_MAX, (1u << DDIR_READ) | (1u << DDIR_WRITE), heat);
	assert_true(n > 0);
	{
		uint64_t sum = 0;

		for (unsigned b = 0; b < SAMPLES_HEAT_NR; b++)
			sum += heat[b];
		assert_int_equal(sum, (uint64_t)HEAT_TICKS * (HEAT_IOS + HEAT_IOS / 10));
	}
	samples_clear(s);
	free(out);
	free(h);
	samples_free(s);
}

static void test_disk_util(void **state)
{
	struct sample_store *s = samples_new();
	struct disk_util d[2], out[4];

	(void)state;
	memset(d, 0, sizeof(d));
	snprintf(d[0].name, sizeof(d[0].name), "vda");
	d[0].read_ios = 42;
	d[0].util = 12.5;
	snprintf(d[1].name, sizeof(d[1].name), "dm-0");
	assert_int_equal(samples_disk_util(s, out, 4), 0);
	samples_set_disk_util(s, d, 2);
	assert_int_equal(samples_disk_util(s, out, 4), 2);
	assert_string_equal(out[0].name, "vda");
	assert_int_equal(out[0].read_ios, 42);
	assert_string_equal(out[1].name, "dm-0");
	assert_int_equal(samples_disk_util(s, out, 1), 2);
	samples_clear(s);
	assert_int_equal(samples_disk_util(s, out, 4), 0);
	samples_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_marks),
		cmocka_unit_test(test_merge_math),
		cmocka_unit_test(test_hour_of_8_jobs),
		cmocka_unit_test(test_disk_util),
		cmocka_unit_test(test_heat_bimodal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
