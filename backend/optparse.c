/* The value parsers and printers of the options with a syntax of their
 * own: rw, bs/bsrange/bssplit, distributions and zones, patterns,
 * injected and ignored errors, percentile and cpu lists, ... The table in
 * options.c names them; see options_int.h. */
#include "options_int.h"
#include "cmdprio.h"

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

int parse_size_pct(const struct opt_def *d, struct job_opts *o, const char *val,
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

void print_size_pct(const struct opt_def *d, const struct job_opts *o, char *buf,
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
const struct opt_choice rw_choices[] = {
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

int parse_rw(const struct opt_def *d, struct job_opts *o, const char *val, char *err,
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

void print_rw(const struct opt_def *d, const struct job_opts *o, char *buf, size_t len)
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

int parse_rwmixwrite(const struct opt_def *d, struct job_opts *o, const char *val,
		     char *err, size_t errlen)
{
	uint64_t v;

	if (need_val(d, val, err, errlen) || scalar_u(d, o, val, &v, err, errlen))
		return -1;
	o->rwmixread = 100 - (unsigned)v;
	return 0;
}

void print_rwmixwrite(const struct opt_def *d, const struct job_opts *o, char *buf,
		      size_t len)
{
	snprintf(buf, len, "%u", o->rwmixread <= 100 ? 100 - o->rwmixread : 0);
}

int parse_buffered(const struct opt_def *d, struct job_opts *o, const char *val,
		   char *err, size_t errlen)
{
	bool b = true;

	if (val && parse_bool(val, &b))
		return fail(err, errlen, "'%s' is not a boolean (use 1 or 0)", val);
	o->direct = !b;
	return 0;
}

void print_buffered(const struct opt_def *d, const struct job_opts *o, char *buf,
		    size_t len)
{
	snprintf(buf, len, "%d", o->direct ? 0 : 1);
}

/* bs=: a fixed size per direction; ranges belong to bsrange=. */
int parse_bs(const struct opt_def *d, struct job_opts *o, const char *val, char *err,
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

int parse_bsrange(const struct opt_def *d, struct job_opts *o, const char *val,
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

void print_bsrange(const struct opt_def *d, const struct job_opts *o, char *buf,
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

int parse_bssplit(const struct opt_def *d, struct job_opts *o, const char *val,
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

void print_bssplit(const struct opt_def *d, const struct job_opts *o, char *buf,
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

/* cmdprio_bssplit=: checked now (cmdprio.h has the syntax), kept as text */
int parse_cmdprio_bssplit(const struct opt_def *d, struct job_opts *o, const char *val,
			  char *err, size_t errlen)
{
	if (need_val(d, val, err, errlen) ||
	    cmdprio_split_parse(val, kb_of(o), NULL, NULL, err, errlen))
		return -1;
	set_str((char **)field(o, d), val);
	return 0;
}

/* ioengine=: must name a registered engine. */
int parse_ioengine(const struct opt_def *d, struct job_opts *o, const char *val,
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
const struct opt_choice dist_choices[] = {
	{ "random", DIST_RANDOM, "uniform over the whole region" },
	{ "zipf", DIST_ZIPF, "zipf:theta (default 1.1; theta > 0, not 1)" },
	{ "pareto", DIST_PARETO, "pareto:h (default 0.2; 0 < h < 1)" },
	{ "normal", DIST_NORMAL, "normal:sigma, percent of the region (default 0; 0..<100)" },
	{ "gauss", DIST_NORMAL, "same as normal" },
	{ "zoned", DIST_ZONED, "zoned:A/S:...: A% of the I/Os over the next S% of the region" },
	{ "zoned_abs", DIST_ZONED_ABS, "zoned_abs:A/SIZE:...: A% of the I/Os over the next SIZE bytes" },
	{ NULL, 0, NULL },
};

int dist_check(unsigned kind, double v, char *err, size_t errlen)
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

int parse_dist(const struct opt_def *d, struct job_opts *o, const char *val, char *err,
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

void print_dist(const struct opt_def *d, const struct job_opts *o, char *buf, size_t len)
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
int parse_fservice(const struct opt_def *d, struct job_opts *o, const char *val,
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

void print_fservice(const struct opt_def *d, const struct job_opts *o, char *buf,
		    size_t len)
{
	const char *name = opt_choice_name(d, o->file_service_type);

	if (o->file_service_nr > 1)
		snprintf(buf, len, "%s:%u", name ? name : "?", o->file_service_nr);
	else
		snprintf(buf, len, "%s", name ? name : "?");
}

/* randseed=: a number; "" means not set (the fixed default seed). */
int parse_randseed(const struct opt_def *d, struct job_opts *o, const char *val,
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

void print_randseed(const struct opt_def *d, const struct job_opts *o, char *buf,
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

int parse_pattern(const struct opt_def *d, struct job_opts *o, const char *val,
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

void print_pattern(const struct opt_def *d, const struct job_opts *o, char *buf,
		   size_t len)
{
	unsigned n = o->verify_pattern_len;

	print_hex(o->verify_pattern, n < sizeof(o->verify_pattern) ? n : sizeof(o->verify_pattern),
		  buf, len);
}

/* buffer_pattern=: write buffers hold this pattern, repeated. */
int parse_buffer_pattern(const struct opt_def *d, struct job_opts *o, const char *val,
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

void print_buffer_pattern(const struct opt_def *d, const struct job_opts *o, char *buf,
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

int parse_inject_error(const struct opt_def *d, struct job_opts *o, const char *val,
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

void print_inject_error(const struct opt_def *d, const struct job_opts *o, char *buf,
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
int parse_ignore_error(const struct opt_def *d, struct job_opts *o, const char *val,
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
	/* a listed type is continued on from here on, as fio's parser does
	 * it: a continue_on_error= set after this line replaces the bits */
	for (t = 0; t < ERRT_NR; t++)
		if (nr[t])
			o->continue_on_error |= 1u << t;
	return 0;
}

void print_ignore_error(const struct opt_def *d, const struct job_opts *o, char *buf,
			size_t len)
{
	size_t l = 0;
	int last = -1;

	buf[0] = '\0';
	/* a list continue_on_error no longer covers has no effect: left out,
	 * so that the dump read back sets no bit the job did not have */
	for (int t = 0; t < ERRT_NR; t++)
		if (o->nr_ignore_error[t] && (o->continue_on_error & (1u << t)))
			last = t;
	for (int t = 0; t <= last && l < len; t++) {
		if (t)
			l += (size_t)snprintf(buf + l, len - l, ",");
		if (!(o->continue_on_error & (1u << t)))
			continue;
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
int parse_percentile_list(const struct opt_def *d, struct job_opts *o, const char *val,
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

void print_percentile_list(const struct opt_def *d, const struct job_opts *o, char *buf,
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

int parse_inject_delay(const struct opt_def *d, struct job_opts *o, const char *val,
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

void print_inject_delay(const struct opt_def *d, const struct job_opts *o, char *buf,
			size_t len)
{
	fmt_time_exact(buf, len, o->inject_delay_us, d->time_unit_us);
}

/* continue_on_error: its name; a mask no name has (read and verify, say)
 * came from ignore_error lists, which the dump prints after it: the name
 * of what is left without the listed types' bits. */
void print_coe(const struct opt_def *d, const struct job_opts *o, char *buf, size_t len)
{
	unsigned v = o->continue_on_error;
	const char *name = opt_choice_name(d, v);

	for (int t = 0; !name && t < ERRT_NR; t++)
		if (o->nr_ignore_error[t])
			v &= ~(1u << t);
	if (!name)
		name = opt_choice_name(d, v);
	if (name)
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "%u", v);
}
