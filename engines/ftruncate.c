/* ftruncate engine: each write is one ftruncate(2) of the file to the
 * unit's offset; no data moves and the block size only steps the offsets
 * (a unit still counts its bs as bytes, as fio's does). rw=write grows the
 * file back block by block after cutting it to the first offset;
 * rw=randwrite sets it to random sizes. Reads and trims are refused when
 * the job is set up (fio fails them with EINVAL at the first I/O). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../backend/job.h"
#include "engine.h"

static int ftrunc_check(const struct job_opts *o, char *err, size_t errlen)
{
	if ((o->rw & (RW_READ | RW_TRIM)) || !(o->rw & RW_WRITE)) {
		snprintf(err, errlen, "rw: ioengine=ftruncate only writes (sets the file's size); "
			 "use rw=write or rw=randwrite");
		return -1;
	}
	return 0;
}

static int ftrunc_setup(struct job *job)
{
	char err[160];

	if (ftrunc_check(&job->o, err, sizeof(err))) {
		job_set_error(job, EINVAL, "ftruncate: %s", err);
		return -EINVAL;
	}
	return 0;
}

static int ftrunc_open(struct job *job, struct job_file *f)
{
	if (f->is_blockdev) {
		job_set_error(job, EINVAL, "ftruncate: %s is a block device; only a regular file "
			      "can be truncated", f->path);
		return -EINVAL;
	}
	return engine_generic_open(job, f);
}

static int ftrunc_queue(struct job *job, struct io_u *u)
{
	int r;

	switch (u->ddir) {
	case DDIR_WRITE:
		do
			r = ftruncate(u->file->fd, (off_t)u->offset);
		while (r < 0 && errno == EINTR);
		u->error = r < 0 ? errno : 0;
		u->resid = r < 0 ? u->buflen : 0;
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

const struct engine_ops engine_ftruncate = {
	.name = "ftruncate",
	.flags = ENG_SYNC,
	.setup = ftrunc_setup,
	.check = ftrunc_check,
	.open_file = ftrunc_open,
	.close_file = engine_generic_close,
	.queue = ftrunc_queue,
};
