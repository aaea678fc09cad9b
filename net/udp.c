/* see udp.h */
#include "net/udp.h"
#include "net/checksum.h"
#include "net/net.h"
#include <string.h>
#include "lib/bytes.h"

struct udp_dgram {
    ip4_addr src;
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

enum net_err udp_parse(ip4_addr src, ip4_addr dst, const uint8_t *p, size_t len, struct udp_hdr *h)
{
    if (len < UDP_HDR_LEN)
        return NET_ERR_MALFORMED;
    h->sport = be16_get(p);
    h->dport = be16_get(p + 2);
    h->len = be16_get(p + 4);
    h->csum = be16_get(p + 6);
    if (h->len < UDP_HDR_LEN || h->len > len)
        return NET_ERR_MALFORMED;
    if (h->csum) {
        uint32_t s = inet_pseudo_sum(src, dst, IPV4_PROTO_UDP, h->len);
        if (inet_fold(inet_sum(s, p, h->len)) != 0)
            return NET_ERR_MALFORMED;
    }
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

enum net_err udp_sendto(int s, const struct ip_addr *dst_addr, uint16_t dport, const void *p,
                        size_t n)
{
    if (s < 0 || s >= UDP_SOCKETS || !socks[s].used)
        return NET_ERR_INVALID_ARG;
    ip4_addr dst;
    enum net_err e = ip4_from_addr(dst_addr, &dst);
    if (e != NET_OK)
        return e;
    if (n > UDP_MAX_PAYLOAD)
        return NET_ERR_TOO_BIG;
    uint8_t h[UDP_HDR_LEN];
    be16_put(h, socks[s].port);
    be16_put(h + 2, dport);
    be16_put(h + 4, (uint16_t)(UDP_HDR_LEN + n));
    be16_put(h + 6, 0);
    uint32_t sum = inet_pseudo_sum(ipv4_local_addr(), dst, IPV4_PROTO_UDP, (uint16_t)(UDP_HDR_LEN + n));
    sum = inet_sum(sum, h, UDP_HDR_LEN);
    sum = inet_sum(sum, p, n);
    uint16_t c = inet_fold(sum);
    be16_put(h + 6, c ? c : 0xFFFF);
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
        *src = ip_addr_v4(d->src);
    if (sport)
        *sport = d->sport;
    k->head = (uint8_t)((k->head + 1) % UDP_QUEUE);
    k->count--;
    return n;
}

void udp_input(const struct ipv4_hdr *ip, const uint8_t *p, size_t len)
{
    struct udp_hdr h;
    if (udp_parse(ip->src, ip->dst, p, len, &h) != NET_OK) {
        if (len >= UDP_HDR_LEN && be16_get(p + 4) >= UDP_HDR_LEN && be16_get(p + 4) <= len)
            net_stats.rx_checksum_err++;
        else
            net_stats.rx_malformed++;
        return;
    }
    net_stats.udp_rx++;
    for (int i = 0; i < UDP_SOCKETS; i++) {
        struct udp_sock *k = &socks[i];
        if (!k->used || k->port != h.dport)
            continue;
        if (k->count == UDP_QUEUE || h.len - UDP_HDR_LEN > UDP_RX_MAX_PAYLOAD) {
            net_stats.rx_dropped++;
            return;
        }
        struct udp_dgram *d = &k->q[(k->head + k->count) % UDP_QUEUE];
        d->src = ip->src;
        d->sport = h.sport;
        d->len = (uint16_t)(h.len - UDP_HDR_LEN);
        memcpy(d->data, p + UDP_HDR_LEN, d->len);
        k->count++;
        return;
    }
    net_stats.udp_no_port++;
}
