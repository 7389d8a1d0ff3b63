/* The command line's flag table and parser (cli.h), and the modes that
 * print the table (--help, --man, --completion). */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
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

/* What a flag stores in struct cli by itself, at .field. */
enum flag_store {
	STORE_NONE = 0,
	STORE_TRUE,  /* a bool, set true */
	STORE_VALUE, /* a const char *, set to the value (NULL for an empty
		      * optional one) */
};

/* .fl bits: which of the modes that take few flags (restricted[] below)
 * take this one. Every other mode takes every flag but FL_ONLY ones. */
enum {
	FL_DIAG = 1u << 0,   /* --diagnose takes it */
	FL_CLIENT = 1u << 1, /* --client takes it */
	FL_ONLY = 1u << 2,   /* only the modes above whose bits it has take it */
};

struct flag {
	const char *name;
	enum flag_arg arg;
	const char *argname;
	/* Checks the value and does what a plain store cannot, before the
	 * store and the mode; NULL: nothing to do. Returns 0, or -1 after
	 * printing why to stderr. */
	int (*handle)(struct cli *c, const struct flag *fl, const char *val);
	enum flag_store store;
	size_t field;  /* offsetof(struct cli, ...) that .store sets */
	mode_fn mode;  /* non-NULL: the flag selects this mode */
	unsigned fl;   /* FL_* */
	const char *help;
};

#define SETS(f) .store = STORE_TRUE, .field = offsetof(struct cli, f)
#define VALUE(f) .store = STORE_VALUE, .field = offsetof(struct cli, f)

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

/* --output and --record: a file refused now, not after an hour of results */
static int flag_outfile(struct cli *c, const struct flag *fl, const char *val)
{
	bool record = fl->field == offsetof(struct cli, record);
	char err[1024], what[600];

	snprintf(what, sizeof(what), "--%s=%s", fl->name, val);
	if (!*val || (record && outfile_is_stdout(val))) {
		fprintf(stderr, "iolab: %s: needs a file name%s\n", record ? what : "--output",
			record ? " (--output-format=jsonl streams to stdout)" : "");
		return -1;
	}
	if (!outfile_is_stdout(val) && outfile_check(val, OUTF_NAMED, what, err, sizeof(err))) {
		fprintf(stderr, "iolab: %s\n", err);
		return -1;
	}
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
	return 0;
}

static int flag_client(struct cli *c, const struct flag *fl, const char *val)
{
	c->clients[c->nclients++] = val;
	return 0;
}

/* whole seconds, as fio's server counts them ("5" or "5s") */
static int flag_client_timeout(struct cli *c, const struct flag *fl, const char *val)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(val, &end, 10);
	if (!strcmp(end, "s"))
		end++;
	if (errno || end == val || *end || val[0] == '-' || !v || v > 3600) {
		fprintf(stderr, "iolab: --client-timeout=%s: whole seconds, 1 to 3600 (how long a "
				"host asked for its status may stay silent)\n", val);
		return -1;
	}
	c->client_timeout_ms = (unsigned)v * 1000;
	return 0;
}

static int flag_completion(struct cli *c, const struct flag *fl, const char *val)
{
	if (strcmp(val, "bash")) {
		fprintf(stderr, "iolab: --completion: '%s' is not a shell this knows (bash)\n",
			val);
		return -1;
	}
	return 0;
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
static int flag_terse(struct cli *c, const struct flag *fl, const char *val)
{
	c->formats = (strcmp(fl->name, "minimal") ? c->formats : 0) | REPORT_TERSE;
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
	{ "headless", ARG_NONE, NULL, SETS(headless), .fl = FL_DIAG | FL_CLIENT,
	  .help = "run without the workbench and print the results" },
	{ "run", ARG_NONE, NULL, SETS(run_now), .help = "workbench: start the jobs at once" },
	{ "output-format", ARG_REQUIRED, "LIST", .handle = flag_format, VALUE(format_arg),
	  .fl = FL_DIAG | FL_CLIENT,
	  .help = "normal, json, json+ or terse; a comma list (default normal)" },
	{ "output", ARG_REQUIRED, "FILE", .handle = flag_outfile, VALUE(output),
	  .fl = FL_DIAG | FL_CLIENT,
	  .help = "write the results to FILE instead of stdout" },
	{ "record", ARG_REQUIRED, "FILE", .handle = flag_outfile, VALUE(record),
	  .help =
		  "write the run to FILE as JSON Lines while it goes (docs/recording.md)" },
	{ "replay", ARG_REQUIRED, "FILE", VALUE(replay), .mode = mode_replay,
	  .help = "open a recording in the workbench (--headless: print its report)" },
	{ "baseline", ARG_REQUIRED, "FILE", VALUE(baseline),
	  .help = "workbench: a recording drawn dim under the graphs; tooltips give both values" },
	{ "compare", ARG_NONE, NULL, .mode = mode_compare,
	  .help = "compare two recordings: --compare BASE NEW [--max-regression=PCT]" },
	{ "max-regression", ARG_REQUIRED, "PCT", .handle = flag_max_regression,
	  .help = "--compare: exit 3 when a figure got worse by more than PCT percent" },
	{ "status-interval", ARG_REQUIRED, "TIME", .handle = flag_status_interval, .fl = FL_CLIENT,
	  .help =
		  "sampling tick (default 1s, at least 100ms); run as fio: the results this often" },
	{ "keep", ARG_NONE, NULL, SETS(keep), .fl = FL_DIAG,
	  .help = "keep the scratch file (default job, profiles) after the run" },
	{ "allow-exec", ARG_NONE, NULL, SETS(allow_exec), .fl = FL_CLIENT,
	  .help = "let job files run exec_prerun/exec_postrun commands and ioengine=exec programs" },
	{ "profile", ARG_REQUIRED, "NAME", VALUE(profile),
	  .help = "run a shipped profile (see --list-profiles); --key=value overrides" },
	{ "list-profiles", ARG_NONE, NULL, .mode = mode_list_profiles,
	  .help = "list the shipped profiles" },
	{ "diagnose", ARG_OPTIONAL, "TARGET", VALUE(diag_target), .mode = mode_diagnose,
	  .fl = FL_DIAG,
	  .help = "guided probe of a file, directory or device; alone: the settings' scratch_dir" },
	{ "allow-write", ARG_NONE, NULL, SETS(allow_write), .fl = FL_DIAG | FL_ONLY,
	  .help = "--diagnose: let write steps overwrite an existing file or a device" },
	{ "client", ARG_REQUIRED, "HOST[,PORT]", .handle = flag_client, .mode = mode_client,
	  .fl = FL_CLIENT,
	  .help = "run the job on `fio --server` hosts (repeat it; or a file of hosts)" },
	{ "client-timeout", ARG_REQUIRED, "S", .handle = flag_client_timeout,
	  .fl = FL_CLIENT | FL_ONLY,
	  .help = "--client: a host silent S seconds when asked is lost (default 5)" },
	{ "cmdhelp", ARG_OPTIONAL, "OPTION", VALUE(cmdhelp_opt), .mode = mode_cmdhelp,
	  .help = "describe every job option, or one" },
	{ "parse-only", ARG_NONE, NULL, .mode = mode_parse_only,
	  .help = "check the jobs and print them normalized; run nothing" },
	{ "dry-run", ARG_NONE, NULL, .mode = mode_dry_run,
	  .help = "say what each job would open, create, lay out and transfer; touch nothing" },
	{ "showcmd", ARG_NONE, NULL, .mode = mode_showcmd,
	  .help = "print the equivalent fio command line" },
	{ "version", ARG_NONE, NULL, .mode = mode_version, .help = "print the version" },
	{ "man", ARG_NONE, NULL, .mode = mode_man,
	  .help = "print the manual page (troff; man -l reads it)" },
	{ "completion", ARG_REQUIRED, "bash", .handle = flag_completion, .mode = mode_completion,
	  .help = "print a bash completion script (options, profiles)" },
	{ "settings", ARG_REQUIRED, "FILE", .handle = flag_settings, VALUE(settings_path),
	  .fl = FL_DIAG | FL_CLIENT,
	  .help = "read settings from FILE only, not /etc/iolab or ~/.config (docs/settings.md)" },
	{ "no-settings", ARG_NONE, NULL, SETS(no_settings), .fl = FL_DIAG | FL_CLIENT,
	  .help = "read no settings file: built-in defaults and the command line" },
	{ "show-settings", ARG_NONE, NULL, .mode = mode_show_settings,
	  .help = "print the settings in force and where each came from" },
	{ "help", ARG_NONE, NULL, .mode = mode_help, .help = "this text" },

	/* fio's command line (fio --help): what changes a run or its output
	 * works; what tunes only fio is accepted with a note; the rest is
	 * refused with the reason */
	{ "readonly", ARG_NONE, NULL, SETS(read_only),
	  .help = "refuse jobs that write or trim, and creating or extending files" },
	{ "section", ARG_REQUIRED, "NAME", .handle = flag_section,
	  .help = "run only job section NAME (repeatable)" },
	{ "minimal", ARG_NONE, NULL, .handle = flag_terse,
	  .help = "terse output only (fio's --minimal)" },
	{ "append-terse", ARG_NONE, NULL, .handle = flag_terse,
	  .help = "terse output as well as the formats asked for" },
	{ "terse-version", ARG_REQUIRED, "N", .handle = flag_terse_version,
	  .help = "terse format version: 2, 3 (the default), 4 or 5" },
	{ "eta", ARG_REQUIRED, "WHEN", .handle = flag_eta,
	  .help = "status line on stdout: auto (when a terminal), always or never" },
	{ "eta-interval", ARG_REQUIRED, "TIME", .handle = flag_eta_time,
	  .help = "status line refresh (default 1s, at least 250ms)" },
	{ "eta-newline", ARG_REQUIRED, "TIME", .handle = flag_eta_time,
	  .help = "start a new status line this often" },
	{ "warnings-fatal", ARG_NONE, NULL, SETS(warnings_fatal),
	  .help = "job-file warnings are errors: nothing runs" },
	{ "bandwidth-log", ARG_NONE, NULL, SETS(bw_log),
	  .help = "write agg-{read,write,trim}_bw.log: all jobs' bandwidth" },
	{ "max-jobs", ARG_REQUIRED, "N", .handle = flag_max_jobs,
	  .help = "iolab sizes its thread pool by the jobs" },
	{ "alloc-size", ARG_REQUIRED, "KB", .handle = flag_fio_tuning,
	  .help = "iolab has no shared-memory pool to size" },
	{ "debug", ARG_REQUIRED, "LIST", .handle = flag_fio_tuning,
	  .help = "iolab has no debug log (see --dry-run)" },
	{ "aux-path", ARG_REQUIRED, "DIR", .handle = flag_fio_tuning,
	  .help = "iolab writes its state files where the job options say" },
	{ "idle-prof", ARG_REQUIRED, "WHAT", .handle = flag_fio_refused,
	  .help = "iolab does not measure CPU idleness" },
	{ "latency-log", ARG_REQUIRED, "FILE", .handle = flag_fio_refused,
	  .help = "removed from fio too; use the job option write_lat_log" },
	{ "inflate-log", ARG_REQUIRED, "FILE", .handle = flag_fio_refused,
	  .help = "iolab does not compress logs" },
	{ "enghelp", ARG_OPTIONAL, "ENGINE[,OPTION]", VALUE(enghelp), .mode = mode_enghelp,
	  .help = "list the I/O engines, or one engine's own options" },
	{ "crctest", ARG_OPTIONAL, "TYPE", .handle = flag_fio_refused,
	  .help = "fio's own self-test; see make bench" },
	{ "cpuclock-test", ARG_NONE, NULL, .handle = flag_fio_refused,
	  .help = "fio's own self-test; see make bench" },
	{ "memcpytest", ARG_OPTIONAL, "TYPE", .handle = flag_fio_refused,
	  .help = "fio's own self-test; see make bench" },
	{ "server", ARG_OPTIONAL, "ARGS", .handle = flag_fio_refused,
	  .help = "iolab is a client of fio --server (--client), not a server" },
	{ "daemonize", ARG_REQUIRED, "PIDFILE", .handle = flag_fio_refused,
	  .help = "iolab is a client of fio --server (--client), not a server" },
	{ "remote-config", ARG_REQUIRED, "FILE", .handle = flag_fio_refused,
	  .help = "iolab --client sends a local job file, not a path on the server" },
	{ "trigger-file", ARG_REQUIRED, "FILE", .handle = flag_fio_refused,
	  .help = "iolab runs no trigger commands" },
	{ "trigger-timeout", ARG_REQUIRED, "TIME", .handle = flag_fio_refused,
	  .help = "iolab runs no trigger commands" },
	{ "trigger", ARG_REQUIRED, "CMD", .handle = flag_fio_refused,
	  .help = "iolab runs no trigger commands" },
	{ "trigger-remote", ARG_REQUIRED, "CMD", .handle = flag_fio_refused,
	  .help = "iolab runs no trigger commands" },
	{ "merge-blktrace-only", ARG_NONE, NULL, .handle = flag_fio_refused,
	  .help = "iolab does not read blktrace files" },
};
#define NR_FLAGS (sizeof(flags) / sizeof(flags[0]))

static const struct flag *flag_find(const char *name, size_t len)
{
	for (size_t i = 0; i < NR_FLAGS; i++)
		if (strlen(flags[i].name) == len && !strncmp(flags[i].name, name, len))
			return &flags[i];
	return NULL;
}

/* A flag given with @val (NULL: none): its check, its store, its mode.
 * Returns 0 or -1 after a message. */
static int flag_apply(struct cli *c, const struct flag *fl, const char *val)
{
	void *field = (char *)c + fl->field;

	if (fl->handle && fl->handle(c, fl, val))
		return -1;
	if (fl->store == STORE_TRUE)
		*(bool *)field = true;
	else if (fl->store == STORE_VALUE)
		*(const char **)field = fl->arg == ARG_OPTIONAL && val && !*val ? NULL : val;
	return fl->mode ? set_mode(c, fl) : 0;
}

/* The modes that take only the flags with their bit. */
static const struct {
	mode_fn mode;
	unsigned bit;
	const char *flag;
} restricted[] = {
	{ mode_diagnose, FL_DIAG, "diagnose" },
	{ mode_client, FL_CLIENT, "client" },
};
#define NR_RESTRICTED (sizeof(restricted) / sizeof(restricted[0]))

int cli_parse(struct cli *c, int argc, char **argv)
{
	bool seen[NR_FLAGS] = { false };
	unsigned bit = 0;

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
	c->clients = calloc((size_t)argc + 1, sizeof(char *));
	if (!c->files || !c->jobargs || !c->sections || !c->clients) {
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
		if (flag_apply(c, fl, val))
			return -1;
		seen[fl - flags] = true;
	}
	if (!c->mode)
		c->mode = mode_run;
	c->formats |= c->terse_bits; /* whichever flag asked for terse */
	if (c->settings_path && c->no_settings) {
		fprintf(stderr, "iolab: --settings cannot be combined with --no-settings\n");
		return -1;
	}
	if (c->keep)
		profile_scratch_keep(true);
	for (size_t m = 0; m < NR_RESTRICTED; m++)
		if (c->mode == restricted[m].mode)
			bit = restricted[m].bit;
	for (size_t k = 0; k < NR_FLAGS; k++) {
		unsigned fl = flags[k].fl;

		if (!seen[k])
			continue;
		if ((fl & FL_ONLY) && !(fl & bit)) {
			for (size_t m = 0; m < NR_RESTRICTED; m++)
				if (fl & restricted[m].bit) {
					fprintf(stderr, "iolab: --%s: only with --%s\n", flags[k].name,
						restricted[m].flag);
					break;
				}
			return -1;
		}
		/* the mode says so, with its usage */
		if (bit && !(fl & bit) && !c->not_for_mode)
			c->not_for_mode = flags[k].name;
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
