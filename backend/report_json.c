/* Results in fio's json and json+ formats, from the figures report.c
 * collected; see report.h. */
#include "report_int.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/hist.h"
#include "../lib/json.h"
#include "cmdprio.h"
#include "options.h"
#include "stats.h"
#include "steadystate.h"

struct rep_ts;
struct json;
static void json_ss(struct json *j, const struct rep_ts *t);

/* ------------------------------------------------------------------ json */

/* fio's latency object; "percentile" (and with json+ "bins") only when
 * @h is given: the option asking for that latency's percentiles is on. */
static void json_lat(struct json *j, const char *key, const struct lat_stat *l,
		     const struct hist *h, bool plus, const struct job_opts *o)
{
	const double *pl;
	size_t np = rep_job_pcts(o, &pl);

	uint64_t min, max;
	double mean, dev;

	rep_lat_figures(l, &min, &max, &mean, &dev);
	json_obj_open(j, key);
	json_u64(j, "min", min);
	json_u64(j, "max", max);
	json_dbl(j, "mean", mean);
	json_dbl(j, "stddev", dev);
	json_u64(j, "N", l->n);
	if (h && l->n && h->count) {
		uint64_t v[PCT_LIST_MAX];
		char k[32];

		hist_percentiles(h, pl, np, v);
		json_obj_open(j, "percentile");
		for (size_t i = 0; i < np; i++) {
			snprintf(k, sizeof(k), "%f", pl[i]);
			json_u64(j, k, v[i]);
		}
		json_obj_close(j);
		if (plus) {
			/* keyed by the value iolab reports for the bucket (its
			 * midpoint); fio_jsonplus_clat2csv takes any ns keys;
			 * every latency with percentiles has them, as fio's */
			json_obj_open(j, "bins");
			for (unsigned i = 0; i < HIST_NR; i++) {
				if (!h->bucket[i])
					continue;
				snprintf(k, sizeof(k), "%" PRIu64, hist_bucket_value(i));
				json_u64(j, k, h->bucket[i]);
			}
			json_obj_close(j);
		}
	}
	json_obj_close(j);
}

static void json_ddir(struct json *j, const struct report *r, const struct rep_ts *t, int d,
		      bool plus)
{
	const struct dir_stats *ds = &t->st->dir[d];
	const struct rep_group *g = rep_group_of(r, t->groupid);
	uint64_t rt = t->runtime_ms[d];
	uint64_t bw_bytes = rep_dir_bw_bytes(t, d);

	json_obj_open(j, rep_dir_name(t, d));
	json_u64(j, "io_bytes", ds->bytes);
	json_u64(j, "io_kbytes", ds->bytes >> 10);
	json_u64(j, "bw_bytes", bw_bytes);
	json_u64(j, "bw", bw_bytes / 1024);
	json_dbl(j, "iops", rt ? 1000.0 * (double)rep_dir_issued(ds) / (double)rt : 0.0);
	json_u64(j, "runtime", rt);
	json_u64(j, "total_ios", rep_dir_issued(ds));
	json_u64(j, "short_ios", ds->shorts);
	json_u64(j, "drop_ios", 0);
	json_lat(j, "slat_ns", &ds->slat, t->o->slat_percentiles ? &ds->slat_hist : NULL, plus,
		 t->o);
	json_lat(j, "clat_ns", &ds->clat, t->o->clat_percentiles ? &ds->clat_hist : NULL, plus,
		 t->o);
	json_lat(j, "lat_ns", &ds->lat, t->o->lat_percentiles ? &ds->lat_hist : NULL, plus, t->o);
	if (d < 2 && prio_stats_used(t->prio, d) >= 2) {
		/* fio 3.33: each priority's latencies (clat, or lat with
		 * lat_percentiles=1), where two or more hold some */
		bool pct = t->o->clat_percentiles || t->o->lat_percentiles;

		json_arr_open(j, "prios");
		for (unsigned i = 0; i < t->prio->nr[d]; i++) {
			const struct prio_stat *e = &t->prio->e[d][i];

			if (!e->lat.n)
				continue;
			json_obj_open(j, NULL);
			json_u64(j, "prioclass", ioprio_class_of(e->ioprio));
			json_u64(j, "prio", ioprio_level_of(e->ioprio));
			json_lat(j, t->o->lat_percentiles ? "lat_ns" : "clat_ns", &e->lat,
				 pct ? &e->hist : NULL, plus, t->o);
			json_obj_close(j);
		}
		json_arr_close(j);
	}
	json_u64(j, "bw_min", t->bw[d].min);
	json_u64(j, "bw_max", t->bw[d].max);
	json_dbl(j, "bw_agg", t->bw[d].n ? rep_bw_agg_percent(g, d, t->bw[d].mean) : 0.0);
	json_dbl(j, "bw_mean", t->bw[d].mean);
	json_dbl(j, "bw_dev", t->bw[d].dev);
	json_u64(j, "bw_samples", t->bw[d].n);
	json_u64(j, "iops_min", t->iops[d].min);
	json_u64(j, "iops_max", t->iops[d].max);
	json_dbl(j, "iops_mean", t->iops[d].mean);
	json_dbl(j, "iops_stddev", t->iops[d].dev);
	json_u64(j, "iops_samples", t->iops[d].n);
	json_obj_close(j);
}

/* Options of @o that were set explicitly, minus those equal to the
 * [global] section's, and minus "name" (the section name, which fio lists
 * only for command-line jobs and which "jobname" carries). Returns how many
 * were (or would be, with @j NULL) written. */
static unsigned json_opts(struct json *j, const char *key, const struct job_opts *o,
			  const struct job_opts *global)
{
	unsigned n = 0;
	char buf[512], gbuf[512];

	for (size_t i = 0; i < opt_count && i < OPT_MAX; i++) {
		const struct opt_def *def = &opt_table[i];

		if (!o->set[i] || !strcmp(def->name, "name"))
			continue;
		opt_print(def, o, buf, sizeof(buf));
		if (global && global != o && global->set[i]) {
			opt_print(def, global, gbuf, sizeof(gbuf));
			if (!strcmp(buf, gbuf))
				continue;
		}
		if (j) {
			if (!n)
				json_obj_open(j, key);
			json_str(j, def->name, buf);
		}
		n++;
	}
	if (j && n)
		json_obj_close(j);
	return n;
}

static void json_ts(struct json *j, const struct report *r, const struct rep_ts *t, bool plus)
{
	static const char *const lab[] = { "2", "4", "10", "20", "50", "100", "250", "500",
					   "750", "1000", "2000", ">=2000" };
	const struct job_stats *st = t->st;
	struct lat_dist ld;
	double depth[7], usr, sys;

	json_obj_open(j, NULL);
	json_str(j, "jobname", t->name);
	json_u64(j, "groupid", t->groupid);
	json_i64(j, "error", t->error);
	if (t->note[0])
		json_str(j, "iolab_note", t->note); /* not fio's: readers skip it */
	json_u64(j, "eta", 0);
	json_u64(j, "elapsed", r->elapsed_s);
	json_opts(j, "job options", t->o, r->global);
	/* unified_rw_reporting=mixed: one "mixed" entry and no "sync", as
	 * fio 3.33 writes it; both: the directions, sync, then "mixed" */
	for (int d = 0; d < (t->mixed ? 1 : DDIR_RWDIR_CNT); d++)
		json_ddir(j, r, t, d, plus);
	if (!t->mixed) {
		json_obj_open(j, "sync");
		/* fio counts fsyncs here, not fdatasyncs (their latency yes) */
		json_u64(j, "total_ios", st->syncs - st->datasyncs);
		json_lat(j, "lat_ns", &st->sync_lat,
			 t->o->clat_percentiles || t->o->lat_percentiles ? &st->sync_hist : NULL,
			 plus, t->o);
		json_obj_close(j);
	}
	if (t->o->unified_rw_rep == UNIFIED_BOTH) {
		struct rep_ts m;

		if (!rep_mixed_copy(t, &m)) {
			json_ddir(j, r, &m, 0, plus);
			rep_mixed_free(&m);
		}
	}

	rep_cpu_percent(t, &usr, &sys);
	json_u64(j, "job_runtime", t->job_runtime_ms);
	json_dbl(j, "usr_cpu", usr);
	json_dbl(j, "sys_cpu", sys);
	json_u64(j, "ctx", st->ctx_switches);
	json_u64(j, "majf", st->majf);
	json_u64(j, "minf", st->minf);

	rep_dist_percent(st->depth_hist, depth);
	json_obj_open(j, "iodepth_level");
	for (int i = 0; i < 7; i++) {
		char k[16];

		snprintf(k, sizeof(k), i < 6 ? "%d" : ">=%d", 1 << i);
		json_dbl(j, k, depth[i]);
	}
	json_obj_close(j);
	for (int m = 0; m < 2; m++) { /* keys 0, 4 .. 64, >=64: fio's labels */
		rep_dist_percent(m ? st->complete_hist : st->submit_hist, depth);
		json_obj_open(j, m ? "iodepth_complete" : "iodepth_submit");
		for (int i = 0; i < 7; i++) {
			char k[16];

			snprintf(k, sizeof(k), i == 0 ? "0" : i < 6 ? "%d" : ">=%d",
				 i < 6 ? 1 << (i + 1) : 1 << i);
			json_dbl(j, k, depth[i]);
		}
		json_obj_close(j);
	}

	rep_lat_distribution(st, &ld);
	json_obj_open(j, "latency_ns");
	for (int i = 0; i < 10; i++)
		json_dbl(j, lab[i], ld.n[i]);
	json_obj_close(j);
	json_obj_open(j, "latency_us");
	for (int i = 0; i < 10; i++)
		json_dbl(j, lab[i], ld.u[i]);
	json_obj_close(j);
	json_obj_open(j, "latency_ms");
	for (int i = 0; i < 12; i++)
		json_dbl(j, lab[i], ld.m[i]);
	json_obj_close(j);

	/* as fio: only for jobs that go on after errors */
	if (opts_coe(t->o)) {
		json_u64(j, "total_err", st->total_err);
		json_i64(j, "first_error", st->first_error);
	}
	json_u64(j, "latency_depth", t->lat_depth ? t->lat_depth : t->o->iodepth);
	json_u64(j, "latency_target", t->o->latency_target_us * 1000); /* ns, as fio */
	json_dbl(j, "latency_percentile",
		 t->o->latency_percentile > 0 ? t->o->latency_percentile : 100.0);
	json_u64(j, "latency_window", t->o->latency_window_us);
	if (t->ss)
		json_ss(j, t);
	if (t->desc && *t->desc)
		json_str(j, "desc", t->desc);
	json_obj_close(j);
}

/* fio's "steadystate" object: the last window, oldest reading first */
static void json_ss(struct json *j, const struct rep_ts *t)
{
	const struct ss_job *s = t->ss;
	uint64_t si = 0, sb = 0;
	char buf[96];

	json_obj_open(j, "steadystate");
	ss_describe(t->o, buf, sizeof(buf));
	json_str(j, "ss", buf);
	json_u64(j, "duration", s->dur);
	json_u64(j, "attained", s->attained);
	snprintf(buf, sizeof(buf), "%f%s", s->criterion, t->o->ss_mode & SS_PCT ? "%" : "");
	json_str(j, "criterion", buf);
	json_dbl(j, "max_deviation", s->deviation);
	json_dbl(j, "slope", isfinite(s->slope) ? s->slope : 0); /* n = 1: none */
	json_obj_open(j, "data");
	for (unsigned i = 0; i < s->dur; i++) {
		si += s->iops[i];
		sb += s->bw[i];
	}
	json_u64(j, "bw_mean", sb / s->dur);
	json_u64(j, "iops_mean", si / s->dur);
	json_arr_open(j, "iops");
	for (unsigned i = 0; i < s->dur; i++)
		json_u64(j, NULL, ss_at(s, s->iops, i));
	json_arr_close(j);
	json_arr_open(j, "bw");
	for (unsigned i = 0; i < s->dur; i++)
		json_u64(j, NULL, ss_at(s, s->bw, i));
	json_arr_close(j);
	json_obj_close(j);
	json_obj_close(j);
}

void write_json(FILE *f, const struct report *r, bool plus)
{
	struct json j;
	char tbuf[64];
	size_t l;

	ctime_r(&r->now, tbuf);
	l = strlen(tbuf);
	if (l && tbuf[l - 1] == '\n')
		tbuf[l - 1] = '\0';

	json_init(&j, f);
	json_obj_open(&j, NULL);
	json_str(&j, "fio version", "iolab-" IOLAB_VERSION);
	json_u64(&j, "timestamp", (uint64_t)r->now);
	json_u64(&j, "timestamp_ms", r->now_ms);
	json_str(&j, "time", tbuf);
	if (r->global)
		json_opts(&j, "global options", r->global, NULL);
	json_arr_open(&j, "jobs");
	for (size_t i = 0; i < r->nr_ts; i++)
		json_ts(&j, r, &r->ts[i], plus);
	json_arr_close(&j);
	/* the devices under the jobs' files, counter deltas over the run */
	json_arr_open(&j, "disk_util");
	for (size_t i = 0; i < r->nr_du; i++) {
		const struct disk_util *du = &r->du[i];

		json_obj_open(&j, NULL);
		json_str(&j, "name", du->name);
		json_u64(&j, "read_ios", du->read_ios);
		json_u64(&j, "write_ios", du->write_ios);
		json_u64(&j, "read_sectors", du->read_sectors);
		json_u64(&j, "write_sectors", du->write_sectors);
		json_u64(&j, "read_merges", du->read_merges);
		json_u64(&j, "write_merges", du->write_merges);
		json_u64(&j, "read_ticks", du->read_ticks);
		json_u64(&j, "write_ticks", du->write_ticks);
		json_u64(&j, "in_queue", du->in_queue);
		json_dbl(&j, "util", du->util);
		json_obj_close(&j);
	}
	json_arr_close(&j);
	json_obj_close(&j);
	json_end(&j);
}
