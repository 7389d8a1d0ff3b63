/* zonemode=zbd: emulated zones (see zbd.h for the rules). */
#include "zbd.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "job.h"
#include "options_int.h"

struct zbd_zone {
	uint64_t start, wp, cap;  /* cap: bytes writable from start */
	bool open, reset;         /* reset: zone_reset_frequency picked it */
	unsigned *opener;         /* the opening job's nr_open */
};

struct zbd_dev {
	pthread_mutex_t lock;
	dev_t dev;
	ino_t ino;
	uint64_t zone_size, zone_cap;
	unsigned nr_zones;
	struct zbd_zone *z;       /* nr_zones + 1: the last one's start ends the table */
	unsigned max_open, nr_open;
	unsigned *open;           /* open zones, in the order they opened */
	uint64_t written;         /* bytes below the wps (fio's wp_sectors_with_data) */
	unsigned inflight;        /* writes fitted, not done, all jobs */
	uint32_t write_cnt;       /* writes left before the next frequency reset */
	struct zbd_dev *next;
};

struct zbd_set {
	pthread_mutex_t lock;
	struct zbd_dev *devs;
};

struct zbd_set *zbd_set_new(void)
{
	struct zbd_set *s = calloc(1, sizeof(*s));

	if (s)
		pthread_mutex_init(&s->lock, NULL);
	return s;
}

void zbd_set_reset(struct zbd_set *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->lock);
	while (s->devs) {
		struct zbd_dev *d = s->devs;

		s->devs = d->next;
		pthread_mutex_destroy(&d->lock);
		free(d->z);
		free(d->open);
		free(d);
	}
	pthread_mutex_unlock(&s->lock);
}

void zbd_set_free(struct zbd_set *s)
{
	if (!s)
		return;
	zbd_set_reset(s);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

/* "host-managed" / "host-aware" for a zoned block device, "" when not
 * zoned (or the kernel does not say). */
static void zoned_model(dev_t rdev, char *buf, size_t len)
{
	char path[96];
	ssize_t n;
	int fd;

	buf[0] = '\0';
	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/queue/zoned", major(rdev), minor(rdev));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		/* a partition: its disk's queue */
		snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/../queue/zoned", major(rdev),
			 minor(rdev));
		fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	if (fd < 0)
		return;
	n = read(fd, buf, len - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	if (!strcmp(buf, "none"))
		buf[0] = '\0';
}

static int zoned_refusal(const char *path, const char *model, char *err, size_t errlen)
{
	return fail(err, errlen, "zonemode: zbd: %s is a %s zoned block device; iolab emulates "
			 "zones on regular files and non-zoned devices only and does not drive "
			 "real zones (BLKREPORTZONE/BLKRESETZONE); use fio for it", path, model);
}

const char *zbd_unused_option(const struct job_opts *o)
{
	if (o->zonemode != ZONEMODE_ZBD)
		return o->zone_capacity ? "zonecapacity" :
		       o->max_open_zones ? "max_open_zones" :
		       o->job_max_open_zones ? "job_max_open_zones" :
		       o->read_beyond_wp ? "read_beyond_wp" :
		       o->zone_reset_frequency > 0 ? "zone_reset_frequency" : NULL;
	return o->zone_range ? "zonerange" : NULL;
}

int zbd_opts_check(const struct job_opts *o, char *err, size_t errlen)
{
	/* zbd's knobs without zonemode=zbd, and zonerange with it, do
	 * nothing in fio, which takes them: the loader warns (zbd_unused_option) */
	if (o->zonemode != ZONEMODE_ZBD)
		return 0;
	if (!o->zone_size)
		return fail(err, errlen, "zonemode: zbd on a file or non-zoned device needs "
				 "zonesize (the emulated zones' size)");
	if (o->zone_size < 512)
		return fail(err, errlen, "zonesize: %llu bytes; zonemode=zbd needs at least 512",
			    (unsigned long long)o->zone_size);
	if (o->zone_capacity > o->zone_size)
		return fail(err, errlen, "zonecapacity: %llu is larger than zonesize %llu",
			    (unsigned long long)o->zone_capacity, (unsigned long long)o->zone_size);
	if (o->zone_skip % o->zone_size)
		return fail(err, errlen, "zoneskip: %llu is not a multiple of zonesize %llu "
				 "(zonemode=zbd skips whole zones)", (unsigned long long)o->zone_skip,
			    (unsigned long long)o->zone_size);
	if (o->job_max_open_zones && !o->max_open_zones)
		return fail(err, errlen, "job_max_open_zones: needs max_open_zones (a limit for the "
				 "whole file), as fio's");
	if ((o->rw & RW_TRIM) && (o->rw & RW_WRITE))
		return fail(err, errlen, "rw: trimwrite with zonemode=zbd is not supported by iolab "
				 "(a trim there is a zone reset; use separate trim and write jobs)");
	if ((o->rw & RW_TRIM) && (o->bs_min[DDIR_TRIM] != o->bs_max[DDIR_TRIM] ||
				  o->nr_bssplit[DDIR_TRIM]))
		return fail(err, errlen, "bs: bsrange and bssplit are not allowed for trims with "
				 "zonemode=zbd (a trim resets one whole zone)");
	if ((o->rw & RW_TRIM) && (o->bs[DDIR_TRIM] ? o->bs[DDIR_TRIM] : 4096) != o->zone_size)
		return fail(err, errlen, "bs: the trim block size %u is not zonesize %llu (with "
				 "zonemode=zbd a trim resets one whole zone)",
			    o->bs[DDIR_TRIM] ? o->bs[DDIR_TRIM] : 4096,
			    (unsigned long long)o->zone_size);
	if (o->rw & RW_WRITE) {
		uint32_t big = o->bs[DDIR_WRITE] > o->bs_max[DDIR_WRITE] ? o->bs[DDIR_WRITE]
									   : o->bs_max[DDIR_WRITE];

		for (unsigned i = 0; i < o->nr_bssplit[DDIR_WRITE] && i < BSSPLIT_MAX; i++)
			if (o->bssplit[DDIR_WRITE][i].bs > big)
				big = o->bssplit[DDIR_WRITE][i].bs;
		if (big > o->zone_size)
			return fail(err, errlen, "bs: a %u-byte write is larger than zonesize %llu "
					 "(zonemode=zbd writes inside one zone)", big,
				    (unsigned long long)o->zone_size);
	}
	if ((o->rw & RW_WRITE) && o->verify != VERIFY_NONE) {
		for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
			uint32_t bs = o->bs[d] ? o->bs[d] : 4096;

			if (o->zone_size % bs)
				return fail(err, errlen, "bs: %u is not a divisor of zonesize %llu "
						 "(zonemode=zbd with verify)", bs,
					    (unsigned long long)o->zone_size);
		}
	}
	if (o->filename && o->filename[0]) {
		char *names[64];
		int n = job_split_names(o->filename, names, 64);
		int ret = 0;

		for (int i = 0; i < n; i++) {
			struct stat st;
			char model[32];

			if (!ret && !stat(names[i], &st) && S_ISBLK(st.st_mode)) {
				zoned_model(st.st_rdev, model, sizeof(model));
				if (model[0])
					ret = zoned_refusal(names[i], model, err, errlen);
			}
			free(names[i]);
		}
		if (ret)
			return ret;
	}
	return 0;
}

void zbd_job_init(struct zbd_job *j, const struct job_opts *o,
		  const uint32_t min_bs[DDIR_RWDIR_CNT])
{
	memset(j, 0, sizeof(*j));
	for (int d = 0; d < DDIR_RWDIR_CNT; d++)
		j->min_bs[d] = min_bs[d] ? min_bs[d] : 512;
	j->job_max_open = o->job_max_open_zones;
	j->random = o->rw & RW_RAND;
	j->mixed = (o->rw & RW_READ) && (o->rw & RW_WRITE);
	j->verify = o->verify != VERIFY_NONE;
	j->read_beyond_wp = o->read_beyond_wp;
	j->zrt = o->zone_reset_threshold;
	j->zrf = o->zone_reset_frequency;
}

static unsigned zone_of(const struct zbd_dev *d, uint64_t off)
{
	uint64_t i = off / d->zone_size;

	return i < d->nr_zones ? (unsigned)i : d->nr_zones;
}

static inline uint64_t cap_end(const struct zbd_zone *z)
{
	return z->start + z->cap;
}

static inline bool zone_full(const struct zbd_zone *z, uint64_t need)
{
	return z->wp + need > cap_end(z);
}

static struct zbd_dev *dev_new(const struct job_opts *o, dev_t dev, ino_t ino, uint64_t size)
{
	struct zbd_dev *d = calloc(1, sizeof(*d));
	uint64_t nr = (size + o->zone_size - 1) / o->zone_size;

	if (!d || nr > UINT_MAX - 1)
		goto err;
	d->z = calloc(nr + 1, sizeof(*d->z));
	d->open = calloc(ZBD_MAX_OPEN_ZONES, sizeof(*d->open));
	if (!d->z || !d->open)
		goto err;
	pthread_mutex_init(&d->lock, NULL);
	d->dev = dev;
	d->ino = ino;
	d->zone_size = o->zone_size;
	d->zone_cap = o->zone_capacity ? o->zone_capacity : o->zone_size;
	d->nr_zones = (unsigned)nr;
	d->max_open = o->max_open_zones;
	for (uint64_t i = 0; i <= nr; i++) {
		d->z[i].start = d->z[i].wp = i * o->zone_size;
		d->z[i].cap = d->zone_cap;
	}
	d->write_cnt = UINT32_MAX;
	return d;
err:
	if (d) {
		free(d->z);
		free(d->open);
	}
	free(d);
	return NULL;
}

int zbd_attach(struct zbd_set *s, struct zbd_file *zf, const struct job_opts *o,
	       const char *path, dev_t dev, ino_t ino, bool blockdev, uint64_t real_size,
	       uint64_t *off, uint64_t *len, char *note, size_t notelen, char *err,
	       size_t errlen)
{
	struct zbd_dev *d;
	uint64_t zs = o->zone_size, b, e;

	note[0] = '\0';
	memset(zf, 0, sizeof(*zf));
	if (blockdev) {
		char model[32];

		zoned_model(dev, model, sizeof(model));
		if (model[0]) {
			zoned_refusal(path, model, err, errlen);
			return -EINVAL;
		}
	}
	if (real_size < zs) {
		snprintf(err, errlen, "zonemode: zbd: %s holds %llu bytes, less than zonesize %llu "
			 "(grow size= or shrink zonesize=)", path, (unsigned long long)real_size,
			 (unsigned long long)zs);
		return -EINVAL;
	}
	pthread_mutex_lock(&s->lock);
	for (d = s->devs; d; d = d->next)
		if (d->dev == dev && d->ino == ino)
			break;
	if (!d) {
		d = dev_new(o, dev, ino, real_size);
		if (!d) {
			pthread_mutex_unlock(&s->lock);
			snprintf(err, errlen, "zonemode: zbd: out of memory for the zones of %s", path);
			return -ENOMEM;
		}
		d->next = s->devs;
		s->devs = d;
	}
	pthread_mutex_unlock(&s->lock);
	if (d->zone_size != zs) {
		snprintf(err, errlen, "zonesize: %llu differs from the %llu another job uses on %s "
			 "(one zone size a file)", (unsigned long long)zs,
			 (unsigned long long)d->zone_size, path);
		return -EINVAL;
	}
	if (o->max_open_zones && d->max_open != o->max_open_zones) {
		snprintf(err, errlen, "max_open_zones: %u differs from the %u another job uses on %s "
			 "(one limit a file)", o->max_open_zones, d->max_open, path);
		return -EINVAL;
	}
	zf->dev = d;
	/* fio's zbd_zone_align_file_sizes: a job that writes works on whole
	 * zones (the offset up to a zone start, the end down to one) */
	b = *off;
	e = *off + *len;
	zf->given_size = *len;
	if (b < real_size && *len && (o->rw & (RW_WRITE | RW_TRIM))) {
		uint64_t nb = b % zs ? (b / zs + 1) * zs : b;
		uint64_t ne = e / zs * zs;

		if (nb >= e || ne <= nb) {
			snprintf(err, errlen, "zonemode: zbd: the region [%llu, %llu) of %s holds no "
				 "whole zone of %llu bytes (io_size must be at least one zone)",
				 (unsigned long long)b, (unsigned long long)e, path,
				 (unsigned long long)zs);
			return -EINVAL;
		}
		if (nb != b || ne != e)
			snprintf(note, notelen, "zonemode=zbd: %s: region [%llu, %llu) fitted to whole "
				 "zones: [%llu, %llu)", path, (unsigned long long)b,
				 (unsigned long long)e, (unsigned long long)nb, (unsigned long long)ne);
		b = nb;
		e = ne;
	}
	if (e > (uint64_t)d->nr_zones * d->zone_size) {
		snprintf(err, errlen, "zonemode: zbd: the region of %s ends at %llu, past the %u zones "
			 "another job set up when the file was smaller (give the jobs one size)",
			 path, (unsigned long long)e, d->nr_zones);
		return -EINVAL;
	}
	*off = zf->off = b;
	*len = zf->size = e - b;
	zf->min_zone = zone_of(d, b);
	zf->max_zone = zone_of(d, e);
	if (zf->max_zone <= zf->min_zone) /* a read inside one zone */
		zf->max_zone = zf->min_zone + 1 <= d->nr_zones ? zf->min_zone + 1 : d->nr_zones;
	return 0;
}

/* Reset zone @z (wp back to its start). Lock held. */
static void zone_reset(struct zbd_job *j, struct zbd_dev *d, struct zbd_zone *z)
{
	if (z->wp == z->start)
		return;
	d->written -= z->wp - z->start;
	z->wp = z->start;
	j->resets++;
}

/* Lock held. */
static void zone_close(struct zbd_dev *d, struct zbd_zone *z)
{
	unsigned idx = (unsigned)(z - d->z), k;

	if (!z->open)
		return;
	for (k = 0; k < d->nr_open && d->open[k] != idx; k++)
		;
	if (k < d->nr_open) {
		memmove(d->open + k, d->open + k + 1, (d->nr_open - k - 1) * sizeof(*d->open));
		d->nr_open--;
	}
	if (z->opener && *z->opener)
		(*z->opener)--;
	z->opener = NULL;
	z->open = false;
}

/* fio's zbd_open_zone: true when @z may take a write now. Lock held. */
static bool zone_open(struct zbd_job *j, struct zbd_dev *d, struct zbd_zone *z)
{
	if (j->verify && zone_full(z, j->min_bs[DDIR_WRITE]))
		return false;
	if (!d->max_open)
		return true;
	if (z->open)
		return z->wp < cap_end(z);
	if (j->job_max_open && j->nr_open >= j->job_max_open)
		return false;
	if (d->nr_open >= d->max_open)
		return false;
	d->open[d->nr_open++] = (unsigned)(z - d->z);
	j->nr_open++;
	z->opener = &j->nr_open;
	z->open = true;
	return true;
}

/* fio's io_u_quiesce: complete the job's own I/O in flight, the table
 * unlocked meanwhile. Lock held on entry and return. */
static void quiesce(struct zbd_job *j, struct zbd_dev *d)
{
	if (!j->drain)
		return;
	pthread_mutex_unlock(&d->lock);
	j->drain(j->drain_arg);
	pthread_mutex_lock(&d->lock);
}

/* Which open slot a drawn offset picks: its place in the region. */
static unsigned pick_open(const struct zbd_file *zf, uint64_t off)
{
	return (unsigned)((off - zf->off) * zf->dev->nr_open / zf->size);
}

/* fio's zbd_convert_to_open_zone: a zone that may take the write drawn at
 * @off, or NULL. Lock held. */
static struct zbd_zone *to_open_zone(struct zbd_job *j, struct zbd_file *zf, uint64_t off)
{
	struct zbd_dev *d = zf->dev;
	uint64_t min_bs = j->min_bs[DDIR_WRITE];
	unsigned idx;
	struct zbd_zone *z;

	if (d->max_open || j->job_max_open)
		idx = d->nr_open ? d->open[pick_open(zf, off) % d->nr_open] : zf->min_zone;
	else
		idx = zone_of(d, off);
	if (idx < zf->min_zone)
		idx = zf->min_zone;
	else if (idx >= zf->max_zone)
		idx = zf->max_zone - 1;
	z = &d->z[idx];
	if (d->max_open || j->job_max_open) {
		if (!d->nr_open)
			goto open_other;
		/* the first open zone of this region from the picked slot */
		unsigned k0 = pick_open(zf, off) % d->nr_open, k;

		for (k = 0; k < d->nr_open; k++) {
			unsigned c = d->open[(k0 + k) % d->nr_open];

			if (c >= zf->min_zone && c < zf->max_zone)
				break;
		}
		if (k == d->nr_open)
			return NULL;
		idx = d->open[(k0 + k) % d->nr_open];
		z = &d->z[idx];
	}
	if (z->wp + min_bs <= cap_end(z))
		return z;
open_other:
	/* every slot taken: this job's writes in flight may close zones */
	if (j->inflight && (d->nr_open >= zf->max_zone - zf->min_zone ||
			    (d->max_open && d->nr_open >= d->max_open) ||
			    (j->job_max_open && j->nr_open >= j->job_max_open)))
		quiesce(j, d);
	/* the next zones that can be opened, wrapping in the region */
	for (uint64_t i = zf->size / d->zone_size; i > 0; i--) {
		if (++idx >= zf->max_zone)
			idx = zf->min_zone;
		z = &d->z[idx];
		if (z->open)
			continue;
		if (zone_open(j, d, z))
			return z;
	}
	/* an open zone of the region with room */
	for (unsigned k = 0; k < d->nr_open; k++) {
		unsigned c = d->open[k];

		if (c < zf->min_zone || c >= zf->max_zone)
			continue;
		if (d->z[c].wp + min_bs <= cap_end(&d->z[c]))
			return &d->z[c];
	}
	return NULL;
}

/* fio's zbd_find_zone: the next zone (either side when random) with
 * @need bytes written, or NULL. Lock held. */
static struct zbd_zone *find_written(struct zbd_job *j, struct zbd_file *zf, unsigned from,
				     uint64_t need)
{
	struct zbd_dev *d = zf->dev;
	long lo = (long)zf->min_zone, hi = (long)zf->max_zone;

	for (long z1 = (long)from + 1, z2 = (long)from - 1; z1 < hi || z2 >= lo; z1++, z2--) {
		if (z1 < hi) {
			if (d->z[z1].start + need <= d->z[z1].wp)
				return &d->z[z1];
		} else if (!j->random) {
			break;
		}
		if (j->random && z2 >= lo && d->z[z2].start + need <= d->z[z2].wp)
			return &d->z[z2];
	}
	return NULL;
}

static int adjust_read(struct zbd_job *j, struct zbd_file *zf, uint64_t *off, uint32_t *len)
{
	struct zbd_dev *d = zf->dev;
	uint64_t min_bs = j->min_bs[DDIR_READ], range, nl;
	unsigned orig = zone_of(d, *off);
	struct zbd_zone *z = &d->z[orig < zf->max_zone ? orig : zf->max_zone - 1];
	uint64_t orig_start = z->start;

	range = z->wp - z->start;
	if (range < min_bs || (!j->random && *off + min_bs > z->wp)) {
		z = find_written(j, zf, (unsigned)(z - d->z), min_bs);
		if (!z)
			return 1;
		range = z->wp - z->start;
		if (!j->random)
			*off = z->start;
	}
	if (range <= *len)
		*off = z->start;
	else if (j->random)
		*off = z->start + ((*off - orig_start) % (range - *len)) / min_bs * min_bs;
	nl = z->wp > *off ? z->wp - *off : 0;
	if (nl > *len)
		nl = *len;
	nl = nl / min_bs * min_bs;
	if (!nl)
		return 1;
	*len = (uint32_t)nl;
	return 0;
}

static int adjust_write(struct zbd_job *j, struct zbd_file *zf, uint64_t *off, uint32_t *len,
			char *err, size_t errlen)
{
	struct zbd_dev *d = zf->dev;
	uint64_t min_bs = j->min_bs[DDIR_WRITE], nl;
	unsigned idx = zone_of(d, *off);
	struct zbd_zone *z;

	if (*len > d->zone_size) {
		snprintf(err, errlen, "zonemode: zbd: a %u-byte write is larger than zonesize %llu "
			 "(lower bs or raise zonesize)", *len, (unsigned long long)d->zone_size);
		return -EINVAL;
	}
	if (idx < zf->min_zone || idx >= zf->max_zone)
		idx = idx < zf->min_zone ? zf->min_zone : zf->max_zone - 1;
	z = &d->z[idx];
	if (!zone_open(j, d, z)) {
		bool retry = true;

		while (!(z = to_open_zone(j, zf, *off))) {
			bool others = d->inflight > zf->inflight;

			if (!others && !j->inflight && !retry)
				return 1;
			retry = others || j->inflight;
			if (j->inflight) {
				quiesce(j, d);
			} else if (others) {
				pthread_mutex_unlock(&d->lock);
				if (j->stop && __atomic_load_n(j->stop, __ATOMIC_RELAXED)) {
					pthread_mutex_lock(&d->lock);
					return 1;
				}
				usleep(50);
				pthread_mutex_lock(&d->lock);
			}
		}
	}
	if (j->zrf > 0 && d->written >= (uint64_t)((double)zf->size * j->zrt)) {
		if (d->write_cnt)
			d->write_cnt--;
		if (!d->write_cnt) {
			d->write_cnt = j->zrf >= 1 ? 1 : (uint32_t)(1.0 / j->zrf);
			z->reset = true;
		}
	}
	if (z->reset || zone_full(z, min_bs)) {
		z->reset = false;
		if (j->inflight)
			quiesce(j, d);
		zone_reset(j, d, z);
		if (z->cap < min_bs) {
			snprintf(err, errlen, "zonemode: zbd: zonecapacity %llu is less than the "
				 "smallest write (%llu bytes)", (unsigned long long)z->cap,
				 (unsigned long long)min_bs);
			return -EINVAL;
		}
	}
	*off = z->wp;
	nl = cap_end(z) - *off;
	if (nl > *len)
		nl = *len;
	nl = nl / min_bs * min_bs;
	if (!nl) {
		snprintf(err, errlen, "zonemode: zbd: %llu bytes left in the zone at %llu, less than "
			 "the smallest write (%llu bytes)", (unsigned long long)(cap_end(z) - *off),
			 (unsigned long long)z->start, (unsigned long long)min_bs);
		return -EIO;
	}
	*len = (uint32_t)nl;
	z->wp += nl;
	d->written += nl;
	d->inflight++;
	zf->inflight++;
	j->inflight++;
	return 0;
}

int zbd_adjust(struct zbd_job *j, struct zbd_file *zf, int *ddir, uint64_t *off,
	       uint32_t *len, char *err, size_t errlen)
{
	struct zbd_dev *d = zf->dev;
	int ret = 0;

	if (!d || *ddir >= DDIR_RWDIR_CNT)
		return 0;
	pthread_mutex_lock(&d->lock);
	/* fio's zbd_adjust_ddir: a mix writes first while nothing is written */
	if (*ddir == DDIR_READ && j->mixed && !d->written && !j->read_beyond_wp)
		*ddir = DDIR_WRITE;
	if (*ddir == DDIR_READ) {
		if (!j->read_beyond_wp)
			ret = adjust_read(j, zf, off, len);
	} else if (*ddir == DDIR_WRITE) {
		ret = adjust_write(j, zf, off, len, err, errlen);
	} else if (*ddir == DDIR_TRIM && j->random) {
		/* fio: a random trim of an empty zone goes to the nearest one
		 * holding data */
		unsigned idx = zone_of(d, *off);
		struct zbd_zone *z;

		if (idx >= zf->max_zone)
			idx = zf->max_zone - 1;
		if (d->z[idx].wp == d->z[idx].start) {
			z = find_written(j, zf, idx, 1);
			if (z)
				*off = z->start;
			else
				ret = 1;
		}
	}
	pthread_mutex_unlock(&d->lock);
	return ret;
}

uint64_t zbd_seq_skip(const struct zbd_file *zf, uint64_t pos)
{
	const struct zbd_dev *d = zf->dev;
	unsigned idx;

	if (!d || d->zone_cap >= d->zone_size)
		return pos;
	idx = zone_of(d, pos);
	if (idx < d->nr_zones && pos >= cap_end(&d->z[idx]))
		return d->z[idx + 1].start;
	return pos;
}

int zbd_trim(struct zbd_job *j, struct zbd_file *zf, uint64_t off)
{
	struct zbd_dev *d = zf->dev;
	unsigned idx;

	if (!d)
		return 0;
	idx = zone_of(d, off);
	if (idx >= d->nr_zones || off != d->z[idx].start)
		return EINVAL;
	pthread_mutex_lock(&d->lock);
	zone_close(d, &d->z[idx]);
	zone_reset(j, d, &d->z[idx]);
	pthread_mutex_unlock(&d->lock);
	return 0;
}

bool zbd_zone_done(const struct zbd_file *zf, uint64_t pos, bool to_wp)
{
	struct zbd_dev *d = zf->dev;
	unsigned idx;
	bool done;

	if (!d)
		return false;
	idx = zone_of(d, pos);
	if (idx >= d->nr_zones)
		return true;
	pthread_mutex_lock(&d->lock);
	done = pos >= d->z[idx + 1].start || (to_wp && pos >= d->z[idx].wp);
	pthread_mutex_unlock(&d->lock);
	return done;
}

void zbd_write_done(struct zbd_job *j, struct zbd_file *zf, uint64_t off, uint32_t len)
{
	struct zbd_dev *d = zf->dev;
	unsigned idx;

	if (!d)
		return;
	idx = zone_of(d, off);
	pthread_mutex_lock(&d->lock);
	if (zf->inflight) {
		zf->inflight--;
		j->inflight--;
		d->inflight--;
	}
	if (idx < d->nr_zones && off + len >= cap_end(&d->z[idx]))
		zone_close(d, &d->z[idx]);
	pthread_mutex_unlock(&d->lock);
}

void zbd_job_end(struct zbd_job *j, struct zbd_file *zf)
{
	struct zbd_dev *d = zf->dev;

	if (!d || !zf->inflight)
		return;
	pthread_mutex_lock(&d->lock);
	d->inflight -= zf->inflight < d->inflight ? zf->inflight : d->inflight;
	j->inflight -= zf->inflight < j->inflight ? zf->inflight : j->inflight;
	zf->inflight = 0;
	pthread_mutex_unlock(&d->lock);
}

void zbd_loop_start(struct zbd_job *j, struct zbd_file *zf)
{
	struct zbd_dev *d = zf->dev;

	if (!d)
		return;
	pthread_mutex_lock(&d->lock);
	if (j->verify)
		for (unsigned i = zf->min_zone; i < zf->max_zone; i++) {
			zone_close(d, &d->z[i]);
			zone_reset(j, d, &d->z[i]);
		}
	d->write_cnt = j->zrf > 0 ? (j->zrf >= 1 ? 1 : (uint32_t)(1.0 / j->zrf)) : UINT32_MAX;
	pthread_mutex_unlock(&d->lock);
}

uint64_t zbd_zone_wp(const struct zbd_file *zf, unsigned i)
{
	return zf->dev && i < zf->dev->nr_zones ? zf->dev->z[i].wp : 0;
}

bool zbd_zone_open(const struct zbd_file *zf, unsigned i)
{
	return zf->dev && i < zf->dev->nr_zones && zf->dev->z[i].open;
}

unsigned zbd_open_count(const struct zbd_file *zf)
{
	return zf->dev ? zf->dev->nr_open : 0;
}

unsigned zbd_nr_zones(const struct zbd_file *zf)
{
	return zf->dev ? zf->dev->nr_zones : 0;
}
