/* Pacing: rate= (bytes/s) and rate_iops= per direction, fio-like; ratemin
 * and rate_iops_min checks per rate_cycle; thinktime.
 *
 * The issue time of a direction's next I/O is computed from what that
 * direction issued since its baseline: base + bytes/rate (and
 * base + ios/iops; the later one wins). rate_process=poisson spaces I/Os
 * with exponential gaps of the same mean instead. A live change of a rate
 * resets the baseline, so the new rate holds from the change on.
 *
 * Threads: owned and called by the job's worker only. */
#ifndef IOLAB_RATE_H
#define IOLAB_RATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../lib/rand.h"
#include "options.h"

struct rate_dir {
	uint64_t bps, iops;    /* targets; 0: unlimited */
	uint64_t base_ns;      /* baseline */
	uint64_t bytes, ios;   /* issued since the baseline */
	uint64_t next_ns;      /* poisson: when the next I/O may issue */
};

struct rate {
	bool enabled;          /* any direction limited */
	enum rate_process process;
	struct rate_dir d[DDIR_RWDIR_CNT];
	struct rand_state rnd;

	/* ratemin / rate_iops_min */
	bool min_enabled;
	uint64_t min_bps[DDIR_RWDIR_CNT], min_iops[DDIR_RWDIR_CNT];
	uint64_t cycle_ns, cycle_start_ns;
	uint64_t cycle_bytes[DDIR_RWDIR_CNT], cycle_ios[DDIR_RWDIR_CNT];

	/* thinktime */
	uint64_t think_ns, think_spin_ns;
	unsigned think_blocks, think_count;
};

/* A total cap (bytes/s or IOPS) over reads and writes split as the mix
 * splits I/Os: out[READ] = total * rwmixread / 100 rounded, out[WRITE] the
 * rest, and never 0 (which means "no cap") for a direction the mix sends
 * I/O to while the total is set: such a direction gets 1 from the other
 * (so the sum exceeds @total only when @total is 1). out[TRIM] is 0.
 * @total 0 gives all 0. */
void rate_split_total(uint64_t total, unsigned rwmixread, uint64_t out[DDIR_RWDIR_CNT]);

void rate_init(struct rate *r, const struct job_opts *o, uint64_t seed);
/* New targets for @ddir (live knob); resets that direction's baseline. */
void rate_set(struct rate *r, int ddir, uint64_t bps, uint64_t iops, uint64_t now);
/* Restart every baseline and the ratemin cycle at @now (start, after ramp). */
void rate_reset(struct rate *r, uint64_t now);

/* Monotonic ns at which an I/O of @len bytes in @ddir may issue; <= now
 * means at once. Call rate_issued() when it is issued. */
uint64_t rate_when(struct rate *r, int ddir, uint32_t len);
/* Whether @ddir is paced at all. */
static inline bool rate_limits(const struct rate *r, int ddir)
{
	return r->d[ddir].bps || r->d[ddir].iops;
}
void rate_issued(struct rate *r, int ddir, uint32_t len);

/* Check ratemin/rate_iops_min against completed totals @bytes and @ios (per
 * direction, cumulative). Returns 0, or -1 with "ratemin: got X, wanted Y"
 * in @msg when a finished cycle fell short. */
int rate_check_min(struct rate *r, uint64_t now, const uint64_t *bytes, const uint64_t *ios,
		   char *msg, size_t len);

/* Thinktime after an I/O: true when it is time to stall; rate_think()
 * performs the stall (spin then sleep), cut short when *@stop becomes
 * non-zero (clock_wait()). */
static inline bool rate_think_due(struct rate *r)
{
	if (!r->think_ns)
		return false;
	if (++r->think_count < r->think_blocks)
		return false;
	r->think_count = 0;
	return true;
}
void rate_think(struct rate *r, const int *stop);

#endif
