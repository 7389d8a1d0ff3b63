/* zonemode=zbd on regular files and non-zoned block devices: emulated
 * zones with write pointers, fio 3.33's rules (its zbd.c, ZBD_NONE model).
 *
 * A file (or device) is cut into zones of zonesize bytes from offset 0,
 * the last one possibly short; each zone takes writes only at its write
 * pointer (wp), up to zonecapacity bytes from its start. All zones start
 * empty when the run starts (what the file holds is not looked at), and
 * every job of the run that names the same file shares one zone table, so
 * a later group reads what an earlier one wrote.
 *
 * Per I/O (zbd_adjust, before it is queued):
 *  - write: the zone under the drawn offset is opened, or with
 *    max_open_zones / job_max_open_zones set and the limit reached, one
 *    of the open zones is used instead (picked by the drawn offset's place
 *    in the region), else the next zone that can be opened. A zone too full
 *    for the smallest block is reset (wp back to its start) and written
 *    again: how a workload goes on forever on emulated zones. The write
 *    goes at the wp, shortened to the zone's capacity in whole minimum
 *    blocks, and the wp moves past it. zone_reset_frequency F resets the
 *    chosen zone every 1/F writes once the written bytes pass
 *    zone_reset_threshold x region.
 *  - read: only written data (below a wp) is read unless read_beyond_wp;
 *    a zone with less than a block written sends the read to the next
 *    zone that has (either side for random reads), none ends the pass.
 *  - a write completing at its zone's capacity closes the zone
 *    (zbd_write_done), which frees an open slot.
 *  - rw mixes write first while nothing is written (fio's rule).
 *  - a trim (bs = zonesize) resets its zone and reaches neither the file
 *    nor the engine, as fio's; a random trim of an empty zone goes to the
 *    nearest zone holding data.
 *  - zoneskip (sequential jobs): once zonesize bytes are done, or the
 *    stream reaches its zone's end (a read: its wp, unless
 *    read_beyond_wp), the stream moves on zonesize + zoneskip from where
 *    the zone began, wrapping to the region's start at the file's end.
 * As fio, a job completes its own writes in flight (its drain hook) before
 * a reset and when every open slot is taken, and with no zone to write it
 * waits while other jobs' writes are in flight (they may close zones).
 *
 * Real zoned block devices (queue/zoned not "none") are refused: iolab has
 * no way to test BLKREPORTZONE/BLKRESETZONE here (zbd_opts_check at load,
 * zbd_attach again on the opened file).
 *
 * Threads: a zbd_set belongs to the backend; zbd_set_reset runs on the
 * control thread while no worker runs. Everything else is called by a
 * job's worker and takes the zone table's mutex. */
#ifndef IOLAB_ZBD_H
#define IOLAB_ZBD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "options.h"

#define ZBD_MAX_OPEN_ZONES 4096

struct zbd_set;
struct zbd_dev;

/* One job's zone limits and counters (the worker's). */
struct zbd_job {
	uint32_t min_bs[DDIR_RWDIR_CNT];
	unsigned job_max_open;   /* job_max_open_zones, 0: none */
	unsigned nr_open;        /* zones this job opened, still open */
	bool random, mixed, verify, read_beyond_wp;
	double zrt, zrf;         /* zone_reset_threshold, zone_reset_frequency */
	uint64_t resets;         /* zones this job reset */
	unsigned inflight;       /* its writes fitted and not yet done */
	/* fio's quiesce: completes every I/O the job has in flight (the
	 * worker's drain); called without the table's lock. @stop: the job's
	 * stop flag, which ends a wait for other jobs' writes. */
	int (*drain)(void *arg);
	void *drain_arg;
	const int *stop;
};

/* One job's file: its zone table and region (whole zones when writing). */
struct zbd_file {
	struct zbd_dev *dev;
	uint64_t off, size;      /* region: first byte, length */
	uint64_t given_size;     /* the region's length before it was fitted */
	unsigned min_zone, max_zone; /* zones [min, max) of the region */
	unsigned inflight;       /* the job's writes here fitted, not yet done */
};

struct zbd_set *zbd_set_new(void);
/* Forget every zone table (a new run starts with empty zones). */
void zbd_set_reset(struct zbd_set *s);
void zbd_set_free(struct zbd_set *s);

/* A zbd option set where it does nothing (fio takes it silently): one of
 * zbd's knobs without zonemode=zbd, or zonerange with it; NULL if none. */
const char *zbd_unused_option(const struct job_opts *o);
/* Load-time checks of a job's zbd options (also a zoned block device among
 * its filenames). 0, or -1 with "option: why" in @err. */
int zbd_opts_check(const struct job_opts *o, char *err, size_t errlen);

/* Fill @j from the job's options and its smallest block per direction. */
void zbd_job_init(struct zbd_job *j, const struct job_opts *o,
		  const uint32_t min_bs[DDIR_RWDIR_CNT]);

/* Join (or create) the zone table of the file @dev, @ino (a block device:
 * its rdev, @ino 0) of @real_size bytes, and fit the region at *@off, *@len to
 * whole zones as fio does for jobs that write (a note goes to @note, ""
 * when none). Returns 0, or -errno with "what: why" in @err. */
int zbd_attach(struct zbd_set *s, struct zbd_file *zf, const struct job_opts *o,
	       const char *path, dev_t dev, ino_t ino, bool blockdev, uint64_t real_size,
	       uint64_t *off, uint64_t *len, char *note, size_t notelen, char *err,
	       size_t errlen);

/* Loop start for a job that writes (fio's zbd_file_reset): with verify,
 * the region's zones are reset; the reset frequency count starts over. */
void zbd_loop_start(struct zbd_job *j, struct zbd_file *zf);

/* Fit an I/O drawn at *@off of *@len bytes in direction *@ddir to the
 * zones; the wp moves past a write. Returns 0 (go), 1 (nothing to do:
 * the pass ends), or -errno with "what: why" in @err (the job fails). */
int zbd_adjust(struct zbd_job *j, struct zbd_file *zf, int *ddir, uint64_t *off,
	       uint32_t *len, char *err, size_t errlen);

/* A sequential write's next position @pos: past a zone's capacity it
 * jumps to the next zone's start (fio's rule when zonecapacity <
 * zonesize). Lock-free: capacities never change. */
uint64_t zbd_seq_skip(const struct zbd_file *zf, uint64_t pos);

/* A trim at @off: reset its zone (fio's zbd_do_io_u_trim). Returns 0, or
 * EINVAL (positive: the I/O's error) when @off is not a zone's start. */
int zbd_trim(struct zbd_job *j, struct zbd_file *zf, uint64_t off);

/* zoneskip: whether a sequential stream at @pos is done with its zone (at
 * the zone's end, or at its wp for a read that stays below it, @to_wp). */
bool zbd_zone_done(const struct zbd_file *zf, uint64_t pos, bool to_wp);

/* The job's loop is over: writes it fitted and never issued stop counting
 * as in flight. */
void zbd_job_end(struct zbd_job *j, struct zbd_file *zf);

/* A write of [@off, @off + @len) completed (successfully or not). */
void zbd_write_done(struct zbd_job *j, struct zbd_file *zf, uint64_t off, uint32_t len);

/* Introspection for tests: zone @i's wp, whether it is open; open zones of
 * the table. */
uint64_t zbd_zone_wp(const struct zbd_file *zf, unsigned i);
bool zbd_zone_open(const struct zbd_file *zf, unsigned i);
unsigned zbd_open_count(const struct zbd_file *zf);
unsigned zbd_nr_zones(const struct zbd_file *zf);

#endif
