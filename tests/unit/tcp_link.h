/* Host-test plumbing for TCP (tests/unit/test_tcp.c): a fake clock, a
   deterministic random source for net_random (ISNs, ports), and the segment
   output of net/tcp*.c plugged into one of two sinks:
     - a capture list (scripted-peer tests read what the stack emitted);
     - an in-memory link (loopback tests): every segment is queued with a
       delivery time and, driven by a seeded PRNG, dropped, duplicated,
       delayed past later segments (reorder) or corrupted by one bit flip.
   link_step() delivers what is due through tcp_input (IPv4) or tcp_input6
   (IPv6) and runs tcp_timers. IPv6 segments are held to the link MTU (a
   larger one aborts: ip6_output would refuse it) and, with link_path_mtu6,
   to a smaller router MTU on the way (dropped, reported to link_ptb). */
#ifndef TESTS_TCP_LINK_H
#define TESTS_TCP_LINK_H
#include "net/net.h"
#include "net/tcp_int.h"
#include <stdlib.h>
#include <string.h>

#define SEG_MAX (TCP_HDR_MAX + 1500)

/* The socket API's address (lib/ip_addr.h) of a host-order ip4_addr, as a
   pointer valid in the enclosing block: tcp_connect(ADDR(PEER), ...). */
#define ADDR(a) ((const struct ip_addr[1]){ip_addr_v4(a)})

static uint64_t now_ms;

/* ---- deterministic randomness ---- */
static uint64_t rng_state = 1;
static uint32_t rng_next(uint64_t *st)
{
    *st = *st * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(*st >> 33);
}
static int test_random(void *out, size_t len)
{
    uint8_t *p = out;
    for (size_t i = 0; i < len; i++)
        p[i] = (uint8_t)rng_next(&rng_state);
    return 0;
}
static int no_random(void *out, size_t len) { (void)out; (void)len; return -1; }

/* ---- capture ---- */
/* dst: the IPv4 destination (0 for IPv6); src6/dst6 both families */
struct cap_seg { ip4_addr dst; struct ip_addr src6, dst6; size_t len; uint8_t b[SEG_MAX]; };
#define CAP_MAX 1024
static struct cap_seg *cap;
static int cap_n;

/* ---- link ---- */
struct link_cfg {
    uint32_t delay_ms;                       /* one-way */
    unsigned drop, dup, reorder, corrupt;    /* per mille */
    uint64_t seed;
};
struct link_pkt {
    uint64_t due, order;
    struct ip_addr src, dst;
    size_t len;
    uint8_t b[SEG_MAX];
};
#define LINK_MAX 4096
static struct link_pkt *lq;
static int lq_n;
static bool link_on;
static struct link_cfg lcfg;
static uint64_t link_rng, link_order;
static ip4_addr link_ip;
static struct { uint64_t sent, dropped, duped, reordered, corrupted, delivered, too_big; } lstat;
/* IPv6 packets larger than this (header included) are dropped, as the link
   layer would refuse them (0: no limit) */
static size_t link_mtu6 = 1500;
/* A router on the path: IPv6 packets larger than this (0: none) are dropped
   and reported to link_ptb (the test sends the Packet Too Big) */
static size_t link_path_mtu6;
static void (*link_ptb)(const struct ip_addr *src, const struct ip_addr *dst, const uint8_t *seg,
                        size_t len);

static void link_push(const struct ip_addr *src, const struct ip_addr *dst, const uint8_t *b,
                      size_t len, uint64_t due)
{
    if (lq_n >= LINK_MAX)
        abort();                             /* a test bug: nothing drains the link */
    struct link_pkt *p = &lq[lq_n++];
    p->due = due;
    p->order = link_order++;
    p->src = *src;
    p->dst = *dst;
    p->len = len;
    memcpy(p->b, b, len);
}

static bool chance(unsigned per_mille) { return per_mille && rng_next(&link_rng) % 1000 < per_mille; }

static enum net_err test_out(const struct ip_addr *src, const struct ip_addr *dst, uint8_t proto,
                             const void *hdr, size_t hlen, const void *payload, size_t plen)
{
    uint8_t b[SEG_MAX];
    if (proto != IPV4_PROTO_TCP || hlen + plen > SEG_MAX || src->family != dst->family ||
        (!ip_addr_is_v4(dst) && !ip_addr_is_v6(dst)))
        abort();
    bool v6 = ip_addr_is_v6(dst);
    if (v6 && link_mtu6 && IP6_HDR_LEN + hlen + plen > link_mtu6)
        abort();   /* the IP layer would refuse it: a stack bug */
    if (!v6 && IPV4_HDR_LEN + hlen + plen > ipv4_mtu())
        abort();   /* the same for IPv4 */
    memcpy(b, hdr, hlen);
    if (plen)
        memcpy(b + hlen, payload, plen);
    size_t len = hlen + plen;
    if (!link_on) {
        if (cap_n >= CAP_MAX)
            abort();
        cap[cap_n].dst = ip_addr_v4_value(dst);
        cap[cap_n].src6 = *src;
        cap[cap_n].dst6 = *dst;
        cap[cap_n].len = len;
        memcpy(cap[cap_n].b, b, len);
        cap_n++;
        return NET_OK;
    }
    lstat.sent++;
    if (v6 && link_path_mtu6 && IP6_HDR_LEN + len > link_path_mtu6) {
        lstat.too_big++;
        if (link_ptb)
            link_ptb(src, dst, b, len);
        return NET_OK;
    }
    if (chance(lcfg.drop)) {
        lstat.dropped++;
        return NET_OK;
    }
    if (chance(lcfg.corrupt)) {
        lstat.corrupted++;
        uint32_t bit = rng_next(&link_rng) % (uint32_t)(len * 8);
        b[bit / 8] ^= (uint8_t)(1u << (bit % 8));
    }
    uint64_t due = now_ms + lcfg.delay_ms;
    if (chance(lcfg.reorder)) {
        lstat.reordered++;
        due += 1 + rng_next(&link_rng) % (3 * lcfg.delay_ms + 5);
    }
    link_push(src, dst, b, len, due);
    if (chance(lcfg.dup)) {
        lstat.duped++;
        link_push(src, dst, b, len, due + rng_next(&link_rng) % (lcfg.delay_ms + 3));
    }
    return NET_OK;
}

/* Fresh TCP state, sinks reset, clock at 1000 ms. */
static void tcp_test_reset(void)
{
    if (!cap)
        cap = malloc(sizeof *cap * CAP_MAX);
    if (!lq)
        lq = malloc(sizeof *lq * LINK_MAX);
    if (!cap || !lq)
        abort();
    cap_n = 0;
    lq_n = 0;
    link_on = false;
    memset(&lstat, 0, sizeof lstat);
    rng_state = 1;
    link_mtu6 = 1500;
    link_path_mtu6 = 0;
    link_ptb = NULL;
    net_set_random(test_random);
    memset(&net_stats, 0, sizeof net_stats);
    tcp_reset_all();
    tcp_set_output(test_out);
    tcp_set_local_addr6(NULL);
    now_ms = 1000;
    tcp_timers(now_ms);
}

static void link_start(ip4_addr ip, const struct link_cfg *c)
{
    link_on = true;
    link_ip = ip;
    lcfg = *c;
    if (lcfg.delay_ms == 0)
        lcfg.delay_ms = 1;                   /* delivery strictly after sending */
    link_rng = c->seed * 0x9E3779B97F4A7C15ull + 7;
    link_order = 0;
    lq_n = 0;
    tcp_set_local_addr(ip);
}

/* Delivers every segment due at now_ms (in due, then send order), runs the
   timers, then advances the clock by step ms. */
static void link_step(uint32_t step)
{
    for (;;) {
        int best = -1;
        for (int i = 0; i < lq_n; i++)
            if (lq[i].due <= now_ms &&
                (best < 0 || lq[i].due < lq[best].due ||
                 (lq[i].due == lq[best].due && lq[i].order < lq[best].order)))
                best = i;
        if (best < 0)
            break;
        static struct link_pkt p;
        p = lq[best];
        lq[best] = lq[--lq_n];
        lstat.delivered++;
        if (ip_addr_is_v6(&p.dst)) {
            struct ip6_hdr h = {.plen = (uint16_t)p.len, .nh = IP6_NH_TCP, .hlim = 64};
            memcpy(h.src, p.src.bytes, 16);
            memcpy(h.dst, p.dst.bytes, 16);
            tcp_input6(&h, p.b, p.len);
        } else {
            tcp_input(link_ip, ip_addr_v4_value(&p.dst), p.b, p.len);
        }
    }
    tcp_timers(now_ms);
    now_ms += step;
}

#endif
