/* see eth.h */
#include "net/eth.h"
#include "net/arp.h"
#include "net/ipv4.h"
#include "net/ipv6.h"
#include "net/net.h"
#include <string.h>
#include "lib/bytes.h"

const uint8_t eth_broadcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

enum net_err eth_parse(const uint8_t *frame, size_t len, struct eth_hdr *h)
{
    if (!frame || len < ETH_HDR_LEN)
        return NET_ERR_MALFORMED;
    memcpy(h->dst, frame, 6);
    memcpy(h->src, frame + 6, 6);
    h->type = be16_get(frame + 12);
    return NET_OK;
}

void eth_build(uint8_t out[ETH_HDR_LEN], const uint8_t dst[6], const uint8_t src[6], uint16_t type)
{
    memcpy(out, dst, 6);
    memcpy(out + 6, src, 6);
    be16_put(out + 12, type);
}

void eth_input(const uint8_t *frame, size_t len)
{
    struct eth_hdr h;
    if (eth_parse(frame, len, &h) != NET_OK) {
        net_stats.rx_malformed++;
        return;
    }
    /* Only unicast to us and broadcast; multicast only IPv6's 33:33 groups
       while IPv6 is on (ip6_input checks the group itself). */
    bool v6_multicast = ip6_enabled() && h.dst[0] == 0x33 && h.dst[1] == 0x33;
    if (memcmp(h.dst, net_mac(), 6) != 0 && memcmp(h.dst, eth_broadcast, 6) != 0 &&
        !v6_multicast) {
        net_stats.rx_dropped++;
        return;
    }
    const uint8_t *pl = frame + ETH_HDR_LEN;
    size_t plen = len - ETH_HDR_LEN;
    switch (h.type) {
    case ETH_TYPE_ARP:
        arp_input(pl, plen);
        break;
    case ETH_TYPE_IPV4:
        ipv4_input(pl, plen);
        break;
    case ETH_TYPE_IPV6:
        if (ip6_enabled())
            ip6_input(pl, plen, net_now());
        else
            net_stats.rx_dropped++;
        break;
    default:
        net_stats.rx_dropped++;
        break;
    }
}
