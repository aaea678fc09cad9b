/* see ecdsa.h. FIPS 186-5 6.4.2, with the final comparison done in
   Jacobian coordinates: x(R) mod n == r  iff  X == r Z^2 or (r + n < p and
   X == (r + n) Z^2), which saves the field inversion. */
#include "crypto/ecdsa.h"
#include "crypto/ec_internal.h"
#include "crypto/p256_point.h"
#include "crypto/bn.h"
#include <string.h>

/* Big-endian integer of any length into limbs; -1 if it does not fit. */
static int load_int(const struct ec_curve_def *c, uint64_t *v, const uint8_t *in, size_t len)
{
    if (len == 0 || len > 2 * c->bytes)
        return CRYPTO_ERR_BAD_LENGTH;
    return bn_from_be(v, c->limbs, in, len) == 0 ? CRYPTO_OK : CRYPTO_ERR_BAD_SIGNATURE;
}

int ecdsa_verify(enum ec_curve curve, const uint8_t *pub, size_t publen, const uint8_t *hash,
                 size_t hashlen, const uint8_t *r, size_t rlen, const uint8_t *s, size_t slen)
{
    const struct ec_curve_def *c;
    if (curve == EC_P256)
        c = &ec_p256;
    else if (curve == EC_P384)
        c = &ec_p384;
    else
        return CRYPTO_ERR_UNSUPPORTED;
    size_t n = c->limbs;
    struct ec_point q, x;
    uint64_t rv[EC_MAX_LIMBS], sv[EC_MAX_LIMBS], e[EC_MAX_LIMBS], w[EC_MAX_LIMBS],
        u1[EC_MAX_LIMBS], u2[EC_MAX_LIMBS], t[EC_MAX_LIMBS], rz[EC_MAX_LIMBS];
    int rc = ec_point_decode(c, &q, pub, publen);
    if (rc != CRYPTO_OK)
        return rc;
    if ((rc = load_int(c, rv, r, rlen)) != CRYPTO_OK || (rc = load_int(c, sv, s, slen)) != CRYPTO_OK)
        return rc;
    /* step 1: 0 < r, s < n */
    if (bn_zero_mask(rv, n) || bn_zero_mask(sv, n) || !bn_lt_mask(rv, c->n, n) ||
        !bn_lt_mask(sv, c->n, n))
        return CRYPTO_ERR_BAD_SIGNATURE;
    if (!hash && hashlen)
        return CRYPTO_ERR_BAD_LENGTH;
    /* step 3: leftmost min(len(n), 8 hashlen) bits; both orders are whole bytes */
    bn_from_be(e, n, hash, hashlen < c->bytes ? hashlen : c->bytes);
    if (!bn_lt_mask(e, c->n, n)) /* e < 2^bits < 2n: one subtraction reduces */
        bn_sub(e, e, c->n, n);
    /* step 4: w = s^-1 mod n by Fermat (4-bit window over the public
       exponent n - 2), in the Montgomery domain of n */
    ec_sc_inv(c, w, sv); /* s^-1 R */
    /* step 5: u1 = e w, u2 = r w (plain form: the R factors cancel) */
    ec_sc_mul(c, u1, e, w);
    ec_sc_mul(c, u2, rv, w);
    /* step 6: R = u1 G + u2 Q (Jacobian); infinity rejects */
    if (c == &ec_p256)
        p256_point_mul_double_vartime(&x, u1, u2, &q);
    else
        ec_double_scalar_mul_vartime(c, &x, u1, u2, &q);
    if (bn_zero_mask(x.z, n))
        return CRYPTO_ERR_BAD_SIGNATURE;
    /* steps 7-8 with x(R) = X / Z^2 */
    uint64_t z2[EC_MAX_LIMBS];
    ec_fe_mul(c, z2, x.z, x.z);
    ec_fe_mul(c, t, rv, c->p_r2); /* r in the field's Montgomery form (r < n < p) */
    ec_fe_mul(c, rz, t, z2);
    if (bn_eq_mask(rz, x.x, n))
        return CRYPTO_OK;
    uint64_t rn[EC_MAX_LIMBS];
    if (bn_add(rn, rv, c->n, n) == 0 && bn_lt_mask(rn, c->p, n)) {
        ec_fe_mul(c, t, rn, c->p_r2);
        ec_fe_mul(c, rz, t, z2);
        if (bn_eq_mask(rz, x.x, n))
            return CRYPTO_OK;
    }
    return CRYPTO_ERR_BAD_SIGNATURE;
}

int ecdsa_verify_p1363(enum ec_curve curve, const uint8_t *pub, size_t publen,
                       const uint8_t *hash, size_t hashlen, const uint8_t *sig, size_t siglen)
{
    size_t cl = curve == EC_P256 ? 32 : curve == EC_P384 ? 48 : 0;
    if (!cl)
        return CRYPTO_ERR_UNSUPPORTED;
    if (!sig || siglen != 2 * cl)
        return CRYPTO_ERR_BAD_LENGTH;
    return ecdsa_verify(curve, pub, publen, hash, hashlen, sig, cl, sig + cl, cl);
}
