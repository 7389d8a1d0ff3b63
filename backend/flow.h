/* flow=, flow_id=, flow_sleep=: jobs sharing a flow_id keep their I/O
 * counts in the ratio of their flow weights (fio's token flow control).
 *
 * A flow holds the total weight of the jobs in it and a shared count that
 * starts at 1. Before each I/O a job compares its own count over the shared
 * count with its weight over the total weight: above its share, it is held
 * back (flow_hold() returns true and counts nothing); otherwise its count
 * and the shared count go up by one. A job leaving takes its count and
 * weight out, so the others are no longer held back by it.
 *
 * Threads: flow_join/flow_leave take the registry's mutex; flow_hold is
 * lock-free (relaxed atomics) and is called by the job's worker only. */
#ifndef IOLAB_FLOW_H
#define IOLAB_FLOW_H

#include <stdbool.h>
#include <stdint.h>

struct flow;

/* Join flow @id with @weight (> 0). NULL on ENOMEM. */
struct flow *flow_join(unsigned id, unsigned weight);
/* Leave: take @count (the job's I/Os counted) and @weight out; the last
 * job to leave frees the flow. */
void flow_leave(struct flow *f, uint64_t count, unsigned weight);
/* True when the job (@count I/Os so far, @weight) is above its share and
 * must not issue now; else counts one I/O in *@count and in the flow. */
bool flow_hold(struct flow *f, uint64_t *count, unsigned weight);

#endif
