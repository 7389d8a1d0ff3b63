/* The backend end to end through its API: null and psync jobs, byte counts,
 * runstates, rate, stop, stonewall groups, numjobs, offload, knobs, errors. */
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
#include <math.h>

#include <cmocka.h>

#include "tests/scratch.h"

#include "backend/backend.h"
#include "backend/jobfile.h"
#include "backend/samples.h"
#include "lib/clock.h"

#define K 1024ULL
#define M (1024ULL * 1024)

static char scratch[512];

/* counters of a running job are read like the sampler does: relaxed */
static uint64_t rd(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

struct spec {
	const char *name;
	const char *engine;
	unsigned rw;
	uint64_t size;
	uint32_t bs;
	unsigned group, clone;
	void (*tweak)(struct job_opts *o, const void *arg);
	const void *arg;
};

static void list_add(struct job_list *l, const struct spec *s)
{
	struct job_spec *js;

	if (l->nr == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->jobs = realloc(l->jobs, l->cap * sizeof(*l->jobs));
		assert_non_null(l->jobs);
	}
	js = &l->jobs[l->nr++];
	memset(js, 0, sizeof(*js));
	opts_init(&js->opts);
	free(js->opts.ioengine);
	js->opts.ioengine = strdup(s->engine);
	js->opts.rw = s->rw;
	js->opts.size = s->size;
	for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
		js->opts.bs[d] = s->bs;
		js->opts.bs_min[d] = js->opts.bs_max[d] = s->bs;
	}
	if (s->tweak)
		s->tweak(&js->opts, s->arg);
	js->section = strdup(s->name);
	js->clone = s->clone;
	js->group = s->group;
}

static void list_clear(struct job_list *l)
{
	for (size_t i = 0; i < l->nr; i++) {
		opts_free(&l->jobs[i].opts);
		free(l->jobs[i].section);
	}
	free(l->jobs);
	memset(l, 0, sizeof(*l));
}

static struct backend *run_list(struct job_list *l, int *failed)
{
	struct backend_config cfg = { .status_interval_ms = 100 };
	struct backend *be = backend_new(&cfg);
	char err[256] = "";

	assert_non_null(be);
	if (backend_load(be, l, err, sizeof(err)))
		fprintf(stderr, "load: %s\n", err);
	assert_int_equal(backend_start(be), 0);
	*failed = backend_wait(be);
	return be;
}

static void show_errors(struct backend *be)
{
	for (unsigned i = 0; i < backend_njobs(be); i++) {
		const struct job *j = backend_job(be, i);

		if (j->error)
			fprintf(stderr, "job %u (%s): %s\n", i, j->name, j->errmsg);
	}
}

static void set_loops(struct job_opts *o, const void *arg)
{
	o->loops = *(const unsigned *)arg;
}

static void test_null_bytes(void **state)
{
	static const unsigned loops = 3;
	struct job_list l = { 0 };
	struct spec s = { "nullrand", "null", RW_READ | RW_RAND, 16 * M, 4096, 0, 0, set_loops,
			  &loops };
	struct backend *be;
	const struct job *j;
	int failed;

	(void)state;
	list_add(&l, &s);
	be = run_list(&l, &failed);
	show_errors(be);
	assert_int_equal(failed, 0);
	j = backend_job(be, 0);
	assert_int_equal(j->stats.dir[DDIR_READ].bytes, 16 * M * loops);
	assert_int_equal(j->stats.dir[DDIR_READ].ios, 16 * M * loops / 4096);
	assert_int_equal(j->stats.dir[DDIR_WRITE].bytes, 0);
	assert_int_equal(j->stats.dir[DDIR_READ].clat_hist.count, 16 * M * loops / 4096);
	assert_int_equal(j->stats.dir[DDIR_READ].lat.n, 16 * M * loops / 4096);
	assert_true(j->stats.dir[DDIR_READ].lat.min <= j->stats.dir[DDIR_READ].lat.max);
	assert_int_equal(job_runstate(j), RS_REAPED);
	assert_int_equal(runstate_letter(job_runstate(j), j->o.rw, j->error != 0), '_');
	assert_true(j->ended_ns >= j->started_ns && j->started_ns > 0);
	assert_int_equal(j->io_target_bytes, 16 * M * loops);
	assert_true(j->stats.depth_hist[0] == 16 * M * loops / 4096);
	backend_free(be);
	list_clear(&l);
}

static void set_runtime(struct job_opts *o, const void *arg)
{
	o->time_based = true;
	o->runtime_us = *(const uint64_t *)arg;
}

static void test_runstates_in_order(void **state)
{
	static const uint64_t rt = 300000;
	struct job_list l = { 0 };
	struct spec s = { "rs", "null", RW_READ, 1 * M, 4096, 0, 0, set_runtime, &rt };
	struct backend_config cfg = { .status_interval_ms = 100 };
	struct backend *be = backend_new(&cfg);
	char err[256];
	int last = RS_NOT_CREATED, seen_running = 0, seen_exited_or_later = 0;

	(void)state;
	list_add(&l, &s);
	assert_int_equal(backend_load(be, &l, err, sizeof(err)), 0);
	assert_int_equal(job_runstate(backend_job(be, 0)), RS_NOT_CREATED);
	assert_int_equal(backend_start(be), 0);
	while (backend_running(be)) {
		int rs = job_runstate(backend_job(be, 0));

		assert_true(rs >= last); /* never backwards */
		last = rs;
		seen_running |= rs == RS_RUNNING;
		clock_sleep_until(clock_now_ns() + NS_PER_MS);
	}
	seen_exited_or_later = job_runstate(backend_job(be, 0)) >= RS_EXITED;
	assert_int_equal(backend_wait(be), 0);
	assert_true(seen_running);
	assert_true(seen_exited_or_later);
	assert_int_equal(job_runstate(backend_job(be, 0)), RS_REAPED);
	/* the wake fd was poked */
	{
		char c;

		assert_true(read(backend_wake_fd(be), &c, 1) == 1);
		backend_drain_wake(be);
		assert_true(read(backend_wake_fd(be), &c, 1) < 0 && errno == EAGAIN);
	}
	backend_free(be);
	list_clear(&l);
}

static void set_rate_iops(struct job_opts *o, const void *arg)
{
	o->time_based = true;
	o->runtime_us = 2000000;
	o->rate_iops[DDIR_READ] = *(const uint64_t *)arg;
}

static void test_rate_iops(void **state)
{
	static const uint64_t iops = 5000;
	struct job_list l = { 0 };
	struct spec s = { "rate", "null", RW_READ | RW_RAND, 64 * M, 4096, 0, 0, set_rate_iops,
			  &iops };
	struct backend *be;
	const struct job *j;
	int failed;
	double got;

	(void)state;
	list_add(&l, &s);
	be = run_list(&l, &failed);
	assert_int_equal(failed, 0);
	j = backend_job(be, 0);
	got = (double)j->stats.dir[DDIR_READ].ios * 1e9 /
	      (double)(j->stats.end_ns - j->stats.start_ns);
	fprintf(stderr, "rate_iops=5000: %.0f IOPS over %.3f s\n", got,
		(double)(j->stats.end_ns - j->stats.start_ns) / 1e9);
	assert_true(fabs(got - 5000.0) < 250.0);
	assert_true(fabs((double)j->stats.dir[DDIR_READ].ios - 10000.0) < 500.0);
	backend_free(be);
	list_clear(&l);
}

static void test_stop_time_based(void **state)
{
	static const uint64_t rt = 60000000;
	struct job_list l = { 0 };
	struct spec s = { "long", "null", RW_READ | RW_RAND, 64 * M, 4096, 0, 0, set_runtime, &rt };
	struct backend_config cfg = { .status_interval_ms = 100 };
	struct backend *be = backend_new(&cfg);
	char err[256];
	uint64_t t0;

	(void)state;
	list_add(&l, &s);
	assert_int_equal(backend_load(be, &l, err, sizeof(err)), 0);
	assert_int_equal(backend_start(be), 0);
	clock_sleep_until(clock_now_ns() + 200 * NS_PER_MS);
	assert_true(backend_running(be));
	t0 = clock_now_ns();
	backend_stop(be, -1);
	assert_int_equal(backend_wait(be), 0);
	assert_true(clock_now_ns() - t0 < NS_PER_SEC);
	assert_false(backend_running(be));
	assert_true(rd(&backend_job(be, 0)->stats.dir[DDIR_READ].ios) > 0);
	backend_free(be);
	list_clear(&l);
}

static void test_stonewall(void **state)
{
	static const uint64_t rt = 200000;
	struct job_list l = { 0 };
	struct spec a = { "first", "null", RW_READ, 1 * M, 4096, 0, 0, set_runtime, &rt };
	struct spec b = { "second", "null", RW_WRITE, 1 * M, 4096, 1, 0, set_runtime, &rt };
	struct spec c = { "second-b", "null", RW_WRITE, 1 * M, 4096, 1, 0, set_runtime, &rt };
	struct backend *be;
	const struct job *ja, *jb, *jc;
	int failed;

	(void)state;
	list_add(&l, &a);
	list_add(&l, &b);
	list_add(&l, &c);
	be = run_list(&l, &failed);
	assert_int_equal(failed, 0);
	ja = backend_job(be, 0);
	jb = backend_job(be, 1);
	jc = backend_job(be, 2);
	assert_true(jb->started_ns >= ja->ended_ns);
	assert_true(jc->started_ns >= ja->ended_ns);
	/* same group runs together */
	assert_true(jc->started_ns < jb->ended_ns);
	backend_free(be);
	list_clear(&l);
}

static void set_offinc(struct job_opts *o, const void *arg)
{
	o->numjobs = 3;
	o->offset_increment = 256 * K;
}

static void test_numjobs(void **state)
{
	struct job_list l = { 0 };
	struct backend *be;
	int failed;

	(void)state;
	for (unsigned c = 0; c < 3; c++) {
		struct spec s = { "clone", "null", RW_READ, 1 * M, 4096, 0, c, set_offinc, NULL };

		list_add(&l, &s);
	}
	be = run_list(&l, &failed);
	assert_int_equal(failed, 0);
	assert_int_equal(backend_njobs(be), 3);
	for (unsigned i = 0; i < 3; i++) {
		const struct job *j = backend_job(be, i);

		assert_int_equal(j->stats.dir[DDIR_READ].bytes, 1 * M); /* fio: 1048576 each */
		assert_string_equal(j->name, "clone");
		assert_int_equal(j->id, i);
	}
	backend_free(be);
	list_clear(&l);
}

static void set_file(struct job_opts *o, const void *arg)
{
	free(o->filename);
	o->filename = strdup((const char *)arg);
}

static void set_file_seq8k(struct job_opts *o, const void *arg)
{
	set_file(o, arg);
	o->rw_seq_nr = 8 * K;
}

static void test_psync_file(void **state)
{
	char path[600];
	struct job_list l = { 0 };
	struct backend *be;
	struct stat st;
	int failed;

	(void)state;
	snprintf(path, sizeof(path), "%s/psync.dat", scratch);
	unlink(path);
	{
		/* write 1m randomly, then read it back sequentially (new group),
		 * then read:8k (holes) */
		struct spec w = { "w", "psync", RW_WRITE | RW_RAND, 1 * M, 4096, 0, 0, set_file, path };
		struct spec r = { "r", "psync", RW_READ, 1 * M, 4096, 1, 0, set_file, path };
		struct spec h = { "h", "psync", RW_READ, 1 * M, 4096, 2, 0, set_file_seq8k, path };

		list_add(&l, &w);
		list_add(&l, &r);
		list_add(&l, &h);
	}
	be = run_list(&l, &failed);
	show_errors(be);
	assert_int_equal(failed, 0);
	assert_int_equal(backend_job(be, 0)->stats.dir[DDIR_WRITE].bytes, 1 * M);
	assert_int_equal(backend_job(be, 0)->stats.dir[DDIR_WRITE].ios, 256);
	assert_int_equal(backend_job(be, 1)->stats.dir[DDIR_READ].bytes, 1 * M);
	assert_int_equal(backend_job(be, 2)->stats.dir[DDIR_READ].bytes, 352256); /* fio: 86 I/Os */
	/* sync engine: no slat, clat == lat */
	assert_int_equal(backend_job(be, 1)->stats.dir[DDIR_READ].slat.n, 0);
	assert_int_equal(backend_job(be, 1)->stats.dir[DDIR_READ].clat.sum,
			 backend_job(be, 1)->stats.dir[DDIR_READ].lat.sum);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 1 * M);
	assert_int_equal(st.st_mode & 0777, 0600);
	backend_free(be);
	list_clear(&l);

	/* a read job lays its file out first */
	unlink(path);
	{
		struct spec r = { "r", "psync", RW_READ | RW_RAND, 512 * K, 4096, 0, 0, set_file, path };

		list_add(&l, &r);
	}
	be = run_list(&l, &failed);
	show_errors(be);
	assert_int_equal(failed, 0);
	assert_int_equal(backend_job(be, 0)->stats.dir[DDIR_READ].bytes, 512 * K);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 512 * K);
	{
		/* laid out with non-zero data */
		int fd = open(path, O_RDONLY);
		unsigned char buf[4096];
		unsigned zeros = 0;

		assert_true(fd >= 0);
		assert_int_equal(pread(fd, buf, sizeof(buf), 8192), sizeof(buf));
		for (size_t i = 0; i < sizeof(buf); i++)
			zeros += !buf[i];
		assert_true(zeros < 64);
		close(fd);
	}
	backend_free(be);
	list_clear(&l);
	unlink(path);
}

static void set_offload(struct job_opts *o, const void *arg)
{
	o->io_submit_mode = SUBMIT_OFFLOAD;
	o->iodepth = *(const unsigned *)arg;
}

static void test_offload(void **state)
{
	static const unsigned depths[] = { 1, 2, 16 };

	(void)state;
	for (size_t i = 0; i < sizeof(depths) / sizeof(depths[0]); i++) {
		struct job_list l = { 0 };
		struct spec s = { "off", "null", RW_READ | RW_RAND, 32 * M, 4096, 0, 0, set_offload,
				  &depths[i] };
		struct backend *be;
		const struct job *j;
		int failed;

		list_add(&l, &s);
		be = run_list(&l, &failed);
		show_errors(be);
		assert_int_equal(failed, 0);
		j = backend_job(be, 0);
		/* every unit submitted came back once: completions == I/Os issued */
		assert_int_equal(j->stats.dir[DDIR_READ].ios, 32 * M / 4096);
		assert_int_equal(j->stats.dir[DDIR_READ].bytes, 32 * M);
		assert_int_equal(j->bytes_issued[DDIR_READ], 32 * M);
		assert_int_equal(j->stats.inflight, 0);
		assert_int_equal(j->stats.total_err, 0);
		/* async path: slat measured for each */
		assert_int_equal(j->stats.dir[DDIR_READ].slat.n, 32 * M / 4096);
		backend_free(be);
		list_clear(&l);
	}
}

static void set_depth(struct job_opts *o, const void *arg)
{
	o->iodepth = *(const unsigned *)arg;
}

static void test_null_depth(void **state)
{
	static const unsigned depth = 32;
	struct job_list l = { 0 };
	struct spec s = { "qd", "null", RW_READ | RW_RAND, 32 * M, 4096, 0, 0, set_depth, &depth };
	struct backend *be;
	const struct job *j;
	int failed;

	(void)state;
	list_add(&l, &s);
	be = run_list(&l, &failed);
	assert_int_equal(failed, 0);
	j = backend_job(be, 0);
	assert_int_equal(j->stats.dir[DDIR_READ].bytes, 32 * M);
	assert_true(j->stats.depth_hist[5] + j->stats.depth_hist[6] > 0); /* reached 17..32 */
	backend_free(be);
	list_clear(&l);
}

static void set_knob_job(struct job_opts *o, const void *arg)
{
	o->time_based = true;
	o->runtime_us = 30000000;
	o->rate_iops[DDIR_READ] = 2000;
}

static void test_knobs(void **state)
{
	struct job_list l = { 0 };
	/* sequential: a random map would shorten 64k I/Os over used blocks */
	struct spec s = { "knob", "null", RW_READ, 64 * M, 4096, 0, 0, set_knob_job, NULL };
	struct backend_config cfg = { .status_interval_ms = 100 };
	struct backend *be = backend_new(&cfg);
	const struct job *j;
	char err[256];
	uint64_t i0, i1, t0, t1;

	(void)state;
	list_add(&l, &s);
	assert_int_equal(backend_load(be, &l, err, sizeof(err)), 0);
	assert_int_equal(backend_start(be), 0);
	j = backend_job(be, 0);
	clock_sleep_until(clock_now_ns() + 300 * NS_PER_MS);
	/* bad values change nothing */
	assert_int_equal(backend_set_knob(be, 0, "rate_iops", "abc", err, sizeof(err)), -1);
	assert_int_equal(backend_set_knob(be, 0, "runtime", "5", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "knob"));
	/* faster rate, and a deeper queue */
	assert_int_equal(backend_set_knob(be, 0, "rate_iops", "10000", err, sizeof(err)), 0);
	assert_int_equal(backend_set_knob(be, 0, "iodepth", "8", err, sizeof(err)), 0);
	clock_sleep_until(clock_now_ns() + 100 * NS_PER_MS);
	t0 = clock_now_ns();
	i0 = rd(&j->stats.dir[DDIR_READ].ios);
	clock_sleep_until(t0 + 500 * NS_PER_MS);
	t1 = clock_now_ns();
	i1 = rd(&j->stats.dir[DDIR_READ].ios);
	{
		double iops = (double)(i1 - i0) * 1e9 / (double)(t1 - t0);

		fprintf(stderr, "after rate_iops 2000->10000: %.0f IOPS\n", iops);
		assert_true(iops > 8500 && iops < 11500);
	}
	assert_int_equal(backend_set_knob(be, 0, "rwmixread", "70", err, sizeof(err)), 0);
	assert_int_equal(backend_set_knob(be, 0, "bs", "64k", err, sizeof(err)), 0);
	clock_sleep_until(clock_now_ns() + 100 * NS_PER_MS);
	{
		struct job_stats *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));

		stats_snapshot(a, &j->stats);
		clock_sleep_until(clock_now_ns() + 200 * NS_PER_MS);
		stats_snapshot(b, &j->stats);
		/* a snapshot may catch bytes and ios one I/O apart */
		assert_true(b->dir[DDIR_READ].ios > a->dir[DDIR_READ].ios + 100);
		assert_true(llabs((long long)(b->dir[DDIR_READ].bytes - a->dir[DDIR_READ].bytes) -
				  (long long)((b->dir[DDIR_READ].ios - a->dir[DDIR_READ].ios) * 65536)) <=
			    65536);
		free(a);
		free(b);
	}
	/* pacing off, then on again from nothing */
	assert_int_equal(backend_set_knob(be, 0, "rate_iops", "0", err, sizeof(err)), 0);
	clock_sleep_until(clock_now_ns() + 50 * NS_PER_MS);
	t0 = clock_now_ns();
	i0 = rd(&j->stats.dir[DDIR_READ].ios);
	clock_sleep_until(t0 + 200 * NS_PER_MS);
	i1 = rd(&j->stats.dir[DDIR_READ].ios);
	/* unpaced: clearly above the 10000/s cap it had (not a speed test:
	 * under ThreadSanitizer on a busy machine the null engine may do
	 * well under 100000/s) */
	fprintf(stderr, "rate_iops 0 (unpaced): %llu IOPS\n", (unsigned long long)(i1 - i0) * 5);
	assert_true((i1 - i0) * 5 > 15000);
	assert_int_equal(backend_set_knob(be, 0, "rate_iops", "3000", err, sizeof(err)), 0);
	clock_sleep_until(clock_now_ns() + 50 * NS_PER_MS);
	t0 = clock_now_ns();
	i0 = rd(&j->stats.dir[DDIR_READ].ios);
	clock_sleep_until(t0 + 400 * NS_PER_MS);
	t1 = clock_now_ns();
	i1 = rd(&j->stats.dir[DDIR_READ].ios);
	{
		double iops = (double)(i1 - i0) * 1e9 / (double)(t1 - t0);

		fprintf(stderr, "after rate_iops 0->3000: %.0f IOPS\n", iops);
		assert_true(iops > 2500 && iops < 3500);
	}
	backend_stop(be, 0);
	assert_int_equal(backend_wait(be), 0);
	{
		/* the sampler ran (100 ms ticks) and every change left a mark */
		struct sample_mark marks[8];
		size_t n = samples_marks(backend_samples(be), 0, UINT64_MAX, marks, 8);
		bool depth = false;

		assert_true(samples_seq(backend_samples(be)) >= 5);
		assert_int_equal(n, 6);
		for (size_t i = 0; i < n; i++)
			depth |= !strcmp(marks[i].text, "iodepth 1->8");
		assert_true(depth);
	}
	backend_free(be);
	list_clear(&l);
}

static void set_bad_dir(struct job_opts *o, const void *arg)
{
	free(o->filename);
	o->filename = strdup("/nonexistent-iolab-dir/x");
}

static void test_errors(void **state)
{
	struct job_list l = { 0 };
	struct spec s = { "bad", "psync", RW_READ, 1 * M, 4096, 0, 0, set_bad_dir, NULL };
	struct spec n = { "nosize", "null", RW_READ, 0, 4096, 0, 0, NULL, NULL };
	struct backend *be;
	int failed;

	(void)state;
	list_add(&l, &s);
	list_add(&l, &n);
	be = run_list(&l, &failed);
	assert_int_equal(failed, 2);
	assert_non_null(strstr(backend_job(be, 0)->errmsg, "/nonexistent-iolab-dir/x"));
	assert_non_null(strstr(backend_job(be, 1)->errmsg, "size"));
	assert_int_equal(job_runstate(backend_job(be, 0)), RS_REAPED);
	assert_int_equal(runstate_letter(RS_REAPED, RW_READ, true), 'X');
	backend_free(be);
	list_clear(&l);

	/* unknown engine: refused at load */
	{
		struct spec u = { "u", "nosuchengine", RW_READ, 1 * M, 4096, 0, 0, NULL, NULL };
		struct backend_config cfg = { 0 };
		char err[256];

		be = backend_new(&cfg);
		list_add(&l, &u);
		assert_int_equal(backend_load(be, &l, err, sizeof(err)), -1);
		assert_non_null(strstr(err, "nosuchengine"));
		backend_free(be);
		list_clear(&l);
	}
}

static void set_ratemin(struct job_opts *o, const void *arg)
{
	o->time_based = true;
	o->runtime_us = 10000000;
	o->rate_iops[DDIR_READ] = 200;
	o->rate_iops_min[DDIR_READ] = 1000;
	o->rate_cycle_ms = 200;
}

static void test_ratemin(void **state)
{
	struct job_list l = { 0 };
	struct spec s = { "slow", "null", RW_READ, 1 * M, 4096, 0, 0, set_ratemin, NULL };
	struct backend *be;
	int failed;
	uint64_t t0 = clock_now_ns();

	(void)state;
	list_add(&l, &s);
	be = run_list(&l, &failed);
	assert_int_equal(failed, 1);
	assert_non_null(strstr(backend_job(be, 0)->errmsg, "rate_iops_min: got"));
	assert_true(clock_now_ns() - t0 < 3 * NS_PER_SEC);
	backend_free(be);
	list_clear(&l);
}

static void set_ramp(struct job_opts *o, const void *arg)
{
	o->time_based = true;
	o->runtime_us = 300000;
	o->ramp_time_us = 200000;
}

static void test_ramp(void **state)
{
	struct job_list l = { 0 };
	struct spec s = { "ramp", "null", RW_READ, 1 * M, 4096, 0, 0, set_ramp, NULL };
	struct backend *be;
	const struct job *j;
	int failed;

	(void)state;
	list_add(&l, &s);
	be = run_list(&l, &failed);
	assert_int_equal(failed, 0);
	j = backend_job(be, 0);
	/* measured phase starts after the ramp and lasts the runtime */
	assert_true(j->stats.start_ns >= j->started_ns + 200 * NS_PER_MS);
	assert_true(j->stats.end_ns - j->stats.start_ns >= 300 * NS_PER_MS);
	assert_true(j->stats.end_ns - j->stats.start_ns < 400 * NS_PER_MS);
	assert_true(j->stats.dir[DDIR_READ].ios > 0);
	backend_free(be);
	list_clear(&l);
}

static void set_fsync(struct job_opts *o, const void *arg)
{
	set_file(o, arg);
	o->fsync_blocks = 8;
	o->end_fsync = true;
}

static void test_fsync(void **state)
{
	char path[600];
	struct job_list l = { 0 };
	struct backend *be;
	int failed;

	(void)state;
	snprintf(path, sizeof(path), "%s/fsync.dat", scratch);
	{
		struct spec w = { "w", "psync", RW_WRITE, 256 * K, 4096, 0, 0, set_fsync, path };

		list_add(&l, &w);
	}
	be = run_list(&l, &failed);
	show_errors(be);
	assert_int_equal(failed, 0);
	/* 64 writes: a sync after each 8 while more writes follow (7), then
	 * end_fsync, which fio does not count either */
	assert_int_equal(backend_job(be, 0)->stats.dir[DDIR_WRITE].ios, 64);
	assert_int_equal(backend_job(be, 0)->stats.syncs, 7);
	backend_free(be);
	list_clear(&l);
	unlink(path);
}

struct vcase {
	const char *path;
	bool verify_only, backlog;
};

static void set_verify(struct job_opts *o, const void *arg)
{
	const struct vcase *v = arg;

	set_file(o, v->path);
	o->verify = VERIFY_CRC32C;
	o->do_verify = true;
	o->verify_only = v->verify_only;
	o->verify_backlog = v->backlog ? 16 : 0;
}

static void test_verify(void **state)
{
	char path[600];
	struct job_list l = { 0 };
	struct backend *be;
	int failed;

	(void)state;
	snprintf(path, sizeof(path), "%s/verify.dat", scratch);
	unlink(path);
	{
		/* write + verify phase; then a replay-only check of the same job */
		struct vcase w = { path, false, false }, b = { path, false, true },
			     r = { path, true, false };
		struct spec sw = { "v", "psync", RW_WRITE | RW_RAND, 512 * K, 4096, 0, 0, set_verify, &w };
		struct spec sb = { "vb", "psync", RW_WRITE, 512 * K, 8192, 1, 0, set_verify, &b };
		struct spec sr = { "vb", "psync", RW_WRITE, 512 * K, 8192, 2, 0, set_verify, &r };

		list_add(&l, &sw);
		list_add(&l, &sb);
		list_add(&l, &sr);
	}
	be = run_list(&l, &failed);
	show_errors(be);
	assert_int_equal(failed, 0);
	/* every block written was read back and checked */
	assert_int_equal(backend_job(be, 0)->stats.dir[DDIR_WRITE].bytes, 512 * K);
	assert_int_equal(backend_job(be, 0)->stats.dir[DDIR_READ].bytes, 512 * K);
	/* backlog verifies as it goes; the verify phase reads only what no
	 * backlog batch read (fio reads each block once) */
	assert_int_equal(backend_job(be, 1)->stats.dir[DDIR_READ].bytes, 512 * K);
	/* verify_only: no writes, every would-be write read and checked */
	assert_int_equal(backend_job(be, 2)->stats.dir[DDIR_WRITE].bytes, 0);
	assert_int_equal(backend_job(be, 2)->stats.dir[DDIR_READ].bytes, 512 * K);
	backend_free(be);
	list_clear(&l);

	/* corrupt one block, the replay must notice and say where */
	{
		int fd = open(path, O_WRONLY);
		char junk[512];

		memset(junk, 0x5a, sizeof(junk));
		assert_true(fd >= 0);
		assert_int_equal(pwrite(fd, junk, sizeof(junk), 40960 + 1000), sizeof(junk));
		close(fd);
	}
	{
		struct vcase r = { path, true, false };
		struct spec sr = { "vb", "psync", RW_WRITE, 512 * K, 8192, 0, 0, set_verify, &r };

		list_add(&l, &sr);
	}
	be = run_list(&l, &failed);
	assert_int_equal(failed, 1);
	fprintf(stderr, "corrupted: %s\n", backend_job(be, 0)->errmsg);
	assert_non_null(strstr(backend_job(be, 0)->errmsg, "verify"));
	assert_non_null(strstr(backend_job(be, 0)->errmsg, "40960"));
	backend_free(be);
	list_clear(&l);
	unlink(path);
}

static void set_poisson(struct job_opts *o, const void *arg)
{
	o->time_based = true;
	o->runtime_us = 1000000;
	o->rate_iops[DDIR_READ] = 4000;
	o->rate_process = RATE_POISSON;
}

static void set_think(struct job_opts *o, const void *arg)
{
	o->time_based = true;
	o->runtime_us = 300000;
	o->thinktime_us = 10000;
	o->thinktime_spin_us = 2000;
	o->thinktime_blocks = 2;
}

static void set_wait_for(struct job_opts *o, const void *arg)
{
	o->wait_for = strdup((const char *)arg);
}

static void set_prerun(struct job_opts *o, const void *arg)
{
	o->exec_prerun = strdup("true");
}

static void test_pacing_misc(void **state)
{
	static const uint64_t rt = 200000;
	struct job_list l = { 0 };
	struct spec p = { "poisson", "null", RW_READ | RW_RAND, 64 * M, 4096, 0, 0, set_poisson, NULL };
	struct spec t = { "think", "null", RW_READ, 64 * M, 4096, 0, 0, set_think, NULL };
	struct spec a = { "first", "null", RW_READ, 64 * M, 4096, 0, 0, set_runtime, &rt };
	struct spec b = { "waiter", "null", RW_READ, 1 * M, 4096, 0, 0, set_wait_for, "first" };
	struct spec x = { "exec", "null", RW_READ, 1 * M, 4096, 0, 0, set_prerun, NULL };
	struct backend *be;
	const struct job *j;
	int failed;

	(void)state;
	list_add(&l, &p);
	list_add(&l, &t);
	list_add(&l, &a);
	list_add(&l, &b);
	list_add(&l, &x);
	be = run_list(&l, &failed);
	/* only the exec job fails: shell commands are off by default */
	assert_int_equal(failed, 1);
	assert_non_null(strstr(backend_job(be, 4)->errmsg, "--allow-exec"));
	/* poisson: same mean rate */
	j = backend_job(be, 0);
	{
		double iops = (double)j->stats.dir[DDIR_READ].ios * 1e9 /
			      (double)(j->stats.end_ns - j->stats.start_ns);

		fprintf(stderr, "poisson rate_iops=4000: %.0f IOPS\n", iops);
		assert_true(fabs(iops - 4000) < 4000 * 0.08);
	}
	/* thinktime 10 ms every 2 I/Os over 300 ms: at most about 60 I/Os (a
	 * stall is at least its time; a loaded host oversleeps, so fewer) */
	j = backend_job(be, 1);
	fprintf(stderr, "thinktime: %llu I/Os\n", (unsigned long long)j->stats.dir[DDIR_READ].ios);
	assert_true(j->stats.dir[DDIR_READ].ios >= 10 && j->stats.dir[DDIR_READ].ios <= 62);
	/* wait_for: starts only after "first" ended */
	assert_true(backend_job(be, 3)->stats.start_ns >= backend_job(be, 2)->ended_ns);
	assert_int_equal(backend_job(be, 3)->stats.dir[DDIR_READ].bytes, 1 * M);
	backend_free(be);
	list_clear(&l);
}

static void test_restart(void **state)
{
	static const uint64_t rt = 60000000;
	struct job_list l = { 0 };
	struct spec s = { "re", "null", RW_READ | RW_RAND, 64 * M, 4096, 0, 0, set_runtime, &rt };
	struct backend_config cfg = { .status_interval_ms = 100 };
	struct backend *be = backend_new(&cfg);
	struct job_opts o;
	char err[256];

	(void)state;
	list_add(&l, &s);
	assert_int_equal(backend_load(be, &l, err, sizeof(err)), 0);
	assert_int_equal(backend_start(be), 0);
	clock_sleep_until(clock_now_ns() + 100 * NS_PER_MS);
	/* restart the running job as a 2m write: it stops, then runs anew */
	opts_copy(&o, &l.jobs[0].opts);
	o.time_based = false;
	o.rw = RW_WRITE;
	o.size = 2 * M;
	assert_int_equal(backend_restart_job(be, 0, &o, err, sizeof(err)), 0);
	assert_int_equal(backend_wait(be), 0);
	assert_int_equal(backend_job(be, 0)->stats.dir[DDIR_WRITE].bytes, 2 * M);
	assert_int_equal(backend_job(be, 0)->stats.dir[DDIR_READ].bytes, 0);
	assert_int_equal(job_runstate(backend_job(be, 0)), RS_REAPED);
	/* and again after everything ended */
	assert_int_equal(backend_restart_job(be, 0, &o, err, sizeof(err)), 0);
	assert_int_equal(backend_wait(be), 0);
	assert_int_equal(backend_job(be, 0)->stats.dir[DDIR_WRITE].bytes, 2 * M);
	/* a new load after the run */
	assert_int_equal(backend_load(be, &l, err, sizeof(err)), 0);
	assert_int_equal(job_runstate(backend_job(be, 0)), RS_NOT_CREATED);
	opts_free(&o);
	backend_free(be);
	list_clear(&l);
}

/* Jobs given as option text (the real option parser), run on the null
 * engine; bytes per direction as fio 3.33 moved them for the same options
 * (fio --ioengine=null --output-format=json ..., io_bytes). */
struct fio_job {
	const char *opts; /* "key=value key=value ..." */
	int64_t read, write; /* -1: not checked alone (random mix) */
	uint64_t total;
};

static const struct fio_job fio_jobs[] = {
	{ "rw=randread size=1m bssplit=4k/50:64k/50", 1048576, 0, 1048576 },
	{ "rw=read size=1m bssplit=4k/50:64k/50", 1048576, 0, 1048576 },
	{ "rw=read size=1m bsrange=4k-64k", 1048576, 0, 1048576 },
	{ "rw=randread size=1m bsrange=4k-64k", 1048576, 0, 1048576 },
	{ "rw=randrw rwmixread=70 size=1m bs=4k", -1, -1, 1048576 },
	{ "rw=read:8k size=1m bs=4k", 352256, 0, 352256 },
	{ "rw=write:12k size=1m bs=4k", 0, 1048576, 1048576 },
	{ "rw=randread size=1m bs=4k loops=3", 3145728, 0, 3145728 },
	{ "rw=randread size=1m bs=4k io_size=3m", 3145728, 0, 3145728 },
	{ "rw=read size=1m bs=4k io_size=100k", 102400, 0, 102400 },
	{ "rw=read size=1001k bs=4k", 1024000, 0, 1024000 },
	{ "rw=rw size=1001k bs=4k", -1, -1, 1028096 },
	{ "rw=read size=1m bs=4k io_size=1001k", 1028096, 0, 1028096 },
	{ "rw=read size=1m bsrange=4k-64k io_size=3m", 3145728, 0, 3145728 },
	{ "rw=randrw size=1m bsrange=4k-16k", -1, -1, 1048576 },
};

static void set_text(struct job_opts *o, const void *arg)
{
	char *text = strdup((const char *)arg), *save = NULL, *kv;

	for (kv = strtok_r(text, " ", &save); kv; kv = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(kv, '='), why[200];

		assert_non_null(eq);
		*eq = '\0';
		if (opt_set(o, kv, eq + 1, why, sizeof(why)))
			fprintf(stderr, "%s=%s: %s\n", kv, eq + 1, why);
		assert_int_equal(opt_set(o, kv, eq + 1, why, sizeof(why)), 0);
	}
	free(text);
}

static void test_fio_bytes(void **state)
{
	struct job_list l = { 0 };
	struct backend *be;
	int failed;

	(void)state;
	for (size_t i = 0; i < sizeof(fio_jobs) / sizeof(fio_jobs[0]); i++) {
		struct spec s = { "fio", "null", 0, 0, 0, 0, 0, NULL, NULL };

		list_add(&l, &s);
		/* start from the parser's defaults, not list_add's */
		opts_free(&l.jobs[i].opts);
		opts_init(&l.jobs[i].opts);
		free(l.jobs[i].opts.ioengine);
		l.jobs[i].opts.ioengine = strdup("null");
		set_text(&l.jobs[i].opts, fio_jobs[i].opts);
	}
	be = run_list(&l, &failed);
	show_errors(be);
	assert_int_equal(failed, 0);
	for (size_t i = 0; i < sizeof(fio_jobs) / sizeof(fio_jobs[0]); i++) {
		const struct job *j = backend_job(be, (unsigned)i);
		uint64_t r = j->stats.dir[DDIR_READ].bytes, w = j->stats.dir[DDIR_WRITE].bytes;

		if (r + w != fio_jobs[i].total)
			fprintf(stderr, "%s: read %llu write %llu, fio %llu\n", fio_jobs[i].opts,
				(unsigned long long)r, (unsigned long long)w,
				(unsigned long long)fio_jobs[i].total);
		assert_int_equal(r + w, fio_jobs[i].total);
		if (fio_jobs[i].read >= 0)
			assert_int_equal(r, fio_jobs[i].read);
		if (fio_jobs[i].write >= 0)
			assert_int_equal(w, fio_jobs[i].write);
	}
	backend_free(be);
	list_clear(&l);
}

static int setup(void **state)
{
	(void)state;
	return scratch_dir_make(scratch, sizeof(scratch), "iolab-backend");
}

static int teardown(void **state)
{
	(void)state;
	return scratch_dir_remove(scratch);
}

/* Knobs on numjobs clones, without running them: labels, the clone range,
 * a total IOPS cap split by the mix and re-split when it changes, a value
 * refused for all changing none, and the markers' texts. */
static void test_knob_clones(void **state)
{
	static const char text[] = "[oltp]\nioengine=null\nrw=randrw\nrwmixread=90\nbs=8k\n"
				   "size=1g\nrate_iops=50000\nnumjobs=4\n";
	struct backend_config cfg = { .status_interval_ms = 100 };
	struct sample_mark m[8];
	struct job_list l;
	struct backend *be;
	char err[256] = "";
	unsigned first = 99;
	size_t n;

	(void)state;
	job_list_init(&l);
	assert_int_equal(jobfile_load_text(&l, "test", text, err, sizeof(err)), 0);
	assert_int_equal(job_list_finalize(&l, err, sizeof(err)), 0);
	be = backend_new(&cfg);
	assert_int_equal(backend_load(be, &l, err, sizeof(err)), 0);
	assert_int_equal(backend_njobs(be), 4);
	for (unsigned i = 0; i < 4; i++) {
		char want[16];

		snprintf(want, sizeof(want), "oltp.%u", i);
		assert_string_equal(backend_job(be, i)->label, want);
		assert_string_equal(backend_job(be, i)->name, "oltp");
	}
	assert_int_equal(backend_clones(be, 2, &first), 4);
	assert_int_equal(first, 0);

	/* one total for all clones: 90/10 */
	assert_int_equal(backend_set_knobs(be, 0, 4, "rate_iops", "50000", err, sizeof(err)), 0);
	for (unsigned i = 0; i < 4; i++) {
		assert_int_equal(backend_job(be, i)->knobs.rate_iops[DDIR_READ], 45000);
		assert_int_equal(backend_job(be, i)->knobs.rate_iops[DDIR_WRITE], 5000);
	}
	/* the mix moves, the total follows */
	assert_int_equal(backend_set_knobs(be, 0, 4, "rwmixread", "50", err, sizeof(err)), 0);
	assert_int_equal(backend_job(be, 3)->knobs.rate_iops[DDIR_READ], 25000);
	assert_int_equal(backend_job(be, 3)->knobs.rate_iops[DDIR_WRITE], 25000);
	/* r,w on one clone: per direction, no total */
	assert_int_equal(backend_set_knob(be, 1, "rate_iops", "1000,2000", err, sizeof(err)), 0);
	assert_int_equal(backend_job(be, 1)->knobs.rate_iops[DDIR_READ], 1000);
	assert_int_equal(backend_job(be, 1)->knobs.rate_iops[DDIR_WRITE], 2000);
	assert_int_equal(backend_job(be, 1)->knobs.rate_iops_total, 0);
	assert_int_equal(backend_job(be, 0)->knobs.rate_iops[DDIR_READ], 25000);
	/* refused for one, changed for none */
	assert_int_equal(backend_set_knobs(be, 0, 4, "bs", "4k-8k", err, sizeof(err)), -1);
	assert_int_equal(backend_job(be, 0)->knobs.bs[DDIR_READ], 0);
	assert_int_equal(backend_set_knobs(be, 2, 4, "bs", "4k", err, sizeof(err)), -1);
	assert_int_equal(backend_set_knob(be, 3, "bs", "64k", err, sizeof(err)), 0);

	n = samples_marks(backend_samples(be), 0, UINT64_MAX, m, 8);
	assert_int_equal(n, 4);
	assert_string_equal(m[0].text, "rate_iops 50000,50000->45000,5000");
	assert_int_equal(m[0].job, 0);
	assert_int_equal(m[0].njobs, 4);
	assert_string_equal(m[1].text, "rwmixread 90->50");
	assert_string_equal(m[2].text, "rate_iops 25000,25000->1000,2000");
	assert_int_equal(m[2].job, 1);
	assert_true(m[2].njobs <= 1);
	assert_string_equal(m[3].text, "bs 8k->64k");
	backend_free(be);
	job_list_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_null_bytes),
		cmocka_unit_test(test_runstates_in_order),
		cmocka_unit_test(test_rate_iops),
		cmocka_unit_test(test_stop_time_based),
		cmocka_unit_test(test_stonewall),
		cmocka_unit_test(test_numjobs),
		cmocka_unit_test(test_psync_file),
		cmocka_unit_test(test_offload),
		cmocka_unit_test(test_null_depth),
		cmocka_unit_test(test_knobs),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_ratemin),
		cmocka_unit_test(test_ramp),
		cmocka_unit_test(test_fsync),
		cmocka_unit_test(test_verify),
		cmocka_unit_test(test_pacing_misc),
		cmocka_unit_test(test_restart),
		cmocka_unit_test(test_fio_bytes),
		cmocka_unit_test(test_knob_clones),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
