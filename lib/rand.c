/* xoshiro256** seeded through splitmix64, and fio's access distributions.
 * See rand.h. */
#include "rand.h"

#include <math.h>

#include "../backend/options.h"

#define ZIPF_MAX_GEN 10000000ULL /* cap on terms summed for zeta(n) */

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

void rand_seed(struct rand_state *r, uint64_t seed)
{
	uint64_t x = seed;

	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

uint64_t rand_u64(struct rand_state *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

uint64_t rand_below(struct rand_state *r, uint64_t n)
{
	/* Lemire's multiply-shift with rejection of the biased low range. */
	unsigned __int128 m = (unsigned __int128)rand_u64(r) * n;
	uint64_t low = (uint64_t)m;

	if (low < n) {
		uint64_t thresh = -n % n;

		while (low < thresh) {
			m = (unsigned __int128)rand_u64(r) * n;
			low = (uint64_t)m;
		}
	}
	return (uint64_t)(m >> 64);
}

double rand_double(struct rand_state *r)
{
	return (double)(rand_u64(r) >> 11) * 0x1.0p-53;
}

void rand_dist_init(struct rand_dist_state *d, int kind, double param, uint64_t n)
{
	d->kind = kind;
	d->n = n ? n : 1;
	d->param = param;
	d->zeta2 = d->zetan = d->alpha = d->eta = 0;

	if (kind == DIST_ZIPF) {
		double theta = param;
		uint64_t terms = d->n < ZIPF_MAX_GEN ? d->n : ZIPF_MAX_GEN;

		if (theta == 1.0)
			theta = 0.999999; /* alpha = 1/(1-theta) needs theta != 1 */
		d->param = theta;
		/* Gray et al., "Quickly generating billion-record synthetic
		 * databases": zeta(n, theta) summed over at most ZIPF_MAX_GEN
		 * terms, as fio does. */
		for (uint64_t i = 1; i <= terms; i++)
			d->zetan += pow(1.0 / (double)i, theta);
		d->zeta2 = 1.0 + pow(0.5, theta);
		d->alpha = 1.0 / (1.0 - theta);
		d->eta = (1.0 - pow(2.0 / (double)d->n, 1.0 - theta)) / (1.0 - d->zeta2 / d->zetan);
	} else if (kind == DIST_PARETO) {
		double h = param;

		if (h <= 0.0 || h >= 1.0)
			h = 0.2;
		d->param = h;
		d->alpha = log(h) / log(1.0 - h); /* exponent applied to U */
	}
}

uint64_t rand_dist_next(struct rand_dist_state *d, struct rand_state *r)
{
	uint64_t n = d->n, v;

	switch (d->kind) {
	case DIST_ZIPF: {
		double u = rand_double(r), uz = u * d->zetan;

		if (uz < 1.0)
			v = 0;
		else if (uz < d->zeta2)
			v = 1;
		else
			v = (uint64_t)((double)n * pow(d->eta * u - d->eta + 1.0, d->alpha));
		break;
	}
	case DIST_PARETO:
		v = (uint64_t)((double)(n - 1) * pow(rand_double(r), d->alpha));
		break;
	case DIST_NORMAL: {
		double sigma = d->param / 100.0 * (double)n;
		double u1 = rand_double(r), u2 = rand_double(r), z, x;

		if (sigma <= 0.0)
			return rand_below(r, n);
		/* Box-Muller; u1 in (0, 1] avoids log(0). */
		z = sqrt(-2.0 * log(1.0 - u1)) * cos(2.0 * M_PI * u2);
		x = (double)n / 2.0 + z * sigma;
		if (x < 0.0)
			x = 0.0;
		v = (uint64_t)x;
		break;
	}
	default:
		return rand_below(r, n);
	}
	return v < n ? v : n - 1;
}
