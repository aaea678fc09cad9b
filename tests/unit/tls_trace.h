/* Test helpers for the TLS engine suites: RFC 8448 trace parsing, a queued
   rng, key-log capture and a "fake server" that re-frames the trace's server
   handshake messages into records of any shape (test code only). */
#ifndef TESTS_UNIT_TLS_TRACE_H
#define TESTS_UNIT_TLS_TRACE_H
#include "unit.h"
#include "tls/record.h"
#include "tls/tls.h"
#include "tls/x509.h"

/* Finds `step` (e.g. "{server}  send handshake record:"), its occurrence-th
   match (0-based), then the first `label` after it ("complete record ("),
   and decodes the hex following "octets):" up to the first blank line.
   Returns the byte count or -1. */
static inline long trace_hex(const char *text, const char *step, int occurrence,
                             const char *label, uint8_t *out, size_t cap)
{
    const char *p = text;
    for (int i = 0; i <= occurrence; i++) {
        p = strstr(p, step);
        if (!p)
            return -1;
        if (i < occurrence)
            p += strlen(step);
    }
    p = strstr(p, label);
    if (!p)
        return -1;
    p = strstr(p, "octets):");
    if (!p)
        return -1;
    p += 8;
    size_t n = 0;
    for (;;) {
        while (*p == ' ')
            p++;
        if (*p == '\n') {
            p++;
            const char *q = p;
            while (*q == ' ')
                q++;
            if (*q == '\n' || *q == 0)
                break;
            continue;
        }
        unsigned v;
        if (!p[0] || !p[1] || sscanf(p, "%2x", &v) != 1)
            break;
        if (n >= cap)
            return -1;
        out[n++] = (uint8_t)v;
        p += 2;
    }
    return (long)n;
}

/* rng returning queued chunks in order; unqueued requests get 0x5a bytes. */
struct qrng {
    const uint8_t *chunk[8];
    size_t len[8];
    int n, next;
};

static inline int qrng_fn(void *ctx, uint8_t *out, size_t len)
{
    struct qrng *q = ctx;
    if (q->next < q->n && q->len[q->next] == len) {
        memcpy(out, q->chunk[q->next++], len);
        return 0;
    }
    memset(out, 0x5a, len);
    return 0;
}

/* Key log capture. */
struct klog {
    char label[16][40];
    uint8_t secret[16][48];
    size_t len[16];
    int n;
};

static inline void klog_fn(void *ctx, const char *label, const uint8_t cr[32],
                           const uint8_t *secret, size_t len)
{
    (void)cr;
    struct klog *k = ctx;
    if (k->n >= 16)
        return;
    snprintf(k->label[k->n], sizeof k->label[0], "%s", label);
    memcpy(k->secret[k->n], secret, len);
    k->len[k->n++] = len;
}

static inline const uint8_t *klog_get(const struct klog *k, const char *label, size_t *len)
{
    for (int i = k->n - 1; i >= 0; i--)
        if (!strcmp(k->label[i], label)) {
            *len = k->len[i];
            return k->secret[i];
        }
    return NULL;
}

/* Reads the whole output of the engine into out (returns the length). */
static inline size_t drain_out(struct tls_conn *c, uint8_t *out, size_t cap)
{
    size_t total = 0, n;
    const uint8_t *p;
    while ((p = tls_out_peek(c, &n))) {
        if (total + n > cap)
            n = cap - total;
        memcpy(out + total, p, n);
        total += n;
        tls_out_ack(c, n);
        if (total == cap)
            break;
    }
    return total;
}

/* ---- RFC 8448 replay harness (shared by the rfc8448 and engine suites) ---- */

struct replay {
    struct tls_conn c;
    struct tls_bufs bufs;
    uint8_t hs[16384];
    struct tls_config cfg;
    struct qrng rng;
    struct klog kl;
    uint8_t ch1[600], ch2[600], xpriv[32], ppriv[32], cert[2048];
    long ch1_len, ch2_len, cert_len;
    struct x509_pubkey leaf;
    int chain_calls, sig_calls;
};

static inline enum tls_err pin_chain(void *ctx, const uint8_t *const *certs, const size_t *lens, size_t n,
                              const char *host)
{
    struct replay *r = ctx;
    struct x509_cert cert;
    r->chain_calls++;
    if (n != 1 || lens[0] != (size_t)r->cert_len || memcmp(certs[0], r->cert, lens[0]) ||
        strcmp(host, "server"))
        return TLS_ERR_CERT_UNTRUSTED;
    if (x509_parse(&cert, certs[0], lens[0]) != X509_OK)
        return TLS_ERR_BAD_CERTIFICATE;
    r->leaf = cert.key;
    return TLS_OK;
}

static inline enum tls_err replay_sig(void *ctx, uint16_t scheme, const uint8_t *content, size_t len,
                               const uint8_t *sig, size_t siglen)
{
    struct replay *r = ctx;
    r->sig_calls++;
    return x509_test_verify_tls_signature_rsa1024(&r->leaf, scheme, content, len, sig, siglen) == X509_OK
               ? TLS_OK : TLS_ERR_DECRYPT_ERROR;
}

/* Loads the trace's ClientHello(s), keys and certificate; the engine is
   initialised but not started. */
static inline struct replay *replay_prepare(const char *t, int hrr)
{
    struct replay *r = calloc(1, sizeof *r);
    assert_non_null(r);
    r->ch1_len = trace_hex(t, "{client}  construct a ClientHello", 0, "ClientHello (", r->ch1, sizeof r->ch1);
    assert_true(r->ch1_len > 0);
    assert_int_equal(trace_hex(t, "{client}  create an ephemeral x25519 key pair:", 0, "private key (", r->xpriv, 32), 32);
    if (hrr) {
        r->ch2_len = trace_hex(t, "{client}  construct a ClientHello", 1, "ClientHello (", r->ch2, sizeof r->ch2);
        assert_true(r->ch2_len > 0);
        assert_int_equal(trace_hex(t, "{client}  create an ephemeral P-256 key pair:", 0, "private key (", r->ppriv, 32), 32);
    }
    uint8_t certmsg[2048];
    long cl = trace_hex(t, "{server}  construct a Certificate handshake", 0, "Certificate (", certmsg, sizeof certmsg);
    assert_true(cl > 11);
    /* 0b len(3) ctx(1)=0 list(3) certlen(3) cert ... */
    r->cert_len = (long)((size_t)certmsg[8] << 16 | (size_t)certmsg[9] << 8 | certmsg[10]);
    assert_true(r->cert_len > 0 && r->cert_len < cl);
    memcpy(r->cert, certmsg + 11, (size_t)r->cert_len);

    static const uint8_t filler[32] = { 0 };
    r->rng.chunk[0] = filler; r->rng.len[0] = 32;      /* client random (replaced by the CH) */
    r->rng.chunk[1] = filler; r->rng.len[1] = 32;      /* session id (replaced) */
    r->rng.chunk[2] = r->xpriv; r->rng.len[2] = 32;
    r->rng.chunk[3] = r->ppriv; r->rng.len[3] = 32;
    r->rng.n = hrr ? 4 : 3;
    r->cfg.rng = qrng_fn;
    r->cfg.rng_ctx = &r->rng;
    r->cfg.verify_chain = pin_chain;
    r->cfg.verify_sig = replay_sig;
    r->cfg.verify_ctx = r;
    r->cfg.keylog = klog_fn;
    r->cfg.keylog_ctx = &r->kl;
    tls_client_init(&r->c, &r->cfg, "server", r->hs, sizeof r->hs);
    tls_client_use_bufs(&r->c, &r->bufs);
    tls_test_set_client_hellos(&r->c, r->ch1, (size_t)r->ch1_len, hrr ? r->ch2 : NULL,
                               hrr ? (size_t)r->ch2_len : 0);
    return r;
}

/* Loads the trace and starts the engine (ClientHello queued). */
static inline struct replay *replay_new(const char *t, int hrr)
{
    struct replay *r = replay_prepare(t, hrr);
    assert_int_equal(tls_client_start(&r->c), TLS_OK);
    return r;
}

static inline void expect_out(struct tls_conn *c, const char *t, const char *step, int occ)
{
    uint8_t want[1024], got[2048];
    long wl = trace_hex(t, step, occ, "complete record (", want, sizeof want);
    assert_true(wl > 0);
    size_t gl = drain_out(c, got, sizeof got);
    assert_int_equal(gl, (size_t)wl);
    assert_memory_equal(got, want, gl);
}

static inline void feed_trace(struct tls_conn *c, const char *t, const char *step, int occ)
{
    uint8_t rec[2048];
    long n = trace_hex(t, step, occ, "complete record (", rec, sizeof rec);
    assert_true(n > 0);
    assert_int_equal(tls_feed(c, rec, (size_t)n), (size_t)n);
    assert_int_equal(tls_error(c), TLS_OK);
}

#endif
