/* A fake link and packet builders for the IPv6 unit tests (test_ipv6,
   test_ndp, test_slaac): frames sent are captured, time is a variable the
   test moves, packets are built with their ICMPv6 checksums. */
#ifndef TESTS_IP6_FAKE_H
#define TESTS_IP6_FAKE_H
#include "net/checksum.h"
#include "net/eth.h"
#include "net/icmpv6.h"
#include "net/ipv6.h"
#include "net/ndp.h"
#include "net/slaac.h"
#include "lib/bytes.h"
#include <string.h>

#define F6_MAX 64
struct f6_frame { uint8_t b[1600]; size_t len; };
static struct f6_frame f6_tx[F6_MAX];
static int f6_ntx;
static uint64_t f6_now;
static const uint8_t f6_mac[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
static const uint8_t f6_peer_mac[6] = {0x02, 0x00, 0x00, 0xaa, 0xbb, 0xcc};
/* our link-local address from f6_mac (modified EUI-64) */
static const uint8_t f6_ll[16] = {0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x50, 0x54, 0x00, 0xff, 0xfe, 0x12, 0x34, 0x56};
static const uint8_t f6_router[16] = {0xfe, 0x80, [15] = 1};
static const uint8_t f6_peer[16] = {0xfe, 0x80, [14] = 0xbe, [15] = 0xef};

static inline enum net_err f6_tx_fn(void *ctx, const uint8_t *f, size_t len)
{
    (void)ctx;
    if (f6_ntx < F6_MAX && len <= sizeof f6_tx[0].b) {
        memcpy(f6_tx[f6_ntx].b, f, len);
        f6_tx[f6_ntx].len = len;
        f6_ntx++;
    }
    return NET_OK;
}

/* Starts the layer with cfg (NULL: defaults, enabled) at time 0. */
static inline void f6_start(const struct ip6_config *cfg)
{
    struct ip6_config def = {.enabled = true};
    struct ip6_link l = {.tx = f6_tx_fn};
    memcpy(l.mac, f6_mac, 6);
    memset(&ip6_stats, 0, sizeof ip6_stats);
    f6_ntx = 0;
    f6_now = 0;
    ip6_init(&l, cfg ? cfg : &def, 0);
}

static inline void f6_advance(uint64_t ms)
{
    uint64_t end = f6_now + ms;
    while (f6_now < end) {
        f6_now += f6_now + 100 < end ? 100 : end - f6_now;
        ip6_timers(f6_now);
    }
}

/* Starts and lets the link-local address pass DAD; clears the captures. */
static inline void f6_start_ready(const struct ip6_config *cfg)
{
    f6_start(cfg);
    f6_advance(1500);
    f6_ntx = 0;
}

/* Writes an IPv6 packet into out: header, then body[0..n); an ICMPv6 body
   (nh 58 and icmp) gets its checksum. Returns the length. */
static inline size_t f6_packet(uint8_t *out, const uint8_t src[16], const uint8_t dst[16], uint8_t nh,
                        uint8_t hlim, const uint8_t *body, size_t n, int icmp)
{
    struct ip6_hdr h = {.plen = (uint16_t)n, .nh = nh, .hlim = hlim};
    memcpy(h.src, src, 16);
    memcpy(h.dst, dst, 16);
    ip6_build(out, &h);
    if (n)
        memcpy(out + IP6_HDR_LEN, body, n);
    if (icmp)
        icmp6_set_checksum(src, dst, out + IP6_HDR_LEN, n);
    return IP6_HDR_LEN + n;
}

/* An ICMPv6 message from src to dst into the stack. */
static inline void f6_icmp_in(const uint8_t src[16], const uint8_t dst[16], uint8_t hlim,
                       const uint8_t *msg, size_t n)
{
    uint8_t pkt[1600];
    size_t len = f6_packet(pkt, src, dst, IP6_NH_ICMPV6, hlim, msg, n, 1);
    ip6_input(pkt, len, f6_now);
}

/* Captured frame i: its IPv6 packet, parsed into h; the ICMPv6 message (if
   nh is 58) at *msg. Fails the test on a frame that is not IPv6. */
static inline const uint8_t *f6_sent(int i, struct ip6_hdr *h, size_t *mlen)
{
    assert_true(i < f6_ntx);
    const uint8_t *f = f6_tx[i].b;
    assert_int_equal(be16_get(f + 12), ETH_TYPE_IPV6);
    assert_memory_equal(f + 6, f6_mac, 6);
    assert_int_equal(ip6_parse(f + ETH_HDR_LEN, f6_tx[i].len - ETH_HDR_LEN, h), NET_OK);
    *mlen = h->plen;
    if (h->nh == IP6_NH_ICMPV6) {   /* every ICMPv6 message we send checks out */
        uint32_t s = inet6_pseudo_sum(h->src, h->dst, IP6_NH_ICMPV6, h->plen);
        assert_int_equal(inet_fold(inet_sum(s, f + ETH_HDR_LEN + IP6_HDR_LEN, h->plen)), 0);
    }
    return f + ETH_HDR_LEN + IP6_HDR_LEN;
}

/* Index of the first captured frame from `from` carrying ICMPv6 type t, or -1. */
static inline int f6_find(int from, uint8_t t)
{
    for (int i = from; i < f6_ntx; i++) {
        const uint8_t *p = f6_tx[i].b + ETH_HDR_LEN;
        if (be16_get(f6_tx[i].b + 12) == ETH_TYPE_IPV6 && p[6] == IP6_NH_ICMPV6 &&
            f6_tx[i].len > ETH_HDR_LEN + IP6_HDR_LEN && p[IP6_HDR_LEN] == t)
            return i;
    }
    return -1;
}

static inline int f6_count(uint8_t t)
{
    int n = 0;
    for (int i = f6_find(0, t); i >= 0; i = f6_find(i + 1, t))
        n++;
    return n;
}

/* A neighbour advertisement for target with flags and a TLLA of mac. */
static inline void f6_na_in(const uint8_t src[16], const uint8_t dst[16], const uint8_t target[16],
                     uint8_t flags, const uint8_t *mac)
{
    uint8_t m[32] = {ICMP6_NEIGHBOR_ADVERT, 0, 0, 0, flags};
    memcpy(m + 8, target, 16);
    size_t n = 24;
    if (mac) {
        m[24] = 2;
        m[25] = 1;
        memcpy(m + 26, mac, 6);
        n = 32;
    }
    f6_icmp_in(src, dst, 255, m, n);
}

#endif
