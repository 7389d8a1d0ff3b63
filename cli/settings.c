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

char **cli_settings_strip(const struct cli *c, int *argc)
{
	char **v = calloc((size_t)c->argc + 1, sizeof(char *));
	int n = 0;

	if (!v)
		return NULL;
	for (int i = 0; i < c->argc; i++) {
		const char *a = c->argv[i];

		if (!strcmp(a, "--")) {
			while (i < c->argc)
				v[n++] = c->argv[i++];
			break;
		}
		if (!strcmp(a, "--no-settings") || !strncmp(a, "--settings=", 11))
			continue;
		if (!strcmp(a, "--settings")) {
			i++; /* and its value (cli_parse saw it there) */
			continue;
		}
		v[n++] = c->argv[i];
	}
	*argc = n;
	return v;
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

int cli_wbrec_started(void *arg, struct source *src, char *msg, size_t msglen)
{
	struct cli_wbrec *w = arg;
	const char *files[w->c->nfiles + 1];
	struct record_info info;
	int fd;

	msg[0] = '\0';
	w->src = src;
	if (w->rec)
		return 0;
	fd = cli_record_dir_open(w->path, sizeof(w->path), msg, msglen);
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
	snprintf(msg, msglen, "recording %s", strrchr(w->path, '/') + 1);
	return 0;
}

int cli_wbrec_reaped(void *arg, char *msg, size_t msglen)
{
	struct cli_wbrec *w = arg;
	char *json = NULL;
	size_t len = 0;
	FILE *m;
	int rc;

	msg[0] = '\0';
	if (!w->rec)
		return 0;
	/* the trailer holds the run's fio JSON, as a headless recording's */
	m = open_memstream(&json, &len);
	if (m) {
		source_report(w->src, m, REPORT_JSON, &w->l->global);
		fclose(m);
	}
	rc = record_stop(w->rec, m ? json : NULL, NULL, msg, msglen);
	w->rec = NULL;
	free(json);
	if (rc)
		return -1;
	snprintf(msg, msglen, "recorded %s", w->path);
	return 0;
}

void cli_wbrec_end(struct cli_wbrec *w)
{
	char msg[PATH_MAX + 256];

	if (w->rec && cli_wbrec_reaped(w, msg, sizeof(msg)))
		fprintf(stderr, "iolab: recording: %s\n", msg);
	if (w->made)
		fprintf(stderr, "iolab: %u recording%s in %s (the last: %s)\n", w->made,
			w->made == 1 ? "" : "s", settings_get()->record_dir, w->last);
}
