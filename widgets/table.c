/* Table widget; see table.h. */
#include "table.h"

#include <stdlib.h>
#include <string.h>

struct table {
	struct widget base;
	struct table_col col[TABLE_MAX_COLS];
	int ncols;
	int cw[TABLE_MAX_COLS]; /* laid out widths */
	table_cell_fn cell;
	void *ctx;
	size_t nrows, sel, top;
};

static const struct widget_class table_class;

struct table *table_new(const struct table_col *cols, int ncols, table_cell_fn cell,
			void *ctx)
{
	struct table *t;

	if (ncols < 1 || ncols > TABLE_MAX_COLS || !cell)
		return NULL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->base.cls = &table_class;
	memcpy(t->col, cols, (size_t)ncols * sizeof(*cols));
	t->ncols = ncols;
	t->cell = cell;
	t->ctx = ctx;
	return t;
}

struct widget *table_widget(struct table *t)
{
	return &t->base;
}

void table_set_rows(struct table *t, size_t n)
{
	t->nrows = n;
	if (t->sel >= n)
		t->sel = n ? n - 1 : 0;
}

size_t table_rows(const struct table *t)
{
	return t->nrows;
}

size_t table_selected(const struct table *t)
{
	return t->sel;
}

void table_select(struct table *t, size_t row)
{
	if (t->nrows)
		t->sel = row < t->nrows ? row : t->nrows - 1;
}

/* Widths: minimums, then the spare split by flex weight. A column that
 * does not fit at all gets 0. */
static void layout(struct table *t)
{
	int avail = t->base.w, flex = 0, used = 0;

	for (int i = 0; i < t->ncols; i++) {
		int need = t->col[i].width + (i ? 1 : 0);

		if (used + need > avail) {
			t->cw[i] = 0;
			continue;
		}
		t->cw[i] = t->col[i].width;
		used += need;
		flex += t->col[i].flex;
	}
	if (flex > 0 && used < avail) {
		int spare = avail - used, given = 0, last = -1;

		for (int i = 0; i < t->ncols; i++) {
			if (!t->cw[i] || !t->col[i].flex)
				continue;
			t->cw[i] += spare * t->col[i].flex / flex;
			given += spare * t->col[i].flex / flex;
			last = i;
		}
		if (last >= 0)
			t->cw[last] += spare - given;
	}
}

int table_col_width(const struct table *t, int col)
{
	return col >= 0 && col < t->ncols ? t->cw[col] : 0;
}

/* Rows of data shown: the body, less one line that says how many rows
 * are out of view when they do not all fit. */
static int body_rows(const struct table *t)
{
	int rows = t->base.h - 1;

	return (size_t)rows < t->nrows && rows > 1 ? rows - 1 : rows;
}

static void keep_visible(struct table *t)
{
	int rows = body_rows(t);

	if (rows < 1)
		return;
	if (t->sel < t->top)
		t->top = t->sel;
	if (t->sel >= t->top + (size_t)rows)
		t->top = t->sel - (size_t)rows + 1;
	if (t->top + (size_t)rows > t->nrows)
		t->top = t->nrows > (size_t)rows ? t->nrows - (size_t)rows : 0;
}

long table_row_at(const struct table *t, int wy, int wx)
{
	size_t r;

	if (wx < t->base.x || wx >= t->base.x + t->base.w || wy <= t->base.y ||
	    wy >= t->base.y + t->base.h)
		return -1;
	r = t->top + (size_t)(wy - t->base.y - 1);
	return r < t->nrows ? (long)r : -1;
}

static void put_cell(WINDOW *win, int y, int x, int w, bool right, attr_t a, const char *s)
{
	int tw = text_width(s);

	text_fill(win, y, x, w, a);
	if (right && tw < w)
		text_put(win, y, x + w - tw, w, a, s);
	else
		text_put(win, y, x, w, a, s);
}

static void table_draw(struct widget *wd, WINDOW *win)
{
	struct table *t = (struct table *)wd;
	attr_t head = role_attr(ROLE_TABLE_HEAD);
	int x, rows = body_rows(t);

	if (wd->h < 1 || wd->w < 1)
		return;
	layout(t);
	keep_visible(t);
	text_fill(win, wd->y, wd->x, wd->w, head);
	x = wd->x;
	for (int i = 0; i < t->ncols; i++) {
		if (!t->cw[i])
			continue;
		put_cell(win, wd->y, x, t->cw[i], t->col[i].right, head, t->col[i].title);
		x += t->cw[i] + 1;
	}
	for (int r = 0; r < rows; r++) {
		size_t row = t->top + (size_t)r;
		int y = wd->y + 1 + r;
		bool sel = row == t->sel;
		attr_t rowa = sel ? role_attr(wd->focused ? ROLE_SELECTED : ROLE_SELECTED_DIM)
				  : role_attr(ROLE_NORMAL);

		text_fill(win, y, wd->x, wd->w, row < t->nrows ? rowa : role_attr(ROLE_NORMAL));
		if (row >= t->nrows)
			continue;
		x = wd->x;
		for (int i = 0; i < t->ncols; i++) {
			char buf[256] = "";
			enum role role = ROLE_NORMAL;

			if (!t->cw[i])
				continue;
			t->cell(t->ctx, row, i, buf, sizeof(buf), &role);
			put_cell(win, y, x, t->cw[i], t->col[i].right,
				 sel ? rowa : role_attr(role), buf);
			x += t->cw[i] + 1;
		}
	}
	if (rows < wd->h - 1) {
		/* the line that says what is out of view */
		size_t above = t->top, below = t->nrows - t->top - (size_t)rows;
		char buf[96];

		if (above && below)
			snprintf(buf, sizeof(buf), " +%zu above, +%zu below", above, below);
		else if (above)
			snprintf(buf, sizeof(buf), " +%zu more above", above);
		else
			snprintf(buf, sizeof(buf), " +%zu more", below);
		text_fill(win, wd->y + 1 + rows, wd->x, wd->w, role_attr(ROLE_DIM));
		text_put(win, wd->y + 1 + rows, wd->x, wd->w, role_attr(ROLE_DIM), buf);
	}
}

static unsigned table_key(struct widget *wd, int key)
{
	struct table *t = (struct table *)wd;
	size_t page = body_rows(t) > 1 ? (size_t)body_rows(t) - 1 : 1;
	size_t old = t->sel;

	if (!t->nrows)
		return WK_IGNORED;
	switch (key) {
	case KEY_UP:
	case 'k':
		if (t->sel)
			t->sel--;
		break;
	case KEY_DOWN:
	case 'j':
		if (t->sel + 1 < t->nrows)
			t->sel++;
		break;
	case KEY_PPAGE:
		t->sel = t->sel > page ? t->sel - page : 0;
		break;
	case KEY_NPAGE:
		t->sel = t->sel + page < t->nrows ? t->sel + page : t->nrows - 1;
		break;
	case KEY_HOME:
		t->sel = 0;
		break;
	case KEY_END:
		t->sel = t->nrows - 1;
		break;
	default:
		return WK_IGNORED;
	}
	return WK_HANDLED | (old != t->sel ? WK_REDRAW : 0);
}

static void table_free(struct widget *wd)
{
	free(wd);
}

static const struct widget_class table_class = {
	.name = "table",
	.draw = table_draw,
	.key = table_key,
	.resize = widget_resize,
	.free = table_free,
};
