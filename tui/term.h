/* The terminal: the one place that starts and ends curses, picks colours,
 * reads keys and mouse events, and puts the terminal back.
 *
 * Colour roles (widgets/widget.h) are mapped to attributes by one table
 * with a column for 256 colours (also used, as RGB, on direct-colour
 * terminals), one for 8 colours and one for monochrome; NO_COLOR (any
 * non-empty value) or a terminal without colours selects monochrome. The
 * settings' [workbench] colour (tui/settings.h) may ask for less (8, mono)
 * or, against NO_COLOR, for what the terminal has (256); mouse = off
 * leaves the mouse to the terminal (no mouse events asked for).
 *
 * Restoring the terminal: term_end() on every normal path (idempotent),
 * an atexit() hook, and handlers: SIGINT, SIGTERM, SIGHUP and SIGQUIT only
 * record the signal (term_signal() reports it; the main loop stops the jobs
 * and leaves through term_end); SIGUSR1 is caught and does nothing (its
 * default action would end the workbench with the terminal raw); SIGSEGV, SIGBUS, SIGFPE, SIGILL and SIGABRT
 * (a failed assertion) write a reset sequence and the saved termios straight
 * to the terminal (async-signal-safe) and re-raise the signal.
 *
 * Threads: call everything from the UI thread. term_init() blocks the
 * handled signals in the calling thread, so threads started after it (the
 * backend's) inherit the block and signals arrive only inside term_poll(). */
#ifndef IOLAB_TERM_H
#define IOLAB_TERM_H

#include <poll.h>
#include <stdbool.h>

#include "../widgets/widget.h"

/* Colours in use: none (NO_COLOR set, or a terminal without colours such
 * as vt100: attributes only), 8, xterm's 256, or the same 256-colour
 * palette as exact RGB on a direct-colour terminal (COLORS 2^24). */
enum term_depth { TERM_MONO = 0, TERM_8, TERM_256, TERM_DIRECT };

/* setlocale(LC_ALL, ""), curses, colours, keypad, mouse (with motion
 * reports, "\033[?1003h"), signal handlers. Returns 0, or -1 with a reason
 * on stderr (e.g. no terminal). */
int term_init(void);
/* Leave curses and restore the terminal; safe to call more than once. */
void term_end(void);
bool term_active(void);
bool term_utf8(void);
enum term_depth term_depth(void);

/* Wait for @fds or @timeout_ms with the handled signals deliverable.
 * Returns what ppoll returns (-1 with errno EINTR after a signal). */
int term_poll(struct pollfd *fds, nfds_t n, int timeout_ms);
/* The first terminating signal caught since the last call, or 0. */
int term_signal(void);

/* One key without waiting: a character, a KEY_* code, KEY_RESIZE, or
 * KEY_MOUSE with *mev filled. ERR when there is none. */
int term_key(MEVENT *mev);

/* Copy what curses drew since the last frame to the terminal (one
 * doupdate per frame). */
void term_flush(void);

#endif
