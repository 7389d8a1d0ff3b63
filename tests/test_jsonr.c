/* lib/jsonr and the recording reader (backend/compare): table-driven good
 * and bad texts, a round trip through lib/json's line mode, and a fuzz loop
 * of cut and flipped recordings that must be read or refused, never crash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "scratch.h"

#include "backend/compare.h"
#include "lib/json.h"
#include "lib/jsonr.h"

struct pcase {
	const char *text;
	int rc;
	const char *err; /* substring of the message, for failures */
};

static const struct pcase pcases[] = {
	{ "{}", 0, NULL },
	{ " [1, -2.5e3, true, false, null, \"x\"] ", 0, NULL },
	{ "{\"a\":{\"b\":[{}]}}", 0, NULL },
	{ "\"\\u00e9\\ud83d\\ude00\\n\"", 0, NULL },
	{ "", -22, "column 1: a value is missing" },
	{ "{", -22, "object not closed" },
	{ "[1,", -22, "a value is missing" },
	{ "{\"a\" 1}", -22, "column 6: expected ':'" },
	{ "{\"a\":1,}", -22, "expected a key" },
	{ "[1 2]", -22, "expected ',' or ']'" },
	{ "\"abc", -22, "string not closed" },
	{ "\"a\\qb\"", -22, "unknown escape" },
	{ "\"\\u12\"", -22, "four hex digits" },
	{ "tru", -22, "not a value" },
	{ "-", -22, "not a value" },
	{ "1.2.3", -22, "bad number" },
	{ "{} x", -22, "text after the value" },
	{ "\"a\x01\"", -22, "control character" },
};

static void test_parse_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(pcases) / sizeof(pcases[0]); i++) {
		struct jv v;
		char err[256] = "";
		int rc = jv_parse(pcases[i].text, strlen(pcases[i].text), &v, err, sizeof(err));

		if (rc != pcases[i].rc)
			fail_msg("case %zu (%s): rc %d, want %d (%s)", i, pcases[i].text, rc,
				 pcases[i].rc, err);
		if (pcases[i].err && !strstr(err, pcases[i].err))
			fail_msg("case %zu: message '%s' lacks '%s'", i, err, pcases[i].err);
		jv_free(&v);
	}
}

static void test_deep(void **state)
{
	char buf[400];
	struct jv v;
	char err[128];

	(void)state;
	memset(buf, '[', sizeof(buf));
	assert_int_equal(jv_parse(buf, sizeof(buf), &v, err, sizeof(err)), -22);
	assert_non_null(strstr(err, "nested deeper"));
}

/* What the writer's line mode writes, the reader reads back exactly. */
static void test_round_trip(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct json j;
	struct jv v;
	char err[128];

	(void)state;
	json_init_line(&j, f);
	json_obj_open(&j, NULL);
	json_str(&j, "s", "a \"q\"\n\t\xc3\xa9");
	json_dbl(&j, "f", (double)2002.53918f);
	json_u64(&j, "u", 18446744073709551615ull);
	json_arr_open(&j, "a");
	json_i64(&j, NULL, -3);
	json_arr_close(&j);
	json_raw(&j, "r", "{\"x\":null}");
	json_obj_close(&j);
	json_end(&j);
	fclose(f);
	assert_ptr_equal(strchr(buf, '\n'), buf + len - 1); /* one line */
	assert_int_equal(jv_parse(buf, len, &v, err, sizeof(err)), 0);
	assert_string_equal(jv_str(jv_get(&v, "s")), "a \"q\"\n\t\xc3\xa9");
	assert_true((float)jv_num(jv_get(&v, "f"), 0) == 2002.53918f);
	assert_int_equal(jv_get(&v, "a")->items[0].num, -3);
	assert_int_equal(jv_get(jv_get(&v, "r"), "x")->t, JV_NULL);
	jv_free(&v);
	free(buf);
}

static const char rec_text[] =
	"{\"type\":\"header\",\"format\":\"iolab-record\",\"version\":1,\"iolab\":\"0.1\","
	"\"host\":{\"hostname\":\"h\"},\"start\":{\"local\":\"now\"},"
	"\"jobs\":[{\"id\":0,\"name\":\"a\",\"label\":\"a\",\"options\":\"rw=read\\n\"}]}\n"
	"{\"type\":\"runstate\",\"t\":1,\"job\":0,\"from\":\"not created\",\"to\":\"running\"}\n"
	"{\"type\":\"tick\",\"job\":0,\"t0\":0,\"t1\":1000000,\"rs\":\"running\","
	"\"read\":{\"iops\":100,\"bw\":409600,\"ios\":100,\"p50\":1000,\"p99\":2000,\"p999\":3000}}\n"
	"{\"type\":\"tick\",\"job\":0,\"t0\":1000000,\"t1\":2000000,\"rs\":\"running\","
	"\"read\":{\"iops\":300,\"bw\":1228800,\"ios\":300,\"p50\":1000,\"p99\":2000,\"p999\":3000}}\n"
	"{\"type\":\"mark\",\"t\":5,\"job\":-1,\"njobs\":1,\"text\":\"iodepth 1->2\"}\n";

/* A recording without a trailer: figures from its ticks, and it says so. */
static void test_ticks(void **state)
{
	char *path = scratch_file_with("jsonr", rec_text, strlen(rec_text));
	struct cmp_run r;
	char err[512];

	(void)state;
	assert_non_null(path);
	assert_int_equal(compare_load(path, &r, err, sizeof(err)), 0);
	assert_true(r.from_ticks && !r.complete);
	assert_non_null(strstr(r.note, "without its trailer"));
	assert_int_equal(r.nfigs, 1);
	assert_true(r.figs[0].iops > 199.9 && r.figs[0].iops < 200.1);
	assert_true(r.figs[0].p99 > 1999 && r.figs[0].p99 < 2001);
	compare_free(&r);
	unlink(path);
	free(path);
}

/* Cut anywhere, bytes flipped anywhere: read with a note or refused with
 * file:line, never a crash (run under check-asan for leaks). */
static void test_fuzz(void **state)
{
	size_t n = strlen(rec_text);
	char *buf = malloc(n + 1);
	unsigned seed = 12345;

	(void)state;
	assert_non_null(buf);
	for (int it = 0; it < 1500; it++) {
		size_t len;
		char *path;
		struct cmp_run r;
		char err[512] = "";
		int rc;

		len = fuzz_mutate(buf, rec_text, n, it, &seed);
		path = scratch_file_with("jsonr", buf, len);
		assert_non_null(path);
		rc = compare_load(path, &r, err, sizeof(err));
		if (rc)
			assert_non_null(strstr(err, path));
		else
			compare_free(&r);
		unlink(path);
		free(path);
	}
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_cases),
		cmocka_unit_test(test_deep),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_ticks),
		cmocka_unit_test(test_fuzz),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
