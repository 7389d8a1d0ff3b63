/* backend/report: fio's number formatting (expected strings are what fio
 * 3.33 printed for the same numbers, tests/fixtures/fio-3.33-sample.*),
 * the --output-format parser, a whole report of a real null-engine run
 * read back and checked for consistency, min <= avg <= max in every format
 * over random sample series, and a job restarted alone reporting its new
 * run only. */
#include <setjmp.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "backend/backend.h"
#include "backend/job.h"
#include "backend/jobfile.h"
#include "backend/report.h"
#include "backend/samples.h"
#include "lib/clock.h"
#include "lib/rand.h"

struct num_case {
	uint64_t num;
	int maxlen;
	bool pow2;
	enum report_unit unit;
	const char *want;
};

static const struct num_case num_cases[] = {
	/* io= and BW= figures of fio's fixture run */
	{ 27770880, 4, true, RU_BYTE, "26.5MiB" },
	{ 27770880, 4, false, RU_BYTE, "27.8MB" },
	{ 13878500, 4, true, RU_BYTEPERSEC, "13.2MiB/s" },
	{ 13878500, 4, false, RU_BYTEPERSEC, "13.9MB/s" },
	{ 12075008, 4, true, RU_BYTE, "11.5MiB" },
	{ 12075008, 4, false, RU_BYTE, "12.1MB" },
	{ 6034486, 4, true, RU_BYTEPERSEC, "5893KiB/s" },
	{ 6034486, 4, false, RU_BYTEPERSEC, "6034kB/s" },
	{ 8666808320ULL, 4, true, RU_BYTE, "8265MiB" },
	{ 8666808320ULL, 4, false, RU_BYTE, "8667MB" },
	{ 4331238540ULL, 4, true, RU_BYTEPERSEC, "4131MiB/s" },
	{ 4331238540ULL, 4, false, RU_BYTEPERSEC, "4331MB/s" },
	{ 11567104, 4, true, RU_BYTE, "11.0MiB" },
	{ 5210112, 4, true, RU_BYTE, "5088KiB" },
	/* IOPS= */
	{ 3388, 4, false, RU_NONE, "3388" },
	{ 66089, 4, false, RU_NONE, "66.1k" },
	{ 99300, 4, false, RU_NONE, "99.3k" },
	/* block sizes in the start-up lines */
	{ 4096, 4, true, RU_BYTE, "4096B" },
	{ 65536, 4, true, RU_BYTE, "64.0KiB" },
	{ 1048576, 4, true, RU_BYTE, "1024KiB" },
	/* latency min/max with 6 digits */
	{ 31207000, 6, false, RU_NONE, "31207k" },
	{ 692141, 6, false, RU_NONE, "692141" },
	{ 0, 6, false, RU_NONE, "0" },
	{ 0, 4, true, RU_BYTEPERSEC, "0B/s" },
	/* carry: 9999.7k with no room for decimals rounds up */
	{ 99999700, 4, false, RU_NONE, "100.0M" },
	{ UINT64_MAX, 4, true, RU_BYTE, "16.0EiB" },
};

static void test_fmt_num(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(num_cases) / sizeof(num_cases[0]); i++) {
		const struct num_case *c = &num_cases[i];
		char buf[64];

		report_fmt_num(buf, sizeof(buf), c->num, c->maxlen, c->pow2, c->unit);
		if (strcmp(buf, c->want))
			fail_msg("%" PRIu64 " maxlen %d pow2 %d unit %d: got '%s', want '%s'", c->num,
				 c->maxlen, c->pow2, c->unit, buf, c->want);
	}
}

struct fmt_case {
	const char *s;
	unsigned want;
};

static const struct fmt_case fmt_cases[] = {
	{ "normal", REPORT_NORMAL },
	{ "json", REPORT_JSON },
	{ "json+", REPORT_JSON | REPORT_JSONPLUS },
	{ "terse", REPORT_TERSE },
	{ "normal,json", REPORT_NORMAL | REPORT_JSON },
	{ "JSON,terse,normal", REPORT_JSON | REPORT_TERSE | REPORT_NORMAL },
	{ "json,json+", REPORT_JSON | REPORT_JSONPLUS },
	{ "", 0 },
	{ "xml", 0 },
	{ "json,", 0 },
	{ ",json", 0 },
	{ "jsonx", 0 },
	{ "json++", 0 },
	{ "normal;json", 0 },
};

static void test_parse_formats(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(fmt_cases) / sizeof(fmt_cases[0]); i++) {
		unsigned got = report_parse_formats(fmt_cases[i].s);

		if (got != fmt_cases[i].want)
			fail_msg("'%s': got 0x%x, want 0x%x", fmt_cases[i].s, got, fmt_cases[i].want);
	}
	assert_int_equal(report_parse_formats(NULL), 0);
}

/* Run @text headless on a fresh backend and return the report in
 * @formats (malloc'd). */
static char *run_report(const char *text, unsigned formats)
{
	struct backend_config cfg = { .status_interval_ms = 100 };
	struct job_list l;
	struct backend *be;
	char err[512] = "", *buf = NULL;
	size_t len = 0;
	FILE *f;

	job_list_init(&l);
	if (jobfile_load_text(&l, "test", text, err, sizeof(err)) ||
	    job_list_finalize(&l, err, sizeof(err)))
		fail_msg("job text refused: %s", err);
	be = backend_new(&cfg);
	assert_non_null(be);
	if (backend_load(be, &l, err, sizeof(err)))
		fail_msg("backend_load: %s", err);
	assert_int_equal(backend_start(be), 0);
	assert_int_equal(backend_wait(be), 0);
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	report_write_global(f, be, formats, &l.global);
	fclose(f);
	backend_free(be);
	job_list_free(&l);
	return buf;
}

/* Sum of every `"key" : N` in @s after @from (NULL: all). */
static uint64_t sum_key(const char *s, const char *key)
{
	char pat[64];
	uint64_t sum = 0;
	const char *p = s;

	snprintf(pat, sizeof(pat), "\"%s\" : ", key);
	while ((p = strstr(p, pat))) {
		p += strlen(pat);
		sum += strtoull(p, NULL, 10);
	}
	return sum;
}

static size_t count_str(const char *s, const char *needle)
{
	size_t n = 0;

	while ((s = strstr(s, needle))) {
		n++;
		s += strlen(needle);
	}
	return n;
}

/* In each clat_ns object with bins, the bin counts add up to its N. */
static void check_bins(const char *s)
{
	const char *p = s;

	while ((p = strstr(p, "\"clat_ns\" : {"))) {
		const char *n = strstr(p, "\"N\" : "), *b = strstr(p, "\"bins\" : {"), *end;
		const char *next = strstr(p + 1, "\"clat_ns\" : {");
		uint64_t want, sum = 0;

		assert_non_null(n);
		want = strtoull(n + 6, NULL, 10);
		p += 10;
		if (!b || (next && b > next))
			continue;
		end = strchr(b, '}');
		for (const char *q = strstr(b + 10, "\" : "); q && q < end; q = strstr(q + 4, "\" : "))
			sum += strtoull(q + 4, NULL, 10);
		assert_int_equal(sum, want);
	}
}

static void test_null_run(void **state)
{
	char *out;

	(void)state;
	out = run_report("[mix]\nioengine=null\nrw=randrw\nrwmixread=70\nbs=4k\nsize=4m\n",
			 REPORT_NORMAL | REPORT_JSONPLUS | REPORT_JSON | REPORT_TERSE);
	/* normal */
	assert_non_null(strstr(out, "mix: (groupid=0, jobs=1): err= 0: pid="));
	assert_non_null(strstr(out, "\nRun status group 0 (all jobs):\n"));
	assert_non_null(strstr(out, "  read: IOPS="));
	assert_non_null(strstr(out, "  write: IOPS="));
	assert_non_null(strstr(out, "    clat percentiles ("));
	/* terse v3, first as in fio's output */
	assert_int_equal(strncmp(out, "3;iolab-" IOLAB_VERSION ";mix;0;0;",
				 strlen("3;iolab-" IOLAB_VERSION ";mix;0;0;")), 0);
	/* json: every byte and I/O accounted for, bins add up to N */
	assert_int_equal(sum_key(out, "io_bytes"), 4u << 20);
	assert_int_equal(sum_key(out, "total_ios"), 1024);
	check_bins(out);
	assert_int_equal(count_str(out, "\"bins\" : {"), 2);
	assert_int_equal(count_str(out, "\"percentile\" : {"), 2);
	assert_non_null(strstr(out, "\"jobname\" : \"mix\""));
	assert_non_null(strstr(out, "\"disk_util\" : ["));
	free(out);
}

static void test_group_reporting(void **state)
{
	char *out;

	(void)state;
	out = run_report("[g]\nioengine=null\nrw=write\nbs=4k\nsize=1m\nnumjobs=3\n"
			 "group_reporting=1\n",
			 REPORT_NORMAL | REPORT_JSON);
	assert_non_null(strstr(out, "g: (groupid=0, jobs=3): err= 0"));
	assert_int_equal(count_str(out, "\"jobname\""), 1);
	assert_int_equal(sum_key(out, "io_bytes"), 3u << 20);
	assert_int_equal(sum_key(out, "total_ios"), 768);
	assert_non_null(strstr(out, "io=3072KiB (3146kB)"));
	free(out);

	out = run_report("[g]\nioengine=null\nrw=write\nbs=4k\nsize=1m\nnumjobs=3\n",
			 REPORT_JSON);
	assert_int_equal(count_str(out, "\"jobname\""), 3);
	free(out);
}

/* ------------------------------------------------ min <= avg <= max */

/* A number as the report prints it, with report_fmt_num's k/M/G. */
static double parse_fig(const char *p)
{
	char *end;
	double v = strtod(p, &end);

	switch (*end) {
	case 'k': return v * 1e3;
	case 'M': return v * 1e6;
	case 'G': return v * 1e9;
	default: return v;
	}
}

static void check_order(double lo, double avg, double hi, const char *where)
{
	if (!(lo <= avg && avg <= hi))
		fail_msg("%s: min=%f avg=%f max=%f", where, lo, avg, hi);
}

/* Every "min=..., max=..., ... avg=..." line of the normal format. Returns
 * how many were checked. */
static int check_normal(const char *out)
{
	int n = 0;

	for (const char *l = out; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		const char *e = strchr(l, '\n');
		const char *mn = strstr(l, "min="), *mx = strstr(l, "max="), *av = strstr(l, "avg=");
		char line[256];

		if (!mn || !mx || !av || (e && (mn > e || mx > e || av > e)))
			continue;
		snprintf(line, sizeof(line), "%.*s", e ? (int)(e - l) : 200, l);
		check_order(parse_fig(mn + 4), parse_fig(av + 4), parse_fig(mx + 4), line);
		n++;
	}
	return n;
}

/* The value after `"key" : ` at or after @p; *next past it. */
static double json_num(const char *p, const char *key, const char **next)
{
	char pat[64];
	const char *q;

	snprintf(pat, sizeof(pat), "\"%s\" : ", key);
	q = strstr(p, pat);
	if (!q)
		fail_msg("no %s in the JSON", key);
	*next = q + strlen(pat);
	return strtod(*next, NULL);
}

/* Each "min"/"max"/"mean" latency triple and each bw_ and iops_ triple. */
static int check_json(const char *out)
{
	static const char *const pre[] = { "bw_", "iops_" };
	const char *p = out;
	int n = 0;

	static const char *const lat[] = { "\"slat_ns\" : {", "\"clat_ns\" : {",
					   "\"lat_ns\" : {" };

	for (int k = 0; k < 3; k++) {
		for (p = out; (p = strstr(p, lat[k])); p++, n++) {
			const char *q;
			double lo = json_num(p, "min", &q), hi = json_num(p, "max", &q),
			       avg = json_num(p, "mean", &q);

			check_order(lo, avg, hi, lat[k]);
		}
	}
	for (int k = 0; k < 2; k++) {
		char kmin[16], kmax[16], kmean[16];

		snprintf(kmin, sizeof(kmin), "%smin", pre[k]);
		snprintf(kmax, sizeof(kmax), "%smax", pre[k]);
		snprintf(kmean, sizeof(kmean), "%smean", pre[k]);
		p = out;
		while (strstr(p, kmin)) {
			const char *q;
			double lo = json_num(p, kmin, &q), hi = json_num(q, kmax, &q),
			       avg = json_num(q, kmean, &q);

			check_order(lo, avg, hi, kmean);
			p = q;
			n++;
		}
	}
	return n;
}

/* Terse v3: per direction (read at field 5, write at 46) slat, clat and
 * lat min;max;mean and bw min;max;per;mean. */
static int check_terse(const char *out)
{
	static const int lat_off[] = { 4, 8, 32 };
	const char *l = strstr(out, "\n3;iolab-");
	char *line, *f[200], *tok, *save = NULL;
	int nf = 0, n = 0;

	if (!l && !strncmp(out, "3;iolab-", 8))
		l = out - 1;
	assert_non_null(l);
	line = strndup(l + 1, strcspn(l + 1, "\n"));
	for (tok = strtok_r(line, ";", &save); tok && nf < 200; tok = strtok_r(NULL, ";", &save))
		f[nf++] = tok;
	assert_true(nf > 86);
	for (int d = 0; d < 2; d++) {
		int o = 5 + 41 * d;

		for (int k = 0; k < 3; k++, n++)
			check_order(strtod(f[o + lat_off[k]], NULL), strtod(f[o + lat_off[k] + 2], NULL),
				    strtod(f[o + lat_off[k] + 1], NULL), "terse latency");
		check_order(strtod(f[o + 36], NULL), strtod(f[o + 39], NULL), strtod(f[o + 37], NULL),
			    "terse bw");
		n++;
	}
	free(line);
	return n;
}

/* Runs @text, then replaces every job's bandwidth and IOPS series by
 * random ones (rates from fractions to 10 GB/s, sometimes all within one
 * integer) and checks the report in every format. The report reads the
 * series from each job's report windows (backend/rates.h), not from the
 * sampler's display samples, so the random values go there, pushed as the
 * windows push theirs (one integer per window: KiB/s, IOPS). */
static void random_series_round(const char *text, unsigned seed)
{
	struct backend_config cfg = { .status_interval_ms = 100 };
	struct job_list l;
	struct backend *be;
	struct rand_state r;
	char err[512] = "", *buf = NULL;
	size_t len = 0;
	FILE *f;

	job_list_init(&l);
	if (jobfile_load_text(&l, "test", text, err, sizeof(err)) ||
	    job_list_finalize(&l, err, sizeof(err)))
		fail_msg("job text refused: %s", err);
	be = backend_new(&cfg);
	assert_non_null(be);
	if (backend_load(be, &l, err, sizeof(err)))
		fail_msg("backend_load: %s", err);
	assert_int_equal(backend_start(be), 0);
	assert_int_equal(backend_wait(be), 0);
	rand_seed(&r, seed);
	for (int round = 0; round < 40; round++) {
		size_t total = 0;
		int nn = 0;

		for (unsigned j = 0; j < backend_njobs(be); j++) {
			/* the run is over and its sampler gone: nothing else
			 * writes the series */
			struct job_rates *jr = (struct job_rates *)&backend_job(be, j)->rates;
			double base = pow(10.0, (double)(rand_u64(&r) % 1000) / 100.0);
			size_t n = 1 + rand_u64(&r) % 12;

			total += n;
			memset(jr->bw.acc, 0, sizeof(jr->bw.acc));
			memset(jr->iops.acc, 0, sizeof(jr->iops.acc));
			for (size_t i = 0; i < n; i++) {
				uint64_t pick = rand_u64(&r) % 3;

				for (int d = 0; d < 2; d++) {
					double v = pick == 0 ? base + (double)(rand_u64(&r) % 1000) / 1000.0
						   : pick == 1 ? base * (1 + (double)(rand_u64(&r) % 100) / 1e6)
							       : pow(10.0, (double)(rand_u64(&r) % 1000) / 100.0);

					summary_push(&jr->iops.acc[d], summary_quantize(v));
					summary_push(&jr->bw.acc[d],
						     summary_quantize(v * 4096.0 / (double)jr->kb_base));
				}
			}
		}
		f = open_memstream(&buf, &len);
		assert_non_null(f);
		report_write_global(f, be, REPORT_NORMAL, &l.global);
		fclose(f);
		nn = check_normal(buf);
		assert_true(nn >= 4); /* bw and iops, both directions */
		/* the lines are the random series: as many samples as pushed */
		for (const char *p = buf; (p = strstr(p, "samples=")); p++)
			if (strtoull(p + 8, NULL, 10) != total)
				fail_msg("samples=%llu, pushed %zu: the report did not read the series",
					 strtoull(p + 8, NULL, 10), total);
		free(buf);
		buf = NULL;
		f = open_memstream(&buf, &len);
		assert_non_null(f);
		report_write_global(f, be, REPORT_JSON, &l.global);
		fclose(f);
		assert_true(check_json(buf) >= 10);
		free(buf);
		buf = NULL;
		f = open_memstream(&buf, &len);
		assert_non_null(f);
		report_write_global(f, be, REPORT_TERSE, &l.global);
		fclose(f);
		assert_true(check_terse(buf) == 8);
		free(buf);
		buf = NULL;
	}
	backend_free(be);
	job_list_free(&l);
}

static void test_random_series(void **state)
{
	(void)state;
	random_series_round("[mix]\nioengine=null\nrw=randrw\nbs=4k\nsize=1m\n", 1);
	random_series_round("[g]\nioengine=null\nrw=randrw\nbs=4k\nsize=1m\nnumjobs=3\n"
			    "group_reporting=1\n",
			    2);
}

/* A job restarted while no other runs: its figures and the elapsed time
 * are those of the new run; the earlier run's samples stay in the store
 * (the graphs) but are not counted. */
static void test_restart_alone(void **state)
{
	static const char text[] = "[a]\nioengine=null\nrw=read\nbs=4k\nsize=1g\n"
				   "time_based=1\nruntime=1500ms\nrate_iops=1000\n";
	struct backend_config cfg = { .status_interval_ms = 100 };
	struct sample smp[256];
	struct job_list l;
	struct backend *be;
	char err[512] = "", *buf = NULL;
	size_t len = 0, n, before = 0;
	uint64_t t_restart, wall_s;
	FILE *f;
	const char *p;

	(void)state;
	job_list_init(&l);
	if (jobfile_load_text(&l, "test", text, err, sizeof(err)) ||
	    job_list_finalize(&l, err, sizeof(err)))
		fail_msg("job text refused: %s", err);
	be = backend_new(&cfg);
	assert_non_null(be);
	assert_int_equal(backend_load(be, &l, err, sizeof(err)), 0);
	assert_int_equal(backend_start(be), 0);
	assert_int_equal(backend_wait(be), 0);

	t_restart = clock_now_ns();
	l.jobs[0].opts.runtime_us = 500000;
	if (backend_restart_job(be, 0, &l.jobs[0].opts, err, sizeof(err)))
		fail_msg("restart: %s", err);
	assert_int_equal(backend_wait(be), 0);
	n = samples_range(backend_samples(be), 0, 0, UINT64_MAX, smp, 256);
	assert_true(n <= 256);
	for (size_t i = 0; i < n; i++)
		if (smp[i].t_start * 1000 + backend_start_ns(be) < t_restart && smp[i].dir[0].ios)
			before++;
	assert_true(before > 0); /* the first run's samples are still there */

	f = open_memstream(&buf, &len);
	assert_non_null(f);
	report_write_global(f, be, REPORT_JSON, &l.global);
	fclose(f);
	wall_s = (clock_now_ns() - t_restart) / 1000000000ull;
	p = strstr(buf, "\"iops_samples\" : ");
	assert_non_null(p);
	if (strtoull(p + 17, NULL, 10) > n - before)
		fail_msg("%s samples counted, the new run has %zu", p + 17, n - before);
	p = strstr(buf, "\"elapsed\" : ");
	assert_non_null(p);
	if (strtoull(p + 12, NULL, 10) > wall_s + 1)
		fail_msg("elapsed %" PRIu64 " s, the new run took at most %" PRIu64 " s",
			 strtoull(p + 12, NULL, 10), wall_s + 1);
	free(buf);
	backend_free(be);
	job_list_free(&l);
}

/* Every "percentile" object in the JSON of @s lies within its latency
 * object's min and max; returns how many values were checked. */
static size_t check_json_pcts(const char *s)
{
	const char *p = s;
	size_t checked = 0;

	while ((p = strstr(p, "\"min\" : "))) {
		uint64_t vmin = strtoull(p + 8, NULL, 10), vmax;
		const char *mx = strstr(p, "\"max\" : "), *pc = strstr(p, "\"percentile\" : {");
		const char *next = strstr(p + 1, "\"min\" : "), *end;

		assert_non_null(mx);
		vmax = strtoull(mx + 8, NULL, 10);
		p += 8;
		if (!pc || (next && pc > next))
			continue;
		end = strchr(pc, '}');
		for (const char *q = strstr(pc + 16, "\" : "); q && q < end; q = strstr(q + 4, "\" : ")) {
			uint64_t v = strtoull(q + 4, NULL, 10);

			if (v < vmin || v > vmax)
				fail_msg("JSON percentile %" PRIu64 " outside [%" PRIu64 ", %" PRIu64 "]",
					 v, vmin, vmax);
			checked++;
		}
	}
	return checked;
}

/* Normal output: the clat percentiles block of each direction lies within
 * the "clat (unit): min=, max=" line above it, as printed (each in its own
 * unit). Returns how many values were checked. */
static double unit_ns(const char *unit)
{
	return !strcmp(unit, "msec") ? 1e6 : !strcmp(unit, "usec") ? 1e3 : 1;
}

static size_t check_normal_pcts(const char *s)
{
	const char *p = s;
	size_t checked = 0;

	while ((p = strstr(p, "    clat ("))) {
		char unit[8], punit[8];
		double vmin, vmax, sm, sp;
		const char *pc = strstr(p, "    clat percentiles ("), *end;

		if (sscanf(p, " clat (%7[a-z]): min=%lf, max=%lf", unit, &vmin, &vmax) != 3)
			fail_msg("cannot read the clat line: %.60s", p);
		p += 10;
		if (!pc || sscanf(pc, " clat percentiles (%7[a-z])", punit) != 1)
			continue;
		sm = unit_ns(unit);
		sp = unit_ns(punit);
		end = strstr(pc, "\n  ");
		while (end && !strncmp(end, "\n     |", 7))
			end = strstr(end + 1, "\n  ");
		for (const char *q = strstr(pc, "th=["); q && (!end || q < end);
		     q = strstr(q + 4, "th=[")) {
			double v = strtod(q + 4, NULL);

			if (v * sp > vmax * sm || v * sp < vmin * sm)
				fail_msg("printed percentile %g %s outside min=%g, max=%g %s", v, punit,
					 vmin, vmax, unit);
			checked++;
		}
	}
	return checked;
}

/* Latencies spread over many log-linear buckets: no percentile printed or
 * written in JSON exceeds the max or falls below the min (the bucket value
 * is a midpoint, the max is exact: the clamp makes them agree). */
static void test_percentiles_within_min_max(void **state)
{
	char *out;
	size_t nj, nn;

	(void)state;
	out = run_report("[global]\nioengine=null\nrw=randrw\nbs=4k\nsize=1m\n"
			 "inject_delay=40us\npercentile_list=0.1:1:50:99:99.9:99.99:100\n"
			 "[a]\n[b]\n[c]\n[d]\n[e]\n[f]\n",
			 REPORT_NORMAL | REPORT_JSON | REPORT_JSONPLUS);
	nj = check_json_pcts(out);
	nn = check_normal_pcts(out);
	assert_true(nj >= 6 * 2 * 7);
	assert_true(nn >= 6 * 2 * 7);
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fmt_num),
		cmocka_unit_test(test_parse_formats),
		cmocka_unit_test(test_null_run),
		cmocka_unit_test(test_group_reporting),
		cmocka_unit_test(test_random_series),
		cmocka_unit_test(test_restart_alone),
		cmocka_unit_test(test_percentiles_within_min_max),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
