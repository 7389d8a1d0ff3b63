/* iolab's settings file (docs/settings.md): a small INI file of the user's
 * preferences, read with iniparser.
 *
 *   /etc/iolab/iolab.conf, then $XDG_CONFIG_HOME/iolab/iolab.conf
 *   (~/.config/iolab/iolab.conf when XDG_CONFIG_HOME is unset or not
 *   absolute); a later file's keys override an earlier one's. A missing
 *   file is no error. `--settings FILE` reads FILE instead of both (and it
 *   must exist); `--no-settings` reads none.
 *
 * Precedence: command-line flags > settings > built-in defaults. The
 * command line lives elsewhere; it asks settings_get() for the settings
 * and applies its own flags on top. No setting loosens a safety rule: the
 * directories named here are checked as every written path is
 * (lib/outfile), and nothing here reaches a job's targets.
 *
 * Bad input: an unknown section or key, a value out of range, a key set
 * twice, a file that is not a regular file, larger than SETTINGS_MAX_BYTES,
 * not text or that iniparser cannot read, is refused: the load fails with
 * "FILE:LINE: [section] key: why" and iolab exits non-zero.
 *
 * Tests only: IOLAB_SYSTEM_SETTINGS names the system file instead of
 * /etc/iolab/iolab.conf, so a test never reads the machine's.
 *
 * Threads: settings_load() runs on the main thread before any other
 * thread starts; after that the settings are read-only and any thread may
 * call settings_get(). */
#ifndef IOLAB_SETTINGS_H
#define IOLAB_SETTINGS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define SETTINGS_SYSTEM_PATH "/etc/iolab/iolab.conf"
#define SETTINGS_MAX_BYTES (64 * 1024)

enum settings_colour { SET_COLOUR_AUTO = 0, SET_COLOUR_256, SET_COLOUR_8, SET_COLOUR_MONO };
enum settings_latpane { SET_LAT_LINES = 0, SET_LAT_HEATMAP };

/* One value per key; the table in settings.c names, bounds and documents
 * each. */
enum settings_key {
	SET_SAMPLE_INTERVAL = 0, /* [workbench] sample_interval */
	SET_GRAPH_WINDOW,        /* [workbench] graph_window */
	SET_COLOUR,              /* [workbench] colour */
	SET_MOUSE,               /* [workbench] mouse */
	SET_LATENCY_PANE,        /* [workbench] latency_pane */
	SET_DIAG_RUNTIME,        /* [diagnose] step_runtime */
	SET_DIAG_DIR,            /* [diagnose] scratch_dir */
	SET_RECORD_DIR,          /* [record] dir */
	SET_CLIENT_PORT,         /* [client] port */
	SET_NR
};

struct settings {
	uint64_t sample_ms;       /* the workbench's sampler tick, 100 ms..60 s */
	uint64_t window_s;        /* the dashboard's graph window at start, 10 s..24 h */
	enum settings_colour colour;
	bool mouse;               /* the workbench asks for mouse events */
	enum settings_latpane latency_pane;
	uint64_t diag_runtime_ms; /* each diagnose step, 100 ms..1 h */
	char diag_dir[PATH_MAX];  /* where diagnose puts its scratch file; "": $TMPDIR */
	char record_dir[PATH_MAX]; /* every local run leaves a recording here; "": none */
	unsigned client_port;     /* --client=HOST without a port */
	/* Where each value came from: "built-in", "FILE:LINE" or "command
	 * line" (cut to fit). */
	char origin[SET_NR][PATH_MAX + 32];
};

/* The built-in defaults, each origin "built-in". */
void settings_defaults(struct settings *s);

/* Read one settings file over @s: only its keys change. Returns 0 when
 * read, 1 when @path does not exist and @missing_ok, or -1 with "FILE:
 * why" or "FILE:LINE: [section] key: why" in @err (then @s may hold some
 * of the file's values: do not use it). */
int settings_read_file(struct settings *s, const char *path, bool missing_ok, char *err,
		       size_t errlen);

/* The process's settings: built-ins, then (unless @none) @path or the
 * system and the user file. Replaces what settings_get() returns. Returns
 * 0 or -1 with the reason in @err (settings_get() then gives built-ins). */
int settings_load(const char *path, bool none, char *err, size_t errlen);

/* The settings in force (built-ins until settings_load()). */
const struct settings *settings_get(void);

/* A flag of the command line set @key: record it as the value's origin.
 * Main thread, before other threads start. */
struct settings *settings_mut(void);

/* The user's file as settings_load() reads it (for messages and docs):
 * $XDG_CONFIG_HOME/iolab/iolab.conf or ~/.config/iolab/iolab.conf. Returns
 * 0, or -1 when neither XDG_CONFIG_HOME nor HOME is usable. */
int settings_user_path(char *buf, size_t len);
/* The system file: IOLAB_SYSTEM_SETTINGS (tests) or SETTINGS_SYSTEM_PATH. */
const char *settings_system_path(void);

/* Print the settings in force as an INI file a user could keep: every
 * key with its value and, as a comment, its origin; first the files that
 * were read. */
void settings_print(FILE *f, const struct settings *s);

/* Name of @key as "[section] key" (messages). */
const char *settings_key_name(enum settings_key key, char *buf, size_t len);

#endif
