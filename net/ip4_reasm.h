/* IPv4 reassembly (RFC 791 section 3.2). net/ipv4.c hands every fragment
   addressed to us (MF set or a nonzero offset) to ip4_reasm_input(); when a
   fragment completes its datagram, the whole payload goes to the deliver
   callback with an unfragmented header, so it takes the same ICMP/UDP/TCP
   dispatch as a datagram that was never fragmented.

   Memory: IP4_REASM_SLOTS static slots owned by this module, each with a
   buffer of IP4_REASM_MAX payload bytes and a bitmap of the 8-byte blocks
   received (RFC 815 tracks the holes instead; with 8-byte blocks a bitmap
   is as exact and simpler to check). Nothing is allocated. The payload given
   to the callback lives in a slot and is valid only during the call. One
   global instance, like the rest of net/.

   Policy, every refusal counted in net_stats:
   - key (src, dst, protocol, id) as RFC 791 says;
   - a fragment that arrives again, or overlaps data already held, must
     carry the same bytes there: then it is accepted (duplicates are
     harmless); different bytes discard the whole datagram (as RFC 5722 does
     for IPv6: with two versions we cannot tell which one is right). A copy
     arriving after its datagram completed opens a new one, which times out;
   - the last fragment (MF=0) fixes the length; a second last fragment with
     another length, a last fragment shorter than data already held, or a
     fragment past the fixed length discards the datagram;
   - a fragment malformed by itself (MF=1 with no data or a length that is
     not a multiple of 8; data past IP4_REASM_MAX) is dropped and takes its
     datagram, if one is in progress, with it: that datagram cannot complete
     correctly;
   - a datagram not complete IP4_REASM_TIMEOUT_MS after its first fragment
     is discarded (not extended by later fragments, so a trickle of
     fragments cannot hold a slot);
   - when all slots are busy, a new datagram evicts the oldest one.
   Counters: ip_frag_rx (fragments in), ip_reasm_ok (datagrams delivered),
   ip_reasm_timeout (datagrams timed out), ip_frag_dropped (fragments
   refused plus datagrams evicted). No ICMP time exceeded is sent. */
#ifndef NET_IP4_REASM_H
#define NET_IP4_REASM_H
#include <stddef.h>
#include <stdint.h>
#include "net/ipv4.h"

/* Datagrams in reassembly at once. */
#define IP4_REASM_SLOTS 4
/* Largest payload (after the IPv4 header) we reassemble: above everything
   the stack can consume (a UDP socket queues up to UDP_RX_MAX_PAYLOAD, 4096;
   ICMP echo replies and TCP segments fit one 1500-byte frame), a power of
   two, and 4 slots of it cost about 65 KiB of static memory. A fragment
   reaching past it is dropped. */
#define IP4_REASM_MAX 16384
/* RFC 791 suggests 15 s for the initial reassembly timer (RFC 1122 3.3.2 a
   fixed 60 to 120 s); with 4 slots the short one frees them sooner. */
#define IP4_REASM_TIMEOUT_MS 15000

/* Receives a reassembled datagram: h describes it as unfragmented (20-byte
   header, frag 0, total_len = 20 + len; tos and ttl of the first fragment). */
typedef void (*ip4_reasm_deliver_fn)(const struct ipv4_hdr *h, const uint8_t *p, size_t len);

/* Frees every slot (net_init). */
void ip4_reasm_reset(void);
/* Takes one fragment: h its parsed header, p its payload of len bytes. Runs
   the timeout first (now_ms on the stack's clock), and calls deliver before
   returning when this fragment completes a datagram. */
void ip4_reasm_input(const struct ipv4_hdr *h, const uint8_t *p, size_t len, uint64_t now_ms,
                     ip4_reasm_deliver_fn deliver);
/* Discards datagrams older than IP4_REASM_TIMEOUT_MS (from net_poll). */
void ip4_reasm_timers(uint64_t now_ms);
/* Slots in use (datagrams waiting for fragments). */
unsigned ip4_reasm_pending(void);

#endif
