/* The device guard: the one place that decides what iolab may open as a job
 * target, and whether it may write a block device. The worker (setup_files,
 * then every engine's open through engine_generic_open), diagnose and the
 * TUI's confirmation all ask here; nobody keeps a list of their own.
 *
 * Kinds of target (devguard_check_kind):
 *   - regular files and block devices;
 *   - the memory character devices /dev/null, /dev/zero, /dev/full,
 *     /dev/random and /dev/urandom (major 1), which fio users read and write
 *     to measure the tool itself; opening them has no side effect;
 *   - nothing else. A FIFO blocks open() until a peer shows up (and then
 *     ends any run early), a socket cannot be opened, a directory holds no
 *     data, and opening other character devices has side effects or reaches
 *     hardware (a tty, /dev/watchdog arms a reboot, /dev/mem, /dev/sg*).
 *
 * Writing a block device (devguard_may_write) is refused when it is in use:
 * it or a partition of it is mounted (/proc/self/mountinfo) or swapped on
 * (/proc/swaps), sysfs lists holders (device mapper, md, bcache ...), it has
 * partitions, the kernel holds it exclusively (a mount in another
 * namespace), or libblkid finds a filesystem, RAID, crypto or other
 * superblock or a partition table on it. The job option allow_mounted_write=1
 * (and diagnose's own check before it runs) is the only way past it.
 *
 * No state; every function may be called from any thread. */
#ifndef IOLAB_DEVGUARD_H
#define IOLAB_DEVGUARD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

/* May a file of @st's kind be a job target? Returns 0, or -errno (EISDIR,
 * ENXIO for a FIFO or socket, EPERM for a character device not listed above)
 * with @why completing "PATH: " ("is a FIFO; ..."). */
int devguard_check_kind(const struct stat *st, char *why, size_t len);

/* May a file found (lstat) at a target path the user did not type, in a
 * world-writable directory (job_file.nofollow), be used? Anyone may plant
 * a name there: a symlink is refused (-ELOOP), and so is a regular file
 * that is not ours alone (another owner, or hard links to it: -EPERM), as
 * the kernel's protected_symlinks/hardlinks/regular would. Returns 0 or
 * -errno with @why completing "PATH: ". */
int devguard_check_shared(const struct stat *lst, char *why, size_t len);

/* Opens job target @path with @flags (access mode, O_CREAT, O_DIRECT, ...)
 * plus O_CLOEXEC and O_NONBLOCK, so that nothing can block in open(): the
 * kind is checked on the path first (so a FIFO or a device with side effects
 * is never opened), then again with fstat on the descriptor, which decides.
 * When @want is non-NULL (what setup_files saw), the opened file must be the
 * same one: same kind, same st_dev/st_ino (regular file) or st_rdev
 * (device); a path swapped in between is refused with -ESTALE. Symlinks are
 * followed: the user named the path (/dev/disk/by-id/... are links),
 * unless @flags holds O_NOFOLLOW (a path the user did not name, in a
 * world-writable directory): then a symlink is refused with the reason,
 * and what is found must pass devguard_check_shared.
 * O_NONBLOCK is cleared before returning. Returns the descriptor with @st
 * filled (when non-NULL), or -errno with "PATH: why (hint)" in @err. */
int devguard_open(const char *path, int flags, mode_t mode, const struct stat *want,
		  struct stat *st, char *err, size_t errlen);

/* Is the block device open on @fd (named @path in messages) in use? See the
 * top of this file for what counts. Returns 1 with @why a clause naming it
 * ("/dev/loop3 holds a LUKS encrypted volume (crypto_LUKS, found by
 * libblkid)", "/dev/loop3 is mounted on /mnt"), 0 when free, or -errno when
 * it cannot be told (callers must treat that as in use). */
int devguard_blkdev_in_use(int fd, const char *path, char *why, size_t len);

/* The same for a path: -ENOTBLK when @path is not a block device. */
int devguard_blkdev_in_use_path(const char *path, char *why, size_t len);

/* May iolab write the block device open on @fd? Returns 0, or a negative
 * errno (-EBUSY when in use) with the whole refusal in @msg: "<why>;
 * refusing to write to it (@hint)". */
int devguard_may_write(int fd, const char *path, const char *hint, char *msg, size_t len);

/* What libblkid's low-level probe finds on @fd (a device or an image file):
 * superblocks of any usage (filesystem, raid, crypto, other; bad checksums
 * count too) and partition tables. Returns 1 with @what ("a LUKS encrypted
 * volume (crypto_LUKS, found by libblkid)"), 0 when nothing is found, or
 * -errno when the probe fails. */
int devguard_probe_signature(int fd, char *what, size_t len);

#endif
