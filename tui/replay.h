/* iolab --replay FILE: a recording opened in the workbench (the replay
 * source kind, backend/source_replay.h), or with --headless its report
 * printed. */
#ifndef IOLAB_TUI_REPLAY_H
#define IOLAB_TUI_REPLAY_H

#include <stdbool.h>

/* @formats: enum report_format (normal, json...); @output: a file for the
 * headless report, or NULL for stdout. Returns the exit status: 0, or 1
 * when the file cannot be read (a message on stderr). */
int replay_main(const char *path, bool headless, unsigned formats, const char *output);

#endif
