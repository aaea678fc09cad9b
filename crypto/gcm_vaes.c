/* GCM bulk data with VAES: gcm_ni_bulk's 8-block step (see gcm_ni.c) with
   the AES rounds on four 256-bit registers, two counter blocks each, and the
   same PCLMULQDQ GHASH (one block's multiply between AES rounds, one
   aggregated reduction per step). Two blocks per AES instruction double the
   AES throughput of CPUs with VAES, and under QEMU TCG, which runs each AES
   instruction as one helper call whatever its width, halve the calls.
   Only called when crypto_use_vaes(). */
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
    __m128i h[GHASH_POWERS], hk[GHASH_POWERS];
    for (unsigned r = 0; r <= nr; r++)
        rk[r] = _mm256_broadcastsi128_si256(_mm_loadu_si128(rkp + r));
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
        __m256i x[4];
        __m128i hi = _mm_setzero_si128(), mid = hi, lo = hi;
        for (int i = 0; i < 4; i++)
            x[i] = _mm256_xor_si256(ctr_pair(&ctrv, bswap, one), rk[0]);
        if (g) {
            /* rounds 1..8 each carry one block's multiply */
            for (unsigned j = 0; j < 8; j++) {
                for (int i = 0; i < 4; i++)
                    x[i] = _mm256_aesenc_epi128(x[i], rk[j + 1]);
                __m128i v = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(g + 16 * j)), bswap);
                if (j == 0)
                    v = _mm_xor_si128(v, y);
                GHASH_MULACC(v, h[7 - j], hk[7 - j], hi, mid, lo);
            }
        } else {
            for (unsigned r = 1; r <= 8; r++)
                for (int i = 0; i < 4; i++)
                    x[i] = _mm256_aesenc_epi128(x[i], rk[r]);
        }
        for (unsigned r = 9; r < nr; r++)
            for (int i = 0; i < 4; i++)
                x[i] = _mm256_aesenc_epi128(x[i], rk[r]);
        for (int i = 0; i < 4; i++) {
            x[i] = _mm256_aesenclast_epi128(x[i], rk[nr]);
            x[i] = _mm256_xor_si256(x[i], _mm256_loadu_si256((const __m256i *)(in + 32 * i)));
        }
        for (int i = 0; i < 4; i++)
            _mm256_storeu_si256((__m256i *)(out + 32 * i), x[i]);
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
