/* fio's --bandwidth-log files; see agglog.h. */
#include <errno.h>
#include <stdbool.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/outfile.h"
#include "agglog.h"
#include "samples.h"

static const char *const agg_names[DDIR_RWDIR_CNT] = {
	"agg-read_bw.log", "agg-write_bw.log", "agg-trim_bw.log",
};

static int cmp_end(const void *a, const void *b)
{
	const struct sample *x = a, *y = b;

	return x->t_end < y->t_end ? -1 : x->t_end > y->t_end;
}

int agglog_check(const char *dir, char *err, size_t errlen)
{
	for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
		char path[4096], what[4200];
		int rc;

		snprintf(path, sizeof(path), "%s/%s", dir, agg_names[d]);
		snprintf(what, sizeof(what), "--bandwidth-log: %s", path);
		rc = outfile_check(path, 0, what, err, errlen);
		if (rc)
			return rc;
	}
	return 0;
}

int agglog_write(struct sample_store *ss, const char *dir, char *err, size_t errlen)
{
	struct sample *all = NULL;
	FILE *f[DDIR_RWDIR_CNT] = { NULL };
	uint64_t t0 = 0, t1 = 0;
	size_t n = 0, got;
	int ret = agglog_check(dir, err, errlen); /* all three, before any is made */

	if (ret)
		return ret;
	if (ss) {
		samples_span(ss, &t0, &t1);
		n = samples_query(ss, t0, t1, NULL, 0);
	}
	if (n) {
		all = calloc(n, sizeof(*all));
		if (!all) {
			snprintf(err, errlen, "--bandwidth-log: out of memory");
			return -ENOMEM;
		}
		got = samples_query(ss, t0, t1, all, n);
		n = got < n ? got : n;
		qsort(all, n, sizeof(*all), cmp_end);
	}
	for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
		char path[4096], what[4200];
		int fd;

		/* a name iolab chose: lib/outfile's rules (no device, no
		 * planted symlink) */
		snprintf(path, sizeof(path), "%s/%s", dir, agg_names[d]);
		snprintf(what, sizeof(what), "--bandwidth-log: %s", path);
		fd = outfile_open(path, 0, 0644, what, err, errlen);
		if (fd < 0) {
			ret = fd;
			goto out;
		}
		f[d] = fdopen(fd, "w");
		if (!f[d]) {
			ret = -errno;
			close(fd);
			snprintf(err, errlen, "%s: %s", what, strerror(-ret));
			goto out;
		}
	}
	/* the samples of one sampler tick share its end time */
	for (size_t i = 0; i < n;) {
		double bw[DDIR_RWDIR_CNT] = { 0 };
		uint64_t end = all[i].t_end;
		bool measured = false;

		for (; i < n && all[i].t_end == end; i++) {
			if (all[i].in_ramp)
				continue;
			measured = true;
			for (int d = 0; d < DDIR_RWDIR_CNT; d++)
				bw[d] += all[i].dir[d].bw;
		}
		if (!measured)
			continue;
		for (int d = 0; d < DDIR_RWDIR_CNT; d++)
			fprintf(f[d], "%" PRIu64 ", %" PRIu64 ", %d, 0, 0\n", end / 1000,
				(uint64_t)(bw[d] / 1024.0), d);
	}
out:
	for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
		if (f[d] && (ferror(f[d]) | fclose(f[d])) && !ret) {
			ret = -EIO;
			snprintf(err, errlen, "--bandwidth-log: %s/%s: write error", dir,
				 agg_names[d]);
		}
	}
	free(all);
	return ret;
}
