/* iolab's command line: a front end beside the workbench (tui/), not inside
 * it or the backend.
 *
 *   iolab [options] [JOBFILE...] [--key=value job options...]
 *
 * iolab's own flags live in one table (flags.c); a mode flag sets the
 * function main() dispatches to, so a new mode is one table entry and one
 * function. Every other "--key[=value]" is a fio job option handed to
 * jobfile_load_args() (options before the first --name are global, as in
 * fio). Without job files or job options the default job runs (jobs.c).
 *
 * Files: main.c main() and the run mode (headless or the workbench);
 * flags.c the flag table, the parser and the modes that print it; jobs.c
 * loading the jobs; modes.c the modes that print or check and run nothing;
 * headless.c the headless run, its status line and writing results;
 * diagnose.c --diagnose, the front end of the backend's battery; client.c
 * --client, the front end of the fio-server client (tui/fiocli.c).
 *
 * Threads: all of it runs on the main thread. */
#ifndef IOLAB_CLI_H
#define IOLAB_CLI_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct backend;
struct job_list;
struct job_spec;
struct record_info;

struct cli;
typedef int (*mode_fn)(struct cli *c);

struct cli {
	mode_fn mode;
	const char *mode_flag;     /* the flag that chose the mode, for conflicts */
	unsigned formats;
	const char *output;
	const char *record;        /* --record FILE */
	const char *replay;        /* --replay FILE */
	const char *baseline;      /* --baseline FILE */
	bool jsonl;                /* --output-format=jsonl: the recording to --output */
	double max_regression;     /* --compare: percent, < 0 none */
	uint64_t status_interval_ms;
	bool headless, run_now, allow_exec;
	bool keep;                 /* --keep: scratch files stay after the run */
	bool allow_write;          /* --diagnose --allow-write */
	const char *format_arg;    /* --output-format's value, as given */
	const char *not_for_mode;  /* the first flag given that the mode does not take
				    * (--diagnose and --client take few) */
	const char **clients;      /* --client HOST[,PORT] or FILE, each (repeatable) */
	int nclients;
	uint64_t client_timeout_ms; /* --client-timeout; 0: the client's default */
	const char *cmdhelp_opt;
	const char *enghelp;       /* --enghelp=ENGINE[,OPTION] */
	char **files;
	int nfiles;
	char **jobargs;
	int njobargs;
	const char *prog;
	const char *profile;       /* --profile NAME: jobs from a shipped profile */
	const char *diag_target;   /* --diagnose TARGET */
	int argc;                  /* the whole command line, for a recording's */
	char **argv;               /* header */
	/* fio's flags (fio --help) */
	bool as_fio;               /* invoked as "fio": headless, as fio is */
	bool read_only;            /* --readonly */
	bool warnings_fatal;       /* --warnings-fatal */
	bool bw_log;               /* --bandwidth-log */
	enum { ETA_AUTO, ETA_ALWAYS, ETA_NEVER } eta;
	uint64_t eta_interval_ms;  /* --eta-interval (fio's default 1s) */
	uint64_t eta_newline_ms;   /* --eta-newline: a new line this often; 0 never */
	uint64_t fio_status_ms;    /* run as fio: --status-interval, results this often */
	unsigned terse_bits;       /* --terse-version: REPORT_TERSE_V* (0: 3) */
	const char **sections;     /* --section NAME (repeatable); NULL-terminated */
	int nsections;
	/* the settings file (tui/settings.h; cli/settings.c) */
	const char *settings_path; /* --settings FILE: that file only */
	bool no_settings;          /* --no-settings: built-ins only */
	bool status_interval_set;  /* --status-interval given: it beats the settings */
};

/* flags.c: split argv into iolab flags (applied to @c), job files and job
 * options; c->mode is set (mode_run by default). Returns 0 or -1 after a
 * message. The caller frees c->files, c->jobargs, c->sections and
 * c->clients. */
int cli_parse(struct cli *c, int argc, char **argv);

/* jobs.c: what cli_load_jobs does with the default job's and a profile's
 * scratch file. */
enum scratch_mode {
	SCRATCH_NAME, /* keep the fixed name (--showcmd: fio's command line) */
	SCRATCH_PLAN, /* the run's template, described, not made (--dry-run,
		       * --parse-only: the plan shown is the run's) */
	SCRATCH_MAKE, /* a new file of their own (profile_make_scratch;
		       * removed by profile_scratch_cleanup), for a run */
};

/* Load job files (or "-" for stdin), then the command-line job options;
 * the default job when there are neither. Finalizes the list. Returns 0, or
 * -1 after printing the jobfile module's "file:line: option: reason". */
int cli_load_jobs(struct cli *c, struct job_list *l, enum scratch_mode scratch);
/* The job list's warnings on stderr, one "iolab: warning: " line each. */
void cli_print_warnings(const struct job_list *l);
/* The job's name=, else its section's name. */
const char *cli_spec_name(const struct job_spec *s);

/* headless.c: run @l on @be without the workbench, the results to
 * --output or stdout. Returns the exit status. */
int cli_run_headless(struct cli *c, struct job_list *l, struct backend *be);
/* What a recording's header says of this command line and @l (the job
 * files read: @files needs room for c->nfiles entries). */
void cli_record_info(const struct cli *c, const struct job_list *l, uint64_t tick_ms,
		     const char **files, struct record_info *info);
/* The results to --output (atomically, lib/outfile) or stdout. Returns -1
 * after a message when they could not all be written: an unwritable file,
 * a full file system, a closed or cut stdout. */
int cli_emit_results(const struct cli *c, const char *out, size_t outlen);

/* The modes, one per mode flag; each returns the process exit status. */
int mode_run(struct cli *c);           /* main.c */
int mode_help(struct cli *c);          /* flags.c */
int mode_man(struct cli *c);
int mode_completion(struct cli *c);
int mode_version(struct cli *c);       /* modes.c */
int mode_cmdhelp(struct cli *c);
int mode_parse_only(struct cli *c);
int mode_showcmd(struct cli *c);
int mode_dry_run(struct cli *c);
int mode_list_profiles(struct cli *c);
int mode_diagnose(struct cli *c);      /* diagnose.c */
int mode_enghelp(struct cli *c);
int mode_client(struct cli *c);        /* client.c */
int mode_compare(struct cli *c);
int mode_replay(struct cli *c);
/* modes.c: the --baseline recording, loaded whole (NULL without one). 0,
 * or -1 after a message. */
struct source;
int cli_baseline_open(const struct cli *c, struct source **out);
int mode_show_settings(struct cli *c); /* settings.c */

/* settings.c: read the settings files (--settings, --no-settings) unless
 * the mode prints only what the binary knows (--help, --version, --man,
 * --completion). Returns 0, or -1 after "iolab: FILE:LINE: ..." on
 * stderr: a bad settings file stops iolab. */
int cli_settings_load(struct cli *c);
/* A new recording in the settings' [record] dir ("iolab-YYYYmmdd-HHMMSS-
 * XXXXXX.jsonl", O_EXCL|O_NOFOLLOW, lib/outfile). Returns the descriptor
 * with its path in @path, 0 when no directory is set, or -errno with
 * "what: why" in @err. */
int cli_record_dir_open(char *path, size_t pathlen, char *err, size_t errlen);

/* The workbench's recordings: one a run, from the jobs' start
 * (tui_run_hooks.started) to their reap (.reaped), to --record FILE (later
 * runs numbered FILE-2...), else to the settings' [record] dir; the record
 * key (.record: cli_wbrec_toggle) stops one going, or starts one now (in
 * the current directory when neither is set) or for the next run. With
 * --output-format=jsonl every run's lines also go to --output. UI thread.
 * cli_wbrec_end() after tui_run: closes what is still open, saying where
 * it is on stderr. */
struct cli_wbrec {
	struct cli *c;
	struct job_list *l;
	struct backend *be;
	struct source *src;
	uint64_t tick_ms;
	struct recorder *rec;  /* the recording going, or NULL */
	struct recorder *srec; /* the jsonl stream going, or NULL */
	bool off;              /* the key stopped recording: runs are not recorded */
	bool armed;            /* the key asked for the next run to be recorded */
	unsigned file_runs;    /* runs recorded to --record FILE */
	unsigned streams;      /* runs streamed to --output */
	char path[PATH_MAX];
	char last[PATH_MAX];   /* the last recording made, for the note at exit */
	unsigned made;
};
int cli_wbrec_started(void *arg, struct source *src, char *msg, size_t msglen);
int cli_wbrec_reaped(void *arg, char *msg, size_t msglen);
int cli_wbrec_toggle(void *arg, struct source *src, bool running, char *msg, size_t msglen);
bool cli_wbrec_recording(void *arg);
void cli_wbrec_end(struct cli_wbrec *w);

#endif
