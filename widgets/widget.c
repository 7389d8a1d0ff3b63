/* Shared widget plumbing: the role table, glyph sets, text helpers. */
#include "widget.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

/* Monochrome defaults; tui/term.c replaces them at start-up. */
attr_t role_table[ROLE_NR] = {
	[ROLE_BOLD] = A_BOLD,
	[ROLE_TITLE] = A_BOLD,
	[ROLE_HEADER] = A_REVERSE,
	[ROLE_HEADER_VALUE] = A_REVERSE | A_BOLD,
	[ROLE_RULE_FOCUS] = A_BOLD,
	[ROLE_TABLE_HEAD] = A_BOLD | A_UNDERLINE,
	[ROLE_SELECTED] = A_REVERSE,
	[ROLE_SELECTED_DIM] = A_UNDERLINE,
	[ROLE_KEY] = A_BOLD,
	[ROLE_KEY_LABEL] = A_REVERSE,
	[ROLE_DIM] = A_DIM,
	[ROLE_CURSOR] = A_REVERSE,
	[ROLE_MARK] = A_BOLD,
	[ROLE_TOOLTIP_TITLE] = A_BOLD,
	[ROLE_DIALOG_TITLE] = A_BOLD,
	[ROLE_BUTTON_FOCUS] = A_REVERSE,
	[ROLE_INPUT] = A_UNDERLINE,
	[ROLE_ERROR] = A_BOLD,
	[ROLE_WARN] = A_BOLD,
	[ROLE_RUNNING] = A_BOLD,
};

bool widget_colour_ramp;

const struct glyphs glyphs_utf8 = {
	.utf8 = true,
	.hline = "\u2500", .vline = "\u2502",
	.tl = "\u256d", .tr = "\u256e", .bl = "\u2570", .br = "\u256f",
	.tee_left = "\u2524", .tee_right = "\u251c", .tee_up = "\u2534", .axis_corner = "\u2514",
	.bar_full = "\u2588", .bar_empty = "\u2591",
	.swatch = "\u25a0", .mark = "\u25b2", .mark_line = "\u250a",
	.ellipsis = "\u2026",
	.eighths = { " ", "\u258f", "\u258e", "\u258d", "\u258c", "\u258b", "\u258a",
		     "\u2589", "\u2588" },
};

const struct glyphs glyphs_ascii = {
	.utf8 = false,
	.hline = "-", .vline = "|",
	.tl = "+", .tr = "+", .bl = "+", .br = "+",
	.tee_left = "+", .tee_right = "+", .tee_up = "+", .axis_corner = "+",
	.bar_full = "#", .bar_empty = ".",
	.swatch = "#", .mark = "^", .mark_line = ":",
	.ellipsis = "~",
	.eighths = { " ", " ", " ", " ", "#", "#", "#", "#", "#" },
};

const struct glyphs *widget_glyphs = &glyphs_ascii;

void widget_resize(struct widget *w, int y, int x, int h, int wd)
{
	w->y = y;
	w->x = x;
	w->h = h < 0 ? 0 : h;
	w->w = wd < 0 ? 0 : wd;
}

/* Decode one character of @s (length @n); returns bytes used (>= 1) and its
 * column width in *cols (invalid bytes count as one column). */
static size_t char_step(const char *s, size_t n, int *cols)
{
	mbstate_t st;
	wchar_t wc;
	size_t r;

	memset(&st, 0, sizeof(st));
	r = mbrtowc(&wc, s, n, &st);
	if (r == (size_t)-1 || r == (size_t)-2 || r == 0) {
		*cols = 1;
		return 1;
	}
	*cols = wcwidth(wc);
	if (*cols < 0)
		*cols = 1;
	return r;
}

int text_width(const char *s)
{
	size_t n = strlen(s), i = 0;
	int w = 0;

	while (i < n) {
		int c;

		i += char_step(s + i, n - i, &c);
		w += c;
	}
	return w;
}

/* Bytes of @s that fit in @cols columns; *used gets their width. */
static size_t fit(const char *s, int cols, int *used)
{
	size_t n = strlen(s), i = 0;
	int w = 0;

	while (i < n) {
		int c;
		size_t step = char_step(s + i, n - i, &c);

		if (w + c > cols)
			break;
		w += c;
		i += step;
	}
	*used = w;
	return i;
}

size_t text_fit(const char *s, int cols)
{
	int used;

	return fit(s, cols, &used);
}

size_t text_wrap_fit(const char *s, int cols)
{
	size_t fit = text_fit(s, cols), len = strlen(s);

	if (fit < len) {
		size_t sp = fit;

		while (sp > 0 && s[sp] != ' ')
			sp--;
		if (sp > 0)
			fit = sp;
	}
	return fit;
}

int text_put_para(WINDOW *win, int y, int x, int w, int max, int indent, attr_t attr,
		  const char *s)
{
	int rows = 0;

	while (*s && rows < max) {
		int ind = rows ? indent : 0, cw = w - ind;
		size_t fit;
		char line[512];

		if (cw < 8)
			cw = w, ind = 0;
		fit = text_wrap_fit(s, cw);
		if (!fit)
			break;
		if (fit >= sizeof(line))
			fit = sizeof(line) - 1;
		if (win) {
			memcpy(line, s, fit);
			line[fit] = '\0';
			text_put(win, y + rows, x + ind, cw, attr, line);
		}
		rows++;
		s += fit;
		while (*s == ' ')
			s++;
	}
	return rows;
}

void text_elide_middle(char *buf, size_t len, const char *s, int cols)
{
	const char *el = widget_glyphs->ellipsis;
	int ew = text_width(el), head, tail, w = text_width(s);
	size_t n = strlen(s), i = 0, hb;

	if (!len)
		return;
	if (w <= cols) {
		snprintf(buf, len, "%s", s);
		return;
	}
	if (cols <= ew) {
		snprintf(buf, len, "%s", cols == ew ? el : "");
		return;
	}
	/* a third for the start, the rest for the end; more for the end when
	 * that keeps a path's last component whole */
	head = (cols - ew) / 3;
	tail = cols - ew - head;
	{
		const char *slash = strrchr(s, '/');
		int bw = slash ? text_width(slash) : 0;

		if (slash && bw > tail && bw <= cols - ew) {
			tail = bw;
			head = cols - ew - tail;
		}
	}
	hb = text_fit(s, head);
	/* the end: the first character boundary whose rest fits in tail */
	while (i < n && text_width(s + i) > tail) {
		int c;

		i += char_step(s + i, n - i, &c);
	}
	snprintf(buf, len, "%.*s%s%s", (int)hb, s, el, s + i);
}

int text_put(WINDOW *win, int y, int x, int maxw, attr_t attr, const char *s)
{
	size_t len;
	int used;

	if (!win || y < 0 || x < 0 || y >= getmaxy(win) || x >= getmaxx(win))
		return 0;
	if (maxw < 0 || x + maxw > getmaxx(win))
		maxw = getmaxx(win) - x;
	if (maxw <= 0)
		return 0;
	len = fit(s, maxw, &used);
	if (!len)
		return 0;
	wattrset(win, attr);
	mvwaddnstr(win, y, x, s, (int)len);
	wattrset(win, A_NORMAL);
	return used;
}

int text_putf(WINDOW *win, int y, int x, int maxw, attr_t attr, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return text_put(win, y, x, maxw, attr, buf);
}

void text_fill(WINDOW *win, int y, int x, int n, attr_t attr)
{
	if (!win || y < 0 || y >= getmaxy(win))
		return;
	if (x < 0) {
		n += x;
		x = 0;
	}
	if (x + n > getmaxx(win))
		n = getmaxx(win) - x;
	if (n <= 0)
		return;
	wattrset(win, attr);
	mvwhline(win, y, x, ' ', n);
	wattrset(win, A_NORMAL);
}

void text_repeat(WINDOW *win, int y, int x, int n, attr_t attr, const char *g)
{
	if (!win || y < 0 || y >= getmaxy(win))
		return;
	if (x + n > getmaxx(win))
		n = getmaxx(win) - x;
	wattrset(win, attr);
	for (int i = 0; i < n; i++)
		mvwaddstr(win, y, x + i, g);
	wattrset(win, A_NORMAL);
}

void box_draw(WINDOW *win, int y, int x, int h, int w, attr_t border, attr_t fill)
{
	const struct glyphs *g = widget_glyphs;

	if (h < 2 || w < 2)
		return;
	for (int r = 1; r < h - 1; r++)
		text_fill(win, y + r, x + 1, w - 2, fill);
	text_put(win, y, x, 1, border, g->tl);
	text_repeat(win, y, x + 1, w - 2, border, g->hline);
	text_put(win, y, x + w - 1, 1, border, g->tr);
	for (int r = 1; r < h - 1; r++) {
		text_put(win, y + r, x, 1, border, g->vline);
		text_put(win, y + r, x + w - 1, 1, border, g->vline);
	}
	text_put(win, y + h - 1, x, 1, border, g->bl);
	text_repeat(win, y + h - 1, x + 1, w - 2, border, g->hline);
	text_put(win, y + h - 1, x + w - 1, 1, border, g->br);
}
