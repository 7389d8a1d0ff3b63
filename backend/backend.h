/* The backend: runs jobs on a pool of worker threads and answers the UI.
 *
 * This is the narrow interface between a front end (TUI, headless output,
 * later a remote fio server) and the jobs. Every function may be called from
 * any one control thread (the UI or main thread); the backend's own threads
 * never call back into the caller except through the wake fd.
 *
 * Lifetime: backend_new -> backend_load -> backend_start -> ... ->
 * backend_wait (or backend_stop + backend_wait) -> backend_free.
 * backend_load may be called again after backend_wait to run new jobs. */
#ifndef IOLAB_BACKEND_H
#define IOLAB_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jobfile.h"
#include "job.h"

struct backend;
struct sample_store;

struct backend_config {
	uint64_t status_interval_ms; /* sampler tick, default 1000, min 100 */
	bool allow_exec;             /* exec_prerun/exec_postrun permitted */
	bool allow_write_devices;    /* for --diagnose */
	bool read_only;              /* --readonly: no job creates or extends a
				      * file (jobs that write are refused
				      * before they get here) */
};

struct backend *backend_new(const struct backend_config *cfg);
void backend_free(struct backend *be);

/* Create jobs from @l (copied). Fails if jobs are running. Returns 0 or -1
 * with a message in @err. */
int backend_load(struct backend *be, const struct job_list *l, char *err, size_t errlen);
/* Start all loaded jobs, group by group (stonewall), each after its
 * startdelay. Returns at once; 0 or -errno. */
int backend_start(struct backend *be);
/* Ask one job (@id) or all (@id < 0) to stop; returns at once. */
void backend_stop(struct backend *be, int id);
/* True while any job has not reached RS_EXITED. */
bool backend_running(struct backend *be);
/* Block until every job has exited and been reaped. Returns the number of
 * jobs that failed. */
int backend_wait(struct backend *be);
/* Restart job @id with new options (after it has exited, or stopping it
 * first). Returns 0 or -1 with @err. */
int backend_restart_job(struct backend *be, unsigned id, const struct job_opts *o,
			char *err, size_t errlen);

/* Dry run of the loaded jobs: what each would open, create, lay out and
 * transfer, written to @out; nothing is touched. Returns how many jobs
 * would fail (their errors say why), or -EBUSY while jobs run. */
int backend_plan(struct backend *be, FILE *out);
unsigned backend_njobs(const struct backend *be);
/* The job itself, for reading shared fields and stats (read-only!). */
const struct job *backend_job(const struct backend *be, unsigned id);
/* Monotonic ns when backend_start was called (0 before): the origin of
 * the sample store's time, kept while single jobs are restarted. */
uint64_t backend_start_ns(const struct backend *be);
/* Monotonic ns when the current run began (0 before): backend_start, or
 * backend_restart_job of a job while no other job was active. Elapsed
 * time is counted from here. */
uint64_t backend_run_start_ns(const struct backend *be);

/* Live knobs. @name is an option name (rate, rate_iops, iodepth, rwmixread,
 * bs) and @val its value in job-file syntax, except that one rate or
 * rate_iops value for a job that reads and writes is a total cap split by
 * the mix (rate_split_total) and re-split when the mix changes; "r,w" sets
 * each direction as a job file does. The change is applied by the worker
 * within one I/O and recorded as a marker in the sample store ("bs
 * 8k->64k"). Returns 0, or -1 with a reason in @err. */
int backend_set_knob(struct backend *be, unsigned id, const char *name, const char *val,
		     char *err, size_t errlen);
/* The same for jobs @first .. @first + @count - 1 (a job's clones): every
 * value is checked before any job changes, and one marker covers them. */
int backend_set_knobs(struct backend *be, unsigned first, unsigned count, const char *name,
		      const char *val, char *err, size_t errlen);
/* The numjobs clones job @id belongs to: *first is clone 0's id; returns
 * how many (1 for a job without clones, 0 for no job @id). */
unsigned backend_clones(const struct backend *be, unsigned id, unsigned *first);

/* Samples of every job (see samples.h). Valid until backend_free. */
struct sample_store *backend_samples(struct backend *be);
/* A file descriptor that becomes readable when new samples or state changes
 * are published; the caller drains it with backend_drain_wake(). */
int backend_wake_fd(const struct backend *be);
void backend_drain_wake(struct backend *be);

#endif
