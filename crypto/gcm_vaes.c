/* GCM bulk data with VAES and VPCLMULQDQ: gcm_ni_bulk's 8-block step (see
   gcm_ni.c) on 256-bit registers. The AES rounds run on four registers of
   two counter blocks each; GHASH multiplies two blocks per instruction (the
   Karatsuba products of gcm_ni.c, lane by lane, between AES rounds), folds
   the lanes and reduces once per step. The step's loops are unrolled whole
   (GCC -O2 kept them rolled, with the state in memory). Only called when
   crypto_use_vaes(). */
#include "crypto/gcm_internal.h"
#include "crypto/ghash_pclmul.h"

/* Counter blocks n and n+1 (host-order counter word in lane 0 of c). */
CRYPTO_TARGET_VAES
static inline __m256i ctr_pair(__m128i *c, __m128i bswap, __m128i one)
{
    __m128i lo = _mm_shuffle_epi8(*c, bswap);
    *c = _mm_add_epi32(*c, one);
    __m128i hi = _mm_shuffle_epi8(*c, bswap);
    *c = _mm_add_epi32(*c, one);
    return _mm256_inserti128_si256(_mm256_castsi128_si256(lo), hi, 1);
}

CRYPTO_TARGET_VAES
size_t gcm_vaes_bulk(const gcm_ctx *c, uint8_t ctr[16], ghash_elem *yp,
                     const uint8_t *in, uint8_t *out, size_t len, int enc)
{
    size_t nb = len / 128;
    if (nb == 0)
        return 0;
    const __m128i bswap = _mm_set_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    const __m128i one = _mm_set_epi32(0, 0, 0, 1);
    const __m128i *rkp = (const __m128i *)c->aes.rk;
    unsigned nr = c->aes.rounds;
    __m256i rk[AES_MAX_ROUNDS + 1];
    for (unsigned r = 0; r <= nr; r++)
        rk[r] = _mm256_broadcastsi128_si256(_mm_loadu_si128(rkp + r));
    /* block 2i of a step is multiplied by H^(8-2i), block 2i+1 by H^(7-2i):
       hp[i] holds that pair (low lane first), hkp[i] their Karatsuba halves */
    __m256i hp[4], hkp[4];
    for (int i = 0; i < 4; i++) {
        __m128i a = _mm_loadu_si128((const __m128i *)&c->gk.h[7 - 2 * i]);
        __m128i b = _mm_loadu_si128((const __m128i *)&c->gk.h[6 - 2 * i]);
        hp[i] = _mm256_set_m128i(b, a);
        hkp[i] = _mm256_set_m128i(ghash_pclmul_hk(b), ghash_pclmul_hk(a));
    }
    const __m256i bswap2 = _mm256_broadcastsi128_si256(bswap);
    __m128i y = _mm_loadu_si128((const __m128i *)yp);
    __m128i ctrv = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)ctr), bswap);

    for (size_t b = 0; b < nb; b++) {
        /* blocks to hash during this step: decrypt hashes its own input,
           encrypt the previous step's output */
        const uint8_t *g = enc ? (b ? out - 128 : NULL) : in;
        __m256i x[4];
        __m256i hi2 = _mm256_setzero_si256(), mid2 = hi2, lo2 = hi2;
        #pragma GCC unroll 4
        for (int i = 0; i < 4; i++)
            x[i] = _mm256_xor_si256(ctr_pair(&ctrv, bswap, one), rk[0]);
        if (g) {
            /* rounds 1..8: every other one carries a pair of multiplies */
            #pragma GCC unroll 8
            for (unsigned j = 0; j < 8; j++) {
                #pragma GCC unroll 4
                for (int i = 0; i < 4; i++)
                    x[i] = _mm256_aesenc_epi128(x[i], rk[j + 1]);
                if (j & 1)
                    continue;
                __m256i v = _mm256_shuffle_epi8(
                    _mm256_loadu_si256((const __m256i *)(g + 16 * j)), bswap2);
                if (j == 0)
                    v = _mm256_xor_si256(v, _mm256_set_m128i(_mm_setzero_si128(), y));
                lo2 = _mm256_xor_si256(lo2, _mm256_clmulepi64_epi128(v, hp[j / 2], 0x00));
                hi2 = _mm256_xor_si256(hi2, _mm256_clmulepi64_epi128(v, hp[j / 2], 0x11));
                mid2 = _mm256_xor_si256(mid2, _mm256_clmulepi64_epi128(
                    _mm256_xor_si256(v, _mm256_srli_si256(v, 8)), hkp[j / 2], 0x00));
            }
        } else {
            #pragma GCC unroll 8
            for (unsigned r = 1; r <= 8; r++)
                #pragma GCC unroll 4
                for (int i = 0; i < 4; i++)
                    x[i] = _mm256_aesenc_epi128(x[i], rk[r]);
        }
        #pragma GCC unroll 14
        for (unsigned r = 9; r < nr; r++)
            #pragma GCC unroll 4
            for (int i = 0; i < 4; i++)
                x[i] = _mm256_aesenc_epi128(x[i], rk[r]);
        #pragma GCC unroll 4
        for (int i = 0; i < 4; i++) {
            x[i] = _mm256_aesenclast_epi128(x[i], rk[nr]);
            x[i] = _mm256_xor_si256(x[i], _mm256_loadu_si256((const __m256i *)(in + 32 * i)));
        }
        #pragma GCC unroll 4
        for (int i = 0; i < 4; i++)
            _mm256_storeu_si256((__m256i *)(out + 32 * i), x[i]);
        if (g) {
            __m128i hi = _mm_xor_si128(_mm256_castsi256_si128(hi2), _mm256_extracti128_si256(hi2, 1));
            __m128i mid = _mm_xor_si128(_mm256_castsi256_si128(mid2),
                                        _mm256_extracti128_si256(mid2, 1));
            __m128i lo = _mm_xor_si128(_mm256_castsi256_si128(lo2), _mm256_extracti128_si256(lo2, 1));
            GHASH_FOLD(hi, mid, lo);
            y = ghash_pclmul_reduce(hi, lo);
        }
        in += 128;
        out += 128;
    }
    _mm_storeu_si128((__m128i *)yp, y);
    if (enc)   /* the last batch of ciphertext */
        ghash_blocks_pclmul(&c->gk, yp, out - 128, 8);
    _mm_storeu_si128((__m128i *)ctr, _mm_shuffle_epi8(ctrv, bswap));
    return nb * 128;
}
