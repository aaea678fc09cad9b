/* The TCP side of the app jobs over net/ (see app_tcp.h).
   Uses the blocking helpers of net/tcp.h (tcp_connect_blocking,
   tcp_send_all, tcp_recv_blocking, tcp_close_blocking) and of
   net/net_kernel.h (net_kernel_up, dns_resolve_blocking). */
#include "app/app_tcp.h"
#include "kernel/console.h"
#include "kernel/time.h"
#include "lib/fmt.h"
#include "net/net.h"
#include "net/net_kernel.h"
#include "net/tcp.h"
#include <string.h>

static void set_err(struct app_tcp *t, enum net_err e, const char *what)
{
    t->err = app_err_from_net(e);
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

bool app_tcp_connect_checked(struct app_tcp *t, const char *host, uint16_t port,
                             uint32_t timeout_ms, const struct app_addr_check *check)
{
    t->sock = -1;
    t->err = APP_OK;
    t->cancel = NULL;
    t->detail[0] = 0;
    t->timeout_ms = timeout_ms;
    memset(&t->peer, 0, sizeof t->peer);
    struct ip_addr ip;
    enum ip_addr_err ae = ip_addr_parse(host, strlen(host), &ip);
    if (ae == IP_ADDR_ERR_FAMILY) {           /* an IPv6 literal: no IPv6 yet */
        set_err(t, NET_ERR_FAMILY, host);
        return false;
    }
    if (ae == IP_ADDR_ERR_V4_FORM) {          /* "010.0.0.1": no address, no name */
        set_err(t, NET_ERR_INVALID_ARG, host);
        return false;
    }
    if (ae != IP_ADDR_OK) {
        enum net_err e = dns_resolve_blocking(host, &ip, timeout_ms);
        if (e != NET_OK) {
            set_err(t, e, host);
            return false;
        }
    }
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
