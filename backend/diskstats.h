/* Block device statistics: which disk is under a path, its /proc/diskstats
 * counters, and the figures iostat -x and fio's disk_util derive from two
 * reads of them.
 *
 * Thread-safe (no shared state); the sampler calls it every tick, so a read
 * is one pass over /proc/diskstats with no allocation.
 *
 * Run-level figures for fio's "disk_util" JSON array and its "Disk stats
 * (read/write)" lines: the sampler snapshots every job's device when it
 * starts (backend_start) and again at every tick and when it stops, and
 * publishes the totals since its start to the sample store. After a run the
 * report reads them with
 *
 *     struct disk_util du[8];
 *     size_t n = samples_disk_util(backend_samples(be), du, 8);
 *
 * (samples.h), one entry per distinct device in job order; while the sampler
 * runs, sampler_disk_util() (sampler.h) gives the same figures up to its
 * latest tick. */
#ifndef IOLAB_DISKSTATS_H
#define IOLAB_DISKSTATS_H

#include <stddef.h>
#include <stdint.h>

#define DISK_NAME_LEN 32

/* One line of /proc/diskstats. Times are milliseconds as the kernel counts
 * them; sectors are 512 bytes whatever the device's block size. */
struct diskstats {
	unsigned major, minor;
	char name[DISK_NAME_LEN];
	uint64_t rd_ios, rd_merges, rd_sectors, rd_ticks;
	uint64_t wr_ios, wr_merges, wr_sectors, wr_ticks;
	uint64_t in_flight, io_ticks, time_in_queue;
	uint64_t dc_ios, dc_merges, dc_sectors, dc_ticks; /* discards, Linux 4.18+ */
	uint64_t fl_ios, fl_ticks;                         /* flushes, Linux 5.5+ */
	unsigned nfields; /* counters the line had: 11, 15 or 17 */
	uint64_t t_ns;    /* CLOCK_MONOTONIC at the read (0 for parsed text) */
};

/* iostat -x figures over an interval. */
struct iostat {
	double r_s, w_s;         /* completed reads, writes per second */
	double rkb_s, wkb_s;     /* KiB per second */
	double rrqm_s, wrqm_s;   /* merges per second */
	double r_await, w_await; /* ms per completed I/O (0 without I/O) */
	double rareq_sz, wareq_sz; /* KiB per I/O (0 without I/O) */
	double aqu_sz;           /* mean requests queued or in service */
	double util;             /* percent of time busy, 0..100 */
};

/* fio's disk_util entry (JSON "disk_util" array): counter deltas over the
 * run and util = io_ticks / elapsed ms, as a percentage capped at 100. */
struct disk_util {
	char name[DISK_NAME_LEN];
	unsigned major, minor;
	uint64_t read_ios, write_ios;
	uint64_t read_merges, write_merges;
	uint64_t read_ticks, write_ticks; /* ms */
	uint64_t in_queue;                /* ms, time_in_queue delta */
	uint64_t read_sectors, write_sectors, io_ticks;
	uint64_t msec;                    /* elapsed between the two reads */
	double util;                      /* percent */
};

/* Finds the whole disk under @path: a file or directory (its filesystem's
 * device), or a block device node (the device itself). A path that does not
 * exist yet resolves through its nearest existing parent directory, so a
 * job's file can be looked up before it is laid out. A partition maps to
 * its disk (sda1 -> sda); device-mapper, md, loop and the like keep their
 * own name (dm-0). Writes the kernel name into @name and its numbers into
 * @maj, @min (any may be NULL). Returns 0; -ENODEV with @name "none" and
 * 0:0 when no block device is behind the path (tmpfs, overlay, proc, a
 * character device, a sandbox without /sys); or another -errno. */
int diskstats_find(const char *path, char *name, size_t len, unsigned *maj, unsigned *min);

/* Reads the counters of device @maj:@min from /proc/diskstats. Returns 0,
 * -ENOENT when the device is not listed, or -errno of the read. */
int diskstats_read(unsigned maj, unsigned min, struct diskstats *out);

/* Reads several devices in one pass: the caller sets major and minor of each
 * entry; the rest is filled. Returns how many were found (missing entries
 * get nfields 0), or -errno when /proc/diskstats cannot be read. */
int diskstats_read_many(struct diskstats *v, size_t n);

/* Parses one /proc/diskstats line. Returns 0, or -EINVAL when the line does
 * not have major, minor, name and at least 11 counters. */
int diskstats_parse_line(const char *line, struct diskstats *out);

/* Finds @maj:@min in @text (the whole file's contents). Returns 0 or -ENOENT. */
int diskstats_parse(const char *text, unsigned maj, unsigned min, struct diskstats *out);

/* iostat -x figures between reads @a and @b taken @ns apart (0: use
 * b->t_ns - a->t_ns). A counter that went backwards counts as a 32-bit
 * wrap if it fits 32 bits, else as 0. All zeros when the interval is 0. */
void diskstats_compute(const struct diskstats *a, const struct diskstats *b, uint64_t ns,
		       struct iostat *out);

/* fio's disk_util figures between @a and @b, @ns apart (0: from t_ns). */
void diskstats_util(const struct diskstats *a, const struct diskstats *b, uint64_t ns,
		    struct disk_util *out);

#endif
