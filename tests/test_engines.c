/* Engines: each engine (and io_uring/mmap/pvsync2 variants) writes 4 KiB
 * blocks sequentially, syncs, reads them back in order and at random,
 * buffered and O_DIRECT; short reads at end of file, trim, Q_BUSY with more
 * units than the queue; pvsync2's RWF flags; the registry (engine_find,
 * engine_list, engine_check). The engines that move no data are tested
 * through the backend in test_engines_nohw.c.
 *
 * Scratch files live under $TEST_TMP, $TMPDIR or /tmp; /var/tmp when that is tmpfs
 * (no O_DIRECT there). A case the kernel refuses (io_uring disabled, no
 * O_DIRECT) skips and says why.
 *
 * IOLAB_ENGINE_BENCH=SECONDS adds a 4k random-read QD32 O_DIRECT run per
 * async engine (and QD1 for psync) on a 256 MiB scratch file (removed after),
 * printing IOPS and CPU time; IOLAB_ENGINE_BENCH_BATCH1=1 commits after every
 * queue (fio's iodepth_batch_submit=1) instead of once per batch. Without
 * IOLAB_ENGINE_BENCH the bench cases skip. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "tests/scratch.h"

#include "backend/job.h"
#include "engines/engine.h"

#define BS 4096u
#define NR_BLOCKS 64u
#define FILE_SIZE ((uint64_t)NR_BLOCKS * BS)
#define TMPFS_MAGIC_ 0x01021994

enum case_flags {
	C_DIRECT = 1u << 0,
	C_FIXEDBUFS = 1u << 1, /* io_uring fixedbufs + registerfiles */
	C_SQPOLL = 1u << 2,
	C_HIPRI = 1u << 3,
	C_WINDOW = 1u << 4, /* mmap in 16 KiB windows */
	C_NOWAIT = 1u << 5, /* pvsync2 nowait */
	C_UNCACHED = 1u << 6, /* pvsync2 uncached */
	C_HALF = 1u << 7,   /* pvsync2 hipri_percentage=50 */
};

struct ecase {
	const char *engine;
	unsigned flags;
	unsigned depth;
	unsigned units;
};

struct harness {
	const struct ecase *c;
	const struct engine_ops *ops;
	struct job job;
	struct job_file file;
	struct io_u *units;
	unsigned nr_units;
	bool inited, opened;
	bool keep; /* not a scratch file: leave it */
	char path[PATH_MAX];
	char why[300]; /* set when setup could not run: the reason to skip */
};

static char scratch_dir[1024];

/* ---- scratch space ---------------------------------------------------- */

static void scratch_make(void)
{
	const char *base = scratch_base();
	struct statfs sfs;

	if (statfs(base, &sfs) == 0 && sfs.f_type == TMPFS_MAGIC_)
		base = "/var/tmp"; /* tmpfs has no O_DIRECT */
	snprintf(scratch_dir, sizeof(scratch_dir), "%s/iolab-engines.XXXXXX", base);
	if (!mkdtemp(scratch_dir)) {
		fprintf(stderr, "cannot create scratch dir under %s: %s\n", base, strerror(errno));
		exit(1);
	}
}

static char bench_file_name[1100];

static void scratch_remove(void)
{
	if (bench_file_name[0])
		unlink(bench_file_name);
	rmdir(scratch_dir);
}

/* ---- data pattern ----------------------------------------------------- */

static void fill_block(void *buf, uint64_t blk, uint64_t gen)
{
	uint64_t *w = buf;

	for (unsigned i = 0; i < BS / 8; i++)
		w[i] = (blk << 40) ^ (gen << 20) ^ i ^ 0x5a5a5a5a00000000ull;
}

static int check_block(const void *buf, uint64_t blk, uint64_t gen)
{
	const uint64_t *w = buf;

	for (unsigned i = 0; i < BS / 8; i++)
		if (w[i] != ((blk << 40) ^ (gen << 20) ^ i ^ 0x5a5a5a5a00000000ull))
			return -1;
	return 0;
}

/* ---- harness ---------------------------------------------------------- */

/* Builds a job on a fresh scratch file for case @c. Returns 0, or -1 with
 * h->why set (the test then skips or fails as it sees fit). */
static int harness_setup(struct harness *h, const struct ecase *c, unsigned rw, const char *path)
{
	struct job *job = &h->job;
	int r = 0;

	memset(h, 0, sizeof(*h));
	h->c = c;
	h->ops = engine_find(c->engine);
	if (!h->ops) {
		snprintf(h->why, sizeof(h->why), "engine %s not registered", c->engine);
		return -1;
	}
	if (path) {
		snprintf(h->path, sizeof(h->path), "%s", path);
		h->keep = true;
	} else {
		snprintf(h->path, sizeof(h->path), "%s/%s.%u.dat", scratch_dir, c->engine, (unsigned)getpid());
		unlink(h->path);
	}

	job->name = "enginetest";
	job->o.rw = rw;
	job->o.iodepth = c->depth;
	job->o.direct = c->flags & C_DIRECT;
	job->o.bs[DDIR_READ] = job->o.bs[DDIR_WRITE] = job->o.bs[DDIR_TRIM] = BS;
	job->o.fixedbufs = job->o.registerfiles = c->flags & C_FIXEDBUFS;
	job->o.sqthread_poll = c->flags & C_SQPOLL;
	job->o.sqthread_poll_cpu = -1;
	job->o.hipri = c->flags & (C_HIPRI | C_HALF);
	job->o.hipri_percentage = c->flags & C_HALF ? 50 : 100;
	job->o.nowait = c->flags & C_NOWAIT;
	job->o.uncached = !!(c->flags & C_UNCACHED);
	job->o.io_submit_mode = SUBMIT_INLINE;
	if (c->flags & C_WINDOW)
		engine_mmap_set_window(4 * BS);

	h->file.path = h->path;
	h->file.fd = -1;
	h->file.io_start = 0;
	h->file.io_size = FILE_SIZE;
	h->file.real_size = FILE_SIZE;
	job->files = &h->file;
	job->nr_files = 1;

	h->nr_units = c->units;
	job->buf_size = (size_t)h->nr_units * BS;
	job->buf_mem = aligned_alloc(4096, job->buf_size);
	h->units = calloc(h->nr_units, sizeof(*h->units));
	assert_non_null(job->buf_mem);
	assert_non_null(h->units);
	job->units = h->units;
	job->nr_units = h->nr_units;
	for (unsigned i = 0; i < h->nr_units; i++) {
		h->units[i].buf = (char *)job->buf_mem + (size_t)i * BS;
		h->units[i].buflen = BS;
		h->units[i].index = i;
		h->units[i].file = &h->file;
	}

	if (h->ops->init && (r = h->ops->init(job)) < 0)
		goto fail;
	h->inited = true;
	if (h->ops->open_file && (r = h->ops->open_file(job, &h->file)) < 0)
		goto fail;
	h->opened = true;
	for (unsigned i = 0; i < h->nr_units; i++)
		if (h->ops->io_u_init && (r = h->ops->io_u_init(job, &h->units[i])) < 0)
			goto fail;
	return 0;
fail:
	snprintf(h->why, sizeof(h->why), "%s: %s", c->engine,
		 job->errmsg[0] ? job->errmsg : strerror(-r));
	return -1;
}

static void harness_free(struct harness *h)
{
	struct job *job = &h->job;

	if (!h->ops)
		return;
	if (h->ops->io_u_free)
		for (unsigned i = 0; i < h->nr_units; i++)
			h->ops->io_u_free(job, &h->units[i]);
	if (h->opened && h->ops->close_file)
		h->ops->close_file(job, &h->file);
	if (h->inited && h->ops->cleanup)
		h->ops->cleanup(job);
	if (h->c && (h->c->flags & C_WINDOW))
		engine_mmap_set_window(0);
	free(job->buf_mem);
	free(h->units);
	if (!h->keep)
		unlink(h->path);
	h->ops = NULL;
}

/* Runs every unit of @list to completion through queue/commit/getevents/
 * event, the way a worker would; each must complete exactly once. Returns
 * how many times queue() answered Q_BUSY. */
static unsigned pump(struct harness *h, struct io_u **list, unsigned n)
{
	const struct engine_ops *ops = h->ops;
	struct job *job = &h->job;
	unsigned next = 0, done = 0, inflight = 0, busy = 0;
	unsigned char seen[1024] = { 0 };

	assert_true(h->nr_units <= sizeof(seen));
	while (done < n) {
		while (next < n) {
			int q = ops->queue(job, list[next]);

			if (q == Q_BUSY) {
				busy++;
				assert_true(inflight > 0); /* busy with nothing queued: stuck */
				break;
			}
			if (q == Q_COMPLETED) {
				done++;
				next++;
				continue;
			}
			assert_int_equal(q, Q_QUEUED);
			inflight++;
			next++;
		}
		if (ops->commit)
			assert_int_equal(ops->commit(job), 0);
		if (inflight) {
			int r = ops->getevents(job, 1, inflight, NULL);

			assert_true(r >= 1);
			assert_true((unsigned)r <= inflight);
			for (int i = 0; i < r; i++) {
				struct io_u *u = ops->event(job, i);

				assert_non_null(u);
				assert_true(u->index < h->nr_units);
				assert_int_equal(seen[u->index], 0);
				seen[u->index] = 1;
			}
			inflight -= (unsigned)r;
			done += (unsigned)r;
		}
	}
	assert_int_equal(inflight, 0);
	return busy;
}

/* Issues @nr blocks starting at block order[first...] in direction @ddir,
 * using as many units as the harness has at a time. Checks each read. */
static void do_blocks(struct harness *h, int ddir, const unsigned *order, unsigned nr, uint64_t gen)
{
	struct io_u *list[1024];

	for (unsigned b = 0; b < nr; b += h->nr_units) {
		unsigned n = nr - b < h->nr_units ? nr - b : h->nr_units;

		for (unsigned i = 0; i < n; i++) {
			struct io_u *u = &h->units[i];
			unsigned blk = order[b + i];

			u->ddir = ddir;
			u->offset = (uint64_t)blk * BS;
			u->buflen = BS;
			u->error = -1;
			u->resid = 12345;
			if (ddir == DDIR_WRITE)
				fill_block(u->buf, blk, gen);
			else
				memset(u->buf, 0xee, BS);
			list[i] = u;
		}
		pump(h, list, n);
		for (unsigned i = 0; i < n; i++) {
			struct io_u *u = &h->units[i];

			if (u->error)
				fail_msg("%s: %s of block %u: %s", h->c->engine, ddir == DDIR_READ ? "read" : "write",
					 order[b + i], strerror(u->error));
			assert_int_equal(u->resid, 0);
			if (ddir == DDIR_READ && strcmp(h->c->engine, "null") != 0 &&
			    check_block(u->buf, order[b + i], gen))
				fail_msg("%s: block %u read back differs from what was written", h->c->engine,
					 order[b + i]);
		}
	}
}

/* One unit of direction @ddir at @off, run to completion. */
static struct io_u *do_one(struct harness *h, int ddir, uint64_t off, uint32_t len)
{
	struct io_u *u = &h->units[0], *list[1] = { u };

	u->ddir = ddir;
	u->offset = off;
	u->buflen = len;
	u->error = -1;
	u->resid = 12345;
	if (ddir == DDIR_READ)
		memset(u->buf, 0xee, len);
	pump(h, list, 1);
	return u;
}

/* ---- cases ------------------------------------------------------------ */

static const struct ecase cases[] = {
	{ "null", 0, 1, 4 },
	{ "null", 0, 8, 16 },
	{ "sync", 0, 1, 1 },
	{ "sync", C_DIRECT, 1, 1 },
	{ "psync", 0, 1, 1 },
	{ "psync", C_DIRECT, 1, 1 },
	{ "pvsync", 0, 1, 1 },
	{ "pvsync", C_DIRECT, 1, 1 },
	{ "libaio", 0, 8, 8 },
	{ "libaio", C_DIRECT, 8, 8 },
	{ "libaio", C_DIRECT, 4, 12 },
	{ "io_uring", 0, 8, 8 },
	{ "io_uring", C_DIRECT, 8, 8 },
	{ "io_uring", C_DIRECT, 4, 12 },
	{ "io_uring", C_DIRECT | C_FIXEDBUFS, 8, 8 },
	{ "io_uring", C_FIXEDBUFS, 8, 8 },
	{ "io_uring", C_DIRECT | C_SQPOLL, 8, 8 },
	{ "io_uring", C_DIRECT | C_HIPRI, 8, 8 },
	{ "mmap", 0, 1, 1 },
	{ "mmap", C_WINDOW, 1, 1 },
	{ "splice", 0, 1, 1 },
	{ "splice", C_DIRECT, 1, 1 },
	{ "pvsync2", 0, 1, 1 },
	{ "pvsync2", C_DIRECT, 1, 1 },
	{ "pvsync2", C_DIRECT | C_HIPRI, 1, 1 },
	{ "pvsync2", C_DIRECT | C_HALF, 1, 1 },
	{ "posixaio", 0, 8, 8 },
	{ "posixaio", C_DIRECT, 8, 8 },
	{ "posixaio", 0, 4, 12 },
	{ "posixaio", C_DIRECT, 1, 1 },
};
#define NR_CASES (sizeof(cases) / sizeof(cases[0]))
static const struct ecase cancel_case = { "libaio", 0, 8, 8 };
static const struct ecase large_cases[] = {
	{ "psync", 0, 1, 32 },        { "pvsync", C_DIRECT, 1, 32 },
	{ "sync", 0, 1, 32 },         { "libaio", C_DIRECT, 4, 32 },
	{ "io_uring", C_FIXEDBUFS, 4, 32 }, { "mmap", C_WINDOW, 1, 32 },
	{ "splice", 0, 1, 32 },       { "splice", C_DIRECT, 1, 32 },
	{ "pvsync2", 0, 1, 32 },      { "posixaio", C_DIRECT, 4, 32 },
};
#define NR_LARGE (sizeof(large_cases) / sizeof(large_cases[0]))

static int case_setup(void **state)
{
	struct harness *h = calloc(1, sizeof(*h));

	if (!h)
		return -1;
	h->c = *state;
	*state = h;
	return 0;
}

static int case_teardown(void **state)
{
	struct harness *h = *state;

	harness_free(h);
	free(h);
	return 0;
}

/* Sets the harness up for @rw; skips the test when the kernel refuses. */
static void setup_or_skip(struct harness *h, unsigned rw, const char *path)
{
	const struct ecase *c = h->c;

	if (harness_setup(h, c, rw, path) == 0)
		return;
	if (h->job.error == EINVAL && (c->flags & C_DIRECT)) {
		print_message("skip: %s: O_DIRECT not supported here: %s\n", c->engine, h->why);
		skip();
	}
	if (h->job.error == EPERM || h->job.error == ENOSYS || h->job.error == EOPNOTSUPP) {
		print_message("skip: kernel refused: %s\n", h->why);
		skip();
	}
	fail_msg("setup failed: %s", h->why);
}

static void shuffle(unsigned *a, unsigned n, unsigned seed)
{
	for (unsigned i = n - 1; i > 0; i--) {
		unsigned j;

		seed = seed * 1103515245u + 12345u;
		j = (seed >> 8) % (i + 1);
		unsigned t = a[i];
		a[i] = a[j];
		a[j] = t;
	}
}

/* Sequential write, fsync, sequential read back, random reads, fdatasync. */
static void test_write_read(void **state)
{
	struct harness *h = *state;
	unsigned order[NR_BLOCKS];
	struct io_u *u;

	setup_or_skip(h, RW_READ | RW_WRITE, NULL);
	for (unsigned i = 0; i < NR_BLOCKS; i++)
		order[i] = i;
	do_blocks(h, DDIR_WRITE, order, NR_BLOCKS, 1);

	u = do_one(h, DDIR_SYNC, 0, 0);
	assert_int_equal(u->error, 0);
	assert_int_equal(u->resid, 0);

	if (!(h->ops->flags & ENG_NO_FILE_IO)) {
		struct stat st;

		assert_int_equal(stat(h->path, &st), 0);
		assert_true((uint64_t)st.st_size >= FILE_SIZE);
	}
	do_blocks(h, DDIR_READ, order, NR_BLOCKS, 1);
	shuffle(order, NR_BLOCKS, 42);
	do_blocks(h, DDIR_READ, order, NR_BLOCKS, 1);

	/* overwrite at random, read back at random */
	do_blocks(h, DDIR_WRITE, order, NR_BLOCKS, 2);
	u = do_one(h, DDIR_DATASYNC, 0, 0);
	assert_int_equal(u->error, 0);
	shuffle(order, NR_BLOCKS, 7);
	do_blocks(h, DDIR_READ, order, NR_BLOCKS, 2);
}

/* A read across the end of the file comes back short; past it, empty. */
static void test_short_read(void **state)
{
	struct harness *h = *state;
	unsigned order[4] = { 0, 1, 2, 3 };
	struct io_u *u;
	char tail[1000];
	int fd;

	setup_or_skip(h, RW_READ | RW_WRITE, NULL);
	if (h->ops->flags & ENG_NO_FILE_IO) {
		print_message("skip: %s does no file I/O\n", h->c->engine);
		skip();
	}
	do_blocks(h, DDIR_WRITE, order, 4, 3);
	/* the file now ends 1000 bytes into block 4 */
	memset(tail, 0x77, sizeof(tail));
	fd = open(h->path, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, tail, sizeof(tail), 4 * BS), (ssize_t)sizeof(tail));
	assert_int_equal(ftruncate(fd, 4 * BS + sizeof(tail)), 0);
	close(fd);
	if (!strcmp(h->c->engine, "mmap")) {
		/* mmap learnt the size at open: reopen so it sees the new end */
		h->ops->close_file(&h->job, &h->file);
		h->job.o.rw = RW_READ;
		assert_int_equal(h->ops->open_file(&h->job, &h->file), 0);
	}

	u = do_one(h, DDIR_READ, 4 * BS, BS);
	assert_int_equal(u->error, 0);
	assert_int_equal(u->resid, BS - sizeof(tail));
	assert_memory_equal(u->buf, tail, sizeof(tail));

	u = do_one(h, DDIR_READ, 6 * BS, BS);
	assert_int_equal(u->error, 0);
	assert_int_equal(u->resid, BS);

	u = do_one(h, DDIR_READ, 2 * BS, BS);
	assert_int_equal(u->error, 0);
	assert_int_equal(u->resid, 0);
	assert_int_equal(check_block(u->buf, 2, 3), 0);
}

/* Trim punches a hole: the block reads back as zeros, its neighbours not. */
static void test_trim(void **state)
{
	struct harness *h = *state;
	unsigned order[8] = { 0, 1, 2, 3, 4, 5, 6, 7 };
	static const char zero[BS];
	struct io_u *u;

	setup_or_skip(h, RW_READ | RW_WRITE | RW_TRIM, NULL);
	if (h->ops->flags & ENG_NO_FILE_IO) {
		print_message("skip: %s does no file I/O\n", h->c->engine);
		skip();
	}
	do_blocks(h, DDIR_WRITE, order, 8, 4);
	u = do_one(h, DDIR_TRIM, 3 * BS, BS);
	if (u->error == EOPNOTSUPP) {
		print_message("skip: filesystem cannot punch holes\n");
		skip();
	}
	assert_int_equal(u->error, 0);
	assert_int_equal(u->resid, 0);
	u = do_one(h, DDIR_READ, 3 * BS, BS);
	assert_int_equal(u->error, 0);
	assert_memory_equal(u->buf, zero, BS);
	u = do_one(h, DDIR_READ, 4 * BS, BS);
	assert_int_equal(check_block(u->buf, 4, 4), 0);
}

/* More units than the queue: queue() answers Q_BUSY exactly at the depth
 * and accepts again once completions are reaped. */
static void test_busy(void **state)
{
	struct harness *h = *state;
	const struct engine_ops *ops;
	struct job *job = &h->job;
	unsigned order[NR_BLOCKS], depth = h->c->depth, queued = 0;
	int r, got = 0;

	setup_or_skip(h, RW_READ | RW_WRITE, NULL);
	ops = h->ops;
	if ((ops->flags & ENG_SYNC) || depth < 2 || h->nr_units <= depth) {
		print_message("skip: %s: needs an async engine with more units (%u) than depth (%u)\n",
			      h->c->engine, h->nr_units, depth);
		skip();
	}
	for (unsigned i = 0; i < NR_BLOCKS; i++)
		order[i] = i;
	do_blocks(h, DDIR_WRITE, order, 16, 5);

	for (unsigned i = 0; i < h->nr_units; i++) {
		struct io_u *u = &h->units[i];

		u->ddir = DDIR_READ;
		u->offset = (uint64_t)i * BS;
		u->buflen = BS;
		r = ops->queue(job, u);
		if (i < depth) {
			assert_int_equal(r, Q_QUEUED);
			queued++;
		} else {
			assert_int_equal(r, Q_BUSY);
		}
	}
	if (ops->commit)
		assert_int_equal(ops->commit(job), 0);
	while (got < (int)queued) {
		r = ops->getevents(job, 1, depth, NULL);
		assert_true(r > 0);
		for (int i = 0; i < r; i++) {
			struct io_u *u = ops->event(job, i);

			assert_int_equal(u->error, 0);
			assert_int_equal(u->resid, 0);
			if (strcmp(h->c->engine, "null"))
				assert_int_equal(check_block(u->buf, u->index, 5), 0);
		}
		got += r;
	}
	/* room again */
	assert_int_equal(ops->queue(job, &h->units[depth]), Q_QUEUED);
	if (ops->commit)
		assert_int_equal(ops->commit(job), 0);
	r = ops->getevents(job, 1, 1, NULL);
	assert_int_equal(r, 1);
	assert_ptr_equal(ops->event(job, 0), &h->units[depth]);

	/* the pump copes with any mix of busy answers */
	do_blocks(h, DDIR_READ, order, 16, 5);
}

/* cancel() of a unit still waiting for commit: it comes back once, from
 * getevents, with ECANCELED; the others complete normally. */
static void test_cancel(void **state)
{
	struct harness *h = *state;
	const struct engine_ops *ops;
	struct job *job = &h->job;
	unsigned order[4] = { 0, 1, 2, 3 }, seen = 0, cancelled = 0;

	setup_or_skip(h, RW_READ | RW_WRITE, NULL);
	ops = h->ops;
	if (!ops->cancel) {
		print_message("skip: %s has no cancel hook\n", h->c->engine);
		skip();
	}
	do_blocks(h, DDIR_WRITE, order, 4, 6);
	for (unsigned i = 0; i < 3; i++) {
		h->units[i].ddir = DDIR_READ;
		h->units[i].offset = (uint64_t)i * BS;
		h->units[i].buflen = BS;
		assert_int_equal(ops->queue(job, &h->units[i]), Q_QUEUED);
	}
	assert_int_equal(ops->cancel(job, &h->units[1]), 0);
	assert_int_equal(ops->commit(job), 0);
	while (seen < 3) {
		int r = ops->getevents(job, 1, 3, NULL);

		assert_true(r > 0);
		for (int i = 0; i < r; i++) {
			struct io_u *u = ops->event(job, i);

			if (u == &h->units[1]) {
				assert_int_equal(u->error, ECANCELED);
				cancelled++;
			} else {
				assert_int_equal(u->error, 0);
				assert_int_equal(check_block(u->buf, u->index, 6), 0);
			}
		}
		seen += (unsigned)r;
	}
	assert_int_equal(seen, 3);
	assert_int_equal(cancelled, 1);
}

/* One unit spanning every unit's buffer (128 KiB with 32 units): larger
 * than splice's default pipe and than mmap's test window. */
static void test_large(void **state)
{
	struct harness *h = *state;
	uint32_t len = h->nr_units * BS;
	char *buf;
	struct io_u *u;

	setup_or_skip(h, RW_READ | RW_WRITE, NULL);
	buf = h->job.buf_mem;
	for (unsigned i = 0; i < h->nr_units; i++)
		fill_block(buf + (size_t)i * BS, 100 + i, 8);
	u = do_one(h, DDIR_WRITE, 8 * BS, len);
	assert_int_equal(u->error, 0);
	assert_int_equal(u->resid, 0);
	memset(buf, 0, len);
	u = do_one(h, DDIR_READ, 8 * BS, len);
	assert_int_equal(u->error, 0);
	assert_int_equal(u->resid, 0);
	for (unsigned i = 0; i < h->nr_units; i++)
		if (check_block(buf + (size_t)i * BS, 100 + i, 8))
			fail_msg("%s: block %u of a %u-byte read differs", h->c->engine, i, len);
}

/* getevents with a zero timeout and nothing queued returns at once. */
static void test_timeout(void **state)
{
	struct harness *h = *state;
	struct timespec zero = { 0, 0 };
	struct timespec t0, t1;
	int r;

	setup_or_skip(h, RW_READ | RW_WRITE, NULL);
	if (h->ops->flags & ENG_SYNC) {
		print_message("skip: %s completes inline\n", h->c->engine);
		skip();
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = h->ops->getevents(&h->job, 0, h->c->depth, &zero);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_int_equal(r, 0);
	assert_true((t1.tv_sec - t0.tv_sec) * 1000000000L + (t1.tv_nsec - t0.tv_nsec) < 500000000L);
}

/* RWF flags: uncached (RWF_DONTCACHE) writes and reads the same data through
 * pvsync2 and io_uring, or the kernel refuses it and the job's error says
 * which option asked; nowait (RWF_NOWAIT) reads through pvsync2, io_uring
 * and libaio succeed on data in the page cache and fail with EAGAIN once
 * the cache is dropped, so the flag reaches the kernel. */
static void test_rwf_flags(void **state)
{
	static const struct ecase unc[] = { { "pvsync2", C_UNCACHED, 1, 1 },
					    { "io_uring", C_UNCACHED, 4, 4 } };
	static const struct ecase nw[] = { { "pvsync2", C_NOWAIT, 1, 1 },
					   { "io_uring", C_NOWAIT, 4, 4 },
					   { "libaio", C_NOWAIT, 4, 4 } };
	struct harness *h = *state;
	unsigned order[16];
	char path[PATH_MAX], buf[BS];
	struct io_u *u;
	int fd;

	for (unsigned i = 0; i < 16; i++)
		order[i] = i;
	for (unsigned k = 0; k < sizeof(unc) / sizeof(unc[0]); k++) {
		h->c = &unc[k];
		if (harness_setup(h, &unc[k], RW_READ | RW_WRITE, NULL)) {
			print_message("skip uncached/%s: %s\n", unc[k].engine, h->why);
			harness_free(h);
			continue;
		}
		fill_block(h->units[0].buf, 0, 11);
		u = do_one(h, DDIR_WRITE, 0, BS);
		if (u->error == EOPNOTSUPP || u->error == EINVAL) {
			print_message("skip uncached/%s: %s (RWF_DONTCACHE needs Linux 6.14+)\n",
				      unc[k].engine, strerror(u->error));
			if (!strcmp(unc[k].engine, "pvsync2"))
				assert_non_null(strstr(h->job.errmsg, "uncached"));
		} else {
			assert_int_equal(u->error, 0);
			do_blocks(h, DDIR_WRITE, order, 16, 11);
			do_blocks(h, DDIR_READ, order, 16, 11);
		}
		harness_free(h);
	}

	/* a file written and read through the page cache: all of it cached */
	snprintf(path, sizeof(path), "%s/nowait.%u.dat", scratch_dir, (unsigned)getpid());
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	for (unsigned i = 0; i < 16; i++) {
		fill_block(buf, i, 12);
		assert_int_equal(pwrite(fd, buf, BS, (off_t)i * BS), BS);
	}
	assert_int_equal(fsync(fd), 0);
	for (unsigned k = 0; k < sizeof(nw) / sizeof(nw[0]); k++) {
		for (unsigned i = 0; i < 16; i++)
			assert_int_equal(pread(fd, buf, BS, (off_t)i * BS), BS);
		h->c = &nw[k];
		if (harness_setup(h, &nw[k], RW_READ, path)) {
			print_message("skip nowait/%s: %s\n", nw[k].engine, h->why);
			harness_free(h);
			continue;
		}
		do_blocks(h, DDIR_READ, order, 16, 12);
		/* not cached any more: the read would block, so it fails. The
		 * kernel may keep a page it was asked to drop (still referenced,
		 * or read ahead again by an earlier read); a few drops and reads
		 * of different blocks, and one of them must come back EAGAIN. */
		for (unsigned a = 0; a < 5; a++) {
			assert_int_equal(posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED), 0);
			u = do_one(h, DDIR_READ, (uint64_t)(8 + a) * BS, BS);
			if (u->error == EAGAIN)
				break;
		}
		if (u->error != EAGAIN)
			fail_msg("nowait/%s: 5 reads of dropped data gave '%s', never EAGAIN", nw[k].engine,
				 u->error ? strerror(u->error) : "success");
		harness_free(h);
	}
	close(fd);
	unlink(path);
}

/* ---- registry --------------------------------------------------------- */

static int dummy_queue(struct job *job, struct io_u *u) { return Q_COMPLETED; }
static int dummy_getevents(struct job *job, unsigned min, unsigned max, const struct timespec *t)
{
	return 0;
}
static struct io_u *dummy_event(struct job *job, int i) { return NULL; }

static void test_registry(void **state)
{
	static const char *const names[] = { "null", "sync", "psync", "pvsync",
					     "libaio", "io_uring", "mmap", "splice", "filecreate", "filestat", "filedelete", "cpuio", "ftruncate", "falloc", "posixaio", "pvsync2", "exec", "e4defrag" };
	const struct engine_ops *const *l = engine_list();
	const struct {
		struct engine_ops ops;
		int want;
	} tables[] = {
		{ { .name = "noqueue", .flags = ENG_SYNC }, -EINVAL },
		{ { .name = "noqueue-async", .getevents = dummy_getevents, .event = dummy_event }, -EINVAL },
		{ { .name = "noevents", .queue = dummy_queue }, -EINVAL },
		{ { .name = "noevent", .queue = dummy_queue, .getevents = dummy_getevents }, -EINVAL },
		{ { .name = NULL, .flags = ENG_SYNC, .queue = dummy_queue }, -EINVAL },
		{ { .name = "", .flags = ENG_SYNC, .queue = dummy_queue }, -EINVAL },
		{ { .name = "syncok", .flags = ENG_SYNC, .queue = dummy_queue }, 0 },
		/* engine_op_lat writes stats: never from an offload thread */
		{ { .name = "oplat-offload", .flags = ENG_SYNC | ENG_OP_LAT, .queue = dummy_queue }, -EINVAL },
		{ { .name = "oplat-async", .flags = ENG_NO_OFFLOAD | ENG_OP_LAT, .queue = dummy_queue,
		    .getevents = dummy_getevents, .event = dummy_event }, -EINVAL },
		{ { .name = "oplat", .flags = ENG_SYNC | ENG_NO_OFFLOAD | ENG_OP_LAT, .queue = dummy_queue },
		  0 },
		{ { .name = "asyncok", .queue = dummy_queue, .getevents = dummy_getevents, .event = dummy_event },
		  0 },
	};
	unsigned n = 0;

	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
		assert_int_equal(engine_check(&tables[i].ops), tables[i].want);
	assert_int_equal(engine_check(NULL), -EINVAL);

	for (; l[n]; n++)
		assert_int_equal(engine_check(l[n]), 0);
	assert_int_equal(n, sizeof(names) / sizeof(names[0]));
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const struct engine_ops *e = engine_find(names[i]);

		assert_non_null(e);
		assert_string_equal(e->name, names[i]);
	}
	assert_ptr_equal(engine_find("IO_URING"), &engine_io_uring);
	assert_ptr_equal(engine_find("LibAio"), &engine_libaio);
	assert_null(engine_find("posixaio-nope"));
	assert_null(engine_find(""));
	assert_null(engine_find(NULL));
	assert_true(engine_find("null")->flags & ENG_NO_FILE_IO);
	assert_true(engine_find("psync")->flags & ENG_SYNC);
	assert_false(engine_find("libaio")->flags & ENG_SYNC);
}

/* A read-only job does not create its file; the message names the path. */
static void test_open_missing(void **state)
{
	static const struct ecase c = { "psync", 0, 1, 1 };
	struct harness *h = *state;

	h->c = &c;
	assert_int_equal(harness_setup(h, &c, RW_READ, NULL), -1);
	assert_int_equal(h->job.error, ENOENT);
	assert_non_null(strstr(h->job.errmsg, h->path));
	assert_non_null(strstr(h->job.errmsg, "No such file"));
}

/* ---- optional bench --------------------------------------------------- */

static char bench_file_name[1100];
#define BENCH_SIZE (256ull << 20)

static int bench_file(void)
{
	struct stat st;
	char *buf;
	int fd;

	snprintf(bench_file_name, sizeof(bench_file_name), "%s/bench.dat", scratch_dir);
	if (stat(bench_file_name, &st) == 0 && (uint64_t)st.st_size >= BENCH_SIZE)
		return 0;
	fd = open(bench_file_name, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return -errno;
	buf = malloc(1 << 20);
	for (size_t i = 0; i < (1 << 20); i++)
		buf[i] = (char)(i * 131 + 7);
	for (uint64_t off = 0; off < BENCH_SIZE; off += 1 << 20)
		if (pwrite(fd, buf, 1 << 20, (off_t)off) != 1 << 20)
			break;
	fsync(fd);
	free(buf);
	close(fd);
	return 0;
}

static double tv_s(const struct timeval *tv)
{
	return (double)tv->tv_sec + (double)tv->tv_usec / 1e6;
}

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void test_bench(void **state)
{
	struct harness *h = *state;
	const char *env = getenv("IOLAB_ENGINE_BENCH");
	double secs = env ? atof(env) : 0, t0, t1;
	const struct engine_ops *ops;
	struct job *job = &h->job;
	uint64_t ios = 0, x = 88172645463325252ull;
	unsigned free_top, inflight = 0;
	struct io_u *freel[64];
	const char *b1 = getenv("IOLAB_ENGINE_BENCH_BATCH1");
	bool batch1 = b1 && *b1 && strcmp(b1, "0") != 0;
	struct rusage ru0, ru1;

	if (secs <= 0) {
		print_message("skip: set IOLAB_ENGINE_BENCH=SECONDS to run\n");
		skip();
	}
	assert_int_equal(bench_file(), 0);
	setup_or_skip(h, RW_READ | RW_RAND, bench_file_name);
	ops = h->ops;

	free_top = 0;
	for (unsigned i = 0; i < h->nr_units; i++)
		freel[free_top++] = &h->units[i];
	getrusage(RUSAGE_SELF, &ru0);
	t0 = now_s();
	t1 = t0;
	while (t1 - t0 < secs) {
		for (unsigned k = 0; k < 1024; k++) {
			while (free_top) {
				struct io_u *u = freel[--free_top];
				int q;

				x ^= x << 13;
				x ^= x >> 7;
				x ^= x << 17;
				u->ddir = DDIR_READ;
				u->offset = (x % (BENCH_SIZE / BS)) * BS;
				u->buflen = BS;
				q = ops->queue(job, u);
				if (q == Q_COMPLETED) {
					assert_int_equal(u->error, 0);
					freel[free_top++] = u;
					ios++;
					break;
				}
				if (q == Q_BUSY) {
					freel[free_top++] = u;
					break;
				}
				inflight++;
				if (batch1 && ops->commit)
					ops->commit(job);
			}
			if (ops->commit && !batch1)
				ops->commit(job);
			if (inflight) {
				int r = ops->getevents(job, 1, inflight, NULL);

				assert_true(r > 0);
				for (int i = 0; i < r; i++) {
					struct io_u *u = ops->event(job, i);

					assert_int_equal(u->error, 0);
					freel[free_top++] = u;
				}
				inflight -= (unsigned)r;
				ios += (unsigned)r;
			}
		}
		t1 = now_s();
	}
	while (inflight) {
		int r = ops->getevents(job, 1, inflight, NULL);

		assert_true(r > 0);
		inflight -= (unsigned)r;
	}
	getrusage(RUSAGE_SELF, &ru1);
	print_message("bench %-8s %s%s QD%-2u 4k randread: %.0f IOPS over %.1fs, cpu usr %.2fs sys %.2fs%s\n",
		      h->c->engine, (h->c->flags & C_DIRECT) ? "direct" : "buffered",
		      (h->c->flags & C_FIXEDBUFS) ? "+fixedbufs" : "", h->c->depth, (double)ios / (t1 - t0),
		      t1 - t0, tv_s(&ru1.ru_utime) - tv_s(&ru0.ru_utime), tv_s(&ru1.ru_stime) - tv_s(&ru0.ru_stime),
		      batch1 ? " (commit per I/O)" : "");
	assert_true(ios > 0);
}

static const struct ecase bench_cases[] = {
	{ "null", 0, 32, 32 },
	{ "psync", C_DIRECT, 1, 1 },
	{ "libaio", C_DIRECT, 32, 32 },
	{ "io_uring", C_DIRECT, 32, 32 },
	{ "io_uring", C_DIRECT | C_FIXEDBUFS, 32, 32 },
};
#define NR_BENCH (sizeof(bench_cases) / sizeof(bench_cases[0]))

/* ---- main ------------------------------------------------------------- */

static char names[NR_LARGE + NR_CASES * 5 + NR_BENCH][80];

static const char *case_name(char *buf, const char *what, const struct ecase *c)
{
	snprintf(buf, 80, "%s/%s%s%s%s%s%s/qd%u", what, c->engine,
		 (c->flags & C_DIRECT) ? "/direct" : "", (c->flags & C_FIXEDBUFS) ? "/fixed" : "",
		 (c->flags & C_SQPOLL) ? "/sqpoll" : "", (c->flags & C_HIPRI) ? "/hipri" : "",
		 (c->flags & C_WINDOW) ? "/window" : "", c->depth);
	if (c->flags & (C_NOWAIT | C_UNCACHED | C_HALF))
		snprintf(buf + strlen(buf), 80 - strlen(buf), "%s%s%s",
			 (c->flags & C_NOWAIT) ? "/nowait" : "", (c->flags & C_UNCACHED) ? "/uncached" : "",
			 (c->flags & C_HALF) ? "/hipri50" : "");
	return buf;
}

int main(void)
{
	static struct CMUnitTest tests[4 + NR_LARGE + NR_CASES * 5 + NR_BENCH];
	static const struct {
		const char *what;
		CMUnitTestFunction fn;
	} kinds[] = {
		{ "write_read", test_write_read },
		{ "short_read", test_short_read },
		{ "trim", test_trim },
		{ "busy", test_busy },
		{ "timeout", test_timeout },
	};
	unsigned n = 0, nn = 0;
	int rc;

	scratch_make();
	tests[n++] = (struct CMUnitTest){ "registry", test_registry, NULL, NULL, NULL };
	tests[n++] = (struct CMUnitTest){ "open_missing", test_open_missing, case_setup, case_teardown, NULL };
	tests[n++] = (struct CMUnitTest){ "rwf_flags", test_rwf_flags, case_setup, case_teardown, NULL };
	tests[n++] = (struct CMUnitTest){ "cancel/libaio", test_cancel, case_setup, case_teardown,
					  (void *)&cancel_case };
	for (unsigned i = 0; i < NR_LARGE; i++)
		tests[n++] = (struct CMUnitTest){ case_name(names[nn++], "large", &large_cases[i]), test_large,
						  case_setup, case_teardown, (void *)&large_cases[i] };
	for (unsigned k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		for (unsigned i = 0; i < NR_CASES; i++) {
			const struct ecase *c = &cases[i];
			bool async = strcmp(c->engine, "libaio") == 0 || strcmp(c->engine, "io_uring") == 0 ||
				     strcmp(c->engine, "posixaio") == 0 ||
				     strcmp(c->engine, "null") == 0;

			if (kinds[k].fn == test_busy && (!async || c->units <= c->depth || c->depth < 2))
				continue;
			if (kinds[k].fn == test_timeout && (!async || c->depth < 2))
				continue;
			if ((kinds[k].fn == test_short_read || kinds[k].fn == test_trim) &&
			    (!strcmp(c->engine, "null") || (c->flags & (C_DIRECT | C_SQPOLL | C_HIPRI))))
				continue;
			tests[n++] = (struct CMUnitTest){ case_name(names[nn++], kinds[k].what, c), kinds[k].fn,
							  case_setup, case_teardown, (void *)c };
		}
	}
	for (unsigned i = 0; i < NR_BENCH; i++)
		tests[n++] = (struct CMUnitTest){ case_name(names[nn++], "bench", &bench_cases[i]), test_bench,
						  case_setup, case_teardown, (void *)&bench_cases[i] };
	rc = _cmocka_run_group_tests("engines", tests, n, NULL, NULL);
	scratch_remove();
	return rc;
}
