/* The sampler: a helper thread that turns job counters into samples.
 *
 * Every @interval_ms it snapshots each job's stats, computes the interval's
 * IOPS, bandwidth and latency figures (from the difference of cumulative
 * histograms), reads the target devices' /proc/diskstats, appends one sample
 * per job to the store, feeds the fio-format logs, and writes one byte to
 * @wake_fd so a UI polling it wakes up. It never takes a lock a worker needs. */
#ifndef IOLAB_SAMPLER_H
#define IOLAB_SAMPLER_H

#include <stdint.h>

struct backend;
struct sampler;

/* Returns NULL with errno set on failure. */
struct sampler *sampler_start(struct backend *be, uint64_t interval_ms, int wake_fd);
/* Takes one last sample covering the time since the previous tick, then
 * joins the thread and frees it. */
void sampler_stop(struct sampler *s);

#endif
