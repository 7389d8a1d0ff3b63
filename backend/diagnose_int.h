/* Shared between diagnose.c (battery, runner),
 * diagnose_analysis.c and diagnose_output.c; nothing else includes it. */
#ifndef IOLAB_DIAGNOSE_INT_H
#define IOLAB_DIAGNOSE_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "diagnose.h"

#define MIB (1024ULL * 1024)
#define GIB (1024ULL * MIB)

/* "85 us", "1.25 ms", "2.10 s" for a latency in microseconds; "123.4
 * MiB/s" for bytes per second; "12.5k" for IOPS. Return @buf. */
const char *diag_fmt_us(char *buf, size_t len, double us);
const char *diag_fmt_bw(char *buf, size_t len, double bps);
const char *diag_fmt_iops(char *buf, size_t len, double iops);

/* Step @i of the battery goes through the page cache (no direct=1). */
bool diag_step_buffered(unsigned i);
/* A step that ran and measured something (done or stopped, runtime > 0). */
bool diag_step_ok(const struct diagnose_step *s);
/* "alert", "warning", "info". */
const char *diag_severity_name(enum diag_severity s);

/* The analysis' own pieces, shared by diagnose_analysis.c and
 * diagnose_stall.c (pure). */
double diag_median(double *v, size_t n); /* sorts @v */
void diag_finding_init(struct diagnose_finding *f, int step, enum diag_severity sev,
		       const char *code);
/* Name a figure of @f (ignored past DIAG_FINDING_FIGS). */
void diag_fig_add(struct diagnose_finding *f, const char *name, double value);
/* Record @f in the run's list and, when @to_step, in its step's. */
void diag_push_finding(struct diagnose_result *r, const struct diagnose_finding *f, bool to_step);
/* A limit above the device was found (iops_limit or bw_limit). */
bool diag_limited(const struct diagnose_result *r);
/* The p99 a healthy device of r's class shows in step @s. */
double diag_class_p99_us(const struct diagnose_result *r, const struct diagnose_step *s);
/* I/Os in s's lat_bins, and the share of them that took at least @us. */
double diag_bins_total(const struct diagnose_step *s);
double diag_share_over(const struct diagnose_step *s, double us);
/* Periodic stalls across the steps; sets bit k of @covered for each step
 * whose spikes they explain. */
void diag_analyse_periodic(struct diagnose_result *r, unsigned *covered);
/* Tail latency or stalls of step @s (@said: causes given once a run;
 * @quiet: explained elsewhere, only spike_t kept). */
void diag_analyse_tail(struct diagnose_result *r, struct diagnose_step *s, unsigned *said,
		       bool quiet);

#endif
