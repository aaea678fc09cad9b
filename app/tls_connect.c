/* TLS client connections for the app jobs: DNS + TCP + handshake, the byte
   stream over the connection, close. The ticket cache and the second-CPU
   pipeline live in tls_session_cache.c and tls_offload.c. see app_tls.h */
#include "app/app_tls.h"
#include "app/client_identity.h"
#include "crypto/ecdsa.h"
#include "crypto/impl.h"
#include "crypto/sha2.h"
#include "http/http_client.h"
#include "kernel/console.h"
#include "kernel/heap.h"
#include "kernel/random.h"
#include "kernel/time.h"
#include "lib/fmt.h"
#include "net/tcp.h"
#include "tls/anchors.h"
#include <string.h>

struct app_tls *app_tls_new(void)
{
    struct app_tls *t = kcalloc(1, sizeof *t);
    if (t)
        t->tcp.sock = -1;
    return t;
}

void app_tls_free(struct app_tls *t)
{
    if (!t)
        return;
    app_tls_close(t);
    tls_conn_wipe(&t->conn);            /* waits for the pipeline's jobs; wipes the buffers */
    if (t->slots)
        kfree(t->slots);
    kfree(t->bufs);
    memset(t, 0, sizeof *t);
    kfree(t);
}

static int rng(void *ctx, uint8_t *out, size_t len)
{
    (void)ctx;
    return random_bytes(out, len) == RANDOM_OK ? 0 : -1;
}

/* CertificateVerify for mTLS with the build-time identity: ECDSA over the
   hash of content, the nonce from RFC 6979 hedged with fresh random bytes. */
static enum tls_err client_sign(void *ctx, uint16_t scheme, const uint8_t *content, size_t len,
                                uint8_t *sig, size_t cap, size_t *siglen)
{
    (void)ctx;
    const struct client_identity *id = &client_identity;
    uint8_t h[48], extra[32];
    size_t hl;
    enum ec_curve curve;
    if (scheme != id->scheme)
        return TLS_ERR_INTERNAL;
    if (scheme == TLS_SIG_ECDSA_P256_SHA256) {
        sha256(content, len, h);
        hl = 32;
        curve = EC_P256;
    } else if (scheme == TLS_SIG_ECDSA_P384_SHA384) {
        sha384(content, len, h);
        hl = 48;
        curve = EC_P384;
    } else {
        return TLS_ERR_INTERNAL;
    }
    if (random_bytes(extra, sizeof extra) != RANDOM_OK)
        return TLS_ERR_INTERNAL;
    int e = ecdsa_sign_der(curve, sig, cap, siglen, id->key, id->key_len, h, hl, extra,
                           sizeof extra);
    crypto_zeroize(extra, sizeof extra);
    return e == CRYPTO_OK ? TLS_OK : TLS_ERR_INTERNAL;
}

static long io_read(void *ctx, uint8_t *buf, size_t len)
{
    struct app_tls *t = ctx;
    return app_tcp_read(&t->tcp, buf, len);
}

static long io_write(void *ctx, const uint8_t *buf, size_t len)
{
    struct app_tls *t = ctx;
    return app_tcp_write(&t->tcp, buf, len);
}

/* The error of a failed TLS operation: the transport's own name when the
   TCP side failed (timeout, reset), else the engine's. */
static void tls_failed(struct app_tls *t, enum tls_err e)
{
    if (e == TLS_ERR_TRANSPORT && t->tcp.err) {
        t->err = t->tcp.err;
        fmt_snprintf(t->detail, sizeof t->detail, "%s", t->tcp.detail);
    } else {
        t->err = app_err_from_tls(e);
        fmt_snprintf(t->detail, sizeof t->detail, "%s", tls_error_str(&t->conn));
    }
}

bool app_tls_connect(struct app_tls *t, const struct app_tls_opts *o, const char *host,
                     uint16_t port, uint32_t timeout_ms)
{
    t->err = APP_OK;
    t->opts = *o;
    t->detail[0] = 0;
    if (!random_ready()) {
        t->err = APP_ERR_NO_ENTROPY;
        fmt_snprintf(t->detail, sizeof t->detail, "no hardware entropy source: TLS refused");
        return false;
    }
    enum app_err nerr = APP_OK;
    if (!app_net_up(&nerr)) {
        t->err = nerr ? nerr : APP_ERR_NET_DOWN;
        fmt_snprintf(t->detail, sizeof t->detail, "network not configured");
        return false;
    }
    const struct app_mem_sizes *ms = app_mem_sizes(o->mem);
    t->tcp.bufs = &ms->tcp;
    tls_conn_wipe(&t->conn);   /* an earlier connection's pipeline jobs finish first */
    if (t->bufs && t->bufs_mem != o->mem) {
        kfree(t->bufs);
        t->bufs = NULL;
    }
    if (!t->bufs) {
        t->bufs = kmalloc((size_t)ms->tls_hs + ms->tls_rx + ms->tls_tx);
        if (!t->bufs) {
            t->err = (enum app_err)(APP_ERR_NET + NET_ERR_NO_BUFFER);
            fmt_snprintf(t->detail, sizeof t->detail, "tls buffers mem=%s", app_mem_str(o->mem));
            return false;
        }
        t->bufs_mem = o->mem;
        t->hs_cap = ms->tls_hs;
        t->rx_cap = ms->tls_rx;
        t->tx_cap = ms->tls_tx;
    }
    uint64_t t0 = time_ms();
    if (!app_tcp_connect_checked(&t->tcp, host, port, timeout_ms, o->addr_check)) {
        t->err = t->tcp.err ? t->tcp.err : APP_ERR_TCP_ERROR;
        fmt_snprintf(t->detail, sizeof t->detail, "%s", t->tcp.detail);
        return false;
    }
    t->tcp_open = true;
    uint64_t t1 = time_ms();
    t->connect_ms = (uint32_t)(t1 - t0);

    memset(&t->cfg, 0, sizeof t->cfg);
    uint16_t *suites = t->suites;
    size_t nsuites = t->opts.nsuites;
    memcpy(suites, t->opts.suites, sizeof t->suites);
    if (!nsuites && (crypto_get_impl() == CRYPTO_IMPL_EMULATED || !crypto_use_aesni())) {
        /* AES here is emulated or bitsliced, several times slower than
           ChaCha20-Poly1305: ask for ChaCha20 first, as clients without AES
           hardware do (a server honouring client order, or prioritising
           ChaCha20 for such clients, picks it) */
        static const uint16_t chacha_first[3] = {
            TLS_CHACHA20_POLY1305_SHA256, TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384 };
        memcpy(suites, chacha_first, sizeof chacha_first);
        nsuites = 3;
    }
    if (nsuites) {
        t->cfg.suites = suites;
        t->cfg.suite_count = nsuites;
    }
    if (t->opts.ngroups) {
        t->cfg.groups = t->opts.groups;
        t->cfg.group_count = t->opts.ngroups;
    }
    t->cfg.rng = rng;
    t->cfg.rng_ctx = t;
    t->cfg.max_fragment_length = ms->tls_mfl;
    t->cfg.record_size_limit = ms->tls_rsl;
    if (client_identity.cert_count) {
        t->cfg.client_certs = client_identity.certs;
        t->cfg.client_cert_lens = client_identity.cert_lens;
        t->cfg.client_cert_count = client_identity.cert_count;
        t->cfg.client_sig_schemes = &client_identity.scheme;   /* P-256 or P-384: one each */
        t->cfg.client_sig_scheme_count = 1;
        t->cfg.client_sign = client_sign;
    }
    tls_x509_bind(&t->cfg, &t->x509, &x509_builtin_trust, time_unix());
    tls_client_init(&t->conn, &t->cfg, host, t->bufs, t->hs_cap);
    tls_client_set_bufs(&t->conn, t->bufs + t->hs_cap, t->rx_cap,
                        t->bufs + t->hs_cap + t->rx_cap, t->tx_cap);
    tls_io_init(&t->io, &t->conn, io_read, io_write, t);
    app_tls_offload_setup(t);
    t->port = port;
    t->ticket_kept = false;
    bool offered = app_tls_cache_offer(t);
    int e = tls_io_handshake(&t->io);
    if (offered)
        app_tls_cache_used();
    t->handshake_ms = (uint32_t)(time_ms() - t1);
    if (e != TLS_OK) {
        tls_failed(t, e);
        app_tcp_close(&t->tcp);
        t->tcp_open = false;
        return false;
    }
    t->connected = true;
    return true;
}

/* The byte stream's write: all n bytes, or -1 with t->err set. */
static long stream_write(void *ctx, const uint8_t *p, size_t n)
{
    struct app_tls *t = ctx;
    if (!t->connected)
        return -1;
    enum tls_err e = tls_io_send(&t->io, p, n);
    if (e != TLS_OK) {
        tls_failed(t, e);
        return -1;
    }
    return (long)n;
}

/* The byte stream's read: > 0 bytes, 0 at the server's close_notify,
   HTTP_STREAM_END_UNAUTHENTICATED at a TCP end without one (an attacker on
   the path can cut the connection; the HTTP client refuses to take that as
   the end of a body), other < 0 on an error (t->err). */
static long stream_read(void *ctx, uint8_t *buf, size_t n)
{
    struct app_tls *t = ctx;
    if (!t->connected)
        return 0;
    long r = tls_io_recv(&t->io, buf, n);
    app_tls_cache_keep(t);
    if (r == -(long)TLS_ERR_CLOSED)
        return HTTP_STREAM_END_UNAUTHENTICATED; /* TCP end without close_notify */
    if (r < 0)
        tls_failed(t, (enum tls_err)-r);
    return r;
}

void app_tls_close(struct app_tls *t)
{
    if (t->connected) {
        tls_io_close(&t->io);
        t->connected = false;
    }
    if (t->tcp_open) {
        app_tcp_close(&t->tcp);
        t->tcp_open = false;
    }
}

void app_tls_stream(struct app_tls *t, struct byte_stream *s)
{
    s->ctx = t;
    s->read = stream_read;
    s->write = stream_write;
}

void app_tls_report(const struct app_tls *t)
{
    if (!t->slots)
        return;
    uint32_t offloaded, in_line;
    tls_rx_pipeline_stats(&t->conn, &offloaded, &in_line);
    kprintf("tls: rx_pipeline records_offloaded=%u records_inline=%u\n", (unsigned)offloaded,
            (unsigned)in_line);
}

void app_tls_mem(const struct app_tls *t, struct app_tls_mem *m)
{
    struct tcp_mem tm;
    tcp_get_mem(t->tcp.sock, &tm);
    m->tls = sizeof *t;
    m->tls_bufs = t->bufs ? t->hs_cap + tls_rx_cap(&t->conn) + tls_tx_cap(&t->conn) : 0;
    m->pipe = t->slots ? APP_TLS_PIPE_SLOTS * sizeof *t->slots : 0;
    m->tcp = tm.state;
    m->tcp_rx = tm.rx;
    m->tcp_tx = tm.tx;
    m->peer_frag = tls_peer_max_fragment(&t->conn);
}

const char *app_tls_suite(const struct app_tls *t) { return tls_suite_str(tls_suite(&t->conn)); }
const char *app_tls_group(const struct app_tls *t) { return tls_group_str(tls_group(&t->conn)); }
const char *app_tls_sig(const struct app_tls *t)
{
    return tls_resumed(&t->conn) ? "psk" : tls_sig_str(tls_sig_scheme(&t->conn));
}
bool app_tls_resumed(const struct app_tls *t) { return tls_resumed(&t->conn); }
