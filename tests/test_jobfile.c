/* backend/jobfile: fio job files and command lines into job lists.
 * [global] inheritance (a second [global] changes only later jobs), bare
 * keys, comments, includes (relative, nested, top level), ${VAR},
 * numjobs clones, stonewall/new_group groups, section order and case,
 * every refusal with its exact file:line (fixtures tests/jobs/bad_*.fio),
 * the command line, and saved files that fio 3.33 itself accepts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "tests/scratch.h"

#include "backend/jobfile.h"

static char scratch[1024];

static size_t idx_of(const char *name)
{
	const struct opt_def *d = opt_find(name);

	if (!d)
		fail_msg("no option %s", name);
	return opt_index(d);
}

/* Runs from the repository root (fixtures are tests/jobs/...). */
static int setup(void **state)
{
	(void)state;
	if (chdir_to_tree("tests/jobs/basic.fio"))
		return -1;
	if (access("tests/jobs/basic.fio", R_OK)) {
		fprintf(stderr, "cannot find tests/jobs/basic.fio\n");
		return -1;
	}
	return scratch_dir_make(scratch, sizeof(scratch), "iolab-jobfile");
}

static int teardown(void **state)
{
	(void)state;
	return scratch_dir_remove(scratch);
}

static void load_ok(struct job_list *l, const char *path)
{
	char err[1024];

	job_list_init(l);
	if (jobfile_load(l, path, err, sizeof(err)))
		fail_msg("%s: %s", path, err);
	if (job_list_finalize(l, err, sizeof(err)))
		fail_msg("%s: finalize: %s", path, err);
}

static void text_ok(struct job_list *l, const char *text)
{
	char err[1024];

	job_list_init(l);
	if (jobfile_load_text(l, "mem.fio", text, err, sizeof(err)))
		fail_msg("load: %s\n--- text ---\n%s", err, text);
	if (job_list_finalize(l, err, sizeof(err)))
		fail_msg("finalize: %s", err);
}

/* Loads @text and expects a refusal containing @want. */
static void text_bad(const char *text, const char *want)
{
	struct job_list l;
	char err[1024] = "";
	int r;

	job_list_init(&l);
	r = jobfile_load_text(&l, "mem.fio", text, err, sizeof(err));
	if (!r)
		r = job_list_finalize(&l, err, sizeof(err));
	if (!r)
		fail_msg("accepted, want '%s':\n%s", want, text);
	if (!strstr(err, want))
		fail_msg("error '%s' lacks '%s'", err, want);
	job_list_free(&l);
}

/* -------------------------------------------------- compat warnings */

/* fio options iolab accepts without effect load, and each is named once
 * with its file and line; options with an effect give no warning. */
static void test_compat_warnings(void **state)
{
	struct job_list l;

	(void)state;
	text_ok(&l, "[global]\ngtod_reduce=1\nioengine=null\n\n"
		    "[a]\nnumjobs=2\npre_read\nsize=1m\n[b]\nsize=1m\n");
	assert_int_equal(l.nr, 3);
	assert_non_null(l.warnings);
	assert_non_null(strstr(l.warnings, "mem.fio:2: gtod_reduce: accepted for fio "
					   "compatibility, no effect"));
	assert_non_null(strstr(l.warnings, "mem.fio:7: pre_read:"));
	/* said once although [global] reaches two sections and a clone */
	assert_null(strstr(strstr(l.warnings, "gtod_reduce") + 1, "gtod_reduce"));
	assert_null(strstr(l.warnings, "size"));
	job_list_free(&l);

	text_ok(&l, "[a]\nioengine=null\nsize=1m\n");
	assert_null(l.warnings);
	job_list_free(&l);
}

/* ------------------------------------------------------------ basic.fio */

static void test_basic(void **state)
{
	static const struct {
		const char *section;
		unsigned clone, group;
		int line;
	} want[] = {
		{ "seq-read", 0, 0, 15 }, { "Mixed-70-30", 0, 1, 20 }, { "split", 0, 1, 27 },
		{ "clones", 0, 2, 37 },	  { "clones", 1, 2, 37 },      { "clones", 2, 2, 37 },
		{ "psync-read", 0, 3, 42 },
	};
	struct job_list l;
	const struct job_opts *o;

	load_ok(&l, "tests/jobs/basic.fio");
	assert_int_equal(l.nr, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < l.nr; i++) {
		const struct job_spec *s = &l.jobs[i];

		if (strcmp(s->section, want[i].section) || s->clone != want[i].clone ||
		    s->group != want[i].group || s->src_line != want[i].line)
			fail_msg("job %zu: [%s] clone %u group %u line %d, want [%s] %u %u %d", i,
				 s->section, s->clone, s->group, s->src_line, want[i].section,
				 want[i].clone, want[i].group, want[i].line);
		assert_string_equal(s->src_file, "tests/jobs/basic.fio");
		assert_string_equal(s->opts.name, s->section);
	}
	/* first [global]: ioengine, bs (with a trailing comment), size, bare thread */
	o = &l.jobs[0].opts;
	assert_string_equal(o->ioengine, "null");
	assert_int_equal(o->bs[DDIR_READ], 65536);
	assert_int_equal(o->size, 8 << 20);
	assert_true(o->thread);
	assert_int_equal(o->rw, RW_READ);
	assert_false(o->stonewall);
	assert_int_equal(o->set[idx_of("stonewall")], 0);
	assert_int_equal(o->set[idx_of("thread")], 1);
	o = &l.jobs[1].opts;
	assert_true(o->stonewall);
	assert_int_equal(o->rw, RW_READ | RW_WRITE | RW_RAND);
	assert_int_equal(o->rwmixread, 70);
	assert_int_equal(o->size, 16 << 20);
	assert_true(o->norandommap);
	assert_int_equal(o->bs[DDIR_WRITE], 4096); /* the second [global] comes later */
	o = &l.jobs[2].opts;
	assert_int_equal(o->nr_bssplit[DDIR_WRITE], 3);
	assert_int_equal(o->bssplit[DDIR_WRITE][2].bs, 65536);
	assert_true(o->bssplit[DDIR_WRITE][2].perc == 20);
	assert_int_equal(o->size, 4 << 20);
	/* second [global]: bs and size change, the rest stays */
	o = &l.jobs[3].opts;
	assert_int_equal(o->bs[DDIR_WRITE], 8192);
	assert_int_equal(o->size, 2 << 20);
	assert_string_equal(o->ioengine, "null");
	assert_true(o->thread);
	assert_true(o->new_group);
	assert_int_equal(o->numjobs, 3);
	assert_ptr_not_equal(l.jobs[3].opts.name, l.jobs[4].opts.name); /* deep copies */
	o = &l.jobs[6].opts;
	assert_string_equal(o->ioengine, "psync");
	assert_string_equal(o->filename, "/tmp/iolab-basic.dat");
	assert_int_equal(o->size, 4 << 20);
	/* the last [global] is kept for the editor and saving */
	assert_int_equal(l.global.bs[DDIR_READ], 8192);
	job_list_free(&l);
}

/* ------------------------------------------------ comments, bare keys */

static void test_comments(void **state)
{
	struct job_list l;

	text_ok(&l, "; leading comment\n"
		    "# hash comment\n"
		    "   ; indented comment\n"
		    "[a] ; after the header\n"
		    "ioengine=null ; trailing\n"
		    "size=1m# no space needed (as fio)\n"
		    "description=first;second\n"
		    "  bs = 8k  \n"
		    "\n"
		    "rw=write\r\n");
	assert_int_equal(l.nr, 1);
	assert_string_equal(l.jobs[0].section, "a");
	assert_int_equal(l.jobs[0].opts.size, 1 << 20);
	assert_string_equal(l.jobs[0].opts.description, "first");
	assert_int_equal(l.jobs[0].opts.bs[DDIR_READ], 8192);
	assert_int_equal(l.jobs[0].opts.rw, RW_WRITE);
	job_list_free(&l);
}

static void test_bare_keys(void **state)
{
	struct job_list l;

	text_ok(&l, "[global]\nioengine=null\nwrite_iops_log\ngroup_reporting\n"
		    "[first]\ntime_based\nruntime=1\nwrite_bw_log\nverify_state_save\n"
		    "[second]\nname=renamed\n");
	assert_int_equal(l.nr, 2);
	assert_true(l.jobs[0].opts.time_based);
	assert_true(l.jobs[0].opts.group_reporting);
	assert_string_equal(l.jobs[0].opts.write_bw_log, "first");
	assert_string_equal(l.jobs[0].opts.write_iops_log, "first");
	assert_string_equal(l.jobs[0].opts.verify_state_save, "1");
	assert_string_equal(l.jobs[1].opts.write_iops_log, "renamed");
	assert_null(l.jobs[1].opts.write_bw_log);
	assert_string_equal(l.jobs[1].section, "second");
	job_list_free(&l);

	text_bad("[a]\nioengine=null\nnumjobs\n", "mem.fio:3: numjobs: needs a value");
	text_bad("[a]\nioengine=null\nfilename\n", "mem.fio:3: filename: needs a value");
}

/* Values iniparser would mangle come through as written. */
static void test_values_verbatim(void **state)
{
	struct job_list l;

	text_ok(&l, "[a]\nioengine=null\nverify_pattern=\"ab\"\n"
		    "description=it's \"quoted\" text\n"
		    "exec_prerun='single'\n"
		    "filename=/tmp/x\\:y\n"
		    "wait_for=\n");
	assert_int_equal(l.jobs[0].opts.verify_pattern_len, 2);
	assert_int_equal(l.jobs[0].opts.verify_pattern[0], 'a');
	assert_string_equal(l.jobs[0].opts.description, "it's \"quoted\" text");
	assert_string_equal(l.jobs[0].opts.exec_prerun, "'single'");
	assert_string_equal(l.jobs[0].opts.filename, "/tmp/x\\:y");
	assert_null(l.jobs[0].opts.wait_for);
	job_list_free(&l);
}

/* -------------------------------------------------- sections and order */

static void test_section_order(void **state)
{
	struct job_list l;
	static const char *const names[] = { "Zeta", "alpha", "MiXeD Case", "w", "w" };

	text_ok(&l, "[global]\nioengine=null\n[Zeta]\n[alpha]\n[ MiXeD Case ]\n[w]\nrw=write\n"
		    "[w]\nrw=randread\n");
	assert_int_equal(l.nr, 5);
	for (size_t i = 0; i < l.nr; i++)
		assert_string_equal(l.jobs[i].section, names[i]);
	assert_int_equal(l.jobs[3].opts.rw, RW_WRITE);
	assert_int_equal(l.jobs[4].opts.rw, RW_READ | RW_RAND);
	assert_int_equal(l.jobs[2].src_line, 5);
	job_list_free(&l);
}

static void test_kb_base_first(void **state)
{
	struct job_list l;

	/* kb_base applies to the whole section wherever it is written (fio) */
	text_ok(&l, "[a]\nioengine=null\nsize=1m\nkb_base=1000\n"
		    "[b]\nioengine=null\nsize=1m\n");
	assert_int_equal(l.jobs[0].opts.size, 1000000);
	assert_int_equal(l.jobs[1].opts.size, 1 << 20);
	job_list_free(&l);
}

/* ----------------------------------------------------- include and env */

static void test_include(void **state)
{
	struct job_list l;

	load_ok(&l, "tests/jobs/include.fio");
	assert_int_equal(l.nr, 1);
	assert_string_equal(l.jobs[0].opts.ioengine, "null");
	assert_int_equal(l.jobs[0].opts.size, 1 << 20);
	assert_int_equal(l.jobs[0].opts.bs[DDIR_READ], 16384); /* nested include */
	assert_int_equal(l.jobs[0].opts.iodepth, 2);
	job_list_free(&l);

	load_ok(&l, "tests/jobs/include_top.fio");
	assert_int_equal(l.nr, 2);
	assert_string_equal(l.jobs[0].section, "from-include");
	assert_string_equal(l.jobs[0].src_file, "tests/jobs/inc/sections.fio");
	assert_int_equal(l.jobs[0].src_line, 6);
	assert_string_equal(l.jobs[1].section, "after");
	assert_int_equal(l.jobs[1].opts.size, 64 << 10); /* the included [global] */
	job_list_free(&l);
}

static void test_env(void **state)
{
	struct job_list l;

	setenv("IOLAB_TEST_BS", "16k", 1);
	setenv("IOLAB_TEST_SIZE", "2m", 1);
	setenv("IOLAB_TEST_RW", "write", 1);
	load_ok(&l, "tests/jobs/env.fio");
	assert_int_equal(l.jobs[0].opts.bs[DDIR_WRITE], 16384);
	assert_int_equal(l.jobs[0].opts.size, 2 << 20);
	assert_int_equal(l.jobs[0].opts.rw, RW_WRITE);
	assert_int_equal(l.jobs[0].opts.rw_seq_nr, 16384);
	job_list_free(&l);

	unsetenv("IOLAB_TEST_SIZE");
	text_bad("[a]\nioengine=null\nsize=${IOLAB_TEST_SIZE}\n",
		 "mem.fio:3: size: environment variable 'IOLAB_TEST_SIZE' is not set");
	text_bad("[a]\nioengine=null\nsize=${IOLAB_TEST_SIZE\n", "mem.fio:3: size: '${' without");
}

/* A variable holding a control character is refused where it is used
 * (file, line, option); before, a newline in it started a line of its own
 * in the text handed to the ini parser, which set another option. */
static void test_env_control(void **state)
{
	struct job_list l;
	char err[1024] = "";
	static const char *const bad[] = { "/x\ne0 = write ;", "/x\ry", "/x\ty", "/x\x1b[2J",
					    "/x\x7f", NULL };

	(void)state;
	for (int i = 0; bad[i]; i++) {
		setenv("IOLAB_TEST_NL", bad[i], 1);
		job_list_init(&l);
		assert_int_equal(jobfile_load(&l, "tests/jobs/env_newline.fio", err, sizeof(err)),
				 -1);
		assert_int_equal(l.nr, 0);
		if (!strstr(err, "tests/jobs/env_newline.fio:7: filename: environment variable "
				 "'IOLAB_TEST_NL' holds a control character"))
			fail_msg("case %d: %s", i, err);
		job_list_free(&l);
	}
	/* an include path from the environment too */
	setenv("IOLAB_TEST_NL", "x\ny", 1);
	text_bad("[a]\nioengine=null\ninclude ${IOLAB_TEST_NL}\n",
		 "mem.fio:3: include: environment variable 'IOLAB_TEST_NL' holds a control");
	/* printable values, UTF-8 included, still expand as written */
	setenv("IOLAB_TEST_NL", "/tmp/caf\xc3\xa9 x;y#z", 1);
	load_ok(&l, "tests/jobs/env_newline.fio");
	assert_string_equal(l.jobs[0].opts.filename, "/tmp/caf\xc3\xa9 x;y#z");
	assert_int_equal(l.jobs[0].opts.rw, RW_READ);
	job_list_free(&l);
	unsetenv("IOLAB_TEST_NL");
}

/* This process's CPU seconds: what a load costs, whatever else the machine
 * runs (wall time on a loaded shared host is not a measure of the code). */
static double cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* 8 includes a level, 15 levels: 8^15 splices before the cap (the load ran
 * for minutes); now refused at the 1025th include, in well under a second,
 * naming the file and line. */
static void test_include_bomb(void **state)
{
	char path[1200], err[1024] = "";
	struct job_list l;
	double t0;
	FILE *f;

	(void)state;
	for (int k = 0; k <= 15; k++) {
		snprintf(path, sizeof(path), "%s/l%d.fio", scratch, k);
		f = fopen(path, "w");
		assert_non_null(f);
		if (k == 0)
			fprintf(f, "[global]\nioengine=null\nsize=4k\n[j]\n");
		for (int i = 0; i < 8 && k < 15; i++)
			fprintf(f, "include l%d.fio\n", k + 1);
		if (k == 15)
			fprintf(f, "bs=4k\n");
		fclose(f);
	}
	snprintf(path, sizeof(path), "%s/l0.fio", scratch);
	job_list_init(&l);
	t0 = cpu_s();
	assert_int_equal(jobfile_load(&l, path, err, sizeof(err)), -1);
	/* the cap is what the messages below check; this only catches a cap
	 * that came too late (before it, minutes of CPU) */
	if (cpu_s() - t0 > 5.0)
		fail_msg("include bomb took %.2f CPU s to refuse", cpu_s() - t0);
	assert_non_null(strstr(err, "/l14.fio:"));
	assert_non_null(strstr(err, ": include l15.fio: more than 1024 includes"));
	assert_int_equal(l.nr, 0);
	job_list_free(&l);

	/* few includes of a big file: the bytes are capped (40 x 1 MiB) */
	snprintf(path, sizeof(path), "%s/big.fio", scratch);
	f = fopen(path, "w");
	assert_non_null(f);
	for (int i = 0; i < 16384; i++)
		fprintf(f, "; %061d\n", i); /* 64-byte comment lines */
	fclose(f);
	snprintf(path, sizeof(path), "%s/many.fio", scratch);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "[j]\nioengine=null\nsize=4k\n");
	for (int i = 0; i < 40; i++)
		fprintf(f, "include big.fio\n");
	fclose(f);
	job_list_init(&l);
	assert_int_equal(jobfile_load(&l, path, err, sizeof(err)), -1);
	if (!strstr(err, "/many.fio:35: include big.fio: the job file and its "
			 "includes add up to more than 32 MiB"))
		fail_msg("%s", err);
	job_list_free(&l);
	/* a reasonable tree still loads */
	snprintf(path, sizeof(path), "%s/few.fio", scratch);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "[j]\nioengine=null\nsize=4k\ninclude big.fio\ninclude big.fio\n");
	fclose(f);
	load_ok(&l, path);
	job_list_free(&l);
}

/* Loads "[j]" with @n lines of @key; returns the CPU seconds it took. */
static double load_repeated(const char *key, size_t n, struct job_list *l)
{
	size_t len = 0, cap = n * 16 + 64;
	char *text = malloc(cap), err[1024];
	double t0, dt;

	assert_non_null(text);
	len += (size_t)sprintf(text, "[j]\nioengine=null\nsize=4k\nbs=4k\n");
	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(text + len, "%s\n", key);
	job_list_init(l);
	t0 = cpu_s();
	if (jobfile_load_text(l, "mem.fio", text, err, sizeof(err)))
		fail_msg("%s", err);
	dt = cpu_s() - t0;
	free(text);
	return dt;
}

/* Lines repeating one key (an option, and a compat option that warns) load
 * in linear time: 200k of them took 22 s and 200 s (quadratic ini
 * dictionary, quadratic warning list). Checked as a ratio of CPU times,
 * not a deadline: ten times the lines must cost well under the hundred
 * times a quadratic load would. The last value wins; the warnings stop at
 * 64 and say so. */
static void test_repeated_keys(void **state)
{
	static const char *const keys[] = { "bs=8k", "gtod_reduce=1", NULL };

	(void)state;
	for (int k = 0; keys[k]; k++) {
		size_t n = 200000;
		struct job_list l;
		double small, big;

		small = load_repeated(keys[k], n / 10, &l);
		job_list_free(&l);
		big = load_repeated(keys[k], n, &l);
		/* 40x: linear is 10x; the floor keeps timer grain out of it */
		if (big > 40 * (small > 0.002 ? small : 0.002))
			fail_msg("%zu x %s took %.3f CPU s, %zu took %.3f: not linear", n, keys[k],
				 big, n / 10, small);
		assert_int_equal(l.nr, 1);
		if (k == 0) {
			assert_int_equal(l.jobs[0].opts.bs[DDIR_READ], 8192);
		} else {
			size_t lines = 0;

			for (const char *p = l.warnings; p && *p; p++)
				lines += *p == '\n';
			assert_int_equal(lines, 65);
			assert_non_null(strstr(l.warnings, "mem.fio:5: gtod_reduce"));
			assert_non_null(strstr(l.warnings, "(more than 64 warnings; the rest left "
							   "out)"));
		}
		job_list_free(&l);
	}
}

/* --------------------------------------------------- numjobs and groups */

static void test_numjobs_groups(void **state)
{
	struct job_list l;
	static const unsigned groups[] = { 0, 0, 1, 1, 1, 2, 2, 3 };
	static const unsigned clones[] = { 0, 0, 0, 1, 2, 0, 0, 0 };

	/* a first job with stonewall does not open an empty group 0 (fio) */
	text_ok(&l, "[global]\nioengine=null\n"
		    "[a]\nstonewall\n"
		    "[b]\n"
		    "[c]\nstonewall\nnumjobs=3\n"
		    "[d]\nnew_group\n"
		    "[e]\n"
		    "[f]\nwait_for_previous=1\n");
	assert_int_equal(l.nr, 8);
	for (size_t i = 0; i < l.nr; i++) {
		if (l.jobs[i].group != groups[i] || l.jobs[i].clone != clones[i])
			fail_msg("job %zu [%s]: group %u clone %u, want %u %u", i, l.jobs[i].section,
				 l.jobs[i].group, l.jobs[i].clone, groups[i], clones[i]);
	}
	for (size_t i = 2; i < 5; i++) {
		assert_string_equal(l.jobs[i].section, "c");
		assert_int_equal(l.jobs[i].opts.numjobs, 3);
	}
	/* finalize twice changes nothing */
	{
		char err[256];

		assert_int_equal(job_list_finalize(&l, err, sizeof(err)), 0);
		assert_int_equal(l.nr, 8);
	}
	job_list_free(&l);
}

static void test_finalize_fixups(void **state)
{
	struct job_list l;

	text_ok(&l, "[a]\nioengine=null\niodepth=4\niodepth_batch=16\n"
		    "iodepth_batch_complete_max=32\n[b]\nioengine=null\nwait_for=a\n");
	assert_int_equal(l.jobs[0].opts.iodepth_batch_submit, 4);
	assert_int_equal(l.jobs[0].opts.iodepth_batch_complete_max, 4);
	assert_string_equal(l.jobs[1].opts.wait_for, "a");
	job_list_free(&l);
}

/* ------------------------------------------------------------ refusals */

static void test_bad_fixtures(void **state)
{
	static const struct {
		const char *file;
		const char *want[3];
	} cases[] = {
		{ "bad_unknown", { "bad_unknown.fio:4: bsize: unknown option (did you mean " } },
		{ "bad_engine", { "bad_engine.fio:3: ioengine: unknown engine 'turbo'", "psync" } },
		{ "bad_section", { "bad_section.fio:3: malformed section header '[a'" } },
		{ "bad_section_trailing", { "bad_section_trailing.fio:1: malformed section" } },
		{ "bad_empty_section", { "bad_empty_section.fio:1: empty section name" } },
		{ "bad_outside", { "bad_outside.fio:2: ioengine: option outside any [section]" } },
		{ "bad_range", { "bad_range.fio:4: rwmixread: 150 is out of range (0..100)" } },
		{ "bad_bssplit", { "bad_bssplit.fio:4: bssplit: ", "add to 90, not 100" } },
		{ "bad_include", { "bad_include.fio:3: include ", "nosuch-include.fio",
				   "No such file" } },
		{ "bad_include_self", { "bad_include_self.fio:2: include bad_include_self.fio: "
					"nested more than 16 deep" } },
		{ "bad_include_section", { "tests/jobs/inc/sections.fio:2: [global]: a file "
					   "included inside a section cannot start sections" } },
		{ "bad_empty", { "bad_empty.fio: no jobs defined" } },
		{ "bad_comments", { "bad_comments.fio: no jobs defined" } },
		{ "bad_global_only", { "bad_global_only.fio: only [global] sections, no job" } },
		{ "bad_size", { "bad_size.fio:4: size: '12q' is not a size" } },
		{ "bad_negative", { "bad_negative.fio:4: size: '-4k' is negative" } },
		{ "bad_offset_wrap", { "bad_offset_wrap.fio:5: offset: 18446744073709547520 is "
				       "past the largest file offset (2^63 - 1)" } },
		{ "bad_offset_sum", { "bad_offset_sum.fio:6: offset: 1000PiB + offset_increment "
				      "x numjobs + size 4KiB ends past the largest file offset" } },
		{ "bad_nrfiles", { "bad_nrfiles.fio:5: nrfiles: 8 files, but filename names 1" } },
		{ "bad_enum", { "bad_enum.fio:3: rw: 'sideways' is not one of: read," } },
		{ "bad_env", { "bad_env.fio:4: filename: environment variable "
			       "'IOLAB_TEST_UNSET_VAR' is not set" } },
		{ "bad_iodepth_low", { "bad_iodepth_low.fio:6: iodepth_low: 8 is above iodepth 4" } },
		{ "bad_dist", { "bad_dist.fio:4: random_distribution: zipf theta 1" } },
		{ "bad_bare", { "bad_bare.fio:4: iodepth: needs a value" } },
		{ "bad_line", { "bad_line.fio:3: 'this is not an option' is not an option line" } },
		{ "bad_pairs", { "bad_pairs.fio:4: bs: ", "more than three" } },
		{ "bad_wait_for", { "bad_wait_for.fio:4: wait_for: no earlier job named 'nobody'" } },
		{ "bad_binary", { "bad_binary.fio:3: binary data (a NUL byte)" } },
		{ "bad_control", { "bad_control.fio:3: binary data (control byte 0x1b)" } },
	};

	unsetenv("IOLAB_TEST_UNSET_VAR");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct job_list l;
		char path[256], err[1024] = "";
		int r;

		snprintf(path, sizeof(path), "tests/jobs/%s.fio", cases[i].file);
		job_list_init(&l);
		r = jobfile_load(&l, path, err, sizeof(err));
		if (!r)
			r = job_list_finalize(&l, err, sizeof(err));
		if (!r)
			fail_msg("%s accepted", path);
		if (l.nr)
			fail_msg("%s: a refused file left %zu jobs", path, l.nr);
		for (int k = 0; k < 3 && cases[i].want[k]; k++)
			if (!strstr(err, cases[i].want[k]))
				fail_msg("%s: error '%s' lacks '%s'", path, err, cases[i].want[k]);
		job_list_free(&l);
	}
}

static void test_bad_misc(void **state)
{
	struct job_list l;
	char err[1024] = "", line[1200];

	job_list_init(&l);
	assert_int_equal(jobfile_load(&l, "tests/jobs/does-not-exist.fio", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "tests/jobs/does-not-exist.fio: No such file"));
	assert_int_equal(jobfile_load(&l, "tests/jobs", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "tests/jobs: Is a directory"));

	/* a good file, then a bad one: the good jobs stay, no partial jobs */
	assert_int_equal(jobfile_load_text(&l, "ok.fio", "[a]\nioengine=null\n", err,
					   sizeof(err)), 0);
	assert_int_equal(jobfile_load_text(&l, "bad.fio", "[b]\nioengine=null\n[c]\nbs=q\n",
					   err, sizeof(err)), -1);
	assert_int_equal(l.nr, 1);
	assert_string_equal(err, "bad.fio:4: bs: 'q' is not a size (a number with an optional "
				 "k/m/g/t/p suffix, e.g. 4k)");
	job_list_free(&l);

	memset(line, 'x', sizeof(line));
	memcpy(line, "[a]\ndescription=", 16);
	line[sizeof(line) - 1] = '\0';
	text_bad(line, "mem.fio:2: line is 1195 characters long (at most 1000)");
	text_bad("[a]\nioengine=null\ninclude\n", "mem.fio:3: include: needs a file name");
	text_bad("[a]\nioengine=null\ninclude=x.fio\n", "mem.fio:3: include: needs a file name");
	text_bad("[a]\nioengine=null\nrw = read write\n", "mem.fio:3: rw: 'read write'");
	text_bad("[a]\nioengine=null\nkey with spaces=1\n", "mem.fio:3: 'key with spaces=1' is not");
	text_bad("[a]\nioengine=null\nbsrange=8k-4k,abc\n", "mem.fio:3: bsrange: 'abc'");
	text_bad("[a]\nioengine=null\nrw=randwrite\nverify=pattern\n",
		 "mem.fio:4: verify: verify=pattern needs verify_pattern");
	text_bad("[a]\nioengine=null\nrate=1m\nrate_iops=10\n", "mem.fio:3: rate: rate and rate_iops both limit reads");
	text_bad("[A]\nioengine=null\nIODEPTH=0\n", "mem.fio:3: IODEPTH: 0 is out of range");
}

static void test_bom_and_crlf(void **state)
{
	struct job_list l;

	text_ok(&l, "\xef\xbb\xbf[a]\r\nioengine=null\r\nsize=2m\r\n");
	assert_string_equal(l.jobs[0].section, "a");
	assert_int_equal(l.jobs[0].opts.size, 2 << 20);
	job_list_free(&l);
}

/* ---------------------------------------------------------- command line */

static int load_args(struct job_list *l, char *err, size_t errlen, ...)
{
	char *argv[64];
	int argc = 0;
	va_list ap;

	argv[argc++] = "iolab";
	va_start(ap, errlen);
	for (char *a; (a = va_arg(ap, char *)) != NULL;)
		argv[argc++] = a;
	va_end(ap);
	return jobfile_load_args(l, argc, argv, err, errlen);
}

static void test_args(void **state)
{
	struct job_list l;
	char err[1024] = "";

	job_list_init(&l);
	assert_int_equal(load_args(&l, err, sizeof(err), "--ioengine=null", "--bs=8k",
				   "--name=a", "--rw=read", "--name=b", "--rw=randwrite",
				   "--bs=16k", "--time_based", "--runtime=2", "--numjobs=2", NULL),
			 0);
	assert_int_equal(job_list_finalize(&l, err, sizeof(err)), 0);
	assert_int_equal(l.nr, 3);
	assert_string_equal(l.jobs[0].section, "a");
	assert_string_equal(l.jobs[0].src_file, "command line");
	assert_int_equal(l.jobs[0].opts.bs[DDIR_READ], 8192);
	assert_string_equal(l.jobs[0].opts.ioengine, "null");
	assert_string_equal(l.jobs[1].section, "b");
	assert_int_equal(l.jobs[1].opts.bs[DDIR_WRITE], 16384);
	assert_true(l.jobs[1].opts.time_based);
	assert_int_equal(l.jobs[1].opts.runtime_us, 2000000);
	assert_int_equal(l.jobs[2].clone, 1);
	job_list_free(&l);

	/* --name=global: its options apply to the jobs after it */
	job_list_init(&l);
	assert_int_equal(load_args(&l, err, sizeof(err), "--name=global", "--ioengine=null",
				   "--size=1m", "--name=x", NULL), 0);
	assert_int_equal(l.nr, 1);
	assert_int_equal(l.jobs[0].opts.size, 1 << 20);
	job_list_free(&l);

	/* options before --name fill in what earlier file jobs left unset */
	job_list_init(&l);
	assert_int_equal(jobfile_load_text(&l, "f.fio", "[f]\nioengine=null\nruntime=60\n", err,
					   sizeof(err)), 0);
	assert_int_equal(load_args(&l, err, sizeof(err), "--runtime=5", "--iodepth=4", NULL), 0);
	assert_int_equal(l.nr, 1);
	assert_int_equal(l.jobs[0].opts.runtime_us, 60000000);
	assert_int_equal(l.jobs[0].opts.iodepth, 4);
	job_list_free(&l);

	static const struct {
		const char *a[4];
		const char *want;
	} bad[] = {
		{ { "--name=a", "--ioengine=null", "--bsz=4k" },
		  "command line: bsz: unknown option (did you mean 'bs'?)" },
		{ { "--name=a", "--ioengine=null", "--size=12q" }, "command line: size: '12q'" },
		{ { "--name=a", "job.fio" }, "command line: 'job.fio' is not a job option" },
		{ { "--name", "--rw=read" }, "command line: --name needs a job name" },
		{ { "--rw=read" }, "command line: no job: start one with --name=NAME" },
		{ { "--name=a", "--ioengine=null", "--rwmixread=300" },
		  "command line: rwmixread: 300 is out of range" },
		{ { "--name=a", "--ioengine=null", "--iodepth=2", "--iodepth_low=4" },
		  "command line: iodepth_low: 4 is above iodepth 2" },
		{ { "--name=a", "--b-s=4k" }, "command line: '--b-s=4k' is not a job option" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *argv[6] = { "iolab" };
		int argc = 1;

		for (int k = 0; k < 4 && bad[i].a[k]; k++)
			argv[argc++] = (char *)bad[i].a[k];
		job_list_init(&l);
		err[0] = '\0';
		if (!jobfile_load_args(&l, argc, argv, err, sizeof(err)))
			fail_msg("case %zu accepted", i);
		if (!strstr(err, bad[i].want))
			fail_msg("case %zu: error '%s' lacks '%s'", i, err, bad[i].want);
		assert_int_equal(l.nr, 0);
		job_list_free(&l);
	}
}

/* ---------------------------------------------------------------- save */

static char *dump_list(const struct job_list *l)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	for (size_t i = 0; i < l->nr; i++) {
		fprintf(m, "[%s] clone %u group %u\n", l->jobs[i].section, l->jobs[i].clone,
			l->jobs[i].group);
		opts_dump(m, &l->jobs[i].opts, false);
	}
	fclose(m);
	return buf;
}

static bool have_fio(void)
{
	return system("fio --version >/dev/null 2>&1") == 0;
}

/* fio --parse-only accepts @path. */
static void fio_accepts(const char *path)
{
	char cmd[4096], out[1200];

	if (!have_fio()) {
		printf("skip: fio not installed, saved file not checked with fio\n");
		return;
	}
	snprintf(out, sizeof(out), "%s/fio.out", scratch);
	snprintf(cmd, sizeof(cmd), "cd '%s' && fio --parse-only '%s' >'%s' 2>&1", scratch, path,
		 out);
	if (system(cmd) != 0) {
		char show[4096];

		snprintf(show, sizeof(show), "cat '%s' '%s' >&2", out, path);
		if (system(show))
			fprintf(stderr, "(could not show fio's output)\n");
		fail_msg("fio --parse-only refused %s", path);
	}
}

static void save_and_reload(const char *what, struct job_list *l)
{
	struct job_list r;
	char path[1200], err[1024];
	char *a, *b;

	snprintf(path, sizeof(path), "%s/%s.fio", scratch, what);
	if (jobfile_save(l, path, err, sizeof(err)))
		fail_msg("save %s: %s", path, err);
	load_ok(&r, path);
	a = dump_list(l);
	b = dump_list(&r);
	if (strcmp(a, b))
		fail_msg("%s: the saved file reads back differently:\n%s\n--- vs ---\n%s", what, a,
			 b);
	free(a);
	free(b);
	job_list_free(&r);
	fio_accepts(path);
}

/* Issue 12: a saved job file is refused on a device or a FIFO, with the
 * reason, and nothing is written there or left beside it. */
static void test_save_refuses_special(void **state)
{
	struct job_list l;
	char fifo[1200], err[1024];

	(void)state;
	load_ok(&l, "tests/jobs/basic.fio");
	err[0] = '\0';
	assert_int_equal(jobfile_save(&l, "/dev/null", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/dev/null: is a character device"));
	snprintf(fifo, sizeof(fifo), "%s/save.fifo", scratch);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	err[0] = '\0';
	assert_int_equal(jobfile_save(&l, fifo, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "is a FIFO"));
	unlink(fifo);
	job_list_free(&l);
}

static void test_save_basic(void **state)
{
	struct job_list l;

	load_ok(&l, "tests/jobs/basic.fio");
	save_and_reload("basic-saved", &l);
	job_list_free(&l);
}

/* Many options at once, including iolab-only ones (written as ";@iolab"
 * lines fio skips) and io_uring options under another engine. */
static void test_save_everything(void **state)
{
	struct job_list l;

	text_ok(&l,
		"[global]\nioengine=null\nkb_base=1000\n"
		"[all]\n"
		"description=every kind of option\n"
		"filename=/tmp/iolab-save-a.dat\nsize=3m\nfilesize=3m\noffset=4k\n"
		"offset_increment=1m\nio_size=6m\nnrfiles=1\nfile_service_type=sequential\n"
		"create_serialize=0\nrw=randrw:4\nrwmixwrite=25\nbs=8k,16k\n"
		"bsrange=4k-16k,8k-32k\nbssplit=4k/50:8k/,16k/100\nblockalign=4k\n"
		"randrepeat=0\nrandseed=99\nnorandommap=1\nrandom_distribution=zipf:1.3\n"
		"iodepth=16\niodepth_batch_submit=4\niodepth_batch_complete_min=2\n"
		"iodepth_batch_complete_max=8\niodepth_low=2\nio_submit_mode=offload\n"
		"direct=1\nfixedbufs=1\nsqthread_poll_cpu=1\nmmap_msync=1\n"
		"group_reporting=1\nthread=1\nexitall_on_error=1\n"
		"runtime=90s\ntime_based=1\nramp_time=2\nstartdelay=500ms\nloops=2\n"
		"thinktime=2ms\nthinktime_spin=1ms\nthinktime_blocks=4\n"
		"rate=,2m\nrate_min=,1m\nrate_iops_min=5\nrate_process=poisson\nrate_cycle=500\n"
		"latency_target=10ms\nlatency_window=1s\nlatency_percentile=99.5\n"
		"fsync=8\nend_fsync=1\nfsync_on_close=1\n"
		"verify=crc32c\nverify_pattern=0xdeadbeef\ndo_verify=1\nverify_fatal=1\n"
		"verify_backlog=64\nverify_interval=2k\nverify_state_save=/tmp/iolab-state\n"
		"continue_on_error=io\n"
		"write_bw_log\nwrite_lat_log=lat\nlog_avg_msec=100\nlog_max_value=1\n"
		"per_job_logs=0\n"
		"inject_error=EIO:1%,ENOSPC:0.5%\ninject_delay=20ms:5%\n"
		"[second]\nstonewall\nioengine=io_uring\nfixedbufs=1\nregisterfiles=1\nhipri=0\n"
		"filename=/tmp/iolab-save-b.dat\nsize=1m\nnumjobs=2\nwait_for=all\n");
	assert_int_equal(l.nr, 3);
	assert_string_equal(l.jobs[0].opts.write_bw_log, "all");
	save_and_reload("everything", &l);
	job_list_free(&l);

	/* and the iolab-only lines really are comments to fio */
	{
		char path[1200], *text = NULL;
		size_t len = 0;
		FILE *f;

		snprintf(path, sizeof(path), "%s/everything.fio", scratch);
		f = fopen(path, "r");
		assert_non_null(f);
		text = malloc(1 << 16);
		len = fread(text, 1, (1 << 16) - 1, f);
		text[len] = '\0';
		fclose(f);
		assert_non_null(strstr(text, "\n;@iolab inject_error=EIO:1%,ENOSPC:0.5%\n"));
		assert_non_null(strstr(text, "\n;@iolab mmap_msync=1\n"));
		assert_non_null(strstr(text, "\n;@iolab fixedbufs=1\n")); /* null engine */
		assert_non_null(strstr(text, "\n;@iolab verify_state_save=/tmp/iolab-state\n"));
		assert_non_null(strstr(text, "\nfixedbufs=1\n")); /* under io_uring */
		assert_non_null(strstr(text, "\nkb_base=1000\n"));
		free(text);
	}
}

static void test_write_job(void **state)
{
	struct job_opts o;
	char err[256], *buf = NULL;
	size_t len = 0;
	FILE *m;

	opts_init(&o);
	assert_int_equal(opt_set(&o, "name", "w", err, sizeof(err)), 0);
	assert_int_equal(opt_set(&o, "rw", "randwrite", err, sizeof(err)), 0);
	assert_int_equal(opt_set(&o, "bs", "64k", err, sizeof(err)), 0);
	m = open_memstream(&buf, &len);
	jobfile_write_job(m, "w", &o);
	fclose(m);
	assert_string_equal(buf, "[w]\nrw=randwrite\nbs=64k\n");
	free(buf);
	opts_free(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_compat_warnings),
		cmocka_unit_test(test_comments),
		cmocka_unit_test(test_bare_keys),
		cmocka_unit_test(test_values_verbatim),
		cmocka_unit_test(test_section_order),
		cmocka_unit_test(test_kb_base_first),
		cmocka_unit_test(test_include),
		cmocka_unit_test(test_env),
		cmocka_unit_test(test_env_control),
		cmocka_unit_test(test_include_bomb),
		cmocka_unit_test(test_repeated_keys),
		cmocka_unit_test(test_numjobs_groups),
		cmocka_unit_test(test_finalize_fixups),
		cmocka_unit_test(test_bad_fixtures),
		cmocka_unit_test(test_bad_misc),
		cmocka_unit_test(test_bom_and_crlf),
		cmocka_unit_test(test_args),
		cmocka_unit_test(test_save_refuses_special),
		cmocka_unit_test(test_save_basic),
		cmocka_unit_test(test_save_everything),
		cmocka_unit_test(test_write_job),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
