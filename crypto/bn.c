/* see bn.h */
#include "crypto/bn.h"

typedef unsigned __int128 u128;

int bn_from_be(uint64_t *r, size_t n, const uint8_t *in, size_t len)
{
    uint64_t extra = 0;
    for (size_t i = 0; i < n; i++)
        r[i] = 0;
    for (size_t k = 0; k < len; k++) {
        size_t bytepos = len - 1 - k; /* significance of in[k] in bytes */
        if (bytepos < 8 * n)
            r[bytepos / 8] |= (uint64_t)in[k] << (8 * (bytepos % 8));
        else
            extra |= in[k];
    }
    return extra ? -1 : 0;
}

void bn_to_be(uint8_t *out, size_t len, const uint64_t *a, size_t n)
{
    for (size_t k = 0; k < len; k++) {
        size_t bytepos = len - 1 - k;
        out[k] = bytepos < 8 * n ? (uint8_t)(a[bytepos / 8] >> (8 * (bytepos % 8))) : 0;
    }
}

uint64_t bn_add(uint64_t *r, const uint64_t *a, const uint64_t *b, size_t n)
{
    uint64_t carry = 0;
    for (size_t i = 0; i < n; i++) {
        u128 s = (u128)a[i] + b[i] + carry;
        r[i] = (uint64_t)s;
        carry = (uint64_t)(s >> 64);
    }
    return carry;
}

uint64_t bn_sub(uint64_t *r, const uint64_t *a, const uint64_t *b, size_t n)
{
    uint64_t borrow = 0;
    for (size_t i = 0; i < n; i++) {
        u128 d = (u128)a[i] - b[i] - borrow;
        r[i] = (uint64_t)d;
        borrow = (uint64_t)(d >> 64) & 1;
    }
    return borrow;
}

uint64_t bn_lt_mask(const uint64_t *a, const uint64_t *b, size_t n)
{
    uint64_t borrow = 0;
    for (size_t i = 0; i < n; i++) {
        u128 d = (u128)a[i] - b[i] - borrow;
        borrow = (uint64_t)(d >> 64) & 1;
    }
    return (uint64_t)0 - borrow;
}

uint64_t bn_zero_mask(const uint64_t *a, size_t n)
{
    uint64_t acc = 0;
    for (size_t i = 0; i < n; i++)
        acc |= a[i];
    return (uint64_t)0 - ((~acc & (acc - 1)) >> 63);
}

uint64_t bn_eq_mask(const uint64_t *a, const uint64_t *b, size_t n)
{
    uint64_t acc = 0;
    for (size_t i = 0; i < n; i++)
        acc |= a[i] ^ b[i];
    return (uint64_t)0 - ((~acc & (acc - 1)) >> 63);
}

void bn_select(uint64_t *r, uint64_t mask, const uint64_t *a, const uint64_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        r[i] = (a[i] & mask) | (b[i] & ~mask);
}

void bn_mod_add(uint64_t *r, const uint64_t *a, const uint64_t *b, const uint64_t *m, size_t n)
{
    uint64_t s[BN_MAX_LIMBS], d[BN_MAX_LIMBS];
    uint64_t carry = bn_add(s, a, b, n);
    uint64_t borrow = bn_sub(d, s, m, n);
    /* keep s only when there was no carry and s < m */
    uint64_t keep_s = (uint64_t)0 - ((borrow & (carry ^ 1)) & 1);
    bn_select(r, keep_s, s, d, n);
}

void bn_mod_sub(uint64_t *r, const uint64_t *a, const uint64_t *b, const uint64_t *m, size_t n)
{
    uint64_t d[BN_MAX_LIMBS], mm[BN_MAX_LIMBS];
    uint64_t borrow = bn_sub(d, a, b, n);
    uint64_t mask = (uint64_t)0 - borrow;
    for (size_t i = 0; i < n; i++)
        mm[i] = m[i] & mask;
    bn_add(r, d, mm, n);
}

uint64_t bn_mont_m0inv(uint64_t m0)
{
    /* Newton iteration: x = m0^-1 mod 2^k doubles k each step (x0 = m0 is
       correct mod 2^3 for odd m0). */
    uint64_t x = m0;
    for (int i = 0; i < 5; i++)
        x *= 2 - m0 * x;
    return (uint64_t)0 - x;
}

void bn_mont_mul(uint64_t *r, const uint64_t *a, const uint64_t *b, const uint64_t *m,
                 uint64_t m0inv, size_t n)
{
    bn_mont_mul_inline(r, a, b, m, m0inv, n);
}

/* r = 2r mod m for r < m. */
static void bn_mod_double(uint64_t *r, const uint64_t *m, size_t n)
{
    bn_mod_add(r, r, r, m, n);
}

void bn_mont_r2(uint64_t *r, const uint64_t *m, uint64_t m0inv, size_t n)
{
    /* Start from 2^(64(n-1)) < m (the top limb is nonzero), double up to
       R*2^j mod m = Montgomery form of 2^j, then square s times:
       mont(x,x) of the form of 2^k is the form of 2^(2k). With 64n = j*2^s
       this ends at the Montgomery form of R, which is R^2 mod m. */
    size_t bits = 64 * n, s = 0;
    while ((bits >> s) % 2 == 0)
        s++;
    size_t j = bits >> s;
    for (size_t i = 0; i < n; i++)
        r[i] = 0;
    r[n - 1] = 1;
    for (size_t i = 0; i < 64 + j; i++)
        bn_mod_double(r, m, n);
    for (size_t i = 0; i < s; i++)
        bn_mont_mul(r, r, r, m, m0inv, n);
}

size_t bn_bitlen(const uint64_t *a, size_t n)
{
    for (size_t i = n; i-- > 0;)
        if (a[i])
            return 64 * i + 64 - (size_t)__builtin_clzll(a[i]);
    return 0;
}
