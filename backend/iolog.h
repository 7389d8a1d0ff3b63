/* fio I/O logs: write_iolog records every I/O a job issues, read_iolog
 * replays such a log instead of the job's workload.
 *
 * Format (fio's "trace file format"), one action a line:
 *   v2: first line "fio version 2 iolog", then
 *         FILE add|open|close
 *         FILE read|write|trim|sync|datasync|wait OFFSET LENGTH
 *       (wait: OFFSET microseconds after the previous wait; below 100 is
 *       ignored, as fio does)
 *   v3: first line "fio version 3 iolog"; each line starts with a
 *       timestamp in microseconds from the start of the run; no wait.
 * iolab writes v2 (no timing); it reads v2 and v3. File names carry no
 * blanks (fio's reader splits on them too).
 *
 * Replay (read_iolog=FILE): the job's file list becomes the log's files, in
 * the order they were added (iolog.paths; job->o.filename is left alone
 * since other threads read it); a log file that does not exist is replaced by
 * the job's filename (the i-th of a ':' list, else the last) or, without
 * filename=, by the job's default file name. The job's rw becomes the
 * directions the log uses, its block sizes the largest logged lengths, its
 * region [0, furthest logged byte) of each file, io_size the logged bytes.
 * The I/Os are then issued exactly in log order at the job's iodepth. A
 * timed log (v3, or v2 with wait lines) is replayed at its recorded times
 * scaled by 100 / replay_time_scale, unless replay_no_stall.
 *
 * write_iolog=FILE with numjobs > 1: clone N writes FILE.N.
 *
 * Errors: a bad log is refused before any I/O with "FILE:LINE: why".
 * Functions return 0 or a negative errno unless said otherwise.
 *
 * Threads: everything here is called by the job's worker only. */
#ifndef IOLAB_IOLOG_H
#define IOLAB_IOLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../engines/engine.h"

struct job;
struct job_opts;
struct job_file;

#define IOLOG_MAX_LEN (128u << 20) /* longest I/O a log may ask for */
/* Latest issue time a log may give (a timestamp, or its waits summed):
 * 100 years in microseconds, so times never wrap. */
#define IOLOG_MAX_T_US (100ULL * 36525 * 864 * 1000000)

/* One logged I/O: ddir is enum ddir (DDIR_READ..DDIR_DATASYNC). */
struct iolog_entry {
	uint64_t t_us;   /* issue time from the start of the log (0 when untimed) */
	uint64_t offset;
	uint32_t len;
	uint32_t file;   /* index in iolog.files */
	int ddir;
};

struct iolog {
	unsigned version;        /* 2 or 3 */
	char **files;            /* names as added, in order */
	unsigned nr_files;
	struct iolog_entry *ents;
	size_t nr, cap;
	bool timed;              /* v3, or v2 with a wait of 100 us or more */
	char **paths;            /* replay: where each of the nr_files files is
				  * replayed, read by the worker's file setup (an
				  * array: no list syntax to escape, so any name,
				  * one ending in '\\' too, comes through) */

	/* replay cursor (iolog_replay_next) */
	size_t next;
	uint64_t start_ns;       /* when the first I/O was handed out; 0 before */
	unsigned scale_pct;      /* replay_time_scale */
	bool no_stall;
};

/* Parse a log from @f; @name names it in errors ("NAME:LINE: why").
 * On error @log is left empty (iolog_free not needed). */
int iolog_parse(struct iolog *log, FILE *f, const char *name, char *err, size_t errlen);
/* Open @path and parse it. */
int iolog_load(struct iolog *log, const char *path, char *err, size_t errlen);
void iolog_free(struct iolog *log);

/* The action word for @ddir ("read", ..., "datasync"); NULL if none. */
const char *iolog_ddir_name(int ddir);

/* ---- writing ---- */
struct iolog_writer;

/* Create @path, write the header and an add and an open line for each of
 * @nr @files. The path is opened through lib/outfile (a device, FIFO or
 * socket is refused; @flags: OUTF_NAMED when the user named it exactly).
 * Returns NULL with errno set and, for _flags, "path: why" in @err. */
struct iolog_writer *iolog_writer_open(const char *path, const struct job_file *files,
				       unsigned nr);
struct iolog_writer *iolog_writer_open_flags(const char *path, unsigned flags,
					     const struct job_file *files, unsigned nr,
					     char *err, size_t errlen);
/* One line for @u (read/write/trim/sync/datasync) on u->file. */
void iolog_writer_io(struct iolog_writer *w, const struct io_u *u);
/* Write the close lines, flush and close. Returns 0 or -errno (a failed
 * write anywhere, e.g. -ENOSPC). Frees @w either way. */
int iolog_writer_close(struct iolog_writer *w);

/* ---- worker glue ---- */

/* Before the job's files are set up: read_iolog loads the log and rewrites
 * job->o as described above (job->iolog_replay set). Returns 0 or -errno,
 * job error set. */
int iolog_job_setup(struct job *job, unsigned clone);
/* For a front end's check before a run (any thread): the paths a
 * read_iolog replay of options @o (clone @clone of job @jobname) writes or
 * trims, resolved as iolog_job_setup resolves them. Returns their count
 * with *@out a malloc'd array (job_paths_free; NULL when 0), 0 without
 * read_iolog, or -errno when the log cannot be read (the worker then
 * refuses the job, saying why). */
int iolog_written_paths(const struct job_opts *o, const char *jobname, unsigned clone,
			char ***out);
/* At load, before anything runs: may write_iolog's file (clone @clone)
 * be written? 0, or -errno with "write_iolog=PATH: why" in @err. */
int iolog_output_check(const struct job_opts *o, unsigned clone, char *err, size_t errlen);
/* After the job's files are set up: write_iolog opens its log
 * (job->iolog_writer set). Returns 0 or -errno, job error set. */
int iolog_job_files(struct job *job, unsigned clone);
/* Teardown: closes the writer (job error on a failed write) and frees the
 * replay. Safe to call when neither is set. */
void iolog_job_end(struct job *job);

/* Replay: fill u->ddir, u->file, u->offset, u->buflen with the next logged
 * I/O, waiting for its time when the log is timed. Returns 0, or 1 at the
 * log's end or when the job is told to stop while waiting. The caller
 * issues DDIR_SYNC/DDIR_DATASYNC units as syncs. */
int iolog_replay_next(struct iolog *log, struct job *job, struct io_u *u);

#endif
