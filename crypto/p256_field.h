/* Internal to crypto/: arithmetic in GF(p) for the P-256 prime
   p = 2^256 - 2^224 + 2^192 + 2^96 - 1, four 64-bit limbs (little-endian),
   Montgomery form x R mod p with R = 2^256 (the same representation as
   ec_p256 in ec_curves.c, so values pass between the two unchanged). Inputs
   must be fully reduced (< p); outputs are. Everything here is constant
   time: no branch or memory index depends on the values. The multiplication
   and squaring are static inline so the point code (p256_point.c) gets them
   without call overhead; inversion and byte conversion live in p256_field.c.
   All storage is caller-owned. */
#ifndef CRYPTO_P256_FIELD_H
#define CRYPTO_P256_FIELD_H
#include <stdint.h>

typedef uint64_t p256_fe[4];

#define P256_INLINE static inline __attribute__((always_inline))

static const uint64_t P256_FE_P[4] = {0xffffffffffffffffu, 0x00000000ffffffffu, 0,
                                      0xffffffff00000001u};

/* add / subtract with carry (carries 0 or 1): clang's __builtin_addcll /
   __builtin_subcll (the kernel and release builds compile the P-256 files
   with clang, see pk.mk: its carry chains stay in the flags register), GCC's
   x86-64 builtins, else portable unsigned __int128 (P256_FIELD_PORTABLE
   forces it, for test_p256_portable) */
#if defined(__clang__) && !defined(P256_FIELD_PORTABLE)
P256_INLINE uint64_t p256_adc(uint64_t a, uint64_t b, uint64_t cin, uint64_t *cout)
{
    unsigned long long co, o = __builtin_addcll(a, b, cin, &co);
    *cout = co;
    return o;
}

P256_INLINE uint64_t p256_sbb(uint64_t a, uint64_t b, uint64_t bin, uint64_t *bout)
{
    unsigned long long bo, o = __builtin_subcll(a, b, bin, &bo);
    *bout = bo;
    return o;
}
#elif defined(__x86_64__) && defined(__GNUC__) && !defined(P256_FIELD_PORTABLE)
P256_INLINE uint64_t p256_adc(uint64_t a, uint64_t b, uint64_t cin, uint64_t *cout)
{
    unsigned long long o;
    *cout = __builtin_ia32_addcarryx_u64((unsigned char)cin, a, b, &o);
    return o;
}

P256_INLINE uint64_t p256_sbb(uint64_t a, uint64_t b, uint64_t bin, uint64_t *bout)
{
    unsigned long long o;
    *bout = __builtin_ia32_sbb_u64((unsigned char)bin, a, b, &o);
    return o;
}
#else
P256_INLINE uint64_t p256_adc(uint64_t a, uint64_t b, uint64_t cin, uint64_t *cout)
{
    unsigned __int128 s = (unsigned __int128)a + b + cin;
    *cout = (uint64_t)(s >> 64);
    return (uint64_t)s;
}

P256_INLINE uint64_t p256_sbb(uint64_t a, uint64_t b, uint64_t bin, uint64_t *bout)
{
    unsigned __int128 d = (unsigned __int128)a - b - bin;
    *bout = (uint64_t)(d >> 64) & 1;
    return (uint64_t)d;
}
#endif

/* lo and hi halves of a b */
P256_INLINE uint64_t p256_mulx(uint64_t a, uint64_t b, uint64_t *hi)
{
    unsigned __int128 p = (unsigned __int128)a * b;
    *hi = (uint64_t)(p >> 64);
    return (uint64_t)p;
}
/* One Montgomery step. -p^-1 mod 2^64 = 1, so the quotient digit is q = t0
   itself, and adding q p clears t0 (q (2^64 - 1) + q = q 2^64), adds q 2^32
   at the next limb (from p1 = 2^32 - 1 plus that carry), nothing at the one
   after (p2 = 0) and q p3 at the fourth: one 64x64 multiplication instead of
   four. The value moves to t1..t5; t5 must be 0 or 1 (no carry out). */
#define P256_RED(t0, t1, t2, t3, t4, t5)                                  \
    do {                                                             \
        uint64_t _h, _l = p256_mulx(t0, P256_FE_P[3], &_h), _c;      \
        t1 = p256_adc(t1, t0 << 32, 0, &_c);                         \
        t2 = p256_adc(t2, t0 >> 32, _c, &_c);                        \
        t3 = p256_adc(t3, _l, _c, &_c);                              \
        t4 = p256_adc(t4, _h, _c, &_c);                              \
        t5 = p256_adc(t5, 0, _c, &_c);                               \
    } while (0)
/* t0..t4 += a bi: the low halves in one carry chain, then the high
   halves in another (no carry kept across the two). t4 must be 0 or 1 on
   entry and the sum below 2^320, so neither chain overflows t4. */
#define P256_ROW(bi, t0, t1, t2, t3, t4)                             \
    do {                                                             \
        uint64_t _h0, _h1, _h2, _h3, _c;                             \
        uint64_t _l0 = p256_mulx(a[0], bi, &_h0);                    \
        uint64_t _l1 = p256_mulx(a[1], bi, &_h1);                    \
        uint64_t _l2 = p256_mulx(a[2], bi, &_h2);                    \
        uint64_t _l3 = p256_mulx(a[3], bi, &_h3);                    \
        t0 = p256_adc(t0, _l0, 0, &_c);                              \
        t1 = p256_adc(t1, _l1, _c, &_c);                             \
        t2 = p256_adc(t2, _l2, _c, &_c);                             \
        t3 = p256_adc(t3, _l3, _c, &_c);                             \
        t4 = p256_adc(t4, 0, _c, &_c);                               \
        t1 = p256_adc(t1, _h0, 0, &_c);                              \
        t2 = p256_adc(t2, _h1, _c, &_c);                             \
        t3 = p256_adc(t3, _h2, _c, &_c);                             \
        t4 = p256_adc(t4, _h3, _c, &_c);                             \
    } while (0)
/* r = a b R^-1 mod p, rows of the product interleaved with the reduction
   (the running value stays below 2^320, and the last one below 2p); r may
   alias a or b. */
P256_INLINE void p256_fe_mul(p256_fe r, const p256_fe a, const p256_fe b)
{
    uint64_t t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0, t5 = 0, t6 = 0, t7 = 0;
    uint64_t b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3];
    P256_ROW(b0, t0, t1, t2, t3, t4);
    P256_RED(t0, t1, t2, t3, t4, t5);
    P256_ROW(b1, t1, t2, t3, t4, t5);
    P256_RED(t1, t2, t3, t4, t5, t6);
    P256_ROW(b2, t2, t3, t4, t5, t6);
    P256_RED(t2, t3, t4, t5, t6, t7);
    uint64_t t8 = 0;
    P256_ROW(b3, t3, t4, t5, t6, t7);
    P256_RED(t3, t4, t5, t6, t7, t8);
    /* t4..t8 < 2p */
    uint64_t u0, u1, u2, u3, bw;
    u0 = p256_sbb(t4, P256_FE_P[0], 0, &bw);
    u1 = p256_sbb(t5, P256_FE_P[1], bw, &bw);
    u2 = p256_sbb(t6, P256_FE_P[2], bw, &bw);
    u3 = p256_sbb(t7, P256_FE_P[3], bw, &bw);
    (void)p256_sbb(t8, 0, bw, &bw);
    uint64_t keep = (uint64_t)0 - bw; /* borrow: t < p */
    r[0] = (t4 & keep) | (u0 & ~keep);
    r[1] = (t5 & keep) | (u1 & ~keep);
    r[2] = (t6 & keep) | (u2 & ~keep);
    r[3] = (t7 & keep) | (u3 & ~keep);
}
/* t0..t7 = a^2 (8 limbs): the six cross products once, doubled, plus the
   four squares (10 multiplications instead of 16); c is scratch. */
#define P256_SQR_WIDE(a, t0, t1, t2, t3, t4, t5, t6, t7, c)          \
    do {                                                             \
        uint64_t a0 = (a)[0], a1 = (a)[1], a2 = (a)[2], a3 = (a)[3]; \
        uint64_t h01, h02, h03, h12, h13, h23, l12, l13;             \
        t1 = p256_mulx(a0, a1, &h01);                                \
        t2 = p256_mulx(a0, a2, &h02);                                \
        t3 = p256_mulx(a0, a3, &h03);                                \
        t2 = p256_adc(t2, h01, 0, &c);                               \
        t3 = p256_adc(t3, h02, c, &c);                               \
        t4 = h03 + c;                                                \
        l12 = p256_mulx(a1, a2, &h12);                               \
        l13 = p256_mulx(a1, a3, &h13);                               \
        l13 = p256_adc(l13, h12, 0, &c);                             \
        h13 += c;                                                    \
        t3 = p256_adc(t3, l12, 0, &c);                               \
        t4 = p256_adc(t4, l13, c, &c);                               \
        t5 = h13 + c;                                                \
        t6 = p256_mulx(a2, a3, &h23);                                \
        t5 = p256_adc(t5, t6, 0, &c);                                \
        t6 = h23 + c;                                                \
        t7 = t6 >> 63;                                               \
        t6 = (t6 << 1) | (t5 >> 63);                                 \
        t5 = (t5 << 1) | (t4 >> 63);                                 \
        t4 = (t4 << 1) | (t3 >> 63);                                 \
        t3 = (t3 << 1) | (t2 >> 63);                                 \
        t2 = (t2 << 1) | (t1 >> 63);                                 \
        t1 <<= 1;                                                    \
        uint64_t s0h, s1l, s1h, s2l, s2h, s3l, s3h;                  \
        t0 = p256_mulx(a0, a0, &s0h);                                \
        s1l = p256_mulx(a1, a1, &s1h);                               \
        s2l = p256_mulx(a2, a2, &s2h);                               \
        s3l = p256_mulx(a3, a3, &s3h);                               \
        t1 = p256_adc(t1, s0h, 0, &c);                               \
        t2 = p256_adc(t2, s1l, c, &c);                               \
        t3 = p256_adc(t3, s1h, c, &c);                               \
        t4 = p256_adc(t4, s2l, c, &c);                               \
        t5 = p256_adc(t5, s2h, c, &c);                               \
        t6 = p256_adc(t6, s3l, c, &c);                               \
        t7 = p256_adc(t7, s3h, c, &c);                               \
    } while (0)

/* r = a^2 R^-1 mod p: P256_SQR_WIDE, then the low half is reduced
   into a separate accumulator and added to the high half (< 2p). */
P256_INLINE void p256_fe_sqr(p256_fe r, const p256_fe a)
{
    uint64_t t0, t1, t2, t3, t4, t5, t6, t7, c;
    P256_SQR_WIDE(a, t0, t1, t2, t3, t4, t5, t6, t7, c);
    /* reduce the low half into a separate accumulator x4..x8 */
    uint64_t x4 = 0, x5 = 0, x6 = 0, x7 = 0, x8 = 0;
    P256_RED(t0, t1, t2, t3, x4, x5);
    P256_RED(t1, t2, t3, x4, x5, x6);
    P256_RED(t2, t3, x4, x5, x6, x7);
    P256_RED(t3, x4, x5, x6, x7, x8);
    x4 = p256_adc(x4, t4, 0, &c);
    x5 = p256_adc(x5, t5, c, &c);
    x6 = p256_adc(x6, t6, c, &c);
    x7 = p256_adc(x7, t7, c, &c);
    x8 += c;
    uint64_t u0, u1, u2, u3, bw;
    u0 = p256_sbb(x4, P256_FE_P[0], 0, &bw);
    u1 = p256_sbb(x5, P256_FE_P[1], bw, &bw);
    u2 = p256_sbb(x6, P256_FE_P[2], bw, &bw);
    u3 = p256_sbb(x7, P256_FE_P[3], bw, &bw);
    (void)p256_sbb(x8, 0, bw, &bw);
    uint64_t keep = (uint64_t)0 - bw;
    r[0] = (x4 & keep) | (u0 & ~keep);
    r[1] = (x5 & keep) | (u1 & ~keep);
    r[2] = (x6 & keep) | (u2 & ~keep);
    r[3] = (x7 & keep) | (u3 & ~keep);
}
/* r = a + b mod p */
P256_INLINE void p256_fe_add(p256_fe r, const p256_fe a, const p256_fe b)
{
    uint64_t s[4], d[4], c = 0, bw = 0;
    _Pragma("GCC unroll 8")
    for (int i = 0; i < 4; i++)
        s[i] = p256_adc(a[i], b[i], c, &c);
    _Pragma("GCC unroll 8")
    for (int i = 0; i < 4; i++)
        d[i] = p256_sbb(s[i], P256_FE_P[i], bw, &bw);
    uint64_t keep_s = (uint64_t)0 - (bw & (c ^ 1)); /* no carry and s < p */
    _Pragma("GCC unroll 8")
    for (int i = 0; i < 4; i++)
        r[i] = (s[i] & keep_s) | (d[i] & ~keep_s);
}

/* r = a - b mod p */
P256_INLINE void p256_fe_sub(p256_fe r, const p256_fe a, const p256_fe b)
{
    uint64_t d[4], bw = 0, c = 0;
    _Pragma("GCC unroll 8")
    for (int i = 0; i < 4; i++)
        d[i] = p256_sbb(a[i], b[i], bw, &bw);
    uint64_t m = (uint64_t)0 - bw;
    _Pragma("GCC unroll 8")
    for (int i = 0; i < 4; i++)
        r[i] = p256_adc(d[i], P256_FE_P[i] & m, c, &c);
}

/* r = a when mask is all ones, unchanged when 0 */
P256_INLINE void p256_fe_cmov(p256_fe r, const p256_fe a, uint64_t mask)
{
    _Pragma("GCC unroll 8")
    for (int i = 0; i < 4; i++)
        r[i] ^= (r[i] ^ a[i]) & mask;
}

/* all ones when a == 0 */
P256_INLINE uint64_t p256_fe_zero_mask(const p256_fe a)
{
    uint64_t x = a[0] | a[1] | a[2] | a[3];
    return (uint64_t)0 - ((~x & (x - 1)) >> 63);
}

/* r = a^-1 (Montgomery form in and out; 0 maps to 0): Fermat, a^(p-2) by a
   fixed addition chain (255 squarings, 12 multiplications). r may alias a. */
void p256_fe_inv(p256_fe r, const p256_fe a);
/* Montgomery form of a 32-byte big-endian value; 0 when it is >= p (the
   returned mask is then 0, else all ones). Constant time. */
uint64_t p256_fe_from_bytes(p256_fe r, const uint8_t in[32]);
/* 32 big-endian bytes of the plain value of a (leaves Montgomery form). */
void p256_fe_to_bytes(uint8_t out[32], const p256_fe a);

#endif
