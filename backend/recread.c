/* Recordings read back fast; see recread.h. */
#include "recread.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "job.h"
#include "record.h"

/* The file is read in chunks (not mapped: a file cut while mapped would
 * kill the reader with SIGBUS); a line longer than a chunk grows the
 * buffer, up to RR_MAX_LINE. */
#define RR_CHUNK (1u << 20)
#define RR_MAX_LINE (64u << 20)

struct recread {
	char path[512];
	int fd;
	char *buf;        /* buf[pos..len) not handed out yet */
	size_t cap, len, pos;
	bool eof;
	size_t size;      /* the file's size at open */
	size_t off;       /* file offset of buf[pos] */
	unsigned lineno;  /* whole lines handed out, the header included */
	const char *last; /* the line handed out last (in buf) */
	size_t last_len;
	bool done;
	struct jv header;
	char note[1024];
};

/* ---------------------------------------------------------- tick scanner */

struct sc {
	const char *p, *end;
	int depth;
};

static void ws(struct sc *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\r' || *c->p == '\n'))
		c->p++;
}

static bool lit(struct sc *c, const char *w, size_t n)
{
	if ((size_t)(c->end - c->p) < n || memcmp(c->p, w, n))
		return false;
	c->p += n;
	return true;
}

/* A string; @s/@n: its raw bytes between the quotes (escapes left as they
 * are). Control characters are refused, as JSON does. */
static bool str(struct sc *c, const char **s, size_t *n)
{
	const char *q;

	if (c->p >= c->end || *c->p != '"')
		return false;
	q = ++c->p;
	while (c->p < c->end && *c->p != '"') {
		if ((unsigned char)*c->p < 0x20)
			return false;
		if (*c->p == '\\') {
			if (++c->p >= c->end || !strchr("\"\\/bfnrtu", *c->p))
				return false;
		}
		c->p++;
	}
	if (c->p >= c->end)
		return false;
	*s = q;
	*n = (size_t)(c->p - q);
	c->p++;
	return true;
}

static const double pow10_tab[] = { 1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
				    1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
				    1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22 };

/* A JSON number (RFC 8259 grammar). @u: the value when it is a whole
 * number that fits (else UINT64_MAX). */
static bool num(struct sc *c, double *out, uint64_t *u)
{
	const char *p = c->p, *e = c->end;
	uint64_t m = 0;
	int digits = 0, exp10 = 0, eexp = 0;
	bool neg = false, frac = false;
	double v;

	if (p < e && *p == '-') {
		neg = true;
		p++;
	}
	if (p >= e || *p < '0' || *p > '9')
		return false;
	if (*p == '0') {
		p++;
	} else {
		for (; p < e && *p >= '0' && *p <= '9'; p++) {
			if (digits < 19) {
				m = m * 10 + (uint64_t)(*p - '0');
				digits++;
			} else {
				exp10++;
			}
		}
	}
	if (p < e && *p == '.') {
		p++;
		frac = true;
		if (p >= e || *p < '0' || *p > '9')
			return false;
		for (; p < e && *p >= '0' && *p <= '9'; p++) {
			if (digits < 19) {
				m = m * 10 + (uint64_t)(*p - '0');
				if (m)
					digits++;
				exp10--;
			}
		}
	}
	if (p < e && (*p == 'e' || *p == 'E')) {
		bool eneg = false;

		p++;
		frac = true;
		if (p < e && (*p == '+' || *p == '-'))
			eneg = *p++ == '-';
		if (p >= e || *p < '0' || *p > '9')
			return false;
		for (; p < e && *p >= '0' && *p <= '9'; p++)
			if (eexp < 10000)
				eexp = eexp * 10 + (*p - '0');
		exp10 += eneg ? -eexp : eexp;
	}
	c->p = p;
	v = (double)m;
	if (exp10 > 0)
		v = exp10 <= 22 ? v * pow10_tab[exp10] : v * pow(10, exp10);
	else if (exp10 < 0)
		v = -exp10 <= 22 ? v / pow10_tab[-exp10] : v * pow(10, exp10);
	*out = neg ? -v : v;
	*u = !neg && !frac && exp10 == 0 ? m : UINT64_MAX;
	return true;
}

static bool skip_value(struct sc *c);

static bool skip_container(struct sc *c, char close)
{
	if (++c->depth > JSONR_MAX_DEPTH)
		return false;
	c->p++;
	ws(c);
	if (c->p < c->end && *c->p == close) {
		c->p++;
		c->depth--;
		return true;
	}
	for (;;) {
		const char *s;
		size_t n;

		ws(c);
		if (close == '}') {
			if (!str(c, &s, &n))
				return false;
			ws(c);
			if (c->p >= c->end || *c->p++ != ':')
				return false;
			ws(c);
		}
		if (!skip_value(c))
			return false;
		ws(c);
		if (c->p < c->end && *c->p == ',') {
			c->p++;
			continue;
		}
		if (c->p < c->end && *c->p == close) {
			c->p++;
			c->depth--;
			return true;
		}
		return false;
	}
}

static bool skip_value(struct sc *c)
{
	const char *s;
	size_t n;
	double d;
	uint64_t u;

	if (c->p >= c->end)
		return false;
	switch (*c->p) {
	case '{':
		return skip_container(c, '}');
	case '[':
		return skip_container(c, ']');
	case '"':
		return str(c, &s, &n);
	case 't':
		return lit(c, "true", 4);
	case 'f':
		return lit(c, "false", 5);
	case 'n':
		return lit(c, "null", 4);
	default:
		return num(c, &d, &u);
	}
}

static bool key_is(const char *k, size_t n, const char *want)
{
	return strlen(want) == n && !memcmp(k, want, n);
}

/* A number value; anything else is skipped (a reader ignores what it does
 * not know) and leaves @out as it was. */
static bool num_or_skip(struct sc *c, double *out)
{
	uint64_t u;

	if (c->p < c->end && (*c->p == '-' || (*c->p >= '0' && *c->p <= '9')))
		return num(c, out, &u);
	return skip_value(c);
}

static bool float_field(struct sc *c, float *out)
{
	double v = *out;

	if (!num_or_skip(c, &v))
		return false;
	*out = (float)v;
	return true;
}

static bool u64_field(struct sc *c, uint64_t *out)
{
	double v = (double)*out;
	uint64_t u = UINT64_MAX;

	if (c->p < c->end && (*c->p == '-' || (*c->p >= '0' && *c->p <= '9'))) {
		if (!num(c, &v, &u))
			return false;
		*out = u != UINT64_MAX ? u : v > 0 && v < 1.8e19 ? (uint64_t)v : 0;
		return true;
	}
	return skip_value(c);
}

/* "hist": [b, c, b, c, ...]; more pairs than buckets are left out. */
static bool hist_field(struct sc *c, uint64_t *pairs, size_t *npairs)
{
	size_t k = 0;

	*npairs = 0;
	if (c->p >= c->end || *c->p != '[')
		return skip_value(c);
	c->p++;
	ws(c);
	if (c->p < c->end && *c->p == ']') {
		c->p++;
		return true;
	}
	for (;;) {
		double d;
		uint64_t u;

		ws(c);
		if (!num(c, &d, &u))
			return false; /* not numbers: the caller skips it */
		if (k < 2 * SAMPLES_HEAT_NR)
			pairs[k++] = u;
		ws(c);
		if (c->p < c->end && *c->p == ',') {
			c->p++;
			continue;
		}
		if (c->p < c->end && *c->p == ']') {
			c->p++;
			break;
		}
		return false;
	}
	*npairs = k / 2;
	return true;
}

typedef bool (*member_fn)(struct sc *c, const char *k, size_t n, void *arg);

/* An object whose members @fn reads (returns false on a syntax error). */
static bool object(struct sc *c, member_fn fn, void *arg)
{
	if (c->p >= c->end || *c->p != '{')
		return skip_value(c);
	if (++c->depth > JSONR_MAX_DEPTH)
		return false;
	c->p++;
	ws(c);
	if (c->p < c->end && *c->p == '}') {
		c->p++;
		c->depth--;
		return true;
	}
	for (;;) {
		const char *k;
		size_t n;

		ws(c);
		if (!str(c, &k, &n))
			return false;
		ws(c);
		if (c->p >= c->end || *c->p++ != ':')
			return false;
		ws(c);
		if (!fn(c, k, n, arg))
			return false;
		ws(c);
		if (c->p < c->end && *c->p == ',') {
			c->p++;
			continue;
		}
		if (c->p < c->end && *c->p == '}') {
			c->p++;
			c->depth--;
			return true;
		}
		return false;
	}
}

struct dir_arg {
	struct sample_dir *sd;
	uint64_t *pairs;
	size_t *npairs;
	bool hist_ok;
};

static bool dir_member(struct sc *c, const char *k, size_t n, void *arg)
{
	struct dir_arg *a = arg;
	struct sample_dir *sd = a->sd;

	if (key_is(k, n, "iops"))
		return float_field(c, &sd->iops);
	if (key_is(k, n, "bw"))
		return float_field(c, &sd->bw);
	if (key_is(k, n, "ios"))
		return u64_field(c, &sd->ios);
	if (key_is(k, n, "lat_mean"))
		return float_field(c, &sd->lat_mean);
	if (key_is(k, n, "p50"))
		return float_field(c, &sd->lat_p50);
	if (key_is(k, n, "p99"))
		return float_field(c, &sd->lat_p99);
	if (key_is(k, n, "p999"))
		return float_field(c, &sd->lat_p999);
	if (key_is(k, n, "max"))
		return float_field(c, &sd->lat_max);
	if (key_is(k, n, "hist")) {
		const char *at = c->p;

		if (hist_field(c, a->pairs, a->npairs))
			return true;
		/* a hist that is not numbers: valid JSON still skips */
		c->p = at;
		*a->npairs = 0;
		return skip_value(c);
	}
	return skip_value(c);
}

static bool dev_member(struct sc *c, const char *k, size_t n, void *arg)
{
	struct sample *s = arg;
	static const struct {
		const char *k;
		size_t off;
	} f[] = {
		{ "util", offsetof(struct sample, dev_util) },
		{ "r_await", offsetof(struct sample, dev_r_await) },
		{ "w_await", offsetof(struct sample, dev_w_await) },
		{ "r_s", offsetof(struct sample, dev_rps) },
		{ "w_s", offsetof(struct sample, dev_wps) },
		{ "rkb_s", offsetof(struct sample, dev_rkbs) },
		{ "wkb_s", offsetof(struct sample, dev_wkbs) },
		{ "aqu", offsetof(struct sample, dev_aqu) },
	};

	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (key_is(k, n, f[i].k))
			return float_field(c, (float *)((char *)s + f[i].off));
	return skip_value(c);
}

struct tick_arg {
	struct rr_tick *t;
	int type;      /* -1 unseen, 1 tick, 0 another type */
	bool have_job;
};


static bool tick_member(struct sc *c, const char *k, size_t n, void *arg)
{
	struct tick_arg *a = arg;
	struct sample *s = &a->t->s;
	const char *v;
	size_t vn;
	uint64_t u = 0;

	if (key_is(k, n, "type")) {
		if (c->p < c->end && *c->p == '"') {
			if (!str(c, &v, &vn))
				return false;
			a->type = key_is(v, vn, "tick");
			return true;
		}
		a->type = 0;
		return skip_value(c);
	}
	if (key_is(k, n, "job")) {
		double d;

		if (c->p >= c->end || (*c->p != '-' && (*c->p < '0' || *c->p > '9')))
			return skip_value(c);
		if (!num(c, &d, &u))
			return false;
		if (u < UINT32_MAX) { /* a whole number, not negative */
			s->job = (uint32_t)u;
			a->have_job = true;
		}
		return true;
	}
	if (key_is(k, n, "t0"))
		return u64_field(c, &s->t_start);
	if (key_is(k, n, "t1"))
		return u64_field(c, &s->t_end);
	if (key_is(k, n, "level")) {
		if (!u64_field(c, &u))
			return false;
		s->level = u < 255 ? (uint8_t)u : 255;
		return true;
	}
	if (key_is(k, n, "rs")) {
		if (c->p < c->end && *c->p == '"') {
			if (!str(c, &v, &vn))
				return false;
			for (int r = 0; r < RS_NR; r++)
				if (key_is(v, vn, runstate_name((enum runstate)r)))
					s->runstate = (uint8_t)r;
			return true;
		}
		return skip_value(c);
	}
	if (key_is(k, n, "ramp")) {
		if (lit(c, "true", 4)) {
			s->in_ramp = 1;
			return true;
		}
		return skip_value(c);
	}
	if (key_is(k, n, "depth"))
		return float_field(c, &s->depth);
	if (key_is(k, n, "qd"))
		return float_field(c, &s->iodepth_set);
	for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
		if (key_is(k, n, ddir_name(d))) {
			struct dir_arg da = { &s->dir[d], a->t->hist[d], &a->t->nhist[d], true };

			return object(c, dir_member, &da);
		}
	}
	if (key_is(k, n, "dev"))
		return object(c, dev_member, s);
	return skip_value(c);
}

int recread_scan_tick(const char *p, size_t len, struct rr_tick *t)
{
	struct sc c = { p, p + len, 0 };
	struct tick_arg a = { t, -1, false };

	memset(&t->s, 0, sizeof(t->s));
	memset(t->nhist, 0, sizeof(t->nhist));
	ws(&c);
	if (c.p >= c.end || *c.p != '{')
		return -1;
	if (!object(&c, tick_member, &a))
		return -1;
	ws(&c);
	if (c.p != c.end)
		return -1;
	if (a.type != 1 || !a.have_job)
		return 0;
	return 1;
}

/* ----------------------------------------------------------------- file */

static int header_check(struct recread *r, struct jv *v, char *err, size_t errlen)
{
	const char *type = jv_str(jv_get(v, "type"));
	const char *fmt = jv_str(jv_get(v, "format"));
	double ver = jv_num(jv_get(v, "version"), -1);

	if (jv_get(v, "jobs") && !type)
		return -ENOMSG; /* a fio result on one line */
	if (!type || strcmp(type, "header") || !fmt || strcmp(fmt, RECORD_FORMAT)) {
		snprintf(err, errlen, "%s:1: not an iolab recording (no %s header)", r->path,
			 RECORD_FORMAT);
		return -EINVAL;
	}
	if (ver < 1 || ver > RECORD_VERSION || ver != floor(ver)) {
		snprintf(err, errlen, "%s:1: recording format version %g; this iolab reads version "
			 "%d and older (a newer iolab wrote it?)", r->path, ver, RECORD_VERSION);
		return -EINVAL;
	}
	return 0;
}

/* The next line from the file: *@p, *@len (no newline), *@whole (it had
 * one). 1: a line, 0: the end, -errno with "FILE:LINE: why" in r->note. */
static int next_raw(struct recread *r, const char **p, size_t *len, bool *whole)
{
	for (;;) {
		/* no buffer before the first read: memchr wants one */
		char *nl = r->len > r->pos ? memchr(r->buf + r->pos, '\n', r->len - r->pos) : NULL;
		ssize_t n;

		if (nl || (r->eof && r->len > r->pos)) {
			*p = r->buf + r->pos;
			*len = nl ? (size_t)(nl - *p) : r->len - r->pos;
			*whole = nl != NULL;
			r->pos += *len + (nl ? 1 : 0);
			r->off += *len + (nl ? 1 : 0);
			return 1;
		}
		if (r->eof)
			return 0;
		if (r->pos) { /* keep the partial line, drop what was handed out */
			memmove(r->buf, r->buf + r->pos, r->len - r->pos);
			r->len -= r->pos;
			r->pos = 0;
		}
		if (r->len == r->cap) {
			size_t nc = r->cap ? r->cap * 2 : RR_CHUNK;
			char *nb;

			if (r->cap >= RR_MAX_LINE) {
				snprintf(r->note, sizeof(r->note), "%s:%u: a line longer than %u MiB; "
					 "lines 1-%u kept, the rest not read", r->path, r->lineno + 1,
					 RR_MAX_LINE >> 20, r->lineno);
				return -EFBIG;
			}
			nb = realloc(r->buf, nc);
			if (!nb) {
				snprintf(r->note, sizeof(r->note), "%s:%u: out of memory", r->path,
					 r->lineno + 1);
				return -ENOMEM;
			}
			r->buf = nb;
			r->cap = nc;
		}
		n = read(r->fd, r->buf + r->len, r->cap - r->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			snprintf(r->note, sizeof(r->note), "%s:%u: %s", r->path, r->lineno + 1,
				 strerror(e));
			return -e;
		}
		if (n == 0)
			r->eof = true;
		r->len += (size_t)n;
	}
}

int recread_open(const char *path, struct recread **out, char *err, size_t errlen)
{
	struct recread *r = calloc(1, sizeof(*r));
	const char *line;
	char jerr[256];
	struct stat st;
	size_t len;
	bool whole;
	int rc;

	*out = NULL;
	if (!r) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -ENOMEM;
	}
	snprintf(r->path, sizeof(r->path), "%s", path);
	r->fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (r->fd < 0 || fstat(r->fd, &st)) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto err;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
		snprintf(err, errlen, "%s: not a regular file; a recording is a file", path);
		goto err;
	}
	r->size = (size_t)st.st_size;
	posix_fadvise(r->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	rc = next_raw(r, &line, &len, &whole);
	if (rc <= 0) {
		if (rc == 0)
			snprintf(err, errlen, "%s: empty file; not an iolab recording", path);
		else
			snprintf(err, errlen, "%s", r->note);
		rc = rc ? rc : -EINVAL;
		goto err;
	}
	if (jv_parse(line, len, &r->header, jerr, sizeof(jerr))) {
		bool ours = len > 0 && line[0] == '{' &&
			    memmem(line, len, "\"" RECORD_FORMAT "\"", strlen(RECORD_FORMAT) + 2);

		rc = len && line[0] == '{' && !ours ? -ENOMSG : -EINVAL;
		if (ours && !whole)
			snprintf(err, errlen, "%s:1: the header line is cut short (%s); nothing to "
				 "read", path, jerr);
		else
			snprintf(err, errlen, "%s:1: not an iolab recording (%s)", path, jerr);
		goto err;
	}
	rc = header_check(r, &r->header, err, errlen);
	if (rc)
		goto err;
	r->lineno = 1;
	*out = r;
	return 0;
err:
	recread_close(r);
	return rc;
}

void recread_close(struct recread *r)
{
	if (!r)
		return;
	if (r->fd > 0)
		close(r->fd);
	free(r->buf);
	jv_free(&r->header);
	free(r);
}

const struct jv *recread_header(const struct recread *r)
{
	return &r->header;
}

void recread_take_header(struct recread *r, struct jv *out)
{
	*out = r->header;
	memset(&r->header, 0, sizeof(r->header));
}

const char *recread_note(const struct recread *r)
{
	return r->note;
}

unsigned recread_lines(const struct recread *r)
{
	return r->lineno;
}

size_t recread_offset(const struct recread *r)
{
	return r->off;
}

size_t recread_size(const struct recread *r)
{
	return r->size;
}

enum rr_line recread_next(struct recread *r, struct rr_tick *t, struct jv *v)
{
	const char *p;
	size_t len;
	char jerr[256];
	unsigned no;
	bool whole;
	int rc;

	memset(v, 0, sizeof(*v));
	for (;;) {
		if (r->done)
			return RR_END;
		rc = next_raw(r, &p, &len, &whole);
		if (rc <= 0) {
			r->done = true;
			return RR_END;
		}
		no = r->lineno + 1;
		if (len == 0 || (len == 1 && p[0] == '\r')) {
			r->lineno = no; /* a blank line: nothing to read, not damage */
			continue;
		}
		break;
	}
	r->last = p;
	r->last_len = len;
	if (recread_scan_tick(p, len, t) == 1) {
		r->lineno = no;
		return RR_TICK;
	}
	if (jv_parse(p, len, v, jerr, sizeof(jerr))) {
		if (!whole)
			snprintf(r->note, sizeof(r->note),
				 "%s:%u: the record is cut short here (the run was killed?); read up "
				 "to line %u", r->path, no, no - 1);
		else
			snprintf(r->note, sizeof(r->note),
				 "%s:%u: damaged line (%s); lines 1-%u kept, the rest not read",
				 r->path, no, jerr, no - 1);
		r->done = true;
		return RR_END;
	}
	if (!jv_str(jv_get(v, "type")) || !strcmp(jv_str(jv_get(v, "type")), "tick")) {
		/* no type, or a tick without a job id the scanner could read */
		snprintf(r->note, sizeof(r->note),
			 "%s:%u: damaged line (%s); lines 1-%u kept, the rest not read", r->path, no,
			 jv_str(jv_get(v, "type")) ? "a tick without its job" : "no \"type\"",
			 no - 1);
		jv_free(v);
		r->done = true;
		return RR_END;
	}
	if (!strcmp(jv_str(jv_get(v, "type")), "header")) {
		/* a stream of several runs (--output-format=jsonl in the workbench) */
		snprintf(r->note, sizeof(r->note), "%s:%u: another run's recording starts here; "
			 "only the first was read (lines 1-%u)", r->path, no, no - 1);
		jv_free(v);
		r->done = true;
		return RR_END;
	}
	r->lineno = no;
	return RR_OTHER;
}

const char *recread_last_line(const struct recread *r, size_t *len)
{
	*len = r->last ? r->last_len : 0;
	return r->last ? r->last : "";
}

int recread_raw_member(const char *line, size_t len, const char *key, const char **val,
		       size_t *vlen)
{
	struct sc c = { line, line + len, 0 };

	ws(&c);
	if (c.p >= c.end || *c.p++ != '{')
		return -ENOENT;
	for (;;) {
		const char *k, *v;
		size_t n;

		ws(&c);
		if (!str(&c, &k, &n))
			return -ENOENT;
		ws(&c);
		if (c.p >= c.end || *c.p++ != ':')
			return -ENOENT;
		ws(&c);
		v = c.p;
		if (!skip_value(&c))
			return -ENOENT;
		if (key_is(k, n, key)) {
			*val = v;
			*vlen = (size_t)(c.p - v);
			return 0;
		}
		ws(&c);
		if (c.p >= c.end || *c.p++ != ',')
			return -ENOENT;
	}
}
