/* The stack core (see net.h): configuration, the poll loop, the device,
   randomness and counters. */
#include "net/net.h"
#include "net/arp.h"
#include "net/eth.h"
#include "net/ip4_reasm.h"
#include "net/ipv6.h"
#include "net/ndp.h"
#include "net/net_int.h"
#include "net/tcp.h"
#include "net/udp.h"
#include "lib/fmt.h"
#include <string.h>

struct net_counters net_stats;

static struct netdev *dev;
static bool link_ok = true;        /* cached dev->link_up, see NET_LINK_CHECK_MS */
static uint64_t link_checked_ms;
static struct net_config want, cur;
static uint64_t now;
static bool up;
static enum net_err cfg_status;
static net_random_fn rnd;
static struct ip6_config v6cfg;    /* enabled false: IPv6 off */

void net_set_random(net_random_fn fn) { rnd = fn; }

enum net_err net_random(void *out, size_t len)
{
    if (!rnd || rnd(out, len) != 0)
        return NET_ERR_NO_ENTROPY;
    return NET_OK;
}

/* ip=, gw=, dns=: IPv4 literals by the one parser (lib/ip_addr.h), so
   "010.0.2.2" is refused here as it is in a URL. */
static int parse_addr(const char *s, size_t n, ip4_addr *a)
{
    struct ip_addr ip;
    if (ip_addr_parse(s, n, &ip) != IP_ADDR_OK || !ip_addr_is_v4(&ip))
        return -1;
    *a = ip_addr_v4_value(&ip);
    return 0;
}

/* ":PORT" tail of dns=: 1..65535, digits only. */
static int parse_port(const char *p, uint16_t *out)
{
    unsigned port = 0;
    if (!*p)
        return -1;
    for (; *p; p++) {
        if (*p < '0' || *p > '9' || (port = port * 10 + (unsigned)(*p - '0')) > 65535)
            return -1;
    }
    if (!port)
        return -1;
    *out = (uint16_t)port;
    return 0;
}

/* dns=: A.B.C.D[:PORT], an IPv6 literal alone (two colons or more, no
   port: "2001:db8::1:53" would be ambiguous), or [IPV6][:PORT] (RFC 3986
   host syntax). IPv6: unicast, no zone. 0.0.0.0 is "none", as it always
   was (DHCP's server is used). */
static int parse_dns(const char *s, struct ip_addr *a, uint16_t *port)
{
    const char *colon = strchr(s, ':'), *rest;
    if (*s == '[' || (colon && strchr(colon + 1, ':'))) {
        const char *b = s, *e = s + strlen(s);
        if (*s == '[') {
            b = s + 1;
            e = strchr(b, ']');
            if (!e)
                return -1;
        }
        if (ip_addr_parse_v6(b, (size_t)(e - b), a) != IP_ADDR_OK || ip6_is_unspecified(a->bytes) ||
            ip6_is_multicast(a->bytes))
            return -1;
        rest = *s == '[' ? e + 1 : e;
    } else {
        ip4_addr v;
        if (parse_addr(s, colon ? (size_t)(colon - s) : strlen(s), &v) != 0)
            return -1;
        *a = v ? ip_addr_v4(v) : (struct ip_addr){0};
        rest = colon ? colon : s + strlen(s);
    }
    if (!*rest)
        return 0;
    return *rest == ':' ? parse_port(rest + 1, port) : -1;
}

enum net_err net_config_parse(struct net_config *c, const char *ip, const char *gw, const char *dns)
{
    memset(c, 0, sizeof *c);
    c->dns_port = 53;
    if (!ip || !strcmp(ip, "dhcp")) {
        c->dhcp = true;
    } else {
        const char *slash = strchr(ip, '/');
        size_t n = slash ? (size_t)(slash - ip) : strlen(ip);
        if (parse_addr(ip, n, &c->addr) != 0)
            return NET_ERR_INVALID_ARG;
        unsigned prefix = 24;
        if (slash) {
            prefix = 0;
            const char *p = slash + 1;
            if (!*p)
                return NET_ERR_INVALID_ARG;
            for (; *p; p++) {
                if (*p < '0' || *p > '9')
                    return NET_ERR_INVALID_ARG;
                prefix = prefix * 10 + (unsigned)(*p - '0');
                if (prefix > 32)
                    return NET_ERR_INVALID_ARG;
            }
        }
        c->netmask = prefix ? 0xFFFFFFFFu << (32 - prefix) : 0;
    }
    if (gw && parse_addr(gw, strlen(gw), &c->gw) != 0)
        return NET_ERR_INVALID_ARG;
    if (dns && parse_dns(dns, &c->dns, &c->dns_port) != 0)
        return NET_ERR_INVALID_ARG;
    return NET_OK;
}

bool net_dns_server(struct ip_addr *addr, uint16_t *port)
{
    if (cur.dns.family != IP_FAMILY_NONE) {
        *addr = cur.dns;
        *port = cur.dns_port;
        return true;
    }
    struct ndp_dns d[1];
    if (ip6_enabled() && ndp_dns_servers(d, 1) == 1) {
        *addr = ip_addr_v6(d[0].addr);
        *port = 53;
        return true;
    }
    return false;
}

void net_set_ipv6(const struct ip6_config *c)
{
    memset(&v6cfg, 0, sizeof v6cfg);
    if (c)
        v6cfg = *c;
}

static enum net_err ip6_link_tx(void *ctx, const uint8_t *frame, size_t len)
{
    (void)ctx;
    return net_dev_tx(frame, len);
}

enum net_err net_dev_tx(const uint8_t *frame, size_t len)
{
    if (!dev)
        return NET_ERR_NO_LINK;
    if (!link_ok)
        return NET_ERR_NO_LINK;
    if (dev->tx(dev->ctx, frame, len) != NET_OK) {
        net_stats.tx_errors++;
        return NET_ERR_NO_BUFFER;
    }
    net_stats.tx_frames++;
    net_stats.tx_bytes += len;
    return NET_OK;
}

void net_init(struct netdev *d, const struct net_config *c, uint64_t now_ms)
{
    dev = d;
    want = *c;
    now = now_ms;
    link_ok = !d || !d->link_up || d->link_up(d->ctx);
    link_checked_ms = now_ms;
    memset(&net_stats, 0, sizeof net_stats);
    arp_reset();
    udp_reset();
    ip4_reasm_reset();
    dns_reset();
    tcp_reset_all();
    struct ip6_link l = {.tx = ip6_link_tx};
    if (d)
        memcpy(l.mac, d->mac, 6);
    ip6_init(d ? &l : NULL, &v6cfg, now_ms);
    ip6_set_upper(IP6_NH_UDP, udp_input6);
    cfg_status = NET_OK;
    cur = want;
    if (want.dhcp) {
        cur.addr = cur.netmask = 0;
        if (!want.gw)
            cur.gw = 0;
        up = false;
        dhcp_start(now_ms);
    } else {
        dhcp_stop();
        up = true;
    }
}

void net_apply_lease(ip4_addr addr, ip4_addr mask, ip4_addr gw, ip4_addr dns)
{
    cur.addr = addr;
    cur.netmask = mask;
    cur.gw = want.gw ? want.gw : gw;
    if (want.dns.family == IP_FAMILY_NONE) {   /* dns= on the command line wins over DHCP */
        cur.dns = dns ? ip_addr_v4(dns) : (struct ip_addr){0};
        cur.dns_port = 53;
    }
    up = addr != 0;
}

void net_dhcp_failed(void) { cfg_status = NET_ERR_DHCP_TIMEOUT; }

void net_poll(uint64_t now_ms)
{
    now = now_ms;
    if (dev && dev->link_up && now_ms - link_checked_ms >= NET_LINK_CHECK_MS) {
        link_ok = dev->link_up(dev->ctx);
        link_checked_ms = now_ms;
    }
    if (dev) {
        uint8_t frame[NET_ETH_FRAME_MAX + 64];
        for (int i = 0; i < 64; i++) {
            size_t n = dev->rx(dev->ctx, frame, sizeof frame);
            if (!n)
                break;
            net_stats.rx_frames++;
            net_stats.rx_bytes += n;
            eth_input(frame, n);
        }
    }
    arp_timers(now_ms);
    ip4_reasm_timers(now_ms);
    dhcp_timers(now_ms);
    dns_timers(now_ms);
    tcp_timers(now_ms);
    ip6_timers(now_ms);
    net_flush();
}

void net_flush(void)
{
    if (dev && dev->flush)
        dev->flush(dev->ctx);
}

uint64_t net_now(void) { return now; }
bool net_is_up(void) { return up; }
enum net_err net_config_status(void) { return cfg_status; }
const struct net_config *net_current_config(void) { return &cur; }
const uint8_t *net_mac(void)
{
    static const uint8_t none[6];
    return dev ? dev->mac : none;
}

size_t net_counters_format(char *buf, size_t cap)
{
    const struct net_counters *s = &net_stats;
    size_t n = fmt_snprintf(buf, cap,
        "net: counters rx_frames=%lu tx_frames=%lu rx_bytes=%lu tx_bytes=%lu drops=%lu "
        "malformed=%lu checksum_errors=%lu tx_errors=%lu arp_timeouts=%lu ip_frag_dropped=%lu "
        "udp_no_port=%lu dns_queries=%lu dns_retries=%lu dns_tcp=%lu dns_cache_hits=%lu "
        "tcp_rx=%lu tcp_tx=%lu retransmissions=%lu out_of_order=%lu "
        "fault_drop=%lu fault_dup=%lu fault_reorder=%lu fault_corrupt=%lu "
        "ip_frag_rx=%lu ip_reasm_ok=%lu ip_reasm_timeout=%lu",
        (unsigned long)s->rx_frames, (unsigned long)s->tx_frames, (unsigned long)s->rx_bytes,
        (unsigned long)s->tx_bytes, (unsigned long)s->rx_dropped, (unsigned long)s->rx_malformed,
        (unsigned long)s->rx_checksum_err, (unsigned long)s->tx_errors,
        (unsigned long)s->arp_timeouts, (unsigned long)s->ip_frag_dropped,
        (unsigned long)s->udp_no_port, (unsigned long)s->dns_queries,
        (unsigned long)s->dns_retries, (unsigned long)s->dns_tcp_fallbacks,
        (unsigned long)s->dns_cache_hits, (unsigned long)s->tcp_rx, (unsigned long)s->tcp_tx,
        (unsigned long)s->tcp_retransmits, (unsigned long)s->tcp_out_of_order,
        (unsigned long)s->fault_drop, (unsigned long)s->fault_dup,
        (unsigned long)s->fault_reorder, (unsigned long)s->fault_corrupt,
        (unsigned long)s->ip_frag_rx, (unsigned long)s->ip_reasm_ok,
        (unsigned long)s->ip_reasm_timeout);
    if (!ip6_enabled())
        return n;
    const struct ip6_counters *v = &ip6_stats;
    return n + fmt_snprintf(n < cap ? buf + n : NULL, n < cap ? cap - n : 0,
        " ip6_rx=%lu ip6_tx=%lu ip6_malformed=%lu ip6_not_for_us=%lu ip6_no_proto=%lu "
        "echo6_rx=%lu echo6_reply_tx=%lu udp6_rx=%lu udp6_tx=%lu ra_rx=%lu nd_invalid=%lu "
        "dad_conflicts=%lu ip6_reasm_ok=%lu ip6_frag_dropped=%lu",
        (unsigned long)v->rx, (unsigned long)v->tx, (unsigned long)v->rx_malformed,
        (unsigned long)v->rx_not_for_us, (unsigned long)v->rx_no_proto,
        (unsigned long)v->echo_rx, (unsigned long)v->echo_reply_tx, (unsigned long)s->udp6_rx,
        (unsigned long)s->udp6_tx, (unsigned long)v->ra_rx, (unsigned long)v->nd_invalid,
        (unsigned long)v->dad_conflicts, (unsigned long)v->reasm_ok,
        (unsigned long)v->frag_dropped);
}
