/* fio's log files: write_bw_log, write_iops_log, write_lat_log and
 * write_hist_log, written as fio 3.33 writes them so fio's tools read them.
 *
 * Files (prefix = the option's value; N = fio's job number, from 1; with
 * per_job_logs=0 the ".N" goes away and every job appends to one file, as
 * fio does):
 *   <prefix>_bw.N.log  <prefix>_iops.N.log
 *   <prefix>_lat.N.log <prefix>_clat.N.log <prefix>_slat.N.log
 *   <prefix>_clat_hist.N.log
 *
 * Lines of the bw/iops/lat logs: "msec, value, ddir, bs, offset" where msec
 * counts from the start of the job's measured phase (after ramp_time),
 * ddir is 0 read, 1 write, 2 trim; values: bw in KiB/s, iops, latencies in
 * ns. Offset is always 0 (fio's default, log_offset=0).
 *  - log_avg_msec=0: one line per completed I/O, written by the worker
 *    through fiolog_io(): bw = bytes * 10^6 / clat_ns, iops = 1, bs = the
 *    I/O's size.
 *  - log_avg_msec=M: one line per direction with I/O per window of M ms,
 *    bs 0: bw = KiB * 1000 / window ms, iops = I/Os * 1000 / window ms,
 *    latencies the window's mean rounded (log_max_value=1: its maximum,
 *    read from the histograms to within 0.4%; slat has no histogram, so its
 *    maximum is exact only in a window that raised the job's maximum, else
 *    the mean). Written by the sampler thread through fiolog_tick(), from
 *    cumulative job stats, so the worker pays nothing. When the job ends
 *    the lat logs close their partial window and bw/iops do not, as fio.
 * Histogram log (needs log_hist_msec > 0, else the file stays empty as
 * fio's): "msec, ddir, bs, c0, c1, ..., c1855": completion-latency counts
 * of the window in fio's 1856 bins (FIO_IO_U_PLAT_BITS 6, 29 groups of 64,
 * ns). Our buckets are finer and aligned on fio's (each falls inside one
 * fio bin), so the conversion moves counts without splitting them.
 *
 * Threads: fiolog_open/fiolog_close on the control or sampler thread;
 * fiolog_io on the job's worker only; fiolog_tick/fiolog_next_ns on the
 * sampler only. Each file is written by exactly one of them. */
#ifndef IOLAB_FIOLOGS_H
#define IOLAB_FIOLOGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct job_opts;
struct job_stats;
struct fiolog_job;

#define FIO_PLAT_BITS 6
#define FIO_PLAT_VAL (1u << FIO_PLAT_BITS)
#define FIO_PLAT_GROUP_NR 29
#define FIO_PLAT_NR (FIO_PLAT_GROUP_NR * FIO_PLAT_VAL) /* 1856 */

/* fiolog_io's @slat_ns when the engine has no submission latency (sync
 * engines): fio writes no slat lines for them. */
#define FIOLOG_NO_SLAT UINT64_MAX

/* Opens the logs @o asks for, truncating per-job files (shared files are
 * appended to). @index is fio's job number, from 1. *@out is NULL when the
 * job asks for no log. Returns 0, or -errno with @err naming the file and
 * the reason ("a_bw.1.log: Permission denied"). */
int fiolog_open(struct fiolog_job **out, const struct job_opts *o, unsigned index,
		char *err, size_t errlen);

/* At load, before anything runs: may every log @o asks for be written
 * (lib/outfile: no device, FIFO, socket, nor a symlink in a world-writable
 * directory)? 0, or -errno with "write_bw_log: PATH: why" in @err. */
int fiolog_check(const struct job_opts *o, unsigned index, char *err, size_t errlen);

/* Where the measured phase's start time (CLOCK_MONOTONIC ns, 0 while not
 * started or in ramp) is read from, e.g. &job->stats.start_ns. Nothing is
 * logged while it reads 0; when it changes (the end of ramp_time, a
 * restart), windows restart from it and counters from zero. Call before
 * the first record. */
void fiolog_set_epoch_source(struct fiolog_job *l, const uint64_t *start_ns);
/* A fixed start instead (tests, replays). */
void fiolog_set_epoch(struct fiolog_job *l, uint64_t start_ns);

/* One completion latency that is not an I/O's (the file operations of
 * ENG_OP_LAT engines): a clat line only, of no bytes, as fio logs them.
 * Same thread and conditions as fiolog_io. */
void fiolog_clat(struct fiolog_job *l, int ddir, uint64_t now_ns, uint64_t clat_ns);

/* True when the worker must call fiolog_io for each completed I/O
 * (log_avg_msec=0 with a bw, iops or lat log). */
bool fiolog_per_io(const struct fiolog_job *l);

/* One completed I/O (worker thread). @now_ns completion time; @lat_ns
 * submission to completion, @clat_ns issue to completion, @slat_ns
 * submission to issue or FIOLOG_NO_SLAT; @bs bytes; @offset where (logged
 * with log_offset=1); @ioprio the I/O's priority (cmdprio.h), the last
 * column: as is with log_prio=1 ("0x4001"), else 1 for the realtime class
 * and 0 for the rest, as fio 3.33. Appends to memory buffers, written out every 64 KiB
 * and at close; cheap (a few hundred ns). No-op for NULL @l or when
 * !fiolog_per_io(l). */
void fiolog_io(struct fiolog_job *l, int ddir, uint64_t now_ns, uint64_t lat_ns,
	       uint64_t clat_ns, uint64_t slat_ns, uint32_t bs, uint64_t offset, uint32_t ioprio);

/* True when the sampler has windows to close for this job (log_avg_msec
 * with a bw/iops/lat log, or a histogram log with log_hist_msec). */
bool fiolog_windowed(const struct fiolog_job *l);

/* Absolute CLOCK_MONOTONIC ns of the next window the sampler must close
 * (averaged or histogram log), or UINT64_MAX when none is pending (no
 * windowed log, or the job not running yet). */
uint64_t fiolog_next_ns(const struct fiolog_job *l);

/* Closes every window due at @now_ns from @st, a snapshot of the job's
 * cumulative stats (stats_snapshot). Call often enough (the sampler sleeps
 * until fiolog_next_ns). */
void fiolog_tick(struct fiolog_job *l, uint64_t now_ns, const struct job_stats *st);

/* Ends the logs at @end_ns (the job's end): the lat logs write their
 * partial window from @st (may be NULL), then everything is written out and
 * closed, and @l freed. Returns 0 or the first write error (-errno). */
int fiolog_close(struct fiolog_job *l, uint64_t end_ns, const struct job_stats *st);
/* The same, with "write_bw_log: PATH: why" for the first error in @err. */
int fiolog_close_err(struct fiolog_job *l, uint64_t end_ns, const struct job_stats *st,
		     char *err, size_t errlen);

/* fio's bin of latency @ns (plat_val_to_idx) and the mapping of one of our
 * histogram buckets into fio's bins. */
unsigned fiolog_plat_idx(uint64_t ns);
unsigned fiolog_hist_to_plat(unsigned hist_idx);

#endif
