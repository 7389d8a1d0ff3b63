/* backend/zbd: the emulated zones' state machine — write pointers, open
 * zone limits, closes on completion, resets when full, reads below the
 * wps, region fitting, reset frequency, trims as resets, load-time
 * checks. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "backend/options.h"
#include "backend/zbd.h"

#define K 1024ULL
#define M (1024ULL * 1024)

struct fx {
	struct job_opts o;
	struct zbd_set *set;
	struct zbd_file zf;
	struct zbd_job j;
	uint64_t off, len;
	char note[256], err[256];
};

/* A job on a @size-byte file (dev 1, ino @ino) with 1 MiB zones and
 * 64 KiB blocks; @rw, @max_open. */
static void fx_setup(struct fx *f, struct zbd_set *set, unsigned rw, unsigned max_open,
		     uint64_t size, ino_t ino)
{
	uint32_t min_bs[DDIR_RWDIR_CNT] = { 64 * K, 64 * K, 64 * K };

	memset(f, 0, sizeof(*f));
	opts_init(&f->o);
	f->o.zonemode = ZONEMODE_ZBD;
	f->o.zone_size = M;
	f->o.rw = rw;
	f->o.max_open_zones = max_open;
	f->set = set;
	f->off = 0;
	f->len = size;
	assert_int_equal(zbd_attach(set, &f->zf, &f->o, "f", 1, ino, false, size, &f->off,
				    &f->len, f->note, sizeof(f->note), f->err, sizeof(f->err)), 0);
	zbd_job_init(&f->j, &f->o, min_bs);
}

static void fx_free(struct fx *f)
{
	opts_free(&f->o);
}

/* One I/O drawn at @off: returns zbd_adjust's answer, the fitted offset
 * in *@out; a write is completed at once. */
static int io(struct fx *f, int ddir, uint64_t off, uint64_t *out)
{
	uint32_t len = 64 * K;
	int d = ddir, r = zbd_adjust(&f->j, &f->zf, &d, &off, &len, f->err, sizeof(f->err));

	if (!r && d == DDIR_WRITE)
		zbd_write_done(&f->j, &f->zf, off, len);
	*out = off;
	return r;
}

static void test_seq_writes_at_wp(void **state)
{
	struct zbd_set *s = zbd_set_new();
	struct fx f;
	uint64_t at;

	(void)state;
	fx_setup(&f, s, RW_WRITE, 0, 4 * M, 1);
	assert_int_equal(zbd_nr_zones(&f.zf), 4);
	/* drawn anywhere in zone 1: written at its wp */
	assert_int_equal(io(&f, DDIR_WRITE, M + 512 * K, &at), 0);
	assert_int_equal(at, M);
	assert_int_equal(io(&f, DDIR_WRITE, M + 128 * K, &at), 0);
	assert_int_equal(at, M + 64 * K);
	assert_int_equal(zbd_zone_wp(&f.zf, 1), M + 128 * K);
	assert_int_equal(zbd_zone_wp(&f.zf, 0), 0);
	fx_free(&f);
	zbd_set_free(s);
}

static void test_full_zone_resets(void **state)
{
	struct zbd_set *s = zbd_set_new();
	struct fx f;
	uint64_t at;

	(void)state;
	fx_setup(&f, s, RW_WRITE, 0, 2 * M, 1);
	for (int i = 0; i < 16; i++)
		assert_int_equal(io(&f, DDIR_WRITE, 0, &at), 0);
	assert_int_equal(zbd_zone_wp(&f.zf, 0), M);
	assert_int_equal(f.j.resets, 0);
	/* full: the next write resets it and goes to its start */
	assert_int_equal(io(&f, DDIR_WRITE, 0, &at), 0);
	assert_int_equal(at, 0);
	assert_int_equal(f.j.resets, 1);
	assert_int_equal(zbd_zone_wp(&f.zf, 0), 64 * K);
	fx_free(&f);
	zbd_set_free(s);
}

static void test_open_limit(void **state)
{
	struct zbd_set *s = zbd_set_new();
	struct fx f;
	uint64_t at;

	(void)state;
	fx_setup(&f, s, RW_WRITE | RW_RAND, 2, 8 * M, 1);
	assert_int_equal(io(&f, DDIR_WRITE, 3 * M, &at), 0);
	assert_int_equal(at, 3 * M);
	assert_int_equal(io(&f, DDIR_WRITE, 5 * M, &at), 0);
	assert_int_equal(at, 5 * M);
	assert_int_equal(zbd_open_count(&f.zf), 2);
	/* a third zone drawn: the write goes to one of the two open ones */
	for (int i = 0; i < 8; i++) {
		assert_int_equal(io(&f, DDIR_WRITE, (uint64_t)(i % 8) * M + 4096, &at), 0);
		assert_true(at / M == 3 || at / M == 5);
		assert_int_equal(zbd_open_count(&f.zf), 2);
	}
	assert_true(zbd_zone_open(&f.zf, 3) && zbd_zone_open(&f.zf, 5));
	assert_false(zbd_zone_open(&f.zf, 0));
	fx_free(&f);
	zbd_set_free(s);
}

static void test_close_on_fill(void **state)
{
	struct zbd_set *s = zbd_set_new();
	struct fx f;
	uint64_t at;

	(void)state;
	fx_setup(&f, s, RW_WRITE, 1, 4 * M, 1);
	for (int i = 0; i < 15; i++)
		assert_int_equal(io(&f, DDIR_WRITE, 0, &at), 0);
	assert_true(zbd_zone_open(&f.zf, 0));
	/* the write reaching the capacity closes the zone on completion */
	assert_int_equal(io(&f, DDIR_WRITE, 0, &at), 0);
	assert_false(zbd_zone_open(&f.zf, 0));
	assert_int_equal(zbd_open_count(&f.zf), 0);
	/* a write in flight keeps it open until done */
	{
		uint32_t len = 64 * K;
		int d = DDIR_WRITE;
		uint64_t off = M;

		for (int i = 0; i < 16; i++) {
			off = M;
			len = 64 * K;
			assert_int_equal(zbd_adjust(&f.j, &f.zf, &d, &off, &len, f.err,
						    sizeof(f.err)), 0);
			if (i < 15)
				zbd_write_done(&f.j, &f.zf, off, len);
		}
		assert_true(zbd_zone_open(&f.zf, 1));
		zbd_write_done(&f.j, &f.zf, off, len);
		assert_false(zbd_zone_open(&f.zf, 1));
	}
	fx_free(&f);
	zbd_set_free(s);
}

static void test_reads_below_wp(void **state)
{
	struct zbd_set *s = zbd_set_new();
	struct fx w, r;
	uint64_t at;

	(void)state;
	fx_setup(&w, s, RW_WRITE, 0, 4 * M, 7);
	fx_setup(&r, s, RW_READ, 0, 4 * M, 7); /* the same file: the same zones */
	/* nothing written: the pass ends */
	assert_int_equal(io(&r, DDIR_READ, 0, &at), 1);
	for (int i = 0; i < 3; i++)
		assert_int_equal(io(&w, DDIR_WRITE, 2 * M, &at), 0);
	/* a sequential read of zone 0 goes to zone 2's data */
	assert_int_equal(io(&r, DDIR_READ, 0, &at), 0);
	assert_int_equal(at, 2 * M);
	/* past the wp: the pass ends (no zone further on holds data) */
	assert_int_equal(io(&r, DDIR_READ, 2 * M + 192 * K, &at), 1);
	r.j.read_beyond_wp = true;
	assert_int_equal(io(&r, DDIR_READ, 3 * M, &at), 0);
	assert_int_equal(at, 3 * M);
	fx_free(&w);
	fx_free(&r);
	zbd_set_free(s);
}

static void test_region_fit(void **state)
{
	struct zbd_set *s = zbd_set_new();
	struct job_opts o;
	struct zbd_file zf;
	uint64_t off = 100 * K, len = 3 * M;
	char note[256], err[256];

	(void)state;
	opts_init(&o);
	o.zonemode = ZONEMODE_ZBD;
	o.zone_size = M;
	o.rw = RW_WRITE;
	assert_int_equal(zbd_attach(s, &zf, &o, "f", 1, 2, false, 8 * M, &off, &len, note,
				    sizeof(note), err, sizeof(err)), 0);
	assert_int_equal(off, M);
	assert_int_equal(len, 2 * M);
	assert_non_null(strstr(note, "whole zones"));
	assert_int_equal(zf.given_size, 3 * M);
	/* no whole zone in the region */
	off = 100 * K;
	len = 512 * K;
	assert_int_equal(zbd_attach(s, &zf, &o, "f", 1, 2, false, 8 * M, &off, &len, note,
				    sizeof(note), err, sizeof(err)), -EINVAL);
	/* a file smaller than a zone */
	off = 0;
	len = 512 * K;
	assert_int_equal(zbd_attach(s, &zf, &o, "g", 1, 3, false, 512 * K, &off, &len, note,
				    sizeof(note), err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "less than zonesize"));
	/* a job seeing the file grown past the zones another job set up */
	off = 0;
	len = 16 * M;
	assert_int_equal(zbd_attach(s, &zf, &o, "f", 1, 2, false, 16 * M, &off, &len, note,
				    sizeof(note), err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "past the 8 zones"));
	/* another zone size on the same file */
	o.zone_size = 2 * M;
	off = 0;
	len = 8 * M;
	assert_int_equal(zbd_attach(s, &zf, &o, "f", 1, 2, false, 8 * M, &off, &len, note,
				    sizeof(note), err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "zonesize"));
	opts_free(&o);
	zbd_set_free(s);
}

static void test_capacity(void **state)
{
	struct zbd_set *s = zbd_set_new();
	struct fx f;
	uint64_t at;

	(void)state;
	fx_setup(&f, s, RW_WRITE, 0, 2 * M, 1);
	zbd_set_reset(s);
	f.o.zone_capacity = 192 * K;
	f.off = 0;
	f.len = 2 * M;
	assert_int_equal(zbd_attach(s, &f.zf, &f.o, "f", 1, 1, false, 2 * M, &f.off, &f.len,
				    f.note, sizeof(f.note), f.err, sizeof(f.err)), 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(io(&f, DDIR_WRITE, 0, &at), 0);
	assert_int_equal(zbd_zone_wp(&f.zf, 0), 192 * K);
	/* a sequential position past the capacity jumps to the next zone */
	assert_int_equal(zbd_seq_skip(&f.zf, 192 * K), M);
	assert_int_equal(zbd_seq_skip(&f.zf, 128 * K), 128 * K);
	/* full at its capacity: reset */
	assert_int_equal(io(&f, DDIR_WRITE, 0, &at), 0);
	assert_int_equal(at, 0);
	assert_int_equal(f.j.resets, 1);
	fx_free(&f);
	zbd_set_free(s);
}

static void test_reset_frequency(void **state)
{
	struct zbd_set *s = zbd_set_new();
	struct fx f;
	uint64_t at;

	(void)state;
	fx_setup(&f, s, RW_WRITE, 0, 4 * M, 1);
	f.j.zrt = 0;
	f.j.zrf = 0.5; /* every second write resets its zone */
	zbd_loop_start(&f.j, &f.zf);
	for (int i = 0; i < 4; i++)
		assert_int_equal(io(&f, DDIR_WRITE, 0, &at), 0);
	assert_int_equal(f.j.resets, 2);
	assert_int_equal(zbd_zone_wp(&f.zf, 0), 64 * K);
	fx_free(&f);
	zbd_set_free(s);
}

static void test_trim(void **state)
{
	struct zbd_set *s = zbd_set_new();
	struct fx f;
	uint64_t at;
	uint32_t len = M;
	int d = DDIR_TRIM;

	(void)state;
	fx_setup(&f, s, RW_WRITE | RW_TRIM | RW_RAND, 0, 4 * M, 1);
	for (int i = 0; i < 3; i++)
		assert_int_equal(io(&f, DDIR_WRITE, 2 * M, &at), 0);
	/* a random trim of an empty zone goes to the zone holding data */
	at = 0;
	assert_int_equal(zbd_adjust(&f.j, &f.zf, &d, &at, &len, f.err, sizeof(f.err)), 0);
	assert_int_equal(at, 2 * M);
	assert_int_equal(zbd_trim(&f.j, &f.zf, at), 0);
	assert_int_equal(zbd_zone_wp(&f.zf, 2), 2 * M);
	assert_int_equal(f.j.resets, 1);
	/* nothing left to trim: the pass ends; a trim off a zone start fails */
	at = 0;
	assert_int_equal(zbd_adjust(&f.j, &f.zf, &d, &at, &len, f.err, sizeof(f.err)), 1);
	assert_int_equal(zbd_trim(&f.j, &f.zf, 4096), EINVAL);
	fx_free(&f);
	zbd_set_free(s);
}

static void test_opts_check(void **state)
{
	struct job_opts o;
	char err[256];

	(void)state;
	opts_init(&o);
	o.zonemode = ZONEMODE_ZBD;
	assert_int_equal(zbd_opts_check(&o, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "needs zonesize"));
	o.zone_size = M;
	assert_int_equal(zbd_opts_check(&o, err, sizeof(err)), 0);
	o.zone_capacity = 2 * M;
	assert_int_equal(zbd_opts_check(&o, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "zonecapacity"));
	o.zone_capacity = 0;
	o.job_max_open_zones = 2;
	assert_int_equal(zbd_opts_check(&o, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "job_max_open_zones"));
	o.max_open_zones = 4;
	assert_int_equal(zbd_opts_check(&o, err, sizeof(err)), 0);
	o.zone_skip = 512 * K;
	assert_int_equal(zbd_opts_check(&o, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "zoneskip"));
	o.zone_skip = 2 * M;
	assert_int_equal(zbd_opts_check(&o, err, sizeof(err)), 0);
	o.zone_skip = 0;
	assert_null(zbd_unused_option(&o));
	o.zone_range = 4 * M; /* ignored under zbd, as fio: a warning, not a refusal */
	assert_int_equal(zbd_opts_check(&o, err, sizeof(err)), 0);
	assert_string_equal(zbd_unused_option(&o), "zonerange");
	o.zone_range = 0;
	o.zonemode = ZONEMODE_NONE;
	o.zone_size = 0;
	/* zbd's knobs without zonemode=zbd: fio takes them and they do nothing */
	assert_int_equal(zbd_opts_check(&o, err, sizeof(err)), 0);
	assert_string_equal(zbd_unused_option(&o), "max_open_zones");
	opts_free(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seq_writes_at_wp),
		cmocka_unit_test(test_full_zone_resets),
		cmocka_unit_test(test_open_limit),
		cmocka_unit_test(test_close_on_fill),
		cmocka_unit_test(test_reads_below_wp),
		cmocka_unit_test(test_region_fit),
		cmocka_unit_test(test_capacity),
		cmocka_unit_test(test_reset_frequency),
		cmocka_unit_test(test_trim),
		cmocka_unit_test(test_opts_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
