/* fio-format log files; see fiologs.h. */
#include "fiologs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/atomic.h"
#include "../lib/clock.h"
#include "../lib/hist.h"
#include "../lib/outfile.h"
#include "cmdprio.h"
#include "options.h"
#include "stats.h"

#define BUF_CAP (64u * 1024)
#define LINE_MAX_LEN 128 /* longest bw/iops/lat line */

enum fl_kind { FL_BW, FL_IOPS, FL_LAT, FL_CLAT, FL_SLAT, FL_HIST, FL_NR };

static const char *const fl_suffix[FL_NR] = {
	"bw", "iops", "lat", "clat", "slat", "clat_hist",
};

struct fl_file {
	int fd; /* -1: this log is not written */
	int err; /* first write error, -errno */
	char *path;
	size_t len;
	char *buf; /* BUF_CAP */
	bool log_offset; /* log_offset=1: the offset column, then the priority */
	bool log_prio;   /* log_prio=1: the priority as fio prints it, 0x%04x */
};

/* Cumulative counters at the last closed window, per direction. */
struct fl_base {
	uint64_t ios, bytes;
	struct lat_stat lat, clat, slat;
};

struct fiolog_job {
	struct fl_file f[FL_NR];
	uint64_t avg_ns, hist_ns; /* window lengths, 0: none */
	bool log_max, per_io, log_offset, log_prio;
	uint32_t bs[DDIR_RWDIR_CNT];
	const uint64_t *epoch_src;
	uint64_t epoch_fixed;

	/* sampler side */
	uint64_t epoch;         /* epoch the windows below belong to */
	uint64_t next_avg, next_hist;
	uint64_t last_avg_ms;   /* elapsed ms at the previous averaged window */
	struct fl_base base[DDIR_RWDIR_CNT];
	/* for log_max_value: lat and clat histograms at the last window */
	struct hist *max_prev;  /* [2][DDIR_RWDIR_CNT] or NULL */
	struct hist *hist_prev; /* [DDIR_RWDIR_CNT] or NULL, the histogram log */
	struct hist *tmp;       /* one scratch diff */
	uint64_t plat[FIO_PLAT_NR];
};

/* ---- fio bins ------------------------------------------------------------ */

unsigned fiolog_plat_idx(uint64_t v)
{
	unsigned msb, err_bits, base, off, idx;

	if (v < 2 * FIO_PLAT_VAL)
		return (unsigned)v;
	msb = 63u - (unsigned)__builtin_clzll(v);
	err_bits = msb - FIO_PLAT_BITS;
	base = (err_bits + 1) << FIO_PLAT_BITS;
	off = (unsigned)(v >> err_bits) & (FIO_PLAT_VAL - 1);
	idx = base + off;
	return idx < FIO_PLAT_NR ? idx : FIO_PLAT_NR - 1;
}

static uint16_t hist_map[HIST_NR];
static pthread_once_t hist_map_once = PTHREAD_ONCE_INIT;

static void hist_map_init(void)
{
	for (unsigned i = 0; i < HIST_NR; i++)
		hist_map[i] = (uint16_t)fiolog_plat_idx(hist_bucket_low(i));
}

unsigned fiolog_hist_to_plat(unsigned hist_idx)
{
	pthread_once(&hist_map_once, hist_map_init);
	return hist_idx < HIST_NR ? hist_map[hist_idx] : FIO_PLAT_NR - 1;
}

/* ---- buffered files ------------------------------------------------------ */

static void fl_flush(struct fl_file *f)
{
	size_t off = 0;

	while (off < f->len) {
		ssize_t n = write(f->fd, f->buf + off, f->len - off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (!f->err)
				f->err = -errno;
			break;
		}
		off += (size_t)n;
	}
	f->len = 0;
}

static void fl_room(struct fl_file *f, size_t need)
{
	if (f->len + need > BUF_CAP)
		fl_flush(f);
}

static char *put_u64(char *p, uint64_t v)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

static char *put_sep(char *p)
{
	*p++ = ',';
	*p++ = ' ';
	return p;
}

/* "msec, value, ddir, bs, prio\n", or with log_offset=1
 * "msec, value, ddir, bs, offset, prio\n"; prio from the I/O's priority
 * @ioprio (0 for averaged lines): log_prio=1 "0x4001", else 1 for the
 * realtime class, 0 for the rest, as fio 3.33 */
static void fl_line(struct fl_file *f, uint64_t ms, uint64_t val, int ddir, uint64_t bs,
		    uint64_t off, uint32_t ioprio)
{
	static const char hex[] = "0123456789abcdef";

	char *p;

	fl_room(f, LINE_MAX_LEN);
	p = f->buf + f->len;
	p = put_u64(p, ms);
	p = put_sep(p);
	p = put_u64(p, val);
	p = put_sep(p);
	*p++ = (char)('0' + ddir);
	p = put_sep(p);
	p = put_u64(p, bs);
	p = put_sep(p);
	if (f->log_offset) {
		p = put_u64(p, off);
		p = put_sep(p);
	}
	if (f->log_prio) {
		*p++ = '0';
		*p++ = 'x';
		for (int sh = 12; sh >= 0; sh -= 4)
			*p++ = hex[(ioprio >> sh) & 0xf];
	} else {
		*p++ = ioprio_class_of(ioprio) == IOPRIO_CLASS_RT ? '1' : '0';
	}
	*p++ = '\n';
	f->len = (size_t)(p - f->buf);
}

static bool fl_on(const struct fl_file *f)
{
	return f->fd >= 0;
}

/* ---- open / close -------------------------------------------------------- */

static void free_log(struct fiolog_job *l)
{
	for (int k = 0; k < FL_NR; k++) {
		if (l->f[k].fd >= 0)
			close(l->f[k].fd);
		free(l->f[k].path);
		free(l->f[k].buf);
	}
	free(l->max_prev);
	free(l->hist_prev);
	free(l->tmp);
	free(l);
}

/* fio's name of log @k: malloc'd, NULL without memory. */
static char *log_path(enum fl_kind k, const char *prefix, unsigned index, bool per_job)
{
	char *p;
	int r;

	if (per_job)
		r = asprintf(&p, "%s_%s.%u.log", prefix, fl_suffix[k], index);
	else
		r = asprintf(&p, "%s_%s.log", prefix, fl_suffix[k]);
	return r < 0 ? NULL : p;
}

/* The names are derived from the option's prefix, so lib/outfile does not
 * follow a symlink at them in a world-writable directory. */
static int open_one(struct fiolog_job *l, enum fl_kind k, const char *prefix, unsigned index,
		    bool per_job, char *err, size_t errlen)
{
	struct fl_file *f = &l->f[k];
	int r;

	f->path = log_path(k, prefix, index, per_job);
	if (!f->path) {
		snprintf(err, errlen, "%s log: out of memory", fl_suffix[k]);
		return -ENOMEM;
	}
	f->buf = malloc(BUF_CAP);
	if (!f->buf) {
		snprintf(err, errlen, "%s: out of memory", f->path);
		return -ENOMEM;
	}
	f->log_offset = l->log_offset;
	f->log_prio = l->log_prio;
	r = outfile_open(f->path, per_job ? 0 : OUTF_APPEND, 0644, NULL, err, errlen);
	if (r < 0)
		return r;
	f->fd = r;
	return 0;
}

/* The option that asks for log @k. */
static const char *log_option(enum fl_kind k)
{
	switch (k) {
	case FL_BW:
		return "write_bw_log";
	case FL_IOPS:
		return "write_iops_log";
	case FL_HIST:
		return "write_hist_log";
	default:
		return "write_lat_log";
	}
}

static const char *log_prefix(const struct job_opts *o, enum fl_kind k)
{
	switch (k) {
	case FL_BW:
		return o->write_bw_log;
	case FL_IOPS:
		return o->write_iops_log;
	case FL_HIST:
		return o->write_hist_log;
	default:
		return o->write_lat_log;
	}
}

int fiolog_check(const struct job_opts *o, unsigned index, char *err, size_t errlen)
{
	for (int k = 0; k < FL_NR; k++) {
		const char *prefix = log_prefix(o, (enum fl_kind)k);
		char *path, what[PATH_MAX + 64];
		int r;

		if (!prefix || !*prefix)
			continue;
		path = log_path((enum fl_kind)k, prefix, index, o->per_job_logs);
		if (!path) {
			snprintf(err, errlen, "%s: out of memory", log_option((enum fl_kind)k));
			return -ENOMEM;
		}
		snprintf(what, sizeof(what), "%s: %s", log_option((enum fl_kind)k), path);
		r = outfile_check(path, 0, what, err, errlen);
		free(path);
		if (r)
			return r;
	}
	return 0;
}

static bool set(const char *s)
{
	return s && *s;
}

int fiolog_open(struct fiolog_job **out, const struct job_opts *o, unsigned index,
		char *err, size_t errlen)
{
	struct fiolog_job *l;
	int ret = 0;

	*out = NULL;
	if (!set(o->write_bw_log) && !set(o->write_iops_log) && !set(o->write_lat_log) &&
	    !set(o->write_hist_log))
		return 0;
	l = calloc(1, sizeof(*l));
	if (!l) {
		snprintf(err, errlen, "logs: out of memory");
		return -ENOMEM;
	}
	for (int k = 0; k < FL_NR; k++)
		l->f[k].fd = -1;
	l->avg_ns = o->log_avg_msec * NS_PER_MS;
	l->hist_ns = o->log_hist_msec * NS_PER_MS;
	l->log_max = o->log_max_value;
	l->log_offset = o->log_offset;
	l->log_prio = o->log_prio;
	for (int d = 0; d < DDIR_RWDIR_CNT; d++)
		l->bs[d] = o->bs[d];

	if (set(o->write_bw_log))
		ret = open_one(l, FL_BW, o->write_bw_log, index, o->per_job_logs, err, errlen);
	if (!ret && set(o->write_iops_log))
		ret = open_one(l, FL_IOPS, o->write_iops_log, index, o->per_job_logs, err, errlen);
	if (!ret && set(o->write_lat_log)) {
		for (int k = FL_LAT; !ret && k <= FL_SLAT; k++)
			ret = open_one(l, (enum fl_kind)k, o->write_lat_log, index, o->per_job_logs,
				       err, errlen);
	}
	if (!ret && set(o->write_hist_log))
		ret = open_one(l, FL_HIST, o->write_hist_log, index, o->per_job_logs, err, errlen);
	if (ret)
		goto err;

	l->per_io = !l->avg_ns && (fl_on(&l->f[FL_BW]) || fl_on(&l->f[FL_IOPS]) ||
				   fl_on(&l->f[FL_LAT]));
	if (l->avg_ns && l->log_max && fl_on(&l->f[FL_LAT])) {
		l->max_prev = calloc(2 * DDIR_RWDIR_CNT, sizeof(struct hist));
		if (!l->max_prev)
			goto nomem;
	}
	if (l->hist_ns && fl_on(&l->f[FL_HIST])) {
		l->hist_prev = calloc(DDIR_RWDIR_CNT, sizeof(struct hist));
		if (!l->hist_prev)
			goto nomem;
	}
	if (l->max_prev || l->hist_prev) {
		l->tmp = calloc(1, sizeof(struct hist));
		if (!l->tmp)
			goto nomem;
	}
	pthread_once(&hist_map_once, hist_map_init);
	*out = l;
	return 0;
nomem:
	ret = -ENOMEM;
	snprintf(err, errlen, "logs: out of memory");
err:
	free_log(l);
	return ret;
}

void fiolog_set_epoch_source(struct fiolog_job *l, const uint64_t *start_ns)
{
	if (l)
		l->epoch_src = start_ns;
}

void fiolog_set_epoch(struct fiolog_job *l, uint64_t start_ns)
{
	if (l) {
		l->epoch_src = NULL;
		l->epoch_fixed = start_ns;
	}
}

static uint64_t epoch_now(const struct fiolog_job *l)
{
	return l->epoch_src ? ld_relaxed(l->epoch_src) : l->epoch_fixed;
}

bool fiolog_per_io(const struct fiolog_job *l)
{
	return l && l->per_io;
}

/* ---- per I/O (worker) ---------------------------------------------------- */

void fiolog_io(struct fiolog_job *l, int ddir, uint64_t now_ns, uint64_t lat_ns,
	       uint64_t clat_ns, uint64_t slat_ns, uint32_t bs, uint64_t offset, uint32_t ioprio)
{
	uint64_t epoch, ms;

	if (!l || !l->per_io || ddir < 0 || ddir >= DDIR_RWDIR_CNT)
		return;
	epoch = epoch_now(l);
	if (!epoch)
		return; /* ramp, or not started */
	ms = now_ns > epoch ? (now_ns - epoch) / NS_PER_MS : 0;
	if (fl_on(&l->f[FL_BW]))
		fl_line(&l->f[FL_BW], ms, clat_ns ? (uint64_t)bs * 1000000ULL / clat_ns : 0, ddir,
			bs, offset, ioprio);
	if (fl_on(&l->f[FL_IOPS]))
		fl_line(&l->f[FL_IOPS], ms, 1, ddir, bs, offset, ioprio);
	if (fl_on(&l->f[FL_LAT])) {
		fl_line(&l->f[FL_LAT], ms, lat_ns, ddir, bs, offset, ioprio);
		fl_line(&l->f[FL_CLAT], ms, clat_ns, ddir, bs, offset, ioprio);
		if (slat_ns != FIOLOG_NO_SLAT)
			fl_line(&l->f[FL_SLAT], ms, slat_ns, ddir, bs, offset, ioprio);
	}
}

void fiolog_clat(struct fiolog_job *l, int ddir, uint64_t now_ns, uint64_t clat_ns)
{
	uint64_t epoch;

	if (!l || !l->per_io || ddir < 0 || ddir >= DDIR_RWDIR_CNT || !fl_on(&l->f[FL_CLAT]))
		return;
	epoch = epoch_now(l);
	if (!epoch)
		return;
	fl_line(&l->f[FL_CLAT], now_ns > epoch ? (now_ns - epoch) / NS_PER_MS : 0, clat_ns, ddir, 0,
		0, 0);
}

/* ---- windows (sampler) --------------------------------------------------- */

static bool avg_windows(const struct fiolog_job *l)
{
	return l->avg_ns && !l->per_io;
}

bool fiolog_windowed(const struct fiolog_job *l)
{
	return l && (avg_windows(l) || l->hist_prev);
}

uint64_t fiolog_next_ns(const struct fiolog_job *l)
{
	uint64_t epoch, next = UINT64_MAX, a, h;

	if (!l || !(epoch = epoch_now(l)))
		return UINT64_MAX;
	/* windows of a new epoch start at the first tick after it */
	a = epoch == l->epoch ? l->next_avg : epoch + l->avg_ns;
	h = epoch == l->epoch ? l->next_hist : epoch + l->hist_ns;
	if (avg_windows(l))
		next = a;
	if (l->hist_prev && h < next)
		next = h;
	return next;
}

/* The window's latency maximum in direction @d from histogram @cur
 * against @prev (then @prev = @cur); 0 when empty. */
static uint64_t window_max(struct fiolog_job *l, struct hist *prev, const struct hist *cur)
{
	uint64_t v = 0;

	hist_diff(l->tmp, cur, prev);
	for (unsigned i = HIST_NR; i-- > 0;)
		if (l->tmp->bucket[i]) {
			v = hist_bucket_value(i);
			break;
		}
	memcpy(prev, cur, sizeof(*prev));
	return v;
}

static void restart_windows(struct fiolog_job *l, uint64_t epoch)
{
	l->epoch = epoch;
	l->next_avg = epoch + l->avg_ns;
	l->next_hist = epoch + l->hist_ns;
	l->last_avg_ms = 0;
	memset(l->base, 0, sizeof(l->base));
	if (l->max_prev)
		memset(l->max_prev, 0, 2 * DDIR_RWDIR_CNT * sizeof(struct hist));
	if (l->hist_prev)
		memset(l->hist_prev, 0, DDIR_RWDIR_CNT * sizeof(struct hist));
}

static uint64_t next_boundary(uint64_t epoch, uint64_t len, uint64_t now)
{
	return epoch + ((now - epoch) / len + 1) * len;
}

/* @cur - @base, or @cur when the counter went back (stats were reset). */
static uint64_t since(uint64_t cur, uint64_t base)
{
	return cur >= base ? cur - base : cur;
}

/* Lat, clat, slat lines of the window ending at @ms (averaged mode). */
static void lat_window(struct fiolog_job *l, uint64_t ms, const struct job_stats *st)
{
	for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
		const struct dir_stats *ds = &st->dir[d];
		const struct lat_stat *cur[3] = { &ds->lat, &ds->clat, &ds->slat };
		struct lat_stat *base[3] = { &l->base[d].lat, &l->base[d].clat, &l->base[d].slat };
		const struct hist *h[2] = { &ds->lat_hist, &ds->clat_hist };

		for (int k = 0; k < 3; k++) {
			bool reset = cur[k]->n < base[k]->n;
			uint64_t n = since(cur[k]->n, base[k]->n);
			uint64_t sum = reset ? cur[k]->sum : since(cur[k]->sum, base[k]->sum), v;

			if (!n)
				continue;
			/* fio: the window's mean, rounded */
			v = (uint64_t)((double)sum / (double)n + 0.5);
			if (l->log_max) {
				if (k < 2 && l->max_prev)
					v = window_max(l, &l->max_prev[k * DDIR_RWDIR_CNT + d], h[k]);
				else if (reset || cur[k]->max > base[k]->max)
					v = cur[k]->max;
			}
			fl_line(&l->f[FL_LAT + k], ms, v, d, 0, 0, 0);
			*base[k] = *cur[k];
		}
	}
}

static void avg_window(struct fiolog_job *l, uint64_t now, const struct job_stats *st)
{
	uint64_t ms = (now - l->epoch) / NS_PER_MS, spent = ms - l->last_avg_ms;

	for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
		const struct dir_stats *ds = &st->dir[d];
		struct fl_base *b = &l->base[d];
		uint64_t dbytes = since(ds->bytes, b->bytes), dios = since(ds->ios, b->ios);

		if (fl_on(&l->f[FL_BW]) && dbytes)
			fl_line(&l->f[FL_BW], ms, spent ? dbytes * 1000 / spent / 1024 : 0, d, 0, 0, 0);
		if (fl_on(&l->f[FL_IOPS]) && dios)
			fl_line(&l->f[FL_IOPS], ms, spent ? dios * 1000 / spent : 0, d, 0, 0, 0);
		b->bytes = ds->bytes;
		b->ios = ds->ios;
	}
	if (fl_on(&l->f[FL_LAT]))
		lat_window(l, ms, st);
	l->last_avg_ms = ms;
}

static void hist_window(struct fiolog_job *l, uint64_t now, const struct job_stats *st)
{
	uint64_t ms = (now - l->epoch) / NS_PER_MS;
	struct fl_file *f = &l->f[FL_HIST];

	for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
		const struct hist *cur = &st->dir[d].clat_hist;
		char *p;

		hist_diff(l->tmp, cur, &l->hist_prev[d]);
		memcpy(&l->hist_prev[d], cur, sizeof(*cur));
		if (!l->tmp->count)
			continue;
		memset(l->plat, 0, sizeof(l->plat));
		for (unsigned i = 0; i < HIST_NR; i++)
			if (l->tmp->bucket[i])
				l->plat[hist_map[i]] += l->tmp->bucket[i];
		fl_room(f, LINE_MAX_LEN);
		p = f->buf + f->len;
		p = put_u64(p, ms);
		p = put_sep(p);
		*p++ = (char)('0' + d);
		p = put_sep(p);
		p = put_u64(p, l->bs[d]);
		f->len = (size_t)(p - f->buf);
		for (unsigned i = 0; i < FIO_PLAT_NR; i++) {
			fl_room(f, 32);
			p = f->buf + f->len;
			p = put_sep(p);
			p = put_u64(p, l->plat[i]);
			f->len = (size_t)(p - f->buf);
		}
		f->buf[f->len++] = '\n';
	}
}

void fiolog_tick(struct fiolog_job *l, uint64_t now, const struct job_stats *st)
{
	uint64_t epoch;

	if (!l)
		return;
	epoch = epoch_now(l);
	if (!epoch)
		return;
	if (epoch != l->epoch)
		restart_windows(l, epoch);
	if (now < epoch)
		return;
	if (avg_windows(l) && now >= l->next_avg) {
		avg_window(l, now, st);
		l->next_avg = next_boundary(epoch, l->avg_ns, now);
	}
	if (l->hist_prev && now >= l->next_hist) {
		hist_window(l, now, st);
		l->next_hist = next_boundary(epoch, l->hist_ns, now);
	}
}

int fiolog_close(struct fiolog_job *l, uint64_t end_ns, const struct job_stats *st)
{
	return fiolog_close_err(l, end_ns, st, NULL, 0);
}

int fiolog_close_err(struct fiolog_job *l, uint64_t end_ns, const struct job_stats *st,
		     char *err, size_t errlen)
{
	int ret = 0;

	if (!l)
		return 0;
	if (st && avg_windows(l) && fl_on(&l->f[FL_LAT])) {
		uint64_t epoch = epoch_now(l);

		if (epoch && epoch == l->epoch && end_ns > epoch)
			lat_window(l, (end_ns - epoch) / NS_PER_MS, st);
	}
	for (int k = 0; k < FL_NR; k++) {
		struct fl_file *f = &l->f[k];

		if (f->fd < 0)
			continue;
		fl_flush(f);
		if (close(f->fd) < 0 && !f->err)
			f->err = -errno;
		f->fd = -1;
		if (f->err && !ret) {
			ret = f->err;
			if (err && errlen)
				snprintf(err, errlen, "%s: %s: %s", log_option((enum fl_kind)k),
					 f->path, strerror(-ret));
		}
	}
	free_log(l);
	return ret;
}
