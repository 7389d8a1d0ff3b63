/* I/O engines: one ops table per engine, selected by ioengine=.
 *
 * Call order, all from the job's worker thread (or its submit thread in
 * offload mode; see each hook):
 *   setup? -> [files laid out, workload set up] ->
 *   init -> open_file (each file) -> [io_u_init per unit]
 *   loop: prep? -> queue -> commit -> getevents -> event ...
 *   cancel (on stop) -> close_file -> io_u_free -> cleanup
 * A hook returns 0 or a negative errno unless its comment says otherwise.
 * On failure a hook calls job_set_error() with what failed, e.g.
 * "io_uring_queue_init: Operation not permitted", before returning. */
#ifndef IOLAB_ENGINE_H
#define IOLAB_ENGINE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/uio.h>
#include <time.h>

struct job;
struct job_file;
struct job_opts;

/* One I/O in flight. Owned by its job; engines may keep private state in
 * engine_data (set up in io_u_init). */
struct io_u {
	void *buf;          /* aligned to the job's buffer alignment */
	uint32_t buflen;    /* bytes to transfer */
	uint32_t resid;     /* bytes not transferred (set by the engine) */
	uint64_t offset;    /* byte offset in file */
	int ddir;           /* enum ddir, including DDIR_SYNC/DDIR_DATASYNC */
	int error;          /* positive errno, set by the engine */
	struct job_file *file;
	uint64_t start_ns;  /* when the unit was prepared (lat starts) */
	uint64_t issue_ns;  /* when it was handed to the device (slat ends) */
	uint64_t seq;       /* generation, for verify headers */
	void *engine_data;
	unsigned index;     /* position in the job's unit array */
	struct io_u *next;  /* free list / offload list linkage */
	unsigned flags;
	/* I/O priority (backend/cmdprio.h), set by the worker before queue:
	 * the job thread's, or with IOU_CMDPRIO one of its own that the
	 * engine passes with the I/O (libaio, io_uring). prio_idx: its entry
	 * in the job's per-priority stats. */
	uint32_t ioprio;
	uint16_t prio_idx;
};

enum io_u_flags {
	IOU_VERIFY = 1u << 0,   /* this read verifies earlier written data */
	IOU_TRIM_ZERO = 1u << 1,
	IOU_INFLIGHT = 1u << 2, /* queued to the engine, not reaped (worker's) */
	IOU_CMDPRIO = 1u << 3,  /* ioprio is this I/O's own (cmdprio) */
};

enum queue_status {
	Q_COMPLETED = 0, /* done inline; error/resid are set */
	Q_QUEUED = 1,    /* will be returned by event() after getevents() */
	Q_BUSY = 2,      /* no room: commit and reap, then try again */
};

enum engine_flags {
	ENG_SYNC = 1u << 0,       /* queue() always completes inline */
	ENG_NO_FILE_IO = 1u << 1, /* null: opens no file */
	ENG_DISKLESS = 1u << 2,   /* no block device under it */
	ENG_NO_OFFLOAD = 1u << 3, /* io_submit_mode=offload not supported */
	ENG_MEMALIGN = 1u << 4,   /* buffers must be page-aligned */
	/* The backend neither creates nor lays out the job's files: the
	 * engine makes them during the run (filecreate). */
	ENG_NO_LAYOUT = 1u << 5,
	/* The engine times operations on files (create, stat, unlink), not
	 * transfers: a completed unit counts its bytes and one I/O but no
	 * latency; the engine records one completion latency per operation
	 * with engine_op_lat(), from the worker thread (so with
	 * ENG_NO_OFFLOAD). fio's FIO_NOSTATS engines. */
	ENG_OP_LAT = 1u << 6,
	/* Units move no data (cpuio): queue() sets buflen to 0, so a unit
	 * counts as one I/O of no bytes. Such a job is not an I/O job for
	 * exit_on_io_done (job_io_peers_running). fio's FIO_NOIO. */
	ENG_NO_DATA = 1u << 7,
	/* The engine works on data already in the file (e4defrag moves its
	 * extents): the backend lays the region out (writes it) before the
	 * run even when the job only writes, as fio lays out every file. */
	ENG_LAYOUT_DATA = 1u << 8,
};

struct engine_ops {
	const char *name;
	unsigned flags; /* enum engine_flags */

	/* Optional, first of all hooks, before the job's files, workload and
	 * pacing are set up from job->o: may check and adjust job->o (cpuio
	 * turns cpuload into thinktime, as fio's engine does) and must not
	 * allocate. Also run by the dry run. Returns 0 or -errno (job error
	 * set, naming the option: "ftruncate: rw=read: ..."). */
	int (*setup)(struct job *job);
	/* Optional: the engine's own rules on a job's options, run by
	 * opts_validate when a job is loaded or edited (so a refusal names
	 * the file and line) and by the engine's setup. Any thread; pure.
	 * Returns 0, or -1 with "option: why (hint)" in @err. */
	int (*check)(const struct job_opts *o, char *err, size_t errlen);
	int (*init)(struct job *job);
	void (*cleanup)(struct job *job);
	int (*open_file)(struct job *job, struct job_file *f);
	int (*close_file)(struct job *job, struct job_file *f);
	int (*io_u_init)(struct job *job, struct io_u *u);
	void (*io_u_free)(struct job *job, struct io_u *u);
	/* Optional: set up the unit before queue (e.g. prepare an SQE). */
	int (*prep)(struct job *job, struct io_u *u);
	/* Required. Returns enum queue_status. */
	int (*queue)(struct job *job, struct io_u *u);
	/* Optional: push queued units to the kernel. Returns 0 or -errno. */
	int (*commit)(struct job *job);
	/* Wait for at least @min (up to @max) completions, or until @t passes
	 * (NULL: no timeout). Returns the number available to event(), or
	 * -errno. Required unless ENG_SYNC. */
	int (*getevents)(struct job *job, unsigned min, unsigned max, const struct timespec *t);
	/* The @i-th completion from the last getevents(). */
	struct io_u *(*event)(struct job *job, int i);
	/* Optional: try to cancel a queued unit. */
	int (*cancel)(struct job *job, struct io_u *u);
};

/* Registry. engine_find returns NULL for an unknown name. */
const struct engine_ops *engine_find(const char *name);
/* All registered engines, NULL-terminated, for help and the editor. */
const struct engine_ops *const *engine_list(void);
/* Checks a table: name, queue, and getevents+event unless ENG_SYNC.
 * Returns 0 or -EINVAL. */
int engine_check(const struct engine_ops *ops);

/* Shared by the file engines (sync, psync, pvsync, libaio, io_uring, mmap,
 * splice). Worker thread only.
 *
 * engine_generic_open opens f->path into f->fd: O_RDWR|O_CREAT (mode 0600)
 * when the job writes or trims, else O_RDONLY; O_DIRECT when o.direct;
 * always O_CLOEXEC. Sets f->is_blockdev when the path is a block device.
 * The backend lays files out before; a missing file is created only for
 * writers. Returns 0 or -errno (job_set_error names the path and why).
 * engine_generic_close fsyncs first when o.fsync_on_close and the file was
 * opened for writing, then closes and sets f->fd = -1. Returns 0 or -errno. */
int engine_generic_open(struct job *job, struct job_file *f);
int engine_generic_close(struct job *job, struct job_file *f);

/* Synchronous helpers for units an engine completes inline: they fill
 * u->error (positive errno, 0 on success) and u->resid, and return nothing.
 * engine_do_sync: DDIR_SYNC -> fsync, DDIR_DATASYNC -> fdatasync.
 * engine_do_trim: ioctl(BLKDISCARD) on block devices, else
 * fallocate(PUNCH_HOLE|KEEP_SIZE). EINTR is retried. */
void engine_do_sync(struct io_u *u);
void engine_do_trim(struct io_u *u);

/* ENG_OP_LAT engines: one operation on a file of direction @ddir (READ,
 * WRITE or TRIM) took @ns; it counts as a completion latency (fio's clat),
 * in the interval latencies the sampler reads, and as a clat line of the
 * per-I/O fio logs. Worker thread only (backend/worker.c). */
void engine_op_lat(struct job *job, int ddir, uint64_t ns);

/* mmap engine: largest window it maps at once (bytes, rounded to pages;
 * 0 restores the default: the whole region, in windows only if the address
 * space refuses it). For tests and for 32-bit hosts. Not thread-safe. */
void engine_mmap_set_window(uint64_t bytes);

extern const struct engine_ops engine_null, engine_sync, engine_psync, engine_pvsync,
	engine_libaio, engine_io_uring, engine_mmap, engine_splice;
/* Engines that need no special hardware, one file each. */
extern const struct engine_ops engine_pvsync2;
extern const struct engine_ops engine_posixaio;
extern const struct engine_ops engine_falloc;
extern const struct engine_ops engine_ftruncate;
extern const struct engine_ops engine_cpuio;
extern const struct engine_ops engine_filecreate;
extern const struct engine_ops engine_filestat;
extern const struct engine_ops engine_filedelete;
extern const struct engine_ops engine_exec;
extern const struct engine_ops engine_e4defrag;

#endif
