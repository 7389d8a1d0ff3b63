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
#include <unistd.h>

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
		/* these failed in the worker after start (err=22) */
		{ "[j]\nrw=randwrite\nsize=1m\nverify=crc32c\ntrim_percentage=10\n",
		  "trim_percentage=10: not supported" },
		{ "[j]\nrw=write\nsize=0\nfilename=/tmp/x\ndedupe_percentage=50\n"
		  "dedupe_mode=working_set\n", "dedupe_mode: working_set needs size=" },
		{ "[j]\nrw=write\nsize=1m\nnrfiles=2\ndedupe_percentage=50\n"
		  "dedupe_mode=working_set\n", "working_set works on one file per job" },
		{ "[j]\nrw=write\nsize=1m\ndedupe_percentage=60\ndedupe_mode=working_set\n"
		  "dedupe_working_set_percentage=50\n", "is above 100" },
		{ "[j]\nrw=write\nsize=1m\ndedupe_percentage=40\ndedupe_mode=working_set\n"
		  "dedupe_working_set_percentage=50\n", NULL },
		{ "[j]\nrw=randread\nsize=1m\nrandom_distribution=zoned_abs:50/2m:50/2m\n",
		  "zoned_abs read zones add to 4194304 bytes, past the 1048576-byte region" },
		{ "[j]\nrw=randread\nsize=2m\nnrfiles=2\n"
		  "random_distribution=zoned_abs:50/512k:50/512k\n", NULL },
		{ "[j]\nrw=randread\nsize=1m\ncpus_allowed=1000\n",
		  "cpus_allowed=1000: CPU 1000 is not on this machine" },
		{ "[j]\nrw=randread\nsize=1m\ncpus_allowed=0\n", NULL },
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

/* numa_cpu_nodes naming a node the machine lacks is refused at load where
 * sysfs shows NUMA nodes; without them the job loads and runs anywhere (a
 * note says so), as before. */
static void test_numa_nodes_at_load(void **state)
{
	struct job_list l;
	char err[512] = "";
	bool numa = access("/sys/devices/system/node/node0", F_OK) == 0;
	int rc;

	(void)state;
	job_list_init(&l);
	rc = jobfile_load_text(&l, "case.fio", "[j]\nrw=read\nsize=1m\nnuma_cpu_nodes=1000\n",
			       err, sizeof(err));
	assert_int_equal(rc, 0);
	rc = job_list_finalize(&l, err, sizeof(err));
	if (numa) {
		assert_int_equal(rc, -1);
		assert_non_null(strstr(err, "numa_cpu_nodes=1000: no CPUs on node 1000"));
	} else {
		assert_int_equal(rc, 0);
	}
	job_list_free(&l);
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
		cmocka_unit_test(test_numa_nodes_at_load),
		cmocka_unit_test(test_live_flags),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
