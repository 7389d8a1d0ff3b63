/* Block device statistics; see diskstats.h. */
#include "diskstats.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "../lib/clock.h"

#define PROC_DISKSTATS "/proc/diskstats"

static void set_none(char *name, size_t len, unsigned *maj, unsigned *min)
{
	if (name && len)
		snprintf(name, len, "none");
	if (maj)
		*maj = 0;
	if (min)
		*min = 0;
}

/* Reads a small sysfs/proc file into @buf (NUL-terminated, trailing newline
 * dropped). Returns 0 or -errno. */
static int read_small(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	close(fd);
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return 0;
}

/* For a filesystem without a block device number of its own (btrfs and
 * other anonymous-device mounts), the block device its mount came from:
 * /proc/self/mountinfo maps "0:N" to a source like /dev/sdb1. Returns 0 with
 * @out set, or -ENODEV. */
static int mount_source_dev(dev_t anon, dev_t *out)
{
	char line[4096], want[32];
	FILE *f = fopen("/proc/self/mountinfo", "re");
	int ret = -ENODEV;

	if (!f)
		return -ENODEV;
	snprintf(want, sizeof(want), "%u:%u", major(anon), minor(anon));
	while (fgets(line, sizeof(line), f)) {
		char id[32], *sep, src[PATH_MAX];
		struct stat st;

		/* "36 35 0:45 / /mnt rw shared:1 - btrfs /dev/sdb1 rw" */
		if (sscanf(line, "%*s %*s %31s", id) != 1 || strcmp(id, want))
			continue;
		sep = strstr(line, " - ");
		if (!sep || sscanf(sep + 3, "%*s %4095s", src) != 1)
			break;
		if (!strncmp(src, "/dev/", 5) && stat(src, &st) == 0 && S_ISBLK(st.st_mode)) {
			*out = st.st_rdev;
			ret = 0;
		}
		break;
	}
	fclose(f);
	return ret;
}

int diskstats_find(const char *path, char *name, size_t len, unsigned *maj, unsigned *min)
{
	char buf[PATH_MAX], sys[64], real[PATH_MAX], attr[PATH_MAX + 32], val[64];
	struct stat st;
	dev_t dev;
	char *slash, *base;
	unsigned ma, mi;

	set_none(name, len, maj, min);
	if (!path || !*path)
		return -EINVAL;
	if (strlen(path) >= sizeof(buf))
		return -ENAMETOOLONG;
	strcpy(buf, path);
	/* not laid out yet: the directory it will be created in */
	while (stat(buf, &st) < 0) {
		if ((errno != ENOENT && errno != ENOTDIR) || !strcmp(buf, ".") || !strcmp(buf, "/"))
			return -errno;
		slash = strrchr(buf, '/');
		if (!slash) {
			strcpy(buf, ".");
		} else if (slash == buf) {
			buf[1] = '\0';
		} else {
			*slash = '\0';
		}
	}
	if (S_ISBLK(st.st_mode))
		dev = st.st_rdev;
	else if (S_ISCHR(st.st_mode))
		return -ENODEV;
	else
		dev = st.st_dev;
	if (major(dev) == 0 && mount_source_dev(dev, &dev) < 0)
		return -ENODEV;

	snprintf(sys, sizeof(sys), "/sys/dev/block/%u:%u", major(dev), minor(dev));
	if (!realpath(sys, real))
		return -ENODEV;
	ma = major(dev);
	mi = minor(dev);
	/* a partition: its disk is the parent directory */
	snprintf(attr, sizeof(attr), "%s/partition", real);
	if (access(attr, F_OK) == 0) {
		slash = strrchr(real, '/');
		if (!slash || slash == real)
			return -ENODEV;
		*slash = '\0';
		snprintf(attr, sizeof(attr), "%s/dev", real);
		if (read_small(attr, val, sizeof(val)) < 0 || sscanf(val, "%u:%u", &ma, &mi) != 2)
			return -ENODEV;
	}
	base = strrchr(real, '/');
	base = base ? base + 1 : real;
	if (name && len)
		snprintf(name, len, "%s", base);
	if (maj)
		*maj = ma;
	if (min)
		*min = mi;
	return 0;
}

/* ---- parsing ------------------------------------------------------------ */

static const char *skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* Next unsigned number; returns false at end of line or on junk. */
static bool next_u64(const char **pp, uint64_t *out)
{
	const char *p = skip_ws(*pp);
	uint64_t v = 0;

	if (*p < '0' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9')
		v = v * 10 + (uint64_t)(*p++ - '0');
	if (*p && *p != ' ' && *p != '\t' && *p != '\n')
		return false;
	*pp = p;
	*out = v;
	return true;
}

int diskstats_parse_line(const char *line, struct diskstats *out)
{
	uint64_t *fields[] = {
		&out->rd_ios, &out->rd_merges, &out->rd_sectors, &out->rd_ticks,
		&out->wr_ios, &out->wr_merges, &out->wr_sectors, &out->wr_ticks,
		&out->in_flight, &out->io_ticks, &out->time_in_queue,
		&out->dc_ios, &out->dc_merges, &out->dc_sectors, &out->dc_ticks,
		&out->fl_ios, &out->fl_ticks,
	};
	const char *p = line, *name;
	uint64_t ma, mi;
	size_t nlen, i;

	memset(out, 0, sizeof(*out));
	if (!next_u64(&p, &ma) || !next_u64(&p, &mi) || ma > UINT_MAX || mi > UINT_MAX)
		return -EINVAL;
	name = skip_ws(p);
	for (p = name; *p && *p != ' ' && *p != '\t' && *p != '\n'; p++)
		;
	nlen = (size_t)(p - name);
	if (!nlen || nlen >= sizeof(out->name))
		return -EINVAL;
	memcpy(out->name, name, nlen);
	out->major = (unsigned)ma;
	out->minor = (unsigned)mi;
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (!next_u64(&p, fields[i]))
			break;
	if (i < 11)
		return -EINVAL;
	out->nfields = (unsigned)i;
	return 0;
}

/* Fills each entry of @v (not yet filled) whose numbers match @line.
 * Returns 1 if any matched, else 0. */
static int match_line(const char *line, struct diskstats *v, size_t n)
{
	struct diskstats d;
	int found = 0;
	const char *p = line;
	uint64_t ma, mi;

	/* cheap pre-check on the numbers before the full parse */
	if (!next_u64(&p, &ma) || !next_u64(&p, &mi))
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (v[i].major != ma || v[i].minor != mi || v[i].nfields)
			continue;
		if (!found) {
			if (diskstats_parse_line(line, &d) < 0)
				return 0;
			found = 1;
		}
		d.t_ns = v[i].t_ns;
		v[i] = d;
	}
	return found;
}

int diskstats_parse(const char *text, unsigned maj, unsigned min, struct diskstats *out)
{
	const char *p = text;

	while (p && *p) {
		const char *nl = strchr(p, '\n');
		char line[512];
		size_t l = nl ? (size_t)(nl - p) : strlen(p);

		if (l < sizeof(line)) {
			struct diskstats want = { .major = maj, .minor = min };

			memcpy(line, p, l);
			line[l] = '\0';
			if (match_line(line, &want, 1)) {
				*out = want;
				return 0;
			}
		}
		p = nl ? nl + 1 : NULL;
	}
	return -ENOENT;
}

int diskstats_read_many(struct diskstats *v, size_t n)
{
	char buf[8192];
	size_t have = 0;
	int fd, found = 0;
	uint64_t now = clock_now_ns();

	for (size_t i = 0; i < n; i++) {
		unsigned ma = v[i].major, mi = v[i].minor;

		memset(&v[i], 0, sizeof(v[i]));
		v[i].major = ma;
		v[i].minor = mi;
		v[i].t_ns = now;
	}
	fd = open(PROC_DISKSTATS, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t r = read(fd, buf + have, sizeof(buf) - 1 - have);
		char *p, *nl;

		if (r < 0) {
			if (errno == EINTR)
				continue;
			r = -errno;
			close(fd);
			return (int)r;
		}
		have += (size_t)r;
		buf[have] = '\0';
		p = buf;
		while ((nl = strchr(p, '\n'))) {
			*nl = '\0';
			found += match_line(p, v, n);
			p = nl + 1;
		}
		if (r == 0) {
			if (*p)
				found += match_line(p, v, n);
			break;
		}
		have = (size_t)(buf + have - p);
		memmove(buf, p, have);
		if (have == sizeof(buf) - 1)
			have = 0; /* a line longer than the buffer: skip it */
	}
	close(fd);
	return found;
}

int diskstats_read(unsigned maj, unsigned min, struct diskstats *out)
{
	int ret;

	out->major = maj;
	out->minor = min;
	ret = diskstats_read_many(out, 1);
	if (ret < 0)
		return ret;
	return ret ? 0 : -ENOENT;
}

/* ---- figures ------------------------------------------------------------ */

static uint64_t delta(uint64_t a, uint64_t b)
{
	if (b >= a)
		return b - a;
	if (a <= UINT32_MAX)
		return b + (1ULL << 32) - a; /* 32-bit counter wrapped */
	return 0;
}

static uint64_t span_ns(const struct diskstats *a, const struct diskstats *b, uint64_t ns)
{
	if (ns)
		return ns;
	return b->t_ns > a->t_ns ? b->t_ns - a->t_ns : 0;
}

void diskstats_compute(const struct diskstats *a, const struct diskstats *b, uint64_t ns,
		       struct iostat *out)
{
	double s, ms, rios, wios;

	memset(out, 0, sizeof(*out));
	ns = span_ns(a, b, ns);
	if (!ns)
		return;
	s = (double)ns / 1e9;
	ms = (double)ns / 1e6;
	rios = (double)delta(a->rd_ios, b->rd_ios);
	wios = (double)delta(a->wr_ios, b->wr_ios);
	out->r_s = rios / s;
	out->w_s = wios / s;
	out->rkb_s = (double)delta(a->rd_sectors, b->rd_sectors) / 2.0 / s;
	out->wkb_s = (double)delta(a->wr_sectors, b->wr_sectors) / 2.0 / s;
	out->rrqm_s = (double)delta(a->rd_merges, b->rd_merges) / s;
	out->wrqm_s = (double)delta(a->wr_merges, b->wr_merges) / s;
	if (rios > 0) {
		out->r_await = (double)delta(a->rd_ticks, b->rd_ticks) / rios;
		out->rareq_sz = (double)delta(a->rd_sectors, b->rd_sectors) / 2.0 / rios;
	}
	if (wios > 0) {
		out->w_await = (double)delta(a->wr_ticks, b->wr_ticks) / wios;
		out->wareq_sz = (double)delta(a->wr_sectors, b->wr_sectors) / 2.0 / wios;
	}
	out->aqu_sz = (double)delta(a->time_in_queue, b->time_in_queue) / ms;
	out->util = (double)delta(a->io_ticks, b->io_ticks) / ms * 100.0;
	if (out->util > 100.0)
		out->util = 100.0;
}

void diskstats_util(const struct diskstats *a, const struct diskstats *b, uint64_t ns,
		    struct disk_util *out)
{
	memset(out, 0, sizeof(*out));
	snprintf(out->name, sizeof(out->name), "%s", b->name[0] ? b->name : a->name);
	out->major = b->major;
	out->minor = b->minor;
	ns = span_ns(a, b, ns);
	out->read_ios = delta(a->rd_ios, b->rd_ios);
	out->write_ios = delta(a->wr_ios, b->wr_ios);
	out->read_merges = delta(a->rd_merges, b->rd_merges);
	out->write_merges = delta(a->wr_merges, b->wr_merges);
	out->read_ticks = delta(a->rd_ticks, b->rd_ticks);
	out->write_ticks = delta(a->wr_ticks, b->wr_ticks);
	out->in_queue = delta(a->time_in_queue, b->time_in_queue);
	out->read_sectors = delta(a->rd_sectors, b->rd_sectors);
	out->write_sectors = delta(a->wr_sectors, b->wr_sectors);
	out->io_ticks = delta(a->io_ticks, b->io_ticks);
	out->msec = ns / 1000000;
	if (out->msec) {
		out->util = 100.0 * (double)out->io_ticks / (double)out->msec;
		if (out->util > 100.0)
			out->util = 100.0;
	}
}
