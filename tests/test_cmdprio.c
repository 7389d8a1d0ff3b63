/* backend/cmdprio and the per-priority stats: cmdprio_bssplit's syntax
 * (fio 3.33's, table-driven), the plan built from a job's options (index
 * 0 the thread's priority, realtime when no class is given, a priority
 * shared by entries counted once), the shares the draws give, and the
 * stats merged by priority as a group report sums them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "backend/cmdprio.h"
#include "backend/options.h"
#include "backend/stats.h"

static const struct {
	const char *val;
	int ok;
	unsigned nr_r, nr_w;
	const char *why; /* part of the refusal */
} split_cases[] = {
	{ "64k/100:1024k/0,1024k/0", 1, 1, 0, NULL },
	{ "64k/25/1/1:64k/75/3/2:1024k/0,1024k/0", 1, 2, 0, NULL },
	{ "4k/10", 1, 1, 1, NULL },            /* one list: both directions */
	{ " 4k/10:8k/ ", 1, 1, 1, NULL },      /* blanks around, "bs/" is 0% */
	{ "4k/10,8k/20,16k/5", 1, 1, 1, NULL }, /* a trim part is accepted */
	{ "4k/10::8k/20", 1, 1, 1, NULL },     /* an empty entry ends the list */
	{ "", 1, 0, 0, NULL },
	{ "4k/50/1", 0, 0, 0, "bs/percent" },
	{ "4k/50/1/1/1", 0, 0, 0, "bs/percent" },
	{ "4k/60:4k/50", 0, 0, 0, "110%" },
	{ "xx/5", 0, 0, 0, "not a block size" },
	{ "0/5", 0, 0, 0, "not a block size" },
	{ "4k/101", 0, 0, 0, "percentage" },
	{ "4k/-1", 0, 0, 0, "percentage" },
	{ "4k/5/4/1", 0, 0, 0, "class 4" },
	{ "4k/5/1/8", 0, 0, 0, "level 8" },
	{ "4k/5,4k/5/x/1", 0, 0, 0, "class" },
};

static void test_split_parse(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(split_cases) / sizeof(split_cases[0]); i++) {
		struct cmdprio_split out[2][BSSPLIT_MAX];
		unsigned nr[2] = { 99, 99 };
		char err[256] = "";
		int rc = cmdprio_split_parse(split_cases[i].val, 1024, out, nr, err, sizeof(err));

		if (split_cases[i].ok) {
			if (rc)
				fail_msg("'%s' refused: %s", split_cases[i].val, err);
			assert_int_equal(nr[0], split_cases[i].nr_r);
			assert_int_equal(nr[1], split_cases[i].nr_w);
		} else {
			if (!rc)
				fail_msg("'%s' accepted", split_cases[i].val);
			if (!strstr(err, split_cases[i].why))
				fail_msg("'%s': '%s' does not say '%s'", split_cases[i].val, err,
					 split_cases[i].why);
		}
	}
}

static void test_split_sorted_resolved(void **state)
{
	struct cmdprio_split out[2][BSSPLIT_MAX];
	unsigned nr[2];
	char err[128];

	(void)state;
	assert_int_equal(cmdprio_split_parse("1m/10:4k/25/1/1:4k/75/0/2", 1024, out, nr, err,
					     sizeof(err)), 0);
	assert_int_equal(nr[0], 3);
	assert_int_equal(out[0][0].bs, 4096);
	assert_int_equal(out[0][0].prio, (1 << 13) | 1);
	assert_int_equal(out[0][1].prio, (2 << 13) | 2); /* class 0: best effort */
	assert_int_equal(out[0][2].bs, 1048576);
	assert_int_equal(out[0][2].prio, -1);
}

static void set(struct job_opts *o, const char *k, const char *v)
{
	char err[256];

	if (opt_set(o, k, v, err, sizeof(err)))
		fail_msg("%s=%s: %s", k, v, err);
}

static void test_thread_prio(void **state)
{
	struct job_opts o;
	uint32_t v = 99;

	(void)state;
	opts_init(&o);
	assert_false(cmdprio_thread_prio(&o, &v));
	assert_int_equal(v, 0);
	set(&o, "prio", "6");
	assert_true(cmdprio_thread_prio(&o, &v));
	assert_int_equal(v, 0x4006); /* no class: best effort, as fio */
	set(&o, "prioclass", "3");
	assert_true(cmdprio_thread_prio(&o, &v));
	assert_int_equal(v, 0x6006);
	opts_free(&o);
}

static void test_plan_percentage(void **state)
{
	struct job_opts o;
	struct cmdprio c;
	char err[128];
	unsigned hi[2] = { 0, 0 };
	const unsigned n = 100000;

	(void)state;
	opts_init(&o);
	set(&o, "ioengine", "libaio");
	set(&o, "rw", "randrw");
	set(&o, "cmdprio_percentage", "20,40");
	set(&o, "cmdprio", "3");
	assert_int_equal(opts_validate(&o, err, sizeof(err)), 0);
	assert_int_equal(cmdprio_init(&c, &o, 0x4006, 7, err, sizeof(err)), 0);
	for (int d = 0; d < 2; d++) {
		assert_int_equal(c.nr_prios[d], 2);
		assert_int_equal(c.prios[d][0], 0x4006);
		assert_int_equal(c.prios[d][1], 0x2003); /* realtime when no class given */
	}
	for (unsigned i = 0; i < n; i++)
		for (int d = 0; d < 2; d++) {
			uint32_t p = 0;
			uint16_t ix = 0;

			if (cmdprio_pick(&c, d, 4096, &p, &ix)) {
				assert_int_equal(p, 0x2003);
				assert_int_equal(ix, 1);
				hi[d]++;
			}
		}
	/* 100000 draws: one standard deviation is about 0.15 points */
	assert_true(hi[0] > n * 19 / 100 && hi[0] < n * 21 / 100);
	assert_true(hi[1] > n * 39 / 100 && hi[1] < n * 41 / 100);
	/* a direction the job does not do has no plan */
	set(&o, "rw", "randread");
	assert_int_equal(cmdprio_init(&c, &o, 0, 7, err, sizeof(err)), 0);
	assert_int_equal(c.nr_prios[1], 0);
	opts_free(&o);
}

static void test_plan_bssplit(void **state)
{
	struct job_opts o;
	struct cmdprio c;
	char err[128];
	unsigned cnt[3] = { 0, 0, 0 }, other = 0;

	(void)state;
	opts_init(&o);
	set(&o, "ioengine", "io_uring");
	set(&o, "rw", "randread");
	set(&o, "cmdprio_class", "2");
	set(&o, "cmdprio", "5");
	/* 4k: 25% at 1/1, 25% at the implicit 2/5, 25% at 1/1 again; 64k: none */
	set(&o, "cmdprio_bssplit", "4k/25/1/1:4k/25:4k/25/1/1");
	assert_int_equal(cmdprio_init(&c, &o, 0, 3, err, sizeof(err)), 0);
	assert_int_equal(c.nr_prios[0], 3); /* 0/0, 1/1, 2/5: 1/1 counted once */
	for (unsigned i = 0; i < 100000; i++) {
		uint32_t p = 0;
		uint16_t ix = 0;

		if (!cmdprio_pick(&c, 0, 4096, &p, &ix)) {
			other++;
			continue;
		}
		assert_int_equal(c.prios[0][ix], p);
		cnt[ix]++;
	}
	assert_int_equal(cnt[0], 0);
	assert_true(cnt[1] > 49000 && cnt[1] < 51000);
	assert_true(cnt[2] > 24000 && cnt[2] < 26000);
	assert_true(other > 24000 && other < 26000);
	{
		uint32_t p = 0;
		uint16_t ix = 0;

		assert_false(cmdprio_pick(&c, 0, 65536, &p, &ix));
	}
	/* percentage and bssplit together: refused, as fio */
	set(&o, "cmdprio_percentage", "10");
	assert_int_equal(opts_validate(&o, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "cmdprio_bssplit"));
	opts_free(&o);
}

static void test_stats_merge(void **state)
{
	static const unsigned nr[2] = { 2, 0 };
	static const uint32_t prios[2][PRIO_STATS_MAX] = { { 0, 0x2001 } };
	struct prio_stats *p = prio_stats_new(nr, prios), *g;

	(void)state;
	assert_non_null(p);
	prio_stats_add(p, 0, 0, 1000);
	prio_stats_add(p, 0, 1, 3000);
	prio_stats_add(p, 0, 1, 5000);
	prio_stats_add(p, 0, 7, 5000); /* no such entry: ignored */
	prio_stats_add(p, 1, 0, 5000);
	assert_int_equal(prio_stats_used(p, 0), 2);
	assert_int_equal(prio_stats_used(p, 1), 0);
	g = prio_stats_dup(NULL);
	assert_non_null(g);
	for (int k = 0; k < 2; k++)
		for (unsigned i = 0; i < p->nr[0]; i++)
			assert_int_equal(prio_stats_merge_one(g, 0, p->e[0][i].ioprio,
							      &p->e[0][i].lat, &p->e[0][i].hist), 0);
	assert_int_equal(g->nr[0], 2);
	assert_int_equal(g->e[0][1].ioprio, 0x2001);
	assert_int_equal(g->e[0][1].lat.n, 4);
	assert_int_equal(g->e[0][1].lat.min, 3000);
	assert_int_equal(g->e[0][1].hist.count, 4);
	prio_stats_reset(p);
	assert_int_equal(prio_stats_used(p, 0), 0);
	prio_stats_free(g);
	prio_stats_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_parse),
		cmocka_unit_test(test_split_sorted_resolved),
		cmocka_unit_test(test_thread_prio),
		cmocka_unit_test(test_plan_percentage),
		cmocka_unit_test(test_plan_bssplit),
		cmocka_unit_test(test_stats_merge),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
