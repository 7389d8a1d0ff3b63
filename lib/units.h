/* Human units for figures on screen: axis ticks, tables, tooltips.
 *
 * One table of units; each knows its scale base (1000 or 1024), its
 * prefixes and suffix. Values are shown with at most three significant
 * digits and trailing zeros trimmed: 2000 IOPS -> "2k", 8192000 B/s ->
 * "7.81MiB/s", 1500000 ns -> "1.5ms". Pure functions, no curses: screens,
 * reports and messages alike. */
#ifndef IOLAB_UNITS_H
#define IOLAB_UNITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum unit {
	UNIT_NONE = 0, /* plain number, k/M/G by 1000 */
	UNIT_BYTES,    /* B, KiB, MiB, GiB, TiB */
	UNIT_BYTES_S,  /* B/s, KiB/s, MiB/s, ... */
	UNIT_NSEC,     /* ns, us, ms, s (input in nanoseconds) */
	UNIT_PCT,      /* 0..100 "%" */
	UNIT_NR,
};

/* Format @v in @u into @buf ("0" for zero, "-" for a negative value). */
void units_fmt(char *buf, size_t len, double v, enum unit u);
/* The same, or "-" when the figure is missing (!@have, NaN). */
void units_fmt_or_dash(char *buf, size_t len, bool have, double v, enum unit u);

/* A size in bytes for messages and plans: "512B", "4KiB", "1.5MiB" (kB,
 * MB... when @kb_base is 1000); one decimal at most. */
void fmt_size(char *buf, size_t len, uint64_t bytes, unsigned kb_base);

/* Axis scale: the smallest "nice" top >= @max / 1.01 (1, 2, 2.5, 4, 5 x
 * 10^k in the unit's scaled domain) so that [0, top] splits into at most
 * @max_ticks intervals of *step. A @max of zero or less gives the unit's
 * minimum scale. Returns top. */
double units_nice_scale(double max, enum unit u, int max_ticks, double *step);

/* Time since start in seconds as an axis label: "0s", "45s", "1m", "1m30",
 * "1h", "1h05". */
void units_fmt_time(char *buf, size_t len, double secs);
/* A step in seconds from 1, 2, 5, 10, 15, 30 s, 1, 2, 5, 10, 15, 30 min,
 * 1, 2, 6, 12 h, 1 d: the smallest at least @min_secs. */
double units_time_step(double min_secs);

#endif
