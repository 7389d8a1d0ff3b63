/* Synchronous engines: every unit completes inside queue().
 *   sync   - lseek + read/write (lseek skipped when already at the offset)
 *   psync  - pread/pwrite
 *   pvsync - preadv/pwritev with one iovec
 * A short transfer is not retried: u->resid says what was left; EINTR is. */
#include <errno.h>
#include <stdint.h>
#include <sys/uio.h>
#include <unistd.h>

#include "../backend/job.h"
#include "engine.h"

enum sync_kind { K_SYNC, K_PSYNC, K_PVSYNC };

/* f->engine_data of the sync engine: the fd's file position + 1 (0: unknown). */
static inline uint64_t sync_pos(const struct job_file *f)
{
	return (uint64_t)(uintptr_t)f->engine_data;
}

static inline void sync_set_pos(struct job_file *f, uint64_t pos_plus_1)
{
	f->engine_data = (void *)(uintptr_t)pos_plus_1;
}

static inline ssize_t sync_rw(struct io_u *u, enum sync_kind kind)
{
	struct job_file *f = u->file;
	int fd = f->fd;
	bool rd = u->ddir == DDIR_READ;
	ssize_t r;

	switch (kind) {
	case K_SYNC:
		if (sync_pos(f) != u->offset + 1) {
			if (lseek(fd, (off_t)u->offset, SEEK_SET) < 0) {
				sync_set_pos(f, 0);
				return -1;
			}
		}
		do
			r = rd ? read(fd, u->buf, u->buflen) : write(fd, u->buf, u->buflen);
		while (r < 0 && errno == EINTR);
		sync_set_pos(f, r >= 0 ? u->offset + (uint64_t)r + 1 : 0);
		return r;
	case K_PSYNC:
		do
			r = rd ? pread(fd, u->buf, u->buflen, (off_t)u->offset)
			       : pwrite(fd, u->buf, u->buflen, (off_t)u->offset);
		while (r < 0 && errno == EINTR);
		return r;
	case K_PVSYNC:
	default: {
		struct iovec iov = { .iov_base = u->buf, .iov_len = u->buflen };

		do
			r = rd ? preadv(fd, &iov, 1, (off_t)u->offset)
			       : pwritev(fd, &iov, 1, (off_t)u->offset);
		while (r < 0 && errno == EINTR);
		return r;
	}
	}
}

static inline int sync_queue_kind(struct io_u *u, enum sync_kind kind)
{
	ssize_t r;

	switch (u->ddir) {
	case DDIR_READ:
	case DDIR_WRITE:
		r = sync_rw(u, kind);
		if (r < 0) {
			u->error = errno;
			u->resid = u->buflen;
		} else {
			u->error = 0;
			u->resid = u->buflen - (uint32_t)r;
		}
		break;
	case DDIR_TRIM:
		engine_do_trim(u);
		break;
	case DDIR_SYNC:
	case DDIR_DATASYNC:
		engine_do_sync(u);
		break;
	default:
		u->error = EINVAL;
		u->resid = u->buflen;
		break;
	}
	return Q_COMPLETED;
}

static int sync_open(struct job *job, struct job_file *f)
{
	f->engine_data = NULL;
	return engine_generic_open(job, f);
}

static int sync_close(struct job *job, struct job_file *f)
{
	f->engine_data = NULL;
	return engine_generic_close(job, f);
}

static int sync_queue(struct job *job, struct io_u *u)
{
	return sync_queue_kind(u, K_SYNC);
}

static int psync_queue(struct job *job, struct io_u *u)
{
	return sync_queue_kind(u, K_PSYNC);
}

static int pvsync_queue(struct job *job, struct io_u *u)
{
	return sync_queue_kind(u, K_PVSYNC);
}

const struct engine_ops engine_sync = {
	.name = "sync",
	.flags = ENG_SYNC,
	.open_file = sync_open,
	.close_file = sync_close,
	.queue = sync_queue,
};

const struct engine_ops engine_psync = {
	.name = "psync",
	.flags = ENG_SYNC,
	.open_file = engine_generic_open,
	.close_file = engine_generic_close,
	.queue = psync_queue,
};

const struct engine_ops engine_pvsync = {
	.name = "pvsync",
	.flags = ENG_SYNC,
	.open_file = engine_generic_open,
	.close_file = engine_generic_close,
	.queue = pvsync_queue,
};
