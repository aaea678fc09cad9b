/* net/ipv6.c, net/ip6_ext.c, net/ip6_reasm.c, net/icmpv6.c and the IPv6
   pseudo-header sum of net/checksum.c: header parse/build, the extension
   header walk (hostile chains included), reassembly (RFC 5722 overlaps),
   echo, the error rules of RFC 4443 2.4, Packet Too Big and the path MTU
   table, configuration, the output path; on a fake link and clock. */
#include "unit.h"
#include "ip6_fake.h"
#include "net/ip6_ext.h"
#include "net/ip6_reasm.h"
#include "net/net.h"

static const uint8_t global_a[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 0x0a};

static void test_parse_build(void **s)
{
    (void)s;
    struct ip6_hdr h = {.tclass = 0xab, .flow = 0x12345, .plen = 8, .nh = 17, .hlim = 64};
    memcpy(h.src, f6_ll, 16);
    memcpy(h.dst, f6_peer, 16);
    uint8_t pkt[80];
    memset(pkt, 0xEE, sizeof pkt);
    ip6_build(pkt, &h);
    assert_int_equal(pkt[0], 0x6a);
    assert_int_equal(pkt[1], 0xb1);
    struct ip6_hdr g;
    assert_int_equal(ip6_parse(pkt, 48, &g), NET_OK);
    assert_int_equal(g.tclass, 0xab);
    assert_int_equal(g.flow, 0x12345);
    assert_int_equal(g.plen, 8);
    assert_int_equal(g.nh, 17);
    assert_int_equal(g.hlim, 64);
    assert_memory_equal(g.src, f6_ll, 16);
    assert_memory_equal(g.dst, f6_peer, 16);
    assert_int_equal(ip6_parse(pkt, 80, &g), NET_OK);            /* padding after */
    assert_int_equal(ip6_parse(pkt, 47, &g), NET_ERR_MALFORMED);  /* payload cut */
    assert_int_equal(ip6_parse(pkt, 39, &g), NET_ERR_MALFORMED);  /* header cut */
    pkt[0] = 0x4a;
    assert_int_equal(ip6_parse(pkt, 48, &g), NET_ERR_MALFORMED);  /* version 4 */
}

static void test_address_helpers(void **s)
{
    (void)s;
    uint8_t sn[16], mac[6];
    ip6_solicited_node(f6_ll, sn);
    const uint8_t want[16] = {0xff, 0x02, [11] = 1, 0xff, 0x12, 0x34, 0x56};
    assert_memory_equal(sn, want, 16);
    ip6_multicast_mac(sn, mac);
    assert_memory_equal(mac, ((uint8_t[]){0x33, 0x33, 0xff, 0x12, 0x34, 0x56}), 6);
    assert_true(ip6_is_link_local(f6_ll));
    assert_false(ip6_is_link_local(global_a));
    assert_true(ip6_is_link_local((uint8_t[16]){0xfe, 0xbf}));
    assert_false(ip6_is_link_local((uint8_t[16]){0xfe, 0xc0}));
    assert_true(ip6_is_multicast(sn));
    assert_true(ip6_is_unspecified((uint8_t[16]){0}));
    assert_true(ip6_is_loopback((uint8_t[16]){[15] = 1}));
    uint8_t b[16];
    memcpy(b, global_a, 16);
    b[4] = 0x80;
    assert_true(ip6_prefix_eq(global_a, b, 32));
    assert_false(ip6_prefix_eq(global_a, b, 33));
    assert_true(ip6_prefix_eq(global_a, b, 0));
    assert_false(ip6_prefix_eq(global_a, b, 129));
}

/* RFC 8200 8.1 laid out byte by byte, summed the plain way. */
static uint16_t ref_checksum(const uint8_t src[16], const uint8_t dst[16], uint8_t nh,
                             const uint8_t *m, size_t n)
{
    uint8_t buf[2048];
    memcpy(buf, src, 16);
    memcpy(buf + 16, dst, 16);
    buf[32] = (uint8_t)(n >> 24); buf[33] = (uint8_t)(n >> 16);
    buf[34] = (uint8_t)(n >> 8); buf[35] = (uint8_t)n;
    buf[36] = buf[37] = buf[38] = 0;
    buf[39] = nh;
    memcpy(buf + 40, m, n);
    size_t t = 40 + n;
    if (t % 2)
        buf[t++] = 0;
    uint32_t sum = 0;
    for (size_t i = 0; i < t; i += 2)
        sum += (uint32_t)buf[i] << 8 | buf[i + 1];
    while (sum >> 16)
        sum = (sum & 0xFFFF) + (sum >> 16);
    return (uint16_t)~sum;
}

static void test_pseudo_sum(void **s)
{
    (void)s;
    uint8_t m[1500];
    uint64_t x = 7;
    for (size_t n = 1; n < 1500; n += 37) {
        for (size_t i = 0; i < n; i++) {
            x = x * 6364136223846793005ull + 1;
            m[i] = (uint8_t)(x >> 56);
        }
        uint8_t a[16], b[16];
        for (int i = 0; i < 16; i++) {
            a[i] = (uint8_t)(x >> (i % 8 * 8));
            b[i] = (uint8_t)(x >> ((i + 3) % 8 * 8)) ^ 0x5a;
        }
        uint16_t got = inet_fold(inet_sum(inet6_pseudo_sum(a, b, 17, (uint32_t)n), m, n));
        assert_int_equal(got, ref_checksum(a, b, 17, m, n));
    }
    /* a known answer: an echo request fe80::1 -> fe80::2, id 1 seq 1, "abcd" */
    uint8_t echo[12] = {128, 0, 0, 0, 0, 1, 0, 1, 'a', 'b', 'c', 'd'};
    uint8_t a1[16] = {0xfe, 0x80, [15] = 1}, a2[16] = {0xfe, 0x80, [15] = 2};
    icmp6_set_checksum(a1, a2, echo, sizeof echo);
    assert_int_equal(be16_get(echo + 2), ref_checksum(a1, a2, 58, (uint8_t[12]){128, 0, 0, 0, 0, 1, 0, 1, 'a', 'b', 'c', 'd'}, 12));
}

/* A packet of nh with body, fixed header included, for the walk. */
static size_t chain(uint8_t *pkt, uint8_t nh, const uint8_t *body, size_t n)
{
    return f6_packet(pkt, f6_peer, f6_ll, nh, 64, body, n, 0);
}

static void test_walk(void **s)
{
    (void)s;
    uint8_t pkt[256];
    struct ip6_ext_result r;
    size_t len;
    /* plain upper layer */
    len = chain(pkt, IP6_NH_UDP, (uint8_t[8]){0}, 8);
    assert_int_equal(ip6_ext_walk(pkt, len, IP6_NH_UDP, 40, 0, &r), IP6_EXT_UPPER);
    assert_int_equal(r.proto, IP6_NH_UDP);
    assert_int_equal(r.off, 40);
    /* hop-by-hop (PadN) then destination options (Pad1s) then ICMPv6 */
    const uint8_t hd[] = {60, 0, 1, 4, 0, 0, 0, 0, 58, 0, 0, 0, 0, 0, 0, 0, 128, 0};
    len = chain(pkt, 0, hd, sizeof hd);
    assert_int_equal(ip6_ext_walk(pkt, len, 0, 40, 0, &r), IP6_EXT_UPPER);
    assert_int_equal(r.proto, 58);
    assert_int_equal(r.off, 56);
    /* hop-by-hop not first: unrecognised next header, pointer at the byte
       naming it (the destination options header's first byte, offset 40) */
    const uint8_t hh[] = {0, 0, 1, 4, 0, 0, 0, 0, 58, 0, 1, 4, 0, 0, 0, 0};
    len = chain(pkt, 60, hh, sizeof hh);
    assert_int_equal(ip6_ext_walk(pkt, len, 60, 40, 0, &r), IP6_EXT_PARAM_PROBLEM);
    assert_int_equal(r.pp_code, 1);
    assert_int_equal(r.pp_pointer, 40);
    /* and never after reassembly */
    len = chain(pkt, 0, hd, sizeof hd);
    assert_int_equal(ip6_ext_walk(pkt, len, 0, 40, IP6_EXT_NO_HBH, &r), IP6_EXT_PARAM_PROBLEM);
    assert_int_equal(r.pp_pointer, 6);
    /* option actions by the top two bits of the type */
    const struct { uint8_t type; unsigned flags; enum ip6_ext_verdict v; } act[] = {
        {0x05, 0, IP6_EXT_UPPER}, {0x45, 0, IP6_EXT_DROP}, {0x85, 0, IP6_EXT_PARAM_PROBLEM},
        {0x85, IP6_EXT_MCAST, IP6_EXT_PARAM_PROBLEM}, {0xC5, 0, IP6_EXT_PARAM_PROBLEM},
        {0xC5, IP6_EXT_MCAST, IP6_EXT_DROP}, {0xC2, 0, IP6_EXT_PARAM_PROBLEM} /* jumbo */,
    };
    for (size_t i = 0; i < sizeof act / sizeof act[0]; i++) {
        const uint8_t d[] = {17, 0, 1, 0, act[i].type, 2, 0, 0};
        len = chain(pkt, 60, d, sizeof d);
        assert_int_equal(ip6_ext_walk(pkt, len, 60, 40, act[i].flags, &r), act[i].v);
        if (act[i].v == IP6_EXT_PARAM_PROBLEM) {
            assert_int_equal(r.pp_code, 2);
            assert_int_equal(r.pp_pointer, 44);
        }
    }
    /* an option running past its header */
    len = chain(pkt, 60, (uint8_t[8]){17, 0, 1, 9, 0, 0, 0, 0}, 8);
    assert_int_equal(ip6_ext_walk(pkt, len, 60, 40, 0, &r), IP6_EXT_DROP);
    /* a header running past the packet: length says 16 bytes, 8 there */
    len = chain(pkt, 60, (uint8_t[8]){17, 1, 1, 4, 0, 0, 0, 0}, 8);
    assert_int_equal(ip6_ext_walk(pkt, len, 60, 40, 0, &r), IP6_EXT_DROP);
    /* a header cut short (4 of its 8 bytes) */
    len = chain(pkt, 43, (uint8_t[4]){17, 0, 4, 0}, 4);
    assert_int_equal(ip6_ext_walk(pkt, len, 43, 40, 0, &r), IP6_EXT_DROP);
    /* routing type 0: refused with or without segments left */
    len = chain(pkt, 43, (uint8_t[24]){17, 2, 0, 1}, 24);
    assert_int_equal(ip6_ext_walk(pkt, len, 43, 40, 0, &r), IP6_EXT_PARAM_PROBLEM);
    assert_int_equal(r.pp_code, 0);
    assert_int_equal(r.pp_pointer, 42);
    len = chain(pkt, 43, (uint8_t[24]){17, 2, 0, 0}, 24);
    assert_int_equal(ip6_ext_walk(pkt, len, 43, 40, 0, &r), IP6_EXT_DROP);
    /* another type: skipped with segments left 0, refused otherwise */
    len = chain(pkt, 43, (uint8_t[16]){17, 1, 4, 0}, 16);
    assert_int_equal(ip6_ext_walk(pkt, len, 43, 40, 0, &r), IP6_EXT_UPPER);
    assert_int_equal(r.off, 56);
    len = chain(pkt, 43, (uint8_t[16]){17, 1, 4, 2}, 16);
    assert_int_equal(ip6_ext_walk(pkt, len, 43, 40, 0, &r), IP6_EXT_PARAM_PROBLEM);
    assert_int_equal(r.pp_pointer, 42);
    /* unknown next header; no next header */
    len = chain(pkt, 99, (uint8_t[8]){0}, 8);
    assert_int_equal(ip6_ext_walk(pkt, len, 99, 40, 0, &r), IP6_EXT_PARAM_PROBLEM);
    assert_int_equal(r.pp_code, 1);
    assert_int_equal(r.pp_pointer, 6);
    len = chain(pkt, 59, (uint8_t[8]){0}, 8);
    assert_int_equal(ip6_ext_walk(pkt, len, 59, 40, 0, &r), IP6_EXT_NONE);
    /* a chain longer than IP6_EXT_MAX */
    uint8_t many[8 * (IP6_EXT_MAX + 2)];
    memset(many, 0, sizeof many);
    for (int i = 0; i < IP6_EXT_MAX + 2; i++) {
        many[8 * i] = i == IP6_EXT_MAX + 1 ? 17 : 60;
        many[8 * i + 2] = 1;
        many[8 * i + 3] = 4;
    }
    len = chain(pkt, 60, many, sizeof many);
    assert_int_equal(ip6_ext_walk(pkt, len, 60, 40, 0, &r), IP6_EXT_DROP);
    /* fragments: atomic walked past; a first fragment; bad lengths */
    len = chain(pkt, 44, (uint8_t[16]){17, 0, 0, 0, 1, 2, 3, 4}, 16);
    assert_int_equal(ip6_ext_walk(pkt, len, 44, 40, 0, &r), IP6_EXT_UPPER);
    assert_int_equal(r.off, 48);
    len = chain(pkt, 44, (uint8_t[24]){17, 0, 0, 1, 1, 2, 3, 4}, 24);
    assert_int_equal(ip6_ext_walk(pkt, len, 44, 40, 0, &r), IP6_EXT_FRAGMENT);
    assert_true(r.frag_more);
    assert_int_equal(r.frag_offset, 0);
    assert_int_equal(r.frag_id, 0x01020304);
    assert_int_equal(r.frag_nh, 17);
    assert_int_equal(r.off, 48);
    len = chain(pkt, 44, (uint8_t[20]){17, 0, 0, 1, 1, 2, 3, 4}, 20);   /* 12 bytes, M set */
    assert_int_equal(ip6_ext_walk(pkt, len, 44, 40, 0, &r), IP6_EXT_PARAM_PROBLEM);
    assert_int_equal(r.pp_code, 0);
    assert_int_equal(r.pp_pointer, 4);
    len = chain(pkt, 44, (uint8_t[24]){17, 0, 0xff, 0xf8, 1, 2, 3, 4}, 24); /* past 65535 */
    assert_int_equal(ip6_ext_walk(pkt, len, 44, 40, 0, &r), IP6_EXT_PARAM_PROBLEM);
    assert_int_equal(r.pp_pointer, 42);
    assert_string_equal(ip6_ext_verdict_str(IP6_EXT_PARAM_PROBLEM), "param_problem");
}

/* Fragment builder: a UDP-like payload of `total` bytes of pattern, cut at
   [off, off + n), M set when more. */
static size_t frag(uint8_t *pkt, uint32_t id, uint16_t off, size_t n, bool more,
                   const uint8_t *data)
{
    uint8_t body[1500];
    body[0] = 17;
    body[1] = 0;
    be16_put(body + 2, (uint16_t)(off | (more ? 1 : 0)));
    be32_put(body + 4, id);
    memcpy(body + 8, data + off, n);
    return f6_packet(pkt, f6_peer, f6_ll, IP6_NH_FRAGMENT, 64, body, 8 + n, 0);
}

static uint8_t got_pkt[IP6_HDR_LEN + IP6_REASM_MAX];
static size_t got_len;
static int got_n;
static void got(const uint8_t *p, size_t n)
{
    memcpy(got_pkt, p, n);
    got_len = n;
    got_n++;
}

static void feed(const uint8_t *pkt, size_t len, uint64_t now)
{
    struct ip6_ext_result r;
    assert_int_equal(ip6_ext_walk(pkt, len, pkt[6], 40, 0, &r), IP6_EXT_FRAGMENT);
    ip6_reasm_input(pkt, &r, pkt + r.off, len - r.off, now, got);
}

static void test_reasm(void **s)
{
    (void)s;
    static uint8_t data[IP6_REASM_MAX + 64];
    uint8_t pkt[1600];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(i * 7 + 3);
    memset(&ip6_stats, 0, sizeof ip6_stats);
    ip6_reasm_reset();
    got_n = 0;
    /* out of order: the last, the middle, the first */
    feed(pkt, frag(pkt, 9, 2400, 600, false, data), 0);
    feed(pkt, frag(pkt, 9, 1200, 1200, true, data), 1);
    assert_int_equal(got_n, 0);
    assert_int_equal(ip6_reasm_pending(), 1);
    feed(pkt, frag(pkt, 9, 0, 1200, true, data), 2);
    assert_int_equal(got_n, 1);
    assert_int_equal(got_len, 40 + 3000);
    assert_int_equal(got_pkt[6], 17);                 /* the fragment's next header */
    assert_int_equal(be16_get(got_pkt + 4), 3000);
    assert_memory_equal(got_pkt + 40, data, 3000);
    assert_int_equal(ip6_reasm_pending(), 0);
    assert_int_equal(ip6_stats.reasm_ok, 1);

    /* RFC 5722: an overlap discards the whole datagram, and what comes
       after it cannot complete the old one */
    got_n = 0;
    feed(pkt, frag(pkt, 10, 0, 1200, true, data), 0);
    feed(pkt, frag(pkt, 10, 1192, 8, true, data), 0);   /* overlaps [1192,1200) */
    assert_int_equal(ip6_reasm_pending(), 0);
    feed(pkt, frag(pkt, 10, 1200, 600, false, data), 0);
    assert_int_equal(got_n, 0);
    /* an exact duplicate counts as an overlap too */
    ip6_reasm_reset();
    feed(pkt, frag(pkt, 11, 0, 1200, true, data), 0);
    feed(pkt, frag(pkt, 11, 0, 1200, true, data), 0);
    feed(pkt, frag(pkt, 11, 1200, 8, false, data), 0);
    assert_int_equal(got_n, 0);
    /* two different last fragments; data past the end */
    ip6_reasm_reset();
    feed(pkt, frag(pkt, 12, 1200, 8, false, data), 0);
    feed(pkt, frag(pkt, 12, 1208, 8, false, data), 0);
    assert_int_equal(ip6_reasm_pending(), 0);
    feed(pkt, frag(pkt, 13, 8, 8, false, data), 0);
    feed(pkt, frag(pkt, 13, 16, 8, true, data), 0);
    assert_int_equal(ip6_reasm_pending(), 0);
    /* past IP6_REASM_MAX */
    feed(pkt, frag(pkt, 14, 16376, 16, true, data), 0);
    assert_int_equal(ip6_reasm_pending(), 0);
    assert_int_equal(got_n, 0);
    /* timeout: 60 s after the first fragment */
    feed(pkt, frag(pkt, 15, 0, 8, true, data), 1000);
    ip6_reasm_timers(60999);
    assert_int_equal(ip6_reasm_pending(), 1);
    ip6_reasm_timers(61000);
    assert_int_equal(ip6_reasm_pending(), 0);
    assert_int_equal(ip6_stats.reasm_timeout, 1);
    /* more datagrams than slots: the oldest goes */
    for (uint32_t id = 20; id < 20 + IP6_REASM_SLOTS + 1; id++)
        feed(pkt, frag(pkt, id, 0, 8, true, data), id);
    assert_int_equal(ip6_reasm_pending(), IP6_REASM_SLOTS);
    feed(pkt, frag(pkt, 20, 8, 8, false, data), 100);   /* 20 was evicted */
    assert_int_equal(got_n, 0);
    feed(pkt, frag(pkt, 24, 8, 8, false, data), 100);
    assert_int_equal(got_n, 1);
    assert_int_equal(got_len, 40 + 16);
}

/* A reassembled echo request gets an echo reply with the whole data. */
static void test_fragmented_echo(void **s)
{
    (void)s;
    f6_start_ready(NULL);
    uint8_t msg[2000];
    msg[0] = 128;
    msg[1] = 0;
    for (size_t i = 4; i < sizeof msg; i++)
        msg[i] = (uint8_t)i;
    msg[2] = msg[3] = 0;
    icmp6_set_checksum(f6_peer, f6_ll, msg, 1200);   /* 1200 bytes of echo */
    uint8_t pkt[1600], body[1600];
    for (int part = 0; part < 2; part++) {
        body[0] = 58;
        body[1] = 0;
        be16_put(body + 2, (uint16_t)(part ? 600 : 1));
        be32_put(body + 4, 77);
        size_t n = part ? 600 : 600;
        memcpy(body + 8, msg + (part ? 600 : 0), n);
        size_t len = f6_packet(pkt, f6_peer, f6_ll, IP6_NH_FRAGMENT, 64, body, 8 + n, 0);
        ip6_input(pkt, len, f6_now);
    }
    assert_int_equal(ip6_stats.reasm_ok, 1);
    /* the reply waits for the peer's link address: answer the NS */
    int ns = f6_find(0, ICMP6_NEIGHBOR_SOLICIT);
    assert_true(ns >= 0);
    f6_na_in(f6_peer, f6_ll, f6_peer, 0x60, f6_peer_mac);
    int rep = f6_find(0, ICMP6_ECHO_REPLY);
    assert_true(rep >= 0);
    struct ip6_hdr h;
    size_t n;
    const uint8_t *m = f6_sent(rep, &h, &n);
    assert_int_equal(n, 1200);
    assert_memory_equal(m + 4, msg + 4, 1196);
    assert_memory_equal(f6_tx[rep].b, f6_peer_mac, 6);
}

static void test_echo(void **s)
{
    (void)s;
    f6_start_ready(NULL);
    /* the peer's link address known first, so the reply goes at once */
    f6_na_in(f6_peer, f6_ll, f6_peer, 0x20, f6_peer_mac);   /* no entry: ignored */
    assert_int_equal(ndp_lookup(f6_peer, NULL), NDP_NONE);
    uint8_t ns[32] = {ICMP6_NEIGHBOR_SOLICIT};
    memcpy(ns + 8, f6_ll, 16);
    ns[24] = 1;
    ns[25] = 1;
    memcpy(ns + 26, f6_peer_mac, 6);
    f6_icmp_in(f6_peer, f6_ll, 255, ns, sizeof ns);
    assert_int_equal(ndp_lookup(f6_peer, NULL), NDP_DELAY);   /* STALE, then our NA */
    f6_ntx = 0;
    uint8_t echo[16] = {128, 0, 0, 0, 0x12, 0x34, 0, 5, 'p', 'i', 'n', 'g', 1, 2, 3, 4};
    f6_icmp_in(f6_peer, f6_ll, 64, echo, sizeof echo);
    assert_int_equal(f6_ntx, 1);
    struct ip6_hdr h;
    size_t n;
    const uint8_t *m = f6_sent(0, &h, &n);
    assert_int_equal(m[0], ICMP6_ECHO_REPLY);
    assert_int_equal(n, 16);
    assert_memory_equal(m + 4, echo + 4, 12);
    assert_memory_equal(h.src, f6_ll, 16);
    assert_memory_equal(h.dst, f6_peer, 16);
    assert_int_equal(h.hlim, IP6_HOP_LIMIT);
    assert_int_equal(ip6_stats.echo_reply_tx, 1);
    /* a bad checksum: no reply */
    uint8_t pkt[100];
    size_t len = f6_packet(pkt, f6_peer, f6_ll, 58, 64, echo, sizeof echo, 1);
    pkt[len - 1] ^= 1;
    ip6_input(pkt, len, f6_now);
    assert_int_equal(f6_ntx, 1);
    assert_int_equal(ip6_stats.icmp_checksum_err, 1);
    /* to an address not ours: dropped */
    f6_icmp_in(f6_peer, global_a, 64, echo, sizeof echo);
    assert_int_equal(f6_ntx, 1);
    assert_int_equal(ip6_stats.rx_not_for_us, 1);
    /* to all-nodes: answered from our link-local address */
    f6_icmp_in(f6_peer, ip6_all_nodes, 64, echo, sizeof echo);
    assert_int_equal(f6_ntx, 2);
    m = f6_sent(1, &h, &n);
    assert_memory_equal(h.src, f6_ll, 16);
    /* to a multicast group we did not join: dropped */
    f6_icmp_in(f6_peer, ip6_all_routers, 64, echo, sizeof echo);
    assert_int_equal(f6_ntx, 2);
    /* a source that is multicast or loopback: dropped */
    f6_icmp_in(ip6_all_nodes, f6_ll, 64, echo, sizeof echo);
    f6_icmp_in((uint8_t[16]){[15] = 1}, f6_ll, 64, echo, sizeof echo);
    assert_int_equal(f6_ntx, 2);
    assert_int_equal(ip6_stats.rx_malformed, 2);
    /* a full-size echo (1460 bytes of ICMPv6) is answered whole */
    uint8_t big[IP6_LINK_MTU - IP6_HDR_LEN] = {128, 0, 0, 0, 0, 9, 0, 9};
    for (size_t i = 8; i < sizeof big; i++)
        big[i] = (uint8_t)(i * 13);
    f6_icmp_in(f6_peer, f6_ll, 64, big, sizeof big);
    assert_int_equal(f6_ntx, 3);
    m = f6_sent(2, &h, &n);
    assert_int_equal(n, sizeof big);
    assert_memory_equal(m + 4, big + 4, sizeof big - 4);
    /* layer off: nothing */
    struct ip6_config off = {.enabled = false};
    f6_start(&off);
    f6_icmp_in(f6_peer, f6_ll, 64, echo, sizeof echo);
    assert_int_equal(f6_ntx, 0);
    assert_false(ip6_enabled());
}

/* A peer whose link address is known, so errors go out at once. */
static void know_peer(void)
{
    f6_na_in(f6_peer, f6_ll, f6_peer, 0, NULL);
    uint8_t ns[32] = {ICMP6_NEIGHBOR_SOLICIT};
    memcpy(ns + 8, f6_ll, 16);
    ns[24] = 1;
    ns[25] = 1;
    memcpy(ns + 26, f6_peer_mac, 6);
    f6_icmp_in(f6_peer, f6_ll, 255, ns, sizeof ns);
    f6_ntx = 0;
}

static void test_errors(void **s)
{
    (void)s;
    f6_start_ready(NULL);
    know_peer();
    uint8_t pkt[1600];
    /* unknown next header: parameter problem code 1, pointer 6, quoting
       the packet */
    size_t len = f6_packet(pkt, f6_peer, f6_ll, 99, 64, (uint8_t[8]){1, 2, 3}, 8, 0);
    ip6_input(pkt, len, f6_now);
    assert_int_equal(f6_ntx, 1);
    struct ip6_hdr h;
    size_t n;
    const uint8_t *m = f6_sent(0, &h, &n);
    assert_int_equal(m[0], ICMP6_PARAM_PROBLEM);
    assert_int_equal(m[1], 1);
    assert_int_equal(be32_get(m + 4), 6);
    assert_int_equal(n, 8 + len);
    assert_memory_equal(m + 8, pkt, len);
    assert_memory_equal(h.src, f6_ll, 16);
    /* a routing header type 0 with segments left: code 0 at its type */
    len = f6_packet(pkt, f6_peer, f6_ll, 43, 64, (uint8_t[24]){59, 2, 0, 1}, 24, 0);
    ip6_input(pkt, len, f6_now);
    assert_int_equal(f6_ntx, 2);
    m = f6_sent(1, &h, &n);
    assert_int_equal(m[1], 0);
    assert_int_equal(be32_get(m + 4), 42);
    /* never an error about an ICMPv6 error (here a destination unreachable
       behind an option that asks for a parameter problem) */
    uint8_t body[24] = {58, 0, 0x85, 2, 0, 0, 0, 0, ICMP6_DST_UNREACH, 0};
    len = f6_packet(pkt, f6_peer, f6_ll, 60, 64, body, 24, 0);
    ip6_input(pkt, len, f6_now);
    assert_int_equal(f6_ntx, 2);
    /* but about an echo request behind the same option, yes */
    body[8] = ICMP6_ECHO_REQUEST;
    len = f6_packet(pkt, f6_peer, f6_ll, 60, 64, body, 24, 0);
    ip6_input(pkt, len, f6_now);
    assert_int_equal(f6_ntx, 3);
    /* not about a packet to a multicast address (code 1) */
    len = f6_packet(pkt, f6_peer, ip6_all_nodes, 99, 64, (uint8_t[8]){0}, 8, 0);
    ip6_input(pkt, len, f6_now);
    assert_int_equal(f6_ntx, 3);
    /* rate limit: a burst of ICMP6_ERR_BURST, then ICMP6_ERR_PER_SEC a second */
    f6_ntx = 0;
    f6_now += 10000;
    len = f6_packet(pkt, f6_peer, f6_ll, 99, 64, (uint8_t[8]){0}, 8, 0);
    for (int i = 0; i < 30; i++)
        ip6_input(pkt, len, f6_now);
    assert_int_equal(f6_ntx, ICMP6_ERR_BURST);
    assert_true(ip6_stats.icmp_rate_limited >= 20);
    f6_now += 500;
    for (int i = 0; i < 30; i++)
        ip6_input(pkt, len, f6_now);
    assert_int_equal(f6_ntx, ICMP6_ERR_BURST + ICMP6_ERR_PER_SEC / 2);
    /* an error quotes at most what keeps it within 1280 bytes */
    f6_now += 10000;
    f6_ntx = 0;
    uint8_t big[1400] = {0};
    len = f6_packet(pkt, f6_peer, f6_ll, 99, 64, big, sizeof big, 0);
    ip6_input(pkt, len, f6_now);
    assert_int_equal(f6_ntx, 1);
    assert_int_equal(f6_tx[0].len, ETH_HDR_LEN + IP6_MIN_MTU);
}

static void test_packet_too_big(void **s)
{
    (void)s;
    struct ip6_config c;
    assert_int_equal(ip6_config_parse(&c, NULL, "2001:db8::5/64", NULL), NET_OK);
    f6_start_ready(&c);
    const uint8_t me[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 5};
    const uint8_t far[16] = {0x20, 0x01, 0x0d, 0xb9, [15] = 9};
    assert_true(slaac_is_mine(me));
    assert_int_equal(ip6_path_mtu(far), 1500);
    /* a PTB quoting a packet we sent to far */
    uint8_t msg[8 + 48] = {ICMP6_PACKET_TOO_BIG, 0};
    be32_put(msg + 4, 1400);
    f6_packet(msg + 8, me, far, 17, 64, (uint8_t[8]){0}, 8, 0);
    f6_icmp_in(f6_router, me, 64, msg, sizeof msg);
    assert_int_equal(ip6_path_mtu(far), 1400);
    assert_int_equal(ip6_path_mtu(global_a), 1500);   /* other paths unchanged */
    /* never raised by a PTB; never below 1280 */
    be32_put(msg + 4, 1480);
    f6_icmp_in(f6_router, me, 64, msg, sizeof msg);
    assert_int_equal(ip6_path_mtu(far), 1400);
    be32_put(msg + 4, 500);
    f6_icmp_in(f6_router, me, 64, msg, sizeof msg);
    assert_int_equal(ip6_path_mtu(far), IP6_MIN_MTU);
    assert_int_equal(ip6_stats.ptb_rx, 3);
    /* a PTB about a packet that is not ours: ignored */
    f6_packet(msg + 8, global_a, f6_peer, 17, 64, (uint8_t[8]){0}, 8, 0);
    be32_put(msg + 4, 1300);
    f6_icmp_in(f6_router, me, 64, msg, sizeof msg);
    assert_int_equal(ip6_path_mtu(f6_peer), 1500);
    /* sending more than the path MTU is refused */
    uint8_t payload[1300] = {0};
    assert_int_equal(ip6_output(NULL, far, 17, 0, payload, sizeof payload, NULL, 0),
                     NET_ERR_TOO_BIG);
    /* aged out after ICMP6_PMTU_AGE_MS */
    f6_advance(ICMP6_PMTU_AGE_MS);
    assert_int_equal(ip6_path_mtu(far), 1500);
}

static void test_config(void **s)
{
    (void)s;
    struct ip6_config c;
    assert_int_equal(ip6_config_parse(&c, NULL, NULL, NULL), NET_OK);
    assert_true(c.enabled);
    assert_false(c.has_static);
    assert_int_equal(ip6_config_parse(&c, "0", NULL, NULL), NET_OK);
    assert_false(c.enabled);
    assert_int_equal(ip6_config_parse(&c, "1", "2001:db8::5/64", "fe80::1"), NET_OK);
    assert_true(c.has_static);
    assert_int_equal(c.plen, 64);
    assert_int_equal(c.addr[15], 5);
    assert_true(c.has_gw);
    assert_memory_equal(c.gw, f6_router, 16);
    const char *bad_ip6[] = {"2001:db8::5", "2001:db8::5/", "2001:db8::5/129", "2001:db8::5/0",
                             "2001:db8::5/064", "::/64", "ff02::1/64", "10.0.2.15/24",
                             "fe80::1%eth0/64", "2001:db8::5/6x"};
    for (size_t i = 0; i < sizeof bad_ip6 / sizeof bad_ip6[0]; i++)
        if (ip6_config_parse(&c, NULL, bad_ip6[i], NULL) != NET_ERR_INVALID_ARG)
            fail_msg("ip6=%s accepted", bad_ip6[i]);
    assert_int_equal(ip6_config_parse(&c, NULL, NULL, "ff02::2"), NET_ERR_INVALID_ARG);
    assert_int_equal(ip6_config_parse(&c, NULL, NULL, "::"), NET_ERR_INVALID_ARG);
    assert_int_equal(ip6_config_parse(&c, "yes", NULL, NULL), NET_ERR_INVALID_ARG);
    assert_int_equal(ip6_config_parse(&c, "0", "2001:db8::5/64", NULL), NET_ERR_INVALID_ARG);
}

static void test_output(void **s)
{
    (void)s;
    struct ip6_config c;
    assert_int_equal(ip6_config_parse(&c, NULL, "2001:db8::5/64", "fe80::1"), NET_OK);
    f6_start(&c);
    /* tentative addresses are no source yet */
    assert_int_equal(ip6_output(NULL, global_a, 17, 0, "x", 1, NULL, 0), NET_ERR_NO_ROUTE);
    f6_advance(1500);
    f6_ntx = 0;
    /* on-link (the static /64): resolved directly */
    assert_int_equal(ip6_output(NULL, global_a, 17, 0, "abcd", 4, "ef", 2), NET_OK);
    assert_int_equal(f6_ntx, 1);
    struct ip6_hdr h;
    size_t n;
    const uint8_t *m = f6_sent(0, &h, &n);
    assert_int_equal(m[0], ICMP6_NEIGHBOR_SOLICIT);
    assert_memory_equal(m + 8, global_a, 16);
    assert_int_equal(h.src[15], 5);   /* from the global address, same scope */
    f6_na_in(global_a, h.src, global_a, 0x40, f6_peer_mac);
    assert_int_equal(f6_ntx, 2);
    m = f6_sent(1, &h, &n);
    assert_int_equal(h.nh, 17);
    assert_memory_equal(m, "abcdef", 6);
    assert_memory_equal(f6_tx[1].b, f6_peer_mac, 6);
    /* off-link: through the static router fe80::1 */
    const uint8_t far[16] = {0x20, 0x01, 0x0d, 0xb9, [15] = 1};
    f6_ntx = 0;
    assert_int_equal(ip6_output(NULL, far, 17, 0, "z", 1, NULL, 0), NET_OK);
    m = f6_sent(0, &h, &n);
    assert_int_equal(m[0], ICMP6_NEIGHBOR_SOLICIT);
    assert_memory_equal(m + 8, f6_router, 16);
    assert_memory_equal(h.src, f6_ll, 16);   /* NS to a link-local target */
    /* multicast: to 33:33:... at once */
    f6_ntx = 0;
    assert_int_equal(ip6_output(NULL, ip6_all_nodes, 17, 1, "m", 1, NULL, 0), NET_OK);
    assert_memory_equal(f6_tx[0].b, ((uint8_t[]){0x33, 0x33, 0, 0, 0, 1}), 6);
    m = f6_sent(0, &h, &n);
    assert_int_equal(h.hlim, 1);
    /* no route without a router */
    f6_start_ready(NULL);
    assert_int_equal(ip6_output(NULL, far, 17, 0, "z", 1, NULL, 0), NET_ERR_NO_ROUTE);
    (void)f6_count;
}

/* Through the stack: net_init and eth_input, with IPv6 off (the default)
   and on. */
static struct f6_frame dev_rx[4];
static int dev_nrx, dev_pos;
static size_t dev_rx_fn(void *ctx, uint8_t *buf, size_t cap)
{
    (void)ctx;
    if (dev_pos >= dev_nrx || dev_rx[dev_pos].len > cap)
        return 0;
    memcpy(buf, dev_rx[dev_pos].b, dev_rx[dev_pos].len);
    return dev_rx[dev_pos++].len;
}

static void queue_echo(const uint8_t dst_mac[6], const uint8_t dst[16])
{
    uint8_t echo[12] = {128, 0, 0, 0, 0, 7, 0, 1, 'e', 't', 'h', '!'};
    struct f6_frame *f = &dev_rx[dev_nrx++];
    eth_build(f->b, dst_mac, f6_peer_mac, ETH_TYPE_IPV6);
    f->len = ETH_HDR_LEN + f6_packet(f->b + ETH_HDR_LEN, f6_peer, dst, 58, 64, echo, 12, 1);
}

static void test_stack_hook(void **s)
{
    (void)s;
    struct netdev dev = {.tx = f6_tx_fn, .rx = dev_rx_fn, .name = "fake6"};
    memcpy(dev.mac, f6_mac, 6);
    struct net_config c;
    assert_int_equal(net_config_parse(&c, "10.0.2.15/24", NULL, NULL), NET_OK);
    /* off by default: the frame is dropped, nothing is sent */
    net_set_ipv6(NULL);
    net_init(&dev, &c, 0);
    assert_false(ip6_enabled());
    f6_ntx = dev_nrx = dev_pos = 0;
    queue_echo(f6_mac, f6_ll);
    net_poll(5000);
    assert_int_equal(net_stats.rx_dropped, 1);
    assert_int_equal(f6_ntx, 0);
    /* on: DAD and RS go out through the device, echo answered (to all-nodes
       by 33:33:00:00:00:01, to our address by unicast) */
    struct ip6_config v6;
    assert_int_equal(ip6_config_parse(&v6, "1", NULL, NULL), NET_OK);
    net_set_ipv6(&v6);
    net_init(&dev, &c, 0);
    assert_true(ip6_enabled());
    memset(&ip6_stats, 0, sizeof ip6_stats);
    dev_nrx = dev_pos = 0;
    f6_ntx = 0;
    for (uint64_t t = 0; t <= 1500; t += 100)
        net_poll(t);
    assert_int_equal(ip6_stats.dad_ns_tx, 1);
    assert_true(ip6_stats.rs_tx >= 1);
    assert_true(slaac_is_mine(f6_ll));
    f6_ntx = 0;
    queue_echo((const uint8_t[]){0x33, 0x33, 0, 0, 0, 1}, ip6_all_nodes);
    queue_echo(f6_mac, f6_ll);
    queue_echo((const uint8_t[]){0x33, 0x33, 0, 0, 0, 2}, ip6_all_routers);   /* not joined */
    net_poll(1600);
    assert_int_equal(ip6_stats.echo_rx, 2);
    /* both replies wait for the peer's link address: one NS, then an NA */
    assert_int_equal(f6_count(ICMP6_NEIGHBOR_SOLICIT), 1);
    f6_na_in(f6_peer, f6_ll, f6_peer, 0x60, f6_peer_mac);
    assert_int_equal(f6_count(ICMP6_ECHO_REPLY), 1);   /* one packet waits per neighbour */
    assert_int_equal(ip6_stats.nd_queue_drops, 1);
    net_set_ipv6(NULL);
    net_init(&dev, &c, 0);
    assert_false(ip6_enabled());
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_build),
        cmocka_unit_test(test_address_helpers),
        cmocka_unit_test(test_pseudo_sum),
        cmocka_unit_test(test_walk),
        cmocka_unit_test(test_reasm),
        cmocka_unit_test(test_fragmented_echo),
        cmocka_unit_test(test_echo),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_packet_too_big),
        cmocka_unit_test(test_config),
        cmocka_unit_test(test_output),
        cmocka_unit_test(test_stack_hook),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
