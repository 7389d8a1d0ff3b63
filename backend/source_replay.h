/* The replay source kind: a recording (docs/recording.md) opened later and
 * seen through the source interface (source.h) like a live run.
 *
 * source_replay_new() reads the header (what ran, where, when) and returns
 * at once; a loader thread of the kind's own then streams the file
 * (backend/recread.h) into the kind's sample store: every tick with its
 * latency histogram (so the heat map works), the marks, the jobs'
 * runstates and errors, and at the end the trailer's fio result. The wake
 * fd turns readable as the store fills and when the load ends, so a front
 * end draws its first frame while the rest loads. Times keep the
 * recording's origin: a sample's time is the recording's t; statuses'
 * monotonic times are REPLAY_BASE_NS + t.
 *
 * A record cut short (kill -9) or damaged after its header is read up to
 * its last whole line; source_replay_note() then says where and why, and
 * the jobs still running at that line are shown as ended there.
 *
 * Caps: none (nothing runs): no load, start, stop, restart or knobs. The
 * report is the trailer's: fio's JSON as the run wrote it, and fio's
 * normal text when the recording carries it. */
#ifndef IOLAB_SOURCE_REPLAY_H
#define IOLAB_SOURCE_REPLAY_H

#include <stdbool.h>
#include <stddef.h>

#include "source.h"

#define REPLAY_BASE_NS 1000000000ull

/* Open recording @path. Returns 0 with *@out (loading), or -errno with
 * "FILE:LINE: why" in @err (not a recording, a newer format, unreadable). */
int source_replay_new(const char *path, struct source **out, char *err, size_t errlen);

/* Wait until the whole file is loaded (headless use, tests). */
void source_replay_wait(struct source *s);
/* True once the loader is done. */
bool source_replay_loaded(struct source *s);
/* "" or why the load stopped short ("FILE:LINE: ..."); valid once loaded. */
const char *source_replay_note(struct source *s);
/* The recorded jobs as fio job-file text ([global], then one section per
 * job, clones apart), for a front end's own job list; valid while @s is. */
const char *source_replay_jobtext(struct source *s);

#endif
