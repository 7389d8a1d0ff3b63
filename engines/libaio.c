/* libaio engine: Linux native AIO through libaio.
 *
 * queue() prepares the unit's iocb (allocated in io_u_init) and parks it in
 * the pending array; commit() hands the pending batch to io_submit();
 * getevents() reaps with io_getevents() and converts each io_event into its
 * unit (the iocb's data field points at the unit). At most o.iodepth units
 * are pending or in flight; beyond that queue() answers Q_BUSY. nowait puts
 * RWF_NOWAIT on every read and write (aio_rw_flags).
 *
 * Units the engine completes itself (trim, fsync when the kernel refuses
 * IOCB_CMD_FSYNC, an iocb io_submit rejects) are either done inline in
 * queue() or, once queued, kept on a local list that the next getevents()
 * returns first. */
#include <errno.h>
#include <sys/uio.h>
#include <libaio.h>

#ifndef IOCB_FLAG_IOPRIO
#define IOCB_FLAG_IOPRIO (1 << 1) /* linux/aio_abi.h, Linux 4.18+ */
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../backend/job.h"
#include "engine.h"

#ifndef RWF_NOWAIT
#define RWF_NOWAIT 0x00000008
#endif

struct aio_data {
	io_context_t ctx;
	unsigned depth;
	unsigned nr_pending;  /* iocbs waiting for commit: pending[0..nr_pending) */
	unsigned nr_inflight; /* submitted, not reaped */
	unsigned nr_local;    /* completed by the engine, not yet returned */
	bool fsync_fallback;  /* the kernel refused IOCB_CMD_FSYNC once */
	unsigned rw_flags;    /* RWF_* of every read and write: nowait */
	struct iocb **pending;
	struct io_event *events;
	struct io_u **local;
	struct io_u **ev;     /* results of the last getevents */
};

static int aio_init(struct job *job)
{
	struct aio_data *d;
	unsigned depth = job->o.iodepth ? job->o.iodepth : 1;
	int r;

	d = calloc(1, sizeof(*d));
	if (!d)
		goto nomem;
	d->depth = depth;
	d->rw_flags = job->o.nowait ? RWF_NOWAIT : 0;
	d->pending = calloc(depth, sizeof(*d->pending));
	d->events = calloc(depth, sizeof(*d->events));
	d->local = calloc(depth, sizeof(*d->local));
	d->ev = calloc(depth, sizeof(*d->ev));
	if (!d->pending || !d->events || !d->local || !d->ev)
		goto nomem;
	do
		r = io_setup((int)depth, &d->ctx);
	while (r == -EINTR);
	if (r < 0) {
		if (r == -EAGAIN)
			job_set_error(job, -r, "io_setup(%u): %s (raise fs.aio-max-nr or lower iodepth)",
				      depth, strerror(-r));
		else
			job_set_error(job, -r, "io_setup(%u): %s", depth, strerror(-r));
		goto err;
	}
	job->engine_data = d;
	return 0;
nomem:
	r = -ENOMEM;
	job_set_error(job, ENOMEM, "libaio: out of memory for iodepth %u", depth);
err:
	if (d) {
		free(d->pending);
		free(d->events);
		free(d->local);
		free(d->ev);
		free(d);
	}
	return r;
}

static void aio_cleanup(struct job *job)
{
	struct aio_data *d = job->engine_data;

	if (!d)
		return;
	io_destroy(d->ctx); /* waits for what is still in flight */
	free(d->pending);
	free(d->events);
	free(d->local);
	free(d->ev);
	free(d);
	job->engine_data = NULL;
}

static int aio_io_u_init(struct job *job, struct io_u *u)
{
	u->engine_data = calloc(1, sizeof(struct iocb));
	if (!u->engine_data) {
		job_set_error(job, ENOMEM, "libaio: out of memory for an iocb");
		return -ENOMEM;
	}
	return 0;
}

static void aio_io_u_free(struct job *job, struct io_u *u)
{
	free(u->engine_data);
	u->engine_data = NULL;
}

static void aio_fsync_refused(struct job *job)
{
	static int said;

	if (!__atomic_exchange_n(&said, 1, __ATOMIC_RELAXED))
		fprintf(stderr, "iolab: job %s: the kernel refused asynchronous fsync (IOCB_CMD_FSYNC);"
			" libaio issues fsync/fdatasync synchronously from now on\n", job->name);
}

static int aio_queue(struct job *job, struct io_u *u)
{
	struct aio_data *d = job->engine_data;
	struct iocb *cb = u->engine_data;
	int fd = u->file->fd;

	if (d->nr_pending + d->nr_inflight + d->nr_local >= d->depth)
		return Q_BUSY;
	if (!cb) {
		job_set_error(job, EINVAL, "libaio: unit %u has no iocb (io_u_init not called)", u->index);
		u->error = EINVAL;
		u->resid = u->buflen;
		return Q_COMPLETED;
	}
	switch (u->ddir) {
	case DDIR_READ:
		io_prep_pread(cb, fd, u->buf, u->buflen, (long long)u->offset);
		cb->aio_rw_flags = d->rw_flags;
		break;
	case DDIR_WRITE:
		io_prep_pwrite(cb, fd, u->buf, u->buflen, (long long)u->offset);
		cb->aio_rw_flags = d->rw_flags;
		break;
	case DDIR_SYNC:
	case DDIR_DATASYNC:
		if (d->fsync_fallback) {
			engine_do_sync(u);
			return Q_COMPLETED;
		}
		if (u->ddir == DDIR_SYNC)
			io_prep_fsync(cb, fd);
		else
			io_prep_fdsync(cb, fd);
		break;
	case DDIR_TRIM:
		engine_do_trim(u);
		return Q_COMPLETED;
	default:
		u->error = EINVAL;
		u->resid = u->buflen;
		return Q_COMPLETED;
	}
	if (u->flags & IOU_CMDPRIO) {
		/* this I/O's own priority (cmdprio); the rest run at the
		 * thread's, which io_submit passes on */
		cb->aio_reqprio = (short)u->ioprio;
		cb->u.c.flags |= IOCB_FLAG_IOPRIO;
	}
	cb->data = u;
	d->pending[d->nr_pending++] = cb;
	return Q_QUEUED;
}

/* io_submit refused the first of @cbs with @err: complete it locally. */
static void aio_reject(struct job *job, struct aio_data *d, struct iocb *cb, int err)
{
	struct io_u *u = cb->data;

	if (err == EINVAL && (u->ddir == DDIR_SYNC || u->ddir == DDIR_DATASYNC)) {
		d->fsync_fallback = true;
		aio_fsync_refused(job);
		engine_do_sync(u);
	} else {
		u->error = err;
		u->resid = u->buflen;
	}
	d->local[d->nr_local++] = u;
}

/* Submits what is pending. With nothing in flight, EAGAIN is retried after a
 * short pause; otherwise what io_submit did not take stays pending for the
 * next commit or getevents. Returns 0 or -errno. */
static int aio_commit(struct job *job)
{
	struct aio_data *d = job->engine_data;
	unsigned done = 0, again = 0;
	int r = 0;

	while (done < d->nr_pending) {
		r = io_submit(d->ctx, (long)(d->nr_pending - done), d->pending + done);
		if (r > 0) {
			done += (unsigned)r;
			d->nr_inflight += (unsigned)r;
			again = 0;
			continue;
		}
		if (r == -EINTR)
			continue;
		if (r == -EAGAIN || r == 0) {
			if (d->nr_inflight || ++again > 1000)
				break;
			usleep(100);
			continue;
		}
		/* The first iocb of the batch was refused. */
		aio_reject(job, d, d->pending[done], -r);
		done++;
	}
	if (done) {
		memmove(d->pending, d->pending + done, (d->nr_pending - done) * sizeof(*d->pending));
		d->nr_pending -= done;
	}
	if (d->nr_pending && !d->nr_inflight && !d->nr_local) {
		r = r < 0 ? r : -EAGAIN;
		job_set_error(job, -r, "io_submit: %s", strerror(-r));
		return r;
	}
	return 0;
}

static inline void aio_complete(struct io_u *u, long res)
{
	if (res < 0) {
		u->error = (int)-res;
		u->resid = u->buflen;
	} else if (u->ddir == DDIR_SYNC || u->ddir == DDIR_DATASYNC) {
		u->error = 0;
		u->resid = 0;
	} else {
		u->error = 0;
		u->resid = (unsigned long)res >= u->buflen ? 0 : u->buflen - (uint32_t)res;
	}
}

static int aio_getevents(struct job *job, unsigned min, unsigned max, const struct timespec *t)
{
	struct aio_data *d = job->engine_data;
	struct timespec ts, *tp = NULL;
	unsigned n = 0, want;
	int r;

	if (d->nr_pending) {
		r = aio_commit(job);
		if (r < 0)
			return r;
	}
	if (max > d->depth)
		max = d->depth;
	if (min > max)
		min = max;
	while (n < max && d->nr_local)
		d->ev[n++] = d->local[--d->nr_local];
	if (n >= max || !d->nr_inflight)
		return (int)n;
	want = min > n ? min - n : 0;
	if (want > d->nr_inflight)
		want = d->nr_inflight;
	if (t) {
		ts = *t;
		tp = &ts;
	}
	do
		r = io_getevents(d->ctx, (long)want, (long)(max - n), d->events, tp);
	while (r == -EINTR);
	if (r < 0) {
		if (n)
			return (int)n;
		job_set_error(job, -r, "io_getevents: %s", strerror(-r));
		return r;
	}
	d->nr_inflight -= (unsigned)r;
	for (int i = 0; i < r; i++) {
		struct io_u *u = d->events[i].data;

		aio_complete(u, (long)d->events[i].res);
		d->ev[n++] = u;
	}
	return (int)n;
}

static struct io_u *aio_event(struct job *job, int i)
{
	struct aio_data *d = job->engine_data;

	return d->ev[i];
}

/* Returns 0 when the unit was cancelled (it is then returned by the next
 * getevents with ECANCELED), or -errno (usually -EINVAL: not cancellable). */
static int aio_cancel(struct job *job, struct io_u *u)
{
	struct aio_data *d = job->engine_data;
	struct io_event ev;
	int r;

	for (unsigned i = 0; i < d->nr_pending; i++) {
		if (d->pending[i]->data != u)
			continue;
		memmove(d->pending + i, d->pending + i + 1, (d->nr_pending - i - 1) * sizeof(*d->pending));
		d->nr_pending--;
		u->error = ECANCELED;
		u->resid = u->buflen;
		d->local[d->nr_local++] = u;
		return 0;
	}
	r = io_cancel(d->ctx, u->engine_data, &ev);
	if (r == -EINPROGRESS)
		return 0; /* newer kernels post the cancelled event to the ring */
	if (r < 0)
		return r;
	d->nr_inflight--;
	u->error = ECANCELED;
	u->resid = u->buflen;
	d->local[d->nr_local++] = u;
	return 0;
}

const struct engine_ops engine_libaio = {
	.name = "libaio",
	.flags = 0,
	.init = aio_init,
	.cleanup = aio_cleanup,
	.open_file = engine_generic_open,
	.close_file = engine_generic_close,
	.io_u_init = aio_io_u_init,
	.io_u_free = aio_io_u_free,
	.queue = aio_queue,
	.commit = aio_commit,
	.getevents = aio_getevents,
	.event = aio_event,
	.cancel = aio_cancel,
};
