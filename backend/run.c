/* The run context (see run.h). */
#include "run.h"

#include <string.h>

#include "../lib/atomic.h"
#include "job.h"

const struct job *run_ctx_find(const struct run_ctx *rc, const char *name)
{
	for (unsigned i = 0; i < rc->njobs; i++)
		if (rc->jobs[i]->name && !strcmp(rc->jobs[i]->name, name))
			return rc->jobs[i];
	return NULL;
}

void run_ctx_stop(struct run_ctx *rc, int id)
{
	if (id < 0) {
		st_relaxed(&rc->stop_all, 1);
		for (unsigned i = 0; i < rc->njobs; i++) {
			st_relaxed(&rc->jobs[i]->stop, 1);
			job_touch(rc->jobs[i]);
		}
		return;
	}
	if ((unsigned)id < rc->njobs) {
		st_relaxed(&rc->jobs[id]->stop, 1);
		job_touch(rc->jobs[id]);
	}
}

void run_ctx_fail(struct run_ctx *rc, unsigned id, int err, const char *msg)
{
	if (id < rc->njobs)
		job_set_error(rc->jobs[id], err, "%s", msg);
}

uint64_t run_ctx_start_ns(const struct run_ctx *rc)
{
	return ld_relaxed(&rc->start_ns);
}
