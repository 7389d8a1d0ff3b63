/* Loading the jobs a command line names (cli.h): job files, stdin, a
 * profile, command-line job options, or the default job. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/jobfile.h"
#include "backend/options.h"
#include "backend/profiles.h"
#include "cli/cli.h"

/* The default job (the text of profiles/default.fio, embedded so the binary
 * works from anywhere). Keep identical to profiles/default.fio
 * (tests/int/default_job.sh checks that both parse to the same jobs). */
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

void cli_print_warnings(const struct job_list *l)
{
	const char *p = l->warnings;

	while (p && *p) {
		const char *nl = strchr(p, '\n');
		int len = nl ? (int)(nl - p) : (int)strlen(p);

		fprintf(stderr, "iolab: warning: %.*s\n", len, p);
		p = nl ? nl + 1 : p + len;
	}
}

/* Where job @s comes from: "file:line", the file, or "command line". */
static void spec_where(const struct job_spec *s, char *at, size_t len)
{
	if (s->src_file && s->src_line > 0)
		snprintf(at, len, "%s:%d", s->src_file, s->src_line);
	else
		snprintf(at, len, "%s", s->src_file ? s->src_file : "command line");
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
		spec_where(s, at, sizeof(at));
		fprintf(stderr, "iolab: %s: rw: job '%s' %s, and --readonly allows reads only\n",
			at, s->opts.name ? s->opts.name : s->section,
			s->opts.rw & RW_TRIM ? "trims" : "writes");
		bad = -1;
	}
	return bad;
}

/* exec_prerun/exec_postrun without --allow-exec: refused here, naming the
 * job and where it comes from, rather than by its worker after the jobs
 * before it ran. Returns 0 or -1 after the messages. */
static int check_exec(const struct job_list *l)
{
	int bad = 0;

	for (size_t i = 0; i < l->nr; i++) {
		const struct job_spec *s = &l->jobs[i];
		char at[512], why[512];

		if (s->clone || !opts_exec_check(&s->opts, false, why, sizeof(why)))
			continue;
		spec_where(s, at, sizeof(at));
		fprintf(stderr, "iolab: %s: [%s]: %s\n", at, cli_spec_name(s), why);
		bad = -1;
	}
	return bad;
}

static int scratch_for(struct job_list *l, const char *name, enum scratch_mode m, char *err,
		       size_t errlen)
{
	if (m == SCRATCH_MAKE)
		return profile_make_scratch(l, name, err, errlen);
	if (m == SCRATCH_PLAN)
		return profile_plan_scratch(l, name, err, errlen);
	return 0;
}

int cli_load_jobs(struct cli *c, struct job_list *l, enum scratch_mode scratch)
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
	if (!c->allow_exec && check_exec(l))
		return -1;
	cli_print_warnings(l);
	if (c->warnings_fatal && l->warnings && *l->warnings) {
		fprintf(stderr, "iolab: --warnings-fatal: the warnings above are errors; "
				"nothing was run\n");
		return -1;
	}
	return 0;
}

const char *cli_spec_name(const struct job_spec *s)
{
	return s->opts.name && *s->opts.name ? s->opts.name : s->section;
}
