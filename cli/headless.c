/* The headless run (cli.h): signals, fio's status line on stdout, the
 * recordings, and the results written to --output or stdout. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "backend/agglog.h"
#include "backend/backend.h"
#include "backend/jobfile.h"
#include "backend/record.h"
#include "backend/report.h"
#include "backend/samples.h"
#include "backend/source.h"
#include "cli/cli.h"
#include "lib/clock.h"
#include "lib/outfile.h"

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

/* The results to --output (atomically, lib/outfile) or stdout. Returns -1
 * after a message when they could not all be written: an unwritable file,
 * a full file system, a closed or cut stdout. */
int cli_emit_results(const struct cli *c, const char *out, size_t outlen)
{
	char err[1024], what[600];

	/* a reader that went away must not kill us before the file is written */
	signal(SIGPIPE, SIG_IGN);
	snprintf(what, sizeof(what), "--output=%s", c->output ? c->output : "-");
	if (outfile_emit(c->output, out, outlen, what, err, sizeof(err))) {
		fprintf(stderr, "iolab: %s\n", err);
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
	char err[256];
	int wr;

	if (!mem)
		return;
	report_write_global(mem, be, c->formats, &l->global);
	fclose(mem);
	wr = outfile_emit(NULL, out, outlen, "-", err, sizeof(err));
	if (wr && wr != -EPIPE)
		fprintf(stderr, "iolab: SIGUSR1: %s\n", err);
	free(out);
}

/* The recordings of a headless run: --record FILE, and the jsonl stream
 * (--output-format=jsonl) to --output or stdout. Started after
 * backend_start; returns 0 or -1 after a message. */
struct run_recs {
	struct recorder *file, *stream;
};

void cli_record_info(const struct cli *c, const struct job_list *l, uint64_t tick_ms,
		     const char **files, struct record_info *info)
{
	*info = (struct record_info){
		.argc = c->argc, .argv = c->argv, .job_files = files, .jobs = l,
		.tick_ms = tick_ms,
	};
	for (int i = 0; i < c->nfiles; i++)
		if (strcmp(c->files[i], "-"))
			files[info->nr_job_files++] = c->files[i];
}

static int recs_start(const struct cli *c, const struct job_list *l, struct backend *be,
		      struct run_recs *rr)
{
	const char *files[c->nfiles + 1];
	struct record_info info;
	char err[1024], what[600], path[PATH_MAX];
	int fd;

	cli_record_info(c, l, c->status_interval_ms, files, &info);
	if (c->record) {
		snprintf(what, sizeof(what), "--record=%s", c->record);
		fd = record_open_path(c->record, what, err, sizeof(err));
		if (fd < 0 || record_start(&rr->file, fd, be, &info, err, sizeof(err))) {
			fprintf(stderr, "iolab: %s\n", err);
			return -1;
		}
	} else if ((fd = cli_record_dir_open(path, sizeof(path), err, sizeof(err))) != 0) {
		/* the settings' [record] dir: every run leaves a recording */
		if (fd < 0 || record_start(&rr->file, fd, be, &info, err, sizeof(err))) {
			fprintf(stderr, "iolab: %s\n", err);
			return -1;
		}
		fprintf(stderr, "iolab: recording to %s\n", path);
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
		fprintf(stderr, "iolab: recording: %s\n", err);
		rc = -1;
	}
	if (rr->stream && record_stop(rr->stream, json, by, err, sizeof(err))) {
		fprintf(stderr, "iolab: --output-format=jsonl: %s\n", err);
		rc = -1;
	}
	rr->file = rr->stream = NULL;
	return rc;
}

int cli_run_headless(struct cli *c, struct job_list *l, struct backend *be)
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
	/* the agg logs are written after the run: their paths are refused now */
	if (backend_load(be, l, err, sizeof(err)) ||
	    (c->bw_log && agglog_check(".", err, sizeof(err)))) {
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
	if (!c->jsonl && cli_emit_results(c, out, outlen))
		rc = 1;
	free(out);
	pthread_sigmask(SIG_SETMASK, &orig, NULL);
	return rc;
}
