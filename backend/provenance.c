/* Machine and storage facts for reports and recordings; see provenance.h. */
#include "provenance.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/utsname.h>
#include <unistd.h>

static void chomp(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
}

/* @src into @dst (@len bytes), cut to fit. */
static void copy(char *dst, size_t len, const char *src)
{
	size_t n = 0;

	while (n + 1 < len && src[n]) {
		dst[n] = src[n];
		n++;
	}
	dst[n] = '\0';
}

/* First line of /sys/block/@dev/@attr into @buf (trailing blanks cut);
 * "" when it cannot be read. */
static void sys_attr(char *buf, size_t len, const char *dev, const char *attr)
{
	char path[256];
	FILE *f;

	buf[0] = '\0';
	if (!dev[0] || strchr(dev, '/'))
		return;
	snprintf(path, sizeof(path), "/sys/block/%s/%s", dev, attr);
	f = fopen(path, "re");
	if (!f)
		return;
	if (!fgets(buf, (int)len, f))
		buf[0] = '\0';
	fclose(f);
	chomp(buf);
}

void prov_host_read(struct prov_host *h)
{
	struct utsname un;
	char line[512];
	FILE *f;

	memset(h, 0, sizeof(*h));
	h->cpus = -1;
	h->mem_bytes = -1;
	if (gethostname(h->host, sizeof(h->host)))
		h->host[0] = '\0';
	h->host[sizeof(h->host) - 1] = '\0';
	if (!uname(&un)) {
		copy(h->kernel, sizeof(h->kernel), un.release);
		copy(h->machine, sizeof(h->machine), un.machine);
	}
	h->cpus = sysconf(_SC_NPROCESSORS_ONLN);
	f = fopen("/proc/cpuinfo", "re");
	if (f) {
		while (fgets(line, sizeof(line), f)) {
			char *colon = strchr(line, ':');

			if (colon && !strncmp(line, "model name", 10)) {
				chomp(colon);
				copy(h->cpu_model, sizeof(h->cpu_model), colon + 1 + (colon[1] == ' '));
				break;
			}
		}
		fclose(f);
	}
	f = fopen("/proc/meminfo", "re");
	if (f) {
		long long kb;

		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "MemTotal: %lld kB", &kb) == 1) {
				h->mem_bytes = kb * 1024;
				break;
			}
		fclose(f);
	}
}

void prov_dev_read(const char *dev, struct prov_dev *d)
{
	char buf[256], *open_b, *close_b;

	memset(d, 0, sizeof(*d));
	d->nr_requests = -1;
	d->rotational = -1;
	if (!dev || !dev[0])
		return;
	sys_attr(buf, sizeof(buf), dev, "device/model");
	if (buf[0]) {
		char vendor[64];

		sys_attr(vendor, sizeof(vendor), dev, "device/vendor");
		snprintf(d->model, sizeof(d->model), "%.60s%s%.60s", vendor, vendor[0] ? " " : "",
			 buf);
	}
	sys_attr(d->firmware, sizeof(d->firmware), dev, "device/firmware_rev");
	if (!d->firmware[0])
		sys_attr(d->firmware, sizeof(d->firmware), dev, "device/rev");
	sys_attr(d->serial, sizeof(d->serial), dev, "device/serial");
	if (!d->serial[0])
		sys_attr(d->serial, sizeof(d->serial), dev, "device/wwid");
	/* "none [mq-deadline] kyber": the active one is bracketed */
	sys_attr(buf, sizeof(buf), dev, "queue/scheduler");
	open_b = strchr(buf, '[');
	close_b = open_b ? strchr(open_b, ']') : NULL;
	if (open_b && close_b) {
		*close_b = '\0';
		copy(d->scheduler, sizeof(d->scheduler), open_b + 1);
	} else {
		copy(d->scheduler, sizeof(d->scheduler), buf);
	}
	sys_attr(buf, sizeof(buf), dev, "queue/nr_requests");
	if (buf[0])
		d->nr_requests = atoi(buf);
	sys_attr(d->write_cache, sizeof(d->write_cache), dev, "queue/write_cache");
	sys_attr(buf, sizeof(buf), dev, "queue/rotational");
	if (buf[0])
		d->rotational = atoi(buf) ? 1 : 0;
}

/* mountinfo escapes blanks and backslashes as \ooo; undo it in place. */
static void unescape(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '7' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*o++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
}

/* Is mount point @mp a path prefix of @path (whole components)? */
static size_t mount_covers(const char *mp, const char *path)
{
	size_t n = strlen(mp);

	if (!strcmp(mp, "/"))
		return 1;
	if (strncmp(mp, path, n) || (path[n] != '/' && path[n] != '\0'))
		return 0;
	return n;
}

/* No mount entry covers the path when the mount holding it lies outside
 * the process's root (a chroot, some containers): mountinfo hides it. The
 * file system's type still comes from statfs(); the magic numbers are the
 * kernel's (linux/magic.h), the ones a target is likely to sit on. */
static int statfs_fallback(const char *real, struct prov_mount *m)
{
	static const struct {
		unsigned long magic;
		const char *name;
	} fs[] = {
		{ 0xEF53, "ext4" },	    { 0x58465342, "xfs" },    { 0x9123683E, "btrfs" },
		{ 0x01021994, "tmpfs" },    { 0x794C7630, "overlay" }, { 0x6969, "nfs" },
		{ 0x2FC12FC1, "zfs" },	    { 0xF2F52010, "f2fs" },    { 0x4D44, "vfat" },
		{ 0x65735546, "fuse" },	    { 0x01021997, "9p" },      { 0xFF534D42, "cifs" },
		{ 0xFE534D42, "smb2" },	    { 0x00C36400, "ceph" },    { 0x73717368, "squashfs" },
		{ 0x5346544E, "ntfs" },	    { 0x2011BAB0, "exfat" },   { 0x62656572, "sysfs" },
	};
	struct statfs sf;

	if (statfs(real, &sf) < 0)
		return -ENOENT;
	for (size_t i = 0; i < sizeof(fs) / sizeof(fs[0]); i++)
		if ((unsigned long)sf.f_type == fs[i].magic) {
			copy(m->fstype, sizeof(m->fstype), fs[i].name);
			break;
		}
	if (!m->fstype[0])
		snprintf(m->fstype, sizeof(m->fstype), "0x%lx", (unsigned long)sf.f_type);
	copy(m->mountpoint, sizeof(m->mountpoint), "?");
	copy(m->source, sizeof(m->source), "?");
	copy(m->options, sizeof(m->options), "? (outside this process's root)");
	return 0;
}

int prov_mount_read(const char *path, struct prov_mount *m)
{
	char real[PATH_MAX], probe[PATH_MAX], *line = NULL;
	size_t cap = 0, best = 0;
	FILE *f;

	memset(m, 0, sizeof(*m));
	/* the nearest existing ancestor: a job's file may not exist yet */
	copy(probe, sizeof(probe), path && *path ? path : ".");
	while (!realpath(probe, real)) {
		char *slash = strrchr(probe, '/');

		if (!strcmp(probe, ".") || !strcmp(probe, "/"))
			return -ENOENT;
		if (!slash)
			copy(probe, sizeof(probe), ".");
		else if (slash == probe)
			probe[1] = '\0';
		else
			*slash = '\0';
	}
	f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return -ENOENT;
	/* id parent maj:min root mountpoint options [tags...] - fstype source superopts */
	while (getline(&line, &cap, f) > 0) {
		char *fld[6], *sep, *save = NULL, *tail[3];
		int nf = 0, nt = 0;
		size_t cov;

		chomp(line);
		sep = strstr(line, " - ");
		if (!sep)
			continue;
		*sep = '\0';
		for (char *t = strtok_r(line, " ", &save); t && nf < 6; t = strtok_r(NULL, " ", &save))
			fld[nf++] = t;
		for (char *t = strtok_r(sep + 3, " ", &save); t && nt < 3;
		     t = strtok_r(NULL, " ", &save))
			tail[nt++] = t;
		if (nf < 6 || nt < 2)
			continue;
		unescape(fld[4]);
		cov = mount_covers(fld[4], real);
		/* the later of two mounts on one point is the one in use */
		if (cov && cov >= best) {
			best = cov;
			copy(m->mountpoint, sizeof(m->mountpoint), fld[4]);
			copy(m->fstype, sizeof(m->fstype), tail[0]);
			unescape(tail[1]);
			copy(m->source, sizeof(m->source), tail[1]);
			snprintf(m->options, sizeof(m->options), "%s%s%s", fld[5],
				 nt > 2 ? "," : "", nt > 2 ? tail[2] : "");
		}
	}
	free(line);
	fclose(f);
	if (!best)
		return statfs_fallback(real, m);
	return 0;
}
