/* e4defrag engine: each write unit asks ext4 to swap the unit's blocks of
 * the job's file for freshly allocated blocks of a donor file
 * (EXT4_IOC_MOVE_EXT), the work e4defrag(8) does; no data changes, the
 * layout does. As fio's engine:
 *   donorname=  the donor, under directory= (the job's first directory),
 *               created when missing, never truncated at open
 *   inplace=0   the donor's space is allocated once for the job's region
 *   inplace=1   allocated for each unit's range and freed (truncated) after
 * A unit counts the bytes the kernel moved (moved_len blocks, at most the
 * unit); none moved (past the end of the file) is EINVAL. Only writes move
 * extents (a read or trim would fail each unit in fio): refused at load.
 * ext4 only: a file elsewhere is refused when it is opened. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "../backend/job.h"
#include "../lib/outfile.h"
#include "engine.h"

#define EXT4_MAGIC 0xEF53

/* the kernel's struct move_extent (fs/ext4/ext4.h, uapi as of 2.6.31) */
struct e4_move_extent {
	uint32_t reserved;
	uint32_t donor_fd;
	uint64_t orig_start;  /* in blocks */
	uint64_t donor_start; /* in blocks */
	uint64_t len;         /* blocks */
	uint64_t moved_len;   /* blocks moved (out) */
};
#define E4_IOC_MOVE_EXT _IOWR('f', 15, struct e4_move_extent)

/* job->engine_data */
struct e4d_data {
	int donor_fd;
	uint64_t bsz;    /* the donor's st_blksize */
	char *created;   /* the donor's path when this job created it */
	dev_t dev;
	ino_t ino;
};

static int e4d_check(const struct job_opts *o, char *err, size_t errlen)
{
	if (!o->donorname || !*o->donorname) {
		snprintf(err, errlen, "donorname: not set; ioengine=e4defrag needs a donor file");
		return -1;
	}
	if (o->rw & ~RW_WRITE & (RW_READ | RW_TRIM)) {
		snprintf(err, errlen, "rw: ioengine=e4defrag moves extents on writes only "
			 "(rw=write or randwrite)");
		return -1;
	}
	return 0;
}

static int e4d_setup(struct job *job)
{
	char err[160];

	if (e4d_check(&job->o, err, sizeof(err))) {
		job_set_error(job, EINVAL, "e4defrag: %s", err);
		return -EINVAL;
	}
	return 0;
}

static int e4d_init(struct job *job)
{
	const char *dir = job->o.directory;
	char path[4096], err[1024];
	struct e4d_data *d;
	struct stat st;
	size_t dl = dir ? strcspn(dir, ":") : 0;
	bool existed;
	int fd, fl;

	if ((size_t)snprintf(path, sizeof(path), "%.*s%s%s", (int)dl, dl ? dir : "",
			     dl ? "/" : "", job->o.donorname) >= sizeof(path)) {
		job_set_error(job, ENAMETOOLONG, "e4defrag: donorname: path too long");
		return -ENAMETOOLONG;
	}
	/* a file iolab writes: checked as every output (no device, no planted
	 * link); append mode only so that opening does not truncate */
	existed = !lstat(path, &st);
	fd = outfile_open(path, OUTF_NAMED | OUTF_APPEND, 0644, "donorname", err, sizeof(err));
	if (fd < 0) {
		job_set_error(job, -fd, "e4defrag: %s", err);
		return fd;
	}
	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_APPEND) < 0 || fstat(fd, &st) < 0) {
		int e = errno;

		close(fd);
		job_set_error(job, e, "e4defrag: donorname: %s: %s", path, strerror(e));
		return -e;
	}
	/* The donor's blocks are swapped into the job's file and, with
	 * inplace=1, the donor is truncated: a file holding data would lose
	 * it. A donor is scratch: new, or empty. */
	if (st.st_size > 0) {
		close(fd);
		job_set_error(job, EEXIST, "e4defrag: donorname: %s holds %lld bytes; the engine "
			      "swaps the donor's blocks into the job's file and truncates it, so "
			      "it takes only a new or empty donor (remove it, or name another)",
			      path, (long long)st.st_size);
		return -EEXIST;
	}
	d = calloc(1, sizeof(*d));
	if (!d) {
		close(fd);
		job_set_error(job, ENOMEM, "e4defrag: out of memory");
		return -ENOMEM;
	}
	d->donor_fd = fd;
	d->bsz = st.st_blksize ? (uint64_t)st.st_blksize : 4096;
	/* a donor this job made is scratch, removed at the end (it then
	 * holds the file's old blocks, and a rerun would refuse it) */
	if (!existed) {
		d->created = strdup(path);
		d->dev = st.st_dev;
		d->ino = st.st_ino;
	}
	job->engine_data = d;
	return 0;
}

static void e4d_cleanup(struct job *job)
{
	struct e4d_data *d = job->engine_data;

	if (!d)
		return;
	close(d->donor_fd);
	if (d->created)
		(void)outfile_unlink_if_same(d->created, d->dev, d->ino);
	free(d->created);
	free(d);
	job->engine_data = NULL;
}

static int e4d_open(struct job *job, struct job_file *f)
{
	struct e4d_data *d = job->engine_data;
	struct statfs sf;
	int r = engine_generic_open(job, f);

	if (r)
		return r;
	if (fstatfs(f->fd, &sf) < 0 || sf.f_type != EXT4_MAGIC) {
		job_set_error(job, EINVAL, "e4defrag: %s is not on an ext4 filesystem "
			      "(EXT4_IOC_MOVE_EXT works on ext4 files only)", f->path);
		engine_generic_close(job, f);
		return -EINVAL;
	}
	if (!job->o.inplace && f->io_size &&
	    fallocate(d->donor_fd, 0, (off_t)f->io_start, (off_t)f->io_size) < 0) {
		int e = errno;

		job_set_error(job, e, "e4defrag: fallocate of the donor for %s: %s", f->path,
			      strerror(e));
		engine_generic_close(job, f);
		return -e;
	}
	return 0;
}

static int e4d_queue(struct job *job, struct io_u *u)
{
	struct e4d_data *d = job->engine_data;
	struct e4_move_extent me;
	uint64_t moved;
	int r;

	u->error = 0;
	u->resid = 0;
	if (u->ddir == DDIR_SYNC || u->ddir == DDIR_DATASYNC) {
		engine_do_sync(u);
		return Q_COMPLETED;
	}
	if (u->ddir != DDIR_WRITE) {
		u->error = EINVAL;
		u->resid = u->buflen;
		return Q_COMPLETED;
	}
	if (job->o.inplace && fallocate(d->donor_fd, 0, (off_t)u->offset, u->buflen) < 0) {
		u->error = errno;
		u->resid = u->buflen;
		return Q_COMPLETED;
	}
	memset(&me, 0, sizeof(me));
	me.donor_fd = (uint32_t)d->donor_fd;
	me.orig_start = u->offset / d->bsz;
	me.donor_start = me.orig_start;
	me.len = (u->offset + u->buflen + d->bsz - 1) / d->bsz - me.orig_start;
	r = ioctl(u->file->fd, E4_IOC_MOVE_EXT, &me);
	if (r < 0) {
		u->error = errno;
	} else {
		moved = me.moved_len * d->bsz;
		if (moved > u->buflen)
			moved = u->buflen;
		if (!moved)
			u->error = EINVAL; /* past the end of the file */
		u->resid = u->buflen - (uint32_t)moved;
	}
	if (u->error)
		u->resid = u->buflen;
	if (job->o.inplace && ftruncate(d->donor_fd, 0) < 0 && !u->error) {
		u->error = errno;
		u->resid = u->buflen;
	}
	return Q_COMPLETED;
}

const struct engine_ops engine_e4defrag = {
	.name = "e4defrag",
	.flags = ENG_SYNC | ENG_LAYOUT_DATA,
	.setup = e4d_setup,
	.check = e4d_check,
	.init = e4d_init,
	.cleanup = e4d_cleanup,
	.open_file = e4d_open,
	.close_file = engine_generic_close,
	.queue = e4d_queue,
};
