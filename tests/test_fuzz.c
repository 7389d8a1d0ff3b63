/* tests/fuzz: replays the fuzzing seed corpus (tests/fuzz/corpus/) and every
 * input that once crashed the harness (tests/fuzz/regress/) through the
 * same code libFuzzer runs (tests/fuzz/fuzz_jobfile.c), so a fixed crash
 * stays fixed in `make test` and `make check-asan` without clang. */
#include <dirent.h>
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

#define FUZZ_NO_ENTRY
#include "tests/fuzz/fuzz_jobfile.c"

/* Runs from the repository root. */
static int setup(void **state)
{
	fuzz_env();
	if (chdir_to_tree("tests/fuzz/corpus"))
		return -1;
	return access("tests/fuzz/corpus", R_OK) ? -1 : 0;
}

/* Feeds every file in @dir to fuzz_one(); returns how many. */
static int replay(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		char path[4096];
		FILE *f;
		uint8_t *buf;
		long len;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		f = fopen(path, "rb");
		assert_non_null(f);
		assert_int_equal(fseek(f, 0, SEEK_END), 0);
		len = ftell(f);
		assert_true(len >= 0);
		rewind(f);
		buf = malloc((size_t)len + 1);
		assert_non_null(buf);
		assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
		fclose(f);
		fuzz_one(buf, (size_t)len);
		free(buf);
		n++;
	}
	closedir(d);
	return n;
}

static void test_corpus(void **state)
{
	/* the seeds: fixtures and profiles, good and bad */
	assert_true(replay("tests/fuzz/corpus") >= 10);
}

static void test_regress(void **state)
{
	/* one file per input that once crashed, hung or blew up the harness */
	assert_true(replay("tests/fuzz/regress") >= 1);
}

/* Found by fuzzing: 60 sections of numjobs=4096 made 245760 deep copies
 * (minutes, GBs) and would have started as many threads. Now capped. */
static void test_jobs_max(void **state)
{
	struct job_list l;
	char err[512];

	job_list_init(&l);
	assert_int_equal(jobfile_load_text(&l, "t", "[a]\nnumjobs=4096\n[b]\n", err,
					   sizeof(err)), 0);
	assert_int_equal(job_list_finalize(&l, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "4097 jobs in all"));
	assert_non_null(strstr(err, "at most 4096"));
	job_list_free(&l);

	job_list_init(&l);
	assert_int_equal(jobfile_load_text(&l, "t", "[a]\nnumjobs=4095\n[b]\n", err,
					   sizeof(err)), 0);
	assert_int_equal(job_list_finalize(&l, err, sizeof(err)), 0);
	assert_int_equal(l.nr, 4096);
	/* finalize again does not count the clones twice */
	assert_int_equal(job_list_finalize(&l, err, sizeof(err)), 0);
	job_list_free(&l);
}

/* The round trip the harness checks holds for a plain file. */
static void test_round_trip(void **state)
{
	static const char job[] = "[global]\nbs=${FUZZ_BS}\n[a]\nrw=randread\nsize=1m\n"
				  "inject_error=EIO:1%\n";

	setenv("FUZZ_BS", "4k", 1);
	fuzz_one((const uint8_t *)job, sizeof(job) - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus),
		cmocka_unit_test(test_regress),
		cmocka_unit_test(test_jobs_max),
		cmocka_unit_test(test_round_trip),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
