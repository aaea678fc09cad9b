/* The hybrid key exchange X25519MLKEM768 (draft-ietf-tls-ecdhe-mlkem) and
   the group list: our client engine against a small in-memory TLS 1.3
   server written here from RFC 8446 with the project's key schedule,
   ML-KEM-768, X25519, P-256 and P-384. The server answers with any group
   the client sent a share for, or asks for one with a HelloRetryRequest,
   and can break its share in the ways a client must catch. Checked: the
   ClientHello's groups and shares (order, lengths, one record), the
   handshake and application data with each group, the length and all-zero
   checks with their alerts, a corrupted ML-KEM ciphertext, HRR to
   secp256r1 / secp384r1 / the hybrid, ticket resumption over the hybrid,
   the key-share secrets wiped after the ServerHello, bad group lists. The
   certificate is not the point here: the chain and signature callbacks
   accept the server's placeholder ones. Test code only. */
#define _GNU_SOURCE
#include "unit.h"
#include <sys/random.h>
#include "crypto/crypto.h"
#include "crypto/hash.h"
#include "crypto/mlkem.h"
#include "crypto/p256.h"
#include "crypto/p384.h"
#include "crypto/x25519.h"
#include "tls/keysched.h"
#include "tls/record.h"
#include "tls/tls.h"

static const uint8_t hrr_random[32] = {
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
    0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c
};
#define SIG "sig!"
#define CERT "placeholder certificate"

static int rng(void *ctx, uint8_t *out, size_t len)
{
    (void)ctx;
    return getrandom(out, len, 0) == (ssize_t)len ? 0 : -1;
}

static void rand_bytes(uint8_t *out, size_t len) { assert_int_equal(rng(NULL, out, len), 0); }

static enum tls_err accept_chain(void *ctx, const uint8_t *const *certs, const size_t *lens, size_t n,
                                 const char *host)
{
    (void)ctx;
    (void)host;
    return n == 1 && lens[0] == strlen(CERT) && !memcmp(certs[0], CERT, lens[0])
               ? TLS_OK : TLS_ERR_CERT_UNTRUSTED;
}

static enum tls_err accept_sig(void *ctx, uint16_t scheme, const uint8_t *content, size_t len,
                               const uint8_t *sig, size_t siglen)
{
    (void)ctx;
    (void)content;
    (void)len;
    return scheme == TLS_SIG_ECDSA_P256_SHA256 && siglen == 4 && !memcmp(sig, SIG, 4)
               ? TLS_OK : TLS_ERR_DECRYPT_ERROR;
}

struct cli {
    struct tls_conn c;
    struct tls_bufs bufs;
    uint8_t hs[16384];
    struct tls_config cfg;
    uint16_t groups[8];
};

/* A client; groups NULL: the default list. Not started. */
static struct cli *cli_new(const uint16_t *groups, size_t n, const char *host)
{
    struct cli *k = calloc(1, sizeof *k);
    assert_non_null(k);
    k->cfg.rng = rng;
    k->cfg.verify_chain = accept_chain;
    k->cfg.verify_sig = accept_sig;
    if (groups) {
        memcpy(k->groups, groups, n * sizeof *groups);
        k->cfg.groups = k->groups;
        k->cfg.group_count = n;
    }
    tls_client_init(&k->c, &k->cfg, host ? host : "pq.test", k->hs, sizeof k->hs);
    tls_client_use_bufs(&k->c, &k->bufs);
    return k;
}

static void cli_free(struct cli *k)
{
    tls_conn_wipe(&k->c);
    free(k);
}

/* Everything the client queued. */
static size_t drain(struct tls_conn *c, uint8_t *out, size_t cap)
{
    size_t total = 0, n;
    const uint8_t *p;
    while ((p = tls_out_peek(c, &n))) {
        assert_true(total + n <= cap);
        memcpy(out + total, p, n);
        total += n;
        tls_out_ack(c, n);
    }
    return total;
}

static int feed(struct tls_conn *c, const uint8_t *p, size_t n)
{
    size_t off = 0;
    while (off < n && !tls_error(c)) {
        size_t used = tls_feed(c, p + off, n - off);
        if (!used)
            break;
        off += used;
    }
    return tls_error(c);
}

/* ---- ClientHello reading --------------------------------------------------- */

static uint32_t be16(const uint8_t *p) { return (uint32_t)p[0] << 8 | p[1]; }
static uint32_t be24(const uint8_t *p) { return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2]; }

/* The ClientHello message in the client's output (CCS records skipped):
   checks it is one handshake record and returns the message. */
static const uint8_t *client_hello_of(const uint8_t *out, size_t n, size_t *len)
{
    size_t off = 0;
    while (off + 5 <= n && out[off] == TLS_CT_CCS)
        off += 5 + be16(out + off + 3);
    assert_true(off + 5 <= n);
    assert_int_equal(out[off], TLS_CT_HANDSHAKE);
    size_t rl = be16(out + off + 3);
    assert_int_equal(off + 5 + rl, n);              /* one record, all of the output */
    assert_true(rl <= TLS_MAX_PLAINTEXT);
    const uint8_t *m = out + off + 5;
    assert_int_equal(m[0], 1);
    assert_int_equal(be24(m + 1) + 4, rl);          /* the whole message in it */
    *len = rl;
    return m;
}

/* Extension `type` of a ClientHello (bounds asserted); NULL when absent. */
static const uint8_t *ch_ext(const uint8_t *ch, size_t chlen, uint32_t type, size_t *len)
{
    size_t p = 4 + 2 + 32;
    p += 1 + ch[p];
    p += 2 + be16(ch + p);
    p += 1 + ch[p];
    assert_true(p + 2 <= chlen);
    size_t end = p + 2 + be16(ch + p);
    assert_int_equal(end, chlen);
    for (p += 2; p + 4 <= end;) {
        uint32_t t = be16(ch + p), l = be16(ch + p + 2);
        assert_true(p + 4 + l <= end);
        if (t == type) {
            *len = l;
            return ch + p + 4;
        }
        p += 4 + l;
    }
    return NULL;
}

struct share {
    uint16_t group;
    size_t len;
    const uint8_t *data;
};

/* The key_share entries of a ClientHello; returns the count. */
static size_t ch_shares(const uint8_t *ch, size_t chlen, struct share *s, size_t cap)
{
    size_t l;
    const uint8_t *e = ch_ext(ch, chlen, 51, &l);
    assert_non_null(e);
    assert_int_equal(be16(e) + 2, l);
    size_t n = 0;
    for (size_t p = 2; p < l; n++) {
        assert_true(n < cap && p + 4 <= l);
        s[n].group = (uint16_t)be16(e + p);
        s[n].len = be16(e + p + 2);
        s[n].data = e + p + 4;
        p += 4 + s[n].len;
        assert_true(p <= l);
    }
    return n;
}

/* ---- the server -------------------------------------------------------------- */

enum breakage { OK_SHARE, BAD_CT, ZERO_X25519, SHORT_SHARE, LONG_SHARE };

struct srv {
    uint16_t hrr_group;       /* ask for this group first (0: no HRR) */
    int hrr_cookie;           /* or send a cookie-only HRR */
    uint8_t ch1_shares[2048]; /* the first ClientHello's key_share, when an HRR */
    size_t ch1_shares_len;
    bool ch2_same_shares;
    uint16_t pick;            /* answer with this group's share (0: the first one) */
    enum breakage brk;
    int send_ticket;
    /* resumption: the ticket issued and its PSK; offered back: accept it */
    uint8_t ticket[8], psk[32];
    int have_psk, psk_accepted;
    /* state */
    hash_ctx th;
    struct tls_rec_keys s_hs, c_hs, s_ap, c_ap;
    uint8_t hs_secret[32], master[32], c_hs_secret[32];
    uint16_t group;
};

static void th_add(struct srv *s, const uint8_t *m, size_t n) { hash_sha256.update(&s->th, m, n); }
static void th_now(const struct srv *s, uint8_t out[32])
{
    hash_ctx x = s->th;
    hash_sha256.final(&x, out);
}

static void keys(struct tls_rec_keys *k, const uint8_t secret[32])
{
    uint8_t key[16], iv[12];
    assert_int_equal(ks_traffic_keys(&hash_sha256, secret, key, 16, iv), 0);
    assert_int_equal(rec_set_keys(k, TLS_AEAD_AES128_GCM, key, 16, iv), 0);
}

/* A ServerHello (or HRR) record: random, echoed session id, 0x1301, exts. */
static size_t server_hello(uint8_t *rec, const uint8_t *random, const uint8_t *ch, const uint8_t *exts,
                           size_t extlen)
{
    uint8_t *m = rec + 5;
    size_t n = 4;
    m[n++] = 3;
    m[n++] = 3;
    memcpy(m + n, random, 32);
    n += 32;
    size_t sidlen = ch[38];
    m[n++] = (uint8_t)sidlen;
    memcpy(m + n, ch + 39, sidlen);
    n += sidlen;
    m[n++] = 0x13;
    m[n++] = 0x01;
    m[n++] = 0;
    m[n++] = (uint8_t)(extlen >> 8);
    m[n++] = (uint8_t)extlen;
    memcpy(m + n, exts, extlen);
    n += extlen;
    m[0] = 2;
    m[1] = (uint8_t)((n - 4) >> 16);
    m[2] = (uint8_t)((n - 4) >> 8);
    m[3] = (uint8_t)(n - 4);
    rec_header(rec, TLS_CT_HANDSHAKE, n);
    return n + 5;
}

/* Our share for `group` and the shared secret with the client's share. */
static size_t server_share(uint16_t group, const struct share *cs, uint8_t *share, uint8_t *z,
                           size_t *zlen)
{
    uint8_t priv[48];
    rand_bytes(priv, sizeof priv);
    switch (group) {
    case TLS_GROUP_X25519:
        assert_int_equal(cs->len, 32);
        x25519_base(share, priv);
        assert_int_equal(x25519(z, priv, cs->data), CRYPTO_OK);
        *zlen = 32;
        return 32;
    case TLS_GROUP_SECP256R1:
        assert_int_equal(cs->len, 65);
        while (p256_keygen(share, priv) != CRYPTO_OK)
            rand_bytes(priv, 32);
        assert_int_equal(p256_ecdh(z, priv, cs->data, 65), CRYPTO_OK);
        *zlen = 32;
        return 65;
    case TLS_GROUP_SECP384R1:
        assert_int_equal(cs->len, 97);
        while (p384_keygen(share, priv) != CRYPTO_OK)
            rand_bytes(priv, 48);
        assert_int_equal(p384_ecdh(z, priv, cs->data, 97), CRYPTO_OK);
        *zlen = 48;
        return 97;
    case TLS_GROUP_X25519MLKEM768: {
        assert_int_equal(cs->len, MLKEM768_EK_BYTES + 32);
        uint8_t m[32];
        rand_bytes(m, 32);
        assert_int_equal(mlkem768_encaps(z, share, cs->data, MLKEM768_EK_BYTES, m), CRYPTO_OK);
        x25519_base(share + MLKEM768_CT_BYTES, priv);
        assert_int_equal(x25519(z + 32, priv, cs->data + MLKEM768_EK_BYTES), CRYPTO_OK);
        *zlen = 64;
        return MLKEM768_CT_BYTES + 32;
    }
    default:
        fail_msg("group %04x", group);
        return 0;
    }
}

/* Accepts the ticket when the ClientHello offers ours with a good binder
   (RFC 8446 4.2.11.2). */
static int check_psk(struct srv *s, const uint8_t *ch, size_t chlen)
{
    size_t l;
    const uint8_t *e = ch_ext(ch, chlen, 41, &l);
    if (!e || !s->have_psk)
        return 0;
    /* identities<2>{ticket<2>, age<4>} binders<2>{binder<1>} */
    assert_int_equal(be16(e + 2), sizeof s->ticket);
    assert_memory_equal(e + 4, s->ticket, sizeof s->ticket);
    assert_true(e + l == ch + chlen);                  /* the last extension */
    uint8_t early[32], bk[32], th[32], binder[32];
    ks_early_secret(&hash_sha256, s->psk, 32, early);
    assert_int_equal(ks_binder_key(&hash_sha256, early, bk), 0);
    hash_ctx x = s->th;                                  /* holds nothing before CH1 */
    hash_sha256.update(&x, ch, chlen - (2 + 1 + 32));
    hash_sha256.final(&x, th);
    assert_int_equal(ks_finished(&hash_sha256, bk, th, binder), 0);
    assert_memory_equal(ch + chlen - 32, binder, 32);
    return 1;
}

/* Runs the server against a started client up to the end of the
   handshake (or the client's error, returned). */
static int srv_run(struct srv *s, struct cli *k)
{
    static uint8_t out[8192], rec[8192];
    size_t n = drain(&k->c, out, sizeof out), chlen;
    const uint8_t *ch = client_hello_of(out, n, &chlen);
    hash_sha256.init(&s->th);
    s->psk_accepted = check_psk(s, ch, chlen);
    th_add(s, ch, chlen);
    if (s->hrr_group || s->hrr_cookie) {
        size_t l;
        const uint8_t *ks = ch_ext(ch, chlen, 51, &l);
        assert_true(l <= sizeof s->ch1_shares);
        memcpy(s->ch1_shares, ks, l);
        s->ch1_shares_len = l;
        uint8_t h[32], mh[4] = { 254, 0, 0, 32 };
        th_now(s, h);
        hash_sha256.init(&s->th);
        th_add(s, mh, 4);
        th_add(s, h, 32);
        uint8_t ex[] = { 0, 43, 0, 2, 3, 4, 0, 51, 0, 2, (uint8_t)(s->hrr_group >> 8),
                         (uint8_t)s->hrr_group };
        static const uint8_t ex_cookie[] = { 0, 43, 0, 2, 3, 4, 0, 44, 0, 6, 0, 4, 'C', 'K', 'I', 'E' };
        size_t rl = s->hrr_cookie ? server_hello(rec, hrr_random, ch, ex_cookie, sizeof ex_cookie)
                                  : server_hello(rec, hrr_random, ch, ex, sizeof ex);
        th_add(s, rec + 5, rl - 5);
        int e = feed(&k->c, rec, rl);
        if (e)
            return e;
        n = drain(&k->c, out, sizeof out);
        ch = client_hello_of(out, n, &chlen);
        th_add(s, ch, chlen);
        s->psk_accepted = 0;                            /* (not offered again here) */
        size_t l2, cl;
        const uint8_t *ks2 = ch_ext(ch, chlen, 51, &l2), *ck = ch_ext(ch, chlen, 44, &cl);
        s->ch2_same_shares = l2 == s->ch1_shares_len && !memcmp(ks2, s->ch1_shares, l2);
        if (s->hrr_cookie)
            assert_true(ck && cl == 6 && !memcmp(ck + 2, "CKIE", 4));
    }
    struct share cs[4];
    size_t ns = ch_shares(ch, chlen, cs, 4), i = 0;
    s->group = s->pick ? s->pick : cs[0].group;
    while (i < ns && cs[i].group != s->group)
        i++;
    assert_true(i < ns);
    uint8_t share[MLKEM768_CT_BYTES + 33], z[64];
    size_t zlen, sl = server_share(s->group, &cs[i], share, z, &zlen);
    if (s->brk == BAD_CT)
        share[100] ^= 0x10;
    else if (s->brk == ZERO_X25519)
        memset(share + sl - 32, 0, 32);
    else if (s->brk == SHORT_SHARE)
        sl--;
    else if (s->brk == LONG_SHARE)
        share[sl++] = 0;
    uint8_t ex[MLKEM768_CT_BYTES + 64];
    size_t el = 0;
    memcpy(ex + el, "\x00\x2b\x00\x02\x03\x04", 6);
    el += 6;
    ex[el++] = 0;
    ex[el++] = 51;
    ex[el++] = (uint8_t)((sl + 4) >> 8);
    ex[el++] = (uint8_t)(sl + 4);
    ex[el++] = (uint8_t)(s->group >> 8);
    ex[el++] = (uint8_t)s->group;
    ex[el++] = (uint8_t)(sl >> 8);
    ex[el++] = (uint8_t)sl;
    memcpy(ex + el, share, sl);
    el += sl;
    if (s->psk_accepted) {
        memcpy(ex + el, "\x00\x29\x00\x02\x00\x00", 6);
        el += 6;
    }
    uint8_t random[32];
    rand_bytes(random, 32);
    size_t rl = server_hello(rec, random, ch, ex, el);
    th_add(s, rec + 5, rl - 5);
    /* 7.1 */
    uint8_t early[32], th[32], s_hs[32];
    ks_early_secret(&hash_sha256, s->psk_accepted ? s->psk : NULL, 32, early);
    assert_int_equal(ks_next_stage(&hash_sha256, early, z, zlen, s->hs_secret), 0);
    th_now(s, th);
    assert_int_equal(ks_derive(&hash_sha256, s->hs_secret, "c hs traffic", th, s->c_hs_secret), 0);
    assert_int_equal(ks_derive(&hash_sha256, s->hs_secret, "s hs traffic", th, s_hs), 0);
    keys(&s->s_hs, s_hs);
    keys(&s->c_hs, s->c_hs_secret);
    int e = feed(&k->c, rec, rl);
    if (e)
        return e;
    /* EE, Certificate, CertificateVerify (not when resuming), Finished */
    uint8_t fl[512];
    size_t fn = 0;
    memcpy(fl, "\x08\x00\x00\x02\x00\x00", 6);
    fn += 6;
    if (!s->psk_accepted) {
        size_t cl = strlen(CERT);
        uint8_t *m = fl + fn;
        m[0] = 11; m[1] = 0; m[2] = 0; m[3] = (uint8_t)(1 + 3 + 3 + cl + 2);
        m[4] = 0;
        m[5] = 0; m[6] = 0; m[7] = (uint8_t)(3 + cl + 2);
        m[8] = 0; m[9] = 0; m[10] = (uint8_t)cl;
        memcpy(m + 11, CERT, cl);
        m[11 + cl] = 0; m[12 + cl] = 0;
        fn += 13 + cl;
        th_add(s, fl, fn);
        memcpy(fl + fn, "\x0f\x00\x00\x08\x04\x03\x00\x04" SIG, 12);
        th_add(s, fl + fn, 12);
        fn += 12;
    } else {
        th_add(s, fl, fn);
    }
    th_now(s, th);
    fl[fn] = 20; fl[fn + 1] = 0; fl[fn + 2] = 0; fl[fn + 3] = 32;
    assert_int_equal(ks_finished(&hash_sha256, s_hs, th, fl + fn + 4), 0);
    th_add(s, fl + fn, 36);
    fn += 36;
    e = feed(&k->c, rec, rec_seal(&s->s_hs, TLS_CT_HANDSHAKE, (memcpy(rec + 5, fl, fn), rec), fn, 0));
    if (e)
        return e;
    /* application secrets; the client's Finished */
    uint8_t th_sfin[32], c_ap[32], s_ap[32];
    th_now(s, th_sfin);
    assert_int_equal(ks_next_stage(&hash_sha256, s->hs_secret, NULL, 0, s->master), 0);
    assert_int_equal(ks_derive(&hash_sha256, s->master, "c ap traffic", th_sfin, c_ap), 0);
    assert_int_equal(ks_derive(&hash_sha256, s->master, "s ap traffic", th_sfin, s_ap), 0);
    keys(&s->c_ap, c_ap);
    keys(&s->s_ap, s_ap);
    n = drain(&k->c, out, sizeof out);
    size_t off = 0;
    while (off < n && out[off] == TLS_CT_CCS)
        off += 5 + be16(out + off + 3);
    uint8_t type, want[32];
    size_t pl;
    assert_int_equal(rec_open(&s->c_hs, out + off, be16(out + off + 3), &type, &pl), 0);
    assert_int_equal(type, TLS_CT_HANDSHAKE);
    assert_int_equal(pl, 36);
    assert_int_equal(ks_finished(&hash_sha256, s->c_hs_secret, th_sfin, want), 0);
    assert_memory_equal(out + off + 5 + 4, want, 32);   /* both sides derived the same */
    th_add(s, out + off + 5, 36);
    return TLS_OK;
}

/* Application data both ways, then (s->send_ticket) a NewSessionTicket. */
static void srv_data(struct srv *s, struct cli *k)
{
    static uint8_t rec[1024];
    assert_int_equal(feed(&k->c, rec, rec_seal(&s->s_ap, TLS_CT_APPDATA,
                                               (memcpy(rec + 5, "from server", 11), rec), 11, 0)), TLS_OK);
    size_t an;
    const uint8_t *ap = tls_app_peek(&k->c, &an);
    assert_non_null(ap);
    assert_int_equal(an, 11);
    assert_memory_equal(ap, "from server", 11);
    tls_app_ack(&k->c, an);
    assert_int_equal(tls_app_write(&k->c, (const uint8_t *)"from client", 11), 11);
    size_t n = drain(&k->c, rec, sizeof rec), pl;
    uint8_t type;
    assert_int_equal(rec_open(&s->c_ap, rec, n - 5, &type, &pl), 0);
    assert_int_equal(type, TLS_CT_APPDATA);
    assert_memory_equal(rec + 5, "from client", 11);
    if (!s->send_ticket)
        return;
    uint8_t th[32], res_master[32], nonce = 7;
    th_now(s, th);
    assert_int_equal(ks_derive(&hash_sha256, s->master, "res master", th, res_master), 0);
    assert_int_equal(ks_resumption_psk(&hash_sha256, res_master, &nonce, 1, s->psk), 0);
    rand_bytes(s->ticket, sizeof s->ticket);
    s->have_psk = 1;
    uint8_t nst[4 + 4 + 4 + 2 + 2 + 8 + 2] = { 4, 0, 0, 22, 0, 0, 0x0e, 0x10, 1, 2, 3, 4, 1, 7, 0, 8 };
    memcpy(nst + 16, s->ticket, 8);
    assert_int_equal(feed(&k->c, rec, rec_seal(&s->s_ap, TLS_CT_HANDSHAKE,
                                               (memcpy(rec + 5, nst, sizeof nst), rec), sizeof nst, 0)), TLS_OK);
    assert_non_null(tls_ticket(&k->c));
}

static bool all_zero(const uint8_t *p, size_t n)
{
    uint8_t acc = 0;
    for (size_t i = 0; i < n; i++)
        acc |= p[i];
    return acc == 0;
}

/* ---- tests ------------------------------------------------------------------- */

/* The default ClientHello: supported_groups lists the four groups in
   order; key_share holds the hybrid (1216 bytes: a valid ML-KEM-768 ek and
   an X25519 share) then x25519 (32 bytes, the hybrid's X25519 share); the
   whole ClientHello is one record. */
static void test_client_hello_shares(void **state)
{
    (void)state;
    struct cli *k = cli_new(NULL, 0, NULL);
    assert_int_equal(tls_client_start(&k->c), TLS_OK);
    static uint8_t out[8192];
    size_t n = drain(&k->c, out, sizeof out), chlen, l;
    const uint8_t *ch = client_hello_of(out, n, &chlen);
    const uint8_t *sg = ch_ext(ch, chlen, 10, &l);
    static const uint8_t want_groups[] = { 0, 8, 0x11, 0xec, 0x00, 0x1d, 0x00, 0x17, 0x00, 0x18 };
    assert_non_null(sg);
    assert_int_equal(l, sizeof want_groups);
    assert_memory_equal(sg, want_groups, l);
    struct share s[4];
    assert_int_equal(ch_shares(ch, chlen, s, 4), 2);
    assert_int_equal(s[0].group, TLS_GROUP_X25519MLKEM768);
    assert_int_equal(s[0].len, 1216);
    assert_int_equal(mlkem768_check_ek(s[0].data, MLKEM768_EK_BYTES), CRYPTO_OK);
    assert_int_equal(s[1].group, TLS_GROUP_X25519);
    assert_int_equal(s[1].len, 32);
    assert_memory_equal(s[1].data, s[0].data + MLKEM768_EK_BYTES, 32);
    /* the measured size with a 7-byte host name (docs/perf.md) */
    assert_int_equal(n, 1450);
    assert_false(all_zero(k->c.mlkem_dk, sizeof k->c.mlkem_dk));
    cli_free(k);
    /* The largest we send still fits one record and our 4 KiB send buffer:
       a 253-byte host name, every group, a 1024-byte ticket. */
    char host[254];
    memset(host, 'a', 253);
    for (int i = 50; i < 253; i += 50)
        host[i] = '.';
    host[253] = 0;
    k = cli_new(NULL, 0, host);
    static struct tls_ticket tk = { .lifetime = 60, .len = TLS_TICKET_MAX, .suite = TLS_AES_128_GCM_SHA256 };
    assert_int_equal(tls_client_set_resumption(&k->c, &tk, 0), TLS_OK);
    assert_int_equal(tls_client_start(&k->c), TLS_OK);
    n = drain(&k->c, out, sizeof out);
    ch = client_hello_of(out, n, &chlen);
    assert_true(n < TLS_TX_BUF);
    assert_int_equal(ch_shares(ch, chlen, s, 4), 2);
    cli_free(k);
    /* tls_groups=x25519,secp384r1: one share, the first group's */
    static const uint16_t g2[] = { TLS_GROUP_X25519, TLS_GROUP_SECP384R1 };
    k = cli_new(g2, 2, NULL);
    assert_int_equal(tls_client_start(&k->c), TLS_OK);
    n = drain(&k->c, out, sizeof out);
    ch = client_hello_of(out, n, &chlen);
    assert_int_equal(ch_shares(ch, chlen, s, 4), 1);
    assert_int_equal(s[0].group, TLS_GROUP_X25519);
    assert_int_equal(n, 1450 - 1220 - 4);
    cli_free(k);
}

/* Full handshakes with each group the server may pick from our two
   shares: the hybrid (a post-quantum server) and x25519 (one without
   ML-KEM: no HelloRetryRequest). Secrets of the shares are gone after the
   ServerHello. */
static void test_hybrid_and_x25519_handshakes(void **state)
{
    (void)state;
    static const uint16_t picks[] = { TLS_GROUP_X25519MLKEM768, TLS_GROUP_X25519 };
    for (size_t i = 0; i < 2; i++) {
        struct cli *k = cli_new(NULL, 0, NULL);
        struct srv s = { .pick = picks[i] };
        assert_int_equal(tls_client_start(&k->c), TLS_OK);
        assert_int_equal(srv_run(&s, k), TLS_OK);
        assert_true(tls_handshake_done(&k->c));
        assert_false(k->c.hrr_done);
        assert_int_equal(tls_group(&k->c), picks[i]);
        assert_string_equal(tls_group_str(tls_group(&k->c)), i ? "x25519" : "X25519MLKEM768");
        assert_true(all_zero(k->c.mlkem_dk, sizeof k->c.mlkem_dk));
        assert_true(all_zero(k->c.x25519_priv, sizeof k->c.x25519_priv));
        srv_data(&s, k);
        cli_free(k);
    }
}

/* The server's hybrid share one byte short or long, or with an all-zero
   X25519 part: illegal_parameter, nothing derived. */
static void test_bad_hybrid_shares(void **state)
{
    (void)state;
    static const struct { enum breakage b; int err; } cases[] = {
        { SHORT_SHARE, TLS_ERR_ILLEGAL_PARAMETER },
        { LONG_SHARE, TLS_ERR_ILLEGAL_PARAMETER },
        { ZERO_X25519, TLS_ERR_BAD_KEY_SHARE },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct cli *k = cli_new(NULL, 0, NULL);
        struct srv s = { .pick = TLS_GROUP_X25519MLKEM768, .brk = cases[i].b };
        assert_int_equal(tls_client_start(&k->c), TLS_OK);
        assert_int_equal(srv_run(&s, k), cases[i].err);
        assert_int_equal(tls_alert_sent(&k->c), TLS_ALERT_ILLEGAL_PARAMETER);
        assert_true(all_zero(k->c.mlkem_dk, sizeof k->c.mlkem_dk));
        assert_false(k->c.rd.on);
        cli_free(k);
    }
    /* the same checks on a plain x25519 answer */
    struct cli *k = cli_new(NULL, 0, NULL);
    struct srv s = { .pick = TLS_GROUP_X25519, .brk = LONG_SHARE };
    assert_int_equal(tls_client_start(&k->c), TLS_OK);
    assert_int_equal(srv_run(&s, k), TLS_ERR_ILLEGAL_PARAMETER);
    cli_free(k);
}

/* A corrupted ML-KEM ciphertext decapsulates (implicit rejection) to
   another secret: the ServerHello is accepted, then the server's first
   encrypted record does not open under the client's handshake keys. */
static void test_corrupted_ciphertext(void **state)
{
    (void)state;
    struct cli *k = cli_new(NULL, 0, NULL);
    struct srv s = { .pick = TLS_GROUP_X25519MLKEM768, .brk = BAD_CT };
    assert_int_equal(tls_client_start(&k->c), TLS_OK);
    assert_int_equal(srv_run(&s, k), TLS_ERR_BAD_RECORD_MAC);
    assert_int_equal(tls_alert_sent(&k->c), TLS_ALERT_BAD_RECORD_MAC);
    assert_false(tls_handshake_done(&k->c));
    cli_free(k);
}

/* HelloRetryRequest to each group without a share in the first
   ClientHello: the second carries exactly that group's share, of its
   length; the handshake completes with it. With tls_groups=x25519,
   x25519mlkem768 the hybrid comes only through an HRR. */
static void test_hrr_groups(void **state)
{
    (void)state;
    static const uint16_t x_first[] = { TLS_GROUP_X25519, TLS_GROUP_X25519MLKEM768 };
    static const struct { uint16_t hrr; const uint16_t *groups; size_t n; size_t len; } cases[] = {
        { TLS_GROUP_SECP384R1, NULL, 0, 97 },
        { TLS_GROUP_SECP256R1, NULL, 0, 65 },
        { TLS_GROUP_X25519MLKEM768, x_first, 2, 1216 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct cli *k = cli_new(cases[i].groups, cases[i].n, NULL);
        struct srv s = { .hrr_group = cases[i].hrr };
        assert_int_equal(tls_client_start(&k->c), TLS_OK);
        assert_int_equal(srv_run(&s, k), TLS_OK);
        assert_true(k->c.hrr_done);
        assert_int_equal(tls_group(&k->c), cases[i].hrr);
        assert_int_equal(s.group, cases[i].hrr);
        srv_data(&s, k);
        cli_free(k);
    }
    assert_string_equal(tls_group_str(TLS_GROUP_SECP384R1), "secp384r1");
    /* A cookie-only HRR: the second ClientHello echoes the cookie and
       repeats both shares byte for byte (the kept ML-KEM and X25519 keys). */
    struct cli *k = cli_new(NULL, 0, NULL);
    struct srv s = { .hrr_cookie = 1, .pick = TLS_GROUP_X25519MLKEM768 };
    assert_int_equal(tls_client_start(&k->c), TLS_OK);
    assert_int_equal(srv_run(&s, k), TLS_OK);
    assert_true(k->c.hrr_done);
    assert_int_equal(tls_group(&k->c), TLS_GROUP_X25519MLKEM768);
    assert_int_equal(s.ch1_shares_len, 2 + 4 + 1216 + 4 + 32);
    assert_true(s.ch2_same_shares);
    srv_data(&s, k);
    cli_free(k);
}

/* Resumption (psk_dhe_ke) over the hybrid: the ticket of a first
   connection is accepted by the server (binder checked), the second
   handshake skips the certificate and still runs X25519MLKEM768. */
static void test_resumption_hybrid(void **state)
{
    (void)state;
    struct cli *k = cli_new(NULL, 0, NULL);
    struct srv s = { .pick = TLS_GROUP_X25519MLKEM768, .send_ticket = 1 };
    assert_int_equal(tls_client_start(&k->c), TLS_OK);
    assert_int_equal(srv_run(&s, k), TLS_OK);
    srv_data(&s, k);
    struct tls_ticket tk = *tls_ticket(&k->c);
    cli_free(k);
    k = cli_new(NULL, 0, NULL);
    assert_int_equal(tls_client_set_resumption(&k->c, &tk, 100), TLS_OK);
    assert_int_equal(tls_client_start(&k->c), TLS_OK);
    s.send_ticket = 0;
    assert_int_equal(srv_run(&s, k), TLS_OK);
    assert_true(s.psk_accepted);
    assert_true(tls_resumed(&k->c));
    assert_int_equal(tls_group(&k->c), TLS_GROUP_X25519MLKEM768);
    assert_int_equal(tls_sig_scheme(&k->c), 0);
    srv_data(&s, k);
    cli_free(k);
}

/* Group lists the engine refuses at tls_client_start. */
static void test_bad_group_lists(void **state)
{
    (void)state;
    static const uint16_t dup[] = { TLS_GROUP_X25519, TLS_GROUP_X25519 };
    static const uint16_t unknown[] = { TLS_GROUP_X25519, 0x0019 };
    static const uint16_t five[] = { TLS_GROUP_X25519MLKEM768, TLS_GROUP_X25519, TLS_GROUP_SECP256R1,
                                     TLS_GROUP_SECP384R1, TLS_GROUP_X25519 };
    static const struct { const uint16_t *g; size_t n; } cases[] = {
        { dup, 2 }, { unknown, 2 }, { five, 5 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct cli *k = cli_new(cases[i].g, cases[i].n, NULL);
        assert_int_equal(tls_client_start(&k->c), TLS_ERR_CONFIG);
        cli_free(k);
    }
    assert_int_equal(tls_group_from_name("X25519MLKEM768", 14), TLS_GROUP_X25519MLKEM768);
    assert_int_equal(tls_group_from_name("secp384r1,x", 9), TLS_GROUP_SECP384R1);
    assert_int_equal(tls_group_from_name("x2551", 5), 0);
    assert_int_equal(tls_group_from_name("x25519mlkem768x", 15), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_client_hello_shares),
        cmocka_unit_test(test_hybrid_and_x25519_handshakes),
        cmocka_unit_test(test_bad_hybrid_shares),
        cmocka_unit_test(test_corrupted_ciphertext),
        cmocka_unit_test(test_hrr_groups),
        cmocka_unit_test(test_resumption_hybrid),
        cmocka_unit_test(test_bad_group_lists),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
