/* see ec_internal.h: fixed-base scalar multiplication k * G for key
   generation. For P-256, k = sum_i k_i 16^i with 4-bit digits k_i, and
   ec_p256_comb[i][k_i - 1] = k_i 16^i G is precomputed, so k G is 64
   additions and no doublings. Each lookup reads all 15 entries of its row
   and masks the wanted one; the addition is always computed and a zero digit
   keeps the old accumulator by a masked select, so neither branches nor
   memory addresses depend on k. */
#include "crypto/ec_internal.h"
#include <string.h>

void ec_scalar_mul_base(const struct ec_curve_def *c, struct ec_point *r, const uint64_t *k)
{
    if (c != &ec_p256) {
        struct ec_point g;
        ec_point_generator(c, &g);
        ec_scalar_mul(c, r, k, &g);
        return;
    }
    struct ec_point acc, t, sum;
    memset(&acc, 0, sizeof acc);
    memcpy(acc.y, c->p_one, sizeof acc.y); /* infinity (0:1:0) */
    memset(&t, 0, sizeof t);
    memcpy(t.z, c->p_one, sizeof t.z);
    for (size_t i = 0; i < 64; i++) {
        uint64_t d = (k[i / 16] >> (4 * (i % 16))) & 15;
        for (size_t l = 0; l < 4; l++)
            t.x[l] = t.y[l] = 0;
        for (uint64_t j = 1; j < 16; j++) {
            uint64_t m = ct_is_zero64(j ^ d);
            for (size_t l = 0; l < 4; l++) {
                t.x[l] |= ec_p256_comb[i][j - 1][0][l] & m;
                t.y[l] |= ec_p256_comb[i][j - 1][1][l] & m;
            }
        }
        ec_point_add(c, &sum, &acc, &t);
        uint64_t keep = ct_is_zero64(d); /* d == 0: t is not a point; keep acc */
        for (size_t l = 0; l < 4; l++) {
            acc.x[l] = (acc.x[l] & keep) | (sum.x[l] & ~keep);
            acc.y[l] = (acc.y[l] & keep) | (sum.y[l] & ~keep);
            acc.z[l] = (acc.z[l] & keep) | (sum.z[l] & ~keep);
        }
    }
    *r = acc;
    crypto_zeroize(&acc, sizeof acc);
    crypto_zeroize(&t, sizeof t);
    crypto_zeroize(&sum, sizeof sum);
}
