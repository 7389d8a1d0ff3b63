/* Steady state detection; see steadystate.h. Written from fio's documented
 * behaviour (HOWTO: steadystate, steadystate_duration, steadystate_ramp_time)
 * and its json output. A reading covers the time since the job's previous
 * one; recording starts one second after ss_ramp has passed in the measured
 * phase, as fio's. The window is recomputed from scratch each second (it
 * holds ss_dur values: no running sums to drift). */
#include "steadystate.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/atomic.h"
#include "../lib/clock.h"
#include "job.h"
#include "options_int.h"
#include "run.h"
#include "stats.h"

#define SS_TICK_NS NS_PER_SEC

static const struct {
	const char *name;
	unsigned bits;
} ss_names[] = {
	{ "iops", SS_IOPS },
	{ "bw", 0 },
	{ "iops_slope", SS_IOPS | SS_SLOPE },
	{ "bw_slope", SS_SLOPE },
};

int ss_parse_opt(const struct opt_def *d, struct job_opts *o, const char *val, char *err,
		 size_t errlen)
{
	const char *colon = val ? strchr(val, ':') : NULL;
	size_t nl = colon ? (size_t)(colon - val) : 0;
	double lim;
	unsigned bits = 0;
	bool found = false;

	(void)d;
	if (!colon)
		return fail(err, errlen, "'%s': expected iops, bw, iops_slope or bw_slope, "
				 "a ':' and a limit (iops:10%%, bw_slope:0.5%%)", val ? val : "");
	for (size_t i = 0; i < sizeof(ss_names) / sizeof(ss_names[0]); i++)
		if (strlen(ss_names[i].name) == nl && !strncmp(val, ss_names[i].name, nl)) {
			bits = ss_names[i].bits;
			found = true;
		}
	if (!found)
		return fail(err, errlen, "'%.*s' is not a criterion: use iops, bw, iops_slope or "
				 "bw_slope", (int)nl, val);
	if (double_parse(colon + 1, true, &lim) || lim < 0)
		return fail(err, errlen, "'%s': the limit must be a number >= 0, with an optional "
				 "%% (of the mean)", colon + 1);
	if (strchr(colon + 1, '%'))
		bits |= SS_PCT;
	o->ss_mode = bits;
	o->ss_limit = lim;
	return 0;
}

static const char *ss_name(unsigned bits)
{
	for (size_t i = 0; i < sizeof(ss_names) / sizeof(ss_names[0]); i++)
		if (ss_names[i].bits == (bits & (SS_IOPS | SS_SLOPE)))
			return ss_names[i].name;
	return "iops_slope";
}

void ss_print_opt(const struct opt_def *d, const struct job_opts *o, char *buf, size_t len)
{
	char num[64];

	(void)d;
	fmt_double(num, sizeof(num), o->ss_limit);
	snprintf(buf, len, "%s:%s%s", ss_name(o->ss_mode), num, o->ss_mode & SS_PCT ? "%" : "");
}

void ss_describe(const struct job_opts *o, char *buf, size_t len)
{
	snprintf(buf, len, "%s:%f%s", ss_name(o->ss_mode), o->ss_limit,
		 o->ss_mode & SS_PCT ? "%" : "");
}

void ss_free(struct ss_job *s)
{
	if (!s)
		return;
	free(s->iops);
	free(s->bw);
	free(s);
}

uint64_t ss_at(const struct ss_job *s, const uint64_t *v, unsigned i)
{
	return v[(s->head + i) % s->dur];
}

static bool grouped(const struct job *a, const struct job *b)
{
	return a && b && a->o.group_reporting && b->o.group_reporting && a->group == b->group;
}

int ss_setup(struct run_ctx *rc)
{
	for (unsigned i = 0; i < rc->njobs; i++) {
		struct job *job = run_ctx_job(rc, i);
		struct ss_job *s = job->ss;
		unsigned dur = (unsigned)(job->o.ss_dur_us / US_PER_S);

		if (!dur)
			continue;
		if (!s) {
			s = calloc(1, sizeof(*s));
			if (!s)
				return -ENOMEM;
			job->ss = s;
		}
		free(s->iops);
		free(s->bw);
		memset(s, 0, sizeof(*s));
		s->dur = dur;
		/* as fio: a group's window lives in its last member */
		s->leader = !grouped(job, run_ctx_job(rc, i + 1));
		if (s->leader) {
			s->iops = calloc(dur, sizeof(*s->iops));
			s->bw = calloc(dur, sizeof(*s->bw));
			if (!s->iops || !s->bw)
				return -ENOMEM;
		}
	}
	return 0;
}

/* The window's criterion; true when it holds. */
static bool ss_judge(struct ss_job *s, const struct job_opts *o)
{
	const uint64_t *v = o->ss_mode & SS_IOPS ? s->iops : s->bw;
	double n = s->dur, sum = 0, mean, crit;

	for (unsigned i = 0; i < s->dur; i++)
		sum += (double)v[i];
	mean = sum / n;
	if (o->ss_mode & SS_SLOPE) {
		/* least squares over x = 0..dur-1, oldest first */
		double sx = n * (n - 1) / 2, sxx = (n - 1) * n * (2 * n - 1) / 6, sxy = 0;

		for (unsigned i = 0; i < s->dur; i++)
			sxy += i * (double)ss_at(s, v, i);
		s->slope = sxx - sx * sx / n != 0 ? (sxy - sx * sum / n) / (sxx - sx * sx / n) : NAN;
		crit = s->slope;
	} else {
		s->deviation = 0;
		for (unsigned i = 0; i < s->dur; i++)
			s->deviation = fmax(s->deviation, fabs((double)v[i] - mean));
		crit = s->deviation;
	}
	if (o->ss_mode & SS_PCT)
		crit = 100.0 * crit / mean;
	s->criterion = crit;
	return isfinite(crit) && fabs(crit) < o->ss_limit;
}

/* One job's IOPS and bytes/s since its previous reading; false when it
 * has no reading to give (not in its measured phase, or just entered it). */
static bool ss_read(struct job *job, uint64_t now, uint64_t *iops, uint64_t *bw)
{
	struct ss_job *s = job->ss;
	uint64_t start = ld_relaxed(&job->stats.start_ns), ios = 0, bytes = 0, dt;
	bool fresh = start != s->seen_start;

	if (job_runstate(job) != RS_RUNNING || !start)
		return false;
	for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
		ios += ld_relaxed(&job->stats.dir[d].ios);
		bytes += ld_relaxed(&job->stats.dir[d].bytes);
	}
	if (fresh) {
		/* measured phase (re)started: the counters count from start */
		s->seen_start = start;
		s->prev_ns = start;
		s->prev_ios = 0;
		s->prev_bytes = 0;
	}
	dt = now > s->prev_ns ? now - s->prev_ns : 0;
	*iops = dt && ios >= s->prev_ios ? (ios - s->prev_ios) * NS_PER_SEC / dt : 0;
	*bw = dt && bytes >= s->prev_bytes ? (bytes - s->prev_bytes) * NS_PER_SEC / dt : 0;
	s->prev_ns = now;
	s->prev_ios = ios;
	s->prev_bytes = bytes;
	/* recording starts a second after ss_ramp, as fio's */
	s->ok = !job->o.ss_ramp_us ||
		now >= start + job->o.ss_ramp_us * NS_PER_US + NS_PER_SEC;
	s->last_iops = *iops;
	s->last_bw = *bw;
	return s->ok;
}

static void ss_attain(struct run_ctx *rc, unsigned first, unsigned last)
{
	for (unsigned k = first; k <= last; k++) {
		struct job *m = run_ctx_job(rc, k);

		if (m->ss)
			m->ss->attained = true;
		st_relaxed(&m->stop, 1);
	}
}

uint64_t ss_poll(struct run_ctx *rc, uint64_t now)
{
	uint64_t next = UINT64_MAX;
	unsigned first = 0;

	for (unsigned i = 0; i < rc->njobs; i++) {
		struct job *job = run_ctx_job(rc, i);
		struct ss_job *s = job->ss;
		uint64_t iops, bw, due, gi = 0, gb = 0;
		unsigned over = 0;
		bool read = false;

		if (i == 0 || !grouped(run_ctx_job(rc, i - 1), job))
			first = i;
		if (!s || s->attained)
			continue;
		due = (s->prev_ns ? s->prev_ns : now) + SS_TICK_NS;
		if (s->seen_start != ld_relaxed(&job->stats.start_ns) || now >= due) {
			read = ss_read(job, now, &iops, &bw);
			due = now + SS_TICK_NS;
		}
		if (due < next)
			next = due;
		if (!s->leader || !read)
			continue;
		/* the group's figure: its members' latest readings past ss_ramp */
		for (unsigned k = first; k <= i; k++) {
			const struct ss_job *m = run_ctx_job(rc, k)->ss;

			if (m && m->ok && job_runstate(run_ctx_job(rc, k)) == RS_RUNNING) {
				gi += m->last_iops;
				gb += m->last_bw;
				over++;
			}
		}
		if (!over)
			continue;
		s->iops[(s->head + s->n) % s->dur] = gi;
		s->bw[(s->head + s->n) % s->dur] = gb;
		if (s->n < s->dur)
			s->n++;
		else
			s->head = (s->head + 1) % s->dur;
		if (s->n == s->dur && ss_judge(s, &job->o))
			ss_attain(rc, first, i);
	}
	return next;
}
