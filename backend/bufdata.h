/* What write buffers hold: buffer_pattern= and dedupe_percentage=.
 *
 * Without either, the worker fills its buffers once with random bytes
 * (worker.c) and this module stays idle.
 *
 *  - buffer_pattern=P: every write carries P repeated from its first byte.
 *    Buffers are filled once when the job only writes; a job that also
 *    reads refills each write, since a read lands in the same buffers.
 *  - dedupe_percentage=N: each write is, with probability N%, a duplicate;
 *    otherwise it is unique data. Unique write n of job j carries the
 *    bytes of seed (j, n). A duplicate carries, by dedupe_mode,
 *      repeat:      the bytes of the last unique write (the first write
 *                   of a job is always unique);
 *      working_set: the bytes of page i, drawn uniformly from a working
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
 * Cost: a unique or duplicate write generates its bytes (one 64-bit random
 * number per 8 bytes); only jobs with dedupe_percentage pay it. No
 * allocation after bufdata_init.
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

/* True when buffers need content from here at all. */
static inline bool bufdata_active(const struct bufdata *b)
{
	return b->plen || b->dedupe_pct;
}

/* Fill @len bytes at @buf for the next write. */
void bufdata_fill(struct bufdata *b, void *buf, size_t len);

/* Repeat the pattern over @len bytes at @buf (no-op without one). */
void bufdata_pattern(const struct bufdata *b, void *buf, size_t len);
/* Repeat @plen bytes at @pat over @len bytes at @buf (no-op if @plen is 0);
 * also what lays out files for a job with buffer_pattern, as fio's are. */
void pattern_repeat(const uint8_t *pat, unsigned plen, void *buf, size_t len);

#endif
