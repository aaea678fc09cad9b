/* Fused AES-NI CTR + PCLMULQDQ GHASH for GCM bulk data, 8 blocks per step:
   the 8 carry-less multiplications of one batch run between the AES rounds
   of the next (decrypt: of the same batch, whose ciphertext is the input),
   then one aggregated reduction. Only called when crypto_use_aesni().

   The step is written out in full (8 named registers, every round spelled
   out): looping over an array of 8 blocks kept the blocks in memory, a
   load, an AESENC and a store per block and round, and under a JIT such as
   QEMU TCG each of those memory accesses and each loop branch costs more
   than the AESENC itself. */
#include "crypto/gcm_internal.h"
#include "crypto/ghash_pclmul.h"

#define ENC8(k) do {                                                        \
    __m128i k_ = (k);                                                       \
    x0 = _mm_aesenc_si128(x0, k_); x1 = _mm_aesenc_si128(x1, k_);           \
    x2 = _mm_aesenc_si128(x2, k_); x3 = _mm_aesenc_si128(x3, k_);           \
    x4 = _mm_aesenc_si128(x4, k_); x5 = _mm_aesenc_si128(x5, k_);           \
    x6 = _mm_aesenc_si128(x6, k_); x7 = _mm_aesenc_si128(x7, k_);           \
} while (0)

/* Block j of the batch g (byte-reversed), times H^(8-j), into the sums. */
#define HASH1(j) do {                                                       \
    __m128i v_ = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(g + 16 * (j))), bswap); \
    if ((j) == 0)                                                           \
        v_ = _mm_xor_si128(v_, *y);                                         \
    GHASH_MULACC(v_, h[7 - (j)], hk[7 - (j)], hi, mid, lo);                 \
} while (0)

#define LAST8(i, x) do {                                                    \
    x = _mm_aesenclast_si128(x, rk[nr]);                                    \
    x = _mm_xor_si128(x, _mm_loadu_si128((const __m128i *)(in + 16 * (i)))); \
    _mm_storeu_si128((__m128i *)(out + 16 * (i)), x);                       \
} while (0)

/* The next counter block, XORed with k0, from c (the counter in memory
   order) when its last byte cannot overflow: the 32-bit lane holding bytes
   12..15 has byte 15 on top, so adding 1 << 24 adds one to byte 15. */
#define CTR_FAST(x) x = _mm_xor_si128(c, k0); c = _mm_add_epi32(c, one_be)
/* The same from c byte-reversed (the 32-bit counter in lane 0), any value. */
#define CTR_SWAP(x) x = _mm_xor_si128(_mm_shuffle_epi8(c, bswap), k0); c = _mm_add_epi32(c, one)

/* One step: 8 counter blocks (cbe: the counter in memory order, advanced
   by 8) XORed into in -> out; when g is not NULL its 8 blocks are hashed
   into *y. Inlined into both call sites, so g == NULL is
   known at compile time there. The counter is public (the nonce and the
   block index), so branching on it leaks nothing. */
CRYPTO_TARGET_AESNI __attribute__((always_inline))
static inline void gcm_ni_step(const __m128i *rk, unsigned nr, const __m128i *h, const __m128i *hk,
                               __m128i *cbe, __m128i *y, const uint8_t *g,
                               const uint8_t *in, uint8_t *out)
{
    const __m128i bswap = _mm_set_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    const __m128i one = _mm_set_epi32(0, 0, 0, 1);
    const __m128i one_be = _mm_set_epi32(1 << 24, 0, 0, 0);
    __m128i k0 = rk[0], x0, x1, x2, x3, x4, x5, x6, x7;
    if (_mm_extract_epi8(*cbe, 15) <= 0xff - 8) {
        /* 31 steps of 32: no byte swap (under TCG each PSHUFB is a helper call) */
        __m128i c = *cbe;
        CTR_FAST(x0); CTR_FAST(x1); CTR_FAST(x2); CTR_FAST(x3);
        CTR_FAST(x4); CTR_FAST(x5); CTR_FAST(x6); CTR_FAST(x7);
        *cbe = c;
    } else {
        __m128i c = _mm_shuffle_epi8(*cbe, bswap);
        CTR_SWAP(x0); CTR_SWAP(x1); CTR_SWAP(x2); CTR_SWAP(x3);
        CTR_SWAP(x4); CTR_SWAP(x5); CTR_SWAP(x6); CTR_SWAP(x7);
        *cbe = _mm_shuffle_epi8(c, bswap);
    }
    __m128i hi = _mm_setzero_si128(), mid = hi, lo = hi;
    /* rounds 1..8 each carry one block's multiply */
    ENC8(rk[1]); if (g) HASH1(0);
    ENC8(rk[2]); if (g) HASH1(1);
    ENC8(rk[3]); if (g) HASH1(2);
    ENC8(rk[4]); if (g) HASH1(3);
    ENC8(rk[5]); if (g) HASH1(4);
    ENC8(rk[6]); if (g) HASH1(5);
    ENC8(rk[7]); if (g) HASH1(6);
    ENC8(rk[8]); if (g) HASH1(7);
    ENC8(rk[9]);
    if (nr > 10) {
        ENC8(rk[10]);
        ENC8(rk[11]);
        if (nr > 12) {
            ENC8(rk[12]);
            ENC8(rk[13]);
        }
    }
    LAST8(0, x0); LAST8(1, x1); LAST8(2, x2); LAST8(3, x3);
    LAST8(4, x4); LAST8(5, x5); LAST8(6, x6); LAST8(7, x7);
    if (g) {
        GHASH_FOLD(hi, mid, lo);
        *y = ghash_pclmul_reduce(hi, lo);
    }
}

CRYPTO_TARGET_AESNI
size_t gcm_ni_bulk(const gcm_ctx *c, uint8_t ctr[16], ghash_elem *yp,
                   const uint8_t *in, uint8_t *out, size_t len, int enc)
{
    size_t nb = len / 128;
    if (nb == 0)
        return 0;
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
    __m128i cbe = _mm_loadu_si128((const __m128i *)ctr);

    size_t b = 0;
    if (enc) {   /* encrypt hashes the previous step's output; nothing the first time */
        gcm_ni_step(rk, nr, h, hk, &cbe, &y, NULL, in, out);
        b = 1;
    }
    for (; b < nb; b++) {
        /* decrypt hashes its own input */
        const uint8_t *g = enc ? out + 128 * (b - 1) : in + 128 * b;
        gcm_ni_step(rk, nr, h, hk, &cbe, &y, g, in + 128 * b, out + 128 * b);
    }
    _mm_storeu_si128((__m128i *)yp, y);
    if (enc)   /* the last batch of ciphertext */
        ghash_blocks_pclmul(&c->gk, yp, out + 128 * (nb - 1), 8);
    _mm_storeu_si128((__m128i *)ctr, cbe);
    return nb * 128;
}
