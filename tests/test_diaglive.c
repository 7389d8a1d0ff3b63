/* The diagnose runner hands its progress callback the running step's
 * points (diagnose.h), so a front end draws them without reaching into the
 * step's backend: they are what the step's record will hold (the same
 * samples, the same arithmetic), none outside a running step. One step on
 * a scratch file under $TEST_TMP, then the battery is stopped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "backend/diagnose.h"
#include "tests/scratch.h"

struct seen {
	struct diagnose_point last[DIAG_MAX_POINTS];
	unsigned nlast, ticks, with_points, done;
	bool checked;
};

static int on_progress(const struct diagnose_progress *p, void *arg)
{
	struct seen *s = arg;

	assert_true(p->npoints <= DIAG_MAX_POINTS);
	switch (p->phase) {
	case DIAG_PHASE_STEP_START:
		assert_int_equal(p->npoints, 0);
		s->nlast = 0;
		break;
	case DIAG_PHASE_TICK:
		s->ticks++;
		if (p->npoints) {
			assert_non_null(p->points);
			s->with_points++;
			for (unsigned i = 0; i < p->npoints; i++)
				assert_true(p->points[i].dur_s > 0);
		}
		memcpy(s->last, p->points ? p->points : s->last, p->npoints * sizeof(*p->points));
		s->nlast = p->npoints;
		break;
	case DIAG_PHASE_STEP_DONE:
		s->done++;
		assert_null(p->points);
		assert_int_equal(p->npoints, 0);
		/* a short step: the points seen live begin the record */
		if (p->step->nr_points < DIAG_MAX_POINTS) {
			assert_true(s->nlast <= p->step->nr_points);
			for (unsigned i = 0; i < s->nlast; i++) {
				assert_true(s->last[i].t_s == p->step->points[i].t_s);
				assert_true(s->last[i].ios == p->step->points[i].ios);
				assert_true(s->last[i].lat_p99_us == p->step->points[i].lat_p99_us);
			}
			s->checked = true;
		}
		return 1; /* one step is enough */
	default:
		assert_null(p->points);
		assert_int_equal(p->npoints, 0);
		break;
	}
	return 0;
}

static void test_live_points(void **state)
{
	struct diagnose_result *r = calloc(1, sizeof(*r));
	struct seen *seen = calloc(1, sizeof(*seen));
	struct diagnose_cfg cfg = { .runtime_s = 0.6, .size = 16 << 20, .tick_ms = 100,
				    .ioengine = "psync", .progress = on_progress };
	char dir[512], path[600], err[512] = "";

	(void)state;
	assert_non_null(r);
	assert_non_null(seen);
	assert_int_equal(scratch_dir_make(dir, sizeof(dir), "iolab-diaglive"), 0);
	snprintf(path, sizeof(path), "%s/scratch.dat", dir);
	cfg.target = path;
	cfg.progress_arg = seen;
	if (diagnose_run(&cfg, r, err, sizeof(err)))
		fail_msg("diagnose_run: %s", err);
	assert_int_equal(seen->done, 1);
	assert_true(seen->checked);
	scratch_dir_remove(dir);
	free(seen);
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_live_points),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
