/* Diagnose: a guided probe of one storage target, in plain language.
 *
 *   iolab --diagnose TARGET [--runtime=N] [--size=SIZE] [--ioengine=NAME]
 *                           [--output-format=normal|json] [--output=FILE]
 *                           [--allow-write] [--keep]
 *
 * diagnose_run() runs a fixed battery of short jobs one after another through
 * the backend API (one backend per step, so each step's samples start at 0),
 * records each step's figures (diagnose_step) and per-interval samples
 * (diagnose_point), then diagnose_analyse() turns the record into findings.
 * The analysis reads the figures together, not one threshold at a time:
 * IOPS x mean latency must match the I/Os in flight (Little's law), a QD1
 * p50 that cannot explain the IOPS is a limiter that lets bursts through,
 * a limit above the device shows as IOPS (or bytes/s) flat across depths
 * while the device is idle. Each finding names its evidence (steps and
 * figures, also machine-readable in diagnose_finding.fig) and "healthy" is
 * never said while a p99 is beyond what the device's class allows.
 * Analysis is a pure function of the record, so it is tested on recorded
 * figures and can be re-run on a loaded result.
 *
 * Files: diagnose.c the battery and the runner;
 * diagnose_analysis.c the findings (diagnose_stall.c those about time:
 * stalls, spikes, the tail); diagnose_output.c text, JSON and the saved
 * report.
 *
 * TARGET may be:
 *   - a path that does not exist: created as a scratch file, filled with
 *     data (so reads reach the media), removed afterwards (unless keep);
 *   - a directory: the scratch file is a new DIR/iolab-diagnose.XXXXXX.dat
 *     (random X, O_EXCL|O_NOFOLLOW, 0600: a link planted in a shared DIR
 *     is never written through), removed afterwards (unless keep);
 *   - an existing regular file: read steps use it as is; write steps run
 *     only with allow_write (they overwrite its contents);
 *   - a block device: read steps only, unless allow_write, and even then
 *     write steps are refused if the device guard finds it in use
 *     (devguard.h: mounted, held by dm/md, swapped on, partitioned, or
 *     holding a signature libblkid knows).
 *
 * The command line that drives it headless is cli/diagnose.c; the
 * workbench's view is tui/diag.c. Both drive it through diagnose_cfg
 * and draw it from the progress callback's step and points.
 *
 * Threads: diagnose_run() runs on the caller's thread and calls the progress
 * callback from it; every other function is a pure computation or printer. */
#ifndef IOLAB_DIAGNOSE_H
#define IOLAB_DIAGNOSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct backend;

#define DIAG_MAX_POINTS 256    /* per step; longer runs are merged down to this */
#define DIAG_MAX_SPIKES 8      /* spike times kept per step */
#define DIAG_STEP_FINDINGS 4
#define DIAG_MAX_FINDINGS 24
#define DIAG_FINDING_LEN 1200
#define DIAG_FINDING_FIGS 8
#define DIAG_FINDING_WHEN 8    /* slow intervals named per finding */
#define DIAG_LAT_BINS 112      /* quarter-octave latency bins, see diagnose_step */
#define DIAG_ERR_OFFSETS 8     /* failed I/O offsets kept per step */
#define DIAG_DEFAULT_RUNTIME_S 5.0 /* per step, headless and in the workbench */
#define DIAG_MIN_SIZE (16ULL * 1024 * 1024) /* the smallest region probed */

/* The battery, in the order it runs. */
enum diag_step_kind {
	DIAG_RANDREAD_QD1 = 0, /* 4k random read, QD1: latency */
	DIAG_RANDREAD_QD32,    /* 4k random read, QD32: IOPS ceiling */
	DIAG_SEQREAD_1M,       /* 1M sequential read, QD8: read throughput */
	DIAG_SEQWRITE_1M,      /* 1M sequential write, QD8: write throughput */
	DIAG_SYNCWRITE_4K,     /* 4k sequential write + fdatasync each, QD1 */
	DIAG_BUFWRITE_4K,      /* 4k sequential buffered write, QD1 (vs the above) */
	DIAG_MIXED_7030,       /* 4k random 70% read / 30% write, QD16 */
	DIAG_STEP_NR,
};

enum diag_status {
	DIAG_NOT_RUN = 0, /* not reached (interrupted before it) */
	DIAG_DONE,        /* ran to its runtime */
	DIAG_STOPPED,     /* stopped early (interrupt); figures cover what ran */
	DIAG_SKIPPED,     /* not run on purpose; note says why */
	DIAG_FAILED,      /* the job failed; note holds its error */
};

enum diag_severity {
	DIAG_INFO = 0, /* context: what was measured, what was skipped */
	DIAG_WARN,     /* a problem worth acting on */
	DIAG_ALERT,    /* the target is seriously slow or misbehaving */
};

struct diagnose_finding {
	enum diag_severity severity;
	int step;          /* enum diag_step_kind it is about, -1 for the whole run */
	char code[24];     /* stable key: "iops_limit", "bw_limit", "latency_floor",
			      "periodic_stall", "latency_modes", "slow_commit", "other_io",
			      "device_saturated", "from_memory", "io_errors", "slow_p99",
			      "qd_bottleneck", "tail_latency", "latency_stall", "healthy",
			      "step_failed", "writes_skipped", "no_direct", "no_device_stats",
			      "interrupted" */
	char text[DIAG_FINDING_LEN]; /* one paragraph, plain language */
	/* The figures the text names, by name ("cap_iops", "period_s", ...),
	 * as measured (JSON "figures"); see each code in diagnose_analysis.c. */
	struct {
		char name[20];
		double value;
	} fig[DIAG_FINDING_FIGS];
	unsigned nr_fig;
	/* When the slow I/Os it is about completed (tail_latency,
	 * latency_stall, periodic_stall, read from the points' heat; JSON
	 * "intervals"): the intervals holding the most I/Os that took figure
	 * "over_us" or more, most first (periodic_stall: step by step, in
	 * time order). None when the points carry no heat. */
	struct diagnose_when {
		int step;     /* enum diag_step_kind */
		double t_s;   /* the interval's middle, seconds since the step started */
		double dur_s; /* its length */
		double slow;  /* its I/Os that took over_us or more */
		double ios;   /* all its I/Os */
	} when[DIAG_FINDING_WHEN];
	unsigned nr_when;
};

/* One sampler interval of a step. Latencies in microseconds; < 0 unknown. */
struct diagnose_point {
	double t_s;          /* middle of the interval, seconds since the step started */
	double dur_s;        /* length of the interval */
	double iops;         /* all directions */
	double ios;          /* I/Os completed in the interval */
	double lat_p50_us, lat_p99_us, lat_p999_us, lat_max_us;
	double util;         /* device busy percent; < 0 unknown */
	double await_ms;     /* device await; < 0 unknown */
	/* The interval's latencies, as the heat map draws them: I/Os per bin,
	 * the bins of diagnose_step.lat_bins, from the samples' histograms
	 * (all zero where the samples carried none). Their sum is about ios:
	 * the sampler reads counters and histograms apart, so an I/O at the
	 * edge may land in the next interval's. */
	uint32_t heat[DIAG_LAT_BINS];
};

/* Latency bin of @us (bin 0 also below 1 us, the last one also beyond),
 * and the lowest latency of bin @k in microseconds (0 for bin 0;
 * k == DIAG_LAT_BINS: the end of the last bin). */
unsigned diagnose_lat_bin(double us);
double diagnose_bin_low_us(unsigned k);

struct diagnose_step {
	enum diag_step_kind kind;
	const char *name;  /* "randread-4k-qd1" (static) */
	const char *title; /* "4k random read, QD1 (latency)" (static) */
	const char *rw;    /* fio rw= value (static) */
	uint32_t bs;
	unsigned iodepth;
	bool writes;       /* the step writes to the target */
	bool direct;       /* ran with O_DIRECT */
	bool fdatasync;    /* fdatasync after every write */

	enum diag_status status;
	char note[256];    /* why skipped, or the job's error */

	/* Whole-step figures from the job's stats (all directions together).
	 * Latencies (lat_*) run from submission to completion, fio's "lat"
	 * (not its "clat", which starts once the submit call has returned):
	 * what the application waits for, even where
	 * the engine's submit call itself blocks until the device answers.
	 * For a step with fdatasync the latencies are of commits: from a
	 * write's submission to the completion of the fdatasync after it, so
	 * they include the flush (commits set). */
	double runtime_s;
	double iops, read_iops, write_iops;
	double bw_bytes;   /* bytes per second */
	double lat_mean_us, lat_min_us, lat_p50_us, lat_p99_us, lat_p999_us, lat_max_us;
	bool commits;      /* the lat figures are commit latencies (see above) */
	uint64_t ios;      /* I/Os completed (commits for a commits step) */
	/* Latency distribution: I/Os per quarter-octave bin; bin k holds
	 * [2^(k/4), 2^((k+1)/4)) us, bin 0 also everything under 1 us. */
	double lat_bins[DIAG_LAT_BINS];
	uint64_t syncs;    /* fdatasync calls */
	double sync_mean_us, sync_max_us; /* fdatasync latency; 0 without syncs */
	uint64_t errors;   /* I/Os that failed (the steps go on after an I/O error) */
	int first_errno;   /* errno of the first failure; 0 if none */
	uint64_t err_off[DIAG_ERR_OFFSETS]; /* byte offsets of the first failed I/Os, distinct */
	unsigned nr_err_off;
	double depth;      /* mean I/Os in flight (from samples); < 0 unknown */
	double util;       /* device busy percent over the step; < 0 unknown */
	double await_ms;   /* device await over the step; < 0 unknown */
	double dev_iops;   /* device completions per second, every user's; < 0 unknown */
	double dev_bw;     /* device bytes per second, every user's; < 0 unknown */
	double dev_depth;  /* mean requests queued or in service at the device; < 0 unknown */

	struct diagnose_point points[DIAG_MAX_POINTS];
	unsigned nr_points;

	/* Filled by diagnose_analyse(). */
	double spike_t[DIAG_MAX_SPIKES]; /* seconds since the step started */
	unsigned nr_spikes;
	struct diagnose_finding findings[DIAG_STEP_FINDINGS];
	unsigned nr_findings;
};

struct diagnose_result {
	char target[4096];   /* the path probed (the scratch file for a directory) */
	char kind[16];       /* "file", "scratch", "device" */
	char device[32];     /* kernel name of the disk under it ("vda"), "" if none */
	char write_block[256]; /* why write steps were not run, "" if they were */
	uint64_t size;       /* bytes of the region probed */
	double runtime_s;    /* per step */
	char ioengine[16];
	bool direct;         /* O_DIRECT worked on the target */
	bool dev_stats;      /* util/await figures are available */
	bool interrupted;

	/* What the report carries home ("" or -1 when unknown). */
	char when[40];       /* local time the run started, ISO 8601 with offset */
	long long when_s;    /* the same, seconds since the epoch; 0 unknown */
	char host[256];
	char kernel[128];    /* uname -r */
	char version[32];    /* iolab's */
	char model[128];     /* the disk's model (vendor and model for SCSI) */
	char firmware[64];   /* firmware revision */
	char scheduler[32];  /* the active I/O scheduler */
	char write_cache[24]; /* queue/write_cache: "write back", "write through" */
	int nr_requests;
	int rotational;      /* 1 spinning, 0 not; -1 unknown */

	struct diagnose_step steps[DIAG_STEP_NR];

	/* Filled by diagnose_analyse(): every finding, step ones included. */
	struct diagnose_finding findings[DIAG_MAX_FINDINGS];
	unsigned nr_findings;
};

enum diag_phase {
	DIAG_PHASE_PREPARE = 0, /* laying out the scratch file; fraction in @done */
	DIAG_PHASE_STEP_START,  /* step's jobs loaded and started */
	DIAG_PHASE_TICK,        /* step running: new samples may be in be's store */
	DIAG_PHASE_STEP_DONE,   /* step finished, figures recorded in @step */
	DIAG_PHASE_STEP_SKIPPED,
};

struct diagnose_progress {
	enum diag_phase phase;
	unsigned index, count;  /* step index (0-based) and number of steps */
	const struct diagnose_step *step; /* NULL during PREPARE */
	/* The running step's backend during STEP_START, TICK and STEP_DONE,
	 * else NULL. Read samples/states through it (backend_samples(),
	 * backend_job()); do not load, start or free it. Valid only during the
	 * callback. */
	struct backend *be;
	/* The running step's figures so far during STEP_START and TICK, as
	 * the step's record will hold them (its job's samples out of ramp,
	 * newest DIAG_MAX_POINTS), else none. What a front end draws live,
	 * without reaching into the backend. Valid only during the callback. */
	const struct diagnose_point *points;
	unsigned npoints;
	double elapsed_s;       /* since the step (or PREPARE) started */
	double done;            /* PREPARE: 0..1 */
};

/* Called on diagnose_run()'s thread at each phase and about every tick_ms
 * while a step runs. Return 0 to go on, non-zero to stop the battery (the
 * running step stops, results so far are kept, result->interrupted set). */
typedef int (*diagnose_progress_fn)(const struct diagnose_progress *p, void *arg);

struct diagnose_cfg {
	const char *target;
	double runtime_s;      /* per step; 0: DIAG_DEFAULT_RUNTIME_S */
	uint64_t size;         /* scratch file size; 0: 256 MiB per second of
				  runtime, within 256 MiB..1 GiB and 1/4 of free space */
	const char *ioengine;  /* engine for the queued steps; NULL: "libaio" */
	bool allow_write;      /* permit write steps on an existing file or a device */
	bool keep_scratch;     /* do not remove a scratch file diagnose created */
	uint64_t tick_ms;      /* progress interval while running; 0: 200 */
	diagnose_progress_fn progress;
	void *progress_arg;
	volatile int *stop;    /* when non-NULL and set non-zero (e.g. from a SIGINT
				  handler), stop as with a non-zero progress return */
	/* Job options ("key=value" lines, e.g. "inject_delay=2ms") added to every
	 * step's [global] section after diagnose's own, or NULL. The caller
	 * checks them with diagnose_job_option(). */
	const char *job_options;
};

/* May job option @name=@value be given to diagnose (cfg.job_options)?
 * Returns 0, or -1 with @err saying why not: an unknown option, a bad value,
 * or one the battery sets itself (rw, bs, iodepth, filename, ...). */
int diagnose_job_option(const char *name, const char *value, char *err, size_t errlen);

/* Fill @r with the battery's step table (kinds, names, parameters), every
 * step DIAG_NOT_RUN, figures zero and util/await/depth unknown (-1). */
void diagnose_result_init(struct diagnose_result *r, const char *target);

/* Run the battery on cfg->target and analyse it. Returns 0 when the battery
 * ran (possibly interrupted, possibly with failed steps: see the steps'
 * status), or -1 with a message in @err when the target cannot be used
 * (missing parent directory, too small, not enough space, not a file or
 * block device). */
int diagnose_run(const struct diagnose_cfg *cfg, struct diagnose_result *out,
		 char *err, size_t errlen);

/* Pure: (re)compute spikes and findings from the recorded figures of @r
 * (steps' status and figures, points, r->direct, r->dev_stats, ...). */
void diagnose_analyse(struct diagnose_result *r);

/* Text report: target, a table of steps, then the findings. */
void diagnose_print_text(FILE *f, const struct diagnose_result *r);
/* JSON: {"diagnosis": {"target", ..., "steps": [{"name", "iops", "bw_bytes",
 * "lat_p50_us", "lat_p99_us", "lat_p999_us", "util", "findings": [...]},
 * ...], "findings": [{"code", "severity", "step", "text"}, ...]}}.
 * "util" and "await_ms" are -1 when unknown. */
void diagnose_print_json(FILE *f, const struct diagnose_result *r);

/* Save the report to take home: DIR/iolab-diagnose-HOST-YYYYmmdd-HHMMSS.txt
 * (the text report) and the same name with .json (the JSON one), named by
 * r's host and start time (local); "-2".."-9" are tried when a report of
 * that second exists, never written over. Each file goes through
 * lib/outfile (no device, no planted symlink, complete or absent), mode
 * 0600. Returns 0 with the text file's path in @path, or -1 with
 * "what: why" in @err (the text file is removed if the JSON one fails).
 * Any thread. */
int diagnose_save(const struct diagnose_result *r, const char *dir, char *path, size_t pathlen,
		  char *err, size_t errlen);

/* One line of a step's figures, as the command line's progress shows it:
 * "12.5k IOPS, 123.4 MiB/s, p99 1.25 ms", or "failed: why". Returns @buf. */
const char *diagnose_step_line(char *buf, size_t len, const struct diagnose_step *s);

#endif
