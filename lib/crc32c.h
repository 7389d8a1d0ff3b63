/* CRC32C (Castagnoli, reflected polynomial 0x82F63B78), as used by iSCSI,
 * ext4 and fio's verify=crc32c.
 *
 * crc32c() picks the fastest implementation once per process: the SSE4.2
 * crc32 instruction (three interleaved streams) when the CPU has it, a
 * slicing-by-8 table otherwise. Both give identical results.
 *
 * Chaining: start with 0 and feed the previous result back in;
 * crc32c(crc32c(0, a, na), b, nb) == crc32c(0, a||b, na + nb).
 * crc32c(0, "123456789", 9) == 0xE3069283.
 *
 * Thread-safe; no allocation. */
#ifndef IOLAB_CRC32C_H
#define IOLAB_CRC32C_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

uint32_t crc32c(uint32_t crc, const void *buf, size_t len);

/* The two implementations, for tests and benchmarks. crc32c_hw() must only
 * be called when crc32c_hw_available() is true. */
uint32_t crc32c_sw(uint32_t crc, const void *buf, size_t len);
uint32_t crc32c_hw(uint32_t crc, const void *buf, size_t len);
bool crc32c_hw_available(void);

#endif
