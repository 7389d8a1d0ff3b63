/* libFuzzer harness over the job-file reader and the option value parsers.
 *
 * Every input is used three ways:
 *  1. as a job file (jobfile_load_text, then job_list_finalize); a file that
 *     loads is written back (jobfile_write_job per job, opts_dump) and the
 *     written text must load again;
 *  2. line by line as "key=value" straight into opt_set (no reader
 *     filtering: control bytes, very long values), then opt_print and
 *     opts_validate;
 *  3. whole, as the value of the option the first byte picks.
 *
 * `make fuzz FUZZ_SECONDS=N` builds it with clang -fsanitize=fuzzer,address,
 * undefined into build-fuzz/. tests/test_fuzz.c includes this file with
 * FUZZ_NO_ENTRY defined and replays tests/fuzz/corpus/ and
 * tests/fuzz/regress/ (one file per crash found) through fuzz_one(). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend/jobfile.h"
#include "backend/options.h"

#define FUZZ_MAX_INPUT (64 * 1024)

/* Inputs that would make the reader block or read the machine rather than
 * the input (include /dev/stdin, /proc/..., a FIFO) are skipped. */
static int fuzz_skip(const char *s)
{
	static const char *const bad[] = { "/dev", "/proc", "/sys", "/run", NULL };

	for (int i = 0; bad[i]; i++)
		if (strstr(s, bad[i]))
			return 1;
	return 0;
}

static void fuzz_fail(const char *what, const char *text, const char *err)
{
	fprintf(stderr, "fuzz: %s: %s\n--- text ---\n%s\n------------\n", what, err, text);
	abort();
}

/* The environment ${VAR} sees: the harness clears the rest. Values with
 * control characters must be refused wherever they are expanded. */
static void fuzz_env(void)
{
	setenv("FUZZ_BS", "4k", 1);
	setenv("FUZZ_RW", "randread", 1);
	setenv("FUZZ_EMPTY", "", 1);
	setenv("FUZZ_NL", "/x\ne0 = write ;", 1);
	setenv("FUZZ_ESC", "\x1b[2J", 1);
	setenv("FUZZ_TAB", "a\tb", 1);
}

/* What a loaded job may hold: no control character in a string value but
 * tab (and newlines in a description, which comes only from a command
 * line); its extent fits in an off_t. */
static void fuzz_check_job(const struct job_spec *s, const char *text)
{
	for (size_t i = 0; i < opt_count; i++) {
		const struct opt_def *d = &opt_table[i];
		const char *v;

		if (d->type != OPT_STR)
			continue;
		v = *(char *const *)((const char *)&s->opts + d->off);
		for (const unsigned char *p = (const unsigned char *)v; v && *p; p++)
			if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
				fuzz_fail("a loaded value holds a control character", text, d->name);
	}
	if (s->opts.offset_pct == 0 &&
	    s->opts.offset + (uint64_t)(s->opts.numjobs ? s->opts.numjobs - 1 : 0) *
	    s->opts.offset_increment < s->opts.offset)
		fuzz_fail("a loaded job's offsets wrap around", text, "offset");
}

/* Load @text; when it loads, write it back and load that. */
static void fuzz_jobfile(const char *text, int depth)
{
	struct job_list l;
	char err[1024];
	char *out = NULL;
	size_t outlen = 0;
	FILE *m;

	job_list_init(&l);
	if (jobfile_load_text(&l, "fuzz.fio", text, err, sizeof(err)) ||
	    job_list_finalize(&l, err, sizeof(err))) {
		job_list_free(&l);
		return;
	}
	for (size_t i = 0; i < l.nr; i++)
		fuzz_check_job(&l.jobs[i], text);
	m = open_memstream(&out, &outlen);
	if (!m)
		abort();
	for (size_t i = 0; i < l.nr; i++) {
		if (l.jobs[i].clone)
			continue;
		jobfile_write_job(m, l.jobs[i].section, &l.jobs[i].opts);
	}
	fclose(m);
	{
		FILE *null = fopen("/dev/null", "w");

		if (null) {
			for (size_t i = 0; i < l.nr && i < 64; i++)
				opts_dump(null, &l.jobs[i].opts, i & 1);
			fclose(null);
		}
	}
	job_list_free(&l);
	if (depth == 0 && out) {
		struct job_list r;

		job_list_init(&r);
		if (jobfile_load_text(&r, "fuzz-saved.fio", out, err, sizeof(err)) ||
		    job_list_finalize(&r, err, sizeof(err)))
			fuzz_fail("the saved copy of a loaded file does not load", out, err);
		job_list_free(&r);
	}
	free(out);
}

static void fuzz_opt(struct job_opts *o, const struct opt_def *d, const char *val)
{
	char err[1024], buf[4096];

	if (opt_set(o, d->name, val, err, sizeof(err)) == 0) {
		opt_print(d, o, buf, sizeof(buf));
		(void)opt_shown(d, o, buf);
	}
}

static void fuzz_opts(const char *text, unsigned char pick)
{
	struct job_opts o;
	char *copy = strdup(text), *line, *save = NULL;
	char err[1024];

	if (!copy)
		abort();
	opts_init(&o);
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *eq = strchr(line, '=');
		const struct opt_def *d;

		if (eq)
			*eq = '\0';
		d = opt_find(line);
		if (d)
			fuzz_opt(&o, d, eq ? eq + 1 : NULL);
	}
	(void)opts_validate(&o, err, sizeof(err));
	opts_free(&o);
	free(copy);

	opts_init(&o);
	fuzz_opt(&o, &opt_table[pick % opt_count], text);
	(void)opts_validate(&o, err, sizeof(err));
	opts_free(&o);
}

/* One input; never fails quietly: a bug aborts. */
static int fuzz_one(const uint8_t *data, size_t size)
{
	char *text;

	if (size > FUZZ_MAX_INPUT)
		return 0;
	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (!fuzz_skip(text)) {
		fuzz_jobfile(text, 0);
		fuzz_opts(text, size ? data[0] : 0);
	}
	free(text);
	return 0;
}

#ifndef FUZZ_NO_ENTRY
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	/* Nothing to block on, and ${VAR} sees only these (not a $SSH_TTY
	 * an include could name). */
	if (!freopen("/dev/null", "r", stdin))
		return 0;
	clearenv();
	fuzz_env();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_one(data, size);
}
#endif
