/* ServerHello and HelloRetryRequest (RFC 8446 4.1.3, 4.1.4, 4.2.1, 4.2.8,
   4.4.1): version, downgrade, session id, suite and extension checks, the
   (EC)DHE shared secret and the handshake traffic keys; an HRR restarts the
   transcript with message_hash and sends the second ClientHello.
   Every read is bounds-checked; bad input ends in tls_fail with the alert
   the RFC names. see tls_int.h */
#include <string.h>
#include "crypto/crypto.h"
#include "crypto/mlkem.h"
#include "crypto/p256.h"
#include "crypto/p384.h"
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
    struct reader sid, exts;
};

static int parse_sh(struct reader *r, struct sh *s)
{
    s->version = rd_u16(r);
    s->random = rd_bytes(r, 32);
    uint32_t sidlen = rd_u8(r);
    if (!rd_ok(r) || sidlen > 32)
        return -1;
    s->sid = rd_sub(r, sidlen);
    s->suite = rd_u16(r);
    s->comp = rd_u8(r);
    s->exts = rd_vec(r, 2);
    if (!rd_ok(r) || rd_left(r))
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
static int find_sv(struct reader exts, bool *has, uint32_t *sv)
{
    *has = false;
    while (rd_left(&exts)) {
        uint32_t t = rd_u16(&exts);
        struct reader d = rd_vec(&exts, 2);
        if (!rd_ok(&exts))
            return -1;
        if (t == EXT_SUPPORTED_VERSIONS) {
            if (*has)
                return -1;
            *sv = rd_u16(&d);
            if (!rd_ok(&d) || rd_left(&d))
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
    struct reader ex = s->exts;
    struct hs_ext_seen seen = { .n = 0 };
    const uint8_t *cookie = NULL;
    size_t cookielen = 0;
    uint32_t group = 0;
    bool has_ks = false;
    while (rd_left(&ex)) {
        uint32_t t;
        struct reader d;
        enum tls_err de = hs_ext_next(&ex, &seen, &t, &d);
        if (de)
            FAIL(de);
        switch (t) {
        case EXT_SUPPORTED_VERSIONS:
            break;
        case EXT_KEY_SHARE:
            group = rd_u16(&d);
            if (!rd_ok(&d) || rd_left(&d))
                FAIL(TLS_ERR_DECODE);
            has_ks = true;
            break;
        case EXT_COOKIE: {
            struct reader ck = rd_vec(&d, 2);
            if (!rd_ok(&d) || rd_left(&d) || !rd_left(&ck))
                FAIL(TLS_ERR_DECODE);
            cookie = ck.p;
            cookielen = rd_left(&ck);
            break;
        }
        default:
            FAIL(hs_ext_unexpected(t));
        }
    }
    /* 4.1.4: the group must be one we offered and not one we sent a share
       for; an HRR that would not change the ClientHello is illegal. */
    if (has_ks && (!hs_group_offered(c, (uint16_t)group) || group == c->share_group ||
                   group == c->share_group2))
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
        hs_wipe_shares(c);
        c->share_group = (uint16_t)group;
        c->share_group2 = 0;
    }
    return hs_send_client_hello(c, cookie, cookielen, keep);
}

/* The (EC)DHE input of the key schedule into z (64 bytes of room). A share
of the wrong length is illegal_parameter; a peer point that is not on the
curve or gives an all-zero X25519 / ECDH result is bad_key_share
(illegal_parameter too, 4.2.8.2, 7.4.2). */
static int compute_shared(struct tls_conn *c, uint32_t group, const struct reader *ke, uint8_t *z, size_t *zlen)
{
    size_t n = rd_left(ke);
    switch (group) {
    case TLS_GROUP_X25519:
        if (n != X25519_LEN)
            return TLS_ERR_ILLEGAL_PARAMETER;
        if (x25519(z, c->x25519_priv, ke->p) != CRYPTO_OK)
            return TLS_ERR_BAD_KEY_SHARE;           /* all-zero: 7.4.2 */
        *zlen = 32;
        break;
    case TLS_GROUP_SECP256R1:
        if (n != P256_POINT_LEN || ke->p[0] != 4)
            return TLS_ERR_ILLEGAL_PARAMETER;      /* 4.2.8.2 uncompressed only */
        if (p256_ecdh(z, c->p256_priv, ke->p, n) != CRYPTO_OK)
            return TLS_ERR_BAD_KEY_SHARE;
        *zlen = 32;
        break;
    case TLS_GROUP_SECP384R1:
        if (n != P384_POINT_LEN || ke->p[0] != 4)
            return TLS_ERR_ILLEGAL_PARAMETER;
        if (p384_ecdh(z, c->p384_priv, ke->p, n) != CRYPTO_OK)
            return TLS_ERR_BAD_KEY_SHARE;
        *zlen = 48;
        break;
    case TLS_GROUP_X25519MLKEM768:
        /* ciphertext || X25519 share -> ML-KEM secret || X25519 secret. A
           wrong ciphertext of the right length is no error here: implicit
           rejection gives another secret and the handshake keys differ. */
        if (n != MLKEM768_CT_BYTES + X25519_LEN)
            return TLS_ERR_ILLEGAL_PARAMETER;
        if (mlkem768_decaps(z, ke->p, MLKEM768_CT_BYTES, c->mlkem_dk, sizeof c->mlkem_dk) != CRYPTO_OK)
            return TLS_ERR_CRYPTO;
        if (x25519(z + MLKEM768_SS_BYTES, c->x25519_priv, ke->p + MLKEM768_CT_BYTES) != CRYPTO_OK)
            return TLS_ERR_BAD_KEY_SHARE;
        *zlen = MLKEM768_SS_BYTES + X25519_LEN;
        break;
    default:
        return TLS_ERR_ILLEGAL_PARAMETER;
    }
    return TLS_OK;
}

enum tls_err hs_handle_server_hello(struct tls_conn *c, const uint8_t *msg, size_t len)
{
    struct reader r = rd_init(msg + 4, len - 4);
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

    struct reader ex = s.exts, ke = { NULL, NULL, false };
    struct hs_ext_seen seen = { .n = 0 };
    uint32_t group = 0, selected = 0;
    bool has_ks = false, has_psk = false;
    while (rd_left(&ex)) {
        uint32_t t;
        struct reader d;
        enum tls_err de = hs_ext_next(&ex, &seen, &t, &d);
        if (de)
            FAIL(de);
        switch (t) {
        case EXT_SUPPORTED_VERSIONS:
            break;
        case EXT_KEY_SHARE:
            group = rd_u16(&d);
            ke = rd_vec(&d, 2);
            if (!rd_ok(&d) || rd_left(&d) || !rd_left(&ke))
                FAIL(TLS_ERR_DECODE);
            has_ks = true;
            break;
        case EXT_PRE_SHARED_KEY:                   /* 4.2.11 */
            if (!c->psk_offered)
                FAIL(TLS_ERR_UNSUPPORTED_EXTENSION);
            selected = rd_u16(&d);
            if (!rd_ok(&d) || rd_left(&d))
                FAIL(TLS_ERR_DECODE);
            if (selected != 0)                     /* we offered one identity */
                FAIL(TLS_ERR_ILLEGAL_PARAMETER);
            has_psk = true;
            break;
        default:
            FAIL(hs_ext_unexpected(t));
        }
    }
    if (!has_ks)
        FAIL(TLS_ERR_MISSING_EXTENSION);           /* 9.2: (EC)DHE without PSK */
    if (group != c->share_group && (!c->share_group2 || group != c->share_group2))
        FAIL(TLS_ERR_ILLEGAL_PARAMETER);           /* 4.2.8: a share we sent */
    uint8_t z[MLKEM768_SS_BYTES + X25519_LEN];
    size_t zlen = 0;
    e = compute_shared(c, group, &ke, z, &zlen);
    hs_wipe_shares(c);
    if (e) {
        crypto_zeroize(z, sizeof z);
        FAIL(e);
    }
    set_suite(c, (uint16_t)s.suite);
    c->group = (uint16_t)group;
    if (has_psk && c->hash != tls_suite_info(c->resume->suite)->hash) {
        crypto_zeroize(z, sizeof z);
        FAIL(TLS_ERR_ILLEGAL_PARAMETER);           /* 4.2.11: suite/PSK hash */
    }
    c->resumed = has_psk;
    tls_transcript(c, msg, len);

    /* 7.1: early secret (from the PSK when resuming) -> handshake secret ->
       traffic secrets. */
    uint8_t early[TLS_HASH_MAX], th[TLS_HASH_MAX];
    if (has_psk)
        ks_early_secret(c->hash, c->resume->psk, c->hash->digest_len, early);
    else
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

