/* ML-KEM NTT (FIPS 203 section 4.3): NTT (Algorithm 9), NTT^-1 (Algorithm
   10), MultiplyNTTs / BaseCaseMultiply (Algorithms 11, 12) and coefficient-
   wise addition, over canonical coefficients in [0, q). The tables are
   zeta^BitRev7(i) and zeta^(2 BitRev7(i) + 1) mod q with zeta = 17; the unit
   test recomputes them from that definition. Indices depend only on loop
   counters. */
#include "crypto/mlkem_poly.h"

const uint16_t mlkem_zetas[128] = {
    1, 1729, 2580, 3289, 2642, 630, 1897, 848, 1062, 1919, 193, 797, 2786, 3260, 569, 1746,
    296, 2447, 1339, 1476, 3046, 56, 2240, 1333, 1426, 2094, 535, 2882, 2393, 2879, 1974, 821,
    289, 331, 3253, 1756, 1197, 2304, 2277, 2055, 650, 1977, 2513, 632, 2865, 33, 1320, 1915,
    2319, 1435, 807, 452, 1438, 2868, 1534, 2402, 2647, 2617, 1481, 648, 2474, 3110, 1227, 910,
    17, 2761, 583, 2649, 1637, 723, 2288, 1100, 1409, 2662, 3281, 233, 756, 2156, 3015, 3050,
    1703, 1651, 2789, 1789, 1847, 952, 1461, 2687, 939, 2308, 2437, 2388, 733, 2337, 268, 641,
    1584, 2298, 2037, 3220, 375, 2549, 2090, 1645, 1063, 319, 2773, 757, 2099, 561, 2466, 2594,
    2804, 1092, 403, 1026, 1143, 2150, 2775, 886, 1722, 1212, 1874, 1029, 2110, 2935, 885, 2154,
};
const uint16_t mlkem_gammas[128] = {
    17, 3312, 2761, 568, 583, 2746, 2649, 680, 1637, 1692, 723, 2606, 2288, 1041, 1100, 2229,
    1409, 1920, 2662, 667, 3281, 48, 233, 3096, 756, 2573, 2156, 1173, 3015, 314, 3050, 279,
    1703, 1626, 1651, 1678, 2789, 540, 1789, 1540, 1847, 1482, 952, 2377, 1461, 1868, 2687, 642,
    939, 2390, 2308, 1021, 2437, 892, 2388, 941, 733, 2596, 2337, 992, 268, 3061, 641, 2688,
    1584, 1745, 2298, 1031, 2037, 1292, 3220, 109, 375, 2954, 2549, 780, 2090, 1239, 1645, 1684,
    1063, 2266, 319, 3010, 2773, 556, 757, 2572, 2099, 1230, 561, 2768, 2466, 863, 2594, 735,
    2804, 525, 1092, 2237, 403, 2926, 1026, 2303, 1143, 2186, 2150, 1179, 2775, 554, 886, 2443,
    1722, 1607, 1212, 2117, 1874, 1455, 1029, 2300, 2110, 1219, 2935, 394, 885, 2444, 2154, 1175,
};

static inline uint16_t fq_add(uint16_t a, uint16_t b) { return mlkem_fq_csub((uint32_t)a + b); }
static inline uint16_t fq_sub(uint16_t a, uint16_t b) { return mlkem_fq_csub((uint32_t)a + MLKEM_Q - b); }
static inline uint16_t fq_mul(uint16_t a, uint16_t b) { return mlkem_fq_reduce((uint32_t)a * b); }

void mlkem_ntt(mlkem_poly *f)
{
    unsigned i = 1;
    for (unsigned len = 128; len >= 2; len /= 2) {
        for (unsigned start = 0; start < MLKEM_N; start += 2 * len) {
            uint16_t zeta = mlkem_zetas[i++];
            for (unsigned j = start; j < start + len; j++) {
                uint16_t t = fq_mul(zeta, f->c[j + len]);
                f->c[j + len] = fq_sub(f->c[j], t);
                f->c[j] = fq_add(f->c[j], t);
            }
        }
    }
}

void mlkem_invntt(mlkem_poly *f)
{
    unsigned i = 127;
    for (unsigned len = 2; len <= 128; len *= 2) {
        for (unsigned start = 0; start < MLKEM_N; start += 2 * len) {
            uint16_t zeta = mlkem_zetas[i--];
            for (unsigned j = start; j < start + len; j++) {
                uint16_t t = f->c[j];
                f->c[j] = fq_add(t, f->c[j + len]);
                f->c[j + len] = fq_mul(zeta, fq_sub(f->c[j + len], t));
            }
        }
    }
    for (unsigned j = 0; j < MLKEM_N; j++)
        f->c[j] = fq_mul(f->c[j], 3303); /* 128^-1 mod q */
}

void mlkem_basemul_acc(mlkem_poly *acc, const mlkem_poly *a, const mlkem_poly *b)
{
    for (unsigned i = 0; i < 128; i++) {
        uint32_t a0 = a->c[2 * i], a1 = a->c[2 * i + 1], b0 = b->c[2 * i], b1 = b->c[2 * i + 1];
        uint16_t c0 = mlkem_fq_reduce(a0 * b0 + (uint32_t)mlkem_fq_reduce(a1 * b1) * mlkem_gammas[i]);
        uint16_t c1 = mlkem_fq_reduce(a0 * b1 + a1 * b0);
        acc->c[2 * i] = fq_add(acc->c[2 * i], c0);
        acc->c[2 * i + 1] = fq_add(acc->c[2 * i + 1], c1);
    }
}

void mlkem_poly_add(mlkem_poly *r, const mlkem_poly *a)
{
    for (unsigned j = 0; j < MLKEM_N; j++)
        r->c[j] = fq_add(r->c[j], a->c[j]);
}

void mlkem_poly_sub(mlkem_poly *r, const mlkem_poly *a)
{
    for (unsigned j = 0; j < MLKEM_N; j++)
        r->c[j] = fq_sub(r->c[j], a->c[j]);
}
