/* Algorithm identifiers and SubjectPublicKeyInfo decoding (RFC 4055, RFC 5480,
   RFC 5758, RFC 8017). see x509.h / x509_oid.h */
#include "tls/x509.h"
#include "tls/x509_oid.h"
#include <string.h>

/* RFC 4055 2.1: a hash AlgorithmIdentifier whose parameters are NULL or absent. */
static int hash_alg_id(struct asn1_reader *r, int *which /* 256/384/512 */)
{
    struct asn1_reader seq;
    const uint8_t *oid;
    size_t olen;
    if (asn1_enter(r, ASN1_TAG_SEQUENCE, &seq) || asn1_read_oid(&seq, &oid, &olen))
        return X509_ERR_MALFORMED;
    if (!asn1_at_end(&seq) && (asn1_read_null(&seq) || !asn1_at_end(&seq)))
        return X509_ERR_MALFORMED;
    if (ASN1_OID_EQ(oid, olen, X509_OID_SHA256))
        *which = 256;
    else if (ASN1_OID_EQ(oid, olen, X509_OID_SHA384))
        *which = 384;
    else if (ASN1_OID_EQ(oid, olen, X509_OID_SHA512))
        *which = 512;
    else
        return X509_ERR_UNSUPPORTED_ALG;
    return X509_OK;
}

/* RFC 4055 3.1 RSASSA-PSS-params. We take only hash in {SHA-256, SHA-384,
   SHA-512}, MGF1 with the same hash, saltLength = hash length, trailerField 1
   (the profile of RFC 8446 4.2.3 rsa_pss_* and of CA/B Forum). The SHA-1
   defaults are refused as unsupported. */
static int pss_params(struct asn1_reader *params, int *alg)
{
    struct asn1_reader p, t, mgf;
    struct asn1_tlv tlv;
    int present, hash = 0, mgf_hash = 0;
    int64_t salt = 20, trailer = 1;
    if (asn1_enter(params, ASN1_TAG_SEQUENCE, &p) || !asn1_at_end(params))
        return X509_ERR_MALFORMED;
    if (asn1_optional(&p, ASN1_TAG_CTX_CONS(0), &tlv, &present))
        return X509_ERR_MALFORMED;
    if (!present)
        return X509_ERR_UNSUPPORTED_ALG; /* SHA-1 default */
    asn1_init(&t, tlv.val, tlv.len);
    int e = hash_alg_id(&t, &hash);
    if (e)
        return e;
    if (!asn1_at_end(&t))
        return X509_ERR_MALFORMED;
    if (asn1_optional(&p, ASN1_TAG_CTX_CONS(1), &tlv, &present))
        return X509_ERR_MALFORMED;
    if (!present)
        return X509_ERR_UNSUPPORTED_ALG; /* MGF1 with SHA-1 */
    asn1_init(&t, tlv.val, tlv.len);
    const uint8_t *oid;
    size_t olen;
    if (asn1_enter(&t, ASN1_TAG_SEQUENCE, &mgf) || !asn1_at_end(&t) || asn1_read_oid(&mgf, &oid, &olen))
        return X509_ERR_MALFORMED;
    if (!ASN1_OID_EQ(oid, olen, X509_OID_MGF1))
        return X509_ERR_UNSUPPORTED_ALG;
    e = hash_alg_id(&mgf, &mgf_hash);
    if (e)
        return e;
    if (!asn1_at_end(&mgf))
        return X509_ERR_MALFORMED;
    if (asn1_optional(&p, ASN1_TAG_CTX_CONS(2), &tlv, &present))
        return X509_ERR_MALFORMED;
    if (present) {
        asn1_init(&t, tlv.val, tlv.len);
        if (asn1_read_int64(&t, &salt) || !asn1_at_end(&t))
            return X509_ERR_MALFORMED;
    }
    if (asn1_optional(&p, ASN1_TAG_CTX_CONS(3), &tlv, &present))
        return X509_ERR_MALFORMED;
    if (present) {
        asn1_init(&t, tlv.val, tlv.len);
        if (asn1_read_int64(&t, &trailer) || !asn1_at_end(&t))
            return X509_ERR_MALFORMED;
    }
    if (!asn1_at_end(&p))
        return X509_ERR_MALFORMED;
    if (mgf_hash != hash || salt != hash / 8 || trailer != 1)
        return X509_ERR_UNSUPPORTED_ALG;
    *alg = hash == 256 ? X509_SIG_RSA_PSS_SHA256 : hash == 384 ? X509_SIG_RSA_PSS_SHA384
                                                               : X509_SIG_RSA_PSS_SHA512;
    return X509_OK;
}

/* see x509_oid.h */
enum x509_err x509_parse_sig_alg(struct asn1_reader *r, int *alg)
{
    struct asn1_reader seq;
    const uint8_t *oid;
    size_t olen;
    if (asn1_enter(r, ASN1_TAG_SEQUENCE, &seq) || asn1_read_oid(&seq, &oid, &olen))
        return X509_ERR_MALFORMED;
    if (ASN1_OID_EQ(oid, olen, X509_OID_RSASSA_PSS))
        return pss_params(&seq, alg);
    /* RFC 5758 3.2: ECDSA parameters are absent. */
    int ec = 0;
    if (ASN1_OID_EQ(oid, olen, X509_OID_ECDSA_SHA256))
        ec = X509_SIG_ECDSA_SHA256;
    else if (ASN1_OID_EQ(oid, olen, X509_OID_ECDSA_SHA384))
        ec = X509_SIG_ECDSA_SHA384;
    else if (ASN1_OID_EQ(oid, olen, X509_OID_ECDSA_SHA512))
        ec = X509_SIG_ECDSA_SHA512;
    if (ec) {
        if (!asn1_at_end(&seq))
            return X509_ERR_MALFORMED;
        *alg = ec;
        return X509_OK;
    }
    int rsa = 0;
    if (ASN1_OID_EQ(oid, olen, X509_OID_SHA256_RSA))
        rsa = X509_SIG_RSA_PKCS1_SHA256;
    else if (ASN1_OID_EQ(oid, olen, X509_OID_SHA384_RSA))
        rsa = X509_SIG_RSA_PKCS1_SHA384;
    else if (ASN1_OID_EQ(oid, olen, X509_OID_SHA512_RSA))
        rsa = X509_SIG_RSA_PKCS1_SHA512;
    if (!rsa)
        return X509_ERR_UNSUPPORTED_ALG;
    /* RFC 4055 5: parameters NULL (absent tolerated, as some encoders do). */
    if (!asn1_at_end(&seq) && (asn1_read_null(&seq) || !asn1_at_end(&seq)))
        return X509_ERR_MALFORMED;
    *alg = rsa;
    return X509_OK;
}

/* RFC 8017 A.1.1 RSAPublicKey ::= SEQUENCE { modulus, publicExponent }. */
static int rsa_key(struct x509_pubkey *k, const uint8_t *bits, size_t blen)
{
    struct asn1_reader r, seq;
    asn1_init(&r, bits, blen);
    if (asn1_enter(&r, ASN1_TAG_SEQUENCE, &seq) || !asn1_at_end(&r))
        return X509_ERR_MALFORMED;
    if (asn1_read_uint(&seq, &k->n, &k->nlen) || asn1_read_uint(&seq, &k->e, &k->elen) ||
        !asn1_at_end(&seq))
        return X509_ERR_MALFORMED;
    /* modulus odd and non-trivial, exponent odd and > 1 */
    if (k->nlen < 2 || !(k->n[k->nlen - 1] & 1) || !(k->e[k->elen - 1] & 1) ||
        (k->elen == 1 && k->e[0] == 1) || k->elen > 8)
        return X509_ERR_MALFORMED;
    k->type = X509_KEY_RSA;
    return X509_OK;
}

/* see x509.h */
enum x509_err x509_parse_spki(struct x509_pubkey *key, const uint8_t *der, size_t len)
{
    struct asn1_reader r, spki, alg;
    const uint8_t *oid, *bits;
    size_t olen, blen;
    memset(key, 0, sizeof *key);
    if (!der)
        return X509_ERR_BAD_ARG;
    asn1_init(&r, der, len);
    if (asn1_enter(&r, ASN1_TAG_SEQUENCE, &spki) || !asn1_at_end(&r))
        return X509_ERR_MALFORMED;
    if (asn1_enter(&spki, ASN1_TAG_SEQUENCE, &alg) || asn1_read_oid(&alg, &oid, &olen))
        return X509_ERR_MALFORMED;
    if (asn1_read_bits(&spki, &bits, &blen, NULL) || !asn1_at_end(&spki))
        return X509_ERR_MALFORMED;
    if (ASN1_OID_EQ(oid, olen, X509_OID_RSA_ENCRYPTION)) {
        /* RFC 3279 2.3.1: parameters NULL */
        if (asn1_read_null(&alg) || !asn1_at_end(&alg))
            return X509_ERR_MALFORMED;
        return rsa_key(key, bits, blen);
    }
    if (ASN1_OID_EQ(oid, olen, X509_OID_EC_PUBLIC_KEY)) {
        /* RFC 5480 2.1.1: namedCurve only */
        const uint8_t *curve;
        size_t clen;
        if (asn1_read_oid(&alg, &curve, &clen)) {
            return X509_ERR_UNSUPPORTED_ALG; /* implicit / specified curves */
        }
        if (!asn1_at_end(&alg))
            return X509_ERR_MALFORMED;
        size_t coord;
        if (ASN1_OID_EQ(curve, clen, X509_OID_P256)) {
            key->type = X509_KEY_EC_P256;
            coord = 32;
        } else if (ASN1_OID_EQ(curve, clen, X509_OID_P384)) {
            key->type = X509_KEY_EC_P384;
            coord = 48;
        } else {
            return X509_ERR_UNSUPPORTED_ALG;
        }
        /* RFC 5480 2.2: uncompressed form only */
        if (blen != 1 + 2 * coord || bits[0] != 0x04) {
            key->type = X509_KEY_NONE;
            return blen > 0 && (bits[0] == 0x02 || bits[0] == 0x03) ? X509_ERR_UNSUPPORTED_ALG
                                                                     : X509_ERR_MALFORMED;
        }
        key->point = bits;
        key->pointlen = blen;
        return X509_OK;
    }
    return X509_ERR_UNSUPPORTED_ALG;
}

/* see x509.h */
size_t x509_rsa_bits(const struct x509_pubkey *key)
{
    if (key->type != X509_KEY_RSA || key->nlen == 0)
        return 0;
    size_t bits = (key->nlen - 1) * 8;
    for (uint8_t top = key->n[0]; top; top >>= 1)
        bits++;
    return bits;
}
