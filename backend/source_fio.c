/* The fio-server source kind: see source_fio.h. */
#include "backend/source_fio.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend/fioreport.h"
#include "backend/jobfile.h"
#include "backend/report.h"
#include "backend/samples.h"
#include "lib/clock.h"

struct fsjob {
	int host;
	unsigned thread;        /* fio's thread_number on its host, 0: unknown */
	size_t ts_idx;          /* index in its host's ts[] */
	struct fiop_ts *prev;   /* the figures of the last interval's end */
	bool have_ts;           /* prev holds the job's figures */
	uint64_t *ibins;        /* latency bins of the last interval, every
				 * direction (FIOP_PLAT_NR) */
	double iiops, ibw;      /* the last interval's */
	const struct job_opts *opts; /* from the job list, or NULL */
	uint64_t last_ns;       /* when they arrived */
	struct source_status st;
};

/* What the control thread may read of a host: copied under mu on the
 * loop's thread after each of its packets and state changes. */
struct fshost {
	enum fioc_state state;
	bool have_probe;
	struct fiop_probe probe;
	uint64_t last_rx_ms;
	char err[256];
};

struct fsrc {
	struct fshost *hs;        /* [nhosts], under mu */
	struct fioc_run run;
	struct fioc_host *hosts;
	int nhosts;
	char *job;
	unsigned interval_s;
	pthread_t thr;
	bool started, joined;
	int wake[2], stop[2];
	pthread_mutex_t mu;       /* guards jobs, gen, running, hosts' fields */
	struct fsjob *jobs;
	unsigned njobs;
	unsigned per_host;        /* jobs a host runs when a list was given */
	uint64_t gen;
	bool running;
	int lost;
	uint64_t t0_ns;
	struct sample_store *store;
	struct fiop_ts delta;     /* scratch for on_packet (loop thread only) */
};

static struct fsrc *P(struct source *s) { return s->priv; }

static void poke(struct fsrc *f)
{
	ssize_t r = write(f->wake[1], "x", 1);
	(void)r;
}

static struct fsjob *job_add(struct fsrc *f, int host, size_t k, const char *name,
			     unsigned group)
{
	struct fsjob *n = realloc(f->jobs, (f->njobs + 1) * sizeof(*n));

	if (!n)
		return NULL;
	f->jobs = n;
	n = &f->jobs[f->njobs];
	memset(n, 0, sizeof(*n));
	n->prev = calloc(1, sizeof(*n->prev));
	n->ibins = calloc(FIOP_PLAT_NR, sizeof(*n->ibins));
	if (!n->prev || !n->ibins) {
		free(n->prev);
		free(n->ibins);
		return NULL;
	}
	n->host = host;
	n->ts_idx = k;
	n->last_ns = f->t0_ns;
	n->st.id = f->njobs;
	n->st.group = group;
	n->st.nclones = 1;
	n->st.done = -1;
	n->st.eta_s = -1;
	n->st.started_ns = f->t0_ns;
	snprintf(n->st.name, sizeof(n->st.name), "%.127s", name);
	snprintf(n->st.host, sizeof(n->st.host), "%.63s", f->hosts[host].label);
	snprintf(n->st.label, sizeof(n->st.label), "%.80s@%.78s", name,
		 f->hosts[host].label);
	n->st.runstate = RS_RUNNING;
	n->st.gen = 1;
	f->njobs++;
	f->gen++;
	return n;
}

/* The job a TS of host @host is about: by its thread number when the jobs
 * were listed, else by its place in the host's ts[] (added if new). */
static struct fsjob *job_find(struct fsrc *f, int host, size_t k, const struct fiop_ts *ts)
{
	struct fsjob *j;

	if (f->per_host) {
		if (!ts->thread_number || ts->thread_number > f->per_host)
			return NULL;
		j = &f->jobs[(unsigned)host * f->per_host + ts->thread_number - 1];
		j->ts_idx = k;
		if (j->st.runstate < RS_RUNNING) {
			if (j->st.runstate < RS_RAMP)
				j->st.started_ns = clock_now_ns();
			j->st.runstate = RS_RUNNING;
			j->st.gen++;
			f->gen++;
		}
		return j;
	}
	for (unsigned i = 0; i < f->njobs; i++)
		if (f->jobs[i].host == host && f->jobs[i].ts_idx == k)
			return &f->jobs[i];
	j = job_add(f, host, k, ts->name, ts->groupid);
	if (j)
		j->thread = ts->thread_number;
	return j;
}

/* The runstate fio's letter @c says, or @cur for a letter iolab does not
 * know. */
static enum runstate letter_state(char c, enum runstate cur)
{
	switch (c) {
	case 'P': return RS_NOT_CREATED;
	case 'C': return RS_CREATED;
	case 'I': return RS_INITIALIZED;
	case '/': return RS_RAMP;
	case 'V': return RS_VERIFYING;
	case 'F': return RS_FSYNCING;
	case 'f': return RS_FINISHING;
	case 'E': case '_': return RS_EXITED;
	case 'r': case 'w': case 'm': case 'R': case 'W': case 'M':
	case 'D': case 'd': case 'T': case 't': case 'p':
		return RS_RUNNING;
	default: return cur;
	}
}

/* A host's ETA: each of its jobs takes its own runstate from the ETA's
 * letters (by thread number), and its progress: a time_based job's from
 * its own start (this machine's clock), any other from the host's estimate
 * (fio's protocol has no per-job ETA), kept as it was while the host has
 * none (its first seconds, or before the jobs start, when fio's elapsed
 * counts from elsewhere). Not started: 0 done, time left unknown. Under
 * f->mu. */
static void eta_apply(struct fsrc *f, int hi, const struct fiop_eta *e, uint64_t now)
{
	char letters[512];
	int nl = fiop_runstr_expand(e->run_str, letters, sizeof(letters));
	bool known = e->eta_sec < INT32_MAX && e->nr_running + e->nr_ramp > 0;
	double total = (double)(e->elapsed_sec + e->eta_sec);

	for (unsigned i = 0; i < f->njobs; i++) {
		struct fsjob *j = &f->jobs[i];
		struct source_status *st = &j->st;
		enum runstate rs = st->runstate;

		if (j->host != hi || rs == RS_EXITED)
			continue;
		if (j->thread && j->thread <= (unsigned)(nl > 0 ? nl : 0))
			rs = letter_state(letters[j->thread - 1], rs);
		if (rs != st->runstate) {
			if (rs >= RS_RAMP && st->runstate < RS_RAMP)
				st->started_ns = now;
			if (rs == RS_EXITED)
				st->ended_ns = now;
			st->runstate = rs;
			st->gen++;
			f->gen++;
		}
		if (rs == RS_EXITED) {
			st->done = 1;
			st->eta_s = 0;
		} else if (rs < RS_RAMP) {
			st->done = 0;
			st->eta_s = -1;
		} else if (j->opts && j->opts->time_based && j->opts->runtime_us) {
			double len = (double)(j->opts->runtime_us + j->opts->ramp_time_us) * 1e3;
			double ran = (double)(now - st->started_ns);

			st->done = ran >= len ? 1 : ran / len;
			st->eta_s = ran >= len ? 0 : (len - ran) / 1e9;
		} else if (known && total > 0) {
			st->done = (double)e->elapsed_sec / total;
			st->eta_s = (double)e->eta_sec;
		}
	}
}

/* On the loop thread, after each packet. */
static void on_packet(void *arg, struct fioc_host *h, unsigned op)
{
	struct fsrc *f = arg;
	uint64_t now = clock_now_ns();
	const struct fiop_ts *cur;
	struct fsjob *j;
	struct sample smp;
	int hi = (int)(h - f->hosts);

	pthread_mutex_lock(&f->mu);
	f->hs[hi].last_rx_ms = h->last_rx_ms;
	if (f->hs[hi].state != h->state || h->have_probe != f->hs[hi].have_probe) {
		f->hs[hi].state = h->state;
		f->hs[hi].probe = h->probe;
		f->hs[hi].have_probe = h->have_probe;
		snprintf(f->hs[hi].err, sizeof(f->hs[hi].err), "%.255s", h->err);
		f->gen++;   /* a hosts view redraws */
	}
	pthread_mutex_unlock(&f->mu);
	if (op == 0) {
		poke(f);
		return;
	}
	if (op == FIOP_STOP || op == FIOP_QUIT) {
		pthread_mutex_lock(&f->mu);
		for (unsigned i = 0; i < f->njobs; i++)
			if (f->jobs[i].host == hi && f->jobs[i].st.runstate != RS_EXITED) {
				f->jobs[i].st.runstate = RS_EXITED;
				f->jobs[i].st.ended_ns = now;
				f->jobs[i].st.eta_s = 0;
				f->jobs[i].st.done = 1;
				f->jobs[i].st.gen++;
				f->gen++;
			}
		pthread_mutex_unlock(&f->mu);
		poke(f);
		return;
	}
	if (op == FIOP_ETA) {
		pthread_mutex_lock(&f->mu);
		eta_apply(f, hi, &h->eta, now);
		pthread_mutex_unlock(&f->mu);
		poke(f);
		return;
	}
	if (op != FIOP_TS)
		return;
	cur = &h->ts[h->ts_last];
	pthread_mutex_lock(&f->mu);
	j = job_find(f, hi, h->ts_last, cur);
	if (!j) {
		pthread_mutex_unlock(&f->mu);
		return;
	}
	fiop_ts_delta(j->prev, cur, &f->delta);
	memset(&smp, 0, sizeof(smp));
	smp.t_start = (j->last_ns - f->t0_ns) / 1000;
	smp.t_end = (now - f->t0_ns) / 1000;
	smp.job = j->st.id;
	smp.runstate = (uint8_t)j->st.runstate;
	for (int d = 0; d < 3; d++) {
		const struct fiop_ts *dt = &f->delta;
		int lat = cur->lat_percentiles ? FIOP_LAT : FIOP_CLAT;
		double secs = (double)dt->runtime[d] / 1000.0;
		struct sample_dir *sd = &smp.dir[d];
		uint64_t n = 0, sum = 0, maxv = 0;

		if (!dt->total_io_u[d])
			continue;
		if (secs <= 0)
			secs = (double)(smp.t_end - smp.t_start) / 1e6;
		sd->ios = dt->total_io_u[d];
		sd->iops = secs > 0 ? (float)((double)sd->ios / secs) : 0;
		sd->bw = secs > 0 ? (float)((double)dt->io_bytes[d] / secs) : 0;
		for (int i = 0; i < FIOP_PLAT_NR; i++)
			if (dt->plat[lat][d][i]) {
				n += dt->plat[lat][d][i];
				sum += dt->plat[lat][d][i] * fiop_plat_value((unsigned)i);
				maxv = fiop_plat_value((unsigned)i);
			}
		sd->lat_mean = n ? (float)((double)sum / (double)n) : 0;
		sd->lat_p50 = (float)fiop_plat_percentile(dt->plat[lat][d], 50);
		sd->lat_p99 = (float)fiop_plat_percentile(dt->plat[lat][d], 99);
		sd->lat_p999 = (float)fiop_plat_percentile(dt->plat[lat][d], 99.9);
		sd->lat_max = (float)maxv;
	}
	memset(j->ibins, 0, FIOP_PLAT_NR * sizeof(*j->ibins));
	j->iiops = j->ibw = 0;
	for (int d = 0; d < 3; d++) {
		int lat = cur->lat_percentiles ? FIOP_LAT : FIOP_CLAT;

		for (int i = 0; i < FIOP_PLAT_NR; i++)
			j->ibins[i] += f->delta.plat[lat][d][i];
		j->iiops += smp.dir[d].iops;
		j->ibw += smp.dir[d].bw;
	}
	*j->prev = *cur;
	j->have_ts = true;
	j->last_ns = now;
	j->st.io_errors = cur->total_err_count;
	pthread_mutex_unlock(&f->mu);
	samples_append(f->store, &smp);
	poke(f);
}

static void *loop(void *arg)
{
	struct fsrc *f = arg;
	int lost = fioc_run(&f->run);

	pthread_mutex_lock(&f->mu);
	f->lost = lost;
	f->running = false;
	for (int i = 0; i < f->nhosts; i++) {
		f->hs[i].state = f->hosts[i].state;
		snprintf(f->hs[i].err, sizeof(f->hs[i].err), "%.255s", f->hosts[i].err);
	}
	for (unsigned i = 0; i < f->njobs; i++) {
		struct fioc_host *h = &f->hosts[f->jobs[i].host];

		if (h->state == FIOC_LOST && !f->jobs[i].st.error) {
			f->jobs[i].st.error = EHOSTDOWN;
			snprintf(f->jobs[i].st.errmsg, sizeof(f->jobs[i].st.errmsg), "%.255s",
				 h->err);
		}
		if (f->jobs[i].st.runstate != RS_EXITED) {
			f->jobs[i].st.runstate = RS_EXITED;
			f->jobs[i].st.ended_ns = clock_now_ns();
		}
		f->jobs[i].st.gen++;
	}
	f->gen++;
	pthread_mutex_unlock(&f->mu);
	poke(f);
	return NULL;
}

static unsigned fs_njobs(struct source *s)
{
	struct fsrc *f = P(s);
	unsigned n;

	pthread_mutex_lock(&f->mu);
	n = f->njobs;
	pthread_mutex_unlock(&f->mu);
	return n;
}

static int fs_status(struct source *s, unsigned id, struct source_status *out)
{
	struct fsrc *f = P(s);
	int ret = -ENOENT;

	pthread_mutex_lock(&f->mu);
	if (id < f->njobs) {
		*out = f->jobs[id].st;
		ret = 0;
	}
	pthread_mutex_unlock(&f->mu);
	return ret;
}

static uint64_t fs_gen(struct source *s)
{
	struct fsrc *f = P(s);
	uint64_t g;

	pthread_mutex_lock(&f->mu);
	g = f->gen;
	pthread_mutex_unlock(&f->mu);
	return g;
}

static const struct job_opts *fs_opts(struct source *s, unsigned id)
{
	struct fsrc *f = P(s);
	const struct job_opts *o = NULL;

	pthread_mutex_lock(&f->mu);
	if (id < f->njobs)
		o = f->jobs[id].opts;
	pthread_mutex_unlock(&f->mu);
	return o;
}

static void lat_from(struct lat_stat *l, const struct fiop_iostat *s)
{
	l->n = s->samples;
	l->min = s->samples ? s->min : UINT64_MAX;
	l->max = s->max;
	l->sum = (uint64_t)(s->mean * (double)s->samples + 0.5);
	/* fio keeps the sum of squared deviations; lat_stddev wants squares */
	l->sumsq = s->S + (double)s->samples * s->mean * s->mean;
}

/* fio's bins into iolab's finer ones: each bin's count at its value. */
static void hist_from(struct hist *h, const uint64_t *bins, const struct fiop_iostat *s)
{
	hist_reset(h);
	for (unsigned i = 0; i < FIOP_PLAT_NR; i++)
		if (bins[i]) {
			h->bucket[hist_index(fiop_plat_value(i))] += bins[i];
			h->count += bins[i];
		}
	if (h->count) {
		h->min = s->samples ? s->min : fiop_plat_value(0);
		h->max = s->samples ? s->max : fiop_plat_value(FIOP_PLAT_NR - 1);
	}
}

/* A job's cumulative TS as the local kind's figures (what the results
 * screen reads). */
static void stats_from_ts(struct job_stats *o, const struct fiop_ts *t)
{
	stats_init(o);
	for (int d = 0; d < DDIR_RWDIR_CNT && d < 3; d++) {
		struct dir_stats *ds = &o->dir[d];

		ds->ios = t->total_io_u[d];
		ds->bytes = t->io_bytes[d];
		ds->shorts = t->short_io_u[d];
		lat_from(&ds->slat, &t->lat[FIOP_SLAT][d]);
		lat_from(&ds->clat, &t->lat[FIOP_CLAT][d]);
		lat_from(&ds->lat, &t->lat[FIOP_LAT][d]);
		hist_from(&ds->clat_hist, t->plat[FIOP_CLAT][d], &t->lat[FIOP_CLAT][d]);
		hist_from(&ds->lat_hist, t->plat[FIOP_LAT][d], &t->lat[FIOP_LAT][d]);
		hist_from(&ds->slat_hist, t->plat[FIOP_SLAT][d], &t->lat[FIOP_SLAT][d]);
		o->runtime_ns[d] = t->runtime[d] * 1000000ULL;
	}
	o->syncs = t->total_io_u[3];
	lat_from(&o->sync_lat, &t->sync);
	o->total_err = t->total_err_count;
	o->first_error = (int)t->first_error;
	o->usr_cpu_s = (double)t->usr_time / 1e3;  /* fio counts ms */
	o->sys_cpu_s = (double)t->sys_time / 1e3;
	o->ctx_switches = t->ctx;
	o->majf = t->majf;
	o->minf = t->minf;
	for (int i = 0; i < 7; i++) {
		o->depth_hist[i] = t->io_u_map[i];
		o->submit_hist[i] = t->io_u_submit[i];
		o->complete_hist[i] = t->io_u_complete[i];
	}
}

/* -ENODATA until the job's first figures arrive. */
static int fs_stats(struct source *s, unsigned id, struct job_stats *out)
{
	struct fsrc *f = P(s);
	int ret = -ENOENT;

	pthread_mutex_lock(&f->mu);
	if (id < f->njobs) {
		ret = -ENODATA;
		if (f->jobs[id].have_ts) {
			stats_from_ts(out, f->jobs[id].prev);
			ret = 0;
		}
	}
	pthread_mutex_unlock(&f->mu);
	return ret;
}

/* fio's client report; while the hosts run, each job's figures so far
 * (the hosts' own records move on the loop's thread until the reap). */
static int fs_report(struct source *s, FILE *out, unsigned formats, const struct job_opts *g)
{
	struct fsrc *f = P(s);
	unsigned want = (formats & REPORT_NORMAL ? FIOREP_NORMAL : 0) |
			(formats & (REPORT_JSON | REPORT_JSONPLUS) ? FIOREP_JSON : 0);

	(void)g;
	pthread_mutex_lock(&f->mu);
	if (!f->started) {
		pthread_mutex_unlock(&f->mu);
		return 0;
	}
	if (!f->running) {       /* the loop is over: the hosts hold still */
		pthread_mutex_unlock(&f->mu);
		return fioreport_write(out, f->hosts, f->nhosts, want);
	}
	fprintf(out, "Still running: each job's figures so far.\n");
	for (unsigned i = 0; i < f->njobs; i++)
		if (f->jobs[i].have_ts) {
			char who[320];

			snprintf(who, sizeof(who), "<%s> ", f->hosts[f->jobs[i].host].label);
			fioreport_ts(out, who, f->jobs[i].prev);
		}
	pthread_mutex_unlock(&f->mu);
	return 0;
}

/* Adds job @j's latency bins into @bins (the last interval's, or with
 * @whole the run's) and its rates into *@iops, *@bw; false when it has
 * none to give. Under f->mu. */
static bool job_bins(const struct fsjob *j, bool whole, uint64_t *bins, double *iops,
		     double *bw)
{
	const struct fiop_ts *t = j->prev;
	int lat = t->lat_percentiles ? FIOP_LAT : FIOP_CLAT;

	if (!j->have_ts)
		return false;
	if (!whole) {
		if (j->st.runstate >= RS_EXITED)
			return false;
		for (int i = 0; i < FIOP_PLAT_NR; i++)
			bins[i] += j->ibins[i];
		*iops += j->iiops;
		*bw += j->ibw;
		return true;
	}
	for (int d = 0; d < 3; d++) {
		for (int i = 0; i < FIOP_PLAT_NR; i++)
			bins[i] += t->plat[lat][d][i];
		if (t->runtime[d]) {
			*iops += 1000.0 * (double)t->total_io_u[d] / (double)t->runtime[d];
			*bw += 1000.0 * (double)t->io_bytes[d] / (double)t->runtime[d];
		}
	}
	return true;
}

static void row_pcts(struct source_host *r, const uint64_t *bins)
{
	r->p50 = fiop_plat_percentile(bins, 50);
	r->p99 = fiop_plat_percentile(bins, 99);
	r->p999 = fiop_plat_percentile(bins, 99.9);
}

/* Row @r (its kind and name set) from the jobs of host @host (>= 0), or
 * named @name, or every job; @bins has room for 2 x FIOP_PLAT_NR. */
static void row_fill(struct fsrc *f, struct source_host *r, bool whole, uint64_t *bins,
		     int host, const char *name)
{
	double mean = 0;
	int nh = 0;

	memset(bins, 0, FIOP_PLAT_NR * sizeof(*bins));
	r->whole_run = whole;
	for (unsigned i = 0; i < f->njobs; i++) {
		const struct fsjob *j = &f->jobs[i];

		if ((host >= 0 && j->host != host) || (name && strcmp(j->st.name, name)))
			continue;
		r->jobs++;
		r->running += j->st.runstate > RS_NOT_CREATED && j->st.runstate < RS_EXITED;
		r->io_errors += j->st.io_errors;
		job_bins(j, whole, bins, &r->iops, &r->bw);
	}
	row_pcts(r, bins);
	if (host >= 0)
		return;
	/* what averaging each host's own p99 would have said */
	for (int h = 0; h < f->nhosts; h++) {
		uint64_t *hb = bins + FIOP_PLAT_NR;
		double dummy = 0;
		bool any = false;

		memset(hb, 0, FIOP_PLAT_NR * sizeof(*hb));
		for (unsigned i = 0; i < f->njobs; i++)
			if (f->jobs[i].host == h && (!name || !strcmp(f->jobs[i].st.name, name)))
				any |= job_bins(&f->jobs[i], whole, hb, &dummy, &dummy);
		if (any && fiop_plat_percentile(hb, 99)) {
			mean += (double)fiop_plat_percentile(hb, 99);
			nh++;
		}
	}
	r->p99_hosts = nh ? (uint64_t)(mean / nh + 0.5) : 0;
}

static int fs_hosts(struct source *s, struct source_host *out, int max)
{
	struct fsrc *f = P(s);
	uint64_t *bins = malloc(2 * FIOP_PLAT_NR * sizeof(*bins));
	uint64_t now = clock_now_ns() / NS_PER_MS;
	int n = 0;
	bool whole;

	if (!bins)
		return -ENOMEM;
	pthread_mutex_lock(&f->mu);
	whole = f->started && !f->running;
	for (int h = 0; h < f->nhosts; h++, n++) {
		struct source_host *r = &out[n];
		const struct fshost *fh = &f->hs[h];

		if (n >= max)
			continue;
		memset(r, 0, sizeof(*r));
		r->kind = SH_HOST;
		snprintf(r->name, sizeof(r->name), "%.127s", f->hosts[h].label);
		snprintf(r->state, sizeof(r->state), "%s", fioc_state_name(fh->state));
		if (fh->have_probe) {
			snprintf(r->version, sizeof(r->version), "%s", fh->probe.fio_version);
			snprintf(r->system, sizeof(r->system), "%s %s, %u CPUs, host %.40s",
				 fiop_os_name(fh->probe.os), fiop_arch_name(fh->probe.arch),
				 fh->probe.cpus, fh->probe.hostname);
		}
		r->rx_age_s = fh->last_rx_ms && now >= fh->last_rx_ms
				      ? (double)(now - fh->last_rx_ms) / 1e3 : -1;
		snprintf(r->err, sizeof(r->err), "%s", fh->err);
		row_fill(f, r, whole, bins, h, NULL);
	}
	/* the same job on every host: names in the order of the first host's */
	for (unsigned i = 0; i < f->njobs; i++) {
		unsigned k;

		for (k = 0; k < i; k++)
			if (!strcmp(f->jobs[k].st.name, f->jobs[i].st.name))
				break;
		if (k < i)
			continue;
		if (n < max) {
			memset(&out[n], 0, sizeof(out[n]));
			out[n].kind = SH_JOB;
			snprintf(out[n].name, sizeof(out[n].name), "%s", f->jobs[i].st.name);
			row_fill(f, &out[n], whole, bins, -1, f->jobs[i].st.name);
		}
		n++;
	}
	if (n < max) {
		memset(&out[n], 0, sizeof(out[n]));
		out[n].kind = SH_ALL;
		snprintf(out[n].name, sizeof(out[n].name), "All clients");
		row_fill(f, &out[n], whole, bins, -1, NULL);
	}
	n++;
	pthread_mutex_unlock(&f->mu);
	free(bins);
	return n;
}

static struct sample_store *fs_samples(struct source *s) { return P(s)->store; }
static int fs_wake_fd(struct source *s) { return P(s)->wake[0]; }

static void fs_drain_wake(struct source *s)
{
	char buf[64];

	while (read(P(s)->wake[0], buf, sizeof(buf)) > 0)
		;
}

static uint64_t fs_start_ns(struct source *s) { return P(s)->t0_ns; }

static bool fs_running(struct source *s)
{
	struct fsrc *f = P(s);
	bool r;

	pthread_mutex_lock(&f->mu);
	r = f->running;
	pthread_mutex_unlock(&f->mu);
	return r;
}

static int fs_start(struct source *s)
{
	struct fsrc *f = P(s);
	int ret;

	if (f->started)
		return -EALREADY;
	f->t0_ns = clock_now_ns();
	pthread_mutex_lock(&f->mu);
	for (unsigned i = 0; i < f->njobs; i++) {
		f->jobs[i].last_ns = f->t0_ns;
		f->jobs[i].st.started_ns = 0;
		f->jobs[i].st.runstate = RS_NOT_CREATED;
		f->jobs[i].st.done = 0;
		f->jobs[i].st.gen++;
	}
	f->gen++;
	pthread_mutex_unlock(&f->mu);
	f->running = true;
	f->started = true;
	ret = pthread_create(&f->thr, NULL, loop, f);
	if (ret) {
		f->running = false;
		f->started = false;
		return -ret;
	}
	return 0;
}

static int fs_stop(struct source *s, int id)
{
	ssize_t r = write(P(s)->stop[1], "x", 1);

	(void)id;
	return r == 1 ? 0 : -errno;
}

static int fs_reap(struct source *s)
{
	struct fsrc *f = P(s);
	int failed = 0;

	if (!f->started)
		return 0;
	if (!f->joined) {
		pthread_join(f->thr, NULL);
		f->joined = true;
	}
	for (unsigned i = 0; i < f->njobs; i++)
		failed += f->jobs[i].st.error != 0;
	return failed + (f->lost > 0 && !failed ? f->lost : 0);
}

static void fs_free(struct source *s)
{
	struct fsrc *f = P(s);

	if (f->started && !f->joined) {
		fs_stop(s, -1);
		fs_reap(s);
	}
	for (int i = 0; i < f->nhosts; i++)
		fioc_host_free(&f->hosts[i]);
	free(f->hosts);
	for (unsigned i = 0; i < f->njobs; i++) {
		free(f->jobs[i].prev);
		free(f->jobs[i].ibins);
	}
	free(f->hs);
	free(f->jobs);
	free(f->job);
	samples_free(f->store);
	for (int i = 0; i < 2; i++) {
		close(f->wake[i]);
		close(f->stop[i]);
	}
	pthread_mutex_destroy(&f->mu);
	free(f);
}

static const struct source_ops fio_server_ops = {
	.kind = "fio-server",
	.caps = SRC_CAP_START | SRC_CAP_STOP | SRC_CAP_LIVE,
	.njobs = fs_njobs,
	.status = fs_status,
	.gen = fs_gen,
	.samples = fs_samples,
	.wake_fd = fs_wake_fd,
	.drain_wake = fs_drain_wake,
	.opts = fs_opts,
	.stats = fs_stats,
	.hosts = fs_hosts,
	.report = fs_report,
	.start_ns = fs_start_ns,
	.run_start_ns = fs_start_ns,
	.running = fs_running,
	.start = fs_start,
	.stop = fs_stop,
	.reap = fs_reap,
	.free = fs_free,
};

int source_fio_new(struct fioc_host *hosts, int nhosts, const char *job, size_t job_len,
		   const struct job_list *l, unsigned status_interval_s,
		   struct source **out)
{
	struct fsrc *f = calloc(1, sizeof(*f));
	int ret = -ENOMEM;

	if (!f)
		return -ENOMEM;
	f->wake[0] = f->wake[1] = f->stop[0] = f->stop[1] = -1;
	pthread_mutex_init(&f->mu, NULL);
	f->job = malloc(job_len + 1);
	f->store = samples_new();
	if (!f->job || !f->store)
		goto err;
	memcpy(f->job, job, job_len);
	f->job[job_len] = '\0';
	if (pipe2(f->wake, O_CLOEXEC | O_NONBLOCK) || pipe2(f->stop, O_CLOEXEC | O_NONBLOCK)) {
		ret = -errno;
		goto err;
	}
	f->hosts = hosts;
	f->hs = calloc((size_t)(nhosts > 0 ? nhosts : 1), sizeof(*f->hs));
	if (!f->hs)
		goto err;
	if (l && l->nr) {
		for (int hi = 0; hi < nhosts; hi++)
			for (size_t i = 0; i < l->nr; i++) {
				char name[128];
				struct fsjob *j;

				job_spec_label(&l->jobs[i], name, sizeof(name));
				j = job_add(f, hi, 0, name, l->jobs[i].group);
				if (!j)
					goto err;
				j->st.runstate = RS_NOT_CREATED;
				j->thread = (unsigned)i + 1;
				j->st.rw = l->jobs[i].opts.rw;
				j->opts = &l->jobs[i].opts;
				j->st.started_ns = 0;
			}
		f->per_host = (unsigned)l->nr;
	}
	f->hosts = hosts;
	f->nhosts = nhosts;
	f->interval_s = status_interval_s ? status_interval_s : 1;
	f->run = (struct fioc_run){
		.hosts = hosts, .nhosts = nhosts, .job = f->job, .job_len = job_len,
		.stop_fd = f->stop[0], .status_interval_s = f->interval_s,
		.on_packet = on_packet, .arg = f,
	};
	ret = source_new(&fio_server_ops, f, out);
	if (ret)
		goto err;
	return 0;
err:
	f->hosts = NULL;
	f->nhosts = 0;
	{
		struct source tmp = { .ops = &fio_server_ops, .priv = f };
		fs_free(&tmp);
	}
	return ret;
}

struct fioc_host *source_fio_hosts(struct source *s, int *n)
{
	*n = P(s)->nhosts;
	return P(s)->hosts;
}

void source_fio_set_reply_ms(struct source *s, unsigned ms)
{
	P(s)->run.reply_ms = ms;
}
