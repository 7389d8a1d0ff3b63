/* io_uring engine (liburing).
 *
 * queue() prepares one SQE (IORING_OP_READ/WRITE, READ_FIXED/WRITE_FIXED with
 * fixedbufs, FSYNC) whose user_data is the unit; commit() is
 * io_uring_submit(); getevents() harvests CQEs straight from the ring into
 * an array of units that event() indexes. At most o.iodepth units are
 * prepared or in flight; beyond that queue() answers Q_BUSY.
 *
 * Options: fixedbufs registers the job's buffer memory (job->buf_mem) once;
 * registerfiles registers a sparse file table and each file is placed in slot
 * (f - job->files) by open_file; sqthread_poll asks for an SQ thread
 * (pinned with sqthread_poll_cpu); hipri asks for a polled ring (needs
 * direct=1). What the kernel refuses falls back to the plain ring with one
 * message on stderr; only a ring that cannot be set up at all fails the job.
 * nowait and uncached put RWF_NOWAIT and RWF_DONTCACHE (buffered only) on
 * every read and write, as pvsync2 does; their refusals fail the I/O.
 *
 * In io_submit_mode=inline the ring uses COOP_TASKRUN (completions wait for
 * the worker's next kernel entry instead of interrupting it), which needs
 * queue/commit and getevents on one thread; offload mode gets a plain ring.
 * Trim completes inline. */
#include <errno.h>
#include <liburing.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../backend/job.h"
#include "engine.h"

#ifndef RWF_NOWAIT
#define RWF_NOWAIT 0x00000008
#endif
#ifndef RWF_DONTCACHE
#define RWF_DONTCACHE 0x00000080 /* Linux 6.14; see pvsync2.c on fio's uncached */
#endif

#define URING_MAX_ENTRIES 32768u
#define URING_BUF_CHUNK (1ull << 30) /* largest buffer the kernel registers */

struct uring_data {
	struct io_uring ring;
	unsigned depth;
	unsigned nr_pending;  /* SQEs prepared, not yet submitted */
	unsigned nr_inflight; /* submitted, CQE not yet reaped */
	bool live;            /* ring is set up */
	bool iopoll;          /* IORING_SETUP_IOPOLL in effect */
	bool no_iopoll;       /* the device refused polled I/O: never again */
	unsigned nr_retry;    /* units refused by polling, to reissue: retry[] */
	struct io_u **retry;
	bool taskrun_flag;    /* IORING_SETUP_TASKRUN_FLAG in effect */
	bool want_bufs;       /* fixedbufs asked, registration not yet tried */
	bool fixedbufs;       /* buffers registered: [buf_lo, buf_hi) */
	bool want_files;      /* registerfiles asked, table not yet created */
	bool fixedfiles;      /* sparse file table registered */
	char *buf_lo, *buf_hi;
	struct io_u **ev;     /* units returned by the last getevents */
	int rw_flags;         /* RWF_* of every read and write: nowait, uncached */
};

/* Prints @fmt once per process under "iolab: job NAME: ". */
#define uring_note(job, said, fmt, ...)                                                  \
	do {                                                                             \
		static int said;                                                         \
		if (!__atomic_exchange_n(&said, 1, __ATOMIC_RELAXED))                    \
			fprintf(stderr, "iolab: job %s: " fmt "\n", (job)->name, ##__VA_ARGS__); \
	} while (0)

static const char *uring_disabled_hint(void)
{
	static char hint[128];
	char v[8] = "";
	FILE *fp = fopen("/proc/sys/kernel/io_uring_disabled", "r");

	if (fp) {
		if (!fgets(v, sizeof(v), fp))
			v[0] = 0;
		fclose(fp);
	}
	v[strcspn(v, "\n")] = 0;
	if (v[0] && v[0] != '0')
		snprintf(hint, sizeof(hint), " (io_uring is disabled: sysctl kernel.io_uring_disabled=%s)", v);
	else
		snprintf(hint, sizeof(hint), " (io_uring is not allowed for this process)");
	return hint;
}

/* Returns 0 or -errno after job_set_error. */
static int uring_setup(struct job *job, struct uring_data *d)
{
	const struct job_opts *o = &job->o;
	struct io_uring_params p;
	unsigned flags = IORING_SETUP_CLAMP, extra = 0;
	int r;

	if (o->hipri && !d->no_iopoll) {
		if (o->direct)
			flags |= IORING_SETUP_IOPOLL;
		else
			uring_note(job, s1, "hipri needs direct=1 (polled I/O bypasses the page cache); using interrupts");
	}
	if (o->sqthread_poll) {
		flags |= IORING_SETUP_SQPOLL;
		if (o->sqthread_poll_cpu >= 0)
			flags |= IORING_SETUP_SQ_AFF;
	} else if (o->io_submit_mode == SUBMIT_INLINE) {
		extra = IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG;
	}
	for (;;) {
		memset(&p, 0, sizeof(p));
		p.flags = flags | extra;
		if (flags & IORING_SETUP_SQ_AFF)
			p.sq_thread_cpu = (unsigned)o->sqthread_poll_cpu;
		r = io_uring_queue_init_params(d->depth, &d->ring, &p);
		if (r == 0)
			break;
		if (extra && r == -EINVAL) {
			extra = 0; /* older kernel: plain task running */
			continue;
		}
		if ((flags & IORING_SETUP_SQ_AFF) && r == -EINVAL) {
			uring_note(job, s2, "sqthread_poll_cpu=%d refused by the kernel; SQ thread not pinned",
				   o->sqthread_poll_cpu);
			flags &= ~IORING_SETUP_SQ_AFF;
			continue;
		}
		if ((flags & IORING_SETUP_SQPOLL) && (r == -EPERM || r == -EINVAL || r == -EOPNOTSUPP)) {
			uring_note(job, s3, "sqthread_poll refused (%s); using a plain ring", strerror(-r));
			flags &= ~(IORING_SETUP_SQPOLL | IORING_SETUP_SQ_AFF);
			if (o->io_submit_mode == SUBMIT_INLINE)
				extra = IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG;
			continue;
		}
		if ((flags & IORING_SETUP_IOPOLL) && (r == -EINVAL || r == -EOPNOTSUPP)) {
			uring_note(job, s4, "hipri refused (%s); using interrupts", strerror(-r));
			flags &= ~IORING_SETUP_IOPOLL;
			continue;
		}
		if (r == -EPERM)
			job_set_error(job, EPERM, "io_uring_queue_init: %s%s", strerror(EPERM), uring_disabled_hint());
		else if (r == -ENOSYS)
			job_set_error(job, ENOSYS, "io_uring_queue_init: %s (kernel without io_uring)",
				      strerror(ENOSYS));
		else if (r == -ENOMEM)
			job_set_error(job, ENOMEM, "io_uring_queue_init(%u): %s (locked-memory limit? see ulimit -l)",
				      d->depth, strerror(ENOMEM));
		else
			job_set_error(job, -r, "io_uring_queue_init(%u): %s", d->depth, strerror(-r));
		return r;
	}
	d->live = true;
	d->iopoll = p.flags & IORING_SETUP_IOPOLL;
	d->taskrun_flag = p.flags & IORING_SETUP_TASKRUN_FLAG;
	if (d->depth > p.sq_entries)
		d->depth = p.sq_entries;
	if ((p.flags & IORING_SETUP_SQPOLL) && !(p.features & IORING_FEAT_SQPOLL_NONFIXED))
		d->want_files = true; /* pre-5.11 SQ threads need registered files */
	return 0;
}

/* Registers job->buf_mem in chunks of at most 1 GiB; on failure the engine
 * goes on with plain reads and writes. */
static void uring_register_bufs(struct job *job, struct uring_data *d)
{
	size_t size = job->buf_size, nr, i;
	struct iovec *iov;
	int r;

	d->want_bufs = false;
	if (!job->buf_mem || !size) {
		uring_note(job, s9, "fixedbufs: the job has no buffer area to register; using plain reads and writes");
		return;
	}
	nr = (size + URING_BUF_CHUNK - 1) / URING_BUF_CHUNK;
	iov = calloc(nr, sizeof(*iov));
	if (!iov) {
		uring_note(job, s5, "fixedbufs: out of memory; using plain reads and writes");
		return;
	}
	for (i = 0; i < nr; i++) {
		iov[i].iov_base = (char *)job->buf_mem + i * URING_BUF_CHUNK;
		iov[i].iov_len = size - i * URING_BUF_CHUNK < URING_BUF_CHUNK ? size - i * URING_BUF_CHUNK
									      : URING_BUF_CHUNK;
	}
	r = io_uring_register_buffers(&d->ring, iov, (unsigned)nr);
	free(iov);
	if (r < 0) {
		uring_note(job, s6, "fixedbufs: io_uring_register_buffers: %s; using plain reads and writes",
			   strerror(-r));
		return;
	}
	d->buf_lo = job->buf_mem;
	d->buf_hi = (char *)job->buf_mem + size;
	d->fixedbufs = true;
}

/* Creates the (sparse) file table: nr_files slots, all empty. */
static void uring_register_files(struct job *job, struct uring_data *d)
{
	unsigned nr = job->nr_files;
	int r;

	d->want_files = false;
	if (!nr)
		return;
	r = io_uring_register_files_sparse(&d->ring, nr);
	if (r == -EINVAL) { /* before 5.19: a table of -1 entries */
		int *fds = malloc(nr * sizeof(*fds));

		if (fds) {
			for (unsigned i = 0; i < nr; i++)
				fds[i] = -1;
			r = io_uring_register_files(&d->ring, fds, nr);
			free(fds);
		} else {
			r = -ENOMEM;
		}
	}
	if (r < 0) {
		uring_note(job, s7, "registerfiles: io_uring_register_files: %s; using plain descriptors",
			   strerror(-r));
		return;
	}
	d->fixedfiles = true;
}

static int uring_init(struct job *job)
{
	struct uring_data *d;
	unsigned depth = job->o.iodepth ? job->o.iodepth : 1;
	int r;

	if (depth > URING_MAX_ENTRIES)
		depth = URING_MAX_ENTRIES;
	d = calloc(1, sizeof(*d));
	if (!d)
		goto nomem;
	d->depth = depth;
	d->rw_flags = (job->o.nowait ? RWF_NOWAIT : 0) |
		      (job->o.uncached && !job->o.direct ? RWF_DONTCACHE : 0);
	d->ev = calloc(depth, sizeof(*d->ev));
	d->retry = calloc(depth, sizeof(*d->retry));
	if (!d->ev || !d->retry)
		goto nomem;
	r = uring_setup(job, d);
	if (r < 0)
		goto err;
	d->want_bufs = job->o.fixedbufs;
	d->want_files = d->want_files || job->o.registerfiles;
	if (d->want_bufs && job->buf_mem)
		uring_register_bufs(job, d);
	if (d->want_files && job->nr_files)
		uring_register_files(job, d);
	job->engine_data = d;
	return 0;
nomem:
	r = -ENOMEM;
	job_set_error(job, ENOMEM, "io_uring: out of memory for iodepth %u", depth);
err:
	if (d) {
		free(d->ev);
		free(d->retry);
	}
	free(d);
	return r;
}

static void uring_cleanup(struct job *job)
{
	struct uring_data *d = job->engine_data;

	if (!d)
		return;
	if (d->live)
		io_uring_queue_exit(&d->ring);
	free(d->ev);
	free(d->retry);
	free(d);
	job->engine_data = NULL;
}

/* f->engine_data: fixed-file slot + 1, or NULL when f goes by its fd. */
static int uring_open(struct job *job, struct job_file *f)
{
	struct uring_data *d = job->engine_data;
	int r, slot;

	f->engine_data = NULL;
	r = engine_generic_open(job, f);
	if (r < 0)
		return r;
	if (d->want_files)
		uring_register_files(job, d);
	if (!d->fixedfiles || f < job->files || f >= job->files + job->nr_files)
		return 0;
	slot = (int)(f - job->files);
	r = io_uring_register_files_update(&d->ring, (unsigned)slot, &f->fd, 1);
	if (r < 0) {
		uring_note(job, s8, "registerfiles: io_uring_register_files_update: %s; using plain descriptors",
			   strerror(-r));
		return 0;
	}
	f->engine_data = (void *)(uintptr_t)(slot + 1);
	return 0;
}

static int uring_close(struct job *job, struct job_file *f)
{
	struct uring_data *d = job->engine_data;
	uintptr_t slot = (uintptr_t)f->engine_data;
	int none = -1;

	if (slot && d && d->live)
		io_uring_register_files_update(&d->ring, (unsigned)(slot - 1), &none, 1);
	f->engine_data = NULL;
	return engine_generic_close(job, f);
}

static int uring_queue(struct job *job, struct io_u *u)
{
	struct uring_data *d = job->engine_data;
	struct io_uring_sqe *sqe;
	uintptr_t slot = (uintptr_t)u->file->engine_data;
	int fd = slot ? (int)(slot - 1) : u->file->fd;
	char *b = u->buf;

	if (d->nr_pending + d->nr_inflight + d->nr_retry >= d->depth)
		return Q_BUSY;
	if (__builtin_expect(!d->live, 0)) {
		u->error = EIO; /* the ring could not be set up again: see job->errmsg */
		u->resid = u->buflen;
		return Q_COMPLETED;
	}
	if (u->ddir == DDIR_TRIM) {
		engine_do_trim(u);
		return Q_COMPLETED;
	}
	if ((unsigned)u->ddir > DDIR_DATASYNC) {
		u->error = EINVAL;
		u->resid = u->buflen;
		return Q_COMPLETED;
	}
	if (d->iopoll && (u->ddir == DDIR_SYNC || u->ddir == DDIR_DATASYNC)) {
		engine_do_sync(u); /* polled rings cannot fsync */
		return Q_COMPLETED;
	}
	sqe = io_uring_get_sqe(&d->ring);
	if (!sqe)
		return Q_BUSY;
	if (__builtin_expect(d->want_bufs, 0))
		uring_register_bufs(job, d);
	switch (u->ddir) {
	case DDIR_READ:
	case DDIR_WRITE: {
		bool rd = u->ddir == DDIR_READ;

		if (d->fixedbufs && b >= d->buf_lo && b + u->buflen <= d->buf_hi &&
		    (size_t)(b - d->buf_lo) / URING_BUF_CHUNK ==
			    (size_t)(b + u->buflen - 1 - d->buf_lo) / URING_BUF_CHUNK) {
			int idx = (int)((size_t)(b - d->buf_lo) / URING_BUF_CHUNK);

			if (rd)
				io_uring_prep_read_fixed(sqe, fd, b, u->buflen, u->offset, idx);
			else
				io_uring_prep_write_fixed(sqe, fd, b, u->buflen, u->offset, idx);
		} else if (rd) {
			io_uring_prep_read(sqe, fd, b, u->buflen, u->offset);
		} else {
			io_uring_prep_write(sqe, fd, b, u->buflen, u->offset);
		}
		sqe->rw_flags = d->rw_flags;
		/* always, as fio: an SQPOLL thread does not run at the job
		 * thread's priority; cmdprio may have chosen another */
		sqe->ioprio = (__u16)u->ioprio;
		break;
	}
	case DDIR_SYNC:
		io_uring_prep_fsync(sqe, fd, 0);
		break;
	case DDIR_DATASYNC:
		io_uring_prep_fsync(sqe, fd, IORING_FSYNC_DATASYNC);
		break;
	default:
		break;
	}
	if (slot)
		sqe->flags |= IOSQE_FIXED_FILE;
	io_uring_sqe_set_data(sqe, u);
	d->nr_pending++;
	return Q_QUEUED;
}

/* Submits what is prepared. EAGAIN/EBUSY leave it for the next commit or
 * getevents (after some completions are reaped). Returns 0 or -errno. */
static int uring_commit(struct job *job)
{
	struct uring_data *d = job->engine_data;
	int r;

	if (!d->nr_pending)
		return 0;
	do
		r = io_uring_submit(&d->ring);
	while (r == -EINTR);
	if (r >= 0) {
		unsigned n = (unsigned)r < d->nr_pending ? (unsigned)r : d->nr_pending;

		d->nr_pending -= n;
		d->nr_inflight += n;
		return 0;
	}
	if (r == -EAGAIN || r == -EBUSY)
		return 0;
	job_set_error(job, -r, "io_uring_submit: %s", strerror(-r));
	return r;
}

static inline void uring_complete(struct io_u *u, int res)
{
	if (res < 0) {
		u->error = -res;
		u->resid = u->buflen;
	} else if (u->ddir == DDIR_READ || u->ddir == DDIR_WRITE) {
		u->error = 0;
		u->resid = (unsigned)res >= u->buflen ? 0 : u->buflen - (uint32_t)res;
	} else {
		u->error = 0;
		u->resid = 0;
	}
}

/* Moves up to @max - @n ready CQEs into d->ev[n...]; returns how many. */
static unsigned uring_reap(struct uring_data *d, unsigned n, unsigned max)
{
	struct io_uring_cqe *cqe;
	unsigned head, seen = 0, got = 0;

	io_uring_for_each_cqe(&d->ring, head, cqe) {
		struct io_u *u = io_uring_cqe_get_data(cqe);

		if (n + got == max)
			break;
		seen++;
		if (!u || cqe->user_data == LIBURING_UDATA_TIMEOUT)
			continue;
		if (__builtin_expect(cqe->res == -EOPNOTSUPP && d->iopoll, 0)) {
			d->retry[d->nr_retry++] = u; /* reissued on a ring without polling */
			d->nr_inflight--;
			continue;
		}
		uring_complete(u, cqe->res);
		d->ev[n + got++] = u;
	}
	io_uring_cq_advance(&d->ring, seen);
	d->nr_inflight -= got;
	return got;
}

/* The device under a polled ring refused polled I/O (no poll queues): once
 * nothing is in flight, swap the ring for one without IOPOLL, register the
 * files and buffers again and reissue the refused units. Returns 0 or -errno
 * (after job_set_error). */
static int uring_drop_iopoll(struct job *job, struct uring_data *d)
{
	unsigned nr = d->nr_retry;
	int r;

	uring_note(job, s10, "hipri: the device refused polled I/O (%s); using interrupts",
		   strerror(EOPNOTSUPP));
	io_uring_queue_exit(&d->ring);
	d->live = false;
	d->no_iopoll = true;
	d->fixedbufs = d->fixedfiles = false;
	r = uring_setup(job, d);
	if (r < 0)
		return r;
	if (job->o.fixedbufs)
		uring_register_bufs(job, d);
	if (job->o.registerfiles || d->want_files)
		uring_register_files(job, d);
	for (unsigned i = 0; i < job->nr_files; i++) {
		struct job_file *f = &job->files[i];
		uintptr_t slot = (uintptr_t)f->engine_data;

		if (!slot)
			continue;
		if (!d->fixedfiles || f->fd < 0 ||
		    io_uring_register_files_update(&d->ring, (unsigned)(slot - 1), &f->fd, 1) < 0)
			f->engine_data = NULL;
	}
	d->nr_retry = 0;
	for (unsigned i = 0; i < nr; i++)
		if (uring_queue(job, d->retry[i]) != Q_QUEUED)
			return -EAGAIN; /* cannot happen: the ring is empty */
	return uring_commit(job);
}

static int uring_getevents(struct job *job, unsigned min, unsigned max, const struct timespec *t)
{
	struct uring_data *d = job->engine_data;
	struct __kernel_timespec kts;
	struct io_uring_cqe *cqe;
	unsigned n, want;
	int r;

	if (d->nr_pending) {
		r = uring_commit(job);
		if (r < 0)
			return r;
	}
	if (max > d->depth)
		max = d->depth;
	if (min > max)
		min = max;
	n = uring_reap(d, 0, max);
	if (d->nr_retry && !d->nr_inflight && !d->nr_pending) {
		r = uring_drop_iopoll(job, d);
		if (r < 0)
			return n ? (int)n : r;
	}
	if (!n && !min && d->nr_inflight &&
	    (d->iopoll || (d->taskrun_flag && (IO_URING_READ_ONCE(*d->ring.sq.kflags) &
					       (IORING_SQ_TASKRUN | IORING_SQ_CQ_OVERFLOW))))) {
		io_uring_get_events(&d->ring);
		n = uring_reap(d, 0, max);
	}
	while (n < min && (d->nr_inflight || d->nr_retry)) {
		if (!d->nr_inflight) {
			r = uring_drop_iopoll(job, d);
			if (r < 0)
				return n ? (int)n : r;
			continue;
		}
		want = min - n < d->nr_inflight ? min - n : d->nr_inflight;
		if (t) {
			kts.tv_sec = t->tv_sec;
			kts.tv_nsec = t->tv_nsec;
			r = io_uring_wait_cqes(&d->ring, &cqe, want, &kts, NULL);
		} else {
			r = io_uring_wait_cqe_nr(&d->ring, &cqe, want);
		}
		if (r < 0 && r != -EINTR && r != -EAGAIN) {
			if (r == -ETIME)
				return (int)(n + uring_reap(d, n, max));
			if (n)
				return (int)n;
			job_set_error(job, -r, "io_uring_wait_cqe: %s", strerror(-r));
			return r;
		}
		n += uring_reap(d, n, max);
		if (t && r != -EINTR)
			break; /* one timed wait: @t bounds the call */
	}
	return (int)n;
}

static struct io_u *uring_event(struct job *job, int i)
{
	struct uring_data *d = job->engine_data;

	return d->ev[i];
}

const struct engine_ops engine_io_uring = {
	.name = "io_uring",
	.flags = 0,
	.init = uring_init,
	.cleanup = uring_cleanup,
	.open_file = uring_open,
	.close_file = uring_close,
	.queue = uring_queue,
	.commit = uring_commit,
	.getevents = uring_getevents,
	.event = uring_event,
};
