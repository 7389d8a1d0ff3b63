/* Job options: one declarative table, one struct.
 *
 * `struct job_opts` holds a job's options in parsed form. `opt_table[]`
 * describes every option once (name, aliases, type, offset into job_opts,
 * default, range, units, help, group). The job-file reader, the command-line
 * reader, validation, `--cmdhelp`, the normalized dump, the TUI editor and
 * the saved job file all read this table; nobody lists options elsewhere.
 *
 * Ownership: strings in job_opts are heap copies owned by the struct;
 * opts_copy() deep-copies and opts_free() releases them. */
#ifndef IOLAB_OPTIONS_H
#define IOLAB_OPTIONS_H

#include <sched.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Data directions. READ/WRITE/TRIM index per-direction arrays. */
enum ddir {
	DDIR_READ = 0,
	DDIR_WRITE = 1,
	DDIR_TRIM = 2,
	DDIR_RWDIR_CNT = 3,
	DDIR_SYNC = 3,     /* fsync issued as an I/O */
	DDIR_DATASYNC = 4, /* fdatasync issued as an I/O */
	DDIR_INVAL = -1,
};

/* The name of direction @d: "read", "write", "trim", "fsync" or
 * "fdatasync"; "io" for anything else. The one table of direction names
 * for reports, screens, JSON keys and messages. */
const char *ddir_name(int d);

/* rw= as bits, like fio: read=R, write=W, rw=R|W, randread=R|RAND ... */
enum rw_bits {
	RW_READ = 1u << 0,
	RW_WRITE = 1u << 1,
	RW_TRIM = 1u << 2,
	RW_RAND = 1u << 3,
};

enum rand_dist {
	DIST_RANDOM = 0,
	DIST_ZIPF,
	DIST_PARETO,
	DIST_NORMAL,
	DIST_ZONED,     /* zone_split: access share over a share of the region */
	DIST_ZONED_ABS, /* zone_split: access share over absolute byte lengths */
};
/* random_generator=: which generator draws uniform random offsets.
 * tausworthe and tausworthe64 both mean iolab's 64-bit generator; lfsr
 * means a full-period permutation of the blocks (each once a pass, no
 * random map). */
enum rand_gen { RANDGEN_TAUSWORTHE = 0, RANDGEN_LFSR, RANDGEN_TAUSWORTHE64 };
enum zone_mode { ZONEMODE_NONE = 0, ZONEMODE_STRIDED, ZONEMODE_ZBD };
enum dedupe_mode { DEDUPE_REPEAT = 0, DEDUPE_WORKING_SET };
enum rate_process { RATE_LINEAR = 0, RATE_POISSON };
enum submit_mode { SUBMIT_INLINE = 0, SUBMIT_OFFLOAD };
enum verify_kind {
	VERIFY_NONE = 0,
	VERIFY_CRC32C,
	VERIFY_MD5,
	VERIFY_XXHASH,
	VERIFY_SHA256,
	VERIFY_PATTERN,
	VERIFY_META, /* header only: offset, generation, job; data unchecked */
};
/* continue_on_error= as a mask of what may be ignored. */
enum coe_bits {
	COE_READ = 1u << 0,
	COE_WRITE = 1u << 1,
	COE_VERIFY = 1u << 2,
	COE_IO = COE_READ | COE_WRITE,
	COE_ALL = COE_READ | COE_WRITE | COE_VERIFY,
};
enum cpu_mode { CPU_NOOP = 0, CPU_QSORT };
/* fadvise_hint=: no hint, the job's pattern (random or sequential), or one */
enum fadvise_hint { FADV_HINT_NONE = 0, FADV_HINT_PATTERN, FADV_HINT_RANDOM, FADV_HINT_SEQUENTIAL };
enum stat_type { STAT_STAT = 0, STAT_LSTAT, STAT_STATX };
enum file_service { FSERVICE_ROUNDROBIN = 0, FSERVICE_SEQUENTIAL, FSERVICE_RANDOM };
/* exit_what=: which jobs an exitall (or exitall_on_error) stops: the
 * ending job's group, every job running then (any group; later groups
 * still start), or all, later groups included (fio's TERMINATE_*) */
enum exit_what { EXIT_GROUP = 0, EXIT_STONEWALL, EXIT_ALL };
/* cpus_allowed_policy=: every job on the whole cpus_allowed set (shared),
 * or job N (fio's job number - 1, clones counted) on the set's
 * (N mod count)-th CPU alone (split) */
enum cpus_policy { CPUS_SHARED = 0, CPUS_SPLIT };
/* ignore_error= lists, by fio's error type: what a read, a write (or
 * trim) or a verify failed with */
enum err_type { ERRT_READ = 0, ERRT_WRITE, ERRT_VERIFY, ERRT_NR };
#define IGNORE_ERR_MAX 16
/* unified_rw_reporting=: directions apart (none), one "mixed" entry
 * instead of them (mixed), or both */
enum unified_rw { UNIFIED_NONE = 0, UNIFIED_MIXED, UNIFIED_BOTH };

#define BSSPLIT_MAX 64
#define INJECT_MAX 8
#define OPT_MAX 256 /* upper bound on opt_table entries */
#define PCT_LIST_MAX 20 /* fio's FIO_IO_U_LIST_MAX_LEN */
#define COMPAT_MAX 56
#define ZONESPLIT_MAX 64
#define BUFFER_PATTERN_MAX 512 /* fio's pattern limit */

/* One zone of random_distribution=zoned / zoned_abs: @access percent of the
 * random I/Os land in it; it spans @size_pct percent of the region (zoned)
 * or @size bytes (zoned_abs), after the zones before it. */
struct zone_split {
	unsigned access;   /* 0..100 */
	unsigned size_pct; /* 0..100, zoned */
	uint64_t size;     /* bytes, zoned_abs */
};

struct bssplit {
	uint32_t bs;
	double perc; /* 0..100; entries with perc 0 share what is left */
};

struct inject_error {
	int err;     /* positive errno */
	double perc; /* 0..100 */
};

struct job_opts {
	/* identity */
	char *name;
	char *description;

	/* target */
	char *filename;  /* may be a ':'-separated list; "\:" escapes */
	char *directory;
	char *filename_format; /* names of made-up files: $jobname $jobnum $filenum */
	uint64_t size;     /* bytes per job (0: file's size); see size_pct */
	double size_pct;   /* size=N% of the file/device; 0 when absolute */
	uint64_t filesize;
	uint64_t offset;
	double offset_pct;
	uint64_t offset_increment;
	uint64_t io_size; /* 0: same as size */
	uint64_t number_ios; /* I/Os per loop at most (0: no limit; not time_based) */
	unsigned nrfiles;
	enum file_service file_service_type;
	unsigned file_service_nr; /* file_service_type=TYPE:N, I/Os per file turn; 0 = 1 */
	bool create_serialize;
	bool allow_mounted_write;

	/* workload */
	unsigned rw;          /* enum rw_bits */
	uint64_t rw_seq_nr;   /* ':N' suffix: skip (seq) or repeat count (rand) */
	bool rw_seq_back;     /* sequential ':-N': the skip goes back N bytes */
	unsigned rwmixread;   /* percent of reads in a mix; rwmixwrite=100-this */
	uint32_t bs[DDIR_RWDIR_CNT];
	uint32_t bs_min[DDIR_RWDIR_CNT], bs_max[DDIR_RWDIR_CNT]; /* bsrange */
	struct bssplit bssplit[DDIR_RWDIR_CNT][BSSPLIT_MAX];
	unsigned nr_bssplit[DDIR_RWDIR_CNT];
	uint32_t blockalign[DDIR_RWDIR_CNT]; /* 0: same as min bs */
	bool randrepeat;
	uint64_t randseed;
	bool randseed_set;
	bool norandommap;
	enum rand_dist random_distribution;
	double dist_param; /* zipf theta, pareto h, normal sigma (%) */
	struct zone_split zone_split[DDIR_RWDIR_CNT][ZONESPLIT_MAX]; /* zoned, zoned_abs */
	unsigned nr_zone_split[DDIR_RWDIR_CNT];
	enum rand_gen random_generator;
	/* zonemode=strided: I/O zonesize bytes in a zonerange-long zone, then
	 * move zonerange + zoneskip on (wrapping at the file's end) */
	enum zone_mode zonemode;
	uint64_t zone_size, zone_range, zone_skip;
	/* zonemode=zbd (backend/zbd.h): emulated zones' capacity (0: zonesize),
	 * open-zone limits for the file and for the job (0: none) */
	uint64_t zone_capacity;
	unsigned max_open_zones, job_max_open_zones;
	bool ignore_zone_limits, read_beyond_wp;
	double zone_reset_threshold, zone_reset_frequency;
	bool serialize_overlap; /* never queue an I/O overlapping one in flight */
	/* write buffer contents */
	uint8_t buffer_pattern[BUFFER_PATTERN_MAX];
	unsigned buffer_pattern_len;
	unsigned dedupe_percentage;          /* writes that repeat earlier data */
	enum dedupe_mode dedupe_mode;
	unsigned dedupe_working_set_percentage; /* working_set: of the region's blocks */
	bool dedupe_global;                  /* working set shared by the jobs */
	/* zero_buffers, refill_buffers, scramble_buffers (default on),
	 * buffer_compress_percentage/_chunk: how bufdata.h resolves them */
	bool zero_buffers, refill_buffers, scramble_buffers;
	unsigned buffer_compress_pct;
	uint64_t buffer_compress_chunk;
	/* flow: jobs with the same flow_id keep their I/O counts in the ratio
	 * of their flow weights */
	unsigned flow;
	unsigned flow_id;
	unsigned flow_sleep_us;
	unsigned trim_percentage;
	bool trim_verify_zero;

	/* queue / engine */
	char *ioengine;
	unsigned iodepth;
	unsigned iodepth_batch_submit;
	unsigned iodepth_batch_complete_min;
	unsigned iodepth_batch_complete_max;
	unsigned iodepth_low;
	bool direct;
	enum submit_mode io_submit_mode;
	/* io_uring */
	bool fixedbufs, registerfiles, sqthread_poll, hipri;
	int sqthread_poll_cpu; /* -1: any */
	/* mmap */
	bool mmap_msync;
	/* pvsync2 (hipri above is shared with io_uring) */
	unsigned hipri_percentage; /* percent of I/Os with RWF_HIPRI when hipri */
	unsigned uncached;         /* non-zero: RWF_DONTCACHE on buffered I/O */
	bool nowait;               /* RWF_NOWAIT */
	/* cpuio */
	unsigned cpuload;          /* percent of one CPU (0: refused; >100: 100) */
	unsigned cpuchunks;        /* usec of CPU burnt per unit */
	unsigned cpumode;          /* enum cpu_mode */
	bool exit_on_io_done;
	/* filestat */
	unsigned stat_type;        /* enum stat_type */
	/* exec */
	char *program;             /* run as the job (only with --allow-exec) */
	char *arguments;           /* split on spaces; %r runtime (s), %n job name */
	unsigned grace_time;       /* seconds between SIGTERM and SIGKILL */
	bool std_redirect;         /* stdout/stderr to <name>.stdout/.stderr */
	/* e4defrag */
	char *donorname;           /* donor file, under directory= */
	unsigned inplace;          /* 1: allocate and free the donor per unit */

	/* jobs and groups */
	unsigned numjobs;
	bool stonewall; /* alias wait_for_previous */
	bool new_group;
	bool group_reporting;
	bool thread;
	char *wait_for;
	bool exitall, exitall_on_error;
	unsigned exit_what; /* enum exit_what */

	/* timing (all in microseconds) */
	uint64_t runtime_us;
	bool time_based;
	uint64_t ramp_time_us;
	uint64_t startdelay_us;
	unsigned loops;
	uint64_t thinktime_us, thinktime_spin_us;
	unsigned thinktime_blocks;

	/* rate (per direction) */
	uint64_t rate[DDIR_RWDIR_CNT];      /* bytes/s */
	uint64_t rate_iops[DDIR_RWDIR_CNT];
	uint64_t ratemin[DDIR_RWDIR_CNT];   /* bytes/s */
	uint64_t rate_iops_min[DDIR_RWDIR_CNT];
	enum rate_process rate_process;
	uint64_t rate_cycle_ms;
	uint64_t latency_target_us, latency_window_us;
	double latency_percentile;
	bool latency_run;
	/* steadystate (steadystate.h) */
	unsigned ss_mode; /* enum ss_mode_bits */
	double ss_limit;
	uint64_t ss_dur_us, ss_ramp_us;

	/* durability */
	unsigned fsync_blocks;     /* fsync=N */
	unsigned fdatasync_blocks; /* fdatasync=N */
	bool end_fsync, fsync_on_close;
	bool fill_device;

	/* verify */
	enum verify_kind verify;
	uint8_t verify_pattern[64];
	unsigned verify_pattern_len;
	bool do_verify, verify_only, verify_fatal;
	bool verify_dump; /* a failed block's data, read and expected, to files */
	unsigned verify_backlog;
	uint32_t verify_interval;
	char *verify_state_save, *verify_state_load; /* bool-ish in fio; path prefix */
	unsigned continue_on_error; /* enum coe_bits */
	unsigned fadvise_hint;      /* enum fadvise_hint */
	/* ignore_error=: per enum err_type, the errnos that are not fatal
	 * (none listed: fio's EIO and EILSEQ); setting a type's list also
	 * sets its continue_on_error bit, which a later continue_on_error=
	 * replaces (fio's order) */
	int ignore_error[ERRT_NR][IGNORE_ERR_MAX];
	unsigned nr_ignore_error[ERRT_NR];
	bool error_dump; /* say each error the job goes on after, as fatal ones are */

	/* logging */
	char *write_bw_log, *write_iops_log, *write_lat_log, *write_hist_log;
	uint64_t log_avg_msec, log_hist_msec;
	uint64_t bwavgtime, iopsavgtime; /* report's bw / iops windows (ms) */
	bool log_max_value, per_job_logs;
	bool log_offset; /* logs carry each I/O's offset (a 6th column) */
	char *write_iolog, *read_iolog;
	bool replay_no_stall;
	double replay_time_scale; /* percent, 100 = real time */

	/* faults */
	struct inject_error inject_error[INJECT_MAX];
	unsigned nr_inject_error;
	uint64_t inject_delay_us;
	double inject_delay_perc;

	/* misc */
	unsigned kb_base; /* 1024 or 1000 */
	char *exec_prerun, *exec_postrun;
	bool invalidate;      /* drop the page cache of the files before I/O */
	bool unlink;          /* remove the job's files when it ends */
	char *cpus_allowed;   /* CPU list the job's thread may run on */
	unsigned cpus_allowed_policy; /* enum cpus_policy */
	char *numa_cpu_nodes; /* "all" or a node list: run on those nodes' CPUs */
	int nice;
	/* I/O priorities (cmdprio.h): the job thread's, then per I/O
	 * (libaio, io_uring); [DDIR_TRIM] unused */
	int ioprio, ioprio_class;
	unsigned cmdprio_pct[DDIR_RWDIR_CNT];
	unsigned cmdprio_class[DDIR_RWDIR_CNT]; /* 0: realtime, as fio */
	unsigned cmdprio_level[DDIR_RWDIR_CNT];
	char *cmdprio_bssplit;
	bool log_prio; /* logs' last column: each I/O's priority, not 1 for realtime */
	double percentile_list[PCT_LIST_MAX]; /* report these clat percentiles */
	unsigned nr_percentile_list;          /* 0: fio's default list */
	/* which latencies get percentiles in the report (fio's defaults:
	 * clat only); the sync percentiles follow clat || lat, as fio's */
	bool clat_percentiles, lat_percentiles, slat_percentiles;
	unsigned unified_rw_rep;              /* enum unified_rw */
	/* fio options iolab accepts and ignores (OPTF_COMPAT), kept so a
	 * loaded file saves back unchanged */
	char *compat[COMPAT_MAX];

	/* which table entries were given explicitly (index into opt_table) */
	uint8_t set[OPT_MAX];
};

enum opt_type {
	OPT_STR,       /* char *; filename lists are strings too */
	OPT_BOOL,      /* bool; bare key means 1 */
	OPT_UINT,      /* unsigned; plain integer, optional k/m suffix */
	OPT_INT,       /* int */
	OPT_U64,       /* uint64_t plain integer */
	OPT_SIZE,      /* uint64_t with size suffixes, kb_base aware */
	OPT_SIZE_PCT,  /* size or N%: custom */
	OPT_TIME,      /* uint64_t microseconds; bare number in opt's unit */
	OPT_DOUBLE,
	OPT_ENUM,      /* unsigned from a choice list */
	OPT_CUSTOM,    /* parse/print hooks do the work */
};

enum opt_group {
	GRP_JOB = 0,
	GRP_TARGET,
	GRP_WORKLOAD,
	GRP_QUEUE,
	GRP_RATE,
	GRP_TIMING,
	GRP_VERIFY,
	GRP_LOGGING,
	GRP_ENGINE,
	GRP_FAULT,
	GRP_NR,
};

struct opt_choice {
	const char *name;
	unsigned value;
	const char *help;
};

struct opt_def;
/* Parse @val (NULL for a bare key) into @o. Returns 0, or -1 with a reason
 * written to @err ("'abc' is not a size"). */
typedef int (*opt_parse_fn)(const struct opt_def *def, struct job_opts *o,
			    const char *val, char *err, size_t errlen);
/* Render the option's current value as fio would accept it. */
typedef void (*opt_print_fn)(const struct opt_def *def, const struct job_opts *o,
			     char *buf, size_t len);

struct opt_def {
	const char *name;
	const char *alias;  /* second name, or NULL */
	enum opt_type type;
	size_t off;         /* offsetof(struct job_opts, field) */
	const char *def;    /* default as text, parsed at opts_init; NULL: zero */
	long long min, max; /* range for numeric types; max 0: unbounded */
	const char *units;  /* "bytes", "usec", "percent", ... for help/editor */
	const char *help;   /* one line; the editor shows it for the field */
	enum opt_group group;
	const struct opt_choice *choices; /* OPT_ENUM */
	unsigned time_unit_us;            /* OPT_TIME: unit of a bare number */
	bool per_ddir;                    /* accepts "r,w[,t]" */
	opt_parse_fn parse;               /* OPT_CUSTOM, or override */
	opt_print_fn print;
	/* additions (options.c owner): */
	unsigned elem_size;  /* bytes of one stored value when not the type's
			      * natural size (bs is a size kept in uint32_t) */
	unsigned flags;      /* enum opt_flags */
	const char *syntax;  /* value syntax for help and the editor */
	/* An engine's own option: the engines fio knows it under,
	 * ':'-separated ("io_uring:pvsync2"); NULL for the rest. Saved with
	 * another engine it is carried as an ";@iolab" line fio skips. */
	const char *engines;
};

enum opt_flags {
	OPTF_IOLAB = 1u << 0,     /* not a fio option: saved files carry it as
				   * an ";@iolab key=value" line fio skips */
	OPTF_URING = 1u << 1,     /* io_uring engine option (fio knows it only
				   * after ioengine=io_uring) */
	OPTF_BARE_NAME = 1u << 2, /* string; a bare key means the job's name */
	OPTF_BARE_ONE = 1u << 3,  /* string; a bare key means "1" */
	OPTF_FIO_BOOL = 1u << 4,  /* fio takes only 0/1 here; other values are
				   * iolab's and saved as ";@iolab" lines */
	OPTF_COMPAT = 1u << 5,    /* fio option iolab accepts and ignores: the
				   * loader warns, the editor hides it, the help
				   * says why it has no effect */
	OPTF_MULTILINE = 1u << 6, /* free text that may hold newlines (from a
				   * command line or the editor); every other
				   * value refuses control characters but tab */
	OPTF_LIVE = 1u << 7,      /* a live knob: backend_set_knobs changes it
				   * while the job runs (the worker reads it
				   * within one I/O); every list of knobs is
				   * read from these flags */
	OPTF_ENGINE_STRICT = 1u << 8, /* an engine's own option (.engines) that
				   * fio refuses under another engine: refused
				   * where a job sets it; one from [global]
				   * is dropped silently for the jobs whose
				   * engine does not take it when [global]'s
				   * engine does (as fio ignores it there) */
};

extern const struct opt_def opt_table[];
extern const size_t opt_count;
extern const char *const opt_group_names[GRP_NR];

/* Fill @o with every default. */
void opts_init(struct job_opts *o);
void opts_copy(struct job_opts *dst, const struct job_opts *src);
void opts_free(struct job_opts *o);

/* Look up by name or alias (case-insensitive, as fio). NULL if unknown. */
const struct opt_def *opt_find(const char *name);
/* Closest known option name to a misspelt one, or NULL if none is close. */
const char *opt_suggest(const char *name);

/* Parse and store one option. Returns 0, or -1 with a reason in @err that
 * does not repeat the option name ("'abc' is not a size"). A value holding
 * a control character other than tab is refused (description may also
 * hold newlines). */
int opt_set(struct job_opts *o, const char *name, const char *val, char *err, size_t errlen);
/* Current value as text fio accepts, on one line (a multi-line
 * description prints its newlines as spaces). */
void opt_print(const struct opt_def *def, const struct job_opts *o, char *buf, size_t len);

/* Cross-option validation after all options are set (bssplit sums, engine
 * known, bs vs size, ...). Returns 0 or -1 with @err naming the option
 * ("bssplit: percentages add to 90, not 100"). */
int opts_validate(const struct job_opts *o, char *err, size_t errlen);

/* Value parsers shared with tests and other modules. Return 0 or -1. */
int parse_size(const char *s, unsigned kb_base, uint64_t *out);
int parse_time_us(const char *s, unsigned default_unit_us, uint64_t *out);
int parse_bool(const char *s, bool *out);
/* CPU list "0-3,6" into @set. Returns 0, or -1 if malformed or empty. */
int opts_cpu_list(const char *s, cpu_set_t *set);
/* cpus_allowed_policy=split: keeps in @set only its (@index mod count)-th
 * CPU, as fio splits a set among jobs. Returns the CPUs left (0 when @set
 * was empty). */
int opts_cpus_split(cpu_set_t *set, unsigned index);
/* The CPUs of NUMA nodes @nodes ("all" or a node list) from sysfs into
 * @out. Returns 0; -ENOENT when the machine shows no NUMA nodes; -EINVAL
 * with a reason in @why (a bad list, nodes without CPUs). */
int opts_numa_cpus(const char *nodes, cpu_set_t *out, char *why, size_t whylen);
/* exec_prerun / exec_postrun when shell commands are not @allowed
 * (--allow-exec): -1 with "exec_prerun: not running '...': ..." in @err,
 * else 0. The front end asks when it loads the jobs; the worker again
 * before it would run one. */
int opts_exec_check(const struct job_opts *o, bool allowed, char *err, size_t errlen);
/* What this machine must have for the job to run on it, checked when a job
 * is loaded to run here (job_list_finalize, the editor): the CPUs of
 * cpus_allowed and the NUMA nodes of numa_cpu_nodes. Not part of
 * opts_validate: a job for another machine (a fio server's, a recording)
 * is valid without them. Returns 0 or -1 with "option=value: reason" in
 * @err. */
int opts_check_host(const struct job_opts *o, char *err, size_t errlen);

/* Exact size text in job-file syntax for @kb_base ("4k", "1536", "4KiB"). */
void fmt_size_exact(char *buf, size_t len, uint64_t v, unsigned kb_base);

/* The value syntax of @def as help shows it: "size (4k, 1m, 2g; kb_base
 * aware)", "bool (0|1)", or the option's own syntax line. */
const char *opt_type_text(const struct opt_def *d);
/* Text of @def's default value as opt_print renders it ("" for none). */
void opt_default_text(const struct opt_def *def, char *buf, size_t len);
/* Whether a dump of the options given shows @def, whose current text is
 * @text: set explicitly, or (when no option sharing its storage was set)
 * different from the default. */
bool opt_shown(const struct opt_def *def, const struct job_opts *o, const char *text);
/* Index of @def in opt_table (for job_opts.set[]). */
static inline size_t opt_index(const struct opt_def *def) { return (size_t)(def - opt_table); }
/* Whether @def applies to ioengine=@engine: true for every option that
 * is not an engine's own (opt_def.engines NULL). */
bool opt_for_engine(const struct opt_def *def, const char *engine);
/* Name of an enum value from @def's choices, or NULL. */
const char *opt_choice_name(const struct opt_def *def, unsigned value);

/* Write --cmdhelp output: all options, or one (with aliases, type, default,
 * range, choices). Returns 0, or -1 if @name is unknown. */
int opts_cmdhelp(FILE *f, const char *name);
/* Normalized dump, one "key=value" per line in fio job-file syntax (a bare
 * key for a log option waiting for the job's name): every option, or with
 * @only_set those opt_shown() picks. */
void opts_dump(FILE *f, const struct job_opts *o, bool only_set);

/* Job-wide derived values */
/* The errors a job goes on after, as enum coe_bits: continue_on_error as
 * last set (an ignore_error list sets its type's bit when parsed). */
static inline unsigned opts_coe(const struct job_opts *o)
{
	return o->continue_on_error;
}
static inline bool opts_is_random(const struct job_opts *o) { return o->rw & RW_RAND; }
static inline bool opts_has_ddir(const struct job_opts *o, enum ddir d)
{
	return o->rw & (1u << d);
}

#endif
