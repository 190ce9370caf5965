// MD5 of many buffers at once: S3's ETag of each photo an import stores. MD5 is one long chain per
// buffer, so one buffer cannot go faster than a core runs the chain; several buffers can, side by
// side in the lanes of SIMD registers (AVX2: eight, detected at run time), each lane taking the next
// buffer as soon as it has finished one. Elsewhere the buffers are hashed one after another.
#ifndef CMD5_H
#define CMD5_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Writes the 16-byte MD5 digest of each of the `count` buffers (`buffers[i]`, `lengths[i]` bytes) to
/// `digests + 16 * i`. A buffer of length 0 may be NULL.
void cmd5_many(const uint8_t *const *buffers, const size_t *lengths, size_t count, uint8_t *digests);

/// The same, one buffer after another without SIMD: for the tests, which compare both paths.
void cmd5_many_portable(const uint8_t *const *buffers, const size_t *lengths, size_t count, uint8_t *digests);

/// Which engine `cmd5_many` uses on this CPU: "avx2x8" or "portable".
const char *cmd5_engine(void);

#ifdef __cplusplus
}
#endif

#endif
