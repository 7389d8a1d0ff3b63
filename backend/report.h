/* Results as fio prints them: the human summary, JSON and json+.
 *
 * Called after the jobs end (or were stopped) from the control thread; reads
 * job stats through the backend interface only. */
#ifndef IOLAB_REPORT_H
#define IOLAB_REPORT_H

#include <stdio.h>

struct backend;

enum report_format {
	REPORT_NORMAL = 1u << 0,
	REPORT_JSON = 1u << 1,
	REPORT_JSONPLUS = 1u << 2, /* JSON with clat histogram bins */
	REPORT_TERSE = 1u << 3,
};

/* Parse "normal,json+" style lists. Returns a mask, or 0 if unknown. */
unsigned report_parse_formats(const char *s);
/* Write every job (grouped per group_reporting) in the given formats. */
void report_write(FILE *f, struct backend *be, unsigned formats);

#endif
