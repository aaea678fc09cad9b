/* see ip6_ext.h */
#include "net/ip6_ext.h"
#include "net/ipv6.h"
#include "lib/bytes.h"

const char *ip6_ext_verdict_str(enum ip6_ext_verdict v)
{
    switch (v) {
    case IP6_EXT_UPPER: return "upper";
    case IP6_EXT_FRAGMENT: return "fragment";
    case IP6_EXT_NONE: return "none";
    case IP6_EXT_PARAM_PROBLEM: return "param_problem";
    case IP6_EXT_DROP: return "drop";
    }
    return "unknown";
}

static enum ip6_ext_verdict problem(struct ip6_ext_result *r, uint8_t code, size_t at)
{
    r->pp_code = code;
    r->pp_pointer = (uint32_t)at;
    return IP6_EXT_PARAM_PROBLEM;
}

/* The options of a hop-by-hop or destination options header at pkt[off..end)
   (its first two bytes are next header and length). RFC 8200 4.2. Returns
   IP6_EXT_UPPER to mean "go on". */
static enum ip6_ext_verdict walk_options(const uint8_t *pkt, size_t off, size_t end,
                                         unsigned flags, struct ip6_ext_result *r)
{
    size_t i = off + 2;
    while (i < end) {
        uint8_t type = pkt[i];
        if (type == 0) {            /* Pad1 */
            i++;
            continue;
        }
        if (i + 2 > end || i + 2 + pkt[i + 1] > end)
            return IP6_EXT_DROP;    /* an option running past its header */
        if (type != 1) {            /* PadN skipped; the rest is unknown to us */
            switch (type >> 6) {
            case 0: break;
            case 1: return IP6_EXT_DROP;
            case 2: return problem(r, 2, i);
            default:
                if (flags & IP6_EXT_MCAST)
                    return IP6_EXT_DROP;
                return problem(r, 2, i);
            }
        }
        i += 2 + (size_t)pkt[i + 1];
    }
    return IP6_EXT_UPPER;
}

enum ip6_ext_verdict ip6_ext_walk(const uint8_t *pkt, size_t len, uint8_t nh, size_t off,
                                  unsigned flags, struct ip6_ext_result *r)
{
    /* where the byte naming the current header sits: the fixed header's
       next header field first, then the first byte of each extension */
    size_t nh_at = off == IP6_HDR_LEN ? 6 : off;
    for (int count = 0; count <= IP6_EXT_MAX; count++) {
        switch (nh) {
        case IP6_NH_ICMPV6:
        case IP6_NH_UDP:
        case IP6_NH_TCP:
            r->proto = nh;
            r->off = off;
            return IP6_EXT_UPPER;
        case IP6_NH_NONE:
            return IP6_EXT_NONE;
        case IP6_NH_HOPOPTS:
            if (count > 0 || off != IP6_HDR_LEN || (flags & IP6_EXT_NO_HBH))
                return problem(r, 1, nh_at);
            /* fall through */
        case IP6_NH_DSTOPTS: {
            if (off + 8 > len)
                return IP6_EXT_DROP;
            size_t end = off + 8 + 8 * (size_t)pkt[off + 1];
            if (end > len)
                return IP6_EXT_DROP;
            if (!(flags & IP6_EXT_FIND)) {
                enum ip6_ext_verdict v = walk_options(pkt, off, end, flags, r);
                if (v != IP6_EXT_UPPER)
                    return v;
            }
            nh = pkt[off];
            nh_at = off;
            off = end;
            break;
        }
        case IP6_NH_ROUTING: {
            if (off + 8 > len)
                return IP6_EXT_DROP;
            size_t end = off + 8 + 8 * (size_t)pkt[off + 1];
            if (end > len)
                return IP6_EXT_DROP;
            uint8_t type = pkt[off + 2], segs = pkt[off + 3];
            if (flags & IP6_EXT_FIND)
                segs = 0;
            else if (type == 0 && segs == 0)
                return IP6_EXT_DROP;            /* RFC 5095: refused */
            if (segs > 0)
                return problem(r, 0, off + 2);  /* 4.4: not a router */
            nh = pkt[off];
            nh_at = off;
            off = end;
            break;
        }
        case IP6_NH_FRAGMENT: {
            if (off + 8 > len)
                return IP6_EXT_DROP;
            uint16_t fo = be16_get(pkt + off + 2);
            uint16_t frag_off = (uint16_t)(fo & 0xFFF8);
            bool more = fo & 1;
            size_t data = len - (off + 8);
            if (frag_off == 0 && !more) {       /* atomic fragment (RFC 6946) */
                nh = pkt[off];
                nh_at = off;
                off += 8;
                break;
            }
            if (more && (data == 0 || data % 8 != 0))
                return problem(r, 0, 4);        /* payload length */
            if ((size_t)frag_off + data > 65535)
                return problem(r, 0, off + 2);  /* fragment offset */
            r->frag_nh = pkt[off];
            r->frag_offset = frag_off;
            r->frag_more = more;
            r->frag_id = be32_get(pkt + off + 4);
            r->off = off + 8;
            return IP6_EXT_FRAGMENT;
        }
        default:
            return problem(r, 1, nh_at);
        }
    }
    return IP6_EXT_DROP;   /* more than IP6_EXT_MAX headers */
}
