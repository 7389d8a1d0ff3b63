/* Monotonic time for measurement. All iolab timestamps are nanoseconds of
 * CLOCK_MONOTONIC unless a name says otherwise. */
#ifndef IOLAB_CLOCK_H
#define IOLAB_CLOCK_H

#include <stdint.h>
#include <time.h>

#define NS_PER_US 1000ULL
#define NS_PER_MS 1000000ULL
#define NS_PER_SEC 1000000000ULL

static inline uint64_t clock_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NS_PER_SEC + (uint64_t)ts.tv_nsec;
}

/* Sleep until the monotonic clock reaches @deadline_ns (returns early on a
 * signal; callers re-check their own condition). */
void clock_sleep_until(uint64_t deadline_ns);

#endif
