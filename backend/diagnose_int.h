/* Shared between diagnose.c (battery, runner, command line),
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
/* Append printf output to @buf (NUL-terminated, @len bytes), truncating. */
void diag_appendf(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Step @i of the battery goes through the page cache (no direct=1). */
bool diag_step_buffered(unsigned i);
/* A step that ran and measured something (done or stopped, runtime > 0). */
bool diag_step_ok(const struct diagnose_step *s);
/* "alert", "warning", "info". */
const char *diag_severity_name(enum diag_severity s);

#endif
