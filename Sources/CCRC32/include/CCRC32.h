// CRC-32 at memory speed: the two reflected CRC-32s PAM uses — IEEE 802.3 (zip's, zlib's, S3's
// ChecksumCRC32) and Castagnoli (CRC-32C, S3's ChecksumCRC32C) — by carry-less-multiply folding where
// the CPU has it (x86-64 PCLMULQDQ, detected at run time), by slicing-by-16 tables elsewhere.
#ifndef CCRC32_H
#define CCRC32_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The CRC-32 (IEEE) `crc` continued over `count` bytes, zlib's crc32() convention: start from 0, and the
/// result of one call is the `crc` of the next. `bytes` may be NULL when `count` is 0.
uint32_t ccrc32_update(uint32_t crc, const void *bytes, size_t count);

/// The same for CRC-32C (Castagnoli).
uint32_t ccrc32c_update(uint32_t crc, const void *bytes, size_t count);

/// The portable path alone (tables, no SIMD), same convention: for the tests, which compare both paths.
uint32_t ccrc32_update_portable(uint32_t crc, const void *bytes, size_t count);
uint32_t ccrc32c_update_portable(uint32_t crc, const void *bytes, size_t count);

/// Which engine the two functions above use on this CPU: "pclmulqdq" or "slicing-by-16".
const char *ccrc32_engine(void);

#ifdef __cplusplus
}
#endif

#endif
