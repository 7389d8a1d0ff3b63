/* Reading jobs: fio job files and fio-style command lines.
 *
 * A job file is read line by line into a side table (bare keys get "1",
 * includes are spliced, ${VAR} expanded, section names kept as written,
 * repeated and mixed-case ones too) that keeps the file and line of every
 * key for messages. [global] sections apply to the jobs that follow them,
 * as in fio. numjobs=N is expanded here: the list holds one entry per job
 * instance, with clone index and group number set. Loading is linear in the
 * text read.
 *
 * Errors read "FILE:LINE: OPTION: reason" (or "command line: OPTION: reason")
 * and, for unknown options, end with "(did you mean 'bs'?)". A load that
 * fails appends nothing.
 *
 * Syntax as fio 3.33 reads it: a line is cut at its first ';' or '#';
 * "include FILE" is relative to the including file (16 levels at most, 1024
 * includes and 32 MiB read in all per load; a file included inside a
 * section may not start sections); ${VAR} must be set and may not hold a
 * control character (a newline in it would start another option); kb_base
 * applies to its whole section. Refused: unknown options, unknown engines,
 * malformed section headers, keys outside a section, out-of-range values,
 * NUL or control bytes, lines over 1000 characters, files without a job.
 * Extension: ";@iolab key=value" is read as key=value (fio skips it as a
 * comment); jobfile_save writes options fio does not know that way.
 *
 * Threads: loads may run on several threads at once (no global state). */
#ifndef IOLAB_JOBFILE_H
#define IOLAB_JOBFILE_H

#include <stddef.h>

#include "options.h"

/* Jobs in a list after numjobs clones, at most (fio's limit too). */
#define JOBS_MAX 4096

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
	/* Warnings from loading, one per line ("FILE:LINE: gtod_reduce:
	 * accepted for fio compatibility, no effect (...)"), or NULL. The
	 * caller shows them; loading goes on. At most 64, then one line
	 * saying the rest were left out. */
	char *warnings;
	unsigned nwarnings;
	/* fio's --section: when set (NULL-terminated, owned by the caller),
	 * loads keep only the job sections named here; [global] sections
	 * always apply. Skipped sections are not parsed, as in fio. */
	const char *const *sections;
};

/* The name front ends show for @s: its job name (name=, else the section),
 * followed by ".N" for clone N of numjobs > 1, numbered from 0 as fio
 * numbers clones in write_iolog file names: "capped.0" .. "capped.7". */
void job_spec_label(const struct job_spec *s, char *buf, size_t len);

void job_list_init(struct job_list *l);
void job_list_free(struct job_list *l);

/* Append jobs from @path. Returns 0, or -1 with a message in @err. */
int jobfile_load(struct job_list *l, const char *path, char *err, size_t errlen);
/* Same, from text in memory (@name is used in messages). */
int jobfile_load_text(struct job_list *l, const char *name, const char *text,
		      char *err, size_t errlen);

/* Parse fio-style "--key=value" job options from argv (already stripped of
 * iolab's own flags; argv[0] is skipped). "--key" alone is a bare key. Each
 * --name starts a job (--name=global a global section); options before the
 * first --name are global: they apply to the jobs that follow and fill in
 * options that jobs loaded earlier (from files) left unset. Returns 0 or -1
 * with @err. */
int jobfile_load_args(struct job_list *l, int argc, char **argv, char *err, size_t errlen);

/* Expand numjobs and assign groups (stonewall/new_group). Called once after
 * all loads; validates each job (opts_validate). Returns 0 or -1.
 * Clones are deep copies that keep the section name, numjobs and group of
 * their parent. As fio: a stonewall/new_group job opens a new group unless
 * the current one is empty; iodepth_batch_submit/_complete_max above
 * iodepth are capped to it; wait_for must name an earlier job. Bare log
 * options (write_bw_log with no value) get the job's name. Calling it
 * again re-checks without cloning twice. */
int job_list_finalize(struct job_list *l, char *err, size_t errlen);

/* Write the jobs back as a fio job file fio itself accepts (clones are
 * written once, with numjobs; each job is self-contained, no [global]).
 * Written through lib/outfile's atomic replacement (a device or FIFO is
 * refused; a random temporary beside it, renamed). Returns 0 or -1 with
 * @err. */
int jobfile_save(const struct job_list *l, const char *path, char *err, size_t errlen);
/* Same for a single job's options into FILE*: "[section]" then the
 * options opt_shown() picks ("name" only when it differs from @section);
 * iolab-only options, io_uring options under another engine and
 * verify_state_* paths go on ";@iolab" lines. */
void jobfile_write_job(FILE *f, const char *section, const struct job_opts *o);

#endif
