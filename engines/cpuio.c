/* cpuio engine: no I/O, a CPU load. Each unit burns cpuchunks usec of the
 * thread's own CPU time; the job then idles for the rest of the cycle
 * (cpuchunks * (100 - cpuload) / cpuload usec, the worker's thinktime), so
 * one thread keeps about cpuload% of a CPU busy:
 *   cpumode=noop   spin
 *   cpumode=qsort  sort windows of a 1 MiB array of random integers
 *                  (caches and memory busy too)
 * A unit moves no data (ENG_NO_DATA: buflen set to 0) and counts as one
 * I/O whose latency is the wall time of its burn. There is nothing to
 * finish, so the job runs until its runtime, a stop, or, with
 * exit_on_io_done, the end of every job that does I/O (checked after each
 * burn), as fio's.
 *
 * The burn is measured in CPU time, not wall time as fio's: on a busy
 * machine a unit still gets its cpuchunks of CPU, and takes longer. fio's
 * qsort mode sorts one fixed round per unit and re-derives the idle time
 * from that round's duration; here a unit sorts for cpuchunks of CPU, so
 * the load and the idle time are those asked in both modes. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../backend/job.h"
#include "../lib/atomic.h"
#include "engine.h"

#define QS_ELEMS (256u * 1024u) /* 1 MiB of int32 */
#define QS_WIN (16u * 1024u)    /* sorted at a time: about a millisecond */
#define SPIN_STEP 65536u        /* loop turns between reads of the CPU clock */

/* job->engine_data */
struct cpuio_data {
	uint64_t chunk_ns;
	unsigned mode; /* enum cpu_mode */
	int32_t *arr;  /* qsort */
	unsigned win;
	struct rand_state rnd;
};

static uint64_t thread_cpu_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts))
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int cpuio_check(const struct job_opts *o, char *err, size_t errlen)
{
	if (!o->cpuload) {
		snprintf(err, errlen, "cpuload: not set; ioengine=cpuio needs the share of a CPU "
			 "to keep busy (cpuload=1..100)");
		return -1;
	}
	if (!o->cpuchunks) {
		snprintf(err, errlen, "cpuchunks: 0; a unit must burn some CPU (usec)");
		return -1;
	}
	return 0;
}

/* cpuload and cpuchunks become the job's pacing, before the workload and
 * the thinktime are set up from job->o. Idempotent. */
static int cpuio_setup(struct job *job)
{
	struct job_opts *o = &job->o;
	char err[160];

	if (cpuio_check(o, err, sizeof(err))) {
		job_set_error(job, EINVAL, "cpuio: %s", err);
		return -EINVAL;
	}
	if (o->cpuload > 100)
		o->cpuload = 100;
	o->time_based = true;
	o->thinktime_us = (uint64_t)o->cpuchunks * (100 - o->cpuload) / o->cpuload;
	o->thinktime_spin_us = 0;
	o->thinktime_blocks = 1;
	if (!o->size && !o->filesize && !o->size_pct)
		o->size = 1u << 20; /* a nominal region: there are no bytes to move */
	return 0;
}

static int cpuio_init(struct job *job)
{
	struct cpuio_data *d = calloc(1, sizeof(*d));

	if (!d)
		goto nomem;
	d->chunk_ns = (uint64_t)(job->o.cpuchunks ? job->o.cpuchunks : 1) * 1000;
	d->mode = job->o.cpumode;
	rand_seed(&d->rnd, 0x63707569ULL ^ job->id);
	if (d->mode == CPU_QSORT) {
		d->arr = malloc(QS_ELEMS * sizeof(*d->arr));
		if (!d->arr)
			goto nomem;
		for (unsigned i = 0; i < QS_ELEMS; i++)
			d->arr[i] = (int32_t)rand_u64(&d->rnd);
	}
	job->engine_data = d;
	return 0;
nomem:
	free(d);
	job_set_error(job, ENOMEM, "cpuio: out of memory");
	return -ENOMEM;
}

static void cpuio_cleanup(struct job *job)
{
	struct cpuio_data *d = job->engine_data;

	if (!d)
		return;
	free(d->arr);
	free(d);
	job->engine_data = NULL;
}

static int cmp_up(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

	return (x > y) - (x < y);
}

static int cmp_down(const void *a, const void *b)
{
	return cmp_up(b, a);
}

/* One window: scrambled, then sorted one way or the other. */
static void qsort_step(struct cpuio_data *d)
{
	int32_t *w = d->arr + (size_t)(d->win % (QS_ELEMS / QS_WIN)) * QS_WIN;

	for (unsigned i = 0; i < QS_WIN; i += 64)
		w[i] ^= (int32_t)rand_u64(&d->rnd);
	qsort(w, QS_WIN, sizeof(*w), d->win & 1 ? cmp_down : cmp_up);
	d->win++;
}

static void spin_step(void)
{
	for (unsigned i = 0; i < SPIN_STEP; i++)
		__asm__ __volatile__("" ::: "memory");
}

static int cpuio_queue(struct job *job, struct io_u *u)
{
	struct cpuio_data *d = job->engine_data;
	uint64_t start = thread_cpu_ns();

	do {
		if (d->mode == CPU_QSORT)
			qsort_step(d);
		else
			spin_step();
	} while (thread_cpu_ns() - start < d->chunk_ns && !ld_relaxed(&job->stop));
	if (job->o.exit_on_io_done && job_io_peers_running(job) == 0)
		st_relaxed(&job->stop, 1);
	u->buflen = 0;
	u->resid = 0;
	u->error = 0;
	return Q_COMPLETED;
}

const struct engine_ops engine_cpuio = {
	.name = "cpuio",
	.flags = ENG_SYNC | ENG_NO_FILE_IO | ENG_DISKLESS | ENG_NO_DATA | ENG_NO_OFFLOAD,
	.setup = cpuio_setup,
	.check = cpuio_check,
	.init = cpuio_init,
	.cleanup = cpuio_cleanup,
	.queue = cpuio_queue,
};
