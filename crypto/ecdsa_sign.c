/* see ecdsa.h: ECDSA signing, FIPS 186-5 section 6.4.1 with the nonce of
   RFC 6979 section 3.2 (optionally hedged with 3.6's additional data).
   Every operation on d and k is constant time: the fixed-base scalar
   multiplication of ec_base.c, Montgomery products mod n, and an inversion
   by Fermat's little theorem whose exponent n - 2 is public. The only
   branches are on values declared public (crypto_declassify): whether the
   key is valid, and the RFC's rejection of k outside [1, n-1] (probability
   about 2^-32 on P-256, 2^-194 on P-384) or of r or s = 0 (about 2^-256). */
#include "crypto/ecdsa.h"
#include "crypto/ec_internal.h"
#include "crypto/p256_point.h"
#include "crypto/bn.h"
#include "crypto/hmac.h"
#include <string.h>

/* HMAC_K(V || sep || x || h [|| extra]) with sep < 0 meaning "V only". */
static void drbg_hmac(const struct hash_alg *alg, uint8_t *out, const uint8_t *key,
                      const uint8_t *v, int sep, const uint8_t *x, const uint8_t *h, size_t ql,
                      const uint8_t *extra, size_t extralen)
{
    hmac_ctx m;
    hmac_init(&m, alg, key, alg->digest_len);
    hmac_update(&m, v, alg->digest_len);
    if (sep >= 0) {
        uint8_t b = (uint8_t)sep;
        hmac_update(&m, &b, 1);
        if (x) {
            hmac_update(&m, x, ql);
            hmac_update(&m, h, ql);
            if (extralen)
                hmac_update(&m, extra, extralen);
        }
    }
    hmac_final(&m, out);
}

/* v = v mod n for v < 2n, constant time (t: scratch). */
static void reduce_once(const struct ec_curve_def *c, uint64_t *v, uint64_t *t)
{
    uint64_t below = bn_lt_mask(v, c->n, c->limbs);
    bn_sub(t, v, c->n, c->limbs);
    bn_select(v, below, v, t, c->limbs);
}

int ecdsa_sign_p1363(enum ec_curve curve, uint8_t *sig, size_t siglen, const uint8_t *priv,
                     size_t privlen, const uint8_t *hash, size_t hashlen, const uint8_t *extra,
                     size_t extralen)
{
    const struct ec_curve_def *c;
    const struct hash_alg *alg;
    if (curve == EC_P256) {
        c = &ec_p256;
        alg = &hash_sha256;
    } else if (curve == EC_P384) {
        c = &ec_p384;
        alg = &hash_sha384;
    } else {
        return CRYPTO_ERR_UNSUPPORTED;
    }
    size_t n = c->limbs, ql = c->bytes; /* qlen = 8 ql = 8 hlen for both curves */
    if (!sig || siglen != 2 * ql || (!hash && hashlen) || (!extra && extralen))
        return CRYPTO_ERR_BAD_LENGTH;
    if (!priv || privlen != ql)
        return CRYPTO_ERR_BAD_KEY;
    uint64_t d[EC_MAX_LIMBS], e[EC_MAX_LIMBS], k[EC_MAX_LIMBS], r[EC_MAX_LIMBS],
        s[EC_MAX_LIMBS], t[EC_MAX_LIMBS];
    uint8_t h1[EC_MAX_BYTES], K[64], V[64];
    struct ec_point R;
    int rc = ec_scalar_from_bytes(c, d, priv);
    crypto_declassify(&rc, sizeof rc);   /* a key's validity is not secret */
    if (rc != CRYPTO_OK) {
        crypto_zeroize(d, sizeof d);
        return rc;
    }
    /* e = bits2int(hash) mod n; bits2octets(hash) = e as ql bytes (3.2 a) */
    memset(h1, 0, sizeof h1);
    size_t hl = hashlen < ql ? hashlen : ql;
    if (hl)
        memcpy(h1 + (ql - hl), hash, hl); /* shorter hash: right-aligned */
    memset(e, 0, sizeof e);
    bn_from_be(e, n, h1, ql);
    reduce_once(c, e, t);
    bn_to_be(h1, ql, e, n);
    /* 3.2 b-g */
    size_t hlen = alg->digest_len;
    memset(V, 0x01, hlen);
    memset(K, 0x00, hlen);
    drbg_hmac(alg, K, K, V, 0x00, priv, h1, ql, extra, extralen);
    drbg_hmac(alg, V, K, V, -1, NULL, NULL, 0, NULL, 0);
    drbg_hmac(alg, K, K, V, 0x01, priv, h1, ql, extra, extralen);
    drbg_hmac(alg, V, K, V, -1, NULL, NULL, 0, NULL, 0);
    for (;;) {
        /* 3.2 h: one block of T suffices (qlen = hlen bits) */
        drbg_hmac(alg, V, K, V, -1, NULL, NULL, 0, NULL, 0);
        bn_from_be(k, n, V, ql);
        uint64_t ok = bn_lt_mask(k, c->n, n) & ~bn_zero_mask(k, n);
        crypto_declassify(&ok, sizeof ok);   /* a rejected candidate is discarded */
        if (ok) {
            /* FIPS 186-5 6.4.1: R = k G, r = x(R) mod n (x < p < 2n) */
            uint8_t xb[EC_MAX_BYTES];
            if (c == &ec_p256) { /* dedicated field and table, p256_point.c */
                rc = p256_point_mul_base(xb, NULL, k);
            } else {
                ec_scalar_mul_base(c, &R, k);
                rc = ec_point_to_affine(c, xb, NULL, &R);
            }
            bn_from_be(r, n, xb, ql);
            crypto_zeroize(xb, sizeof xb);
            reduce_once(c, r, t);
            /* s = k^-1 (e + r d) mod n */
            ec_sc_mul(c, t, d, c->n_r2);     /* d R */
            ec_sc_mul(c, t, r, t);           /* r d */
            bn_mod_add(t, t, e, c->n, n);    /* e + r d */
            ec_sc_inv(c, s, k);                 /* k^-1 R */
            ec_sc_mul(c, s, s, t);           /* k^-1 (e + r d) */
            uint64_t done = ~(bn_zero_mask(r, n) | bn_zero_mask(s, n)) & ct_is_zero64((uint64_t)rc);
            crypto_declassify(&done, sizeof done);   /* r and s are the output */
            if (done)
                break;
        }
        drbg_hmac(alg, K, K, V, 0x00, NULL, NULL, 0, NULL, 0);
        drbg_hmac(alg, V, K, V, -1, NULL, NULL, 0, NULL, 0);
    }
    bn_to_be(sig, ql, r, n);
    bn_to_be(sig + ql, ql, s, n);
    crypto_zeroize(d, sizeof d);
    crypto_zeroize(k, sizeof k);
    crypto_zeroize(t, sizeof t);
    crypto_zeroize(K, sizeof K);
    crypto_zeroize(V, sizeof V);
    crypto_zeroize(&R, sizeof R);
    return CRYPTO_OK;
}

/* DER INTEGER of a big-endian unsigned value: leading zeros dropped, a 0x00
   prepended when the top bit is set. Returns the bytes written. */
static size_t der_uint(uint8_t *out, const uint8_t *v, size_t len)
{
    size_t i = 0;
    while (i + 1 < len && v[i] == 0)
        i++;
    size_t body = len - i + (v[i] >> 7);
    out[0] = 0x02;
    out[1] = (uint8_t)body;
    size_t o = 2;
    if (v[i] >> 7)
        out[o++] = 0;
    memcpy(out + o, v + i, len - i);
    return 2 + body;
}

int ecdsa_sign_der(enum ec_curve curve, uint8_t *out, size_t cap, size_t *outlen,
                   const uint8_t *priv, size_t privlen, const uint8_t *hash, size_t hashlen,
                   const uint8_t *extra, size_t extralen)
{
    size_t cl = curve == EC_P256 ? 32 : curve == EC_P384 ? 48 : 0;
    if (!cl)
        return CRYPTO_ERR_UNSUPPORTED;
    if (!out || !outlen || cap < ECDSA_DER_MAX(cl))
        return CRYPTO_ERR_BAD_LENGTH;
    uint8_t raw[2 * EC_MAX_BYTES], body[2 * (EC_MAX_BYTES + 3)];
    int rc = ecdsa_sign_p1363(curve, raw, 2 * cl, priv, privlen, hash, hashlen, extra, extralen);
    if (rc != CRYPTO_OK)
        return rc;
    size_t bl = der_uint(body, raw, cl);
    bl += der_uint(body + bl, raw + cl, cl);
    size_t o = 0;
    out[o++] = 0x30;
    if (bl >= 0x80)
        out[o++] = 0x81;
    out[o++] = (uint8_t)bl;
    memcpy(out + o, body, bl);
    *outlen = o + bl;
    return CRYPTO_OK;
}
