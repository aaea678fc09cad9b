/* see ec_internal.h: field arithmetic mod p in Montgomery form. The limb
   count is public, so dispatching on it is fine; each branch gets a fully
   unrolled CIOS multiplier. */
#include "crypto/ec_internal.h"
#include "crypto/bn.h"

void ec_fe_mul(const struct ec_curve_def *c, uint64_t *r, const uint64_t *a, const uint64_t *b)
{
    if (c->limbs == 4)
        bn_mont_mul_inline(r, a, b, c->p, c->p0inv, 4);
    else
        bn_mont_mul_inline(r, a, b, c->p, c->p0inv, 6);
}

static inline __attribute__((always_inline)) void
fe_add_n(uint64_t *r, const uint64_t *a, const uint64_t *b, const uint64_t *p, size_t n)
{
    typedef unsigned __int128 u128;
    uint64_t s[EC_MAX_LIMBS], d[EC_MAX_LIMBS], carry = 0, borrow = 0;
    for (size_t i = 0; i < n; i++) {
        u128 t = (u128)a[i] + b[i] + carry;
        s[i] = (uint64_t)t;
        carry = (uint64_t)(t >> 64);
    }
    for (size_t i = 0; i < n; i++) {
        u128 t = (u128)s[i] - p[i] - borrow;
        d[i] = (uint64_t)t;
        borrow = (uint64_t)(t >> 64) & 1;
    }
    uint64_t keep_s = (uint64_t)0 - (borrow & (carry ^ 1));
    for (size_t i = 0; i < n; i++)
        r[i] = (s[i] & keep_s) | (d[i] & ~keep_s);
}

static inline __attribute__((always_inline)) void
fe_sub_n(uint64_t *r, const uint64_t *a, const uint64_t *b, const uint64_t *p, size_t n)
{
    typedef unsigned __int128 u128;
    uint64_t d[EC_MAX_LIMBS], borrow = 0, carry = 0;
    for (size_t i = 0; i < n; i++) {
        u128 t = (u128)a[i] - b[i] - borrow;
        d[i] = (uint64_t)t;
        borrow = (uint64_t)(t >> 64) & 1;
    }
    uint64_t mask = (uint64_t)0 - borrow;
    for (size_t i = 0; i < n; i++) {
        u128 t = (u128)d[i] + (p[i] & mask) + carry;
        r[i] = (uint64_t)t;
        carry = (uint64_t)(t >> 64);
    }
}

void ec_fe_add(const struct ec_curve_def *c, uint64_t *r, const uint64_t *a, const uint64_t *b)
{
    if (c->limbs == 4)
        fe_add_n(r, a, b, c->p, 4);
    else
        fe_add_n(r, a, b, c->p, 6);
}

void ec_fe_sub(const struct ec_curve_def *c, uint64_t *r, const uint64_t *a, const uint64_t *b)
{
    if (c->limbs == 4)
        fe_sub_n(r, a, b, c->p, 4);
    else
        fe_sub_n(r, a, b, c->p, 6);
}

void ec_fe_pow(const struct ec_curve_def *c, uint64_t *r, const uint64_t *a, const uint64_t *e)
{
    /* 4-bit fixed window; the exponent is public, so indexing the table by
       its digits leaks nothing about a. */
    uint64_t tab[16][EC_MAX_LIMBS], acc[EC_MAX_LIMBS];
    size_t n = c->limbs;
    for (size_t i = 0; i < n; i++) {
        tab[0][i] = c->p_one[i];
        tab[1][i] = a[i];
    }
    for (int i = 2; i < 16; i++)
        ec_fe_mul(c, tab[i], tab[i - 1], a);
    for (size_t i = 0; i < n; i++)
        acc[i] = c->p_one[i];
    for (size_t w = 16 * n; w-- > 0;) {
        for (int k = 0; k < 4; k++)
            ec_fe_mul(c, acc, acc, acc);
        ec_fe_mul(c, acc, acc, tab[(e[w / 16] >> (4 * (w % 16))) & 15]);
    }
    for (size_t i = 0; i < n; i++)
        r[i] = acc[i];
    crypto_zeroize(tab, sizeof tab);
}
