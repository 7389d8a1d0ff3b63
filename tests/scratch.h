/* A private scratch directory for a unit test: made under $TEST_TMP, else
 * $TMPDIR, else /tmp, and removed with everything in it. */
#ifndef IOLAB_TESTS_SCRATCH_H
#define IOLAB_TESTS_SCRATCH_H

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

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

#endif
