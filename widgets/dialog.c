/* Dialog widget; see dialog.h. */
#include "dialog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct dialog {
	struct widget base;
	enum dialog_kind kind;
	char title[64];
	char msg[1024];
	bool msg_error;
	char button[DIALOG_MAX_BUTTONS][DIALOG_BUTTON_MAX];
	size_t nbuttons;
	int focus, result;
	bool has_input;
	char input[DIALOG_INPUT_MAX];
	size_t cur; /* byte offset of the input cursor */
	int tag;
	long arg;
};

static const struct widget_class dialog_class;

struct dialog *dialog_new(enum dialog_kind kind, const char *title, const char *msg,
			  const char *const *buttons, size_t nbuttons)
{
	static const char *const ok[] = { "OK" };
	struct dialog *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->base.cls = &dialog_class;
	d->kind = kind;
	snprintf(d->title, sizeof(d->title), "%s", title ? title : "");
	snprintf(d->msg, sizeof(d->msg), "%s", msg ? msg : "");
	if (!buttons || !nbuttons) {
		buttons = ok;
		nbuttons = 1;
	}
	if (nbuttons > DIALOG_MAX_BUTTONS)
		nbuttons = DIALOG_MAX_BUTTONS;
	for (size_t i = 0; i < nbuttons; i++)
		snprintf(d->button[i], sizeof(d->button[i]), "%s", buttons[i] ? buttons[i] : "");
	d->nbuttons = nbuttons;
	d->result = -2;
	d->msg_error = kind == DIALOG_ERROR;
	return d;
}

struct widget *dialog_widget(struct dialog *d)
{
	return &d->base;
}

void dialog_set_input(struct dialog *d, const char *initial)
{
	d->has_input = true;
	snprintf(d->input, sizeof(d->input), "%s", initial ? initial : "");
	d->cur = strlen(d->input);
}

const char *dialog_input(const struct dialog *d)
{
	return d->input;
}

void dialog_set_message(struct dialog *d, const char *msg, bool is_error)
{
	snprintf(d->msg, sizeof(d->msg), "%s", msg ? msg : "");
	d->msg_error = is_error;
}

int dialog_result(const struct dialog *d)
{
	return d->result;
}

void dialog_reopen(struct dialog *d)
{
	d->result = -2;
}

enum dialog_kind dialog_kind(const struct dialog *d)
{
	return d->kind;
}

void dialog_set_tag(struct dialog *d, int tag, long arg)
{
	d->tag = tag;
	d->arg = arg;
}

int dialog_tag(const struct dialog *d)
{
	return d->tag;
}

long dialog_arg(const struct dialog *d)
{
	return d->arg;
}

/* Split the message into lines of at most @w columns (at spaces where it
 * can); calls @emit for each; returns the number of lines. */
static int wrap(const char *msg, int w, void (*emit)(void *, int, const char *), void *arg)
{
	int n = 0;
	const char *p = msg;

	if (w < 1)
		return 0;
	while (*p) {
		char line[256];
		const char *nl = strchr(p, '\n');
		size_t seg = nl ? (size_t)(nl - p) : strlen(p);
		size_t fit = text_fit(p, w);

		if (fit >= seg)
			fit = seg;
		else
			fit = text_wrap_fit(p, w);
		if (fit >= sizeof(line))
			fit = sizeof(line) - 1;
		memcpy(line, p, fit);
		line[fit] = '\0';
		if (emit)
			emit(arg, n, line);
		n++;
		p += fit;
		if (*p == ' ' || (*p == '\n' && fit == seg))
			p++;
		if (!fit && !*p)
			break;
		if (!fit && *p && *p != '\n' && p[-1] != ' ' && p[-1] != '\n')
			p++; /* a character wider than the box */
	}
	return n;
}

struct emit_ctx {
	WINDOW *win;
	int y, x, w;
	attr_t a;
};

static void emit_line(void *arg, int i, const char *line)
{
	struct emit_ctx *e = arg;

	text_put(e->win, e->y + i, e->x, e->w, e->a, line);
}

static void dialog_draw(struct widget *wd, WINDOW *win)
{
	struct dialog *d = (struct dialog *)wd;
	int sw = getmaxx(win), sh = getmaxy(win);
	int w, inner, lines, h, y, x, bw = 0, bx, need;
	attr_t fill = role_attr(ROLE_DIALOG);
	struct emit_ctx e;

	/* as wide as the longest message line, 36..64 columns */
	need = text_width(d->title) + 8;
	for (const char *p = d->msg; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char tmp[1024];
		int lw;

		memcpy(tmp, p, len);
		tmp[len] = '\0';
		lw = text_width(tmp) + 4;
		if (lw > need)
			need = lw;
		p += len + (nl ? 1 : 0);
	}
	if (d->has_input && need < 48)
		need = 48;
	w = need < 36 ? 36 : need > 64 ? 64 : need;
	if (w > sw - 4)
		w = sw - 4;
	if (w < 20)
		w = sw;
	inner = w - 4;
	lines = wrap(d->msg, inner, NULL, NULL);
	h = lines + 4 + (d->has_input ? 2 : 0);
	if (h > sh)
		h = sh;
	y = (sh - h) / 2;
	x = (sw - w) / 2;
	widget_resize(wd, y, x, h, w);
	box_draw(win, y, x, h, w, role_attr(d->kind == DIALOG_ERROR ? ROLE_ERROR : ROLE_DIALOG),
		 fill);
	if (d->title[0])
		text_putf(win, y, x + 2, w - 4,
			  role_attr(d->kind == DIALOG_ERROR ? ROLE_ERROR : ROLE_DIALOG_TITLE), " %s ",
			  d->title);
	e.win = win;
	e.y = y + 1;
	e.x = x + 2;
	e.w = inner;
	e.a = d->msg_error && d->kind != DIALOG_ERROR ? role_attr(ROLE_ERROR) | A_BOLD : fill;
	wrap(d->msg, inner, emit_line, &e);
	if (d->has_input) {
		int iy = y + 1 + lines + 1 - 1 + 1, vis = inner, start = 0;
		size_t before = d->cur;
		char tmp[DIALOG_INPUT_MAX];
		int curcol;

		memcpy(tmp, d->input, before);
		tmp[before] = '\0';
		curcol = text_width(tmp);
		if (curcol >= vis)
			start = curcol - vis + 1;
		text_fill(win, iy, x + 2, vis, role_attr(ROLE_INPUT));
		{
			/* skip @start columns of the input */
			const char *p = d->input;
			size_t skip = text_fit(p, start);

			text_put(win, iy, x + 2, vis, role_attr(ROLE_INPUT), p + skip);
			{
				const char *at = d->input + d->cur;
				char ch[8] = " ";
				size_t n = *at ? text_fit(at, 1) : 0;

				if (n) {
					memcpy(ch, at, n);
					ch[n] = '\0';
				}
				text_put(win, iy, x + 2 + curcol - start, 1,
					 role_attr(ROLE_INPUT) | A_REVERSE, ch);
			}
		}
	}
	for (size_t i = 0; i < d->nbuttons; i++)
		bw += text_width(d->button[i]) + 4 + (i ? 2 : 0);
	bx = x + (w - bw) / 2;
	for (size_t i = 0; i < d->nbuttons; i++) {
		attr_t a = role_attr((int)i == d->focus ? ROLE_BUTTON_FOCUS : ROLE_BUTTON);

		if (i)
			bx += 2;
		bx += text_putf(win, y + h - 2, bx, x + w - 1 - bx, a, "[ %s ]", d->button[i]);
	}
}

static unsigned input_key(struct dialog *d, int key)
{
	size_t len = strlen(d->input);

	switch (key) {
	case KEY_BACKSPACE:
	case 127:
	case 8:
		if (d->cur > 0) {
			size_t s = d->cur - 1;

			while (s > 0 && ((unsigned char)d->input[s] & 0xc0) == 0x80)
				s--;
			memmove(d->input + s, d->input + d->cur, len - d->cur + 1);
			d->cur = s;
		}
		return WK_HANDLED | WK_REDRAW;
	case KEY_DC:
		if (d->cur < len) {
			size_t e = d->cur + 1;

			while (e < len && ((unsigned char)d->input[e] & 0xc0) == 0x80)
				e++;
			memmove(d->input + d->cur, d->input + e, len - e + 1);
		}
		return WK_HANDLED | WK_REDRAW;
	case KEY_LEFT:
		while (d->cur > 0) {
			d->cur--;
			if (((unsigned char)d->input[d->cur] & 0xc0) != 0x80)
				break;
		}
		return WK_HANDLED | WK_REDRAW;
	case KEY_RIGHT:
		while (d->cur < len) {
			d->cur++;
			if (((unsigned char)d->input[d->cur] & 0xc0) != 0x80)
				break;
		}
		return WK_HANDLED | WK_REDRAW;
	case KEY_HOME:
	case 1: /* Ctrl-A */
		d->cur = 0;
		return WK_HANDLED | WK_REDRAW;
	case KEY_END:
	case 5: /* Ctrl-E */
		d->cur = len;
		return WK_HANDLED | WK_REDRAW;
	case 21: /* Ctrl-U */
		d->input[0] = '\0';
		d->cur = 0;
		return WK_HANDLED | WK_REDRAW;
	}
	if (key >= 32 && key < 256 && key != 127 && len + 1 < sizeof(d->input)) {
		memmove(d->input + d->cur + 1, d->input + d->cur, len - d->cur + 1);
		d->input[d->cur++] = (char)key;
		return WK_HANDLED | WK_REDRAW;
	}
	return WK_IGNORED;
}

static unsigned dialog_key(struct widget *wd, int key)
{
	struct dialog *d = (struct dialog *)wd;

	switch (key) {
	case 27:
		d->result = -1;
		return WK_HANDLED | WK_QUIT;
	case '\n':
	case '\r':
	case KEY_ENTER:
		d->result = d->focus;
		return WK_HANDLED | WK_QUIT;
	case '\t':
		d->focus = (d->focus + 1) % (int)d->nbuttons;
		return WK_HANDLED | WK_REDRAW;
	case KEY_BTAB:
		d->focus = (d->focus + (int)d->nbuttons - 1) % (int)d->nbuttons;
		return WK_HANDLED | WK_REDRAW;
	}
	if (d->has_input)
		return input_key(d, key) | WK_HANDLED;
	switch (key) {
	case KEY_LEFT:
	case 'h':
		if (d->focus > 0)
			d->focus--;
		return WK_HANDLED | WK_REDRAW;
	case KEY_RIGHT:
	case 'l':
		if (d->focus + 1 < (int)d->nbuttons)
			d->focus++;
		return WK_HANDLED | WK_REDRAW;
	}
	for (size_t i = 0; i < d->nbuttons; i++) {
		int c = (unsigned char)d->button[i][0];

		if (key < 256 && key > 0 && (key == c || key == (c ^ 0x20))) {
			d->focus = (int)i;
			d->result = (int)i;
			return WK_HANDLED | WK_QUIT;
		}
	}
	/* a modal dialog swallows everything else */
	return WK_HANDLED;
}

static void dialog_free(struct widget *wd)
{
	free(wd);
}

static const struct widget_class dialog_class = {
	.name = "dialog",
	.draw = dialog_draw,
	.key = dialog_key,
	.resize = widget_resize,
	.free = dialog_free,
};
