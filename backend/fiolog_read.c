/* fio's logs read back; see fiolog_read.h. Each job's files are merged
 * window by window (they are in time order, as fio writes them), so memory
 * holds one window whatever the logs' length.
 *
 * An averaged log (log_avg_msec) is not on a grid: fio writes a line when
 * at least log_avg_msec has passed since its last one, so the lines drift
 * (146, 246, ... 1952, 2052 ms) and jitter on a loaded host. Rounding each
 * line to a window put two lines in one window and none in the next, a
 * false dip to zero. Here each line is what it is: the average over the time
 * since the previous line of its direction, and a window takes the
 * time-weighted mean of the lines that cover it. */
#include "fiolog_read.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "job.h"
#include "options.h"

enum { K_BW, K_IOPS, K_CLAT, K_LAT, K_NR };
static const char *const kind_name[K_NR] = { "bw", "iops", "clat", "lat" };
static const char *const all_kinds[] = { "bw", "iops", "clat", "lat", "slat", NULL };

struct lf { /* one log file being read */
	FILE *f;
	char path[4200];
	unsigned line;
	bool have;          /* a line is waiting in the fields below */
	uint64_t ms;
	double val;
	int ddir;
	uint64_t bs;
	uint64_t start;       /* averaged: where the waiting line's span begins */
	uint64_t prev[3];     /* averaged: each direction's last line (ms + 1, 0: none) */
};

struct acc { /* one direction of one window */
	double bw_sum, iops_sum, lat_sum, lat_max, bytes;
	double bw_w, iops_w, lat_w; /* averaged: the ms of the window each covers */
	uint64_t bw_n, iops_n, lat_n, ios;
	uint64_t hist[SAMPLES_HEAT_NR];
	bool hit;
};

/* @path for reading when it is a regular file (a FIFO would block). */
static FILE *open_regular(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	struct stat st;
	FILE *f;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || !(f = fdopen(fd, "r"))) {
		close(fd);
		return NULL;
	}
	return f;
}

bool fiologr_is_log(const char *path)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	size_t n = strlen(base);

	if (n < 8 || strcmp(base + n - 4, ".log"))
		return false;
	for (int k = 0; all_kinds[k]; k++) {
		char pat[16];

		snprintf(pat, sizeof(pat), "_%s.", all_kinds[k]);
		if (strstr(base, pat))
			return true;
	}
	return false;
}

/* "<prefix>_<kind>[.N].log" of @path: the prefix and N (0: none). */
static int split_name(const char *path, char *prefix, size_t plen, unsigned *num)
{
	size_t n = strlen(path);
	const char *end = path + n - 4, *dot, *us = NULL;

	for (int k = 0; all_kinds[k]; k++) {
		char pat[16];
		const char *p = path, *hit = NULL;

		snprintf(pat, sizeof(pat), "_%s.", all_kinds[k]);
		while ((p = strstr(p, pat)) != NULL)
			hit = p++;
		if (hit && (!us || hit > us))
			us = hit;
	}
	if (!us)
		return -EINVAL;
	dot = strchr(us + 1, '.');
	*num = 0;
	if (dot && dot < end) {
		char *e;
		unsigned long v = strtoul(dot + 1, &e, 10);

		if (e != end)
			return -EINVAL;
		*num = (unsigned)v;
	}
	snprintf(prefix, plen, "%.*s", (int)(us - path), path);
	return 0;
}

/* The next line of @l into its fields. 1: a line, 0: the end, -EINVAL
 * with "FILE:LINE: why" in @err. */
static int lf_next(struct lf *l, char *err, size_t errlen)
{
	char buf[512];

	l->have = false;
	while (l->f && fgets(buf, sizeof(buf), l->f)) {
		unsigned long long ms, bs = 0;
		double v;
		int dd, n;

		l->line++;
		if (buf[strspn(buf, " \t\r\n")] == '\0')
			continue;
		n = sscanf(buf, "%llu , %lf , %d , %llu", &ms, &v, &dd, &bs);
		if (n < 3 || dd < 0 || dd > 2 || !isfinite(v) || v < 0) {
			snprintf(err, errlen, "%s:%u: not a fio log line (\"msec, value, ddir, bs, "
				 "offset\" with ddir 0, 1 or 2)", l->path, l->line);
			return -EINVAL;
		}
		l->ms = ms;
		l->val = v;
		l->ddir = dd;
		l->bs = bs;
		l->have = true;
		return 1;
	}
	if (l->f && ferror(l->f)) {
		snprintf(err, errlen, "%s:%u: read error", l->path, l->line + 1);
		return -EIO;
	}
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The window each log's lines are gathered in (ms), and whether the logs
 * were averaged: from job @files' first lines and the last one. */
static int pick_window(struct lf *files, uint64_t *win, bool *avg, char *err, size_t errlen)
{
	uint64_t last[3] = { UINT64_MAX, UINT64_MAX, UINT64_MAX }, maxt = 0;
	uint64_t deltas[K_NR * 200];
	size_t nd = 0;

	*avg = false;
	for (int k = 0; k < K_NR; k++) {
		struct lf *l = &files[k];
		char buf[512];
		int rc;

		if (!l->f)
			continue;
		for (int i = 0; i < 200; i++) {
			rc = lf_next(l, err, errlen);
			if (rc < 0)
				return rc;
			if (!rc)
				break;
			if (l->bs == 0)
				*avg = true;
			if (last[l->ddir] != UINT64_MAX && l->ms > last[l->ddir])
				deltas[nd++] = l->ms - last[l->ddir];
			last[l->ddir] = l->ms;
		}
		/* the run's length from the file's tail */
		if (fseek(l->f, -256, SEEK_END))
			rewind(l->f);
		while (fgets(buf, sizeof(buf), l->f)) {
			unsigned long long ms;

			if (sscanf(buf, "%llu ,", &ms) == 1 && ms > maxt)
				maxt = ms;
		}
		rewind(l->f);
		l->line = 0;
		l->have = false;
		for (int i = 0; i < 3; i++)
			last[i] = UINT64_MAX;
	}
	if (*avg && nd) {
		/* log_avg_msec: the median step (a partial last window is shorter) */
		qsort(deltas, nd, sizeof(deltas[0]), cmp_u64);
		*win = deltas[nd / 2] < 10 ? 10 : deltas[nd / 2];
	}
	else
		*win = maxt < 60000 ? 100 : 1000;
	return 0;
}

/* A per-I/O line (no log_avg_msec): one I/O in its window. */
static void add_line(struct acc *a, int kind, const struct lf *l, int latk)
{
	a->hit = true;
	switch (kind) {
	case K_BW:
		a->bw_sum += l->val;
		a->bw_n++;
		a->bytes += (double)l->bs;
		break;
	case K_IOPS:
		a->iops_sum += l->val;
		a->iops_n++;
		a->ios++;
		if (!a->bw_n)
			a->bytes += (double)l->bs; /* no bw log: the sizes from here */
		break;
	default:
		if (kind != latk)
			break;
		a->lat_sum += l->val;
		a->lat_n++;
		if (l->val > a->lat_max)
			a->lat_max = l->val;
		a->hist[samples_heat_index((uint64_t)l->val)]++;
		break;
	}
}

/* An averaged line's share of a window: @w ms of it. */
static void add_avg(struct acc *a, int kind, const struct lf *l, double w, int latk)
{
	a->hit = true;
	switch (kind) {
	case K_BW:
		a->bw_sum += l->val * w;
		a->bw_w += w;
		break;
	case K_IOPS:
		a->iops_sum += l->val * w;
		a->iops_w += w;
		break;
	default:
		if (kind != latk)
			break;
		a->lat_sum += l->val * w;
		a->lat_w += w;
		a->lat_n++;
		if (l->val > a->lat_max)
			a->lat_max = l->val;
		a->hist[samples_heat_index((uint64_t)l->val)]++;
		break;
	}
}

/* The next averaged line of @l, with the start of the span it averages:
 * its direction's previous line, or one window back for the first one and
 * after a long silence (a direction that was idle has no line to span). */
static int lf_next_avg(struct lf *l, uint64_t win, char *err, size_t errlen)
{
	int rc = lf_next(l, err, errlen);
	uint64_t prev;

	if (rc <= 0)
		return rc;
	prev = l->prev[l->ddir];
	if (prev && prev - 1 <= l->ms && l->ms - (prev - 1) <= 4 * win)
		l->start = prev - 1;
	else
		l->start = l->ms > win ? l->ms - win : 0;
	l->prev[l->ddir] = l->ms + 1;
	return 1;
}

/* The @q quantile of @h: the middle of the bucket holding it. */
static float quantile(const uint64_t *h, uint64_t n, double q)
{
	uint64_t cum = 0;

	for (unsigned b = 0; b < SAMPLES_HEAT_NR && n; b++) {
		cum += h[b];
		if ((double)cum >= q * (double)n) {
			uint64_t lo = samples_heat_low(b), hi = samples_heat_low(b + 1);

			return (float)(hi == UINT64_MAX ? lo : lo + (hi - lo) / 2);
		}
	}
	return 0;
}

static int emit(unsigned job, uint64_t w, uint64_t win, bool avg, struct acc *acc,
		fiologr_fn fn, void *arg, struct fiologr_job *jb, uint64_t *pairs)
{
	struct sample s = { 0 };
	const uint64_t *pp[DDIR_RWDIR_CNT] = { NULL };
	size_t np[DDIR_RWDIR_CNT] = { 0 };
	double secs = (double)win / 1000.0;
	bool any = false;
	int rc;

	s.job = job;
	s.t_start = w * win * 1000;
	s.t_end = (w + 1) * win * 1000;
	s.runstate = RS_RUNNING;
	for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
		struct acc *a = &acc[d];
		struct sample_dir *sd = &s.dir[d];

		if (!a->hit)
			continue;
		any = true;
		jb->rw |= 1u << d;
		if (avg) {
			sd->iops = a->iops_w > 0 ? (float)(a->iops_sum / a->iops_w) : 0;
			sd->bw = a->bw_w > 0 ? (float)(a->bw_sum / a->bw_w * 1024.0) : 0;
			sd->ios = (uint64_t)(sd->iops * secs + 0.5);
		} else {
			uint64_t n = a->ios ? a->ios : a->bw_n ? a->bw_n : a->lat_n;

			sd->ios = n;
			sd->iops = (float)((double)n / secs);
			sd->bw = (float)(a->bytes / secs);
		}
		if (a->lat_n || a->lat_w > 0) {
			sd->lat_mean = (float)(a->lat_w > 0 ? a->lat_sum / a->lat_w
							     : a->lat_sum / (double)a->lat_n);
			sd->lat_max = (float)a->lat_max;
			sd->lat_p50 = quantile(a->hist, a->lat_n, 0.50);
			sd->lat_p99 = quantile(a->hist, a->lat_n, 0.99);
			sd->lat_p999 = quantile(a->hist, a->lat_n, 0.999);
			pp[d] = pairs + d * 2 * SAMPLES_HEAT_NR;
			for (unsigned b = 0; b < SAMPLES_HEAT_NR; b++) {
				if (!a->hist[b])
					continue;
				pairs[d * 2 * SAMPLES_HEAT_NR + 2 * np[d]] = b;
				pairs[d * 2 * SAMPLES_HEAT_NR + 2 * np[d] + 1] = a->hist[b];
				np[d]++;
			}
		}
	}
	memset(acc, 0, sizeof(*acc) * DDIR_RWDIR_CNT);
	if (!any)
		return 0;
	jb->end_us = s.t_end;
	s.iodepth_set = 1;
	rc = fn(arg, &s, pp, np);
	return rc ? -ECANCELED : 0;
}

/* One job's averaged logs: window @cur takes every line whose span
 * (start, ms] overlaps it, weighted by the overlap; a line that runs on
 * into the next window stays waiting for it. */
static int load_job_avg(unsigned job, struct lf *files, uint64_t win, struct acc *acc,
			uint64_t *pairs, fiologr_fn fn, void *arg, struct fiologr_job *jb,
			const int *stop, int latk, char *err, size_t errlen)
{
	uint64_t cur = 0;
	bool first = true;
	int rc = 0;

	for (int k = 0; k < K_NR; k++)
		if (files[k].f && (rc = lf_next_avg(&files[k], win, err, errlen)) < 0)
			return rc;
	for (;;) {
		uint64_t next = UINT64_MAX;

		if (stop && __atomic_load_n(stop, __ATOMIC_RELAXED))
			return -ECANCELED;
		for (int k = 0; k < K_NR; k++) {
			uint64_t w;

			if (!files[k].have)
				continue;
			w = files[k].start / win;
			if (!first && w <= cur)
				w = cur + 1;
			if (w < next)
				next = w;
		}
		if (next == UINT64_MAX)
			return 0;
		cur = next;
		first = false;
		for (int k = 0; k < K_NR; k++) {
			struct lf *l = &files[k];
			uint64_t lo = cur * win, hi = lo + win;

			while (l->have && l->start < hi) {
				uint64_t a = l->start > lo ? l->start : lo;
				uint64_t b = l->ms < hi ? l->ms : hi;

				if (b > a)
					add_avg(&acc[l->ddir], k, l, (double)(b - a), latk);
				else if (l->ms == l->start) /* a zero-length span: a point */
					add_avg(&acc[l->ddir], k, l, 1e-3, latk);
				if (l->ms > hi)
					break;
				if ((rc = lf_next_avg(l, win, err, errlen)) < 0)
					return rc;
			}
		}
		if ((rc = emit(job, cur, win, true, acc, fn, arg, jb, pairs)))
			return rc;
	}
}

/* One job: its files merged window by window. */
static int load_job(unsigned job, struct lf *files, fiologr_fn fn, void *arg,
		    struct fiologr_job *jb, const int *stop, char *err, size_t errlen)
{
	struct acc *acc = calloc(DDIR_RWDIR_CNT, sizeof(*acc));
	uint64_t *pairs = malloc(sizeof(*pairs) * DDIR_RWDIR_CNT * 2 * SAMPLES_HEAT_NR);
	uint64_t win, cur = UINT64_MAX;
	bool avg;
	int latk = files[K_CLAT].f ? K_CLAT : K_LAT, rc;

	if (!acc || !pairs) {
		rc = -ENOMEM;
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	rc = pick_window(files, &win, &avg, err, errlen);
	if (!rc && avg) {
		rc = load_job_avg(job, files, win, acc, pairs, fn, arg, jb, stop, latk, err, errlen);
		goto out;
	}
	for (int k = 0; !rc && k < K_NR; k++)
		if (files[k].f && (rc = lf_next(&files[k], err, errlen)) > 0)
			rc = 0;
	while (!rc) {
		uint64_t next = UINT64_MAX;

		if (stop && __atomic_load_n(stop, __ATOMIC_RELAXED)) {
			rc = -ECANCELED;
			break;
		}
		for (int k = 0; k < K_NR; k++)
			if (files[k].have && files[k].ms / win < next)
				next = files[k].ms / win;
		if (cur != UINT64_MAX && next != cur)
			rc = emit(job, cur, win, avg, acc, fn, arg, jb, pairs);
		if (rc || next == UINT64_MAX)
			break;
		cur = next;
		for (int k = 0; !rc && k < K_NR; k++) {
			while (files[k].have && files[k].ms / win == cur) {
				add_line(&acc[files[k].ddir], k, &files[k], latk);
				rc = lf_next(&files[k], err, errlen);
				if (rc < 0)
					break;
				rc = 0;
			}
		}
	}
out:
	free(acc);
	free(pairs);
	return rc;
}

int fiologr_open(const char *path, struct fiologr **out, char *err, size_t errlen)
{
	struct fiologr *r = calloc(1, sizeof(*r));
	char pat[4200];
	unsigned num;
	glob_t g;

	*out = NULL;
	if (!r) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -ENOMEM;
	}
	{
		FILE *f = open_regular(path);

		if (!f) {
			int e = errno;
			struct stat st;

			snprintf(err, errlen, "%s: %s", path,
				 !stat(path, &st) && !S_ISREG(st.st_mode) ? "not a regular file"
									 : strerror(e));
			free(r);
			return -EINVAL;
		}
		fclose(f);
	}
	if (split_name(path, r->prefix, sizeof(r->prefix), &num)) {
		snprintf(err, errlen, "%s: not a fio log's name (PREFIX_bw.N.log, _iops, _lat, "
			 "_clat)", path);
		free(r);
		return -EINVAL;
	}
	/* the jobs: every number any kind of the prefix has */
	snprintf(pat, sizeof(pat), "%s_*.*.log", r->prefix);
	if (num && glob(pat, GLOB_NOESCAPE, NULL, &g) == 0) {
		for (size_t i = 0; i < g.gl_pathc && r->njobs < FIOLOGR_MAX_JOBS; i++) {
			char p2[4096];
			unsigned n2;
			bool seen = false;

			if (split_name(g.gl_pathv[i], p2, sizeof(p2), &n2) || strcmp(p2, r->prefix) ||
			    !n2)
				continue;
			for (unsigned k = 0; k < r->njobs; k++)
				seen = seen || r->nums[k] == n2;
			if (!seen)
				r->nums[r->njobs++] = n2;
		}
		globfree(&g);
		for (unsigned i = 1; i < r->njobs; i++) /* in number order */
			for (unsigned k = i; k > 0 && r->nums[k - 1] > r->nums[k]; k--) {
				unsigned t = r->nums[k];

				r->nums[k] = r->nums[k - 1];
				r->nums[k - 1] = t;
			}
	}
	if (!r->njobs)
		r->nums[r->njobs++] = num;
	r->jobs = calloc(r->njobs, sizeof(*r->jobs));
	if (!r->jobs) {
		snprintf(err, errlen, "%s: out of memory", path);
		free(r);
		return -ENOMEM;
	}
	for (unsigned j = 0; j < r->njobs; j++) {
		const char *base = strrchr(r->prefix, '/') ? strrchr(r->prefix, '/') + 1 : r->prefix;

		if (r->nums[j])
			snprintf(r->jobs[j].name, sizeof(r->jobs[j].name), "%.100s.%u", base,
				 r->nums[j]);
		else
			snprintf(r->jobs[j].name, sizeof(r->jobs[j].name), "%.100s", base);
	}
	*out = r;
	return 0;
}

void fiologr_close(struct fiologr *r)
{
	if (!r)
		return;
	free(r->jobs);
	free(r);
}

int fiologr_read(struct fiologr *r, fiologr_fn fn, void *arg, const int *stop, char *err,
		 size_t errlen)
{
	int rc = 0;

	for (unsigned j = 0; j < r->njobs && !rc; j++) {
		struct lf files[K_NR];
		bool any = false;

		memset(files, 0, sizeof(files));
		for (int k = 0; k < K_NR; k++) {
			if (r->nums[j])
				snprintf(files[k].path, sizeof(files[k].path), "%s_%s.%u.log",
					 r->prefix, kind_name[k], r->nums[j]);
			else
				snprintf(files[k].path, sizeof(files[k].path), "%s_%s.log", r->prefix,
					 kind_name[k]);
			files[k].f = open_regular(files[k].path);
			any = any || files[k].f;
		}
		if (any)
			rc = load_job(j, files, fn, arg, &r->jobs[j], stop, err, errlen);
		for (int k = 0; k < K_NR; k++)
			if (files[k].f)
				fclose(files[k].f);
	}
	return rc;
}
