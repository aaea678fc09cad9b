/* X.509 verification callbacks for the engine. see tls_x509.h */
#include "tls/tls_x509.h"
#include <string.h>

enum tls_err tls_x509_map_err(int e)
{
    switch (e) {
    case X509_OK: return TLS_OK;
    case X509_ERR_UNTRUSTED: return TLS_ERR_CERT_UNTRUSTED;
    case X509_ERR_EXPIRED: return TLS_ERR_CERT_EXPIRED;
    case X509_ERR_ANCHOR_EXPIRED: return TLS_ERR_CERT_EXPIRED;
    case X509_ERR_NOT_YET_VALID: return TLS_ERR_CERT_NOT_YET_VALID;
    case X509_ERR_HOSTNAME_MISMATCH: return TLS_ERR_HOSTNAME_MISMATCH;
    case X509_ERR_UNSUPPORTED_ALG: return TLS_ERR_UNSUPPORTED_CERTIFICATE;
    default: return TLS_ERR_BAD_CERTIFICATE;
    }
}

enum tls_err tls_x509_verify_chain(void *ctx, const uint8_t *const *certs, const size_t *lens,
                                   size_t n, const char *host)
{
    struct tls_x509 *x = ctx;
    memset(&x->leaf, 0, sizeof x->leaf);
    x->x509_err = x509_verify_chain(certs, lens, n, host, x->now, x->trust, &x->leaf);
    return tls_x509_map_err(x->x509_err);
}

enum tls_err tls_x509_verify_sig(void *ctx, uint16_t scheme, const uint8_t *content, size_t len,
                                 const uint8_t *sig, size_t siglen)
{
    struct tls_x509 *x = ctx;
    int e = x509_verify_tls_signature(&x->leaf, scheme, content, len, sig, siglen);
    memset(&x->leaf, 0, sizeof x->leaf);
    if (e == X509_OK)
        return TLS_OK;
    /* 4.4.3: a scheme that does not fit the key is illegal_parameter; a
       signature that does not verify is decrypt_error. */
    return e == X509_ERR_UNSUPPORTED_ALG ? TLS_ERR_ILLEGAL_PARAMETER : TLS_ERR_DECRYPT_ERROR;
}

const char *tls_x509_detail(void *ctx)
{
    struct tls_x509 *x = ctx;
    return x->x509_err ? x509_err_str(x->x509_err) : NULL;
}

void tls_x509_bind(struct tls_config *cfg, struct tls_x509 *x,
                   const struct x509_trust *trust, int64_t now)
{
    memset(x, 0, sizeof *x);
    x->trust = trust;
    x->now = now;
    cfg->verify_chain = tls_x509_verify_chain;
    cfg->verify_sig = tls_x509_verify_sig;
    cfg->verify_detail = tls_x509_detail;
    cfg->verify_ctx = x;
}
