/* Reading recordings back fast (docs/recording.md): the file is read in
 * large chunks, the header line parsed whole (lib/jsonr), then every line
 * handed out in file order. Tick lines, nearly all of a recording, go through a lean
 * scanner that fills a struct sample and the histogram pairs without
 * building a tree; every other line is parsed whole.
 *
 * A file cut short (kill -9) or damaged after its header is read up to its
 * last good line: recread_next() then ends and recread_note() says where
 * and why ("FILE:LINE: the record is cut short here ..."). A file that is
 * not a recording, or is from a newer format, is refused by recread_open()
 * with "FILE:LINE: why".
 *
 * One reader is used by one thread at a time; no global state. */
#ifndef IOLAB_RECREAD_H
#define IOLAB_RECREAD_H

#include <stddef.h>
#include <stdint.h>

#include "../lib/jsonr.h"
#include "samples.h"

struct recread;

/* One tick line: the sample (job, interval, figures) and, per direction,
 * the histogram pairs it carried (nhist[d] (bucket, count) pairs, as the
 * file has them: samples_append_heat checks them). */
struct rr_tick {
	struct sample s;
	size_t nhist[DDIR_RWDIR_CNT];
	uint64_t hist[DDIR_RWDIR_CNT][2 * SAMPLES_HEAT_NR];
};

enum rr_line {
	RR_END = 0, /* no more lines (recread_note says why if not the end) */
	RR_TICK,    /* a tick line, in the rr_tick */
	RR_OTHER,   /* any other line, parsed whole into the jv (with "type") */
};

/* Open @path. Returns 0 with *@out, -EINVAL when it is not a recording
 * (empty, no header, a fio JSON result) or from a newer version, with
 * "FILE:LINE: why" in @err, or another -errno ("FILE: why"). A fio JSON
 * result is refused with -ENOMSG (compare reads those its own way). */
int recread_open(const char *path, struct recread **out, char *err, size_t errlen);
void recread_close(struct recread *r);

/* The header line, parsed (valid until recread_close). */
const struct jv *recread_header(const struct recread *r);
/* Moves the header into @out (the caller frees it with jv_free); the
 * reader's is empty after. */
void recread_take_header(struct recread *r, struct jv *out);
/* The next line after the header. RR_OTHER: @v holds it (the caller frees
 * it with jv_free); RR_TICK: @t; RR_END: neither. */
enum rr_line recread_next(struct recread *r, struct rr_tick *t, struct jv *v);
/* Why reading stopped short ("" while it has not, or at a clean end). */
const char *recread_note(const struct recread *r);
/* Whole lines read so far (the header is line 1). */
unsigned recread_lines(const struct recread *r);
/* Bytes read so far and the file's size, for progress. */
size_t recread_offset(const struct recread *r);
size_t recread_size(const struct recread *r);

/* Scan one tick line @p (@len bytes, no newline) into @t. Returns 1 for a
 * tick, 0 when the line is valid JSON but not a tick (or a tick the lean
 * scanner leaves to the full parser), -1 when it is not valid JSON as far
 * as the scanner can tell. Exposed for tests. */
int recread_scan_tick(const char *p, size_t len, struct rr_tick *t);

/* The raw text of member @key of the JSON object @line (@len bytes), as
 * written (no copy): 0 with *@val, *@vlen, or -ENOENT (no such member, or
 * @line is not an object the scanner reads). */
int recread_raw_member(const char *line, size_t len, const char *key, const char **val,
		       size_t *vlen);
/* The raw text of the line recread_next() returned last (no newline);
 * valid until the next recread_next or recread_close. */
const char *recread_last_line(const struct recread *r, size_t *len);

#endif
