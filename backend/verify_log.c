/* The written-block log of verify (a treap of runs of blocks ordered by
 * file and offset, with the verify_backlog ring) and the verify state file
 * that saves and loads it. The block checks are verify.c. See verify.h. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/crc32c.h"
#include "../lib/le.h"
#include "../lib/outfile.h"
#include "job.h"
#include "verify.h"

/* ---- written-block log: a treap of runs ordered by (file, offset) ---- */

struct verify_log_node {
	uint64_t off;  /* first block */
	unsigned file; /* index in job->files */
	uint32_t blen; /* bytes per block */
	uint32_t n;    /* blocks; block i is at off + i * blen */
	uint64_t gen0; /* generation of block 0 */
	uint64_t step; /* generation of block i is gen0 + i * step (0 while n == 1) */
	struct verify_log_node *left, *right;
	uint32_t prio;
};

static inline uint64_t run_end(const struct verify_log_node *x)
{
	return x->off + (uint64_t)x->n * x->blen;
}

/* (x->file, x->off) < (file, off) */
static inline bool key_lt(const struct verify_log_node *x, unsigned file, uint64_t off)
{
	return x->file < file || (x->file == file && x->off < off);
}

static uint32_t log_prio(struct verify_log *l)
{
	l->prio_state = l->prio_state * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(l->prio_state >> 32);
}

/* Splits @t into keys < (@file, @off) (*a) and the rest (*b). */
static void tsplit(struct verify_log_node *t, unsigned file, uint64_t off,
		   struct verify_log_node **a, struct verify_log_node **b)
{
	if (!t) {
		*a = *b = NULL;
	} else if (key_lt(t, file, off)) {
		tsplit(t->right, file, off, &t->right, b);
		*a = t;
	} else {
		tsplit(t->left, file, off, a, &t->left);
		*b = t;
	}
}

/* Joins @a and @b, every key of @a below every key of @b. */
static struct verify_log_node *tmerge(struct verify_log_node *a, struct verify_log_node *b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	if (a->prio > b->prio) {
		a->right = tmerge(a->right, b);
		return a;
	}
	b->left = tmerge(a, b->left);
	return b;
}

static void tinsert(struct verify_log *l, struct verify_log_node *x)
{
	struct verify_log_node *a, *b;

	x->left = x->right = NULL;
	x->prio = log_prio(l);
	tsplit(l->root, x->file, x->off, &a, &b);
	l->root = tmerge(tmerge(a, x), b);
	l->nr_runs++;
}

/* Unlinks run @x (which is in the tree) and returns it. */
static struct verify_log_node *tremove(struct verify_log *l, struct verify_log_node *x)
{
	struct verify_log_node *a, *b, *m, *c;

	tsplit(l->root, x->file, x->off, &a, &b);
	tsplit(b, x->file, x->off + 1, &m, &c);
	l->root = tmerge(a, c);
	l->nr_runs--;
	return m;
}

/* Last run of @file starting at or before @off. */
static struct verify_log_node *find_le(const struct verify_log *l, unsigned file, uint64_t off)
{
	struct verify_log_node *t = l->root, *best = NULL;

	while (t) {
		if (t->file < file || (t->file == file && t->off <= off)) {
			best = t;
			t = t->right;
		} else {
			t = t->left;
		}
	}
	return best && best->file == file ? best : NULL;
}

/* First run at or after (@file, @off), in any file. */
static struct verify_log_node *find_ge_any(const struct verify_log *l, unsigned file,
					   uint64_t off)
{
	struct verify_log_node *t = l->root, *best = NULL;

	while (t) {
		if (key_lt(t, file, off)) {
			t = t->right;
		} else {
			best = t;
			t = t->left;
		}
	}
	return best;
}

/* First run of @file starting at or after @off. */
static struct verify_log_node *find_ge(const struct verify_log *l, unsigned file, uint64_t off)
{
	struct verify_log_node *x = find_ge_any(l, file, off);

	return x && x->file == file ? x : NULL;
}

static void tfree(struct verify_log_node *t)
{
	while (t) {
		struct verify_log_node *r = t->right;

		tfree(t->left);
		free(t);
		t = r;
	}
}

int verify_log_init(struct verify_log *l, unsigned backlog)
{
	memset(l, 0, sizeof(*l));
	l->prio_state = 0x853c49e6748fea9bull;
	if (backlog) {
		l->ring = calloc(backlog, sizeof(*l->ring));
		if (!l->ring)
			return -ENOMEM;
		l->backlog_cap = backlog;
	}
	return 0;
}

void verify_log_free(struct verify_log *l)
{
	tfree(l->root);
	free(l->cache[0]);
	free(l->cache[1]);
	free(l->ring);
	memset(l, 0, sizeof(*l));
}

static void set_n(struct verify_log_node *x, uint32_t n)
{
	x->n = n;
	if (n == 1)
		x->step = 0;
}

/* Drops every block of @x that overlaps [@s, @e) of its file; @x overlaps
 * that range. Needs one spare node in *@spare when @x splits in two (only
 * one run can: runs do not overlap). */
static void run_cut(struct verify_log *l, struct verify_log_node *x, uint64_t s, uint64_t e,
		    struct verify_log_node **spare)
{
	uint32_t i0 = s <= x->off ? 0 : (uint32_t)((s - x->off) / x->blen);
	uint32_t i1 = e >= run_end(x) ? x->n : (uint32_t)((e - x->off + x->blen - 1) / x->blen);
	uint32_t n = x->n;

	tremove(l, x);
	l->nr_blocks -= i1 - i0;
	l->bytes -= (uint64_t)(i1 - i0) * x->blen;
	if (i1 < n) {
		struct verify_log_node *r = x;

		if (i0 > 0) {
			r = *spare;
			*spare = NULL;
			*r = *x;
		}
		r->off = x->off + (uint64_t)i1 * x->blen;
		r->gen0 = x->gen0 + i1 * x->step;
		set_n(r, n - i1);
		if (i0 > 0) {
			set_n(x, i0);
			tinsert(l, x);
		}
		tinsert(l, r);
	} else if (i0 > 0) {
		set_n(x, i0);
		tinsert(l, x);
	} else {
		free(x);
	}
}

/* May @gen be the generation of a block appended after the last of @x? */
static bool gen_follows(const struct verify_log_node *x, uint64_t gen)
{
	uint64_t last = x->gen0 + (uint64_t)(x->n - 1) * x->step;

	if (x->n == 1)
		return gen > last;
	return gen == last + x->step;
}

static void ring_push(struct verify_log *l, unsigned file, uint64_t off, uint32_t len,
		      uint64_t gen)
{
	if (!l->backlog_cap)
		return;
	l->ring[l->ring_head] = (struct verify_block){ .file = file, .offset = off, .len = len,
						       .gen = gen };
	l->ring_head = (l->ring_head + 1) % l->backlog_cap;
}

int verify_log_add(struct verify_log *l, unsigned file, uint64_t off, uint32_t len, uint64_t gen)
{
	struct verify_log_node *x, *spare, *p, *s;
	uint64_t end = off + len;

	if (!len || end < off)
		return -EINVAL;
	/* the two nodes an add may need, up front: nothing fails half way */
	for (int i = 0; i < 2; i++)
		if (!l->cache[i] && !(l->cache[i] = malloc(sizeof(*l->cache[i]))))
			return -ENOMEM;
	x = l->cache[0];
	spare = l->cache[1];
	l->cache[0] = l->cache[1] = NULL;

	/* the last completed write wins: drop older blocks it overlaps */
	p = find_le(l, file, off);
	if (p && run_end(p) > off)
		run_cut(l, p, off, end, &spare);
	while ((s = find_ge(l, file, off)) && s->off < end)
		run_cut(l, s, off, end, &spare);

	l->nr_blocks++;
	l->bytes += len;
	l->backlog_pending++;
	ring_push(l, file, off, len, gen);

	p = find_le(l, file, off);
	s = find_ge(l, file, end);
	if (p && run_end(p) == off && p->blen == len && gen_follows(p, gen) &&
	    p->n < UINT32_MAX) {
		if (p->n == 1)
			p->step = gen - p->gen0;
		p->n++;
		/* the gap between p and s may just have closed */
		if (s && s->off == end && s->blen == len && gen_follows(p, s->gen0) &&
		    (s->n == 1 || s->step == p->step) && (uint64_t)p->n + s->n <= UINT32_MAX) {
			p->n += s->n;
			free(tremove(l, s));
		}
		l->cache[0] = x;
	} else if (s && s->off == end && s->blen == len && s->gen0 > gen &&
		   (s->n == 1 || s->gen0 - gen == s->step) && s->n < UINT32_MAX) {
		/* prepend: no run lies between off and s->off, so order holds */
		if (s->n == 1)
			s->step = s->gen0 - gen;
		s->off = off;
		s->gen0 = gen;
		s->n++;
		l->cache[0] = x;
	} else {
		*x = (struct verify_log_node){ .file = file, .off = off, .blen = len, .n = 1,
					       .gen0 = gen };
		tinsert(l, x);
	}
	l->cache[1] = spare; /* NULL if a split took it */
	return 0;
}

static void block_of(const struct verify_log_node *x, uint32_t i, struct verify_block *out)
{
	out->file = x->file;
	out->offset = x->off + (uint64_t)i * x->blen;
	out->len = x->blen;
	out->gen = x->gen0 + i * x->step;
}

bool verify_log_lookup(const struct verify_log *l, unsigned file, uint64_t offset,
		       struct verify_block *out)
{
	const struct verify_log_node *x = find_le(l, file, offset);

	if (!x || offset >= run_end(x) || (offset - x->off) % x->blen)
		return false;
	block_of(x, (uint32_t)((offset - x->off) / x->blen), out);
	return true;
}

bool verify_log_next(const struct verify_log *l, struct verify_cursor *c, struct verify_block *out)
{
	const struct verify_log_node *x;
	uint64_t i = 0;

	if (c->done)
		return false;
	x = find_le(l, c->file, c->next);
	if (x && c->next < run_end(x)) {
		/* first block of x starting at or after the cursor */
		i = (c->next - x->off + x->blen - 1) / x->blen;
		if (i >= x->n) {
			x = find_ge_any(l, c->file, run_end(x));
			i = 0;
		}
	} else {
		x = find_ge_any(l, c->file, c->next);
	}
	if (!x) {
		c->done = true;
		return false;
	}
	block_of(x, (uint32_t)i, out);
	c->file = out->file;
	c->next = out->offset + out->len;
	return true;
}

unsigned verify_log_backlog(struct verify_log *l, struct verify_block *out, unsigned max)
{
	uint64_t want = l->backlog_pending;
	unsigned got = 0;

	if (want > l->backlog_cap)
		want = l->backlog_cap;
	if (want > max)
		want = max;
	for (uint64_t k = want; k > 0; k--) {
		unsigned idx = (unsigned)((l->ring_head + l->backlog_cap - k) % l->backlog_cap);
		const struct verify_block *b = &l->ring[idx];
		struct verify_block cur;

		if (verify_log_lookup(l, b->file, b->offset, &cur) && cur.len == b->len &&
		    cur.gen == b->gen)
			out[got++] = *b;
	}
	l->backlog_pending = 0;
	return got;
}

/* ---- state file ---- */

#define STATE_HDR 64
#define STATE_REC 40

struct save_ctx {
	FILE *f;
	uint32_t crc;
	uint64_t runs;
	int err;
};

static void save_runs(const struct verify_log_node *t, struct save_ctx *s)
{
	uint8_t rec[STATE_REC];

	while (t && !s->err) {
		save_runs(t->left, s);
		memset(rec, 0, sizeof(rec));
		le64_put(rec, t->off);
		le32_put(rec + 8, t->blen);
		le32_put(rec + 12, t->n);
		le64_put(rec + 16, t->gen0);
		le64_put(rec + 24, t->step);
		le32_put(rec + 32, t->file);
		s->crc = crc32c(s->crc, rec, sizeof(rec));
		s->runs++;
		if (fwrite(rec, sizeof(rec), 1, s->f) != 1)
			s->err = errno ? errno : EIO;
		t = t->right;
	}
}

int verify_state_save(const struct verify_log *l, const char *path, uint64_t seed,
		      const struct job_opts *o, char *err, size_t errlen)
{
	struct outfile_atomic a;
	uint8_t h[STATE_HDR];
	char what[PATH_MAX + 32];
	struct save_ctx s = { 0 };
	int ret;

	/* lib/outfile: never a device; a random O_EXCL|O_NOFOLLOW temporary
	 * beside the file, renamed over it once complete */
	snprintf(what, sizeof(what), "verify_state_save: %s", path);
	ret = outfile_atomic_begin(&a, path, 0, what, err, errlen);
	if (ret)
		return ret;
	s.f = a.f;
	memset(h, 0, sizeof(h));
	if (fwrite(h, sizeof(h), 1, s.f) != 1) /* placeholder, rewritten below */
		s.err = errno ? errno : EIO;
	save_runs(l->root, &s);
	if (s.err)
		goto err;

	memcpy(h, VERIFY_STATE_MAGIC, 8);
	le32_put(h + 8, VERIFY_STATE_VERSION);
	le32_put(h + 12, STATE_HDR);
	le64_put(h + 16, seed);
	le32_put(h + 24, (uint32_t)o->verify);
	le32_put(h + 28, o->verify_interval);
	le64_put(h + 32, s.runs);
	le64_put(h + 40, l->nr_blocks);
	le64_put(h + 48, l->bytes);
	le32_put(h + 56, s.crc);
	le32_put(h + 60, crc32c(0, h, 60));
	if (fseek(s.f, 0, SEEK_SET) || fwrite(h, sizeof(h), 1, s.f) != 1) {
		s.err = errno ? errno : EIO;
		goto err;
	}
	return outfile_atomic_commit(&a, err, errlen);
err:
	snprintf(err, errlen, "%s: %s", what, strerror(s.err));
	outfile_atomic_abort(&a);
	return -s.err;
}

int verify_state_load(struct verify_log *l, const char *path, const struct job_opts *o,
		      uint64_t *seed, char *err, size_t errlen)
{
	uint8_t h[STATE_HDR], rec[STATE_REC];
	uint64_t runs, blocks, bytes, prev_end = 0, nblocks = 0, nbytes = 0;
	uint32_t crc = 0, kind, interval, prev_file = 0;
	char what[PATH_MAX + 32];
	int ret = -EINVAL;
	FILE *f;

	snprintf(what, sizeof(what), "verify_state_load: %s", path);
	f = infile_open(path, what, err, errlen);
	if (!f)
		return -errno;
	if (fread(h, sizeof(h), 1, f) != 1) {
		snprintf(err, errlen, "verify_state_load: %s: shorter than its %d-byte header",
			 path, STATE_HDR);
		goto err;
	}
	if (memcmp(h, VERIFY_STATE_MAGIC, 8)) {
		snprintf(err, errlen, "verify_state_load: %s: not an iolab verify state file",
			 path);
		goto err;
	}
	if (le32_get(h + 60) != crc32c(0, h, 60)) {
		snprintf(err, errlen, "verify_state_load: %s: header checksum mismatch", path);
		goto err;
	}
	if (le32_get(h + 8) != VERIFY_STATE_VERSION || le32_get(h + 12) != STATE_HDR) {
		snprintf(err, errlen, "verify_state_load: %s: format version %u, expected %u",
			 path, le32_get(h + 8), VERIFY_STATE_VERSION);
		goto err;
	}
	kind = le32_get(h + 24);
	interval = le32_get(h + 28);
	runs = le64_get(h + 32);
	blocks = le64_get(h + 40);
	bytes = le64_get(h + 48);
	if (o && (kind != (uint32_t)o->verify || interval != o->verify_interval)) {
		snprintf(err, errlen,
			 "verify_state_load: %s: written with verify=%s verify_interval=%u, job has "
			 "verify=%s verify_interval=%u",
			 path, verify_kind_name(kind), interval, verify_kind_name(o->verify),
			 o->verify_interval);
		goto err;
	}
	for (uint64_t r = 0; r < runs; r++) {
		struct verify_log_node *x;

		if (fread(rec, sizeof(rec), 1, f) != 1) {
			snprintf(err, errlen,
				 "verify_state_load: %s: truncated: %" PRIu64 " of %" PRIu64
				 " run records",
				 path, r, runs);
			goto err;
		}
		crc = crc32c(crc, rec, sizeof(rec));
		uint64_t off = le64_get(rec), step = le64_get(rec + 24);
		uint32_t blen = le32_get(rec + 8), n = le32_get(rec + 12), file = le32_get(rec + 32);
		uint64_t end = off + (uint64_t)n * blen;
		bool ordered = !r || file > prev_file || (file == prev_file && off >= prev_end);

		if (!blen || !n || end < off || !ordered || (n == 1 && step) || (n > 1 && !step) ||
		    le32_get(rec + 36)) {
			snprintf(err, errlen,
				 "verify_state_load: %s: run record %" PRIu64
				 " is invalid (file %u, offset %" PRIu64 ", %u blocks of %u)",
				 path, r, file, off, n, blen);
			goto err;
		}
		x = malloc(sizeof(*x));
		if (!x) {
			ret = -ENOMEM;
			snprintf(err, errlen, "verify_state_load: %s: out of memory", path);
			goto err;
		}
		*x = (struct verify_log_node){ .file = file, .off = off, .blen = blen, .n = n,
					       .gen0 = le64_get(rec + 16), .step = step };
		tinsert(l, x);
		prev_file = file;
		prev_end = end;
		nblocks += n;
		nbytes += (uint64_t)n * blen;
	}
	if (crc != le32_get(h + 56) || nblocks != blocks || nbytes != bytes) {
		snprintf(err, errlen, "verify_state_load: %s: run records do not match the header",
			 path);
		goto err;
	}
	if (fgetc(f) != EOF) {
		snprintf(err, errlen, "verify_state_load: %s: trailing bytes after %" PRIu64 " runs",
			 path, runs);
		goto err;
	}
	fclose(f);
	l->nr_blocks = nblocks;
	l->bytes = nbytes;
	*seed = le64_get(h + 16);
	return 0;
err:
	fclose(f);
	tfree(l->root);
	l->root = NULL;
	l->nr_runs = l->nr_blocks = l->bytes = 0;
	return ret;
}

int verify_state_path(char *buf, size_t len, const char *opt, const char *job_name)
{
	struct stat st;
	int n;

	if (!opt || !*opt || !strcmp(opt, "1"))
		n = snprintf(buf, len, "%s-verify.state", job_name);
	else if (!stat(opt, &st) && S_ISDIR(st.st_mode))
		n = snprintf(buf, len, "%s/%s-verify.state", opt, job_name);
	else
		n = snprintf(buf, len, "%s", opt);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}
