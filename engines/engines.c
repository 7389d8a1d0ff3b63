/* Engine registry and the file helpers shared by the file engines. */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../backend/job.h"
#include "engine.h"
#include "../backend/devguard.h"

static const struct engine_ops *const all_engines[] = {
	&engine_null,
	&engine_sync,
	&engine_psync,
	&engine_pvsync,
	&engine_libaio,
	&engine_io_uring,
	&engine_mmap,
	&engine_splice,
	&engine_pvsync2,
	&engine_posixaio,
	&engine_falloc,
	&engine_ftruncate,
	&engine_cpuio,
	&engine_filecreate,
	&engine_filestat,
	&engine_filedelete,
	&engine_exec,
	&engine_e4defrag,
};

#define NR_ENGINES (sizeof(all_engines) / sizeof(all_engines[0]))

/* Tables that passed engine_check, NULL-terminated; filled once. */
static const struct engine_ops *registered[NR_ENGINES + 1];
static pthread_once_t register_once = PTHREAD_ONCE_INIT;

int engine_check(const struct engine_ops *ops)
{
	if (!ops || !ops->name || !ops->name[0])
		return -EINVAL;
	if (!ops->queue)
		return -EINVAL;
	if (!(ops->flags & ENG_SYNC) && (!ops->getevents || !ops->event))
		return -EINVAL;
	/* engine_op_lat writes the job's stats: only ever from its worker */
	if ((ops->flags & ENG_OP_LAT) && (ops->flags & (ENG_SYNC | ENG_NO_OFFLOAD)) !=
					     (ENG_SYNC | ENG_NO_OFFLOAD))
		return -EINVAL;
	return 0;
}

static void register_all(void)
{
	unsigned n = 0;

	for (unsigned i = 0; i < NR_ENGINES; i++) {
		if (engine_check(all_engines[i])) {
			fprintf(stderr, "iolab: engine '%s' left out: its ops table lacks a required hook or flag\n",
				all_engines[i]->name ? all_engines[i]->name : "?");
			continue;
		}
		registered[n++] = all_engines[i];
	}
	registered[n] = NULL;
}

const struct engine_ops *const *engine_list(void)
{
	pthread_once(&register_once, register_all);
	return registered;
}

const struct engine_ops *engine_find(const char *name)
{
	const struct engine_ops *const *e;

	if (!name)
		return NULL;
	for (e = engine_list(); *e; e++)
		if (!strcasecmp((*e)->name, name))
			return *e;
	return NULL;
}

static bool job_writes(const struct job *job)
{
	return job->o.rw & (RW_WRITE | RW_TRIM);
}

int engine_generic_open(struct job *job, struct job_file *f)
{
	bool wr = job_writes(job);
	int flags = wr ? O_RDWR | O_CREAT : O_RDONLY;
	char err[512];
	struct stat st;
	int fd;

	if (job->o.direct)
		flags |= O_DIRECT;
	if (f->nofollow)
		flags |= O_NOFOLLOW; /* see job_file.nofollow */
	/* the device guard: no FIFO or odd device is opened, and the file
	 * must be the one setup_files checked */
	fd = devguard_open(f->path, flags, 0600, f->checked_valid ? &f->checked : NULL, &st, err,
			   sizeof(err));
	if (fd < 0) {
		if (fd == -EINVAL && job->o.direct)
			job_set_error(job, EINVAL, "%s (direct=1: the filesystem may not support O_DIRECT)",
				      err);
		else if (fd == -ENOENT && !wr)
			job_set_error(job, ENOENT, "%s (a read-only job does not create its file)", err);
		else
			job_set_error(job, -fd, "%s", err);
		return fd;
	}
	if (S_ISBLK(st.st_mode))
		f->is_blockdev = true;
	f->fd = fd;
	return 0;
}

int engine_generic_close(struct job *job, struct job_file *f)
{
	int ret = 0;

	if (f->fd < 0)
		return 0;
	if (job->o.fsync_on_close && job_writes(job) && fsync(f->fd) < 0) {
		ret = -errno;
		job_set_error(job, errno, "fsync(%s) on close: %s", f->path, strerror(errno));
	}
	if (close(f->fd) < 0 && !ret && errno != EINTR) {
		ret = -errno;
		job_set_error(job, errno, "close(%s): %s", f->path, strerror(errno));
	}
	f->fd = -1;
	return ret;
}

void engine_do_sync(struct io_u *u)
{
	int fd = u->file->fd, r;

	do
		r = u->ddir == DDIR_DATASYNC ? fdatasync(fd) : fsync(fd);
	while (r < 0 && errno == EINTR);
	u->error = r < 0 ? errno : 0;
	u->resid = 0;
}

void engine_do_trim(struct io_u *u)
{
	struct job_file *f = u->file;
	int r;

	do {
		if (f->is_blockdev) {
			uint64_t range[2] = { u->offset, u->buflen };

			r = ioctl(f->fd, BLKDISCARD, range);
		} else {
			r = fallocate(f->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
				      (off_t)u->offset, u->buflen);
		}
	} while (r < 0 && errno == EINTR);
	u->error = r < 0 ? errno : 0;
	u->resid = r < 0 ? u->buflen : 0;
}
