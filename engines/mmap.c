/* mmap engine: the job's region of each file is mapped MAP_SHARED; reads copy
 * out of the map, writes copy into it. Every unit completes inside queue().
 *
 * open_file extends a regular file with ftruncate to io_start + io_size when
 * the job writes, then maps the region whole. If the address space refuses
 * that (or engine_mmap_set_window() set a smaller cap) the engine maps a
 * window at a time and moves it when a unit falls outside.
 * Reads past the end of the file (as open_file saw it) come back short
 * (resid). A file truncated under the map while the job runs makes the copy
 * fault (SIGBUS): a handler installed once for the process jumps back to the
 * unit that faulted, on whichever thread copies (worker or offload submit
 * thread), and the job fails with the offset instead of the process dying.
 * DDIR_SYNC/DATASYNC: msync(MS_SYNC) of the mapped window, plus
 * fsync/fdatasync when the window does not cover the region. With
 * o.mmap_msync each write is followed by msync(MS_SYNC) of its pages. */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <linux/fs.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../backend/job.h"
#include "engine.h"

#define MMAP_FALLBACK_WINDOW (1ull << 30)

static uint64_t mmap_window_cap; /* 0: no cap */

void engine_mmap_set_window(uint64_t bytes)
{
	mmap_window_cap = bytes;
}

struct mmap_file {
	char *map;          /* NULL when nothing is mapped */
	uint64_t map_off;   /* file offset of map[0], page aligned */
	uint64_t map_len;
	uint64_t window;    /* length the next mapping aims for */
	uint64_t fsize;     /* bytes of the file; reads stop there */
	uint64_t reg_start, reg_end; /* the job's region */
	int prot;
	int advice;
	bool writable;
};

static uint64_t page_size(void)
{
	static uint64_t ps;

	if (!ps)
		ps = (uint64_t)sysconf(_SC_PAGESIZE);
	return ps;
}

static void mmap_unmap(struct mmap_file *mf)
{
	if (mf->map)
		munmap(mf->map, mf->map_len);
	mf->map = NULL;
	mf->map_len = 0;
}

/* ---- SIGBUS: the file shrank under the map ----
 * bus_jmp is armed (non-NULL) on a thread only around its copy to or from
 * the map; the handler touches nothing but this thread's two variables
 * (initial-exec TLS in the executable, async-signal-safe) and siglongjmp.
 * SA_NODEFER leaves SIGBUS unblocked after the jump, so sigsetjmp need not
 * save the mask (no system call per I/O). A SIGBUS that is not ours goes
 * to the disposition that was there before (default: the process dies;
 * the workbench's handler restores the terminal first). */
static __thread sigjmp_buf *volatile bus_jmp; /* volatile: the stores around memcpy stay */
static __thread volatile uintptr_t bus_addr;
static struct sigaction bus_prev;
static pthread_once_t bus_once = PTHREAD_ONCE_INIT;

static void on_sigbus(int sig, siginfo_t *si, void *ctx)
{
	sigjmp_buf *j = bus_jmp;

	(void)ctx;
	if (j && si->si_code > 0) {
		bus_jmp = NULL;
		bus_addr = (uintptr_t)si->si_addr;
		siglongjmp(*j, 1);
	}
	sigaction(SIGBUS, &bus_prev, NULL);
	if (si->si_code <= 0)
		raise(sig); /* sent, not a fault: nothing to re-execute */
	/* a fault returns and repeats under the previous disposition */
}

static void bus_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigbus;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, &bus_prev);
}

/* memcpy(@dst, @src, @len) where one side is the map. Returns 0, or
 * -EFAULT when the copy touched a page past the end of the file; then
 * *@fault_off is the file offset of the faulting byte. */
static int map_copy(struct mmap_file *mf, void *dst, const void *src, size_t len,
		    uint64_t *fault_off)
{
	sigjmp_buf jb;

	if (sigsetjmp(jb, 0)) {
		uintptr_t a = bus_addr, m = (uintptr_t)mf->map;

		*fault_off = mf->map_off + (a >= m && a < m + mf->map_len ? a - m : 0);
		return -EFAULT;
	}
	bus_jmp = &jb;
	memcpy(dst, src, len);
	bus_jmp = NULL;
	return 0;
}

/* Maps a window covering [off, off + len). Returns 0 or -errno. */
static int mmap_window(struct mmap_file *mf, int fd, uint64_t off, uint64_t len)
{
	uint64_t ps = page_size();
	uint64_t start = off & ~(ps - 1);
	uint64_t need = ((off + len + ps - 1) & ~(ps - 1)) - start;
	uint64_t want;
	void *p;

	mmap_unmap(mf);
	for (;;) {
		want = mf->window > need ? mf->window : need;
		want = (want + ps - 1) & ~(ps - 1);
		/* keep a region-sized window on the region */
		if (start + want > mf->reg_end && mf->reg_end > want && mf->reg_end - want <= start)
			start = ((mf->reg_end - want) & ~(ps - 1));
		if (start + want < off + len)
			want = ((off + len + ps - 1) & ~(ps - 1)) - start;
		p = mmap(NULL, want, mf->prot, MAP_SHARED, fd, (off_t)start);
		if (p != MAP_FAILED)
			break;
		if (errno != ENOMEM || mf->window <= need)
			return -errno;
		mf->window = mf->window > MMAP_FALLBACK_WINDOW ? MMAP_FALLBACK_WINDOW : mf->window / 2;
	}
	if (mf->advice >= 0)
		madvise(p, want, mf->advice);
	mf->map = p;
	mf->map_off = start;
	mf->map_len = want;
	return 0;
}

static int mmap_file_size(int fd, bool blockdev, uint64_t *size)
{
	struct stat st;

	if (blockdev)
		return ioctl(fd, BLKGETSIZE64, size) < 0 ? -errno : 0;
	if (fstat(fd, &st) < 0)
		return -errno;
	*size = (uint64_t)st.st_size;
	return 0;
}

static int mmap_open(struct job *job, struct job_file *f)
{
	struct mmap_file *mf;
	uint64_t end;
	int r;

	f->engine_data = NULL;
	pthread_once(&bus_once, bus_install);
	r = engine_generic_open(job, f);
	if (r < 0)
		return r;
	mf = calloc(1, sizeof(*mf));
	if (!mf) {
		r = -ENOMEM;
		job_set_error(job, ENOMEM, "mmap(%s): out of memory", f->path);
		goto err;
	}
	mf->writable = job->o.rw & (RW_WRITE | RW_TRIM);
	mf->prot = PROT_READ | (mf->writable ? PROT_WRITE : 0);
	mf->advice = opts_is_random(&job->o) ? MADV_RANDOM : MADV_SEQUENTIAL;
	r = mmap_file_size(f->fd, f->is_blockdev, &mf->fsize);
	if (r < 0) {
		job_set_error(job, -r, "mmap: size of %s: %s", f->path, strerror(-r));
		goto err;
	}
	mf->reg_start = f->io_start;
	end = f->io_size ? f->io_start + f->io_size : mf->fsize;
	if (mf->writable && !f->is_blockdev && mf->fsize < end) {
		if (ftruncate(f->fd, (off_t)end) < 0) {
			r = -errno;
			job_set_error(job, errno, "ftruncate(%s, %llu): %s", f->path,
				      (unsigned long long)end, strerror(errno));
			goto err;
		}
		mf->fsize = end;
	}
	mf->reg_end = end > mf->reg_start ? end : mf->reg_start;
	mf->window = mf->reg_end - mf->reg_start;
	if (mmap_window_cap && mf->window > mmap_window_cap)
		mf->window = mmap_window_cap;
	if (mf->window) {
		r = mmap_window(mf, f->fd, mf->reg_start, mf->window);
		if (r < 0) {
			job_set_error(job, -r, "mmap(%s, %llu bytes at %llu): %s", f->path,
				      (unsigned long long)mf->window, (unsigned long long)mf->reg_start,
				      strerror(-r));
			goto err;
		}
	} else {
		mf->window = page_size();
	}
	f->engine_data = mf;
	return 0;
err:
	free(mf);
	engine_generic_close(job, f);
	return r;
}

static int mmap_close(struct job *job, struct job_file *f)
{
	struct mmap_file *mf = f->engine_data;

	if (mf) {
		mmap_unmap(mf);
		free(mf);
		f->engine_data = NULL;
	}
	return engine_generic_close(job, f);
}

/* msync the pages under [p, p + len). */
static int mmap_msync_range(char *p, uint64_t len)
{
	uint64_t ps = page_size();
	uintptr_t a = (uintptr_t)p & ~(uintptr_t)(ps - 1);

	return msync((void *)a, (size_t)((uintptr_t)p + len - a), MS_SYNC);
}

static int mmap_rw(struct job *job, struct io_u *u, struct mmap_file *mf)
{
	struct job_file *f = u->file;
	uint64_t len = u->buflen, fault = 0;
	char *p;
	int r;

	if (u->ddir == DDIR_READ) {
		if (u->offset >= mf->fsize)
			return (int)len; /* at or past the end: nothing */
		if (u->offset + len > mf->fsize)
			len = mf->fsize - u->offset;
	} else {
		if (!mf->writable)
			return -EBADF;
		if (u->offset + len > mf->fsize) {
			if (f->is_blockdev)
				return -ENOSPC;
			if (ftruncate(f->fd, (off_t)(u->offset + len)) < 0)
				return -errno;
			mf->fsize = u->offset + len;
		}
	}
	if (!mf->map || u->offset < mf->map_off || u->offset + len > mf->map_off + mf->map_len) {
		r = mmap_window(mf, f->fd, u->offset, len);
		if (r < 0)
			return r;
	}
	p = mf->map + (u->offset - mf->map_off);
	r = u->ddir == DDIR_READ ? map_copy(mf, u->buf, p, len, &fault)
				 : map_copy(mf, p, u->buf, len, &fault);
	if (r) {
		job_set_error(job, EIO, "mmap: %s at offset %llu of %s: the file was truncated "
			      "(SIGBUS at byte %llu)", u->ddir == DDIR_READ ? "read" : "write",
			      (unsigned long long)u->offset, f->path, (unsigned long long)fault);
		return -EIO;
	}
	if (u->ddir == DDIR_WRITE && job->o.mmap_msync && mmap_msync_range(p, len) < 0)
		return -errno;
	return (int)(u->buflen - len);
}

static void mmap_sync(struct io_u *u, struct mmap_file *mf)
{
	bool covers = mf->map && mf->map_off <= mf->reg_start &&
		      mf->map_off + mf->map_len >= mf->reg_end;

	if (mf->map && msync(mf->map, mf->map_len, MS_SYNC) < 0) {
		u->error = errno;
		u->resid = 0;
		return;
	}
	if (covers) {
		u->error = 0;
		u->resid = 0;
		return;
	}
	engine_do_sync(u);
}

static int mmap_queue(struct job *job, struct io_u *u)
{
	struct mmap_file *mf = u->file->engine_data;
	int r;

	switch (u->ddir) {
	case DDIR_READ:
	case DDIR_WRITE:
		r = mmap_rw(job, u, mf);
		if (r < 0) {
			u->error = -r;
			u->resid = u->buflen;
		} else {
			u->error = 0;
			u->resid = (uint32_t)r;
		}
		break;
	case DDIR_SYNC:
	case DDIR_DATASYNC:
		mmap_sync(u, mf);
		break;
	case DDIR_TRIM:
		engine_do_trim(u);
		break;
	default:
		u->error = EINVAL;
		u->resid = u->buflen;
		break;
	}
	return Q_COMPLETED;
}

const struct engine_ops engine_mmap = {
	.name = "mmap",
	.flags = ENG_SYNC,
	.open_file = mmap_open,
	.close_file = mmap_close,
	.queue = mmap_queue,
};
