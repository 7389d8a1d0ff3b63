/* A job's report series of bandwidth and IOPS; see rates.h. */
#include "rates.h"

#include <string.h>

#include "../lib/clock.h"
#include "stats.h"

/* fio closes a window up to this early (LOG_MSEC_SLACK) */
#define SLACK_NS (1 * NS_PER_MS)

static uint64_t window_ms(uint64_t avg, const char *log, uint64_t log_avg)
{
	if (log && log_avg && log_avg < avg)
		avg = log_avg;
	return avg ? avg : 500;
}

static void set_windows(struct job_rates *r, const struct job_opts *o)
{
	r->kb_base = o->kb_base ? o->kb_base : 1024;
	r->bw.avg_ns = window_ms(o->bwavgtime, o->write_bw_log, o->log_avg_msec) * NS_PER_MS;
	r->iops.avg_ns = window_ms(o->iopsavgtime, o->write_iops_log, o->log_avg_msec) * NS_PER_MS;
}

void rates_init(struct job_rates *r, const struct job_opts *o)
{
	memset(r, 0, sizeof(*r));
	pthread_mutex_init(&r->lock, NULL);
	set_windows(r, o);
}

void rates_destroy(struct job_rates *r)
{
	pthread_mutex_destroy(&r->lock);
}

static void win_clear(struct rate_win *w)
{
	w->start_ns = 0;
	memset(w->base, 0, sizeof(w->base));
	memset(w->acc, 0, sizeof(w->acc));
}

void rates_reset(struct job_rates *r, const struct job_opts *o)
{
	pthread_mutex_lock(&r->lock);
	r->phase_ns = 0;
	win_clear(&r->bw);
	win_clear(&r->iops);
	set_windows(r, o);
	pthread_mutex_unlock(&r->lock);
}

/* Close @w at @now when due, from the counters @cur (bytes or I/Os): the
 * value is the count per second divided by @unit (kb_base for bandwidth,
 * 1 for IOPS), truncated to an integer as fio does. */
static void win_tick(struct rate_win *w, uint64_t now, const uint64_t cur[DDIR_RWDIR_CNT],
		     uint64_t unit)
{
	uint64_t spent_ms;

	if (!w->start_ns || now + SLACK_NS < w->start_ns + w->avg_ns)
		return;
	spent_ms = (now - w->start_ns) / NS_PER_MS;
	for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
		uint64_t delta = cur[d] >= w->base[d] ? cur[d] - w->base[d] : 0;

		if (!delta)
			continue; /* nothing in the window: no value, as fio */
		summary_push(&w->acc[d], spent_ms ? delta * 1000 / spent_ms / unit : 0);
		w->base[d] = cur[d];
	}
	w->start_ns = now;
}

void rates_tick(struct job_rates *r, uint64_t now, const struct job_stats *snap)
{
	uint64_t bytes[DDIR_RWDIR_CNT], ios[DDIR_RWDIR_CNT];

	if (!snap->start_ns || now < snap->start_ns)
		return; /* the measured phase has not begun (ramp_time) */
	for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
		bytes[d] = snap->dir[d].bytes;
		ios[d] = snap->dir[d].ios;
	}
	pthread_mutex_lock(&r->lock);
	if (r->phase_ns != snap->start_ns) {
		/* a new measured phase: its counters start from zero there */
		r->phase_ns = snap->start_ns;
		win_clear(&r->bw);
		win_clear(&r->iops);
		r->bw.start_ns = r->iops.start_ns = snap->start_ns;
	}
	win_tick(&r->bw, now, bytes, r->kb_base);
	win_tick(&r->iops, now, ios, 1);
	pthread_mutex_unlock(&r->lock);
}

uint64_t rates_next_ns(struct job_rates *r)
{
	uint64_t a, b;

	pthread_mutex_lock(&r->lock);
	a = r->bw.start_ns ? r->bw.start_ns + r->bw.avg_ns - SLACK_NS : UINT64_MAX;
	b = r->iops.start_ns ? r->iops.start_ns + r->iops.avg_ns - SLACK_NS : UINT64_MAX;
	pthread_mutex_unlock(&r->lock);
	return a < b ? a : b;
}

uint64_t rates_phase(struct job_rates *r)
{
	uint64_t p;

	pthread_mutex_lock(&r->lock);
	p = r->phase_ns;
	pthread_mutex_unlock(&r->lock);
	return p;
}

void rates_get(struct job_rates *r, struct summary bw[DDIR_RWDIR_CNT],
	       struct summary iops[DDIR_RWDIR_CNT])
{
	pthread_mutex_lock(&r->lock);
	for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
		summary_finish(&r->bw.acc[d], &bw[d]);
		summary_finish(&r->iops.acc[d], &iops[d]);
	}
	pthread_mutex_unlock(&r->lock);
}
