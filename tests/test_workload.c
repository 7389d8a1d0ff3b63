/* backend/workload: random map coverage, block sizes, mixes, sequential
 * offsets and holes, regions (offset_increment), and the bytes a job moves
 * compared with what fio 3.33 moves for the same job. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include <cmocka.h>

#include "backend/job.h"
#include "backend/workload.h"

#define K 1024ULL
#define M (1024ULL * 1024)

struct fixture {
	struct job job;
	struct job_file files[4];
	char names[4][16];
	struct workload w;
};

/* Defaults as the option table has them (set here: this test links no
 * option parser). */
static void opts_defaults(struct job_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->rw = RW_READ;
	for (int d = 0; d < DDIR_RWDIR_CNT; d++)
		o->bs[d] = 4096;
	o->rwmixread = 50;
	o->randrepeat = true;
	o->iodepth = 1;
	o->loops = 1;
	o->nrfiles = 1;
	o->numjobs = 1;
}

/* Files of @region bytes each, starting at @start. */
static void fx_files(struct fixture *f, unsigned n, uint64_t start, uint64_t region)
{
	f->job.files = f->files;
	f->job.nr_files = n;
	for (unsigned i = 0; i < n; i++) {
		snprintf(f->names[i], sizeof(f->names[i]), "f%u", i);
		memset(&f->files[i], 0, sizeof(f->files[i]));
		f->files[i].path = f->names[i];
		f->files[i].fd = -1;
		f->files[i].io_start = start;
		f->files[i].io_size = region;
		f->files[i].real_size = start + region;
	}
}

static void fx_init(struct fixture *f)
{
	char err[200];
	int ret = workload_init(&f->w, &f->job, 0, err, sizeof(err));

	if (ret)
		fprintf(stderr, "workload_init: %s\n", err);
	assert_int_equal(ret, 0);
}

static struct fixture *fx_new(void)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	opts_defaults(&f->job.o);
	f->job.name = "t";
	return f;
}

static void fx_free(struct fixture *f)
{
	workload_free(&f->w);
	free(f);
}

/* Run the generator as a job would (all loops). Returns bytes per
 * direction in @bytes and the I/O count. */
static uint64_t run_all(struct fixture *f, uint64_t *bytes, uint64_t cap)
{
	struct io_u u;
	uint64_t n = 0;

	memset(bytes, 0, sizeof(uint64_t) * DDIR_RWDIR_CNT);
	for (;;) {
		memset(&u, 0, sizeof(u));
		if (workload_next(&f->w, &u)) {
			if (!workload_next_loop(&f->w))
				break;
			continue;
		}
		assert_true(u.ddir >= 0 && u.ddir < DDIR_RWDIR_CNT);
		assert_true(u.offset >= u.file->io_start);
		assert_true(u.offset + u.buflen <= u.file->io_start + u.file->io_size);
		bytes[u.ddir] += u.buflen;
		if (++n >= cap)
			break;
	}
	return n;
}

static void test_map_primitives(void **state)
{
	struct wl_file wf;
	const uint64_t nb = 300000; /* three summary levels */
	uint64_t *order = malloc(nb * sizeof(*order));
	struct rand_state r;

	(void)state;
	memset(&wf, 0, sizeof(wf));
	assert_int_equal(wl_map_alloc(&wf, nb), 0);
	assert_true(wf.nlevels >= 3);
	rand_seed(&r, 5);
	/* random picks with next-free fallback cover each block exactly once */
	for (uint64_t i = 0; i < nb; i++) {
		uint64_t b = rand_below(&r, nb);

		if (wl_map_isset(&wf, b))
			b = wl_map_next_free(&wf, b);
		assert_true(b < nb);
		assert_false(wl_map_isset(&wf, b));
		assert_int_equal(wl_map_set(&wf, b, 1), 1);
		order[i] = b;
	}
	assert_int_equal(wl_map_next_free(&wf, 0), UINT64_MAX);
	for (uint64_t i = 0; i < nb; i++)
		assert_true(wl_map_isset(&wf, i));
	/* a multi-block set stops at the first used block */
	wl_map_clear(&wf);
	assert_int_equal(wl_map_set(&wf, 10, 1), 1);
	assert_int_equal(wl_map_set(&wf, 5, 16), 5);
	assert_int_equal(wl_map_next_free(&wf, 5), 11);
	assert_int_equal(wl_map_set(&wf, nb - 2, 8), 2); /* clipped at the end */
	assert_int_equal(wl_map_next_free(&wf, nb - 1), 0); /* wraps */
	wl_map_free(&wf);
	free(order);
}

static void test_random_map_pass(void **state)
{
	struct fixture *f = fx_new();
	const uint64_t region = 8 * M, nb = region / 4096;
	unsigned char *seen = calloc(nb, 1);
	struct io_u u;

	(void)state;
	f->job.o.rw = RW_READ | RW_RAND;
	f->job.o.loops = 2;
	fx_files(f, 1, 0, region);
	fx_init(f);
	for (int pass = 0; pass < 2; pass++) {
		memset(seen, 0, nb);
		for (uint64_t i = 0; i < nb; i++) {
			memset(&u, 0, sizeof(u));
			assert_int_equal(workload_next(&f->w, &u), 0);
			assert_int_equal(u.offset % 4096, 0);
			assert_int_equal(seen[u.offset / 4096], 0);
			seen[u.offset / 4096] = 1;
		}
		for (uint64_t i = 0; i < nb; i++)
			assert_int_equal(seen[i], 1);
		assert_int_equal(workload_next(&f->w, &u), 1); /* pass over */
		assert_int_equal(workload_next_loop(&f->w), pass == 0);
	}
	free(seen);
	fx_free(f);
}

static void test_random_not_sequential(void **state)
{
	struct fixture *f = fx_new();
	struct io_u u;
	unsigned in_order = 0;
	uint64_t last = 0;

	(void)state;
	f->job.o.rw = RW_READ | RW_RAND;
	fx_files(f, 1, 0, 64 * M);
	fx_init(f);
	for (int i = 0; i < 1000; i++) {
		assert_int_equal(workload_next(&f->w, &u), 0);
		in_order += u.offset == last + 4096;
		last = u.offset;
	}
	assert_true(in_order < 10);
	fx_free(f);
}

static void test_bssplit(void **state)
{
	struct fixture *f = fx_new();
	static const struct bssplit sp[] = { { 4096, 50 }, { 16384, 30 }, { 65536, 20 } };
	unsigned cnt[3] = { 0 };
	const int draws = 100000;
	struct io_u u;

	(void)state;
	f->job.o.rw = RW_READ;
	f->job.o.time_based = true;
	for (int i = 0; i < 3; i++)
		f->job.o.bssplit[DDIR_READ][i] = sp[i];
	f->job.o.nr_bssplit[DDIR_READ] = 3;
	fx_files(f, 1, 0, 1ULL << 40);
	fx_init(f);
	for (int i = 0; i < draws; i++) {
		assert_int_equal(workload_next(&f->w, &u), 0);
		for (int k = 0; k < 3; k++)
			cnt[k] += u.buflen == sp[k].bs;
	}
	for (int k = 0; k < 3; k++) {
		double got = 100.0 * cnt[k] / draws;

		if (fabs(got - sp[k].perc) >= 2.0)
			fprintf(stderr, "bs %u: %.2f%% want %.0f%%\n", sp[k].bs, got, sp[k].perc);
		assert_true(fabs(got - sp[k].perc) < 2.0);
	}
	fx_free(f);
}

static void test_bssplit_zero_share(void **state)
{
	struct fixture *f = fx_new();
	unsigned cnt8k = 0;
	const int draws = 50000;
	struct io_u u;

	(void)state;
	/* 4k/40:8k:16k -> 8k and 16k share the remaining 60 */
	f->job.o.time_based = true;
	f->job.o.bssplit[DDIR_READ][0] = (struct bssplit){ 4096, 40 };
	f->job.o.bssplit[DDIR_READ][1] = (struct bssplit){ 8192, 0 };
	f->job.o.bssplit[DDIR_READ][2] = (struct bssplit){ 16384, 0 };
	f->job.o.nr_bssplit[DDIR_READ] = 3;
	fx_files(f, 1, 0, 1ULL << 40);
	fx_init(f);
	for (int i = 0; i < draws; i++) {
		assert_int_equal(workload_next(&f->w, &u), 0);
		cnt8k += u.buflen == 8192;
	}
	assert_true(fabs(100.0 * cnt8k / draws - 30.0) < 2.0);
	fx_free(f);
}

static void test_bsrange(void **state)
{
	struct fixture *f = fx_new();
	unsigned seen[17] = { 0 };
	struct io_u u;

	(void)state;
	f->job.o.time_based = true;
	f->job.o.bs_min[DDIR_READ] = 4096;
	f->job.o.bs_max[DDIR_READ] = 65536;
	fx_files(f, 1, 0, 1ULL << 40);
	fx_init(f);
	for (int i = 0; i < 17000; i++) {
		assert_int_equal(workload_next(&f->w, &u), 0);
		assert_int_equal(u.buflen % 4096, 0);
		assert_true(u.buflen >= 4096 && u.buflen <= 65536);
		seen[u.buflen / 4096]++;
	}
	for (int k = 1; k <= 16; k++)
		assert_true(seen[k] > 500); /* each multiple of 4k, roughly 1/16 */
	fx_free(f);
}

static void test_rwmix(void **state)
{
	struct fixture *f = fx_new();
	unsigned reads = 0;
	const int draws = 100000;
	struct io_u u;

	(void)state;
	f->job.o.rw = RW_READ | RW_WRITE | RW_RAND;
	f->job.o.rwmixread = 70;
	f->job.o.time_based = true;
	fx_files(f, 1, 0, 1ULL << 36);
	fx_init(f);
	for (int i = 0; i < draws; i++) {
		assert_int_equal(workload_next(&f->w, &u), 0);
		reads += u.ddir == DDIR_READ;
	}
	assert_true(fabs(100.0 * reads / draws - 70.0) < 1.0);
	/* live change */
	workload_set_rwmix(&f->w, 10);
	reads = 0;
	for (int i = 0; i < draws; i++) {
		assert_int_equal(workload_next(&f->w, &u), 0);
		reads += u.ddir == DDIR_READ;
	}
	assert_true(fabs(100.0 * reads / draws - 10.0) < 1.0);
	fx_free(f);
}

static void test_sequential_wrap(void **state)
{
	struct fixture *f = fx_new();
	struct io_u u;

	(void)state;
	fx_files(f, 1, 1 * M, 64 * K);
	fx_init(f);
	for (uint64_t i = 0; i < 16; i++) {
		assert_int_equal(workload_next(&f->w, &u), 0);
		assert_int_equal(u.offset, 1 * M + i * 4096);
		assert_int_equal(u.buflen, 4096);
		assert_int_equal(u.ddir, DDIR_READ);
	}
	assert_int_equal(workload_next(&f->w, &u), 1);
	fx_free(f);

	/* time_based: wraps to the region's start */
	f = fx_new();
	f->job.o.time_based = true;
	fx_files(f, 1, 1 * M, 64 * K);
	fx_init(f);
	for (uint64_t i = 0; i < 40; i++) {
		assert_int_equal(workload_next(&f->w, &u), 0);
		assert_int_equal(u.offset, 1 * M + (i % 16) * 4096);
	}
	fx_free(f);
}

static void test_seq_holes(void **state)
{
	struct fixture *f = fx_new();
	struct io_u u;
	uint64_t bytes[3];

	(void)state;
	/* rw=read:8k: read 4k, skip 8k; stops when an I/O ends at the end */
	f->job.o.rw_seq_nr = 8 * K;
	fx_files(f, 1, 0, 1 * M);
	fx_init(f);
	for (uint64_t i = 0; i < 3; i++) {
		assert_int_equal(workload_next(&f->w, &u), 0);
		assert_int_equal(u.offset, i * 12 * K);
	}
	workload_restart(&f->w);
	assert_int_equal(run_all(f, bytes, 1000000), 86); /* fio 3.33: 86 I/Os */
	assert_int_equal(bytes[DDIR_READ], 352256);
	fx_free(f);

	/* rw=write:12k: the hole jumps past the end, wraps to 0, runs to size */
	f = fx_new();
	f->job.o.rw = RW_WRITE;
	f->job.o.rw_seq_nr = 12 * K;
	fx_files(f, 1, 0, 1 * M);
	fx_init(f);
	assert_int_equal(run_all(f, bytes, 1000000), 256);
	assert_int_equal(bytes[DDIR_WRITE], 1 * M);
	fx_free(f);
}

static void test_rand_seq_nr(void **state)
{
	struct fixture *f = fx_new();
	struct io_u u;
	uint64_t prev_end = 0;
	unsigned contiguous = 0;

	(void)state;
	/* randread:4: a new random offset every 4th I/O, sequential between */
	f->job.o.rw = RW_READ | RW_RAND;
	f->job.o.rw_seq_nr = 4;
	fx_files(f, 1, 0, 64 * M);
	fx_init(f);
	for (int i = 0; i < 400; i++) {
		assert_int_equal(workload_next(&f->w, &u), 0);
		contiguous += u.offset == prev_end;
		prev_end = u.offset + u.buflen;
	}
	assert_true(contiguous >= 290 && contiguous <= 310); /* 3 of every 4 */
	fx_free(f);
}

static void test_regions(void **state)
{
	struct job_opts o;
	uint64_t start, len;
	char err[200];

	(void)state;
	opts_defaults(&o);
	o.size = 1 * M;
	o.offset = 4096;
	o.offset_increment = 256 * K;
	for (unsigned clone = 0; clone < 3; clone++) {
		assert_int_equal(workload_region(&o, clone, 1, 0, false, &start, &len, err,
						 sizeof(err)), 0);
		assert_int_equal(start, 4096 + clone * 256 * K);
		assert_int_equal(len, 1 * M);
	}
	/* size split over files */
	assert_int_equal(workload_region(&o, 0, 4, 0, false, &start, &len, err, sizeof(err)), 0);
	assert_int_equal(len, 256 * K);
	/* size from the existing file past the offset */
	o.size = 0;
	o.offset_increment = 0;
	assert_int_equal(workload_region(&o, 0, 1, 10 * M, true, &start, &len, err, sizeof(err)),
			 0);
	assert_int_equal(len, 10 * M - 4096);
	/* size% of the file, offset% */
	o.size_pct = 50;
	o.offset = 0;
	o.offset_pct = 25;
	assert_int_equal(workload_region(&o, 0, 1, 8 * M, true, &start, &len, err, sizeof(err)), 0);
	assert_int_equal(start, 2 * M);
	assert_int_equal(len, 4 * M);
	/* no size and no file: a clear error */
	opts_defaults(&o);
	assert_int_equal(workload_region(&o, 0, 1, 0, false, &start, &len, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "size"));
}

/* Bytes per direction a job moves, against fio 3.33 with ioengine=null
 * (measured: fio --output-format=json, io_bytes). */
struct fio_case {
	const char *what;
	unsigned rw;
	uint64_t size, io_size, seq_nr;
	uint32_t bs, bs_min, bs_max;
	struct bssplit split[2];
	unsigned nr_split, rwmix, loops;
	uint64_t want_total; /* read + write */
	int64_t want_read;   /* -1: depends on the random stream */
};

static const struct fio_case fio_cases[] = {
	{ "randread bssplit=4k/50:64k/50", RW_READ | RW_RAND, 1 * M, 0, 0, 0, 0, 0,
	  { { 4096, 50 }, { 65536, 50 } }, 2, 0, 1, 1048576, 1048576 },
	{ "read bssplit=4k/50:64k/50", RW_READ, 1 * M, 0, 0, 0, 0, 0,
	  { { 4096, 50 }, { 65536, 50 } }, 2, 0, 1, 1048576, 1048576 },
	{ "read bsrange=4k-64k", RW_READ, 1 * M, 0, 0, 0, 4096, 65536, { { 0, 0 } }, 0, 0, 1,
	  1048576, 1048576 },
	{ "randread bsrange=4k-64k", RW_READ | RW_RAND, 1 * M, 0, 0, 0, 4096, 65536, { { 0, 0 } },
	  0, 0, 1, 1048576, 1048576 },
	{ "randrw rwmixread=70", RW_READ | RW_WRITE | RW_RAND, 1 * M, 0, 0, 4096, 0, 0,
	  { { 0, 0 } }, 0, 70, 1, 1048576, -1 },
	{ "randrw bsrange=4k-16k", RW_READ | RW_WRITE | RW_RAND, 1 * M, 0, 0, 0, 4096, 16384,
	  { { 0, 0 } }, 0, 50, 1, 1048576, -1 },
	{ "read:8k", RW_READ, 1 * M, 0, 8 * K, 4096, 0, 0, { { 0, 0 } }, 0, 0, 1, 352256, 352256 },
	{ "write:12k", RW_WRITE, 1 * M, 0, 12 * K, 4096, 0, 0, { { 0, 0 } }, 0, 0, 1, 1048576, 0 },
	{ "randread loops=3", RW_READ | RW_RAND, 1 * M, 0, 0, 4096, 0, 0, { { 0, 0 } }, 0, 0, 3,
	  3145728, 3145728 },
	{ "randread io_size=3m", RW_READ | RW_RAND, 1 * M, 3 * M, 0, 4096, 0, 0, { { 0, 0 } }, 0, 0,
	  1, 3145728, 3145728 },
	{ "read io_size=100k", RW_READ, 1 * M, 100 * K, 0, 4096, 0, 0, { { 0, 0 } }, 0, 0, 1,
	  102400, 102400 },
	{ "read size=1001k", RW_READ, 1001 * K, 0, 0, 4096, 0, 0, { { 0, 0 } }, 0, 0, 1, 1024000,
	  1024000 },
	{ "rw size=1001k", RW_READ | RW_WRITE, 1001 * K, 0, 0, 4096, 0, 0, { { 0, 0 } }, 0, 50, 1,
	  1028096, -1 },
	{ "read io_size=1001k", RW_READ, 1 * M, 1001 * K, 0, 4096, 0, 0, { { 0, 0 } }, 0, 0, 1,
	  1028096, 1028096 },
	{ "read bsrange io_size=3m", RW_READ, 1 * M, 3 * M, 0, 0, 4096, 65536, { { 0, 0 } }, 0, 0,
	  1, 3145728, 3145728 },
};

static void test_fio_bytes(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(fio_cases) / sizeof(fio_cases[0]); i++) {
		const struct fio_case *c = &fio_cases[i];
		struct fixture *f = fx_new();
		uint64_t bytes[3];

		f->job.o.rw = c->rw;
		f->job.o.size = c->size;
		f->job.o.io_size = c->io_size;
		f->job.o.rw_seq_nr = c->seq_nr;
		f->job.o.loops = c->loops;
		if (c->rwmix)
			f->job.o.rwmixread = c->rwmix;
		for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
			if (c->bs)
				f->job.o.bs[d] = c->bs;
			f->job.o.bs_min[d] = c->bs_min;
			f->job.o.bs_max[d] = c->bs_max;
			for (unsigned k = 0; k < c->nr_split; k++)
				f->job.o.bssplit[d][k] = c->split[k];
			f->job.o.nr_bssplit[d] = c->nr_split;
		}
		fx_files(f, 1, 0, c->size);
		fx_init(f);
		run_all(f, bytes, 100000000);
		if (bytes[0] + bytes[1] != c->want_total ||
		    (c->want_read >= 0 && (int64_t)bytes[0] != c->want_read))
			fprintf(stderr, "%s: read %llu write %llu, fio total %llu\n", c->what,
				(unsigned long long)bytes[0], (unsigned long long)bytes[1],
				(unsigned long long)c->want_total);
		assert_int_equal(bytes[0] + bytes[1], c->want_total);
		if (c->want_read >= 0)
			assert_int_equal(bytes[0], c->want_read);
		fx_free(f);
	}
}

static void test_multi_files(void **state)
{
	struct fixture *f = fx_new();
	uint64_t per[4] = { 0 };
	struct io_u u;
	unsigned n = 0;

	(void)state;
	/* roundrobin over 4 files: each gets its quarter, in turn, from file 0
	 * (as fio) */
	f->job.o.size = 1 * M;
	fx_files(f, 4, 0, 256 * K);
	fx_init(f);
	while (!workload_next(&f->w, &u)) {
		per[u.file - f->files] += u.buflen;
		if (n < 8)
			assert_int_equal(u.file - f->files, n % 4);
		n++;
	}
	for (int i = 0; i < 4; i++)
		assert_int_equal(per[i], 256 * K);
	fx_free(f);

	/* roundrobin:3: three I/Os per file per turn */
	f = fx_new();
	f->job.o.file_service_nr = 3;
	fx_files(f, 2, 0, 64 * K);
	fx_init(f);
	for (n = 0; n < 12; n++) {
		assert_int_equal(workload_next(&f->w, &u), 0);
		assert_int_equal(u.file - f->files, (n / 3) % 2);
	}
	fx_free(f);

	/* sequential service: one file until done */
	f = fx_new();
	f->job.o.file_service_type = FSERVICE_SEQUENTIAL;
	fx_files(f, 2, 0, 64 * K);
	fx_init(f);
	for (int i = 0; i < 16; i++) {
		assert_int_equal(workload_next(&f->w, &u), 0);
		assert_true(u.file == &f->files[0]);
	}
	assert_int_equal(workload_next(&f->w, &u), 0);
	assert_true(u.file == &f->files[1]);
	fx_free(f);
}

static void test_determinism(void **state)
{
	struct fixture *a = fx_new(), *b = fx_new();
	struct io_u ua, ub;

	(void)state;
	a->job.o.rw = b->job.o.rw = RW_READ | RW_WRITE | RW_RAND;
	a->job.o.bs_min[0] = b->job.o.bs_min[0] = 4096;
	a->job.o.bs_max[0] = b->job.o.bs_max[0] = 65536;
	fx_files(a, 1, 0, 64 * M);
	fx_files(b, 1, 0, 64 * M);
	fx_init(a);
	fx_init(b);
	for (int i = 0; i < 5000; i++) {
		assert_int_equal(workload_next(&a->w, &ua), 0);
		assert_int_equal(workload_next(&b->w, &ub), 0);
		assert_int_equal(ua.offset, ub.offset);
		assert_int_equal(ua.buflen, ub.buflen);
		assert_int_equal(ua.ddir, ub.ddir);
	}
	fx_free(a);
	fx_free(b);
}

static void test_trimwrite(void **state)
{
	struct fixture *f = fx_new();
	struct io_u u;
	uint64_t off;

	(void)state;
	f->job.o.rw = RW_TRIM | RW_WRITE;
	fx_files(f, 1, 0, 64 * K);
	fx_init(f);
	for (int i = 0; i < 16; i++) {
		assert_int_equal(workload_next(&f->w, &u), 0);
		assert_int_equal(u.ddir, DDIR_TRIM);
		off = u.offset;
		assert_int_equal(workload_next(&f->w, &u), 0);
		assert_int_equal(u.ddir, DDIR_WRITE);
		assert_int_equal(u.offset, off);
	}
	assert_int_equal(workload_next(&f->w, &u), 1);
	fx_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_map_primitives),
		cmocka_unit_test(test_random_map_pass),
		cmocka_unit_test(test_random_not_sequential),
		cmocka_unit_test(test_bssplit),
		cmocka_unit_test(test_bssplit_zero_share),
		cmocka_unit_test(test_bsrange),
		cmocka_unit_test(test_rwmix),
		cmocka_unit_test(test_sequential_wrap),
		cmocka_unit_test(test_seq_holes),
		cmocka_unit_test(test_rand_seq_nr),
		cmocka_unit_test(test_regions),
		cmocka_unit_test(test_fio_bytes),
		cmocka_unit_test(test_multi_files),
		cmocka_unit_test(test_determinism),
		cmocka_unit_test(test_trimwrite),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
