/* The worker's file setup: the job's file names and regions, the safety
 * checks through the device guard, layout (create, extend, fill), open and
 * close through the engine, page cache invalidation, and what a dry run
 * says of each file. */
#include "worker_int.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "../lib/atomic.h"
#include "../lib/outfile.h"
#include "../lib/units.h"
#include "devguard.h"
#include "iolog.h"
#include "profiles.h"

#define LAYOUT_CHUNK (1u << 20)

/* ---- files ---- */

static bool job_writes(const struct job *job)
{
	return job->o.rw & (RW_WRITE | RW_TRIM);
}

static bool job_reads(const struct job *job)
{
	return (job->o.rw & RW_READ) || job->o.verify_only;
}

/* Is the region written out before the run (when missing or short)? For
 * readers, and for engines that need the data there (ENG_LAYOUT_DATA). */
static bool layout_needed(const struct job *job)
{
	return job_reads(job) || (job->ops->flags & ENG_LAYOUT_DATA);
}

/* One file of a dry run: what it is and what setup_files would do to it. */
/* The directory holding @path ("." for a bare name), malloc'd; NULL
 * without memory. */
static char *parent_dir(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return strdup(".");
	return strndup(path, slash == path ? 1 : (size_t)(slash - path));
}

/* @scratch: @f->path is the name template of the scratch file the run will
 * create (profile_plan_scratch); it is described, never looked at. */
static int plan_file(struct worker *w, const struct job_file *f, bool exists, bool scratch,
		     uint64_t off, uint64_t region)
{
	unsigned kb = w->job->o.kb_base;
	char sz[32], reg[32], at[32];

	if (!exists && !(f->checked_valid && S_ISCHR(f->checked.st_mode))) {
		/* would the create succeed? */
		char *dir = parent_dir(f->path);
		int e = 0;

		if (dir && access(dir, W_OK | X_OK))
			e = errno;
		free(dir);
		if (e) {
			job_set_error(w->job, e, "%s: cannot be created: %s", f->path, strerror(e));
			return -e;
		}
	}

	fmt_size(sz, sizeof(sz), f->real_size, kb);
	fmt_size(reg, sizeof(reg), region, kb);
	fmt_size(at, sizeof(at), off, kb);
	fprintf(w->plan, "  %s: ", f->path);
	if (f->checked_valid && S_ISCHR(f->checked.st_mode)) {
		fprintf(w->plan, "character device; used as is; I/O over %s (%s)\n", reg,
			job_writes(w->job) ? "written" : "read only");
		return 0;
	}
	if (scratch) {
		fprintf(w->plan, "a new scratch file (XXXXXX: a unique name; created O_EXCL, mode "
			"0600; removed at the end); ");
		if (job_reads(w->job)) {
			char fill[32];

			fmt_size(fill, sizeof(fill), off + region, kb);
			fprintf(w->plan, "%s laid out (written)", fill);
		} else
			fprintf(w->plan, "created empty");
		fprintf(w->plan, "; I/O over %s from byte %s (%s)\n", reg, at,
			job_writes(w->job) ? "written" : "read only");
		return 0;
	}
	if (f->is_blockdev)
		fprintf(w->plan, "block device of %s; ", sz);
	else if (exists)
		fprintf(w->plan, "file of %s; ", sz);
	else
		fprintf(w->plan, "does not exist; ");
	if (f->is_blockdev)
		fprintf(w->plan, "used as is");
	else if (w->job->ops->flags & ENG_NO_LAYOUT)
		fprintf(w->plan, "%s by the run, not laid out", exists ? "opened" : "created");
	else if (layout_needed(w->job) && (!exists || f->real_size < off + region)) {
		char fill[32];

		fmt_size(fill, sizeof(fill), off + region - (exists ? f->real_size : 0), kb);
		fprintf(w->plan, "%s, then %s laid out (written)", exists ? "extended" : "created",
			fill);
	} else if (!exists)
		fprintf(w->plan, "created empty (mode 0600)");
	else
		fprintf(w->plan, "used as is");
	if (w->job->ops->flags & ENG_OP_LAT)
		fprintf(w->plan, "; timed: one %s operation on it a pass\n",
			w->job->ops->name);
	else
		fprintf(w->plan, "; I/O over %s from byte %s (%s)\n", reg, at,
			job_writes(w->job) ? "written" : "read only");
	return 0;
}

/* Would laying out @need more bytes of @path fit in its file system's free
 * space (as an unprivileged writer sees it)? fio writes until ENOSPC and
 * leaves the file system full; this refuses first. Returns 0, or -ENOSPC
 * with the job's error set; 0 when the space cannot be read. */
static int layout_room(struct job *job, const char *path, uint64_t need)
{
	unsigned kb = job->o.kb_base;
	char *dir = parent_dir(path);
	char a[32], b[32];
	struct statvfs vfs;
	uint64_t avail;
	int r;

	if (!dir)
		return 0;
	r = statvfs(dir, &vfs);
	free(dir);
	if (r)
		return 0; /* the create or the layout says what is wrong */
	avail = (uint64_t)vfs.f_bavail * vfs.f_frsize;
	if (need <= avail)
		return 0;
	fmt_size(a, sizeof(a), need, kb);
	fmt_size(b, sizeof(b), avail, kb);
	job_set_error(job, ENOSPC, "%s: laying out %s for reading needs more than the %s free "
		      "on its file system; refused (a smaller size, or make room)", path, a, b);
	return -ENOSPC;
}

static pthread_mutex_t layout_lock = PTHREAD_MUTEX_INITIALIZER; /* create_serialize */

/* Open (creating) job file @f to lay it out, through the device guard: the
 * same file setup_files checked if it existed, and what was opened is
 * recorded as checked, and @f as made by iolab (unlink=1 may remove it).
 * Returns the descriptor or -errno (job error set). */
static int open_for_layout(struct job *job, struct job_file *f, const char *what)
{
	char err[512];
	struct stat st;
	/* a name nobody typed, in a shared directory: a new file must be new */
	int extra = f->nofollow ? O_NOFOLLOW | (f->checked_valid ? 0 : O_EXCL) : 0;
	int fd = devguard_open(f->path, O_WRONLY | O_CREAT | extra, 0600,
			       f->checked_valid ? &f->checked : NULL, &st, err, sizeof(err));

	if (fd < 0) {
		job_set_error(job, -fd, "%s (while %s)", err, what);
		return fd;
	}
	if (!f->checked_valid) /* a scratch file made again (unlink=1 took it) */
		outfile_scratch_renew(f->path, st.st_dev, st.st_ino);
	f->checked = st;
	f->checked_valid = true;
	f->made = true;
	return fd;
}

/* Extend @f from @from to @to with what the job's writes would hold, a
 * fresh fill per write-sized piece (bufdata.h; fio lays files out alike).
 * Returns 0 or -errno. */
static int layout_fill(struct worker *w, struct job_file *f, uint64_t from, uint64_t to)
{
	struct job *job = w->job;
	const char *path = f->path;
	struct bufdata bd;
	size_t piece = job->o.bs_max[DDIR_WRITE] ? job->o.bs_max[DDIR_WRITE] : job->o.bs[DDIR_WRITE];
	char err[256];
	uint8_t *buf;
	int fd, ret = 0;

	ret = bufdata_init(&bd, &job->o, workload_seed(&job->o, w->index) ^ from ^ 0x6c61796f7574ULL,
			   w->index, w->run->njobs, err, sizeof(err));
	if (ret) {
		job_set_error(job, -ret, "%s: laying out: %s", path, err);
		return ret;
	}
	if (!piece || piece > LAYOUT_CHUNK)
		piece = LAYOUT_CHUNK;
	fd = open_for_layout(job, f, "laying out");
	if (fd < 0)
		return fd;
	buf = malloc(LAYOUT_CHUNK);
	if (!buf) {
		close(fd);
		job_set_error(job, ENOMEM, "%s: laying out: out of memory", path);
		return -ENOMEM;
	}
	while (from < to) {
		size_t n = to - from < LAYOUT_CHUNK ? (size_t)(to - from) : LAYOUT_CHUNK;
		ssize_t wr;

		bufdata_fill_span(&bd, buf, n, piece);
		wr = pwrite(fd, buf, n, (off_t)from);

		if (wr < 0 && errno == EINTR)
			continue;
		if (wr <= 0) {
			ret = wr < 0 ? -errno : -ENOSPC;
			job_set_error(job, -ret, "%s: laying out %llu bytes: %s", path,
				      (unsigned long long)to, strerror(-ret));
			break;
		}
		from += (uint64_t)wr;
		if (ld_relaxed(&job->stop)) {
			ret = -EINTR;
			break;
		}
	}
	free(buf);
	if (close(fd) < 0 && !ret) {
		ret = -errno;
		job_set_error(job, errno, "%s: laying out: close: %s", path, strerror(errno));
	}
	return ret;
}

/* Names, regions and layout of the job's files. Returns 0 or -errno (job
 * error set). */
int worker_setup_files(struct worker *w)
{
	struct job *job = w->job;
	const struct job_opts *o = &job->o;
	bool nofile = job->ops->flags & ENG_NO_FILE_IO;
	/* did the user type these exact paths? (a read_iolog's are the log's) */
	bool named = !job->iolog_replay && !job_target_generated(o);
	char **names = NULL;
	unsigned n = 0;
	int ret = 0;

	if (job->iolog_replay) {
		/* the log's paths, as they are (iolog.h) */
		const struct iolog *log = job->iolog_replay;

		names = calloc(log->nr_files, sizeof(*names));
		if (!names)
			goto nomem;
		for (; n < log->nr_files; n++)
			if (!(names[n] = strdup(log->paths[n])))
				goto nomem;
	} else {
		ret = job_target_paths(o, o->name ? o->name : job->name, w->clone, &names);
		if (ret < 0)
			goto nomem;
		n = (unsigned)ret;
		ret = 0;
	}

	job->files = calloc(n, sizeof(*job->files));
	if (!job->files)
		goto nomem;
	job->nr_files = n;
	for (unsigned i = 0; i < n; i++) {
		struct job_file *f = &job->files[i];
		struct stat st;
		bool exists = false, chardev = false, scratch, made;
		uint64_t off, region;
		dev_t made_dev = 0;
		ino_t made_ino = 0;

		f->fd = -1;
		f->path = names[i];
		names[i] = NULL;
		/* a scratch file iolab made (default job, profile, diagnose): the
		 * user named its directory, not it; only the file made is used */
		made = !nofile && outfile_scratch_made(f->path, &made_dev, &made_ino);
		f->nofollow = made || (!named && !nofile && outfile_in_shared_dir(f->path));
		/* a dry run's scratch file is a name to come: new, empty, ours */
		scratch = w->plan && !nofile && profile_scratch_planned(f->path);
		if (!nofile) {
			/* a link another user planted in a sticky dir, on the way
			 * (or at the end of a named path) */
			char why[512];

			ret = outfile_check_link_owner(f->path, !f->nofollow, f->path, why,
						       sizeof(why));
			if (ret) {
				job_set_error(job, -ret, "%s", why);
				goto out;
			}
		}
		if (scratch) {
			exists = true;
		} else if (!nofile &&
			   (f->nofollow ? lstat(f->path, &st) : stat(f->path, &st)) == 0) {
			char why[512];

			exists = true;
			ret = f->nofollow ? devguard_check_shared(&st, why, sizeof(why)) : 0;
			if (!ret)
				ret = devguard_check_kind(&st, why, sizeof(why));
			if (ret) {
				job_set_error(job, -ret, "%s: %s", f->path, why);
				goto out;
			}
			if (S_ISBLK(st.st_mode)) {
				int fd = devguard_open(f->path, O_RDONLY | (f->nofollow ? O_NOFOLLOW : 0),
						       0, NULL, &st, why, sizeof(why));
				uint64_t bytes = 0;

				if (fd < 0) {
					ret = fd;
					job_set_error(job, -ret, "%s", why);
					goto out;
				}
				f->is_blockdev = true;
				f->dev_major = major(st.st_rdev);
				f->dev_minor = minor(st.st_rdev);
				if (ioctl(fd, BLKGETSIZE64, &bytes) < 0) {
					ret = -errno;
					job_set_error(job, errno, "%s: block device size: %s", f->path,
						      strerror(errno));
					close(fd);
					goto out;
				}
				if (job_writes(job) && !o->allow_mounted_write &&
				    !w->allow_write_devices) {
					ret = devguard_may_write(fd, f->path,
								 "allow_mounted_write=1 overrides",
								 why, sizeof(why));
					if (ret) {
						close(fd);
						job_set_error(job, -ret, "%s", why);
						goto out;
					}
				}
				close(fd);
				f->real_size = bytes;
				f->checked = st;
				f->checked_valid = true;
			} else if (S_ISCHR(st.st_mode)) {
				/* /dev/null and the like: no size, nothing laid out */
				chardev = true;
				exists = false;
				f->checked = st;
				f->checked_valid = true;
			} else {
				f->real_size = (uint64_t)st.st_size;
				f->dev_major = major(st.st_dev);
				f->dev_minor = minor(st.st_dev);
				f->checked = st;
				f->checked_valid = true;
			}
		}
		if (made && !scratch && f->checked_valid &&
		    (!S_ISREG(f->checked.st_mode) || f->checked.st_dev != made_dev ||
		     f->checked.st_ino != made_ino)) {
			ret = -ESTALE;
			job_set_error(job, ESTALE,
				      "%s: not the scratch file iolab created there (something was "
				      "put in its place since); refused", f->path);
			goto out;
		}

		{
			char why[160];
			struct statvfs vfs;

			if (o->fill_device && !o->size && !o->filesize && !o->size_pct && !nofile &&
			    !f->is_blockdev) {
				/* fill_device: the file grows into the free space */
				char *dir = parent_dir(f->path);

				if (dir && !statvfs(dir, &vfs)) {
					f->real_size += (uint64_t)vfs.f_bavail * vfs.f_frsize;
					exists = true;
				}
				free(dir);
			}
			ret = workload_region(o, w->clone, n, f->real_size, exists, &off, &region, why,
					      sizeof(why));
			if (ret) {
				job_set_error(job, -ret, "%s: %s", f->path, why);
				goto out;
			}
		}
		f->io_start = off;
		f->io_size = region;
		if (nofile) {
			f->real_size = off + region;
			continue;
		}
		if (!f->is_blockdev && !chardev && layout_needed(job) &&
		    (!exists || f->real_size < off + region)) {
			ret = layout_room(job, f->path, off + region - (exists ? f->real_size : 0));
			if (ret)
				goto out;
		}
		if (w->plan) {
			ret = plan_file(w, f, exists, scratch, off, region);
			if (ret)
				goto out;
		}
		if (f->is_blockdev) {
			if (off + region > f->real_size) {
				ret = -EINVAL;
				job_set_error(job, EINVAL,
					      "%s: offset %llu + size %llu is past the device's end (%llu)",
					      f->path, (unsigned long long)off,
					      (unsigned long long)region,
					      (unsigned long long)f->real_size);
				goto out;
			}
			continue;
		}
		if (w->plan || chardev)
			continue;
		if (job->ops->flags & ENG_NO_LAYOUT)
			continue; /* filecreate: the run makes them */
		if (w->read_only && (!exists || (job_reads(job) && f->real_size < off + region))) {
			/* as fio: no layout under --readonly; the job fails */
			ret = -EROFS;
			job_set_error(job, EROFS, "%s: %s under --readonly (the job %s)", f->path,
				      exists ? "will not extend" : "will not create",
				      exists ? "reads past its end" : "needs the file to exist");
			goto out;
		}
		if (layout_needed(job) && (!exists || f->real_size < off + region)) {
			/* create_serialize (default on): one layout at a time, so
			 * the jobs' files do not interleave on disk, as fio */
			if (o->create_serialize)
				pthread_mutex_lock(&layout_lock);
			ret = layout_fill(w, f, exists ? f->real_size : 0, off + region);
			if (o->create_serialize)
				pthread_mutex_unlock(&layout_lock);
			if (ret)
				goto out;
			f->real_size = off + region;
		} else if (!exists) {
			int fd = open_for_layout(job, f, "create");

			if (fd < 0) {
				ret = fd;
				goto out;
			}
			close(fd);
		}
	}
	goto out;
nomem:
	ret = -ENOMEM;
	job_set_error(job, ENOMEM, "setting up files: out of memory");
out:
	job_paths_free(names, n);
	return ret;
}

int worker_zbd_attach(struct worker *w)
{
	struct job *job = w->job;
	char why[384], note[384];

	if (job->o.zonemode != ZONEMODE_ZBD)
		return 0;
	for (unsigned i = 0; i < job->nr_files; i++) {
		struct job_file *f = &job->files[i];
		struct stat st;
		int ret;

		if (stat(f->path, &st)) {
			ret = -errno;
			job_set_error(job, -ret, "zonemode: zbd: %s: %s", f->path, strerror(-ret));
			return ret;
		}
		ret = zbd_attach(w->run->zbd, &f->zbd, &job->o, f->path,
				 S_ISBLK(st.st_mode) ? st.st_rdev : st.st_dev,
				 S_ISBLK(st.st_mode) ? 0 : st.st_ino, S_ISBLK(st.st_mode),
				 f->real_size, &f->io_start, &f->io_size, note, sizeof(note), why,
				 sizeof(why));
		if (ret) {
			job_set_error(job, -ret, "%s", why);
			return ret;
		}
		if (note[0] && !job->note[0])
			snprintf(job->note, sizeof(job->note), "%.159s", note);
	}
	return 0;
}

void worker_free_files(struct job *job)
{
	for (unsigned i = 0; i < job->nr_files; i++)
		free(job->files[i].path);
	free(job->files);
	job->files = NULL;
	job->nr_files = 0;
}

/* fadvise_hint: tell the kernel how the job's region will be read, as fio
 * does at each open of a regular file or block device (1: from rw=,
 * random or sequential). A refusal changes nothing, so it is not an error. */
static void fadvise_file(const struct job *job, const struct job_file *f)
{
	struct stat st;
	int adv;

	if (job->o.fadvise_hint == FADV_HINT_NONE || f->fd < 0 || fstat(f->fd, &st) ||
	    !(S_ISREG(st.st_mode) || S_ISBLK(st.st_mode)))
		return;
	if (job->o.fadvise_hint == FADV_HINT_RANDOM ||
	    (job->o.fadvise_hint == FADV_HINT_PATTERN && opts_is_random(&job->o)))
		adv = POSIX_FADV_RANDOM;
	else
		adv = POSIX_FADV_SEQUENTIAL;
	(void)posix_fadvise(f->fd, (off_t)f->io_start, (off_t)f->io_size, adv);
}

int worker_open_files(struct worker *w)
{
	struct job *job = w->job;

	for (unsigned i = 0; i < job->nr_files; i++) {
		int ret = job->ops->open_file ? job->ops->open_file(job, &job->files[i]) : 0;

		if (ret < 0) {
			if (!job->error)
				job_set_error(job, -ret, "%s: open: %s", job->files[i].path,
					      strerror(-ret));
			for (unsigned k = 0; k < i; k++)
				if (job->ops->close_file)
					job->ops->close_file(job, &job->files[k]);
			return ret;
		}
		fadvise_file(job, &job->files[i]);
	}
	w->files_open = true;
	return 0;
}

void worker_close_files(struct worker *w)
{
	struct job *job = w->job;

	if (!w->files_open)
		return;
	for (unsigned i = 0; i < job->nr_files; i++)
		if (job->ops->close_file)
			job->ops->close_file(job, &job->files[i]);
	w->files_open = false;
}

/* Drops @f's cached pages (a block device's buffers). @sync: write dirty
 * pages first, which would not drop (a fresh layout); fio's drop on each
 * time_based pass does not. Best effort: errors are ignored. */
void worker_invalidate_file(const struct job_file *f, bool sync)
{
	char err[512];
	int fd = devguard_open(f->path, O_RDONLY | (f->nofollow ? O_NOFOLLOW : 0), 0,
			       f->checked_valid ? &f->checked : NULL, NULL, err, sizeof(err));

	if (fd < 0)
		return;
	if (f->is_blockdev)
		(void)ioctl(fd, BLKFLSBUF, 0);
	else if (sync)
		(void)fdatasync(fd);
	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	close(fd);
}

/* invalidate=1: the job starts from a cold page cache, as fio's does, so a
 * buffered read measures the device rather than memory. Best effort. */
void worker_invalidate_files(struct job *job)
{
	for (unsigned i = 0; i < job->nr_files; i++)
		worker_invalidate_file(&job->files[i], true);
}
