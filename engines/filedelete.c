/* filedelete engine: how fast the filesystem removes files. The files are
 * laid out before the run as for any reading job; the first unit to reach
 * a file unlinks it, and the unlink alone is timed, as a completion
 * latency, one sample per file (fio's filedelete). Units after that, and
 * later passes, find the file gone: a later pass fails with ENOENT, as
 * fio's does.
 *
 * Only a file this job made (created or laid out, backend/job.h made) is
 * removed, and only while its name still leads to the device and inode
 * setup_files recorded (checked):
 * a file that was there before the job, a symlink or a device is refused
 * when the job starts, before anything is deleted. See fileop.h. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../backend/job.h"
#include "../lib/clock.h"
#include "engine.h"
#include "fileop.h"

static int filedelete_init(struct job *job)
{
	for (unsigned i = 0; i < job->nr_files; i++) {
		const struct job_file *f = &job->files[i];

		if (!f->made || !f->checked_valid) {
			job_set_error(job, EPERM, "filedelete: refusing to delete %s: this job did not "
				      "create or lay it out (only files the job makes are deleted; "
				      "remove it first, or name a path that does not exist yet)",
				      f->path);
			return -EPERM;
		}
	}
	return fileop_init(job);
}

static int delete_op(struct job *job, struct job_file *f, bool existed, uint64_t *op_ns,
		     const char **what)
{
	struct stat st;
	uint64_t t0;
	int r;

	*what = "unlink";
	if (lstat(f->path, &st) < 0)
		return errno;
	if (!S_ISREG(st.st_mode) || st.st_dev != f->checked.st_dev || st.st_ino != f->checked.st_ino)
		return ESTALE; /* not the file the job made any more: left alone */
	t0 = clock_now_ns();
	r = unlink(f->path);
	*op_ns = clock_now_ns() - t0;
	return r < 0 ? errno : 0;
}

static int filedelete_queue(struct job *job, struct io_u *u)
{
	return fileop_queue(job, u, delete_op);
}

const struct engine_ops engine_filedelete = {
	.name = "filedelete",
	.flags = ENG_SYNC | ENG_OP_LAT | ENG_NO_OFFLOAD,
	.init = filedelete_init,
	.cleanup = fileop_cleanup,
	.queue = filedelete_queue,
};
