/* Per-job statistics; see stats.h for the threading contract. */
#include "stats.h"

#include <errno.h>
#include <math.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/atomic.h"

static inline double ld_double(const double *p)
{
	double v;

	__atomic_load(p, &v, __ATOMIC_RELAXED);
	return v;
}

static inline void st_double(double *p, double v)
{
	__atomic_store(p, &v, __ATOMIC_RELAXED);
}

static void lat_init(struct lat_stat *l)
{
	memset(l, 0, sizeof(*l));
	l->min = UINT64_MAX;
}

void stats_init(struct job_stats *s)
{
	memset(s, 0, sizeof(*s));
	for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
		lat_init(&s->dir[d].slat);
		lat_init(&s->dir[d].clat);
		lat_init(&s->dir[d].lat);
	}
	lat_init(&s->sync_lat);
	lat_init(&s->commit_lat);
}

/* Sequence count (see struct lat_stat), without fences (ThreadSanitizer
 * has none): the writer stores the odd count, then each field with release
 * (so a reader that sees a new field sees the odd count too), then the
 * even count with release; the reader loads the count and the fields with
 * acquire (so its second load of the count comes after them). On x86-64
 * release stores and acquire loads are plain moves. */
static inline uint64_t seq_begin(struct lat_stat *l)
{
	uint64_t s = ld_relaxed(&l->seq);

	st_relaxed(&l->seq, s + 1);
	return s + 2;
}

static inline void st_double_rel(double *p, double v)
{
	__atomic_store(p, &v, __ATOMIC_RELEASE);
}

static inline double ld_double_acq(const double *p)
{
	double v;

	__atomic_load(p, &v, __ATOMIC_ACQUIRE);
	return v;
}

static void lat_clear(struct lat_stat *l)
{
	uint64_t s = seq_begin(l);

	st_release(&l->n, 0);
	st_release(&l->min, UINT64_MAX);
	st_release(&l->max, 0);
	st_release(&l->sum, 0);
	st_double_rel(&l->sumsq, 0.0);
	st_release(&l->seq, s);
}

void stats_reset(struct job_stats *s)
{
	for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
		struct dir_stats *ds = &s->dir[d];

		st_relaxed(&ds->ios, 0);
		st_relaxed(&ds->bytes, 0);
		st_relaxed(&ds->errors, 0);
		st_relaxed(&ds->failed, 0);
		st_relaxed(&ds->shorts, 0);
		lat_clear(&ds->slat);
		lat_clear(&ds->clat);
		lat_clear(&ds->lat);
		hist_reset(&ds->clat_hist);
		hist_reset(&ds->lat_hist);
		hist_reset(&ds->slat_hist);
		st_relaxed(&s->runtime_ns[d], 0);
	}
	st_relaxed(&s->start_ns, 0);
	st_relaxed(&s->end_ns, 0);
	st_relaxed(&s->syncs, 0);
	st_relaxed(&s->datasyncs, 0);
	st_relaxed(&s->zone_resets, 0);
	lat_clear(&s->sync_lat);
	lat_clear(&s->commit_lat);
	hist_reset(&s->commit_hist);
	hist_reset(&s->sync_hist);
	st_relaxed(&s->inflight, 0);
	st_relaxed(&s->total_err, 0);
	st_relaxed(&s->first_error, 0);
	st_relaxed(&s->nr_err_off, 0);
	st_double(&s->usr_cpu_s, 0.0);
	st_double(&s->sys_cpu_s, 0.0);
	st_relaxed(&s->ctx_switches, 0);
	st_relaxed(&s->majf, 0);
	st_relaxed(&s->minf, 0);
	for (int i = 0; i < 7; i++) {
		st_relaxed(&s->depth_hist[i], 0);
		st_relaxed(&s->submit_hist[i], 0);
		st_relaxed(&s->complete_hist[i], 0);
	}
}

void lat_add(struct lat_stat *l, uint64_t ns)
{
	double x = (double)ns;
	uint64_t s = seq_begin(l);

	if (ns < ld_relaxed(&l->min))
		st_release(&l->min, ns);
	if (ns > ld_relaxed(&l->max))
		st_release(&l->max, ns);
	st_release(&l->sum, ld_relaxed(&l->sum) + ns);
	st_double_rel(&l->sumsq, ld_double(&l->sumsq) + x * x);
	st_release(&l->n, ld_relaxed(&l->n) + 1);
	st_release(&l->seq, s);
}

/* Reader side: retry until the copy lies between two equal even counts.
 * The writer holds the count odd for a few stores; if it was descheduled
 * there, yield rather than spin. */
static void lat_copy(struct lat_stat *dst, const struct lat_stat *src)
{
	for (unsigned tries = 0;; tries++) {
		uint64_t s = ld_acquire(&src->seq);

		if (!(s & 1)) {
			dst->n = ld_acquire(&src->n);
			dst->min = ld_acquire(&src->min);
			dst->max = ld_acquire(&src->max);
			dst->sum = ld_acquire(&src->sum);
			dst->sumsq = ld_double_acq(&src->sumsq);
			if (ld_relaxed(&src->seq) == s)
				break;
		}
		if (tries >= 64)
			sched_yield();
	}
	dst->seq = 0;
}

void stats_snapshot(struct job_stats *dst, const struct job_stats *src)
{
	for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
		const struct dir_stats *s = &src->dir[d];
		struct dir_stats *o = &dst->dir[d];

		o->ios = ld_relaxed(&s->ios);
		o->bytes = ld_relaxed(&s->bytes);
		o->errors = ld_relaxed(&s->errors);
		o->failed = ld_relaxed(&s->failed);
		o->shorts = ld_relaxed(&s->shorts);
		lat_copy(&o->slat, &s->slat);
		lat_copy(&o->clat, &s->clat);
		lat_copy(&o->lat, &s->lat);
		hist_copy(&o->clat_hist, &s->clat_hist);
		hist_copy(&o->lat_hist, &s->lat_hist);
		hist_copy(&o->slat_hist, &s->slat_hist);
		dst->runtime_ns[d] = ld_relaxed(&src->runtime_ns[d]);
	}
	dst->start_ns = ld_relaxed(&src->start_ns);
	dst->end_ns = ld_relaxed(&src->end_ns);
	dst->syncs = ld_relaxed(&src->syncs);
	dst->datasyncs = ld_relaxed(&src->datasyncs);
	dst->zone_resets = ld_relaxed(&src->zone_resets);
	lat_copy(&dst->sync_lat, &src->sync_lat);
	lat_copy(&dst->commit_lat, &src->commit_lat);
	hist_copy(&dst->commit_hist, &src->commit_hist);
	hist_copy(&dst->sync_hist, &src->sync_hist);
	dst->inflight = ld_relaxed(&src->inflight);
	dst->total_err = ld_relaxed(&src->total_err);
	dst->first_error = ld_relaxed(&src->first_error);
	dst->nr_err_off = ld_acquire(&src->nr_err_off);
	if (dst->nr_err_off > STATS_ERR_OFFS)
		dst->nr_err_off = STATS_ERR_OFFS;
	for (uint64_t i = 0; i < dst->nr_err_off; i++)
		dst->err_off[i] = ld_relaxed(&src->err_off[i]);
	dst->usr_cpu_s = ld_double(&src->usr_cpu_s);
	dst->sys_cpu_s = ld_double(&src->sys_cpu_s);
	dst->ctx_switches = ld_relaxed(&src->ctx_switches);
	dst->majf = ld_relaxed(&src->majf);
	dst->minf = ld_relaxed(&src->minf);
	for (int i = 0; i < 7; i++) {
		dst->depth_hist[i] = ld_relaxed(&src->depth_hist[i]);
		dst->submit_hist[i] = ld_relaxed(&src->submit_hist[i]);
		dst->complete_hist[i] = ld_relaxed(&src->complete_hist[i]);
	}
}

static void lat_merge(struct lat_stat *dst, const struct lat_stat *src)
{
	if (!src->n)
		return;
	if (src->min < dst->min)
		dst->min = src->min;
	if (src->max > dst->max)
		dst->max = src->max;
	dst->n += src->n;
	dst->sum += src->sum;
	dst->sumsq += src->sumsq;
}

void dir_stats_merge(struct dir_stats *o, const struct dir_stats *s)
{
	o->ios += s->ios;
	o->bytes += s->bytes;
	o->errors += s->errors;
	o->failed += s->failed;
	o->shorts += s->shorts;
	lat_merge(&o->slat, &s->slat);
	lat_merge(&o->clat, &s->clat);
	lat_merge(&o->lat, &s->lat);
	hist_merge(&o->clat_hist, &s->clat_hist);
	hist_merge(&o->lat_hist, &s->lat_hist);
	hist_merge(&o->slat_hist, &s->slat_hist);
}

void dir_stats_clear(struct dir_stats *ds)
{
	memset(ds, 0, sizeof(*ds));
	lat_init(&ds->slat);
	lat_init(&ds->clat);
	lat_init(&ds->lat);
}

void stats_merge(struct job_stats *dst, const struct job_stats *src)
{
	for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
		dir_stats_merge(&dst->dir[d], &src->dir[d]);
		/* group runtime: the longest member, as fio reports it */
		if (src->runtime_ns[d] > dst->runtime_ns[d])
			dst->runtime_ns[d] = src->runtime_ns[d];
	}
	if (src->start_ns && (!dst->start_ns || src->start_ns < dst->start_ns))
		dst->start_ns = src->start_ns;
	if (src->end_ns > dst->end_ns)
		dst->end_ns = src->end_ns;
	dst->syncs += src->syncs;
	dst->datasyncs += src->datasyncs;
	dst->zone_resets += src->zone_resets;
	lat_merge(&dst->sync_lat, &src->sync_lat);
	lat_merge(&dst->commit_lat, &src->commit_lat);
	hist_merge(&dst->commit_hist, &src->commit_hist);
	hist_merge(&dst->sync_hist, &src->sync_hist);
	dst->inflight += src->inflight;
	dst->total_err += src->total_err;
	if (!dst->first_error)
		dst->first_error = src->first_error;
	for (uint64_t i = 0; i < src->nr_err_off && dst->nr_err_off < STATS_ERR_OFFS; i++) {
		bool seen = false;

		for (uint64_t k = 0; k < dst->nr_err_off; k++)
			seen |= dst->err_off[k] == src->err_off[i];
		if (!seen)
			dst->err_off[dst->nr_err_off++] = src->err_off[i];
	}
	dst->usr_cpu_s += src->usr_cpu_s;
	dst->sys_cpu_s += src->sys_cpu_s;
	dst->ctx_switches += src->ctx_switches;
	dst->majf += src->majf;
	dst->minf += src->minf;
	for (int i = 0; i < 7; i++) {
		dst->depth_hist[i] += src->depth_hist[i];
		dst->submit_hist[i] += src->submit_hist[i];
		dst->complete_hist[i] += src->complete_hist[i];
	}
}

/* ---- per priority --------------------------------------------------- */

struct prio_stats *prio_stats_new(const unsigned nr[2], const uint32_t prios[2][PRIO_STATS_MAX])
{
	struct prio_stats *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	for (int d = 0; d < 2; d++) {
		if (!nr[d])
			continue;
		p->e[d] = calloc(nr[d], sizeof(*p->e[d]));
		if (!p->e[d]) {
			prio_stats_free(p);
			return NULL;
		}
		p->nr[d] = nr[d];
		for (unsigned i = 0; i < nr[d]; i++) {
			p->e[d][i].ioprio = prios[d][i];
			lat_init(&p->e[d][i].lat);
		}
	}
	return p;
}

void prio_stats_free(struct prio_stats *p)
{
	if (!p)
		return;
	free(p->e[0]);
	free(p->e[1]);
	free(p);
}

void prio_stats_add(struct prio_stats *p, int d, unsigned idx, uint64_t ns)
{
	if (d < 0 || d > 1 || idx >= p->nr[d])
		return;
	lat_add(&p->e[d][idx].lat, ns);
	hist_add(&p->e[d][idx].hist, ns);
}

void prio_stats_reset(struct prio_stats *p)
{
	if (!p)
		return;
	for (int d = 0; d < 2; d++)
		for (unsigned i = 0; i < p->nr[d]; i++) {
			lat_clear(&p->e[d][i].lat);
			hist_reset(&p->e[d][i].hist);
		}
}

struct prio_stats *prio_stats_dup(const struct prio_stats *src)
{
	static const unsigned none[2];
	struct prio_stats *p;
	uint32_t prios[2][PRIO_STATS_MAX] = { { 0 } };

	if (!src)
		return prio_stats_new(none, prios);
	for (int d = 0; d < 2; d++)
		for (unsigned i = 0; i < src->nr[d] && i < PRIO_STATS_MAX; i++)
			prios[d][i] = src->e[d][i].ioprio;
	p = prio_stats_new(src->nr, prios);
	if (!p)
		return NULL;
	for (int d = 0; d < 2; d++)
		for (unsigned i = 0; i < p->nr[d]; i++) {
			lat_copy(&p->e[d][i].lat, &src->e[d][i].lat);
			hist_copy(&p->e[d][i].hist, &src->e[d][i].hist);
		}
	return p;
}

int prio_stats_merge_one(struct prio_stats *dst, int d, uint32_t ioprio,
			 const struct lat_stat *l, const struct hist *h)
{
	unsigned i = 0;

	if (d < 0 || d > 1)
		return 0;
	while (i < dst->nr[d] && dst->e[d][i].ioprio != ioprio)
		i++;
	if (i == dst->nr[d]) {
		struct prio_stat *e = realloc(dst->e[d], (i + 1) * sizeof(*e));

		if (!e)
			return -ENOMEM;
		memset(&e[i], 0, sizeof(e[i]));
		e[i].ioprio = ioprio;
		lat_init(&e[i].lat);
		dst->e[d] = e;
		dst->nr[d]++;
	}
	lat_merge(&dst->e[d][i].lat, l);
	hist_merge(&dst->e[d][i].hist, h);
	return 0;
}

unsigned prio_stats_used(const struct prio_stats *p, int d)
{
	unsigned n = 0;

	if (!p || d < 0 || d > 1)
		return 0;
	for (unsigned i = 0; i < p->nr[d]; i++)
		n += p->e[d][i].lat.n > 0;
	return n;
}

double lat_mean(const struct lat_stat *l)
{
	return l->n ? (double)l->sum / (double)l->n : 0.0;
}

double lat_stddev(const struct lat_stat *l)
{
	double mean, var;

	if (l->n < 2)
		return 0.0;
	mean = (double)l->sum / (double)l->n;
	/* sample variance, as fio reports */
	var = (l->sumsq - (double)l->n * mean * mean) / (double)(l->n - 1);
	return var > 0.0 ? sqrt(var) : 0.0;
}
