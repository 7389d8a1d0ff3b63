/* What write buffers hold: zero_buffers, refill_buffers, scramble_buffers,
 * buffer_compress_percentage/_chunk, buffer_pattern and dedupe_percentage,
 * resolved as fio 3.33 resolves them (bufdata_init).
 *
 * Contents of one fill (bufdata_fill; what fio's fill_io_buffer makes),
 * the first rule that applies:
 *  1. buffer_compress_percentage=C or dedupe_percentage: the buffer is cut
 *     into chunks of min(buffer_compress_chunk, smallest write size) bytes
 *     (the last may be shorter); each chunk is (100 - C)% random bytes,
 *     then zeros, or buffer_pattern repeated from its first byte. So a
 *     file compresses to about (100 - C)%.
 *  2. buffer_pattern=P: P repeated from the buffer's first byte.
 *  3. zero_buffers: zeros.
 *  4. otherwise random bytes, new for every fill.
 * The random bytes of a fill come from one seed. dedupe_percentage=N makes
 * a fill, with probability N%, reuse an earlier seed, so the buffer is a
 * duplicate; otherwise the seed is new (unique data). By dedupe_mode,
 *      repeat:      the seed of the last unique fill (the first fill of a
 *                   job is always unique);
 *      working_set: the seed of page i, drawn uniformly from a working
 *                   set of W = size * dedupe_working_set_percentage% /
 *                   the minimum write size pages. Page i is the job's own
 *                   unique seed i, or with dedupe_global the working set
 *                   is cut into one run of W / (jobs in the run) pages per
 *                   job, in turn from this job on: page i is seed
 *                   (j + i / run, i % run) of that job.
 *    So a file's share of unique blocks is about 100 - N percent, and with
 *    dedupe_global the jobs' files share their duplicates, as fio's do
 *    (tests/int/patterns.sh counts unique blocks of both tools' files).
 *
 * When (per write, as fio):
 *  - refill (per_write): every write is filled. On with refill_buffers,
 *    with dedupe_percentage given (even 0, as fio), with
 *    buffer_compress_percentage 1..99 unless
 *    refill_buffers was given, and with buffer_pattern when the job also
 *    reads (a read lands in the same buffers); buffer_pattern otherwise
 *    turns it off.
 *  - buffer_compress_percentage=100 is zero_buffers.
 *  - otherwise the units' buffers are filled once when they are made
 *    (prefill: zeros, the pattern or compressible chunks; the worker's own
 *    random bytes else) and, with scramble, each write stamps its buffer:
 *    in every 512-byte block, the block's file offset (8 bytes) at the
 *    start of one of its 8 cache lines, picked by (nsec ^ offset) & 7 of
 *    the write's start time and offset, and the start time as seconds and
 *    nanoseconds (8 + 8 bytes) at bytes 48..63 of the block. Stamping is
 *    on by default (scramble_buffers=1) and off with refill, with
 *    buffer_compress_percentage or dedupe_percentage given, with verify
 *    (verify writes its own contents), and with buffer_pattern or
 *    zero_buffers given unless scramble_buffers=1 was given too (fio
 *    stamps a pattern only when scramble_buffers=1 comes after it).
 * Layout of a job's files fills every write-sized piece as a refill does
 * (fio's file layout does the same), without stamps.
 *
 * Cost: a refill generates its random bytes (8 xorshift lanes, a few GB/s);
 * a stamp is 3 stores per 512 bytes. No allocation after bufdata_init.
 *
 * Threads: a struct bufdata belongs to one worker. */
#ifndef IOLAB_BUFDATA_H
#define IOLAB_BUFDATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../lib/rand.h"
#include "options.h"

struct bufdata {
	const uint8_t *pattern; /* buffer_pattern bytes (job_opts owns them) */
	unsigned plen;
	bool per_write;         /* bufdata_fill must run for every write */
	bool prefill;           /* fill the units' buffers once with bufdata_fill */
	bool scramble;          /* bufdata_scramble every write */
	bool zero;              /* zero_buffers in effect */
	unsigned compress_pct;  /* 1..99: chunked fills; 0: none */
	uint64_t chunk;         /* buffer_compress_chunk (0: the write size) */
	uint32_t minbs;         /* smallest write size */
	unsigned dedupe_pct;    /* 0: no dedupe */
	bool working_set;
	uint64_t stream;        /* this job's seed stream */
	uint64_t global_base;   /* dedupe_global: seed of job 0's stream */
	unsigned job, jobs;     /* dedupe_global: this job, jobs in the run */
	bool global;
	uint64_t ws_pages, ws_run;
	uint64_t unique_next;   /* unique writes so far */
	uint64_t last_seed;
	bool have_last;
	struct rand_state pick;
};

/* What dedupe_mode=working_set needs of the options (size=, one file, room
 * for unique data), checked when the job loads (opts_validate) and again
 * by bufdata_init. Returns 0 or -1 with "option: reason" in @err. */
int bufdata_opts_check(const struct job_opts *o, char *err, size_t errlen);

/* Set up from @o for job number @job of @jobs in the run, with @seed the
 * job's base seed. Returns 0, or -EINVAL with a reason in @err for a
 * dedupe working set fio also refuses (no size=, several files, or
 * dedupe_percentage + dedupe_working_set_percentage above 100). */
int bufdata_init(struct bufdata *b, const struct job_opts *o, uint64_t seed, unsigned job,
		 unsigned jobs, char *err, size_t errlen);

/* Fill @len bytes at @buf for the next write (the contents rules above). */
void bufdata_fill(struct bufdata *b, void *buf, size_t len);
/* Fill @len bytes at @buf as consecutive fills of @piece bytes each (the
 * last may be shorter): what laying out a file writes. */
void bufdata_fill_span(struct bufdata *b, void *buf, size_t len, size_t piece);

/* Stamp a write of @len bytes at file offset @offset started at @start_ns
 * (ns) into its buffer @buf: see "scramble" above. */
void bufdata_scramble(void *buf, uint32_t len, uint64_t offset, uint64_t start_ns);

/* @len random bytes at @buf from @seed (same seed, same bytes). */
void bufdata_random(void *buf, size_t len, uint64_t seed);

/* Repeat the pattern over @len bytes at @buf (no-op without one). */
void bufdata_pattern(const struct bufdata *b, void *buf, size_t len);
/* Repeat @plen bytes at @pat over @len bytes at @buf (no-op if @plen is 0);
 * also what lays out files for a job with buffer_pattern, as fio's are. */
void pattern_repeat(const uint8_t *pat, unsigned plen, void *buf, size_t len);

#endif
