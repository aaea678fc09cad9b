/* see ipv6.h */
#include "net/ipv6.h"
#include "net/eth.h"
#include "net/icmpv6.h"
#include "net/ip6_ext.h"
#include "net/ip6_reasm.h"
#include "net/ndp.h"
#include "net/slaac.h"
#include <string.h>
#include "lib/bytes.h"
#include "lib/ip_addr.h"

struct ip6_counters ip6_stats;

const uint8_t ip6_all_nodes[16] = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
const uint8_t ip6_all_routers[16] = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};

static bool enabled;
static struct ip6_link link;
static uint64_t now;
static size_t link_mtu = IP6_LINK_MTU;
static uint8_t hop_limit = IP6_HOP_LIMIT;
static ip6_upper_fn upper_udp, upper_tcp;
static uint8_t pktbuf[IP6_LINK_MTU];
static uint8_t framebuf[ETH_HDR_LEN + IP6_LINK_MTU];

enum net_err ip6_parse(const uint8_t *pkt, size_t len, struct ip6_hdr *h)
{
    if (len < IP6_HDR_LEN || (pkt[0] >> 4) != 6)
        return NET_ERR_MALFORMED;
    h->tclass = (uint8_t)(be16_get(pkt) >> 4);
    h->flow = be32_get(pkt) & 0xFFFFF;
    h->plen = be16_get(pkt + 4);
    h->nh = pkt[6];
    h->hlim = pkt[7];
    memcpy(h->src, pkt + 8, 16);
    memcpy(h->dst, pkt + 24, 16);
    if ((size_t)h->plen > len - IP6_HDR_LEN)
        return NET_ERR_MALFORMED;
    return NET_OK;
}

void ip6_build(uint8_t out[IP6_HDR_LEN], const struct ip6_hdr *h)
{
    be32_put(out, 6u << 28 | (uint32_t)h->tclass << 20 | (h->flow & 0xFFFFF));
    be16_put(out + 4, h->plen);
    out[6] = h->nh;
    out[7] = h->hlim;
    memcpy(out + 8, h->src, 16);
    memcpy(out + 24, h->dst, 16);
}

bool ip6_is_unspecified(const uint8_t a[16])
{
    static const uint8_t z[16];
    return !memcmp(a, z, 16);
}

bool ip6_is_loopback(const uint8_t a[16])
{
    static const uint8_t one[16] = {[15] = 1};
    return !memcmp(a, one, 16);
}

bool ip6_is_multicast(const uint8_t a[16]) { return a[0] == 0xff; }

bool ip6_is_link_local(const uint8_t a[16]) { return a[0] == 0xfe && (a[1] & 0xc0) == 0x80; }

void ip6_solicited_node(const uint8_t a[16], uint8_t out[16])
{
    static const uint8_t pre[13] = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff};
    memcpy(out, pre, 13);
    memcpy(out + 13, a + 13, 3);
}

void ip6_multicast_mac(const uint8_t group[16], uint8_t mac[6])
{
    mac[0] = 0x33;
    mac[1] = 0x33;
    memcpy(mac + 2, group + 12, 4);
}

bool ip6_prefix_eq(const uint8_t a[16], const uint8_t b[16], unsigned plen)
{
    if (plen > 128)
        return false;
    unsigned bytes = plen / 8, bits = plen % 8;
    if (memcmp(a, b, bytes) != 0)
        return false;
    if (!bits)
        return true;
    uint8_t mask = (uint8_t)(0xFF00u >> bits);
    return (a[bytes] & mask) == (b[bytes] & mask);
}

/* "ADDR" (n bytes) as a unicast IPv6 literal. */
static bool parse_unicast(const char *s, size_t n, uint8_t out[16])
{
    struct ip_addr a;
    if (ip_addr_parse_v6(s, n, &a) != IP_ADDR_OK)
        return false;
    if (ip6_is_unspecified(a.bytes) || ip6_is_multicast(a.bytes))
        return false;
    memcpy(out, a.bytes, 16);
    return true;
}

enum net_err ip6_config_parse(struct ip6_config *c, const char *ipv6, const char *ip6,
                              const char *gw6)
{
    memset(c, 0, sizeof *c);
    c->enabled = true;
    if (ipv6) {
        if (!strcmp(ipv6, "0"))
            c->enabled = false;
        else if (strcmp(ipv6, "1") != 0)
            return NET_ERR_INVALID_ARG;
    }
    if (!c->enabled && (ip6 || gw6))
        return NET_ERR_INVALID_ARG;
    if (ip6) {
        const char *slash = strchr(ip6, '/');
        if (!slash || !parse_unicast(ip6, (size_t)(slash - ip6), c->addr))
            return NET_ERR_INVALID_ARG;
        unsigned plen = 0;
        const char *p = slash + 1;
        if (!*p)
            return NET_ERR_INVALID_ARG;
        for (; *p; p++) {
            if (*p < '0' || *p > '9' || (plen == 0 && p != slash + 1))
                return NET_ERR_INVALID_ARG;   /* digits, no leading zero */
            plen = plen * 10 + (unsigned)(*p - '0');
            if (plen > 128)
                return NET_ERR_INVALID_ARG;
        }
        if (plen == 0)
            return NET_ERR_INVALID_ARG;
        c->plen = (uint8_t)plen;
        c->has_static = true;
    }
    if (gw6) {
        if (!parse_unicast(gw6, strlen(gw6), c->gw))
            return NET_ERR_INVALID_ARG;
        c->has_gw = true;
    }
    return NET_OK;
}

void ip6_set_upper(uint8_t proto, ip6_upper_fn fn)
{
    if (proto == IP6_NH_UDP)
        upper_udp = fn;
    else if (proto == IP6_NH_TCP)
        upper_tcp = fn;
}

void ip6_init(const struct ip6_link *l, const struct ip6_config *cfg, uint64_t now_ms)
{
    now = now_ms;
    link_mtu = IP6_LINK_MTU;
    hop_limit = IP6_HOP_LIMIT;
    ip6_reasm_reset();
    icmp6_reset();
    ndp_reset(now_ms);
    slaac_reset();
    enabled = l && cfg && cfg->enabled;
    if (!enabled)
        return;
    link = *l;
    slaac_start(link.mac, now_ms);
    if (cfg->has_static) {
        slaac_add_static(cfg->addr, cfg->plen, now_ms);
        ndp_add_static_prefix(cfg->addr, cfg->plen);
    }
    if (cfg->has_gw)
        ndp_add_static_router(cfg->gw);
    ndp_start(now_ms);
}

bool ip6_enabled(void) { return enabled; }
uint64_t ip6_now(void) { return now; }
size_t ip6_link_mtu(void) { return link_mtu; }
uint8_t ip6_hop_limit(void) { return hop_limit; }
void ip6_set_hop_limit(uint8_t h) { hop_limit = h; }
const uint8_t *ip6_mac(void) { return link.mac; }

void ip6_set_link_mtu(size_t mtu)
{
    if (mtu >= IP6_MIN_MTU && mtu <= IP6_LINK_MTU)
        link_mtu = mtu;
}

void ip6_timers(uint64_t now_ms)
{
    if (!enabled)
        return;
    now = now_ms;
    ip6_reasm_timers(now_ms);
    icmp6_timers(now_ms);
    slaac_timers(now_ms);
    ndp_timers(now_ms);
}

enum net_err ip6_send_to_mac(const uint8_t mac[6], const uint8_t *pkt, size_t len)
{
    if (!enabled || len > link_mtu)
        return NET_ERR_TOO_BIG;
    eth_build(framebuf, mac, link.mac, ETH_TYPE_IPV6);
    memcpy(framebuf + ETH_HDR_LEN, pkt, len);
    enum net_err e = link.tx(link.ctx, framebuf, ETH_HDR_LEN + len);
    if (e == NET_OK)
        ip6_stats.tx++;
    return e;
}

enum net_err ip6_output(const uint8_t *src, const uint8_t dst[16], uint8_t nh, uint8_t hlim,
                        const void *hdr, size_t hlen, const void *payload, size_t plen)
{
    if (!enabled)
        return NET_ERR_NO_ROUTE;
    size_t len = IP6_HDR_LEN + hlen + plen;
    if (len > ip6_path_mtu(dst))
        return NET_ERR_TOO_BIG;
    struct ip6_hdr h;
    memset(&h, 0, sizeof h);
    if (src)
        memcpy(h.src, src, 16);
    else if (!slaac_source(dst, h.src))
        return NET_ERR_NO_ROUTE;
    memcpy(h.dst, dst, 16);
    h.plen = (uint16_t)(hlen + plen);
    h.nh = nh;
    h.hlim = hlim ? hlim : hop_limit;
    ip6_build(pktbuf, &h);
    if (hlen)
        memcpy(pktbuf + IP6_HDR_LEN, hdr, hlen);
    if (plen)
        memcpy(pktbuf + IP6_HDR_LEN + hlen, payload, plen);
    uint8_t mac[6], next[16];
    if (ip6_is_multicast(dst)) {
        ip6_multicast_mac(dst, mac);
        return ip6_send_to_mac(mac, pktbuf, len);
    }
    if (!ndp_next_hop(dst, next))
        return NET_ERR_NO_ROUTE;
    enum net_err e = ndp_resolve(next, mac, pktbuf, len, now);
    if (e == NET_ERR_AGAIN)
        return NET_OK;   /* waits for the neighbour's link address */
    if (e != NET_OK)
        return e;
    return ip6_send_to_mac(mac, pktbuf, len);
}

/* Hands the upper-layer message at pkt[off..len) on. */
static void deliver(const uint8_t *pkt, size_t len, uint8_t proto, size_t off, bool tentative)
{
    struct ip6_hdr h;
    ip6_parse(pkt, len, &h);   /* checked by the caller */
    h.nh = proto;
    h.plen = (uint16_t)(len - off);
    const uint8_t *p = pkt + off;
    size_t n = len - off;
    if (tentative) {
        /* RFC 4862 5.4: only neighbour discovery for a tentative address */
        if (proto != IP6_NH_ICMPV6 || n < 1 ||
            (p[0] != ICMP6_NEIGHBOR_SOLICIT && p[0] != ICMP6_NEIGHBOR_ADVERT)) {
            ip6_stats.rx_not_for_us++;
            return;
        }
    }
    if (proto == IP6_NH_ICMPV6) {
        icmp6_input(&h, p, n, now);
    } else {
        ip6_upper_fn fn = proto == IP6_NH_UDP ? upper_udp : upper_tcp;
        if (fn)
            fn(&h, p, n);
        else
            ip6_stats.rx_no_proto++;
    }
}

static void walk_and_deliver(const uint8_t *pkt, size_t len, uint8_t nh, unsigned flags,
                             bool tentative);

static void reassembled(const uint8_t *pkt, size_t len)
{
    struct ip6_hdr h;
    if (ip6_parse(pkt, len, &h) != NET_OK)
        return;
    unsigned flags = IP6_EXT_NO_HBH | (ip6_is_multicast(h.dst) ? IP6_EXT_MCAST : 0);
    walk_and_deliver(pkt, len, h.nh, flags, slaac_is_tentative(h.dst));
}

static void walk_and_deliver(const uint8_t *pkt, size_t len, uint8_t nh, unsigned flags,
                             bool tentative)
{
    struct ip6_ext_result r;
    switch (ip6_ext_walk(pkt, len, nh, IP6_HDR_LEN, flags, &r)) {
    case IP6_EXT_UPPER:
        deliver(pkt, len, r.proto, r.off, tentative);
        break;
    case IP6_EXT_FRAGMENT:
        if (flags & IP6_EXT_NO_HBH) {   /* a fragment inside a fragment */
            ip6_stats.frag_dropped++;
            break;
        }
        ip6_reasm_input(pkt, &r, pkt + r.off, len - r.off, now, reassembled);
        break;
    case IP6_EXT_NONE:
        break;
    case IP6_EXT_PARAM_PROBLEM:
        if (icmp6_send_error(pkt, len, ICMP6_PARAM_PROBLEM, r.pp_code, r.pp_pointer, now) ==
            NET_OK)
            ip6_stats.param_problem_tx++;
        break;
    case IP6_EXT_DROP:
        ip6_stats.rx_ext_refused++;
        break;
    }
}

void ip6_input(const uint8_t *pkt, size_t len, uint64_t now_ms)
{
    if (!enabled)
        return;
    now = now_ms;
    ip6_stats.rx++;
    struct ip6_hdr h;
    /* RFC 4291 2.5.3, 2.7: ::1 never on a link; multicast never a source */
    if (ip6_parse(pkt, len, &h) != NET_OK || ip6_is_multicast(h.src) ||
        ip6_is_loopback(h.src) || ip6_is_loopback(h.dst)) {
        ip6_stats.rx_malformed++;
        return;
    }
    len = IP6_HDR_LEN + (size_t)h.plen;   /* Ethernet padding off */
    bool mcast = ip6_is_multicast(h.dst);
    bool tentative = !mcast && slaac_is_tentative(h.dst);
    if (mcast ? !slaac_listens(h.dst) : !(tentative || slaac_is_mine(h.dst))) {
        ip6_stats.rx_not_for_us++;
        return;
    }
    walk_and_deliver(pkt, len, h.nh, mcast ? IP6_EXT_MCAST : 0, tentative);
}
