/* filecreate engine: how fast the filesystem creates files. The first unit
 * to reach a file in a pass opens it with O_CREAT (mode 0600, an existing
 * file is opened as is and not truncated) and closes it; the open alone is
 * timed, as a completion latency (fio's filecreate: clat only, one sample
 * per file, while every unit counts as an I/O of its bytes). The backend
 * does not lay the files out (ENG_NO_LAYOUT): filesize= only sets how many
 * units a file takes. A file this engine made (it did not exist at setup)
 * is iolab's, so unlink=1 removes it. See fileop.h for the passes. */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../backend/devguard.h"
#include "../backend/job.h"
#include "../lib/clock.h"
#include "engine.h"
#include "fileop.h"

static int create_op(struct job *job, struct job_file *f, bool existed, uint64_t *op_ns,
		     const char **what)
{
	uint64_t t0 = clock_now_ns();
	struct stat st;
	int fd;

	/* no symlink is followed: the path named nothing, or a regular file */
	fd = open(f->path, O_CREAT | O_RDWR | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0600);
	*op_ns = clock_now_ns() - t0;
	if (fd < 0) {
		*what = "open";
		return errno;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) ||
	    (f->checked_valid && (st.st_dev != f->checked.st_dev || st.st_ino != f->checked.st_ino))) {
		/* something else was put there since the job was set up */
		close(fd);
		*what = "open";
		return ESTALE;
	}
	if (f->nofollow && !f->checked_valid) {
		/* a made-up name in a shared directory: ours alone, or refused */
		char why[256];
		int r = devguard_check_shared(&st, why, sizeof(why));

		if (r) {
			close(fd);
			*what = "open";
			return -r;
		}
	}
	if (!existed && !f->checked_valid) {
		/* made by this job: unlink=1 may remove it */
		f->checked = st;
		f->checked_valid = true;
		f->made = true;
	}
	close(fd);
	return 0;
}

static int filecreate_queue(struct job *job, struct io_u *u)
{
	return fileop_queue(job, u, create_op);
}

const struct engine_ops engine_filecreate = {
	.name = "filecreate",
	.flags = ENG_SYNC | ENG_NO_LAYOUT | ENG_OP_LAT | ENG_NO_OFFLOAD,
	.init = fileop_init,
	.cleanup = fileop_cleanup,
	.queue = filecreate_queue,
};
