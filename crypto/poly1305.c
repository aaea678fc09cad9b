/* see poly1305.h — RFC 8439 section 2.5, arithmetic mod p = 2^130 - 5 in
   five 26-bit limbs (products fit 64 bits); 2^130 = 5 mod p folds the top.
   No secret-dependent branches or indices. */
#include <string.h>
#include "crypto/poly1305.h"
#include "crypto/crypto.h"

static inline uint32_t load_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

void poly1305_init(poly1305_ctx *c, const uint8_t key[32])
{
    /* r clamped (2.5.1): r &= 0x0ffffffc0ffffffc0ffffffc0fffffff */
    uint32_t t0 = load_le32(key) & 0x0fffffff, t1 = load_le32(key + 4) & 0x0ffffffc;
    uint32_t t2 = load_le32(key + 8) & 0x0ffffffc, t3 = load_le32(key + 12) & 0x0ffffffc;
    c->r[0] = t0 & 0x3ffffff;
    c->r[1] = ((t0 >> 26) | (t1 << 6)) & 0x3ffffff;
    c->r[2] = ((t1 >> 20) | (t2 << 12)) & 0x3ffffff;
    c->r[3] = ((t2 >> 14) | (t3 << 18)) & 0x3ffffff;
    c->r[4] = t3 >> 8;
    for (int i = 0; i < 5; i++)
        c->h[i] = 0;
    for (int i = 0; i < 4; i++)
        c->pad[i] = load_le32(key + 16 + 4 * i);
    c->n = 0;
}

/* h = (h + m + hibit*2^128) * r mod p, for each 16-byte block */
static void poly1305_blocks(poly1305_ctx *c, const uint8_t *p, size_t nblocks, uint32_t hibit)
{
    uint64_t r0 = c->r[0], r1 = c->r[1], r2 = c->r[2], r3 = c->r[3], r4 = c->r[4];
    uint64_t s1 = r1 * 5, s2 = r2 * 5, s3 = r3 * 5, s4 = r4 * 5;
    uint32_t h0 = c->h[0], h1 = c->h[1], h2 = c->h[2], h3 = c->h[3], h4 = c->h[4];
    while (nblocks--) {
        uint32_t m0 = load_le32(p), m1 = load_le32(p + 4), m2 = load_le32(p + 8), m3 = load_le32(p + 12);
        h0 += m0 & 0x3ffffff;
        h1 += ((m0 >> 26) | (m1 << 6)) & 0x3ffffff;
        h2 += ((m1 >> 20) | (m2 << 12)) & 0x3ffffff;
        h3 += ((m2 >> 14) | (m3 << 18)) & 0x3ffffff;
        h4 += (m3 >> 8) | (hibit << 24);
        uint64_t d0 = h0 * r0 + h1 * s4 + h2 * s3 + h3 * s2 + h4 * s1;
        uint64_t d1 = h0 * r1 + h1 * r0 + h2 * s4 + h3 * s3 + h4 * s2;
        uint64_t d2 = h0 * r2 + h1 * r1 + h2 * r0 + h3 * s4 + h4 * s3;
        uint64_t d3 = h0 * r3 + h1 * r2 + h2 * r1 + h3 * r0 + h4 * s4;
        uint64_t d4 = h0 * r4 + h1 * r3 + h2 * r2 + h3 * r1 + h4 * r0;
        /* partial carry propagation: limbs end below 2^26 + small */
        uint64_t cr;
        cr = d0 >> 26; h0 = (uint32_t)d0 & 0x3ffffff; d1 += cr;
        cr = d1 >> 26; h1 = (uint32_t)d1 & 0x3ffffff; d2 += cr;
        cr = d2 >> 26; h2 = (uint32_t)d2 & 0x3ffffff; d3 += cr;
        cr = d3 >> 26; h3 = (uint32_t)d3 & 0x3ffffff; d4 += cr;
        cr = d4 >> 26; h4 = (uint32_t)d4 & 0x3ffffff;
        uint64_t t0 = h0 + cr * 5;                /* 2^130 = 5 mod p */
        h0 = (uint32_t)t0 & 0x3ffffff;
        h1 += (uint32_t)(t0 >> 26);
        p += 16;
    }
    c->h[0] = h0; c->h[1] = h1; c->h[2] = h2; c->h[3] = h3; c->h[4] = h4;
}

void poly1305_update(poly1305_ctx *c, const uint8_t *p, size_t n)
{
    if (n == 0)
        return;
    if (c->n) {
        size_t take = 16 - c->n < n ? 16 - c->n : n;
        memcpy(c->buf + c->n, p, take);
        c->n += take; p += take; n -= take;
        if (c->n < 16)
            return;
        poly1305_blocks(c, c->buf, 1, 1);
        c->n = 0;
    }
    if (n >= 16) {
        poly1305_blocks(c, p, n / 16, 1);
        p += n & ~(size_t)15;
        n &= 15;
    }
    if (n) {
        memcpy(c->buf, p, n);
        c->n = n;
    }
}

void poly1305_final(poly1305_ctx *c, uint8_t tag[16])
{
    if (c->n) {   /* last partial block: append 0x01, no 2^128 bit */
        c->buf[c->n] = 1;
        memset(c->buf + c->n + 1, 0, 15 - c->n);
        poly1305_blocks(c, c->buf, 1, 0);
    }
    uint32_t h0 = c->h[0], h1 = c->h[1], h2 = c->h[2], h3 = c->h[3], h4 = c->h[4], cr;
    /* full carry */
    cr = h1 >> 26; h1 &= 0x3ffffff; h2 += cr;
    cr = h2 >> 26; h2 &= 0x3ffffff; h3 += cr;
    cr = h3 >> 26; h3 &= 0x3ffffff; h4 += cr;
    cr = h4 >> 26; h4 &= 0x3ffffff; h0 += cr * 5;
    cr = h0 >> 26; h0 &= 0x3ffffff; h1 += cr;
    /* g = h + 5 - 2^130; use g when it does not borrow (h >= p) */
    uint32_t g0 = h0 + 5; cr = g0 >> 26; g0 &= 0x3ffffff;
    uint32_t g1 = h1 + cr; cr = g1 >> 26; g1 &= 0x3ffffff;
    uint32_t g2 = h2 + cr; cr = g2 >> 26; g2 &= 0x3ffffff;
    uint32_t g3 = h3 + cr; cr = g3 >> 26; g3 &= 0x3ffffff;
    uint32_t g4 = h4 + cr - (1u << 26);
    uint32_t mask = (g4 >> 31) - 1;           /* all-ones when g4 did not go negative */
    h0 = ct_select32(mask, g0, h0);
    h1 = ct_select32(mask, g1, h1);
    h2 = ct_select32(mask, g2, h2);
    h3 = ct_select32(mask, g3, h3);
    h4 = ct_select32(mask, g4, h4);
    /* h mod 2^128 as four 32-bit words, plus s (pad) */
    uint64_t f0 = (uint64_t)(h0 | (h1 << 26)) + c->pad[0];
    uint64_t f1 = (uint64_t)((h1 >> 6) | (h2 << 20)) + c->pad[1] + (f0 >> 32);
    uint64_t f2 = (uint64_t)((h2 >> 12) | (h3 << 14)) + c->pad[2] + (f1 >> 32);
    uint64_t f3 = (uint64_t)((h3 >> 18) | (h4 << 8)) + c->pad[3] + (f2 >> 32);
    uint32_t w[4] = { (uint32_t)f0, (uint32_t)f1, (uint32_t)f2, (uint32_t)f3 };
    for (int i = 0; i < 4; i++) {
        tag[4 * i] = (uint8_t)w[i];
        tag[4 * i + 1] = (uint8_t)(w[i] >> 8);
        tag[4 * i + 2] = (uint8_t)(w[i] >> 16);
        tag[4 * i + 3] = (uint8_t)(w[i] >> 24);
    }
    crypto_zeroize(c, sizeof *c);
}

void poly1305(const uint8_t key[32], const uint8_t *p, size_t n, uint8_t tag[16])
{
    poly1305_ctx c;
    poly1305_init(&c, key);
    poly1305_update(&c, p, n);
    poly1305_final(&c, tag);
}
