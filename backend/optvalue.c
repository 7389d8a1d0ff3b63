/* Option values: numbers (sizes, times, booleans, fractions) read and
 * written exactly, where each option's value lives in struct job_opts, the
 * per-direction "r,w,t" form, and the parser and printer of every option
 * of a plain type. See options_int.h.
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
#include "options_int.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engines/engine.h"
#include "job.h"
#include "verify.h"

/* ------------------------------------------------------------ numbers */

/* Longest time value: 100 years in microseconds. */
#define TIME_MAX_US (100ULL * 36525 * 864 * 1000000)

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
enum num_err size_parse(const char *s, unsigned kb_base, uint64_t *out)
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

int size_fail(enum num_err e, const char *s, bool size, char *err, size_t errlen)
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
int double_parse(const char *s, bool pct, double *out)
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
void fmt_double(char *buf, size_t len, double v)
{
	for (int prec = 6; prec <= 17; prec++) {
		snprintf(buf, len, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			return;
	}
}

/* Exact size text in job-file syntax for @kb_base ("4k", "1536", "4KiB"). */
void fmt_size_exact(char *buf, size_t len, uint64_t v, unsigned kb_base)
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

/* Exact time text: a bare number in @unit when it divides, else a suffix. */
void fmt_time_exact(char *buf, size_t len, uint64_t us, unsigned unit)
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

void *field(struct job_opts *o, const struct opt_def *d)
{
	return (char *)o + d->off;
}

const void *cfield(const struct job_opts *o, const struct opt_def *d)
{
	return (const char *)o + d->off;
}

size_t elem_size(const struct opt_def *d)
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

uint64_t load_u(const void *p, size_t n)
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

bool is_bytes(const struct opt_def *d)
{
	return d->units && !strncmp(d->units, "bytes", 5);
}

void set_str(char **p, const char *v)
{
	free(*p);
	*p = v && *v ? strdup(v) : NULL;
}

/* --------------------------------------------------- per-direction text */

/* Splits @val into read/write/trim parts by fio's rules (see the file
 * comment). given[d] false: leave direction d unchanged. Returns 0 or -1. */
int ddir_split(const char *val, char part[DDIR_RWDIR_CNT][PART_MAX],
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
void ddir_join(char *buf, size_t len, char txt[DDIR_RWDIR_CNT][PART_MAX])
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

const char *range_text(const struct opt_def *d, char *buf, size_t len)
{
	if (d->max)
		snprintf(buf, len, "%lld..%lld", d->min, d->max);
	else
		snprintf(buf, len, "at least %lld", d->min); /* max 0: unbounded */
	return buf;
}

int range_check(const struct opt_def *d, long long v, bool is_unsigned, uint64_t uv,
		char *err, size_t errlen)
{
	char r[64];

	if (is_unsigned) {
		if ((d->min > 0 && uv < (uint64_t)d->min) || (d->max > 0 && uv > (uint64_t)d->max))
			return fail(err, errlen, "%" PRIu64 " is out of range (%s)", uv,
				    range_text(d, r, sizeof(r)));
		return 0;
	}
	if (v < d->min || (d->max && v > d->max))
		return fail(err, errlen, "%lld is out of range (%s)", v, range_text(d, r, sizeof(r)));
	return 0;
}

/* One unsigned value for UINT/U64/SIZE/TIME @d from @s. */
int scalar_u(const struct opt_def *d, const struct job_opts *o, const char *s,
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

const struct opt_choice *choice_find(const struct opt_choice *c, const char *s)
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

int choice_fail(const struct opt_def *d, const char *s, char *err, size_t errlen)
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

int generic_parse(const struct opt_def *d, struct job_opts *o, const char *val,
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
		if (v < (double)d->min || (d->max && v > (double)d->max)) {
			char r[64];

			return fail(err, errlen, "%s is out of range (%s)", val,
				    range_text(d, r, sizeof(r)));
		}
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

void generic_print(const struct opt_def *d, const struct job_opts *o, char *buf, size_t len)
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

