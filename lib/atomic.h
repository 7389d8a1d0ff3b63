/* Single-writer counters read by other threads.
 *
 * Statistics are written by exactly one thread (a job's worker) and read by
 * others (sampler, UI, output). A relaxed load+store is enough for the writer
 * and costs a plain add on x86-64; readers use relaxed loads and accept a
 * snapshot that is a few I/Os stale. These wrappers keep that contract
 * explicit and ThreadSanitizer-clean. */
#ifndef IOLAB_ATOMIC_H
#define IOLAB_ATOMIC_H

#define ld_relaxed(p) __atomic_load_n((p), __ATOMIC_RELAXED)
#define st_relaxed(p, v) __atomic_store_n((p), (v), __ATOMIC_RELAXED)
#define ld_acquire(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define st_release(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)

/* Writer-side add for single-writer counters (no locked RMW). */
#define sw_add(p, v) st_relaxed((p), ld_relaxed(p) + (v))

#endif
