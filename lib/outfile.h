/* Every file iolab writes besides a job's targets: reports (--output),
 * iologs, fio logs, verify state, saved job files, diagnose reports, and the
 * scratch files iolab makes for itself. One place decides what may be
 * written and how, so that iolab, running as root next to other people's
 * data, never writes through a device node or a planted symlink.
 *
 * The rules:
 *  - An output is a regular file. A path that is a block or character
 *    device, a FIFO, a socket or a directory is refused with the reason
 *    ("--output=/dev/loop3: is a block device; ..."), checked on the path
 *    before anything is opened and again on the opened descriptor (a path
 *    swapped in between is caught; nothing is written or truncated before
 *    the descriptor is known to be a regular file). Stdout is the caller's
 *    business: outfile_is_stdout() names the spellings that mean it.
 *  - OUTF_NAMED: the user named this exact path; a symlink there is theirs
 *    and is followed. Without it (a name iolab derived: "<prefix>_bw.1.log",
 *    "<iolog>.<clone>") a path in a world-writable directory is opened
 *    O_NOFOLLOW, and a symlink found there is refused, and so is a file
 *    there that is not ours alone (another owner, other hard links).
 *  - Atomic replacement writes a temporary beside the target, created
 *    O_CREAT|O_EXCL|O_NOFOLLOW with a random name ("<path>.tmp.XXXXXX") and
 *    mode 0600, then fsyncs it, gives it its final mode and renames it over
 *    the target. Readers see the old file or the new one, never half.
 *  - Scratch files are created the same way ("<dir>/<prefix>XXXXXX<suffix>",
 *    0600) and removed only while the path still names the file created
 *    (same device and inode, a regular file).
 *
 * Errors: functions return 0 (or a descriptor) or -errno, and write
 * "<what>: <why>" into @err when it is not NULL. @what is the caller's
 * label for the path ("--output=out.json", "write_bw_log: a_bw.1.log");
 * NULL means the path itself. Every function is thread-safe (the one
 * shared state, the list of scratch files made, is behind a lock). */
#ifndef IOLAB_OUTFILE_H
#define IOLAB_OUTFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

enum outfile_flags {
	OUTF_NAMED  = 1 << 0, /* the user named this exact path: follow a symlink */
	OUTF_APPEND = 1 << 1, /* outfile_open: append; else truncate */
};

/* True for the names that mean standard output: "-" and "/dev/stdout". */
bool outfile_is_stdout(const char *path);

/* Why the file type @mode is no place for output ("is a block device"), or
 * NULL for a regular file. */
const char *outfile_type_refusal(mode_t mode);

/* May @path be written as an output under @flags? 0 when it is a regular
 * file (after a symlink when OUTF_NAMED) or does not exist in a directory
 * we may write; -EINVAL (a device, FIFO, socket), -EISDIR, -ELOOP (a
 * symlink iolab would not follow), or another -errno from stat/access. Opens nothing: the check to run at load,
 * before any I/O, so a bad path is refused up front. */
int outfile_check(const char *path, unsigned flags, const char *what, char *err,
		  size_t errlen);

/* Open @path for writing (created with @mode under the umask, truncated
 * unless OUTF_APPEND), refusing what outfile_check refuses. Returns the
 * descriptor (O_CLOEXEC, blocking) or -errno. */
int outfile_open(const char *path, unsigned flags, mode_t mode, const char *what, char *err,
		 size_t errlen);

/* True when directory @dir (or the directory holding @path, with
 * outfile_in_shared_dir) may be written by anyone (S_IWOTH). */
/* Is @dir /dev or under it (after links), /dev/shm excepted; is @path's
 * directory? A name missing there is a device that is not present: no
 * file iolab writes is ever created there. */
bool outfile_dir_is_dev(const char *dir);
bool outfile_path_in_dev(const char *path);
bool outfile_dir_shared(const char *dir);
bool outfile_in_shared_dir(const char *path);

/* A path the user named is followed when it is a symlink, but not one
 * another user planted in a sticky world-writable directory: what the
 * kernel's fs.protected_symlinks refuses (the link is neither ours nor the
 * directory owner's), refused here whatever that sysctl says. Every
 * directory component of @path is judged (/tmp/logs planted as a link
 * makes /tmp/logs/run_bw.1.log land where the planter chose), and the
 * last one too when @last. Returns 0, or -ELOOP with "<what>: ... is a
 * symbolic link owned by uid N in ..." in @err. */
int outfile_check_link_owner(const char *path, bool last, const char *what, char *err,
			     size_t errlen);

/* ---- atomic replacement ---- */

struct outfile_atomic {
	char *path;  /* the target */
	char *tmp;   /* the temporary beside it */
	FILE *f;     /* write here ("w+b": seekable, readable back) */
	mode_t mode; /* given to the file before the rename */
	char what[256];
};

/* Start replacing @path: checks it (outfile_check with @flags), creates
 * the temporary. On success write to a->f, then outfile_atomic_commit() or
 * outfile_atomic_abort(). The new file gets the old file's permission bits,
 * or 0666 under the umask when there was none. Returns 0 or -errno. */
int outfile_atomic_begin(struct outfile_atomic *a, const char *path, unsigned flags,
			 const char *what, char *err, size_t errlen);
/* Flush, fsync, close and rename over the target. Any failure on the way
 * (a write error kept by the FILE, ENOSPC at flush, EIO at fsync or close)
 * is returned and the temporary removed; the target is then untouched.
 * Returns 0 or -errno; @a is released either way. */
int outfile_atomic_commit(struct outfile_atomic *a, char *err, size_t errlen);
/* Drop the temporary; the target is untouched. Safe after a failed begin. */
void outfile_atomic_abort(struct outfile_atomic *a);

/* @len bytes of @buf to @path through begin/commit. Returns 0 or -errno. */
int outfile_replace(const char *path, unsigned flags, const void *buf, size_t len,
		    const char *what, char *err, size_t errlen);

/* The whole of @buf (@len bytes) where a front end's results go: to @path
 * through outfile_replace (OUTF_NAMED; @what names it in messages), or to
 * standard output when @path is NULL or outfile_is_stdout(@path), after
 * what stdio holds for it (write(2), EINTR retried). A reader that went
 * away is -EPIPE only where SIGPIPE is ignored (the caller's choice).
 * Returns 0 or -errno with "what: why" in @err. */
int outfile_emit(const char *path, const void *buf, size_t len, const char *what, char *err,
		 size_t errlen);

/* ---- scratch files ---- */

struct outfile_scratch {
	char *path; /* NULL when none */
	dev_t dev;
	ino_t ino;
};

/* Create a new empty file "<dir>/<prefix>XXXXXX<suffix>" (X: random
 * letters and digits) with O_CREAT|O_EXCL|O_NOFOLLOW, mode 0600; @dir NULL
 * or "" means $TMPDIR, else /tmp. s->path gets its name (malloc'd). Returns
 * 0 or -errno. */
int outfile_scratch_create(struct outfile_scratch *s, const char *dir, const char *prefix,
			   const char *suffix, char *err, size_t errlen);
/* Create a new empty file "<dir>/<prefix>XXXXXX<suffix>" as
 * outfile_scratch_create does (O_CREAT|O_EXCL|O_NOFOLLOW, 0600, a random
 * name never used before), for a file that stays: a recording left in a
 * directory. *@path gets its name (malloc'd; NULL on failure). Returns the
 * descriptor (O_RDWR, O_CLOEXEC) or -errno with "<path>: cannot create
 * @noun: why" in @err. */
int outfile_create_new(const char *dir, const char *prefix, const char *suffix, char **path,
		       const char *noun, char *err, size_t errlen);
/* Remember @fd (open on @path, which iolab created) as a scratch file.
 * Until outfile_scratch_remove, outfile_scratch_made() knows @path by its
 * device and inode. */
int outfile_scratch_adopt(struct outfile_scratch *s, const char *path, int fd);
/* Is @path (repeated slashes aside) a scratch file iolab made and still
 * holds (adopted, not removed)? Then *@dev and *@ino are the file made:
 * whatever now has that name is used only if it is that file. A job opens
 * a scratch file by name long after making it, and in a world-writable
 * directory without the sticky bit anyone may rename a link or a hard link
 * over it meanwhile (the sticky bit, the kernel's protected_symlinks, only
 * guard sticky directories). */
bool outfile_scratch_made(const char *path, dev_t *dev, ino_t *ino);
/* A scratch file at @path was made again (O_EXCL, after a job removed it):
 * it is now the file with @dev and @ino. No-op for another path. */
void outfile_scratch_renew(const char *path, dev_t dev, ino_t ino);
/* @a and @b name the same path but for repeated slashes ("/tmp//x"). */
bool outfile_same_path(const char *a, const char *b);
/* Remove the scratch file if @path still names it (a regular file, same
 * device and inode), and release @s. Returns 0, -ESTALE when the path now
 * names something else (left alone), or -errno from unlink. A NULL path is
 * a no-op. */
int outfile_scratch_remove(struct outfile_scratch *s);

/* ---- files iolab reads ---- */

/* Open @path (read_iolog, verify state) for reading, as a FILE ("r"). Only
 * a regular file (after symlinks) is opened: anything else is refused with
 * the reason before open() (a FIFO would block it until a writer came,
 * past any stop; some character devices act on open), and checked again
 * on the descriptor, which is opened O_NONBLOCK so a FIFO swapped in
 * between cannot block either. Returns the FILE, or NULL with errno set
 * and "<what>: <why>" in @err. */
FILE *infile_open(const char *path, const char *what, char *err, size_t errlen);

/* ---- identity ---- */

/* Unlink @path only if it is a regular file with device @dev and inode
 * @ino (lstat: a symlink planted in its place is not followed or removed).
 * Returns 0, -ESTALE when it is something else now, or -errno. */
int outfile_unlink_if_same(const char *path, dev_t dev, ino_t ino);

#endif
