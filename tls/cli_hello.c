/* ClientHello construction (RFC 8446 4.1.2, 4.2; RFC 8449; RFC 6066 3) and
   ephemeral key-share generation. see tls_int.h */
#include <string.h>
#include "crypto/crypto.h"
#include "crypto/mlkem.h"
#include "crypto/p256.h"
#include "crypto/p384.h"
#include "crypto/x25519.h"
#include "tls/tls_int.h"

static const uint16_t default_suites[] = {
    TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256
};

/* signature_algorithms: what we accept in CertificateVerify (4.2.3). */
static const uint16_t sig_algs[] = {
    TLS_SIG_ECDSA_P256_SHA256, TLS_SIG_ECDSA_P384_SHA384, TLS_SIG_RSA_PSS_RSAE_SHA256,
    TLS_SIG_RSA_PSS_RSAE_SHA384, TLS_SIG_RSA_PSS_RSAE_SHA512
};
/* signature_algorithms_cert adds PKCS#1 v1.5 for certificate signatures only. */
static const uint16_t sig_algs_cert[] = {
    TLS_SIG_ECDSA_P256_SHA256, TLS_SIG_ECDSA_P384_SHA384, TLS_SIG_RSA_PSS_RSAE_SHA256,
    TLS_SIG_RSA_PSS_RSAE_SHA384, TLS_SIG_RSA_PSS_RSAE_SHA512, TLS_SIG_RSA_PKCS1_SHA256,
    TLS_SIG_RSA_PKCS1_SHA384
};

bool hs_suite_offered(const struct tls_conn *c, uint16_t suite)
{
    const uint16_t *s = c->cfg->suites ? c->cfg->suites : default_suites;
    size_t n = c->cfg->suites ? c->cfg->suite_count : 3;
    for (size_t i = 0; i < n; i++)
        if (s[i] == suite)
            return tls_suite_info(suite) != NULL;
    return false;
}

bool hs_sig_offered(uint16_t scheme)
{
    for (size_t i = 0; i < sizeof sig_algs / sizeof sig_algs[0]; i++)
        if (sig_algs[i] == scheme)
            return true;
    return false;
}

/* Groups offered when the config names none: the hybrid first, then the
   classical groups (x25519 gets a share next to the hybrid's). */
static const uint16_t default_groups[] = {
    TLS_GROUP_X25519MLKEM768, TLS_GROUP_X25519, TLS_GROUP_SECP256R1, TLS_GROUP_SECP384R1
};

/* Where the encapsulation key sits in an ML-KEM-768 dk (crypto/mlkem.h:
   dk_PKE || ek || H(ek) || z). */
#define MLKEM_DK_EK_OFF 1152

size_t hs_share_len(uint16_t group)
{
    switch (group) {
    case TLS_GROUP_X25519: return X25519_LEN;
    case TLS_GROUP_SECP256R1: return P256_POINT_LEN;
    case TLS_GROUP_SECP384R1: return P384_POINT_LEN;
    case TLS_GROUP_X25519MLKEM768: return MLKEM768_EK_BYTES + X25519_LEN;
    default: return 0;
    }
}

const uint16_t *hs_groups(const struct tls_conn *c, size_t *n)
{
    if (c->cfg->groups && c->cfg->group_count) {
        *n = c->cfg->group_count;
        return c->cfg->groups;
    }
    *n = sizeof default_groups / sizeof default_groups[0];
    return default_groups;
}

bool hs_group_offered(const struct tls_conn *c, uint16_t group)
{
    size_t n;
    const uint16_t *g = hs_groups(c, &n);
    for (size_t i = 0; i < n; i++)
        if (g[i] == group)
            return true;
    return false;
}

enum tls_err hs_groups_init(struct tls_conn *c)
{
    size_t n;
    const uint16_t *g = hs_groups(c, &n);
    if (n == 0 || n > TLS_MAX_GROUPS)
        return TLS_ERR_CONFIG;
    for (size_t i = 0; i < n; i++) {
        if (!hs_share_len(g[i]))
            return TLS_ERR_CONFIG;
        for (size_t j = 0; j < i; j++)
            if (g[j] == g[i])
                return TLS_ERR_CONFIG;
    }
    c->share_group = g[0];
    c->share_group2 = n > 1 && g[0] == TLS_GROUP_X25519MLKEM768 && g[1] == TLS_GROUP_X25519
                          ? TLS_GROUP_X25519 : 0;
    return TLS_OK;
}

void hs_wipe_shares(struct tls_conn *c)
{
    crypto_zeroize(c->x25519_priv, sizeof c->x25519_priv);
    crypto_zeroize(c->p256_priv, sizeof c->p256_priv);
    crypto_zeroize(c->p384_priv, sizeof c->p384_priv);
    crypto_zeroize(c->mlkem_dk, sizeof c->mlkem_dk);
}

/* A NIST-curve key pair: a scalar out of [1, n-1] is rejected by keygen,
   so it is drawn again. */
static enum tls_err ec_share(struct tls_conn *c, int keep_priv, uint8_t *priv, size_t privlen,
                             int (*keygen)(uint8_t *, const uint8_t *), uint8_t *pub)
{
    for (int tries = 0;; tries++) {
        if (tries == 8)
            return TLS_ERR_RNG;
        if ((!keep_priv || tries) && c->cfg->rng(c->cfg->rng_ctx, priv, privlen))
            return TLS_ERR_RNG;
        if (keygen(pub, priv) == CRYPTO_OK)
            return TLS_OK;
    }
}

enum tls_err hs_gen_share(struct tls_conn *c, uint16_t group, int keep_priv, uint8_t *pub, size_t *publen)
{
    enum tls_err e = TLS_OK;
    if (group == TLS_GROUP_X25519) {
        if (!keep_priv && c->cfg->rng(c->cfg->rng_ctx, c->x25519_priv, 32))
            return TLS_ERR_RNG;
        x25519_base(pub, c->x25519_priv);
    } else if (group == TLS_GROUP_SECP256R1) {
        e = ec_share(c, keep_priv, c->p256_priv, sizeof c->p256_priv, p256_keygen, pub);
    } else if (group == TLS_GROUP_SECP384R1) {
        e = ec_share(c, keep_priv, c->p384_priv, sizeof c->p384_priv, p384_keygen, pub);
    } else if (group == TLS_GROUP_X25519MLKEM768) {
        /* ek || X25519 share; the dk is kept until the ServerHello. */
        if (keep_priv) {
            memcpy(pub, c->mlkem_dk + MLKEM_DK_EK_OFF, MLKEM768_EK_BYTES);
        } else {
            uint8_t seed[MLKEM768_SEED_BYTES];
            int bad = c->cfg->rng(c->cfg->rng_ctx, seed, sizeof seed) ||
                      mlkem768_keygen_seed(pub, c->mlkem_dk, seed, sizeof seed) != CRYPTO_OK ||
                      c->cfg->rng(c->cfg->rng_ctx, c->x25519_priv, 32);
            crypto_zeroize(seed, sizeof seed);
            if (bad)
                return TLS_ERR_RNG;
        }
        x25519_base(pub + MLKEM768_EK_BYTES, c->x25519_priv);
    } else {
        return TLS_ERR_INTERNAL;
    }
    if (e)
        return e;
    *publen = hs_share_len(group);
    return TLS_OK;
}

/* A literal IPv4/IPv6 address is not a valid SNI HostName (RFC 6066 3). */
static bool host_is_ip(const char *h)
{
    bool dots_digits = true;
    for (const char *p = h; *p; p++) {
        if (*p == ':')
            return true;
        if (!((*p >= '0' && *p <= '9') || *p == '.'))
            dots_digits = false;
    }
    return dots_digits;
}

/* Extension writer: p is the cursor, end the limit. */
struct wr {
    uint8_t *p, *end;
    int overflow;
};

static uint8_t *w_take(struct wr *w, size_t n)
{
    if ((size_t)(w->end - w->p) < n) {
        w->overflow = 1;
        return NULL;
    }
    uint8_t *q = w->p;
    w->p += n;
    return q;
}

static void w_u8(struct wr *w, uint32_t v)
{
    uint8_t *q = w_take(w, 1);
    if (q)
        q[0] = (uint8_t)v;
}

static void w_u16(struct wr *w, uint32_t v)
{
    uint8_t *q = w_take(w, 2);
    if (q)
        be16_put(q, v);
}

static void w_bytes(struct wr *w, const void *d, size_t n)
{
    if ((size_t)(w->end - w->p) < n) {
        w->overflow = 1;
        return;
    }
    if (n)
        memmove(w->p, d, n);
    w->p += n;
}

/* Opens a 16-bit length-prefixed block; w_close16 fills the length in. */
static uint8_t *w_open16(struct wr *w) { return w_take(w, 2); }
static void w_close16(struct wr *w, uint8_t *lenp)
{
    if (lenp && !w->overflow)
        be16_put(lenp, (uint32_t)(w->p - lenp - 2));
}

static void w_sig_list(struct wr *w, uint16_t type, const uint16_t *list, size_t n)
{
    w_u16(w, type);
    w_u16(w, (uint32_t)(2 + 2 * n));
    w_u16(w, (uint32_t)(2 * n));
    for (size_t i = 0; i < n; i++)
        w_u16(w, list[i]);
}

static int build_ch(struct tls_conn *c, struct wr *w, const uint8_t *cookie, size_t cookielen,
                    int keep_priv)
{
    const struct tls_config *cfg = c->cfg;
    w_u8(w, HS_CLIENT_HELLO);
    uint8_t *msglen = w_take(w, 3);
    w_u16(w, 0x0303);
    w_bytes(w, c->client_random, 32);
    w_u8(w, c->session_id_len);
    w_bytes(w, c->session_id, c->session_id_len);
    const uint16_t *s = cfg->suites ? cfg->suites : default_suites;
    size_t ns = cfg->suites ? cfg->suite_count : 3;
    uint8_t *sl = w_open16(w);
    for (size_t i = 0; i < ns; i++)
        if (tls_suite_info(s[i]))
            w_u16(w, s[i]);
    w_close16(w, sl);
    w_u8(w, 1);
    w_u8(w, 0);
    uint8_t *exts = w_open16(w);

    /* RFC 6066 3: a DNS HostName without the trailing dot of an absolute
       name ("example.com." goes out as "example.com"). */
    size_t hl = strlen(c->host);
    if (hl && c->host[hl - 1] == '.')
        hl--;
    if (hl && !host_is_ip(c->host)) {
        w_u16(w, EXT_SERVER_NAME);
        w_u16(w, (uint32_t)(hl + 5));
        w_u16(w, (uint32_t)(hl + 3));
        w_u8(w, 0);                                      /* host_name */
        w_u16(w, (uint32_t)hl);
        w_bytes(w, c->host, hl);
        c->sent_sni = 1;
    }
    size_t ng;
    const uint16_t *groups = hs_groups(c, &ng);
    w_u16(w, EXT_SUPPORTED_GROUPS);                      /* 4.2.7 */
    w_u16(w, (uint32_t)(2 + 2 * ng));
    w_u16(w, (uint32_t)(2 * ng));
    for (size_t i = 0; i < ng; i++)
        w_u16(w, groups[i]);
    w_sig_list(w, EXT_SIGNATURE_ALGORITHMS, sig_algs, sizeof sig_algs / sizeof sig_algs[0]);
    w_sig_list(w, EXT_SIG_ALGS_CERT, sig_algs_cert, sizeof sig_algs_cert / sizeof sig_algs_cert[0]);
    if (!cfg->no_alpn) {                                 /* RFC 7301 3.1 */
        static const char *const def_alpn[] = { "http/1.1" };
        const char *const *a = cfg->alpn ? cfg->alpn : def_alpn;
        size_t na = cfg->alpn ? cfg->alpn_count : 1;
        w_u16(w, EXT_ALPN);
        uint8_t *el = w_open16(w);
        uint8_t *ll = w_open16(w);
        for (size_t i = 0; i < na && i < TLS_MAX_ALPN; i++) {
            size_t n = strlen(a[i]);
            if (n == 0 || n > 255)
                return TLS_ERR_CONFIG;
            w_u8(w, (uint32_t)n);
            w_bytes(w, a[i], n);
        }
        w_close16(w, ll);
        w_close16(w, el);
    }
    if (cfg->max_fragment_length) {                      /* RFC 6066 4 */
        w_u16(w, EXT_MAX_FRAGMENT_LENGTH);
        w_u16(w, 1);
        w_u8(w, cfg->max_fragment_length);
    }
    w_u16(w, EXT_RECORD_SIZE_LIMIT);                     /* RFC 8449 4 */
    w_u16(w, 2);
    w_u16(w, cfg->record_size_limit ? cfg->record_size_limit : TLS_MAX_PLAINTEXT + 1);
    w_u16(w, EXT_SUPPORTED_VERSIONS);                    /* 4.2.1 */
    w_u16(w, 3);
    w_u8(w, 2);
    w_u16(w, 0x0304);
    w_u16(w, EXT_PSK_KEY_EXCHANGE_MODES);                /* 4.2.9 */
    w_u16(w, 2);
    w_u8(w, 1);
    w_u8(w, 1);                                          /* psk_dhe_ke */
    if (cookie) {                                        /* 4.2.2 */
        w_u16(w, EXT_COOKIE);
        w_u16(w, (uint32_t)(cookielen + 2));
        w_u16(w, (uint32_t)cookielen);
        w_bytes(w, cookie, cookielen);
    }
    /* 4.2.8: the shares in our order of preference; x25519 beside the
       hybrid is the hybrid's own X25519 share (one key for both). */
    size_t l1 = hs_share_len(c->share_group), publen = 0;
    size_t l2 = c->share_group2 ? X25519_LEN : 0;
    size_t kslen = 4 + l1 + (l2 ? 4 + l2 : 0);
    w_u16(w, EXT_KEY_SHARE);
    w_u16(w, (uint32_t)(kslen + 2));
    w_u16(w, (uint32_t)kslen);
    w_u16(w, c->share_group);
    w_u16(w, (uint32_t)l1);
    uint8_t *pub = w_take(w, l1);
    if (!pub)
        return TLS_ERR_MSG_TOO_LARGE;
    int e = hs_gen_share(c, c->share_group, keep_priv, pub, &publen);
    if (e)
        return e;
    if (l2) {
        w_u16(w, c->share_group2);
        w_u16(w, (uint32_t)l2);
        w_bytes(w, pub + l1 - X25519_LEN, X25519_LEN);
    }
    if (c->psk_offered) {                                /* 4.2.11: last */
        const struct tls_ticket *t = c->resume;
        size_t h = tls_suite_info(t->suite)->hash->digest_len;
        w_u16(w, EXT_PRE_SHARED_KEY);
        w_u16(w, (uint32_t)(2 + 2 + t->len + 4 + 2 + 1 + h));
        w_u16(w, (uint32_t)(2 + t->len + 4));
        w_u16(w, t->len);
        w_bytes(w, t->ticket, t->len);
        uint32_t age = c->resume_age_ms + t->age_add;    /* obfuscated_ticket_age */
        w_u16(w, age >> 16);
        w_u16(w, age & 0xffff);
        w_u16(w, (uint32_t)(1 + h));
        w_u8(w, (uint32_t)h);
        uint8_t *b = w_take(w, h);                       /* binder: filled later */
        if (b)
            memset(b, 0, h);
    }
    w_close16(w, exts);
    if (w->overflow || !msglen)
        return TLS_ERR_MSG_TOO_LARGE;
    be24_put(msglen, (uint32_t)(w->p - msglen - 3));
    return TLS_OK;
}

/* 4.2.11.2: binder = HMAC(finished_key(binder_key), Transcript-Hash(
   earlier messages + ClientHello up to the binders list)). */
static int fill_binder(struct tls_conn *c, uint8_t *ch, size_t len)
{
    const struct hash_alg *alg = tls_suite_info(c->resume->suite)->hash;
    size_t h = alg->digest_len;
    uint8_t early[TLS_HASH_MAX], bk[TLS_HASH_MAX], th[TLS_HASH_MAX];
    hash_ctx x = alg == &hash_sha384 ? c->th384 : c->th256;
    alg->update(&x, ch, len - (2 + 1 + h));
    alg->final(&x, th);
    ks_early_secret(alg, c->resume->psk, h, early);
    int r = ks_binder_key(alg, early, bk);
    if (r == 0)
        r = ks_finished(alg, bk, th, ch + len - h);
    crypto_zeroize(early, sizeof early);
    crypto_zeroize(bk, sizeof bk);
    return r ? TLS_ERR_CRYPTO : TLS_OK;
}

#ifdef TLS_TEST_HOOKS
/* The RFC 8448 replay hook (tls_test_set_client_hellos): copies the next
   given ClientHello to p and takes its random and session id. Returns
   TLS_OK with *len set, TLS_ERR_CONFIG when it does not fit, or another
   error; *used false when no override is left. */
static int test_client_hello(struct tls_conn *c, uint8_t *p, size_t cap, int keep_priv,
                             size_t *len, bool *used)
{
    *used = false;
    if (c->test_ch_n <= c->test_ch_used)
        return TLS_OK;
    const uint8_t *ovr = c->test_ch[c->test_ch_used];
    size_t ol = c->test_ch_len[c->test_ch_used++];
    *used = true;
    size_t publen;
    if (cap < hs_share_len(c->share_group))
        return TLS_ERR_CONFIG;
    int e = hs_gen_share(c, c->share_group, keep_priv, p, &publen);  /* overwritten below */
    if (e)
        return e;
    if (ol > cap || ol < 39 || ovr[38] > 32 || ol < 39u + ovr[38])
        return TLS_ERR_CONFIG;
    memcpy(p, ovr, ol);
    memcpy(c->client_random, ovr + 6, 32);
    c->session_id_len = ovr[38];
    memcpy(c->session_id, ovr + 39, ovr[38]);
    c->sent_sni = c->host[0] != 0;   /* the RFC 8448 ClientHellos carry SNI */
    *len = ol;
    return TLS_OK;
}
#endif

enum tls_err hs_send_client_hello(struct tls_conn *c, const uint8_t *cookie, size_t cookielen,
                                  int keep_priv)
{
    int first = !c->hrr_done;
    if (first) {
        if (c->cfg->rng(c->cfg->rng_ctx, c->client_random, 32) ||
            c->cfg->rng(c->cfg->rng_ctx, c->session_id, 32))
            return tls_fail(c, TLS_ERR_RNG);
        c->session_id_len = 32;              /* middlebox compatibility (D.4) */
    }
    size_t cap;
    uint8_t *p = tls_scratch(c, &cap);
    size_t len;
    bool overridden = false;
#ifdef TLS_TEST_HOOKS
    int te = test_client_hello(c, p, cap, keep_priv, &len, &overridden);
    if (te)
        return tls_fail(c, te);
#endif
    if (!overridden) {
        struct wr w = { p, p + cap, 0 };
        /* Offer the ticket when its suite is offered and, after an HRR,
           the HRR's suite uses the same hash (4.1.4). */
        c->psk_offered = c->resume && hs_suite_offered(c, c->resume->suite) &&
                         (!c->hash || c->hash == tls_suite_info(c->resume->suite)->hash);
        int e = build_ch(c, &w, cookie, cookielen, keep_priv);
        if (e)
            return tls_fail(c, e);
        len = (size_t)(w.p - p);
        if (c->psk_offered && (e = fill_binder(c, p, len)))
            return tls_fail(c, e);
    }
    if (!first && c->session_id_len) {
        /* D.4: the dummy change_cipher_spec precedes our second flight. */
        static const uint8_t one = 1;
        int e = tls_tx_record(c, TLS_CT_CCS, &one, 1, 0);
        if (e)
            return tls_fail(c, e);
    }
    tls_transcript(c, p, len);
    int e = tls_tx_record(c, TLS_CT_HANDSHAKE, p, len, first);
    crypto_zeroize(p, len);
    return e ? tls_fail(c, e) : TLS_OK;
}
