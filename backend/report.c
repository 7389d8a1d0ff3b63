/* Results in fio's formats (normal, json, json+, terse v3); see report.h.
 *
 * The figures follow fio 3.33's definitions so that tools reading fio's
 * output read ours: runtime in ms, bw_bytes = 1000 * bytes / runtime,
 * bw in KiB/s, bandwidth and IOPS sample statistics from the sampler's
 * intervals, percentiles at fio's default list, latency buckets as fio's
 * io_u_lat_{n,u,m}. With group_reporting, consecutive jobs of one group are
 * merged into one entry as fio does (sums, the longest runtime, bandwidth
 * sample statistics added member by member). */
#include "report_int.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "../lib/clock.h"
#include "../lib/hist.h"
#include "../lib/summary.h"
#include "backend.h"
#include "cmdprio.h"
#include "diskstats.h"
#include "job.h"
#include "jobfile.h"
#include "options.h"
#include "samples.h"
#include "stats.h"
#include "steadystate.h"

static const double pct_list[] = {
	1.0, 5.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0,
	90.0, 95.0, 99.0, 99.5, 99.9, 99.95, 99.99,
};
#define NR_PCT (sizeof(pct_list) / sizeof(pct_list[0]))
_Static_assert(NR_PCT <= PCT_LIST_MAX, "default percentile list too long");

/* The job's percentile_list, or fio's default list. Returns the count. */
size_t rep_job_pcts(const struct job_opts *o, const double **list)
{
	if (o && o->nr_percentile_list) {
		*list = o->percentile_list;
		return o->nr_percentile_list;
	}
	*list = pct_list;
	return NR_PCT;
}
/* ---------------------------------------------------------------- numbers */

void report_fmt_num(char *buf, size_t len, uint64_t num, int maxlen, bool pow2,
		    enum report_unit unit)
{
	static const char *const si[] = { "", "k", "M", "G", "T", "P", "E" };
	static const char *const iec[] = { "", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei" };
	static const char *const ustr[] = { "", "/s", "B", "B/s" };
	const char *const *prefix = pow2 ? iec : si;
	const unsigned thousand = pow2 ? 1024 : 1000;
	unsigned modulo = UINT_MAX;
	bool carry = false;
	unsigned post = 0;
	char tmp[32];
	int room;

	while (post < 7) {
		snprintf(tmp, sizeof(tmp), "%" PRIu64, num);
		if ((int)strlen(tmp) <= maxlen)
			break;
		modulo = (unsigned)(num % thousand);
		num /= thousand;
		carry = modulo >= thousand / 2;
		post++;
	}
	if (post >= 7)
		post = 0;
	if (modulo == UINT_MAX) {
		snprintf(buf, len, "%" PRIu64 "%s%s", num, prefix[post], ustr[unit]);
		return;
	}
	snprintf(tmp, sizeof(tmp), "%" PRIu64, num);
	room = maxlen - (int)strlen(tmp);
	if (room <= 1) {
		if (carry)
			num++;
		snprintf(buf, len, "%" PRIu64 "%s%s", num, prefix[post], ustr[unit]);
		return;
	}
	/* the remainder as a fraction with room-1 decimals; "1.0" carries */
	snprintf(tmp, sizeof(tmp), "%.*f", room - 1, (double)modulo / (double)thousand);
	if (tmp[0] == '1')
		num++;
	snprintf(buf, len, "%" PRIu64 ".%s%s%s", num, tmp + 2, prefix[post], ustr[unit]);
}

unsigned report_parse_formats(const char *s)
{
	unsigned mask = 0;
	const char *p = s;

	if (!s || !*s)
		return 0;
	for (;;) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);

		if (n == 6 && !strncasecmp(p, "normal", n))
			mask |= REPORT_NORMAL;
		else if (n == 4 && !strncasecmp(p, "json", n))
			mask |= REPORT_JSON;
		else if (n == 5 && !strncasecmp(p, "json+", n))
			mask |= REPORT_JSON | REPORT_JSONPLUS;
		else if (n == 5 && !strncasecmp(p, "terse", n))
			mask |= REPORT_TERSE;
		else
			return 0;
		if (!e)
			break;
		p = e + 1;
	}
	return mask;
}

/* ------------------------------------------------------------ collection */

static uint64_t ns_to_ms(uint64_t ns)
{
	return (ns + NS_PER_MS / 2) / NS_PER_MS;
}

/* Length of the measured phase of @st at monotonic @now: up to its end, or
 * up to @now while it runs (SIGUSR1's results); 0 before it began. */
static uint64_t phase_ns(const struct job_stats *st, uint64_t now)
{
	uint64_t end = st->end_ns ? st->end_ns : now;

	return st->start_ns && end > st->start_ns ? end - st->start_ns : 0;
}

/* Runtime of direction @d in ms: the time the direction was active, or the
 * measured phase when the worker did not record one; at least 1 ms when
 * anything completed so that rates stay defined. Rates are only ever
 * divided by this (or a sum of these), never by a clamped job runtime. */
static uint64_t dir_runtime_ms(const struct job_stats *st, int d, uint64_t now)
{
	uint64_t ns = st->runtime_ns[d];

	if (!st->dir[d].ios && !st->dir[d].bytes)
		return 0;
	if (!ns)
		ns = phase_ns(st, now);
	return ns_to_ms(ns) ? ns_to_ms(ns) : 1;
}

static const char *job_display_name(const struct job *j)
{
	if (j->o.name && *j->o.name)
		return j->o.name;
	return j->name ? j->name : "job";
}

/* unified_rw_reporting: every direction of @t summed into dir[0], as fio
 * sums them (the longest runtime; bandwidth and IOPS sample statistics
 * added as group_reporting adds them). */
static void fold_mixed(struct rep_ts *t)
{
	struct job_stats *st = t->st;

	for (int d = 1; d < DDIR_RWDIR_CNT; d++) {
		dir_stats_merge(&st->dir[0], &st->dir[d]);
		dir_stats_clear(&st->dir[d]);
		if (st->runtime_ns[d] > st->runtime_ns[0])
			st->runtime_ns[0] = st->runtime_ns[d];
		st->runtime_ns[d] = 0;
		if (t->runtime_ms[d] > t->runtime_ms[0])
			t->runtime_ms[0] = t->runtime_ms[d];
		t->runtime_ms[d] = 0;
		summary_add_sum(&t->bw[0], &t->bw[d]);
		summary_add_sum(&t->iops[0], &t->iops[d]);
		memset(&t->bw[d], 0, sizeof(t->bw[d]));
		memset(&t->iops[d], 0, sizeof(t->iops[d]));
	}
	t->mixed = true;
	if (t->prio && t->prio->nr[1]) {
		struct prio_stats *p = t->prio;

		for (unsigned i = 0; i < p->nr[1]; i++)
			if (prio_stats_merge_one(p, 0, p->e[1][i].ioprio, &p->e[1][i].lat,
						 &p->e[1][i].hist))
				break; /* ENOMEM: what was folded is reported */
		free(p->e[1]);
		p->e[1] = NULL;
		p->nr[1] = 0;
	}
}

/* unified_rw_reporting=both: @m becomes @t's "mixed" entry, with a copy of
 * its stats and per-priority latencies (freed by rep_mixed_free). Returns
 * 0 or -ENOMEM. */
int rep_mixed_copy(const struct rep_ts *t, struct rep_ts *m)
{
	*m = *t;
	m->prio = NULL;
	m->st = malloc(sizeof(*m->st));
	if (!m->st)
		return -ENOMEM;
	memcpy(m->st, t->st, sizeof(*m->st));
	if (t->prio) {
		m->prio = prio_stats_dup(NULL);
		for (int d = 0; m->prio && d < 2; d++)
			for (unsigned i = 0; i < t->prio->nr[d]; i++)
				if (prio_stats_merge_one(m->prio, d, t->prio->e[d][i].ioprio,
							 &t->prio->e[d][i].lat,
							 &t->prio->e[d][i].hist))
					break; /* ENOMEM: what was copied is reported */
	}
	fold_mixed(m);
	return 0;
}

void rep_mixed_free(struct rep_ts *m)
{
	free(m->st);
	prio_stats_free(m->prio);
}

static void report_free(struct report *r)
{
	for (size_t i = 0; i < r->nr_ts; i++) {
		free(r->ts[i].st);
		prio_stats_free(r->ts[i].prio);
	}
	free(r->ts);
	free(r->groups);
}

/* fio 3.33's latencies per priority of entry @t (its init_per_prio_stats
 * and sum_clat_prio_stats): member @j's own per-priority latencies, or for
 * a direction without them, its whole completion latencies (total ones
 * with lat_percentiles=1) under its thread's priority; @snap its stats.
 * Returns 0 or -ENOMEM. */
static int prio_collect(struct rep_ts *t, const struct job *j, const struct job_stats *snap)
{
	struct prio_stats *src = NULL;
	uint32_t tp;
	int rc = 0;

	cmdprio_thread_prio(&j->o, &tp);
	if (!t->prio) {
		t->prio = prio_stats_dup(NULL);
		if (!t->prio)
			return -ENOMEM;
		t->thread_prio = tp;
	} else if (tp != t->thread_prio) {
		t->prio_on = true;
	}
	if (j->prio_stats) {
		src = prio_stats_dup(j->prio_stats);
		if (!src)
			return -ENOMEM;
		t->prio_on = true;
	}
	for (int d = 0; d < 2 && !rc; d++) {
		const struct dir_stats *ds = &snap->dir[d];

		if (src && src->nr[d]) {
			for (unsigned i = 0; i < src->nr[d] && !rc; i++)
				rc = prio_stats_merge_one(t->prio, d, src->e[d][i].ioprio,
							  &src->e[d][i].lat, &src->e[d][i].hist);
		} else if (j->o.lat_percentiles) {
			rc = prio_stats_merge_one(t->prio, d, tp, &ds->lat, &ds->lat_hist);
		} else {
			rc = prio_stats_merge_one(t->prio, d, tp, &ds->clat, &ds->clat_hist);
		}
	}
	prio_stats_free(src);
	return rc;
}

/* Snapshot every job into entries and groups. Returns 0 or -ENOMEM. */
static int report_collect(struct report *r)
{
	unsigned n = backend_njobs(r->be);
	struct timeval tv;
	uint64_t start = backend_run_start_ns(r->be), mono_now = clock_now_ns();

	gettimeofday(&tv, NULL);
	r->now = tv.tv_sec;
	r->now_ms = (uint64_t)tv.tv_sec * 1000 + (uint64_t)tv.tv_usec / 1000;
	r->elapsed_s = start ? (clock_now_ns() - start + NS_PER_SEC / 2) / NS_PER_SEC : 0;
	if (backend_samples(r->be)) {
		r->nr_du = samples_disk_util(backend_samples(r->be), r->du, REPORT_MAX_DISKS);
		if (r->nr_du > REPORT_MAX_DISKS)
			r->nr_du = REPORT_MAX_DISKS;
	}
	r->ts = calloc(n ? n : 1, sizeof(*r->ts));
	r->groups = calloc(n ? n : 1, sizeof(*r->groups));
	if (!r->ts || !r->groups)
		goto err;

	for (unsigned i = 0; i < n; i++) {
		const struct job *j = backend_job(r->be, i);
		struct job_stats *snap;
		struct summary bw[DDIR_RWDIR_CNT], iops[DDIR_RWDIR_CNT];
		struct rep_ts *t = r->nr_ts ? &r->ts[r->nr_ts - 1] : NULL;
		uint64_t jrt;
		int jerr;

		if (!j)
			continue;
		snap = malloc(sizeof(*snap));
		if (!snap)
			goto err;
		stats_init(snap);
		stats_snapshot(snap, &j->stats);
		/* fio's bwavgtime/iopsavgtime series, kept by the sampler */
		rates_get((struct job_rates *)&j->rates, bw, iops);
		jrt = ns_to_ms(phase_ns(snap, mono_now));
		/* as fio: a job that went on after errors reports the first */
		jerr = j->error ? j->error : opts_coe(&j->o) ? snap->first_error : 0;

		if (t && t->o->group_reporting && j->o.group_reporting && t->groupid == j->group) {
			if (prio_collect(t, j, snap)) {
				free(snap);
				goto err;
			}
			stats_merge(t->st, snap);
			free(snap);
			t->members++;
			t->job_runtime_ms += jrt;
			if (!t->error && jerr) {
				t->error = jerr;
				snprintf(t->errmsg, sizeof(t->errmsg), "%s", j->errmsg);
			}
			if (j->ss && j->ss->leader)
				t->ss = j->ss;
			if (!t->note[0] && j->note[0])
				snprintf(t->note, sizeof(t->note), "%s", j->note);
			for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
				summary_add_sum(&t->bw[d], &bw[d]);
				summary_add_sum(&t->iops[d], &iops[d]);
			}
		} else {
			t = &r->ts[r->nr_ts++];
			snprintf(t->name, sizeof(t->name), "%s", job_display_name(j));
			t->desc = j->o.description;
			t->o = &j->o;
			t->lat_depth = __atomic_load_n(&j->lat_depth, __ATOMIC_RELAXED);
			t->ss = j->ss && j->ss->leader ? j->ss : NULL;
			t->groupid = j->group;
			t->members = 1;
			t->error = jerr;
			snprintf(t->errmsg, sizeof(t->errmsg), "%s", j->errmsg);
			snprintf(t->note, sizeof(t->note), "%s", j->note);
			t->st = snap;
			t->job_runtime_ms = jrt;
			memcpy(t->bw, bw, sizeof(bw));
			memcpy(t->iops, iops, sizeof(iops));
			if (prio_collect(t, j, snap))
				goto err;
		}
	}
	for (size_t i = 0; i < r->nr_ts; i++) {
		if (!r->ts[i].prio_on) {
			prio_stats_free(r->ts[i].prio);
			r->ts[i].prio = NULL;
		}
	}

	for (size_t i = 0; i < r->nr_ts; i++) {
		struct rep_ts *t = &r->ts[i];
		struct rep_group *g = NULL;

		for (int d = 0; d < DDIR_RWDIR_CNT; d++)
			t->runtime_ms[d] = dir_runtime_ms(t->st, d, mono_now);
		if (t->o->unified_rw_rep == UNIFIED_MIXED)
			fold_mixed(t);
		for (size_t k = 0; k < r->nr_groups; k++)
			if (r->groups[k].id == t->groupid)
				g = &r->groups[k];
		if (!g) {
			g = &r->groups[r->nr_groups++];
			g->id = t->groupid;
			g->kb_base = t->o->kb_base ? t->o->kb_base : 1024;
			for (int d = 0; d < DDIR_RWDIR_CNT; d++)
				g->min_bw[d] = UINT64_MAX;
		}
		g->unified |= 1u << t->o->unified_rw_rep;
		for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
			uint64_t rt = t->runtime_ms[d], bw;

			if (!rt)
				continue;
			g->used = true;
			if (!g->min_run[d] || rt < g->min_run[d])
				g->min_run[d] = rt;
			if (rt > g->max_run[d])
				g->max_run[d] = rt;
			bw = t->st->dir[d].bytes * 1000 / rt;
			if (bw < g->min_bw[d])
				g->min_bw[d] = bw;
			if (bw > g->max_bw[d])
				g->max_bw[d] = bw;
			g->iobytes[d] += t->st->dir[d].bytes;
		}
	}
	for (size_t k = 0; k < r->nr_groups; k++) {
		struct rep_group *g = &r->groups[k];

		for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
			if (g->max_run[d])
				g->agg[d] = g->iobytes[d] * 1000 / g->max_run[d];
			if (g->min_bw[d] == UINT64_MAX)
				g->min_bw[d] = 0;
		}
	}
	return 0;
err:
	report_free(r);
	return -ENOMEM;
}

const struct rep_group *rep_group_of(const struct report *r, unsigned id)
{
	for (size_t k = 0; k < r->nr_groups; k++)
		if (r->groups[k].id == id)
			return &r->groups[k];
	return NULL;
}

/* ------------------------------------------------------ derived figures */

void rep_lat_figures(const struct lat_stat *l, uint64_t *min, uint64_t *max, double *mean,
		     double *dev)
{
	if (!l->n) {
		*min = *max = 0;
		*mean = *dev = 0.0;
		return;
	}
	*min = l->min;
	*max = l->max;
	*mean = lat_mean(l);
	*dev = lat_stddev(l);
}

/* fio's io_u_lat_{n,u,m} buckets: index of @v (already in the bucket's
 * unit) among "2 4 10 20 50 100 250 500 750 1000", each label being the
 * exclusive upper bound. */
static int lat_small_idx(uint64_t v)
{
	static const uint64_t lim[] = { 2, 4, 10, 20, 50, 100, 250, 500, 750 };
	int i = 0;

	while (i < 9 && v >= lim[i])
		i++;
	return i;
}


/* Completion latency distribution of all directions, in percent of the
 * I/Os (fio floors a non-empty bucket at 0.01%). */
void rep_lat_distribution(const struct job_stats *st, struct lat_dist *out)
{
	uint64_t n[10] = { 0 }, u[10] = { 0 }, m[12] = { 0 }, total = 0;

	for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
		const struct hist *h = &st->dir[d].clat_hist;

		for (unsigned i = 0; i < HIST_NR; i++) {
			uint64_t c = h->bucket[i], v;

			if (!c)
				continue;
			v = hist_bucket_value(i);
			total += c;
			if (v < 1000) {
				n[lat_small_idx(v)] += c;
			} else if (v < 1000000) {
				u[lat_small_idx(v / 1000)] += c;
			} else {
				uint64_t ms = v / 1000000;

				m[ms < 1000 ? lat_small_idx(ms) : ms < 2000 ? 10 : 11] += c;
			}
		}
	}
#define PCT_OF(dst, src, nr)                                                   \
	for (int i = 0; i < (nr); i++) {                                       \
		dst[i] = total ? 100.0 * (double)src[i] / (double)total : 0.0; \
		if (src[i] && dst[i] < 0.01)                                   \
			dst[i] = 0.01;                                         \
	}
	PCT_OF(out->n, n, 10)
	PCT_OF(out->u, u, 10)
	PCT_OF(out->m, m, 12)
#undef PCT_OF
}

void rep_dist_percent(const uint64_t map[7], double out[7])
{
	uint64_t total = 0;

	for (int i = 0; i < 7; i++)
		total += map[i];
	for (int i = 0; i < 7; i++) {
		out[i] = total ? 100.0 * (double)map[i] / (double)total : 0.0;
		if (map[i] && out[i] < 0.1)
			out[i] = 0.1;
	}
}

void rep_cpu_percent(const struct rep_ts *t, double *usr, double *sys)
{
	if (t->job_runtime_ms) {
		*usr = t->st->usr_cpu_s * 1000.0 * 100.0 / (double)t->job_runtime_ms;
		*sys = t->st->sys_cpu_s * 1000.0 * 100.0 / (double)t->job_runtime_ms;
	} else {
		*usr = *sys = 0.0;
	}
}

/* Percent of the group's aggregate bandwidth a mean (KiB/s) is, capped at
 * 100 (fio's convert_agg_kbytes_percent). */
double rep_bw_agg_percent(const struct rep_group *g, int d, double mean)
{
	double p = 100.0;

	if (g && g->agg[d] > 1024) {
		p = mean * 100.0 / ((double)g->agg[d] / 1024.0);
		if (p > 100.0)
			p = 100.0;
	}
	return p;
}

/* fio's total_ios: the I/Os issued, those that failed included */
uint64_t rep_dir_issued(const struct dir_stats *ds)
{
	return ds->ios + ds->failed;
}

/* "read", "write", "trim", or "mixed" for a folded entry */
const char *rep_dir_name(const struct rep_ts *t, int d)
{
	return t->mixed ? "mixed" : ddir_name(d);
}

uint64_t rep_dir_bw_bytes(const struct rep_ts *t, int d)
{
	return t->runtime_ms[d] ? t->st->dir[d].bytes * 1000 / t->runtime_ms[d] : 0;
}

/* ---------------------------------------------------------------- normal */

static void normal_lat(FILE *f, const char *name, const struct lat_stat *l)
{
	uint64_t min, max;
	double mean, dev;
	const char *base = "(nsec)";
	char minp[32], maxp[32];

	if (!l->n)
		return;
	rep_lat_figures(l, &min, &max, &mean, &dev);
	/* fio's choice of unit; the bounds round outwards (summary_scale) */
	if (min > 2000000 && max > 99999999ULL && dev > 1000000.0) {
		summary_scale(min, max, mean, 1000000, &min, &max, &mean);
		dev /= 1000000.0;
		base = "(msec)";
	} else if (min > 2000 && max > 99999 && dev > 1000.0) {
		summary_scale(min, max, mean, 1000, &min, &max, &mean);
		dev /= 1000.0;
		base = "(usec)";
	}
	report_fmt_num(minp, sizeof(minp), min, 6, false, RU_NONE);
	report_fmt_num(maxp, sizeof(maxp), max, 6, false, RU_NONE);
	fprintf(f, "    %s %s: min=%s, max=%s, avg=%5.02f, stdev=%5.02f\n", name, base, minp, maxp,
		mean, dev);
}

/* @l: the same latencies' exact min/max (the "clat (unit): min=, max=" line
 * above): a percentile rounded up into a coarser unit is printed no higher
 * than the max is, so no printed percentile reads above the printed max. */
static void normal_percentiles(FILE *f, const char *pre, const struct hist *h,
			       const struct lat_stat *l, const struct job_opts *o)
{
	uint64_t v[PCT_LIST_MAX], minv = UINT64_MAX, maxv = 0;
	const double *pl;
	size_t np = rep_job_pcts(o, &pl);
	unsigned divisor = 1, scale = 0;
	int width, per_line;
	const char *unit = "nsec";

	if (!h->count)
		return;
	hist_percentiles(h, pl, np, v);
	for (size_t i = 0; i < np; i++) {
		if (v[i] < minv)
			minv = v[i];
		if (v[i] > maxv)
			maxv = v[i];
	}
	if (minv > 2000000 && maxv > 99999999ULL) {
		scale = 2;
		divisor = 1000000;
		unit = "msec";
	} else if (minv > 2000 && maxv > 99999) {
		scale = 1;
		divisor = 1000;
		unit = "usec";
	}
	fprintf(f, "    %s percentiles (%s):\n     |", pre, unit);
	width = maxv / divisor ? (int)(log10((double)(maxv / divisor)) + 1) : 1;
	if (width < 5)
		width = 5;
	per_line = (80 - 7) / (2 + 10 + width);
	for (size_t j = 0; j < np; j++) {
		uint64_t val = v[j];
		bool last = j == np - 1;

		if (j && (j % (size_t)per_line) == 0)
			fputs("     |", f);
		for (unsigned s = 0; s < scale; s++)
			val = (val + 999) / 1000;
		if (l->n && val > l->max / divisor)
			val = l->max / divisor;
		fprintf(f, " %5.2fth=[%*" PRIu64 "]%c", pl[j], width, val, last ? '\n' : ',');
		if (!last && (j % (size_t)per_line) == (size_t)per_line - 1)
			fputc('\n', f);
	}
}

/* fio 3.33's lines per I/O priority, where two or more priorities hold
 * latencies: "clat prio 1/0 (usec): min=..." (@pcts false), or their
 * percentiles, "clat prio 1/0 (20.13% of IOs) percentiles" ("lat" for
 * both with lat_percentiles=1). */
static void normal_prio(FILE *f, const struct rep_ts *t, int d, bool pcts)
{
	const char *type = t->o->lat_percentiles ? "lat" : "clat";
	uint64_t all = t->o->lat_percentiles ? t->st->dir[d].lat.n : t->st->dir[d].clat.n;
	char name[96];

	if (d > 1 || prio_stats_used(t->prio, d) < 2)
		return;
	for (unsigned i = 0; i < t->prio->nr[d]; i++) {
		const struct prio_stat *e = &t->prio->e[d][i];

		if (!e->lat.n)
			continue;
		if (!pcts) {
			snprintf(name, sizeof(name), "%s prio %u/%u", type, ioprio_class_of(e->ioprio),
				 ioprio_level_of(e->ioprio));
			normal_lat(f, name, &e->lat);
			continue;
		}
		snprintf(name, sizeof(name), "%s prio %u/%u (%.2f%% of IOs)", type,
			 ioprio_class_of(e->ioprio), ioprio_level_of(e->ioprio),
			 all ? 100.0 * (double)e->lat.n / (double)all : 0.0);
		normal_percentiles(f, name, &e->hist, &e->lat, t->o);
	}
}

static void normal_ddir(FILE *f, const struct report *r, const struct rep_ts *t, int d)
{
	const struct dir_stats *ds = &t->st->dir[d];
	const struct rep_group *g = rep_group_of(r, t->groupid);
	bool i2p = !t->o->kb_base || t->o->kb_base == 1024;
	uint64_t rt = t->runtime_ms[d], bw, iops;
	char io_p[32], bw_p[32], bw_alt[32], iops_p[32], zr[48] = "";

	if (!rt)
		return;
	bw = ds->bytes * 1000 / rt;
	iops = rep_dir_issued(ds) * 1000 / rt;
	report_fmt_num(io_p, sizeof(io_p), ds->bytes, 4, i2p, RU_BYTE);
	report_fmt_num(bw_p, sizeof(bw_p), bw, 4, i2p, RU_BYTEPERSEC);
	report_fmt_num(bw_alt, sizeof(bw_alt), bw, 4, !i2p, RU_BYTEPERSEC);
	report_fmt_num(iops_p, sizeof(iops_p), iops, 4, false, RU_NONE);
	if (d == DDIR_WRITE && !t->mixed)
		snprintf(zr, sizeof(zr), "; %" PRIu64 " zone resets", t->st->zone_resets);
	fprintf(f, "  %s: IOPS=%s, BW=%s (%s)(%s/%" PRIu64 "msec)%s\n", rep_dir_name(t, d), iops_p,
		bw_p, bw_alt, io_p, rt, zr);

	normal_lat(f, "slat", &ds->slat);
	normal_lat(f, "clat", &ds->clat);
	normal_lat(f, " lat", &ds->lat);
	normal_prio(f, t, d, false);
	if (t->o->slat_percentiles && ds->slat.n)
		normal_percentiles(f, "slat", &ds->slat_hist, &ds->slat, t->o);
	if (t->o->clat_percentiles && ds->clat.n)
		normal_percentiles(f, "clat", &ds->clat_hist, &ds->clat, t->o);
	if (t->o->lat_percentiles && ds->lat.n)
		normal_percentiles(f, "lat", &ds->lat_hist, &ds->lat, t->o);
	if (t->o->clat_percentiles || t->o->lat_percentiles)
		normal_prio(f, t, d, true);

	if (t->bw[d].n) {
		uint64_t kb = t->o->kb_base ? t->o->kb_base : 1024;
		uint64_t min = t->bw[d].min, max = t->bw[d].max;
		double mean = t->bw[d].mean, dev = t->bw[d].dev;
		const char *unit = i2p ? "KiB" : "kB";
		double p = rep_bw_agg_percent(g, d, mean);

		if (mean > (double)(kb * kb)) {
			summary_scale(min, max, mean, kb, &min, &max, &mean);
			dev /= (double)kb;
			unit = i2p ? "MiB" : "MB";
		}
		fprintf(f,
			"   bw (%5s/s): min=%5" PRIu64 ", max=%5" PRIu64 ", per=%3.2f%%, avg=%5.02f, "
			"stdev=%5.02f, samples=%" PRIu64 "\n",
			unit, min, max, p, mean, dev, t->bw[d].n);
	}
	if (t->iops[d].n)
		fprintf(f,
			"   iops        : min=%5" PRIu64 ", max=%5" PRIu64 ", avg=%5.02f, stdev=%5.02f, "
			"samples=%" PRIu64 "\n",
			t->iops[d].min, t->iops[d].max, t->iops[d].mean, t->iops[d].dev, t->iops[d].n);
}

static void normal_lat_line(FILE *f, const char *unit, const double *v, int nr,
			    const char *const *labels)
{
	int on_line = 0;

	for (int i = 0; i < nr; i++) {
		if (v[i] <= 0.0)
			continue;
		if (on_line == 0)
			fprintf(f, "  lat (%s)   : ", unit);
		else
			fputs(", ", f);
		fprintf(f, "%s=%3.2f%%", labels[i], v[i]);
		if (++on_line == 5) {
			fputc('\n', f);
			on_line = 0;
		}
	}
	if (on_line)
		fputc('\n', f);
}

/* fio's steadystate line: the window's mean bandwidth (its second figure
 * is fio's: the KiB count again with a decimal prefix), mean IOPS and the
 * last value of the criterion */
static void normal_ss(FILE *f, const struct rep_ts *t)
{
	const struct ss_job *s = t->ss;
	unsigned kb = t->o->kb_base ? t->o->kb_base : 1024;
	bool i2p = kb == 1024;
	uint64_t bw = 0, iops = 0;
	char p1[32], p2[32], p3[32];

	for (unsigned i = 0; i < s->dur; i++) {
		bw += s->bw[i];
		iops += s->iops[i];
	}
	bw = bw / s->dur / kb;
	report_fmt_num(p1, sizeof(p1), bw * kb, 4, i2p, RU_BYTEPERSEC);
	report_fmt_num(p2, sizeof(p2), bw * 1000, 4, !i2p, RU_BYTEPERSEC);
	report_fmt_num(p3, sizeof(p3), iops / s->dur, 4, false, RU_NONE);
	fprintf(f, "  steadystate  : attained=%s, bw=%s (%s), iops=%s, %s%s=%.3f%s\n",
		s->attained ? "yes" : "no", p1, p2, p3, t->o->ss_mode & SS_IOPS ? "iops" : "bw",
		t->o->ss_mode & SS_SLOPE ? " slope" : " mean dev", s->criterion,
		t->o->ss_mode & SS_PCT ? "%" : "");
}

static void normal_ts(FILE *f, const struct report *r, const struct rep_ts *t)
{
	static const char *const lab[] = { "2", "4", "10", "20", "50", "100", "250", "500",
					   "750", "1000", "2000", ">=2000" };
	const struct job_stats *st = t->st;
	struct lat_dist ld;
	double depth[7], usr, sys;
	char tbuf[64];
	uint64_t ios = 0;

	for (int d = 0; d < DDIR_RWDIR_CNT; d++)
		ios += st->dir[d].ios + st->dir[d].bytes;
	if (!ios && !t->error && !t->note[0])
		return;
	ctime_r(&r->now, tbuf);
	if (!t->error)
		fprintf(f, "%s: (groupid=%u, jobs=%u): err=%2d: pid=%d: %s", t->name, t->groupid,
			t->members, 0, (int)getpid(), tbuf);
	else
		fprintf(f, "%s: (groupid=%u, jobs=%u): err=%2d (%s): pid=%d: %s", t->name,
			t->groupid, t->members, t->error, t->errmsg[0] ? t->errmsg : strerror(t->error),
			(int)getpid(), tbuf);
	if (t->desc && *t->desc)
		fprintf(f, "  Description  : [%s]\n", t->desc);
	if (t->note[0])
		fprintf(f, "  Note         : %s\n", t->note);
	for (int d = 0; d < DDIR_RWDIR_CNT; d++)
		if (st->dir[d].bytes)
			normal_ddir(f, r, t, d);
	if (t->o->unified_rw_rep == UNIFIED_BOTH) {
		struct rep_ts m;

		if (!rep_mixed_copy(t, &m)) {
			if (m.st->dir[0].bytes)
				normal_ddir(f, r, &m, 0);
			rep_mixed_free(&m);
		}
	}

	rep_lat_distribution(st, &ld);
	normal_lat_line(f, "nsec", ld.n, 10, lab);
	normal_lat_line(f, "usec", ld.u, 10, lab);
	normal_lat_line(f, "msec", ld.m, 12, lab);

	if (st->sync_lat.n) {
		fprintf(f, "  %s:\n", "fsync/fdatasync/sync_file_range");
		normal_lat(f, "sync", &st->sync_lat);
		normal_percentiles(f, "sync", &st->sync_hist, &st->sync_lat, t->o);
	}

	rep_cpu_percent(t, &usr, &sys);
	fprintf(f, "  cpu          : usr=%3.2f%%, sys=%3.2f%%, ctx=%" PRIu64 ", majf=%" PRIu64
		   ", minf=%" PRIu64 "\n",
		usr, sys, st->ctx_switches, st->majf, st->minf);
	rep_dist_percent(st->depth_hist, depth);
	fprintf(f, "  IO depths    : 1=%3.1f%%, 2=%3.1f%%, 4=%3.1f%%, 8=%3.1f%%, 16=%3.1f%%, "
		   "32=%3.1f%%, >=64=%3.1f%%\n",
		depth[0], depth[1], depth[2], depth[3], depth[4], depth[5], depth[6]);
	for (int k = 0; k < 2; k++) {
		rep_dist_percent(k ? st->complete_hist : st->submit_hist, depth);
		fprintf(f, "     %-10s: 0=%3.1f%%, 4=%3.1f%%, 8=%3.1f%%, 16=%3.1f%%, 32=%3.1f%%, "
			   "64=%3.1f%%, >=64=%3.1f%%\n", k ? "complete" : "submit",
			depth[0], depth[1], depth[2], depth[3], depth[4], depth[5], depth[6]);
	}
	fprintf(f, "     issued rwts: total=%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
		   " short=%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",0 dropped=0,0,0,0\n",
		rep_dir_issued(&st->dir[0]), rep_dir_issued(&st->dir[1]), rep_dir_issued(&st->dir[2]),
		st->syncs - st->datasyncs,
		st->dir[0].shorts,
		st->dir[1].shorts, st->dir[2].shorts);
	if (opts_coe(t->o))
		fprintf(f, "     errors    : total=%" PRIu64 ", first_error=%d/<%s>\n", st->total_err,
			st->first_error, strerror(st->first_error));
	fprintf(f, "     latency   : target=%" PRIu64 ", window=%" PRIu64
		   ", percentile=%.2f%%, depth=%u\n",
		t->o->latency_target_us * 1000, t->o->latency_window_us, /* ns, us as fio */
		t->o->latency_percentile > 0 ? t->o->latency_percentile : 100.0,
		t->lat_depth ? t->lat_depth : t->o->iodepth);
	if (t->ss)
		normal_ss(f, t);
}

static void normal_group_line(FILE *f, const char *label, bool i2p, uint64_t iobytes,
			      uint64_t aggbw, uint64_t min_bw, uint64_t max_bw, uint64_t min_run,
			      uint64_t max_run)
{
	char io[32], ioalt[32], agg[32], aggalt[32], mn[32], mnalt[32], mx[32], mxalt[32];

	report_fmt_num(io, sizeof(io), iobytes, 4, i2p, RU_BYTE);
	report_fmt_num(ioalt, sizeof(ioalt), iobytes, 4, !i2p, RU_BYTE);
	report_fmt_num(agg, sizeof(agg), aggbw, 4, i2p, RU_BYTEPERSEC);
	report_fmt_num(aggalt, sizeof(aggalt), aggbw, 4, !i2p, RU_BYTEPERSEC);
	report_fmt_num(mn, sizeof(mn), min_bw, 4, i2p, RU_BYTEPERSEC);
	report_fmt_num(mnalt, sizeof(mnalt), min_bw, 4, !i2p, RU_BYTEPERSEC);
	report_fmt_num(mx, sizeof(mx), max_bw, 4, i2p, RU_BYTEPERSEC);
	report_fmt_num(mxalt, sizeof(mxalt), max_bw, 4, !i2p, RU_BYTEPERSEC);
	fprintf(f, "%s: bw=%s (%s), %s-%s (%s-%s), io=%s (%s), run=%" PRIu64 "-%" PRIu64 "msec\n",
		label, agg, aggalt, mn, mx, mnalt, mxalt, io, ioalt, min_run, max_run);
}

static void normal_group(FILE *f, const struct rep_group *g)
{
	static const char *const str[] = { "   READ", "  WRITE", "   TRIM" };
	bool i2p = g->kb_base == 1024;
	uint64_t io = 0, agg = 0, mnb = UINT64_MAX, mxb = 0, mnr = UINT64_MAX, mxr = 0;

	fprintf(f, "\nRun status group %u (all jobs):\n", g->id);
	for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
		if (!g->max_run[d])
			continue;
		normal_group_line(f, g->unified & (1u << UNIFIED_MIXED) ? "  MIXED" : str[d], i2p,
				  g->iobytes[d], g->agg[d], g->min_bw[d], g->max_bw[d],
				  g->min_run[d], g->max_run[d]);
		/* unified_rw_reporting=both: the directions summed, as fio */
		io += g->iobytes[d];
		agg += g->agg[d];
		mnb = g->min_bw[d] < mnb ? g->min_bw[d] : mnb;
		mxb = g->max_bw[d] > mxb ? g->max_bw[d] : mxb;
		mnr = g->min_run[d] < mnr ? g->min_run[d] : mnr;
		mxr = g->max_run[d] > mxr ? g->max_run[d] : mxr;
	}
	if ((g->unified & (1u << UNIFIED_BOTH)) && mxr)
		normal_group_line(f, "  MIXED", i2p, io, agg, mnb, mxb, mnr, mxr);
}

static void write_normal(FILE *f, const struct report *r)
{
	for (size_t i = 0; i < r->nr_ts; i++)
		normal_ts(f, r, &r->ts[i]);
	for (size_t k = 0; k < r->nr_groups; k++)
		if (r->groups[k].used)
			normal_group(f, &r->groups[k]);
	if (r->nr_du)
		fputs("\nDisk stats (read/write):\n", f);
	for (size_t i = 0; i < r->nr_du; i++) {
		const struct disk_util *du = &r->du[i];

		fprintf(f, "  %s: ios=%" PRIu64 "/%" PRIu64 ", merge=%" PRIu64 "/%" PRIu64
			   ", ticks=%" PRIu64 "/%" PRIu64 ", in_queue=%" PRIu64 ", util=%3.2f%%\n",
			du->name, du->read_ios, du->write_ios, du->read_merges, du->write_merges,
			du->read_ticks, du->write_ticks, du->in_queue, du->util);
	}
}

/* ----------------------------------------------------------------- terse */

static void terse_lat(FILE *f, const struct lat_stat *l)
{
	uint64_t min, max;
	double mean, dev;

	rep_lat_figures(l, &min, &max, &mean, &dev);
	summary_scale(min, max, mean, 1000, &min, &max, &mean);
	fprintf(f, ";%" PRIu64 ";%" PRIu64 ";%f;%f", min, max, mean, dev / 1000.0);
}

static void terse_ddir(FILE *f, const struct report *r, const struct rep_ts *t, int d, int ver)
{
	const struct dir_stats *ds = &t->st->dir[d];
	const struct rep_group *g = rep_group_of(r, t->groupid);
	uint64_t rt = t->runtime_ms[d], bw = 0, iops = 0;

	if (rt) {
		bw = ds->bytes * 1000 / rt / 1024;
		iops = rep_dir_issued(ds) * 1000 / rt;
	}
	fprintf(f, ";%" PRIu64 ";%" PRIu64 ";%" PRIu64 ";%" PRIu64, ds->bytes >> 10, bw, iops, rt);
	terse_lat(f, &ds->slat);
	terse_lat(f, &ds->clat);
	const double *pl;
	size_t np = rep_job_pcts(t->o, &pl);
	/* fio's terse shows lat's percentiles with lat_percentiles, else
	 * clat's, else none */
	const struct hist *ph = t->o->lat_percentiles ? &ds->lat_hist
				: t->o->clat_percentiles ? &ds->clat_hist : NULL;
	const struct lat_stat *pls = t->o->lat_percentiles ? &ds->lat : &ds->clat;

	if (!ph) {
		for (size_t i = 0; i < TERSE_PCT_SLOTS; i++)
			fputs(";0%=0", f);
	} else if (pls->n) {
		uint64_t v[PCT_LIST_MAX];

		hist_percentiles(ph, pl, np, v);
		for (size_t i = 0; i < TERSE_PCT_SLOTS; i++) {
			if (i < np)
				fprintf(f, ";%f%%=%" PRIu64, pl[i], v[i] / 1000);
			else
				fputs(";0%=0", f);
		}
	} else {
		for (size_t i = 0; i < TERSE_PCT_SLOTS; i++) {
			if (i < np)
				fprintf(f, ";%f%%=0", pl[i]);
			else
				fputs(";0%=0", f);
		}
	}
	terse_lat(f, &ds->lat);
	if (t->bw[d].n) {
		double p = 100.0;

		if (g && g->agg[d] >= 1024) {
			p = t->bw[d].mean * 100.0 / (double)(g->agg[d] / 1024);
			if (p > 100.0)
				p = 100.0;
		}
		fprintf(f, ";%" PRIu64 ";%" PRIu64 ";%f%%;%f;%f", t->bw[d].min, t->bw[d].max, p,
			t->bw[d].mean, t->bw[d].dev);
	} else {
		fprintf(f, ";%" PRIu64 ";%" PRIu64 ";%f%%;%f;%f", (uint64_t)0, (uint64_t)0, 0.0, 0.0,
			0.0);
	}
	if (ver == 5) /* bandwidth samples, then the IOPS figures */
		fprintf(f, ";%" PRIu64 ";%" PRIu64 ";%" PRIu64 ";%f;%f;%" PRIu64, t->bw[d].n,
			t->iops[d].min, t->iops[d].max, t->iops[d].mean, t->iops[d].dev,
			t->iops[d].n);
}

/* A terse field: ';' and control characters (a multi-line description,
 * a --name=a;b) would shift the fields or split the line, so they are
 * written as '_' (fio writes them as they are). */
static void terse_str(FILE *f, const char *s)
{
	fputc(';', f);
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++)
		fputc(*p == ';' || *p < 0x20 || *p == 0x7f ? '_' : *p, f);
}

/* fio's terse format, version @ver (2 to 5; 3 by default): one
 * ';'-separated line per entry. 2, 4 and 5 add trim after write; 5 adds
 * each direction's bandwidth samples and IOPS figures; 2 has no version
 * field nor disk figures and puts the description on a line of its own. */
static void write_terse(FILE *f, const struct report *r, int ver)
{
	for (size_t i = 0; i < r->nr_ts; i++) {
		const struct rep_ts *t = &r->ts[i];
		const struct job_stats *st = t->st;
		struct lat_dist ld;
		double depth[7], usr, sys, lat_u[10];
		double ntotal = 0;

		if (ver == 2)
			fputs("2", f);
		else
			fprintf(f, "%d;iolab-%s", ver, IOLAB_VERSION);
		terse_str(f, t->name);
		fprintf(f, ";%u;%d", t->groupid, t->error);
		/* unified_rw_reporting: mixed in read's place, nothing after;
		 * both: mixed after the others */
		terse_ddir(f, r, t, DDIR_READ, ver);
		if (!t->mixed) {
			terse_ddir(f, r, t, DDIR_WRITE, ver);
			if (ver != 3)
				terse_ddir(f, r, t, DDIR_TRIM, ver);
		}
		if (t->o->unified_rw_rep == UNIFIED_BOTH) {
			struct rep_ts m;

			if (!rep_mixed_copy(t, &m)) {
				terse_ddir(f, r, &m, DDIR_READ, ver);
				rep_mixed_free(&m);
			}
		}
		rep_cpu_percent(t, &usr, &sys);
		fprintf(f, ";%f%%;%f%%;%" PRIu64 ";%" PRIu64 ";%" PRIu64, usr, sys, st->ctx_switches,
			st->majf, st->minf);
		rep_dist_percent(st->depth_hist, depth);
		for (int k = 0; k < 7; k++)
			fprintf(f, ";%3.1f%%", depth[k]);
		rep_lat_distribution(st, &ld);
		/* terse keeps its layout: nanosecond buckets fold into the first
		 * microsecond one */
		for (int k = 0; k < 10; k++)
			ntotal += ld.n[k];
		memcpy(lat_u, ld.u, sizeof(lat_u));
		lat_u[0] += ntotal;
		for (int k = 0; k < 10; k++)
			fprintf(f, ";%3.2f%%", lat_u[k]);
		for (int k = 0; k < 12; k++)
			fprintf(f, ";%3.2f%%", ld.m[k]);
		for (size_t k = 0; ver >= 3 && k < r->nr_du; k++) {
			const struct disk_util *du = &r->du[k];

			fprintf(f, ";%s;%" PRIu64 ";%" PRIu64 ";%" PRIu64 ";%" PRIu64 ";%" PRIu64
				   ";%" PRIu64 ";%" PRIu64 ";%3.2f%%",
				du->name, du->read_ios, du->write_ios, du->read_merges,
				du->write_merges, du->read_ticks, du->write_ticks, du->in_queue,
				du->util);
		}
		if (opts_coe(t->o))
			fprintf(f, ";%" PRIu64 ";%d", st->total_err, st->first_error);
		if (t->desc && *t->desc) {
			if (ver == 2)
				fputc('\n', f);
			terse_str(f, t->desc);
		}
		fputc('\n', f);
	}
}

/* ---------------------------------------------------------------- public */

void report_write_global(FILE *f, struct backend *be, unsigned formats,
			 const struct job_opts *global)
{
	struct report r = { .be = be, .global = global };

	if (report_collect(&r)) {
		fprintf(stderr, "iolab: report: out of memory\n");
		return;
	}
	/* fio's order when several formats are asked for: terse, json,
	 * then normal after a blank line */
	if (formats & REPORT_TERSE)
		write_terse(f, &r, formats & REPORT_TERSE_V2 ? 2 : formats & REPORT_TERSE_V4 ? 4
				  : formats & REPORT_TERSE_V5 ? 5 : 3);
	if (formats & (REPORT_JSON | REPORT_JSONPLUS))
		write_json(f, &r, formats & REPORT_JSONPLUS);
	if (formats & REPORT_NORMAL) {
		if (formats & (REPORT_JSON | REPORT_JSONPLUS))
			fputc('\n', f);
		write_normal(f, &r);
	}
	report_free(&r);
	fflush(f);
}

void report_write(FILE *f, struct backend *be, unsigned formats)
{
	report_write_global(f, be, formats, NULL);
}

static void intro_bs(char *buf, size_t len, const struct job_opts *o, int d)
{
	bool i2p = !o->kb_base || o->kb_base == 1024;
	uint64_t lo = o->bs_min[d] ? o->bs_min[d] : o->bs[d];
	uint64_t hi = o->bs_max[d] ? o->bs_max[d] : o->bs[d];
	char a[32], b[32];

	if (o->nr_bssplit[d]) {
		lo = UINT64_MAX;
		hi = 0;
		for (unsigned i = 0; i < o->nr_bssplit[d]; i++) {
			if (o->bssplit[d][i].bs < lo)
				lo = o->bssplit[d][i].bs;
			if (o->bssplit[d][i].bs > hi)
				hi = o->bssplit[d][i].bs;
		}
	}
	report_fmt_num(a, sizeof(a), lo, 4, i2p, RU_BYTE);
	report_fmt_num(b, sizeof(b), hi, 4, i2p, RU_BYTE);
	snprintf(buf, len, "%s-%s", a, b);
}

void report_write_intro(FILE *f, const struct job_list *l)
{
	const struct opt_def *rw = opt_find("rw");
	size_t started = 0;

	for (size_t i = 0; i < l->nr; i++) {
		const struct job_spec *s = &l->jobs[i];
		const struct job_opts *o = &s->opts;
		char rwbuf[64] = "?", bs[3][80];

		started++;
		if (s->clone) {
			if (s->clone == 1)
				fputs("...\n", f);
			continue;
		}
		if (rw)
			opt_print(rw, o, rwbuf, sizeof(rwbuf));
		for (int d = 0; d < DDIR_RWDIR_CNT; d++)
			intro_bs(bs[d], sizeof(bs[d]), o, d);
		fprintf(f, "%s: (g=%u): rw=%s, bs=(R) %s, (W) %s, (T) %s, ioengine=%s, iodepth=%u\n",
			o->name && *o->name ? o->name : s->section, s->group, rwbuf, bs[0], bs[1],
			bs[2], o->ioengine ? o->ioengine : "psync", o->iodepth);
	}
	fprintf(f, "iolab-%s\n", IOLAB_VERSION);
	fprintf(f, "Starting %zu thread%s\n", started, started == 1 ? "" : "s");
	fflush(f);
}
