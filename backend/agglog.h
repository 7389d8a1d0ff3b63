/* fio's --bandwidth-log: the bandwidth of all jobs together, one file per
 * direction, written after the run from the sample store.
 *
 * Files agg-read_bw.log, agg-write_bw.log and agg-trim_bw.log in @dir, in
 * fio's log format, one line per sampler interval:
 *   "msec, KiB/s, ddir, 0, 0"
 * msec: the interval's end, in ms since the backend started the run;
 * KiB/s: the sum over jobs of their bandwidth in the interval (bytes/s /
 * 1024, rounded down); ddir: 0 read, 1 write, 2 trim. A job's samples
 * in ramp_time are left out, as fio leaves them out. fio adds a line once
 * 500 ms (its bwavgtime) have passed while its eta line is shown (and none
 * when it is not: its files stay empty without a terminal); iolab writes
 * one per sampler tick, which --bandwidth-log sets to 500 ms unless
 * --status-interval says otherwise, terminal or not.
 *
 * Threads: call from the control thread once the jobs have exited. */
#ifndef IOLAB_AGGLOG_H
#define IOLAB_AGGLOG_H

#include <stddef.h>

struct sample_store;

/* May the three files be written in @dir? 0, or -errno with @err naming
 * the first that may not (a device, a FIFO, a planted symlink...): for
 * the start of the run, and before agglog_write creates any of them. */
int agglog_check(const char *dir, char *err, size_t errlen);
/* Returns 0, or -errno with @err ("agg-read_bw.log: Permission denied"). */
int agglog_write(struct sample_store *ss, const char *dir, char *err, size_t errlen);

#endif
