/* see icmpv6.h */
#include "net/icmpv6.h"
#include "net/checksum.h"
#include "net/ip6_ext.h"
#include "net/ndp.h"
#include "net/slaac.h"
#include <string.h>
#include "lib/bytes.h"

/* Largest error: the minimum MTU (RFC 4443 2.4 c). */
#define ERR_MAX (IP6_MIN_MTU - IP6_HDR_LEN)

struct pmtu {
    bool used;
    uint8_t dst[16];
    uint16_t mtu;
    uint64_t at_ms;
};
static struct pmtu pmtu[ICMP6_PMTU_SLOTS];
static uint32_t tokens;
static uint64_t refill_ms;
static uint8_t errbuf[IP6_LINK_MTU - IP6_HDR_LEN];   /* errors, and echo replies */

void icmp6_reset(void)
{
    memset(pmtu, 0, sizeof pmtu);
    tokens = ICMP6_ERR_BURST;
    refill_ms = 0;
}

void icmp6_set_checksum(const uint8_t src[16], const uint8_t dst[16], uint8_t *msg, size_t len)
{
    be16_put(msg + 2, 0);
    uint32_t s = inet6_pseudo_sum(src, dst, IP6_NH_ICMPV6, (uint32_t)len);
    be16_put(msg + 2, inet_fold(inet_sum(s, msg, len)));
}

enum net_err icmp6_send(const uint8_t *src, const uint8_t dst[16], uint8_t hlim, uint8_t *msg,
                        size_t len)
{
    uint8_t chosen[16];
    if (!src) {
        if (!slaac_source(dst, chosen))
            return NET_ERR_NO_ROUTE;
        src = chosen;
    }
    icmp6_set_checksum(src, dst, msg, len);
    return ip6_output(src, dst, IP6_NH_ICMPV6, hlim, msg, len, NULL, 0);
}

size_t ip6_path_mtu(const uint8_t dst[16])
{
    size_t mtu = ip6_link_mtu();
    for (int i = 0; i < ICMP6_PMTU_SLOTS; i++)
        if (pmtu[i].used && !memcmp(pmtu[i].dst, dst, 16) && pmtu[i].mtu < mtu)
            mtu = pmtu[i].mtu;
    return mtu;
}

void icmp6_timers(uint64_t now_ms)
{
    for (int i = 0; i < ICMP6_PMTU_SLOTS; i++)
        if (pmtu[i].used && now_ms - pmtu[i].at_ms >= ICMP6_PMTU_AGE_MS)
            pmtu[i].used = false;
}

/* RFC 8201 4: a Packet Too Big lowers the path MTU; a value under 1280
   gives 1280 (RFC 8200 5 no longer asks for a fragment header then). */
static void pmtu_update(const uint8_t dst[16], uint32_t mtu, uint64_t now_ms)
{
    if (mtu < IP6_MIN_MTU)
        mtu = IP6_MIN_MTU;
    if (mtu >= ip6_path_mtu(dst))
        return;   /* never raised by a PTB */
    struct pmtu *e = NULL;
    for (int i = 0; i < ICMP6_PMTU_SLOTS && !e; i++)
        if (pmtu[i].used && !memcmp(pmtu[i].dst, dst, 16))
            e = &pmtu[i];
    for (int i = 0; i < ICMP6_PMTU_SLOTS && !e; i++)
        if (!pmtu[i].used)
            e = &pmtu[i];
    if (!e) {   /* full: replace the oldest */
        e = &pmtu[0];
        for (int i = 1; i < ICMP6_PMTU_SLOTS; i++)
            if (pmtu[i].at_ms < e->at_ms)
                e = &pmtu[i];
    }
    e->used = true;
    memcpy(e->dst, dst, 16);
    e->mtu = (uint16_t)mtu;
    e->at_ms = now_ms;
}

static void packet_too_big(const uint8_t *p, size_t len, uint64_t now_ms)
{
    /* type, code, checksum, MTU, then the invoking packet we sent: its
       source must be ours, its destination is the path that shrank */
    if (len < 8 + IP6_HDR_LEN || p[1] != 0) {
        ip6_stats.rx_malformed++;
        return;
    }
    const uint8_t *inv = p + 8;
    if (!slaac_is_mine(inv + 8) && !slaac_is_tentative(inv + 8)) {
        ip6_stats.rx_not_for_us++;
        return;
    }
    ip6_stats.ptb_rx++;
    pmtu_update(inv + 24, be32_get(p + 4), now_ms);
}

static void echo(const struct ip6_hdr *h, const uint8_t *p, size_t len)
{
    ip6_stats.echo_rx++;
    if (len > sizeof errbuf || ip6_is_unspecified(h->src) || ip6_is_multicast(h->src))
        return;
    memcpy(errbuf, p, len);
    errbuf[0] = ICMP6_ECHO_REPLY;
    /* RFC 4443 4.2: the reply comes from the address the request was sent
       to, or from one of ours when that was multicast */
    const uint8_t *src = ip6_is_multicast(h->dst) ? NULL : h->dst;
    if (icmp6_send(src, h->src, 0, errbuf, len) == NET_OK)
        ip6_stats.echo_reply_tx++;
}

void icmp6_input(const struct ip6_hdr *h, const uint8_t *p, size_t len, uint64_t now_ms)
{
    ip6_stats.icmp_rx++;
    if (len < 4) {
        ip6_stats.rx_malformed++;
        return;
    }
    uint32_t s = inet6_pseudo_sum(h->src, h->dst, IP6_NH_ICMPV6, (uint32_t)len);
    if (inet_fold(inet_sum(s, p, len)) != 0) {
        ip6_stats.icmp_checksum_err++;
        return;
    }
    switch (p[0]) {
    case ICMP6_ECHO_REQUEST:
        if (len >= 8 && p[1] == 0)
            echo(h, p, len);
        break;
    case ICMP6_PACKET_TOO_BIG:
        packet_too_big(p, len, now_ms);
        break;
    case ICMP6_ROUTER_SOLICIT:
    case ICMP6_ROUTER_ADVERT:
    case ICMP6_NEIGHBOR_SOLICIT:
    case ICMP6_NEIGHBOR_ADVERT:
    case ICMP6_REDIRECT:
        ndp_input(h, p, len, now_ms);
        break;
    default:
        /* destination unreachable, time exceeded, parameter problem: for
           the transports once they run over IPv6; unknown informational
           messages are dropped (RFC 4443 2.4 b) */
        break;
    }
}

/* RFC 4443 2.4 e: whether pkt may be answered with an error. */
static bool error_allowed(const uint8_t *pkt, size_t len, uint8_t type, uint8_t code)
{
    struct ip6_hdr h;
    if (ip6_parse(pkt, len, &h) != NET_OK)
        return false;
    if (ip6_is_unspecified(h.src) || ip6_is_multicast(h.src))
        return false;
    if (ip6_is_multicast(h.dst) && type != ICMP6_PACKET_TOO_BIG &&
        !(type == ICMP6_PARAM_PROBLEM && code == 2))
        return false;
    struct ip6_ext_result r;
    size_t plen = IP6_HDR_LEN + (size_t)h.plen;
    if (ip6_ext_walk(pkt, plen, h.nh, IP6_HDR_LEN, IP6_EXT_FIND, &r) == IP6_EXT_UPPER &&
        r.proto == IP6_NH_ICMPV6) {
        if (r.off >= plen)
            return false;   /* cannot tell what it is */
        uint8_t t = pkt[r.off];
        if (t < 128 || t == ICMP6_REDIRECT)
            return false;
    }
    return true;
}

static bool take_token(uint64_t now_ms)
{
    uint64_t add = (now_ms - refill_ms) * ICMP6_ERR_PER_SEC / 1000;
    if (add) {
        tokens = (uint32_t)(tokens + add > ICMP6_ERR_BURST ? ICMP6_ERR_BURST : tokens + add);
        refill_ms = now_ms;
    }
    if (!tokens)
        return false;
    tokens--;
    return true;
}

enum net_err icmp6_send_error(const uint8_t *pkt, size_t len, uint8_t type, uint8_t code,
                              uint32_t param, uint64_t now_ms)
{
    if (!error_allowed(pkt, len, type, code))
        return NET_ERR_INVALID_ARG;
    if (!take_token(now_ms)) {
        ip6_stats.icmp_rate_limited++;
        return NET_ERR_AGAIN;
    }
    size_t q = len < ERR_MAX - 8 ? len : ERR_MAX - 8;
    errbuf[0] = type;
    errbuf[1] = code;
    be32_put(errbuf + 4, param);
    memcpy(errbuf + 8, pkt, q);
    /* from the address the packet was sent to when it is ours (4.1) */
    const uint8_t *dst = pkt + 8, *to = pkt + 24;
    uint8_t src_copy[16], dst_copy[16];
    memcpy(dst_copy, dst, 16);
    memcpy(src_copy, to, 16);
    const uint8_t *src = slaac_is_mine(src_copy) ? src_copy : NULL;
    enum net_err e = icmp6_send(src, dst_copy, 0, errbuf, 8 + q);
    if (e == NET_OK)
        ip6_stats.icmp_errors_tx++;
    return e;
}
