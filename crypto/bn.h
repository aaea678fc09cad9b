/* Fixed-size multi-precision integers for the public-key code: little-endian
   arrays of 64-bit limbs owned by the caller (no allocation). Everything here
   is constant time in the values (time depends only on the limb count),
   except the functions marked "variable time", which are for public data.
   Montgomery multiplication is CIOS (Koc, Acar, Kaliski 1996) over n limbs,
   n <= BN_MAX_LIMBS (64 limbs = 4096 bits). */
#ifndef CRYPTO_BN_H
#define CRYPTO_BN_H
#include <stddef.h>
#include <stdint.h>

#define BN_MAX_LIMBS 64

/* Big-endian bytes to n limbs. Returns 0, or -1 when the value needs more
   than n limbs (then r holds the low n limbs). Time depends on len and n. */
int bn_from_be(uint64_t *r, size_t n, const uint8_t *in, size_t len);
/* The low len bytes of a (n limbs), big-endian; zero-padded if len > 8n. */
void bn_to_be(uint8_t *out, size_t len, const uint64_t *a, size_t n);

/* r = a + b, returns the carry (0/1). r may alias a or b. */
uint64_t bn_add(uint64_t *r, const uint64_t *a, const uint64_t *b, size_t n);
/* r = a - b, returns the borrow (0/1). r may alias a or b. */
uint64_t bn_sub(uint64_t *r, const uint64_t *a, const uint64_t *b, size_t n);
/* All-ones when a < b, else 0. */
uint64_t bn_lt_mask(const uint64_t *a, const uint64_t *b, size_t n);
/* All-ones when a == 0, else 0. */
uint64_t bn_zero_mask(const uint64_t *a, size_t n);
/* All-ones when a == b, else 0. */
uint64_t bn_eq_mask(const uint64_t *a, const uint64_t *b, size_t n);
/* r = mask ? a : b (mask all-ones or zero). r may alias a or b. */
void bn_select(uint64_t *r, uint64_t mask, const uint64_t *a, const uint64_t *b, size_t n);
/* r = (a + b) mod m, for a, b < m. */
void bn_mod_add(uint64_t *r, const uint64_t *a, const uint64_t *b, const uint64_t *m, size_t n);

/* -m0^-1 mod 2^64 for odd m0 (the Montgomery constant). */
uint64_t bn_mont_m0inv(uint64_t m0);
/* r = a * b * 2^(-64n) mod m, for odd m and a, b < m. r may alias a or b. */
void bn_mont_mul(uint64_t *r, const uint64_t *a, const uint64_t *b, const uint64_t *m,
                 uint64_t m0inv, size_t n);
/* r = a^2 * 2^(-64n) mod m: bn_mont_mul(r, a, a, ...) with the symmetric
   cross products computed once (about 25% fewer word multiplications). */
void bn_mont_sqr(uint64_t *r, const uint64_t *a, const uint64_t *m, uint64_t m0inv, size_t n);
/* r = a 2^(64 words) mod m for a < m, m > 1 with a nonzero top limb; with
   words = n this is a R mod m, the Montgomery form of a. Variable time
   (word-level long division): public values only, e.g. an RSA public key
   and signature. */
void bn_mod_shl_vartime(uint64_t *r, const uint64_t *a, size_t words, const uint64_t *m, size_t n);
/* r = 2^(128n) mod m (R^2, to enter the Montgomery domain); same conditions
   and variable time. */
void bn_mont_r2_vartime(uint64_t *r, const uint64_t *m, size_t n);
/* Number of significant bits (variable time: public values only). */
size_t bn_bitlen(const uint64_t *a, size_t n);

/* The CIOS loop, inlined so callers with a constant n (the EC field code)
   get a fully unrolled multiplier. Same contract as bn_mont_mul. */
static inline __attribute__((always_inline)) void
bn_mont_mul_inline(uint64_t *r, const uint64_t *a, const uint64_t *b, const uint64_t *m,
                   uint64_t m0inv, size_t n)
{
    typedef unsigned __int128 u128;
    uint64_t t[BN_MAX_LIMBS + 2], u[BN_MAX_LIMBS];
    _Pragma("GCC unroll 6")
    for (size_t i = 0; i < n + 2; i++)
        t[i] = 0;
    _Pragma("GCC unroll 6")
    for (size_t i = 0; i < n; i++) {
        uint64_t bi = b[i], carry = 0;
        u128 s;
        _Pragma("GCC unroll 6")
        for (size_t j = 0; j < n; j++) {
            s = (u128)a[j] * bi + t[j] + carry;
            t[j] = (uint64_t)s;
            carry = (uint64_t)(s >> 64);
        }
        s = (u128)t[n] + carry;
        t[n] = (uint64_t)s;
        t[n + 1] = (uint64_t)(s >> 64);
        uint64_t q = t[0] * m0inv;
        s = (u128)q * m[0] + t[0];
        carry = (uint64_t)(s >> 64);
        _Pragma("GCC unroll 6")
        for (size_t j = 1; j < n; j++) {
            s = (u128)q * m[j] + t[j] + carry;
            t[j - 1] = (uint64_t)s;
            carry = (uint64_t)(s >> 64);
        }
        s = (u128)t[n] + carry;
        t[n - 1] = (uint64_t)s;
        t[n] = t[n + 1] + (uint64_t)(s >> 64);
    }
    /* t < 2m: subtract m once when t >= m. */
    uint64_t borrow = 0;
    _Pragma("GCC unroll 6")
    for (size_t j = 0; j < n; j++) {
        u128 d = (u128)t[j] - m[j] - borrow;
        u[j] = (uint64_t)d;
        borrow = (uint64_t)(d >> 64) & 1;
    }
    uint64_t use_u = (uint64_t)0 - ((t[n] | (borrow ^ 1)) & 1);
    _Pragma("GCC unroll 6")
    for (size_t j = 0; j < n; j++)
        r[j] = (u[j] & use_u) | (t[j] & ~use_u);
}

#endif
