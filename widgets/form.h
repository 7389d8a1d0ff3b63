/* Form: an editable list of fields in groups, with validation as you type.
 *
 * The caller builds the field list (the editor builds it from the option
 * table); the form keeps a copy. Each field is one row: label, value, and
 * either the reason the value is refused (in ROLE_ERROR) or its units.
 *
 * Keys, browsing: Up/Down (k/j), PgUp/PgDn, Home/End move between fields
 * (headers are skipped); Enter edits a text field; Space or Enter toggles
 * a boolean; Left/Right (h/l) cycle a choice field; '/' searches labels.
 * Editing: printable keys insert, Backspace/Delete, Left/Right, Home/End,
 * Ctrl-U; every change is validated at once; Enter keeps the text (valid
 * or not: a refused value keeps its error, see form_errors), Esc restores
 * the value the edit started from. Keys the form does not use come back
 * as WK_IGNORED. */
#ifndef IOLAB_FORM_H
#define IOLAB_FORM_H

#include <stdbool.h>
#include <stddef.h>

#include "widget.h"

enum form_kind { FF_HEADER = 0, FF_TEXT, FF_CHOICE, FF_BOOL };

#define FORM_VALUE_MAX 256
#define FORM_ERROR_MAX 160

struct form_field {
	enum form_kind kind;
	const char *label;  /* option name, or the group title of a header */
	const char *help;   /* one line, shown by the caller for the focus */
	const char *units;  /* shown after the value when there is no error */
	const char *const *choices; /* FF_CHOICE, NULL-terminated */
	int id;             /* caller's (e.g. option table index) */
	char value[FORM_VALUE_MAX];
	char error[FORM_ERROR_MAX]; /* empty when the value is accepted */
	bool changed;       /* edited since form_new */
};

/* Returns 0 if @text is acceptable for @f, else -1 with a reason in @err. */
typedef int (*form_validate_fn)(void *ctx, const struct form_field *f, const char *text,
				char *err, size_t errlen);

struct form;

/* Copies @fields; validates none (values are taken as given). NULL when out
 * of memory. */
struct form *form_new(const struct form_field *fields, size_t n, form_validate_fn validate,
		      void *ctx);
struct widget *form_widget(struct form *f);
size_t form_count(const struct form *f);
struct form_field *form_field(struct form *f, size_t i);
/* Index of the focused field. */
size_t form_focus(const struct form *f);
void form_set_focus(struct form *f, size_t i);
/* Focus the first field whose label is @label (exact, then prefix).
 * Returns 0 or -ENOENT. */
int form_focus_label(struct form *f, const char *label);
bool form_editing(const struct form *f);
bool form_searching(const struct form *f);
/* Set a field's value and validate it; returns what the validator said. */
int form_set_value(struct form *f, size_t i, const char *text);
/* Fields whose value is refused; the first one's index in *first. */
size_t form_errors(const struct form *f, size_t *first);
/* Field index at window row @wy, or -1. */
long form_row_at(const struct form *f, int wy);

#endif
