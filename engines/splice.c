/* splice engine: data goes through a pipe owned by the job.
 *   read:  splice(file -> pipe), then vmsplice(pipe -> buffer); if the
 *          kernel refuses vmsplice into user memory, read() from the pipe.
 *   write: vmsplice(buffer -> pipe), then splice(pipe -> file).
 * Transfers larger than the pipe go in pipe-sized pieces. EAGAIN and ENODATA
 * from splice are retried (bounded); EINTR always. A short read at end of file
 * sets u->resid. The pipe is always empty when queue() returns. Every unit
 * completes inside queue(). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "../backend/job.h"
#include "engine.h"

#define SPLICE_RETRIES 1000
#define SPLICE_PIPE_MAX (1u << 20)

struct splice_data {
	int pipe[2];          /* [0] read end, [1] write end */
	size_t pipe_size;     /* bytes the pipe holds */
	bool no_vmsplice_out; /* vmsplice pipe -> user refused: read() instead */
};

static uint32_t splice_max_bs(const struct job_opts *o)
{
	uint32_t m = 0;

	for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
		if (o->bs[d] > m)
			m = o->bs[d];
		if (o->bs_max[d] > m)
			m = o->bs_max[d];
	}
	return m;
}

static int splice_make_pipe(struct job *job, struct splice_data *d)
{
	uint32_t want = splice_max_bs(&job->o);
	int r;

	if (pipe2(d->pipe, O_CLOEXEC) < 0) {
		r = -errno;
		job_set_error(job, errno, "splice: pipe2: %s", strerror(errno));
		return r;
	}
	if (want > SPLICE_PIPE_MAX)
		want = SPLICE_PIPE_MAX;
	if (want > 65536)
		fcntl(d->pipe[1], F_SETPIPE_SZ, (int)want); /* best effort */
	r = fcntl(d->pipe[1], F_GETPIPE_SZ);
	d->pipe_size = r > 0 ? (size_t)r : 65536;
	return 0;
}

static void splice_close_pipe(struct splice_data *d)
{
	if (d->pipe[0] >= 0)
		close(d->pipe[0]);
	if (d->pipe[1] >= 0)
		close(d->pipe[1]);
	d->pipe[0] = d->pipe[1] = -1;
}

static int splice_init(struct job *job)
{
	struct splice_data *d = calloc(1, sizeof(*d));
	int r;

	if (!d) {
		job_set_error(job, ENOMEM, "splice: out of memory");
		return -ENOMEM;
	}
	d->pipe[0] = d->pipe[1] = -1;
	r = splice_make_pipe(job, d);
	if (r < 0) {
		free(d);
		return r;
	}
	job->engine_data = d;
	return 0;
}

static void splice_cleanup(struct job *job)
{
	struct splice_data *d = job->engine_data;

	if (!d)
		return;
	splice_close_pipe(d);
	free(d);
	job->engine_data = NULL;
}

/* After a failure the pipe may hold bytes: start over with a fresh one. */
static void splice_reset_pipe(struct job *job, struct splice_data *d)
{
	splice_close_pipe(d);
	splice_make_pipe(job, d);
}

/* splice with the retries the engine allows. Returns bytes or -errno. */
static ssize_t splice_retry(int in, loff_t *off_in, int out, loff_t *off_out, size_t len)
{
	ssize_t r;
	int tries = 0;

	for (;;) {
		r = splice(in, off_in, out, off_out, len, SPLICE_F_MOVE);
		if (r >= 0)
			return r;
		if (errno == EINTR)
			continue;
		if ((errno == EAGAIN || errno == ENODATA) && ++tries < SPLICE_RETRIES)
			continue;
		return -errno;
	}
}

static void splice_note_vmsplice(struct job *job, int err)
{
	static int said;

	if (!__atomic_exchange_n(&said, 1, __ATOMIC_RELAXED))
		fprintf(stderr, "iolab: job %s: vmsplice from a pipe into memory failed (%s); splice reads"
			" copy out of the pipe with read() from now on\n", job->name, strerror(err));
}

/* Moves @len bytes the pipe holds into @p. Returns 0 or -errno. */
static int splice_drain(struct job *job, struct splice_data *d, char *p, size_t len)
{
	ssize_t m;

	while (len) {
		if (!d->no_vmsplice_out) {
			struct iovec iov = { .iov_base = p, .iov_len = len };

			m = vmsplice(d->pipe[0], &iov, 1, 0);
			if (m < 0 && errno != EINTR && errno != EAGAIN) {
				d->no_vmsplice_out = true;
				splice_note_vmsplice(job, errno);
				continue;
			}
		} else {
			m = read(d->pipe[0], p, len);
			if (m < 0 && errno != EINTR && errno != EAGAIN)
				return -errno;
		}
		if (m == 0)
			return -EIO; /* the pipe lost what splice put in */
		if (m < 0)
			continue;
		p += m;
		len -= (size_t)m;
	}
	return 0;
}

/* Returns bytes read (short at end of file) or -errno. */
static ssize_t splice_read(struct job *job, struct splice_data *d, struct io_u *u)
{
	loff_t off = (loff_t)u->offset;
	char *p = u->buf;
	size_t left = u->buflen, done = 0;
	ssize_t n;
	int r;

	while (left) {
		n = splice_retry(u->file->fd, &off, d->pipe[1], NULL,
				 left < d->pipe_size ? left : d->pipe_size);
		if (n < 0)
			return done ? (ssize_t)done : n;
		if (n == 0)
			break; /* end of file */
		r = splice_drain(job, d, p, (size_t)n);
		if (r < 0)
			return r;
		p += n;
		done += (size_t)n;
		left -= (size_t)n;
	}
	return (ssize_t)done;
}

/* Returns bytes written or -errno. */
static ssize_t splice_write(struct splice_data *d, struct io_u *u)
{
	loff_t off = (loff_t)u->offset;
	char *p = u->buf;
	size_t left = u->buflen, done = 0;
	ssize_t m, n;

	while (left) {
		struct iovec iov = { .iov_base = p, .iov_len = left < d->pipe_size ? left : d->pipe_size };

		do
			m = vmsplice(d->pipe[1], &iov, 1, 0);
		while (m < 0 && errno == EINTR);
		if (m < 0)
			return done ? (ssize_t)done : -errno;
		if (m == 0)
			return -EIO;
		for (ssize_t in_pipe = m; in_pipe > 0; in_pipe -= n) {
			n = splice_retry(d->pipe[0], NULL, u->file->fd, &off, (size_t)in_pipe);
			if (n < 0)
				return n;
			if (n == 0)
				return -ENOSPC;
		}
		p += m;
		done += (size_t)m;
		left -= (size_t)m;
	}
	return (ssize_t)done;
}

static void splice_direct_refused(struct job *job, int err)
{
	job_set_error(job, err, "splice: %s with direct=1 (this kernel or filesystem cannot splice"
		      " O_DIRECT files; use direct=0 or another ioengine)", strerror(err));
}

static int splice_queue(struct job *job, struct io_u *u)
{
	struct splice_data *d = job->engine_data;
	ssize_t r;

	switch (u->ddir) {
	case DDIR_READ:
	case DDIR_WRITE:
		r = u->ddir == DDIR_READ ? splice_read(job, d, u) : splice_write(d, u);
		if (r < 0) {
			u->error = (int)-r;
			u->resid = u->buflen;
			if (job->o.direct && r == -EINVAL)
				splice_direct_refused(job, EINVAL);
			splice_reset_pipe(job, d);
		} else {
			u->error = 0;
			u->resid = u->buflen - (uint32_t)r;
		}
		break;
	case DDIR_SYNC:
	case DDIR_DATASYNC:
		engine_do_sync(u);
		break;
	case DDIR_TRIM:
		engine_do_trim(u);
		break;
	default:
		u->error = EINVAL;
		u->resid = u->buflen;
		break;
	}
	return Q_COMPLETED;
}

const struct engine_ops engine_splice = {
	.name = "splice",
	.flags = ENG_SYNC,
	.init = splice_init,
	.cleanup = splice_cleanup,
	.open_file = engine_generic_open,
	.close_file = engine_generic_close,
	.queue = splice_queue,
};
