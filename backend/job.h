/* A running job: one instance of a job_spec, owned by the backend and driven
 * by its own worker thread.
 *
 * Threads: the worker owns everything here except the fields marked
 * "shared", which other threads read (relaxed atomics) or write through the
 * backend's control API (knobs, stop flag). */
#ifndef IOLAB_JOB_H
#define IOLAB_JOB_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

#include "../engines/engine.h"
#include "../lib/rand.h"
#include "options.h"
#include "rates.h"
#include "stats.h"
#include "zbd.h"

/* fio's runstates, in order. */
enum runstate {
	RS_NOT_CREATED = 0,
	RS_CREATED,
	RS_INITIALIZED,
	RS_RAMP,
	RS_RUNNING,
	RS_VERIFYING,
	RS_FSYNCING,
	RS_FINISHING,
	RS_EXITED,
	RS_REAPED,
	RS_NR,
};

/* One letter as fio's status line shows it (R, r, W, w, M, m, D, d, V, F,
 * /, f, E, _, X, ...) for a job in @rs with @rw bits; @failed marks X. */
char runstate_letter(enum runstate rs, unsigned rw, bool failed);
const char *runstate_name(enum runstate rs);
/* Legal transitions only; returns false (and changes nothing) otherwise. */
bool runstate_can_move(enum runstate from, enum runstate to);

struct job_file {
	char *path;
	int fd;
	uint64_t real_size;   /* size of the file or device */
	uint64_t io_start;    /* first byte this job touches */
	uint64_t io_size;     /* bytes in this job's region */
	uint64_t next_off[DDIR_RWDIR_CNT]; /* sequential position */
	bool is_blockdev;
	/* what setup_files checked (devguard.h): every later open of @path must
	 * find the same file, else it is refused */
	bool checked_valid;
	struct stat checked;
	/* iolab created or laid out this file (open_for_layout): only such a
	 * file may unlink=1 remove, and only while the path still names the
	 * regular file in @checked (never a device node, a symlink, a file
	 * found and used as is, a file swapped in since) */
	bool made;
	/* the user did not name this exact path (a made-up name, a read_iolog
	 * path) and it is in a world-writable directory: opened O_NOFOLLOW,
	 * created O_EXCL, an existing file must be ours (devguard_check_shared) */
	bool nofollow;
	void *engine_data;
	/* random map: one bit per minimum block, so each is touched once a pass */
	uint64_t *randmap;
	uint64_t randmap_blocks, randmap_used, randmap_hint;
	unsigned dev_major, dev_minor; /* device under the file, for diskstats */
	struct zbd_file zbd;  /* zonemode=zbd: its zone table (dev NULL: none) */
};

/* Knobs the UI may turn while a job runs. Written by the control thread,
 * read by the worker at the top of each loop iteration. */
struct job_knobs {
	uint64_t gen;                          /* bumped on every change */
	uint64_t rate[DDIR_RWDIR_CNT];
	uint64_t rate_iops[DDIR_RWDIR_CNT];
	/* a total cap the two above were split from by the mix (re-split
	 * when the mix changes), or 0 when they were set per direction */
	uint64_t rate_total, rate_iops_total;
	unsigned iodepth;
	unsigned rwmixread;
	uint32_t bs[DDIR_RWDIR_CNT];
};

struct job {
	unsigned id;       /* index in the backend */
	unsigned clone;    /* 0..numjobs-1: ids id - clone .. are its clones */
	char *name;        /* the job's name as fio has it: clones share it */
	char *label;       /* what front ends show: "seqread.2" for clone 2
			    * (job_spec_label), else the name */
	struct job_opts o; /* private copy */
	unsigned group;
	const struct engine_ops *ops;
	void *engine_data;
	/* Fault injection (engines/inject.c) wraps ops: when set, ops is the
	 * wrapper and inner_ops the real engine; inject_data is the wrapper's. */
	const struct engine_ops *inner_ops;
	void *inject_data;

	struct job_file *files;
	unsigned nr_files, cur_file;

	struct io_u *units;
	unsigned nr_units;
	void *buf_mem;      /* one allocation backing every unit's buffer */
	size_t buf_size;

	struct rand_state rnd_off, rnd_ddir, rnd_bs, rnd_misc;
	struct rand_dist_state dist;

	/* shared: read by other threads */
	int runstate;        /* enum runstate */
	int stop;            /* set by control thread: finish as soon as possible */
	/* 0: once set up (RS_INITIALIZED), the worker waits for the jobs the
	 * controller started with it to be set up too, as fio starts a batch
	 * together; the backend sets it to 1 (release) to let it run */
	int start_gate;
	/* Bumped (job_touch) by whoever changes what a front end's status shows:
	 * runstate, error, stop, knobs, restart. Any thread; readers load it
	 * with acquire before the fields (source_local.c). */
	uint64_t status_gen;
	int error;           /* positive errno of the failure, 0 if none */
	char errmsg[256];    /* "what: why", set once with error */
	/* Not a failure but the reports must say it ("stopped during
	 * ramp_time: no I/O was measured"). Written by the worker before it
	 * reaches RS_EXITED, read after; cleared on restart. */
	char note[160];
	uint64_t bytes_issued[DDIR_RWDIR_CNT], io_target_bytes; /* progress */
	uint64_t started_ns, ended_ns;
	/* CPU seconds of io_submit_mode=offload submit threads, added to the
	 * job's usr/sys when it ends (each thread adds its own as it exits) */
	double offload_usr_s, offload_sys_s;
	struct job_stats stats;
	struct job_rates rates; /* the report's bw and iops series (sampler-written) */
	/* per-priority latencies when the job gives I/Os priorities of their
	 * own (cmdprio), else NULL: made by the worker in its setup (replaced
	 * there if a restart changed its shape), freed with the job; written
	 * by the worker, read as job_stats */
	struct prio_stats *prio_stats;
	struct job_knobs knobs;
	pthread_mutex_t knob_lock; /* protects knobs against concurrent writers only */
	/* latency_target: depth the search allows now (0: no search), and
	 * whether it settled (report, sampler) */
	unsigned lat_depth;
	int lat_settled;
	struct lat_target *lt; /* worker-owned search state, or NULL */
	struct ss_job *ss;     /* steadystate: sampler-owned state, or NULL */

	pthread_t thread;
	void *priv; /* worker-private state (workload, rate, offload, verify) */
	/* worker-owned I/O logs (iolog.h): read_iolog replay, write_iolog */
	struct iolog *iolog_replay;
	struct iolog_writer *iolog_writer;
};

/* A filename= list: split at ':' ("\:" escapes a colon) into @out, at most
 * @max malloc'd names. Returns the count or -ENOMEM. */
int job_split_names(const char *s, char **out, unsigned max);
/* @name under a directory= value, as fio 3.33 reads it: a ':' list ("\:"
 * escapes a colon) where generated file names of clone k go to directory
 * k % count and named files to the first. @name is used as is when absolute
 * or when there is no directory. malloc'd; NULL without memory.
 * job_join_path() is the first directory's (named files; what every check
 * of a job's targets must use, so it opens what the worker opens). */
char *job_join_path_at(const char *dirs, unsigned idx, const char *name);
char *job_join_path(const char *dirs, const char *name);
/* The paths a job opens, as the worker's setup_files resolves them (not for
 * read_iolog, whose paths come from the log): the names of the ':' list
 * o->filename (the first o->nrfiles when nrfiles= is set and smaller), or,
 * when it names none, o->nrfiles (at least 1) names "@base.@clone.I"; each
 * under o->directory (job_join_path_at). The front ends use it to see every
 * target before a run. Returns the count with *@out a malloc'd array of
 * malloc'd paths (job_paths_free), or -ENOMEM. */
int job_target_paths(const struct job_opts *o, const char *base, unsigned clone, char ***out);
void job_paths_free(char **paths, unsigned n);
/* True when job_target_paths makes the names up (filename= names none):
 * the user did not type those paths, so a symlink at one in a
 * world-writable directory is not theirs to be followed (devguard.h). */
bool job_target_generated(const struct job_opts *o);
/* Name of made-up file @filenum of clone @jobnum of job @jobname: @fmt
 * (filename_format) with $jobname, $jobnum, $filenum and $clientuid
 * (empty: no client/server here) replaced, keywords in any case; NULL or ""
 * means fio's "$jobname.$jobnum.$filenum". Returns a heap string or NULL
 * (ENOMEM). */
char *job_format_name(const char *fmt, const char *jobname, unsigned jobnum, unsigned filenum);

/* Record a failure once (first one wins); safe from the worker only.
 * Formats like printf into errmsg; @err is a positive errno. */
void job_set_error(struct job *job, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* exit_on_io_done: whether any other job of the run that moves data (its
 * engine is not ENG_NO_DATA) has yet to exit, counting those of later
 * groups not started yet. Returns 1 while one has, 0 once all have
 * exited, -1 when the run has no such job (or @job no backend). Any
 * thread; reads runstates only. */
int job_io_peers_running(const struct job *job);

static inline void job_touch(struct job *j)
{
	__atomic_add_fetch(&j->status_gen, 1, __ATOMIC_RELEASE);
}

static inline enum runstate job_runstate(const struct job *j)
{
	return (enum runstate)__atomic_load_n(&j->runstate, __ATOMIC_ACQUIRE);
}

#endif
