/* Internal to crypto/: P-256 scalar multiplication on the dedicated field
   (p256_field.h), used by ec_dh.c, ecdsa.c and ecdsa_sign.c in place of the
   generic curve code of ec_point.c / ec_jacobian.c, which stays as the
   reference the tests compare against. Scalars are 4 little-endian limbs
   (plain, not Montgomery); points in struct ec_point carry Montgomery
   coordinates (R = 2^256) in their first 4 limbs. Caller-owned storage. */
#ifndef CRYPTO_P256_POINT_H
#define CRYPTO_P256_POINT_H
#include <stdint.h>
#include "crypto/ec_internal.h"

/* x (and y unless NULL) = big-endian affine coordinates of k G, constant
   time, for 0 < k < n (ec_scalar_from_bytes output). CRYPTO_ERR_BAD_POINT (coordinates zero) when the
   result is infinity (k = 0 mod n), else CRYPTO_OK; branch-free. */
int p256_point_mul_base(uint8_t x[32], uint8_t *y, const uint64_t k[4]);
/* The same for k p, p affine (Z = 1 in Montgomery form) and on the curve,
   e.g. from ec_point_decode. */
int p256_point_mul(uint8_t x[32], uint8_t *y, const uint64_t k[4], const struct ec_point *p);
/* r = u1 G + u2 q, Jacobian (Z = 0 is infinity), q affine: the contract of
   ec_double_scalar_mul_vartime. Variable time: public inputs only. */
void p256_point_mul_double_vartime(struct ec_point *r, const uint64_t u1[4], const uint64_t u2[4],
                                   const struct ec_point *q);

#endif
