/* see p256_scalar.h: arithmetic modulo the P-256 group order n in
   Montgomery form (R = 2^256), for ECDSA's s^-1 and k^-1. */
#include "crypto/p256_scalar.h"
#include "crypto/p256_field.h" /* p256_mulx, p256_adc, p256_sbb */
#include "crypto/ec_internal.h"
#include "crypto/crypto.h"
#include <string.h>

/* One Montgomery step for n: q = t0 (-n^-1) mod 2^64, t += q n, so t0
   becomes 0 and the value moves to t1..t5 (t5 0 or 1 before). */
#define SC_RED(t0, t1, t2, t3, t4, t5)                              \
    do {                                                            \
        const uint64_t *n_ = ec_p256.n;                             \
        uint64_t q_ = t0 * ec_p256.n0inv, h0, h1, h2, h3, c_;       \
        uint64_t l0 = p256_mulx(q_, n_[0], &h0);                    \
        uint64_t l1 = p256_mulx(q_, n_[1], &h1);                    \
        uint64_t l2 = p256_mulx(q_, n_[2], &h2);                    \
        uint64_t l3 = p256_mulx(q_, n_[3], &h3);                    \
        l1 = p256_adc(l1, h0, 0, &c_);                              \
        l2 = p256_adc(l2, h1, c_, &c_);                             \
        l3 = p256_adc(l3, h2, c_, &c_);                             \
        h3 += c_;                                                   \
        (void)p256_adc(t0, l0, 0, &c_);                             \
        t1 = p256_adc(t1, l1, c_, &c_);                             \
        t2 = p256_adc(t2, l2, c_, &c_);                             \
        t3 = p256_adc(t3, l3, c_, &c_);                             \
        t4 = p256_adc(t4, h3, c_, &c_);                             \
        t5 = p256_adc(t5, 0, c_, &c_);                              \
    } while (0)

/* r = (t4..t8) mod n for a value below 2n: subtract n once when it fits */
static inline void sc_final(uint64_t r[4], uint64_t t4, uint64_t t5, uint64_t t6, uint64_t t7,
                            uint64_t t8)
{
    const uint64_t *n = ec_p256.n;
    uint64_t u0, u1, u2, u3, bw;
    u0 = p256_sbb(t4, n[0], 0, &bw);
    u1 = p256_sbb(t5, n[1], bw, &bw);
    u2 = p256_sbb(t6, n[2], bw, &bw);
    u3 = p256_sbb(t7, n[3], bw, &bw);
    (void)p256_sbb(t8, 0, bw, &bw);
    uint64_t keep = (uint64_t)0 - bw;
    r[0] = (t4 & keep) | (u0 & ~keep);
    r[1] = (t5 & keep) | (u1 & ~keep);
    r[2] = (t6 & keep) | (u2 & ~keep);
    r[3] = (t7 & keep) | (u3 & ~keep);
}

/* r = a b R^-1 mod n for a, b < n (rows interleaved with the reduction as
   in p256_fe_mul); r may alias a or b. Constant time. */
static void sc_mul(uint64_t r[4], const uint64_t a[4], const uint64_t b[4])
{
    uint64_t t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0, t5 = 0, t6 = 0, t7 = 0, t8 = 0;
    uint64_t b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3];
    P256_ROW(b0, t0, t1, t2, t3, t4);
    SC_RED(t0, t1, t2, t3, t4, t5);
    P256_ROW(b1, t1, t2, t3, t4, t5);
    SC_RED(t1, t2, t3, t4, t5, t6);
    P256_ROW(b2, t2, t3, t4, t5, t6);
    SC_RED(t2, t3, t4, t5, t6, t7);
    P256_ROW(b3, t3, t4, t5, t6, t7);
    SC_RED(t3, t4, t5, t6, t7, t8);
    sc_final(r, t4, t5, t6, t7, t8);
}

/* r = a^2 R^-1 mod n: the squaring of p256_field.h, its low half reduced
   into a separate accumulator that is then added to the high half. */
static void sc_sqr(uint64_t r[4], const uint64_t a[4])
{
    uint64_t t0, t1, t2, t3, t4, t5, t6, t7, c;
    P256_SQR_WIDE(a, t0, t1, t2, t3, t4, t5, t6, t7, c);
    uint64_t x4 = 0, x5 = 0, x6 = 0, x7 = 0, x8 = 0;
    SC_RED(t0, t1, t2, t3, x4, x5);
    SC_RED(t1, t2, t3, x4, x5, x6);
    SC_RED(t2, t3, x4, x5, x6, x7);
    SC_RED(t3, x4, x5, x6, x7, x8);
    x4 = p256_adc(x4, t4, 0, &c);
    x5 = p256_adc(x5, t5, c, &c);
    x6 = p256_adc(x6, t6, c, &c);
    x7 = p256_adc(x7, t7, c, &c);
    x8 += c;
    sc_final(r, x4, x5, x6, x7, x8);
}

void p256_sc_inv(uint64_t r[4], const uint64_t a[4])
{
    /* Fermat: a^(n-2), 4-bit windows over the public exponent n - 2 */
    uint64_t tab[16][4], acc[4];
    const uint64_t *e = ec_p256.n_minus_2;
    sc_mul(tab[1], a, ec_p256.n_r2); /* a R */
    for (int i = 2; i < 16; i++)
        sc_mul(tab[i], tab[i - 1], tab[1]);
    memcpy(acc, tab[(e[3] >> 60) & 15], sizeof acc); /* top digit f */
    for (int w = 62; w >= 0; w--) {
        for (int k = 0; k < 4; k++)
            sc_sqr(acc, acc);
        unsigned d = (unsigned)(e[w / 16] >> (4 * (w % 16))) & 15;
        if (d) /* a digit of the public exponent */
            sc_mul(acc, acc, tab[d]);
    }
    memcpy(r, acc, sizeof acc);
    crypto_zeroize(tab, sizeof tab);
    crypto_zeroize(acc, sizeof acc);
}
