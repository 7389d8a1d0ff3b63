/* Summary figures; see summary.h. */
#include "summary.h"

#include <math.h>

uint64_t summary_quantize(double v)
{
	if (!(v > 0) || isinf(v))
		return 0;
	if (v >= 18446744073709549568.0) /* largest double below 2^64 */
		return UINT64_MAX;
	return (uint64_t)llroundl((long double)v);
}

void summary_push(struct summary_acc *a, uint64_t v)
{
	if (!a->n || v < a->min)
		a->min = v;
	if (!a->n || v > a->max)
		a->max = v;
	a->sum = a->sum + v < a->sum ? UINT64_MAX : a->sum + v;
	a->sumsq += (long double)v * (long double)v;
	a->n++;
}

/* The mean is sum / n; past 2^53 the division rounds, and a sum that
 * saturated is wrong anyway, so the mean is kept inside [min, max], which
 * holds for the exact mean of any values. */
static double clamp(double m, uint64_t lo, uint64_t hi)
{
	if (m < (double)lo)
		return (double)lo;
	if (m > (double)hi)
		return (double)hi;
	return m;
}

void summary_finish(const struct summary_acc *a, struct summary *out)
{
	long double mean, var;

	*out = (struct summary){ 0 };
	if (!a->n)
		return;
	out->n = a->n;
	out->min = a->min;
	out->max = a->max;
	mean = (long double)a->sum / (long double)a->n;
	out->mean = clamp((double)mean, a->min, a->max);
	if (a->n > 1) {
		var = (a->sumsq - (long double)a->n * mean * mean) / (long double)(a->n - 1);
		out->dev = var > 0 ? (double)sqrtl(var) : 0.0;
	}
}

void summary_add_sum(struct summary *dst, const struct summary *src)
{
	if (!src->n)
		return;
	if (!dst->n) {
		*dst = *src;
		return;
	}
	dst->min += src->min;
	dst->max += src->max;
	dst->mean += src->mean;
	dst->dev += src->dev;
	dst->n += src->n;
	dst->mean = clamp(dst->mean, dst->min, dst->max);
}

void summary_scale(uint64_t min, uint64_t max, double mean, uint64_t div, uint64_t *lo,
		   uint64_t *hi, double *mean_out)
{
	if (!div)
		div = 1;
	*lo = min / div;
	*hi = max / div + (max % div != 0);
	*mean_out = clamp(mean / (double)div, *lo, *hi);
}
