/* iolab --diagnose TARGET, headless (cli.h): the battery's settings from
 * the command line (the flags the flag table gives it and the job options),
 * the settings' [diagnose] defaults, its progress on stderr, the report to
 * stdout or --output. The runner is
 * the backend's (backend/diagnose.h); this is only its front end. */
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/diagnose.h"
#include "backend/jobfile.h"
#include "backend/options.h"
#include "backend/report.h"
#include "cli/cli.h"
#include "tui/settings.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: iolab --diagnose [TARGET] [--runtime=SECONDS] [--size=SIZE] [--ioengine=NAME]\n"
		"                        [--output-format=normal|json] [--output=FILE]\n"
		"                        [--allow-write] [--keep] [--JOBOPTION=VALUE...]\n"
		"JOBOPTION: any job option the battery does not set itself (inject_delay,\n"
		"ramp_time, cpus_allowed, ...), added to every step.\n"
		"TARGET (default: the settings' [diagnose] scratch_dir): a new file (created,\n"
		"filled, removed after), a directory (a scratch file\n"
		"in it), an existing file (writes need --allow-write) or a block device (read-only\n"
		"unless --allow-write, and never if mounted or holding a filesystem).\n");
}

/* "iolab: @what: not a --diagnose option" and the usage; the exit status */
static int not_diag(const char *what)
{
	fprintf(stderr, "iolab: %s: not a --diagnose option\n", what);
	usage(stderr);
	return 2;
}

/* The step options together, loaded as a job once before anything runs:
 * what only a whole job can tell (cpus_allowed naming a CPU this machine
 * lacks...) is refused here, not by every step after the scratch file was
 * made. Returns 0 or 2 after a message. */
#define DIAG_OPTS_NAME "--diagnose options"

static int diag_job_check(const struct diagnose_cfg *cfg, const char *jobopts)
{
	char text[8192], err[1024] = "";
	struct job_list l;
	int rc;

	snprintf(text, sizeof(text), "[diagnose]\nioengine=%s\nsize=16m\n%s",
		 cfg->ioengine ? cfg->ioengine : "psync", jobopts);
	job_list_init(&l);
	rc = jobfile_load_text(&l, DIAG_OPTS_NAME, text, err, sizeof(err)) ||
	     job_list_finalize(&l, err, sizeof(err));
	job_list_free(&l);
	if (rc) {
		/* the text is ours, not the user's: "--cpus_allowed=63: why", not
		 * its made-up "NAME:LINE: [section]: " */
		const char *why = err;

		if (!strncmp(why, DIAG_OPTS_NAME, strlen(DIAG_OPTS_NAME))) {
			why += strlen(DIAG_OPTS_NAME);
			why += strspn(why, ":0123456789");
			why += strspn(why, " ");
			if (!strncmp(why, "[diagnose]: ", strlen("[diagnose]: ")))
				why += strlen("[diagnose]: ");
		}
		fprintf(stderr, "iolab: --%s\n", why);
		return 2;
	}
	return 0;
}

/* The job options of the command line into @cfg: diagnose's own
 * (--runtime, --size, --ioengine) and the ones added to every step, as
 * "key=value" lines in @jobopts. Returns 0 or the exit status (2) after a
 * message. */
static int diag_job_args(const struct cli *c, struct diagnose_cfg *cfg, char *jobopts,
			 size_t len)
{
	for (int i = 1; i < c->njobargs; i++) {
		const char *a = c->jobargs[i], *v = strchr(a, '=');
		size_t kl = v ? (size_t)(v - a) : strlen(a);
		char name[64], why[512];
		size_t used = strlen(jobopts);

		if (!v || kl <= 2)
			return not_diag(a);
		snprintf(name, sizeof(name), "%.*s", (int)(kl - 2), a + 2);
		v++;
		if (!strcmp(name, "runtime")) {
			uint64_t us;

			if (parse_time_us(v, 1000000, &us) || us < 100000 ||
			    us > 3600ULL * 1000000) {
				fprintf(stderr, "iolab: --runtime=%s: expected seconds per step "
						"(0.1 to 3600, e.g. 5 or 500ms)\n", v);
				return 2;
			}
			cfg->runtime_s = (double)us / 1e6;
		} else if (!strcmp(name, "size")) {
			if (parse_size(v, 1024, &cfg->size) || cfg->size < DIAG_MIN_SIZE) {
				fprintf(stderr, "iolab: --size=%s: expected a size of at least 16m\n",
					v);
				return 2;
			}
		} else if (!strcmp(name, "ioengine")) {
			static const char *const movers[] = { "psync", "sync", "pvsync", "pvsync2",
							      "libaio", "io_uring", "posixaio",
							      "mmap", NULL };
			bool ok = false;

			for (const char *const *m = movers; *m; m++)
				ok = ok || !strcmp(*m, v);
			if (!ok) {
				fprintf(stderr, "iolab: --ioengine=%s: diagnose measures the device "
						"through an engine that reads and writes it (libaio, "
						"io_uring, psync, sync, pvsync, pvsync2, posixaio, "
						"mmap)\n", v);
				return 2;
			}
			cfg->ioengine = v;
		} else if (kl - 2 >= sizeof(name)) {
			fprintf(stderr, "iolab: an option name that long is not a --diagnose "
					"option\n");
			return 2;
		} else if (diagnose_job_option(name, v, why, sizeof(why))) {
			fprintf(stderr, "iolab: %s\n", why);
			return 2;
		} else if (used + strlen(a) + 2 > len) {
			fprintf(stderr, "iolab: %s: too many job options for --diagnose\n", a);
			return 2;
		} else {
			snprintf(jobopts + used, len - used, "%s=%s\n", name, v);
		}
	}
	return diag_job_check(cfg, jobopts);
}

static volatile int stop;

static void on_signal(int sig)
{
	stop = 1;
}

static int progress(const struct diagnose_progress *p, void *arg)
{
	const struct diagnose_result *r = arg;
	const struct diagnose_step *s = p->step;
	char line[128];

	switch (p->phase) {
	case DIAG_PHASE_PREPARE:
		if (p->done == 0)
			fprintf(stderr, "diagnose: preparing a scratch file...\n");
		break;
	case DIAG_PHASE_STEP_START:
		fprintf(stderr, "[%u/%u] %-17s %s, %.0f s\n", p->index + 1, p->count, s->name,
			s->title, r->runtime_s);
		break;
	case DIAG_PHASE_STEP_DONE:
		fprintf(stderr, "      %s\n", diagnose_step_line(line, sizeof(line), s));
		break;
	case DIAG_PHASE_STEP_SKIPPED:
		fprintf(stderr, "[%u/%u] %-17s skipped: %s\n", p->index + 1, p->count, s->name,
			r->write_block);
		break;
	default:
		break;
	}
	return 0;
}

/* The battery under stop-on-signal: SIGINT, SIGTERM, SIGHUP and a closed
 * pipe stop it with the results so far; SIGUSR1 (fio: print the stats)
 * must not kill the probe, whose progress is on stderr already. */
static int run_battery(struct diagnose_cfg *cfg, struct diagnose_result *r, char *err,
		       size_t errlen)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGUSR1 };
	struct sigaction sa = { .sa_handler = on_signal }, old[5];
	int rc;

	sigemptyset(&sa.sa_mask);
	stop = 0;
	cfg->stop = &stop;
	for (size_t i = 0; i < 5; i++) {
		sa.sa_handler = sigs[i] == SIGUSR1 ? SIG_IGN : on_signal;
		sigaction(sigs[i], &sa, &old[i]);
	}
	rc = diagnose_run(cfg, r, err, errlen);
	for (size_t i = 0; i < 5; i++)
		sigaction(sigs[i], &old[i], NULL);
	return rc;
}

/* 0 when the battery ran, 1 when the target could not be used, 2 on a
 * usage error, 130 when interrupted (the partial report is still printed). */
int mode_diagnose(struct cli *c)
{
	const struct settings *set = settings_get();
	struct diagnose_cfg cfg = {
		.target = c->diag_target, .allow_write = c->allow_write,
		.keep_scratch = c->keep, .progress = progress,
		.runtime_s = (double)set->diag_runtime_ms / 1000, /* unless --runtime */
	};
	const unsigned json_bits = REPORT_JSON | REPORT_JSONPLUS;
	bool text = c->formats & REPORT_NORMAL, json = c->formats & json_bits;
	struct diagnose_result *r = NULL;
	char jobopts[4096] = ""; /* "key=value\n" lines for every step */
	char err[1024] = "", what[600], *out = NULL;
	size_t outlen = 0;
	FILE *mem = NULL;
	int ret;
	unsigned nfailed;

	if (c->not_for_mode) {
		snprintf(what, sizeof(what), "--%s", c->not_for_mode);
		return not_diag(what);
	}
	/* --diagnose TARGET, --diagnose=TARGET, or alone: the settings' dir */
	if (!cfg.target && c->nfiles)
		cfg.target = c->files[0];
	if (c->nfiles > (c->diag_target ? 0 : 1))
		return not_diag(c->files[c->diag_target ? 0 : 1]);
	if (!cfg.target && set->diag_dir[0])
		cfg.target = set->diag_dir;
	if (!cfg.target) {
		fprintf(stderr, "iolab: --diagnose needs a TARGET\n");
		usage(stderr);
		return 2;
	}
	if (c->jsonl || (c->formats & ~(REPORT_NORMAL | json_bits))) {
		fprintf(stderr, "iolab: --output-format=%s: diagnose writes 'normal' or 'json'\n",
			c->format_arg);
		return 2;
	}
	ret = diag_job_args(c, &cfg, jobopts, sizeof(jobopts));
	if (ret)
		return ret;
	cfg.job_options = jobopts;
	r = malloc(sizeof(*r));
	if (!r) {
		fprintf(stderr, "iolab: out of memory\n");
		return 1;
	}
	cfg.progress_arg = r;
	if (run_battery(&cfg, r, err, sizeof(err))) {
		/* nothing to report: an --output file stays as it was */
		fprintf(stderr, "iolab: %s\n", err);
		free(r);
		return 1;
	}
	if (r->write_block[0] && r->steps[DIAG_SEQWRITE_1M].status == DIAG_SKIPPED)
		fprintf(stderr, "diagnose: write steps skipped: %s\n", r->write_block);
	/* a step that failed leaves the diagnosis incomplete: the report says
	 * which and why, and the exit status says so to a script */
	nfailed = 0;
	for (unsigned i = 0; i < DIAG_STEP_NR; i++)
		nfailed += r->steps[i].status == DIAG_FAILED;
	if (nfailed == DIAG_STEP_NR)
		fprintf(stderr, "diagnose: every step failed: no diagnosis (the report says why)\n");
	else if (nfailed)
		fprintf(stderr, "diagnose: %u of %u steps failed; the findings cover the rest\n",
			nfailed, (unsigned)DIAG_STEP_NR);
	ret = r->interrupted ? 130 : nfailed ? 1 : 0;
	/* the report whole, then to --output (checked when given) or stdout */
	mem = open_memstream(&out, &outlen);
	if (!mem) {
		fprintf(stderr, "iolab: out of memory\n");
		free(r);
		return 1;
	}
	if (text)
		diagnose_print_text(mem, r);
	if (text && json)
		fputc('\n', mem);
	if (json)
		diagnose_print_json(mem, r);
	free(r);
	if (fclose(mem)) {
		fprintf(stderr, "iolab: the report: out of memory\n");
		ret = 1;
	} else if (cli_emit_results(c, out, outlen) && ret == 0) {
		ret = 1;
	}
	free(out);
	return ret;
}
