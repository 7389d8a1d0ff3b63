/* Table: rows of aligned columns with one selected row.
 *
 * The table does not own row data: a cell callback fills each visible
 * cell's text (and, optionally, its role) at draw time, so rows always show
 * the caller's current state. Columns have a minimum width; columns with a
 * flex weight share what is left of the width. The selected row is drawn
 * in ROLE_SELECTED (ROLE_SELECTED_DIM when the table is not focused) and
 * kept in view; when the rows do not all fit, the last line says how many
 * are out of view ("+4 more", "+2 above, +3 below"). Keys: Up/Down (k/j),
 * PgUp/PgDn, Home/End. */
#ifndef IOLAB_TABLE_H
#define IOLAB_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "widget.h"

#define TABLE_MAX_COLS 16

struct table_col {
	const char *title;
	int width;   /* minimum width */
	int flex;    /* share of the spare width (0: fixed) */
	bool right;  /* right-aligned */
};

/* Fill @buf with the text of (@row, @col); may set *role (default
 * ROLE_NORMAL) for a cell that needs a colour. */
typedef void (*table_cell_fn)(void *ctx, size_t row, int col, char *buf, size_t len,
			      enum role *role);

struct table;

/* @cols is copied. Returns NULL when out of memory or ncols is out of range. */
struct table *table_new(const struct table_col *cols, int ncols, table_cell_fn cell,
			void *ctx);
struct widget *table_widget(struct table *t);
void table_set_rows(struct table *t, size_t n);
size_t table_rows(const struct table *t);
size_t table_selected(const struct table *t);
void table_select(struct table *t, size_t row);
/* Row under window cell (wy, wx), or -1. */
long table_row_at(const struct table *t, int wy, int wx);
/* Column widths after the last layout (for tests). */
int table_col_width(const struct table *t, int col);

#endif
