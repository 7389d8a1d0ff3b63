/* The local source: this machine's thread pool (backend.h) behind the
 * source interface; see source.h.
 *
 * Reads a job's shared fields the way job.h allows (relaxed or acquire
 * loads; errmsg once error is seen, note once the job has exited) and hands
 * out plain copies. Control thread only, as the backend's API. */
#include "source.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/atomic.h"
#include "../lib/clock.h"
#include "backend.h"
#include "report.h"

struct local {
	struct backend *be;
	uint64_t loads; /* bumped by every load: the job set changed */
};

static struct backend *be_of(struct source *s)
{
	return ((struct local *)s->priv)->be;
}

double job_done_frac(const struct job *j, uint64_t now)
{
	enum runstate rs = job_runstate(j);
	uint64_t started = ld_relaxed(&j->started_ns);
	uint64_t total = (j->o.ramp_time_us + j->o.runtime_us) * NS_PER_US;
	uint64_t target = ld_relaxed(&j->io_target_bytes);

	/* a failed job shows how far it got */
	if (rs >= RS_EXITED && !ld_relaxed(&j->error))
		return 1.0;
	if (rs == RS_NOT_CREATED)
		return 0.0;
	if (j->o.time_based && j->o.runtime_us) {
		if (rs >= RS_EXITED)
			now = ld_relaxed(&j->ended_ns);
		if (!started || now <= started)
			return 0.0;
		return (double)(now - started) / (double)total > 1.0
			       ? 1.0
			       : (double)(now - started) / (double)total;
	}
	if (target) {
		uint64_t b = 0;
		double f;

		for (int d = 0; d < DDIR_RWDIR_CNT; d++)
			b += ld_relaxed(&j->bytes_issued[d]);
		f = (double)b / (double)target;
		if (j->o.runtime_us && started && now > started) {
			double tf = (double)(now - started) / (double)total;

			if (tf > f)
				f = tf; /* the runtime cap ends it first */
		}
		return f > 1.0 ? 1.0 : f;
	}
	return -1.0;
}

double job_eta_s(const struct job *j, uint64_t now)
{
	uint64_t started = ld_relaxed(&j->started_ns);
	double f = job_done_frac(j, now), el;

	if (job_runstate(j) >= RS_EXITED)
		return 0;
	if (f <= 0 || !started || now <= started)
		return -1;
	el = (double)(now - started) / 1e9;
	return el * (1.0 - f) / f;
}

static unsigned l_njobs(struct source *s)
{
	return backend_njobs(be_of(s));
}

static int l_status(struct source *s, unsigned id, struct source_status *out)
{
	struct backend *be = be_of(s);
	const struct job *j = backend_job(be, id);
	uint64_t now = clock_now_ns();
	unsigned first;

	if (!j)
		return -ENOENT;
	memset(out, 0, sizeof(*out));
	/* gen first: a change racing this copy shows as a newer gen next time */
	out->gen = ld_acquire(&j->status_gen);
	out->id = id;
	out->group = j->group;
	out->clone = j->clone;
	out->nclones = backend_clones(be, id, &first);
	snprintf(out->name, sizeof(out->name), "%s", j->name ? j->name : "?");
	snprintf(out->label, sizeof(out->label), "%s", j->label ? j->label : out->name);
	snprintf(out->host, sizeof(out->host), "local");
	out->runstate = job_runstate(j);
	out->rw = j->o.rw;
	out->stopping = ld_relaxed(&j->stop) != 0;
	out->error = ld_acquire(&j->error);
	if (out->error) /* written once, before error was published */
		snprintf(out->errmsg, sizeof(out->errmsg), "%s",
			 j->errmsg[0] ? j->errmsg : strerror(out->error));
	if (out->runstate >= RS_EXITED) /* written before RS_EXITED */
		snprintf(out->note, sizeof(out->note), "%s", j->note);
	out->started_ns = ld_relaxed(&j->started_ns);
	out->ended_ns = ld_relaxed(&j->ended_ns);
	out->io_errors = ld_relaxed(&j->stats.total_err);
	out->done = job_done_frac(j, now);
	out->eta_s = job_eta_s(j, now);
	return 0;
}

static uint64_t l_gen(struct source *s)
{
	struct backend *be = be_of(s);
	uint64_t g = ((struct local *)s->priv)->loads;

	for (unsigned i = 0; i < backend_njobs(be); i++)
		g += ld_acquire(&backend_job(be, i)->status_gen);
	return g;
}

static struct sample_store *l_samples(struct source *s)
{
	return backend_samples(be_of(s));
}

static int l_wake_fd(struct source *s)
{
	return backend_wake_fd(be_of(s));
}

static void l_drain_wake(struct source *s)
{
	backend_drain_wake(be_of(s));
}

static int l_stats(struct source *s, unsigned id, struct job_stats *out)
{
	const struct job *j = backend_job(be_of(s), id);

	if (!j)
		return -ENOENT;
	stats_snapshot(out, &j->stats);
	return 0;
}

static const struct job_opts *l_opts(struct source *s, unsigned id)
{
	const struct job *j = backend_job(be_of(s), id);

	return j ? &j->o : NULL;
}

/* The knobs' fields are stored relaxed (backend.c); gen last. */
static int l_knobs(struct source *s, unsigned id, struct job_knobs *out)
{
	const struct job *j = backend_job(be_of(s), id);

	if (!j)
		return -ENOENT;
	for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
		out->rate[d] = ld_relaxed(&j->knobs.rate[d]);
		out->rate_iops[d] = ld_relaxed(&j->knobs.rate_iops[d]);
		out->bs[d] = ld_relaxed(&j->knobs.bs[d]);
	}
	out->rate_total = ld_relaxed(&j->knobs.rate_total);
	out->rate_iops_total = ld_relaxed(&j->knobs.rate_iops_total);
	out->iodepth = ld_relaxed(&j->knobs.iodepth);
	out->rwmixread = ld_relaxed(&j->knobs.rwmixread);
	out->gen = ld_acquire(&j->knobs.gen);
	return 0;
}

static int l_report(struct source *s, FILE *f, unsigned formats, const struct job_opts *global)
{
	report_write_global(f, be_of(s), formats, global);
	return 0;
}

static uint64_t l_start_ns(struct source *s)
{
	return backend_start_ns(be_of(s));
}

static uint64_t l_run_start_ns(struct source *s)
{
	return backend_run_start_ns(be_of(s));
}

static bool l_running(struct source *s)
{
	return backend_running(be_of(s));
}

static int l_load(struct source *s, const struct job_list *l, char *err, size_t errlen)
{
	((struct local *)s->priv)->loads++;
	return backend_load(be_of(s), l, err, errlen) ? -EINVAL : 0;
}

static int l_start(struct source *s)
{
	return backend_start(be_of(s));
}

static int l_stop(struct source *s, int id)
{
	backend_stop(be_of(s), id);
	return 0;
}

static int l_restart(struct source *s, unsigned id, const struct job_opts *o, char *err,
		     size_t errlen)
{
	return backend_restart_job(be_of(s), id, o, err, errlen) ? -EINVAL : 0;
}

static int l_set_knobs(struct source *s, unsigned first, unsigned count, const char *name,
		       const char *val, char *err, size_t errlen)
{
	return backend_set_knobs(be_of(s), first, count, name, val, err, errlen) ? -EINVAL : 0;
}

static int l_reap(struct source *s)
{
	return backend_wait(be_of(s));
}

static void l_free(struct source *s)
{
	free(s->priv);
}

static const struct source_ops local_ops = {
	.kind = "local",
	.caps = SRC_CAP_LOAD | SRC_CAP_START | SRC_CAP_STOP | SRC_CAP_RESTART | SRC_CAP_KNOBS |
		SRC_CAP_LIVE,
	.njobs = l_njobs,
	.status = l_status,
	.gen = l_gen,
	.samples = l_samples,
	.wake_fd = l_wake_fd,
	.drain_wake = l_drain_wake,
	.stats = l_stats,
	.opts = l_opts,
	.knobs = l_knobs,
	.report = l_report,
	.start_ns = l_start_ns,
	.run_start_ns = l_run_start_ns,
	.running = l_running,
	.load = l_load,
	.start = l_start,
	.stop = l_stop,
	.restart = l_restart,
	.set_knobs = l_set_knobs,
	.reap = l_reap,
	.free = l_free,
};

struct source *source_local_new(struct backend *be)
{
	struct local *l = calloc(1, sizeof(*l));
	struct source *s;

	if (!l)
		return NULL;
	l->be = be;
	if (source_new(&local_ops, l, &s)) {
		free(l);
		return NULL;
	}
	return s;
}
