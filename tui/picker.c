/* Profile picker: the shipped profiles (backend/profiles.h) as a list of
 * name and one-line description, and below it the selected profile's whole
 * opening comment (what it models, what to look at, where its numbers come
 * from). Enter loads the profile as the job list, on its scratch file in
 * $TMPDIR as `iolab --profile NAME` does without --filename, and opens it
 * in the editor; Esc goes back to the screen the picker was opened from. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../backend/profiles.h"
#include "app.h"
#include "term.h"

#define LIST_Y 2

struct picker_state {
	size_t sel, top;
	enum screen_id back; /* where Esc goes */
	int list_h;          /* rows of the list at the last draw */
};

void picker_open(struct app *a)
{
	if (!a->pick) {
		a->pick = calloc(1, sizeof(*a->pick));
		if (!a->pick) {
			app_error(a, "Profiles", "Out of memory.");
			return;
		}
	}
	if (a->scr != SCR_PICKER)
		a->pick->back = a->scr == SCR_HELP ? SCR_DASH : a->scr;
	app_show(a, SCR_PICKER);
}

void picker_free(struct app *a)
{
	free(a->pick);
	a->pick = NULL;
}

/* @s in @w columns, ending in an ellipsis when it does not fit. */
static void put_clipped(WINDOW *win, int y, int x, int w, attr_t at, const char *s)
{
	char line[512];
	size_t fit;

	if (w <= 1 || text_width(s) <= w) {
		text_put(win, y, x, w, at, s);
		return;
	}
	fit = text_fit(s, w - 1);
	if (fit >= sizeof(line))
		fit = sizeof(line) - 1;
	memcpy(line, s, fit);
	line[fit] = '\0';
	x += text_put(win, y, x, w - 1, at, line);
	text_put(win, y, x, 1, at, widget_glyphs->ellipsis);
}

static void picker_draw(struct app *a, WINDOW *win)
{
	struct picker_state *ps = a->pick;
	size_t n = 0, namew = 4;
	const struct profile *p = profiles_list(&n);
	int rows = a->rows - 1, list_h, py, ph;
	char buf[4096];

	text_fill(win, 0, 0, a->cols, role_attr(ROLE_HEADER));
	text_fill(win, 1, 0, a->cols, role_attr(ROLE_NORMAL));
	text_put(win, 0, 0, a->cols, role_attr(ROLE_HEADER_VALUE), " Profiles ");
	text_putf(win, 0, 10, a->cols - 10, role_attr(ROLE_HEADER),
		  "%s %zu shipped job files; the one you pick replaces the jobs", widget_glyphs->vline,
		  n);
	text_put(win, 1, 1, a->cols - 2, role_attr(ROLE_DIM),
		 "Up/Down select  Enter load and edit (scratch file in $TMPDIR)  Esc back");
	if (!ps || !n) {
		text_put(win, LIST_Y + 1, 2, a->cols - 4, role_attr(ROLE_NORMAL),
			 "No profiles are built in.");
		return;
	}
	if (ps->sel >= n)
		ps->sel = n - 1;
	for (size_t i = 0; i < n; i++)
		if (strlen(p[i].name) > namew)
			namew = strlen(p[i].name);

	/* the list takes what it needs, at most half of the body */
	list_h = (rows - LIST_Y) / 2;
	if (list_h < 3)
		list_h = 3;
	if ((size_t)list_h > n)
		list_h = (int)n;
	ps->list_h = list_h;
	if (ps->sel < ps->top)
		ps->top = ps->sel;
	if (ps->sel >= ps->top + (size_t)list_h)
		ps->top = ps->sel - (size_t)list_h + 1;
	for (int r = 0; r < list_h && ps->top + (size_t)r < n; r++) {
		size_t i = ps->top + (size_t)r;
		bool sel = i == ps->sel;
		attr_t at = role_attr(sel ? ROLE_SELECTED : ROLE_NORMAL);

		if (sel)
			text_fill(win, LIST_Y + r, 0, a->cols, at);
		text_putf(win, LIST_Y + r, 1, a->cols - 2, at | (sel ? 0 : A_BOLD), "%-*s",
			  (int)namew, p[i].name);
		put_clipped(win, LIST_Y + r, 3 + (int)namew, a->cols - 6 - (int)namew,
			    sel ? at : role_attr(ROLE_NORMAL), p[i].description ? p[i].description : "");
	}
	/* a hint that the list scrolls */
	if (ps->top > 0)
		text_put(win, LIST_Y, a->cols - 2, 1, role_attr(ROLE_DIM), "^");
	if (ps->top + (size_t)list_h < n)
		text_put(win, LIST_Y + list_h - 1, a->cols - 2, 1, role_attr(ROLE_DIM), "v");

	/* the selected profile's opening comment */
	py = LIST_Y + list_h;
	ph = rows - py - 1;
	text_repeat(win, py, 0, a->cols, role_attr(ROLE_RULE), widget_glyphs->hline);
	text_putf(win, py, 1, a->cols - 2, role_attr(ROLE_RULE_FOCUS), " profiles/%s.fio (%zu of %zu) ",
		  p[ps->sel].name, ps->sel + 1, n);
	{
		/* the comment as written (it is wrapped for 80 columns); a line
		 * too long for the pane wraps under its own indentation */
		const char *t = p[ps->sel].text ? p[ps->sel].text : "";
		int y = py + 1, end = py + 1 + ph;

		while (*t == '#' && y < end) {
			const char *e = strchr(t, '\n'), *b = t + 1;
			size_t l;
			int ind = 0;

			if (!e)
				e = t + strlen(t);
			if (*b == ' ')
				b++;
			l = (size_t)(e - b);
			if (l >= sizeof(buf))
				l = sizeof(buf) - 1;
			memcpy(buf, b, l);
			buf[l] = '\0';
			while (buf[ind] == ' ')
				ind++;
			if (strncmp(buf, "profile:", 8))
				y += buf[0] ? text_put_para(win, y, 2, a->cols - 4, end - y, ind + 2,
						       role_attr(ROLE_NORMAL), buf)
					    : 1;
			t = *e ? e + 1 : e;
		}
		if (*t == '#' && ph > 0)
			text_put(win, end - 1, a->cols - 2, 1, role_attr(ROLE_DIM),
				 widget_glyphs->ellipsis);
	}
}

static void load_selected(struct app *a)
{
	size_t n = 0;
	const struct profile *p = profiles_list(&n);
	char name[128];

	if (!a->pick || a->pick->sel >= n)
		return;
	snprintf(name, sizeof(name), "%s", p[a->pick->sel].name);
	if (act_load(a, name, true))
		return; /* the error dialog is up; stay on the list */
	editor_open(a, 0);
	app_show(a, SCR_EDIT);
}

static unsigned picker_key(struct app *a, int key)
{
	struct picker_state *ps = a->pick;
	size_t n = 0;
	size_t page;

	profiles_list(&n);
	if (!ps)
		return WK_IGNORED;
	page = ps->list_h > 1 ? (size_t)ps->list_h - 1 : 1;
	switch (key) {
	case KEY_UP:
	case 'k':
		if (ps->sel > 0)
			ps->sel--;
		return WK_HANDLED | WK_REDRAW;
	case KEY_DOWN:
	case 'j':
		if (ps->sel + 1 < n)
			ps->sel++;
		return WK_HANDLED | WK_REDRAW;
	case KEY_PPAGE:
		ps->sel = ps->sel > page ? ps->sel - page : 0;
		return WK_HANDLED | WK_REDRAW;
	case KEY_NPAGE:
		ps->sel = ps->sel + page < n ? ps->sel + page : (n ? n - 1 : 0);
		return WK_HANDLED | WK_REDRAW;
	case KEY_HOME:
		ps->sel = 0;
		return WK_HANDLED | WK_REDRAW;
	case KEY_END:
		ps->sel = n ? n - 1 : 0;
		return WK_HANDLED | WK_REDRAW;
	case '\n':
	case '\r':
	case KEY_ENTER:
		load_selected(a);
		return WK_HANDLED | WK_REDRAW;
	case 27:
		app_show(a, ps->back);
		return WK_HANDLED | WK_REDRAW;
	case KEY_F(4):
	case 'P':
		return WK_HANDLED; /* already here */
	}
	return WK_IGNORED;
}

static void picker_mouse(struct app *a, const MEVENT *m)
{
	struct picker_state *ps = a->pick;
	size_t n = 0;

	profiles_list(&n);
	if (!ps || !(m->bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED)))
		return;
	if (m->y >= LIST_Y && m->y < LIST_Y + ps->list_h && ps->top + (size_t)(m->y - LIST_Y) < n) {
		ps->sel = ps->top + (size_t)(m->y - LIST_Y);
		a->dirty = true;
		if (m->bstate & BUTTON1_DOUBLE_CLICKED)
			load_selected(a);
	}
}

static void picker_footer(struct app *a, struct statusbar *sb)
{
	static const struct statusbar_item items[] = {
		{ "F1", "Help", 1 },
		{ "Enter", "Load+Edit", 0 },
		{ "\u2191\u2193", "Select", 0 },
		{ "Esc", "Back", 0 },
		{ "q", "Quit", 1 },
	};
	static const struct statusbar_item items_ascii[] = {
		{ "F1", "Help", 1 },
		{ "Enter", "Load+Edit", 0 },
		{ "Up/Dn", "Select", 0 },
		{ "Esc", "Back", 0 },
		{ "q", "Quit", 1 },
	};

	(void)a;
	if (term_utf8())
		statusbar_set(sb, items, sizeof(items) / sizeof(items[0]));
	else
		statusbar_set(sb, items_ascii, sizeof(items_ascii) / sizeof(items_ascii[0]));
}

const struct screen_ops picker_screen = {
	.name = "profiles",
	.close = picker_free,
	.enter = NULL,
	.update = NULL,
	.draw = picker_draw,
	.key = picker_key,
	.mouse = picker_mouse,
	.footer = picker_footer,
};
