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
#include "lib/bytes.h"

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
    return n ? (v << n) | (v >> (64 - n)) : v; /* n is a constant */
}

/* Keccak-p[1600, 24] (FIPS 202 section 3.3, Algorithm 7): the 25 lanes in
   locals a<x + 5y>, the step mappings written out lane by lane from their
   definitions (theta: C, D; rho and pi: B[y, 2x + 3y] = rot(A[x, y], r[x, y])
   with r = keccak_rho; chi; iota), so that the compiler keeps the state in
   registers. */
void keccak_f1600(uint64_t s[25])
{
    uint64_t a0 = s[0], a1 = s[1], a2 = s[2], a3 = s[3], a4 = s[4], a5 = s[5], a6 = s[6],
             a7 = s[7], a8 = s[8], a9 = s[9], a10 = s[10], a11 = s[11], a12 = s[12], a13 = s[13],
             a14 = s[14], a15 = s[15], a16 = s[16], a17 = s[17], a18 = s[18], a19 = s[19], a20 = s[20],
             a21 = s[21], a22 = s[22], a23 = s[23], a24 = s[24];
    uint64_t b0, b1, b2, b3, b4, b5, b6, b7, b8, b9, b10, b11, b12,
             b13, b14, b15, b16, b17, b18, b19, b20, b21, b22, b23, b24;
    uint64_t c0, c1, c2, c3, c4, d0, d1, d2, d3, d4;
    for (int ir = 0; ir < 24; ir++) {
        /* theta */
        c0 = a0 ^ a5 ^ a10 ^ a15 ^ a20;
        c1 = a1 ^ a6 ^ a11 ^ a16 ^ a21;
        c2 = a2 ^ a7 ^ a12 ^ a17 ^ a22;
        c3 = a3 ^ a8 ^ a13 ^ a18 ^ a23;
        c4 = a4 ^ a9 ^ a14 ^ a19 ^ a24;
        d0 = c4 ^ rotl64(c1, 1);
        d1 = c0 ^ rotl64(c2, 1);
        d2 = c1 ^ rotl64(c3, 1);
        d3 = c2 ^ rotl64(c4, 1);
        d4 = c3 ^ rotl64(c0, 1);
        /* rho and pi: B[y, 2x + 3y] = rot(A[x, y], r[x, y]) */
        b0 = rotl64(a0 ^ d0, keccak_rho[0]);
        b16 = rotl64(a5 ^ d0, keccak_rho[5]);
        b7 = rotl64(a10 ^ d0, keccak_rho[10]);
        b23 = rotl64(a15 ^ d0, keccak_rho[15]);
        b14 = rotl64(a20 ^ d0, keccak_rho[20]);
        b10 = rotl64(a1 ^ d1, keccak_rho[1]);
        b1 = rotl64(a6 ^ d1, keccak_rho[6]);
        b17 = rotl64(a11 ^ d1, keccak_rho[11]);
        b8 = rotl64(a16 ^ d1, keccak_rho[16]);
        b24 = rotl64(a21 ^ d1, keccak_rho[21]);
        b20 = rotl64(a2 ^ d2, keccak_rho[2]);
        b11 = rotl64(a7 ^ d2, keccak_rho[7]);
        b2 = rotl64(a12 ^ d2, keccak_rho[12]);
        b18 = rotl64(a17 ^ d2, keccak_rho[17]);
        b9 = rotl64(a22 ^ d2, keccak_rho[22]);
        b5 = rotl64(a3 ^ d3, keccak_rho[3]);
        b21 = rotl64(a8 ^ d3, keccak_rho[8]);
        b12 = rotl64(a13 ^ d3, keccak_rho[13]);
        b3 = rotl64(a18 ^ d3, keccak_rho[18]);
        b19 = rotl64(a23 ^ d3, keccak_rho[23]);
        b15 = rotl64(a4 ^ d4, keccak_rho[4]);
        b6 = rotl64(a9 ^ d4, keccak_rho[9]);
        b22 = rotl64(a14 ^ d4, keccak_rho[14]);
        b13 = rotl64(a19 ^ d4, keccak_rho[19]);
        b4 = rotl64(a24 ^ d4, keccak_rho[24]);
        /* chi */
        a0 = b0 ^ (~b1 & b2);
        a1 = b1 ^ (~b2 & b3);
        a2 = b2 ^ (~b3 & b4);
        a3 = b3 ^ (~b4 & b0);
        a4 = b4 ^ (~b0 & b1);
        a5 = b5 ^ (~b6 & b7);
        a6 = b6 ^ (~b7 & b8);
        a7 = b7 ^ (~b8 & b9);
        a8 = b8 ^ (~b9 & b5);
        a9 = b9 ^ (~b5 & b6);
        a10 = b10 ^ (~b11 & b12);
        a11 = b11 ^ (~b12 & b13);
        a12 = b12 ^ (~b13 & b14);
        a13 = b13 ^ (~b14 & b10);
        a14 = b14 ^ (~b10 & b11);
        a15 = b15 ^ (~b16 & b17);
        a16 = b16 ^ (~b17 & b18);
        a17 = b17 ^ (~b18 & b19);
        a18 = b18 ^ (~b19 & b15);
        a19 = b19 ^ (~b15 & b16);
        a20 = b20 ^ (~b21 & b22);
        a21 = b21 ^ (~b22 & b23);
        a22 = b22 ^ (~b23 & b24);
        a23 = b23 ^ (~b24 & b20);
        a24 = b24 ^ (~b20 & b21);
        /* iota */
        a0 ^= keccak_rc[ir];
    }
    s[0] = a0;
    s[1] = a1;
    s[2] = a2;
    s[3] = a3;
    s[4] = a4;
    s[5] = a5;
    s[6] = a6;
    s[7] = a7;
    s[8] = a8;
    s[9] = a9;
    s[10] = a10;
    s[11] = a11;
    s[12] = a12;
    s[13] = a13;
    s[14] = a14;
    s[15] = a15;
    s[16] = a16;
    s[17] = a17;
    s[18] = a18;
    s[19] = a19;
    s[20] = a20;
    s[21] = a21;
    s[22] = a22;
    s[23] = a23;
    s[24] = a24;
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
                c->s[i] ^= le64_get(p + 8 * i);
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
                le64_put(o + 8 * i, c->s[i]);
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
