/* UDP (RFC 768) with a small polled socket API: each socket has a local port
   and a queue of a few received datagrams (copied in, oldest first; a full
   queue or a payload over UDP_RX_MAX_PAYLOAD drops and counts). Checksums
   are always sent and checked when present. Sockets are static slots;
   nothing is allocated. */
#ifndef NET_UDP_H
#define NET_UDP_H
#include <stddef.h>
#include <stdint.h>
#include "net/ipv4.h"

#define UDP_SOCKETS     8
#define UDP_QUEUE       4
#define UDP_MAX_PAYLOAD 1472     /* sent: 1500 - IPv4 - UDP headers (we never fragment) */
/* Received: a reassembled datagram (net/ip4_reasm.h) may be larger than a
   frame; 4096 is the EDNS0 payload size RFC 6891 suggests, and costs
   UDP_SOCKETS * UDP_QUEUE * 4 KiB = 128 KiB of static queue. */
#define UDP_RX_MAX_PAYLOAD 4096
#define UDP_HDR_LEN     8

struct udp_hdr { uint16_t sport, dport, len, csum; };

/* Checks the length field and, when nonzero, the checksum (pseudo-header of
   ip). On success the payload is p[8 .. h->len). */
enum net_err udp_parse(ip4_addr src, ip4_addr dst, const uint8_t *p, size_t len, struct udp_hdr *h);

void udp_reset(void);
/* Opens a socket on local_port (0: a random ephemeral port); returns a
   handle >= 0 or -1 when the table is full or the port is taken. */
int  udp_open(uint16_t local_port);
void udp_close(int s);
/* Sends one datagram to dst:dport. NET_ERR_FAMILY when dst is not IPv4,
   INVALID_ARG for a bad handle or a NULL dst, TOO_BIG over UDP_MAX_PAYLOAD. */
enum net_err udp_sendto(int s, const struct ip_addr *dst, uint16_t dport, const void *p, size_t n);
/* Takes the oldest queued datagram: its length (truncated to cap), or 0 when
   the queue is empty. src/sport (the sender) may be NULL. */
size_t udp_recvfrom(int s, void *buf, size_t cap, struct ip_addr *src, uint16_t *sport);

void udp_input(const struct ipv4_hdr *ip, const uint8_t *p, size_t len);

#endif
