/* The get= job: HTTPS GET with the body hashed (SHA-256) and, when small or
   print=1, printed; one summary line per response:
     https: status=200 bytes=N sha256=HEX suite=... group=... sig=... handshake_ms=N
            request=N reused=0|1 ms=N family=6|4 resumed=0|1
   family= is the address family connected over (a name races IPv6 and
   IPv4, app/app_tcp.h). An IPv6 literal URL ("https://[2001:db8::1]/")
   sends no SNI (tls/cli_hello.c, RFC 6066 3), is checked against 16-byte
   iPAddress SANs, and names itself "Host: [2001:db8::1]".
   The body is printed through the console filter (kernel/console.h):
   each of its lines after "| ", controls escaped. Then the summary, or
   `https: error=NAME detail=...` (error=truncated: the connection ended
   without the server's close_notify before the response was complete; a
   close-delimited body is complete only with it). repeat=N sends N requests over one
   keep-alive connection; loops=M repeats the whole connection M times and
   reports the kernel heap before and after (leak check). */
#include "app/jobs.h"
#include "app/app_tls.h"
#include "crypto/sha2.h"
#include "http/http.h"
#include "http/http_client.h"
#include "http/url.h"
#include "kernel/console.h"
#include "kernel/heap.h"
#include "kernel/time.h"
#include "lib/fmt.h"
#include <string.h>

#define GET_PRINT_MAX 4096   /* bodies up to this size are printed */

struct get_state {
    sha256_ctx sha;
    bool print_all;          /* print=1: stream every byte to the console */
    bool small;              /* still within GET_PRINT_MAX */
    size_t held;
    char hold[GET_PRINT_MAX];
};

static bool on_body(void *ctx, const uint8_t *p, size_t n)
{
    struct get_state *g = ctx;
    sha256_update(&g->sha, p, n);
    if (g->print_all) {
        console_write_untrusted((const char *)p, n);
    } else if (g->small) {
        if (n > GET_PRINT_MAX - g->held)
            g->small = false;
        else {
            memcpy(g->hold + g->held, p, n);
            g->held += n;
        }
    }
    return true;
}

/* Wraps the response sink to report when the first response byte arrives
   (ms since the kernel started its clock): the power-on-to-answer figure. */
struct first_byte_sink {
    const struct http_sink *inner;
    bool seen;
};

static int fb_feed(void *ctx, const uint8_t *p, size_t n, size_t *used)
{
    struct first_byte_sink *f = ctx;
    if (!f->seen && n) {
        f->seen = true;
        kprintf("https: first response byte at kernel_ms=%lu\n", (unsigned long)time_ms());
    }
    return f->inner->feed(f->inner->ctx, p, n, used);
}

static int fb_eof(void *ctx)
{
    struct first_byte_sink *f = ctx;
    return f->inner->eof(f->inner->ctx);
}

static bool fb_done(void *ctx)
{
    struct first_byte_sink *f = ctx;
    return f->inner->done(f->inner->ctx);
}

/* One request on an established connection. Returns 0 ok, 1 failure;
   *reusable says whether another request may follow. */
static int one_request(struct app_tls *t, struct http_client *hc, const struct url *u,
                       bool keep_alive, bool print_all, unsigned index, bool *reusable)
{
    static struct get_state g;     /* big: keep off the kernel stack */
    static struct http_resp resp;
    char req[URL_PATH_MAX + URL_HOST_MAX + 256];
    char host[URL_HOST_MAX + 2];   /* "[v6]" for the Host header */
    size_t len;
    url_host_header(u, host, sizeof host);
    struct http_req q = {.method = "GET", .host = host, .port = u->port,
                         .default_port = u->https ? 443 : 80, .path = u->path,
                         .user_agent = "os-https/1.0", .accept = "*/*",
                         .keep_alive = keep_alive};
    *reusable = false;
    enum http_err he = http_req_write(&q, req, sizeof req, &len);
    if (he) {
        kprintf("https: error=%s detail=request\n", http_err_str(he));
        return 1;
    }
    memset(&g, 0, offsetof(struct get_state, hold));
    sha256_init(&g.sha);
    g.print_all = print_all;
    g.small = true;
    http_resp_init(&resp, false, NULL, on_body, &g);
    struct http_sink inner, sink;
    http_sink_for_resp(&inner, &resp);
    static bool first_reported;          /* once per boot */
    struct first_byte_sink fb = { &inner, first_reported };
    first_reported = true;
    sink.ctx = &fb;
    sink.feed = fb_feed;
    sink.eof = fb_eof;
    sink.done = fb_done;
    uint64_t t0 = time_ms();
    if (print_all)
        console_untrusted_begin(true);
    enum http_client_err ce = http_client_exchange(hc, (const uint8_t *)req, len, &sink);
    uint64_t ms = time_ms() - t0;
    if (print_all)
        console_untrusted_end();
    if (ce != HTTPC_OK) {
        if (ce == HTTPC_ERR_TRUNCATED)      /* TCP end without close_notify */
            kprintf("https: error=truncated detail=no_close_notify request=%u\n", index);
        else if (ce == HTTPC_ERR_RESPONSE)
            kprintf("https: error=%s detail=response request=%u\n", http_err_str(resp.err), index);
        else if (t->err)
            kprintf("https: error=%s detail=%s request=%u\n", app_err_str(t->err), t->detail, index);
        else
            kprintf("https: error=%s detail=http request=%u\n", http_client_err_str(ce), index);
        return 1;
    }
    uint8_t d[32];
    char dh[65];
    sha256_final(&g.sha, d);
    fmt_hex(d, 32, dh);
    if (!print_all && g.small && g.held) {
        console_untrusted_begin(true);
        console_write_untrusted(g.hold, g.held);
        console_untrusted_end();
    } else if (!print_all && !g.small)
        kprintf("https: body not printed (%lu bytes > %u; print=1 shows it)\n",
                (unsigned long)resp.body_bytes, (unsigned)GET_PRINT_MAX);
    kprintf("https: status=%d bytes=%lu sha256=%s suite=%s group=%s sig=%s handshake_ms=%u "
            "request=%u reused=%d ms=%lu family=%u resumed=%d\n",
            resp.status, (unsigned long)resp.body_bytes, dh, app_tls_suite(t), app_tls_group(t),
            app_tls_sig(t), (unsigned)t->handshake_ms, index, index > 1 ? 1 : 0,
            (unsigned long)ms, (unsigned)t->tcp.peer.family, app_tls_resumed(t) ? 1 : 0);
    app_tls_report(t);
    *reusable = resp.keep_alive;
    if (!resp.keep_alive)
        http_client_mark_closed(hc);
    return 0;
}

static int one_connection(const struct url *u, const struct app_tls_opts *topts, long repeat,
                          bool print_all, uint32_t timeout)
{
    struct app_tls *t = app_tls_new();
    static struct http_client hc;
    static uint8_t hc_buf[HTTP_CLIENT_BUF];
    if (!t) {
        kprintf("https: error=out_of_memory detail=app_tls\n");
        return 1;
    }
    int rc = 0;
    if (!app_tls_connect(t, topts, u->host, u->port, timeout)) {
        kprintf("https: error=%s detail=%s\n", app_err_str(t->err), t->detail[0] ? t->detail : "-");
        app_tls_free(t);
        return 1;
    }
    char host[URL_HOST_MAX + 2];
    char peer[IP_ADDR_STR_MAX];
    url_host_header(u, host, sizeof host);
    kprintf("https: connected %s:%u peer=%s family=%u suite=%s group=%s sig=%s connect_ms=%u "
            "handshake_ms=%u\n",
            host, (unsigned)u->port, ip_addr_format(&t->tcp.peer, peer, sizeof peer),
            (unsigned)t->tcp.peer.family, app_tls_suite(t), app_tls_group(t), app_tls_sig(t),
            (unsigned)t->connect_ms, (unsigned)t->handshake_ms);
    struct byte_stream s;
    app_tls_stream(t, &s);
    http_client_init(&hc, &s, hc_buf, sizeof hc_buf);   /* a valid buffer: HTTPC_OK */
    for (long i = 1; i <= repeat; i++) {
        bool reusable;
        rc |= one_request(t, &hc, u, i < repeat, print_all, (unsigned)i, &reusable);
        if (rc)
            break;
        if (i < repeat && !reusable) {
            kprintf("https: error=connection_not_reusable detail=server closed after request %ld\n", i);
            rc = 1;
            break;
        }
    }
    app_tls_free(t);
    return rc;
}

int app_get_run(const struct app_options *o)
{
    const struct url *u = &o->get_url;      /* parsed and checked by app/keys.c */
    bool print_all = o->print;
    long repeat = o->repeat;
    long loops = o->loops;
    uint32_t timeout = o->timeout_ms > 0 ? (uint32_t)o->timeout_ms : 30000;
    app_tls_forget_tickets();    /* a job resumes only its own sessions */
    size_t heap0 = heap_bytes_in_use();
    size_t heap_first = heap0;
    int rc = 0;
    long l = 0;
    for (; l < loops && !rc; l++) {
        rc = one_connection(u, &o->tls, repeat, print_all, timeout);
        if (l == 0)
            heap_first = heap_bytes_in_use();
    }
    size_t heap1 = heap_bytes_in_use();
    if (loops > 1 || o->heapcheck)
        kprintf("https: heap before=%lu after_first=%lu after=%lu connections=%ld\n",
                (unsigned long)heap0, (unsigned long)heap_first, (unsigned long)heap1, l);
    return rc;
}
