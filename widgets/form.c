/* Form widget; see form.h. */
#include "form.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct form {
	struct widget base;
	struct form_field *f;
	size_t n;
	form_validate_fn validate;
	void *ctx;
	size_t focus, top;
	bool editing;
	char saved[FORM_VALUE_MAX]; /* value when the edit started */
	char saved_err[FORM_ERROR_MAX];
	size_t cur;                 /* cursor byte offset while editing */
	bool searching;
	char search[64];
	int label_w;
};

static const struct widget_class form_class;

struct form *form_new(const struct form_field *fields, size_t n, form_validate_fn validate,
		      void *ctx)
{
	struct form *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	f->f = calloc(n ? n : 1, sizeof(*f->f));
	if (!f->f) {
		free(f);
		return NULL;
	}
	if (n)
		memcpy(f->f, fields, n * sizeof(*fields));
	f->base.cls = &form_class;
	f->n = n;
	f->validate = validate;
	f->ctx = ctx;
	for (size_t i = 0; i < n; i++) {
		int w = fields[i].label ? (int)strlen(fields[i].label) : 0;

		if (fields[i].kind != FF_HEADER && w > f->label_w)
			f->label_w = w;
	}
	if (f->label_w > 26)
		f->label_w = 26;
	/* focus the first field that is not a header */
	while (f->focus + 1 < n && f->f[f->focus].kind == FF_HEADER)
		f->focus++;
	return f;
}

struct widget *form_widget(struct form *f)
{
	return &f->base;
}

size_t form_count(const struct form *f)
{
	return f->n;
}

struct form_field *form_field(struct form *f, size_t i)
{
	return i < f->n ? &f->f[i] : NULL;
}

size_t form_focus(const struct form *f)
{
	return f->focus;
}

bool form_editing(const struct form *f)
{
	return f->editing;
}

bool form_searching(const struct form *f)
{
	return f->searching;
}

void form_set_focus(struct form *f, size_t i)
{
	if (i < f->n && f->f[i].kind != FF_HEADER) {
		f->focus = i;
		f->editing = false;
	}
}

int form_focus_label(struct form *f, const char *label)
{
	size_t len = strlen(label);

	for (int pass = 0; pass < 3; pass++)
		for (size_t i = 0; i < f->n; i++) {
			const char *l = f->f[i].label;

			if (f->f[i].kind == FF_HEADER || !l)
				continue;
			if ((pass == 0 && !strcasecmp(l, label)) ||
			    (pass == 1 && !strncasecmp(l, label, len)) ||
			    (pass == 2 && strcasestr(l, label))) {
				form_set_focus(f, i);
				return 0;
			}
		}
	return -ENOENT;
}

static int check(struct form *f, size_t i)
{
	struct form_field *fd = &f->f[i];
	int rc = 0;

	fd->error[0] = '\0';
	if (f->validate) {
		rc = f->validate(f->ctx, fd, fd->value, fd->error, sizeof(fd->error));
		if (rc && !fd->error[0])
			snprintf(fd->error, sizeof(fd->error), "not accepted");
		if (!rc)
			fd->error[0] = '\0';
	}
	return rc;
}

int form_set_value(struct form *f, size_t i, const char *text)
{
	if (i >= f->n || f->f[i].kind == FF_HEADER)
		return -EINVAL;
	snprintf(f->f[i].value, sizeof(f->f[i].value), "%s", text);
	f->f[i].changed = true;
	return check(f, i);
}

size_t form_errors(const struct form *f, size_t *first)
{
	size_t n = 0;

	for (size_t i = 0; i < f->n; i++)
		if (f->f[i].error[0]) {
			if (!n && first)
				*first = i;
			n++;
		}
	return n;
}

static int body_rows(const struct form *f)
{
	return f->base.h;
}

long form_row_at(const struct form *f, int wy)
{
	size_t i;

	if (wy < f->base.y || wy >= f->base.y + f->base.h)
		return -1;
	i = f->top + (size_t)(wy - f->base.y);
	return i < f->n ? (long)i : -1;
}

static void keep_visible(struct form *f)
{
	size_t rows = (size_t)(body_rows(f) > 0 ? body_rows(f) : 1);
	size_t want = f->focus;

	/* show the group header above the first field of a group */
	if (want > 0 && f->f[want - 1].kind == FF_HEADER)
		want--;
	if (want < f->top)
		f->top = want;
	if (f->focus >= f->top + rows)
		f->top = f->focus - rows + 1;
	/* the first row shows the group's header when it scrolled away
	 * (form_draw); the focused field must not sit under it */
	if (rows > 1 && f->top > 0 && f->top == f->focus && f->f[f->top].kind != FF_HEADER)
		f->top--;
}

/* Index of the header of the group holding row @i, or (size_t)-1. */
static size_t header_of(const struct form *f, size_t i)
{
	while (i-- > 0)
		if (f->f[i].kind == FF_HEADER)
			return i;
	return (size_t)-1;
}

static void focus_move(struct form *f, long delta)
{
	long i = (long)f->focus;
	long step = delta < 0 ? -1 : 1;
	long left = delta < 0 ? -delta : delta;

	while (left > 0) {
		long j = i + step;

		while (j >= 0 && j < (long)f->n && f->f[j].kind == FF_HEADER)
			j += step;
		if (j < 0 || j >= (long)f->n)
			break;
		i = j;
		left--;
	}
	f->focus = (size_t)i;
}

static void cycle_choice(struct form *f, int dir)
{
	struct form_field *fd = &f->f[f->focus];
	size_t n = 0, cur = 0;
	bool found = false;

	if (!fd->choices)
		return;
	while (fd->choices[n])
		n++;
	if (!n)
		return;
	for (size_t i = 0; i < n; i++)
		if (!strcasecmp(fd->choices[i], fd->value)) {
			cur = i;
			found = true;
		}
	if (!found)
		cur = dir > 0 ? n - 1 : 0;
	cur = (cur + n + (size_t)(dir > 0 ? 1 : n - 1)) % n;
	form_set_value(f, f->focus, fd->choices[cur]);
}

static void edit_start(struct form *f)
{
	struct form_field *fd = &f->f[f->focus];

	memcpy(f->saved, fd->value, sizeof(f->saved));
	memcpy(f->saved_err, fd->error, sizeof(f->saved_err));
	f->cur = strlen(fd->value);
	f->editing = true;
}

static unsigned edit_key(struct form *f, int key)
{
	struct form_field *fd = &f->f[f->focus];
	char *v = fd->value;
	size_t len = strlen(v);

	switch (key) {
	case 27:
		memcpy(fd->value, f->saved, sizeof(f->saved));
		memcpy(fd->error, f->saved_err, sizeof(f->saved_err));
		f->editing = false;
		return WK_HANDLED | WK_REDRAW;
	case '\n':
	case '\r':
	case KEY_ENTER:
	case KEY_UP:
	case KEY_DOWN:
	case '\t':
		f->editing = false;
		if (strcmp(fd->value, f->saved))
			fd->changed = true;
		check(f, f->focus);
		if (key == KEY_UP)
			focus_move(f, -1);
		else if (key == KEY_DOWN || key == '\t')
			focus_move(f, 1);
		return WK_HANDLED | WK_REDRAW;
	case KEY_BACKSPACE:
	case 127:
	case 8:
		if (f->cur > 0) {
			size_t s = f->cur - 1;

			while (s > 0 && ((unsigned char)v[s] & 0xc0) == 0x80)
				s--;
			memmove(v + s, v + f->cur, len - f->cur + 1);
			f->cur = s;
		}
		break;
	case KEY_DC:
		if (f->cur < len) {
			size_t e = f->cur + 1;

			while (e < len && ((unsigned char)v[e] & 0xc0) == 0x80)
				e++;
			memmove(v + f->cur, v + e, len - e + 1);
		}
		break;
	case KEY_LEFT:
		while (f->cur > 0) {
			f->cur--;
			if (((unsigned char)v[f->cur] & 0xc0) != 0x80)
				break;
		}
		return WK_HANDLED | WK_REDRAW;
	case KEY_RIGHT:
		while (f->cur < len) {
			f->cur++;
			if (((unsigned char)v[f->cur] & 0xc0) != 0x80)
				break;
		}
		return WK_HANDLED | WK_REDRAW;
	case KEY_HOME:
	case 1:
		f->cur = 0;
		return WK_HANDLED | WK_REDRAW;
	case KEY_END:
	case 5:
		f->cur = len;
		return WK_HANDLED | WK_REDRAW;
	case 21:
		v[0] = '\0';
		f->cur = 0;
		break;
	default:
		if (key >= 32 && key < 256 && key != 127 && len + 1 < FORM_VALUE_MAX) {
			memmove(v + f->cur + 1, v + f->cur, len - f->cur + 1);
			v[f->cur++] = (char)key;
			break;
		}
		return WK_HANDLED; /* swallow other keys while editing */
	}
	check(f, f->focus);
	return WK_HANDLED | WK_REDRAW;
}

static unsigned search_key(struct form *f, int key)
{
	size_t len = strlen(f->search);

	switch (key) {
	case 27:
	case '\n':
	case '\r':
	case KEY_ENTER:
		f->searching = false;
		return WK_HANDLED | WK_REDRAW;
	case KEY_BACKSPACE:
	case 127:
	case 8:
		if (len)
			f->search[len - 1] = '\0';
		break;
	default:
		if (key > 32 && key < 127 && len + 1 < sizeof(f->search)) {
			f->search[len] = (char)key;
			f->search[len + 1] = '\0';
			break;
		}
		return WK_HANDLED;
	}
	if (f->search[0])
		form_focus_label(f, f->search);
	return WK_HANDLED | WK_REDRAW;
}

static unsigned form_key(struct widget *wd, int key)
{
	struct form *f = (struct form *)wd;
	struct form_field *fd;
	size_t page = body_rows(f) > 2 ? (size_t)body_rows(f) - 2 : 1;

	if (!f->n)
		return WK_IGNORED;
	if (f->editing)
		return edit_key(f, key);
	if (f->searching)
		return search_key(f, key);
	fd = &f->f[f->focus];
	switch (key) {
	case KEY_UP:
	case 'k':
		focus_move(f, -1);
		return WK_HANDLED | WK_REDRAW;
	case KEY_DOWN:
	case 'j':
		focus_move(f, 1);
		return WK_HANDLED | WK_REDRAW;
	case KEY_PPAGE:
		focus_move(f, -(long)page);
		return WK_HANDLED | WK_REDRAW;
	case KEY_NPAGE:
		focus_move(f, (long)page);
		return WK_HANDLED | WK_REDRAW;
	case KEY_HOME:
		focus_move(f, -(long)f->n);
		return WK_HANDLED | WK_REDRAW;
	case KEY_END:
		focus_move(f, (long)f->n);
		return WK_HANDLED | WK_REDRAW;
	case '/':
		f->searching = true;
		f->search[0] = '\0';
		return WK_HANDLED | WK_REDRAW;
	case ' ':
		if (fd->kind == FF_BOOL) {
			form_set_value(f, f->focus, !strcmp(fd->value, "1") ? "0" : "1");
			return WK_HANDLED | WK_REDRAW;
		}
		if (fd->kind == FF_CHOICE) {
			cycle_choice(f, 1);
			return WK_HANDLED | WK_REDRAW;
		}
		return WK_IGNORED;
	case KEY_LEFT:
	case 'h':
	case KEY_RIGHT:
	case 'l':
		if (fd->kind == FF_CHOICE) {
			cycle_choice(f, key == KEY_LEFT || key == 'h' ? -1 : 1);
			return WK_HANDLED | WK_REDRAW;
		}
		if (fd->kind == FF_BOOL) {
			form_set_value(f, f->focus, !strcmp(fd->value, "1") ? "0" : "1");
			return WK_HANDLED | WK_REDRAW;
		}
		return WK_IGNORED;
	case '\n':
	case '\r':
	case KEY_ENTER:
		if (fd->kind == FF_BOOL) {
			form_set_value(f, f->focus, !strcmp(fd->value, "1") ? "0" : "1");
			return WK_HANDLED | WK_REDRAW;
		}
		edit_start(f);
		return WK_HANDLED | WK_REDRAW;
	}
	return WK_IGNORED;
}

static void form_draw(struct widget *wd, WINDOW *win)
{
	struct form *f = (struct form *)wd;
	const struct glyphs *g = widget_glyphs;
	int rows = body_rows(f), lw = f->label_w, vx, vw, val_col;

	if (wd->h < 1 || wd->w < 20)
		return;
	keep_visible(f);
	vx = wd->x + 2 + lw + 2;
	vw = wd->w - (vx - wd->x);
	val_col = vw / 3 < 14 ? 14 : vw / 3 > 28 ? 28 : vw / 3;
	for (int r = 0; r < rows; r++) {
		size_t i = f->top + (size_t)r;
		int y = wd->y + r;
		const struct form_field *fd;
		bool foc;
		int used, ex;

		text_fill(win, y, wd->x, wd->w, role_attr(ROLE_NORMAL));
		if (i >= f->n)
			continue;
		fd = &f->f[i];
		foc = i == f->focus;
		if (r == 0 && rows > 1 && fd->kind != FF_HEADER && header_of(f, i) != (size_t)-1) {
			/* sticky: the group's name stays on top while its fields scroll */
			fd = &f->f[header_of(f, i)];
			foc = false;
		}
		if (fd->kind == FF_HEADER) {
			text_repeat(win, y, wd->x, wd->w, role_attr(ROLE_RULE), g->hline);
			text_putf(win, y, wd->x + 1, wd->w - 2, role_attr(ROLE_TITLE), " %s ",
				  fd->label);
			continue;
		}
		if (foc)
			text_fill(win, y, wd->x, vx - wd->x - 1,
				  role_attr(wd->focused ? ROLE_SELECTED : ROLE_SELECTED_DIM));
		text_put(win, y, wd->x + 2, lw,
			 foc ? role_attr(wd->focused ? ROLE_SELECTED : ROLE_SELECTED_DIM)
			     : role_attr(fd->changed ? ROLE_BOLD : ROLE_NORMAL),
			 fd->label);
		if (fd->error[0])
			text_put(win, y, wd->x, 1, role_attr(ROLE_ERROR), "!");
		if (foc && f->editing) {
			int fw = vw / 2 > 24 ? vw / 2 : (vw > 24 ? 24 : vw);
			char tmp[FORM_VALUE_MAX];
			int curcol, start = 0;
			const char *at;
			char ch[8] = " ";
			size_t n;

			memcpy(tmp, fd->value, f->cur);
			tmp[f->cur] = '\0';
			curcol = text_width(tmp);
			if (curcol >= fw)
				start = curcol - fw + 1;
			text_fill(win, y, vx, fw, role_attr(ROLE_INPUT));
			text_put(win, y, vx, fw, role_attr(ROLE_INPUT), fd->value + text_fit(fd->value, start));
			at = fd->value + f->cur;
			n = *at ? text_fit(at, 1) : 0;
			if (n) {
				memcpy(ch, at, n);
				ch[n] = '\0';
			}
			text_put(win, y, vx + curcol - start, 1, role_attr(ROLE_INPUT) | A_REVERSE, ch);
			used = fw;
		} else {
			const char *shown = fd->value;

			if (fd->kind == FF_BOOL)
				shown = !strcmp(fd->value, "1") ? "[x]" : "[ ]";
			else if (!fd->value[0])
				shown = "-";
			used = text_put(win, y, vx, vw / 2 > 20 ? vw / 2 : vw,
					role_attr(fd->error[0] ? ROLE_ERROR
							       : fd->value[0] ? ROLE_NORMAL : ROLE_DIM),
					shown);
			if (fd->kind == FF_CHOICE && foc)
				used += text_put(win, y, vx + used, 4, role_attr(ROLE_DIM), " <>");
		}
		/* units and reasons in one column when the values are short */
		ex = vx + (used + 2 > val_col ? used + 2 : val_col);
		if (fd->error[0])
			text_putf(win, y, ex, wd->x + wd->w - ex, role_attr(ROLE_ERROR), "%s %s",
				  g->utf8 ? "\u2717" : "x", fd->error);
		else if (fd->units && fd->units[0] && fd->kind != FF_BOOL)
			text_put(win, y, ex, wd->x + wd->w - ex, role_attr(ROLE_DIM), fd->units);
	}
	if (f->searching) {
		int y = wd->y + wd->h - 1;

		text_fill(win, y, wd->x, wd->w, role_attr(ROLE_INPUT));
		text_putf(win, y, wd->x, wd->w, role_attr(ROLE_INPUT), "/%s", f->search);
	}
}

static void form_free(struct widget *wd)
{
	struct form *f = (struct form *)wd;

	if (!f)
		return;
	free(f->f);
	free(f);
}

static const struct widget_class form_class = {
	.name = "form",
	.draw = form_draw,
	.key = form_key,
	.resize = widget_resize,
	.free = form_free,
};
