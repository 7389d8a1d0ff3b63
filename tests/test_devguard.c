/* The device guard (backend/devguard.h): which kinds of file may be a
 * target, opening without ever blocking and refusing a swapped path, the
 * libblkid probe on image files (made by the mkfs tools that are installed,
 * or crafted here as cryptsetup and mdadm lay them out), and the in-use
 * check on the device under /. Everything is written in a scratch
 * directory; no device is written. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "backend/devguard.h"
#include "tests/scratch.h"

static char dir[1024];

static int setup(void **state)
{
	(void)state;
	return scratch_dir_make(dir, sizeof(dir), "test_devguard");
}

static int teardown(void **state)
{
	(void)state;
	return scratch_dir_remove(dir);
}

/* ---- kinds ---- */

static void test_kinds(void **state)
{
	static const struct {
		mode_t mode;
		unsigned maj, min;
		int want;
		const char *says;
	} cases[] = {
		{ S_IFREG, 0, 0, 0, NULL },
		{ S_IFBLK, 7, 0, 0, NULL },
		{ S_IFCHR, 1, 3, 0, NULL },  /* /dev/null */
		{ S_IFCHR, 1, 5, 0, NULL },  /* /dev/zero */
		{ S_IFCHR, 1, 7, 0, NULL },  /* /dev/full */
		{ S_IFCHR, 1, 9, 0, NULL },  /* /dev/urandom */
		{ S_IFCHR, 1, 1, -EPERM, "character device (1:1)" }, /* /dev/mem */
		{ S_IFCHR, 5, 0, -EPERM, "character device" },       /* /dev/tty */
		{ S_IFCHR, 10, 130, -EPERM, "character device" },    /* /dev/watchdog */
		{ S_IFIFO, 0, 0, -ENXIO, "is a FIFO" },
		{ S_IFSOCK, 0, 0, -ENXIO, "is a socket" },
		{ S_IFDIR, 0, 0, -EISDIR, "is a directory" },
	};
	char why[256];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct stat st = { .st_mode = cases[i].mode | 0600,
				   .st_rdev = makedev(cases[i].maj, cases[i].min) };

		why[0] = '\0';
		assert_int_equal(devguard_check_kind(&st, why, sizeof(why)), cases[i].want);
		if (cases[i].says)
			assert_non_null(strstr(why, cases[i].says));
	}
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* A FIFO with no peer: refused at once, for reading and for writing, never
 * waiting in open(); an alarm turns a hang into a failure. */
static void test_open_fifo(void **state)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	char path[1200], err[512];
	struct timespec t0, t1;

	(void)state;
	snprintf(path, sizeof(path), "%s/fifo", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	sigaction(SIGALRM, &sa, NULL);
	alarm(5);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(devguard_open(path, O_RDONLY, 0, NULL, NULL, err, sizeof(err)), -ENXIO);
	assert_non_null(strstr(err, "is a FIFO"));
	assert_int_equal(devguard_open(path, O_RDWR | O_CREAT, 0600, NULL, NULL, err, sizeof(err)),
			 -ENXIO);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	alarm(0);
	assert_true(t1.tv_sec - t0.tv_sec < 2);
}

static void test_open_socket_dir_null(void **state)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char path[1200], err[512];
	struct stat st;
	int s, fd;

	(void)state;
	snprintf(path, sizeof(path), "%s/sock", dir);
	if (strlen(path) < sizeof(sun.sun_path)) {
		memcpy(sun.sun_path, path, strlen(path) + 1);
		s = socket(AF_UNIX, SOCK_STREAM, 0);
		assert_true(s >= 0);
		assert_int_equal(bind(s, (struct sockaddr *)&sun, sizeof(sun)), 0);
		assert_int_equal(devguard_open(path, O_RDONLY, 0, NULL, NULL, err, sizeof(err)),
				 -ENXIO);
		assert_non_null(strstr(err, "is a socket"));
		close(s);
	}
	assert_int_equal(devguard_open(dir, O_RDONLY, 0, NULL, NULL, err, sizeof(err)), -EISDIR);
	/* /dev/null: opened, blocking again afterwards */
	fd = devguard_open("/dev/null", O_RDWR, 0, NULL, &st, err, sizeof(err));
	assert_true(fd >= 0);
	assert_true(S_ISCHR(st.st_mode));
	assert_int_equal(fcntl(fd, F_GETFL) & O_NONBLOCK, 0);
	close(fd);
}

/* What setup_files checked must be what the engine opens. */
static void test_open_swapped(void **state)
{
	char a[1200], b[1200], err[512];
	struct stat want, st;
	int fd;

	(void)state;
	snprintf(a, sizeof(a), "%s/a.dat", dir);
	snprintf(b, sizeof(b), "%s/b.dat", dir);
	fd = devguard_open(a, O_WRONLY | O_CREAT, 0600, NULL, &want, err, sizeof(err));
	assert_true(fd >= 0);
	close(fd);
	fd = devguard_open(a, O_RDONLY, 0, &want, &st, err, sizeof(err));
	assert_true(fd >= 0);
	assert_int_equal(st.st_ino, want.st_ino);
	close(fd);
	/* another file renamed over it */
	fd = open(b, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(rename(b, a), 0);
	assert_int_equal(devguard_open(a, O_RDWR, 0, &want, NULL, err, sizeof(err)), -ESTALE);
	assert_non_null(strstr(err, "replaced"));
	/* a FIFO in its place */
	unlink(a);
	assert_int_equal(mkfifo(a, 0600), 0);
	assert_int_equal(devguard_open(a, O_RDWR, 0, &want, NULL, err, sizeof(err)), -ENXIO);
	unlink(a);
}

/* ---- signatures ---- */

/* A fresh 16 MiB zero image in the scratch directory. */
static void image(char *path, size_t len, const char *name)
{
	int fd;

	snprintf(path, len, "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, 16 << 20), 0);
	close(fd);
}

static void put(const char *path, off_t off, const void *buf, size_t len)
{
	int fd = open(path, O_WRONLY);

	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, buf, len, off), (ssize_t)len);
	close(fd);
}

static int probe(const char *path, char *what, size_t len)
{
	int fd = open(path, O_RDONLY), r;

	assert_true(fd >= 0);
	what[0] = '\0';
	r = devguard_probe_signature(fd, what, len);
	close(fd);
	return r;
}

static void be16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

static void be32(unsigned char *p, uint32_t v)
{
	be16(p, (uint16_t)(v >> 16));
	be16(p + 2, (uint16_t)v);
}

static void le16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static void le32(unsigned char *p, uint32_t v)
{
	le16(p, (uint16_t)v);
	le16(p + 2, (uint16_t)(v >> 16));
}

static void le64(unsigned char *p, uint64_t v)
{
	le32(p, (uint32_t)v);
	le32(p + 4, (uint32_t)(v >> 32));
}

/* A LUKS1 phdr (592 bytes at 0) as cryptsetup luksFormat writes it. */
static void craft_luks1(const char *path)
{
	unsigned char h[592] = { 0 };

	memcpy(h, "LUKS\xba\xbe", 6);
	be16(h + 6, 1);
	memcpy(h + 8, "aes", 3);
	memcpy(h + 40, "xts-plain64", 11);
	memcpy(h + 72, "sha256", 6);
	be32(h + 104, 4096); /* payload offset */
	be32(h + 108, 64);   /* key bytes */
	be32(h + 164, 1000); /* digest iterations */
	memcpy(h + 168, "12345678-1234-5678-1234-567812345678", 36);
	for (int k = 0; k < 8; k++) {
		be32(h + 208 + 48 * k, 0x0000DEAD); /* disabled */
		be32(h + 208 + 48 * k + 40, 8 + (uint32_t)k * 512);
		be32(h + 208 + 48 * k + 44, 4000);
	}
	put(path, 0, h, sizeof(h));
}

/* An MD v1.2 superblock at 4 KiB with its checksum, as mdadm writes it. */
static void craft_md12(const char *path)
{
	unsigned char sb[256 + 4] = { 0 };
	uint64_t sum = 0;

	le32(sb, 0xa92b4efc);
	le32(sb + 4, 1);
	for (int i = 0; i < 16; i++) {
		sb[16 + i] = (unsigned char)(1 + i);  /* set uuid */
		sb[168 + i] = (unsigned char)(17 + i); /* device uuid */
	}
	memcpy(sb + 32, "iolab0", 6);
	le64(sb + 64, 1700000000);
	le32(sb + 72, 1); /* raid1 */
	le64(sb + 80, 8192);
	le32(sb + 92, 2);
	le64(sb + 128, 2048); /* data offset */
	le64(sb + 136, 8192); /* data size */
	le64(sb + 144, 8);    /* super offset: sector 8 */
	le64(sb + 192, 1700000000);
	le64(sb + 200, 1);
	le64(sb + 208, UINT64_MAX);
	le32(sb + 220, 2); /* max_dev */
	le16(sb + 256, 0);
	le16(sb + 258, 1);
	for (size_t i = 0; i < sizeof(sb); i += 4)
		sum += (uint32_t)sb[i] | (uint32_t)sb[i + 1] << 8 | (uint32_t)sb[i + 2] << 16 |
		       (uint32_t)sb[i + 3] << 24;
	le32(sb + 216, (uint32_t)((sum & 0xffffffff) + (sum >> 32)));
	put(path, 4096, sb, sizeof(sb));
}

static void test_probe_crafted(void **state)
{
	char path[1200], what[256];
	unsigned char mbr[512] = { 0 };

	(void)state;
	image(path, sizeof(path), "zero.img");
	assert_int_equal(probe(path, what, sizeof(what)), 0);
	put(path, 100, "XFSB", 4); /* a magic at the wrong place is nothing */
	assert_int_equal(probe(path, what, sizeof(what)), 0);

	image(path, sizeof(path), "luks1.img");
	craft_luks1(path);
	assert_int_equal(probe(path, what, sizeof(what)), 1);
	assert_string_equal(what, "a LUKS encrypted volume (crypto_LUKS, found by libblkid)");

	image(path, sizeof(path), "md12.img");
	craft_md12(path);
	assert_int_equal(probe(path, what, sizeof(what)), 1);
	assert_non_null(strstr(what, "Linux MD RAID member (linux_raid_member"));

	/* an MBR with one partition entry */
	image(path, sizeof(path), "mbr.img");
	mbr[446 + 4] = 0x83;
	le32(mbr + 446 + 8, 2048);
	le32(mbr + 446 + 12, 8192);
	mbr[510] = 0x55;
	mbr[511] = 0xaa;
	put(path, 0, mbr, sizeof(mbr));
	assert_int_equal(probe(path, what, sizeof(what)), 1);
	assert_non_null(strstr(what, "DOS (MBR) partition table (dos"));
}

/* Images made by the real tools, each skipped when its tool is missing. */
static void test_probe_mkfs(void **state)
{
	static const struct {
		const char *tool, *args, *says;
	} cases[] = {
		{ "mkfs.minix", "", "a minix filesystem (minix, found by libblkid)" },
		{ "mkfs.ext4", "-q -F", "an ext4 filesystem (ext4, found by libblkid)" },
		{ "mkswap", "", "swap space (swap, found by libblkid)" },
		{ "mkfs.xfs", "-q -f", "xfs filesystem" },
		{ "mkfs.btrfs", "-q -f", "btrfs filesystem" },
		{ "mkfs.vfat", "", "vfat filesystem" },
	};
	unsigned ran = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char path[1200], cmd[2600], what[256];

		snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", cases[i].tool);
		if (system(cmd)) {
			print_message("skip: %s is not installed\n", cases[i].tool);
			continue;
		}
		image(path, sizeof(path), cases[i].tool);
		snprintf(cmd, sizeof(cmd), "%s %s '%s' >/dev/null 2>&1", cases[i].tool,
			 cases[i].args, path);
		assert_int_equal(system(cmd), 0);
		assert_int_equal(probe(path, what, sizeof(what)), 1);
		if (!strstr(what, cases[i].says))
			fail_msg("%s: probe says '%s', want '%s'", cases[i].tool, what, cases[i].says);
		ran++;
	}
	if (!ran)
		skip();
}

/* ---- in use ---- */

static void test_in_use(void **state)
{
	char what[512], line[4096], src[1024] = "", path[1200];
	struct stat st;
	FILE *f;
	int fd;

	(void)state;
	/* not a block device: never opened */
	snprintf(path, sizeof(path), "%s/plain.dat", dir);
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(devguard_blkdev_in_use_path(path, what, sizeof(what)), -ENOTBLK);
	snprintf(path, sizeof(path), "%s/fifo2", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(devguard_blkdev_in_use_path(path, what, sizeof(what)), -ENOTBLK);

	/* the device under / is mounted: the guard must say so */
	f = fopen("/proc/self/mountinfo", "r");
	if (f) {
		while (fgets(line, sizeof(line), f)) {
			char mnt[1024], *sep = strstr(line, " - ");

			if (sscanf(line, "%*u %*u %*s %*s %1023s", mnt) == 1 && !strcmp(mnt, "/") &&
			    sep && sscanf(sep + 3, "%*s %1023s", src) == 1)
				break;
			src[0] = '\0';
		}
		fclose(f);
	}
	if (!src[0] || stat(src, &st) || !S_ISBLK(st.st_mode)) {
		print_message("skip: / is not on a block device node here (%s)\n",
			      src[0] ? src : "no mountinfo");
		skip();
	}
	what[0] = '\0';
	assert_int_equal(devguard_blkdev_in_use_path(src, what, sizeof(what)), 1);
	assert_non_null(strstr(what, "mounted on /"));
	fd = open(src, O_RDONLY);
	if (fd < 0) {
		print_message("skip: the refusal's wording: cannot open %s: %s\n", src,
			      strerror(errno));
		return;
	}
	assert_int_equal(devguard_may_write(fd, src, "HINT", what, sizeof(what)), -EBUSY);
	assert_non_null(strstr(what, "; refusing to write to it (HINT)"));
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_open_fifo),
		cmocka_unit_test(test_open_socket_dir_null),
		cmocka_unit_test(test_open_swapped),
		cmocka_unit_test(test_probe_crafted),
		cmocka_unit_test(test_probe_mkfs),
		cmocka_unit_test(test_in_use),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
