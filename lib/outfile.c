/* Guarded output, atomic replacement and scratch files; see outfile.h. */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "errmsg.h"

#define RAND_CHARS 6
#define NAME_TRIES 100


bool outfile_is_stdout(const char *path)
{
	return path && (!strcmp(path, "-") || !strcmp(path, "/dev/stdout"));
}

const char *outfile_type_refusal(mode_t mode)
{
	if (S_ISREG(mode))
		return NULL;
	if (S_ISBLK(mode))
		return "is a block device";
	if (S_ISCHR(mode))
		return "is a character device";
	if (S_ISFIFO(mode))
		return "is a FIFO";
	if (S_ISSOCK(mode))
		return "is a socket";
	if (S_ISDIR(mode))
		return "is a directory";
	if (S_ISLNK(mode))
		return "is a symbolic link";
	return "is not a regular file";
}

/* The directory holding @path, in @buf. Returns 0 or -ENAMETOOLONG. */
static int dir_of(const char *path, char *buf, size_t len)
{
	const char *slash = strrchr(path, '/');
	size_t n;

	if (!slash)
		return snprintf(buf, len, ".") < (int)len ? 0 : -ENAMETOOLONG;
	n = slash == path ? 1 : (size_t)(slash - path);
	if (n >= len)
		return -ENAMETOOLONG;
	memcpy(buf, path, n);
	buf[n] = '\0';
	return 0;
}

/* Is @dir /dev or under it (after links), but not the shared-memory
 * tmpfs /dev/shm? A name that does not exist there is a device that is
 * not present, never a file to create. */
bool outfile_dir_is_dev(const char *dir)
{
	char *real = realpath(dir, NULL);
	bool dev = real && (!strcmp(real, "/dev") || !strncmp(real, "/dev/", 5)) &&
		   strcmp(real, "/dev/shm") && strncmp(real, "/dev/shm/", 9);

	free(real);
	return dev;
}

bool outfile_path_in_dev(const char *path)
{
	char dir[PATH_MAX];

	return !dir_of(path, dir, sizeof(dir)) && outfile_dir_is_dev(dir);
}

bool outfile_dir_shared(const char *dir)
{
	struct stat st;

	return !stat(dir, &st) && S_ISDIR(st.st_mode) && (st.st_mode & S_IWOTH);
}

bool outfile_in_shared_dir(const char *path)
{
	char dir[PATH_MAX];

	/* a name too long to judge is treated as shared: the careful side */
	return dir_of(path, dir, sizeof(dir)) || outfile_dir_shared(dir);
}

/* Is @comp (a path) a link another user planted in a sticky shared dir? */
static bool planted_link(const char *comp, uid_t *owner)
{
	char dir[PATH_MAX];
	struct stat l, d;

	if (lstat(comp, &l) < 0 || !S_ISLNK(l.st_mode) || l.st_uid == geteuid())
		return false;
	if (dir_of(comp, dir, sizeof(dir)) || stat(dir, &d) < 0)
		return false;
	*owner = l.st_uid;
	return (d.st_mode & S_ISVTX) && (d.st_mode & S_IWOTH) && d.st_uid != l.st_uid;
}

int outfile_check_link_owner(const char *path, bool last, const char *what, char *err,
			     size_t errlen)
{
	size_t len = strlen(path);
	char *comp;
	uid_t owner = 0;
	int ret = 0;

	if (!what)
		what = path;
	comp = strdup(path);
	if (!comp)
		return errmsg_ret(err, errlen, -ENOMEM, "%s: out of memory", what);
	for (size_t i = 1; i <= len && !ret; i++) {
		if (i < len && path[i] != '/')
			continue;
		if (i == len && !last)
			break;
		if (path[i - 1] == '/')
			continue; /* "//" or a trailing slash */
		comp[i] = '\0';
		if (planted_link(comp, &owner))
			ret = errmsg_ret(err, errlen, -ELOOP,
				  "%s: %s%s is a symbolic link owned by uid %u in a sticky "
				  "world-writable directory; iolab does not follow another user's "
				  "link there, as the kernel's protected_symlinks would not (name "
				  "the file it points to)", what, i < len ? "its directory " : "",
				  i < len ? comp : "it", (unsigned)owner);
		comp[i] = path[i];
	}
	free(comp);
	return ret;
}

static bool follow_links(const char *path, unsigned flags)
{
	return (flags & OUTF_NAMED) || !outfile_in_shared_dir(path);
}

static int refuse_type(const char *what, mode_t mode, char *err, size_t errlen)
{
	return errmsg_ret(err, errlen, S_ISDIR(mode) ? -EISDIR : -EINVAL,
		   "%s: %s; iolab writes reports, logs and state only to regular files", what,
		   outfile_type_refusal(mode));
}

static int refuse_link(const char *what, char *err, size_t errlen)
{
	return errmsg_ret(err, errlen, -ELOOP,
		   "%s: is a symbolic link in a world-writable directory; iolab does not "
		   "follow links there (remove it, or name the file it points to)", what);
}

/* A regular file at a name iolab derived, in a world-writable directory:
 * anyone may have put it there, so it is written only when it is ours
 * alone (not another user's, no other hard link to it: a link planted to
 * a file they cannot write would have us truncate it). */
static int refuse_foreign(const char *what, const struct stat *st, char *err, size_t errlen)
{
	if (st->st_uid != geteuid())
		return errmsg_ret(err, errlen, -EPERM,
			   "%s: is owned by uid %u, in a world-writable directory; iolab writes "
			   "a file it named itself there only when it is its own (remove it, or "
			   "name the file exactly)", what, (unsigned)st->st_uid);
	if (st->st_nlink > 1)
		return errmsg_ret(err, errlen, -EPERM,
			   "%s: has %lu hard links, in a world-writable directory; iolab does not "
			   "write through them to a file it named itself (remove it, or name the "
			   "file exactly)", what, (unsigned long)st->st_nlink);
	return 0;
}

int outfile_check(const char *path, unsigned flags, const char *what, char *err,
		  size_t errlen)
{
	bool follow = follow_links(path, flags);
	struct stat st;

	if (!what)
		what = path;
	{
		/* the last component: followed only when @follow (below) */
		int r = outfile_check_link_owner(path, follow, what, err, errlen);

		if (r)
			return r;
	}
	if ((follow ? stat(path, &st) : lstat(path, &st)) < 0) {
		char dir[PATH_MAX];

		if (errno != ENOENT)
			return errmsg_ret(err, errlen, -errno, "%s: %s", what, strerror(errno));
		/* to be created: is there a directory to create it in? */
		if (dir_of(path, dir, sizeof(dir)))
			return errmsg_ret(err, errlen, -ENAMETOOLONG, "%s: %s", what,
				   strerror(ENAMETOOLONG));
		if (access(dir, W_OK | X_OK) < 0)
			return errmsg_ret(err, errlen, -errno, "%s: cannot be created: %s", what,
				   strerror(errno));
		if (outfile_dir_is_dev(dir))
			return errmsg_ret(err, errlen, -ENODEV,
				   "%s: no such device, and iolab creates no files under /dev "
				   "(a mistyped device name would become a file in RAM that "
				   "hides the name)", what);
		return 0;
	}
	if (S_ISLNK(st.st_mode))
		return refuse_link(what, err, errlen);
	if (!S_ISREG(st.st_mode))
		return refuse_type(what, st.st_mode, err, errlen);
	return follow ? 0 : refuse_foreign(what, &st, err, errlen);
}

int outfile_open(const char *path, unsigned flags, mode_t mode, const char *what, char *err,
		 size_t errlen)
{
	bool follow = follow_links(path, flags);
	int oflags = O_WRONLY | O_CREAT | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
	struct stat st;
	int fd, ret;

	if (!what)
		what = path;
	ret = outfile_check(path, flags, what, err, errlen);
	if (ret)
		return ret;
	if (flags & OUTF_APPEND)
		oflags |= O_APPEND;
	if (!follow)
		oflags |= O_NOFOLLOW;
	/* O_NONBLOCK: a FIFO swapped in after the check cannot block the open;
	 * no O_TRUNC: nothing is cut before fstat says it is a regular file */
	fd = open(path, oflags, mode);
	if (fd < 0) {
		if (errno == ELOOP && !follow)
			return refuse_link(what, err, errlen);
		if (errno == ENXIO)
			return refuse_type(what, S_IFIFO, err, errlen);
		return errmsg_ret(err, errlen, -errno, "%s: %s", what, strerror(errno));
	}
	if (fstat(fd, &st) < 0) {
		ret = errmsg_ret(err, errlen, -errno, "%s: %s", what, strerror(errno));
		goto err;
	}
	if (!S_ISREG(st.st_mode)) {
		ret = refuse_type(what, st.st_mode, err, errlen);
		goto err;
	}
	if (!follow && (ret = refuse_foreign(what, &st, err, errlen)))
		goto err;
	if (fcntl(fd, F_SETFL, oflags & O_APPEND) < 0 ||
	    (!(flags & OUTF_APPEND) && ftruncate(fd, 0) < 0)) {
		ret = errmsg_ret(err, errlen, -errno, "%s: %s", what, strerror(errno));
		goto err;
	}
	return fd;
err:
	close(fd);
	return ret;
}

/* ---- unique names ---- */

static void rand_chars(char *out, size_t n)
{
	static const char set[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	unsigned char r[16];
	struct timespec ts;

	if (n > sizeof(r))
		n = sizeof(r);
	if (getrandom(r, n, GRND_NONBLOCK) != (ssize_t)n) {
		/* no entropy yet: still unique enough, O_EXCL catches the rest */
		uint64_t x;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		x = (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15ULL ^ (uint64_t)getpid() << 20 ^
		    (uint64_t)(uintptr_t)out;
		for (size_t i = 0; i < n; i++, x = x * 6364136223846793005ULL + 1442695040888963407ULL)
			r[i] = (unsigned char)(x >> 56);
	}
	for (size_t i = 0; i < n; i++)
		out[i] = set[r[i] % (sizeof(set) - 1)];
}

/* Create "<head>XXXXXX<tail>" O_CREAT|O_EXCL|O_NOFOLLOW, mode 0600 (@wr:
 * O_RDWR, else O_WRONLY). *@name gets the path (malloc'd). Returns the
 * descriptor or -errno. */
static int create_unique(const char *head, const char *tail, char **name)
{
	size_t hl = strlen(head), tl = strlen(tail);
	char *p = malloc(hl + RAND_CHARS + tl + 1);

	*name = NULL;
	if (!p)
		return -ENOMEM;
	memcpy(p, head, hl);
	memcpy(p + hl + RAND_CHARS, tail, tl + 1);
	for (int i = 0; i < NAME_TRIES; i++) {
		int fd;

		rand_chars(p + hl, RAND_CHARS);
		fd = open(p, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0600);
		if (fd >= 0) {
			*name = p;
			return fd;
		}
		if (errno != EEXIST) {
			int e = errno;

			free(p);
			return -e;
		}
	}
	free(p);
	return -EEXIST;
}

/* ---- atomic replacement ---- */

static mode_t current_umask(void)
{
	FILE *f = fopen("/proc/self/status", "re");
	char line[128];
	unsigned m = 022;

	if (f) {
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "Umask: %o", &m) == 1)
				break;
		fclose(f);
	}
	return (mode_t)m & 0777;
}

/* After a rename, the directory's new entry reaches the disk only when
 * the directory itself is synced: without it a crash can leave the old
 * file, or none. Best effort: a file system that cannot fsync a directory
 * still holds the new file. */
static void sync_dir_of(const char *path)
{
	char dir[PATH_MAX];
	int fd;

	if (dir_of(path, dir, sizeof(dir)))
		return;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;
	(void)fsync(fd);
	close(fd);
}

static void atomic_release(struct outfile_atomic *a)
{
	free(a->path);
	free(a->tmp);
	a->path = a->tmp = NULL;
	a->f = NULL;
}

int outfile_atomic_begin(struct outfile_atomic *a, const char *path, unsigned flags,
			 const char *what, char *err, size_t errlen)
{
	struct stat st;
	char *head = NULL, dir[PATH_MAX];
	int fd, ret;

	memset(a, 0, sizeof(*a));
	snprintf(a->what, sizeof(a->what), "%s", what ? what : path);
	ret = outfile_check(path, flags, a->what, err, errlen);
	if (ret)
		return ret;
	/* a link we may follow: replace the file it names, not the link */
	if (!lstat(path, &st) && S_ISLNK(st.st_mode))
		a->path = realpath(path, NULL);
	if (!a->path)
		a->path = strdup(path);
	if (!a->path)
		return errmsg_ret(err, errlen, -ENOMEM, "%s: out of memory", a->what);
	a->mode = !stat(a->path, &st) ? st.st_mode & 07777 : 0666 & ~current_umask();
	if (asprintf(&head, "%s.tmp.", a->path) < 0) {
		head = NULL;
		ret = -ENOMEM;
		goto err;
	}
	fd = create_unique(head, "", &a->tmp);
	if (fd == -ENAMETOOLONG && !dir_of(a->path, dir, sizeof(dir))) {
		/* the name leaves no room for a suffix: a hidden one beside it */
		free(head);
		if (asprintf(&head, "%s/.iolab-tmp.", dir) < 0) {
			head = NULL;
			ret = -ENOMEM;
			goto err;
		}
		fd = create_unique(head, "", &a->tmp);
	}
	free(head);
	head = NULL;
	if (fd < 0) {
		ret = errmsg_ret(err, errlen, fd, "%s: cannot create a temporary file beside it: %s",
			  a->what, strerror(-fd));
		atomic_release(a);
		return ret;
	}
	a->f = fdopen(fd, "w+b");
	if (!a->f) {
		ret = -errno;
		close(fd);
		unlink(a->tmp);
		goto err;
	}
	return 0;
err:
	free(head);
	ret = errmsg_ret(err, errlen, ret, "%s: %s", a->what, strerror(-ret));
	atomic_release(a);
	return ret;
}

int outfile_atomic_commit(struct outfile_atomic *a, char *err, size_t errlen)
{
	const char *step = "writing";
	int e = 0;

	if (!a->f)
		return errmsg_ret(err, errlen, -EBADF, "%s: not open", a->what);
	errno = 0;
	if (fflush(a->f) || ferror(a->f))
		e = errno ? errno : EIO;
	if (!e && fchmod(fileno(a->f), a->mode) < 0) {
		e = errno;
		step = "chmod";
	}
	if (!e && fsync(fileno(a->f)) < 0) {
		e = errno;
		step = "fsync";
	}
	if (fclose(a->f) && !e) {
		e = errno ? errno : EIO;
		step = "close";
	}
	a->f = NULL;
	if (!e && rename(a->tmp, a->path) < 0) {
		e = errno;
		step = "rename";
	}
	if (!e)
		sync_dir_of(a->path);
	if (e) {
		unlink(a->tmp);
		errmsg_ret(err, errlen, -e, "%s: %s: %s", a->what, step, strerror(e));
	}
	atomic_release(a);
	return -e;
}

void outfile_atomic_abort(struct outfile_atomic *a)
{
	if (a->f) {
		fclose(a->f);
		a->f = NULL;
		unlink(a->tmp);
	}
	atomic_release(a);
}

int outfile_replace(const char *path, unsigned flags, const void *buf, size_t len,
		    const char *what, char *err, size_t errlen)
{
	struct outfile_atomic a;
	int ret = outfile_atomic_begin(&a, path, flags, what, err, errlen);

	if (ret)
		return ret;
	if (len && fwrite(buf, 1, len, a.f) != len) {
		int e = errno ? errno : EIO;

		errmsg_ret(err, errlen, -e, "%s: writing: %s", a.what, strerror(e));
		outfile_atomic_abort(&a);
		return -e;
	}
	return outfile_atomic_commit(&a, err, errlen);
}

int outfile_emit(const char *path, const void *buf, size_t len, const char *what, char *err,
		 size_t errlen)
{
	const char *p = buf;
	size_t off = 0;

	if (path && !outfile_is_stdout(path))
		return outfile_replace(path, OUTF_NAMED, buf ? buf : "", buf ? len : 0, what, err,
				       errlen);
	errno = 0;
	if (fflush(stdout) || ferror(stdout)) {
		int e = errno ? errno : EIO;

		return errmsg_ret(err, errlen, -e, "writing to stdout: %s", strerror(e));
	}
	while (p && off < len) {
		ssize_t n = write(STDOUT_FILENO, p + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			return errmsg_ret(err, errlen, -e, "writing to stdout: %s%s", strerror(e),
				   e == EPIPE ? " (the reader went away; the output is cut short)"
					      : "");
		}
		off += (size_t)n;
	}
	return 0;
}

/* ---- scratch files ---- */

int outfile_create_new(const char *dir, const char *prefix, const char *suffix, char **path,
		       const char *noun, char *err, size_t errlen)
{
	char *head = NULL;
	size_t dl;
	int fd, ret;

	*path = NULL;
	if (!dir || !*dir)
		dir = getenv("TMPDIR");
	if (!dir || !*dir)
		dir = "/tmp";
	dl = strlen(dir);
	while (dl > 1 && dir[dl - 1] == '/')
		dl--;
	if (asprintf(&head, "%.*s/%s", (int)dl, dir, prefix) < 0)
		return errmsg_ret(err, errlen, -ENOMEM, "%s: out of memory", dir);
	fd = create_unique(head, suffix ? suffix : "", path);
	if (fd < 0)
		ret = errmsg_ret(err, errlen, fd, "%sXXXXXX%s: cannot create %s: %s", head,
			  suffix ? suffix : "", noun, strerror(-fd));
	else
		ret = fd;
	free(head);
	return ret;
}

int outfile_scratch_create(struct outfile_scratch *s, const char *dir, const char *prefix,
			   const char *suffix, char *err, size_t errlen)
{
	int fd, ret;

	memset(s, 0, sizeof(*s));
	fd = outfile_create_new(dir, prefix, suffix, &s->path, "a scratch file", err, errlen);
	if (fd < 0)
		return fd;
	ret = outfile_scratch_adopt(s, s->path, fd);
	close(fd);
	if (ret) {
		unlink(s->path);
		free(s->path);
		s->path = NULL;
		return errmsg_ret(err, errlen, ret, "scratch file: %s", strerror(-ret));
	}
	return 0;
}

/* The scratch files made and not removed yet (outfile_scratch_made). */
static pthread_mutex_t made_lock = PTHREAD_MUTEX_INITIALIZER;
static struct outfile_scratch *made;
static size_t made_nr;

bool outfile_same_path(const char *a, const char *b)
{
	while (*a && *b) {
		if (*a != *b)
			return false;
		if (*a == '/') {
			while (a[1] == '/')
				a++;
			while (b[1] == '/')
				b++;
		}
		a++;
		b++;
	}
	return !*a && !*b;
}

static int made_add(const char *path, dev_t dev, ino_t ino)
{
	struct outfile_scratch *grown;
	char *p = strdup(path);
	int ret = -ENOMEM;

	if (!p)
		return ret;
	pthread_mutex_lock(&made_lock);
	grown = realloc(made, (made_nr + 1) * sizeof(*made));
	if (grown) {
		made = grown;
		made[made_nr++] = (struct outfile_scratch){ .path = p, .dev = dev, .ino = ino };
		ret = 0;
	}
	pthread_mutex_unlock(&made_lock);
	if (ret)
		free(p);
	return ret;
}

static void made_drop(dev_t dev, ino_t ino)
{
	pthread_mutex_lock(&made_lock);
	for (size_t i = 0; i < made_nr; i++) {
		if (made[i].dev != dev || made[i].ino != ino)
			continue;
		free(made[i].path);
		made[i] = made[--made_nr];
		break;
	}
	if (!made_nr) {
		free(made);
		made = NULL;
	}
	pthread_mutex_unlock(&made_lock);
}

bool outfile_scratch_made(const char *path, dev_t *dev, ino_t *ino)
{
	bool found = false;

	if (!path)
		return false;
	pthread_mutex_lock(&made_lock);
	for (size_t i = 0; i < made_nr && !found; i++) {
		if (!outfile_same_path(made[i].path, path))
			continue;
		*dev = made[i].dev;
		*ino = made[i].ino;
		found = true;
	}
	pthread_mutex_unlock(&made_lock);
	return found;
}

void outfile_scratch_renew(const char *path, dev_t dev, ino_t ino)
{
	pthread_mutex_lock(&made_lock);
	for (size_t i = 0; i < made_nr; i++) {
		if (!outfile_same_path(made[i].path, path))
			continue;
		made[i].dev = dev;
		made[i].ino = ino;
	}
	pthread_mutex_unlock(&made_lock);
}

int outfile_scratch_adopt(struct outfile_scratch *s, const char *path, int fd)
{
	struct stat st;
	int ret;

	if (fstat(fd, &st) < 0)
		return -errno;
	if (s->path != path) {
		char *p = strdup(path);

		if (!p)
			return -ENOMEM;
		free(s->path);
		s->path = p;
	}
	if (s->dev || s->ino)
		made_drop(s->dev, s->ino);
	ret = made_add(path, st.st_dev, st.st_ino);
	if (ret)
		return ret;
	s->dev = st.st_dev;
	s->ino = st.st_ino;
	return 0;
}

int outfile_unlink_if_same(const char *path, dev_t dev, ino_t ino)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode) || st.st_dev != dev || st.st_ino != ino)
		return -ESTALE;
	return unlink(path) < 0 ? -errno : 0;
}

int outfile_scratch_remove(struct outfile_scratch *s)
{
	int ret;

	if (!s->path)
		return 0;
	made_drop(s->dev, s->ino);
	ret = outfile_unlink_if_same(s->path, s->dev, s->ino);
	free(s->path);
	s->path = NULL;
	return ret;
}

/* ---- files iolab reads ---- */

FILE *infile_open(const char *path, const char *what, char *err, size_t errlen)
{
	struct stat st;
	FILE *f;
	int fd, e;

	if (!what)
		what = path;
	if (stat(path, &st) < 0) {
		e = errno;
		errmsg_ret(err, errlen, 0, "%s: %s", what, strerror(e));
		errno = e;
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		e = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
		goto refuse;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		e = errno;
		errmsg_ret(err, errlen, 0, "%s: %s", what, strerror(e));
		errno = e;
		return NULL;
	}
	if (fstat(fd, &st) < 0 || fcntl(fd, F_SETFL, 0) < 0) {
		e = errno;
		close(fd);
		errmsg_ret(err, errlen, 0, "%s: %s", what, strerror(e));
		errno = e;
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) { /* replaced since stat() */
		e = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
		close(fd);
		goto refuse;
	}
	f = fdopen(fd, "r");
	if (!f) {
		e = errno;
		close(fd);
		errmsg_ret(err, errlen, 0, "%s: %s", what, strerror(e));
		errno = e;
	}
	return f;
refuse:
	errmsg_ret(err, errlen, 0, "%s: %s; iolab reads it only from a regular file", what,
	    outfile_type_refusal(st.st_mode));
	errno = e;
	return NULL;
}
