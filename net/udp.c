/* see udp.h */
#include "net/udp.h"
#include "net/checksum.h"
#include "net/net.h"
#include "net/slaac.h"
#include <string.h>
#include "lib/bytes.h"

struct udp_dgram {
    struct ip_addr src;
    uint16_t sport, len;
    uint8_t data[UDP_RX_MAX_PAYLOAD];
};

struct udp_sock {
    uint8_t used;
    uint16_t port;
    uint8_t head, count;
    struct udp_dgram q[UDP_QUEUE];
};

static struct udp_sock socks[UDP_SOCKETS];

void udp_reset(void) { memset(socks, 0, sizeof socks); }

/* The 8-byte header and its length field against len, both families. */
static enum net_err udp_hdr_read(const uint8_t *p, size_t len, struct udp_hdr *h)
{
    if (len < UDP_HDR_LEN)
        return NET_ERR_MALFORMED;
    h->sport = be16_get(p);
    h->dport = be16_get(p + 2);
    h->len = be16_get(p + 4);
    h->csum = be16_get(p + 6);
    if (h->len < UDP_HDR_LEN || h->len > len)
        return NET_ERR_MALFORMED;
    return NET_OK;
}

enum net_err udp_parse(ip4_addr src, ip4_addr dst, const uint8_t *p, size_t len, struct udp_hdr *h)
{
    if (udp_hdr_read(p, len, h) != NET_OK)
        return NET_ERR_MALFORMED;
    if (h->csum) {
        uint32_t s = inet_pseudo_sum(src, dst, IPV4_PROTO_UDP, h->len);
        if (inet_fold(inet_sum(s, p, h->len)) != 0)
            return NET_ERR_MALFORMED;
    }
    return NET_OK;
}

enum net_err udp_parse6(const uint8_t src[16], const uint8_t dst[16], const uint8_t *p, size_t len,
                        struct udp_hdr *h)
{
    if (udp_hdr_read(p, len, h) != NET_OK || !h->csum)
        return NET_ERR_MALFORMED;
    uint32_t s = inet6_pseudo_sum(src, dst, IP6_NH_UDP, h->len);
    if (inet_fold(inet_sum(s, p, h->len)) != 0)
        return NET_ERR_MALFORMED;
    return NET_OK;
}

static int port_taken(uint16_t port)
{
    for (int i = 0; i < UDP_SOCKETS; i++)
        if (socks[i].used && socks[i].port == port)
            return 1;
    return 0;
}

int udp_open(uint16_t port)
{
    int s = -1;
    for (int i = 0; i < UDP_SOCKETS; i++)
        if (!socks[i].used) {
            s = i;
            break;
        }
    if (s < 0)
        return -1;
    if (port == 0) {
        for (int tries = 0; tries < 64 && port == 0; tries++) {
            uint16_t r;
            if (net_random(&r, sizeof r) != NET_OK)
                return -1;
            uint16_t cand = (uint16_t)(49152 + r % 16384);   /* RFC 6335 dynamic range */
            if (!port_taken(cand))
                port = cand;
        }
        if (!port)
            return -1;
    } else if (port_taken(port)) {
        return -1;
    }
    memset(&socks[s], 0, sizeof socks[s]);
    socks[s].used = 1;
    socks[s].port = port;
    return s;
}

void udp_close(int s)
{
    if (s >= 0 && s < UDP_SOCKETS)
        socks[s].used = 0;
}

size_t udp_max_payload(const struct ip_addr *dst)
{
    if (dst && ip_addr_is_v4(dst))
        return UDP_MAX_PAYLOAD;
    if (dst && ip_addr_is_v6(dst))
        return ip6_link_mtu() - UDP6_HDRS_LEN;
    return 0;
}

/* The 8-byte header of a datagram of n bytes from socket s, its checksum
   over the pseudo-header sum ps (a computed 0 is sent as 0xFFFF). */
static void build_hdr(uint8_t h[UDP_HDR_LEN], int s, uint16_t dport, uint32_t ps, const void *p,
                      size_t n)
{
    be16_put(h, socks[s].port);
    be16_put(h + 2, dport);
    be16_put(h + 4, (uint16_t)(UDP_HDR_LEN + n));
    be16_put(h + 6, 0);
    uint32_t sum = inet_sum(ps, h, UDP_HDR_LEN);
    sum = inet_sum(sum, p, n);
    uint16_t c = inet_fold(sum);
    be16_put(h + 6, c ? c : 0xFFFF);
}

static enum net_err sendto6(int s, const uint8_t dst[16], uint16_t dport, const void *p, size_t n)
{
    if (!ip6_enabled())
        return NET_ERR_NO_ROUTE;
    if (n > udp_max_payload(&(struct ip_addr){.family = IP_FAMILY_V6}))
        return NET_ERR_TOO_BIG;
    uint8_t src[16];
    if (!slaac_source(dst, src))
        return NET_ERR_NO_ROUTE;
    uint8_t h[UDP_HDR_LEN];
    build_hdr(h, s, dport, inet6_pseudo_sum(src, dst, IP6_NH_UDP, (uint32_t)(UDP_HDR_LEN + n)), p,
              n);
    enum net_err e = ip6_output(src, dst, IP6_NH_UDP, 0, h, UDP_HDR_LEN, p, n);
    if (e == NET_OK) {
        net_stats.udp_tx++;
        net_stats.udp6_tx++;
    }
    return e;
}

enum net_err udp_sendto(int s, const struct ip_addr *dst_addr, uint16_t dport, const void *p,
                        size_t n)
{
    if (s < 0 || s >= UDP_SOCKETS || !socks[s].used || !dst_addr)
        return NET_ERR_INVALID_ARG;
    if (ip_addr_is_v6(dst_addr))
        return sendto6(s, dst_addr->bytes, dport, p, n);
    ip4_addr dst;
    enum net_err e = ip4_from_addr(dst_addr, &dst);
    if (e != NET_OK)
        return e;
    if (n > UDP_MAX_PAYLOAD)
        return NET_ERR_TOO_BIG;
    uint8_t h[UDP_HDR_LEN];
    build_hdr(h, s, dport, inet_pseudo_sum(ipv4_local_addr(), dst, IPV4_PROTO_UDP,
                                           (uint16_t)(UDP_HDR_LEN + n)), p, n);
    net_stats.udp_tx++;
    return ipv4_output(dst, IPV4_PROTO_UDP, h, UDP_HDR_LEN, p, n);
}

size_t udp_recvfrom(int s, void *buf, size_t cap, struct ip_addr *src, uint16_t *sport)
{
    if (s < 0 || s >= UDP_SOCKETS || !socks[s].used || !socks[s].count)
        return 0;
    struct udp_sock *k = &socks[s];
    struct udp_dgram *d = &k->q[k->head];
    size_t n = d->len < cap ? d->len : cap;
    memcpy(buf, d->data, n);
    if (src)
        *src = d->src;
    if (sport)
        *sport = d->sport;
    k->head = (uint8_t)((k->head + 1) % UDP_QUEUE);
    k->count--;
    return n;
}

/* A datagram that passed its checks: into the queue of the socket bound to
   dport. */
static void deliver(const struct ip_addr *src, const struct udp_hdr *h, const uint8_t *p)
{
    for (int i = 0; i < UDP_SOCKETS; i++) {
        struct udp_sock *k = &socks[i];
        if (!k->used || k->port != h->dport)
            continue;
        if (k->count == UDP_QUEUE || h->len - UDP_HDR_LEN > UDP_RX_MAX_PAYLOAD) {
            net_stats.rx_dropped++;
            return;
        }
        struct udp_dgram *d = &k->q[(k->head + k->count) % UDP_QUEUE];
        d->src = *src;
        d->sport = h->sport;
        d->len = (uint16_t)(h->len - UDP_HDR_LEN);
        memcpy(d->data, p + UDP_HDR_LEN, d->len);
        k->count++;
        return;
    }
    net_stats.udp_no_port++;
}

/* A datagram refused by udp_parse/udp_parse6: a checksum error when its
   length field was sound, else malformed. */
static void count_refused(const uint8_t *p, size_t len)
{
    if (len >= UDP_HDR_LEN && be16_get(p + 4) >= UDP_HDR_LEN && be16_get(p + 4) <= len)
        net_stats.rx_checksum_err++;
    else
        net_stats.rx_malformed++;
}

void udp_input(const struct ipv4_hdr *ip, const uint8_t *p, size_t len)
{
    struct udp_hdr h;
    if (udp_parse(ip->src, ip->dst, p, len, &h) != NET_OK) {
        count_refused(p, len);
        return;
    }
    net_stats.udp_rx++;
    struct ip_addr src = ip_addr_v4(ip->src);
    deliver(&src, &h, p);
}

void udp_input6(const struct ip6_hdr *ip, const uint8_t *p, size_t len)
{
    struct udp_hdr h;
    if (udp_parse6(ip->src, ip->dst, p, len, &h) != NET_OK) {
        count_refused(p, len);
        return;
    }
    net_stats.udp_rx++;
    net_stats.udp6_rx++;
    struct ip_addr src = ip_addr_v6(ip->src);
    deliver(&src, &h, p);
}
