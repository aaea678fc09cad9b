/* UDP (RFC 768) over IPv4 and IPv6 (RFC 8200 8.1) with a small polled
   socket API: each socket has a local port and a queue of a few received
   datagrams from either family (copied in, oldest first; a full queue or a
   payload over UDP_RX_MAX_PAYLOAD drops and counts). Checksums are always
   sent; received ones are checked when present over IPv4 and always over
   IPv6, where a zero checksum is not allowed (the datagram is dropped and
   counted as a checksum error). Sockets are static slots; nothing is
   allocated. */
#ifndef NET_UDP_H
#define NET_UDP_H
#include <stddef.h>
#include <stdint.h>
#include "net/ipv4.h"
#include "net/ipv6.h"

#define UDP_SOCKETS     8
#define UDP_QUEUE       4
#define UDP_MAX_PAYLOAD 1472     /* sent: 1500 - IPv4 - UDP headers (we never fragment) */
/* Sent over IPv6: the link MTU (ip6_link_mtu: 1500, or an RA's) - the 40
   bytes of IPv6 and 8 of UDP; a smaller path MTU (ICMPv6 Packet Too Big)
   refuses more with NET_ERR_TOO_BIG too. */
#define UDP6_HDRS_LEN   48
/* Received: a reassembled datagram (net/ip4_reasm.h) may be larger than a
   frame; 4096 is the EDNS0 payload size RFC 6891 suggests, and costs
   UDP_SOCKETS * UDP_QUEUE * 4 KiB = 128 KiB of static queue. */
#define UDP_RX_MAX_PAYLOAD 4096
#define UDP_HDR_LEN     8

struct udp_hdr { uint16_t sport, dport, len, csum; };

/* Checks the length field and, when nonzero, the checksum (pseudo-header of
   ip). On success the payload is p[8 .. h->len). */
enum net_err udp_parse(ip4_addr src, ip4_addr dst, const uint8_t *p, size_t len, struct udp_hdr *h);
/* The same over IPv6 (addresses as on the wire): the checksum must be there
   and right (a zero checksum is refused, RFC 8200 8.1). NET_ERR_MALFORMED
   otherwise, as udp_parse. */
enum net_err udp_parse6(const uint8_t src[16], const uint8_t dst[16], const uint8_t *p, size_t len,
                        struct udp_hdr *h);

void udp_reset(void);
/* Opens a socket on local_port (0: a random ephemeral port); returns a
   handle >= 0 or -1 when the table is full or the port is taken. */
int  udp_open(uint16_t local_port);
void udp_close(int s);
/* Sends one datagram to dst:dport, IPv4 or IPv6 (the source address is
   slaac_source's for dst). INVALID_ARG for a bad handle or a NULL dst,
   FAMILY for an address of neither family, NO_ROUTE for IPv6 while it is
   off or without a usable source address, TOO_BIG over UDP_MAX_PAYLOAD
   (IPv4) or udp_max_payload (IPv6). */
enum net_err udp_sendto(int s, const struct ip_addr *dst, uint16_t dport, const void *p, size_t n);
/* Largest payload udp_sendto takes for dst's family (0 for none). */
size_t udp_max_payload(const struct ip_addr *dst);
/* Takes the oldest queued datagram: its length (truncated to cap), or 0 when
   the queue is empty. src/sport (the sender, IPv4 or IPv6) may be NULL. */
size_t udp_recvfrom(int s, void *buf, size_t cap, struct ip_addr *src, uint16_t *sport);

void udp_input(const struct ipv4_hdr *ip, const uint8_t *p, size_t len);
/* The IPv6 upper-layer handler (net_init registers it, ip6_set_upper). */
void udp_input6(const struct ip6_hdr *ip, const uint8_t *p, size_t len);

#endif
