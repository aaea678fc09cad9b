/* see chacha20.h — RFC 8439 sections 2.1-2.4. */
#include "crypto/chacha20.h"
#include "crypto/chacha20_internal.h"
#include "lib/bytes.h"
#include "crypto/impl.h"
#include "crypto/simd.h"
#include "crypto/crypto.h"

static inline uint32_t rotl32(uint32_t x, unsigned r) { return (x << r) | (x >> (32 - r)); }
#define QR(a, b, c, d) do { \
    a += b; d ^= a; d = rotl32(d, 16); \
    c += d; b ^= c; b = rotl32(b, 12); \
    a += b; d ^= a; d = rotl32(d, 8);  \
    c += d; b ^= c; b = rotl32(b, 7);  \
} while (0)

/* GCC: without the frame pointer the 16 state words fit the registers
   better (the kernel builds with -fno-omit-frame-pointer); clang has no
   optimize attribute. */
#if defined(__GNUC__) && !defined(__clang__)
__attribute__((optimize("omit-frame-pointer")))
#endif
static void chacha20_core(const uint32_t in[16], uint32_t out[16])
{
    uint32_t x[16];
    for (int i = 0; i < 16; i++)
        x[i] = in[i];
    for (int i = 0; i < 10; i++) {
        QR(x[0], x[4], x[8], x[12]);   /* column rounds */
        QR(x[1], x[5], x[9], x[13]);
        QR(x[2], x[6], x[10], x[14]);
        QR(x[3], x[7], x[11], x[15]);
        QR(x[0], x[5], x[10], x[15]);  /* diagonal rounds */
        QR(x[1], x[6], x[11], x[12]);
        QR(x[2], x[7], x[8], x[13]);
        QR(x[3], x[4], x[9], x[14]);
    }
    for (int i = 0; i < 16; i++)
        out[i] = x[i] + in[i];
}

/* see chacha20_internal.h */
void chacha20_setup(uint32_t s[16], const uint8_t key[32], uint32_t counter, const uint8_t nonce[12])
{
    s[0] = 0x61707865; s[1] = 0x3320646e; s[2] = 0x79622d32; s[3] = 0x6b206574;
    for (int i = 0; i < 8; i++)
        s[4 + i] = le32_get(key + 4 * i);
    s[12] = counter;
    for (int i = 0; i < 3; i++)
        s[13 + i] = le32_get(nonce + 4 * i);
}

void chacha20_block(const uint8_t key[32], uint32_t counter, const uint8_t nonce[12], uint8_t out[64])
{
    uint32_t s[16], x[16];
    chacha20_setup(s, key, counter, nonce);
    chacha20_core(s, x);
    for (int i = 0; i < 16; i++)
        le32_put(out + 4 * i, x[i]);
    crypto_zeroize(s, sizeof s);
    crypto_zeroize(x, sizeof x);
}

/* SSE2 (baseline on x86-64): four blocks at once, vector i holding word i
   of blocks counter..counter+3; same arithmetic, no data-dependent flow. */
static inline __m128i rotl_v(__m128i v, int r)
{
    return _mm_or_si128(_mm_slli_epi32(v, r), _mm_srli_epi32(v, 32 - r));
}

#define QRV(a, b, c, d) do { \
    a = _mm_add_epi32(a, b); d = rotl_v(_mm_xor_si128(d, a), 16); \
    c = _mm_add_epi32(c, d); b = rotl_v(_mm_xor_si128(b, c), 12); \
    a = _mm_add_epi32(a, b); d = rotl_v(_mm_xor_si128(d, a), 8);  \
    c = _mm_add_epi32(c, d); b = rotl_v(_mm_xor_si128(b, c), 7);  \
} while (0)

/* out = (in ^ keystream) & mask for 4 blocks (256 bytes) starting at s[12]. */
__attribute__((noinline)) static void chacha20_xor4_sse2(const uint32_t s[16], const uint8_t *in, uint8_t *out, uint32_t mask)
{
    __m128i m = _mm_set1_epi32((int)mask);
    __m128i x[16], o[16];
    for (int i = 0; i < 16; i++)
        x[i] = _mm_set1_epi32((int)s[i]);
    x[12] = _mm_add_epi32(x[12], _mm_set_epi32(3, 2, 1, 0));
    for (int i = 0; i < 16; i++)
        o[i] = x[i];
    for (int i = 0; i < 10; i++) {
        QRV(x[0], x[4], x[8], x[12]);
        QRV(x[1], x[5], x[9], x[13]);
        QRV(x[2], x[6], x[10], x[14]);
        QRV(x[3], x[7], x[11], x[15]);
        QRV(x[0], x[5], x[10], x[15]);
        QRV(x[1], x[6], x[11], x[12]);
        QRV(x[2], x[7], x[8], x[13]);
        QRV(x[3], x[4], x[9], x[14]);
    }
    for (int i = 0; i < 16; i += 4) {
        /* transpose words i..i+3 of the four blocks */
        __m128i a = _mm_add_epi32(x[i], o[i]), b = _mm_add_epi32(x[i + 1], o[i + 1]);
        __m128i c = _mm_add_epi32(x[i + 2], o[i + 2]), d = _mm_add_epi32(x[i + 3], o[i + 3]);
        __m128i t0 = _mm_unpacklo_epi32(a, b), t1 = _mm_unpacklo_epi32(c, d);
        __m128i t2 = _mm_unpackhi_epi32(a, b), t3 = _mm_unpackhi_epi32(c, d);
        __m128i blk[4] = { _mm_unpacklo_epi64(t0, t1), _mm_unpackhi_epi64(t0, t1),
                           _mm_unpacklo_epi64(t2, t3), _mm_unpackhi_epi64(t2, t3) };
        for (int k = 0; k < 4; k++) {
            size_t off = 64 * (size_t)k + 4 * (size_t)i;
            __m128i v = _mm_and_si128(m, _mm_xor_si128(blk[k], _mm_loadu_si128((const __m128i *)(in + off))));
            _mm_storeu_si128((__m128i *)(out + off), v);
        }
    }
}

/* see chacha20_internal.h */
void chacha20_xor_state(uint32_t s[16], const uint8_t *in, uint8_t *out, size_t len, uint32_t mask)
{
    uint8_t mask8 = (uint8_t)mask;
    uint32_t x[16];
    size_t n;
    enum crypto_chacha_path path = crypto_chacha_path();
    if (path == CRYPTO_CHACHA_AVX512) {
        n = chacha20_avx512_xor(s, in, out, len, mask);
        in += n; out += n; len -= n;
    }
    if (path >= CRYPTO_CHACHA_AVX2) {
        n = chacha20_avx2_xor(s, in, out, len, mask);
        in += n; out += n; len -= n;
    }
    if (path >= CRYPTO_CHACHA_SSE2) {
        while (len >= 256) {
            chacha20_xor4_sse2(s, in, out, mask);
            s[12] += 4;
            in += 256; out += 256; len -= 256;
        }
    }
    while (len) {
        chacha20_core(s, x);
        s[12]++;
        n = len < 64 ? len : 64;
        if (n == 64) {
            for (int i = 0; i < 16; i++) {
                le32_put(out + 4 * i, (le32_get(in + 4 * i) ^ x[i]) & mask);
            }
        } else {
            for (size_t i = 0; i < n; i++)
                out[i] = (uint8_t)((in[i] ^ (uint8_t)(x[i / 4] >> (8 * (i % 4)))) & mask8);
        }
        in += n; out += n; len -= n;
    }
    crypto_zeroize(x, sizeof x);
}

void chacha20_xor_masked(const uint8_t key[32], uint32_t counter, const uint8_t nonce[12],
                         const uint8_t *in, uint8_t *out, size_t len, uint32_t mask)
{
    uint32_t s[16];
    chacha20_setup(s, key, counter, nonce);
    chacha20_xor_state(s, in, out, len, mask);
    if (crypto_chacha_path() != CRYPTO_CHACHA_SCALAR)
        crypto_wipe_stack(CHACHA_SIMD_STACK);  /* key words, keystream lanes */
    crypto_zeroize(s, sizeof s);
}

void chacha20_xor(const uint8_t key[32], uint32_t counter, const uint8_t nonce[12],
                  const uint8_t *in, uint8_t *out, size_t len)
{
    chacha20_xor_masked(key, counter, nonce, in, out, len, 0xffffffffu);
}
