/* Data verification: what a verified write puts on disk, how a read is
 * checked, the log of blocks written, and the state file that lets a later
 * run verify what an interrupted one wrote.
 *
 * BLOCK FORMAT (verify=crc32c|md5|xxhash|sha256)
 * A written block is cut into sub-blocks of verify_interval bytes (0: one
 * sub-block for the whole block; a tail shorter than a header joins the
 * sub-block before it). Each sub-block starts with a struct verify_hdr
 * (72 bytes, little-endian) followed by its payload. The payload is a
 * deterministic function of (job seed, sub-block offset, generation): a
 * xoshiro256+ stream, or verify_pattern repeated when a pattern is set. The
 * header carries a crc32c of itself and the kind's checksum of the payload.
 * A block shorter than a header carries no header: its bytes, a function of
 * (seed, offset) only, are compared with the regenerated ones.
 *
 * verify=pattern: no header; verify_pattern is repeated from the first byte
 * of the block and checked byte for byte (as fio).
 *
 * WORKER CONTRACT
 *  - seed: one per job, verify_job_seed(); the same job file gives the same
 *    seed on every run, which verify_only and verify_state_load rely on.
 *  - generation: io_u->seq of the write, non-zero and increasing in
 *    submission order. A read being checked carries in io_u->seq the
 *    generation of the write it reads back (from the log, or from replaying
 *    the generator); 0 means "any generation" (payload regenerated from the
 *    header's generation).
 *  - verify_fill() before a write is queued; verify_log_add() when it
 *    completes without error (file = index of u->file in job->files);
 *    verify_check() when a verify read completes with error 0 and resid 0. A failed check returns -EILSEQ and a message;
 *    the worker applies verify_fatal / continue_on_error (COE_VERIFY).
 *  - do_verify=1: after the write phase, walk the log with verify_log_next()
 *    (file by file, ascending offset, overwritten blocks dropped) and read
 *    each block with IOU_VERIFY, io_u->seq = its generation.
 *  - verify_backlog=N: after every N completed writes,
 *    verify_log_backlog() hands back the blocks written since the last call
 *    that are still current; read and check them before writing on. Do not
 *    have a write to the same range in flight meanwhile.
 *  - verify_state_save: at the end of the write phase, and on stop/error,
 *    verify_state_save() the log. verify_state_load: verify_state_load()
 *    into an empty log (it returns the seed the data was written with),
 *    then verify it like do_verify, without writing.
 *  - verify_only=1 without a state file: no writes. Replay the workload
 *    generator from the same seeds exactly as the write job would run it
 *    (same rw, bs, offsets, same numbering of io_u->seq), but issue each
 *    would-be write as a read with IOU_VERIFY and check it; reads the write
 *    job would have issued are skipped. With overwrites (loops, norandommap,
 *    time_based) set io_u->seq = 0 so any generation is accepted.
 *
 * Threads: everything here is called from the job's worker thread; nothing
 * is shared. */
#ifndef IOLAB_VERIFY_H
#define IOLAB_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../engines/engine.h"
#include "options.h"

#define VERIFY_MAGIC 0x564c4f49u /* "IOLV" on disk */
#define VERIFY_HDR_VERSION 1
#define VERIFY_HDR_SIZE 72
#define VERIFY_CSUM_MAX 32

/* On-disk sub-block header, little-endian. hdr_crc is the crc32c of the
 * 72 header bytes with hdr_crc taken as zero. csum holds the payload
 * checksum (crc32c 4 bytes, xxhash 8, md5 16, sha256 32), rest zero. */
struct verify_hdr {
	uint32_t magic;
	uint8_t version;
	uint8_t kind;     /* enum verify_kind */
	uint16_t hdr_len; /* VERIFY_HDR_SIZE */
	uint32_t len;     /* bytes in this sub-block, header included */
	uint32_t hdr_crc;
	uint64_t offset;  /* byte offset of the sub-block in its file */
	uint64_t seed;    /* job seed */
	uint64_t gen;     /* generation of the write (io_u->seq) */
	uint8_t csum[VERIFY_CSUM_MAX];
};

/* "crc32c", "md5", ... or "none". */
const char *verify_kind_name(enum verify_kind k);
/* Bytes of payload checksum for @k (0 for none/pattern). */
unsigned verify_csum_len(enum verify_kind k);

/* Cross-checks the verify options against block sizes (a pattern for
 * verify=pattern, verify_interval at least a header and at most the
 * smallest write size). Returns 0 or -EINVAL with @err naming the option. */
int verify_opts_check(const struct job_opts *o, char *err, size_t errlen);

/* Seed for a job's verify data: from randseed (when set) and the job's
 * display name (clone suffix included), stable across runs. */
uint64_t verify_job_seed(const struct job_opts *o, const char *job_name);

/* Fills @u->buf (@u->buflen bytes at @u->offset, generation @u->seq) with
 * headers and payload. No-op when verify=none. */
void verify_fill(const struct job_opts *o, uint64_t seed, struct io_u *u);
/* Same on a plain buffer. */
void verify_fill_buf(const struct job_opts *o, uint64_t seed, void *buf, uint32_t len,
		     uint64_t offset, uint64_t gen);

/* Checks a completed read. Returns 0, or -EILSEQ with one line in @msg:
 * "verify: FILE: WHAT at offset X (block of N): DETAIL", X being the byte
 * offset of the bad (sub)block, e.g.
 *   "verify: /tmp/x: bad crc32c at offset 1052672 (block of 4096): expected
 *    0x1234abcd, found 0x00000000; first difference at offset 1052744 ..."
 *   "... misplaced block at offset 8192 (block of 4096): header says offset 4096"
 *   "... torn write at offset 0 (block of 8192): header ok, data bad from
 *    byte 4096 of 8192 (zeros); crc32c expected ..., found ..."
 * An io_u with IOU_TRIM_ZERO must read back as zeros. A short read
 * (resid != 0) fails. */
int verify_check(const struct job_opts *o, uint64_t seed, const struct io_u *u, char *msg,
		 size_t msglen);
/* Same on a plain buffer; @path names the file in the message (may be NULL). */
int verify_check_buf(const struct job_opts *o, uint64_t seed, const char *path,
		     const void *buf, uint32_t len, uint64_t offset, uint64_t gen, char *msg,
		     size_t msglen);

/* verify_dump=1, after verify_check() failed on @u: the sub-block that
 * failed, as read and as written, to "DIR/NAME.OFFSET.received" and
 * ".expected" (NAME: the file's base name, OFFSET: the sub-block's byte
 * offset; @dir NULL: the working directory), as fio names its dumps. Like
 * fio, only data failures are dumped, not rejected headers. Written
 * through lib/outfile (regular files only, replaced). Returns 0 or
 * -errno; @msg says what was written or why not ("" when nothing was). */
int verify_dump(const struct job_opts *o, uint64_t seed, const struct io_u *u, const char *dir,
		char *msg, size_t msglen);

/* ---- written-block log ----
 * The set of blocks whose writes completed, as runs of equal-sized,
 * adjacent blocks whose generations step evenly, in a treap ordered by
 * (file index, offset). Sequential writes stay a handful of runs whatever their number;
 * out-of-order completions are joined back as the gaps fill. A block
 * overlapping newer writes is dropped: the last completed write wins. */
struct verify_block {
	unsigned file;   /* index in job->files */
	uint32_t len;
	uint64_t offset;
	uint64_t gen;
};

struct verify_log_node;

struct verify_log {
	struct verify_log_node *root;
	struct verify_log_node *cache[2]; /* spare nodes, so an add cannot fail half way */
	uint64_t nr_runs, nr_blocks, bytes;
	uint64_t prio_state;
	/* verify_backlog ring: the last backlog_cap blocks added */
	struct verify_block *ring;
	unsigned backlog_cap, ring_head;
	uint64_t backlog_pending;
};

/* A position in a walk; start it zeroed. */
struct verify_cursor {
	unsigned file;
	uint64_t next;
	bool done;
};

/* @backlog: verify_backlog (0: no backlog ring). Returns 0 or -ENOMEM. */
int verify_log_init(struct verify_log *l, unsigned backlog);
void verify_log_free(struct verify_log *l);
/* Records a completed write. Returns 0 or -ENOMEM (log unchanged). */
int verify_log_add(struct verify_log *l, unsigned file, uint64_t offset, uint32_t len,
		   uint64_t gen);
/* The current block of @file starting exactly at @offset: true and *@out,
 * or false. */
bool verify_log_lookup(const struct verify_log *l, unsigned file, uint64_t offset,
		       struct verify_block *out);
/* Next block in (file, offset) order; false when the walk is over. The log
 * may be added to between calls (blocks behind the cursor are not
 * revisited). */
bool verify_log_next(const struct verify_log *l, struct verify_cursor *c, struct verify_block *out);
/* Blocks added since the last call (at most @max and the ring's size), newest
 * last, skipping any overwritten since. Resets the pending count. */
unsigned verify_log_backlog(struct verify_log *l, struct verify_block *out, unsigned max);
/* Completed writes since the last verify_log_backlog(). */
static inline uint64_t verify_log_pending(const struct verify_log *l)
{
	return l->backlog_pending;
}

/* ---- state file ----
 * Little-endian, written to PATH.tmp then renamed over PATH:
 *   0  8  magic "IOLVSTA1"
 *   8  4  format version (1)
 *  12  4  header size (64)
 *  16  8  job seed
 *  24  4  verify kind (enum verify_kind)
 *  28  4  verify_interval
 *  32  8  number of runs R
 *  40  8  number of blocks
 *  48  8  bytes covered
 *  56  4  crc32c of the R run records
 *  60  4  crc32c of bytes 0..59
 *  64     R records of 40 bytes, ascending (file, offset), non-overlapping:
 *         0 offset u64, 8 block length u32, 12 block count u32,
 *         16 first generation u64, 24 generation step u64 (0 when count
 *         is 1), 32 file index u32, 36 reserved u32 (0)
 * Block i of a run is at offset + i * length with generation
 * first + i * step.
 */
#define VERIFY_STATE_MAGIC "IOLVSTA1"
#define VERIFY_STATE_VERSION 1

/* Writes @l. Returns 0 or -errno with @err ("verify_state_save: PATH: why"). */
int verify_state_save(const struct verify_log *l, const char *path, uint64_t seed,
		      const struct job_opts *o, char *err, size_t errlen);
/* Reads PATH into the empty log @l and stores the seed the blocks were
 * written with in *@seed (use it for verify_check). When @o is given, the
 * file's verify kind and interval must match it. Returns 0 or -errno
 * (-EINVAL for a bad or mismatched file) with @err saying which and why;
 * the log is left empty on failure. */
int verify_state_load(struct verify_log *l, const char *path, const struct job_opts *o,
		      uint64_t *seed, char *err, size_t errlen);
/* State file name for a job: @opt is the option's value. "1" or "" means
 * the current directory; an existing directory D gives
 * "D/<job_name>-verify.state"; anything else is used as the file name.
 * Returns 0 or -ENAMETOOLONG. */
int verify_state_path(char *buf, size_t len, const char *opt, const char *job_name);

#endif
