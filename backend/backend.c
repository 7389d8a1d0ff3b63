/* The backend: jobs, their threads, groups, control; see backend.h.
 *
 * Threads: the caller's control thread calls the API; a controller thread
 * runs the groups in order (starting each job's worker and joining it);
 * each job has its worker thread; the sampler has its own. The controller
 * joins workers and marks them REAPED; backend_wait joins the controller. */
#include "backend.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "../lib/atomic.h"
#include "../lib/clock.h"
#include "fiologs.h"
#include "iolog.h"
#include "sampler.h"
#include "rate.h"
#include "samples.h"
#include "steadystate.h"
#include "worker.h"
#include "zbd.h"

struct job_slot {
	pthread_mutex_t join_lock; /* serialises join between controller and restart */
	bool thread_live;          /* a worker thread exists and was not joined */
};

struct backend {
	struct backend_config cfg;
	struct run_ctx run; /* jobs, sampler, stop_all, start_ns: what workers see */
	struct job_slot *slots; /* by job id, as run.jobs */
	int wake[2]; /* pipe: [0] read (UI), [1] write (workers, sampler) */
	pthread_t controller;
	bool controller_live;
	uint64_t run_start_ns; /* shared: when the current run began */
};

static void wake(struct backend *be)
{
	char c = 'b';
	ssize_t r = write(be->wake[1], &c, 1);

	(void)r;
}

struct backend *backend_new(const struct backend_config *cfg)
{
	struct backend *be = calloc(1, sizeof(*be));

	if (!be)
		return NULL;
	if (cfg)
		be->cfg = *cfg;
	if (!be->cfg.status_interval_ms)
		be->cfg.status_interval_ms = 1000;
	if (be->cfg.status_interval_ms < 100)
		be->cfg.status_interval_ms = 100;
	if (pipe2(be->wake, O_NONBLOCK | O_CLOEXEC) < 0) {
		free(be);
		return NULL;
	}
	be->run.wake_fd = be->wake[1];
	be->run.samples = samples_new();
	be->run.zbd = zbd_set_new();
	if (!be->run.samples || !be->run.zbd) {
		samples_free(be->run.samples);
		zbd_set_free(be->run.zbd);
		close(be->wake[0]);
		close(be->wake[1]);
		free(be);
		return NULL;
	}
	return be;
}

static void job_destroy(struct job *job)
{
	if (!job)
		return;
	worker_free(job->priv);
	ss_free(job->ss);
	prio_stats_free(job->prio_stats);
	opts_free(&job->o);
	free(job->name);
	free(job->label);
	pthread_mutex_destroy(&job->knob_lock);
	rates_destroy(&job->rates);
	free(job);
}

static void free_jobs(struct backend *be)
{
	/* zones point at the workers' open-zone counts */
	zbd_set_reset(be->run.zbd);
	for (unsigned i = 0; i < be->run.njobs; i++) {
		job_destroy(be->run.jobs[i]);
		pthread_mutex_destroy(&be->slots[i].join_lock);
	}
	free(be->slots);
	be->slots = NULL;
	free(be->run.jobs);
	be->run.jobs = NULL;
	be->run.njobs = 0;
}

void backend_free(struct backend *be)
{
	if (!be)
		return;
	if (backend_running(be) || be->controller_live) {
		backend_stop(be, -1);
		backend_wait(be);
	}
	free_jobs(be);
	samples_free(be->run.samples);
	zbd_set_free(be->run.zbd);
	close(be->wake[0]);
	close(be->wake[1]);
	free(be);
}

/* Knob fields are stored relaxed: the sampler reads them without the lock. */
static void knobs_from_opts(struct job_knobs *k, const struct job_opts *o)
{
	for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
		st_relaxed(&k->rate[d], o->rate[d]);
		st_relaxed(&k->rate_iops[d], o->rate_iops[d]);
		st_relaxed(&k->bs[d], 0); /* 0: the job's own block sizes */
	}
	st_relaxed(&k->rate_total, 0);
	st_relaxed(&k->rate_iops_total, 0);
	st_relaxed(&k->iodepth, o->iodepth ? o->iodepth : 1);
	st_relaxed(&k->rwmixread, o->rwmixread);
}

/* Fill a fresh job from options; returns 0 or -1 with @err. */
static int job_setup(struct backend *be, struct job *job, unsigned id, const char *name,
		     const struct job_opts *o, unsigned group, unsigned clone, char *err,
		     size_t errlen)
{
	char why[PATH_MAX + 300];

	job->id = id;
	job->clone = clone;
	job->name = strdup(name ? name : "job");
	opts_copy(&job->o, o);
	job->group = group;
	job->runstate = RS_NOT_CREATED;
	stats_init(&job->stats);
	rates_init(&job->rates, o);
	knobs_from_opts(&job->knobs, o);
	pthread_mutex_init(&job->knob_lock, NULL);
	job->ops = engine_find(o->ioengine ? o->ioengine : "psync");
	if (!job->ops) {
		snprintf(err, errlen, "%s: ioengine: unknown engine '%s'", job->name,
			 o->ioengine ? o->ioengine : "");
		return -1;
	}
	/* outputs are refused here, before anything runs, not after the run */
	if (fiolog_check(o, id + 1, why, sizeof(why)) || iolog_output_check(o, clone, why,
									     sizeof(why))) {
		snprintf(err, errlen, "%s: %s", job->name, why);
		return -1;
	}
	job->priv = worker_new(job, &be->run, id, clone, be->cfg.allow_write_devices);
	if (job->priv) {
		((struct worker *)job->priv)->allow_exec = be->cfg.allow_exec;
		((struct worker *)job->priv)->read_only = be->cfg.read_only;
	}
	if (!job->name || !job->priv) {
		snprintf(err, errlen, "%s: out of memory", name ? name : "job");
		return -1;
	}
	return 0;
}

int backend_load(struct backend *be, const struct job_list *l, char *err, size_t errlen)
{
	if (be->controller_live || backend_running(be)) {
		snprintf(err, errlen, "cannot load jobs while jobs are running");
		return -1;
	}
	free_jobs(be);
	samples_clear(be->run.samples);
	st_relaxed(&be->run.start_ns, 0);
	st_relaxed(&be->run_start_ns, 0);
	st_relaxed(&be->run.stop_all, 0);
	if (!l->nr)
		return 0;
	be->slots = calloc(l->nr, sizeof(*be->slots));
	be->run.jobs = calloc(l->nr, sizeof(*be->run.jobs));
	if (!be->slots || !be->run.jobs) {
		free(be->slots);
		free(be->run.jobs);
		be->slots = NULL;
		be->run.jobs = NULL;
		snprintf(err, errlen, "out of memory for %zu jobs", l->nr);
		return -1;
	}
	for (size_t i = 0; i < l->nr; i++) {
		const struct job_spec *s = &l->jobs[i];
		struct job *job = calloc(1, sizeof(*job));
		const char *name = s->opts.name && s->opts.name[0] ? s->opts.name : s->section;
		char label[300];

		pthread_mutex_init(&be->slots[i].join_lock, NULL);
		be->run.jobs[i] = job;
		be->run.njobs = (unsigned)i + 1;
		if (!job) {
			snprintf(err, errlen, "out of memory for job %zu", i);
			goto fail;
		}
		if (job_setup(be, job, (unsigned)i, name, &s->opts, s->group, s->clone, err, errlen))
			goto fail;
		job_spec_label(s, label, sizeof(label));
		job->label = strdup(label);
		if (!job->label) {
			snprintf(err, errlen, "out of memory for job %zu", i);
			goto fail;
		}
	}
	return 0;
fail:
	free_jobs(be);
	return -1;
}

/* Join job @i's worker if it has one; marks it REAPED. Any control thread. */
static void slot_join(struct backend *be, unsigned i)
{
	struct job_slot *s = &be->slots[i];
	struct job *job = be->run.jobs[i];

	pthread_mutex_lock(&s->join_lock);
	if (s->thread_live) {
		pthread_join(job->thread, NULL);
		s->thread_live = false;
		/* as fio: a job stays in its flow until reaped, after its
		 * exitall has stopped the others */
		worker_flow_leave(job);
		worker_set_runstate(job, RS_REAPED, be->wake[1]);
	}
	pthread_mutex_unlock(&s->join_lock);
}

/* Start job @i's worker; @gated: it waits after its setup until
 * open_gates() lets its batch run. Returns 0 or -errno (job marked failed). */
static int slot_start(struct backend *be, unsigned i, bool gated)
{
	struct job_slot *s = &be->slots[i];
	struct job *job = be->run.jobs[i];
	int ret;

	st_release(&job->start_gate, gated ? 0 : 1);
	pthread_mutex_lock(&s->join_lock);
	worker_set_runstate(job, RS_CREATED, be->wake[1]);
	worker_flow_join(job);
	ret = pthread_create(&job->thread, NULL, worker_main, job);
	if (ret) {
		worker_flow_leave(job);
		job_set_error(job, ret, "creating the worker thread: %s", strerror(ret));
		worker_set_runstate(job, RS_EXITED, be->wake[1]);
		worker_set_runstate(job, RS_REAPED, be->wake[1]);
	} else {
		s->thread_live = true;
	}
	pthread_mutex_unlock(&s->join_lock);
	return -ret;
}

/* Jobs never started (stopped before their group) end without running. */
static void skip_job(struct backend *be, unsigned i)
{
	struct job *job = be->run.jobs[i];

	if (job_runstate(job) == RS_NOT_CREATED) {
		worker_set_runstate(job, RS_EXITED, be->wake[1]);
		worker_set_runstate(job, RS_REAPED, be->wake[1]);
	}
}

/* Whether job @i must wait for a wait_for job, as fio's waitee_running:
 * any other job of that name not yet exited (started or not). */
static bool waitee_running(struct backend *be, unsigned i)
{
	const struct job *job = be->run.jobs[i];
	const char *name = job->o.wait_for;

	if (!name || !name[0])
		return false;
	for (unsigned k = 0; k < be->run.njobs; k++) {
		const struct job *t = be->run.jobs[k];

		if (k != i && t->name && !strcmp(t->name, name) && job_runstate(t) < RS_EXITED)
			return true;
	}
	return false;
}

/* fio's start barrier: the @nr jobs in @batch, started in one pass, run
 * together once every one is set up (or has failed); each wait is 1 ms and
 * a stop of the run ends it. */
static void open_gates(struct backend *be, const unsigned *batch, unsigned nr)
{
	for (unsigned k = 0; k < nr && !ld_relaxed(&be->run.stop_all); k++)
		while (job_runstate(be->run.jobs[batch[k]]) < RS_INITIALIZED &&
		       !ld_relaxed(&be->run.stop_all))
			clock_sleep_until(clock_now_ns() + NS_PER_MS);
	for (unsigned k = 0; k < nr; k++)
		st_release(&be->run.jobs[batch[k]]->start_gate, 1);
}

/* Runs the jobs the way fio's run_threads does: scan the jobs in order and
 * start each one that may start; a job whose startdelay (counted from the
 * start of the run) is not over, or whose wait_for job has not exited, is
 * passed over and later jobs may still start; the first job of a new group
 * (stonewall; not its numjobs clones) stops the scan while anything runs.
 * A group begun by new_group alone is for reporting and does not wait. */
static void *controller_main(void *arg)
{
	struct backend *be = arg;
	unsigned n = be->run.njobs, done = 0;
	uint8_t *st = calloc(n ? n : 1, 1); /* 0 waiting, 1 started, 2 finished */
	unsigned *batch = calloc(n ? n : 1, sizeof(*batch)), nb;

	if (!st || !batch) {
		free(st);
		free(batch);
		backend_stop(be, -1);
		for (unsigned i = 0; i < n; i++)
			skip_job(be, i);
		wake(be);
		return NULL;
	}
	while (done < n) {
		uint64_t now = clock_now_ns();
		unsigned active = 0;

		for (unsigned i = 0; i < n; i++)
			active += st[i] == 1;
		nb = 0;
		for (unsigned i = 0; i < n; i++) {
			struct job *job = be->run.jobs[i];
			const struct worker *w = job->priv;

			if (st[i])
				continue;
			if (job_runstate(job) != RS_NOT_CREATED) {
				st[i] = 1; /* restarted from the control thread */
				active++;
				continue;
			}
			if (ld_relaxed(&be->run.stop_all) || ld_relaxed(&job->stop)) {
				skip_job(be, i); /* exitall, stop: never starts */
				st[i] = 2;
				done++;
				continue;
			}
			if (job->o.startdelay_us &&
			    now < ld_relaxed(&be->run.start_ns) + job->o.startdelay_us * NS_PER_US)
				continue;
			if (active && !w->clone && i && job->group != be->run.jobs[i - 1]->group &&
			    (job->o.stonewall || !job->o.new_group))
				break; /* stonewall: the first job of a later group */
			if (waitee_running(be, i))
				continue;
			if (!slot_start(be, i, true))
				batch[nb++] = i;
			st[i] = 1;
			active++;
		}
		open_gates(be, batch, nb);
		for (unsigned i = 0; i < n; i++) {
			if (st[i] != 1 || job_runstate(be->run.jobs[i]) < RS_EXITED)
				continue;
			slot_join(be, i);
			st[i] = 2;
			done++;
		}
		if (done < n)
			clock_sleep_until(now + 5 * NS_PER_MS);
	}
	free(st);
	free(batch);
	wake(be);
	return NULL;
}

int backend_start(struct backend *be)
{
	int ret;

	if (be->controller_live)
		return -EBUSY;
	for (unsigned i = 0; i < be->run.njobs; i++)
		if (job_runstate(be->run.jobs[i]) != RS_NOT_CREATED)
			return -EALREADY;
	st_relaxed(&be->run.stop_all, 0);
	zbd_set_reset(be->run.zbd); /* a run starts with empty zones, as fio's */
	st_relaxed(&be->run.start_ns, clock_now_ns());
	st_relaxed(&be->run_start_ns, be->run.start_ns);
	be->run.sampler = sampler_start(&be->run, be->cfg.status_interval_ms);
	/* the run goes on without samples if the sampler cannot start */
	ret = pthread_create(&be->controller, NULL, controller_main, be);
	if (ret) {
		if (be->run.sampler)
			sampler_stop(be->run.sampler);
		be->run.sampler = NULL;
		return -ret;
	}
	be->controller_live = true;
	return 0;
}

void backend_stop(struct backend *be, int id)
{
	run_ctx_stop(&be->run, id);
}

bool backend_running(struct backend *be)
{
	for (unsigned i = 0; i < be->run.njobs; i++) {
		enum runstate rs = job_runstate(be->run.jobs[i]);

		if (rs != RS_NOT_CREATED && rs < RS_EXITED)
			return true;
		/* not started yet but its group will run */
		if (rs == RS_NOT_CREATED && be->controller_live && !ld_relaxed(&be->run.stop_all))
			return true;
	}
	return false;
}

int backend_wait(struct backend *be)
{
	int failed = 0;

	if (be->controller_live) {
		pthread_join(be->controller, NULL);
		be->controller_live = false;
	}
	/* restarted jobs run outside the controller */
	for (unsigned i = 0; i < be->run.njobs; i++)
		slot_join(be, i);
	if (be->run.sampler) {
		sampler_stop(be->run.sampler);
		be->run.sampler = NULL;
	}
	for (unsigned i = 0; i < be->run.njobs; i++)
		if (ld_acquire(&be->run.jobs[i]->error))
			failed++;
	wake(be);
	return failed;
}

int backend_restart_job(struct backend *be, unsigned id, const struct job_opts *o, char *err,
			size_t errlen)
{
	struct job *job;
	struct job_knobs k;
	const struct engine_ops *ops;
	uint64_t deadline;
	bool others;

	if (id >= be->run.njobs) {
		snprintf(err, errlen, "no job %u", id);
		return -1;
	}
	job = be->run.jobs[id];
	ops = engine_find(o->ioengine ? o->ioengine : "psync");
	if (!ops) {
		snprintf(err, errlen, "%s: ioengine: unknown engine '%s'", job->name,
			 o->ioengine ? o->ioengine : "");
		return -1;
	}
	/* alone (no other job active): this restart begins a new run */
	others = false;
	for (unsigned i = 0; i < be->run.njobs && !others; i++) {
		enum runstate rs = job_runstate(be->run.jobs[i]);

		others = i != id && ((rs != RS_NOT_CREATED && rs < RS_EXITED) ||
				     (rs == RS_NOT_CREATED && be->controller_live &&
				      !ld_relaxed(&be->run.stop_all)));
	}
	/* stop it and wait for its thread (at most 10 s) */
	st_relaxed(&job->stop, 1);
	deadline = clock_now_ns() + 10 * NS_PER_SEC;
	while (job_runstate(job) != RS_NOT_CREATED && job_runstate(job) < RS_EXITED) {
		if (clock_now_ns() > deadline) {
			snprintf(err, errlen, "%s: did not stop within 10 s", job->name);
			return -1;
		}
		clock_sleep_until(clock_now_ns() + 5 * NS_PER_MS);
	}
	slot_join(be, id);

	pthread_mutex_lock(&job->knob_lock);
	opts_free(&job->o);
	opts_copy(&job->o, o);
	job->ops = ops;
	k = job->knobs;
	knobs_from_opts(&job->knobs, o);
	st_release(&job->knobs.gen, k.gen + 1);
	pthread_mutex_unlock(&job->knob_lock);
	job->errmsg[0] = '\0';
	job->note[0] = '\0';
	st_release(&job->error, 0);
	st_relaxed(&job->stop, 0);
	for (int d = 0; d < DDIR_RWDIR_CNT; d++)
		st_relaxed(&job->bytes_issued[d], 0);
	st_relaxed(&job->started_ns, 0);
	st_relaxed(&job->ended_ns, 0);
	stats_reset(&job->stats);
	rates_reset(&job->rates, &job->o);
	prio_stats_reset(job->prio_stats);
	st_release(&job->runstate, RS_NOT_CREATED);
	job_touch(job);
	if (!be->run.start_ns)
		st_relaxed(&be->run.start_ns, clock_now_ns());
	if (!others || !be->run_start_ns)
		st_relaxed(&be->run_start_ns, clock_now_ns());
	if (!be->run.sampler && !be->controller_live)
		be->run.sampler = sampler_start(&be->run, be->cfg.status_interval_ms);
	if (slot_start(be, id, false)) {
		snprintf(err, errlen, "%s: %s", job->name, job->errmsg);
		return -1;
	}
	return 0;
}

int backend_plan(struct backend *be, FILE *out)
{
	int failed = 0;

	if (backend_running(be))
		return -EBUSY;
	for (unsigned i = 0; i < be->run.njobs; i++) {
		if (i)
			fputc('\n', out);
		if (worker_plan(be->run.jobs[i], out))
			failed++;
	}
	return failed;
}

unsigned backend_njobs(const struct backend *be)
{
	return be->run.njobs;
}

const struct job *backend_job(const struct backend *be, unsigned id)
{
	return id < be->run.njobs ? be->run.jobs[id] : NULL;
}

uint64_t backend_start_ns(const struct backend *be)
{
	return run_ctx_start_ns(&be->run);
}

uint64_t backend_run_start_ns(const struct backend *be)
{
	return ld_relaxed(&be->run_start_ns);
}

/* Short text for knob @name of a job with knobs @k and options @o, as in a
 * job file ("8k", "45000,5000"); a direction the job does not do is left
 * out, and bs 0 (the job's own) shows the job's block size. */
static void knob_text(char *buf, size_t len, const char *name, const struct job_knobs *k,
		      const struct job_opts *o)
{
	uint64_t v[DDIR_RWDIR_CNT];
	bool size = strcasecmp(name, "rate_iops") != 0;
	bool rd = opts_has_ddir(o, DDIR_READ), wr = opts_has_ddir(o, DDIR_WRITE);
	char p[2][32];

	if (!strcasecmp(name, "iodepth")) {
		snprintf(buf, len, "%u", k->iodepth);
		return;
	}
	if (!strcasecmp(name, "rwmixread") || !strcasecmp(name, "rwmixwrite")) {
		snprintf(buf, len, "%u", !strcasecmp(name, "rwmixread") ? k->rwmixread
									 : 100 - k->rwmixread);
		return;
	}
	for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
		if (!strcasecmp(name, "rate"))
			v[d] = k->rate[d];
		else if (!strcasecmp(name, "rate_iops"))
			v[d] = k->rate_iops[d];
		else
			v[d] = k->bs[d] ? k->bs[d] : o->bs[d];
	}
	for (int d = 0; d < 2; d++) {
		if (size)
			fmt_size_exact(p[d], sizeof(p[d]), v[d], 1024);
		else
			snprintf(p[d], sizeof(p[d]), "%" PRIu64, v[d]);
	}
	/* a rate on a job doing both directions always shows both: a single
	 * figure would read as the total the knob takes */
	if (!wr || (v[0] == v[1] && (!strcasecmp(name, "bs") || !rd)))
		snprintf(buf, len, "%.30s", p[0]);
	else if (!rd)
		snprintf(buf, len, "%.30s", p[1]);
	else
		snprintf(buf, len, "%.15s,%.15s", p[0], p[1]);
}

/* @val for knob @name parsed into @tmp (which holds the current knobs);
 * *total is set for a single rate/rate_iops value on a job doing reads and
 * writes. Returns 0 or -1 with @err. */
static int knob_parse(const struct job *job, const char *name, const char *val,
		      struct job_opts *tmp, uint64_t *total, char *err, size_t errlen)
{
	char why[200];

	*total = 0;
	if (opt_set(tmp, name, val, why, sizeof(why))) {
		snprintf(err, errlen, "%s: %s", name, why);
		return -1;
	}
	if (!strcasecmp(name, "iodepth") && (tmp->iodepth < 1 || tmp->iodepth > 65536)) {
		snprintf(err, errlen, "iodepth: %u is out of range (1..65536)", tmp->iodepth);
		return -1;
	}
	if (!strcasecmp(name, "bs")) {
		for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
			if (tmp->nr_bssplit[d] || (tmp->bs_min[d] && tmp->bs_max[d] &&
						   tmp->bs_min[d] != tmp->bs_max[d])) {
				snprintf(err, errlen,
					 "bs: a live change takes one size, not a range or split");
				return -1;
			}
		}
	}
	if ((!strcasecmp(name, "rate") || !strcasecmp(name, "rate_iops")) && !strchr(val, ',') &&
	    opts_has_ddir(&job->o, DDIR_READ) && opts_has_ddir(&job->o, DDIR_WRITE))
		*total = !strcasecmp(name, "rate") ? tmp->rate[DDIR_READ] : tmp->rate_iops[DDIR_READ];
	return 0;
}

/* Store @tmp's knob @name into @job (knob_lock held). */
static void knob_store(struct job *job, const char *name, const struct job_opts *tmp,
		       uint64_t total)
{
	struct job_knobs *k = &job->knobs;
	uint64_t split[DDIR_RWDIR_CNT];
	bool rate = !strcasecmp(name, "rate");

	if (rate || !strcasecmp(name, "rate_iops")) {
		if (total)
			rate_split_total(total, k->rwmixread, split);
		for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
			uint64_t v = total ? split[d] : rate ? tmp->rate[d] : tmp->rate_iops[d];

			st_relaxed(rate ? &k->rate[d] : &k->rate_iops[d], v);
		}
		st_relaxed(rate ? &k->rate_total : &k->rate_iops_total, total);
	} else if (!strcasecmp(name, "iodepth")) {
		st_relaxed(&k->iodepth, tmp->iodepth);
	} else if (!strcasecmp(name, "rwmixread") || !strcasecmp(name, "rwmixwrite")) {
		st_relaxed(&k->rwmixread, tmp->rwmixread);
		/* a total cap keeps following the mix */
		if (k->rate_total) {
			rate_split_total(k->rate_total, tmp->rwmixread, split);
			for (int d = 0; d < DDIR_RWDIR_CNT; d++)
				st_relaxed(&k->rate[d], split[d]);
		}
		if (k->rate_iops_total) {
			rate_split_total(k->rate_iops_total, tmp->rwmixread, split);
			for (int d = 0; d < DDIR_RWDIR_CNT; d++)
				st_relaxed(&k->rate_iops[d], split[d]);
		}
	} else {
		for (int d = 0; d < DDIR_RWDIR_CNT; d++)
			st_relaxed(&k->bs[d], tmp->bs[d] ? tmp->bs[d] : tmp->bs_min[d]);
	}
}

int backend_set_knob(struct backend *be, unsigned id, const char *name, const char *val,
		     char *err, size_t errlen)
{
	return backend_set_knobs(be, id, 1, name, val, err, errlen);
}

int backend_set_knobs(struct backend *be, unsigned first, unsigned count, const char *name,
		      const char *val, char *err, size_t errlen)
{
	struct sample_mark m;
	char before[40] = "", after[40] = "", b[40], a[40];
	bool mixed = false;
	const struct opt_def *def;
	unsigned changed = 0;

	_Static_assert(sizeof(((struct sample_mark *)0)->text) >= 47, "mark text");
	if (!count || first >= be->run.njobs || count > be->run.njobs - first) {
		snprintf(err, errlen, "no job %u", first + (count ? count - 1 : 0));
		return -1;
	}
	def = opt_find(name);
	if (!def || !(def->flags & OPTF_LIVE)) {
		char list[160] = "";
		size_t n = 0;

		/* rwmixwrite is rwmixread seen from the other side */
		for (size_t i = 0; i < opt_count && n < sizeof(list); i++)
			if ((opt_table[i].flags & OPTF_LIVE) && strcmp(opt_table[i].name, "rwmixwrite"))
				n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%s", n ? ", " : "",
						      opt_table[i].name);
		snprintf(err, errlen, "%s: not a live knob (%s)", name, list);
		return -1;
	}
	name = def->name;
	/* every job's value is checked before any changes */
	for (unsigned pass = 0; pass < 2; pass++) {
		for (unsigned id = first; id < first + count; id++) {
			struct job *job = be->run.jobs[id];
			struct job_opts tmp;
			uint64_t total;
			int rc;

			/* parse into a scratch copy so a bad value changes nothing */
			pthread_mutex_lock(&job->knob_lock);
			opts_init(&tmp);
			for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
				tmp.rate[d] = job->knobs.rate[d];
				tmp.rate_iops[d] = job->knobs.rate_iops[d];
			}
			tmp.iodepth = job->knobs.iodepth;
			tmp.rwmixread = job->knobs.rwmixread;
			rc = knob_parse(job, name, val, &tmp, &total, err, errlen);
			if (!rc && pass) {
				knob_text(b, sizeof(b), name, &job->knobs, &job->o);
				knob_store(job, name, &tmp, total);
				knob_text(a, sizeof(a), name, &job->knobs, &job->o);
				st_release(&job->knobs.gen, job->knobs.gen + 1);
				job_touch(job);
				if (!changed++) {
					snprintf(before, sizeof(before), "%s", b);
					snprintf(after, sizeof(after), "%s", a);
				} else if (strcmp(before, b) || strcmp(after, a)) {
					mixed = true;
				}
			}
			pthread_mutex_unlock(&job->knob_lock);
			opts_free(&tmp);
			if (rc)
				return -1;
		}
	}

	memset(&m, 0, sizeof(m));
	m.t = be->run.start_ns ? (clock_now_ns() - be->run.start_ns) / NS_PER_US : 0;
	m.job = (int)first;
	m.njobs = (int)count;
	if (mixed)
		snprintf(m.text, sizeof(m.text), "%.12s %.30s", name, val);
	else
		snprintf(m.text, sizeof(m.text), "%.12s %.16s->%.16s", name, before, after);
	samples_mark(be->run.samples, &m);
	wake(be);
	return 0;
}

unsigned backend_clones(const struct backend *be, unsigned id, unsigned *first)
{
	const struct job *j = backend_job(be, id);
	unsigned n;

	if (!j) {
		*first = id;
		return 0;
	}
	*first = id - j->clone;
	n = j->o.numjobs > 1 ? j->o.numjobs : 1;
	if (*first + n > be->run.njobs)
		n = be->run.njobs - *first;
	return n;
}

struct sample_store *backend_samples(struct backend *be)
{
	return be->run.samples;
}

int backend_wake_fd(const struct backend *be)
{
	return be->wake[0];
}

void backend_drain_wake(struct backend *be)
{
	char buf[256];

	while (read(be->wake[0], buf, sizeof(buf)) > 0)
		;
}
