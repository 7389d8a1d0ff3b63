/* Results as fio prints them: the human summary, JSON and json+.
 *
 * Called after the jobs end (or were stopped) from the control thread; reads
 * job stats through the backend interface only. */
#ifndef IOLAB_REPORT_H
#define IOLAB_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define IOLAB_VERSION "0.1"

struct backend;
struct job_list;
struct job_opts;

enum report_format {
	REPORT_NORMAL = 1u << 0,
	REPORT_JSON = 1u << 1,
	REPORT_JSONPLUS = 1u << 2, /* JSON with clat histogram bins */
	REPORT_TERSE = 1u << 3,
	/* terse's version when not fio's default 3 (at most one set) */
	REPORT_TERSE_V2 = 1u << 4,
	REPORT_TERSE_V4 = 1u << 5,
	REPORT_TERSE_V5 = 1u << 6,
};

/* Parse "normal,json+" style lists. Returns a mask, or 0 if unknown. */
unsigned report_parse_formats(const char *s);
/* Write every job (grouped per group_reporting) in the given formats. */
void report_write(FILE *f, struct backend *be, unsigned formats);

/* Same, with the [global] section (NULL: none) so that JSON carries fio's
 * "global options" object and each job's "job options" lists only what its
 * own section set. */
void report_write_global(FILE *f, struct backend *be, unsigned formats,
			 const struct job_opts *global);

/* fio's start-up lines for the normal format, before the jobs run:
 * "name: (g=0): rw=randrw, bs=(R) 4096B-4096B, ..., ioengine=psync, iodepth=1"
 * per job ("..." for numjobs clones), the version, "Starting N threads". */
void report_write_intro(FILE *f, const struct job_list *l);

/* fio's num2str: @num with at most @maxlen digits, scaled by 1000 or 1024
 * (@pow2) with an SI/IEC prefix and a unit suffix, rounding as fio does:
 * 11567104 bytes -> "11.0MiB". */
enum report_unit { RU_NONE = 0, RU_PERSEC, RU_BYTE, RU_BYTEPERSEC };
void report_fmt_num(char *buf, size_t len, uint64_t num, int maxlen, bool pow2,
		    enum report_unit unit);

#endif
