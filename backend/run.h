/* The run context: what the threads a backend starts (the jobs' workers and
 * the sampler) see of the run they belong to.
 *
 * The backend owns one and fills it; worker*.c and sampler.c include this
 * header and not backend.h, so the backend depends on them and neither
 * depends on the backend (no backend <-> worker <-> sampler cycle). Fields
 * marked "backend" are written by the control thread only, while no worker
 * or sampler of the run exists or before it is created; "shared" fields
 * are read and written relaxed from any thread. */
#ifndef IOLAB_RUN_H
#define IOLAB_RUN_H

#include <stdint.h>

struct job;
struct sampler;
struct sample_store;
struct zbd_set;

struct run_ctx {
	struct job **jobs;            /* backend: by id, fixed from load to the next load */
	unsigned njobs;               /* backend */
	int wake_fd;                  /* backend: write end of the front end's wake pipe */
	struct sample_store *samples; /* backend: for the backend's whole life */
	struct sampler *sampler;      /* backend: the running sampler, or NULL; set before
				       * the workers start, cleared after they are joined */
	int stop_all;                 /* shared: no further group may start */
	struct zbd_set *zbd;          /* backend: zonemode=zbd zone tables, emptied at
				       * each run's start (their own mutex) */
	uint64_t start_ns;            /* shared: monotonic origin of the sample store's
				       * time; 0 before the run starts */
};

/* Job @id, or NULL. */
static inline struct job *run_ctx_job(const struct run_ctx *rc, unsigned id)
{
	return id < rc->njobs ? rc->jobs[id] : 0;
}

/* The first job named @name, or NULL (wait_for). */
const struct job *run_ctx_find(const struct run_ctx *rc, const char *name);
/* Ask job @id, or all (@id < 0, and no further group may start), to stop;
 * returns at once. Any thread. */
void run_ctx_stop(struct run_ctx *rc, int id);
/* Fail job @id with @err and "what: why" @msg unless it already failed (the
 * sampler's logs that could not be opened or written). Call while the
 * job's worker is not running, or accept first-wins. */
void run_ctx_fail(struct run_ctx *rc, unsigned id, int err, const char *msg);
/* rc->start_ns, any thread. */
uint64_t run_ctx_start_ns(const struct run_ctx *rc);

#endif
