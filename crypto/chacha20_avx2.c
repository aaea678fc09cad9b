/* ChaCha20 (RFC 8439 2.3) on eight blocks at once with AVX2: register i
   holds word i of blocks n..n+7 (lane j = block n+j), so the rounds are the
   scalar quarter-rounds on vectors; the 16-bit and 8-bit rotations are byte
   shuffles. At the end two 8x8 transposes of 32-bit words turn lanes back
   into blocks. Same arithmetic as the scalar code, no data-dependent flow.
   The _mac form runs Poly1305 on the integer units between the vector
   rounds (32 blocks per step, 3-4 per double round), so the two overlap.
   See chacha20_internal.h for the contract. */
#include "crypto/chacha20_internal.h"
#include "crypto/poly1305_internal.h"
#include "crypto/simd.h"

#define TARGET_AVX2 __attribute__((target("avx2")))

TARGET_AVX2 static inline __m256i rotl8x(__m256i v, int r)
{
    return _mm256_or_si256(_mm256_slli_epi32(v, r), _mm256_srli_epi32(v, 32 - r));
}

#define QR8(a, b, c, d) do { \
    a = _mm256_add_epi32(a, b); d = _mm256_shuffle_epi8(_mm256_xor_si256(d, a), rot16); \
    c = _mm256_add_epi32(c, d); b = rotl8x(_mm256_xor_si256(b, c), 12); \
    a = _mm256_add_epi32(a, b); d = _mm256_shuffle_epi8(_mm256_xor_si256(d, a), rot8); \
    c = _mm256_add_epi32(c, d); b = rotl8x(_mm256_xor_si256(b, c), 7); \
} while (0)

/* Words 8g..8g+7 of the eight blocks (x[0..7]) to 32-byte halves of each
   block, XORed into in/out at offset 32g of every block. */
TARGET_AVX2 static inline void store8(const __m256i x[8], const uint8_t *in, uint8_t *out, __m256i m)
{
    __m256i t[8], u[8];
    #pragma GCC unroll 16
    for (int i = 0; i < 8; i += 2) {
        t[i] = _mm256_unpacklo_epi32(x[i], x[i + 1]);
        t[i + 1] = _mm256_unpackhi_epi32(x[i], x[i + 1]);
    }
    /* u[k] (k < 4): words 0-3 of blocks k | k+4; u[k+4]: words 4-7 */
    #pragma GCC unroll 16
    for (int h = 0; h < 8; h += 4) {
        u[h + 0] = _mm256_unpacklo_epi64(t[h + 0], t[h + 2]);
        u[h + 1] = _mm256_unpackhi_epi64(t[h + 0], t[h + 2]);
        u[h + 2] = _mm256_unpacklo_epi64(t[h + 1], t[h + 3]);
        u[h + 3] = _mm256_unpackhi_epi64(t[h + 1], t[h + 3]);
    }
    #pragma GCC unroll 16
    for (int k = 0; k < 4; k++) {
        __m256i lo = _mm256_permute2x128_si256(u[k], u[k + 4], 0x20);
        __m256i hi = _mm256_permute2x128_si256(u[k], u[k + 4], 0x31);
        const __m256i *pl = (const __m256i *)(in + 64 * k), *ph = (const __m256i *)(in + 64 * (k + 4));
        _mm256_storeu_si256((__m256i *)(out + 64 * k), _mm256_and_si256(m, _mm256_xor_si256(lo, _mm256_loadu_si256(pl))));
        _mm256_storeu_si256((__m256i *)(out + 64 * (k + 4)), _mm256_and_si256(m, _mm256_xor_si256(hi, _mm256_loadu_si256(ph))));
    }
}

/* One 512-byte step at block s[12]; when mac is set, its 32 blocks go
   into the Poly1305 accumulator h with key r (poly1305_ctx layout). */
TARGET_AVX2 static inline void step8(const uint32_t s[16], const uint8_t *in, uint8_t *out, __m256i m,
                                     const uint8_t *mac, uint64_t h[3], const uint64_t r[3])
{
    const __m256i rot16 = _mm256_setr_epi8(2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13,
                                           2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13);
    const __m256i rot8 = _mm256_setr_epi8(3, 0, 1, 2, 7, 4, 5, 6, 11, 8, 9, 10, 15, 12, 13, 14,
                                          3, 0, 1, 2, 7, 4, 5, 6, 11, 8, 9, 10, 15, 12, 13, 14);
    const __m256i iota = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    __m256i x[16];
#pragma GCC unroll 16
    for (int i = 0; i < 16; i++)
        x[i] = _mm256_set1_epi32((int)s[i]);
    x[12] = _mm256_add_epi32(x[12], iota);
    for (int rd = 0; rd < 10; rd++) {
        QR8(x[0], x[4], x[8], x[12]);
        QR8(x[1], x[5], x[9], x[13]);
        QR8(x[2], x[6], x[10], x[14]);
        QR8(x[3], x[7], x[11], x[15]);
        QR8(x[0], x[5], x[10], x[15]);
        QR8(x[1], x[6], x[11], x[12]);
        QR8(x[2], x[7], x[8], x[13]);
        QR8(x[3], x[4], x[9], x[14]);
        if (mac) {
            size_t nb = rd < 2 ? 4 : 3;
            poly1305_steps(&h[0], &h[1], &h[2], r[0], r[1], r[2], mac, nb);
            mac += 16 * nb;
        }
    }
    /* the input words again from s (cheaper than keeping copies) */
#pragma GCC unroll 16
    for (int i = 0; i < 16; i++)
        x[i] = _mm256_add_epi32(x[i], _mm256_set1_epi32((int)s[i]));
    x[12] = _mm256_add_epi32(x[12], iota);
    store8(x, in, out, m);
    store8(x + 8, in + 32, out + 32, m);
}

TARGET_AVX2
size_t chacha20_avx2_xor(uint32_t s[16], const uint8_t *in, uint8_t *out, size_t len, uint32_t mask)
{
    const __m256i m = _mm256_set1_epi32((int)mask);
    size_t done = 0;
    for (; len - done >= 512; done += 512, s[12] += 8)
        step8(s, in + done, out + done, m, NULL, NULL, NULL);
    return done;
}

TARGET_AVX2
size_t chacha20_avx2_xor_mac(uint32_t s[16], const uint8_t *in, uint8_t *out, size_t len,
                             poly1305_ctx *p, int seal)
{
    const __m256i m = _mm256_set1_epi32(-1);
    uint64_t h[3] = { p->h[0], p->h[1], p->h[2] };
    size_t done = 0;
    for (; len - done >= 512; done += 512, s[12] += 8) {
        /* in == out: open reads its step's input before the stores at the
           end of the step; seal reads the output of the step before */
        const uint8_t *mac = !seal ? in + done : done ? out + done - 512 : NULL;
        step8(s, in + done, out + done, m, mac, h, p->r);
    }
    p->h[0] = h[0]; p->h[1] = h[1]; p->h[2] = h[2];
    return done;
}

TARGET_AVX2
void chacha20_avx2_mask(uint8_t *p, size_t len, uint32_t mask)
{
    const __m256i m = _mm256_set1_epi32((int)mask);
    size_t i = 0;
    for (; len - i >= 32; i += 32)
        _mm256_storeu_si256((__m256i *)(p + i), _mm256_and_si256(m, _mm256_loadu_si256((const __m256i *)(p + i))));
    for (; i < len; i++)
        p[i] &= (uint8_t)mask;
}
