/* see ec_internal.h: field arithmetic mod p in Montgomery form. The curve is
   public, so dispatching on it is fine; each branch gets a fully unrolled
   multiplier with the prime as a compile-time constant (P-256's zero limb
   and m0inv = 1 fold away), and carry chains use add-with-carry. */
#include "crypto/ec_internal.h"
#include <string.h>
#include "crypto/bn.h"
#include "crypto/p256_field.h"
#include "crypto/p256_scalar.h"

static const uint64_t P256_P[4] = {0xffffffffffffffffu, 0x00000000ffffffffu, 0, 0xffffffff00000001u};
static const uint64_t P384_P[6] = {0x00000000ffffffffu, 0xffffffff00000000u, 0xfffffffffffffffeu,
                                   0xffffffffffffffffu, 0xffffffffffffffffu, 0xffffffffffffffffu};

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
/* GCC's add/subtract-with-carry builtins (clang builds use the portable path) */
typedef unsigned long long ull;
static inline __attribute__((always_inline)) uint8_t addc(uint8_t c, uint64_t a, uint64_t b, uint64_t *out)
{
    ull o;
    c = __builtin_ia32_addcarryx_u64(c, a, b, &o);
    *out = o;
    return c;
}
static inline __attribute__((always_inline)) uint8_t subb(uint8_t c, uint64_t a, uint64_t b, uint64_t *out)
{
    ull o;
    c = __builtin_ia32_sbb_u64(c, a, b, &o);
    *out = o;
    return c;
}
#else
static inline uint8_t addc(uint8_t c, uint64_t a, uint64_t b, uint64_t *out)
{
    unsigned __int128 s = (unsigned __int128)a + b + c;
    *out = (uint64_t)s;
    return (uint8_t)(s >> 64);
}
static inline uint8_t subb(uint8_t c, uint64_t a, uint64_t b, uint64_t *out)
{
    unsigned __int128 d = (unsigned __int128)a - b - c;
    *out = (uint64_t)d;
    return (uint8_t)((d >> 64) & 1);
}
#endif

void ec_fe_mul(const struct ec_curve_def *c, uint64_t *r, const uint64_t *a, const uint64_t *b)
{
    if (c->limbs == 4)
        p256_fe_mul(r, a, b); /* p256_field.h */
    else
        bn_mont_mul_inline(r, a, b, P384_P, 0x100000001u, 6);
}

void ec_sc_mul(const struct ec_curve_def *c, uint64_t *r, const uint64_t *a, const uint64_t *b)
{
    if (c->limbs == 4)
        bn_mont_mul_inline(r, a, b, c->n, c->n0inv, 4);
    else
        bn_mont_mul_inline(r, a, b, c->n, c->n0inv, 6);
}

static inline __attribute__((always_inline)) void
fe_add_n(uint64_t *r, const uint64_t *a, const uint64_t *b, const uint64_t *p, size_t n)
{
    uint64_t s[EC_MAX_LIMBS], d[EC_MAX_LIMBS];
    uint8_t carry = 0, borrow = 0;
    _Pragma("GCC unroll 6")
    for (size_t i = 0; i < n; i++)
        carry = addc(carry, a[i], b[i], &s[i]);
    _Pragma("GCC unroll 6")
    for (size_t i = 0; i < n; i++)
        borrow = subb(borrow, s[i], p[i], &d[i]);
    /* keep s only when there was no carry and s < p */
    uint64_t keep_s = (uint64_t)0 - (uint64_t)(borrow & (carry ^ 1));
    _Pragma("GCC unroll 6")
    for (size_t i = 0; i < n; i++)
        r[i] = (s[i] & keep_s) | (d[i] & ~keep_s);
}

static inline __attribute__((always_inline)) void
fe_sub_n(uint64_t *r, const uint64_t *a, const uint64_t *b, const uint64_t *p, size_t n)
{
    uint64_t d[EC_MAX_LIMBS];
    uint8_t borrow = 0, carry = 0;
    _Pragma("GCC unroll 6")
    for (size_t i = 0; i < n; i++)
        borrow = subb(borrow, a[i], b[i], &d[i]);
    uint64_t mask = (uint64_t)0 - (uint64_t)borrow;
    _Pragma("GCC unroll 6")
    for (size_t i = 0; i < n; i++)
        carry = addc(carry, d[i], p[i] & mask, &r[i]);
}

void ec_fe_add(const struct ec_curve_def *c, uint64_t *r, const uint64_t *a, const uint64_t *b)
{
    if (c->limbs == 4)
        fe_add_n(r, a, b, P256_P, 4);
    else
        fe_add_n(r, a, b, P384_P, 6);
}

void ec_fe_sub(const struct ec_curve_def *c, uint64_t *r, const uint64_t *a, const uint64_t *b)
{
    if (c->limbs == 4)
        fe_sub_n(r, a, b, P256_P, 4);
    else
        fe_sub_n(r, a, b, P384_P, 6);
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

/* see ec_internal.h: Fermat, 4-bit windows over the public exponent n - 2. */
void ec_sc_inv(const struct ec_curve_def *c, uint64_t *r, const uint64_t *a)
{
    if (c == &ec_p256) { /* dedicated multiplier, p256_scalar.c */
        p256_sc_inv(r, a);
        return;
    }
    uint64_t tab[16][EC_MAX_LIMBS], acc[EC_MAX_LIMBS];
    ec_sc_mul(c, tab[1], a, c->n_r2);
    ec_sc_mul(c, tab[2], tab[1], tab[1]);
    for (int i = 3; i < 16; i++)
        ec_sc_mul(c, tab[i], tab[i - 1], tab[1]);
    int started = 0;
    for (size_t wi = 16 * c->limbs; wi-- > 0;) {
        unsigned d = (unsigned)(c->n_minus_2[wi / 16] >> (4 * (wi % 16))) & 15;
        if (started)
            for (int k = 0; k < 4; k++)
                ec_sc_mul(c, acc, acc, acc);
        if (d) {   /* digits of the public exponent n - 2 */
            if (started)
                ec_sc_mul(c, acc, acc, tab[d]);
            else
                memcpy(acc, tab[d], sizeof acc);
            started = 1;
        }
    }
    memcpy(r, acc, c->limbs * 8);
    crypto_zeroize(tab, sizeof tab);
    crypto_zeroize(acc, sizeof acc);
}
