/* Certificate parsing (RFC 5280 4.1) and names. see x509.h */
#include "tls/x509.h"
#include "tls/x509_oid.h"
#include "tls/x509_ext.h"
#include <string.h>

/* Name ::= SEQUENCE OF RelativeDistinguishedName (SET OF
   AttributeTypeAndValue { type OID, value ANY }), RFC 5280 4.1.2.4. Checks the
   structure and remembers the last commonName value (the most specific). */
static int parse_name(const struct asn1_tlv *name, struct x509_span *cn)
{
    struct asn1_reader r, rdn, atv;
    asn1_init(&r, name->val, name->len);
    while (!asn1_at_end(&r)) {
        if (asn1_enter(&r, ASN1_TAG_SET, &rdn) || asn1_at_end(&rdn))
            return X509_ERR_MALFORMED;
        while (!asn1_at_end(&rdn)) {
            const uint8_t *oid;
            size_t olen;
            struct asn1_tlv val;
            if (asn1_enter(&rdn, ASN1_TAG_SEQUENCE, &atv) || asn1_read_oid(&atv, &oid, &olen) ||
                asn1_read_tlv(&atv, &val) || !asn1_at_end(&atv))
                return X509_ERR_MALFORMED;
            if (cn && ASN1_OID_EQ(oid, olen, X509_OID_CN)) {
                cn->p = val.val;
                cn->len = val.len;
            }
        }
    }
    return X509_OK;
}

/* see x509_ext.h */
enum x509_err x509_name_cn(const uint8_t *name, size_t len, struct x509_span *cn)
{
    struct asn1_reader r;
    struct asn1_tlv t;
    cn->p = NULL;
    cn->len = 0;
    asn1_init(&r, name, len);
    if (asn1_expect(&r, ASN1_TAG_SEQUENCE, &t) || !asn1_at_end(&r))
        return X509_ERR_MALFORMED;
    return parse_name(&t, cn);
}

static int parse_validity(struct asn1_reader *tbs, struct x509_cert *c)
{
    struct asn1_reader v;
    if (asn1_enter(tbs, ASN1_TAG_SEQUENCE, &v) || asn1_read_time(&v, &c->not_before) ||
        asn1_read_time(&v, &c->not_after) || !asn1_at_end(&v))
        return X509_ERR_MALFORMED;
    return X509_OK;
}

/* see x509.h */
enum x509_err x509_parse(struct x509_cert *c, const uint8_t *der, size_t len)
{
    struct asn1_reader top, cert, tbs;
    struct asn1_tlv t, tbs_tlv;
    int present, e;
    if (!c || !der)
        return X509_ERR_BAD_ARG;
    memset(c, 0, sizeof *c);
    c->path_len = -1;
    asn1_init(&top, der, len);
    /* Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue } */
    if (asn1_expect(&top, ASN1_TAG_SEQUENCE, &t) || !asn1_at_end(&top))
        return X509_ERR_MALFORMED;
    c->raw.p = t.hdr;
    c->raw.len = t.total;
    asn1_init(&cert, t.val, t.len);
    if (asn1_expect(&cert, ASN1_TAG_SEQUENCE, &tbs_tlv))
        return X509_ERR_MALFORMED;
    c->tbs.p = tbs_tlv.hdr;
    c->tbs.len = tbs_tlv.total;

    /* outer signatureAlgorithm: keep its encoding to compare with the inner one */
    struct asn1_tlv outer_alg;
    struct asn1_reader save = cert;
    if (asn1_expect(&cert, ASN1_TAG_SEQUENCE, &outer_alg))
        return X509_ERR_MALFORMED;
    cert = save;
    /* An algorithm we do not implement (SHA-1, Ed25519, ...) still parses,
       as X509_SIG_NONE: such a certificate can be an anchor's own copy or an
       unused extra, and fails with X509_ERR_UNSUPPORTED_ALG only if its
       signature has to be checked. */
    e = x509_parse_sig_alg(&cert, &c->sig_alg);
    if (e == X509_ERR_UNSUPPORTED_ALG)
        c->sig_alg = X509_SIG_NONE;
    else if (e)
        return e;
    const uint8_t *sig;
    size_t siglen;
    if (asn1_read_bits(&cert, &sig, &siglen, NULL) || !asn1_at_end(&cert) || siglen == 0)
        return X509_ERR_MALFORMED;
    c->sig.p = sig;
    c->sig.len = siglen;

    asn1_init(&tbs, tbs_tlv.val, tbs_tlv.len);
    /* version [0] EXPLICIT Version DEFAULT v1 */
    c->version = 1;
    if (asn1_optional(&tbs, ASN1_TAG_CTX_CONS(0), &t, &present))
        return X509_ERR_MALFORMED;
    if (present) {
        struct asn1_reader vr;
        int64_t v;
        asn1_init(&vr, t.val, t.len);
        if (asn1_read_int64(&vr, &v) || !asn1_at_end(&vr) || v < 0 || v > 2)
            return X509_ERR_MALFORMED;
        c->version = (int)v + 1;
    }
    /* serialNumber: RFC 5280 4.1.2.2 allows up to 20 octets; tolerate a few
       more (non-conforming CAs exist) but refuse absurd ones. */
    const uint8_t *serial;
    size_t slen;
    if (asn1_read_integer(&tbs, &serial, &slen) || slen > 32)
        return X509_ERR_MALFORMED;
    c->serial.p = serial;
    c->serial.len = slen;
    /* signature: must be identical to signatureAlgorithm (4.1.1.2) */
    struct asn1_tlv inner_alg;
    if (asn1_expect(&tbs, ASN1_TAG_SEQUENCE, &inner_alg))
        return X509_ERR_MALFORMED;
    if (inner_alg.total != outer_alg.total || memcmp(inner_alg.hdr, outer_alg.hdr, inner_alg.total))
        return X509_ERR_MALFORMED;
    /* issuer, validity, subject */
    if (asn1_expect(&tbs, ASN1_TAG_SEQUENCE, &t) || t.len == 0 || parse_name(&t, &c->issuer_cn))
        return X509_ERR_MALFORMED;
    c->issuer.p = t.hdr;
    c->issuer.len = t.total;
    if ((e = parse_validity(&tbs, c)))
        return e;
    if (asn1_expect(&tbs, ASN1_TAG_SEQUENCE, &t) || parse_name(&t, &c->cn))
        return X509_ERR_MALFORMED;
    c->subject.p = t.hdr;
    c->subject.len = t.total;
    /* subjectPublicKeyInfo */
    if (asn1_expect(&tbs, ASN1_TAG_SEQUENCE, &t))
        return X509_ERR_MALFORMED;
    c->spki.p = t.hdr;
    c->spki.len = t.total;
    /* Likewise an unsupported key type leaves key.type = X509_KEY_NONE. */
    e = x509_parse_spki(&c->key, t.hdr, t.total);
    if (e == X509_ERR_UNSUPPORTED_ALG)
        memset(&c->key, 0, sizeof c->key);
    else if (e)
        return e;
    /* issuerUniqueID [1], subjectUniqueID [2] (v2/v3 only): skipped */
    for (uint8_t n = 1; n <= 2; n++) {
        if (asn1_optional(&tbs, ASN1_TAG_CTX_PRIM(n), &t, &present))
            return X509_ERR_MALFORMED;
        if (present && c->version < 2)
            return X509_ERR_MALFORMED;
    }
    /* extensions [3] EXPLICIT (v3 only) */
    if (asn1_optional(&tbs, ASN1_TAG_CTX_CONS(3), &t, &present))
        return X509_ERR_MALFORMED;
    if (present) {
        if (c->version != 3)
            return X509_ERR_MALFORMED;
        struct asn1_reader er;
        asn1_init(&er, t.val, t.len);
        if ((e = x509_parse_extensions(&er, c)))
            return e;
        if (!asn1_at_end(&er))
            return X509_ERR_MALFORMED;
    }
    if (!asn1_at_end(&tbs))
        return X509_ERR_MALFORMED;
    /* An empty subject needs a critical SAN (4.1.2.6); we only need a usable
       name for chaining, so an empty subject is accepted for leaves. */
    return X509_OK;
}
