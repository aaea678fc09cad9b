/* ChaCha20 (RFC 8439 2.3) on sixteen blocks at once with AVX-512F:
   register i holds word i of blocks n..n+15 (lane j = block n+j); the
   rotations are VPROLD. The 16x16 word transpose back to blocks is a 4x4
   word transpose inside each 128-bit lane followed by a 4x4 transpose of
   the lanes. 32 vector registers hold the state without spills.
   The _mac form runs Poly1305 on the integer units between the vector
   rounds (64 blocks per step, 6-7 per double round), so the two overlap
   in the core instead of following each other.
   See chacha20_internal.h for the contract. */
#include "crypto/chacha20_internal.h"
#include "crypto/poly1305_internal.h"
#include "crypto/simd.h"

#define TARGET_AVX512 __attribute__((target("avx512f")))

#define QR16(a, b, c, d) do { \
    a = _mm512_add_epi32(a, b); d = _mm512_rol_epi32(_mm512_xor_si512(d, a), 16); \
    c = _mm512_add_epi32(c, d); b = _mm512_rol_epi32(_mm512_xor_si512(b, c), 12); \
    a = _mm512_add_epi32(a, b); d = _mm512_rol_epi32(_mm512_xor_si512(d, a), 8);  \
    c = _mm512_add_epi32(c, d); b = _mm512_rol_epi32(_mm512_xor_si512(b, c), 7);  \
} while (0)

/* x[i..i+3] -> v[k]: lane L holds words i..i+3 of block 4L+k */
TARGET_AVX512 static inline void transpose4(const __m512i *x, __m512i v[4])
{
    __m512i t0 = _mm512_unpacklo_epi32(x[0], x[1]), t1 = _mm512_unpackhi_epi32(x[0], x[1]);
    __m512i t2 = _mm512_unpacklo_epi32(x[2], x[3]), t3 = _mm512_unpackhi_epi32(x[2], x[3]);
    v[0] = _mm512_unpacklo_epi64(t0, t2);
    v[1] = _mm512_unpackhi_epi64(t0, t2);
    v[2] = _mm512_unpacklo_epi64(t1, t3);
    v[3] = _mm512_unpackhi_epi64(t1, t3);
}

TARGET_AVX512 static inline void xor_store(const uint8_t *in, uint8_t *out, __m512i ks, __m512i m)
{
    __m512i d = _mm512_xor_si512(ks, _mm512_loadu_si512((const void *)in));
    _mm512_storeu_si512((void *)out, _mm512_and_si512(m, d));
}

/* One 1024-byte step at block s[12]; when mac is set, its 64 blocks go
   into the Poly1305 accumulator h with key r (poly1305_ctx layout). */
TARGET_AVX512 static inline void step16(const uint32_t s[16], const uint8_t *in, uint8_t *out, __m512i m,
                                        const uint8_t *mac, uint64_t h[3], const uint64_t r[3])
{
    const __m512i iota = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    __m512i x[16];
#pragma GCC unroll 16
    for (int i = 0; i < 16; i++)
        x[i] = _mm512_set1_epi32((int)s[i]);
    x[12] = _mm512_add_epi32(x[12], iota);
    for (int rd = 0; rd < 10; rd++) {
        QR16(x[0], x[4], x[8], x[12]);
        QR16(x[1], x[5], x[9], x[13]);
        QR16(x[2], x[6], x[10], x[14]);
        QR16(x[3], x[7], x[11], x[15]);
        QR16(x[0], x[5], x[10], x[15]);
        QR16(x[1], x[6], x[11], x[12]);
        QR16(x[2], x[7], x[8], x[13]);
        QR16(x[3], x[4], x[9], x[14]);
        if (mac) {
            size_t nb = rd < 4 ? 7 : 6;
            poly1305_steps(&h[0], &h[1], &h[2], r[0], r[1], r[2], mac, nb);
            mac += 16 * nb;
        }
    }
    /* the input words again from s (cheaper than keeping copies) */
#pragma GCC unroll 16
    for (int i = 0; i < 16; i++)
        x[i] = _mm512_add_epi32(x[i], _mm512_set1_epi32((int)s[i]));
    x[12] = _mm512_add_epi32(x[12], iota);
    __m512i v[4][4];
#pragma GCC unroll 16
    for (int g = 0; g < 4; g++)
        transpose4(x + 4 * g, v[g]);
#pragma GCC unroll 16
    for (int k = 0; k < 4; k++) {
        /* lanes L of v[0..3][k] are the four 16-byte quarters of block 4L+k */
        __m512i ab_lo = _mm512_shuffle_i32x4(v[0][k], v[1][k], _MM_SHUFFLE(1, 0, 1, 0));
        __m512i cd_lo = _mm512_shuffle_i32x4(v[2][k], v[3][k], _MM_SHUFFLE(1, 0, 1, 0));
        __m512i ab_hi = _mm512_shuffle_i32x4(v[0][k], v[1][k], _MM_SHUFFLE(3, 2, 3, 2));
        __m512i cd_hi = _mm512_shuffle_i32x4(v[2][k], v[3][k], _MM_SHUFFLE(3, 2, 3, 2));
        xor_store(in + 64 * (0 + k), out + 64 * (0 + k), _mm512_shuffle_i32x4(ab_lo, cd_lo, _MM_SHUFFLE(2, 0, 2, 0)), m);
        xor_store(in + 64 * (4 + k), out + 64 * (4 + k), _mm512_shuffle_i32x4(ab_lo, cd_lo, _MM_SHUFFLE(3, 1, 3, 1)), m);
        xor_store(in + 64 * (8 + k), out + 64 * (8 + k), _mm512_shuffle_i32x4(ab_hi, cd_hi, _MM_SHUFFLE(2, 0, 2, 0)), m);
        xor_store(in + 64 * (12 + k), out + 64 * (12 + k), _mm512_shuffle_i32x4(ab_hi, cd_hi, _MM_SHUFFLE(3, 1, 3, 1)), m);
    }
}

TARGET_AVX512
size_t chacha20_avx512_xor(uint32_t s[16], const uint8_t *in, uint8_t *out, size_t len, uint32_t mask)
{
    const __m512i m = _mm512_set1_epi32((int)mask);
    size_t done = 0;
    for (; len - done >= 1024; done += 1024, s[12] += 16)
        step16(s, in + done, out + done, m, NULL, NULL, NULL);
    return done;
}

TARGET_AVX512
size_t chacha20_avx512_xor_mac(uint32_t s[16], const uint8_t *in, uint8_t *out, size_t len,
                               poly1305_ctx *p, int seal)
{
    const __m512i m = _mm512_set1_epi32(-1);
    uint64_t h[3] = { p->h[0], p->h[1], p->h[2] };
    size_t done = 0;
    for (; len - done >= 1024; done += 1024, s[12] += 16) {
        /* in == out: open reads its step's input before the stores at the
           end of the step; seal reads the output of the step before */
        const uint8_t *mac = !seal ? in + done : done ? out + done - 1024 : NULL;
        step16(s, in + done, out + done, m, mac, h, p->r);
    }
    p->h[0] = h[0]; p->h[1] = h[1]; p->h[2] = h[2];
    return done;
}
