/* lib/json: each case is a short script of writer calls and the exact text
 * fio 3.33 would print for the same tree (layout copied from real fio output,
 * see tests/fixtures/fio-3.33-sample.json). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include <cmocka.h>

#include "lib/json.h"

enum op_kind { END = 0, OBJ, OBJ_END, ARR, ARR_END, STR, U64, I64, DBL, BOOL };

struct op {
	enum op_kind kind;
	const char *key;
	const char *s;
	uint64_t u;
	int64_t i;
	double d;
};

struct json_case {
	const char *what;
	struct op ops[24];
	const char *want;
};

#define OB(k) { .kind = OBJ, .key = k }
#define OE { .kind = OBJ_END }
#define AB(k) { .kind = ARR, .key = k }
#define AE { .kind = ARR_END }
#define S(k, v) { .kind = STR, .key = k, .s = v }
#define U(k, v) { .kind = U64, .key = k, .u = v }
#define I(k, v) { .kind = I64, .key = k, .i = v }
#define D(k, v) { .kind = DBL, .key = k, .d = v }
#define B(k, v) { .kind = BOOL, .key = k, .u = v }

static const struct json_case cases[] = {
	{ "empty top object",
	  { OB(NULL), OE },
	  "{\n\n}\n" },
	{ "scalars in an object",
	  { OB(NULL), S("fio version", "iolab-0.1"), U("timestamp", 1795509320),
	    I("error", -5), D("iops", 2824000.0), B("ok", 1),
	    OE },
	  "{\n"
	  "  \"fio version\" : \"iolab-0.1\",\n"
	  "  \"timestamp\" : 1795509320,\n"
	  "  \"error\" : -5,\n"
	  "  \"iops\" : 2824000.000000,\n"
	  "  \"ok\" : true\n"
	  "}\n" },
	{ "fio's jobs array nesting",
	  { OB(NULL), AB("jobs"), OB(NULL), S("jobname", "a"), U("groupid", 0),
	    OB("job options"), S("rw", "randrw"), OE,
	    OB("read"), OB("clat_ns"), OB("percentile"),
	    U("1.000000", 10), U("99.990000", 8384), OE, OE,
	    OE, OE, AE, OE },
	  "{\n"
	  "  \"jobs\" : [\n"
	  "    {\n"
	  "      \"jobname\" : \"a\",\n"
	  "      \"groupid\" : 0,\n"
	  "      \"job options\" : {\n"
	  "        \"rw\" : \"randrw\"\n"
	  "      },\n"
	  "      \"read\" : {\n"
	  "        \"clat_ns\" : {\n"
	  "          \"percentile\" : {\n"
	  "            \"1.000000\" : 10,\n"
	  "            \"99.990000\" : 8384\n"
	  "          }\n"
	  "        }\n"
	  "      }\n"
	  "    }\n"
	  "  ]\n"
	  "}\n" },
	{ "two objects in an array, empty array after",
	  { OB(NULL), AB("jobs"), OB(NULL), U("a", 1), OE, OB(NULL),
	    U("a", 2), OE, AE, AB("disk_util"), AE,
	    OE },
	  "{\n"
	  "  \"jobs\" : [\n"
	  "    {\n"
	  "      \"a\" : 1\n"
	  "    },\n"
	  "    {\n"
	  "      \"a\" : 2\n"
	  "    }\n"
	  "  ],\n"
	  "  \"disk_util\" : [\n"
	  "\n"
	  "  ]\n"
	  "}\n" },
	{ "scalars in an array carry no key",
	  { AB(NULL), U("ignored", 1), S(NULL, "x"), D(NULL, 0.5),
	    AE },
	  "[\n"
	  "  1,\n"
	  "  \"x\",\n"
	  "  0.500000\n"
	  "]\n" },
	{ "string escaping",
	  { OB(NULL), S("q\"k", "a\"b\\c/d"), S("ctl", "t\tn\nr\rb\bf\f\x01\x1f\x7f"),
	    S("utf8", "\xc2\xb5s"), S("empty", ""), S("null", NULL), OE },
	  "{\n"
	  "  \"q\\\"k\" : \"a\\\"b\\\\c/d\",\n"
	  "  \"ctl\" : \"t\\tn\\nr\\rb\\bf\\f\\u0001\\u001f\\u007f\",\n"
	  "  \"utf8\" : \"\xc2\xb5s\",\n"
	  "  \"empty\" : \"\",\n"
	  "  \"null\" : \"\"\n"
	  "}\n" },
	{ "doubles as %f, big and small integers",
	  { OB(NULL), D("mean", 19.584632), D("neg", -0.25),
	    D("tiny", 1e-9), U("max", UINT64_MAX),
	    I("min", INT64_MIN), OE },
	  "{\n"
	  "  \"mean\" : 19.584632,\n"
	  "  \"neg\" : -0.250000,\n"
	  "  \"tiny\" : 0.000000,\n"
	  "  \"max\" : 18446744073709551615,\n"
	  "  \"min\" : -9223372036854775808\n"
	  "}\n" },
	{ "non-finite doubles become null",
	  { OB(NULL), D("nan", NAN), D("inf", INFINITY), OE },
	  "{\n"
	  "  \"nan\" : null,\n"
	  "  \"inf\" : null\n"
	  "}\n" },
	{ "empty object inside an object",
	  { OB(NULL), OB("e"), OE, U("after", 3), OE },
	  "{\n"
	  "  \"e\" : {\n"
	  "\n"
	  "  },\n"
	  "  \"after\" : 3\n"
	  "}\n" },
};

static char *run_case(const struct json_case *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct json j;

	assert_non_null(f);
	json_init(&j, f);
	for (const struct op *op = c->ops; op->kind != END; op++) {
		switch (op->kind) {
		case OBJ: json_obj_open(&j, op->key); break;
		case OBJ_END: json_obj_close(&j); break;
		case ARR: json_arr_open(&j, op->key); break;
		case ARR_END: json_arr_close(&j); break;
		case STR: json_str(&j, op->key, op->s); break;
		case U64: json_u64(&j, op->key, op->u); break;
		case I64: json_i64(&j, op->key, op->i); break;
		case DBL: json_dbl(&j, op->key, op->d); break;
		case BOOL: json_bool(&j, op->key, (int)op->u); break;
		case END: break;
		}
	}
	json_end(&j);
	assert_int_equal(j.depth, 0);
	fclose(f);
	return buf;
}

static void test_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = run_case(&cases[i]);

		if (strcmp(got, cases[i].want) != 0)
			fail_msg("%s:\n--- got ---\n%s--- want ---\n%s", cases[i].what, got,
				 cases[i].want);
		free(got);
	}
}

/* Nesting deeper than the stack must not write out of bounds and must keep
 * producing balanced brackets. */
static void test_deep_nesting(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct json j;
	int opens = 0, closes = 0;

	(void)state;
	json_init(&j, f);
	for (int i = 0; i < JSON_MAX_DEPTH + 8; i++)
		json_arr_open(&j, NULL);
	for (int i = 0; i < JSON_MAX_DEPTH + 8; i++)
		json_arr_close(&j);
	json_end(&j);
	fclose(f);
	for (size_t i = 0; i < len; i++) {
		opens += buf[i] == '[';
		closes += buf[i] == ']';
	}
	assert_int_equal(opens, JSON_MAX_DEPTH + 8);
	assert_int_equal(closes, JSON_MAX_DEPTH + 8);
	assert_int_equal(j.depth, 0);
	free(buf);
}

/* Strings are valid UTF-8 whatever they hold: well-formed sequences pass,
 * each byte outside one becomes \ufffd (before, invalid bytes went out as
 * they were and json.loads refused the file). */
static void test_utf8(void **state)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "plain", "\"plain\"" },
		{ "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x92\xbe", "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x92\xbe\"" },
		{ "a\xff" "b", "\"a\\ufffdb\"" },                 /* never valid */
		{ "\xc3", "\"\\ufffd\"" },                        /* cut short at the end */
		{ "\xc3(", "\"\\ufffd(\"" },                      /* bad continuation */
		{ "\xc0\xaf", "\"\\ufffd\\ufffd\"" },             /* overlong '/' */
		{ "\xe0\x80\xaf", "\"\\ufffd\\ufffd\\ufffd\"" },  /* overlong, 3 bytes */
		{ "\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"" },  /* a surrogate */
		{ "\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"" }, /* > U+10FFFF */
		{ "\xf4\x8f\xbf\xbf", "\"\xf4\x8f\xbf\xbf\"" },   /* U+10FFFF itself */
		{ "\x80x", "\"\\ufffdx\"" },                      /* lone continuation */
		{ "q\"b\\\n\t\x01\x1b\x7f", "\"q\\\"b\\\\\\n\\t\\u0001\\u001b\\u007f\"" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);
		struct json j;

		assert_non_null(f);
		json_init(&j, f);
		json_str(&j, NULL, cases[i].in);
		fclose(f);
		if (strcmp(buf, cases[i].want))
			fail_msg("case %zu: got %s, want %s", i, buf, cases[i].want);
		free(buf);
	}
	/* keys too */
	{
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);
		struct json j;

		json_init(&j, f);
		json_obj_open(&j, NULL);
		json_u64(&j, "n\xfe", 1);
		json_obj_close(&j);
		fclose(f);
		assert_non_null(strstr(buf, "\"n\\ufffd\" : 1"));
		free(buf);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_utf8),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
