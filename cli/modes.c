/* The modes that print or check and run no job (cli.h): --version,
 * --cmdhelp, --enghelp, --list-profiles, --parse-only, --dry-run,
 * --showcmd, --compare, --replay. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend/backend.h"
#include "backend/compare.h"
#include "backend/jobfile.h"
#include "backend/options.h"
#include "backend/profiles.h"
#include "backend/report.h"
#include "backend/source.h"
#include "backend/source_replay.h"
#include "cli/cli.h"
#include "engines/engine.h"
#include "tui/replay.h"
#include "tui/settings.h"

int mode_list_profiles(struct cli *c)
{
	profiles_print(stdout);
	return 0;
}

int cli_baseline_open(const struct cli *c, struct source **out)
{
	char err[1024];

	*out = NULL;
	if (!c->baseline)
		return 0;
	if (source_replay_new(c->baseline, out, err, sizeof(err))) {
		fprintf(stderr, "iolab: --baseline: %s\n", err);
		return -1;
	}
	/* whole before the first frame: the live graphs are drawn against it */
	source_replay_wait(*out);
	if (source_replay_note(*out)[0])
		fprintf(stderr, "iolab: --baseline: %s\n", source_replay_note(*out));
	return 0;
}

/* iolab --replay FILE: the recording in the workbench (tui/replay.c), or
 * with --headless (or not at a terminal) its report, as the live run's. */
int mode_replay(struct cli *c)
{
	struct source *src;
	bool headless = c->headless;
	char err[1024];
	int rc;

	if (c->nfiles || c->njobargs > 1) {
		fprintf(stderr, "iolab: --replay takes one recording and no job file\n");
		return 1;
	}
	if (source_replay_new(c->replay, &src, err, sizeof(err))) {
		fprintf(stderr, "iolab: --replay: %s\n", err);
		return 1;
	}
	if (!headless && (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))) {
		fprintf(stderr, "iolab: not a terminal; printing the recording's report "
				"(--headless says so and silences this note)\n");
		headless = true;
	}
	if (headless) {
		char *out = NULL;
		size_t outlen = 0;
		FILE *mem;

		source_replay_wait(src);
		if (source_replay_note(src)[0])
			fprintf(stderr, "iolab: --replay: %s\n", source_replay_note(src));
		mem = open_memstream(&out, &outlen);
		if (!mem) {
			fprintf(stderr, "iolab: out of memory\n");
			rc = 1;
		} else {
			source_report(src, mem, c->formats ? c->formats : REPORT_NORMAL, NULL);
			fclose(mem);
			rc = cli_emit_results(c, out, outlen) ? 1 : 0;
		}
		free(out);
	} else {
		struct source *base;

		if (cli_baseline_open(c, &base)) {
			source_free(src);
			return 1;
		}
		rc = tui_replay(src, c->replay, base);
		source_free(base);
		if (source_replay_loaded(src) && source_replay_note(src)[0])
			fprintf(stderr, "iolab: --replay: %s\n", source_replay_note(src));
	}
	source_free(src);
	return rc;
}

/* iolab --compare BASE NEW: 0 when nothing is worse than --max-regression
 * (or none was given), 3 when something is, 2 when a file cannot be read. */
int mode_compare(struct cli *c)
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

int mode_version(struct cli *c)
{
	printf("iolab-%s\n", IOLAB_VERSION);
	return 0;
}

/* fio's --enghelp: the engines; ENGINE: its own options (io_uring's);
 * ENGINE,OPTION: that option's help. */
int mode_enghelp(struct cli *c)
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

int mode_cmdhelp(struct cli *c)
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

int mode_parse_only(struct cli *c)
{
	struct job_list l;
	int rc = 1;

	job_list_init(&l);
	if (cli_load_jobs(c, &l, SCRATCH_PLAN))
		goto out;
	for (size_t i = 0; i < l.nr; i++) {
		const struct job_spec *s = &l.jobs[i];

		printf("; job %zu of %zu: clone %u, group %u, from %s:%d\n", i + 1, l.nr, s->clone,
		       s->group, s->src_file ? s->src_file : "?", s->src_line);
		if (profile_scratch_planned(s->opts.filename))
			printf("; filename: a new scratch file when the job runs (XXXXXX: a unique "
			       "name; created O_EXCL, mode 0600; removed at the end)\n");
		printf("[%s]\n", cli_spec_name(s));
		opts_dump(stdout, &s->opts, true);
		if (i + 1 < l.nr)
			putchar('\n');
	}
	rc = 0;
out:
	job_list_free(&l);
	return rc;
}

int mode_dry_run(struct cli *c)
{
	struct backend_config cfg = { .status_interval_ms = 1000 };
	struct backend *be = NULL;
	struct job_list l;
	char err[1024] = "";
	int rc = 1, failed;

	job_list_init(&l);
	if (cli_load_jobs(c, &l, SCRATCH_PLAN))
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

int mode_showcmd(struct cli *c)
{
	struct job_list l;
	int rc = 1;

	job_list_init(&l);
	if (cli_load_jobs(c, &l, SCRATCH_NAME))
		goto out;
	fputs("fio", stdout);
	for (size_t i = 0; i < l.nr; i++) {
		const struct job_spec *s = &l.jobs[i];
		char arg[1024], buf[4096];

		if (s->clone)
			continue; /* numjobs= stays in the options */
		snprintf(arg, sizeof(arg), "--name=%s", cli_spec_name(s));
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
						"left out of the fio command\n", cli_spec_name(s), d->name);
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
