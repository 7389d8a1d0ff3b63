/* Status bar widget; see statusbar.h. */
#include "statusbar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct statusbar {
	struct widget base;
	struct statusbar_item item[STATUSBAR_MAX];
	bool off[STATUSBAR_MAX]; /* statusbar_dim: drawn dim */
	size_t n, shown;
	char msg[128];
	enum role msg_role;
};

static const struct widget_class statusbar_class;

struct statusbar *statusbar_new(void)
{
	struct statusbar *s = calloc(1, sizeof(*s));

	if (s)
		s->base.cls = &statusbar_class;
	return s;
}

struct widget *statusbar_widget(struct statusbar *s)
{
	return &s->base;
}

void statusbar_set(struct statusbar *s, const struct statusbar_item *items, size_t n)
{
	if (n > STATUSBAR_MAX)
		n = STATUSBAR_MAX;
	memcpy(s->item, items, n * sizeof(*items));
	memset(s->off, 0, sizeof(s->off));
	s->n = n;
}

void statusbar_dim(struct statusbar *s, const char *key, bool off)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->item[i].key, key))
			s->off[i] = off;
}

void statusbar_message(struct statusbar *s, const char *msg, enum role role)
{
	snprintf(s->msg, sizeof(s->msg), "%s", msg ? msg : "");
	s->msg_role = role;
}

size_t statusbar_shown(const struct statusbar *s)
{
	return s->shown;
}

static int item_width(const struct statusbar_item *it)
{
	return text_width(it->key) + text_width(it->label) + 1;
}

static void statusbar_draw(struct widget *wd, WINDOW *win)
{
	struct statusbar *s = (struct statusbar *)wd;
	bool keep[STATUSBAR_MAX];
	int total = 0, x = wd->x, end = wd->x + wd->w, msgw = 0;
	char msg[sizeof(s->msg) + 8];

	if (wd->h < 1 || wd->w < 1)
		return;
	snprintf(msg, sizeof(msg), "%s", s->msg);
	if (msg[0])
		msgw = text_width(msg) + 2;
	for (size_t i = 0; i < s->n; i++) {
		keep[i] = true;
		total += item_width(&s->item[i]);
	}
	/* drop the least important items until the rest fit */
	while (total > wd->w - msgw) {
		int worst = -1;

		for (size_t i = 0; i < s->n; i++)
			if (keep[i] && s->item[i].prio > 0 &&
			    (worst < 0 || s->item[i].prio >= s->item[worst].prio))
				worst = (int)i;
		if (worst < 0)
			break;
		keep[worst] = false;
		total -= item_width(&s->item[worst]);
	}
	/* the items that always stay leave too little for the whole message:
	 * it gets what is left, elided in the middle (a note cut to nothing,
	 * or cut at its end, would hide what a change did) */
	if (msgw && total > wd->w - msgw) {
		msgw = wd->w - total;
		if (msgw < 12)
			msgw = 0;
		else
			text_elide_middle(msg, sizeof(msg), s->msg, msgw - 2);
	}
	text_fill(win, wd->y, wd->x, wd->w, role_attr(ROLE_KEY_LABEL));
	s->shown = 0;
	for (size_t i = 0; i < s->n && x < end; i++) {
		if (!keep[i])
			continue;
		attr_t dim = s->off[i] ? role_attr(ROLE_DIM) | A_DIM : 0;

		x += text_put(win, wd->y, x, end - x, dim ? dim : role_attr(ROLE_KEY), s->item[i].key);
		x += text_put(win, wd->y, x, end - x, dim ? dim : role_attr(ROLE_KEY_LABEL),
			      s->item[i].label);
		x += text_put(win, wd->y, x, end - x, role_attr(ROLE_KEY_LABEL), " ");
		s->shown++;
	}
	if (msgw && msg[0]) {
		int mx = end - msgw + 1;

		if (mx < x)
			mx = x;
		text_put(win, wd->y, mx, end - mx, role_attr(s->msg_role), msg);
	}
}

static void statusbar_free(struct widget *wd)
{
	free(wd);
}

static const struct widget_class statusbar_class = {
	.name = "statusbar",
	.draw = statusbar_draw,
	.key = NULL,
	.resize = widget_resize,
	.free = statusbar_free,
};
