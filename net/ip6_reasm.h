/* IPv6 reassembly (RFC 8200 section 4.5). net/ipv6.c hands every fragment
   addressed to us (the walk of net/ip6_ext.h ended at a fragment header
   that is not atomic) to ip6_reasm_input(); when a fragment completes its
   datagram, the deliver callback gets the whole packet: a copy of the fixed
   header of the fragment at offset 0, with next header and payload length
   rewritten, followed by the reassembled fragmentable part. The caller
   resumes the extension-header walk there (IP6_EXT_NO_HBH).

   Memory: IP6_REASM_SLOTS static slots owned by this module, each with a
   buffer for IP6_REASM_MAX payload bytes and a bitmap of the 8-byte blocks
   received. Nothing is allocated. The packet given to the callback lives
   in a slot and is valid only during the call.

   Policy, every refusal counted in ip6_stats.frag_dropped:
   - key (source, destination, identification) (4.5);
   - overlapping fragments discard the whole datagram (RFC 5722), exact
     duplicates included (RFC 8200 4.5 allows either);
   - the last fragment (M clear) fixes the length: a second one with another
     length, one shorter than data held, or data past it discards the
     datagram;
   - data past IP6_REASM_MAX is dropped with its datagram;
   - a datagram not complete IP6_REASM_TIMEOUT_MS after its first fragment
     is discarded (reasm_timeout). No ICMPv6 time exceeded is sent for it;
   - with every slot busy, a new datagram evicts the oldest. */
#ifndef NET_IP6_REASM_H
#define NET_IP6_REASM_H
#include <stddef.h>
#include <stdint.h>
#include "net/ip6_ext.h"
#include "net/ipv6.h"

#define IP6_REASM_SLOTS 4
#define IP6_REASM_MAX 16384            /* as IPv4's (net/ip4_reasm.h) */
#define IP6_REASM_TIMEOUT_MS 60000     /* RFC 8200 4.5: 60 seconds */

/* pkt[0..len): a whole packet, header included; its next header field is
   the fragment header's next header. */
typedef void (*ip6_reasm_deliver_fn)(const uint8_t *pkt, size_t len);

void ip6_reasm_reset(void);
/* One fragment: hdr its fixed header (40 bytes as received), r the walk's
   fragment fields, data[0..dlen) its fragment data. Runs the timeout
   first. */
void ip6_reasm_input(const uint8_t hdr[IP6_HDR_LEN], const struct ip6_ext_result *r,
                     const uint8_t *data, size_t dlen, uint64_t now_ms,
                     ip6_reasm_deliver_fn deliver);
void ip6_reasm_timers(uint64_t now_ms);
unsigned ip6_reasm_pending(void);

#endif
