/* backend/source.h and the screens behind it.
 *
 * A fake source kind (a few lines below: status snapshots, options, a
 * sample store, a pipe for a wake fd, no commands) drives the dashboard on
 * an off-screen curses screen opened on /dev/null, read back row by row:
 * the screens need nothing but the source. Then the source's own contract:
 * source_new vets a kind's table, commands a kind lacks answer -ENOTSUP,
 * and the local kind over a real backend (null engine, nothing on disk)
 * bumps its generation counter on every change a front end must see and
 * computes progress once. */
#include <errno.h>
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "backend/backend.h"
#include "backend/jobfile.h"
#include "backend/samples.h"
#include "backend/source.h"
#include "lib/clock.h"
#include "tui/app.h"
#include "tui/tui.h"
#include "lib/units.h"

/* ------------------------------------------------------------ fake kind */

#define FAKE_JOBS 3

struct fake {
	struct source_status st[FAKE_JOBS];
	struct job_opts o[FAKE_JOBS];
	struct sample_store *ss;
	int pipe[2];
	uint64_t run_start;
};

static struct fake *fk(struct source *s)
{
	return s->priv;
}

static unsigned f_njobs(struct source *s)
{
	(void)s;
	return FAKE_JOBS;
}

static int f_status(struct source *s, unsigned id, struct source_status *out)
{
	*out = fk(s)->st[id];
	return 0;
}

static uint64_t f_gen(struct source *s)
{
	uint64_t g = 0;

	for (unsigned i = 0; i < FAKE_JOBS; i++)
		g += fk(s)->st[i].gen;
	return g;
}

static struct sample_store *f_samples(struct source *s)
{
	return fk(s)->ss;
}

static int f_wake_fd(struct source *s)
{
	return fk(s)->pipe[0];
}

static void f_drain(struct source *s)
{
	char b[16];

	while (read(fk(s)->pipe[0], b, sizeof(b)) > 0)
		;
}

static const struct job_opts *f_opts(struct source *s, unsigned id)
{
	return &fk(s)->o[id];
}

static uint64_t f_run_start(struct source *s)
{
	return fk(s)->run_start;
}

static bool f_running(struct source *s)
{
	for (unsigned i = 0; i < FAKE_JOBS; i++)
		if (fk(s)->st[i].runstate < RS_EXITED)
			return true;
	return false;
}

/* a recording being watched: live figures, no commands */
static const struct source_ops fake_ops = {
	.kind = "fake",
	.caps = SRC_CAP_LIVE,
	.njobs = f_njobs,
	.status = f_status,
	.gen = f_gen,
	.samples = f_samples,
	.wake_fd = f_wake_fd,
	.drain_wake = f_drain,
	.opts = f_opts,
	.run_start_ns = f_run_start,
	.running = f_running,
};

static void fake_job(struct fake *f, unsigned id, const char *label, enum runstate rs,
		     double done)
{
	struct source_status *st = &f->st[id];

	memset(st, 0, sizeof(*st));
	st->id = id;
	st->nclones = 1;
	snprintf(st->name, sizeof(st->name), "%s", label);
	snprintf(st->label, sizeof(st->label), "%s", label);
	snprintf(st->host, sizeof(st->host), "fakehost");
	st->runstate = rs;
	st->rw = (RW_READ | RW_WRITE | RW_RAND);
	st->started_ns = f->run_start;
	st->done = done;
	st->eta_s = rs < RS_EXITED ? 30 : 0;
	st->gen = 1;
	opts_init(&f->o[id]);
	f->o[id].rw = (RW_READ | RW_WRITE | RW_RAND);
}

/* ------------------------------------------------------ off-screen curses */

static SCREEN *scr;
static FILE *scr_out, *scr_in;

static int setup(void **state)
{
	(void)state;
	setlocale(LC_ALL, "C");
	setenv("LINES", "40", 1);
	setenv("COLUMNS", "120", 1);
	setenv("NO_COLOR", "1", 1);
	scr_out = fopen("/dev/null", "w");
	scr_in = fopen("/dev/null", "r");
	if (!scr_out || !scr_in)
		return -1;
	scr = newterm("xterm", scr_out, scr_in);
	if (!scr)
		scr = newterm("vt100", scr_out, scr_in);
	if (!scr)
		return -1;
	set_term(scr);
	widget_glyphs = &glyphs_ascii;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	endwin();
	delscreen(scr);
	fclose(scr_out);
	fclose(scr_in);
	return 0;
}

/* Whether any row of stdscr holds @text. */
static bool screen_has(const char *text)
{
	char row[512];
	int rows, cols;

	getmaxyx(stdscr, rows, cols);
	for (int y = 0; y < rows; y++) {
		int n = mvwinnstr(stdscr, y, 0, row, cols < 511 ? cols : 511);

		if (n > 0 && strstr(row, text))
			return true;
	}
	return false;
}

/* The attributes of the first cell of @text on stdscr (0 when absent). */
static attr_t screen_attr(const char *text)
{
	char row[512];
	int rows, cols;

	getmaxyx(stdscr, rows, cols);
	for (int y = 0; y < rows; y++) {
		char *p;

		if (mvwinnstr(stdscr, y, 0, row, cols < 511 ? cols : 511) > 0 &&
		    (p = strstr(row, text)))
			return mvwinch(stdscr, y, (int)(p - row)) & A_ATTRIBUTES;
	}
	return 0;
}

static void dump_screen(void)
{
	char row[512];
	int rows, cols;

	getmaxyx(stdscr, rows, cols);
	for (int y = 0; y < rows; y++)
		if (mvwinnstr(stdscr, y, 0, row, cols < 511 ? cols : 511) > 0)
			fprintf(stderr, "|%s\n", row);
}

#define assert_screen(text)                                                                       \
	do {                                                                                      \
		if (!screen_has(text)) {                                                          \
			dump_screen();                                                            \
			fail_msg("not on screen: '%s'", text);                                     \
		}                                                                                 \
	} while (0)

/* The dashboard from the fake source: table rows, runstates, progress,
 * the latest sample's figures, a failure's message, change detection by
 * generation, and commands greyed out for a kind that lacks them. */
static void test_dash_from_fake_source(void **state)
{
	struct fake *f = calloc(1, sizeof(*f));
	struct job_list jobs;
	struct source *src;
	struct tui_args args;
	struct app *a = calloc(1, sizeof(*a));
	struct sample smp;
	char iops[32];

	(void)state;
	assert_non_null(f);
	assert_non_null(a);
	assert_int_equal(pipe(f->pipe), 0);
	f->ss = samples_new();
	assert_non_null(f->ss);
	f->run_start = clock_now_ns() > 5 * NS_PER_SEC ? clock_now_ns() - 5 * NS_PER_SEC : 1;
	fake_job(f, 0, "alpha", RS_RUNNING, 0.5);
	fake_job(f, 1, "bravo", RS_RAMP, 0.1);
	fake_job(f, 2, "charlie", RS_NOT_CREATED, 0);
	memset(&smp, 0, sizeof(smp));
	smp.t_start = 1000000;
	smp.t_end = 2000000;
	smp.job = 0;
	smp.runstate = RS_RUNNING;
	smp.dir[DDIR_READ].iops = 2000;
	smp.dir[DDIR_WRITE].iops = 1000;
	smp.dir[DDIR_READ].bw = 2000 * 4096.0f;
	smp.dir[DDIR_WRITE].bw = 1000 * 4096.0f;
	smp.dir[DDIR_READ].lat_p99 = 250000;
	samples_append(f->ss, &smp);
	assert_int_equal(source_new(&fake_ops, f, &src), 0);

	job_list_init(&jobs);
	memset(&args, 0, sizeof(args));
	args.src = src;
	args.jobs = &jobs;
	assert_int_equal(app_open(a, &args), 0);
	assert_true(app_tick(a));
	assert_screen("alpha");
	assert_screen("bravo");
	assert_screen("charlie");
	assert_screen("running");
	assert_screen("ramp");
	assert_screen("50%");
	units_fmt(iops, sizeof(iops), 3000.0, UNIT_NONE);
	assert_screen(iops);
	assert_screen("ETA");
	/* the commands this kind lacks are greyed out, the others not */
	assert_true(screen_attr("F5Start") & A_DIM);
	assert_true(screen_attr("F7Restart") & A_DIM);
	assert_true(screen_attr("dQD") & A_DIM);
	assert_false(screen_attr("F3Results") & A_DIM);
	assert_false(screen_has("not started"));

	/* nothing changed: nothing is drawn (the clock's second aside, which
	 * only moves while jobs run, so stop them first) */
	f->st[0].runstate = f->st[1].runstate = f->st[2].runstate = RS_EXITED;
	f->st[0].gen++;
	f->st[0].done = f->st[1].done = f->st[2].done = 1.0;
	assert_true(app_tick(a));
	assert_false(app_tick(a));
	assert_false(app_tick(a));

	/* a failure: the gen bumps, the row says failed, a dialog the why */
	f->st[1].error = EIO;
	snprintf(f->st[1].errmsg, sizeof(f->st[1].errmsg), "bravo.dat: read: Input/output error");
	f->st[1].gen++;
	assert_true(app_tick(a));
	assert_screen("failed");
	assert_screen("bravo.dat: read: Input/output error");
	app_dialog(a, NULL, DLG_NONE, 0);

	/* a kind without start, stop, restart or knobs refuses them kindly */
	act_start(a, false);
	assert_non_null(strstr(a->msg, "does not start jobs"));
	act_stop(a, 0);
	assert_non_null(strstr(a->msg, "does not stop jobs"));
	act_restart(a, 0);
	act_knob_prompt(a, 0);
	assert_null(a->dlg);
	assert_true(app_tick(a));

	app_close(a);
	source_free(src);
	for (unsigned i = 0; i < FAKE_JOBS; i++)
		opts_free(&f->o[i]);
	samples_free(f->ss);
	close(f->pipe[0]);
	close(f->pipe[1]);
	job_list_free(&jobs);
	free(f);
	free(a);
}

/* source_new refuses a table missing a required hook or a command its
 * caps promise; a kind without a command answers -ENOTSUP with a reason. */
static void test_source_new_checks(void **state)
{
	struct source_ops ops = fake_ops;
	struct fake f;
	struct source *s = (struct source *)1;
	char err[128] = "";

	(void)state;
	memset(&f, 0, sizeof(f));
	ops.status = NULL;
	assert_int_equal(source_new(&ops, &f, &s), -EINVAL);
	assert_null(s);
	ops = fake_ops;
	ops.caps |= SRC_CAP_START;
	assert_int_equal(source_new(&ops, &f, &s), -EINVAL);
	ops = fake_ops;
	ops.caps |= SRC_CAP_KNOBS;
	assert_int_equal(source_new(&ops, &f, &s), -EINVAL);
	assert_int_equal(source_new(&fake_ops, &f, &s), 0);
	assert_string_equal(source_kind(s), "fake");
	assert_false(source_can(s, SRC_CAP_START));
	assert_true(source_can(s, SRC_CAP_LIVE));
	assert_int_equal(source_start(s), -ENOTSUP);
	assert_int_equal(source_stop(s, -1), -ENOTSUP);
	assert_int_equal(source_set_knobs(s, 0, 1, "iodepth", "4", err, sizeof(err)), -ENOTSUP);
	assert_non_null(strstr(err, "fake"));
	assert_int_equal(source_load(s, NULL, err, sizeof(err)), -ENOTSUP);
	assert_int_equal(source_status(s, FAKE_JOBS, &(struct source_status){ 0 }), -ENOENT);
	assert_null(source_opts(s, FAKE_JOBS));
	source_free(s);
}

/* The local kind over a real backend: null engine, nothing on disk. */
static void load_null(struct job_list *l, const char *text)
{
	char err[512] = "";
	int rc = jobfile_load_text(l, "test", text, err, sizeof(err));

	if (!rc)
		rc = job_list_finalize(l, err, sizeof(err));
	if (rc)
		fail_msg("%s", err);
}

static void test_local_gen_and_progress(void **state)
{
	struct backend_config cfg = { .status_interval_ms = 100 };
	struct backend *be = backend_new(&cfg);
	struct source *s;
	struct source_status st, st2;
	struct job_list l;
	struct job_knobs kn;
	char err[256] = "";
	uint64_t g0, g1;

	(void)state;
	assert_non_null(be);
	s = source_local_new(be);
	assert_non_null(s);
	assert_string_equal(source_kind(s), "local");
	assert_true(source_can(s, SRC_CAP_START | SRC_CAP_STOP | SRC_CAP_RESTART | SRC_CAP_KNOBS));
	job_list_init(&l);
	load_null(&l, "[a]\nioengine=null\nrw=randrw\nsize=64m\nbs=4k\nnumjobs=2\n"
		      "[b]\nioengine=null\nrw=read\nsize=1m\nloops=1000000\n");
	g0 = source_gen(s);
	assert_int_equal(source_load(s, &l, err, sizeof(err)), 0);
	g1 = source_gen(s);
	assert_true(g1 != g0); /* a load changes the job set */
	assert_int_equal(source_njobs(s), 3);
	assert_int_equal(source_status(s, 1, &st), 0);
	assert_string_equal(st.label, "a.1");
	assert_string_equal(st.name, "a");
	assert_string_equal(st.host, "local");
	assert_int_equal(st.clone, 1);
	assert_int_equal(st.nclones, 2);
	assert_int_equal(st.runstate, RS_NOT_CREATED);
	assert_true(st.done == 0.0);
	assert_non_null(source_opts(s, 2));
	assert_int_equal(source_opts(s, 2)->rw, RW_READ);

	/* nothing happens: the gen stays */
	assert_int_equal(source_status(s, 2, &st), 0);
	assert_int_equal(source_status(s, 2, &st2), 0);
	assert_true(st.gen == st2.gen);
	assert_true(source_gen(s) == g1);

	assert_int_equal(source_start(s), 0);
	/* a knob: that job's gen moves, and the value reads back */
	while (source_status(s, 2, &st), st.runstate < RS_RUNNING && st.runstate < RS_EXITED)
		usleep(1000);
	if (st.runstate == RS_RUNNING) {
		g1 = st.gen;
		assert_int_equal(source_set_knobs(s, 2, 1, "iodepth", "8", err, sizeof(err)), 0);
		assert_int_equal(source_status(s, 2, &st), 0);
		assert_true(st.gen > g1);
		assert_int_equal(source_knobs(s, 2, &kn), 0);
		assert_int_equal(kn.iodepth, 8);
	}
	/* not a live knob: refused, naming the live ones from the table */
	assert_int_equal(source_set_knobs(s, 2, 1, "size", "1m", err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "not a live knob"));
	assert_non_null(strstr(err, "iodepth"));
	assert_non_null(strstr(err, "rate_iops"));

	g1 = source_gen(s);
	assert_int_equal(source_stop(s, -1), 0);
	assert_true(source_gen(s) > g1); /* stopping shows at once */
	assert_int_equal(source_reap(s), 0);
	for (unsigned i = 0; i < 3; i++) {
		assert_int_equal(source_status(s, i, &st), 0);
		assert_true(st.runstate >= RS_EXITED);
		assert_int_equal(st.error, 0);
		assert_true(st.done == 1.0);
		assert_true(st.eta_s == 0);
	}
	source_free(s);
	backend_free(be);
	job_list_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dash_from_fake_source),
		cmocka_unit_test(test_source_new_checks),
		cmocka_unit_test(test_local_gen_and_progress),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
