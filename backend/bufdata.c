/* Write buffer contents; see bufdata.h for the rules. */
#include "bufdata.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define GOLDEN 0x9e3779b97f4a7c15ULL
#define GLOBAL_BASE 0x6465647570652121ULL /* dedupe_global streams, fixed per job number */

static uint64_t mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t stream_of(const struct bufdata *b, unsigned job)
{
	return b->global ? mix(b->global_base + (uint64_t)(job + 1) * GOLDEN) : b->stream;
}

/* Seed of unique write @n of job @job's stream. */
static uint64_t seed_of(const struct bufdata *b, unsigned job, uint64_t n)
{
	return mix(stream_of(b, job) ^ mix(n + GOLDEN));
}

int bufdata_opts_check(const struct job_opts *o, char *err, size_t errlen)
{
	if (!o->dedupe_percentage || o->dedupe_mode != DEDUPE_WORKING_SET)
		return 0;
	if (!o->size) {
		snprintf(err, errlen, "dedupe_mode: working_set needs size= (the working set is "
			 "a share of it)");
		return -1;
	}
	if (o->nrfiles > 1) {
		snprintf(err, errlen, "dedupe_mode: working_set works on one file per job, not "
			 "nrfiles=%u", o->nrfiles);
		return -1;
	}
	if (o->dedupe_percentage + o->dedupe_working_set_percentage > 100) {
		snprintf(err, errlen, "dedupe_percentage: %u plus dedupe_working_set_percentage %u "
			 "is above 100 (the working set is unique data)", o->dedupe_percentage,
			 o->dedupe_working_set_percentage);
		return -1;
	}
	return 0;
}

int bufdata_init(struct bufdata *b, const struct job_opts *o, uint64_t seed, unsigned job,
		 unsigned jobs, char *err, size_t errlen)
{
	uint32_t minbs = o->bs[DDIR_WRITE];

	memset(b, 0, sizeof(*b));
	b->pattern = o->buffer_pattern;
	b->plen = o->buffer_pattern_len;
	b->dedupe_pct = o->dedupe_percentage;
	b->job = job;
	b->jobs = jobs ? jobs : 1;
	b->stream = mix(seed ^ 0x6275666461746131ULL);
	b->global_base = GLOBAL_BASE;
	rand_seed(&b->pick, seed ^ 0x7069636b2d646475ULL);
	if (o->bs_min[DDIR_WRITE])
		minbs = o->bs_min[DDIR_WRITE];
	for (unsigned i = 0; i < o->nr_bssplit[DDIR_WRITE]; i++)
		if (!i || o->bssplit[DDIR_WRITE][i].bs < minbs)
			minbs = o->bssplit[DDIR_WRITE][i].bs;
	if (!minbs)
		minbs = 4096;
	if (bufdata_opts_check(o, err, errlen))
		return -EINVAL;
	if (b->dedupe_pct && o->dedupe_mode == DEDUPE_WORKING_SET) {
		b->working_set = true;
		b->global = o->dedupe_global;
		b->ws_pages = o->size * o->dedupe_working_set_percentage / 100 / minbs;
		if (!b->ws_pages)
			b->ws_pages = 1;
		b->ws_run = b->global ? b->ws_pages / b->jobs : b->ws_pages;
		if (!b->ws_run)
			b->ws_run = 1;
	}
	/* a read lands in the same buffers: refill the pattern per write */
	b->per_write = b->dedupe_pct || (b->plen && (o->rw & RW_READ));
	return 0;
}

void pattern_repeat(const uint8_t *pat, unsigned plen, void *buf, size_t len)
{
	uint8_t *p = buf;
	size_t done;

	if (!plen || !len)
		return;
	done = plen < len ? plen : len;
	memcpy(p, pat, done);
	/* doubling copies: the filled prefix is a whole number of patterns */
	while (done < len) {
		size_t n = done < len - done ? done : len - done;

		memcpy(p + done, p, n);
		done += n;
	}
}

void bufdata_pattern(const struct bufdata *b, void *buf, size_t len)
{
	pattern_repeat(b->pattern, b->plen, buf, len);
}

static void fill_seed(void *buf, size_t len, uint64_t seed)
{
	struct rand_state r;
	uint8_t *p = buf;
	size_t i = 0;

	rand_seed(&r, seed);
	for (; i + 8 <= len; i += 8) {
		uint64_t v = rand_u64(&r);

		memcpy(p + i, &v, 8);
	}
	if (i < len) {
		uint64_t v = rand_u64(&r);

		memcpy(p + i, &v, len - i);
	}
}

void bufdata_fill(struct bufdata *b, void *buf, size_t len)
{
	uint64_t seed;

	if (!b->dedupe_pct) {
		bufdata_pattern(b, buf, len);
		return;
	}
	if (b->have_last && rand_below(&b->pick, 100) < b->dedupe_pct) {
		if (b->working_set) {
			uint64_t i = rand_below(&b->pick, b->ws_pages);
			unsigned owner = b->job;

			if (b->global)
				owner = (unsigned)((b->job + i / b->ws_run) % b->jobs);
			seed = seed_of(b, owner, i % b->ws_run);
		} else {
			seed = b->last_seed;
		}
	} else {
		seed = seed_of(b, b->job, b->unique_next++);
		b->last_seed = seed;
		b->have_last = true;
	}
	fill_seed(buf, len, seed);
}
