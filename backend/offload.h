/* io_submit_mode=offload: a submit thread per job queues and commits units
 * the worker hands it, while the worker reaps completions.
 *
 * The worker puts filled units on the waiting list (offload_submit). The
 * submit thread moves them, in order, to the engine (queue + commit) as long
 * as fewer than @capacity are queued; a unit the engine completes inline is
 * passed back on the done list. offload_reap() returns completions from
 * both the done list and the engine. Every unit submitted comes back
 * exactly once.
 *
 * Threads: offload_new/submit/reap/drain/free from the worker only. The
 * engine's queue/commit run on the submit thread, getevents/event on the
 * worker, so an engine used here must allow that split (ENG_NO_OFFLOAD
 * otherwise). */
#ifndef IOLAB_OFFLOAD_H
#define IOLAB_OFFLOAD_H

#include <stdbool.h>
#include <stdint.h>

#include "../engines/engine.h"

struct job;
struct offload;

/* @capacity: units the engine may hold; unit indexes are below it. Returns
 * NULL with errno set. */
struct offload *offload_new(struct job *job, unsigned capacity);
/* Stop the submit thread (units still waiting are handed back as done with
 * ECANCELED), join it and free. */
void offload_free(struct offload *o);

/* Hand a filled unit to the submit thread. */
void offload_submit(struct offload *o, struct io_u *u);
/* Collect at least @min completions (blocking), at most @max, into @out,
 * with each one's completion time in @done_ns (a unit the engine finished
 * inline on the submit thread carries the time it finished there, not the
 * time the worker saw it). Returns the count, or -errno (engine getevents
 * failure). */
int offload_reap(struct offload *o, unsigned min, unsigned max, struct io_u **out,
		 uint64_t *done_ns);
/* Units submitted and not yet returned by offload_reap. */
unsigned offload_outstanding(const struct offload *o);

#endif
