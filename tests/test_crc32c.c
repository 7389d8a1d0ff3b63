/* lib/crc32c: known vectors, hw vs sw on random buffers, chaining, speed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "lib/crc32c.h"

struct vec {
	const char *what;
	size_t len;
	int fill; /* -1 ascending, -2 descending, -3 text, else the byte */
	const char *text;
	uint32_t crc;
};

static const struct vec vectors[] = {
	{ "check string", 9, -3, "123456789", 0xE3069283 },
	{ "empty", 0, -3, "", 0x00000000 },
	{ "a", 1, -3, "a", 0xC1D04330 },
	{ "abc", 3, -3, "abc", 0x364B3FB7 },
	{ "fox", 43, -3, "The quick brown fox jumps over the lazy dog", 0x22620404 },
	{ "rfc3720 zeros", 32, 0x00, NULL, 0x8A9136AA },
	{ "rfc3720 ones", 32, 0xff, NULL, 0x62A8AB43 },
	{ "rfc3720 incrementing", 32, -1, NULL, 0x46DD794E },
	{ "rfc3720 decrementing", 32, -2, NULL, 0x113FDB5C },
};

static void make_vec(const struct vec *v, unsigned char *buf)
{
	for (size_t i = 0; i < v->len; i++) {
		switch (v->fill) {
		case -1: buf[i] = (unsigned char)i; break;
		case -2: buf[i] = (unsigned char)(v->len - 1 - i); break;
		case -3: buf[i] = (unsigned char)v->text[i]; break;
		default: buf[i] = (unsigned char)v->fill; break;
		}
	}
}

static void test_vectors(void **state)
{
	unsigned char buf[64];

	for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		const struct vec *v = &vectors[i];

		make_vec(v, buf);
		if (crc32c(0, buf, v->len) != v->crc)
			fail_msg("%s: crc32c gave 0x%08x, want 0x%08x", v->what,
				 crc32c(0, buf, v->len), v->crc);
		assert_int_equal(crc32c_sw(0, buf, v->len), v->crc);
		if (crc32c_hw_available())
			assert_int_equal(crc32c_hw(0, buf, v->len), v->crc);
	}
}

/* A long vector crosses the hw three-stream chunk paths (computed bitwise). */
static void test_long_vector(void **state)
{
	size_t n = 100003;
	unsigned char *buf = malloc(n);

	assert_non_null(buf);
	for (size_t i = 0; i < n; i++)
		buf[i] = (unsigned char)((i * 7 + 3) ^ (i >> 8));
	assert_int_equal(crc32c(0, buf, n), 0xAF1F16E3);
	assert_int_equal(crc32c_sw(0, buf, n), 0xAF1F16E3);
	free(buf);
}

static uint64_t xs(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void test_hw_equals_sw(void **state)
{
	size_t max = 3 * 8192 * 2 + 777;
	unsigned char *buf = malloc(max + 16);
	uint64_t s = 0x9e3779b97f4a7c15ull;

	if (!crc32c_hw_available()) {
		printf("skip: CPU has no SSE4.2 crc32 instruction; only sw path tested\n");
		free(buf);
		skip();
	}
	assert_non_null(buf);
	for (size_t i = 0; i < max + 16; i++)
		buf[i] = (unsigned char)xs(&s);
	/* every length around the chunk boundaries, every misalignment */
	static const size_t lens[] = { 0, 1, 7, 8, 9, 63, 255, 256, 767, 768, 769, 1000,
				       4095, 4096, 4097, 24575, 24576, 24577, 3 * 8192 * 2 + 777 };
	for (size_t li = 0; li < sizeof(lens) / sizeof(lens[0]); li++) {
		for (size_t a = 0; a < 16; a++) {
			size_t len = lens[li] > max - a ? max - a : lens[li];
			uint32_t seed = (uint32_t)xs(&s);

			assert_int_equal(crc32c_hw(seed, buf + a, len), crc32c_sw(seed, buf + a, len));
		}
	}
	for (int i = 0; i < 2000; i++) {
		size_t a = xs(&s) % 16, len = xs(&s) % (max - 16);

		assert_int_equal(crc32c_hw(0, buf + a, len), crc32c_sw(0, buf + a, len));
	}
	free(buf);
}

static void test_chaining(void **state)
{
	unsigned char buf[10000];
	uint64_t s = 42;

	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)xs(&s);
	uint32_t whole = crc32c(0, buf, sizeof(buf));
	for (size_t cut = 0; cut <= sizeof(buf); cut += 997) {
		uint32_t c = crc32c(0, buf, cut);

		assert_int_equal(crc32c(c, buf + cut, sizeof(buf) - cut), whole);
		c = crc32c_sw(0, buf, cut);
		assert_int_equal(crc32c_sw(c, buf + cut, sizeof(buf) - cut), whole);
	}
	/* one flipped bit changes the result */
	buf[5000] ^= 0x10;
	assert_int_not_equal(crc32c(0, buf, sizeof(buf)), whole);
}

static double ns_per_call(uint32_t (*fn)(uint32_t, const void *, size_t), const void *buf,
			  size_t len, int iters, uint32_t *sink)
{
	struct timespec a, b;

	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int i = 0; i < iters; i++)
		*sink += fn(*sink, buf, len);
	clock_gettime(CLOCK_MONOTONIC, &b);
	return ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / iters;
}

/* Prints the cost of a 4 KiB checksum; fails only if grossly slow. */
static void test_speed(void **state)
{
	static unsigned char buf[4096];
	uint32_t sink = 0;

	memset(buf, 0x5a, sizeof(buf));
	double sw = ns_per_call(crc32c_sw, buf, sizeof(buf), 20000, &sink);
	double best = ns_per_call(crc32c, buf, sizeof(buf), 20000, &sink);

	printf("crc32c 4KiB: dispatch %.0f ns (%.2f GB/s), sw %.0f ns (%.2f GB/s)%s [sink %08x]\n",
	       best, 4096 / best, sw, 4096 / sw, crc32c_hw_available() ? "" : " (no sse4.2)",
	       sink);
	assert_true(best < 50000.0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_long_vector),
		cmocka_unit_test(test_hw_equals_sw),
		cmocka_unit_test(test_chaining),
		cmocka_unit_test(test_speed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
