/* net/slaac.c: the modified EUI-64 identifier, duplicate address detection
   (the NS from ::, the solicited-node group, conflicts by NS and by NA,
   tentative addresses neither used nor answered on), addresses from /64
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

static void test_dad(void **s)
{
    (void)s;
    f6_start(NULL);
    assert_int_equal(state_of(f6_ll), SLAAC_TENTATIVE);
    uint8_t src[16], sn[16];
    assert_false(slaac_source(f6_peer, src));   /* tentative: no source yet */
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
    /* packets to the tentative address other than NS/NA are not taken */
    f6_ntx = 0;
    uint8_t echo[8] = {128, 0, 0, 0, 0, 1, 0, 1};
    f6_icmp_in(f6_peer, f6_ll, 64, echo, 8);
    assert_int_equal(f6_ntx, 0);
    assert_int_equal(ip6_stats.echo_rx, 0);
    /* an NS from a unicast source for it: neither a conflict nor answered */
    uint8_t ns[32] = {ICMP6_NEIGHBOR_SOLICIT};
    memcpy(ns + 8, f6_ll, 16);
    ns[24] = 1;
    ns[25] = 1;
    memcpy(ns + 26, f6_peer_mac, 6);
    f6_icmp_in(f6_peer, sn, 255, ns, 32);
    assert_int_equal(f6_count(ICMP6_NEIGHBOR_ADVERT), 0);
    assert_int_equal(state_of(f6_ll), SLAAC_TENTATIVE);
    /* RetransTimer after the last NS without an answer: preferred */
    f6_advance(SLAAC_DAD_RETRANS_MS - 100);
    assert_int_equal(state_of(f6_ll), SLAAC_TENTATIVE);
    f6_advance(100);
    assert_int_equal(state_of(f6_ll), SLAAC_PREFERRED);
    assert_true(slaac_is_mine(f6_ll));
    assert_true(slaac_source(f6_peer, src));
    assert_memory_equal(src, f6_ll, 16);
    assert_int_equal(ip6_stats.dad_ns_tx, SLAAC_DAD_TRANSMITS);
    assert_string_equal(slaac_state_str(SLAAC_PREFERRED), "preferred");
}

static void test_dad_conflicts(void **s)
{
    (void)s;
    /* another node's DAD (an NS from ::) for our tentative address */
    f6_start(NULL);
    f6_advance(100);
    uint8_t sn[16], dad[24] = {ICMP6_NEIGHBOR_SOLICIT};
    ip6_solicited_node(f6_ll, sn);
    memcpy(dad + 8, f6_ll, 16);
    f6_icmp_in((uint8_t[16]){0}, sn, 255, dad, 24);
    assert_int_equal(state_of(f6_ll), SLAAC_DUPLICATE);
    assert_int_equal(ip6_stats.dad_conflicts, 1);
    f6_advance(5000);
    assert_int_equal(state_of(f6_ll), SLAAC_DUPLICATE);   /* never used */
    assert_false(slaac_is_mine(f6_ll));
    uint8_t src[16];
    assert_false(slaac_source(f6_peer, src));
    assert_false(slaac_listens(sn));
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
    assert_int_equal(state_of(a), SLAAC_TENTATIVE);
    assert_false(slaac_source(far, src));
    f6_advance(1000);   /* the NS at the first tick, then RetransTimer */
    assert_int_equal(state_of(a), SLAAC_TENTATIVE);
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
    assert_true(slaac_is_tentative(a));
    f6_advance(1500);
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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
