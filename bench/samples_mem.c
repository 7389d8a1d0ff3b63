/* Memory for 8 jobs sampled every 100 ms for one hour, with time simulated:
 * appends 36000 samples a job to a sample store, as the sampler would, and
 * reports what the store holds and the process's peak RSS (VmHWM). Run by
 * `make bench`; prints one line a case:
 *  - "no histograms": samples alone (the rings);
 *  - "bimodal": each sample with its read latency histogram, 1000 I/Os a
 *    tick in two modes, 100 us and 5 ms (9:1), each spread +-4%;
 *  - "broad": 1000 I/Os a tick spread log-uniformly over 20 us .. 20 ms
 *    (three decades: about 80 heat buckets hit a tick), a pessimistic case
 *    for a real device.
 * Each case runs in its own child process so each peak RSS is its own. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backend/samples.h"
#include "lib/hist.h"

#define JOBS 8
#define TICKS 36000 /* an hour at 100 ms */
#define IOS 1000    /* I/Os a tick */

enum { NONE, BIMODAL, BROAD };

static long vm_hwm_kib(void)
{
	char line[256];
	long kib = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmHWM: %ld kB", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

static uint64_t lat(int mode, uint64_t *seed, unsigned i)
{
	double u;

	*seed = *seed * 6364136223846793005ULL + 1442695040888963407ULL;
	u = (double)(*seed >> 11) / 9007199254740992.0;
	if (mode == BIMODAL) {
		double base = i % 10 == 9 ? 5e6 : 1e5;

		return (uint64_t)(base * (0.96 + 0.08 * u));
	}
	return (uint64_t)(2e4 * pow(1000.0, u));
}

static int one(int mode, const char *name)
{
	struct sample_store *s = samples_new();
	struct hist *h = calloc(1, sizeof(*h));
	const struct hist *hl[DDIR_RWDIR_CNT] = { h, NULL, NULL };
	static struct sample out[4096];
	uint64_t seed = 42;
	struct sample smp;
	size_t hits = 0;

	if (!s || !h)
		return 1;
	for (unsigned t = 0; t < TICKS; t++) {
		for (unsigned j = 0; j < JOBS; j++) {
			memset(&smp, 0, sizeof(smp));
			smp.t_start = (uint64_t)t * 100000;
			smp.t_end = smp.t_start + 100000;
			smp.job = j;
			smp.dir[DDIR_READ].ios = mode == NONE ? 1000 + t % 7 : IOS;
			smp.dir[DDIR_READ].iops = 10000.0f;
			if (mode != NONE) {
				hist_reset(h);
				for (unsigned i = 0; i < IOS; i++)
					hist_add(h, lat(mode, &seed, i));
			}
			samples_append_hist(s, &smp, mode == NONE ? NULL : hl);
		}
		if (t % 600 == 0) /* a UI reading now and then */
			hits += samples_query(s, smp.t_start / 2, smp.t_start / 2 + 100000, out, 4096);
	}
	printf("%s: store %.1f MiB, peak RSS %.1f MiB (%zu query hits)\n", name,
	       samples_bytes(s) / 1048576.0, vm_hwm_kib() / 1024.0, hits);
	fflush(stdout); /* the child leaves through _exit */
	samples_free(s);
	free(h);
	return 0;
}

int main(void)
{
	static const struct { int mode; const char *name; } cases[] = {
		{ NONE, "no histograms" },
		{ BIMODAL, "bimodal 100us/5ms histograms" },
		{ BROAD, "broad 20us-20ms histograms" },
	};
	int rc = 0;

	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		int st;
		pid_t pid;

		fflush(stdout);
		pid = fork();
		if (pid < 0)
			return 1;
		if (pid == 0)
			_exit(one(cases[c].mode, cases[c].name));
		if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
			rc = 1;
	}
	return rc;
}
