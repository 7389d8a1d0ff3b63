/* Recordings read back and compared; see compare.h. */
#include "compare.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "job.h"
#include "recread.h"
#include "record.h"


/* The @q quantile (0..1) of histogram @h (@nb buckets, bucket b from
 * @low[b] to @low[b + 1] ns): the middle of the bucket that holds it. */
static double hist_quantile(const double *h, size_t nb, const struct jv *low, double q)
{
	double total = 0, cum = 0;

	for (size_t b = 0; b < nb; b++)
		total += h[b];
	for (size_t b = 0; b < nb && total > 0; b++) {
		cum += h[b];
		if (cum >= q * total) {
			double lo = jv_num(&low->items[b], 0);
			double hi = b + 1 < low->n ? jv_num(&low->items[b + 1], lo) : lo;

			return (lo + hi) / 2;
		}
	}
	return NAN;
}

/* Per job and direction sums over tick lines (no trailer). */
struct tick_sum {
	double dt;                  /* seconds the job ran */
	double ios[3], bw_dt[3], p50[3], p99[3], p999[3];
	double hist_ios[3];         /* I/Os in the ticks that carried a histogram */
	double hist[3][CMP_HIST_NR]; /* their histograms summed */
};

void compare_free(struct cmp_run *r)
{
	jv_free(&r->header);
	free(r->figs);
	memset(r, 0, sizeof(*r));
}

static int add_fig(struct cmp_run *r, const struct cmp_fig *f)
{
	struct cmp_fig *n = realloc(r->figs, (r->nfigs + 1) * sizeof(*n));

	if (!n)
		return -ENOMEM;
	r->figs = n;
	r->figs[r->nfigs++] = *f;
	return 0;
}

/* "name", or "name#2" for the second job of that name, and so on. */
static void job_key(char *buf, size_t len, const char *name, const char *const *seen,
		    size_t nseen)
{
	unsigned rep = 0;

	for (size_t i = 0; i < nseen; i++)
		if (!strcmp(seen[i], name))
			rep++;
	if (rep)
		snprintf(buf, len, "%.140s#%u", name, rep + 1);
	else
		snprintf(buf, len, "%.150s", name);
}

static double pct(const struct jv *clat, const char *p)
{
	return jv_num(jv_get(jv_get(clat, "percentile"), p), NAN);
}

/* Figures of fio's JSON result @fio ("jobs": [...]). */
static int figs_from_fio(struct cmp_run *r, const struct jv *fio)
{
	const struct jv *jobs = jv_get(fio, "jobs");
	const char **seen;

	if (!jobs || jobs->t != JV_ARR)
		return -EINVAL;
	seen = calloc(jobs->n + 1, sizeof(*seen));
	if (!seen)
		return -ENOMEM;
	for (size_t i = 0; i < jobs->n; i++) {
		const struct jv *jb = &jobs->items[i];
		const char *name = jv_str(jv_get(jb, "jobname"));

		if (!name)
			name = "?";
		for (int d = 0; d < 3; d++) {
			const struct jv *dj = jv_get(jb, ddir_name(d));
			const struct jv *clat = jv_get(dj, "clat_ns");
			struct cmp_fig f = { .dir = d };

			if (!dj || jv_num(jv_get(dj, "total_ios"), 0) <= 0)
				continue;
			job_key(f.job, sizeof(f.job), name, seen, i);
			f.ios = jv_num(jv_get(dj, "total_ios"), 0);
			f.iops = jv_num(jv_get(dj, "iops"), NAN);
			f.bw = jv_num(jv_get(dj, "bw_bytes"), NAN);
			f.p50 = pct(clat, "50.000000");
			f.p99 = pct(clat, "99.000000");
			f.p999 = pct(clat, "99.900000");
			if (add_fig(r, &f)) {
				free(seen);
				return -ENOMEM;
			}
		}
		seen[i] = name;
	}
	free(seen);
	return 0;
}

/* Figures summed from tick lines: IOPS = I/Os / seconds run, bandwidth
 * time-weighted, percentiles from the ticks' summed histograms (the
 * middle of the bucket that holds them, 1/8 octave wide), or, when a tick
 * lacks its histogram, the I/O-weighted mean of each interval's (an
 * approximation). A recording's trailer holds fio's own. */
static int figs_from_ticks(struct cmp_run *r, const struct tick_sum *ts, size_t njobs)
{
	const struct jv *jobs = jv_get(&r->header, "jobs");
	const struct jv *low = jv_get(&r->header, "hist_low_ns");
	size_t nb = low && low->t == JV_ARR ? low->n : 0;
	const char **seen = calloc(njobs + 1, sizeof(*seen));

	if (!seen)
		return -ENOMEM;
	for (size_t i = 0; i < njobs; i++) {
		const char *name = jobs && i < jobs->n ? jv_str(jv_get(&jobs->items[i], "name")) : NULL;

		if (!name)
			name = "?";
		for (int d = 0; d < 3; d++) {
			const struct tick_sum *t = &ts[i];
			struct cmp_fig f = { .dir = d };

			if (t->ios[d] <= 0 || t->dt <= 0)
				continue;
			job_key(f.job, sizeof(f.job), name, seen, i);
			f.ios = t->ios[d];
			f.iops = t->ios[d] / t->dt;
			f.bw = t->bw_dt[d] / t->dt;
			f.p50 = t->p50[d] / t->ios[d];
			f.p99 = t->p99[d] / t->ios[d];
			f.p999 = t->p999[d] / t->ios[d];
			/* every tick carried its histogram: true percentiles, to a bucket */
			if (nb && nb <= CMP_HIST_NR && t->hist_ios[d] == t->ios[d]) {
				f.p50 = hist_quantile(t->hist[d], nb, low, 0.50);
				f.p99 = hist_quantile(t->hist[d], nb, low, 0.99);
				f.p999 = hist_quantile(t->hist[d], nb, low, 0.999);
			}
			if (add_fig(r, &f)) {
				free(seen);
				return -ENOMEM;
			}
		}
		seen[i] = name;
	}
	free(seen);
	return 0;
}

static void add_tick(struct tick_sum *ts, size_t njobs, const struct rr_tick *tk)
{
	const struct sample *s = &tk->s;
	double dt = ((double)s->t_end - (double)s->t_start) / 1e6;
	bool any = false;
	struct tick_sum *t;

	if (s->job >= njobs || dt <= 0 || s->in_ramp)
		return;
	t = &ts[s->job];
	for (int d = 0; d < 3; d++) {
		const struct sample_dir *sd = &s->dir[d];
		double ios = (double)sd->ios, hsum = 0;

		if (!sd->ios && sd->iops == 0 && sd->bw == 0)
			continue; /* the recorder leaves such a direction out */
		for (size_t k = 0; k < tk->nhist[d]; k++) {
			uint64_t b = tk->hist[d][2 * k], c = tk->hist[d][2 * k + 1];

			if (b < CMP_HIST_NR && c > 0) {
				t->hist[d][b] += (double)c;
				hsum += (double)c;
			}
		}
		/* a tick's buckets may hold a few I/Os of its neighbour's (the
		 * sampler reads them apart from the counters): they still count */
		if (hsum > 0 || ios == 0)
			t->hist_ios[d] += ios;
		any = any || ios > 0;
		t->ios[d] += ios;
		t->bw_dt[d] += sd->bw * dt;
		t->p50[d] += sd->lat_p50 * ios;
		t->p99[d] += sd->lat_p99 * ios;
		t->p999[d] += sd->lat_p999 * ios;
	}
	if (any || s->runstate == RS_RUNNING)
		t->dt += dt;
}

/* The whole of @f from its start, for a fio JSON result. */
static int load_fio_json(FILE *f, struct cmp_run *out, char *err, size_t errlen)
{
	char *buf = NULL, jerr[256];
	size_t cap = 0, len = 0, n;
	struct jv v;
	int rc;

	rewind(f);
	do {
		if (len + 65536 > cap) {
			char *nb = realloc(buf, cap = cap * 2 + 65536);

			if (!nb) {
				free(buf);
				return -ENOMEM;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0 && len < (256u << 20));
	rc = jv_parse(buf, len, &v, jerr, sizeof(jerr));
	free(buf);
	if (rc) {
		snprintf(err, errlen, "%s:1: not an iolab recording (its first line is not a "
			 "header) nor a fio JSON result (%s)", out->path, jerr);
		return -EINVAL;
	}
	if (!jv_get(&v, "jobs")) {
		jv_free(&v);
		snprintf(err, errlen, "%s:1: JSON, but neither an iolab recording nor a fio "
			 "result (no \"jobs\")", out->path);
		return -EINVAL;
	}
	rc = figs_from_fio(out, &v);
	out->complete = true;
	jv_free(&v);
	return rc;
}

int compare_load(const char *path, struct cmp_run *out, char *err, size_t errlen)
{
	struct rr_tick *tk = NULL;
	struct tick_sum *ts = NULL;
	struct recread *r = NULL;
	size_t njobs = 0;
	enum rr_line k;
	struct jv v;
	int rc;

	memset(out, 0, sizeof(*out));
	snprintf(out->path, sizeof(out->path), "%s", path);
	rc = recread_open(path, &r, err, errlen);
	if (rc == -ENOMSG) {
		/* not a recording but JSON: a fio result, pretty or on one line */
		FILE *f = fopen(path, "re");

		if (!f) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			return -errno;
		}
		rc = load_fio_json(f, out, err, errlen);
		fclose(f);
		if (rc)
			compare_free(out);
		return rc;
	}
	if (rc)
		return rc;
	out->is_recording = true;
	recread_take_header(r, &out->header);
	{
		const struct jv *jobs = jv_get(&out->header, "jobs");

		njobs = jobs && jobs->t == JV_ARR ? jobs->n : 0;
	}
	ts = calloc(njobs + 1, sizeof(*ts));
	tk = malloc(sizeof(*tk));
	if (!ts || !tk) {
		rc = -ENOMEM;
		goto out;
	}
	while ((k = recread_next(r, tk, &v)) != RR_END) {
		if (k == RR_TICK) {
			add_tick(ts, njobs, tk);
		} else if (!strcmp(jv_str(jv_get(&v, "type")), "trailer")) {
			const struct jv *fio = jv_get(&v, "fio");

			if (fio && fio->t == JV_OBJ) {
				rc = figs_from_fio(out, fio);
				out->complete = !rc;
			}
		}
		/* mark, runstate, error and types of later minor versions: not figures */
		jv_free(&v);
		if (rc)
			goto out;
	}
	out->lines = recread_lines(r);
	snprintf(out->note, sizeof(out->note), "%s", recread_note(r));
	if (!out->complete) {
		if (!out->note[0])
			snprintf(out->note, sizeof(out->note),
				 "%s:%u: the record ends without its trailer (the run was killed?)",
				 path, out->lines);
		out->from_ticks = true;
		rc = figs_from_ticks(out, ts, njobs);
	}
out:
	if (rc == -ENOMEM)
		snprintf(err, errlen, "%s: out of memory", path);
	if (rc)
		compare_free(out);
	recread_close(r);
	free(ts);
	free(tk);
	return rc;
}

/* ------------------------------------------------------------- print */

static const char *hs(const struct jv *o, const char *k, char *buf, size_t len)
{
	const struct jv *v = jv_get(o, k);

	if (!v || v->t == JV_NULL)
		return "-";
	if (v->t == JV_STR)
		return v->str;
	if (v->t == JV_NUM) {
		snprintf(buf, len, "%.15g", v->num);
		return buf;
	}
	if (v->t == JV_BOOL)
		return v->b ? "true" : "false";
	return "?";
}

static void diff_field(FILE *f, const char *what, const struct jv *a, const struct jv *b,
		       const char *key, unsigned *n)
{
	char ba[64], bb[64];
	const char *va = hs(a, key, ba, sizeof(ba)), *vb = hs(b, key, bb, sizeof(bb));

	if (!strcmp(va, vb))
		return;
	if (!(*n)++)
		fprintf(f, "\nProvenance that differs:\n");
	fprintf(f, "  %s %s: %s -> %s\n", what, key, va, vb);
}

/* key=value lines of @text that @other lacks: "rate_iops=2000". */
static void diff_options(FILE *f, const char *job, const char *a, const char *b, unsigned *n)
{
	char *ca = strdup(a ? a : ""), *cb = strdup(b ? b : ""), *save = NULL;
	char *la[256], *lb[256];
	size_t na = 0, nb = 0;

	if (!ca || !cb)
		goto out;
	for (char *t = strtok_r(ca, "\n", &save); t && na < 256; t = strtok_r(NULL, "\n", &save))
		la[na++] = t;
	for (char *t = strtok_r(cb, "\n", &save); t && nb < 256; t = strtok_r(NULL, "\n", &save))
		lb[nb++] = t;
	for (size_t i = 0; i < na; i++) {
		size_t kl = strcspn(la[i], "=");
		const char *other = NULL;
		bool same = false;

		for (size_t k = 0; k < nb; k++) {
			if (!strcmp(la[i], lb[k]))
				same = true;
			else if (!strncmp(la[i], lb[k], kl) && (lb[k][kl] == '=' || !lb[k][kl]))
				other = lb[k];
		}
		if (same)
			continue;
		if (!(*n)++)
			fprintf(f, "\nProvenance that differs:\n");
		fprintf(f, "  job %s option: %s -> %s\n", job, la[i], other ? other : "(not set)");
	}
	for (size_t k = 0; k < nb; k++) {
		size_t kl = strcspn(lb[k], "=");
		bool found = false;

		for (size_t i = 0; i < na && !found; i++)
			found = !strncmp(la[i], lb[k], kl) && (la[i][kl] == '=' || !la[i][kl]);
		if (found)
			continue;
		if (!(*n)++)
			fprintf(f, "\nProvenance that differs:\n");
		fprintf(f, "  job %s option: (not set) -> %s\n", job, lb[k]);
	}
out:
	free(ca);
	free(cb);
}

static void describe(FILE *f, const char *label, const struct cmp_run *r)
{
	const struct jv *host = jv_get(&r->header, "host");
	const struct jv *start = jv_get(&r->header, "start");

	fprintf(f, "%s %s", label, r->path);
	if (r->is_recording)
		fprintf(f, " (recording of %s, %s", jv_str(jv_get(host, "hostname")) ?: "?",
			jv_str(jv_get(start, "local")) ?: "?");
	else
		fprintf(f, " (fio JSON result");
	fprintf(f, "%s)\n", r->from_ticks ? "; figures from its ticks, no trailer" : "");
	if (r->note[0])
		fprintf(f, "  note: %s\n", r->note);
}

static const struct cmp_fig *find_fig(const struct cmp_run *r, const char *job, int dir)
{
	for (size_t i = 0; i < r->nfigs; i++)
		if (r->figs[i].dir == dir && !strcmp(r->figs[i].job, job))
			return &r->figs[i];
	return NULL;
}

/* Change from @a to @b in percent; worse when it goes the wrong way by
 * more than @max. */
static bool row(FILE *f, const char *name, double a, double b, double scale, bool higher_better,
		double max)
{
	int prec = scale == 1000 ? 2 : 1;
	double ch;
	bool worse = false;

	fprintf(f, "  %-10s %14.*f %14.*f", name, prec, a / scale, prec, b / scale);
	if (!isfinite(a) || !isfinite(b) || a == 0) {
		fprintf(f, "  %8s\n", a == b ? "0.0%" : "n/a");
		return false;
	}
	ch = (b - a) / a * 100.0;
	if (max >= 0)
		worse = higher_better ? -ch > max : ch > max;
	fprintf(f, "  %+7.1f%%%s\n", ch, worse ? "  WORSE" : "");
	return worse;
}

unsigned compare_print(FILE *f, const struct cmp_run *base, const struct cmp_run *cur,
		       double max_regression)
{
	unsigned worse = 0, ndiff = 0;
	char b1[64], b2[64];

	describe(f, "base:", base);
	describe(f, "new: ", cur);
	for (size_t i = 0; i < base->nfigs; i++) {
		const struct cmp_fig *a = &base->figs[i], *b = find_fig(cur, a->job, a->dir);

		fprintf(f, "\njob %s, %s\n  %-10s %14s %14s  %8s\n", a->job, ddir_name(a->dir), "",
			"base", "new", "change");
		if (!b) {
			fprintf(f, "  not in the new run\n");
			continue;
		}
		worse += row(f, "iops", a->iops, b->iops, 1, true, max_regression);
		worse += row(f, "bw KiB/s", a->bw, b->bw, 1024, true, max_regression);
		worse += row(f, "p50 us", a->p50, b->p50, 1000, false, max_regression);
		worse += row(f, "p99 us", a->p99, b->p99, 1000, false, max_regression);
		worse += row(f, "p99.9 us", a->p999, b->p999, 1000, false, max_regression);
	}
	for (size_t i = 0; i < cur->nfigs; i++)
		if (!find_fig(base, cur->figs[i].job, cur->figs[i].dir))
			fprintf(f, "\n%s %s: only in the new run\n", cur->figs[i].job,
				ddir_name(cur->figs[i].dir));

	if (base->is_recording && cur->is_recording) {
		const struct jv *ha = jv_get(&base->header, "host"), *hb = jv_get(&cur->header, "host");
		const struct jv *ja = jv_get(&base->header, "jobs"), *jb = jv_get(&cur->header, "jobs");
		static const char *const hk[] = { "hostname", "kernel", "machine", "cpu_model",
						  "cpus", "mem_bytes" };
		static const char *const tk[] = { "path", "fstype", "mount_options", "device",
						  "model", "firmware", "serial", "rotational",
						  "scheduler", "nr_requests", "write_cache" };

		diff_field(f, "iolab", &base->header, &cur->header, "iolab", &ndiff);
		for (size_t i = 0; i < sizeof(hk) / sizeof(hk[0]); i++)
			diff_field(f, "host", ha, hb, hk[i], &ndiff);
		for (size_t i = 0; ja && jb && i < ja->n && i < jb->n; i++) {
			const struct jv *xa = &ja->items[i], *xb = &jb->items[i];
			const struct jv *ta = jv_get(xa, "targets"), *tb = jv_get(xb, "targets");
			char what[200];
			const char *label = jv_str(jv_get(xa, "label")) ?: "?";

			diff_options(f, label, jv_str(jv_get(xa, "options")),
				     jv_str(jv_get(xb, "options")), &ndiff);
			for (size_t k = 0; ta && tb && k < ta->n && k < tb->n; k++) {
				snprintf(what, sizeof(what), "job %.100s target %.80s", label,
					 hs(&ta->items[k], "path", b1, sizeof(b1)));
				for (size_t m = 1; m < sizeof(tk) / sizeof(tk[0]); m++)
					diff_field(f, what, &ta->items[k], &tb->items[k], tk[m], &ndiff);
			}
			(void)b2;
		}
		if (!ndiff)
			fprintf(f, "\nProvenance: the same host, storage and job options.\n");
	}
	if (max_regression >= 0)
		fprintf(f, "\n%u figure%s worse by more than %g%%\n", worse, worse == 1 ? "" : "s",
			max_regression);
	return worse;
}
