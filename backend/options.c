/* Job options: the table, value parsers and printers; see options.h.
 *
 * Value syntax follows fio 3.33 as it behaves (checked against the fio
 * binary where its HOWTO is ambiguous):
 *   sizes   decimal or 0x hex, optional fraction, suffix b|k|m|g|t|p with
 *           optional i/b ("4k", "4kb", "4ki" all mean 4*kb_base); only the
 *           "Xib" spelling means the other base ("4KiB" is 4000 when
 *           kb_base=1024 and 4096 when kb_base=1000, as in fio)
 *   times   number with us|usec|ms|msec|s|sec|m|min|h|d; a bare number is
 *           in the option's unit (seconds for runtime, usec for thinktime)
 *   pairs   "r,w,t": a value not followed by a comma applies to the
 *           directions after it; an empty part leaves that direction as
 *           it was ("bs=,8k" keeps the read size and sets write and trim)
 * Unlike fio, trailing garbage ("12q", "4kfoo") and negative sizes are
 * refused rather than read as whatever prefix parses. */
#include "options.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engines/engine.h"
#include "job.h"
#include "verify.h"

#define OFF(f) offsetof(struct job_opts, f)
#define US_PER_MS UINT64_C(1000)
#define US_PER_S UINT64_C(1000000)

_Static_assert(sizeof(enum rand_dist) == sizeof(unsigned), "enum storage");
_Static_assert(sizeof(enum rate_process) == sizeof(unsigned), "enum storage");
_Static_assert(sizeof(enum submit_mode) == sizeof(unsigned), "enum storage");
_Static_assert(sizeof(enum verify_kind) == sizeof(unsigned), "enum storage");
_Static_assert(sizeof(enum file_service) == sizeof(unsigned), "enum storage");
_Static_assert(sizeof(enum rand_gen) == sizeof(unsigned), "enum storage");
_Static_assert(sizeof(enum zone_mode) == sizeof(unsigned), "enum storage");
_Static_assert(sizeof(enum dedupe_mode) == sizeof(unsigned), "enum storage");

const char *const opt_group_names[GRP_NR] = {
	[GRP_JOB] = "job",	   [GRP_TARGET] = "target", [GRP_WORKLOAD] = "workload",
	[GRP_QUEUE] = "queue",	   [GRP_RATE] = "rate",	    [GRP_TIMING] = "timing",
	[GRP_VERIFY] = "verify",   [GRP_LOGGING] = "logging", [GRP_ENGINE] = "engine",
	[GRP_FAULT] = "fault",
};

/* Writes a reason into @err; returns -1 for "return fail(...)". */
static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static unsigned kb_of(const struct job_opts *o)
{
	return o && o->kb_base == 1000 ? 1000 : 1024;
}

/* ------------------------------------------------------------ numbers */

/* Longest time value: 100 years in microseconds. */
#define TIME_MAX_US (100ULL * 36525 * 864 * 1000000)

enum num_err { NE_OK = 0, NE_EMPTY, NE_NEG, NE_SYNTAX, NE_SUFFIX, NE_FRAC, NE_RANGE };

/* Power of the unit letter @c (k=1 ... p=5), or -1. */
static int unit_pow(char c)
{
	switch (tolower((unsigned char)c)) {
	case 'k': return 1;
	case 'm': return 2;
	case 'g': return 3;
	case 't': return 4;
	case 'p': return 5;
	default: return -1;
	}
}

/* Size parse with a reason code; see the file comment for the syntax. */
static enum num_err size_parse(const char *s, unsigned kb_base, uint64_t *out)
{
	unsigned __int128 ip = 0, frac = 0, fdiv = 1, mult = 1, v;
	const char *p = s;
	unsigned base = kb_base == 1000 ? 1000 : 1024;
	int pw = 0;

	if (!s || !*s)
		return NE_EMPTY;
	if (*p == '-')
		return NE_NEG;
	if (*p == '+')
		p++;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		p += 2;
		if (!isxdigit((unsigned char)*p))
			return NE_SYNTAX;
		for (; isxdigit((unsigned char)*p); p++) {
			int d = isdigit((unsigned char)*p) ? *p - '0' : tolower((unsigned char)*p) - 'a' + 10;

			ip = ip * 16 + (unsigned)d;
			if (ip > UINT64_MAX)
				return NE_RANGE;
		}
		if (*p)
			return NE_SYNTAX;
		*out = (uint64_t)ip;
		return NE_OK;
	}
	if (!isdigit((unsigned char)*p) && !(*p == '.' && isdigit((unsigned char)p[1])))
		return NE_SYNTAX;
	for (; isdigit((unsigned char)*p); p++) {
		ip = ip * 10 + (unsigned)(*p - '0');
		if (ip > UINT64_MAX)
			return NE_RANGE;
	}
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return NE_SYNTAX;
		for (; isdigit((unsigned char)*p); p++) {
			if (fdiv < 1000000000000000000ULL) {
				frac = frac * 10 + (unsigned)(*p - '0');
				fdiv *= 10;
			}
		}
	}
	if (*p) {
		/* b | X | Xb | Xi | Xib, case-insensitive */
		char c0 = (char)tolower((unsigned char)p[0]);

		if (c0 == 'b' && !p[1]) {
			pw = 0;
		} else if ((pw = unit_pow(c0)) > 0) {
			const char *r = p + 1;

			if (!*r || ((*r == 'b' || *r == 'B') && !r[1]) ||
			    ((*r == 'i' || *r == 'I') && !r[1]))
				; /* kb_base */
			else if ((*r == 'i' || *r == 'I') && (r[1] == 'b' || r[1] == 'B') && !r[2])
				base = base == 1000 ? 1024 : 1000;
			else
				return NE_SUFFIX;
		} else {
			return NE_SUFFIX;
		}
	}
	for (int i = 0; i < pw; i++)
		mult *= base;
	v = ip * mult;
	if (v > UINT64_MAX)
		return NE_RANGE;
	if (frac) {
		unsigned __int128 fv = frac * mult;

		if (fv % fdiv)
			return NE_FRAC;
		v += fv / fdiv;
		if (v > UINT64_MAX)
			return NE_RANGE;
	}
	*out = (uint64_t)v;
	return NE_OK;
}

int parse_size(const char *s, unsigned kb_base, uint64_t *out)
{
	uint64_t v;

	if (size_parse(s, kb_base, &v) != NE_OK)
		return -1;
	*out = v;
	return 0;
}

static int size_fail(enum num_err e, const char *s, bool size, char *err, size_t errlen)
{
	switch (e) {
	case NE_EMPTY:
		return fail(err, errlen, "needs a value");
	case NE_NEG:
		return fail(err, errlen, "'%s' is negative", s);
	case NE_FRAC:
		return fail(err, errlen, "'%s' is not a whole number of bytes", s);
	case NE_RANGE:
		return fail(err, errlen, "'%s' is too large", s);
	case NE_SUFFIX:
		if (size)
			return fail(err, errlen,
				    "'%s' is not a size (unknown suffix; use b, k, m, g, t, p, "
				    "optionally with i or b: 4k, 1m, 2gib)", s);
		return fail(err, errlen, "'%s' is not a number", s);
	default:
		if (size)
			return fail(err, errlen, "'%s' is not a size (a number with an optional "
					 "k/m/g/t/p suffix, e.g. 4k)", s);
		return fail(err, errlen, "'%s' is not a number", s);
	}
}

/* Time units by suffix, lowercase. */
static const struct {
	const char *sfx;
	uint64_t us;
} time_units[] = {
	{ "us", 1 },	       { "usec", 1 },	    { "ms", US_PER_MS },
	{ "msec", US_PER_MS }, { "s", US_PER_S },   { "sec", US_PER_S },
	{ "m", 60 * US_PER_S }, { "min", 60 * US_PER_S }, { "h", 3600 * US_PER_S },
	{ "d", 86400 * US_PER_S },
};

static enum num_err time_parse(const char *s, unsigned unit_us, uint64_t *out)
{
	const char *p = s;
	char *end;
	uint64_t unit = unit_us ? unit_us : US_PER_S;
	long double v;

	if (!s || !*s)
		return NE_EMPTY;
	if (*p == '-')
		return NE_NEG;
	if (!isdigit((unsigned char)*p) && !(*p == '.' && isdigit((unsigned char)p[1])))
		return NE_SYNTAX;
	errno = 0;
	v = strtold(p, &end);
	if (errno || end == p)
		return NE_SYNTAX;
	for (const char *q = p; q < end; q++)
		if (!isdigit((unsigned char)*q) && *q != '.')
			return NE_SYNTAX; /* no exponents, hex or inf */
	if (*end) {
		size_t i;

		for (i = 0; i < sizeof(time_units) / sizeof(time_units[0]); i++)
			if (!strcasecmp(end, time_units[i].sfx))
				break;
		if (i == sizeof(time_units) / sizeof(time_units[0]))
			return NE_SUFFIX;
		unit = time_units[i].us;
	}
	v = v * (long double)unit + 0.5L;
	/* in nanoseconds, a few of them summed with the clock still fit */
	if (v > (long double)TIME_MAX_US)
		return NE_RANGE;
	*out = (uint64_t)v;
	return NE_OK;
}

int parse_time_us(const char *s, unsigned default_unit_us, uint64_t *out)
{
	uint64_t v;

	if (time_parse(s, default_unit_us, &v) != NE_OK)
		return -1;
	*out = v;
	return 0;
}

static int time_fail(enum num_err e, const char *s, char *err, size_t errlen)
{
	switch (e) {
	case NE_EMPTY:
		return fail(err, errlen, "needs a value");
	case NE_NEG:
		return fail(err, errlen, "'%s' is negative", s);
	case NE_RANGE:
		return fail(err, errlen, "'%s' is too long (at most 100 years)", s);
	default:
		return fail(err, errlen, "'%s' is not a time (a number with an optional "
				 "us/ms/s/m/h/d suffix, e.g. 10s, 500ms)", s);
	}
}

int parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "1", "true", "yes", "on" };
	static const char *const no[] = { "0", "false", "no", "off" };

	if (!s)
		return -1;
	for (size_t i = 0; i < 4; i++) {
		if (!strcasecmp(s, yes[i])) {
			*out = true;
			return 0;
		}
		if (!strcasecmp(s, no[i])) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

/* Double without inf/nan/hex; an optional trailing '%' when @pct. */
static int double_parse(const char *s, bool pct, double *out)
{
	char *end;
	double v;

	if (!s || !*s)
		return -1;
	if (!isdigit((unsigned char)*s) && *s != '.' && *s != '-' && *s != '+')
		return -1;
	for (const char *q = s; *q; q++)
		if (*q == 'x' || *q == 'X' || *q == 'n' || *q == 'N' || *q == 'i' || *q == 'I')
			return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s)
		return -1;
	if (pct && *end == '%')
		end++;
	if (*end || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

/* Shortest text that reads back as exactly @v. */
static void fmt_double(char *buf, size_t len, double v)
{
	for (int prec = 6; prec <= 17; prec++) {
		snprintf(buf, len, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			return;
	}
}

/* Exact size text in job-file syntax for @kb_base ("4k", "1536", "4KiB"). */
static void fmt_size_exact(char *buf, size_t len, uint64_t v, unsigned kb_base)
{
	static const char sfx[] = "kmgtp";
	unsigned base = kb_base == 1000 ? 1000 : 1024;
	int pw = 0;
	uint64_t n = v;

	if (v == 0) {
		snprintf(buf, len, "0");
		return;
	}
	while (pw < 5 && n % base == 0) {
		n /= base;
		pw++;
	}
	if (pw) {
		snprintf(buf, len, "%" PRIu64 "%c", n, sfx[pw - 1]);
		return;
	}
	if (base == 1000) {
		/* the other base, spelled so fio reads it the same way */
		n = v;
		while (pw < 5 && n % 1024 == 0) {
			n /= 1024;
			pw++;
		}
		if (pw) {
			snprintf(buf, len, "%" PRIu64 "%ciB", n, "KMGTP"[pw - 1]);
			return;
		}
	}
	snprintf(buf, len, "%" PRIu64, v);
}

void fmt_size(char *buf, size_t len, uint64_t bytes, unsigned kb_base)
{
	static const char *const iec[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	static const char *const si[] = { "B", "kB", "MB", "GB", "TB", "PB", "EB" };
	double base = kb_base == 1000 ? 1000.0 : 1024.0;
	const char *const *u = kb_base == 1000 ? si : iec;
	double v = (double)bytes;
	int i = 0;

	while (v >= base && i < 6) {
		v /= base;
		i++;
	}
	if (i == 0)
		snprintf(buf, len, "%" PRIu64 "B", bytes);
	else if (v == floor(v))
		snprintf(buf, len, "%.0f%s", v, u[i]);
	else
		snprintf(buf, len, "%.1f%s", v, u[i]);
}

/* Exact time text: a bare number in @unit when it divides, else a suffix. */
static void fmt_time_exact(char *buf, size_t len, uint64_t us, unsigned unit)
{
	if (!unit)
		unit = US_PER_S;
	if (unit > 1 && us % unit == 0)
		snprintf(buf, len, "%" PRIu64, us / unit);
	else if (us && us % US_PER_S == 0)
		snprintf(buf, len, "%" PRIu64 "s", us / US_PER_S);
	else if (us && us % US_PER_MS == 0)
		snprintf(buf, len, "%" PRIu64 "ms", us / US_PER_MS);
	else if (unit == 1)
		snprintf(buf, len, "%" PRIu64, us);
	else
		snprintf(buf, len, "%" PRIu64 "us", us);
}

/* ------------------------------------------------------------ storage */

static void *field(struct job_opts *o, const struct opt_def *d)
{
	return (char *)o + d->off;
}

static const void *cfield(const struct job_opts *o, const struct opt_def *d)
{
	return (const char *)o + d->off;
}

static size_t elem_size(const struct opt_def *d)
{
	if (d->elem_size)
		return d->elem_size;
	switch (d->type) {
	case OPT_BOOL: return sizeof(bool);
	case OPT_UINT:
	case OPT_ENUM: return sizeof(unsigned);
	case OPT_INT: return sizeof(int);
	case OPT_U64:
	case OPT_SIZE:
	case OPT_SIZE_PCT:
	case OPT_TIME: return sizeof(uint64_t);
	case OPT_DOUBLE: return sizeof(double);
	default: return 0;
	}
}

static uint64_t load_u(const void *p, size_t n)
{
	switch (n) {
	case 1: return *(const uint8_t *)p;
	case 2: return *(const uint16_t *)p;
	case 4: return *(const uint32_t *)p;
	default: return *(const uint64_t *)p;
	}
}

static void store_u(void *p, size_t n, uint64_t v)
{
	switch (n) {
	case 1: *(uint8_t *)p = (uint8_t)v; break;
	case 2: *(uint16_t *)p = (uint16_t)v; break;
	case 4: *(uint32_t *)p = (uint32_t)v; break;
	default: *(uint64_t *)p = v; break;
	}
}

static uint64_t type_max(size_t n)
{
	return n >= 8 || !n ? UINT64_MAX : (1ULL << (n * 8)) - 1;
}

static bool is_bytes(const struct opt_def *d)
{
	return d->units && !strncmp(d->units, "bytes", 5);
}

static void set_str(char **p, const char *v)
{
	free(*p);
	*p = v && *v ? strdup(v) : NULL;
}

/* --------------------------------------------------- per-direction text */

#define PART_MAX 1024

/* Splits @val into read/write/trim parts by fio's rules (see the file
 * comment). given[d] false: leave direction d unchanged. Returns 0 or -1. */
static int ddir_split(const char *val, char part[DDIR_RWDIR_CNT][PART_MAX],
		      bool given[DDIR_RWDIR_CNT], char *err, size_t errlen)
{
	char tmp[4][PART_MAX];
	const char *p = val, *c;
	int n = 0;
	bool terminated = false;

	if (strlen(val) >= PART_MAX)
		return fail(err, errlen, "value too long");
	for (;;) {
		size_t l;

		if (n == 4)
			return fail(err, errlen, "'%s' has more than three comma-separated "
					 "values (read,write,trim)", val);
		c = strchr(p, ',');
		l = c ? (size_t)(c - p) : strlen(p);
		memcpy(tmp[n], p, l);
		tmp[n][l] = '\0';
		n++;
		if (!c)
			break;
		p = c + 1;
	}
	if (n > 1 && !tmp[n - 1][0]) {
		n--;
		terminated = true;
	}
	if (n > 3)
		return fail(err, errlen, "'%s' has more than three comma-separated values "
				 "(read,write,trim)", val);
	for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
		given[d] = false;
		part[d][0] = '\0';
	}
	for (int d = 0; d < n; d++) {
		given[d] = tmp[d][0] != '\0';
		strcpy(part[d], tmp[d]);
	}
	if (!terminated && given[n - 1]) {
		for (int d = n; d < DDIR_RWDIR_CNT; d++) {
			given[d] = true;
			strcpy(part[d], tmp[n - 1]);
		}
	}
	if (!given[0] && !given[1] && !given[2])
		return fail(err, errlen, "needs a value");
	return 0;
}

/* Joins per-direction texts the way ddir_split reads them back. */
static void ddir_join(char *buf, size_t len, char txt[DDIR_RWDIR_CNT][PART_MAX])
{
	if (!strcmp(txt[0], txt[1]) && !strcmp(txt[1], txt[2]))
		snprintf(buf, len, "%s", txt[0]);
	else if (!strcmp(txt[1], txt[2]) && txt[1][0])
		snprintf(buf, len, "%s,%s", txt[0], txt[1]);
	else if (!txt[2][0] && !txt[1][0])
		snprintf(buf, len, "%s,,", txt[0]);
	else if (!txt[2][0])
		snprintf(buf, len, "%s,%s,", txt[0], txt[1]);
	else
		snprintf(buf, len, "%s,%s,%s", txt[0], txt[1], txt[2]);
}

/* ----------------------------------------------------- generic parsing */

static int range_check(const struct opt_def *d, long long v, bool is_unsigned, uint64_t uv,
		       char *err, size_t errlen)
{
	if (is_unsigned) {
		if ((d->min > 0 && uv < (uint64_t)d->min) || (d->max > 0 && uv > (uint64_t)d->max))
			return fail(err, errlen, "%" PRIu64 " is out of range (%lld..%lld)", uv,
				    d->min, d->max);
		return 0;
	}
	if (v < d->min || (d->max && v > d->max))
		return fail(err, errlen, "%lld is out of range (%lld..%lld)", v, d->min, d->max);
	return 0;
}

/* One unsigned value for UINT/U64/SIZE/TIME @d from @s. */
static int scalar_u(const struct opt_def *d, const struct job_opts *o, const char *s,
		    uint64_t *out, char *err, size_t errlen)
{
	size_t n = elem_size(d);
	enum num_err e;
	uint64_t v;

	if (d->type == OPT_TIME) {
		e = time_parse(s, d->time_unit_us, &v);
		if (e)
			return time_fail(e, s, err, errlen);
	} else {
		e = size_parse(s, kb_of(o), &v);
		if (e)
			return size_fail(e, s, is_bytes(d), err, errlen);
	}
	if (v > type_max(n))
		return fail(err, errlen, "'%s' is too large (at most %" PRIu64 ")", s, type_max(n));
	if (range_check(d, 0, true, v, err, errlen))
		return -1;
	*out = v;
	return 0;
}

static const struct opt_choice *choice_find(const struct opt_choice *c, const char *s)
{
	for (; c && c->name; c++)
		if (!strcasecmp(c->name, s))
			return c;
	return NULL;
}

bool opt_for_engine(const struct opt_def *def, const char *engine)
{
	const char *e = def->engines;
	size_t n;

	if (!e)
		return true;
	if (!engine)
		engine = "psync";
	n = strlen(engine);
	while (*e) {
		size_t l = strcspn(e, ":");

		if (l == n && !strncasecmp(e, engine, n))
			return true;
		e += l + (e[l] == ':');
	}
	return false;
}

const char *opt_choice_name(const struct opt_def *def, unsigned value)
{
	for (const struct opt_choice *c = def->choices; c && c->name; c++)
		if (c->value == value)
			return c->name;
	return NULL;
}

static int choice_fail(const struct opt_def *d, const char *s, char *err, size_t errlen)
{
	char list[512];
	size_t l = 0;

	list[0] = '\0';
	for (const struct opt_choice *c = d->choices; c && c->name; c++) {
		/* skip synonyms of a value already listed */
		bool dup = false;

		for (const struct opt_choice *p = d->choices; p != c; p++)
			if (p->value == c->value)
				dup = true;
		if (dup)
			continue;
		l += (size_t)snprintf(list + l, l < sizeof(list) ? sizeof(list) - l : 0, "%s%s",
				      l ? ", " : "", c->name);
		if (l >= sizeof(list))
			break;
	}
	return fail(err, errlen, "'%s' is not one of: %s", s, list);
}

static int generic_parse(const struct opt_def *d, struct job_opts *o, const char *val,
			 char *err, size_t errlen)
{
	size_t n = elem_size(d);
	void *f = field(o, d);

	switch (d->type) {
	case OPT_STR:
		if (!val) {
			if (d->flags & OPTF_BARE_ONE)
				val = "1";
			else if (d->flags & OPTF_BARE_NAME) {
				/* "" until the job's name is known (job_list_finalize) */
				free(*(char **)f);
				*(char **)f = strdup(o->name ? o->name : "");
				return 0;
			} else
				return fail(err, errlen, "needs a value (%s=...)", d->name);
		}
		set_str((char **)f, val);
		return 0;
	case OPT_BOOL: {
		bool b = true;

		if (val && parse_bool(val, &b))
			return fail(err, errlen, "'%s' is not a boolean (use 1 or 0)", val);
		*(bool *)f = b;
		return 0;
	}
	case OPT_DOUBLE: {
		double v;
		bool pct = d->units && !strcmp(d->units, "percent");

		if (!val)
			return fail(err, errlen, "needs a value (%s=...)", d->name);
		if (double_parse(val, pct, &v))
			return fail(err, errlen, "'%s' is not a number", val);
		if (v < (double)d->min || (d->max && v > (double)d->max))
			return fail(err, errlen, "%s is out of range (%lld..%lld)", val, d->min,
				    d->max);
		*(double *)f = v;
		return 0;
	}
	case OPT_ENUM: {
		const struct opt_choice *c;

		if (!val)
			return fail(err, errlen, "needs a value (%s=...)", d->name);
		c = choice_find(d->choices, val);
		if (!c)
			return choice_fail(d, val, err, errlen);
		store_u(f, n, c->value);
		return 0;
	}
	case OPT_INT: {
		bool neg;
		uint64_t u;
		long long v;
		enum num_err e;

		if (!val)
			return fail(err, errlen, "needs a value (%s=...)", d->name);
		neg = val[0] == '-';
		e = size_parse(val + neg, kb_of(o), &u);
		if (e)
			return size_fail(e, val, false, err, errlen);
		if (u > (uint64_t)INT_MAX + neg)
			return fail(err, errlen, "'%s' is out of range", val);
		v = neg ? -(long long)u : (long long)u;
		if (range_check(d, v, false, 0, err, errlen))
			return -1;
		*(int *)f = (int)v;
		return 0;
	}
	case OPT_UINT:
	case OPT_U64:
	case OPT_SIZE:
	case OPT_TIME: {
		uint64_t v[DDIR_RWDIR_CNT];

		if (!val)
			return fail(err, errlen, "needs a value (%s=...)", d->name);
		if (d->per_ddir) {
			char part[DDIR_RWDIR_CNT][PART_MAX];
			bool given[DDIR_RWDIR_CNT];

			if (ddir_split(val, part, given, err, errlen))
				return -1;
			for (int i = 0; i < DDIR_RWDIR_CNT; i++)
				if (given[i] && scalar_u(d, o, part[i], &v[i], err, errlen))
					return -1;
			for (int i = 0; i < DDIR_RWDIR_CNT; i++)
				if (given[i])
					store_u((char *)f + i * n, n, v[i]);
			return 0;
		}
		if (scalar_u(d, o, val, &v[0], err, errlen))
			return -1;
		store_u(f, n, v[0]);
		return 0;
	}
	default:
		return fail(err, errlen, "option has no parser");
	}
}

static void scalar_print(const struct opt_def *d, const struct job_opts *o, uint64_t v,
			 char *buf, size_t len)
{
	if (d->type == OPT_SIZE)
		fmt_size_exact(buf, len, v, kb_of(o));
	else if (d->type == OPT_TIME)
		fmt_time_exact(buf, len, v, d->time_unit_us);
	else
		snprintf(buf, len, "%" PRIu64, v);
}

static void generic_print(const struct opt_def *d, const struct job_opts *o, char *buf, size_t len)
{
	size_t n = elem_size(d);
	const void *f = cfield(o, d);

	switch (d->type) {
	case OPT_STR: {
		const char *s = *(char *const *)f;

		snprintf(buf, len, "%s", s ? s : "");
		return;
	}
	case OPT_BOOL:
		snprintf(buf, len, "%d", *(const bool *)f ? 1 : 0);
		return;
	case OPT_DOUBLE:
		fmt_double(buf, len, *(const double *)f);
		return;
	case OPT_ENUM: {
		unsigned v = (unsigned)load_u(f, n);
		const char *name = opt_choice_name(d, v);

		if (name)
			snprintf(buf, len, "%s", name);
		else
			snprintf(buf, len, "%u", v);
		return;
	}
	case OPT_INT:
		snprintf(buf, len, "%d", *(const int *)f);
		return;
	case OPT_UINT:
	case OPT_U64:
	case OPT_SIZE:
	case OPT_TIME:
		if (d->per_ddir) {
			char txt[DDIR_RWDIR_CNT][PART_MAX];

			for (int i = 0; i < DDIR_RWDIR_CNT; i++)
				scalar_print(d, o, load_u((const char *)f + i * n, n), txt[i],
					     sizeof(txt[i]));
			ddir_join(buf, len, txt);
			return;
		}
		scalar_print(d, o, load_u(f, n), buf, len);
		return;
	default:
		snprintf(buf, len, "?");
	}
}

/* ------------------------------------------------------- custom options */

static int need_val(const struct opt_def *d, const char *val, char *err, size_t errlen)
{
	if (!val)
		return fail(err, errlen, "needs a value (%s=...)", d->name);
	return 0;
}

/* size= / offset=: a size or N% of the file. */
static size_t pct_off(const struct opt_def *d)
{
	return d->off == OFF(size) ? OFF(size_pct) : OFF(offset_pct);
}

static int parse_size_pct(const struct opt_def *d, struct job_opts *o, const char *val,
			  char *err, size_t errlen)
{
	double *pct = (double *)((char *)o + pct_off(d));
	size_t l;
	uint64_t v;

	if (need_val(d, val, err, errlen))
		return -1;
	l = strlen(val);
	if (l && val[l - 1] == '%') {
		double p;

		if (double_parse(val, true, &p))
			return fail(err, errlen, "'%s' is not a percentage", val);
		if (p < 0 || p > 100 || (p == 0 && d->off == OFF(size)))
			return fail(err, errlen, "%s is out of range (%s..100%%)", val,
				    d->off == OFF(size) ? "above 0%" : "0%");
		*pct = p;
		*(uint64_t *)field(o, d) = 0;
		return 0;
	}
	if (scalar_u(d, o, val, &v, err, errlen))
		return -1;
	*(uint64_t *)field(o, d) = v;
	*pct = 0;
	return 0;
}

static void print_size_pct(const struct opt_def *d, const struct job_opts *o, char *buf,
			   size_t len)
{
	double pct = *(const double *)((const char *)o + pct_off(d));

	if (pct > 0) {
		char t[64];

		fmt_double(t, sizeof(t), pct);
		snprintf(buf, len, "%s%%", t);
		return;
	}
	fmt_size_exact(buf, len, *(const uint64_t *)cfield(o, d), kb_of(o));
}

/* rw=: a pattern with an optional ":N" (holes for sequential, I/Os per
 * offset for random). */
static const struct opt_choice rw_choices[] = {
	{ "read", RW_READ, "sequential reads" },
	{ "write", RW_WRITE, "sequential writes" },
	{ "trim", RW_TRIM, "sequential trims (discard)" },
	{ "randread", RW_READ | RW_RAND, "random reads" },
	{ "randwrite", RW_WRITE | RW_RAND, "random writes" },
	{ "randtrim", RW_TRIM | RW_RAND, "random trims" },
	{ "rw", RW_READ | RW_WRITE, "sequential mixed reads and writes (rwmixread)" },
	{ "readwrite", RW_READ | RW_WRITE, "same as rw" },
	{ "randrw", RW_READ | RW_WRITE | RW_RAND, "random mixed reads and writes (rwmixread)" },
	{ "trimwrite", RW_TRIM | RW_WRITE, "trim a block, then write it" },
	{ "randtrimwrite", RW_TRIM | RW_WRITE | RW_RAND, "trimwrite at random offsets" },
	{ NULL, 0, NULL },
};

/* fio's "NAME[:PARAM]" values (rw=, random_distribution=,
 * file_service_type=): NAME into @name, *@colon at the ':' or NULL.
 * Returns 0, or -1 with a reason. */
static int split_suffix(const struct opt_def *d, const char *val, char *name, size_t len,
			const char **colon, char *err, size_t errlen)
{
	size_t l;

	if (need_val(d, val, err, errlen))
		return -1;
	*colon = strchr(val, ':');
	l = *colon ? (size_t)(*colon - val) : strlen(val);
	if (l >= len)
		return choice_fail(d, val, err, errlen);
	memcpy(name, val, l);
	name[l] = '\0';
	return 0;
}

static int parse_rw(const struct opt_def *d, struct job_opts *o, const char *val, char *err,
		    size_t errlen)
{
	char name[64];
	const char *colon;
	const struct opt_choice *c;
	uint64_t nr = 0;
	bool back = false;

	if (split_suffix(d, val, name, sizeof(name), &colon, err, errlen))
		return -1;
	c = choice_find(rw_choices, name);
	if (!c)
		return choice_fail(d, name, err, errlen);
	if (colon) {
		const char *num = colon + 1;
		enum num_err e;

		if (*num == '-') {
			if (c->value & RW_RAND)
				return fail(err, errlen, "'%s': a random pattern takes a count of "
						 "I/Os after ':', not a negative size", val);
			back = true;
			num++;
		}
		e = size_parse(num, kb_of(o), &nr);
		if (e || (back && (!nr || nr > INT64_MAX)))
			return fail(err, errlen, "'%s': the part after ':' must be a count or "
					 "a size (rw=randread:8, rw=write:4k, rw=read:-8k)", val);
	}
	o->rw = c->value;
	o->rw_seq_nr = nr;
	o->rw_seq_back = back;
	return 0;
}

static void print_rw(const struct opt_def *d, const struct job_opts *o, char *buf, size_t len)
{
	const char *name = opt_choice_name(d, o->rw);
	char nr[64];

	if (!o->rw_seq_nr) {
		snprintf(buf, len, "%s", name ? name : "read");
		return;
	}
	fmt_size_exact(nr, sizeof(nr), o->rw_seq_nr, kb_of(o));
	snprintf(buf, len, "%s:%s%s", name ? name : "read", o->rw_seq_back ? "-" : "", nr);
}

static int parse_rwmixwrite(const struct opt_def *d, struct job_opts *o, const char *val,
			    char *err, size_t errlen)
{
	uint64_t v;

	if (need_val(d, val, err, errlen) || scalar_u(d, o, val, &v, err, errlen))
		return -1;
	o->rwmixread = 100 - (unsigned)v;
	return 0;
}

static void print_rwmixwrite(const struct opt_def *d, const struct job_opts *o, char *buf,
			     size_t len)
{
	snprintf(buf, len, "%u", o->rwmixread <= 100 ? 100 - o->rwmixread : 0);
}

static int parse_buffered(const struct opt_def *d, struct job_opts *o, const char *val,
			  char *err, size_t errlen)
{
	bool b = true;

	if (val && parse_bool(val, &b))
		return fail(err, errlen, "'%s' is not a boolean (use 1 or 0)", val);
	o->direct = !b;
	return 0;
}

static void print_buffered(const struct opt_def *d, const struct job_opts *o, char *buf,
			   size_t len)
{
	snprintf(buf, len, "%d", o->direct ? 0 : 1);
}

/* bs=: a fixed size per direction; ranges belong to bsrange=. */
static int parse_bs(const struct opt_def *d, struct job_opts *o, const char *val, char *err,
		    size_t errlen)
{
	if (need_val(d, val, err, errlen))
		return -1;
	if (strchr(val, '-') || strchr(val, ':'))
		return fail(err, errlen, "'%s' looks like a range: use bsrange=%s (fio would "
				 "read it as a read size and a write size)", val, val);
	return generic_parse(d, o, val, err, errlen);
}

/* bsrange=: "lo-hi" (or "lo:hi") per direction; lo > hi is swapped as in
 * fio. A single size means lo = hi. */
static int range_one(const struct opt_def *d, const struct job_opts *o, const char *s,
		     uint64_t *lo, uint64_t *hi, char *err, size_t errlen)
{
	char a[PART_MAX];
	const char *sep = strchr(s, '-');

	if (!sep)
		sep = strchr(s, ':');
	if (!sep) {
		if (scalar_u(d, o, s, lo, err, errlen))
			return -1;
		*hi = *lo;
		return 0;
	}
	memcpy(a, s, (size_t)(sep - s));
	a[sep - s] = '\0';
	if (!a[0] || !sep[1])
		return fail(err, errlen, "'%s' is not a range (use min-max, e.g. 4k-64k)", s);
	if (scalar_u(d, o, a, lo, err, errlen) || scalar_u(d, o, sep + 1, hi, err, errlen))
		return -1;
	if (*lo > *hi) {
		uint64_t t = *lo;

		*lo = *hi;
		*hi = t;
	}
	return 0;
}

static int parse_bsrange(const struct opt_def *d, struct job_opts *o, const char *val,
			 char *err, size_t errlen)
{
	char part[DDIR_RWDIR_CNT][PART_MAX];
	bool given[DDIR_RWDIR_CNT];
	uint64_t lo[DDIR_RWDIR_CNT], hi[DDIR_RWDIR_CNT];

	if (need_val(d, val, err, errlen))
		return -1;
	if (!*val) {
		memset(o->bs_min, 0, sizeof(o->bs_min));
		memset(o->bs_max, 0, sizeof(o->bs_max));
		return 0;
	}
	if (ddir_split(val, part, given, err, errlen))
		return -1;
	for (int i = 0; i < DDIR_RWDIR_CNT; i++)
		if (given[i] && range_one(d, o, part[i], &lo[i], &hi[i], err, errlen))
			return -1;
	for (int i = 0; i < DDIR_RWDIR_CNT; i++) {
		if (!given[i])
			continue;
		o->bs_min[i] = (uint32_t)lo[i];
		o->bs_max[i] = (uint32_t)hi[i];
		if (lo[i] == hi[i])
			o->bs[i] = (uint32_t)lo[i];
	}
	return 0;
}

static void print_bsrange(const struct opt_def *d, const struct job_opts *o, char *buf,
			  size_t len)
{
	char txt[DDIR_RWDIR_CNT][PART_MAX];
	bool any = false;

	for (int i = 0; i < DDIR_RWDIR_CNT; i++) {
		char a[64], b[64];

		if (!o->bs_min[i] && !o->bs_max[i]) {
			txt[i][0] = '\0';
			continue;
		}
		any = true;
		fmt_size_exact(a, sizeof(a), o->bs_min[i], kb_of(o));
		fmt_size_exact(b, sizeof(b), o->bs_max[i], kb_of(o));
		snprintf(txt[i], sizeof(txt[i]), "%s-%s", a, b);
	}
	if (!any) {
		snprintf(buf, len, "%s", "");
		return;
	}
	ddir_join(buf, len, txt);
}

/* bssplit=: "bs/pct:bs/pct..." per direction; an empty pct shares what is
 * left evenly; given percentages must total 100. */
static int split_one(const struct opt_def *d, const struct job_opts *o, const char *s,
		     struct bssplit *out, unsigned *nr, char *err, size_t errlen)
{
	char buf[PART_MAX], *save = NULL, *tok;
	double sum = 0;
	unsigned n = 0, blank = 0;

	snprintf(buf, sizeof(buf), "%s", s);
	for (tok = strtok_r(buf, ":", &save); tok; tok = strtok_r(NULL, ":", &save)) {
		char *slash = strchr(tok, '/');
		uint64_t bs;
		double p = 0;

		if (n == BSSPLIT_MAX)
			return fail(err, errlen, "more than %d block sizes", BSSPLIT_MAX);
		if (slash)
			*slash = '\0';
		if (!*tok)
			return fail(err, errlen, "'%s': an entry has no block size (use bs/percent, "
					 "e.g. 4k/50:64k/50)", s);
		if (scalar_u(d, o, tok, &bs, err, errlen))
			return -1;
		if (!bs)
			return fail(err, errlen, "'%s': a block size of 0", s);
		if (slash && slash[1]) {
			if (double_parse(slash + 1, true, &p) || p < 0)
				return fail(err, errlen, "'%s': '%s' is not a percentage", s,
					    slash + 1);
			if (p == 0)
				return fail(err, errlen, "'%s': %s/0 would never be used; drop it",
					    s, tok);
			if (p > 100)
				return fail(err, errlen, "'%s': %s/%s is over 100 percent", s, tok,
					    slash + 1);
		} else {
			blank++;
		}
		sum += p;
		out[n].bs = (uint32_t)bs;
		out[n].perc = p;
		n++;
	}
	if (!n)
		return fail(err, errlen, "'%s' lists no block sizes", s);
	if (sum > 100.0001)
		return fail(err, errlen, "'%s': percentages add to %g, more than 100", s, sum);
	if (!blank && fabs(sum - 100) > 0.0001)
		return fail(err, errlen, "'%s': percentages add to %g, not 100", s, sum);
	*nr = n;
	return 0;
}

static int parse_bssplit(const struct opt_def *d, struct job_opts *o, const char *val,
			 char *err, size_t errlen)
{
	static __thread struct bssplit tmp[DDIR_RWDIR_CNT][BSSPLIT_MAX];
	char part[DDIR_RWDIR_CNT][PART_MAX];
	bool given[DDIR_RWDIR_CNT];
	unsigned nr[DDIR_RWDIR_CNT];

	if (need_val(d, val, err, errlen))
		return -1;
	if (!*val) {
		memset(o->nr_bssplit, 0, sizeof(o->nr_bssplit));
		return 0;
	}
	if (ddir_split(val, part, given, err, errlen))
		return -1;
	for (int i = 0; i < DDIR_RWDIR_CNT; i++)
		if (given[i] && split_one(d, o, part[i], tmp[i], &nr[i], err, errlen))
			return -1;
	for (int i = 0; i < DDIR_RWDIR_CNT; i++) {
		if (!given[i])
			continue;
		memcpy(o->bssplit[i], tmp[i], nr[i] * sizeof(tmp[i][0]));
		o->nr_bssplit[i] = nr[i];
	}
	return 0;
}

static void print_bssplit(const struct opt_def *d, const struct job_opts *o, char *buf,
			  size_t len)
{
	char txt[DDIR_RWDIR_CNT][PART_MAX];
	bool any = false;

	for (int i = 0; i < DDIR_RWDIR_CNT; i++) {
		size_t l = 0;

		txt[i][0] = '\0';
		for (unsigned k = 0; k < o->nr_bssplit[i] && k < BSSPLIT_MAX; k++) {
			char b[64], p[64] = "";

			fmt_size_exact(b, sizeof(b), o->bssplit[i][k].bs, kb_of(o));
			if (o->bssplit[i][k].perc > 0)
				fmt_double(p, sizeof(p), o->bssplit[i][k].perc);
			l += (size_t)snprintf(txt[i] + l, l < PART_MAX ? PART_MAX - l : 0,
					      "%s%s/%s", k ? ":" : "", b, p);
			any = true;
		}
	}
	if (!any) {
		snprintf(buf, len, "%s", "");
		return;
	}
	ddir_join(buf, len, txt);
}

/* ioengine=: must name a registered engine. */
static int parse_ioengine(const struct opt_def *d, struct job_opts *o, const char *val,
			  char *err, size_t errlen)
{
	const struct engine_ops *e;

	if (!val || !*val)
		return fail(err, errlen, "needs an engine name (ioengine=psync)");
	e = engine_find(val);
	if (!e) {
		char list[256];
		size_t l = 0;

		list[0] = '\0';
		for (const struct engine_ops *const *p = engine_list(); p && *p; p++)
			l += (size_t)snprintf(list + l, l < sizeof(list) ? sizeof(list) - l : 0,
					      "%s%s", l ? ", " : "", (*p)->name);
		return fail(err, errlen, "unknown engine '%s' (known: %s)", val, list);
	}
	set_str(&o->ioengine, e->name);
	return 0;
}

/* random_distribution=: random | zipf[:theta] | pareto[:h] | normal[:sigma]
 * | zoned:A/S[:A/S...][,...] | zoned_abs:A/SIZE[:A/SIZE...][,...]. */
static const struct opt_choice dist_choices[] = {
	{ "random", DIST_RANDOM, "uniform over the whole region" },
	{ "zipf", DIST_ZIPF, "zipf:theta (default 1.1; theta > 0, not 1)" },
	{ "pareto", DIST_PARETO, "pareto:h (default 0.2; 0 < h < 1)" },
	{ "normal", DIST_NORMAL, "normal:sigma, percent of the region (default 0; 0..<100)" },
	{ "gauss", DIST_NORMAL, "same as normal" },
	{ "zoned", DIST_ZONED, "zoned:A/S:...: A% of the I/Os over the next S% of the region" },
	{ "zoned_abs", DIST_ZONED_ABS, "zoned_abs:A/SIZE:...: A% of the I/Os over the next SIZE bytes" },
	{ NULL, 0, NULL },
};

static int dist_check(unsigned kind, double v, char *err, size_t errlen)
{
	switch (kind) {
	case DIST_ZIPF:
		if (!(v > 0) || v == 1.0)
			return fail(err, errlen, "zipf theta %g is out of range (above 0, not 1)", v);
		break;
	case DIST_PARETO:
		if (!(v > 0) || !(v < 1))
			return fail(err, errlen, "pareto h %g is out of range (0 < h < 1)", v);
		break;
	case DIST_NORMAL:
		if (v < 0 || !(v < 100))
			return fail(err, errlen, "normal sigma %g is out of range (0 <= sigma < 100)",
				    v);
		break;
	}
	return 0;
}

/* A whole percentage 0..100 into @out; "" leaves *@blank set. 0 or -1. */
static int zone_pct(const char *s, unsigned *out, bool *blank)
{
	char *end;
	unsigned long v;

	*blank = !*s;
	if (!*s)
		return 0;
	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (*end == '%')
		end++;
	if (*end || errno || v > 100)
		return -1;
	*out = (unsigned)v;
	return 0;
}

/* One direction's zone list "A/S:A/S:..." into @z (@n entries). Access
 * shares must add to 100; zoned sizes add to 100 at most and blank ones
 * share what is left; zoned_abs sizes are byte counts. Returns 0 or -1. */
static int zone_list(const struct job_opts *o, const char *s, bool abs, struct zone_split *z,
		     unsigned *n, char *err, size_t errlen)
{
	char item[PART_MAX];
	const char *p = s;
	unsigned nr = 0, acc = 0, sz = 0, acc_blank = 0, sz_blank = 0;
	bool ab[ZONESPLIT_MAX], sb[ZONESPLIT_MAX];

	while (*p) {
		const char *c = strchr(p, ':'), *slash;
		size_t l = c ? (size_t)(c - p) : strlen(p);
		char a[PART_MAX];

		if (nr == ZONESPLIT_MAX)
			return fail(err, errlen, "'%s': more than %d zones", s, ZONESPLIT_MAX);
		snprintf(item, sizeof(item), "%.*s", (int)l, p);
		p = c ? c + 1 : p + l;
		slash = strchr(item, '/');
		if (!slash)
			return fail(err, errlen, "'%s': zone '%s' is not ACCESS/SIZE (e.g. 50/5)", s,
				    item);
		snprintf(a, sizeof(a), "%.*s", (int)(slash - item), item);
		memset(&z[nr], 0, sizeof(z[nr]));
		if (zone_pct(a, &z[nr].access, &ab[nr]))
			return fail(err, errlen, "'%s': access share '%s' is not a whole "
					 "percentage 0..100", s, a);
		sb[nr] = false;
		if (abs) {
			uint64_t v;

			if (!slash[1] || size_parse(slash + 1, kb_of(o), &v))
				return fail(err, errlen, "'%s': zone size '%s' is not a size (e.g. "
						 "10g)", s, slash + 1);
			z[nr].size = v;
		} else if (zone_pct(slash + 1, &z[nr].size_pct, &sb[nr])) {
			return fail(err, errlen, "'%s': zone size '%s' is not a whole percentage "
					 "0..100", s, slash + 1);
		}
		acc += z[nr].access;
		acc_blank += ab[nr];
		sz += z[nr].size_pct;
		sz_blank += sb[nr];
		nr++;
	}
	if (!nr)
		return fail(err, errlen, "'%s' lists no zones", s);
	if (acc > 100 || sz > 100)
		return fail(err, errlen, "'%s': %s shares add to %u, more than 100", s,
			    acc > 100 ? "access" : "size", acc > 100 ? acc : sz);
	if (acc < 100 && !(nr == 1 && acc_blank))
		return fail(err, errlen, "'%s': access shares add to %u, not 100", s, acc);
	for (unsigned i = 0; i < nr; i++) {
		if (ab[i])
			z[i].access = nr == 1 ? 100 : (100 - acc) / acc_blank;
		if (sb[i])
			z[i].size_pct = nr == 1 && !sz ? 100 : (100 - sz) / sz_blank;
	}
	*n = nr;
	return 0;
}

static int parse_zoned(const struct opt_def *d, struct job_opts *o, const char *val,
		       const char *list, bool abs, char *err, size_t errlen)
{
	static __thread struct zone_split tmp[DDIR_RWDIR_CNT][ZONESPLIT_MAX];
	char part[DDIR_RWDIR_CNT][PART_MAX];
	bool given[DDIR_RWDIR_CNT];
	unsigned nr[DDIR_RWDIR_CNT] = { 0 };

	if (!list || !*list)
		return fail(err, errlen, "'%s': needs zones, e.g. %s", val,
			    abs ? "zoned_abs:50/10g:50/90g" : "zoned:50/5:30/15:20/");
	if (ddir_split(list, part, given, err, errlen))
		return -1;
	for (int i = 0; i < DDIR_RWDIR_CNT; i++)
		if (given[i] && zone_list(o, part[i], abs, tmp[i], &nr[i], err, errlen))
			return -1;
	for (int i = 0; i < DDIR_RWDIR_CNT; i++) {
		if (!given[i]) {
			if (o->random_distribution != (abs ? DIST_ZONED_ABS : DIST_ZONED))
				o->nr_zone_split[i] = 0;
			continue;
		}
		memcpy(o->zone_split[i], tmp[i], nr[i] * sizeof(tmp[i][0]));
		o->nr_zone_split[i] = nr[i];
	}
	o->random_distribution = abs ? DIST_ZONED_ABS : DIST_ZONED;
	o->dist_param = 0;
	return 0;
}

static int parse_dist(const struct opt_def *d, struct job_opts *o, const char *val, char *err,
		      size_t errlen)
{
	char name[64];
	const char *colon;
	const struct opt_choice *c;
	double v = 0;

	if (split_suffix(d, val, name, sizeof(name), &colon, err, errlen))
		return -1;
	c = choice_find(dist_choices, name);
	if (!c)
		return choice_fail(d, name, err, errlen);
	if (c->value == DIST_ZONED || c->value == DIST_ZONED_ABS)
		return parse_zoned(d, o, val, colon ? colon + 1 : NULL,
				   c->value == DIST_ZONED_ABS, err, errlen);
	if (c->value == DIST_ZIPF)
		v = 1.1;
	else if (c->value == DIST_PARETO)
		v = 0.2;
	if (colon) {
		if (c->value == DIST_RANDOM)
			return fail(err, errlen, "'%s': random takes no parameter", val);
		if (strchr(colon + 1, ':'))
			return fail(err, errlen, "'%s': a second value (the distribution's "
					 "center) is not supported", val);
		if (double_parse(colon + 1, false, &v))
			return fail(err, errlen, "'%s': '%s' is not a number", val, colon + 1);
	}
	if (dist_check(c->value, v, err, errlen))
		return -1;
	o->random_distribution = (enum rand_dist)c->value;
	o->dist_param = c->value == DIST_RANDOM ? 0 : v;
	memset(o->nr_zone_split, 0, sizeof(o->nr_zone_split));
	return 0;
}

static void print_dist(const struct opt_def *d, const struct job_opts *o, char *buf, size_t len)
{
	const char *name = opt_choice_name(d, o->random_distribution);
	char v[64];

	if (o->random_distribution == DIST_ZONED || o->random_distribution == DIST_ZONED_ABS) {
		char txt[DDIR_RWDIR_CNT][PART_MAX], all[3 * PART_MAX];
		bool abs = o->random_distribution == DIST_ZONED_ABS;

		for (int i = 0; i < DDIR_RWDIR_CNT; i++) {
			size_t l = 0;

			txt[i][0] = '\0';
			for (unsigned k = 0; k < o->nr_zone_split[i] && k < ZONESPLIT_MAX; k++) {
				const struct zone_split *z = &o->zone_split[i][k];
				char sz[64];

				if (abs)
					fmt_size_exact(sz, sizeof(sz), z->size, kb_of(o));
				else
					snprintf(sz, sizeof(sz), "%u", z->size_pct);
				l += (size_t)snprintf(txt[i] + l, l < PART_MAX ? PART_MAX - l : 0,
						      "%s%u/%s", k ? ":" : "", z->access, sz);
			}
		}
		ddir_join(all, sizeof(all), txt);
		snprintf(buf, len, "%s:%s", name, all);
		return;
	}
	if (o->random_distribution == DIST_RANDOM || !name) {
		snprintf(buf, len, "random");
		return;
	}
	fmt_double(v, sizeof(v), o->dist_param);
	snprintf(buf, len, "%s:%s", name, v);
}

/* file_service_type=: roundrobin | sequential | random, each with an
 * optional :N (I/Os to a file before switching, as fio). */
static int parse_fservice(const struct opt_def *d, struct job_opts *o, const char *val,
			  char *err, size_t errlen)
{
	char name[64], *end;
	const char *colon;
	const struct opt_choice *c;
	unsigned long n = 0;

	if (split_suffix(d, val, name, sizeof(name), &colon, err, errlen))
		return -1;
	if (!strcasecmp(name, "zipf") || !strcasecmp(name, "pareto") ||
	    !strcasecmp(name, "normal") || !strcasecmp(name, "gauss"))
		return fail(err, errlen, "'%s': %s file selection is not supported (use "
				 "roundrobin, sequential or random, each with an optional :N)",
			    val, name);
	c = choice_find(d->choices, name);
	if (!c)
		return choice_fail(d, name, err, errlen);
	if (colon) {
		errno = 0;
		n = strtoul(colon + 1, &end, 10);
		if (!isdigit((unsigned char)colon[1]) || *end || errno || !n || n > UINT_MAX)
			return fail(err, errlen, "'%s': '%s' is not a count of I/Os (1 or more)",
				    val, colon + 1);
	}
	o->file_service_type = (enum file_service)c->value;
	o->file_service_nr = (unsigned)n;
	return 0;
}

static void print_fservice(const struct opt_def *d, const struct job_opts *o, char *buf,
			   size_t len)
{
	const char *name = opt_choice_name(d, o->file_service_type);

	if (o->file_service_nr > 1)
		snprintf(buf, len, "%s:%u", name ? name : "?", o->file_service_nr);
	else
		snprintf(buf, len, "%s", name ? name : "?");
}

/* randseed=: a number; "" means not set (the fixed default seed). */
static int parse_randseed(const struct opt_def *d, struct job_opts *o, const char *val,
			  char *err, size_t errlen)
{
	uint64_t v;
	enum num_err e;

	if (need_val(d, val, err, errlen))
		return -1;
	if (!*val) {
		o->randseed = 0;
		o->randseed_set = false;
		return 0;
	}
	e = size_parse(val, kb_of(o), &v);
	if (e)
		return size_fail(e, val, false, err, errlen);
	o->randseed = v;
	o->randseed_set = true;
	return 0;
}

static void print_randseed(const struct opt_def *d, const struct job_opts *o, char *buf,
			   size_t len)
{
	if (o->randseed_set)
		snprintf(buf, len, "%" PRIu64, o->randseed);
	else
		snprintf(buf, len, "%s", "");
}

/* verify_pattern= and buffer_pattern=: concatenated 0xHEX, decimal (up to
 * 32 bits, fewest bytes, big-endian) and "quoted text", into @buf (room for
 * @cap bytes; *@len bytes used). Returns 0 or -1 with a reason. */
static int pattern_bytes(const char *val, uint8_t *buf, size_t cap, unsigned *len, char *err,
			 size_t errlen)
{
	unsigned n = 0;
	const char *p = val;

	while (*p) {
		uint8_t tmp[PART_MAX];
		unsigned tn = 0;

		if (isspace((unsigned char)*p)) {
			p++;
			continue;
		}
		if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
			const char *h = p + 2, *e = h;
			size_t nd;

			while (isxdigit((unsigned char)*e))
				e++;
			nd = (size_t)(e - h);
			if (!nd)
				return fail(err, errlen, "'%s': 0x without hex digits", val);
			if (nd / 2 + 1 > sizeof(tmp))
				return fail(err, errlen, "'%s' is too long", val);
			for (size_t i = 0; i < nd;) {
				char hx[3] = { 0 };

				if (i == 0 && nd % 2) {
					hx[0] = h[0];
					i++;
				} else {
					hx[0] = h[i];
					hx[1] = h[i + 1];
					i += 2;
				}
				tmp[tn++] = (uint8_t)strtoul(hx, NULL, 16);
			}
			p = e;
		} else if (isdigit((unsigned char)*p)) {
			const char *e = p;
			uint64_t v = 0;

			while (isdigit((unsigned char)*e)) {
				v = v * 10 + (uint64_t)(*e - '0');
				if (v > UINT32_MAX)
					return fail(err, errlen, "'%s': decimal values are limited to "
							 "32 bits; use 0x hex for wider patterns", val);
				e++;
			}
			if (v > 0xffffff)
				tn = 4;
			else if (v > 0xffff)
				tn = 3;
			else if (v > 0xff)
				tn = 2;
			else
				tn = 1;
			for (unsigned i = 0; i < tn; i++)
				tmp[i] = (uint8_t)(v >> (8 * (tn - 1 - i)));
			p = e;
		} else if (*p == '"') {
			const char *e = strchr(p + 1, '"');

			if (!e)
				return fail(err, errlen, "'%s': unterminated quoted text", val);
			if ((size_t)(e - p - 1) > sizeof(tmp))
				return fail(err, errlen, "'%s' is too long", val);
			memcpy(tmp, p + 1, (size_t)(e - p - 1));
			tn = (unsigned)(e - p - 1);
			p = e + 1;
		} else if (*p == '%') {
			return fail(err, errlen, "'%s': %%o (offset) patterns are not supported", val);
		} else {
			return fail(err, errlen, "'%s' is not a pattern (use 0x hex, a decimal "
					 "number or \"text\")", val);
		}
		if (n + tn > cap)
			return fail(err, errlen, "'%s' is longer than %zu bytes", val, cap);
		memcpy(buf + n, tmp, tn);
		n += tn;
	}
	*len = n;
	return 0;
}

static int parse_pattern(const struct opt_def *d, struct job_opts *o, const char *val,
			 char *err, size_t errlen)
{
	uint8_t buf[sizeof(o->verify_pattern)];
	unsigned n = 0;

	if (need_val(d, val, err, errlen))
		return -1;
	if (pattern_bytes(val, buf, sizeof(buf), &n, err, errlen))
		return -1;
	memset(o->verify_pattern, 0, sizeof(o->verify_pattern));
	memcpy(o->verify_pattern, buf, n);
	o->verify_pattern_len = n;
	return 0;
}

/* Pattern bytes as one 0x hex string ("" when empty). */
static void print_hex(const uint8_t *p, unsigned n, char *buf, size_t len)
{
	size_t l;

	if (!n || len < 3) {
		snprintf(buf, len, "%s", "");
		return;
	}
	l = (size_t)snprintf(buf, len, "0x");
	for (unsigned i = 0; i < n; i++)
		if (l < len)
			l += (size_t)snprintf(buf + l, len - l, "%02x", p[i]);
}

static void print_pattern(const struct opt_def *d, const struct job_opts *o, char *buf,
			  size_t len)
{
	unsigned n = o->verify_pattern_len;

	print_hex(o->verify_pattern, n < sizeof(o->verify_pattern) ? n : sizeof(o->verify_pattern),
		  buf, len);
}

/* buffer_pattern=: write buffers hold this pattern, repeated. */
static int parse_buffer_pattern(const struct opt_def *d, struct job_opts *o, const char *val,
				char *err, size_t errlen)
{
	static __thread uint8_t buf[BUFFER_PATTERN_MAX];
	unsigned n = 0;

	if (need_val(d, val, err, errlen))
		return -1;
	if (pattern_bytes(val, buf, sizeof(buf), &n, err, errlen))
		return -1;
	memset(o->buffer_pattern, 0, sizeof(o->buffer_pattern));
	memcpy(o->buffer_pattern, buf, n);
	o->buffer_pattern_len = n;
	return 0;
}

static void print_buffer_pattern(const struct opt_def *d, const struct job_opts *o, char *buf,
				 size_t len)
{
	unsigned n = o->buffer_pattern_len;

	print_hex(o->buffer_pattern, n < BUFFER_PATTERN_MAX ? n : BUFFER_PATTERN_MAX, buf, len);
}

/* inject_error=: "EIO:1%,ENOSPC:0.5%"; errno by name or number. */
static const struct {
	const char *name;
	int err;
} errno_names[] = {
	{ "EPERM", EPERM },	  { "ENOENT", ENOENT },	    { "EINTR", EINTR },
	{ "EIO", EIO },		  { "ENXIO", ENXIO },	    { "EBADF", EBADF },
	{ "EAGAIN", EAGAIN },	  { "ENOMEM", ENOMEM },	    { "EACCES", EACCES },
	{ "EFAULT", EFAULT },	  { "EBUSY", EBUSY },	    { "EEXIST", EEXIST },
	{ "ENODEV", ENODEV },	  { "EINVAL", EINVAL },	    { "ENFILE", ENFILE },
	{ "EMFILE", EMFILE },	  { "EFBIG", EFBIG },	    { "ENOSPC", ENOSPC },
	{ "ESPIPE", ESPIPE },	  { "EROFS", EROFS },	    { "EPIPE", EPIPE },
	{ "ERANGE", ERANGE },	  { "EOVERFLOW", EOVERFLOW }, { "EILSEQ", EILSEQ },
	{ "EOPNOTSUPP", EOPNOTSUPP }, { "ETIMEDOUT", ETIMEDOUT }, { "ECANCELED", ECANCELED },
	{ "EDQUOT", EDQUOT },	  { "ENODATA", ENODATA },   { "EMEDIUMTYPE", EMEDIUMTYPE },
	{ "ENOMEDIUM", ENOMEDIUM }, { "EREMOTEIO", EREMOTEIO }, { "EBADMSG", EBADMSG },
};
#define NR_ERRNO_NAMES (sizeof(errno_names) / sizeof(errno_names[0]))

static int errno_parse(const char *s)
{
	char *end;
	long v;

	for (size_t i = 0; i < NR_ERRNO_NAMES; i++)
		if (!strcasecmp(errno_names[i].name, s))
			return errno_names[i].err;
	if (!strcasecmp(s, "ENOTSUP"))
		return EOPNOTSUPP;
	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v <= 0 || v > 4095)
		return -1;
	return (int)v;
}

static const char *errno_name(int e)
{
	for (size_t i = 0; i < NR_ERRNO_NAMES; i++)
		if (errno_names[i].err == e)
			return errno_names[i].name;
	return NULL;
}

static int parse_inject_error(const struct opt_def *d, struct job_opts *o, const char *val,
			      char *err, size_t errlen)
{
	struct inject_error tmp[INJECT_MAX];
	char buf[PART_MAX], *save = NULL, *tok;
	unsigned n = 0;
	double sum = 0;

	if (need_val(d, val, err, errlen))
		return -1;
	if (strlen(val) >= sizeof(buf))
		return fail(err, errlen, "value too long");
	snprintf(buf, sizeof(buf), "%s", val);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *colon = strchr(tok, ':');
		double p = 0;
		int e;

		while (isspace((unsigned char)*tok))
			tok++;
		if (n == INJECT_MAX)
			return fail(err, errlen, "more than %d errors listed", INJECT_MAX);
		if (colon)
			*colon = '\0';
		e = errno_parse(tok);
		if (e < 0)
			return fail(err, errlen, "'%s' is not an errno (use a name like EIO or a "
					 "number)", tok);
		if (colon) {
			if (double_parse(colon + 1, true, &p) || !(p > 0) || p > 100)
				return fail(err, errlen, "'%s': the percentage must be above 0 and at "
						 "most 100", colon + 1);
		}
		tmp[n].err = e;
		tmp[n].perc = p;
		sum += p ? p : 100;
		n++;
	}
	if (n > 1 && sum > 100.0001)
		return fail(err, errlen, "'%s': percentages add to %g, more than 100 (an entry "
				 "without one counts as 100)", val, sum);
	memcpy(o->inject_error, tmp, n * sizeof(tmp[0]));
	o->nr_inject_error = n;
	return 0;
}

static void print_inject_error(const struct opt_def *d, const struct job_opts *o, char *buf,
			       size_t len)
{
	size_t l = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < o->nr_inject_error && i < INJECT_MAX; i++) {
		const char *name = errno_name(o->inject_error[i].err);
		char num[32], p[64] = "";

		if (!name) {
			snprintf(num, sizeof(num), "%d", o->inject_error[i].err);
			name = num;
		}
		if (o->inject_error[i].perc > 0) {
			p[0] = ':';
			fmt_double(p + 1, sizeof(p) - 2, o->inject_error[i].perc);
			strcat(p, "%");
		}
		if (l < len)
			l += (size_t)snprintf(buf + l, len - l, "%s%s%s", i ? "," : "", name, p);
	}
}

/* ignore_error=: "READ,WRITE,VERIFY" lists of ':'-separated errnos (names
 * like EIO or numbers, a minus sign ignored as fio), an empty list leaving
 * its type alone. */
static int parse_ignore_error(const struct opt_def *d, struct job_opts *o, const char *val,
			      char *err, size_t errlen)
{
	int tmp[ERRT_NR][IGNORE_ERR_MAX];
	unsigned nr[ERRT_NR] = { 0 };
	const char *p;
	int t = 0;

	if (need_val(d, val, err, errlen))
		return -1;
	for (p = val; *p == ' ' || *p == '\t'; p++)
		;
	while (*p) {
		size_t n = strcspn(p, ":,");
		char name[64];
		int e;

		if (n) {
			if (t >= ERRT_NR)
				return fail(err, errlen, "'%s': three lists at most (read,write,verify)",
					    val);
			if (nr[t] == IGNORE_ERR_MAX)
				return fail(err, errlen, "more than %d errors in one list",
					    IGNORE_ERR_MAX);
			snprintf(name, sizeof(name), "%.*s", (int)(n < 63 ? n : 63), p);
			e = errno_parse(name[0] == '-' ? name + 1 : name);
			if (e <= 0)
				return fail(err, errlen, "'%s' is not an errno (use a name like EIO "
						 "or a number)", name);
			tmp[t][nr[t]++] = e;
		}
		p += n;
		if (*p == ',')
			t++;
		if (*p)
			p++;
	}
	memcpy(o->ignore_error, tmp, sizeof(tmp));
	memcpy(o->nr_ignore_error, nr, sizeof(nr));
	return 0;
}

static void print_ignore_error(const struct opt_def *d, const struct job_opts *o, char *buf,
			       size_t len)
{
	size_t l = 0;
	int last = -1;

	buf[0] = '\0';
	for (int t = 0; t < ERRT_NR; t++)
		if (o->nr_ignore_error[t])
			last = t;
	for (int t = 0; t <= last && l < len; t++) {
		if (t)
			l += (size_t)snprintf(buf + l, len - l, ",");
		for (unsigned i = 0; i < o->nr_ignore_error[t] && l < len; i++) {
			const char *name = errno_name(o->ignore_error[t][i]);

			if (name)
				l += (size_t)snprintf(buf + l, len - l, "%s%s", i ? ":" : "", name);
			else
				l += (size_t)snprintf(buf + l, len - l, "%s%d", i ? ":" : "",
						      o->ignore_error[t][i]);
		}
	}
}

/* inject_delay=: "TIME[:PERCENT%]"; the percentage also sets
 * inject_delay_perc. */
/* percentile_list=99:99.9:99.99 (fio's colon-separated list) */
static int parse_percentile_list(const struct opt_def *d, struct job_opts *o, const char *val,
				 char *err, size_t errlen)
{
	double v[PCT_LIST_MAX];
	unsigned n = 0;
	char buf[512], *save = NULL;

	(void)d;
	if (!val)
		return fail(err, errlen, "needs a value (percentile_list=99:99.9)");
	if (!*val) { /* fio's default list */
		o->nr_percentile_list = 0;
		return 0;
	}
	if (strlen(val) >= sizeof(buf))
		return fail(err, errlen, "value is too long");
	strcpy(buf, val);
	for (char *t = strtok_r(buf, ":", &save); t; t = strtok_r(NULL, ":", &save)) {
		if (n == PCT_LIST_MAX)
			return fail(err, errlen, "more than %d percentiles", PCT_LIST_MAX);
		if (double_parse(t, true, &v[n]) || v[n] < 0 || v[n] > 100)
			return fail(err, errlen, "'%s' is not a percentile (0..100)", t);
		n++;
	}
	if (!n)
		return fail(err, errlen, "needs at least one percentile");
	memcpy(o->percentile_list, v, n * sizeof(v[0]));
	o->nr_percentile_list = n;
	return 0;
}

static void print_percentile_list(const struct opt_def *d, const struct job_opts *o, char *buf,
				  size_t len)
{
	size_t l = 0;

	(void)d;
	buf[0] = '\0';
	for (unsigned i = 0; i < o->nr_percentile_list && l < len; i++) {
		char one[32];

		fmt_double(one, sizeof(one), o->percentile_list[i]);
		l += (size_t)snprintf(buf + l, len - l, "%s%s", i ? ":" : "", one);
	}
}

/* cpus_allowed=0-3,6: checked here, applied by the worker */
int opts_cpus_split(cpu_set_t *set, unsigned index)
{
	int count = CPU_COUNT(set), k = 0;

	if (!count)
		return 0;
	index %= (unsigned)count;
	for (int c = 0; c < CPU_SETSIZE; c++) {
		if (!CPU_ISSET(c, set))
			continue;
		if ((unsigned)k++ != index)
			CPU_CLR(c, set);
	}
	return CPU_COUNT(set);
}

/* numa_cpu_nodes=: "all" or a node list in the CPU-list syntax */
static int parse_numa_nodes(const struct opt_def *d, struct job_opts *o, const char *val,
			    char *err, size_t errlen)
{
	cpu_set_t set;

	if (!val)
		return fail(err, errlen, "needs a value (%s=0-1 or all)", d->name);
	if (!*val) { /* no binding: the default */
		set_str((char **)field(o, d), NULL);
		return 0;
	}
	if (strcasecmp(val, "all") && opts_cpu_list(val, &set))
		return fail(err, errlen, "'%s' is not a node list (e.g. 0-1,3) nor 'all'", val);
	set_str((char **)field(o, d), val);
	return 0;
}

static int parse_cpu_list(const struct opt_def *d, struct job_opts *o, const char *val,
			  char *err, size_t errlen)
{
	cpu_set_t set;

	if (!val)
		return fail(err, errlen, "needs a value (%s=0-3,6)", d->name);
	if (!*val) { /* no restriction: the default */
		set_str((char **)field(o, d), NULL);
		return 0;
	}
	if (opts_cpu_list(val, &set))
		return fail(err, errlen, "'%s' is not a CPU list (e.g. 0-3,6)", val);
	set_str((char **)field(o, d), val);
	return 0;
}

int opts_cpu_list(const char *s, cpu_set_t *set)
{
	CPU_ZERO(set);
	while (*s) {
		char *end;
		unsigned long a, b;

		if (!isdigit((unsigned char)*s))
			return -1;
		a = strtoul(s, &end, 10);
		b = a;
		if (*end == '-') {
			s = end + 1;
			if (!isdigit((unsigned char)*s))
				return -1;
			b = strtoul(s, &end, 10);
		}
		if (a > b || b >= CPU_SETSIZE)
			return -1;
		for (unsigned long c = a; c <= b; c++)
			CPU_SET(c, set);
		s = end;
		if (*s == ',')
			s++;
		else if (*s)
			return -1;
	}
	return CPU_COUNT(set) ? 0 : -1;
}

#define COMPAT(n, i, why)                                                               \
	{ .name = n, .type = OPT_STR, .off = S(compat[i]), .group = GRP_JOB,          \
	  .flags = OPTF_COMPAT | OPTF_BARE_ONE, .units = "ignored", .help = why }

static int parse_inject_delay(const struct opt_def *d, struct job_opts *o, const char *val,
			      char *err, size_t errlen)
{
	char t[PART_MAX];
	const char *colon;
	uint64_t us;
	double p = o->inject_delay_perc;

	if (need_val(d, val, err, errlen))
		return -1;
	colon = strchr(val, ':');
	snprintf(t, sizeof(t), "%.*s", colon ? (int)(colon - val) : (int)strlen(val), val);
	if (scalar_u(d, o, t, &us, err, errlen))
		return -1;
	if (colon && (double_parse(colon + 1, true, &p) || p < 0 || p > 100))
		return fail(err, errlen, "'%s': the percentage must be 0..100", colon + 1);
	o->inject_delay_us = us;
	o->inject_delay_perc = p;
	return 0;
}

static void print_inject_delay(const struct opt_def *d, const struct job_opts *o, char *buf,
			       size_t len)
{
	fmt_time_exact(buf, len, o->inject_delay_us, d->time_unit_us);
}

/* ------------------------------------------------------------ choices */

static const struct opt_choice randgen_choices[] = {
	{ "tausworthe", RANDGEN_TAUSWORTHE, "iolab's 64-bit generator (fio's default name)" },
	{ "lfsr", RANDGEN_LFSR, "each block once a pass, in a scrambled order, without a random map" },
	{ "tausworthe64", RANDGEN_TAUSWORTHE64, "same as tausworthe in iolab (always 64-bit)" },
	{ NULL, 0, NULL },
};

static const struct opt_choice zonemode_choices[] = {
	{ "none", ZONEMODE_NONE, "no zones: the whole region" },
	{ "strided", ZONEMODE_STRIDED, "zonesize bytes per zonerange, then skip zoneskip" },
	{ "zbd", ZONEMODE_ZBD, "zoned block device rules (not supported by iolab)" },
	{ NULL, 0, NULL },
};

static const struct opt_choice dedupe_choices[] = {
	{ "repeat", DEDUPE_REPEAT, "a deduplicated write repeats the last unique one" },
	{ "working_set", DEDUPE_WORKING_SET,
	  "a deduplicated write repeats one of a working set of blocks" },
	{ NULL, 0, NULL },
};

static const struct opt_choice kb_choices[] = {
	{ "1024", 1024, "k means 1024 (fio's default; 'KiB' means 1000)" },
	{ "1000", 1000, "k means 1000 ('KiB' means 1024)" },
	{ NULL, 0, NULL },
};
static const struct opt_choice fservice_choices[] = {
	{ "roundrobin", FSERVICE_ROUNDROBIN, "one I/O per file in turn" },
	{ "sequential", FSERVICE_SEQUENTIAL, "finish a file before the next" },
	{ "random", FSERVICE_RANDOM, "a random file for each I/O" },
	{ NULL, 0, NULL },
};
static const struct opt_choice submit_choices[] = {
	{ "inline", SUBMIT_INLINE, "the job's thread submits and reaps" },
	{ "offload", SUBMIT_OFFLOAD, "a submit thread queues; the job's thread reaps" },
	{ NULL, 0, NULL },
};
static const struct opt_choice rate_process_choices[] = {
	{ "linear", RATE_LINEAR, "evenly spaced I/Os" },
	{ "poisson", RATE_POISSON, "exponentially distributed gaps (same mean rate)" },
	{ NULL, 0, NULL },
};
static const struct opt_choice verify_choices[] = {
	{ "0", VERIFY_NONE, "no verification" },
	{ "none", VERIFY_NONE, "same as 0" },
	{ "crc32c", VERIFY_CRC32C, "CRC32C checksum per block" },
	{ "crc32c-intel", VERIFY_CRC32C, "same as crc32c" },
	{ "md5", VERIFY_MD5, "MD5 digest per block" },
	{ "xxhash", VERIFY_XXHASH, "xxHash per block" },
	{ "sha256", VERIFY_SHA256, "SHA-256 digest per block" },
	{ "pattern", VERIFY_PATTERN, "compare against verify_pattern" },
	{ "meta", VERIFY_META, "a header per block (offset, generation, job), data unchecked" },
	{ NULL, 0, NULL },
};
static const struct opt_choice unified_choices[] = {
	{ "none", UNIFIED_NONE, "each direction reported apart" },
	{ "mixed", UNIFIED_MIXED, "all directions summed into one 'mixed' entry instead" },
	{ "both", UNIFIED_BOTH, "each direction, then the 'mixed' entry" },
	{ "0", UNIFIED_NONE, "same as none" },
	{ "1", UNIFIED_MIXED, "same as mixed" },
	{ "2", UNIFIED_BOTH, "same as both" },
	{ NULL, 0, NULL },
};

static const struct opt_choice exit_what_choices[] = {
	{ "group", EXIT_GROUP, "stop the rest of the ending job's group" },
	{ "stonewall", EXIT_STONEWALL, "stop every running job; later groups still run" },
	{ "all", EXIT_ALL, "stop everything; later groups do not start" },
	{ NULL, 0, NULL },
};

static const struct opt_choice cpus_policy_choices[] = {
	{ "shared", CPUS_SHARED, "every job may run on every CPU of cpus_allowed" },
	{ "split", CPUS_SPLIT, "each job runs on one CPU of the set, in turn" },
	{ NULL, 0, NULL },
};

static const struct opt_choice coe_choices[] = {
	{ "none", 0, "stop on the first error" },
	{ "read", COE_READ, "continue on read errors" },
	{ "write", COE_WRITE, "continue on write errors" },
	{ "io", COE_IO, "continue on any I/O error" },
	{ "verify", COE_VERIFY, "continue on verify mismatches" },
	{ "all", COE_ALL, "continue on any error" },
	{ "0", 0, "same as none" },
	{ "1", COE_ALL, "same as all" },
	{ NULL, 0, NULL },
};

static const struct opt_choice cpumode_choices[] = {
	{ "noop", CPU_NOOP, "spin: burn cycles and nothing else" },
	{ "qsort", CPU_QSORT, "sort an array in memory: caches and memory too" },
	{ NULL, 0, NULL },
};
static const struct opt_choice stat_type_choices[] = {
	{ "stat", STAT_STAT, "stat(2)" },
	{ "lstat", STAT_LSTAT, "lstat(2)" },
	{ "statx", STAT_STATX, "statx(2) of the basic fields" },
	{ NULL, 0, NULL },
};

/* -------------------------------------------------------------- table */

#define S(f) OFF(f)
#define KB 1024LL
#define MAXBS (2LL * 1024 * 1024 * 1024)

const struct opt_def opt_table[] = {
	/* job */
	{ .name = "name", .type = OPT_STR, .off = S(name), .group = GRP_JOB, .units = "text",
	  .help = "Job name (defaults to the section name); shown in reports and logs" },
	{ .name = "description", .type = OPT_STR, .off = S(description), .group = GRP_JOB,
	  .units = "text", .flags = OPTF_MULTILINE, .help = "Free text describing the job, printed before it runs" },
	{ .name = "kb_base", .type = OPT_ENUM, .off = S(kb_base), .def = "1024",
	  .group = GRP_JOB, .choices = kb_choices,
	  .help = "Meaning of k/m/g in sizes: 1024 (default, fio compatible) or 1000 (SI)" },
	{ .name = "numjobs", .type = OPT_UINT, .off = S(numjobs), .def = "1", .min = 1,
	  .max = 4096, .group = GRP_JOB, .units = "jobs",
	  .help = "Run this many identical copies of the job, each with its own file" },
	{ .name = "stonewall", .alias = "wait_for_previous", .type = OPT_BOOL,
	  .off = S(stonewall), .group = GRP_JOB,
	  .help = "Wait for all earlier jobs to finish before starting; starts a new group" },
	{ .name = "new_group", .type = OPT_BOOL, .off = S(new_group), .group = GRP_JOB,
	  .help = "Start a new reporting group with this job (without waiting)" },
	{ .name = "group_reporting", .type = OPT_BOOL, .off = S(group_reporting),
	  .group = GRP_JOB, .help = "Report the jobs of a group as one, summed" },
	{ .name = "thread", .type = OPT_BOOL, .off = S(thread), .group = GRP_JOB,
	  .help = "Run jobs as threads (iolab always does; accepted for fio files)" },
	{ .name = "wait_for", .type = OPT_STR, .off = S(wait_for), .group = GRP_JOB,
	  .units = "job name", .help = "Start only after the named earlier job has finished" },
	{ .name = "exitall", .type = OPT_BOOL, .off = S(exitall), .group = GRP_JOB,
	  .help = "When this job finishes, stop all other jobs" },
	{ .name = "exitall_on_error", .type = OPT_BOOL, .off = S(exitall_on_error),
	  .group = GRP_JOB, .help = "When this job fails, stop all other jobs" },
	{ .name = "exit_what", .type = OPT_ENUM, .off = S(exit_what), .def = "group",
	  .group = GRP_JOB, .choices = exit_what_choices,
	  .help = "Which jobs exitall stops when this job ends: group, stonewall or all" },
	{ .name = "exec_prerun", .type = OPT_STR, .off = S(exec_prerun), .group = GRP_JOB,
	  .units = "command",
	  .help = "Shell command run before the job (only with --allow-exec)" },
	{ .name = "exec_postrun", .type = OPT_STR, .off = S(exec_postrun), .group = GRP_JOB,
	  .units = "command",
	  .help = "Shell command run after the job (only with --allow-exec)" },

	/* engine */
	{ .name = "ioengine", .type = OPT_STR, .off = S(ioengine), .def = "psync",
	  .group = GRP_ENGINE, .units = "engine", .parse = parse_ioengine,
	  .syntax = "null, sync, psync, pvsync, pvsync2, posixaio, libaio, io_uring, mmap, "
		    "splice, falloc, ftruncate, filecreate, filestat, filedelete or cpuio",
	  .help = "How I/O is issued: psync (pread/pwrite), libaio, io_uring, mmap, null..." },
	{ .name = "direct", .type = OPT_BOOL, .off = S(direct), .group = GRP_ENGINE,
	  .help = "Use O_DIRECT: bypass the page cache (needs aligned sizes)" },
	{ .name = "buffered", .type = OPT_CUSTOM, .off = S(direct), .group = GRP_ENGINE,
	  .parse = parse_buffered, .print = print_buffered, .syntax = "bool",
	  .help = "Go through the page cache; the inverse of direct" },
	{ .name = "fixedbufs", .type = OPT_BOOL, .off = S(fixedbufs), .group = GRP_ENGINE,
	  .flags = OPTF_URING, .help = "io_uring: register the I/O buffers with the kernel" },
	{ .name = "registerfiles", .type = OPT_BOOL, .off = S(registerfiles),
	  .group = GRP_ENGINE, .flags = OPTF_URING,
	  .help = "io_uring: register the files with the kernel" },
	{ .name = "sqthread_poll", .type = OPT_BOOL, .off = S(sqthread_poll),
	  .group = GRP_ENGINE, .flags = OPTF_URING,
	  .help = "io_uring: a kernel thread polls the submission queue (SQPOLL)" },
	{ .name = "sqthread_poll_cpu", .type = OPT_INT, .off = S(sqthread_poll_cpu), .def = "-1",
	  .min = -1, .max = 65535, .group = GRP_ENGINE, .units = "cpu", .flags = OPTF_URING,
	  .help = "io_uring: CPU for the SQPOLL thread (-1: any)" },
	{ .name = "hipri", .type = OPT_BOOL, .off = S(hipri), .group = GRP_ENGINE,
	  .engines = "io_uring:pvsync2",
	  .help = "Polled completions: io_uring IOPOLL, pvsync2 RWF_HIPRI (needs direct=1)" },
	{ .name = "hipri_percentage", .type = OPT_UINT, .off = S(hipri_percentage), .def = "100",
	  .min = 0, .max = 100, .group = GRP_ENGINE, .units = "percent", .engines = "pvsync2",
	  .help = "pvsync2 with hipri: this share of the I/Os, picked at random, are polled" },
	{ .name = "uncached", .type = OPT_UINT, .off = S(uncached), .group = GRP_ENGINE,
	  .engines = "pvsync2:io_uring",
	  .help = "Buffered I/O that leaves no pages cached (RWF_DONTCACHE, Linux 6.14+); "
		  "not with direct=1" },
	{ .name = "nowait", .type = OPT_BOOL, .off = S(nowait), .group = GRP_ENGINE,
	  .engines = "pvsync2:io_uring:libaio",
	  .help = "Fail an I/O with EAGAIN rather than block (RWF_NOWAIT)" },
	{ .name = "cpuload", .type = OPT_UINT, .off = S(cpuload), .group = GRP_ENGINE,
	  .units = "percent", .engines = "cpuio",
	  .help = "cpuio: busy this share of one CPU (needed; above 100 means 100)" },
	{ .name = "cpuchunks", .type = OPT_UINT, .off = S(cpuchunks), .def = "50000", .min = 1,
	  .group = GRP_ENGINE, .units = "usec", .engines = "cpuio",
	  .help = "cpuio: CPU time burnt per I/O; the idle time after it follows cpuload" },
	{ .name = "cpumode", .type = OPT_ENUM, .off = S(cpumode), .def = "noop",
	  .group = GRP_ENGINE, .choices = cpumode_choices, .engines = "cpuio",
	  .help = "cpuio: how the CPU is kept busy" },
	{ .name = "exit_on_io_done", .type = OPT_BOOL, .off = S(exit_on_io_done),
	  .group = GRP_ENGINE, .engines = "cpuio",
	  .help = "cpuio: end when every job that does I/O has ended" },
	{ .name = "stat_type", .type = OPT_ENUM, .off = S(stat_type), .def = "stat",
	  .group = GRP_ENGINE, .choices = stat_type_choices, .engines = "filestat",
	  .help = "filestat: the call each file is looked up with" },
	{ .name = "mmap_msync", .type = OPT_BOOL, .off = S(mmap_msync), .group = GRP_ENGINE,
	  .flags = OPTF_IOLAB,
	  .help = "mmap engine: msync the mapped range after each write (iolab option)" },

	/* target */
	{ .name = "filename", .type = OPT_STR, .off = S(filename), .group = GRP_TARGET,
	  .units = "path", .syntax = "path[:path...] ('\\:' for a colon in a name)",
	  .help = "File(s) or device(s) to use; ':' separates several (default: made up)" },
	{ .name = "filename_format", .type = OPT_STR, .off = S(filename_format),
	  .group = GRP_TARGET, .units = "format",
	  .help = "Names of made-up files from $jobname, $jobnum (clone), $filenum "
		  "(default $jobname.$jobnum.$filenum)" },
	{ .name = "directory", .type = OPT_STR, .off = S(directory), .group = GRP_TARGET,
	  .units = "path", .help = "Directory for the job's files (prefixes relative filenames)" },
	{ .name = "size", .type = OPT_SIZE_PCT, .off = S(size), .def = "0", .group = GRP_TARGET,
	  .units = "bytes", .parse = parse_size_pct, .print = print_size_pct,
	  .syntax = "size or N%",
	  .help = "Bytes of I/O per job, or N% of the file/device (0: the file's size)" },
	{ .name = "filesize", .type = OPT_SIZE, .off = S(filesize), .def = "0",
	  .group = GRP_TARGET, .units = "bytes",
	  .help = "Size of each file (0: size divided by nrfiles)" },
	{ .name = "offset", .type = OPT_SIZE_PCT, .off = S(offset), .def = "0",
	  .group = GRP_TARGET, .units = "bytes", .parse = parse_size_pct,
	  .print = print_size_pct, .syntax = "size or N%",
	  .help = "Start I/O at this byte offset (or N% into the file)" },
	{ .name = "offset_increment", .type = OPT_SIZE, .off = S(offset_increment), .def = "0",
	  .group = GRP_TARGET, .units = "bytes",
	  .help = "Extra offset per numjobs clone: clone k starts at offset + k*this" },
	{ .name = "io_size", .alias = "io_limit", .type = OPT_SIZE, .off = S(io_size),
	  .def = "0", .group = GRP_TARGET, .units = "bytes",
	  .help = "Bytes of I/O to do, wrapping over the region (0: same as size)" },
	{ .name = "number_ios", .type = OPT_U64, .off = S(number_ios), .def = "0",
	  .group = GRP_TARGET, .units = "I/Os",
	  .help = "End each loop after this many I/Os (0: no limit; time_based ignores it, as fio)" },
	{ .name = "nrfiles", .type = OPT_UINT, .off = S(nrfiles), .def = "1", .min = 1,
	  .max = 65536, .group = GRP_TARGET, .units = "files",
	  .help = "Number of files per job (size is split between them)" },
	{ .name = "file_service_type", .type = OPT_CUSTOM, .off = S(file_service_type),
	  .def = "roundrobin", .group = GRP_TARGET, .choices = fservice_choices,
	  .parse = parse_fservice, .print = print_fservice,
	  .syntax = "roundrobin|sequential|random[:N]",
	  .help = "How the next file is picked when a job has several (:N I/Os per turn)" },
	{ .name = "create_serialize", .type = OPT_BOOL, .off = S(create_serialize), .def = "1",
	  .group = GRP_TARGET, .help = "Lay out the jobs' files one at a time" },
	{ .name = "allow_mounted_write", .type = OPT_BOOL, .off = S(allow_mounted_write),
	  .group = GRP_TARGET,
	  .help = "Allow writing to a block device that is mounted or holds a filesystem" },
	{ .name = "fill_device", .alias = "fill_fs", .type = OPT_BOOL, .off = S(fill_device),
	  .group = GRP_TARGET, .help = "Write until the device or filesystem is full (ENOSPC)" },

	/* workload */
	{ .name = "rw", .alias = "readwrite", .type = OPT_CUSTOM, .off = S(rw), .def = "read",
	  .group = GRP_WORKLOAD, .choices = rw_choices, .parse = parse_rw, .print = print_rw,
	  .syntax = "pattern[:N|:-N]",
	  .help = "I/O pattern; ':N' adds N-byte holes (sequential) or N I/Os per offset (random)" },
	{ .name = "rwmixread", .type = OPT_UINT, .off = S(rwmixread), .def = "50", .max = 100,
	  .group = GRP_WORKLOAD, .units = "percent", .flags = OPTF_LIVE,
	  .help = "Percentage of reads in a mixed (rw, randrw) workload" },
	{ .name = "rwmixwrite", .type = OPT_UINT, .off = S(rwmixread), .max = 100,
	  .group = GRP_WORKLOAD, .units = "percent", .parse = parse_rwmixwrite,
	  .print = print_rwmixwrite, .flags = OPTF_LIVE,
	  .help = "Percentage of writes in a mixed workload (sets rwmixread to 100 minus it)" },
	{ .name = "bs", .alias = "blocksize", .type = OPT_SIZE, .off = S(bs), .def = "4k",
	  .min = 1, .max = MAXBS, .group = GRP_WORKLOAD, .units = "bytes", .per_ddir = true,
	  .elem_size = sizeof(uint32_t), .parse = parse_bs, .syntax = "size[,size][,size]",
	  .flags = OPTF_LIVE,
	  .help = "Block size of each I/O; 'r,w,t' gives reads, writes and trims their own" },
	{ .name = "bsrange", .alias = "blocksize_range", .type = OPT_CUSTOM, .off = S(bs_min),
	  .elem_size = sizeof(uint32_t), .min = 1, .max = MAXBS, .group = GRP_WORKLOAD, .units = "bytes", .per_ddir = true,
	  .parse = parse_bsrange, .print = print_bsrange,
	  .syntax = "min-max[,min-max][,min-max]",
	  .help = "Block sizes drawn at random between min and max (multiples of min)" },
	{ .name = "bssplit", .type = OPT_CUSTOM, .off = S(bssplit), .min = 1, .max = MAXBS,
	  .elem_size = sizeof(uint32_t),
	  .group = GRP_WORKLOAD, .units = "bytes", .per_ddir = true, .parse = parse_bssplit,
	  .print = print_bssplit, .syntax = "bs/pct[:bs/pct...][,...]",
	  .help = "Weighted block sizes, e.g. 4k/10:64k/90; a blank percentage shares the rest" },
	{ .name = "blockalign", .alias = "ba", .type = OPT_SIZE, .off = S(blockalign),
	  .def = "0", .max = MAXBS, .group = GRP_WORKLOAD, .units = "bytes", .per_ddir = true,
	  .elem_size = sizeof(uint32_t), .syntax = "size[,size][,size]",
	  .help = "Align random offsets to this boundary (0: the minimum block size)" },
	{ .name = "randrepeat", .type = OPT_BOOL, .off = S(randrepeat), .def = "1",
	  .group = GRP_WORKLOAD,
	  .help = "Seed the random generators the same way on every run (repeatable)" },
	{ .name = "randseed", .type = OPT_CUSTOM, .off = S(randseed), .group = GRP_WORKLOAD,
	  .units = "seed", .parse = parse_randseed, .print = print_randseed, .syntax = "int",
	  .help = "Seed for the random generators (empty: the fixed default seed)" },
	{ .name = "norandommap", .type = OPT_BOOL, .off = S(norandommap), .group = GRP_WORKLOAD,
	  .help = "Pick random offsets without tracking coverage (blocks may repeat or be missed)" },
	{ .name = "random_distribution", .type = OPT_CUSTOM, .off = S(random_distribution),
	  .def = "random", .group = GRP_WORKLOAD, .choices = dist_choices, .parse = parse_dist,
	  .print = print_dist,
	  .syntax = "random|zipf[:theta]|pareto[:h]|normal[:sigma] or "
		    "zoned:A/S[:A/S...]|zoned_abs:A/SIZE[:A/SIZE...] (zones: 'r,w,t' per direction)",
	  .help = "Shape of random offsets: uniform, a hot set (zipf, pareto, normal), or "
		  "zones (zoned, zoned_abs)" },
	{ .name = "random_generator", .type = OPT_ENUM, .off = S(random_generator),
	  .def = "tausworthe", .group = GRP_WORKLOAD, .choices = randgen_choices,
	  .help = "Generator of uniform random offsets; lfsr touches each block once a pass "
		  "without a random map" },
	{ .name = "zonemode", .type = OPT_ENUM, .off = S(zonemode), .def = "none",
	  .group = GRP_WORKLOAD, .choices = zonemode_choices,
	  .help = "strided: do zonesize bytes in each zone of zonerange bytes, then skip "
		  "zoneskip bytes (one file only)" },
	{ .name = "zonesize", .type = OPT_SIZE, .off = S(zone_size), .def = "0",
	  .group = GRP_WORKLOAD, .units = "bytes",
	  .help = "zonemode=strided: bytes of I/O in a zone before moving to the next" },
	{ .name = "zonerange", .type = OPT_SIZE, .off = S(zone_range), .def = "0",
	  .group = GRP_WORKLOAD, .units = "bytes",
	  .help = "zonemode=strided: length of a zone (0: zonesize)" },
	{ .name = "zoneskip", .type = OPT_SIZE, .off = S(zone_skip), .def = "0",
	  .group = GRP_WORKLOAD, .units = "bytes",
	  .help = "zonemode=strided: bytes skipped between the end of a zone and the next" },
	{ .name = "serialize_overlap", .type = OPT_BOOL, .off = S(serialize_overlap),
	  .group = GRP_QUEUE,
	  .help = "Never queue an I/O that overlaps one still in flight; wait for it first" },
	{ .name = "buffer_pattern", .type = OPT_CUSTOM, .off = S(buffer_pattern),
	  .group = GRP_WORKLOAD, .parse = parse_buffer_pattern, .print = print_buffer_pattern,
	  .syntax = "0xhex|decimal|\"text\" (concatenated)",
	  .help = "Fill write buffers with this pattern, repeated (up to 512 bytes)" },
	{ .name = "dedupe_percentage", .type = OPT_UINT, .off = S(dedupe_percentage),
	  .def = "0", .max = 100, .group = GRP_WORKLOAD, .units = "percent",
	  .help = "Share of writes whose data repeats earlier data (for deduplicating storage)" },
	{ .name = "dedupe_mode", .type = OPT_ENUM, .off = S(dedupe_mode), .def = "repeat",
	  .group = GRP_WORKLOAD, .choices = dedupe_choices,
	  .help = "What a deduplicated write repeats: the last unique block, or one of a "
		  "working set" },
	{ .name = "dedupe_working_set_percentage", .type = OPT_UINT,
	  .off = S(dedupe_working_set_percentage), .def = "5", .max = 100,
	  .group = GRP_WORKLOAD, .units = "percent",
	  .help = "dedupe_mode=working_set: the working set, as a share of the region's blocks" },
	{ .name = "dedupe_global", .type = OPT_BOOL, .off = S(dedupe_global),
	  .group = GRP_WORKLOAD,
	  .help = "dedupe_mode=working_set: the jobs draw duplicates from one shared working set" },
	{ .name = "flow_id", .type = OPT_UINT, .off = S(flow_id), .def = "0",
	  .group = GRP_RATE, .units = "id",
	  .help = "Flow this job belongs to, for flow= (default 0: one flow for all)" },
	{ .name = "flow", .type = OPT_UINT, .off = S(flow), .def = "0", .max = 1000,
	  .group = GRP_RATE, .units = "weight",
	  .help = "Weight in its flow: jobs of a flow issue I/Os in the ratio of their weights "
		  "(0: not in a flow)" },
	{ .name = "flow_sleep", .type = OPT_UINT, .off = S(flow_sleep_us), .def = "0",
	  .group = GRP_RATE, .units = "usec",
	  .help = "How long a job held back by its flow waits before trying again "
		  "(0: yields the CPU and retries)" },
	{ .name = "fsync", .type = OPT_UINT, .off = S(fsync_blocks), .def = "0",
	  .group = GRP_WORKLOAD, .units = "writes",
	  .help = "Issue an fsync after every N writes (0: never)" },
	{ .name = "fdatasync", .type = OPT_UINT, .off = S(fdatasync_blocks), .def = "0",
	  .group = GRP_WORKLOAD, .units = "writes",
	  .help = "Issue an fdatasync after every N writes (0: never)" },
	{ .name = "end_fsync", .type = OPT_BOOL, .off = S(end_fsync), .group = GRP_WORKLOAD,
	  .help = "fsync the files when the writes are done" },
	{ .name = "fsync_on_close", .type = OPT_BOOL, .off = S(fsync_on_close),
	  .group = GRP_WORKLOAD, .help = "fsync each file before closing it" },

	/* queue */
	{ .name = "iodepth", .type = OPT_UINT, .off = S(iodepth), .def = "1", .min = 1,
	  .max = 65536, .group = GRP_QUEUE, .units = "I/Os", .flags = OPTF_LIVE,
	  .help = "I/Os kept in flight (async engines; sync engines do one at a time)" },
	{ .name = "iodepth_batch_submit", .alias = "iodepth_batch", .type = OPT_UINT,
	  .off = S(iodepth_batch_submit), .def = "1", .max = 65536, .group = GRP_QUEUE,
	  .units = "I/Os", .help = "Submit I/Os in batches of this many (0: the whole depth)" },
	{ .name = "iodepth_batch_complete_min", .alias = "iodepth_batch_complete",
	  .type = OPT_UINT, .off = S(iodepth_batch_complete_min), .def = "1", .max = 65536,
	  .group = GRP_QUEUE, .units = "I/Os",
	  .help = "Wait for at least this many completions at a time (0: just poll)" },
	{ .name = "iodepth_batch_complete_max", .type = OPT_UINT,
	  .off = S(iodepth_batch_complete_max), .def = "0", .max = 65536, .group = GRP_QUEUE,
	  .units = "I/Os", .help = "Reap at most this many completions at a time (0: as many as _min, as fio)" },
	{ .name = "iodepth_low", .type = OPT_UINT, .off = S(iodepth_low), .def = "0",
	  .max = 65536, .group = GRP_QUEUE, .units = "I/Os",
	  .help = "After filling the queue, refill only when it drains to this (0: iodepth)" },
	{ .name = "io_submit_mode", .type = OPT_ENUM, .off = S(io_submit_mode), .def = "inline",
	  .group = GRP_QUEUE, .choices = submit_choices,
	  .help = "inline: one thread submits and reaps; offload: a separate submit thread" },

	/* timing */
	{ .name = "runtime", .alias = "timeout", .type = OPT_TIME, .off = S(runtime_us),
	  .def = "0", .group = GRP_TIMING, .units = "seconds", .time_unit_us = US_PER_S,
	  .help = "Stop the job after this long (bare number: seconds; 0: no limit)" },
	{ .name = "time_based", .type = OPT_BOOL, .off = S(time_based), .group = GRP_TIMING,
	  .help = "Run for the whole runtime, repeating the workload when it ends early" },
	{ .name = "ramp_time", .type = OPT_TIME, .off = S(ramp_time_us), .def = "0",
	  .group = GRP_TIMING, .units = "seconds", .time_unit_us = US_PER_S,
	  .help = "Run this long before counting results (warm-up; bare number: seconds)" },
	{ .name = "startdelay", .type = OPT_TIME, .off = S(startdelay_us), .def = "0",
	  .group = GRP_TIMING, .units = "seconds", .time_unit_us = US_PER_S,
	  .help = "Wait this long before starting the job (bare number: seconds)" },
	{ .name = "loops", .type = OPT_UINT, .off = S(loops), .def = "1", .min = 1,
	  .group = GRP_TIMING, .units = "passes",
	  .help = "Repeat the workload this many times" },
	{ .name = "thinktime", .type = OPT_TIME, .off = S(thinktime_us), .def = "0",
	  .group = GRP_TIMING, .units = "usec", .time_unit_us = 1,
	  .help = "Pause this long between I/O batches (bare number: microseconds)" },
	{ .name = "thinktime_spin", .type = OPT_TIME, .off = S(thinktime_spin_us), .def = "0",
	  .group = GRP_TIMING, .units = "usec", .time_unit_us = 1,
	  .help = "Busy-spin this part of thinktime instead of sleeping (microseconds)" },
	{ .name = "thinktime_blocks", .type = OPT_UINT, .off = S(thinktime_blocks), .def = "1",
	  .min = 1, .group = GRP_TIMING, .units = "I/Os",
	  .help = "Think after every this many I/Os" },

	/* rate */
	{ .name = "rate", .type = OPT_SIZE, .off = S(rate), .def = "0", .group = GRP_RATE,
	  .units = "bytes/s", .per_ddir = true, .syntax = "size[,size][,size]",
	  .flags = OPTF_LIVE,
	  .help = "Cap bandwidth per direction, bytes per second, e.g. 10m (0: no cap)" },
	{ .name = "rate_iops", .type = OPT_U64, .off = S(rate_iops), .def = "0",
	  .group = GRP_RATE, .units = "IOPS", .per_ddir = true, .syntax = "int[,int][,int]",
	  .flags = OPTF_LIVE, .help = "Cap I/Os per second per direction (0: no cap)" },
	{ .name = "rate_min", .alias = "ratemin", .type = OPT_SIZE, .off = S(ratemin),
	  .def = "0", .group = GRP_RATE, .units = "bytes/s", .per_ddir = true,
	  .syntax = "size[,size][,size]",
	  .help = "Fail the job if bandwidth drops below this (bytes per second)" },
	{ .name = "rate_iops_min", .type = OPT_U64, .off = S(rate_iops_min), .def = "0",
	  .group = GRP_RATE, .units = "IOPS", .per_ddir = true, .syntax = "int[,int][,int]",
	  .help = "Fail the job if IOPS drop below this" },
	{ .name = "rate_process", .type = OPT_ENUM, .off = S(rate_process), .def = "linear",
	  .group = GRP_RATE, .choices = rate_process_choices,
	  .help = "How rate-limited I/Os are spaced: linear or poisson arrivals" },
	{ .name = "rate_cycle", .type = OPT_U64, .off = S(rate_cycle_ms), .def = "1000",
	  .min = 1, .group = GRP_RATE, .units = "msec",
	  .help = "Window for rate_min/rate_iops_min checks, in milliseconds" },
	{ .name = "latency_target", .type = OPT_TIME, .off = S(latency_target_us), .def = "0",
	  .group = GRP_RATE, .units = "usec", .time_unit_us = 1,
	  .help = "Find the highest queue depth that keeps latency under this (usec; 0: off)" },
	{ .name = "latency_window", .type = OPT_TIME, .off = S(latency_window_us), .def = "0",
	  .group = GRP_RATE, .units = "usec", .time_unit_us = 1,
	  .help = "Sample window for latency_target (bare number: microseconds)" },
	{ .name = "latency_percentile", .type = OPT_DOUBLE, .off = S(latency_percentile),
	  .def = "100", .min = 0, .max = 100, .group = GRP_RATE, .units = "percent",
	  .help = "Share of I/Os that must meet latency_target" },
	{ .name = "latency_run", .type = OPT_BOOL, .off = S(latency_run), .group = GRP_RATE,
	  .help = "Keep searching for the latency_target depth for the whole run" },

	/* verify */
	{ .name = "verify", .type = OPT_ENUM, .off = S(verify), .def = "0",
	  .group = GRP_VERIFY, .choices = verify_choices,
	  .help = "Check written data when it is read back: checksum kind or pattern" },
	{ .name = "verify_pattern", .type = OPT_CUSTOM, .off = S(verify_pattern),
	  .group = GRP_VERIFY, .parse = parse_pattern, .print = print_pattern,
	  .syntax = "0xhex|decimal|\"text\" (concatenated)",
	  .help = "Fill written blocks with this pattern (up to 64 bytes) and check it" },
	{ .name = "do_verify", .type = OPT_BOOL, .off = S(do_verify), .def = "1",
	  .group = GRP_VERIFY, .help = "Run the verify pass after writing (with verify set)" },
	{ .name = "verify_only", .type = OPT_BOOL, .off = S(verify_only), .group = GRP_VERIFY,
	  .help = "Do not write; only verify data written by an earlier identical run" },
	{ .name = "verify_fatal", .type = OPT_BOOL, .off = S(verify_fatal), .group = GRP_VERIFY,
	  .help = "Stop at the first verify mismatch (always, as fio 3.33, unless "
		  "continue_on_error=verify)" },
	{ .name = "verify_backlog", .type = OPT_UINT, .off = S(verify_backlog), .def = "0",
	  .group = GRP_VERIFY, .units = "blocks",
	  .help = "Verify after every N blocks written instead of at the end (0: at the end)" },
	{ .name = "verify_interval", .type = OPT_SIZE, .off = S(verify_interval), .def = "0",
	  .elem_size = sizeof(uint32_t), .group = GRP_VERIFY, .units = "bytes",
	  .help = "Checksum every this many bytes of a block (0: the whole block)" },
	{ .name = "verify_state_save", .type = OPT_STR, .off = S(verify_state_save),
	  .group = GRP_VERIFY, .units = "path", .flags = OPTF_BARE_ONE | OPTF_FIO_BOOL,
	  .syntax = "0|1|path",
	  .help = "Save what was written for a later verify_state_load (1: default file name)" },
	{ .name = "verify_state_load", .type = OPT_STR, .off = S(verify_state_load),
	  .group = GRP_VERIFY, .units = "path", .flags = OPTF_BARE_ONE | OPTF_FIO_BOOL,
	  .syntax = "0|1|path",
	  .help = "Verify only what a saved verify state says was written (1: default file)" },
	{ .name = "continue_on_error", .type = OPT_ENUM, .off = S(continue_on_error),
	  .def = "none", .group = GRP_VERIFY, .choices = coe_choices,
	  .help = "Which errors are counted and skipped instead of ending the job" },
	{ .name = "ignore_error", .type = OPT_CUSTOM, .off = S(ignore_error), .group = GRP_VERIFY,
	  .parse = parse_ignore_error, .print = print_ignore_error,
	  .syntax = "READ[,WRITE[,VERIFY]] lists of E1:E2",
	  .help = "Errors a job goes on after, by type (else EIO, EILSEQ under continue_on_error)" },
	{ .name = "error_dump", .type = OPT_BOOL, .off = S(error_dump), .def = "0",
	  .group = GRP_VERIFY, .help = "Print each error the job goes on after (stderr)" },
	{ .name = "verify_dump", .type = OPT_BOOL, .off = S(verify_dump), .def = "0",
	  .group = GRP_VERIFY,
	  .help = "On a verify failure, write the block as read and as expected to files" },
	{ .name = "trim_percentage", .type = OPT_UINT, .off = S(trim_percentage), .def = "0",
	  .max = 100, .group = GRP_VERIFY, .units = "percent",
	  .help = "Percentage of verified blocks to trim before they are read back" },
	{ .name = "trim_verify_zero", .type = OPT_BOOL, .off = S(trim_verify_zero), .def = "1",
	  .group = GRP_VERIFY, .help = "Check that trimmed blocks read back as zeroes" },

	/* logging */
	{ .name = "write_bw_log", .type = OPT_STR, .off = S(write_bw_log), .group = GRP_LOGGING,
	  .units = "prefix", .flags = OPTF_BARE_NAME, .syntax = "[prefix]",
	  .help = "Write a bandwidth log PREFIX_bw.N.log (bare: the job name as prefix)" },
	{ .name = "write_iops_log", .type = OPT_STR, .off = S(write_iops_log),
	  .group = GRP_LOGGING, .units = "prefix", .flags = OPTF_BARE_NAME, .syntax = "[prefix]",
	  .help = "Write an IOPS log PREFIX_iops.N.log (bare: the job name as prefix)" },
	{ .name = "write_lat_log", .type = OPT_STR, .off = S(write_lat_log), .group = GRP_LOGGING,
	  .units = "prefix", .flags = OPTF_BARE_NAME, .syntax = "[prefix]",
	  .help = "Write latency logs PREFIX_{lat,clat,slat}.N.log (bare: the job name)" },
	{ .name = "write_hist_log", .type = OPT_STR, .off = S(write_hist_log),
	  .group = GRP_LOGGING, .units = "prefix", .flags = OPTF_BARE_NAME, .syntax = "[prefix]",
	  .help = "Write a latency histogram log PREFIX_clat_hist.N.log (bare: the job name)" },
	{ .name = "log_avg_msec", .type = OPT_U64, .off = S(log_avg_msec), .def = "0",
	  .group = GRP_LOGGING, .units = "msec",
	  .help = "Average log entries over this many milliseconds (0: one entry per I/O)" },
	{ .name = "log_hist_msec", .type = OPT_U64, .off = S(log_hist_msec), .def = "0",
	  .group = GRP_LOGGING, .units = "msec",
	  .help = "Write a histogram log entry every this many milliseconds" },
	{ .name = "log_max_value", .type = OPT_BOOL, .off = S(log_max_value),
	  .group = GRP_LOGGING, .help = "Log the maximum of each window instead of the average" },
	{ .name = "log_offset", .type = OPT_BOOL, .off = S(log_offset), .group = GRP_LOGGING,
	  .help = "Add each I/O's offset to the bw, iops and lat logs (a column before the last)" },
	{ .name = "per_job_logs", .type = OPT_BOOL, .off = S(per_job_logs), .def = "1",
	  .group = GRP_LOGGING, .help = "Give each job its own log file (else jobs share one)" },
	{ .name = "write_iolog", .type = OPT_STR, .off = S(write_iolog), .group = GRP_LOGGING,
	  .units = "path", .help = "Record every I/O issued to this file, for read_iolog" },
	{ .name = "read_iolog", .type = OPT_STR, .off = S(read_iolog), .group = GRP_LOGGING,
	  .units = "path", .help = "Replay the I/Os recorded in this file instead of a workload" },
	{ .name = "replay_no_stall", .type = OPT_BOOL, .off = S(replay_no_stall),
	  .group = GRP_LOGGING, .help = "Replay as fast as possible, ignoring recorded timing" },
	{ .name = "replay_time_scale", .type = OPT_DOUBLE, .off = S(replay_time_scale),
	  .def = "100", .min = 1, .max = 1000000, .group = GRP_LOGGING, .units = "percent",
	  .help = "Replay speed in percent of the recorded timing (100: real time)" },

	/* fault */
	{ .name = "inject_error", .type = OPT_CUSTOM, .off = S(inject_error),
	  .group = GRP_FAULT, .flags = OPTF_IOLAB, .parse = parse_inject_error,
	  .print = print_inject_error, .syntax = "ERRNO[:pct%][,ERRNO[:pct%]...]",
	  .help = "Fail this share of I/Os with the given errno, e.g. EIO:1%,ENOSPC:0.5%" },
	{ .name = "inject_delay", .type = OPT_TIME, .off = S(inject_delay_us), .def = "0",
	  .group = GRP_FAULT, .units = "usec", .time_unit_us = 1, .flags = OPTF_IOLAB,
	  .parse = parse_inject_delay, .print = print_inject_delay, .syntax = "time[:pct%]",
	  .help = "Delay completions by this long, e.g. 20ms:5% (share 0: every I/O)" },
	{ .name = "inject_delay_perc", .type = OPT_DOUBLE, .off = S(inject_delay_perc),
	  .def = "0", .max = 100, .group = GRP_FAULT, .units = "percent", .flags = OPTF_IOLAB,
	  .help = "Share of I/Os that inject_delay delays (0: all of them)" },
	/* misc: fio options with an effect outside the I/O pattern */
	{ .name = "invalidate", .type = OPT_BOOL, .off = S(invalidate), .def = "1",
	  .group = GRP_TARGET,
	  .help = "Drop the files' cached pages before the job starts (buffered I/O)" },
	{ .name = "unlink", .type = OPT_BOOL, .off = S(unlink), .def = "0", .group = GRP_TARGET,
	  .help = "Remove the job's regular files when it ends" },
	{ .name = "cpus_allowed", .type = OPT_STR, .off = S(cpus_allowed), .group = GRP_JOB,
	  .units = "cpus", .syntax = "cpu list", .parse = parse_cpu_list,
	  .help = "Run the job's thread only on these CPUs, e.g. 0-3,6" },
	{ .name = "cpus_allowed_policy", .type = OPT_ENUM, .off = S(cpus_allowed_policy),
	  .def = "shared", .group = GRP_JOB, .choices = cpus_policy_choices,
	  .help = "cpus_allowed for every job (shared), or one CPU of it per job (split)" },
	{ .name = "numa_cpu_nodes", .type = OPT_STR, .off = S(numa_cpu_nodes), .group = GRP_JOB,
	  .units = "nodes", .syntax = "node list|all", .parse = parse_numa_nodes,
	  .help = "Run the job's thread only on these NUMA nodes' CPUs (from sysfs)" },
	{ .name = "nice", .type = OPT_INT, .off = S(nice), .def = "0", .min = -20, .max = 19,
	  .group = GRP_JOB, .help = "Scheduling niceness of the job's thread (-20..19)" },
	{ .name = "clat_percentiles", .type = OPT_BOOL, .off = S(clat_percentiles), .def = "1",
	  .group = GRP_LOGGING,
	  .help = "Report completion-latency percentiles (and, with lat_percentiles, sync's)" },
	{ .name = "lat_percentiles", .type = OPT_BOOL, .off = S(lat_percentiles), .def = "0",
	  .group = GRP_LOGGING,
	  .help = "Report total-latency percentiles (terse then shows these instead of clat's)" },
	{ .name = "slat_percentiles", .type = OPT_BOOL, .off = S(slat_percentiles), .def = "0",
	  .group = GRP_LOGGING, .help = "Report submission-latency percentiles" },
	{ .name = "unified_rw_reporting", .type = OPT_ENUM, .off = S(unified_rw_rep),
	  .def = "none", .group = GRP_LOGGING, .choices = unified_choices,
	  .help = "Report the directions apart, summed as one 'mixed' entry, or both" },
	{ .name = "percentile_list", .type = OPT_CUSTOM, .off = S(percentile_list),
	  .group = GRP_LOGGING, .parse = parse_percentile_list, .print = print_percentile_list,
	  .syntax = "p[:p...]", .units = "percent",
	  .help = "Completion-latency percentiles to report, e.g. 50:99:99.9 (default fio's list)" },

	/* accepted for fio compatibility; no effect in iolab (the loader warns) */
	COMPAT("gtod_reduce", 0, "iolab's clock is cheap enough to always time every I/O"),
	COMPAT("clocksource", 1, "iolab always uses CLOCK_MONOTONIC through the vDSO"),
	COMPAT("disable_lat", 2, "iolab always keeps full latency accounting"),
	COMPAT("disable_clat", 3, "iolab always keeps full latency accounting"),
	COMPAT("disable_slat", 4, "iolab always keeps full latency accounting"),
	COMPAT("disable_bw_measurement", 5, "iolab always measures bandwidth"),
	COMPAT("numa_mem_policy", 6, "iolab does not set a NUMA memory policy"),
	COMPAT("experimental_verify", 7, "iolab verifies from its compact log of written blocks"),
	COMPAT("verify_async", 8, "iolab checks blocks on the job's own thread"),
	COMPAT("verify_async_cpus", 10, "iolab checks blocks on the job's own thread"),
	COMPAT("significant_figures", 9, "iolab prints fio's default precision"),
	COMPAT("refill_buffers", 11, "buffer contents: iolab fills write buffers once"),
	COMPAT("scramble_buffers", 12, "buffer contents: iolab fills write buffers once"),
	COMPAT("zero_buffers", 13, "buffer contents: iolab fills write buffers once"),
	COMPAT("buffer_compress_percentage", 14, "buffer contents are not made compressible"),
	COMPAT("buffer_compress_chunk", 15, "buffer contents are not made compressible"),
	COMPAT("ioscheduler", 17, "iolab does not change the device's I/O scheduler"),
	COMPAT("fadvise_hint", 18, "iolab gives the kernel no access-pattern hints"),
	COMPAT("fallocate", 19, "iolab lays files out by writing them"),
	COMPAT("create_on_open", 20, "iolab creates files when the job is set up; ioengine=filecreate in the run"),
	COMPAT("allow_file_create", 21, "iolab always creates missing files"),
	COMPAT("openfiles", 22, "iolab keeps all of a job's files open; filecreate closes each at once"),
	COMPAT("iomem", 23, "iolab allocates aligned heap buffers"),
	COMPAT("mem", 24, "iolab allocates aligned heap buffers"),
	COMPAT("hugepage-size", 25, "iolab allocates aligned heap buffers"),
	COMPAT("lockmem", 26, "iolab does not lock memory"),
	COMPAT("cgroup", 27, "iolab does not manage cgroups"),
	COMPAT("prio", 28, "iolab does not set I/O priorities"),
	COMPAT("prioclass", 29, "iolab does not set I/O priorities"),
	COMPAT("cpumask", 30, "use cpus_allowed"),
	COMPAT("unit_base", 32, "iolab reports in bytes"),
	COMPAT("pre_read", 33, "iolab does not pre-read files"),
	COMPAT("per_job_start_delay", 34, "use startdelay"),
};

const size_t opt_count = sizeof(opt_table) / sizeof(opt_table[0]);
_Static_assert(sizeof(opt_table) / sizeof(opt_table[0]) < OPT_MAX, "opt_table outgrew OPT_MAX");
_Static_assert(COMPAT_MAX >= 35, "COMPAT_MAX smaller than the compat entries");

/* ----------------------------------------------------------------- API */

/* Names and aliases sorted case-insensitively, built once: a job file
 * looks up every key line, so lookups are O(log n), not a table scan. */
struct name_ix {
	const char *name;
	const struct opt_def *def;
};
static struct name_ix name_ix[2 * OPT_MAX];
static size_t name_ix_nr;
static pthread_once_t name_ix_once = PTHREAD_ONCE_INIT;

static int name_ix_cmp(const void *a, const void *b)
{
	const struct name_ix *x = a, *y = b;
	int c = strcasecmp(x->name, y->name);

	/* the same name twice: the earlier table entry wins, as a scan would */
	return c ? c : (x->def > y->def) - (x->def < y->def);
}

static void name_ix_build(void)
{
	for (size_t i = 0; i < opt_count; i++) {
		name_ix[name_ix_nr++] = (struct name_ix){ opt_table[i].name, &opt_table[i] };
		if (opt_table[i].alias)
			name_ix[name_ix_nr++] = (struct name_ix){ opt_table[i].alias, &opt_table[i] };
	}
	qsort(name_ix, name_ix_nr, sizeof(name_ix[0]), name_ix_cmp);
}

static int name_key_cmp(const void *key, const void *elem)
{
	return strcasecmp(key, ((const struct name_ix *)elem)->name);
}

const struct opt_def *opt_find(const char *name)
{
	const struct name_ix *hit;

	if (!name)
		return NULL;
	pthread_once(&name_ix_once, name_ix_build);
	hit = bsearch(name, name_ix, name_ix_nr, sizeof(name_ix[0]), name_key_cmp);
	if (!hit)
		return NULL;
	while (hit > name_ix && !strcasecmp(hit[-1].name, name))
		hit--; /* the first of equal names */
	return hit->def;
}

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), prev[64], cur[64];

	if (la >= 63 || lb >= 63)
		return 64;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t sub = prev[j - 1] + (tolower((unsigned char)a[i - 1]) !=
						    tolower((unsigned char)b[j - 1]));
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;

			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
		memcpy(prev, cur, sizeof(prev));
	}
	return prev[lb];
}

const char *opt_suggest(const char *name)
{
	const char *best = NULL;
	size_t bestd = SIZE_MAX, len, limit;

	if (!name || !*name)
		return NULL;
	len = strlen(name);
	limit = len / 4 > 2 ? (len / 4 < 4 ? len / 4 : 4) : 2;
	for (size_t i = 0; i < opt_count; i++) {
		const char *names[2] = { opt_table[i].name, opt_table[i].alias };

		for (int k = 0; k < 2; k++) {
			size_t dd;

			if (!names[k])
				continue;
			dd = edit_distance(name, names[k]);
			if (dd < bestd) {
				bestd = dd;
				best = opt_table[i].name;
			}
		}
	}
	return bestd <= limit ? best : NULL;
}

/* Parses @val into @o for @d without touching set[]. Returns 0 or -1. */
static int def_parse(const struct opt_def *d, struct job_opts *o, const char *val, char *err,
		     size_t errlen)
{
	if (d->parse)
		return d->parse(d, o, val, err, errlen);
	return generic_parse(d, o, val, err, errlen);
}

int opt_set(struct job_opts *o, const char *name, const char *val, char *err, size_t errlen)
{
	const struct opt_def *d = opt_find(name);
	size_t idx;

	if (!d) {
		const char *s = opt_suggest(name);

		if (s)
			return fail(err, errlen, "unknown option (did you mean '%s'?)", s);
		return fail(err, errlen, "unknown option");
	}
	for (const unsigned char *p = (const unsigned char *)val; p && *p; p++) {
		bool ok = *p == '\t' || ((d->flags & OPTF_MULTILINE) && *p == '\n');

		/* a newline would start an option of its own in a saved file or a
		 * dump; escapes would reach the terminal */
		if ((*p < 0x20 || *p == 0x7f) && !ok)
			return fail(err, errlen, "control character 0x%02x in the value "
					 "(byte %zu); refused", *p,
				    (size_t)(p - (const unsigned char *)val));
	}
	if (def_parse(d, o, val, err, errlen))
		return -1;
	idx = opt_index(d);
	o->set[idx] = 1;
	/* options sharing storage (rwmixread/rwmixwrite, direct/buffered):
	 * the last one given is the one that counts */
	for (size_t i = 0; i < opt_count; i++)
		if (i != idx && opt_table[i].off == d->off)
			o->set[i] = 0;
	return 0;
}

void opt_print(const struct opt_def *def, const struct job_opts *o, char *buf, size_t len)
{
	if (!len)
		return;
	buf[0] = '\0';
	if (def->print)
		def->print(def, o, buf, len);
	else
		generic_print(def, o, buf, len);
	for (char *p = buf; *p; p++)
		if ((unsigned char)*p < 0x20 && *p != '\t')
			*p = ' '; /* one line: a multi-line description */
}

void opts_init(struct job_opts *o)
{
	char err[256];

	memset(o, 0, sizeof(*o));
	o->kb_base = 1024;
	for (size_t i = 0; i < opt_count; i++) {
		const struct opt_def *d = &opt_table[i];

		if (!d->def)
			continue;
		if (def_parse(d, o, d->def, err, sizeof(err))) {
			fprintf(stderr, "iolab: internal error: default of %s: %s\n", d->name, err);
			abort();
		}
	}
}

static bool str_primary(size_t i)
{
	if (opt_table[i].type != OPT_STR)
		return false;
	for (size_t j = 0; j < i; j++)
		if (opt_table[j].type == OPT_STR && opt_table[j].off == opt_table[i].off)
			return false;
	return true;
}

void opts_copy(struct job_opts *dst, const struct job_opts *src)
{
	if (dst == src)
		return;
	memcpy(dst, src, sizeof(*dst));
	for (size_t i = 0; i < opt_count; i++) {
		char **p;

		if (!str_primary(i))
			continue;
		p = (char **)field(dst, &opt_table[i]);
		if (*p)
			*p = strdup(*p);
	}
}

void opts_free(struct job_opts *o)
{
	for (size_t i = 0; i < opt_count; i++) {
		char **p;

		if (!str_primary(i))
			continue;
		p = (char **)field(o, &opt_table[i]);
		free(*p);
		*p = NULL;
	}
}

static struct job_opts default_opts;
static pthread_once_t default_once = PTHREAD_ONCE_INIT;

static void default_init(void)
{
	opts_init(&default_opts);
}

void opt_default_text(const struct opt_def *def, char *buf, size_t len)
{
	pthread_once(&default_once, default_init);
	opt_print(def, &default_opts, buf, len);
}

/* Names in a filename= list (the worker's splitter decides). */
static unsigned names_in(const char *list)
{
	unsigned cap = 1;
	char **v;
	int n;

	for (const char *p = list; *p; p++)
		cap += *p == ':';
	v = calloc(cap, sizeof(*v));
	if (!v)
		return 0;
	n = job_split_names(list, v, cap);
	for (int i = 0; i < n; i++)
		free(v[i]);
	free(v);
	return n > 0 ? (unsigned)n : 0;
}

/* Offsets and sizes the job adds up, refused before they wrap around or
 * pass the largest file offset (off_t: 2^63 - 1): the furthest byte of the
 * last clone (offset + (numjobs-1) * offset_increment + size or filesize),
 * all files together (filesize * nrfiles), the bytes of all loops, and a
 * sequential skip (rw=read:N) past the region. Returns 0 or -1. */
static int extent_check(const struct job_opts *o, char *err, size_t errlen)
{
	const uint64_t lim = INT64_MAX;
	unsigned clones = o->numjobs > 1 ? o->numjobs - 1 : 0;
	uint64_t span = o->filesize > o->size ? o->filesize : o->size, inc, end, all, io;
	char a[32], b[32];

	if (o->offset_pct > 0 ? 0 : o->offset > lim)
		return fail(err, errlen, "offset: %" PRIu64 " is past the largest file offset "
				 "(2^63 - 1)", o->offset);
	if (span > lim)
		return fail(err, errlen, "%s: %" PRIu64 " is past the largest file offset "
				 "(2^63 - 1)", o->filesize > o->size ? "filesize" : "size", span);
	if (__builtin_mul_overflow((uint64_t)clones, o->offset_increment, &inc) || inc > lim)
		return fail(err, errlen, "offset_increment: %" PRIu64 " x %u more clones "
				 "passes the largest file offset (2^63 - 1)",
			    o->offset_increment, clones);
	end = (o->offset_pct > 0 ? 0 : o->offset) + inc; /* both <= 2^63 - 1 */
	if (end > lim || span > lim - end) {
		fmt_size(a, sizeof(a), o->offset_pct > 0 ? 0 : o->offset, kb_of(o));
		fmt_size(b, sizeof(b), span, kb_of(o));
		return fail(err, errlen, "offset: %s%s + %s %s ends past the largest file offset "
				 "(2^63 - 1); it would wrap around", a,
			    inc ? " + offset_increment x numjobs" : "", o->filesize > o->size ?
			    "filesize" : "size", b);
	}
	if (__builtin_mul_overflow(o->filesize, (uint64_t)(o->nrfiles ? o->nrfiles : 1), &all) ||
	    all > lim)
		return fail(err, errlen, "filesize: %" PRIu64 " x nrfiles=%u passes 2^63 - 1 bytes",
			    o->filesize, o->nrfiles);
	io = o->io_size ? o->io_size : (o->size > all ? o->size : all);
	if (o->io_size > lim)
		return fail(err, errlen, "io_size: %" PRIu64 " is more than 2^63 - 1 bytes",
			    o->io_size);
	if (__builtin_mul_overflow(io, (uint64_t)(o->loops ? o->loops : 1), &all))
		return fail(err, errlen, "loops: %u loops of %" PRIu64 " bytes pass 2^64 bytes",
			    o->loops, io);
	if (!(o->rw & RW_RAND) && o->rw_seq_nr > lim)
		return fail(err, errlen, "rw: a skip of %" PRIu64 " bytes passes the largest "
				 "file offset (2^63 - 1)", o->rw_seq_nr);
	if (o->filename && o->filename[0] && o->set[opt_index(opt_find("nrfiles"))]) {
		unsigned names = names_in(o->filename);

		if (names && o->nrfiles > names)
			return fail(err, errlen, "nrfiles: %u files, but filename names %u (give "
					 "as many names, or leave nrfiles out; fio 3.33 aborts "
					 "here)", o->nrfiles, names);
	}
	return 0;
}

int opts_validate(const struct job_opts *o, char *err, size_t errlen)
{
	/* ranges of plain numeric options */
	for (size_t i = 0; i < opt_count; i++) {
		const struct opt_def *d = &opt_table[i];
		size_t n = elem_size(d);
		int cnt = d->per_ddir ? DDIR_RWDIR_CNT : 1;

		if (d->print || d->type == OPT_CUSTOM)
			continue;
		for (int k = 0; k < cnt; k++) {
			const void *f = (const char *)cfield(o, d) + k * n;
			char why[128];

			switch (d->type) {
			case OPT_UINT:
			case OPT_U64:
			case OPT_SIZE:
			case OPT_TIME:
				if (range_check(d, 0, true, load_u(f, n), why, sizeof(why)))
					return fail(err, errlen, "%s: %s", d->name, why);
				break;
			case OPT_INT:
				if (range_check(d, *(const int *)f, false, 0, why, sizeof(why)))
					return fail(err, errlen, "%s: %s", d->name, why);
				break;
			case OPT_DOUBLE: {
				double v = *(const double *)f;

				if (!isfinite(v) || v < (double)d->min || (d->max && v > (double)d->max))
					return fail(err, errlen, "%s: %g is out of range (%lld..%lld)",
						    d->name, v, d->min, d->max);
				break;
			}
			default:
				break;
			}
		}
	}
	if (o->kb_base != 1024 && o->kb_base != 1000)
		return fail(err, errlen, "kb_base: %u is not 1024 or 1000", o->kb_base);
	if (!o->rw || !opt_choice_name(opt_find("rw"), o->rw))
		return fail(err, errlen, "rw: 0x%x is not an I/O pattern", o->rw);
	if (o->rwmixread > 100)
		return fail(err, errlen, "rwmixread: %u is out of range (0..100)", o->rwmixread);
	if (!o->ioengine || !engine_find(o->ioengine))
		return fail(err, errlen, "ioengine: unknown engine '%s'",
			    o->ioengine ? o->ioengine : "");
	{
		const struct engine_ops *e = engine_find(o->ioengine);

		if (e->check && e->check(o, err, errlen))
			return -1;
	}
	for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
		static const char *const dn[] = { "read", "write", "trim" };

		if (!o->bs[d] && !o->nr_bssplit[d] && !o->bs_min[d])
			return fail(err, errlen, "bs: the %s block size is 0", dn[d]);
		if (o->bs_min[d] || o->bs_max[d]) {
			if (!o->bs_min[d])
				return fail(err, errlen, "bsrange: the %s minimum is 0", dn[d]);
			if (o->bs_min[d] > o->bs_max[d])
				return fail(err, errlen, "bsrange: %s minimum %u is above the "
						 "maximum %u", dn[d], o->bs_min[d], o->bs_max[d]);
		}
		if (o->nr_bssplit[d]) {
			double sum = 0;
			unsigned blank = 0;

			if (o->nr_bssplit[d] > BSSPLIT_MAX)
				return fail(err, errlen, "bssplit: more than %d %s block sizes",
					    BSSPLIT_MAX, dn[d]);
			for (unsigned k = 0; k < o->nr_bssplit[d]; k++) {
				if (!o->bssplit[d][k].bs)
					return fail(err, errlen, "bssplit: a %s block size is 0",
						    dn[d]);
				if (o->bssplit[d][k].perc < 0 || o->bssplit[d][k].perc > 100)
					return fail(err, errlen, "bssplit: %s percentage %g is out "
							 "of range", dn[d], o->bssplit[d][k].perc);
				sum += o->bssplit[d][k].perc;
				blank += o->bssplit[d][k].perc == 0;
			}
			if (sum > 100.0001 || (!blank && fabs(sum - 100) > 0.0001))
				return fail(err, errlen, "bssplit: %s percentages add to %g, not 100",
					    dn[d], sum);
		}
		if (o->rate[d] && o->rate_iops[d])
			return fail(err, errlen, "rate: rate and rate_iops both limit %ss; give "
					 "one", dn[d]);
		if (o->ratemin[d] && o->rate[d] && o->ratemin[d] > o->rate[d])
			return fail(err, errlen, "rate_min: %s minimum %" PRIu64
					 " is above rate %" PRIu64, dn[d], o->ratemin[d], o->rate[d]);
		if (o->rate_iops_min[d] && o->rate_iops[d] && o->rate_iops_min[d] > o->rate_iops[d])
			return fail(err, errlen, "rate_iops_min: %s minimum %" PRIu64
					 " is above rate_iops %" PRIu64, dn[d], o->rate_iops_min[d],
				    o->rate_iops[d]);
	}
	if (o->iodepth < 1)
		return fail(err, errlen, "iodepth: must be at least 1");
	if (o->iodepth_low > o->iodepth)
		return fail(err, errlen, "iodepth_low: %u is above iodepth %u", o->iodepth_low,
			    o->iodepth);
	if (o->iodepth_batch_complete_max &&
	    o->iodepth_batch_complete_min > o->iodepth_batch_complete_max)
		return fail(err, errlen, "iodepth_batch_complete_min: %u is above "
				 "iodepth_batch_complete_max %u", o->iodepth_batch_complete_min,
			    o->iodepth_batch_complete_max);
	if (o->iodepth_batch_complete_min > o->iodepth)
		return fail(err, errlen, "iodepth_batch_complete_min: %u is above iodepth %u",
			    o->iodepth_batch_complete_min, o->iodepth);
	if (o->random_distribution != DIST_RANDOM &&
	    dist_check(o->random_distribution, o->dist_param, err, errlen)) {
		char why[200];

		snprintf(why, sizeof(why), "%s", err);
		return fail(err, errlen, "random_distribution: %s", why);
	}
	if (o->zonemode == ZONEMODE_ZBD)
		return fail(err, errlen, "zonemode: zbd needs a zoned block device, which iolab "
				 "does not drive (use zonemode=strided or none)");
	if (o->zonemode == ZONEMODE_STRIDED && !o->zone_size)
		return fail(err, errlen, "zonemode: strided needs zonesize (the bytes done in "
				 "each zone)");
	if (o->zonemode == ZONEMODE_NONE && (o->zone_size || o->zone_range || o->zone_skip))
		return fail(err, errlen, "%s: has no effect without zonemode=strided (add it)",
			    o->zone_size ? "zonesize" : o->zone_range ? "zonerange" : "zoneskip");
	if (o->dedupe_percentage && o->dedupe_mode == DEDUPE_WORKING_SET &&
	    !o->dedupe_working_set_percentage)
		return fail(err, errlen, "dedupe_working_set_percentage: 0 leaves no working set "
				 "for dedupe_mode=working_set (1..100)");
	if (o->size_pct < 0 || o->size_pct > 100)
		return fail(err, errlen, "size: %g%% is out of range", o->size_pct);
	if (extent_check(o, err, errlen))
		return -1;
	if (o->offset_pct < 0 || o->offset_pct > 100)
		return fail(err, errlen, "offset: %g%% is out of range", o->offset_pct);
	if (o->thinktime_spin_us > o->thinktime_us)
		return fail(err, errlen, "thinktime_spin: longer than thinktime");
	if (o->verify == VERIFY_PATTERN && !o->verify_pattern_len)
		return fail(err, errlen, "verify: verify=pattern needs verify_pattern");
	if (o->verify_pattern_len > sizeof(o->verify_pattern))
		return fail(err, errlen, "verify_pattern: longer than %zu bytes",
			    sizeof(o->verify_pattern));
	if (o->nr_inject_error > INJECT_MAX)
		return fail(err, errlen, "inject_error: more than %d entries", INJECT_MAX);
	{
		double sum = 0;

		for (unsigned i = 0; i < o->nr_inject_error; i++) {
			if (o->inject_error[i].err <= 0)
				return fail(err, errlen, "inject_error: errno %d is not positive",
					    o->inject_error[i].err);
			sum += o->inject_error[i].perc > 0 ? o->inject_error[i].perc : 100;
		}
		if (o->nr_inject_error > 1 && sum > 100.0001)
			return fail(err, errlen, "inject_error: percentages add to %g, more than "
					 "100", sum);
	}
	/* What a worker would refuse before its first I/O is refused here, so
	 * that --parse-only, the editor and a start say it when the job loads. */
	{
		const struct engine_ops *eng = engine_find(o->ioengine);
		char why[256];

		if (o->io_submit_mode == SUBMIT_OFFLOAD && eng && (eng->flags & ENG_NO_OFFLOAD))
			return fail(err, errlen, "io_submit_mode=offload: ioengine=%s does not "
					 "support it", eng->name);
		if (verify_opts_check(o, why, sizeof(why)))
			return fail(err, errlen, "%s", why);
	}
	return 0;
}

/* ----------------------------------------------------------- help/dump */

const char *opt_type_text(const struct opt_def *d)
{
	if (d->syntax && (d->type == OPT_CUSTOM || d->per_ddir || d->type == OPT_SIZE_PCT))
		return d->syntax;
	switch (d->type) {
	case OPT_STR: return d->syntax ? d->syntax : "string";
	case OPT_BOOL: return "bool (0|1)";
	case OPT_UINT:
	case OPT_U64: return "int";
	case OPT_INT: return "int (may be negative)";
	case OPT_SIZE: return "size (4k, 1m, 2g; kb_base aware)";
	case OPT_SIZE_PCT: return "size or N%";
	case OPT_TIME: return "time (us, ms, s, m, h, d)";
	case OPT_DOUBLE: return "float";
	case OPT_ENUM: return "choice";
	default: return d->syntax ? d->syntax : "text";
	}
}

static void help_detail(FILE *f, const struct opt_def *d)
{
	char def[256];

	opt_default_text(d, def, sizeof(def));
	fprintf(f, "%-10s: %s\n", "name", d->name);
	if (d->alias)
		fprintf(f, "%-10s: %s\n", "alias", d->alias);
	fprintf(f, "%-10s: %s\n", "group", opt_group_names[d->group]);
	fprintf(f, "%-10s: %s%s\n", "type", opt_type_text(d),
		d->per_ddir && !d->syntax ? ", per direction (read,write,trim)" : "");
	fprintf(f, "%-10s: %s\n", "default", def[0] ? def : "(none)");
	if (d->min || d->max) {
		char lo[64], hi[64];

		if (is_bytes(d) && d->min >= 0) {
			fmt_size_exact(lo, sizeof(lo), (uint64_t)d->min, 1024);
			fmt_size_exact(hi, sizeof(hi), (uint64_t)d->max, 1024);
		} else {
			snprintf(lo, sizeof(lo), "%lld", d->min);
			snprintf(hi, sizeof(hi), "%lld", d->max);
		}
		if (d->max)
			fprintf(f, "%-10s: %s..%s\n", "range", lo, hi);
		else
			fprintf(f, "%-10s: at least %s\n", "range", lo);
	}
	if (d->units)
		fprintf(f, "%-10s: %s%s\n", "units", d->units,
			d->type == OPT_TIME ? " (for a bare number)" : "");
	if (d->choices) {
		fprintf(f, "%-10s:\n", "choices");
		for (const struct opt_choice *c = d->choices; c->name; c++)
			fprintf(f, "  %-14s %s\n", c->name, c->help ? c->help : "");
	}
	if (d->flags & OPTF_IOLAB)
		fprintf(f, "%-10s: iolab extension (fio has no such option)\n", "note");
	if (d->flags & OPTF_URING)
		fprintf(f, "%-10s: applies to ioengine=io_uring\n", "note");
	if (d->engines) {
		fprintf(f, "%-10s: applies to ioengine=", "note");
		for (const char *e = d->engines; *e; e++)
			fputs(*e == ':' ? " or ioengine=" : (char[2]){ *e, 0 }, f);
		fputc('\n', f);
	}
	if (d->flags & OPTF_COMPAT)
		fprintf(f, "%-10s: accepted for fio compatibility; has no effect in iolab\n",
			"note");
	fprintf(f, "%-10s: %s\n", "help", d->help);
}

int opts_cmdhelp(FILE *f, const char *name)
{
	if (name && *name) {
		const struct opt_def *d = opt_find(name);

		if (!d)
			return -1;
		help_detail(f, d);
		return 0;
	}
	for (int g = 0; g < GRP_NR; g++) {
		bool any = false;

		for (size_t i = 0; i < opt_count; i++) {
			const struct opt_def *d = &opt_table[i];
			char left[64];

			if (d->group != (enum opt_group)g || (d->flags & OPTF_COMPAT))
				continue;
			if (!any)
				fprintf(f, "%s%s options:\n", g ? "\n" : "", opt_group_names[g]);
			any = true;
			if (d->alias)
				snprintf(left, sizeof(left), "%s (%s)", d->name, d->alias);
			else
				snprintf(left, sizeof(left), "%s", d->name);
			fprintf(f, "  %-34s %s\n", left, d->help);
		}
	}
	fprintf(f, "\nAccepted for fio compatibility, without effect:");
	for (size_t i = 0, col = 80; i < opt_count; i++) {
		if (!(opt_table[i].flags & OPTF_COMPAT))
			continue;
		if (col + strlen(opt_table[i].name) + 1 > 78) {
			fputs("\n ", f);
			col = 1;
		}
		col += (size_t)fprintf(f, " %s", opt_table[i].name);
	}
	fprintf(f, "\n\nUse --cmdhelp=NAME for an option's type, default, range and choices.\n");
	return 0;
}

/* True for the first table entry storing at @d's offset. */
static bool primary(const struct opt_def *d)
{
	for (const struct opt_def *p = opt_table; p < d; p++)
		if (p->off == d->off)
			return false;
	return true;
}

bool opt_shown(const struct opt_def *d, const struct job_opts *o, const char *text)
{
	char def[2048];

	if (o->set[opt_index(d)])
		return true;
	if (!primary(d))
		return false;
	/* a partner sharing the storage was given (rwmixwrite, buffered) */
	for (size_t i = 0; i < opt_count; i++)
		if (o->set[i] && &opt_table[i] != d && opt_table[i].off == d->off)
			return false;
	opt_default_text(d, def, sizeof(def));
	return strcmp(text, def) != 0;
}

void opts_dump(FILE *f, const struct job_opts *o, bool only_set)
{
	char buf[2048];

	for (size_t i = 0; i < opt_count; i++) {
		const struct opt_def *d = &opt_table[i];

		opt_print(d, o, buf, sizeof(buf));
		if (only_set && !opt_shown(d, o, buf))
			continue;
		if (d->type == OPT_STR && (d->flags & OPTF_BARE_NAME) && !buf[0] &&
		    *(char *const *)cfield(o, d))
			fprintf(f, "%s\n", d->name);
		else
			fprintf(f, "%s=%s\n", d->name, buf);
	}
}
