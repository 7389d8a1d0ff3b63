/* Monotonic sleeping; see clock.h. */
#include "clock.h"

#include <errno.h>
#include <poll.h>

void clock_sleep_until(uint64_t deadline_ns)
{
	struct timespec ts = {
		.tv_sec = (time_t)(deadline_ns / NS_PER_SEC),
		.tv_nsec = (long)(deadline_ns % NS_PER_SEC),
	};

	/* EINTR returns early by contract; callers re-check their condition. */
	clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
}

enum clock_wait_end clock_wait(uint64_t deadline_ns, const int *stop, int fd)
{
	for (;;) {
		uint64_t now = clock_now_ns(), until;

		if (now >= deadline_ns)
			return CLOCK_WAIT_DEADLINE;
		if (stop && __atomic_load_n(stop, __ATOMIC_RELAXED))
			return CLOCK_WAIT_STOPPED;
		until = deadline_ns - now > CLOCK_WAIT_SLICE_NS ? now + CLOCK_WAIT_SLICE_NS
								: deadline_ns;
		if (fd >= 0) {
			struct pollfd p = { .fd = fd, .events = POLLIN };
			struct timespec ts = {
				.tv_sec = (time_t)((until - now) / NS_PER_SEC),
				.tv_nsec = (long)((until - now) % NS_PER_SEC),
			};

			if (ppoll(&p, 1, &ts, NULL) > 0 &&
			    (p.revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)))
				return CLOCK_WAIT_READY;
		} else {
			clock_sleep_until(until);
		}
	}
}
