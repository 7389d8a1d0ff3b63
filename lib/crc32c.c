/* CRC32C: SSE4.2 three-stream hardware path and slicing-by-8 fallback.
 *
 * The hardware path runs three independent crc32 streams over adjacent
 * chunks to hide the instruction's 3-cycle latency, then joins them with
 * "shift by N zero bytes" operators (the CRC register is linear over GF(2),
 * so crc(A||B) = shift(crc(A), |B|) ^ crc0(B)). The operators for the two
 * chunk sizes are 4x256 tables built once from the sw byte table. */
#include <pthread.h>
#include <string.h>

#include "crc32c.h"

#if defined(__x86_64__) || defined(__i386__)
#include <nmmintrin.h>
#define CRC32C_HAVE_X86 1
#endif

#define POLY 0x82f63b78u
#define LONG_CHUNK 8192
#define SHORT_CHUNK 256

static uint32_t sw_table[8][256];
static uint32_t shift_long[4][256], shift_short[4][256];
static uint32_t (*crc_impl)(uint32_t, const void *, size_t);
static bool have_hw;
static pthread_once_t crc_once = PTHREAD_ONCE_INIT;

/* Advance raw register @r over @n zero bytes. */
static uint32_t zeros_slow(uint32_t r, size_t n)
{
	while (n--)
		r = sw_table[0][r & 0xff] ^ (r >> 8);
	return r;
}

/* Table form of "advance over @n zero bytes": op(r) = xor of t[k][byte k]. */
static void build_shift(uint32_t t[4][256], size_t n)
{
	uint32_t basis[32];

	for (int i = 0; i < 32; i++)
		basis[i] = zeros_slow(1u << i, n);
	for (int k = 0; k < 4; k++) {
		for (unsigned b = 0; b < 256; b++) {
			uint32_t v = 0;

			for (int j = 0; j < 8; j++)
				if (b & (1u << j))
					v ^= basis[8 * k + j];
			t[k][b] = v;
		}
	}
}

static inline uint32_t shift_apply(const uint32_t t[4][256], uint32_t r)
{
	return t[0][r & 0xff] ^ t[1][(r >> 8) & 0xff] ^ t[2][(r >> 16) & 0xff] ^ t[3][r >> 24];
}

static void crc_init_once(void)
{
	for (unsigned n = 0; n < 256; n++) {
		uint32_t c = n;

		for (int k = 0; k < 8; k++)
			c = (c & 1) ? (c >> 1) ^ POLY : c >> 1;
		sw_table[0][n] = c;
	}
	for (unsigned n = 0; n < 256; n++)
		for (int k = 1; k < 8; k++)
			sw_table[k][n] = sw_table[0][sw_table[k - 1][n] & 0xff] ^
					 (sw_table[k - 1][n] >> 8);
	build_shift(shift_long, LONG_CHUNK);
	build_shift(shift_short, SHORT_CHUNK);

	crc_impl = crc32c_sw;
#ifdef CRC32C_HAVE_X86
	__builtin_cpu_init();
	if (__builtin_cpu_supports("sse4.2")) {
		have_hw = true;
		crc_impl = crc32c_hw;
	}
#endif
}

static inline void crc_init(void)
{
	pthread_once(&crc_once, crc_init_once);
}

static inline uint64_t load64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

uint32_t crc32c_sw(uint32_t crc, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	uint32_t c = ~crc;

	crc_init();
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	while (len >= 8) {
		uint64_t w = load64(p) ^ c;

		c = sw_table[7][w & 0xff] ^ sw_table[6][(w >> 8) & 0xff] ^
		    sw_table[5][(w >> 16) & 0xff] ^ sw_table[4][(w >> 24) & 0xff] ^
		    sw_table[3][(w >> 32) & 0xff] ^ sw_table[2][(w >> 40) & 0xff] ^
		    sw_table[1][(w >> 48) & 0xff] ^ sw_table[0][w >> 56];
		p += 8;
		len -= 8;
	}
#endif
	while (len--)
		c = sw_table[0][(c ^ *p++) & 0xff] ^ (c >> 8);
	return ~c;
}

#ifdef CRC32C_HAVE_X86
#ifdef __x86_64__
#define CRC_WORD(c, p) ((c) = _mm_crc32_u64((c), load64(p)))
#define WORD 8
typedef uint64_t crc_reg;
#else
#define CRC_WORD(c, p) ((c) = _mm_crc32_u32((c), (uint32_t)load64(p)))
#define WORD 4
typedef uint32_t crc_reg;
#endif

/* Three streams of @chunk bytes each from @p; returns the joined register. */
__attribute__((target("sse4.2"))) static inline crc_reg
hw_three(crc_reg c0, const unsigned char *p, size_t chunk, const uint32_t t[4][256])
{
	crc_reg c1 = 0, c2 = 0;
	const unsigned char *end = p + chunk;

	do {
		CRC_WORD(c0, p);
		CRC_WORD(c1, p + chunk);
		CRC_WORD(c2, p + 2 * chunk);
		p += WORD;
	} while (p < end);
	c0 = shift_apply(t, (uint32_t)c0) ^ (uint32_t)c1;
	return shift_apply(t, (uint32_t)c0) ^ (uint32_t)c2;
}

__attribute__((target("sse4.2"))) uint32_t crc32c_hw(uint32_t crc, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	crc_reg c = (uint32_t)~crc;

	crc_init();
	while (len >= 3 * LONG_CHUNK) {
		c = hw_three(c, p, LONG_CHUNK, shift_long);
		p += 3 * LONG_CHUNK;
		len -= 3 * LONG_CHUNK;
	}
	while (len >= 3 * SHORT_CHUNK) {
		c = hw_three(c, p, SHORT_CHUNK, shift_short);
		p += 3 * SHORT_CHUNK;
		len -= 3 * SHORT_CHUNK;
	}
	while (len >= WORD) {
		CRC_WORD(c, p);
		p += WORD;
		len -= WORD;
	}
	while (len--)
		c = _mm_crc32_u8((uint32_t)c, *p++);
	return ~(uint32_t)c;
}
#else
uint32_t crc32c_hw(uint32_t crc, const void *buf, size_t len)
{
	return crc32c_sw(crc, buf, len);
}
#endif

bool crc32c_hw_available(void)
{
	crc_init();
	return have_hw;
}

uint32_t crc32c(uint32_t crc, const void *buf, size_t len)
{
	crc_init();
	return crc_impl(crc, buf, len);
}
