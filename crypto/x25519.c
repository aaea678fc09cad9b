/* see x25519.h
   Field elements are five 51-bit limbs (value = sum f[i] * 2^(51 i)), kept
   "loosely reduced" (each limb < 2^52) between operations. Every operation is
   branch-free and uses no secret-dependent memory index. */
#include "crypto/x25519.h"
#include "lib/bytes.h"
#include <string.h>

typedef uint64_t fe[5];
typedef unsigned __int128 u128;

#define MASK51 ((UINT64_C(1) << 51) - 1)

/* RFC 7748 section 5: the top bit of the u-coordinate is ignored; values
   >= p are accepted (non-canonical) and reduced by the arithmetic. */
static void fe_frombytes(fe h, const uint8_t s[32])
{
    h[0] = le64_get(s) & MASK51;
    h[1] = (le64_get(s + 6) >> 3) & MASK51;
    h[2] = (le64_get(s + 12) >> 6) & MASK51;
    h[3] = (le64_get(s + 19) >> 1) & MASK51;
    h[4] = (le64_get(s + 24) >> 12) & MASK51;
}

static void fe_carry(fe h)
{
    uint64_t c;
    c = h[0] >> 51; h[0] &= MASK51; h[1] += c;
    c = h[1] >> 51; h[1] &= MASK51; h[2] += c;
    c = h[2] >> 51; h[2] &= MASK51; h[3] += c;
    c = h[3] >> 51; h[3] &= MASK51; h[4] += c;
    c = h[4] >> 51; h[4] &= MASK51; h[0] += c * 19;
    c = h[0] >> 51; h[0] &= MASK51; h[1] += c;
}

/* Fully reduces h into [0, p) and serializes it little-endian. */
static void fe_tobytes(uint8_t s[32], const fe f)
{
    fe h;
    memcpy(h, f, sizeof h);
    fe_carry(h);
    fe_carry(h);
    /* h < 2^255 now; h >= p iff h + 19 >= 2^255. */
    uint64_t q = (h[0] + 19) >> 51;
    q = (h[1] + q) >> 51;
    q = (h[2] + q) >> 51;
    q = (h[3] + q) >> 51;
    q = (h[4] + q) >> 51;
    h[0] += 19 * q;
    uint64_t c;
    c = h[0] >> 51; h[0] &= MASK51; h[1] += c;
    c = h[1] >> 51; h[1] &= MASK51; h[2] += c;
    c = h[2] >> 51; h[2] &= MASK51; h[3] += c;
    c = h[3] >> 51; h[3] &= MASK51; h[4] += c;
    h[4] &= MASK51; /* drops the 2^255 subtracted with q */
    uint64_t w[4] = {
        h[0] | (h[1] << 51),
        (h[1] >> 13) | (h[2] << 38),
        (h[2] >> 26) | (h[3] << 25),
        (h[3] >> 39) | (h[4] << 12),
    };
    for (int i = 0; i < 4; i++)
        for (int b = 0; b < 8; b++)
            s[8 * i + b] = (uint8_t)(w[i] >> (8 * b));
}

/* h = f + g without carrying. Limb bounds: inputs come from fe_mul/fe_sq
   (limbs < 2^52), so h < 2^53; every fe_add/fe_sub result is only fed to
   fe_mul/fe_sq, which accept limbs < 2^54 (5 * 19 * 2^108 < 2^115 per
   column, so each carry out of a column fits in 64 bits). */
static void fe_add(fe h, const fe f, const fe g)
{
    for (int i = 0; i < 5; i++)
        h[i] = f[i] + g[i];
}

/* h = f - g computed as f + 4p - g so no limb underflows (g limbs < 2^53);
   h < 2^52 + 2^53 < 2^54, uncarried (see fe_add). */
static void fe_sub(fe h, const fe f, const fe g)
{
    h[0] = f[0] + UINT64_C(0x1FFFFFFFFFFFB4) - g[0];
    for (int i = 1; i < 5; i++)
        h[i] = f[i] + UINT64_C(0x1FFFFFFFFFFFFC) - g[i];
}

/* h = the five column sums r0..r4 carried into limbs below 2^52, in two
   chains side by side (0 -> 1 -> 2 -> 3 -> 4 and 3 -> 4 -> 0 -> 1), four
   steps deep instead of seven. Bounds for input limbs below 2^54 (see
   fe_add): r0, r1 < 77 2^108, r2 < 41 2^108, r3 < 23 2^108, r4 < 5 2^108,
   so every carry out of a column fits in 64 bits, l3 plus the carry of r2
   (< 2^63) does too, and 19 c4 is added in 128 bits. */
static inline __attribute__((always_inline)) void fe_carry_wide(fe h, u128 r0, u128 r1, u128 r2,
                                                                u128 r3, u128 r4)
{
    r1 += (uint64_t)(r0 >> 51);
    r4 += (uint64_t)(r3 >> 51);
    uint64_t l0 = (uint64_t)r0 & MASK51, l3 = (uint64_t)r3 & MASK51;
    r2 += (uint64_t)(r1 >> 51);
    uint64_t c4 = (uint64_t)(r4 >> 51);
    uint64_t l1 = (uint64_t)r1 & MASK51, l4 = (uint64_t)r4 & MASK51;
    u128 t0 = (u128)l0 + (u128)c4 * 19;
    l3 += (uint64_t)(r2 >> 51);
    uint64_t l2 = (uint64_t)r2 & MASK51;
    l1 += (uint64_t)(t0 >> 51);
    l4 += l3 >> 51;
    h[0] = (uint64_t)t0 & MASK51;
    h[1] = l1;
    h[2] = l2;
    h[3] = l3 & MASK51;
    h[4] = l4;
}

static inline __attribute__((always_inline)) void fe_mul(fe h, const fe f, const fe g)
{
    uint64_t f0 = f[0], f1 = f[1], f2 = f[2], f3 = f[3], f4 = f[4];
    uint64_t g0 = g[0], g1 = g[1], g2 = g[2], g3 = g[3], g4 = g[4];
    uint64_t g1_19 = 19 * g1, g2_19 = 19 * g2, g3_19 = 19 * g3, g4_19 = 19 * g4;
    u128 r0 = (u128)f0 * g0 + (u128)f1 * g4_19 + (u128)f2 * g3_19 + (u128)f3 * g2_19 + (u128)f4 * g1_19;
    u128 r1 = (u128)f0 * g1 + (u128)f1 * g0 + (u128)f2 * g4_19 + (u128)f3 * g3_19 + (u128)f4 * g2_19;
    u128 r2 = (u128)f0 * g2 + (u128)f1 * g1 + (u128)f2 * g0 + (u128)f3 * g4_19 + (u128)f4 * g3_19;
    u128 r3 = (u128)f0 * g3 + (u128)f1 * g2 + (u128)f2 * g1 + (u128)f3 * g0 + (u128)f4 * g4_19;
    u128 r4 = (u128)f0 * g4 + (u128)f1 * g3 + (u128)f2 * g2 + (u128)f3 * g1 + (u128)f4 * g0;
    fe_carry_wide(h, r0, r1, r2, r3, r4);
}

static inline __attribute__((always_inline)) void fe_sq(fe h, const fe f)
{
    uint64_t f0 = f[0], f1 = f[1], f2 = f[2], f3 = f[3], f4 = f[4];
    uint64_t d0 = 2 * f0, d1 = 2 * f1, d2 = 2 * f2;
    uint64_t f3_19 = 19 * f3, f4_19 = 19 * f4;
    u128 r0 = (u128)f0 * f0 + (u128)d1 * f4_19 + (u128)d2 * f3_19;
    u128 r1 = (u128)d0 * f1 + (u128)d2 * f4_19 + (u128)f3 * f3_19;
    u128 r2 = (u128)d0 * f2 + (u128)f1 * f1 + (u128)(2 * f3) * f4_19;
    u128 r3 = (u128)d0 * f3 + (u128)d1 * f2 + (u128)f4 * f4_19;
    u128 r4 = (u128)d0 * f4 + (u128)d1 * f3 + (u128)f2 * f2;
    fe_carry_wide(h, r0, r1, r2, r3, r4);
}

/* h = f * 121665 (a24 of RFC 7748 section 5): limbs below 2^54 times 2^17,
   so each product is a column sum far below fe_carry_wide's bounds. */
static void fe_mul_a24(fe h, const fe f)
{
    fe_carry_wide(h, (u128)f[0] * 121665, (u128)f[1] * 121665, (u128)f[2] * 121665,
                  (u128)f[3] * 121665, (u128)f[4] * 121665);
}

static void fe_sqn(fe h, const fe f, int n)
{
    fe_sq(h, f);
    while (--n > 0)
        fe_sq(h, h);
}

/* h = z^(p-2) = z^-1 (Fermat), fixed addition chain for 2^255 - 21. */
static void fe_invert(fe out, const fe z)
{
    fe z2, z9, z11, z2_5_0, z2_10_0, z2_20_0, z2_50_0, z2_100_0, t;
    fe_sq(z2, z);                 /* 2 */
    fe_sqn(t, z2, 2);             /* 8 */
    fe_mul(z9, t, z);             /* 9 */
    fe_mul(z11, z9, z2);          /* 11 */
    fe_sq(t, z11);                /* 22 */
    fe_mul(z2_5_0, t, z9);        /* 2^5 - 1 */
    fe_sqn(t, z2_5_0, 5);
    fe_mul(z2_10_0, t, z2_5_0);   /* 2^10 - 1 */
    fe_sqn(t, z2_10_0, 10);
    fe_mul(z2_20_0, t, z2_10_0);  /* 2^20 - 1 */
    fe_sqn(t, z2_20_0, 20);
    fe_mul(t, t, z2_20_0);        /* 2^40 - 1 */
    fe_sqn(t, t, 10);
    fe_mul(z2_50_0, t, z2_10_0);  /* 2^50 - 1 */
    fe_sqn(t, z2_50_0, 50);
    fe_mul(z2_100_0, t, z2_50_0); /* 2^100 - 1 */
    fe_sqn(t, z2_100_0, 100);
    fe_mul(t, t, z2_100_0);       /* 2^200 - 1 */
    fe_sqn(t, t, 50);
    fe_mul(t, t, z2_50_0);        /* 2^250 - 1 */
    fe_sqn(t, t, 5);              /* 2^255 - 32 */
    fe_mul(out, t, z11);          /* 2^255 - 21 */
}

/* Swaps f and g when swap == 1, without branching. */
static void fe_cswap(fe f, fe g, uint64_t swap)
{
    uint64_t mask = (uint64_t)0 - swap;
    for (int i = 0; i < 5; i++) {
        uint64_t x = mask & (f[i] ^ g[i]);
        f[i] ^= x;
        g[i] ^= x;
    }
}

/* Swaps f with g and f2 with g2 when swap == 1 (one mask for both),
   without branching. */
static void fe_cswap2(fe f, fe g, fe f2, fe g2, uint64_t swap)
{
    uint64_t mask = (uint64_t)0 - swap;
    for (int i = 0; i < 5; i++) {
        uint64_t x = mask & (f[i] ^ g[i]), y = mask & (f2[i] ^ g2[i]);
        f[i] ^= x;
        g[i] ^= x;
        f2[i] ^= y;
        g2[i] ^= y;
    }
}

/* RFC 7748 section 5 ladder; k is the clamped scalar. */
static void x25519_ladder(uint8_t out[32], const uint8_t k[32], const uint8_t u[32])
{
    fe x1, x2 = {1}, z2 = {0}, x3, z3 = {1};
    fe a, aa, b, bb, e, c, d, da, cb;
    uint64_t swap = 0;
    fe_frombytes(x1, u);
    memcpy(x3, x1, sizeof x3);
    for (int t = 254; t >= 0; t--) {
        uint64_t kt = (k[t >> 3] >> (t & 7)) & 1;
        swap ^= kt;
        fe_cswap2(x2, x3, z2, z3, swap);
        swap = kt;
        fe_add(a, x2, z2);
        fe_sq(aa, a);
        fe_sub(b, x2, z2);
        fe_sq(bb, b);
        fe_sub(e, aa, bb);
        fe_add(c, x3, z3);
        fe_sub(d, x3, z3);
        fe_mul(da, d, a);
        fe_mul(cb, c, b);
        fe_add(x3, da, cb);
        fe_sq(x3, x3);
        fe_sub(z3, da, cb);
        fe_sq(z3, z3);
        fe_mul(z3, z3, x1);
        fe_mul(x2, aa, bb);
        fe_mul_a24(z2, e);
        fe_add(z2, z2, aa);
        fe_mul(z2, z2, e);
    }
    fe_cswap(x2, x3, swap);
    fe_cswap(z2, z3, swap);
    fe_invert(z2, z2);
    fe_mul(x2, x2, z2);
    fe_tobytes(out, x2);
    crypto_zeroize(x2, sizeof x2); crypto_zeroize(z2, sizeof z2);
    crypto_zeroize(x3, sizeof x3); crypto_zeroize(z3, sizeof z3);
    crypto_zeroize(a, sizeof a); crypto_zeroize(aa, sizeof aa);
    crypto_zeroize(b, sizeof b); crypto_zeroize(bb, sizeof bb);
    crypto_zeroize(e, sizeof e); crypto_zeroize(c, sizeof c);
    crypto_zeroize(d, sizeof d); crypto_zeroize(da, sizeof da);
    crypto_zeroize(cb, sizeof cb);
}

/* see x25519.h */
int x25519(uint8_t out[32], const uint8_t scalar[32], const uint8_t point[32])
{
    uint8_t k[32], u[32], r[32];
    memcpy(k, scalar, 32);
    memcpy(u, point, 32);
    k[0] &= 248;
    k[31] &= 127;
    k[31] |= 64;
    x25519_ladder(r, k, u);
    crypto_zeroize(k, sizeof k);
    uint8_t acc = 0;
    for (int i = 0; i < 32; i++)
        acc |= r[i];
    memcpy(out, r, 32);
    crypto_zeroize(r, sizeof r);
    /* branch-free, so only the caller decides what to reveal */
    return (int)(ct_is_zero32(acc) & CRYPTO_ERR_ZERO_SECRET);
}

/* see x25519.h */
void x25519_base(uint8_t pub[32], const uint8_t scalar[32])
{
    static const uint8_t nine[32] = {9};
    (void)x25519(pub, scalar, nine);
}
