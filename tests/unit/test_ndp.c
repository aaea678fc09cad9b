/* net/ndp.c: router advertisements (the 6.1.2 checks, hostile ones: bad
   hop limit, source, code, truncation, options of length 0, zero
   lifetimes, autonomous prefixes not /64), the router,
   prefix and RDNSS lists with their lifetimes, router solicitations, the
   neighbour cache states of RFC 4861 7.3 on a fake clock, NS/NA both ways,
   redirects ignored, next-hop choice. */
#include "unit.h"
#include "ip6_fake.h"

static const uint8_t prefix1[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 1};
static const uint8_t dns1[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 0x53};
static const uint8_t dns2[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 0x54};
static const uint8_t router_mac[6] = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55};

/* An RA builder: fixed part, then options appended with the ra_* helpers. */
struct ra { uint8_t m[512]; size_t n; };

static void ra_init(struct ra *r, uint8_t hop, uint16_t life, uint32_t reach, uint32_t retrans)
{
    memset(r, 0, sizeof *r);
    r->m[0] = ICMP6_ROUTER_ADVERT;
    r->m[4] = hop;
    be16_put(r->m + 6, life);
    be32_put(r->m + 8, reach);
    be32_put(r->m + 12, retrans);
    r->n = 16;
}

static void ra_slla(struct ra *r, const uint8_t mac[6])
{
    r->m[r->n] = 1;
    r->m[r->n + 1] = 1;
    memcpy(r->m + r->n + 2, mac, 6);
    r->n += 8;
}

static void ra_mtu(struct ra *r, uint32_t mtu)
{
    r->m[r->n] = 5;
    r->m[r->n + 1] = 1;
    be32_put(r->m + r->n + 4, mtu);
    r->n += 8;
}

static void ra_pio(struct ra *r, const uint8_t p[16], uint8_t plen, uint8_t flags,
                   uint32_t valid, uint32_t pref)
{
    uint8_t *o = r->m + r->n;
    o[0] = 3;
    o[1] = 4;
    o[2] = plen;
    o[3] = flags;
    be32_put(o + 4, valid);
    be32_put(o + 8, pref);
    memcpy(o + 16, p, 16);
    r->n += 32;
}

static void ra_rdnss(struct ra *r, uint32_t life, const uint8_t *a, const uint8_t *b)
{
    uint8_t *o = r->m + r->n;
    o[0] = 25;
    o[1] = b ? 5 : 3;
    be32_put(o + 4, life);
    memcpy(o + 8, a, 16);
    if (b)
        memcpy(o + 24, b, 16);
    r->n += b ? 40 : 24;
}

static void ra_send(const struct ra *r) { f6_icmp_in(f6_router, ip6_all_nodes, 255, r->m, r->n); }

static size_t nrouters(void)
{
    struct ndp_router x[NDP_ROUTER_SLOTS];
    return ndp_routers(x, NDP_ROUTER_SLOTS);
}

static size_t nprefixes(void)
{
    struct ndp_prefix x[NDP_PREFIX_SLOTS];
    return ndp_prefixes(x, NDP_PREFIX_SLOTS);
}

static size_t ndns(void)
{
    struct ndp_dns x[NDP_DNS_SLOTS];
    return ndp_dns_servers(x, NDP_DNS_SLOTS);
}

/* Neighbour solicitations sent for target (DAD's included). */
static int ns_for(const uint8_t target[16])
{
    int n = 0;
    for (int i = f6_find(0, ICMP6_NEIGHBOR_SOLICIT); i >= 0; i = f6_find(i + 1, ICMP6_NEIGHBOR_SOLICIT))
        n += !memcmp(f6_tx[i].b + ETH_HDR_LEN + IP6_HDR_LEN + 8, target, 16);
    return n;
}

static void test_ra(void **s)
{
    (void)s;
    f6_start_ready(NULL);
    struct ra r;
    ra_init(&r, 32, 1800, 20000, 500);
    ra_slla(&r, router_mac);
    ra_mtu(&r, 1400);
    ra_pio(&r, prefix1, 64, 0xC0, 3600, 1800);
    ra_rdnss(&r, 600, dns1, dns2);
    ra_send(&r);
    assert_int_equal(ip6_stats.ra_rx, 1);
    struct ndp_router rt[4];
    assert_int_equal(ndp_routers(rt, 4), 1);
    assert_memory_equal(rt[0].addr, f6_router, 16);
    assert_int_equal(rt[0].expires_ms, f6_now + 1800000);
    struct ndp_prefix px[8];
    assert_int_equal(ndp_prefixes(px, 8), 1);
    assert_int_equal(px[0].len, 64);
    assert_memory_equal(px[0].prefix, prefix1, 16);
    struct ndp_dns d[3];
    assert_int_equal(ndp_dns_servers(d, 3), 2);
    assert_memory_equal(d[0].addr, dns1, 16);
    assert_memory_equal(d[1].addr, dns2, 16);
    assert_int_equal(ip6_hop_limit(), 32);
    assert_int_equal(ip6_link_mtu(), 1400);
    uint8_t mac[6];
    assert_int_equal(ndp_lookup(f6_router, mac), NDP_STALE);
    assert_memory_equal(mac, router_mac, 6);
    /* the A flag made an address from the prefix and our identifier */
    uint8_t a[16];
    memcpy(a, prefix1, 8);
    memcpy(a + 8, f6_ll + 8, 8);
    assert_true(slaac_is_optimistic(a));   /* RFC 4429: usable at once */
    assert_true(slaac_is_mine(a));
    /* on-link prefix: a neighbour directly; elsewhere: the router */
    uint8_t next[16], onlink[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 7};
    uint8_t far[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 2, [15] = 7};
    assert_true(ndp_next_hop(onlink, next));
    assert_memory_equal(next, onlink, 16);
    assert_true(ndp_next_hop(far, next));
    assert_memory_equal(next, f6_router, 16);
    /* the retrans timer of the RA: an unresolved neighbour is asked every 500 ms */
    f6_ntx = 0;
    uint8_t mac2[6];
    assert_int_equal(ndp_resolve(onlink, mac2, (const uint8_t *)"x", 1, f6_now), NET_ERR_AGAIN);
    f6_advance(499);
    assert_int_equal(ns_for(onlink), 1);
    f6_advance(1);
    assert_int_equal(ns_for(onlink), 2);
    struct ip6_hdr h;
    size_t n;
    const uint8_t *m = f6_sent(f6_find(0, ICMP6_NEIGHBOR_SOLICIT), &h, &n);
    /* from the optimistic address of the same scope, and (RFC 4429 3.3)
       without an SLLA option: it must not override the neighbour's cache */
    assert_memory_equal(h.src, a, 16);
    assert_int_equal(n, 24);
    assert_memory_equal(m + 8, onlink, 16);
    /* once DAD is over, the address is preferred and the option is back */
    f6_advance(SLAAC_DAD_RETRANS_MS);
    assert_false(slaac_is_optimistic(a));
    f6_ntx = 0;
    assert_int_equal(ndp_send_ns(false, NULL, onlink), NET_OK);
    m = f6_sent(0, &h, &n);
    assert_memory_equal(h.src, a, 16);
    assert_int_equal(n, 32);
    assert_int_equal(m[24], 1);
    assert_memory_equal(m + 26, f6_mac, 6);
}

static void test_ra_hostile(void **s)
{
    (void)s;
    f6_start_ready(NULL);
    struct ra r;
    /* hop limit other than 255 */
    ra_init(&r, 32, 1800, 0, 0);
    ra_pio(&r, prefix1, 64, 0xC0, 3600, 1800);
    f6_icmp_in(f6_router, ip6_all_nodes, 254, r.m, r.n);
    /* a source that is not link-local */
    f6_icmp_in(dns1, ip6_all_nodes, 255, r.m, r.n);
    /* code 1 */
    r.m[1] = 1;
    ra_send(&r);
    r.m[1] = 0;
    /* shorter than 16 bytes */
    f6_icmp_in(f6_router, ip6_all_nodes, 255, r.m, 15);
    /* an option of length 0 after a good prefix: the whole RA is dropped */
    ra_init(&r, 32, 1800, 0, 0);
    ra_pio(&r, prefix1, 64, 0xC0, 3600, 1800);
    r.n += 8;   /* type 0, length 0 */
    ra_send(&r);
    /* an option running past the end */
    ra_init(&r, 32, 1800, 0, 0);
    ra_pio(&r, prefix1, 64, 0xC0, 3600, 1800);
    r.m[r.n] = 25;
    r.m[r.n + 1] = 3;
    r.n += 8;
    ra_send(&r);
    assert_int_equal(ip6_stats.nd_invalid, 6);
    assert_int_equal(ip6_stats.ra_rx, 0);
    assert_int_equal(nrouters(), 0);
    assert_int_equal(nprefixes(), 0);
    assert_int_equal(ndns(), 0);
    assert_int_equal(ip6_hop_limit(), IP6_HOP_LIMIT);
    /* valid RA, hostile options: each ignored alone */
    ra_init(&r, 0, 0, 0, 0);   /* no hop limit, not a default router */
    ra_mtu(&r, 1000);          /* below 1280 */
    ra_mtu(&r, 9000);          /* above the link's */
    ra_pio(&r, prefix1, 48, 0xC0, 3600, 1800);   /* /48: on-link yes, no address */
    ra_pio(&r, (uint8_t[16]){0xfe, 0x80}, 64, 0xC0, 3600, 1800);   /* link-local */
    ra_pio(&r, dns2, 64, 0x40, 100, 200);        /* preferred > valid */
    ra_pio(&r, dns1, 200, 0x80, 100, 100);       /* prefix length > 128 */
    r.m[r.n] = 3;                               /* a PIO of length 3 */
    r.m[r.n + 1] = 3;
    r.n += 24;
    r.m[r.n] = 25;                              /* RDNSS of even length */
    r.m[r.n + 1] = 4;
    be32_put(r.m + r.n + 4, 100);
    memcpy(r.m + r.n + 8, dns1, 16);
    r.n += 32;
    r.m[r.n] = 25;                              /* RDNSS of length 2 */
    r.m[r.n + 1] = 2;
    be32_put(r.m + r.n + 4, 100);
    r.n += 16;
    ra_rdnss(&r, 100, ip6_all_nodes, NULL);      /* a multicast server */
    ra_send(&r);
    assert_int_equal(ip6_stats.ra_rx, 1);
    assert_int_equal(ip6_link_mtu(), 1500);
    assert_int_equal(ip6_hop_limit(), IP6_HOP_LIMIT);
    assert_int_equal(nrouters(), 0);
    struct ndp_prefix px[8];
    assert_int_equal(ndp_prefixes(px, 8), 1);    /* only the /48 on-link */
    assert_int_equal(px[0].len, 48);
    assert_int_equal(ip6_stats.prefix_ignored, 1);
    assert_int_equal(ndns(), 0);
    struct slaac_addr sa[SLAAC_ADDRS];
    assert_int_equal(slaac_addrs(sa, SLAAC_ADDRS), 1);   /* the link-local one only */
}

static void test_lifetimes(void **s)
{
    (void)s;
    f6_start_ready(NULL);
    struct ra r;
    ra_init(&r, 0, 10, 0, 0);
    ra_pio(&r, prefix1, 64, 0x80, 20, 20);
    ra_rdnss(&r, 30, dns1, NULL);
    ra_send(&r);
    assert_int_equal(nrouters(), 1);
    assert_int_equal(nprefixes(), 1);
    assert_int_equal(ndns(), 1);
    f6_advance(9900);
    assert_int_equal(nrouters(), 1);
    f6_advance(100);
    assert_int_equal(nrouters(), 0);     /* router lifetime 10 s */
    assert_int_equal(nprefixes(), 1);
    f6_advance(10000);
    assert_int_equal(nprefixes(), 0);    /* valid lifetime 20 s */
    assert_int_equal(ndns(), 1);
    f6_advance(10000);
    assert_int_equal(ndns(), 0);         /* RDNSS lifetime 30 s */
    /* zero lifetimes remove at once */
    ra_init(&r, 0, 600, 0, 0);
    ra_pio(&r, prefix1, 64, 0x80, 600, 600);
    ra_rdnss(&r, 600, dns1, dns2);
    ra_send(&r);
    assert_int_equal(nrouters(), 1);
    assert_int_equal(nprefixes(), 1);
    assert_int_equal(ndns(), 2);
    ra_init(&r, 0, 0, 0, 0);
    ra_pio(&r, prefix1, 64, 0x80, 0, 0);
    ra_rdnss(&r, 0, dns2, NULL);
    ra_send(&r);
    assert_int_equal(nrouters(), 0);
    assert_int_equal(nprefixes(), 0);
    struct ndp_dns d[3];
    assert_int_equal(ndp_dns_servers(d, 3), 1);
    assert_memory_equal(d[0].addr, dns1, 16);
    /* infinite lifetimes stay */
    ra_init(&r, 0, 0, 0, 0);
    ra_pio(&r, prefix1, 64, 0x80, 0xFFFFFFFFu, 0xFFFFFFFFu);
    ra_send(&r);
    f6_advance(100000);
    assert_int_equal(nprefixes(), 1);
}

/* First contact with zero lifetimes creates nothing (a router lifetime 0
   is "not a default router", a valid lifetime 0 an expired prefix, an
   RDNSS lifetime 0 a server not to use); autonomous prefixes of any length
   but 64 make no address; an option of length 0 first drops the RA. */
static void test_ra_zero_and_odd(void **s)
{
    (void)s;
    f6_start_ready(NULL);
    struct ra r;
    ra_init(&r, 0, 0, 0, 0);
    ra_pio(&r, prefix1, 64, 0xC0, 0, 0);
    ra_rdnss(&r, 0, dns1, NULL);
    ra_send(&r);
    assert_int_equal(ip6_stats.ra_rx, 1);
    assert_int_equal(nrouters(), 0);
    assert_int_equal(nprefixes(), 0);
    assert_int_equal(ndns(), 0);
    struct slaac_addr sa[SLAAC_ADDRS];
    assert_int_equal(slaac_addrs(sa, SLAAC_ADDRS), 1);   /* the link-local one only */
    /* autonomous /56, /72, /96, /128: no address; on-link all the same */
    const uint8_t plens[] = {56, 72, 96, 128};
    uint64_t ignored = ip6_stats.prefix_ignored;
    ra_init(&r, 0, 0, 0, 0);
    for (size_t i = 0; i < sizeof plens; i++)
        ra_pio(&r, prefix1, plens[i], 0xC0, 3600, 1800);
    ra_send(&r);
    assert_int_equal(ip6_stats.prefix_ignored, ignored + sizeof plens);
    assert_int_equal(slaac_addrs(sa, SLAAC_ADDRS), 1);
    assert_int_equal(nprefixes(), sizeof plens);
    /* an option of length 0 before good ones: the RA is dropped whole */
    uint64_t invalid = ip6_stats.nd_invalid, rx = ip6_stats.ra_rx;
    ra_init(&r, 0, 1800, 0, 0);
    r.n += 8;                                    /* type 0, length 0 */
    ra_pio(&r, prefix1, 64, 0xC0, 3600, 1800);
    ra_rdnss(&r, 600, dns1, NULL);
    ra_send(&r);
    /* a known type (RDNSS) of length 0 likewise */
    ra_init(&r, 0, 1800, 0, 0);
    ra_pio(&r, prefix1, 64, 0xC0, 3600, 1800);
    r.m[r.n] = 25;
    r.n += 8;
    ra_send(&r);
    assert_int_equal(ip6_stats.nd_invalid, invalid + 2);
    assert_int_equal(ip6_stats.ra_rx, rx);
    assert_int_equal(nrouters(), 0);
    assert_int_equal(ndns(), 0);
    assert_int_equal(slaac_addrs(sa, SLAAC_ADDRS), 1);
}

static void test_router_solicit(void **s)
{
    (void)s;
    f6_start(NULL);
    f6_advance(12100);
    assert_int_equal(ip6_stats.rs_tx, NDP_RS_COUNT);
    int first = f6_find(0, ICMP6_ROUTER_SOLICIT);
    struct ip6_hdr h;
    size_t n;
    const uint8_t *m = f6_sent(first, &h, &n);
    assert_true(ip6_is_unspecified(h.src));   /* before DAD: from ::, no SLLA */
    assert_int_equal(n, 8);
    assert_memory_equal(h.dst, ip6_all_routers, 16);
    assert_int_equal(h.hlim, 255);
    assert_memory_equal(f6_tx[first].b, ((uint8_t[]){0x33, 0x33, 0, 0, 0, 2}), 6);
    int second = f6_find(first + 1, ICMP6_ROUTER_SOLICIT);
    m = f6_sent(second, &h, &n);
    assert_memory_equal(h.src, f6_ll, 16);     /* then from the link-local address */
    assert_int_equal(n, 16);
    assert_int_equal(m[8], 1);
    assert_memory_equal(m + 10, f6_mac, 6);
    /* an RA stops the solicitations */
    f6_start(NULL);
    f6_advance(100);
    struct ra r;
    ra_init(&r, 0, 600, 0, 0);
    ra_send(&r);
    f6_advance(20000);
    assert_int_equal(ip6_stats.rs_tx, 1);
}

/* The NS we sent at i: a solicitation for target. */
static void check_ns(int i, const uint8_t target[16], bool multicast)
{
    struct ip6_hdr h;
    size_t n;
    const uint8_t *m = f6_sent(i, &h, &n);
    assert_int_equal(m[0], ICMP6_NEIGHBOR_SOLICIT);
    assert_int_equal(h.hlim, 255);
    assert_memory_equal(m + 8, target, 16);
    assert_int_equal(n, 32);
    assert_int_equal(m[24], 1);   /* our SLLA */
    assert_memory_equal(m + 26, f6_mac, 6);
    uint8_t sn[16];
    ip6_solicited_node(target, sn);
    if (multicast) {
        assert_memory_equal(h.dst, sn, 16);
    } else {
        assert_memory_equal(h.dst, target, 16);
        assert_memory_equal(f6_tx[i].b, f6_peer_mac, 6);
    }
}

static void test_neighbour_states(void **s)
{
    (void)s;
    f6_start_ready(NULL);
    uint8_t mac[6];
    /* no answer: three multicast solicitations a second apart, then gone */
    assert_int_equal(ndp_resolve(f6_peer, mac, (const uint8_t *)"q1", 2, f6_now), NET_ERR_AGAIN);
    assert_int_equal(ndp_lookup(f6_peer, NULL), NDP_INCOMPLETE);
    assert_int_equal(f6_ntx, 1);
    check_ns(0, f6_peer, true);
    f6_advance(999);
    assert_int_equal(ns_for(f6_peer), 1);
    f6_advance(1);
    assert_int_equal(ns_for(f6_peer), 2);
    check_ns(f6_find(1, ICMP6_NEIGHBOR_SOLICIT), f6_peer, true);
    f6_advance(1000);
    assert_int_equal(ns_for(f6_peer), 3);
    f6_advance(1000);
    assert_int_equal(ns_for(f6_peer), 3);
    assert_int_equal(ndp_lookup(f6_peer, NULL), NDP_NONE);
    assert_int_equal(ip6_stats.nd_failed, 1);
    assert_int_equal(ip6_stats.nd_queue_drops, 1);

    /* answered: REACHABLE, and the waiting packet goes out */
    f6_ntx = 0;
    uint8_t pkt[64];
    size_t len = f6_packet(pkt, f6_ll, f6_peer, 59, 64, NULL, 0, 0);
    assert_int_equal(ndp_resolve(f6_peer, mac, pkt, len, f6_now), NET_ERR_AGAIN);
    f6_na_in(f6_peer, f6_ll, f6_peer, 0x40, f6_peer_mac);
    assert_int_equal(ndp_lookup(f6_peer, mac), NDP_REACHABLE);
    assert_memory_equal(mac, f6_peer_mac, 6);
    assert_int_equal(f6_ntx, 2);
    assert_memory_equal(f6_tx[1].b, f6_peer_mac, 6);
    assert_memory_equal(f6_tx[1].b + ETH_HDR_LEN, pkt, len);
    /* ReachableTime over: STALE; sending: DELAY; 5 s on: PROBE by unicast */
    f6_advance(NDP_REACHABLE_MS);
    assert_int_equal(ndp_lookup(f6_peer, NULL), NDP_STALE);
    f6_ntx = 0;
    assert_int_equal(ndp_resolve(f6_peer, mac, pkt, len, f6_now), NET_OK);
    assert_int_equal(ndp_lookup(f6_peer, NULL), NDP_DELAY);
    f6_advance(NDP_DELAY_MS);
    assert_int_equal(ndp_lookup(f6_peer, NULL), NDP_PROBE);
    assert_int_equal(f6_ntx, 1);
    check_ns(0, f6_peer, false);
    /* a solicited NA: REACHABLE again */
    f6_na_in(f6_peer, f6_ll, f6_peer, 0x40, f6_peer_mac);
    assert_int_equal(ndp_lookup(f6_peer, NULL), NDP_REACHABLE);
    /* upper-layer confirmation in DELAY */
    f6_advance(NDP_REACHABLE_MS);
    ndp_resolve(f6_peer, mac, pkt, len, f6_now);
    assert_int_equal(ndp_lookup(f6_peer, NULL), NDP_DELAY);
    ndp_confirm(f6_peer, f6_now);
    assert_int_equal(ndp_lookup(f6_peer, NULL), NDP_REACHABLE);
    /* PROBE unanswered: three unicast probes, then the entry goes */
    f6_advance(NDP_REACHABLE_MS);
    ndp_resolve(f6_peer, mac, pkt, len, f6_now);
    f6_ntx = 0;
    f6_advance(NDP_DELAY_MS + 3000);
    assert_int_equal(ns_for(f6_peer), NDP_MAX_UNICAST_SOLICIT);
    for (int i = f6_find(0, ICMP6_NEIGHBOR_SOLICIT); i >= 0; i = f6_find(i + 1, ICMP6_NEIGHBOR_SOLICIT))
        check_ns(i, f6_peer, false);
    assert_int_equal(ndp_lookup(f6_peer, NULL), NDP_NONE);
    assert_string_equal(ndp_state_str(NDP_PROBE), "probe");
}

static void test_advert_override(void **s)
{
    (void)s;
    f6_start_ready(NULL);
    uint8_t mac[6], other[6] = {0x02, 9, 9, 9, 9, 9};
    ndp_resolve(f6_peer, mac, (const uint8_t *)"x", 1, f6_now);
    /* an NA without TLLA cannot complete an INCOMPLETE entry */
    f6_na_in(f6_peer, f6_ll, f6_peer, 0x40, NULL);
    assert_int_equal(ndp_lookup(f6_peer, NULL), NDP_INCOMPLETE);
    /* unsolicited: STALE */
    f6_na_in(f6_peer, ip6_all_nodes, f6_peer, 0x20, f6_peer_mac);
    assert_int_equal(ndp_lookup(f6_peer, NULL), NDP_STALE);
    f6_na_in(f6_peer, f6_ll, f6_peer, 0x40, f6_peer_mac);
    assert_int_equal(ndp_lookup(f6_peer, NULL), NDP_REACHABLE);
    /* no override, another address: REACHABLE -> STALE, address kept */
    f6_na_in(f6_peer, f6_ll, f6_peer, 0x40, other);
    assert_int_equal(ndp_lookup(f6_peer, mac), NDP_STALE);
    assert_memory_equal(mac, f6_peer_mac, 6);
    /* override, unsolicited: the new address, STALE */
    f6_na_in(f6_peer, ip6_all_nodes, f6_peer, 0x20, other);
    assert_int_equal(ndp_lookup(f6_peer, mac), NDP_STALE);
    assert_memory_equal(mac, other, 6);
    /* S set on an NA to a multicast address: invalid */
    uint64_t inv = ip6_stats.nd_invalid;
    f6_na_in(f6_peer, ip6_all_nodes, f6_peer, 0x60, f6_peer_mac);
    assert_int_equal(ip6_stats.nd_invalid, inv + 1);
    assert_int_equal(ndp_lookup(f6_peer, mac), NDP_STALE);
    assert_memory_equal(mac, other, 6);
    /* a router that says it is no longer one leaves the router list */
    struct ra r;
    ra_init(&r, 0, 600, 0, 0);
    ra_slla(&r, router_mac);
    ra_send(&r);
    assert_int_equal(nrouters(), 1);
    f6_na_in(f6_router, f6_ll, f6_router, 0xC0, router_mac);   /* R set */
    assert_int_equal(nrouters(), 1);
    f6_na_in(f6_router, f6_ll, f6_router, 0x40, router_mac);   /* R clear */
    assert_int_equal(nrouters(), 0);
}

static void test_solicit_in(void **s)
{
    (void)s;
    f6_start_ready(NULL);
    uint8_t ns[32] = {ICMP6_NEIGHBOR_SOLICIT};
    memcpy(ns + 8, f6_ll, 16);
    ns[24] = 1;
    ns[25] = 1;
    memcpy(ns + 26, f6_peer_mac, 6);
    uint8_t sn[16];
    ip6_solicited_node(f6_ll, sn);
    f6_icmp_in(f6_peer, sn, 255, ns, 32);
    assert_int_equal(f6_ntx, 1);
    struct ip6_hdr h;
    size_t n;
    const uint8_t *m = f6_sent(0, &h, &n);
    assert_int_equal(m[0], ICMP6_NEIGHBOR_ADVERT);
    assert_int_equal(m[4], 0x60);                 /* S and O */
    assert_memory_equal(m + 8, f6_ll, 16);
    assert_int_equal(m[24], 2);
    assert_memory_equal(m + 26, f6_mac, 6);
    assert_memory_equal(h.src, f6_ll, 16);
    assert_memory_equal(h.dst, f6_peer, 16);
    assert_int_equal(h.hlim, 255);
    assert_memory_equal(f6_tx[0].b, f6_peer_mac, 6);   /* learnt from the SLLA */
    /* DAD by another node for our address: NA to all nodes, S clear */
    uint8_t dad[24] = {ICMP6_NEIGHBOR_SOLICIT};
    memcpy(dad + 8, f6_ll, 16);
    f6_icmp_in((uint8_t[16]){0}, sn, 255, dad, 24);
    assert_int_equal(f6_ntx, 2);
    m = f6_sent(1, &h, &n);
    assert_int_equal(m[4], 0x20);
    assert_memory_equal(h.dst, ip6_all_nodes, 16);
    /* invalid: from :: with an SLLA, from :: to a unicast address, hop
       limit 64, a multicast target, code 1; a target not ours: no answer */
    uint64_t inv = ip6_stats.nd_invalid;
    f6_icmp_in((uint8_t[16]){0}, sn, 255, ns, 32);
    f6_icmp_in((uint8_t[16]){0}, f6_ll, 255, dad, 24);
    f6_icmp_in(f6_peer, sn, 64, ns, 32);
    uint8_t mt[24] = {ICMP6_NEIGHBOR_SOLICIT};
    memcpy(mt + 8, ip6_all_nodes, 16);
    f6_icmp_in(f6_peer, sn, 255, mt, 24);
    ns[1] = 1;
    f6_icmp_in(f6_peer, sn, 255, ns, 32);
    ns[1] = 0;
    ns[25] = 0;   /* an option of length 0 */
    f6_icmp_in(f6_peer, sn, 255, ns, 32);
    assert_int_equal(ip6_stats.nd_invalid, inv + 6);
    memcpy(ns + 8, f6_peer, 16);
    ns[25] = 1;
    f6_icmp_in(f6_peer, f6_ll, 255, ns, 32);
    assert_int_equal(f6_ntx, 2);
}

static void test_redirect_ignored(void **s)
{
    (void)s;
    f6_start_ready(NULL);
    struct ra r;
    ra_init(&r, 0, 600, 0, 0);
    ra_send(&r);
    const uint8_t far[16] = {0x20, 0x01, 0x0d, 0xb8, 9, [15] = 1};
    uint8_t red[40] = {ICMP6_REDIRECT};
    memcpy(red + 8, f6_peer, 16);   /* "better first hop" */
    memcpy(red + 24, far, 16);
    f6_icmp_in(f6_router, f6_ll, 255, red, sizeof red);
    assert_int_equal(ip6_stats.redirects_ignored, 1);
    uint8_t next[16];
    assert_true(ndp_next_hop(far, next));
    assert_memory_equal(next, f6_router, 16);
    assert_int_equal(ndp_lookup(f6_peer, NULL), NDP_NONE);
    assert_int_equal(f6_ntx, 0);
}

static void test_next_hop(void **s)
{
    (void)s;
    f6_start_ready(NULL);
    uint8_t next[16];
    const uint8_t far[16] = {0x20, 0x01, 0x0d, 0xb8, 9, [15] = 1};
    assert_false(ndp_next_hop(far, next));           /* no router: no route */
    assert_true(ndp_next_hop(f6_peer, next));        /* link-local: on-link */
    assert_memory_equal(next, f6_peer, 16);
    /* two routers: the one whose link address is known is taken */
    const uint8_t r2[16] = {0xfe, 0x80, [15] = 2};
    struct ra r;
    ra_init(&r, 0, 600, 0, 0);
    ra_send(&r);
    ra_slla(&r, router_mac);
    f6_icmp_in(r2, ip6_all_nodes, 255, r.m, r.n);
    assert_int_equal(nrouters(), 2);
    assert_true(ndp_next_hop(far, next));
    assert_memory_equal(next, r2, 16);
    /* a static router and prefix never expire */
    uint8_t gw[16] = {0xfe, 0x80, [15] = 9};
    ndp_add_static_router(gw);
    ndp_add_static_prefix(far, 64);
    f6_advance(700000);
    struct ndp_router rt[4];
    assert_int_equal(ndp_routers(rt, 4), 1);
    assert_memory_equal(rt[0].addr, gw, 16);
    assert_true(ndp_next_hop(far, next));
    assert_memory_equal(next, far, 16);   /* on-link now */
    (void)f6_count;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ra),
        cmocka_unit_test(test_ra_hostile),
        cmocka_unit_test(test_lifetimes),
        cmocka_unit_test(test_ra_zero_and_odd),
        cmocka_unit_test(test_router_solicit),
        cmocka_unit_test(test_neighbour_states),
        cmocka_unit_test(test_advert_override),
        cmocka_unit_test(test_solicit_in),
        cmocka_unit_test(test_redirect_ignored),
        cmocka_unit_test(test_next_hop),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
