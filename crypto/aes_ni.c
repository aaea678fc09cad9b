/* AES with the AES-NI instructions (Intel SDM: AESENC, AESENCLAST).
   Round keys are the FIPS 197 schedule bytes from aes_key_init. */
#include "crypto/aes_internal.h"
#include "crypto/simd.h"

CRYPTO_TARGET_AESNI
void aes_ni_encrypt_block(const aes_key *k, const uint8_t in[16], uint8_t out[16])
{
    const __m128i *rk = (const __m128i *)k->rk;
    __m128i x = _mm_xor_si128(_mm_loadu_si128((const __m128i *)in), _mm_loadu_si128(rk));
    for (unsigned r = 1; r < k->rounds; r++)
        x = _mm_aesenc_si128(x, _mm_loadu_si128(rk + r));
    x = _mm_aesenclast_si128(x, _mm_loadu_si128(rk + k->rounds));
    _mm_storeu_si128((__m128i *)out, x);
}

CRYPTO_TARGET_AESNI
void aes_ni_ctr32_xor(const aes_key *k, uint8_t ctr[16], const uint8_t *in, uint8_t *out, size_t len)
{
    const __m128i *rkp = (const __m128i *)k->rk;
    const __m128i bswap = _mm_set_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    __m128i rk[AES_MAX_ROUNDS + 1];
    unsigned nr = k->rounds;
    for (unsigned r = 0; r <= nr; r++)
        rk[r] = _mm_loadu_si128(rkp + r);
    /* counter kept byte-reversed so the inc32 is one 32-bit add in lane 0 */
    __m128i c = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)ctr), bswap);
    const __m128i one = _mm_set_epi32(0, 0, 0, 1);
    while (len >= 128) {
        __m128i x[8];
        for (int i = 0; i < 8; i++) {
            x[i] = _mm_xor_si128(_mm_shuffle_epi8(c, bswap), rk[0]);
            c = _mm_add_epi32(c, one);
        }
        for (unsigned r = 1; r < nr; r++)
            for (int i = 0; i < 8; i++)
                x[i] = _mm_aesenc_si128(x[i], rk[r]);
        for (int i = 0; i < 8; i++) {
            x[i] = _mm_aesenclast_si128(x[i], rk[nr]);
            x[i] = _mm_xor_si128(x[i], _mm_loadu_si128((const __m128i *)(in + 16 * i)));
            _mm_storeu_si128((__m128i *)(out + 16 * i), x[i]);
        }
        in += 128; out += 128; len -= 128;
    }
    while (len) {
        __m128i x = _mm_xor_si128(_mm_shuffle_epi8(c, bswap), rk[0]);
        c = _mm_add_epi32(c, one);
        for (unsigned r = 1; r < nr; r++)
            x = _mm_aesenc_si128(x, rk[r]);
        x = _mm_aesenclast_si128(x, rk[nr]);
        if (len >= 16) {
            x = _mm_xor_si128(x, _mm_loadu_si128((const __m128i *)in));
            _mm_storeu_si128((__m128i *)out, x);
            in += 16; out += 16; len -= 16;
        } else {
            uint8_t ks[16];
            _mm_storeu_si128((__m128i *)ks, x);
            for (size_t i = 0; i < len; i++)
                out[i] = in[i] ^ ks[i];
            len = 0;
        }
    }
    _mm_storeu_si128((__m128i *)ctr, _mm_shuffle_epi8(c, bswap));
}
