/* backend/fiologs: file names, the averaged path (log_avg_msec=500: line
 * format, 500 ms spacing, values), log_max_value, the per-I/O path, the
 * histogram log in fio's 1856 bins, and a clear error for a bad path. */
#include <errno.h>
#include <regex.h>
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

#include "tests/scratch.h"

#include "backend/fiologs.h"
#include "backend/options.h"
#include "backend/stats.h"
#include "lib/clock.h"
#include "lib/hist.h"

static char dir[512];

static int setup(void **state)
{
	(void)state;
	return scratch_dir_make(dir, sizeof(dir), "fiologs");
}

static int teardown(void **state)
{
	(void)state;
	return scratch_dir_remove(dir);
}

static void opts(struct job_opts *o, const char *prefix, uint64_t avg, uint64_t hist)
{
	char p[600];

	memset(o, 0, sizeof(*o));
	snprintf(p, sizeof(p), "%s/%s", dir, prefix);
	o->write_bw_log = strdup(p);
	o->write_iops_log = strdup(p);
	o->write_lat_log = strdup(p);
	o->write_hist_log = strdup(p);
	o->log_avg_msec = avg;
	o->log_hist_msec = hist;
	o->per_job_logs = true;
	o->bs[0] = o->bs[1] = o->bs[2] = 4096;
}

static void opts_release(struct job_opts *o)
{
	free(o->write_bw_log);
	free(o->write_iops_log);
	free(o->write_lat_log);
	free(o->write_hist_log);
}

struct line {
	uint64_t ms, val, bs, off;
	int ddir;
};

/* Reads "msec, value, ddir, bs, offset" lines, each checked against fio's
 * format exactly. Returns the count. */
static size_t read_log(const char *prefix, const char *kind, unsigned idx, struct line *out,
		       size_t max)
{
	char path[700], buf[256];
	regex_t re;
	FILE *f;
	size_t n = 0;

	if (idx)
		snprintf(path, sizeof(path), "%s/%s_%s.%u.log", dir, prefix, kind, idx);
	else
		snprintf(path, sizeof(path), "%s/%s_%s.log", dir, prefix, kind);
	f = fopen(path, "r");
	if (!f)
		fail_msg("%s: %s", path, strerror(errno));
	assert_int_equal(regcomp(&re, "^[0-9]+, [0-9]+, [0-2], [0-9]+, [0-9]+\n$", REG_EXTENDED), 0);
	while (fgets(buf, sizeof(buf), f)) {
		unsigned long long a, b, d, e;
		int c;

		if (regexec(&re, buf, 0, NULL, 0))
			fail_msg("%s: line %zu not in fio's format: '%s'", path, n + 1, buf);
		assert_int_equal(sscanf(buf, "%llu, %llu, %d, %llu, %llu", &a, &b, &c, &d, &e), 5);
		if (n < max)
			out[n] = (struct line){ a, b, d, e, c };
		n++;
	}
	regfree(&re);
	fclose(f);
	return n;
}

static void add_io(struct job_stats *st, int d, uint64_t lat, uint64_t clat, uint64_t slat)
{
	struct dir_stats *ds = &st->dir[d];

	ds->ios++;
	ds->bytes += 4096;
	lat_add(&ds->lat, lat);
	lat_add(&ds->clat, clat);
	lat_add(&ds->slat, slat);
	hist_add(&ds->lat_hist, lat);
	hist_add(&ds->clat_hist, clat);
}

static void test_plat_idx(void **state)
{
	static const struct {
		uint64_t ns;
		unsigned idx;
	} cases[] = {
		/* fio's plat_val_to_idx worked by hand */
		{ 0, 0 }, { 1, 1 }, { 127, 127 }, { 128, 128 }, { 129, 128 }, { 130, 129 },
		{ 255, 191 }, { 256, 192 }, { 1000, 317 }, { 1000000, 954 },
		{ UINT64_MAX, FIO_PLAT_NR - 1 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (fiolog_plat_idx(cases[i].ns) != cases[i].idx)
			fail_msg("plat_idx(%llu) = %u, want %u", (unsigned long long)cases[i].ns,
				 fiolog_plat_idx(cases[i].ns), cases[i].idx);
	/* each of our buckets falls inside exactly one fio bin */
	for (unsigned i = 0; i + 1 < HIST_NR; i++) {
		uint64_t lo = hist_bucket_low(i), hi = hist_bucket_low(i + 1) - 1;
		unsigned a = fiolog_plat_idx(lo);

		if (a == FIO_PLAT_NR - 1)
			break;
		if (fiolog_plat_idx(hi) != a || fiolog_hist_to_plat(i) != a)
			fail_msg("bucket %u [%llu,%llu] spans fio bins %u..%u", i,
				 (unsigned long long)lo, (unsigned long long)hi, a, fiolog_plat_idx(hi));
	}
}

static void test_names(void **state)
{
	struct job_opts o;
	struct fiolog_job *l;
	char err[256], path[700];
	struct stat st;
	static const char *const kinds[] = { "bw", "iops", "lat", "clat", "slat", "clat_hist" };

	(void)state;
	opts(&o, "n", 0, 0);
	assert_int_equal(fiolog_open(&l, &o, 3, err, sizeof(err)), 0);
	assert_non_null(l);
	assert_true(fiolog_per_io(l));
	assert_int_equal(fiolog_close(l, 0, NULL), 0);
	for (size_t k = 0; k < 6; k++) {
		snprintf(path, sizeof(path), "%s/n_%s.3.log", dir, kinds[k]);
		if (stat(path, &st))
			fail_msg("%s missing", path);
	}
	o.per_job_logs = false;
	assert_int_equal(fiolog_open(&l, &o, 3, err, sizeof(err)), 0);
	assert_int_equal(fiolog_close(l, 0, NULL), 0);
	snprintf(path, sizeof(path), "%s/n_iops.log", dir);
	assert_int_equal(stat(path, &st), 0);
	opts_release(&o);

	/* no log asked: nothing opened */
	memset(&o, 0, sizeof(o));
	assert_int_equal(fiolog_open(&l, &o, 1, err, sizeof(err)), 0);
	assert_null(l);
	assert_false(fiolog_per_io(l));
	fiolog_io(l, 0, 1, 1, 1, 1, 4096, 0, 0); /* NULL is a no-op */

	/* a directory that does not exist: the message names the file */
	o.write_bw_log = "/nonexistent-dir/x";
	o.per_job_logs = true;
	assert_int_equal(fiolog_open(&l, &o, 1, err, sizeof(err)), -ENOENT);
	assert_null(l);
	assert_non_null(strstr(err, "/nonexistent-dir/x_bw.1.log"));
	assert_non_null(strstr(err, "No such file"));
}

/* log_avg_msec=500 for 3.2 s: read at 1000 IOPS with 20 us latency, write
 * at 400 IOPS with 50 us; trims never. The sampler's part is played by
 * calling fiolog_tick at fiolog_next_ns. */
static void test_averaged(void **state)
{
	struct job_stats *st = calloc(1, sizeof(*st));
	struct job_opts o;
	struct fiolog_job *l;
	struct line ln[64];
	char err[256];
	const uint64_t E = 5 * NS_PER_SEC, end = E + 3200 * NS_PER_MS;
	uint64_t t, next, ticks = 0;
	size_t n;

	(void)state;
	assert_non_null(st);
	stats_init(st);
	opts(&o, "a", 500, 500);
	assert_int_equal(fiolog_open(&l, &o, 1, err, sizeof(err)), 0);
	assert_false(fiolog_per_io(l));
	assert_int_equal(fiolog_next_ns(l), UINT64_MAX); /* no epoch yet */
	fiolog_set_epoch(l, E);
	assert_int_equal(fiolog_next_ns(l), E + 500 * NS_PER_MS);
	/* I/O every ms; the sampler wakes at each deadline */
	next = fiolog_next_ns(l);
	for (t = E + NS_PER_MS; t <= end; t += NS_PER_MS) {
		add_io(st, 0, 20000, 19000, 1000);
		if ((t - E) / NS_PER_MS % 5 < 2)
			add_io(st, 1, 50000, 48000, 2000);
		if (t >= next) {
			fiolog_tick(l, t, st);
			ticks++;
			next = fiolog_next_ns(l);
			assert_true(next > t && next - t <= 500 * NS_PER_MS);
		}
	}
	assert_int_equal(ticks, 6);
	assert_int_equal(fiolog_close(l, end, st), 0);

	n = read_log("a", "bw", 1, ln, 64);
	assert_int_equal(n, 12);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(ln[i].ms, 500 * (i / 2 + 1));
		assert_int_equal(ln[i].ddir, (int)(i % 2));
		assert_int_equal(ln[i].bs, 0);
		assert_int_equal(ln[i].off, 0);
		/* KiB/s: 500 x 4 KiB per 500 ms = 4000; 200 x 4 KiB = 1600 */
		assert_int_equal(ln[i].val, i % 2 ? 1600 : 4000);
	}
	n = read_log("a", "iops", 1, ln, 64);
	assert_int_equal(n, 12);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(ln[i].ms - (i >= 2 ? ln[i - 2].ms : 0), 500); /* spacing */
		assert_int_equal(ln[i].val, i % 2 ? 400 : 1000);
	}
	/* lat: six full windows and the partial one at 3200 ms, as fio */
	n = read_log("a", "lat", 1, ln, 64);
	assert_int_equal(n, 14);
	assert_int_equal(ln[12].ms, 3200);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(ln[i].val, i % 2 ? 50000 : 20000);
	n = read_log("a", "clat", 1, ln, 64);
	assert_int_equal(n, 14);
	assert_int_equal(ln[1].val, 48000);
	n = read_log("a", "slat", 1, ln, 64);
	assert_int_equal(n, 14);
	assert_int_equal(ln[0].val, 1000);

	/* histogram: "msec, ddir, bs, 1856 counts" per window and direction */
	{
		char path[700], *buf = malloc(1 << 16);
		FILE *f;
		size_t lines = 0;

		snprintf(path, sizeof(path), "%s/a_clat_hist.1.log", dir);
		f = fopen(path, "r");
		assert_non_null(f);
		assert_non_null(buf);
		while (fgets(buf, 1 << 16, f)) {
			unsigned long long ms, bs, v, sum = 0;
			int ddir, cols = 0, off;
			char *p = buf;

			assert_int_equal(sscanf(p, "%llu, %d, %llu%n", &ms, &ddir, &bs, &off), 3);
			p += off;
			assert_int_equal(ms, 500 * (lines / 2 + 1));
			assert_int_equal(bs, 4096);
			for (unsigned i = 0; i < FIO_PLAT_NR; i++) {
				assert_int_equal(sscanf(p, ", %llu%n", &v, &off), 1);
				p += off;
				cols++;
				sum += v;
				if (v)
					assert_int_equal(i, fiolog_plat_idx(ddir ? 48000 : 19000));
			}
			assert_string_equal(p, "\n");
			assert_int_equal(cols, FIO_PLAT_NR);
			assert_int_equal(sum, ddir ? 200 : 500);
			lines++;
		}
		assert_int_equal(lines, 12);
		fclose(f);
		free(buf);
	}
	opts_release(&o);
	free(st);
}

/* log_max_value=1: the window's maximum instead of its mean. */
static void test_max_value(void **state)
{
	struct job_stats *st = calloc(1, sizeof(*st));
	struct job_opts o;
	struct fiolog_job *l;
	struct line ln[16];
	char err[256];
	const uint64_t E = NS_PER_SEC;

	(void)state;
	stats_init(st);
	opts(&o, "m", 500, 0);
	o.log_max_value = true;
	assert_int_equal(fiolog_open(&l, &o, 2, err, sizeof(err)), 0);
	fiolog_set_epoch(l, E);
	add_io(st, 0, 10000, 9000, 100);
	add_io(st, 0, 80000, 70000, 700);
	fiolog_tick(l, E + 500 * NS_PER_MS, st);
	add_io(st, 0, 30000, 29000, 300); /* below the job's max so far */
	fiolog_tick(l, E + 1000 * NS_PER_MS, st);
	assert_int_equal(fiolog_close(l, E + 1100 * NS_PER_MS, st), 0);
	assert_int_equal(read_log("m", "lat", 2, ln, 16), 2);
	/* from the histogram: within 0.4% */
	assert_true(ln[0].val >= 80000 * 0.996 && ln[0].val <= 80000 * 1.004);
	assert_true(ln[1].val >= 30000 * 0.996 && ln[1].val <= 30000 * 1.004);
	assert_int_equal(read_log("m", "slat", 2, ln, 16), 2);
	assert_int_equal(ln[0].val, 700);
	opts_release(&o);
	free(st);
}

/* log_avg_msec=0: one line per I/O, from the worker's hook. */
static void test_per_io(void **state)
{
	struct job_opts o;
	struct fiolog_job *l;
	struct line ln[16];
	char err[256];
	uint64_t start = 0;

	(void)state;
	opts(&o, "p", 0, 0);
	free(o.write_hist_log);
	o.write_hist_log = NULL;
	assert_int_equal(fiolog_open(&l, &o, 1, err, sizeof(err)), 0);
	assert_true(fiolog_per_io(l));
	fiolog_set_epoch_source(l, &start);
	fiolog_io(l, 0, 10 * NS_PER_MS, 5000, 4000, 1000, 4096, 8192, 0); /* in ramp: dropped */
	start = 2 * NS_PER_MS;
	fiolog_io(l, 0, 20 * NS_PER_MS, 5000, 4000, 1000, 4096, 8192, 0);
	fiolog_io(l, 1, 21 * NS_PER_MS + 999999, 100000, 54861, FIOLOG_NO_SLAT, 4096, 0, 0);
	fiolog_io(l, 5, 22 * NS_PER_MS, 1, 1, 1, 1, 0, 0); /* not a data direction */
	assert_int_equal(fiolog_close(l, 30 * NS_PER_MS, NULL), 0);

	assert_int_equal(read_log("p", "bw", 1, ln, 16), 2);
	assert_int_equal(ln[0].ms, 18);
	assert_int_equal(ln[0].val, 4096ULL * 1000000 / 4000);
	assert_int_equal(ln[0].bs, 4096);
	assert_int_equal(ln[0].off, 0);
	assert_int_equal(ln[1].ms, 19);
	assert_int_equal(ln[1].val, 74661); /* fio's figure for 4 KiB in 54861 ns */
	assert_int_equal(ln[1].ddir, 1);
	assert_int_equal(read_log("p", "iops", 1, ln, 16), 2);
	assert_int_equal(ln[1].val, 1);
	assert_int_equal(read_log("p", "lat", 1, ln, 16), 2);
	assert_int_equal(ln[1].val, 100000);
	assert_int_equal(read_log("p", "clat", 1, ln, 16), 2);
	assert_int_equal(ln[0].val, 4000);
	assert_int_equal(read_log("p", "slat", 1, ln, 16), 1);
	assert_int_equal(ln[0].val, 1000);
	opts_release(&o);
}

/* The last column, as fio 3.33: log_prio=1 the I/O's priority as 0x%04x
 * (averaged lines 0x0000), else 1 for the realtime class and 0 for the
 * rest. */
static void test_prio_column(void **state)
{
	static const char *const want[2] = {
		"18, 4000, 0, 4096, 0x2003\n18, 4000, 1, 4096, 0x4001\n",
		"18, 4000, 0, 4096, 1\n18, 4000, 1, 4096, 0\n",
	};
	(void)state;
	for (int lp = 1; lp >= 0; lp--) {
		struct job_opts o;
		struct fiolog_job *l;
		char err[256], path[700], buf[256] = "";
		uint64_t start = 2 * NS_PER_MS;
		size_t n;
		FILE *f;

		opts(&o, lp ? "lp" : "np", 0, 0);
		free(o.write_hist_log);
		o.write_hist_log = NULL;
		o.log_prio = lp;
		assert_int_equal(fiolog_open(&l, &o, 1, err, sizeof(err)), 0);
		fiolog_set_epoch_source(l, &start);
		fiolog_io(l, 0, 20 * NS_PER_MS, 5000, 4000, 1000, 4096, 0, 0x2003);
		fiolog_io(l, 1, 20 * NS_PER_MS, 5000, 4000, 1000, 4096, 0, 0x4001);
		assert_int_equal(fiolog_close(l, 30 * NS_PER_MS, NULL), 0);
		snprintf(path, sizeof(path), "%s/%s_clat.1.log", dir, lp ? "lp" : "np");
		f = fopen(path, "r");
		assert_non_null(f);
		n = fread(buf, 1, sizeof(buf) - 1, f);
		buf[n] = '\0';
		fclose(f);
		assert_string_equal(buf, want[!lp]);
		opts_release(&o);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plat_idx),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_averaged),
		cmocka_unit_test(test_max_value),
		cmocka_unit_test(test_per_io),
		cmocka_unit_test(test_prio_column),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
