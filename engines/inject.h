/* Fault injection around any engine (inject_error=, inject_delay=,
 * inject_delay_perc=).
 *
 * inject_wrap() puts a wrapper ops table in front of the job's engine:
 * job->inner_ops becomes the real engine, job->ops the wrapper (same name
 * and flags; a hook is present exactly when the engine has it), and the
 * wrapper's state lives in job->inject_data. The engine keeps using
 * job->engine_data and never sees the wrapper.
 *
 * Errors: when a unit completes without an error of its own (inline
 * Q_COMPLETED, or reaped by getevents), one draw picks the first
 * inject_error entry whose cumulative percentage covers it; the unit gets
 * that errno and resid = buflen. Entries with perc 0 count as 100%.
 * Delays: a draw under inject_delay_perc (0 counts as 100%) delays the
 * completion by inject_delay: a unit completed inline is slept on before
 * queue() returns Q_COMPLETED; a reaped unit is held back by the wrapper and
 * returned by a later getevents() once due. Either way the delay lands in
 * the unit's completion latency. Every unit queued comes back exactly once.
 * Draws come from per-job generators seeded from randseed and the job id,
 * so a job file gives the same faults on every run.
 *
 * Threads: queue() may run on the submit thread (io_submit_mode=offload)
 * while getevents()/event() run on the worker, as for any engine. */
#ifndef IOLAB_INJECT_H
#define IOLAB_INJECT_H

#include <stdbool.h>
#include <stdint.h>

struct job;

/* Wraps job->ops when job->o asks for injected errors or delays; a no-op
 * (returning 0) otherwise or when already wrapped. Call after job->ops is
 * set (else -EINVAL) and before or after ops->init. Returns 0, -EINVAL or
 * -ENOMEM. */
int inject_wrap(struct job *job);
/* Frees the wrapper and restores job->ops; a no-op when not wrapped. The
 * wrapper's cleanup hook calls it after the engine's cleanup, so call it only
 * when ops->cleanup will not run. */
void inject_unwrap(struct job *job);
/* True while job->ops is the wrapper. */
bool inject_active(const struct job *job);

struct inject_stats {
	uint64_t completions; /* units that passed the wrapper */
	uint64_t errors;      /* errors injected */
	uint64_t delays;      /* completions delayed */
	unsigned held;        /* units held back right now */
};

/* Counters so far (zeros when not wrapped). Any thread; relaxed reads. */
void inject_get_stats(const struct job *job, struct inject_stats *st);

#endif
