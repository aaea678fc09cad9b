/* see tlsget_key.h */
#define _GNU_SOURCE
#include "tools/tlsget_key.h"
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include "crypto/asn1.h"
#include "crypto/crypto.h"
#include "crypto/p256.h"
#include "crypto/p384.h"
#include "crypto/sha2.h"
#include "tls/tls.h"
#include "tls/x509.h"

#define KEY_FILE_MAX 65536

const char *tlsget_key_err_str(int err)
{
    switch ((enum tlsget_key_err)err) {
    case TLSGET_KEY_OK: return "ok";
    case TLSGET_KEY_ERR_IO: return "cannot read the key file";
    case TLSGET_KEY_ERR_PEM: return "no unencrypted PEM private key block";
    case TLSGET_KEY_ERR_DER: return "not a PKCS#8 or SEC 1 EC private key";
    case TLSGET_KEY_ERR_CURVE: return "not an EC P-256 or P-384 key";
    case TLSGET_KEY_ERR_SCALAR: return "invalid private scalar";
    case TLSGET_KEY_ERR_MISMATCH: return "key does not match the certificate";
    }
    return "unknown";
}

/* id-ecPublicKey (RFC 5480 2.1.1), prime256v1 and secp384r1 (2.1.1.1). */
static const uint8_t OID_EC_PUBLIC_KEY[] = { 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01 };
static const uint8_t OID_P256[] = { 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07 };
static const uint8_t OID_P384[] = { 0x2b, 0x81, 0x04, 0x00, 0x22 };

/* namedCurve OID -> curve; 0 when it is one of ours. */
static int curve_of(const uint8_t *oid, size_t len, enum ec_curve *curve)
{
    if (ASN1_OID_EQ(oid, len, OID_P256))
        *curve = EC_P256;
    else if (ASN1_OID_EQ(oid, len, OID_P384))
        *curve = EC_P384;
    else
        return TLSGET_KEY_ERR_CURVE;
    return TLSGET_KEY_OK;
}

/* Public key d * G (uncompressed); also the range check 0 < d < n. */
static int public_key(const struct tlsget_key *k, uint8_t pub[P384_POINT_LEN], size_t *publen)
{
    int e = k->curve == EC_P256 ? p256_keygen(pub, k->d) : p384_keygen(pub, k->d);
    *publen = k->curve == EC_P256 ? P256_POINT_LEN : P384_POINT_LEN;
    return e == CRYPTO_OK ? TLSGET_KEY_OK : TLSGET_KEY_ERR_SCALAR;
}

/* ECPrivateKey (RFC 5915 3) from r's next element. `outer` is the curve the
   PKCS#8 AlgorithmIdentifier named (have_outer), which the optional
   parameters must then repeat. */
static int parse_ec_private_key(struct tlsget_key *k, struct asn1_reader *r, int have_outer,
                                enum ec_curve outer)
{
    struct asn1_reader seq, params;
    struct asn1_tlv priv, tlv;
    int64_t version;
    int present;
    if (asn1_enter(r, ASN1_TAG_SEQUENCE, &seq) || asn1_read_int64(&seq, &version) || version != 1 ||
        asn1_expect(&seq, ASN1_TAG_OCTET_STRING, &priv) ||
        asn1_optional(&seq, ASN1_TAG_CTX_CONS(0), &tlv, &present))
        return TLSGET_KEY_ERR_DER;
    enum ec_curve curve = outer;
    if (present) {
        const uint8_t *oid;
        size_t oidlen;
        asn1_init(&params, tlv.val, tlv.len);
        if (asn1_read_oid(&params, &oid, &oidlen) || asn1_finish(&params))
            return TLSGET_KEY_ERR_CURVE;     /* explicit curve parameters */
        if (curve_of(oid, oidlen, &curve) || (have_outer && curve != outer))
            return TLSGET_KEY_ERR_CURVE;
    } else if (!have_outer) {
        return TLSGET_KEY_ERR_CURVE;         /* no way to tell the curve */
    }
    /* publicKey [1] is not needed: the public key is recomputed from d. */
    if (asn1_optional(&seq, ASN1_TAG_CTX_CONS(1), &tlv, &present) || asn1_finish(&seq))
        return TLSGET_KEY_ERR_DER;
    k->curve = curve;
    k->len = curve == EC_P256 ? 32 : 48;
    k->scheme = curve == EC_P256 ? TLS_SIG_ECDSA_P256_SHA256 : TLS_SIG_ECDSA_P384_SHA384;
    /* RFC 5915: ceiling(log2(n) / 8) octets; shorter ones are left-padded. */
    if (priv.len == 0 || priv.len > k->len)
        return TLSGET_KEY_ERR_SCALAR;
    memset(k->d, 0, sizeof k->d);
    memcpy(k->d + k->len - priv.len, priv.val, priv.len);
    uint8_t pub[P384_POINT_LEN];
    size_t publen;
    return public_key(k, pub, &publen);
}

int tlsget_key_parse_der(struct tlsget_key *k, const uint8_t *der, size_t len)
{
    struct asn1_reader r, seq, alg;
    int64_t version;
    uint8_t tag;
    memset(k, 0, sizeof *k);
    asn1_init(&r, der, len);
    if (asn1_enter(&r, ASN1_TAG_SEQUENCE, &seq) || asn1_finish(&r) ||
        asn1_read_int64(&seq, &version) || asn1_peek_tag(&seq, &tag))
        return TLSGET_KEY_ERR_DER;
    if (tag == ASN1_TAG_OCTET_STRING) {      /* SEC 1 ECPrivateKey itself */
        asn1_init(&r, der, len);
        int e = parse_ec_private_key(k, &r, 0, EC_P256);
        if (e)
            tlsget_key_wipe(k);
        return e;
    }
    /* PKCS#8 PrivateKeyInfo / OneAsymmetricKey: version 0 or 1,
       AlgorithmIdentifier { id-ecPublicKey, namedCurve }, privateKey OCTET
       STRING holding the ECPrivateKey, then [0] attributes, [1] publicKey. */
    const uint8_t *oid;
    size_t oidlen;
    struct asn1_tlv priv, extra;
    enum ec_curve curve;
    if ((version != 0 && version != 1) || asn1_enter(&seq, ASN1_TAG_SEQUENCE, &alg) ||
        asn1_read_oid(&alg, &oid, &oidlen))
        return TLSGET_KEY_ERR_DER;
    if (!ASN1_OID_EQ(oid, oidlen, OID_EC_PUBLIC_KEY) || asn1_read_oid(&alg, &oid, &oidlen) ||
        asn1_finish(&alg) || curve_of(oid, oidlen, &curve))
        return TLSGET_KEY_ERR_CURVE;
    if (asn1_expect(&seq, ASN1_TAG_OCTET_STRING, &priv))
        return TLSGET_KEY_ERR_DER;
    while (!asn1_at_end(&seq))
        if (asn1_read_tlv(&seq, &extra) ||
            (extra.tag != ASN1_TAG_CTX_CONS(0) && extra.tag != ASN1_TAG_CTX_PRIM(1)))
            return TLSGET_KEY_ERR_DER;
    asn1_init(&r, priv.val, priv.len);
    int e = parse_ec_private_key(k, &r, 1, curve);
    if (!e && !asn1_at_end(&r))
        e = TLSGET_KEY_ERR_DER;
    if (e)
        tlsget_key_wipe(k);
    return e;
}

/* see tlsget_key.h */
int tlsget_b64val(int ch)
{
    if (ch >= 'A' && ch <= 'Z') return ch - 'A';
    if (ch >= 'a' && ch <= 'z') return ch - 'a' + 26;
    if (ch >= '0' && ch <= '9') return ch - '0' + 52;
    if (ch == '+') return 62;
    if (ch == '/') return 63;
    return -1;
}

/* Decodes the base64 body of the first block labelled `label` in text
   (NUL-terminated) into out[0..cap); *outlen set. Header lines (an encrypted
   key's Proc-Type / DEK-Info) and stray characters are errors. */
static int pem_block(const char *text, const char *label, uint8_t *out, size_t cap, size_t *outlen)
{
    char begin[64], end[64];
    snprintf(begin, sizeof begin, "-----BEGIN %s-----", label);
    snprintf(end, sizeof end, "-----END %s-----", label);
    const char *p = strstr(text, begin), *q;
    if (!p || !(q = strstr(p, end)))
        return TLSGET_KEY_ERR_PEM;
    uint32_t acc = 0;
    int bits = 0, pad = 0;
    size_t n = 0;
    for (p += strlen(begin); p < q; p++) {
        if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
            continue;
        if (*p == '=') {
            pad++;
            continue;
        }
        int v = tlsget_b64val((unsigned char)*p);
        if (v < 0 || pad)
            return TLSGET_KEY_ERR_PEM;
        acc = acc << 6 | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (n == cap)
                return TLSGET_KEY_ERR_PEM;
            out[n++] = (uint8_t)(acc >> bits);
        }
    }
    crypto_zeroize(&acc, sizeof acc);
    *outlen = n;
    return n ? TLSGET_KEY_OK : TLSGET_KEY_ERR_PEM;
}

int tlsget_key_load(struct tlsget_key *k, const char *path)
{
    static uint8_t file[KEY_FILE_MAX + 1], der[KEY_FILE_MAX];
    memset(k, 0, sizeof *k);
    FILE *f = fopen(path, "rb");
    if (!f)
        return TLSGET_KEY_ERR_IO;
    size_t n = fread(file, 1, KEY_FILE_MAX + 1, f);
    int bad = ferror(f) || n > KEY_FILE_MAX;
    fclose(f);
    if (bad || n == 0) {
        crypto_zeroize(file, sizeof file);
        return TLSGET_KEY_ERR_IO;
    }
    file[n] = 0;
    int e;
    if (strstr((const char *)file, "-----BEGIN ")) {
        size_t dlen = 0;
        e = pem_block((const char *)file, "PRIVATE KEY", der, sizeof der, &dlen);
        if (e)
            e = pem_block((const char *)file, "EC PRIVATE KEY", der, sizeof der, &dlen);
        if (!e)
            e = tlsget_key_parse_der(k, der, dlen);
        crypto_zeroize(der, sizeof der);
    } else {
        e = tlsget_key_parse_der(k, file, n);
    }
    crypto_zeroize(file, sizeof file);
    return e;
}

int tlsget_key_match_cert(const struct tlsget_key *k, const uint8_t *cert, size_t len)
{
    struct x509_cert c;
    uint8_t pub[P384_POINT_LEN];
    size_t publen;
    if (x509_parse(&c, cert, len) != X509_OK)
        return TLSGET_KEY_ERR_MISMATCH;
    int type = k->curve == EC_P256 ? X509_KEY_EC_P256 : X509_KEY_EC_P384;
    if (c.key.type != type)
        return TLSGET_KEY_ERR_MISMATCH;
    int e = public_key(k, pub, &publen);
    if (e)
        return e;
    if (c.key.pointlen != publen || memcmp(c.key.point, pub, publen))
        return TLSGET_KEY_ERR_MISMATCH;
    return TLSGET_KEY_OK;
}

enum tls_err tlsget_key_sign(void *ctx, uint16_t scheme, const uint8_t *content, size_t len,
                             uint8_t *sig, size_t cap, size_t *siglen)
{
    const struct tlsget_key *k = ctx;
    uint8_t h[48], extra[32];
    if (scheme != k->scheme)
        return TLS_ERR_INTERNAL;
    if (k->curve == EC_P256)
        sha256(content, len, h);
    else
        sha384(content, len, h);
    if (getrandom(extra, sizeof extra, 0) != (ssize_t)sizeof extra)
        return TLS_ERR_INTERNAL;
    int e = ecdsa_sign_der(k->curve, sig, cap, siglen, k->d, k->len, h, k->len, extra,
                           sizeof extra);
    crypto_zeroize(extra, sizeof extra);
    return e == CRYPTO_OK ? TLS_OK : TLS_ERR_INTERNAL;
}

void tlsget_key_wipe(struct tlsget_key *k)
{
    crypto_zeroize(k, sizeof *k);
}
