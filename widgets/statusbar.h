/* Status bar: the footer of keys, as htop draws it ("F1Help  F2Edit ...").
 * Each item is a key and what it does; when the bar is too narrow the
 * items with the highest priority number are dropped first, so the bar
 * never wraps or clips mid-word. An optional message replaces the items'
 * tail (right-aligned) for transient notes. */
#ifndef IOLAB_STATUSBAR_H
#define IOLAB_STATUSBAR_H

#include <stdbool.h>
#include <stddef.h>

#include "widget.h"

#define STATUSBAR_MAX 32

struct statusbar_item {
	const char *key;   /* "F1", "q", "+-" */
	const char *label; /* "Help" */
	int prio;          /* 0 always shown; larger dropped first */
};

struct statusbar;

struct statusbar *statusbar_new(void);
struct widget *statusbar_widget(struct statusbar *s);
/* Replace the items (@items is copied; strings must outlive the bar). */
void statusbar_set(struct statusbar *s, const struct statusbar_item *items, size_t n);
/* Item @key (as given to statusbar_set) is not available now (@off): it
 * keeps its place, drawn dim. statusbar_set clears every mark. */
void statusbar_dim(struct statusbar *s, const char *key, bool off);
/* Right-aligned text (NULL or "" for none), in @role. */
void statusbar_message(struct statusbar *s, const char *msg, enum role role);
/* Items shown at the last draw (for tests). */
size_t statusbar_shown(const struct statusbar *s);

#endif
