/* iolab --replay FILE; see replay.h. */
#include "tui/replay.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend/jobfile.h"
#include "backend/report.h"
#include "backend/source_replay.h"
#include "lib/outfile.h"
#include "tui/tui.h"

static int headless_report(struct source *src, unsigned formats, const char *output)
{
	char *buf = NULL, err[1024], what[600];
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	int rc = 0;

	if (!mem) {
		fprintf(stderr, "iolab: out of memory\n");
		return 1;
	}
	source_report(src, mem, formats ? formats : REPORT_NORMAL, NULL);
	fclose(mem);
	snprintf(what, sizeof(what), "--output=%s", output ? output : "-");
	if (outfile_emit(output, buf, len, what, err, sizeof(err))) {
		fprintf(stderr, "iolab: %s\n", err);
		rc = 1;
	}
	free(buf);
	return rc;
}

int replay_main(const char *path, bool headless, unsigned formats, const char *output)
{
	struct source *src;
	struct job_list l;
	char err[1024];
	int rc;

	if (source_replay_new(path, &src, err, sizeof(err))) {
		fprintf(stderr, "iolab: --replay: %s\n", err);
		return 1;
	}
	if (!headless && (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))) {
		fprintf(stderr, "iolab: not a terminal; printing the recording's report "
				"(--headless says so and silences this note)\n");
		headless = true;
	}
	if (headless) {
		source_replay_wait(src);
		if (source_replay_note(src)[0])
			fprintf(stderr, "iolab: --replay: %s\n", source_replay_note(src));
		rc = headless_report(src, formats, output);
		source_free(src);
		return rc;
	}
	/* the recorded jobs in the editor (to read, or to save as a job file) */
	job_list_init(&l);
	if (jobfile_load_text(&l, path, source_replay_jobtext(src), err, sizeof(err)))
		job_list_init(&l);
	{
		struct tui_args ta = { .src = src, .jobs = &l };

		rc = tui_run(&ta);
	}
	if (source_replay_loaded(src) && source_replay_note(src)[0])
		fprintf(stderr, "iolab: --replay: %s\n", source_replay_note(src));
	source_free(src);
	job_list_free(&l);
	return rc;
}
