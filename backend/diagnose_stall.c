/* Diagnose, the analysis of time: stalls and spikes in a step's
 * intervals, stalls that come back at a rhythm across the steps, the tail
 * of a step's latencies, and, from the points' heat, when the slow I/Os
 * completed and how much of the I/O they were. Pure, like
 * diagnose_analysis.c, which calls it (diagnose_int.h). */
#include "diagnose.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/errmsg.h"
#include "diagnose_int.h"

#define TAIL_RATIO 5.0          /* p99.9 at least this many times p99 ...     */
#define TAIL_MIN_US 1000.0      /* ... and at least this long: a tail spike   */
#define SPIKE_OVER_P50 10.0     /* an interval's max over the step's p50 ...  */
#define SPIKE_OVER_P99 10.0     /* ... and over the step's p99 ...            */
#define SPIKE_MIN_US 2000.0     /* ... and at least this long: a spike        */
#define STALL_BAD_US 100000.0   /* a spike this long is a problem by itself   */
#define SPREAD_FRAC 0.25        /* spikes in more intervals: "throughout"     */
#define PERIOD_TOL 0.25         /* stall gaps this close to their median: periodic */
#define PERIODIC_MIN_US 50000.0 /* periodic stalls at least this long         */
#define SLOW_HELD 0.8           /* the fewest intervals holding 80% of the slow I/Os ... */
#define SLOW_BUNCHED 0.25       /* ... are at most this share of them: bunched */
#define SLOW_NAMED 4            /* intervals named in a finding's text       */

/* ---- stalls ---- */

struct stall_event {
	double t;   /* seconds since the step started */
	double len; /* seconds */
};

/* The spike floor of step @s: far above its typical latency. */
static double spike_floor(const struct diagnose_step *s)
{
	double p50s[DIAG_MAX_POINTS], floor_us;
	size_t n50 = 0;

	for (unsigned i = 0; i < s->nr_points; i++)
		if (s->points[i].ios > 0 && s->points[i].lat_p50_us > 0)
			p50s[n50++] = s->points[i].lat_p50_us;
	floor_us = SPIKE_OVER_P50 * (n50 ? diag_median(p50s, n50) : s->lat_p50_us);
	if (floor_us < SPIKE_OVER_P99 * s->lat_p99_us)
		floor_us = SPIKE_OVER_P99 * s->lat_p99_us;
	if (floor_us < SPIKE_MIN_US)
		floor_us = SPIKE_MIN_US;
	return floor_us;
}

/* Is interval @i of @s a spike (its worst I/O far above the step's typical
 * latency) or a stall (nothing completed mid-step for far longer than an
 * I/O takes)? */
static bool is_spike(const struct diagnose_step *s, unsigned i, double floor_us)
{
	const struct diagnose_point *p = &s->points[i];

	/* the first interval holds start-up (cold caches, first opens) */
	return p->ios > 0 && p->lat_max_us >= floor_us && (i > 0 || s->nr_points < 4);
}

static bool is_stall(const struct diagnose_step *s, unsigned i)
{
	const struct diagnose_point *p = &s->points[i];

	return p->ios == 0 && i > 0 && i + 1 < s->nr_points && p->dur_s >= 0.05 &&
	       p->dur_s * 1e6 >= SPIKE_OVER_P99 * s->lat_p99_us && s->points[i - 1].ios > 0;
}

/* Stall events of @s: runs of intervals that are stalls or spikes of at
 * least @min_us, each starting when the first empty interval began or when
 * its slowest I/O was issued. */
static unsigned stall_events(const struct diagnose_step *s, double min_us,
			     struct stall_event *ev, unsigned max)
{
	double floor_us = fmax(spike_floor(s), min_us);
	unsigned n = 0;
	bool in = false;

	for (unsigned i = 0; i < s->nr_points; i++) {
		const struct diagnose_point *p = &s->points[i];
		bool spike = is_spike(s, i, floor_us), stall = is_stall(s, i);
		double start, len;

		if (!spike && !stall) {
			in = false;
			continue;
		}
		start = stall ? p->t_s - p->dur_s / 2 : p->t_s - p->lat_max_us / 1e6;
		len = stall ? p->dur_s : p->lat_max_us / 1e6;
		if (start < 0)
			start = 0;
		if (in && n) {
			struct stall_event *e = &ev[n - 1];
			double end = fmax(e->t + e->len, stall ? p->t_s + p->dur_s / 2 : p->t_s);

			if (start < e->t)
				e->t = start;
			e->len = fmax(fmax(e->len, len), end - e->t);
			continue;
		}
		if (n >= max)
			break;
		ev[n].t = start;
		ev[n].len = len;
		n++;
		in = true;
	}
	return n;
}

/* ---- when the slow I/Os were: the points' heat ---- */

/* Ascending (a few interval indexes). */
static void sort_unsigned(unsigned *v, unsigned n)
{
	for (unsigned x = 1; x < n; x++)
		for (unsigned y = x; y > 0 && v[y - 1] > v[y]; y--) {
			unsigned t = v[y];

			v[y] = v[y - 1];
			v[y - 1] = t;
		}
}

/* The slow I/Os of one step by interval: those that took at least over_us
 * (the low edge of a latency bin), from the points' heat. */
struct slow_io {
	double over_us;
	double slow, ios;              /* I/Os over it, and all, in the heat */
	unsigned with;                 /* intervals holding any */
	unsigned used;                 /* intervals with any I/O */
	unsigned top[DIAG_MAX_POINTS]; /* intervals by slow I/Os, most first */
	unsigned ntop;                 /* the fewest holding SLOW_HELD of them */
	double top_slow;               /* slow I/Os in those */
};

/* Slow I/Os of interval @i of @s from bin @k0 on. */
static double point_slow(const struct diagnose_step *s, unsigned i, unsigned k0)
{
	double n = 0;

	for (unsigned k = k0; k < DIAG_LAT_BINS; k++)
		n += s->points[i].heat[k];
	return n;
}

/* Fill @o for the I/Os of @s that took @over_us or more (rounded down to
 * a bin's edge). False when the points carry no heat or none was slow, and
 * for a commits step: its figures are commits, its heat the writes'. */
static bool slow_intervals(const struct diagnose_step *s, double over_us, struct slow_io *o)
{
	unsigned k0 = diagnose_lat_bin(over_us);
	double slow[DIAG_MAX_POINTS];

	memset(o, 0, sizeof(*o));
	if (s->commits)
		return false;
	o->over_us = diagnose_bin_low_us(k0);
	for (unsigned i = 0; i < s->nr_points; i++) {
		double all = 0;

		for (unsigned k = 0; k < DIAG_LAT_BINS; k++)
			all += s->points[i].heat[k];
		slow[i] = point_slow(s, i, k0);
		o->ios += all;
		o->slow += slow[i];
		o->used += all > 0;
		if (slow[i] > 0)
			o->top[o->with++] = i;
	}
	if (o->slow <= 0)
		return false;
	/* most slow I/Os first; equal ones in time order */
	for (unsigned a = 1; a < o->with; a++)
		for (unsigned b = a; b > 0 && slow[o->top[b - 1]] < slow[o->top[b]]; b--) {
			unsigned t = o->top[b];

			o->top[b] = o->top[b - 1];
			o->top[b - 1] = t;
		}
	while (o->ntop < o->with && o->top_slow < SLOW_HELD * o->slow)
		o->top_slow += slow[o->top[o->ntop++]];
	return true;
}

/* The slow I/Os sit in a few intervals, not all through the step. */
static bool slow_bunched(const struct slow_io *o)
{
	return o->ntop <= 2 || o->ntop <= SLOW_BUNCHED * o->used;
}

/* Record interval @i of @s in f->when (ignored past DIAG_FINDING_WHEN). */
static void when_add(struct diagnose_finding *f, const struct diagnose_step *s, unsigned i,
		     const struct slow_io *o)
{
	struct diagnose_when *w;
	double all = 0;

	if (f->nr_when >= DIAG_FINDING_WHEN)
		return;
	for (unsigned k = 0; k < DIAG_LAT_BINS; k++)
		all += s->points[i].heat[k];
	w = &f->when[f->nr_when++];
	w->step = (int)s->kind;
	w->t_s = s->points[i].t_s;
	w->dur_s = s->points[i].dur_s;
	w->slow = point_slow(s, i, diagnose_lat_bin(o->over_us));
	w->ios = all;
}

/* 100 * @share as "42", "0.8", "0.03" (two significant digits under 10). */
static const char *pct(char *buf, size_t len, double share)
{
	double v = 100 * share;

	snprintf(buf, len, v >= 9.5 || v == 0 ? "%.0f" : v >= 0.95 ? "%.1f" : "%.2g", v);
	return buf;
}

/* "t=3.1-3.2 s" for interval @i of @s. */
static void when_span(char *buf, size_t len, const struct diagnose_step *s, unsigned i)
{
	const struct diagnose_point *p = &s->points[i];

	snprintf(buf, len, "t=%.1f-%.1f s", fmax(0, p->t_s - p->dur_s / 2), p->t_s + p->dur_s / 2);
}

/* Say in @f's text when @s's slow I/Os (@o) were and how much of the I/O
 * they held; name the intervals in f->when and the figures over_us,
 * over_share (their share of the step's I/Os) and top_share (the share of
 * them in the intervals named). */
static void slow_say(struct diagnose_finding *f, const struct diagnose_step *s,
		     const struct slow_io *o)
{
	unsigned named = o->ntop < SLOW_NAMED ? o->ntop : SLOW_NAMED;
	double named_slow = 0;
	char a[24], span[40], p[16];

	errmsg_appendf(f->text, sizeof(f->text), " Of its I/Os %s%% took %s or more",
		pct(p, sizeof(p), o->slow / o->ios), diag_fmt_us(a, sizeof(a), o->over_us));
	for (unsigned n = 0; n < named; n++) {
		when_add(f, s, o->top[n], o);
		named_slow += f->when[f->nr_when - 1].slow;
	}
	if (slow_bunched(o)) {
		errmsg_appendf(f->text, sizeof(f->text), "; %.0f%% of those completed in %u of the %u "
			"intervals:", 100 * o->top_slow / o->slow, o->ntop, o->used);
		for (unsigned n = 0; n < named; n++) {
			const struct diagnose_when *w = &f->when[f->nr_when - named + n];
			char p1[16], p2[16];

			when_span(span, sizeof(span), s, o->top[n]);
			errmsg_appendf(f->text, sizeof(f->text), "%s %s (%s%% of them, %s%% of that "
				"interval's I/Os)", n ? (n + 1 == named ? " and" : ",") : "", span,
				pct(p1, sizeof(p1), w->slow / o->slow),
				pct(p2, sizeof(p2), w->ios > 0 ? w->slow / w->ios : 0));
		}
		if (o->ntop > named)
			errmsg_appendf(f->text, sizeof(f->text), " and %u more", o->ntop - named);
		errmsg_appendf(f->text, sizeof(f->text), ".");
	} else {
		unsigned idx[SLOW_NAMED];

		memcpy(idx, o->top, named * sizeof(*idx));
		sort_unsigned(idx, named);
		errmsg_appendf(f->text, sizeof(f->text), ", spread through the step: %u of the %u "
			"intervals held some, the busiest %u (at t=", o->with, o->used, named);
		for (unsigned n = 0; n < named; n++)
			errmsg_appendf(f->text, sizeof(f->text), "%s%.1f", n ? ", " : "",
				s->points[idx[n]].t_s);
		errmsg_appendf(f->text, sizeof(f->text), " s) only %.0f%% of them.",
			100 * named_slow / o->slow);
	}
	diag_fig_add(f, "over_us", o->over_us);
	diag_fig_add(f, "over_share", o->slow / o->ios);
	diag_fig_add(f, "top_share", named_slow / o->slow);
}

/* When the periodic stalls' slow I/Os (@over_us or more) completed, in
 * the steps of @steps: each step's intervals holding most of them, in time
 * order, into f's text and f->when, with the figures over_us and
 * top_share (the share of those I/Os in the intervals named). */
static void periodic_when(const struct diagnose_result *r, struct diagnose_finding *f,
			  unsigned steps, double over_us)
{
	double slow = 0, named_slow = 0, over = 0;
	unsigned nsteps = 0, per;
	struct slow_io o;
	char a[24], span[40];
	bool any = false;

	for (unsigned i = 0; i < DIAG_STEP_NR; i++)
		nsteps += !!(steps & (1u << i));
	per = nsteps ? DIAG_FINDING_WHEN / nsteps : 0;
	if (per < 1)
		per = 1;
	for (unsigned i = 0; i < DIAG_STEP_NR; i++) {
		const struct diagnose_step *s = &r->steps[i];
		unsigned idx[DIAG_FINDING_WHEN], n;

		if (!(steps & (1u << i)) || !slow_intervals(s, over_us, &o))
			continue;
		over = o.over_us;
		slow += o.slow;
		n = o.ntop < per ? o.ntop : per;
		if (n > DIAG_FINDING_WHEN - f->nr_when)
			n = DIAG_FINDING_WHEN - f->nr_when;
		if (!n)
			continue;
		memcpy(idx, o.top, n * sizeof(*idx));
		sort_unsigned(idx, n); /* in time order */
		errmsg_appendf(f->text, sizeof(f->text), "%s", any ? "; " :
			" The I/Os that waited longest completed at ");
		for (unsigned k = 0; k < n; k++) {
			when_add(f, s, idx[k], &o);
			named_slow += f->when[f->nr_when - 1].slow;
			when_span(span, sizeof(span), s, idx[k]);
			errmsg_appendf(f->text, sizeof(f->text), "%s%s", k ? ", " : "", span + (k ? 2 : 0));
		}
		if (o.with > n)
			errmsg_appendf(f->text, sizeof(f->text), " and %u more", o.with - n);
		errmsg_appendf(f->text, sizeof(f->text), " in %s", s->name);
		any = true;
	}
	if (!any)
		return;
	errmsg_appendf(f->text, sizeof(f->text), ": the intervals named hold %.0f%% of the I/Os "
		"that took %s or more.", 100 * named_slow / slow, diag_fmt_us(a, sizeof(a), over));
	diag_fig_add(f, "over_us", over);
	diag_fig_add(f, "top_share", named_slow / slow);
}

/* Stalls that come back at a steady rhythm, across the steps: how long,
 * how often, what share of time and of I/Os they hold. Sets bit k of
 * @covered for each step whose spikes this explains. */
void diag_analyse_periodic(struct diagnose_result *r, unsigned *covered)
{
	double gaps[DIAG_STEP_NR * DIAG_MAX_POINTS], lens[DIAG_STEP_NR * DIAG_MAX_POINTS];
	struct stall_event ev[DIAG_MAX_POINTS];
	size_t ng = 0, nl = 0, close = 0;
	unsigned steps = 0;
	char a[24], b[24], names[200] = "";
	struct diagnose_finding f;
	double period, len, held = 0, total = 0, g2[DIAG_STEP_NR * DIAG_MAX_POINTS], longest = 0;

	*covered = 0;
	if (diag_limited(r))
		return;
	/* the stalls are the longest waits (one I/O's, or a run of intervals
	 * where nothing completed); lesser spikes are noise here, and are not
	 * merged into them */
	for (unsigned i = 0; i < DIAG_STEP_NR; i++) {
		const struct diagnose_step *s = &r->steps[i];
		double empty = 0;

		if (!diag_step_ok(s) || diag_step_buffered(i))
			continue;
		for (unsigned k = 0; k < s->nr_points; k++) {
			const struct diagnose_point *p = &s->points[k];

			if (k > 0 || s->nr_points < 4)
				longest = fmax(longest, p->lat_max_us / 1e6);
			empty = p->ios == 0 && k > 0 && k + 1 < s->nr_points ? empty + p->dur_s : 0;
			longest = fmax(longest, empty);
		}
	}
	if (longest * 1e6 < PERIODIC_MIN_US)
		return;
	for (unsigned i = 0; i < DIAG_STEP_NR; i++) {
		const struct diagnose_step *s = &r->steps[i];
		unsigned n, kept = 0;
		double last = 0;

		if (!diag_step_ok(s) || diag_step_buffered(i))
			continue;
		size_t ng0 = ng, nl0 = nl;
		struct slow_io o;

		n = stall_events(s, longest * 1e6 / 2, ev, DIAG_MAX_POINTS);
		for (unsigned k = 0; k < n; k++) {
			if (ev[k].len < longest / 2)
				continue;
			lens[nl++] = ev[k].len;
			if (kept++)
				gaps[ng++] = ev[k].t - last;
			last = ev[k].t;
		}
		/* Stalls hold the slow I/Os: those waiting out a stall complete
		 * as it ends, in an interval or two. Slow I/Os in many more
		 * intervals than that are a tail spread through the step (random
		 * slow I/Os, a few of which fall at a seemingly steady pace),
		 * not a rhythm: the step is left to the tail analysis. */
		if (kept >= 2 && slow_intervals(s, longest * 1e6 / 2, &o) &&
		    o.with > 3 * kept + 1) {
			ng = ng0;
			nl = nl0;
			continue;
		}
		if (kept >= 2)
			steps |= 1u << i;
	}
	if (ng < 2 || nl < 3)
		return;
	memcpy(g2, gaps, ng * sizeof(*gaps));
	period = diag_median(g2, ng);
	if (period <= 0)
		return;
	/* a stall missed (or merged) leaves a gap of two periods */
	for (size_t k = 0; k < ng; k++) {
		double m = gaps[k] / period, whole = round(m);

		if (whole >= 1 && whole <= 2 && fabs(m - whole) <= PERIOD_TOL * whole)
			close++;
	}
	if (close * 3 < ng * 2)
		return;
	len = diag_median(lens, nl);
	for (unsigned i = 0; i < DIAG_STEP_NR; i++) {
		const struct diagnose_step *s = &r->steps[i];

		if (!(steps & (1u << i)))
			continue;
		held += diag_share_over(s, len * 1e6 / 2) * diag_bins_total(s);
		total += diag_bins_total(s);
		errmsg_appendf(names, sizeof(names), "%s%s", names[0] ? ", " : "", s->name);
	}
	*covered = steps;
	diag_finding_init(&f, -1, DIAG_WARN, "periodic_stall");
	snprintf(f.text, sizeof(f.text),
		 "Periodic stalls: about every %.1f s the device stops completing I/O for about "
		 "%s (seen in %s: %zu stalls, gaps %.1f-%.1f s). They take %.0f%% of the time "
		 "and hold %.2f%% of the I/Os: those that arrive during a stall wait up to %s, "
		 "the rest are not slowed.",
		 period, diag_fmt_us(a, sizeof(a), len * 1e6), names, nl, g2[0], g2[ng - 1],
		 100 * len / period, total > 0 ? 100 * held / total : 0,
		 diag_fmt_us(b, sizeof(b), len * 1e6));
	diag_fig_add(&f, "period_s", period);
	diag_fig_add(&f, "stall_ms", len * 1e3);
	diag_fig_add(&f, "time_share", len / period);
	diag_fig_add(&f, "io_share", total > 0 ? held / total : 0);
	diag_fig_add(&f, "stalls", (double)nl);
	periodic_when(r, &f, steps, len * 1e6 / 2);
	errmsg_appendf(f.text, sizeof(f.text),
		" A steady rhythm points to something scheduled: a periodic flush or journal "
		"commit, writeback every few seconds, a firmware housekeeping cycle, or a "
		"backup or monitoring job.");
	diag_push_finding(r, &f, false);
}

/* Spikes of one step (not periodic): fills s->spike_t; returns how many
 * intervals qualified and the worst latency among them in *worst_us. */
static unsigned find_spikes(struct diagnose_step *s, double *worst_us, bool *stalled)
{
	double floor_us = spike_floor(s);
	unsigned total = 0;

	*worst_us = 0;
	*stalled = false;
	s->nr_spikes = 0;
	for (unsigned i = 0; i < s->nr_points; i++) {
		const struct diagnose_point *p = &s->points[i];
		bool spike = is_spike(s, i, floor_us), stall = is_stall(s, i);

		if (!spike && !stall)
			continue;
		total++;
		*stalled |= stall;
		if (spike && p->lat_max_us > *worst_us)
			*worst_us = p->lat_max_us;
		if (stall && p->dur_s * 1e6 > *worst_us)
			*worst_us = p->dur_s * 1e6;
		if (s->nr_spikes < DIAG_MAX_SPIKES)
			s->spike_t[s->nr_spikes++] = p->t_s;
	}
	return total;
}

static void spike_times(char *buf, size_t len, const struct diagnose_step *s, unsigned total)
{
	buf[0] = '\0';
	if (s->nr_points >= 8 && total > SPREAD_FRAC * s->nr_points) {
		snprintf(buf, len, "in %u of the %u sampling intervals", total, s->nr_points);
		return;
	}
	for (unsigned i = 0; i < s->nr_spikes; i++)
		errmsg_appendf(buf, len, "%s%.1fs", i ? ", " : "at t=", s->spike_t[i]);
	if (total > s->nr_spikes)
		errmsg_appendf(buf, len, " and %u more", total - s->nr_spikes);
}

/* @said: bit 0 set once the causes of a tail were given, bit 1 for stalls
 * (each is explained once per run). @quiet: spikes explained elsewhere
 * (periodic stalls): kept in spike_t, no finding. Where the points carry
 * heat, the finding says when the slow I/Os completed and what share of
 * the I/O they were (slow_say): for a tail those past the middle of p99
 * and p99.9 (on a log scale), for stalls those past the spike floor. */
void diag_analyse_tail(struct diagnose_result *r, struct diagnose_step *s, unsigned *said,
			 bool quiet)
{
	char a[24], b[24], c[24], times[160];
	struct diagnose_finding f;
	struct slow_io o;
	double worst;
	bool stalled, heat;
	unsigned spikes = find_spikes(s, &worst, &stalled);
	/* a tail counts once it passes what the class allows a p99 to be */
	bool tail = s->lat_p999_us >= TAIL_RATIO * s->lat_p99_us &&
		    s->lat_p999_us >= fmax(TAIL_MIN_US, diag_class_p99_us(r, s) / TAIL_RATIO) &&
		    s->lat_p99_us > 0;

	if (quiet)
		return;
	spike_times(times, sizeof(times), s, spikes);
	if (tail) {
		heat = slow_intervals(s, sqrt(s->lat_p99_us * s->lat_p999_us), &o);
		diag_finding_init(&f, (int)s->kind, DIAG_WARN, "tail_latency");
		snprintf(f.text, sizeof(f.text),
			 "%s: tail latency spikes: p99.9 is %s, %.0fx the p99 of %s (p50 %s).",
			 s->name, diag_fmt_us(a, sizeof(a), s->lat_p999_us),
			 s->lat_p999_us / s->lat_p99_us, diag_fmt_us(b, sizeof(b), s->lat_p99_us),
			 diag_fmt_us(c, sizeof(c), s->lat_p50_us));
		if (heat)
			slow_say(&f, s, &o);
		else if (spikes)
			errmsg_appendf(f.text, sizeof(f.text), " The worst moments were %s (up to %s).",
				times, diag_fmt_us(a, sizeof(a), worst));
		else
			errmsg_appendf(f.text, sizeof(f.text),
				" The slow I/Os are spread through the run, not bunched in time.");
		if (!(*said & 1))
			errmsg_appendf(f.text, sizeof(f.text),
				" About one I/O in a thousand waits far longer than the rest; usual "
				"causes are garbage collection or cache flushes inside the device, "
				"other I/O on the same device, throttling, or a busy host (VM steal).");
		*said |= 1;
		diag_fig_add(&f, "p999_us", s->lat_p999_us);
		diag_fig_add(&f, "p99_us", s->lat_p99_us);
		diag_push_finding(r, &f, true);
	} else if (spikes) {
		heat = slow_intervals(s, spike_floor(s), &o);
		diag_finding_init(&f, (int)s->kind, stalled || worst >= STALL_BAD_US ? DIAG_WARN : DIAG_INFO,
			     "latency_stall");
		snprintf(f.text, sizeof(f.text),
			 "%s: latency stalls %s: up to %s while p99 over the step was %s.",
			 s->name, times, diag_fmt_us(a, sizeof(a), worst),
			 diag_fmt_us(b, sizeof(b), s->lat_p99_us));
		if (heat)
			slow_say(&f, s, &o);
		if (!(*said & 2))
			errmsg_appendf(f.text, sizeof(f.text),
				" Rarer than one I/O in a thousand; if they repeat, look for other "
				"I/O on the device at those times, journal commits, or the host "
				"pausing the VM.");
		*said |= 2;
		diag_fig_add(&f, "worst_us", worst);
		diag_fig_add(&f, "p99_us", s->lat_p99_us);
		diag_push_finding(r, &f, true);
	}
}
