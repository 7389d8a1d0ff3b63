/* backend/job.c: runstate letters, names, legal transitions, job errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "backend/job.h"

struct letter_case {
	enum runstate rs;
	unsigned rw;
	bool failed;
	char want;
};

static const struct letter_case letters[] = {
	{ RS_NOT_CREATED, RW_READ, false, 'P' },
	{ RS_CREATED, RW_READ, false, 'C' },
	{ RS_INITIALIZED, RW_READ, false, 'I' },
	{ RS_RAMP, RW_READ, false, '/' },
	{ RS_RUNNING, RW_READ, false, 'R' },
	{ RS_RUNNING, RW_READ | RW_RAND, false, 'r' },
	{ RS_RUNNING, RW_WRITE, false, 'W' },
	{ RS_RUNNING, RW_WRITE | RW_RAND, false, 'w' },
	{ RS_RUNNING, RW_READ | RW_WRITE, false, 'M' },
	{ RS_RUNNING, RW_READ | RW_WRITE | RW_RAND, false, 'm' },
	{ RS_RUNNING, RW_TRIM, false, 'D' },
	{ RS_RUNNING, RW_TRIM | RW_RAND, false, 'd' },
	{ RS_RUNNING, RW_TRIM | RW_WRITE, false, 'W' }, /* trimwrite, as fio */
	{ RS_VERIFYING, RW_WRITE, false, 'V' },
	{ RS_FSYNCING, RW_WRITE, false, 'F' },
	{ RS_FINISHING, RW_WRITE, false, 'f' },
	{ RS_EXITED, RW_WRITE, false, 'E' },
	{ RS_EXITED, RW_WRITE, true, 'E' },
	{ RS_REAPED, RW_WRITE, false, '_' },
	{ RS_REAPED, RW_WRITE, true, 'X' },
};

static void test_letters(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(letters) / sizeof(letters[0]); i++) {
		const struct letter_case *c = &letters[i];
		char got = runstate_letter(c->rs, c->rw, c->failed);

		if (got != c->want)
			fprintf(stderr, "case %zu: rs %d rw %u: got %c want %c\n", i, c->rs, c->rw,
				got, c->want);
		assert_int_equal(got, c->want);
	}
	assert_int_equal(runstate_letter((enum runstate)99, 0, false), '?');
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(runstate_name(RS_RUNNING), "running");
	assert_string_equal(runstate_name(RS_REAPED), "reaped");
	assert_string_equal(runstate_name((enum runstate)-1), "unknown");
	for (int s = 0; s < RS_NR; s++)
		assert_true(strlen(runstate_name((enum runstate)s)) > 0);
}

struct move_case {
	enum runstate from, to;
	bool ok;
};

static const struct move_case moves[] = {
	{ RS_NOT_CREATED, RS_CREATED, true },
	{ RS_CREATED, RS_INITIALIZED, true },
	{ RS_INITIALIZED, RS_RAMP, true },
	{ RS_INITIALIZED, RS_RUNNING, true },   /* no ramp */
	{ RS_RAMP, RS_RUNNING, true },
	{ RS_RUNNING, RS_VERIFYING, true },
	{ RS_RUNNING, RS_FSYNCING, true },      /* skips verify */
	{ RS_RUNNING, RS_FINISHING, true },     /* skips verify and fsync */
	{ RS_VERIFYING, RS_FSYNCING, true },
	{ RS_FSYNCING, RS_FINISHING, true },
	{ RS_FINISHING, RS_EXITED, true },
	{ RS_EXITED, RS_REAPED, true },
	{ RS_NOT_CREATED, RS_EXITED, true },    /* stopped before starting */
	{ RS_CREATED, RS_EXITED, true },        /* setup failed */
	{ RS_RAMP, RS_EXITED, true },
	{ RS_RUNNING, RS_EXITED, true },
	/* illegal */
	{ RS_RUNNING, RS_RAMP, false },         /* backwards */
	{ RS_RUNNING, RS_RUNNING, false },
	{ RS_EXITED, RS_RUNNING, false },
	{ RS_REAPED, RS_NOT_CREATED, false },
	{ RS_REAPED, RS_EXITED, false },
	{ RS_NOT_CREATED, RS_RUNNING, false },  /* skips created/initialized */
	{ RS_CREATED, RS_RUNNING, false },
	{ RS_RUNNING, RS_REAPED, false },       /* must exit first */
	{ RS_NOT_CREATED, RS_REAPED, false },
	{ RS_FINISHING, RS_FSYNCING, false },
	{ RS_INITIALIZED, RS_FINISHING, false }, /* never ran */
	{ (enum runstate)-1, RS_CREATED, false },
	{ RS_CREATED, RS_NR, false },
};

static void test_moves(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(moves) / sizeof(moves[0]); i++) {
		bool got = runstate_can_move(moves[i].from, moves[i].to);

		if (got != moves[i].ok)
			fprintf(stderr, "case %zu: %d -> %d: got %d\n", i, moves[i].from,
				moves[i].to, got);
		assert_int_equal(got, moves[i].ok);
	}
}

static void test_job_error(void **state)
{
	struct job *job = calloc(1, sizeof(*job));

	(void)state;
	job_set_error(job, 5, "%s: read at offset %d: %s", "/tmp/x", 4096, "Input/output error");
	assert_int_equal(job->error, 5);
	assert_string_equal(job->errmsg, "/tmp/x: read at offset 4096: Input/output error");
	/* first error wins */
	job_set_error(job, 28, "later");
	assert_int_equal(job->error, 5);
	assert_string_equal(job->errmsg, "/tmp/x: read at offset 4096: Input/output error");
	free(job);

	job = calloc(1, sizeof(*job));
	job_set_error(job, -12, "negative errno stored positive");
	assert_int_equal(job->error, 12);
	free(job);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_letters),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_moves),
		cmocka_unit_test(test_job_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
