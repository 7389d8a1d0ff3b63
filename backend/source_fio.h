/* The fio-server source kind: jobs running on `fio --server` hosts, seen
 * through the source interface (source.h) like local ones.
 *
 * source_fio_new() takes the hosts and the job text; source_start() runs
 * the job on every host from a thread of the kind's own (fioclient's poll
 * loop) asking each server for every job's figures every
 * @status_interval_s seconds. Each figure (cumulative, as fio sends it) is
 * turned into the interval's sample (IOPS, bandwidth, latency mean and
 * percentiles from the interval's own bins) and appended to the kind's
 * sample store; the wake fd turns readable after each. With a job list
 * (the job text as iolab parsed it) every host's jobs exist from the start,
 * host-major: job id = host * list->nr + the job's index, "not created"
 * until the host runs it; without one, a job appears with its first
 * figures (the job count grows: a front end that sizes tables once must
 * pass the list). The hosts' ETA packets between the figures give each
 * job its runstate (the ETA's letter for its thread number) and progress:
 * a time_based job's from its own start, another's from its host's
 * estimate (fio sends no per-job ETA); a job not started is 0 done. A job's status
 * names its host ("HOST,PORT"); its label
 * is "name@HOST,PORT". source_stop() sends QUIT
 * to every host (one job alone cannot be stopped: fio's protocol has no
 * such command, so stop of one job stops its host's run).
 * Caps: START, STOP, LIVE; no load, restart or knobs (fio's server cannot
 * change a running job). Reads besides the required: stats (a job's latest
 * cumulative TS as job_stats; -ENODATA before its first), report (fio's
 * client report; each job's figures so far while running) and hosts (the
 * hosts view's rows: source.h struct source_host). */
#ifndef IOLAB_SOURCE_FIO_H
#define IOLAB_SOURCE_FIO_H

#include <stddef.h>

#include "backend/fioclient.h"
#include "backend/source.h"

/* @hosts (parsed with fioc_host_parse; the source takes them over and frees
 * them; on failure they stay the caller's), @job: the job file's text
 * (copied), @l: the same jobs parsed, or NULL; when given it must outlive
 * the source (source_opts() returns its jobs' options). Returns 0 with
 * *@out or -errno. */
struct job_list;
int source_fio_new(struct fioc_host *hosts, int nhosts, const char *job, size_t job_len,
		   const struct job_list *l, unsigned status_interval_s,
		   struct source **out);

/* How long an asked host may stay silent before it is lost (fioc_run's
 * reply_ms; 0: FIOC_REPLY_MS). Call before source_start(). */
void source_fio_set_reply_ms(struct source *s, unsigned ms);

/* The hosts, for a hosts view and the final report: valid after
 * source_reap() (while running, their fields move under the kind's lock). */
struct fioc_host *source_fio_hosts(struct source *s, int *n);

#endif
