/* Shipped profiles: every one is embedded, documented, loads onto a scratch
 * file or a given file, validates, takes command-line overrides, and (when
 * fio is installed) is accepted by fio itself. */
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

#include "backend/jobfile.h"
#include "backend/options.h"
#include "backend/profiles.h"

static const char *tmpdir(void)
{
	const char *t = getenv("TEST_TMP");

	if (!t || !*t)
		t = getenv("TMPDIR");
	return t && *t ? t : "/tmp";
}

static void test_embedded_and_documented(void **state)
{
	size_t n = 0;
	const struct profile *p = profiles_list(&n);
	char hdr[128];

	(void)state;
	assert_true(n >= 12);
	assert_int_equal(n, profiles_data_count);
	for (size_t i = 0; i < n; i++) {
		assert_non_null(p[i].name);
		assert_true(strlen(p[i].name) > 0);
		assert_non_null(p[i].description);
		/* a one-line description that says something */
		assert_true(strlen(p[i].description) >= 20);
		assert_null(strchr(p[i].description, '\n'));
		assert_non_null(p[i].text);
		/* each starts with its header naming itself */
		snprintf(hdr, sizeof(hdr), "# profile: %s\n", p[i].name);
		assert_true(strncmp(p[i].text, hdr, strlen(hdr)) == 0);
		if (i)
			assert_true(strcmp(p[i - 1].name, p[i].name) < 0);
	}
	assert_null(p[n].name); /* sentinel */
}

/* The profiles the brief asks for are all there. */
static void test_required_set(void **state)
{
	static const char *const want[] = {
		"randread-4k-qd1", "randread-4k-qd32", "randwrite-4k-qd32", "seqread-128k",
		"seqread-1m", "seqwrite-1m", "oltp-8k-7030", "wal-writer", "vm-boot-storm",
		"crystaldiskmark", "streaming-media", "write-verify", "zipf-hotset",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct profile *p = profile_find(want[i]);

		if (!p)
			print_error("missing profile %s\n", want[i]);
		assert_non_null(p);
		/* the comment block explains the model, what to look at, the numbers */
		assert_non_null(strstr(p->text, "# Models:"));
		assert_non_null(strstr(p->text, "# Look at:"));
		assert_non_null(strstr(p->text, "# Numbers:"));
		/* no target in a profile: iolab supplies one */
		assert_null(strstr(p->text, "\nfilename="));
	}
}

static void test_find(void **state)
{
	(void)state;
	assert_non_null(profile_find("randread-4k-qd1"));
	assert_string_equal(profile_find("RandRead-4K-QD1.fio")->name, "randread-4k-qd1");
	assert_null(profile_find("randread-4k"));
	assert_null(profile_find(""));
	assert_null(profile_find(NULL));
}

static void test_unknown_names_suggestions(void **state)
{
	struct job_list l;
	char err[512] = "";

	(void)state;
	job_list_init(&l);
	assert_int_equal(profile_load(&l, "qd32", NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "unknown profile 'qd32'"));
	assert_non_null(strstr(err, "randread-4k-qd32"));
	assert_non_null(strstr(err, "--list-profiles"));
	err[0] = '\0';
	assert_int_equal(profile_load(&l, "seqred-1m", NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "'seqread-1m'"));
	assert_int_equal(l.nr, 0);
	job_list_free(&l);
}

static void test_scratch_path(void **state)
{
	char buf[256], *old = getenv("TMPDIR") ? strdup(getenv("TMPDIR")) : NULL;

	(void)state;
	unsetenv("TMPDIR");
	assert_int_equal(profile_scratch_path(buf, sizeof(buf), "seqread-1m"), 0);
	assert_string_equal(buf, "/tmp/iolab-seqread-1m.dat");
	setenv("TMPDIR", "/var/tmp//", 1);
	assert_int_equal(profile_scratch_path(buf, sizeof(buf), "x"), 0);
	assert_string_equal(buf, "/var/tmp/iolab-x.dat");
	setenv("TMPDIR", "", 1);
	assert_int_equal(profile_scratch_path(buf, sizeof(buf), "x"), 0);
	assert_string_equal(buf, "/tmp/iolab-x.dat");
	assert_int_equal(profile_scratch_path(buf, 8, "x"), -ENAMETOOLONG);
	if (old) {
		setenv("TMPDIR", old, 1);
		free(old);
	} else {
		unsetenv("TMPDIR");
	}
}

/* Every profile loads, lands on the scratch file (never a device) and
 * validates; with a filename every job takes it. */
static void test_every_profile_loads(void **state)
{
	size_t n;
	const struct profile *p = profiles_list(&n);
	char *old = getenv("TMPDIR") ? strdup(getenv("TMPDIR")) : NULL;
	char err[512], scratch[512], other[512];

	(void)state;
	setenv("TMPDIR", tmpdir(), 1);
	snprintf(other, sizeof(other), "%s/iolab-profile-test.dat", tmpdir());
	for (size_t i = 0; i < n; i++) {
		struct job_list l;

		assert_int_equal(profile_scratch_path(scratch, sizeof(scratch), p[i].name), 0);
		job_list_init(&l);
		err[0] = '\0';
		if (profile_load(&l, p[i].name, NULL, err, sizeof(err))) {
			print_error("%s: %s\n", p[i].name, err);
			fail();
		}
		assert_true(l.nr >= 1);
		for (size_t j = 0; j < l.nr; j++) {
			const char *fn = l.jobs[j].opts.filename;

			assert_non_null(fn);
			/* default.fio names its own scratch file; ours get the scratch path */
			if (strcmp(p[i].name, "default"))
				assert_string_equal(fn, scratch);
			assert_true(strncmp(fn, "/dev/", 5) != 0);
		}
		if (job_list_finalize(&l, err, sizeof(err))) {
			print_error("%s: %s\n", p[i].name, err);
			fail();
		}
		job_list_free(&l);

		job_list_init(&l);
		assert_int_equal(profile_load(&l, p[i].name, other, err, sizeof(err)), 0);
		for (size_t j = 0; j < l.nr; j++)
			assert_string_equal(l.jobs[j].opts.filename, other);
		assert_string_equal(l.global.filename, other);
		err[0] = '\0';
		if (job_list_finalize(&l, err, sizeof(err))) {
			print_error("%s: %s\n", p[i].name, err);
			fail();
		}
		job_list_free(&l);
	}
	if (old) {
		setenv("TMPDIR", old, 1);
		free(old);
	}
}

static void test_overrides(void **state)
{
	struct job_list l;
	char err[512] = "";
	char *ok[] = { "--runtime=1", "--size=16m", "--bs=8k", "--direct=0", "--iodepth=4" };
	char *bad_opt[] = { "--size=16m", "--nosuchopt=1" };
	char *bad_val[] = { "--bs=lots" };
	char *not_opt[] = { "plain" };

	(void)state;
	job_list_init(&l);
	assert_int_equal(profile_load(&l, "crystaldiskmark", "/tmp/x.dat", err, sizeof(err)), 0);
	assert_true(l.nr >= 8);
	assert_int_equal(profile_apply_args(&l, 5, ok, err, sizeof(err)), 0);
	for (size_t j = 0; j < l.nr; j++) {
		const struct job_opts *o = &l.jobs[j].opts;

		assert_int_equal(o->runtime_us, 1000000);
		assert_int_equal(o->size, 16ULL << 20);
		assert_int_equal(o->bs[DDIR_READ], 8192);
		assert_int_equal(o->iodepth, 4);
		assert_false(o->direct);
	}
	assert_int_equal(profile_apply_args(&l, 2, bad_opt, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "command line: nosuchopt"));
	assert_int_equal(profile_apply_args(&l, 1, bad_val, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "command line: bs"));
	assert_int_equal(profile_apply_args(&l, 1, not_opt, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "'plain'"));
	assert_int_equal(job_list_finalize(&l, err, sizeof(err)), 0);
	job_list_free(&l);
}

static void test_print(void **state)
{
	char *buf = NULL, *line, *save = NULL;
	size_t len = 0, n;
	const struct profile *p = profiles_list(&n);
	FILE *f = open_memstream(&buf, &len);
	long col = -1;
	size_t rows = 0;

	(void)state;
	assert_non_null(f);
	profiles_print(f);
	fclose(f);
	for (size_t i = 0; i < n; i++)
		assert_non_null(strstr(buf, p[i].description));
	/* descriptions start in one column */
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		for (size_t i = 0; i < n; i++) {
			char *d;

			if (strncmp(line + 2, p[i].name, strlen(p[i].name)) ||
			    line[2 + strlen(p[i].name)] != ' ')
				continue;
			d = strstr(line, p[i].description);
			assert_non_null(d);
			if (col < 0)
				col = d - line;
			assert_int_equal(d - line, col);
			rows++;
		}
	}
	assert_int_equal(rows, n);
	free(buf);
}

/* The binary carries what is in profiles/ (when the tree is at hand). */
static void test_embedded_matches_files(void **state)
{
	size_t n, checked = 0;
	const struct profile *p = profiles_list(&n);

	(void)state;
	for (size_t i = 0; i < n; i++) {
		char path[256], *text;
		FILE *f;
		long sz;

		snprintf(path, sizeof(path), "profiles/%s.fio", p[i].name);
		f = fopen(path, "r");
		if (!f)
			continue;
		fseek(f, 0, SEEK_END);
		sz = ftell(f);
		rewind(f);
		text = calloc(1, (size_t)sz + 1);
		assert_non_null(text);
		assert_int_equal(fread(text, 1, (size_t)sz, f), (size_t)sz);
		fclose(f);
		assert_string_equal(text, p[i].text);
		free(text);
		checked++;
	}
	if (!checked) {
		print_message("skip: profiles/ is not in the current directory\n");
		skip();
	}
}

/* fio itself accepts every profile (fio --parse-only). */
static void test_fio_accepts(void **state)
{
	size_t n;
	const struct profile *p = profiles_list(&n);
	char path[512], cmd[1200];

	(void)state;
	if (system("command -v fio >/dev/null 2>&1")) {
		print_message("skip: fio is not installed\n");
		skip();
	}
	for (size_t i = 0; i < n; i++) {
		FILE *f;
		int rc;

		snprintf(path, sizeof(path), "%s/iolab-profile-%s.fio", tmpdir(), p[i].name);
		f = fopen(path, "w");
		assert_non_null(f);
		fputs(p[i].text, f);
		fclose(f);
		snprintf(cmd, sizeof(cmd), "TMPDIR=%s fio --parse-only '%s' >/dev/null 2>&1",
			 tmpdir(), path);
		rc = system(cmd);
		if (rc)
			print_error("fio --parse-only rejects %s\n", p[i].name);
		assert_int_equal(rc, 0);
		unlink(path);
	}
}

/* Scratch files for a workbench that loads one profile after another:
 * each made file is known as scratch, the one no job names any more is
 * removed on the next load, the rest at cleanup; with keep, none is
 * removed and every path can still be listed. All under a private TMPDIR. */
static void test_scratch_lifecycle(void **state)
{
	char dir[512], err[512], paths[4096], first[1024], second[1024];
	const char *old = getenv("TMPDIR");
	char *saved = old ? strdup(old) : NULL;
	struct job_list a, b;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/iolab-scratch.XXXXXX", tmpdir());
	assert_non_null(mkdtemp(dir));
	setenv("TMPDIR", dir, 1);

	job_list_init(&a);
	assert_int_equal(profile_load(&a, "seqread-1m", NULL, err, sizeof(err)), 0);
	assert_int_equal(profile_make_scratch(&a, "seqread-1m", err, sizeof(err)), 0);
	snprintf(first, sizeof(first), "%s", a.jobs[0].opts.filename);
	assert_non_null(strstr(first, "/iolab-seqread-1m."));
	assert_int_equal(access(first, F_OK), 0);
	assert_true(profile_scratch_owns(first));
	assert_false(profile_scratch_owns("/etc/passwd"));

	/* another profile replaces the jobs: the first file goes */
	job_list_init(&b);
	assert_int_equal(profile_load(&b, "randread-4k-qd1", NULL, err, sizeof(err)), 0);
	assert_int_equal(profile_make_scratch(&b, "randread-4k-qd1", err, sizeof(err)), 0);
	snprintf(second, sizeof(second), "%s", b.jobs[0].opts.filename);
	assert_int_equal(profile_scratch_paths(paths, sizeof(paths)), 2);
	profile_scratch_drop_unused(&b);
	assert_int_equal(access(first, F_OK), -1);
	assert_false(profile_scratch_owns(first));
	assert_int_equal(access(second, F_OK), 0);
	assert_int_equal(profile_scratch_paths(paths, sizeof(paths)), 1);
	assert_string_equal(paths, second);

	/* kept: cleanup forgets it, the file stays */
	profile_scratch_keep(true);
	profile_scratch_cleanup();
	assert_int_equal(access(second, F_OK), 0);
	assert_false(profile_scratch_owns(second));
	assert_int_equal(unlink(second), 0);
	profile_scratch_keep(false);

	/* not kept: cleanup removes it */
	assert_int_equal(profile_make_scratch(&a, "default", err, sizeof(err)), 0);
	job_list_free(&a);
	job_list_init(&a);
	assert_int_equal(profile_load(&a, "default", NULL, err, sizeof(err)), 0);
	assert_int_equal(profile_make_scratch(&a, "default", err, sizeof(err)), 0);
	snprintf(first, sizeof(first), "%s", a.jobs[0].opts.filename);
	assert_int_equal(access(first, F_OK), 0);
	profile_scratch_cleanup();
	assert_int_equal(access(first, F_OK), -1);

	job_list_free(&a);
	job_list_free(&b);
	assert_int_equal(rmdir(dir), 0); /* nothing left behind */
	if (saved)
		setenv("TMPDIR", saved, 1);
	else
		unsetenv("TMPDIR");
	free(saved);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_embedded_and_documented),
		cmocka_unit_test(test_required_set),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_unknown_names_suggestions),
		cmocka_unit_test(test_scratch_path),
		cmocka_unit_test(test_scratch_lifecycle),
		cmocka_unit_test(test_every_profile_loads),
		cmocka_unit_test(test_overrides),
		cmocka_unit_test(test_print),
		cmocka_unit_test(test_embedded_matches_files),
		cmocka_unit_test(test_fio_accepts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
