/* Pacing; see rate.h. */
#include "rate.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../lib/clock.h"

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
}

void rate_split_total(uint64_t total, unsigned rwmixread, uint64_t out[DDIR_RWDIR_CNT])
{
	unsigned mix = rwmixread > 100 ? 100 : rwmixread;
	unsigned __int128 r = ((unsigned __int128)total * mix + 50) / 100;

	out[DDIR_READ] = (uint64_t)r;
	out[DDIR_WRITE] = total - (uint64_t)r;
	out[DDIR_TRIM] = 0;
	if (!total)
		return;
	/* one I/O a second from the other side, which then still has one
	 * unless the total is 1 */
	if (mix > 0 && !out[DDIR_READ]) {
		out[DDIR_READ] = 1;
		if (out[DDIR_WRITE] > 1)
			out[DDIR_WRITE]--;
	}
	if (mix < 100 && !out[DDIR_WRITE]) {
		out[DDIR_WRITE] = 1;
		if (out[DDIR_READ] > 1)
			out[DDIR_READ]--;
	}
}

void rate_init(struct rate *r, const struct job_opts *o, uint64_t seed)
{
	memset(r, 0, sizeof(*r));
	r->process = o->rate_process;
	rand_seed(&r->rnd, seed ^ 0x7261746570616365ULL);
	for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
		r->d[d].bps = o->rate[d];
		r->d[d].iops = o->rate_iops[d];
		if (o->rate[d] || o->rate_iops[d])
			r->enabled = true;
		r->min_bps[d] = o->ratemin[d];
		r->min_iops[d] = o->rate_iops_min[d];
		if (o->ratemin[d] || o->rate_iops_min[d])
			r->min_enabled = true;
	}
	r->cycle_ns = (o->rate_cycle_ms ? o->rate_cycle_ms : 1000) * NS_PER_MS;
	r->think_ns = o->thinktime_us * NS_PER_US;
	r->think_spin_ns = o->thinktime_spin_us * NS_PER_US;
	if (r->think_spin_ns > r->think_ns)
		r->think_ns = r->think_spin_ns;
	r->think_blocks = o->thinktime_blocks ? o->thinktime_blocks : 1;
}

static void dir_reset(struct rate_dir *rd, uint64_t now)
{
	rd->base_ns = now;
	rd->bytes = rd->ios = 0;
	rd->next_ns = now;
}

void rate_set(struct rate *r, int ddir, uint64_t bps, uint64_t iops, uint64_t now)
{
	r->d[ddir].bps = bps;
	r->d[ddir].iops = iops;
	dir_reset(&r->d[ddir], now);
	r->enabled = false;
	for (int d = 0; d < DDIR_RWDIR_CNT; d++)
		if (r->d[d].bps || r->d[d].iops)
			r->enabled = true;
}

void rate_reset(struct rate *r, uint64_t now)
{
	for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
		dir_reset(&r->d[d], now);
		r->cycle_bytes[d] = r->cycle_ios[d] = UINT64_MAX; /* unset */
	}
	r->cycle_start_ns = now;
}

/* Mean gap in ns before an I/O of @len in @rd. */
static double mean_gap_ns(const struct rate_dir *rd, uint32_t len)
{
	double g = 0;

	if (rd->iops)
		g = 1e9 / (double)rd->iops;
	if (rd->bps) {
		double gb = (double)len * 1e9 / (double)rd->bps;

		if (gb > g)
			g = gb;
	}
	return g;
}

uint64_t rate_when(struct rate *r, int ddir, uint32_t len)
{
	struct rate_dir *rd = &r->d[ddir];
	uint64_t t = 0;

	if (ddir < 0 || ddir >= DDIR_RWDIR_CNT || (!rd->bps && !rd->iops))
		return 0;
	if (r->process == RATE_POISSON)
		return rd->next_ns;
	if (rd->iops)
		t = rd->base_ns + (uint64_t)((double)rd->ios * 1e9 / (double)rd->iops);
	if (rd->bps) {
		uint64_t tb = rd->base_ns + (uint64_t)((double)rd->bytes * 1e9 / (double)rd->bps);

		if (tb > t)
			t = tb;
	}
	return t;
}

void rate_issued(struct rate *r, int ddir, uint32_t len)
{
	struct rate_dir *rd;

	if (ddir < 0 || ddir >= DDIR_RWDIR_CNT)
		return;
	rd = &r->d[ddir];
	rd->bytes += len;
	rd->ios++;
	if (r->process == RATE_POISSON && (rd->bps || rd->iops)) {
		double u = rand_double(&r->rnd);

		rd->next_ns += (uint64_t)(-log(1.0 - u) * mean_gap_ns(rd, len));
	}
}

int rate_check_min(struct rate *r, uint64_t now, const uint64_t *bytes, const uint64_t *ios,
		   char *msg, size_t len)
{
	uint64_t spent = now - r->cycle_start_ns;
	int ret = 0;

	if (!r->min_enabled || spent < r->cycle_ns)
		return 0;
	for (int d = 0; d < DDIR_RWDIR_CNT && !ret; d++) {
		/* the first cycle only sets the reference, as fio does; a
		 * direction that has moved nothing is not checked (fio's
		 * check_min_rate: ratemin=N names reads and writes alike) */
		if (r->cycle_bytes[d] != UINT64_MAX && bytes[d]) {
			uint64_t got_b = (uint64_t)((double)(bytes[d] - r->cycle_bytes[d]) * 1e9 /
						    (double)spent);
			uint64_t got_i = (uint64_t)((double)(ios[d] - r->cycle_ios[d]) * 1e9 /
						    (double)spent);

			if (r->min_bps[d] && got_b < r->min_bps[d]) {
				snprintf(msg, len, "ratemin: got %llu B/s, wanted %llu B/s",
					 (unsigned long long)got_b, (unsigned long long)r->min_bps[d]);
				ret = -1;
			} else if (r->min_iops[d] && got_i < r->min_iops[d]) {
				snprintf(msg, len, "rate_iops_min: got %llu IOPS, wanted %llu IOPS",
					 (unsigned long long)got_i,
					 (unsigned long long)r->min_iops[d]);
				ret = -1;
			}
		}
		r->cycle_bytes[d] = bytes[d];
		r->cycle_ios[d] = ios[d];
	}
	r->cycle_start_ns = now;
	return ret;
}

void rate_think(struct rate *r, const int *stop)
{
	uint64_t start = clock_now_ns();

	if (r->think_spin_ns)
		while (clock_now_ns() - start < r->think_spin_ns) {
			if (stop && __atomic_load_n(stop, __ATOMIC_RELAXED))
				return;
			cpu_relax();
		}
	if (r->think_ns > r->think_spin_ns)
		clock_wait(start + r->think_ns, stop, -1);
}
