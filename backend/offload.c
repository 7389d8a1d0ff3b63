/* io_submit_mode=offload; see offload.h.
 *
 * Locks: `eng` serialises every engine call between the submit thread and
 * the worker (engines keep unlocked private state); `lock` guards the lists
 * and counters. Order: eng, then lock. The worker never waits in the
 * engine for longer than REAP_SLICE while holding eng, so the submit
 * thread keeps flowing. */
#include "offload.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "../lib/clock.h"
#include "job.h"

#define REAP_SLICE_NS 1000000L /* 1 ms */

struct offload {
	struct job *job;
	pthread_t thread;
	bool thread_up;
	pthread_mutex_t eng;
	pthread_mutex_t lock;
	pthread_cond_t sub_cv;  /* submit thread: work or room or closing */
	pthread_cond_t done_cv; /* worker: a completion or a queued unit */
	struct io_u *wait_head, *wait_tail;
	struct io_u *done_head, *done_tail;
	unsigned queued;        /* in the engine, not yet reaped */
	unsigned capacity;
	unsigned outstanding;   /* worker's count: submitted, not reaped */
	bool closing;
	bool sync_engine;
	unsigned nr_ns;
	uint64_t *done_ns;      /* by unit index: inline completion time */
};

static void list_push(struct io_u **head, struct io_u **tail, struct io_u *u)
{
	u->next = NULL;
	if (*tail)
		(*tail)->next = u;
	else
		*head = u;
	*tail = u;
}

static struct io_u *list_pop(struct io_u **head, struct io_u **tail)
{
	struct io_u *u = *head;

	if (u) {
		*head = u->next;
		if (!*head)
			*tail = NULL;
		u->next = NULL;
	}
	return u;
}

static void *submit_main(void *arg)
{
	struct offload *o = arg;
	struct job *job = o->job;
	const struct engine_ops *ops = job->ops;

	pthread_mutex_lock(&o->lock);
	for (;;) {
		struct io_u *batch = NULL, *btail = NULL, *done = NULL, *dtail = NULL, *u;
		unsigned room, nq = 0;
		bool busy = false;

		while (!o->closing && (!o->wait_head || o->queued >= o->capacity))
			pthread_cond_wait(&o->sub_cv, &o->lock);
		if (o->closing)
			break;
		room = o->capacity - o->queued;
		while (room-- && (u = list_pop(&o->wait_head, &o->wait_tail)))
			list_push(&batch, &btail, u);
		pthread_mutex_unlock(&o->lock);

		pthread_mutex_lock(&o->eng);
		while ((u = list_pop(&batch, &btail))) {
			int r;

			u->issue_ns = clock_now_ns();
			if (ops->prep && (r = ops->prep(job, u)) < 0) {
				u->error = -r;
				list_push(&done, &dtail, u);
				continue;
			}
			r = ops->queue(job, u);
			if (r == Q_QUEUED) {
				nq++;
			} else if (r == Q_COMPLETED) {
				if (u->index < o->nr_ns)
					o->done_ns[u->index] = clock_now_ns();
				list_push(&done, &dtail, u);
			} else if (r == Q_BUSY) {
				/* back to the front, in order; wait for the worker to reap */
				u->next = batch;
				batch = u;
				if (!btail)
					btail = u;
				busy = true;
				break;
			} else {
				u->error = r < 0 ? -r : EIO;
				u->resid = u->buflen;
				list_push(&done, &dtail, u);
			}
		}
		if (nq && ops->commit) {
			int r = ops->commit(job);

			if (r < 0 && !job->error)
				job_set_error(job, -r, "%s: commit: %s", ops->name, strerror(-r));
		}
		pthread_mutex_lock(&o->lock);
		o->queued += nq;
		if (busy) {
			/* the engine holds fewer than we thought: cap at what it has */
			if (btail) {
				btail->next = o->wait_head;
				if (!o->wait_head)
					o->wait_tail = btail;
				o->wait_head = batch;
			}
			if (o->queued == 0) {
				/* nothing in flight and still busy: fail the first unit */
				u = list_pop(&o->wait_head, &o->wait_tail);
				u->error = EBUSY;
				u->resid = u->buflen;
				list_push(&done, &dtail, u);
			} else {
				o->capacity = o->queued;
			}
		}
		if (done) {
			if (o->done_tail)
				o->done_tail->next = done;
			else
				o->done_head = done;
			o->done_tail = dtail;
		}
		pthread_mutex_unlock(&o->eng);
		if (done || nq)
			pthread_cond_broadcast(&o->done_cv);
	}
	/* closing: whatever still waits comes back cancelled */
	{
		struct io_u *u;
		struct rusage ru;

		/* this thread's CPU belongs to the job (read after the join) */
		if (!getrusage(RUSAGE_THREAD, &ru)) {
			job->offload_usr_s += (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6;
			job->offload_sys_s += (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
		}

		while ((u = list_pop(&o->wait_head, &o->wait_tail))) {
			u->error = ECANCELED;
			u->resid = u->buflen;
			list_push(&o->done_head, &o->done_tail, u);
		}
	}
	pthread_cond_broadcast(&o->done_cv);
	pthread_mutex_unlock(&o->lock);
	return NULL;
}

struct offload *offload_new(struct job *job, unsigned capacity)
{
	struct offload *o = calloc(1, sizeof(*o));
	int ret;

	if (!o) {
		errno = ENOMEM;
		return NULL;
	}
	o->job = job;
	o->capacity = capacity ? capacity : 1;
	o->sync_engine = job->ops->flags & ENG_SYNC;
	o->nr_ns = o->capacity;
	o->done_ns = calloc(o->nr_ns, sizeof(*o->done_ns));
	if (!o->done_ns) {
		free(o);
		errno = ENOMEM;
		return NULL;
	}
	pthread_mutex_init(&o->eng, NULL);
	pthread_mutex_init(&o->lock, NULL);
	pthread_cond_init(&o->sub_cv, NULL);
	pthread_cond_init(&o->done_cv, NULL);
	ret = pthread_create(&o->thread, NULL, submit_main, o);
	if (ret) {
		offload_free(o);
		errno = ret;
		return NULL;
	}
	o->thread_up = true;
	return o;
}

void offload_free(struct offload *o)
{
	if (!o)
		return;
	if (o->thread_up) {
		pthread_mutex_lock(&o->lock);
		o->closing = true;
		pthread_cond_broadcast(&o->sub_cv);
		pthread_mutex_unlock(&o->lock);
		pthread_join(o->thread, NULL);
	}
	pthread_cond_destroy(&o->sub_cv);
	pthread_cond_destroy(&o->done_cv);
	pthread_mutex_destroy(&o->lock);
	pthread_mutex_destroy(&o->eng);
	free(o->done_ns);
	free(o);
}

void offload_submit(struct offload *o, struct io_u *u)
{
	pthread_mutex_lock(&o->lock);
	list_push(&o->wait_head, &o->wait_tail, u);
	o->outstanding++;
	pthread_cond_signal(&o->sub_cv);
	pthread_mutex_unlock(&o->lock);
}

unsigned offload_outstanding(const struct offload *o)
{
	return o->outstanding; /* worker-owned */
}

/* Move done units to @out (under lock). */
static unsigned take_done(struct offload *o, struct io_u **out, uint64_t *ns, unsigned max)
{
	unsigned n = 0;
	struct io_u *u;

	while (n < max && (u = list_pop(&o->done_head, &o->done_tail))) {
		ns[n] = u->index < o->nr_ns && o->done_ns[u->index] ? o->done_ns[u->index]
								       : clock_now_ns();
		if (u->index < o->nr_ns)
			o->done_ns[u->index] = 0;
		out[n++] = u;
	}
	return n;
}

int offload_reap(struct offload *o, unsigned min, unsigned max, struct io_u **out,
		 uint64_t *done_ns)
{
	struct job *job = o->job;
	const struct engine_ops *ops = job->ops;
	unsigned got = 0;

	if (min > o->outstanding)
		min = o->outstanding;
	if (max < min)
		max = min;
	for (;;) {
		unsigned queued;

		pthread_mutex_lock(&o->lock);
		got += take_done(o, out + got, done_ns + got, max - got);
		queued = o->queued;
		if (got >= min || (!queued && !o->wait_head && !o->done_head)) {
			pthread_mutex_unlock(&o->lock);
			break;
		}
		if (!queued || o->sync_engine) {
			/* wait for the submit thread to queue or complete something */
			while (!o->done_head && !o->queued && !o->closing)
				pthread_cond_wait(&o->done_cv, &o->lock);
			pthread_mutex_unlock(&o->lock);
			if (o->sync_engine)
				continue;
		} else {
			pthread_mutex_unlock(&o->lock);
		}

		pthread_mutex_lock(&o->eng);
		pthread_mutex_lock(&o->lock);
		queued = o->queued;
		pthread_mutex_unlock(&o->lock);
		if (queued) {
			struct timespec ts = { 0, REAP_SLICE_NS };
			unsigned want = min - got < queued ? min - got : queued;
			unsigned lim = max - got < queued ? max - got : queued;
			int n;

			if (want > lim)
				want = lim;
			do
				n = ops->getevents(job, want, lim, &ts);
			while (n == -EINTR || n == -ETIME || n == -ETIMEDOUT);
			if (n < 0) {
				pthread_mutex_unlock(&o->eng);
				o->outstanding -= got;
				return n;
			}
			if (n > 0) {
				uint64_t now = clock_now_ns();

				for (int i = 0; i < n; i++) {
					out[got + (unsigned)i] = ops->event(job, i);
					done_ns[got + (unsigned)i] = now;
				}
			}
			got += (unsigned)n;
			pthread_mutex_lock(&o->lock);
			o->queued -= (unsigned)n;
			pthread_cond_signal(&o->sub_cv);
			pthread_mutex_unlock(&o->lock);
		}
		pthread_mutex_unlock(&o->eng);
	}
	o->outstanding -= got;
	return (int)got;
}
