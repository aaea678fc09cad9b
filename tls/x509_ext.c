/* X.509 v3 extensions (RFC 5280 4.2). see x509_ext.h */
#include "tls/x509_ext.h"
#include "tls/x509_oid.h"
#include "lib/ascii.h"

/* 4.2.1.9 BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE,
   pathLenConstraint INTEGER (0..MAX) OPTIONAL } */
static int ext_basic_constraints(struct asn1_reader *r, struct x509_cert *c)
{
    struct asn1_reader seq;
    uint8_t tag;
    if (asn1_enter(r, ASN1_TAG_SEQUENCE, &seq))
        return X509_ERR_MALFORMED;
    int ca = 0;
    if (asn1_peek_tag(&seq, &tag) == ASN1_OK && tag == ASN1_TAG_BOOLEAN && asn1_read_bool(&seq, &ca))
        return X509_ERR_MALFORMED;
    if (!asn1_at_end(&seq)) {
        int64_t pl;
        if (asn1_read_int64(&seq, &pl) || pl < 0)
            return X509_ERR_MALFORMED;
        c->path_len = pl > 255 ? 255 : (int)pl;
    }
    if (!asn1_at_end(&seq))
        return X509_ERR_MALFORMED;
    c->has_bc = 1;
    c->is_ca = (uint8_t)ca;
    return X509_OK;
}

/* 4.2.1.3 KeyUsage ::= BIT STRING; bit n is (0x80 >> n%8) of octet n/8. */
static int ext_key_usage(struct asn1_reader *r, struct x509_cert *c)
{
    const uint8_t *v;
    size_t n;
    unsigned unused;
    if (asn1_read_bits(r, &v, &n, &unused) || n == 0)
        return X509_ERR_MALFORMED;
    uint16_t ku = 0;
    for (unsigned bit = 0; bit < 9 && bit / 8 < n; bit++)
        if (v[bit / 8] & (0x80u >> (bit % 8)))
            ku |= (uint16_t)(1u << bit);
    c->has_ku = 1;
    c->key_usage = ku;
    return X509_OK;
}

/* 4.2.1.12 ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId */
static int ext_eku(struct asn1_reader *r, struct x509_cert *c)
{
    struct asn1_reader seq;
    if (asn1_enter(r, ASN1_TAG_SEQUENCE, &seq) || asn1_at_end(&seq))
        return X509_ERR_MALFORMED;
    while (!asn1_at_end(&seq)) {
        const uint8_t *oid;
        size_t olen;
        if (asn1_read_oid(&seq, &oid, &olen))
            return X509_ERR_MALFORMED;
        if (ASN1_OID_EQ(oid, olen, X509_OID_KP_SERVER_AUTH))
            c->eku_server_auth = 1;
        else if (ASN1_OID_EQ(oid, olen, X509_OID_EKU_ANY))
            c->eku_any = 1;
    }
    c->has_eku = 1;
    return X509_OK;
}

/* see x509_ext.h */
int x509_san_dns_valid(const uint8_t *s, size_t n)
{
    if (n == 0 || n > 253)
        return 0;
    size_t i = 0, label = 0;
    if (n >= 2 && s[0] == '*' && s[1] == '.')
        i = 2; /* a whole-label wildcard, then at least one label */
    if (i == n)
        return 0;
    for (; i < n; i++) {
        uint8_t ch = (uint8_t)ascii_lower((char)s[i]);
        if (ch == '.') {
            if (label == 0)
                return 0; /* leading dot or empty label */
            label = 0;
        } else if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_') {
            if (++label > 63)
                return 0;
        } else {
            return 0;
        }
    }
    return label != 0; /* no trailing dot */
}

/* 4.2.1.6 GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName. Every entry
   must be a well-formed TLV; a dNSName [2] must be in preferred name syntax
   (x509_san_dns_valid) and an iPAddress [7] 4 or 16 octets, so that a name
   the matcher or the nameConstraints check would not understand makes the
   certificate invalid instead of being skipped. */
static int ext_san(struct asn1_reader *r, struct x509_cert *c)
{
    struct asn1_reader seq;
    struct asn1_tlv t;
    if (asn1_expect(r, ASN1_TAG_SEQUENCE, &t) || t.len == 0)
        return X509_ERR_MALFORMED;
    asn1_init(&seq, t.val, t.len);
    while (!asn1_at_end(&seq)) {
        struct asn1_tlv gn;
        if (asn1_read_tlv(&seq, &gn))
            return X509_ERR_MALFORMED;
        if ((gn.tag & 0xc0) != ASN1_TAG_CONTEXT)
            return X509_ERR_MALFORMED;
        if (gn.tag == ASN1_TAG_CTX_PRIM(7) && gn.len != 4 && gn.len != 16)
            return X509_ERR_MALFORMED;
        if (gn.tag == ASN1_TAG_CTX_PRIM(2) && !x509_san_dns_valid(gn.val, gn.len))
            return X509_ERR_MALFORMED;
    }
    c->has_san = 1;
    c->san.p = t.val;
    c->san.len = t.len;
    return X509_OK;
}

enum x509_err x509_parse_extensions(struct asn1_reader *r, struct x509_cert *c)
{
    struct asn1_reader exts;
    unsigned seen = 0;
    if (asn1_enter(r, ASN1_TAG_SEQUENCE, &exts) || asn1_at_end(&exts))
        return X509_ERR_MALFORMED;
    while (!asn1_at_end(&exts)) {
        /* Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING } */
        struct asn1_reader ext, val;
        const uint8_t *oid;
        size_t olen;
        uint8_t tag;
        int critical = 0, e;
        if (asn1_enter(&exts, ASN1_TAG_SEQUENCE, &ext) || asn1_read_oid(&ext, &oid, &olen))
            return X509_ERR_MALFORMED;
        if (asn1_peek_tag(&ext, &tag) == ASN1_OK && tag == ASN1_TAG_BOOLEAN &&
            asn1_read_bool(&ext, &critical))
            return X509_ERR_MALFORMED;
        if (asn1_enter(&ext, ASN1_TAG_OCTET_STRING, &val) || !asn1_at_end(&ext))
            return X509_ERR_MALFORMED;
        unsigned bit;
        if (ASN1_OID_EQ(oid, olen, X509_OID_EXT_BC)) {
            bit = 1;
            e = ext_basic_constraints(&val, c);
        } else if (ASN1_OID_EQ(oid, olen, X509_OID_EXT_KU)) {
            bit = 2;
            e = ext_key_usage(&val, c);
        } else if (ASN1_OID_EQ(oid, olen, X509_OID_EXT_EKU)) {
            bit = 4;
            e = ext_eku(&val, c);
        } else if (ASN1_OID_EQ(oid, olen, X509_OID_EXT_SAN)) {
            bit = 8;
            e = ext_san(&val, c);
        } else if (ASN1_OID_EQ(oid, olen, X509_OID_EXT_NC)) {
            bit = 16;
            e = x509_nc_parse(&val, c);
            c->nc_critical = (uint8_t)critical;
        } else {
            /* 4.2: a certificate-using system MUST reject a certificate with
               a critical extension it does not recognise. */
            if (critical)
                return X509_ERR_UNKNOWN_CRITICAL;
            continue;
        }
        if (seen & bit)
            return X509_ERR_MALFORMED; /* 4.2: one instance of each extension */
        seen |= bit;
        if (e)
            return e;
        if (!asn1_at_end(&val))
            return X509_ERR_MALFORMED;
    }
    return X509_OK;
}
