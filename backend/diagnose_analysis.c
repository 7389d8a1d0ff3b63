/* Diagnose, the analysis: a battery's record (diagnose_result) read as a
 * whole into findings in plain language, each with the figures it rests
 * on. Pure: no I/O, no clock, no backend; diagnose_run() calls it after the
 * battery and tests call it on made-up records. Stalls, spikes and the
 * tail are in diagnose_stall.c. See diagnose.h. */
#include "diagnose.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/errmsg.h"
#include "../lib/hist.h"
#include "../lib/json.h"
#include "../lib/outfile.h"
#include "diagnose_int.h"

/* ---- analysis (pure) ---- */

/* Thresholds, in one place. */
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
#define SSD_P99_US 5000.0       /* p99 an SSD-class device allows at QD<=4 ... */
#define HDD_P99_US 50000.0      /* ... and a spinning disk (more with depth)  */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double diag_median(double *v, size_t n)
{
	if (!n)
		return 0;
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

const char *diag_severity_name(enum diag_severity s)
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

void diag_finding_init(struct diagnose_finding *f, int step, enum diag_severity sev,
			 const char *code)
{
	memset(f, 0, sizeof(*f));
	f->severity = sev;
	f->step = step;
	snprintf(f->code, sizeof(f->code), "%s", code);
}

/* Name a figure of @f (ignored past DIAG_FINDING_FIGS). */
void diag_fig_add(struct diagnose_finding *f, const char *name, double value)
{
	if (f->nr_fig >= DIAG_FINDING_FIGS)
		return;
	snprintf(f->fig[f->nr_fig].name, sizeof(f->fig[0].name), "%s", name);
	f->fig[f->nr_fig++].value = value;
}

/* Record @f in the run's list and, when @to_step, in its step's. */
void diag_push_finding(struct diagnose_result *r, const struct diagnose_finding *f, bool to_step)
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

	diag_finding_init(&f, step, sev, code);
	snprintf(f.text, sizeof(f.text), "%s", text);
	diag_push_finding(r, &f, to_step);
}

static bool has_finding(const struct diagnose_result *r, const char *code)
{
	for (unsigned i = 0; i < r->nr_findings; i++)
		if (!strcmp(r->findings[i].code, code))
			return true;
	return false;
}

bool diag_step_ok(const struct diagnose_step *s)
{
	return (s->status == DIAG_DONE || s->status == DIAG_STOPPED) && s->runtime_s > 0;
}

/* I/Os in flight by Little's law: IOPS x mean latency. */
static double little_depth(const struct diagnose_step *s)
{
	return s->iops * s->lat_mean_us / 1e6;
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
double diag_class_p99_us(const struct diagnose_result *r, const struct diagnose_step *s)
{
	double base = spinning(r) ? HDD_P99_US : SSD_P99_US;

	return s->iodepth > 4 ? base * s->iodepth / 4 : base;
}

/* The QD1 reads ran at memory speed, and 1/IOPS agrees that the I/Os were
 * that fast (a limiter that lets bursts through also shows a tiny p50, but
 * at low IOPS). */
static bool memory_speed(const struct diagnose_step *q1)
{
	return diag_step_ok(q1) && q1->lat_p50_us > 0 && q1->lat_p50_us < MEMORY_US &&
	       q1->iops >= MEMORY_IOPS;
}

unsigned diagnose_lat_bin(double us)
{
	double k = us < 1 ? 0 : floor(4 * log2(us));

	return k >= DIAG_LAT_BINS - 1 ? DIAG_LAT_BINS - 1 : (unsigned)k;
}

double diagnose_bin_low_us(unsigned k)
{
	return k ? exp2(k / 4.0) : 0;
}

/* Value of latency bin @k in microseconds (its geometric middle). */
static double bin_us(unsigned k)
{
	return exp2((k + 0.5) / 4.0);
}

double diag_bins_total(const struct diagnose_step *s)
{
	double n = 0;

	for (unsigned k = 0; k < DIAG_LAT_BINS; k++)
		n += s->lat_bins[k];
	return n;
}

/* Share of s's I/Os that took at least @us. */
double diag_share_over(const struct diagnose_step *s, double us)
{
	double n = 0, total = diag_bins_total(s);

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

	if (!r->direct || !diag_step_ok(q1) || !diag_step_ok(q32) || q1->iops <= 0 || q32->iops <= 0 ||
	    memory_speed(q1))
		return;
	gain = q32->iops / q1->iops;
	per_io_us = 1e6 / q1->iops;
	dev_known = q32->util >= 0 && q32->await_ms >= 0;
	idle = dev_known && q32->util < LIMIT_IDLE_UTIL;
	above = dev_known &&
		q32->lat_mean_us > LIMIT_ABOVE * (q32->await_ms * 1000 + LIMIT_AWAIT_SLACK_US);
	burst = q1->lat_p50_us > 0 && q1->lat_p50_us * q1->iops / 1e6 < LITTLE_BURST &&
		q1->lat_p99_us > 10 * q1->lat_p50_us;
	if (dev_known ? !(idle && above) : !burst)
		return;
	bw_same = diag_step_ok(sq) && sq->bw_bytes > 0 && q32->bw_bytes > 0 &&
		  fabs(sq->bw_bytes / q32->bw_bytes - 1) < BW_SAME &&
		  (sq->util < 0 || sq->util < LIMIT_IDLE_UTIL);
	if (bw_same) {
		cap = (sq->bw_bytes + q32->bw_bytes) / 2;
		diag_finding_init(&f, DIAG_SEQREAD_1M, DIAG_WARN, "bw_limit");
		snprintf(f.text, sizeof(f.text),
			 "A limit above the device caps throughput near %s: 4k random reads at "
			 "QD32 moved %s and 1M sequential reads %s, the same bytes per second "
			 "with 256 times larger I/Os (%s and %s IOPS)",
			 diag_fmt_bw(a, sizeof(a), cap), diag_fmt_bw(b, sizeof(b), q32->bw_bytes),
			 diag_fmt_bw(c, sizeof(c), sq->bw_bytes), diag_fmt_iops(x, sizeof(x), q32->iops),
			 diag_fmt_iops(y, sizeof(y), sq->iops));
		if (dev_known)
			errmsg_appendf(f.text, sizeof(f.text),
				", while the device was busy only %.0f%% of the time (await %.2f ms "
				"against %s mean latency)", sq->util >= 0 ? sq->util : q32->util,
				q32->await_ms, diag_fmt_us(a, sizeof(a), q32->lat_mean_us));
		errmsg_appendf(f.text, sizeof(f.text),
			". A device's own limit would show in its utilization; this one holds the "
			"I/Os before they reach it. Look for a cgroup I/O limit on this process "
			"(io.max rbps/wbps, blkio.throttle.*_bps_device), a cloud volume's or "
			"hypervisor's throughput cap, or a rate limit in the storage path.");
		diag_fig_add(&f, "cap_bw_bytes", cap);
		diag_fig_add(&f, "qd32_bw_bytes", q32->bw_bytes);
		diag_fig_add(&f, "seq_bw_bytes", sq->bw_bytes);
		if (dev_known)
			diag_fig_add(&f, "util", q32->util);
		diag_push_finding(r, &f, true);
		return;
	}
	if (gain >= LIMIT_FLAT)
		return;
	cap = fmax(q1->iops, q32->iops);
	diag_finding_init(&f, DIAG_RANDREAD_QD32, DIAG_WARN, "iops_limit");
	snprintf(f.text, sizeof(f.text),
		 "A limit above the device caps I/O near %s IOPS: 4k random reads gave %s IOPS "
		 "at QD1 and %s at QD32, %.1fx for 32 times the depth",
		 diag_fmt_iops(x, sizeof(x), cap), diag_fmt_iops(y, sizeof(y), q1->iops),
		 diag_fmt_iops(z, sizeof(z), q32->iops), gain);
	if (dev_known)
		errmsg_appendf(f.text, sizeof(f.text),
			", while the device was busy only %.0f%% of the time with an await of "
			"%.2f ms", q32->util, q32->await_ms);
	errmsg_appendf(f.text, sizeof(f.text),
		". By Little's law %s IOPS x %s mean latency = %.0f I/Os in flight",
		diag_fmt_iops(x, sizeof(x), q32->iops), diag_fmt_us(a, sizeof(a), q32->lat_mean_us),
		little_depth(q32));
	if (q32->dev_depth >= 0)
		errmsg_appendf(f.text, sizeof(f.text), ", %.1f of them at the device", q32->dev_depth);
	errmsg_appendf(f.text, sizeof(f.text), ": they wait above it.");
	if (burst)
		errmsg_appendf(f.text, sizeof(f.text),
			" At QD1, %s IOPS means %s per I/O, yet the p50 was %s: the limiter lets "
			"a burst through at once and holds the next I/O (p99 %s). That is a "
			"throttle, not memory.",
			diag_fmt_iops(x, sizeof(x), q1->iops), diag_fmt_us(a, sizeof(a), per_io_us),
			diag_fmt_us(b, sizeof(b), q1->lat_p50_us), diag_fmt_us(c, sizeof(c), q1->lat_p99_us));
	errmsg_appendf(f.text, sizeof(f.text),
		" Look for a cgroup I/O limit on this process (io.max riops/wiops, "
		"blkio.throttle.*_iops_device), a cloud volume's or hypervisor's IOPS cap, or a "
		"rate limit in the storage path.");
	diag_fig_add(&f, "cap_iops", cap);
	diag_fig_add(&f, "qd1_iops", q1->iops);
	diag_fig_add(&f, "qd32_iops", q32->iops);
	diag_fig_add(&f, "little_depth", little_depth(q32));
	if (dev_known)
		diag_fig_add(&f, "util", q32->util);
	diag_push_finding(r, &f, true);
}

bool diag_limited(const struct diagnose_result *r)
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

		if (!diag_step_ok(s) || diag_step_buffered(i) || !s->direct || s->util < OTHER_UTIL ||
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
	diag_finding_init(&f, (int)best->kind, DIAG_WARN, "other_io");
	snprintf(f.text, sizeof(f.text),
		 "The device is busy with other I/O: during %s it was busy %.0f%% of the time "
		 "and moved %s (%s IOPS), of which this run's were only %s (%s IOPS, %.0f%%). "
		 "This run's I/Os waited behind the others' (p50 %s, device await %.1f ms). "
		 "The figures here are the share left over, not what the device can do; find "
		 "the other user with iostat -x 1, iotop -o or pidstat -d 1.",
		 best->name, best->util, diag_fmt_bw(a, sizeof(a), best->dev_bw),
		 diag_fmt_iops(x, sizeof(x), best->dev_iops), diag_fmt_bw(b, sizeof(b), best->bw_bytes),
		 diag_fmt_iops(y, sizeof(y), best->iops), 100 * share,
		 diag_fmt_us(c, sizeof(c), best->lat_p50_us), best->await_ms);
	diag_fig_add(&f, "util", best->util);
	diag_fig_add(&f, "dev_iops", best->dev_iops);
	diag_fig_add(&f, "our_iops", best->iops);
	diag_fig_add(&f, "our_share", share);
	diag_push_finding(r, &f, true);
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

	if (!r->direct || !diag_step_ok(q1) || q1->lat_min_us <= 0 || memory_speed(q1) ||
	    diag_limited(r) || has_finding(r, "other_io"))
		return;
	floor_us = q1->lat_min_us;
	if (floor_us < FLOOR_SSD_US || q1->lat_p50_us > FLOOR_SPREAD * floor_us)
		return;
	diag_finding_init(&f, DIAG_RANDREAD_QD1, floor_us >= thr ? DIAG_WARN : DIAG_INFO,
		     "latency_floor");
	snprintf(f.text, sizeof(f.text),
		 "Every I/O is slow: 4k random reads at QD1 took at least %s (p50 %s, p99 %s, "
		 "%s IOPS)",
		 diag_fmt_us(a, sizeof(a), floor_us), diag_fmt_us(b, sizeof(b), q1->lat_p50_us),
		 diag_fmt_us(c, sizeof(c), q1->lat_p99_us), diag_fmt_iops(x, sizeof(x), q1->iops));
	if (q1->await_ms >= 0)
		errmsg_appendf(f.text, sizeof(f.text), ", and the device's own await was %.2f ms",
			q1->await_ms);
	errmsg_appendf(f.text, sizeof(f.text), ": the device takes that long for each one.");
	diag_fig_add(&f, "floor_us", floor_us);
	diag_fig_add(&f, "p50_us", q1->lat_p50_us);
	if (diag_step_ok(q32) && q1->iops > 0) {
		double gain = q32->iops / q1->iops;

		if (gain >= DEPTH_HELPS)
			errmsg_appendf(f.text, sizeof(f.text),
				" Depth helps as it should: QD32 gave %s IOPS, %.0fx, at about the "
				"same latency (p50 %s); by Little's law %s IOPS x %s = %.0f I/Os "
				"served at once.",
				diag_fmt_iops(y, sizeof(y), q32->iops), gain,
				diag_fmt_us(a, sizeof(a), q32->lat_p50_us), y,
				diag_fmt_us(b, sizeof(b), q32->lat_mean_us), little_depth(q32));
		else
			errmsg_appendf(f.text, sizeof(f.text),
				" Depth helps little: QD32 gave %s IOPS, only %.1fx (p50 %s): the "
				"device serves few I/Os at once.",
				diag_fmt_iops(y, sizeof(y), q32->iops), gain,
				diag_fmt_us(a, sizeof(a), q32->lat_p50_us));
		diag_fig_add(&f, "qd_gain", gain);
	}
	if (floor_us >= thr)
		errmsg_appendf(f.text, sizeof(f.text),
			" For %s this is slow (%s should answer under %s): a remote or network "
			"volume (each I/O a round trip), a failing device retrying, or a spinning "
			"disk reported as non-rotational.",
			class_name(r), class_name(r), diag_fmt_us(a, sizeof(a), thr));
	else
		errmsg_appendf(f.text, sizeof(f.text),
			" That is what %s costs per random I/O (seek and rotation); "
			"applications doing small random I/O feel it.", class_name(r));
	diag_push_finding(r, &f, true);
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
	double total = diag_bins_total(s), best = MODE_VALLEY, lo_n = 0;
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

	if (diag_limited(r) || memory_speed(&r->steps[DIAG_RANDREAD_QD1]))
		return;
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		const struct diagnose_step *s = &r->steps[order[i]];
		double fs, fu, ss, su;

		/* the slow side must be slow for the class: a spinning disk's
		 * cache hits beside its seeks are no news */
		if (!diag_step_ok(s) || !s->direct || !two_modes(s, &fs, &fu, &ss, &su) ||
		    su < (spinning(r) ? HDD_P99_US : SSD_P99_US))
			continue;
		diag_finding_init(&f, (int)s->kind, DIAG_WARN, "latency_modes");
		snprintf(f.text, sizeof(f.text),
			 "Two populations of latency in %s: %.1f%% of the I/Os completed in about "
			 "%s, %.1f%% took about %s, and almost none in between. The slow ones set "
			 "the mean (%s) and the p99 (%s). Some I/Os take a slow path: a cache in "
			 "front of the device (hits and misses), a slower RAID or multipath member, "
			 "a storage tier, or requests the device retries or remaps.",
			 s->name, 100 * fs, diag_fmt_us(a, sizeof(a), fu), 100 * ss,
			 diag_fmt_us(b, sizeof(b), su), diag_fmt_us(c, sizeof(c), s->lat_mean_us),
			 diag_fmt_us(d, sizeof(d), s->lat_p99_us));
		diag_fig_add(&f, "fast_share", fs);
		diag_fig_add(&f, "fast_us", fu);
		diag_fig_add(&f, "slow_share", ss);
		diag_fig_add(&f, "slow_us", su);
		diag_push_finding(r, &f, true);
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

	if (!diag_step_ok(sy) || !diag_step_ok(bu) || sy->iops <= 0 || bu->iops <= 0)
		return;
	ratio = bu->iops / sy->iops;
	/* the p50, unless 1/IOPS says most of the time went elsewhere (a
	 * limiter's bursts): then the mean a commit costs at QD1 */
	commit_us = sy->commits && sy->lat_p50_us > 0 &&
		    sy->lat_p50_us * sy->iops / 1e6 >= LITTLE_BURST ? sy->lat_p50_us :
		    1e6 / sy->iops;
	if (ratio < SYNC_RATIO || commit_us < SYNC_MIN_US)
		return;
	diag_finding_init(&f, DIAG_SYNCWRITE_4K, DIAG_WARN, "slow_commit");
	snprintf(f.text, sizeof(f.text),
		 "Commits are slow: a 4k write followed by fdatasync takes %s (",
		 diag_fmt_us(a, sizeof(a), commit_us));
	if (sy->commits)
		errmsg_appendf(f.text, sizeof(f.text), "p50 %s, p99 %s",
			diag_fmt_us(b, sizeof(b), sy->lat_p50_us), diag_fmt_us(c, sizeof(c), sy->lat_p99_us));
	else
		errmsg_appendf(f.text, sizeof(f.text), "1/IOPS at QD1");
	if (sy->syncs)
		errmsg_appendf(f.text, sizeof(f.text), "; the fdatasync alone %s on average",
			diag_fmt_us(c, sizeof(c), sy->sync_mean_us));
	errmsg_appendf(f.text, sizeof(f.text),
		"), so one writer commits only %s times a second, %.0fx fewer than buffered "
		"writes (%s IOPS). A database that syncs each transaction (PostgreSQL, "
		"MySQL/InnoDB, SQLite, etcd) is held to about %s commits/s per connection.",
		diag_fmt_iops(x, sizeof(x), sy->iops), ratio, diag_fmt_iops(y, sizeof(y), bu->iops), x);
	if (diag_limited(r))
		errmsg_appendf(f.text, sizeof(f.text),
			" The limit above the device accounts for it: a commit is a write and a "
			"flush, and both wait for the cap.");
	else
		errmsg_appendf(f.text, sizeof(f.text),
			" The flush is what costs: the device's write cache is missing or "
			"disabled, it flushes slowly (no power-loss protection), or the storage "
			"is remote. Check %s%s%s (now: %s) and hdparm -W or sdparm --get=WCE on "
			"the disk.",
			r->device[0] ? "/sys/block/" : "the device's queue/write_cache",
			r->device[0] ? r->device : "", r->device[0] ? "/queue/write_cache" : "",
			r->write_cache[0] ? r->write_cache : "unknown");
	diag_fig_add(&f, "commit_us", commit_us);
	if (sy->syncs)
		diag_fig_add(&f, "fdatasync_us", sy->sync_mean_us);
	diag_fig_add(&f, "commits_per_s", sy->iops);
	diag_fig_add(&f, "buffered_iops", bu->iops);
	diag_push_finding(r, &f, true);
}

/* ---- queue depth, saturation ---- */

static void analyse_queue_depth(struct diagnose_result *r)
{
	const struct diagnose_step *q1 = &r->steps[DIAG_RANDREAD_QD1];
	const struct diagnose_step *q32 = &r->steps[DIAG_RANDREAD_QD32];
	char text[DIAG_FINDING_LEN], a[24], b[24], x[16], y[16];
	double gain;

	if (!r->direct || !diag_step_ok(q1) || !diag_step_ok(q32) || q1->iops <= 0 || !q1->direct)
		return;
	if (q1->lat_p50_us < QD_MIN_LAT_US)
		return; /* answered at memory or CPU speed: depth cannot help */
	if (diag_limited(r) || has_finding(r, "latency_floor") || has_finding(r, "other_io"))
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
		 diag_fmt_iops(x, sizeof(x), q32->iops), gain, diag_fmt_iops(y, sizeof(y), q1->iops),
		 diag_fmt_us(a, sizeof(a), q1->lat_p50_us), diag_fmt_us(b, sizeof(b), q32->lat_p50_us));
	if (q32->depth >= 0 && q32->depth < 8)
		errmsg_appendf(text, sizeof(text),
			" Only %.1f I/Os were in flight on average: the submitting side "
			"(CPU, engine) could not keep the queue full.", q32->depth);
	else
		errmsg_appendf(text, sizeof(text),
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

		if (!diag_step_ok(s) || s->util < BUSY_UTIL || s->iodepth < 8)
			continue;
		low = s->bs >= (256u << 10) ? s->bw_bytes < BUSY_LOW_BW : s->iops < BUSY_LOW_IOPS;
		if (!low)
			continue;
		if (s->bs >= (256u << 10))
			snprintf(text, sizeof(text),
				 "%s: the device was busy %.0f%% of the time yet moved only %s "
				 "(await %.1f ms).", s->name, s->util,
				 diag_fmt_bw(a, sizeof(a), s->bw_bytes), s->await_ms);
		else
			snprintf(text, sizeof(text),
				 "%s: the device was busy %.0f%% of the time yet completed only "
				 "%s IOPS (await %.1f ms).", s->name, s->util,
				 diag_fmt_iops(x, sizeof(x), s->iops), s->await_ms);
		/* Each step gets its own figures; the run gets one summary below. */
		diag_finding_init(&f, (int)i, DIAG_ALERT, "device_saturated");
		snprintf(f.text, sizeof(f.text), "%s", text);
		if (s->nr_findings < DIAG_STEP_FINDINGS)
			s->findings[s->nr_findings++] = f;
		errmsg_appendf(names, sizeof(names), "%s%s", first ? ", " : "", s->name);
		if (!first)
			first = s;
	}
	if (!first)
		return;
	diag_finding_init(&f, (int)first->kind, DIAG_ALERT, "device_saturated");
	if (first->bs >= (256u << 10))
		snprintf(f.text, sizeof(f.text),
			 "The device itself is slow or saturated: it was busy %.0f%% of the time "
			 "with a full queue yet moved only %s in %s (await %.1f ms)",
			 first->util, diag_fmt_bw(a, sizeof(a), first->bw_bytes), first->name,
			 first->await_ms);
	else
		snprintf(f.text, sizeof(f.text),
			 "The device itself is slow or saturated: it was busy %.0f%% of the time "
			 "with a full queue yet completed only %s IOPS in %s (await %.1f ms)",
			 first->util, diag_fmt_iops(x, sizeof(x), first->iops), first->name,
			 first->await_ms);
	errmsg_appendf(f.text, sizeof(f.text),
		"; steps affected: %s. Likely a spinning or failing disk, a throttled or "
		"overloaded volume, or other I/O on the same device (iostat -x shows who "
		"else is using it).", names);
	diag_fig_add(&f, "util", first->util);
	diag_fig_add(&f, "iops", first->iops);
	diag_push_finding(r, &f, false);
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
		errmsg_appendf(per, sizeof(per), "%s%s %llu", per[0] ? ", " : "", s->name,
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
			errmsg_appendf(list, sizeof(list), " and more");
			break;
		}
		if (j == i)
			errmsg_appendf(list, sizeof(list), "%s%llu (%.2f MiB)", ranges ? ", " : "",
				(unsigned long long)offs[i], (double)offs[i] / MIB);
		else
			errmsg_appendf(list, sizeof(list), "%s%llu-%llu (%.2f-%.2f MiB, %u places)",
				ranges ? ", " : "", (unsigned long long)offs[i],
				(unsigned long long)offs[j], (double)offs[i] / MIB,
				(double)offs[j] / MIB, j - i + 1);
		i = j + 1;
	}
	diag_finding_init(&f, -1, DIAG_ALERT, "io_errors");
	snprintf(f.text, sizeof(f.text),
		 "The device returned errors: %llu I/O%s failed (%s; %s) at byte offsets %s. "
		 "The steps went on past them. Errors at the same places every time mean bad "
		 "sectors or a failing device: check the kernel log (dmesg) and the device's "
		 "health (smartctl -a); copy what matters off it.",
		 (unsigned long long)total, total == 1 ? "" : "s",
		 eno ? strerror(eno) : "error", per, list);
	diag_fig_add(&f, "errors", (double)total);
	diag_fig_add(&f, "offsets", (double)no);
	diag_push_finding(r, &f, false);
}

static void analyse_memory(struct diagnose_result *r)
{
	const struct diagnose_step *q1 = &r->steps[DIAG_RANDREAD_QD1];
	struct diagnose_finding f;
	char x[16];

	if (!memory_speed(q1))
		return;
	diag_finding_init(&f, DIAG_RANDREAD_QD1, DIAG_WARN, "from_memory");
	snprintf(f.text, sizeof(f.text),
		 "The figures are memory, not the device: 4k random reads at QD1 took %.1f us "
		 "(p50) at %s IOPS, faster than any storage device answers. The data came from "
		 "RAM (%s), so nothing here measures the device under it",
		 q1->lat_p50_us, diag_fmt_iops(x, sizeof(x), q1->iops),
		 !r->direct ? "the page cache: the target refused O_DIRECT" :
		 "tmpfs, the page cache or a host-side cache");
	errmsg_appendf(f.text, sizeof(f.text),
		"; diagnose the block device itself, or a file on a disk-backed file system.");
	diag_fig_add(&f, "p50_us", q1->lat_p50_us);
	diag_fig_add(&f, "iops", q1->iops);
	diag_push_finding(r, &f, false);
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
		double allow = diag_class_p99_us(r, s);
		bool explained = false;

		/* large sequential steps are bound by bytes/s, not by the class's
		 * per-I/O latency; commits have their own finding */
		if (!diag_step_ok(s) || diag_step_buffered(i) || s->bs > 4096 || s->fdatasync ||
		    s->lat_p99_us <= allow)
			continue;
		for (unsigned k = 0; k < r->nr_findings; k++)
			explained |= r->findings[k].severity >= DIAG_WARN &&
				     r->findings[k].step == (int)i;
		if (explained)
			continue;
		diag_finding_init(&f, (int)i, DIAG_WARN, "slow_p99");
		snprintf(f.text, sizeof(f.text),
			 "%s: p99 of %s is beyond what %s shows at QD%u (under %s); p50 %s. "
			 "No cause stands out in these figures: run a longer diagnose, and watch "
			 "iostat -x for the device's own await.",
			 s->name, diag_fmt_us(a, sizeof(a), s->lat_p99_us), class_name(r), s->iodepth,
			 diag_fmt_us(b, sizeof(b), allow), diag_fmt_us(c, sizeof(c), s->lat_p50_us));
		diag_fig_add(&f, "p99_us", s->lat_p99_us);
		diag_fig_add(&f, "allowed_us", allow);
		diag_push_finding(r, &f, true);
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
		measured |= diag_step_ok(&r->steps[i]);
	if (!measured)
		return;
	diag_finding_init(&f, -1, DIAG_INFO, "healthy");
	snprintf(f.text, sizeof(f.text), "No problem found.");
	s = &r->steps[DIAG_RANDREAD_QD1];
	if (diag_step_ok(s)) {
		errmsg_appendf(f.text, sizeof(f.text), " 4k random read at QD1: p50 %s, p99 %s (%s IOPS).",
			diag_fmt_us(a, sizeof(a), s->lat_p50_us), diag_fmt_us(b, sizeof(b), s->lat_p99_us),
			diag_fmt_iops(x, sizeof(x), s->iops));
		diag_fig_add(&f, "qd1_p99_us", s->lat_p99_us);
	}
	s = &r->steps[DIAG_RANDREAD_QD32];
	if (diag_step_ok(s)) {
		errmsg_appendf(f.text, sizeof(f.text), " At QD32: %s IOPS, p99 %s.",
			diag_fmt_iops(x, sizeof(x), s->iops), diag_fmt_us(a, sizeof(a), s->lat_p99_us));
		diag_fig_add(&f, "qd32_iops", s->iops);
	}
	s = &r->steps[DIAG_SEQREAD_1M];
	if (diag_step_ok(s))
		errmsg_appendf(f.text, sizeof(f.text), " Sequential read %s.",
			diag_fmt_bw(a, sizeof(a), s->bw_bytes));
	s = &r->steps[DIAG_SEQWRITE_1M];
	if (diag_step_ok(s))
		errmsg_appendf(f.text, sizeof(f.text), " Sequential write %s.",
			diag_fmt_bw(a, sizeof(a), s->bw_bytes));
	s = &r->steps[DIAG_SYNCWRITE_4K];
	if (diag_step_ok(s))
		errmsg_appendf(f.text, sizeof(f.text), " Synchronous 4k writes: %s IOPS.",
			diag_fmt_iops(x, sizeof(x), s->iops));
	errmsg_appendf(f.text, sizeof(f.text), " Every p99 is within what %s shows.", class_name(r));
	diag_push_finding(r, &f, false);
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
	diag_analyse_periodic(r, &covered);
	analyse_modes(r);
	/* Buffered steps time the copy into the page cache, not the device;
	 * the capped steps' waits are the limiter's. */
	for (unsigned i = 0; i < DIAG_STEP_NR; i++)
		if (diag_step_ok(&r->steps[i]) && !diag_step_buffered(i))
			diag_analyse_tail(r, &r->steps[i], &said,
				     (covered & (1u << i)) ||
				     (diag_limited(r) && !r->steps[i].writes));
	analyse_class_p99(r);
	analyse_healthy(r);

	/* Most severe first; equal severities keep the order they were found in. */
	for (int sev = DIAG_ALERT; sev >= DIAG_INFO; sev--)
		for (unsigned i = 0; i < r->nr_findings; i++)
			if ((int)r->findings[i].severity == sev)
				sorted[n++] = r->findings[i];
	memcpy(r->findings, sorted, n * sizeof(sorted[0]));
}

