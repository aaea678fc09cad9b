/* see poly1305.h — RFC 8439 section 2.5, arithmetic mod p = 2^130 - 5 in
   three limbs of 44, 44 and 42 bits with 64x64->128 products
   (unsigned __int128, a single MUL on x86-64). 2^130 = 5 mod p folds the top
   (and 2^132 = 20 for the cross terms). No secret-dependent branches. */
#include <string.h>
#include "crypto/poly1305.h"
#include "lib/bytes.h"
#include "crypto/crypto.h"

typedef unsigned __int128 u128;
#define M44 0xfffffffffffULL
#define M42 0x3ffffffffffULL

void poly1305_init(poly1305_ctx *c, const uint8_t key[32])
{
    uint64_t t0 = le64_get(key), t1 = le64_get(key + 8);
    /* r clamped (2.5.1): r &= 0x0ffffffc0ffffffc0ffffffc0fffffff, split 44/44/42 */
    c->r[0] = t0 & 0xffc0fffffffULL;
    c->r[1] = ((t0 >> 44) | (t1 << 20)) & 0xfffffc0ffffULL;
    c->r[2] = (t1 >> 24) & 0xffffffc0fULL;
    c->h[0] = c->h[1] = c->h[2] = 0;
    c->pad[0] = le64_get(key + 16);
    c->pad[1] = le64_get(key + 24);
    c->n = 0;
}

/* h = (h + m + hibit*2^128) * r mod p, for each 16-byte block */
static void poly1305_blocks(poly1305_ctx *c, const uint8_t *p, size_t nblocks, uint64_t hibit)
{
    uint64_t r0 = c->r[0], r1 = c->r[1], r2 = c->r[2];
    uint64_t s1 = r1 * 20, s2 = r2 * 20;
    uint64_t h0 = c->h[0], h1 = c->h[1], h2 = c->h[2];
    while (nblocks--) {
        uint64_t t0 = le64_get(p), t1 = le64_get(p + 8);
        h0 += t0 & M44;
        h1 += ((t0 >> 44) | (t1 << 20)) & M44;
        h2 += ((t1 >> 24) & M42) | (hibit << 40);
        u128 d0 = (u128)h0 * r0 + (u128)h1 * s2 + (u128)h2 * s1;
        u128 d1 = (u128)h0 * r1 + (u128)h1 * r0 + (u128)h2 * s2;
        u128 d2 = (u128)h0 * r2 + (u128)h1 * r1 + (u128)h2 * r0;
        uint64_t cr = (uint64_t)(d0 >> 44);
        h0 = (uint64_t)d0 & M44;
        d1 += cr;
        cr = (uint64_t)(d1 >> 44);
        h1 = (uint64_t)d1 & M44;
        d2 += cr;
        cr = (uint64_t)(d2 >> 42);
        h2 = (uint64_t)d2 & M42;
        h0 += cr * 5;
        cr = h0 >> 44;
        h0 &= M44;
        h1 += cr;
        p += 16;
    }
    c->h[0] = h0; c->h[1] = h1; c->h[2] = h2;
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
    uint64_t h0 = c->h[0], h1 = c->h[1], h2 = c->h[2], cr;
    /* full carry */
    cr = h1 >> 44; h1 &= M44; h2 += cr;
    cr = h2 >> 42; h2 &= M42; h0 += cr * 5;
    cr = h0 >> 44; h0 &= M44; h1 += cr;
    cr = h1 >> 44; h1 &= M44; h2 += cr;
    cr = h2 >> 42; h2 &= M42; h0 += cr * 5;
    cr = h0 >> 44; h0 &= M44; h1 += cr;
    /* g = h + 5 - 2^130; take g when it does not borrow (h >= p) */
    uint64_t g0 = h0 + 5; cr = g0 >> 44; g0 &= M44;
    uint64_t g1 = h1 + cr; cr = g1 >> 44; g1 &= M44;
    uint64_t g2 = h2 + cr - (1ULL << 42);
    uint64_t mask = (g2 >> 63) - 1;            /* all-ones when g2 did not go negative */
    h0 = ct_select64(mask, g0, h0);
    h1 = ct_select64(mask, g1, h1);
    h2 = ct_select64(mask, g2, h2);
    /* (h + s) mod 2^128 */
    uint64_t w0 = h0 | (h1 << 44), w1 = (h1 >> 20) | (h2 << 24);
    u128 f = (u128)w0 + c->pad[0];
    uint64_t o0 = (uint64_t)f;
    uint64_t o1 = w1 + c->pad[1] + (uint64_t)(f >> 64);
    le64_put(tag, o0);
    le64_put(tag + 8, o1);
    crypto_zeroize(c, sizeof *c);
}

void poly1305(const uint8_t key[32], const uint8_t *p, size_t n, uint8_t tag[16])
{
    poly1305_ctx c;
    poly1305_init(&c, key);
    poly1305_update(&c, p, n);
    poly1305_final(&c, tag);
}
