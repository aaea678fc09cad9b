/* SHA-256 block function with the SHA extensions (Intel SDM: SHA256RNDS2,
   SHA256MSG1, SHA256MSG2). See sha2_internal.h. State is kept as the
   instruction wants it: ABEF and CDGH, A in the top dword. */
#include "crypto/sha2_internal.h"
#include "crypto/impl.h"
#include "crypto/simd.h"

static const uint32_t K256s[64] __attribute__((aligned(16))) = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

CRYPTO_TARGET_SHANI
void sha256_blocks_shani(uint32_t h[8], const uint8_t *p, size_t nblocks)
{
    const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
    __m128i t = _mm_loadu_si128((const __m128i *)h);         /* a b c d */
    __m128i s1 = _mm_loadu_si128((const __m128i *)(h + 4));  /* e f g h */
    t = _mm_shuffle_epi32(t, 0xB1);                          /* b a d c */
    s1 = _mm_shuffle_epi32(s1, 0x1B);                        /* h g f e */
    __m128i s0 = _mm_alignr_epi8(t, s1, 8);                  /* f e b a = ABEF */
    s1 = _mm_blend_epi16(s1, t, 0xF0);                       /* h g d c = CDGH */

    while (nblocks--) {
        __m128i abef = s0, cdgh = s1, m[4];
        /* unrolled whole: m[] stays in registers, the branch folds away
           and the schedule of later groups overlaps the rounds */
#pragma GCC unroll 16
        for (int g = 0; g < 16; g++) {
            __m128i w;
            if (g < 4) {
                w = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * g)), bswap);
            } else {
                /* W[t..t+3] from W[t-16..t-1], FIPS 180-4 6.2.2 step 1 */
                w = _mm_sha256msg1_epu32(m[g & 3], m[(g + 1) & 3]);
                w = _mm_add_epi32(w, _mm_alignr_epi8(m[(g + 3) & 3], m[(g + 2) & 3], 4));
                w = _mm_sha256msg2_epu32(w, m[(g + 3) & 3]);
            }
            m[g & 3] = w;
            __m128i wk = _mm_add_epi32(w, _mm_load_si128((const __m128i *)(K256s + 4 * g)));
            s1 = _mm_sha256rnds2_epu32(s1, s0, wk);
            wk = _mm_shuffle_epi32(wk, 0x0E);
            s0 = _mm_sha256rnds2_epu32(s0, s1, wk);
        }
        s0 = _mm_add_epi32(s0, abef);
        s1 = _mm_add_epi32(s1, cdgh);
        p += 64;
    }

    t = _mm_shuffle_epi32(s0, 0x1B);                         /* a b e f */
    s1 = _mm_shuffle_epi32(s1, 0xB1);                        /* g h c d */
    s0 = _mm_blend_epi16(t, s1, 0xF0);                       /* a b c d */
    s1 = _mm_alignr_epi8(s1, t, 8);                          /* e f g h */
    _mm_storeu_si128((__m128i *)h, s0);
    _mm_storeu_si128((__m128i *)(h + 4), s1);
}

void sha256_blocks(uint32_t h[8], const uint8_t *p, size_t nblocks)
{
    if (crypto_use_shani())
        sha256_blocks_shani(h, p, nblocks);
    else
        sha256_blocks_portable(h, p, nblocks);
}
