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

void bn_mont_sqr(uint64_t *r, const uint64_t *a, const uint64_t *m, uint64_t m0inv, size_t n)
{
    uint64_t t[2 * BN_MAX_LIMBS + 1], u[BN_MAX_LIMBS];
    u128 s;
    _Pragma("GCC unroll 4")
    for (size_t i = 0; i < 2 * n; i++)
        t[i] = 0;
    /* cross products a[i] a[j], i < j */
    _Pragma("GCC unroll 4")
    for (size_t i = 0; i + 1 < n; i++) {
        uint64_t carry = 0, ai = a[i];
        _Pragma("GCC unroll 4")
        for (size_t j = i + 1; j < n; j++) {
            s = (u128)ai * a[j] + t[i + j] + carry;
            t[i + j] = (uint64_t)s;
            carry = (uint64_t)(s >> 64);
        }
        t[i + n] = carry;
    }
    /* double them and add the squares a[i]^2 */
    uint64_t top = 0;
    _Pragma("GCC unroll 4")
    for (size_t i = 0; i < 2 * n; i++) {
        uint64_t v = t[i];
        t[i] = (v << 1) | top;
        top = v >> 63;
    }
    uint64_t carry = 0;
    _Pragma("GCC unroll 4")
    for (size_t i = 0; i < n; i++) {
        u128 sq = (u128)a[i] * a[i];
        s = (u128)t[2 * i] + (uint64_t)sq + carry;
        t[2 * i] = (uint64_t)s;
        s = (u128)t[2 * i + 1] + (uint64_t)(sq >> 64) + (uint64_t)(s >> 64);
        t[2 * i + 1] = (uint64_t)s;
        carry = (uint64_t)(s >> 64);
    }
    /* Montgomery reduction, one limb per row; a row's overflow lands where
       the next row's final addition happens. */
    uint64_t topcarry = 0;
    _Pragma("GCC unroll 4")
    for (size_t i = 0; i < n; i++) {
        uint64_t q = t[i] * m0inv, c = 0;
        _Pragma("GCC unroll 4")
        for (size_t j = 0; j < n; j++) {
            s = (u128)q * m[j] + t[i + j] + c;
            t[i + j] = (uint64_t)s;
            c = (uint64_t)(s >> 64);
        }
        s = (u128)t[i + n] + c + topcarry;
        t[i + n] = (uint64_t)s;
        topcarry = (uint64_t)(s >> 64);
    }
    /* result t[n..2n) + topcarry 2^(64n) < 2m */
    uint64_t borrow = bn_sub(u, t + n, m, n);
    uint64_t use_u = (uint64_t)0 - ((topcarry | (borrow ^ 1)) & 1);
    bn_select(r, use_u, u, t + n, n);
}

/* floor((hi:lo) / d) for hi < d (so the quotient fits in 64 bits). */
static uint64_t div128(uint64_t hi, uint64_t lo, uint64_t d)
{
#if defined(__x86_64__)
    uint64_t q, rem;
    __asm__("divq %4" : "=a"(q), "=d"(rem) : "a"(lo), "d"(hi), "rm"(d) : "cc");
    (void)rem;
    return q;
#else
    return (uint64_t)((((u128)hi << 64) | lo) / d);
#endif
}

void bn_mod_shl_vartime(uint64_t *r, const uint64_t *a, size_t words, const uint64_t *m, size_t n)
{
    /* Knuth, TAOCP vol. 2, 4.3.1 algorithm D, one quotient word at a time:
       with the divisor normalized (m' = m 2^sh, top bit set) and
       x' = (a 2^sh) mod m', each step computes x' <- x' 2^64 mod m'; after
       `words` steps x' = (a 2^(64 words) mod m) 2^sh. The estimated quotient
       word is at most 2 too large (Theorem B), fixed by adding m' back. */
    uint64_t mn[BN_MAX_LIMBS], y[BN_MAX_LIMBS + 1];
    unsigned sh = (unsigned)__builtin_clzll(m[n - 1]);
    for (size_t i = n; i-- > 0;)
        mn[i] = sh ? (m[i] << sh) | (i ? m[i - 1] >> (64 - sh) : 0) : m[i];
    /* x' = a 2^sh: a < m, so it fits in n limbs */
    for (size_t i = n; i-- > 0;)
        r[i] = sh ? (a[i] << sh) | (i ? a[i - 1] >> (64 - sh) : 0) : a[i];
    uint64_t dtop = mn[n - 1];
    for (size_t step = 0; step < words; step++) {
        /* y = r * 2^64 (n + 1 limbs) */
        y[0] = 0;
        for (size_t i = 0; i < n; i++)
            y[i + 1] = r[i];
        uint64_t q = y[n] >= dtop ? ~(uint64_t)0 : div128(y[n], y[n - 1], dtop);
        /* y -= q * m' */
        uint64_t carry = 0, borrow = 0;
        for (size_t j = 0; j < n; j++) {
            u128 p = (u128)q * mn[j] + carry;
            carry = (uint64_t)(p >> 64);
            u128 d = (u128)y[j] - (uint64_t)p - borrow;
            y[j] = (uint64_t)d;
            borrow = (uint64_t)(d >> 64) & 1;
        }
        y[n] = y[n] - carry - borrow;
        /* negative (top word wrapped): add m' back, at most twice */
        while (y[n] >> 63) {
            uint64_t c = 0;
            for (size_t j = 0; j < n; j++) {
                u128 s2 = (u128)y[j] + mn[j] + c;
                y[j] = (uint64_t)s2;
                c = (uint64_t)(s2 >> 64);
            }
            y[n] += c;
        }
        for (size_t i = 0; i < n; i++)
            r[i] = y[i];
    }
    /* undo the normalization */
    if (sh)
        for (size_t i = 0; i < n; i++)
            r[i] = (r[i] >> sh) | (i + 1 < n ? r[i + 1] << (64 - sh) : 0);
}

void bn_mont_r2_vartime(uint64_t *r, const uint64_t *m, size_t n)
{
    uint64_t one[BN_MAX_LIMBS] = {1};
    bn_mod_shl_vartime(r, one, 2 * n, m, n);
}

size_t bn_bitlen(const uint64_t *a, size_t n)
{
    for (size_t i = n; i-- > 0;)
        if (a[i])
            return 64 * i + 64 - (size_t)__builtin_clzll(a[i]);
    return 0;
}
