/* Steady state detection (fio's steadystate, ss_dur, ss_ramp): once a
 * second, after ss_ramp of the measured phase, each job's (or with
 * group_reporting, each group's) IOPS and bandwidth over the last second
 * go into a window of ss_dur seconds; once the window is full and its
 * criterion holds (max deviation from the mean, or the least-squares
 * slope, absolute or in percent of the mean, under the limit) the job or
 * group stops, as fio ends it. Driven from the sampler thread: the I/O
 * path is untouched. */
#ifndef IOLAB_STEADYSTATE_H
#define IOLAB_STEADYSTATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct run_ctx;
struct job_opts;
struct opt_def;

enum ss_mode_bits {
	SS_IOPS = 1u << 0,  /* else bandwidth */
	SS_SLOPE = 1u << 1, /* else max deviation */
	SS_PCT = 1u << 2,   /* limit in percent of the mean */
};

/* One job's state; job->ss, owned by the job (ss_free). */
struct ss_job {
	unsigned dur;    /* window, seconds */
	bool leader;     /* holds the window: the job, or its group's last member */
	bool attained;
	unsigned n, head; /* samples in the window, oldest */
	uint64_t *iops, *bw;
	double criterion, deviation, slope;
	/* the job's own last reading */
	uint64_t seen_start, prev_ns, prev_ios, prev_bytes;
	uint64_t last_iops, last_bw; /* that reading */
	bool ok;                     /* it is past ss_ramp */
};

/* Set up (or reset) job->ss for every job that asks for it. -ENOMEM or 0. */
int ss_setup(struct run_ctx *rc);
/* Called by the sampler at each wake-up; returns when it next wants one. */
uint64_t ss_poll(struct run_ctx *rc, uint64_t now);
void ss_free(struct ss_job *s);
/* The window in time order: @i 0 is the oldest. */
uint64_t ss_at(const struct ss_job *s, const uint64_t *v, unsigned i);

/* ss= option text: "iops|bw|iops_slope|bw_slope:LIMIT[%]". */
int ss_parse_opt(const struct opt_def *d, struct job_opts *o, const char *val, char *err,
		 size_t errlen);
void ss_print_opt(const struct opt_def *d, const struct job_opts *o, char *buf, size_t len);
/* "iops:10.000000%" as fio's json prints it. */
void ss_describe(const struct job_opts *o, char *buf, size_t len);

#endif
