/* Ethernet II framing (IEEE 802.3 with EtherType): parse, build and the
   input dispatch to ARP (0x0806) and IPv4 (0x0800). No VLAN tags. */
#ifndef NET_ETH_H
#define NET_ETH_H
#include <stddef.h>
#include <stdint.h>
#include "net/net_err.h"

#define ETH_HDR_LEN     14
#define ETH_TYPE_IPV4   0x0800
#define ETH_TYPE_ARP    0x0806

extern const uint8_t eth_broadcast[6];

struct eth_hdr {
    uint8_t dst[6], src[6];
    uint16_t type;
};
/* Checks the minimum length; the payload is frame[ETH_HDR_LEN..len). */
enum net_err eth_parse(const uint8_t *frame, size_t len, struct eth_hdr *h);
void eth_build(uint8_t out[ETH_HDR_LEN], const uint8_t dst[6], const uint8_t src[6], uint16_t type);
/* Entry of a received frame into the stack (counts and dispatches). */
void eth_input(const uint8_t *frame, size_t len);

#endif
