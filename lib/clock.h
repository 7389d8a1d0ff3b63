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

/* The one way iolab waits when a person may want it to stop: every timed
 * or open-ended wait (thinktime, startdelay, rate pacing, wait_for, an
 * exec_prerun child, injected delays, replay stalls, diagnose's ticks, a
 * reap of in-flight I/O) goes through here, so a stop reaches it within
 * CLOCK_WAIT_SLICE_NS.
 *
 * Waits until the monotonic clock reaches @deadline_ns (UINT64_MAX: no
 * deadline), until *@stop is non-zero (read relaxed at least every slice;
 * NULL: never), or, when @fd >= 0, until @fd is readable or hung up.
 * Checks the deadline first (what is due is not "stopped"), then @stop,
 * then @fd. Any thread; signals
 * (EINTR) just cut a slice short. Returns enum clock_wait_end. */
#define CLOCK_WAIT_SLICE_NS (50 * NS_PER_MS)
enum clock_wait_end {
	CLOCK_WAIT_DEADLINE = 0, /* @deadline_ns passed */
	CLOCK_WAIT_STOPPED,      /* *@stop became non-zero */
	CLOCK_WAIT_READY,        /* @fd is readable (or hung up) */
};
enum clock_wait_end clock_wait(uint64_t deadline_ns, const int *stop, int fd);

#endif
