/* Data verification: block headers, deterministic payloads, checks with a
 * diagnosis, dumps of bad blocks. The written-block log and its state file
 * are verify_log.c. See verify.h. */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <md5.h>
#include <sha2.h>
#include <xxhash.h>

#include "../lib/crc32c.h"
#include "../lib/le.h"
#include "../lib/outfile.h"
#include "job.h"
#include "verify.h"

_Static_assert(sizeof(struct verify_hdr) == VERIFY_HDR_SIZE, "verify header is 72 bytes");

/* Byte offsets of the header fields on disk. */
enum {
	H_MAGIC = 0,
	H_VERSION = 4,
	H_KIND = 5,
	H_HDR_LEN = 6,
	H_LEN = 8,
	H_HDR_CRC = 12,
	H_OFFSET = 16,
	H_SEED = 24,
	H_GEN = 32,
	H_CSUM = 40,
};

#define SECTOR 512

static const char *const kind_names[] = {
	[VERIFY_NONE] = "none",     [VERIFY_CRC32C] = "crc32c", [VERIFY_MD5] = "md5",
	[VERIFY_XXHASH] = "xxhash", [VERIFY_SHA256] = "sha256", [VERIFY_PATTERN] = "pattern",
	[VERIFY_META] = "meta",
};

const char *verify_kind_name(enum verify_kind k)
{
	if ((unsigned)k < sizeof(kind_names) / sizeof(kind_names[0]) && kind_names[k])
		return kind_names[k];
	return "unknown";
}

unsigned verify_csum_len(enum verify_kind k)
{
	switch (k) {
	case VERIFY_CRC32C: return 4;
	case VERIFY_XXHASH: return 8;
	case VERIFY_MD5: return 16;
	case VERIFY_SHA256: return 32;
	default: return 0;
	}
}

static bool kind_has_header(enum verify_kind k)
{
	return verify_csum_len(k) != 0 || k == VERIFY_META;
}

/* ---- payload generation ---- */

static inline uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* xoshiro256+ stream keyed by @key, written as little-endian words. */
static void prng_fill(uint8_t *p, size_t len, uint64_t key)
{
	uint64_t s0 = mix64(key + 0x9e3779b97f4a7c15ull), s1 = mix64(key + 0x3c6ef372fe94f82aull),
		 s2 = mix64(key + 0xdaa66d2c7ddf743full), s3 = mix64(key + 0x78dde6e5fd29f054ull);
	uint64_t r, t;

	for (;;) {
		r = htole64(s0 + s3);
		if (len < 8)
			break;
		memcpy(p, &r, 8);
		p += 8;
		len -= 8;
		t = s1 << 17;
		s2 ^= s0;
		s3 ^= s1;
		s1 ^= s2;
		s0 ^= s3;
		s2 ^= t;
		s3 = rotl(s3, 45);
	}
	memcpy(p, &r, len);
}

/* @len bytes of @pat repeated, starting @phase bytes into it: one copy,
 * then the filled prefix doubles (its length stays a multiple of @plen). */
static void pattern_fill(uint8_t *p, size_t len, const uint8_t *pat, unsigned plen, size_t phase)
{
	size_t i = phase % plen, done;

	if (!len)
		return;
	done = plen < len ? plen : len;
	for (size_t k = 0; k < done; k++)
		p[k] = pat[(i + k) % plen];
	while (done < len) {
		size_t n = done < len - done ? done : len - done;

		memcpy(p + done, p, n);
		done += n;
	}
}

static uint64_t payload_key(uint64_t seed, uint64_t offset, uint64_t gen)
{
	return mix64(seed ^ mix64(offset ^ 0x6a09e667f3bcc908ull) ^
		     rotl(mix64(gen ^ 0xbb67ae8584caa73bull), 17));
}

/* The payload of the sub-block at @offset: @len bytes that follow its header
 * (or the whole sub-block when it has none). */
static void payload_fill(const struct job_opts *o, uint64_t seed, uint8_t *p, size_t len,
			 uint64_t offset, uint64_t gen)
{
	if (o->verify_pattern_len)
		pattern_fill(p, len, o->verify_pattern, o->verify_pattern_len, 0);
	else
		prng_fill(p, len, payload_key(seed, offset, gen));
}

static void csum_compute(enum verify_kind k, const uint8_t *p, size_t len,
			 uint8_t out[VERIFY_CSUM_MAX])
{
	memset(out, 0, VERIFY_CSUM_MAX);
	switch (k) {
	case VERIFY_CRC32C:
		le32_put(out, crc32c(0, p, len));
		break;
	case VERIFY_XXHASH:
		le64_put(out, XXH3_64bits(p, len));
		break;
	case VERIFY_MD5: {
		MD5_CTX c;

		MD5Init(&c);
		MD5Update(&c, p, len);
		MD5Final(out, &c);
		break;
	}
	case VERIFY_SHA256: {
		SHA2_CTX c;

		SHA256Init(&c);
		SHA256Update(&c, p, len);
		SHA256Final(out, &c);
		break;
	}
	default:
		break;
	}
}

static uint32_t hdr_crc(const uint8_t *h)
{
	uint8_t tmp[VERIFY_HDR_SIZE];

	memcpy(tmp, h, VERIFY_HDR_SIZE);
	memset(tmp + H_HDR_CRC, 0, 4);
	return crc32c(0, tmp, VERIFY_HDR_SIZE);
}

/* Length of the sub-block starting @pos bytes into a block of @len. */
static uint32_t sub_len(uint32_t interval, uint32_t len, uint32_t pos)
{
	uint32_t left = len - pos, n = interval && interval < left ? interval : left;

	if (left - n < VERIFY_HDR_SIZE)
		n = left;
	return n;
}

/* ---- options and seeds ---- */

static uint32_t min_write_bs(const struct job_opts *o)
{
	uint32_t m = o->bs_min[DDIR_WRITE] ? o->bs_min[DDIR_WRITE] : o->bs[DDIR_WRITE];

	for (unsigned i = 0; i < o->nr_bssplit[DDIR_WRITE]; i++)
		if (o->bssplit[DDIR_WRITE][i].bs && o->bssplit[DDIR_WRITE][i].bs < m)
			m = o->bssplit[DDIR_WRITE][i].bs;
	return m;
}

int verify_opts_check(const struct job_opts *o, char *err, size_t errlen)
{
	uint32_t bs = min_write_bs(o);

	if (o->verify == VERIFY_NONE)
		return 0;
	if ((unsigned)o->verify > VERIFY_META) {
		snprintf(err, errlen, "verify: unknown kind %u", (unsigned)o->verify);
		return -EINVAL;
	}
	if (o->verify == VERIFY_PATTERN && !o->verify_pattern_len) {
		snprintf(err, errlen, "verify=pattern needs verify_pattern");
		return -EINVAL;
	}
	if (o->verify_pattern_len > sizeof(o->verify_pattern)) {
		snprintf(err, errlen, "verify_pattern: %u bytes, at most %zu", o->verify_pattern_len,
			 sizeof(o->verify_pattern));
		return -EINVAL;
	}
	if (o->verify_interval && kind_has_header(o->verify)) {
		if (o->verify_interval < VERIFY_HDR_SIZE) {
			snprintf(err, errlen,
				 "verify_interval: %u is smaller than the %d-byte verify header",
				 o->verify_interval, VERIFY_HDR_SIZE);
			return -EINVAL;
		}
		if (bs && o->verify_interval > bs) {
			snprintf(err, errlen,
				 "verify_interval: %u is larger than the smallest write size %u",
				 o->verify_interval, bs);
			return -EINVAL;
		}
	}
	return 0;
}

uint64_t verify_job_seed(const struct job_opts *o, const char *job_name)
{
	uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a of the name */

	for (const char *p = job_name ? job_name : ""; *p; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3ull;
	return mix64(h ^ mix64(o->randseed_set ? o->randseed : 0x2f8e3b7a51c9d064ull));
}

/* ---- fill ---- */

void verify_fill_buf(const struct job_opts *o, uint64_t seed, void *buf, uint32_t len,
		     uint64_t offset, uint64_t gen)
{
	uint8_t *b = buf;

	if (o->verify == VERIFY_NONE || !len)
		return;
	if (o->verify == VERIFY_PATTERN) {
		if (o->verify_pattern_len)
			pattern_fill(b, len, o->verify_pattern, o->verify_pattern_len, 0);
		return;
	}
	for (uint32_t pos = 0; pos < len;) {
		uint32_t n = sub_len(o->verify_interval, len, pos);
		uint8_t *h = b + pos;

		if (n < VERIFY_HDR_SIZE) {
			payload_fill(o, seed, h, n, offset + pos, 0);
		} else {
			payload_fill(o, seed, h + VERIFY_HDR_SIZE, n - VERIFY_HDR_SIZE, offset + pos,
				     gen);
			memset(h, 0, VERIFY_HDR_SIZE);
			le32_put(h + H_MAGIC, VERIFY_MAGIC);
			h[H_VERSION] = VERIFY_HDR_VERSION;
			h[H_KIND] = (uint8_t)o->verify;
			h[H_HDR_LEN] = VERIFY_HDR_SIZE; /* little-endian u16 */
			le32_put(h + H_LEN, n);
			le64_put(h + H_OFFSET, offset + pos);
			le64_put(h + H_SEED, seed);
			le64_put(h + H_GEN, gen);
			csum_compute(o->verify, h + VERIFY_HDR_SIZE, n - VERIFY_HDR_SIZE, h + H_CSUM);
			le32_put(h + H_HDR_CRC, hdr_crc(h));
		}
		pos += n;
	}
}

void verify_fill(const struct job_opts *o, uint64_t seed, struct io_u *u)
{
	verify_fill_buf(o, seed, u->buf, u->buflen, u->offset, u->seq);
}

/* ---- check ---- */

struct vctx {
	const char *path;
	char *msg;
	size_t msglen;
	bool *data_bad; /* set when a sound header's data failed (or may be NULL) */
};

/* Writes "verify: FILE: WHAT at offset X (block of N): DETAIL"; returns -EILSEQ. */
__attribute__((format(printf, 5, 6))) static int vfail(const struct vctx *c, const char *what,
							uint64_t off, uint32_t blen,
							const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!c->msg || !c->msglen)
		return -EILSEQ;
	n = snprintf(c->msg, c->msglen, "verify: %s: %s at offset %" PRIu64 " (block of %u): ",
		     c->path ? c->path : "(no file)", what, off, blen);
	if (n >= 0 && (size_t)n < c->msglen) {
		va_start(ap, fmt);
		vsnprintf(c->msg + n, c->msglen - n, fmt, ap);
		va_end(ap);
	}
	return -EILSEQ;
}

static bool all_zero(const uint8_t *p, size_t n)
{
	static const uint8_t zero[256];

	while (n) {
		size_t k = n < sizeof(zero) ? n : sizeof(zero);

		if (memcmp(p, zero, k))
			return false;
		p += k;
		n -= k;
	}
	return true;
}

/* Formats a checksum as the kind shows it: numbers for crc32c/xxhash, hex
 * bytes for digests (at most 16 bytes, then ".."). */
static void csum_str(char *buf, size_t len, enum verify_kind k, const uint8_t *cs)
{
	if (k == VERIFY_CRC32C) {
		snprintf(buf, len, "0x%08x", le32_get(cs));
	} else if (k == VERIFY_XXHASH) {
		snprintf(buf, len, "0x%016" PRIx64, le64_get(cs));
	} else {
		unsigned n = verify_csum_len(k), show = n > 16 ? 16 : n;
		size_t at = 0;

		for (unsigned i = 0; i < show && at + 3 < len; i++)
			at += snprintf(buf + at, len - at, "%02x", cs[i]);
		if (show < n && at + 3 < len)
			snprintf(buf + at, len - at, "..");
	}
}

struct diff {
	uint32_t first;  /* block-relative position of the first bad byte */
	uint32_t count;  /* bad bytes */
	uint8_t exp, got;
	bool torn;       /* a bad tail of whole sectors: write cut short */
	bool zeros;      /* the bad tail reads as zeros */
};

/* Compares @n bytes that start @base bytes into a sub-block of @blen.
 * Returns false when they are equal. */
static bool diff_scan(const uint8_t *got, const uint8_t *exp, uint32_t n, uint32_t base,
		      uint32_t blen, struct diff *d)
{
	uint32_t i = 0, sec_first, sec_bad = 0, sec_total;
	uint64_t cur_sec = UINT64_MAX;

	while (i < n && got[i] == exp[i])
		i++;
	if (i == n)
		return false;
	memset(d, 0, sizeof(*d));
	d->first = base + i;
	d->exp = exp[i];
	d->got = got[i];
	for (uint32_t j = i; j < n; j++) {
		if (got[j] != exp[j]) {
			d->count++;
			if ((base + j) / SECTOR != cur_sec) {
				cur_sec = (base + j) / SECTOR;
				sec_bad++;
			}
		}
	}
	sec_first = d->first / SECTOR;
	sec_total = (blen + SECTOR - 1) / SECTOR - sec_first;
	/* torn: every sector from the first bad one to the end is bad, the bad
	 * tail holds at least one whole sector, and most of it differs */
	d->torn = base + n == blen && sec_bad == sec_total &&
		  blen >= (sec_first + 1) * SECTOR + (d->first % SECTOR ? SECTOR : 0) &&
		  d->count * 2 >= blen - d->first;
	d->zeros = all_zero(got + i, n - i);
	return true;
}

/* "first difference at offset X (byte B): expected 0xE, found 0xF (K bytes
 * differ[, from there on all zeros])" */
static void diff_str(char *buf, size_t len, const struct diff *d, uint64_t sub_off)
{
	snprintf(buf, len,
		 "first difference at offset %" PRIu64 " (byte %u): expected 0x%02x, found 0x%02x"
		 " (%u %s%s)",
		 sub_off + d->first, d->first, d->exp, d->got, d->count,
		 d->count == 1 ? "byte differs" : "bytes differ",
		 d->zeros ? ", from there on all zeros" : "");
}

/* Headerless block (pattern kind, or shorter than a header): byte compare. */
static int check_raw(const struct job_opts *o, uint64_t seed, const struct vctx *c,
		     const uint8_t *p, uint32_t n, uint64_t off, uint32_t blen)
{
	uint8_t stackbuf[4096], *exp = n <= sizeof(stackbuf) ? stackbuf : malloc(n);
	struct diff d;
	int ret = 0;

	if (!exp)
		return vfail(c, "cannot check (out of memory)", off, blen, "%u bytes", n);
	if (o->verify == VERIFY_PATTERN)
		pattern_fill(exp, n, o->verify_pattern, o->verify_pattern_len, 0);
	else
		payload_fill(o, seed, exp, n, off, 0);
	if (memcmp(p, exp, n) && diff_scan(p, exp, n, 0, n, &d)) {
		const char *what = o->verify == VERIFY_PATTERN ? "bad pattern" : "bad data";
		char ds[160];

		if (d.torn && d.first)
			what = "torn write";
		diff_str(ds, sizeof(ds), &d, off);
		ret = vfail(c, what, off, blen, "%s", ds);
	}
	if (exp != stackbuf)
		free(exp);
	return ret;
}

/* One sub-block with a header at @h (absolute offset @off, @n bytes). */
static int check_sub(const struct job_opts *o, uint64_t seed, const struct vctx *c,
		     const uint8_t *h, uint32_t n, uint64_t off, uint64_t gen)
{
	uint8_t cs[VERIFY_CSUM_MAX];
	char es[48], fs[48];
	uint32_t magic = le32_get(h + H_MAGIC), crc;
	uint64_t hgen;

	if (magic != VERIFY_MAGIC) {
		if (all_zero(h, n))
			return vfail(c, "bad magic", off, n,
				     "expected 0x%08x, found 0x%08x (block is all zeros: never written?)",
				     VERIFY_MAGIC, magic);
		return vfail(c, "bad magic", off, n, "expected 0x%08x, found 0x%08x", VERIFY_MAGIC,
			     magic);
	}
	crc = hdr_crc(h);
	if (crc != le32_get(h + H_HDR_CRC))
		return vfail(c, "bad header checksum", off, n, "expected 0x%08x, found 0x%08x",
			     le32_get(h + H_HDR_CRC), crc);
	if (h[H_VERSION] != VERIFY_HDR_VERSION || h[H_HDR_LEN] != VERIFY_HDR_SIZE ||
	    h[H_HDR_LEN + 1] != 0)
		return vfail(c, "unknown header format", off, n,
			     "version %u, header length %u (expected %u, %u)", h[H_VERSION],
			     h[H_HDR_LEN] | (unsigned)h[H_HDR_LEN + 1] << 8, VERIFY_HDR_VERSION,
			     VERIFY_HDR_SIZE);
	if (h[H_KIND] != (uint8_t)o->verify)
		return vfail(c, "wrong verify kind", off, n, "header says verify=%s, job uses %s",
			     verify_kind_name(h[H_KIND]), verify_kind_name(o->verify));
	if (le64_get(h + H_OFFSET) != off)
		return vfail(c, "misplaced block", off, n, "header says offset %" PRIu64,
			     le64_get(h + H_OFFSET));
	if (le32_get(h + H_LEN) != n)
		return vfail(c, "bad block length", off, n, "header says %u bytes",
			     le32_get(h + H_LEN));
	if (le64_get(h + H_SEED) != seed)
		return vfail(c, "block from another job", off, n,
			     "header seed 0x%016" PRIx64 ", expected 0x%016" PRIx64,
			     le64_get(h + H_SEED), seed);
	hgen = le64_get(h + H_GEN);
	if (gen && hgen != gen)
		return vfail(c, "stale block", off, n,
			     "header says generation %" PRIu64 ", expected %" PRIu64, hgen, gen);
	if (o->verify == VERIFY_META)
		return 0; /* as fio: the header is all meta checks */
	if (c->data_bad)
		*c->data_bad = true;

	csum_compute(o->verify, h + VERIFY_HDR_SIZE, n - VERIFY_HDR_SIZE, cs);
	if (!memcmp(cs, h + H_CSUM, VERIFY_CSUM_MAX))
		return 0;

	/* Header is sound, payload is not: say where and how it differs. */
	csum_str(es, sizeof(es), o->verify, h + H_CSUM);
	csum_str(fs, sizeof(fs), o->verify, cs);
	uint32_t plen = n - VERIFY_HDR_SIZE;
	uint8_t *exp = malloc(plen ? plen : 1);
	struct diff d;
	char ds[160];
	int ret;

	if (!exp)
		return vfail(c, "bad checksum", off, n, "%s expected %s, found %s",
			     verify_kind_name(o->verify), es, fs);
	payload_fill(o, seed, exp, plen, off, hgen);
	if (!diff_scan(h + VERIFY_HDR_SIZE, exp, plen, VERIFY_HDR_SIZE, n, &d)) {
		/* data is what we wrote: the stored checksum itself is wrong */
		ret = vfail(c, "bad checksum field", off, n,
			    "%s expected %s, found %s, payload matches the generator",
			    verify_kind_name(o->verify), es, fs);
	} else if (d.torn) {
		ret = vfail(c, "torn write", off, n,
			    "header ok, data bad from byte %u of %u%s; %s expected %s, found %s",
			    d.first, n, d.zeros ? " (zeros)" : "", verify_kind_name(o->verify), es,
			    fs);
	} else {
		char what[32];

		snprintf(what, sizeof(what), "bad %s", verify_kind_name(o->verify));
		diff_str(ds, sizeof(ds), &d, off);
		ret = vfail(c, what, off, n, "expected %s, found %s; %s", es, fs, ds);
	}
	free(exp);
	return ret;
}

int verify_check_buf(const struct job_opts *o, uint64_t seed, const char *path,
		     const void *buf, uint32_t len, uint64_t offset, uint64_t gen, char *msg,
		     size_t msglen)
{
	const struct vctx c = { path, msg, msglen, NULL };
	const uint8_t *b = buf;
	int ret;

	if (o->verify == VERIFY_NONE || !len)
		return 0;
	if (o->verify == VERIFY_PATTERN) {
		if (!o->verify_pattern_len)
			return vfail(&c, "cannot check", offset, len, "verify=pattern without a pattern");
		return check_raw(o, seed, &c, b, len, offset, len);
	}
	for (uint32_t pos = 0; pos < len;) {
		uint32_t n = sub_len(o->verify_interval, len, pos);

		if (n < VERIFY_HDR_SIZE)
			ret = check_raw(o, seed, &c, b + pos, n, offset + pos, n);
		else
			ret = check_sub(o, seed, &c, b + pos, n, offset + pos, gen);
		if (ret)
			return ret;
		pos += n;
	}
	return 0;
}

int verify_check(const struct job_opts *o, uint64_t seed, const struct io_u *u, char *msg,
		 size_t msglen)
{
	const char *path = u->file ? u->file->path : NULL;
	const struct vctx c = { path, msg, msglen, NULL };
	uint32_t got = u->buflen - (u->resid <= u->buflen ? u->resid : u->buflen);

	if (u->resid)
		return vfail(&c, "short read", u->offset, u->buflen, "got %u of %u bytes", got,
			     u->buflen);
	if (u->flags & IOU_TRIM_ZERO) {
		const uint8_t *p = u->buf;

		for (uint32_t i = 0; i < u->buflen; i++)
			if (p[i])
				return vfail(&c, "trimmed block not zero", u->offset, u->buflen,
					     "byte at offset %" PRIu64 " is 0x%02x", u->offset + i,
					     p[i]);
		return 0;
	}
	return verify_check_buf(o, seed, path, u->buf, u->buflen, u->offset, u->seq, msg, msglen);
}

/* Writes @len bytes of @p to "DIR/NAME.OFF.TYPE" (fio's dump names),
 * through lib/outfile: a regular file, never a device or a planted link. */
static int dump_one(const char *dir, const char *name, uint64_t off, const char *type,
		    const uint8_t *p, uint32_t len, char *path, size_t pathlen, char *err,
		    size_t errlen)
{
	int fd, ret = 0;

	snprintf(path, pathlen, "%s%s%s.%" PRIu64 ".%s", dir ? dir : "", dir ? "/" : "", name,
		 off, type);
	fd = outfile_open(path, 0, 0644, NULL, err, errlen);
	if (fd < 0)
		return fd;
	while (!ret && len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ret = n < 0 ? -errno : -EIO;
			break;
		}
		p += n;
		len -= (uint32_t)n;
	}
	if (close(fd) && !ret)
		ret = -errno;
	if (ret)
		snprintf(err, errlen, "%s: %s", path, strerror(-ret));
	return ret;
}

int verify_dump(const struct job_opts *o, uint64_t seed, const struct io_u *u, const char *dir,
		char *msg, size_t msglen)
{
	const char *path = u->file ? u->file->path : "?", *base = strrchr(path, '/');
	const uint8_t *b = u->buf;
	char rpath[4096], epath[4096];
	uint8_t *exp;
	int ret;

	base = base ? base + 1 : path;
	msg[0] = '\0';
	for (uint32_t pos = 0; pos < u->buflen;) {
		uint32_t n = o->verify == VERIFY_PATTERN ? u->buflen
							  : sub_len(o->verify_interval, u->buflen, pos);
		bool data_bad = false, raw = o->verify == VERIFY_PATTERN || n < VERIFY_HDR_SIZE;
		const struct vctx c = { path, NULL, 0, &data_bad };
		uint64_t gen = u->seq;

		if (raw ? !check_raw(o, seed, &c, b + pos, n, u->offset + pos, n)
			: !check_sub(o, seed, &c, b + pos, n, u->offset + pos, u->seq)) {
			pos += n;
			continue;
		}
		if (!raw && !data_bad)
			return 0; /* a bad header: fio dumps data failures only */
		exp = malloc(u->buflen);
		if (!exp)
			return -ENOMEM;
		if (!raw && !gen)
			gen = le64_get(b + pos + H_GEN);
		verify_fill_buf(o, seed, exp, u->buflen, u->offset, gen);
		char why[512];

		ret = dump_one(dir, base, u->offset + pos, "received", b + pos, n, rpath,
			       sizeof(rpath), why, sizeof(why));
		if (!ret)
			ret = dump_one(dir, base, u->offset + pos, "expected", exp + pos, n, epath,
				       sizeof(epath), why, sizeof(why));
		free(exp);
		if (ret)
			snprintf(msg, msglen, "verify_dump: %s", why);
		else
			snprintf(msg, msglen, "verify_dump: %s and %s", rpath, epath);
		return ret;
	}
	return 0;
}
