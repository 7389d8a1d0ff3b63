/* labfs: a FUSE file system serving one backing file with injected faults,
 * for the slow-disk lab (tests/lab/lab.inc). A loop device attached to the
 * served file gives the kernel's block layer, /proc/diskstats and iolab a
 * real block device that misbehaves in a known way.
 *
 *   labfs [FAULT...] BACKING MOUNTPOINT
 *
 * The mount holds two files:
 *   /disk   BACKING's bytes; reads and writes go to BACKING with pread/pwrite
 *           (never the kernel's page cache, unless --no-direct)
 *   /stats  counters as "name value" lines: reads, writes, flushes, errors,
 *           read_bytes, write_bytes, delay_us (total time requests were held)
 *
 * Faults (all optional; times in microseconds unless named _ms):
 *   --lat=US               every read and write takes at least US
 *   --mix=PCT:US           PCT percent (two decimals at most: 0.25) of
 *                          reads and writes take US instead
 *                          (chosen by a hash of the request number: the share
 *                          is exact over a few hundred requests)
 *   --stall=EVERY_MS:FOR_MS  nothing completes during [k*EVERY, k*EVERY+FOR)
 *                          ms after the mount; requests arriving then wait
 *   --flush-lat=US         fsync/fdatasync (a loop device's FLUSH) takes US
 *   --iops=N               at most N reads+writes a second, evenly paced
 *   --bw=BYTES             at most BYTES read+written a second, paced
 *   --eio=OFF+LEN[,...]    reads and writes touching [OFF, OFF+LEN) fail
 *                          with EIO (bytes; k/m/g suffixes)
 *   --no-direct            refuse O_DIRECT opens and let the kernel cache
 *                          /disk (the page-cache scenario)
 *   --threads=N            request threads (default 64: enough for QD32)
 *
 * Stops (and unmounts) on SIGTERM, SIGINT or `umount MOUNTPOINT`. */
#define _GNU_SOURCE
#define FUSE_USE_VERSION 314
#include <fuse.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_EIO 16
#define NS 1000000000ULL

struct range {
	uint64_t off, len;
};

static struct {
	uint64_t lat_ns;
	unsigned mix_pct100; /* share of slow requests, in 1/100 of a percent */
	uint64_t mix_ns;
	uint64_t stall_every_ns, stall_for_ns;
	uint64_t flush_ns;
	uint64_t iops, bw;
	struct range eio[MAX_EIO];
	unsigned nr_eio;
	bool no_direct;
	unsigned threads;
} cfg = { .threads = 64 };

static int backing_fd = -1;
static uint64_t backing_size;
static uint64_t t0_ns;

static pthread_mutex_t pace_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t pace_next_ns; /* earliest start of the next paced request */

static atomic_uint_fast64_t st_reads, st_writes, st_flushes, st_errors, st_rbytes, st_wbytes,
	st_delay_us, st_seq;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NS + (uint64_t)ts.tv_nsec;
}

static void sleep_until(uint64_t t)
{
	struct timespec ts = { .tv_sec = (time_t)(t / NS), .tv_nsec = (long)(t % NS) };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

static uint64_t mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* Hold a read or write of @len bytes that arrived at @arrive: wait out a
 * stall window, take a paced slot, then keep it until its latency is up.
 * Returns when the request may complete. */
static void hold_io(uint64_t arrive, size_t len)
{
	uint64_t now = now_ns(), done = arrive + cfg.lat_ns;

	if (cfg.stall_every_ns) {
		uint64_t phase = (now - t0_ns) % cfg.stall_every_ns;

		if (phase < cfg.stall_for_ns) {
			sleep_until(now + cfg.stall_for_ns - phase);
			now = now_ns();
		}
	}
	if (cfg.iops || cfg.bw) {
		uint64_t slot, cost = 0;

		if (cfg.iops)
			cost += NS / cfg.iops;
		if (cfg.bw)
			cost += (uint64_t)len * NS / cfg.bw;
		pthread_mutex_lock(&pace_lock);
		slot = pace_next_ns > now ? pace_next_ns : now;
		pace_next_ns = slot + cost;
		pthread_mutex_unlock(&pace_lock);
		if (slot > now) {
			sleep_until(slot);
			now = now_ns();
		}
	}
	if (cfg.mix_pct100) {
		uint64_t n = atomic_fetch_add(&st_seq, 1);

		if (mix64(n) % 10000 < cfg.mix_pct100)
			done = arrive + cfg.mix_ns;
	}
	if (done > now)
		sleep_until(done);
	now = now_ns();
	atomic_fetch_add(&st_delay_us, (now - arrive) / 1000);
}

static bool hits_eio(uint64_t off, size_t len)
{
	for (unsigned i = 0; i < cfg.nr_eio; i++)
		if (off < cfg.eio[i].off + cfg.eio[i].len && cfg.eio[i].off < off + len)
			return true;
	return false;
}

static int stats_text(char *buf, size_t len)
{
	return snprintf(buf, len,
			"reads %" PRIuFAST64 "\nwrites %" PRIuFAST64 "\nflushes %" PRIuFAST64
			"\nerrors %" PRIuFAST64 "\nread_bytes %" PRIuFAST64
			"\nwrite_bytes %" PRIuFAST64 "\ndelay_us %" PRIuFAST64 "\n",
			atomic_load(&st_reads), atomic_load(&st_writes), atomic_load(&st_flushes),
			atomic_load(&st_errors), atomic_load(&st_rbytes), atomic_load(&st_wbytes),
			atomic_load(&st_delay_us));
}

static void *lab_init(struct fuse_conn_info *conn, struct fuse_config *fc)
{
	fc->direct_io = !cfg.no_direct;
	fc->kernel_cache = cfg.no_direct;
	fc->entry_timeout = fc->attr_timeout = 3600;
	fc->use_ino = 1;
	/* queued (async direct) I/O from the loop device: let QD32 through */
	conn->max_background = 128;
	conn->congestion_threshold = 96;
	conn->max_write = 1u << 20;
	conn->max_read = 1u << 20;
	conn->max_readahead = cfg.no_direct ? 128u << 10 : 0;
	t0_ns = now_ns();
	return NULL;
}

static int lab_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	(void)fi;
	memset(st, 0, sizeof(*st));
	st->st_uid = getuid();
	st->st_gid = getgid();
	if (!strcmp(path, "/")) {
		st->st_mode = S_IFDIR | 0755;
		st->st_nlink = 2;
		st->st_ino = 1;
	} else if (!strcmp(path, "/disk")) {
		st->st_mode = S_IFREG | 0600;
		st->st_nlink = 1;
		st->st_size = (off_t)backing_size;
		st->st_ino = 2;
		st->st_blksize = 4096;
		st->st_blocks = (blkcnt_t)(backing_size / 512);
	} else if (!strcmp(path, "/stats")) {
		st->st_mode = S_IFREG | 0400;
		st->st_nlink = 1;
		st->st_size = 4096;
		st->st_ino = 3;
	} else {
		return -ENOENT;
	}
	return 0;
}

static int lab_readdir(const char *path, void *buf, fuse_fill_dir_t fill, off_t off,
		       struct fuse_file_info *fi, enum fuse_readdir_flags flags)
{
	(void)off;
	(void)fi;
	(void)flags;
	if (strcmp(path, "/"))
		return -ENOENT;
	fill(buf, ".", NULL, 0, 0);
	fill(buf, "..", NULL, 0, 0);
	fill(buf, "disk", NULL, 0, 0);
	fill(buf, "stats", NULL, 0, 0);
	return 0;
}

static int lab_open(const char *path, struct fuse_file_info *fi)
{
	if (!strcmp(path, "/stats")) {
		if ((fi->flags & O_ACCMODE) != O_RDONLY)
			return -EACCES;
		fi->direct_io = 1;
		fi->nonseekable = 0;
		return 0;
	}
	if (strcmp(path, "/disk"))
		return -ENOENT;
	if (cfg.no_direct && (fi->flags & O_DIRECT))
		return -EINVAL;
	fi->direct_io = !cfg.no_direct;
	fi->keep_cache = cfg.no_direct;
	return 0;
}

static int lab_read(const char *path, char *buf, size_t len, off_t off,
		    struct fuse_file_info *fi)
{
	uint64_t arrive = now_ns();
	ssize_t n;

	(void)fi;
	if (!strcmp(path, "/stats")) {
		char text[512];
		int tl = stats_text(text, sizeof(text));

		if (off >= tl)
			return 0;
		if (len > (size_t)(tl - off))
			len = (size_t)(tl - off);
		memcpy(buf, text + off, len);
		return (int)len;
	}
	hold_io(arrive, len);
	atomic_fetch_add(&st_reads, 1);
	if (hits_eio((uint64_t)off, len)) {
		atomic_fetch_add(&st_errors, 1);
		return -EIO;
	}
	n = pread(backing_fd, buf, len, off);
	if (n < 0)
		return -errno;
	atomic_fetch_add(&st_rbytes, (uint64_t)n);
	return (int)n;
}

static int lab_write(const char *path, const char *buf, size_t len, off_t off,
		     struct fuse_file_info *fi)
{
	uint64_t arrive = now_ns();
	ssize_t n;

	(void)fi;
	if (strcmp(path, "/disk"))
		return -EACCES;
	if ((uint64_t)off >= backing_size)
		return -ENOSPC;
	if (len > backing_size - (uint64_t)off)
		len = (size_t)(backing_size - (uint64_t)off);
	hold_io(arrive, len);
	atomic_fetch_add(&st_writes, 1);
	if (hits_eio((uint64_t)off, len)) {
		atomic_fetch_add(&st_errors, 1);
		return -EIO;
	}
	n = pwrite(backing_fd, buf, len, off);
	if (n < 0)
		return -errno;
	atomic_fetch_add(&st_wbytes, (uint64_t)n);
	return (int)n;
}

static int lab_fsync(const char *path, int datasync, struct fuse_file_info *fi)
{
	uint64_t arrive = now_ns();

	(void)path;
	(void)fi;
	if (datasync ? fdatasync(backing_fd) : fsync(backing_fd))
		return -errno;
	if (cfg.flush_ns)
		sleep_until(arrive + cfg.flush_ns);
	atomic_fetch_add(&st_flushes, 1);
	atomic_fetch_add(&st_delay_us, (now_ns() - arrive) / 1000);
	return 0;
}

static int lab_truncate(const char *path, off_t size, struct fuse_file_info *fi)
{
	(void)fi;
	if (strcmp(path, "/disk"))
		return -EACCES;
	return (uint64_t)size == backing_size ? 0 : -EPERM;
}

static const struct fuse_operations lab_ops = {
	.init = lab_init,
	.getattr = lab_getattr,
	.readdir = lab_readdir,
	.open = lab_open,
	.read = lab_read,
	.write = lab_write,
	.fsync = lab_fsync,
	.truncate = lab_truncate,
};

/* ---- command line ---- */

static int parse_u64(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		return -1;
	switch (*end) {
	case 'k': case 'K': v <<= 10; end++; break;
	case 'm': case 'M': v <<= 20; end++; break;
	case 'g': case 'G': v <<= 30; end++; break;
	default: break;
	}
	if (*end)
		return -1;
	*out = v;
	return 0;
}

/* "A:B" into two numbers. */
static int parse_pair(const char *s, uint64_t *a, uint64_t *b)
{
	char tmp[64], *colon;

	if (snprintf(tmp, sizeof(tmp), "%s", s) >= (int)sizeof(tmp))
		return -1;
	colon = strchr(tmp, ':');
	if (!colon)
		return -1;
	*colon = '\0';
	return parse_u64(tmp, a) || parse_u64(colon + 1, b) ? -1 : 0;
}

/* --mix=PCT:US, PCT with up to two decimals ("0.25"). */
static int parse_mix(const char *s)
{
	char *end;
	double pct;
	uint64_t us;

	errno = 0;
	pct = strtod(s, &end);
	if (errno || end == s || *end != ':' || !(pct >= 0 && pct <= 100) ||
	    parse_u64(end + 1, &us))
		return -1;
	cfg.mix_pct100 = (unsigned)(pct * 100 + 0.5);
	cfg.mix_ns = us * 1000;
	return 0;
}

static int parse_eio(char *s)
{
	for (char *save = NULL, *t = strtok_r(s, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		char *plus = strchr(t, '+');

		if (!plus || cfg.nr_eio >= MAX_EIO)
			return -1;
		*plus = '\0';
		if (parse_u64(t, &cfg.eio[cfg.nr_eio].off) ||
		    parse_u64(plus + 1, &cfg.eio[cfg.nr_eio].len) || !cfg.eio[cfg.nr_eio].len)
			return -1;
		cfg.nr_eio++;
	}
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: labfs [--lat=US] [--mix=PCT:US] [--stall=EVERY_MS:FOR_MS] "
		"[--flush-lat=US] [--iops=N] [--bw=BYTES] [--eio=OFF+LEN,...] [--no-direct] "
		"[--threads=N] BACKING MOUNTPOINT\n");
}

int main(int argc, char **argv)
{
	const char *backing = NULL, *mnt = NULL;
	struct fuse_args args = FUSE_ARGS_INIT(0, NULL);
	struct fuse_loop_config *lc;
	struct fuse *fuse;
	struct stat st;
	int ret = 1;

	for (int i = 1; i < argc; i++) {
		char *a = argv[i], *v = strchr(a, '=');
		uint64_t x, y;
		int bad = 0;

		if (v)
			*v++ = '\0';
		if (!strcmp(a, "--lat") && v)
			bad = parse_u64(v, &x) || (cfg.lat_ns = x * 1000, 0);
		else if (!strcmp(a, "--mix") && v)
			bad = parse_mix(v);
		else if (!strcmp(a, "--stall") && v)
			bad = parse_pair(v, &x, &y) || !x || y >= x ||
			      (cfg.stall_every_ns = x * 1000000, cfg.stall_for_ns = y * 1000000, 0);
		else if (!strcmp(a, "--flush-lat") && v)
			bad = parse_u64(v, &x) || (cfg.flush_ns = x * 1000, 0);
		else if (!strcmp(a, "--iops") && v)
			bad = parse_u64(v, &cfg.iops);
		else if (!strcmp(a, "--bw") && v)
			bad = parse_u64(v, &cfg.bw);
		else if (!strcmp(a, "--eio") && v)
			bad = parse_eio(v);
		else if (!strcmp(a, "--no-direct") && !v)
			cfg.no_direct = true;
		else if (!strcmp(a, "--threads") && v)
			bad = parse_u64(v, &x) || !x || x > 1024 || (cfg.threads = (unsigned)x, 0);
		else if (a[0] != '-' && !backing)
			backing = a;
		else if (a[0] != '-' && !mnt)
			mnt = a;
		else
			bad = 1;
		if (bad) {
			fprintf(stderr, "labfs: %s%s%s: not understood\n", a, v ? "=" : "", v ? v : "");
			usage();
			return 2;
		}
	}
	if (!backing || !mnt) {
		usage();
		return 2;
	}
	backing_fd = open(backing, O_RDWR | O_CLOEXEC);
	if (backing_fd < 0 || fstat(backing_fd, &st)) {
		fprintf(stderr, "labfs: %s: %s\n", backing, strerror(errno));
		return 1;
	}
	backing_size = (uint64_t)st.st_size;

	if (fuse_opt_add_arg(&args, argv[0]) ||
	    fuse_opt_add_arg(&args, "-osubtype=labfs,fsname=labfs,default_permissions,max_read=1048576")) {
		fprintf(stderr, "labfs: out of memory\n");
		return 1;
	}
	fuse = fuse_new(&args, &lab_ops, sizeof(lab_ops), NULL);
	if (!fuse) {
		fprintf(stderr, "labfs: fuse_new failed\n");
		goto out_args;
	}
	if (fuse_mount(fuse, mnt)) {
		fprintf(stderr, "labfs: cannot mount on %s\n", mnt);
		goto out_fuse;
	}
	if (fuse_set_signal_handlers(fuse_get_session(fuse))) {
		fprintf(stderr, "labfs: cannot set signal handlers\n");
		goto out_unmount;
	}
	lc = fuse_loop_cfg_create();
	if (!lc) {
		fprintf(stderr, "labfs: out of memory\n");
		goto out_signals;
	}
	fuse_loop_cfg_set_max_threads(lc, cfg.threads);
	fuse_loop_cfg_set_idle_threads(lc, cfg.threads);
	fuse_loop_cfg_set_clone_fd(lc, 0);
	ret = fuse_loop_mt(fuse, lc) ? 1 : 0;
	fuse_loop_cfg_destroy(lc);
out_signals:
	fuse_remove_signal_handlers(fuse_get_session(fuse));
out_unmount:
	fuse_unmount(fuse);
out_fuse:
	fuse_destroy(fuse);
out_args:
	fuse_opt_free_args(&args);
	close(backing_fd);
	return ret;
}
