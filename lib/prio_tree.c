/* Radix priority search tree; see prio_tree.h for the contract.
 *
 * Shape. Let B (t->aux) be the number of significant bits of the largest
 * start ever inserted since the tree was last empty. Every tree slot is a
 * position in a binary trie: the root is position "", and a slot at depth d
 * has a d-bit path. The key of an interval is the 128-bit string
 * start[B-1..0] . len[63..0] with len = end - start. Two invariants hold:
 *
 *  (R) radix: the node in a slot with path p has a key that begins with p;
 *  (H) heap:  a node is greater than every node below it, comparing
 *      (end, start) lexicographically.
 *
 * Identical intervals have identical keys; only one of them (the primary)
 * occupies a slot, the others hang off it in a ring (dnext/dprev) and are
 * reported with it. Distinct keys differ within B + 64 bits, so no slot is
 * deeper than D = B + 64 <= 128.
 *
 * Insert. Walk down from the root carrying the new node; at each slot, if
 * the carried node is greater (H) it takes the slot and the displaced node
 * is carried on; the carried node always goes to the child named by its own
 * next key bit, so (R) holds. It stops at an empty child: O(D).
 *
 * Remove. Heap deletion: the greater child moves up into the hole, and so on
 * down one path (a child's key begins with its parent's path, so (R) holds
 * after the move): O(D). A primary with duplicates is replaced by one of them
 * in O(1); a duplicate leaves its ring in O(1).
 *
 * Grow. When a start needs more than B bits, each extra bit adds a level on
 * top: the root is taken out (heap deletion), and the rest becomes its left
 * child (every key so far has a 0 in the new top bit): O(D) per bit, at most
 * 64 times between two empty states.
 *
 * Query "start <= qe and end >= qs". A slot with path p (depth d < B) can
 * only hold starts in [lo(p), lo(p) + 2^(B-d) - 1], lo(p) = p followed by
 * zeros; from depth B on, every start below is the same. The walk skips a
 * subtree whose root has end < qs (by (H), nothing below reaches qs) and a
 * right child whose lowest possible start exceeds qe. Count the slots
 * visited: (a) slots whose start range contains starts both <= qe and > qe:
 * their ranges all contain qe's bits as a prefix, so they lie on one
 * root-to-leaf path: at most D + 1; (b) slots whose whole range is <= qe and
 * whose node has end >= qs: the node is reported; (c) slots visited and
 * pruned at once: each is a child of an (a) or (b) slot, at most 2 each.
 * So a query costs O(D + k), k the number of intervals reported. D grows
 * with the bits of the largest start, not with n: for time stamps in
 * microseconds an hour takes B = 32 bits. A subtree at depth j holds only
 * intervals whose starts share its j-bit prefix, and a node at depth d has
 * at least d - j + 1 nodes under its depth-j ancestor; so for n starts
 * spread over their range the depth stays near log2 n, and it exceeds that
 * only by the number of intervals packed under one prefix. Memory: the tree
 * allocates nothing. */
#include "prio_tree.h"

#include <stdbool.h>

enum {
	PT_IN_TREE = 1u << 0, /* occupies a slot */
	PT_DUP = 1u << 1,     /* lives in a primary's ring */
	PT_MAX_DEPTH = 64 + 64,
};

static unsigned sig_bits(uint64_t x)
{
	return x ? 64u - (unsigned)__builtin_clzll(x) : 0u;
}

static bool same(const struct prio_tree_node *a, const struct prio_tree_node *b)
{
	return a->start == b->start && a->end == b->end;
}

/* Strict order of the heap: end first, start breaks ties. */
static bool heap_gt(const struct prio_tree_node *a, const struct prio_tree_node *b)
{
	return a->end > b->end || (a->end == b->end && a->start > b->start);
}

/* Key bit that picks the child of a slot at @depth for node @n. */
static unsigned branch(unsigned bits, const struct prio_tree_node *n, unsigned depth)
{
	if (depth < bits)
		return (unsigned)(n->start >> (bits - 1 - depth)) & 1u;
	return (unsigned)((n->end - n->start) >> (63 - (depth - bits))) & 1u;
}

static struct prio_tree_node **link_of(struct prio_tree *t, struct prio_tree_node *n)
{
	struct prio_tree_node *p = n->parent;

	if (!p)
		return &t->root;
	return p->left == n ? &p->left : &p->right;
}

/* @nw takes the slot of @old (same parent and children); @old is left
 * detached. Rings travel with their nodes. */
static void slot_replace(struct prio_tree *t, struct prio_tree_node *old,
			 struct prio_tree_node *nw)
{
	*link_of(t, old) = nw;
	nw->parent = old->parent;
	nw->left = old->left;
	nw->right = old->right;
	if (nw->left)
		nw->left->parent = nw;
	if (nw->right)
		nw->right->parent = nw;
	nw->aux = PT_IN_TREE;
	old->left = old->right = old->parent = NULL;
}

/* Heap deletion of the node in a slot: the greater child rises, down one
 * path. @n is left detached (its ring untouched). */
static void slot_delete(struct prio_tree *t, struct prio_tree_node *n)
{
	struct prio_tree_node **slot = link_of(t, n);
	struct prio_tree_node *hp = n->parent, *hl = n->left, *hr = n->right;

	while (hl || hr) {
		struct prio_tree_node *c = (!hr || (hl && heap_gt(hl, hr))) ? hl : hr;
		struct prio_tree_node *cl = c->left, *cr = c->right;

		*slot = c;
		c->parent = hp;
		if (c == hl) {
			c->right = hr;
			if (hr)
				hr->parent = c;
			slot = &c->left;
		} else {
			c->left = hl;
			if (hl)
				hl->parent = c;
			slot = &c->right;
		}
		hp = c;
		hl = cl;
		hr = cr;
	}
	*slot = NULL;
	n->left = n->right = n->parent = NULL;
}

/* One more start bit: the root stays on top, the rest hangs to its left. */
static void grow(struct prio_tree *t)
{
	struct prio_tree_node *r = t->root;

	slot_delete(t, r);
	r->left = t->root;
	if (r->left)
		r->left->parent = r;
	r->right = NULL;
	r->parent = NULL;
	r->aux = PT_IN_TREE;
	t->root = r;
	t->aux++;
}

static void ring_add(struct prio_tree_node *head, struct prio_tree_node *n)
{
	n->dnext = head->dnext;
	n->dprev = head;
	head->dnext->dprev = n;
	head->dnext = n;
}

static void ring_del(struct prio_tree_node *n)
{
	n->dprev->dnext = n->dnext;
	n->dnext->dprev = n->dprev;
	n->dnext = n->dprev = n;
}

void prio_tree_init(struct prio_tree *t)
{
	t->root = NULL;
	t->count = 0;
	t->aux = 0;
}

void prio_tree_insert(struct prio_tree *t, struct prio_tree_node *n)
{
	struct prio_tree_node *cur = n, *pos;
	unsigned depth = 0, need = sig_bits(n->start);

	n->left = n->right = n->parent = NULL;
	n->dnext = n->dprev = n;
	t->count++;
	if (!t->root) {
		t->aux = need;
		n->aux = PT_IN_TREE;
		t->root = n;
		return;
	}
	while (t->aux < need)
		grow(t);

	pos = t->root;
	for (;;) {
		struct prio_tree_node **child;

		/* Only the new node can meet its twin (slots hold distinct
		 * keys), and it does so by depth B + 64 at the latest. */
		if (same(cur, pos)) {
			ring_add(pos, cur);
			cur->aux = PT_DUP;
			return;
		}
		if (heap_gt(cur, pos)) {
			struct prio_tree_node *tmp = pos;

			slot_replace(t, pos, cur);
			pos = cur;
			cur = tmp;
		}
		child = branch(t->aux, cur, depth) ? &pos->right : &pos->left;
		if (!*child) {
			*child = cur;
			cur->parent = pos;
			cur->left = cur->right = NULL;
			cur->aux = PT_IN_TREE;
			return;
		}
		pos = *child;
		depth++;
	}
}

void prio_tree_remove(struct prio_tree *t, struct prio_tree_node *n)
{
	if (n->aux & PT_DUP) {
		ring_del(n);
	} else if (n->dnext != n) {
		struct prio_tree_node *d = n->dnext;

		ring_del(n);
		slot_replace(t, n, d);
	} else {
		slot_delete(t, n);
	}
	n->aux = 0;
	t->count--;
	if (!t->root)
		t->aux = 0;
}

int prio_tree_query(const struct prio_tree *t, uint64_t qs, uint64_t qe,
		    prio_tree_visit_fn fn, void *arg)
{
	struct frame {
		struct prio_tree_node *n;
		uint64_t lo; /* lowest start the slot can hold */
		unsigned depth;
	} stack[PT_MAX_DEPTH + 4];
	unsigned sp = 0, bits = t->aux;

	if (!t->root || qs > qe)
		return 0;
	stack[sp++] = (struct frame){ t->root, 0, 0 };
	while (sp) {
		struct frame f = stack[--sp];
		struct prio_tree_node *x = f.n;

		if (x->end < qs)
			continue;
		if (x->start <= qe) {
			struct prio_tree_node *r = x;

			do {
				int ret = fn(r, arg);

				if (ret)
					return ret;
				r = r->dnext;
			} while (r != x);
		}
		/* Each level leaves at most one pending right sibling, so the
		 * stack never holds more than depth + 2 frames. */
		if (x->right) {
			uint64_t rlo = f.lo;

			if (f.depth < bits)
				rlo |= 1ULL << (bits - 1 - f.depth);
			if (rlo <= qe)
				stack[sp++] = (struct frame){ x->right, rlo, f.depth + 1 };
		}
		if (x->left)
			stack[sp++] = (struct frame){ x->left, f.lo, f.depth + 1 };
	}
	return 0;
}
