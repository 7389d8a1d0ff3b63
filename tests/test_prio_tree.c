/* lib/prio_tree: fixed cases, then random interleaved inserts, removes and
 * queries, each query checked against a brute-force scan (set equality:
 * every overlapping interval reported exactly once, nothing else), and the
 * tree's invariants (radix, heap, links, count, depth bound) checked as it
 * changes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/prio_tree.h"

struct item {
	struct prio_tree_node node;
	int in_tree;
	unsigned seen; /* visits in the current query */
};

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;

static uint64_t rnd(void)
{
	/* xorshift64*: deterministic, so a failure replays */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

static uint64_t rnd_below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

/* ---- invariant checker ------------------------------------------------ */

static unsigned key_bit(unsigned bits, const struct prio_tree_node *n, unsigned depth)
{
	if (depth < bits)
		return (unsigned)(n->start >> (bits - 1 - depth)) & 1u;
	return (unsigned)((n->end - n->start) >> (63 - (depth - bits))) & 1u;
}

struct walk {
	size_t nodes;      /* slots + ring members */
	unsigned maxdepth;
};

static void check_node(const struct prio_tree *t, const struct prio_tree_node *n,
		       const struct prio_tree_node *parent, unsigned depth,
		       unsigned char *path, struct walk *w)
{
	const struct prio_tree_node *r;

	assert_ptr_equal(n->parent, parent);
	assert_true(depth <= t->aux + 64);
	if (depth > w->maxdepth)
		w->maxdepth = depth;
	if (t->aux < 64)
		assert_true(n->start < (1ULL << t->aux));
	/* radix: the node's key starts with the slot's path */
	for (unsigned j = 0; j < depth; j++)
		if (key_bit(t->aux, n, j) != path[j])
			fail_msg("node [%llu,%llu] at depth %u: key bit %u is not the path's",
				 (unsigned long long)n->start, (unsigned long long)n->end, depth, j);
	/* heap: (end, start) greater than both children */
	if (parent) {
		int gt = parent->end > n->end ||
			 (parent->end == n->end && parent->start > n->start);
		if (!gt)
			fail_msg("heap order broken under [%llu,%llu]",
				 (unsigned long long)parent->start, (unsigned long long)parent->end);
	}
	/* ring of identical intervals */
	r = n;
	do {
		assert_true(r->start == n->start && r->end == n->end);
		assert_ptr_equal(r->dnext->dprev, r);
		w->nodes++;
		r = r->dnext;
	} while (r != n);

	if (n->left) {
		path[depth] = 0;
		check_node(t, n->left, n, depth + 1, path, w);
	}
	if (n->right) {
		path[depth] = 1;
		check_node(t, n->right, n, depth + 1, path, w);
	}
}

static unsigned check_tree(const struct prio_tree *t)
{
	unsigned char path[200];
	struct walk w = { 0, 0 };

	if (t->root)
		check_node(t, t->root, NULL, 0, path, &w);
	assert_int_equal(w.nodes, t->count);
	return w.maxdepth;
}

/* ---- brute-force comparison -------------------------------------------- */

static int mark_visit(struct prio_tree_node *n, void *arg)
{
	struct item *it = prio_tree_entry(n, struct item, node);

	(void)arg;
	it->seen++;
	return 0;
}

static void check_query(const struct prio_tree *t, struct item *items, size_t n,
			uint64_t qs, uint64_t qe)
{
	for (size_t i = 0; i < n; i++)
		items[i].seen = 0;
	assert_int_equal(prio_tree_query(t, qs, qe, mark_visit, NULL), 0);
	for (size_t i = 0; i < n; i++) {
		const struct item *it = &items[i];
		unsigned want = it->in_tree && it->node.start <= qe && it->node.end >= qs;

		if (it->seen != want)
			fail_msg("query [%llu,%llu]: item %zu [%llu,%llu] in_tree=%d seen %u times, want %u",
				 (unsigned long long)qs, (unsigned long long)qe, i,
				 (unsigned long long)it->node.start, (unsigned long long)it->node.end,
				 it->in_tree, it->seen, want);
	}
}

/* ---- fixed cases ------------------------------------------------------- */

struct fixed_case {
	const char *what;
	uint64_t qs, qe;
	const char *want; /* one char per interval below: '1' overlaps */
};

static const uint64_t fixed_iv[][2] = {
	{ 10, 20 }, { 10, 20 }, { 15, 15 }, { 0, 100 }, { 21, 30 },
	{ 5, 9 }, { 20, 20 }, { UINT64_MAX - 5, UINT64_MAX }, { 0, 0 },
};

static const struct fixed_case fixed_cases[] = {
	{ "point inside duplicates", 12, 12, "110100000" },
	{ "zero-width hit", 15, 15, "111100000" },
	{ "shared end point", 20, 20, "110100100" },
	{ "touching left edge", 30, 40, "000110000" },
	{ "gap between", 101, 1000, "000000000" },
	{ "top of the key space", UINT64_MAX, UINT64_MAX, "000000010" },
	{ "everything", 0, UINT64_MAX, "111111111" },
	{ "origin", 0, 0, "000100001" },
	{ "nested", 9, 10, "110101000" },
};

static void test_fixed(void **state)
{
	size_t n = sizeof(fixed_iv) / sizeof(fixed_iv[0]);
	struct item items[sizeof(fixed_iv) / sizeof(fixed_iv[0])];
	struct prio_tree t;

	(void)state;
	prio_tree_init(&t);
	memset(items, 0, sizeof(items));
	for (size_t i = 0; i < n; i++) {
		items[i].node.start = fixed_iv[i][0];
		items[i].node.end = fixed_iv[i][1];
		prio_tree_insert(&t, &items[i].node);
		items[i].in_tree = 1;
	}
	check_tree(&t);
	for (size_t c = 0; c < sizeof(fixed_cases) / sizeof(fixed_cases[0]); c++) {
		const struct fixed_case *fc = &fixed_cases[c];

		for (size_t i = 0; i < n; i++)
			items[i].seen = 0;
		prio_tree_query(&t, fc->qs, fc->qe, mark_visit, NULL);
		for (size_t i = 0; i < n; i++)
			if (items[i].seen != (unsigned)(fc->want[i] - '0'))
				fail_msg("%s: interval %zu seen %u times", fc->what, i, items[i].seen);
		check_query(&t, items, n, fc->qs, fc->qe);
	}
	/* remove a primary that has a duplicate, then the duplicate */
	prio_tree_remove(&t, &items[0].node);
	items[0].in_tree = 0;
	check_tree(&t);
	check_query(&t, items, n, 12, 12);
	prio_tree_remove(&t, &items[1].node);
	items[1].in_tree = 0;
	check_tree(&t);
	check_query(&t, items, n, 0, UINT64_MAX);
	for (size_t i = 2; i < n; i++) {
		prio_tree_remove(&t, &items[i].node);
		items[i].in_tree = 0;
		check_tree(&t);
		check_query(&t, items, n, 0, UINT64_MAX);
	}
	assert_null(t.root);
	assert_int_equal(t.count, 0);
}

static void test_empty_and_reversed(void **state)
{
	struct prio_tree t;
	struct item it = { .node = { .start = 5, .end = 7 } };

	(void)state;
	prio_tree_init(&t);
	assert_int_equal(prio_tree_query(&t, 0, UINT64_MAX, mark_visit, NULL), 0);
	prio_tree_insert(&t, &it.node);
	it.seen = 0;
	/* qs > qe is an empty range */
	assert_int_equal(prio_tree_query(&t, 7, 5, mark_visit, NULL), 0);
	assert_int_equal(it.seen, 0);
	prio_tree_remove(&t, &it.node);
	assert_int_equal(t.count, 0);
}

static int stop_after(struct prio_tree_node *n, void *arg)
{
	unsigned *left = arg;

	(void)n;
	return --*left == 0 ? 42 : 0;
}

static void test_stop_early(void **state)
{
	struct item items[50];
	struct prio_tree t;
	unsigned left = 3;

	(void)state;
	prio_tree_init(&t);
	for (int i = 0; i < 50; i++) {
		items[i].node.start = (uint64_t)i;
		items[i].node.end = (uint64_t)i + 10;
		prio_tree_insert(&t, &items[i].node);
	}
	assert_int_equal(prio_tree_query(&t, 0, 100, stop_after, &left), 42);
	assert_int_equal(left, 0);
}

/* ---- random interleaved workloads -------------------------------------- */

enum shape { SHAPE_TINY, SHAPE_WIDE, SHAPE_SAMPLES, SHAPE_TOP };

static void make_interval(enum shape s, struct item *items, size_t n, struct prio_tree_node *nd)
{
	uint64_t a, b;

	switch (s) {
	case SHAPE_TINY: /* keys 0..40: many duplicates, nested and zero-width */
		a = rnd_below(41);
		b = rnd_below(4) == 0 ? a : a + rnd_below(41 - a);
		break;
	case SHAPE_WIDE: /* full 64-bit keys, lengths of every scale */
		a = rnd();
		b = a + (rnd() >> rnd_below(64));
		if (b < a)
			b = UINT64_MAX;
		if (rnd_below(8) == 0)
			b = a;
		break;
	case SHAPE_SAMPLES: /* ticks of 100 us, 8 jobs, some long merges */
		a = rnd_below(5000) * 100;
		b = a + (rnd_below(10) == 0 ? 100 * rnd_below(500) : 100);
		break;
	default: /* clustered next to UINT64_MAX */
		a = UINT64_MAX - rnd_below(64);
		b = a + rnd_below(UINT64_MAX - a + 1);
		break;
	}
	/* copy an existing interval now and then: exact duplicates */
	if (n && rnd_below(6) == 0) {
		const struct item *o = &items[rnd_below(n)];

		a = o->node.start;
		b = o->node.end;
	}
	nd->start = a;
	nd->end = b;
}

static void random_run(enum shape s, size_t n, size_t ops, uint64_t seed)
{
	struct item *items = calloc(n, sizeof(*items));
	struct prio_tree t;
	size_t inserted = 0, removed = 0, queries = 0;

	assert_non_null(items);
	rng_state = seed;
	prio_tree_init(&t);
	for (size_t op = 0; op < ops; op++) {
		size_t i = rnd_below(n);
		unsigned what = (unsigned)rnd_below(10);

		if (what < 6) {
			struct item *it = &items[i];

			if (it->in_tree) {
				prio_tree_remove(&t, &it->node);
				it->in_tree = 0;
				removed++;
			} else {
				make_interval(s, items, n, &it->node);
				prio_tree_insert(&t, &it->node);
				it->in_tree = 1;
				inserted++;
			}
		} else {
			struct prio_tree_node q;

			make_interval(s, items, n, &q);
			if (rnd_below(5) == 0)
				q.end = q.start; /* stabbing query */
			check_query(&t, items, n, q.start, q.end);
			queries++;
		}
		if (op % 97 == 0)
			check_tree(&t);
	}
	check_tree(&t);
	/* drain in random order, checking as we go */
	for (size_t k = 0; k < n; k++) {
		struct item *it = &items[(k * 7919 + seed) % n];

		if (it->in_tree) {
			prio_tree_remove(&t, &it->node);
			it->in_tree = 0;
			if (k % 13 == 0) {
				check_tree(&t);
				check_query(&t, items, n, 0, UINT64_MAX);
			}
		}
	}
	assert_int_equal(t.count, 0);
	assert_null(t.root);
	assert_true(inserted > ops / 10 && removed > ops / 20 && queries > ops / 10);
	free(items);
}

static void test_random_tiny(void **state)
{
	(void)state;
	random_run(SHAPE_TINY, 300, 30000, 1);
	random_run(SHAPE_TINY, 40, 20000, 2);
}

static void test_random_wide(void **state)
{
	(void)state;
	random_run(SHAPE_WIDE, 500, 30000, 3);
}

static void test_random_samples(void **state)
{
	(void)state;
	random_run(SHAPE_SAMPLES, 800, 30000, 4);
}

static void test_random_top(void **state)
{
	(void)state;
	random_run(SHAPE_TOP, 200, 20000, 5);
}

/* Depth follows the spread of the keys, not n: 50k distinct random 32-bit
 * starts give a depth close to log2(50k) ~ 16, far below B + 64. */
static void test_depth(void **state)
{
	size_t n = 50000;
	struct item *items = calloc(n, sizeof(*items));
	struct prio_tree t;
	unsigned depth;

	(void)state;
	assert_non_null(items);
	rng_state = 6;
	prio_tree_init(&t);
	for (size_t i = 0; i < n; i++) {
		items[i].node.start = rnd() >> 32;
		items[i].node.end = items[i].node.start + rnd_below(1000);
		prio_tree_insert(&t, &items[i].node);
		items[i].in_tree = 1;
	}
	depth = check_tree(&t);
	print_message("n=%zu bits=%u depth=%u\n", n, t.aux, depth);
	assert_true(depth <= 32);
	check_query(&t, items, n, 1u << 31, (1u << 31) + 100000);
	free(items);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixed),
		cmocka_unit_test(test_empty_and_reversed),
		cmocka_unit_test(test_stop_early),
		cmocka_unit_test(test_random_tiny),
		cmocka_unit_test(test_random_wide),
		cmocka_unit_test(test_random_samples),
		cmocka_unit_test(test_random_top),
		cmocka_unit_test(test_depth),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
