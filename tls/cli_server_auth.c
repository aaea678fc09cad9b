/* The server's authentication flight (RFC 8446 4.3.1, 4.3.2, 4.4.2-4.4.4):
   EncryptedExtensions, CertificateRequest, Certificate (kept in the
   handshake buffer until CertificateVerify), CertificateVerify, Finished,
   then the application traffic secrets and our second flight.
   see tls_int.h */
#include <string.h>
#include "crypto/crypto.h"
#include "tls/tls_int.h"

#define FAIL(e) return tls_fail(c, (e))

/* ---- EncryptedExtensions (4.3.1) ----------------------------------------- */

static bool alpn_offered(const struct tls_conn *c, const uint8_t *p, size_t n)
{
    const struct tls_config *cfg = c->cfg;
    static const char *const def_alpn[] = { "http/1.1" };
    const char *const *a = cfg->alpn ? cfg->alpn : def_alpn;
    size_t na = cfg->alpn ? cfg->alpn_count : 1;
    if (cfg->no_alpn)
        return false;
    for (size_t i = 0; i < na && i < TLS_MAX_ALPN; i++)
        if (strlen(a[i]) == n && !memcmp(a[i], p, n))
            return true;
    return false;
}

enum tls_err hs_handle_ee(struct tls_conn *c, const uint8_t *msg, size_t len)
{
    struct reader r = rd_init(msg + 4, len - 4);
    struct reader ex = rd_vec(&r, 2);
    if (!rd_ok(&r) || rd_left(&r))
        FAIL(TLS_ERR_DECODE);
    struct hs_ext_seen seen = { .n = 0 };
    while (rd_left(&ex)) {
        uint32_t t, v;
        struct reader d;
        enum tls_err de = hs_ext_next(&ex, &seen, &t, &d);
        if (de)
            FAIL(de);
        switch (t) {
        case EXT_SERVER_NAME:                      /* RFC 6066 3: empty */
            if (!c->sent_sni)
                FAIL(TLS_ERR_UNSUPPORTED_EXTENSION);
            if (rd_left(&d))
                FAIL(TLS_ERR_DECODE);
            break;
        case EXT_SUPPORTED_GROUPS:                 /* informational (4.2.7) */
            break;
        case EXT_ALPN: {                           /* RFC 7301 3.1 */
            if (c->cfg->no_alpn)
                FAIL(TLS_ERR_UNSUPPORTED_EXTENSION);
            struct reader list = rd_vec(&d, 2);
            struct reader name = rd_vec(&list, 1);
            if (!rd_ok(&d) || rd_left(&d) || !rd_ok(&list) || rd_left(&list) || !rd_left(&name))
                FAIL(TLS_ERR_DECODE);
            if (!alpn_offered(c, name.p, rd_left(&name)) || rd_left(&name) >= sizeof c->alpn)
                FAIL(TLS_ERR_ILLEGAL_PARAMETER);
            memcpy(c->alpn, name.p, rd_left(&name));
            c->alpn[rd_left(&name)] = 0;
            break;
        }
        case EXT_RECORD_SIZE_LIMIT:                /* RFC 8449 4 */
            v = rd_u16(&d);
            if (!rd_ok(&d) || rd_left(&d))
                FAIL(TLS_ERR_DECODE);
            if (v < 64)
                FAIL(TLS_ERR_ILLEGAL_PARAMETER);
            c->peer_rsl = (uint16_t)(v > TLS_MAX_PLAINTEXT + 1 ? TLS_MAX_PLAINTEXT + 1 : v);
            break;
        case EXT_MAX_FRAGMENT_LENGTH:              /* RFC 6066 4: our value back */
            if (!c->cfg->max_fragment_length)
                FAIL(TLS_ERR_UNSUPPORTED_EXTENSION);
            v = rd_u8(&d);
            if (!rd_ok(&d) || rd_left(&d))
                FAIL(TLS_ERR_DECODE);
            if (v != c->cfg->max_fragment_length)
                FAIL(TLS_ERR_ILLEGAL_PARAMETER);
            c->peer_mfl = (uint8_t)v;
            break;
        case EXT_USE_SRTP: case EXT_HEARTBEAT:
        case EXT_CLIENT_CERT_TYPE: case EXT_SERVER_CERT_TYPE: case EXT_EARLY_DATA:
            FAIL(TLS_ERR_UNSUPPORTED_EXTENSION);   /* allowed in EE, not offered */
        default:
            FAIL(hs_ext_unexpected(t));
        }
    }
    tls_transcript(c, msg, len);
    /* 2.2: a PSK handshake has no server Certificate/CertificateVerify (and
       no CertificateRequest). */
    c->state = c->resumed ? TLS_ST_WAIT_FIN : TLS_ST_WAIT_CERT_CR;
    return TLS_OK;
}

/* ---- CertificateRequest (4.3.2) ----------------------------------------- */

static bool client_can_sign(const struct tls_config *cfg, uint32_t scheme)
{
    for (size_t i = 0; cfg->client_sig_schemes && i < cfg->client_sig_scheme_count; i++)
        if (cfg->client_sig_schemes[i] == scheme)
            return true;
    return false;
}

/* 4.2.4: DistinguishedName authorities<3..2^16-1>, each
   opaque DistinguishedName<1..2^16-1>. Only the encoding is checked: we
   have one identity and offer it whatever the server trusts. */
static bool cert_authorities_ok(struct reader d)
{
    struct reader list = rd_vec(&d, 2);
    if (!rd_ok(&d) || rd_left(&d) || rd_left(&list) < 3)
        return false;
    while (rd_left(&list)) {
        struct reader dn = rd_vec(&list, 2);
        if (!rd_ok(&list) || !rd_left(&dn))
            return false;
    }
    return true;
}

enum tls_err hs_handle_cr(struct tls_conn *c, const uint8_t *msg, size_t len)
{
    struct reader r = rd_init(msg + 4, len - 4);
    struct reader ctx = rd_vec(&r, 1), ex = rd_vec(&r, 2);
    if (!rd_ok(&r) || rd_left(&r))
        FAIL(TLS_ERR_DECODE);
    if (rd_left(&ctx))
        FAIL(TLS_ERR_ILLEGAL_PARAMETER);           /* empty in the handshake */
    bool has_sa = false;
    struct hs_ext_seen seen = { .n = 0 };
    c->cr_scheme = 0;
    while (rd_left(&ex)) {
        uint32_t t;
        struct reader d;
        enum tls_err de = hs_ext_next(&ex, &seen, &t, &d);
        if (de)
            FAIL(de);
        if (t == EXT_CERT_AUTHORITIES) {
            if (!cert_authorities_ok(d))
                FAIL(TLS_ERR_DECODE);
            continue;
        }
        if (t != EXT_SIGNATURE_ALGORITHMS)
            continue;                              /* others are ignored */
        struct reader list = rd_vec(&d, 2);
        if (!rd_ok(&d) || rd_left(&d) || rd_left(&list) < 2 || rd_left(&list) % 2)
            FAIL(TLS_ERR_DECODE);
        has_sa = true;
        /* The server's order: the first scheme our key can make. */
        while (rd_left(&list)) {
            uint32_t s = rd_u16(&list);
            if (!c->cr_scheme && client_can_sign(c->cfg, s))
                c->cr_scheme = (uint16_t)s;
        }
    }
    if (!has_sa)
        FAIL(TLS_ERR_MISSING_EXTENSION);
    c->cert_requested = 1;
    c->cr_ctx_len = 0;
    tls_transcript(c, msg, len);
    c->state = TLS_ST_WAIT_CERT;
    return TLS_OK;
}

/* ---- Certificate (4.4.2) ------------------------------------------------- */

enum tls_err hs_handle_cert(struct tls_conn *c, const uint8_t *msg, size_t len)
{
    struct reader r = rd_init(msg + 4, len - 4);
    struct reader ctx = rd_vec(&r, 1), list = rd_vec(&r, 3);
    if (!rd_ok(&r) || rd_left(&r))
        FAIL(TLS_ERR_DECODE);
    if (rd_left(&ctx))
        FAIL(TLS_ERR_ILLEGAL_PARAMETER);
    c->cert_n = 0;
    size_t total = 0;
    while (rd_left(&list)) {
        struct reader data = rd_vec(&list, 3), ex = rd_vec(&list, 2);
        if (!rd_ok(&list) || !rd_left(&data))
            FAIL(TLS_ERR_DECODE);
        struct hs_ext_seen seen = { .n = 0 };
        while (rd_left(&ex)) {
            uint32_t t;
            struct reader d;                       /* extension_data is not read */
            enum tls_err de = hs_ext_next(&ex, &seen, &t, &d);
            if (de)
                FAIL(de);
            /* We request neither OCSP stapling nor SCTs. */
            FAIL(t == EXT_STATUS_REQUEST || t == EXT_SCT ? TLS_ERR_UNSUPPORTED_EXTENSION
                                                          : hs_ext_unexpected(t));
        }
        if (c->cert_n < TLS_MAX_CHAIN) {
            c->cert_off[c->cert_n] = (size_t)(data.p - c->hs);
            c->cert_len[c->cert_n] = rd_left(&data);
            c->cert_n++;
        }
        total++;
    }
    if (!total)
        FAIL(TLS_ERR_DECODE);                      /* 4.4.2.4 */
    const uint8_t *certs[TLS_MAX_CHAIN];
    for (size_t i = 0; i < c->cert_n; i++)
        certs[i] = c->hs + c->cert_off[i];
    int e = c->cfg->verify_chain(c->cfg->verify_ctx, certs, c->cert_len, c->cert_n, c->host);
    if (e) {
        if (e < 0 || e >= TLS_ERR_COUNT)
            e = TLS_ERR_BAD_CERTIFICATE;
        tls_fail(c, e);
        const char *d = c->cfg->verify_detail ? c->cfg->verify_detail(c->cfg->verify_ctx) : NULL;
        if (d && strcmp(d, c->errstr)) {
            size_t n = strlen(c->errstr);
            if (n + 2 < sizeof c->errstr) {
                c->errstr[n++] = ':';
                for (; *d && n + 1 < sizeof c->errstr; d++)
                    c->errstr[n++] = *d;
                c->errstr[n] = 0;
            }
        }
        return e;
    }
    tls_transcript(c, msg, len);
    /* Keep the chain in the buffer until CertificateVerify is checked. */
    c->hs_keep = (size_t)(msg - c->hs) + len;
    c->state = TLS_ST_WAIT_CV;
    return TLS_OK;
}

/* ---- CertificateVerify (4.4.3) ------------------------------------------- */

/* 64 spaces, the context string, a zero byte, then the transcript hash. */
size_t hs_cv_content(const struct tls_conn *c, int server, uint8_t *out)
{
    static const char sctx[] = "TLS 1.3, server CertificateVerify";
    static const char cctx[] = "TLS 1.3, client CertificateVerify";
    memset(out, 0x20, 64);
    memcpy(out + 64, server ? sctx : cctx, sizeof sctx);  /* includes the 0 */
    tls_transcript_hash(c, out + 64 + sizeof sctx);
    return 64 + sizeof sctx + c->hash->digest_len;
}

enum tls_err hs_handle_cv(struct tls_conn *c, const uint8_t *msg, size_t len)
{
    struct reader r = rd_init(msg + 4, len - 4);
    uint32_t scheme = rd_u16(&r);
    struct reader sig = rd_vec(&r, 2);
    if (!rd_ok(&r) || rd_left(&r) || !rd_left(&sig))
        FAIL(TLS_ERR_DECODE);
    if (!hs_sig_offered((uint16_t)scheme))
        FAIL(TLS_ERR_ILLEGAL_PARAMETER);
    uint8_t content[64 + 34 + TLS_HASH_MAX];
    size_t n = hs_cv_content(c, 1, content);
    int e = c->cfg->verify_sig(c->cfg->verify_ctx, (uint16_t)scheme, content, n, sig.p,
                               rd_left(&sig));
    if (e)
        FAIL(e == TLS_ERR_ILLEGAL_PARAMETER ? e : TLS_ERR_DECRYPT_ERROR);
    c->sig_scheme = (uint16_t)scheme;
    tls_transcript(c, msg, len);
    c->hs_keep = 0;                               /* release the chain */
    c->state = TLS_ST_WAIT_FIN;
    return TLS_OK;
}

/* ---- Finished (4.4.4) ---------------------------------------------------- */

enum tls_err hs_handle_fin(struct tls_conn *c, const uint8_t *msg, size_t len)
{
    size_t h = c->hash->digest_len;
    if (len != 4 + h)
        FAIL(TLS_ERR_DECODE);
    uint8_t th[TLS_HASH_MAX], expect[TLS_HASH_MAX];
    tls_transcript_hash(c, th);
    if (ks_finished(c->hash, c->s_secret, th, expect))
        FAIL(TLS_ERR_CRYPTO);
    int ok = crypto_ct_memeq(expect, msg + 4, h);
    crypto_zeroize(expect, sizeof expect);
    if (!ok)
        FAIL(TLS_ERR_DECRYPT_ERROR);
    tls_transcript(c, msg, len);
    tls_transcript_hash(c, th);                   /* ClientHello..server Finished */

    /* 7.1: master secret and application traffic secrets. */
    uint8_t ms[TLS_HASH_MAX], c_ap[TLS_HASH_MAX], s_ap[TLS_HASH_MAX], exp[TLS_HASH_MAX];
    if (ks_next_stage(c->hash, c->secret, NULL, 0, ms) ||
        ks_derive(c->hash, ms, "c ap traffic", th, c_ap) ||
        ks_derive(c->hash, ms, "s ap traffic", th, s_ap) ||
        ks_derive(c->hash, ms, "exp master", th, exp))
        FAIL(TLS_ERR_CRYPTO);
    crypto_zeroize(c->secret, sizeof c->secret);
    memcpy(c->secret, ms, h);
    crypto_zeroize(ms, sizeof ms);
    tls_keylog(c, "X_MASTER_SECRET", c->secret);
    tls_keylog(c, "CLIENT_TRAFFIC_SECRET_0", c_ap);
    tls_keylog(c, "SERVER_TRAFFIC_SECRET_0", s_ap);
    tls_keylog(c, "EXPORTER_SECRET", exp);
    crypto_zeroize(exp, sizeof exp);
    int e = tls_install_keys(c, &c->rd, s_ap);
    memcpy(c->s_secret, s_ap, h);
    crypto_zeroize(s_ap, sizeof s_ap);
    if (e) {
        crypto_zeroize(c_ap, sizeof c_ap);
        FAIL(e);
    }
    /* Our flight goes out under the client handshake traffic keys. */
    e = hs_send_client_flight(c);
    if (e) {
        crypto_zeroize(c_ap, sizeof c_ap);
        return e;
    }
    tls_transcript_hash(c, th);                   /* ... client Finished */
    if (ks_derive(c->hash, c->secret, "res master", th, c->res_master)) {
        crypto_zeroize(c_ap, sizeof c_ap);
        FAIL(TLS_ERR_CRYPTO);
    }
    tls_keylog(c, "X_RES_MASTER", c->res_master);
    crypto_zeroize(c->secret, sizeof c->secret);
    memcpy(c->c_secret, c_ap, h);
    crypto_zeroize(c_ap, sizeof c_ap);
    if (tls_install_keys(c, &c->wr, c->c_secret))
        FAIL(TLS_ERR_CRYPTO);
    crypto_zeroize(&c->th256, sizeof c->th256);
    crypto_zeroize(&c->th384, sizeof c->th384);
    c->state = TLS_ST_CONNECTED;
    return TLS_OK;
}

