/* The sampler: a helper thread that turns job counters into samples.
 *
 * Every @interval_ms it snapshots each job's stats, computes the interval's
 * IOPS, bandwidth and latency figures (from the difference of cumulative
 * histograms), reads the target devices' /proc/diskstats, appends one sample
 * per job to the store, feeds the fio-format logs, and writes one byte to
 * @wake_fd so a UI polling it wakes up. It never takes a lock a worker needs. */
#ifndef IOLAB_SAMPLER_H
#define IOLAB_SAMPLER_H

#include <stddef.h>
#include <stdint.h>

struct run_ctx;
struct sampler;

/* Sample the jobs of @rc (its store, its wake fd). Returns NULL with errno
 * set on failure. */
struct sampler *sampler_start(struct run_ctx *rc, uint64_t interval_ms);
/* A job's measured phase began (its stats' start_ns changed): wake the
 * thread to start the job's report windows there. Any thread; NULL-safe. */
void sampler_kick(struct sampler *s);
/* Takes one last sample covering the time since the previous tick, then
 * joins the thread and frees it. */
void sampler_stop(struct sampler *s);

/* Additions (see sampler.c):
 *
 * Timing: the thread waits on absolute CLOCK_MONOTONIC deadlines
 * (start + k * interval, no drift), and also wakes at each job's next
 * fio-log window (fiolog_next_ns) so log_avg_msec windows land on time
 * whatever the status interval. @interval_ms below 100 is raised to 100;
 * 0 means 1000. Call sampler_start before the workers' first I/O and
 * sampler_stop after they have been joined: the logs are closed there.
 *
 * Heat map: each sample carries its interval's latency histograms
 * (samples_append_hist). With IOLAB_BENCH_NO_HEAT set in the environment
 * they are left out; that exists only so `make bench` can measure what
 * they cost, and no front end offers it. */
struct disk_util;
struct fiolog_job;

/* fio's disk_util figures of every distinct device under the jobs, from the
 * sampler's start to its latest tick; copies up to @max, returns how many
 * devices there are. The same figures are published to the sample store on
 * every tick and at stop (samples_disk_util), which outlives the sampler.
 * Any thread. */
size_t sampler_disk_util(struct sampler *s, struct disk_util *out, size_t max);

/* The fio-format logs of job @id (NULL if it asked for none). The worker
 * passes it to fiolog_io() for every completed I/O when fiolog_per_io() is
 * true (log_avg_msec=0); valid until sampler_stop. */
struct fiolog_job *sampler_fiolog(struct sampler *s, unsigned id);

#endif
