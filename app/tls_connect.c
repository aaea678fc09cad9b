/* TLS client connections for the app jobs (see app_tls.h). */
#include "app/app_tls.h"
#include "app/client_identity.h"
#include "crypto/ecdsa.h"
#include "crypto/impl.h"
#include "crypto/sha2.h"
#include "kernel/console.h"
#include "kernel/heap.h"
#include "kernel/cpu.h"
#include "kernel/random.h"
#include "kernel/smp.h"
#include "kernel/time.h"
#include "lib/fmt.h"
#include "tls/anchors.h"
#include <string.h>

/* The ticket kept for resumption (see app_tls.h): one entry. */
#define TICKET_MAX_AGE_MS (3600u * 1000u)
static struct {
    bool valid;
    char host[256];
    uint16_t port;
    uint64_t got_ms;
    struct tls_ticket t;     /* holds the resumption PSK: wiped when used */
} kept;

void app_tls_forget_tickets(void)
{
    crypto_zeroize(&kept, sizeof kept);
}

/* Keeps the connection's first ticket, once it has one. */
static void keep_ticket(struct app_tls *t)
{
    const struct tls_ticket *tk = t->ticket_kept ? NULL : tls_ticket(&t->conn);
    if (!tk || !t->opts.resume)
        return;
    crypto_zeroize(&kept, sizeof kept);
    memcpy(kept.host, t->host, sizeof kept.host);
    kept.port = t->port;
    kept.got_ms = time_ms();
    kept.t = *tk;
    kept.valid = true;
    t->ticket_kept = true;
}

/* Offers the kept ticket when it is for this host and port and young
   enough. A ticket is offered once (RFC 8446 C.4); kept's copy must live
   through the handshake, then it is wiped. Returns whether one was offered. */
static bool offer_ticket(struct app_tls *t)
{
    if (!kept.valid || kept.port != t->port || strcmp(kept.host, t->host) != 0 ||
        !t->opts.resume)
        return false;
    kept.valid = false;
    uint64_t age = time_ms() - kept.got_ms;
    if (age >= TICKET_MAX_AGE_MS || age >= (uint64_t)kept.t.lifetime * 1000u)
        return false;
    return tls_client_set_resumption(&t->conn, &kept.t, (uint32_t)age) == TLS_OK;
}

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
    tls_conn_wipe(&t->conn);            /* waits for the pipeline's jobs */
    if (t->slots)
        kfree(t->slots);
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
static int client_sign(void *ctx, uint16_t scheme, const uint8_t *content, size_t len,
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

static long io_read_now(void *ctx, uint8_t *buf, size_t len)
{
    struct app_tls *t = ctx;
    return app_tcp_read_now(&t->tcp, buf, len);
}

/* One wake-up IPI per two records, the engine kicks before it waits:
   measured under TCG (128 MiB, six alternating boots each), ChaCha20-Poly1305
   35.4-36.1 -> 37.0-38.9 MB/s, AES-256-GCM (four) 35.8-36.5 -> 37.0-37.5. */
static bool pipe_start(void *ctx, void (*fn)(void *arg), void *arg)
{
    (void)ctx;
    return smp_run_batched(fn, arg);
}

static void pipe_kick(void *ctx)
{
    (void)ctx;
    smp_kick();
}

/* While the BSP waits for a record the AP is opening it keeps the network
   going (ACKs, the receive ring). */
static void pipe_relax(void *ctx)
{
    (void)ctx;
    app_net_poll();
    cpu_relax();
}

/* Reads records ahead and decrypts them on the second CPU when there is one
   (tls_pipeline=0 turns it off); without memory for the slots, in line. */
static void pipeline_setup(struct app_tls *t)
{
    if (smp_cpus() < 2 || !t->opts.pipeline)
        return;
    if (!t->slots)
        t->slots = kcalloc(APP_TLS_PIPE_SLOTS, sizeof *t->slots);
    if (!t->slots)
        return;
    t->off = (struct tls_offload){ .start = pipe_start, .relax = pipe_relax, .ctx = NULL,
                                   .max_jobs = APP_TLS_PIPE_JOBS, .kick = pipe_kick };
    if (tls_set_rx_pipeline(&t->conn, t->slots, APP_TLS_PIPE_SLOTS, &t->off) == TLS_OK)
        tls_io_set_read_ahead(&t->io, io_read_now);
}

static long io_write(void *ctx, const uint8_t *buf, size_t len)
{
    struct app_tls *t = ctx;
    return app_tcp_write(&t->tcp, buf, len);
}

/* The error of a failed TLS operation: the transport's own name when the
   TCP side failed (timeout, reset), else the engine's. */
static void tls_failed(struct app_tls *t, int e)
{
    if (e == TLS_ERR_TRANSPORT && t->tcp.err) {
        t->err = t->tcp.err;
        fmt_snprintf(t->detail, sizeof t->detail, "%s", t->tcp.detail);
    } else {
        t->err = tls_err_str(e);
        fmt_snprintf(t->detail, sizeof t->detail, "%s", tls_error_str(&t->conn));
    }
}

bool app_tls_connect(struct app_tls *t, const struct app_tls_opts *o, const char *host,
                     uint16_t port, uint32_t timeout_ms)
{
    t->opts = *o;
    t->err = NULL;
    t->detail[0] = 0;
    if (!random_ready()) {
        t->err = "no_entropy";
        fmt_snprintf(t->detail, sizeof t->detail, "no hardware entropy source: TLS refused");
        return false;
    }
    const char *nerr = NULL;
    if (!app_net_up(&nerr)) {
        t->err = nerr ? nerr : "net_down";
        fmt_snprintf(t->detail, sizeof t->detail, "network not configured");
        return false;
    }
    uint64_t t0 = time_ms();
    if (!app_tcp_connect(&t->tcp, host, port, timeout_ms)) {
        t->err = t->tcp.err ? t->tcp.err : "tcp_error";
        fmt_snprintf(t->detail, sizeof t->detail, "%s", t->tcp.detail);
        return false;
    }
    t->tcp_open = true;
    uint64_t t1 = time_ms();
    t->connect_ms = (uint32_t)(t1 - t0);

    memset(&t->cfg, 0, sizeof t->cfg);
    static uint16_t suites[3];
    size_t nsuites = t->opts.nsuites;
    memcpy(suites, t->opts.suites, sizeof suites);
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
    t->cfg.rng = rng;
    t->cfg.rng_ctx = t;
    if (client_identity.cert_count) {
        t->cfg.client_certs = client_identity.certs;
        t->cfg.client_cert_lens = client_identity.cert_lens;
        t->cfg.client_cert_count = client_identity.cert_count;
        t->cfg.client_sig_scheme = client_identity.scheme;
        t->cfg.client_sign = client_sign;
    }
    tls_x509_bind(&t->cfg, &t->x509, &x509_builtin_trust, time_unix());
    tls_conn_wipe(&t->conn);   /* an earlier connection's pipeline jobs finish first */
    tls_client_init(&t->conn, &t->cfg, host, t->hs, sizeof t->hs);
    tls_io_init(&t->io, &t->conn, io_read, io_write, t);
    pipeline_setup(t);
    size_t hl = strlen(host);
    if (hl >= sizeof t->host)
        hl = sizeof t->host - 1;
    memcpy(t->host, host, hl);
    t->host[hl] = 0;
    t->port = port;
    t->ticket_kept = false;
    bool offered = offer_ticket(t);
    int e = tls_io_handshake(&t->io);
    if (offered)
        crypto_zeroize(&kept, sizeof kept);     /* the PSK is not needed any more */
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

bool app_tls_send(struct app_tls *t, const uint8_t *p, size_t n)
{
    if (!t->connected)
        return false;
    int e = tls_io_send(&t->io, p, n);
    if (e != TLS_OK) {
        tls_failed(t, e);
        return false;
    }
    return true;
}

long app_tls_recv(struct app_tls *t, uint8_t *buf, size_t n)
{
    if (!t->connected)
        return 0;
    long r = tls_io_recv(&t->io, buf, n);
    keep_ticket(t);
    if (r == -(long)TLS_ERR_CLOSED)
        return 0; /* TCP end without close_notify: the HTTP layer decides */
    if (r < 0)
        tls_failed(t, (int)-r);
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

static long stream_read(void *ctx, uint8_t *buf, size_t len)
{
    return app_tls_recv(ctx, buf, len);
}

static long stream_write(void *ctx, const uint8_t *buf, size_t len)
{
    return app_tls_send(ctx, buf, len) ? (long)len : -1;
}

void app_tls_stream(struct app_tls *t, struct http_stream *s)
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

const char *app_tls_suite(const struct app_tls *t) { return tls_suite_str(tls_suite(&t->conn)); }
const char *app_tls_group(const struct app_tls *t) { return tls_group_str(tls_group(&t->conn)); }
const char *app_tls_sig(const struct app_tls *t)
{
    return tls_resumed(&t->conn) ? "psk" : tls_sig_str(tls_sig_scheme(&t->conn));
}
bool app_tls_resumed(const struct app_tls *t) { return tls_resumed(&t->conn); }
