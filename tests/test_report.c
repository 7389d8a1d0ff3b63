/* backend/report: fio's number formatting (expected strings are what fio
 * 3.33 printed for the same numbers, tests/fixtures/fio-3.33-sample.*),
 * the --output-format parser, and a whole report of a real null-engine run
 * read back and checked for consistency. */
#include <setjmp.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "backend/backend.h"
#include "backend/jobfile.h"
#include "backend/report.h"

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
	/* terse v3 */
	assert_non_null(strstr(out, "\n3;iolab-" IOLAB_VERSION ";mix;0;0;"));
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fmt_num),
		cmocka_unit_test(test_parse_formats),
		cmocka_unit_test(test_null_run),
		cmocka_unit_test(test_group_reporting),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
