/* Private to the report files: report.c collects the figures and writes
 * fio's normal and terse formats, report_json.c its json and json+. */
#ifndef IOLAB_REPORT_INT_H
#define IOLAB_REPORT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "../lib/summary.h"
#include "diskstats.h"
#include "job.h"
#include "report.h"

#define TERSE_PCT_SLOTS 20 /* fio's FIO_IO_U_LIST_MAX_LEN */
#define REPORT_MAX_DISKS 16

/* One reported entry: a job, or the members of a group merged. */
struct rep_ts {
	char name[128];
	const char *desc;
	const struct job_opts *o; /* first member's options */
	unsigned groupid;
	unsigned members;
	int error;
	char errmsg[256];
	char note[160]; /* the first member's job note (job.h), "" if none */
	struct job_stats *st;
	uint64_t runtime_ms[DDIR_RWDIR_CNT];
	uint64_t job_runtime_ms; /* summed over members, as fio's total_run_time */
	struct summary bw[DDIR_RWDIR_CNT];   /* KiB/s (kb_base), bwavgtime windows */
	struct summary iops[DDIR_RWDIR_CNT];
	unsigned lat_depth; /* latency_target: depth the search settled on, else 0 */
	const struct ss_job *ss; /* steadystate window: the job's or its group's */
	bool mixed; /* unified_rw_reporting: every direction summed in dir[0] */
	/* latencies per I/O priority, as fio 3.33 reports them: when a
	 * member gave its I/Os priorities of their own (cmdprio) or the
	 * members' thread priorities differ; else NULL. Reads and writes
	 * (mixed: both in [0]); printed where two or more hold latencies. */
	struct prio_stats *prio;
	uint32_t thread_prio; /* the first member's (cmdprio.h) */
	bool prio_on;
};

/* fio's group_run_stats: what "Run status group N" prints. */
struct rep_group {
	unsigned id;
	bool used;
	unsigned kb_base;
	uint64_t iobytes[DDIR_RWDIR_CNT];
	uint64_t agg[DDIR_RWDIR_CNT];   /* bytes/s */
	uint64_t min_bw[DDIR_RWDIR_CNT], max_bw[DDIR_RWDIR_CNT];
	uint64_t min_run[DDIR_RWDIR_CNT], max_run[DDIR_RWDIR_CNT];
	unsigned unified; /* bits (1 << enum unified_rw) of the members */
};

struct report {
	struct backend *be;
	const struct job_opts *global;
	struct rep_ts *ts;
	size_t nr_ts;
	struct rep_group *groups;
	size_t nr_groups;
	time_t now;
	uint64_t now_ms; /* wall clock, for timestamp_ms */
	uint64_t elapsed_s;
	struct disk_util du[REPORT_MAX_DISKS];
	size_t nr_du;
};

struct lat_dist {
	double n[10], u[10], m[12];
};

/* The job's percentile_list, or fio's default list. Returns the count. */
size_t rep_job_pcts(const struct job_opts *o, const double **list);
/* unified_rw_reporting=both: @m becomes @t's "mixed" entry, with a copy of
 * its stats and per-priority latencies, freed by rep_mixed_free. Returns 0
 * or -ENOMEM. */
int rep_mixed_copy(const struct rep_ts *t, struct rep_ts *m);
void rep_mixed_free(struct rep_ts *m);
const struct rep_group *rep_group_of(const struct report *r, unsigned id);
void rep_lat_figures(const struct lat_stat *l, uint64_t *min, uint64_t *max, double *mean,
		     double *dev);
/* Completion latency distribution of all directions, in percent of the
 * I/Os (fio floors a non-empty bucket at 0.01%). */
void rep_lat_distribution(const struct job_stats *st, struct lat_dist *out);
/* A 7-bucket map (I/O depths, I/Os per submission or reap) in percent of
 * its sum, fio's stat_calc_dist (floor 0.1%). */
void rep_dist_percent(const uint64_t map[7], double out[7]);
void rep_cpu_percent(const struct rep_ts *t, double *usr, double *sys);
/* Percent of the group's aggregate bandwidth a mean (KiB/s) is, capped at
 * 100 (fio's convert_agg_kbytes_percent). */
double rep_bw_agg_percent(const struct rep_group *g, int d, double mean);
/* "read", "write", "trim", or "mixed" for a folded entry */
const char *rep_dir_name(const struct rep_ts *t, int d);
uint64_t rep_dir_issued(const struct dir_stats *ds);
uint64_t rep_dir_bw_bytes(const struct rep_ts *t, int d);

/* report_json.c: fio's json (@plus: json+, with latency bins). */
void write_json(FILE *f, const struct report *r, bool plus);

#endif
