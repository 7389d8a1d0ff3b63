/* backend/verify: fill/check for every kind, the diagnosis of each kind of
 * damage, sub-blocks, the written-block log (against a brute-force model)
 * and the state file. */
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "backend/job.h"
#include "backend/verify.h"

#define SEED 0x1234567890abcdefull
#define OFF 1052672ull

static void opts_for(struct job_opts *o, enum verify_kind k)
{
	memset(o, 0, sizeof(*o));
	o->verify = k;
	o->bs[DDIR_WRITE] = 4096;
	if (k == VERIFY_PATTERN) {
		memcpy(o->verify_pattern, "\xde\xad\xbe\xef\x01", 5);
		o->verify_pattern_len = 5;
	}
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n);

	assert_non_null(p);
	return p;
}

/* Fails the test unless @msg contains @want. */
static void assert_msg(const char *msg, const char *want)
{
	if (!strstr(msg, want))
		fail_msg("message \"%s\" lacks \"%s\"", msg, want);
}

static const enum verify_kind all_kinds[] = { VERIFY_CRC32C, VERIFY_MD5, VERIFY_XXHASH,
					      VERIFY_SHA256, VERIFY_PATTERN };
#define NKINDS (sizeof(all_kinds) / sizeof(all_kinds[0]))

static void test_fill_check_roundtrip(void **state)
{
	static const uint32_t sizes[] = { 4096, 512, 65536, 1 << 20, 100, 72, 40, 1 };
	struct job_opts o;
	char msg[512];

	for (size_t k = 0; k < NKINDS; k++) {
		opts_for(&o, all_kinds[k]);
		for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
			uint8_t *b = xmalloc(sizes[s]);

			memset(b, 0xa5, sizes[s]);
			verify_fill_buf(&o, SEED, b, sizes[s], OFF, 7);
			int r = verify_check_buf(&o, SEED, "/tmp/x", b, sizes[s], OFF, 7, msg,
						 sizeof(msg));
			if (r)
				fail_msg("%s %u bytes: %s", verify_kind_name(o.verify), sizes[s], msg);
			/* generation 0 means any */
			assert_int_equal(verify_check_buf(&o, SEED, "/tmp/x", b, sizes[s], OFF, 0,
							  msg, sizeof(msg)),
					 0);
			free(b);
		}
	}
}

static void test_header_layout(void **state)
{
	struct job_opts o;
	uint8_t b[4096];
	struct verify_hdr h;

	opts_for(&o, VERIFY_CRC32C);
	verify_fill_buf(&o, SEED, b, sizeof(b), OFF, 9);
	memcpy(&h, b, sizeof(h)); /* little-endian host */
	assert_int_equal(h.magic, VERIFY_MAGIC);
	assert_int_equal(h.version, VERIFY_HDR_VERSION);
	assert_int_equal(h.kind, VERIFY_CRC32C);
	assert_int_equal(h.hdr_len, VERIFY_HDR_SIZE);
	assert_int_equal(h.len, 4096);
	assert_int_equal(h.offset, OFF);
	assert_int_equal(h.seed, SEED);
	assert_int_equal(h.gen, 9);
	/* different (offset, gen, seed) give different payloads */
	uint8_t c[4096];
	verify_fill_buf(&o, SEED, c, sizeof(c), OFF, 10);
	assert_memory_not_equal(b + 72, c + 72, 4096 - 72);
	verify_fill_buf(&o, SEED, c, sizeof(c), OFF + 4096, 9);
	assert_memory_not_equal(b + 72, c + 72, 4096 - 72);
	verify_fill_buf(&o, SEED + 1, c, sizeof(c), OFF, 9);
	assert_memory_not_equal(b + 72, c + 72, 4096 - 72);
	/* and the same inputs the same bytes */
	verify_fill_buf(&o, SEED, c, sizeof(c), OFF, 9);
	assert_memory_equal(b, c, sizeof(b));
}

static void test_flip_byte(void **state)
{
	struct job_opts o;
	uint8_t b[4096];
	char msg[512], want[128];

	for (size_t k = 0; k < NKINDS; k++) {
		opts_for(&o, all_kinds[k]);
		verify_fill_buf(&o, SEED, b, sizeof(b), OFF, 3);
		b[1000] ^= 0x40;
		assert_int_equal(verify_check_buf(&o, SEED, "/tmp/x", b, sizeof(b), OFF, 3, msg,
						  sizeof(msg)),
				 -EILSEQ);
		snprintf(want, sizeof(want), "verify: /tmp/x: bad %s at offset %llu (block of 4096)",
			 verify_kind_name(o.verify), OFF);
		assert_msg(msg, want);
		snprintf(want, sizeof(want), "first difference at offset %llu (byte 1000)",
			 OFF + 1000);
		assert_msg(msg, want);
		assert_msg(msg, "(1 byte differs)");
	}
	/* the crc32c message shows both checksums as numbers */
	opts_for(&o, VERIFY_CRC32C);
	verify_fill_buf(&o, SEED, b, sizeof(b), OFF, 3);
	b[4095] ^= 1;
	verify_check_buf(&o, SEED, "/tmp/x", b, sizeof(b), OFF, 3, msg, sizeof(msg));
	assert_msg(msg, "expected 0x");
	assert_msg(msg, ", found 0x");
	assert_msg(msg, "byte 4095");
}

static void test_header_damage(void **state)
{
	struct job_opts o;
	uint8_t b[4096];
	char msg[512];

	opts_for(&o, VERIFY_CRC32C);
	verify_fill_buf(&o, SEED, b, sizeof(b), OFF, 3);
	b[20] ^= 1; /* inside the offset field */
	assert_int_equal(verify_check_buf(&o, SEED, "f", b, sizeof(b), OFF, 3, msg, sizeof(msg)),
			 -EILSEQ);
	assert_msg(msg, "bad header checksum at offset 1052672 (block of 4096)");

	verify_fill_buf(&o, SEED, b, sizeof(b), OFF, 3);
	b[0] ^= 1;
	verify_check_buf(&o, SEED, "f", b, sizeof(b), OFF, 3, msg, sizeof(msg));
	assert_msg(msg, "bad magic at offset 1052672");

	memset(b, 0, sizeof(b));
	verify_check_buf(&o, SEED, "f", b, sizeof(b), OFF, 3, msg, sizeof(msg));
	assert_msg(msg, "bad magic at offset 1052672 (block of 4096): expected 0x564c4f49, "
			"found 0x00000000 (block is all zeros");
}

static void test_misplaced_stale_foreign(void **state)
{
	struct job_opts o;
	uint8_t b[4096];
	char msg[512];

	opts_for(&o, VERIFY_XXHASH);
	verify_fill_buf(&o, SEED, b, sizeof(b), 4096, 5);
	assert_int_equal(verify_check_buf(&o, SEED, "/d/f", b, sizeof(b), 8192, 5, msg,
					  sizeof(msg)),
			 -EILSEQ);
	assert_msg(msg, "verify: /d/f: misplaced block at offset 8192 (block of 4096): header "
			"says offset 4096");

	verify_check_buf(&o, SEED, "/d/f", b, sizeof(b), 4096, 6, msg, sizeof(msg));
	assert_msg(msg, "stale block at offset 4096 (block of 4096): header says generation 5, "
			"expected 6");

	verify_check_buf(&o, SEED ^ 1, "/d/f", b, sizeof(b), 4096, 5, msg, sizeof(msg));
	assert_msg(msg, "block from another job at offset 4096");

	opts_for(&o, VERIFY_MD5);
	verify_check_buf(&o, SEED, "/d/f", b, sizeof(b), 4096, 5, msg, sizeof(msg));
	assert_msg(msg, "header says verify=xxhash, job uses md5");

	/* read with a different block size: the length field disagrees */
	opts_for(&o, VERIFY_XXHASH);
	uint8_t big[8192];
	verify_fill_buf(&o, SEED, big, sizeof(big), 4096, 5);
	verify_check_buf(&o, SEED, "/d/f", big, 4096, 4096, 5, msg, sizeof(msg));
	assert_msg(msg, "bad block length at offset 4096 (block of 4096): header says 8192");
}

static void test_torn(void **state)
{
	struct job_opts o;
	uint8_t b[8192];
	char msg[512];

	opts_for(&o, VERIFY_CRC32C);
	/* second half never made it: zeros from byte 4096 */
	verify_fill_buf(&o, SEED, b, sizeof(b), 0, 2);
	memset(b + 4096, 0, 4096);
	assert_int_equal(verify_check_buf(&o, SEED, "t", b, sizeof(b), 0, 2, msg, sizeof(msg)),
			 -EILSEQ);
	assert_msg(msg, "torn write at offset 0 (block of 8192): header ok, data bad from byte "
			"4096 of 8192 (zeros); crc32c expected 0x");

	/* whole payload zeroed behind a good header */
	verify_fill_buf(&o, SEED, b, sizeof(b), 0, 2);
	memset(b + VERIFY_HDR_SIZE, 0, sizeof(b) - VERIFY_HDR_SIZE);
	verify_check_buf(&o, SEED, "t", b, sizeof(b), 0, 2, msg, sizeof(msg));
	assert_msg(msg, "torn write at offset 0 (block of 8192): header ok, data bad from byte 72");

	/* tail holds an older generation of the same block: torn, not zeros */
	uint8_t old[8192];
	verify_fill_buf(&o, SEED, old, sizeof(old), 0, 1);
	verify_fill_buf(&o, SEED, b, sizeof(b), 0, 2);
	memcpy(b + 6144, old + 6144, 2048);
	verify_check_buf(&o, SEED, "t", b, sizeof(b), 0, 2, msg, sizeof(msg));
	assert_msg(msg, "torn write at offset 0 (block of 8192): header ok, data bad from byte 6144 "
			"of 8192;");
	assert_null(strstr(msg, "zeros"));

	/* a hole in the middle is corruption, not a torn write */
	verify_fill_buf(&o, SEED, b, sizeof(b), 0, 2);
	memset(b + 1024, 0, 512);
	verify_check_buf(&o, SEED, "t", b, sizeof(b), 0, 2, msg, sizeof(msg));
	assert_msg(msg, "bad crc32c at offset 0 (block of 8192)");
	assert_msg(msg, "first difference at offset 1024");
}

static void test_pattern(void **state)
{
	struct job_opts o;
	uint8_t b[4096];
	char msg[512];

	opts_for(&o, VERIFY_PATTERN);
	verify_fill_buf(&o, SEED, b, sizeof(b), OFF, 1);
	/* no header: the pattern from byte 0 */
	for (int i = 0; i < 4096; i++)
		assert_int_equal(b[i], o.verify_pattern[i % 5]);
	/* any seed, offset or generation: pattern verify only compares bytes */
	assert_int_equal(verify_check_buf(&o, 99, "p", b, sizeof(b), 0, 42, msg, sizeof(msg)), 0);
	b[777] = 0;
	assert_int_equal(verify_check_buf(&o, SEED, "p", b, sizeof(b), OFF, 1, msg, sizeof(msg)),
			 -EILSEQ);
	assert_msg(msg, "verify: p: bad pattern at offset 1052672 (block of 4096)");
	assert_msg(msg, "first difference at offset 1053449 (byte 777): expected 0xbe, found 0x00");

	/* verify_pattern with a checksum kind fills the payload with it */
	o.verify = VERIFY_CRC32C;
	verify_fill_buf(&o, SEED, b, sizeof(b), OFF, 1);
	for (int i = 72; i < 4096; i++)
		assert_int_equal(b[i], o.verify_pattern[(i - 72) % 5]);
	assert_int_equal(verify_check_buf(&o, SEED, "p", b, sizeof(b), OFF, 1, msg, sizeof(msg)),
			 0);
}

static void test_interval(void **state)
{
	struct job_opts o;
	uint8_t b[16384];
	char msg[512];

	opts_for(&o, VERIFY_SHA256);
	o.verify_interval = 4096;
	o.bs[DDIR_WRITE] = 16384;
	verify_fill_buf(&o, SEED, b, sizeof(b), OFF, 4);
	for (int i = 0; i < 4; i++) {
		struct verify_hdr h;

		memcpy(&h, b + i * 4096, sizeof(h));
		assert_int_equal(h.magic, VERIFY_MAGIC);
		assert_int_equal(h.offset, OFF + i * 4096);
		assert_int_equal(h.len, 4096);
	}
	assert_int_equal(verify_check_buf(&o, SEED, "i", b, sizeof(b), OFF, 4, msg, sizeof(msg)),
			 0);
	b[2 * 4096 + 100] ^= 0xff;
	assert_int_equal(verify_check_buf(&o, SEED, "i", b, sizeof(b), OFF, 4, msg, sizeof(msg)),
			 -EILSEQ);
	assert_msg(msg, "bad sha256 at offset 1060864 (block of 4096)");
	/* the digests are shown as hex bytes, cut after 16 */
	assert_non_null(strstr(msg, "..,"));

	/* a tail shorter than a header joins the sub-block before it */
	uint8_t t[4096 + 40];
	verify_fill_buf(&o, SEED, t, sizeof(t), 0, 4);
	struct verify_hdr h;
	memcpy(&h, t, sizeof(h));
	assert_int_equal(h.len, 4096 + 40);
	assert_int_equal(verify_check_buf(&o, SEED, "i", t, sizeof(t), 0, 4, msg, sizeof(msg)),
			 0);

	/* a sub-block can be checked on its own */
	verify_fill_buf(&o, SEED, b, sizeof(b), OFF, 4);
	assert_int_equal(verify_check_buf(&o, SEED, "i", b + 4096, 4096, OFF + 4096, 4, msg,
					  sizeof(msg)),
			 0);
}

static void test_opts_check(void **state)
{
	struct job_opts o;
	char err[256];

	opts_for(&o, VERIFY_CRC32C);
	assert_int_equal(verify_opts_check(&o, err, sizeof(err)), 0);
	o.verify_interval = 64;
	assert_int_equal(verify_opts_check(&o, err, sizeof(err)), -EINVAL);
	assert_msg(err, "verify_interval: 64 is smaller than the 72-byte verify header");
	o.verify_interval = 8192;
	assert_int_equal(verify_opts_check(&o, err, sizeof(err)), -EINVAL);
	assert_msg(err, "larger than the smallest write size 4096");
	opts_for(&o, VERIFY_PATTERN);
	o.verify_pattern_len = 0;
	assert_int_equal(verify_opts_check(&o, err, sizeof(err)), -EINVAL);
	assert_msg(err, "verify=pattern needs verify_pattern");

	/* seeds: stable, differ by name and randseed */
	opts_for(&o, VERIFY_CRC32C);
	uint64_t a = verify_job_seed(&o, "job"), b = verify_job_seed(&o, "job.2");
	assert_int_equal(a, verify_job_seed(&o, "job"));
	assert_int_not_equal(a, b);
	o.randseed_set = true;
	o.randseed = 7;
	assert_int_not_equal(a, verify_job_seed(&o, "job"));
}

static void test_io_u_api(void **state)
{
	struct job_opts o;
	struct job_file f = { .path = "/tmp/iolab-verify-file" };
	uint8_t b[4096];
	struct io_u u = { .buf = b, .buflen = sizeof(b), .offset = OFF, .seq = 11, .file = &f };
	char msg[512];

	opts_for(&o, VERIFY_CRC32C);
	verify_fill(&o, SEED, &u);
	assert_int_equal(verify_check(&o, SEED, &u, msg, sizeof(msg)), 0);
	b[2000] ^= 2;
	assert_int_equal(verify_check(&o, SEED, &u, msg, sizeof(msg)), -EILSEQ);
	assert_msg(msg, "verify: /tmp/iolab-verify-file: bad crc32c at offset 1052672 (block of "
			"4096)");
	u.resid = 96;
	assert_int_equal(verify_check(&o, SEED, &u, msg, sizeof(msg)), -EILSEQ);
	assert_msg(msg, "short read at offset 1052672 (block of 4096): got 4000 of 4096 bytes");
	u.resid = 0;
	u.flags = IOU_TRIM_ZERO;
	memset(b, 0, sizeof(b));
	assert_int_equal(verify_check(&o, SEED, &u, msg, sizeof(msg)), 0);
	b[3000] = 1;
	assert_int_equal(verify_check(&o, SEED, &u, msg, sizeof(msg)), -EILSEQ);
	assert_msg(msg, "trimmed block not zero at offset 1052672 (block of 4096): byte at offset "
			"1055672 is 0x01");
	/* messages are cut to the caller's buffer, never overrun */
	char tiny[24];
	memset(tiny, 'x', sizeof(tiny));
	verify_check(&o, SEED, &u, tiny, 16);
	assert_int_equal(strlen(tiny), 15);
	assert_int_equal(tiny[16], 'x');
}

/* ---- log ---- */

static unsigned walk(const struct verify_log *l, struct verify_block *out, unsigned max)
{
	struct verify_cursor c = { 0 };
	unsigned n = 0;

	while (n < max && verify_log_next(l, &c, &out[n]))
		n++;
	return n;
}

static void test_log_sequential_compact(void **state)
{
	struct verify_log l;
	struct verify_block b;

	assert_int_equal(verify_log_init(&l, 0), 0);
	for (uint64_t i = 0; i < 100000; i++)
		assert_int_equal(verify_log_add(&l, 0, i * 4096, 4096, i + 1), 0);
	assert_int_equal(l.nr_runs, 1);
	assert_int_equal(l.nr_blocks, 100000);
	assert_int_equal(l.bytes, 100000ull * 4096);
	assert_true(verify_log_lookup(&l, 0, 4096 * 500, &b));
	assert_int_equal(b.gen, 501);
	assert_int_equal(b.len, 4096);
	assert_false(verify_log_lookup(&l, 0, 4096 * 500 + 512, &b));
	assert_false(verify_log_lookup(&l, 0, 4096 * 100000, &b));
	verify_log_free(&l);

	/* out-of-order completions (iodepth 8, reversed in each batch) join up */
	verify_log_init(&l, 0);
	for (uint64_t batch = 0; batch < 1000; batch++)
		for (int k = 7; k >= 0; k--) {
			uint64_t i = batch * 8 + k;

			assert_int_equal(verify_log_add(&l, 0, i * 4096, 4096, i + 1), 0);
		}
	assert_int_equal(l.nr_runs, 1);
	assert_int_equal(l.nr_blocks, 8000);
	/* generations that step by 2 (reads between writes) stay one run */
	verify_log_free(&l);
	verify_log_init(&l, 0);
	for (uint64_t i = 0; i < 1000; i++)
		verify_log_add(&l, 0, i * 8192, 8192, 2 * i + 1);
	assert_int_equal(l.nr_runs, 1);
	assert_true(verify_log_lookup(&l, 0, 8192 * 10, &b));
	assert_int_equal(b.gen, 21);
	verify_log_free(&l);
}

static void test_log_overwrite(void **state)
{
	struct verify_log l;
	struct verify_block out[16];

	verify_log_init(&l, 0);
	for (uint64_t i = 0; i < 8; i++)
		verify_log_add(&l, 0, i * 4096, 4096, i + 1); /* gens 1..8 */
	verify_log_add(&l, 0, 3 * 4096, 4096, 9);           /* rewrite block 3 */
	assert_int_equal(l.nr_blocks, 8);
	assert_int_equal(walk(&l, out, 16), 8);
	assert_int_equal(out[3].gen, 9);
	assert_int_equal(out[2].gen, 3);
	assert_int_equal(out[4].gen, 5);
	/* an 8k write at 6k overlaps blocks 1 and 2 partially: both dropped */
	verify_log_add(&l, 0, 6144, 8192, 10);
	assert_int_equal(walk(&l, out, 16), 6);
	assert_int_equal(out[0].offset, 0);
	assert_int_equal(out[1].offset, 6144);
	assert_int_equal(out[1].len, 8192);
	assert_int_equal(out[1].gen, 10);
	assert_int_equal(out[2].offset, 4 * 4096); /* block 3 (gen 9) was covered too */
	assert_int_equal(l.nr_blocks, 6);
	assert_int_equal(l.bytes, 5 * 4096 + 8192);
	verify_log_free(&l);
}

static uint64_t xs(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Random writes of mixed sizes over three files against a list model: a
 * write removes every block of its file it overlaps, then joins the set. */
static void test_log_model(void **state)
{
	enum { SPAN = 256, MAXB = 4096 }; /* in 512-byte sectors */
	struct verify_block *model = xmalloc(MAXB * sizeof(*model)), *got = xmalloc(MAXB * sizeof(*got));
	unsigned nm = 0;
	struct verify_log l;
	uint64_t s = 88172645463325252ull;

	verify_log_init(&l, 0);
	for (uint64_t gen = 1; gen <= 20000; gen++) {
		uint64_t sec = xs(&s) % SPAN, nsec = 1 + xs(&s) % 8;
		unsigned file = (unsigned)(xs(&s) % 3) * 7; /* files 0, 7, 14 */

		if (xs(&s) % 3 == 0) /* stretches of sequential 4k writes */
			sec = (gen % (SPAN / 8)) * 8, nsec = 8, file = 7;
		if (sec + nsec > SPAN)
			sec = SPAN - nsec;
		uint64_t off = sec * 512, len = nsec * 512;

		for (unsigned i = 0; i < nm;) {
			if (model[i].file == file && model[i].offset < off + len &&
			    off < model[i].offset + model[i].len)
				model[i] = model[--nm];
			else
				i++;
		}
		model[nm++] = (struct verify_block){ .file = file, .offset = off,
						     .len = (uint32_t)len, .gen = gen };
		assert_int_equal(verify_log_add(&l, file, off, (uint32_t)len, gen), 0);
		if (gen % 97 == 0 || gen == 20000) {
			unsigned ng = walk(&l, got, MAXB);

			assert_int_equal(ng, nm);
			assert_int_equal(l.nr_blocks, nm);
			for (unsigned i = 0; i < ng; i++) {
				unsigned j;

				if (i && got[i].file == got[i - 1].file)
					assert_true(got[i].offset >= got[i - 1].offset + got[i - 1].len);
				else if (i)
					assert_true(got[i].file > got[i - 1].file);
				for (j = 0; j < nm; j++)
					if (model[j].file == got[i].file && model[j].offset == got[i].offset)
						break;
				assert_true(j < nm);
				assert_int_equal(model[j].len, got[i].len);
				assert_int_equal(model[j].gen, got[i].gen);
				struct verify_block b;
				assert_true(verify_log_lookup(&l, got[i].file, got[i].offset, &b));
				assert_int_equal(b.gen, got[i].gen);
			}
		}
	}
	assert_true(l.nr_runs <= l.nr_blocks);
	printf("log model: %" PRIu64 " blocks in %" PRIu64 " runs\n", l.nr_blocks, l.nr_runs);
	verify_log_free(&l);
	free(model);
	free(got);
}

static void test_log_backlog(void **state)
{
	struct verify_log l;
	struct verify_block out[8];

	verify_log_init(&l, 4);
	for (uint64_t i = 0; i < 6; i++)
		verify_log_add(&l, 0, i * 4096, 4096, i + 1);
	assert_int_equal(verify_log_pending(&l), 6);
	/* only the last 4 fit the ring; oldest first */
	assert_int_equal(verify_log_backlog(&l, out, 8), 4);
	assert_int_equal(out[0].offset, 2 * 4096);
	assert_int_equal(out[3].offset, 5 * 4096);
	assert_int_equal(verify_log_pending(&l), 0);
	/* overwritten blocks are not handed out twice with a stale generation */
	verify_log_add(&l, 0, 0, 4096, 7);
	verify_log_add(&l, 0, 4096, 4096, 8);
	verify_log_add(&l, 0, 0, 4096, 9);
	assert_int_equal(verify_log_backlog(&l, out, 8), 2);
	assert_int_equal(out[0].offset, 4096);
	assert_int_equal(out[1].offset, 0);
	assert_int_equal(out[1].gen, 9);
	verify_log_free(&l);
}

/* ---- state file ---- */

static char *tmp_path(const char *name)
{
	const char *dir = getenv("TEST_TMP") ? getenv("TEST_TMP") : getenv("TMPDIR");
	char *p = xmalloc(4096);

	snprintf(p, 4096, "%s/%s.%d", dir ? dir : "/tmp", name, (int)getpid());
	return p;
}

static void test_state_roundtrip(void **state)
{
	struct job_opts o;
	struct verify_log l, m;
	struct verify_block a[512], b[512];
	char err[512], *path = tmp_path("iolab-vstate");
	uint64_t seed = 0, s = 7;

	opts_for(&o, VERIFY_MD5);
	o.verify_interval = 1024;
	verify_log_init(&l, 0);
	for (uint64_t i = 0; i < 300; i++) /* a sequential run plus random blocks */
		verify_log_add(&l, 0, i * 4096, 4096, i + 1);
	for (uint64_t i = 0; i < 200; i++)
		verify_log_add(&l, (unsigned)(i % 3), (xs(&s) % 1000) * 8192 + (1ull << 32), 8192,
			       1000 + i);
	assert_int_equal(verify_state_save(&l, path, SEED, &o, err, sizeof(err)), 0);

	verify_log_init(&m, 0);
	assert_int_equal(verify_state_load(&m, path, &o, &seed, err, sizeof(err)), 0);
	assert_int_equal(seed, SEED);
	assert_int_equal(m.nr_blocks, l.nr_blocks);
	assert_int_equal(m.bytes, l.bytes);
	assert_int_equal(m.nr_runs, l.nr_runs);
	unsigned na = walk(&l, a, 512), nb = walk(&m, b, 512);
	assert_int_equal(na, nb);
	for (unsigned i = 0; i < na; i++) {
		assert_int_equal(a[i].file, b[i].file);
		assert_int_equal(a[i].offset, b[i].offset);
		assert_int_equal(a[i].len, b[i].len);
		assert_int_equal(a[i].gen, b[i].gen);
	}
	verify_log_free(&m);

	/* a job with other verify options is refused */
	verify_log_init(&m, 0);
	o.verify = VERIFY_CRC32C;
	assert_int_equal(verify_state_load(&m, path, &o, &seed, err, sizeof(err)), -EINVAL);
	assert_msg(err, "written with verify=md5 verify_interval=1024, job has verify=crc32c");
	assert_int_equal(m.nr_blocks, 0);

	/* flipped byte in a record, then truncation, then garbage */
	FILE *f = fopen(path, "r+b");
	assert_non_null(f);
	fseek(f, 64 + 40 + 20, SEEK_SET); /* a generation: still well-formed */
	fputc(0x55, f);
	fclose(f);
	assert_int_equal(verify_state_load(&m, path, NULL, &seed, err, sizeof(err)), -EINVAL);
	assert_msg(err, "run records do not match the header");
	assert_int_equal(truncate(path, 64 + 40 * 3 + 5), 0);
	assert_int_equal(verify_state_load(&m, path, NULL, &seed, err, sizeof(err)), -EINVAL);
	assert_msg(err, "truncated: 3 of ");
	f = fopen(path, "wb");
	fputs("hello, this is not a state file at all, not even close to one....", f);
	fclose(f);
	assert_int_equal(verify_state_load(&m, path, NULL, &seed, err, sizeof(err)), -EINVAL);
	assert_msg(err, "not an iolab verify state file");
	unlink(path);
	assert_int_equal(verify_state_load(&m, path, NULL, &seed, err, sizeof(err)), -ENOENT);
	assert_msg(err, "No such file");
	verify_log_free(&m);
	verify_log_free(&l);

	/* empty log round trip */
	verify_log_init(&l, 0);
	assert_int_equal(verify_state_save(&l, path, 5, &o, err, sizeof(err)), 0);
	verify_log_init(&m, 0);
	assert_int_equal(verify_state_load(&m, path, &o, &seed, err, sizeof(err)), 0);
	assert_int_equal(seed, 5);
	assert_int_equal(m.nr_blocks, 0);
	unlink(path);
	verify_log_free(&m);
	verify_log_free(&l);

	/* unwritable place */
	assert_true(verify_state_save(&l, "/nonexistent-dir/x.state", 5, &o, err, sizeof(err)) < 0);
	assert_msg(err, "verify_state_save: /nonexistent-dir/x.state: cannot be created: No such file");

	char buf[256];
	assert_int_equal(verify_state_path(buf, sizeof(buf), "1", "job.2"), 0);
	assert_string_equal(buf, "job.2-verify.state");
	assert_int_equal(verify_state_path(buf, sizeof(buf), "/tmp", "job"), 0);
	assert_string_equal(buf, "/tmp/job-verify.state");
	assert_int_equal(verify_state_path(buf, sizeof(buf), "/tmp/my.state", "job"), 0);
	assert_string_equal(buf, "/tmp/my.state");
	free(path);
}

/* ---- cost ---- */

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* Prints the cost of fill and check per 4 KiB block; fails only if grossly
 * slow (the machine is shared). */
static void test_speed(void **state)
{
	struct job_opts o;
	static uint8_t b[4096];
	char msg[256];
	int iters = 20000;

	for (size_t k = 0; k < NKINDS; k++) {
		opts_for(&o, all_kinds[k]);
		double t0 = now_s();
		for (int i = 0; i < iters; i++)
			verify_fill_buf(&o, SEED, b, sizeof(b), OFF, i + 1);
		double t1 = now_s();
		for (int i = 0; i < iters; i++)
			if (verify_check_buf(&o, SEED, "s", b, sizeof(b), OFF, 0, msg, sizeof(msg)))
				fail_msg("%s", msg);
		double t2 = now_s();
		double fill_ns = (t1 - t0) / iters * 1e9, check_ns = (t2 - t1) / iters * 1e9;

		printf("verify=%-7s 4KiB: fill %6.0f ns, check %6.0f ns\n",
		       verify_kind_name(o.verify), fill_ns, check_ns);
#if !defined(__SANITIZE_THREAD__) && !defined(__SANITIZE_ADDRESS__)
		/* (a sanitizer build runs several times slower) */
		if (o.verify == VERIFY_CRC32C)
			assert_true(check_ns < 20000);
#endif
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fill_check_roundtrip),
		cmocka_unit_test(test_header_layout),
		cmocka_unit_test(test_flip_byte),
		cmocka_unit_test(test_header_damage),
		cmocka_unit_test(test_misplaced_stale_foreign),
		cmocka_unit_test(test_torn),
		cmocka_unit_test(test_pattern),
		cmocka_unit_test(test_interval),
		cmocka_unit_test(test_opts_check),
		cmocka_unit_test(test_io_u_api),
		cmocka_unit_test(test_log_sequential_compact),
		cmocka_unit_test(test_log_overwrite),
		cmocka_unit_test(test_log_model),
		cmocka_unit_test(test_log_backlog),
		cmocka_unit_test(test_state_roundtrip),
		cmocka_unit_test(test_speed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
