/* Interpretation of the server's handshake messages (RFC 8446 4.1.3-4.1.4,
   4.3, 4.4, 4.6; RFC 9846): ServerHello / HelloRetryRequest checks, key
   derivation, EncryptedExtensions, CertificateRequest, Certificate,
   CertificateVerify, Finished, NewSessionTicket and KeyUpdate.
   Every read is bounds-checked; bad input ends in tls_fail with the alert
   the RFC names. see tls_int.h */
#include <string.h>
#include "crypto/crypto.h"
#include "crypto/p256.h"
#include "crypto/x25519.h"
#include "tls/tls_int.h"

/* 4.1.3: SHA-256("HelloRetryRequest") */
static const uint8_t hrr_random[32] = {
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
    0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c
};
/* 4.1.3 downgrade sentinels: "DOWNGRD" followed by 01 (TLS 1.2) or 00. */
static const uint8_t downgrade[7] = { 0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44 };

#define FAIL(e) return tls_fail(c, (e))

/* Classifies an extension not acceptable in the current message: one the
   RFC defines for other messages is illegal_parameter (4.2), anything we
   never asked for is unsupported_extension. */
static int ext_unexpected(uint32_t type)
{
    switch (type) {
    case EXT_SERVER_NAME: case EXT_MAX_FRAGMENT_LENGTH: case EXT_STATUS_REQUEST:
    case EXT_SUPPORTED_GROUPS: case EXT_SIGNATURE_ALGORITHMS: case EXT_USE_SRTP:
    case EXT_HEARTBEAT: case EXT_ALPN: case EXT_SCT: case EXT_CLIENT_CERT_TYPE:
    case EXT_SERVER_CERT_TYPE: case EXT_PADDING: case EXT_RECORD_SIZE_LIMIT:
    case EXT_PRE_SHARED_KEY: case EXT_EARLY_DATA: case EXT_SUPPORTED_VERSIONS:
    case EXT_COOKIE: case EXT_PSK_KEY_EXCHANGE_MODES: case EXT_CERT_AUTHORITIES:
    case EXT_OID_FILTERS: case EXT_POST_HANDSHAKE_AUTH: case EXT_SIG_ALGS_CERT:
    case EXT_KEY_SHARE:
        return TLS_ERR_ILLEGAL_PARAMETER;
    default:
        return TLS_ERR_UNSUPPORTED_EXTENSION;
    }
}

/* Duplicate detection over the extension types we know (all < 64). */
static int ext_dup(uint64_t *seen, uint32_t type)
{
    if (type >= 64)
        return 0;
    if (*seen & ((uint64_t)1 << type))
        return 1;
    *seen |= (uint64_t)1 << type;
    return 0;
}

static void set_suite(struct tls_conn *c, uint16_t suite)
{
    const struct tls_suite_info *si = tls_suite_info(suite);
    c->suite = suite;
    c->hash = si->hash;
}

/* ---- ServerHello / HelloRetryRequest ------------------------------------ */

struct sh {
    uint32_t version, suite, comp;
    const uint8_t *random;
    struct rd sid, exts;
};

static int parse_sh(struct rd *r, struct sh *s)
{
    uint32_t sidlen;
    if (rd_u16(r, &s->version) || rd_bytes(r, 32, &s->random))
        return -1;
    if (rd_u8(r, &sidlen) || sidlen > 32 || rd_bytes(r, sidlen, &s->sid.p))
        return -1;
    s->sid.end = s->sid.p + sidlen;
    if (rd_u16(r, &s->suite) || rd_u8(r, &s->comp) || rd_vec(r, 2, &s->exts) || rd_left(r))
        return -1;
    return 0;
}

/* Checks common to ServerHello and HelloRetryRequest (4.1.3, 4.1.4). */
static int sh_common(struct tls_conn *c, const struct sh *s, bool has_sv, uint32_t sv)
{
    if (!has_sv) {
        /* A TLS 1.2-or-older answer: first the downgrade sentinel, then the
           version refusal (we only speak TLS 1.3). */
        if (!memcmp(s->random + 24, downgrade, 7) && s->random[31] <= 1)
            return TLS_ERR_DOWNGRADE;
        return TLS_ERR_PROTOCOL_VERSION;
    }
    if (sv != 0x0304)
        return TLS_ERR_ILLEGAL_PARAMETER;
    if (s->version != 0x0303)
        return TLS_ERR_PROTOCOL_VERSION;
    if (!memcmp(s->random + 24, downgrade, 7) && s->random[31] <= 1)
        return TLS_ERR_DOWNGRADE;
    size_t sidlen = rd_left(&s->sid);
    if (sidlen != c->session_id_len || memcmp(s->sid.p, c->session_id, sidlen))
        return TLS_ERR_ILLEGAL_PARAMETER;
    if (!hs_suite_offered(c, (uint16_t)s->suite))
        return TLS_ERR_ILLEGAL_PARAMETER;
    if (c->hrr_done && s->suite != c->suite)
        return TLS_ERR_ILLEGAL_PARAMETER;      /* 4.1.4 */
    if (s->comp != 0)
        return TLS_ERR_ILLEGAL_PARAMETER;
    return TLS_OK;
}

/* Scans for supported_versions first so the version verdict comes before
   any other extension complaint. */
static int find_sv(struct rd exts, bool *has, uint32_t *sv)
{
    *has = false;
    while (rd_left(&exts)) {
        uint32_t t;
        struct rd d;
        if (rd_u16(&exts, &t) || rd_vec(&exts, 2, &d))
            return -1;
        if (t == EXT_SUPPORTED_VERSIONS) {
            if (*has || rd_u16(&d, sv) || rd_left(&d))
                return -1;
            *has = true;
        }
    }
    return 0;
}

static int handle_hrr(struct tls_conn *c, const uint8_t *msg, size_t len, const struct sh *s)
{
    if (c->hrr_done)
        FAIL(TLS_ERR_UNEXPECTED_MESSAGE);          /* 4.1.4: at most one */
    struct rd ex = s->exts;
    uint64_t seen = 0;
    const uint8_t *cookie = NULL;
    size_t cookielen = 0;
    uint32_t group = 0;
    bool has_ks = false;
    while (rd_left(&ex)) {
        uint32_t t;
        struct rd d;
        if (rd_u16(&ex, &t) || rd_vec(&ex, 2, &d))
            FAIL(TLS_ERR_DECODE);
        if (ext_dup(&seen, t))
            FAIL(TLS_ERR_ILLEGAL_PARAMETER);
        switch (t) {
        case EXT_SUPPORTED_VERSIONS:
            break;
        case EXT_KEY_SHARE:
            if (rd_u16(&d, &group) || rd_left(&d))
                FAIL(TLS_ERR_DECODE);
            has_ks = true;
            break;
        case EXT_COOKIE: {
            struct rd ck;
            if (rd_vec(&d, 2, &ck) || rd_left(&d) || !rd_left(&ck))
                FAIL(TLS_ERR_DECODE);
            cookie = ck.p;
            cookielen = rd_left(&ck);
            break;
        }
        default:
            FAIL(ext_unexpected(t));
        }
    }
    /* 4.1.4: the group must be one we support and not the one we sent; an
       HRR that would not change the ClientHello is illegal. */
    if (has_ks && ((group != TLS_GROUP_X25519 && group != TLS_GROUP_SECP256R1) ||
                   group == c->share_group))
        FAIL(TLS_ERR_ILLEGAL_PARAMETER);
    if (!has_ks && !cookie)
        FAIL(TLS_ERR_ILLEGAL_PARAMETER);
    set_suite(c, (uint16_t)s->suite);
    /* 4.4.1: the transcript restarts with message_hash(Hash(ClientHello1)). */
    uint8_t h[TLS_HASH_MAX], mh[4] = { HS_MESSAGE_HASH, 0, 0, (uint8_t)c->hash->digest_len };
    tls_transcript_hash(c, h);
    hash_ctx *th = c->hash == &hash_sha384 ? &c->th384 : &c->th256;
    c->hash->init(th);
    tls_transcript(c, mh, 4);
    tls_transcript(c, h, c->hash->digest_len);
    tls_transcript(c, msg, len);
    c->hrr_done = 1;
    int keep = !has_ks;
    if (has_ks) {
        crypto_zeroize(c->x25519_priv, 32);
        crypto_zeroize(c->p256_priv, 32);
        c->share_group = (uint16_t)group;
    }
    return hs_send_client_hello(c, cookie, cookielen, keep);
}

static int compute_shared(struct tls_conn *c, uint32_t group, struct rd *ke, uint8_t *z, size_t *zlen)
{
    if (group == TLS_GROUP_X25519) {
        if (rd_left(ke) != 32)
            return TLS_ERR_ILLEGAL_PARAMETER;
        if (x25519(z, c->x25519_priv, ke->p) != CRYPTO_OK)
            return TLS_ERR_BAD_KEY_SHARE;           /* all-zero: 7.4.2 */
        *zlen = 32;
    } else {
        if (rd_left(ke) != 65 || ke->p[0] != 4)
            return TLS_ERR_ILLEGAL_PARAMETER;      /* 4.2.8.2 uncompressed only */
        if (p256_ecdh(z, c->p256_priv, ke->p, 65) != CRYPTO_OK)
            return TLS_ERR_BAD_KEY_SHARE;
        *zlen = 32;
    }
    return TLS_OK;
}

static int handle_server_hello(struct tls_conn *c, const uint8_t *msg, size_t len)
{
    struct rd r = { msg + 4, msg + len };
    struct sh s;
    if (parse_sh(&r, &s))
        FAIL(TLS_ERR_DECODE);
    bool has_sv;
    uint32_t sv = 0;
    if (find_sv(s.exts, &has_sv, &sv))
        FAIL(TLS_ERR_DECODE);
    int e = sh_common(c, &s, has_sv, sv);
    if (e)
        FAIL(e);
    if (!memcmp(s.random, hrr_random, 32))
        return handle_hrr(c, msg, len, &s);

    struct rd ex = s.exts, ke = { 0, 0 };
    uint64_t seen = 0;
    uint32_t group = 0;
    bool has_ks = false;
    while (rd_left(&ex)) {
        uint32_t t;
        struct rd d;
        if (rd_u16(&ex, &t) || rd_vec(&ex, 2, &d))
            FAIL(TLS_ERR_DECODE);
        if (ext_dup(&seen, t))
            FAIL(TLS_ERR_ILLEGAL_PARAMETER);
        switch (t) {
        case EXT_SUPPORTED_VERSIONS:
            break;
        case EXT_KEY_SHARE:
            if (rd_u16(&d, &group) || rd_vec(&d, 2, &ke) || rd_left(&d) || !rd_left(&ke))
                FAIL(TLS_ERR_DECODE);
            has_ks = true;
            break;
        case EXT_PRE_SHARED_KEY:
            FAIL(TLS_ERR_UNSUPPORTED_EXTENSION);   /* we offered no PSK */
        default:
            FAIL(ext_unexpected(t));
        }
    }
    if (!has_ks)
        FAIL(TLS_ERR_MISSING_EXTENSION);           /* 9.2: (EC)DHE without PSK */
    if (group != c->share_group)
        FAIL(TLS_ERR_ILLEGAL_PARAMETER);           /* 4.2.8 */
    uint8_t z[32];
    size_t zlen = 0;
    e = compute_shared(c, group, &ke, z, &zlen);
    crypto_zeroize(c->x25519_priv, 32);
    crypto_zeroize(c->p256_priv, 32);
    if (e) {
        crypto_zeroize(z, sizeof z);
        FAIL(e);
    }
    set_suite(c, (uint16_t)s.suite);
    c->group = (uint16_t)group;
    tls_transcript(c, msg, len);

    /* 7.1: early secret (no PSK) -> handshake secret -> traffic secrets. */
    uint8_t early[TLS_HASH_MAX], th[TLS_HASH_MAX];
    ks_early_secret(c->hash, NULL, 0, early);
    tls_keylog(c, "X_EARLY_SECRET", early);
    int r1 = ks_next_stage(c->hash, early, z, zlen, c->secret);
    crypto_zeroize(early, sizeof early);
    crypto_zeroize(z, sizeof z);
    tls_transcript_hash(c, th);
    if (r1 || ks_derive(c->hash, c->secret, "c hs traffic", th, c->c_secret) ||
        ks_derive(c->hash, c->secret, "s hs traffic", th, c->s_secret))
        FAIL(TLS_ERR_CRYPTO);
    tls_keylog(c, "X_HANDSHAKE_SECRET", c->secret);
    tls_keylog(c, "CLIENT_HANDSHAKE_TRAFFIC_SECRET", c->c_secret);
    tls_keylog(c, "SERVER_HANDSHAKE_TRAFFIC_SECRET", c->s_secret);
    if (tls_install_keys(c, &c->rd, c->s_secret) || tls_install_keys(c, &c->wr, c->c_secret))
        FAIL(TLS_ERR_CRYPTO);
    c->state = TLS_ST_WAIT_EE;
    return TLS_OK;
}

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

static int handle_ee(struct tls_conn *c, const uint8_t *msg, size_t len)
{
    struct rd r = { msg + 4, msg + len }, ex;
    if (rd_vec(&r, 2, &ex) || rd_left(&r))
        FAIL(TLS_ERR_DECODE);
    uint64_t seen = 0;
    while (rd_left(&ex)) {
        uint32_t t, v;
        struct rd d;
        if (rd_u16(&ex, &t) || rd_vec(&ex, 2, &d))
            FAIL(TLS_ERR_DECODE);
        if (ext_dup(&seen, t))
            FAIL(TLS_ERR_ILLEGAL_PARAMETER);
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
            struct rd list, name;
            if (c->cfg->no_alpn)
                FAIL(TLS_ERR_UNSUPPORTED_EXTENSION);
            if (rd_vec(&d, 2, &list) || rd_left(&d) || rd_vec(&list, 1, &name) ||
                rd_left(&list) || !rd_left(&name))
                FAIL(TLS_ERR_DECODE);
            if (!alpn_offered(c, name.p, rd_left(&name)) || rd_left(&name) >= sizeof c->alpn)
                FAIL(TLS_ERR_ILLEGAL_PARAMETER);
            memcpy(c->alpn, name.p, rd_left(&name));
            c->alpn[rd_left(&name)] = 0;
            break;
        }
        case EXT_RECORD_SIZE_LIMIT:                /* RFC 8449 4 */
            if (rd_u16(&d, &v) || rd_left(&d))
                FAIL(TLS_ERR_DECODE);
            if (v < 64)
                FAIL(TLS_ERR_ILLEGAL_PARAMETER);
            c->peer_rsl = (uint16_t)(v > TLS_MAX_PLAINTEXT + 1 ? TLS_MAX_PLAINTEXT + 1 : v);
            break;
        case EXT_MAX_FRAGMENT_LENGTH: case EXT_USE_SRTP: case EXT_HEARTBEAT:
        case EXT_CLIENT_CERT_TYPE: case EXT_SERVER_CERT_TYPE: case EXT_EARLY_DATA:
            FAIL(TLS_ERR_UNSUPPORTED_EXTENSION);   /* allowed in EE, not offered */
        default:
            FAIL(ext_unexpected(t));
        }
    }
    tls_transcript(c, msg, len);
    c->state = TLS_ST_WAIT_CERT_CR;
    return TLS_OK;
}

/* ---- CertificateRequest (4.3.2) ----------------------------------------- */

static int handle_cr(struct tls_conn *c, const uint8_t *msg, size_t len)
{
    struct rd r = { msg + 4, msg + len }, ctx, ex;
    if (rd_vec(&r, 1, &ctx) || rd_vec(&r, 2, &ex) || rd_left(&r))
        FAIL(TLS_ERR_DECODE);
    if (rd_left(&ctx))
        FAIL(TLS_ERR_ILLEGAL_PARAMETER);           /* empty in the handshake */
    bool has_sa = false;
    uint64_t seen = 0;
    c->cr_sig_ok = 0;
    while (rd_left(&ex)) {
        uint32_t t;
        struct rd d, list;
        if (rd_u16(&ex, &t) || rd_vec(&ex, 2, &d))
            FAIL(TLS_ERR_DECODE);
        if (ext_dup(&seen, t))
            FAIL(TLS_ERR_ILLEGAL_PARAMETER);
        if (t != EXT_SIGNATURE_ALGORITHMS)
            continue;                              /* others are ignored */
        if (rd_vec(&d, 2, &list) || rd_left(&d) || rd_left(&list) < 2 || rd_left(&list) % 2)
            FAIL(TLS_ERR_DECODE);
        has_sa = true;
        while (rd_left(&list)) {
            uint32_t s = 0;
            rd_u16(&list, &s);
            if (s == c->cfg->client_sig_scheme)
                c->cr_sig_ok = 1;
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

static int handle_cert(struct tls_conn *c, const uint8_t *msg, size_t len)
{
    struct rd r = { msg + 4, msg + len }, ctx, list;
    if (rd_vec(&r, 1, &ctx) || rd_vec(&r, 3, &list) || rd_left(&r))
        FAIL(TLS_ERR_DECODE);
    if (rd_left(&ctx))
        FAIL(TLS_ERR_ILLEGAL_PARAMETER);
    c->cert_n = 0;
    size_t total = 0;
    while (rd_left(&list)) {
        struct rd data, ex;
        if (rd_vec(&list, 3, &data) || !rd_left(&data) || rd_vec(&list, 2, &ex))
            FAIL(TLS_ERR_DECODE);
        uint64_t seen = 0;
        while (rd_left(&ex)) {
            uint32_t t;
            struct rd d;
            if (rd_u16(&ex, &t) || rd_vec(&ex, 2, &d))
                FAIL(TLS_ERR_DECODE);
            if (ext_dup(&seen, t))
                FAIL(TLS_ERR_ILLEGAL_PARAMETER);
            /* We request neither OCSP stapling nor SCTs. */
            FAIL(t == EXT_STATUS_REQUEST || t == EXT_SCT ? TLS_ERR_UNSUPPORTED_EXTENSION
                                                          : ext_unexpected(t));
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

static int handle_cv(struct tls_conn *c, const uint8_t *msg, size_t len)
{
    struct rd r = { msg + 4, msg + len }, sig;
    uint32_t scheme;
    if (rd_u16(&r, &scheme) || rd_vec(&r, 2, &sig) || rd_left(&r) || !rd_left(&sig))
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

static int handle_fin(struct tls_conn *c, const uint8_t *msg, size_t len)
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

/* ---- post-handshake (4.6) ------------------------------------------------ */

static int handle_nst(struct tls_conn *c, const uint8_t *msg, size_t len)
{
    struct rd r = { msg + 4, msg + len }, nonce, ticket, ex;
    uint32_t lifetime, age_add, max_early = 0;
    if (rd_u32(&r, &lifetime) || rd_u32(&r, &age_add) || rd_vec(&r, 1, &nonce) ||
        rd_vec(&r, 2, &ticket) || !rd_left(&ticket) || rd_vec(&r, 2, &ex) || rd_left(&r))
        FAIL(TLS_ERR_DECODE);
    if (lifetime > 604800)
        FAIL(TLS_ERR_ILLEGAL_PARAMETER);           /* 4.6.1: at most 7 days */
    uint64_t seen = 0;
    while (rd_left(&ex)) {
        uint32_t t;
        struct rd d;
        if (rd_u16(&ex, &t) || rd_vec(&ex, 2, &d))
            FAIL(TLS_ERR_DECODE);
        if (ext_dup(&seen, t))
            FAIL(TLS_ERR_ILLEGAL_PARAMETER);
        if (t == EXT_EARLY_DATA && (rd_u32(&d, &max_early) || rd_left(&d)))
            FAIL(TLS_ERR_DECODE);
        /* unknown extensions are ignored (4.6.1) */
    }
    c->tickets_seen++;
    struct tls_ticket *tk = &c->ticket;
    if (rd_left(&ticket) <= TLS_TICKET_MAX) {
        tk->lifetime = lifetime;
        tk->age_add = age_add;
        tk->len = (uint16_t)rd_left(&ticket);
        memcpy(tk->ticket, ticket.p, tk->len);
        tk->suite = c->suite;
        tk->max_early_data = max_early;
        if (ks_resumption_psk(c->hash, c->res_master, nonce.p, rd_left(&nonce), tk->psk))
            FAIL(TLS_ERR_CRYPTO);
    }
    return TLS_OK;
}

static int handle_key_update(struct tls_conn *c, const uint8_t *msg, size_t len)
{
    if (len != 5)
        FAIL(TLS_ERR_DECODE);
    if (msg[4] > 1)
        FAIL(TLS_ERR_ILLEGAL_PARAMETER);           /* 4.6.3 */
    if (ks_update_secret(c->hash, c->s_secret) || tls_install_keys(c, &c->rd, c->s_secret))
        FAIL(TLS_ERR_CRYPTO);
    c->key_updates_rcvd++;
    if (msg[4] == 1 && !c->close_sent)
        c->ku_owed = 1;                            /* answered by flush_owed */
    return TLS_OK;
}

int hs_handle(struct tls_conn *c, const uint8_t *msg, size_t len)
{
    uint8_t type = msg[0];
    switch (c->state) {
    case TLS_ST_WAIT_SH:
        if (type == HS_SERVER_HELLO)
            return handle_server_hello(c, msg, len);
        break;
    case TLS_ST_WAIT_EE:
        if (type == HS_ENCRYPTED_EXTENSIONS)
            return handle_ee(c, msg, len);
        break;
    case TLS_ST_WAIT_CERT_CR:
        if (type == HS_CERTIFICATE_REQUEST)
            return handle_cr(c, msg, len);
        if (type == HS_CERTIFICATE)
            return handle_cert(c, msg, len);
        break;
    case TLS_ST_WAIT_CERT:
        if (type == HS_CERTIFICATE)
            return handle_cert(c, msg, len);
        break;
    case TLS_ST_WAIT_CV:
        if (type == HS_CERTIFICATE_VERIFY)
            return handle_cv(c, msg, len);
        break;
    case TLS_ST_WAIT_FIN:
        if (type == HS_FINISHED)
            return handle_fin(c, msg, len);
        break;
    case TLS_ST_CONNECTED:
        if (type == HS_NEW_SESSION_TICKET)
            return handle_nst(c, msg, len);
        if (type == HS_KEY_UPDATE)
            return handle_key_update(c, msg, len);
        break;
    default:
        break;
    }
    FAIL(TLS_ERR_UNEXPECTED_MESSAGE);
}
