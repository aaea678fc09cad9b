/* see poly1305.h — RFC 8439 section 2.5, arithmetic mod p = 2^130 - 5 on
   h = h0 + h1*2^64 + h2*2^128 (two full 64-bit limbs and a few top bits)
   with 64x64->128 products (unsigned __int128, one MUL on x86-64).
   The clamp leaves r1 a multiple of 4, so r1*2^128 = (r1/4)*2^130 =
   5*(r1/4) = s1 mod p: each block costs 5 multiplications. After a block
   h2 <= 4, so h < 2p and one conditional subtraction ends it. The block
   step itself is in poly1305_internal.h.
   No secret-dependent branches. */
#include <string.h>
#include "crypto/poly1305.h"
#include "crypto/poly1305_internal.h"
#include "lib/bytes.h"
#include "crypto/crypto.h"

typedef poly1305_u128 u128;

void poly1305_init(poly1305_ctx *c, const uint8_t key[32])
{
    /* r clamped (2.5.1): r &= 0x0ffffffc0ffffffc0ffffffc0fffffff */
    c->r[0] = le64_get(key) & 0x0ffffffc0fffffffULL;
    c->r[1] = le64_get(key + 8) & 0x0ffffffc0ffffffcULL;
    c->r[2] = c->r[1] + (c->r[1] >> 2);     /* s1 = 5 * r1 / 4 */
    c->h[0] = c->h[1] = c->h[2] = 0;
    c->pad[0] = le64_get(key + 16);
    c->pad[1] = le64_get(key + 24);
    c->n = 0;
}

/* every 16-byte block, each message byte read once */
static void poly1305_blocks(poly1305_ctx *c, const uint8_t *p, size_t nblocks, uint64_t hibit)
{
    const uint64_t r0 = c->r[0], r1 = c->r[1], s1 = c->r[2];
    uint64_t h0 = c->h[0], h1 = c->h[1], h2 = c->h[2];
    if (hibit && nblocks)
        poly1305_steps(&h0, &h1, &h2, r0, r1, s1, p, nblocks);
    else
        for (; nblocks; nblocks--, p += 16)
            poly1305_step(&h0, &h1, &h2, r0, r1, s1, p, hibit);
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
    uint64_t h0 = c->h[0], h1 = c->h[1], h2 = c->h[2];
    /* h < 5*2^128 < 2p: g = h + 5 reaches 2^130 exactly when h >= p, and
       then h - p = g - 2^130, whose low 128 bits are g's */
    u128 t = (u128)h0 + 5;
    uint64_t g0 = (uint64_t)t;
    t = (u128)h1 + (uint64_t)(t >> 64);
    uint64_t g1 = (uint64_t)t;
    uint64_t g2 = h2 + (uint64_t)(t >> 64);
    uint64_t mask = (uint64_t)0 - (g2 >> 2);   /* all-ones when h >= p */
    h0 = ct_select64(mask, g0, h0);
    h1 = ct_select64(mask, g1, h1);
    /* (h + s) mod 2^128 */
    t = (u128)h0 + c->pad[0];
    uint64_t o0 = (uint64_t)t;
    uint64_t o1 = h1 + c->pad[1] + (uint64_t)(t >> 64);
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
