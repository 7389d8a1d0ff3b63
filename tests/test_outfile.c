/* lib/outfile: what may be written as an output, atomic replacement and
 * scratch files, each case in a private scratch directory. Block devices
 * need root and a loop device: tests/int/outfile_devices.sh covers them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/outfile.h"
#include "tests/scratch.h"

static char dir[1024];

static int setup(void **state)
{
	return scratch_dir_make(dir, sizeof(dir), "test_outfile");
}

static int teardown(void **state)
{
	return scratch_dir_remove(dir);
}

static char *at(const char *name)
{
	static char buf[4][2048];
	static int k;

	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", dir, name);
	return buf[k];
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static char *get(const char *path)
{
	static char buf[4096];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Entries of the scratch directory whose name contains @part. */
static int count_named(const char *part)
{
	char cmd[2200], line[64];
	FILE *p;

	snprintf(cmd, sizeof(cmd), "ls -a '%s' | grep -c -- '%s'", dir, part);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_non_null(fgets(line, sizeof(line), p));
	pclose(p);
	return atoi(line);
}

/* Every kind of non-regular file is refused by check, open and replace,
 * with the reason, and nothing blocks (a FIFO without a reader). */
static void test_refuses_special_files(void **state)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int sock = socket(AF_UNIX, SOCK_STREAM, 0);
	static const struct {
		const char *name, *why;
		int ret;
	} cases[] = {
		{ "fifo", "is a FIFO", -EINVAL },
		{ "sock", "is a socket", -EINVAL },
		{ "/dev/null", "is a character device", -EINVAL },
		{ "subdir", "is a directory", -EISDIR },
	};
	char err[512];

	assert_int_equal(mkfifo(at("fifo"), 0600), 0);
	assert_true(sock >= 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", at("sock"));
	assert_int_equal(bind(sock, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(mkdir(at("subdir"), 0700), 0);

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *p = cases[i].name[0] == '/' ? cases[i].name : at(cases[i].name);
		char label[1100];

		snprintf(label, sizeof(label), "--output=%s", p);
		err[0] = '\0';
		assert_int_equal(outfile_check(p, OUTF_NAMED, label, err, sizeof(err)),
				 cases[i].ret);
		assert_non_null(strstr(err, label));
		assert_non_null(strstr(err, cases[i].why));
		assert_non_null(strstr(err, "only to regular files"));
		err[0] = '\0';
		assert_int_equal(outfile_open(p, OUTF_NAMED, 0644, label, err, sizeof(err)),
				 cases[i].ret);
		assert_non_null(strstr(err, cases[i].why));
		err[0] = '\0';
		assert_int_equal(outfile_replace(p, OUTF_NAMED, "x", 1, label, err, sizeof(err)),
				 cases[i].ret);
		assert_non_null(strstr(err, cases[i].why));
		/* nor through a symlink the user named */
		unlink(at("link"));
		assert_int_equal(symlink(p, at("link")), 0);
		assert_int_equal(outfile_open(at("link"), OUTF_NAMED, 0644, NULL, err,
					      sizeof(err)), cases[i].ret);
	}
	close(sock);
	assert_int_equal(count_named(".tmp."), 0);
}

/* A regular file is opened truncated, or appended to; a missing one made. */
static void test_open_regular(void **state)
{
	char err[256];
	int fd;

	put(at("reg"), "old contents\n");
	fd = outfile_open(at("reg"), OUTF_NAMED, 0644, NULL, err, sizeof(err));
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "new\n", 4), 4);
	close(fd);
	assert_string_equal(get(at("reg")), "new\n");

	fd = outfile_open(at("reg"), OUTF_NAMED | OUTF_APPEND, 0644, NULL, err, sizeof(err));
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "more\n", 5), 5);
	close(fd);
	assert_string_equal(get(at("reg")), "new\nmore\n");

	fd = outfile_open(at("fresh"), 0, 0600, NULL, err, sizeof(err));
	assert_true(fd >= 0);
	close(fd);
	assert_string_equal(get(at("fresh")), "");
}

/* In a world-writable directory a derived name is not followed through a
 * planted symlink; a name the user gave is. */
static void test_shared_dir_links(void **state)
{
	char err[512];
	int fd;

	assert_int_equal(mkdir(at("shared"), 0700), 0);
	assert_int_equal(chmod(at("shared"), 01777), 0);
	assert_true(outfile_dir_shared(at("shared")));
	assert_true(outfile_in_shared_dir(at("shared/x")));
	assert_false(outfile_in_shared_dir(at("x")));
	put(at("victim"), "precious\n");
	assert_int_equal(symlink(at("victim"), at("shared/a_bw.1.log")), 0);

	assert_int_equal(outfile_check(at("shared/a_bw.1.log"), 0, "write_bw_log", err,
				       sizeof(err)), -ELOOP);
	assert_non_null(strstr(err, "symbolic link in a world-writable directory"));
	assert_int_equal(outfile_open(at("shared/a_bw.1.log"), 0, 0644, NULL, err, sizeof(err)),
			 -ELOOP);
	assert_int_equal(outfile_open(at("shared/a_bw.1.log"), OUTF_APPEND, 0644, NULL, err,
				      sizeof(err)), -ELOOP);
	assert_int_equal(outfile_replace(at("shared/a_bw.1.log"), 0, "x", 1, NULL, err,
					 sizeof(err)), -ELOOP);
	assert_string_equal(get(at("victim")), "precious\n");

	/* named: the user's own link is followed */
	fd = outfile_open(at("shared/a_bw.1.log"), OUTF_NAMED, 0644, NULL, err, sizeof(err));
	assert_true(fd >= 0);
	close(fd);
	assert_string_equal(get(at("victim")), "");
}

/* Replacement: content complete, no temporary left, the old mode kept, a
 * predictable temporary name planted as a link is not used, a named link
 * keeps pointing at the (replaced) file. */
static void test_atomic_replace(void **state)
{
	char err[256], planted[2200];
	struct stat st;

	put(at("victim2"), "precious\n");
	snprintf(planted, sizeof(planted), "%s.tmp.%d", at("out.json"), (int)getpid());
	assert_int_equal(symlink(at("victim2"), planted), 0);
	assert_int_equal(outfile_replace(at("out.json"), OUTF_NAMED, "{}\n", 3, NULL, err,
					 sizeof(err)), 0);
	assert_string_equal(get(at("out.json")), "{}\n");
	assert_string_equal(get(at("victim2")), "precious\n");
	unlink(planted);
	assert_int_equal(count_named(".tmp."), 0);

	assert_int_equal(chmod(at("out.json"), 0640), 0);
	assert_int_equal(outfile_replace(at("out.json"), OUTF_NAMED, "[]\n", 3, NULL, err,
					 sizeof(err)), 0);
	assert_int_equal(stat(at("out.json"), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);

	assert_int_equal(symlink(at("out.json"), at("latest")), 0);
	assert_int_equal(outfile_replace(at("latest"), OUTF_NAMED, "1\n", 2, NULL, err,
					 sizeof(err)), 0);
	assert_int_equal(lstat(at("latest"), &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_string_equal(get(at("out.json")), "1\n");
	assert_int_equal(count_named(".tmp."), 0);
}

/* A write error (here the descriptor yanked from under the FILE) fails the
 * commit, leaves the target as it was and removes the temporary. */
static void test_atomic_write_error(void **state)
{
	struct outfile_atomic a;
	char err[256] = "", big[8192];
	int fd;

	put(at("keep"), "before\n");
	assert_int_equal(outfile_atomic_begin(&a, at("keep"), OUTF_NAMED, "verify_state", err,
					      sizeof(err)), 0);
	fd = fileno(a.f);
	assert_int_equal(dup2(open("/dev/null", O_RDONLY), fd), fd);
	memset(big, 'x', sizeof(big));
	fwrite(big, 1, sizeof(big), a.f);
	assert_true(outfile_atomic_commit(&a, err, sizeof(err)) < 0);
	assert_non_null(strstr(err, "verify_state"));
	assert_string_equal(get(at("keep")), "before\n");
	assert_int_equal(count_named(".tmp."), 0);

	assert_int_equal(outfile_atomic_begin(&a, at("keep"), OUTF_NAMED, NULL, err, sizeof(err)),
			 0);
	fputs("never\n", a.f);
	outfile_atomic_abort(&a);
	assert_string_equal(get(at("keep")), "before\n");
	assert_int_equal(count_named(".tmp."), 0);
}

/* Scratch files: unique, 0600, new; removed only while the path still
 * names them. */
static void test_scratch(void **state)
{
	struct outfile_scratch a, b;
	char err[256], *old;
	struct stat st;
	size_t dl = strlen(dir);

	assert_int_equal(outfile_scratch_create(&a, dir, "iolab-x.", ".dat", err, sizeof(err)),
			 0);
	assert_int_equal(outfile_scratch_create(&b, dir, "iolab-x.", ".dat", err, sizeof(err)),
			 0);
	assert_string_not_equal(a.path, b.path);
	assert_int_equal(strncmp(a.path, dir, dl), 0);
	assert_int_equal(strncmp(a.path + dl, "/iolab-x.", 9), 0);
	assert_int_equal(strlen(a.path), dl + 9 + 6 + 4);
	assert_string_equal(a.path + strlen(a.path) - 4, ".dat");
	assert_int_equal(lstat(a.path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(st.st_size, 0);

	assert_int_equal(outfile_scratch_remove(&a), 0);
	assert_null(a.path);
	assert_int_equal(count_named("iolab-x."), 1);

	/* b replaced by a link to a victim: neither is removed */
	put(at("victim3"), "precious\n");
	assert_int_equal(unlink(b.path), 0);
	assert_int_equal(symlink(at("victim3"), b.path), 0);
	assert_int_equal(outfile_scratch_remove(&b), -ESTALE);
	assert_string_equal(get(at("victim3")), "precious\n");
	assert_int_equal(count_named("iolab-x."), 1);

	/* $TMPDIR when no directory is given */
	old = getenv("TMPDIR") ? strdup(getenv("TMPDIR")) : NULL;
	setenv("TMPDIR", dir, 1);
	assert_int_equal(outfile_scratch_create(&a, NULL, "iolab-y-", "", err, sizeof(err)), 0);
	if (old)
		setenv("TMPDIR", old, 1);
	else
		unsetenv("TMPDIR");
	free(old);
	assert_int_equal(strncmp(a.path, dir, dl), 0);
	assert_int_equal(outfile_scratch_remove(&a), 0);

	/* a directory that is not there: the reason, nothing allocated */
	assert_true(outfile_scratch_create(&a, at("nope"), "p", "", err, sizeof(err)) < 0);
	assert_null(a.path);
	assert_non_null(strstr(err, "cannot create a scratch file"));
}

/* The scratch files made are known by name until removed: a job opening
 * one by name uses only the file made (worker_setup_files). */
static void test_scratch_made(void **state)
{
	struct outfile_scratch a;
	char err[256], twice[1200];
	struct stat st;
	dev_t dev;
	ino_t ino;

	(void)state;
	assert_int_equal(outfile_scratch_create(&a, dir, "iolab-m.", ".dat", err, sizeof(err)),
			 0);
	assert_int_equal(lstat(a.path, &st), 0);
	assert_true(outfile_scratch_made(a.path, &dev, &ino));
	assert_true(dev == st.st_dev && ino == st.st_ino);
	/* "/tmp//x" is the same name */
	snprintf(twice, sizeof(twice), "%s/%s", dir, a.path + strlen(dir));
	assert_true(outfile_same_path(twice, a.path));
	assert_true(outfile_scratch_made(twice, &dev, &ino));
	assert_false(outfile_scratch_made(at("other.dat"), &dev, &ino));
	assert_false(outfile_same_path(a.path, at("other.dat")));

	/* made again (unlink=1 took it): the new file is the one known */
	outfile_scratch_renew(a.path, st.st_dev, st.st_ino + 7);
	assert_true(outfile_scratch_made(a.path, &dev, &ino));
	assert_true(ino == st.st_ino + 7);
	outfile_scratch_renew(a.path, st.st_dev, st.st_ino);

	/* removed: not known any more */
	assert_int_equal(outfile_scratch_remove(&a), 0);
	assert_false(outfile_scratch_made(twice, &dev, &ino));
}

static void test_unlink_if_same(void **state)
{
	struct stat st;

	put(at("u"), "x");
	assert_int_equal(stat(at("u"), &st), 0);
	assert_int_equal(outfile_unlink_if_same(at("u"), st.st_dev, st.st_ino + 1), -ESTALE);
	assert_int_equal(outfile_unlink_if_same(at("u"), st.st_dev, st.st_ino), 0);
	assert_int_equal(access(at("u"), F_OK), -1);
	assert_int_equal(outfile_unlink_if_same(at("u"), st.st_dev, st.st_ino), -ENOENT);
}

static void test_stdout_names(void **state)
{
	assert_true(outfile_is_stdout("-"));
	assert_true(outfile_is_stdout("/dev/stdout"));
	assert_false(outfile_is_stdout("out.json"));
	assert_false(outfile_is_stdout(NULL));
	assert_null(outfile_type_refusal(S_IFREG));
	assert_string_equal(outfile_type_refusal(S_IFBLK), "is a block device");
}

/* outfile_emit: a named file through the atomic writer (a FIFO is
 * refused, the file left as it was); NULL and "-" go to stdout, here a
 * pipe, whole; a pipe with no reader is -EPIPE with the reason. */
static void test_emit(void **state)
{
	char err[256], got[64] = "";
	int p[2], saved = dup(STDOUT_FILENO);
	void (*old)(int) = signal(SIGPIPE, SIG_IGN);

	assert_int_equal(outfile_emit(at("r.txt"), "figures\n", 8, "--output=r.txt", err,
				      sizeof(err)), 0);
	assert_string_equal(get(at("r.txt")), "figures\n");
	assert_int_equal(mkfifo(at("fifo"), 0600), 0);
	assert_int_equal(outfile_emit(at("fifo"), "x", 1, "--output=fifo", err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "--output=fifo"));

	assert_true(saved >= 0);
	assert_int_equal(pipe(p), 0);
	assert_int_equal(dup2(p[1], STDOUT_FILENO), STDOUT_FILENO);
	close(p[1]);
	assert_int_equal(outfile_emit(NULL, "abc", 3, "-", err, sizeof(err)), 0);
	assert_int_equal(outfile_emit("-", "def", 3, "-", err, sizeof(err)), 0);
	assert_int_equal(read(p[0], got, sizeof(got) - 1), 6);
	assert_string_equal(got, "abcdef");
	close(p[0]);
	assert_int_equal(outfile_emit(NULL, "ghi", 3, "-", err, sizeof(err)), -EPIPE);
	assert_non_null(strstr(err, "reader went away"));
	assert_int_equal(dup2(saved, STDOUT_FILENO), STDOUT_FILENO);
	close(saved);
	signal(SIGPIPE, old);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_refuses_special_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_regular, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shared_dir_links, setup, teardown),
		cmocka_unit_test_setup_teardown(test_atomic_replace, setup, teardown),
		cmocka_unit_test_setup_teardown(test_atomic_write_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scratch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scratch_made, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unlink_if_same, setup, teardown),
		cmocka_unit_test(test_stdout_names),
		cmocka_unit_test_setup_teardown(test_emit, setup, teardown),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
