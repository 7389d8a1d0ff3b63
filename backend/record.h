/* Recordings: a run written as JSON Lines while it goes (docs/recording.md).
 *
 * One header line (what ran, where, when), then, as they happen, one "tick"
 * line per job per sampler interval, "mark" lines (knob changes),
 * "runstate" and "error" lines, and at the end one "trailer" line holding
 * the run's fio JSON result. Each batch of lines is written and flushed
 * (write(2), no fsync) as soon as the sampler publishes it, so a process
 * killed with SIGKILL leaves a file whose every complete line is valid and
 * which covers the run to its last tick.
 *
 * Threads: the sampler never writes the file. record_start() writes the
 * header from the caller's thread and starts a recorder thread of its own
 * that polls the sample store (samples_range, samples_marks: the store's
 * mutex for a copy, never a worker's lock) and the jobs' runstates, and
 * does the disk writes; a slow disk stalls only that thread. If it falls
 * more than SAMPLES_LEVEL_CAP ticks behind, the store's rollup wins and the
 * merged samples are written as they are (level > 0), never skipped.
 *
 * Call order: backend_load, backend_start, record_start, ..., backend_wait,
 * record_stop (which writes the samples of the last tick, then the
 * trailer). One recorder per backend run. */
#ifndef IOLAB_RECORD_H
#define IOLAB_RECORD_H

#include <stddef.h>
#include <stdint.h>

struct backend;
struct job_list;
struct recorder;

#define RECORD_FORMAT "iolab-record"
#define RECORD_VERSION 1

/* What the header carries beyond what the backend knows. */
struct record_info {
	int argc;                 /* the command line, verbatim */
	char **argv;
	const char *const *job_files; /* paths of the job files read (text embedded) */
	int nr_job_files;
	const struct job_list *jobs; /* as loaded (for [global]); may be NULL;
				      * must outlive the recorder */
	uint64_t tick_ms;         /* the sampler's interval */
};

/* Open @path for a recording through lib/outfile (a device, FIFO or socket
 * is refused; @path is user-named). "-" means stdout, not closed at the
 * end. Returns the descriptor or -errno with "what: why" in @err. */
int record_open_path(const char *path, const char *what, char *err, size_t errlen);

/* Write the header to @fd and start the recorder thread. @fd is owned by
 * the recorder from here (closed by record_stop unless it is 0..2).
 * Returns 0 or -errno with a message in @err; on failure nothing runs and
 * @fd is closed (unless 0..2). */
int record_start(struct recorder **out, int fd, struct backend *be,
		 const struct record_info *info, char *err, size_t errlen);

/* Stop the thread, write what the store gained since its last pass, then
 * the trailer: @fio_json (the report in fio's JSON format, pretty or not;
 * NULL: none) as one line with fio's normal text of the same report
 * beside it ("normal"), and @stopped_by (a signal name, or NULL when the
 * run ended by itself). Closes the file and frees @r. Returns 0, or the
 * first write error (-errno) met at any time, with a message in @err. */
int record_stop(struct recorder *r, const char *fio_json, const char *stopped_by, char *err,
		size_t errlen);

/* @s (a JSON text) on one line: every blank outside strings removed, in
 * place. Strings keep theirs (a newline inside one is already "\n"). */
void record_compact_json(char *s);

#endif
