/* GHASH with PCLMULQDQ (see ghash.h). Blocks are byte-reversed into xmm
   registers so an element is a 128-bit little-endian integer; 8 blocks are
   multiplied by H^8..H^1 and summed before one reduction (aggregated
   reduction), with the same reflected reduction as the portable code. */
#include "crypto/ghash.h"
#include "crypto/simd.h"

CRYPTO_TARGET_AESNI
static inline __m128i reduce(__m128i hi, __m128i lo)
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

/* Accumulates x*h (unreduced, 256 bits) into hi:mid:lo. */
#define MULACC(x, h, hi, mid, lo) do { \
    lo = _mm_xor_si128(lo, _mm_clmulepi64_si128(x, h, 0x00)); \
    hi = _mm_xor_si128(hi, _mm_clmulepi64_si128(x, h, 0x11)); \
    mid = _mm_xor_si128(mid, _mm_xor_si128(_mm_clmulepi64_si128(x, h, 0x01), \
                                           _mm_clmulepi64_si128(x, h, 0x10))); \
} while (0)

CRYPTO_TARGET_AESNI
void ghash_blocks_pclmul(const ghash_key *k, ghash_elem *yp, const uint8_t *p, size_t nblocks)
{
    const __m128i bswap = _mm_set_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    __m128i y = _mm_loadu_si128((const __m128i *)yp);
    __m128i h[GHASH_POWERS];
    for (int i = 0; i < GHASH_POWERS; i++)
        h[i] = _mm_loadu_si128((const __m128i *)&k->h[i]);
    while (nblocks >= 8) {
        __m128i hi = _mm_setzero_si128(), mid = hi, lo = hi;
        for (int i = 0; i < 8; i++) {
            __m128i x = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * i)), bswap);
            if (i == 0)
                x = _mm_xor_si128(x, y);
            MULACC(x, h[7 - i], hi, mid, lo);
        }
        hi = _mm_xor_si128(hi, _mm_srli_si128(mid, 8));
        lo = _mm_xor_si128(lo, _mm_slli_si128(mid, 8));
        y = reduce(hi, lo);
        p += 128;
        nblocks -= 8;
    }
    while (nblocks--) {
        __m128i x = _mm_xor_si128(y, _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)p), bswap));
        __m128i hi = _mm_setzero_si128(), mid = hi, lo = hi;
        MULACC(x, h[0], hi, mid, lo);
        hi = _mm_xor_si128(hi, _mm_srli_si128(mid, 8));
        lo = _mm_xor_si128(lo, _mm_slli_si128(mid, 8));
        y = reduce(hi, lo);
        p += 16;
    }
    _mm_storeu_si128((__m128i *)yp, y);
}
