/* Priority search tree against a linear scan, on samples-like intervals.
 *
 * Builds 1M intervals shaped like the sample store's: 8 jobs ticking every
 * 100 ms (times in us, a few us of jitter between jobs), with one interval
 * in 256 a rolled-up sample spanning 10 to 500 ticks. Then times many
 * queries of a 1 ms range (one screen column zoomed in) at random points,
 * each with the tree and a share of them with a scan of the same nodes, and
 * prints the medians:
 *
 *   query_ns=<median ns of one tree query>
 *   scan_ns=<median ns of one linear scan>
 *   ratio=<scan_ns / query_ns>
 *
 * Details (sizes, hits, build time) go to stderr. Every scanned query's hit
 * count is compared with the tree's; a mismatch exits 1. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "lib/clock.h"
#include "lib/prio_tree.h"

#define N_ITEMS 1000000u
#define N_QUERIES 20001u
#define N_SCANS 21u
#define Q_WIDTH_US 1000u
#define TICK_US 100000u
#define JOBS 8u

struct item {
	struct prio_tree_node node;
	unsigned job;
};

static uint64_t rng = 0x853c49e6748fea9bULL;

static uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545F4914F6CDD1DULL;
}

static int count_hit(struct prio_tree_node *n, void *arg)
{
	size_t *hits = arg;

	(void)n;
	(*hits)++;
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t median(uint64_t *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_u64);
	return v[n / 2];
}

int main(void)
{
	struct item *items = calloc(N_ITEMS, sizeof(*items));
	uint64_t *qt = calloc(N_QUERIES, sizeof(*qt)), *st = calloc(N_SCANS, sizeof(*st));
	uint64_t *hits_v = calloc(N_QUERIES, sizeof(*hits_v));
	uint64_t t0, span, qmed, smed;
	struct prio_tree t;
	int rc = 0;

	if (!items || !qt || !st || !hits_v) {
		fprintf(stderr, "prio_bench: out of memory\n");
		return 1;
	}
	prio_tree_init(&t);
	t0 = clock_now_ns();
	for (unsigned i = 0; i < N_ITEMS; i++) {
		struct item *it = &items[i];
		uint64_t tick = i / JOBS;

		it->job = i % JOBS;
		it->node.start = tick * TICK_US + rnd() % 50;
		it->node.end = it->node.start + TICK_US;
		if (rnd() % 256 == 0)
			it->node.end = it->node.start + TICK_US * (10 + rnd() % 491);
		prio_tree_insert(&t, &it->node);
	}
	span = (uint64_t)(N_ITEMS / JOBS) * TICK_US;
	fprintf(stderr, "built %u intervals over %.0f s in %.0f ms (bits=%u)\n", N_ITEMS,
		(double)span / 1e6, (double)(clock_now_ns() - t0) / 1e6, t.aux);

	for (unsigned q = 0; q < N_QUERIES; q++) {
		uint64_t qs = rnd() % span, qe = qs + Q_WIDTH_US - 1, a, b;
		size_t hits = 0;

		a = clock_now_ns();
		prio_tree_query(&t, qs, qe, count_hit, &hits);
		b = clock_now_ns();
		qt[q] = b - a;
		hits_v[q] = hits;

		/* a scan of the same nodes for one query in N_QUERIES/N_SCANS */
		if (q % (N_QUERIES / N_SCANS) == 0 && q / (N_QUERIES / N_SCANS) < N_SCANS) {
			size_t shits = 0;

			a = clock_now_ns();
			for (unsigned i = 0; i < N_ITEMS; i++) {
				struct prio_tree_node *n = &items[i].node;

				if (n->start <= qe && n->end >= qs)
					count_hit(n, &shits);
			}
			b = clock_now_ns();
			st[q / (N_QUERIES / N_SCANS)] = b - a;
			if (shits != hits) {
				fprintf(stderr, "prio_bench: query [%llu,%llu]: tree %zu hits, scan %zu\n",
					(unsigned long long)qs, (unsigned long long)qe, hits, shits);
				rc = 1;
			}
		}
	}
	qmed = median(qt, N_QUERIES);
	smed = median(st, N_SCANS);
	fprintf(stderr, "%u queries of %u us, median hits %llu; %u scans\n", N_QUERIES,
		Q_WIDTH_US, (unsigned long long)median(hits_v, N_QUERIES), N_SCANS);
	printf("query_ns=%llu\n", (unsigned long long)qmed);
	printf("scan_ns=%llu\n", (unsigned long long)smed);
	printf("ratio=%.1f\n", qmed ? (double)smed / (double)qmed : 0.0);
	fprintf(stderr, "target: ratio >= 500: %s\n",
		qmed && smed >= 500 * qmed ? "met" : "NOT met");
	free(items);
	free(qt);
	free(st);
	free(hits_v);
	return rc;
}
