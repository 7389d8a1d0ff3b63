/* The sampler thread; see sampler.h.
 *
 * Per tick and job: stats_snapshot() into a preallocated copy, the
 * difference with the previous tick's copy gives the interval's I/Os and
 * bytes per direction, its latency mean (lat sum / lat count) and, from
 * hist_diff of the cumulative lat histograms, its p50/p99/p99.9/max and
 * the histogram itself for the heat map (samples_append_hist; no work on
 * the I/O path: the workers' histograms exist anyway). IOPS
 * and bandwidth divide by the real elapsed time between the two snapshots.
 * depth is the mean number of I/Os in flight over the interval by Little's
 * law (sum of the completed I/Os' latencies / elapsed time), or the
 * instantaneous in-flight count when nothing completed. Counters that went
 * back or restarted (job start, end of ramp_time, restart: stats.start_ns
 * changed) count from zero, and that sample starts at stats.start_ns, so
 * its rates cover the measured time only; samples are otherwise contiguous.
 * in_ramp is set on samples that overlap ramp_time.
 *
 * A job gets a sample while it is between RS_INITIALIZED and RS_FINISHING,
 * on the tick that sees it leave that range, and whenever it completed I/O;
 * not before it starts (stonewalled groups) nor after it ended.
 *
 * Devices: each job's target (filename, else directory, else the working
 * directory; a file not laid out yet resolves through its directory) is
 * looked up once at start with diskstats_find; diskless engines (null) have
 * none. Every tick reads /proc/diskstats once for all distinct devices;
 * each sample carries the iostat -x figures of its job's device over the
 * tick, and the run-level disk_util figures are published to the store.
 *
 * No allocation happens per tick: snapshots (two struct job_stats a job)
 * and the scratch histograms are allocated at start. */
#include "sampler.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../engines/engine.h"
#include "../lib/atomic.h"
#include "../lib/clock.h"
#include "../lib/hist.h"
#include "diskstats.h"
#include "fiologs.h"
#include "samples.h"
#include "stats.h"
#include "steadystate.h"
#include "job.h"
#include "run.h"

#define INTERVAL_MIN_MS 100
#define INTERVAL_DEF_MS 1000

struct sjob {
	struct job_stats *prev, *cur; /* cumulative snapshots */
	uint64_t prev_ns;             /* when prev was taken */
	int prev_rs;
	int dev; /* index in devs, -1: none */
	struct fiolog_job *log;
};

struct sdev {
	struct diskstats start, prev;
	struct iostat io; /* last interval */
	bool ok;          /* start snapshot taken */
};

struct sampler {
	struct run_ctx *rc;
	struct sample_store *store;
	uint64_t interval_ns, next_tick;
	uint64_t ss_next; /* steadystate's next check, UINT64_MAX: none */
	uint64_t t0; /* backend start, ns */
	int wake_fd;

	pthread_t thread;
	pthread_mutex_t lock; /* stop, du */
	pthread_cond_t cond;
	bool stop;

	unsigned njobs;
	struct sjob *jobs;
	struct hist *tmp; /* DDIR_RWDIR_CNT interval histograms */
	bool heat;        /* samples carry histograms (IOLAB_BENCH_NO_HEAT unset) */

	unsigned ndevs;
	struct sdev devs[SAMPLES_MAX_DISKS];
	struct diskstats rd[SAMPLES_MAX_DISKS];
	struct disk_util du[SAMPLES_MAX_DISKS];
	size_t ndu;
};

static bool rs_active(int rs)
{
	return rs >= RS_INITIALIZED && rs <= RS_FINISHING;
}

static bool rs_logging(int rs)
{
	return rs == RS_RUNNING || rs == RS_VERIFYING;
}

/* ---- devices ------------------------------------------------------------- */

/* The path whose device the job works on, written into @buf (@len > 1):
 * its first file under its (first) directory, through the worker's own
 * splitter and join, else that directory, else ".". */
static const char *job_target(const struct job *job, char *buf, size_t len)
{
	const struct job_opts *o = &job->o;
	char *first = NULL, *path = NULL;

	if (o->filename && *o->filename && job_split_names(o->filename, &first, 1) != 1)
		first = NULL;
	path = job_join_path(o->directory, first ? first : ".");
	snprintf(buf, len, "%s", path ? path : ".");
	free(path);
	free(first);
	return buf;
}

static bool job_diskless(const struct job *job)
{
	const struct engine_ops *ops = job->inner_ops ? job->inner_ops : job->ops;

	if (!ops && job->o.ioengine)
		ops = engine_find(job->o.ioengine);
	return ops && (ops->flags & ENG_DISKLESS);
}

static void find_devices(struct sampler *s)
{
	for (unsigned i = 0; i < s->njobs; i++) {
		const struct job *job = run_ctx_job(s->rc, i);
		char path[4096], name[DISK_NAME_LEN];
		unsigned ma, mi, d;

		s->jobs[i].dev = -1;
		if (!job || job_diskless(job))
			continue;
		if (diskstats_find(job_target(job, path, sizeof(path)), name, sizeof(name), &ma,
				   &mi) < 0)
			continue;
		for (d = 0; d < s->ndevs; d++)
			if (s->rd[d].major == ma && s->rd[d].minor == mi)
				break;
		if (d == s->ndevs) {
			if (s->ndevs == SAMPLES_MAX_DISKS)
				continue;
			memset(&s->rd[d], 0, sizeof(s->rd[d]));
			s->rd[d].major = ma;
			s->rd[d].minor = mi;
			s->ndevs++;
		}
		s->jobs[i].dev = (int)d;
	}
	if (s->ndevs && diskstats_read_many(s->rd, s->ndevs) > 0) {
		for (unsigned d = 0; d < s->ndevs; d++) {
			if (!s->rd[d].nfields)
				continue;
			s->devs[d].start = s->rd[d];
			s->devs[d].prev = s->rd[d];
			s->devs[d].ok = true;
		}
	}
}

/* Reads every device once; fills each one's interval figures and the
 * run-level disk_util, published to the store. */
static void sample_devices(struct sampler *s)
{
	struct disk_util du[SAMPLES_MAX_DISKS];
	size_t n = 0;

	if (!s->ndevs)
		return;
	if (diskstats_read_many(s->rd, s->ndevs) <= 0)
		return;
	for (unsigned d = 0; d < s->ndevs; d++) {
		struct sdev *v = &s->devs[d];

		if (!v->ok || !s->rd[d].nfields) {
			memset(&v->io, 0, sizeof(v->io));
			continue;
		}
		diskstats_compute(&v->prev, &s->rd[d], 0, &v->io);
		v->prev = s->rd[d];
		diskstats_util(&v->start, &s->rd[d], 0, &du[n++]);
	}
	pthread_mutex_lock(&s->lock);
	memcpy(s->du, du, n * sizeof(du[0]));
	s->ndu = n;
	pthread_mutex_unlock(&s->lock);
	samples_set_disk_util(s->store, du, n);
}

/* ---- samples ------------------------------------------------------------- */

/* Fills @sd for direction @d; returns the interval's latency histogram
 * (the heat map's data, s->tmp[d] or the snapshot's own), NULL when no I/O
 * completed. */
static const struct hist *fill_dir(struct sampler *s, int d, struct sample_dir *sd,
				   const struct dir_stats *c, const struct dir_stats *p,
				   bool reset, double secs, double *lat_ns_sum)
{
	static const double pcts[4] = { 50.0, 99.0, 99.9, 100.0 };
	uint64_t ios = reset ? c->ios : c->ios - p->ios;
	uint64_t bytes = reset ? c->bytes : c->bytes - p->bytes;
	const struct lat_stat *lc = &c->lat, *lp = &p->lat;
	const struct hist *hc = &c->lat_hist, *hp = &p->lat_hist;
	uint64_t n, sum, v[4];

	/* submission-to-completion latency; completion latency if the engine
	 * path only records that */
	if ((reset ? lc->n : lc->n - lp->n) == 0) {
		lc = &c->clat;
		lp = &p->clat;
		hc = &c->clat_hist;
		hp = &p->clat_hist;
	}
	n = reset ? lc->n : lc->n - lp->n;
	sum = reset ? lc->sum : lc->sum - lp->sum;

	memset(sd, 0, sizeof(*sd));
	sd->ios = ios;
	sd->iops = secs > 0 ? (float)((double)ios / secs) : 0;
	sd->bw = secs > 0 ? (float)((double)bytes / secs) : 0;
	if (!n)
		return NULL;
	sd->lat_mean = (float)((double)sum / (double)n);
	*lat_ns_sum += (double)sum;
	if (!reset) {
		hist_diff(&s->tmp[d], hc, hp);
		hc = &s->tmp[d];
	}
	hist_percentiles(hc, pcts, 4, v);
	sd->lat_p50 = (float)v[0];
	sd->lat_p99 = (float)v[1];
	sd->lat_p999 = (float)v[2];
	sd->lat_max = (float)v[3];
	return hc;
}

static void sample_job(struct sampler *s, unsigned id, uint64_t now)
{
	struct sjob *js = &s->jobs[id];
	const struct job *job = run_ctx_job(s->rc, id);
	const struct job_stats *c = js->cur, *p = js->prev;
	int rs = job_runstate(job);
	uint64_t elapsed = now > js->prev_ns ? now - js->prev_ns : 0, dios = 0;
	bool reset = c->start_ns != p->start_ns;
	double secs = (double)elapsed / 1e9, lat_sum = 0;
	uint64_t from = js->prev_ns;
	const struct hist *lat[DDIR_RWDIR_CNT];
	struct sample smp;
	unsigned qd;

	for (int d = 0; d < DDIR_RWDIR_CNT && !reset; d++)
		if (c->dir[d].ios < p->dir[d].ios || c->dir[d].lat.n < p->dir[d].lat.n)
			reset = true;
	for (int d = 0; d < DDIR_RWDIR_CNT; d++)
		dios += reset ? c->dir[d].ios : c->dir[d].ios - p->dir[d].ios;
	if (!rs_active(rs) && !rs_active(js->prev_rs) && !dios)
		return;

	memset(&smp, 0, sizeof(smp));
	/* no measured phase in the snapshot (start_ns 0): ramp I/O, even when
	 * the runstate read after it has moved on (stopped in ramp) */
	smp.in_ramp = rs == RS_RAMP || js->prev_rs == RS_RAMP || !c->start_ns;
	if (reset && c->start_ns > from && c->start_ns < now) {
		/* counters restarted at start_ns (job start, end of ramp): the
		 * sample covers the measured part only; what the ramp did since
		 * the previous tick was cleared before anyone saw it */
		from = c->start_ns;
		elapsed = now - from;
		secs = (double)elapsed / 1e9;
		smp.in_ramp = rs == RS_RAMP;
	}
	smp.t_start = from > s->t0 ? (from - s->t0) / NS_PER_US : 0;
	smp.t_end = now > s->t0 ? (now - s->t0) / NS_PER_US : 0;
	smp.job = id;
	smp.runstate = (uint8_t)rs;
	for (int d = 0; d < DDIR_RWDIR_CNT; d++)
		lat[d] = fill_dir(s, d, &smp.dir[d], &c->dir[d], &p->dir[d], reset, secs, &lat_sum);
	smp.depth = lat_sum > 0 && elapsed ? (float)(lat_sum / (double)elapsed)
					   : (float)c->inflight;
	qd = ld_relaxed(&job->lat_depth); /* latency_target search, if any */
	if (!qd)
		qd = ld_relaxed(&job->knobs.iodepth);
	smp.iodepth_set = (float)(qd ? qd : job->o.iodepth);
	if (js->dev >= 0 && s->devs[js->dev].ok) {
		const struct iostat *io = &s->devs[js->dev].io;

		smp.dev_util = (float)io->util;
		smp.dev_r_await = (float)io->r_await;
		smp.dev_w_await = (float)io->w_await;
		smp.dev_rps = (float)io->r_s;
		smp.dev_wps = (float)io->w_s;
		smp.dev_rkbs = (float)io->rkb_s;
		smp.dev_wkbs = (float)io->wkb_s;
		smp.dev_aqu = (float)io->aqu_sz;
	}
	samples_append_hist(s->store, &smp, s->heat ? lat : NULL);
}

/* Whether job @job's report windows want a look at @now: one is due, or
 * its measured phase began and has no windows yet. */
static bool rates_due(const struct job *job, uint64_t now)
{
	struct job_rates *r = (struct job_rates *)&job->rates;

	return rates_next_ns(r) <= now || rates_phase(r) != ld_relaxed(&job->stats.start_ns);
}

/* One wake-up at @now: a sample of every job when @sample, and the log
 * and report windows that are due (@final: none, the logs are about to
 * close and an unfinished window counts nothing). */
static void tick(struct sampler *s, uint64_t now, bool sample, bool final)
{
	if (sample)
		sample_devices(s);
	for (unsigned i = 0; i < s->njobs; i++) {
		struct sjob *js = &s->jobs[i];
		const struct job *job = run_ctx_job(s->rc, i);
		bool running = rs_logging(job_runstate(job));
		bool log_due = !final && js->log && fiolog_next_ns(js->log) <= now && running;
		bool rate_due = !final && running && rates_due(job, now);
		struct job_stats *t;

		if (!sample && !log_due && !rate_due)
			continue;
		stats_snapshot(js->cur, &job->stats);
		if (log_due)
			fiolog_tick(js->log, now, js->cur);
		if (!final && running)
			rates_tick((struct job_rates *)&job->rates, now, js->cur);
		if (!sample)
			continue;
		sample_job(s, i, now);
		t = js->prev;
		js->prev = js->cur;
		js->cur = t;
		js->prev_ns = now;
		js->prev_rs = job_runstate(job);
	}
	if (sample && s->wake_fd >= 0) {
		char b = 's';
		ssize_t r = write(s->wake_fd, &b, 1); /* full pipe: the reader is awake anyway */

		(void)r;
	}
}

/* The next tick, or an earlier log window. A job with windowed logs that
 * has not started running yet is polled every LOG_POLL_NS, so its first
 * window starts from its real start (not from our next tick). */
#define LOG_POLL_NS (10 * NS_PER_MS)

static uint64_t next_deadline(struct sampler *s, uint64_t now)
{
	uint64_t next = s->next_tick < s->ss_next ? s->next_tick : s->ss_next;

	for (unsigned i = 0; i < s->njobs; i++) {
		const struct job *job = run_ctx_job(s->rc, i);
		struct fiolog_job *l = s->jobs[i].log;
		int rs = job_runstate(job);
		uint64_t t;

		/* the report's windows: the next one due, or at once when a
		 * measured phase began (the worker kicks us then) and has no
		 * windows yet, so the first one starts at the phase's start */
		if (rs_logging(rs) && ld_relaxed(&job->stats.start_ns))
			t = rates_due(job, 0) ? now : rates_next_ns((struct job_rates *)&job->rates);
		else if (rs_logging(rs))
			t = now + LOG_POLL_NS;
		else
			t = UINT64_MAX;
		if (t < next)
			next = t;
		if (!fiolog_windowed(l))
			continue;
		if (rs_logging(rs))
			t = fiolog_next_ns(l);
		else if (rs < RS_RUNNING)
			t = now + LOG_POLL_NS;
		else
			continue;
		if (t < next)
			next = t;
	}
	return next;
}

static void *sampler_main(void *arg)
{
	struct sampler *s = arg;

	pthread_mutex_lock(&s->lock);
	while (!s->stop) {
		uint64_t deadline = next_deadline(s, clock_now_ns()), now;
		struct timespec ts = {
			.tv_sec = (time_t)(deadline / NS_PER_SEC),
			.tv_nsec = (long)(deadline % NS_PER_SEC),
		};
		bool sample;

		if (clock_now_ns() < deadline) {
			pthread_cond_timedwait(&s->cond, &s->lock, &ts);
			continue; /* re-check stop and the deadline */
		}
		pthread_mutex_unlock(&s->lock);
		now = clock_now_ns();
		sample = now >= s->next_tick;
		tick(s, now, sample, false);
		if (now >= s->ss_next)
			s->ss_next = ss_poll(s->rc, now);
		if (sample) {
			/* next multiple of the interval: no drift, no burst after a stall */
			s->next_tick += ((now - s->next_tick) / s->interval_ns + 1) * s->interval_ns;
		}
		pthread_mutex_lock(&s->lock);
	}
	pthread_mutex_unlock(&s->lock);
	tick(s, clock_now_ns(), true, true);
	return NULL;
}

/* ---- lifetime ------------------------------------------------------------ */

static void free_sampler(struct sampler *s)
{
	if (s->jobs) {
		for (unsigned i = 0; i < s->njobs; i++) {
			free(s->jobs[i].prev);
			free(s->jobs[i].cur);
		}
	}
	free(s->jobs);
	free(s->tmp);
	free(s);
}

static void open_logs(struct sampler *s)
{
	for (unsigned i = 0; i < s->njobs; i++) {
		const struct job *job = run_ctx_job(s->rc, i);
		char err[512];
		int r = fiolog_open(&s->jobs[i].log, &job->o, i + 1, err, sizeof(err));

		if (r < 0) {
			/* the job runs without its logs and fails: its results are
			 * kept, its exit status says the logs are missing */
			char msg[600];

			snprintf(msg, sizeof(msg), "log not written: %s", err);
			run_ctx_fail(s->rc, i, -r, msg);
			continue;
		}
		fiolog_set_epoch_source(s->jobs[i].log, &job->stats.start_ns);
	}
}

struct sampler *sampler_start(struct run_ctx *rc, uint64_t interval_ms)
{
	struct sampler *s = calloc(1, sizeof(*s));
	pthread_condattr_t ca;
	uint64_t now = clock_now_ns();
	int err;

	if (!s)
		return NULL;
	if (!interval_ms)
		interval_ms = INTERVAL_DEF_MS;
	if (interval_ms < INTERVAL_MIN_MS)
		interval_ms = INTERVAL_MIN_MS;
	s->rc = rc;
	s->store = rc->samples;
	s->interval_ns = interval_ms * NS_PER_MS;
	s->wake_fd = rc->wake_fd;
	s->heat = !getenv("IOLAB_BENCH_NO_HEAT");
	s->t0 = run_ctx_start_ns(rc) ? run_ctx_start_ns(rc) : now;
	s->njobs = rc->njobs;
	if (!s->store) {
		err = EINVAL;
		goto err;
	}
	s->jobs = calloc(s->njobs ? s->njobs : 1, sizeof(*s->jobs));
	s->tmp = malloc(DDIR_RWDIR_CNT * sizeof(*s->tmp));
	if (!s->jobs || !s->tmp) {
		err = ENOMEM;
		goto err;
	}
	for (unsigned i = 0; i < s->njobs; i++) {
		struct sjob *js = &s->jobs[i];

		js->prev = malloc(sizeof(*js->prev));
		js->cur = malloc(sizeof(*js->cur));
		if (!js->prev || !js->cur) {
			err = ENOMEM;
			goto err;
		}
		stats_snapshot(js->prev, &run_ctx_job(rc, i)->stats);
		js->prev_ns = now;
		js->prev_rs = job_runstate(run_ctx_job(rc, i));
	}
	find_devices(s);
	open_logs(s);
	/* steadystate: a job that asks polls from its start (LOG_POLL_NS) */
	if (ss_setup(rc)) {
		err = ENOMEM;
		goto err_logs;
	}
	s->ss_next = ss_poll(rc, now);
	/* first tick one interval after the backend started */
	s->next_tick = s->t0 + s->interval_ns;
	while (s->next_tick <= now)
		s->next_tick += s->interval_ns;

	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	err = pthread_cond_init(&s->cond, &ca);
	pthread_condattr_destroy(&ca);
	if (err)
		goto err_logs;
	err = pthread_mutex_init(&s->lock, NULL);
	if (err) {
		pthread_cond_destroy(&s->cond);
		goto err_logs;
	}
	err = pthread_create(&s->thread, NULL, sampler_main, s);
	if (err) {
		pthread_mutex_destroy(&s->lock);
		pthread_cond_destroy(&s->cond);
		goto err_logs;
	}
	pthread_setname_np(s->thread, "iolab-sampler"); /* top -H, tests */
	return s;

err_logs:
	for (unsigned i = 0; i < s->njobs; i++)
		fiolog_close(s->jobs[i].log, now, NULL);
err:
	free_sampler(s);
	errno = err;
	return NULL;
}

void sampler_kick(struct sampler *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->lock);
	pthread_cond_signal(&s->cond);
	pthread_mutex_unlock(&s->lock);
}

void sampler_stop(struct sampler *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->lock);
	s->stop = true;
	pthread_cond_signal(&s->cond);
	pthread_mutex_unlock(&s->lock);
	pthread_join(s->thread, NULL);

	for (unsigned i = 0; i < s->njobs; i++) {
		struct sjob *js = &s->jobs[i];
		char err[512];
		uint64_t end;
		int r;

		if (!js->log)
			continue;
		/* prev holds the final snapshot after the last tick */
		end = js->prev->end_ns ? js->prev->end_ns : clock_now_ns();
		r = fiolog_close_err(js->log, end, js->prev, err, sizeof(err));
		if (r < 0) {
			char msg[600];

			/* a log cut short (a full disk) fails the job */
			snprintf(msg, sizeof(msg), "writing the log: %s", err);
			run_ctx_fail(s->rc, i, -r, msg);
		}
		js->log = NULL;
	}
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->cond);
	free_sampler(s);
}

size_t sampler_disk_util(struct sampler *s, struct disk_util *out, size_t max)
{
	size_t n;

	pthread_mutex_lock(&s->lock);
	n = s->ndu;
	if (out)
		memcpy(out, s->du, (n < max ? n : max) * sizeof(*out));
	pthread_mutex_unlock(&s->lock);
	return n;
}

struct fiolog_job *sampler_fiolog(struct sampler *s, unsigned id)
{
	return s && id < s->njobs ? s->jobs[id].log : NULL;
}
