/* The fake TLS 1.3 server of the in-memory engine tests: it re-frames the
   RFC 8448 section 3 server flight (plaintext handshake messages and traffic
   keys from the trace, loaded into s3 by the suite's setup) into records of
   any shape, and drives a client (tls_trace.h's replay) to any point of the
   handshake. Header-only, for one test file each. */
#ifndef TESTS_UNIT_TLS_FAKE_SRV_H
#define TESTS_UNIT_TLS_FAKE_SRV_H
#include "tls_trace.h"
#include "crypto/crypto.h"
#include "crypto/hash.h"
#include "tls/keysched.h"

static char *s3;

/* cmocka group setup/teardown: loads and frees the trace (from the shared
   vectors; without them s3 stays NULL and the tests that use it call
   unit_need(UNIT_SHARED) first, so they are skipped). */
static inline int fake_srv_setup(void **state)
{
    (void)state;
    if (!unit_have(UNIT_SHARED))
        return 0;
    s3 = unit_read_file(unit_path(UNIT_SHARED, "rfc8448/section3_simple_1rtt_handshake.txt"), NULL);
    return s3 ? 0 : -1;
}

static inline int fake_srv_teardown(void **state)
{
    (void)state;
    free(s3);
    return 0;
}

struct srv {
    uint8_t sh_rec[128], ee[64], cert[1024], cv[256], fin[64], nst[256];
    long sh_len, ee_len, cert_len, cv_len, fin_len, nst_len;
    uint8_t s_ap_secret[32], c_ap_secret[32];
    struct tls_rec_keys hs, ap, c_ap;     /* server write hs/app, client write app */
};

static inline void keys_from(struct tls_rec_keys *k, const char *step)
{
    uint8_t key[16], iv[12];
    assert_int_equal(trace_hex(s3, step, 0, "key expanded (", key, 16), 16);
    assert_int_equal(trace_hex(s3, step, 0, "iv expanded (", iv, 12), 12);
    assert_int_equal(rec_set_keys(k, TLS_AEAD_AES128_GCM, key, 16, iv), 0);
}

static inline struct srv *srv_new(void)
{
    struct srv *s = calloc(1, sizeof *s);
    assert_non_null(s);
    s->sh_len = trace_hex(s3, "{server}  send handshake record:", 0, "complete record (", s->sh_rec, sizeof s->sh_rec);
    s->ee_len = trace_hex(s3, "{server}  construct an EncryptedExtensions", 0, "EncryptedExtensions (", s->ee, sizeof s->ee);
    s->cert_len = trace_hex(s3, "{server}  construct a Certificate handshake", 0, "Certificate (", s->cert, sizeof s->cert);
    s->cv_len = trace_hex(s3, "{server}  construct a CertificateVerify", 0, "CertificateVerify (", s->cv, sizeof s->cv);
    s->fin_len = trace_hex(s3, "{server}  construct a Finished", 0, "Finished (", s->fin, sizeof s->fin);
    s->nst_len = trace_hex(s3, "{server}  construct a NewSessionTicket", 0, "NewSessionTicket (", s->nst, sizeof s->nst);
    assert_true(s->sh_len > 0 && s->ee_len > 0 && s->cert_len > 0 && s->cv_len > 0 &&
                s->fin_len > 0 && s->nst_len > 0);
    keys_from(&s->hs, "{server}  derive write traffic keys for handshake data:");
    keys_from(&s->ap, "{server}  derive write traffic keys for application data:");
    keys_from(&s->c_ap, "{client}  derive write traffic keys for application data:");
    assert_int_equal(trace_hex(s3, "{server}  derive secret \"tls13 s ap traffic\":", 0, "expanded (", s->s_ap_secret, 32), 32);
    assert_int_equal(trace_hex(s3, "{server}  derive secret \"tls13 c ap traffic\":", 0, "expanded (", s->c_ap_secret, 32), 32);
    return s;
}

/* Seals data as one record of inner type `type` with `pad` zero bytes. */
static inline size_t seal(struct tls_rec_keys *k, uint8_t type, const uint8_t *data, size_t n,
                   size_t pad, uint8_t *out)
{
    memcpy(out + 5, data, n);
    size_t rl = rec_seal(k, type, out, n, pad);
    assert_true(rl > 0);
    return rl;
}

/* Seals raw inner plaintext bytes (type byte and padding included by the
   caller) with no size limit: for records the engine must refuse. */
static inline size_t seal_raw(struct tls_rec_keys *k, const uint8_t *inner, size_t n, uint8_t *out)
{
    uint8_t nonce[12];
    memcpy(nonce, k->iv, 12);
    for (int i = 0; i < 8; i++)
        nonce[11 - i] ^= (uint8_t)(k->seq >> (8 * i));
    memmove(out + 5, inner, n);
    rec_header(out, TLS_CT_APPDATA, n + 16);
    assert_int_equal(tls_aead_seal(&k->aead, nonce, out, 5, out + 5, n, out + 5), 0);
    k->seq++;
    return 5 + n + 16;
}

/* Feeds everything; returns the engine error. */
static inline int feed(struct tls_conn *c, const uint8_t *p, size_t n)
{
    tls_feed(c, p, n);
    return tls_error(c);
}

/* The concatenated server handshake flight EE|Cert|CV|Fin. */
static inline size_t flight(const struct srv *s, uint8_t *out)
{
    size_t n = 0;
    memcpy(out + n, s->ee, (size_t)s->ee_len); n += (size_t)s->ee_len;
    memcpy(out + n, s->cert, (size_t)s->cert_len); n += (size_t)s->cert_len;
    memcpy(out + n, s->cv, (size_t)s->cv_len); n += (size_t)s->cv_len;
    memcpy(out + n, s->fin, (size_t)s->fin_len); n += (size_t)s->fin_len;
    return n;
}

/* A client that has sent its ClientHello and processed the ServerHello;
   r from replay_prepare (not started), NULL for a new one. */
static inline struct replay *client_after_sh_of(const struct srv *s, struct replay *r)
{
    if (!r)
        r = replay_prepare(s3, 0);
    assert_int_equal(tls_client_start(&r->c), TLS_OK);
    uint8_t junk[1024];
    drain_out(&r->c, junk, sizeof junk);
    assert_int_equal(feed(&r->c, s->sh_rec, (size_t)s->sh_len), TLS_OK);
    return r;
}

/* Last record the client emitted: decrypt the alert with its handshake key? We
   only check the plaintext alert code through the API and that something
   was queued. */
static inline void expect_fail(struct tls_conn *c, int err, int alert_sent)
{
    assert_int_equal(tls_error(c), err);
    assert_int_equal(tls_alert_sent(c), alert_sent);
    size_t n;
    if (alert_sent != TLS_ALERT_NONE)
        assert_non_null(tls_out_peek(c, &n));
    /* secrets are gone */
    static const uint8_t zero[48];
    assert_memory_equal(c->c_secret, zero, 48);
    assert_memory_equal(c->s_secret, zero, 48);
    assert_int_equal(c->rd.on, 0);
    assert_int_equal(c->wr.on, 0);
}

static inline struct replay *client_after_sh(const struct srv *s)
{
    return client_after_sh_of(s, NULL);
}

/* A client past the handshake (r as for client_after_sh_of). */
static inline struct replay *connected_of(struct srv *s, struct replay *r)
{
    r = client_after_sh_of(s, r);
    uint8_t fl[2048], rec[2048];
    size_t n = flight(s, fl);
    assert_int_equal(feed(&r->c, rec, seal(&s->hs, TLS_CT_HANDSHAKE, fl, n, 0, rec)), TLS_OK);
    assert_true(tls_handshake_done(&r->c));
    uint8_t junk[256];
    drain_out(&r->c, junk, sizeof junk);
    return r;
}

static inline struct replay *connected(struct srv *s)
{
    return connected_of(s, NULL);
}

/* Keys from a secret the client logged (its handshake traffic secrets). */
static inline void keys_logged(const struct replay *r, const char *label, struct tls_rec_keys *k,
                               uint8_t secret[32])
{
    size_t sl;
    const uint8_t *sec = klog_get(&r->kl, label, &sl);
    assert_non_null(sec);
    assert_int_equal(sl, 32);
    uint8_t key[16], iv[12];
    assert_int_equal(ks_traffic_keys(&hash_sha256, sec, key, 16, iv), 0);
    assert_int_equal(rec_set_keys(k, TLS_AEAD_AES128_GCM, key, 16, iv), 0);
    if (secret)
        memcpy(secret, sec, 32);
}

static inline enum tls_err accept_sig(void *ctx, uint16_t scheme, const uint8_t *content, size_t len,
                                      const uint8_t *sig, size_t siglen)
{
    (void)ctx; (void)scheme; (void)content; (void)len; (void)sig; (void)siglen;
    return TLS_OK;
}

/* Feeds a server flight of our own (msgs: EE .. CertificateVerify) to a
   client past the ServerHello, with the server Finished computed over the
   real transcript; the server's CertificateVerify is then accepted unseen
   (its signature covers the trace's transcript). Returns the engine error. */
static inline int feed_own_flight(struct srv *s, struct replay *r, const uint8_t *msgs, size_t n)
{
    r->cfg.verify_sig = accept_sig;
    uint8_t s_hs[32], th[32], fl[4096], rec[4200];
    struct tls_rec_keys unused;
    keys_logged(r, "SERVER_HANDSHAKE_TRAFFIC_SECRET", &unused, s_hs);
    hash_ctx h;
    hash_sha256.init(&h);
    hash_sha256.update(&h, r->ch1, (size_t)r->ch1_len);
    hash_sha256.update(&h, s->sh_rec + 5, (size_t)s->sh_len - 5);
    hash_sha256.update(&h, msgs, n);
    hash_sha256.final(&h, th);
    assert_true(n + 36 <= sizeof fl);
    memcpy(fl, msgs, n);
    fl[n] = 20; fl[n + 1] = 0; fl[n + 2] = 0; fl[n + 3] = 32;
    assert_int_equal(ks_finished(&hash_sha256, s_hs, th, fl + n + 4), 0);
    return feed(&r->c, rec, seal(&s->hs, TLS_CT_HANDSHAKE, fl, n + 36, 0, rec));
}

#endif
