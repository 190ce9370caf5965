// CRC-32 by carry-less-multiply folding, with a slicing-by-16 fallback. Written for PAM from the
// algebra below (the method is the one of Gopal et al., "Fast CRC Computation for Generic Polynomials
// Using PCLMULQDQ Instruction", Intel, 2009); every constant is computed from the polynomial at first
// use, none is written down.
//
// The algebra. A reflected CRC reads each byte from bit 0 up and the message as a polynomial over
// GF(2) whose first bit is the highest power; with the register `r` xored into the first four bytes,
// the CRC is M(x)·x^32 mod P. Loaded little-endian into a 128-bit register, 16 message bytes give a
// polynomial A of degree < 128 with bit i the coefficient of x^(127-i): the register's low 64 bits are
// its high half H and its high 64 bits its low half L, A = H·x^64 + L.
//
// Folding. Only M mod P matters, so a block A followed by D more bits of message can be replaced by
// any polynomial congruent to A·x^D, placed D bits later: A·x^D = H·x^(D+64) + L·x^D ≡
// H·(x^(D+64) mod P) + L·(x^D mod P), two products of a 64-bit by a 32-bit polynomial, under 96 bits,
// which PCLMULQDQ computes; xoring in the block D bits later folds 16 bytes at a time. PCLMULQDQ of
// two bit-reflected 64-bit operands gives the reflected product one bit position lower than a
// 128-bit reflected register expects (bit k holds x^(126-k)), i.e. the product times x: so the
// constants are x^(D+63) mod P and x^(D-1) mod P, each stored reflected (coefficient of x^e at bit
// 63-e). Four registers fold D = 512 bits apart (64 bytes a round, four independent chains to hide
// the multiplier's latency), are then folded into one with D = 128, which also takes the remaining
// 16-byte blocks.
//
// Reduction. The last register R stands for the message up to there; the CRC register it leaves is
// R·x^32 mod P — exactly what the table CRC of R's 16 bytes from a zero register computes. So it is
// stored and run through the tables (16 lookups), and the last < 16 bytes go through the tables too.
#include "CCRC32.h"

#include <pthread.h>

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#define CCRC32_CLMUL 1
#include <immintrin.h>
#endif

/// One CRC-32: its slicing tables and folding constants.
typedef struct {
    /// table[k][b]: the register after byte b and k further zero bytes.
    uint32_t table[16][256];
    /// {x^575, x^511} and {x^191, x^127} mod P, reflected: folding across 512 and 128 bits.
    uint64_t fold512[2];
    uint64_t fold128[2];
} crc_engine;

static crc_engine ieee;
static crc_engine castagnoli;
static int use_clmul;
static pthread_once_t once = PTHREAD_ONCE_INIT;

/// x^n mod P, P given in normal order without its x^32 term (bit k: the coefficient of x^k).
static uint32_t power_mod(unsigned n, uint32_t normal) {
    uint32_t remainder = 1;
    while (n-- > 0) { remainder = (remainder & 0x80000000u) ? (remainder << 1) ^ normal : remainder << 1; }
    return remainder;
}

/// A polynomial of degree < 32 as a reflected 64-bit operand: the coefficient of x^e at bit 63 - e.
static uint64_t reflected64(uint32_t polynomial) {
    uint64_t out = 0;
    for (int e = 0; e < 32; e++) {
        if ((polynomial >> e) & 1) { out |= 1ull << (63 - e); }
    }
    return out;
}

static void build(crc_engine *engine, uint32_t reflected) {
    for (uint32_t byte = 0; byte < 256; byte++) {
        uint32_t crc = byte;
        for (int bit = 0; bit < 8; bit++) { crc = (crc & 1) ? (crc >> 1) ^ reflected : crc >> 1; }
        engine->table[0][byte] = crc;
    }
    for (int slice = 1; slice < 16; slice++) {
        for (int byte = 0; byte < 256; byte++) {
            uint32_t previous = engine->table[slice - 1][byte];
            engine->table[slice][byte] = (previous >> 8) ^ engine->table[0][previous & 0xFF];
        }
    }
    uint32_t normal = 0;
    for (int bit = 0; bit < 32; bit++) {
        if ((reflected >> bit) & 1) { normal |= 1u << (31 - bit); }
    }
    engine->fold512[0] = reflected64(power_mod(512 + 63, normal));
    engine->fold512[1] = reflected64(power_mod(512 - 1, normal));
    engine->fold128[0] = reflected64(power_mod(128 + 63, normal));
    engine->fold128[1] = reflected64(power_mod(128 - 1, normal));
}

static void initialize(void) {
    build(&ieee, 0xEDB88320u);
    build(&castagnoli, 0x82F63B78u);
#ifdef CCRC32_CLMUL
    __builtin_cpu_init();
    use_clmul = __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1");
#endif
}

static inline uint32_t load32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/// The table CRC: `crc` is the register (not inverted).
static uint32_t slicing(const crc_engine *engine, uint32_t crc, const uint8_t *p, size_t count) {
    const uint32_t(*t)[256] = engine->table;
    while (count >= 16) {
        uint32_t a = load32(p) ^ crc, b = load32(p + 4), c = load32(p + 8), d = load32(p + 12);
        crc = t[15][a & 0xFF] ^ t[14][(a >> 8) & 0xFF] ^ t[13][(a >> 16) & 0xFF] ^ t[12][a >> 24]   //
              ^ t[11][b & 0xFF] ^ t[10][(b >> 8) & 0xFF] ^ t[9][(b >> 16) & 0xFF] ^ t[8][b >> 24]  //
              ^ t[7][c & 0xFF] ^ t[6][(c >> 8) & 0xFF] ^ t[5][(c >> 16) & 0xFF] ^ t[4][c >> 24]     //
              ^ t[3][d & 0xFF] ^ t[2][(d >> 8) & 0xFF] ^ t[1][(d >> 16) & 0xFF] ^ t[0][d >> 24];
        p += 16;
        count -= 16;
    }
    while (count-- > 0) { crc = t[0][(crc ^ *p++) & 0xFF] ^ (crc >> 8); }
    return crc;
}

#ifdef CCRC32_CLMUL
#define CLMUL_TARGET __attribute__((target("pclmul,sse4.1")))

/// `x` carried D bits on (the constants `k` say which D), plus `next`.
CLMUL_TARGET static inline __m128i fold(__m128i x, __m128i k, __m128i next) {
    return _mm_xor_si128(_mm_xor_si128(_mm_clmulepi64_si128(x, k, 0x00), _mm_clmulepi64_si128(x, k, 0x11)), next);
}

CLMUL_TARGET static inline __m128i load128(const uint8_t *p) { return _mm_loadu_si128((const __m128i *)p); }

/// The folding CRC of `count` >= 64 bytes: `crc` is the register (not inverted).
CLMUL_TARGET static uint32_t folding(const crc_engine *engine, uint32_t crc, const uint8_t *p, size_t count) {
    const __m128i k512 = _mm_set_epi64x((long long)engine->fold512[1], (long long)engine->fold512[0]);
    const __m128i k128 = _mm_set_epi64x((long long)engine->fold128[1], (long long)engine->fold128[0]);
    __m128i x0 = _mm_xor_si128(load128(p), _mm_cvtsi32_si128((int)crc));
    __m128i x1 = load128(p + 16), x2 = load128(p + 32), x3 = load128(p + 48);
    p += 64;
    count -= 64;
    while (count >= 64) {
        x0 = fold(x0, k512, load128(p));
        x1 = fold(x1, k512, load128(p + 16));
        x2 = fold(x2, k512, load128(p + 32));
        x3 = fold(x3, k512, load128(p + 48));
        p += 64;
        count -= 64;
    }
    x0 = fold(x0, k128, x1);
    x0 = fold(x0, k128, x2);
    x0 = fold(x0, k128, x3);
    while (count >= 16) {
        x0 = fold(x0, k128, load128(p));
        p += 16;
        count -= 16;
    }
    uint8_t last[16];
    _mm_storeu_si128((__m128i *)last, x0);
    return slicing(engine, slicing(engine, 0, last, 16), p, count);
}
#endif

static uint32_t update(const crc_engine *engine, uint32_t crc, const void *bytes, size_t count, int portable) {
    pthread_once(&once, initialize);
    uint32_t reg = ~crc;
    if (count == 0) { return crc; }
#ifdef CCRC32_CLMUL
    if (!portable && use_clmul && count >= 64) { return ~folding(engine, reg, bytes, count); }
#else
    (void)portable;
#endif
    return ~slicing(engine, reg, bytes, count);
}

uint32_t ccrc32_update(uint32_t crc, const void *bytes, size_t count) { return update(&ieee, crc, bytes, count, 0); }

uint32_t ccrc32c_update(uint32_t crc, const void *bytes, size_t count) { return update(&castagnoli, crc, bytes, count, 0); }

uint32_t ccrc32_update_portable(uint32_t crc, const void *bytes, size_t count) { return update(&ieee, crc, bytes, count, 1); }

uint32_t ccrc32c_update_portable(uint32_t crc, const void *bytes, size_t count) {
    return update(&castagnoli, crc, bytes, count, 1);
}

const char *ccrc32_engine(void) {
    pthread_once(&once, initialize);
    return use_clmul ? "pclmulqdq" : "slicing-by-16";
}
