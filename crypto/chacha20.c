/* see chacha20.h — RFC 8439 sections 2.1-2.4. */
#include "crypto/chacha20.h"
#include "crypto/crypto.h"

static inline uint32_t rotl32(uint32_t x, unsigned r) { return (x << r) | (x >> (32 - r)); }
static inline uint32_t load_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

#define QR(a, b, c, d) do { \
    a += b; d ^= a; d = rotl32(d, 16); \
    c += d; b ^= c; b = rotl32(b, 12); \
    a += b; d ^= a; d = rotl32(d, 8);  \
    c += d; b ^= c; b = rotl32(b, 7);  \
} while (0)

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

static void chacha20_setup(uint32_t s[16], const uint8_t key[32], uint32_t counter, const uint8_t nonce[12])
{
    s[0] = 0x61707865; s[1] = 0x3320646e; s[2] = 0x79622d32; s[3] = 0x6b206574;
    for (int i = 0; i < 8; i++)
        s[4 + i] = load_le32(key + 4 * i);
    s[12] = counter;
    for (int i = 0; i < 3; i++)
        s[13 + i] = load_le32(nonce + 4 * i);
}

void chacha20_block(const uint8_t key[32], uint32_t counter, const uint8_t nonce[12], uint8_t out[64])
{
    uint32_t s[16], x[16];
    chacha20_setup(s, key, counter, nonce);
    chacha20_core(s, x);
    for (int i = 0; i < 16; i++) {
        out[4 * i] = (uint8_t)x[i];
        out[4 * i + 1] = (uint8_t)(x[i] >> 8);
        out[4 * i + 2] = (uint8_t)(x[i] >> 16);
        out[4 * i + 3] = (uint8_t)(x[i] >> 24);
    }
    crypto_zeroize(s, sizeof s);
    crypto_zeroize(x, sizeof x);
}

void chacha20_xor(const uint8_t key[32], uint32_t counter, const uint8_t nonce[12],
                  const uint8_t *in, uint8_t *out, size_t len)
{
    uint32_t s[16], x[16];
    chacha20_setup(s, key, counter, nonce);
    while (len) {
        chacha20_core(s, x);
        s[12]++;
        size_t n = len < 64 ? len : 64;
        if (n == 64) {
            for (int i = 0; i < 16; i++) {
                uint32_t v = load_le32(in + 4 * i) ^ x[i];
                out[4 * i] = (uint8_t)v;
                out[4 * i + 1] = (uint8_t)(v >> 8);
                out[4 * i + 2] = (uint8_t)(v >> 16);
                out[4 * i + 3] = (uint8_t)(v >> 24);
            }
        } else {
            for (size_t i = 0; i < n; i++)
                out[i] = in[i] ^ (uint8_t)(x[i / 4] >> (8 * (i % 4)));
        }
        in += n; out += n; len -= n;
    }
    crypto_zeroize(s, sizeof s);
    crypto_zeroize(x, sizeof x);
}
