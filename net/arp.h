/* ARP for IPv4 over Ethernet (RFC 826): a small cache with timeouts, packets
   held while a resolution is pending (sent when the reply arrives, dropped
   and counted when it times out), replies to requests for our address.
   State is static (one interface); time comes from net_now(). */
#ifndef NET_ARP_H
#define NET_ARP_H
#include <stddef.h>
#include <stdint.h>
#include "net/ipv4.h"

#define ARP_CACHE_SIZE   16
#define ARP_TTL_MS       60000   /* a learned entry lives this long */
#define ARP_RETRY_MS     1000    /* request interval while pending */
#define ARP_MAX_TRIES    3
#define ARP_PENDING_MAX  8       /* frames held while resolving (all hosts) */

struct arp_pkt {
    uint16_t op;                 /* 1 request, 2 reply */
    uint8_t sha[6], tha[6];
    ip4_addr spa, tpa;
};

/* Parses an ARP payload (Ethernet/IPv4 only); NET_ERR_MALFORMED otherwise. */
enum net_err arp_parse(const uint8_t *p, size_t len, struct arp_pkt *a);
/* Writes the 28-byte ARP payload. */
void arp_build(uint8_t out[28], const struct arp_pkt *a);

void arp_reset(void);
void arp_input(const uint8_t *p, size_t len);
/* Sends frame (an Ethernet frame whose destination MAC is filled in here)
   to next_hop: at once when the address is cached, else queued behind an
   ARP request. */
enum net_err arp_send(ip4_addr next_hop, uint8_t *frame, size_t len);
/* Retries requests, expires pending frames and old entries. */
void arp_timers(uint64_t now_ms);
/* Cached MAC of ip (for tests); returns 1 if found. */
int arp_lookup(ip4_addr ip, uint8_t mac[6]);

#endif
