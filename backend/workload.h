/* Workload generation: for each I/O of a job, its direction, file, offset
 * and length, following fio's rules so a job moves the same bytes as fio.
 *
 * Rules (fio's):
 *  - Each file has a region [io_start, io_start + io_size) (struct job_file).
 *  - A loop issues I/O until the bytes issued reach io_size (default size):
 *    reads+writes for rw/randrw, else the job's one direction. With fixed
 *    bs the last I/O is not shortened; with bs ranges/bssplit an I/O is
 *    shortened only so as not to pass its region's end.
 *  - Sequential: per file and direction a position; rw=read:N adds an N byte
 *    hole after each I/O, rw=read:-N steps N bytes back from the end of each
 *    I/O (read:-8k with bs=4k reads backwards). A step landing at or past
 *    the file's end wraps: forwards to the start, backwards to the region's
 *    end less N. Landing past the region's end but inside the file, or an
 *    I/O ending exactly at the region's end, finishes the region. (fio's
 *    rules, quirks included: with offset=, the backwards wrap point is the
 *    region's length taken as an absolute offset, as fio 3.33 does.)
 *  - zonemode=strided (one file): the region is walked in zones; each zone
 *    is zonerange bytes from its start, the job does zonesize bytes in it
 *    (sequential, or random over the zone's blocks; a zonesize above
 *    zonerange goes over the zone again), then the zone moves on
 *    zonerange + zoneskip bytes, wrapping to offset= at the file's end.
 *    The loop ends on bytes (io_size), not on the region's end.
 *  - random_distribution=zoned / zoned_abs: each random I/O first picks a
 *    zone by its access share (1% steps), then a block uniformly inside
 *    it; zoned zones are shares of the region, zoned_abs zones byte lengths
 *    (which must fit in the region). Directions without zones are uniform.
 *    No random map: blocks may repeat within a pass, as they do in fio.
 *  - random_generator=lfsr: uniform random offsets come from a keyed
 *    permutation of the region's blocks, so a pass touches each block
 *    exactly once with no random map (fio uses an LFSR for this; the order
 *    differs from fio's, the coverage is the same).
 *  - Random: block offsets (granularity blockalign, default min bs) drawn
 *    uniformly; a random map makes each block be touched once a pass (an
 *    I/O over blocks already done is shortened), unless norandommap.
 *    zipf/pareto/normal draw over the blocks without a map. randread:N
 *    draws a new random offset every N I/Os, sequential in between.
 *  - Reaching a region's end (or a full map) ends the loop, unless the job
 *    is time_based or io_size exceeds size: then the region starts over.
 *  - The next loop (loops=N) starts every file over, except that holed,
 *    backwards and strided streams a loop ended on bytes go on where they
 *    were, zone included (fio's behaviour for them; fio also carries plain
 *    sequential positions over when io_size < size, which iolab does not).
 *  - zonemode=zbd (zbd.h): each drawn I/O is then fitted to the zones
 *    (a write moves to a write pointer, a read to written data); the
 *    sequential position goes on from the fitted I/O, as fio's last_pos.
 *    A file with nothing left to read or no zone to write ends the pass.
 *  - Multiple files: file_service_type roundrobin (one I/O each in turn),
 *    sequential (one file until done), random.
 *
 * Random streams (offsets, direction, block size, misc) are seeded from
 * randseed, or from a fixed per-job seed while randrepeat=1 (the default).
 *
 * Threads: owned and called by the job's worker only. */
#ifndef IOLAB_WORKLOAD_H
#define IOLAB_WORKLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../engines/engine.h"
#include "../lib/rand.h"
#include "options.h"
#include "rate.h"
#include "zbd.h"

struct job;
struct job_file;

#define WL_MAP_LEVELS 6

/* Per-file generator state, parallel to job->files. */
struct wl_file {
	uint64_t nblocks;                  /* random blocks in the region (zone) */
	uint64_t perm_next, perm_mask;     /* lfsr: next index, 2^k - 1 >= nblocks - 1 */
	uint64_t fsize;                    /* file size the rules use: >= the region's end */
	uint64_t *lvl[WL_MAP_LEVELS];      /* random map: lvl[0] one bit a block */
	uint64_t lvl_words[WL_MAP_LEVELS];
	unsigned nlevels;
	bool done;                         /* region finished this pass */
};

struct wl_bssplit {
	uint32_t bs;
	double cum; /* cumulative percent, last entry 100 */
};

/* A zone of random_distribution=zoned (bounds in percent of the region's
 * blocks) or zoned_abs (bounds in bytes): [lo, hi). */
struct wl_zone {
	uint64_t lo, hi;
};

struct workload {
	struct job *job;
	struct wl_file *wf;
	unsigned nr_files, cur_file, files_left;
	enum file_service fs_type;
	unsigned fs_nr, fs_left;        /* file_service_type=TYPE:N: I/Os per turn, left */
	unsigned rr_next;               /* roundrobin: the file after the last turn */

	unsigned rw;                    /* enum rw_bits */
	int fixed_ddir;                 /* the one direction, or DDIR_INVAL when mixed */
	bool random, use_map, trimwrite;
	unsigned rwmixread;
	/* the job's pacing (set by the worker): with both directions of a
	 * mix rate-limited, the next I/O goes to the direction due first, so
	 * neither falls behind its rate while the other sleeps (fio does so) */
	struct rate *rate;
	uint32_t fixed_bs[DDIR_RWDIR_CNT]; /* 0: variable */
	uint32_t min_bs[DDIR_RWDIR_CNT], max_bs[DDIR_RWDIR_CNT], step[DDIR_RWDIR_CNT];
	struct wl_bssplit split[DDIR_RWDIR_CNT][BSSPLIT_MAX];
	unsigned nr_split[DDIR_RWDIR_CNT];
	uint64_t gran;                  /* random block size */
	int dist;                       /* enum rand_dist */
	uint64_t seq_nr, seq_left;      /* random: new random offset every seq_nr */
	uint64_t hole;                  /* sequential: bytes skipped after each I/O */
	bool back;                      /* the skip goes back: rw=read:-N */
	bool lfsr;                      /* random_generator=lfsr: permutation, no map */
	uint64_t perm_key[2];

	/* random_distribution=zoned / zoned_abs: zone_pick[d][v] is the zone
	 * that a draw of v (0..99) lands in */
	bool zoned, zoned_abs;
	struct wl_zone zones[DDIR_RWDIR_CNT][ZONESPLIT_MAX];
	uint8_t zone_pick[DDIR_RWDIR_CNT][100];
	bool has_zones[DDIR_RWDIR_CNT];

	/* zonemode=strided: the current zone starts zone_off bytes into the
	 * region; zone_bytes done in it so far */
	bool strided;
	uint64_t zone_size, zone_range, zone_step, zone_off, zone_bytes;

	/* zonemode=zbd: the job's zone limits and counters; files' tables
	 * are job->files[i].zbd */
	bool zbd_on;
	struct zbd_job zbd;

	unsigned count_mask;            /* directions counted against io_size */
	uint64_t loop_target;           /* bytes a loop issues */
	uint64_t loop_bytes;            /* counted bytes issued this loop */
	uint64_t ios_left;              /* number_ios: I/Os this loop may still issue */
	bool ios_limited;
	unsigned loops_left;            /* loops after this one */
	bool time_based, wrap;
	/* time_based: set by workload_next() when the I/O it returns starts a
	 * new pass over its file (a random job's map was full, or a lone
	 * file's sequential end was reached): fio drops the file's page cache
	 * there again (invalidate=1). The worker clears it. */
	bool new_pass;

	/* trimwrite: the write repeating the last trim */
	bool tw_pending;
	uint64_t tw_off;
	uint32_t tw_len;
	unsigned tw_file;

	struct rand_state rnd_off, rnd_ddir, rnd_bs, rnd_file, rnd_zone;
	struct rand_dist_state dist_state;
};

/* Region of one of a job's @nr_files files: first byte and length, by fio's
 * rules (filesize, else size split evenly over the files, else size=N% of
 * the file, else the file's size past the offset; offset or offset=N%, plus
 * @clone * offset_increment). @real_size is the file's size and @known
 * whether there is one (an existing file or device). Returns 0, or -EINVAL
 * with a reason in @err, also when the region would end past 2^63 - 1
 * (offset=N% plus offset_increment can only be checked here). */
int workload_region(const struct job_opts *o, unsigned clone, unsigned nr_files,
		    uint64_t real_size, bool known, uint64_t *start, uint64_t *len, char *err,
		    size_t errlen);

/* Base seed of a job's random streams (randseed / randrepeat rules). */
uint64_t workload_seed(const struct job_opts *o, unsigned job_index);

/* Set up from job->o and job->files (regions already sized). @job_index
 * picks the per-job default seed. Returns 0 or -errno with @err. */
int workload_init(struct workload *w, struct job *job, unsigned job_index, char *err,
		  size_t errlen);
void workload_free(struct workload *w);

/* Fill u->ddir, u->file, u->offset (absolute) and u->buflen for the next
 * I/O. Returns 0, or 1 when this loop has nothing more to issue. */
int workload_next(struct workload *w, struct io_u *u);

/* Start the next loop (positions and maps reset). Returns false when no
 * loop is left. */
bool workload_next_loop(struct workload *w);
/* Whether more I/O may follow in this run: false once a size-bound job's
 * last loop has issued its bytes (or number_ios); true while it may not
 * know (time_based, read_iolog, loops left). fio issues a due fsync only
 * before another I/O, so the worker asks this first. */
bool workload_more(const struct workload *w);
/* Forget positions, maps and bytes of the current loop (after ramp). */
void workload_restart(struct workload *w);

/* Live knobs: fixed block size for @ddir (0 keeps the job's), read mix. */
void workload_set_bs(struct workload *w, int ddir, uint32_t bs);
void workload_set_rwmix(struct workload *w, unsigned rwmixread);

/* lfsr's permutation, exposed for tests: the block at index @i of a pass
 * over [0, @mask], keyed by @key; a bijection on [0, @mask] (@mask is
 * 2^k - 1). */
uint64_t wl_perm(uint64_t i, uint64_t mask, const uint64_t key[2]);

/* Random map primitives, exposed for tests. */
/* Mark up to @nr free blocks from @b (stops at the first used one);
 * returns how many were marked. */
uint64_t wl_map_set(struct wl_file *f, uint64_t b, uint64_t nr);
bool wl_map_isset(const struct wl_file *f, uint64_t b);
/* First free block at or after @b, wrapping; UINT64_MAX when full. */
uint64_t wl_map_next_free(const struct wl_file *f, uint64_t b);
int wl_map_alloc(struct wl_file *f, uint64_t nblocks);
void wl_map_clear(struct wl_file *f);
void wl_map_free(struct wl_file *f);

#endif
