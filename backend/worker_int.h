/* Private to the worker's own files (backend/worker*.c): what one part of a
 * job's thread calls in another. worker.c is the job's life (setup, start,
 * wait_for, exitall, teardown), worker_io.c the I/O path, worker_files.c
 * file setup and worker_exec.c exec_prerun/exec_postrun. Every function
 * here runs on the job's own thread unless it says otherwise. */
#ifndef IOLAB_WORKER_INT_H
#define IOLAB_WORKER_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "worker.h"

/* Unit buffers and their sizes are aligned to this (O_DIRECT). */
#define BUF_ALIGN 4096

/* Statistics the worker alone writes and other threads read. */
static inline void st_double(double *p, double v)
{
	__atomic_store(p, &v, __ATOMIC_RELAXED);
}

/* A boolean option given as a string (verify_state_save=...): set unless
 * empty or "0". */
static inline bool opt_on(const char *s)
{
	return s && strcmp(s, "0") != 0;
}

/* worker.c */
/* CPU time of the I/O phase only, as fio counts it: file layout and setup
 * before it would otherwise inflate usr/sys against the I/O runtime. */
void worker_rusage_begin(struct worker *w);

/* worker_io.c */
/* Engine init, files, units, offload thread, for depth job->o.iodepth.
 * Returns 0 or -errno (job error set). */
int worker_engine_up(struct worker *w);
void worker_engine_down(struct worker *w);
/* zonemode=zbd's quiesce hook (struct zbd_job.drain, @arg the worker):
 * worker_drain, keeping the unit being filled off the free list. */
int worker_zbd_drain(void *arg);
/* Wait for everything in flight. Returns 0 or -errno. */
int worker_drain(struct worker *w);
/* Sleep until @t or the job's stop (clock_wait). */
void worker_sleep_until(struct worker *w, uint64_t t);
/* The measured run: ramp, the I/O loop, end_fsync, the verify phase. */
void worker_run(struct worker *w);

/* worker_files.c */
/* Names, regions and layout of the job's files (w->plan: describe them
 * instead). Returns 0 or -errno (job error set). */
int worker_setup_files(struct worker *w);
void worker_free_files(struct job *job);
/* zonemode=zbd: join each file's shared zone table and fit the regions to
 * whole zones (backend/zbd.h). Returns 0 or -errno (job error set). */
int worker_zbd_attach(struct worker *w);
/* Open / close every file through the engine. Returns 0 or -errno (job
 * error set). */
int worker_open_files(struct worker *w);
void worker_close_files(struct worker *w);
/* Drops @f's cached pages (a block device's buffers). @sync: write dirty
 * pages first, which would not drop (a fresh layout); fio's drop on each
 * time_based pass does not. Best effort: errors are ignored. */
void worker_invalidate_file(const struct job_file *f, bool sync);
/* invalidate=1: the job starts from a cold page cache, as fio's does, so a
 * buffered read measures the device rather than memory. Best effort. */
void worker_invalidate_files(struct job *job);

/* worker_exec.c */
/* exec_prerun/exec_postrun (@what) running @cmd. Returns 0 or -errno (job
 * error set). */
int worker_run_exec(struct worker *w, const char *what, const char *cmd);

#endif
