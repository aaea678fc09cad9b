/* IPv4 (RFC 791): header build/parse, routing to the gateway when the
   destination is off-link, next-hop resolution through ARP, ICMP echo reply,
   dispatch of UDP (17) and TCP (6: tcp_input in net/tcp.h).
   Fragments addressed to us are reassembled by net/ip4_reasm.c (a few
   datagrams at once, up to IP4_REASM_MAX bytes, see ip4_reasm.h) and the
   whole datagram then takes the same dispatch as an unfragmented one. We
   never fragment what we send: every datagram goes out with DF and must fit
   the MTU (NET_ERR_TOO_BIG otherwise).
   State is the single global stack of net/net.h; no allocation. */
#ifndef NET_IPV4_H
#define NET_IPV4_H
#include <stddef.h>
#include <stdint.h>
#include "lib/ip_addr.h"
#include "net/net_err.h"

typedef uint32_t ip4_addr;   /* host byte order */

#define IP4_ADDR(a, b, c, d) \
    ((ip4_addr)(((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(d)))

#define IPV4_PROTO_ICMP 1
#define IPV4_PROTO_TCP  6
#define IPV4_PROTO_UDP  17
#define IPV4_HDR_LEN    20
#define IPV4_FRAG_MF    0x2000   /* more fragments (flags bit 2, RFC 791 3.1) */
#define IPV4_FRAG_OFF   0x1FFF   /* fragment offset, in 8-byte units */

/* Sends one IPv4 datagram: builds the header (checksum, TTL 64, id, DF),
   routes to the gateway when dst is off-link, resolves the next hop with ARP
   (queueing while pending). The transport header and payload are given
   separately to avoid a copy by the caller. Returns NET_OK when the datagram
   was sent or queued behind an ARP request. */
enum net_err ipv4_output(ip4_addr dst, uint8_t proto, const void *hdr, size_t hlen,
                         const void *payload, size_t plen);
ip4_addr ipv4_local_addr(void);
size_t   ipv4_mtu(void);          /* 1500 on virtio-net: the TCP MSS is mtu - 40 */

/* Parsed view of an IPv4 header (RFC 791 section 3.1). */
struct ipv4_hdr {
    uint8_t  ihl_bytes;     /* header length in bytes (20..60) */
    uint8_t  tos, ttl, proto;
    uint16_t total_len, id, frag;   /* frag: flags (3 bits) + offset (13) */
    ip4_addr src, dst;
};
/* Checks version, IHL, total length against len, header checksum. On success
   the payload is pkt[h->ihl_bytes .. h->total_len). */
enum net_err ipv4_parse(const uint8_t *pkt, size_t len, struct ipv4_hdr *h);
/* Writes a 20-byte header (no options) with its checksum into out. */
void ipv4_build(uint8_t out[IPV4_HDR_LEN], ip4_addr src, ip4_addr dst, uint8_t proto,
                uint16_t id, uint16_t payload_len, uint8_t ttl);

/* Input from the Ethernet layer (payload of an EtherType 0x0800 frame). */
void ipv4_input(const uint8_t *pkt, size_t len);

/* Formats "A.B.C.D" into buf (>= 16 bytes); returns buf. */
char *ip4_format(ip4_addr a, char *buf);
/* The boundary between the socket APIs (struct ip_addr, lib/ip_addr.h) and
   the IPv4 code: *out = the IPv4 address of a, or NET_ERR_FAMILY when a is
   not IPv4 (NET_ERR_INVALID_ARG when a is NULL). */
enum net_err ip4_from_addr(const struct ip_addr *a, ip4_addr *out);

#endif
