/* see ipv4.h */
#include "net/ipv4.h"
#include "net/arp.h"
#include "net/checksum.h"
#include "net/eth.h"
#include "net/icmp.h"
#include "net/ip4_reasm.h"
#include "net/net.h"
#include "net/tcp.h"
#include "net/udp.h"
#include <string.h>
#include "lib/bytes.h"

static uint16_t next_id;

ip4_addr ipv4_local_addr(void) { return net_current_config()->addr; }
size_t ipv4_mtu(void) { return 1500; }

enum net_err ipv4_parse(const uint8_t *pkt, size_t len, struct ipv4_hdr *h)
{
    if (len < IPV4_HDR_LEN)
        return NET_ERR_MALFORMED;
    if ((pkt[0] >> 4) != 4)
        return NET_ERR_MALFORMED;
    h->ihl_bytes = (uint8_t)((pkt[0] & 0x0F) * 4);
    h->tos = pkt[1];
    h->total_len = be16_get(pkt + 2);
    h->id = be16_get(pkt + 4);
    h->frag = be16_get(pkt + 6);
    h->ttl = pkt[8];
    h->proto = pkt[9];
    h->src = be32_get(pkt + 12);
    h->dst = be32_get(pkt + 16);
    if (h->ihl_bytes < IPV4_HDR_LEN || h->total_len < h->ihl_bytes || h->total_len > len)
        return NET_ERR_MALFORMED;
    if (inet_checksum(pkt, h->ihl_bytes) != 0)
        return NET_ERR_MALFORMED;
    return NET_OK;
}

void ipv4_build(uint8_t out[IPV4_HDR_LEN], ip4_addr src, ip4_addr dst, uint8_t proto,
                uint16_t id, uint16_t payload_len, uint8_t ttl)
{
    out[0] = 0x45;
    out[1] = 0;
    be16_put(out + 2, (uint16_t)(IPV4_HDR_LEN + payload_len));
    be16_put(out + 4, id);
    be16_put(out + 6, 0x4000);                    /* DF */
    out[8] = ttl;
    out[9] = proto;
    be16_put(out + 10, 0);
    be32_put(out + 12, src);
    be32_put(out + 16, dst);
    be16_put(out + 10, inet_checksum(out, IPV4_HDR_LEN));
}

static int on_link(ip4_addr a)
{
    const struct net_config *c = net_current_config();
    return (a & c->netmask) == (c->addr & c->netmask);
}

enum net_err ipv4_output(ip4_addr dst, uint8_t proto, const void *hdr, size_t hlen,
                         const void *payload, size_t plen)
{
    const struct net_config *c = net_current_config();
    size_t total = IPV4_HDR_LEN + hlen + plen;
    if (total > ipv4_mtu())
        return NET_ERR_TOO_BIG;
    uint8_t frame[NET_ETH_FRAME_MAX];
    int bcast = dst == 0xFFFFFFFFu;
    if (!bcast && !c->addr)
        return NET_ERR_NO_ROUTE;
    ipv4_build(frame + ETH_HDR_LEN, c->addr, dst, proto, next_id++, (uint16_t)(hlen + plen), 64);
    if (hlen)
        memcpy(frame + ETH_HDR_LEN + IPV4_HDR_LEN, hdr, hlen);
    if (plen)
        memcpy(frame + ETH_HDR_LEN + IPV4_HDR_LEN + hlen, payload, plen);
    size_t flen = ETH_HDR_LEN + total;
    if (flen < 60) {
        memset(frame + flen, 0, 60 - flen);
        flen = 60;
    }
    eth_build(frame, eth_broadcast, net_mac(), ETH_TYPE_IPV4);
    net_stats.ip_tx++;
    if (bcast)
        return net_dev_tx(frame, flen);
    ip4_addr hop = dst;
    if (!on_link(dst)) {
        if (!c->gw)
            return NET_ERR_NO_ROUTE;
        hop = c->gw;
    }
    return arp_send(hop, frame, flen);
}

/* Upper-layer dispatch of a whole datagram, unfragmented or reassembled
   (the ip4_reasm_deliver_fn of net/ip4_reasm.h). */
static void ipv4_dispatch(const struct ipv4_hdr *h, const uint8_t *pl, size_t plen)
{
    ip4_addr me = ipv4_local_addr();
    switch (h->proto) {
    case IPV4_PROTO_ICMP:
        icmp_input(h, pl, plen);
        break;
    case IPV4_PROTO_UDP:
        udp_input(h, pl, plen);
        break;
    case IPV4_PROTO_TCP:
        if (h->dst == me && me)
            tcp_input(h->src, h->dst, pl, plen);
        else
            net_stats.rx_dropped++;
        break;
    default:
        net_stats.rx_dropped++;
        break;
    }
}

void ipv4_input(const uint8_t *pkt, size_t len)
{
    struct ipv4_hdr h;
    net_stats.ip_rx++;
    if (ipv4_parse(pkt, len, &h) != NET_OK) {
        if (len >= IPV4_HDR_LEN && (pkt[0] >> 4) == 4 && (pkt[0] & 0x0F) >= 5 &&
            (size_t)(pkt[0] & 0x0F) * 4 <= len && inet_checksum(pkt, (size_t)(pkt[0] & 0x0F) * 4) != 0)
            net_stats.rx_checksum_err++;
        else
            net_stats.rx_malformed++;
        return;
    }
    ip4_addr me = ipv4_local_addr();
    if (h.dst != me && h.dst != 0xFFFFFFFFu && me != 0) {
        net_stats.rx_dropped++;
        return;
    }
    const uint8_t *pl = pkt + h.ihl_bytes;
    size_t plen = h.total_len - h.ihl_bytes;
    if (h.frag & (IPV4_FRAG_MF | IPV4_FRAG_OFF))
        ip4_reasm_input(&h, pl, plen, net_now(), ipv4_dispatch);
    else
        ipv4_dispatch(&h, pl, plen);
}

char *ip4_format(ip4_addr a, char *buf)
{
    struct ip_addr ip = ip_addr_v4(a);
    return ip_addr_format(&ip, buf, 16);   /* "255.255.255.255" and the NUL */
}

enum net_err ip4_from_addr(const struct ip_addr *a, ip4_addr *out)
{
    if (!a)
        return NET_ERR_INVALID_ARG;
    if (!ip_addr_is_v4(a))
        return NET_ERR_FAMILY;
    *out = ip_addr_v4_value(a);
    return NET_OK;
}
