/* Internal to crypto/: short-Weierstrass curves y^2 = x^3 - 3x + b over a
   prime field (P-256, P-384), generic over the limb count. Field elements are
   EC_MAX_LIMBS 64-bit limbs in Montgomery form (x*R mod p, R = 2^(64 limbs));
   points are homogeneous projective (X:Y:Z) with the complete addition and
   doubling formulas of Renes, Costello and Batina, "Complete addition formulas
   for prime order elliptic curves" (EUROCRYPT 2016, algorithms 4 and 6,
   a = -3), so no operation branches on the point values; the point at
   infinity is (0:1:0). All storage is caller-owned. */
#ifndef CRYPTO_EC_INTERNAL_H
#define CRYPTO_EC_INTERNAL_H
#include <stddef.h>
#include <stdint.h>
#include "crypto/crypto.h"

#define EC_MAX_LIMBS 6
#define EC_MAX_BYTES 48
#define EC_G_ODD 32

struct ec_curve_def {
    size_t limbs, bytes;               /* 4/32 for P-256, 6/48 for P-384 */
    uint64_t p[EC_MAX_LIMBS], p0inv;   /* field prime, -p^-1 mod 2^64 */
    uint64_t p_r2[EC_MAX_LIMBS];       /* R^2 mod p */
    uint64_t p_one[EC_MAX_LIMBS];      /* R mod p: 1 in Montgomery form */
    uint64_t p_minus_2[EC_MAX_LIMBS];  /* Fermat inversion exponent */
    uint64_t b[EC_MAX_LIMBS];          /* curve b, Montgomery form */
    uint64_t gx[EC_MAX_LIMBS], gy[EC_MAX_LIMBS]; /* generator, Montgomery form */
    uint64_t n[EC_MAX_LIMBS], n0inv;   /* group order, -n^-1 mod 2^64 */
    uint64_t n_r2[EC_MAX_LIMBS];       /* R^2 mod n */
    uint64_t n_minus_2[EC_MAX_LIMBS];
    /* affine odd multiples 1G, 3G, ..., 63G (Montgomery form) for the
       width-7 wNAF in signature verification */
    uint64_t g_odd[EC_G_ODD][2][EC_MAX_LIMBS];
};

extern const struct ec_curve_def ec_p256, ec_p384;

struct ec_point {
    uint64_t x[EC_MAX_LIMBS], y[EC_MAX_LIMBS], z[EC_MAX_LIMBS];
};

/* Field arithmetic mod p (Montgomery form in and out). */
void ec_fe_mul(const struct ec_curve_def *c, uint64_t *r, const uint64_t *a, const uint64_t *b);
void ec_fe_add(const struct ec_curve_def *c, uint64_t *r, const uint64_t *a, const uint64_t *b);
void ec_fe_sub(const struct ec_curve_def *c, uint64_t *r, const uint64_t *a, const uint64_t *b);
/* r = a b R^-1 mod n (the group order), constant time. */
void ec_sc_mul(const struct ec_curve_def *c, uint64_t *r, const uint64_t *a, const uint64_t *b);
/* r = a^-1 R mod n (the inverse in n's Montgomery form) for a plain a != 0,
   constant time in a; r may alias a. */
void ec_sc_inv(const struct ec_curve_def *c, uint64_t *r, const uint64_t *a);
/* r = a^e (Montgomery form), e a public exponent of c->limbs limbs. */
void ec_fe_pow(const struct ec_curve_def *c, uint64_t *r, const uint64_t *a, const uint64_t *e);

/* r = p + q and r = 2p (complete; r may alias the inputs). */
void ec_point_add(const struct ec_curve_def *c, struct ec_point *r, const struct ec_point *p,
                  const struct ec_point *q);
void ec_point_double(const struct ec_curve_def *c, struct ec_point *r, const struct ec_point *p);
void ec_point_generator(const struct ec_curve_def *c, struct ec_point *g);
/* SEC 1 2.3.4 for the uncompressed form only: 0x04 || X || Y, X, Y < p, on
   the curve. CRYPTO_OK or CRYPTO_ERR_BAD_POINT. */
int ec_point_decode(const struct ec_curve_def *c, struct ec_point *r, const uint8_t *in, size_t len);
/* Affine big-endian coordinates (c->bytes each; y may be NULL). Returns
   CRYPTO_ERR_BAD_POINT for the point at infinity. Constant time apart from
   that final answer. */
int ec_point_to_affine(const struct ec_curve_def *c, uint8_t *x, uint8_t *y, const struct ec_point *p);

/* r = k * p, constant time: 4-bit fixed window, every table entry read for
   each lookup; doublings in Jacobian coordinates, additions with the
   complete formulas (see ec_point.c). k is c->limbs limbs, any value
   (k = 0 gives infinity). */
void ec_scalar_mul(const struct ec_curve_def *c, struct ec_point *r, const uint64_t *k,
                   const struct ec_point *p);
/* r = k * G, constant time. P-256 uses the fixed-base table ec_p256_comb
   (64 complete additions, no doublings); other curves ec_scalar_mul. */
void ec_scalar_mul_base(const struct ec_curve_def *c, struct ec_point *r, const uint64_t *k);
extern const uint64_t ec_p256_comb[64][15][2][4];

/* r = u1 * G + u2 * q in Jacobian coordinates (x = X/Z^2, y = Y/Z^3;
   Z = 0 is infinity), q affine (Z = 1), u1, u2 < 2^(64 limbs). Variable
   time: public scalars only (signature verification). ec_jacobian.c. */
void ec_double_scalar_mul_vartime(const struct ec_curve_def *c, struct ec_point *r,
                                  const uint64_t *u1, const uint64_t *u2, const struct ec_point *q);

/* Width-w NAF of k (n limbs, < 2^(64 n)): digits[i] odd in
   (-2^(w-1), 2^(w-1)) or 0, k = sum digits[i] 2^i; digits has room for
   64 n + 1. Returns the number of digits. Variable time (public k). */
size_t ec_wnaf(int8_t *digits, const uint64_t *k, size_t n, unsigned w);

/* Private scalar from big-endian bytes (exactly c->bytes long): CRYPTO_OK
   when 0 < k < n, else CRYPTO_ERR_BAD_KEY. Constant time. */
int ec_scalar_from_bytes(const struct ec_curve_def *c, uint64_t *k, const uint8_t *in);
/* pub = 04 || X || Y of priv * G. */
int ec_keygen(const struct ec_curve_def *c, uint8_t *pub, const uint8_t *priv);
/* shared = X coordinate of priv * peer, peer validated. */
int ec_ecdh(const struct ec_curve_def *c, uint8_t *shared, const uint8_t *priv,
            const uint8_t *peer, size_t peer_len);

#endif
