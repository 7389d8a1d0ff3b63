/* Reading jobs: fio job files and fio-style command lines.
 *
 * A job file is read through iniparser from a normalized copy (bare keys get
 * "=1", includes are spliced, ${VAR} expanded, section names made unique and
 * case-preserving through a side table), while the original file and line of
 * every key are kept for messages. [global] sections apply to the jobs that
 * follow them, as in fio. numjobs=N is expanded here: the list holds one
 * entry per job instance, with clone index and group number set.
 *
 * Errors read "FILE:LINE: OPTION: reason" (or "command line: OPTION: reason")
 * and, for unknown options, end with "(did you mean 'bs'?)". */
#ifndef IOLAB_JOBFILE_H
#define IOLAB_JOBFILE_H

#include <stddef.h>

#include "options.h"

struct job_spec {
	struct job_opts opts;
	char *section;     /* section name as written (job name default) */
	unsigned clone;    /* 0..numjobs-1 */
	unsigned group;    /* reporting/stonewall group, 0-based */
	char *src_file;    /* where the section was defined, for messages */
	int src_line;
};

struct job_list {
	struct job_spec *jobs;
	size_t nr, cap;
	/* Global options seen last, for re-saving and the editor. */
	struct job_opts global;
};

void job_list_init(struct job_list *l);
void job_list_free(struct job_list *l);

/* Append jobs from @path. Returns 0, or -1 with a message in @err. */
int jobfile_load(struct job_list *l, const char *path, char *err, size_t errlen);
/* Same, from text in memory (@name is used in messages). */
int jobfile_load_text(struct job_list *l, const char *name, const char *text,
		      char *err, size_t errlen);

/* Parse fio-style "--key=value" job options from argv (already stripped of
 * iolab's own flags). Each --name starts a job; options before the first
 * --name are global. Returns 0 or -1 with @err. */
int jobfile_load_args(struct job_list *l, int argc, char **argv, char *err, size_t errlen);

/* Expand numjobs and assign groups (stonewall/new_group). Called once after
 * all loads; validates each job (opts_validate). Returns 0 or -1. */
int job_list_finalize(struct job_list *l, char *err, size_t errlen);

/* Write the jobs back as a fio job file fio itself accepts. */
int jobfile_save(const struct job_list *l, const char *path, char *err, size_t errlen);
/* Same for a single job's options into FILE*. */
void jobfile_write_job(FILE *f, const char *section, const struct job_opts *o);

#endif
