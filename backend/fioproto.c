/* fio's client/server wire format: see fioproto.h. */
#include "backend/fioproto.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const op_names[FIOP_OP_NR] = {
	[FIOP_QUIT] = "QUIT", [FIOP_EXIT] = "EXIT", [FIOP_JOB] = "JOB",
	[FIOP_JOBLINE] = "JOBLINE", [FIOP_TEXT] = "TEXT", [FIOP_TS] = "TS",
	[FIOP_GS] = "GS", [FIOP_SEND_ETA] = "SEND_ETA", [FIOP_ETA] = "ETA",
	[FIOP_PROBE] = "PROBE", [FIOP_START] = "START", [FIOP_STOP] = "STOP",
	[FIOP_DU] = "DU", [FIOP_SERVER_START] = "SERVER_START",
	[FIOP_ADD_JOB] = "ADD_JOB", [FIOP_RUN] = "RUN", [FIOP_IOLOG] = "IOLOG",
	[FIOP_UPDATE_JOB] = "UPDATE_JOB", [FIOP_LOAD_FILE] = "LOAD_FILE",
	[FIOP_VTRIGGER] = "VTRIGGER", [FIOP_SENDFILE] = "SENDFILE",
	[FIOP_JOB_OPT] = "JOB_OPT",
};

const char *fiop_op_name(unsigned op)
{
	return op < FIOP_OP_NR && op_names[op] ? op_names[op] : "UNKNOWN";
}

/* ------------------------------------------------------ little endian */

static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}
static uint64_t get64(const uint8_t *p) { return get32(p) | (uint64_t)get32(p + 4) << 32; }
static double getdbl(const uint8_t *p)
{
	uint64_t v = get64(p);
	double d;

	memcpy(&d, &v, sizeof(d));
	return d;
}
static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *p, uint32_t v) { put16(p, (uint16_t)v); put16(p + 2, (uint16_t)(v >> 16)); }
static void put64(uint8_t *p, uint64_t v) { put32(p, (uint32_t)v); put32(p + 4, (uint32_t)(v >> 32)); }

/* Copy a fixed-size, maybe unterminated, string field. Control bytes
 * become '?': names from the network reach terminals and file names. */
static void getstr(char *dst, size_t dstlen, const uint8_t *src, size_t srclen)
{
	size_t n = strnlen((const char *)src, srclen < dstlen - 1 ? srclen : dstlen - 1);

	for (size_t i = 0; i < n; i++)
		dst[i] = src[i] < 0x20 || src[i] == 0x7f ? '?' : (char)src[i];
	dst[n] = '\0';
}

/* ---------------------------------------------------------------- crc */

uint16_t fiop_crc16(const void *buf, size_t len)
{
	static uint16_t table[256];
	static int ready; /* benign race: every thread computes the same table */
	const uint8_t *p = buf;
	uint16_t crc = 0;

	if (!__atomic_load_n(&ready, __ATOMIC_ACQUIRE)) {
		for (unsigned i = 0; i < 256; i++) {
			uint16_t c = (uint16_t)i;
			for (int b = 0; b < 8; b++)
				c = (c & 1) ? (uint16_t)((c >> 1) ^ 0xA001) : (uint16_t)(c >> 1);
			table[i] = c;
		}
		__atomic_store_n(&ready, 1, __ATOMIC_RELEASE);
	}
	while (len--)
		crc = (uint16_t)((crc >> 8) ^ table[(crc ^ *p++) & 0xff]);
	return crc;
}

/* ------------------------------------------------------------ versions */

bool fiop_version_known(unsigned version)
{
	return version == 97;
}

const char *fiop_versions_text(void)
{
	return "97 (fio 3.33)";
}

/* -------------------------------------------------------------- header */

void fiop_hdr_encode(uint8_t out[FIOP_HDR_LEN], uint16_t version, uint16_t opcode,
		     uint32_t flags, uint64_t tag, const void *pdu, uint32_t len)
{
	put16(out, version);
	put16(out + 2, opcode);
	put32(out + 4, flags);
	put64(out + 8, tag);
	put32(out + 16, len);
	put16(out + 20, fiop_crc16(out, 20));
	put16(out + 22, fiop_crc16(pdu, len));
}

int fiop_hdr_decode(const uint8_t in[FIOP_HDR_LEN], struct fiop_hdr *h,
		    char *err, size_t errlen)
{
	uint16_t crc = fiop_crc16(in, 20);

	h->version = get16(in);
	h->opcode = get16(in + 2);
	h->flags = get32(in + 4);
	h->tag = get64(in + 8);
	h->pdu_len = get32(in + 16);
	h->cmd_crc = get16(in + 20);
	h->pdu_crc = get16(in + 22);
	if (crc != h->cmd_crc) {
		snprintf(err, errlen, "bad header crc (got %#x, computed %#x): not a fio "
			 "server, or a damaged stream", h->cmd_crc, crc);
		return -EBADMSG;
	}
	if (!fiop_version_known(h->version)) {
		snprintf(err, errlen, "server speaks fio protocol version %u; iolab speaks %s "
			 "(run a fio of that protocol on the server)", h->version,
			 fiop_versions_text());
		return -EPROTO;
	}
	if (h->pdu_len > FIOP_FRAG_MAX) {
		snprintf(err, errlen, "%s fragment of %u bytes, over the protocol's %u",
			 fiop_op_name(h->opcode), h->pdu_len, FIOP_FRAG_MAX);
		return -EMSGSIZE;
	}
	return 0;
}

int fiop_build(uint16_t opcode, uint64_t tag, const void *pdu, size_t len,
	       uint8_t **out, size_t *outlen)
{
	size_t nfrag = len ? (len + FIOP_FRAG_MAX - 1) / FIOP_FRAG_MAX : 1;
	uint8_t *buf = malloc(nfrag * FIOP_HDR_LEN + len), *w = buf;
	const uint8_t *src = pdu;

	if (!buf)
		return -ENOMEM;
	do {
		uint32_t n = len > FIOP_FRAG_MAX ? FIOP_FRAG_MAX : (uint32_t)len;

		fiop_hdr_encode(w, FIOP_VERSION, opcode, n < len ? FIOP_F_MORE : 0, tag,
				src, n);
		if (n)
			memcpy(w + FIOP_HDR_LEN, src, n);
		w += FIOP_HDR_LEN + n;
		src += n;
		len -= n;
	} while (len);
	*out = buf;
	*outlen = (size_t)(w - buf);
	return 0;
}

/* -------------------------------------------------------------- reader */

void fiop_reader_init(struct fiop_reader *r)
{
	memset(r, 0, sizeof(*r));
}

void fiop_reader_free(struct fiop_reader *r)
{
	free(r->msg);
	r->msg = NULL;
	r->msg_cap = 0;
}

bool fiop_reader_partial(const struct fiop_reader *r)
{
	return r->hdr_have || r->in_msg;
}

static int reader_fail(struct fiop_reader *r, int e)
{
	r->in_msg = false;
	r->hdr_have = 0;
	return e;
}

int fiop_reader_feed(struct fiop_reader *r, const uint8_t *buf, size_t len,
		     size_t *used, struct fiop_msg *m)
{
	size_t off = 0;
	int ret;

	if (r->done) {         /* the previous message was taken */
		r->done = false;
		r->msg_len = 0;
	}
	while (off < len) {
		if (r->hdr_have < FIOP_HDR_LEN) {
			size_t n = FIOP_HDR_LEN - r->hdr_have;

			if (n > len - off)
				n = len - off;
			memcpy(r->hdr + r->hdr_have, buf + off, n);
			r->hdr_have += n;
			off += n;
			if (r->hdr_have < FIOP_HDR_LEN)
				break;
			r->peer_version = get16(r->hdr);
			ret = fiop_hdr_decode(r->hdr, &r->cur, r->err, sizeof(r->err));
			if (ret)
				return reader_fail(r, ret);
			if (r->in_msg && r->cur.opcode != r->opcode) {
				snprintf(r->err, sizeof(r->err), "fragment of %s inside a %s "
					 "message", fiop_op_name(r->cur.opcode),
					 fiop_op_name(r->opcode));
				return reader_fail(r, -EBADMSG);
			}
			if (!r->in_msg) {
				r->in_msg = true;
				r->opcode = r->cur.opcode;
				r->tag = r->cur.tag;
				r->msg_len = 0;
			}
			if (r->msg_len + r->cur.pdu_len > FIOP_MSG_MAX) {
				snprintf(r->err, sizeof(r->err), "%s message over %u MiB",
					 fiop_op_name(r->opcode), FIOP_MSG_MAX >> 20);
				return reader_fail(r, -EMSGSIZE);
			}
			if (r->msg_len + r->cur.pdu_len + 1 > r->msg_cap) {
				size_t cap = r->msg_cap ? r->msg_cap : 4096;
				uint8_t *nm;

				while (cap < r->msg_len + r->cur.pdu_len + 1)
					cap *= 2;
				nm = realloc(r->msg, cap);
				if (!nm) {
					snprintf(r->err, sizeof(r->err), "out of memory");
					return reader_fail(r, -ENOMEM);
				}
				r->msg = nm;
				r->msg_cap = cap;
			}
			r->frag_have = 0;
		}
		if (r->frag_have < r->cur.pdu_len) {
			size_t n = r->cur.pdu_len - r->frag_have;

			if (n > len - off)
				n = len - off;
			memcpy(r->msg + r->msg_len + r->frag_have, buf + off, n);
			r->frag_have += n;
			off += n;
			if (r->frag_have < r->cur.pdu_len)
				break;
		}
		/* a whole fragment */
		{
			uint16_t crc = fiop_crc16(r->msg + r->msg_len, r->cur.pdu_len);

			if (crc != r->cur.pdu_crc) {
				snprintf(r->err, sizeof(r->err), "bad payload crc on %s (got %#x, "
					 "computed %#x)", fiop_op_name(r->opcode),
					 r->cur.pdu_crc, crc);
				return reader_fail(r, -EBADMSG);
			}
		}
		r->msg_len += r->cur.pdu_len;
		r->hdr_have = 0;
		if (r->cur.flags & FIOP_F_MORE)
			continue;
		r->in_msg = false;
		r->done = true;
		r->msg[r->msg_len] = '\0';
		m->opcode = r->opcode;
		m->tag = r->tag;
		m->pdu = r->msg;
		m->len = r->msg_len;
		*used = off;
		return 1;
	}
	*used = off;
	return 0;
}

/* ------------------------------------------------------------ payloads */

void fiop_probe_encode(uint8_t out[FIOP_PROBE_LEN], const char *server)
{
	memset(out, 0, FIOP_PROBE_LEN);
	snprintf((char *)out + 8, 128, "%s", server ? server : "");
}

static const char *const os_names[] = {
	NULL, "Linux", "AIX", "FreeBSD", "HP-UX", "OSX", "NetBSD", "OpenBSD",
	"Solaris", "Windows", "Android", "DragonFly",
};
static const char *const arch_names[] = {
	NULL, "x86-64", "x86", "ppc", "ia64", "s390", "alpha", "sparc", "sparc64",
	"arm", "sh", "hppa", "mips", "aarch64", "generic",
};

const char *fiop_os_name(unsigned os)
{
	return os < sizeof(os_names) / sizeof(os_names[0]) && os_names[os] ?
		os_names[os] : "unknown";
}

const char *fiop_arch_name(unsigned arch)
{
	return arch < sizeof(arch_names) / sizeof(arch_names[0]) && arch_names[arch] ?
		arch_names[arch] : "unknown";
}

#define NEED(n, what) do { if (len < (n)) { \
	if (err) snprintf(err, errlen, "%s reply of %zu bytes, expected %zu", \
			  what, len, (size_t)(n)); \
	return -EBADMSG; } } while (0)

int fiop_probe_decode(const uint8_t *p, size_t len, struct fiop_probe *o,
		      char *err, size_t errlen)
{
	NEED(112, "PROBE");
	getstr(o->hostname, sizeof(o->hostname), p, 64);
	o->bigendian = p[64];
	getstr(o->fio_version, sizeof(o->fio_version), p + 65, 32);
	o->os = p[97];
	o->arch = p[98];
	o->bpp = p[99];
	o->cpus = get32(p + 100);
	o->flags = get64(p + 104);
	return 0;
}

int fiop_job_encode(const char *text, size_t len, uint8_t **out, size_t *outlen)
{
	uint8_t *b;

	if (len > FIOP_MSG_MAX - 8)
		return -EMSGSIZE;
	b = malloc(8 + len + 1);
	if (!b)
		return -ENOMEM;
	put32(b, (uint32_t)len);
	put32(b + 4, 1); /* client type: the command line client */
	memcpy(b + 8, text, len);
	b[8 + len] = '\0';
	*out = b;
	*outlen = 8 + len + 1;
	return 0;
}

int fiop_jobline_encode(const char *const *argv, int argc, uint8_t **out,
			size_t *outlen)
{
	size_t len = 4;
	uint8_t *b, *w;

	if (argc < 1 || argc > 0xffff)
		return -EINVAL;
	for (int i = 0; i < argc; i++) {
		size_t l = strlen(argv[i]) + 1;

		if (l > 0xffff)
			return -EINVAL;
		len += 2 + l;
	}
	b = malloc(len);
	if (!b)
		return -ENOMEM;
	put16(b, (uint16_t)argc);
	put16(b + 2, 1); /* client type: the command line client */
	w = b + 4;
	for (int i = 0; i < argc; i++) {
		size_t l = strlen(argv[i]) + 1;

		put16(w, (uint16_t)l);
		memcpy(w + 2, argv[i], l);
		w += 2 + l;
	}
	*out = b;
	*outlen = len;
	return 0;
}

#undef NEED
#define NEED(n) do { if (len < (n)) return -EBADMSG; } while (0)

int fiop_start_decode(const uint8_t *p, size_t len, struct fiop_start *o)
{
	NEED(8);
	o->jobs = get32(p);
	o->stat_outputs = get32(p + 4);
	return 0;
}

int fiop_stop_decode(const uint8_t *p, size_t len, struct fiop_stop *o)
{
	NEED(8);
	o->error = get32(p);
	o->signal = get32(p + 4);
	return 0;
}

int fiop_text_decode(const uint8_t *p, size_t len, struct fiop_text *o)
{
	NEED(24);
	o->level = get32(p);
	o->len = get32(p + 4);
	if (o->len > len - 24)
		return -EBADMSG;
	o->buf = (const char *)p + 24;
	return 0;
}

int fiop_add_job_decode(const uint8_t *p, size_t len, struct fiop_add_job *o)
{
	NEED(8);
	o->thread_number = get32(p);
	o->groupid = get32(p + 4);
	return 0;
}

int fiop_job_opt_decode(const uint8_t *p, size_t len, struct fiop_job_opt *o)
{
	NEED(200);
	o->global = get16(p) != 0;
	o->groupid = get32(p + 4);
	getstr(o->name, sizeof(o->name), p + 8, 64);
	getstr(o->value, sizeof(o->value), p + 72, 128);
	return 0;
}

int fiop_eta_decode(const uint8_t *p, size_t len, struct fiop_eta *o)
{
	NEED(168);
	memset(o, 0, sizeof(*o));
	o->nr_running = get32(p);
	o->nr_ramp = get32(p + 4);
	o->nr_pending = get32(p + 8);
	o->nr_setting_up = get32(p + 12);
	for (int d = 0; d < 3; d++) {
		o->rate[d] = get64(p + 64 + 8 * d);
		o->iops[d] = get32(p + 112 + 4 * d);
	}
	o->elapsed_sec = get64(p + 128);
	o->eta_sec = get64(p + 136);
	o->nr_threads = get32(p + 160);
	getstr(o->run_str, sizeof(o->run_str), p + 168, len - 168);
	return 0;
}

int fiop_iolog_decode(const uint8_t *p, size_t len, struct fiop_iolog *o, char *err,
		      size_t errlen)
{
	size_t body;

	NEED(FIOP_IOLOG_HDR);
	memset(o, 0, sizeof(*o));
	o->nr_samples = get64(p);
	o->thread_number = get32(p + 8);
	o->log_type = get32(p + 12);
	o->compressed = get32(p + 16);
	getstr(o->name, sizeof(o->name), p + 32, 256);
	o->samples = p + FIOP_IOLOG_HDR;
	if (o->compressed) {
		snprintf(err, errlen, "log %s is compressed (log_store_compressed): not "
			 "written", o->name);
		return -ENOTSUP;
	}
	if (o->log_type == FIOP_LOG_HIST) {
		snprintf(err, errlen, "log %s is a latency histogram log: not written",
			 o->name);
		return -ENOTSUP;
	}
	body = len - FIOP_IOLOG_HDR;
	if (!o->nr_samples) {
		o->sample_size = 32;
		return body ? -EBADMSG : 0;
	}
	if (o->nr_samples > body / 32)
		return -EBADMSG;
	o->sample_size = body / o->nr_samples;
	if ((o->sample_size != 32 && o->sample_size != 40) ||
	    o->sample_size * o->nr_samples != body)
		return -EBADMSG;
	return 0;
}

void fiop_iolog_sample(const struct fiop_iolog *l, size_t i, struct fiop_sample *s)
{
	const uint8_t *p = l->samples + i * l->sample_size;
	uint32_t dd = get32(p + 16);

	s->time = get64(p);
	s->value = get64(p + 8);
	s->ddir = dd & 0x7fffffffu;
	s->prio = get16(p + 20);
	s->bs = get64(p + 24);
	s->has_offset = l->sample_size == 40;
	s->offset = s->has_offset ? get64(p + 32) : 0;
}

int fiop_runstr_expand(const char *s, char *out, size_t max)
{
	size_t n = 0;

	while (*s) {
		char c = *s++;
		unsigned long count = 1;

		if (c == ',')
			continue;
		if (c == '(' || c == ')' || (unsigned char)c < 0x21 || (unsigned char)c > 0x7e)
			return -EBADMSG;
		if (*s == '(') {
			char *end;

			if (s[1] < '0' || s[1] > '9')
				return -EBADMSG;
			count = strtoul(s + 1, &end, 10);
			if (*end != ')')
				return -EBADMSG;
			s = end + 1;
		}
		for (; count && n < max; count--)
			out[n++] = c;
	}
	return (int)n;
}

/* --------------------------------------------------------- thread_stat */

/* Where each field of thread_stat + group_run_stats sits in a TS payload,
 * per protocol version. Arrays are contiguous little-endian elements;
 * io_stat is {max, min, samples, mean, S} with each double in a 16-byte
 * slot; the plat bins are [slat|clat|lat][ddir][FIOP_PLAT_NR].
 * Adding a fio release: one more entry in ts_layouts[]. */
enum ts_field {
	TF_NAME, TF_VERROR, TF_ERROR, TF_THREAD_NUMBER, TF_GROUPID, TF_PID,
	TF_DESCRIPTION, TF_MEMBERS, TF_UNIFIED_RW_REP, TF_SYNC_STAT,
	TF_CLAT_STAT, TF_SLAT_STAT, TF_LAT_STAT, TF_BW_STAT, TF_IOPS_STAT,
	TF_USR_TIME, TF_SYS_TIME, TF_CTX, TF_MINF, TF_MAJF,
	TF_CLAT_PCT, TF_LAT_PCT, TF_SLAT_PCT, TF_PCT_PRECISION, TF_PCT_LIST,
	TF_IO_U_MAP, TF_IO_U_SUBMIT, TF_IO_U_COMPLETE, TF_LAT_N, TF_LAT_U, TF_LAT_M,
	TF_PLAT, TF_TOTAL_IO_U, TF_SHORT_IO_U, TF_DROP_IO_U, TF_TOTAL_SUBMIT,
	TF_TOTAL_COMPLETE, TF_IO_BYTES, TF_RUNTIME, TF_TOTAL_RUN_TIME,
	TF_FIRST_ERROR, TF_TOTAL_ERR_COUNT, TF_KB_BASE, TF_UNIT_BASE, TF_SIG_FIGS,
	TF_LATENCY_DEPTH, TF_LATENCY_TARGET, TF_LATENCY_PCT, TF_LATENCY_WINDOW,
	TF_RS,       /* group_run_stats: max_run[3] min_run[3] max_bw[3] min_bw[3]
		      * iobytes[3] agg[3] then u32 kb_base unit_base sig_figs
		      * groupid unified_rw_rep */
	TF_NR,
};

struct ts_layout {
	unsigned version;
	const char *fio;        /* the releases that speak it */
	uint32_t iostat_size;   /* bytes of one io_stat */
	uint32_t size;          /* the whole TS payload without extensions */
	uint32_t off[TF_NR];
};

static const struct ts_layout ts_layouts[] = {
	{ .version = 97, .fio = "3.33", .iostat_size = 56, .size = 184056, .off = {
		[TF_NAME] = 0, [TF_VERROR] = 128, [TF_ERROR] = 256,
		[TF_THREAD_NUMBER] = 260, [TF_GROUPID] = 264, [TF_PID] = 268,
		[TF_DESCRIPTION] = 272, [TF_MEMBERS] = 528, [TF_UNIFIED_RW_REP] = 532,
		[TF_SYNC_STAT] = 544, [TF_CLAT_STAT] = 600, [TF_SLAT_STAT] = 768,
		[TF_LAT_STAT] = 936, [TF_BW_STAT] = 1104, [TF_IOPS_STAT] = 1272,
		[TF_USR_TIME] = 1440, [TF_SYS_TIME] = 1448, [TF_CTX] = 1456,
		[TF_MINF] = 1464, [TF_MAJF] = 1472, [TF_CLAT_PCT] = 1480,
		[TF_LAT_PCT] = 1484, [TF_SLAT_PCT] = 1488, [TF_PCT_PRECISION] = 1496,
		[TF_PCT_LIST] = 1504, [TF_IO_U_MAP] = 1824, [TF_IO_U_SUBMIT] = 1880,
		[TF_IO_U_COMPLETE] = 1936, [TF_LAT_N] = 1992, [TF_LAT_U] = 2072,
		[TF_LAT_M] = 2152, [TF_PLAT] = 2248, [TF_TOTAL_IO_U] = 150728,
		[TF_SHORT_IO_U] = 150760, [TF_DROP_IO_U] = 150784,
		[TF_TOTAL_SUBMIT] = 150808, [TF_TOTAL_COMPLETE] = 150816,
		[TF_IO_BYTES] = 150824, [TF_RUNTIME] = 150848,
		[TF_TOTAL_RUN_TIME] = 150872, [TF_FIRST_ERROR] = 150884,
		[TF_TOTAL_ERR_COUNT] = 150888, [TF_KB_BASE] = 183680,
		[TF_UNIT_BASE] = 183684, [TF_LATENCY_DEPTH] = 183688,
		[TF_LATENCY_TARGET] = 183696, [TF_LATENCY_PCT] = 183704,
		[TF_LATENCY_WINDOW] = 183720, [TF_SIG_FIGS] = 183728, [TF_RS] = 183888,
	} },
};

static const struct ts_layout *ts_layout_find(unsigned version)
{
	for (size_t i = 0; i < sizeof(ts_layouts) / sizeof(ts_layouts[0]); i++)
		if (ts_layouts[i].version == version)
			return &ts_layouts[i];
	return NULL;
}

static void get_iostat(struct fiop_iostat *s, const uint8_t *p)
{
	s->max = get64(p);
	s->min = get64(p + 8);
	s->samples = get64(p + 16);
	s->mean = getdbl(p + 24);
	s->S = getdbl(p + 40);
}

static void get64s(uint64_t *dst, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dst[i] = get64(p + 8 * i);
}

int fiop_ts_decode(unsigned version, const uint8_t *p, size_t len,
		   struct fiop_ts *o, char *err, size_t errlen)
{
	const struct ts_layout *l = ts_layout_find(version);
	const uint32_t *off;
	const uint8_t *rs;

	if (!l) {
		snprintf(err, errlen, "no thread_stat layout for protocol version %u "
			 "(iolab reads %s)", version, fiop_versions_text());
		return -EPROTONOSUPPORT;
	}
	if (len < l->size) {
		snprintf(err, errlen, "TS of %zu bytes; protocol %u (fio %s) sends %u",
			 len, version, l->fio, l->size);
		return -EBADMSG;
	}
	off = l->off;
	memset(o, 0, sizeof(*o));
	getstr(o->name, sizeof(o->name), p + off[TF_NAME], 128);
	getstr(o->verror, sizeof(o->verror), p + off[TF_VERROR], 128);
	getstr(o->description, sizeof(o->description), p + off[TF_DESCRIPTION], 256);
	o->error = get32(p + off[TF_ERROR]);
	o->thread_number = get32(p + off[TF_THREAD_NUMBER]);
	o->groupid = get32(p + off[TF_GROUPID]);
	o->pid = get32(p + off[TF_PID]);
	o->members = get32(p + off[TF_MEMBERS]);
	o->unified_rw_rep = get32(p + off[TF_UNIFIED_RW_REP]);
	get_iostat(&o->sync, p + off[TF_SYNC_STAT]);
	for (int d = 0; d < 3; d++) {
		size_t so = (size_t)d * l->iostat_size;

		get_iostat(&o->lat[FIOP_CLAT][d], p + off[TF_CLAT_STAT] + so);
		get_iostat(&o->lat[FIOP_SLAT][d], p + off[TF_SLAT_STAT] + so);
		get_iostat(&o->lat[FIOP_LAT][d], p + off[TF_LAT_STAT] + so);
		get_iostat(&o->bw[d], p + off[TF_BW_STAT] + so);
		get_iostat(&o->iops[d], p + off[TF_IOPS_STAT] + so);
	}
	o->usr_time = get64(p + off[TF_USR_TIME]);
	o->sys_time = get64(p + off[TF_SYS_TIME]);
	o->ctx = get64(p + off[TF_CTX]);
	o->minf = get64(p + off[TF_MINF]);
	o->majf = get64(p + off[TF_MAJF]);
	o->clat_percentiles = get32(p + off[TF_CLAT_PCT]);
	o->lat_percentiles = get32(p + off[TF_LAT_PCT]);
	o->slat_percentiles = get32(p + off[TF_SLAT_PCT]);
	o->percentile_precision = get64(p + off[TF_PCT_PRECISION]);
	for (int i = 0; i < FIOP_NPCT; i++)
		o->percentile_list[i] = getdbl(p + off[TF_PCT_LIST] + 16 * i);
	get64s(o->io_u_map, p + off[TF_IO_U_MAP], 7);
	get64s(o->io_u_submit, p + off[TF_IO_U_SUBMIT], 7);
	get64s(o->io_u_complete, p + off[TF_IO_U_COMPLETE], 7);
	get64s(o->io_u_lat_n, p + off[TF_LAT_N], 10);
	get64s(o->io_u_lat_u, p + off[TF_LAT_U], 10);
	get64s(o->io_u_lat_m, p + off[TF_LAT_M], 12);
	get64s(&o->plat[0][0][0], p + off[TF_PLAT], (size_t)FIOP_NLAT * 3 * FIOP_PLAT_NR);
	get64s(o->total_io_u, p + off[TF_TOTAL_IO_U], 4);
	get64s(o->short_io_u, p + off[TF_SHORT_IO_U], 3);
	get64s(o->drop_io_u, p + off[TF_DROP_IO_U], 3);
	o->total_submit = get64(p + off[TF_TOTAL_SUBMIT]);
	o->total_complete = get64(p + off[TF_TOTAL_COMPLETE]);
	get64s(o->io_bytes, p + off[TF_IO_BYTES], 3);
	get64s(o->runtime, p + off[TF_RUNTIME], 3);
	o->total_run_time = get64(p + off[TF_TOTAL_RUN_TIME]);
	o->first_error = get32(p + off[TF_FIRST_ERROR]);
	o->total_err_count = get64(p + off[TF_TOTAL_ERR_COUNT]);
	o->kb_base = get32(p + off[TF_KB_BASE]);
	o->unit_base = get32(p + off[TF_UNIT_BASE]);
	o->sig_figs = get32(p + off[TF_SIG_FIGS]);
	o->latency_depth = get32(p + off[TF_LATENCY_DEPTH]);
	o->latency_target = get64(p + off[TF_LATENCY_TARGET]);
	o->latency_percentile = getdbl(p + off[TF_LATENCY_PCT]);
	o->latency_window = get64(p + off[TF_LATENCY_WINDOW]);
	rs = p + off[TF_RS];
	get64s(o->rs.max_run, rs, 3);
	get64s(o->rs.min_run, rs + 24, 3);
	get64s(o->rs.max_bw, rs + 48, 3);
	get64s(o->rs.min_bw, rs + 72, 3);
	get64s(o->rs.iobytes, rs + 96, 3);
	get64s(o->rs.agg, rs + 120, 3);
	o->rs.kb_base = get32(rs + 144);
	o->rs.unit_base = get32(rs + 148);
	o->rs.sig_figs = get32(rs + 152);
	o->rs.groupid = get32(rs + 156);
	o->rs.unified_rw_rep = get32(rs + 160);
	return 0;
}

static void iostat_sum(struct fiop_iostat *d, const struct fiop_iostat *s)
{
	uint64_t n;
	double delta;

	if (!s->samples)
		return;
	if (!d->samples) {
		*d = *s;
		return;
	}
	if (s->max > d->max)
		d->max = s->max;
	if (s->min < d->min)
		d->min = s->min;
	/* parallel variance (Chan et al.): S is the sum of squared deviations */
	n = d->samples + s->samples;
	delta = s->mean - d->mean;
	d->S += s->S + delta * delta * (double)d->samples * (double)s->samples / (double)n;
	d->mean += delta * (double)s->samples / (double)n;
	d->samples = n;
}

void fiop_ts_sum(struct fiop_ts *dst, const struct fiop_ts *src)
{
	if (!dst->members) {
		*dst = *src;
		dst->members = 1;
		return;
	}
	dst->members++;
	for (int d = 0; d < 3; d++) {
		for (int k = 0; k < FIOP_NLAT; k++)
			iostat_sum(&dst->lat[k][d], &src->lat[k][d]);
		iostat_sum(&dst->bw[d], &src->bw[d]);
		iostat_sum(&dst->iops[d], &src->iops[d]);
		dst->io_bytes[d] += src->io_bytes[d];
		if (src->runtime[d] > dst->runtime[d])
			dst->runtime[d] = src->runtime[d];
		dst->short_io_u[d] += src->short_io_u[d];
		dst->drop_io_u[d] += src->drop_io_u[d];
		dst->rs.iobytes[d] += src->rs.iobytes[d];
		dst->rs.agg[d] += src->rs.agg[d];
		if (src->rs.max_run[d] > dst->rs.max_run[d])
			dst->rs.max_run[d] = src->rs.max_run[d];
		if (src->rs.min_run[d] && (!dst->rs.min_run[d] ||
					   src->rs.min_run[d] < dst->rs.min_run[d]))
			dst->rs.min_run[d] = src->rs.min_run[d];
	}
	iostat_sum(&dst->sync, &src->sync);
	for (int k = 0; k < FIOP_NLAT; k++)
		for (int d = 0; d < 3; d++)
			for (int i = 0; i < FIOP_PLAT_NR; i++)
				dst->plat[k][d][i] += src->plat[k][d][i];
	for (int i = 0; i < 4; i++)
		dst->total_io_u[i] += src->total_io_u[i];
	for (int i = 0; i < 7; i++) {
		dst->io_u_map[i] += src->io_u_map[i];
		dst->io_u_submit[i] += src->io_u_submit[i];
		dst->io_u_complete[i] += src->io_u_complete[i];
	}
	for (int i = 0; i < 10; i++) {
		dst->io_u_lat_n[i] += src->io_u_lat_n[i];
		dst->io_u_lat_u[i] += src->io_u_lat_u[i];
	}
	for (int i = 0; i < 12; i++)
		dst->io_u_lat_m[i] += src->io_u_lat_m[i];
	dst->total_submit += src->total_submit;
	dst->total_complete += src->total_complete;
	dst->usr_time += src->usr_time;
	dst->sys_time += src->sys_time;
	dst->ctx += src->ctx;
	dst->minf += src->minf;
	dst->majf += src->majf;
	dst->total_err_count += src->total_err_count;
	if (!dst->error && src->error) {
		dst->error = src->error;
		memcpy(dst->verror, src->verror, sizeof(dst->verror));
	}
	if (src->total_run_time > dst->total_run_time)
		dst->total_run_time = src->total_run_time;
}

static uint64_t sub(uint64_t cur, uint64_t prev)
{
	return cur >= prev ? cur - prev : cur;
}

void fiop_ts_delta(const struct fiop_ts *prev, const struct fiop_ts *cur,
		   struct fiop_ts *out)
{
	*out = *cur;
	for (int d = 0; d < 3; d++) {
		out->io_bytes[d] = sub(cur->io_bytes[d], prev->io_bytes[d]);
		out->runtime[d] = sub(cur->runtime[d], prev->runtime[d]);
		out->short_io_u[d] = sub(cur->short_io_u[d], prev->short_io_u[d]);
		out->drop_io_u[d] = sub(cur->drop_io_u[d], prev->drop_io_u[d]);
		for (int k = 0; k < FIOP_NLAT; k++) {
			out->lat[k][d].samples = sub(cur->lat[k][d].samples, prev->lat[k][d].samples);
			for (int i = 0; i < FIOP_PLAT_NR; i++)
				out->plat[k][d][i] = sub(cur->plat[k][d][i], prev->plat[k][d][i]);
		}
	}
	for (int i = 0; i < 4; i++)
		out->total_io_u[i] = sub(cur->total_io_u[i], prev->total_io_u[i]);
	out->total_run_time = sub(cur->total_run_time, prev->total_run_time);
	out->total_submit = sub(cur->total_submit, prev->total_submit);
	out->total_complete = sub(cur->total_complete, prev->total_complete);
	out->total_err_count = sub(cur->total_err_count, prev->total_err_count);
}

uint64_t fiop_plat_value(unsigned idx)
{
	unsigned bits;
	uint64_t base;

	if (idx >= FIOP_PLAT_NR)
		idx = FIOP_PLAT_NR - 1;
	if (idx < (FIOP_PLAT_VAL << 1))
		return idx;
	bits = (idx >> FIOP_PLAT_BITS) - 1;
	base = 1ULL << (bits + FIOP_PLAT_BITS);
	return base + (uint64_t)(((idx % FIOP_PLAT_VAL) + 0.5) * (double)(1ULL << bits));
}

uint64_t fiop_plat_percentile(const uint64_t bins[FIOP_PLAT_NR], double pct)
{
	uint64_t total = 0, sum = 0;

	for (int i = 0; i < FIOP_PLAT_NR; i++)
		total += bins[i];
	if (!total)
		return 0;
	for (int i = 0; i < FIOP_PLAT_NR; i++) {
		sum += bins[i];
		if ((long double)sum >= (long double)pct / 100.0L * (long double)total)
			return fiop_plat_value((unsigned)i);
	}
	return fiop_plat_value(FIOP_PLAT_NR - 1);
}
