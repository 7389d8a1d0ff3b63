/* Diagnose: the analysis on recorded step figures (each finding from the
 * figures that should raise it, and none on a healthy set), the reports, and
 * short real runs on scratch files. The device guard it uses is tested in
 * test_devguard.c. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "backend/diagnose.h"

static const char *tmpdir(void)
{
	const char *t = getenv("TEST_TMP");

	if (!t || !*t)
		t = getenv("TMPDIR");
	return t && *t ? t : "/tmp";
}

/* ---- recorded figures ---- */

struct fig {
	double iops, bw, p50, p99, p999, max, util;
};

/* A fast, healthy NVMe-like device. */
static const struct fig healthy[DIAG_STEP_NR] = {
	[DIAG_RANDREAD_QD1] = { 11000, 11000 * 4096.0, 85, 140, 260, 900, 97 },
	[DIAG_RANDREAD_QD32] = { 260000, 260000 * 4096.0, 120, 210, 380, 1500, 100 },
	[DIAG_SEQREAD_1M] = { 2600, 2600 * 1048576.0, 3000, 3900, 4500, 6000, 100 },
	[DIAG_SEQWRITE_1M] = { 1900, 1900 * 1048576.0, 4100, 5200, 6100, 8000, 100 },
	[DIAG_SYNCWRITE_4K] = { 28000, 28000 * 4096.0, 6, 12, 30, 400, 80 },
	[DIAG_BUFWRITE_4K] = { 240000, 240000 * 4096.0, 3, 6, 15, 300, 20 },
	[DIAG_MIXED_7030] = { 150000, 150000 * 4096.0, 95, 220, 450, 1800, 100 },
};

/* Fill step @k with @f and 80 points of 0.1 s whose latencies sit at the
 * step's percentiles (no spike). */
static void set_step(struct diagnose_result *r, enum diag_step_kind k, const struct fig *f)
{
	struct diagnose_step *s = &r->steps[k];

	s->status = DIAG_DONE;
	s->runtime_s = 8;
	s->iops = f->iops;
	s->bw_bytes = f->bw;
	s->lat_p50_us = f->p50;
	s->lat_mean_us = f->p50 * 1.1;
	s->lat_p99_us = f->p99;
	s->lat_p999_us = f->p999;
	s->lat_max_us = f->max;
	s->util = f->util;
	s->await_ms = f->p50 / 1000.0;
	s->depth = s->iodepth;
	if (s->writes)
		s->write_iops = f->iops;
	else
		s->read_iops = f->iops;
	if (k == DIAG_SYNCWRITE_4K) {
		s->syncs = (uint64_t)(f->iops * 8);
		s->sync_mean_us = 1e6 / f->iops - f->p50;
		s->sync_max_us = f->max;
	}
	s->nr_points = 80;
	for (unsigned i = 0; i < 80; i++) {
		struct diagnose_point *p = &s->points[i];

		p->t_s = 0.1 * i + 0.1;
		p->dur_s = 0.1;
		p->iops = f->iops;
		p->ios = f->iops / 10;
		p->lat_p50_us = f->p50;
		p->lat_p99_us = f->p99;
		p->lat_p999_us = f->p999;
		p->lat_max_us = f->p999 * 1.5;
		p->util = f->util;
		p->await_ms = s->await_ms;
	}
}

static struct diagnose_result *recorded(void)
{
	struct diagnose_result *r = calloc(1, sizeof(*r));

	assert_non_null(r);
	diagnose_result_init(r, "/dev/nvme0n1");
	snprintf(r->kind, sizeof(r->kind), "device");
	snprintf(r->device, sizeof(r->device), "nvme0n1");
	snprintf(r->ioengine, sizeof(r->ioengine), "libaio");
	r->size = 1ULL << 30;
	r->runtime_s = 8;
	r->direct = true;
	r->dev_stats = true;
	for (unsigned k = 0; k < DIAG_STEP_NR; k++)
		set_step(r, k, &healthy[k]);
	return r;
}

static const struct diagnose_finding *find(const struct diagnose_finding *v, unsigned n,
					   const char *code)
{
	for (unsigned i = 0; i < n; i++)
		if (!strcmp(v[i].code, code))
			return &v[i];
	return NULL;
}

static unsigned alarms(const struct diagnose_result *r)
{
	unsigned n = 0;

	for (unsigned i = 0; i < r->nr_findings; i++)
		n += r->findings[i].severity >= DIAG_WARN;
	return n;
}

static void test_step_table(void **state)
{
	struct diagnose_result *r = calloc(1, sizeof(*r));
	unsigned writes = 0;

	(void)state;
	diagnose_result_init(r, "x");
	for (unsigned k = 0; k < DIAG_STEP_NR; k++) {
		assert_int_equal(r->steps[k].kind, k);
		assert_non_null(r->steps[k].name);
		assert_non_null(r->steps[k].title);
		assert_int_equal(r->steps[k].status, DIAG_NOT_RUN);
		assert_true(r->steps[k].util < 0);
		writes += r->steps[k].writes;
	}
	assert_true(DIAG_STEP_NR >= 5);
	assert_int_equal(r->steps[DIAG_RANDREAD_QD1].iodepth, 1);
	assert_int_equal(r->steps[DIAG_RANDREAD_QD32].iodepth, 32);
	assert_true(r->steps[DIAG_SYNCWRITE_4K].fdatasync);
	assert_false(r->steps[DIAG_BUFWRITE_4K].fdatasync);
	assert_false(r->steps[DIAG_RANDREAD_QD1].writes);
	assert_int_equal(writes, 4);
	free(r);
}

static void test_healthy(void **state)
{
	struct diagnose_result *r = recorded();
	const struct diagnose_finding *f;

	(void)state;
	diagnose_analyse(r);
	for (unsigned i = 0; i < r->nr_findings; i++)
		if (r->findings[i].severity >= DIAG_WARN)
			print_error("unexpected: %s: %s\n", r->findings[i].code, r->findings[i].text);
	assert_int_equal(alarms(r), 0);
	f = find(r->findings, r->nr_findings, "healthy");
	assert_non_null(f);
	assert_non_null(strstr(f->text, "No problem found"));
	assert_non_null(strstr(f->text, "260k IOPS"));
	for (unsigned k = 0; k < DIAG_STEP_NR; k++) {
		assert_int_equal(r->steps[k].nr_spikes, 0);
		assert_int_equal(r->steps[k].nr_findings, 0);
	}
	/* analysis is repeatable: a second pass gives the same list */
	{
		unsigned n = r->nr_findings;

		diagnose_analyse(r);
		assert_int_equal(r->nr_findings, n);
	}
	free(r);
}

/* p99.9 25x p99 with two bad intervals: the tail finding with both times. */
static void test_tail_spikes_with_times(void **state)
{
	struct diagnose_result *r = recorded();
	struct diagnose_step *s = &r->steps[DIAG_RANDREAD_QD1];
	const struct diagnose_finding *f;

	(void)state;
	s->lat_p999_us = 5000;
	s->lat_max_us = 42000;
	s->points[31].lat_max_us = 42000; /* t=3.2s */
	s->points[31].lat_p999_us = 30000;
	s->points[74].lat_max_us = 18000; /* t=7.5s */
	diagnose_analyse(r);
	assert_int_equal(s->nr_spikes, 2);
	assert_float_equal(s->spike_t[0], 3.2, 0.01);
	assert_float_equal(s->spike_t[1], 7.5, 0.01);
	f = find(s->findings, s->nr_findings, "tail_latency");
	assert_non_null(f);
	assert_int_equal(f->severity, DIAG_WARN);
	assert_non_null(strstr(f->text, "t=3.2s, 7.5s"));
	assert_non_null(strstr(f->text, "randread-4k-qd1"));
	assert_non_null(strstr(f->text, "42.0 ms"));
	f = find(r->findings, r->nr_findings, "tail_latency");
	assert_non_null(f);
	assert_int_equal(f->step, DIAG_RANDREAD_QD1);
	assert_null(find(r->findings, r->nr_findings, "healthy"));
	free(r);
}

/* A high p99.9 without bunched spikes is still a tail, "spread through". */
static void test_tail_spread(void **state)
{
	struct diagnose_result *r = recorded();
	const struct diagnose_finding *f;

	(void)state;
	r->steps[DIAG_MIXED_7030].lat_p999_us = 4000;
	diagnose_analyse(r);
	f = find(r->steps[DIAG_MIXED_7030].findings, r->steps[DIAG_MIXED_7030].nr_findings,
		 "tail_latency");
	assert_non_null(f);
	assert_non_null(strstr(f->text, "spread through the run"));
	free(r);
}

/* An interval where nothing completed in the middle of a step: a stall. */
static void test_stall(void **state)
{
	struct diagnose_result *r = recorded();
	struct diagnose_step *s = &r->steps[DIAG_SEQREAD_1M];
	const struct diagnose_finding *f;

	(void)state;
	s->points[50].ios = 0;
	s->points[50].iops = 0;
	s->points[50].lat_p50_us = s->points[50].lat_p99_us = 0;
	s->points[50].lat_p999_us = s->points[50].lat_max_us = 0;
	diagnose_analyse(r);
	f = find(s->findings, s->nr_findings, "latency_stall");
	assert_non_null(f);
	assert_non_null(strstr(f->text, "t=5.1s"));
	free(r);
}

/* One rare 5 ms spike on a 140 us device, p99.9 unaffected: noted, not an
 * alarm. Spikes in most intervals are reported as a count, not a list. */
static void test_spikes_rare_and_spread(void **state)
{
	struct diagnose_result *r = recorded();
	struct diagnose_step *s = &r->steps[DIAG_RANDREAD_QD1];
	const struct diagnose_finding *f;

	(void)state;
	s->points[12].lat_max_us = 5000; /* t=1.3s */
	diagnose_analyse(r);
	f = find(s->findings, s->nr_findings, "latency_stall");
	assert_non_null(f);
	assert_int_equal(f->severity, DIAG_INFO);
	assert_non_null(strstr(f->text, "t=1.3s"));
	assert_int_equal(alarms(r), 0);
	free(r);

	r = recorded();
	s = &r->steps[DIAG_RANDREAD_QD1];
	for (unsigned i = 1; i <= 60; i++) /* the first interval is start-up: not counted */
		s->points[i].lat_max_us = 150000;
	diagnose_analyse(r);
	f = find(s->findings, s->nr_findings, "latency_stall");
	assert_non_null(f);
	assert_int_equal(f->severity, DIAG_WARN); /* 150 ms is bad on its own */
	assert_non_null(strstr(f->text, "60 of the 80 sampling intervals"));
	assert_int_equal(s->nr_spikes, DIAG_MAX_SPIKES);
	free(r);
}

/* No completion in an interval of a slow step (1 s I/Os) is no stall. */
static void test_slow_is_not_stall(void **state)
{
	struct diagnose_result *r = recorded();
	struct diagnose_step *s = &r->steps[DIAG_SEQWRITE_1M];
	struct fig slow = { 8, 8 * 1048576.0, 900000, 1400000, 1500000, 1600000, 40 };

	(void)state;
	set_step(r, DIAG_SEQWRITE_1M, &slow);
	for (unsigned i = 1; i < 79; i += 2)
		s->points[i].ios = 0;
	diagnose_analyse(r);
	assert_null(find(s->findings, s->nr_findings, "latency_stall"));
	free(r);
}

/* The first and last intervals may be partial: an empty one is no stall. */
static void test_no_stall_at_edges(void **state)
{
	struct diagnose_result *r = recorded();
	struct diagnose_step *s = &r->steps[DIAG_SEQREAD_1M];

	(void)state;
	s->points[0].ios = 0;
	s->points[79].ios = 0;
	diagnose_analyse(r);
	assert_int_equal(s->nr_spikes, 0);
	assert_int_equal(alarms(r), 0);
	free(r);
}

/* Sync writes 50x slower than buffered, 667 us a commit: the slow-commit
 * finding (a consumer SSD without power-loss protection looks like this). */
static void test_write_cache(void **state)
{
	struct diagnose_result *r = recorded();
	struct fig sync = { 1500, 1500 * 4096.0, 6, 12, 30, 400, 99 };
	struct fig buf = { 75000, 75000 * 4096.0, 3, 6, 15, 300, 20 };
	const struct diagnose_finding *f;

	(void)state;
	set_step(r, DIAG_SYNCWRITE_4K, &sync);
	set_step(r, DIAG_BUFWRITE_4K, &buf);
	diagnose_analyse(r);
	f = find(r->findings, r->nr_findings, "slow_commit");
	assert_non_null(f);
	assert_int_equal(f->severity, DIAG_WARN);
	assert_int_equal(f->step, DIAG_SYNCWRITE_4K);
	assert_non_null(strstr(f->text, "50x fewer"));
	assert_non_null(strstr(f->text, "commits only 1500 times a second"));
	assert_non_null(strstr(f->text, "667 us"));
	assert_non_null(strstr(f->text, "/sys/block/nvme0n1/queue/write_cache"));
	assert_non_null(find(r->steps[DIAG_SYNCWRITE_4K].findings,
			     r->steps[DIAG_SYNCWRITE_4K].nr_findings, "slow_commit"));
	assert_null(find(r->findings, r->nr_findings, "healthy"));
	free(r);
}

static void test_write_cache_table(void **state)
{
	static const struct {
		double sync_iops, buf_iops;
		bool finding;
	} cases[] = {
		{ 28000, 240000, false }, /* 8.6x: a device with a protected cache */
		{ 12000, 240000, false }, /* 20x but 83 us a commit: fast flushes */
		{ 3000, 240000, true },   /* 80x, 333 us a commit */
		{ 2600, 50000, false },   /* 385 us a commit but only 19x */
		{ 2500, 50000, true },    /* 20x, 400 us */
		{ 150, 240000, true },    /* a spinning disk */
		{ 0, 240000, false },     /* no sync figure: say nothing */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct diagnose_result *r = recorded();

		r->steps[DIAG_SYNCWRITE_4K].iops = cases[i].sync_iops;
		r->steps[DIAG_BUFWRITE_4K].iops = cases[i].buf_iops;
		diagnose_analyse(r);
		assert_int_equal(find(r->findings, r->nr_findings, "slow_commit") != NULL,
				 cases[i].finding);
		free(r);
	}
}

/* QD32 IOPS equal to QD1 IOPS: a bottleneck above the device. */
static void test_qd_bottleneck(void **state)
{
	struct diagnose_result *r = recorded();
	struct fig q1 = { 5000, 5000 * 4096.0, 195, 260, 400, 900, 99 };
	struct fig q32 = { 5000, 5000 * 4096.0, 6300, 6900, 7600, 9000, 100 };
	const struct diagnose_finding *f;

	(void)state;
	set_step(r, DIAG_RANDREAD_QD1, &q1);
	set_step(r, DIAG_RANDREAD_QD32, &q32);
	diagnose_analyse(r);
	f = find(r->findings, r->nr_findings, "qd_bottleneck");
	assert_non_null(f);
	assert_int_equal(f->step, DIAG_RANDREAD_QD32);
	assert_non_null(strstr(f->text, "1.0x"));
	assert_non_null(strstr(f->text, "serializes"));
	/* not the device: util is high but IOPS are not low */
	assert_null(find(r->findings, r->nr_findings, "device_saturated"));
	free(r);
}

static void test_qd_bottleneck_table(void **state)
{
	static const struct {
		double q1_iops, q1_p50, q32_iops, q32_depth;
		bool direct, finding;
		const char *says;
	} cases[] = {
		{ 5000, 195, 5000, 32, true, true, "serializes" },
		{ 5000, 195, 9500, 32, true, true, NULL },  /* 1.9x */
		{ 5000, 195, 10000, 32, true, false, NULL }, /* 2x is enough */
		{ 5000, 195, 5000, 3.5, true, true, "could not keep the queue full" },
		{ 5000, 195, 5000, 32, false, false, NULL }, /* page cache: no verdict */
		{ 400000, 2, 420000, 32, true, false, NULL }, /* memory-speed */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct diagnose_result *r = recorded();
		const struct diagnose_finding *f;

		r->steps[DIAG_RANDREAD_QD1].iops = cases[i].q1_iops;
		r->steps[DIAG_RANDREAD_QD1].lat_p50_us = cases[i].q1_p50;
		r->steps[DIAG_RANDREAD_QD32].iops = cases[i].q32_iops;
		r->steps[DIAG_RANDREAD_QD32].depth = cases[i].q32_depth;
		r->direct = cases[i].direct;
		diagnose_analyse(r);
		f = find(r->findings, r->nr_findings, "qd_bottleneck");
		assert_int_equal(f != NULL, cases[i].finding);
		if (cases[i].says)
			assert_non_null(strstr(f->text, cases[i].says));
		free(r);
	}
}

/* Util 100% at 150 IOPS with a full queue: the device itself is slow. */
static void test_device_saturated(void **state)
{
	struct diagnose_result *r = recorded();
	struct fig q1 = { 110, 110 * 4096.0, 8800, 16000, 21000, 30000, 100 };
	struct fig q32 = { 150, 150 * 4096.0, 200000, 320000, 400000, 450000, 100 };
	const struct diagnose_finding *f;

	(void)state;
	set_step(r, DIAG_RANDREAD_QD1, &q1);
	set_step(r, DIAG_RANDREAD_QD32, &q32);
	r->steps[DIAG_RANDREAD_QD32].await_ms = 210;
	diagnose_analyse(r);
	f = find(r->findings, r->nr_findings, "device_saturated");
	assert_non_null(f);
	assert_int_equal(f->severity, DIAG_ALERT);
	assert_non_null(strstr(f->text, "150 IOPS"));
	assert_non_null(strstr(f->text, "100%"));
	assert_non_null(strstr(f->text, "await 210.0 ms"));
	/* the most severe finding comes first */
	assert_string_equal(r->findings[0].code, "device_saturated");
	assert_non_null(find(r->steps[DIAG_RANDREAD_QD32].findings,
			     r->steps[DIAG_RANDREAD_QD32].nr_findings, "device_saturated"));
	/* the device is the limit: no "bottleneck above the device" as well */
	assert_null(find(r->findings, r->nr_findings, "qd_bottleneck"));
	/* QD1 at 100% util is normal (one I/O always in flight): no finding there */
	assert_null(find(r->steps[DIAG_RANDREAD_QD1].findings,
			 r->steps[DIAG_RANDREAD_QD1].nr_findings, "device_saturated"));
	assert_null(find(r->findings, r->nr_findings, "healthy"));
	free(r);
}

/* The case that opened issue 14: a blkio throttle of 200 IOPS. IOPS flat
 * from QD1 to QD32, p99 ~100 ms everywhere, device util 0-5%, and at QD1 a
 * p50 of 4.3 us (the throttle lets each slice's first I/O through at once).
 * The limit finding, with its evidence; not memory, not "no problem", not
 * the write cache. */
static void throttled(struct diagnose_result *r, bool writes)
{
	struct fig q1 = { 200, 200 * 4096.0, 4.3, 99000, 104100, 104100, 1 };
	struct fig q32 = { 205, 205 * 4096.0, 160000, 300000, 301000, 301000, 2 };
	struct fig sq = { 105, 105 * 1048576.0, 97000, 110000, 110000, 110000, 3 };
	struct fig sw = { 190, 190 * 1048576.0, 40000, 105000, 106000, 106000, 5 };
	struct fig sy = { 100, 100 * 4096.0, 9970, 104000, 104000, 104000, 4 };
	struct fig bu = { 180000, 180000 * 4096.0, 3, 6, 15, 300, 5 };
	struct fig mx = { 400, 400 * 4096.0, 40000, 100000, 101000, 101000, 4 };

	set_step(r, DIAG_RANDREAD_QD1, &q1);
	set_step(r, DIAG_RANDREAD_QD32, &q32);
	set_step(r, DIAG_SEQREAD_1M, &sq);
	r->steps[DIAG_RANDREAD_QD1].lat_mean_us = 1e6 / 200;
	r->steps[DIAG_RANDREAD_QD32].lat_mean_us = 32e6 / 205;
	for (unsigned k = 0; k < DIAG_STEP_NR; k++) {
		r->steps[k].await_ms = 0.05;
		r->steps[k].dev_depth = 0.02;
	}
	if (writes) {
		set_step(r, DIAG_SEQWRITE_1M, &sw);
		set_step(r, DIAG_SYNCWRITE_4K, &sy);
		set_step(r, DIAG_BUFWRITE_4K, &bu);
		set_step(r, DIAG_MIXED_7030, &mx);
		r->steps[DIAG_SYNCWRITE_4K].sync_mean_us = 9970;
	} else {
		for (unsigned k = 0; k < DIAG_STEP_NR; k++)
			if (r->steps[k].writes) {
				r->steps[k].status = DIAG_SKIPPED;
				r->steps[k].runtime_s = 0;
			}
	}
	for (unsigned k = 0; k < DIAG_STEP_NR; k++)
		r->steps[k].await_ms = 0.05;
}

static void test_throttle_limit(void **state)
{
	(void)state;
	for (int writes = 0; writes <= 1; writes++) {
		struct diagnose_result *r = recorded();
		const struct diagnose_finding *f;

		throttled(r, writes);
		diagnose_analyse(r);
		f = find(r->findings, r->nr_findings, "iops_limit");
		assert_non_null(f);
		assert_int_equal(f->severity, DIAG_WARN);
		assert_string_equal(r->findings[0].code, "iops_limit");
		assert_true(f->nr_fig >= 3);
		assert_string_equal(f->fig[0].name, "cap_iops");
		assert_float_equal(f->fig[0].value, 205, 0.01);
		{
			const char *t = f->text;

			assert_non_null(strstr(t, "205 IOPS"));
			assert_non_null(strstr(t, "busy only 2%"));
			assert_non_null(strstr(t, "Little's law"));
			assert_non_null(strstr(t, "not memory"));
			assert_non_null(strstr(t, "5.00 ms per I/O"));
		}
		assert_null(find(r->findings, r->nr_findings, "from_memory"));
		assert_null(find(r->findings, r->nr_findings, "healthy"));
		assert_null(find(r->findings, r->nr_findings, "qd_bottleneck"));
		f = find(r->findings, r->nr_findings, "slow_commit");
		if (writes) {
			/* commits are slow, and the limit is named as the cause */
			assert_non_null(f);
			assert_non_null(strstr(f->text, "limit above the device"));
			assert_null(strstr(f->text, "write cache"));
		}
		free(r);
	}
}

/* Stalls of 300 ms every 2 s in three steps, with lesser spikes running
 * into them: periodic stalls, their period and length measured, the
 * per-step spike findings folded into it. */
static void test_periodic_stall(void **state)
{
	static const enum diag_step_kind k3[] = { DIAG_RANDREAD_QD1, DIAG_RANDREAD_QD32,
						  DIAG_SEQREAD_1M };
	struct diagnose_result *r = recorded();
	const struct diagnose_finding *f;

	(void)state;
	for (unsigned i = 0; i < 3; i++) {
		struct diagnose_step *s = &r->steps[k3[i]];

		for (unsigned at = 12 + i; at < 80; at += 20) {
			/* nothing completes for two intervals, then the held I/O */
			s->points[at].ios = 0;
			s->points[at + 1].ios = 0;
			s->points[at + 2].lat_max_us = 300000;
			/* noise before it: 5 ms spikes in the six intervals leading
			 * up (merged with the stall they once made one long event) */
			for (unsigned b = 1; b <= 6; b++)
				s->points[at - b].lat_max_us = 5000;
		}
	}
	diagnose_analyse(r);
	f = find(r->findings, r->nr_findings, "periodic_stall");
	assert_non_null(f);
	assert_string_equal(f->fig[0].name, "period_s");
	assert_float_equal(f->fig[0].value, 2.0, 0.2);
	assert_string_equal(f->fig[1].name, "stall_ms");
	assert_float_equal(f->fig[1].value, 300, 60);
	assert_null(find(r->findings, r->nr_findings, "latency_stall"));
	assert_null(find(r->findings, r->nr_findings, "healthy"));
	free(r);

	/* one stall is no rhythm */
	r = recorded();
	r->steps[DIAG_RANDREAD_QD1].points[40].ios = 0;
	r->steps[DIAG_RANDREAD_QD1].points[41].lat_max_us = 300000;
	diagnose_analyse(r);
	assert_null(find(r->findings, r->nr_findings, "periodic_stall"));
	assert_non_null(find(r->findings, r->nr_findings, "latency_stall"));
	free(r);
}

/* A p99 beyond what the class allows never stands under "no problem". */
static void test_class_guard(void **state)
{
	struct diagnose_result *r = recorded();
	const struct diagnose_finding *f;

	(void)state;
	r->steps[DIAG_RANDREAD_QD1].lat_p99_us = 12000;
	r->steps[DIAG_RANDREAD_QD1].lat_p999_us = 14000;
	diagnose_analyse(r);
	f = find(r->findings, r->nr_findings, "slow_p99");
	assert_non_null(f);
	assert_int_equal(f->step, DIAG_RANDREAD_QD1);
	assert_null(find(r->findings, r->nr_findings, "healthy"));
	free(r);

	/* the same on a spinning disk is within its class */
	r = recorded();
	r->rotational = 1;
	r->steps[DIAG_RANDREAD_QD1].lat_p99_us = 12000;
	r->steps[DIAG_RANDREAD_QD1].lat_p999_us = 14000;
	diagnose_analyse(r);
	assert_null(find(r->findings, r->nr_findings, "slow_p99"));
	assert_non_null(find(r->findings, r->nr_findings, "healthy"));
	free(r);
}

/* Low util with the same low IOPS is not the device (and unknown util says
 * nothing). */
static void test_low_iops_not_busy(void **state)
{
	struct diagnose_result *r = recorded();
	struct fig q32 = { 150, 150 * 4096.0, 6000, 9000, 12000, 15000, 12 };

	(void)state;
	set_step(r, DIAG_RANDREAD_QD32, &q32);
	diagnose_analyse(r);
	assert_null(find(r->findings, r->nr_findings, "device_saturated"));
	free(r);
}

static void test_context_findings(void **state)
{
	struct diagnose_result *r = recorded();
	const struct diagnose_finding *f;

	(void)state;
	snprintf(r->write_block, sizeof(r->write_block), "pass --allow-write to run them");
	for (unsigned k = 0; k < DIAG_STEP_NR; k++)
		if (r->steps[k].writes) {
			r->steps[k].status = DIAG_SKIPPED;
			r->steps[k].runtime_s = 0;
		}
	r->dev_stats = false;
	for (unsigned k = 0; k < DIAG_STEP_NR; k++)
		r->steps[k].util = -1;
	diagnose_analyse(r);
	f = find(r->findings, r->nr_findings, "writes_skipped");
	assert_non_null(f);
	assert_non_null(strstr(f->text, "4 write steps were not run"));
	assert_non_null(find(r->findings, r->nr_findings, "no_device_stats"));
	assert_non_null(find(r->findings, r->nr_findings, "healthy"));
	assert_int_equal(alarms(r), 0);
	free(r);

	/* sub-5 us random reads at the IOPS that speed gives come from RAM:
	 * a warning that the figures say nothing of the device, never "healthy" */
	r = recorded();
	r->steps[DIAG_RANDREAD_QD1].lat_p50_us = 0.6;
	r->steps[DIAG_RANDREAD_QD1].iops = 600000;
	diagnose_analyse(r);
	f = find(r->findings, r->nr_findings, "from_memory");
	assert_non_null(f);
	assert_int_equal(f->severity, DIAG_WARN);
	{
		const char *t = f->text;

		assert_non_null(strstr(t, "0.6 us"));
		assert_non_null(strstr(t, "memory, not the device"));
	}
	assert_null(find(r->findings, r->nr_findings, "healthy"));
	free(r);

	/* the same p50 at 11k IOPS is no memory: 1/IOPS is 90 us an I/O */
	r = recorded();
	r->steps[DIAG_RANDREAD_QD1].lat_p50_us = 0.6;
	diagnose_analyse(r);
	assert_null(find(r->findings, r->nr_findings, "from_memory"));
	free(r);

	r = recorded();
	r->steps[DIAG_SEQREAD_1M].status = DIAG_FAILED;
	snprintf(r->steps[DIAG_SEQREAD_1M].note, sizeof(r->steps[0].note),
		 "io_submit: Input/output error");
	diagnose_analyse(r);
	f = find(r->findings, r->nr_findings, "step_failed");
	assert_non_null(f);
	assert_non_null(strstr(f->text, "seqread-1m failed: io_submit: Input/output error"));
	assert_null(find(r->findings, r->nr_findings, "healthy"));
	free(r);
}

/* The report to take home: text and JSON named by host and time, 0600,
 * never over an older report (a second save in the same second gets -2),
 * never into a path that is not a directory. */
static void test_save(void **state)
{
	struct diagnose_result *r = recorded();
	char dir[512], path[4300], path2[4300], err[4600], want[600];
	struct stat st;
	FILE *f;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/iolab-diag-save.XXXXXX", tmpdir());
	assert_non_null(mkdtemp(dir));
	snprintf(r->host, sizeof(r->host), "db-7/east");
	r->when_s = 1700000000;
	diagnose_analyse(r);
	assert_int_equal(diagnose_save(r, dir, path, sizeof(path), err, sizeof(err)), 0);
	assert_non_null(strstr(path, "/iolab-diagnose-db-7_east-"));
	assert_int_equal(strcmp(path + strlen(path) - 4, ".txt"), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(want, sizeof(want), f));
	fclose(f);
	assert_non_null(strstr(want, "iolab diagnose: /dev/nvme0n1"));
	snprintf(want, sizeof(want), "%.*s.json", (int)(strlen(path) - 4), path);
	assert_int_equal(stat(want, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);

	/* the same second again: a new name, the first report untouched */
	assert_int_equal(diagnose_save(r, dir, path2, sizeof(path2), err, sizeof(err)), 0);
	assert_string_not_equal(path, path2);
	assert_non_null(strstr(path2, "-2.txt"));
	unlink(path);
	unlink(want);
	snprintf(want, sizeof(want), "%.*s.json", (int)(strlen(path2) - 4), path2);
	unlink(path2);
	unlink(want);

	/* a directory that is not there: refused, saying where */
	snprintf(path2, sizeof(path2), "%s/missing", dir);
	assert_int_equal(diagnose_save(r, path2, path, sizeof(path), err, sizeof(err)), -1);
	assert_non_null(strstr(err, "missing"));
	rmdir(dir);
	free(r);
}

static void test_reports(void **state)
{
	struct diagnose_result *r = recorded();
	char *buf = NULL, cmd[1200], path[512];
	size_t len = 0;
	FILE *f;

	(void)state;
	r->steps[DIAG_SYNCWRITE_4K].iops = 1500;
	diagnose_analyse(r);

	f = open_memstream(&buf, &len);
	diagnose_print_text(f, r);
	fclose(f);
	assert_non_null(strstr(buf, "iolab diagnose: /dev/nvme0n1"));
	assert_non_null(strstr(buf, "Findings:"));
	for (unsigned k = 0; k < DIAG_STEP_NR; k++)
		assert_non_null(strstr(buf, r->steps[k].name));
	assert_non_null(strstr(buf, "Commits are slow"));
	free(buf);

	buf = NULL;
	f = open_memstream(&buf, &len);
	diagnose_print_json(f, r);
	fclose(f);
	assert_non_null(strstr(buf, "\"diagnosis\""));
	assert_non_null(strstr(buf, "\"lat_p999_us\""));
	assert_non_null(strstr(buf, "\"slow_commit\""));
	assert_non_null(strstr(buf, "\"figures\" : {"));

	if (system("command -v python3 >/dev/null 2>&1")) {
		free(buf);
		free(r);
		return;
	}
	snprintf(path, sizeof(path), "%s/iolab-diag-test.json", tmpdir());
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(buf, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd),
		 "python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))[\"diagnosis\"]; "
		 "assert len(d[\"steps\"])==7; assert d[\"steps\"][0][\"name\"]==\"randread-4k-qd1\"; "
		 "assert d[\"steps\"][1][\"iops\"]==260000; "
		 "assert any(f[\"code\"]==\"slow_commit\" and f[\"figures\"][\"commits_per_s\"]==1500 "
		 "for f in d[\"findings\"])' '%s'", path);
	assert_int_equal(system(cmd), 0);
	unlink(path);
	free(buf);
	free(r);
}

/* ---- real runs on scratch files ---- */

struct seen {
	unsigned start, tick, done, skipped, prepare;
	unsigned with_be;
	int stop_after; /* stop the battery once this many steps are done; -1 never */
};

static int on_progress(const struct diagnose_progress *p, void *arg)
{
	struct seen *s = arg;

	switch (p->phase) {
	case DIAG_PHASE_PREPARE:
		s->prepare++;
		assert_null(p->step);
		break;
	case DIAG_PHASE_STEP_START:
		s->start++;
		assert_non_null(p->step);
		break;
	case DIAG_PHASE_TICK:
		s->tick++;
		break;
	case DIAG_PHASE_STEP_DONE:
		s->done++;
		break;
	case DIAG_PHASE_STEP_SKIPPED:
		s->skipped++;
		assert_null(p->be);
		break;
	}
	if (p->phase == DIAG_PHASE_STEP_START || p->phase == DIAG_PHASE_TICK ||
	    p->phase == DIAG_PHASE_STEP_DONE)
		s->with_be += p->be != NULL;
	assert_int_equal(p->count, DIAG_STEP_NR);
	return s->stop_after >= 0 && (int)s->done >= s->stop_after;
}

static void test_run_new_scratch(void **state)
{
	struct diagnose_result *r = calloc(1, sizeof(*r));
	struct seen seen = { .stop_after = -1 };
	struct diagnose_cfg cfg = { .runtime_s = 0.5, .size = 32 << 20, .tick_ms = 100,
				    .progress = on_progress, .progress_arg = &seen };
	char path[512], err[512] = "";
	unsigned done = 0;

	(void)state;
	snprintf(path, sizeof(path), "%s/iolab-diag-new.dat", tmpdir());
	unlink(path);
	cfg.target = path;
	if (diagnose_run(&cfg, r, err, sizeof(err)))
		print_error("diagnose_run: %s\n", err);
	assert_string_equal(err, "");
	assert_string_equal(r->kind, "scratch");
	assert_int_equal(r->size, 32 << 20);
	assert_string_equal(r->write_block, "");
	assert_true(access(path, F_OK) != 0); /* removed afterwards */
	for (unsigned k = 0; k < DIAG_STEP_NR; k++) {
		const struct diagnose_step *s = &r->steps[k];

		if (s->status != DIAG_DONE)
			print_error("%s: %d %s\n", s->name, s->status, s->note);
		done += s->status == DIAG_DONE;
		if (s->status == DIAG_DONE) {
			assert_true(s->iops > 0);
			assert_true(s->bw_bytes > 0);
			assert_true(s->lat_p50_us > 0);
			assert_true(s->lat_p99_us >= s->lat_p50_us);
			assert_true(s->runtime_s > 0.3 && s->runtime_s < 5);
		}
	}
	assert_int_equal(done, DIAG_STEP_NR);
	assert_true(r->steps[DIAG_SYNCWRITE_4K].syncs > 0);
	assert_true(r->nr_findings > 0);
	assert_int_equal(seen.start, DIAG_STEP_NR);
	assert_int_equal(seen.done, DIAG_STEP_NR);
	assert_true(seen.prepare >= 1);
	assert_int_equal(seen.with_be, seen.start + seen.tick + seen.done);
	free(r);
}

/* An existing file: read steps only, and its bytes are left alone. */
static void test_run_existing_file_read_only(void **state)
{
	struct diagnose_result *r = calloc(1, sizeof(*r));
	struct seen seen = { .stop_after = -1 };
	struct diagnose_cfg cfg = { .runtime_s = 0.3, .progress = on_progress,
				    .progress_arg = &seen };
	char path[512], err[512] = "";
	unsigned char *data = malloc(16 << 20), *back = malloc(16 << 20);
	FILE *f;

	(void)state;
	assert_non_null(data);
	assert_non_null(back);
	for (size_t i = 0; i < (16u << 20); i++)
		data[i] = (unsigned char)(i * 2654435761u >> 13);
	snprintf(path, sizeof(path), "%s/iolab-diag-existing.dat", tmpdir());
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, 16 << 20, f), 16 << 20);
	fclose(f);
	cfg.target = path;
	assert_int_equal(diagnose_run(&cfg, r, err, sizeof(err)), 0);
	assert_string_equal(r->kind, "file");
	assert_non_null(strstr(r->write_block, "--allow-write"));
	assert_int_equal(seen.skipped, 4);
	for (unsigned k = 0; k < DIAG_STEP_NR; k++)
		assert_int_equal(r->steps[k].status,
				 r->steps[k].writes ? DIAG_SKIPPED : DIAG_DONE);
	assert_non_null(find(r->findings, r->nr_findings, "writes_skipped"));
	f = fopen(path, "r");
	assert_non_null(f);
	assert_int_equal(fread(back, 1, 16 << 20, f), 16 << 20);
	fclose(f);
	assert_memory_equal(data, back, 16 << 20);
	unlink(path);
	free(data);
	free(back);
	free(r);
}

/* A progress callback that says stop: the battery ends, the rest not run. */
static void test_run_stop(void **state)
{
	struct diagnose_result *r = calloc(1, sizeof(*r));
	struct seen seen = { .stop_after = 2 };
	struct diagnose_cfg cfg = { .runtime_s = 0.3, .size = 16 << 20, .progress = on_progress,
				    .progress_arg = &seen };
	char path[512], err[512] = "";

	(void)state;
	snprintf(path, sizeof(path), "%s/iolab-diag-stop", tmpdir());
	mkdir(path, 0700);
	cfg.target = path; /* a directory: the scratch file goes inside */
	assert_int_equal(diagnose_run(&cfg, r, err, sizeof(err)), 0);
	/* a new name of its own (iolab-diagnose.XXXXXX.dat), never a fixed one */
	assert_non_null(strstr(r->target, "/iolab-diagnose."));
	assert_int_equal(strlen(strstr(r->target, "/iolab-diagnose.")),
			 strlen("/iolab-diagnose.XXXXXX.dat"));
	assert_true(r->interrupted);
	assert_int_equal(r->steps[0].status, DIAG_DONE);
	assert_int_equal(r->steps[1].status, DIAG_DONE);
	for (unsigned k = 2; k < DIAG_STEP_NR; k++)
		assert_int_equal(r->steps[k].status, DIAG_NOT_RUN);
	assert_non_null(find(r->findings, r->nr_findings, "interrupted"));
	assert_true(access(r->target, F_OK) != 0);
	rmdir(path);
	free(r);
}

static void test_run_bad_targets(void **state)
{
	struct diagnose_result *r = calloc(1, sizeof(*r));
	struct diagnose_cfg cfg = { .runtime_s = 0.3 };
	char err[512] = "", path[512];
	FILE *f;

	(void)state;
	cfg.target = "/nonexistent-dir-iolab/x.dat";
	assert_int_equal(diagnose_run(&cfg, r, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent-dir-iolab"));

	snprintf(path, sizeof(path), "%s/iolab-diag-small.dat", tmpdir());
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("tiny", f);
	fclose(f);
	cfg.target = path;
	err[0] = '\0';
	assert_int_equal(diagnose_run(&cfg, r, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "at least 16 MiB"));
	unlink(path);

	cfg.target = "/dev/null";
	err[0] = '\0';
	assert_int_equal(diagnose_run(&cfg, r, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not a regular file, directory or block device"));
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_step_table),
		cmocka_unit_test(test_healthy),
		cmocka_unit_test(test_tail_spikes_with_times),
		cmocka_unit_test(test_tail_spread),
		cmocka_unit_test(test_stall),
		cmocka_unit_test(test_no_stall_at_edges),
		cmocka_unit_test(test_spikes_rare_and_spread),
		cmocka_unit_test(test_slow_is_not_stall),
		cmocka_unit_test(test_write_cache),
		cmocka_unit_test(test_write_cache_table),
		cmocka_unit_test(test_qd_bottleneck),
		cmocka_unit_test(test_qd_bottleneck_table),
		cmocka_unit_test(test_device_saturated),
		cmocka_unit_test(test_throttle_limit),
		cmocka_unit_test(test_class_guard),
		cmocka_unit_test(test_periodic_stall),
		cmocka_unit_test(test_low_iops_not_busy),
		cmocka_unit_test(test_context_findings),
		cmocka_unit_test(test_reports),
		cmocka_unit_test(test_save),
		cmocka_unit_test(test_run_bad_targets),
		cmocka_unit_test(test_run_new_scratch),
		cmocka_unit_test(test_run_existing_file_read_only),
		cmocka_unit_test(test_run_stop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
