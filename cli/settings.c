/* The command line's side of the settings file (tui/settings.h): loading
 * it for the modes that use it, --show-settings, the argv the modes that
 * parse their own see, and the recordings the [record] dir asks for, from
 * headless runs (headless.c) and from the workbench (cli_wbrec_*). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "backend/jobfile.h"
#include "backend/record.h"
#include "backend/report.h"
#include "backend/source.h"
#include "cli/cli.h"
#include "lib/outfile.h"
#include "tui/settings.h"

int cli_settings_load(struct cli *c)
{
	char err[PATH_MAX + 512];

	/* what prints only the binary's own tables reads no settings: a bad
	 * file must not stop `make install` from generating the manual */
	if (c->mode == mode_help || c->mode == mode_version || c->mode == mode_man ||
	    c->mode == mode_completion)
		return 0;
	if (settings_load(c->settings_path, c->no_settings, err, sizeof(err))) {
		fprintf(stderr, "iolab: settings: %s\n", err);
		fprintf(stderr, "iolab: fix the file, or run with --no-settings or --settings FILE\n");
		return -1;
	}
	if (c->status_interval_set) {
		struct settings *s = settings_mut();

		s->sample_ms = c->status_interval_ms;
		snprintf(s->origin[SET_SAMPLE_INTERVAL], sizeof(s->origin[0]),
			 "command line (--status-interval)");
	}
	return 0;
}

int mode_show_settings(struct cli *c)
{
	if (c->nfiles || c->njobargs > 1) {
		fprintf(stderr, "iolab: --show-settings takes no job files or job options\n");
		return 1;
	}
	settings_print(stdout, settings_get());
	return 0;
}

int cli_record_dir_open(char *path, size_t pathlen, char *err, size_t errlen)
{
	const struct settings *s = settings_get();
	char prefix[64], what[PATH_MAX + 64], *made = NULL;
	time_t now = time(NULL);
	struct tm tm;
	int fd;

	if (!s->record_dir[0])
		return 0;
	/* checked at load; again now (it may have changed since), as every
	 * directory iolab writes into */
	snprintf(what, sizeof(what), "[record] dir = %s", s->record_dir);
	fd = outfile_check_link_owner(s->record_dir, true, what, err, errlen);
	if (fd)
		return fd;
	localtime_r(&now, &tm);
	strftime(prefix, sizeof(prefix), "iolab-%Y%m%d-%H%M%S-", &tm);
	fd = outfile_create_new(s->record_dir, prefix, ".jsonl", &made, "a recording", err,
			       errlen);
	if (fd < 0)
		return fd;
	snprintf(path, pathlen, "%s", made);
	free(made);
	return fd;
}

/* ------------------------------------------- the workbench's recordings */

/* The file for the next recording: --record FILE (its first run; later
 * runs FILE with "-2", "-3"... before the extension, never one over
 * another), else a new file in the [record] dir, else, when the record
 * key asked, a new file in the current directory. Returns the descriptor
 * with the path in w->path, 0 when nothing asks for a recording, or -errno
 * with "what: why" in @err. */
static int wbrec_open(struct cli_wbrec *w, char *err, size_t errlen)
{
	char what[PATH_MAX + 64], *made = NULL, prefix[64];
	time_t now = time(NULL);
	struct tm tm;
	int fd;

	if (w->c->record) {
		const char *f = w->c->record, *slash = strrchr(f, '/'), *dot = strrchr(f, '.');

		if (!w->file_runs)
			snprintf(w->path, sizeof(w->path), "%s", f);
		else if (dot && dot > (slash ? slash : f) && dot != (slash ? slash + 1 : f))
			snprintf(w->path, sizeof(w->path), "%.*s-%u%s", (int)(dot - f), f,
				 w->file_runs + 1, dot);
		else
			snprintf(w->path, sizeof(w->path), "%s-%u", f, w->file_runs + 1);
		snprintf(what, sizeof(what), "--record=%s", w->path);
		fd = record_open_path(w->path, what, err, errlen);
		if (fd >= 0)
			w->file_runs++;
		return fd;
	}
	fd = cli_record_dir_open(w->path, sizeof(w->path), err, errlen);
	if (fd || !w->armed)
		return fd;
	localtime_r(&now, &tm);
	strftime(prefix, sizeof(prefix), "iolab-%Y%m%d-%H%M%S-", &tm);
	fd = outfile_create_new(".", prefix, ".jsonl", &made, "a recording", err, errlen);
	if (fd < 0)
		return fd;
	snprintf(w->path, sizeof(w->path), "%s", made);
	free(made);
	return fd;
}

static int wbrec_begin(struct cli_wbrec *w, char *msg, size_t msglen)
{
	const char *files[w->c->nfiles + 1];
	struct record_info info;
	int fd = wbrec_open(w, msg, msglen);

	if (fd <= 0)
		return fd;
	cli_record_info(w->c, w->l, w->tick_ms, files, &info);
	if (record_start(&w->rec, fd, w->be, &info, msg, msglen)) {
		w->rec = NULL;
		return -1;
	}
	snprintf(w->last, sizeof(w->last), "%s", w->path);
	w->made++;
	/* the name only: the footer has room for it, the directory is the
	 * settings' (said again on leaving) */
	snprintf(msg, msglen, "recording %s",
		 strrchr(w->path, '/') ? strrchr(w->path, '/') + 1 : w->path);
	return 0;
}

/* The jsonl stream (--output-format=jsonl --output FILE): every run's
 * lines, one run after another, each from its header. */
static int wbrec_stream(struct cli_wbrec *w, char *msg, size_t msglen)
{
	const char *files[w->c->nfiles + 1];
	struct record_info info;
	char what[PATH_MAX + 64];
	int fd;

	if (!w->c->jsonl || w->srec)
		return 0;
	snprintf(what, sizeof(what), "--output=%s", w->c->output);
	fd = outfile_open(w->c->output, OUTF_NAMED | (w->streams ? OUTF_APPEND : 0), 0666, what,
			  msg, msglen);
	if (fd < 0)
		return -1;
	cli_record_info(w->c, w->l, w->tick_ms, files, &info);
	if (record_start(&w->srec, fd, w->be, &info, msg, msglen)) {
		w->srec = NULL;
		return -1;
	}
	w->streams++;
	return 0;
}

int cli_wbrec_started(void *arg, struct source *src, char *msg, size_t msglen)
{
	struct cli_wbrec *w = arg;
	char note[PATH_MAX + 256] = "";

	msg[0] = '\0';
	w->src = src;
	if (wbrec_stream(w, msg, msglen))
		return -1;
	if (w->rec || w->off)
		return 0;
	if (wbrec_begin(w, note, sizeof(note)) < 0) {
		snprintf(msg, msglen, "%s", note);
		return -1;
	}
	w->armed = false;
	snprintf(msg, msglen, "%s", note);
	return 0;
}

/* Stop recorder *@rp with the run's fio JSON so far in its trailer. */
static int wbrec_stop(struct cli_wbrec *w, struct recorder **rp, char *msg, size_t msglen)
{
	char *json = NULL;
	size_t len = 0;
	FILE *m;
	int rc;

	/* the trailer holds the run's fio JSON, as a headless recording's */
	m = open_memstream(&json, &len);
	if (m) {
		source_report(w->src, m, REPORT_JSON, &w->l->global);
		fclose(m);
	}
	rc = record_stop(*rp, m ? json : NULL, NULL, msg, msglen);
	*rp = NULL;
	free(json);
	return rc ? -1 : 0;
}

int cli_wbrec_reaped(void *arg, char *msg, size_t msglen)
{
	struct cli_wbrec *w = arg;

	msg[0] = '\0';
	if (w->srec && wbrec_stop(w, &w->srec, msg, msglen))
		return -1;
	if (!w->rec)
		return 0;
	if (wbrec_stop(w, &w->rec, msg, msglen))
		return -1;
	snprintf(msg, msglen, "recorded %s", w->path);
	return 0;
}

int cli_wbrec_toggle(void *arg, struct source *src, bool running, char *msg, size_t msglen)
{
	struct cli_wbrec *w = arg;
	int rc;

	msg[0] = '\0';
	w->src = src;
	if (w->rec) {
		if (wbrec_stop(w, &w->rec, msg, msglen))
			return -1;
		w->off = true;
		snprintf(msg, msglen, "recording stopped: %s", w->path);
		return 0;
	}
	if (w->armed || (!running && !w->off)) {
		/* armed, or a run would record anyway ([record] dir, --record) */
		bool would = w->armed || w->c->record || settings_get()->record_dir[0];

		w->armed = false;
		w->off = would;
		if (would) {
			snprintf(msg, msglen, "the next run will not be recorded");
			return 0;
		}
	}
	w->off = false;
	if (!running) {
		w->armed = true;
		snprintf(msg, msglen, "the next run will be recorded");
		return 1;
	}
	w->armed = true; /* a file in the current directory when nothing else is set */
	rc = wbrec_begin(w, msg, msglen);
	w->armed = false;
	return rc < 0 ? -1 : 1;
}

bool cli_wbrec_recording(void *arg)
{
	const struct cli_wbrec *w = arg;

	return w->rec != NULL;
}

void cli_wbrec_end(struct cli_wbrec *w)
{
	char msg[PATH_MAX + 256];

	if ((w->rec || w->srec) && cli_wbrec_reaped(w, msg, sizeof(msg)))
		fprintf(stderr, "iolab: recording: %s\n", msg);
	if (w->made) {
		const char *slash = strrchr(w->last, '/');
		int dl = slash ? (int)(slash - w->last) : 1;

		fprintf(stderr, "iolab: %u recording%s in %.*s (the last: %s)\n", w->made,
			w->made == 1 ? "" : "s", dl, slash ? w->last : ".", w->last);
	}
}
