/* backend/fioproto: crc16 vectors, header encode/decode and its refusals,
 * fragmenting and reassembly, malformed and random input, the TS layout,
 * and cluster percentiles from merged bins against a brute-force merge. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "backend/fioclient.h"
#include "backend/fioproto.h"

#define FUZZ_NO_ENTRY
#include "tests/fuzz/fuzz_fioproto.c"

static void test_crc16_vectors(void **state)
{
	static const struct { const char *s; uint16_t crc; } v[] = {
		{ "123456789", 0xBB3D }, { "", 0x0000 }, { "a", 0xE8C1 }, { "abc", 0x9738 },
	};

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		assert_int_equal(fiop_crc16(v[i].s, strlen(v[i].s)), v[i].crc);
}

static void test_header_roundtrip(void **state)
{
	uint8_t h[FIOP_HDR_LEN], pdu[5] = "hello";
	struct fiop_hdr d;
	char err[200];

	fiop_hdr_encode(h, 97, FIOP_TS, FIOP_F_MORE, 0x1122334455667788ULL, pdu, 5);
	assert_int_equal(h[0], 97);                /* little endian */
	assert_int_equal(h[2], FIOP_TS);
	assert_int_equal(h[8], 0x88);
	assert_int_equal(h[16], 5);
	assert_int_equal(fiop_hdr_decode(h, &d, err, sizeof(err)), 0);
	assert_int_equal(d.version, 97);
	assert_int_equal(d.opcode, FIOP_TS);
	assert_int_equal(d.flags, FIOP_F_MORE);
	assert_true(d.tag == 0x1122334455667788ULL);
	assert_int_equal(d.pdu_len, 5);
	assert_int_equal(d.pdu_crc, fiop_crc16(pdu, 5));
}

static void test_header_refusals(void **state)
{
	uint8_t h[FIOP_HDR_LEN];
	struct fiop_hdr d;
	char err[200];

	fiop_hdr_encode(h, 97, FIOP_PROBE, 0, 0, NULL, 0);
	h[5] ^= 1; /* flags bit: header crc no longer matches */
	assert_int_equal(fiop_hdr_decode(h, &d, err, sizeof(err)), -EBADMSG);
	assert_non_null(strstr(err, "crc"));

	fiop_hdr_encode(h, 99, FIOP_PROBE, 0, 0, NULL, 0);
	assert_int_equal(fiop_hdr_decode(h, &d, err, sizeof(err)), -EPROTO);
	assert_int_equal(d.version, 99);
	assert_non_null(strstr(err, "99"));
	assert_non_null(strstr(err, "97"));

	fiop_hdr_encode(h, 97, FIOP_TEXT, 0, 0, NULL, 0);
	h[16] = 0x01; h[17] = 0x10; /* pdu_len 4097 */
	{
		uint16_t crc = fiop_crc16(h, 20);
		h[20] = (uint8_t)crc; h[21] = (uint8_t)(crc >> 8);
	}
	assert_int_equal(fiop_hdr_decode(h, &d, err, sizeof(err)), -EMSGSIZE);
}

static uint8_t *pattern(size_t n)
{
	uint8_t *p = malloc(n);

	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(i * 7 + 3);
	return p;
}

static void test_fragments(void **state)
{
	size_t len = 3000, blen, used;
	uint8_t *pdu = pattern(len), *buf;
	struct fiop_reader r;
	struct fiop_msg m;
	struct fiop_hdr h;
	char err[200];
	int ret = 0;

	assert_int_equal(fiop_build(FIOP_JOB, 7, pdu, len, &buf, &blen), 0);
	assert_int_equal(blen, 3 * FIOP_HDR_LEN + len);  /* 1024 + 1024 + 952 */
	assert_int_equal(fiop_hdr_decode(buf, &h, err, sizeof(err)), 0);
	assert_int_equal(h.flags & FIOP_F_MORE, FIOP_F_MORE);
	assert_int_equal(h.pdu_len, FIOP_FRAG_MAX);
	assert_int_equal(fiop_hdr_decode(buf + 2 * (FIOP_HDR_LEN + 1024), &h, err,
					 sizeof(err)), 0);
	assert_int_equal(h.flags & FIOP_F_MORE, 0);
	assert_int_equal(h.pdu_len, 952);

	/* a byte at a time */
	fiop_reader_init(&r);
	for (size_t i = 0; i < blen; i++) {
		ret = fiop_reader_feed(&r, buf + i, 1, &used, &m);
		assert_int_equal(used, 1);
		if (i < blen - 1)
			assert_int_equal(ret, 0);
	}
	assert_int_equal(ret, 1);
	assert_int_equal(m.opcode, FIOP_JOB);
	assert_int_equal(m.tag, 7);
	assert_int_equal(m.len, len);
	assert_memory_equal(m.pdu, pdu, len);
	assert_false(fiop_reader_partial(&r));
	fiop_reader_free(&r);

	/* two messages in one read, and an empty one */
	{
		uint8_t *two = malloc(2 * blen + FIOP_HDR_LEN), *e;
		size_t el, off = 0;

		assert_int_equal(fiop_build(FIOP_QUIT, 0, NULL, 0, &e, &el), 0);
		assert_int_equal(el, FIOP_HDR_LEN);
		memcpy(two, buf, blen);
		memcpy(two + blen, e, el);
		memcpy(two + blen + el, buf, blen);
		fiop_reader_init(&r);
		int seen[3], k = 0;
		while (off < 2 * blen + el) {
			ret = fiop_reader_feed(&r, two + off, 2 * blen + el - off, &used, &m);
			off += used;
			assert_true(ret >= 0);
			if (ret == 1) {
				seen[k++] = m.opcode;
				if (m.opcode == FIOP_JOB)
					assert_memory_equal(m.pdu, pdu, len);
			}
		}
		assert_int_equal(k, 3);
		assert_int_equal(seen[0], FIOP_JOB);
		assert_int_equal(seen[1], FIOP_QUIT);
		assert_int_equal(seen[2], FIOP_JOB);
		fiop_reader_free(&r);
		free(two);
		free(e);
	}
	free(buf);
	free(pdu);
}

static void test_malformed(void **state)
{
	size_t len = 2000, blen, used;
	uint8_t *pdu = pattern(len), *buf, *bad;
	struct fiop_reader r;
	struct fiop_msg m;

	assert_int_equal(fiop_build(FIOP_TS, 0, pdu, len, &buf, &blen), 0);
	bad = malloc(blen);

	/* a payload byte flipped: payload crc */
	memcpy(bad, buf, blen);
	bad[FIOP_HDR_LEN + 10] ^= 0x40;
	fiop_reader_init(&r);
	assert_int_equal(fiop_reader_feed(&r, bad, blen, &used, &m), -EBADMSG);
	assert_non_null(strstr(r.err, "payload crc"));
	fiop_reader_free(&r);

	/* truncated: the reader waits, and knows a packet is cut */
	fiop_reader_init(&r);
	assert_int_equal(fiop_reader_feed(&r, buf, blen - 5, &used, &m), 0);
	assert_true(fiop_reader_partial(&r));
	fiop_reader_free(&r);

	/* the second fragment of another opcode */
	memcpy(bad, buf, blen);
	{
		uint8_t *h2 = bad + FIOP_HDR_LEN + FIOP_FRAG_MAX;
		fiop_hdr_encode(h2, 97, FIOP_GS, 0, 0, h2 + FIOP_HDR_LEN,
				(uint32_t)(len - FIOP_FRAG_MAX));
	}
	fiop_reader_init(&r);
	assert_int_equal(fiop_reader_feed(&r, bad, blen, &used, &m), -EBADMSG);
	assert_non_null(strstr(r.err, "fragment"));
	fiop_reader_free(&r);

	/* another version in the header */
	fiop_hdr_encode(bad, 96, FIOP_PROBE, 0, 0, NULL, 0);
	fiop_reader_init(&r);
	assert_int_equal(fiop_reader_feed(&r, bad, FIOP_HDR_LEN, &used, &m), -EPROTO);
	assert_int_equal(r.peer_version, 96);
	assert_non_null(strstr(r.err, "96"));
	fiop_reader_free(&r);

	/* short payloads are refused by every decoder */
	{
		struct fiop_probe p;
		struct fiop_start s;
		struct fiop_stop st;
		struct fiop_text t;
		struct fiop_eta e;
		struct fiop_job_opt jo;
		char err[200];
		uint8_t small[16] = { 0 };

		assert_int_equal(fiop_probe_decode(small, 16, &p, err, sizeof(err)), -EBADMSG);
		assert_int_equal(fiop_start_decode(small, 4, &s), -EBADMSG);
		assert_int_equal(fiop_stop_decode(small, 4, &st), -EBADMSG);
		assert_int_equal(fiop_text_decode(small, 16, &t), -EBADMSG);
		assert_int_equal(fiop_eta_decode(small, 16, &e), -EBADMSG);
		assert_int_equal(fiop_job_opt_decode(small, 16, &jo), -EBADMSG);
		/* a TEXT whose buf_len runs past the payload */
		uint8_t tx[30] = { 0 };
		tx[4] = 200;
		assert_int_equal(fiop_text_decode(tx, sizeof(tx), &t), -EBADMSG);
	}
	free(bad);
	free(buf);
	free(pdu);
}

/* Random bytes, and valid packets with random damage: never a crash, and
 * every refusal says why. */
static void test_random_input(void **state)
{
	uint8_t buf[4096];
	unsigned seed = 12345;

	for (int round = 0; round < 2000; round++) {
		struct fiop_reader r;
		struct fiop_msg m;
		size_t used, off = 0, n = (size_t)(rand_r(&seed) % sizeof(buf));

		for (size_t i = 0; i < n; i++)
			buf[i] = (uint8_t)rand_r(&seed);
		if (round & 1) { /* a valid header with a random tail */
			fiop_hdr_encode(buf, 97, (uint16_t)(rand_r(&seed) % 30), 0, 0,
					buf + FIOP_HDR_LEN, (uint32_t)(rand_r(&seed) % 1100));
			if (n < FIOP_HDR_LEN)
				n = FIOP_HDR_LEN;
		}
		fiop_reader_init(&r);
		while (off < n) {
			int ret = fiop_reader_feed(&r, buf + off, n - off, &used, &m);

			off += used;
			if (ret < 0) {
				assert_true(r.err[0] != '\0');
				break;
			}
			if (ret == 1) {
				struct fiop_ts *ts = malloc(sizeof(*ts));
				char err[200];
				struct fiop_eta e;
				struct fiop_text t;

				fiop_ts_decode(97, m.pdu, m.len, ts, err, sizeof(err));
				fiop_eta_decode(m.pdu, m.len, &e);
				fiop_text_decode(m.pdu, m.len, &t);
				free(ts);
			}
			if (ret == 0)
				break;
		}
		fiop_reader_free(&r);
		fuzz_proto_one(buf, n);   /* the fuzz harness's own path */
	}
}

/* Writes into a v97 TS payload. */
static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void test_ts_layout(void **state)
{
	size_t len = 184056;
	uint8_t *p = calloc(1, len);
	struct fiop_ts *ts = malloc(sizeof(*ts));
	char err[200];

	strcpy((char *)p, "job-a");
	p[260] = 3;                               /* thread_number */
	put64(p + 150824 + 8, 4096000);           /* io_bytes[write] */
	put64(p + 150728 + 8, 1000);              /* total_io_u[write] */
	put64(p + 150848 + 8, 2001);              /* runtime[write] */
	put64(p + 600 + 56 + 16, 1000);           /* clat_stat[write].samples */
	put64(p + 2248 + (1 * 3 + 1) * FIOP_PLAT_NR * 8 + 8 * 200, 1000); /* clat bins */
	p[183888 + 156] = 2;                      /* rs.groupid */
	assert_int_equal(fiop_ts_decode(97, p, len, ts, err, sizeof(err)), 0);
	assert_string_equal(ts->name, "job-a");
	assert_int_equal(ts->thread_number, 3);
	assert_int_equal(ts->io_bytes[1], 4096000);
	assert_int_equal(ts->total_io_u[1], 1000);
	assert_int_equal(ts->runtime[1], 2001);
	assert_int_equal(ts->lat[FIOP_CLAT][1].samples, 1000);
	assert_int_equal(ts->plat[FIOP_CLAT][1][200], 1000);
	assert_int_equal(ts->rs.groupid, 2);
	assert_int_equal(fiop_plat_percentile(ts->plat[FIOP_CLAT][1], 50),
			 fiop_plat_value(200));

	assert_int_equal(fiop_ts_decode(97, p, len - 1, ts, err, sizeof(err)), -EBADMSG);
	assert_non_null(strstr(err, "184055"));
	assert_int_equal(fiop_ts_decode(96, p, len, ts, err, sizeof(err)),
			 -EPROTONOSUPPORT);
	assert_non_null(strstr(err, "96"));
	free(ts);
	free(p);
}

/* Independent of fioproto: the bin a latency (ns) falls in, as fio files it. */
static unsigned bin_of(uint64_t v)
{
	unsigned msb, err_bits;

	if (v < 2 * FIOP_PLAT_VAL)
		return (unsigned)v;
	msb = 63 - (unsigned)__builtin_clzll(v);
	if (msb > 33)
		msb = 33;
	err_bits = msb - FIOP_PLAT_BITS;
	return (err_bits + 1) * FIOP_PLAT_VAL + (unsigned)((v >> err_bits) & (FIOP_PLAT_VAL - 1));
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Three hosts with different latencies: the cluster percentile from the
 * summed bins equals the percentile of every sample pooled and sorted. */
static void test_cluster_percentiles(void **state)
{
	enum { NH = 3, NS = 20000 };
	static const uint64_t base[NH] = { 20000, 150000, 900000 };  /* ns */
	struct fiop_ts *h = calloc(NH, sizeof(*h)), *all = calloc(1, sizeof(*all));
	uint64_t *pool = malloc(NH * NS * sizeof(*pool));
	unsigned seed = 42;
	size_t np = 0;

	for (int i = 0; i < NH; i++) {
		h[i].members = 1;
		for (int s = 0; s < NS / (i + 1); s++) {
			uint64_t v = base[i] + (uint64_t)(rand_r(&seed) % (base[i] / 2 + 1));
			unsigned b = bin_of(v);

			h[i].plat[FIOP_CLAT][0][b]++;
			h[i].total_io_u[0]++;
			pool[np++] = fiop_plat_value(b);
		}
		fiop_ts_sum(all, &h[i]);
	}
	qsort(pool, np, sizeof(*pool), cmp_u64);
	static const double pcts[] = { 1, 50, 90, 99, 99.9, 99.99, 100 };
	for (size_t k = 0; k < sizeof(pcts) / sizeof(pcts[0]); k++) {
		/* the smallest value with at least pct% of the samples at or below */
		size_t idx = 0;
		while ((double)(idx + 1) < pcts[k] / 100.0 * (double)np)
			idx++;
		assert_int_equal(fiop_plat_percentile(all->plat[FIOP_CLAT][0], pcts[k]),
				 pool[idx]);
	}
	/* and the mean of the hosts' p99 is not it */
	{
		double mean = 0;
		for (int i = 0; i < NH; i++)
			mean += (double)fiop_plat_percentile(h[i].plat[FIOP_CLAT][0], 99);
		mean /= NH;
		assert_true((uint64_t)mean != fiop_plat_percentile(all->plat[FIOP_CLAT][0], 99));
	}
	assert_int_equal(all->members, NH);
	assert_int_equal(all->total_io_u[0], np);
	free(pool);
	free(all);
	free(h);
}

static void test_delta_and_jobline(void **state)
{
	struct fiop_ts *a = calloc(3, sizeof(*a)), *b = a + 1, *d = a + 2;
	const char *argv[] = { "fio", "--status-interval=1" };
	uint8_t *buf;
	size_t len;

	a->io_bytes[0] = 4096 * 100;  a->total_io_u[0] = 100;  a->runtime[0] = 1000;
	a->plat[FIOP_CLAT][0][50] = 100;
	*b = *a;
	b->io_bytes[0] = 4096 * 350;  b->total_io_u[0] = 350;  b->runtime[0] = 2000;
	b->plat[FIOP_CLAT][0][50] = 300;  b->plat[FIOP_CLAT][0][90] = 50;
	fiop_ts_delta(a, b, d);
	assert_int_equal(d->total_io_u[0], 250);
	assert_int_equal(d->io_bytes[0], 4096 * 250);
	assert_int_equal(d->runtime[0], 1000);
	assert_int_equal(d->plat[FIOP_CLAT][0][50], 200);
	assert_int_equal(d->plat[FIOP_CLAT][0][90], 50);
	/* a counter that went back: the job started over */
	fiop_ts_delta(b, a, d);
	assert_int_equal(d->total_io_u[0], 100);
	free(a);

	assert_int_equal(fiop_jobline_encode(argv, 2, &buf, &len), 0);
	assert_int_equal(len, 4 + 2 + 4 + 2 + 20);
	assert_int_equal(buf[0], 2);                 /* lines */
	assert_int_equal(buf[4], 4);                 /* "fio" + NUL */
	assert_string_equal((char *)buf + 6, "fio");
	assert_int_equal(buf[10], 20);
	assert_string_equal((char *)buf + 12, "--status-interval=1");
	free(buf);
}

static void test_host_values(void **state)
{
	/* fio's bin representatives: exact below 128, the bucket's middle above */
	assert_int_equal(fiop_plat_value(0), 0);
	assert_int_equal(fiop_plat_value(127), 127);
	assert_int_equal(fiop_plat_value(128), 129);   /* [128,129] -> 129 */
	assert_int_equal(bin_of(1000), 317);          /* 512 + 61 * 8 .. +7 */
	assert_int_equal(fiop_plat_value(317), 1004);
	/* within fio's stated error of 1/2^(6+1) */
	assert_true(fiop_plat_value(bin_of(1000000)) > 1000000 - 1000000 / 128 &&
		    fiop_plat_value(bin_of(1000000)) < 1000000 + 1000000 / 128);
	assert_string_equal(fiop_op_name(FIOP_SERVER_START), "SERVER_START");
	assert_string_equal(fiop_op_name(999), "UNKNOWN");
}

/* fio sends an ETA's run_str condensed ("r(1),w(1)"): one letter a job
 * after expansion, in thread order; bad text refused. */
static void test_runstr(void **state)
{
	static const struct { const char *in; const char *want; int ret; } cases[] = {
		{ "P(2)", "PP", 2 },
		{ "r(1),w(1)", "rw", 2 },
		{ "_(3),R(1),P(2)", "___RPP", 6 },
		{ "rwP", "rwP", 3 },
		{ "", "", 0 },
		{ "E(10)", "EEEEEEEE", 8 },   /* cut at max */
		{ "r(", NULL, -EBADMSG },
		{ "r(x)", NULL, -EBADMSG },
		{ "r(2", NULL, -EBADMSG },
		{ "(2)", NULL, -EBADMSG },
		{ "r\x01", NULL, -EBADMSG },
	};
	char out[8];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int ret = fiop_runstr_expand(cases[i].in, out, sizeof(out));

		assert_int_equal(ret, cases[i].ret);
		if (ret >= 0)
			assert_memory_equal(out, cases[i].want, (size_t)ret);
	}
}

static void put32le(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put64le(uint8_t *p, uint64_t v)
{
	put32le(p, (uint32_t)v);
	put32le(p + 4, (uint32_t)(v >> 32));
}

/* IOLOG as fio 3.33 sends it (seen from a real server): a 288-byte header
 * (samples, thread, type, compressed, name at 32), 32-byte samples or 40
 * with offsets (flagged in the ddir's top bit). */
static void test_iolog(void **state)
{
	uint8_t p[FIOP_IOLOG_HDR + 2 * 40] = { 0 };
	struct fiop_iolog l;
	struct fiop_sample s;
	char err[200];

	(void)state;
	put64le(p, 2);
	put32le(p + 8, 2);
	put32le(p + 12, FIOP_LOG_BW);
	memcpy(p + 32, "dir/ybw_bw.2.log", 16);
	for (int i = 0; i < 2; i++) {
		uint8_t *q = p + FIOP_IOLOG_HDR + 40 * i;

		put64le(q, 500u * (unsigned)(i + 1));
		put64le(q + 8, 1000u + (unsigned)i);
		put32le(q + 16, 0x80000001u);
		put64le(q + 24, 65536);
		put64le(q + 32, 65536u * (unsigned)i);
	}
	assert_int_equal(fiop_iolog_decode(p, sizeof(p), &l, err, sizeof(err)), 0);
	assert_int_equal(l.nr_samples, 2);
	assert_int_equal(l.thread_number, 2);
	assert_int_equal(l.sample_size, 40);
	assert_string_equal(l.name, "dir/ybw_bw.2.log");
	fiop_iolog_sample(&l, 1, &s);
	assert_int_equal(s.time, 1000);
	assert_int_equal(s.value, 1001);
	assert_int_equal(s.ddir, 1);
	assert_true(s.has_offset);
	assert_int_equal(s.offset, 65536);
	assert_int_equal(s.bs, 65536);
	/* without offsets: 32-byte samples */
	put64le(p, 2);
	assert_int_equal(fiop_iolog_decode(p, FIOP_IOLOG_HDR + 64, &l, err, sizeof(err)), 0);
	assert_int_equal(l.sample_size, 32);
	/* refusals: short, samples that do not fill it, too many */
	assert_int_equal(fiop_iolog_decode(p, 100, &l, err, sizeof(err)), -EBADMSG);
	assert_int_equal(fiop_iolog_decode(p, FIOP_IOLOG_HDR + 70, &l, err, sizeof(err)),
			 -EBADMSG);
	put64le(p, UINT64_MAX);
	assert_int_equal(fiop_iolog_decode(p, sizeof(p), &l, err, sizeof(err)), -EBADMSG);
	put64le(p, 0);
	assert_int_equal(fiop_iolog_decode(p, sizeof(p), &l, err, sizeof(err)), -EBADMSG);
	assert_int_equal(fiop_iolog_decode(p, FIOP_IOLOG_HDR, &l, err, sizeof(err)), 0);
	/* what iolab does not write says so */
	put64le(p, 2);
	put32le(p + 16, 1);
	assert_int_equal(fiop_iolog_decode(p, sizeof(p), &l, err, sizeof(err)), -ENOTSUP);
	assert_non_null(strstr(err, "compressed"));
	put32le(p + 16, 0);
	put32le(p + 12, FIOP_LOG_HIST);
	assert_int_equal(fiop_iolog_decode(p, sizeof(p), &l, err, sizeof(err)), -ENOTSUP);
	assert_non_null(strstr(err, "histogram"));
}

/* Host specs: what parses, and what is refused without echoing a byte
 * that could be a terminal escape; names from the network lose their
 * control bytes. */
static void test_host_spec(void **state)
{
	static const struct { const char *spec; int ret; const char *host; unsigned port; } cases[] = {
		{ "127.0.0.1,9000", 0, "127.0.0.1", 9000 },
		{ "loadgen1", 0, "loadgen1", FIOP_PORT },
		{ "ip:10.0.0.5,8766", 0, "10.0.0.5", 8766 },
		{ "[::1],8765", 0, "::1", 8765 },
		{ "", -EINVAL, NULL, 0 },
		{ "host,0", -EINVAL, NULL, 0 },
		{ "host,70000", -EINVAL, NULL, 0 },
		{ "bad\033[31mhost", -EINVAL, NULL, 0 },
		{ "two words", -EINVAL, NULL, 0 },
		{ "sock:/tmp/x", -EINVAL, NULL, 0 },
	};
	struct fioc_host h;
	char err[400];
	uint8_t probe[112] = { 0 };
	struct fiop_probe pr;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int ret = fioc_host_parse(&h, cases[i].spec, err, sizeof(err));

		assert_int_equal(ret, cases[i].ret);
		if (!ret) {
			assert_string_equal(h.host, cases[i].host);
			assert_int_equal(h.port, cases[i].port);
		} else {
			assert_null(strchr(err, '\033'));
		}
		fioc_host_free(&h);
	}
	memcpy(probe, "evil\033]0;x\007", 11);
	memcpy(probe + 65, "fio-3.33", 8);
	assert_int_equal(fiop_probe_decode(probe, sizeof(probe), &pr, err, sizeof(err)), 0);
	assert_string_equal(pr.hostname, "evil?]0;x?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crc16_vectors),
		cmocka_unit_test(test_header_roundtrip),
		cmocka_unit_test(test_header_refusals),
		cmocka_unit_test(test_fragments),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_random_input),
		cmocka_unit_test(test_ts_layout),
		cmocka_unit_test(test_cluster_percentiles),
		cmocka_unit_test(test_delta_and_jobline),
		cmocka_unit_test(test_host_values),
		cmocka_unit_test(test_runstr),
		cmocka_unit_test(test_iolog),
		cmocka_unit_test(test_host_spec),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
