/* The replay source kind: see source_replay.h. */
#include "source_replay.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/atomic.h"
#include "fiolog_read.h"
#include "jobfile.h"
#include "recread.h"
#include "report.h"
#include "samples.h"

#define POKE_LINES 4096 /* lines between two wakes of the front end */
#define REPLAY_MAX_US (1000ull * 86400 * 1000000) /* 1000 days */

struct rjob {
	struct source_status st;
	struct job_list opts; /* its options (one job), or empty when unreadable */
};

struct rsrc {
	struct recread *rr;
	struct fiologr *fl;     /* fio's logs instead of a recording, or NULL */
	char path[512];         /* for messages */
	struct sample_store *store;
	struct rjob *jobs;
	unsigned njobs;
	char host[64], when[64];
	char *jobtext;
	int wake[2];
	pthread_t thr;
	bool thr_started;
	int stop;               /* atomic: the loader stops at its next line */
	pthread_mutex_t mu;     /* guards jobs[].st, gen, loaded, note, trailer */
	uint64_t gen;
	bool loaded;
	double progress;        /* 0..1 of the file read */
	uint64_t fl_samples;    /* fio logs: windows read */
	uint64_t last_t;        /* newest time seen (us) */
	char note[1024];
	struct jv trailer;      /* the trailer line, JV_NULL when none */
	char *fio_text;         /* its "fio" member as written, or NULL */
	struct rr_tick tick;    /* the loader's scratch */
};

static struct rsrc *P(struct source *s) { return s->priv; }

static void poke(struct rsrc *r)
{
	ssize_t n = write(r->wake[1], "x", 1);
	(void)n;
}

static enum runstate rs_parse(const char *name)
{
	for (int i = 0; name && i < RS_NR; i++)
		if (!strcmp(name, runstate_name((enum runstate)i)))
			return (enum runstate)i;
	return RS_NR;
}

/* Job @j moves to @rs at @t (us); caller holds mu. */
static void job_move(struct rsrc *r, struct rjob *j, enum runstate rs, uint64_t t)
{
	if (rs >= RS_NR || rs == j->st.runstate)
		return;
	if (t > REPLAY_MAX_US)
		t = REPLAY_MAX_US; /* a time no run reaches: kept from overflowing */
	if (rs > RS_CREATED && !j->st.started_ns)
		j->st.started_ns = REPLAY_BASE_NS + t * 1000;
	if (rs >= RS_EXITED && !j->st.ended_ns)
		j->st.ended_ns = REPLAY_BASE_NS + t * 1000;
	j->st.runstate = rs;
	j->st.done = rs >= RS_EXITED ? 1.0 : -1;
	j->st.eta_s = rs >= RS_EXITED ? 0 : -1;
	j->st.gen++;
	r->gen++;
}

static struct rjob *job_of(struct rsrc *r, const struct jv *line)
{
	double id = jv_num(jv_get(line, "job"), -1);

	return id >= 0 && id < (double)r->njobs ? &r->jobs[(unsigned)id] : NULL;
}

static void on_line(struct rsrc *r, const struct jv *v)
{
	const char *type = jv_str(jv_get(v, "type"));
	uint64_t t = (uint64_t)jv_num(jv_get(v, "t"), 0);
	struct rjob *j = job_of(r, v);

	if (!strcmp(type, "mark")) {
		struct sample_mark m = { .t = t };

		m.job = (int)jv_num(jv_get(v, "job"), -1);
		m.njobs = (int)jv_num(jv_get(v, "njobs"), 1);
		snprintf(m.text, sizeof(m.text), "%s", jv_str(jv_get(v, "text")) ? : "");
		samples_mark(r->store, &m);
		return;
	}
	pthread_mutex_lock(&r->mu);
	if (t > r->last_t && t < UINT64_MAX / 2000)
		r->last_t = t;
	if (!strcmp(type, "runstate") && j) {
		job_move(r, j, rs_parse(jv_str(jv_get(v, "to"))), t);
	} else if (!strcmp(type, "error") && j && !j->st.error) {
		j->st.error = (int)jv_num(jv_get(v, "errno"), EIO);
		if (j->st.error <= 0)
			j->st.error = EIO;
		snprintf(j->st.errmsg, sizeof(j->st.errmsg), "%s",
			 jv_str(jv_get(v, "msg")) ? : strerror(j->st.error));
		j->st.gen++;
		r->gen++;
	} else if (!strcmp(type, "trailer")) {
		const char *raw, *line;
		size_t rl, ll;

		line = recread_last_line(r->rr, &ll);
		free(r->fio_text);
		r->fio_text = NULL;
		if (!recread_raw_member(line, ll, "fio", &raw, &rl) && !(rl == 4 && !memcmp(raw, "null", 4)))
			r->fio_text = strndup(raw, rl);
		jv_free(&r->trailer);
		r->trailer = *v;
		memset((void *)v, 0, sizeof(*v)); /* taken over */
	}
	pthread_mutex_unlock(&r->mu);
}

static void on_tick(struct rsrc *r, struct rr_tick *t)
{
	const uint64_t *pairs[DDIR_RWDIR_CNT];
	struct rjob *j;

	if (t->s.job >= r->njobs)
		return; /* a job the header does not list */
	for (int d = 0; d < DDIR_RWDIR_CNT; d++)
		pairs[d] = t->hist[d];
	samples_append_heat(r->store, &t->s, pairs, t->nhist);
	j = &r->jobs[t->s.job];
	/* a state shorter than the recorder's poll has no runstate line */
	if (t->s.runstate > j->st.runstate && t->s.runstate < RS_EXITED) {
		pthread_mutex_lock(&r->mu);
		job_move(r, j, (enum runstate)t->s.runstate, t->s.t_start);
		pthread_mutex_unlock(&r->mu);
	}
	if (t->s.t_end > r->last_t && t->s.t_end < UINT64_MAX / 2000)
		r->last_t = t->s.t_end;
}

static void *loader(void *arg)
{
	struct rsrc *r = arg;
	unsigned n = 0;
	enum rr_line k;
	struct jv v;

	while (!ld_relaxed(&r->stop) && (k = recread_next(r->rr, &r->tick, &v)) != RR_END) {
		if (k == RR_TICK)
			on_tick(r, &r->tick);
		else
			on_line(r, &v);
		jv_free(&v);
		if (++n % POKE_LINES == 0) {
			pthread_mutex_lock(&r->mu);
			r->progress = (double)recread_offset(r->rr) / (double)recread_size(r->rr);
			pthread_mutex_unlock(&r->mu);
			poke(r);
		}
	}
	pthread_mutex_lock(&r->mu);
	snprintf(r->note, sizeof(r->note), "%s", recread_note(r->rr));
	if (!r->note[0] && r->trailer.t == JV_NULL && !ld_relaxed(&r->stop))
		snprintf(r->note, sizeof(r->note), "%.512s:%u: the record ends without its trailer "
			 "(the run was killed?)", r->path, recread_lines(r->rr));
	/* cut short: what still ran at the last line ends there */
	for (unsigned i = 0; i < r->njobs; i++) {
		struct rjob *j = &r->jobs[i];

		if (j->st.runstate > RS_NOT_CREATED && j->st.runstate < RS_EXITED) {
			snprintf(j->st.note, sizeof(j->st.note), "the recording stops here");
			job_move(r, j, RS_EXITED, r->last_t);
		}
	}
	r->progress = 1;
	r->loaded = true;
	r->gen++;
	pthread_mutex_unlock(&r->mu);
	poke(r);
	return NULL;
}

/* fio's logs: each window a sample; a job runs from its first to its last. */
static int on_fiolog(void *arg, const struct sample *smp, const uint64_t *const pairs[DDIR_RWDIR_CNT],
		     const size_t npairs[DDIR_RWDIR_CNT])
{
	struct rsrc *r = arg;
	struct rjob *j = &r->jobs[smp->job];

	samples_append_heat(r->store, smp, pairs, npairs);
	if (j->st.runstate != RS_RUNNING) {
		pthread_mutex_lock(&r->mu);
		job_move(r, j, RS_RUNNING, smp->t_start);
		pthread_mutex_unlock(&r->mu);
	}
	if (smp->t_end > r->last_t)
		r->last_t = smp->t_end;
	if (++r->fl_samples % POKE_LINES == 0)
		poke(r);
	return ld_relaxed(&r->stop);
}

static void *fiolog_loader(void *arg)
{
	struct rsrc *r = arg;
	char err[1024] = "";
	int rc = fiologr_read(r->fl, on_fiolog, r, &r->stop, err, sizeof(err));

	pthread_mutex_lock(&r->mu);
	if (rc && rc != -ECANCELED)
		snprintf(r->note, sizeof(r->note), "%.990s; what came before is shown", err);
	for (unsigned i = 0; i < r->njobs; i++) {
		struct rjob *j = &r->jobs[i];

		if (j->st.runstate == RS_RUNNING)
			job_move(r, j, RS_EXITED, r->fl->jobs[i].end_us);
	}
	r->progress = 1;
	r->loaded = true;
	r->gen++;
	pthread_mutex_unlock(&r->mu);
	poke(r);
	return NULL;
}

/* ------------------------------------------------------------- reads */

static unsigned rp_njobs(struct source *s) { return P(s)->njobs; }

static int rp_status(struct source *s, unsigned id, struct source_status *out)
{
	struct rsrc *r = P(s);

	pthread_mutex_lock(&r->mu);
	*out = r->jobs[id].st;
	pthread_mutex_unlock(&r->mu);
	return 0;
}

static uint64_t rp_gen(struct source *s)
{
	struct rsrc *r = P(s);
	uint64_t g;

	pthread_mutex_lock(&r->mu);
	g = r->gen;
	pthread_mutex_unlock(&r->mu);
	return g;
}

static struct sample_store *rp_samples(struct source *s) { return P(s)->store; }
static int rp_wake_fd(struct source *s) { return P(s)->wake[0]; }
static uint64_t rp_start_ns(struct source *s) { (void)s; return REPLAY_BASE_NS; }

static void rp_drain_wake(struct source *s)
{
	char buf[64];

	while (read(P(s)->wake[0], buf, sizeof(buf)) > 0)
		;
}

static const struct job_opts *rp_opts(struct source *s, unsigned id)
{
	struct rjob *j = &P(s)->jobs[id];

	return j->opts.nr ? &j->opts.jobs[0].opts : NULL;
}

/* The fio result's entry for job @id: by place when the result lists
 * every job, else the first of its name. Caller holds mu. */
static const struct jv *fio_job(struct rsrc *r, unsigned id)
{
	const struct jv *jobs = jv_get(jv_get(&r->trailer, "fio"), "jobs");

	if (!jobs || jobs->t != JV_ARR)
		return NULL;
	if (jobs->n == r->njobs)
		return &jobs->items[id];
	for (size_t i = 0; i < jobs->n; i++) {
		const char *n = jv_str(jv_get(&jobs->items[i], "jobname"));

		if (n && !strcmp(n, r->jobs[id].st.name))
			return &jobs->items[i];
	}
	return NULL;
}

static void lat_from(struct lat_stat *l, const struct jv *o)
{
	double n = jv_num(jv_get(o, "N"), 0), mean = jv_num(jv_get(o, "mean"), 0);
	double sd = jv_num(jv_get(o, "stddev"), 0);

	if (!o || n <= 0)
		return;
	l->n = (uint64_t)n;
	l->min = (uint64_t)jv_num(jv_get(o, "min"), 0);
	l->max = (uint64_t)jv_num(jv_get(o, "max"), 0);
	l->sum = (uint64_t)(mean * n + 0.5);
	l->sumsq = sd * sd * (n > 1 ? n - 1 : 1) + n * mean * mean;
}

/* Stats from the trailer's fio result (totals, latencies) and the ticks'
 * summed histograms (percentiles, to a heat bucket). */
static int rp_stats(struct source *s, unsigned id, struct job_stats *out)
{
	struct rsrc *r = P(s);
	const struct jv *fj;
	uint64_t heat[SAMPLES_HEAT_NR];

	stats_init(out);
	pthread_mutex_lock(&r->mu);
	fj = fio_job(r, id);
	if (!fj) {
		pthread_mutex_unlock(&r->mu);
		return -ENOTSUP;
	}
	for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
		const struct jv *dj = jv_get(fj, ddir_name(d));
		struct dir_stats *ds = &out->dir[d];

		ds->ios = (uint64_t)jv_num(jv_get(dj, "total_ios"), 0);
		ds->bytes = (uint64_t)jv_num(jv_get(dj, "io_bytes"), 0);
		ds->shorts = (uint64_t)jv_num(jv_get(dj, "short_ios"), 0);
		out->runtime_ns[d] = (uint64_t)(jv_num(jv_get(dj, "runtime"), 0) * 1e6);
		lat_from(&ds->slat, jv_get(dj, "slat_ns"));
		lat_from(&ds->clat, jv_get(dj, "clat_ns"));
		lat_from(&ds->lat, jv_get(dj, "lat_ns"));
	}
	out->total_err = (uint64_t)jv_num(jv_get(fj, "total_err"), 0);
	out->usr_cpu_s = jv_num(jv_get(fj, "usr_cpu"), 0);
	out->sys_cpu_s = jv_num(jv_get(fj, "sys_cpu"), 0);
	out->start_ns = r->jobs[id].st.started_ns;
	out->end_ns = r->jobs[id].st.ended_ns;
	pthread_mutex_unlock(&r->mu);
	for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
		struct hist *h = &out->dir[d].clat_hist;

		memset(heat, 0, sizeof(heat));
		samples_heat(r->store, id, 0, UINT64_MAX, 1u << d, heat);
		for (unsigned b = 0; b < SAMPLES_HEAT_NR; b++) {
			/* the middle of the heat bucket stands for its I/Os */
			unsigned fine = (b << SAMPLES_HEAT_SHIFT) + (1u << (SAMPLES_HEAT_SHIFT - 1));

			if (!heat[b])
				continue;
			if (!h->count || samples_heat_low(b) < h->min)
				h->min = samples_heat_low(b);
			h->max = samples_heat_low(b + 1) - 1;
			h->bucket[fine] += heat[b];
			h->count += heat[b];
		}
	}
	return 0;
}

static int rp_report(struct source *s, FILE *f, unsigned formats, const struct job_opts *global)
{
	struct rsrc *r = P(s);
	const struct jv *fio;
	const char *normal;

	(void)global;
	pthread_mutex_lock(&r->mu);
	fio = jv_get(&r->trailer, "fio");
	normal = jv_str(jv_get(&r->trailer, "normal"));
	if (formats & REPORT_NORMAL) {
		if (normal) {
			fputs(normal, f);
			if (*normal && normal[strlen(normal) - 1] != '\n')
				fputc('\n', f);
		}
		else if (r->fl)
			fprintf(f, "fio's logs hold no report (fio printed it when it ran).\n");
		else if (!r->loaded)
			fprintf(f, "The recording is still loading.\n");
		else
			fprintf(f, "This recording holds no fio report: %s.\n",
				r->trailer.t == JV_NULL ? "the run did not reach its end (killed?)"
				: fio && fio->t == JV_OBJ ? "it was written before recordings carried "
							    "fio's normal text; its JSON result is "
							    "there (--output-format=json)"
				: "its run reported nothing");
	}
	if (formats & (REPORT_JSON | REPORT_JSONPLUS)) {
		/* the trailer's own text of the result, as the run wrote it
		 * (on one line) */
		if (r->fio_text)
			fprintf(f, "%s\n", r->fio_text);
		else
			fprintf(f, "{}\n");
	}
	pthread_mutex_unlock(&r->mu);
	return 0;
}

static int rp_title(struct source *s, char *buf, size_t len)
{
	struct rsrc *r = P(s);

	pthread_mutex_lock(&r->mu);
	if (r->fl)
		snprintf(buf, len, "fio logs %s%s", r->host,
			 !r->loaded ? " (loading)" : r->note[0] ? " (cut short)" : "");
	else if (!r->loaded)
		snprintf(buf, len, "replay of %s, %s (loading %.0f%%)", r->host, r->when,
			 r->progress * 100);
	else
		snprintf(buf, len, "replay of %s, %s%s", r->host, r->when,
			 r->note[0] ? " (cut short)" : "");
	pthread_mutex_unlock(&r->mu);
	return 0;
}

static void rp_free(struct source *s)
{
	struct rsrc *r = P(s);

	if (r->thr_started) {
		st_relaxed(&r->stop, 1);
		pthread_join(r->thr, NULL);
	}
	for (unsigned i = 0; i < r->njobs; i++)
		job_list_free(&r->jobs[i].opts);
	free(r->jobs);
	jv_free(&r->trailer);
	free(r->fio_text);
	recread_close(r->rr);
	fiologr_close(r->fl);
	samples_free(r->store);
	free(r->jobtext);
	if (r->wake[0] >= 0)
		close(r->wake[0]);
	if (r->wake[1] >= 0)
		close(r->wake[1]);
	pthread_mutex_destroy(&r->mu);
	free(r);
}

static const struct source_ops replay_ops = {
	.kind = "replay",
	.caps = 0,
	.njobs = rp_njobs,
	.status = rp_status,
	.gen = rp_gen,
	.samples = rp_samples,
	.wake_fd = rp_wake_fd,
	.drain_wake = rp_drain_wake,
	.stats = rp_stats,
	.opts = rp_opts,
	.report = rp_report,
	.start_ns = rp_start_ns,
	.run_start_ns = rp_start_ns,
	.title = rp_title,
	.free = rp_free,
};

/* ------------------------------------------------------------- setup */

/* A section name fio's reader takes: no ']' nor control characters. */
static void section_name(char *buf, size_t len, const char *name)
{
	size_t i = 0;

	for (; name && *name && i + 1 < len; name++)
		buf[i++] = *name == ']' || (unsigned char)*name < 0x20 ? '_' : *name;
	buf[i] = '\0';
	if (!i)
		snprintf(buf, len, "job");
}

/* @opts without its numjobs line (clones are listed apart). malloc'd. */
static char *no_numjobs(const char *opts)
{
	size_t n = strlen(opts);
	char *o = malloc(n + 2), *w = o;

	if (!o)
		return NULL;
	for (const char *p = opts; *p;) {
		const char *e = strchr(p, '\n');
		size_t l = e ? (size_t)(e - p + 1) : strlen(p);

		if (strncmp(p, "numjobs=", 8)) {
			memcpy(w, p, l);
			w += l;
		}
		p += l;
	}
	if (w > o && w[-1] != '\n')
		*w++ = '\n';
	*w = '\0';
	return o;
}

/* Jobs and their options from the header. */
static int jobs_setup(struct rsrc *r, const struct jv *h)
{
	const struct jv *jobs = jv_get(h, "jobs");
	const char *host = jv_str(jv_get(jv_get(h, "host"), "hostname"));
	const char *glob = jv_str(jv_get(h, "global_options"));
	size_t cap = 256, len = 0;
	char *text = malloc(cap);

	if (!text)
		return -ENOMEM;
	len = (size_t)snprintf(text, cap, "%s", glob && *glob ? "[global]\n" : "");
	if (glob && *glob) {
		char *g = no_numjobs(glob);
		size_t gl = g ? strlen(g) : 0;

		if (len + gl + 1 > cap) {
			char *n = realloc(text, cap = len + gl + 256);

			if (!n) {
				free(text);
				free(g);
				return -ENOMEM;
			}
			text = n;
		}
		memcpy(text + len, g ? g : "", gl + 1);
		len += gl;
		free(g);
	}
	if (jobs && jobs->t == JV_ARR && jobs->n > JOBS_MAX)
		return -E2BIG; /* no run has that many: a damaged or forged header */
	r->njobs = jobs && jobs->t == JV_ARR ? (unsigned)jobs->n : 0;
	r->jobs = calloc(r->njobs ? r->njobs : 1, sizeof(*r->jobs));
	if (!r->jobs) {
		free(text);
		return -ENOMEM;
	}
	for (unsigned i = 0; i < r->njobs; i++) {
		const struct jv *j = &jobs->items[i];
		struct rjob *rj = &r->jobs[i];
		const char *name = jv_str(jv_get(j, "name")) ? : "?";
		const char *label = jv_str(jv_get(j, "label")) ? : name;
		const char *o = jv_str(jv_get(j, "options")) ? : "";
		char sec[160], err[256], *body = no_numjobs(o), *one;
		size_t need;

		job_list_init(&rj->opts);
		rj->st.id = i;
		rj->st.group = (unsigned)jv_num(jv_get(j, "group"), 0);
		rj->st.clone = (unsigned)jv_num(jv_get(j, "clone"), 0);
		rj->st.nclones = 0;
		for (unsigned k = 0; k < jobs->n; k++)
			if (!strcmp(jv_str(jv_get(&jobs->items[k], "name")) ? : "?", name))
				rj->st.nclones++;
		snprintf(rj->st.name, sizeof(rj->st.name), "%s", name);
		snprintf(rj->st.label, sizeof(rj->st.label), "%s", label);
		snprintf(rj->st.host, sizeof(rj->st.host), "%s", host ? host : "?");
		rj->st.done = -1;
		rj->st.eta_s = -1;
		rj->st.gen = 1;
		section_name(sec, sizeof(sec), name);
		need = strlen(sec) + (body ? strlen(body) : 0) + 8;
		one = malloc(need);
		if (one && body) {
			snprintf(one, need, "[%s]\n%s", sec, body);
			/* options this iolab cannot take (an engine it lacks): the
			 * job is shown without them */
			if (jobfile_load_text(&rj->opts, "recording", one, err, sizeof(err)))
				snprintf(one, need, "[%s]\n", sec);
			else
				rj->st.rw = rj->opts.nr ? rj->opts.jobs[0].opts.rw : 0;
		}
		if (one) {
			size_t ol = strlen(one);

			if (len + ol + 1 > cap) {
				char *n = realloc(text, cap = (len + ol) * 2 + 256);

				if (!n) {
					free(one);
					free(body);
					free(text);
					return -ENOMEM;
				}
				text = n;
			}
			memcpy(text + len, one, ol + 1);
			len += ol;
		}
		free(one);
		free(body);
	}
	r->jobtext = text;
	snprintf(r->host, sizeof(r->host), "%s", host ? host : "an unnamed host");
	/* "2026-12-03T10:00:00+0100" as "2026-12-03 10:00": the header is narrow */
	snprintf(r->when, sizeof(r->when), "%.16s",
		 jv_str(jv_get(jv_get(h, "start"), "local")) ? : "an unknown time");
	if (strlen(r->when) == 16 && r->when[10] == 'T')
		r->when[10] = ' ';
	return 0;
}

/* Jobs of fio's logs: one per job number found beside @path. */
static int fiolog_setup(struct rsrc *r, const char *path, char *err, size_t errlen)
{
	int rc = fiologr_open(path, &r->fl, err, errlen);
	const char *base;

	if (rc)
		return rc;
	r->store = samples_new();
	r->njobs = r->fl->njobs;
	r->jobs = calloc(r->njobs, sizeof(*r->jobs));
	r->jobtext = strdup("");
	if (!r->store || !r->jobs || !r->jobtext || pipe2(r->wake, O_CLOEXEC | O_NONBLOCK)) {
		rc = errno ? -errno : -ENOMEM;
		snprintf(err, errlen, "%s: %s", path, strerror(-rc));
		return rc;
	}
	for (unsigned i = 0; i < r->njobs; i++) {
		struct source_status *st = &r->jobs[i].st;

		job_list_init(&r->jobs[i].opts);
		/* fio's logs name no options: both directions, drawn when they have data */
		if (jobfile_load_text(&r->jobs[i].opts, "fio logs", "[fio]\nrw=randrw\n", err, errlen))
			return -EINVAL;
		st->id = i;
		st->nclones = 1;
		st->done = -1;
		st->eta_s = -1;
		st->gen = 1;
		st->rw = RW_READ | RW_WRITE;
		snprintf(st->name, sizeof(st->name), "%s", r->fl->jobs[i].name);
		snprintf(st->label, sizeof(st->label), "%s", r->fl->jobs[i].name);
		snprintf(st->host, sizeof(st->host), "fio");
	}
	base = strrchr(r->fl->prefix, '/') ? strrchr(r->fl->prefix, '/') + 1 : r->fl->prefix;
	snprintf(r->host, sizeof(r->host), "%.40s, %u job%s", base, r->njobs,
		 r->njobs == 1 ? "" : "s");
	return 0;
}

int source_replay_new(const char *path, struct source **out, char *err, size_t errlen)
{
	struct rsrc *r = calloc(1, sizeof(*r));
	int rc;

	*out = NULL;
	if (!r) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -ENOMEM;
	}
	r->wake[0] = r->wake[1] = -1;
	snprintf(r->path, sizeof(r->path), "%s", path);
	pthread_mutex_init(&r->mu, NULL);
	if (fiologr_is_log(path)) {
		rc = fiolog_setup(r, path, err, errlen);
		if (rc)
			goto err;
		rc = source_new(&replay_ops, r, out);
		if (rc) {
			snprintf(err, errlen, "%s: %s", path, strerror(-rc));
			goto err;
		}
		rc = -pthread_create(&r->thr, NULL, fiolog_loader, r);
		goto started;
	}
	rc = recread_open(path, &r->rr, err, errlen);
	if (rc == -ENOMSG) {
		snprintf(err, errlen, "%s:1: a fio JSON result, not an iolab recording "
			 "(--compare reads it; --replay needs a recording)", path);
		rc = -EINVAL;
	}
	if (rc)
		goto err;
	r->store = samples_new();
	if (!r->store || pipe2(r->wake, O_CLOEXEC | O_NONBLOCK)) {
		rc = r->store ? -errno : -ENOMEM;
		snprintf(err, errlen, "%s: %s", path, strerror(-rc));
		goto err;
	}
	rc = jobs_setup(r, recread_header(r->rr));
	if (rc == -E2BIG) {
		snprintf(err, errlen, "%s:1: the header lists more than %d jobs; not a recording "
			 "iolab wrote", path, JOBS_MAX);
		goto err;
	}
	if (!rc)
		rc = source_new(&replay_ops, r, out);
	if (rc) {
		snprintf(err, errlen, "%s: %s", path, strerror(-rc));
		goto err;
	}
	rc = -pthread_create(&r->thr, NULL, loader, r);
started:
	if (rc) {
		snprintf(err, errlen, "%s: starting the loader: %s", path, strerror(-rc));
		source_free(*out); /* frees r */
		*out = NULL;
		return rc;
	}
	r->thr_started = true;
	return 0;
err:
	r->njobs = r->jobs ? r->njobs : 0;
	rp_free(&(struct source){ .ops = &replay_ops, .priv = r });
	return rc;
}

void source_replay_wait(struct source *s)
{
	struct rsrc *r = P(s);

	if (r->thr_started) {
		pthread_join(r->thr, NULL);
		r->thr_started = false;
	}
}

bool source_replay_loaded(struct source *s)
{
	struct rsrc *r = P(s);
	bool l;

	pthread_mutex_lock(&r->mu);
	l = r->loaded;
	pthread_mutex_unlock(&r->mu);
	return l;
}

const char *source_replay_note(struct source *s)
{
	return P(s)->note;
}

const char *source_replay_jobtext(struct source *s)
{
	return P(s)->jobtext;
}
