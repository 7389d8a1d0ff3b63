/* The device guard: what iolab may open as a target, and whether it may
 * write a block device. See devguard.h. */
#include "devguard.h"

#include "../lib/errmsg.h"
#include "../lib/outfile.h"

#include <blkid/blkid.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define MAX_RELATED 64
#define NAME_LEN 64


/* ---- kinds of target ---- */

/* The memory devices of major 1 that are harmless to open, read and write. */
static bool harmless_chardev(dev_t rdev)
{
	if (major(rdev) != 1)
		return false;
	switch (minor(rdev)) {
	case 3: /* null */
	case 5: /* zero */
	case 7: /* full */
	case 8: /* random */
	case 9: /* urandom */
		return true;
	}
	return false;
}

int devguard_check_kind(const struct stat *st, char *why, size_t len)
{
	switch (st->st_mode & S_IFMT) {
	case S_IFREG:
	case S_IFBLK:
		return 0;
	case S_IFCHR:
		if (harmless_chardev(st->st_rdev))
			return 0;
		snprintf(why, len,
			 "is a character device (%u:%u); iolab opens only regular files, block "
			 "devices and /dev/null, /dev/zero, /dev/full, /dev/random, /dev/urandom",
			 major(st->st_rdev), minor(st->st_rdev));
		return -EPERM;
	case S_IFIFO:
		snprintf(why, len, "is a FIFO; iolab does not open it (open() would wait for a "
			 "peer and nothing is stored; name a regular file or a block device)");
		return -ENXIO;
	case S_IFSOCK:
		snprintf(why, len, "is a socket; iolab opens only regular files and block devices");
		return -ENXIO;
	case S_IFDIR:
		snprintf(why, len, "is a directory (name a file in it, or set directory= to it)");
		return -EISDIR;
	}
	snprintf(why, len, "is not a regular file or block device");
	return -ENODEV;
}

int devguard_check_shared(const struct stat *lst, char *why, size_t len)
{
	if (S_ISLNK(lst->st_mode)) {
		snprintf(why, len, "is a symbolic link in a world-writable directory, at a name "
			 "the job made up; iolab does not follow it (remove the link, or name the "
			 "file in filename=)");
		return -ELOOP;
	}
	if (!S_ISREG(lst->st_mode))
		return 0;
	if (lst->st_uid != geteuid()) {
		snprintf(why, len, "is owned by uid %u, in a world-writable directory, at a name "
			 "the job made up; iolab uses a file there only when it is its own (remove "
			 "it, or name it in filename=)", (unsigned)lst->st_uid);
		return -EPERM;
	}
	if (lst->st_nlink > 1) {
		snprintf(why, len, "has %lu hard links, in a world-writable directory, at a name "
			 "the job made up; iolab does not write through them (remove it, or name "
			 "it in filename=)", (unsigned long)lst->st_nlink);
		return -EPERM;
	}
	return 0;
}

static bool same_file(const struct stat *a, const struct stat *b)
{
	if ((a->st_mode & S_IFMT) != (b->st_mode & S_IFMT))
		return false;
	if (S_ISBLK(a->st_mode) || S_ISCHR(a->st_mode))
		return a->st_rdev == b->st_rdev;
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

int devguard_open(const char *path, int flags, mode_t mode, const struct stat *want,
		  struct stat *st, char *err, size_t errlen)
{
	bool nofollow = flags & O_NOFOLLOW;
	struct stat pre, post;
	char why[256];
	int fd, r, fl;

	/* a named link, but planted by another user in a sticky shared dir */
	if ((r = outfile_check_link_owner(path, !nofollow, path, err, errlen)))
		return r;
	/* before open(): a FIFO or a device with side effects is never opened */
	if (!(nofollow ? lstat(path, &pre) : stat(path, &pre))) {
		r = nofollow ? devguard_check_shared(&pre, why, sizeof(why)) : 0;
		if (!r)
			r = devguard_check_kind(&pre, why, sizeof(why));
		if (r) {
			snprintf(err, errlen, "%s: %s", path, why);
			return r;
		}
	} else if (errno == ENOENT && (flags & O_CREAT) && outfile_path_in_dev(path)) {
		/* /dev/sbd for /dev/sdb: a file in RAM, measured as a disk */
		snprintf(err, errlen, "%s: no such device; iolab creates no files under /dev "
			 "(a mistyped device name would be a file in RAM, not the disk)", path);
		return -ENODEV;
	}
	do
		fd = open(path, flags | O_CLOEXEC | O_NONBLOCK, mode);
	while (fd < 0 && errno == EINTR);
	if (fd < 0) {
		r = -errno;
		if (r == -ELOOP && nofollow && !lstat(path, &pre) &&
		    devguard_check_shared(&pre, why, sizeof(why)) == -ELOOP)
			snprintf(err, errlen, "%s: %s", path, why);
		else if (r == -EEXIST && (flags & O_EXCL))
			snprintf(err, errlen, "%s: appeared after the job was set up (someone else "
				 "made it); refusing it", path);
		else
			snprintf(err, errlen, "%s: %s", path, strerror(-r));
		return r;
	}
	/* what was opened decides: the path may have changed since stat() */
	if (fstat(fd, &post)) {
		r = -errno;
		snprintf(err, errlen, "%s: fstat: %s", path, strerror(-r));
		goto err;
	}
	r = nofollow ? devguard_check_shared(&post, why, sizeof(why)) : 0;
	if (!r)
		r = devguard_check_kind(&post, why, sizeof(why));
	if (r) {
		snprintf(err, errlen, "%s: %s", path, why);
		goto err;
	}
	if (want && !same_file(want, &post)) {
		r = -ESTALE;
		snprintf(err, errlen, "%s: not the file checked when the job was set up (the path "
			 "was replaced meanwhile); refusing it", path);
		goto err;
	}
	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0) {
		r = -errno;
		snprintf(err, errlen, "%s: fcntl: %s", path, strerror(-r));
		goto err;
	}
	if (st)
		*st = post;
	return fd;
err:
	close(fd);
	return r;
}

/* ---- signatures: libblkid ---- */

/* A low-level probe of @fd for every superblock (bad checksums count: a
 * damaged filesystem still holds data) and partition table; NULL on error. */
static blkid_probe probe_new(int fd)
{
	blkid_probe pr = blkid_new_probe();

	if (!pr)
		return NULL;
	if (blkid_probe_set_device(pr, fd, 0, 0) ||
	    blkid_probe_enable_superblocks(pr, 1) ||
	    blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_TYPE | BLKID_SUBLKS_USAGE |
						       BLKID_SUBLKS_MAGIC | BLKID_SUBLKS_BADCSUM) ||
	    blkid_probe_enable_partitions(pr, 1) ||
	    blkid_probe_set_partitions_flags(pr, BLKID_PARTS_MAGIC)) {
		blkid_free_probe(pr);
		return NULL;
	}
	return pr;
}

static const char *lookup(blkid_probe pr, const char *name)
{
	const char *v = NULL;

	if (blkid_probe_has_value(pr, name) && !blkid_probe_lookup_value(pr, name, &v, NULL))
		return v;
	return NULL;
}

/* "a LUKS encrypted volume (crypto_LUKS, found by libblkid)" appended to
 * @out for the value the probe holds now. Words only: what is detected is
 * libblkid's business. */
static void describe(blkid_probe pr, char *out, size_t len)
{
	static const struct {
		const char *type, *words;
	} named[] = {
		{ "crypto_LUKS", "a LUKS encrypted volume" },
		{ "linux_raid_member", "a Linux MD RAID member" },
		{ "LVM2_member", "an LVM2 physical volume" },
		{ "swap", "swap space" },
		{ "dos", "a DOS (MBR) partition table" },
		{ "gpt", "a GPT partition table" },
	};
	const char *type = lookup(pr, "TYPE"), *usage = lookup(pr, "USAGE");
	const char *pt = type ? NULL : lookup(pr, "PTTYPE");
	const char *t = type ? type : pt ? pt : "unknown";
	const char *an = strchr("aeiouAEIOU", t[0]) ? "an" : "a";

	for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++)
		if (!strcmp(t, named[i].type)) {
			errmsg_appendf(out, len, "%s (%s, found by libblkid)", named[i].words, t);
			return;
		}
	if (pt)
		errmsg_appendf(out, len, "%s %s partition table", an, t);
	else if (usage && !strcmp(usage, "filesystem"))
		errmsg_appendf(out, len, "%s %s filesystem", an, t);
	else if (usage && !strcmp(usage, "raid"))
		errmsg_appendf(out, len, "%s %s RAID member", an, t);
	else if (usage && !strcmp(usage, "crypto"))
		errmsg_appendf(out, len, "%s %s encrypted volume", an, t);
	else
		errmsg_appendf(out, len, "%s %s signature", an, t);
	errmsg_appendf(out, len, " (%s, found by libblkid)", t);
}

int devguard_probe_signature(int fd, char *what, size_t len)
{
	blkid_probe pr = probe_new(fd);
	int rc, n = 0;

	if (!pr)
		return -ENOMEM;
	what[0] = '\0';
	rc = blkid_do_safeprobe(pr);
	if (rc == 0) {
		describe(pr, what, len);
		n = 1;
	} else if (rc == -2) {
		/* more than one signature: name them all, as wipefs would */
		blkid_free_probe(pr);
		pr = probe_new(fd);
		if (!pr)
			return -ENOMEM;
		errmsg_appendf(what, len, "several signatures: ");
		while (blkid_do_probe(pr) == 0 && n < 4) {
			errmsg_appendf(what, len, "%s", n ? "; " : "");
			describe(pr, what, len);
			n++;
		}
		if (!n)
			errmsg_appendf(what, len, "contradicting ones (found by libblkid)");
		n = 1;
	} else if (rc < 0) {
		n = -EIO;
	}
	blkid_free_probe(pr);
	return n;
}

/* ---- in use ---- */

/* The device and its partitions, as sysfs lists them. */
struct related {
	dev_t dev[MAX_RELATED];
	char name[MAX_RELATED][NAME_LEN];
	unsigned n;
	char sys[PATH_MAX]; /* the device's sysfs directory, "" if unknown */
	/* the device as messages name it: the path as given, whole (name[0]
	 * is cut at NAME_LEN; /dev/disk/by-id names are longer), and the
	 * node it leads to when it is a link ("/dev/disk/by-id/x (/dev/sdb)") */
	char shown[PATH_MAX + 80];
};

/* "maj:min" of sysfs file @path into @dev. Returns 0 or -errno. */
static int read_devnum(const char *path, dev_t *dev)
{
	unsigned maj, min;
	FILE *f = fopen(path, "re");
	int n;

	if (!f)
		return -errno;
	n = fscanf(f, "%u:%u", &maj, &min);
	fclose(f);
	if (n != 2)
		return -EINVAL;
	*dev = makedev(maj, min);
	return 0;
}

static void related_collect(struct related *rel, dev_t dev, const char *path)
{
	char sys[128], p[PATH_MAX + NAME_LEN + 16];
	struct dirent *de;
	DIR *d;

	rel->dev[0] = dev;
	snprintf(rel->name[0], NAME_LEN, "%s", path);
	{
		char real[PATH_MAX];
		struct stat lst;

		if (!lstat(path, &lst) && S_ISLNK(lst.st_mode) && realpath(path, real))
			snprintf(rel->shown, sizeof(rel->shown), "%.*s (%.*s)", PATH_MAX / 2, path,
				 PATH_MAX / 2, real);
		else
			snprintf(rel->shown, sizeof(rel->shown), "%.*s", PATH_MAX, path);
	}
	rel->n = 1;
	snprintf(sys, sizeof(sys), "/sys/dev/block/%u:%u", major(dev), minor(dev));
	if (!realpath(sys, rel->sys)) {
		rel->sys[0] = '\0';
		return;
	}
	d = opendir(rel->sys);
	if (!d)
		return;
	while ((de = readdir(d)) && rel->n < MAX_RELATED) {
		dev_t pdev = 0;

		size_t nl = strlen(de->d_name);

		if (de->d_name[0] == '.' || nl >= NAME_LEN)
			continue;
		if (snprintf(p, sizeof(p), "%s/%s/partition", rel->sys, de->d_name) >= (int)sizeof(p) ||
		    access(p, F_OK))
			continue;
		if (snprintf(p, sizeof(p), "%s/%s/dev", rel->sys, de->d_name) >= (int)sizeof(p) ||
		    read_devnum(p, &pdev))
			continue;
		rel->dev[rel->n] = pdev;
		memcpy(rel->name[rel->n], de->d_name, nl + 1);
		rel->n++;
	}
	closedir(d);
}

static int related_find(const struct related *rel, dev_t dev)
{
	for (unsigned i = 0; i < rel->n; i++)
		if (rel->dev[i] == dev)
			return (int)i;
	return -1;
}

/* Index in @rel of the block device node @path names (a mount source, a
 * swap area), or -1. */
static int related_node(const struct related *rel, const char *path)
{
	struct stat st;

	if (path[0] != '/' || stat(path, &st) || !S_ISBLK(st.st_mode))
		return -1;
	return related_find(rel, st.st_rdev);
}

/* "/dev/loop0" or "its partition loop0p1" for member @i. */
static void subject(char *out, size_t len, const struct related *rel, int i)
{
	if (i == 0)
		snprintf(out, len, "%s", rel->shown);
	else
		snprintf(out, len, "%s (a partition of %s)", rel->name[i], rel->shown);
}

static int check_mounts(const struct related *rel, char *why, size_t len)
{
	char line[4096], mnt[1024], src[1024], who[PATH_MAX + 256];
	FILE *f = fopen("/proc/self/mountinfo", "re");
	int found = 0;

	if (!f)
		return -errno;
	while (!found && fgets(line, sizeof(line), f)) {
		unsigned maj, min;
		char *sep;
		int idx;

		if (sscanf(line, "%*u %*u %u:%u %*s %1023s", &maj, &min, mnt) != 3)
			continue;
		idx = related_find(rel, makedev(maj, min));
		/* btrfs and others show an anonymous device: the source names it */
		sep = strstr(line, " - ");
		if (idx < 0 && sep && sscanf(sep + 3, "%*s %1023s", src) == 1)
			idx = related_node(rel, src);
		if (idx >= 0) {
			subject(who, sizeof(who), rel, idx);
			snprintf(why, len, "%s is mounted on %s", who, mnt);
			found = 1;
		}
	}
	fclose(f);
	return found;
}

static int check_swaps(const struct related *rel, char *why, size_t len)
{
	char line[4096], src[1024], who[PATH_MAX + 256];
	FILE *f = fopen("/proc/swaps", "re");
	int found = 0;

	if (!f)
		return errno == ENOENT ? 0 : -errno; /* a kernel without swap */
	while (!found && fgets(line, sizeof(line), f)) {
		int idx;

		if (sscanf(line, "%1023s", src) != 1 || (idx = related_node(rel, src)) < 0)
			continue;
		subject(who, sizeof(who), rel, idx);
		snprintf(why, len, "%s is in use as swap", who);
		found = 1;
	}
	fclose(f);
	return found;
}

/* First entry of sysfs directory @dir/holders into @name. */
static bool first_holder(const char *dir, char *name, size_t len)
{
	char p[PATH_MAX + 16];
	struct dirent *de;
	bool found = false;
	DIR *d;

	if (snprintf(p, sizeof(p), "%s/holders", dir) >= (int)sizeof(p))
		return false;
	d = opendir(p);
	if (!d)
		return false;
	while (!found && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		found = snprintf(name, len, "%s", de->d_name) >= 0;
	}
	closedir(d);
	return found;
}

static int check_holders(const struct related *rel, char *why, size_t len)
{
	char p[PATH_MAX + NAME_LEN + 2], holder[NAME_LEN], who[PATH_MAX + 256];

	if (!rel->sys[0])
		return 0;
	for (unsigned i = 0; i < rel->n; i++) {
		if (i)
			snprintf(p, sizeof(p), "%s/%s", rel->sys, rel->name[i]);
		else
			snprintf(p, sizeof(p), "%s", rel->sys);
		if (first_holder(p, holder, sizeof(holder))) {
			subject(who, sizeof(who), rel, (int)i);
			snprintf(why, len, "%s is held by %s (device mapper, RAID or similar)", who,
				 holder);
			return 1;
		}
	}
	return 0;
}

/* Exclusive opens (mounts, md, dm, swap, mkfs) are the kernel's own record:
 * it sees mounts in other namespaces that our mountinfo does not. One probe
 * at a time in this process, so two jobs checking the same device do not
 * find each other's probe. */
static pthread_mutex_t excl_lock = PTHREAD_MUTEX_INITIALIZER;

static int check_exclusive(int fd, const char *path, char *why, size_t len)
{
	char self[64];
	int x, e;

	snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
	pthread_mutex_lock(&excl_lock);
	x = open(self, O_RDONLY | O_EXCL | O_CLOEXEC | O_NONBLOCK);
	e = errno;
	if (x >= 0)
		close(x);
	pthread_mutex_unlock(&excl_lock);
	if (x < 0 && e == EBUSY) {
		snprintf(why, len, "%s is in use: the kernel holds it exclusively (mounted, maybe "
			 "in another namespace, or claimed by a driver)", path);
		return 1;
	}
	return 0; /* anything else (no /proc) decides nothing */
}

/* What sysfs and /proc tell about device @rdev and its partitions: mounted,
 * swapped on, held. Needs no descriptor. Returns 1, 0 or -errno. */
static int in_use_by_number(struct related *rel, dev_t rdev, const char *path, char *why,
			    size_t len)
{
	int r;

	related_collect(rel, rdev, path);
	if ((r = check_mounts(rel, why, len)) || (r = check_swaps(rel, why, len)) ||
	    (r = check_holders(rel, why, len)))
		return r;
	return 0;
}

/* The rest, on the open device: held exclusively, partitioned, a
 * signature. */
static int in_use_by_content(const struct related *rel, int fd, const char *path, char *why,
			     size_t len)
{
	char sig[256];
	int r;

	if ((r = check_exclusive(fd, path, why, len)))
		return r;
	if (rel->n > 1) {
		snprintf(why, len, "%s has partitions (%s", rel->shown, rel->name[1]);
		for (unsigned i = 2; i < rel->n && i < 5; i++)
			errmsg_appendf(why, len, ", %s", rel->name[i]);
		errmsg_appendf(why, len, "%s)", rel->n > 5 ? ", ..." : "");
		return 1;
	}
	r = devguard_probe_signature(fd, sig, sizeof(sig));
	if (r > 0)
		snprintf(why, len, "%s holds %s", rel->shown, sig);
	return r;
}

int devguard_blkdev_in_use(int fd, const char *path, char *why, size_t len)
{
	struct related rel;
	struct stat st;
	int r;

	if (fstat(fd, &st))
		return -errno;
	if (!S_ISBLK(st.st_mode))
		return -ENOTBLK;
	r = in_use_by_number(&rel, st.st_rdev, path, why, len);
	return r ? r : in_use_by_content(&rel, fd, path, why, len);
}

int devguard_blkdev_in_use_path(const char *path, char *why, size_t len)
{
	struct related rel;
	struct stat st;
	int fd, r;

	/* never open what is not a block device: some have side effects */
	if (stat(path, &st))
		return -errno;
	if (!S_ISBLK(st.st_mode))
		return -ENOTBLK;
	r = in_use_by_number(&rel, st.st_rdev, path, why, len);
	if (r)
		return r;
	do
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	while (fd < 0 && errno == EINTR);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || !S_ISBLK(st.st_mode) || st.st_rdev != rel.dev[0])
		r = -ESTALE; /* replaced since stat() */
	else
		r = in_use_by_content(&rel, fd, path, why, len);
	close(fd);
	return r;
}

int devguard_may_write(int fd, const char *path, const char *hint, char *msg, size_t len)
{
	char why[512];
	int r = devguard_blkdev_in_use(fd, path, why, sizeof(why));

	if (r > 0) {
		snprintf(msg, len, "%s; refusing to write to it (%s)", why, hint);
		return -EBUSY;
	}
	if (r < 0)
		snprintf(msg, len, "%s: cannot tell whether it is in use: %s; refusing to write to "
			 "it (%s)", path, strerror(-r), hint);
	return r;
}
