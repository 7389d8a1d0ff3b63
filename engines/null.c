/* null engine: no file I/O. At iodepth 1 every unit completes inline; deeper,
 * queue() parks units, commit() marks the parked ones done and getevents()
 * hands them back. Its speed is the tool's own cost per I/O. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../backend/job.h"
#include "engine.h"

struct null_data {
	unsigned depth;
	unsigned nr_queued;    /* units in q[] */
	unsigned nr_committed; /* q[0..nr_committed) are done */
	struct io_u **q;
	struct io_u **ev;      /* returned by the last getevents */
};

static int null_init(struct job *job)
{
	struct null_data *d;
	unsigned depth = job->o.iodepth ? job->o.iodepth : 1;

	d = calloc(1, sizeof(*d));
	if (!d)
		goto err;
	d->depth = depth;
	if (depth > 1) {
		d->q = calloc(depth, sizeof(*d->q));
		d->ev = calloc(depth, sizeof(*d->ev));
		if (!d->q || !d->ev)
			goto err;
	}
	job->engine_data = d;
	return 0;
err:
	if (d) {
		free(d->q);
		free(d->ev);
		free(d);
	}
	job_set_error(job, ENOMEM, "null engine: out of memory for %u units", depth);
	return -ENOMEM;
}

static void null_cleanup(struct job *job)
{
	struct null_data *d = job->engine_data;

	if (!d)
		return;
	free(d->q);
	free(d->ev);
	free(d);
	job->engine_data = NULL;
}

static int null_open(struct job *job, struct job_file *f)
{
	f->fd = -1;
	return 0;
}

static int null_close(struct job *job, struct job_file *f)
{
	return 0;
}

static int null_queue(struct job *job, struct io_u *u)
{
	struct null_data *d = job->engine_data;

	u->error = 0;
	u->resid = 0;
	if (d->depth == 1)
		return Q_COMPLETED;
	if (d->nr_queued == d->depth)
		return Q_BUSY;
	d->q[d->nr_queued++] = u;
	return Q_QUEUED;
}

static int null_commit(struct job *job)
{
	struct null_data *d = job->engine_data;

	d->nr_committed = d->nr_queued;
	return 0;
}

static int null_getevents(struct job *job, unsigned min, unsigned max, const struct timespec *t)
{
	struct null_data *d = job->engine_data;
	struct io_u **tmp;
	unsigned n;

	/* Nothing ever waits here: units the caller forgot to commit are done too. */
	if (d->nr_committed < min)
		d->nr_committed = d->nr_queued;
	n = d->nr_committed < max ? d->nr_committed : max;
	if (!n)
		return 0;
	if (n == d->nr_queued) {
		tmp = d->ev;
		d->ev = d->q;
		d->q = tmp;
	} else {
		memcpy(d->ev, d->q, n * sizeof(*d->q));
		memmove(d->q, d->q + n, (d->nr_queued - n) * sizeof(*d->q));
	}
	d->nr_queued -= n;
	d->nr_committed -= n;
	return (int)n;
}

static struct io_u *null_event(struct job *job, int i)
{
	struct null_data *d = job->engine_data;

	return d->ev[i];
}

const struct engine_ops engine_null = {
	.name = "null",
	.flags = ENG_NO_FILE_IO | ENG_DISKLESS,
	.init = null_init,
	.cleanup = null_cleanup,
	.open_file = null_open,
	.close_file = null_close,
	.queue = null_queue,
	.commit = null_commit,
	.getevents = null_getevents,
	.event = null_event,
};
