/* Memory for 8 jobs sampled every 100 ms for one hour, with time simulated:
 * appends 36000 samples a job to a sample store, as the sampler would, and
 * reports what the store holds and the process's peak RSS (VmHWM). Run by
 * `make bench`; prints one line. */
#include <stdio.h>
#include <string.h>

#include "backend/samples.h"

#define JOBS 8
#define TICKS 36000 /* an hour at 100 ms */

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

int main(void)
{
	struct sample_store *s = samples_new();
	struct sample smp;
	static struct sample out[4096];
	size_t hits = 0;

	if (!s)
		return 1;
	for (unsigned t = 0; t < TICKS; t++) {
		for (unsigned j = 0; j < JOBS; j++) {
			memset(&smp, 0, sizeof(smp));
			smp.t_start = (uint64_t)t * 100000;
			smp.t_end = smp.t_start + 100000;
			smp.job = j;
			smp.dir[DDIR_READ].ios = 1000 + t % 7;
			smp.dir[DDIR_READ].iops = 10000.0f;
			samples_append(s, &smp);
		}
		if (t % 600 == 0) /* a UI reading now and then */
			hits += samples_query(s, smp.t_start / 2, smp.t_start / 2 + 100000, out, 4096);
	}
	printf("store %.1f MiB, peak RSS %.1f MiB (%zu query hits)\n",
	       samples_bytes(s) / 1048576.0, vm_hwm_kib() / 1024.0, hits);
	samples_free(s);
	return 0;
}
