/* Unit-test helpers: a private scratch directory (made under $TEST_TMP,
 * else $TMPDIR, else /tmp, and removed with everything in it), and running
 * from the source tree's root. */
#ifndef IOLAB_TESTS_SCRATCH_H
#define IOLAB_TESTS_SCRATCH_H

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static inline const char *scratch_base(void)
{
	const char *base = getenv("TEST_TMP");

	if (!base || !*base)
		base = getenv("TMPDIR");
	return base && *base ? base : "/tmp";
}

/* @dir becomes BASE/TAG.XXXXXX, created. Returns 0 or -1. */
static inline int scratch_dir_make(char *dir, size_t len, const char *tag)
{
	snprintf(dir, len, "%s/%s.XXXXXX", scratch_base(), tag);
	return mkdtemp(dir) ? 0 : -1;
}

static inline int scratch_dir_remove(const char *dir)
{
	char cmd[1100];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* A new file BASE/TAG.XXXXXX holding @len bytes of @text: its path
 * (malloc'd; the caller unlinks and frees it), or NULL. */
static inline char *scratch_file_with(const char *tag, const char *text, size_t len)
{
	char *path;
	int fd;

	if (asprintf(&path, "%s/%s.XXXXXX", scratch_base(), tag) < 0)
		return NULL;
	fd = mkstemp(path);
	if (fd < 0 || write(fd, text, len) != (ssize_t)len) {
		if (fd >= 0) {
			close(fd);
			unlink(path);
		}
		free(path);
		return NULL;
	}
	close(fd);
	return path;
}

/* Fuzz round @it: @buf becomes @n bytes of @text cut short (every third
 * round) or with 1 to 4 bytes flipped; returns the length to use. @seed
 * is the caller's generator state. */
static inline size_t fuzz_mutate(char *buf, const char *text, size_t n, int it, unsigned *seed)
{
	size_t len = n;

	memcpy(buf, text, n);
	*seed = *seed * 1103515245u + 12345u;
	if (it % 3 == 0)
		return (*seed >> 8) % (n + 1);
	for (int k = 0; k < 1 + it % 4; k++) {
		*seed = *seed * 1103515245u + 12345u;
		buf[(*seed >> 8) % n] = (char)(*seed >> 20);
	}
	return len;
}

/* Tests that read files of the tree run from its root: when @probe is not
 * reachable from here, move to the root found from the binary's path
 * (build/tests/test_x). Returns 0 or -1. */
static inline int chdir_to_tree(const char *probe)
{
	char exe[4096];
	ssize_t n;

	if (!access(probe, R_OK))
		return 0;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return 0; /* the caller's own check says what is missing */
	exe[n] = '\0';
	for (int i = 0; i < 3; i++) {
		char *s = strrchr(exe, '/');

		if (s)
			*s = '\0';
	}
	return chdir(exe) ? -1 : 0;
}

#endif
