/* Diagnose, the analysis of time (backend/diagnose_stall.c): from the
 * points' heat, when a step's slow I/Os completed and how much of the I/O
 * they were. On made-up steps whose every I/O is known (the figures are
 * checked against a count of the heat), and on steps recorded from the
 * slow-disk lab (tests/fixtures/diag-lab-*.json: `iolab --diagnose
 * --output-format=json` on a labfs loop device, stalls of 300 ms every 2 s,
 * and 0.3% of I/Os at 20 ms), read back into a record and analysed again. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "backend/diagnose.h"
#include "lib/jsonr.h"

/* ---- made-up steps ---- */

#define FAST_US 85.0
#define SLOW_US 20000.0

/* A record whose only step is QD1 random reads: 80 intervals of 0.1 s,
 * @per I/Os each, all at FAST_US; slow[i] of interval i's at SLOW_US. */
static struct diagnose_result *made_up(unsigned per, const unsigned *slow)
{
	struct diagnose_result *r = calloc(1, sizeof(*r));
	struct diagnose_step *s;
	double ios = 0, nslow = 0;

	assert_non_null(r);
	diagnose_result_init(r, "/dev/sdx");
	r->direct = true;
	r->rotational = 0;
	r->runtime_s = 8;
	s = &r->steps[DIAG_RANDREAD_QD1];
	s->status = DIAG_DONE;
	s->runtime_s = 8;
	s->nr_points = 80;
	for (unsigned i = 0; i < 80; i++) {
		struct diagnose_point *p = &s->points[i];

		p->t_s = 0.1 * i + 0.05;
		p->dur_s = 0.1;
		p->ios = per;
		p->iops = per * 10;
		p->lat_p50_us = p->lat_p99_us = p->lat_p999_us = FAST_US;
		p->lat_max_us = slow[i] ? SLOW_US : FAST_US;
		p->util = p->await_ms = -1;
		p->heat[diagnose_lat_bin(FAST_US)] = per - slow[i];
		p->heat[diagnose_lat_bin(SLOW_US)] = slow[i];
		ios += per;
		nslow += slow[i];
	}
	s->iops = ios / 8;
	s->read_iops = s->iops;
	s->bw_bytes = s->iops * 4096;
	s->ios = (uint64_t)ios;
	s->lat_bins[diagnose_lat_bin(FAST_US)] = ios - nslow;
	s->lat_bins[diagnose_lat_bin(SLOW_US)] = nslow;
	s->lat_min_us = s->lat_p50_us = s->lat_p99_us = FAST_US;
	s->lat_mean_us = (FAST_US * (ios - nslow) + SLOW_US * nslow) / ios;
	s->lat_p999_us = nslow / ios > 0.001 ? SLOW_US : FAST_US;
	s->lat_max_us = nslow ? SLOW_US : FAST_US;
	return r;
}

static const struct diagnose_finding *find(const struct diagnose_result *r, const char *code)
{
	for (unsigned i = 0; i < r->nr_findings; i++)
		if (!strcmp(r->findings[i].code, code))
			return &r->findings[i];
	return NULL;
}

static double fig(const struct diagnose_finding *f, const char *name)
{
	for (unsigned i = 0; i < f->nr_fig; i++)
		if (!strcmp(f->fig[i].name, name))
			return f->fig[i].value;
	fail_msg("finding %s has no figure %s", f->code, name);
	return NAN;
}

/* I/Os of step @s that took @over_us or more, and all, counted bin by bin
 * over every interval's heat. */
static void count(const struct diagnose_step *s, double over_us, double *slow, double *all)
{
	*slow = *all = 0;
	for (unsigned i = 0; i < s->nr_points; i++)
		for (unsigned k = 0; k < DIAG_LAT_BINS; k++) {
			*all += s->points[i].heat[k];
			if (diagnose_bin_low_us(k) >= over_us)
				*slow += s->points[i].heat[k];
		}
}

/* The bins: contiguous quarter octaves, bin 0 from 0. */
static void test_bins(void **state)
{
	(void)state;
	assert_int_equal(diagnose_lat_bin(0), 0);
	assert_int_equal(diagnose_lat_bin(0.5), 0);
	assert_int_equal(diagnose_lat_bin(1), 0);
	assert_int_equal(diagnose_lat_bin(1e12), DIAG_LAT_BINS - 1);
	assert_true(diagnose_bin_low_us(0) == 0);
	for (unsigned k = 1; k < DIAG_LAT_BINS; k++) {
		double lo = diagnose_bin_low_us(k);

		assert_true(lo > diagnose_bin_low_us(k - 1));
		assert_int_equal(diagnose_lat_bin(lo * 1.0001), k);
		assert_int_equal(diagnose_lat_bin(lo * 0.9999), k - 1);
	}
}

/* Slow I/Os in two intervals: the tail finding names both, the bigger
 * first, with their shares; the figures match a count of the heat. */
static void test_tail_bunched(void **state)
{
	unsigned slow[80] = { 0 };
	struct diagnose_result *r;
	const struct diagnose_finding *f;
	const struct diagnose_step *s;
	double nslow, all;

	(void)state;
	slow[31] = 30;
	slow[74] = 12;
	r = made_up(100, slow);
	s = &r->steps[DIAG_RANDREAD_QD1];
	diagnose_analyse(r);
	f = find(r, "tail_latency");
	assert_non_null(f);
	count(s, fig(f, "over_us"), &nslow, &all);
	assert_true(nslow == 42 && all == 8000);
	assert_true(fig(f, "over_us") > FAST_US && fig(f, "over_us") <= SLOW_US);
	assert_float_equal(fig(f, "over_share"), 42 / 8000.0, 1e-9);
	assert_float_equal(fig(f, "top_share"), 1.0, 1e-9);
	assert_int_equal(f->nr_when, 2);
	assert_int_equal(f->when[0].step, DIAG_RANDREAD_QD1);
	assert_float_equal(f->when[0].t_s, 3.15, 1e-9);
	assert_float_equal(f->when[0].slow, 30, 0);
	assert_float_equal(f->when[0].ios, 100, 0);
	assert_float_equal(f->when[1].t_s, 7.45, 1e-9);
	assert_float_equal(f->when[1].slow, 12, 0);
	assert_non_null(strstr(f->text, "Of its I/Os 0.53% took"));
	assert_non_null(strstr(f->text, "100% of those completed in 2 of the 80 intervals"));
	assert_non_null(strstr(f->text, "(71% of them, 30% of that interval's I/Os)"));
	assert_non_null(strstr(f->text, "(29% of them, 12% of that interval's I/Os)"));
	assert_null(strstr(f->text, "spread through"));
	free(r);
}

/* One slow I/O in most intervals: spread, and the busiest intervals named
 * hold only their share. */
static void test_tail_spread(void **state)
{
	unsigned slow[80] = { 0 };
	struct diagnose_result *r;
	const struct diagnose_finding *f;
	double nslow, all;

	(void)state;
	for (unsigned i = 0; i < 80; i++)
		slow[i] = i % 4 ? 2 : 0;
	slow[10] = 5;
	r = made_up(1000, slow);
	diagnose_analyse(r);
	f = find(r, "tail_latency");
	assert_non_null(f);
	count(&r->steps[DIAG_RANDREAD_QD1], fig(f, "over_us"), &nslow, &all);
	assert_float_equal(fig(f, "over_share"), nslow / all, 1e-9);
	assert_non_null(strstr(f->text, "spread through the step: 60 of the 80 intervals held some"));
	assert_int_equal(f->nr_when, 4);
	assert_float_equal(f->when[0].t_s, 1.05, 1e-9); /* the busiest first */
	assert_float_equal(fig(f, "top_share"), (5 + 3 * 2) / nslow, 1e-9);
	free(r);
}

/* A lone stall (nothing completes, then the held I/O): latency_stall, with
 * the interval the held I/O completed in. */
static void test_stall_interval(void **state)
{
	unsigned slow[80] = { 0 };
	struct diagnose_result *r;
	struct diagnose_step *s;
	const struct diagnose_finding *f;

	(void)state;
	slow[41] = 1;
	r = made_up(1000, slow);
	s = &r->steps[DIAG_RANDREAD_QD1];
	s->points[40].ios = 0;
	s->points[40].iops = 0;
	memset(s->points[40].heat, 0, sizeof(s->points[40].heat));
	diagnose_analyse(r);
	f = find(r, "latency_stall");
	assert_non_null(f);
	assert_int_equal(f->nr_when, 1);
	assert_float_equal(f->when[0].t_s, 4.15, 1e-9);
	assert_float_equal(fig(f, "top_share"), 1, 1e-9);
	free(r);
}

/* Without heat (a record from before it, or samples without histograms)
 * the findings stand as before, without intervals. */
static void test_no_heat(void **state)
{
	unsigned slow[80] = { 0 };
	struct diagnose_result *r;
	const struct diagnose_finding *f;

	(void)state;
	slow[31] = 30;
	r = made_up(100, slow);
	for (unsigned i = 0; i < 80; i++)
		memset(r->steps[DIAG_RANDREAD_QD1].points[i].heat, 0,
		       sizeof(r->steps[0].points[0].heat));
	diagnose_analyse(r);
	f = find(r, "tail_latency");
	assert_non_null(f);
	assert_int_equal(f->nr_when, 0);
	for (unsigned i = 0; i < f->nr_fig; i++)
		assert_string_not_equal(f->fig[i].name, "over_share");
	free(r);
}

/* A commits step's figures are commits (write + fdatasync), its points'
 * heat the writes': no intervals are read off it. */
static void test_commits_no_intervals(void **state)
{
	unsigned slow[80] = { 0 };
	struct diagnose_result *r;
	const struct diagnose_finding *f;

	(void)state;
	slow[31] = 30;
	r = made_up(100, slow);
	r->steps[DIAG_RANDREAD_QD1].commits = true;
	diagnose_analyse(r);
	f = find(r, "tail_latency");
	assert_non_null(f);
	assert_int_equal(f->nr_when, 0);
	assert_null(strstr(f->text, "Of its I/Os"));
	free(r);
}

/* ---- steps recorded in the lab ---- */

static enum diag_status status_of(const char *st)
{
	static const char *const names[] = { [DIAG_NOT_RUN] = "not run", [DIAG_DONE] = "done",
					     [DIAG_STOPPED] = "stopped", [DIAG_SKIPPED] = "skipped",
					     [DIAG_FAILED] = "failed" };

	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (st && !strcmp(st, names[i]))
			return (enum diag_status)i;
	fail_msg("status %s", st ? st : "(none)");
	return DIAG_NOT_RUN;
}

/* A saved diagnose JSON report back into a record (what analysis reads). */
static struct diagnose_result *load(const char *path)
{
	struct diagnose_result *r = calloc(1, sizeof(*r));
	FILE *fp = fopen(path, "r");
	char *text = malloc(1 << 20), err[200];
	struct jv root;
	const struct jv *d, *steps;
	size_t n;

	assert_non_null(r);
	assert_non_null(text);
	if (!fp)
		fail_msg("%s: cannot open (the tests run from the repository root)", path);
	n = fread(text, 1, (1 << 20) - 1, fp);
	fclose(fp);
	if (jv_parse(text, n, &root, err, sizeof(err)))
		fail_msg("%s: %s", path, err);
	free(text);
	d = jv_get(&root, "diagnosis");
	diagnose_result_init(r, jv_str(jv_get(d, "target")));
	r->runtime_s = jv_num(jv_get(d, "runtime_s"), 0);
	r->direct = jv_get(d, "direct")->b;
	r->dev_stats = jv_get(d, "device_stats")->b;
	r->rotational = (int)jv_num(jv_get(jv_get(d, "device_info"), "rotational"), -1);
	steps = jv_get(d, "steps");
	assert_int_equal(steps->n, DIAG_STEP_NR);
	for (unsigned k = 0; k < DIAG_STEP_NR; k++) {
		const struct jv *js = &steps->items[k], *pts = jv_get(js, "points");
		const struct jv *heat = jv_get(js, "heat"), *bins = jv_get(js, "lat_bins");
		struct diagnose_step *s = &r->steps[k];
		static const struct {
			const char *key;
			size_t off;
		} num[] = {
#define F(key, field) { key, offsetof(struct diagnose_step, field) }
			F("runtime_s", runtime_s), F("iops", iops), F("read_iops", read_iops),
			F("write_iops", write_iops), F("bw_bytes", bw_bytes),
			F("lat_mean_us", lat_mean_us), F("lat_min_us", lat_min_us),
			F("lat_p50_us", lat_p50_us), F("lat_p99_us", lat_p99_us),
			F("lat_p999_us", lat_p999_us), F("lat_max_us", lat_max_us),
			F("depth", depth), F("util", util), F("await_ms", await_ms),
			F("dev_iops", dev_iops), F("dev_bw_bytes", dev_bw), F("dev_depth", dev_depth),
#undef F
		};

		assert_string_equal(jv_str(jv_get(js, "name")), s->name);
		s->status = status_of(jv_str(jv_get(js, "status")));
		for (size_t i = 0; i < sizeof(num) / sizeof(num[0]); i++)
			*(double *)((char *)s + num[i].off) = jv_num(jv_get(js, num[i].key), 0);
		s->ios = (uint64_t)jv_num(jv_get(js, "ios"), 0);
		assert_int_equal(bins->n, DIAG_LAT_BINS);
		for (unsigned b = 0; b < DIAG_LAT_BINS; b++)
			s->lat_bins[b] = bins->items[b].num;
		assert_true(pts->n <= DIAG_MAX_POINTS && heat->n == pts->n);
		s->nr_points = (unsigned)pts->n;
		for (unsigned i = 0; i < s->nr_points; i++) {
			const struct jv *p = &pts->items[i], *h = &heat->items[i];
			struct diagnose_point *q = &s->points[i];

			assert_int_equal(p->n, 8);
			q->t_s = p->items[0].num;
			q->dur_s = p->items[1].num;
			q->ios = p->items[2].num;
			q->iops = q->dur_s > 0 ? q->ios / q->dur_s : 0;
			q->lat_p50_us = p->items[3].num;
			q->lat_p99_us = p->items[4].num;
			q->lat_p999_us = p->items[5].num;
			q->lat_max_us = p->items[6].num;
			q->util = p->items[7].num;
			q->await_ms = -1;
			for (size_t b = 1; b < h->n; b++) {
				size_t bin = (size_t)h->items[0].num + b - 1;

				assert_true(bin < DIAG_LAT_BINS);
				q->heat[bin] = (uint32_t)h->items[b].num;
			}
		}
	}
	jv_free(&root);
	return r;
}

/* Stalls of 300 ms every 2 s: the periodic finding names, in each step,
 * intervals 2 s apart that hold the I/Os past half a stall. */
static void test_lab_stall(void **state)
{
	struct diagnose_result *r = load("tests/fixtures/diag-lab-stall.json");
	const struct diagnose_finding *f;
	double slow = 0, named = 0;

	(void)state;
	diagnose_analyse(r);
	f = find(r, "periodic_stall");
	assert_non_null(f);
	assert_float_equal(fig(f, "period_s"), 2.0, 0.2);
	assert_true(fig(f, "over_us") >= 100000 && fig(f, "over_us") <= 150000);
	assert_true(f->nr_when >= 3);
	for (unsigned i = 0; i < f->nr_when; i++) {
		const struct diagnose_when *w = &f->when[i];

		assert_true(w->slow > 0 && w->slow <= w->ios);
		named += w->slow;
		if (i && f->when[i - 1].step == w->step)
			assert_float_equal(w->t_s - f->when[i - 1].t_s, 2.0, 0.3);
		assert_non_null(strstr(f->text, r->steps[w->step].name));
	}
	for (unsigned k = 0; k < DIAG_STEP_NR; k++) {
		double s, all;
		bool in = false;

		for (unsigned i = 0; i < f->nr_when; i++)
			in |= f->when[i].step == (int)k;
		if (!in)
			continue;
		count(&r->steps[k], fig(f, "over_us"), &s, &all);
		slow += s;
	}
	assert_float_equal(fig(f, "top_share"), named / slow, 1e-9);
	assert_true(fig(f, "top_share") >= 0.9);
	assert_non_null(strstr(f->text, "completed at t="));
	free(r);
}

/* 0.3% of I/Os at 20 ms, spread evenly: the tail findings give that share
 * (as the heat counts it) and say it is spread. */
static void test_lab_tail(void **state)
{
	struct diagnose_result *r = load("tests/fixtures/diag-lab-tail.json");
	unsigned tails = 0;

	(void)state;
	diagnose_analyse(r);
	for (unsigned i = 0; i < r->nr_findings; i++) {
		const struct diagnose_finding *f = &r->findings[i];
		double slow, all;

		if (strcmp(f->code, "tail_latency"))
			continue;
		tails++;
		count(&r->steps[f->step], fig(f, "over_us"), &slow, &all);
		assert_float_equal(fig(f, "over_share"), slow / all, 1e-9);
		assert_float_equal(fig(f, "over_share"), 0.003, 0.0025);
		assert_true(fig(f, "top_share") < 0.5);
		assert_non_null(strstr(f->text, "spread through the step"));
	}
	assert_true(tails >= 1);
	free(r);
}

/* The JSON report carries each finding's intervals. */
static void test_json_intervals(void **state)
{
	unsigned slow[80] = { 0 };
	struct diagnose_result *r;
	char *buf = NULL, err[200];
	size_t len = 0;
	FILE *f;
	struct jv root;
	const struct jv *fs, *iv = NULL;

	(void)state;
	slow[31] = 30;
	r = made_up(100, slow);
	diagnose_analyse(r);
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	diagnose_print_json(f, r);
	fclose(f);
	assert_int_equal(jv_parse(buf, len, &root, err, sizeof(err)), 0);
	fs = jv_get(jv_get(&root, "diagnosis"), "findings");
	for (size_t i = 0; i < fs->n; i++)
		if (!strcmp(jv_str(jv_get(&fs->items[i], "code")), "tail_latency"))
			iv = jv_get(&fs->items[i], "intervals");
	assert_non_null(iv);
	assert_int_equal(iv->n, 1);
	assert_string_equal(jv_str(jv_get(&iv->items[0], "step")), "randread-4k-qd1");
	assert_float_equal(jv_num(jv_get(&iv->items[0], "t_s"), 0), 3.15, 1e-9);
	assert_float_equal(jv_num(jv_get(&iv->items[0], "slow_ios"), 0), 30, 0);
	assert_float_equal(jv_num(jv_get(&iv->items[0], "ios"), 0), 100, 0);
	jv_free(&root);
	free(buf);
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bins),
		cmocka_unit_test(test_tail_bunched),
		cmocka_unit_test(test_tail_spread),
		cmocka_unit_test(test_stall_interval),
		cmocka_unit_test(test_no_heat),
		cmocka_unit_test(test_commits_no_intervals),
		cmocka_unit_test(test_lab_stall),
		cmocka_unit_test(test_lab_tail),
		cmocka_unit_test(test_json_intervals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
