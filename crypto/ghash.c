/* see ghash.h — portable constant-time GHASH and dispatch.
   Carry-less multiplication is built from integer multiplications with
   "holes" (every 4th bit kept): products of 8-bit-populated 32-bit words
   cannot carry into the kept positions. No tables, no secret branches. */
#include <string.h>
#include "crypto/ghash.h"
#include "lib/bytes.h"
#include "crypto/impl.h"
#include "crypto/crypto.h"

static inline uint64_t bmul32(uint32_t x, uint32_t y)
{
    uint64_t x0 = x & 0x11111111u, x1 = x & 0x22222222u, x2 = x & 0x44444444u, x3 = x & 0x88888888u;
    uint64_t y0 = y & 0x11111111u, y1 = y & 0x22222222u, y2 = y & 0x44444444u, y3 = y & 0x88888888u;
    uint64_t z0 = (x0 * y0) ^ (x1 * y3) ^ (x2 * y2) ^ (x3 * y1);
    uint64_t z1 = (x0 * y1) ^ (x1 * y0) ^ (x2 * y3) ^ (x3 * y2);
    uint64_t z2 = (x0 * y2) ^ (x1 * y1) ^ (x2 * y0) ^ (x3 * y3);
    uint64_t z3 = (x0 * y3) ^ (x1 * y2) ^ (x2 * y1) ^ (x3 * y0);
    return (z0 & 0x1111111111111111ULL) | (z1 & 0x2222222222222222ULL) |
           (z2 & 0x4444444444444444ULL) | (z3 & 0x8888888888888888ULL);
}

/* 64x64 -> 128 carry-less (Karatsuba over 32-bit halves). */
static inline void clmul64(uint64_t x, uint64_t y, uint64_t *hi, uint64_t *lo)
{
    uint32_t x0 = (uint32_t)x, x1 = (uint32_t)(x >> 32), y0 = (uint32_t)y, y1 = (uint32_t)(y >> 32);
    uint64_t l = bmul32(x0, y0), h = bmul32(x1, y1);
    uint64_t m = bmul32(x0 ^ x1, y0 ^ y1) ^ l ^ h;
    *lo = l ^ (m << 32);
    *hi = h ^ (m >> 32);
}

/* Reduction of the 256-bit carry-less product p3:p2:p1:p0 of two reflected
   elements: shift left 1 (reflection), then fold the low half L with
   x^128 = x^7 + x^2 + x + 1, which in reflected form is L ^ L>>1 ^ L>>2 ^ L>>7,
   the bits shifted out being folded back first. */
static inline void reduce(ghash_elem *r, uint64_t p3, uint64_t p2, uint64_t p1, uint64_t p0)
{
    uint64_t q3 = (p3 << 1) | (p2 >> 63), q2 = (p2 << 1) | (p1 >> 63);
    uint64_t q1 = (p1 << 1) | (p0 >> 63), q0 = p0 << 1;
    uint64_t z1 = q1 ^ (q0 << 63) ^ (q0 << 62) ^ (q0 << 57), z0 = q0;
    r->hi = q3 ^ z1 ^ (z1 >> 1) ^ (z1 >> 2) ^ (z1 >> 7);
    r->lo = q2 ^ z0 ^ (z0 >> 1) ^ (z1 << 63) ^ (z0 >> 2) ^ (z1 << 62) ^ (z0 >> 7) ^ (z1 << 57);
}

void ghash_mul_portable(ghash_elem *x, const ghash_elem *y)
{
    uint64_t hh, hl, lh, ll, mh, ml;
    clmul64(x->hi, y->hi, &hh, &hl);
    clmul64(x->lo, y->lo, &lh, &ll);
    clmul64(x->hi ^ x->lo, y->hi ^ y->lo, &mh, &ml);
    mh ^= hh ^ lh;
    ml ^= hl ^ ll;
    reduce(x, hh, hl ^ mh, lh ^ ml, ll);
}

void ghash_blocks_portable(const ghash_key *k, ghash_elem *y, const uint8_t *p, size_t nblocks)
{
    while (nblocks--) {
        y->hi ^= be64_get(p);
        y->lo ^= be64_get(p + 8);
        ghash_mul_portable(y, &k->h[0]);
        p += 16;
    }
}

static void ghash_blocks(const ghash_key *k, ghash_elem *y, const uint8_t *p, size_t nblocks)
{
    if (crypto_use_aesni())
        ghash_blocks_pclmul(k, y, p, nblocks);
    else
        ghash_blocks_portable(k, y, p, nblocks);
}

void ghash_key_init(ghash_key *k, const uint8_t h[16])
{
    k->h[0].hi = be64_get(h);
    k->h[0].lo = be64_get(h + 8);
    for (int i = 1; i < GHASH_POWERS; i++) {
        k->h[i] = k->h[i - 1];
        ghash_mul_portable(&k->h[i], &k->h[0]);
    }
}

void ghash_start(ghash_state *s)
{
    memset(s, 0, sizeof *s);
}

void ghash_update(const ghash_key *k, ghash_state *s, const uint8_t *p, size_t n)
{
    if (n == 0)
        return;
    if (s->n) {
        size_t take = 16 - s->n < n ? 16 - s->n : n;
        memcpy(s->buf + s->n, p, take);
        s->n += take; p += take; n -= take;
        if (s->n < 16)
            return;
        ghash_blocks(k, &s->y, s->buf, 1);
        s->n = 0;
    }
    if (n >= 16) {
        ghash_blocks(k, &s->y, p, n / 16);
        p += n & ~(size_t)15;
        n &= 15;
    }
    if (n) {
        memcpy(s->buf, p, n);
        s->n = n;
    }
}

void ghash_pad(const ghash_key *k, ghash_state *s)
{
    if (s->n) {
        memset(s->buf + s->n, 0, 16 - s->n);
        ghash_blocks(k, &s->y, s->buf, 1);
        s->n = 0;
    }
}

void ghash_out(const ghash_state *s, uint8_t out[16])
{
    be64_put(out, s->y.hi);
    be64_put(out + 8, s->y.lo);
}
