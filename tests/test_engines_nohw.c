/* The engines that need no special hardware, run through the backend as a
 * job would run them: filecreate, filestat, filedelete (what is created,
 * stat'ed and deleted, the I/O counts and the one clat sample per file),
 * ftruncate and falloc (sizes and allocation), cpuio (CPU burnt per unit,
 * idle time honoured, exit_on_io_done) and the refusals.
 *
 * Every file lives in a private scratch directory under $TEST_TMP, $TMPDIR
 * or /tmp. cpuio's checks are structural, never timed: a unit's wall time
 * is at least the CPU time it burnt, the job's CPU time at least what its
 * units burnt, and a cycle at least its burn plus its idle time. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "tests/scratch.h"

#include "backend/backend.h"
#include "backend/jobfile.h"
#include "lib/clock.h"

static char scratch[512];

/* A job list from "key=value" strings, one job per NULL-terminated run:
 * { "name=a", "ioengine=filestat", NULL, "name=b", ..., NULL, NULL }. Each
 * job runs in the scratch directory and gets its own group when it says
 * "stonewall". */
static void list_build(struct job_list *l, const char *const *kv)
{
	char err[256];
	unsigned group = 0;

	job_list_init(l);
	while (*kv) {
		struct job_spec *js;

		l->jobs = realloc(l->jobs, (l->nr + 1) * sizeof(*l->jobs));
		assert_non_null(l->jobs);
		js = &l->jobs[l->nr];
		memset(js, 0, sizeof(*js));
		opts_init(&js->opts);
		assert_int_equal(opt_set(&js->opts, "directory", scratch, err, sizeof(err)), 0);
		for (; *kv; kv++) {
			char key[64];
			const char *eq = strchr(*kv, '=');

			snprintf(key, sizeof(key), "%.*s", eq ? (int)(eq - *kv) : (int)strlen(*kv), *kv);
			if (opt_set(&js->opts, key, eq ? eq + 1 : NULL, err, sizeof(err)))
				fail_msg("%s: %s", *kv, err);
		}
		kv++;
		if (l->nr && js->opts.stonewall)
			group++;
		js->section = strdup(js->opts.name ? js->opts.name : "job");
		js->group = group;
		if (opts_validate(&js->opts, err, sizeof(err)))
			fail_msg("%s: %s", js->section, err);
		l->nr++;
	}
}

/* Runs @kv; returns the backend (jobs readable) and the failed count. */
static struct backend *run(const char *const *kv, int *failed)
{
	struct backend_config cfg = { .status_interval_ms = 100 };
	struct backend *be = backend_new(&cfg);
	struct job_list l;
	char err[256] = "";

	assert_non_null(be);
	list_build(&l, kv);
	if (backend_load(be, &l, err, sizeof(err)))
		fail_msg("load: %s", err);
	job_list_free(&l);
	assert_int_equal(backend_start(be), 0);
	*failed = backend_wait(be);
	return be;
}

static void run_ok(const char *const *kv, struct backend **be)
{
	int failed;

	*be = run(kv, &failed);
	for (unsigned i = 0; i < backend_njobs(*be); i++) {
		const struct job *j = backend_job(*be, i);

		if (j->error)
			fail_msg("job %s: %s", j->name, j->errmsg);
	}
	assert_int_equal(failed, 0);
}

static bool exists(const char *name)
{
	char p[700];
	struct stat st;

	snprintf(p, sizeof(p), "%s/%s", scratch, name);
	return lstat(p, &st) == 0;
}

static off_t size_of(const char *name, blkcnt_t *blocks)
{
	char p[700];
	struct stat st;

	snprintf(p, sizeof(p), "%s/%s", scratch, name);
	assert_int_equal(stat(p, &st), 0);
	if (blocks)
		*blocks = st.st_blocks;
	return st.st_size;
}

static void make_file(const char *name, size_t len)
{
	char p[700], buf[4096];
	int fd;

	snprintf(p, sizeof(p), "%s/%s", scratch, name);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	memset(buf, 0x5a, sizeof(buf));
	for (size_t off = 0; off < len; off += sizeof(buf))
		assert_int_equal(write(fd, buf, sizeof(buf)), (ssize_t)sizeof(buf));
	close(fd);
}

/* A job of @a and @b is refused when loaded (opts_validate), the reason
 * starting with @why (the option first, so the loader names its line). */
static void refused(const char *a, const char *b, const char *why)
{
	struct job_opts o;
	char err[256];
	const char *kv[] = { a, b };

	opts_init(&o);
	for (int i = 0; i < 2; i++) {
		char key[64];
		const char *eq = strchr(kv[i], '=');

		snprintf(key, sizeof(key), "%.*s", (int)(eq - kv[i]), kv[i]);
		assert_int_equal(opt_set(&o, key, eq + 1, err, sizeof(err)), 0);
	}
	assert_int_equal(opts_validate(&o, err, sizeof(err)), -1);
	if (strncmp(err, why, strlen(why)))
		fail_msg("%s %s: refused with '%s', want '%s...'", a, b, err, why);
	opts_free(&o);
}

static void scratch_empty(void)
{
	scratch_dir_remove(scratch);
	assert_int_equal(mkdir(scratch, 0700), 0);
}

static int each_setup(void **state)
{
	scratch_empty();
	return 0;
}

/* ---- metadata engines -------------------------------------------------- */

/* 20 files of two blocks: 40 I/Os of 4 KiB, 20 opens timed (clat), no lat;
 * the files exist afterwards, empty (not laid out). */
static void test_filecreate(void **state)
{
	static const char *const kv[] = { "name=fc", "ioengine=filecreate", "nrfiles=20",
					  "filesize=8k", "bs=4k", NULL, NULL };
	const struct dir_stats *ds;
	struct backend *be;

	run_ok(kv, &be);
	ds = &backend_job(be, 0)->stats.dir[DDIR_READ];
	assert_int_equal(ds->ios, 40);
	assert_int_equal(ds->bytes, 40 * 4096);
	assert_int_equal(ds->clat.n, 20);
	assert_int_equal(ds->lat.n, 0);
	assert_int_equal(ds->slat.n, 0);
	assert_int_equal(backend_job(be, 0)->stats.dir[DDIR_WRITE].clat.n, 0);
	for (unsigned i = 0; i < 20; i++) {
		char n[32];

		snprintf(n, sizeof(n), "fc.0.%u", i);
		assert_true(exists(n));
		assert_int_equal(size_of(n, NULL), 0);
	}
	assert_false(exists("fc.0.20"));
	backend_free(be);
}

/* The files filecreate made are iolab's: unlink=1 removes them. */
static void test_filecreate_unlink(void **state)
{
	static const char *const kv[] = { "name=fu", "ioengine=filecreate", "nrfiles=8",
					  "filesize=4k", "unlink=1", NULL, NULL };
	struct backend *be;

	run_ok(kv, &be);
	assert_int_equal(backend_job(be, 0)->stats.dir[DDIR_READ].clat.n, 8);
	backend_free(be);
	for (unsigned i = 0; i < 8; i++) {
		char n[32];

		snprintf(n, sizeof(n), "fu.0.%u", i);
		assert_false(exists(n));
	}
}

/* rw=write puts the open times in the write direction; loops=2 opens each
 * file once a pass. */
static void test_filecreate_write_loops(void **state)
{
	static const char *const kv[] = { "name=w", "ioengine=filecreate", "rw=write",
					  "nrfiles=5", "filesize=4k", "loops=2", NULL, NULL };
	const struct job *j;
	struct backend *be;

	run_ok(kv, &be);
	j = backend_job(be, 0);
	assert_int_equal(j->stats.dir[DDIR_WRITE].ios, 10);
	assert_int_equal(j->stats.dir[DDIR_WRITE].clat.n, 10);
	assert_int_equal(j->stats.dir[DDIR_READ].ios, 0);
	backend_free(be);
}

/* A symlink or a directory where a file would be created or stat'ed:
 * refused, nothing created through the link. */
static void test_filecreate_refuses_odd_files(void **state)
{
	static const char *const kv[] = { "name=odd", "ioengine=filecreate", "filename=link",
					  "filesize=4k", NULL, NULL };
	static const char *const kv2[] = { "name=odd", "ioengine=filestat", "filename=dir",
					   "filesize=4k", "rw=write", NULL, NULL };
	char target[700], link[700], dir[700];
	struct backend *be;
	int failed;

	snprintf(target, sizeof(target), "%s/target", scratch);
	snprintf(link, sizeof(link), "%s/link", scratch);
	snprintf(dir, sizeof(dir), "%s/dir", scratch);
	assert_int_equal(symlink(target, link), 0);
	be = run(kv, &failed);
	assert_int_equal(failed, 1);
	assert_non_null(strstr(backend_job(be, 0)->errmsg, "not a regular file"));
	assert_false(exists("target"));
	backend_free(be);

	assert_int_equal(mkdir(dir, 0700), 0);
	be = run(kv2, &failed);
	assert_int_equal(failed, 1);
	assert_non_null(strstr(backend_job(be, 0)->errmsg, "dir"));
	backend_free(be);
}

/* Each stat_type: 10 laid-out files of two blocks, 20 I/Os, 10 stats. */
static void test_filestat(void **state)
{
	static const char *const types[] = { "stat", "lstat", "statx" };

	for (unsigned t = 0; t < 3; t++) {
		char st[32];
		const char *kv[] = { "name=fs", "ioengine=filestat", "nrfiles=10", "filesize=8k",
				     "bs=4k", st, NULL, NULL };
		const struct dir_stats *ds;
		struct backend *be;

		snprintf(st, sizeof(st), "stat_type=%s", types[t]);
		run_ok(kv, &be);
		ds = &backend_job(be, 0)->stats.dir[DDIR_READ];
		assert_int_equal(ds->ios, 20);
		assert_int_equal(ds->bytes, 20 * 4096);
		assert_int_equal(ds->clat.n, 10);
		assert_int_equal(ds->lat.n, 0);
		assert_int_equal(size_of("fs.0.9", NULL), 8192);
		backend_free(be);
	}
}

/* The files the job lays out are gone afterwards, one clat sample each. */
static void test_filedelete(void **state)
{
	static const char *const kv[] = { "name=fd", "ioengine=filedelete", "nrfiles=12",
					  "filesize=4k", "unlink=0", NULL, NULL };
	const struct dir_stats *ds;
	struct backend *be;

	run_ok(kv, &be);
	ds = &backend_job(be, 0)->stats.dir[DDIR_READ];
	assert_int_equal(ds->ios, 12);
	assert_int_equal(ds->clat.n, 12);
	assert_int_equal(ds->lat.n, 0);
	for (unsigned i = 0; i < 12; i++) {
		char n[32];

		snprintf(n, sizeof(n), "fd.0.%u", i);
		assert_false(exists(n));
	}
	backend_free(be);
}

/* A file that was there before the job is never deleted: the job is
 * refused before anything goes, the files it laid out itself included. */
static void test_filedelete_refuses_foreign(void **state)
{
	static const char *const kv[] = { "name=fd", "ioengine=filedelete",
					  "filename=mine:theirs", "filesize=4k", NULL, NULL };
	struct backend *be;
	int failed;

	make_file("theirs", 4096);
	be = run(kv, &failed);
	assert_int_equal(failed, 1);
	assert_int_equal(backend_job(be, 0)->error, EPERM);
	assert_non_null(strstr(backend_job(be, 0)->errmsg, "theirs"));
	assert_true(exists("theirs"));
	assert_true(exists("mine"));
	backend_free(be);
}

/* An engine's own option under another engine loads with a warning that
 * names its line and the engines it is for; under its engine, none. One
 * set in [global] is for the jobs whose engine takes it (fio's e4defrag2.fio
 * sets donorname there beside libaio jobs): a warning only when no job
 * takes it. */
static void load_text(struct job_list *l, const char *name, const char *text)
{
	char path[700], err[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", scratch, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	job_list_init(l);
	if (jobfile_load(l, path, err, sizeof(err)))
		fail_msg("load: %s", err);
}

static void test_engine_option_elsewhere(void **state)
{
	struct job_list l;

	(void)state;
	load_text(&l, "opts.fio", "[global]\nsize=1m\nhipri_percentage=50\n"
				  "[a]\nioengine=psync\ncpuload=30\n"
				  "[b]\nioengine=pvsync2\n");
	assert_int_equal(l.nr, 2);
	assert_non_null(l.warnings);
	assert_non_null(strstr(l.warnings, "opts.fio:6: cpuload: no effect with ioengine=psync "
				      "(it applies to cpuio)"));
	/* job b runs pvsync2: the global hipri_percentage is in effect there */
	assert_null(strstr(l.warnings, "hipri_percentage:"));
	job_list_free(&l);

	load_text(&l, "unused.fio", "[global]\nsize=1m\nhipri_percentage=50\n"
				    "[a]\nioengine=psync\n[b]\nioengine=libaio\n");
	assert_non_null(l.warnings);
	assert_non_null(strstr(l.warnings, "unused.fio:3: hipri_percentage: no effect with "
				      "ioengine=psync (it applies to pvsync2)"));
	/* said once, not once a job */
	assert_null(strstr(strstr(l.warnings, "hipri_percentage:") + 1, "hipri_percentage:"));
	job_list_free(&l);
}

/* ---- ftruncate, falloc ------------------------------------------------- */

static void test_ftruncate(void **state)
{
	static const char *const kv[] = { "name=ft", "ioengine=ftruncate", "filename=t",
					  "size=64k", "bs=4k", "rw=write", NULL, NULL };
	const struct dir_stats *ds;
	struct backend *be;

	run_ok(kv, &be);
	ds = &backend_job(be, 0)->stats.dir[DDIR_WRITE];
	assert_int_equal(ds->ios, 16);
	assert_int_equal(ds->bytes, 64 * 1024);
	assert_int_equal(size_of("t", NULL), 60 * 1024); /* the last offset */
	backend_free(be);

	/* reads are refused when the job is loaded, naming rw */
	refused("ioengine=ftruncate", "rw=read", "rw: ioengine=ftruncate only writes");
	refused("ioengine=ftruncate", "rw=randtrim", "rw: ioengine=ftruncate only writes");
}

/* Writes preallocate and grow the file; trims punch the blocks back out;
 * reads preallocate without growing it. */
static void test_falloc(void **state)
{
	static const char *const grow[] = { "name=fa", "ioengine=falloc", "filename=f",
					    "size=1m", "bs=64k", "rw=write", NULL, NULL };
	static const char *const punch[] = { "name=fp", "ioengine=falloc", "filename=f",
					     "size=1m", "bs=64k", "rw=trim", NULL, NULL };
	static const char *const keep[] = { "name=fk", "ioengine=falloc", "filename=k",
					    "size=256k", "offset=0", "bs=64k", "rw=read",
					    "filesize=256k", NULL, NULL };
	blkcnt_t blocks, after;
	struct backend *be;

	run_ok(grow, &be);
	assert_int_equal(backend_job(be, 0)->stats.dir[DDIR_WRITE].ios, 16);
	backend_free(be);
	assert_int_equal(size_of("f", &blocks), 1 << 20);
	assert_true((uint64_t)blocks * 512 >= 1 << 20);

	run_ok(punch, &be);
	backend_free(be);
	assert_int_equal(size_of("f", &after), 1 << 20);
	if (after == blocks)
		print_message("note: the filesystem kept the blocks (no hole punching)\n");
	else
		assert_true(after < blocks / 4);

	run_ok(keep, &be);
	assert_int_equal(backend_job(be, 0)->stats.dir[DDIR_READ].ios, 4);
	backend_free(be);
	assert_int_equal(size_of("k", NULL), 256 * 1024);
}

static void test_falloc_refuses_dir(void **state)
{
	static const char *const kv[] = { "name=fa", "ioengine=falloc", "filename=sub",
					  "size=64k", "rw=write", NULL, NULL };
	char p[700];
	struct backend *be;
	int failed;

	snprintf(p, sizeof(p), "%s/sub", scratch);
	assert_int_equal(mkdir(p, 0700), 0);
	be = run(kv, &failed);
	assert_int_equal(failed, 1);
	assert_non_null(strstr(backend_job(be, 0)->errmsg, p));
	backend_free(be);
}

/* ---- cpuio ------------------------------------------------------------- */

/* Structure of a cpuio run of @runtime_ms at @load% in @chunk_us chunks. */
static void check_cpuio(const struct job *j, unsigned load, unsigned chunk_us, unsigned runtime_ms)
{
	const struct dir_stats *ds = &j->stats.dir[DDIR_READ];
	uint64_t chunk_ns = (uint64_t)chunk_us * 1000;
	uint64_t idle_ns = chunk_ns * (100 - load) / load;
	double cpu = j->stats.usr_cpu_s + j->stats.sys_cpu_s;

	assert_true(ds->ios >= 1);
	assert_int_equal(ds->bytes, 0);
	assert_int_equal(ds->errors, 0);
	assert_int_equal(ds->clat.n, ds->ios);
	assert_int_equal(ds->lat.n, ds->ios);
	/* a unit's wall time is at least the CPU time it burnt */
	assert_true(ds->clat.min >= chunk_ns);
	/* the job burnt at least what its units did (10% for clock grain) */
	assert_true(cpu >= 0.9 * (double)ds->ios * (double)chunk_ns / 1e9);
	/* each cycle is at least burn + idle: no more units than fit */
	assert_true(ds->ios <= runtime_ms * 1000000ull / (chunk_ns + idle_ns) + 1);
	assert_int_equal(j->stats.dir[DDIR_WRITE].ios, 0);
}

static void test_cpuio_noop(void **state)
{
	static const char *const kv[] = { "name=c", "ioengine=cpuio", "cpuload=50",
					  "cpuchunks=20000", "runtime=600ms", NULL, NULL };
	struct backend *be;

	run_ok(kv, &be);
	check_cpuio(backend_job(be, 0), 50, 20000, 600);
	backend_free(be);
}

static void test_cpuio_qsort(void **state)
{
	static const char *const kv[] = { "name=q", "ioengine=cpuio", "cpuload=80",
					  "cpumode=qsort", "cpuchunks=30000", "runtime=500ms",
					  "time_based", NULL, NULL };
	struct backend *be;

	run_ok(kv, &be);
	check_cpuio(backend_job(be, 0), 80, 30000, 500);
	backend_free(be);
}

/* cpuload above 100 is 100 (no idle); none at all is refused by name when
 * the job is loaded. */
static void test_cpuio_load_bounds(void **state)
{
	static const char *const full[] = { "name=f", "ioengine=cpuio", "cpuload=250",
					    "cpuchunks=10000", "runtime=200ms", NULL, NULL };
	struct backend *be;

	run_ok(full, &be);
	check_cpuio(backend_job(be, 0), 100, 10000, 200);
	assert_int_equal(backend_job(be, 0)->o.cpuload, 100);
	assert_int_equal(backend_job(be, 0)->o.thinktime_us, 0);
	backend_free(be);

	refused("ioengine=cpuio", "runtime=1", "cpuload: not set");
}

/* exit_on_io_done: the CPU job ends with the I/O job, long before its own
 * runtime (60 s); the I/O job is unaffected. */
static void test_cpuio_exit_on_io_done(void **state)
{
	static const char *const kv[] = {
		"name=burn", "ioengine=cpuio", "cpuload=50", "cpuchunks=5000", "runtime=60",
		"exit_on_io_done=1", NULL,
		"name=io", "ioengine=psync", "filename=d", "size=256k", "rw=write", NULL, NULL,
	};
	const struct job *c;
	struct backend *be;

	run_ok(kv, &be);
	c = backend_job(be, 0);
	assert_int_equal(backend_job(be, 1)->stats.dir[DDIR_WRITE].bytes, 256 * 1024);
	assert_true(c->stats.dir[DDIR_READ].ios >= 1);
	assert_true(c->stats.end_ns - c->stats.start_ns < 30 * NS_PER_SEC);
	backend_free(be);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_filecreate, each_setup),
		cmocka_unit_test_setup(test_filecreate_unlink, each_setup),
		cmocka_unit_test_setup(test_filecreate_write_loops, each_setup),
		cmocka_unit_test_setup(test_filecreate_refuses_odd_files, each_setup),
		cmocka_unit_test_setup(test_filestat, each_setup),
		cmocka_unit_test_setup(test_filedelete, each_setup),
		cmocka_unit_test_setup(test_filedelete_refuses_foreign, each_setup),
		cmocka_unit_test_setup(test_engine_option_elsewhere, each_setup),
		cmocka_unit_test_setup(test_ftruncate, each_setup),
		cmocka_unit_test_setup(test_falloc, each_setup),
		cmocka_unit_test_setup(test_falloc_refuses_dir, each_setup),
		cmocka_unit_test_setup(test_cpuio_noop, each_setup),
		cmocka_unit_test_setup(test_cpuio_qsort, each_setup),
		cmocka_unit_test_setup(test_cpuio_load_bounds, each_setup),
		cmocka_unit_test_setup(test_cpuio_exit_on_io_done, each_setup),
	};
	int rc;

	if (scratch_dir_make(scratch, sizeof(scratch), "iolab-nohw")) {
		fprintf(stderr, "cannot create a scratch directory: %s\n", strerror(errno));
		return 1;
	}
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	scratch_dir_remove(scratch);
	return rc;
}
