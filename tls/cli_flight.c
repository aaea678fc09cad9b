/* The client's second flight (RFC 8446 4.4): optional Certificate and
   CertificateVerify after a CertificateRequest, then Finished; plus
   KeyUpdate (4.6.3). Messages are built in the handshake buffer's free tail
   and queued under the current write keys. see tls_int.h */
#include <string.h>
#include "crypto/crypto.h"
#include "tls/tls_int.h"

/* 4.4.2: our chain, or the empty list when we have no usable credential.
   Written at m (cap bytes); *len gets the message length. */
static int build_certificate(struct tls_conn *c, uint8_t *m, size_t cap, size_t *len,
                             bool *have_cert)
{
    const struct tls_config *cfg = c->cfg;
    *have_cert = cfg->client_cert_count && cfg->client_sign && c->cr_scheme;
    size_t n = 4 + 1 + c->cr_ctx_len + 3;
    if (n > cap)
        return TLS_ERR_MSG_TOO_LARGE;
    m[0] = HS_CERTIFICATE;
    m[4] = c->cr_ctx_len;
    memcpy(m + 5, c->cr_ctx, c->cr_ctx_len);
    size_t list_at = n - 3;
    for (size_t i = 0; *have_cert && i < cfg->client_cert_count; i++) {
        size_t cl = cfg->client_cert_lens[i];
        if (cl == 0 || cl > 0xffffff || cap - n < cl + 5)
            return TLS_ERR_MSG_TOO_LARGE;
        be24_put(m + n, (uint32_t)cl);
        memcpy(m + n + 3, cfg->client_certs[i], cl);
        be16_put(m + n + 3 + cl, 0);              /* no per-certificate extensions */
        n += cl + 5;
    }
    be24_put(m + list_at, (uint32_t)(n - list_at - 3));
    be24_put(m + 1, (uint32_t)(n - 4));
    *len = n;
    return TLS_OK;
}

/* 4.4.3: signature over the transcript through our Certificate. */
static int build_cert_verify(struct tls_conn *c, uint8_t *m, size_t cap, size_t *len)
{
    const struct tls_config *cfg = c->cfg;
    uint8_t content[64 + 34 + TLS_HASH_MAX];
    size_t cl = hs_cv_content(c, 0, content), siglen = 0;
    if (cap < 8 + 16)
        return TLS_ERR_MSG_TOO_LARGE;
    int e = cfg->client_sign(cfg->client_sign_ctx, c->cr_scheme, content, cl,
                             m + 8, cap - 8 > 0xffff ? 0xffff : cap - 8, &siglen);
    if (e)
        return e < 0 || e >= TLS_ERR_COUNT ? TLS_ERR_INTERNAL : e;
    m[0] = HS_CERTIFICATE_VERIFY;
    be24_put(m + 1, (uint32_t)(siglen + 4));
    be16_put(m + 4, c->cr_scheme);
    be16_put(m + 6, (uint32_t)siglen);
    *len = siglen + 8;
    return TLS_OK;
}

/* Builds [Certificate, CertificateVerify,] Finished back to back in the
   scratch area (each added to the transcript as it is built) and queues
   them as one handshake record stream. */
enum tls_err hs_send_client_flight(struct tls_conn *c)
{
    /* D.4: the compatibility-mode CCS (unless it preceded a second
       ClientHello) is put before this flight by tls_tx_record. */
    int e;
    size_t cap, off = 0, n;
    uint8_t *m = tls_scratch(c, &cap);
    if (c->cert_requested) {
        bool have;
        if ((e = build_certificate(c, m, cap, &n, &have)))
            return tls_fail(c, e);
        tls_transcript(c, m, n);
        off += n;
        if (have) {
            if ((e = build_cert_verify(c, m + off, cap - off, &n)))
                return tls_fail(c, e);
            tls_transcript(c, m + off, n);
            off += n;
        }
    }
    size_t h = c->hash->digest_len;
    uint8_t th[TLS_HASH_MAX];
    if (cap - off < 4 + h)
        return tls_fail(c, TLS_ERR_MSG_TOO_LARGE);
    tls_transcript_hash(c, th);
    m[off] = HS_FINISHED;
    be24_put(m + off + 1, (uint32_t)h);
    if (ks_finished(c->hash, c->c_secret, th, m + off + 4))
        return tls_fail(c, TLS_ERR_CRYPTO);
    tls_transcript(c, m + off, 4 + h);
    off += 4 + h;
    e = tls_tx_record(c, TLS_CT_HANDSHAKE, m, off, 0);
    crypto_zeroize(m, off);
    return e ? tls_fail(c, e) : TLS_OK;
}

enum tls_err hs_send_key_update(struct tls_conn *c, bool request)
{
    /* RFC 9846 4.6.3: no second update_requested before the peer's
       KeyUpdate has answered the first; we still rotate our own key. */
    if (c->ku_requested)
        request = false;
    uint8_t m[5] = { HS_KEY_UPDATE, 0, 0, 1, request ? 1 : 0 };
    int e = tls_tx_record(c, TLS_CT_HANDSHAKE, m, 5, 0);
    if (e)
        return e;                       /* no room: caller retries later */
    if (ks_update_secret(c->hash, c->c_secret) || tls_install_keys(c, &c->wr, c->c_secret))
        return tls_fail(c, TLS_ERR_CRYPTO);
    c->key_updates_sent++;
    if (request)
        c->ku_requested = 1;
    return TLS_OK;
}
