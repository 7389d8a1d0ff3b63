/* Private to the option files: options.c (the table, lookup, the checks
 * across options, help), optvalue.c (numbers, storage, plain typed values)
 * and optparse.c (options with a syntax of their own). */
#ifndef IOLAB_OPTIONS_INT_H
#define IOLAB_OPTIONS_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../lib/errmsg.h"
#include "options.h"

#define OFF(f) offsetof(struct job_opts, f)
#define US_PER_MS UINT64_C(1000)
#define US_PER_S UINT64_C(1000000)

/* Longest text of one direction's part of a value ("r,w,t"). */
#define PART_MAX 1024

/* Why a number did not parse (size_parse, time_parse). */
enum num_err { NE_OK = 0, NE_EMPTY, NE_NEG, NE_SYNTAX, NE_SUFFIX, NE_FRAC, NE_RANGE };

/* A reason into @err; -1 for "return fail(...)" (lib/errmsg). */
#define fail errmsg_fail

static inline unsigned kb_of(const struct job_opts *o)
{
	return o && o->kb_base == 1000 ? 1000 : 1024;
}

/* optvalue.c */
/* Size parse with a reason code; see the file comment for the syntax. */
enum num_err size_parse(const char *s, unsigned kb_base, uint64_t *out);
int size_fail(enum num_err e, const char *s, bool size, char *err, size_t errlen);
/* Double without inf/nan/hex; an optional trailing '%' when @pct. */
int double_parse(const char *s, bool pct, double *out);
/* Shortest text that reads back as exactly @v. */
void fmt_double(char *buf, size_t len, double v);
/* Exact time text: a bare number in @unit when it divides, else a suffix. */
void fmt_time_exact(char *buf, size_t len, uint64_t us, unsigned unit);
void *field(struct job_opts *o, const struct opt_def *d);
const void *cfield(const struct job_opts *o, const struct opt_def *d);
size_t elem_size(const struct opt_def *d);
/* An unsigned field of @n bytes. */
uint64_t load_u(const void *p, size_t n);
bool is_bytes(const struct opt_def *d);
void set_str(char **p, const char *v);
/* Splits @val into read/write/trim parts by fio's rules (see the file
 * comment). given[d] false: leave direction d unchanged. Returns 0 or -1. */
int ddir_split(const char *val, char part[DDIR_RWDIR_CNT][PART_MAX],
	       bool given[DDIR_RWDIR_CNT], char *err, size_t errlen);
/* Joins per-direction texts the way ddir_split reads them back. */
void ddir_join(char *buf, size_t len, char txt[DDIR_RWDIR_CNT][PART_MAX]);
/* "1..100", or "at least 1" when the option has no maximum. */
const char *range_text(const struct opt_def *d, char *buf, size_t len);
int range_check(const struct opt_def *d, long long v, bool is_unsigned, uint64_t uv,
		char *err, size_t errlen);
/* One unsigned value for UINT/U64/SIZE/TIME @d from @s. */
int scalar_u(const struct opt_def *d, const struct job_opts *o, const char *s,
	     uint64_t *out, char *err, size_t errlen);
const struct opt_choice *choice_find(const struct opt_choice *c, const char *s);
int choice_fail(const struct opt_def *d, const char *s, char *err, size_t errlen);
int generic_parse(const struct opt_def *d, struct job_opts *o, const char *val,
		  char *err, size_t errlen);
void generic_print(const struct opt_def *d, const struct job_opts *o, char *buf, size_t len);

/* optparse.c */
extern const struct opt_choice rw_choices[];
extern const struct opt_choice dist_choices[];
int parse_size_pct(const struct opt_def *d, struct job_opts *o, const char *val,
		   char *err, size_t errlen);
void print_size_pct(const struct opt_def *d, const struct job_opts *o, char *buf,
		    size_t len);
int parse_rw(const struct opt_def *d, struct job_opts *o, const char *val, char *err,
	     size_t errlen);
void print_rw(const struct opt_def *d, const struct job_opts *o, char *buf, size_t len);
int parse_rwmixwrite(const struct opt_def *d, struct job_opts *o, const char *val,
		     char *err, size_t errlen);
void print_rwmixwrite(const struct opt_def *d, const struct job_opts *o, char *buf,
		      size_t len);
int parse_buffered(const struct opt_def *d, struct job_opts *o, const char *val,
		   char *err, size_t errlen);
void print_buffered(const struct opt_def *d, const struct job_opts *o, char *buf,
		    size_t len);
/* bs=: a fixed size per direction; ranges belong to bsrange=. */
int parse_bs(const struct opt_def *d, struct job_opts *o, const char *val, char *err,
	     size_t errlen);
int parse_bsrange(const struct opt_def *d, struct job_opts *o, const char *val,
		  char *err, size_t errlen);
void print_bsrange(const struct opt_def *d, const struct job_opts *o, char *buf,
		   size_t len);
int parse_bssplit(const struct opt_def *d, struct job_opts *o, const char *val,
		  char *err, size_t errlen);
void print_bssplit(const struct opt_def *d, const struct job_opts *o, char *buf,
		   size_t len);
/* cmdprio_bssplit=: bs/perc[/class/level] lists, checked, stored as text. */
int parse_cmdprio_bssplit(const struct opt_def *d, struct job_opts *o, const char *val,
			  char *err, size_t errlen);
/* ioengine=: must name a registered engine. */
int parse_ioengine(const struct opt_def *d, struct job_opts *o, const char *val,
		   char *err, size_t errlen);
int parse_dist(const struct opt_def *d, struct job_opts *o, const char *val, char *err,
	       size_t errlen);
void print_dist(const struct opt_def *d, const struct job_opts *o, char *buf, size_t len);
/* file_service_type=: roundrobin | sequential | random, each with an
 * optional :N (I/Os to a file before switching, as fio). */
int parse_fservice(const struct opt_def *d, struct job_opts *o, const char *val,
		   char *err, size_t errlen);
void print_fservice(const struct opt_def *d, const struct job_opts *o, char *buf,
		    size_t len);
/* randseed=: a number; "" means not set (the fixed default seed). */
int parse_randseed(const struct opt_def *d, struct job_opts *o, const char *val,
		   char *err, size_t errlen);
void print_randseed(const struct opt_def *d, const struct job_opts *o, char *buf,
		    size_t len);
int parse_pattern(const struct opt_def *d, struct job_opts *o, const char *val,
		  char *err, size_t errlen);
void print_pattern(const struct opt_def *d, const struct job_opts *o, char *buf,
		   size_t len);
/* buffer_pattern=: write buffers hold this pattern, repeated. */
int parse_buffer_pattern(const struct opt_def *d, struct job_opts *o, const char *val,
			 char *err, size_t errlen);
void print_buffer_pattern(const struct opt_def *d, const struct job_opts *o, char *buf,
			  size_t len);
int parse_inject_error(const struct opt_def *d, struct job_opts *o, const char *val,
		       char *err, size_t errlen);
void print_inject_error(const struct opt_def *d, const struct job_opts *o, char *buf,
			size_t len);
/* ignore_error=: "READ,WRITE,VERIFY" lists of ':'-separated errnos (names
 * like EIO or numbers, a minus sign ignored as fio), an empty list leaving
 * its type alone. */
int parse_ignore_error(const struct opt_def *d, struct job_opts *o, const char *val,
		       char *err, size_t errlen);
void print_coe(const struct opt_def *d, const struct job_opts *o, char *buf, size_t len);
void print_ignore_error(const struct opt_def *d, const struct job_opts *o, char *buf,
			size_t len);
/* percentile_list=99:99.9:99.99 (fio's colon-separated list) */
int parse_percentile_list(const struct opt_def *d, struct job_opts *o, const char *val,
			  char *err, size_t errlen);
void print_percentile_list(const struct opt_def *d, const struct job_opts *o, char *buf,
			   size_t len);
/* numa_cpu_nodes=: "all" or a node list in the CPU-list syntax */
int parse_numa_nodes(const struct opt_def *d, struct job_opts *o, const char *val,
		     char *err, size_t errlen);
int parse_cpu_list(const struct opt_def *d, struct job_opts *o, const char *val,
		   char *err, size_t errlen);
/* cpumask=: fio's CPU bit mask, kept as the cpus_allowed list it means */
int parse_cpumask(const struct opt_def *d, struct job_opts *o, const char *val, char *err,
		  size_t errlen);
void print_cpumask(const struct opt_def *d, const struct job_opts *o, char *buf, size_t len);
int parse_inject_delay(const struct opt_def *d, struct job_opts *o, const char *val,
		       char *err, size_t errlen);
void print_inject_delay(const struct opt_def *d, const struct job_opts *o, char *buf,
			size_t len);
int dist_check(unsigned kind, double v, char *err, size_t errlen);

#endif
