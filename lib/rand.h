/* Deterministic pseudo-random numbers for workloads (xoshiro256**), and the
 * access distributions fio offers. Same seed, same sequence, on every host. */
#ifndef IOLAB_RAND_H
#define IOLAB_RAND_H

#include <stdint.h>

struct rand_state {
	uint64_t s[4];
};

void rand_seed(struct rand_state *r, uint64_t seed);
uint64_t rand_u64(struct rand_state *r);
/* Uniform in [0, n) without modulo bias; n > 0. */
uint64_t rand_below(struct rand_state *r, uint64_t n);
/* Uniform double in [0, 1). */
double rand_double(struct rand_state *r);

/* Zipf(theta) and Pareto(h) over [0, n): precomputed once per job.
 * Normal(sigma%) centred on n/2 with sigma a percentage of n. */
struct rand_dist_state {
	int kind; /* enum rand_dist from backend/options.h */
	uint64_t n;
	double param;
	double zeta2, zetan, alpha, eta; /* zipf */
};

void rand_dist_init(struct rand_dist_state *d, int kind, double param, uint64_t n);
uint64_t rand_dist_next(struct rand_dist_state *d, struct rand_state *r);

#endif
