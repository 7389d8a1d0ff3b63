/* Job options: the table, lookup, the checks across options, help and
 * dump; see options.h. The value syntax and the parsers of single values
 * are optvalue.c (numbers, storage, plain typed values) and optparse.c
 * (options with a syntax of their own: rw, bssplit, distributions,
 * patterns, errors, cpu lists...).
 * Longer than 1,300 lines because opt_table[] (some 620 of them) is the one
 * declarative table every front end reads, kept whole in one place. */
#include "options_int.h"
#include "steadystate.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../lib/units.h"
#include "bufdata.h"
#include "cmdprio.h"
#include "engines/engine.h"
#include "job.h"
#include "verify.h"
#include "zbd.h"

_Static_assert(sizeof(enum rand_dist) == sizeof(unsigned), "enum storage");
_Static_assert(sizeof(enum rate_process) == sizeof(unsigned), "enum storage");
_Static_assert(sizeof(enum submit_mode) == sizeof(unsigned), "enum storage");
_Static_assert(sizeof(enum verify_kind) == sizeof(unsigned), "enum storage");
_Static_assert(sizeof(enum file_service) == sizeof(unsigned), "enum storage");
_Static_assert(sizeof(enum rand_gen) == sizeof(unsigned), "enum storage");
_Static_assert(sizeof(enum zone_mode) == sizeof(unsigned), "enum storage");
_Static_assert(sizeof(enum dedupe_mode) == sizeof(unsigned), "enum storage");

static const char *const ddir_names[] = {
	[DDIR_READ] = "read", [DDIR_WRITE] = "write", [DDIR_TRIM] = "trim",
	[DDIR_SYNC] = "fsync", [DDIR_DATASYNC] = "fdatasync",
};

const char *ddir_name(int d)
{
	return d >= 0 && d <= DDIR_DATASYNC ? ddir_names[d] : "io";
}

const char *const opt_group_names[GRP_NR] = {
	[GRP_JOB] = "job",	   [GRP_TARGET] = "target", [GRP_WORKLOAD] = "workload",
	[GRP_QUEUE] = "queue",	   [GRP_RATE] = "rate",	    [GRP_TIMING] = "timing",
	[GRP_VERIFY] = "verify",   [GRP_LOGGING] = "logging", [GRP_ENGINE] = "engine",
	[GRP_FAULT] = "fault",
};

/* ------------------------------------------------------------ choices */

static const struct opt_choice randgen_choices[] = {
	{ "tausworthe", RANDGEN_TAUSWORTHE, "iolab's 64-bit generator (fio's default name)" },
	{ "lfsr", RANDGEN_LFSR, "each block once a pass, in a scrambled order, without a random map" },
	{ "tausworthe64", RANDGEN_TAUSWORTHE64, "same as tausworthe in iolab (always 64-bit)" },
	{ NULL, 0, NULL },
};

static const struct opt_choice fadvise_choices[] = {
	{ "0", FADV_HINT_NONE, "no hint" },
	{ "1", FADV_HINT_PATTERN, "random or sequential, from rw=" },
	{ "random", FADV_HINT_RANDOM, "POSIX_FADV_RANDOM: no read-ahead" },
	{ "sequential", FADV_HINT_SEQUENTIAL, "POSIX_FADV_SEQUENTIAL: more read-ahead" },
	{ NULL, 0, NULL },
};

static const struct opt_choice zonemode_choices[] = {
	{ "none", ZONEMODE_NONE, "no zones: the whole region" },
	{ "strided", ZONEMODE_STRIDED, "zonesize bytes per zonerange, then skip zoneskip" },
	{ "zbd", ZONEMODE_ZBD, "write pointer zones of zonesize, emulated on files and non-zoned devices" },
	{ NULL, 0, NULL },
};

static const struct opt_choice dedupe_choices[] = {
	{ "repeat", DEDUPE_REPEAT, "a deduplicated write repeats the last unique one" },
	{ "working_set", DEDUPE_WORKING_SET,
	  "a deduplicated write repeats one of a working set of blocks" },
	{ NULL, 0, NULL },
};

static const struct opt_choice kb_choices[] = {
	{ "1024", 1024, "k means 1024 (fio's default; 'KiB' means 1000)" },
	{ "1000", 1000, "k means 1000 ('KiB' means 1024)" },
	{ NULL, 0, NULL },
};
static const struct opt_choice fservice_choices[] = {
	{ "roundrobin", FSERVICE_ROUNDROBIN, "one I/O per file in turn" },
	{ "sequential", FSERVICE_SEQUENTIAL, "finish a file before the next" },
	{ "random", FSERVICE_RANDOM, "a random file for each I/O" },
	{ NULL, 0, NULL },
};
static const struct opt_choice submit_choices[] = {
	{ "inline", SUBMIT_INLINE, "the job's thread submits and reaps" },
	{ "offload", SUBMIT_OFFLOAD, "a submit thread queues; the job's thread reaps" },
	{ NULL, 0, NULL },
};
static const struct opt_choice rate_process_choices[] = {
	{ "linear", RATE_LINEAR, "evenly spaced I/Os" },
	{ "poisson", RATE_POISSON, "exponentially distributed gaps (same mean rate)" },
	{ NULL, 0, NULL },
};
static const struct opt_choice verify_choices[] = {
	{ "0", VERIFY_NONE, "no verification" },
	{ "none", VERIFY_NONE, "same as 0" },
	{ "crc32c", VERIFY_CRC32C, "CRC32C checksum per block" },
	{ "crc32c-intel", VERIFY_CRC32C, "same as crc32c" },
	{ "md5", VERIFY_MD5, "MD5 digest per block" },
	{ "xxhash", VERIFY_XXHASH, "xxHash per block" },
	{ "sha256", VERIFY_SHA256, "SHA-256 digest per block" },
	{ "pattern", VERIFY_PATTERN, "compare against verify_pattern" },
	{ "meta", VERIFY_META, "a header per block (offset, generation, job), data unchecked" },
	{ NULL, 0, NULL },
};
static const struct opt_choice unified_choices[] = {
	{ "none", UNIFIED_NONE, "each direction reported apart" },
	{ "mixed", UNIFIED_MIXED, "all directions summed into one 'mixed' entry instead" },
	{ "both", UNIFIED_BOTH, "each direction, then the 'mixed' entry" },
	{ "0", UNIFIED_NONE, "same as none" },
	{ "1", UNIFIED_MIXED, "same as mixed" },
	{ "2", UNIFIED_BOTH, "same as both" },
	{ NULL, 0, NULL },
};

static const struct opt_choice exit_what_choices[] = {
	{ "group", EXIT_GROUP, "stop the rest of the ending job's group" },
	{ "stonewall", EXIT_STONEWALL, "stop every running job; later groups still run" },
	{ "all", EXIT_ALL, "stop everything; later groups do not start" },
	{ NULL, 0, NULL },
};

static const struct opt_choice cpus_policy_choices[] = {
	{ "shared", CPUS_SHARED, "every job may run on every CPU of cpus_allowed" },
	{ "split", CPUS_SPLIT, "each job runs on one CPU of the set, in turn" },
	{ NULL, 0, NULL },
};

static const struct opt_choice coe_choices[] = {
	{ "none", 0, "stop on the first error" },
	{ "read", COE_READ, "continue on read errors" },
	{ "write", COE_WRITE, "continue on write errors" },
	{ "io", COE_IO, "continue on any I/O error" },
	{ "verify", COE_VERIFY, "continue on verify mismatches" },
	{ "all", COE_ALL, "continue on any error" },
	{ "0", 0, "same as none" },
	{ "1", COE_ALL, "same as all" },
	{ NULL, 0, NULL },
};

static const struct opt_choice cpumode_choices[] = {
	{ "noop", CPU_NOOP, "spin: burn cycles and nothing else" },
	{ "qsort", CPU_QSORT, "sort an array in memory: caches and memory too" },
	{ NULL, 0, NULL },
};
static const struct opt_choice stat_type_choices[] = {
	{ "stat", STAT_STAT, "stat(2)" },
	{ "lstat", STAT_LSTAT, "lstat(2)" },
	{ "statx", STAT_STATX, "statx(2) of the basic fields" },
	{ NULL, 0, NULL },
};

/* -------------------------------------------------------------- table */

#define S(f) OFF(f)
#define KB 1024LL
#define MAXBS (2LL * 1024 * 1024 * 1024)
#define COMPAT(n, i, why)                                                               \
	{ .name = n, .type = OPT_STR, .off = S(compat[i]), .group = GRP_JOB,          \
	  .flags = OPTF_COMPAT | OPTF_BARE_ONE, .units = "ignored", .help = why }

const struct opt_def opt_table[] = {
	/* job */
	{ .name = "name", .type = OPT_STR, .off = S(name), .group = GRP_JOB, .units = "text",
	  .help = "Job name (defaults to the section name); shown in reports and logs" },
	{ .name = "description", .type = OPT_STR, .off = S(description), .group = GRP_JOB,
	  .units = "text", .flags = OPTF_MULTILINE, .help = "Free text describing the job, printed before it runs" },
	{ .name = "kb_base", .type = OPT_ENUM, .off = S(kb_base), .def = "1024",
	  .group = GRP_JOB, .choices = kb_choices,
	  .help = "Meaning of k/m/g in sizes: 1024 (default, fio compatible) or 1000 (SI)" },
	{ .name = "numjobs", .type = OPT_UINT, .off = S(numjobs), .def = "1", .min = 1,
	  .max = 4096, .group = GRP_JOB, .units = "jobs",
	  .help = "Run this many identical copies of the job, each with its own file" },
	{ .name = "stonewall", .alias = "wait_for_previous", .type = OPT_BOOL,
	  .off = S(stonewall), .group = GRP_JOB,
	  .help = "Wait for all earlier jobs to finish before starting; starts a new group" },
	{ .name = "new_group", .type = OPT_BOOL, .off = S(new_group), .group = GRP_JOB,
	  .help = "Start a new reporting group with this job (without waiting)" },
	{ .name = "group_reporting", .type = OPT_BOOL, .off = S(group_reporting),
	  .group = GRP_JOB, .help = "Report the jobs of a group as one, summed" },
	{ .name = "thread", .type = OPT_BOOL, .off = S(thread), .group = GRP_JOB,
	  .help = "Run jobs as threads (iolab always does; accepted for fio files)" },
	{ .name = "wait_for", .type = OPT_STR, .off = S(wait_for), .group = GRP_JOB,
	  .units = "job name", .help = "Start only after the named earlier job has finished" },
	{ .name = "exitall", .type = OPT_BOOL, .off = S(exitall), .group = GRP_JOB,
	  .help = "When this job finishes, stop all other jobs" },
	{ .name = "exitall_on_error", .type = OPT_BOOL, .off = S(exitall_on_error),
	  .group = GRP_JOB, .help = "When this job fails, stop all other jobs" },
	{ .name = "exit_what", .type = OPT_ENUM, .off = S(exit_what), .def = "group",
	  .group = GRP_JOB, .choices = exit_what_choices,
	  .help = "Which jobs exitall stops when this job ends: group, stonewall or all" },
	{ .name = "exec_prerun", .type = OPT_STR, .off = S(exec_prerun), .group = GRP_JOB,
	  .units = "command",
	  .help = "Shell command run before the job (only with --allow-exec)" },
	{ .name = "exec_postrun", .type = OPT_STR, .off = S(exec_postrun), .group = GRP_JOB,
	  .units = "command",
	  .help = "Shell command run after the job (only with --allow-exec)" },

	/* engine */
	{ .name = "ioengine", .type = OPT_STR, .off = S(ioengine), .def = "psync",
	  .group = GRP_ENGINE, .units = "engine", .parse = parse_ioengine,
	  .syntax = "null, sync, psync, pvsync, pvsync2, posixaio, libaio, io_uring, mmap, "
		    "splice, falloc, ftruncate, filecreate, filestat, filedelete, cpuio, exec or e4defrag",
	  .help = "How I/O is issued: psync (pread/pwrite), libaio, io_uring, mmap, null..." },
	{ .name = "direct", .type = OPT_BOOL, .off = S(direct), .group = GRP_ENGINE,
	  .help = "Use O_DIRECT: bypass the page cache (needs aligned sizes)" },
	{ .name = "buffered", .type = OPT_CUSTOM, .off = S(direct), .group = GRP_ENGINE,
	  .parse = parse_buffered, .print = print_buffered, .syntax = "bool",
	  .help = "Go through the page cache; the inverse of direct" },
	{ .name = "fixedbufs", .type = OPT_BOOL, .off = S(fixedbufs), .group = GRP_ENGINE,
	  .flags = OPTF_URING, .help = "io_uring: register the I/O buffers with the kernel" },
	{ .name = "registerfiles", .type = OPT_BOOL, .off = S(registerfiles),
	  .group = GRP_ENGINE, .flags = OPTF_URING,
	  .help = "io_uring: register the files with the kernel" },
	{ .name = "sqthread_poll", .type = OPT_BOOL, .off = S(sqthread_poll),
	  .group = GRP_ENGINE, .flags = OPTF_URING,
	  .help = "io_uring: a kernel thread polls the submission queue (SQPOLL)" },
	{ .name = "sqthread_poll_cpu", .type = OPT_INT, .off = S(sqthread_poll_cpu), .def = "-1",
	  .min = -1, .max = 65535, .group = GRP_ENGINE, .units = "cpu", .flags = OPTF_URING,
	  .help = "io_uring: CPU for the SQPOLL thread (-1: any)" },
	{ .name = "hipri", .type = OPT_BOOL, .off = S(hipri), .group = GRP_ENGINE,
	  .engines = "io_uring:pvsync2",
	  .help = "Polled completions: io_uring IOPOLL, pvsync2 RWF_HIPRI (needs direct=1)" },
	{ .name = "hipri_percentage", .type = OPT_UINT, .off = S(hipri_percentage), .def = "100",
	  .min = 0, .max = 100, .group = GRP_ENGINE, .units = "percent", .engines = "pvsync2",
	  .help = "pvsync2 with hipri: this share of the I/Os, picked at random, are polled" },
	{ .name = "uncached", .type = OPT_UINT, .off = S(uncached), .group = GRP_ENGINE,
	  .engines = "pvsync2:io_uring",
	  .help = "Buffered I/O that leaves no pages cached (RWF_DONTCACHE, Linux 6.14+); "
		  "not with direct=1" },
	{ .name = "nowait", .type = OPT_BOOL, .off = S(nowait), .group = GRP_ENGINE,
	  .engines = "pvsync2:io_uring:libaio",
	  .help = "Fail an I/O with EAGAIN rather than block (RWF_NOWAIT)" },
	{ .name = "cpuload", .type = OPT_UINT, .off = S(cpuload), .group = GRP_ENGINE,
	  .units = "percent", .engines = "cpuio",
	  .help = "cpuio: busy this share of one CPU (needed; above 100 means 100)" },
	{ .name = "cpuchunks", .type = OPT_UINT, .off = S(cpuchunks), .def = "50000", .min = 1,
	  .group = GRP_ENGINE, .units = "usec", .engines = "cpuio",
	  .help = "cpuio: CPU time burnt per I/O; the idle time after it follows cpuload" },
	{ .name = "cpumode", .type = OPT_ENUM, .off = S(cpumode), .def = "noop",
	  .group = GRP_ENGINE, .choices = cpumode_choices, .engines = "cpuio",
	  .help = "cpuio: how the CPU is kept busy" },
	{ .name = "exit_on_io_done", .type = OPT_BOOL, .off = S(exit_on_io_done),
	  .group = GRP_ENGINE, .engines = "cpuio",
	  .help = "cpuio: end when every job that does I/O has ended" },
	{ .name = "program", .type = OPT_STR, .off = S(program), .group = GRP_ENGINE,
	  .units = "command", .engines = "exec",
	  .help = "exec: program run as the job, for its runtime (only with --allow-exec)" },
	{ .name = "arguments", .type = OPT_STR, .off = S(arguments), .group = GRP_ENGINE,
	  .engines = "exec",
	  .help = "exec: the program's arguments, split on spaces; %r is the runtime in "
		  "seconds, %n the job's name" },
	{ .name = "grace_time", .type = OPT_UINT, .off = S(grace_time), .def = "1",
	  .group = GRP_ENGINE, .units = "seconds", .engines = "exec",
	  .help = "exec: seconds the program gets between SIGTERM and SIGKILL at the end" },
	{ .name = "std_redirect", .type = OPT_BOOL, .off = S(std_redirect), .def = "1",
	  .group = GRP_ENGINE, .engines = "exec",
	  .help = "exec: the program's stdout and stderr go to <job>.stdout and <job>.stderr" },
	{ .name = "donorname", .type = OPT_STR, .off = S(donorname), .group = GRP_ENGINE,
	  .units = "file", .engines = "e4defrag",
	  .help = "e4defrag: donor file whose blocks replace the job's (under directory=)" },
	{ .name = "inplace", .type = OPT_UINT, .off = S(inplace), .def = "0", .min = 0, .max = 1,
	  .group = GRP_ENGINE, .engines = "e4defrag",
	  .help = "e4defrag: 1 allocates and frees the donor's space in each I/O, 0 once "
		  "for the whole region" },
	{ .name = "stat_type", .type = OPT_ENUM, .off = S(stat_type), .def = "stat",
	  .group = GRP_ENGINE, .choices = stat_type_choices, .engines = "filestat",
	  .help = "filestat: the call each file is looked up with" },
	{ .name = "cmdprio_percentage", .type = OPT_UINT, .off = S(cmdprio_pct), .min = 0,
	  .max = 100, .group = GRP_ENGINE, .units = "percent", .per_ddir = true,
	  .engines = "libaio:io_uring", .flags = OPTF_ENGINE_STRICT,
	  .syntax = "pct[,pct] (reads, writes)",
	  .help = "Give this share of the I/Os, at random, the cmdprio_class/cmdprio priority" },
	{ .name = "cmdprio_class", .type = OPT_UINT, .off = S(cmdprio_class), .min = 0, .max = 3,
	  .group = GRP_ENGINE, .units = "class", .per_ddir = true, .engines = "libaio:io_uring",
	  .flags = OPTF_ENGINE_STRICT,
	  .syntax = "1|2|3[,1|2|3] (reads, writes)",
	  .help = "Class of the cmdprio I/Os: 1 realtime (the default, also 0), 2 best "
		  "effort, 3 idle" },
	{ .name = "cmdprio", .type = OPT_UINT, .off = S(cmdprio_level), .min = 0, .max = 7,
	  .group = GRP_ENGINE, .units = "level", .per_ddir = true, .engines = "libaio:io_uring",
	  .flags = OPTF_ENGINE_STRICT,
	  .syntax = "0-7[,0-7] (reads, writes)",
	  .help = "Priority level of the cmdprio I/Os within their class: 0 highest .. 7 lowest" },
	{ .name = "cmdprio_bssplit", .type = OPT_STR, .off = S(cmdprio_bssplit),
	  .group = GRP_ENGINE, .engines = "libaio:io_uring", .parse = parse_cmdprio_bssplit,
	  .flags = OPTF_ENGINE_STRICT,
	  .syntax = "bs/pct[/class/level][:...][,...] (reads, writes)",
	  .help = "Per block size, the share of I/Os given a priority (cmdprio_class/cmdprio's, "
		  "or their own)" },
	{ .name = "mmap_msync", .type = OPT_BOOL, .off = S(mmap_msync), .group = GRP_ENGINE,
	  .flags = OPTF_IOLAB,
	  .help = "mmap engine: msync the mapped range after each write (iolab option)" },

	/* target */
	{ .name = "filename", .type = OPT_STR, .off = S(filename), .group = GRP_TARGET,
	  .units = "path", .syntax = "path[:path...] ('\\:' for a colon in a name)",
	  .help = "File(s) or device(s) to use; ':' separates several (default: made up)" },
	{ .name = "filename_format", .type = OPT_STR, .off = S(filename_format),
	  .group = GRP_TARGET, .units = "format",
	  .help = "Names of made-up files from $jobname, $jobnum (clone), $filenum "
		  "(default $jobname.$jobnum.$filenum)" },
	{ .name = "directory", .type = OPT_STR, .off = S(directory), .group = GRP_TARGET,
	  .units = "path", .help = "Directory for the job's files (prefixes relative filenames)" },
	{ .name = "size", .type = OPT_SIZE_PCT, .off = S(size), .def = "0", .group = GRP_TARGET,
	  .units = "bytes", .parse = parse_size_pct, .print = print_size_pct,
	  .syntax = "size or N%",
	  .help = "Bytes of I/O per job, or N% of the file/device (0: the file's size)" },
	{ .name = "filesize", .type = OPT_SIZE, .off = S(filesize), .def = "0",
	  .group = GRP_TARGET, .units = "bytes",
	  .help = "Size of each file (0: size divided by nrfiles)" },
	{ .name = "offset", .type = OPT_SIZE_PCT, .off = S(offset), .def = "0",
	  .group = GRP_TARGET, .units = "bytes", .parse = parse_size_pct,
	  .print = print_size_pct, .syntax = "size or N%",
	  .help = "Start I/O at this byte offset (or N% into the file)" },
	{ .name = "offset_increment", .type = OPT_SIZE, .off = S(offset_increment), .def = "0",
	  .group = GRP_TARGET, .units = "bytes",
	  .help = "Extra offset per numjobs clone: clone k starts at offset + k*this" },
	{ .name = "io_size", .alias = "io_limit", .type = OPT_SIZE, .off = S(io_size),
	  .def = "0", .group = GRP_TARGET, .units = "bytes",
	  .help = "Bytes of I/O to do, wrapping over the region (0: same as size)" },
	{ .name = "number_ios", .type = OPT_U64, .off = S(number_ios), .def = "0",
	  .group = GRP_TARGET, .units = "I/Os",
	  .help = "End each loop after this many I/Os (0: no limit; time_based ignores it, as fio)" },
	{ .name = "nrfiles", .type = OPT_UINT, .off = S(nrfiles), .def = "1", .min = 1,
	  .max = 65536, .group = GRP_TARGET, .units = "files",
	  .help = "Number of files per job (size is split between them)" },
	{ .name = "file_service_type", .type = OPT_CUSTOM, .off = S(file_service_type),
	  .def = "roundrobin", .group = GRP_TARGET, .choices = fservice_choices,
	  .parse = parse_fservice, .print = print_fservice,
	  .syntax = "roundrobin|sequential|random[:N]",
	  .help = "How the next file is picked when a job has several (:N I/Os per turn)" },
	{ .name = "create_serialize", .type = OPT_BOOL, .off = S(create_serialize), .def = "1",
	  .group = GRP_TARGET, .help = "Lay out the jobs' files one at a time" },
	{ .name = "allow_mounted_write", .type = OPT_BOOL, .off = S(allow_mounted_write),
	  .group = GRP_TARGET,
	  .help = "Allow writing to a block device that is mounted or holds a filesystem" },
	{ .name = "fill_device", .alias = "fill_fs", .type = OPT_BOOL, .off = S(fill_device),
	  .group = GRP_TARGET, .help = "Write until the device or filesystem is full (ENOSPC)" },

	/* workload */
	{ .name = "rw", .alias = "readwrite", .type = OPT_CUSTOM, .off = S(rw), .def = "read",
	  .group = GRP_WORKLOAD, .choices = rw_choices, .parse = parse_rw, .print = print_rw,
	  .syntax = "pattern[:N|:-N]",
	  .help = "I/O pattern; ':N' adds N-byte holes (sequential) or N I/Os per offset (random)" },
	{ .name = "rwmixread", .type = OPT_UINT, .off = S(rwmixread), .def = "50", .max = 100,
	  .group = GRP_WORKLOAD, .units = "percent", .flags = OPTF_LIVE,
	  .help = "Percentage of reads in a mixed (rw, randrw) workload" },
	{ .name = "rwmixwrite", .type = OPT_UINT, .off = S(rwmixread), .max = 100,
	  .group = GRP_WORKLOAD, .units = "percent", .parse = parse_rwmixwrite,
	  .print = print_rwmixwrite, .flags = OPTF_LIVE,
	  .help = "Percentage of writes in a mixed workload (sets rwmixread to 100 minus it)" },
	{ .name = "bs", .alias = "blocksize", .type = OPT_SIZE, .off = S(bs), .def = "4k",
	  .min = 1, .max = MAXBS, .group = GRP_WORKLOAD, .units = "bytes", .per_ddir = true,
	  .elem_size = sizeof(uint32_t), .parse = parse_bs, .syntax = "size[,size][,size]",
	  .flags = OPTF_LIVE,
	  .help = "Block size of each I/O; 'r,w,t' gives reads, writes and trims their own" },
	{ .name = "bsrange", .alias = "blocksize_range", .type = OPT_CUSTOM, .off = S(bs_min),
	  .elem_size = sizeof(uint32_t), .min = 1, .max = MAXBS, .group = GRP_WORKLOAD, .units = "bytes", .per_ddir = true,
	  .parse = parse_bsrange, .print = print_bsrange,
	  .syntax = "min-max[,min-max][,min-max]",
	  .help = "Block sizes drawn at random between min and max (multiples of min)" },
	{ .name = "bssplit", .type = OPT_CUSTOM, .off = S(bssplit), .min = 1, .max = MAXBS,
	  .elem_size = sizeof(uint32_t),
	  .group = GRP_WORKLOAD, .units = "bytes", .per_ddir = true, .parse = parse_bssplit,
	  .print = print_bssplit, .syntax = "bs/pct[:bs/pct...][,...]",
	  .help = "Weighted block sizes, e.g. 4k/10:64k/90; a blank percentage shares the rest" },
	{ .name = "blockalign", .alias = "ba", .type = OPT_SIZE, .off = S(blockalign),
	  .def = "0", .max = MAXBS, .group = GRP_WORKLOAD, .units = "bytes", .per_ddir = true,
	  .elem_size = sizeof(uint32_t), .syntax = "size[,size][,size]",
	  .help = "Align random offsets to this boundary (0: the minimum block size)" },
	{ .name = "randrepeat", .type = OPT_BOOL, .off = S(randrepeat), .def = "1",
	  .group = GRP_WORKLOAD,
	  .help = "Seed the random generators the same way on every run (repeatable)" },
	{ .name = "randseed", .type = OPT_CUSTOM, .off = S(randseed), .group = GRP_WORKLOAD,
	  .units = "seed", .parse = parse_randseed, .print = print_randseed, .syntax = "int",
	  .help = "Seed for the random generators (empty: the fixed default seed)" },
	{ .name = "norandommap", .type = OPT_BOOL, .off = S(norandommap), .group = GRP_WORKLOAD,
	  .help = "Pick random offsets without tracking coverage (blocks may repeat or be missed)" },
	{ .name = "random_distribution", .type = OPT_CUSTOM, .off = S(random_distribution),
	  .def = "random", .group = GRP_WORKLOAD, .choices = dist_choices, .parse = parse_dist,
	  .print = print_dist,
	  .syntax = "random|zipf[:theta]|pareto[:h]|normal[:sigma] or "
		    "zoned:A/S[:A/S...]|zoned_abs:A/SIZE[:A/SIZE...] (zones: 'r,w,t' per direction)",
	  .help = "Shape of random offsets: uniform, a hot set (zipf, pareto, normal), or "
		  "zones (zoned, zoned_abs)" },
	{ .name = "random_generator", .type = OPT_ENUM, .off = S(random_generator),
	  .def = "tausworthe", .group = GRP_WORKLOAD, .choices = randgen_choices,
	  .help = "Generator of uniform random offsets; lfsr touches each block once a pass "
		  "without a random map" },
	{ .name = "zonemode", .type = OPT_ENUM, .off = S(zonemode), .def = "none",
	  .group = GRP_WORKLOAD, .choices = zonemode_choices,
	  .help = "strided: zonesize bytes a zonerange, then skip zoneskip; zbd: write "
		  "pointer zones (emulated)" },
	{ .name = "zonesize", .type = OPT_SIZE, .off = S(zone_size), .def = "0",
	  .group = GRP_WORKLOAD, .units = "bytes",
	  .help = "zonemode=strided: bytes of I/O in a zone before moving to the next; "
		  "zbd: size of the emulated zones" },
	{ .name = "zonerange", .type = OPT_SIZE, .off = S(zone_range), .def = "0",
	  .group = GRP_WORKLOAD, .units = "bytes",
	  .help = "zonemode=strided: length of a zone (0: zonesize)" },
	{ .name = "zoneskip", .type = OPT_SIZE, .off = S(zone_skip), .def = "0",
	  .group = GRP_WORKLOAD, .units = "bytes",
	  .help = "zonemode=strided: bytes skipped between the end of a zone and the next" },
	{ .name = "zonecapacity", .type = OPT_SIZE, .off = S(zone_capacity), .def = "0",
	  .group = GRP_WORKLOAD, .units = "bytes",
	  .help = "zonemode=zbd: bytes writable in each zone from its start (0: zonesize)" },
	{ .name = "max_open_zones", .type = OPT_UINT, .off = S(max_open_zones), .def = "0",
	  .max = 4096, .group = GRP_WORKLOAD, .units = "zones",
	  .help = "zonemode=zbd: most zones of a file written at once, all jobs together "
		  "(0: no limit)" },
	{ .name = "job_max_open_zones", .type = OPT_UINT, .off = S(job_max_open_zones),
	  .def = "0", .max = 4096, .group = GRP_WORKLOAD, .units = "zones",
	  .help = "zonemode=zbd: most zones this job keeps open at once (0: no limit; needs "
		  "max_open_zones)" },
	{ .name = "ignore_zone_limits", .type = OPT_BOOL, .off = S(ignore_zone_limits),
	  .group = GRP_WORKLOAD,
	  .help = "zonemode=zbd: ignore a zoned device's own open-zone limit (emulated zones "
		  "have none)" },
	{ .name = "zone_reset_threshold", .type = OPT_DOUBLE, .off = S(zone_reset_threshold),
	  .def = "0", .min = 0, .max = 1, .group = GRP_WORKLOAD, .units = "fraction",
	  .help = "zonemode=zbd: share of the region written before zone_reset_frequency "
		  "applies (0..1)" },
	{ .name = "zone_reset_frequency", .type = OPT_DOUBLE, .off = S(zone_reset_frequency),
	  .def = "0", .min = 0, .max = 1, .group = GRP_WORKLOAD, .units = "fraction",
	  .help = "zonemode=zbd: past the threshold, reset the written zone once every 1/F "
		  "writes (0: never)" },
	{ .name = "read_beyond_wp", .type = OPT_BOOL, .off = S(read_beyond_wp),
	  .group = GRP_WORKLOAD,
	  .help = "zonemode=zbd: read anywhere in a zone, not only the data below its write "
		  "pointer" },
	{ .name = "serialize_overlap", .type = OPT_BOOL, .off = S(serialize_overlap),
	  .group = GRP_QUEUE,
	  .help = "Never queue an I/O that overlaps one still in flight; wait for it first" },
	{ .name = "buffer_pattern", .type = OPT_CUSTOM, .off = S(buffer_pattern),
	  .group = GRP_WORKLOAD, .parse = parse_buffer_pattern, .print = print_buffer_pattern,
	  .syntax = "0xhex|decimal|\"text\" (concatenated)",
	  .help = "Fill write buffers with this pattern, repeated (up to 512 bytes)" },
	{ .name = "zero_buffers", .type = OPT_BOOL, .off = S(zero_buffers), .def = "0",
	  .group = GRP_WORKLOAD,
	  .help = "Fill write buffers with zeros (data a compressing or deduplicating array "
		  "stores for nothing)" },
	{ .name = "refill_buffers", .type = OPT_BOOL, .off = S(refill_buffers), .def = "0",
	  .group = GRP_WORKLOAD,
	  .help = "New random contents for every write (default: filled once, then scrambled "
		  "per write)" },
	{ .name = "scramble_buffers", .type = OPT_BOOL, .off = S(scramble_buffers), .def = "1",
	  .group = GRP_WORKLOAD,
	  .help = "Stamp each write's offset and time into every 512-byte block, so reused "
		  "buffers do not dedupe" },
	{ .name = "buffer_compress_percentage", .type = OPT_UINT, .off = S(buffer_compress_pct),
	  .def = "0", .max = 100, .group = GRP_WORKLOAD, .units = "percent",
	  .help = "Make write buffers compress by about this much: each chunk is random, then "
		  "zeros or the pattern" },
	{ .name = "buffer_compress_chunk", .type = OPT_SIZE, .off = S(buffer_compress_chunk),
	  .def = "512", .group = GRP_WORKLOAD, .units = "bytes",
	  .help = "buffer_compress_percentage: size of each random-then-compressible chunk "
		  "(at most the write size)" },
	{ .name = "dedupe_percentage", .type = OPT_UINT, .off = S(dedupe_percentage),
	  .def = "0", .max = 100, .group = GRP_WORKLOAD, .units = "percent",
	  .help = "Share of writes whose data repeats earlier data (for deduplicating storage)" },
	{ .name = "dedupe_mode", .type = OPT_ENUM, .off = S(dedupe_mode), .def = "repeat",
	  .group = GRP_WORKLOAD, .choices = dedupe_choices,
	  .help = "What a deduplicated write repeats: the last unique block, or one of a "
		  "working set" },
	{ .name = "dedupe_working_set_percentage", .type = OPT_UINT,
	  .off = S(dedupe_working_set_percentage), .def = "5", .max = 100,
	  .group = GRP_WORKLOAD, .units = "percent",
	  .help = "dedupe_mode=working_set: the working set, as a share of the region's blocks" },
	{ .name = "dedupe_global", .type = OPT_BOOL, .off = S(dedupe_global),
	  .group = GRP_WORKLOAD,
	  .help = "dedupe_mode=working_set: the jobs draw duplicates from one shared working set" },
	{ .name = "flow_id", .type = OPT_UINT, .off = S(flow_id), .def = "0",
	  .group = GRP_RATE, .units = "id",
	  .help = "Flow this job belongs to, for flow= (default 0: one flow for all)" },
	{ .name = "flow", .type = OPT_UINT, .off = S(flow), .def = "0", .max = 1000,
	  .group = GRP_RATE, .units = "weight",
	  .help = "Weight in its flow: jobs of a flow issue I/Os in the ratio of their weights "
		  "(0: not in a flow)" },
	{ .name = "flow_sleep", .type = OPT_UINT, .off = S(flow_sleep_us), .def = "0",
	  .group = GRP_RATE, .units = "usec",
	  .help = "How long a job held back by its flow waits before trying again "
		  "(0: yields the CPU and retries)" },
	{ .name = "fsync", .type = OPT_UINT, .off = S(fsync_blocks), .def = "0",
	  .group = GRP_WORKLOAD, .units = "writes",
	  .help = "Issue an fsync after every N writes (0: never)" },
	{ .name = "fdatasync", .type = OPT_UINT, .off = S(fdatasync_blocks), .def = "0",
	  .group = GRP_WORKLOAD, .units = "writes",
	  .help = "Issue an fdatasync after every N writes (0: never)" },
	{ .name = "end_fsync", .type = OPT_BOOL, .off = S(end_fsync), .group = GRP_WORKLOAD,
	  .help = "fsync the files when the writes are done" },
	{ .name = "fsync_on_close", .type = OPT_BOOL, .off = S(fsync_on_close),
	  .group = GRP_WORKLOAD, .help = "fsync each file before closing it" },

	/* queue */
	{ .name = "iodepth", .type = OPT_UINT, .off = S(iodepth), .def = "1", .min = 1,
	  .max = 65536, .group = GRP_QUEUE, .units = "I/Os", .flags = OPTF_LIVE,
	  .help = "I/Os kept in flight (async engines; sync engines do one at a time)" },
	{ .name = "iodepth_batch_submit", .alias = "iodepth_batch", .type = OPT_UINT,
	  .off = S(iodepth_batch_submit), .def = "1", .max = 65536, .group = GRP_QUEUE,
	  .units = "I/Os", .help = "Submit I/Os in batches of this many (0: the whole depth)" },
	{ .name = "iodepth_batch_complete_min", .alias = "iodepth_batch_complete",
	  .type = OPT_UINT, .off = S(iodepth_batch_complete_min), .def = "1", .max = 65536,
	  .group = GRP_QUEUE, .units = "I/Os",
	  .help = "Wait for at least this many completions at a time (0: just poll)" },
	{ .name = "iodepth_batch_complete_max", .type = OPT_UINT,
	  .off = S(iodepth_batch_complete_max), .def = "0", .max = 65536, .group = GRP_QUEUE,
	  .units = "I/Os", .help = "Reap at most this many completions at a time (0: as many as _min, as fio)" },
	{ .name = "iodepth_low", .type = OPT_UINT, .off = S(iodepth_low), .def = "0",
	  .max = 65536, .group = GRP_QUEUE, .units = "I/Os",
	  .help = "After filling the queue, refill only when it drains to this (0: iodepth)" },
	{ .name = "io_submit_mode", .type = OPT_ENUM, .off = S(io_submit_mode), .def = "inline",
	  .group = GRP_QUEUE, .choices = submit_choices,
	  .help = "inline: one thread submits and reaps; offload: a separate submit thread" },

	/* timing */
	{ .name = "runtime", .alias = "timeout", .type = OPT_TIME, .off = S(runtime_us),
	  .def = "0", .group = GRP_TIMING, .units = "seconds", .time_unit_us = US_PER_S,
	  .help = "Stop the job after this long (bare number: seconds; 0: no limit)" },
	{ .name = "time_based", .type = OPT_BOOL, .off = S(time_based), .group = GRP_TIMING,
	  .help = "Run for the whole runtime, repeating the workload when it ends early" },
	{ .name = "ramp_time", .type = OPT_TIME, .off = S(ramp_time_us), .def = "0",
	  .group = GRP_TIMING, .units = "seconds", .time_unit_us = US_PER_S,
	  .help = "Run this long before counting results (warm-up; bare number: seconds)" },
	{ .name = "startdelay", .type = OPT_TIME, .off = S(startdelay_us), .def = "0",
	  .group = GRP_TIMING, .units = "seconds", .time_unit_us = US_PER_S,
	  .help = "Wait this long before starting the job (bare number: seconds)" },
	{ .name = "loops", .type = OPT_UINT, .off = S(loops), .def = "1", .min = 1,
	  .group = GRP_TIMING, .units = "passes",
	  .help = "Repeat the workload this many times" },
	{ .name = "thinktime", .type = OPT_TIME, .off = S(thinktime_us), .def = "0",
	  .group = GRP_TIMING, .units = "usec", .time_unit_us = 1,
	  .help = "Pause this long between I/O batches (bare number: microseconds)" },
	{ .name = "thinktime_spin", .type = OPT_TIME, .off = S(thinktime_spin_us), .def = "0",
	  .group = GRP_TIMING, .units = "usec", .time_unit_us = 1,
	  .help = "Busy-spin this part of thinktime instead of sleeping (microseconds)" },
	{ .name = "thinktime_blocks", .type = OPT_UINT, .off = S(thinktime_blocks), .def = "1",
	  .min = 1, .group = GRP_TIMING, .units = "I/Os",
	  .help = "Think after every this many I/Os" },

	/* rate */
	{ .name = "rate", .type = OPT_SIZE, .off = S(rate), .def = "0", .group = GRP_RATE,
	  .units = "bytes/s", .per_ddir = true, .syntax = "size[,size][,size]",
	  .flags = OPTF_LIVE,
	  .help = "Cap bandwidth per direction, bytes per second, e.g. 10m (0: no cap)" },
	{ .name = "rate_iops", .type = OPT_U64, .off = S(rate_iops), .def = "0",
	  .group = GRP_RATE, .units = "IOPS", .per_ddir = true, .syntax = "int[,int][,int]",
	  .flags = OPTF_LIVE, .help = "Cap I/Os per second per direction (0: no cap)" },
	{ .name = "rate_min", .alias = "ratemin", .type = OPT_SIZE, .off = S(ratemin),
	  .def = "0", .group = GRP_RATE, .units = "bytes/s", .per_ddir = true,
	  .syntax = "size[,size][,size]",
	  .help = "Fail the job if bandwidth drops below this (bytes per second)" },
	{ .name = "rate_iops_min", .type = OPT_U64, .off = S(rate_iops_min), .def = "0",
	  .group = GRP_RATE, .units = "IOPS", .per_ddir = true, .syntax = "int[,int][,int]",
	  .help = "Fail the job if IOPS drop below this" },
	{ .name = "rate_process", .type = OPT_ENUM, .off = S(rate_process), .def = "linear",
	  .group = GRP_RATE, .choices = rate_process_choices,
	  .help = "How rate-limited I/Os are spaced: linear or poisson arrivals" },
	{ .name = "rate_cycle", .type = OPT_U64, .off = S(rate_cycle_ms), .def = "1000",
	  .min = 1, .group = GRP_RATE, .units = "msec",
	  .help = "Window for rate_min/rate_iops_min checks, in milliseconds" },
	{ .name = "latency_target", .type = OPT_TIME, .off = S(latency_target_us), .def = "0",
	  .group = GRP_RATE, .units = "usec", .time_unit_us = 1,
	  .help = "Find the highest queue depth that keeps latency under this (usec; 0: off)" },
	{ .name = "latency_window", .type = OPT_TIME, .off = S(latency_window_us), .def = "0",
	  .group = GRP_RATE, .units = "usec", .time_unit_us = 1,
	  .help = "Sample window for latency_target (bare number: microseconds)" },
	{ .name = "latency_percentile", .type = OPT_DOUBLE, .off = S(latency_percentile),
	  .def = "100", .min = 0, .max = 100, .group = GRP_RATE, .units = "percent",
	  .help = "Share of I/Os that must meet latency_target" },
	{ .name = "steadystate", .alias = "ss", .type = OPT_CUSTOM, .off = S(ss_mode),
	  .def = "iops_slope:0.01%", .group = GRP_TIMING, .units = "criterion",
	  .parse = ss_parse_opt, .print = ss_print_opt, .syntax = "iops|bw|iops_slope|bw_slope:N[%]",
	  .help = "Steady state test: deviation (iops, bw) or slope (*_slope) under a limit (N or N%)" },
	{ .name = "steadystate_duration", .alias = "ss_dur", .type = OPT_TIME,
	  .off = S(ss_dur_us), .def = "0", .group = GRP_TIMING, .units = "seconds",
	  .time_unit_us = US_PER_S, .max = 7 * 86400 * (long long)US_PER_S, /* window kept whole */
	  .help = "End the job once steadystate holds over this many seconds (0: off)" },
	{ .name = "steadystate_ramp_time", .alias = "ss_ramp", .type = OPT_TIME,
	  .off = S(ss_ramp_us), .def = "0", .group = GRP_TIMING, .units = "seconds",
	  .time_unit_us = US_PER_S,
	  .help = "Wait this long into the measured phase before collecting steadystate data" },
	{ .name = "latency_run", .type = OPT_BOOL, .off = S(latency_run), .group = GRP_RATE,
	  .help = "Keep searching for the latency_target depth for the whole run" },

	/* verify */
	{ .name = "verify", .type = OPT_ENUM, .off = S(verify), .def = "0",
	  .group = GRP_VERIFY, .choices = verify_choices,
	  .help = "Check written data when it is read back: checksum kind or pattern" },
	{ .name = "verify_pattern", .type = OPT_CUSTOM, .off = S(verify_pattern),
	  .group = GRP_VERIFY, .parse = parse_pattern, .print = print_pattern,
	  .syntax = "0xhex|decimal|\"text\" (concatenated)",
	  .help = "Fill written blocks with this pattern (up to 64 bytes) and check it" },
	{ .name = "do_verify", .type = OPT_BOOL, .off = S(do_verify), .def = "1",
	  .group = GRP_VERIFY, .help = "Run the verify pass after writing (with verify set)" },
	{ .name = "verify_only", .type = OPT_BOOL, .off = S(verify_only), .group = GRP_VERIFY,
	  .help = "Do not write; only verify data written by an earlier identical run" },
	{ .name = "verify_fatal", .type = OPT_BOOL, .off = S(verify_fatal), .group = GRP_VERIFY,
	  .help = "Stop at the first verify mismatch (always, as fio 3.33, unless "
		  "continue_on_error=verify)" },
	{ .name = "verify_backlog", .type = OPT_UINT, .off = S(verify_backlog), .def = "0",
	  .group = GRP_VERIFY, .units = "blocks",
	  .help = "Verify after every N blocks written instead of at the end (0: at the end)" },
	{ .name = "verify_interval", .type = OPT_SIZE, .off = S(verify_interval), .def = "0",
	  .elem_size = sizeof(uint32_t), .group = GRP_VERIFY, .units = "bytes",
	  .help = "Checksum every this many bytes of a block (0: the whole block)" },
	{ .name = "verify_state_save", .type = OPT_STR, .off = S(verify_state_save),
	  .group = GRP_VERIFY, .units = "path", .flags = OPTF_BARE_ONE | OPTF_FIO_BOOL,
	  .syntax = "0|1|path",
	  .help = "Save what was written for a later verify_state_load (1: default file name)" },
	{ .name = "verify_state_load", .type = OPT_STR, .off = S(verify_state_load),
	  .group = GRP_VERIFY, .units = "path", .flags = OPTF_BARE_ONE | OPTF_FIO_BOOL,
	  .syntax = "0|1|path",
	  .help = "Verify only what a saved verify state says was written (1: default file)" },
	{ .name = "fadvise_hint", .type = OPT_ENUM, .off = S(fadvise_hint), .def = "1",
	  .group = GRP_JOB, .choices = fadvise_choices,
	  .help = "posix_fadvise() each file's region when opened, as fio (buffered reads)" },
	{ .name = "continue_on_error", .type = OPT_ENUM, .off = S(continue_on_error),
	  .def = "none", .group = GRP_VERIFY, .choices = coe_choices, .print = print_coe,
	  .help = "Which errors are counted and skipped instead of ending the job" },
	{ .name = "ignore_error", .type = OPT_CUSTOM, .off = S(ignore_error), .group = GRP_VERIFY,
	  .parse = parse_ignore_error, .print = print_ignore_error,
	  .syntax = "READ[,WRITE[,VERIFY]] lists of E1:E2",
	  .help = "Errors a job goes on after, by type (else EIO, EILSEQ under continue_on_error)" },
	{ .name = "error_dump", .type = OPT_BOOL, .off = S(error_dump), .def = "0",
	  .group = GRP_VERIFY, .help = "Print each error the job goes on after (stderr)" },
	{ .name = "verify_dump", .type = OPT_BOOL, .off = S(verify_dump), .def = "0",
	  .group = GRP_VERIFY,
	  .help = "On a verify failure, write the block as read and as expected to files" },
	{ .name = "trim_percentage", .type = OPT_UINT, .off = S(trim_percentage), .def = "0",
	  .max = 100, .group = GRP_VERIFY, .units = "percent",
	  .help = "Percentage of verified blocks to trim before they are read back" },
	{ .name = "trim_verify_zero", .type = OPT_BOOL, .off = S(trim_verify_zero), .def = "1",
	  .group = GRP_VERIFY, .help = "Check that trimmed blocks read back as zeroes" },

	/* logging */
	{ .name = "write_bw_log", .type = OPT_STR, .off = S(write_bw_log), .group = GRP_LOGGING,
	  .units = "prefix", .flags = OPTF_BARE_NAME, .syntax = "[prefix]",
	  .help = "Write a bandwidth log PREFIX_bw.N.log (bare: the job name as prefix)" },
	{ .name = "write_iops_log", .type = OPT_STR, .off = S(write_iops_log),
	  .group = GRP_LOGGING, .units = "prefix", .flags = OPTF_BARE_NAME, .syntax = "[prefix]",
	  .help = "Write an IOPS log PREFIX_iops.N.log (bare: the job name as prefix)" },
	{ .name = "write_lat_log", .type = OPT_STR, .off = S(write_lat_log), .group = GRP_LOGGING,
	  .units = "prefix", .flags = OPTF_BARE_NAME, .syntax = "[prefix]",
	  .help = "Write latency logs PREFIX_{lat,clat,slat}.N.log (bare: the job name)" },
	{ .name = "write_hist_log", .type = OPT_STR, .off = S(write_hist_log),
	  .group = GRP_LOGGING, .units = "prefix", .flags = OPTF_BARE_NAME, .syntax = "[prefix]",
	  .help = "Write a latency histogram log PREFIX_clat_hist.N.log (bare: the job name)" },
	{ .name = "log_avg_msec", .type = OPT_U64, .off = S(log_avg_msec), .def = "0",
	  .group = GRP_LOGGING, .units = "msec",
	  .help = "Average log entries over this many milliseconds (0: one entry per I/O)" },
	{ .name = "bwavgtime", .type = OPT_U64, .off = S(bwavgtime), .def = "500", .min = 1,
	  .group = GRP_LOGGING, .units = "msec",
	  .help = "Window of each bw sample behind the report's min/max/avg (with a bw log: "
		  "log_avg_msec if shorter)" },
	{ .name = "iopsavgtime", .type = OPT_U64, .off = S(iopsavgtime), .def = "500", .min = 1,
	  .group = GRP_LOGGING, .units = "msec",
	  .help = "Window of each IOPS sample behind the report's min/max/avg (iops log: "
		  "log_avg_msec if shorter)" },
	{ .name = "log_hist_msec", .type = OPT_U64, .off = S(log_hist_msec), .def = "0",
	  .group = GRP_LOGGING, .units = "msec",
	  .help = "Write a histogram log entry every this many milliseconds" },
	{ .name = "log_max_value", .type = OPT_BOOL, .off = S(log_max_value),
	  .group = GRP_LOGGING, .help = "Log the maximum of each window instead of the average" },
	{ .name = "log_offset", .type = OPT_BOOL, .off = S(log_offset), .group = GRP_LOGGING,
	  .help = "Add each I/O's offset to the bw, iops and lat logs (a column before the last)" },
	{ .name = "log_prio", .type = OPT_BOOL, .off = S(log_prio), .group = GRP_LOGGING,
	  .help = "Last column of the bw, iops and lat logs: each I/O's priority (0x4001), "
		  "not 1 for realtime" },
	{ .name = "per_job_logs", .type = OPT_BOOL, .off = S(per_job_logs), .def = "1",
	  .group = GRP_LOGGING, .help = "Give each job its own log file (else jobs share one)" },
	{ .name = "write_iolog", .type = OPT_STR, .off = S(write_iolog), .group = GRP_LOGGING,
	  .units = "path", .help = "Record every I/O issued to this file, for read_iolog" },
	{ .name = "read_iolog", .type = OPT_STR, .off = S(read_iolog), .group = GRP_LOGGING,
	  .units = "path", .help = "Replay the I/Os recorded in this file instead of a workload" },
	{ .name = "replay_no_stall", .type = OPT_BOOL, .off = S(replay_no_stall),
	  .group = GRP_LOGGING, .help = "Replay as fast as possible, ignoring recorded timing" },
	{ .name = "replay_time_scale", .type = OPT_DOUBLE, .off = S(replay_time_scale),
	  .def = "100", .min = 1, .max = 1000000, .group = GRP_LOGGING, .units = "percent",
	  .help = "Replay speed in percent of the recorded timing (100: real time)" },

	/* fault */
	{ .name = "inject_error", .type = OPT_CUSTOM, .off = S(inject_error),
	  .group = GRP_FAULT, .flags = OPTF_IOLAB, .parse = parse_inject_error,
	  .print = print_inject_error, .syntax = "ERRNO[:pct%][,ERRNO[:pct%]...]",
	  .help = "Fail this share of I/Os with the given errno, e.g. EIO:1%,ENOSPC:0.5%" },
	{ .name = "inject_delay", .type = OPT_TIME, .off = S(inject_delay_us), .def = "0",
	  .group = GRP_FAULT, .units = "usec", .time_unit_us = 1, .flags = OPTF_IOLAB,
	  .parse = parse_inject_delay, .print = print_inject_delay, .syntax = "time[:pct%]",
	  .help = "Delay completions by this long, e.g. 20ms:5% (share 0: every I/O)" },
	{ .name = "inject_delay_perc", .type = OPT_DOUBLE, .off = S(inject_delay_perc),
	  .def = "0", .max = 100, .group = GRP_FAULT, .units = "percent", .flags = OPTF_IOLAB,
	  .help = "Share of I/Os that inject_delay delays (0: all of them)" },
	/* misc: fio options with an effect outside the I/O pattern */
	{ .name = "invalidate", .type = OPT_BOOL, .off = S(invalidate), .def = "1",
	  .group = GRP_TARGET,
	  .help = "Drop the files' cached pages before the job starts (buffered I/O)" },
	{ .name = "unlink", .type = OPT_BOOL, .off = S(unlink), .def = "0", .group = GRP_TARGET,
	  .help = "Remove the job's regular files when it ends" },
	{ .name = "cpus_allowed", .type = OPT_STR, .off = S(cpus_allowed), .group = GRP_JOB,
	  .units = "cpus", .syntax = "cpu list", .parse = parse_cpu_list,
	  .help = "Run the job's thread only on these CPUs, e.g. 0-3,6" },
	{ .name = "cpumask", .type = OPT_CUSTOM, .off = S(cpus_allowed), .group = GRP_JOB,
	  .units = "mask", .syntax = "bit mask (0x3: CPUs 0 and 1)", .parse = parse_cpumask,
	  .print = print_cpumask,
	  .help = "Run the job's thread only on the CPUs whose bits are set (fio's; cpus_allowed "
		  "lists)" },
	{ .name = "cpus_allowed_policy", .type = OPT_ENUM, .off = S(cpus_allowed_policy),
	  .def = "shared", .group = GRP_JOB, .choices = cpus_policy_choices,
	  .help = "cpus_allowed for every job (shared), or one CPU of it per job (split)" },
	{ .name = "numa_cpu_nodes", .type = OPT_STR, .off = S(numa_cpu_nodes), .group = GRP_JOB,
	  .units = "nodes", .syntax = "node list|all", .parse = parse_numa_nodes,
	  .help = "Run the job's thread only on these NUMA nodes' CPUs (from sysfs)" },
	{ .name = "nice", .type = OPT_INT, .off = S(nice), .def = "0", .min = -20, .max = 19,
	  .group = GRP_JOB, .help = "Scheduling niceness of the job's thread (-20..19)" },
	{ .name = "prio", .type = OPT_INT, .off = S(ioprio), .min = 0, .max = 7,
	  .group = GRP_JOB, .units = "level",
	  .help = "I/O priority level of the job's thread, 0 highest .. 7 lowest (ioprio_set)" },
	{ .name = "prioclass", .type = OPT_INT, .off = S(ioprio_class), .min = 0, .max = 3,
	  .group = GRP_JOB, .units = "class",
	  .help = "I/O priority class of the job's thread: 1 realtime (root), 2 best effort "
		  "(also 0), 3 idle" },
	{ .name = "clat_percentiles", .type = OPT_BOOL, .off = S(clat_percentiles), .def = "1",
	  .group = GRP_LOGGING,
	  .help = "Report completion-latency percentiles (and, with lat_percentiles, sync's)" },
	{ .name = "lat_percentiles", .type = OPT_BOOL, .off = S(lat_percentiles), .def = "0",
	  .group = GRP_LOGGING,
	  .help = "Report total-latency percentiles (terse then shows these instead of clat's)" },
	{ .name = "slat_percentiles", .type = OPT_BOOL, .off = S(slat_percentiles), .def = "0",
	  .group = GRP_LOGGING, .help = "Report submission-latency percentiles" },
	{ .name = "unified_rw_reporting", .type = OPT_ENUM, .off = S(unified_rw_rep),
	  .def = "none", .group = GRP_LOGGING, .choices = unified_choices,
	  .help = "Report the directions apart, summed as one 'mixed' entry, or both" },
	{ .name = "percentile_list", .type = OPT_CUSTOM, .off = S(percentile_list),
	  .group = GRP_LOGGING, .parse = parse_percentile_list, .print = print_percentile_list,
	  .syntax = "p[:p...]", .units = "percent",
	  .help = "Completion-latency percentiles to report, e.g. 50:99:99.9 (default fio's list)" },

	/* accepted for fio compatibility; no effect in iolab (the loader warns) */
	COMPAT("gtod_reduce", 0, "iolab's clock is cheap enough to always time every I/O"),
	COMPAT("clocksource", 1, "iolab always uses CLOCK_MONOTONIC through the vDSO"),
	COMPAT("disable_lat", 2, "iolab always keeps full latency accounting"),
	COMPAT("disable_clat", 3, "iolab always keeps full latency accounting"),
	COMPAT("disable_slat", 4, "iolab always keeps full latency accounting"),
	COMPAT("disable_bw_measurement", 5, "iolab always measures bandwidth"),
	COMPAT("numa_mem_policy", 6, "iolab does not set a NUMA memory policy"),
	COMPAT("experimental_verify", 7, "iolab verifies from its compact log of written blocks"),
	COMPAT("verify_async", 8, "iolab checks blocks on the job's own thread"),
	COMPAT("verify_async_cpus", 10, "iolab checks blocks on the job's own thread"),
	COMPAT("significant_figures", 9, "iolab prints fio's default precision"),
	COMPAT("ioscheduler", 17, "iolab does not change the device's I/O scheduler"),
	COMPAT("fallocate", 19, "iolab lays files out by writing them"),
	COMPAT("create_on_open", 20, "iolab creates files when the job is set up; ioengine=filecreate in the run"),
	COMPAT("allow_file_create", 21, "iolab always creates missing files"),
	COMPAT("openfiles", 22, "iolab keeps all of a job's files open; filecreate closes each at once"),
	COMPAT("iomem", 23, "iolab allocates aligned heap buffers"),
	COMPAT("mem", 24, "iolab allocates aligned heap buffers"),
	COMPAT("hugepage-size", 25, "iolab allocates aligned heap buffers"),
	COMPAT("lockmem", 26, "iolab does not lock memory"),
	COMPAT("cgroup", 27, "iolab does not manage cgroups"),
	COMPAT("unit_base", 32, "iolab reports in bytes"),
	COMPAT("pre_read", 33, "iolab does not pre-read files"),
	COMPAT("per_job_start_delay", 34, "use startdelay"),
	/* fio registers its tiobench and act profiles' options with every job,
	 * so job files use them (examples/waitfor.fio sets threads=1); they act
	 * only under fio's --profile, which iolab's --profile is not */
	COMPAT("threads", 35, "fio's tiobench profile option (jobs), used only by its --profile"),
	COMPAT("block", 36, "fio's tiobench profile option (bs), used only by its --profile"),
	COMPAT("numruns", 37, "fio's tiobench profile option (loops), used only by its --profile"),
	COMPAT("dir", 38, "fio's tiobench profile option (directory), used only by its --profile"),
	COMPAT("device-names", 39, "fio's act profile option, used only by its --profile"),
	COMPAT("load", 40, "fio's act profile option, used only by its --profile"),
	COMPAT("test-duration", 41, "fio's act profile option, used only by its --profile"),
	COMPAT("threads-per-queue", 42, "fio's act profile option, used only by its --profile"),
	COMPAT("read-req-num-512-blocks", 43, "fio's act profile option, used only by its --profile"),
	COMPAT("large-block-op-kbytes", 44, "fio's act profile option, used only by its --profile"),
	COMPAT("prep", 45, "fio's act profile option, used only by its --profile"),
};

const size_t opt_count = sizeof(opt_table) / sizeof(opt_table[0]);
_Static_assert(sizeof(opt_table) / sizeof(opt_table[0]) < OPT_MAX, "opt_table outgrew OPT_MAX");
_Static_assert(COMPAT_MAX >= 53, "COMPAT_MAX smaller than the compat entries");

/* ----------------------------------------------------------------- API */

/* Names and aliases sorted case-insensitively, built once: a job file
 * looks up every key line, so lookups are O(log n), not a table scan. */
struct name_ix {
	const char *name;
	const struct opt_def *def;
};
static struct name_ix name_ix[2 * OPT_MAX];
static size_t name_ix_nr;
static pthread_once_t name_ix_once = PTHREAD_ONCE_INIT;

static int name_ix_cmp(const void *a, const void *b)
{
	const struct name_ix *x = a, *y = b;
	int c = strcasecmp(x->name, y->name);

	/* the same name twice: the earlier table entry wins, as a scan would */
	return c ? c : (x->def > y->def) - (x->def < y->def);
}

static void name_ix_build(void)
{
	for (size_t i = 0; i < opt_count; i++) {
		name_ix[name_ix_nr++] = (struct name_ix){ opt_table[i].name, &opt_table[i] };
		if (opt_table[i].alias)
			name_ix[name_ix_nr++] = (struct name_ix){ opt_table[i].alias, &opt_table[i] };
	}
	qsort(name_ix, name_ix_nr, sizeof(name_ix[0]), name_ix_cmp);
}

static int name_key_cmp(const void *key, const void *elem)
{
	return strcasecmp(key, ((const struct name_ix *)elem)->name);
}

const struct opt_def *opt_find(const char *name)
{
	const struct name_ix *hit;

	if (!name)
		return NULL;
	pthread_once(&name_ix_once, name_ix_build);
	hit = bsearch(name, name_ix, name_ix_nr, sizeof(name_ix[0]), name_key_cmp);
	if (!hit)
		return NULL;
	while (hit > name_ix && !strcasecmp(hit[-1].name, name))
		hit--; /* the first of equal names */
	return hit->def;
}

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), prev[64], cur[64];

	if (la >= 63 || lb >= 63)
		return 64;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t sub = prev[j - 1] + (tolower((unsigned char)a[i - 1]) !=
						    tolower((unsigned char)b[j - 1]));
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;

			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
		memcpy(prev, cur, sizeof(prev));
	}
	return prev[lb];
}

const char *opt_suggest(const char *name)
{
	const char *best = NULL;
	size_t bestd = SIZE_MAX, len, limit;

	if (!name || !*name)
		return NULL;
	len = strlen(name);
	limit = len / 4 > 2 ? (len / 4 < 4 ? len / 4 : 4) : 2;
	for (size_t i = 0; i < opt_count; i++) {
		const char *names[2] = { opt_table[i].name, opt_table[i].alias };

		for (int k = 0; k < 2; k++) {
			size_t dd;

			if (!names[k])
				continue;
			dd = edit_distance(name, names[k]);
			if (dd < bestd) {
				bestd = dd;
				best = opt_table[i].name;
			}
		}
	}
	return bestd <= limit ? best : NULL;
}

/* Parses @val into @o for @d without touching set[]. Returns 0 or -1. */
static int def_parse(const struct opt_def *d, struct job_opts *o, const char *val, char *err,
		     size_t errlen)
{
	if (d->parse)
		return d->parse(d, o, val, err, errlen);
	return generic_parse(d, o, val, err, errlen);
}

int opt_set(struct job_opts *o, const char *name, const char *val, char *err, size_t errlen)
{
	const struct opt_def *d = opt_find(name);
	size_t idx;

	if (!d) {
		const char *s = opt_suggest(name);

		if (s)
			return fail(err, errlen, "unknown option (did you mean '%s'?)", s);
		return fail(err, errlen, "unknown option");
	}
	for (const unsigned char *p = (const unsigned char *)val; p && *p; p++) {
		bool ok = *p == '\t' || ((d->flags & OPTF_MULTILINE) && *p == '\n');

		/* a newline would start an option of its own in a saved file or a
		 * dump; escapes would reach the terminal */
		if ((*p < 0x20 || *p == 0x7f) && !ok)
			return fail(err, errlen, "control character 0x%02x in the value "
					 "(byte %zu); refused", *p,
				    (size_t)(p - (const unsigned char *)val));
	}
	if (def_parse(d, o, val, err, errlen))
		return -1;
	idx = opt_index(d);
	o->set[idx] = 1;
	/* options sharing storage (rwmixread/rwmixwrite, direct/buffered):
	 * the last one given is the one that counts */
	for (size_t i = 0; i < opt_count; i++)
		if (i != idx && opt_table[i].off == d->off)
			o->set[i] = 0;
	return 0;
}

void opt_print(const struct opt_def *def, const struct job_opts *o, char *buf, size_t len)
{
	if (!len)
		return;
	buf[0] = '\0';
	if (def->print)
		def->print(def, o, buf, len);
	else
		generic_print(def, o, buf, len);
	for (char *p = buf; *p; p++)
		if ((unsigned char)*p < 0x20 && *p != '\t')
			*p = ' '; /* one line: a multi-line description */
}

void opts_init(struct job_opts *o)
{
	char err[256];

	memset(o, 0, sizeof(*o));
	o->kb_base = 1024;
	for (size_t i = 0; i < opt_count; i++) {
		const struct opt_def *d = &opt_table[i];

		if (!d->def)
			continue;
		if (def_parse(d, o, d->def, err, sizeof(err))) {
			fprintf(stderr, "iolab: internal error: default of %s: %s\n", d->name, err);
			abort();
		}
	}
}

static bool str_primary(size_t i)
{
	if (opt_table[i].type != OPT_STR)
		return false;
	for (size_t j = 0; j < i; j++)
		if (opt_table[j].type == OPT_STR && opt_table[j].off == opt_table[i].off)
			return false;
	return true;
}

void opts_copy(struct job_opts *dst, const struct job_opts *src)
{
	if (dst == src)
		return;
	memcpy(dst, src, sizeof(*dst));
	for (size_t i = 0; i < opt_count; i++) {
		char **p;

		if (!str_primary(i))
			continue;
		p = (char **)field(dst, &opt_table[i]);
		if (*p)
			*p = strdup(*p);
	}
}

void opts_free(struct job_opts *o)
{
	for (size_t i = 0; i < opt_count; i++) {
		char **p;

		if (!str_primary(i))
			continue;
		p = (char **)field(o, &opt_table[i]);
		free(*p);
		*p = NULL;
	}
}

static struct job_opts default_opts;
static pthread_once_t default_once = PTHREAD_ONCE_INIT;

static void default_init(void)
{
	opts_init(&default_opts);
}

void opt_default_text(const struct opt_def *def, char *buf, size_t len)
{
	pthread_once(&default_once, default_init);
	opt_print(def, &default_opts, buf, len);
}

/* Names in a filename= list (the worker's splitter decides). */
static unsigned names_in(const char *list)
{
	unsigned cap = 1;
	char **v;
	int n;

	for (const char *p = list; *p; p++)
		cap += *p == ':';
	v = calloc(cap, sizeof(*v));
	if (!v)
		return 0;
	n = job_split_names(list, v, cap);
	for (int i = 0; i < n; i++)
		free(v[i]);
	free(v);
	return n > 0 ? (unsigned)n : 0;
}

/* Offsets and sizes the job adds up, refused before they wrap around or
 * pass the largest file offset (off_t: 2^63 - 1): the furthest byte of the
 * last clone (offset + (numjobs-1) * offset_increment + size or filesize),
 * all files together (filesize * nrfiles), the bytes of all loops, and a
 * sequential skip (rw=read:N) past the region. Returns 0 or -1. */
static int extent_check(const struct job_opts *o, char *err, size_t errlen)
{
	const uint64_t lim = INT64_MAX;
	unsigned clones = o->numjobs > 1 ? o->numjobs - 1 : 0;
	uint64_t span = o->filesize > o->size ? o->filesize : o->size, inc, end, all, io;
	char a[32], b[32];

	if (o->offset_pct > 0 ? 0 : o->offset > lim)
		return fail(err, errlen, "offset: %" PRIu64 " is past the largest file offset "
				 "(2^63 - 1)", o->offset);
	if (span > lim)
		return fail(err, errlen, "%s: %" PRIu64 " is past the largest file offset "
				 "(2^63 - 1)", o->filesize > o->size ? "filesize" : "size", span);
	if (__builtin_mul_overflow((uint64_t)clones, o->offset_increment, &inc) || inc > lim)
		return fail(err, errlen, "offset_increment: %" PRIu64 " x %u more clones "
				 "passes the largest file offset (2^63 - 1)",
			    o->offset_increment, clones);
	end = (o->offset_pct > 0 ? 0 : o->offset) + inc; /* both <= 2^63 - 1 */
	if (end > lim || span > lim - end) {
		fmt_size(a, sizeof(a), o->offset_pct > 0 ? 0 : o->offset, kb_of(o));
		fmt_size(b, sizeof(b), span, kb_of(o));
		return fail(err, errlen, "offset: %s%s + %s %s ends past the largest file offset "
				 "(2^63 - 1); it would wrap around", a,
			    inc ? " + offset_increment x numjobs" : "", o->filesize > o->size ?
			    "filesize" : "size", b);
	}
	if (__builtin_mul_overflow(o->filesize, (uint64_t)(o->nrfiles ? o->nrfiles : 1), &all) ||
	    all > lim)
		return fail(err, errlen, "filesize: %" PRIu64 " x nrfiles=%u passes 2^63 - 1 bytes",
			    o->filesize, o->nrfiles);
	io = o->io_size ? o->io_size : (o->size > all ? o->size : all);
	if (o->io_size > lim)
		return fail(err, errlen, "io_size: %" PRIu64 " is more than 2^63 - 1 bytes",
			    o->io_size);
	if (__builtin_mul_overflow(io, (uint64_t)(o->loops ? o->loops : 1), &all))
		return fail(err, errlen, "loops: %u loops of %" PRIu64 " bytes pass 2^64 bytes",
			    o->loops, io);
	if (!(o->rw & RW_RAND) && o->rw_seq_nr > lim)
		return fail(err, errlen, "rw: a skip of %" PRIu64 " bytes passes the largest "
				 "file offset (2^63 - 1)", o->rw_seq_nr);
	if (o->filename && o->filename[0] && o->set[opt_index(opt_find("nrfiles"))]) {
		unsigned names = names_in(o->filename);

		if (names && o->nrfiles > names)
			return fail(err, errlen, "nrfiles: %u files, but filename names %u (give "
					 "as many names, or leave nrfiles out; fio 3.33 aborts "
					 "here)", o->nrfiles, names);
	}
	return 0;
}

/* random_distribution=zoned_abs: zones longer than the region each file
 * will have, when the options alone fix it (size= over nrfiles, no
 * filesize, no percentage, no strided zones); the worker checks the rest
 * once the files are known. */
static int zoned_abs_check(const struct job_opts *o, char *err, size_t errlen)
{
	uint64_t region;

	if (o->random_distribution != DIST_ZONED_ABS || !o->size || o->filesize ||
	    o->size_pct > 0 || o->zonemode == ZONEMODE_STRIDED)
		return 0;
	region = o->size / (o->nrfiles > 1 ? o->nrfiles : 1);
	for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
		uint64_t sum = 0;

		if (!(o->rw & (1u << d)))
			continue;
		for (unsigned k = 0; k < o->nr_zone_split[d] && k < ZONESPLIT_MAX; k++)
			sum += o->zone_split[d][k].size;
		if (sum > region)
			return fail(err, errlen, "random_distribution: zoned_abs %s zones add to "
					 "%" PRIu64 " bytes, past the %" PRIu64 "-byte region of "
					 "each file (shrink the zones or grow size=)", ddir_name(d),
				    sum, region);
	}
	return 0;
}

int opts_exec_check(const struct job_opts *o, bool allowed, char *err, size_t errlen)
{
	const char *what = o->exec_prerun && *o->exec_prerun ? "exec_prerun" : "exec_postrun";
	const char *cmd = o->exec_prerun && *o->exec_prerun ? o->exec_prerun : o->exec_postrun;

	if (allowed)
		return 0;
	if (o->ioengine && !strcasecmp(o->ioengine, "exec"))
		return fail(err, errlen, "ioengine=exec: not running program '%s': programs "
				 "from job files are off (allow them with --allow-exec)",
			    o->program ? o->program : "");
	if (!cmd || !*cmd)
		return 0;
	return fail(err, errlen, "%s: not running '%s': shell commands from job files are off "
			 "(allow them with --allow-exec)", what, cmd);
}

int opts_validate(const struct job_opts *o, char *err, size_t errlen)
{
	/* ranges of plain numeric options */
	for (size_t i = 0; i < opt_count; i++) {
		const struct opt_def *d = &opt_table[i];
		size_t n = elem_size(d);
		int cnt = d->per_ddir ? DDIR_RWDIR_CNT : 1;

		if (d->print || d->type == OPT_CUSTOM)
			continue;
		for (int k = 0; k < cnt; k++) {
			const void *f = (const char *)cfield(o, d) + k * n;
			char why[128];

			switch (d->type) {
			case OPT_UINT:
			case OPT_U64:
			case OPT_SIZE:
			case OPT_TIME:
				if (range_check(d, 0, true, load_u(f, n), why, sizeof(why)))
					return fail(err, errlen, "%s: %s", d->name, why);
				break;
			case OPT_INT:
				if (range_check(d, *(const int *)f, false, 0, why, sizeof(why)))
					return fail(err, errlen, "%s: %s", d->name, why);
				break;
			case OPT_DOUBLE: {
				double v = *(const double *)f;

				char r[64];

				if (!isfinite(v) || v < (double)d->min || (d->max && v > (double)d->max))
					return fail(err, errlen, "%s: %g is out of range (%s)", d->name,
						    v, range_text(d, r, sizeof(r)));
				break;
			}
			default:
				break;
			}
		}
	}
	if (o->kb_base != 1024 && o->kb_base != 1000)
		return fail(err, errlen, "kb_base: %u is not 1024 or 1000", o->kb_base);
	if (!o->rw || !opt_choice_name(opt_find("rw"), o->rw))
		return fail(err, errlen, "rw: 0x%x is not an I/O pattern", o->rw);
	if (o->rwmixread > 100)
		return fail(err, errlen, "rwmixread: %u is out of range (0..100)", o->rwmixread);
	if (!o->ioengine || !engine_find(o->ioengine))
		return fail(err, errlen, "ioengine: unknown engine '%s'",
			    o->ioengine ? o->ioengine : "");
	{
		const struct engine_ops *e = engine_find(o->ioengine);

		if (e->check && e->check(o, err, errlen))
			return -1;
	}
	if (cmdprio_check(o, err, errlen))
		return -1;
	for (int d = 0; d < DDIR_RWDIR_CNT; d++) {

		if (!o->bs[d] && !o->nr_bssplit[d] && !o->bs_min[d])
			return fail(err, errlen, "bs: the %s block size is 0", ddir_name(d));
		if (o->bs_min[d] || o->bs_max[d]) {
			if (!o->bs_min[d])
				return fail(err, errlen, "bsrange: the %s minimum is 0", ddir_name(d));
			if (o->bs_min[d] > o->bs_max[d])
				return fail(err, errlen, "bsrange: %s minimum %u is above the "
						 "maximum %u", ddir_name(d), o->bs_min[d], o->bs_max[d]);
		}
		if (o->nr_bssplit[d]) {
			double sum = 0;
			unsigned blank = 0;

			if (o->nr_bssplit[d] > BSSPLIT_MAX)
				return fail(err, errlen, "bssplit: more than %d %s block sizes",
					    BSSPLIT_MAX, ddir_name(d));
			for (unsigned k = 0; k < o->nr_bssplit[d]; k++) {
				if (!o->bssplit[d][k].bs)
					return fail(err, errlen, "bssplit: a %s block size is 0",
						    ddir_name(d));
				if (o->bssplit[d][k].perc < 0 || o->bssplit[d][k].perc > 100)
					return fail(err, errlen, "bssplit: %s percentage %g is out "
							 "of range", ddir_name(d), o->bssplit[d][k].perc);
				sum += o->bssplit[d][k].perc;
				blank += o->bssplit[d][k].perc == 0;
			}
			if (sum > 100.0001 || (!blank && fabs(sum - 100) > 0.0001))
				return fail(err, errlen, "bssplit: %s percentages add to %g, not 100",
					    ddir_name(d), sum);
		}
		if (o->rate[d] && o->rate_iops[d])
			return fail(err, errlen, "rate: rate and rate_iops both limit %ss; give "
					 "one", ddir_name(d));
		if (o->ratemin[d] && o->rate[d] && o->ratemin[d] > o->rate[d])
			return fail(err, errlen, "rate_min: %s minimum %" PRIu64
					 " is above rate %" PRIu64, ddir_name(d), o->ratemin[d], o->rate[d]);
		if (o->rate_iops_min[d] && o->rate_iops[d] && o->rate_iops_min[d] > o->rate_iops[d])
			return fail(err, errlen, "rate_iops_min: %s minimum %" PRIu64
					 " is above rate_iops %" PRIu64, ddir_name(d), o->rate_iops_min[d],
				    o->rate_iops[d]);
	}
	if (o->iodepth < 1)
		return fail(err, errlen, "iodepth: must be at least 1");
	if (o->iodepth_low > o->iodepth)
		return fail(err, errlen, "iodepth_low: %u is above iodepth %u", o->iodepth_low,
			    o->iodepth);
	if (o->iodepth_batch_complete_max &&
	    o->iodepth_batch_complete_min > o->iodepth_batch_complete_max)
		return fail(err, errlen, "iodepth_batch_complete_min: %u is above "
				 "iodepth_batch_complete_max %u", o->iodepth_batch_complete_min,
			    o->iodepth_batch_complete_max);
	if (o->iodepth_batch_complete_min > o->iodepth)
		return fail(err, errlen, "iodepth_batch_complete_min: %u is above iodepth %u",
			    o->iodepth_batch_complete_min, o->iodepth);
	if (o->random_distribution != DIST_RANDOM &&
	    dist_check(o->random_distribution, o->dist_param, err, errlen)) {
		char why[200];

		snprintf(why, sizeof(why), "%s", err);
		return fail(err, errlen, "random_distribution: %s", why);
	}
	if (zbd_opts_check(o, err, errlen))
		return -1;
	if (o->zonemode == ZONEMODE_STRIDED && !o->zone_size)
		return fail(err, errlen, "zonemode: strided needs zonesize (the bytes done in "
				 "each zone)");
	if (o->zonemode == ZONEMODE_NONE && (o->zone_size || o->zone_range || o->zone_skip))
		return fail(err, errlen, "%s: has no effect without zonemode=strided or zbd (add it)",
			    o->zone_size ? "zonesize" : o->zone_range ? "zonerange" : "zoneskip");
	if (o->dedupe_percentage && o->dedupe_mode == DEDUPE_WORKING_SET &&
	    !o->dedupe_working_set_percentage)
		return fail(err, errlen, "dedupe_working_set_percentage: 0 leaves no working set "
				 "for dedupe_mode=working_set (1..100)");
	if (o->size_pct < 0 || o->size_pct > 100)
		return fail(err, errlen, "size: %g%% is out of range", o->size_pct);
	if (extent_check(o, err, errlen))
		return -1;
	if (o->offset_pct < 0 || o->offset_pct > 100)
		return fail(err, errlen, "offset: %g%% is out of range", o->offset_pct);
	if (o->thinktime_spin_us > o->thinktime_us)
		return fail(err, errlen, "thinktime_spin: longer than thinktime");
	if (o->verify == VERIFY_PATTERN && !o->verify_pattern_len)
		return fail(err, errlen, "verify: verify=pattern needs verify_pattern");
	if (o->verify_pattern_len > sizeof(o->verify_pattern))
		return fail(err, errlen, "verify_pattern: longer than %zu bytes",
			    sizeof(o->verify_pattern));
	if (o->nr_inject_error > INJECT_MAX)
		return fail(err, errlen, "inject_error: more than %d entries", INJECT_MAX);
	{
		double sum = 0;

		for (unsigned i = 0; i < o->nr_inject_error; i++) {
			if (o->inject_error[i].err <= 0)
				return fail(err, errlen, "inject_error: errno %d is not positive",
					    o->inject_error[i].err);
			sum += o->inject_error[i].perc > 0 ? o->inject_error[i].perc : 100;
		}
		if (o->nr_inject_error > 1 && sum > 100.0001)
			return fail(err, errlen, "inject_error: percentages add to %g, more than "
					 "100", sum);
	}
	/* What a worker would refuse before its first I/O is refused here, so
	 * that --parse-only, the editor and a start say it when the job loads. */
	{
		const struct engine_ops *eng = engine_find(o->ioengine);
		char why[256];

		if (o->io_submit_mode == SUBMIT_OFFLOAD && eng && (eng->flags & ENG_NO_OFFLOAD))
			return fail(err, errlen, "io_submit_mode=offload: ioengine=%s does not "
					 "support it", eng->name);
		if (verify_opts_check(o, why, sizeof(why)))
			return fail(err, errlen, "%s", why);
		if (o->trim_percentage)
			return fail(err, errlen, "trim_percentage=%u: not supported by iolab "
					 "(trimming verified blocks before the read back); remove it",
				    o->trim_percentage);
		if (bufdata_opts_check(o, why, sizeof(why)))
			return fail(err, errlen, "%s", why);
		if (zoned_abs_check(o, err, errlen))
			return -1;
	}
	return 0;
}
