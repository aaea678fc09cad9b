/* net/slaac.c: the modified EUI-64 identifier, duplicate address detection
   (the NS from ::, the solicited-node group, conflicts by NS and by NA,
   tentative static addresses neither used nor answered on), optimistic DAD
   (RFC 4429: link-local and prefix addresses usable at once, a conflict
   removes them for good, NS/NA/RS option rules of 3.3, preferred before
   optimistic as a source), addresses from /64
   prefixes only, lifetimes with the two-hour rule of RFC 4862 5.5.3 e,
   static addresses, source choice; on the fake link and clock. */
#include "unit.h"
#include "ip6_fake.h"

#define HOUR 3600000ull
static const uint8_t prefix1[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 1};
static const uint8_t far[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 9, [15] = 1};

static void addr_of(const uint8_t prefix[16], uint8_t out[16])
{
    memcpy(out, prefix, 8);
    memcpy(out + 8, f6_ll + 8, 8);
}

static const struct slaac_addr *entry(const uint8_t a[16])
{
    static struct slaac_addr list[SLAAC_ADDRS];
    size_t n = slaac_addrs(list, SLAAC_ADDRS);
    for (size_t i = 0; i < n; i++)
        if (!memcmp(list[i].addr, a, 16))
            return &list[i];
    return NULL;
}

static enum slaac_state state_of(const uint8_t a[16])
{
    const struct slaac_addr *e = entry(a);
    return e ? (enum slaac_state)e->state : SLAAC_UNUSED;
}

static void test_eui64(void **s)
{
    (void)s;
    uint8_t iid[8];
    slaac_eui64(f6_mac, iid);
    assert_memory_equal(iid, ((uint8_t[]){0x50, 0x54, 0x00, 0xff, 0xfe, 0x12, 0x34, 0x56}), 8);
    /* RFC 4291 appendix A's example: 34-56-78-9A-BC-DE */
    slaac_eui64((uint8_t[]){0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde}, iid);
    assert_memory_equal(iid, ((uint8_t[]){0x36, 0x56, 0x78, 0xff, 0xfe, 0x9a, 0xbc, 0xde}), 8);
}

static int lost_calls;
static uint8_t lost_addr[16];
static void on_lost(const uint8_t a[16])
{
    lost_calls++;
    memcpy(lost_addr, a, 16);
}

static void test_dad(void **s)
{
    (void)s;
    f6_start(NULL);
    /* RFC 4429: the link-local address is optimistic, a source at once */
    assert_int_equal(state_of(f6_ll), SLAAC_OPTIMISTIC);
    assert_string_equal(slaac_state_str(SLAAC_OPTIMISTIC), "optimistic");
    uint8_t src[16], sn[16];
    assert_true(slaac_is_mine(f6_ll));
    assert_false(slaac_is_tentative(f6_ll));
    assert_true(slaac_source(f6_peer, src));
    assert_memory_equal(src, f6_ll, 16);
    ip6_solicited_node(f6_ll, sn);
    assert_true(slaac_listens(sn));
    assert_true(slaac_listens(ip6_all_nodes));
    assert_false(slaac_listens(ip6_all_routers));
    f6_advance(100);
    int i = f6_find(0, ICMP6_NEIGHBOR_SOLICIT);
    assert_true(i >= 0);
    struct ip6_hdr h;
    size_t n;
    const uint8_t *m = f6_sent(i, &h, &n);
    assert_true(ip6_is_unspecified(h.src));
    assert_memory_equal(h.dst, sn, 16);
    assert_int_equal(h.hlim, 255);
    assert_int_equal(n, 24);                 /* no SLLA from :: */
    assert_memory_equal(m + 8, f6_ll, 16);
    assert_memory_equal(f6_tx[i].b, ((uint8_t[]){0x33, 0x33, 0xff, 0x12, 0x34, 0x56}), 6);
    assert_int_equal(ip6_stats.dad_ns_tx, 1);
    /* the router solicitation goes from ::, without SLLA (4429 3.3) */
    i = f6_find(0, ICMP6_ROUTER_SOLICIT);
    assert_true(i >= 0);
    f6_sent(i, &h, &n);
    assert_true(ip6_is_unspecified(h.src));
    assert_int_equal(n, 8);
    /* an NS from a unicast source for it: answered, solicited, O clear */
    f6_ntx = 0;
    uint8_t ns[32] = {ICMP6_NEIGHBOR_SOLICIT};
    memcpy(ns + 8, f6_ll, 16);
    ns[24] = 1;
    ns[25] = 1;
    memcpy(ns + 26, f6_peer_mac, 6);
    f6_icmp_in(f6_peer, sn, 255, ns, 32);
    i = f6_find(0, ICMP6_NEIGHBOR_ADVERT);
    assert_true(i >= 0);
    m = f6_sent(i, &h, &n);
    assert_memory_equal(h.src, f6_ll, 16);
    assert_memory_equal(h.dst, f6_peer, 16);
    assert_int_equal(m[4], 0x40);            /* S set, O (0x20) clear */
    assert_int_equal(state_of(f6_ll), SLAAC_OPTIMISTIC);
    /* RetransTimer after the last NS without an answer: preferred */
    f6_advance(SLAAC_DAD_RETRANS_MS - 100);
    assert_int_equal(state_of(f6_ll), SLAAC_OPTIMISTIC);
    f6_advance(100);
    assert_int_equal(state_of(f6_ll), SLAAC_PREFERRED);
    assert_true(slaac_is_mine(f6_ll));
    assert_true(slaac_source(f6_peer, src));
    assert_memory_equal(src, f6_ll, 16);
    assert_int_equal(ip6_stats.dad_ns_tx, SLAAC_DAD_TRANSMITS);
    assert_string_equal(slaac_state_str(SLAAC_PREFERRED), "preferred");
    /* preferred now: the NA carries the O flag again */
    f6_ntx = 0;
    f6_icmp_in(f6_peer, sn, 255, ns, 32);
    m = f6_sent(f6_find(0, ICMP6_NEIGHBOR_ADVERT), &h, &n);
    assert_int_equal(m[4], 0x60);
}

static void test_dad_conflicts(void **s)
{
    (void)s;
    /* another node's DAD (an NS from ::) for our tentative address */
    f6_start(NULL);
    lost_calls = 0;
    slaac_set_conflict_hook(on_lost);
    f6_advance(100);
    uint8_t src[16], sn[16], dad[24] = {ICMP6_NEIGHBOR_SOLICIT};
    assert_true(slaac_source(f6_peer, src));   /* optimistic: in use */
    ip6_solicited_node(f6_ll, sn);
    memcpy(dad + 8, f6_ll, 16);
    f6_icmp_in((uint8_t[16]){0}, sn, 255, dad, 24);
    assert_int_equal(state_of(f6_ll), SLAAC_DUPLICATE);
    assert_int_equal(ip6_stats.dad_conflicts, 1);
    assert_int_equal(ip6_stats.dad_optimistic_lost, 1);   /* counted */
    assert_int_equal(lost_calls, 1);                      /* and reported */
    assert_memory_equal(lost_addr, f6_ll, 16);
    assert_int_equal(f6_count(ICMP6_NEIGHBOR_ADVERT), 0); /* not defended */
    f6_advance(5000);
    assert_int_equal(state_of(f6_ll), SLAAC_DUPLICATE);   /* never used again */
    assert_false(slaac_is_mine(f6_ll));
    assert_false(slaac_source(f6_peer, src));
    assert_false(slaac_listens(sn));
    slaac_set_conflict_hook(NULL);
    /* an NA for it: the address is someone else's */
    f6_start(NULL);
    f6_advance(100);
    f6_na_in(f6_peer, ip6_all_nodes, f6_ll, 0x20, f6_peer_mac);
    assert_int_equal(state_of(f6_ll), SLAAC_DUPLICATE);
    /* after DAD, the same NS is answered instead (tested in test_ndp) and
       changes nothing here */
    f6_start_ready(NULL);
    f6_icmp_in((uint8_t[16]){0}, sn, 255, dad, 24);
    assert_int_equal(state_of(f6_ll), SLAAC_PREFERRED);
}

static void test_prefix(void **s)
{
    (void)s;
    f6_start_ready(NULL);
    uint8_t a[16], src[16];
    addr_of(prefix1, a);
    slaac_prefix(prefix1, 64, 3600, 1800, f6_now);
    assert_int_equal(state_of(a), SLAAC_OPTIMISTIC);
    assert_true(slaac_source(far, src));   /* usable at once */
    assert_memory_equal(src, a, 16);
    f6_advance(1000);   /* the NS at the first tick, then RetransTimer */
    assert_int_equal(state_of(a), SLAAC_OPTIMISTIC);
    f6_advance(100);
    assert_int_equal(state_of(a), SLAAC_PREFERRED);
    assert_true(slaac_source(far, src));
    assert_memory_equal(src, a, 16);
    assert_true(slaac_source(f6_peer, src));   /* link-local stays link-local */
    assert_memory_equal(src, f6_ll, 16);
    assert_true(slaac_source(ip6_all_nodes, src));
    assert_memory_equal(src, f6_ll, 16);
    uint64_t t0 = f6_now - 1100;
    f6_advance(1800 * 1000 - 1100 - 100);
    assert_int_equal(state_of(a), SLAAC_PREFERRED);
    f6_advance(100);
    assert_int_equal(f6_now, t0 + 1800 * 1000);
    assert_int_equal(state_of(a), SLAAC_DEPRECATED);
    assert_true(slaac_is_mine(a));            /* still received on */
    assert_true(slaac_source(far, src));      /* the only global one */
    f6_advance(1800 * 1000);
    assert_int_equal(state_of(a), SLAAC_UNUSED);
    assert_false(slaac_is_mine(a));
}

static void test_prefix_hostile(void **s)
{
    (void)s;
    f6_start_ready(NULL);
    const uint8_t plens[] = {0, 8, 48, 63, 65, 80, 128};
    for (size_t i = 0; i < sizeof plens; i++)
        slaac_prefix(prefix1, plens[i], 3600, 1800, f6_now);
    assert_int_equal(ip6_stats.prefix_ignored, sizeof plens);
    slaac_prefix(prefix1, 64, 100, 200, f6_now);             /* preferred > valid */
    slaac_prefix(prefix1, 64, 0, 0, f6_now);                 /* zero lifetimes */
    slaac_prefix((uint8_t[16]){0xfe, 0x80}, 64, 100, 100, f6_now);   /* link-local */
    struct slaac_addr list[SLAAC_ADDRS];
    assert_int_equal(slaac_addrs(list, SLAAC_ADDRS), 1);
    assert_memory_equal(list[0].addr, f6_ll, 16);
    /* more prefixes than slots: the table holds what it can */
    for (int i = 0; i < 20; i++) {
        uint8_t p[16] = {0x20, 0x01, 0x0d, 0xb8, 1, (uint8_t)i};
        slaac_prefix(p, 64, 3600, 3600, f6_now);
    }
    assert_int_equal(slaac_addrs(list, SLAAC_ADDRS), SLAAC_ADDRS);
}

static void test_two_hour_rule(void **s)
{
    (void)s;
    f6_start_ready(NULL);
    uint8_t a[16];
    addr_of(prefix1, a);
    slaac_prefix(prefix1, 64, 10 * 3600, 10 * 3600, f6_now);
    f6_advance(1000);
    uint64_t now = f6_now;
    assert_int_equal(entry(a)->valid_until_ms, now - 1000 + 10 * HOUR);
    /* 1 h received, 10 h left: lowered to 2 h only */
    slaac_prefix(prefix1, 64, 3600, 1800, now);
    assert_int_equal(entry(a)->valid_until_ms, now + 2 * HOUR);
    assert_int_equal(entry(a)->preferred_until_ms, now + 1800 * 1000);
    /* a hostile zero: 2 h as well, not gone */
    slaac_prefix(prefix1, 64, 0, 0, now);
    assert_int_equal(entry(a)->valid_until_ms, now + 2 * HOUR);
    /* 2 h left: a shorter lifetime is ignored */
    slaac_prefix(prefix1, 64, 60, 0, now);
    assert_int_equal(entry(a)->valid_until_ms, now + 2 * HOUR);
    /* longer than what is left: taken */
    slaac_prefix(prefix1, 64, 3 * 3600, 3600, now);
    assert_int_equal(entry(a)->valid_until_ms, now + 3 * HOUR);
    f6_advance(2 * HOUR);   /* 1 h left */
    now = f6_now;
    slaac_prefix(prefix1, 64, 1800, 0, now);                 /* shorter: ignored */
    assert_int_equal(entry(a)->valid_until_ms, now + 1 * HOUR);
    slaac_prefix(prefix1, 64, 5400, 0, now);                 /* 1.5 h > 1 h: taken */
    assert_int_equal(entry(a)->valid_until_ms, now + 5400 * 1000);
    /* deprecated, then a preferred lifetime again: preferred */
    f6_advance(100);
    assert_int_equal(state_of(a), SLAAC_DEPRECATED);
    slaac_prefix(prefix1, 64, 5400, 600, f6_now);
    assert_int_equal(state_of(a), SLAAC_PREFERRED);
    /* infinite */
    slaac_prefix(prefix1, 64, 0xFFFFFFFFu, 0xFFFFFFFFu, f6_now);
    assert_int_equal(entry(a)->valid_until_ms, UINT64_MAX);
    f6_advance(24 * HOUR);
    assert_int_equal(state_of(a), SLAAC_PREFERRED);
}

static void test_static(void **s)
{
    (void)s;
    struct ip6_config c;
    assert_int_equal(ip6_config_parse(&c, NULL, "2001:db8:1::5/64", NULL), NET_OK);
    f6_start(&c);
    const uint8_t a[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 5};
    /* ordinary DAD for a static address (RFC 4429 3.1): tentative, no
       source yet, packets to it other than NS/NA not taken */
    assert_true(slaac_is_tentative(a));
    assert_false(slaac_is_optimistic(a));
    assert_false(slaac_is_mine(a));
    uint8_t src0[16];
    assert_false(slaac_source(far, src0));
    f6_advance(100);
    f6_ntx = 0;
    uint8_t echo[8] = {128, 0, 0, 0, 0, 1, 0, 1};
    f6_icmp_in(far, a, 64, echo, 8);
    assert_int_equal(ip6_stats.echo_rx, 0);
    f6_advance(1400);
    assert_true(slaac_is_mine(a));
    /* an RA for the same prefix leaves the static address alone */
    slaac_prefix(prefix1, 64, 0, 0, f6_now);
    f6_advance(48 * HOUR);
    assert_true(slaac_is_mine(a));
    uint8_t src[16];
    assert_true(slaac_source(far, src));
    assert_memory_equal(src, a, 16);
    /* with a second global address preferred, the longer match wins */
    const uint8_t p2[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 9};
    slaac_prefix(p2, 64, 3600, 3600, f6_now);
    f6_advance(1100);
    assert_true(slaac_source(far, src));
    assert_int_equal(src[5], 9);
    (void)f6_router;
}

/* RFC 4429 3.1 on RFC 3484 rule 3: a preferred address before an
   optimistic one, even when the optimistic one matches dst longer */
static void test_optimistic_source(void **s)
{
    (void)s;
    f6_start_ready(NULL);
    uint8_t a1[16], a2[16], src[16];
    const uint8_t p2[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 9};   /* far's /64 */
    addr_of(prefix1, a1);
    addr_of(p2, a2);
    slaac_prefix(prefix1, 64, 3600, 3600, f6_now);
    f6_advance(1100);
    assert_int_equal(state_of(a1), SLAAC_PREFERRED);
    slaac_prefix(p2, 64, 3600, 3600, f6_now);
    assert_int_equal(state_of(a2), SLAAC_OPTIMISTIC);
    assert_true(slaac_source(far, src));
    assert_memory_equal(src, a1, 16);
    f6_advance(1100);
    assert_int_equal(state_of(a2), SLAAC_PREFERRED);
    assert_true(slaac_source(far, src));
    assert_memory_equal(src, a2, 16);   /* now the longer match wins */
    /* an optimistic address lost to a DAD conflict is not formed again by
       the next RA for its prefix */
    const uint8_t p3[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 3};
    uint8_t a3[16];
    addr_of(p3, a3);
    slaac_prefix(p3, 64, 3600, 3600, f6_now);
    assert_int_equal(state_of(a3), SLAAC_OPTIMISTIC);
    f6_na_in(f6_peer, ip6_all_nodes, a3, 0x20, f6_peer_mac);
    assert_int_equal(state_of(a3), SLAAC_DUPLICATE);
    assert_int_equal(ip6_stats.dad_optimistic_lost, 1);
    slaac_prefix(p3, 64, 3600, 3600, f6_now);
    f6_advance(2000);
    assert_int_equal(state_of(a3), SLAAC_DUPLICATE);
    assert_false(slaac_is_mine(a3));
    const uint8_t to3[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 3, [15] = 9};
    assert_true(slaac_source(to3, src));
    assert_memory_not_equal(src, a3, 16);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eui64),
        cmocka_unit_test(test_dad),
        cmocka_unit_test(test_dad_conflicts),
        cmocka_unit_test(test_prefix),
        cmocka_unit_test(test_prefix_hostile),
        cmocka_unit_test(test_two_hour_rule),
        cmocka_unit_test(test_static),
        cmocka_unit_test(test_optimistic_source),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
