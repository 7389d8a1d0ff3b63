/* Shipped job profiles: documented fio job files compiled into the binary.
 *
 * The profiles live in profiles/NAME.fio; scripts/embed_profiles.sh turns them
 * into `profiles_data[]` at build time (build/gen/profiles_data.c), so
 * `iolab --profile NAME` works from any directory. A profile names no
 * target: profile_load() points it at the file the caller gives or at a
 * scratch file in $TMPDIR, never at a device.
 *
 * How the CLI uses it (cli/jobs.c):
 *
 *   iolab --list-profiles          -> profiles_print(stdout); exit 0
 *   iolab [--headless] --profile NAME [--key=value ...]
 *       struct job_list l; job_list_init(&l);
 *       profile_load(&l, NAME, value of --filename or NULL, err, len);
 *       profile_apply_args(&l, argc', argv', err, len);  // leftover --key=value
 *       job_list_finalize(&l, err, len);
 *
 * Command-line options override the profile: profile_apply_args() sets each
 * --key=value on every job of the profile (and on its [global] copy).
 *
 * All functions are plain data lookups or job-list edits; call them from
 * one thread at a time. */
#ifndef IOLAB_PROFILES_H
#define IOLAB_PROFILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct job_list;

struct profile {
	const char *name;        /* file name without ".fio", e.g. "randread-4k-qd1" */
	const char *description; /* one line, from the file's header comment */
	const char *text;        /* the whole job file */
};

/* Generated from profiles/NAME.fio (scripts/embed_profiles.sh); sorted by name,
 * followed by a { NULL } sentinel not counted in profiles_data_count. */
extern const struct profile profiles_data[];
extern const size_t profiles_data_count;

/* Every shipped profile, sorted by name; *n gets the count. */
const struct profile *profiles_list(size_t *n);
/* The profile called @name ("name" or "name.fio", case-insensitive), or NULL. */
const struct profile *profile_find(const char *name);

/* The scratch file a profile runs on when given no filename:
 * "$TMPDIR/iolab-NAME.dat" ($TMPDIR unset or empty: /tmp). Returns 0, or
 * -ENAMETOOLONG if it does not fit in @len. */
int profile_scratch_path(char *buf, size_t len, const char *name);

/* Give the jobs of @l that run on profile @name's scratch file (the
 * profile_scratch_path name, as profile_load and the default job set it) a
 * new scratch file of their own instead: "$TMPDIR/iolab-NAME.XXXXXX.dat",
 * created O_CREAT|O_EXCL|O_NOFOLLOW, mode 0600 (lib/outfile), so a file or
 * symlink planted at the fixed name in a shared $TMPDIR is never opened.
 * The file is remembered; profile_scratch_cleanup() removes it. Nothing is
 * made when no job names the scratch path (--filename given). Call on a
 * run; --parse-only and --dry-run call profile_plan_scratch. Returns 0, or
 * -1 with @err. */
int profile_make_scratch(struct job_list *l, const char *name, char *err, size_t errlen);
/* What profile_make_scratch will do, for --parse-only and --dry-run, so the
 * plan shown is the run's: the same jobs get the name template
 * "$TMPDIR/iolab-NAME.XXXXXX.dat" instead, which is remembered (nothing is
 * created, nothing at the fixed name is looked at); the worker's plan then
 * describes a new scratch file rather than stat()ing that path. Returns 0
 * or -1 with @err. */
int profile_plan_scratch(struct job_list *l, const char *name, char *err, size_t errlen);
/* Is @path a template profile_plan_scratch set (not a file: the name the
 * run will give a new scratch file)? Any thread. */
bool profile_scratch_planned(const char *path);
/* Remove every scratch file profile_make_scratch made that still is the
 * file it made (same inode, a regular file). Safe to call more than once,
 * from atexit, from any one thread. */
void profile_scratch_cleanup(void);
/* With @keep, cleanup and drop_unused forget the scratch files instead of
 * removing them (iolab --keep); the front end says where they are. */
void profile_scratch_keep(bool keep);
/* Whether @path is a scratch file profile_make_scratch made (and still
 * remembers), for a front end to say so. */
bool profile_scratch_owns(const char *path);
/* The scratch files remembered, one path a line, into @buf; returns how
 * many there are. */
size_t profile_scratch_paths(char *buf, size_t len);
/* Remove (or, kept, forget) the scratch files no job of @l names any more:
 * the workbench calls it after loading other jobs, while nothing runs. */
void profile_scratch_drop_unused(const struct job_list *l);

/* Append the jobs of profile @name to @l (through jobfile_load_text, so
 * ${VAR} and every option are handled as in a job file). Each job gets
 * @filename_override when it is not NULL; else a job that names no
 * filename (nor directory) gets the profile's scratch file. Does not call
 * job_list_finalize(): the caller applies overrides first, then finalizes.
 * Returns 0, or -1 with a message in @err (an unknown name lists the
 * closest names and points to --list-profiles). */
int profile_load(struct job_list *l, const char *name, const char *filename_override,
		 char *err, size_t errlen);

/* Set option @key to @val (job-file syntax; NULL for a bare key) on every
 * job in @l and on l->global. Returns 0, or -1 with "command line: KEY:
 * reason" in @err. */
int profile_override(struct job_list *l, const char *key, const char *val,
		     char *err, size_t errlen);
/* profile_override() for each "--key=value" / "--key" in argv[0..argc-1]
 * (leftover fio-style options after iolab's own flags are removed).
 * Returns 0, or -1 with @err naming the first bad argument. */
int profile_apply_args(struct job_list *l, int argc, char **argv, char *err, size_t errlen);

/* `iolab --list-profiles`: one line per profile, name then description,
 * the descriptions aligned in one column, and a closing hint line. */
void profiles_print(FILE *f);

#endif
