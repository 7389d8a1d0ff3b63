/* backend/diskstats: parsing /proc/diskstats text of every kernel format,
 * iostat -x and fio disk_util figures against hand-computed values, counter
 * wrap, and finding the device under real paths on this machine (skipped
 * where the machine has no such device). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cmocka.h>

#include "backend/diskstats.h"

/* Three kernel generations: 11 counters (< 4.18), 15 (discards), 17
 * (flushes), a partition, and junk that must be ignored. */
static const char fixture[] =
	"   8       0 sda 1000 10 80000 500 2000 20 160000 3000 0 1000 4000\n"
	"   8       1 sda1 900 9 70000 450 1900 19 150000 2900 1 950 3900 7 1 56 3\n"
	" 259       0 nvme0n1 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21\n"
	"garbage line\n"
	" 253       3 dm-3 1 2 3\n"
	"   7       0 loop0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0";

static void test_parse(void **state)
{
	struct diskstats d;

	(void)state;
	assert_int_equal(diskstats_parse(fixture, 8, 0, &d), 0);
	assert_string_equal(d.name, "sda");
	assert_int_equal(d.nfields, 11);
	assert_int_equal(d.rd_ios, 1000);
	assert_int_equal(d.rd_merges, 10);
	assert_int_equal(d.rd_sectors, 80000);
	assert_int_equal(d.rd_ticks, 500);
	assert_int_equal(d.wr_ios, 2000);
	assert_int_equal(d.wr_merges, 20);
	assert_int_equal(d.wr_sectors, 160000);
	assert_int_equal(d.wr_ticks, 3000);
	assert_int_equal(d.in_flight, 0);
	assert_int_equal(d.io_ticks, 1000);
	assert_int_equal(d.time_in_queue, 4000);
	assert_int_equal(d.dc_ios, 0);

	assert_int_equal(diskstats_parse(fixture, 8, 1, &d), 0);
	assert_string_equal(d.name, "sda1");
	assert_int_equal(d.nfields, 15);
	assert_int_equal(d.in_flight, 1);
	assert_int_equal(d.dc_ios, 7);
	assert_int_equal(d.dc_sectors, 56);
	assert_int_equal(d.dc_ticks, 3);

	assert_int_equal(diskstats_parse(fixture, 259, 0, &d), 0);
	assert_string_equal(d.name, "nvme0n1");
	assert_int_equal(d.nfields, 17);
	assert_int_equal(d.time_in_queue, 15);
	assert_int_equal(d.fl_ios, 20);
	assert_int_equal(d.fl_ticks, 21);

	/* last line without a newline */
	assert_int_equal(diskstats_parse(fixture, 7, 0, &d), 0);
	assert_string_equal(d.name, "loop0");
	/* too few counters, absent device */
	assert_int_equal(diskstats_parse(fixture, 253, 3, &d), -ENOENT);
	assert_int_equal(diskstats_parse(fixture, 8, 2, &d), -ENOENT);
	assert_int_equal(diskstats_parse_line("   8 0 sda 1 2 3", &d), -EINVAL);
	assert_int_equal(diskstats_parse_line("x y z", &d), -EINVAL);
	assert_int_equal(diskstats_parse_line("8 0 sda 1 2 3 4 5 6 7 8 9 10 1x", &d), -EINVAL);
}

static void mkstats(struct diskstats *a, struct diskstats *b)
{
	memset(a, 0, sizeof(*a));
	memset(b, 0, sizeof(*b));
	snprintf(a->name, sizeof(a->name), "sdz");
	snprintf(b->name, sizeof(b->name), "sdz");
	*a = (struct diskstats){ .rd_ios = 1000, .rd_merges = 10, .rd_sectors = 80000,
				 .rd_ticks = 500, .wr_ios = 2000, .wr_merges = 20,
				 .wr_sectors = 160000, .wr_ticks = 3000, .io_ticks = 1000,
				 .time_in_queue = 4000, .t_ns = 1000000000ULL };
	*b = *a;
	b->rd_ios += 500;
	b->rd_merges += 50;
	b->rd_sectors += 8000;
	b->rd_ticks += 1000;
	b->wr_ios += 250;
	b->wr_sectors += 4000;
	b->wr_ticks += 1000;
	b->io_ticks += 800;
	b->time_in_queue += 2500;
	b->t_ns = a->t_ns + 2000000000ULL;
	snprintf(b->name, sizeof(b->name), "sdz");
}

/* 2 s apart: 500 reads of 4000 KiB taking 1000 ms, 250 writes of 2000 KiB
 * taking 1000 ms, 800 ms busy, 2500 ms of queue time. */
static void test_iostat(void **state)
{
	struct diskstats a, b;
	struct iostat io;

	(void)state;
	mkstats(&a, &b);
	diskstats_compute(&a, &b, 0, &io);
	assert_float_equal(io.r_s, 250.0, 1e-9);
	assert_float_equal(io.w_s, 125.0, 1e-9);
	assert_float_equal(io.rkb_s, 2000.0, 1e-9);
	assert_float_equal(io.wkb_s, 1000.0, 1e-9);
	assert_float_equal(io.rrqm_s, 25.0, 1e-9);
	assert_float_equal(io.wrqm_s, 0.0, 1e-9);
	assert_float_equal(io.r_await, 2.0, 1e-9);
	assert_float_equal(io.w_await, 4.0, 1e-9);
	assert_float_equal(io.rareq_sz, 8.0, 1e-9);
	assert_float_equal(io.wareq_sz, 8.0, 1e-9);
	assert_float_equal(io.aqu_sz, 1.25, 1e-9);
	assert_float_equal(io.util, 40.0, 1e-9);

	/* an explicit interval overrides t_ns: 4 s halves the rates */
	diskstats_compute(&a, &b, 4000000000ULL, &io);
	assert_float_equal(io.r_s, 125.0, 1e-9);
	assert_float_equal(io.r_await, 2.0, 1e-9);
	assert_float_equal(io.util, 20.0, 1e-9);

	/* busy more than the interval (clock skew) caps at 100% */
	b.io_ticks = a.io_ticks + 5000;
	diskstats_compute(&a, &b, 0, &io);
	assert_float_equal(io.util, 100.0, 1e-9);

	/* no time elapsed: all zero */
	diskstats_compute(&a, &a, 0, &io);
	assert_float_equal(io.r_s, 0.0, 0);
	assert_float_equal(io.util, 0.0, 0);

	/* no I/O: awaits are 0, not NaN */
	b = a;
	b.t_ns += 1000000000ULL;
	diskstats_compute(&a, &b, 0, &io);
	assert_float_equal(io.r_await, 0.0, 0);
	assert_float_equal(io.w_await, 0.0, 0);

	/* a 32-bit counter wrapped: 4294967290 -> 10 is 16 I/Os */
	a.rd_ios = 4294967290ULL;
	b.rd_ios = 10;
	diskstats_compute(&a, &b, 0, &io);
	assert_float_equal(io.r_s, 16.0, 1e-9);
	/* a 64-bit counter going back (device replaced) counts 0 */
	a.rd_ios = 1ULL << 40;
	diskstats_compute(&a, &b, 0, &io);
	assert_float_equal(io.r_s, 0.0, 0);
}

static void test_disk_util(void **state)
{
	struct diskstats a, b;
	struct disk_util du;

	(void)state;
	mkstats(&a, &b);
	diskstats_util(&a, &b, 0, &du);
	assert_string_equal(du.name, "sdz");
	assert_int_equal(du.read_ios, 500);
	assert_int_equal(du.write_ios, 250);
	assert_int_equal(du.read_merges, 50);
	assert_int_equal(du.write_merges, 0);
	assert_int_equal(du.read_ticks, 1000);
	assert_int_equal(du.write_ticks, 1000);
	assert_int_equal(du.in_queue, 2500);
	assert_int_equal(du.msec, 2000);
	assert_float_equal(du.util, 40.0, 1e-9);
}

static const char *tmpdir(void)
{
	const char *t = getenv("TEST_TMP");

	if (!t)
		t = getenv("TMPDIR");
	return t ? t : "/tmp";
}

static void test_find_tmp(void **state)
{
	char name[DISK_NAME_LEN], path[512], name2[DISK_NAME_LEN];
	unsigned ma, mi, ma2, mi2;
	struct diskstats d;
	FILE *f;
	int r;

	(void)state;
	snprintf(path, sizeof(path), "%s/diskstats-probe", tmpdir());
	f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
	r = diskstats_find(path, name, sizeof(name), &ma, &mi);
	unlink(path);
	if (r == -ENODEV) {
		assert_string_equal(name, "none");
		print_message("skip: %s has no block device under it (tmpfs/overlay)\n", tmpdir());
		skip();
	}
	assert_int_equal(r, 0);
	print_message("%s is on %s (%u:%u)\n", tmpdir(), name, ma, mi);
	/* the whole disk: listed in /proc/diskstats, no partition file */
	assert_int_equal(diskstats_read(ma, mi, &d), 0);
	assert_string_equal(d.name, name);
	assert_true(d.nfields >= 11);
	assert_true(d.t_ns > 0);
	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/partition", ma, mi);
	assert_int_equal(access(path, F_OK), -1);

	/* a file not laid out yet resolves through its directory */
	snprintf(path, sizeof(path), "%s/no/such/dir/file.0.0", tmpdir());
	assert_int_equal(diskstats_find(path, name2, sizeof(name2), &ma2, &mi2), 0);
	assert_string_equal(name2, name);
	assert_true(ma2 == ma && mi2 == mi);
}

static void test_find_none(void **state)
{
	char name[DISK_NAME_LEN] = "x";
	unsigned ma = 9, mi = 9;
	struct diskstats d;

	(void)state;
	/* procfs and a character device have no block device */
	assert_int_equal(diskstats_find("/proc/self/status", name, sizeof(name), &ma, &mi), -ENODEV);
	assert_string_equal(name, "none");
	assert_true(ma == 0 && mi == 0);
	assert_int_equal(diskstats_find("/dev/null", name, sizeof(name), NULL, NULL), -ENODEV);
	assert_string_equal(name, "none");
	assert_int_equal(diskstats_find("", name, sizeof(name), NULL, NULL), -EINVAL);
	/* a device that does not exist */
	assert_int_equal(diskstats_read(4095, 1048575, &d), -ENOENT);
}

/* Block device nodes: the node's own device; a partition maps to its disk. */
static void test_find_blockdev(void **state)
{
	FILE *f = fopen("/proc/diskstats", "r");
	char line[512], devname[64], node[128], name[DISK_NAME_LEN];
	unsigned tested = 0;

	(void)state;
	assert_non_null(f);
	while (fgets(line, sizeof(line), f) && tested < 8) {
		unsigned ma, mi, fma, fmi;
		char part[160], parent_dev[160];
		struct stat st;
		int r;

		if (sscanf(line, "%u %u %63s", &ma, &mi, devname) != 3)
			continue;
		snprintf(node, sizeof(node), "/dev/%s", devname);
		if (stat(node, &st) || !S_ISBLK(st.st_mode) || major(st.st_rdev) != ma ||
		    minor(st.st_rdev) != mi)
			continue;
		r = diskstats_find(node, name, sizeof(name), &fma, &fmi);
		assert_int_equal(r, 0);
		snprintf(part, sizeof(part), "/sys/dev/block/%u:%u/partition", ma, mi);
		if (access(part, F_OK) == 0) {
			/* parent's dev file names what we returned */
			char buf[32];
			FILE *p;

			snprintf(parent_dev, sizeof(parent_dev), "/sys/dev/block/%u:%u/../dev", ma,
				 mi);
			p = fopen(parent_dev, "r");
			assert_non_null(p);
			assert_non_null(fgets(buf, sizeof(buf), p));
			fclose(p);
			snprintf(part, sizeof(part), "%u:%u\n", fma, fmi);
			assert_string_equal(buf, part);
			assert_string_not_equal(name, devname);
			assert_int_equal(strncmp(devname, name, strlen(name)), 0);
		} else {
			assert_string_equal(name, devname);
			assert_true(fma == ma && fmi == mi);
		}
		tested++;
	}
	fclose(f);
	if (!tested) {
		print_message("skip: no block device node under /dev matches /proc/diskstats\n");
		skip();
	}
}

/* One pass for several devices; a missing one is reported, not invented. */
static void test_read_many(void **state)
{
	struct diskstats v[2];
	FILE *f = fopen("/proc/diskstats", "r");
	unsigned ma, mi;
	char line[512];
	int r;

	(void)state;
	if (!f || !fgets(line, sizeof(line), f) || sscanf(line, "%u %u", &ma, &mi) != 2) {
		if (f)
			fclose(f);
		print_message("skip: /proc/diskstats is empty or unreadable\n");
		skip();
	}
	fclose(f);
	memset(v, 0, sizeof(v));
	v[0].major = 4095;
	v[0].minor = 1048575;
	v[1].major = ma;
	v[1].minor = mi;
	r = diskstats_read_many(v, 2);
	assert_int_equal(r, 1);
	assert_int_equal(v[0].nfields, 0);
	assert_true(v[1].nfields >= 11);
	assert_true(v[1].name[0] != '\0');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_iostat),
		cmocka_unit_test(test_disk_util),
		cmocka_unit_test(test_find_tmp),
		cmocka_unit_test(test_find_none),
		cmocka_unit_test(test_find_blockdev),
		cmocka_unit_test(test_read_many),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
