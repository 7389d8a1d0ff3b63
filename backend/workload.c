/* Workload generation; see workload.h for the rules followed. */
#include "workload.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "iolog.h"
#include "job.h"

#define FIO_RANDSEED 0xb1899bedULL
#define MAP_NONE UINT64_MAX

enum { GEN_OK = 0, GEN_END = 1 };

/* ---- random map: a bitmap of blocks with summary levels above it; a set
 * bit at level L+1 means word j of level L is full. Padding bits are set. */

static uint64_t words_for(uint64_t bits)
{
	return (bits + 63) / 64;
}

static void map_pad(struct wl_file *f)
{
	uint64_t bits = f->nblocks;

	for (unsigned l = 0; l < f->nlevels; l++) {
		uint64_t words = f->lvl_words[l];
		unsigned tail = (unsigned)(bits % 64);

		if (tail)
			f->lvl[l][words - 1] |= ~0ULL << tail;
		bits = words;
	}
}

int wl_map_alloc(struct wl_file *f, uint64_t nblocks)
{
	uint64_t bits = nblocks ? nblocks : 1, total = 0;
	uint64_t *mem;

	memset(f->lvl, 0, sizeof(f->lvl));
	f->nblocks = nblocks;
	f->nlevels = 0;
	do {
		f->lvl_words[f->nlevels] = words_for(bits);
		total += f->lvl_words[f->nlevels];
		bits = f->lvl_words[f->nlevels];
		f->nlevels++;
	} while (bits > 1 && f->nlevels < WL_MAP_LEVELS);
	if (bits > 1)
		return -EFBIG;
	mem = calloc(total, sizeof(*mem));
	if (!mem)
		return -ENOMEM;
	for (unsigned l = 0; l < f->nlevels; l++) {
		f->lvl[l] = mem;
		mem += f->lvl_words[l];
	}
	if (!nblocks) {
		/* an empty region is a full map */
		for (unsigned l = 0; l < f->nlevels; l++)
			memset(f->lvl[l], 0xff, f->lvl_words[l] * sizeof(uint64_t));
		return 0;
	}
	map_pad(f);
	return 0;
}

void wl_map_clear(struct wl_file *f)
{
	if (!f->lvl[0])
		return;
	if (!f->nblocks)
		return;
	for (unsigned l = 0; l < f->nlevels; l++)
		memset(f->lvl[l], 0, f->lvl_words[l] * sizeof(uint64_t));
	map_pad(f);
}

void wl_map_free(struct wl_file *f)
{
	free(f->lvl[0]);
	memset(f->lvl, 0, sizeof(f->lvl));
	f->nlevels = 0;
}

bool wl_map_isset(const struct wl_file *f, uint64_t b)
{
	return (f->lvl[0][b / 64] >> (b % 64)) & 1;
}

static void map_set_one(struct wl_file *f, uint64_t b)
{
	for (unsigned l = 0; l < f->nlevels; l++) {
		uint64_t *w = &f->lvl[l][b / 64];

		*w |= 1ULL << (b % 64);
		if (*w != ~0ULL)
			return;
		b /= 64;
	}
}

uint64_t wl_map_set(struct wl_file *f, uint64_t b, uint64_t nr)
{
	uint64_t done = 0;

	while (done < nr && b + done < f->nblocks && !wl_map_isset(f, b + done)) {
		map_set_one(f, b + done);
		done++;
	}
	return done;
}

/* First zero bit at level @l at or after bit @from, or MAP_NONE. */
static uint64_t map_find_zero(const struct wl_file *f, unsigned l, uint64_t from)
{
	uint64_t w = from / 64, bits, nw;

	if (w >= f->lvl_words[l])
		return MAP_NONE;
	bits = ~f->lvl[l][w] & (~0ULL << (from % 64));
	if (bits)
		return w * 64 + (uint64_t)__builtin_ctzll(bits);
	if (l + 1 >= f->nlevels)
		return MAP_NONE;
	nw = map_find_zero(f, l + 1, w + 1);
	if (nw == MAP_NONE)
		return MAP_NONE;
	return nw * 64 + (uint64_t)__builtin_ctzll(~f->lvl[l][nw]);
}

uint64_t wl_map_next_free(const struct wl_file *f, uint64_t b)
{
	uint64_t r;

	if (!f->nblocks)
		return MAP_NONE;
	if (b >= f->nblocks)
		b = 0;
	r = map_find_zero(f, 0, b);
	if (r == MAP_NONE && b)
		r = map_find_zero(f, 0, 0);
	return r < f->nblocks ? r : MAP_NONE;
}

static bool map_full(const struct wl_file *f)
{
	return f->lvl[f->nlevels - 1][0] == ~0ULL;
}

/* The file's size as the rules see it: at least the region's end. */
static inline uint64_t file_bytes_of(const struct job_file *jf)
{
	uint64_t end = jf->io_start + jf->io_size;

	return jf->real_size > end ? jf->real_size : end;
}

/* ---- lfsr: a keyed bijection on k-bit integers. Each step (xor or add a
 * key, multiply by an odd constant, xor with a right shift) is invertible
 * modulo 2^k, so the composition visits every value of [0, 2^k) exactly
 * once as i runs over it; values at or past nblocks are skipped. */

uint64_t wl_perm(uint64_t i, uint64_t mask, const uint64_t key[2])
{
	unsigned bits = (unsigned)__builtin_popcountll(mask);
	unsigned sh = bits / 2 ? bits / 2 : 1;
	uint64_t x = i & mask;

	if (!mask)
		return 0;
	x = (x ^ key[0]) & mask;
	x = (x * 0x9e3779b97f4a7c15ULL) & mask;
	x ^= x >> sh;
	x = (x + key[1]) & mask;
	x = (x * 0xbf58476d1ce4e5b9ULL) & mask;
	x ^= x >> sh;
	x = (x * 0x94d049bb133111ebULL) & mask;
	x ^= x >> sh;
	return x;
}

static void perm_setup(struct wl_file *f)
{
	uint64_t m = 0;

	while (f->nblocks && m < f->nblocks - 1)
		m = (m << 1) | 1;
	f->perm_mask = m;
	f->perm_next = 0;
}

/* Next block of this pass, or MAP_NONE when every block has had its turn. */
static uint64_t perm_draw(struct workload *w, struct wl_file *f)
{
	while (f->nblocks && f->perm_next <= f->perm_mask) {
		uint64_t b = wl_perm(f->perm_next++, f->perm_mask, w->perm_key);

		if (b < f->nblocks)
			return b;
	}
	return MAP_NONE;
}

/* ---- setup ---- */

static uint64_t pct_of(uint64_t total, double pct)
{
	return (uint64_t)((double)total * pct / 100.0);
}

int workload_region(const struct job_opts *o, unsigned clone, unsigned nr_files,
		    uint64_t real_size, bool known, uint64_t *start, uint64_t *len, char *err,
		    size_t errlen)
{
	uint64_t off, region;

	if (!nr_files)
		nr_files = 1;
	off = o->offset_pct > 0 ? pct_of(real_size, o->offset_pct) : o->offset;
	if (__builtin_mul_overflow((uint64_t)clone, o->offset_increment, &region) ||
	    __builtin_add_overflow(off, region, &off) || off > INT64_MAX) {
		snprintf(err, errlen, "offset + clone %u x offset_increment passes the largest "
			 "file offset (2^63 - 1)", clone);
		return -EINVAL;
	}
	if (o->filesize)
		region = o->filesize;
	else if (o->size_pct > 0 && known)
		region = pct_of(real_size, o->size_pct);
	else if (o->size)
		region = o->size / nr_files;
	else if (known && real_size > off)
		region = real_size - off;
	else if (known) {
		snprintf(err, errlen, "offset %llu is at or past the end (%llu bytes)",
			 (unsigned long long)off, (unsigned long long)real_size);
		return -EINVAL;
	} else {
		snprintf(err, errlen, "size: not set, and there is no file to take it from (set size=)");
		return -EINVAL;
	}
	if (o->size_pct > 0 && !known && !o->size) {
		snprintf(err, errlen, "size=%g%%: needs an existing file or device", o->size_pct);
		return -EINVAL;
	}
	if (region > INT64_MAX - off) {
		snprintf(err, errlen, "offset %llu + size %llu passes the largest file offset "
			 "(2^63 - 1)", (unsigned long long)off, (unsigned long long)region);
		return -EINVAL;
	}
	*start = off;
	*len = region;
	return 0;
}

uint64_t workload_seed(const struct job_opts *o, unsigned job_index)
{
	uint64_t s;

	if (o->randseed_set)
		return o->randseed;
	if (o->randrepeat)
		return FIO_RANDSEED * (job_index + 1);
	if (getrandom(&s, sizeof(s), 0) != sizeof(s))
		s = (uint64_t)(uintptr_t)&s ^ (uint64_t)job_index;
	return s;
}

static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void setup_bs(struct workload *w, const struct job_opts *o, int d)
{
	uint32_t bs = o->bs[d];
	uint32_t lo = o->bs_min[d], hi = o->bs_max[d];

	w->nr_split[d] = 0;
	if (o->nr_bssplit[d]) {
		double given = 0, cum = 0;
		unsigned zero = 0, n = o->nr_bssplit[d];

		for (unsigned i = 0; i < n; i++) {
			given += o->bssplit[d][i].perc;
			zero += o->bssplit[d][i].perc == 0;
		}
		lo = UINT32_MAX;
		hi = 0;
		for (unsigned i = 0; i < n; i++) {
			double p = o->bssplit[d][i].perc;

			if (p == 0 && zero)
				p = given < 100 ? (100 - given) / zero : 0;
			cum += p;
			w->split[d][i].bs = o->bssplit[d][i].bs;
			w->split[d][i].cum = cum;
			if (o->bssplit[d][i].bs < lo)
				lo = o->bssplit[d][i].bs;
			if (o->bssplit[d][i].bs > hi)
				hi = o->bssplit[d][i].bs;
		}
		/* scale so the last cumulative value is exactly 100 */
		for (unsigned i = 0; i < n && cum > 0; i++)
			w->split[d][i].cum = w->split[d][i].cum * 100.0 / cum;
		w->split[d][n - 1].cum = 100.0;
		w->nr_split[d] = n;
		w->fixed_bs[d] = n == 1 ? lo : 0;
		if (n == 1)
			w->nr_split[d] = 0;
	} else if (lo && hi && lo != hi) {
		w->fixed_bs[d] = 0;
	} else if (lo && lo == hi) {
		w->fixed_bs[d] = lo; /* bsrange=8k-8k */
	} else {
		if (!bs)
			bs = lo ? lo : 4096;
		lo = hi = bs;
		w->fixed_bs[d] = bs;
	}
	w->min_bs[d] = lo;
	w->max_bs[d] = hi;
	w->step[d] = o->blockalign[d] ? o->blockalign[d] : lo;
	if (!w->step[d])
		w->step[d] = 1;
}

static void file_reset(struct workload *w, unsigned fi)
{
	struct job_file *jf = &w->job->files[fi];

	for (int d = 0; d < DDIR_RWDIR_CNT; d++)
		jf->next_off[d] = 0;
	if (w->use_map)
		wl_map_clear(&w->wf[fi]);
	jf->randmap_used = 0;
	jf->randmap_hint = 0;
	w->wf[fi].perm_next = 0;
	w->wf[fi].done = false;
	/* fio's zbd_file_reset, at each pass of a job that writes */
	if (w->zbd_on && (w->rw & RW_WRITE))
		zbd_loop_start(&w->zbd, &jf->zbd);
}

void workload_restart(struct workload *w)
{
	for (unsigned i = 0; i < w->nr_files; i++)
		file_reset(w, i);
	w->files_left = w->nr_files;
	w->cur_file = 0;
	w->rr_next = 0;
	w->fs_left = 0;
	w->loop_bytes = 0;
	w->ios_left = w->job->o.number_ios;
	w->seq_left = w->seq_nr;
	w->tw_pending = false;
	w->zone_off = 0;
	w->zone_bytes = 0;
}

int workload_init(struct workload *w, struct job *job, unsigned job_index, char *err,
		  size_t errlen)
{
	const struct job_opts *o = &job->o;
	uint64_t seed, total_region = 0, min_all = UINT64_MAX;
	int ret;

	memset(w, 0, sizeof(*w));
	w->job = job;
	w->nr_files = job->nr_files;
	w->fs_type = o->file_service_type;
	w->fs_nr = o->file_service_nr ? o->file_service_nr : 1;
	w->rw = o->rw;
	w->random = o->rw & RW_RAND;
	w->rwmixread = o->rwmixread;
	w->trimwrite = (o->rw & RW_TRIM) && (o->rw & RW_WRITE);
	w->time_based = o->time_based;
	w->dist = o->random_distribution;
	w->fixed_ddir = DDIR_INVAL;
	if (!w->trimwrite && !((o->rw & RW_READ) && (o->rw & RW_WRITE))) {
		if (o->rw & RW_READ)
			w->fixed_ddir = DDIR_READ;
		else if (o->rw & RW_WRITE)
			w->fixed_ddir = DDIR_WRITE;
		else
			w->fixed_ddir = DDIR_TRIM;
	}
	if ((o->rw & RW_READ) && (o->rw & RW_WRITE))
		w->count_mask = (1u << DDIR_READ) | (1u << DDIR_WRITE);
	else if (o->rw & RW_WRITE)
		w->count_mask = 1u << DDIR_WRITE;
	else if (o->rw & RW_READ)
		w->count_mask = 1u << DDIR_READ;
	else
		w->count_mask = 1u << DDIR_TRIM;

	w->gran = 0;
	for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
		setup_bs(w, o, d);
		if (!(o->rw & (1u << d)))
			continue;
		if (!w->gran || w->step[d] < w->gran)
			w->gran = w->step[d];
		if (w->min_bs[d] < min_all)
			min_all = w->min_bs[d];
	}
	if (!w->gran)
		w->gran = w->min_bs[DDIR_READ] ? w->min_bs[DDIR_READ] : 4096;
	if (min_all == UINT64_MAX)
		min_all = w->gran;

	w->zoned = w->dist == DIST_ZONED || w->dist == DIST_ZONED_ABS;
	w->zoned_abs = w->dist == DIST_ZONED_ABS;
	/* lfsr draws uniform offsets; other shapes keep their own draws */
	w->lfsr = o->random_generator == RANDGEN_LFSR && w->dist == DIST_RANDOM;
	if (w->random) {
		w->seq_nr = o->rw_seq_nr ? o->rw_seq_nr : 1;
		/* zoned draws repeat blocks as fio's do (its map does not
		 * hold them back: tests/int/patterns.sh) */
		w->use_map = !o->norandommap && !w->lfsr && w->dist == DIST_RANDOM;
	} else {
		w->hole = o->rw_seq_nr;
		w->back = o->rw_seq_back;
	}
	/* strided zones need one file, as fio's (it drops them otherwise) */
	w->strided = o->zonemode == ZONEMODE_STRIDED && o->zone_size && w->nr_files == 1;
	if (w->strided) {
		w->zone_size = o->zone_size;
		w->zone_range = o->zone_range ? o->zone_range : o->zone_size;
		w->zone_step = w->zone_range + o->zone_skip;
	}
	if (w->zoned) {
		for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
			uint64_t at = 0;
			unsigned v = 0;

			w->has_zones[d] = o->nr_zone_split[d] > 0;
			for (unsigned k = 0; k < o->nr_zone_split[d] && k < ZONESPLIT_MAX; k++) {
				const struct zone_split *z = &o->zone_split[d][k];
				uint64_t len = w->zoned_abs ? z->size : z->size_pct;

				w->zones[d][k].lo = at;
				w->zones[d][k].hi = at + len;
				at += len;
				for (unsigned a = 0; a < z->access && v < 100; a++)
					w->zone_pick[d][v++] = (uint8_t)k;
			}
			/* shares rounded down: the last zone takes the rest */
			while (w->has_zones[d] && v < 100)
				w->zone_pick[d][v++] = (uint8_t)(o->nr_zone_split[d] - 1);
		}
	}

	w->wf = calloc(w->nr_files ? w->nr_files : 1, sizeof(*w->wf));
	if (!w->wf) {
		snprintf(err, errlen, "out of memory for %u files", w->nr_files);
		return -ENOMEM;
	}
	for (unsigned i = 0; i < w->nr_files; i++) {
		/* random offsets: over the region, or over one strided zone */
		uint64_t region = w->strided ? w->zone_range : job->files[i].io_size;
		uint64_t nb = region >= min_all ? (region - min_all) / w->gran + 1 : 0;

		if (w->zoned_abs) {
			for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
				unsigned n = o->nr_zone_split[d];

				if (!(o->rw & (1u << d)) || !n || w->zones[d][n - 1].hi <= region)
					continue;
				snprintf(err, errlen, "random_distribution: zoned_abs zones add to "
					 "%llu bytes, past the %llu-byte region of %s (shrink the "
					 "zones or grow size=)",
					 (unsigned long long)w->zones[d][n - 1].hi,
					 (unsigned long long)region, job->files[i].path);
				workload_free(w);
				return -EINVAL;
			}
		}

		/* zonemode=zbd: fio counts bytes against the region as given,
		 * before it was fitted to whole zones */
		total_region += job->files[i].zbd.dev ? job->files[i].zbd.given_size
						      : job->files[i].io_size;
		w->wf[i].fsize = file_bytes_of(&job->files[i]);
		w->wf[i].nblocks = nb;
		job->files[i].randmap_blocks = nb;
		if (w->use_map) {
			ret = wl_map_alloc(&w->wf[i], nb);
			if (ret) {
				snprintf(err, errlen, "random map for %s: %s", job->files[i].path,
					 strerror(-ret));
				workload_free(w);
				return ret;
			}
			job->files[i].randmap = w->wf[i].lvl[0];
		}
		perm_setup(&w->wf[i]);
	}
	w->loop_target = o->io_size ? o->io_size : total_region;
	w->wrap = w->loop_target > total_region;
	w->loops_left = o->loops > 1 ? o->loops - 1 : 0;
	/* number_ios counts per loop and does not apply to time_based jobs:
	 * what fio 3.33 does (tests/int/fio_semantics.sh) */
	w->ios_limited = o->number_ios && !o->time_based;

	seed = workload_seed(o, job_index);
	rand_seed(&w->rnd_off, seed);
	rand_seed(&w->rnd_ddir, seed + 0x9e3779b97f4a7c15ULL);
	rand_seed(&w->rnd_bs, seed + 2 * 0x9e3779b97f4a7c15ULL);
	rand_seed(&w->rnd_file, seed + 3 * 0x9e3779b97f4a7c15ULL);
	rand_seed(&w->rnd_zone, seed + 4 * 0x9e3779b97f4a7c15ULL);
	w->perm_key[0] = mix64(seed + 5 * 0x9e3779b97f4a7c15ULL);
	w->perm_key[1] = mix64(seed + 6 * 0x9e3779b97f4a7c15ULL);
	if (w->random && w->dist != DIST_RANDOM && !w->zoned) {
		/* one distribution over the blocks of the largest file */
		uint64_t nb = 0;

		for (unsigned i = 0; i < w->nr_files; i++)
			if (w->wf[i].nblocks > nb)
				nb = w->wf[i].nblocks;
		rand_dist_init(&w->dist_state, w->dist, o->dist_param, nb ? nb : 1);
	}
	w->zbd_on = o->zonemode == ZONEMODE_ZBD;
	if (w->zbd_on)
		zbd_job_init(&w->zbd, o, w->min_bs);
	workload_restart(w);
	return 0;
}

void workload_free(struct workload *w)
{
	if (w->wf) {
		for (unsigned i = 0; i < w->nr_files; i++) {
			wl_map_free(&w->wf[i]);
			if (w->job && w->job->files)
				w->job->files[i].randmap = NULL;
		}
	}
	free(w->wf);
	w->wf = NULL;
}

/* ---- generation ---- */

/* Length for direction @d with @room bytes left before the region's end;
 * 0 when not even the smallest block fits. */
static uint32_t choose_len(struct workload *w, int d, uint64_t room)
{
	uint32_t bs;

	if (w->fixed_bs[d])
		return w->fixed_bs[d] <= room ? w->fixed_bs[d] : 0;
	if (room < w->min_bs[d])
		return 0;
	if (w->nr_split[d]) {
		double r = rand_double(&w->rnd_bs) * 100.0;
		unsigned n = w->nr_split[d], i = 0, best = n;

		while (i < n - 1 && r >= w->split[d][i].cum)
			i++;
		if (w->split[d][i].bs <= room)
			return w->split[d][i].bs;
		/* shorten: the largest entry that still fits */
		for (unsigned k = 0; k < n; k++)
			if (w->split[d][k].bs <= room &&
			    (best == n || w->split[d][k].bs > w->split[d][best].bs))
				best = k;
		return best < n ? w->split[d][best].bs : 0;
	}
	{
		uint32_t step = w->step[d];
		uint64_t nsteps = (uint64_t)(w->max_bs[d] - w->min_bs[d]) / step + 1;

		bs = w->min_bs[d] + (uint32_t)rand_below(&w->rnd_bs, nsteps) * step;
		if (bs > room)
			bs = w->min_bs[d] + (uint32_t)((room - w->min_bs[d]) / step) * step;
	}
	return bs;
}


/* Start of the offsets drawn now: the region's, or the strided zone's. */
static inline uint64_t gen_base(const struct workload *w, const struct job_file *jf)
{
	return jf->io_start + w->zone_off;
}

/* Room for an I/O at @off: a fixed block size may run to the file's end
 * (fio checks only that), a drawn one to the region's end. */
static inline uint64_t room_at(const struct workload *w, const struct job_file *jf, int d,
			       uint64_t off)
{
	uint64_t end = w->fixed_bs[d] || w->strided ? w->wf[jf - w->job->files].fsize
						     : jf->io_start + jf->io_size;

	return end > off ? end - off : 0;
}

/* Where a holed or strided sequential stream goes next, by fio's rules
 * (workload.h): the position relative to @base, or UINT64_MAX when the
 * region is done. */
static uint64_t seq_step(const struct workload *w, const struct job_file *jf, uint64_t base,
			 uint64_t fsize, int d)
{
	uint64_t region = jf->io_size, last = base + jf->next_off[d], pos;
	/* where a backwards step wraps to: the region's length, as an offset */
	uint64_t wrap_end = region < fsize ? region : fsize;

	if (last >= fsize)
		return UINT64_MAX;
	if (w->back && last == base && base)
		last = wrap_end;
	pos = last - base;
	if (pos && w->hole) {
		/* forwards: compared, not added, so a large skip cannot wrap
		 * around; backwards: below 0 wraps on purpose, as fio's */
		if (w->back)
			pos -= w->hole;
		else if (w->hole >= fsize - pos)
			pos = fsize;
		else
			pos += w->hole;
		if (pos >= fsize)
			pos = w->back ? wrap_end - w->hole : base;
	}
	if (pos >= region || base + pos >= fsize)
		return UINT64_MAX;
	return pos;
}

/* Sequential: see workload.h. Positions are relative to gen_base(). */
static int gen_seq(struct workload *w, unsigned fi, int d, struct io_u *u)
{
	struct job_file *jf = &w->job->files[fi];
	uint64_t base = gen_base(w, jf), pos = jf->next_off[d], off;
	uint32_t len;

	if (__builtin_expect(w->hole || w->strided, 0)) {
		pos = seq_step(w, jf, base, w->wf[fi].fsize, d);
		if (pos == UINT64_MAX)
			return GEN_END;
	} else if (pos >= jf->io_size) {
		return GEN_END;
	}
	off = base + pos;
	len = choose_len(w, d, room_at(w, jf, d, off));
	if (!len)
		return GEN_END;
	u->offset = off;
	u->buflen = len;
	jf->next_off[d] = off + len - base;
	return GEN_OK;
}

/* A block for zoned / zoned_abs: a zone by access share, then a block in
 * it. */
static uint64_t zoned_block(struct workload *w, const struct wl_file *f, int d)
{
	const struct wl_zone *z;
	uint64_t lo, span;

	if (!w->has_zones[d])
		return rand_below(&w->rnd_off, f->nblocks);
	z = &w->zones[d][w->zone_pick[d][rand_below(&w->rnd_zone, 100)]];
	if (w->zoned_abs) {
		lo = z->lo / w->gran;
		span = z->hi / w->gran - lo;
	} else {
		lo = z->lo * f->nblocks / 100;
		span = f->nblocks * (z->hi - z->lo) / 100;
	}
	if (lo >= f->nblocks)
		lo = f->nblocks - 1;
	if (lo + span > f->nblocks)
		span = f->nblocks - lo;
	return lo + (span ? rand_below(&w->rnd_off, span) : 0);
}

static int gen_rand(struct workload *w, unsigned fi, int d, struct io_u *u)
{
	struct job_file *jf = &w->job->files[fi];
	struct wl_file *f = &w->wf[fi];
	uint64_t b, off, base = gen_base(w, jf);
	uint32_t len = 0;

	if (!f->nblocks || (w->use_map && map_full(f)))
		return GEN_END;
	for (int tries = 0; tries < 8; tries++) {
		if (w->lfsr) {
			b = perm_draw(w, f);
			if (b == MAP_NONE)
				return GEN_END;
		} else if (w->zoned) {
			b = zoned_block(w, f, d);
		} else if (w->dist != DIST_RANDOM) {
			b = rand_dist_next(&w->dist_state, &w->rnd_off);
			if (w->dist != DIST_NORMAL)
				b = mix64(b + 1);
			b %= f->nblocks;
		} else {
			b = rand_below(&w->rnd_off, f->nblocks);
		}
		if (w->use_map && wl_map_isset(f, b)) {
			b = wl_map_next_free(f, b);
			if (b == MAP_NONE)
				return GEN_END;
		}
		off = b * w->gran;
		len = choose_len(w, d, w->strided ? room_at(w, jf, d, base + off)
						  : jf->io_size - off);
		if (len)
			break;
	}
	if (!len)
		return GEN_END;
	if (w->use_map) {
		uint64_t nr = (len + w->gran - 1) / w->gran;
		uint64_t got = wl_map_set(f, b, nr);

		if (got < nr)
			len = (uint32_t)(got * w->gran);
		jf->randmap_used += got;
	}
	u->offset = base + off;
	u->buflen = len;
	jf->next_off[d] = off + len;
	return GEN_OK;
}

/* zonemode=strided, before an I/O in direction @d: move to the next zone
 * once zonesize bytes are done in this one (wrapping to the region's start
 * at the file's end), go over the zone again when its end is reached, and
 * start each pass over the zone with fresh positions and map. */
static void strided_step(struct workload *w, unsigned fi, int d)
{
	struct job_file *jf = &w->job->files[fi];

	if (w->zone_bytes >= w->zone_size) {
		w->zone_bytes = 0;
		w->zone_off += w->zone_step;
		if (jf->io_start + w->zone_off >= w->wf[fi].fsize)
			w->zone_off = 0;
		jf->next_off[d] = 0;
	}
	if (jf->next_off[d] >= w->zone_range)
		jf->next_off[d] = 0;
	if (w->zone_bytes % w->zone_range == 0) {
		for (int k = 0; k < DDIR_RWDIR_CNT; k++)
			jf->next_off[k] = 0;
		if (w->use_map)
			wl_map_clear(&w->wf[fi]);
		w->wf[fi].perm_next = 0;
	}
}

static int gen_one(struct workload *w, unsigned fi, int d, struct io_u *u)
{
	if (w->random) {
		if (w->seq_nr > 1) {
			if (--w->seq_left) {
				if (gen_seq(w, fi, d, u) == GEN_OK)
					return GEN_OK;
			} else {
				w->seq_left = w->seq_nr;
			}
		}
		return gen_rand(w, fi, d, u);
	}
	return gen_seq(w, fi, d, u);
}

/* zonemode=zbd, before drawing in direction @d on file @fi: fio's jump of
 * a sequential write from a zone's capacity to its end, and zoneskip's
 * move to a further zone; returns the
 * position to restore should the I/O change direction. */
static uint64_t zbd_seq_pos(struct workload *w, unsigned fi, int d)
{
	struct job_file *jf = &w->job->files[fi];

	const struct job_opts *o = &w->job->o;

	if (w->random || !jf->zbd.dev)
		return jf->next_off[d];
	if (d == DDIR_WRITE)
		jf->next_off[d] = zbd_seq_skip(&jf->zbd, gen_base(w, jf) + jf->next_off[d]) -
				  gen_base(w, jf);
	/* zoneskip: fio moves the file's offset on by a zone and the skip */
	if (o->zone_skip && (w->zone_bytes >= o->zone_size ||
			     zbd_zone_done(&jf->zbd, gen_base(w, jf) + jf->next_off[d],
					   d == DDIR_READ && !o->read_beyond_wp))) {
		w->zone_bytes = 0;
		w->zone_off += o->zone_size + o->zone_skip;
		if (jf->io_start + w->zone_off >= jf->real_size)
			w->zone_off = 0;
		jf->next_off[d] = 0;
	}
	return jf->next_off[d];
}

/* zonemode=zbd: fit the drawn I/O @u to the zones (zbd.h). Returns 0, or
 * 1 when it cannot be done: the pass ends (and a failure fails the job).
 * @saved: the drawn direction's position before the draw. */
static int zbd_fit(struct workload *w, unsigned fi, int *d, uint64_t saved, struct io_u *u)
{
	struct job_file *jf = &w->job->files[fi];
	char err[256];
	int nd = *d, r;

	if (!jf->zbd.dev)
		return 0;
	r = zbd_adjust(&w->zbd, &jf->zbd, &nd, &u->offset, &u->buflen, err, sizeof(err));
	if (r < 0) {
		job_set_error(w->job, -r, "%s", err);
		w->loops_left = 0;
	}
	if (r)
		return 1;
	if (nd != *d) {
		jf->next_off[*d] = saved;
		*d = nd;
	}
	jf->next_off[nd] = u->offset + u->buflen - gen_base(w, jf);
	return 0;
}

static unsigned next_file_from(struct workload *w, unsigned fi)
{
	for (unsigned k = 0; k < w->nr_files; k++) {
		unsigned c = (fi + k) % w->nr_files;

		if (!w->wf[c].done)
			return c;
	}
	return fi;
}

static unsigned pick_file(struct workload *w)
{
	unsigned fi;

	if (w->nr_files == 1)
		return 0;
	if (w->fs_type == FSERVICE_SEQUENTIAL)
		return next_file_from(w, w->cur_file);
	/* :N, as fio: stay on the file for N I/Os while it has any left */
	if (w->fs_left && !w->wf[w->cur_file].done) {
		w->fs_left--;
		return w->cur_file;
	}
	w->fs_left = w->fs_nr - 1;
	if (w->fs_type == FSERVICE_RANDOM)
		return next_file_from(w, (unsigned)rand_below(&w->rnd_file, w->nr_files));
	/* roundrobin: the first turn goes to file 0, as fio's */
	fi = next_file_from(w, w->rr_next);
	w->rr_next = (fi + 1) % w->nr_files;
	return fi;
}

static inline int pick_ddir(struct workload *w)
{
	if (w->fixed_ddir != DDIR_INVAL)
		return w->fixed_ddir;
	if (w->trimwrite)
		return w->tw_pending ? DDIR_WRITE : DDIR_TRIM;
	if (w->rwmixread >= 100)
		return DDIR_READ;
	if (!w->rwmixread)
		return DDIR_WRITE;
	if (w->rate && w->rate->enabled && rate_limits(w->rate, DDIR_READ) &&
	    rate_limits(w->rate, DDIR_WRITE)) {
		uint64_t r = rate_when(w->rate, DDIR_READ, w->min_bs[DDIR_READ]);
		uint64_t wr = rate_when(w->rate, DDIR_WRITE, w->min_bs[DDIR_WRITE]);

		if (r != wr)
			return r < wr ? DDIR_READ : DDIR_WRITE;
	}
	return rand_below(&w->rnd_ddir, 100) < w->rwmixread ? DDIR_READ : DDIR_WRITE;
}

int workload_next(struct workload *w, struct io_u *u)
{
	int d;
	unsigned fi;
	uint64_t saved = 0;

	if (__builtin_expect(w->job->iolog_replay != NULL, 0)) /* read_iolog */
		return iolog_replay_next(w->job->iolog_replay, w->job, u);
	if (!w->time_based && w->loop_bytes >= w->loop_target)
		return 1;
	if (!w->nr_files || (w->ios_limited && !w->ios_left))
		return 1;
	d = pick_ddir(w);
	if (w->trimwrite && d == DDIR_WRITE) {
		w->tw_pending = false;
		fi = w->tw_file;
		u->offset = w->tw_off;
		u->buflen = w->tw_len;
		goto out;
	}
	for (;;) {
		fi = pick_file(w);
		if (__builtin_expect(w->strided, 0))
			strided_step(w, fi, d);
		if (__builtin_expect(w->zbd_on, 0))
			saved = zbd_seq_pos(w, fi, d);
		if (gen_one(w, fi, d, u) == GEN_OK)
			break;
		if (w->time_based || w->wrap) {
			file_reset(w, fi);
			if (gen_one(w, fi, d, u) == GEN_OK) {
				/* fio's rule: every random pass, sequential only
				 * with one file */
				w->new_pass = w->time_based && (w->random || w->nr_files == 1);
				break;
			}
			return 1; /* the region cannot hold a single block */
		}
		w->wf[fi].done = true;
		if (--w->files_left == 0)
			return 1;
	}
	if (__builtin_expect(w->zbd_on, 0) && zbd_fit(w, fi, &d, saved, u))
		return 1;
	if (w->trimwrite) {
		w->tw_pending = true;
		w->tw_off = u->offset;
		w->tw_len = u->buflen;
		w->tw_file = fi;
	}
out:
	w->zone_bytes += u->buflen;
	w->ios_left -= w->ios_limited;
	w->cur_file = fi;
	u->ddir = d;
	u->file = &w->job->files[fi];
	if (w->count_mask & (1u << d))
		w->loop_bytes += u->buflen;
	return 0;
}

bool workload_more(const struct workload *w)
{
	if (w->job->iolog_replay || w->time_based || w->loops_left)
		return true;
	if (w->loop_bytes >= w->loop_target || (w->ios_limited && !w->ios_left))
		return false;
	return w->files_left > 0;
}

bool workload_next_loop(struct workload *w)
{
	if (!w->loops_left)
		return false;
	w->loops_left--;
	if (!w->hole && !w->strided) {
		workload_restart(w);
		return true;
	}
	/* holed and strided streams, as fio's: a file the loop ended in the
	 * middle of (on bytes) goes on from where it was, zones included;
	 * files that ran to their end start over */
	for (unsigned i = 0; i < w->nr_files; i++)
		if (w->wf[i].done)
			file_reset(w, i);
	w->files_left = w->nr_files;
	w->fs_left = 0;
	w->loop_bytes = 0;
	w->ios_left = w->job->o.number_ios;
	w->seq_left = w->seq_nr;
	w->tw_pending = false;
	return true;
}

void workload_set_bs(struct workload *w, int ddir, uint32_t bs)
{
	if (ddir < 0 || ddir >= DDIR_RWDIR_CNT)
		return;
	if (!bs) {
		setup_bs(w, &w->job->o, ddir);
		return;
	}
	w->fixed_bs[ddir] = bs;
	w->min_bs[ddir] = w->max_bs[ddir] = bs;
	w->nr_split[ddir] = 0;
}

void workload_set_rwmix(struct workload *w, unsigned rwmixread)
{
	w->rwmixread = rwmixread > 100 ? 100 : rwmixread;
}
