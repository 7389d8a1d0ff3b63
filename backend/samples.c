/* The sample store; see samples.h for the contract.
 *
 * Layout. Each job has up to SAMPLES_MAX_LEVELS levels; a level is a ring
 * of SAMPLES_LEVEL_CAP entries (a sample and its tree node), allocated
 * whole the first time the level is used and never moved, so the tree can
 * point into it. Level 0 takes the appends at full rate. When a level is
 * full, its SAMPLES_MERGE (K) oldest entries leave the tree and are merged
 * into one entry appended to the next level (which may cascade); the top
 * level merges into itself. Per job, the levels are therefore in time order
 * from the top level (oldest) down to level 0 (newest), which samples_range
 * walks with a binary search per level; samples_query asks the one priority
 * search tree that holds every entry of every job and level.
 *
 * Merging K samples into one (t_start of the first, t_end of the last):
 *  - ios: the sum, exactly, so totals over any rollup equal what was
 *    appended;
 *  - iops, bw, depth, iodepth_set and the device's util, r/s, w/s, rkB/s,
 *    wkB/s and aqu-sz: means weighted by each sample's duration (for
 *    contiguous samples iops becomes sum(ios) / total time);
 *  - lat_mean: mean weighted by ios (exact); lat_p50: mean of the p50s
 *    weighted by ios (an estimate: the histograms are gone by then);
 *  - lat_p99, lat_p999, lat_max: the max of the parts (p99 and p99.9 are
 *    then upper bounds on the merged interval's true percentiles);
 *  - r_await, w_await: means weighted by the device's reads or writes;
 *  - runstate: the last one's; in_ramp: 1 if any part was in ramp; level:
 *    one above the highest merged;
 *  - the heat histograms: summed bucket by bucket, exactly (a direction
 *    none of the parts had stays without one).
 *
 * Memory. An entry is sizeof(struct sample) + sizeof(struct prio_tree_node)
 * + the heat block's pointer and lengths = 184 + 64 + 16 = 264 bytes on
 * x86-64 (LP64); a level ring costs SAMPLES_LEVEL_CAP * 264 = 135168 bytes; a job slot 16 +
 * SAMPLES_MAX_LEVELS * 16 = 208 (plus its rings); the store itself 18704
 * (mutex, tree, the SAMPLES_MAX_MARKS = 256 marks of 64 bytes, the
 * SAMPLES_MAX_DISKS = 16 disk figures of 136 bytes); the job table 8 bytes
 * a slot, doubling from 8. Rings are allocated whole, so the cost depends
 * on the levels in use, not on how full they are.
 *
 * An hour of 8 jobs at 100 ms is 36000 appends a job. Level 0 fills after
 * 512 ticks and then sends one entry to level 1 every 8 ticks; level 1
 * fills at tick 512 + 8 * 512 = 4608 and then sends one to level 2 every
 * 64 ticks; level 2 would only fill at tick 4608 + 64 * 512 = 37376 (62
 * minutes). At the hour's end each job holds 512 + 508 + 491 = 1511
 * samples (512 + 8 * 508 + 64 * 491 = 36000 ticks) in three rings:
 *
 *     18704 + 8 * 8 + 8 * (208 + 3 * 135168) = 3264464 bytes (3.11 MiB),
 *
 * plus the heat blocks (malloc_usable_size of each, counted in
 * samples_bytes; see samples.h for their size), which tests/test_samples.c
 * appends without histograms and checks with samples_bytes(). The
 * three levels then span 51 s at full rate, 6.8 min at 0.8 s and 52 min at
 * 6.4 s. A day at 100 ms reaches level 4: two more rings, +264 KiB a job;
 * each further level covers 8 times longer for the same 132 KiB. */
#include "samples.h"

#include <pthread.h>
#include <malloc.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/atomic.h"
#include "../lib/prio_tree.h"
#include "diskstats.h"

#define MAX_JOB_ID 65536u
#define JOB_TABLE_MIN 8u

struct entry {
	struct sample s;
	struct prio_tree_node node;
	uint8_t *heat; /* malloc'ed; the directions' varint runs back to back, or NULL */
	uint16_t heat_len[DDIR_RWDIR_CNT]; /* bytes of each direction's runs */
};

/* Longest run encoding of one direction: a gap varint (< 2^14: 2 bytes)
 * and a count varint (10 bytes) a bucket. */
#define HEAT_DIR_MAX (SAMPLES_HEAT_NR * 12)

struct level {
	struct entry *ring; /* SAMPLES_LEVEL_CAP entries, or NULL until used */
	unsigned head;      /* oldest */
	unsigned count;
};

struct job_slot {
	unsigned nlevels; /* levels with a ring */
	unsigned pad;
	uint64_t appended;
	struct level lv[SAMPLES_MAX_LEVELS];
};

struct sample_store {
	pthread_mutex_t lock;
	struct prio_tree tree;
	struct job_slot **jobs; /* indexed by job id */
	size_t jobs_cap;
	uint64_t seq;     /* atomic: samples ever appended */
	uint64_t dropped; /* atomic */
	size_t bytes;     /* atomic */
	uint64_t span_lo, span_hi;
	bool have_span;
	unsigned mark_head, mark_count;
	struct sample_mark marks[SAMPLES_MAX_MARKS];
	size_t ndisk;
	struct disk_util disk[SAMPLES_MAX_DISKS];
};

static void add_bytes(struct sample_store *s, size_t n)
{
	st_relaxed(&s->bytes, ld_relaxed(&s->bytes) + n);
}

static void sub_bytes(struct sample_store *s, size_t n)
{
	st_relaxed(&s->bytes, ld_relaxed(&s->bytes) - n);
}

/* ---- heat histograms ------------------------------------------------------ */

unsigned samples_heat_index(uint64_t ns)
{
	return hist_index(ns) >> SAMPLES_HEAT_SHIFT;
}

uint64_t samples_heat_low(unsigned b)
{
	if (b >= SAMPLES_HEAT_NR)
		return UINT64_MAX;
	return hist_bucket_low(b << SAMPLES_HEAT_SHIFT);
}

static size_t put_varint(uint8_t *p, uint64_t v)
{
	size_t n = 0;

	while (v >= 0x80) {
		p[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (uint8_t)v;
	return n;
}

static size_t get_varint(const uint8_t *p, size_t len, uint64_t *v)
{
	uint64_t x = 0;
	size_t n = 0;

	for (unsigned sh = 0; n < len && sh < 64; sh += 7) {
		uint8_t b = p[n++];

		x |= (uint64_t)(b & 0x7f) << sh;
		if (!(b & 0x80)) {
			*v = x;
			return n;
		}
	}
	return 0; /* truncated: cannot happen for runs we wrote */
}

/* Runs of the dense coarse histogram @h into @p (HEAT_DIR_MAX bytes);
 * returns the bytes written. */
static size_t heat_encode(uint8_t *p, const uint64_t *h)
{
	size_t n = 0;
	unsigned next = 0;

	for (unsigned b = 0; b < SAMPLES_HEAT_NR; b++) {
		if (!h[b])
			continue;
		n += put_varint(p + n, b - next);
		n += put_varint(p + n, h[b]);
		next = b + 1;
	}
	return n;
}

/* Adds the runs @p (@len bytes) into the dense @h. */
static void heat_decode(uint64_t *h, const uint8_t *p, size_t len)
{
	size_t off = 0;
	uint64_t b = 0;

	while (off < len) {
		uint64_t gap, cnt;
		size_t k = get_varint(p + off, len - off, &gap);

		if (!k)
			return;
		off += k;
		k = get_varint(p + off, len - off, &cnt);
		if (!k)
			return;
		off += k;
		b += gap;
		if (b >= SAMPLES_HEAT_NR)
			return;
		h[b++] += cnt;
	}
}

/* A block for @e from the dense histograms @h[d] (NULL: none); the caller
 * holds the store's mutex or owns @e alone. Out of memory leaves @e
 * without a histogram. */
static void heat_set(struct sample_store *s, struct entry *e, uint64_t (*h)[SAMPLES_HEAT_NR],
		     const bool *have)
{
	uint8_t buf[DDIR_RWDIR_CNT * HEAT_DIR_MAX];
	size_t n = 0;

	e->heat = NULL;
	memset(e->heat_len, 0, sizeof(e->heat_len));
	for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
		size_t k = have[d] ? heat_encode(buf + n, h[d]) : 0;

		e->heat_len[d] = (uint16_t)k;
		n += k;
	}
	if (!n)
		return;
	e->heat = malloc(n);
	if (!e->heat) {
		memset(e->heat_len, 0, sizeof(e->heat_len));
		return;
	}
	memcpy(e->heat, buf, n);
	add_bytes(s, malloc_usable_size(e->heat));
}

static void heat_free(struct sample_store *s, struct entry *e)
{
	if (e->heat) {
		sub_bytes(s, malloc_usable_size(e->heat));
		free(e->heat);
	}
	e->heat = NULL;
	memset(e->heat_len, 0, sizeof(e->heat_len));
}

/* Adds @e's directions in @dirmask into @h. */
static void heat_add(uint64_t *h, const struct entry *e, unsigned dirmask)
{
	size_t off = 0;

	if (!e->heat)
		return;
	for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
		if (dirmask & (1u << d))
			heat_decode(h, e->heat + off, e->heat_len[d]);
		off += e->heat_len[d];
	}
}

static struct entry *at(const struct level *lv, unsigned i)
{
	return &lv->ring[(lv->head + i) % SAMPLES_LEVEL_CAP];
}

struct sample_store *samples_new(void)
{
	struct sample_store *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	if (pthread_mutex_init(&s->lock, NULL)) {
		free(s);
		return NULL;
	}
	prio_tree_init(&s->tree);
	s->bytes = sizeof(*s);
	return s;
}

static void drop_jobs(struct sample_store *s)
{
	for (size_t j = 0; j < s->jobs_cap; j++) {
		struct job_slot *js = s->jobs[j];

		if (!js)
			continue;
		for (unsigned l = 0; l < js->nlevels; l++) {
			for (unsigned i = 0; i < js->lv[l].count; i++)
				free(at(&js->lv[l], i)->heat);
			free(js->lv[l].ring);
		}
		free(js);
	}
	free(s->jobs);
	s->jobs = NULL;
	s->jobs_cap = 0;
	prio_tree_init(&s->tree);
	st_relaxed(&s->bytes, sizeof(*s));
}

void samples_free(struct sample_store *s)
{
	if (!s)
		return;
	drop_jobs(s);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

void samples_clear(struct sample_store *s)
{
	pthread_mutex_lock(&s->lock);
	drop_jobs(s);
	s->have_span = false;
	s->span_lo = s->span_hi = 0;
	s->mark_head = s->mark_count = 0;
	s->ndisk = 0;
	pthread_mutex_unlock(&s->lock);
}

/* ---- writer side ------------------------------------------------------ */

static struct job_slot *job_slot_get(struct sample_store *s, unsigned job)
{
	struct job_slot *js;

	if (job >= MAX_JOB_ID)
		return NULL;
	if (job >= s->jobs_cap) {
		size_t cap = s->jobs_cap ? s->jobs_cap : JOB_TABLE_MIN;
		struct job_slot **nj;

		while (cap <= job)
			cap *= 2;
		nj = realloc(s->jobs, cap * sizeof(*nj));
		if (!nj)
			return NULL;
		memset(nj + s->jobs_cap, 0, (cap - s->jobs_cap) * sizeof(*nj));
		add_bytes(s, (cap - s->jobs_cap) * sizeof(*nj));
		s->jobs = nj;
		s->jobs_cap = cap;
	}
	js = s->jobs[job];
	if (!js) {
		js = calloc(1, sizeof(*js));
		if (!js)
			return NULL;
		add_bytes(s, sizeof(*js));
		s->jobs[job] = js;
	}
	return js;
}

/* Ring for level @l of @js, allocating it the first time. NULL if out of
 * memory. */
static struct level *level_get(struct sample_store *s, struct job_slot *js, unsigned l)
{
	struct level *lv = &js->lv[l];

	if (!lv->ring) {
		lv->ring = malloc(SAMPLES_LEVEL_CAP * sizeof(*lv->ring));
		if (!lv->ring)
			return NULL;
		add_bytes(s, SAMPLES_LEVEL_CAP * sizeof(*lv->ring));
		lv->head = lv->count = 0;
		if (l + 1 > js->nlevels)
			js->nlevels = l + 1;
	}
	return lv;
}

static float fmaxf2(float a, float b)
{
	return a > b ? a : b;
}

/* Merges the @k oldest entries of @lv into @m (see the top of this file). */
static void merge(struct sample *m, const struct level *lv, unsigned k)
{
	const struct sample *first = &at(lv, 0)->s, *last = &at(lv, k - 1)->s;
	double tw = 0, dio[DDIR_RWDIR_CNT] = { 0 };
	double acc_depth = 0, acc_set = 0, acc_util = 0, acc_rps = 0, acc_wps = 0;
	double acc_rkbs = 0, acc_wkbs = 0, acc_aqu = 0, acc_raw = 0, acc_waw = 0;
	double rw_r = 0, rw_w = 0;
	double acc_iops[DDIR_RWDIR_CNT] = { 0 }, acc_bw[DDIR_RWDIR_CNT] = { 0 };
	double acc_lat[DDIR_RWDIR_CNT] = { 0 }, acc_p50[DDIR_RWDIR_CNT] = { 0 };
	bool by_time = false;
	unsigned top = 0;

	memset(m, 0, sizeof(*m));
	for (unsigned i = 0; i < k; i++)
		if (at(lv, i)->s.t_end > at(lv, i)->s.t_start)
			by_time = true;
	for (unsigned i = 0; i < k; i++) {
		const struct sample *x = &at(lv, i)->s;
		double w = by_time ? (double)(x->t_end - x->t_start) : 1.0;

		tw += w;
		acc_depth += w * x->depth;
		acc_set += w * x->iodepth_set;
		acc_util += w * x->dev_util;
		acc_rps += w * x->dev_rps;
		acc_wps += w * x->dev_wps;
		acc_rkbs += w * x->dev_rkbs;
		acc_wkbs += w * x->dev_wkbs;
		acc_aqu += w * x->dev_aqu;
		acc_raw += w * x->dev_rps * x->dev_r_await;
		acc_waw += w * x->dev_wps * x->dev_w_await;
		rw_r += w * x->dev_rps;
		rw_w += w * x->dev_wps;
		if (x->in_ramp)
			m->in_ramp = 1;
		if (x->level > top)
			top = x->level;
		for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
			const struct sample_dir *xd = &x->dir[d];
			struct sample_dir *md = &m->dir[d];

			md->ios += xd->ios;
			dio[d] += (double)xd->ios;
			acc_iops[d] += w * xd->iops;
			acc_bw[d] += w * xd->bw;
			acc_lat[d] += (double)xd->ios * xd->lat_mean;
			acc_p50[d] += (double)xd->ios * xd->lat_p50;
			md->lat_p99 = fmaxf2(md->lat_p99, xd->lat_p99);
			md->lat_p999 = fmaxf2(md->lat_p999, xd->lat_p999);
			md->lat_max = fmaxf2(md->lat_max, xd->lat_max);
		}
	}
	m->t_start = first->t_start;
	m->t_end = last->t_end;
	m->job = first->job;
	m->runstate = last->runstate;
	m->level = (uint8_t)(top < 255 ? top + 1 : 255);
	m->depth = (float)(acc_depth / tw);
	m->iodepth_set = (float)(acc_set / tw);
	m->dev_util = (float)(acc_util / tw);
	m->dev_rps = (float)(acc_rps / tw);
	m->dev_wps = (float)(acc_wps / tw);
	m->dev_rkbs = (float)(acc_rkbs / tw);
	m->dev_wkbs = (float)(acc_wkbs / tw);
	m->dev_aqu = (float)(acc_aqu / tw);
	m->dev_r_await = rw_r > 0 ? (float)(acc_raw / rw_r) : 0;
	m->dev_w_await = rw_w > 0 ? (float)(acc_waw / rw_w) : 0;
	for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
		m->dir[d].iops = (float)(acc_iops[d] / tw);
		m->dir[d].bw = (float)(acc_bw[d] / tw);
		if (dio[d] > 0) {
			m->dir[d].lat_mean = (float)(acc_lat[d] / dio[d]);
			m->dir[d].lat_p50 = (float)(acc_p50[d] / dio[d]);
		}
	}
}

static void entry_index(struct sample_store *s, struct entry *e)
{
	e->node.start = e->s.t_start;
	e->node.end = e->s.t_end;
	prio_tree_insert(&s->tree, &e->node);
}

/* Takes the K oldest of a full level @l out and puts their merge in the
 * next level, or back at the front of @l when it is the top or the next
 * ring cannot be allocated. */
static void roll(struct sample_store *s, struct job_slot *js, unsigned l)
{
	struct level *lv = &js->lv[l], *up = NULL;
	uint64_t h[DDIR_RWDIR_CNT][SAMPLES_HEAT_NR];
	bool have[DDIR_RWDIR_CNT] = { false };
	struct sample m;
	struct entry *e;

	merge(&m, lv, SAMPLES_MERGE);
	memset(h, 0, sizeof(h));
	for (unsigned i = 0; i < SAMPLES_MERGE; i++) {
		struct entry *x = at(lv, i);

		for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
			if (x->heat_len[d])
				have[d] = true;
			heat_add(h[d], x, 1u << d);
		}
		heat_free(s, x);
		prio_tree_remove(&s->tree, &x->node);
	}
	if (l + 1 < SAMPLES_MAX_LEVELS)
		up = level_get(s, js, l + 1);
	if (!up) {
		lv->head = (lv->head + SAMPLES_MERGE - 1) % SAMPLES_LEVEL_CAP;
		lv->count -= SAMPLES_MERGE - 1;
		e = at(lv, 0);
	} else {
		lv->head = (lv->head + SAMPLES_MERGE) % SAMPLES_LEVEL_CAP;
		lv->count -= SAMPLES_MERGE;
		if (up->count == SAMPLES_LEVEL_CAP)
			roll(s, js, l + 1);
		e = at(up, up->count++);
	}
	e->s = m;
	heat_set(s, e, h, have);
	entry_index(s, e);
}

void samples_append(struct sample_store *s, const struct sample *smp)
{
	samples_append_hist(s, smp, NULL);
}

/* Runs of @n (bucket, count) pairs @pairs into @p (HEAT_DIR_MAX bytes):
 * buckets rising, below SAMPLES_HEAT_NR; a pair out of order or range, or
 * with no count, is left out. Returns the bytes written. */
static size_t heat_encode_pairs(uint8_t *p, const uint64_t *pairs, size_t n)
{
	size_t k = 0;
	uint64_t next = 0;

	for (size_t i = 0; i + 1 < 2 * n; i += 2) {
		uint64_t b = pairs[i], c = pairs[i + 1];

		if (b < next || b >= SAMPLES_HEAT_NR || !c)
			continue;
		k += put_varint(p + k, b - next);
		k += put_varint(p + k, c);
		next = b + 1;
	}
	return k;
}

/* Appends @smp with the heat block @buf (@len[d] bytes a direction, back
 * to back; @n bytes in all, 0: none). */
static void append_block(struct sample_store *s, const struct sample *smp, const uint8_t *buf,
			 const uint16_t *len, size_t n)
{
	struct job_slot *js;
	struct level *lv;
	struct entry *e;

	pthread_mutex_lock(&s->lock);
	js = job_slot_get(s, smp->job);
	lv = js ? level_get(s, js, 0) : NULL;
	if (!lv) {
		st_relaxed(&s->dropped, ld_relaxed(&s->dropped) + 1);
		pthread_mutex_unlock(&s->lock);
		return;
	}
	if (lv->count == SAMPLES_LEVEL_CAP)
		roll(s, js, 0);
	e = at(lv, lv->count++);
	e->s = *smp;
	e->s.level = 0;
	e->heat = NULL;
	memset(e->heat_len, 0, sizeof(e->heat_len));
	if (n && (e->heat = malloc(n)) != NULL) {
		memcpy(e->heat, buf, n);
		memcpy(e->heat_len, len, sizeof(e->heat_len));
		add_bytes(s, malloc_usable_size(e->heat));
	}
	if (e->s.t_end < e->s.t_start)
		e->s.t_end = e->s.t_start;
	entry_index(s, e);
	js->appended++;
	if (!s->have_span || e->s.t_start < s->span_lo)
		s->span_lo = e->s.t_start;
	if (!s->have_span || e->s.t_end > s->span_hi)
		s->span_hi = e->s.t_end;
	s->have_span = true;
	st_release(&s->seq, ld_relaxed(&s->seq) + 1);
	pthread_mutex_unlock(&s->lock);
}

void samples_append_hist(struct sample_store *s, const struct sample *smp,
			 const struct hist *const lat[DDIR_RWDIR_CNT])
{
	uint8_t buf[DDIR_RWDIR_CNT * HEAT_DIR_MAX];
	uint64_t h[SAMPLES_HEAT_NR];
	uint16_t len[DDIR_RWDIR_CNT] = { 0 };
	size_t n = 0;

	/* coarsen and encode outside the lock: readers never wait for this */
	for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
		const struct hist *x = lat ? lat[d] : NULL;

		if (!x || !x->count)
			continue;
		memset(h, 0, sizeof(h));
		for (unsigned i = 0; i < HIST_NR; i++)
			h[i >> SAMPLES_HEAT_SHIFT] += x->bucket[i];
		len[d] = (uint16_t)heat_encode(buf + n, h);
		n += len[d];
	}
	append_block(s, smp, buf, len, n);
}

void samples_append_heat(struct sample_store *s, const struct sample *smp,
			 const uint64_t *const pairs[DDIR_RWDIR_CNT],
			 const size_t npairs[DDIR_RWDIR_CNT])
{
	uint8_t buf[DDIR_RWDIR_CNT * HEAT_DIR_MAX];
	uint16_t len[DDIR_RWDIR_CNT] = { 0 };
	size_t n = 0;

	for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
		if (!pairs || !pairs[d] || !npairs[d])
			continue;
		len[d] = (uint16_t)heat_encode_pairs(buf + n, pairs[d],
						     npairs[d] > SAMPLES_HEAT_NR ? SAMPLES_HEAT_NR
										 : npairs[d]);
		n += len[d];
	}
	append_block(s, smp, buf, len, n);
}

void samples_mark(struct sample_store *s, const struct sample_mark *m)
{
	unsigned slot;

	pthread_mutex_lock(&s->lock);
	if (s->mark_count < SAMPLES_MAX_MARKS) {
		slot = (s->mark_head + s->mark_count++) % SAMPLES_MAX_MARKS;
	} else {
		slot = s->mark_head;
		s->mark_head = (s->mark_head + 1) % SAMPLES_MAX_MARKS;
	}
	s->marks[slot] = *m;
	s->marks[slot].text[sizeof(s->marks[slot].text) - 1] = '\0';
	pthread_mutex_unlock(&s->lock);
}

void samples_set_disk_util(struct sample_store *s, const struct disk_util *d, size_t n)
{
	if (n > SAMPLES_MAX_DISKS)
		n = SAMPLES_MAX_DISKS;
	pthread_mutex_lock(&s->lock);
	memcpy(s->disk, d, n * sizeof(*d));
	s->ndisk = n;
	pthread_mutex_unlock(&s->lock);
}

/* ---- readers ------------------------------------------------------------ */

uint64_t samples_seq(const struct sample_store *s)
{
	return ld_acquire(&s->seq);
}

uint64_t samples_dropped(const struct sample_store *s)
{
	return ld_relaxed(&s->dropped);
}

size_t samples_bytes(const struct sample_store *s)
{
	return ld_relaxed(&s->bytes);
}

struct query_ctx {
	struct sample *out;
	size_t max, total;
};

static int copy_hit(struct prio_tree_node *n, void *arg)
{
	struct query_ctx *q = arg;

	if (q->total < q->max)
		q->out[q->total] = prio_tree_entry(n, struct entry, node)->s;
	q->total++;
	return 0;
}

static int cmp_sample(const void *a, const void *b)
{
	const struct sample *x = a, *y = b;

	if (x->job != y->job)
		return x->job < y->job ? -1 : 1;
	if (x->t_start != y->t_start)
		return x->t_start < y->t_start ? -1 : 1;
	return (x->t_end > y->t_end) - (x->t_end < y->t_end);
}

size_t samples_query(struct sample_store *s, uint64_t t0, uint64_t t1,
		     struct sample *out, size_t max)
{
	struct query_ctx q = { out, out ? max : 0, 0 };

	pthread_mutex_lock(&s->lock);
	prio_tree_query(&s->tree, t0, t1, copy_hit, &q);
	pthread_mutex_unlock(&s->lock);
	/* by job, then time: what a tooltip lists */
	if (q.max && q.total)
		qsort(out, q.total < q.max ? q.total : q.max, sizeof(*out), cmp_sample);
	return q.total;
}

/* First index in @lv whose t_end >= @t (count if none). */
static unsigned first_ending_at(const struct level *lv, uint64_t t)
{
	unsigned lo = 0, hi = lv->count;

	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;

		if (at(lv, mid)->s.t_end < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

size_t samples_range(struct sample_store *s, unsigned job, uint64_t t0, uint64_t t1,
		     struct sample *out, size_t max)
{
	struct job_slot *js;
	size_t total = 0;

	if (!out)
		max = 0;
	pthread_mutex_lock(&s->lock);
	js = job < s->jobs_cap ? s->jobs[job] : NULL;
	for (unsigned l = js ? js->nlevels : 0; l-- > 0;) {
		const struct level *lv = &js->lv[l];

		for (unsigned i = first_ending_at(lv, t0); i < lv->count; i++) {
			const struct sample *x = &at(lv, i)->s;

			if (x->t_start > t1)
				break;
			if (total < max)
				out[total] = *x;
			total++;
		}
	}
	pthread_mutex_unlock(&s->lock);
	return total;
}

size_t samples_heat(struct sample_store *s, unsigned job, uint64_t t0, uint64_t t1,
		    unsigned dirmask, uint64_t *heat)
{
	struct job_slot *js;
	size_t total = 0;

	pthread_mutex_lock(&s->lock);
	js = job < s->jobs_cap ? s->jobs[job] : NULL;
	for (unsigned l = js ? js->nlevels : 0; l-- > 0;) {
		const struct level *lv = &js->lv[l];

		for (unsigned i = first_ending_at(lv, t0); i < lv->count; i++) {
			const struct entry *x = at(lv, i);

			if (x->s.t_start > t1)
				break;
			heat_add(heat, x, dirmask);
			total++;
		}
	}
	pthread_mutex_unlock(&s->lock);
	return total;
}

int samples_latest(struct sample_store *s, unsigned job, struct sample *out)
{
	struct job_slot *js;
	int found = 0;

	pthread_mutex_lock(&s->lock);
	js = job < s->jobs_cap ? s->jobs[job] : NULL;
	if (js && js->nlevels && js->lv[0].count) {
		*out = at(&js->lv[0], js->lv[0].count - 1)->s;
		found = 1;
	}
	pthread_mutex_unlock(&s->lock);
	return found;
}

void samples_span(struct sample_store *s, uint64_t *t0, uint64_t *t1)
{
	pthread_mutex_lock(&s->lock);
	*t0 = s->have_span ? s->span_lo : 0;
	*t1 = s->have_span ? s->span_hi : 0;
	pthread_mutex_unlock(&s->lock);
}

size_t samples_marks(struct sample_store *s, uint64_t t0, uint64_t t1,
		     struct sample_mark *out, size_t max)
{
	size_t n = 0;

	pthread_mutex_lock(&s->lock);
	for (unsigned i = 0; i < s->mark_count && n < max; i++) {
		const struct sample_mark *m = &s->marks[(s->mark_head + i) % SAMPLES_MAX_MARKS];

		if (m->t >= t0 && m->t <= t1)
			out[n++] = *m;
	}
	pthread_mutex_unlock(&s->lock);
	return n;
}

size_t samples_disk_util(struct sample_store *s, struct disk_util *out, size_t max)
{
	size_t n;

	pthread_mutex_lock(&s->lock);
	n = s->ndisk;
	if (out)
		memcpy(out, s->disk, (n < max ? n : max) * sizeof(*out));
	pthread_mutex_unlock(&s->lock);
	return n;
}
