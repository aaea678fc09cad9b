/* see net_kernel.h. Also the `resolve=` tool and net_jobs_run(), the hook
   kmain calls for the network jobs (resolve=, tcpget=, tcpput=). */
#include "net/net_kernel.h"
#include "net/net.h"
#include "net/netfault.h"
#include "net/virtio_net.h"
#include "net/wire.h"
#include "kernel/cmdline.h"
#include "kernel/console.h"
#include "kernel/random.h"
#include "kernel/time.h"
#include <string.h>

/* TCP, when linked (net/tcp.h): used for the DNS TCP fallback and the tools. */
__attribute__((weak)) int tcp_connect_blocking(const struct ip_addr *ip, uint16_t port,
                                               uint32_t timeout_ms, enum net_err *err);
__attribute__((weak)) long tcp_send_all(int s, const void *buf, size_t len, uint32_t timeout_ms,
                                        enum net_err *err);
__attribute__((weak)) long tcp_recv_blocking(int s, void *buf, size_t len, uint32_t timeout_ms,
                                             enum net_err *err);
__attribute__((weak)) void tcp_close_blocking(int s, uint32_t timeout_ms);
__attribute__((weak)) int tcpget_run(const char *hostport);
__attribute__((weak)) int tcpput_run(const char *hostport, const char *bytes);

static bool started;

static int kernel_random(void *out, size_t len)
{
    return random_bytes(out, len) == RANDOM_OK ? 0 : -1;
}

void net_kernel_idle(uint32_t ms)
{
    uint64_t end = time_ms() + ms;
    while (time_ms() < end)
        net_poll(time_ms());
}

enum net_err net_kernel_up(uint32_t timeout_ms)
{
    if (!started) {
        struct net_config cfg;
        enum net_err e = net_config_parse(&cfg, karg("ip"), karg("gw"), karg("dns"));
        if (e != NET_OK) {
            kprintf("net: error=bad_config detail=ip=/gw=/dns= value\n");
            return e;
        }
        const char *nf = karg("netfault");
        struct netfault_cfg fc;
        if (nf && netfault_parse(nf, &fc) != NET_OK) {
            kprintf("net: error=bad_config detail=netfault=%s\n", nf);
            return NET_ERR_INVALID_ARG;
        }
        netfault_init(nf ? &fc : NULL);
        if (nf)
            kprintf("net: fault injection drop=%u%% dup=%u%% reorder=%u%% corrupt=%u%% seed=%lu\n",
                    fc.drop, fc.dup, fc.reorder, fc.corrupt, (unsigned long)fc.seed);
        const char *why = "";
        struct netdev *dev = virtio_net_probe(&why);
        if (!dev) {
            kprintf("net: error=no_link detail=%s\n", why);
            return NET_ERR_NO_LINK;
        }
        if (!random_ready())
            kprintf("net: warning: no CSPRNG: DNS ids, ports and TCP ISNs unavailable\n");
        net_set_random(kernel_random);
        net_init(dev, &cfg, time_ms());
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
    if (!tcp_connect_blocking)
        return NET_ERR_DNS_MALFORMED;
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
    struct ip_addr server = ip_addr_v4(c->dns);
    int s = tcp_connect_blocking(&server, c->dns_port, timeout_ms, &err);
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
        ans->addr[0] = ip_addr_v4(lit);
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

enum net_err dns_resolve_blocking(const char *name, struct ip_addr *out, uint32_t timeout_ms)
{
    struct dns_answer ans;
    enum net_err e = dns_resolve_all(name, &ans, timeout_ms);
    if (e == NET_OK)
        *out = ans.addr[0];
    return e;
}

static int resolve_job(const char *name)
{
    struct dns_answer ans;
    enum net_err e = dns_resolve_all(name, &ans, 10000);
    if (e != NET_OK) {
        kprintf("dns: %s error=%s\n", name, net_err_str(e));
        return 1;
    }
    for (int i = 0; i < ans.naddr; i++) {
        char a[IP_ADDR_STR_MAX];
        kprintf("dns: %s %s\n", name, ip_addr_format(&ans.addr[i], a, sizeof a));
    }
    return 0;
}

int net_jobs_run(void)
{
    const char *resolve = karg("resolve");
    const char *tcpget = karg("tcpget");
    const char *tcpput = karg("tcpput");
    const char *netup = karg("netup");
    if (!resolve && !tcpget && !tcpput && !netup)
        return -1;
    int rc = 0;
    enum net_err e = net_kernel_up(15000);
    if (e != NET_OK) {
        kprintf("net: error=%s\n", net_err_str(e));
        rc = 1;
    } else {
        if (resolve) {
            /* a comma list; the second lookup of a name shows the cache */
            char names[256];
            size_t n = strlen(resolve);
            if (n >= sizeof names)
                n = sizeof names - 1;
            memcpy(names, resolve, n);
            names[n] = 0;
            for (char *p = names, *end; p && *p; p = end) {
                end = strchr(p, ',');
                if (end)
                    *end++ = 0;
                rc |= resolve_job(p);
            }
        }
        if (tcpget) {
            if (tcpget_run)
                rc |= tcpget_run(tcpget) != 0;
            else {
                kprintf("tcp: error=not_built\n");
                rc = 1;
            }
        }
        if (tcpput) {
            if (tcpput_run)
                rc |= tcpput_run(tcpput, karg("bytes")) != 0;
            else {
                kprintf("tcp: error=not_built\n");
                rc = 1;
            }
        }
    }
    net_kernel_report();
    return rc;
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
