/* I/O priorities; see cmdprio.h. */
#include "cmdprio.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "../lib/errmsg.h"


/* "bs/perc[/class/level]", or "bs" / "bs/" (0%). */
static int split_entry(const char *s, size_t len, unsigned kb_base, struct cmdprio_split *e,
		       char *err, size_t errlen)
{
	char buf[128], *f[5], *p, *end;
	unsigned nf = 0, v[3];
	uint64_t bs;

	if (len >= sizeof(buf))
		return errmsg_fail(err, errlen, "entry '%.*s...' is too long", 32, s);
	memcpy(buf, s, len);
	buf[len] = '\0';
	for (p = buf; nf < 5;) {
		f[nf++] = p;
		p = strchr(p, '/');
		if (!p)
			break;
		*p++ = '\0';
	}
	if (nf == 5 || nf == 3)
		return errmsg_fail(err, errlen, "'%.*s': not bs/percent or bs/percent/class/level",
			       (int)len, s);
	if (parse_size(f[0], kb_base, &bs) || !bs)
		return errmsg_fail(err, errlen, "'%s' is not a block size", f[0]);
	e->bs = bs;
	e->perc = 0;
	e->prio = -1;
	for (unsigned i = 1; i < nf; i++) {
		unsigned long x;

		if (i == 1 && !*f[1] && nf == 2)
			break; /* "bs/": 0% */
		errno = 0;
		x = strtoul(f[i], &end, 10);
		if (!*f[i] || *end || errno || f[i][0] == '-' || x > 100)
			return errmsg_fail(err, errlen, "'%s' is not a %s", f[i],
				       i == 1 ? "percentage (0-100)" : i == 2 ? "class (0-3)" : "level (0-7)");
		v[i - 1] = (unsigned)x;
	}
	if (nf >= 2 && *f[1])
		e->perc = v[0];
	if (nf == 4) {
		if (v[1] > 3)
			return errmsg_fail(err, errlen, "class %u: not 0-3 (1 realtime, 2 best effort, 3 idle)", v[1]);
		if (v[2] > 7)
			return errmsg_fail(err, errlen, "level %u: not 0-7", v[2]);
		e->prio = (int32_t)ioprio_value(v[1], v[2]);
	}
	return 0;
}

static int split_cmp(const void *a, const void *b)
{
	const struct cmdprio_split *x = a, *y = b;

	return x->bs < y->bs ? -1 : x->bs > y->bs;
}

/* One direction's list "e:e:...". */
static int split_dir(const char *s, size_t len, unsigned kb_base, struct cmdprio_split *out,
		     unsigned *nr, char *err, size_t errlen)
{
	unsigned n = 0;

	while (len) {
		const char *c = memchr(s, ':', len);
		size_t l = c ? (size_t)(c - s) : len;
		struct cmdprio_split e;

		if (!l)
			break; /* as fio: an empty entry ends the list */
		if (split_entry(s, l, kb_base, &e, err, errlen))
			return -1;
		if (e.perc) {
			if (n == BSSPLIT_MAX)
				return errmsg_fail(err, errlen, "more than %d entries", BSSPLIT_MAX);
			out[n++] = e;
		}
		if (!c)
			break;
		len -= l + 1;
		s = c + 1;
	}
	qsort(out, n, sizeof(*out), split_cmp);
	for (unsigned i = 0; i < n;) {
		unsigned tot = 0, j;

		for (j = i; j < n && out[j].bs == out[i].bs; j++)
			tot += out[j].perc;
		if (tot > 100)
			return errmsg_fail(err, errlen, "the entries for %llu bytes add to %u%%, over 100",
				       (unsigned long long)out[i].bs, tot);
		i = j;
	}
	*nr = n;
	return 0;
}

int cmdprio_split_parse(const char *val, unsigned kb_base,
			struct cmdprio_split out[2][BSSPLIT_MAX], unsigned nr[2], char *err,
			size_t errlen)
{
	static __thread struct cmdprio_split tmp[2][BSSPLIT_MAX];
	unsigned n[2] = { 0, 0 };
	const char *s = val ? val : "", *c;
	size_t len;

	while (*s == ' ' || *s == '\t')
		s++;
	len = strlen(s);
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	c = memchr(s, ',', len);
	{
		size_t commas = 0;

		for (size_t i = 0; i < len; i++)
			commas += s[i] == ',';
		if (commas > 2)
			return errmsg_fail(err, errlen, "'%.*s' has more than three comma-separated "
				       "parts (read,write,trim)", (int)(len < 64 ? len : 64), s);
	}
	if (!c) {
		/* one list: reads and writes alike */
		if (split_dir(s, len, kb_base, tmp[0], &n[0], err, errlen))
			return -1;
		memcpy(tmp[1], tmp[0], n[0] * sizeof(tmp[0][0]));
		n[1] = n[0];
	} else {
		const char *w = c + 1, *t = memchr(w, ',', len - (size_t)(w - s));
		size_t wl = t ? (size_t)(t - w) : len - (size_t)(w - s);

		if (split_dir(s, (size_t)(c - s), kb_base, tmp[0], &n[0], err, errlen) ||
		    split_dir(w, wl, kb_base, tmp[1], &n[1], err, errlen))
			return -1;
		/* a trim part is accepted and, as fio, unused */
		if (t) {
			struct cmdprio_split tt[BSSPLIT_MAX];
			unsigned nt;

			if (split_dir(t + 1, len - (size_t)(t + 1 - s), kb_base, tt, &nt, err, errlen))
				return -1;
		}
	}
	if (out)
		memcpy(out, tmp, sizeof(tmp));
	if (nr)
		memcpy(nr, n, sizeof(n));
	return 0;
}

static bool opt_given(const struct job_opts *o, const char *name)
{
	const struct opt_def *d = opt_find(name);

	return d && o->set[opt_index(d)];
}

bool cmdprio_thread_prio(const struct job_opts *o, uint32_t *v)
{
	if (!opt_given(o, "prio") && !opt_given(o, "prioclass")) {
		*v = 0;
		return false;
	}
	*v = ioprio_value((unsigned)o->ioprio_class, (unsigned)o->ioprio);
	return true;
}

static bool has_pct(const struct job_opts *o)
{
	return o->cmdprio_pct[DDIR_READ] || o->cmdprio_pct[DDIR_WRITE];
}

static bool has_split(const struct job_opts *o)
{
	return o->cmdprio_bssplit && *o->cmdprio_bssplit;
}

bool cmdprio_wanted(const struct job_opts *o)
{
	return has_pct(o) || has_split(o);
}

int cmdprio_check(const struct job_opts *o, char *err, size_t errlen)
{
	static const char *const names[] = { "cmdprio_percentage", "cmdprio_bssplit",
					     "cmdprio_class", "cmdprio" };
	const char *eng = o->ioengine ? o->ioengine : "psync";
	char why[200];

	if (strcmp(eng, "libaio") && strcmp(eng, "io_uring")) {
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (opt_given(o, names[i]))
				return errmsg_fail(err, errlen,
					       "%s: ioengine=%s cannot give I/Os their own "
					       "priority (libaio or io_uring can; prio/prioclass "
					       "set the job's)", names[i], eng);
	}
	if (has_pct(o) && has_split(o))
		return errmsg_fail(err, errlen, "cmdprio_bssplit: not with cmdprio_percentage (one "
			       "or the other, as fio)");
	if (has_split(o) &&
	    cmdprio_split_parse(o->cmdprio_bssplit, o->kb_base ? o->kb_base : 1024, NULL, NULL,
				why, sizeof(why)))
		return errmsg_fail(err, errlen, "cmdprio_bssplit: %s", why);
	return 0;
}

/* Index of @prio among @c's priorities of direction @d, added if new. */
static int prio_index(struct cmdprio *c, int d, uint32_t prio)
{
	for (unsigned i = 0; i < c->nr_prios[d]; i++)
		if (c->prios[d][i] == prio)
			return (int)i;
	if (c->nr_prios[d] == CMDPRIO_MAX_PRIOS)
		return -1;
	c->prios[d][c->nr_prios[d]] = prio;
	return (int)c->nr_prios[d]++;
}

int cmdprio_init(struct cmdprio *c, const struct job_opts *o, uint32_t thread_prio,
		 uint64_t seed, char *err, size_t errlen)
{
	memset(c, 0, sizeof(*c));
	rand_seed(&c->rnd, seed ^ UINT64_C(0x70726f696f707269));
	c->bssplit = has_split(o);
	if (c->bssplit && cmdprio_split_parse(o->cmdprio_bssplit, o->kb_base ? o->kb_base : 1024,
					      c->split, c->nr_split, err, errlen))
		return -EINVAL;
	for (int d = DDIR_READ; d <= DDIR_WRITE; d++) {
		/* as fio: no class given means realtime */
		uint32_t def = ioprio_value(o->cmdprio_class[d] ? o->cmdprio_class[d]
								: IOPRIO_CLASS_RT,
					    o->cmdprio_level[d]);

		if (!opts_has_ddir(o, (enum ddir)d) || (c->bssplit ? !c->nr_split[d] : !o->cmdprio_pct[d])) {
			c->nr_split[d] = 0;
			continue;
		}
		c->prios[d][0] = thread_prio;
		c->nr_prios[d] = 1;
		if (!c->bssplit) {
			c->perc[d] = o->cmdprio_pct[d];
			c->prio[d] = def;
			c->index[d] = (uint16_t)prio_index(c, d, def);
			continue;
		}
		for (unsigned i = 0; i < c->nr_split[d]; i++) {
			struct cmdprio_split *e = &c->split[d][i];
			int ix;

			if (e->prio < 0)
				e->prio = (int32_t)def;
			ix = prio_index(c, d, (uint32_t)e->prio);
			if (ix < 0) {
				errmsg_fail(err, errlen, "cmdprio_bssplit: too many priorities");
				return -EINVAL;
			}
			c->split_index[d][i] = (uint16_t)ix;
		}
	}
	return 0;
}

bool cmdprio_pick(struct cmdprio *c, int d, uint64_t bs, uint32_t *prio, uint16_t *index)
{
	unsigned r, acc = 0, i = 0, n;

	if (d < DDIR_READ || d > DDIR_WRITE || !c->nr_prios[d])
		return false;
	if (!c->bssplit) {
		if ((unsigned)rand_below(&c->rnd, 100) >= c->perc[d])
			return false;
		*prio = c->prio[d];
		*index = c->index[d];
		return true;
	}
	n = c->nr_split[d];
	while (i < n && c->split[d][i].bs != bs)
		i++;
	if (i == n)
		return false; /* no entry for this size: the thread's priority */
	r = (unsigned)rand_below(&c->rnd, 100);
	for (; i < n && c->split[d][i].bs == bs; i++) {
		acc += c->split[d][i].perc;
		if (r < acc) {
			*prio = (uint32_t)c->split[d][i].prio;
			*index = c->split_index[d][i];
			return true;
		}
	}
	return false;
}
