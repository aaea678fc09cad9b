/* The TCP side of the app jobs over net/ (see app_tcp.h).
   Uses the blocking helpers of net/tcp.h (tcp_connect_blocking,
   tcp_send_all, tcp_recv_blocking, tcp_close_blocking) and of
   net/net_kernel.h (net_kernel_up, dns_resolve_tcp); a name connects by
   Happy Eyeballs (net/happy_eyeballs.h) over the A and AAAA lookups of
   net/dns.h, this file giving it the clock and the TCP calls. */
#include "app/app_tcp.h"
#include "kernel/console.h"
#include "kernel/time.h"
#include "lib/fmt.h"
#include "net/happy_eyeballs.h"
#include "net/net.h"
#include "net/net_kernel.h"
#include "net/tcp.h"
#include <string.h>

static void set_err(struct app_tcp *t, enum net_err e, const char *what)
{
    t->err = app_err_from_net(e);
    t->net_err = e;
    fmt_snprintf(t->detail, sizeof t->detail, "%s: %s", what, net_err_str(e));
}

bool app_net_up(enum app_err *err)
{
    enum net_err e = net_kernel_up(20000); /* DHCP under TCG can take seconds */
    if (e != NET_OK) {
        *err = app_err_from_net(e);
        return false;
    }
    return true;
}

void app_net_report(void)
{
    if (net_is_up())
        net_kernel_report();
}

bool app_tcp_connect(struct app_tcp *t, const char *host, uint16_t port, uint32_t timeout_ms)
{
    return app_tcp_connect_checked(t, host, port, timeout_ms, NULL);
}

/* ---- Happy Eyeballs glue: the race's callbacks over net/tcp.h ---- */

struct he_glue {
    uint32_t timeout_ms;
    const struct app_addr_check *check;
    bool refused;                  /* a check refused an address: its detail */
    char refused_detail[96];
};

static int glue_connect(void *ctx, const struct ip_addr *a, uint16_t port, enum net_err *err)
{
    struct he_glue *g = ctx;
    int s = tcp_connect(a, port, g->timeout_ms, err);
    return s < 0 ? -1 : s;
}

static enum he_poll glue_poll(void *ctx, int s, enum net_err *err)
{
    (void)ctx;
    enum tcp_state st = tcp_state(s);
    if (st == TCP_ESTABLISHED || st == TCP_CLOSE_WAIT)
        return HE_POLL_CONNECTED;
    if (st != TCP_CLOSED)
        return HE_POLL_PENDING;
    *err = tcp_error(s) != NET_OK ? tcp_error(s) : NET_ERR_CLOSED;
    tcp_abort(s);                  /* releases the handle */
    return HE_POLL_FAILED;
}

static void glue_abort(void *ctx, int s)
{
    (void)ctx;
    tcp_abort(s);
}

static bool glue_allow(void *ctx, const struct ip_addr *a)
{
    struct he_glue *g = ctx;
    char detail[96];
    if (!g->check || g->check->ok(g->check->ctx, a, detail, sizeof detail))
        return true;
    if (!g->refused) {
        g->refused = true;
        memcpy(g->refused_detail, detail, sizeof detail);
    }
    return false;
}

/* Hands a finished lookup type to the race once (a truncated answer is
   asked again over TCP). */
static void feed_answer(struct he *h, const char *host, uint16_t qtype, bool *handed,
                        enum net_err *err, uint32_t timeout_ms)
{
    if (*handed)
        return;
    struct dns_answer ans;
    enum net_err e = dns_lookup_result(qtype, &ans);
    if (e == NET_ERR_AGAIN)
        return;
    if (e == NET_OK && ans.truncated)
        e = dns_resolve_tcp(host, qtype, &ans, timeout_ms);
    *handed = true;
    *err = e;
    he_answer(h, qtype == DNS_QTYPE_AAAA ? IP_FAMILY_V6 : IP_FAMILY_V4, ans.addr,
              e == NET_OK ? ans.naddr : 0, time_ms());
}

/* A name: both lookups at once, then the race (RFC 8305). */
static bool connect_name(struct app_tcp *t, const char *host, uint16_t port, uint32_t timeout_ms,
                         const struct app_addr_check *check)
{
    enum net_err e = dns_lookup_start(host, DNS_WANT_A | DNS_WANT_AAAA);
    if (e != NET_OK) {
        set_err(t, e, host);
        return false;
    }
    struct he_glue g = { .timeout_ms = timeout_ms, .check = check };
    const struct he_ops ops = { glue_connect, glue_poll, glue_abort, glue_allow, &g };
    static struct he h;            /* 1.7 KiB: off the kernel stack */
    uint64_t t0 = time_ms();
    he_init(&h, &ops, port, true, true, t0);
    bool handed6 = false, handed4 = false;
    enum net_err e6 = NET_ERR_DNS_TIMEOUT, e4 = NET_ERR_DNS_TIMEOUT;
    enum he_status st;
    for (;;) {
        feed_answer(&h, host, DNS_QTYPE_AAAA, &handed6, &e6, timeout_ms);
        feed_answer(&h, host, DNS_QTYPE_A, &handed4, &e4, timeout_ms);
        st = he_step(&h, time_ms());
        if (st != HE_RUNNING)
            break;
        if (time_ms() - t0 > timeout_ms) {
            he_cancel(&h);
            st = h.status;
            break;
        }
        net_poll(time_ms());
    }
    dns_lookup_cancel();           /* a type still unanswered */
    if (st == HE_CONNECTED) {
        t->sock = h.winner;
        t->peer = h.winner_addr;
        return true;
    }
    if (h.attempts == 0) {         /* no address to try: the lookup's error */
        struct dns_answer none, out;
        memset(&none, 0, sizeof none);
        set_err(t, dns_answers_merge(&none, e6, &none, e4, &out), host);
        return false;
    }
    if (h.first_refused) {
        t->err = APP_ERR_ADDR_REFUSED;
        fmt_snprintf(t->detail, sizeof t->detail, "%s", g.refused_detail);
        return false;
    }
    char a[IP_ADDR_STR_MAX];
    set_err(t, h.first_err, ip_addr_format(&h.first_addr, a, sizeof a));
    return false;
}

bool app_tcp_connect_checked(struct app_tcp *t, const char *host, uint16_t port,
                             uint32_t timeout_ms, const struct app_addr_check *check)
{
    t->sock = -1;
    t->err = APP_OK;
    t->net_err = NET_OK;
    t->cancel = NULL;
    t->detail[0] = 0;
    t->timeout_ms = timeout_ms;
    memset(&t->peer, 0, sizeof t->peer);
    struct ip_addr ip;
    enum ip_addr_err ae = ip_addr_parse(host, strlen(host), &ip);
    if (ae == IP_ADDR_ERR_V4_FORM || ae == IP_ADDR_ERR_V6_ZONE ||
        (ae != IP_ADDR_OK && strchr(host, ':'))) {
        /* "010.0.0.1", "fe80::1%eth0", "1::2::3": no address, no name */
        set_err(t, NET_ERR_INVALID_ARG, host);
        return false;
    }
    if (ae != IP_ADDR_OK)
        return connect_name(t, host, port, timeout_ms, check);
    /* a literal: nothing to race */
    if (check && !check->ok(check->ctx, &ip, t->detail, sizeof t->detail)) {
        t->err = APP_ERR_ADDR_REFUSED;
        return false;
    }
    t->peer = ip;
    enum net_err e = NET_OK;
    int s = tcp_connect_blocking_sized(&ip, port, timeout_ms, t->bufs, &e);
    if (s < 0) {
        char a[IP_ADDR_STR_MAX];
        set_err(t, e, ip_addr_format(&ip, a, sizeof a));
        return false;
    }
    t->sock = s;
    return true;
}

long app_tcp_read(struct app_tcp *t, uint8_t *buf, size_t len)
{
    if (t->sock < 0)
        return -1;
    enum net_err e = NET_OK;
    if (!t->cancel) {
        long r = tcp_recv_blocking(t->sock, buf, len, t->timeout_ms, &e);
        if (r < 0) {
            set_err(t, e, "recv");
            return -1;
        }
        return r;
    }
    /* with a cancel hook: wait in slices, asking it between them */
    uint64_t start = time_ms();
    for (;;) {
        long r = tcp_recv_blocking(t->sock, buf, len, APP_TCP_CANCEL_POLL_MS, &e);
        if (r >= 0)
            return r;
        if (e != NET_ERR_TIMEOUT || time_ms() - start > t->timeout_ms) {
            set_err(t, e, "recv");
            return -1;
        }
        if (t->cancel(t->cancel_ctx)) {
            t->err = APP_ERR_TCP_ERROR;
            fmt_snprintf(t->detail, sizeof t->detail, "recv: cancelled");
            return -1;
        }
    }
}

long app_tcp_read_now(struct app_tcp *t, uint8_t *buf, size_t len)
{
    if (t->sock < 0)
        return 0;
    /* Polls only once the socket is empty, as tcp_recv_blocking does: a
       poll per call (two or more per record) spread the received frames
       over more polls, so more doorbells, each a wait for QEMU's global
       lock (measured: 8102 instead of 2126 per 128 MiB). */
    long r = tcp_recv(t->sock, buf, len);
    if (r == -(long)NET_ERR_AGAIN) {
        net_poll(time_ms());
        r = tcp_recv(t->sock, buf, len);
    }
    return r > 0 ? r : 0;
}

void app_net_poll(void)
{
    net_poll(time_ms());
}

long app_tcp_write(struct app_tcp *t, const uint8_t *buf, size_t len)
{
    if (t->sock < 0)
        return -1;
    enum net_err e = NET_OK;
    if (tcp_send_all(t->sock, buf, len, t->timeout_ms, &e) != (long)len) {
        set_err(t, e, "send");
        return -1;
    }
    return (long)len;
}

void app_tcp_close(struct app_tcp *t)
{
    if (t->sock >= 0) {
        tcp_close_blocking(t->sock, 2000);
        t->sock = -1;
    }
}
