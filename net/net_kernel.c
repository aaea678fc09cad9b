/* see net_kernel.h */
#include "net/net_kernel.h"
#include "net/net.h"
#include "net/netfault.h"
#include "drivers/drivers.h"
#include "net/tcp.h"
#include "net/tcp_int.h"
#include "kernel/console.h"
#include "kernel/random.h"
#include "kernel/time.h"
#include <string.h>

static bool started;
static struct netdev *dev;           /* what the stack runs on */
static struct netfault faults;       /* wraps the device with netfault= */

static int kernel_random(void *out, size_t len)
{
    return random_bytes(out, len) == RANDOM_OK ? 0 : -1;
}

static struct net_config want;
static bool configured, fault_on;
static struct netfault_cfg fault;

void net_kernel_configure(const struct net_config *cfg, const struct netfault_cfg *f)
{
    want = *cfg;
    configured = true;
    fault_on = f != NULL;
    if (f)
        fault = *f;
}

enum net_err net_kernel_up(uint32_t timeout_ms)
{
    if (!started) {
        if (!configured)
            (void)net_config_parse(&want, NULL, NULL, NULL);     /* DHCP */
        if (fault_on)
            kprintf("net: fault injection drop=%u%% dup=%u%% reorder=%u%% corrupt=%u%% seed=%lu\n",
                    fault.drop, fault.dup, fault.reorder, fault.corrupt, (unsigned long)fault.seed);
        const char *why = "";
        dev = drivers_start_net(&why);
        if (!dev) {
            kprintf("net: error=no_link detail=%s\n", why);
            return NET_ERR_NO_LINK;
        }
        if (fault_on)
            dev = netfault_wrap(&faults, dev, &fault);
        if (!random_ready())
            kprintf("net: warning: no CSPRNG: DNS ids, ports and TCP ISNs unavailable\n");
        net_set_random(kernel_random);
        net_init(dev, &want, time_ms());
        started = true;
    }
    uint64_t t0 = time_ms();
    while (!net_is_up()) {
        if (net_config_status() != NET_OK)
            return net_config_status();
        if (time_ms() - t0 > timeout_ms)
            return NET_ERR_DHCP_TIMEOUT;
        net_poll(time_ms());
    }
    static bool announced;
    if (!announced) {
        const struct net_config *c = net_current_config();
        char a[16], g[16], d[16];
        kprintf("net: up ip=%s/%d gw=%s dns=%s:%u via=%s\n", ip4_format(c->addr, a),
                __builtin_popcount(c->netmask), ip4_format(c->gw, g), ip4_format(c->dns, d),
                c->dns_port, net_current_config()->dhcp ? "dhcp" : "static");
        announced = true;
    }
    return NET_OK;
}

/* The answer was truncated over UDP: ask again over TCP (net/dns.h frames
   the messages). */
enum net_err dns_resolve_tcp(const char *name, uint16_t qtype, struct dns_answer *ans,
                             uint32_t timeout_ms)
{
    const struct net_config *c = net_current_config();
    enum net_err err = NET_OK;
    uint16_t id;
    if (net_random(&id, sizeof id) != NET_OK)
        return NET_ERR_NO_ENTROPY;
    uint8_t q[2 + 300];
    size_t n = dns_tcp_build_query_type(q, sizeof q, id, name, qtype);
    if (!n)
        return NET_ERR_INVALID_ARG;
    net_stats.dns_tcp_fallbacks++;
    struct ip_addr server = ip_addr_v4(c->dns);
    int s = tcp_connect_blocking(&server, c->dns_port, timeout_ms, &err);
    if (s < 0)
        return err == NET_ERR_REFUSED || err == NET_ERR_CONNECT_TIMEOUT ? NET_ERR_DNS_TIMEOUT : err;
    static uint8_t resp[65535];
    struct dns_tcp_reader rd;
    dns_tcp_reader_init(&rd, resp, sizeof resp);
    if (tcp_send_all(s, q, n, timeout_ms, &err) < 0)
        goto out;
    do {
        uint8_t chunk[2048];
        long r = tcp_recv_blocking(s, chunk, sizeof chunk, timeout_ms, &err);
        if (r <= 0) {
            err = r == 0 ? NET_ERR_DNS_MALFORMED : err;
            goto out;
        }
        size_t used;
        err = dns_tcp_feed(&rd, chunk, (size_t)r, &used);
    } while (err == NET_ERR_AGAIN);
    if (err != NET_OK)
        goto out;
    err = dns_parse_response_type(resp, rd.len, id, name, qtype, ans);
    if (err == NET_OK && ans->truncated)
        err = NET_ERR_DNS_MALFORMED;
out:
    tcp_close_blocking(s, 1000);
    return err;
}

enum net_err dns_resolve_all(const char *name, struct dns_answer *ans, uint32_t timeout_ms)
{
    memset(ans, 0, sizeof *ans);
    enum net_err e = dns_literal(name, ans);   /* the one literal rule (ip_addr_parse) */
    if (e != NET_ERR_AGAIN)
        return e;
    e = dns_query_start(name);
    if (e != NET_OK)
        return e;
    uint64_t t0 = time_ms();
    while ((e = dns_query_result(ans)) == NET_ERR_AGAIN) {
        if (time_ms() - t0 > timeout_ms)
            return NET_ERR_DNS_TIMEOUT;
        net_poll(time_ms());
    }
    if (e == NET_OK && ans->truncated)
        e = dns_resolve_tcp(name, DNS_QTYPE_A, ans, timeout_ms);
    return e;
}

enum net_err dns_resolve_blocking(const char *name, struct ip_addr *out, uint32_t timeout_ms)
{
    struct dns_answer ans;
    enum net_err e = dns_resolve_all(name, &ans, timeout_ms);
    if (e == NET_OK)
        *out = ans.addr[0];
    return e;
}

void net_kernel_report(void)
{
    char line[1024];        /* the whole line even with 20-digit counters (~860) */
    net_counters_format(line, sizeof line);
    kprintf("%s\n", line);
    if (dev && dev->stats && dev->stats(dev->ctx, line, sizeof line))
        kprintf("%s\n", line);
}

/* ---- blocking TCP: each helper loops on net_poll(time_ms()) until its
   condition holds, the connection fails, or its timeout passes without
   progress ---- */

int tcp_connect_blocking(const struct ip_addr *ip, uint16_t port, uint32_t timeout_ms,
                         enum net_err *err)
{
    net_poll(time_ms());                  /* tcp_now current before the SYN */
    int s = tcp_connect(ip, port, timeout_ms, err);
    if (s < 0)
        return -1;
    for (;;) {
        enum tcp_state st = tcp_state(s);
        if (st == TCP_ESTABLISHED || st == TCP_CLOSE_WAIT) {
            *err = NET_OK;
            return s;
        }
        if (st == TCP_CLOSED) {
            *err = tcp_error(s) != NET_OK ? tcp_error(s) : NET_ERR_CLOSED;
            tcp_abort(s);
            return -1;
        }
        net_poll(time_ms());
    }
}

long tcp_send_all(int s, const void *buf, size_t len, uint32_t timeout_ms, enum net_err *err)
{
    const uint8_t *p = buf;
    size_t done = 0;
    uint64_t last = time_ms();
    while (done < len) {
        long r = tcp_send(s, p + done, len - done);
        if (r < 0) {
            *err = (enum net_err)(-r);
            return -1;
        }
        if (r > 0) {
            done += (size_t)r;
            last = time_ms();
            continue;
        }
        if (time_ms() - last > timeout_ms) {
            *err = NET_ERR_TIMEOUT;
            return -1;
        }
        net_poll(time_ms());
    }
    net_flush();                          /* the caller may not poll again soon */
    *err = NET_OK;
    return (long)len;
}

long tcp_recv_blocking(int s, void *buf, size_t len, uint32_t timeout_ms, enum net_err *err)
{
    uint64_t start = time_ms();
    for (;;) {
        long r = tcp_recv(s, buf, len);
        if (r >= 0) {
            *err = NET_OK;
            return r;
        }
        if (r != -(long)NET_ERR_AGAIN) {
            *err = (enum net_err)(-r);
            return -1;
        }
        if (time_ms() - start > timeout_ms) {
            *err = NET_ERR_TIMEOUT;
            return -1;
        }
        net_poll(time_ms());
    }
}

void tcp_close_blocking(int s, uint32_t timeout_ms)
{
    struct tcp_sock *t = tcp_sock_get(s);
    if (!t)
        return;
    tcp_close(s);
    uint64_t start = time_ms();
    /* our FIN is acknowledged in FIN_WAIT_2 / TIME_WAIT, or the slot ended */
    while (t->used && t->app_closed && t->state != TCP_FIN_WAIT_2 &&
           t->state != TCP_TIME_WAIT && t->state != TCP_CLOSED &&
           time_ms() - start <= timeout_ms)
        net_poll(time_ms());
}
