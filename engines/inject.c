/* Fault injection wrapper around any engine. See inject.h.
 *
 * Async bookkeeping: inner_inflight counts units the engine accepted with
 * Q_QUEUED and has not yet handed back; held[] are units the engine has
 * finished that wait for their due time; ready[] is what the last
 * getevents() returned. A unit is in exactly one place (engine, held[],
 * ready[], or back with the worker), which is what makes "every unit comes
 * back exactly once" hold. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../backend/job.h"
#include "../lib/clock.h"
#include "../lib/rand.h"
#include "engine.h"
#include "inject.h"

struct held {
	struct io_u *u;
	uint64_t due_ns;
};

struct inject_data {
	struct engine_ops ops; /* the wrapper table job->ops points at */
	const struct engine_ops *inner;
	struct rand_state rnd_queue; /* inline completions (submitting thread) */
	struct rand_state rnd_reap;  /* reaped completions (worker) */
	struct inject_error errs[INJECT_MAX];
	unsigned nr_errs;
	uint64_t delay_ns;
	double delay_perc; /* 0..100 */

	unsigned inner_inflight; /* atomic: queue() and getevents() may differ in thread */
	struct held *held;
	unsigned nr_held, cap_held;
	struct io_u **ready;
	unsigned nr_ready, cap_ready;

	/* relaxed atomics: read by inject_get_stats from any thread */
	uint64_t completions, errors, delays;
	unsigned held_now;
};

static inline struct inject_data *idata(struct job *job)
{
	return job->inject_data;
}

static inline void count(uint64_t *c)
{
	__atomic_fetch_add(c, 1, __ATOMIC_RELAXED);
}

/* One draw per completion, taken whether or not it is used, so the sequence
 * of faults depends only on the sequence of completions. */
static int draw_error(struct inject_data *d, struct rand_state *r)
{
	double x, acc = 0;

	if (!d->nr_errs)
		return 0;
	x = rand_double(r) * 100.0;
	for (unsigned i = 0; i < d->nr_errs; i++) {
		acc += d->errs[i].perc > 0 ? d->errs[i].perc : 100.0;
		if (x < acc)
			return d->errs[i].err;
	}
	return 0;
}

static bool draw_delay(struct inject_data *d, struct rand_state *r)
{
	if (!d->delay_ns)
		return false;
	if (d->delay_perc <= 0 || d->delay_perc >= 100)
		return true;
	return rand_double(r) * 100.0 < d->delay_perc;
}

/* Applies the error draw to a completed unit; returns whether to delay it. */
static bool complete_unit(struct inject_data *d, struct rand_state *r, struct io_u *u)
{
	int err = draw_error(d, r);

	count(&d->completions);
	if (err && !u->error) {
		u->error = err;
		u->resid = u->buflen;
		count(&d->errors);
	}
	if (draw_delay(d, r)) {
		count(&d->delays);
		return true;
	}
	return false;
}

/* An injected delay: a stop of @job ends it (the unit is finished already). */
static void sleep_until(struct job *job, uint64_t due_ns)
{
	clock_wait(due_ns, &job->stop, -1);
}

/* Held units are due now once the job is stopped. */
static uint64_t due_clock(const struct job *job, uint64_t now)
{
	return __atomic_load_n(&job->stop, __ATOMIC_RELAXED) ? UINT64_MAX : now;
}

/* ---- forwarded hooks ---- */

static int w_init(struct job *job)
{
	return idata(job)->inner->init(job);
}

static void w_cleanup(struct job *job)
{
	struct inject_data *d = idata(job);

	if (d->inner->cleanup)
		d->inner->cleanup(job);
	inject_unwrap(job);
}

static int w_open_file(struct job *job, struct job_file *f)
{
	return idata(job)->inner->open_file(job, f);
}

static int w_close_file(struct job *job, struct job_file *f)
{
	return idata(job)->inner->close_file(job, f);
}

static int w_io_u_init(struct job *job, struct io_u *u)
{
	return idata(job)->inner->io_u_init(job, u);
}

static void w_io_u_free(struct job *job, struct io_u *u)
{
	idata(job)->inner->io_u_free(job, u);
}

static int w_prep(struct job *job, struct io_u *u)
{
	return idata(job)->inner->prep(job, u);
}

static int w_commit(struct job *job)
{
	return idata(job)->inner->commit(job);
}

static int w_queue(struct job *job, struct io_u *u)
{
	struct inject_data *d = idata(job);
	int r;

	/* counted before the engine can complete it on another thread */
	__atomic_fetch_add(&d->inner_inflight, 1, __ATOMIC_RELAXED);
	r = d->inner->queue(job, u);
	if (r != Q_QUEUED)
		__atomic_fetch_sub(&d->inner_inflight, 1, __ATOMIC_RELAXED);
	if (r == Q_COMPLETED && complete_unit(d, &d->rnd_queue, u))
		sleep_until(job, clock_now_ns() + d->delay_ns);
	return r;
}

static int w_cancel(struct job *job, struct io_u *u)
{
	struct inject_data *d = idata(job);

	/* a held unit is finished already: release it at the next getevents */
	for (unsigned i = 0; i < d->nr_held; i++) {
		if (d->held[i].u == u) {
			d->held[i].due_ns = 0;
			return 0;
		}
	}
	return d->inner->cancel(job, u);
}

/* Grows an array to hold @need elements. Returns 0 or -ENOMEM. */
static int grow(void **arr, unsigned *cap, unsigned need, size_t elem)
{
	unsigned n = *cap ? *cap : 16;
	void *p;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	p = realloc(*arr, (size_t)n * elem);
	if (!p)
		return -ENOMEM;
	*arr = p;
	*cap = n;
	return 0;
}

/* Moves held units that are due by @now to ready[], oldest first, while
 * fewer than @max are ready. */
static void release_due(struct inject_data *d, uint64_t now, unsigned max)
{
	unsigned i = 0, j = 0;

	for (; i < d->nr_held; i++) {
		if (d->nr_ready < max && d->held[i].due_ns <= now)
			d->ready[d->nr_ready++] = d->held[i].u;
		else
			d->held[j++] = d->held[i];
	}
	d->nr_held = j;
	__atomic_store_n(&d->held_now, j, __ATOMIC_RELAXED);
}

static uint64_t earliest_due(const struct inject_data *d)
{
	uint64_t e = UINT64_MAX;

	for (unsigned i = 0; i < d->nr_held; i++)
		if (d->held[i].due_ns < e)
			e = d->held[i].due_ns;
	return e;
}

static struct timespec ns_to_ts(uint64_t ns)
{
	return (struct timespec){ .tv_sec = (time_t)(ns / NS_PER_SEC),
				  .tv_nsec = (long)(ns % NS_PER_SEC) };
}

/* Reaps up to @max from the engine, waiting for @want of them at most until
 * @deadline (UINT64_MAX: no limit). Delayed units go to held[]. Returns the
 * number reaped or -errno. */
static int reap_inner(struct job *job, struct inject_data *d, unsigned want, unsigned max,
		      uint64_t deadline)
{
	struct timespec ts, *tp = NULL;
	uint64_t now;
	int r;

	if (deadline != UINT64_MAX) {
		now = clock_now_ns();
		ts = ns_to_ts(deadline > now ? deadline - now : 0);
		tp = &ts;
		if (deadline <= now)
			want = 0;
	}
	/* room first: once the engine hands units over they must not be lost */
	if (grow((void **)&d->held, &d->cap_held, d->nr_held + max, sizeof(*d->held))) {
		job_set_error(job, ENOMEM, "inject: out of memory for %u held units",
			      d->nr_held + max);
		return -ENOMEM;
	}
	r = d->inner->getevents(job, want, max, tp);
	if (r <= 0)
		return r;
	__atomic_fetch_sub(&d->inner_inflight, (unsigned)r, __ATOMIC_RELAXED);
	now = clock_now_ns();
	for (int i = 0; i < r; i++) {
		struct io_u *u = d->inner->event(job, i);

		if (complete_unit(d, &d->rnd_reap, u))
			d->held[d->nr_held++] = (struct held){ u, now + d->delay_ns };
		else
			d->ready[d->nr_ready++] = u;
	}
	__atomic_store_n(&d->held_now, d->nr_held, __ATOMIC_RELAXED);
	return r;
}

static int w_getevents(struct job *job, unsigned min, unsigned max, const struct timespec *t)
{
	struct inject_data *d = idata(job);
	uint64_t deadline = UINT64_MAX, now = clock_now_ns();
	int r;

	if (t)
		deadline = now + (uint64_t)t->tv_sec * NS_PER_SEC + (uint64_t)t->tv_nsec;
	if (min > max)
		min = max;
	/* ready[] takes up to max units at once */
	if (grow((void **)&d->ready, &d->cap_ready, max, sizeof(*d->ready))) {
		job_set_error(job, ENOMEM, "inject: out of memory for %u completions", max);
		return -ENOMEM;
	}
	d->nr_ready = 0;

	for (;;) {
		unsigned need, room, want, inflight;
		uint64_t due, until;

		release_due(d, due_clock(job, now), max);
		room = max - d->nr_ready;
		need = min > d->nr_ready ? min - d->nr_ready : 0;
		inflight = __atomic_load_n(&d->inner_inflight, __ATOMIC_RELAXED);
		due = earliest_due(d);

		if (!room)
			break;
		if (inflight) {
			/* wait in the engine, but no longer than the next held unit
			 * or the caller's deadline */
			want = need < inflight ? need : inflight;
			until = due < deadline ? due : deadline;
			if (!need)
				until = now; /* poll: take what is done already */
			r = reap_inner(job, d, want, room, until);
			if (r < 0) {
				if (d->nr_ready)
					break;
				return r;
			}
		} else if (need && d->nr_held) {
			sleep_until(job, due < deadline ? due : deadline);
		}
		now = clock_now_ns();
		release_due(d, due_clock(job, now), max);
		if (d->nr_ready >= min && (d->nr_ready || !need))
			break;
		if (now >= deadline)
			break;
		if (!d->nr_held && !__atomic_load_n(&d->inner_inflight, __ATOMIC_RELAXED))
			break; /* nothing left anywhere: asking for more would hang */
	}
	return (int)d->nr_ready;
}

static struct io_u *w_event(struct job *job, int i)
{
	struct inject_data *d = idata(job);

	if (i < 0 || (unsigned)i >= d->nr_ready)
		return NULL;
	return d->ready[i];
}

/* ---- wrapping ---- */

int inject_wrap(struct job *job)
{
	const struct engine_ops *in = job->ops;
	const struct job_opts *o = &job->o;
	struct inject_data *d;

	if (job->inner_ops || (!o->nr_inject_error && !o->inject_delay_us))
		return 0;
	if (!in)
		return -EINVAL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->inner = in;
	d->nr_errs = o->nr_inject_error < INJECT_MAX ? o->nr_inject_error : INJECT_MAX;
	memcpy(d->errs, o->inject_error, d->nr_errs * sizeof(d->errs[0]));
	d->delay_ns = o->inject_delay_us * NS_PER_US;
	d->delay_perc = o->inject_delay_perc;
	uint64_t seed = (o->randseed_set ? o->randseed : 0x5eed1e55c0ffee00ull) ^
			((uint64_t)job->id << 32) ^ 0x696e6a6563740000ull; /* "inject" */
	rand_seed(&d->rnd_queue, seed);
	rand_seed(&d->rnd_reap, seed ^ 0x9e3779b97f4a7c15ull);

	d->ops = (struct engine_ops){
		.name = in->name,
		.flags = in->flags,
		.init = in->init ? w_init : NULL,
		.cleanup = w_cleanup, /* always: it unwraps */
		.open_file = in->open_file ? w_open_file : NULL,
		.close_file = in->close_file ? w_close_file : NULL,
		.io_u_init = in->io_u_init ? w_io_u_init : NULL,
		.io_u_free = in->io_u_free ? w_io_u_free : NULL,
		.prep = in->prep ? w_prep : NULL,
		.queue = w_queue,
		.commit = in->commit ? w_commit : NULL,
		.getevents = in->getevents ? w_getevents : NULL,
		.event = in->event ? w_event : NULL,
		.cancel = in->cancel ? w_cancel : NULL,
	};
	job->inner_ops = in;
	job->inject_data = d;
	job->ops = &d->ops;
	return 0;
}

void inject_unwrap(struct job *job)
{
	struct inject_data *d = job->inject_data;

	if (!job->inner_ops || !d)
		return;
	job->ops = job->inner_ops;
	job->inner_ops = NULL;
	job->inject_data = NULL;
	free(d->held);
	free(d->ready);
	free(d);
}

bool inject_active(const struct job *job)
{
	return job->inner_ops != NULL && job->inject_data != NULL;
}

void inject_get_stats(const struct job *job, struct inject_stats *st)
{
	const struct inject_data *d = job->inject_data;

	memset(st, 0, sizeof(*st));
	if (!d)
		return;
	st->completions = __atomic_load_n(&d->completions, __ATOMIC_RELAXED);
	st->errors = __atomic_load_n(&d->errors, __ATOMIC_RELAXED);
	st->delays = __atomic_load_n(&d->delays, __ATOMIC_RELAXED);
	st->held = __atomic_load_n(&d->held_now, __ATOMIC_RELAXED);
}
