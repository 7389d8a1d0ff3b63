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
	w->wf[fi].done = false;
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

	if (w->random) {
		w->seq_nr = o->rw_seq_nr ? o->rw_seq_nr : 1;
		w->use_map = !o->norandommap && w->dist == DIST_RANDOM;
	} else {
		w->hole = o->rw_seq_nr;
	}

	w->wf = calloc(w->nr_files ? w->nr_files : 1, sizeof(*w->wf));
	if (!w->wf) {
		snprintf(err, errlen, "out of memory for %u files", w->nr_files);
		return -ENOMEM;
	}
	for (unsigned i = 0; i < w->nr_files; i++) {
		uint64_t region = job->files[i].io_size;
		uint64_t nb = region >= min_all ? (region - min_all) / w->gran + 1 : 0;

		total_region += region;
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
	if (w->random && w->dist != DIST_RANDOM) {
		/* one distribution over the blocks of the largest file */
		uint64_t nb = 0;

		for (unsigned i = 0; i < w->nr_files; i++)
			if (w->wf[i].nblocks > nb)
				nb = w->wf[i].nblocks;
		rand_dist_init(&w->dist_state, w->dist, o->dist_param, nb ? nb : 1);
	}
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

static int gen_seq(struct workload *w, unsigned fi, int d, struct io_u *u)
{
	struct job_file *jf = &w->job->files[fi];
	uint64_t region = jf->io_size, pos = jf->next_off[d];
	uint32_t len;

	if (pos >= region)
		return GEN_END;
	if (pos && w->hole) {
		/* compared, not added: a large skip must not wrap around */
		if (w->hole >= region - pos)
			pos = 0;
		else
			pos += w->hole;
	}
	len = choose_len(w, d, region - pos);
	if (!len)
		return GEN_END;
	u->offset = jf->io_start + pos;
	u->buflen = len;
	jf->next_off[d] = pos + len;
	return GEN_OK;
}

static int gen_rand(struct workload *w, unsigned fi, int d, struct io_u *u)
{
	struct job_file *jf = &w->job->files[fi];
	struct wl_file *f = &w->wf[fi];
	uint64_t b, off, region = jf->io_size;
	uint32_t len = 0;

	if (!f->nblocks || (w->use_map && map_full(f)))
		return GEN_END;
	for (int tries = 0; tries < 8; tries++) {
		if (w->dist != DIST_RANDOM) {
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
		len = choose_len(w, d, region - off);
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
	u->offset = jf->io_start + off;
	u->buflen = len;
	jf->next_off[d] = off + len;
	return GEN_OK;
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
		if (gen_one(w, fi, d, u) == GEN_OK)
			break;
		if (w->time_based || w->wrap) {
			file_reset(w, fi);
			if (gen_one(w, fi, d, u) == GEN_OK)
				break;
			return 1; /* the region cannot hold a single block */
		}
		w->wf[fi].done = true;
		if (--w->files_left == 0)
			return 1;
	}
	if (w->trimwrite) {
		w->tw_pending = true;
		w->tw_off = u->offset;
		w->tw_len = u->buflen;
		w->tw_file = fi;
	}
out:
	w->ios_left -= w->ios_limited;
	w->cur_file = fi;
	u->ddir = d;
	u->file = &w->job->files[fi];
	if (w->count_mask & (1u << d))
		w->loop_bytes += u->buflen;
	return 0;
}

bool workload_next_loop(struct workload *w)
{
	if (!w->loops_left)
		return false;
	w->loops_left--;
	workload_restart(w);
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
