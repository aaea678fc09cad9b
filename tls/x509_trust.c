/* Error names, trust-anchor construction and pin parsing. see x509.h */
#include "tls/x509.h"
#include "crypto/sha2.h"
#include <string.h>

/* see x509.h */
const char *x509_err_str(int err)
{
    switch (err) {
    case X509_OK: return "ok";
    case X509_ERR_MALFORMED: return "bad_certificate";
    case X509_ERR_UNTRUSTED: return "cert_untrusted";
    case X509_ERR_EXPIRED: return "cert_expired";
    case X509_ERR_NOT_YET_VALID: return "cert_not_yet_valid";
    case X509_ERR_HOSTNAME_MISMATCH: return "hostname_mismatch";
    case X509_ERR_BAD_SIGNATURE: return "bad_signature";
    case X509_ERR_BAD_CHAIN: return "bad_chain";
    case X509_ERR_UNSUPPORTED_ALG: return "unsupported_algorithm";
    case X509_ERR_KEY_USAGE: return "key_usage";
    case X509_ERR_PIN_MISMATCH: return "pin_mismatch";
    case X509_ERR_KEY_TOO_SMALL: return "key_too_small";
    case X509_ERR_CHAIN_TOO_LONG: return "chain_too_long";
    case X509_ERR_UNKNOWN_CRITICAL: return "unknown_critical_extension";
    case X509_ERR_EMPTY_CHAIN: return "empty_chain";
    case X509_ERR_BAD_ARG: return "bad_argument";
    case X509_ERR_NAME_CONSTRAINTS: return "name_constraints";
    case X509_ERR_ANCHOR_EXPIRED: return "anchor_expired";
    case X509_ERR_LEAF_IS_CA: return "leaf_is_ca";
    case X509_ERR_NC_UNSUPPORTED: return "name_constraints_unsupported";
    case X509_ERR_COUNT: break;
    }
    return "x509_unknown";
}

/* see x509.h */
enum x509_err x509_anchor_from_cert(struct x509_anchor *a, const uint8_t *der, size_t len)
{
    struct x509_cert c;
    if (!a)
        return X509_ERR_BAD_ARG;
    memset(a, 0, sizeof *a);
    int e = x509_parse(&c, der, len);
    if (e)
        return e;
    a->subject = c.subject.p;
    a->subject_len = c.subject.len;
    a->spki = c.spki.p;
    a->spki_len = c.spki.len;
    sha256(c.spki.p, c.spki.len, a->spki_sha256);
    /* the constraints of the anchor's certificate travel with it */
    a->not_after = c.not_after;
    a->nc = c.has_nc ? c.nc.p : NULL;
    a->nc_len = c.has_nc ? c.nc.len : 0;
    a->nc_critical = c.nc_critical;
    a->has_path_len = c.path_len >= 0;
    a->path_len = (uint8_t)(c.path_len >= 0 ? c.path_len : 0);
    a->has_eku = c.has_eku;
    a->eku_server_auth = c.eku_server_auth || c.eku_any;
    return X509_OK;
}

static int b64val(char ch)
{
    if (ch >= 'A' && ch <= 'Z')
        return ch - 'A';
    if (ch >= 'a' && ch <= 'z')
        return ch - 'a' + 26;
    if (ch >= '0' && ch <= '9')
        return ch - '0' + 52;
    if (ch == '+')
        return 62;
    if (ch == '/')
        return 63;
    return -1;
}

/* see x509.h; RFC 7469 2.4 pin-sha256 is base64 (RFC 4648 4) of 32 bytes:
   43 characters and one '=' pad. */
enum x509_err x509_pin_parse(const char *s, size_t len, uint8_t out[32])
{
    static const char prefix[] = "sha256/";
    const size_t pl = sizeof prefix - 1;
    if (!s || len != pl + 44)
        return X509_ERR_BAD_ARG;
    for (size_t i = 0; i < pl; i++)
        if (s[i] != prefix[i])
            return X509_ERR_BAD_ARG;
    s += pl;
    if (s[43] != '=')
        return X509_ERR_BAD_ARG;
    uint32_t acc = 0;
    size_t o = 0;
    for (size_t i = 0; i < 43; i++) {
        int v = b64val(s[i]);
        if (v < 0)
            return X509_ERR_BAD_ARG;
        acc = (acc << 6) | (uint32_t)v;
        if (i % 4 == 3) {
            out[o++] = (uint8_t)(acc >> 16);
            out[o++] = (uint8_t)(acc >> 8);
            out[o++] = (uint8_t)acc;
            acc = 0;
        }
    }
    /* 43 = 10*4 + 3: the last 3 characters carry 18 bits, 16 used */
    if (acc & 3)
        return X509_ERR_BAD_ARG; /* non-canonical padding bits */
    out[o++] = (uint8_t)(acc >> 10);
    out[o++] = (uint8_t)(acc >> 2);
    return o == 32 ? X509_OK : X509_ERR_BAD_ARG;
}
