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

static bool given(const struct job_opts *o, const char *name)
{
	const struct opt_def *d = opt_find(name);

	return d && o->set[opt_index(d)];
}

/* Smallest write size of the job (bs, bsrange, bssplit). */
static uint32_t min_write_bs(const struct job_opts *o)
{
	uint32_t minbs = o->bs[DDIR_WRITE];

	if (o->bs_min[DDIR_WRITE])
		minbs = o->bs_min[DDIR_WRITE];
	for (unsigned i = 0; i < o->nr_bssplit[DDIR_WRITE]; i++)
		if (!i || o->bssplit[DDIR_WRITE][i].bs < minbs)
			minbs = o->bssplit[DDIR_WRITE][i].bs;
	return minbs ? minbs : 4096;
}

/* When buffers are filled and stamped: fio 3.33's rules (bufdata.h). */
static void resolve_when(struct bufdata *b, const struct job_opts *o)
{
	bool refill_given = given(o, "refill_buffers");
	bool refill = o->refill_buffers, zero = o->zero_buffers;
	bool scramble = o->scramble_buffers;
	/* fio stops stamping once either option is given, even as 0 */
	bool dedupe_given = o->dedupe_percentage || given(o, "dedupe_percentage");
	bool chunked = dedupe_given || given(o, "buffer_compress_percentage");
	unsigned pct = o->buffer_compress_pct;

	if (b->plen) {
		/* the pattern must survive reads and chunking; fio turns
		 * stamping off unless scramble_buffers=1 follows the pattern
		 * (its options apply in order; iolab takes it in any order) */
		refill = refill || pct || (o->rw & RW_READ);
		zero = false;
		scramble = scramble && given(o, "scramble_buffers");
	}
	/* dedupe_percentage, even =0, makes fio refill every write */
	if (dedupe_given)
		refill = true;
	if (pct == 100) {
		zero = true;
		pct = 0;
	} else if (pct && !refill_given) {
		refill = true;
	}
	if (zero && given(o, "zero_buffers") && !given(o, "scramble_buffers"))
		scramble = false;
	b->zero = zero;
	b->compress_pct = pct;
	b->per_write = refill;
	b->scramble = scramble && !refill && !chunked && o->verify == VERIFY_NONE;
	b->prefill = !refill && (zero || pct || b->plen);
}

int bufdata_init(struct bufdata *b, const struct job_opts *o, uint64_t seed, unsigned job,
		 unsigned jobs, char *err, size_t errlen)
{
	memset(b, 0, sizeof(*b));
	b->pattern = o->buffer_pattern;
	b->plen = o->buffer_pattern_len;
	b->dedupe_pct = o->dedupe_percentage;
	b->job = job;
	b->jobs = jobs ? jobs : 1;
	b->stream = mix(seed ^ 0x6275666461746131ULL);
	b->global_base = GLOBAL_BASE;
	b->minbs = min_write_bs(o);
	b->chunk = o->buffer_compress_chunk;
	rand_seed(&b->pick, seed ^ 0x7069636b2d646475ULL);
	if (bufdata_opts_check(o, err, errlen))
		return -EINVAL;
	if (b->dedupe_pct && o->dedupe_mode == DEDUPE_WORKING_SET) {
		b->working_set = true;
		b->global = o->dedupe_global;
		b->ws_pages = o->size * o->dedupe_working_set_percentage / 100 / b->minbs;
		if (!b->ws_pages)
			b->ws_pages = 1;
		b->ws_run = b->global ? b->ws_pages / b->jobs : b->ws_pages;
		if (!b->ws_run)
			b->ws_run = 1;
	}
	resolve_when(b, o);
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

/* Lanes of xorshift64, each seeded apart: the compiler keeps them in
 * vector registers, so a buffer fills at a few GB/s. */
#define LANES 8

void bufdata_random(void *buf, size_t len, uint64_t seed)
{
	uint64_t s[LANES], blk[LANES];
	uint8_t *p = buf;
	size_t i = 0;

	for (unsigned l = 0; l < LANES; l++)
		s[l] = mix(seed + (l + 1) * GOLDEN) | 1;
	for (;;) {
		for (unsigned l = 0; l < LANES; l++) {
			s[l] ^= s[l] << 13;
			s[l] ^= s[l] >> 7;
			s[l] ^= s[l] << 17;
			blk[l] = s[l];
		}
		if (len - i < sizeof(blk)) {
			memcpy(p + i, blk, len - i);
			return;
		}
		memcpy(p + i, blk, sizeof(blk));
		i += sizeof(blk);
	}
}

/* Rule 1 of bufdata.h: chunks of random bytes, then zeros or the pattern. */
static void fill_chunked(const struct bufdata *b, uint8_t *p, size_t len, uint64_t seed)
{
	size_t chunk = b->minbs;

	if (!b->compress_pct) { /* dedupe alone: all random */
		bufdata_random(p, len, seed);
		return;
	}
	if (b->chunk && b->chunk < chunk)
		chunk = b->chunk;
	for (size_t done = 0; done < len;) {
		size_t n = len - done < chunk ? len - done : chunk;
		size_t rnd = n * (100 - b->compress_pct) / 100;

		bufdata_random(p + done, rnd, mix(seed + done));
		if (b->plen)
			pattern_repeat(b->pattern, b->plen, p + done + rnd, n - rnd);
		else
			memset(p + done + rnd, 0, n - rnd);
		done += n;
	}
}

/* The seed of the next fill: unique, or by dedupe an earlier one. */
static uint64_t next_seed(struct bufdata *b)
{
	uint64_t seed;

	if (b->dedupe_pct && b->have_last && rand_below(&b->pick, 100) < b->dedupe_pct) {
		if (!b->working_set)
			return b->last_seed;
		uint64_t i = rand_below(&b->pick, b->ws_pages);
		unsigned owner = b->job;

		if (b->global)
			owner = (unsigned)((b->job + i / b->ws_run) % b->jobs);
		return seed_of(b, owner, i % b->ws_run);
	}
	seed = seed_of(b, b->job, b->unique_next++);
	b->last_seed = seed;
	b->have_last = true;
	return seed;
}

void bufdata_fill(struct bufdata *b, void *buf, size_t len)
{
	if (b->compress_pct || b->dedupe_pct)
		fill_chunked(b, buf, len, next_seed(b));
	else if (b->plen)
		bufdata_pattern(b, buf, len);
	else if (b->zero)
		memset(buf, 0, len);
	else
		bufdata_random(buf, len, next_seed(b));
}

void bufdata_fill_span(struct bufdata *b, void *buf, size_t len, size_t piece)
{
	uint8_t *p = buf;

	if (!piece)
		piece = len;
	for (size_t done = 0; done < len; done += piece)
		bufdata_fill(b, p + done, len - done < piece ? len - done : piece);
}

void bufdata_scramble(void *buf, uint32_t len, uint64_t offset, uint64_t start_ns)
{
	uint64_t sec = start_ns / 1000000000u, nsec = start_ns % 1000000000u;
	size_t line = (size_t)((nsec ^ offset) & 7) * 64;
	uint8_t *p = buf;

	for (uint32_t i = 0; i < len >> 9; i++, p += 512, offset += 512) {
		memcpy(p + line, &offset, 8);
		memcpy(p + 48, &sec, 8);
		memcpy(p + 56, &nsec, 8);
	}
}
