/* pvsync2 engine: preadv2/pwritev2 with one iovec, completing inline like
 * pvsync, with per-I/O RWF flags from the job's options:
 *   hipri (+ hipri_percentage)  RWF_HIPRI, polled completion, on that share
 *                               of the I/Os, picked at random per I/O
 *   uncached=N (N != 0)         RWF_DONTCACHE on buffered I/O only
 *   nowait                      RWF_NOWAIT: EAGAIN rather than blocking
 * Trims and syncs go through the shared helpers. A short transfer is not
 * retried (u->resid); EINTR is.
 *
 * fio 3.33 sends uncached as 0x40, a flag value that never reached Linux
 * (today's kernels read it as RWF_ATOMIC); the merged form is RWF_DONTCACHE
 * (0x80, Linux 6.14), which later fio sends too and so does this engine. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "../backend/job.h"
#include "engine.h"

#ifndef RWF_HIPRI
#define RWF_HIPRI 0x00000001
#endif
#ifndef RWF_NOWAIT
#define RWF_NOWAIT 0x00000008
#endif
#ifndef RWF_DONTCACHE
#define RWF_DONTCACHE 0x00000080
#endif

/* job->engine_data */
struct pvsync2_data {
	int flags;             /* RWF flags every I/O carries */
	unsigned hipri_pct;    /* 0..100: share of I/Os with RWF_HIPRI */
	struct rand_state rnd; /* for hipri_percentage */
	bool hinted;           /* an unsupported-flag error was explained */
};

static int pvsync2_init(struct job *job)
{
	const struct job_opts *o = &job->o;
	struct pvsync2_data *d = calloc(1, sizeof(*d));

	if (!d) {
		job_set_error(job, ENOMEM, "pvsync2: out of memory");
		return -ENOMEM;
	}
	if (o->uncached && !o->direct)
		d->flags |= RWF_DONTCACHE;
	if (o->nowait)
		d->flags |= RWF_NOWAIT;
	d->hipri_pct = o->hipri ? o->hipri_percentage : 0;
	rand_seed(&d->rnd, (o->randseed_set ? o->randseed : 0x70767332ULL) ^ job->id);
	job->engine_data = d;
	return 0;
}

static void pvsync2_cleanup(struct job *job)
{
	free(job->engine_data);
	job->engine_data = NULL;
}

/* A flag this kernel or filesystem refuses fails the job once with which
 * option asked for it (continue_on_error leaves the count to the worker). */
static void pvsync2_explain(struct job *job, struct pvsync2_data *d, const struct io_u *u,
			    int flags)
{
	unsigned coe = u->ddir == DDIR_READ ? COE_READ : COE_WRITE;
	const char *what = NULL;

	if (d->hinted || (job->o.continue_on_error & coe))
		return;
	if (u->error == EOPNOTSUPP || u->error == EINVAL) {
		if (flags & RWF_DONTCACHE)
			what = "uncached: RWF_DONTCACHE needs Linux 6.14+ and a filesystem that supports it";
		else if (flags & RWF_NOWAIT)
			what = "nowait: this filesystem cannot do RWF_NOWAIT I/O";
		else if (flags & RWF_HIPRI)
			what = "hipri: RWF_HIPRI refused";
	} else if (u->error == EAGAIN && (flags & RWF_NOWAIT)) {
		what = "nowait: the I/O would have blocked (RWF_NOWAIT)";
	}
	if (!what)
		return;
	d->hinted = true;
	job_set_error(job, u->error, "pvsync2: %s at offset %llu of %s: %s (%s)",
		      u->ddir == DDIR_READ ? "preadv2" : "pwritev2", (unsigned long long)u->offset,
		      u->file->path, strerror(u->error), what);
}

static int pvsync2_queue(struct job *job, struct io_u *u)
{
	struct pvsync2_data *d = job->engine_data;
	struct iovec iov = { .iov_base = u->buf, .iov_len = u->buflen };
	int fd = u->file->fd, flags = d->flags;
	ssize_t r;

	switch (u->ddir) {
	case DDIR_READ:
	case DDIR_WRITE:
		if (d->hipri_pct && (d->hipri_pct >= 100 || rand_below(&d->rnd, 100) < d->hipri_pct))
			flags |= RWF_HIPRI;
		do
			r = u->ddir == DDIR_READ ? preadv2(fd, &iov, 1, (off_t)u->offset, flags)
						 : pwritev2(fd, &iov, 1, (off_t)u->offset, flags);
		while (r < 0 && errno == EINTR);
		if (r < 0) {
			u->error = errno;
			u->resid = u->buflen;
			pvsync2_explain(job, d, u, flags);
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

const struct engine_ops engine_pvsync2 = {
	.name = "pvsync2",
	.flags = ENG_SYNC,
	.init = pvsync2_init,
	.cleanup = pvsync2_cleanup,
	.open_file = engine_generic_open,
	.close_file = engine_generic_close,
	.queue = pvsync2_queue,
};
