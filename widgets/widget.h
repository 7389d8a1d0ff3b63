/* Widgets: small curses classes the screens are built from.
 *
 * Every widget embeds `struct widget` as its first member and ends its file
 * with a `const struct widget_class` (draw, key, resize, free). A key handler
 * returns a mask of enum wk_result; the screen loop decides what to redraw.
 *
 * Colours are roles (enum role), never colour numbers: widgets draw with
 * role_attr(ROLE_x), and tui/term.c fills the role table once for the
 * terminal's colour depth (256/8 colours, monochrome, NO_COLOR). Glyphs that
 * need UTF-8 come from `widget_glyphs`, which term.c points at an ASCII set
 * when the locale is not UTF-8. Both default to monochrome/ASCII-safe values
 * so widgets work (and are tested) without term.c.
 *
 * Only the UI thread calls widget code. */
#ifndef IOLAB_WIDGET_H
#define IOLAB_WIDGET_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

/* Colour roles. Keep ROLE_SERIES0..7 contiguous. */
enum role {
	ROLE_NORMAL = 0,
	ROLE_DIM,
	ROLE_BOLD,
	ROLE_TITLE,        /* screen title, header labels */
	ROLE_HEADER,       /* header bar background */
	ROLE_HEADER_VALUE, /* figures in the header bar */
	ROLE_RULE,         /* separators and pane titles */
	ROLE_RULE_FOCUS,   /* title of the focused pane */
	ROLE_TABLE_HEAD,
	ROLE_SELECTED,     /* selected row in the focused table */
	ROLE_SELECTED_DIM, /* selected row when the table is not focused */
	ROLE_KEY,          /* footer: the key */
	ROLE_KEY_LABEL,    /* footer: what it does */
	ROLE_AXIS,
	ROLE_TICK,
	ROLE_CURSOR,
	ROLE_MARK,
	ROLE_TOOLTIP,
	ROLE_TOOLTIP_TITLE,
	ROLE_DIALOG,
	ROLE_DIALOG_TITLE,
	ROLE_BUTTON,
	ROLE_BUTTON_FOCUS,
	ROLE_INPUT,
	ROLE_ERROR,
	ROLE_WARN,
	ROLE_OK,
	ROLE_RUNNING,
	ROLE_BAR,          /* histogram and progress bars */
	ROLE_SERIES0,
	ROLE_SERIES1,
	ROLE_SERIES2,
	ROLE_SERIES3,
	ROLE_SERIES4,
	ROLE_SERIES5,
	ROLE_SERIES6,
	ROLE_SERIES7,
	/* heat map shades, light to dark as the share grows (ROLE_HEAT0 + 0..7);
	 * drawn only where widget_colour_ramp is true */
	ROLE_HEAT0,
	ROLE_HEAT1,
	ROLE_HEAT2,
	ROLE_HEAT3,
	ROLE_HEAT4,
	ROLE_HEAT5,
	ROLE_HEAT6,
	ROLE_HEAT7,
	ROLE_NR,
};
#define ROLE_SERIES_NR 8

/* Attribute (colour pair included) of each role; term.c fills it. */
extern attr_t role_table[ROLE_NR];
static inline attr_t role_attr(enum role r)
{
	return (unsigned)r < ROLE_NR ? role_table[r] : A_NORMAL;
}
/* True when the terminal has the eight ROLE_HEAT shades as distinct
 * background colours (256 colours or more); term.c sets it. False (the
 * default, and monochrome, 8 colours, NO_COLOR): shade with glyphs. */
extern bool widget_colour_ramp;
static inline enum role role_series(unsigned i)
{
	return (enum role)(ROLE_SERIES0 + i % ROLE_SERIES_NR);
}

/* Glyphs drawn as text; each is one terminal column. */
struct glyphs {
	bool utf8;
	const char *hline, *vline, *tl, *tr, *bl, *br; /* box drawing */
	const char *tee_left;   /* axis: a tick on a vertical line, label left */
	const char *tee_right;  /* the same, label right */
	const char *tee_up;     /* axis: a tick on a horizontal line */
	const char *axis_corner;
	const char *bar_full, *bar_empty; /* progress bars */
	const char *swatch;     /* legend colour sample */
	const char *mark;       /* marker on the time axis */
	const char *mark_line;  /* marker line through a plot */
	const char *ellipsis;
	const char *eighths[9]; /* horizontal bar partials: " ", 1/8 .. 8/8 */
};
extern const struct glyphs glyphs_utf8, glyphs_ascii;
extern const struct glyphs *widget_glyphs;

/* Key handler results, a mask. */
enum wk_result {
	WK_HANDLED = 1u << 0,
	WK_IGNORED = 1u << 1,
	WK_REDRAW = 1u << 2,
	WK_QUIT = 1u << 3,
};

struct widget;

struct widget_class {
	const char *name;
	/* Draw into @win inside the widget's rectangle; no refresh. */
	void (*draw)(struct widget *w, WINDOW *win);
	/* One key (a curses key code or a character); returns enum wk_result. */
	unsigned (*key)(struct widget *w, int key);
	/* New rectangle (window coordinates). */
	void (*resize)(struct widget *w, int y, int x, int h, int wd);
	void (*free)(struct widget *w);
};

struct widget {
	const struct widget_class *cls;
	int y, x, h, w; /* rectangle in the window it draws into */
	bool focused;
};

static inline void widget_draw(struct widget *w, WINDOW *win)
{
	if (w && w->cls->draw)
		w->cls->draw(w, win);
}
static inline unsigned widget_key(struct widget *w, int key)
{
	return w && w->cls->key ? w->cls->key(w, key) : WK_IGNORED;
}
/* Default resize just stores the rectangle. */
void widget_resize(struct widget *w, int y, int x, int h, int wd);
static inline void widget_free(struct widget *w)
{
	if (w && w->cls->free)
		w->cls->free(w);
}
static inline void widget_focus(struct widget *w, bool on)
{
	if (w)
		w->focused = on;
}

/* Text helpers (UTF-8 aware, every glyph taken at its wcwidth). */

/* Display columns of @s. */
int text_width(const char *s);
/* Bytes of @s that fit in @cols columns. */
size_t text_fit(const char *s, int cols);
/* @s into @buf in at most @cols columns: whole when it fits, else its
 * start and its end around widget_glyphs->ellipsis, the end getting two
 * thirds, or all it needs to keep a path's last '/' component whole. Never
 * a shortened string that reads as whole: "/tmp/work/test1.dat" in 14
 * columns is "/tm…/test1.dat". */
void text_elide_middle(char *buf, size_t len, const char *s, int cols);
/* Bytes of @s for one row of @cols columns, broken after the last word
 * that fits (a word longer than the row is cut); 0 for an empty @s. */
size_t text_wrap_fit(const char *s, int cols);
/* @s wrapped into rows of @w columns from (y, x), rows after the first
 * indented by @indent (none when that would leave under 8 columns), at
 * most @max rows; with @win NULL it only counts. Returns the rows. */
int text_put_para(WINDOW *win, int y, int x, int w, int max, int indent, attr_t attr,
		  const char *s);
/* Put @s at (y, x) with @attr, clipped to @maxw columns; returns columns
 * written. A negative @maxw means "to the right edge of @win". */
int text_put(WINDOW *win, int y, int x, int maxw, attr_t attr, const char *s);
/* printf into a line, then text_put. */
int text_putf(WINDOW *win, int y, int x, int maxw, attr_t attr, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
/* Fill @n columns from (y, x) with blanks in @attr. */
void text_fill(WINDOW *win, int y, int x, int n, attr_t attr);
/* Repeat glyph @g @n times. */
void text_repeat(WINDOW *win, int y, int x, int n, attr_t attr, const char *g);
/* Draw a box outline of @h x @w at (y, x), and clear its inside with @fill. */
void box_draw(WINDOW *win, int y, int x, int h, int w, attr_t border, attr_t fill);

#endif
