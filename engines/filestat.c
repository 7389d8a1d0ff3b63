/* filestat engine: how fast the filesystem looks files up. The first unit
 * to reach a file in a pass stats it (stat_type: stat, lstat or statx of
 * the basic fields); the call alone is timed, as a completion latency, one
 * sample per file (fio's filestat; fio 3.33's statx also times a realpath()
 * of the name, this one does not). The files are laid out before the run
 * as for any reading job and never opened by the engine. See fileop.h. */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "../backend/job.h"
#include "../lib/clock.h"
#include "engine.h"
#include "fileop.h"

static int stat_op(struct job *job, struct job_file *f, bool existed, uint64_t *op_ns,
		   const char **what)
{
	struct statx stx;
	struct stat st;
	uint64_t t0 = clock_now_ns();
	int r;

	switch (job->o.stat_type) {
	case STAT_LSTAT:
		*what = "lstat";
		r = lstat(f->path, &st);
		break;
	case STAT_STATX:
		*what = "statx";
		r = statx(AT_FDCWD, f->path, 0, STATX_BASIC_STATS, &stx);
		break;
	case STAT_STAT:
	default:
		*what = "stat";
		r = stat(f->path, &st);
		break;
	}
	*op_ns = clock_now_ns() - t0;
	return r < 0 ? errno : 0;
}

static int filestat_queue(struct job *job, struct io_u *u)
{
	return fileop_queue(job, u, stat_op);
}

const struct engine_ops engine_filestat = {
	.name = "filestat",
	.flags = ENG_SYNC | ENG_OP_LAT | ENG_NO_OFFLOAD,
	.init = fileop_init,
	.cleanup = fileop_cleanup,
	.queue = filestat_queue,
};
