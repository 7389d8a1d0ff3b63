/* latency_target depth search; see lattarget.h. */
#include "lattarget.h"

#include <string.h>

void lat_target_init(struct lat_target *lt, uint64_t target_ns, uint64_t window_ns, double pct,
		     unsigned max_depth, bool run, uint64_t now_ns)
{
	memset(lt, 0, sizeof(*lt));
	lt->target_ns = target_ns;
	lt->window_ns = window_ns;
	lt->pct = pct > 0 && pct <= 100 ? pct : 100.0;
	lt->max_depth = max_depth ? max_depth : 1;
	lt->run = run;
	lt->depth = 1;
	lt->low = 1;
	lt->high = lt->max_depth;
	lt->win_start_ns = now_ns;
}

void lat_target_new_window(struct lat_target *lt, uint64_t now_ns)
{
	lt->win_start_ns = now_ns;
	lt->win_ios = 0;
	lt->win_over = 0;
	lt->quiesce = false;
}

static enum lat_action failed(struct lat_target *lt)
{
	lt->quiesce = true;
	if (lt->depth == 1)
		return LT_DOWN; /* nowhere lower: keep trying at 1 */
	lt->high = lt->depth;
	if (lt->depth == lt->low)
		lt->low--;
	lt->depth = (lt->depth + lt->low) / 2;
	if (!lt->depth)
		lt->depth = 1;
	lt->changes++;
	return LT_DOWN;
}

static enum lat_action succeeded(struct lat_target *lt)
{
	unsigned prev = lt->depth;

	lt->quiesce = true;
	lt->low = lt->depth;
	/* double until a window fails, then bisect below the failing depth */
	if (lt->high != lt->max_depth)
		lt->depth = (lt->depth + lt->high) / 2;
	else
		lt->depth *= 2;
	if (lt->depth > lt->max_depth)
		lt->depth = lt->max_depth;
	if (lt->depth < 1)
		lt->depth = 1;
	if (lt->depth != prev) {
		lt->changes++;
		return LT_UP;
	}
	lt->settled = true;
	if (lt->run) {
		/* latency_run: probe one step up next time, so the depth
		 * follows a device that got faster */
		lt->high = lt->depth + 2; /* next: depth + 1, capped at iodepth */
		return LT_UP;
	}
	if (lt->final_run)
		return LT_DONE;
	lt->final_run = true;
	return LT_FINAL;
}

enum lat_action lat_target_window(struct lat_target *lt, uint64_t ios, uint64_t over)
{
	double ok;

	if (!ios)
		return LT_NONE; /* nothing completed: the window goes on */
	ok = (double)(ios - (over > ios ? ios : over)) * 100.0 / (double)ios;
	lt->pending = ok >= lt->pct ? succeeded(lt) : failed(lt);
	return lt->pending;
}

enum lat_action lat_target_io(struct lat_target *lt, uint64_t lat_ns)
{
	if (lt->quiesce)
		return LT_NONE;
	lt->win_ios++;
	if (lat_ns <= lt->target_ns)
		return LT_NONE;
	lt->win_over++;
	if (lt->pct >= 100.0 && lt->depth == 1) {
		/* as fio: nothing lower to try, the job fails */
		lt->quiesce = true;
		lt->fatal_lat_ns = lat_ns;
		return lt->pending = LT_FATAL;
	}
	if (lt->pct >= 100.0)
		return lt->pending = failed(lt);
	return LT_NONE;
}

enum lat_action lat_target_check(struct lat_target *lt, uint64_t now_ns)
{
	if (lt->quiesce)
		return lt->pending; /* decided by a completion; not acted on yet */
	if (now_ns < lt->win_start_ns || now_ns - lt->win_start_ns < lt->window_ns)
		return LT_NONE;
	return lat_target_window(lt, lt->win_ios, lt->win_over);
}
