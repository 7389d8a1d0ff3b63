/* backend/options: value parsers (sizes with kb_base, times, bools), every
 * option kind through opt_set (pairs, ranges, bssplit, distributions, rw
 * with :N, enums, fault injection), validation, print->set round trips for
 * every table entry, suggestions, copy/free, dump and --cmdhelp text.
 * Expected sizes follow what fio 3.33 itself computes (checked with the fio
 * binary: "4KiB" is 4000 bytes when kb_base=1024, "4ki" is 4096). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "backend/options.h"
#include "lib/units.h"

static const struct opt_def *def_of(const char *name)
{
	const struct opt_def *d = opt_find(name);

	if (!d)
		fail_msg("no option %s", name);
	return d;
}

static size_t idx_of(const char *name)
{
	return opt_index(def_of(name));
}

static void print_of(const struct job_opts *o, const char *name, char *buf, size_t len)
{
	opt_print(def_of(name), o, buf, len);
}

/* ------------------------------------------------------------- sizes */

struct size_case {
	const char *s;
	unsigned kb;
	int ok;
	uint64_t want;
};

static const struct size_case size_cases[] = {
	{ "4096", 1024, 1, 4096 },
	{ "4096b", 1024, 1, 4096 },
	{ "4096B", 1024, 1, 4096 },
	{ "4k", 1024, 1, 4096 },
	{ "4K", 1024, 1, 4096 },
	{ "4kb", 1024, 1, 4096 },
	{ "4KB", 1024, 1, 4096 },
	{ "4kB", 1024, 1, 4096 },
	{ "4ki", 1024, 1, 4096 },     /* fio: only "kib" is the other base */
	{ "4KiB", 1024, 1, 4000 },    /* fio 3.33 says 4000 with kb_base=1024 */
	{ "4kib", 1024, 1, 4000 },
	{ "1m", 1024, 1, 1048576 },
	{ "1M", 1024, 1, 1048576 },
	{ "1mib", 1024, 1, 1000000 },
	{ "1g", 1024, 1, 1073741824ULL },
	{ "1t", 1024, 1, 1099511627776ULL },
	{ "1p", 1024, 1, 1125899906842624ULL },
	{ "0x1000", 1024, 1, 4096 },
	{ "0X10", 1024, 1, 16 },
	{ "1.5k", 1024, 1, 1536 },
	{ "0.5m", 1024, 1, 524288 },
	{ "+8", 1024, 1, 8 },
	{ "0", 1024, 1, 0 },
	{ "18446744073709551615", 1024, 1, UINT64_MAX },
	{ "4k", 1000, 1, 4000 },
	{ "4kb", 1000, 1, 4000 },
	{ "4ki", 1000, 1, 4000 },
	{ "4KiB", 1000, 1, 4096 },
	{ "1m", 1000, 1, 1000000 },
	{ "1MiB", 1000, 1, 1048576 },
	{ "1g", 1000, 1, 1000000000ULL },
	{ "1t", 1000, 1, 1000000000000ULL },
	{ "4k", 0, 1, 4096 }, /* kb_base 0 means the default */
	{ "", 1024, 0, 0 },
	{ "-4k", 1024, 0, 0 },
	{ "12q", 1024, 0, 0 },
	{ "4kfoo", 1024, 0, 0 },
	{ "4kbb", 1024, 0, 0 },
	{ "4k4", 1024, 0, 0 },
	{ "4 k", 1024, 0, 0 },
	{ " 4k", 1024, 0, 0 },
	{ "k", 1024, 0, 0 },
	{ "0x", 1024, 0, 0 },
	{ "0xZ", 1024, 0, 0 },
	{ "0x10k", 1024, 0, 0 },
	{ "1e3", 1024, 0, 0 },
	{ "1.1", 1024, 0, 0 },  /* not a whole number of bytes */
	{ "1.", 1024, 0, 0 },
	{ "18446744073709551616", 1024, 0, 0 },
	{ "17179869184g", 1024, 0, 0 },
	{ "0x10000000000000000", 1024, 0, 0 },
};

static void test_parse_size(void **state)
{
	for (size_t i = 0; i < sizeof(size_cases) / sizeof(size_cases[0]); i++) {
		const struct size_case *c = &size_cases[i];
		uint64_t v = 12345;
		int r = parse_size(c->s, c->kb, &v);

		if (c->ok) {
			if (r != 0 || v != c->want)
				fail_msg("parse_size(\"%s\", %u): rc %d value %llu, want %llu", c->s,
					 c->kb, r, (unsigned long long)v, (unsigned long long)c->want);
		} else if (r == 0) {
			fail_msg("parse_size(\"%s\", %u) accepted (%llu)", c->s, c->kb,
				 (unsigned long long)v);
		}
	}
}

/* ------------------------------------------------------------- times */

struct time_case {
	const char *s;
	unsigned unit;
	int ok;
	uint64_t want;
};

static const struct time_case time_cases[] = {
	{ "10", 1000000, 1, 10000000 },
	{ "10s", 1000000, 1, 10000000 },
	{ "10sec", 1, 1, 10000000 },
	{ "10ms", 1000000, 1, 10000 },
	{ "10MS", 1000000, 1, 10000 },
	{ "10msec", 1000000, 1, 10000 },
	{ "10us", 1000000, 1, 10 },
	{ "10usec", 1000000, 1, 10 },
	{ "2m", 1000000, 1, 120000000 },
	{ "2min", 1000000, 1, 120000000 },
	{ "1h", 1000000, 1, 3600000000ULL },
	{ "1d", 1000000, 1, 86400000000ULL },
	{ "1.5s", 1, 1, 1500000 },
	{ "0.5", 1000000, 1, 500000 },
	{ "100", 1, 1, 100 },
	{ "100", 1000, 1, 100000 },
	{ "0", 1, 1, 0 },
	{ "", 1, 0, 0 },
	{ "-1", 1, 0, 0 },
	{ "10x", 1, 0, 0 },
	{ "s", 1, 0, 0 },
	{ "1e3", 1, 0, 0 },
	{ "10 s", 1, 0, 0 },
	{ "0x10", 1, 0, 0 },
	{ "999999999999d", 1, 0, 0 },
};

static void test_parse_time(void **state)
{
	for (size_t i = 0; i < sizeof(time_cases) / sizeof(time_cases[0]); i++) {
		const struct time_case *c = &time_cases[i];
		uint64_t v = 777;
		int r = parse_time_us(c->s, c->unit, &v);

		if (c->ok) {
			if (r != 0 || v != c->want)
				fail_msg("parse_time_us(\"%s\", %u): rc %d value %llu, want %llu", c->s,
					 c->unit, r, (unsigned long long)v, (unsigned long long)c->want);
		} else if (r == 0) {
			fail_msg("parse_time_us(\"%s\") accepted (%llu)", c->s, (unsigned long long)v);
		}
	}
}

static void test_parse_bool(void **state)
{
	static const struct {
		const char *s;
		int ok, want;
	} cases[] = {
		{ "1", 1, 1 },	   { "0", 1, 0 },   { "true", 1, 1 }, { "false", 1, 0 },
		{ "yes", 1, 1 },   { "no", 1, 0 },  { "on", 1, 1 },   { "off", 1, 0 },
		{ "TRUE", 1, 1 },  { "2", 0, 0 },   { "", 0, 0 },     { "maybe", 0, 0 },
		{ "-1", 0, 0 },	   { "1 ", 0, 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool b = !cases[i].want;
		int r = parse_bool(cases[i].s, &b);

		if (cases[i].ok && (r || b != (bool)cases[i].want))
			fail_msg("parse_bool(\"%s\"): rc %d value %d", cases[i].s, r, b);
		if (!cases[i].ok && !r)
			fail_msg("parse_bool(\"%s\") accepted", cases[i].s);
	}
	assert_int_equal(parse_bool(NULL, &(bool){ 0 }), -1);
}

/* ----------------------------------------------------- opt_set by text */

struct set_case {
	const char *name;
	const char *val;  /* NULL: a bare key */
	int ok;
	const char *want; /* opt_print afterwards (NULL: not checked) */
	const char *why;  /* substring of the error (NULL: not checked) */
};

static const struct set_case set_cases[] = {
	/* sizes and kb_base-aware ints */
	{ "size", "1g", 1, "1g", NULL },
	{ "size", "50%", 1, "50%", NULL },
	{ "size", "0%", 0, NULL, "out of range" },
	{ "size", "101%", 0, NULL, "out of range" },
	{ "size", "12q", 0, NULL, "'12q' is not a size" },
	{ "size", "-4k", 0, NULL, "negative" },
	{ "size", NULL, 0, NULL, "needs a value" },
	{ "offset", "25%", 1, "25%", NULL },
	{ "offset", "0%", 1, "0", NULL },
	{ "percentile_list", "50:99.5:99.99", 1, "50:99.5:99.99", NULL },
	{ "percentile_list", "50:101", 0, NULL, "not a percentile" },
	{ "percentile_list", "50::99", 1, "50:99", NULL },
	{ "cpus_allowed", "0-3,6", 1, "0-3,6", NULL },
	{ "cpus_allowed", "3-1", 0, NULL, "not a CPU list" },
	{ "cpus_allowed", "0,", 1, "0,", NULL },
	{ "cpus_allowed", "a", 0, NULL, "not a CPU list" },
	{ "nice", "19", 1, "19", NULL },
	{ "invalidate", "0", 1, "0", NULL },
	{ "gtod_reduce", NULL, 1, "1", NULL },
	{ "clocksource", "clock_gettime", 1, "clock_gettime", NULL },
	{ "offset", "100.5%", 0, NULL, "out of range" },
	{ "offset", "1m", 1, "1m", NULL },
	{ "io_limit", "3m", 1, "3m", NULL },
	{ "filesize", "1536", 1, "1536", NULL },
	{ "rate_iops", "1k", 1, "1024", NULL }, /* as fio: ints take k = 1024 */
	{ "iodepth", "1.5", 0, NULL, "whole" },
	{ "iodepth", "0", 0, NULL, "out of range" },
	{ "iodepth", "65537", 0, NULL, "out of range" },
	{ "iodepth", "32", 1, "32", NULL },
	{ "iodepth", "4x", 0, NULL, "not a number" },
	{ "rwmixread", "101", 0, NULL, "out of range" },
	{ "numjobs", "0", 0, NULL, "out of range" },
	{ "sqthread_poll_cpu", "-1", 1, "-1", NULL },
	{ "sqthread_poll_cpu", "3", 1, "3", NULL },
	{ "sqthread_poll_cpu", "-2", 0, NULL, "out of range" },
	{ "trim_percentage", "101", 0, NULL, "out of range" },
	/* per-direction pairs, fio's comma rules */
	{ "bs", "8k,32k", 1, "8k,32k", NULL },
	{ "bs", "8k,32k,", 1, "8k,32k,4k", NULL },
	{ "bs", ",8k", 1, "4k,8k", NULL },
	{ "bs", ",8k,", 1, "4k,8k,4k", NULL },
	{ "bs", "16k,", 1, "16k,4k", NULL },
	{ "bs", "1k,2k,3k", 1, "1k,2k,3k", NULL },
	{ "bs", "4k,8k,16k,32k", 0, NULL, "more than three" },
	{ "bs", "4k-64k", 0, NULL, "bsrange" },
	{ "bs", "0", 0, NULL, "out of range" },
	{ "bs", ",", 0, NULL, "needs a value" },
	{ "blocksize", "64KB", 1, "64k", NULL },
	{ "ba", "512", 1, "512", NULL },
	{ "rate", "1m", 1, "1m", NULL },
	{ "rate", ",2m", 1, "0,2m", NULL },
	{ "ratemin", "1k,2k,3k", 1, "1k,2k,3k", NULL },
	{ "rate_iops_min", "5,6", 1, "5,6", NULL },
	/* bsrange */
	{ "bsrange", "1k-4k,2k-8k", 1, "1k-4k,2k-8k", NULL },
	{ "bsrange", "64k-4k", 1, "4k-64k", NULL }, /* swapped as fio */
	{ "bsrange", "4k:8k", 1, "4k-8k", NULL },
	{ "blocksize_range", "4k", 1, "4k-4k", NULL },
	{ "bsrange", "4k-", 0, NULL, "not a range" },
	{ "bsrange", "4k-q", 0, NULL, "not a size" },
	/* bssplit */
	{ "bssplit", "4k/10:64k/50:32k/40", 1, "4k/10:64k/50:32k/40", NULL },
	{ "bssplit", "4k/50:1k/:32k/", 1, "4k/50:1k/:32k/", NULL },
	{ "bssplit", "2k/50:4k/50,4k/90:8k/10", 1, "2k/50:4k/50,4k/90:8k/10", NULL },
	{ "bssplit", "4k/33.5:8k/66.5", 1, "4k/33.5:8k/66.5", NULL },
	{ "bssplit", "4k", 1, "4k/", NULL },
	{ "bssplit", "4k/50:8k/40", 0, NULL, "add to 90, not 100" },
	{ "bssplit", "4k/150", 0, NULL, "over 100" },
	{ "bssplit", "4k/60:8k/60", 0, NULL, "add to 120, more than 100" },
	{ "bssplit", "4k/60:8k/50", 0, NULL, "more than 100" },
	{ "bssplit", "4k/abc", 0, NULL, "not a percentage" },
	{ "bssplit", "/50:4k/50", 0, NULL, "no block size" },
	{ "bssplit", "4k/0:8k/100", 0, NULL, "never be used" },
	{ "bssplit", "q/100", 0, NULL, "not a size" },
	{ "bssplit", "4k/50:8k/50,4k/10", 0, NULL, "not 100" },
	/* rw and :N */
	{ "rw", "randread:8", 1, "randread:8", NULL },
	{ "rw", "write:4k", 1, "write:4k", NULL },
	{ "readwrite", "rw", 1, "rw", NULL },
	{ "rw", "readwrite", 1, "rw", NULL },
	{ "rw", "RANDRW", 1, "randrw", NULL },
	{ "rw", "trimwrite", 1, "trimwrite", NULL },
	{ "rw", "randtrim", 1, "randtrim", NULL },
	{ "rw", "sideways", 0, NULL, "'sideways' is not one of: read, write" },
	{ "rw", "randread:", 0, NULL, "after ':'" },
	{ "rw", "randread:x", 0, NULL, "after ':'" },
	{ "rwmixwrite", "30", 1, "30", NULL },
	/* distributions */
	{ "random_distribution", "zipf:1.2", 1, "zipf:1.2", NULL },
	{ "random_distribution", "zipf", 1, "zipf:1.1", NULL },
	{ "random_distribution", "pareto", 1, "pareto:0.2", NULL },
	{ "random_distribution", "pareto:0.5", 1, "pareto:0.5", NULL },
	{ "random_distribution", "normal:5", 1, "normal:5", NULL },
	{ "random_distribution", "normal", 1, "normal:0", NULL },
	{ "random_distribution", "gauss:3", 1, "normal:3", NULL },
	{ "random_distribution", "random", 1, "random", NULL },
	{ "random_distribution", "zipf:1", 0, NULL, "not 1" },
	{ "random_distribution", "zipf:0", 0, NULL, "out of range" },
	{ "random_distribution", "zipf:-1", 0, NULL, "out of range" },
	{ "random_distribution", "pareto:1", 0, NULL, "0 < h < 1" },
	{ "random_distribution", "pareto:0", 0, NULL, "0 < h < 1" },
	{ "random_distribution", "normal:100", 0, NULL, "out of range" },
	{ "random_distribution", "normal:-1", 0, NULL, "out of range" },
	{ "random_distribution", "zipf:abc", 0, NULL, "not a number" },
	{ "random_distribution", "zoned:60/10:40/90", 1, "zoned:60/10:40/90", NULL },
	{ "random_distribution", "zoned:50/5:30/15:20/", 1, "zoned:50/5:30/15:20/80", NULL },
	{ "random_distribution", "zoned:50/5:30/15:20/,50/10:50/90", 1,
	  "zoned:50/5:30/15:20/80,50/10:50/90", NULL },
	{ "random_distribution", "zoned_abs:50/10g:50/90g", 1, "zoned_abs:50/10g:50/90g", NULL },
	{ "random_distribution", "zoned:60/10:30/90", 0, NULL, "add to 90, not 100" },
	{ "random_distribution", "zoned:60/10:50/90", 0, NULL, "more than 100" },
	{ "random_distribution", "zoned:60/60:40/60", 0, NULL, "size shares add to 120" },
	{ "random_distribution", "zoned:60-10", 0, NULL, "is not ACCESS/SIZE" },
	{ "random_distribution", "zoned:101/10", 0, NULL, "whole percentage" },
	{ "random_distribution", "zoned_abs:50/:50/1g", 0, NULL, "is not a size" },
	{ "random_distribution", "zoned", 0, NULL, "needs zones" },
	{ "rw", "read:-8k", 1, "read:-8k", NULL },
	{ "rw", "write:-4096", 1, "write:-4k", NULL },
	{ "rw", "randread:-8", 0, NULL, "not a negative size" },
	{ "rw", "read:-0", 0, NULL, "after ':'" },
	{ "random_generator", "lfsr", 1, "lfsr", NULL },
	{ "random_generator", "tausworthe64", 1, "tausworthe64", NULL },
	{ "random_generator", "mt", 0, NULL, "not one of" },
	{ "zonemode", "strided", 1, "strided", NULL },
	{ "buffer_pattern", "0xdeadbeef", 1, "0xdeadbeef", NULL },
	{ "buffer_pattern", "\"abc\"12", 1, "0x6162630c", NULL },
	{ "buffer_pattern", "%o", 0, NULL, "not supported" },
	{ "dedupe_mode", "working_set", 1, "working_set", NULL },
	{ "dedupe_percentage", "101", 0, NULL, NULL },
	{ "flow", "1001", 0, NULL, NULL },
	{ "random_distribution", "zipf:1.2:0.25", 0, NULL, "center" },
	{ "random_distribution", "random:1", 0, NULL, "no parameter" },
	{ "random_distribution", "uniform", 0, NULL, "not one of" },
	/* enums and bools */
	{ "verify", "md5", 1, "md5", NULL },
	{ "verify", "crc32c-intel", 1, "crc32c", NULL },
	{ "verify", "none", 1, "0", NULL },
	{ "verify", "sha512", 0, NULL, "not one of" },
	{ "continue_on_error", "1", 1, "all", NULL },
	{ "continue_on_error", "0", 1, "none", NULL },
	{ "continue_on_error", "io", 1, "io", NULL },
	{ "continue_on_error", "bogus", 0, NULL, "none, read, write, io, verify, all" },
	{ "kb_base", "1000", 1, "1000", NULL },
	{ "kb_base", "512", 0, NULL, "not one of: 1024, 1000" },
	{ "io_submit_mode", "offload", 1, "offload", NULL },
	{ "rate_process", "poisson", 1, "poisson", NULL },
	{ "steadystate", "iops:10%", 1, "iops:10%", NULL },
	{ "ss", "bw:5000", 1, "bw:5000", NULL },
	{ "steadystate", "iops", 0, NULL, "a ':' and a limit" },
	{ "steadystate", "lat:5%", 0, NULL, "is not a criterion" },
	{ "file_service_type", "random", 1, "random", NULL },
	{ "file_service_type", "roundrobin:4", 1, "roundrobin:4", NULL },
	{ "file_service_type", "random:1", 1, "random", NULL },
	{ "file_service_type", "sequential:0", 0, NULL, "not a count of I/Os" },
	{ "file_service_type", "zipf:1.2", 0, NULL, "not supported" },
	{ "file_service_type", "rr", 0, NULL, "not one of" },
	{ "direct", NULL, 1, "1", NULL },
	{ "direct", "true", 1, "1", NULL },
	{ "direct", "2", 0, NULL, "not a boolean" },
	{ "buffered", "0", 1, "0", NULL },
	{ "stonewall", NULL, 1, "1", NULL },
	{ "wait_for_previous", "1", 1, "1", NULL },
	/* times */
	{ "runtime", "60", 1, "60", NULL },
	{ "timeout", "1m", 1, "60", NULL },
	{ "runtime", "1500ms", 1, "1500ms", NULL },
	{ "runtime", "ten", 0, NULL, "not a time" },
	{ "thinktime", "100", 1, "100", NULL },
	{ "thinktime", "1ms", 1, "1ms", NULL },
	{ "thinktime", "1500", 1, "1500", NULL },
	{ "latency_target", "2000", 1, "2ms", NULL },
	{ "latency_window", "1s", 1, "1s", NULL },
	{ "startdelay", "2.5s", 1, "2500ms", NULL },
	/* fault injection */
	{ "inject_error", "EIO:1%,ENOSPC:0.5%", 1, "EIO:1%,ENOSPC:0.5%", NULL },
	{ "inject_error", "5:10", 1, "EIO:10%", NULL },
	{ "inject_error", "eio", 1, "EIO", NULL },
	{ "inject_error", "EFOO", 0, NULL, "not an errno" },
	{ "inject_error", "EIO:0", 0, NULL, "above 0" },
	{ "inject_error", "EIO:101%", 0, NULL, "at most 100" },
	{ "inject_error", "EIO:60,ENOSPC:50", 0, NULL, "more than 100" },
	{ "inject_error", "EIO:1,EIO:1,EIO:1,EIO:1,EIO:1,EIO:1,EIO:1,EIO:1,EIO:1", 0, NULL,
	  "more than 8" },
	{ "inject_delay", "20ms:5%", 1, "20ms", NULL },
	{ "inject_delay", "100", 1, "100", NULL },
	{ "inject_delay", "20ms:150%", 0, NULL, "0..100" },
	{ "inject_delay", "soon", 0, NULL, "not a time" },
	/* verify_pattern */
	{ "verify_pattern", "0xdeadbeef", 1, "0xdeadbeef", NULL },
	{ "verify_pattern", "0xabc", 1, "0x0abc", NULL },
	{ "verify_pattern", "255", 1, "0xff", NULL },
	{ "verify_pattern", "256", 1, "0x0100", NULL },
	{ "verify_pattern", "\"abc\"", 1, "0x616263", NULL },
	{ "verify_pattern", "0xff\"ab\"", 1, "0xff6162", NULL },
	{ "verify_pattern", "%o", 0, NULL, "not supported" },
	{ "verify_pattern", "0x", 0, NULL, "without hex digits" },
	{ "verify_pattern", "\"abc", 0, NULL, "unterminated" },
	{ "verify_pattern", "xyz", 0, NULL, "not a pattern" },
	{ "verify_pattern", "4294967296", 0, NULL, "32 bits" },
	{ "verify_pattern",
	  "0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
	  "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff00",
	  0, NULL, "longer than 64 bytes" },
	/* strings, engines, seeds */
	{ "ioengine", "null", 1, "null", NULL },
	{ "ioengine", "IO_URING", 1, "io_uring", NULL },
	{ "ioengine", "turbo", 0, NULL, "unknown engine 'turbo' (known: " },
	{ "ioengine", "", 0, NULL, "needs an engine" },
	{ "filename", "/tmp/a\\:b:/tmp/c", 1, "/tmp/a\\:b:/tmp/c", NULL },
	{ "filename", NULL, 0, NULL, "needs a value" },
	{ "write_bw_log", "", 1, "", NULL },
	{ "write_lat_log", "pre", 1, "pre", NULL },
	{ "verify_state_save", NULL, 1, "1", NULL },
	{ "randseed", "42", 1, "42", NULL },
	{ "randseed", "", 1, "", NULL },
	{ "randseed", "x", 0, NULL, "not a number" },
	/* names */
	{ "BS", "8k", 1, "8k", NULL },
	{ "bsz", "8k", 0, NULL, "unknown option (did you mean 'bs'?)" },
	{ "completely_unknown_thing", "1", 0, NULL, "unknown option" },
};

static void test_opt_set_table(void **state)
{
	for (size_t i = 0; i < sizeof(set_cases) / sizeof(set_cases[0]); i++) {
		const struct set_case *c = &set_cases[i];
		struct job_opts o;
		char err[512] = "", buf[1024];
		int r;

		opts_init(&o);
		r = opt_set(&o, c->name, c->val, err, sizeof(err));
		if (c->ok && r)
			fail_msg("%s=%s refused: %s", c->name, c->val ? c->val : "(bare)", err);
		if (!c->ok && !r)
			fail_msg("%s=%s accepted", c->name, c->val ? c->val : "(bare)");
		if (!r && c->want) {
			print_of(&o, c->name, buf, sizeof(buf));
			if (strcmp(buf, c->want))
				fail_msg("%s=%s prints '%s', want '%s'", c->name,
					 c->val ? c->val : "(bare)", buf, c->want);
			if (!o.set[idx_of(c->name)])
				fail_msg("%s=%s: set[] not marked", c->name, c->val ? c->val : "");
		}
		if (r && c->why && !strstr(err, c->why))
			fail_msg("%s=%s: error '%s' lacks '%s'", c->name, c->val ? c->val : "(bare)",
				 err, c->why);
		if (r && strstr(err, "unknown option") == NULL && opt_find(c->name) &&
		    !strncmp(err, c->name, strlen(c->name)) && err[strlen(c->name)] == ':')
			fail_msg("%s: the reason repeats the option name: %s", c->name, err);
		opts_free(&o);
	}
}

/* ioengine=exec runs a program from the job file: only with --allow-exec,
 * as exec_prerun; other engines are not concerned. */
static void test_exec_engine_guard(void **state)
{
	struct job_opts o;
	char err[512];

	(void)state;
	opts_init(&o);
	assert_int_equal(opt_set(&o, "ioengine", "exec", err, sizeof(err)), 0);
	assert_int_equal(opt_set(&o, "program", "/bin/sleep", err, sizeof(err)), 0);
	assert_int_equal(opts_exec_check(&o, false, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "ioengine=exec: not running program '/bin/sleep'"));
	assert_non_null(strstr(err, "--allow-exec"));
	assert_int_equal(opts_exec_check(&o, true, err, sizeof(err)), 0);
	assert_int_equal(opt_set(&o, "ioengine", "psync", err, sizeof(err)), 0);
	assert_int_equal(opts_exec_check(&o, false, err, sizeof(err)), 0);
	opts_free(&o);
}

/* A refused value leaves the options as they were. */
static void test_opt_set_atomic(void **state)
{
	struct job_opts o;
	char err[256];

	opts_init(&o);
	assert_int_equal(opt_set(&o, "bs", "8k,16k", err, sizeof(err)), 0);
	assert_int_equal(opt_set(&o, "bs", "32k,q", err, sizeof(err)), -1);
	assert_int_equal(o.bs[DDIR_READ], 8192);
	assert_int_equal(o.bs[DDIR_WRITE], 16384);
	assert_int_equal(opt_set(&o, "bssplit", "4k/50:8k/50", err, sizeof(err)), 0);
	assert_int_equal(opt_set(&o, "bssplit", "4k/50,8k/70", err, sizeof(err)), -1);
	assert_int_equal(o.nr_bssplit[DDIR_READ], 2);
	assert_int_equal(o.nr_bssplit[DDIR_WRITE], 2);
	assert_int_equal(opt_set(&o, "inject_error", "EIO:5", err, sizeof(err)), 0);
	assert_int_equal(opt_set(&o, "inject_error", "EIO:5,EBOGUS", err, sizeof(err)), -1);
	assert_int_equal(o.nr_inject_error, 1);
	opts_free(&o);
}

static void test_fields(void **state)
{
	struct job_opts o;
	char err[256];

	opts_init(&o);
	/* defaults */
	assert_int_equal(o.bs[DDIR_READ], 4096);
	assert_int_equal(o.bs[DDIR_TRIM], 4096);
	assert_int_equal(o.rw, RW_READ);
	assert_int_equal(o.rwmixread, 50);
	assert_int_equal(o.iodepth, 1);
	assert_int_equal(o.numjobs, 1);
	assert_int_equal(o.kb_base, 1024);
	assert_int_equal(o.sqthread_poll_cpu, -1);
	assert_true(o.randrepeat);
	assert_false(o.randseed_set);
	assert_string_equal(o.ioengine, "psync");
	assert_true(o.latency_percentile == 100.0);
	assert_int_equal(o.rate_cycle_ms, 1000);
	for (size_t i = 0; i < OPT_MAX; i++)
		assert_int_equal(o.set[i], 0);

	/* pairs land per direction */
	assert_int_equal(opt_set(&o, "bs", ",8k", err, sizeof(err)), 0);
	assert_int_equal(o.bs[DDIR_READ], 4096);
	assert_int_equal(o.bs[DDIR_WRITE], 8192);
	assert_int_equal(o.bs[DDIR_TRIM], 8192);
	assert_int_equal(opt_set(&o, "bsrange", "1k-4k,2k-8k", err, sizeof(err)), 0);
	assert_int_equal(o.bs_min[DDIR_READ], 1024);
	assert_int_equal(o.bs_max[DDIR_READ], 4096);
	assert_int_equal(o.bs_min[DDIR_WRITE], 2048);
	assert_int_equal(o.bs_max[DDIR_TRIM], 8192);
	assert_int_equal(opt_set(&o, "bssplit", "4k/50:1k/:32k/", err, sizeof(err)), 0);
	assert_int_equal(o.nr_bssplit[DDIR_READ], 3);
	assert_int_equal(o.bssplit[DDIR_READ][0].bs, 4096);
	assert_true(o.bssplit[DDIR_READ][0].perc == 50);
	assert_int_equal(o.bssplit[DDIR_READ][1].bs, 1024);
	assert_true(o.bssplit[DDIR_READ][1].perc == 0);
	assert_int_equal(o.nr_bssplit[DDIR_TRIM], 3);

	/* rw:N */
	assert_int_equal(opt_set(&o, "rw", "randread:8", err, sizeof(err)), 0);
	assert_int_equal(o.rw, RW_READ | RW_RAND);
	assert_int_equal(o.rw_seq_nr, 8);
	assert_true(opts_is_random(&o));
	assert_int_equal(opt_set(&o, "rw", "trimwrite", err, sizeof(err)), 0);
	assert_int_equal(o.rw, RW_TRIM | RW_WRITE);
	assert_int_equal(o.rw_seq_nr, 0);
	assert_true(opts_has_ddir(&o, DDIR_TRIM));
	assert_false(opts_has_ddir(&o, DDIR_READ));

	/* rwmixwrite and buffered share storage with their partners */
	assert_int_equal(opt_set(&o, "rwmixread", "60", err, sizeof(err)), 0);
	assert_int_equal(opt_set(&o, "rwmixwrite", "30", err, sizeof(err)), 0);
	assert_int_equal(o.rwmixread, 70);
	assert_int_equal(o.set[idx_of("rwmixwrite")], 1);
	assert_int_equal(o.set[idx_of("rwmixread")], 0);
	assert_int_equal(opt_set(&o, "buffered", "0", err, sizeof(err)), 0);
	assert_true(o.direct);
	assert_int_equal(opt_set(&o, "direct", "0", err, sizeof(err)), 0);
	assert_false(o.direct);
	assert_int_equal(o.set[idx_of("buffered")], 0);

	/* sizes and percentages */
	assert_int_equal(opt_set(&o, "size", "50%", err, sizeof(err)), 0);
	assert_true(o.size_pct == 50);
	assert_int_equal(o.size, 0);
	assert_int_equal(opt_set(&o, "size", "1g", err, sizeof(err)), 0);
	assert_true(o.size_pct == 0);
	assert_int_equal(o.size, 1ULL << 30);
	assert_int_equal(opt_set(&o, "offset", "10%", err, sizeof(err)), 0);
	assert_true(o.offset_pct == 10);

	/* kb_base changes how later sizes read; rates too */
	assert_int_equal(opt_set(&o, "kb_base", "1000", err, sizeof(err)), 0);
	assert_int_equal(opt_set(&o, "rate", "1m,2m", err, sizeof(err)), 0);
	assert_int_equal(o.rate[DDIR_READ], 1000000);
	assert_int_equal(o.rate[DDIR_WRITE], 2000000);
	assert_int_equal(o.rate[DDIR_TRIM], 2000000);
	assert_int_equal(opt_set(&o, "bs", "4KiB", err, sizeof(err)), 0);
	assert_int_equal(o.bs[DDIR_READ], 4096);

	/* times */
	assert_int_equal(opt_set(&o, "runtime", "90", err, sizeof(err)), 0);
	assert_int_equal(o.runtime_us, 90000000ULL);
	assert_int_equal(opt_set(&o, "ramp_time", "2s", err, sizeof(err)), 0);
	assert_int_equal(o.ramp_time_us, 2000000ULL);
	assert_int_equal(opt_set(&o, "thinktime", "250", err, sizeof(err)), 0);
	assert_int_equal(o.thinktime_us, 250);

	/* distributions */
	assert_int_equal(opt_set(&o, "random_distribution", "zipf:1.2", err, sizeof(err)), 0);
	assert_int_equal(o.random_distribution, DIST_ZIPF);
	assert_true(o.dist_param == 1.2);
	assert_int_equal(opt_set(&o, "random_distribution", "normal:5", err, sizeof(err)), 0);
	assert_int_equal(o.random_distribution, DIST_NORMAL);
	assert_true(o.dist_param == 5);

	/* enums */
	assert_int_equal(opt_set(&o, "verify", "sha256", err, sizeof(err)), 0);
	assert_int_equal(o.verify, VERIFY_SHA256);
	assert_int_equal(opt_set(&o, "continue_on_error", "read", err, sizeof(err)), 0);
	assert_int_equal(o.continue_on_error, COE_READ);
	assert_int_equal(opt_set(&o, "io_submit_mode", "offload", err, sizeof(err)), 0);
	assert_int_equal(o.io_submit_mode, SUBMIT_OFFLOAD);

	/* faults */
	assert_int_equal(opt_set(&o, "inject_error", "EIO:1%,ENOSPC:0.5%", err, sizeof(err)), 0);
	assert_int_equal(o.nr_inject_error, 2);
	assert_int_equal(o.inject_error[0].err, 5 /* EIO */);
	assert_true(o.inject_error[1].perc == 0.5);
	assert_int_equal(opt_set(&o, "inject_delay", "20ms:5%", err, sizeof(err)), 0);
	assert_int_equal(o.inject_delay_us, 20000);
	assert_true(o.inject_delay_perc == 5);

	/* pattern */
	assert_int_equal(opt_set(&o, "verify_pattern", "0xdeadbeef", err, sizeof(err)), 0);
	assert_int_equal(o.verify_pattern_len, 4);
	assert_int_equal(o.verify_pattern[0], 0xde);
	assert_int_equal(o.verify_pattern[3], 0xef);

	/* seeds */
	assert_int_equal(opt_set(&o, "randseed", "0x10", err, sizeof(err)), 0);
	assert_true(o.randseed_set);
	assert_int_equal(o.randseed, 16);

	/* bare log keys take the job's name */
	assert_int_equal(opt_set(&o, "name", "myjob", err, sizeof(err)), 0);
	assert_int_equal(opt_set(&o, "write_bw_log", NULL, err, sizeof(err)), 0);
	assert_string_equal(o.write_bw_log, "myjob");
	assert_int_equal(opt_set(&o, "write_bw_log", "", err, sizeof(err)), 0);
	assert_null(o.write_bw_log);
	opts_free(&o);
}

/* --------------------------------------------------------- round trip */

/* A non-default value for every option (name, value). */
static const char *const samples[][2] = {
	{ "name", "job one" },
	{ "description", "a test job" },
	{ "kb_base", "1000" },
	{ "numjobs", "4" },
	{ "stonewall", "1" },
	{ "new_group", "1" },
	{ "group_reporting", "1" },
	{ "thread", "1" },
	{ "wait_for", "first" },
	{ "exitall", "1" },
	{ "exitall_on_error", "1" },
	{ "exec_prerun", "echo pre" },
	{ "exec_postrun", "echo post" },
	{ "ioengine", "io_uring" },
	{ "direct", "1" },
	{ "buffered", "0" },
	{ "fixedbufs", "1" },
	{ "registerfiles", "1" },
	{ "sqthread_poll", "1" },
	{ "sqthread_poll_cpu", "2" },
	{ "hipri", "1" },
	{ "hipri_percentage", "30" },
	{ "uncached", "1" },
	{ "nowait", "1" },
	{ "cpuload", "40" },
	{ "cpuchunks", "20000" },
	{ "cpumode", "qsort" },
	{ "exit_on_io_done", "1" },
	{ "stat_type", "statx" },
	{ "program", "/bin/sleep" },
	{ "arguments", "%r -x %n" },
	{ "grace_time", "3" },
	{ "std_redirect", "0" },
	{ "donorname", "file.def" },
	{ "inplace", "1" },
	{ "mmap_msync", "1" },
	{ "filename", "/tmp/a:/tmp/b\\:c" },
	{ "directory", "/tmp" },
	{ "size", "3g" },
	{ "filesize", "1536" },
	{ "offset", "33.5%" },
	{ "offset_increment", "1m" },
	{ "io_size", "5m" },
	{ "nrfiles", "3" },
	{ "file_service_type", "sequential" },
	{ "create_serialize", "0" },
	{ "allow_mounted_write", "1" },
	{ "fill_device", "1" },
	{ "rw", "randrw:16" },
	{ "rwmixread", "70" },
	{ "rwmixwrite", "20" },
	{ "bs", "8k,16k,512" },
	{ "bsrange", "1k-4k,,2k-8k" },
	{ "bssplit", "4k/10:64k/50:32k/,8k/" },
	{ "blockalign", "4k" },
	{ "randrepeat", "0" },
	{ "randseed", "12345" },
	{ "norandommap", "1" },
	{ "random_distribution", "pareto:0.35" },
	{ "fsync", "8" },
	{ "fdatasync", "16" },
	{ "end_fsync", "1" },
	{ "fsync_on_close", "1" },
	{ "iodepth", "64" },
	{ "iodepth_batch_submit", "8" },
	{ "iodepth_batch_complete_min", "2" },
	{ "iodepth_batch_complete_max", "16" },
	{ "iodepth_low", "4" },
	{ "io_submit_mode", "offload" },
	{ "runtime", "1h" },
	{ "time_based", "1" },
	{ "ramp_time", "1500ms" },
	{ "startdelay", "3" },
	{ "loops", "5" },
	{ "thinktime", "1ms" },
	{ "thinktime_spin", "250us" },
	{ "thinktime_blocks", "4" },
	{ "rate", "10m,20m" },
	{ "rate_iops", "100,200,300" },
	{ "rate_min", "1m" },
	{ "rate_iops_min", "50" },
	{ "rate_process", "poisson" },
	{ "rate_cycle", "500" },
	{ "latency_target", "5ms" },
	{ "latency_window", "1s" },
	{ "latency_percentile", "99.9" },
	{ "latency_run", "1" },
	{ "steadystate", "bw_slope:0.5%" },
	{ "steadystate_duration", "30" },
	{ "steadystate_ramp_time", "10" },
	{ "verify", "crc32c" },
	{ "verify_pattern", "0x0102\"xy\"" },
	{ "do_verify", "0" },
	{ "verify_only", "1" },
	{ "verify_fatal", "1" },
	{ "verify_backlog", "128" },
	{ "verify_interval", "512" },
	{ "verify_state_save", "/tmp/state" },
	{ "verify_state_load", "1" },
	{ "continue_on_error", "verify" },
	{ "trim_percentage", "10" },
	{ "trim_verify_zero", "0" },
	{ "write_bw_log", "bwpre" },
	{ "write_iops_log", "iopspre" },
	{ "write_lat_log", "latpre" },
	{ "write_hist_log", "histpre" },
	{ "log_avg_msec", "1000" },
	{ "log_hist_msec", "500" },
	{ "bwavgtime", "250" },
	{ "iopsavgtime", "1000" },
	{ "log_max_value", "1" },
	{ "per_job_logs", "0" },
	{ "write_iolog", "/tmp/io.log" },
	{ "read_iolog", "/tmp/in.log" },
	{ "replay_no_stall", "1" },
	{ "replay_time_scale", "50" },
	{ "inject_error", "EIO:1%,ENOSPC:0.5%" },
	{ "inject_delay", "20ms:5%" },
	{ "inject_delay_perc", "12.5" },
	{ "invalidate", "0" },
	{ "number_ios", "1000" },
	{ "unlink", "1" },
	{ "cpus_allowed", "0-1" },
	{ "nice", "5" },
	{ "percentile_list", "50:99" },
	{ "filename_format", "$jobname.$filenum" },
	{ "random_generator", "lfsr" },
	{ "zonemode", "strided" },
	{ "zonesize", "256m" },
	{ "zonerange", "512m" },
	{ "zoneskip", "2g" },
	{ "serialize_overlap", "1" },
	{ "buffer_pattern", "0xdeadbeef" },
	{ "dedupe_percentage", "50" },
	{ "dedupe_mode", "working_set" },
	{ "dedupe_working_set_percentage", "20" },
	{ "dedupe_global", "1" },
	{ "refill_buffers", "1" },
	{ "scramble_buffers", "0" },
	{ "zero_buffers", "1" },
	{ "buffer_compress_percentage", "35" },
	{ "buffer_compress_chunk", "4k" },
	{ "flow_id", "3" },
	{ "flow", "8" },
	{ "flow_sleep", "1000" },
	/* accepted without effect: any text round-trips */
	{ "gtod_reduce", "1" },
	{ "clocksource", "1" },
	{ "disable_lat", "1" },
	{ "disable_clat", "1" },
	{ "disable_slat", "1" },
	{ "disable_bw_measurement", "1" },
	{ "lat_percentiles", "1" },
	{ "clat_percentiles", "0" },
	{ "slat_percentiles", "1" },
	{ "significant_figures", "1" },
	{ "unified_rw_reporting", "both" },
	{ "exit_what", "stonewall" },
	{ "cpus_allowed_policy", "split" },
	{ "numa_cpu_nodes", "0-1" },
	{ "numa_mem_policy", "1" },
	{ "verify_dump", "1" },
	{ "error_dump", "1" },
	{ "verify_async", "1" },
	{ "verify_async_cpus", "1" },
	{ "experimental_verify", "1" },
	{ "ignore_error", "EIO:ENOSPC,,EILSEQ" },
	{ "ioscheduler", "1" },
	{ "fadvise_hint", "random" },
	{ "fallocate", "1" },
	{ "create_on_open", "1" },
	{ "allow_file_create", "1" },
	{ "openfiles", "1" },
	{ "iomem", "1" },
	{ "mem", "1" },
	{ "hugepage-size", "1" },
	{ "lockmem", "1" },
	{ "cgroup", "1" },
	{ "prio", "3" },
	{ "prioclass", "2" },
	{ "cmdprio_percentage", "20,40" },
	{ "cmdprio_class", "2" },
	{ "cmdprio", "5" },
	{ "cmdprio_bssplit", "64k/25/1/1:64k/75/3/2:1m/0,1m/50" },
	{ "log_prio", "1" },
	{ "cpumask", "0x5" },
	{ "log_offset", "1" },
	{ "unit_base", "1" },
	{ "pre_read", "1" },
	{ "per_job_start_delay", "1" },
	{ "threads", "2" },
	{ "block", "4096" },
	{ "numruns", "2" },
	{ "dir", "/tmp" },
	{ "device-names", "/dev/x" },
	{ "load", "1" },
	{ "test-duration", "60" },
	{ "threads-per-queue", "4" },
	{ "read-req-num-512-blocks", "3" },
	{ "large-block-op-kbytes", "128" },
	{ "prep", "1" },
	{ "max_open_zones", "8" },
	{ "job_max_open_zones", "2" },
	{ "ignore_zone_limits", "1" },
	{ "zone_reset_threshold", "0.5" },
	{ "zone_reset_frequency", "0.1" },
	{ "read_beyond_wp", "1" },
	{ "zonecapacity", "1m" },
};

static const char *sample_of(const char *name)
{
	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++)
		if (!strcmp(samples[i][0], name))
			return samples[i][1];
	return NULL;
}

/* print -> set -> print gives the same text and the same stored value. */
static void round_trip(const struct opt_def *d, const struct job_opts *src)
{
	struct job_opts b;
	char t1[2048], t2[2048], err[512];
	FILE *m1, *m2;
	char *d1 = NULL, *d2 = NULL;
	size_t l1, l2;

	opt_print(d, src, t1, sizeof(t1));
	opts_copy(&b, src);
	if (opt_set(&b, d->name, t1, err, sizeof(err)))
		fail_msg("%s: its own text '%s' is refused: %s", d->name, t1, err);
	opt_print(d, &b, t2, sizeof(t2));
	if (strcmp(t1, t2))
		fail_msg("%s: printed '%s', read back and printed '%s'", d->name, t1, t2);
	/* and every option reads the same afterwards */
	m1 = open_memstream(&d1, &l1);
	m2 = open_memstream(&d2, &l2);
	opts_dump(m1, src, false);
	opts_dump(m2, &b, false);
	fclose(m1);
	fclose(m2);
	if (strcmp(d1, d2))
		fail_msg("%s: re-setting '%s' changed other options:\n%s\n--- vs ---\n%s", d->name,
			 t1, d1, d2);
	free(d1);
	free(d2);
	opts_free(&b);
}

static void test_round_trip_defaults(void **state)
{
	struct job_opts o;

	opts_init(&o);
	for (size_t i = 0; i < opt_count; i++)
		round_trip(&opt_table[i], &o);
	opts_free(&o);
}

/* continue_on_error is order-dependent in fio (an ignore_error list sets
 * its type's bit, a later continue_on_error= replaces the mask), so it
 * alone does not read back its own text; the dump's order (it, then
 * ignore_error) does: both set again from their text change nothing. */
static void coe_pair_round_trip(const struct job_opts *src)
{
	const struct opt_def *c = opt_find("continue_on_error"), *l = opt_find("ignore_error");
	struct job_opts b;
	char tc[256], tl[2048], err[512];
	char *d1 = NULL, *d2 = NULL;
	size_t l1, l2;
	FILE *m1, *m2;

	opt_print(c, src, tc, sizeof(tc));
	opt_print(l, src, tl, sizeof(tl));
	opts_copy(&b, src);
	if (opt_set(&b, "continue_on_error", tc, err, sizeof(err)) ||
	    (tl[0] && opt_set(&b, "ignore_error", tl, err, sizeof(err))))
		fail_msg("continue_on_error=%s ignore_error=%s refused: %s", tc, tl, err);
	assert_int_equal(opts_coe(&b), opts_coe(src));
	m1 = open_memstream(&d1, &l1);
	m2 = open_memstream(&d2, &l2);
	opts_dump(m1, src, false);
	opts_dump(m2, &b, false);
	fclose(m1);
	fclose(m2);
	assert_string_equal(d1, d2);
	free(d1);
	free(d2);
	opts_free(&b);
}

static void test_round_trip_samples(void **state)
{
	for (size_t i = 0; i < opt_count; i++) {
		const struct opt_def *d = &opt_table[i];
		const char *v = sample_of(d->name);
		struct job_opts o;
		char err[512], def[2048], now[2048];

		if (!v)
			fail_msg("option %s has no sample value in this test", d->name);
		opts_init(&o);
		if (opt_set(&o, d->name, v, err, sizeof(err)))
			fail_msg("%s=%s refused: %s", d->name, v, err);
		opt_default_text(d, def, sizeof(def));
		opt_print(d, &o, now, sizeof(now));
		if (!strcmp(def, now))
			fail_msg("%s: sample '%s' equals the default", d->name, v);
		round_trip(d, &o);
		opts_free(&o);
	}
	/* and all samples at once in one job (kb_base=1000 first) */
	{
		struct job_opts o;
		char err[512];

		opts_init(&o);
		for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++)
			if (opt_set(&o, samples[i][0], samples[i][1], err, sizeof(err)))
				fail_msg("%s=%s refused: %s", samples[i][0], samples[i][1], err);
		for (size_t i = 0; i < opt_count; i++)
			if (strcmp(opt_table[i].name, "continue_on_error"))
				round_trip(&opt_table[i], &o);
		coe_pair_round_trip(&o);
		opts_free(&o);
	}
}

/* ------------------------------------------------------------- table */

static void test_table(void **state)
{
	assert_true(opt_count > 90);
	assert_true(opt_count < OPT_MAX);
	for (size_t i = 0; i < opt_count; i++) {
		const struct opt_def *d = &opt_table[i];

		assert_non_null(d->name);
		if (!d->help || !*d->help || strchr(d->help, '\n') || strlen(d->help) > 100)
			fail_msg("%s: help must be one line of text (<= 100 chars)", d->name);
		assert_true(d->group < GRP_NR);
		assert_non_null(opt_group_names[d->group]);
		if (d->type == OPT_ENUM && !d->choices)
			fail_msg("%s: enum without choices", d->name);
		assert_ptr_equal(opt_find(d->name), d);
		if (d->alias)
			assert_ptr_equal(opt_find(d->alias), d);
		for (size_t j = 0; j < i; j++) {
			const struct opt_def *e = &opt_table[j];

			if (!strcasecmp(e->name, d->name) ||
			    (e->alias && !strcasecmp(e->alias, d->name)) ||
			    (d->alias && !strcasecmp(e->name, d->alias)) ||
			    (d->alias && e->alias && !strcasecmp(e->alias, d->alias)))
				fail_msg("%s and %s clash", d->name, e->name);
		}
	}
	/* the names fio users type, and their aliases */
	static const char *const names[] = {
		"readwrite", "blocksize", "blocksize_range", "ba", "io_limit", "timeout",
		"wait_for_previous", "iodepth_batch", "iodepth_batch_complete", "ratemin",
		"RW", "Bs", "rate_min",
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!opt_find(names[i]))
			fail_msg("opt_find(%s) failed", names[i]);
	assert_null(opt_find("nonsense"));
	assert_null(opt_find(NULL));
}

static void test_suggest(void **state)
{
	static const char *const cases[][2] = {
		{ "bsz", "bs" },		{ "iodepht", "iodepth" },
		{ "runtme", "runtime" },	{ "ioengin", "ioengine" },
		{ "rwmixred", "rwmixread" },	{ "random_distrib", NULL },
		{ "blocksize_nonsense", NULL }, { "xyzzyqq", NULL },
		{ "numjob", "numjobs" },	{ "ramptime", "ramp_time" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *s = opt_suggest(cases[i][0]);

		if (!cases[i][1] && s)
			fail_msg("opt_suggest(%s) = %s, want none", cases[i][0], s);
		if (cases[i][1] && (!s || strcmp(s, cases[i][1])))
			fail_msg("opt_suggest(%s) = %s, want %s", cases[i][0], s ? s : "(none)",
				 cases[i][1]);
	}
	assert_null(opt_suggest(""));
	assert_null(opt_suggest(NULL));
}

/* ---------------------------------------------------------- validate */

static void expect_invalid(struct job_opts *o, const char *want)
{
	char err[512] = "";

	if (!opts_validate(o, err, sizeof(err)))
		fail_msg("validation passed, want an error with '%s'", want);
	if (!strstr(err, want))
		fail_msg("validation error '%s' lacks '%s'", err, want);
	opts_free(o);
	opts_init(o);
}

static void test_validate(void **state)
{
	struct job_opts o;
	char err[512];

	opts_init(&o);
	assert_int_equal(opts_validate(&o, err, sizeof(err)), 0);

	o.nr_bssplit[DDIR_WRITE] = 2;
	o.bssplit[DDIR_WRITE][0] = (struct bssplit){ 4096, 50 };
	o.bssplit[DDIR_WRITE][1] = (struct bssplit){ 8192, 40 };
	expect_invalid(&o, "bssplit: write percentages add to 90, not 100");

	o.bs_min[DDIR_READ] = 8192;
	o.bs_max[DDIR_READ] = 4096;
	expect_invalid(&o, "bsrange");

	o.iodepth = 4;
	o.iodepth_low = 8;
	expect_invalid(&o, "iodepth_low: 8 is above iodepth 4");

	o.iodepth = 8;
	o.iodepth_batch_complete_min = 4;
	o.iodepth_batch_complete_max = 2;
	expect_invalid(&o, "iodepth_batch_complete_min");

	o.rwmixread = 120;
	expect_invalid(&o, "rwmixread");

	o.rate[DDIR_READ] = 1000;
	o.rate_iops[DDIR_READ] = 10;
	expect_invalid(&o, "rate and rate_iops");

	o.rate[DDIR_WRITE] = 1000;
	o.ratemin[DDIR_WRITE] = 2000;
	expect_invalid(&o, "rate_min");

	o.random_distribution = DIST_ZIPF;
	o.dist_param = 1.0;
	expect_invalid(&o, "random_distribution: zipf");

	o.verify = VERIFY_PATTERN;
	expect_invalid(&o, "verify_pattern");

	o.thinktime_us = 10;
	o.thinktime_spin_us = 20;
	expect_invalid(&o, "thinktime_spin");

	o.iodepth = 0;
	expect_invalid(&o, "iodepth");

	o.numjobs = 0;
	expect_invalid(&o, "numjobs");

	o.bs[DDIR_TRIM] = 0;
	expect_invalid(&o, "bs");

	o.kb_base = 512;
	expect_invalid(&o, "kb_base");

	free(o.ioengine);
	o.ioengine = strdup("warp");
	expect_invalid(&o, "ioengine");

	o.nr_inject_error = 2;
	o.inject_error[0] = (struct inject_error){ 5, 70 };
	o.inject_error[1] = (struct inject_error){ 28, 40 };
	expect_invalid(&o, "inject_error");

	o.latency_percentile = 150;
	expect_invalid(&o, "latency_percentile");

	/* fine again */
	assert_int_equal(opts_validate(&o, err, sizeof(err)), 0);
	opts_free(&o);
}

/* Offsets and sizes that add up past 2^63 - 1 (or wrap around 2^64) are
 * refused when the job is read; before, offset=2^64-1 size=4k wrapped to
 * I/O at the file's start. Each case: options set in order, then what the
 * refusal must say (NULL: valid). */
static void test_extents(void **state)
{
	static const struct {
		const char *kv[4][2];
		const char *want;
	} cases[] = {
		{ { { "offset", "18446744073709551615" }, { "size", "4k" } },
		  "offset: 18446744073709551615 is past the largest file offset" },
		{ { { "offset", "4611686018427387904" }, { "size", "4611686018427387904" } },
		  "offset: 4EiB + size 4EiB ends past the largest file offset (2^63 - 1); it "
		  "would wrap around" },
		{ { { "offset", "9223372036854771712" }, { "filesize", "4k" } },
		  "+ filesize 4KiB ends past" },
		{ { { "offset", "9223372036854767616" }, { "size", "4k" } }, NULL },
		{ { { "size", "9223372036854775808" } }, "size: 9223372036854775808 is past" },
		{ { { "offset_increment", "2000p" }, { "numjobs", "10" }, { "size", "4k" } },
		  "offset_increment: 2251799813685248000 x 9 more clones passes" },
		{ { { "offset_increment", "1000p" }, { "numjobs", "9" }, { "offset", "1000p" },
		    { "size", "4k" } },
		  "offset: 1000PiB + offset_increment x numjobs + size 4KiB ends past" },
		{ { { "offset_increment", "1000p" }, { "numjobs", "8" }, { "size", "4k" } }, NULL },
		{ { { "filesize", "4000p" }, { "nrfiles", "4" } },
		  "filesize: 4503599627370496000 x nrfiles=4 passes" },
		{ { { "io_size", "8000p" }, { "loops", "4" } }, "loops: 4 loops of" },
		{ { { "io_size", "9000p" } }, "io_size: 10133099161583616000 is more than" },
		{ { { "rw", "read:9000p" } }, "rw: a skip of 10133099161583616000 bytes" },
		{ { { "rw", "randread:9000p" } }, NULL }, /* a repeat count, not bytes */
		{ { { "offset", "50%" }, { "size", "8000p" } }, NULL }, /* checked at run time */
		{ { { "filename", "F" }, { "nrfiles", "8" } },
		  "nrfiles: 8 files, but filename names 1" },
		{ { { "filename", "F:G\\:H" }, { "nrfiles", "3" } }, "nrfiles: 3 files, but "
		  "filename names 2" },
		{ { { "filename", "F:G:H" }, { "nrfiles", "2" } }, NULL }, /* fio: F and G */
		{ { { "nrfiles", "8" } }, NULL },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct job_opts o;
		char err[512] = "";
		int r;

		opts_init(&o);
		for (int k = 0; k < 4 && cases[i].kv[k][0]; k++)
			if (opt_set(&o, cases[i].kv[k][0], cases[i].kv[k][1], err, sizeof(err)))
				fail_msg("case %zu: %s=%s: %s", i, cases[i].kv[k][0],
					 cases[i].kv[k][1], err);
		r = opts_validate(&o, err, sizeof(err));
		if (!cases[i].want && r)
			fail_msg("case %zu: refused: %s", i, err);
		if (cases[i].want && (!r || !strstr(err, cases[i].want)))
			fail_msg("case %zu: '%s' lacks '%s'", i, r ? err : "(valid)", cases[i].want);
		opts_free(&o);
	}
}

/* Control characters in a value are refused by opt_set, whatever the path
 * (job file, command line, editor); a description may hold newlines and
 * prints them as spaces so a dump or a saved file stays one line a key. */
static void test_control_chars(void **state)
{
	static const struct {
		const char *key, *val;
		int ok;
	} cases[] = {
		{ "filename", "/x\ny", 0 },
		{ "filename", "/x\x1b[2J", 0 },
		{ "filename", "/x\ry", 0 },
		{ "filename", "/x\x7f", 0 },
		{ "name", "a\nrw=write", 0 },
		{ "write_iolog", "log\n", 0 },
		{ "rw", "read\n", 0 },
		{ "filename", "/x\ty", 1 },
		{ "filename", "/tmp/caf\xc3\xa9", 1 },
		{ "filename", "/tmp/\xff\xfe", 1 },
		{ "description", "line one\nline two\tand a tab", 1 },
		{ "description", "bell\a", 0 },
	};
	char err[256], buf[256];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct job_opts o;
		int r;

		opts_init(&o);
		err[0] = '\0';
		r = opt_set(&o, cases[i].key, cases[i].val, err, sizeof(err));
		if (cases[i].ok && r)
			fail_msg("case %zu: refused: %s", i, err);
		if (!cases[i].ok && (!r || !strstr(err, "control character 0x")))
			fail_msg("case %zu: %s", i, r ? err : "accepted");
		opts_free(&o);
	}
	{
		struct job_opts o;

		opts_init(&o);
		assert_int_equal(opt_set(&o, "description", "one\ntwo", err, sizeof(err)), 0);
		assert_string_equal(o.description, "one\ntwo");
		opt_print(opt_find("description"), &o, buf, sizeof(buf));
		assert_string_equal(buf, "one two");
		opts_free(&o);
	}
	/* times are capped so nanoseconds never wrap */
	assert_int_equal(parse_time_us("100000000d", 1000000, &(uint64_t){ 0 }), -1);
	{
		struct job_opts o;

		opts_init(&o);
		assert_int_equal(opt_set(&o, "runtime", "1000000000d", err, sizeof(err)), -1);
		assert_non_null(strstr(err, "too long (at most 100 years)"));
		assert_int_equal(opt_set(&o, "runtime", "36500d", err, sizeof(err)), 0);
		opts_free(&o);
	}
}

/* ----------------------------------------------------- copy/dump/help */

static void test_copy_free(void **state)
{
	struct job_opts a, b;
	char err[256];

	opts_init(&a);
	assert_int_equal(opt_set(&a, "filename", "/tmp/x", err, sizeof(err)), 0);
	assert_int_equal(opt_set(&a, "name", "n", err, sizeof(err)), 0);
	opts_copy(&b, &a);
	assert_ptr_not_equal(a.filename, b.filename);
	assert_ptr_not_equal(a.ioengine, b.ioengine);
	assert_int_equal(b.set[idx_of("filename")], 1);
	opts_free(&a);
	assert_null(a.filename);
	assert_string_equal(b.filename, "/tmp/x");
	assert_string_equal(b.name, "n");
	opts_free(&b);
	opts_free(&b); /* twice is harmless */
}

static char *capture_dump(const struct job_opts *o, bool only_set)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	opts_dump(m, o, only_set);
	fclose(m);
	return buf;
}

static void test_dump(void **state)
{
	struct job_opts o;
	char err[256], *s;
	size_t lines = 0;

	opts_init(&o);
	s = capture_dump(&o, true);
	assert_string_equal(s, "");
	free(s);

	assert_int_equal(opt_set(&o, "bs", "8k", err, sizeof(err)), 0);
	assert_int_equal(opt_set(&o, "rw", "randwrite", err, sizeof(err)), 0);
	assert_int_equal(opt_set(&o, "write_lat_log", NULL, err, sizeof(err)), 0);
	s = capture_dump(&o, true);
	assert_non_null(strstr(s, "bs=8k\n"));
	assert_non_null(strstr(s, "rw=randwrite\n"));
	assert_non_null(strstr(s, "\nwrite_lat_log\n")); /* bare: the job's name, later */
	assert_null(strstr(s, "iodepth="));
	free(s);

	/* partners sharing storage: only the one given is shown */
	assert_int_equal(opt_set(&o, "rwmixwrite", "30", err, sizeof(err)), 0);
	assert_int_equal(opt_set(&o, "buffered", "0", err, sizeof(err)), 0);
	s = capture_dump(&o, true);
	assert_non_null(strstr(s, "rwmixwrite=30\n"));
	assert_null(strstr(s, "rwmixread="));
	assert_non_null(strstr(s, "buffered=0\n"));
	assert_null(strstr(s, "direct="));
	free(s);

	s = capture_dump(&o, false);
	for (char *p = s; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, opt_count);
	assert_non_null(strstr(s, "iodepth=1\n"));
	free(s);
	opts_free(&o);
}

__attribute__((noinline)) static char *capture_help(const char *name, int *rc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	*rc = opts_cmdhelp(m, name);
	fclose(m);
	return buf;
}

static void test_cmdhelp(void **state)
{
	int rc;
	char *s = capture_help(NULL, &rc);

	const char *compat = strstr(s, "without effect:");

	assert_int_equal(rc, 0);
	assert_non_null(compat);
	for (size_t i = 0; i < opt_count; i++) {
		bool listed_by_name = opt_table[i].flags & OPTF_COMPAT;
		char want[80];

		/* accepted-without-effect options are listed by name after the groups */
		snprintf(want, sizeof(want), listed_by_name ? " %s" : "  %s ", opt_table[i].name);
		if (!strstr(listed_by_name ? compat : s, want))
			fail_msg("--cmdhelp does not list %s", opt_table[i].name);
	}
	for (int g = 0; g < GRP_NR; g++)
		assert_non_null(strstr(s, opt_group_names[g]));
	free(s);

	s = capture_help("blocksize", &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(s, "name      : bs"));
	assert_non_null(strstr(s, "alias     : blocksize"));
	assert_non_null(strstr(s, "default   : 4k"));
	assert_non_null(strstr(s, "units     : bytes"));
	assert_non_null(strstr(s, "range"));
	free(s);

	s = capture_help("rw", &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(s, "randrw"));
	assert_non_null(strstr(s, "default   : read"));
	free(s);

	s = capture_help("no_such_option", &rc);
	assert_int_equal(rc, -1);
	free(s);
}

static void test_fmt_size(void **state)
{
	static const struct {
		uint64_t v;
		unsigned kb;
		const char *want;
	} cases[] = {
		{ 0, 1024, "0B" },	    { 512, 1024, "512B" },	  { 4096, 1024, "4KiB" },
		{ 1536, 1024, "1.5KiB" },   { 1048576, 1024, "1MiB" },	  { 1000000, 1000, "1MB" },
		{ 4000, 1000, "4kB" },	    { 1ULL << 40, 1024, "1TiB" },
	};
	char buf[64];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fmt_size(buf, sizeof(buf), cases[i].v, cases[i].kb);
		if (strcmp(buf, cases[i].want))
			fail_msg("fmt_size(%llu, %u) = %s, want %s", (unsigned long long)cases[i].v,
				 cases[i].kb, buf, cases[i].want);
	}
}

/* cpus_allowed_policy=split: job N gets the (N mod count)-th CPU of the
 * set, as fio's fio_cpus_split picks it. */
static void test_cpus_split(void **state)
{
	static const struct {
		const char *set;
		unsigned index;
		int cpu;
	} cases[] = {
		{ "0,2,5", 0, 0 }, { "0,2,5", 1, 2 }, { "0,2,5", 2, 5 }, { "0,2,5", 3, 0 },
		{ "3", 7, 3 },     { "1-2", 1, 2 },   { "8-11", 6, 10 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cpu_set_t set;

		assert_int_equal(opts_cpu_list(cases[i].set, &set), 0);
		assert_int_equal(opts_cpus_split(&set, cases[i].index), 1);
		assert_true(CPU_ISSET(cases[i].cpu, &set));
	}
	{
		cpu_set_t empty;

		CPU_ZERO(&empty);
		assert_int_equal(opts_cpus_split(&empty, 0), 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_size),
		cmocka_unit_test(test_parse_time),
		cmocka_unit_test(test_parse_bool),
		cmocka_unit_test(test_opt_set_table),
		cmocka_unit_test(test_opt_set_atomic),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_round_trip_defaults),
		cmocka_unit_test(test_round_trip_samples),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_suggest),
		cmocka_unit_test(test_validate),
		cmocka_unit_test(test_extents),
		cmocka_unit_test(test_control_chars),
		cmocka_unit_test(test_copy_free),
		cmocka_unit_test(test_dump),
		cmocka_unit_test(test_cmdhelp),
		cmocka_unit_test(test_fmt_size),
		cmocka_unit_test(test_cpus_split),
		cmocka_unit_test(test_exec_engine_guard),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
