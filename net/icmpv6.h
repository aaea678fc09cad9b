/* ICMPv6 (RFC 4443): checksum check of every message, echo replies, the
   error messages we send (destination unreachable, packet too big, time
   exceeded, parameter problem) and the Packet Too Big we receive, which
   lowers a per-destination path MTU (RFC 8201) that TCP reads through
   ip6_path_mtu to size its segments. Neighbour discovery types (133..137)
   go on to net/ndp.h.

   Errors we send follow RFC 4443 2.4: never about an ICMPv6 error or a
   redirect, never about a packet to a multicast address (except packet too
   big and parameter problem code 2 for an unknown option of type 11) or
   from a source that does not name one node (::, multicast), and at most
   ICMP6_ERR_BURST in a row, refilled at ICMP6_ERR_PER_SEC per second (a
   token bucket on the stack's clock). They quote as much of the invoking
   packet as keeps the error within the minimum MTU, 1280 bytes.

   State: the path MTU table (ICMP6_PMTU_SLOTS entries, aged out after
   ICMP6_PMTU_AGE_MS, RFC 8201 4) and the token bucket, static here. */
#ifndef NET_ICMPV6_H
#define NET_ICMPV6_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "net/ipv6.h"

#define ICMP6_DST_UNREACH   1
#define ICMP6_PACKET_TOO_BIG 2
#define ICMP6_TIME_EXCEEDED 3
#define ICMP6_PARAM_PROBLEM 4
#define ICMP6_ECHO_REQUEST  128
#define ICMP6_ECHO_REPLY    129
#define ICMP6_ROUTER_SOLICIT 133
#define ICMP6_ROUTER_ADVERT 134
#define ICMP6_NEIGHBOR_SOLICIT 135
#define ICMP6_NEIGHBOR_ADVERT 136
#define ICMP6_REDIRECT      137

#define ICMP6_ERR_BURST    10
#define ICMP6_ERR_PER_SEC  10
#define ICMP6_PMTU_SLOTS   8
#define ICMP6_PMTU_AGE_MS  (10 * 60 * 1000)   /* RFC 8201 4: at least 5 minutes */

void icmp6_reset(void);
/* h: the fixed header (plen = len), p[0..len) the ICMPv6 message. */
void icmp6_input(const struct ip6_hdr *h, const uint8_t *p, size_t len, uint64_t now_ms);
/* Sends an error of type and code about the packet pkt[0..len) (a whole
   IPv6 packet as received), with param the pointer (parameter problem) or
   the MTU (packet too big), if RFC 4443 2.4 allows it. NET_ERR_AGAIN when
   rate limited, NET_ERR_INVALID_ARG when the rules forbid an error. */
enum net_err icmp6_send_error(const uint8_t *pkt, size_t len, uint8_t type, uint8_t code,
                              uint32_t param, uint64_t now_ms);
/* Builds an ICMPv6 message: fills in the checksum of msg[0..len) (its
   bytes 2..3) for the addresses src and dst. */
void icmp6_set_checksum(const uint8_t src[16], const uint8_t dst[16], uint8_t *msg, size_t len);
/* Sends msg[0..len), checksum filled in here, from src (NULL: chosen) to
   dst with hop limit hlim (0: default; 255 for neighbour discovery). */
enum net_err icmp6_send(const uint8_t *src, const uint8_t dst[16], uint8_t hlim, uint8_t *msg,
                        size_t len);

/* The path MTU towards dst: the lowest Packet Too Big value received for
   it (never below IP6_MIN_MTU) while not aged out, else the link MTU. */
size_t ip6_path_mtu(const uint8_t dst[16]);
/* Forgets entries older than ICMP6_PMTU_AGE_MS. */
void icmp6_timers(uint64_t now_ms);

#endif
