/* Signature checks: certificate signatures (RFC 5280 4.1.1.3) and TLS 1.3
   CertificateVerify signatures (RFC 8446 4.4.3). see x509.h */
#include "tls/x509.h"
#include "crypto/asn1.h"
#include "crypto/crypto.h"
#include "crypto/ecdsa.h"
#include "crypto/hash.h"
#include "crypto/rsa.h"

enum sig_kind { KIND_PKCS1, KIND_PSS, KIND_ECDSA };

/* Verifies sig over a digest made with h, under key; RSA moduli below
   min_bits are refused. */
static int verify_digest(const struct x509_pubkey *key, enum sig_kind kind,
                         const struct hash_alg *h, const uint8_t *digest,
                         const uint8_t *sig, size_t siglen, size_t min_bits)
{
    if (kind == KIND_ECDSA) {
        enum ec_curve curve;
        size_t coord;
        if (key->type == X509_KEY_EC_P256) {
            curve = EC_P256;
            coord = 32;
        } else if (key->type == X509_KEY_EC_P384) {
            curve = EC_P384;
            coord = 48;
        } else {
            return X509_ERR_BAD_SIGNATURE; /* key does not fit the algorithm */
        }
        uint8_t r[48], s[48];
        if (ecdsa_sig_der_to_raw(sig, siglen, r, s, coord) != CRYPTO_OK)
            return X509_ERR_BAD_SIGNATURE;
        int rc = ecdsa_verify(curve, key->point, key->pointlen, digest, h->digest_len, r, coord,
                              s, coord);
        return rc == CRYPTO_OK ? X509_OK : X509_ERR_BAD_SIGNATURE;
    }
    if (key->type != X509_KEY_RSA)
        return X509_ERR_BAD_SIGNATURE;
    size_t bits = x509_rsa_bits(key);
    if (bits < min_bits)
        return X509_ERR_KEY_TOO_SMALL;
    if (bits > 4096)
        return X509_ERR_UNSUPPORTED_ALG;
    struct rsa_pubkey pk = {key->n, key->nlen, key->e, key->elen};
    int rc = kind == KIND_PSS ? rsa_verify_pss(&pk, h, digest, sig, siglen, h->digest_len)
                              : rsa_verify_pkcs1(&pk, h, digest, sig, siglen);
    if (rc == CRYPTO_OK)
        return X509_OK;
    if (rc == CRYPTO_ERR_KEY_TOO_SMALL)
        return X509_ERR_KEY_TOO_SMALL;
    if (rc == CRYPTO_ERR_UNSUPPORTED)
        return X509_ERR_UNSUPPORTED_ALG;
    return X509_ERR_BAD_SIGNATURE;
}

/* see x509.h */
enum x509_err x509_check_cert_signature(const struct x509_cert *c, const struct x509_pubkey *issuer_key)
{
    const struct hash_alg *h;
    enum sig_kind kind;
    if (!issuer_key || issuer_key->type == X509_KEY_NONE)
        return X509_ERR_UNSUPPORTED_ALG;
    switch (c->sig_alg) {
    case X509_SIG_RSA_PKCS1_SHA256: h = &hash_sha256; kind = KIND_PKCS1; break;
    case X509_SIG_RSA_PKCS1_SHA384: h = &hash_sha384; kind = KIND_PKCS1; break;
    case X509_SIG_RSA_PKCS1_SHA512: h = &hash_sha512; kind = KIND_PKCS1; break;
    case X509_SIG_RSA_PSS_SHA256: h = &hash_sha256; kind = KIND_PSS; break;
    case X509_SIG_RSA_PSS_SHA384: h = &hash_sha384; kind = KIND_PSS; break;
    case X509_SIG_RSA_PSS_SHA512: h = &hash_sha512; kind = KIND_PSS; break;
    case X509_SIG_ECDSA_SHA256: h = &hash_sha256; kind = KIND_ECDSA; break;
    case X509_SIG_ECDSA_SHA384: h = &hash_sha384; kind = KIND_ECDSA; break;
    case X509_SIG_ECDSA_SHA512: h = &hash_sha512; kind = KIND_ECDSA; break;
    default: return X509_ERR_UNSUPPORTED_ALG;
    }
    uint8_t digest[HASH_MAX_DIGEST];
    hash_digest(h, c->tbs.p, c->tbs.len, digest);
    return verify_digest(issuer_key, kind, h, digest, c->sig.p, c->sig.len, X509_MIN_RSA_BITS);
}

/* CertificateVerify with an RSA floor of min_rsa_bits. */
static enum x509_err verify_tls(const struct x509_pubkey *key, uint16_t scheme,
                                const uint8_t *content, size_t len, const uint8_t *sig,
                                size_t siglen, unsigned min_rsa_bits)
{
    const struct hash_alg *h;
    enum sig_kind kind;
    if (!key || !content || !sig)
        return X509_ERR_BAD_ARG;
    if (key->type == X509_KEY_NONE)
        return X509_ERR_UNSUPPORTED_ALG;
    /* RFC 8446 4.2.3: ECDSA schemes pin the curve; RSA must be PSS. */
    switch (scheme) {
    case X509_TLS_ECDSA_SECP256R1_SHA256:
        if (key->type != X509_KEY_EC_P256)
            return X509_ERR_UNSUPPORTED_ALG;
        h = &hash_sha256;
        kind = KIND_ECDSA;
        break;
    case X509_TLS_ECDSA_SECP384R1_SHA384:
        if (key->type != X509_KEY_EC_P384)
            return X509_ERR_UNSUPPORTED_ALG;
        h = &hash_sha384;
        kind = KIND_ECDSA;
        break;
    case X509_TLS_RSA_PSS_RSAE_SHA256:
    case X509_TLS_RSA_PSS_RSAE_SHA384:
    case X509_TLS_RSA_PSS_RSAE_SHA512:
        if (key->type != X509_KEY_RSA)
            return X509_ERR_UNSUPPORTED_ALG;
        h = scheme == X509_TLS_RSA_PSS_RSAE_SHA256 ? &hash_sha256
            : scheme == X509_TLS_RSA_PSS_RSAE_SHA384 ? &hash_sha384 : &hash_sha512;
        kind = KIND_PSS;
        break;
    default:
        return X509_ERR_UNSUPPORTED_ALG;
    }
    uint8_t digest[HASH_MAX_DIGEST];
    hash_digest(h, content, len, digest);
    return verify_digest(key, kind, h, digest, sig, siglen, min_rsa_bits);
}

/* see x509.h */
enum x509_err x509_verify_tls_signature(const struct x509_pubkey *key, uint16_t scheme,
                                        const uint8_t *content, size_t len,
                                        const uint8_t *sig, size_t siglen)
{
    return verify_tls(key, scheme, content, len, sig, siglen, X509_MIN_RSA_BITS);
}

#ifdef TLS_TEST_HOOKS
/* see x509.h */
enum x509_err x509_test_verify_tls_signature_rsa1024(const struct x509_pubkey *key,
                                                     uint16_t scheme, const uint8_t *content,
                                                     size_t len, const uint8_t *sig,
                                                     size_t siglen)
{
    return verify_tls(key, scheme, content, len, sig, siglen, 1024);
}
#endif
