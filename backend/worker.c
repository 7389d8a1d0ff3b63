/* The worker thread of a job: file setup, the I/O loop, accounting,
 * teardown. See worker.h for the runstate sequence. */
#include "worker.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../engines/inject.h"
#include "../lib/atomic.h"
#include "../lib/clock.h"
#include "../lib/outfile.h"
#include "backend.h"
#include "devguard.h"
#include "fiologs.h"
#include "iolog.h"
#include "lattarget.h"
#include "profiles.h"
#include "sampler.h"

#define BUF_ALIGN 4096
#define LAYOUT_CHUNK (1u << 20)

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

static const char *const ddir_names[] = { "read", "write", "trim", "fsync", "fdatasync" };

static const char *ddir_name(int d)
{
	return d >= 0 && d <= DDIR_DATASYNC ? ddir_names[d] : "io";
}

static void wake(int fd)
{
	if (fd >= 0) {
		char c = 's';
		ssize_t r = write(fd, &c, 1);

		(void)r; /* a full pipe already wakes the reader */
	}
}

bool worker_set_runstate(struct job *job, enum runstate rs, int wake_fd)
{
	enum runstate cur = job_runstate(job);

	if (!runstate_can_move(cur, rs))
		return false;
	st_release(&job->runstate, (int)rs);
	job_touch(job);
	wake(wake_fd);
	return true;
}

struct worker *worker_new(struct job *job, struct backend *be, unsigned index, unsigned clone,
			  int wake_fd, bool allow_write_devices)
{
	struct worker *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	w->job = job;
	w->be = be;
	w->index = index;
	w->clone = clone;
	w->wake_fd = wake_fd;
	w->allow_write_devices = allow_write_devices;
	return w;
}

void worker_free(struct worker *w)
{
	free(w);
}

/* ---- statistics helpers (worker is the single writer) ---- */

static inline void st_double(double *p, double v)
{
	__atomic_store(p, &v, __ATOMIC_RELAXED);
}

static inline unsigned depth_bucket(unsigned d)
{
	unsigned b;

	if (d <= 1)
		return 0;
	b = 32u - (unsigned)__builtin_clz(d - 1);
	return b > 6 ? 6 : b;
}

/* ---- files ---- */

static bool job_writes(const struct job *job)
{
	return job->o.rw & (RW_WRITE | RW_TRIM);
}

static bool job_reads(const struct job *job)
{
	return (job->o.rw & RW_READ) || job->o.verify_only;
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
	else if (job_reads(w->job) && (!exists || f->real_size < off + region)) {
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
	f->checked = st;
	f->checked_valid = true;
	f->made = true;
	return fd;
}

/* Extend @f with non-zero data from @from to @to. Returns 0 or -errno. */
static int layout_fill(struct job *job, struct job_file *f, uint64_t from, uint64_t to)
{
	const char *path = f->path;
	struct rand_state r;
	uint64_t *buf;
	int fd, ret = 0;

	fd = open_for_layout(job, f, "laying out");
	if (fd < 0)
		return fd;
	buf = malloc(LAYOUT_CHUNK);
	if (!buf) {
		close(fd);
		job_set_error(job, ENOMEM, "%s: laying out: out of memory", path);
		return -ENOMEM;
	}
	rand_seed(&r, from ^ 0x6c61796f7574ULL);
	for (size_t i = 0; i < LAYOUT_CHUNK / 8; i++)
		buf[i] = rand_u64(&r) | 1;
	pattern_repeat(job->o.buffer_pattern, job->o.buffer_pattern_len, buf, LAYOUT_CHUNK);
	while (from < to) {
		size_t n = to - from < LAYOUT_CHUNK ? (size_t)(to - from) : LAYOUT_CHUNK;
		ssize_t wr = pwrite(fd, buf, n, (off_t)from);

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
static int setup_files(struct worker *w)
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
		bool exists = false, chardev = false, scratch;
		uint64_t off, region;

		f->fd = -1;
		f->path = names[i];
		names[i] = NULL;
		f->nofollow = !named && !nofile && outfile_in_shared_dir(f->path);
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
		if (!f->is_blockdev && !chardev && job_reads(job) &&
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
		if (job_reads(job) && (!exists || f->real_size < off + region)) {
			/* create_serialize (default on): one layout at a time, so
			 * the jobs' files do not interleave on disk, as fio */
			if (o->create_serialize)
				pthread_mutex_lock(&layout_lock);
			ret = layout_fill(job, f, exists ? f->real_size : 0, off + region);
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

static void free_files(struct job *job)
{
	for (unsigned i = 0; i < job->nr_files; i++)
		free(job->files[i].path);
	free(job->files);
	job->files = NULL;
	job->nr_files = 0;
}

/* ---- engine, units ---- */

static uint32_t unit_buf_size(struct worker *w)
{
	uint32_t m = w->buf_bs;

	for (int d = 0; d < DDIR_RWDIR_CNT; d++)
		if (w->wl.max_bs[d] > m)
			m = w->wl.max_bs[d];
	w->buf_bs = m;
	if (!m)
		m = 4096;
	return (m + BUF_ALIGN - 1) & ~(uint32_t)(BUF_ALIGN - 1);
}

static void free_units(struct worker *w)
{
	struct job *job = w->job;

	if (job->units && job->ops && job->ops->io_u_free)
		for (unsigned i = 0; i < job->nr_units; i++)
			job->ops->io_u_free(job, &job->units[i]);
	free(job->units);
	free(job->buf_mem);
	free(w->pend);
	job->units = NULL;
	job->buf_mem = NULL;
	w->pend = NULL;
	job->nr_units = 0;
	w->free_list = NULL;
	w->nr_free = 0;
}

/* Allocate @depth units sharing one aligned buffer allocation. Returns 0
 * or -errno (job error set). */
static int alloc_units(struct worker *w, unsigned depth)
{
	struct job *job = w->job;
	uint32_t bsz = unit_buf_size(w);
	struct rand_state r;
	uint64_t *p;
	int ret;

	job->units = calloc(depth, sizeof(*job->units));
	w->pend = calloc(depth, sizeof(*w->pend));
	if (!job->units || !w->pend)
		goto nomem;
	job->buf_size = (size_t)bsz * depth;
	ret = posix_memalign(&job->buf_mem, BUF_ALIGN, job->buf_size);
	if (ret) {
		job->buf_mem = NULL;
		goto nomem;
	}
	/* incompressible, non-zero write data, written once */
	rand_seed(&r, workload_seed(&job->o, w->index) ^ 0x62756666ULL);
	p = job->buf_mem;
	for (size_t i = 0; i < job->buf_size / 8; i++)
		p[i] = rand_u64(&r) | 0x0101010101010101ULL;
	/* buffer_pattern of a job that only writes: each unit's buffer once */
	if (w->bd.plen && !w->bd.per_write)
		for (unsigned i = 0; i < depth; i++)
			bufdata_pattern(&w->bd, (char *)job->buf_mem + (size_t)i * bsz, bsz);
	job->nr_units = depth;
	for (unsigned i = 0; i < depth; i++) {
		struct io_u *u = &job->units[i];

		u->buf = (char *)job->buf_mem + (size_t)i * bsz;
		u->buflen = bsz;
		u->index = i;
		if (job->ops->io_u_init) {
			ret = job->ops->io_u_init(job, u);
			if (ret < 0) {
				if (!job->error)
					job_set_error(job, -ret, "%s: io_u_init: %s", job->ops->name,
						      strerror(-ret));
				/* free only the units that were set up */
				job->nr_units = i;
				return ret;
			}
		}
	}
	for (unsigned i = depth; i-- > 0;) {
		job->units[i].next = w->free_list;
		w->free_list = &job->units[i];
	}
	w->nr_free = depth;
	w->depth = depth;
	return 0;
nomem:
	job_set_error(job, ENOMEM, "allocating %u I/O units of %u bytes: out of memory", depth, bsz);
	return -ENOMEM;
}

static int open_files(struct worker *w)
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
	}
	w->files_open = true;
	return 0;
}

static void close_files(struct worker *w)
{
	struct job *job = w->job;

	if (!w->files_open)
		return;
	for (unsigned i = 0; i < job->nr_files; i++)
		if (job->ops->close_file)
			job->ops->close_file(job, &job->files[i]);
	w->files_open = false;
}

/* Engine init, files, units, offload thread, for depth job->o.iodepth.
 * Returns 0 or -errno (job error set). */
static int engine_up(struct worker *w)
{
	struct job *job = w->job;
	unsigned depth = job->o.iodepth ? job->o.iodepth : 1;
	int ret;

	ret = inject_wrap(job);
	if (ret < 0) {
		job_set_error(job, -ret, "fault injection: %s", strerror(-ret));
		return ret;
	}
	if (job->ops->init) {
		ret = job->ops->init(job);
		if (ret < 0) {
			if (!job->error)
				job_set_error(job, -ret, "%s: init: %s", job->ops->name, strerror(-ret));
			if (inject_active(job))
				inject_unwrap(job);
			return ret;
		}
	}
	w->engine_up = true;
	ret = open_files(w);
	if (ret)
		return ret;
	ret = alloc_units(w, depth);
	if (ret)
		return ret;
	w->batch_submit = job->o.iodepth_batch_submit ? job->o.iodepth_batch_submit : depth;
	if (w->batch_submit > depth)
		w->batch_submit = depth;
	w->batch_min = job->o.iodepth_batch_complete_min;
	/* fio's default: reap as many as the minimum (one), so each completion
	 * is replaced at once and the queue stays full. Reaping the whole
	 * depth at once left it draining while the batch was resubmitted one
	 * by one (effective depth ~27 of 32, 5% fewer IOPS than fio). */
	w->batch_max = job->o.iodepth_batch_complete_max ? job->o.iodepth_batch_complete_max
							 : (w->batch_min ? w->batch_min : 1);
	if (w->batch_max > depth)
		w->batch_max = depth;
	w->depth_low = job->o.iodepth_low < depth ? job->o.iodepth_low : 0;
	if (job->o.io_submit_mode == SUBMIT_OFFLOAD) {
		w->off = offload_new(job, depth);
		if (!w->off) {
			ret = -errno;
			job_set_error(job, errno, "io_submit_mode=offload: submit thread: %s",
				      strerror(errno));
			return ret;
		}
	}
	return 0;
}

static void engine_down(struct worker *w)
{
	struct job *job = w->job;

	if (w->off) {
		offload_free(w->off);
		w->off = NULL;
	}
	close_files(w);
	free_units(w);
	if (w->engine_up && job->ops->cleanup)
		job->ops->cleanup(job);
	if (inject_active(job))
		inject_unwrap(job);
	w->engine_up = false;
}

/* ---- the I/O path ---- */

static inline void unit_put(struct worker *w, struct io_u *u)
{
	u->next = w->free_list;
	w->free_list = u;
	w->nr_free++;
}

/* fio's rule for going on after an error @err of a @ddir I/O (EILSEQ: a
 * verify mismatch): continue_on_error (or an ignore_error list) must cover
 * its type, and the type's ignore_error list (by default EIO and EILSEQ)
 * must hold it. */
static bool error_ignored(const struct worker *w, int ddir, int err)
{
	static const int fio_default[] = { EIO, EILSEQ };
	const struct job_opts *o = &w->job->o;
	int t = err == EILSEQ ? ERRT_VERIFY : ddir == DDIR_READ ? ERRT_READ : ERRT_WRITE;
	static const unsigned coe_bit[ERRT_NR] = { COE_READ, COE_WRITE, COE_VERIFY };
	const int *list = o->nr_ignore_error[t] ? o->ignore_error[t] : fio_default;
	unsigned n = o->nr_ignore_error[t] ? o->nr_ignore_error[t] : 2;

	if (!(w->coe & coe_bit[t]))
		return false;
	for (unsigned i = 0; i < n; i++)
		if (list[i] == err)
			return true;
	return false;
}

static void io_error(struct worker *w, struct io_u *u)
{
	struct job *job = w->job;
	int d = u->ddir;

	if (d < DDIR_RWDIR_CNT) {
		uint64_t n = ld_relaxed(&job->stats.nr_err_off);
		bool seen = false;

		sw_add(&job->stats.dir[d].errors, 1);
		sw_add(&job->stats.dir[d].failed, 1);
		for (uint64_t i = 0; i < n; i++)
			seen |= job->stats.err_off[i] == u->offset;
		if (!seen && n < STATS_ERR_OFFS) {
			st_relaxed(&job->stats.err_off[n], u->offset);
			st_release(&job->stats.nr_err_off, n + 1);
		}
	}
	sw_add(&job->stats.total_err, 1);
	if (!ld_relaxed(&job->stats.first_error))
		st_relaxed(&job->stats.first_error, u->error);
	if (error_ignored(w, d, u->error)) {
		if (job->o.error_dump)
			fprintf(stderr, "iolab: job '%s': %s: %s at offset %llu (%u bytes): %s "
					"(gone past: continue_on_error/ignore_error)\n",
				job->name, u->file ? u->file->path : "?", ddir_name(d),
				(unsigned long long)u->offset, u->buflen, strerror(u->error));
		return;
	}
	if (u->error == ENOSPC && d == DDIR_WRITE && job->o.fill_device) {
		/* fill_device: a full device is the end, not a failure */
		w->quit = true;
		return;
	}
	job_set_error(job, u->error, "%s: %s at offset %llu: %s", u->file ? u->file->path : "?",
		      ddir_name(d), (unsigned long long)u->offset, strerror(u->error));
	w->quit = true;
}

/* Bytes in @f now (fstat), for messages; its size at setup when that fails. */
static uint64_t file_end(const struct job_file *f)
{
	struct stat st;

	if (!f)
		return 0;
	if (f->fd >= 0 && !f->is_blockdev && !fstat(f->fd, &st))
		return (uint64_t)st.st_size;
	return f->real_size;
}

static bool opt_on(const char *s)
{
	return s && strcmp(s, "0") != 0;
}

/* A completed write joins the log; a completed verify read is checked. */
static void verify_done(struct worker *w, struct io_u *u)
{
	struct job *job = w->job;
	char msg[512];
	int ret;

	if (u->ddir == DDIR_WRITE) {
		ret = verify_log_add(&w->vlog, (unsigned)(u->file - job->files), u->offset, u->buflen,
				     u->seq);
		if (ret) {
			job_set_error(job, -ret, "verify: write log: %s", strerror(-ret));
			w->quit = true;
		}
		return;
	}
	if (!(u->flags & IOU_VERIFY))
		return;
	if (u->resid) {
		snprintf(msg, sizeof(msg), "verify: %s: short read at offset %llu: %u of %u bytes",
			 u->file->path, (unsigned long long)u->offset, u->buflen - u->resid, u->buflen);
		ret = -EILSEQ;
	} else {
		ret = verify_check(&job->o, w->vseed, u, msg, sizeof(msg));
	}
	if (!ret)
		return;
	sw_add(&job->stats.dir[DDIR_READ].errors, 1);
	sw_add(&job->stats.total_err, 1);
	if (!ld_relaxed(&job->stats.first_error))
		st_relaxed(&job->stats.first_error, EILSEQ);
	if (job->o.verify_dump) {
		/* every failed block is dumped, as fio; the note names the first */
		char dmsg[sizeof(job->note)];

		verify_dump(&job->o, w->vseed, u, NULL, dmsg, sizeof(dmsg));
		if (!job->note[0])
			snprintf(job->note, sizeof(job->note), "%s", dmsg);
	}
	if (error_ignored(w, DDIR_READ, EILSEQ))
		return;
	/* first failure is the job's and ends it: fio 3.33 stops its verify
	 * at the first bad block too, verify_fatal or not (checked side by
	 * side in tests/int/fio_semantics.sh); continue_on_error=verify goes on */
	job_set_error(job, EILSEQ, "%s", msg);
	w->quit = true;
}

/* The one check of a read or write that moved fewer bytes than asked, for
 * every engine and both paths (inline and reaped, offload too), before it
 * is accounted. Nothing moved (end of file: /dev/null, a file truncated
 * while the job ran) is an error, EIO, as fio's "full resid": it is not a
 * completed I/O. Part moved is one short I/O of the bytes that moved
 * (short_ios); the job goes on and its next unit at the end of the file
 * gets nothing, so a truncated file still ends in EIO. fio 3.33 re-issues
 * the rest of a short unit on its synchronous path instead; its libaio and
 * io_uring count a 0-byte read as a completed I/O. */
static void short_io(struct worker *w, struct io_u *u)
{
	struct job *job = w->job;

	if (u->resid > u->buflen)
		u->resid = u->buflen;
	if (u->resid < u->buflen || !u->buflen) {
		sw_add(&job->stats.dir[u->ddir].shorts, 1);
		return;
	}
	u->error = EIO;
	if (!error_ignored(w, u->ddir, EIO))
		job_set_error(job, EIO, "%s: %s at offset %llu moved 0 of %u bytes: end of file "
			      "(the file ends at %llu bytes%s)", u->file ? u->file->path : "?",
			      ddir_name(u->ddir), (unsigned long long)u->offset, u->buflen,
			      (unsigned long long)file_end(u->file),
			      u->file && !u->file->is_blockdev && file_end(u->file) < u->offset
				      ? ": truncated while the job ran?" : "");
}

/* Completion accounting at time @now. */
static inline void account(struct worker *w, struct io_u *u, uint64_t now)
{
	struct job *job = w->job;
	int d = u->ddir;
	struct dir_stats *ds;
	uint64_t lat, clat;

	if (unlikely(d >= DDIR_RWDIR_CNT)) {
		/* end_fsync's syncs are not counted, as fio's (FSYNCING) */
		if (!w->end_syncing) {
			lat_add(&job->stats.sync_lat, now - u->start_ns);
			hist_add(&job->stats.sync_hist, now - u->start_ns);
			sw_add(&job->stats.syncs, 1);
			if (d == DDIR_DATASYNC)
				sw_add(&job->stats.datasyncs, 1);
		}
		if (w->commit_start_ns && !u->error) {
			lat_add(&job->stats.commit_lat, now - w->commit_start_ns);
			hist_add(&job->stats.commit_hist, now - w->commit_start_ns);
		}
		w->commit_start_ns = 0;
		if (u->error)
			io_error(w, u);
		return;
	}
	if (unlikely(u->resid) && !u->error && d != DDIR_TRIM)
		short_io(w, u);
	if (unlikely(u->error)) {
		io_error(w, u);
		return;
	}
	ds = &job->stats.dir[d];
	if (unlikely(w->op_lat)) {
		/* ENG_OP_LAT: the engine timed its file operations itself */
		sw_add(&ds->bytes, (uint64_t)(u->buflen - u->resid));
		sw_add(&ds->ios, 1);
		return;
	}
	lat = now - u->start_ns;
	clat = lat;
	if (!w->sync_engine && u->issue_ns) {
		/* a unit an async engine completed inline (libaio/io_uring
		 * trims) has no submission latency, as in fio */
		lat_add(&ds->slat, u->issue_ns - u->start_ns);
		hist_add(&ds->slat_hist, u->issue_ns - u->start_ns);
		clat = now - u->issue_ns;
	}
	lat_add(&ds->clat, clat);
	lat_add(&ds->lat, lat);
	if (unlikely(job->lt))
		lat_target_io(job->lt, lat); /* acted on by lat_step */
	hist_add(&ds->clat_hist, clat);
	hist_add(&ds->lat_hist, lat);
	if (unlikely(w->flog))
		fiolog_io(w->flog, d, now, lat, clat,
			  w->sync_engine ? FIOLOG_NO_SLAT : clat <= lat ? lat - clat : 0,
			  u->buflen - u->resid, u->offset);
	sw_add(&ds->bytes, (uint64_t)(u->buflen - u->resid));
	sw_add(&ds->ios, 1);
	if (unlikely(w->verify))
		verify_done(w, u);
}

/* engine.h: an ENG_OP_LAT engine's operation, from the worker thread (the
 * engine's queue); its stats and, with per-I/O fio logs, a clat line. */
void engine_op_lat(struct job *job, int ddir, uint64_t ns)
{
	struct worker *w = job->priv;
	struct dir_stats *ds;

	if (ddir < 0 || ddir >= DDIR_RWDIR_CNT)
		return;
	ds = &job->stats.dir[ddir];
	lat_add(&ds->clat, ns);
	hist_add(&ds->clat_hist, ns);
	hist_add(&ds->lat_hist, ns);
	if (w && w->flog)
		fiolog_clat(w->flog, ddir, clock_now_ns(), ns);
}

static int commit(struct worker *w)
{
	struct job *job = w->job;
	uint64_t now;
	int ret;

	if (!w->nr_pend)
		return 0;
	if (job->ops->commit) {
		ret = job->ops->commit(job);
		if (unlikely(ret < 0)) {
			if (!job->error)
				job_set_error(job, -ret, "%s: commit: %s", job->ops->name,
					      strerror(-ret));
			w->quit = true;
			return ret;
		}
	}
	now = clock_now_ns();
	for (unsigned i = 0; i < w->nr_pend; i++)
		w->pend[i]->issue_ns = now;
	w->nr_pend = 0;
	return 0;
}

/* Reap at least @min (bounded by what is in flight). Returns the count or
 * -errno (job error set). */
static int reap(struct worker *w, unsigned min)
{
	struct job *job = w->job;
	unsigned max = w->batch_max;
	uint64_t now;
	int n;

	if (w->off) {
		struct io_u *out[256];
		uint64_t done[256];

		if (max > 256)
			max = 256;
		if (min > max)
			min = max;
		n = offload_reap(w->off, min, max, out, done);
		if (n < 0) {
			if (!job->error)
				job_set_error(job, -n, "%s: getevents: %s", job->ops->name,
					      strerror(-n));
			w->quit = true;
			return n;
		}
		w->now = clock_now_ns();
		for (int i = 0; i < n; i++) {
			w->inflight--;
			out[i]->flags &= ~IOU_INFLIGHT;
			account(w, out[i], done[i]);
			unit_put(w, out[i]);
		}
		st_relaxed(&job->stats.inflight, w->inflight);
		return n;
	}
	if (w->nr_pend && commit(w) < 0)
		return -EIO;
	if (!w->inflight)
		return 0;
	if (min > w->inflight)
		min = w->inflight;
	if (max < min)
		max = min;
	do
		n = job->ops->getevents(job, min, max, NULL);
	while (n == -EINTR);
	if (unlikely(n < 0)) {
		if (!job->error)
			job_set_error(job, -n, "%s: getevents: %s", job->ops->name, strerror(-n));
		w->quit = true;
		return n;
	}
	now = clock_now_ns();
	w->now = now;
	for (int i = 0; i < n; i++) {
		struct io_u *u = job->ops->event(job, i);

		w->inflight--;
		u->flags &= ~IOU_INFLIGHT;
		account(w, u, now);
		unit_put(w, u);
	}
	st_relaxed(&job->stats.inflight, w->inflight);
	return n;
}

/* Wait for everything in flight. Returns 0 or -errno. */
static int drain(struct worker *w)
{
	if (w->nr_pend && !w->off && commit(w) < 0)
		return -EIO;
	while (w->inflight) {
		int n = reap(w, w->inflight);

		if (n < 0)
			return n;
	}
	return 0;
}

/* Queue one filled unit (start_ns stamped). Returns 0 or -errno. */
static int submit(struct worker *w, struct io_u *u)
{
	struct job *job = w->job;
	const struct engine_ops *ops = job->ops;
	int r;

	u->issue_ns = 0;
	u->error = 0;
	u->resid = 0;
	if (unlikely(job->iolog_writer))
		iolog_writer_io(job->iolog_writer, u);
	if (u->ddir == DDIR_WRITE) {
		if (!w->writes_since_sync++ && w->sync_every)
			w->commit_start_ns = u->start_ns;
	}
	if (w->off) {
		u->flags |= IOU_INFLIGHT;
		w->inflight++;
		sw_add(&job->stats.depth_hist[depth_bucket(w->inflight)], 1);
		st_relaxed(&job->stats.inflight, w->inflight);
		offload_submit(w->off, u);
		return 0;
	}
	if (ops->prep) {
		r = ops->prep(job, u);
		if (unlikely(r < 0)) {
			if (!job->error)
				job_set_error(job, -r, "%s: prep: %s", ops->name, strerror(-r));
			unit_put(w, u);
			w->quit = true;
			return r;
		}
	}
	for (;;) {
		r = ops->queue(job, u);
		if (likely(r == Q_COMPLETED)) {
			uint64_t now = clock_now_ns();

			w->now = now;
			sw_add(&job->stats.depth_hist[depth_bucket(w->inflight + 1)], 1);
			account(w, u, now);
			unit_put(w, u);
			return 0;
		}
		if (r == Q_QUEUED) {
			u->flags |= IOU_INFLIGHT;
			w->pend[w->nr_pend++] = u;
			w->inflight++;
			sw_add(&job->stats.depth_hist[depth_bucket(w->inflight)], 1);
			st_relaxed(&job->stats.inflight, w->inflight);
			if (w->nr_pend >= w->batch_submit || !w->free_list)
				return commit(w);
			return 0;
		}
		if (r == Q_BUSY) {
			if (commit(w) < 0)
				break;
			if (!w->inflight) {
				job_set_error(job, EBUSY, "%s: queue busy with nothing in flight",
					      ops->name);
				break;
			}
			if (reap(w, 1) < 0)
				break;
			continue;
		}
		if (!job->error)
			job_set_error(job, r < 0 ? -r : EIO, "%s: queue: %s", ops->name,
				      strerror(r < 0 ? -r : EIO));
		break;
	}
	unit_put(w, u);
	w->quit = true;
	return -EIO;
}

/* Issue an fsync/fdatasync of @f through the engine after draining. */
static int issue_sync(struct worker *w, int ddir, struct job_file *f)
{
	struct io_u *u;
	int ret = drain(w);

	if (ret)
		return ret;
	w->writes_since_sync = 0;
	u = w->free_list;
	if (!u)
		return -EIO;
	w->free_list = u->next;
	w->nr_free--;
	u->ddir = ddir;
	u->file = f;
	u->offset = 0;
	u->buflen = 0;
	u->flags = 0;
	u->start_ns = w->now = clock_now_ns();
	ret = submit(w, u);
	if (ret)
		return ret;
	return drain(w);
}

/* Sleep until @t or the job's stop (clock_wait). */
static void sleep_until_or_stop(struct worker *w, uint64_t t)
{
	clock_wait(t, &w->job->stop, -1);
	w->now = clock_now_ns();
}

/* Wait for @u's turn. Returns false when the runtime ends first. */
static bool pace(struct worker *w, struct io_u *u)
{
	uint64_t t = rate_when(&w->rate, u->ddir, u->buflen);

	if (t > w->now && t > clock_now_ns()) {
		/* like fio: nothing in flight while we wait for our turn */
		if (w->inflight)
			drain(w);
		if (w->deadline_ns && t >= w->deadline_ns) {
			sleep_until_or_stop(w, w->deadline_ns);
			return false;
		}
		sleep_until_or_stop(w, t);
	}
	rate_issued(&w->rate, u->ddir, u->buflen);
	return true;
}

static void lat_start(struct worker *w, uint64_t now);

static void begin_running(struct worker *w, uint64_t now)
{
	struct job *job = w->job;

	lat_start(w, now);
	st_relaxed(&job->stats.start_ns, now);
	w->deadline_ns = job->o.runtime_us ? now + job->o.runtime_us * NS_PER_US : 0;
	rate_reset(&w->rate, now);
	worker_set_runstate(job, RS_RUNNING, w->wake_fd);
}

static void end_ramp(struct worker *w)
{
	struct job *job = w->job;

	w->ramp_end_ns = 0;
	drain(w);
	stats_reset(&job->stats);
	workload_restart(&w->wl);
	for (int d = 0; d < DDIR_RWDIR_CNT; d++)
		st_relaxed(&job->bytes_issued[d], 0);
	begin_running(w, clock_now_ns());
}

/* Resize the queue: drain, tear the engine down and bring it up again with
 * @depth units (and buffers for the current block sizes). */
static int requeue_depth(struct worker *w, unsigned depth)
{
	struct job *job = w->job;
	int ret = drain(w);

	if (ret)
		return ret;
	engine_down(w);
	job->o.iodepth = depth;
	ret = engine_up(w);
	if (ret)
		w->quit = true;
	return ret;
}

static void apply_knobs(struct worker *w)
{
	struct job *job = w->job;
	struct job_knobs k;
	uint64_t now = clock_now_ns();
	bool resize = false;

	pthread_mutex_lock(&job->knob_lock);
	k = job->knobs;
	pthread_mutex_unlock(&job->knob_lock);
	w->knob_gen = k.gen;

	for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
		if (k.rate[d] != w->rate.d[d].bps || k.rate_iops[d] != w->rate.d[d].iops)
			rate_set(&w->rate, d, k.rate[d], k.rate_iops[d], now);
		if (k.bs[d] && k.bs[d] != w->wl.fixed_bs[d]) {
			uint32_t need = (k.bs[d] + BUF_ALIGN - 1) & ~(uint32_t)(BUF_ALIGN - 1);

			if (job->nr_units && need > job->buf_size / job->nr_units)
				resize = true;
			workload_set_bs(&w->wl, d, k.bs[d]);
		}
	}
	if (k.rwmixread != w->wl.rwmixread)
		workload_set_rwmix(&w->wl, k.rwmixread);
	if (k.iodepth && k.iodepth != w->depth)
		resize = true;
	if (resize)
		requeue_depth(w, k.iodepth ? k.iodepth : w->depth);
	w->now = clock_now_ns();
}

static void check_ratemin(struct worker *w)
{
	struct job *job = w->job;
	uint64_t bytes[DDIR_RWDIR_CNT], ios[DDIR_RWDIR_CNT];
	char msg[160];

	if (w->ramp_end_ns || w->now - w->rate.cycle_start_ns < w->rate.cycle_ns)
		return;
	for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
		bytes[d] = job->stats.dir[d].bytes;
		ios[d] = job->stats.dir[d].ios;
	}
	if (rate_check_min(&w->rate, w->now, bytes, ios, msg, sizeof(msg))) {
		job_set_error(job, EIO, "%s", msg);
		w->quit = true;
	}
}

/* Drops @f's cached pages (a block device's buffers). @sync: write dirty
 * pages first, which would not drop (a fresh layout); fio's drop on each
 * time_based pass does not. Best effort: errors are ignored. */
static void invalidate_file(const struct job_file *f, bool sync)
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

/* Read block @b back and check it (unit taken from the free list). */
static int verify_issue(struct worker *w, const struct verify_block *b)
{
	struct job *job = w->job;
	struct io_u *u = w->free_list;

	if (b->file >= job->nr_files || b->len > job->buf_size / job->nr_units) {
		job_set_error(job, EINVAL, "verify: logged block (file %u, %u bytes) does not fit this job",
			      b->file, b->len);
		w->quit = true;
		return -EINVAL;
	}
	w->free_list = u->next;
	w->nr_free--;
	u->ddir = DDIR_READ;
	u->flags = IOU_VERIFY;
	u->file = &job->files[b->file];
	u->offset = b->offset;
	u->buflen = b->len;
	u->seq = b->gen;
	sw_add(&job->bytes_issued[DDIR_READ], u->buflen);
	u->start_ns = w->now = clock_now_ns();
	return submit(w, u);
}

/* verify_backlog: check the blocks written since the last batch, with no
 * write in flight. Returns 0 or -errno. */
static int verify_backlog(struct worker *w)
{
	const struct verify_block *b;
	unsigned n, i = 0;
	int ret = drain(w);

	if (ret)
		return ret;
	n = verify_log_backlog(&w->vlog, w->vback, w->vbacklog);
	while (i < n && !w->quit && !ld_relaxed(&w->job->stop)) {
		if (!w->free_list) {
			if (reap(w, 1) < 0)
				return -EIO;
			continue;
		}
		b = &w->vback[i++];
		ret = verify_issue(w, b);
		if (ret)
			return ret;
		ret = verify_log_add(&w->vdone, b->file, b->offset, b->len, b->gen);
		if (ret)
			return ret;
	}
	return drain(w);
}

/* do_verify / verify_state_load: read back every logged block. */
static void verify_phase(struct worker *w)
{
	struct verify_cursor c;
	struct verify_block b, done;

	memset(&c, 0, sizeof(c));
	worker_set_runstate(w->job, RS_VERIFYING, w->wake_fd);
	while (!w->quit && !ld_relaxed(&w->job->stop)) {
		if (!w->free_list) {
			if (reap(w, 1) < 0)
				break;
			continue;
		}
		if (!verify_log_next(&w->vlog, &c, &b))
			break;
		if (w->vbacklog && verify_log_lookup(&w->vdone, b.file, b.offset, &done) &&
		    done.len == b.len && done.gen == b.gen)
			continue;
		if (verify_issue(w, &b))
			break;
	}
	drain(w);
}

static void verify_save(struct worker *w)
{
	struct job *job = w->job;
	char path[PATH_MAX], err[300];
	int ret;

	if (!w->vlog_ready || w->verify_only || w->state_loaded ||
	    !opt_on(job->o.verify_state_save))
		return;
	if (verify_state_path(path, sizeof(path), job->o.verify_state_save, w->vname)) {
		job_set_error(job, ENAMETOOLONG, "verify_state_save: name too long");
		return;
	}
	ret = verify_state_save(&w->vlog, path, w->vseed, &job->o, err, sizeof(err));
	if (ret)
		job_set_error(job, -ret, "%s", err);
}

/* ---- latency_target (search logic in lattarget.c) ---- */

/* Start the depth search when the measured run begins. */
static void lat_start(struct worker *w, uint64_t now)
{
	struct job *job = w->job;
	const struct job_opts *o = &job->o;

	st_relaxed(&job->lat_depth, 0);
	st_relaxed(&job->lat_settled, 0);
	if (!o->latency_target_us)
		return;
	if (!job->lt)
		job->lt = malloc(sizeof(*job->lt));
	if (!job->lt) {
		job_set_error(job, ENOMEM, "latency_target: out of memory");
		w->quit = true;
		return;
	}
	lat_target_init(job->lt, o->latency_target_us * NS_PER_US, o->latency_window_us * NS_PER_US,
			o->latency_percentile, w->depth, o->latency_run, now);
	st_relaxed(&job->lat_depth, job->lt->depth);
}

/* Act on the search's verdict: quiesce, publish the new depth, reset the
 * statistics for the final window. Returns true when the job is done. */
static bool lat_step(struct worker *w)
{
	struct job *job = w->job;
	struct lat_target *lt = job->lt;
	enum lat_action a;

	if (unlikely(lt->max_depth != w->depth))
		lat_start(w, w->now); /* iodepth turned from the UI: search again */
	a = lat_target_check(lt, w->now);
	if (likely(a == LT_NONE))
		return false;
	if (a == LT_FATAL) {
		job_set_error(job, ETIMEDOUT,
			      "latency_target: latency of %llu nsec exceeds the target (%llu nsec) "
			      "at depth 1", (unsigned long long)lt->fatal_lat_ns,
			      (unsigned long long)lt->target_ns);
		w->quit = true;
		return true;
	}
	if (drain(w) || a == LT_DONE)
		return true;
	w->now = clock_now_ns();
	if (a == LT_FINAL) {
		/* results describe the settled depth only, as fio's */
		stats_reset(&job->stats);
		for (int d = 0; d < DDIR_RWDIR_CNT; d++)
			st_relaxed(&job->bytes_issued[d], 0);
		st_relaxed(&job->stats.start_ns, w->now);
	}
	st_relaxed(&job->lat_depth, lt->depth);
	st_relaxed(&job->lat_settled, (int)lt->settled);
	lat_target_new_window(lt, w->now);
	return false;
}

static void lat_stop(struct job *job)
{
	free(job->lt);
	job->lt = NULL;
}

/* serialize_overlap: whether @u overlaps an I/O still in flight. A scan of
 * the units, as fio's; only jobs that ask for it pay. */
static bool overlaps_inflight(const struct worker *w, const struct io_u *u)
{
	const struct job *job = w->job;

	for (unsigned i = 0; i < job->nr_units; i++) {
		const struct io_u *o = &job->units[i];

		if ((o->flags & IOU_INFLIGHT) && o->file == u->file &&
		    o->offset < u->offset + u->buflen && u->offset < o->offset + o->buflen)
			return true;
	}
	return false;
}

static void run_loop(struct worker *w)
{
	struct job *job = w->job;

	for (;;) {
		struct io_u *u;

		if (unlikely(ld_relaxed(&job->knobs.gen) != w->knob_gen))
			apply_knobs(w);
		if (unlikely(ld_relaxed(&job->stop) || w->quit))
			break;
		if (unlikely(w->deadline_ns && w->now >= w->deadline_ns))
			break;
		if (unlikely(w->ramp_end_ns && w->now >= w->ramp_end_ns))
			end_ramp(w);
		if (unlikely(w->rate.min_enabled))
			check_ratemin(w);
		if (unlikely(job->lt) && !w->ramp_end_ns && lat_step(w))
			break;
		u = w->free_list;
		if (unlikely(!u || (job->lt && w->inflight >= job->lt->depth))) {
			unsigned min = w->batch_min ? w->batch_min : 1;

			if (w->depth_low && w->inflight > w->depth_low &&
			    w->inflight - w->depth_low > min)
				min = w->inflight - w->depth_low;
			if (reap(w, min) < 0)
				break;
			continue;
		}
		if (unlikely(w->sync_every && w->writes_since_sync >= w->sync_every) &&
		    workload_more(&w->wl)) {
			if (issue_sync(w, w->sync_ddir, &job->files[w->wl.cur_file]))
				break;
			continue;
		}
		if (unlikely(w->vbacklog) && verify_log_pending(&w->vlog) >= w->vbacklog) {
			if (verify_backlog(w))
				break;
			continue;
		}
		if (unlikely(w->flow) && flow_hold(w->flow, &w->flow_count, job->o.flow)) {
			/* above its share of the flow: let the others catch up */
			if (job->o.flow_sleep_us) {
				if (drain(w))
					break;
				clock_wait(clock_now_ns() + job->o.flow_sleep_us * NS_PER_US,
					   &job->stop, -1);
			} else {
				sched_yield();
			}
			w->now = clock_now_ns();
			continue;
		}
		if (workload_next(&w->wl, u)) {
			if (drain(w))
				break;
			if (w->wl.time_based || !workload_next_loop(&w->wl))
				break;
			continue;
		}
		if (unlikely(w->wl.new_pass)) {
			/* time_based, a new pass over the file: a cold cache
			 * again, as fio's (invalidate=1, buffered) */
			w->wl.new_pass = false;
			if (job->o.invalidate && !job->o.direct &&
			    !(job->ops->flags & ENG_NO_FILE_IO))
				invalidate_file(u->file, false);
		}
		if (unlikely(w->read_only) && (u->ddir == DDIR_WRITE || u->ddir == DDIR_TRIM)) {
			/* --readonly: a replayed iolog's writes and trims are
			 * skipped, as fio skips them (jobs that write were
			 * refused before they started) */
			w->ro_skipped++;
			continue;
		}
		if (unlikely(u->ddir >= DDIR_RWDIR_CNT)) { /* read_iolog sync/datasync */
			if (issue_sync(w, u->ddir, u->file))
				break;
			continue;
		}
		u->flags = 0;
		u->seq = ++w->seq;
		if (unlikely(w->verify_only)) {
			/* replay: the writes are read back and checked, nothing else */
			if (u->ddir != DDIR_WRITE)
				continue;
			u->ddir = DDIR_READ;
			u->flags = IOU_VERIFY;
			if (w->replay_any_gen)
				u->seq = 0;
		} else if (unlikely(w->verify) && u->ddir == DDIR_WRITE) {
			verify_fill(&job->o, w->vseed, u);
		} else if (unlikely(w->bd.per_write) && u->ddir == DDIR_WRITE) {
			bufdata_fill(&w->bd, u->buf, u->buflen);
		}
		w->free_list = u->next;
		w->nr_free--;
		sw_add(&job->bytes_issued[u->ddir], u->buflen);
		if (unlikely(w->rate.enabled)) {
			if (!pace(w, u) || ld_relaxed(&job->stop)) {
				unit_put(w, u);
				break;
			}
		}
		if (unlikely(w->serialize) && w->inflight) {
			while (w->inflight && overlaps_inflight(w, u))
				if (reap(w, 1) < 0)
					break;
			if (w->quit) {
				unit_put(w, u);
				break;
			}
		}
		u->start_ns = w->now = clock_now_ns();
		if (unlikely(submit(w, u)))
			break;
		if (unlikely(w->rate.think_ns) && rate_think_due(&w->rate)) {
			drain(w);
			rate_think(&w->rate, &job->stop);
			w->now = clock_now_ns();
		}
	}
	drain(w);
	if (w->ro_skipped && !job->note[0])
		snprintf(job->note, sizeof(job->note),
			 "--readonly: skipped the %llu writes and trims of the replayed iolog",
			 (unsigned long long)w->ro_skipped);
}

static double tv_since(const struct timeval *now, const struct timeval *then)
{
	double d = (double)(now->tv_sec - then->tv_sec) + (now->tv_usec - then->tv_usec) / 1e6;

	return d > 0 ? d : 0;
}

/* CPU time of the I/O phase only, as fio counts it: file layout and setup
 * before it would otherwise inflate usr/sys against the I/O runtime. */
static void rusage_begin(struct worker *w)
{
	struct rusage ru;

	if (getrusage(RUSAGE_THREAD, &ru))
		return;
	w->ru_utime0 = ru.ru_utime;
	w->ru_stime0 = ru.ru_stime;
}

static void record_rusage(struct worker *w)
{
	struct job *job = w->job;
	struct rusage ru;

	if (getrusage(RUSAGE_THREAD, &ru))
		return;
	st_double(&job->stats.usr_cpu_s, tv_since(&ru.ru_utime, &w->ru_utime0) + job->offload_usr_s);
	st_double(&job->stats.sys_cpu_s, tv_since(&ru.ru_stime, &w->ru_stime0) + job->offload_sys_s);
	st_relaxed(&job->stats.ctx_switches, (uint64_t)(ru.ru_nvcsw + ru.ru_nivcsw));
	st_relaxed(&job->stats.majf, (uint64_t)ru.ru_majflt);
	st_relaxed(&job->stats.minf, (uint64_t)ru.ru_minflt);
}

static void run_job(struct worker *w)
{
	struct job *job = w->job;
	const struct job_opts *o = &job->o;
	uint64_t now = clock_now_ns(), end;

	st_relaxed(&job->started_ns, now);
	rusage_begin(w);
	w->now = now;
	if (o->ramp_time_us) {
		w->ramp_end_ns = now + o->ramp_time_us * NS_PER_US;
		rate_reset(&w->rate, now);
		worker_set_runstate(job, RS_RAMP, w->wake_fd);
	} else {
		begin_running(w, now);
	}
	if (!w->state_loaded)
		run_loop(w);
	lat_stop(job);
	end = clock_now_ns();
	if (w->ramp_end_ns) {
		/* stopped during ramp_time: what ran there is not measured (it
		 * was counted against a runtime of 0, clamped to 1 ms: 17 TB/s) */
		drain(w);
		stats_reset(&job->stats);
		for (int d = 0; d < DDIR_RWDIR_CNT; d++)
			st_relaxed(&job->bytes_issued[d], 0);
		snprintf(job->note, sizeof(job->note),
			 "stopped during ramp_time (%.1f s of %.1f s): no I/O was measured",
			 (double)(end - ld_relaxed(&job->started_ns)) / 1e9,
			 (double)o->ramp_time_us / 1e6);
		w->ramp_end_ns = 0;
		st_relaxed(&job->stats.start_ns, end);
	}
	if (!ld_relaxed(&job->stats.start_ns))
		st_relaxed(&job->stats.start_ns, end);
	st_relaxed(&job->stats.end_ns, end);
	for (int d = 0; d < DDIR_RWDIR_CNT; d++)
		if (o->rw & (1u << d))
			st_relaxed(&job->stats.runtime_ns[d], end - job->stats.start_ns);

	verify_save(w);
	{
		bool vphase = w->vlog_ready && !w->verify_only && !job->error && !w->quit &&
			      !ld_relaxed(&job->stop) && (w->state_loaded ||
			      (o->do_verify && (o->rw & RW_WRITE)));
		bool fsync = o->end_fsync && (o->rw & RW_WRITE) && !job->error && !w->state_loaded;

		/* data reaches the disk before it is read back (as fio); the
		 * FSYNCING state shows only when no verify follows, runstates
		 * being forward-only */
		if (fsync) {
			if (!vphase)
				worker_set_runstate(job, RS_FSYNCING, w->wake_fd);
			w->end_syncing = true;
			for (unsigned i = 0; i < job->nr_files; i++)
				if (issue_sync(w, DDIR_SYNC, &job->files[i]))
					break;
			w->end_syncing = false;
		}
		if (vphase)
			verify_phase(w);
	}
}

static int verify_setup(struct worker *w)
{
	struct job *job = w->job;
	const struct job_opts *o = &job->o;
	bool load = opt_on(o->verify_state_load);
	char err[300];
	int ret;

	w->verify = o->verify != VERIFY_NONE;
	w->verify_only = false;
	w->state_loaded = false;
	w->vbacklog = 0;
	if (!w->verify)
		return 0;
	if (o->numjobs > 1)
		snprintf(w->vname, sizeof(w->vname), "%s.%u", job->name, w->clone);
	else
		snprintf(w->vname, sizeof(w->vname), "%s", job->name);
	w->vseed = verify_job_seed(o, w->vname);
	ret = verify_opts_check(o, err, sizeof(err));
	if (ret) {
		job_set_error(job, -ret, "%s", err);
		return ret;
	}
	if (!load && !o->verify_only && opt_on(o->verify_state_save)) {
		/* refused before the first write, not after the write phase */
		char path[PATH_MAX], what[PATH_MAX + 32];

		if (verify_state_path(path, sizeof(path), o->verify_state_save, w->vname)) {
			job_set_error(job, ENAMETOOLONG, "verify_state_save: name too long");
			return -ENAMETOOLONG;
		}
		snprintf(what, sizeof(what), "verify_state_save: %s", path);
		ret = outfile_check(path, 0, what, err, sizeof(err));
		if (ret) {
			job_set_error(job, -ret, "%s", err);
			return ret;
		}
	}
	w->vbacklog = load || o->verify_only ? 0 : o->verify_backlog;
	ret = verify_log_init(&w->vlog, w->vbacklog);
	if (ret) {
		job_set_error(job, -ret, "verify: write log: %s", strerror(-ret));
		return ret;
	}
	w->vlog_ready = true;
	if (w->vbacklog) {
		ret = verify_log_init(&w->vdone, 0);
		if (ret) {
			job_set_error(job, -ret, "verify_backlog: %s", strerror(-ret));
			return ret;
		}
		w->vback = calloc(w->vbacklog, sizeof(*w->vback));
		if (!w->vback) {
			job_set_error(job, ENOMEM, "verify_backlog=%u: out of memory", w->vbacklog);
			return -ENOMEM;
		}
	}
	if (load) {
		char path[PATH_MAX];

		if (verify_state_path(path, sizeof(path), o->verify_state_load, w->vname)) {
			job_set_error(job, ENAMETOOLONG, "verify_state_load: name too long");
			return -ENAMETOOLONG;
		}
		ret = verify_state_load(&w->vlog, path, o, &w->vseed, err, sizeof(err));
		if (ret) {
			job_set_error(job, -ret, "%s", err);
			return ret;
		}
		w->state_loaded = true;
		return 0;
	}
	if (o->verify_only) {
		w->verify_only = true;
		/* blocks written more than once: any generation is right */
		w->replay_any_gen = o->loops > 1 || o->norandommap || o->time_based || w->wl.wrap ||
				    ((o->rw & RW_RAND) && o->random_distribution != DIST_RANDOM);
	}
	return 0;
}

/* cpus_allowed and nice, for this worker thread only. Returns 0 or -errno
 * (job error set). */
/* numa_cpu_nodes: the CPUs of the nodes @nodes names ("all" or a list),
 * read from sysfs (no libnuma needed). Returns 0, -ENOENT when this
 * machine shows no NUMA nodes, or -EINVAL with @why. */
static int numa_node_cpus(const char *nodes, cpu_set_t *out, char *why, size_t whylen)
{
	cpu_set_t want;
	bool all = !strcasecmp(nodes, "all");
	int found = 0;

	CPU_ZERO(out);
	if (!all && opts_cpu_list(nodes, &want)) {
		snprintf(why, whylen, "'%s' is not a node list", nodes);
		return -EINVAL;
	}
	for (int n = 0; n < 1024; n++) {
		char path[96], list[4096];
		cpu_set_t cpus;
		FILE *f;

		snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/cpulist", n);
		f = fopen(path, "re");
		if (!f)
			continue;
		found++;
		if (fgets(list, sizeof(list), f) && (all || (n < CPU_SETSIZE && CPU_ISSET(n, &want)))) {
			list[strcspn(list, "\n")] = '\0';
			if (*list && !opts_cpu_list(list, &cpus))
				CPU_OR(out, out, &cpus);
		}
		fclose(f);
	}
	if (!found)
		return -ENOENT;
	if (!CPU_COUNT(out)) {
		snprintf(why, whylen, "no CPUs on node%s %s", strchr(nodes, ',') ||
			 strchr(nodes, '-') ? "s" : "", nodes);
		return -EINVAL;
	}
	return 0;
}

static int thread_placement(struct job *job)
{
	const struct job_opts *o = &job->o;
	bool cpus = o->cpus_allowed && *o->cpus_allowed;
	bool numa = o->numa_cpu_nodes && *o->numa_cpu_nodes;

	if (cpus || numa) {
		cpu_set_t set, nodes;
		char why[128];
		int rc = 0;

		if (cpus && opts_cpu_list(o->cpus_allowed, &set)) {
			job_set_error(job, EINVAL, "cpus_allowed: '%s' is not a CPU list",
				      o->cpus_allowed);
			return -EINVAL;
		}
		if (!cpus && sched_getaffinity(0, sizeof(set), &set))
			CPU_ZERO(&set);
		if (numa) {
			rc = numa_node_cpus(o->numa_cpu_nodes, &nodes, why, sizeof(why));
			if (rc == -ENOENT) {
				/* what fio without libnuma cannot do either: say so */
				snprintf(job->note, sizeof(job->note),
					 "numa_cpu_nodes=%s: no NUMA nodes under /sys/devices/"
					 "system/node; the job ran on any CPU", o->numa_cpu_nodes);
			} else if (rc) {
				job_set_error(job, EINVAL, "numa_cpu_nodes=%s: %s", o->numa_cpu_nodes,
					      why);
				return rc;
			} else {
				/* as fio: the nodes' CPUs replace cpus_allowed */
				set = nodes;
			}
		}
		/* as fio: split applies to a cpus_allowed set, by job number */
		if (cpus && o->cpus_allowed_policy == CPUS_SPLIT && (!numa || rc == -ENOENT))
			opts_cpus_split(&set, job->id);
		rc = CPU_COUNT(&set) ? pthread_setaffinity_np(pthread_self(), sizeof(set), &set) : 0;
		if (rc) {
			job_set_error(job, rc, "cpus_allowed=%s: %s (this machine has %ld CPUs)",
				      cpus ? o->cpus_allowed : "(all)", strerror(rc),
				      sysconf(_SC_NPROCESSORS_ONLN));
			return -rc;
		}
	}
	if (o->nice && setpriority(PRIO_PROCESS, (id_t)gettid(), o->nice) < 0) {
		int e = errno;

		job_set_error(job, e, "nice=%d: %s", o->nice, strerror(e));
		return -e;
	}
	return 0;
}

/* invalidate=1: the job starts from a cold page cache, as fio's does, so a
 * buffered read measures the device rather than memory. Best effort. */
static void invalidate_files(struct job *job)
{
	for (unsigned i = 0; i < job->nr_files; i++)
		invalidate_file(&job->files[i], true);
}

static int worker_setup(struct worker *w)
{
	struct job *job = w->job;
	char err[256];
	int ret;

	if (!job->ops) {
		job_set_error(job, EINVAL, "ioengine: unknown engine '%s'",
			      job->o.ioengine ? job->o.ioengine : "");
		return -EINVAL;
	}
	/* offload: the submit thread stamps issue_ns, so slat exists even for a
	 * sync engine */
	w->sync_engine = (job->ops->flags & ENG_SYNC) && job->o.io_submit_mode != SUBMIT_OFFLOAD;
	if (job->o.io_submit_mode == SUBMIT_OFFLOAD && (job->ops->flags & ENG_NO_OFFLOAD)) {
		job_set_error(job, EINVAL, "io_submit_mode=offload: ioengine=%s does not support it",
			      job->ops->name);
		return -EINVAL;
	}
	w->op_lat = job->ops->flags & ENG_OP_LAT;
	if (job->ops->setup && (ret = job->ops->setup(job)) < 0) {
		if (!job->error)
			job_set_error(job, -ret, "%s: %s", job->ops->name, strerror(-ret));
		return ret;
	}
	if (job->o.trim_percentage) {
		job_set_error(job, EINVAL, "trim_percentage=%u: not supported by iolab (trimming "
			      "verified blocks before the read back); remove it", job->o.trim_percentage);
		return -EINVAL;
	}
	ret = iolog_job_setup(job, w->clone); /* read_iolog: rewrites files, rw, bs */
	if (ret)
		return ret;
	w->coe = opts_coe(&job->o);
	w->sync_every = job->o.fsync_blocks ? job->o.fsync_blocks : job->o.fdatasync_blocks;
	w->sync_ddir = job->o.fsync_blocks ? DDIR_SYNC : DDIR_DATASYNC;
	if (!(job->o.rw & RW_WRITE))
		w->sync_every = 0;
	ret = thread_placement(job);
	if (ret)
		return ret;
	ret = setup_files(w);
	if (ret)
		return ret;
	ret = iolog_job_files(job, w->clone); /* write_iolog */
	if (ret)
		return ret;
	if (job->o.invalidate && !job->o.direct && !(job->ops->flags & ENG_NO_FILE_IO))
		invalidate_files(job);
	ret = workload_init(&w->wl, job, w->index, err, sizeof(err));
	if (ret) {
		job_set_error(job, -ret, "%s", err);
		return ret;
	}
	w->wl_ready = true;
	st_relaxed(&job->io_target_bytes,
		   job->o.time_based ? 0 : w->wl.loop_target * (w->wl.loops_left + 1));
	rate_init(&w->rate, &job->o, workload_seed(&job->o, w->index));
	w->wl.rate = &w->rate;
	ret = verify_setup(w);
	if (ret)
		return ret;
	ret = bufdata_init(&w->bd, &job->o, workload_seed(&job->o, w->index), w->index,
			   backend_njobs(w->be), err, sizeof(err));
	if (ret) {
		job_set_error(job, -ret, "%s", err);
		return ret;
	}
	w->serialize = job->o.serialize_overlap && job->o.iodepth > 1;
	if (job->o.flow && !w->flow) {
		job_set_error(job, ENOMEM, "flow: out of memory joining flow %u", job->o.flow_id);
		return -ENOMEM;
	}

	pthread_mutex_lock(&job->knob_lock);
	w->knob_gen = job->knobs.gen;
	pthread_mutex_unlock(&job->knob_lock);
	{
		struct sampler *smp = backend_sampler(w->be);

		w->flog = smp ? sampler_fiolog(smp, job->id) : NULL;
		if (w->flog && !fiolog_per_io(w->flog))
			w->flog = NULL;
	}
	return engine_up(w);
}

static void worker_teardown(struct worker *w)
{
	struct job *job = w->job;

	if (w->engine_up || w->off)
		drain(w);
	engine_down(w);
	if (w->wl_ready)
		workload_free(&w->wl);
	w->wl_ready = false;
	if (w->vlog_ready)
		verify_log_free(&w->vlog);
	w->vlog_ready = false;
	verify_log_free(&w->vdone); /* zeroed when never set up */
	free(w->vback);
	w->vback = NULL;
	if (job->o.unlink && job->ops && !(job->ops->flags & ENG_NO_FILE_IO))
		for (unsigned i = 0; i < job->nr_files; i++) {
			const struct job_file *f = &job->files[i];

			/* see job_file.made */
			if (f->made && f->checked_valid && S_ISREG(f->checked.st_mode))
				(void)outfile_unlink_if_same(f->path, f->checked.st_dev,
							     f->checked.st_ino);
		}
	iolog_job_end(job);
	free_files(job);
}

/* How long a stopped exec_prerun/exec_postrun child gets between SIGTERM
 * to its process group and SIGKILL. */
#define EXEC_TERM_GRACE_NS (2 * NS_PER_SEC)

/* Wait for child @pid, or for *@stop. Returns the wait status, or -1 with
 * errno; *@stopped says whether the stop came first (the child is then
 * gone too: its process group got SIGTERM, then SIGKILL after
 * EXEC_TERM_GRACE_NS). */
static int wait_child(pid_t pid, const int *stop, bool *stopped)
{
	int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
	uint64_t kill_at = UINT64_MAX;
	bool termed = false;
	int st;

	*stopped = false;
	for (;;) {
		pid_t r = waitpid(pid, &st, WNOHANG);

		if (r == pid)
			break;
		if (r < 0 && errno != EINTR) {
			int e = errno;

			if (pfd >= 0)
				close(pfd);
			errno = e;
			return -1;
		}
		if (!termed && stop && ld_relaxed(stop)) {
			/* the whole group: sh -c may have forked the real work */
			kill(-pid, SIGTERM);
			*stopped = termed = true;
			kill_at = clock_now_ns() + EXEC_TERM_GRACE_NS;
		} else if (termed && clock_now_ns() >= kill_at) {
			kill(-pid, SIGKILL);
			kill_at = UINT64_MAX;
		}
		/* without a pidfd (kernel < 5.3), poll waitpid every 10 ms */
		clock_wait(pfd >= 0 ? kill_at : clock_now_ns() + 10 * NS_PER_MS,
			   termed ? NULL : stop, pfd);
	}
	if (pfd >= 0)
		close(pfd);
	if (termed)
		kill(-pid, SIGKILL); /* the group's stragglers */
	return st;
}

/* sh -c @cmd, as system() but with default signal dispositions and mask
 * (the front end ignores SIGPIPE, workers block SIGINT/SIGTERM), without
 * system()'s process-wide ignoring of SIGINT while it waits, and in a
 * process group of its own so that a stop (*@stop) ends it and whatever
 * it started. Returns the wait status, or -1 with errno; *@stopped as
 * wait_child(). */
static int spawn_shell(const char *cmd, const int *stop, bool *stopped)
{
	char *argv[] = { "sh", "-c", (char *)cmd, NULL };
	posix_spawnattr_t a;
	sigset_t def, none;
	pid_t pid;
	int e;

	*stopped = false;
	sigemptyset(&none);
	sigemptyset(&def);
	sigaddset(&def, SIGPIPE);
	sigaddset(&def, SIGINT);
	sigaddset(&def, SIGTERM);
	sigaddset(&def, SIGHUP);
	sigaddset(&def, SIGUSR1);
	posix_spawnattr_init(&a);
	posix_spawnattr_setsigdefault(&a, &def);
	posix_spawnattr_setsigmask(&a, &none);
	posix_spawnattr_setpgroup(&a, 0);
	posix_spawnattr_setflags(&a, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK |
				     POSIX_SPAWN_SETPGROUP);
	e = posix_spawn(&pid, "/bin/sh", NULL, &a, argv, environ);
	posix_spawnattr_destroy(&a);
	if (e) {
		errno = e;
		return -1;
	}
	return wait_child(pid, stop, stopped);
}

/* exec_prerun/exec_postrun. Returns 0 or -errno (job error set). */
static int run_exec(struct worker *w, const char *what, const char *cmd)
{
	struct job *job = w->job;
	bool stopped;
	int st;

	if (!cmd || !cmd[0])
		return 0;
	if (!w->allow_exec) {
		job_set_error(job, EPERM,
			      "%s: not running '%s': shell commands from job files are off "
			      "(allow them with --allow-exec)", what, cmd);
		return -EPERM;
	}
	st = spawn_shell(cmd, &job->stop, &stopped);
	if (st == -1) {
		int e = errno;

		job_set_error(job, e, "%s: '%s': %s", what, cmd, strerror(e));
		return -e;
	}
	if (stopped) {
		job_set_error(job, ECANCELED,
			      "%s: '%s' ended: the run was stopped (its process group was sent "
			      "SIGTERM)", what, cmd);
		return -ECANCELED;
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st)) {
		job_set_error(job, ECHILD, "%s: '%s' %s %d", what, cmd,
			      WIFEXITED(st) ? "exited with status" : "died of signal",
			      WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
		return -ECHILD;
	}
	return 0;
}

/* wait_for=NAME: hold until that job has exited. Returns 0 or -errno. */
static int wait_for_job(struct worker *w)
{
	struct job *job = w->job;
	const struct job *t;
	unsigned n = backend_njobs(w->be);
	bool busy = true;

	if (!job->o.wait_for || !job->o.wait_for[0])
		return 0;
	t = backend_find_job(w->be, job->o.wait_for);
	if (!t || t == job) {
		job_set_error(job, EINVAL, "wait_for: %s '%s'",
			      t ? "a job cannot wait for itself:" : "no job named", job->o.wait_for);
		return -EINVAL;
	}
	if (t->group > job->group) {
		job_set_error(job, EINVAL, "wait_for: '%s' runs in a later group (stonewall)",
			      job->o.wait_for);
		return -EINVAL;
	}
	/* every job of that name (numjobs clones too), as fio */
	while (busy && !ld_relaxed(&job->stop)) {
		busy = false;
		for (unsigned i = 0; i < n && !busy; i++) {
			t = backend_job(w->be, i);
			busy = t != job && t->name && !strcmp(t->name, job->o.wait_for) &&
			       job_runstate(t) < RS_EXITED;
		}
		if (busy)
			clock_wait(clock_now_ns() + 10 * NS_PER_MS, &job->stop, -1);
	}
	return 0;
}

/* exitall: as fio's, one exitall anywhere in the run makes the end of any
 * job stop others, by the ending job's exit_what: the rest of its group
 * (group, the default), every job running now, whatever its group, later
 * groups still starting (stonewall), or everything (all).
 * exitall_on_error (@failed: this job failed with it) does the same for
 * this job only. */
static void exitall_group(struct worker *w, bool failed)
{
	struct job *job = w->job;
	unsigned n = backend_njobs(w->be);
	bool any = failed;

	for (unsigned i = 0; i < n && !any; i++)
		any = backend_job(w->be, i)->o.exitall;
	if (!any)
		return;
	if (job->o.exit_what == EXIT_ALL) {
		backend_stop(w->be, -1);
		return;
	}
	for (unsigned i = 0; i < n; i++) {
		const struct job *o = backend_job(w->be, i);
		enum runstate rs = job_runstate(o);

		if (i == job->id)
			continue;
		if (job->o.exit_what == EXIT_STONEWALL ? rs >= RS_RUNNING && rs < RS_EXITED
						       : o->group == job->group)
			backend_stop(w->be, (int)i);
	}
}

int worker_plan(struct job *job, FILE *out)
{
	struct worker *w = job->priv;
	const struct job_opts *o = &job->o;
	char err[256], b[32];
	int ret;

	fprintf(out, "%s: rw=%s, ioengine=%s, iodepth=%u%s\n", job->name,
		opt_choice_name(opt_find("rw"), o->rw) ? opt_choice_name(opt_find("rw"), o->rw) : "?",
		o->ioengine ? o->ioengine : "?", o->iodepth, o->direct ? ", direct" : "");
	if (!job->ops) {
		job_set_error(job, EINVAL, "ioengine: unknown engine '%s'",
			      o->ioengine ? o->ioengine : "");
		return -EINVAL;
	}
	if (job->ops->flags & ENG_NO_FILE_IO)
		fprintf(out, "  no files: ioengine=%s does no file I/O\n", job->ops->name);
	/* the same steps as worker_setup: the engine's setup, read_iolog's
	 * files and extent */
	ret = job->ops->setup ? job->ops->setup(job) : 0;
	if (ret < 0 && !job->error)
		job_set_error(job, -ret, "%s: %s", job->ops->name, strerror(-ret));
	if (!ret) {
		ret = iolog_job_setup(job, w->clone);
		if (!ret && job->iolog_replay)
			fprintf(out, "  replays %s: %zu I/Os over %u file%s, rw=%s as the log "
				"says\n", o->read_iolog, job->iolog_replay->nr,
				job->iolog_replay->nr_files,
				job->iolog_replay->nr_files == 1 ? "" : "s",
				opt_choice_name(opt_find("rw"), o->rw) ?
					opt_choice_name(opt_find("rw"), o->rw) : "?");
	}
	w->plan = out;
	if (!ret)
		ret = setup_files(w);
	w->plan = NULL;
	if (!ret) {
		ret = workload_init(&w->wl, job, w->index, err, sizeof(err));
		if (ret) {
			job_set_error(job, -ret, "%s", err);
		} else {
			fmt_size(b, sizeof(b), w->wl.loop_target * (w->wl.loops_left + 1), o->kb_base);
			if (o->time_based)
				fprintf(out, "  runs for %.1f s (time_based), looping over the region\n",
					(double)o->runtime_us / 1e6);
			else
				fprintf(out, "  transfers %s%s\n", b,
					o->runtime_us ? " or stops at runtime, whichever is first" : "");
			workload_free(&w->wl);
		}
	}
	if (ret)
		fprintf(out, "  would fail: %s\n", job->errmsg[0] ? job->errmsg : strerror(-ret));
	free_files(job);
	iolog_job_end(job); /* the replay set up above; no writer was opened */
	return ret;
}

void worker_flow_join(struct job *job)
{
	struct worker *w = job->priv;

	if (!w || !job->o.flow || w->flow)
		return;
	w->flow = flow_join(job->o.flow_id, job->o.flow);
	w->flow_count = 0;
}

void worker_flow_leave(struct job *job)
{
	struct worker *w = job->priv;

	if (!w || !w->flow)
		return;
	flow_leave(w->flow, w->flow_count, job->o.flow);
	w->flow = NULL;
}

void *worker_main(void *arg)
{
	struct job *job = arg;
	struct worker *w = job->priv;
	const struct job_opts *o = &job->o;
	char tname[16];

	snprintf(tname, sizeof(tname), "iolab-%.9s", job->name ? job->name : "job");
	pthread_setname_np(pthread_self(), tname);

	rusage_begin(w);
	job->offload_usr_s = job->offload_sys_s = 0;
	w->quit = false;
	w->buf_bs = 0;
	w->inflight = 0;
	w->nr_pend = 0;
	w->writes_since_sync = 0;
	w->seq = 0;
	w->ramp_end_ns = 0;
	w->deadline_ns = 0;
	if (worker_setup(w) == 0) {
		worker_set_runstate(job, RS_INITIALIZED, w->wake_fd);
		/* startdelay counts from the start of the run, as fio's (a job
		 * in a later group may not wait at all), before wait_for */
		if (o->startdelay_us)
			sleep_until_or_stop(w, backend_start_ns(w->be) + o->startdelay_us * NS_PER_US);
		if (!ld_relaxed(&job->stop) && !wait_for_job(w) &&
		    !run_exec(w, "exec_prerun", o->exec_prerun)) {
			if (!ld_relaxed(&job->stop))
				run_job(w);
			/* a stopped job skips it: a stop would end it at once */
			if (!job->error && !ld_relaxed(&job->stop))
				run_exec(w, "exec_postrun", o->exec_postrun);
		}
	}
	worker_set_runstate(job, RS_FINISHING, w->wake_fd);
	worker_teardown(w);
	record_rusage(w);
	st_relaxed(&job->ended_ns, clock_now_ns());
	exitall_group(w, o->exitall_on_error && ld_relaxed(&job->error));
	worker_set_runstate(job, RS_EXITED, w->wake_fd);
	return NULL;
}
