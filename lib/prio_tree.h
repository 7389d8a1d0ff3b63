/* Priority search tree over closed intervals [start, end] of uint64_t.
 *
 * Answers "every interval overlapping [qs, qe]" in O(log n + k). Generic: a
 * node is embedded in the caller's structure (container_of style) and the
 * tree never allocates. Not thread-safe: the owner serialises access.
 *
 * Duplicates (same start and end) and zero-width intervals are allowed.
 *
 * Shape (see prio_tree.c for the proof of the bounds): a radix priority
 * search tree, as McCreight's PST with a radix skeleton (the Linux kernel's
 * old prio_tree): a binary trie on the bits of start (then of end - start for
 * equal starts) that is at the same time a max-heap on end. Depth is at most
 * the number of significant bits of the largest start plus, for intervals
 * sharing a start, the bits of their lengths; a query visits O(depth + k)
 * nodes. Identical intervals share one tree slot and hang off it in a ring. */
#ifndef IOLAB_PRIO_TREE_H
#define IOLAB_PRIO_TREE_H

#include <stddef.h>
#include <stdint.h>

struct prio_tree_node {
	uint64_t start, end; /* set by the caller before insert; end >= start */
	/* private */
	struct prio_tree_node *left, *right, *parent; /* trie links (tree slot) */
	struct prio_tree_node *dnext, *dprev; /* ring of identical intervals */
	unsigned aux;                         /* PT_IN_TREE / PT_DUP flags */
};

struct prio_tree {
	struct prio_tree_node *root;
	size_t count; /* intervals held, duplicates included */
	unsigned aux; /* significant bits of start used by the trie (0..64) */
};

void prio_tree_init(struct prio_tree *t);
void prio_tree_insert(struct prio_tree *t, struct prio_tree_node *n);
void prio_tree_remove(struct prio_tree *t, struct prio_tree_node *n);

/* Calls @fn for every node overlapping [qs, qe]; stops early and returns
 * non-zero if @fn returns non-zero, else returns 0. Order is unspecified.
 * @fn must not modify the tree. */
typedef int (*prio_tree_visit_fn)(struct prio_tree_node *n, void *arg);
int prio_tree_query(const struct prio_tree *t, uint64_t qs, uint64_t qe,
		    prio_tree_visit_fn fn, void *arg);

#define prio_tree_entry(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

#endif
