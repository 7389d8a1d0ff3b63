/* The worker thread of one job instance (private to backend/).
 *
 * The backend creates a struct worker per job at load time (job->priv) and
 * runs worker_main() on its own thread; everything in struct worker belongs
 * to that thread except the fields under "set by the backend before start".
 *
 * Runstates: CREATED (set by the backend) -> INITIALIZED after setup ->
 * [startdelay] -> RAMP (ramp_time) -> RUNNING -> FSYNCING (end_fsync) ->
 * FINISHING -> EXITED. The backend marks REAPED after joining. */
#ifndef IOLAB_WORKER_H
#define IOLAB_WORKER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/time.h>
#include <sys/types.h>

#include "job.h"
#include "offload.h"
#include "run.h"
#include "rate.h"
#include "verify.h"
#include "bufdata.h"
#include "flow.h"
#include "workload.h"

struct worker {
	struct job *job;

	/* set by the backend before start */
	struct run_ctx *run;  /* the run it belongs to (the backend's) */
	unsigned index;       /* job index in the backend (seeds) */
	unsigned clone;       /* 0..numjobs-1 (offset_increment) */
	int wake_fd;          /* run->wake_fd: one byte per runstate change */
	bool allow_write_devices;
	bool allow_exec;      /* exec_prerun/exec_postrun may run */
	bool read_only;       /* --readonly: never create or extend a file, never
			       * issue a write or trim (a replayed iolog's) */
	uint64_t ro_skipped;  /* --readonly: writes and trims skipped */
	bool end_syncing;     /* end_fsync's syncs in flight: not accounted */

	FILE *plan;           /* dry run: describe the layout here, touch nothing */

	/* worker-owned */
	struct timeval ru_utime0, ru_stime0; /* CPU used before the I/O began */
	struct workload wl;
	bool wl_ready;
	struct rate rate;
	struct io_u *free_list;
	unsigned nr_free;
	unsigned inflight;    /* queued to the engine, not yet reaped */
	struct io_u **pend;   /* queued since the last commit */
	unsigned nr_pend;
	unsigned depth;       /* iodepth in effect */
	uint32_t buf_bs;      /* largest block size seen: unit buffer size */
	unsigned batch_submit, batch_min, batch_max, depth_low;
	bool sync_engine;
	bool op_lat;          /* ENG_OP_LAT: units carry no latency of their own */
	bool engine_up;       /* init succeeded; cleanup owed */
	bool files_open;
	uint64_t knob_gen;
	uint64_t now;         /* last clock read */
	uint64_t ramp_end_ns; /* 0: not ramping */
	uint64_t deadline_ns; /* runtime end; 0: none */
	unsigned sync_every;  /* fsync=/fdatasync= */
	int sync_ddir;
	unsigned writes_since_sync;
	uint64_t write_issues; /* writes queued since the start or ramp's end (fio's io_issues) */
	bool last_was_sync;    /* the last I/O queued was a sync; cleared by a new loop */
	uint64_t ratemin_ios;  /* I/Os completed at the last ratemin check */
	uint64_t commit_start_ns; /* submission of the first write since the last sync; 0: none */
	uint64_t seq;         /* io_u generation counter */
	unsigned coe;         /* continue_on_error mask */
	bool quit;            /* loop must end (error) */
	struct offload *off;  /* io_submit_mode=offload */
	struct fiolog_job *flog; /* per-I/O fio logs (log_avg_msec=0), or NULL */
	uint32_t ioprio;      /* the thread's I/O priority (cmdprio.h), 0: not set */
	struct cmdprio *cmdprio; /* per-I/O priorities, or NULL */
	struct bufdata bd;    /* buffer_pattern, dedupe_percentage */
	struct flow *flow;    /* flow=: the flow joined while running, or NULL */
	uint64_t flow_count;  /* I/Os counted in the flow */
	bool serialize;       /* serialize_overlap with I/O in flight possible */

	/* verify (see verify.h, WORKER CONTRACT) */
	bool verify;          /* verify= set: writes carry checkable data */
	bool verify_only;     /* replay the writes as checked reads */
	bool replay_any_gen;  /* verify_only with overwrites: any generation */
	bool state_loaded;    /* verify_state_load: verify, do not write */
	bool vlog_ready;
	struct verify_log vlog;
	uint64_t vseed;
	unsigned vbacklog;
	struct verify_block *vback; /* verify_backlog batch */
	/* blocks verify_backlog has read back (same generation): the final
	 * verify phase skips them, as fio reads each written block once */
	struct verify_log vdone;
	char vname[128];      /* name for the seed and state file ("job" or "job.N") */
};

/* Allocate a job's worker state; NULL on ENOMEM. */
struct worker *worker_new(struct job *job, struct run_ctx *run, unsigned index, unsigned clone,
			  bool allow_write_devices);
void worker_free(struct worker *w);

/* flow=: the controller joins a job to its flow before the job's thread
 * starts, so the jobs of a group are all in the flow before any of them
 * issues, and takes it out when it reaps the thread (or could not create
 * it), after the job's exitall has stopped the others, as fio does. A
 * failed join (ENOMEM) fails the job in its setup. */
void worker_flow_join(struct job *job);
void worker_flow_leave(struct job *job);

/* Thread entry: @arg is the struct job. */
void *worker_main(void *arg);

/* Dry run: describe on @out what the job would open, create, lay out and
 * transfer, touching nothing (block devices are opened read-only for their
 * size and the safety checks). Returns 0, or -errno with the job's error
 * set when it would fail. */
int worker_plan(struct job *job, FILE *out);

/* Move @job to @rs if legal (runstate_can_move) and poke @wake_fd.
 * Returns true if moved. Any thread. */
bool worker_set_runstate(struct job *job, enum runstate rs, int wake_fd);

/* Child processes (backend/worker_exec.c), for exec_prerun/exec_postrun
 * and the exec engine.
 *
 * exec_spawn: runs @file (looked up in PATH when it has no '/') with @argv,
 * with default signal dispositions and an empty mask (the front end ignores
 * SIGPIPE, workers block SIGINT/SIGTERM), in a process group of its own so
 * that a stop ends it and whatever it started; @outfd/@errfd (-1: inherit)
 * become its stdout/stderr. Returns 0 with *@pid, or -errno.
 *
 * exec_wait_child: waits for child @pid, or for *@stop (NULL: none). When
 * the stop comes first, its process group gets SIGTERM, then SIGKILL after
 * @grace_ns, and *@stopped is set. Returns the wait status, or -1 with
 * errno. */
int exec_spawn(pid_t *pid, const char *file, char *const argv[], int outfd, int errfd);
int exec_wait_child(pid_t pid, const int *stop, uint64_t grace_ns, bool *stopped);

#endif
