/* Recordings as JSON Lines; see record.h and docs/recording.md. */
#include "record.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../lib/clock.h"
#include "../lib/json.h"
#include "../lib/outfile.h"
#include "backend.h"
#include "diskstats.h"
#include "job.h"
#include "jobfile.h"
#include "options.h"
#include "provenance.h"
#include "report.h"
#include "samples.h"
#include "workload.h"

#define REC_BATCH 64
#define REC_MAX_JOBFILE (1u << 20) /* job file text embedded, at most */

struct rec_job {
	uint64_t last_end;  /* t_end of the newest sample written */
	bool any;           /* a sample was written */
	int runstate;       /* last runstate written */
	bool error_written;
};

struct recorder {
	struct backend *be;
	FILE *f;
	int fd;
	uint64_t tick_ms;
	const struct job_opts *global; /* [global] for the trailer's report */
	unsigned njobs;
	struct rec_job *jobs;
	uint64_t heat[SAMPLES_HEAT_NR]; /* scratch for one direction's histogram */
	uint64_t mark_t;    /* time of the newest mark written */
	unsigned mark_n;    /* marks written at mark_t */
	bool marks_any;
	int werr;           /* first write error, -errno */

	pthread_t thread;
	bool running;
	pthread_mutex_t lock; /* guards stop and the writes (thread vs record_stop) */
	pthread_cond_t cond;
	bool stop;
};


int record_open_path(const char *path, const char *what, char *err, size_t errlen)
{
	if (outfile_is_stdout(path)) {
		int fd = dup(STDOUT_FILENO);

		if (fd < 0) {
			snprintf(err, errlen, "%s: %s", what, strerror(errno));
			return -errno;
		}
		return fd;
	}
	return outfile_open(path, OUTF_NAMED, 0666, what, err, errlen);
}

void record_compact_json(char *s)
{
	char *o = s;
	bool in_str = false, esc = false;

	for (; *s; s++) {
		char c = *s;

		if (in_str) {
			*o++ = c;
			if (esc)
				esc = false;
			else if (c == '\\')
				esc = true;
			else if (c == '"')
				in_str = false;
			continue;
		}
		if (c == ' ' || c == '\n' || c == '\t' || c == '\r')
			continue;
		if (c == '"')
			in_str = true;
		*o++ = c;
	}
	*o = '\0';
}

static uint64_t now_us(const struct recorder *r)
{
	uint64_t t0 = backend_start_ns(r->be), now = clock_now_ns();

	return now > t0 ? (now - t0) / 1000 : 0;
}

/* Flush what stdio holds; remember the first failure. Caller holds lock. */
static void rec_flush(struct recorder *r)
{
	if (fflush(r->f) && !r->werr)
		r->werr = errno ? -errno : -EIO;
	if (ferror(r->f) && !r->werr)
		r->werr = -EIO;
}

/* ------------------------------------------------------------- header */

static void put_wall(struct json *j, const char *key, uint64_t mono_ns)
{
	struct timespec rt;
	uint64_t now_mono = clock_now_ns(), ms;
	time_t secs;
	struct tm tm;
	char iso[48] = "";

	clock_gettime(CLOCK_REALTIME, &rt);
	ms = (uint64_t)rt.tv_sec * 1000 + (uint64_t)rt.tv_nsec / 1000000;
	if (mono_ns && now_mono > mono_ns)
		ms -= (now_mono - mono_ns) / 1000000;
	secs = (time_t)(ms / 1000);
	if (localtime_r(&secs, &tm))
		strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%S%z", &tm);
	json_obj_open(j, key);
	json_u64(j, "unix_ms", ms);
	json_str(j, "local", iso);
	json_obj_close(j);
}

static void put_str_or_null(struct json *j, const char *key, const char *v)
{
	if (v && *v)
		json_str(j, key, v);
	else
		json_raw(j, key, "null");
}

static void put_int_or_null(struct json *j, const char *key, long long v)
{
	if (v >= 0)
		json_i64(j, key, v);
	else
		json_raw(j, key, "null");
}

static void put_target(struct json *j, const char *path)
{
	struct prov_mount m;
	struct prov_dev d;
	char dev[DISK_NAME_LEN] = "";
	unsigned maj = 0, min = 0;
	struct stat st;
	bool have_dev;

	json_obj_open(j, NULL);
	json_str(j, "path", path);
	if (!stat(path, &st))
		json_str(j, "type", S_ISBLK(st.st_mode) ? "block" : S_ISREG(st.st_mode) ? "file" :
				    S_ISCHR(st.st_mode) ? "char" : S_ISDIR(st.st_mode) ? "dir" : "other");
	else
		json_str(j, "type", "absent");
	if (!prov_mount_read(path, &m)) {
		json_str(j, "mountpoint", m.mountpoint);
		json_str(j, "fstype", m.fstype);
		json_str(j, "mount_source", m.source);
		json_str(j, "mount_options", m.options);
	}
	have_dev = !diskstats_find(path, dev, sizeof(dev), &maj, &min);
	put_str_or_null(j, "device", have_dev ? dev : NULL);
	if (have_dev) {
		prov_dev_read(dev, &d);
		put_str_or_null(j, "model", d.model);
		put_str_or_null(j, "firmware", d.firmware);
		put_str_or_null(j, "serial", d.serial);
		put_int_or_null(j, "rotational", d.rotational);
		put_str_or_null(j, "scheduler", d.scheduler);
		put_int_or_null(j, "nr_requests", d.nr_requests);
		put_str_or_null(j, "write_cache", d.write_cache);
	}
	json_obj_close(j);
}

/* The text of job file @path, at most REC_MAX_JOBFILE bytes; NULL if it
 * cannot be read. malloc'd. */
static char *slurp(const char *path, bool *cut)
{
	FILE *f = fopen(path, "re");
	char *buf;
	size_t n;

	*cut = false;
	if (!f)
		return NULL;
	buf = malloc(REC_MAX_JOBFILE + 1);
	if (!buf) {
		fclose(f);
		return NULL;
	}
	n = fread(buf, 1, REC_MAX_JOBFILE, f);
	*cut = n == REC_MAX_JOBFILE && fgetc(f) != EOF;
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void put_job(struct json *j, struct backend *be, unsigned id)
{
	const struct job *jb = backend_job(be, id);
	char **paths = NULL, *dump = NULL;
	size_t dlen = 0;
	FILE *mem;
	int np;

	json_obj_open(j, NULL);
	json_u64(j, "id", id);
	json_str(j, "name", jb->name);
	json_str(j, "label", jb->label ? jb->label : jb->name);
	json_u64(j, "clone", jb->clone);
	json_u64(j, "group", jb->group);
	json_u64(j, "seed", workload_seed(&jb->o, id));
	json_bool(j, "randseed_set", jb->o.randseed_set);
	mem = open_memstream(&dump, &dlen);
	if (mem) {
		opts_dump(mem, &jb->o, true);
		fclose(mem);
		json_str(j, "options", dump);
		free(dump);
	}
	json_arr_open(j, "targets");
	np = job_target_paths(&jb->o, jb->name, jb->clone, &paths);
	for (int i = 0; i < np; i++)
		put_target(j, paths[i]);
	if (np > 0)
		job_paths_free(paths, (unsigned)np);
	json_arr_close(j);
	json_obj_close(j);
}

static void write_header(struct recorder *r, const struct record_info *info)
{
	struct prov_host h;
	struct json j;

	prov_host_read(&h);
	json_init_line(&j, r->f);
	json_obj_open(&j, NULL);
	json_str(&j, "type", "header");
	json_str(&j, "format", RECORD_FORMAT);
	json_u64(&j, "version", RECORD_VERSION);
	json_str(&j, "iolab", IOLAB_VERSION);
	json_arr_open(&j, "cmdline");
	for (int i = 0; i < info->argc; i++)
		json_str(&j, NULL, info->argv[i]);
	json_arr_close(&j);
	put_wall(&j, "start", backend_start_ns(r->be));
	json_u64(&j, "tick_ms", r->tick_ms);
	json_str(&j, "time_unit", "us since start");
	/* tick lines' "hist": bucket b holds latencies in [low[b], low[b + 1]) ns */
	json_arr_open(&j, "hist_low_ns");
	for (unsigned b = 0; b < SAMPLES_HEAT_NR; b++)
		json_u64(&j, NULL, samples_heat_low(b));
	json_arr_close(&j);

	json_obj_open(&j, "host");
	json_str(&j, "hostname", h.host);
	json_str(&j, "kernel", h.kernel);
	json_str(&j, "machine", h.machine);
	put_str_or_null(&j, "cpu_model", h.cpu_model);
	put_int_or_null(&j, "cpus", h.cpus);
	put_int_or_null(&j, "mem_bytes", h.mem_bytes);
	json_obj_close(&j);

	json_arr_open(&j, "job_files");
	for (int i = 0; i < info->nr_job_files; i++) {
		bool cut;
		char *text = slurp(info->job_files[i], &cut);

		json_obj_open(&j, NULL);
		json_str(&j, "path", info->job_files[i]);
		put_str_or_null(&j, "text", text);
		if (cut)
			json_bool(&j, "cut", 1);
		json_obj_close(&j);
		free(text);
	}
	json_arr_close(&j);
	if (info->jobs) {
		char *dump = NULL;
		size_t dlen = 0;
		FILE *mem = open_memstream(&dump, &dlen);

		if (mem) {
			opts_dump(mem, &info->jobs->global, true);
			fclose(mem);
			json_str(&j, "global_options", dump);
			free(dump);
		}
	}
	json_arr_open(&j, "jobs");
	for (unsigned i = 0; i < r->njobs; i++)
		put_job(&j, r->be, i);
	json_arr_close(&j);
	json_obj_close(&j);
	json_end(&j);
}

/* -------------------------------------------------------------- lines */

/* The sample's latency histogram of direction @d as [bucket, count, ...]
 * pairs of the buckets hit (heat buckets, header "hist_low_ns"); nothing
 * when the store holds none for it. */
static void put_hist(struct recorder *r, struct json *j, const struct sample *s, int d)
{
	uint64_t mid = s->t_start + (s->t_end - s->t_start) / 2, sum = 0;

	memset(r->heat, 0, sizeof(r->heat));
	/* the midpoint lies in this sample alone: neighbours share only ends */
	samples_heat(backend_samples(r->be), s->job, mid, mid, 1u << d, r->heat);
	for (unsigned b = 0; b < SAMPLES_HEAT_NR; b++)
		sum += r->heat[b];
	if (!sum)
		return;
	json_arr_open(j, "hist");
	for (unsigned b = 0; b < SAMPLES_HEAT_NR; b++) {
		if (!r->heat[b])
			continue;
		json_u64(j, NULL, b);
		json_u64(j, NULL, r->heat[b]);
	}
	json_arr_close(j);
}

static void put_tick(struct recorder *r, const struct sample *s)
{
	struct json j;

	json_init_line(&j, r->f);
	json_obj_open(&j, NULL);
	json_str(&j, "type", "tick");
	json_u64(&j, "job", s->job);
	json_u64(&j, "t0", s->t_start);
	json_u64(&j, "t1", s->t_end);
	json_str(&j, "rs", runstate_name((enum runstate)s->runstate));
	if (s->level)
		json_u64(&j, "level", s->level);
	if (s->in_ramp)
		json_bool(&j, "ramp", 1);
	json_dbl(&j, "depth", s->depth);
	json_dbl(&j, "qd", s->iodepth_set);
	for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
		const struct sample_dir *sd = &s->dir[d];

		if (!sd->ios && sd->iops == 0 && sd->bw == 0)
			continue;
		json_obj_open(&j, ddir_name(d));
		json_dbl(&j, "iops", sd->iops);
		json_dbl(&j, "bw", sd->bw);
		json_u64(&j, "ios", sd->ios);
		json_dbl(&j, "lat_mean", sd->lat_mean);
		json_dbl(&j, "p50", sd->lat_p50);
		json_dbl(&j, "p99", sd->lat_p99);
		json_dbl(&j, "p999", sd->lat_p999);
		json_dbl(&j, "max", sd->lat_max);
		put_hist(r, &j, s, d);
		json_obj_close(&j);
	}
	if (s->dev_util > 0 || s->dev_rps > 0 || s->dev_wps > 0) {
		json_obj_open(&j, "dev");
		json_dbl(&j, "util", s->dev_util);
		json_dbl(&j, "r_await", s->dev_r_await);
		json_dbl(&j, "w_await", s->dev_w_await);
		json_dbl(&j, "r_s", s->dev_rps);
		json_dbl(&j, "w_s", s->dev_wps);
		json_dbl(&j, "rkb_s", s->dev_rkbs);
		json_dbl(&j, "wkb_s", s->dev_wkbs);
		json_dbl(&j, "aqu", s->dev_aqu);
		json_obj_close(&j);
	}
	json_obj_close(&j);
	json_end(&j);
}

/* New samples, marks, runstates and errors, in that order. Caller holds lock. */
static void rec_pass(struct recorder *r)
{
	struct sample_store *st = backend_samples(r->be);
	struct sample buf[REC_BATCH];
	struct sample_mark marks[32];
	uint64_t t = now_us(r);
	size_t n;

	for (unsigned id = 0; id < r->njobs; id++) {
		struct rec_job *rj = &r->jobs[id];

		for (;;) {
			uint64_t from = rj->any ? rj->last_end + 1 : 0;
			size_t got = samples_range(st, id, from, UINT64_MAX, buf, REC_BATCH);
			size_t w = 0;

			if (got > REC_BATCH)
				got = REC_BATCH;
			for (size_t i = 0; i < got; i++) {
				if (rj->any && buf[i].t_end <= rj->last_end)
					continue;
				put_tick(r, &buf[i]);
				rj->last_end = buf[i].t_end;
				rj->any = true;
				w++;
			}
			if (got < REC_BATCH || !w)
				break;
		}
	}

	n = samples_marks(st, r->marks_any ? r->mark_t : 0, UINT64_MAX, marks, 32);
	{
		unsigned seen_at_t = 0;

		for (size_t i = 0; i < n; i++) {
			struct json j;

			if (r->marks_any && marks[i].t < r->mark_t)
				continue;
			if (r->marks_any && marks[i].t == r->mark_t && seen_at_t++ < r->mark_n)
				continue;
			json_init_line(&j, r->f);
			json_obj_open(&j, NULL);
			json_str(&j, "type", "mark");
			json_u64(&j, "t", marks[i].t);
			json_i64(&j, "job", marks[i].job);
			json_i64(&j, "njobs", marks[i].njobs ? marks[i].njobs : 1);
			json_str(&j, "text", marks[i].text);
			json_obj_close(&j);
			json_end(&j);
			if (!r->marks_any || marks[i].t != r->mark_t) {
				r->mark_t = marks[i].t;
				r->mark_n = 0;
				seen_at_t = 1;
			}
			r->mark_n++;
			r->marks_any = true;
		}
	}

	for (unsigned id = 0; id < r->njobs; id++) {
		const struct job *jb = backend_job(r->be, id);
		struct rec_job *rj = &r->jobs[id];
		int rs = (int)job_runstate(jb);
		int err = __atomic_load_n(&jb->error, __ATOMIC_ACQUIRE);
		struct json j;

		if (rs != rj->runstate) {
			json_init_line(&j, r->f);
			json_obj_open(&j, NULL);
			json_str(&j, "type", "runstate");
			json_u64(&j, "t", t);
			json_u64(&j, "job", id);
			json_str(&j, "from", runstate_name((enum runstate)rj->runstate));
			json_str(&j, "to", runstate_name((enum runstate)rs));
			json_obj_close(&j);
			json_end(&j);
			rj->runstate = rs;
		}
		if (err && !rj->error_written) {
			json_init_line(&j, r->f);
			json_obj_open(&j, NULL);
			json_str(&j, "type", "error");
			json_u64(&j, "t", t);
			json_u64(&j, "job", id);
			json_i64(&j, "errno", err);
			json_str(&j, "msg", jb->errmsg[0] ? jb->errmsg : strerror(err));
			json_obj_close(&j);
			json_end(&j);
			rj->error_written = true;
		}
	}
	rec_flush(r);
}

static void *rec_thread(void *arg)
{
	struct recorder *r = arg;
	/* a quarter tick: a line reaches the file at most that late */
	uint64_t period_ns = r->tick_ms * 1000000ull / 4;

	if (period_ns < 25000000ull)
		period_ns = 25000000ull;
	if (period_ns > 250000000ull)
		period_ns = 250000000ull;

	pthread_mutex_lock(&r->lock);
	while (!r->stop) {
		struct timespec ts;

		rec_pass(r);
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_nsec += (long)period_ns;
		ts.tv_sec += ts.tv_nsec / 1000000000L;
		ts.tv_nsec %= 1000000000L;
		pthread_cond_timedwait(&r->cond, &r->lock, &ts);
	}
	pthread_mutex_unlock(&r->lock);
	return NULL;
}

int record_start(struct recorder **out, int fd, struct backend *be,
		 const struct record_info *info, char *err, size_t errlen)
{
	struct recorder *r = calloc(1, sizeof(*r));
	pthread_condattr_t ca;
	int rc;

	*out = NULL;
	if (!r) {
		rc = -ENOMEM;
		goto err;
	}
	r->be = be;
	r->fd = fd;
	r->tick_ms = info->tick_ms ? info->tick_ms : 1000;
	r->global = info->jobs ? &info->jobs->global : NULL;
	r->njobs = backend_njobs(be);
	r->jobs = calloc(r->njobs ? r->njobs : 1, sizeof(*r->jobs));
	r->f = fdopen(fd, "w");
	if (!r->jobs || !r->f) {
		rc = -errno;
		goto err;
	}
	/* a whole line reaches write(2) at once far more often than not */
	setvbuf(r->f, NULL, _IOFBF, 1 << 16);
	for (unsigned i = 0; i < r->njobs; i++)
		r->jobs[i].runstate = RS_NOT_CREATED;
	pthread_mutex_init(&r->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&r->cond, &ca);
	pthread_condattr_destroy(&ca);

	write_header(r, info);
	rec_flush(r);
	if (r->werr) {
		rc = r->werr;
		snprintf(err, errlen, "recording: writing the header: %s", strerror(-rc));
		goto err_sync;
	}
	rc = -pthread_create(&r->thread, NULL, rec_thread, r);
	if (rc) {
		snprintf(err, errlen, "recording: starting its thread: %s", strerror(-rc));
		goto err_sync;
	}
	r->running = true;
	*out = r;
	return 0;

err_sync:
	pthread_cond_destroy(&r->cond);
	pthread_mutex_destroy(&r->lock);
err:
	if (rc == -ENOMEM || (r && !r->f))
		snprintf(err, errlen, "recording: %s", strerror(-rc));
	if (r && r->f) {
		if (fd > 2)
			fclose(r->f);
	} else if (fd > 2) {
		close(fd);
	}
	if (r)
		free(r->jobs);
	free(r);
	return rc;
}

int record_stop(struct recorder *r, const char *fio_json, const char *stopped_by, char *err,
		size_t errlen)
{
	struct json j;
	int rc;

	if (!r)
		return 0;
	if (r->running) {
		pthread_mutex_lock(&r->lock);
		r->stop = true;
		pthread_cond_signal(&r->cond);
		pthread_mutex_unlock(&r->lock);
		pthread_join(r->thread, NULL);
	}
	rec_pass(r);

	json_init_line(&j, r->f);
	json_obj_open(&j, NULL);
	json_str(&j, "type", "trailer");
	json_u64(&j, "t", now_us(r));
	put_wall(&j, "end", 0);
	put_str_or_null(&j, "stopped_by", stopped_by);
	json_u64(&j, "samples_dropped", samples_dropped(backend_samples(r->be)));
	if (fio_json) {
		char *c = strdup(fio_json);

		if (c) {
			record_compact_json(c);
			json_raw(&j, "fio", *c ? c : "null");
			free(c);
		} else {
			json_raw(&j, "fio", "null");
		}
	} else {
		json_raw(&j, "fio", "null");
	}
	if (fio_json) {
		/* fio's normal text too, so a replay shows the report as it was */
		char *txt = NULL;
		size_t tlen = 0;
		FILE *mem = open_memstream(&txt, &tlen);

		if (mem) {
			report_write_global(mem, r->be, REPORT_NORMAL, r->global);
			fclose(mem);
			json_str(&j, "normal", txt);
			free(txt);
		}
	}
	json_obj_close(&j);
	json_end(&j);
	rec_flush(r);

	if (r->fd > 2) {
		if (fclose(r->f) && !r->werr)
			r->werr = errno ? -errno : -EIO;
	} else {
		fflush(r->f);
	}
	rc = r->werr;
	if (rc)
		snprintf(err, errlen, "recording: %s%s", strerror(-rc),
			 rc == -ENOSPC ? " (the file holds the lines written before)" : "");
	pthread_cond_destroy(&r->cond);
	pthread_mutex_destroy(&r->lock);
	free(r->jobs);
	free(r);
	return rc;
}
