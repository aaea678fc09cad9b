/* see ec_internal.h: key generation and ECDH (SEC 1 3.3.1) shared by the
   P-256 and P-384 front ends. Everything touching the private scalar is
   constant time, including the error paths: an out-of-range scalar is
   replaced by 1 for the computation and the error is merged in with masks,
   so no branch depends on secret data (checked with valgrind, tests/ct). */
#include "crypto/ec_internal.h"
#include "crypto/p256_point.h"
#include "crypto/bn.h"

/* a if a != 0, else b; branch-free. */
static int first_err(int a, int b)
{
    uint32_t m = ct_is_zero32((uint32_t)a);
    return (int)((uint32_t)a | ((uint32_t)b & m));
}

int ec_scalar_from_bytes(const struct ec_curve_def *c, uint64_t *k, const uint8_t *in)
{
    bn_from_be(k, c->limbs, in, c->bytes);
    uint64_t ok = ~bn_zero_mask(k, c->limbs) & bn_lt_mask(k, c->n, c->limbs);
    /* an invalid scalar becomes 1 so callers can compute unconditionally */
    for (size_t i = 0; i < c->limbs; i++)
        k[i] = (k[i] & ok) | ((i == 0) & ~ok);
    return (int)((uint32_t)~ok & CRYPTO_ERR_BAD_KEY);
}

/* Zeroes n bytes at out unless keep (0 or all-ones) is set; branch-free. */
static void wipe_unless(uint8_t *out, size_t n, uint32_t keep)
{
    for (size_t i = 0; i < n; i++)
        out[i] &= (uint8_t)keep;
}

int ec_keygen(const struct ec_curve_def *c, uint8_t *pub, const uint8_t *priv)
{
    uint64_t k[EC_MAX_LIMBS];
    struct ec_point q;
    int rc = ec_scalar_from_bytes(c, k, priv);
    pub[0] = 0x04;
    if (c == &ec_p256) { /* the dedicated field and table (p256_point.c) */
        rc = first_err(rc, p256_point_mul_base(pub + 1, pub + 1 + c->bytes, k));
    } else {
        ec_scalar_mul_base(c, &q, k);
        rc = first_err(rc, ec_point_to_affine(c, pub + 1, pub + 1 + c->bytes, &q));
    }
    wipe_unless(pub, 1 + 2 * c->bytes, ct_is_zero32((uint32_t)rc)); /* no key on error */
    crypto_zeroize(k, sizeof k);
    crypto_zeroize(&q, sizeof q);
    return rc;
}

int ec_ecdh(const struct ec_curve_def *c, uint8_t *shared, const uint8_t *priv,
            const uint8_t *peer, size_t peer_len)
{
    uint64_t k[EC_MAX_LIMBS];
    struct ec_point p, q;
    int rc = ec_point_decode(c, &p, peer, peer_len); /* public data */
    if (rc != CRYPTO_OK)
        return rc;
    rc = ec_scalar_from_bytes(c, k, priv);
    /* prime-order curve: infinity only from an invalid point or scalar */
    if (c == &ec_p256) {
        rc = first_err(rc, p256_point_mul(shared, NULL, k, &p));
    } else {
        ec_scalar_mul(c, &q, k, &p);
        rc = first_err(rc, ec_point_to_affine(c, shared, NULL, &q));
    }
    uint8_t acc = 0;
    for (size_t i = 0; i < c->bytes; i++)
        acc |= shared[i];
    rc = first_err(rc, (int)(ct_is_zero32(acc) & CRYPTO_ERR_ZERO_SECRET));
    /* on a bad scalar the output (computed with 1) must not escape */
    wipe_unless(shared, c->bytes, ct_is_zero32((uint32_t)rc) | ct_eq32((uint32_t)rc, CRYPTO_ERR_ZERO_SECRET));
    crypto_zeroize(k, sizeof k);
    crypto_zeroize(&q, sizeof q);
    return rc;
}
