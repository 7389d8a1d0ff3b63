/* backend/workload, the access patterns of issue 15: backwards sequential
 * steps, strided zones, zoned / zoned_abs draws (shares within tolerance;
 * fio's own draws are random) and random_generator=lfsr (every block
 * exactly once a pass, no random map). The offset sequences that fio makes
 * deterministic are compared with fio 3.33 itself in tests/int/patterns.sh;
 * the figures below were read from fio's write_iolog for the same jobs. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "backend/job.h"
#include "backend/workload.h"

#define K 1024ULL
#define M (1024ULL * 1024)

struct fixture {
	struct job job;
	struct job_file file;
	struct workload w;
};

static struct fixture *fx_new(unsigned rw)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct job_opts *o;

	assert_non_null(f);
	o = &f->job.o;
	o->rw = rw;
	for (int d = 0; d < DDIR_RWDIR_CNT; d++)
		o->bs[d] = 4096;
	o->rwmixread = 50;
	o->randrepeat = true;
	o->iodepth = 1;
	o->loops = 1;
	o->nrfiles = 1;
	o->numjobs = 1;
	f->job.name = "t";
	return f;
}

/* One file: region [@start, @start + @region), file @fsize bytes. */
static void fx_init(struct fixture *f, uint64_t start, uint64_t region, uint64_t fsize)
{
	char err[200];
	int ret;

	f->file.path = "f0";
	f->file.fd = -1;
	f->file.io_start = start;
	f->file.io_size = region;
	f->file.real_size = fsize;
	f->job.files = &f->file;
	f->job.nr_files = 1;
	ret = workload_init(&f->w, &f->job, 0, err, sizeof(err));
	if (ret)
		fprintf(stderr, "workload_init: %s\n", err);
	assert_int_equal(ret, 0);
}

static void fx_free(struct fixture *f)
{
	workload_free(&f->w);
	free(f);
}

/* Offsets (in KiB) of the first @n I/Os of this loop; returns how many. */
static unsigned offsets_k(struct fixture *f, uint64_t *out, unsigned n)
{
	struct io_u u;
	unsigned i;

	for (i = 0; i < n; i++) {
		memset(&u, 0, sizeof(u));
		if (workload_next(&f->w, &u))
			break;
		out[i] = u.offset / K;
	}
	return i;
}

static void expect_k(struct fixture *f, const uint64_t *want, unsigned n)
{
	uint64_t got[256];
	unsigned k = offsets_k(f, got, n + 1);

	for (unsigned i = 0; i < n && i < k; i++)
		if (got[i] != want[i])
			fail_msg("I/O %u at %lluk, fio's at %lluk", i, (unsigned long long)got[i],
				 (unsigned long long)want[i]);
	assert_int_equal(k, n);
}

/* rw=read:-8k, bs=4k, size=128k: the first block, then backwards from the
 * end, as fio 3.33 (32 I/Os, then the loop's bytes are done). */
static void test_backwards(void **state)
{
	struct fixture *f = fx_new(RW_READ);
	uint64_t want[32];

	(void)state;
	f->job.o.rw_seq_nr = 8 * K;
	f->job.o.rw_seq_back = true;
	fx_init(f, 0, 128 * K, 128 * K);
	want[0] = 0;
	for (unsigned i = 1; i < 31; i++)
		want[i] = 124 - 4 * i;
	want[31] = 0;
	expect_k(f, want, 32);
	fx_free(f);

	/* offset=64k on a 1 MiB file: fio restarts at the region's length
	 * taken as an offset (128k) less the step, and wraps there again */
	f = fx_new(RW_READ);
	f->job.o.rw_seq_nr = 8 * K;
	f->job.o.rw_seq_back = true;
	fx_init(f, 64 * K, 128 * K, 1 * M);
	for (unsigned i = 0; i < 15; i++)
		want[i] = 120 - 4 * i;
	for (unsigned i = 15; i < 32; i++)
		want[i] = 184 - 4 * (i - 15);
	expect_k(f, want, 32);
	fx_free(f);

	/* read:-4k with bs=4k reads the first block over and over */
	f = fx_new(RW_READ);
	f->job.o.rw_seq_nr = 4 * K;
	f->job.o.rw_seq_back = true;
	fx_init(f, 0, 128 * K, 128 * K);
	memset(want, 0, sizeof(want));
	expect_k(f, want, 32);
	fx_free(f);
}

/* A forward hole landing past the region but inside the file ends it (fio
 * moves 11 I/Os for read:8k, offset=64k, size=128k). */
static void test_hole_ends_inside_file(void **state)
{
	struct fixture *f = fx_new(RW_READ);
	uint64_t want[11];

	(void)state;
	f->job.o.rw_seq_nr = 8 * K;
	fx_init(f, 64 * K, 128 * K, 192 * K);
	for (unsigned i = 0; i < 11; i++)
		want[i] = 64 + 12 * i;
	expect_k(f, want, 11);
	fx_free(f);
}

/* zonemode=strided: sequential zones, a zone done twice when zonesize is
 * above zonerange, wrapping at the file's end; fio 3.33's offsets. */
static void test_strided_seq(void **state)
{
	struct fixture *f = fx_new(RW_READ);
	uint64_t want[64];
	unsigned n = 0;

	(void)state;
	/* zonesize=16k zoneskip=32k (zonerange = zonesize), 1 MiB file,
	 * size=256k: zones every 48k, well past the region, on bytes alone */
	f->job.o.zonemode = ZONEMODE_STRIDED;
	f->job.o.zone_size = 16 * K;
	f->job.o.zone_skip = 32 * K;
	fx_init(f, 0, 256 * K, 1 * M);
	for (unsigned z = 0; z < 16; z++)
		for (unsigned b = 0; b < 4; b++)
			want[n++] = 48 * z + 4 * b;
	expect_k(f, want, 64);
	fx_free(f);

	/* the same on a 256k file: wraps to the start after the 6th zone */
	f = fx_new(RW_READ);
	f->job.o.zonemode = ZONEMODE_STRIDED;
	f->job.o.zone_size = 16 * K;
	f->job.o.zone_skip = 32 * K;
	fx_init(f, 0, 256 * K, 256 * K);
	n = 0;
	for (unsigned z = 0; z < 16; z++)
		for (unsigned b = 0; b < 4; b++)
			want[n++] = 48 * (z % 6) + 4 * b;
	expect_k(f, want, 64);
	fx_free(f);

	/* zonesize=32k over zonerange=16k, zoneskip=16k: each zone twice */
	f = fx_new(RW_READ);
	f->job.o.zonemode = ZONEMODE_STRIDED;
	f->job.o.zone_size = 32 * K;
	f->job.o.zone_range = 16 * K;
	f->job.o.zone_skip = 16 * K;
	fx_init(f, 0, 256 * K, 1 * M);
	n = 0;
	for (unsigned z = 0; z < 8; z++)
		for (unsigned b = 0; b < 8; b++)
			want[n++] = 32 * z + 4 * (b % 4);
	expect_k(f, want, 64);
	fx_free(f);
}

/* Random I/O in strided zones: each zone's zonesize bytes land inside its
 * zonerange, on distinct blocks (the map starts afresh per zone). */
static void test_strided_random(void **state)
{
	struct fixture *f = fx_new(RW_READ | RW_RAND);
	uint64_t got[64];

	(void)state;
	f->job.o.zonemode = ZONEMODE_STRIDED;
	f->job.o.zone_size = 16 * K;
	f->job.o.zone_range = 32 * K;
	f->job.o.zone_skip = 16 * K;
	fx_init(f, 0, 256 * K, 1 * M);
	assert_int_equal(offsets_k(f, got, 65), 64);
	for (unsigned i = 0; i < 64; i++) {
		uint64_t zone = 48 * (i / 4);

		assert_true(got[i] >= zone && got[i] + 4 <= zone + 32);
		for (unsigned j = i / 4 * 4; j < i; j++)
			assert_true(got[j] != got[i]);
	}
	fx_free(f);
}

/* wl_perm is a bijection on [0, 2^k) for every k used. */
static void test_perm_bijection(void **state)
{
	uint64_t key[2] = { 0x1234567890abcdefULL, 0x0fedcba987654321ULL };
	uint8_t *seen = malloc(1 << 16);

	(void)state;
	assert_non_null(seen);
	for (unsigned bits = 0; bits <= 16; bits++) {
		uint64_t mask = (1ULL << bits) - 1;

		memset(seen, 0, 1 << 16);
		for (uint64_t i = 0; i <= mask; i++) {
			uint64_t v = wl_perm(i, mask, key);

			assert_true(v <= mask);
			if (seen[v])
				fail_msg("bits %u: %llu seen twice", bits, (unsigned long long)v);
			seen[v] = 1;
		}
	}
	free(seen);
}

/* random_generator=lfsr: each block exactly once a pass, for region sizes
 * that are and are not powers of two, with no map; the loop then ends. */
static void test_lfsr_full_period(void **state)
{
	static const uint64_t sizes[] = { 4 * K, 64 * K, 1000 * K, 1 * M, 4 * M + 12 * K };
	struct io_u u;

	(void)state;
	for (unsigned s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		struct fixture *f = fx_new(RW_READ | RW_RAND);
		uint64_t nb = sizes[s] / (4 * K), n = 0, in_order = 0, prev = 0;
		uint8_t *seen = calloc(nb, 1);

		assert_non_null(seen);
		f->job.o.random_generator = RANDGEN_LFSR;
		fx_init(f, 0, sizes[s], sizes[s]);
		assert_null(f->file.randmap);
		while (!workload_next(&f->w, &u)) {
			uint64_t b = u.offset / (4 * K);

			assert_true(b < nb);
			if (seen[b])
				fail_msg("size %llu: block %llu twice", (unsigned long long)sizes[s],
					 (unsigned long long)b);
			seen[b] = 1;
			in_order += n && b == prev + 1;
			prev = b;
			n++;
		}
		assert_int_equal(n, nb);
		/* scrambled, not a sequential walk */
		if (nb > 64)
			assert_true(in_order < nb / 4);
		/* the next pass covers every block again */
		assert_true(workload_next_loop(&f->w) == false);
		workload_restart(&f->w);
		memset(seen, 0, nb);
		n = 0;
		while (!workload_next(&f->w, &u)) {
			assert_false(seen[u.offset / (4 * K)]);
			seen[u.offset / (4 * K)] = 1;
			n++;
		}
		assert_int_equal(n, nb);
		free(seen);
		fx_free(f);
	}
}

/* Shares of @n draws falling in [bound[k], bound[k+1]) (bytes). */
static void shares(struct fixture *f, unsigned n, const uint64_t *bound, unsigned nz,
		   double *share, int ddir)
{
	unsigned cnt[8] = { 0 }, got = 0;
	struct io_u u;

	while (got < n && !workload_next(&f->w, &u)) {
		if (ddir >= 0 && u.ddir != ddir)
			continue;
		for (unsigned k = 0; k < nz; k++)
			if (u.offset >= bound[k] && u.offset < bound[k + 1]) {
				cnt[k]++;
				break;
			}
		got++;
	}
	assert_int_equal(got, n);
	for (unsigned k = 0; k < nz; k++)
		share[k] = (double)cnt[k] / n;
}

static void set_zones(struct job_opts *o, const unsigned *acc, const uint64_t *size,
		      unsigned n, bool abs)
{
	o->random_distribution = abs ? DIST_ZONED_ABS : DIST_ZONED;
	o->norandommap = true;
	for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
		o->nr_zone_split[d] = n;
		for (unsigned k = 0; k < n; k++) {
			o->zone_split[d][k].access = acc[k];
			if (abs)
				o->zone_split[d][k].size = size[k];
			else
				o->zone_split[d][k].size_pct = (unsigned)size[k];
		}
	}
}

/* zoned:50/5:30/15:20/80 (fio's rand-zones example): the shares of 40000
 * draws are within 1.5 points of 50/30/20 (fio measured 0.502/0.299/0.199
 * on the same job); no draw outside the region. */
static void test_zoned_shares(void **state)
{
	static const unsigned acc[] = { 50, 30, 20 };
	static const uint64_t pct[] = { 5, 15, 80 };
	const uint64_t bound[] = { 0, 64 * M * 5 / 100 / (4 * K) * 4 * K,
				   64 * M * 20 / 100 / (4 * K) * 4 * K, 64 * M };
	struct fixture *f = fx_new(RW_READ | RW_RAND);
	double s[3];

	(void)state;
	set_zones(&f->job.o, acc, pct, 3, false);
	f->job.o.io_size = 40000 * 4 * K;
	fx_init(f, 0, 64 * M, 64 * M);
	shares(f, 40000, bound, 3, s, -1);
	for (unsigned k = 0; k < 3; k++)
		if (s[k] < acc[k] / 100.0 - 0.015 || s[k] > acc[k] / 100.0 + 0.015)
			fail_msg("zone %u: share %.3f, want %.2f", k, s[k], acc[k] / 100.0);
	fx_free(f);
}

/* zoned_abs:60/4m:30/16m:10/44m on a randrw job: both directions keep the
 * shares (fio: 0.601/0.300/0.100 reads, 0.594/0.305/0.101 writes). */
static void test_zoned_abs_shares(void **state)
{
	static const unsigned acc[] = { 60, 30, 10 };
	static const uint64_t sz[] = { 4 * M, 16 * M, 44 * M };
	const uint64_t bound[] = { 0, 4 * M, 20 * M, 64 * M };
	struct fixture *f = fx_new(RW_READ | RW_WRITE | RW_RAND);
	double s[3];

	(void)state;
	set_zones(&f->job.o, acc, sz, 3, true);
	f->job.o.io_size = 100000 * 4 * K;
	fx_init(f, 0, 64 * M, 64 * M);
	for (int d = DDIR_READ; d <= DDIR_WRITE; d++) {
		shares(f, 20000, bound, 3, s, d);
		for (unsigned k = 0; k < 3; k++)
			if (s[k] < acc[k] / 100.0 - 0.02 || s[k] > acc[k] / 100.0 + 0.02)
				fail_msg("dir %d zone %u: share %.3f, want %.2f", d, k, s[k],
					 acc[k] / 100.0);
	}
	fx_free(f);
}

/* zoned_abs zones past the region are refused at setup, naming the option. */
static void test_zoned_abs_too_big(void **state)
{
	static const unsigned acc[] = { 60, 40 };
	static const uint64_t sz[] = { 4 * M, 64 * M };
	struct fixture *f = fx_new(RW_READ | RW_RAND);
	char err[200];

	(void)state;
	set_zones(&f->job.o, acc, sz, 2, true);
	f->file.path = "f0";
	f->file.io_size = 64 * M;
	f->file.real_size = 64 * M;
	f->job.files = &f->file;
	f->job.nr_files = 1;
	assert_int_equal(workload_init(&f->w, &f->job, 0, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "random_distribution: zoned_abs"));
	free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backwards),
		cmocka_unit_test(test_hole_ends_inside_file),
		cmocka_unit_test(test_strided_seq),
		cmocka_unit_test(test_strided_random),
		cmocka_unit_test(test_perm_bijection),
		cmocka_unit_test(test_lfsr_full_period),
		cmocka_unit_test(test_zoned_shares),
		cmocka_unit_test(test_zoned_abs_shares),
		cmocka_unit_test(test_zoned_abs_too_big),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
