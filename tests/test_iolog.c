/* backend/iolog: a written v2 log parses back to the same I/Os in order;
 * v3 timestamps and v2 waits give replay times; bad lines are refused with
 * NAME:LINE and why; replay hands out the logged I/Os in order. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "tests/scratch.h"

#include "backend/iolog.h"
#include "backend/job.h"
#include "lib/clock.h"

static char dir[512];

static int setup(void **state)
{
	(void)state;
	return scratch_dir_make(dir, sizeof(dir), "iolog");
}

static int teardown(void **state)
{
	(void)state;
	return scratch_dir_remove(dir);
}

static int parse_str(struct iolog *log, const char *text, char *err, size_t errlen)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int ret;

	assert_non_null(f);
	ret = iolog_parse(log, f, "t.log", err, errlen);
	fclose(f);
	return ret;
}

static void test_round_trip(void **state)
{
	struct job_file files[2] = { { .path = "/dev/fake-a" }, { .path = "/tmp/b:c" } };
	static const struct {
		unsigned file;
		int ddir;
		uint64_t off;
		uint32_t len;
	} ios[] = {
		{ 0, DDIR_READ, 0, 4096 },         { 1, DDIR_WRITE, 1ULL << 40, 65536 },
		{ 0, DDIR_TRIM, 8192, 1 << 20 },   { 1, DDIR_SYNC, 0, 0 },
		{ 0, DDIR_WRITE, 512, 512 },       { 1, DDIR_DATASYNC, 0, 0 },
		{ 1, DDIR_READ, 123456789, 3000 },
	};
	const size_t n = sizeof(ios) / sizeof(ios[0]);
	struct iolog_writer *w;
	struct iolog log;
	char path[600], err[256], first[64];
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/rt.log", dir);
	w = iolog_writer_open(path, files, 2);
	assert_non_null(w);
	for (size_t i = 0; i < n; i++) {
		struct io_u u = { .file = &files[ios[i].file], .ddir = ios[i].ddir,
				  .offset = ios[i].off, .buflen = ios[i].len };

		iolog_writer_io(w, &u);
	}
	assert_int_equal(iolog_writer_close(w), 0);

	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(first, sizeof(first), f));
	fclose(f);
	assert_string_equal(first, "fio version 2 iolog\n");

	assert_int_equal(iolog_load(&log, path, err, sizeof(err)), 0);
	assert_int_equal(log.version, 2);
	assert_false(log.timed);
	assert_int_equal(log.nr_files, 2);
	assert_string_equal(log.files[0], "/dev/fake-a");
	assert_string_equal(log.files[1], "/tmp/b:c");
	assert_int_equal(log.nr, n);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(log.ents[i].file, ios[i].file);
		assert_int_equal(log.ents[i].ddir, ios[i].ddir);
		assert_int_equal(log.ents[i].offset, ios[i].off);
		assert_int_equal(log.ents[i].len, ios[i].len);
		assert_int_equal(log.ents[i].t_us, 0);
	}
	iolog_free(&log);
}

static void test_unwritable(void **state)
{
	struct job_file files[1] = { { .path = "x" } };

	(void)state;
	errno = 0;
	assert_null(iolog_writer_open("/nonexistent-dir/iolog", files, 1));
	assert_int_equal(errno, ENOENT);
}

static void test_v3_times(void **state)
{
	struct iolog log;
	char err[256];

	(void)state;
	assert_int_equal(parse_str(&log,
				   "fio version 3 iolog\n"
				   "21 /f add\n"
				   "136 /f open\n"
				   "142 /f read 0 4096\n"
				   "\n"
				   "10110 /f write 4096 8192\r\n"
				   "20098 /f trim 8192 4096\n"
				   "20000 /f read 0 512\n" /* out of order: kept in line order */
				   "40143 /f close\n",
				   err, sizeof(err)),
			 0);
	assert_int_equal(log.version, 3);
	assert_true(log.timed);
	assert_int_equal(log.nr, 4);
	assert_int_equal(log.ents[0].t_us, 142);
	assert_int_equal(log.ents[1].t_us, 10110);
	assert_int_equal(log.ents[1].len, 8192);
	assert_int_equal(log.ents[2].ddir, DDIR_TRIM);
	assert_int_equal(log.ents[3].t_us, 20098);
	iolog_free(&log);
}

static void test_v2_wait(void **state)
{
	struct iolog log;
	char err[256];

	(void)state;
	assert_int_equal(parse_str(&log,
				   "fio version 2 iolog\n"
				   "/f add\n/f open\n"
				   "/f read 0 4096\n"
				   "/f wait 50 0\n" /* below 100 us: ignored, as fio */
				   "/f read 4096 4096\n"
				   "/f wait 2000 0\n"
				   "/f read 8192 4096\n"
				   "/f wait 1000 0\n"
				   "/f sync\n"
				   "/f close\n",
				   err, sizeof(err)),
			 0);
	assert_true(log.timed);
	assert_int_equal(log.nr, 4);
	assert_int_equal(log.ents[0].t_us, 0);
	assert_int_equal(log.ents[1].t_us, 0);
	assert_int_equal(log.ents[2].t_us, 2000);
	assert_int_equal(log.ents[3].t_us, 3000);
	assert_int_equal(log.ents[3].ddir, DDIR_SYNC);
	iolog_free(&log);
}

static void test_bad_lines(void **state)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "", "t.log:1: empty file" },
		{ "fio version 1 iolog\n", "t.log:1: not an iolog" },
		{ "fio version 2 iolog\n/f add\n/f frob 0 4096\n", "t.log:3: unknown action 'frob'" },
		{ "fio version 2 iolog\n/f add\n/g read 0 4096\n", "t.log:3: read on '/g', a file the log never added" },
		{ "fio version 2 iolog\n/f add\n/f read -1 4096\n", "t.log:3: offset '-1' is not a number" },
		{ "fio version 2 iolog\n/f add\n/f read 0 4k\n", "t.log:3: length '4k' is not a number" },
		{ "fio version 2 iolog\n/f add\n/f write 0 0\n", "t.log:3: write of length 0" },
		{ "fio version 2 iolog\n/f add\n/f read 0\n", "t.log:3: 3 fields" },
		{ "fio version 2 iolog\n/f add\n/f read\n", "t.log:3: read needs an offset and a length" },
		{ "fio version 2 iolog\n/f add\n/f read 0 4096 9\n", "t.log:3: 5 fields" },
		{ "fio version 2 iolog\n/f add\n/f read 0 999999999999\n", "t.log:3: length 999999999999 is above" },
		{ "fio version 2 iolog\n/f add\n/f read 18446744073709551615 4096\n", "t.log:3: offset 18446744073709551615 + length 4096 is past" },
		{ "fio version 2 iolog\n/f open\n", "t.log:2: open of '/f' before it was added" },
		{ "fio version 3 iolog\n1 /f add\nx /f read 0 4096\n", "t.log:3: 'x' is not a timestamp" },
		{ "fio version 3 iolog\n1 /f add\n2 /f wait 100 0\n", "t.log:3: 'wait' is not allowed in a version 3" },
		{ "fio version 3 iolog\n1 /f add\n/f read 0 4096\n", "t.log:3: '/f' is not a timestamp" },
		/* times that would wrap the replay clock */
		{ "fio version 3 iolog\n1 /f add\n18446744073709551615 /f read 0 4096\n",
		  "t.log:3: timestamp 18446744073709551615 us is more than 100 years" },
		{ "fio version 2 iolog\n/f add\n/f wait 3000000000000000 0\n/f wait 3000000000000000 0\n",
		  "t.log:4: the waits add up to more than 100 years" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct iolog log;
		char err[512] = "";
		int ret = parse_str(&log, cases[i].text, err, sizeof(err));

		if (ret != -EINVAL || !strstr(err, cases[i].want))
			fail_msg("case %zu: ret %d, err '%s', want '%s'", i, ret, err, cases[i].want);
		assert_int_equal(log.nr, 0);
		assert_null(log.files);
	}
}

static void test_missing_file(void **state)
{
	struct iolog log;
	char err[512];

	(void)state;
	assert_int_equal(iolog_load(&log, "/nonexistent-dir/x.log", err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "/nonexistent-dir/x.log"));
}

static void test_replay_order(void **state)
{
	struct iolog log;
	struct job job;
	struct job_file files[2] = { { .path = "a" }, { .path = "b" } };
	struct io_u u;
	char err[256];
	uint64_t t0;

	(void)state;
	assert_int_equal(parse_str(&log,
				   "fio version 3 iolog\n"
				   "0 a add\n0 b add\n"
				   "0 b write 4096 4096\n"
				   "1000 a read 0 512\n"
				   "30000 b sync 0 0\n",
				   err, sizeof(err)),
			 0);
	memset(&job, 0, sizeof(job));
	job.files = files;
	job.nr_files = 2;
	t0 = clock_now_ns();
	assert_int_equal(iolog_replay_next(&log, &job, &u), 0);
	assert_ptr_equal(u.file, &files[1]);
	assert_int_equal(u.ddir, DDIR_WRITE);
	assert_int_equal(u.offset, 4096);
	assert_int_equal(u.buflen, 4096);
	assert_int_equal(iolog_replay_next(&log, &job, &u), 0);
	assert_ptr_equal(u.file, &files[0]);
	assert_int_equal(u.ddir, DDIR_READ);
	assert_int_equal(u.buflen, 512);
	assert_int_equal(iolog_replay_next(&log, &job, &u), 0);
	assert_int_equal(u.ddir, DDIR_SYNC);
	/* the sync is logged 30 ms after the first I/O: replay waited for it */
	assert_true(clock_now_ns() - t0 >= 29 * NS_PER_MS);
	assert_int_equal(iolog_replay_next(&log, &job, &u), 1);
	assert_int_equal(iolog_replay_next(&log, &job, &u), 1);

	/* no_stall: the same log again without waiting; a stop ends it early */
	log.next = 0;
	log.start_ns = 0;
	log.no_stall = true;
	for (int i = 0; i < 3; i++)
		assert_int_equal(iolog_replay_next(&log, &job, &u), 0);
	log.next = 0;
	log.start_ns = 0;
	log.no_stall = false;
	assert_int_equal(iolog_replay_next(&log, &job, &u), 0);
	clock_sleep_until(clock_now_ns() + 2 * NS_PER_MS);
	job.stop = 1;
	assert_int_equal(iolog_replay_next(&log, &job, &u), 0); /* 1 ms: due already */
	assert_int_equal(iolog_replay_next(&log, &job, &u), 1); /* 30 ms: stopped */
	iolog_free(&log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),   cmocka_unit_test(test_unwritable),
		cmocka_unit_test(test_v3_times),     cmocka_unit_test(test_v2_wait),
		cmocka_unit_test(test_bad_lines),    cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_replay_order),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
