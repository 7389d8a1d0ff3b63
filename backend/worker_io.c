/* The worker's I/O path: units and engine, submit, reap and accounting,
 * pacing and live knobs, latency_target, the run loop and the verify
 * phases. One file so the hot path inlines; the job's life around it is
 * worker.c. */
#include "worker_int.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../engines/inject.h"
#include "../lib/atomic.h"
#include "../lib/clock.h"
#include "cmdprio.h"
#include "fiologs.h"
#include "iolog.h"
#include "lattarget.h"
#include "sampler.h"

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)



static inline unsigned depth_bucket(unsigned d)
{
	unsigned b;

	if (d <= 1)
		return 0;
	b = 32u - (unsigned)__builtin_clz(d - 1);
	return b > 6 ? 6 : b;
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
	/* zeros, a pattern or compressible chunks that are not refilled per
	 * write: each unit's buffer once (bufdata.h) */
	if (w->bd.prefill)
		bufdata_fill_span(&w->bd, job->buf_mem, job->buf_size, bsz);
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

/* Engine init, files, units, offload thread, for depth job->o.iodepth.
 * Returns 0 or -errno (job error set). */
int worker_engine_up(struct worker *w)
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
	ret = worker_open_files(w);
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

void worker_engine_down(struct worker *w)
{
	struct job *job = w->job;

	if (w->off) {
		offload_free(w->off);
		w->off = NULL;
	}
	worker_close_files(w);
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

/* fio's error type of a failed I/O: a verify failure, a read's, or a
 * write's (trims and syncs included). */
static int err_type(int ddir, int err)
{
	return err == EILSEQ ? ERRT_VERIFY : ddir == DDIR_READ ? ERRT_READ : ERRT_WRITE;
}

/* Whether an error of this type enters total_err/first_error: as in fio,
 * only when continue_on_error covers its type, fatal or gone past. */
static bool error_counted(const struct worker *w, int ddir, int err)
{
	static const unsigned coe_bit[ERRT_NR] = { COE_READ, COE_WRITE, COE_VERIFY };

	return w->coe & coe_bit[err_type(ddir, err)];
}

/* fio's rule for going on after an error @err of a @ddir I/O (EILSEQ: a
 * verify mismatch): continue_on_error (or an ignore_error list) must cover
 * its type, and the type's ignore_error list (by default EIO and EILSEQ)
 * must hold it. */
static bool error_ignored(const struct worker *w, int ddir, int err)
{
	static const int fio_default[] = { EIO, EILSEQ };
	const struct job_opts *o = &w->job->o;
	int t = err_type(ddir, err);
	const int *list = o->nr_ignore_error[t] ? o->ignore_error[t] : fio_default;
	unsigned n = o->nr_ignore_error[t] ? o->nr_ignore_error[t] : 2;

	if (!error_counted(w, ddir, err))
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
	if (error_counted(w, d, u->error)) {
		sw_add(&job->stats.total_err, 1);
		if (!ld_relaxed(&job->stats.first_error))
			st_relaxed(&job->stats.first_error, u->error);
	}
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
	/* as fio 3.33: an engine that moves no data (null) has written
	 * nothing to check, and its verify reads pass */
	if (job->ops->flags & ENG_NO_FILE_IO)
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
	if (error_counted(w, DDIR_READ, EILSEQ)) {
		sw_add(&job->stats.total_err, 1);
		if (!ld_relaxed(&job->stats.first_error))
			st_relaxed(&job->stats.first_error, EILSEQ);
	}
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
	if (unlikely(w->wl.zbd_on) && d == DDIR_WRITE) {
		/* fio closes a zone its write filled, error or not */
		zbd_write_done(&w->wl.zbd, &u->file->zbd, u->offset, u->buflen);
		st_relaxed(&job->stats.zone_resets, w->wl.zbd.resets);
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
	if (unlikely(job->prio_stats))
		prio_stats_add(job->prio_stats, d, u->prio_idx, job->o.lat_percentiles ? lat : clat);
	if (unlikely(w->flog))
		fiolog_io(w->flog, d, now, lat, clat,
			  w->sync_engine ? FIOLOG_NO_SLAT : clat <= lat ? lat - clat : 0,
			  u->buflen - u->resid, u->offset, u->ioprio);
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
	sw_add(&job->stats.submit_hist[stats_batch_bucket(w->nr_pend)], 1);
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
	sw_add(&job->stats.complete_hist[stats_batch_bucket((unsigned)n)], 1);
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

int worker_zbd_drain(void *arg)
{
	struct worker *w = arg;
	struct io_u *head = w->free_list; /* the unit run_loop is filling */
	int ret;

	if (head) {
		w->free_list = head->next;
		w->nr_free--;
	}
	ret = worker_drain(w);
	if (head)
		unit_put(w, head);
	return ret;
}

/* Wait for everything in flight. Returns 0 or -errno. */
int worker_drain(struct worker *w)
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
	u->ioprio = w->ioprio;
	u->prio_idx = 0;
	u->flags &= ~IOU_CMDPRIO;
	if (unlikely(w->cmdprio) &&
	    cmdprio_pick(w->cmdprio, u->ddir, u->buflen, &u->ioprio, &u->prio_idx))
		u->flags |= IOU_CMDPRIO;
	if (unlikely(job->iolog_writer))
		iolog_writer_io(job->iolog_writer, u);
	if (u->ddir == DDIR_WRITE) {
		w->write_issues++;
		if (!w->writes_since_sync++ && w->sync_every)
			w->commit_start_ns = u->start_ns;
	}
	if (u->ddir < DDIR_RWDIR_CNT)
		w->last_was_sync = false;
	if (unlikely(u->ddir == DDIR_TRIM && w->wl.zbd_on && u->file->zbd.dev)) {
		/* zonemode=zbd: the trim is its zone's reset, done here (fio's
		 * engines do the same instead of discarding) */
		u->error = zbd_trim(&w->wl.zbd, &u->file->zbd, u->offset);
		st_relaxed(&job->stats.zone_resets, w->wl.zbd.resets);
		w->now = clock_now_ns();
		sw_add(&job->stats.depth_hist[depth_bucket(w->inflight + 1)], 1);
		sw_add(&job->stats.submit_hist[1], 1);
		sw_add(&job->stats.complete_hist[1], 1);
		account(w, u, w->now);
		unit_put(w, u);
		return 0;
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
			sw_add(&job->stats.submit_hist[1], 1); /* 1 submitted, 1 reaped */
			sw_add(&job->stats.complete_hist[1], 1);
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
	int ret = worker_drain(w);

	if (ret)
		return ret;
	w->writes_since_sync = 0;
	w->last_was_sync = true;
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
	return worker_drain(w);
}

/* Sleep until @t or the job's stop (clock_wait). */
void worker_sleep_until(struct worker *w, uint64_t t)
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
			worker_drain(w);
		if (w->deadline_ns && t >= w->deadline_ns) {
			worker_sleep_until(w, w->deadline_ns);
			return false;
		}
		worker_sleep_until(w, t);
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
	sampler_kick(w->run->sampler); /* the report's windows start here */
}

static void end_ramp(struct worker *w)
{
	struct job *job = w->job;

	w->ramp_end_ns = 0;
	worker_drain(w);
	stats_reset(&job->stats);
	prio_stats_reset(job->prio_stats);
	w->write_issues = 0;
	w->last_was_sync = false;
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
	int ret = worker_drain(w);

	if (ret)
		return ret;
	worker_engine_down(w);
	job->o.iodepth = depth;
	ret = worker_engine_up(w);
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

	uint64_t all = 0;

	if (w->ramp_end_ns || w->now - w->rate.cycle_start_ns < w->rate.cycle_ns)
		return;
	for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
		bytes[d] = job->stats.dir[d].bytes;
		ios[d] = job->stats.dir[d].ios;
		all += ios[d];
	}
	/* fio checks after a completion only: a wait longer than ratecycle
	 * between two paced I/Os (rate=1250 with 4k blocks) is no failure */
	if (all == w->ratemin_ios)
		return;
	w->ratemin_ios = all;
	if (rate_check_min(&w->rate, w->now, bytes, ios, msg, sizeof(msg))) {
		job_set_error(job, EIO, "%s", msg);
		w->quit = true;
	}
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
	int ret = worker_drain(w);

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
	return worker_drain(w);
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
	worker_drain(w);
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
	if (worker_drain(w) || a == LT_DONE)
		return true;
	w->now = clock_now_ns();
	if (a == LT_FINAL) {
		/* results describe the settled depth only, as fio's */
		stats_reset(&job->stats);
		prio_stats_reset(job->prio_stats);
		for (int d = 0; d < DDIR_RWDIR_CNT; d++)
			st_relaxed(&job->bytes_issued[d], 0);
		st_relaxed(&job->stats.start_ns, w->now);
		sampler_kick(w->run->sampler);
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
		/* fio's rule: a sync before the next I/O whenever the count of
		 * writes queued is a multiple of fsync= and the last I/O was not
		 * a sync, so in a mixed job each read queued at such a count
		 * brings one more sync, and the count runs on across loops */
		if (unlikely(w->sync_every && w->write_issues && !w->last_was_sync &&
			     !(w->write_issues % w->sync_every)) && workload_more(&w->wl)) {
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
				if (worker_drain(w))
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
			if (worker_drain(w))
				break;
			if (w->wl.time_based || !workload_next_loop(&w->wl))
				break;
			w->last_was_sync = false;
			continue;
		}
		if (unlikely(w->wl.new_pass)) {
			/* time_based, a new pass over the file: a cold cache
			 * again, as fio's (invalidate=1, buffered) */
			w->wl.new_pass = false;
			if (job->o.invalidate && !job->o.direct &&
			    !(job->ops->flags & ENG_NO_FILE_IO))
				worker_invalidate_file(u->file, false);
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
		/* scramble_buffers (fio's default): stamp the reused buffer */
		if (w->bd.scramble && u->ddir == DDIR_WRITE)
			bufdata_scramble(u->buf, u->buflen, u->offset, u->start_ns);
		if (unlikely(submit(w, u)))
			break;
		if (unlikely(w->rate.think_ns) && rate_think_due(&w->rate)) {
			worker_drain(w);
			rate_think(&w->rate, &job->stop);
			w->now = clock_now_ns();
		}
	}
	worker_drain(w);
	if (unlikely(w->wl.zbd_on))
		for (unsigned i = 0; i < job->nr_files; i++)
			zbd_job_end(&w->wl.zbd, &job->files[i].zbd);
	if (w->ro_skipped && !job->note[0])
		snprintf(job->note, sizeof(job->note),
			 "--readonly: skipped the %llu writes and trims of the replayed iolog",
			 (unsigned long long)w->ro_skipped);
}

void worker_run(struct worker *w)
{
	struct job *job = w->job;
	const struct job_opts *o = &job->o;
	uint64_t now = clock_now_ns(), end;

	st_relaxed(&job->started_ns, now);
	worker_rusage_begin(w);
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
		worker_drain(w);
		stats_reset(&job->stats);
		prio_stats_reset(job->prio_stats);
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
