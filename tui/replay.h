/* iolab --replay FILE in the workbench: a recording (the replay source
 * kind, backend/source_replay.h) opened on the dashboard, its jobs in the
 * editor. The command line (cli/modes.c) opens the source, decides
 * between this and the headless report, and says what the source noted. */
#ifndef IOLAB_TUI_REPLAY_H
#define IOLAB_TUI_REPLAY_H

struct source;

/* Runs the workbench on @src (source_replay_new of @path; the caller's)
 * until the user quits, @base (or NULL) drawn dim under it (--baseline).
 * Returns tui_run's exit status. */
int tui_replay(struct source *src, const char *path, struct source *base);

#endif
