/* see net_kernel.h */
#include "net/net_kernel.h"
#include "net/net.h"
#include "net/ipv6.h"
#include "net/netfault.h"
#include "net/slaac.h"
#include "drivers/drivers.h"
#include "net/tcp.h"
#include "net/tcp_int.h"
#include "kernel/console.h"
#include "kernel/random.h"
#include "kernel/time.h"
#include "lib/fmt.h"
#include <string.h>

static bool started;
static struct netdev *dev;           /* what the stack runs on */
static struct netfault faults;       /* wraps the device with netfault= */

static int kernel_random(void *out, size_t len)
{
    return random_bytes(out, len) == RANDOM_OK ? 0 : -1;
}

static struct net_config want;
static bool configured, fault_on, v6_configured;
static struct netfault_cfg fault;
static struct ip6_config want6;
static uint64_t started_ms;          /* time of net_init */

void net_kernel_configure(const struct net_config *cfg, const struct netfault_cfg *f)
{
    want = *cfg;
    configured = true;
    fault_on = f != NULL;
    if (f)
        fault = *f;
}

void net_kernel_configure_ipv6(const struct ip6_config *cfg)
{
    want6 = *cfg;
    v6_configured = true;
}

/* Any of our IPv6 addresses still tentative (ordinary DAD: a static ip6=;
   optimistic ones are usable and not waited for). */
static bool ip6_tentative(void)
{
    struct slaac_addr a[SLAAC_ADDRS];
    size_t n = slaac_addrs(a, SLAAC_ADDRS);
    for (size_t i = 0; i < n; i++)
        if (a[i].state == SLAAC_TENTATIVE)
            return true;
    return false;
}

/* Lets IPv6 settle before the boot line, within bounds: without a router
   advertisement by NET_KERNEL_RA_WAIT_MS after net_init there is no router
   to wait for; with one, until it has given us an address (SLAAC addresses
   are optimistic, usable at once while DAD goes on: net/slaac.h); a static
   ip6= until its ordinary DAD is over (SLAAC_DAD_RETRANS_MS); never past
   NET_KERNEL_V6_SETTLE_MS after net_init. A boot whose DHCP took longer
   than that waits for nothing. */
static void ip6_settle(void)
{
    if (!ip6_enabled())
        return;
    for (;;) {
        uint64_t t = time_ms() - started_ms;
        bool tentative = ip6_tentative();
        if (!tentative && (ip6_stats.ra_rx > 0 || t >= NET_KERNEL_RA_WAIT_MS))
            return;
        if (t >= NET_KERNEL_V6_SETTLE_MS)
            return;
        net_poll(time_ms());
    }
}

/* " ip6=ADDR/LEN (slaac|static) ip6_ll=fe80::..." for the boot line: the
   first usable global address (preferred before deprecated or optimistic:
   an optimistic SLAAC address, still in DAD, shows as "(slaac)" too) and the
   link-local one, "none" for what is missing (not configured, or still
   tentative). */
static void ip6_describe(char *out, size_t cap)
{
    struct slaac_addr a[SLAAC_ADDRS];
    size_t n = slaac_addrs(a, SLAAC_ADDRS);
    const struct slaac_addr *g = NULL, *ll = NULL;
    for (size_t i = 0; i < n; i++) {
        if (a[i].state != SLAAC_PREFERRED && a[i].state != SLAAC_DEPRECATED &&
            a[i].state != SLAAC_OPTIMISTIC)
            continue;
        if (a[i].origin == SLAAC_LINK_LOCAL)
            ll = ll ? ll : &a[i];
        else if (!g || (g->state != SLAAC_PREFERRED && a[i].state == SLAAC_PREFERRED))
            g = &a[i];
    }
    char gs[IP_ADDR_STR_MAX] = "none", ls[IP_ADDR_STR_MAX] = "none";
    if (g) {
        struct ip_addr x = ip_addr_v6(g->addr);
        ip_addr_format(&x, gs, sizeof gs);
    }
    if (ll) {
        struct ip_addr x = ip_addr_v6(ll->addr);
        ip_addr_format(&x, ls, sizeof ls);
    }
    if (g)
        fmt_snprintf(out, cap, " ip6=%s/%u (%s) ip6_ll=%s", gs, g->plen,
                     g->origin == SLAAC_STATIC ? "static" : "slaac", ls);
    else
        fmt_snprintf(out, cap, " ip6=none ip6_ll=%s", ls);
}

/* An optimistic address lost its DAD (net/slaac.h): it is gone. */
static void ip6_dad_lost(const uint8_t addr[16])
{
    struct ip_addr x = ip_addr_v6(addr);
    char s[IP_ADDR_STR_MAX];
    kprintf("net: ip6 duplicate address %s removed (optimistic DAD)\n",
            ip_addr_format(&x, s, sizeof s));
}

/* "A.B.C.D:PORT", "[IPV6]:PORT" or "none": the DNS server in use. */
static void dns_describe(char *out, size_t cap)
{
    struct ip_addr a;
    uint16_t port;
    char s[IP_ADDR_STR_MAX];
    if (!net_dns_server(&a, &port))
        fmt_snprintf(out, cap, "none");
    else if (ip_addr_is_v6(&a))
        fmt_snprintf(out, cap, "[%s]:%u", ip_addr_format(&a, s, sizeof s), port);
    else
        fmt_snprintf(out, cap, "%s:%u", ip_addr_format(&a, s, sizeof s), port);
}

enum net_err net_kernel_up(uint32_t timeout_ms)
{
    if (!started) {
        if (!configured)
            (void)net_config_parse(&want, NULL, NULL, NULL);     /* DHCP */
        if (!v6_configured)
            (void)ip6_config_parse(&want6, NULL, NULL, NULL);    /* on, SLAAC */
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
        net_set_ipv6(&want6);
        slaac_set_conflict_hook(ip6_dad_lost);
        started_ms = time_ms();
        net_init(dev, &want, started_ms);
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
        ip6_settle();
        const struct net_config *c = net_current_config();
        char a[16], g[16], d[IP_ADDR_STR_MAX + 8], v6[2 * IP_ADDR_STR_MAX + 40] = "";
        dns_describe(d, sizeof d);
        if (ip6_enabled())
            ip6_describe(v6, sizeof v6);
        kprintf("net: up ip=%s/%d gw=%s dns=%s via=%s%s\n", ip4_format(c->addr, a),
                __builtin_popcount(c->netmask), ip4_format(c->gw, g), d,
                c->dhcp ? "dhcp" : "static", v6);
        announced = true;
    }
    return NET_OK;
}

/* The answer was truncated over UDP: ask again over TCP (net/dns.h frames
   the messages). */
enum net_err dns_resolve_tcp(const char *name, uint16_t qtype, struct dns_answer *ans,
                             uint32_t timeout_ms)
{
    enum net_err err = NET_OK;
    struct ip_addr server;
    uint16_t port, id;
    if (!net_dns_server(&server, &port))
        return NET_ERR_NO_ROUTE;
    if (net_random(&id, sizeof id) != NET_OK)
        return NET_ERR_NO_ENTROPY;
    uint8_t q[2 + 300];
    size_t n = dns_tcp_build_query_type(q, sizeof q, id, name, qtype);
    if (!n)
        return NET_ERR_INVALID_ARG;
    net_stats.dns_tcp_fallbacks++;
    int s = tcp_connect_blocking(&server, port, timeout_ms, &err);
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
    char line[NET_COUNTERS_LINE_MAX];
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
    return tcp_connect_blocking_sized(ip, port, timeout_ms, NULL, err);
}

int tcp_connect_blocking_sized(const struct ip_addr *ip, uint16_t port, uint32_t timeout_ms,
                               const struct tcp_bufs *bufs, enum net_err *err)
{
    net_poll(time_ms());                  /* tcp_now current before the SYN */
    int s = tcp_connect_sized(ip, port, timeout_ms, bufs, err);
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
