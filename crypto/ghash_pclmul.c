/* GHASH with PCLMULQDQ (see ghash.h). Blocks are byte-reversed into xmm
   registers so an element is a 128-bit little-endian integer; 8 blocks are
   multiplied by H^8..H^1 and summed before one reduction (aggregated
   reduction, Karatsuba products), with the same reflected reduction as the portable code. */
#include "crypto/ghash.h"
#include "crypto/simd.h"
#include "crypto/ghash_pclmul.h"

CRYPTO_TARGET_AESNI
void ghash_blocks_pclmul(const ghash_key *k, ghash_elem *yp, const uint8_t *p, size_t nblocks)
{
    const __m128i bswap = _mm_set_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    __m128i y = _mm_loadu_si128((const __m128i *)yp);
    __m128i h[GHASH_POWERS], hk[GHASH_POWERS];
    for (int i = 0; i < GHASH_POWERS; i++) {
        h[i] = _mm_loadu_si128((const __m128i *)&k->h[i]);
        hk[i] = ghash_pclmul_hk(h[i]);
    }
    while (nblocks >= 8) {
        __m128i hi = _mm_setzero_si128(), mid = hi, lo = hi;
        for (int i = 0; i < 8; i++) {
            __m128i x = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * i)), bswap);
            if (i == 0)
                x = _mm_xor_si128(x, y);
            GHASH_MULACC(x, h[7 - i], hk[7 - i], hi, mid, lo);
        }
        GHASH_FOLD(hi, mid, lo);
        y = ghash_pclmul_reduce(hi, lo);
        p += 128;
        nblocks -= 8;
    }
    while (nblocks--) {
        __m128i x = _mm_xor_si128(y, _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)p), bswap));
        __m128i hi = _mm_setzero_si128(), mid = hi, lo = hi;
        GHASH_MULACC(x, h[0], hk[0], hi, mid, lo);
        GHASH_FOLD(hi, mid, lo);
        y = ghash_pclmul_reduce(hi, lo);
        p += 16;
    }
    _mm_storeu_si128((__m128i *)yp, y);
}
