/* The worker thread of a job: its life from setup to teardown (engine and
 * thread placement, verify setup, startdelay, wait_for, exitall, CPU
 * accounting). The I/O path is worker_io.c, file setup worker_files.c,
 * exec_prerun/exec_postrun worker_exec.c. See worker.h for the runstate
 * sequence. */
#include "worker_int.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../lib/atomic.h"
#include "../lib/clock.h"
#include "../lib/outfile.h"
#include "../lib/units.h"
#include "cmdprio.h"
#include "fiologs.h"
#include "iolog.h"
#include "profiles.h"
#include "sampler.h"

static void wake(int fd)
{
	if (fd >= 0) {
		char c = 's';
		ssize_t r = write(fd, &c, 1);

		(void)r; /* a full pipe already wakes the reader */
	}
}

bool worker_set_runstate(struct job *job, enum runstate rs, int wake_fd)
{
	enum runstate cur = job_runstate(job);

	if (!runstate_can_move(cur, rs))
		return false;
	st_release(&job->runstate, (int)rs);
	job_touch(job);
	wake(wake_fd);
	return true;
}

struct worker *worker_new(struct job *job, struct run_ctx *run, unsigned index, unsigned clone,
			  bool allow_write_devices)
{
	struct worker *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	w->job = job;
	w->run = run;
	w->index = index;
	w->clone = clone;
	w->wake_fd = run->wake_fd;
	w->allow_write_devices = allow_write_devices;
	return w;
}

void worker_free(struct worker *w)
{
	if (w)
		free(w->cmdprio);
	free(w);
}

static double tv_since(const struct timeval *now, const struct timeval *then)
{
	double d = (double)(now->tv_sec - then->tv_sec) + (now->tv_usec - then->tv_usec) / 1e6;

	return d > 0 ? d : 0;
}

/* CPU time of the I/O phase only, as fio counts it: file layout and setup
 * before it would otherwise inflate usr/sys against the I/O runtime. */
void worker_rusage_begin(struct worker *w)
{
	struct rusage ru;

	if (getrusage(RUSAGE_THREAD, &ru))
		return;
	w->ru_utime0 = ru.ru_utime;
	w->ru_stime0 = ru.ru_stime;
}

static void record_rusage(struct worker *w)
{
	struct job *job = w->job;
	struct rusage ru;

	if (getrusage(RUSAGE_THREAD, &ru))
		return;
	st_double(&job->stats.usr_cpu_s, tv_since(&ru.ru_utime, &w->ru_utime0) + job->offload_usr_s);
	st_double(&job->stats.sys_cpu_s, tv_since(&ru.ru_stime, &w->ru_stime0) + job->offload_sys_s);
	st_relaxed(&job->stats.ctx_switches, (uint64_t)(ru.ru_nvcsw + ru.ru_nivcsw));
	st_relaxed(&job->stats.majf, (uint64_t)ru.ru_majflt);
	st_relaxed(&job->stats.minf, (uint64_t)ru.ru_minflt);
}

static int verify_setup(struct worker *w)
{
	struct job *job = w->job;
	const struct job_opts *o = &job->o;
	bool load = opt_on(o->verify_state_load);
	char err[300];
	int ret;

	w->verify = o->verify != VERIFY_NONE;
	w->verify_only = false;
	w->state_loaded = false;
	w->vbacklog = 0;
	if (!w->verify)
		return 0;
	if (o->numjobs > 1)
		snprintf(w->vname, sizeof(w->vname), "%s.%u", job->name, w->clone);
	else
		snprintf(w->vname, sizeof(w->vname), "%s", job->name);
	w->vseed = verify_job_seed(o, w->vname);
	ret = verify_opts_check(o, err, sizeof(err));
	if (ret) {
		job_set_error(job, -ret, "%s", err);
		return ret;
	}
	if (!load && !o->verify_only && opt_on(o->verify_state_save)) {
		/* refused before the first write, not after the write phase */
		char path[PATH_MAX], what[PATH_MAX + 32];

		if (verify_state_path(path, sizeof(path), o->verify_state_save, w->vname)) {
			job_set_error(job, ENAMETOOLONG, "verify_state_save: name too long");
			return -ENAMETOOLONG;
		}
		snprintf(what, sizeof(what), "verify_state_save: %s", path);
		ret = outfile_check(path, 0, what, err, sizeof(err));
		if (ret) {
			job_set_error(job, -ret, "%s", err);
			return ret;
		}
	}
	w->vbacklog = load || o->verify_only ? 0 : o->verify_backlog;
	ret = verify_log_init(&w->vlog, w->vbacklog);
	if (ret) {
		job_set_error(job, -ret, "verify: write log: %s", strerror(-ret));
		return ret;
	}
	w->vlog_ready = true;
	if (w->vbacklog) {
		ret = verify_log_init(&w->vdone, 0);
		if (ret) {
			job_set_error(job, -ret, "verify_backlog: %s", strerror(-ret));
			return ret;
		}
		w->vback = calloc(w->vbacklog, sizeof(*w->vback));
		if (!w->vback) {
			job_set_error(job, ENOMEM, "verify_backlog=%u: out of memory", w->vbacklog);
			return -ENOMEM;
		}
	}
	if (load) {
		char path[PATH_MAX];

		if (verify_state_path(path, sizeof(path), o->verify_state_load, w->vname)) {
			job_set_error(job, ENAMETOOLONG, "verify_state_load: name too long");
			return -ENAMETOOLONG;
		}
		ret = verify_state_load(&w->vlog, path, o, &w->vseed, err, sizeof(err));
		if (ret) {
			job_set_error(job, -ret, "%s", err);
			return ret;
		}
		w->state_loaded = true;
		return 0;
	}
	if (o->verify_only) {
		w->verify_only = true;
		/* blocks written more than once: any generation is right */
		w->replay_any_gen = o->loops > 1 || o->norandommap || o->time_based || w->wl.wrap ||
				    ((o->rw & RW_RAND) && o->random_distribution != DIST_RANDOM);
	}
	return 0;
}

/* cpus_allowed and nice, for this worker thread only. Returns 0 or -errno
 * (job error set). */
/* numa_cpu_nodes: the CPUs of the nodes @nodes names ("all" or a list),
 * read from sysfs (no libnuma needed). Returns 0, -ENOENT when this
 * machine shows no NUMA nodes, or -EINVAL with @why. */
static int thread_placement(struct job *job)
{
	const struct job_opts *o = &job->o;
	bool cpus = o->cpus_allowed && *o->cpus_allowed;
	bool numa = o->numa_cpu_nodes && *o->numa_cpu_nodes;

	if (cpus || numa) {
		cpu_set_t set, nodes;
		char why[128];
		int rc = 0;

		if (cpus && opts_cpu_list(o->cpus_allowed, &set)) {
			job_set_error(job, EINVAL, "cpus_allowed: '%s' is not a CPU list",
				      o->cpus_allowed);
			return -EINVAL;
		}
		if (!cpus && sched_getaffinity(0, sizeof(set), &set))
			CPU_ZERO(&set);
		if (numa) {
			rc = opts_numa_cpus(o->numa_cpu_nodes, &nodes, why, sizeof(why));
			if (rc == -ENOENT) {
				/* what fio without libnuma cannot do either: say so */
				snprintf(job->note, sizeof(job->note),
					 "numa_cpu_nodes=%s: no NUMA nodes under /sys/devices/"
					 "system/node; the job ran on any CPU", o->numa_cpu_nodes);
			} else if (rc) {
				job_set_error(job, EINVAL, "numa_cpu_nodes=%s: %s", o->numa_cpu_nodes,
					      why);
				return rc;
			} else {
				/* as fio: the nodes' CPUs replace cpus_allowed */
				set = nodes;
			}
		}
		/* as fio: split applies to a cpus_allowed set, by job number */
		if (cpus && o->cpus_allowed_policy == CPUS_SPLIT && (!numa || rc == -ENOENT))
			opts_cpus_split(&set, job->id);
		rc = CPU_COUNT(&set) ? pthread_setaffinity_np(pthread_self(), sizeof(set), &set) : 0;
		if (rc) {
			job_set_error(job, rc, "cpus_allowed=%s: %s (this machine has %ld CPUs)",
				      cpus ? o->cpus_allowed : "(all)", strerror(rc),
				      sysconf(_SC_NPROCESSORS_ONLN));
			return -rc;
		}
	}
	if (o->nice && setpriority(PRIO_PROCESS, (id_t)gettid(), o->nice) < 0) {
		int e = errno;

		job_set_error(job, e, "nice=%d: %s", o->nice, strerror(e));
		return -e;
	}
	return 0;
}

/* Whether this thread may use the realtime I/O class (CAP_SYS_ADMIN or
 * CAP_SYS_NICE): tried on the thread itself, then put back. */
static bool ioprio_rt_allowed(void)
{
	long old = syscall(SYS_ioprio_get, 1 /* IOPRIO_WHO_PROCESS */, 0);

	if (old < 0)
		return true; /* cannot tell: the I/Os will say */
	if (syscall(SYS_ioprio_set, 1, 0, (int)ioprio_value(IOPRIO_CLASS_RT, 7)) < 0)
		return errno != EPERM;
	syscall(SYS_ioprio_set, 1, 0, (int)old);
	return true;
}

/* prio/prioclass: the thread's I/O priority (threads of its own, like the
 * offload submit thread, inherit it), as fio sets its job's before the
 * engine starts; then cmdprio's plan and its per-priority stats. Returns
 * 0 or -errno (job error set). */
static bool has_split_opt(const struct job_opts *o)
{
	return o->cmdprio_bssplit && *o->cmdprio_bssplit;
}

static int prio_setup(struct worker *w)
{
	struct job *job = w->job;
	const struct job_opts *o = &job->o;
	struct prio_stats *ps = job->prio_stats;
	char err[200];

	if (cmdprio_thread_prio(o, &w->ioprio) &&
	    syscall(SYS_ioprio_set, 1 /* IOPRIO_WHO_PROCESS */, (int)gettid(), (int)w->ioprio) < 0) {
		int e = errno;

		job_set_error(job, e, "prioclass=%u, prio=%u: ioprio_set: %s%s",
			      ioprio_class_of(w->ioprio), ioprio_level_of(w->ioprio), strerror(e),
			      e == EPERM && ioprio_class_of(w->ioprio) == IOPRIO_CLASS_RT
				      ? " (the realtime class needs CAP_SYS_ADMIN or CAP_SYS_NICE: run as root or "
					"choose prioclass=2)" : "");
		return -e;
	}
	free(w->cmdprio);
	w->cmdprio = NULL;
	if (!cmdprio_wanted(o)) {
		job->prio_stats = NULL; /* a restart without cmdprio */
		prio_stats_free(ps);
		return 0;
	}
	w->cmdprio = malloc(sizeof(*w->cmdprio));
	if (!w->cmdprio) {
		job_set_error(job, ENOMEM, "cmdprio: out of memory");
		return -ENOMEM;
	}
	if (cmdprio_init(w->cmdprio, o, w->ioprio, workload_seed(o, w->index), err,
			 sizeof(err))) {
		job_set_error(job, EINVAL, "%s", err);
		return -EINVAL;
	}
	for (int d = 0; d < 2; d++)
		for (unsigned i = 1; i < w->cmdprio->nr_prios[d]; i++)
			if (ioprio_class_of(w->cmdprio->prios[d][i]) == IOPRIO_CLASS_RT &&
			    !ioprio_rt_allowed()) {
				job_set_error(job, EPERM, "%s: the realtime class (%s) needs "
					      "CAP_SYS_ADMIN or CAP_SYS_NICE: run as root or choose "
					      "class 2", has_split_opt(o) ? "cmdprio_bssplit" :
					      "cmdprio_class", o->cmdprio_class[d] ? "1" : "the default");
				return -EPERM;
			}
	if (ps && ps->nr[0] == w->cmdprio->nr_prios[0] && ps->nr[1] == w->cmdprio->nr_prios[1]) {
		bool same = true;

		for (int d = 0; d < 2; d++)
			for (unsigned i = 0; i < ps->nr[d]; i++)
				same &= ps->e[d][i].ioprio == w->cmdprio->prios[d][i];
		if (same) {
			prio_stats_reset(ps);
			return 0;
		}
	}
	job->prio_stats = prio_stats_new(w->cmdprio->nr_prios, w->cmdprio->prios);
	prio_stats_free(ps);
	if (!job->prio_stats) {
		job_set_error(job, ENOMEM, "cmdprio: out of memory");
		return -ENOMEM;
	}
	return 0;
}

static int worker_setup(struct worker *w)
{
	struct job *job = w->job;
	char err[256];
	int ret;

	if (!job->ops) {
		job_set_error(job, EINVAL, "ioengine: unknown engine '%s'",
			      job->o.ioengine ? job->o.ioengine : "");
		return -EINVAL;
	}
	/* offload: the submit thread stamps issue_ns, so slat exists even for a
	 * sync engine */
	w->sync_engine = (job->ops->flags & ENG_SYNC) && job->o.io_submit_mode != SUBMIT_OFFLOAD;
	if (job->o.io_submit_mode == SUBMIT_OFFLOAD && (job->ops->flags & ENG_NO_OFFLOAD)) {
		job_set_error(job, EINVAL, "io_submit_mode=offload: ioengine=%s does not support it",
			      job->ops->name);
		return -EINVAL;
	}
	w->op_lat = job->ops->flags & ENG_OP_LAT;
	if (job->ops->setup && (ret = job->ops->setup(job)) < 0) {
		if (!job->error)
			job_set_error(job, -ret, "%s: %s", job->ops->name, strerror(-ret));
		return ret;
	}
	ret = iolog_job_setup(job, w->clone); /* read_iolog: rewrites files, rw, bs */
	if (ret)
		return ret;
	w->coe = opts_coe(&job->o);
	w->sync_every = job->o.fsync_blocks ? job->o.fsync_blocks : job->o.fdatasync_blocks;
	w->sync_ddir = job->o.fsync_blocks ? DDIR_SYNC : DDIR_DATASYNC;
	if (!(job->o.rw & RW_WRITE))
		w->sync_every = 0;
	ret = thread_placement(job);
	if (!ret)
		ret = prio_setup(w);
	if (ret)
		return ret;
	ret = worker_setup_files(w);
	if (ret)
		return ret;
	ret = worker_zbd_attach(w);
	if (ret)
		return ret;
	ret = iolog_job_files(job, w->clone); /* write_iolog */
	if (ret)
		return ret;
	if (job->o.invalidate && !job->o.direct && !(job->ops->flags & ENG_NO_FILE_IO))
		worker_invalidate_files(job);
	ret = workload_init(&w->wl, job, w->index, err, sizeof(err));
	if (ret) {
		job_set_error(job, -ret, "%s", err);
		return ret;
	}
	w->wl_ready = true;
	w->wl.zbd.drain = worker_zbd_drain;
	w->wl.zbd.drain_arg = w;
	w->wl.zbd.stop = &job->stop;
	st_relaxed(&job->io_target_bytes,
		   job->o.time_based ? 0 : w->wl.loop_target * (w->wl.loops_left + 1));
	rate_init(&w->rate, &job->o, workload_seed(&job->o, w->index));
	w->wl.rate = &w->rate;
	ret = verify_setup(w);
	if (ret)
		return ret;
	ret = bufdata_init(&w->bd, &job->o, workload_seed(&job->o, w->index), w->index,
			   w->run->njobs, err, sizeof(err));
	if (ret) {
		job_set_error(job, -ret, "%s", err);
		return ret;
	}
	w->serialize = job->o.serialize_overlap && job->o.iodepth > 1;
	if (job->o.flow && !w->flow) {
		job_set_error(job, ENOMEM, "flow: out of memory joining flow %u", job->o.flow_id);
		return -ENOMEM;
	}

	pthread_mutex_lock(&job->knob_lock);
	w->knob_gen = job->knobs.gen;
	pthread_mutex_unlock(&job->knob_lock);
	{
		struct sampler *smp = w->run->sampler;

		w->flog = smp ? sampler_fiolog(smp, job->id) : NULL;
		if (w->flog && !fiolog_per_io(w->flog))
			w->flog = NULL;
	}
	return worker_engine_up(w);
}

static void worker_teardown(struct worker *w)
{
	struct job *job = w->job;

	if (w->engine_up || w->off)
		worker_drain(w);
	worker_engine_down(w);
	if (w->wl_ready)
		workload_free(&w->wl);
	w->wl_ready = false;
	if (w->vlog_ready)
		verify_log_free(&w->vlog);
	w->vlog_ready = false;
	verify_log_free(&w->vdone); /* zeroed when never set up */
	free(w->vback);
	w->vback = NULL;
	if (job->o.unlink && job->ops && !(job->ops->flags & ENG_NO_FILE_IO))
		for (unsigned i = 0; i < job->nr_files; i++) {
			const struct job_file *f = &job->files[i];

			/* see job_file.made */
			if (f->made && f->checked_valid && S_ISREG(f->checked.st_mode))
				(void)outfile_unlink_if_same(f->path, f->checked.st_dev,
							     f->checked.st_ino);
		}
	iolog_job_end(job);
	worker_free_files(job);
}

/* wait_for=NAME: hold until that job has exited. Returns 0 or -errno. */
static int wait_for_job(struct worker *w)
{
	struct job *job = w->job;
	const struct job *t;
	unsigned n = w->run->njobs;
	bool busy = true;

	if (!job->o.wait_for || !job->o.wait_for[0])
		return 0;
	t = run_ctx_find(w->run, job->o.wait_for);
	if (!t || t == job) {
		job_set_error(job, EINVAL, "wait_for: %s '%s'",
			      t ? "a job cannot wait for itself:" : "no job named", job->o.wait_for);
		return -EINVAL;
	}
	if (t->group > job->group) {
		job_set_error(job, EINVAL, "wait_for: '%s' runs in a later group (stonewall)",
			      job->o.wait_for);
		return -EINVAL;
	}
	/* every job of that name (numjobs clones too), as fio */
	while (busy && !ld_relaxed(&job->stop)) {
		busy = false;
		for (unsigned i = 0; i < n && !busy; i++) {
			t = run_ctx_job(w->run, i);
			busy = t != job && t->name && !strcmp(t->name, job->o.wait_for) &&
			       job_runstate(t) < RS_EXITED;
		}
		if (busy)
			clock_wait(clock_now_ns() + 10 * NS_PER_MS, &job->stop, -1);
	}
	return 0;
}

/* exitall: as fio's, one exitall anywhere in the run makes the end of any
 * job stop others, by the ending job's exit_what: the rest of its group
 * (group, the default), every job running now, whatever its group, later
 * groups still starting (stonewall), or everything (all).
 * exitall_on_error (@failed: this job failed with it) does the same for
 * this job only. */
static void exitall_group(struct worker *w, bool failed)
{
	struct job *job = w->job;
	unsigned n = w->run->njobs;
	bool any = failed;

	for (unsigned i = 0; i < n && !any; i++)
		any = run_ctx_job(w->run, i)->o.exitall;
	if (!any)
		return;
	if (job->o.exit_what == EXIT_ALL) {
		run_ctx_stop(w->run, -1);
		return;
	}
	for (unsigned i = 0; i < n; i++) {
		const struct job *o = run_ctx_job(w->run, i);
		enum runstate rs = job_runstate(o);

		if (i == job->id)
			continue;
		/* a job let through the start barrier is running, as fio sets a
		 * whole batch TD_RUNNING before any of it goes on */
		if (job->o.exit_what == EXIT_STONEWALL
			    ? rs < RS_EXITED && (rs >= RS_RUNNING ||
						 (rs == RS_INITIALIZED && ld_acquire(&o->start_gate)))
			    : o->group == job->group)
			run_ctx_stop(w->run, (int)i);
	}
}

int job_io_peers_running(const struct job *job)
{
	const struct worker *w = job->priv;
	const struct run_ctx *rc = w ? w->run : NULL;
	unsigned io_jobs = 0;

	if (!rc)
		return -1;
	for (unsigned i = 0; i < rc->njobs; i++) {
		const struct job *j = rc->jobs[i];
		const struct engine_ops *ops = j->inner_ops ? j->inner_ops : j->ops;

		if (j == job || (ops && (ops->flags & ENG_NO_DATA)))
			continue;
		io_jobs++;
		if (job_runstate(j) < RS_EXITED)
			return 1;
	}
	return io_jobs ? 0 : -1;
}

int worker_plan(struct job *job, FILE *out)
{
	struct worker *w = job->priv;
	const struct job_opts *o = &job->o;
	char err[256], b[32];
	int ret;

	fprintf(out, "%s: rw=%s, ioengine=%s, iodepth=%u%s\n", job->name,
		opt_choice_name(opt_find("rw"), o->rw) ? opt_choice_name(opt_find("rw"), o->rw) : "?",
		o->ioengine ? o->ioengine : "?", o->iodepth, o->direct ? ", direct" : "");
	if (!job->ops) {
		job_set_error(job, EINVAL, "ioengine: unknown engine '%s'",
			      o->ioengine ? o->ioengine : "");
		return -EINVAL;
	}
	if (job->ops->flags & ENG_NO_FILE_IO)
		fprintf(out, "  no files: ioengine=%s does no file I/O\n", job->ops->name);
	/* the same steps as worker_setup: the engine's setup, read_iolog's
	 * files and extent */
	ret = job->ops->setup ? job->ops->setup(job) : 0;
	if (ret < 0 && !job->error)
		job_set_error(job, -ret, "%s: %s", job->ops->name, strerror(-ret));
	if (!ret) {
		ret = iolog_job_setup(job, w->clone);
		if (!ret && job->iolog_replay)
			fprintf(out, "  replays %s: %zu I/Os over %u file%s, rw=%s as the log "
				"says\n", o->read_iolog, job->iolog_replay->nr,
				job->iolog_replay->nr_files,
				job->iolog_replay->nr_files == 1 ? "" : "s",
				opt_choice_name(opt_find("rw"), o->rw) ?
					opt_choice_name(opt_find("rw"), o->rw) : "?");
	}
	w->plan = out;
	if (!ret)
		ret = worker_setup_files(w);
	w->plan = NULL;
	if (!ret) {
		ret = workload_init(&w->wl, job, w->index, err, sizeof(err));
		if (ret) {
			job_set_error(job, -ret, "%s", err);
		} else {
			fmt_size(b, sizeof(b), w->wl.loop_target * (w->wl.loops_left + 1), o->kb_base);
			if (o->time_based)
				fprintf(out, "  runs for %.1f s (time_based), looping over the region\n",
					(double)o->runtime_us / 1e6);
			else
				fprintf(out, "  transfers %s%s\n", b,
					o->runtime_us ? " or stops at runtime, whichever is first" : "");
			workload_free(&w->wl);
		}
	}
	if (ret)
		fprintf(out, "  would fail: %s\n", job->errmsg[0] ? job->errmsg : strerror(-ret));
	worker_free_files(job);
	iolog_job_end(job); /* the replay set up above; no writer was opened */
	return ret;
}

void worker_flow_join(struct job *job)
{
	struct worker *w = job->priv;

	if (!w || !job->o.flow || w->flow)
		return;
	w->flow = flow_join(job->o.flow_id, job->o.flow);
	w->flow_count = 0;
}

void worker_flow_leave(struct job *job)
{
	struct worker *w = job->priv;

	if (!w || !w->flow)
		return;
	flow_leave(w->flow, w->flow_count, job->o.flow);
	w->flow = NULL;
}

void *worker_main(void *arg)
{
	struct job *job = arg;
	struct worker *w = job->priv;
	const struct job_opts *o = &job->o;
	char tname[16];

	snprintf(tname, sizeof(tname), "iolab-%.9s", job->name ? job->name : "job");
	pthread_setname_np(pthread_self(), tname);

	worker_rusage_begin(w);
	job->offload_usr_s = job->offload_sys_s = 0;
	w->quit = false;
	w->buf_bs = 0;
	w->inflight = 0;
	w->nr_pend = 0;
	w->writes_since_sync = 0;
	w->write_issues = 0;
	w->last_was_sync = false;
	w->ratemin_ios = 0;
	w->seq = 0;
	w->ramp_end_ns = 0;
	w->deadline_ns = 0;
	if (worker_setup(w) == 0) {
		worker_set_runstate(job, RS_INITIALIZED, w->wake_fd);
		/* the start barrier; a stop ends the wait within 1 ms */
		while (!ld_acquire(&job->start_gate) && !ld_relaxed(&job->stop))
			clock_wait(clock_now_ns() + NS_PER_MS, &job->stop, -1);
		/* startdelay counts from the start of the run, as fio's (a job
		 * in a later group may not wait at all), before wait_for */
		if (o->startdelay_us)
			worker_sleep_until(w, run_ctx_start_ns(w->run) + o->startdelay_us * NS_PER_US);
		if (!ld_relaxed(&job->stop) && !wait_for_job(w) &&
		    !worker_run_exec(w, "exec_prerun", o->exec_prerun)) {
			if (!ld_relaxed(&job->stop))
				worker_run(w);
			/* a stopped job skips it: a stop would end it at once */
			if (!job->error && !ld_relaxed(&job->stop))
				worker_run_exec(w, "exec_postrun", o->exec_postrun);
		}
	}
	worker_set_runstate(job, RS_FINISHING, w->wake_fd);
	worker_teardown(w);
	record_rusage(w);
	st_relaxed(&job->ended_ns, clock_now_ns());
	exitall_group(w, o->exitall_on_error && ld_relaxed(&job->error));
	worker_set_runstate(job, RS_EXITED, w->wake_fd);
	return NULL;
}
