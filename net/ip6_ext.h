/* The IPv6 extension-header walk (RFC 8200 section 4), bounded: every
   header must lie inside the packet, at most IP6_EXT_MAX of them. What it
   decides, per header:
   - hop-by-hop options (0): only right after the fixed header (4.3);
     anywhere else an unrecognised next header;
   - hop-by-hop and destination options (60): the options are walked (4.2):
     Pad1 and PadN skipped, other known-to-skip types (top bits 00) skipped,
     01 drop silently, 10 drop with a parameter problem (code 2) pointing at
     the option type, 11 the same unless the destination was multicast;
   - routing (43): type 0 is refused whatever its segments left (RFC 5095
     deprecates it; with segments left 0 RFC 8200 would skip it, we drop and
     count it); every other type is unknown to a host: skipped with segments
     left 0, otherwise a parameter problem (code 0) at the type (4.4);
   - fragment (44): an atomic fragment (offset 0, M clear, RFC 6946) is
     walked past; any other ends the walk for reassembly (net/ip6_reasm.h),
     after the checks of 4.5 (a non-last fragment whose length is not a
     multiple of 8: code 0 at the payload length; data past 65535: code 0 at
     the fragment offset);
   - no next header (59): nothing to deliver;
   - ICMPv6, UDP, TCP: the upper layer, where the walk stops;
   - anything else: a parameter problem (code 1) at the next header field.
   Pure function over the caller's bytes; no state. */
#ifndef NET_IP6_EXT_H
#define NET_IP6_EXT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IP6_EXT_MAX 8   /* more extension headers than this: dropped */

enum ip6_ext_verdict {
    IP6_EXT_UPPER,          /* deliver r->proto at r->off */
    IP6_EXT_FRAGMENT,       /* a fragment: r->frag_* and r->off (its data) */
    IP6_EXT_NONE,           /* next header 59: nothing more */
    IP6_EXT_PARAM_PROBLEM,  /* answer ICMPv6 type 4, r->pp_code, r->pp_pointer */
    IP6_EXT_DROP,           /* drop silently (truncated, refused, too many) */
};
const char *ip6_ext_verdict_str(enum ip6_ext_verdict v);

struct ip6_ext_result {
    uint8_t proto;          /* UPPER: the upper-layer protocol */
    size_t off;             /* UPPER: its header; FRAGMENT: the fragment data */
    /* FRAGMENT */
    uint8_t frag_nh;        /* next header after the fragment header */
    uint16_t frag_offset;   /* in bytes */
    bool frag_more;
    uint32_t frag_id;
    /* PARAM_PROBLEM (RFC 4443 3.4): code and the offset of the faulty byte
       from the start of the packet */
    uint8_t pp_code;
    uint32_t pp_pointer;
};

#define IP6_EXT_MCAST  1u   /* the destination was multicast (option action 11) */
#define IP6_EXT_NO_HBH 2u   /* hop-by-hop not allowed first either: the walk
                               resumes after reassembly */
#define IP6_EXT_FIND   4u   /* only find the upper layer: options and routing
                               headers are stepped over whatever they say
                               (to see what an invoking packet carried) */

/* Walks pkt[0..len), a whole IPv6 packet (fixed header included, len =
   40 + payload length), starting with next header nh at offset off (40 for
   a packet as received); flags IP6_EXT_*. */
enum ip6_ext_verdict ip6_ext_walk(const uint8_t *pkt, size_t len, uint8_t nh, size_t off,
                                  unsigned flags, struct ip6_ext_result *r);

#endif
