/* iolab --client=HOST[,PORT] ... (cli.h): the flags the flag table gives
 * the client mode, checked and turned into the fio-server client's
 * settings (tui/fiocli.h), which runs the job and writes the report. */
#include <stdbool.h>
#include <stdio.h>

#include "backend/report.h"
#include "cli/cli.h"
#include "tui/fiocli.h"

static int usage_error(void)
{
	fprintf(stderr,
		"usage: iolab --client=HOST[,PORT] [--client=...] [--output-format=normal|json]\n"
		"             [--output=FILE] [--status-interval=S] [--client-timeout=S]\n"
		"             [--allow-exec] job.fio | --name=JOB --key=value...\n"
		"  --status-interval=S prints each job's figures of every S seconds.\n"
		"  --client-timeout=S: a host silent S seconds when asked is lost (5).\n"
		"  --client=FILE reads one HOST[,PORT] a line. fio --server has no\n"
		"  authentication: keep servers on a private network or behind ssh -L.\n");
	return 2;
}

int mode_client(struct cli *c)
{
	const unsigned json_bits = REPORT_JSON | REPORT_JSONPLUS;
	/* run as fio, --status-interval is fio's (flags.c keeps it apart) */
	uint64_t status_ms = c->as_fio ? c->fio_status_ms
				       : c->status_interval_set ? c->status_interval_ms : 0;
	struct fiocli_cfg cfg = {
		.clients = c->clients, .nclients = c->nclients,
		.jobfile = c->nfiles ? c->files[0] : NULL,
		.jobargs = c->jobargs + 1, .njobargs = c->njobargs - 1,
		.normal = c->formats & REPORT_NORMAL, .json = c->formats & json_bits,
		.output = c->output, .status_s = (unsigned)(status_ms / 1000),
		.reply_ms = (unsigned)c->client_timeout_ms,
		.allow_exec = c->allow_exec, .headless = c->headless,
	};

	if (c->not_for_mode) {
		fprintf(stderr, "iolab: --%s: not an option of the client mode\n", c->not_for_mode);
		return usage_error();
	}
	if (c->jsonl || (c->formats & ~(REPORT_NORMAL | json_bits))) {
		fprintf(stderr, "iolab: --output-format=%s: the client writes 'normal' or 'json'\n",
			c->format_arg);
		return 2;
	}
	if (status_ms % 1000 || status_ms > 3600 * 1000) {
		fprintf(stderr, "iolab: --status-interval: %.3g s is not whole seconds, 1 to 3600 "
				"(fio's server counts its status interval in seconds)\n",
			(double)status_ms / 1000);
		return 2;
	}
	if (c->nfiles > 1) {
		fprintf(stderr, "iolab: %s: one job file per run in client mode\n", c->files[1]);
		return 2;
	}
	if (!c->nfiles && c->njobargs <= 1) {
		fprintf(stderr, "iolab: --client: no job given: a job file, or job options "
				"(--name=x --rw=read ...) sent as a job\n");
		return usage_error();
	}
	if (c->nfiles && c->njobargs > 1) {
		fprintf(stderr, "iolab: %s: a job file and job options on the command line: "
				"give one (the options are sent as a job of their own)\n",
			c->jobargs[1]);
		return 2;
	}
	return fiocli_run(&cfg);
}
