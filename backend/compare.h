/* Reading recordings back for comparison (iolab --compare BASE NEW).
 *
 * compare_load() reads a recording (docs/recording.md) or a fio JSON result
 * (--output-format=json of fio or iolab) into per-job, per-direction
 * figures and the provenance to set beside another run's. compare_print()
 * writes the table and the provenance that differs, and counts the figures
 * worse than a threshold. Pure file reading and printing: no backend, any
 * thread, no shared state. */
#ifndef IOLAB_COMPARE_H
#define IOLAB_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "../lib/jsonr.h"

#define CMP_HIST_NR 512 /* histogram buckets a tick line may carry, at most */

/* One job and direction. Latencies in ns (completion latency, fio's clat). */
struct cmp_fig {
	char job[160];   /* job name, "#N" added for its Nth repeat (clones) */
	int dir;         /* 0 read, 1 write, 2 trim */
	double iops, bw, p50, p99, p999;
	double ios;
};

struct cmp_run {
	char path[512];
	bool is_recording;  /* else a fio JSON result */
	bool complete;      /* the trailer (and its fio result) was read */
	bool from_ticks;    /* figures summed from tick lines (no trailer) */
	char note[768];     /* why what was read stops short ("" when whole) */
	unsigned lines;     /* whole lines read */
	struct jv header;   /* JV_NULL for a fio JSON result */
	struct cmp_fig *figs;
	size_t nfigs;
};

/* Read @path into @out. Returns 0 when figures could be read (out->note
 * then says, with file:line, where and why reading stopped if the file is
 * cut or damaged after its header: what came before is kept); -EINVAL when
 * @path is not a recording nor a fio result, or from a newer format, with
 * "file:line: why" in @err; or another -errno from reading it. */
int compare_load(const char *path, struct cmp_run *out, char *err, size_t errlen);
void compare_free(struct cmp_run *r);

/* The comparison on @f. A figure is worse when IOPS or bandwidth fell, or
 * a latency rose, by more than @max_regression percent (< 0: no
 * threshold). Returns how many are worse. */
unsigned compare_print(FILE *f, const struct cmp_run *base, const struct cmp_run *cur,
		       double max_regression);

#endif
