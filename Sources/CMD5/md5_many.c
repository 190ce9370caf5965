// MD5 (RFC 1321) of many buffers: a portable one-buffer path, and an eight-lane AVX2 path that
// keeps eight buffers' chains in the lanes of four registers. See include/CMD5.h.
#include "CMD5.h"

#include <string.h>

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#define CMD5_AVX2 1
#include <immintrin.h>
#endif

static const uint32_t initial[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};

/// The 64 steps: round function, the registers in turn, message word, constant, rotation.
#define MD5_STEPS \
    STEP(F, a, b, c, d,  0, 0xd76aa478,  7); STEP(F, d, a, b, c,  1, 0xe8c7b756, 12); STEP(F, c, d, a, b,  2, 0x242070db, 17); STEP(F, b, c, d, a,  3, 0xc1bdceee, 22); \
    STEP(F, a, b, c, d,  4, 0xf57c0faf,  7); STEP(F, d, a, b, c,  5, 0x4787c62a, 12); STEP(F, c, d, a, b,  6, 0xa8304613, 17); STEP(F, b, c, d, a,  7, 0xfd469501, 22); \
    STEP(F, a, b, c, d,  8, 0x698098d8,  7); STEP(F, d, a, b, c,  9, 0x8b44f7af, 12); STEP(F, c, d, a, b, 10, 0xffff5bb1, 17); STEP(F, b, c, d, a, 11, 0x895cd7be, 22); \
    STEP(F, a, b, c, d, 12, 0x6b901122,  7); STEP(F, d, a, b, c, 13, 0xfd987193, 12); STEP(F, c, d, a, b, 14, 0xa679438e, 17); STEP(F, b, c, d, a, 15, 0x49b40821, 22); \
    STEP(G, a, b, c, d,  1, 0xf61e2562,  5); STEP(G, d, a, b, c,  6, 0xc040b340,  9); STEP(G, c, d, a, b, 11, 0x265e5a51, 14); STEP(G, b, c, d, a,  0, 0xe9b6c7aa, 20); \
    STEP(G, a, b, c, d,  5, 0xd62f105d,  5); STEP(G, d, a, b, c, 10, 0x02441453,  9); STEP(G, c, d, a, b, 15, 0xd8a1e681, 14); STEP(G, b, c, d, a,  4, 0xe7d3fbc8, 20); \
    STEP(G, a, b, c, d,  9, 0x21e1cde6,  5); STEP(G, d, a, b, c, 14, 0xc33707d6,  9); STEP(G, c, d, a, b,  3, 0xf4d50d87, 14); STEP(G, b, c, d, a,  8, 0x455a14ed, 20); \
    STEP(G, a, b, c, d, 13, 0xa9e3e905,  5); STEP(G, d, a, b, c,  2, 0xfcefa3f8,  9); STEP(G, c, d, a, b,  7, 0x676f02d9, 14); STEP(G, b, c, d, a, 12, 0x8d2a4c8a, 20); \
    STEP(H, a, b, c, d,  5, 0xfffa3942,  4); STEP(H, d, a, b, c,  8, 0x8771f681, 11); STEP(H, c, d, a, b, 11, 0x6d9d6122, 16); STEP(H, b, c, d, a, 14, 0xfde5380c, 23); \
    STEP(H, a, b, c, d,  1, 0xa4beea44,  4); STEP(H, d, a, b, c,  4, 0x4bdecfa9, 11); STEP(H, c, d, a, b,  7, 0xf6bb4b60, 16); STEP(H, b, c, d, a, 10, 0xbebfbc70, 23); \
    STEP(H, a, b, c, d, 13, 0x289b7ec6,  4); STEP(H, d, a, b, c,  0, 0xeaa127fa, 11); STEP(H, c, d, a, b,  3, 0xd4ef3085, 16); STEP(H, b, c, d, a,  6, 0x04881d05, 23); \
    STEP(H, a, b, c, d,  9, 0xd9d4d039,  4); STEP(H, d, a, b, c, 12, 0xe6db99e5, 11); STEP(H, c, d, a, b, 15, 0x1fa27cf8, 16); STEP(H, b, c, d, a,  2, 0xc4ac5665, 23); \
    STEP(I, a, b, c, d,  0, 0xf4292244,  6); STEP(I, d, a, b, c,  7, 0x432aff97, 10); STEP(I, c, d, a, b, 14, 0xab9423a7, 15); STEP(I, b, c, d, a,  5, 0xfc93a039, 21); \
    STEP(I, a, b, c, d, 12, 0x655b59c3,  6); STEP(I, d, a, b, c,  3, 0x8f0ccc92, 10); STEP(I, c, d, a, b, 10, 0xffeff47d, 15); STEP(I, b, c, d, a,  1, 0x85845dd1, 21); \
    STEP(I, a, b, c, d,  8, 0x6fa87e4f,  6); STEP(I, d, a, b, c, 15, 0xfe2ce6e0, 10); STEP(I, c, d, a, b,  6, 0xa3014314, 15); STEP(I, b, c, d, a, 13, 0x4e0811a1, 21); \
    STEP(I, a, b, c, d,  4, 0xf7537e82,  6); STEP(I, d, a, b, c, 11, 0xbd3af235, 10); STEP(I, c, d, a, b,  2, 0x2ad7d2bb, 15); STEP(I, b, c, d, a,  9, 0xeb86d391, 21);

static inline uint32_t load_le32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline void store_le32(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/// One buffer's walk through its blocks: the whole 64-byte blocks where they lie, then one or two
/// blocks of its own holding the last bytes, the 0x80 marker, zeros and the length in bits.
typedef struct {
    const uint8_t *next;
    size_t whole;
    uint8_t tail[128];
    unsigned tail_blocks, tail_taken;
} walk_t;

static void walk_start(walk_t *walk, const uint8_t *buffer, size_t length) {
    size_t rest = length % 64;
    walk->next = buffer;
    walk->whole = length / 64;
    walk->tail_blocks = rest < 56 ? 1 : 2;
    walk->tail_taken = 0;
    memset(walk->tail, 0, sizeof walk->tail);
    if (rest > 0) memcpy(walk->tail, buffer + (length - rest), rest);
    walk->tail[rest] = 0x80;
    uint64_t bits = (uint64_t)length * 8;
    uint8_t *end = walk->tail + 64 * walk->tail_blocks - 8;
    for (int i = 0; i < 8; i++) end[i] = (uint8_t)(bits >> (8 * i));
}

/// The next block of the walk; the walk has one while `walk_done` is false.
static inline const uint8_t *walk_take(walk_t *walk) {
    if (walk->whole > 0) {
        const uint8_t *block = walk->next;
        walk->next += 64;
        walk->whole--;
        return block;
    }
    return walk->tail + 64 * walk->tail_taken++;
}

static inline int walk_done(const walk_t *walk) { return walk->whole == 0 && walk->tail_taken == walk->tail_blocks; }

static void digest_out(uint8_t *digest, const uint32_t state[4]) {
    for (int i = 0; i < 4; i++) store_le32(digest + 4 * i, state[i]);
}

// Portable path: one buffer at a time.

#define F(b, c, d) ((d) ^ ((b) & ((c) ^ (d))))
#define G(b, c, d) ((c) ^ ((d) & ((b) ^ (c))))
#define H(b, c, d) ((b) ^ (c) ^ (d))
#define I(b, c, d) ((c) ^ ((b) | ~(d)))
#define STEP(f, a, b, c, d, w, k, s)                                                                                   \
    do {                                                                                                               \
        uint32_t sum = (a) + f(b, c, d) + words[w] + (uint32_t)(k);                                                    \
        (a) = (b) + ((sum << (s)) | (sum >> (32 - (s))));                                                              \
    } while (0)

static void block_portable(uint32_t state[4], const uint8_t *block) {
    uint32_t words[16];
    for (int i = 0; i < 16; i++) words[i] = load_le32(block + 4 * i);
    uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    MD5_STEPS
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
}

#undef F
#undef G
#undef H
#undef I
#undef STEP

void cmd5_many_portable(const uint8_t *const *buffers, const size_t *lengths, size_t count, uint8_t *digests) {
    walk_t walk;
    for (size_t i = 0; i < count; i++) {
        uint32_t state[4];
        memcpy(state, initial, sizeof state);
        walk_start(&walk, buffers[i], lengths[i]);
        while (!walk_done(&walk)) block_portable(state, walk_take(&walk));
        digest_out(digests + 16 * i, state);
    }
}

#ifdef CMD5_AVX2

#define LANES 8
#define AVX2_TARGET __attribute__((target("avx2")))

#define F(b, c, d) _mm256_xor_si256(d, _mm256_and_si256(b, _mm256_xor_si256(c, d)))
#define G(b, c, d) _mm256_xor_si256(c, _mm256_and_si256(d, _mm256_xor_si256(b, c)))
#define H(b, c, d) _mm256_xor_si256(b, _mm256_xor_si256(c, d))
#define I(b, c, d) _mm256_xor_si256(c, _mm256_or_si256(b, _mm256_xor_si256(d, ones)))
#define STEP(f, a, b, c, d, w, k, s)                                                                                   \
    do {                                                                                                               \
        __m256i sum = _mm256_add_epi32(_mm256_add_epi32(a, f(b, c, d)),                                                \
                                       _mm256_add_epi32(words[w], _mm256_set1_epi32((int)(k))));                       \
        (a) = _mm256_add_epi32(b, _mm256_or_si256(_mm256_slli_epi32(sum, s), _mm256_srli_epi32(sum, 32 - (s))));       \
    } while (0)

/// One block of each lane: `blocks[l]` is lane l's block, `state` its chain, lane-major by register.
AVX2_TARGET static void blocks_avx2(uint32_t state[4][LANES], const uint8_t *const blocks[LANES]) {
    __m256i words[16];
    for (int w = 0; w < 16; w++) {
        int o = 4 * w;
        words[w] = _mm256_setr_epi32((int)load_le32(blocks[0] + o), (int)load_le32(blocks[1] + o),
                                     (int)load_le32(blocks[2] + o), (int)load_le32(blocks[3] + o),
                                     (int)load_le32(blocks[4] + o), (int)load_le32(blocks[5] + o),
                                     (int)load_le32(blocks[6] + o), (int)load_le32(blocks[7] + o));
    }
    const __m256i ones = _mm256_set1_epi32(-1);
    __m256i a0 = _mm256_loadu_si256((const __m256i *)state[0]), b0 = _mm256_loadu_si256((const __m256i *)state[1]);
    __m256i c0 = _mm256_loadu_si256((const __m256i *)state[2]), d0 = _mm256_loadu_si256((const __m256i *)state[3]);
    __m256i a = a0, b = b0, c = c0, d = d0;
    MD5_STEPS
    _mm256_storeu_si256((__m256i *)state[0], _mm256_add_epi32(a, a0));
    _mm256_storeu_si256((__m256i *)state[1], _mm256_add_epi32(b, b0));
    _mm256_storeu_si256((__m256i *)state[2], _mm256_add_epi32(c, c0));
    _mm256_storeu_si256((__m256i *)state[3], _mm256_add_epi32(d, d0));
}

#undef F
#undef G
#undef H
#undef I
#undef STEP

/// Eight lanes; a lane that finishes its buffer takes the next one not yet started, and an idle
/// lane (none left) hashes a block of zeros whose result is never read.
static void many_avx2(const uint8_t *const *buffers, const size_t *lengths, size_t count, uint8_t *digests) {
    static const uint8_t idle[64] = {0};
    walk_t walks[LANES];
    size_t owner[LANES];
    int busy[LANES];
    uint32_t state[4][LANES] = {{0}}; // an idle lane's chain is computed but never read
    size_t started = 0, running = 0;
    for (int l = 0; l < LANES; l++) {
        busy[l] = started < count;
        if (!busy[l]) continue;
        owner[l] = started;
        walk_start(&walks[l], buffers[started], lengths[started]);
        for (int r = 0; r < 4; r++) state[r][l] = initial[r];
        started++;
        running++;
    }
    while (running > 0) {
        const uint8_t *blocks[LANES];
        for (int l = 0; l < LANES; l++) blocks[l] = busy[l] ? walk_take(&walks[l]) : idle;
        blocks_avx2(state, blocks);
        for (int l = 0; l < LANES; l++) {
            if (!busy[l] || !walk_done(&walks[l])) continue;
            uint32_t finished[4] = {state[0][l], state[1][l], state[2][l], state[3][l]};
            digest_out(digests + 16 * owner[l], finished);
            if (started < count) {
                owner[l] = started;
                walk_start(&walks[l], buffers[started], lengths[started]);
                for (int r = 0; r < 4; r++) state[r][l] = initial[r];
                started++;
            } else {
                busy[l] = 0;
                running--;
            }
        }
    }
}

/// `__builtin_cpu_supports` reads what the compiler's runtime found at start-up: no cache needed.
static int use_avx2(void) { return __builtin_cpu_supports("avx2") ? 1 : 0; }

#endif

void cmd5_many(const uint8_t *const *buffers, const size_t *lengths, size_t count, uint8_t *digests) {
#ifdef CMD5_AVX2
    // One buffer alone gains nothing from lanes; two or more share the chain's latency.
    if (count > 1 && use_avx2()) {
        many_avx2(buffers, lengths, count, digests);
        return;
    }
#endif
    cmd5_many_portable(buffers, lengths, count, digests);
}

const char *cmd5_engine(void) {
#ifdef CMD5_AVX2
    if (use_avx2()) return "avx2x8";
#endif
    return "portable";
}
