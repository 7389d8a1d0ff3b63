/* engines/inject: error and delay injection around the null engine (inline
 * and queued paths) and around a local out-of-order engine; every unit must
 * come back exactly once. */
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "backend/job.h"
#include "engines/engine.h"
#include "engines/inject.h"
#include "lib/clock.h"

struct harness {
	struct job job;
	struct io_u *units;
	uint8_t *inflight; /* 1 while a unit is with the engine */
	uint64_t *queued_ns;
};

static void setup_job(struct harness *h, const struct engine_ops *ops, unsigned depth)
{
	memset(h, 0, sizeof(*h));
	h->job.id = 3;
	h->job.name = "inject-test";
	h->job.ops = ops;
	h->job.o.iodepth = depth;
	h->job.o.randseed = 1234;
	h->job.o.randseed_set = true;
	h->units = calloc(depth, sizeof(*h->units));
	h->inflight = calloc(depth, 1);
	h->queued_ns = calloc(depth, sizeof(*h->queued_ns));
	assert_non_null(h->units);
	for (unsigned i = 0; i < depth; i++) {
		h->units[i].index = i;
		h->units[i].buflen = 4096;
		h->units[i].ddir = DDIR_READ;
	}
	h->job.units = h->units;
	h->job.nr_units = depth;
}

static void start_job(struct harness *h)
{
	assert_int_equal(inject_wrap(&h->job), 0);
	if (h->job.ops->init)
		assert_int_equal(h->job.ops->init(&h->job), 0);
}

static void end_job(struct harness *h)
{
	if (h->job.ops->cleanup)
		h->job.ops->cleanup(&h->job);
	assert_false(inject_active(&h->job));
	free(h->units);
	free(h->inflight);
	free(h->queued_ns);
}

static void add_error(struct job_opts *o, int err, double perc)
{
	o->inject_error[o->nr_inject_error].err = err;
	o->inject_error[o->nr_inject_error].perc = perc;
	o->nr_inject_error++;
}

/* Inline path: iodepth 1, every unit completes in queue(). */
static void run_inline(struct harness *h, unsigned n, unsigned *nerr, int err)
{
	struct io_u *u = &h->units[0];

	*nerr = 0;
	for (unsigned i = 0; i < n; i++) {
		u->error = 0;
		u->offset = (uint64_t)i * 4096;
		assert_int_equal(h->job.ops->queue(&h->job, u), Q_COMPLETED);
		if (u->error == err) {
			(*nerr)++;
			assert_int_equal(u->resid, u->buflen);
		} else {
			assert_int_equal(u->error, 0);
		}
	}
}

static void test_no_options_no_wrap(void **state)
{
	struct harness h;

	setup_job(&h, &engine_null, 1);
	assert_int_equal(inject_wrap(&h.job), 0);
	assert_ptr_equal(h.job.ops, &engine_null);
	assert_null(h.job.inner_ops);
	assert_false(inject_active(&h.job));
	free(h.units);
	free(h.inflight);
	free(h.queued_ns);
}

static void test_wrapper_shape(void **state)
{
	struct harness h;

	setup_job(&h, &engine_null, 4);
	add_error(&h.job.o, EIO, 1);
	assert_int_equal(inject_wrap(&h.job), 0);
	assert_true(inject_active(&h.job));
	assert_ptr_equal(h.job.inner_ops, &engine_null);
	assert_ptr_not_equal(h.job.ops, &engine_null);
	assert_string_equal(h.job.ops->name, "null");
	assert_int_equal(h.job.ops->flags, engine_null.flags);
	/* hooks present exactly where the engine has them */
	assert_true(!h.job.ops->prep == !engine_null.prep);
	assert_true(!h.job.ops->cancel == !engine_null.cancel);
	assert_true(!h.job.ops->io_u_init == !engine_null.io_u_init);
	assert_non_null(h.job.ops->getevents);
	assert_int_equal(engine_check(h.job.ops), 0);
	/* wrapping twice is a no-op */
	const struct engine_ops *w = h.job.ops;
	assert_int_equal(inject_wrap(&h.job), 0);
	assert_ptr_equal(h.job.ops, w);
	inject_unwrap(&h.job);
	assert_ptr_equal(h.job.ops, &engine_null);
	assert_null(h.job.inject_data);
	inject_unwrap(&h.job); /* idempotent */
	free(h.units);
	free(h.inflight);
	free(h.queued_ns);
}

static void test_error_rate_inline(void **state)
{
	struct harness h;
	struct inject_stats st;
	unsigned nerr, n = 10000;

	setup_job(&h, &engine_null, 1);
	add_error(&h.job.o, EIO, 50);
	start_job(&h);
	run_inline(&h, n, &nerr, EIO);
	inject_get_stats(&h.job, &st);
	printf("EIO:50%%: %u of %u I/Os failed (%.1f%%)\n", nerr, n, 100.0 * nerr / n);
	assert_true(nerr >= n * 47 / 100 && nerr <= n * 53 / 100);
	assert_int_equal(st.errors, nerr);
	assert_int_equal(st.completions, n);
	end_job(&h);

	/* same seed, same faults; another job id, other faults */
	unsigned again, other;
	setup_job(&h, &engine_null, 1);
	add_error(&h.job.o, EIO, 50);
	start_job(&h);
	run_inline(&h, n, &again, EIO);
	end_job(&h);
	assert_int_equal(again, nerr);
	setup_job(&h, &engine_null, 1);
	h.job.id = 4;
	add_error(&h.job.o, EIO, 50);
	start_job(&h);
	run_inline(&h, n, &other, EIO);
	end_job(&h);
	assert_int_not_equal(other, nerr);
}

static void test_error_mix(void **state)
{
	struct harness h;
	unsigned n = 10000, eio = 0, enospc = 0;

	setup_job(&h, &engine_null, 1);
	add_error(&h.job.o, EIO, 10);
	add_error(&h.job.o, ENOSPC, 20);
	start_job(&h);
	for (unsigned i = 0; i < n; i++) {
		struct io_u *u = &h.units[0];

		u->error = 0;
		assert_int_equal(h.job.ops->queue(&h.job, u), Q_COMPLETED);
		eio += u->error == EIO;
		enospc += u->error == ENOSPC;
	}
	printf("EIO:10%%,ENOSPC:20%%: %.1f%% EIO, %.1f%% ENOSPC\n", 100.0 * eio / n,
	       100.0 * enospc / n);
	assert_true(eio >= n * 7 / 100 && eio <= n * 13 / 100);
	assert_true(enospc >= n * 17 / 100 && enospc <= n * 23 / 100);
	end_job(&h);
}

/* inject_delay=1ms, inject_delay_perc=10: about 10% of inline completions
 * take at least 1 ms, measured around queue() as the worker would. */
static void test_delay_inline(void **state)
{
	struct harness h;
	struct inject_stats st;
	unsigned n = 2000, slow = 0;

	setup_job(&h, &engine_null, 1);
	h.job.o.inject_delay_us = 1000;
	h.job.o.inject_delay_perc = 10;
	start_job(&h);
	for (unsigned i = 0; i < n; i++) {
		uint64_t t0 = clock_now_ns();

		assert_int_equal(h.job.ops->queue(&h.job, &h.units[0]), Q_COMPLETED);
		if (clock_now_ns() - t0 >= NS_PER_MS)
			slow++;
	}
	inject_get_stats(&h.job, &st);
	printf("delay 1ms:10%%: %u of %u I/Os took >= 1 ms (%.1f%%), %" PRIu64 " delayed\n", slow,
	       n, 100.0 * slow / n, st.delays);
	assert_true(slow >= n * 7 / 100 && slow <= n * 13 / 100);
	/* every delayed unit was slow; a few others may be slow from preemption */
	assert_true(slow >= st.delays);
	assert_true(slow <= st.delays + n / 100);
	end_job(&h);
}

struct async_result {
	unsigned done, errors, slow;
};

/* Queued path: keep the engine full, reap with getevents/event, check that
 * each unit returns exactly once, and count errors and slow completions. */
static void run_async(struct harness *h, unsigned total, unsigned batch_min,
		      struct async_result *res)
{
	const struct engine_ops *ops = h->job.ops;
	unsigned depth = h->job.nr_units, submitted = 0, inflight = 0;

	memset(res, 0, sizeof(*res));
	while (res->done < total) {
		bool queued_any = false;

		for (unsigned i = 0; i < depth && submitted < total; i++) {
			struct io_u *u = &h->units[i];
			int r;

			if (h->inflight[i])
				continue;
			u->error = 0;
			u->resid = 0;
			u->offset = (uint64_t)submitted * 4096;
			h->queued_ns[i] = clock_now_ns();
			r = ops->queue(&h->job, u);
			if (r == Q_BUSY)
				break;
			submitted++;
			if (r == Q_COMPLETED) {
				res->done++;
				res->errors += u->error != 0;
				continue;
			}
			assert_int_equal(r, Q_QUEUED);
			h->inflight[i] = 1;
			inflight++;
			queued_any = true;
		}
		if (queued_any && ops->commit)
			assert_int_equal(ops->commit(&h->job), 0);
		if (!inflight)
			continue;
		unsigned min = batch_min < inflight ? batch_min : inflight;
		int n = ops->getevents(&h->job, min, depth, NULL);

		assert_true(n >= (int)min);
		for (int k = 0; k < n; k++) {
			struct io_u *u = ops->event(&h->job, k);

			assert_non_null(u);
			if (!h->inflight[u->index])
				fail_msg("unit %u completed twice (or never queued)", u->index);
			h->inflight[u->index] = 0;
			inflight--;
			res->done++;
			res->errors += u->error != 0;
			if (clock_now_ns() - h->queued_ns[u->index] >= NS_PER_MS)
				res->slow++;
		}
	}
	assert_int_equal(inflight, 0);
	assert_int_equal(submitted, total);
	for (unsigned i = 0; i < depth; i++)
		assert_int_equal(h->inflight[i], 0);
	/* nothing left behind in the wrapper */
	assert_int_equal(ops->getevents(&h->job, 0, depth, NULL), 0);
}

static void test_async_null(void **state)
{
	struct harness h;
	struct inject_stats st;
	struct async_result res;
	unsigned total = 3000;

	setup_job(&h, &engine_null, 16);
	add_error(&h.job.o, EIO, 20);
	h.job.o.inject_delay_us = 1000;
	h.job.o.inject_delay_perc = 30;
	start_job(&h);
	run_async(&h, total, 1, &res);
	inject_get_stats(&h.job, &st);
	printf("null iodepth=16 EIO:20%% delay 1ms:30%%: %u done, %.1f%% errors, %" PRIu64
	       " delayed (%.1f%%), %u took >= 1 ms\n",
	       res.done, 100.0 * res.errors / total, st.delays, 100.0 * st.delays / total,
	       res.slow);
	assert_int_equal(res.done, total);
	assert_int_equal(st.completions, total);
	assert_true(res.errors >= total * 17 / 100 && res.errors <= total * 23 / 100);
	assert_true(st.delays >= total * 27 / 100 && st.delays <= total * 33 / 100);
	assert_true(res.slow >= st.delays);
	assert_int_equal(st.held, 0);
	end_job(&h);

	/* waiting for a whole batch (min = everything in flight) */
	setup_job(&h, &engine_null, 8);
	h.job.o.inject_delay_us = 500;
	h.job.o.inject_delay_perc = 50;
	start_job(&h);
	run_async(&h, 800, 8, &res);
	assert_int_equal(res.done, 800);
	end_job(&h);
}

/* ---- a local async engine: completes units in reverse order, optionally
 * only one per getevents, to stress the wrapper's bookkeeping ---- */

struct rev_data {
	struct io_u *q[64], *ev[64];
	unsigned nq, nev;
	unsigned cancels;
};

static int rev_init(struct job *job)
{
	job->engine_data = calloc(1, sizeof(struct rev_data));
	return job->engine_data ? 0 : -ENOMEM;
}

static void rev_cleanup(struct job *job)
{
	free(job->engine_data);
	job->engine_data = NULL;
}

static int rev_queue(struct job *job, struct io_u *u)
{
	struct rev_data *d = job->engine_data;

	if (d->nq == 64)
		return Q_BUSY;
	u->error = 0;
	d->q[d->nq++] = u;
	return Q_QUEUED;
}

static int rev_getevents(struct job *job, unsigned min, unsigned max, const struct timespec *t)
{
	struct rev_data *d = job->engine_data;
	unsigned n = d->nq < max ? d->nq : max;

	if (n > 3 && min < 3)
		n = 3; /* hand back fewer than asked when the caller allows it */
	if (n < min)
		fail_msg("engine asked for %u with only %u in flight", min, d->nq);
	for (unsigned i = 0; i < n; i++)
		d->ev[i] = d->q[--d->nq];
	d->nev = n;
	return (int)n;
}

static struct io_u *rev_event(struct job *job, int i)
{
	struct rev_data *d = job->engine_data;

	return d->ev[i];
}

static int rev_cancel(struct job *job, struct io_u *u)
{
	struct rev_data *d = job->engine_data;

	d->cancels++;
	return -ENOENT;
}

static const struct engine_ops engine_rev = {
	.name = "reverse",
	.flags = ENG_NO_FILE_IO,
	.init = rev_init,
	.cleanup = rev_cleanup,
	.queue = rev_queue,
	.getevents = rev_getevents,
	.event = rev_event,
	.cancel = rev_cancel,
};

static void test_async_out_of_order(void **state)
{
	struct harness h;
	struct async_result res;
	struct inject_stats st;

	setup_job(&h, &engine_rev, 32);
	add_error(&h.job.o, ENOSPC, 0); /* perc 0 counts as always */
	h.job.o.inject_delay_us = 300;
	h.job.o.inject_delay_perc = 50;
	start_job(&h);
	for (unsigned m = 1; m <= 32; m *= 4) {
		run_async(&h, 1500, m, &res);
		assert_int_equal(res.done, 1500);
		assert_int_equal(res.errors, 1500);
	}
	inject_get_stats(&h.job, &st);
	assert_int_equal(st.completions, 4500);
	assert_int_equal(st.errors, 4500);
	end_job(&h);
}

/* Timeouts with only held units: getevents returns when the caller's time is
 * up, and hands the units back once due. Cancel releases a held unit. */
static void test_timeout_and_cancel(void **state)
{
	struct harness h;
	const struct engine_ops *ops;
	struct timespec zero = { 0, 0 }, ms = { 0, 1000000 };

	setup_job(&h, &engine_rev, 4);
	h.job.o.inject_delay_us = 50000; /* every completion held 50 ms */
	start_job(&h);
	ops = h.job.ops;
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(ops->queue(&h.job, &h.units[i]), Q_QUEUED);
	uint64_t t0 = clock_now_ns();
	assert_int_equal(ops->getevents(&h.job, 1, 4, &zero), 0);
	assert_int_equal(ops->getevents(&h.job, 1, 4, &ms), 0);
	uint64_t waited = clock_now_ns() - t0;
	assert_true(waited >= NS_PER_MS && waited < 40 * NS_PER_MS);

	struct inject_stats st;
	inject_get_stats(&h.job, &st);
	assert_int_equal(st.held, 4);

	/* cancel one held unit: it comes back at once, not after 50 ms */
	assert_int_equal(ops->cancel(&h.job, &h.units[2]), 0);
	assert_int_equal(ops->getevents(&h.job, 1, 4, NULL), 1);
	assert_ptr_equal(ops->event(&h.job, 0), &h.units[2]);
	assert_null(ops->event(&h.job, 1));
	/* a unit the wrapper does not hold goes to the engine's cancel */
	struct io_u stray = { 0 };
	assert_int_equal(ops->cancel(&h.job, &stray), -ENOENT);
	assert_int_equal(((struct rev_data *)h.job.engine_data)->cancels, 1);

	/* the other three: min 3 waits until they are due */
	assert_int_equal(ops->getevents(&h.job, 3, 4, NULL), 3);
	assert_true(clock_now_ns() - t0 >= 50 * NS_PER_MS);
	end_job(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_options_no_wrap),
		cmocka_unit_test(test_wrapper_shape),
		cmocka_unit_test(test_error_rate_inline),
		cmocka_unit_test(test_error_mix),
		cmocka_unit_test(test_delay_inline),
		cmocka_unit_test(test_async_null),
		cmocka_unit_test(test_async_out_of_order),
		cmocka_unit_test(test_timeout_and_cancel),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
