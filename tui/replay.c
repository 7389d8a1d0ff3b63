/* The workbench on a recording (iolab --replay FILE); see replay.h. */
#include "tui/replay.h"

#include "backend/jobfile.h"
#include "backend/source_replay.h"
#include "tui/tui.h"

int tui_replay(struct source *src, const char *path, struct source *base)
{
	struct job_list l;
	char err[1024];
	int rc;

	/* the recorded jobs in the editor (to read, or to save as a job file) */
	job_list_init(&l);
	if (jobfile_load_text(&l, path, source_replay_jobtext(src), err, sizeof(err))) {
		/* fio's logs carry no job text: an empty editor */
		job_list_free(&l);
		job_list_init(&l);
	}
	{
		struct tui_args ta = { .src = src, .jobs = &l, .baseline = base };

		rc = tui_run(&ta);
	}
	job_list_free(&l);
	return rc;
}
