/* A source: what a front end sees of a run, whatever runs it.
 *
 * Front ends (the TUI's screens, the headless status line and results) read
 * a run only through this interface: plain per-job status snapshots, copies
 * of stats, the options each job runs with, the sample store, the report,
 * and a wake fd; they send commands (load, start, stop, restart, knobs)
 * through it. They never see a worker's struct job.
 *
 * A source has a kind, one const struct source_ops each: `local` (this
 * machine's thread pool, source_local_new), `fio-server` (source_fio.h) and
 * `replay` (source_replay.h). A kind declares what it can do in a capability mask; commands it
 * lacks answer -ENOTSUP and screens grey them out.
 *
 * Threads: every source_* function is called from one control thread (the
 * UI or main thread). The kind's own threads reach that thread only through
 * the wake fd.
 *
 * Errors: functions that may fail return 0 or a negative errno; those that
 * take @err also leave a message there ("what: why"). */
#ifndef IOLAB_SOURCE_H
#define IOLAB_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "job.h"
#include "stats.h"

struct source;
struct job_list;
struct job_opts;
struct sample_store;

enum source_cap {
	SRC_CAP_LOAD = 1u << 0,    /* takes a job list (load) */
	SRC_CAP_START = 1u << 1,   /* starts the loaded jobs */
	SRC_CAP_STOP = 1u << 2,    /* stops one job or all */
	SRC_CAP_RESTART = 1u << 3, /* runs one job again with new options */
	SRC_CAP_KNOBS = 1u << 4,   /* live knobs while a job runs */
	SRC_CAP_LIVE = 1u << 5,    /* jobs run now: status and samples move
				    * (a replay is not live) */
};

/* One job as a front end sees it: a plain copy, taken by source_status(),
 * that holds no pointer into the source (names longer than the arrays are
 * cut). */
struct source_status {
	unsigned id;        /* 0 .. source_njobs() - 1 */
	unsigned group;     /* stonewall/new_group group */
	unsigned clone;     /* numjobs clone index; clone 0 is id - clone */
	unsigned nclones;   /* clones of this job, itself included (>= 1) */
	char name[128];     /* fio's name, shared by clones */
	char label[160];    /* what to show: "seqread.2" for clone 2 */
	char host[64];      /* where it runs: "local" for this machine */
	enum runstate runstate;
	unsigned rw;        /* enum rw bits, for runstate_letter() */
	bool stopping;      /* a stop was asked for */
	int error;          /* positive errno of the failure, 0 if none */
	char errmsg[256];   /* "what: why" when error, else "" */
	char note[160];     /* not a failure but the reports say it; set
			     * once the job has exited */
	uint64_t started_ns; /* monotonic ns (this machine's clock), 0: not yet */
	uint64_t ended_ns;   /* 0 until it ends */
	uint64_t io_errors;  /* I/O errors counted so far */
	double done;        /* fraction done 0..1, -1 when unknown */
	double eta_s;       /* seconds left, 0 when exited, -1 when unknown */
	/* Bumps on any change of the fields above other than done, eta_s and
	 * io_errors (which move with every I/O; the sample store's sequence and
	 * the clock cover them). Equal gens: nothing else changed. */
	uint64_t gen;
};

/* One row of a source's hosts view (source_hosts): a host it drives, the
 * same job on every host, or every job of every host. Latency figures are
 * percentiles of the merged latency bins of the row's jobs (every
 * direction), over the last interval while the run goes on and over the
 * whole run once it has ended; 0 when none. */
enum source_host_kind { SH_HOST, SH_JOB, SH_ALL };
struct source_host {
	enum source_host_kind kind;
	char name[128];     /* "HOST,PORT"; the job's name; "All clients" */
	/* SH_HOST: the connection */
	char state[24];     /* "running", "lost", ... */
	char version[40];   /* what the server said it runs ("fio-3.33") */
	char system[96];    /* "Linux x86-64, 8 CPUs, host vm" */
	double rx_age_s;    /* since its last packet; -1: none yet */
	char err[256];      /* why it was lost, or "" */
	/* every kind */
	unsigned jobs, running;
	uint64_t io_errors;
	double iops, bw;    /* summed over the row's jobs */
	uint64_t p50, p99, p999;   /* ns, of the merged bins */
	uint64_t p99_hosts;  /* SH_JOB, SH_ALL: the mean of each host's own
			      * p99 (what averaging would say); 0: none */
	bool whole_run;      /* figures of the whole run, not the last interval */
};

/* One kind. Hooks marked required must be set (source_new checks); a
 * command hook may be NULL only when its capability is absent. All hooks
 * run on the control thread. */
struct source_ops {
	const char *kind;   /* "local", "fio-server", "replay" */
	unsigned caps;      /* enum source_cap */
	/* required */
	unsigned (*njobs)(struct source *s);
	int (*status)(struct source *s, unsigned id, struct source_status *out);
	/* The sum of every job's gen and a count of loads: changes whenever
	 * any status would (besides done/eta/io_errors) or the job set does. */
	uint64_t (*gen)(struct source *s);
	struct sample_store *(*samples)(struct source *s);
	int (*wake_fd)(struct source *s);
	void (*drain_wake)(struct source *s);
	/* optional reads; absent: -ENOTSUP / NULL / 0 */
	int (*stats)(struct source *s, unsigned id, struct job_stats *out);
	const struct job_opts *(*opts)(struct source *s, unsigned id);
	int (*knobs)(struct source *s, unsigned id, struct job_knobs *out);
	int (*report)(struct source *s, FILE *f, unsigned formats, const struct job_opts *global);
	uint64_t (*start_ns)(struct source *s);
	uint64_t (*run_start_ns)(struct source *s);
	bool (*running)(struct source *s);
	/* One line on what this source shows, for a header ("replay of db01,
	 * 2026-12-03 10:00"); absent for a live run. */
	int (*title)(struct source *s, char *buf, size_t len);
	/* Hosts, per job across them, then All: up to @max rows into @out;
	 * returns how many there are (may exceed @max). */
	int (*hosts)(struct source *s, struct source_host *out, int max);
	/* commands, by capability */
	int (*load)(struct source *s, const struct job_list *l, char *err, size_t errlen);
	int (*start)(struct source *s);
	int (*stop)(struct source *s, int id);
	int (*restart)(struct source *s, unsigned id, const struct job_opts *o, char *err,
		       size_t errlen);
	int (*set_knobs)(struct source *s, unsigned first, unsigned count, const char *name,
			 const char *val, char *err, size_t errlen);
	/* Wait for every job to end; returns how many failed, or -errno. */
	int (*reap)(struct source *s);
	/* free what priv holds (not the ops nor the struct source) */
	void (*free)(struct source *s);
};

struct source {
	const struct source_ops *ops;
	void *priv; /* the kind's state */
};

/* A source of kind @ops over @priv. Returns 0 with *@out, -EINVAL when
 * @ops lacks a required hook or a command its caps promise, or -ENOMEM. */
int source_new(const struct source_ops *ops, void *priv, struct source **out);
/* Calls the kind's free hook, then frees @s. NULL is ignored. */
void source_free(struct source *s);

/* The local kind: the thread pool of @be, which the caller keeps and frees
 * after source_free(). Caps: everything. */
struct backend;
struct source *source_local_new(struct backend *be);

static inline const char *source_kind(const struct source *s)
{
	return s->ops->kind;
}

static inline bool source_can(const struct source *s, unsigned caps)
{
	return (s->ops->caps & caps) == caps;
}

/* Reads. source_status: 0, or -ENOENT for no job @id. */
unsigned source_njobs(struct source *s);
int source_status(struct source *s, unsigned id, struct source_status *out);
uint64_t source_gen(struct source *s);
int source_stats(struct source *s, unsigned id, struct job_stats *out);
/* The options job @id runs with; NULL when unknown. Valid until the next
 * load or restart. */
const struct job_opts *source_opts(struct source *s, unsigned id);
/* Knob values now (rate split per direction, iodepth, mix, bs). */
int source_knobs(struct source *s, unsigned id, struct job_knobs *out);
struct sample_store *source_samples(struct source *s);
/* Results in fio's formats (report.h), @global: [global] or NULL. */
int source_report(struct source *s, FILE *f, unsigned formats, const struct job_opts *global);
int source_wake_fd(struct source *s);
void source_drain_wake(struct source *s);
/* Monotonic ns: origin of the sample store's time / start of the current
 * run (elapsed is counted from here); 0 before a start. */
uint64_t source_start_ns(struct source *s);
uint64_t source_run_start_ns(struct source *s);
/* True while a job has not ended (or a group has yet to start). */
bool source_running(struct source *s);
/* The rows of a hosts view (struct source_host), at most @max into @out;
 * returns how many there are: 0 for a kind that drives no hosts. */
int source_hosts(struct source *s, struct source_host *out, int max);

/* What this source shows, in one line, into @buf: 0, or -ENOTSUP (and
 * "") when the kind has nothing to say (a live run). */
int source_title(struct source *s, char *buf, size_t len);

/* Commands. -ENOTSUP without the capability. */
int source_load(struct source *s, const struct job_list *l, char *err, size_t errlen);
int source_start(struct source *s);
/* One job (@id >= 0) or all (@id < 0); returns at once. */
int source_stop(struct source *s, int id);
int source_restart(struct source *s, unsigned id, const struct job_opts *o, char *err,
		   size_t errlen);
/* Knob @name (an option flagged OPTF_LIVE) to @val on jobs @first ..
 * @first + @count - 1; all checked before any changes. */
int source_set_knobs(struct source *s, unsigned first, unsigned count, const char *name,
		     const char *val, char *err, size_t errlen);
int source_reap(struct source *s);

/* Fraction done and seconds left of job @j at @now, the one place they are
 * computed (the local kind's status; tests). done: 0..1 or -1 unknown;
 * eta: 0 once exited, -1 unknown. Any thread; reads shared fields. */
double job_done_frac(const struct job *j, uint64_t now);
double job_eta_s(const struct job *j, uint64_t now);

#endif
