/* see bn_ifma.h.
   Numbers are L = 8V limbs of 52 bits (V ZMM registers), R = 2^(52 L) with
   4m < R, so V = ceil((64 n + 2) / 416): 5 registers for RSA-2048.
   One AMM step per limb b_i of b, the accumulator T in V registers (lane j
   of register k is limb 8k + j, each lane a 64-bit sum of 52-bit pieces):
     T += lo52(a b_i); q = T_0 (-m^-1) mod 2^52; T += lo52(m q);
     T_0 is now 0 mod 2^52: T = (T >> one lane) + (T_0 >> 52);
     T += hi52(a b_i) + hi52(m q)   (the high halves weigh one limb more).
   A lane collects at most 4 terms below 2^52 per step, 4 L 2^52 < 2^61 for
   L <= 80, so nothing overflows before the final carry pass. With a, b < 2m
   the result (a b + Q m) / R is below 2m (Q < R, 4m < R): AMM outputs feed
   AMM inputs with no subtraction; the one subtraction comes at the end. */
#include "crypto/bn_ifma.h"
#include "crypto/bn.h"
#include "crypto/simd.h"
#include <string.h>

#define TARGET_IFMA __attribute__((target("avx512f,avx512ifma")))
#define IFMA_INLINE static inline __attribute__((always_inline))
#define MASK52 ((UINT64_C(1) << 52) - 1)
#define MAX_V 10 /* ceil((64 * 64 + 2) / 416) */
#define MAX_L (8 * MAX_V)

/* r = a b R^-1 (mod m), below 2m, for a, b < 2m in 52-bit limbs (L = 8V of
   them, zero-padded); k0 = -m^-1 mod 2^52. r may alias a or b. */
TARGET_IFMA IFMA_INLINE void amm(uint64_t *r, const uint64_t *a, const uint64_t *b,
                                 const uint64_t *m, uint64_t k0, const int V)
{
    __m512i A[MAX_V], M[MAX_V], T[MAX_V];
    const __m512i zero = _mm512_setzero_si512();
    _Pragma("GCC unroll 10")
    for (int k = 0; k < V; k++) {
        A[k] = _mm512_loadu_si512((const void *)(a + 8 * k));
        M[k] = _mm512_loadu_si512((const void *)(m + 8 * k));
        T[k] = zero;
    }
    const uint64_t a0 = a[0], m0 = m[0];
    for (int i = 0; i < 8 * V; i++) {
        uint64_t bi = b[i];
        __m512i B = _mm512_set1_epi64((long long)bi);
        uint64_t t0 = (uint64_t)_mm_cvtsi128_si64(_mm512_castsi512_si128(T[0])) +
                      ((a0 * bi) & MASK52);
        uint64_t q = (t0 * k0) & MASK52;
        uint64_t c = (t0 + ((m0 * q) & MASK52)) >> 52;
        __m512i Q = _mm512_set1_epi64((long long)q);
        _Pragma("GCC unroll 10")
        for (int k = 0; k < V; k++)
            T[k] = _mm512_madd52lo_epu64(T[k], A[k], B);
        _Pragma("GCC unroll 10")
        for (int k = 0; k < V; k++)
            T[k] = _mm512_madd52lo_epu64(T[k], M[k], Q);
        _Pragma("GCC unroll 10")
        for (int k = 0; k < V - 1; k++)
            T[k] = _mm512_alignr_epi64(T[k + 1], T[k], 1);
        T[V - 1] = _mm512_alignr_epi64(zero, T[V - 1], 1);
        T[0] = _mm512_mask_add_epi64(T[0], 1, T[0], _mm512_set1_epi64((long long)c));
        _Pragma("GCC unroll 10")
        for (int k = 0; k < V; k++)
            T[k] = _mm512_madd52hi_epu64(T[k], A[k], B);
        _Pragma("GCC unroll 10")
        for (int k = 0; k < V; k++)
            T[k] = _mm512_madd52hi_epu64(T[k], M[k], Q);
    }
    uint64_t t[MAX_L];
    _Pragma("GCC unroll 10")
    for (int k = 0; k < V; k++)
        _mm512_storeu_si512((void *)(t + 8 * k), T[k]);
    /* carry pass: the value is below 2m < R, so no carry leaves the top */
    uint64_t c = 0;
    for (int j = 0; j < 8 * V; j++) {
        uint64_t v = t[j] + c;
        r[j] = v & MASK52;
        c = v >> 52;
    }
}

/* One instance per register count, so the V-register loops unroll and the
   accumulator stays in registers. */
#define AMM_V(v)                                                                          \
    TARGET_IFMA static void amm##v(uint64_t *r, const uint64_t *a, const uint64_t *b,    \
                                   const uint64_t *m, uint64_t k0)                        \
    {                                                                                     \
        amm(r, a, b, m, k0, v);                                                           \
    }
AMM_V(1) AMM_V(2) AMM_V(3) AMM_V(4) AMM_V(5) AMM_V(6) AMM_V(7) AMM_V(8) AMM_V(9) AMM_V(10)

typedef void (*amm_fn)(uint64_t *, const uint64_t *, const uint64_t *, const uint64_t *, uint64_t);
static const amm_fn amm_by_v[MAX_V + 1] = {NULL, amm1, amm2, amm3, amm4, amm5,
                                           amm6, amm7, amm8, amm9, amm10};

/* 64-bit limbs x (n of them) to L 52-bit limbs y */
static void to52(uint64_t *y, size_t L, const uint64_t *x, size_t n)
{
    for (size_t j = 0; j < L; j++) {
        size_t bit = 52 * j, w = bit / 64;
        unsigned sh = (unsigned)(bit % 64);
        uint64_t v = 0;
        if (w < n) {
            v = x[w] >> sh;
            if (sh > 12 && w + 1 < n)
                v |= x[w + 1] << (64 - sh);
        }
        y[j] = v & MASK52;
    }
}

/* L normalized 52-bit limbs y to 64-bit limbs x (nx of them; the value must
   fit) */
static void from52(uint64_t *x, size_t nx, const uint64_t *y, size_t L)
{
    memset(x, 0, nx * sizeof *x);
    for (size_t j = 0; j < L; j++) {
        size_t bit = 52 * j, w = bit / 64;
        unsigned sh = (unsigned)(bit % 64);
        if (w < nx)
            x[w] |= y[j] << sh;
        if (sh > 12 && w + 1 < nx)
            x[w + 1] |= y[j] >> (64 - sh);
    }
}

int bn_ifma_modexp_vartime(uint64_t *r, const uint64_t *s, const uint64_t *e, size_t ebits,
                           const uint64_t *m, size_t n)
{
    if (n == 0 || n > BN_IFMA_MAX_LIMBS)
        return -1;
    size_t V = (64 * n + 2 + 415) / 416, L = 8 * V;
    amm_fn mul = amm_by_v[V];
    uint64_t m52[MAX_L], s52[MAX_L], x52[MAX_L], acc[MAX_L];
    uint64_t sr[BN_IFMA_MAX_LIMBS], w[BN_IFMA_MAX_LIMBS + 1], d[BN_IFMA_MAX_LIMBS + 1];
    uint64_t mm[BN_IFMA_MAX_LIMBS + 1];
    /* s R mod m: whole words by long division, the rest by doublings */
    size_t rbits = 52 * L;
    bn_mod_shl_vartime(sr, s, rbits / 64, m, n);
    for (size_t k = 0; k < rbits % 64; k++) {
        uint64_t top = sr[n - 1] >> 63;
        for (size_t i = n; i-- > 1;)
            sr[i] = (sr[i] << 1) | (sr[i - 1] >> 63);
        sr[0] <<= 1;
        if (top || !bn_lt_mask(sr, m, n)) /* public data */
            bn_sub(sr, sr, m, n);
    }
    uint64_t k0 = bn_mont_m0inv(m[0]) & MASK52;
    to52(m52, L, m, n);
    to52(s52, L, s, n);
    to52(x52, L, sr, n);
    memcpy(acc, x52, L * sizeof acc[0]);
    /* left to right over e; the top bit is acc = x, the last step multiplies
       by plain s, which also leaves the Montgomery domain (e is odd) */
    for (size_t b = ebits - 1; b-- > 1;) {
        mul(acc, acc, acc, m52, k0);
        if ((e[b / 64] >> (b % 64)) & 1)
            mul(acc, acc, x52, m52, k0);
    }
    mul(acc, acc, acc, m52, k0);
    mul(acc, acc, s52, m52, k0);
    /* acc < 2m: one conditional subtraction over n + 1 words */
    from52(w, n + 1, acc, L);
    memcpy(mm, m, n * sizeof m[0]);
    mm[n] = 0;
    uint64_t borrow = bn_sub(d, w, mm, n + 1);
    bn_select(r, (uint64_t)0 - borrow, w, d, n);
    return 0;
}
