/* posixaio engine: POSIX asynchronous I/O (aio_read/aio_write/aio_fsync,
 * glibc's user-space threads on Linux). queue() starts the request and
 * answers Q_QUEUED, or Q_BUSY at iodepth or when the library is out of
 * resources (EAGAIN); there is nothing to commit. getevents() polls each
 * unit in flight with aio_error() and sleeps in aio_suspend() until enough
 * are done. Trims wait for the queue to empty, then complete inline
 * (punch hole), as fio's posixaio does. */
#include <aio.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../backend/job.h"
#include "../lib/clock.h"
#include "engine.h"

/* job->engine_data */
struct paio_data {
	unsigned depth;
	unsigned nr_queued;     /* in flight, not yet returned by getevents */
	struct io_u **flight;   /* nr_queued units, in submission order */
	struct io_u **ev;       /* completions of the last getevents */
	const struct aiocb **wait; /* aio_suspend's list */
};

/* u->engine_data */
struct paio_unit {
	struct aiocb cb;
};

static int paio_init(struct job *job)
{
	struct paio_data *d = calloc(1, sizeof(*d));
	unsigned depth = job->o.iodepth ? job->o.iodepth : 1;

	if (!d)
		goto nomem;
	d->depth = depth;
	d->flight = calloc(depth, sizeof(*d->flight));
	d->ev = calloc(depth, sizeof(*d->ev));
	d->wait = calloc(depth, sizeof(*d->wait));
	if (!d->flight || !d->ev || !d->wait)
		goto nomem;
	job->engine_data = d;
	return 0;
nomem:
	if (d) {
		free(d->flight);
		free(d->ev);
		free(d->wait);
		free(d);
	}
	job_set_error(job, ENOMEM, "posixaio: out of memory for %u units", depth);
	return -ENOMEM;
}

static void paio_cleanup(struct job *job)
{
	struct paio_data *d = job->engine_data;

	if (!d)
		return;
	free(d->flight);
	free(d->ev);
	free(d->wait);
	free(d);
	job->engine_data = NULL;
}

static int paio_io_u_init(struct job *job, struct io_u *u)
{
	u->engine_data = calloc(1, sizeof(struct paio_unit));
	if (!u->engine_data) {
		job_set_error(job, ENOMEM, "posixaio: out of memory for a control block");
		return -ENOMEM;
	}
	return 0;
}

static void paio_io_u_free(struct job *job, struct io_u *u)
{
	free(u->engine_data);
	u->engine_data = NULL;
}

static int paio_queue(struct job *job, struct io_u *u)
{
	struct paio_data *d = job->engine_data;
	struct aiocb *cb = &((struct paio_unit *)u->engine_data)->cb;
	int r;

	if (u->ddir == DDIR_TRIM) {
		if (d->nr_queued)
			return Q_BUSY;
		engine_do_trim(u);
		return Q_COMPLETED;
	}
	if (d->nr_queued >= d->depth)
		return Q_BUSY;
	memset(cb, 0, sizeof(*cb));
	cb->aio_fildes = u->file->fd;
	cb->aio_buf = u->buf;
	cb->aio_nbytes = u->buflen;
	cb->aio_offset = (off_t)u->offset;
	cb->aio_sigevent.sigev_notify = SIGEV_NONE;
	switch (u->ddir) {
	case DDIR_READ:
		r = aio_read(cb);
		break;
	case DDIR_WRITE:
		r = aio_write(cb);
		break;
	case DDIR_SYNC:
		r = aio_fsync(O_SYNC, cb);
		break;
	case DDIR_DATASYNC:
		r = aio_fsync(O_DSYNC, cb);
		break;
	default:
		u->error = EINVAL;
		u->resid = u->buflen;
		return Q_COMPLETED;
	}
	if (r < 0) {
		if (errno == EAGAIN && d->nr_queued)
			return Q_BUSY; /* out of library resources: reap first */
		u->error = errno;
		u->resid = u->buflen;
		return Q_COMPLETED;
	}
	d->flight[d->nr_queued++] = u;
	return Q_QUEUED;
}

/* Moves the finished units of d->flight to d->ev[from..]; returns how many
 * d->ev holds now, at most @max. */
static unsigned paio_collect(struct paio_data *d, unsigned from, unsigned max)
{
	unsigned n = from, keep = 0;

	for (unsigned i = 0; i < d->nr_queued; i++) {
		struct io_u *u = d->flight[i];
		struct aiocb *cb = &((struct paio_unit *)u->engine_data)->cb;
		int e = n < max ? aio_error(cb) : EINPROGRESS;

		if (e == EINPROGRESS) {
			d->flight[keep++] = u;
			continue;
		}
		if (e == 0) {
			ssize_t r = aio_return(cb);

			u->error = 0;
			u->resid = r >= 0 && (size_t)r <= u->buflen ? u->buflen - (uint32_t)r : u->buflen;
		} else {
			(void)aio_return(cb);
			u->error = e == ECANCELED ? ECANCELED : e;
			u->resid = u->buflen;
		}
		d->ev[n++] = u;
	}
	d->nr_queued = keep;
	return n;
}

static int paio_getevents(struct job *job, unsigned min, unsigned max, const struct timespec *t)
{
	struct paio_data *d = job->engine_data;
	uint64_t deadline = 0;
	unsigned n = 0;

	if (max > d->depth)
		max = d->depth;
	if (min > max)
		min = max;
	if (t)
		deadline = clock_now_ns() + (uint64_t)t->tv_sec * NS_PER_SEC + (uint64_t)t->tv_nsec;
	for (;;) {
		struct timespec left, *tp = NULL;
		uint64_t now;

		n = paio_collect(d, n, max);
		if (n >= min || !d->nr_queued)
			return (int)n;
		if (t) {
			now = clock_now_ns();
			if (now >= deadline)
				return (int)n;
			left.tv_sec = (time_t)((deadline - now) / NS_PER_SEC);
			left.tv_nsec = (long)((deadline - now) % NS_PER_SEC);
			tp = &left;
		}
		for (unsigned i = 0; i < d->nr_queued; i++)
			d->wait[i] = &((struct paio_unit *)d->flight[i]->engine_data)->cb;
		if (aio_suspend(d->wait, (int)d->nr_queued, tp) < 0 && errno != EAGAIN &&
		    errno != EINTR) {
			int e = errno;

			job_set_error(job, e, "posixaio: aio_suspend: %s", strerror(e));
			return -e;
		}
	}
}

static struct io_u *paio_event(struct job *job, int i)
{
	struct paio_data *d = job->engine_data;

	return d->ev[i];
}

/* A unit the library has not started is cancelled; one already running
 * completes on its own. Either way getevents() returns it once. */
static int paio_cancel(struct job *job, struct io_u *u)
{
	struct aiocb *cb = &((struct paio_unit *)u->engine_data)->cb;
	int r = aio_cancel(u->file->fd, cb);

	if (r < 0)
		return -errno;
	return r == AIO_CANCELED ? 0 : -EINPROGRESS;
}

const struct engine_ops engine_posixaio = {
	.name = "posixaio",
	.flags = 0,
	.init = paio_init,
	.cleanup = paio_cleanup,
	.open_file = engine_generic_open,
	.close_file = engine_generic_close,
	.io_u_init = paio_io_u_init,
	.io_u_free = paio_io_u_free,
	.queue = paio_queue,
	.getevents = paio_getevents,
	.event = paio_event,
	.cancel = paio_cancel,
};
