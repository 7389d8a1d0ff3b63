/* Dialog: a centred box with a title, a message (wrapped), optionally one
 * line of input, and buttons. Used for confirmations ("quit while jobs
 * run?", "write to a block device?"), errors and small prompts (a knob's
 * new value, a file name).
 *
 * Keys: Left/Right or Tab move between buttons, Enter chooses, a button's
 * first letter chooses it (when there is no input line), Esc cancels. With
 * an input line, printable keys edit it (Backspace, Delete, Left/Right,
 * Home/End, Ctrl-U). When a choice is made the key handler returns
 * WK_HANDLED | WK_QUIT; dialog_result() then says which. */
#ifndef IOLAB_DIALOG_H
#define IOLAB_DIALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "widget.h"

#define DIALOG_MAX_BUTTONS 4
#define DIALOG_BUTTON_MAX 40 /* bytes of a button label, copied */
#define DIALOG_INPUT_MAX 256

enum dialog_kind { DIALOG_INFO = 0, DIALOG_CONFIRM, DIALOG_ERROR, DIALOG_INPUT };

struct dialog;

/* @buttons: up to DIALOG_MAX_BUTTONS labels ("Yes", "No"), copied; the
 * last one is what Esc picks. The message may hold newlines. */
struct dialog *dialog_new(enum dialog_kind kind, const char *title, const char *msg,
			  const char *const *buttons, size_t nbuttons);
struct widget *dialog_widget(struct dialog *d);
/* Add an input line with @initial text (DIALOG_INPUT). */
void dialog_set_input(struct dialog *d, const char *initial);
const char *dialog_input(const struct dialog *d);
/* Replace the message (e.g. with why the input was refused). */
void dialog_set_message(struct dialog *d, const char *msg, bool is_error);
/* The chosen button, -1 for Esc, -2 while open. */
int dialog_result(const struct dialog *d);
/* Reopen after a refused choice (keeps the input). */
void dialog_reopen(struct dialog *d);
enum dialog_kind dialog_kind(const struct dialog *d);
/* Caller's tag, e.g. which action the dialog confirms. */
void dialog_set_tag(struct dialog *d, int tag, long arg);
int dialog_tag(const struct dialog *d);
long dialog_arg(const struct dialog *d);

#endif
