/* The cost of each monotonic time source iolab could stamp I/Os with, on
 * this machine: the numbers behind lib/clock.h's choice. Run by make bench
 * (bench/bench.py puts the table in BENCHMARKS.md).
 *
 * A source qualifies only if it is monotonic and fine enough to time a
 * sub-microsecond I/O: CLOCK_MONOTONIC_COARSE is cheap but ticks at the
 * scheduler tick (its resolution is printed), and the raw TSC needs a
 * calibration and a constant, invariant TSC that a VM may not promise. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#define HAVE_TSC 1
#endif

#define N 2000000

static uint64_t ns_of(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Median over 5 runs of the mean cost of one call, in ns. */
static double cost(clockid_t id, int tsc)
{
	double runs[5];
	volatile uint64_t sink = 0;

	for (int r = 0; r < 5; r++) {
		uint64_t t0 = ns_of(CLOCK_MONOTONIC);

		for (int i = 0; i < N; i++) {
#ifdef HAVE_TSC
			if (tsc) {
				sink += __rdtsc();
				continue;
			}
#else
			(void)tsc;
#endif
			sink += ns_of(id);
		}
		runs[r] = (double)(ns_of(CLOCK_MONOTONIC) - t0) / N;
	}
	(void)sink;
	qsort(runs, 5, sizeof(runs[0]), cmp_double);
	return runs[2];
}

static void row(const char *name, clockid_t id, int tsc, const char *note)
{
	struct timespec res = { 0, 0 };
	char resb[32] = "-";

	if (!tsc && clock_getres(id, &res) == 0)
		snprintf(resb, sizeof(resb), "%ld ns", res.tv_sec * 1000000000L + res.tv_nsec);
	printf("| %s | %.1f | %s | %s |\n", name, cost(id, tsc), resb, note);
}

int main(void)
{
	char cs[64] = "?";
	FILE *f = fopen("/sys/devices/system/clocksource/clocksource0/current_clocksource", "r");

	if (f) {
		if (fgets(cs, sizeof(cs), f))
			cs[strcspn(cs, "\n")] = '\0';
		fclose(f);
	}
	printf("Kernel clocksource: %s\n\n", cs);
	printf("| time source | ns per read | resolution | note |\n|---|---|---|---|\n");
	row("CLOCK_MONOTONIC (vDSO)", CLOCK_MONOTONIC, 0, "iolab's choice: monotonic, ns, no syscall");
	row("CLOCK_MONOTONIC_RAW", CLOCK_MONOTONIC_RAW, 0, "not NTP-slewed; a syscall on older kernels");
	row("CLOCK_MONOTONIC_COARSE", CLOCK_MONOTONIC_COARSE, 0, "cheapest, too coarse for I/O latency");
	row("CLOCK_BOOTTIME", CLOCK_BOOTTIME, 0, "counts suspend");
#ifdef HAVE_TSC
	row("rdtsc (raw cycles)", CLOCK_MONOTONIC, 1, "needs calibration and an invariant TSC");
#endif
	return 0;
}
