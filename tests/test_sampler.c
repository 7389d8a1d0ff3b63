/* backend/sampler against a stand-in backend: this file defines the four
 * backend functions the sampler uses (backend_njobs, backend_job,
 * backend_start_ns, backend_samples) over jobs driven by paced threads that
 * account I/O exactly as a worker does (relaxed single-writer counters,
 * lat_add, hist_add). So the sampler is tested alone, at a known rate:
 *  - 2000 IOPS for 3 s at a 200 ms status interval: every full sample
 *    within 5% of 2000, latency figures, depth by Little's law, ticks on
 *    their absolute deadlines, totals exact;
 *  - ramp_time: samples flagged in_ramp, counters reset at its end handled;
 *  - a job that never starts gets no samples;
 *  - fio logs with log_avg_msec=500 driven on time, disk figures published;
 *  - sampler_stop returns at once even with a 1 s interval. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "backend/backend.h"
#include "backend/diskstats.h"
#include "backend/sampler.h"
#include "backend/samples.h"
#include "lib/atomic.h"
#include "lib/clock.h"

/* ---- stand-in backend ---------------------------------------------------- */

#define MAX_JOBS 3

struct backend {
	unsigned n;
	struct job *jobs[MAX_JOBS];
	struct sample_store *store;
	uint64_t start;
};

unsigned backend_njobs(const struct backend *be)
{
	return be->n;
}

const struct job *backend_job(const struct backend *be, unsigned id)
{
	return id < be->n ? be->jobs[id] : NULL;
}

uint64_t backend_start_ns(const struct backend *be)
{
	return be->start;
}

struct sample_store *backend_samples(struct backend *be)
{
	return be->store;
}

/* Engines are not linked in: no job here names an engine. */
const struct engine_ops *engine_find(const char *name)
{
	(void)name;
	return NULL;
}

struct pacer {
	struct job *job;
	uint64_t iops, lat_ns, ramp_ns, run_ns;
};

static void account(struct job *job, uint64_t lat)
{
	struct dir_stats *ds = &job->stats.dir[DDIR_READ];

	sw_add(&ds->ios, 1);
	sw_add(&ds->bytes, 4096);
	lat_add(&ds->lat, lat);
	lat_add(&ds->clat, lat);
	hist_add(&ds->lat_hist, lat);
	hist_add(&ds->clat_hist, lat);
}

static void clear_stats(struct job_stats *s)
{
	struct dir_stats *ds = &s->dir[DDIR_READ];

	st_relaxed(&ds->ios, 0);
	st_relaxed(&ds->bytes, 0);
	st_relaxed(&ds->lat.n, 0);
	st_relaxed(&ds->lat.sum, 0);
	st_relaxed(&ds->clat.n, 0);
	st_relaxed(&ds->clat.sum, 0);
	hist_reset(&ds->lat_hist);
	hist_reset(&ds->clat_hist);
}

/* The worker's part: RS_RAMP for ramp_ns (stats cleared at its end), then
 * RS_RUNNING for run_ns, one I/O every 1/iops seconds on absolute times. */
static void *pace(void *arg)
{
	struct pacer *p = arg;
	struct job *job = p->job;
	uint64_t t0 = clock_now_ns(), k = 0, run_start = t0 + p->ramp_ns, end = run_start + p->run_ns;
	bool ramp = p->ramp_ns > 0;

	st_relaxed(&job->started_ns, t0);
	if (ramp) {
		st_release(&job->runstate, RS_RAMP);
	} else {
		st_relaxed(&job->stats.start_ns, t0);
		st_release(&job->runstate, RS_RUNNING);
	}
	for (;;) {
		uint64_t due = t0 + k * NS_PER_SEC / p->iops;

		if (due >= end)
			break;
		if (ramp && due >= run_start) {
			ramp = false;
			clear_stats(&job->stats);
			st_relaxed(&job->stats.start_ns, clock_now_ns());
			st_release(&job->runstate, RS_RUNNING);
		}
		clock_sleep_until(due);
		account(job, p->lat_ns);
		k++;
	}
	st_relaxed(&job->stats.end_ns, clock_now_ns());
	st_release(&job->runstate, RS_EXITED);
	return NULL;
}

static char tmp[512];

static int setup(void **state)
{
	const char *base = getenv("TEST_TMP") ? getenv("TEST_TMP") : getenv("TMPDIR");

	(void)state;
	snprintf(tmp, sizeof(tmp), "%s/sampler.XXXXXX", base ? base : "/tmp");
	return mkdtemp(tmp) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[600];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	return system(cmd) == 0 ? 0 : -1;
}

static struct job *new_job(const char *name, char *prefix)
{
	struct job *j = calloc(1, sizeof(*j));

	assert_non_null(j);
	stats_init(&j->stats);
	j->name = (char *)name;
	j->o.directory = tmp;
	j->o.iodepth = 4;
	j->o.bs[0] = 4096;
	j->o.per_job_logs = true;
	if (prefix) {
		j->o.write_iops_log = prefix;
		j->o.write_lat_log = prefix;
		j->o.log_avg_msec = 500;
	}
	j->runstate = RS_CREATED;
	return j;
}

/* CPU time of the whole process. */
static uint64_t cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * NS_PER_SEC + (uint64_t)ts.tv_nsec;
}

/* ---- tests ------------------------------------------------------------- */

static void test_paced_2000_iops(void **state)
{
	struct backend be = { 0 };
	char prefix[600], path[700], line[128];
	struct job *j, *idle;
	struct pacer p;
	struct sampler *s;
	struct sample smp[64];
	struct disk_util du[4];
	pthread_t th;
	size_t n, full = 0;
	uint64_t ios = 0, prev_end = 0;
	FILE *f;
	unsigned lines = 0;
	uint64_t cpu0;

	(void)state;
	snprintf(prefix, sizeof(prefix), "%s/paced", tmp);
	j = new_job("paced", prefix);
	idle = new_job("never", NULL);
	be.n = 2;
	be.jobs[0] = j;
	be.jobs[1] = idle;
	be.store = samples_new();
	assert_non_null(be.store);
	be.start = clock_now_ns();
	p = (struct pacer){ j, 2000, 100000, 0, 3 * NS_PER_SEC };

	s = sampler_start(&be, 200, -1);
	assert_non_null(s);
	assert_int_equal(pthread_create(&th, NULL, pace, &p), 0);
	pthread_join(th, NULL);
	/* one more tick sees the job exited; with its log windows now moot
	 * the sampler must sleep, not spin */
	cpu0 = cpu_ns();
	usleep(250000);
	assert_true(cpu_ns() - cpu0 < 50 * NS_PER_MS);
	sampler_stop(s);

	n = samples_range(be.store, 0, 0, UINT64_MAX, smp, 64);
	assert_true(n >= 15 && n <= 18);
	for (size_t i = 0; i < n; i++) {
		const struct sample *x = &smp[i];
		double dur_ms = (double)(x->t_end - x->t_start) / 1e3;

		if (i)
			assert_int_equal(x->t_start, prev_end);
		else /* from the job's start, not the tick before it */
			assert_true(x->t_start >= (j->started_ns - be.start) / 1000);
		prev_end = x->t_end;
		ios += x->dir[0].ios;
		assert_int_equal(x->job, 0);
		assert_int_equal(x->in_ramp, 0);
		assert_float_equal(x->iodepth_set, 4.0, 0);
		if (x->runstate != RS_RUNNING || dur_ms < 190)
			continue;
		full++;
		/* on absolute deadlines: tick k ends k * 200 ms after the start */
		assert_true(x->t_end % 200000 < 20000);
		if (x->dir[0].iops < 1900 || x->dir[0].iops > 2100)
			fail_msg("sample %zu: %.1f IOPS over %.1f ms", i, x->dir[0].iops, dur_ms);
		assert_float_equal(x->dir[0].bw, x->dir[0].iops * 4096.0, x->dir[0].bw * 1e-5);
		assert_float_equal(x->dir[0].lat_mean, 100000.0, 0.5);
		assert_float_equal(x->dir[0].lat_p50, 100000.0, 400.0);
		assert_float_equal(x->dir[0].lat_p99, 100000.0, 400.0);
		assert_float_equal(x->dir[0].lat_max, 100000.0, 400.0);
		/* Little's law: 2000/s x 100 us = 0.2 in flight */
		assert_float_equal(x->depth, 0.2, 0.01);
	}
	assert_true(full >= 13);
	assert_int_equal(ios, j->stats.dir[0].ios);
	assert_int_equal(ios, 6000);
	/* the job that never started has no samples */
	assert_int_equal(samples_range(be.store, 1, 0, UINT64_MAX, NULL, 0), 0);

	/* the iops log: one line per 500 ms window while running */
	snprintf(path, sizeof(path), "%s_iops.1.log", prefix);
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		unsigned long long ms, v;
		int d;

		assert_int_equal(sscanf(line, "%llu, %llu, %d, 0, 0", &ms, &v, &d), 3);
		lines++;
		assert_true(ms >= 500 * lines && ms <= 500 * lines + 5);
		assert_true(v >= 1900 && v <= 2100);
	}
	fclose(f);
	assert_true(lines >= 5 && lines <= 6);

	/* device figures: the job's directory sits on a disk, or on none */
	if (diskstats_find(tmp, du[0].name, sizeof(du[0].name), NULL, NULL) == 0) {
		char want[DISK_NAME_LEN];

		snprintf(want, sizeof(want), "%s", du[0].name);
		assert_int_equal(samples_disk_util(be.store, du, 4), 1);
		assert_string_equal(du[0].name, want);
		assert_true(du[0].msec >= 3000 && du[0].msec < 5000);
		assert_true(du[0].util >= 0 && du[0].util <= 100);
	} else {
		assert_int_equal(samples_disk_util(be.store, du, 4), 0);
	}
	samples_free(be.store);
	free(j);
	free(idle);
}

static void test_ramp(void **state)
{
	struct backend be = { 0 };
	struct job *j = new_job("ramp", NULL);
	struct pacer p = { j, 1000, 50000, 600 * NS_PER_MS, 600 * NS_PER_MS };
	struct sampler *s;
	struct sample smp[32];
	pthread_t th;
	size_t n, ramp = 0, after = 0;
	uint64_t ios_run = 0;

	(void)state;
	be.n = 1;
	be.jobs[0] = j;
	be.store = samples_new();
	be.start = clock_now_ns();
	s = sampler_start(&be, 100, -1);
	assert_non_null(s);
	assert_int_equal(pthread_create(&th, NULL, pace, &p), 0);
	pthread_join(th, NULL);
	sampler_stop(s);
	n = samples_range(be.store, 0, 0, UINT64_MAX, smp, 32);
	for (size_t i = 0; i < n; i++) {
		const struct sample *x = &smp[i];

		if (x->in_ramp) {
			ramp++;
			continue;
		}
		ios_run += x->dir[0].ios;
		/* the reset at the end of ramp never shows as a burst or a wrap */
		assert_true(x->dir[0].iops < 1200);
		if (x->t_end - x->t_start >= 95000 && x->runstate == RS_RUNNING) {
			after++;
			assert_true(x->dir[0].iops > 900);
		}
	}
	assert_true(ramp >= 5);
	assert_true(after >= 3);
	/* every I/O after the reset is in a non-ramp sample */
	assert_int_equal(ios_run, j->stats.dir[0].ios);
	samples_free(be.store);
	free(j);
}

static void test_stop_is_prompt(void **state)
{
	struct backend be = { 0 };
	struct job *j = new_job("idle", NULL);
	struct sampler *s;
	uint64_t t;

	(void)state;
	be.n = 1;
	be.jobs[0] = j;
	be.store = samples_new();
	be.start = clock_now_ns();
	s = sampler_start(&be, 1000, -1);
	assert_non_null(s);
	usleep(50000);
	t = clock_now_ns();
	sampler_stop(s);
	t = clock_now_ns() - t;
	assert_true(t < 200 * NS_PER_MS);
	/* a job that was only created: nothing appended, nothing dropped */
	assert_int_equal(samples_seq(be.store), 0);
	samples_free(be.store);
	free(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paced_2000_iops),
		cmocka_unit_test(test_ramp),
		cmocka_unit_test(test_stop_is_prompt),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
