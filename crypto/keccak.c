/* Keccak-p[1600, 24] and the sponge of FIPS 202 (sections 3 to 6), behind
   crypto/sha3.h. The state is 25 little-endian 64-bit lanes, lane (x, y) at
   s[x + 5y]; bytes are absorbed by XOR into the lanes. Round constants are
   the iota values RC[ir] of Algorithm 6 (from rc(t) of Algorithm 5), the
   rotation offsets those of rho (Algorithm 2); both follow from the
   standard, and the ACVP vectors of tests/unit/test_sha3.c check them.
   No data-dependent branches or indices: only lengths steer the code. */
#include <string.h>
#include "crypto/sha3.h"
#include "crypto/crypto.h"
#include "crypto/bytes.h"

static const uint64_t keccak_rc[24] = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL,
    0x8000000080008000ULL, 0x000000000000808bULL, 0x0000000080000001ULL,
    0x8000000080008081ULL, 0x8000000000008009ULL, 0x000000000000008aULL,
    0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
    0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL,
    0x8000000000008003ULL, 0x8000000000008002ULL, 0x8000000000000080ULL,
    0x000000000000800aULL, 0x800000008000000aULL, 0x8000000080008081ULL,
    0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL,
};

/* rho offset of lane x + 5y. */
static const uint8_t keccak_rho[25] = {
    0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14,
};

static inline uint64_t rotl64(uint64_t v, unsigned n)
{
    return n ? (v << n) | (v >> (64 - n)) : v;
}

void keccak_f1600(uint64_t s[25])
{
    uint64_t c[5], d[5], b[25];
    for (int ir = 0; ir < 24; ir++) {
        /* theta */
        for (int x = 0; x < 5; x++)
            c[x] = s[x] ^ s[x + 5] ^ s[x + 10] ^ s[x + 15] ^ s[x + 20];
        for (int x = 0; x < 5; x++)
            d[x] = c[(x + 4) % 5] ^ rotl64(c[(x + 1) % 5], 1);
        for (int i = 0; i < 25; i++)
            s[i] ^= d[i % 5];
        /* rho and pi: A'[y, 2x + 3y] = rot(A[x, y]) */
        for (int x = 0; x < 5; x++)
            for (int y = 0; y < 5; y++)
                b[y + 5 * ((2 * x + 3 * y) % 5)] = rotl64(s[x + 5 * y], keccak_rho[x + 5 * y]);
        /* chi */
        for (int y = 0; y < 25; y += 5)
            for (int x = 0; x < 5; x++)
                s[y + x] = b[y + x] ^ (~b[y + (x + 1) % 5] & b[y + (x + 2) % 5]);
        /* iota */
        s[0] ^= keccak_rc[ir];
    }
    crypto_zeroize(b, sizeof b);
    crypto_zeroize(c, sizeof c);
    crypto_zeroize(d, sizeof d);
}

static void keccak_init(struct keccak_ctx *c, unsigned rate, uint8_t ds)
{
    memset(c, 0, sizeof *c);
    c->rate = (uint16_t)rate;
    c->ds = ds;
}

void sha3_256_init(struct keccak_ctx *c) { keccak_init(c, SHA3_256_RATE, 0x06); }
void sha3_512_init(struct keccak_ctx *c) { keccak_init(c, SHA3_512_RATE, 0x06); }
void shake128_init(struct keccak_ctx *c) { keccak_init(c, SHAKE128_RATE, 0x1f); }
void shake256_init(struct keccak_ctx *c) { keccak_init(c, SHAKE256_RATE, 0x1f); }

static inline void xor_byte(struct keccak_ctx *c, size_t i, uint8_t v)
{
    c->s[i / 8] ^= (uint64_t)v << (8 * (i % 8));
}

void keccak_absorb(struct keccak_ctx *c, const void *in, size_t n)
{
    const uint8_t *p = in;
    while (n) {
        if (c->pos == 0 && n >= c->rate) {
            for (unsigned i = 0; i < c->rate / 8u; i++)
                c->s[i] ^= load_le64(p + 8 * i);
            keccak_f1600(c->s);
            p += c->rate;
            n -= c->rate;
            continue;
        }
        xor_byte(c, c->pos, *p++);
        n--;
        if (++c->pos == c->rate) {
            keccak_f1600(c->s);
            c->pos = 0;
        }
    }
}

void keccak_absorb_bits(struct keccak_ctx *c, uint8_t bits, unsigned nbits)
{
    nbits &= 7;
    c->tail = (uint8_t)(bits & ((1u << nbits) - 1));
    c->tail_bits = (uint8_t)nbits;
}

/* pad10*1 after the message tail and the domain bits (FIPS 202 sections
   5.1 and 6): v holds tail bits, domain bits and the first padding 1. */
static void keccak_pad(struct keccak_ctx *c)
{
    unsigned dsbits = c->ds == 0x06 ? 3 : 5;
    unsigned nb = c->tail_bits + dsbits;
    uint32_t v = c->tail | (uint32_t)c->ds << c->tail_bits;
    xor_byte(c, c->pos, (uint8_t)v);
    if (nb > 8) {
        if (++c->pos == c->rate) {
            keccak_f1600(c->s);
            c->pos = 0;
        }
        xor_byte(c, c->pos, (uint8_t)(v >> 8));
        nb -= 8;
    }
    /* the first padding 1 took the block's last bit: the closing 1 needs a new block */
    if (c->pos == c->rate - 1 && nb == 8)
        keccak_f1600(c->s);
    xor_byte(c, c->rate - 1u, 0x80);
    keccak_f1600(c->s);
    c->pos = 0;
    c->squeezing = 1;
}

void keccak_squeeze(struct keccak_ctx *c, void *out, size_t n)
{
    uint8_t *o = out;
    if (!c->squeezing)
        keccak_pad(c);
    while (n) {
        if (c->pos == c->rate) {
            keccak_f1600(c->s);
            c->pos = 0;
        }
        if (c->pos == 0 && n >= c->rate) {
            for (unsigned i = 0; i < c->rate / 8u; i++)
                store_le64(o + 8 * i, c->s[i]);
            o += c->rate;
            n -= c->rate;
            c->pos = c->rate;
            continue;
        }
        *o++ = (uint8_t)(c->s[c->pos / 8] >> (8 * (c->pos % 8)));
        c->pos++;
        n--;
    }
}

void keccak_wipe(struct keccak_ctx *c)
{
    crypto_zeroize(c, sizeof *c);
}

void sha3_256_final(struct keccak_ctx *c, uint8_t out[32])
{
    keccak_squeeze(c, out, 32);
    keccak_wipe(c);
}

void sha3_512_final(struct keccak_ctx *c, uint8_t out[64])
{
    keccak_squeeze(c, out, 64);
    keccak_wipe(c);
}

void sha3_256(const void *in, size_t n, uint8_t out[32])
{
    struct keccak_ctx c;
    sha3_256_init(&c);
    keccak_absorb(&c, in, n);
    sha3_256_final(&c, out);
}

void sha3_512(const void *in, size_t n, uint8_t out[64])
{
    struct keccak_ctx c;
    sha3_512_init(&c);
    keccak_absorb(&c, in, n);
    sha3_512_final(&c, out);
}

void shake128(const void *in, size_t n, uint8_t *out, size_t outlen)
{
    struct keccak_ctx c;
    shake128_init(&c);
    keccak_absorb(&c, in, n);
    keccak_squeeze(&c, out, outlen);
    keccak_wipe(&c);
}

void shake256(const void *in, size_t n, uint8_t *out, size_t outlen)
{
    struct keccak_ctx c;
    shake256_init(&c);
    keccak_absorb(&c, in, n);
    keccak_squeeze(&c, out, outlen);
    keccak_wipe(&c);
}
