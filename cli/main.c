/* iolab's main(): parse the command line, run the mode it chose (cli.h).
 * The run mode is here: the jobs run headless (headless.c) or in the
 * workbench (tui/), and after the workbench closes, what ran is printed
 * as a headless run would have printed it. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <unistd.h>

#include "backend/backend.h"
#include "backend/jobfile.h"
#include "backend/profiles.h"
#include "backend/source.h"
#include "cli/cli.h"
#include "lib/outfile.h"
#include "tui/settings.h"
#include "tui/tui.h"

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
	if (!ran || c->jsonl) /* the stream's trailers hold the results */
		return 0;
	mem = open_memstream(&out, &outlen);
	if (!mem)
		return -1;
	source_report(src, mem, c->formats, &l->global);
	fclose(mem);
	rc = cli_emit_results(c, out, outlen);
	free(out);
	return rc;
}

int mode_run(struct cli *c)
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
	if (cli_load_jobs(c, &l, SCRATCH_MAKE))
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
	/* the workbench samples as the settings say unless told otherwise;
	 * a headless run keeps fio's 1s (its output is fio's) */
	if (!c->headless && !c->status_interval_set)
		cfg.status_interval_ms = settings_get()->sample_ms;
	/* --bandwidth-log: a line each 500 ms, fio's bwavgtime (its agg logs
	 * take a sample once that much has passed) */
	if (c->headless && c->bw_log && !c->status_interval_set)
		cfg.status_interval_ms = 500;
	be = backend_new(&cfg);
	if (!be) {
		fprintf(stderr, "iolab: cannot create the backend: %s\n", strerror(errno));
		goto out;
	}
	if (!c->headless && c->jsonl && (!c->output || outfile_is_stdout(c->output))) {
		fprintf(stderr, "iolab: --output-format=jsonl with the workbench needs --output FILE "
				"(the terminal is the workbench's; --headless streams to stdout)\n");
		goto out;
	}
	if (c->headless && c->baseline) {
		fprintf(stderr, "iolab: --baseline draws under the workbench's graphs; a headless "
				"run has none (--compare BASE NEW compares results)\n");
		goto out;
	}
	if (c->headless) {
		rc = cli_run_headless(c, &l, be);
	} else {
		struct cli_wbrec wr = { .c = c, .l = &l, .be = be, .tick_ms = cfg.status_interval_ms };
		struct tui_run_hooks hooks = { cli_wbrec_started, cli_wbrec_reaped, &wr,
					       cli_wbrec_toggle, cli_wbrec_recording };
		struct tui_args ta = { .src = source_local_new(be), .jobs = &l, .run_now = c->run_now,
				       .hooks = &hooks };

		if (!ta.src) {
			fprintf(stderr, "iolab: out of memory\n");
			goto out;
		}
		if (cli_baseline_open(c, &ta.baseline)) {
			source_free(ta.src);
			goto out;
		}

		/* F9 offers the file the jobs came from */
		if (c->nfiles == 1 && !c->profile && c->njobargs <= 1 && strcmp(c->files[0], "-"))
			ta.path = c->files[0];

		rc = tui_run(&ta);
		cli_print_warnings(&l);
		if (tui_summary(c, &l, ta.src) && !rc)
			rc = 1;
		cli_wbrec_end(&wr);
		source_free(ta.src);
		source_free(ta.baseline);
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
	if (cli_parse(&c, argc, argv) || cli_settings_load(&c)) {
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
	free(c.clients);
	return rc;
}
