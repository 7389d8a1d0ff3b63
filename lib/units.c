/* Human units; see units.h. */
#include "units.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

struct unit_def {
	double base;              /* 1000 or 1024 */
	const char *prefix[6];    /* per power of base, NULL past the last */
	const char *suffix;
	double min_top;           /* smallest axis top, in raw units */
};

static const struct unit_def units[UNIT_NR] = {
	[UNIT_NONE] = { 1000, { "", "k", "M", "G", "T", "P" }, "", 1 },
	[UNIT_BYTES] = { 1024, { "", "Ki", "Mi", "Gi", "Ti", "Pi" }, "B", 1024 },
	[UNIT_BYTES_S] = { 1024, { "", "Ki", "Mi", "Gi", "Ti", "Pi" }, "B/s", 1024 },
	[UNIT_NSEC] = { 1000, { "n", "u", "m", "", NULL, NULL }, "s", 1000 },
	[UNIT_PCT] = { 1, { "" }, "%", 100 },
};

/* Power of the base that brings @v below 1000 (never past the last prefix). */
static int scale_of(const struct unit_def *d, double v)
{
	int k = 0;

	if (d->base <= 1)
		return 0;
	while (v >= 999.5 && k + 1 < 6 && d->prefix[k + 1]) {
		v /= d->base;
		k++;
	}
	return k;
}

/* "%.*f" with at most three significant digits, trailing zeros trimmed. */
static void fmt_sig(char *buf, size_t len, double x)
{
	int prec = x >= 99.95 ? 0 : x >= 9.995 ? 1 : 2;
	char *dot;

	snprintf(buf, len, "%.*f", prec, x);
	dot = strchr(buf, '.');
	if (dot) {
		char *e = buf + strlen(buf) - 1;

		while (e > dot && *e == '0')
			*e-- = '\0';
		if (e == dot)
			*e = '\0';
	}
}

void units_fmt(char *buf, size_t len, double v, enum unit u)
{
	const struct unit_def *d = &units[(unsigned)u < UNIT_NR ? u : UNIT_NONE];
	char num[32];
	int k;
	double x;

	if (!len)
		return;
	if (v != v || v < 0) {
		snprintf(buf, len, "-");
		return;
	}
	if (v == 0) {
		snprintf(buf, len, "0");
		return;
	}
	k = scale_of(d, v);
	x = v / pow(d->base, k);
	fmt_sig(num, sizeof(num), x);
	/* rounding may reach 1000 ("999.7" -> "1000"): take the next prefix */
	if (!strcmp(num, "1000") && k + 1 < 6 && d->prefix[k + 1]) {
		k++;
		fmt_sig(num, sizeof(num), v / pow(d->base, k));
	}
	snprintf(buf, len, "%s%s%s", num, d->prefix[k], d->suffix);
}

double units_nice_scale(double max, enum unit u, int max_ticks, double *step)
{
	static const double nice[] = { 1, 2, 2.5, 4, 5, 10 };
	const struct unit_def *d = &units[(unsigned)u < UNIT_NR ? u : UNIT_NONE];
	double scale, x, raw, mag, st = 1, top;
	int k;

	if (max_ticks < 1)
		max_ticks = 1;
	if (!(max > 0))
		max = d->min_top;
	if (u == UNIT_PCT && max <= 100) {
		/* percentages: 0..100 in quarters or halves */
		st = max_ticks >= 4 ? 25 : max_ticks >= 2 ? 50 : 100;
		if (step)
			*step = st;
		return 100;
	}
	/* a value within 1% above a nice top is drawn at the top, not given
	 * a whole extra interval (2003 IOPS -> 0..2k, not 0..3k) */
	max /= 1.01;
	k = scale_of(d, max);
	scale = pow(d->base > 1 ? d->base : 1, k);
	x = max / scale;
	raw = x / max_ticks;
	mag = pow(10, floor(log10(raw)));
	for (size_t i = 0; i < sizeof(nice) / sizeof(nice[0]); i++) {
		st = nice[i] * mag;
		if (st * max_ticks >= x * (1 - 1e-9))
			break;
	}
	top = ceil(x / st - 1e-9) * st;
	if (step)
		*step = st * scale;
	return top * scale;
}

void units_fmt_time(char *buf, size_t len, double secs)
{
	long s = secs < 0 ? 0 : (long)(secs + 0.5);

	if (secs > 0 && secs < 10 && fabs(secs - (double)s) > 0.05)
		snprintf(buf, len, "%.1fs", secs);
	else if (s < 60)
		snprintf(buf, len, "%lds", s);
	else if (s < 3600)
		snprintf(buf, len, s % 60 ? "%ldm%02ld" : "%ldm", s / 60, s % 60);
	else if (s < 86400)
		snprintf(buf, len, s % 3600 ? "%ldh%02ld" : "%ldh", s / 3600, s / 60 % 60);
	else
		snprintf(buf, len, "%ldd%02ldh", s / 86400, s / 3600 % 24);
}

double units_time_step(double min_secs)
{
	static const double steps[] = { 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800,
					3600, 7200, 21600, 43200, 86400 };

	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (steps[i] >= min_secs)
			return steps[i];
	return ceil(min_secs / 86400) * 86400;
}

void units_fmt_or_dash(char *buf, size_t len, bool have, double v, enum unit u)
{
	if (!have || v < 0 || isnan(v))
		snprintf(buf, len, "-");
	else
		units_fmt(buf, len, v, u);
}

void fmt_size(char *buf, size_t len, uint64_t bytes, unsigned kb_base)
{
	static const char *const iec[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	static const char *const si[] = { "B", "kB", "MB", "GB", "TB", "PB", "EB" };
	double base = kb_base == 1000 ? 1000.0 : 1024.0;
	const char *const *u = kb_base == 1000 ? si : iec;
	double v = (double)bytes;
	int i = 0;

	while (v >= base && i < 6) {
		v /= base;
		i++;
	}
	if (i == 0)
		snprintf(buf, len, "%" PRIu64 "B", bytes);
	else if (v == floor(v))
		snprintf(buf, len, "%.0f%s", v, u[i]);
	else
		snprintf(buf, len, "%.1f%s", v, u[i]);
}
