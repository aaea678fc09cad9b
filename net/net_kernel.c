/* see net_kernel.h */
#include "net/net_kernel.h"
#include "net/net.h"
#include "net/netfault.h"
#include "net/virtio_net.h"
#include "net/wire.h"
#include "net/tcp.h"
#include "kernel/console.h"
#include "kernel/random.h"
#include "kernel/time.h"
#include <string.h>

static bool started;

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
        netfault_init(fault_on ? &fault : NULL);
        if (fault_on)
            kprintf("net: fault injection drop=%u%% dup=%u%% reorder=%u%% corrupt=%u%% seed=%lu\n",
                    fault.drop, fault.dup, fault.reorder, fault.corrupt, (unsigned long)fault.seed);
        const char *why = "";
        struct netdev *dev = virtio_net_probe(&why);
        if (!dev) {
            kprintf("net: error=no_link detail=%s\n", why);
            return NET_ERR_NO_LINK;
        }
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

/* RFC 1035 4.2.2: over TCP the message carries a 2-byte length prefix. */
static enum net_err resolve_tcp(const char *name, struct dns_answer *ans, uint32_t timeout_ms)
{
    const struct net_config *c = net_current_config();
    enum net_err err = NET_OK;
    uint16_t id;
    if (net_random(&id, sizeof id) != NET_OK)
        return NET_ERR_NO_ENTROPY;
    uint8_t q[2 + 300];
    size_t n = dns_build_query(q + 2, sizeof q - 2, id, name);
    if (!n)
        return NET_ERR_INVALID_ARG;
    be16_put(q, (uint16_t)n);
    net_stats.dns_tcp_fallbacks++;
    int s = tcp_connect_blocking(c->dns, c->dns_port, timeout_ms, &err);
    if (s < 0)
        return err == NET_ERR_REFUSED || err == NET_ERR_CONNECT_TIMEOUT ? NET_ERR_DNS_TIMEOUT : err;
    static uint8_t resp[2 + 65535];
    size_t got = 0, want = 2;
    if (tcp_send_all(s, q, n + 2, timeout_ms, &err) < 0)
        goto out;
    while (got < want) {
        long r = tcp_recv_blocking(s, resp + got, want - got, timeout_ms, &err);
        if (r <= 0) {
            err = r == 0 ? NET_ERR_DNS_MALFORMED : err;
            goto out;
        }
        got += (size_t)r;
        if (got >= 2 && want == 2)
            want = 2 + be16_get(resp);
    }
    err = dns_parse_response(resp + 2, want - 2, id, name, ans);
    if (err == NET_OK && ans->truncated)
        err = NET_ERR_DNS_MALFORMED;
out:
    tcp_close_blocking(s, 1000);
    return err;
}

enum net_err dns_resolve_all(const char *name, struct dns_answer *ans, uint32_t timeout_ms)
{
    memset(ans, 0, sizeof *ans);
    ip4_addr lit;
    if (ip4_parse_n(name, strlen(name), &lit) == 0) {
        ans->addr[0] = lit;
        ans->naddr = 1;
        return NET_OK;
    }
    enum net_err e = dns_query_start(name);
    if (e != NET_OK)
        return e;
    uint64_t t0 = time_ms();
    while ((e = dns_query_result(ans)) == NET_ERR_AGAIN) {
        if (time_ms() - t0 > timeout_ms)
            return NET_ERR_DNS_TIMEOUT;
        net_poll(time_ms());
    }
    if (e == NET_OK && ans->truncated)
        e = resolve_tcp(name, ans, timeout_ms);
    return e;
}

enum net_err dns_resolve_blocking(const char *name, ip4_addr *out, uint32_t timeout_ms)
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
    const struct virtio_net_stats *v = virtio_net_stats();
    kprintf("virtio-net: rx=%lu tx=%lu tx_full=%lu rx_bad=%lu tx_kicks=%lu rx_notify=%lu "
            "rx_notify_skipped=%lu tx_notify=%lu tx_notify_skipped=%lu link_reads=%lu\n",
            (unsigned long)v->rx, (unsigned long)v->tx, (unsigned long)v->tx_full,
            (unsigned long)v->rx_bad, (unsigned long)v->tx_kicks, (unsigned long)v->rx_notify,
            (unsigned long)v->rx_notify_skipped, (unsigned long)v->tx_notify,
            (unsigned long)v->tx_notify_skipped, (unsigned long)v->link_reads);
}
