/* fio's client/server wire protocol, as `fio --server` speaks it.
 *
 * Every command is a 24-byte little-endian header followed by its payload:
 *   u16 version, u16 opcode, u32 flags, u64 tag, u32 pdu_len,
 *   u16 cmd_crc16 (over the 20 bytes before it), u16 pdu_crc16 (over the
 *   payload). A payload longer than FIOP_FRAG_MAX goes out as several
 *   fragments of the same opcode, each but the last flagged FIOP_F_MORE.
 * CRCs are CRC-16/ARC (poly 0x8005 reflected, init 0).
 *
 * This file knows bytes only: no sockets, no clocks, no allocation beyond
 * the reader's message buffer. backend/fioclient.c drives connections.
 * Decoders never trust the network: every length and count is checked
 * against what arrived, and a refusal says what was wrong in r->err /
 * the caller's error buffer. Functions return 0 or -errno unless stated.
 */
#ifndef IOLAB_FIOPROTO_H
#define IOLAB_FIOPROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FIOP_HDR_LEN   24
#define FIOP_FRAG_MAX  1024
#define FIOP_F_MORE    0x1u
#define FIOP_PORT      8765
/* A whole (reassembled) message larger than this is refused. fio's own
 * limit is far larger; the largest thing iolab asks for is a TS (~180 KiB)
 * or an IOLOG chunk. */
#define FIOP_MSG_MAX   (64u << 20)

enum fiop_op {
	FIOP_QUIT = 1, FIOP_EXIT, FIOP_JOB, FIOP_JOBLINE, FIOP_TEXT, FIOP_TS,
	FIOP_GS, FIOP_SEND_ETA, FIOP_ETA, FIOP_PROBE, FIOP_START, FIOP_STOP,
	FIOP_DU, FIOP_SERVER_START, FIOP_ADD_JOB, FIOP_RUN, FIOP_IOLOG,
	FIOP_UPDATE_JOB, FIOP_LOAD_FILE, FIOP_VTRIGGER, FIOP_SENDFILE,
	FIOP_JOB_OPT,
	FIOP_OP_NR,
};

/* Name of an opcode ("TS"), or "UNKNOWN" for one outside the table. */
const char *fiop_op_name(unsigned op);

/* The protocol versions iolab speaks, as text for messages ("97 (fio 3.33)"),
 * and whether @version is one of them. */
const char *fiop_versions_text(void);
bool fiop_version_known(unsigned version);
#define FIOP_VERSION 97 /* what iolab sends */

uint16_t fiop_crc16(const void *buf, size_t len);

struct fiop_hdr {
	uint16_t version, opcode;
	uint32_t flags;
	uint64_t tag;
	uint32_t pdu_len;
	uint16_t cmd_crc, pdu_crc;
};

/* Fill @out with the header for @pdu (its crc computed over pdu[0..len)). */
void fiop_hdr_encode(uint8_t out[FIOP_HDR_LEN], uint16_t version, uint16_t opcode,
		     uint32_t flags, uint64_t tag, const void *pdu, uint32_t len);

/* Decode and check a header. -EBADMSG: bad header crc; -EPROTO: a version
 * iolab does not speak (h->version holds the peer's); -EMSGSIZE: pdu_len
 * over FIOP_FRAG_MAX. @err gets the reason in words. */
int fiop_hdr_decode(const uint8_t in[FIOP_HDR_LEN], struct fiop_hdr *h,
		    char *err, size_t errlen);

/* Encode @opcode with @pdu (@len bytes) into fragments, in a malloc'd
 * buffer *@out of *@outlen bytes (caller frees). */
int fiop_build(uint16_t opcode, uint64_t tag, const void *pdu, size_t len,
	       uint8_t **out, size_t *outlen);

/* Incremental reader: feed it bytes as they arrive, it hands back whole
 * (defragmented, crc-checked) messages. One reader per connection. */
struct fiop_reader {
	uint8_t hdr[FIOP_HDR_LEN];
	size_t hdr_have;
	struct fiop_hdr cur;       /* header of the fragment being read */
	size_t frag_have;          /* payload bytes of it read so far */
	bool in_msg;               /* fragments of a message are pending */
	bool done;                 /* msg holds a whole message not yet taken */
	uint16_t opcode;           /* of the message being assembled */
	uint64_t tag;
	uint8_t *msg;              /* reassembled payload, +1 byte for a NUL */
	size_t msg_len, msg_cap;
	uint16_t peer_version;     /* version field of the last header read */
	char err[200];             /* after an error: what was wrong */
};

struct fiop_msg {
	uint16_t opcode;
	uint64_t tag;
	const uint8_t *pdu;        /* owned by the reader; NUL-terminated */
	size_t len;                /* valid until the next fiop_reader_feed */
};

void fiop_reader_init(struct fiop_reader *r);
void fiop_reader_free(struct fiop_reader *r);
/* Consume bytes from @buf (@len). Returns 1 with *@m set when a message is
 * complete (*@used says how many bytes were taken: feed the rest again),
 * 0 when all of @buf was taken and more is needed, or -errno (r->err says
 * why; the reader is then unusable). */
int fiop_reader_feed(struct fiop_reader *r, const uint8_t *buf, size_t len,
		     size_t *used, struct fiop_msg *m);
/* True when bytes of an unfinished message are buffered (a peer that
 * closes now cut a packet short). */
bool fiop_reader_partial(const struct fiop_reader *r);

/* ------------------------------------------------------------ payloads */

#define FIOP_PROBE_LEN   (8 + 128)
/* PROBE request payload: flags 0 (no zlib), @server: the name we call it. */
void fiop_probe_encode(uint8_t out[FIOP_PROBE_LEN], const char *server);

struct fiop_probe {
	char hostname[65];
	char fio_version[33];
	unsigned bigendian, os, arch, bpp, cpus;
	uint64_t flags;
};
int fiop_probe_decode(const uint8_t *p, size_t len, struct fiop_probe *o,
		      char *err, size_t errlen);
const char *fiop_os_name(unsigned os);
const char *fiop_arch_name(unsigned arch);

/* JOB payload: the job file's text. */
int fiop_job_encode(const char *text, size_t len, uint8_t **out, size_t *outlen);

/* JOBLINE payload: a command line (@argv[0] is the program name) that the
 * server parses as fio's own, e.g. { "fio", "--status-interval=1" }. */
int fiop_jobline_encode(const char *const *argv, int argc, uint8_t **out,
			size_t *outlen);

struct fiop_start { uint32_t jobs, stat_outputs; };     /* START */
struct fiop_stop { uint32_t error, signal; };           /* STOP */
struct fiop_text { uint32_t level; const char *buf; size_t len; };
struct fiop_add_job { uint32_t thread_number, groupid; };
struct fiop_job_opt { bool global; uint32_t groupid; char name[65], value[129]; };
struct fiop_eta {
	uint32_t nr_running, nr_ramp, nr_pending, nr_setting_up;
	uint64_t rate[3];           /* KiB/s */
	uint32_t iops[3];
	uint64_t elapsed_sec, eta_sec;   /* eta_sec INT32_MAX: not known yet */
	uint32_t nr_threads;
	char run_str[512];          /* runstate letters, condensed as fio
				     * sends them ("r(1),P(2)"), cut to fit */
};
/* Expand an ETA's run_str into one runstate letter per job, in thread
 * order (out[thread_number - 1]): fio condenses runs of a letter to
 * "L(N)" joined by commas ("r(1),w(1)", "P(2)"); plain letters ("rwP") are
 * taken as they are. Writes at most @max letters (no NUL). Returns how many
 * were written, or -EBADMSG for text of neither form (a count that is not
 * a number, an unclosed bracket). Letters: P not yet created, C created,
 * I initialized, / ramping, r w m R W M D d T t running (random or
 * sequential read, write, mixed, trim), p pre-reading, V verifying,
 * F fsyncing, f finishing, E exited, _ reaped, X an error. */
int fiop_runstr_expand(const char *s, char *out, size_t max);

int fiop_start_decode(const uint8_t *p, size_t len, struct fiop_start *o);
int fiop_stop_decode(const uint8_t *p, size_t len, struct fiop_stop *o);
int fiop_text_decode(const uint8_t *p, size_t len, struct fiop_text *o);
int fiop_add_job_decode(const uint8_t *p, size_t len, struct fiop_add_job *o);
int fiop_job_opt_decode(const uint8_t *p, size_t len, struct fiop_job_opt *o);
int fiop_eta_decode(const uint8_t *p, size_t len, struct fiop_eta *o);

/* IOLOG: a job's log (write_bw_log, write_lat_log, write_iops_log) sent
 * at its end, uncompressed (iolab's probe asks for no zlib). */
#define FIOP_IOLOG_HDR 288
enum { FIOP_LOG_LAT = 1, FIOP_LOG_CLAT, FIOP_LOG_SLAT, FIOP_LOG_BW, FIOP_LOG_IOPS,
       FIOP_LOG_HIST };
struct fiop_iolog {
	uint64_t nr_samples;
	uint32_t thread_number, log_type, compressed;
	char name[257];              /* as the job named it: may hold a path */
	const uint8_t *samples;      /* into the payload */
	size_t sample_size;          /* 32, or 40 when samples carry offsets */
};
struct fiop_sample {
	uint64_t time, value, bs, offset;   /* ms, the log's unit, bytes */
	uint32_t ddir;
	uint16_t prio;
	bool has_offset;
};
/* -EBADMSG: short, or the samples do not fill the payload; -ENOTSUP
 * (with @err saying why): compressed, or a histogram log. */
int fiop_iolog_decode(const uint8_t *p, size_t len, struct fiop_iolog *o, char *err,
		      size_t errlen);
/* Sample @i (< nr_samples) of a decoded log. */
void fiop_iolog_sample(const struct fiop_iolog *l, size_t i, struct fiop_sample *s);

/* --------------------------------------------------------- thread_stat */

#define FIOP_PLAT_BITS  6
#define FIOP_PLAT_VAL   (1 << FIOP_PLAT_BITS)
#define FIOP_PLAT_NR    (29 * FIOP_PLAT_VAL)   /* 1856 bins, nanoseconds */
#define FIOP_NPCT       20

enum { FIOP_SLAT, FIOP_CLAT, FIOP_LAT, FIOP_NLAT };

struct fiop_iostat { uint64_t max, min, samples; double mean, S; };

/* One job's figures from a TS message (its thread_stat and the group's
 * run stats), in host order, whatever the sender's version. */
struct fiop_ts {
	char name[129], verror[129], description[257];
	uint32_t error, thread_number, groupid, pid, members, unified_rw_rep;
	struct fiop_iostat lat[FIOP_NLAT][3];   /* [slat|clat|lat][ddir] */
	struct fiop_iostat bw[3], iops[3], sync;
	uint64_t usr_time, sys_time, ctx, minf, majf;
	uint32_t clat_percentiles, lat_percentiles, slat_percentiles;
	uint64_t percentile_precision;
	double percentile_list[FIOP_NPCT];
	uint64_t io_u_map[7], io_u_submit[7], io_u_complete[7];
	uint64_t io_u_lat_n[10], io_u_lat_u[10], io_u_lat_m[12];
	uint64_t plat[FIOP_NLAT][3][FIOP_PLAT_NR];
	uint64_t total_io_u[4], short_io_u[3], drop_io_u[3];
	uint64_t total_submit, total_complete;
	uint64_t io_bytes[3], runtime[3], total_run_time;
	uint32_t first_error;
	uint64_t total_err_count;
	uint32_t kb_base, unit_base, sig_figs;
	uint32_t latency_depth;       /* latency_target's result, 0 when unused */
	uint64_t latency_target, latency_window;
	double latency_percentile;
	/* group_run_stats */
	struct {
		uint64_t max_run[3], min_run[3], max_bw[3], min_bw[3], iobytes[3], agg[3];
		uint32_t kb_base, unit_base, sig_figs, groupid, unified_rw_rep;
	} rs;
};

/* Decode a TS payload sent by a server of protocol @version (the one its
 * headers carry). -EPROTONOSUPPORT: no layout for that version; -EBADMSG:
 * the payload is shorter than that version's layout. */
int fiop_ts_decode(unsigned version, const uint8_t *p, size_t len,
		   struct fiop_ts *o, char *err, size_t errlen);

/* Add @src's counters, bins and extremes into @dst (fio's summing of jobs:
 * io counts and bins add, min/max take the extremes, means weight by
 * samples). @dst starts zeroed (members 0). */
void fiop_ts_sum(struct fiop_ts *dst, const struct fiop_ts *src);

/* @cur minus @prev, both cumulative figures of the same job (a server
 * sends them every status interval): counters, bins and io_bytes of the
 * interval in @out, runtime the interval's ms. A counter that went back
 * (the job restarted) gives @cur's own. @out may not alias. */
void fiop_ts_delta(const struct fiop_ts *prev, const struct fiop_ts *cur,
		   struct fiop_ts *out);

/* Representative value (ns) of latency bin @idx. */
uint64_t fiop_plat_value(unsigned idx);
/* The @pct percentile (0 < pct <= 100) of @bins, in ns; 0 when empty. */
uint64_t fiop_plat_percentile(const uint64_t bins[FIOP_PLAT_NR], double pct);

#endif
