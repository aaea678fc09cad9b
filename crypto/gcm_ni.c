/* Fused AES-NI CTR + PCLMULQDQ GHASH for GCM bulk data, 8 blocks per step:
   the 8 carry-less multiplications of one batch run between the AES rounds
   of the next (decrypt: of the same batch, whose ciphertext is the input),
   then one aggregated reduction. Only called when crypto_use_aesni(). */
#include "crypto/gcm_internal.h"
#include "crypto/ghash_pclmul.h"

CRYPTO_TARGET_AESNI
size_t gcm_ni_bulk(const gcm_ctx *c, uint8_t ctr[16], ghash_elem *yp,
                   const uint8_t *in, uint8_t *out, size_t len, int enc)
{
    size_t nb = len / 128;
    if (nb == 0)
        return 0;
    const __m128i bswap = _mm_set_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    const __m128i one = _mm_set_epi32(0, 0, 0, 1);
    const __m128i *rkp = (const __m128i *)c->aes.rk;
    unsigned nr = c->aes.rounds;
    __m128i rk[AES_MAX_ROUNDS + 1], h[GHASH_POWERS], hk[GHASH_POWERS];
    for (unsigned r = 0; r <= nr; r++)
        rk[r] = _mm_loadu_si128(rkp + r);
    for (int i = 0; i < GHASH_POWERS; i++) {
        h[i] = _mm_loadu_si128((const __m128i *)&c->gk.h[i]);
        hk[i] = ghash_pclmul_hk(h[i]);
    }
    __m128i y = _mm_loadu_si128((const __m128i *)yp);
    __m128i ctrv = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)ctr), bswap);

    for (size_t b = 0; b < nb; b++) {
        /* blocks to hash during this step: decrypt hashes its own input,
           encrypt the previous step's output */
        const uint8_t *g = enc ? (b ? out - 128 : NULL) : in;
        __m128i x[8], hi = _mm_setzero_si128(), mid = hi, lo = hi;
        for (int i = 0; i < 8; i++) {
            x[i] = _mm_xor_si128(_mm_shuffle_epi8(ctrv, bswap), rk[0]);
            ctrv = _mm_add_epi32(ctrv, one);
        }
        if (g) {
            /* rounds 1..8 each carry one block's multiply */
            for (unsigned j = 0; j < 8; j++) {
                for (int i = 0; i < 8; i++)
                    x[i] = _mm_aesenc_si128(x[i], rk[j + 1]);
                __m128i v = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(g + 16 * j)), bswap);
                if (j == 0)
                    v = _mm_xor_si128(v, y);
                GHASH_MULACC(v, h[7 - j], hk[7 - j], hi, mid, lo);
            }
        } else {
            for (unsigned r = 1; r <= 8; r++)
                for (int i = 0; i < 8; i++)
                    x[i] = _mm_aesenc_si128(x[i], rk[r]);
        }
        for (unsigned r = 9; r < nr; r++)
            for (int i = 0; i < 8; i++)
                x[i] = _mm_aesenc_si128(x[i], rk[r]);
        for (int i = 0; i < 8; i++) {
            x[i] = _mm_aesenclast_si128(x[i], rk[nr]);
            x[i] = _mm_xor_si128(x[i], _mm_loadu_si128((const __m128i *)(in + 16 * i)));
        }
        for (int i = 0; i < 8; i++)
            _mm_storeu_si128((__m128i *)(out + 16 * i), x[i]);
        if (g) {
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
