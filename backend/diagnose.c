/* Diagnose: run a battery of short jobs on one target, record each step's
 * figures and samples, and explain them in plain language. See diagnose.h. */
#include "diagnose.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <linux/fs.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>

#include "../lib/clock.h"
#include "../lib/hist.h"
#include "../lib/json.h"
#include "../lib/outfile.h"
#include "backend.h"
#include "devguard.h"
#include "diskstats.h"
#include "jobfile.h"
#include "options.h"
#include "report.h"
#include "samples.h"
#include "stats.h"

#define MIB (1024ULL * 1024)
#define GIB (1024ULL * MIB)
#define SCRATCH_NAME "iolab-diagnose.XXXXXX.dat" /* in a DIR target; X: random */
#define MIN_TARGET_SIZE (16 * MIB)

/* ---- the battery ---- */

struct step_def {
	const char *name, *title, *rw;
	uint32_t bs;
	unsigned iodepth;
	bool writes;
	bool buffered;   /* psync, no O_DIRECT, whatever cfg says */
	bool fdatasync;
	unsigned rwmixread;
	/* bytes of the target the step uses from its start; 0: all of it. The
	 * buffered write step keeps to a few MiB: what it dirties must be
	 * written back before the next step, and on a throttled device every
	 * 4k page is an I/O against the cap (256 MiB at 200 IOPS: 5 minutes) */
	uint64_t region;
};

static const struct step_def step_defs[DIAG_STEP_NR] = {
	[DIAG_RANDREAD_QD1] = { "randread-4k-qd1", "4k random read, QD1 (latency)",
				"randread", 4096, 1, false, false, false, 0, 0 },
	[DIAG_RANDREAD_QD32] = { "randread-4k-qd32", "4k random read, QD32 (IOPS)",
				 "randread", 4096, 32, false, false, false, 0, 0 },
	[DIAG_SEQREAD_1M] = { "seqread-1m", "1M sequential read, QD8 (throughput)",
			      "read", 1 << 20, 8, false, false, false, 0, 0 },
	[DIAG_SEQWRITE_1M] = { "seqwrite-1m", "1M sequential write, QD8 (throughput)",
			       "write", 1 << 20, 8, true, false, false, 0, 0 },
	[DIAG_SYNCWRITE_4K] = { "syncwrite-4k", "4k write + fdatasync, QD1 (commit latency)",
				"write", 4096, 1, true, true, true, 0, 0 },
	[DIAG_BUFWRITE_4K] = { "bufwrite-4k", "4k buffered write, QD1 (compare with sync)",
			       "write", 4096, 1, true, true, false, 0, 4 * MIB },
	[DIAG_MIXED_7030] = { "mixed-7030", "4k random 70% read / 30% write, QD16",
			      "randrw", 4096, 16, true, false, false, 70, 0 },
};

void diagnose_result_init(struct diagnose_result *r, const char *target)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->target, sizeof(r->target), "%s", target ? target : "");
	r->direct = true;
	r->nr_requests = -1;
	r->rotational = -1;
	for (unsigned i = 0; i < DIAG_STEP_NR; i++) {
		struct diagnose_step *s = &r->steps[i];
		const struct step_def *d = &step_defs[i];

		s->kind = (enum diag_step_kind)i;
		s->name = d->name;
		s->title = d->title;
		s->rw = d->rw;
		s->bs = d->bs;
		s->iodepth = d->iodepth;
		s->writes = d->writes;
		s->direct = !d->buffered;
		s->fdatasync = d->fdatasync;
		s->status = DIAG_NOT_RUN;
		s->depth = -1;
		s->util = -1;
		s->await_ms = -1;
		s->dev_iops = -1;
		s->dev_bw = -1;
		s->dev_depth = -1;
	}
}

/* ---- formatting helpers ---- */

/* "85 us", "1.25 ms", "2.10 s" for a latency in microseconds. */
static const char *fmt_us(char *buf, size_t len, double us)
{
	if (us < 0)
		snprintf(buf, len, "-");
	else if (us < 10)
		snprintf(buf, len, "%.1f us", us);
	else if (us < 1000)
		snprintf(buf, len, "%.0f us", us);
	else if (us < 10000)
		snprintf(buf, len, "%.2f ms", us / 1000);
	else if (us < 1000000)
		snprintf(buf, len, "%.1f ms", us / 1000);
	else
		snprintf(buf, len, "%.2f s", us / 1000000);
	return buf;
}

/* "123.4 MiB/s" for bytes per second. */
static const char *fmt_bw(char *buf, size_t len, double bps)
{
	if (bps >= GIB)
		snprintf(buf, len, "%.2f GiB/s", bps / GIB);
	else
		snprintf(buf, len, "%.1f MiB/s", bps / MIB);
	return buf;
}

static const char *fmt_iops(char *buf, size_t len, double iops)
{
	if (iops >= 100000)
		snprintf(buf, len, "%.0fk", iops / 1000);
	else if (iops >= 10000)
		snprintf(buf, len, "%.1fk", iops / 1000);
	else if (iops >= 100)
		snprintf(buf, len, "%.0f", iops);
	else
		snprintf(buf, len, "%.1f", iops);
	return buf;
}

/* Copy @src into @dst (@len bytes), truncating. */
static void copy_name(char *dst, size_t len, const char *src)
{
	size_t n = strnlen(src, len - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Append printf output to @buf (NUL-terminated, @len bytes), truncating. */
static void appendf(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void appendf(char *buf, size_t len, const char *fmt, ...)
{
	size_t used = strlen(buf);
	va_list ap;

	if (used + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + used, len - used, fmt, ap);
	va_end(ap);
}

/* ---- analysis (pure) ---- */

/* Thresholds, in one place. */
#define TAIL_RATIO 5.0          /* p99.9 at least this many times p99 ...     */
#define TAIL_MIN_US 1000.0      /* ... and at least this long: a tail spike   */
#define SPIKE_OVER_P50 10.0     /* an interval's max over the step's p50 ...  */
#define SPIKE_OVER_P99 10.0     /* ... and over the step's p99 ...            */
#define SPIKE_MIN_US 2000.0     /* ... and at least this long: a spike        */
#define STALL_BAD_US 100000.0   /* a spike this long is a problem by itself   */
#define SPREAD_FRAC 0.25        /* spikes in more intervals: "throughout"     */
#define SYNC_RATIO 20.0         /* buffered / sync IOPS far apart ...         */
#define SYNC_MIN_US 300.0       /* ... and a commit this slow: slow flushes   */
#define QD_GAIN_MIN 2.0         /* QD32 / QD1 IOPS below this: bottleneck     */
#define QD_MIN_LAT_US 20.0      /* QD1 p50 below this: depth cannot matter    */
#define MEMORY_US 5.0           /* QD1 read p50 below this ...                */
#define MEMORY_IOPS 20000.0     /* ... at this many IOPS (1/IOPS agrees): RAM */
#define BUSY_UTIL 90.0          /* util percent that means "always busy"      */
#define BUSY_LOW_IOPS 1000.0    /* small-block IOPS that are low for a device */
#define BUSY_LOW_BW (100e6)     /* large-block bytes/s that are low           */
#define LIMIT_FLAT 1.5          /* QD32 / QD1 IOPS under this: flat in depth  */
#define LIMIT_IDLE_UTIL 50.0    /* a device busier than this is the limit     */
#define LIMIT_ABOVE 4.0         /* mean latency this many times the await ... */
#define LIMIT_AWAIT_SLACK_US 50.0 /* ... plus this: the wait is above it      */
#define LITTLE_BURST 0.25       /* QD1 IOPS x p50 under this: bursts, waits   */
#define BW_SAME 0.25            /* 4k and 1M bytes/s this close: a bw limit   */
#define OTHER_UTIL 80.0         /* device this busy ...                       */
#define OTHER_SHARE 0.5         /* ... with our share of its bytes under this */
#define FLOOR_SSD_US 1000.0     /* QD1 min latency a non-spinning device beats */
#define FLOOR_HDD_US 20000.0    /* ... and a spinning one                     */
#define FLOOR_SPREAD 1.5        /* p50 within this factor of the min: a floor */
#define DEPTH_HELPS 8.0         /* QD32 / QD1 IOPS at least this: parallel    */
#define MODE_APART_BINS 8       /* two latency peaks 4x (2 octaves) apart ... */
#define MODE_VALLEY 0.1         /* ... with a valley under 10% of the lower peak */
#define MODE_MIN_PEAK 10.0      /* the slow peak's bin holds at least this many */
#define MODE_MIN_SHARE 0.01     /* each with at least 1% of the I/Os ...      */
#define MODE_MIN_IOS 20.0       /* ... and at least this many                 */
#define MODE_SLOW_US 1000.0     /* the slow population at least this slow    */
#define PERIOD_TOL 0.25         /* stall gaps this close to their median: periodic */
#define PERIODIC_MIN_US 50000.0 /* periodic stalls at least this long         */
#define SSD_P99_US 5000.0       /* p99 an SSD-class device allows at QD<=4 ... */
#define HDD_P99_US 50000.0      /* ... and a spinning disk (more with depth)  */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, size_t n)
{
	if (!n)
		return 0;
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static const char *severity_name(enum diag_severity s)
{
	switch (s) {
	case DIAG_ALERT:
		return "alert";
	case DIAG_WARN:
		return "warning";
	default:
		return "info";
	}
}

static void finding_init(struct diagnose_finding *f, int step, enum diag_severity sev,
			 const char *code)
{
	memset(f, 0, sizeof(*f));
	f->severity = sev;
	f->step = step;
	snprintf(f->code, sizeof(f->code), "%s", code);
}

/* Name a figure of @f (ignored past DIAG_FINDING_FIGS). */
static void fig_add(struct diagnose_finding *f, const char *name, double value)
{
	if (f->nr_fig >= DIAG_FINDING_FIGS)
		return;
	snprintf(f->fig[f->nr_fig].name, sizeof(f->fig[0].name), "%s", name);
	f->fig[f->nr_fig++].value = value;
}

/* Record @f in the run's list and, when @to_step, in its step's. */
static void push_finding(struct diagnose_result *r, const struct diagnose_finding *f, bool to_step)
{
	if (r->nr_findings < DIAG_MAX_FINDINGS)
		r->findings[r->nr_findings++] = *f;
	if (to_step && f->step >= 0 && f->step < DIAG_STEP_NR) {
		struct diagnose_step *s = &r->steps[f->step];

		if (s->nr_findings < DIAG_STEP_FINDINGS)
			s->findings[s->nr_findings++] = *f;
	}
}

static void add_finding(struct diagnose_result *r, int step, bool to_step,
			enum diag_severity sev, const char *code, const char *text)
{
	struct diagnose_finding f;

	finding_init(&f, step, sev, code);
	snprintf(f.text, sizeof(f.text), "%s", text);
	push_finding(r, &f, to_step);
}

static bool has_finding(const struct diagnose_result *r, const char *code)
{
	for (unsigned i = 0; i < r->nr_findings; i++)
		if (!strcmp(r->findings[i].code, code))
			return true;
	return false;
}

static bool step_ok(const struct diagnose_step *s)
{
	return (s->status == DIAG_DONE || s->status == DIAG_STOPPED) && s->runtime_s > 0;
}

/* I/Os in flight by Little's law: IOPS x mean latency. */
static double little_depth(const struct diagnose_step *s)
{
	return s->iops * s->clat_mean_us / 1e6;
}

static bool spinning(const struct diagnose_result *r)
{
	return r->rotational == 1;
}

static const char *class_name(const struct diagnose_result *r)
{
	return spinning(r) ? "a spinning disk" : r->rotational == 0 ? "an SSD" :
	       "an SSD-class device";
}

/* The p99 a healthy device of r's class shows in step @s: the class's QD1
 * figure, growing with depth past 4 (a queue of 32 waits its turn). */
static double class_p99_us(const struct diagnose_result *r, const struct diagnose_step *s)
{
	double base = spinning(r) ? HDD_P99_US : SSD_P99_US;

	return s->iodepth > 4 ? base * s->iodepth / 4 : base;
}

/* The QD1 reads ran at memory speed, and 1/IOPS agrees that the I/Os were
 * that fast (a limiter that lets bursts through also shows a tiny p50, but
 * at low IOPS). */
static bool memory_speed(const struct diagnose_step *q1)
{
	return step_ok(q1) && q1->clat_p50_us > 0 && q1->clat_p50_us < MEMORY_US &&
	       q1->iops >= MEMORY_IOPS;
}

/* Value of latency bin @k in microseconds (its geometric middle). */
static double bin_us(unsigned k)
{
	return exp2((k + 0.5) / 4.0);
}

static double bins_total(const struct diagnose_step *s)
{
	double n = 0;

	for (unsigned k = 0; k < DIAG_LAT_BINS; k++)
		n += s->lat_bins[k];
	return n;
}

/* Share of s's I/Os that took at least @us. */
static double share_over(const struct diagnose_step *s, double us)
{
	double n = 0, total = bins_total(s);

	for (unsigned k = 0; k < DIAG_LAT_BINS; k++)
		if (bin_us(k) >= us)
			n += s->lat_bins[k];
	return total > 0 ? n / total : 0;
}

/* Median latency of the I/Os in bins [lo, hi). */
static double bins_median_us(const struct diagnose_step *s, unsigned lo, unsigned hi)
{
	double n = 0, seen = 0;

	for (unsigned k = lo; k < hi; k++)
		n += s->lat_bins[k];
	for (unsigned k = lo; k < hi; k++) {
		seen += s->lat_bins[k];
		if (seen >= n / 2)
			return bin_us(k);
	}
	return 0;
}

/* ---- a limit above the device ---- */

/* IOPS (or bytes/s) flat across depths while the device idles: something
 * above the device holds the I/Os (a cgroup throttle, a cloud volume's cap).
 * Evidence: the depth gain, the device's util and await against our
 * latency, Little's law, and at QD1 a p50 that 1/IOPS contradicts (the
 * limiter lets a burst through, then holds the next I/O). */
static void analyse_limit(struct diagnose_result *r)
{
	const struct diagnose_step *q1 = &r->steps[DIAG_RANDREAD_QD1];
	const struct diagnose_step *q32 = &r->steps[DIAG_RANDREAD_QD32];
	const struct diagnose_step *sq = &r->steps[DIAG_SEQREAD_1M];
	char a[24], b[24], c[24], x[16], y[16], z[16];
	struct diagnose_finding f;
	double gain, per_io_us, cap;
	bool dev_known, idle, above, burst, bw_same;

	if (!r->direct || !step_ok(q1) || !step_ok(q32) || q1->iops <= 0 || q32->iops <= 0 ||
	    memory_speed(q1))
		return;
	gain = q32->iops / q1->iops;
	per_io_us = 1e6 / q1->iops;
	dev_known = q32->util >= 0 && q32->await_ms >= 0;
	idle = dev_known && q32->util < LIMIT_IDLE_UTIL;
	above = dev_known &&
		q32->clat_mean_us > LIMIT_ABOVE * (q32->await_ms * 1000 + LIMIT_AWAIT_SLACK_US);
	burst = q1->clat_p50_us > 0 && q1->clat_p50_us * q1->iops / 1e6 < LITTLE_BURST &&
		q1->clat_p99_us > 10 * q1->clat_p50_us;
	if (dev_known ? !(idle && above) : !burst)
		return;
	bw_same = step_ok(sq) && sq->bw_bytes > 0 && q32->bw_bytes > 0 &&
		  fabs(sq->bw_bytes / q32->bw_bytes - 1) < BW_SAME &&
		  (sq->util < 0 || sq->util < LIMIT_IDLE_UTIL);
	if (bw_same) {
		cap = (sq->bw_bytes + q32->bw_bytes) / 2;
		finding_init(&f, DIAG_SEQREAD_1M, DIAG_WARN, "bw_limit");
		snprintf(f.text, sizeof(f.text),
			 "A limit above the device caps throughput near %s: 4k random reads at "
			 "QD32 moved %s and 1M sequential reads %s, the same bytes per second "
			 "with 256 times larger I/Os (%s and %s IOPS)",
			 fmt_bw(a, sizeof(a), cap), fmt_bw(b, sizeof(b), q32->bw_bytes),
			 fmt_bw(c, sizeof(c), sq->bw_bytes), fmt_iops(x, sizeof(x), q32->iops),
			 fmt_iops(y, sizeof(y), sq->iops));
		if (dev_known)
			appendf(f.text, sizeof(f.text),
				", while the device was busy only %.0f%% of the time (await %.2f ms "
				"against %s mean latency)", sq->util >= 0 ? sq->util : q32->util,
				q32->await_ms, fmt_us(a, sizeof(a), q32->clat_mean_us));
		appendf(f.text, sizeof(f.text),
			". A device's own limit would show in its utilization; this one holds the "
			"I/Os before they reach it. Look for a cgroup I/O limit on this process "
			"(io.max rbps/wbps, blkio.throttle.*_bps_device), a cloud volume's or "
			"hypervisor's throughput cap, or a rate limit in the storage path.");
		fig_add(&f, "cap_bw_bytes", cap);
		fig_add(&f, "qd32_bw_bytes", q32->bw_bytes);
		fig_add(&f, "seq_bw_bytes", sq->bw_bytes);
		if (dev_known)
			fig_add(&f, "util", q32->util);
		push_finding(r, &f, true);
		return;
	}
	if (gain >= LIMIT_FLAT)
		return;
	cap = fmax(q1->iops, q32->iops);
	finding_init(&f, DIAG_RANDREAD_QD32, DIAG_WARN, "iops_limit");
	snprintf(f.text, sizeof(f.text),
		 "A limit above the device caps I/O near %s IOPS: 4k random reads gave %s IOPS "
		 "at QD1 and %s at QD32, %.1fx for 32 times the depth",
		 fmt_iops(x, sizeof(x), cap), fmt_iops(y, sizeof(y), q1->iops),
		 fmt_iops(z, sizeof(z), q32->iops), gain);
	if (dev_known)
		appendf(f.text, sizeof(f.text),
			", while the device was busy only %.0f%% of the time with an await of "
			"%.2f ms", q32->util, q32->await_ms);
	appendf(f.text, sizeof(f.text),
		". By Little's law %s IOPS x %s mean latency = %.0f I/Os in flight",
		fmt_iops(x, sizeof(x), q32->iops), fmt_us(a, sizeof(a), q32->clat_mean_us),
		little_depth(q32));
	if (q32->dev_depth >= 0)
		appendf(f.text, sizeof(f.text), ", %.1f of them at the device", q32->dev_depth);
	appendf(f.text, sizeof(f.text), ": they wait above it.");
	if (burst)
		appendf(f.text, sizeof(f.text),
			" At QD1, %s IOPS means %s per I/O, yet the p50 was %s: the limiter lets "
			"a burst through at once and holds the next I/O (p99 %s). That is a "
			"throttle, not memory.",
			fmt_iops(x, sizeof(x), q1->iops), fmt_us(a, sizeof(a), per_io_us),
			fmt_us(b, sizeof(b), q1->clat_p50_us), fmt_us(c, sizeof(c), q1->clat_p99_us));
	appendf(f.text, sizeof(f.text),
		" Look for a cgroup I/O limit on this process (io.max riops/wiops, "
		"blkio.throttle.*_iops_device), a cloud volume's or hypervisor's IOPS cap, or a "
		"rate limit in the storage path.");
	fig_add(&f, "cap_iops", cap);
	fig_add(&f, "qd1_iops", q1->iops);
	fig_add(&f, "qd32_iops", q32->iops);
	fig_add(&f, "little_depth", little_depth(q32));
	if (dev_known)
		fig_add(&f, "util", q32->util);
	push_finding(r, &f, true);
}

static bool limited(const struct diagnose_result *r)
{
	return has_finding(r, "iops_limit") || has_finding(r, "bw_limit");
}

/* ---- other users of the device ---- */

/* The device was busy, but mostly with bytes that were not ours. Only
 * O_DIRECT steps: a buffered step's device traffic is writeback, not its
 * own I/O. */
static void analyse_other_io(struct diagnose_result *r)
{
	const struct diagnose_step *best = NULL;
	char a[24], b[24], c[24], x[16], y[16];
	struct diagnose_finding f;
	double share = 1;

	for (unsigned i = 0; i < DIAG_STEP_NR; i++) {
		const struct diagnose_step *s = &r->steps[i];
		double sh;

		if (!step_ok(s) || step_defs[i].buffered || !s->direct || s->util < OTHER_UTIL ||
		    s->dev_bw <= 0 || s->dev_iops <= 0)
			continue;
		sh = s->bw_bytes / s->dev_bw;
		if (sh < OTHER_SHARE && s->iops / s->dev_iops < OTHER_SHARE && sh < share) {
			share = sh;
			best = s;
		}
	}
	if (!best)
		return;
	finding_init(&f, (int)best->kind, DIAG_WARN, "other_io");
	snprintf(f.text, sizeof(f.text),
		 "The device is busy with other I/O: during %s it was busy %.0f%% of the time "
		 "and moved %s (%s IOPS), of which this run's were only %s (%s IOPS, %.0f%%). "
		 "This run's I/Os waited behind the others' (p50 %s, device await %.1f ms). "
		 "The figures here are the share left over, not what the device can do; find "
		 "the other user with iostat -x 1, iotop -o or pidstat -d 1.",
		 best->name, best->util, fmt_bw(a, sizeof(a), best->dev_bw),
		 fmt_iops(x, sizeof(x), best->dev_iops), fmt_bw(b, sizeof(b), best->bw_bytes),
		 fmt_iops(y, sizeof(y), best->iops), 100 * share,
		 fmt_us(c, sizeof(c), best->clat_p50_us), best->await_ms);
	fig_add(&f, "util", best->util);
	fig_add(&f, "dev_iops", best->dev_iops);
	fig_add(&f, "our_iops", best->iops);
	fig_add(&f, "our_share", share);
	push_finding(r, &f, true);
}

/* ---- the device's own speed ---- */

/* Every I/O slow: the QD1 reads' fastest I/O is already slow for the class
 * and the p50 sits near it (a floor, not a queue). Says whether depth helps
 * the way a device with parallel channels should (Little's law at QD32). */
static void analyse_floor(struct diagnose_result *r)
{
	const struct diagnose_step *q1 = &r->steps[DIAG_RANDREAD_QD1];
	const struct diagnose_step *q32 = &r->steps[DIAG_RANDREAD_QD32];
	char a[24], b[24], c[24], x[16], y[16];
	struct diagnose_finding f;
	double floor_us, thr = spinning(r) ? FLOOR_HDD_US : FLOOR_SSD_US;

	if (!r->direct || !step_ok(q1) || q1->clat_min_us <= 0 || memory_speed(q1) ||
	    limited(r) || has_finding(r, "other_io"))
		return;
	floor_us = q1->clat_min_us;
	if (floor_us < FLOOR_SSD_US || q1->clat_p50_us > FLOOR_SPREAD * floor_us)
		return;
	finding_init(&f, DIAG_RANDREAD_QD1, floor_us >= thr ? DIAG_WARN : DIAG_INFO,
		     "latency_floor");
	snprintf(f.text, sizeof(f.text),
		 "Every I/O is slow: 4k random reads at QD1 took at least %s (p50 %s, p99 %s, "
		 "%s IOPS)",
		 fmt_us(a, sizeof(a), floor_us), fmt_us(b, sizeof(b), q1->clat_p50_us),
		 fmt_us(c, sizeof(c), q1->clat_p99_us), fmt_iops(x, sizeof(x), q1->iops));
	if (q1->await_ms >= 0)
		appendf(f.text, sizeof(f.text), ", and the device's own await was %.2f ms",
			q1->await_ms);
	appendf(f.text, sizeof(f.text), ": the device takes that long for each one.");
	fig_add(&f, "floor_us", floor_us);
	fig_add(&f, "p50_us", q1->clat_p50_us);
	if (step_ok(q32) && q1->iops > 0) {
		double gain = q32->iops / q1->iops;

		if (gain >= DEPTH_HELPS)
			appendf(f.text, sizeof(f.text),
				" Depth helps as it should: QD32 gave %s IOPS, %.0fx, at about the "
				"same latency (p50 %s); by Little's law %s IOPS x %s = %.0f I/Os "
				"served at once.",
				fmt_iops(y, sizeof(y), q32->iops), gain,
				fmt_us(a, sizeof(a), q32->clat_p50_us), y,
				fmt_us(b, sizeof(b), q32->clat_mean_us), little_depth(q32));
		else
			appendf(f.text, sizeof(f.text),
				" Depth helps little: QD32 gave %s IOPS, only %.1fx (p50 %s): the "
				"device serves few I/Os at once.",
				fmt_iops(y, sizeof(y), q32->iops), gain,
				fmt_us(a, sizeof(a), q32->clat_p50_us));
		fig_add(&f, "qd_gain", gain);
	}
	if (floor_us >= thr)
		appendf(f.text, sizeof(f.text),
			" For %s this is slow (%s should answer under %s): a remote or network "
			"volume (each I/O a round trip), a failing device retrying, or a spinning "
			"disk reported as non-rotational.",
			class_name(r), class_name(r), fmt_us(a, sizeof(a), thr));
	else
		appendf(f.text, sizeof(f.text),
			" That is what %s costs per random I/O (seek and rotation); "
			"applications doing small random I/O feel it.", class_name(r));
	push_finding(r, &f, true);
}

/* ---- stalls ---- */

struct stall_event {
	double t;   /* seconds since the step started */
	double len; /* seconds */
};

/* The spike floor of step @s: far above its typical latency. */
static double spike_floor(const struct diagnose_step *s)
{
	double p50s[DIAG_MAX_POINTS], floor_us;
	size_t n50 = 0;

	for (unsigned i = 0; i < s->nr_points; i++)
		if (s->points[i].ios > 0 && s->points[i].lat_p50_us > 0)
			p50s[n50++] = s->points[i].lat_p50_us;
	floor_us = SPIKE_OVER_P50 * (n50 ? median(p50s, n50) : s->clat_p50_us);
	if (floor_us < SPIKE_OVER_P99 * s->clat_p99_us)
		floor_us = SPIKE_OVER_P99 * s->clat_p99_us;
	if (floor_us < SPIKE_MIN_US)
		floor_us = SPIKE_MIN_US;
	return floor_us;
}

/* Is interval @i of @s a spike (its worst I/O far above the step's typical
 * latency) or a stall (nothing completed mid-step for far longer than an
 * I/O takes)? */
static bool is_spike(const struct diagnose_step *s, unsigned i, double floor_us)
{
	const struct diagnose_point *p = &s->points[i];

	/* the first interval holds start-up (cold caches, first opens) */
	return p->ios > 0 && p->lat_max_us >= floor_us && (i > 0 || s->nr_points < 4);
}

static bool is_stall(const struct diagnose_step *s, unsigned i)
{
	const struct diagnose_point *p = &s->points[i];

	return p->ios == 0 && i > 0 && i + 1 < s->nr_points && p->dur_s >= 0.05 &&
	       p->dur_s * 1e6 >= SPIKE_OVER_P99 * s->clat_p99_us && s->points[i - 1].ios > 0;
}

/* Stall events of @s: runs of intervals that are stalls or spikes of at
 * least @min_us, each starting when the first empty interval began or when
 * its slowest I/O was issued. */
static unsigned stall_events(const struct diagnose_step *s, double min_us,
			     struct stall_event *ev, unsigned max)
{
	double floor_us = fmax(spike_floor(s), min_us);
	unsigned n = 0;
	bool in = false;

	for (unsigned i = 0; i < s->nr_points; i++) {
		const struct diagnose_point *p = &s->points[i];
		bool spike = is_spike(s, i, floor_us), stall = is_stall(s, i);
		double start, len;

		if (!spike && !stall) {
			in = false;
			continue;
		}
		start = stall ? p->t_s - p->dur_s / 2 : p->t_s - p->lat_max_us / 1e6;
		len = stall ? p->dur_s : p->lat_max_us / 1e6;
		if (start < 0)
			start = 0;
		if (in && n) {
			struct stall_event *e = &ev[n - 1];
			double end = fmax(e->t + e->len, stall ? p->t_s + p->dur_s / 2 : p->t_s);

			if (start < e->t)
				e->t = start;
			e->len = fmax(fmax(e->len, len), end - e->t);
			continue;
		}
		if (n >= max)
			break;
		ev[n].t = start;
		ev[n].len = len;
		n++;
		in = true;
	}
	return n;
}

/* Stalls that come back at a steady rhythm, across the steps: how long,
 * how often, what share of time and of I/Os they hold. Sets bit k of
 * @covered for each step whose spikes this explains. */
static void analyse_periodic(struct diagnose_result *r, unsigned *covered)
{
	double gaps[DIAG_STEP_NR * DIAG_MAX_POINTS], lens[DIAG_STEP_NR * DIAG_MAX_POINTS];
	struct stall_event ev[DIAG_MAX_POINTS];
	size_t ng = 0, nl = 0, close = 0;
	unsigned steps = 0;
	char a[24], b[24], names[200] = "";
	struct diagnose_finding f;
	double period, len, held = 0, total = 0, g2[DIAG_STEP_NR * DIAG_MAX_POINTS], longest = 0;

	*covered = 0;
	if (limited(r))
		return;
	/* the stalls are the longest waits (one I/O's, or a run of intervals
	 * where nothing completed); lesser spikes are noise here, and are not
	 * merged into them */
	for (unsigned i = 0; i < DIAG_STEP_NR; i++) {
		const struct diagnose_step *s = &r->steps[i];
		double empty = 0;

		if (!step_ok(s) || step_defs[i].buffered)
			continue;
		for (unsigned k = 0; k < s->nr_points; k++) {
			const struct diagnose_point *p = &s->points[k];

			if (k > 0 || s->nr_points < 4)
				longest = fmax(longest, p->lat_max_us / 1e6);
			empty = p->ios == 0 && k > 0 && k + 1 < s->nr_points ? empty + p->dur_s : 0;
			longest = fmax(longest, empty);
		}
	}
	if (longest * 1e6 < PERIODIC_MIN_US)
		return;
	for (unsigned i = 0; i < DIAG_STEP_NR; i++) {
		const struct diagnose_step *s = &r->steps[i];
		unsigned n, kept = 0;
		double last = 0;

		if (!step_ok(s) || step_defs[i].buffered)
			continue;
		n = stall_events(s, longest * 1e6 / 2, ev, DIAG_MAX_POINTS);
		for (unsigned k = 0; k < n; k++) {
			if (ev[k].len < longest / 2)
				continue;
			lens[nl++] = ev[k].len;
			if (kept++)
				gaps[ng++] = ev[k].t - last;
			last = ev[k].t;
		}
		if (kept >= 2)
			steps |= 1u << i;
	}
	if (ng < 2 || nl < 3)
		return;
	memcpy(g2, gaps, ng * sizeof(*gaps));
	period = median(g2, ng);
	if (period <= 0)
		return;
	/* a stall missed (or merged) leaves a gap of two periods */
	for (size_t k = 0; k < ng; k++) {
		double m = gaps[k] / period, whole = round(m);

		if (whole >= 1 && whole <= 2 && fabs(m - whole) <= PERIOD_TOL * whole)
			close++;
	}
	if (close * 3 < ng * 2)
		return;
	len = median(lens, nl);
	for (unsigned i = 0; i < DIAG_STEP_NR; i++) {
		const struct diagnose_step *s = &r->steps[i];

		if (!(steps & (1u << i)))
			continue;
		held += share_over(s, len * 1e6 / 2) * bins_total(s);
		total += bins_total(s);
		appendf(names, sizeof(names), "%s%s", names[0] ? ", " : "", s->name);
	}
	*covered = steps;
	finding_init(&f, -1, DIAG_WARN, "periodic_stall");
	snprintf(f.text, sizeof(f.text),
		 "Periodic stalls: about every %.1f s the device stops completing I/O for about "
		 "%s (seen in %s: %zu stalls, gaps %.1f-%.1f s). They take %.0f%% of the time "
		 "and hold %.2f%% of the I/Os: those that arrive during a stall wait up to %s, "
		 "the rest are not slowed. A steady rhythm points to something scheduled: a "
		 "periodic flush or journal commit, writeback every few seconds, a firmware "
		 "housekeeping cycle, or a backup or monitoring job.",
		 period, fmt_us(a, sizeof(a), len * 1e6), names, nl, g2[0], g2[ng - 1],
		 100 * len / period, total > 0 ? 100 * held / total : 0,
		 fmt_us(b, sizeof(b), len * 1e6));
	fig_add(&f, "period_s", period);
	fig_add(&f, "stall_ms", len * 1e3);
	fig_add(&f, "time_share", len / period);
	fig_add(&f, "io_share", total > 0 ? held / total : 0);
	fig_add(&f, "stalls", (double)nl);
	push_finding(r, &f, false);
}

/* Spikes of one step (not periodic): fills s->spike_t; returns how many
 * intervals qualified and the worst latency among them in *worst_us. */
static unsigned find_spikes(struct diagnose_step *s, double *worst_us, bool *stalled)
{
	double floor_us = spike_floor(s);
	unsigned total = 0;

	*worst_us = 0;
	*stalled = false;
	s->nr_spikes = 0;
	for (unsigned i = 0; i < s->nr_points; i++) {
		const struct diagnose_point *p = &s->points[i];
		bool spike = is_spike(s, i, floor_us), stall = is_stall(s, i);

		if (!spike && !stall)
			continue;
		total++;
		*stalled |= stall;
		if (spike && p->lat_max_us > *worst_us)
			*worst_us = p->lat_max_us;
		if (stall && p->dur_s * 1e6 > *worst_us)
			*worst_us = p->dur_s * 1e6;
		if (s->nr_spikes < DIAG_MAX_SPIKES)
			s->spike_t[s->nr_spikes++] = p->t_s;
	}
	return total;
}

static void spike_times(char *buf, size_t len, const struct diagnose_step *s, unsigned total)
{
	buf[0] = '\0';
	if (s->nr_points >= 8 && total > SPREAD_FRAC * s->nr_points) {
		snprintf(buf, len, "in %u of the %u sampling intervals", total, s->nr_points);
		return;
	}
	for (unsigned i = 0; i < s->nr_spikes; i++)
		appendf(buf, len, "%s%.1fs", i ? ", " : "at t=", s->spike_t[i]);
	if (total > s->nr_spikes)
		appendf(buf, len, " and %u more", total - s->nr_spikes);
}

/* @said: bit 0 set once the causes of a tail were given, bit 1 for stalls
 * (each is explained once per run). @quiet: spikes explained elsewhere
 * (periodic stalls): kept in spike_t, no finding. */
static void analyse_tail(struct diagnose_result *r, struct diagnose_step *s, unsigned *said,
			 bool quiet)
{
	char text[DIAG_FINDING_LEN], a[24], b[24], c[24], times[160];
	double worst;
	bool stalled;
	unsigned spikes = find_spikes(s, &worst, &stalled);
	/* a tail counts once it passes what the class allows a p99 to be */
	bool tail = s->clat_p999_us >= TAIL_RATIO * s->clat_p99_us &&
		    s->clat_p999_us >= fmax(TAIL_MIN_US, class_p99_us(r, s) / TAIL_RATIO) &&
		    s->clat_p99_us > 0;

	if (quiet)
		return;
	spike_times(times, sizeof(times), s, spikes);
	if (tail) {
		snprintf(text, sizeof(text),
			 "%s: tail latency spikes: p99.9 is %s, %.0fx the p99 of %s (p50 %s).",
			 s->name, fmt_us(a, sizeof(a), s->clat_p999_us),
			 s->clat_p999_us / s->clat_p99_us, fmt_us(b, sizeof(b), s->clat_p99_us),
			 fmt_us(c, sizeof(c), s->clat_p50_us));
		if (spikes)
			appendf(text, sizeof(text), " The worst moments were %s (up to %s).",
				times, fmt_us(a, sizeof(a), worst));
		else
			appendf(text, sizeof(text),
				" The slow I/Os are spread through the run, not bunched in time.");
		if (!(*said & 1))
			appendf(text, sizeof(text),
				" About one I/O in a thousand waits far longer than the rest; usual "
				"causes are garbage collection or cache flushes inside the device, "
				"other I/O on the same device, throttling, or a busy host (VM steal).");
		*said |= 1;
		add_finding(r, (int)s->kind, true, DIAG_WARN, "tail_latency", text);
	} else if (spikes) {
		snprintf(text, sizeof(text),
			 "%s: latency stalls %s: up to %s while p99 over the step was %s.",
			 s->name, times, fmt_us(a, sizeof(a), worst),
			 fmt_us(b, sizeof(b), s->clat_p99_us));
		if (!(*said & 2))
			appendf(text, sizeof(text),
				" Rarer than one I/O in a thousand; if they repeat, look for other "
				"I/O on the device at those times, journal commits, or the host "
				"pausing the VM.");
		*said |= 2;
		add_finding(r, (int)s->kind, true,
			    stalled || worst >= STALL_BAD_US ? DIAG_WARN : DIAG_INFO,
			    "latency_stall", text);
	}
}

/* ---- two populations ---- */

/* Two populations of latency in @s: a valley (three bins whose mean is
 * under MODE_VALLEY of the lower of the two peaks) between a fast and a
 * slow peak at least MODE_APART_BINS apart, enough I/Os on both sides, the
 * slow side slow. A loaded host smears the fast side over milliseconds; the
 * valley still shows. Fills shares and typical latencies (fast first). */
static bool two_modes(const struct diagnose_step *s, double *fast_share, double *fast_us,
		      double *slow_share, double *slow_us)
{
	double total = bins_total(s), best = MODE_VALLEY, lo_n = 0;
	unsigned split = 0;

	if (total < 2 * MODE_MIN_IOS)
		return false;
	for (unsigned v = 2; v + 2 < DIAG_LAT_BINS; v++) {
		double valley = (s->lat_bins[v - 1] + s->lat_bins[v] + s->lat_bins[v + 1]) / 3;
		double lpk = 0, rpk = 0, l = 0, rr = 0;
		unsigned lat = 0, rat = 0;

		for (unsigned k = 0; k < v; k++) {
			l += s->lat_bins[k];
			if (s->lat_bins[k] > lpk) {
				lpk = s->lat_bins[k];
				lat = k;
			}
		}
		for (unsigned k = v + 1; k < DIAG_LAT_BINS; k++) {
			rr += s->lat_bins[k];
			if (s->lat_bins[k] > rpk) {
				rpk = s->lat_bins[k];
				rat = k;
			}
		}
		if (lpk <= 0 || rpk < MODE_MIN_PEAK || rat < lat + MODE_APART_BINS ||
		    l < MODE_MIN_IOS || rr < MODE_MIN_IOS || l / total < MODE_MIN_SHARE ||
		    rr / total < MODE_MIN_SHARE)
			continue;
		if (valley / fmin(lpk, rpk) < best) {
			best = valley / fmin(lpk, rpk);
			split = v;
		}
	}
	if (!split)
		return false;
	for (unsigned k = 0; k <= split; k++)
		lo_n += s->lat_bins[k];
	*fast_share = lo_n / total;
	*slow_share = 1 - *fast_share;
	*fast_us = bins_median_us(s, 0, split + 1);
	*slow_us = bins_median_us(s, split + 1, DIAG_LAT_BINS);
	return *slow_us >= MODE_SLOW_US;
}

static void analyse_modes(struct diagnose_result *r)
{
	static const enum diag_step_kind order[] = { DIAG_RANDREAD_QD1, DIAG_RANDREAD_QD32,
						     DIAG_SEQREAD_1M, DIAG_MIXED_7030 };
	char a[24], b[24], c[24], d[24];
	struct diagnose_finding f;

	if (limited(r) || memory_speed(&r->steps[DIAG_RANDREAD_QD1]))
		return;
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		const struct diagnose_step *s = &r->steps[order[i]];
		double fs, fu, ss, su;

		/* the slow side must be slow for the class: a spinning disk's
		 * cache hits beside its seeks are no news */
		if (!step_ok(s) || !s->direct || !two_modes(s, &fs, &fu, &ss, &su) ||
		    su < (spinning(r) ? HDD_P99_US : SSD_P99_US))
			continue;
		finding_init(&f, (int)s->kind, DIAG_WARN, "latency_modes");
		snprintf(f.text, sizeof(f.text),
			 "Two populations of latency in %s: %.1f%% of the I/Os completed in about "
			 "%s, %.1f%% took about %s, and almost none in between. The slow ones set "
			 "the mean (%s) and the p99 (%s). Some I/Os take a slow path: a cache in "
			 "front of the device (hits and misses), a slower RAID or multipath member, "
			 "a storage tier, or requests the device retries or remaps.",
			 s->name, 100 * fs, fmt_us(a, sizeof(a), fu), 100 * ss,
			 fmt_us(b, sizeof(b), su), fmt_us(c, sizeof(c), s->clat_mean_us),
			 fmt_us(d, sizeof(d), s->clat_p99_us));
		fig_add(&f, "fast_share", fs);
		fig_add(&f, "fast_us", fu);
		fig_add(&f, "slow_share", ss);
		fig_add(&f, "slow_us", su);
		push_finding(r, &f, true);
		return;
	}
}

/* ---- commits ---- */

static void analyse_commit(struct diagnose_result *r)
{
	struct diagnose_step *sy = &r->steps[DIAG_SYNCWRITE_4K];
	const struct diagnose_step *bu = &r->steps[DIAG_BUFWRITE_4K];
	char a[24], b[24], c[24], x[16], y[16];
	struct diagnose_finding f;
	double ratio, commit_us;

	if (!step_ok(sy) || !step_ok(bu) || sy->iops <= 0 || bu->iops <= 0)
		return;
	ratio = bu->iops / sy->iops;
	/* the p50, unless 1/IOPS says most of the time went elsewhere (a
	 * limiter's bursts): then the mean a commit costs at QD1 */
	commit_us = sy->commits && sy->clat_p50_us > 0 &&
		    sy->clat_p50_us * sy->iops / 1e6 >= LITTLE_BURST ? sy->clat_p50_us :
		    1e6 / sy->iops;
	if (ratio < SYNC_RATIO || commit_us < SYNC_MIN_US)
		return;
	finding_init(&f, DIAG_SYNCWRITE_4K, DIAG_WARN, "slow_commit");
	snprintf(f.text, sizeof(f.text),
		 "Commits are slow: a 4k write followed by fdatasync takes %s (",
		 fmt_us(a, sizeof(a), commit_us));
	if (sy->commits)
		appendf(f.text, sizeof(f.text), "p50 %s, p99 %s",
			fmt_us(b, sizeof(b), sy->clat_p50_us), fmt_us(c, sizeof(c), sy->clat_p99_us));
	else
		appendf(f.text, sizeof(f.text), "1/IOPS at QD1");
	if (sy->syncs)
		appendf(f.text, sizeof(f.text), "; the fdatasync alone %s on average",
			fmt_us(c, sizeof(c), sy->sync_mean_us));
	appendf(f.text, sizeof(f.text),
		"), so one writer commits only %s times a second, %.0fx fewer than buffered "
		"writes (%s IOPS). A database that syncs each transaction (PostgreSQL, "
		"MySQL/InnoDB, SQLite, etcd) is held to about %s commits/s per connection.",
		fmt_iops(x, sizeof(x), sy->iops), ratio, fmt_iops(y, sizeof(y), bu->iops), x);
	if (limited(r))
		appendf(f.text, sizeof(f.text),
			" The limit above the device accounts for it: a commit is a write and a "
			"flush, and both wait for the cap.");
	else
		appendf(f.text, sizeof(f.text),
			" The flush is what costs: the device's write cache is missing or "
			"disabled, it flushes slowly (no power-loss protection), or the storage "
			"is remote. Check %s%s%s (now: %s) and hdparm -W or sdparm --get=WCE on "
			"the disk.",
			r->device[0] ? "/sys/block/" : "the device's queue/write_cache",
			r->device[0] ? r->device : "", r->device[0] ? "/queue/write_cache" : "",
			r->write_cache[0] ? r->write_cache : "unknown");
	fig_add(&f, "commit_us", commit_us);
	if (sy->syncs)
		fig_add(&f, "fdatasync_us", sy->sync_mean_us);
	fig_add(&f, "commits_per_s", sy->iops);
	fig_add(&f, "buffered_iops", bu->iops);
	push_finding(r, &f, true);
}

/* ---- queue depth, saturation ---- */

static void analyse_queue_depth(struct diagnose_result *r)
{
	const struct diagnose_step *q1 = &r->steps[DIAG_RANDREAD_QD1];
	const struct diagnose_step *q32 = &r->steps[DIAG_RANDREAD_QD32];
	char text[DIAG_FINDING_LEN], a[24], b[24], x[16], y[16];
	double gain;

	if (!r->direct || !step_ok(q1) || !step_ok(q32) || q1->iops <= 0 || !q1->direct)
		return;
	if (q1->clat_p50_us < QD_MIN_LAT_US)
		return; /* answered at memory or CPU speed: depth cannot help */
	if (limited(r) || has_finding(r, "latency_floor") || has_finding(r, "other_io"))
		return; /* said with its cause */
	for (unsigned i = 0; i < q32->nr_findings; i++)
		if (!strcmp(q32->findings[i].code, "device_saturated"))
			return; /* the device itself is the limit, said already */
	gain = q32->iops / q1->iops;
	if (gain >= QD_GAIN_MIN)
		return;
	snprintf(text, sizeof(text),
		 "Queue depth does not raise IOPS: 32 random reads in flight give %s IOPS, "
		 "only %.1fx the %s IOPS of one at a time (an SSD gives many times more). "
		 "Latency went from %s at QD1 to %s at QD32, so the requests wait in line "
		 "somewhere.",
		 fmt_iops(x, sizeof(x), q32->iops), gain, fmt_iops(y, sizeof(y), q1->iops),
		 fmt_us(a, sizeof(a), q1->clat_p50_us), fmt_us(b, sizeof(b), q32->clat_p50_us));
	if (q32->depth >= 0 && q32->depth < 8)
		appendf(text, sizeof(text),
			" Only %.1f I/Os were in flight on average: the submitting side "
			"(CPU, engine) could not keep the queue full.", q32->depth);
	else
		appendf(text, sizeof(text),
			" A layer above the media serializes I/O: a virtual disk with a single "
			"queue, an IOPS limit (a cloud volume's cap, cgroup io.max), a controller "
			"queue depth of 1, or a single spinning disk.");
	add_finding(r, DIAG_RANDREAD_QD32, true, DIAG_WARN, "qd_bottleneck", text);
}

/* The device is busy all the time yet slow, in steps that keep it queued. */
static void analyse_saturation(struct diagnose_result *r)
{
	char text[DIAG_FINDING_LEN], names[160] = "", a[24], x[16];
	const struct diagnose_step *first = NULL;
	struct diagnose_finding f;

	if (has_finding(r, "other_io"))
		return; /* busy, but with someone else's I/O */
	for (unsigned i = 0; i < DIAG_STEP_NR; i++) {
		struct diagnose_step *s = &r->steps[i];
		bool low;

		if (!step_ok(s) || s->util < BUSY_UTIL || s->iodepth < 8)
			continue;
		low = s->bs >= (256u << 10) ? s->bw_bytes < BUSY_LOW_BW : s->iops < BUSY_LOW_IOPS;
		if (!low)
			continue;
		if (s->bs >= (256u << 10))
			snprintf(text, sizeof(text),
				 "%s: the device was busy %.0f%% of the time yet moved only %s "
				 "(await %.1f ms).", s->name, s->util,
				 fmt_bw(a, sizeof(a), s->bw_bytes), s->await_ms);
		else
			snprintf(text, sizeof(text),
				 "%s: the device was busy %.0f%% of the time yet completed only "
				 "%s IOPS (await %.1f ms).", s->name, s->util,
				 fmt_iops(x, sizeof(x), s->iops), s->await_ms);
		/* Each step gets its own figures; the run gets one summary below. */
		finding_init(&f, (int)i, DIAG_ALERT, "device_saturated");
		snprintf(f.text, sizeof(f.text), "%s", text);
		if (s->nr_findings < DIAG_STEP_FINDINGS)
			s->findings[s->nr_findings++] = f;
		appendf(names, sizeof(names), "%s%s", first ? ", " : "", s->name);
		if (!first)
			first = s;
	}
	if (!first)
		return;
	finding_init(&f, (int)first->kind, DIAG_ALERT, "device_saturated");
	if (first->bs >= (256u << 10))
		snprintf(f.text, sizeof(f.text),
			 "The device itself is slow or saturated: it was busy %.0f%% of the time "
			 "with a full queue yet moved only %s in %s (await %.1f ms)",
			 first->util, fmt_bw(a, sizeof(a), first->bw_bytes), first->name,
			 first->await_ms);
	else
		snprintf(f.text, sizeof(f.text),
			 "The device itself is slow or saturated: it was busy %.0f%% of the time "
			 "with a full queue yet completed only %s IOPS in %s (await %.1f ms)",
			 first->util, fmt_iops(x, sizeof(x), first->iops), first->name,
			 first->await_ms);
	appendf(f.text, sizeof(f.text),
		"; steps affected: %s. Likely a spinning or failing disk, a throttled or "
		"overloaded volume, or other I/O on the same device (iostat -x shows who "
		"else is using it).", names);
	fig_add(&f, "util", first->util);
	fig_add(&f, "iops", first->iops);
	push_finding(r, &f, false);
}

/* ---- errors, memory, context ---- */

static void analyse_errors(struct diagnose_result *r)
{
	struct diagnose_finding f;
	uint64_t total = 0, offs[DIAG_STEP_NR * DIAG_ERR_OFFSETS];
	unsigned no = 0;
	char per[300] = "", list[300] = "";
	int eno = 0;

	for (unsigned i = 0; i < DIAG_STEP_NR; i++) {
		const struct diagnose_step *s = &r->steps[i];

		if (!s->errors)
			continue;
		total += s->errors;
		if (!eno)
			eno = s->first_errno;
		appendf(per, sizeof(per), "%s%s %llu", per[0] ? ", " : "", s->name,
			(unsigned long long)s->errors);
		for (unsigned k = 0; k < s->nr_err_off; k++) {
			bool seen = false;

			for (unsigned m = 0; m < no; m++)
				seen |= offs[m] == s->err_off[k];
			if (!seen)
				offs[no++] = s->err_off[k];
		}
	}
	if (!total)
		return;
	/* ascending, so neighbouring bad blocks read as one place */
	for (unsigned i = 1; i < no; i++)
		for (unsigned k = i; k > 0 && offs[k - 1] > offs[k]; k--) {
			uint64_t t = offs[k];

			offs[k] = offs[k - 1];
			offs[k - 1] = t;
		}
	/* places less than 1 MiB apart read as one range */
	for (unsigned i = 0, ranges = 0; i < no; ranges++) {
		unsigned j = i;

		while (j + 1 < no && offs[j + 1] - offs[j] < MIB)
			j++;
		if (ranges == 6) {
			appendf(list, sizeof(list), " and more");
			break;
		}
		if (j == i)
			appendf(list, sizeof(list), "%s%llu (%.2f MiB)", ranges ? ", " : "",
				(unsigned long long)offs[i], (double)offs[i] / MIB);
		else
			appendf(list, sizeof(list), "%s%llu-%llu (%.2f-%.2f MiB, %u places)",
				ranges ? ", " : "", (unsigned long long)offs[i],
				(unsigned long long)offs[j], (double)offs[i] / MIB,
				(double)offs[j] / MIB, j - i + 1);
		i = j + 1;
	}
	finding_init(&f, -1, DIAG_ALERT, "io_errors");
	snprintf(f.text, sizeof(f.text),
		 "The device returned errors: %llu I/O%s failed (%s; %s) at byte offsets %s. "
		 "The steps went on past them. Errors at the same places every time mean bad "
		 "sectors or a failing device: check the kernel log (dmesg) and the device's "
		 "health (smartctl -a); copy what matters off it.",
		 (unsigned long long)total, total == 1 ? "" : "s",
		 eno ? strerror(eno) : "error", per, list);
	fig_add(&f, "errors", (double)total);
	fig_add(&f, "offsets", (double)no);
	push_finding(r, &f, false);
}

static void analyse_memory(struct diagnose_result *r)
{
	const struct diagnose_step *q1 = &r->steps[DIAG_RANDREAD_QD1];
	struct diagnose_finding f;
	char x[16];

	if (!memory_speed(q1))
		return;
	finding_init(&f, DIAG_RANDREAD_QD1, DIAG_WARN, "from_memory");
	snprintf(f.text, sizeof(f.text),
		 "The figures are memory, not the device: 4k random reads at QD1 took %.1f us "
		 "(p50) at %s IOPS, faster than any storage device answers. The data came from "
		 "RAM (%s), so nothing here measures the device under it",
		 q1->clat_p50_us, fmt_iops(x, sizeof(x), q1->iops),
		 !r->direct ? "the page cache: the target refused O_DIRECT" :
		 "tmpfs, the page cache or a host-side cache");
	appendf(f.text, sizeof(f.text),
		"; diagnose the block device itself, or a file on a disk-backed file system.");
	fig_add(&f, "p50_us", q1->clat_p50_us);
	fig_add(&f, "iops", q1->iops);
	push_finding(r, &f, false);
}

static void analyse_context(struct diagnose_result *r)
{
	char text[DIAG_FINDING_LEN];
	unsigned skipped = 0;

	for (unsigned i = 0; i < DIAG_STEP_NR; i++) {
		const struct diagnose_step *s = &r->steps[i];

		if (s->status == DIAG_FAILED) {
			snprintf(text, sizeof(text), "%s failed: %s", s->name,
				 s->note[0] ? s->note : "unknown error");
			add_finding(r, (int)i, true, DIAG_WARN, "step_failed", text);
		}
		if (s->status == DIAG_SKIPPED && s->writes)
			skipped++;
	}
	if (skipped) {
		snprintf(text, sizeof(text), "%u write step%s not run: %s", skipped,
			 skipped == 1 ? " was" : "s were",
			 r->write_block[0] ? r->write_block : "writes not allowed");
		add_finding(r, -1, false, DIAG_INFO, "writes_skipped", text);
	}
	if (r->interrupted)
		add_finding(r, -1, false, DIAG_INFO, "interrupted",
			    "Interrupted: the steps that did not finish are marked; the figures "
			    "cover what ran.");
	if (!r->direct)
		add_finding(r, -1, false, DIAG_INFO, "no_direct",
			    "The target does not support O_DIRECT, so every step went through "
			    "the page cache: reads may be answered from memory and the "
			    "queue-depth check was skipped.");
	if (!r->dev_stats)
		add_finding(r, -1, false, DIAG_INFO, "no_device_stats",
			    "No block device statistics for this target (tmpfs, overlay, FUSE or a "
			    "sandbox without /sys): device utilization and await are unknown.");
}

/* ---- the class guard and "healthy" ---- */

/* A step's p99 beyond what the device's class allows, that no warning
 * explains: never let "no problem" stand over it. */
static void analyse_class_p99(struct diagnose_result *r)
{
	static const char *const run_wide[] = { "iops_limit", "bw_limit", "other_io",
						"periodic_stall", "from_memory", "io_errors",
						"device_saturated", "latency_floor",
						"latency_modes" };
	char a[24], b[24], c[24];
	struct diagnose_finding f;

	for (size_t i = 0; i < sizeof(run_wide) / sizeof(run_wide[0]); i++)
		if (has_finding(r, run_wide[i]))
			return; /* a cause that slows every step is named already */
	for (unsigned i = 0; i < DIAG_STEP_NR; i++) {
		const struct diagnose_step *s = &r->steps[i];
		double allow = class_p99_us(r, s);
		bool explained = false;

		/* large sequential steps are bound by bytes/s, not by the class's
		 * per-I/O latency; commits have their own finding */
		if (!step_ok(s) || step_defs[i].buffered || s->bs > 4096 || s->fdatasync ||
		    s->clat_p99_us <= allow)
			continue;
		for (unsigned k = 0; k < r->nr_findings; k++)
			explained |= r->findings[k].severity >= DIAG_WARN &&
				     r->findings[k].step == (int)i;
		if (explained)
			continue;
		finding_init(&f, (int)i, DIAG_WARN, "slow_p99");
		snprintf(f.text, sizeof(f.text),
			 "%s: p99 of %s is beyond what %s shows at QD%u (under %s); p50 %s. "
			 "No cause stands out in these figures: run a longer diagnose, and watch "
			 "iostat -x for the device's own await.",
			 s->name, fmt_us(a, sizeof(a), s->clat_p99_us), class_name(r), s->iodepth,
			 fmt_us(b, sizeof(b), allow), fmt_us(c, sizeof(c), s->clat_p50_us));
		fig_add(&f, "p99_us", s->clat_p99_us);
		fig_add(&f, "allowed_us", allow);
		push_finding(r, &f, true);
	}
}

static void analyse_healthy(struct diagnose_result *r)
{
	const struct diagnose_step *s;
	struct diagnose_finding f;
	char a[24], b[24], x[16];
	bool measured = false;

	for (unsigned i = 0; i < r->nr_findings; i++)
		if (r->findings[i].severity >= DIAG_WARN)
			return;
	for (unsigned i = 0; i < DIAG_STEP_NR; i++)
		measured |= step_ok(&r->steps[i]);
	if (!measured)
		return;
	finding_init(&f, -1, DIAG_INFO, "healthy");
	snprintf(f.text, sizeof(f.text), "No problem found.");
	s = &r->steps[DIAG_RANDREAD_QD1];
	if (step_ok(s)) {
		appendf(f.text, sizeof(f.text), " 4k random read at QD1: p50 %s, p99 %s (%s IOPS).",
			fmt_us(a, sizeof(a), s->clat_p50_us), fmt_us(b, sizeof(b), s->clat_p99_us),
			fmt_iops(x, sizeof(x), s->iops));
		fig_add(&f, "qd1_p99_us", s->clat_p99_us);
	}
	s = &r->steps[DIAG_RANDREAD_QD32];
	if (step_ok(s)) {
		appendf(f.text, sizeof(f.text), " At QD32: %s IOPS, p99 %s.",
			fmt_iops(x, sizeof(x), s->iops), fmt_us(a, sizeof(a), s->clat_p99_us));
		fig_add(&f, "qd32_iops", s->iops);
	}
	s = &r->steps[DIAG_SEQREAD_1M];
	if (step_ok(s))
		appendf(f.text, sizeof(f.text), " Sequential read %s.",
			fmt_bw(a, sizeof(a), s->bw_bytes));
	s = &r->steps[DIAG_SEQWRITE_1M];
	if (step_ok(s))
		appendf(f.text, sizeof(f.text), " Sequential write %s.",
			fmt_bw(a, sizeof(a), s->bw_bytes));
	s = &r->steps[DIAG_SYNCWRITE_4K];
	if (step_ok(s))
		appendf(f.text, sizeof(f.text), " Synchronous 4k writes: %s IOPS.",
			fmt_iops(x, sizeof(x), s->iops));
	appendf(f.text, sizeof(f.text), " Every p99 is within what %s shows.", class_name(r));
	push_finding(r, &f, false);
}

void diagnose_analyse(struct diagnose_result *r)
{
	struct diagnose_finding sorted[DIAG_MAX_FINDINGS];
	unsigned said = 0, covered = 0;
	unsigned n = 0;

	r->nr_findings = 0;
	for (unsigned i = 0; i < DIAG_STEP_NR; i++) {
		r->steps[i].nr_findings = 0;
		r->steps[i].nr_spikes = 0;
	}
	analyse_context(r);
	analyse_errors(r);
	analyse_memory(r);
	analyse_limit(r);
	analyse_other_io(r);
	analyse_saturation(r);
	analyse_floor(r);
	analyse_commit(r);
	analyse_queue_depth(r);
	analyse_periodic(r, &covered);
	analyse_modes(r);
	/* Buffered steps time the copy into the page cache, not the device;
	 * the capped steps' waits are the limiter's. */
	for (unsigned i = 0; i < DIAG_STEP_NR; i++)
		if (step_ok(&r->steps[i]) && !step_defs[i].buffered)
			analyse_tail(r, &r->steps[i], &said,
				     (covered & (1u << i)) ||
				     (limited(r) && !r->steps[i].writes));
	analyse_class_p99(r);
	analyse_healthy(r);

	/* Most severe first; equal severities keep the order they were found in. */
	for (int sev = DIAG_ALERT; sev >= DIAG_INFO; sev--)
		for (unsigned i = 0; i < r->nr_findings; i++)
			if ((int)r->findings[i].severity == sev)
				sorted[n++] = r->findings[i];
	memcpy(r->findings, sorted, n * sizeof(sorted[0]));
}

/* ---- output ---- */

static const char *status_name(enum diag_status st)
{
	switch (st) {
	case DIAG_DONE:
		return "done";
	case DIAG_STOPPED:
		return "stopped";
	case DIAG_SKIPPED:
		return "skipped";
	case DIAG_FAILED:
		return "failed";
	default:
		return "not run";
	}
}

/* Print @text wrapped at @width columns, every line indented by @indent,
 * the first line after @lead (which is at most @indent columns). */
static void print_wrapped(FILE *f, const char *lead, int indent, int width, const char *text)
{
	const char *p = text;
	int col = fprintf(f, "%*s%s", indent - (int)strlen(lead), "", lead);

	while (*p) {
		const char *w = p;
		int wl;

		while (*w == ' ')
			w++;
		if (!*w)
			break;
		wl = (int)strcspn(w, " ");
		if (col > indent && col + 1 + wl > width) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', f);
			col++;
		}
		fwrite(w, 1, (size_t)wl, f);
		col += wl;
		p = w + wl;
	}
	fputc('\n', f);
}

void diagnose_print_text(FILE *f, const struct diagnose_result *r)
{
	char a[24], b[24], c[24], d[24], e[24], x[16], sz[32];

	fmt_size(sz, sizeof(sz), r->size, 1024);
	fprintf(f, "iolab diagnose: %s\n", r->target);
	fprintf(f, "  target: %s, %s", !strcmp(r->kind, "device") ? "block device" :
		!strcmp(r->kind, "scratch") ? "scratch file (created for this run)" :
		"existing file", sz);
	if (r->device[0])
		fprintf(f, ", on device %s", r->device);
	fprintf(f, "\n");
	if (r->device[0]) {
		fprintf(f, "  device: %s, firmware %s, %s", r->model[0] ? r->model : "model unknown",
			r->firmware[0] ? r->firmware : "unknown",
			r->rotational == 1 ? "rotational" : r->rotational == 0 ? "non-rotational" :
			"rotational unknown");
		fprintf(f, "\n  queue: scheduler %s, nr_requests ", r->scheduler[0] ? r->scheduler : "-");
		if (r->nr_requests >= 0)
			fprintf(f, "%d", r->nr_requests);
		else
			fprintf(f, "-");
		fprintf(f, ", write cache %s\n", r->write_cache[0] ? r->write_cache : "-");
	}
	fprintf(f, "  run: %s on %s, kernel %s, iolab %s\n", r->when[0] ? r->when : "-",
		r->host[0] ? r->host : "-", r->kernel[0] ? r->kernel : "-",
		r->version[0] ? r->version : "-");
	fprintf(f, "  each step %g s, engine %s, %s\n", r->runtime_s, r->ioengine,
		r->direct ? "O_DIRECT (page cache bypassed)" : "buffered (no O_DIRECT)");
	if (r->dev_stats)
		fprintf(f, "  util/await are for the whole device, other users' I/O included\n");
	fprintf(f, "\n  %-17s %7s %11s %9s %9s %9s %9s %5s\n", "step", "IOPS", "bandwidth",
		"p50", "p99", "p99.9", "max", "util");
	for (unsigned i = 0; i < DIAG_STEP_NR; i++) {
		const struct diagnose_step *s = &r->steps[i];

		if (!step_ok(s)) {
			if (s->status == DIAG_SKIPPED && s->writes)
				fprintf(f, "  %-17s skipped: writes not allowed (see findings)\n",
					s->name);
			else
				fprintf(f, "  %-17s %s%s%s\n", s->name, status_name(s->status),
					s->note[0] ? ": " : "", s->note);
			continue;
		}
		fprintf(f, "  %-17s %7s %11s %9s %9s %9s %9s ", s->name,
			fmt_iops(x, sizeof(x), s->iops), fmt_bw(a, sizeof(a), s->bw_bytes),
			fmt_us(b, sizeof(b), s->clat_p50_us), fmt_us(c, sizeof(c), s->clat_p99_us),
			fmt_us(d, sizeof(d), s->clat_p999_us), fmt_us(e, sizeof(e), s->clat_max_us));
		if (s->util >= 0)
			fprintf(f, "%4.0f%%", s->util);
		else
			fprintf(f, "%5s", "-");
		if (s->status == DIAG_STOPPED)
			fprintf(f, "  (stopped after %.1f s)", s->runtime_s);
		fputc('\n', f);
	}
	{
		const struct diagnose_step *s = &r->steps[DIAG_SYNCWRITE_4K];

		if (step_ok(s) && s->syncs)
			fprintf(f, "  %-17s %sfdatasync: mean %s, max %s over %llu calls\n", "",
				s->commits ? "latencies are commits (write + fdatasync); " : "",
				fmt_us(a, sizeof(a), s->sync_mean_us),
				fmt_us(b, sizeof(b), s->sync_max_us), (unsigned long long)s->syncs);
	}
	for (unsigned i = 0; i < DIAG_STEP_NR; i++) {
		const struct diagnose_step *s = &r->steps[i];

		if (s->errors)
			fprintf(f, "  %-17s %llu I/O errors (%s)\n", s->name,
				(unsigned long long)s->errors,
				s->first_errno ? strerror(s->first_errno) : "error");
	}
	fprintf(f, "\nFindings:\n");
	for (unsigned i = 0; i < r->nr_findings; i++) {
		const struct diagnose_finding *fd = &r->findings[i];

		print_wrapped(f, fd->severity == DIAG_ALERT ? "!! " :
			      fd->severity == DIAG_WARN ? "! " : "- ", 5, 79, fd->text);
	}
	if (!r->nr_findings)
		fprintf(f, "  (none: no step completed)\n");
}

static void json_findings(struct json *j, const char *key, const struct diagnose_result *r,
			  const struct diagnose_finding *v, unsigned n)
{
	json_arr_open(j, key);
	for (unsigned i = 0; i < n; i++) {
		json_obj_open(j, NULL);
		json_str(j, "code", v[i].code);
		json_str(j, "severity", severity_name(v[i].severity));
		json_str(j, "step", v[i].step >= 0 && v[i].step < DIAG_STEP_NR ?
			 r->steps[v[i].step].name : "");
		json_str(j, "text", v[i].text);
		json_obj_open(j, "figures");
		for (unsigned k = 0; k < v[i].nr_fig; k++)
			json_dbl(j, v[i].fig[k].name, v[i].fig[k].value);
		json_obj_close(j);
		json_obj_close(j);
	}
	json_arr_close(j);
}

void diagnose_print_json(FILE *f, const struct diagnose_result *r)
{
	struct json j;

	json_init(&j, f);
	json_obj_open(&j, NULL);
	json_obj_open(&j, "diagnosis");
	json_str(&j, "target", r->target);
	json_str(&j, "kind", r->kind);
	json_str(&j, "device", r->device);
	json_u64(&j, "size", r->size);
	json_dbl(&j, "runtime_s", r->runtime_s);
	json_str(&j, "ioengine", r->ioengine);
	json_bool(&j, "direct", r->direct);
	json_bool(&j, "device_stats", r->dev_stats);
	json_bool(&j, "interrupted", r->interrupted);
	json_str(&j, "write_block", r->write_block);
	json_str(&j, "time", r->when);
	json_str(&j, "host", r->host);
	json_str(&j, "kernel", r->kernel);
	json_str(&j, "iolab_version", r->version);
	json_obj_open(&j, "device_info");
	json_str(&j, "name", r->device);
	json_str(&j, "model", r->model);
	json_str(&j, "firmware", r->firmware);
	json_str(&j, "scheduler", r->scheduler);
	json_i64(&j, "nr_requests", r->nr_requests);
	json_str(&j, "write_cache", r->write_cache);
	json_i64(&j, "rotational", r->rotational);
	json_obj_close(&j);
	json_arr_open(&j, "steps");
	for (unsigned i = 0; i < DIAG_STEP_NR; i++) {
		const struct diagnose_step *s = &r->steps[i];

		json_obj_open(&j, NULL);
		json_str(&j, "name", s->name);
		json_str(&j, "title", s->title);
		json_str(&j, "status", status_name(s->status));
		json_str(&j, "note", s->note);
		json_str(&j, "rw", s->rw);
		json_u64(&j, "bs", s->bs);
		json_u64(&j, "iodepth", s->iodepth);
		json_bool(&j, "direct", s->direct);
		json_bool(&j, "fdatasync", s->fdatasync);
		json_dbl(&j, "runtime_s", s->runtime_s);
		json_dbl(&j, "iops", s->iops);
		json_dbl(&j, "read_iops", s->read_iops);
		json_dbl(&j, "write_iops", s->write_iops);
		json_u64(&j, "bw_bytes", (uint64_t)llround(s->bw_bytes));
		json_bool(&j, "commits", s->commits);
		json_u64(&j, "ios", s->ios);
		json_dbl(&j, "clat_mean_us", s->clat_mean_us);
		json_dbl(&j, "clat_min_us", s->clat_min_us);
		json_dbl(&j, "clat_p50_us", s->clat_p50_us);
		json_dbl(&j, "clat_p99_us", s->clat_p99_us);
		json_dbl(&j, "clat_p999_us", s->clat_p999_us);
		json_dbl(&j, "clat_max_us", s->clat_max_us);
		json_u64(&j, "syncs", s->syncs);
		json_dbl(&j, "sync_mean_us", s->sync_mean_us);
		json_dbl(&j, "sync_max_us", s->sync_max_us);
		json_dbl(&j, "depth", s->depth);
		json_dbl(&j, "util", s->util);
		json_dbl(&j, "await_ms", s->await_ms);
		json_dbl(&j, "dev_iops", s->dev_iops);
		json_dbl(&j, "dev_bw_bytes", s->dev_bw);
		json_dbl(&j, "dev_depth", s->dev_depth);
		json_u64(&j, "errors", s->errors);
		json_arr_open(&j, "error_offsets");
		for (unsigned k = 0; k < s->nr_err_off; k++)
			json_u64(&j, NULL, s->err_off[k]);
		json_arr_close(&j);
		/* per interval: t_s, dur_s, ios, p50, p99, p99.9, max (us), util */
		json_arr_open(&j, "points");
		for (unsigned k = 0; k < s->nr_points; k++) {
			const struct diagnose_point *p = &s->points[k];

			json_arr_open(&j, NULL);
			json_dbl(&j, NULL, p->t_s);
			json_dbl(&j, NULL, p->dur_s);
			json_dbl(&j, NULL, p->ios);
			json_dbl(&j, NULL, p->lat_p50_us);
			json_dbl(&j, NULL, p->lat_p99_us);
			json_dbl(&j, NULL, p->lat_p999_us);
			json_dbl(&j, NULL, p->lat_max_us);
			json_dbl(&j, NULL, p->util);
			json_arr_close(&j);
		}
		json_arr_close(&j);
		json_arr_open(&j, "lat_bins");
		for (unsigned k = 0; k < DIAG_LAT_BINS; k++)
			json_dbl(&j, NULL, s->lat_bins[k]);
		json_arr_close(&j);
		json_arr_open(&j, "spikes_s");
		for (unsigned k = 0; k < s->nr_spikes; k++)
			json_dbl(&j, NULL, s->spike_t[k]);
		json_arr_close(&j);
		json_findings(&j, "findings", r, s->findings, s->nr_findings);
		json_obj_close(&j);
	}
	json_arr_close(&j);
	json_findings(&j, "findings", r, r->findings, r->nr_findings);
	json_obj_close(&j);
	json_obj_close(&j);
	json_end(&j);
}

/* ---- the report to take home ---- */

/* Write @r (text or @json) to @path through lib/outfile's atomic
 * replacement: the project's refusals (a device, a planted symlink), and a
 * complete file or none. Mode 0600: the report names the host, its kernel
 * and its disks. Returns 0 or -errno with @err. */
static int save_one(const char *path, const struct diagnose_result *r, bool json, char *err,
		    size_t errlen)
{
	struct outfile_atomic a;
	int ret = outfile_atomic_begin(&a, path, 0, NULL, err, errlen);

	if (ret)
		return ret;
	a.mode = 0600;
	if (json)
		diagnose_print_json(a.f, r);
	else
		diagnose_print_text(a.f, r);
	return outfile_atomic_commit(&a, err, errlen);
}

int diagnose_save(const struct diagnose_result *r, const char *dir, char *path, size_t pathlen,
		  char *err, size_t errlen)
{
	char host[64] = "", stamp[32] = "unknown-time", base[4200], jpath[4300];
	time_t t = r->when_s ? (time_t)r->when_s : time(NULL);
	struct tm tm;
	bool found = false;
	size_t h = 0;

	/* the host as a file name: letters, digits, '.', '-', '_' */
	for (const char *p = r->host; *p && h + 1 < sizeof(host); p++)
		host[h++] = (isalnum((unsigned char)*p) || strchr("._-", *p)) ? *p : '_';
	host[h] = '\0';
	if (!h)
		snprintf(host, sizeof(host), "unknown-host");
	if (localtime_r(&t, &tm))
		strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	for (int n = 1; n <= 9 && !found; n++) {
		char suffix[8] = "";
		struct stat st;

		if (n > 1)
			snprintf(suffix, sizeof(suffix), "-%d", n);
		snprintf(base, sizeof(base), "%s/iolab-diagnose-%s-%s%s", dir && *dir ? dir : ".",
			 host, stamp, suffix);
		snprintf(path, pathlen, "%s.txt", base);
		snprintf(jpath, sizeof(jpath), "%s.json", base);
		/* a name neither half of which exists: never over an older report */
		found = lstat(path, &st) && errno == ENOENT && lstat(jpath, &st) && errno == ENOENT;
	}
	if (!found) {
		snprintf(err, errlen, "%s: nine reports of this second exist already (remove some)",
			 path);
		return -1;
	}
	if (save_one(path, r, false, err, errlen))
		return -1;
	if (save_one(jpath, r, true, err, errlen)) {
		unlink(path);
		return -1;
	}
	return 0;
}

/* ---- running the battery ---- */

struct target {
	char path[4096];
	bool is_dev;
	bool created;    /* a scratch file made by this run: remove at the end */
	struct outfile_scratch scratch; /* its identity, checked before removal */
	unsigned maj, min;
};

static int progress(const struct diagnose_cfg *cfg, struct diagnose_progress *p)
{
	if (cfg->stop && *cfg->stop)
		return 1;
	return cfg->progress ? cfg->progress(p, cfg->progress_arg) : 0;
}

/* Default scratch size: 256 MiB per second of runtime within 256 MiB..1 GiB,
 * at most a quarter of the free space, in whole MiB. 0 if under 16 MiB fit. */
static uint64_t scratch_size(const struct diagnose_cfg *cfg, double runtime_s, uint64_t avail)
{
	uint64_t size = cfg->size;

	if (!size) {
		size = (uint64_t)(runtime_s * 256) * MIB;
		if (size < 256 * MIB)
			size = 256 * MIB;
		if (size > GIB)
			size = GIB;
		if (size > avail / 4)
			size = avail / 4;
	}
	size &= ~(MIB - 1);
	return size < MIN_TARGET_SIZE ? 0 : size;
}

/* Fill scratch file @path with @size bytes of incompressible data, flushed
 * to the device and dropped from the page cache. @create: make it
 * (O_CREAT|O_EXCL: a path the user named, which must not exist); else it is
 * the empty file outfile_scratch_create made in @s. Never follows a
 * symlink. On failure the file is removed (while it is still ours).
 * Returns 0 or -1 with @err. */
static int scratch_fill(const struct diagnose_cfg *cfg, const char *path, uint64_t size,
			bool create, struct outfile_scratch *s, char *err, size_t errlen)
{
	struct diagnose_progress p = { .phase = DIAG_PHASE_PREPARE, .count = DIAG_STEP_NR };
	uint64_t t0 = clock_now_ns(), x = t0 | 1, done = 0;
	uint64_t *buf = malloc(MIB);
	int fd = -1;

	if (!buf) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	fd = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC | (create ? O_CREAT | O_EXCL : 0), 0600);
	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot create scratch file: %s", path, strerror(errno));
		goto err;
	}
	if (create && outfile_scratch_adopt(s, path, fd)) {
		snprintf(err, errlen, "%s: cannot create scratch file: %s", path, strerror(errno));
		goto err;
	}
	for (size_t i = 0; i < MIB / sizeof(*buf); i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		buf[i] = x;
	}
	if (progress(cfg, &p)) {
		snprintf(err, errlen, "%s: interrupted while preparing the scratch file", path);
		goto err;
	}
	while (done < size) {
		ssize_t n;

		buf[0] = done; /* every MiB differs */
		n = pwrite(fd, buf, MIB, (off_t)done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			snprintf(err, errlen, "%s: writing the scratch file at %llu MiB: %s", path,
				 (unsigned long long)(done / MIB), n < 0 ? strerror(errno) : "short write");
			goto err;
		}
		done += (uint64_t)n;
		if (done % (64 * MIB) == 0) {
			p.done = (double)done / (double)size;
			p.elapsed_s = (double)(clock_now_ns() - t0) / 1e9;
			if (progress(cfg, &p)) {
				snprintf(err, errlen, "%s: interrupted while preparing the scratch file",
					 path);
				goto err;
			}
		}
	}
	if (fsync(fd)) {
		snprintf(err, errlen, "%s: fsync: %s", path, strerror(errno));
		goto err;
	}
	posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	close(fd);
	free(buf);
	return 0;
err:
	if (fd >= 0)
		close(fd);
	outfile_scratch_remove(s);
	free(buf);
	return -1;
}

/* Does O_DIRECT work on @path (open and one aligned read)? */
static bool direct_works(const char *path)
{
	void *buf = NULL;
	bool ok = false;
	char err[512];
	int fd = devguard_open(path, O_RDONLY | O_DIRECT, 0, NULL, NULL, err, sizeof(err));

	if (fd < 0)
		return false;
	if (!posix_memalign(&buf, 4096, 4096)) {
		ok = pread(fd, buf, 4096, 0) >= 0;
		free(buf);
	}
	close(fd);
	return ok;
}

/* Resolve cfg->target into @t and r->kind/size/write_block; create the
 * scratch file if needed. Returns 0 or -1 with @err. */
static int target_open(const struct diagnose_cfg *cfg, struct diagnose_result *r,
		       struct target *t, char *err, size_t errlen)
{
	const char *path = cfg->target;
	char dir[4096];
	struct statvfs vfs;
	struct stat st;
	bool in_dir = false;
	char *slash;

	if (!path || !*path) {
		snprintf(err, errlen, "diagnose: no target given");
		return -1;
	}
	if (snprintf(t->path, sizeof(t->path), "%s", path) >= (int)sizeof(t->path)) {
		snprintf(err, errlen, "diagnose: target path is too long");
		return -1;
	}
	if (!stat(path, &st) && S_ISDIR(st.st_mode)) {
		if (snprintf(t->path, sizeof(t->path), "%s/%s", path, SCRATCH_NAME) >=
		    (int)sizeof(t->path)) {
			snprintf(err, errlen, "diagnose: target path is too long");
			return -1;
		}
		in_dir = true; /* a unique name is made below, never this one */
	} else if (!stat(path, &st)) {
		if (S_ISBLK(st.st_mode)) {
			int fd = devguard_open(path, O_RDONLY, 0, NULL, &st, err, errlen);
			uint64_t bytes = 0;

			if (fd < 0)
				return -1;
			if (ioctl(fd, BLKGETSIZE64, &bytes)) {
				snprintf(err, errlen, "%s: block device size: %s", path, strerror(errno));
				close(fd);
				return -1;
			}
			if (cfg->allow_write)
				devguard_may_write(fd, path, "diagnose writes only to a device nothing uses",
						   r->write_block, sizeof(r->write_block));
			close(fd);
			t->is_dev = true;
			snprintf(r->kind, sizeof(r->kind), "device");
			r->size = bytes & ~(MIB - 1);
		} else if (S_ISREG(st.st_mode)) {
			snprintf(r->kind, sizeof(r->kind), "file");
			r->size = (uint64_t)st.st_size & ~(MIB - 1);
		} else {
			snprintf(err, errlen, "%s: not a regular file, directory or block device",
				 path);
			return -1;
		}
		if (r->size < MIN_TARGET_SIZE) {
			snprintf(err, errlen, "%s: only %llu bytes; diagnose needs at least 16 MiB "
				 "(or name a new file to create a scratch file)", path,
				 (unsigned long long)r->size);
			return -1;
		}
		goto ready;
	} else if (errno != ENOENT) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}

	/* A new scratch file at t->path. */
	snprintf(dir, sizeof(dir), "%s", t->path);
	slash = strrchr(dir, '/');
	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	if (statvfs(dir, &vfs)) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	r->size = scratch_size(cfg, r->runtime_s, (uint64_t)vfs.f_bavail * vfs.f_frsize);
	if (!r->size) {
		snprintf(err, errlen, "%s: not enough free space for a scratch file "
			 "(diagnose needs at least 64 MiB free)", dir);
		return -1;
	}
	if (in_dir) {
		/* DIR may be shared (/tmp): a new file of our own, never one
		 * planted at a name we would have used */
		if (outfile_scratch_create(&t->scratch, path, "iolab-diagnose.", ".dat", err,
					   errlen))
			return -1;
		snprintf(t->path, sizeof(t->path), "%s", t->scratch.path);
	}
	if (scratch_fill(cfg, t->path, r->size, !in_dir, &t->scratch, err, errlen))
		return -1;
	t->created = true;
	snprintf(r->kind, sizeof(r->kind), "scratch");

ready:
	snprintf(r->target, sizeof(r->target), "%s", t->path);
	r->direct = direct_works(t->path);
	if (!diskstats_find(t->path, r->device, sizeof(r->device), &t->maj, &t->min))
		r->dev_stats = true;
	else
		r->device[0] = '\0';
	if (t->is_dev) {
		/* with allow_write, the device guard already spoke (target_open) */
		if (!cfg->allow_write)
			snprintf(r->write_block, sizeof(r->write_block),
				 "%.120s is a block device and writes destroy its data; "
				 "pass --allow-write to run them", t->path);
	} else if (!t->created && !cfg->allow_write) {
		snprintf(r->write_block, sizeof(r->write_block),
			 "%.120s existed before and write steps would overwrite it; "
			 "pass --allow-write to run them (or name a new file)", t->path);
	}
	return 0;
}

/* First line of /sys/block/@dev/@attr into @buf (trailing blanks cut);
 * "" when it cannot be read. */
static void sys_attr(char *buf, size_t len, const char *dev, const char *attr)
{
	char path[256];
	FILE *f;
	size_t n;

	buf[0] = '\0';
	snprintf(path, sizeof(path), "/sys/block/%s/%s", dev, attr);
	f = fopen(path, "re");
	if (!f)
		return;
	if (!fgets(buf, (int)len, f))
		buf[0] = '\0';
	fclose(f);
	n = strlen(buf);
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
}

/* When, where, what ran, and the target disk's identity and queue settings
 * (r->device must be set), for the report. */
static void run_facts(struct diagnose_result *r)
{
	char buf[256], *open_b, *close_b;
	struct utsname un;
	time_t now = time(NULL);
	struct tm tm;

	r->when_s = (long long)now;
	if (localtime_r(&now, &tm))
		strftime(r->when, sizeof(r->when), "%Y-%m-%dT%H:%M:%S%z", &tm);
	if (gethostname(r->host, sizeof(r->host)))
		r->host[0] = '\0';
	r->host[sizeof(r->host) - 1] = '\0';
	if (!uname(&un))
		snprintf(r->kernel, sizeof(r->kernel), "%s", un.release);
	copy_name(r->version, sizeof(r->version), IOLAB_VERSION);
	if (!r->device[0])
		return;
	sys_attr(buf, sizeof(buf), r->device, "device/model");
	if (buf[0]) {
		char vendor[64];

		sys_attr(vendor, sizeof(vendor), r->device, "device/vendor");
		snprintf(r->model, sizeof(r->model), "%.60s%s%.60s", vendor, vendor[0] ? " " : "",
			 buf);
	}
	sys_attr(r->firmware, sizeof(r->firmware), r->device, "device/firmware_rev");
	if (!r->firmware[0])
		sys_attr(r->firmware, sizeof(r->firmware), r->device, "device/rev");
	/* "none [mq-deadline] kyber": the active one is bracketed */
	sys_attr(buf, sizeof(buf), r->device, "queue/scheduler");
	open_b = strchr(buf, '[');
	close_b = open_b ? strchr(open_b, ']') : NULL;
	if (open_b && close_b) {
		*close_b = '\0';
		copy_name(r->scheduler, sizeof(r->scheduler), open_b + 1);
	} else {
		copy_name(r->scheduler, sizeof(r->scheduler), buf);
	}
	sys_attr(buf, sizeof(buf), r->device, "queue/nr_requests");
	if (buf[0])
		r->nr_requests = atoi(buf);
	sys_attr(r->write_cache, sizeof(r->write_cache), r->device, "queue/write_cache");
	sys_attr(buf, sizeof(buf), r->device, "queue/rotational");
	if (buf[0])
		r->rotational = atoi(buf) ? 1 : 0;
}

/* Push written data out and drop it from the page cache, so the next step
 * starts clean. */
static void target_settle(const struct target *t)
{
	char err[512];
	int fd = devguard_open(t->path, O_RDONLY, 0, NULL, NULL, err, sizeof(err));

	if (fd < 0)
		return;
	fsync(fd);
	posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	close(fd);
}

/* Write @path into a job file value: ':' separates fio filenames. */
static void escape_filename(char *out, size_t len, const char *path)
{
	size_t o = 0;

	for (; *path && o + 2 < len; path++) {
		if (*path == ':')
			out[o++] = '\\';
		out[o++] = *path;
	}
	out[o] = '\0';
}

static void step_job_text(char *buf, size_t len, const struct diagnose_result *r,
			  const struct diagnose_step *s, const struct target *t,
			  const char *job_options)
{
	const struct step_def *d = &step_defs[s->kind];
	char fname[8300];
	uint64_t ms = (uint64_t)llround(r->runtime_s * 1000);

	escape_filename(fname, sizeof(fname), t->path);
	snprintf(buf, len,
		 "[global]\n"
		 "filename=%s\n"
		 "size=%llu\n"
		 "ioengine=%s\n"
		 "direct=%d\n"
		 "time_based=1\n"
		 /* target_settle() drops the cache between steps; a time_based
		  * job's drop at each pass (fio's invalidate) would put a cache
		  * flush, a device flush for a block device, inside a step */
		 "invalidate=0\n"
		 "continue_on_error=io\n",
		 fname,
		 (unsigned long long)(d->region && d->region < r->size ? d->region : r->size),
		 d->buffered ? "psync" : r->ioengine,
		 s->direct ? 1 : 0);
	/* the user's options override diagnose's global ones, not the step's */
	if (job_options && *job_options)
		appendf(buf, len, "%s\n", job_options);
	if (ms % 1000 == 0)
		appendf(buf, len, "runtime=%llu\n", (unsigned long long)(ms / 1000));
	else
		appendf(buf, len, "runtime=%llums\n", (unsigned long long)ms);
	appendf(buf, len, "\n[%s]\nrw=%s\nbs=%u\niodepth=%u\n", s->name, s->rw, s->bs,
		s->iodepth);
	if (d->rwmixread)
		appendf(buf, len, "rwmixread=%u\n", d->rwmixread);
	if (d->fdatasync)
		appendf(buf, len, "fdatasync=1\n");
	if (!strncmp(s->rw, "rand", 4))
		appendf(buf, len, "norandommap=1\n");
}

/* One sample of the step's job as a point (latencies ns -> us). */
static void point_from_sample(struct diagnose_point *p, const struct sample *smp, bool dev_stats)
{
	double w50 = 0;

	memset(p, 0, sizeof(*p));
	p->t_s = (double)(smp->t_start + smp->t_end) / 2e6;
	p->dur_s = (double)(smp->t_end - smp->t_start) / 1e6;
	for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
		const struct sample_dir *sd = &smp->dir[d];

		if (!sd->ios)
			continue;
		p->ios += (double)sd->ios;
		p->iops += sd->iops;
		w50 += (double)sd->ios * sd->lat_p50 / 1000.0;
		if (sd->lat_p99 / 1000.0 > p->lat_p99_us)
			p->lat_p99_us = sd->lat_p99 / 1000.0;
		if (sd->lat_p999 / 1000.0 > p->lat_p999_us)
			p->lat_p999_us = sd->lat_p999 / 1000.0;
		if (sd->lat_max / 1000.0 > p->lat_max_us)
			p->lat_max_us = sd->lat_max / 1000.0;
	}
	p->lat_p50_us = p->ios > 0 ? w50 / p->ios : 0;
	if (dev_stats) {
		double n = smp->dev_rps + smp->dev_wps;

		p->util = smp->dev_util;
		p->await_ms = n > 0 ? (smp->dev_r_await * smp->dev_rps +
				       smp->dev_w_await * smp->dev_wps) / n : 0;
	} else {
		p->util = -1;
		p->await_ms = -1;
	}
}

/* Merge points [from, from+n) of @v into one. */
static void point_merge(struct diagnose_point *out, const struct diagnose_point *v, size_t n)
{
	double w50 = 0, t0 = v[0].t_s - v[0].dur_s / 2, t1 = t0, ud = 0, ad = 0;

	memset(out, 0, sizeof(*out));
	out->util = out->await_ms = -1;
	for (size_t i = 0; i < n; i++) {
		const struct diagnose_point *p = &v[i];

		out->ios += p->ios;
		out->dur_s += p->dur_s;
		w50 += p->ios * p->lat_p50_us;
		out->lat_p99_us = fmax(out->lat_p99_us, p->lat_p99_us);
		out->lat_p999_us = fmax(out->lat_p999_us, p->lat_p999_us);
		out->lat_max_us = fmax(out->lat_max_us, p->lat_max_us);
		if (p->util >= 0) {
			ud += p->dur_s;
			out->util = (out->util < 0 ? 0 : out->util) + p->util * p->dur_s;
			out->await_ms = (out->await_ms < 0 ? 0 : out->await_ms) +
					p->await_ms * p->dur_s;
			ad += p->dur_s;
		}
		t1 = p->t_s + p->dur_s / 2;
	}
	out->t_s = (t0 + t1) / 2;
	out->iops = out->dur_s > 0 ? out->ios / out->dur_s : 0;
	out->lat_p50_us = out->ios > 0 ? w50 / out->ios : 0;
	if (ud > 0)
		out->util /= ud;
	if (ad > 0)
		out->await_ms /= ad;
}

/* The step's points so far (job 0's samples out of ramp, the newest
 * DIAG_MAX_POINTS) into @lp->pts for the progress callback; @lp->smp is
 * scratch for LIVE_SAMPLES samples. Runner thread only. */
#define LIVE_SAMPLES 4096
struct live_points {
	struct sample *smp;
	struct diagnose_point *pts;
};

static unsigned live_points(struct backend *be, struct live_points *lp, bool dev_stats)
{
	size_t n, first = 0;
	unsigned used = 0;

	if (!lp->smp || !lp->pts)
		return 0;
	n = samples_range(backend_samples(be), 0, 0, UINT64_MAX, lp->smp, LIVE_SAMPLES);
	if (n > LIVE_SAMPLES)
		n = LIVE_SAMPLES;
	if (n > DIAG_MAX_POINTS)
		first = n - DIAG_MAX_POINTS;
	for (size_t i = first; i < n; i++) {
		if (lp->smp[i].in_ramp || lp->smp[i].t_end <= lp->smp[i].t_start)
			continue;
		point_from_sample(&lp->pts[used++], &lp->smp[i], dev_stats);
	}
	return used;
}

/* Figures of the finished step from its job's stats and samples. */
static void step_collect(struct backend *be, struct diagnose_step *s, bool dev_stats)
{
	static const double pcts[3] = { 50.0, 99.0, 99.9 };
	struct job_stats *snap = malloc(sizeof(*snap));
	struct hist *h = calloc(1, sizeof(*h)), *hc = calloc(1, sizeof(*hc));
	uint64_t clat_min = UINT64_MAX, commit_n = 0, commit_sum = 0, commit_max = 0;
	uint64_t commit_min = UINT64_MAX;
	struct sample *smp = NULL;
	struct diagnose_point *pts = NULL;
	uint64_t ios[DDIR_RWDIR_CNT] = { 0 }, bytes = 0, clat_n = 0, clat_sum = 0, clat_max = 0;
	uint64_t syncs = 0, sync_n = 0, sync_sum = 0, sync_max = 0, rt_ns = 0, pv[3];
	size_t n, cap = 1024, used = 0;
	double depth_sum = 0;
	unsigned depth_n = 0;

	if (!snap || !h || !hc)
		goto out;
	for (unsigned j = 0; j < backend_njobs(be); j++) {
		const struct job *job = backend_job(be, j);
		uint64_t rt = 0;

		if (!job)
			continue;
		stats_snapshot(snap, &job->stats);
		for (int d = DDIR_READ; d <= DDIR_WRITE; d++) {
			const struct dir_stats *ds = &snap->dir[d];
			/* the whole wait, submission included: an engine whose
			 * submit call blocks until the device answers (a loop
			 * device, a throttle) leaves almost nothing in clat */
			const struct lat_stat *l = ds->lat.n ? &ds->lat : &ds->clat;

			ios[d] += ds->ios;
			bytes += ds->bytes;
			hist_merge(h, ds->lat.n ? &ds->lat_hist : &ds->clat_hist);
			clat_n += l->n;
			clat_sum += l->sum;
			if (l->n && l->max > clat_max)
				clat_max = l->max;
			if (l->n && l->min < clat_min)
				clat_min = l->min;
			s->errors += ds->errors;
			if (snap->runtime_ns[d] > rt)
				rt = snap->runtime_ns[d];
		}
		if (snap->end_ns > snap->start_ns)
			rt = snap->end_ns - snap->start_ns;
		else if (!rt && job->ended_ns > job->started_ns)
			rt = job->ended_ns - job->started_ns;
		if (rt > rt_ns)
			rt_ns = rt;
		syncs += snap->syncs > snap->sync_lat.n ? snap->syncs : snap->sync_lat.n;
		sync_n += snap->sync_lat.n;
		sync_sum += snap->sync_lat.sum;
		if (snap->sync_lat.n && snap->sync_lat.max > sync_max)
			sync_max = snap->sync_lat.max;
		hist_merge(hc, &snap->commit_hist);
		commit_n += snap->commit_lat.n;
		commit_sum += snap->commit_lat.sum;
		if (snap->commit_lat.n && snap->commit_lat.max > commit_max)
			commit_max = snap->commit_lat.max;
		if (snap->commit_lat.n && snap->commit_lat.min < commit_min)
			commit_min = snap->commit_lat.min;
		if (!s->first_errno)
			s->first_errno = snap->first_error;
		for (uint64_t k = 0; k < snap->nr_err_off && s->nr_err_off < DIAG_ERR_OFFSETS; k++) {
			bool seen = false;

			for (unsigned m = 0; m < s->nr_err_off; m++)
				seen |= s->err_off[m] == snap->err_off[k];
			if (!seen)
				s->err_off[s->nr_err_off++] = snap->err_off[k];
		}
		if (job->error && !s->note[0])
			copy_name(s->note, sizeof(s->note),
				  job->errmsg[0] ? job->errmsg : strerror(job->error));
	}
	s->runtime_s = (double)rt_ns / 1e9;
	if (s->runtime_s > 0) {
		s->read_iops = (double)ios[DDIR_READ] / s->runtime_s;
		s->write_iops = (double)ios[DDIR_WRITE] / s->runtime_s;
		s->iops = s->read_iops + s->write_iops;
		s->bw_bytes = (double)bytes / s->runtime_s;
	}
	s->ios = clat_n;
	s->clat_mean_us = clat_n ? (double)clat_sum / (double)clat_n / 1000.0 : 0;
	s->clat_max_us = (double)clat_max / 1000.0;
	s->clat_min_us = clat_n ? (double)clat_min / 1000.0 : 0;
	if (s->fdatasync && commit_n) {
		/* a commit: the write and the flush that made it durable */
		s->commits = true;
		s->ios = commit_n;
		s->clat_mean_us = (double)commit_sum / (double)commit_n / 1000.0;
		s->clat_max_us = (double)commit_max / 1000.0;
		s->clat_min_us = (double)commit_min / 1000.0;
		memcpy(h, hc, sizeof(*h));
	}
	for (unsigned i = 0; i < HIST_NR; i++) {
		double us;
		int k;

		if (!h->bucket[i])
			continue;
		us = (double)hist_bucket_value(i) / 1000.0;
		k = us < 1 ? 0 : (int)floor(4 * log2(us));
		if (k >= DIAG_LAT_BINS)
			k = DIAG_LAT_BINS - 1;
		s->lat_bins[k] += (double)h->bucket[i];
	}
	hist_percentiles(h, pcts, 3, pv);
	s->clat_p50_us = (double)pv[0] / 1000.0;
	s->clat_p99_us = (double)pv[1] / 1000.0;
	s->clat_p999_us = (double)pv[2] / 1000.0;
	s->syncs = syncs;
	s->sync_mean_us = sync_n ? (double)sync_sum / (double)sync_n / 1000.0 : 0;
	s->sync_max_us = (double)sync_max / 1000.0;

	/* Samples of job 0 over the whole step. */
	for (;;) {
		free(smp);
		smp = malloc(cap * sizeof(*smp));
		if (!smp)
			goto out;
		n = samples_range(backend_samples(be), 0, 0, UINT64_MAX, smp, cap);
		if (n <= cap)
			break;
		cap = n + 64;
	}
	pts = malloc((n ? n : 1) * sizeof(*pts));
	if (!pts)
		goto out;
	for (size_t i = 0; i < n; i++) {
		if (smp[i].in_ramp || smp[i].t_end <= smp[i].t_start)
			continue;
		point_from_sample(&pts[used++], &smp[i], dev_stats);
		if (smp[i].runstate == RS_RUNNING) {
			depth_sum += smp[i].depth;
			depth_n++;
		}
	}
	if (depth_n)
		s->depth = depth_sum / depth_n;
	if (used <= DIAG_MAX_POINTS) {
		memcpy(s->points, pts, used * sizeof(*pts));
		s->nr_points = (unsigned)used;
	} else {
		size_t k = (used + DIAG_MAX_POINTS - 1) / DIAG_MAX_POINTS;

		s->nr_points = 0;
		for (size_t i = 0; i < used; i += k)
			point_merge(&s->points[s->nr_points++], &pts[i], i + k <= used ? k : used - i);
	}
out:
	free(pts);
	free(smp);
	free(hc);
	free(h);
	free(snap);
}

/* Run step @s. Returns 1 if the battery must stop (interrupt), else 0. */
static int step_run(const struct diagnose_cfg *cfg, struct diagnose_result *r,
		    struct diagnose_step *s, const struct target *t)
{
	struct backend_config bc = { 0 };
	struct diagnose_progress p = { .index = (unsigned)s->kind, .count = DIAG_STEP_NR,
				       .step = s };
	struct diskstats ds0 = { 0 }, ds1 = { 0 };
	struct job_list l;
	struct backend *be;
	uint64_t tick_ms = cfg->tick_ms ? cfg->tick_ms : 200, t0, last, interval;
	char text[10000], err[512];
	bool have_ds = false, stopped = false;
	struct live_points lp = { 0 };
	int nfailed;

	interval = (uint64_t)(r->runtime_s * 1000 / 100);
	if (interval < 100)
		interval = 100;
	if (interval > 1000)
		interval = 1000;
	bc.status_interval_ms = interval;
	bc.allow_write_devices = t->is_dev && s->writes;
	step_job_text(text, sizeof(text), r, s, t, cfg->job_options);

	be = backend_new(&bc);
	if (!be) {
		s->status = DIAG_FAILED;
		snprintf(s->note, sizeof(s->note), "backend_new: %s", strerror(errno));
		return 0;
	}
	job_list_init(&l);
	err[0] = '\0';
	if (jobfile_load_text(&l, s->name, text, err, sizeof(err)) ||
	    job_list_finalize(&l, err, sizeof(err)) || backend_load(be, &l, err, sizeof(err))) {
		s->status = DIAG_FAILED;
		copy_name(s->note, sizeof(s->note), err[0] ? err : "cannot load the job");
		job_list_free(&l);
		backend_free(be);
		return 0;
	}
	job_list_free(&l);

	if (r->dev_stats)
		have_ds = !diskstats_read(t->maj, t->min, &ds0);
	t0 = last = clock_now_ns();
	if (backend_start(be)) {
		s->status = DIAG_FAILED;
		snprintf(s->note, sizeof(s->note), "cannot start the job");
		backend_free(be);
		return 0;
	}
	p.phase = DIAG_PHASE_STEP_START;
	p.be = be;
	if (cfg->progress) { /* no live points without memory: the run goes on */
		lp.smp = malloc(LIVE_SAMPLES * sizeof(*lp.smp));
		lp.pts = malloc(DIAG_MAX_POINTS * sizeof(*lp.pts));
	}
	p.points = lp.pts;
	if (progress(cfg, &p) && !stopped) {
		backend_stop(be, -1);
		stopped = true;
	}
	p.phase = DIAG_PHASE_TICK;
	while (backend_running(be)) {
		uint64_t now;

		if (clock_wait(clock_now_ns() + tick_ms * NS_PER_MS, (const int *)cfg->stop,
			       backend_wake_fd(be)) == CLOCK_WAIT_READY)
			backend_drain_wake(be);
		now = clock_now_ns();
		if (now - last < tick_ms * NS_PER_MS && !(cfg->stop && *cfg->stop))
			continue;
		last = now;
		p.elapsed_s = (double)(now - t0) / 1e9;
		p.npoints = live_points(be, &lp, r->dev_stats);
		if (progress(cfg, &p) && !stopped) {
			backend_stop(be, -1);
			stopped = true;
		}
	}
	nfailed = backend_wait(be);
	if (have_ds && !diskstats_read(t->maj, t->min, &ds1)) {
		struct iostat io;

		diskstats_compute(&ds0, &ds1, 0, &io);
		s->util = io.util;
		s->dev_iops = io.r_s + io.w_s;
		s->dev_bw = (io.rkb_s + io.wkb_s) * 1024;
		s->dev_depth = io.aqu_sz;
		s->await_ms = (io.r_s + io.w_s) > 0 ?
			(io.r_await * io.r_s + io.w_await * io.w_s) / (io.r_s + io.w_s) : 0;
	}
	step_collect(be, s, r->dev_stats);
	if (nfailed > 0) {
		s->status = DIAG_FAILED;
		if (!s->note[0])
			snprintf(s->note, sizeof(s->note), "the job failed");
	} else {
		s->status = stopped ? DIAG_STOPPED : DIAG_DONE;
	}
	p.phase = DIAG_PHASE_STEP_DONE;
	p.elapsed_s = (double)(clock_now_ns() - t0) / 1e9;
	p.points = NULL;
	p.npoints = 0;
	free(lp.smp);
	free(lp.pts);
	if (progress(cfg, &p))
		stopped = true;
	backend_free(be);
	if (s->writes)
		target_settle(t);
	return stopped;
}

int diagnose_run(const struct diagnose_cfg *cfg, struct diagnose_result *out,
		 char *err, size_t errlen)
{
	struct target t = { .path = "" };

	diagnose_result_init(out, cfg->target);
	out->runtime_s = cfg->runtime_s > 0 ? cfg->runtime_s : DIAG_DEFAULT_RUNTIME_S;
	snprintf(out->ioengine, sizeof(out->ioengine), "%s",
		 cfg->ioengine && *cfg->ioengine ? cfg->ioengine : "libaio");
	if (target_open(cfg, out, &t, err, errlen))
		return -1;
	run_facts(out);
	for (unsigned i = 0; i < DIAG_STEP_NR; i++) {
		struct diagnose_step *s = &out->steps[i];

		s->direct = s->direct && out->direct;
		if (cfg->stop && *cfg->stop) {
			out->interrupted = true;
			break;
		}
		if (s->writes && out->write_block[0]) {
			struct diagnose_progress p = { .phase = DIAG_PHASE_STEP_SKIPPED, .index = i,
						       .count = DIAG_STEP_NR, .step = s };

			s->status = DIAG_SKIPPED;
			copy_name(s->note, sizeof(s->note), out->write_block);
			if (progress(cfg, &p)) {
				out->interrupted = true;
				break;
			}
			continue;
		}
		if (step_run(cfg, out, s, &t)) {
			out->interrupted = true;
			break;
		}
	}
	if (t.created && !cfg->keep_scratch) {
		outfile_scratch_remove(&t.scratch);
	} else {
		free(t.scratch.path);
		t.scratch.path = NULL;
	}
	diagnose_analyse(out);
	return 0;
}

/* ---- job options ---- */

/* What every step sets for itself; the rest of the option table is the
 * user's to add (inject_delay, ramp_time, cpus_allowed, ...). */
static const char *const diag_owned[] = {
	"name", "filename", "directory", "filename_format", "nrfiles", "rw", "rwmixread",
	"rwmixwrite", "bs", "bssplit", "bsrange", "iodepth", "runtime", "time_based", "size",
	"filesize", "io_size", "offset", "number_ios", "loops", "direct", "buffered", "ioengine",
	"fsync", "fdatasync", "numjobs", "continue_on_error", "norandommap", "stonewall",
	"new_group", "group_reporting", "exec_prerun", "exec_postrun",
};

int diagnose_job_option(const char *name, const char *value, char *err, size_t errlen)
{
	const struct opt_def *def = opt_find(name);
	struct job_opts *o;
	char why[256] = "";
	int ret;

	if (!def) {
		const char *near = opt_suggest(name);

		snprintf(err, errlen, "--%s: not a --diagnose option nor a job option%s%s%s", name,
			 near ? " (did you mean --" : "", near ? near : "", near ? "?)" : "");
		return -1;
	}
	for (size_t i = 0; i < sizeof(diag_owned) / sizeof(diag_owned[0]); i++)
		if (!strcasecmp(def->name, diag_owned[i])) {
			snprintf(err, errlen, "--%s: diagnose sets %s itself in each step "
				 "(--runtime, --size and --ioengine are its own options)", name,
				 def->name);
			return -1;
		}
	if (strchr(value, '\n')) {
		snprintf(err, errlen, "--%s: a value cannot hold a line break", name);
		return -1;
	}
	o = malloc(sizeof(*o));
	if (!o) {
		snprintf(err, errlen, "--%s: out of memory", name);
		return -1;
	}
	opts_init(o);
	ret = opt_set(o, name, value, why, sizeof(why));
	opts_free(o);
	free(o);
	if (ret) {
		snprintf(err, errlen, "--%s=%s: %s", name, value, why);
		return -1;
	}
	return 0;
}

/* ---- command line ---- */

static volatile int diag_sigint;

static void on_sigint(int sig)
{
	(void)sig;
	diag_sigint = 1;
}

static int cli_progress(const struct diagnose_progress *p, void *arg)
{
	const struct diagnose_result *r = arg;
	const struct diagnose_step *s = p->step;
	char a[24], b[24], x[16];

	switch (p->phase) {
	case DIAG_PHASE_PREPARE:
		if (p->done == 0)
			fprintf(stderr, "diagnose: preparing a scratch file...\n");
		break;
	case DIAG_PHASE_STEP_START:
		fprintf(stderr, "[%u/%u] %-17s %s, %.0f s\n", p->index + 1, p->count, s->name,
			s->title, r->runtime_s);
		break;
	case DIAG_PHASE_STEP_DONE:
		if (s->status == DIAG_FAILED)
			fprintf(stderr, "      failed: %s\n", s->note);
		else
			fprintf(stderr, "      %s IOPS, %s, p99 %s\n", fmt_iops(x, sizeof(x), s->iops),
				fmt_bw(a, sizeof(a), s->bw_bytes), fmt_us(b, sizeof(b), s->clat_p99_us));
		break;
	case DIAG_PHASE_STEP_SKIPPED:
		fprintf(stderr, "[%u/%u] %-17s skipped: %s\n", p->index + 1, p->count, s->name,
			r->write_block);
		break;
	default:
		break;
	}
	return 0;
}

static void cli_usage(FILE *f)
{
	fprintf(f,
		"usage: iolab --diagnose TARGET [--runtime=SECONDS] [--size=SIZE] [--ioengine=NAME]\n"
		"                        [--output-format=normal|json] [--output=FILE]\n"
		"                        [--allow-write] [--keep] [--JOBOPTION=VALUE...]\n"
		"JOBOPTION: any job option the battery does not set itself (inject_delay,\n"
		"ramp_time, cpus_allowed, ...), added to every step.\n"
		"TARGET: a new file (created, filled, removed after), a directory (a scratch file\n"
		"in it), an existing file (writes need --allow-write) or a block device (read-only\n"
		"unless --allow-write, and never if mounted or holding a filesystem).\n");
}

int diagnose_main(int argc, char **argv)
{
	struct diagnose_cfg cfg = { .ioengine = NULL };
	struct diagnose_result *r = NULL;
	struct sigaction sa = { .sa_handler = on_sigint }, old_int, old_term, old_hup, old_pipe;
	struct sigaction ign = { .sa_handler = SIG_IGN }, old_usr1;
	const char *target = NULL, *out_path = NULL;
	char jobopts[4096] = ""; /* "key=value\n" lines for every step */
	bool text = true, json = false;
	FILE *out = stdout;
	char err[1024], what[600], *outbuf = NULL;
	size_t outlen = 0;
	int ret = 1;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = strchr(a, '=');
		size_t kl = v ? (size_t)(v - a) : strlen(a);

#define IS(opt) (kl == strlen(opt) && !strncmp(a, opt, kl))
		if (v)
			v++;
		if (IS("--diagnose")) {
			if (!v) {
				if (i + 1 >= argc) {
					fprintf(stderr, "iolab: --diagnose needs a TARGET\n");
					cli_usage(stderr);
					return 2;
				}
				v = argv[++i];
			}
			target = v;
		} else if (IS("--runtime") && v) {
			uint64_t us;

			if (parse_time_us(v, 1000000, &us) || us < 100000 || us > 3600ULL * 1000000) {
				fprintf(stderr, "iolab: --runtime=%s: expected seconds per step "
					"(0.1 to 3600, e.g. 5 or 500ms)\n", v);
				return 2;
			}
			cfg.runtime_s = (double)us / 1e6;
		} else if (IS("--size") && v) {
			if (parse_size(v, 1024, &cfg.size) || cfg.size < MIN_TARGET_SIZE) {
				fprintf(stderr, "iolab: --size=%s: expected a size of at least 16m\n", v);
				return 2;
			}
		} else if (IS("--ioengine") && v) {
			cfg.ioengine = v;
		} else if (IS("--output-format") && v) {
			char fmts[128], *save = NULL;

			snprintf(fmts, sizeof(fmts), "%s", v);
			text = json = false;
			for (char *t = strtok_r(fmts, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
				if (!strcmp(t, "normal"))
					text = true;
				else if (!strcmp(t, "json") || !strcmp(t, "json+"))
					json = true;
				else {
					fprintf(stderr, "iolab: --output-format=%s: diagnose writes "
						"'normal' or 'json'\n", t);
					return 2;
				}
			}
		} else if (IS("--output") && v) {
			out_path = v;
		} else if (IS("--allow-write") && !v) {
			cfg.allow_write = true;
		} else if (IS("--keep") && !v) {
			cfg.keep_scratch = true;
		} else if (IS("--headless") && !v) {
			/* diagnose is always headless from the command line */
		} else if (IS("--help") || IS("-h")) {
			cli_usage(stdout);
			return 0;
		} else if (a[0] != '-' && !target) {
			target = a;
		} else if (!strncmp(a, "--", 2) && v && kl > 2) {
			char name[64], why[512];
			size_t used = strlen(jobopts);

			snprintf(name, sizeof(name), "%.*s", (int)(kl - 2), a + 2);
			if (kl - 2 >= sizeof(name) || diagnose_job_option(name, v, why, sizeof(why))) {
				fprintf(stderr, "iolab: %s\n", kl - 2 >= sizeof(name) ?
					"an option name that long is not a --diagnose option" : why);
				return 2;
			}
			if (used + strlen(a) + 2 > sizeof(jobopts)) {
				fprintf(stderr, "iolab: %s: too many job options for --diagnose\n", a);
				return 2;
			}
			snprintf(jobopts + used, sizeof(jobopts) - used, "%s=%s\n", name, v);
		} else {
			fprintf(stderr, "iolab: %s: not a --diagnose option\n", a);
			cli_usage(stderr);
			return 2;
		}
#undef IS
	}
	if (!target) {
		fprintf(stderr, "iolab: --diagnose needs a TARGET\n");
		cli_usage(stderr);
		return 2;
	}
	r = malloc(sizeof(*r));
	if (!r) {
		fprintf(stderr, "iolab: out of memory\n");
		return 1;
	}
	if (out_path && outfile_is_stdout(out_path))
		out_path = NULL;
	if (out_path) {
		/* refused before the battery runs; written atomically after */
		snprintf(what, sizeof(what), "--output=%s", out_path);
		if (outfile_check(out_path, OUTF_NAMED, what, err, sizeof(err)) ||
		    !(out = open_memstream(&outbuf, &outlen))) {
			fprintf(stderr, "iolab: %s\n", out ? err : "out of memory");
			free(r);
			return 1;
		}
	}
	cfg.target = target;
	cfg.job_options = jobopts;
	cfg.progress = cli_progress;
	cfg.progress_arg = r;
	cfg.stop = &diag_sigint;
	diag_sigint = 0;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGHUP, &sa, &old_hup);
	sigaction(SIGPIPE, &sa, &old_pipe); /* a closed pipe stops the run cleanly */
	/* SIGUSR1 (fio: print the stats) must not kill the probe; its
	 * progress is on stderr already */
	sigaction(SIGUSR1, &ign, &old_usr1);
	err[0] = '\0';
	if (diagnose_run(&cfg, r, err, sizeof(err))) {
		fprintf(stderr, "iolab: %s\n", err);
		ret = 1;
	} else {
		if (r->write_block[0] && r->steps[DIAG_SEQWRITE_1M].status == DIAG_SKIPPED)
			fprintf(stderr, "diagnose: write steps skipped: %s\n", r->write_block);
		if (text)
			diagnose_print_text(out, r);
		if (text && json)
			fputc('\n', out);
		if (json)
			diagnose_print_json(out, r);
		ret = r->interrupted ? 130 : 0;
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
	sigaction(SIGPIPE, &old_pipe, NULL);
	sigaction(SIGUSR1, &old_usr1, NULL);
	if (out != stdout) {
		if ((fclose(out) && snprintf(err, sizeof(err), "%s: out of memory", what)) ||
		    outfile_replace(out_path, OUTF_NAMED, outbuf, outlen, what, err, sizeof(err))) {
			fprintf(stderr, "iolab: %s\n", err);
			if (ret == 0)
				ret = 1;
		}
		free(outbuf);
	} else if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "iolab: writing the report to stdout: %s\n",
			strerror(errno ? errno : EIO));
		if (ret == 0)
			ret = 1;
	}
	free(r);
	return ret;
}
