/* falloc engine: each I/O is one fallocate(2) of the unit's range, no data
 * moves. Like fio's:
 *   read   preallocate without changing the size (FALLOC_FL_KEEP_SIZE)
 *   write  preallocate, growing the file past its end (mode 0)
 *   trim   punch a hole (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE)
 * Every direction changes the file's allocation, so the file is always
 * opened read-write (created when missing). Regular files only: on a block
 * device only the hole punch would work, and it would discard the data. */
#include <errno.h>
#include <fcntl.h>
#include <linux/falloc.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../backend/devguard.h"
#include "../backend/job.h"
#include "engine.h"

static int falloc_open(struct job *job, struct job_file *f)
{
	char err[512];
	struct stat st;
	int fd;

	if (f->is_blockdev || (f->checked_valid && !S_ISREG(f->checked.st_mode))) {
		job_set_error(job, EINVAL, "falloc: %s is not a regular file (fallocate is tried "
			      "on files only; use a file on the filesystem under test)", f->path);
		return -EINVAL;
	}
	/* through the device guard: the file setup_files checked, or a new one
	 * (never through a symlink at a made-up name: job_file.nofollow) */
	fd = devguard_open(f->path, O_RDWR | O_CREAT | (f->nofollow ? O_NOFOLLOW : 0), 0600,
			   f->checked_valid ? &f->checked : NULL, &st, err, sizeof(err));
	if (fd < 0) {
		job_set_error(job, -fd, "falloc: %s", err);
		return fd;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		job_set_error(job, EINVAL, "falloc: %s is not a regular file", f->path);
		return -EINVAL;
	}
	f->fd = fd;
	return 0;
}

static int falloc_queue(struct job *job, struct io_u *u)
{
	int mode, r;

	switch (u->ddir) {
	case DDIR_READ:
		mode = FALLOC_FL_KEEP_SIZE;
		break;
	case DDIR_WRITE:
		mode = 0;
		break;
	case DDIR_TRIM:
		mode = FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE;
		break;
	case DDIR_SYNC:
	case DDIR_DATASYNC:
		engine_do_sync(u);
		return Q_COMPLETED;
	default:
		u->error = EINVAL;
		u->resid = u->buflen;
		return Q_COMPLETED;
	}
	do
		r = fallocate(u->file->fd, mode, (off_t)u->offset, (off_t)u->buflen);
	while (r < 0 && errno == EINTR);
	u->error = r < 0 ? errno : 0;
	u->resid = r < 0 ? u->buflen : 0;
	return Q_COMPLETED;
}

const struct engine_ops engine_falloc = {
	.name = "falloc",
	.flags = ENG_SYNC,
	.open_file = falloc_open,
	.close_file = engine_generic_close,
	.queue = falloc_queue,
};
