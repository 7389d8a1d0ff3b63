/* I/O priorities, with fio 3.33's semantics: the job thread's own
 * (prio=, prioclass=) and per I/O (cmdprio_percentage=, cmdprio_class=,
 * cmdprio=, cmdprio_bssplit=, for libaio and io_uring).
 *
 * A priority value is Linux's: class << 13 | level (class 1 realtime, 2
 * best effort, 3 idle; level 0 highest .. 7 lowest). As fio, a class of 0
 * given with a level means best effort, and a job that sets neither prio
 * nor prioclass runs at priority 0 ("0/0" in the report: the kernel's
 * default for the task).
 *
 * Per I/O: each read or write draws a number 0..99; below the direction's
 * percentage (cmdprio_percentage, or in cmdprio_bssplit the summed
 * percentages of the entries for the I/O's size) the I/O gets the cmdprio
 * priority (cmdprio_class/cmdprio, or the entry's own class/level), else
 * the thread's. Each distinct priority of a direction has an index, 0 the
 * thread's, under which its latencies are counted (struct prio_stats). */
#ifndef IOLAB_CMDPRIO_H
#define IOLAB_CMDPRIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../lib/rand.h"
#include "options.h"
#include "stats.h"

#define IOPRIO_CLASS_SHIFT 13
#define IOPRIO_CLASS_RT 1
#define IOPRIO_CLASS_BE 2
#define CMDPRIO_MAX_PRIOS PRIO_STATS_MAX

static inline uint32_t ioprio_value(unsigned cls, unsigned level)
{
	return ((cls ? cls : IOPRIO_CLASS_BE) << IOPRIO_CLASS_SHIFT) | level;
}
static inline unsigned ioprio_class_of(uint32_t v) { return v >> IOPRIO_CLASS_SHIFT; }
static inline unsigned ioprio_level_of(uint32_t v) { return v & 7; }

/* One cmdprio_bssplit entry: @perc percent of the I/Os of size @bs get
 * priority @prio (-1: cmdprio_class/cmdprio's). */
struct cmdprio_split {
	uint64_t bs;
	unsigned perc;
	int32_t prio;
};

/* Parses a cmdprio_bssplit value ("bs/perc[/class/level]:...", a part per
 * direction "read,write", one part for both; fio's syntax) with sizes in
 * @kb_base. Entries of 0% are dropped; the rest are sorted by size.
 * @out/@nr may be NULL (checking only). Returns 0, or -1 with a reason
 * in @err. */
int cmdprio_split_parse(const char *val, unsigned kb_base,
			struct cmdprio_split out[2][BSSPLIT_MAX], unsigned nr[2], char *err,
			size_t errlen);

/* The job's own priority: true when prio or prioclass was given, with
 * its value in *@v (else *@v = 0). */
bool cmdprio_thread_prio(const struct job_opts *o, uint32_t *v);
/* Whether @o asks for per-I/O priorities. */
bool cmdprio_wanted(const struct job_opts *o);
/* opts_validate's checks (ioengine, the two modes exclusive, bssplit's
 * syntax). 0, or -1 with "option: why" in @err. */
int cmdprio_check(const struct job_opts *o, char *err, size_t errlen);

/* A job's per-I/O priority plan (worker-owned). */
struct cmdprio {
	bool bssplit;                 /* mode: cmdprio_bssplit, else percentage */
	unsigned perc[2];             /* percentage mode, read and write */
	uint32_t prio[2];
	uint16_t index[2];
	struct cmdprio_split split[2][BSSPLIT_MAX]; /* bssplit mode, prio resolved */
	uint16_t split_index[2][BSSPLIT_MAX];
	unsigned nr_split[2];
	/* distinct priorities per direction, [0] the thread's; nr 0 for a
	 * direction without per-I/O priorities (no stats for it) */
	uint32_t prios[2][CMDPRIO_MAX_PRIOS];
	unsigned nr_prios[2];
	struct rand_state rnd;
};

/* Builds @c from @o for a job whose thread priority is @thread_prio,
 * seeding its draws with @seed. Returns 0, or -EINVAL with the reason in
 * @err (the value was checked at load, so only for a value edited since). */
int cmdprio_init(struct cmdprio *c, const struct job_opts *o, uint32_t thread_prio,
		 uint64_t seed, char *err, size_t errlen);
/* The priority of one read or write of @bs bytes: true with *@prio and
 * *@index when it gets a cmdprio one; false leaves them alone. */
bool cmdprio_pick(struct cmdprio *c, int ddir, uint64_t bs, uint32_t *prio, uint16_t *index);

#endif
