/* iolab: command line, modes and the headless run.
 *
 *   iolab [options] [JOBFILE...] [--key=value job options...]
 *
 * iolab's own flags live in one table (flags[] below); a mode flag sets the
 * function main() dispatches to, so a new mode is one table entry and one
 * function. Every other "--key[=value]" is a fio job option handed to
 * jobfile_load_args() (options before the first --name are global, as in
 * fio). Without job files or job options the default job runs (the text of
 * profiles/default.fio, embedded below so the binary works from anywhere). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "backend/agglog.h"
#include "backend/backend.h"
#include "backend/compare.h"
#include "backend/diagnose.h"
#include "tui/fiocli.h"
#include "backend/jobfile.h"
#include "backend/options.h"
#include "backend/profiles.h"
#include "backend/record.h"
#include "backend/report.h"
#include "backend/samples.h"
#include "backend/source.h"
#include "engines/engine.h"
#include "lib/clock.h"
#include "lib/outfile.h"
#include "tui/docgen.h"
#include "tui/tui.h"

/* Keep identical to profiles/default.fio (tests/int/default_job.sh checks
 * that both parse to the same jobs). */
static const char default_job_text[] =
	"# profile: default\n"
	"# The default job: 4 KiB random I/O, 70% reads / 30% writes, for a minute.\n"
	"# iolab runs it when given no job file and no job options, on a 64 MiB\n"
	"# scratch file in $TMPDIR (/tmp when unset), never on a device.\n"
	"#\n"
	"# Models: a small read-mostly working set, the shape of many application\n"
	"#   data files; a safe first thing to watch on any machine.\n"
	"# Look at: read and write IOPS side by side and the read clat p99 while\n"
	"#   you turn iodepth (1..8) and rwmixread in the workbench.\n"
	"# Numbers: psync with iodepth=1 works on every filesystem (tmpfs\n"
	"#   included); buffered I/O, so the page cache answers most reads.\n"
	"\n"
	"[global]\n"
	"filename=${TMPDIR}/iolab-default.dat\n"
	"size=64m\n"
	"ioengine=psync\n"
	"iodepth=1\n"
	"runtime=60\n"
	"time_based=1\n"
	"\n"
	"[default]\n"
	"rw=randrw\n"
	"rwmixread=70\n"
	"bs=4k\n";

/* ------------------------------------------------------------ arguments */

struct cli;
typedef int (*mode_fn)(struct cli *c);

struct cli {
	mode_fn mode;
	const char *mode_flag;     /* the flag that chose the mode, for conflicts */
	unsigned formats;
	const char *output;
	const char *record;        /* --record FILE */
	bool jsonl;                /* --output-format=jsonl: the recording to --output */
	double max_regression;     /* --compare: percent, < 0 none */
	uint64_t status_interval_ms;
	bool headless, run_now, allow_exec;
	bool keep;                 /* --keep: scratch files stay after the run */
	const char *cmdhelp_opt;
	const char *enghelp;       /* --enghelp=ENGINE[,OPTION] */
	char **files;
	int nfiles;
	char **jobargs;
	int njobargs;
	const char *prog;
	const char *profile;       /* --profile NAME: jobs from a shipped profile */
	const char *diag_target;   /* --diagnose TARGET */
	int argc;                  /* the whole command line, for modes that */
	char **argv;               /* parse it themselves (--diagnose) */
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
};

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

static int mode_run(struct cli *c);
static int mode_help(struct cli *c);
static int mode_version(struct cli *c);
static int mode_cmdhelp(struct cli *c);
static int mode_parse_only(struct cli *c);
static int mode_showcmd(struct cli *c);
static int mode_dry_run(struct cli *c);
static int mode_list_profiles(struct cli *c);
static int mode_diagnose(struct cli *c);
static int mode_enghelp(struct cli *c);
static int mode_client(struct cli *c);
static int mode_man(struct cli *c);
static int mode_completion(struct cli *c);
static int mode_compare(struct cli *c);
static int flag_max_regression(struct cli *c, const struct flag *fl, const char *val);

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
	{ "diagnose", ARG_REQUIRED, "TARGET", flag_diagnose, mode_diagnose,
	  "guided probe of a file, directory or device (--allow-write, --keep)" },
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
static int cli_parse(struct cli *c, int argc, char **argv)
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
	return 0;
}

/* ----------------------------------------------------------------- jobs */

static char *read_stream(FILE *f)
{
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);

	while (buf) {
		size_t n = fread(buf + len, 1, cap - len - 1, f);

		len += n;
		if (n == 0)
			break;
		if (len + 1 >= cap) {
			char *nb = realloc(buf, cap * 2);

			if (!nb) {
				free(buf);
				return NULL;
			}
			buf = nb;
			cap *= 2;
		}
	}
	if (buf)
		buf[len] = '\0';
	return buf;
}

static bool has_name_arg(const struct cli *c)
{
	for (int i = 1; i < c->njobargs; i++)
		if (!strncmp(c->jobargs[i], "--name=", 7) || !strcmp(c->jobargs[i], "--name"))
			return true;
	return false;
}

/* Load job files (or "-" for stdin), then the command-line job options;
 * the default job when there are neither. Finalizes the list. Returns 0, or
 * -1 after printing the jobfile module's "file:line: option: reason". */
static void print_warnings(const struct job_list *l)
{
	const char *p = l->warnings;

	while (p && *p) {
		const char *nl = strchr(p, '\n');
		int len = nl ? (int)(nl - p) : (int)strlen(p);

		fprintf(stderr, "iolab: warning: %.*s\n", len, p);
		p = nl ? nl + 1 : p + len;
	}
}

/* --readonly: refuse every job that would write or trim, naming where it
 * comes from, as fio refuses it. Returns 0 or -1 after the messages. */
static int check_read_only(const struct job_list *l)
{
	int bad = 0;

	for (size_t i = 0; i < l->nr; i++) {
		const struct job_spec *s = &l->jobs[i];
		char at[512];

		if (s->clone || !(s->opts.rw & (RW_WRITE | RW_TRIM)))
			continue;
		if (s->src_file && s->src_line > 0)
			snprintf(at, sizeof(at), "%s:%d", s->src_file, s->src_line);
		else
			snprintf(at, sizeof(at), "%s", s->src_file ? s->src_file : "command line");
		fprintf(stderr, "iolab: %s: rw: job '%s' %s, and --readonly allows reads only\n",
			at, s->opts.name ? s->opts.name : s->section,
			s->opts.rw & RW_TRIM ? "trims" : "writes");
		bad = -1;
	}
	return bad;
}

/* What load_jobs does with the default job's and a profile's scratch file. */
enum scratch_mode {
	SCRATCH_NAME, /* keep the fixed name (--showcmd: fio's command line) */
	SCRATCH_PLAN, /* the run's template, described, not made (--dry-run,
		       * --parse-only: the plan shown is the run's) */
	SCRATCH_MAKE, /* a new file of their own (profile_make_scratch;
		       * removed by profile_scratch_cleanup), for a run */
};

static int scratch_for(struct job_list *l, const char *name, enum scratch_mode m, char *err,
		       size_t errlen)
{
	if (m == SCRATCH_MAKE)
		return profile_make_scratch(l, name, err, errlen);
	if (m == SCRATCH_PLAN)
		return profile_plan_scratch(l, name, err, errlen);
	return 0;
}

static int load_jobs(struct cli *c, struct job_list *l, enum scratch_mode scratch)
{
	char err[1024] = "";

	/* ${TMPDIR} in job files (and the default job) means /tmp when unset */
	setenv("TMPDIR", "/tmp", 0);
	if (c->nsections)
		l->sections = c->sections;

	for (int i = 0; i < c->nfiles; i++) {
		int rc;

		if (!strcmp(c->files[i], "-")) {
			char *text = read_stream(stdin);

			if (!text) {
				fprintf(stderr, "iolab: <stdin>: cannot read the job file\n");
				return -1;
			}
			rc = jobfile_load_text(l, "<stdin>", text, err, sizeof(err));
			free(text);
		} else {
			rc = jobfile_load(l, c->files[i], err, sizeof(err));
		}
		if (rc) {
			fprintf(stderr, "iolab: %s\n", err);
			return -1;
		}
	}
	if (c->profile) {
		const char *fname = NULL;

		if (c->nfiles) {
			fprintf(stderr, "iolab: --profile cannot be combined with job files\n");
			return -1;
		}
		for (int i = 1; i < c->njobargs; i++)
			if (!strncmp(c->jobargs[i], "--filename=", 11))
				fname = c->jobargs[i] + 11;
		/* the profile's jobs; command-line options override theirs */
		if (profile_load(l, c->profile, fname, err, sizeof(err)) ||
		    profile_apply_args(l, c->njobargs - 1, c->jobargs + 1, err, sizeof(err)) ||
		    scratch_for(l, c->profile, scratch, err, sizeof(err))) {
			fprintf(stderr, "iolab: %s\n", err);
			return -1;
		}
	} else if (c->nfiles == 0 && !has_name_arg(c)) {
		/* the default job; command-line options override its own
		 * ("iolab --runtime=10 --bs=64k") */
		if (jobfile_load_text(l, "default job", default_job_text, err, sizeof(err)) ||
		    profile_apply_args(l, c->njobargs - 1, c->jobargs + 1, err, sizeof(err)) ||
		    scratch_for(l, "default", scratch, err, sizeof(err))) {
			fprintf(stderr, "iolab: %s\n", err);
			return -1;
		}
	} else if (c->njobargs > 1 &&
		   jobfile_load_args(l, c->njobargs, c->jobargs, err, sizeof(err))) {
		fprintf(stderr, "iolab: %s\n", err);
		return -1;
	}
	if (l->nr == 0) {
		if (c->nsections)
			fprintf(stderr, "iolab: no jobs defined: no job section is named by "
					"--section\n");
		else
			fprintf(stderr, "iolab: no jobs defined (a job file needs a [section], "
					"a command line a --name=)\n");
		return -1;
	}
	if (job_list_finalize(l, err, sizeof(err))) {
		fprintf(stderr, "iolab: %s\n", err);
		return -1;
	}
	if (c->read_only && check_read_only(l))
		return -1;
	print_warnings(l);
	if (c->warnings_fatal && l->warnings && *l->warnings) {
		fprintf(stderr, "iolab: --warnings-fatal: the warnings above are errors; "
				"nothing was run\n");
		return -1;
	}
	return 0;
}

static const char *spec_name(const struct job_spec *s)
{
	return s->opts.name && *s->opts.name ? s->opts.name : s->section;
}

/* ---------------------------------------------------------------- modes */

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

static int mode_help(struct cli *c)
{
	struct doc_flag df[NR_FLAGS];

	doc_help(stdout, df, doc_flags(df));
	return 0;
}

static int mode_man(struct cli *c)
{
	struct doc_flag df[NR_FLAGS];

	doc_man(stdout, df, doc_flags(df));
	return 0;
}

static int mode_completion(struct cli *c)
{
	struct doc_flag df[NR_FLAGS];

	doc_bash_completion(stdout, df, doc_flags(df));
	return 0;
}

static int mode_list_profiles(struct cli *c)
{
	profiles_print(stdout);
	return 0;
}

/* The diagnose module parses the whole command line itself. */
static int mode_diagnose(struct cli *c)
{
	return diagnose_main(c->argc, c->argv);
}

/* iolab --compare BASE NEW: 0 when nothing is worse than --max-regression
 * (or none was given), 3 when something is, 2 when a file cannot be read. */
static int mode_compare(struct cli *c)
{
	struct cmp_run a, b;
	char err[1024];
	unsigned worse;

	if (c->nfiles != 2 || c->njobargs > 1) {
		fprintf(stderr, "iolab: --compare needs two recordings: --compare BASE NEW "
				"[--max-regression=PCT]\n");
		return 2;
	}
	if (compare_load(c->files[0], &a, err, sizeof(err))) {
		fprintf(stderr, "iolab: --compare: %s\n", err);
		return 2;
	}
	if (compare_load(c->files[1], &b, err, sizeof(err))) {
		fprintf(stderr, "iolab: --compare: %s\n", err);
		compare_free(&a);
		return 2;
	}
	if (a.note[0])
		fprintf(stderr, "iolab: --compare: %s\n", a.note);
	if (b.note[0])
		fprintf(stderr, "iolab: --compare: %s\n", b.note);
	worse = compare_print(stdout, &a, &b, c->max_regression);
	compare_free(&a);
	compare_free(&b);
	return worse ? 3 : 0;
}

/* The fio-server client parses the whole command line itself. */
static int mode_client(struct cli *c)
{
	return fiocli_main(c->argc, c->argv);
}

static int mode_version(struct cli *c)
{
	printf("iolab-%s\n", IOLAB_VERSION);
	return 0;
}

/* fio's --enghelp: the engines; ENGINE: its own options (io_uring's);
 * ENGINE,OPTION: that option's help. */
static int mode_enghelp(struct cli *c)
{
	char name[64];
	const char *comma;
	const struct engine_ops *e;
	bool uring, any = false;

	if (!c->enghelp) {
		printf("Available IO engines:\n");
		for (const struct engine_ops *const *p = engine_list(); *p; p++)
			printf("\t%s\n", (*p)->name);
		return 0;
	}
	comma = strchr(c->enghelp, ',');
	snprintf(name, sizeof(name), "%.*s", comma ? (int)(comma - c->enghelp) : 63, c->enghelp);
	e = engine_find(name);
	if (!e) {
		fprintf(stderr, "iolab: --enghelp: no I/O engine '%s' (--enghelp lists them)\n",
			name);
		return 1;
	}
	uring = !strcmp(e->name, "io_uring");
	if (comma) {
		const struct opt_def *d = opt_find(comma + 1);

		if (!d || !(d->flags & OPTF_URING) || !uring) {
			fprintf(stderr, "iolab: --enghelp: engine %s has no option '%s'\n", e->name,
				comma + 1);
			return 1;
		}
		return opts_cmdhelp(stdout, d->name) ? 1 : 0;
	}
	for (size_t i = 0; uring && i < opt_count; i++) {
		if (!(opt_table[i].flags & OPTF_URING))
			continue;
		printf("%-24s: %s\n", opt_table[i].name, opt_table[i].help);
		any = true;
	}
	if (!any) {
		printf("IO engine %s has no options of its own\n", e->name);
		return 1; /* as fio */
	}
	return 0;
}

static int mode_cmdhelp(struct cli *c)
{
	if (c->cmdhelp_opt && !strcmp(c->cmdhelp_opt, "all"))
		c->cmdhelp_opt = NULL; /* fio's "all" */
	if (opts_cmdhelp(stdout, c->cmdhelp_opt) == 0)
		return 0;
	if (c->cmdhelp_opt) {
		const char *s = opt_suggest(c->cmdhelp_opt);

		if (s)
			fprintf(stderr, "iolab: --cmdhelp: no option '%s' (did you mean '%s'?)\n",
				c->cmdhelp_opt, s);
		else
			fprintf(stderr, "iolab: --cmdhelp: no option '%s'\n", c->cmdhelp_opt);
	}
	return 1;
}

static int mode_parse_only(struct cli *c)
{
	struct job_list l;
	int rc = 1;

	job_list_init(&l);
	if (load_jobs(c, &l, SCRATCH_PLAN))
		goto out;
	for (size_t i = 0; i < l.nr; i++) {
		const struct job_spec *s = &l.jobs[i];

		printf("; job %zu of %zu: clone %u, group %u, from %s:%d\n", i + 1, l.nr, s->clone,
		       s->group, s->src_file ? s->src_file : "?", s->src_line);
		if (profile_scratch_planned(s->opts.filename))
			printf("; filename: a new scratch file when the job runs (XXXXXX: a unique "
			       "name; created O_EXCL, mode 0600; removed at the end)\n");
		printf("[%s]\n", spec_name(s));
		opts_dump(stdout, &s->opts, true);
		if (i + 1 < l.nr)
			putchar('\n');
	}
	rc = 0;
out:
	job_list_free(&l);
	return rc;
}

static int mode_dry_run(struct cli *c)
{
	struct backend_config cfg = { .status_interval_ms = 1000 };
	struct backend *be = NULL;
	struct job_list l;
	char err[1024] = "";
	int rc = 1, failed;

	job_list_init(&l);
	if (load_jobs(c, &l, SCRATCH_PLAN))
		goto out;
	be = backend_new(&cfg);
	if (!be || backend_load(be, &l, err, sizeof(err))) {
		fprintf(stderr, "iolab: %s\n", be ? err : strerror(errno));
		goto out;
	}
	failed = backend_plan(be, stdout);
	printf("\n%zu job%s; %s\n", l.nr, l.nr == 1 ? "" : "s",
	       failed ? "some would fail (see above); nothing was touched"
		      : "nothing was touched");
	rc = failed ? 1 : 0;
out:
	if (be)
		backend_free(be);
	job_list_free(&l);
	return rc;
}

/* Shell-quote @s onto @f when it holds anything but safe characters. */
static void put_quoted(FILE *f, const char *s)
{
	const char *p;

	for (p = s; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
			    "-_=.,:/%+@", *p))
			break;
	if (!*p) {
		fputs(s, f);
		return;
	}
	fputc('\'', f);
	for (p = s; *p; p++) {
		if (*p == '\'')
			fputs("'\\''", f);
		else
			fputc(*p, f);
	}
	fputc('\'', f);
}

static int mode_showcmd(struct cli *c)
{
	struct job_list l;
	int rc = 1;

	job_list_init(&l);
	if (load_jobs(c, &l, SCRATCH_NAME))
		goto out;
	fputs("fio", stdout);
	for (size_t i = 0; i < l.nr; i++) {
		const struct job_spec *s = &l.jobs[i];
		char arg[1024], buf[4096];

		if (s->clone)
			continue; /* numjobs= stays in the options */
		snprintf(arg, sizeof(arg), "--name=%s", spec_name(s));
		fputc(' ', stdout);
		put_quoted(stdout, arg);
		/* one argument per option shown, from the value itself: a
		 * description's newlines stay inside its quoted argument */
		for (size_t k = 0; k < opt_count; k++) {
			const struct opt_def *d = &opt_table[k];
			const char *raw = NULL;
			char *a = NULL;
			int n;

			opt_print(d, &s->opts, buf, sizeof(buf));
			if (!opt_shown(d, &s->opts, buf) || !strcmp(d->name, "name"))
				continue;
			if (d->flags & OPTF_IOLAB) {
				/* fio would refuse the whole command line */
				fprintf(stderr, "iolab: --showcmd: job '%s': %s is iolab's own; "
						"left out of the fio command\n", spec_name(s), d->name);
				continue;
			}
			if (d->type == OPT_STR && !d->print)
				raw = *(char *const *)((const char *)&s->opts + d->off);
			if (d->type == OPT_STR && (d->flags & OPTF_BARE_NAME) && !buf[0] && raw)
				n = asprintf(&a, "--%s", d->name);
			else
				n = asprintf(&a, "--%s=%s", d->name, raw ? raw : buf);
			if (n < 0)
				goto out;
			fputc(' ', stdout);
			put_quoted(stdout, a);
			free(a);
		}
	}
	fputc('\n', stdout);
	rc = 0;
out:
	job_list_free(&l);
	return rc;
}

/* ------------------------------------------------------------- headless */

static volatile sig_atomic_t got_signal, got_usr1;

/* SIGINT, SIGTERM and SIGHUP stop the run (results kept and written);
 * SIGUSR1 asks for the results so far, as fio's does, and the run goes on. */
static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		got_usr1 = 1;
	else if (!got_signal)
		got_signal = sig;
}

/* fio's "[eta 01m:02s]" */
static void fmt_eta(char *buf, size_t len, uint64_t s)
{
	if (s >= 86400)
		snprintf(buf, len, "%" PRIu64 "d:%02" PRIu64 "h:%02" PRIu64 "m:%02" PRIu64 "s",
			 s / 86400, s / 3600 % 24, s / 60 % 60, s % 60);
	else if (s >= 3600)
		snprintf(buf, len, "%02" PRIu64 "h:%02" PRIu64 "m:%02" PRIu64 "s", s / 3600,
			 s / 60 % 60, s % 60);
	else
		snprintf(buf, len, "%02" PRIu64 "m:%02" PRIu64 "s", s / 60, s % 60);
}

/* The status line, fio's eta line, on stdout as fio prints it:
 * "Jobs: 1 (f=1): [m(1)][25.0%][r=10.2MiB/s,w=4380KiB/s][r=2611,w=1095 IOPS][eta 00m:45s]"
 * ending in '\r', padded over a longer line before it; a new line first
 * when @newline. Main thread only. */
static int eta_len; /* length of the line on screen; 0: none open */

static void status_line(struct source *src, bool newline)
{
	struct sample_store *ss = source_samples(src);
	unsigned n = source_njobs(src), running = 0, run = 0;
	double bw[DDIR_RWDIR_CNT] = { 0 }, iops[DDIR_RWDIR_CNT] = { 0 }, done_sum = 0;
	uint64_t eta_s = 0;
	bool eta_known = n > 0;
	char letters[128] = "", eta[32] = "--m:--s", pct[16] = "-.-%", r[32], w[32];
	size_t ll = 0;
	char last = 0;

	for (unsigned i = 0; i < n; i++) {
		struct source_status st;
		enum runstate rs;
		struct sample smp;
		double frac;
		char ch;

		if (source_status(src, i, &st))
			continue;
		rs = st.runstate;
		ch = runstate_letter(rs, st.rw, st.error != 0);
		if (rs >= RS_CREATED && rs < RS_EXITED)
			running++;
		if (ss && rs < RS_EXITED && samples_latest(ss, i, &smp)) {
			for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
				bw[d] += smp.dir[d].bw;
				iops[d] += smp.dir[d].iops;
			}
		}
		/* done and ETA as the backend computes them (source.h) */
		frac = st.done;
		if (frac < 0) {
			eta_known = false;
		} else {
			done_sum += frac;
			if (st.eta_s > 0 && (uint64_t)(st.eta_s + 0.5) > eta_s)
				eta_s = (uint64_t)(st.eta_s + 0.5);
		}
		/* run-length letters as fio: [R(2),_(1)] */
		if (ch == last) {
			run++;
			continue;
		}
		if (run && ll + 16 < sizeof(letters))
			ll += (size_t)snprintf(letters + ll, sizeof(letters) - ll, "%s%c(%u)",
					       ll ? "," : "", last, run);
		last = ch;
		run = 1;
	}
	if (run && ll + 16 < sizeof(letters))
		snprintf(letters + ll, sizeof(letters) - ll, "%s%c(%u)", ll ? "," : "", last, run);
	if (eta_known && done_sum > 0) {
		snprintf(pct, sizeof(pct), "%.1f%%", 100.0 * done_sum / n);
		fmt_eta(eta, sizeof(eta), eta_s);
	}
	report_fmt_num(r, sizeof(r), (uint64_t)bw[DDIR_READ], 4, true, RU_BYTEPERSEC);
	report_fmt_num(w, sizeof(w), (uint64_t)bw[DDIR_WRITE], 4, true, RU_BYTEPERSEC);
	{
		int len;

		if (newline && eta_len)
			fputc('\n', stdout);
		if (newline)
			eta_len = 0;
		len = printf("Jobs: %u (f=%u): [%s][%s][r=%s,w=%s][r=%.0f,w=%.0f IOPS][eta %s]",
			     running, running, letters, pct, r, w, iops[DDIR_READ],
			     iops[DDIR_WRITE], eta);
		if (len > 0 && len < eta_len)
			printf("%*s", eta_len - len, "");
		fputc('\r', stdout);
		if (len > eta_len)
			eta_len = len;
		fflush(stdout);
	}
}

/* Ends an open status line, so what follows starts on a line of its own
 * (fio leaves its last eta line on screen too). */
static void status_end(void)
{
	if (eta_len) {
		fputc('\n', stdout);
		fflush(stdout);
	}
	eta_len = 0;
}

/* Write everything to stdout, after what stdio holds for it (the intro
 * lines). Returns 0 or -errno (-EPIPE: the reader went away). */
static int write_stdout(const char *buf, size_t len)
{
	size_t off = 0;

	if (fflush(stdout) || ferror(stdout))
		return errno ? -errno : -EIO;

	while (off < len) {
		ssize_t n = write(STDOUT_FILENO, buf + off, len - off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		off += (size_t)n;
	}
	return 0;
}

/* The results to --output (atomically, lib/outfile) or stdout. Returns -1
 * after a message when they could not all be written: an unwritable file,
 * a full file system, a closed or cut stdout. */
static int emit_results(const struct cli *c, const char *out, size_t outlen)
{
	char err[1024];
	int wr;

	/* a reader that went away must not kill us before the file is written */
	signal(SIGPIPE, SIG_IGN);
	if (c->output && !outfile_is_stdout(c->output)) {
		char what[600];

		snprintf(what, sizeof(what), "--output=%s", c->output);
		if (outfile_replace(c->output, OUTF_NAMED, out ? out : "", out ? outlen : 0, what,
				    err, sizeof(err))) {
			fprintf(stderr, "iolab: %s\n", err);
			return -1;
		}
		return 0;
	}
	wr = write_stdout(out ? out : "", out ? outlen : 0);
	if (wr) {
		fprintf(stderr, "iolab: writing the results to stdout: %s%s\n", strerror(-wr),
			wr == -EPIPE ? " (the reader went away; results are incomplete)" : "");
		return -1;
	}
	return 0;
}

/* SIGUSR1: the results so far on stdout, in the formats asked for, while
 * the jobs go on (fio prints its running stats the same way). With
 * --output the final results still go to that file alone. */
static void usr1_results(const struct cli *c, const struct job_list *l, struct backend *be)
{
	char *out = NULL;
	size_t outlen = 0;
	FILE *mem = open_memstream(&out, &outlen);
	int wr;

	if (!mem)
		return;
	report_write_global(mem, be, c->formats, &l->global);
	fclose(mem);
	wr = write_stdout(out, outlen);
	if (wr && wr != -EPIPE)
		fprintf(stderr, "iolab: SIGUSR1: writing results: %s\n", strerror(-wr));
	free(out);
}

/* The recordings of a headless run: --record FILE, and the jsonl stream
 * (--output-format=jsonl) to --output or stdout. Started after
 * backend_start; returns 0 or -1 after a message. */
struct run_recs {
	struct recorder *file, *stream;
};

static int recs_start(const struct cli *c, const struct job_list *l, struct backend *be,
		      struct run_recs *rr)
{
	const char *files[c->nfiles + 1];
	struct record_info info = {
		.argc = c->argc, .argv = c->argv, .job_files = files, .jobs = l,
		.tick_ms = c->status_interval_ms,
	};
	char err[1024], what[600];
	int fd;

	for (int i = 0; i < c->nfiles; i++)
		if (strcmp(c->files[i], "-"))
			files[info.nr_job_files++] = c->files[i];
	if (c->record) {
		snprintf(what, sizeof(what), "--record=%s", c->record);
		fd = record_open_path(c->record, what, err, sizeof(err));
		if (fd < 0 || record_start(&rr->file, fd, be, &info, err, sizeof(err))) {
			fprintf(stderr, "iolab: %s\n", err);
			return -1;
		}
	}
	if (c->jsonl) {
		const char *path = c->output ? c->output : "-";

		snprintf(what, sizeof(what), "--output=%s", path);
		fd = record_open_path(path, what, err, sizeof(err));
		if (fd < 0 || record_start(&rr->stream, fd, be, &info, err, sizeof(err))) {
			fprintf(stderr, "iolab: %s\n", err);
			return -1;
		}
	}
	return 0;
}

/* The trailers (@json: the run's fio JSON), then close. Returns 0 or -1
 * after a message. */
static int recs_stop(struct run_recs *rr, const char *json, int sig)
{
	const char *by = sig ? strsignal(sig) : NULL;
	char err[1024];
	int rc = 0;

	if (rr->file && record_stop(rr->file, json, by, err, sizeof(err))) {
		fprintf(stderr, "iolab: --record: %s\n", err);
		rc = -1;
	}
	if (rr->stream && record_stop(rr->stream, json, by, err, sizeof(err))) {
		fprintf(stderr, "iolab: --output-format=jsonl: %s\n", err);
		rc = -1;
	}
	rr->file = rr->stream = NULL;
	return rc;
}

static int run_headless(struct cli *c, struct job_list *l, struct backend *be)
{
	struct run_recs recs = { 0 };
	struct source *src = NULL;
	struct sigaction sa;
	sigset_t block, orig;
	char err[1024] = "";
	char *out = NULL;
	size_t outlen = 0;
	FILE *mem = NULL;
	bool stopped = false, show_eta;
	uint64_t last_status = 0, last_newline = clock_now_ns(), last_dump = last_newline;
	int failed, rc = 0;

	/* when fio shows its eta line: not with --eta=never; not when the
	 * results go to stdout in a format other than normal; only on a
	 * terminal unless --eta=always */
	show_eta = c->eta != ETA_NEVER && ((c->formats & REPORT_NORMAL) || c->output) &&
		   (c->eta == ETA_ALWAYS || isatty(STDOUT_FILENO));

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	/* Signals reach only this thread (workers inherit the block) and only
	 * inside ppoll(), so none is missed between a check and the wait. */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &block, &orig);

	mem = open_memstream(&out, &outlen);
	src = source_local_new(be); /* what the status line and errors read */
	if (!mem || !src) {
		fprintf(stderr, "iolab: out of memory\n");
		if (mem)
			fclose(mem);
		free(out);
		pthread_sigmask(SIG_SETMASK, &orig, NULL);
		return 1;
	}
	if (backend_load(be, l, err, sizeof(err))) {
		fprintf(stderr, "iolab: %s\n", err);
		rc = 1;
		goto out;
	}
	if (c->formats & REPORT_NORMAL) {
		/* fio prints these before the run; with --output they go to the file */
		report_write_intro(c->output ? mem : stdout, l);
		/* out before the run, as fio's: a reader sees the run begin, and
		 * one that goes away is noticed when the results follow */
		fflush(stdout);
	}
	rc = backend_start(be);
	if (rc) {
		fprintf(stderr, "iolab: starting the jobs: %s\n", strerror(-rc));
		rc = 1;
		goto out;
	}
	if (recs_start(c, l, be, &recs)) {
		/* nothing is run that would not be recorded as asked */
		backend_stop(be, -1);
		backend_wait(be);
		recs_stop(&recs, NULL, 0);
		rc = 1;
		goto out;
	}
	while (backend_running(be)) {
		struct pollfd p = { .fd = backend_wake_fd(be), .events = POLLIN };
		struct timespec ts = { .tv_sec = 0, .tv_nsec = 250 * 1000 * 1000 };
		int n = ppoll(&p, p.fd >= 0 ? 1 : 0, &ts, &orig);

		if (n > 0 && (p.revents & POLLIN))
			backend_drain_wake(be);
		if (got_usr1) {
			got_usr1 = 0;
			status_end();
			usr1_results(c, l, be);
		}
		if (got_signal && !stopped) {
			stopped = true;
			status_end();
			fprintf(stderr, "iolab: %s: stopping the jobs; results so far follow\n",
				strsignal(got_signal));
			backend_stop(be, -1);
		}
		if (c->fio_status_ms && !stopped &&
		    clock_now_ns() - last_dump >= c->fio_status_ms * NS_PER_MS) {
			/* fio's --status-interval: the results so far, where the
			 * final ones go (into --output's file, as fio writes them) */
			last_dump = clock_now_ns();
			status_end();
			if (c->output)
				report_write_global(mem, be, c->formats, &l->global);
			else
				usr1_results(c, l, be);
		}
		if (show_eta && !stopped) {
			uint64_t now = clock_now_ns();
			bool nl = c->eta_newline_ms &&
				  now - last_newline >= c->eta_newline_ms * NS_PER_MS;

			if (nl)
				last_newline = now;
			if (nl || now - last_status >= c->eta_interval_ms * NS_PER_MS) {
				status_line(src, nl);
				last_status = now;
			}
		}
	}
	failed = backend_wait(be);
	status_end();
	if (c->bw_log && agglog_write(backend_samples(be), ".", err, sizeof(err))) {
		fprintf(stderr, "iolab: %s\n", err);
		failed++;
	}

	report_write_global(mem, be, c->formats, &l->global);
	fflush(mem);

	for (unsigned i = 0; i < source_njobs(src); i++) {
		struct source_status st;

		if (source_status(src, i, &st))
			continue;
		if (st.error)
			fprintf(stderr, "iolab: job '%s': %s\n", st.name, st.errmsg);
		if (st.note[0])
			fprintf(stderr, "iolab: job '%s': %s\n", st.name, st.note);
	}
	rc = failed > 0 ? 1 : 0;
	if (got_signal)
		rc = 128 + got_signal;
	if (recs.file || recs.stream) {
		/* the trailer holds the very JSON --output-format=json prints */
		char *json = NULL;
		size_t jlen = 0;
		FILE *jm = c->formats == REPORT_JSON ? NULL : open_memstream(&json, &jlen);

		if (jm) {
			report_write_global(jm, be, REPORT_JSON, &l->global);
			fclose(jm);
		}
		if (recs_stop(&recs, jm ? json : out, got_signal))
			rc = 1;
		free(json);
	}

out:
	source_free(src);
	fclose(mem);
	if (!c->jsonl && emit_results(c, out, outlen))
		rc = 1;
	free(out);
	pthread_sigmask(SIG_SETMASK, &orig, NULL);
	return rc;
}

/* After the workbench closes: what ran, in the formats asked for, as a
 * headless run would have printed it (fio users read this). Nothing when
 * no job was started. */
static int tui_summary(struct cli *c, struct job_list *l, struct source *src)
{
	bool ran = false;
	char *out = NULL;
	size_t outlen = 0;
	FILE *mem;
	int rc;

	for (unsigned i = 0; i < source_njobs(src); i++) {
		struct source_status st;

		if (!source_status(src, i, &st) && st.started_ns)
			ran = true;
	}
	if (!ran)
		return 0;
	mem = open_memstream(&out, &outlen);
	if (!mem)
		return -1;
	source_report(src, mem, c->formats, &l->global);
	fclose(mem);
	rc = emit_results(c, out, outlen);
	free(out);
	return rc;
}

static int mode_run(struct cli *c)
{
	struct backend_config cfg = {
		.status_interval_ms = c->status_interval_ms,
		.allow_exec = c->allow_exec,
		.allow_write_devices = false,
		.read_only = c->read_only,
	};
	struct job_list l;
	struct backend *be = NULL;
	int rc = 1;

	job_list_init(&l);
	if (load_jobs(c, &l, SCRATCH_MAKE))
		goto out;
	if (!c->headless && !c->as_fio && (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))) {
		fprintf(stderr, "iolab: not a terminal; running headless (--headless says so "
				"and silences this note)\n");
		c->headless = true;
	}
	/* From here on a reader that went away (stdout or stderr a closed
	 * pipe, a warning from a worker) must not kill us before the results
	 * are written: writes fail with EPIPE instead. exec_prerun/postrun
	 * commands get SIGPIPE back (worker.c spawns them with it reset). */
	signal(SIGPIPE, SIG_IGN);
	be = backend_new(&cfg);
	if (!be) {
		fprintf(stderr, "iolab: cannot create the backend: %s\n", strerror(errno));
		goto out;
	}
	if (!c->headless && (c->record || c->jsonl)) {
		fprintf(stderr, "iolab: --record and --output-format=jsonl record headless runs "
				"only for now (add --headless)\n");
		goto out;
	}
	if (c->headless) {
		rc = run_headless(c, &l, be);
	} else {
		struct tui_args ta = { .src = source_local_new(be), .jobs = &l, .run_now = c->run_now };

		if (!ta.src) {
			fprintf(stderr, "iolab: out of memory\n");
			goto out;
		}

		/* F9 offers the file the jobs came from */
		if (c->nfiles == 1 && !c->profile && c->njobargs <= 1 && strcmp(c->files[0], "-"))
			ta.path = c->files[0];

		rc = tui_run(&ta);
		print_warnings(&l);
		if (tui_summary(c, &l, ta.src) && !rc)
			rc = 1;
		source_free(ta.src);
	}
out:
	if (be)
		backend_free(be);
	job_list_free(&l);
	if (c->keep) {
		/* say where what was kept is; it is the user's now */
		char paths[8192];
		size_t n = profile_scratch_paths(paths, sizeof(paths));

		for (char *p = paths, *e; n && *p; p = e ? e + 1 : p + strlen(p)) {
			e = strchr(p, '\n');
			fprintf(stderr, "iolab: kept the scratch file %.*s\n",
				e ? (int)(e - p) : (int)strlen(p), p);
		}
	}
	profile_scratch_cleanup();
	return rc;
}

int main(int argc, char **argv)
{
	struct cli c;
	int rc;

	memset(&c, 0, sizeof(c));
	atexit(profile_scratch_cleanup); /* scratch files go whatever the exit */
	if (cli_parse(&c, argc, argv)) {
		rc = 1;
		goto out;
	}
	rc = c.mode(&c);
	/* whatever a mode printed must have arrived: a full disk or a closed
	 * pipe behind stdout is a failure, as in coreutils' close_stdout */
	errno = 0;
	if ((fflush(stdout) || ferror(stdout)) && !rc) {
		fprintf(stderr, "iolab: writing to stdout: %s\n", strerror(errno ? errno : EIO));
		rc = 1;
	}
out:
	free(c.files);
	free(c.jobargs);
	free(c.sections);
	return rc;
}
