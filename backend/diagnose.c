/* Diagnose: run a battery of short jobs on one target, record each step's
 * figures and samples, and explain them in plain language. See diagnose.h. */
#include "diagnose.h"
#include "provenance.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/fs.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>

#include "../lib/clock.h"
#include "../lib/errmsg.h"
#include "../lib/hist.h"
#include "../lib/json.h"
#include "../lib/outfile.h"
#include "backend.h"
#include "devguard.h"
#include "diskstats.h"
#include "jobfile.h"
#include "options.h"
#include "report.h"
#include "samples.h"
#include "stats.h"
#include "diagnose_int.h"

#define SCRATCH_NAME "iolab-diagnose.XXXXXX.dat" /* in a DIR target; X: random */

/* ---- the battery ---- */

struct step_def {
	const char *name, *title, *rw;
	uint32_t bs;
	unsigned iodepth;
	bool writes;
	bool buffered;   /* psync, no O_DIRECT, whatever cfg says */
	bool fdatasync;
	unsigned rwmixread;
	/* bytes of the target the step uses from its start; 0: all of it. The
	 * buffered write step keeps to a few MiB: what it dirties must be
	 * written back before the next step, and on a throttled device every
	 * 4k page is an I/O against the cap (256 MiB at 200 IOPS: 5 minutes) */
	uint64_t region;
};

static const struct step_def step_defs[DIAG_STEP_NR] = {
	[DIAG_RANDREAD_QD1] = { "randread-4k-qd1", "4k random read, QD1 (latency)",
				"randread", 4096, 1, false, false, false, 0, 0 },
	[DIAG_RANDREAD_QD32] = { "randread-4k-qd32", "4k random read, QD32 (IOPS)",
				 "randread", 4096, 32, false, false, false, 0, 0 },
	[DIAG_SEQREAD_1M] = { "seqread-1m", "1M sequential read, QD8 (throughput)",
			      "read", 1 << 20, 8, false, false, false, 0, 0 },
	[DIAG_SEQWRITE_1M] = { "seqwrite-1m", "1M sequential write, QD8 (throughput)",
			       "write", 1 << 20, 8, true, false, false, 0, 0 },
	[DIAG_SYNCWRITE_4K] = { "syncwrite-4k", "4k write + fdatasync, QD1 (commit latency)",
				"write", 4096, 1, true, true, true, 0, 0 },
	[DIAG_BUFWRITE_4K] = { "bufwrite-4k", "4k buffered write, QD1 (compare with sync)",
			       "write", 4096, 1, true, true, false, 0, 4 * MIB },
	[DIAG_MIXED_7030] = { "mixed-7030", "4k random 70% read / 30% write, QD16",
			      "randrw", 4096, 16, true, false, false, 70, 0 },
};

bool diag_step_buffered(unsigned i)
{
	return i < DIAG_STEP_NR && step_defs[i].buffered;
}

void diagnose_result_init(struct diagnose_result *r, const char *target)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->target, sizeof(r->target), "%s", target ? target : "");
	r->direct = true;
	r->nr_requests = -1;
	r->rotational = -1;
	for (unsigned i = 0; i < DIAG_STEP_NR; i++) {
		struct diagnose_step *s = &r->steps[i];
		const struct step_def *d = &step_defs[i];

		s->kind = (enum diag_step_kind)i;
		s->name = d->name;
		s->title = d->title;
		s->rw = d->rw;
		s->bs = d->bs;
		s->iodepth = d->iodepth;
		s->writes = d->writes;
		s->direct = !d->buffered;
		s->fdatasync = d->fdatasync;
		s->status = DIAG_NOT_RUN;
		s->depth = -1;
		s->util = -1;
		s->await_ms = -1;
		s->dev_iops = -1;
		s->dev_bw = -1;
		s->dev_depth = -1;
	}
}

/* ---- formatting helpers ---- */

/* "85 us", "1.25 ms", "2.10 s" for a latency in microseconds. */
const char *diag_fmt_us(char *buf, size_t len, double us)
{
	if (us < 0)
		snprintf(buf, len, "-");
	else if (us < 10)
		snprintf(buf, len, "%.1f us", us);
	else if (us < 1000)
		snprintf(buf, len, "%.0f us", us);
	else if (us < 10000)
		snprintf(buf, len, "%.2f ms", us / 1000);
	else if (us < 1000000)
		snprintf(buf, len, "%.1f ms", us / 1000);
	else
		snprintf(buf, len, "%.2f s", us / 1000000);
	return buf;
}

/* "123.4 MiB/s" for bytes per second. */
const char *diag_fmt_bw(char *buf, size_t len, double bps)
{
	if (bps >= GIB)
		snprintf(buf, len, "%.2f GiB/s", bps / GIB);
	else
		snprintf(buf, len, "%.1f MiB/s", bps / MIB);
	return buf;
}

const char *diag_fmt_iops(char *buf, size_t len, double iops)
{
	if (iops >= 100000)
		snprintf(buf, len, "%.0fk", iops / 1000);
	else if (iops >= 10000)
		snprintf(buf, len, "%.1fk", iops / 1000);
	else if (iops >= 100)
		snprintf(buf, len, "%.0f", iops);
	else
		snprintf(buf, len, "%.1f", iops);
	return buf;
}

/* Copy @src into @dst (@len bytes), truncating. */
static void copy_name(char *dst, size_t len, const char *src)
{
	size_t n = strnlen(src, len - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}


/* ---- running the battery ---- */

struct target {
	char path[4096];
	bool is_dev;
	bool created;    /* a scratch file made by this run: remove at the end */
	struct outfile_scratch scratch; /* its identity, checked before removal */
	unsigned maj, min;
};

static int progress(const struct diagnose_cfg *cfg, struct diagnose_progress *p)
{
	if (cfg->stop && *cfg->stop)
		return 1;
	return cfg->progress ? cfg->progress(p, cfg->progress_arg) : 0;
}

/* Default scratch size: 256 MiB per second of runtime within 256 MiB..1 GiB,
 * at most a quarter of the free space, in whole MiB. 0 if under 16 MiB fit. */
static uint64_t scratch_size(const struct diagnose_cfg *cfg, double runtime_s, uint64_t avail)
{
	uint64_t size = cfg->size;

	if (!size) {
		size = (uint64_t)(runtime_s * 256) * MIB;
		if (size < 256 * MIB)
			size = 256 * MIB;
		if (size > GIB)
			size = GIB;
		if (size > avail / 4)
			size = avail / 4;
	}
	size &= ~(MIB - 1);
	return size < DIAG_MIN_SIZE ? 0 : size;
}

/* Fill scratch file @path with @size bytes of incompressible data, flushed
 * to the device and dropped from the page cache. @create: make it
 * (O_CREAT|O_EXCL: a path the user named, which must not exist); else it is
 * the empty file outfile_scratch_create made in @s. Never follows a
 * symlink. On failure the file is removed (while it is still ours).
 * Returns 0 or -1 with @err. */
static int scratch_fill(const struct diagnose_cfg *cfg, const char *path, uint64_t size,
			bool create, struct outfile_scratch *s, char *err, size_t errlen)
{
	struct diagnose_progress p = { .phase = DIAG_PHASE_PREPARE, .count = DIAG_STEP_NR };
	uint64_t t0 = clock_now_ns(), x = t0 | 1, done = 0;
	uint64_t *buf = malloc(MIB);
	int fd = -1;

	if (!buf) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	fd = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC | (create ? O_CREAT | O_EXCL : 0), 0600);
	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot create scratch file: %s", path, strerror(errno));
		goto err;
	}
	if (create && outfile_scratch_adopt(s, path, fd)) {
		snprintf(err, errlen, "%s: cannot create scratch file: %s", path, strerror(errno));
		goto err;
	}
	if (!create) {
		/* opened again by name: still the file made, not one renamed over it */
		struct stat st;

		if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_dev != s->dev ||
		    st.st_ino != s->ino) {
			snprintf(err, errlen, "%s: not the scratch file iolab created there "
				 "(something was put in its place since); refused", path);
			goto err; /* outfile_scratch_remove leaves what is not ours */
		}
	}
	for (size_t i = 0; i < MIB / sizeof(*buf); i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		buf[i] = x;
	}
	if (progress(cfg, &p)) {
		snprintf(err, errlen, "%s: interrupted while preparing the scratch file", path);
		goto err;
	}
	while (done < size) {
		ssize_t n;

		buf[0] = done; /* every MiB differs */
		n = pwrite(fd, buf, MIB, (off_t)done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			snprintf(err, errlen, "%s: writing the scratch file at %llu MiB: %s", path,
				 (unsigned long long)(done / MIB), n < 0 ? strerror(errno) : "short write");
			goto err;
		}
		done += (uint64_t)n;
		if (cfg->stop && *cfg->stop) { /* a stop is seen within one MiB */
			snprintf(err, errlen, "%s: interrupted while preparing the scratch file",
				 path);
			goto err;
		}
		if (done % (64 * MIB) == 0) {
			p.done = (double)done / (double)size;
			p.elapsed_s = (double)(clock_now_ns() - t0) / 1e9;
			if (progress(cfg, &p)) {
				snprintf(err, errlen, "%s: interrupted while preparing the scratch file",
					 path);
				goto err;
			}
		}
	}
	if (fsync(fd)) {
		snprintf(err, errlen, "%s: fsync: %s", path, strerror(errno));
		goto err;
	}
	posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	close(fd);
	free(buf);
	return 0;
err:
	if (fd >= 0)
		close(fd);
	outfile_scratch_remove(s);
	free(buf);
	return -1;
}

/* Does O_DIRECT work on @path (open and one aligned read)? */
static bool direct_works(const char *path)
{
	void *buf = NULL;
	bool ok = false;
	char err[512];
	int fd = devguard_open(path, O_RDONLY | O_DIRECT, 0, NULL, NULL, err, sizeof(err));

	if (fd < 0)
		return false;
	if (!posix_memalign(&buf, 4096, 4096)) {
		ok = pread(fd, buf, 4096, 0) >= 0;
		free(buf);
	}
	close(fd);
	return ok;
}

/* Resolve cfg->target into @t and r->kind/size/write_block; create the
 * scratch file if needed. Returns 0 or -1 with @err. */
static int target_open(const struct diagnose_cfg *cfg, struct diagnose_result *r,
		       struct target *t, char *err, size_t errlen)
{
	const char *path = cfg->target;
	char dir[4096];
	struct statvfs vfs;
	struct stat st;
	bool in_dir = false;
	char *slash;

	if (!path || !*path) {
		snprintf(err, errlen, "diagnose: no target given");
		return -1;
	}
	if (snprintf(t->path, sizeof(t->path), "%s", path) >= (int)sizeof(t->path)) {
		snprintf(err, errlen, "diagnose: target path is too long");
		return -1;
	}
	if (!stat(path, &st) && S_ISDIR(st.st_mode)) {
		if (snprintf(t->path, sizeof(t->path), "%s/%s", path, SCRATCH_NAME) >=
		    (int)sizeof(t->path)) {
			snprintf(err, errlen, "diagnose: target path is too long");
			return -1;
		}
		in_dir = true; /* a unique name is made below, never this one */
	} else if (!stat(path, &st)) {
		if (S_ISBLK(st.st_mode)) {
			int fd = devguard_open(path, O_RDONLY, 0, NULL, &st, err, errlen);
			uint64_t bytes = 0;

			if (fd < 0)
				return -1;
			if (ioctl(fd, BLKGETSIZE64, &bytes)) {
				snprintf(err, errlen, "%s: block device size: %s", path, strerror(errno));
				close(fd);
				return -1;
			}
			if (cfg->allow_write)
				devguard_may_write(fd, path, "diagnose writes only to a device nothing uses",
						   r->write_block, sizeof(r->write_block));
			close(fd);
			t->is_dev = true;
			snprintf(r->kind, sizeof(r->kind), "device");
			r->size = bytes & ~(MIB - 1);
		} else if (S_ISREG(st.st_mode)) {
			snprintf(r->kind, sizeof(r->kind), "file");
			r->size = (uint64_t)st.st_size & ~(MIB - 1);
		} else {
			snprintf(err, errlen, "%s: not a regular file, directory or block device",
				 path);
			return -1;
		}
		if (r->size < DIAG_MIN_SIZE) {
			snprintf(err, errlen, "%s: only %llu bytes; diagnose needs at least 16 MiB "
				 "(or name a new file to create a scratch file)", path,
				 (unsigned long long)r->size);
			return -1;
		}
		goto ready;
	} else if (errno != ENOENT) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}

	/* A new scratch file at t->path. */
	snprintf(dir, sizeof(dir), "%s", t->path);
	slash = strrchr(dir, '/');
	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	if (statvfs(dir, &vfs)) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	r->size = scratch_size(cfg, r->runtime_s, (uint64_t)vfs.f_bavail * vfs.f_frsize);
	if (!r->size) {
		snprintf(err, errlen, "%s: not enough free space for a scratch file "
			 "(diagnose needs at least 64 MiB free)", dir);
		return -1;
	}
	if (in_dir) {
		/* DIR may be shared (/tmp): a new file of our own, never one
		 * planted at a name we would have used */
		if (outfile_scratch_create(&t->scratch, path, "iolab-diagnose.", ".dat", err,
					   errlen))
			return -1;
		snprintf(t->path, sizeof(t->path), "%s", t->scratch.path);
	}
	if (scratch_fill(cfg, t->path, r->size, !in_dir, &t->scratch, err, errlen))
		return -1;
	t->created = true;
	snprintf(r->kind, sizeof(r->kind), "scratch");

ready:
	snprintf(r->target, sizeof(r->target), "%s", t->path);
	r->direct = direct_works(t->path);
	if (!diskstats_find(t->path, r->device, sizeof(r->device), &t->maj, &t->min))
		r->dev_stats = true;
	else
		r->device[0] = '\0';
	if (t->is_dev) {
		/* with allow_write, the device guard already spoke (target_open) */
		if (!cfg->allow_write)
			snprintf(r->write_block, sizeof(r->write_block),
				 "%.120s is a block device and writes destroy its data; "
				 "pass --allow-write to run them", t->path);
	} else if (!t->created && !cfg->allow_write) {
		snprintf(r->write_block, sizeof(r->write_block),
			 "%.120s existed before and write steps would overwrite it; "
			 "pass --allow-write to run them (or name a new file)", t->path);
	}
	return 0;
}

/* When, where, what ran, and the target disk's identity and queue settings
 * (r->device must be set), for the report. */
static void run_facts(struct diagnose_result *r)
{
	struct prov_host h;
	struct prov_dev d;
	time_t now = time(NULL);
	struct tm tm;

	r->when_s = (long long)now;
	if (localtime_r(&now, &tm))
		strftime(r->when, sizeof(r->when), "%Y-%m-%dT%H:%M:%S%z", &tm);
	prov_host_read(&h);
	copy_name(r->host, sizeof(r->host), h.host);
	copy_name(r->kernel, sizeof(r->kernel), h.kernel);
	copy_name(r->version, sizeof(r->version), IOLAB_VERSION);
	if (!r->device[0])
		return;
	prov_dev_read(r->device, &d);
	copy_name(r->model, sizeof(r->model), d.model);
	copy_name(r->firmware, sizeof(r->firmware), d.firmware);
	copy_name(r->scheduler, sizeof(r->scheduler), d.scheduler);
	copy_name(r->write_cache, sizeof(r->write_cache), d.write_cache);
	r->nr_requests = d.nr_requests;
	r->rotational = d.rotational;
}

/* Push written data out and drop it from the page cache, so the next step
 * starts clean. */
static void target_settle(const struct target *t)
{
	char err[512];
	int fd = devguard_open(t->path, O_RDONLY, 0, NULL, NULL, err, sizeof(err));

	if (fd < 0)
		return;
	fsync(fd);
	posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	close(fd);
}

/* Write @path into a job file value: ':' separates fio filenames. */
static void escape_filename(char *out, size_t len, const char *path)
{
	size_t o = 0;

	for (; *path && o + 2 < len; path++) {
		if (*path == ':')
			out[o++] = '\\';
		out[o++] = *path;
	}
	out[o] = '\0';
}

static void step_job_text(char *buf, size_t len, const struct diagnose_result *r,
			  const struct diagnose_step *s, const struct target *t,
			  const char *job_options)
{
	const struct step_def *d = &step_defs[s->kind];
	char fname[8300];
	uint64_t ms = (uint64_t)llround(r->runtime_s * 1000);

	escape_filename(fname, sizeof(fname), t->path);
	snprintf(buf, len,
		 "[global]\n"
		 "filename=%s\n"
		 "size=%llu\n"
		 "ioengine=%s\n"
		 "direct=%d\n"
		 "time_based=1\n"
		 /* target_settle() drops the cache between steps; a time_based
		  * job's drop at each pass (fio's invalidate) would put a cache
		  * flush, a device flush for a block device, inside a step */
		 "invalidate=0\n"
		 "continue_on_error=io\n",
		 fname,
		 (unsigned long long)(d->region && d->region < r->size ? d->region : r->size),
		 d->buffered ? "psync" : r->ioengine,
		 s->direct ? 1 : 0);
	/* the user's options override diagnose's global ones, not the step's */
	if (job_options && *job_options)
		errmsg_appendf(buf, len, "%s\n", job_options);
	if (ms % 1000 == 0)
		errmsg_appendf(buf, len, "runtime=%llu\n", (unsigned long long)(ms / 1000));
	else
		errmsg_appendf(buf, len, "runtime=%llums\n", (unsigned long long)ms);
	errmsg_appendf(buf, len, "\n[%s]\nrw=%s\nbs=%u\niodepth=%u\n", s->name, s->rw, s->bs,
		s->iodepth);
	if (d->rwmixread)
		errmsg_appendf(buf, len, "rwmixread=%u\n", d->rwmixread);
	if (d->fdatasync)
		errmsg_appendf(buf, len, "fdatasync=1\n");
	if (!strncmp(s->rw, "rand", 4))
		errmsg_appendf(buf, len, "norandommap=1\n");
}

/* The latency bin (diagnose_lat_bin) of each of the store's heat buckets,
 * read at the bucket's middle. Any thread: every caller writes the same
 * values. */
static unsigned heat_bin[SAMPLES_HEAT_NR];
static pthread_once_t heat_bin_once = PTHREAD_ONCE_INIT;

static void heat_bin_init(void)
{
	for (unsigned b = 0; b < SAMPLES_HEAT_NR; b++) {
		uint64_t lo = samples_heat_low(b), hi = samples_heat_low(b + 1);
		double mid = b + 1 < SAMPLES_HEAT_NR ? ((double)lo + (double)hi) / 2 : (double)lo;

		heat_bin[b] = diagnose_lat_bin(mid / 1000.0);
	}
}

/* The histogram of sample @smp (job 0 of @ss; the one sample holding its
 * middle) into p->heat. */
static void point_heat(struct diagnose_point *p, struct sample_store *ss, const struct sample *smp)
{
	uint64_t heat[SAMPLES_HEAT_NR] = { 0 }, mid = smp->t_start + (smp->t_end - smp->t_start) / 2;

	pthread_once(&heat_bin_once, heat_bin_init);
	samples_heat(ss, 0, mid, mid, (1u << DDIR_RWDIR_CNT) - 1, heat);
	for (unsigned b = 0; b < SAMPLES_HEAT_NR; b++) {
		uint64_t v;

		if (!heat[b])
			continue;
		v = (uint64_t)p->heat[heat_bin[b]] + heat[b];
		p->heat[heat_bin[b]] = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
	}
}

/* One sample of the step's job as a point (latencies ns -> us), with its
 * histogram from @ss. */
static void point_from_sample(struct diagnose_point *p, const struct sample *smp, bool dev_stats,
			      struct sample_store *ss)
{
	double w50 = 0;

	memset(p, 0, sizeof(*p));
	point_heat(p, ss, smp);
	p->t_s = (double)(smp->t_start + smp->t_end) / 2e6;
	p->dur_s = (double)(smp->t_end - smp->t_start) / 1e6;
	for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
		const struct sample_dir *sd = &smp->dir[d];

		if (!sd->ios)
			continue;
		p->ios += (double)sd->ios;
		p->iops += sd->iops;
		w50 += (double)sd->ios * sd->lat_p50 / 1000.0;
		if (sd->lat_p99 / 1000.0 > p->lat_p99_us)
			p->lat_p99_us = sd->lat_p99 / 1000.0;
		if (sd->lat_p999 / 1000.0 > p->lat_p999_us)
			p->lat_p999_us = sd->lat_p999 / 1000.0;
		if (sd->lat_max / 1000.0 > p->lat_max_us)
			p->lat_max_us = sd->lat_max / 1000.0;
	}
	p->lat_p50_us = p->ios > 0 ? w50 / p->ios : 0;
	if (dev_stats) {
		double n = smp->dev_rps + smp->dev_wps;

		p->util = smp->dev_util;
		p->await_ms = n > 0 ? (smp->dev_r_await * smp->dev_rps +
				       smp->dev_w_await * smp->dev_wps) / n : 0;
	} else {
		p->util = -1;
		p->await_ms = -1;
	}
}

/* Merge points [from, from+n) of @v into one. */
static void point_merge(struct diagnose_point *out, const struct diagnose_point *v, size_t n)
{
	double w50 = 0, t0 = v[0].t_s - v[0].dur_s / 2, t1 = t0, ud = 0, ad = 0;

	memset(out, 0, sizeof(*out));
	out->util = out->await_ms = -1;
	for (size_t i = 0; i < n; i++) {
		const struct diagnose_point *p = &v[i];

		out->ios += p->ios;
		out->dur_s += p->dur_s;
		w50 += p->ios * p->lat_p50_us;
		out->lat_p99_us = fmax(out->lat_p99_us, p->lat_p99_us);
		out->lat_p999_us = fmax(out->lat_p999_us, p->lat_p999_us);
		out->lat_max_us = fmax(out->lat_max_us, p->lat_max_us);
		if (p->util >= 0) {
			ud += p->dur_s;
			out->util = (out->util < 0 ? 0 : out->util) + p->util * p->dur_s;
			out->await_ms = (out->await_ms < 0 ? 0 : out->await_ms) +
					p->await_ms * p->dur_s;
			ad += p->dur_s;
		}
		t1 = p->t_s + p->dur_s / 2;
		for (unsigned k = 0; k < DIAG_LAT_BINS; k++) {
			uint64_t v = (uint64_t)out->heat[k] + p->heat[k];

			out->heat[k] = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
		}
	}
	out->t_s = (t0 + t1) / 2;
	out->iops = out->dur_s > 0 ? out->ios / out->dur_s : 0;
	out->lat_p50_us = out->ios > 0 ? w50 / out->ios : 0;
	if (ud > 0)
		out->util /= ud;
	if (ad > 0)
		out->await_ms /= ad;
}

/* The step's points so far (job 0's samples out of ramp, the newest
 * DIAG_MAX_POINTS) into @lp->pts for the progress callback; @lp->smp is
 * scratch for LIVE_SAMPLES samples. Runner thread only. */
#define LIVE_SAMPLES 4096
struct live_points {
	struct sample *smp;
	struct diagnose_point *pts;
};

static unsigned live_points(struct backend *be, struct live_points *lp, bool dev_stats)
{
	size_t n, first = 0;
	unsigned used = 0;

	if (!lp->smp || !lp->pts)
		return 0;
	n = samples_range(backend_samples(be), 0, 0, UINT64_MAX, lp->smp, LIVE_SAMPLES);
	if (n > LIVE_SAMPLES)
		n = LIVE_SAMPLES;
	if (n > DIAG_MAX_POINTS)
		first = n - DIAG_MAX_POINTS;
	for (size_t i = first; i < n; i++) {
		if (lp->smp[i].in_ramp || lp->smp[i].t_end <= lp->smp[i].t_start)
			continue;
		point_from_sample(&lp->pts[used++], &lp->smp[i], dev_stats, backend_samples(be));
	}
	return used;
}

/* Figures of the finished step from its job's stats and samples. */
static void step_collect(struct backend *be, struct diagnose_step *s, bool dev_stats)
{
	static const double pcts[3] = { 50.0, 99.0, 99.9 };
	struct job_stats *snap = malloc(sizeof(*snap));
	struct hist *h = calloc(1, sizeof(*h)), *hc = calloc(1, sizeof(*hc));
	uint64_t lat_min = UINT64_MAX, commit_n = 0, commit_sum = 0, commit_max = 0;
	uint64_t commit_min = UINT64_MAX;
	struct sample *smp = NULL;
	struct diagnose_point *pts = NULL;
	uint64_t ios[DDIR_RWDIR_CNT] = { 0 }, bytes = 0, lat_n = 0, lat_sum = 0, lat_max = 0;
	uint64_t syncs = 0, sync_n = 0, sync_sum = 0, sync_max = 0, rt_ns = 0, pv[3];
	size_t n, cap = 1024, used = 0;
	double depth_sum = 0;
	unsigned depth_n = 0;

	if (!snap || !h || !hc)
		goto out;
	for (unsigned j = 0; j < backend_njobs(be); j++) {
		const struct job *job = backend_job(be, j);
		uint64_t rt = 0;

		if (!job)
			continue;
		stats_snapshot(snap, &job->stats);
		for (int d = DDIR_READ; d <= DDIR_WRITE; d++) {
			const struct dir_stats *ds = &snap->dir[d];
			/* the whole wait, submission included: an engine whose
			 * submit call blocks until the device answers (a loop
			 * device, a throttle) leaves almost nothing in clat */
			const struct lat_stat *l = ds->lat.n ? &ds->lat : &ds->clat;

			ios[d] += ds->ios;
			bytes += ds->bytes;
			hist_merge(h, ds->lat.n ? &ds->lat_hist : &ds->clat_hist);
			lat_n += l->n;
			lat_sum += l->sum;
			if (l->n && l->max > lat_max)
				lat_max = l->max;
			if (l->n && l->min < lat_min)
				lat_min = l->min;
			s->errors += ds->errors;
			if (snap->runtime_ns[d] > rt)
				rt = snap->runtime_ns[d];
		}
		if (snap->end_ns > snap->start_ns)
			rt = snap->end_ns - snap->start_ns;
		else if (!rt && job->ended_ns > job->started_ns)
			rt = job->ended_ns - job->started_ns;
		if (rt > rt_ns)
			rt_ns = rt;
		syncs += snap->syncs > snap->sync_lat.n ? snap->syncs : snap->sync_lat.n;
		sync_n += snap->sync_lat.n;
		sync_sum += snap->sync_lat.sum;
		if (snap->sync_lat.n && snap->sync_lat.max > sync_max)
			sync_max = snap->sync_lat.max;
		hist_merge(hc, &snap->commit_hist);
		commit_n += snap->commit_lat.n;
		commit_sum += snap->commit_lat.sum;
		if (snap->commit_lat.n && snap->commit_lat.max > commit_max)
			commit_max = snap->commit_lat.max;
		if (snap->commit_lat.n && snap->commit_lat.min < commit_min)
			commit_min = snap->commit_lat.min;
		if (!s->first_errno)
			s->first_errno = snap->first_error;
		for (uint64_t k = 0; k < snap->nr_err_off && s->nr_err_off < DIAG_ERR_OFFSETS; k++) {
			bool seen = false;

			for (unsigned m = 0; m < s->nr_err_off; m++)
				seen |= s->err_off[m] == snap->err_off[k];
			if (!seen)
				s->err_off[s->nr_err_off++] = snap->err_off[k];
		}
		if (job->error && !s->note[0])
			copy_name(s->note, sizeof(s->note),
				  job->errmsg[0] ? job->errmsg : strerror(job->error));
	}
	s->runtime_s = (double)rt_ns / 1e9;
	if (s->runtime_s > 0) {
		s->read_iops = (double)ios[DDIR_READ] / s->runtime_s;
		s->write_iops = (double)ios[DDIR_WRITE] / s->runtime_s;
		s->iops = s->read_iops + s->write_iops;
		s->bw_bytes = (double)bytes / s->runtime_s;
	}
	s->ios = lat_n;
	s->lat_mean_us = lat_n ? (double)lat_sum / (double)lat_n / 1000.0 : 0;
	s->lat_max_us = (double)lat_max / 1000.0;
	s->lat_min_us = lat_n ? (double)lat_min / 1000.0 : 0;
	if (s->fdatasync && commit_n) {
		/* a commit: the write and the flush that made it durable */
		s->commits = true;
		s->ios = commit_n;
		s->lat_mean_us = (double)commit_sum / (double)commit_n / 1000.0;
		s->lat_max_us = (double)commit_max / 1000.0;
		s->lat_min_us = (double)commit_min / 1000.0;
		memcpy(h, hc, sizeof(*h));
	}
	for (unsigned i = 0; i < HIST_NR; i++) {
		double us;

		if (!h->bucket[i])
			continue;
		us = (double)hist_bucket_value(i) / 1000.0;
		s->lat_bins[diagnose_lat_bin(us)] += (double)h->bucket[i];
	}
	hist_percentiles(h, pcts, 3, pv);
	s->lat_p50_us = (double)pv[0] / 1000.0;
	s->lat_p99_us = (double)pv[1] / 1000.0;
	s->lat_p999_us = (double)pv[2] / 1000.0;
	s->syncs = syncs;
	s->sync_mean_us = sync_n ? (double)sync_sum / (double)sync_n / 1000.0 : 0;
	s->sync_max_us = (double)sync_max / 1000.0;

	/* Samples of job 0 over the whole step. */
	for (;;) {
		free(smp);
		smp = malloc(cap * sizeof(*smp));
		if (!smp)
			goto out;
		n = samples_range(backend_samples(be), 0, 0, UINT64_MAX, smp, cap);
		if (n <= cap)
			break;
		cap = n + 64;
	}
	pts = malloc((n ? n : 1) * sizeof(*pts));
	if (!pts)
		goto out;
	for (size_t i = 0; i < n; i++) {
		if (smp[i].in_ramp || smp[i].t_end <= smp[i].t_start)
			continue;
		point_from_sample(&pts[used++], &smp[i], dev_stats, backend_samples(be));
		if (smp[i].runstate == RS_RUNNING) {
			depth_sum += smp[i].depth;
			depth_n++;
		}
	}
	if (depth_n)
		s->depth = depth_sum / depth_n;
	if (used <= DIAG_MAX_POINTS) {
		memcpy(s->points, pts, used * sizeof(*pts));
		s->nr_points = (unsigned)used;
	} else {
		size_t k = (used + DIAG_MAX_POINTS - 1) / DIAG_MAX_POINTS;

		s->nr_points = 0;
		for (size_t i = 0; i < used; i += k)
			point_merge(&s->points[s->nr_points++], &pts[i], i + k <= used ? k : used - i);
	}
out:
	free(pts);
	free(smp);
	free(hc);
	free(h);
	free(snap);
}

/* Run step @s. Returns 1 if the battery must stop (interrupt), else 0. */
static int step_run(const struct diagnose_cfg *cfg, struct diagnose_result *r,
		    struct diagnose_step *s, const struct target *t)
{
	struct backend_config bc = { 0 };
	struct diagnose_progress p = { .index = (unsigned)s->kind, .count = DIAG_STEP_NR,
				       .step = s };
	struct diskstats ds0 = { 0 }, ds1 = { 0 };
	struct job_list l;
	struct backend *be;
	uint64_t tick_ms = cfg->tick_ms ? cfg->tick_ms : 200, t0, last, interval;
	char text[10000], err[512];
	bool have_ds = false, stopped = false;
	struct live_points lp = { 0 };
	int nfailed;

	interval = (uint64_t)(r->runtime_s * 1000 / 100);
	if (interval < 100)
		interval = 100;
	if (interval > 1000)
		interval = 1000;
	bc.status_interval_ms = interval;
	bc.allow_write_devices = t->is_dev && s->writes;
	step_job_text(text, sizeof(text), r, s, t, cfg->job_options);

	be = backend_new(&bc);
	if (!be) {
		s->status = DIAG_FAILED;
		snprintf(s->note, sizeof(s->note), "backend_new: %s", strerror(errno));
		return 0;
	}
	job_list_init(&l);
	err[0] = '\0';
	if (jobfile_load_text(&l, s->name, text, err, sizeof(err)) ||
	    job_list_finalize(&l, err, sizeof(err)) || backend_load(be, &l, err, sizeof(err))) {
		s->status = DIAG_FAILED;
		copy_name(s->note, sizeof(s->note), err[0] ? err : "cannot load the job");
		job_list_free(&l);
		backend_free(be);
		return 0;
	}
	job_list_free(&l);

	if (r->dev_stats)
		have_ds = !diskstats_read(t->maj, t->min, &ds0);
	t0 = last = clock_now_ns();
	if (backend_start(be)) {
		s->status = DIAG_FAILED;
		snprintf(s->note, sizeof(s->note), "cannot start the job");
		backend_free(be);
		return 0;
	}
	p.phase = DIAG_PHASE_STEP_START;
	p.be = be;
	if (cfg->progress) { /* no live points without memory: the run goes on */
		lp.smp = malloc(LIVE_SAMPLES * sizeof(*lp.smp));
		lp.pts = malloc(DIAG_MAX_POINTS * sizeof(*lp.pts));
	}
	p.points = lp.pts;
	if (progress(cfg, &p) && !stopped) {
		backend_stop(be, -1);
		stopped = true;
	}
	p.phase = DIAG_PHASE_TICK;
	while (backend_running(be)) {
		uint64_t now;

		if (clock_wait(clock_now_ns() + tick_ms * NS_PER_MS, (const int *)cfg->stop,
			       backend_wake_fd(be)) == CLOCK_WAIT_READY)
			backend_drain_wake(be);
		now = clock_now_ns();
		if (now - last < tick_ms * NS_PER_MS && !(cfg->stop && *cfg->stop))
			continue;
		last = now;
		p.elapsed_s = (double)(now - t0) / 1e9;
		p.npoints = live_points(be, &lp, r->dev_stats);
		if (progress(cfg, &p) && !stopped) {
			backend_stop(be, -1);
			stopped = true;
		}
	}
	nfailed = backend_wait(be);
	if (have_ds && !diskstats_read(t->maj, t->min, &ds1)) {
		struct iostat io;

		diskstats_compute(&ds0, &ds1, 0, &io);
		s->util = io.util;
		s->dev_iops = io.r_s + io.w_s;
		s->dev_bw = (io.rkb_s + io.wkb_s) * 1024;
		s->dev_depth = io.aqu_sz;
		s->await_ms = (io.r_s + io.w_s) > 0 ?
			(io.r_await * io.r_s + io.w_await * io.w_s) / (io.r_s + io.w_s) : 0;
	}
	step_collect(be, s, r->dev_stats);
	if (nfailed > 0) {
		s->status = DIAG_FAILED;
		if (!s->note[0])
			snprintf(s->note, sizeof(s->note), "the job failed");
	} else {
		s->status = stopped ? DIAG_STOPPED : DIAG_DONE;
	}
	p.phase = DIAG_PHASE_STEP_DONE;
	p.elapsed_s = (double)(clock_now_ns() - t0) / 1e9;
	p.points = NULL;
	p.npoints = 0;
	free(lp.smp);
	free(lp.pts);
	if (progress(cfg, &p))
		stopped = true;
	backend_free(be);
	if (s->writes)
		target_settle(t);
	return stopped;
}

int diagnose_run(const struct diagnose_cfg *cfg, struct diagnose_result *out,
		 char *err, size_t errlen)
{
	struct target t = { .path = "" };

	diagnose_result_init(out, cfg->target);
	out->runtime_s = cfg->runtime_s > 0 ? cfg->runtime_s : DIAG_DEFAULT_RUNTIME_S;
	snprintf(out->ioengine, sizeof(out->ioengine), "%s",
		 cfg->ioengine && *cfg->ioengine ? cfg->ioengine : "libaio");
	if (target_open(cfg, out, &t, err, errlen))
		return -1;
	run_facts(out);
	for (unsigned i = 0; i < DIAG_STEP_NR; i++) {
		struct diagnose_step *s = &out->steps[i];

		s->direct = s->direct && out->direct;
		if (cfg->stop && *cfg->stop) {
			out->interrupted = true;
			break;
		}
		if (s->writes && out->write_block[0]) {
			struct diagnose_progress p = { .phase = DIAG_PHASE_STEP_SKIPPED, .index = i,
						       .count = DIAG_STEP_NR, .step = s };

			s->status = DIAG_SKIPPED;
			copy_name(s->note, sizeof(s->note), out->write_block);
			if (progress(cfg, &p)) {
				out->interrupted = true;
				break;
			}
			continue;
		}
		if (step_run(cfg, out, s, &t)) {
			out->interrupted = true;
			break;
		}
	}
	if (t.created && !cfg->keep_scratch) {
		outfile_scratch_remove(&t.scratch);
	} else {
		free(t.scratch.path);
		t.scratch.path = NULL;
	}
	diagnose_analyse(out);
	return 0;
}

/* ---- job options ---- */

/* What every step sets for itself; the rest of the option table is the
 * user's to add (inject_delay, ramp_time, cpus_allowed, ...). */
static const char *const diag_owned[] = {
	"name", "filename", "directory", "filename_format", "nrfiles", "rw", "rwmixread",
	"rwmixwrite", "bs", "bssplit", "bsrange", "iodepth", "runtime", "time_based", "size",
	"filesize", "io_size", "offset", "number_ios", "loops", "direct", "buffered", "ioengine",
	"fsync", "fdatasync", "numjobs", "continue_on_error", "norandommap", "stonewall",
	"new_group", "group_reporting", "exec_prerun", "exec_postrun",
};

int diagnose_job_option(const char *name, const char *value, char *err, size_t errlen)
{
	const struct opt_def *def = opt_find(name);
	struct job_opts *o;
	char why[256] = "";
	int ret;

	if (!def) {
		const char *near = opt_suggest(name);

		snprintf(err, errlen, "--%s: not a --diagnose option nor a job option%s%s%s", name,
			 near ? " (did you mean --" : "", near ? near : "", near ? "?)" : "");
		return -1;
	}
	for (size_t i = 0; i < sizeof(diag_owned) / sizeof(diag_owned[0]); i++)
		if (!strcasecmp(def->name, diag_owned[i])) {
			snprintf(err, errlen, "--%s: diagnose sets %s itself in each step "
				 "(--runtime, --size and --ioengine are its own options)", name,
				 def->name);
			return -1;
		}
	if (strchr(value, '\n')) {
		snprintf(err, errlen, "--%s: a value cannot hold a line break", name);
		return -1;
	}
	o = malloc(sizeof(*o));
	if (!o) {
		snprintf(err, errlen, "--%s: out of memory", name);
		return -1;
	}
	opts_init(o);
	ret = opt_set(o, name, value, why, sizeof(why));
	opts_free(o);
	free(o);
	if (ret) {
		snprintf(err, errlen, "--%s=%s: %s", name, value, why);
		return -1;
	}
	return 0;
}
