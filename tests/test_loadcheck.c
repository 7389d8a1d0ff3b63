/* What can be known before I/O is refused when a job loads (job file,
 * command line, editor: opts_validate through job_list_finalize), not by a
 * worker after start; and live knobs are read from opt_table[]'s OPTF_LIVE,
 * which the TUI's knob keys must name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include "backend/jobfile.h"
#include "backend/options.h"
#include "tui/app.h"

static void test_refused_at_load(void **state)
{
	static const struct {
		const char *text;
		const char *want; /* in the message; NULL: loads */
	} cases[] = {
		{ "[j]\nrw=write\nsize=1m\nverify=crc32c\nverify_interval=16\n",
		  "verify_interval: 16 is smaller than the 72-byte verify header" },
		{ "[j]\nrw=write\nsize=1m\nbs=4k\nverify=md5\nverify_interval=8k\n",
		  "verify_interval: 8192 is larger than the smallest write size 4096" },
		{ "[j]\nrw=write\nsize=1m\nverify=crc32c\nverify_interval=512\n", NULL },
		{ "[j]\nrw=write\nsize=1m\nverify=pattern\n", "verify=pattern needs verify_pattern" },
		{ "[j]\nrw=read\nsize=1m\nioengine=null\nio_submit_mode=offload\n", NULL },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct job_list l;
		char err[512] = "";
		int rc;

		job_list_init(&l);
		rc = jobfile_load_text(&l, "case.fio", cases[i].text, err, sizeof(err));
		if (!rc)
			rc = job_list_finalize(&l, err, sizeof(err));
		if (!cases[i].want && rc)
			fail_msg("case %zu: refused: %s", i, err);
		if (cases[i].want && (!rc || !strstr(err, cases[i].want)))
			fail_msg("case %zu: '%s' lacks '%s'", i, rc ? err : "(loaded)",
				 cases[i].want);
		/* the refusal names the file and where */
		if (cases[i].want && !strstr(err, "case.fio:"))
			fail_msg("case %zu: '%s' names no file", i, err);
		job_list_free(&l);
	}
}

/* Every engine that cannot offload, valid otherwise, is refused at load
 * with offload; the others are not refused for it. */
static void test_offload_refused_at_load(void **state)
{
	(void)state;
	for (size_t i = 0; engine_list()[i]; i++) {
		const struct engine_ops *e = engine_list()[i];
		struct job_opts o;
		char err[256] = "";
		int rc;

		opts_init(&o);
		assert_int_equal(opt_set(&o, "ioengine", e->name, err, sizeof(err)), 0);
		if (opts_validate(&o, err, sizeof(err))) {
			opts_free(&o); /* needs options of its own: not this test's */
			continue;
		}
		assert_int_equal(opt_set(&o, "io_submit_mode", "offload", err, sizeof(err)), 0);
		rc = opts_validate(&o, err, sizeof(err));
		if (e->flags & ENG_NO_OFFLOAD) {
			assert_int_equal(rc, -1);
			assert_non_null(strstr(err, "does not support it"));
		} else {
			assert_int_equal(rc, 0);
		}
		opts_free(&o);
	}
}

static void test_live_flags(void **state)
{
	static const char *const live[] = { "rate", "rate_iops", "iodepth", "rwmixread",
					    "rwmixwrite", "bs" };
	size_t n = 0;

	(void)state;
	for (size_t i = 0; i < opt_count; i++) {
		bool want = false;

		for (size_t k = 0; k < sizeof(live) / sizeof(live[0]); k++)
			want |= !strcmp(opt_table[i].name, live[k]);
		if (want != !!(opt_table[i].flags & OPTF_LIVE))
			fail_msg("%s: OPTF_LIVE %s", opt_table[i].name, want ? "missing" : "unexpected");
		n += want;
	}
	assert_int_equal(n, sizeof(live) / sizeof(live[0]));
	/* the dashboard's knob keys each name a live option */
	for (unsigned k = 0; k < nknobs; k++) {
		const struct opt_def *d = opt_find(knobs[k].name);

		assert_non_null(d);
		assert_true(d->flags & OPTF_LIVE);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refused_at_load),
		cmocka_unit_test(test_offload_refused_at_load),
		cmocka_unit_test(test_live_flags),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
