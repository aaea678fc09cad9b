/* Internal to crypto/: one Poly1305 block step (RFC 8439 2.5) on an
   accumulator held in three words, so that poly1305.c and the cipher loops
   that MAC while they encrypt (chacha20_avx2.c, chacha20_avx512.c) share
   it. The arithmetic is described in poly1305.c. */
#ifndef CRYPTO_POLY1305_INTERNAL_H
#define CRYPTO_POLY1305_INTERNAL_H
#include <stddef.h>
#include <stdint.h>
#include "crypto/poly1305.h"
#include "lib/bytes.h"

typedef unsigned __int128 poly1305_u128;

/* h = (h + m + hibit*2^128) * r mod p, partly reduced (h2 <= 4 after);
   r0, r1 the clamped key, s1 = 5*r1/4 (poly1305_ctx r[0..2]). */
static inline void poly1305_step(uint64_t *h0p, uint64_t *h1p, uint64_t *h2p, uint64_t r0, uint64_t r1,
                                 uint64_t s1, const uint8_t *m, uint64_t hibit)
{
    uint64_t h0 = *h0p, h1 = *h1p, h2 = *h2p;
    poly1305_u128 t = (poly1305_u128)h0 + le64_get(m);
    h0 = (uint64_t)t;
    t = (poly1305_u128)h1 + le64_get(m + 8) + (uint64_t)(t >> 64);
    h1 = (uint64_t)t;
    h2 += (uint64_t)(t >> 64) + hibit;
    /* h2 <= 6 and r0, s1 < 2^61: no product term overflows */
    poly1305_u128 d0 = (poly1305_u128)h0 * r0 + (poly1305_u128)h1 * s1;
    poly1305_u128 d1 = (poly1305_u128)h0 * r1 + (poly1305_u128)h1 * r0 + (poly1305_u128)(h2 * s1);
    uint64_t d2 = h2 * r0;
    d1 += (uint64_t)(d0 >> 64);
    d2 += (uint64_t)(d1 >> 64);
    /* h = lo(d0) + lo(d1)*2^64 + d2*2^128; fold d2's bits from 2^130 up:
       (d2 >> 2) * 2^130 = 5 * (d2 >> 2) = (d2 & ~3) + (d2 >> 2) */
    uint64_t f = (d2 & ~(uint64_t)3) + (d2 >> 2);
    t = (poly1305_u128)(uint64_t)d0 + f;
    *h0p = (uint64_t)t;
    t = (poly1305_u128)(uint64_t)d1 + (uint64_t)(t >> 64);
    *h1p = (uint64_t)t;
    *h2p = (d2 & 3) + (uint64_t)(t >> 64);
}

/* n >= 1 full blocks (hibit 1) at m: poly1305_step n times, with each
   block's message words added in the same carry chain as the previous
   block's reduction, which takes three dependent additions off the serial
   path per block (the multiply-reduce chain is what limits Poly1305). */
static inline void poly1305_steps(uint64_t *h0p, uint64_t *h1p, uint64_t *h2p, uint64_t r0, uint64_t r1,
                                  uint64_t s1, const uint8_t *m, size_t n)
{
    /* a = h + m (block 0) */
    poly1305_u128 t = (poly1305_u128)*h0p + le64_get(m);
    uint64_t a0 = (uint64_t)t;
    t = (poly1305_u128)*h1p + le64_get(m + 8) + (uint64_t)(t >> 64);
    uint64_t a1 = (uint64_t)t;
    uint64_t a2 = *h2p + (uint64_t)(t >> 64) + 1;
    for (;;) {
        /* a2 <= 6 as in poly1305_step */
        poly1305_u128 d0 = (poly1305_u128)a0 * r0 + (poly1305_u128)a1 * s1;
        poly1305_u128 d1 = (poly1305_u128)a0 * r1 + (poly1305_u128)a1 * r0 + (poly1305_u128)(a2 * s1);
        uint64_t d2 = a2 * r0;
        d1 += (uint64_t)(d0 >> 64);
        d2 += (uint64_t)(d1 >> 64);
        uint64_t f = (d2 & ~(uint64_t)3) + (d2 >> 2);
        if (--n == 0) {
            t = (poly1305_u128)(uint64_t)d0 + f;
            *h0p = (uint64_t)t;
            t = (poly1305_u128)(uint64_t)d1 + (uint64_t)(t >> 64);
            *h1p = (uint64_t)t;
            *h2p = (d2 & 3) + (uint64_t)(t >> 64);
            return;
        }
        m += 16;
        /* a = (h = lo(d0) + f + lo(d1)*2^64 + (d2 & 3)*2^128) + next m:
           h2 <= 4 as in poly1305_step, so a2 <= 4 + 1 + 1 */
        t = (poly1305_u128)(uint64_t)d0 + le64_get(m) + f;
        a0 = (uint64_t)t;
        t = (poly1305_u128)(uint64_t)d1 + le64_get(m + 8) + (uint64_t)(t >> 64);
        a1 = (uint64_t)t;
        a2 = (d2 & 3) + (uint64_t)(t >> 64) + 1;
    }
}

#endif
