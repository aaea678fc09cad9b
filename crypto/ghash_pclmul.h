/* Internal to crypto/: PCLMULQDQ GHASH helpers shared by ghash_pclmul.c and
   the fused AES-GCM loop in gcm_ni.c. Include only from files whose users
   run after a CPUID check (see simd.h). */
#ifndef CRYPTO_GHASH_PCLMUL_H
#define CRYPTO_GHASH_PCLMUL_H
#include "crypto/simd.h"

/* Reduces the 256-bit carry-less product hi:lo of two reflected elements
   (see reduce() in ghash.c for the derivation). */
CRYPTO_TARGET_AESNI
static inline __m128i ghash_pclmul_reduce(__m128i hi, __m128i lo)
{
    /* 256-bit shift left by 1 */
    __m128i qh = _mm_or_si128(_mm_slli_epi64(hi, 1), _mm_srli_epi64(_mm_slli_si128(hi, 8), 63));
    qh = _mm_or_si128(qh, _mm_srli_si128(_mm_srli_epi64(lo, 63), 8));
    __m128i ql = _mm_or_si128(_mm_slli_epi64(lo, 1), _mm_srli_epi64(_mm_slli_si128(lo, 8), 63));
    /* fold bits that x^1, x^2, x^7 shift out of L back in */
    __m128i t = _mm_xor_si128(_mm_xor_si128(_mm_slli_epi64(ql, 63), _mm_slli_epi64(ql, 62)),
                              _mm_slli_epi64(ql, 57));
    __m128i z = _mm_xor_si128(ql, _mm_slli_si128(t, 8));
    /* z ^ z>>1 ^ z>>2 ^ z>>7 (128-bit shifts) */
    __m128i zh = _mm_srli_si128(z, 8);
    __m128i r = _mm_xor_si128(z, _mm_or_si128(_mm_srli_epi64(z, 1), _mm_slli_epi64(zh, 63)));
    r = _mm_xor_si128(r, _mm_or_si128(_mm_srli_epi64(z, 2), _mm_slli_epi64(zh, 62)));
    r = _mm_xor_si128(r, _mm_or_si128(_mm_srli_epi64(z, 7), _mm_slli_epi64(zh, 57)));
    return _mm_xor_si128(qh, r);
}

/* Karatsuba: x*h = hi:lo plus mid = (x.hi^x.lo)*(h.hi^h.lo) ^ hi ^ lo in
   the middle, so three carry-less multiplications instead of four. hk is
   h.hi^h.lo in its low half (ghash_pclmul_hk). Sums of such products stay
   Karatsuba sums: GHASH_MULACC accumulates hi, lo and the middle product,
   GHASH_FOLD applies the ^ hi ^ lo once for the sum and folds mid into
   hi:lo (unreduced, 256 bits). */
#define GHASH_MULACC(x, h, hk, hi, mid, lo) do { \
    lo = _mm_xor_si128(lo, _mm_clmulepi64_si128(x, h, 0x00)); \
    hi = _mm_xor_si128(hi, _mm_clmulepi64_si128(x, h, 0x11)); \
    mid = _mm_xor_si128(mid, _mm_clmulepi64_si128(_mm_xor_si128(x, _mm_srli_si128(x, 8)), hk, 0x00)); \
} while (0)

#define GHASH_FOLD(hi, mid, lo) do { \
    mid = _mm_xor_si128(mid, _mm_xor_si128(hi, lo)); \
    hi = _mm_xor_si128(hi, _mm_srli_si128(mid, 8)); \
    lo = _mm_xor_si128(lo, _mm_slli_si128(mid, 8)); \
} while (0)

CRYPTO_TARGET_AESNI
static inline __m128i ghash_pclmul_hk(__m128i h)
{
    return _mm_xor_si128(h, _mm_srli_si128(h, 8));
}

#endif
