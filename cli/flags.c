/* The command line's flag table and parser (cli.h), and the modes that
 * print the table (--help, --man, --completion). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "backend/options.h"
#include "backend/profiles.h"
#include "backend/report.h"
#include "cli/cli.h"
#include "lib/outfile.h"
#include "tui/docgen.h"

enum flag_arg { ARG_NONE, ARG_REQUIRED, ARG_OPTIONAL };

struct flag {
	const char *name;
	enum flag_arg arg;
	const char *argname;
	/* Returns 0, or -1 after printing why to stderr. */
	int (*handle)(struct cli *c, const struct flag *fl, const char *val);
	mode_fn mode; /* non-NULL: the flag selects this mode */
	const char *help;
};

static int set_mode(struct cli *c, const struct flag *fl)
{
	if (c->mode && c->mode != fl->mode) {
		fprintf(stderr, "iolab: --%s cannot be combined with --%s\n", fl->name,
			c->mode_flag);
		return -1;
	}
	c->mode = fl->mode;
	c->mode_flag = fl->name;
	return 0;
}

static int flag_mode(struct cli *c, const struct flag *fl, const char *val)
{
	return set_mode(c, fl);
}

static int flag_replay(struct cli *c, const struct flag *fl, const char *val)
{
	c->replay = val;
	return set_mode(c, fl);
}

static int flag_cmdhelp(struct cli *c, const struct flag *fl, const char *val)
{
	c->cmdhelp_opt = val && *val ? val : NULL;
	return set_mode(c, fl);
}

static int flag_headless(struct cli *c, const struct flag *fl, const char *val)
{
	c->headless = true;
	return 0;
}

static int flag_run(struct cli *c, const struct flag *fl, const char *val)
{
	c->run_now = true;
	return 0;
}

static int flag_keep(struct cli *c, const struct flag *fl, const char *val)
{
	c->keep = true;
	profile_scratch_keep(true);
	return 0;
}

static int flag_allow_exec(struct cli *c, const struct flag *fl, const char *val)
{
	c->allow_exec = true;
	return 0;
}

static int flag_format(struct cli *c, const struct flag *fl, const char *val)
{
	unsigned m;

	/* the recording's lines (docs/recording.md); the trailer holds the JSON */
	c->jsonl = !strcmp(val, "jsonl");
	if (c->jsonl) {
		c->formats = REPORT_JSON;
		return 0;
	}
	m = report_parse_formats(val);

	if (!m) {
		fprintf(stderr,
			"iolab: --output-format: '%s' is not a list of normal, json, json+, terse "
			"(or jsonl alone)\n",
			val);
		return -1;
	}
	c->formats = m;
	return 0;
}

static int flag_output(struct cli *c, const struct flag *fl, const char *val)
{
	char err[1024];

	if (!*val) {
		fprintf(stderr, "iolab: --output: needs a file name\n");
		return -1;
	}
	/* refused now, not after an hour of results */
	if (!outfile_is_stdout(val)) {
		char what[600];

		snprintf(what, sizeof(what), "--output=%s", val);
		if (outfile_check(val, OUTF_NAMED, what, err, sizeof(err))) {
			fprintf(stderr, "iolab: %s\n", err);
			return -1;
		}
	}
	c->output = val;
	return 0;
}

static int flag_record(struct cli *c, const struct flag *fl, const char *val)
{
	char err[1024], what[600];

	snprintf(what, sizeof(what), "--record=%s", val);
	if (!*val || outfile_is_stdout(val)) {
		fprintf(stderr, "iolab: %s: needs a file name (--output-format=jsonl streams "
				"to stdout)\n", what);
		return -1;
	}
	if (outfile_check(val, OUTF_NAMED, what, err, sizeof(err))) {
		fprintf(stderr, "iolab: %s\n", err);
		return -1;
	}
	c->record = val;
	return 0;
}

static int flag_max_regression(struct cli *c, const struct flag *fl, const char *val)
{
	char *end;
	double v = strtod(val, &end);

	if (end == val || (*end && strcmp(end, "%")) || !(v >= 0) || v > 1e6) {
		fprintf(stderr, "iolab: --max-regression: '%s' is not a percentage (e.g. 10 or 10%%)\n",
			val);
		return -1;
	}
	c->max_regression = v;
	return 0;
}

static int flag_status_interval(struct cli *c, const struct flag *fl, const char *val)
{
	uint64_t us;

	/* a bare number is seconds, as fio's time options */
	if (parse_time_us(val, 1000000, &us) || us == 0) {
		fprintf(stderr, "iolab: --status-interval: '%s' is not a time (e.g. 1s, 250ms)\n",
			val);
		return -1;
	}
	if (c->as_fio) {
		/* run as fio, fio's meaning: the results so far, this often */
		if (us < 1000000) {
			fprintf(stderr, "iolab: --status-interval: %s is below fio's 1s minimum\n",
				val);
			return -1;
		}
		c->fio_status_ms = us / 1000;
		return 0;
	}
	if (us < 100000) {
		fprintf(stderr, "iolab: --status-interval: %s is below the 100ms minimum\n", val);
		return -1;
	}
	c->status_interval_ms = us / 1000;
	c->status_interval_set = true;
	return 0;
}

static int flag_settings(struct cli *c, const struct flag *fl, const char *val)
{
	if (!*val) {
		fprintf(stderr, "iolab: --settings: needs a file name\n");
		return -1;
	}
	c->settings_path = val;
	return 0;
}

static int flag_no_settings(struct cli *c, const struct flag *fl, const char *val)
{
	c->no_settings = true;
	return 0;
}

static int flag_profile(struct cli *c, const struct flag *fl, const char *val)
{
	c->profile = val;
	return 0;
}

static int flag_completion(struct cli *c, const struct flag *fl, const char *val)
{
	if (strcmp(val, "bash")) {
		fprintf(stderr, "iolab: --completion: '%s' is not a shell this knows (bash)\n",
			val);
		return -1;
	}
	return set_mode(c, fl);
}

static int flag_enghelp(struct cli *c, const struct flag *fl, const char *val)
{
	c->enghelp = val && *val ? val : NULL;
	return set_mode(c, fl);
}

static int flag_diagnose(struct cli *c, const struct flag *fl, const char *val)
{
	c->diag_target = val;
	return set_mode(c, fl);
}

/* fio's flags that tune only fio itself: accepted, with a note naming them */
static int flag_fio_tuning(struct cli *c, const struct flag *fl, const char *val)
{
	fprintf(stderr, "iolab: warning: --%s%s%s: accepted for fio compatibility, %s\n",
		fl->name, val ? "=" : "", val ? val : "", fl->help);
	return 0;
}

/* fio's flags for what iolab does not do: refused, saying so */
static int flag_fio_refused(struct cli *c, const struct flag *fl, const char *val)
{
	fprintf(stderr, "iolab: --%s: not supported: %s\n", fl->name, fl->help);
	return -1;
}

static int flag_max_jobs(struct cli *c, const struct flag *fl, const char *val)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(val, &end, 10);
	if (errno || end == val || *end || val[0] == '-' || n == 0) {
		fprintf(stderr, "iolab: --max-jobs: '%s' is not a positive number\n", val);
		return -1;
	}
	return flag_fio_tuning(c, fl, val);
}

static int flag_readonly(struct cli *c, const struct flag *fl, const char *val)
{
	c->read_only = true;
	return 0;
}

static int flag_warnings_fatal(struct cli *c, const struct flag *fl, const char *val)
{
	c->warnings_fatal = true;
	return 0;
}

static int flag_bw_log(struct cli *c, const struct flag *fl, const char *val)
{
	c->bw_log = true;
	return 0;
}

static int flag_section(struct cli *c, const struct flag *fl, const char *val)
{
	if (!*val || !strcasecmp(val, "global")) {
		fprintf(stderr, "iolab: --section: '%s' is not a job section (name a job; "
				"[global] applies to them anyway)\n", val);
		return -1;
	}
	c->sections[c->nsections++] = val;
	return 0;
}

/* fio's --minimal: terse output only; --append-terse: terse as well */
static int flag_minimal(struct cli *c, const struct flag *fl, const char *val)
{
	c->formats = REPORT_TERSE;
	return 0;
}

static int flag_append_terse(struct cli *c, const struct flag *fl, const char *val)
{
	c->formats |= REPORT_TERSE;
	return 0;
}

static int flag_terse_version(struct cli *c, const struct flag *fl, const char *val)
{
	static const unsigned bits[] = { [2] = REPORT_TERSE_V2, [3] = 0, [4] = REPORT_TERSE_V4,
					 [5] = REPORT_TERSE_V5 };

	if (strlen(val) != 1 || val[0] < '2' || val[0] > '5') {
		fprintf(stderr, "iolab: --terse-version: '%s' is not 2, 3, 4 or 5\n", val);
		return -1;
	}
	c->terse_bits = bits[val[0] - '0'];
	return 0;
}

static int flag_eta(struct cli *c, const struct flag *fl, const char *val)
{
	if (!strcmp(val, "always"))
		c->eta = ETA_ALWAYS;
	else if (!strcmp(val, "never"))
		c->eta = ETA_NEVER;
	else if (!strcmp(val, "auto"))
		c->eta = ETA_AUTO;
	else {
		fprintf(stderr, "iolab: --eta: '%s' is not always, never or auto\n", val);
		return -1;
	}
	return 0;
}

/* --eta-interval and --eta-newline: a time, a bare number in ms as fio */
static int flag_eta_time(struct cli *c, const struct flag *fl, const char *val)
{
	bool newline = !strcmp(fl->name, "eta-newline");
	uint64_t us;

	if (parse_time_us(val, 1000, &us) || us < 1000) {
		fprintf(stderr, "iolab: --%s: '%s' is not a time of 1ms or more (e.g. 5s, 500ms)\n",
			fl->name, val);
		return -1;
	}
	if (!newline && us < 250000) {
		fprintf(stderr, "iolab: --eta-interval: %s is below the 250ms minimum (fio's too)\n",
			val);
		return -1;
	}
	if (newline)
		c->eta_newline_ms = us / 1000;
	else
		c->eta_interval_ms = us / 1000;
	return 0;
}

static const struct flag flags[] = {
	{ "headless", ARG_NONE, NULL, flag_headless, NULL,
	  "run without the workbench and print the results" },
	{ "run", ARG_NONE, NULL, flag_run, NULL, "workbench: start the jobs at once" },
	{ "output-format", ARG_REQUIRED, "LIST", flag_format, NULL,
	  "normal, json, json+ or terse; a comma list (default normal)" },
	{ "output", ARG_REQUIRED, "FILE", flag_output, NULL,
	  "write the results to FILE instead of stdout" },
	{ "record", ARG_REQUIRED, "FILE", flag_record, NULL,
	  "headless: write the run to FILE as JSON Lines while it goes (docs/recording.md)" },
	{ "replay", ARG_REQUIRED, "FILE", flag_replay, mode_replay,
	  "open a recording in the workbench (--headless: print its report)" },
	{ "compare", ARG_NONE, NULL, flag_mode, mode_compare,
	  "compare two recordings: --compare BASE NEW [--max-regression=PCT]" },
	{ "max-regression", ARG_REQUIRED, "PCT", flag_max_regression, NULL,
	  "--compare: exit 3 when a figure got worse by more than PCT percent" },
	{ "status-interval", ARG_REQUIRED, "TIME", flag_status_interval, NULL,
	  "sampling tick (default 1s, at least 100ms); run as fio: the results this often" },
	{ "keep", ARG_NONE, NULL, flag_keep, NULL,
	  "keep the scratch file (default job, profiles) after the run" },
	{ "allow-exec", ARG_NONE, NULL, flag_allow_exec, NULL,
	  "let job files run exec_prerun/exec_postrun commands" },
	{ "profile", ARG_REQUIRED, "NAME", flag_profile, NULL,
	  "run a shipped profile (see --list-profiles); --key=value overrides" },
	{ "list-profiles", ARG_NONE, NULL, flag_mode, mode_list_profiles,
	  "list the shipped profiles" },
	{ "diagnose", ARG_OPTIONAL, "TARGET", flag_diagnose, mode_diagnose,
	  "guided probe of a file, directory or device; alone: the settings' scratch_dir" },
	{ "client", ARG_REQUIRED, "HOST[,PORT]", flag_mode, mode_client,
	  "run the job on `fio --server` hosts (repeat it; or a file of hosts)" },
	{ "cmdhelp", ARG_OPTIONAL, "OPTION", flag_cmdhelp, mode_cmdhelp,
	  "describe every job option, or one" },
	{ "parse-only", ARG_NONE, NULL, flag_mode, mode_parse_only,
	  "check the jobs and print them normalized; run nothing" },
	{ "dry-run", ARG_NONE, NULL, flag_mode, mode_dry_run,
	  "say what each job would open, create, lay out and transfer; touch nothing" },
	{ "showcmd", ARG_NONE, NULL, flag_mode, mode_showcmd,
	  "print the equivalent fio command line" },
	{ "version", ARG_NONE, NULL, flag_mode, mode_version, "print the version" },
	{ "man", ARG_NONE, NULL, flag_mode, mode_man,
	  "print the manual page (troff; man -l reads it)" },
	{ "completion", ARG_REQUIRED, "bash", flag_completion, mode_completion,
	  "print a bash completion script (options, profiles)" },
	{ "settings", ARG_REQUIRED, "FILE", flag_settings, NULL,
	  "read settings from FILE only, not /etc/iolab or ~/.config (docs/settings.md)" },
	{ "no-settings", ARG_NONE, NULL, flag_no_settings, NULL,
	  "read no settings file: built-in defaults and the command line" },
	{ "show-settings", ARG_NONE, NULL, flag_mode, mode_show_settings,
	  "print the settings in force and where each came from" },
	{ "help", ARG_NONE, NULL, flag_mode, mode_help, "this text" },

	/* fio's command line (fio --help): what changes a run or its output
	 * works; what tunes only fio is accepted with a note; the rest is
	 * refused with the reason */
	{ "readonly", ARG_NONE, NULL, flag_readonly, NULL,
	  "refuse jobs that write or trim, and creating or extending files" },
	{ "section", ARG_REQUIRED, "NAME", flag_section, NULL,
	  "run only job section NAME (repeatable)" },
	{ "minimal", ARG_NONE, NULL, flag_minimal, NULL, "terse output only (fio's --minimal)" },
	{ "append-terse", ARG_NONE, NULL, flag_append_terse, NULL,
	  "terse output as well as the formats asked for" },
	{ "terse-version", ARG_REQUIRED, "N", flag_terse_version, NULL,
	  "terse format version: 2, 3 (the default), 4 or 5" },
	{ "eta", ARG_REQUIRED, "WHEN", flag_eta, NULL,
	  "status line on stdout: auto (when a terminal), always or never" },
	{ "eta-interval", ARG_REQUIRED, "TIME", flag_eta_time, NULL,
	  "status line refresh (default 1s, at least 250ms)" },
	{ "eta-newline", ARG_REQUIRED, "TIME", flag_eta_time, NULL,
	  "start a new status line this often" },
	{ "warnings-fatal", ARG_NONE, NULL, flag_warnings_fatal, NULL,
	  "job-file warnings are errors: nothing runs" },
	{ "bandwidth-log", ARG_NONE, NULL, flag_bw_log, NULL,
	  "write agg-{read,write,trim}_bw.log: all jobs' bandwidth" },
	{ "max-jobs", ARG_REQUIRED, "N", flag_max_jobs, NULL,
	  "iolab sizes its thread pool by the jobs" },
	{ "alloc-size", ARG_REQUIRED, "KB", flag_fio_tuning, NULL,
	  "iolab has no shared-memory pool to size" },
	{ "debug", ARG_REQUIRED, "LIST", flag_fio_tuning, NULL,
	  "iolab has no debug log (see --dry-run)" },
	{ "aux-path", ARG_REQUIRED, "DIR", flag_fio_tuning, NULL,
	  "iolab writes its state files where the job options say" },
	{ "idle-prof", ARG_REQUIRED, "WHAT", flag_fio_refused, NULL,
	  "iolab does not measure CPU idleness" },
	{ "latency-log", ARG_REQUIRED, "FILE", flag_fio_refused, NULL,
	  "removed from fio too; use the job option write_lat_log" },
	{ "inflate-log", ARG_REQUIRED, "FILE", flag_fio_refused, NULL,
	  "iolab does not compress logs" },
	{ "enghelp", ARG_OPTIONAL, "ENGINE[,OPTION]", flag_enghelp, mode_enghelp,
	  "list the I/O engines, or one engine's own options" },
	{ "crctest", ARG_OPTIONAL, "TYPE", flag_fio_refused, NULL,
	  "fio's own self-test; see make bench" },
	{ "cpuclock-test", ARG_NONE, NULL, flag_fio_refused, NULL,
	  "fio's own self-test; see make bench" },
	{ "memcpytest", ARG_OPTIONAL, "TYPE", flag_fio_refused, NULL,
	  "fio's own self-test; see make bench" },
	{ "server", ARG_OPTIONAL, "ARGS", flag_fio_refused, NULL,
	  "iolab is a client of fio --server (--client), not a server" },
	{ "daemonize", ARG_REQUIRED, "PIDFILE", flag_fio_refused, NULL,
	  "iolab is a client of fio --server (--client), not a server" },
	{ "remote-config", ARG_REQUIRED, "FILE", flag_fio_refused, NULL,
	  "iolab --client sends a local job file, not a path on the server" },
	{ "trigger-file", ARG_REQUIRED, "FILE", flag_fio_refused, NULL,
	  "iolab runs no trigger commands" },
	{ "trigger-timeout", ARG_REQUIRED, "TIME", flag_fio_refused, NULL,
	  "iolab runs no trigger commands" },
	{ "trigger", ARG_REQUIRED, "CMD", flag_fio_refused, NULL,
	  "iolab runs no trigger commands" },
	{ "trigger-remote", ARG_REQUIRED, "CMD", flag_fio_refused, NULL,
	  "iolab runs no trigger commands" },
	{ "merge-blktrace-only", ARG_NONE, NULL, flag_fio_refused, NULL,
	  "iolab does not read blktrace files" },
};
#define NR_FLAGS (sizeof(flags) / sizeof(flags[0]))

static const struct flag *flag_find(const char *name, size_t len)
{
	for (size_t i = 0; i < NR_FLAGS; i++)
		if (strlen(flags[i].name) == len && !strncmp(flags[i].name, name, len))
			return &flags[i];
	return NULL;
}

/* Split argv into iolab flags (applied to @c), job files and job options.
 * Returns 0 or -1 after a message. */
int cli_parse(struct cli *c, int argc, char **argv)
{
	c->prog = argv[0];
	c->argc = argc;
	c->argv = argv;
	c->formats = REPORT_NORMAL;
	c->max_regression = -1;
	c->status_interval_ms = 1000;
	c->eta_interval_ms = 1000;
	c->files = calloc((size_t)argc, sizeof(char *));
	c->jobargs = calloc((size_t)argc + 1, sizeof(char *));
	c->sections = calloc((size_t)argc + 1, sizeof(char *));
	if (!c->files || !c->jobargs || !c->sections) {
		fprintf(stderr, "iolab: out of memory\n");
		return -1;
	}
	c->jobargs[c->njobargs++] = argv[0];
	/* a fio regression script runs "fio ...": as fio, never a workbench */
	{
		const char *base = strrchr(argv[0], '/');

		c->as_fio = !strcmp(base ? base + 1 : argv[0], "fio");
		c->headless = c->as_fio;
	}

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const struct flag *fl;
		const char *name, *eq, *val;
		size_t len;

		if (!strcmp(a, "-h")) {
			a = "--help";
		} else if (!strcmp(a, "--")) {
			while (++i < argc)
				c->files[c->nfiles++] = argv[i];
			break;
		}
		if (strncmp(a, "--", 2) != 0 || a[2] == '\0') {
			if (a[0] == '-' && a[1] != '\0') {
				fprintf(stderr, "iolab: unknown flag '%s' (see --help)\n", a);
				return -1;
			}
			c->files[c->nfiles++] = argv[i];
			continue;
		}
		name = a + 2;
		eq = strchr(name, '=');
		len = eq ? (size_t)(eq - name) : strlen(name);
		fl = flag_find(name, len);
		if (!fl) {
			/* a fio job option; jobfile_load_args judges it */
			c->jobargs[c->njobargs++] = argv[i];
			continue;
		}
		val = eq ? eq + 1 : NULL;
		switch (fl->arg) {
		case ARG_NONE:
			if (val) {
				fprintf(stderr, "iolab: --%s takes no value\n", fl->name);
				return -1;
			}
			break;
		case ARG_REQUIRED:
			if (!val) {
				if (i + 1 >= argc) {
					fprintf(stderr, "iolab: --%s needs a value (--%s=%s)\n",
						fl->name, fl->name, fl->argname);
					return -1;
				}
				val = argv[++i];
			}
			break;
		case ARG_OPTIONAL:
			break;
		}
		if (fl->handle(c, fl, val))
			return -1;
	}
	if (!c->mode)
		c->mode = mode_run;
	c->formats |= c->terse_bits; /* whichever flag asked for terse */
	if (c->settings_path && c->no_settings) {
		fprintf(stderr, "iolab: --settings cannot be combined with --no-settings\n");
		return -1;
	}
	return 0;
}

/* The flag table as the documentation sees it (docgen.h). */
static size_t doc_flags(struct doc_flag *out)
{
	static const enum doc_arg arg[] = { [ARG_NONE] = DOC_ARG_NONE,
					    [ARG_REQUIRED] = DOC_ARG_REQUIRED,
					    [ARG_OPTIONAL] = DOC_ARG_OPTIONAL };

	for (size_t i = 0; i < NR_FLAGS; i++)
		out[i] = (struct doc_flag){ flags[i].name, arg[flags[i].arg], flags[i].argname,
					    flags[i].help };
	return NR_FLAGS;
}

int mode_help(struct cli *c)
{
	struct doc_flag df[NR_FLAGS];

	doc_help(stdout, df, doc_flags(df));
	return 0;
}

int mode_man(struct cli *c)
{
	struct doc_flag df[NR_FLAGS];

	doc_man(stdout, df, doc_flags(df));
	return 0;
}

int mode_completion(struct cli *c)
{
	struct doc_flag df[NR_FLAGS];

	doc_bash_completion(stdout, df, doc_flags(df));
	return 0;
}
