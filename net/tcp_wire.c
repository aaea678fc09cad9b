/* TCP segment format (RFC 9293 3.1): parse with bounds checks on every
   read, build with options (MSS, window scale RFC 7323 2, SACK-permitted and
   SACK blocks RFC 2018, timestamps RFC 7323 3), checksum over the IPv4
   pseudo-header or the IPv6 one (RFC 8200 8.1, tcp_pseudo_sum). */
#include "net/checksum.h"
#include "net/tcp_int.h"
#include <string.h>
#include "lib/bytes.h"

const char *tcp_parse_err_str(enum tcp_parse_err e)
{
    switch (e) {
    case TCP_PARSE_OK: return "ok";
    case TCP_PARSE_SHORT: return "short";
    case TCP_PARSE_BAD_OFFSET: return "bad_offset";
    case TCP_PARSE_BAD_OPTION: return "bad_option";
    case TCP_PARSE_BAD_CHECKSUM: return "bad_checksum";
    }
    return "unknown";
}

static enum tcp_parse_err parse_opts(const uint8_t *p, size_t n, struct tcp_seg *s)
{
    size_t i = 0;
    while (i < n) {
        uint8_t kind = p[i];
        if (kind == 0)          /* end of option list */
            break;
        if (kind == 1) {        /* no-op */
            i++;
            continue;
        }
        if (i + 1 >= n)
            return TCP_PARSE_BAD_OPTION;
        uint8_t olen = p[i + 1];
        if (olen < 2 || olen > n - i)
            return TCP_PARSE_BAD_OPTION;
        const uint8_t *v = p + i + 2;
        switch (kind) {
        case 2:
            if (olen == 4) {
                s->has_mss = true;
                s->mss = be16_get(v);
            }
            break;
        case 3:
            if (olen == 3) {
                s->has_ws = true;
                s->ws = v[0] > 14 ? 14 : v[0];   /* RFC 7323 2.3 */
            }
            break;
        case 4:
            if (olen == 2)
                s->sack_perm = true;
            break;
        case 5:
            if (olen >= 10 && (olen - 2) % 8 == 0) {
                int nb = (olen - 2) / 8;
                for (int b = 0; b < nb && s->nsack < TCP_MAX_SACK; b++) {
                    s->sack[s->nsack].l = be32_get(v + 8 * b);
                    s->sack[s->nsack].r = be32_get(v + 8 * b + 4);
                    s->nsack++;
                }
            }
            break;
        case 8:
            if (olen == 10) {
                s->has_ts = true;
                s->tsval = be32_get(v);
                s->tsecr = be32_get(v + 4);
            }
            break;
        default:
            break;
        }
        i += olen;
    }
    return TCP_PARSE_OK;
}

static bool same_family(const struct ip_addr *a, const struct ip_addr *b)
{
    return a->family == b->family && (ip_addr_is_v4(a) || ip_addr_is_v6(a));
}

enum tcp_parse_err tcp_parse(const uint8_t *buf, size_t len, bool check, ip4_addr src,
                             ip4_addr dst, struct tcp_seg *s)
{
    struct ip_addr a = ip_addr_v4(src), b = ip_addr_v4(dst);
    return tcp_parse_ip(buf, len, check, &a, &b, s);
}

enum tcp_parse_err tcp_parse_ip(const uint8_t *buf, size_t len, bool check,
                                const struct ip_addr *src, const struct ip_addr *dst,
                                struct tcp_seg *s)
{
    memset(s, 0, sizeof *s);
    if (len < TCP_HDR_MIN)
        return TCP_PARSE_SHORT;
    size_t off = (size_t)(buf[12] >> 4) * 4;
    if (off < TCP_HDR_MIN || off > len)
        return TCP_PARSE_BAD_OFFSET;
    if (check) {
        if (len > 0xFFFF)
            return TCP_PARSE_SHORT;
        if (!same_family(src, dst))
            return TCP_PARSE_BAD_CHECKSUM;
        uint32_t sum = tcp_pseudo_sum(src, dst, len);
        if (inet_fold(inet_sum(sum, buf, len)) != 0)
            return TCP_PARSE_BAD_CHECKSUM;
    }
    s->sport = be16_get(buf);
    s->dport = be16_get(buf + 2);
    s->seq = be32_get(buf + 4);
    s->ack = be32_get(buf + 8);
    s->flags = buf[13] & 0x3F;
    s->wnd = be16_get(buf + 14);
    s->data = buf + off;
    s->dlen = len - off;
    return parse_opts(buf + TCP_HDR_MIN, off - TCP_HDR_MIN, s);
}

size_t tcp_build(uint8_t *h, ip4_addr src, ip4_addr dst, uint16_t sport, uint16_t dport,
                 uint32_t seq, uint32_t ack, uint8_t flags, uint16_t wnd,
                 const struct tcp_opts *o, const uint8_t *payload, size_t plen)
{
    struct ip_addr a = ip_addr_v4(src), b = ip_addr_v4(dst);
    return tcp_build_ip(h, &a, &b, sport, dport, seq, ack, flags, wnd, o, payload, plen);
}

size_t tcp_build_ip(uint8_t *h, const struct ip_addr *src, const struct ip_addr *dst,
                    uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack, uint8_t flags,
                    uint16_t wnd, const struct tcp_opts *o, const uint8_t *payload, size_t plen)
{
    size_t n = TCP_HDR_MIN;
    if (o) {
        if (o->mss) {
            h[n] = 2; h[n + 1] = 4;
            be16_put(h + n + 2, o->mss);
            n += 4;
        }
        if (o->ws >= 0) {
            h[n] = 1; h[n + 1] = 3; h[n + 2] = 3; h[n + 3] = (uint8_t)o->ws;
            n += 4;
        }
        if (o->sack_perm) {
            h[n] = 1; h[n + 1] = 1; h[n + 2] = 4; h[n + 3] = 2;
            n += 4;
        }
        if (o->ts) {            /* NOP NOP kind 8 length 10 (RFC 7323 appendix A) */
            h[n] = 1; h[n + 1] = 1; h[n + 2] = 8; h[n + 3] = 10;
            be32_put(h + n + 4, o->tsval);
            be32_put(h + n + 8, o->tsecr);
            n += 12;
        }
        int nb = o->nsack;
        if (nb > TCP_MAX_SACK)
            nb = TCP_MAX_SACK;
        while (nb > 0 && n + 4 + 8 * (size_t)nb > TCP_HDR_MAX)
            nb--;
        if (nb > 0) {
            h[n] = 1; h[n + 1] = 1; h[n + 2] = 5; h[n + 3] = (uint8_t)(2 + 8 * nb);
            n += 4;
            for (int b = 0; b < nb; b++) {
                be32_put(h + n, o->sack[b].l);
                be32_put(h + n + 4, o->sack[b].r);
                n += 8;
            }
        }
    }
    be16_put(h, sport);
    be16_put(h + 2, dport);
    be32_put(h + 4, seq);
    be32_put(h + 8, ack);
    h[12] = (uint8_t)((n / 4) << 4);
    h[13] = flags;
    be16_put(h + 14, wnd);
    h[16] = h[17] = 0;
    h[18] = h[19] = 0;
    uint32_t sum = tcp_pseudo_sum(src, dst, n + plen);
    sum = inet_sum(sum, h, n);
    if (plen)
        sum = inet_sum(sum, payload, plen);
    be16_put(h + 16, inet_fold(sum));
    return n;
}
