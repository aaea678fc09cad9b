/* UDP over IPv6 through the stack (net_init with IPv6 on, a fake device):
   datagrams in with their checksum checked (a zero checksum dropped), the
   sender's IPv6 address from udp_recvfrom, datagrams out with the source
   address slaac_source picks and the IPv6 pseudo-header checksum, the
   payload bound (link MTU - 48), IPv6 off; the DNS server settings over
   IPv6 (dns=[V6]:PORT, the RDNSS fallback) and the IPv6 counters. */
#include "unit.h"
#include "ip6_fake.h"
#include "net/dns.h"
#include "net/net.h"
#include "net/udp.h"

/* ours (static ip6=) and an on-link peer in 2001:db8:1::/64 */
static const uint8_t me6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 5};
static const uint8_t peer6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 7};
static const uint8_t far6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 9, [15] = 9};

/* device: transmit into ip6_fake's capture, receive from a small queue */
static struct f6_frame rxq[8];
static int rx_n, rx_pos;
static size_t rx_fn(void *ctx, uint8_t *buf, size_t cap)
{
    (void)ctx;
    if (rx_pos >= rx_n || rxq[rx_pos].len > cap)
        return 0;
    memcpy(buf, rxq[rx_pos].b, rxq[rx_pos].len);
    return rxq[rx_pos++].len;
}
static struct netdev dev = {.mac = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56}, .tx = f6_tx_fn,
                            .rx = rx_fn, .name = "fake6"};

static int rnd(void *out, size_t len)
{
    static uint8_t x = 1;
    uint8_t *p = out;
    for (size_t i = 0; i < len; i++)
        p[i] = x = (uint8_t)(x * 37 + 11);
    return 0;
}

/* A neighbour solicitation from src (with its link address, f6_peer_mac)
   for our address target: the stack answers and keeps src's link address
   (RFC 4861 7.2.3), so packets to src leave at once. */
static void ns_in(const uint8_t src[16], const uint8_t target[16])
{
    uint8_t m[32] = {ICMP6_NEIGHBOR_SOLICIT};
    memcpy(m + 8, target, 16);
    m[24] = 1;
    m[25] = 1;
    memcpy(m + 26, f6_peer_mac, 6);
    f6_icmp_in(src, target, 255, m, 32);
}

/* net_init with ip=10.0.2.15/24, dns (may be NULL) and IPv6 as v6 says
   ("1": on with ip6=2001:db8:1::5/64; "slaac": on, no static address;
   "0": off); the clock runs past DAD; the peer's link address is known. */
static void start(const char *v6, const char *dns)
{
    struct net_config c;
    assert_int_equal(net_config_parse(&c, "10.0.2.15/24", "10.0.2.2", dns), NET_OK);
    struct ip6_config c6;
    if (!strcmp(v6, "1"))
        assert_int_equal(ip6_config_parse(&c6, "1", "2001:db8:1::5/64", NULL), NET_OK);
    else
        assert_int_equal(ip6_config_parse(&c6, strcmp(v6, "0") ? "1" : "0", NULL, NULL), NET_OK);
    net_set_random(rnd);
    net_set_ipv6(&c6);
    net_init(&dev, &c, 0);
    memset(&ip6_stats, 0, sizeof ip6_stats);
    rx_n = rx_pos = 0;
    f6_now = 0;
    for (f6_now = 0; f6_now <= 1500; f6_now += 100)
        net_poll(f6_now);
    if (ip6_enabled()) {
        if (!strcmp(v6, "1"))
            ns_in(peer6, me6);
        ns_in(f6_peer, f6_ll);
    }
    f6_ntx = 0;
}

/* A UDP datagram from src:sport to dst:dport (checksum csum, or the right
   one when csum is -1) into the stack as an IPv6 packet. */
static void udp6_in(const uint8_t src[16], const uint8_t dst[16], uint16_t sport, uint16_t dport,
                    const void *p, size_t n, int csum)
{
    uint8_t u[1600], pkt[1700];
    be16_put(u, sport);
    be16_put(u + 2, dport);
    be16_put(u + 4, (uint16_t)(8 + n));
    be16_put(u + 6, 0);
    memcpy(u + 8, p, n);
    uint16_t c = inet_fold(inet_sum(inet6_pseudo_sum(src, dst, IP6_NH_UDP, (uint32_t)(8 + n)), u,
                                    8 + n));
    be16_put(u + 6, csum >= 0 ? (uint16_t)csum : (c ? c : 0xFFFF));
    size_t len = f6_packet(pkt, src, dst, IP6_NH_UDP, 64, u, 8 + n, 0);
    struct f6_frame *f = &rxq[rx_n++];
    eth_build(f->b, f6_mac, f6_peer_mac, ETH_TYPE_IPV6);
    memcpy(f->b + ETH_HDR_LEN, pkt, len);
    f->len = ETH_HDR_LEN + len;
    net_poll(f6_now);
}

/* Captured frame i as a UDP datagram over IPv6: header h, UDP at *u (its
   checksum verified, nonzero), payload length *n. */
static const uint8_t *udp6_sent(int i, struct ip6_hdr *h, size_t *n)
{
    size_t mlen;
    const uint8_t *u = f6_sent(i, h, &mlen);
    assert_int_equal(h->nh, IP6_NH_UDP);
    assert_true(mlen >= 8);
    assert_int_equal(be16_get(u + 4), mlen);
    assert_int_not_equal(be16_get(u + 6), 0);
    uint32_t s = inet6_pseudo_sum(h->src, h->dst, IP6_NH_UDP, (uint32_t)mlen);
    assert_int_equal(inet_fold(inet_sum(s, u, mlen)), 0);
    *n = mlen - 8;
    return u;
}

static void test_receive(void **s)
{
    (void)s;
    start("1", NULL);
    int k = udp_open(5353);
    assert_true(k >= 0);
    udp6_in(peer6, me6, 40000, 5353, "hello6", 6, -1);
    uint8_t b[32];
    struct ip_addr src;
    uint16_t sport = 0;
    assert_int_equal(udp_recvfrom(k, b, sizeof b, &src, &sport), 6);
    assert_memory_equal(b, "hello6", 6);
    assert_true(ip_addr_is_v6(&src));
    assert_memory_equal(src.bytes, peer6, 16);
    assert_int_equal(sport, 40000);
    assert_int_equal(net_stats.udp6_rx, 1);
    /* to our link-local address too */
    udp6_in(f6_peer, f6_ll, 40001, 5353, "ll", 2, -1);
    assert_int_equal(udp_recvfrom(k, b, sizeof b, &src, &sport), 2);
    assert_memory_equal(src.bytes, f6_peer, 16);
    /* zero checksum: not allowed over IPv6, dropped */
    uint64_t ck = net_stats.rx_checksum_err;
    udp6_in(peer6, me6, 40000, 5353, "zero", 4, 0);
    assert_int_equal(udp_recvfrom(k, b, sizeof b, &src, &sport), 0);
    assert_int_equal(net_stats.rx_checksum_err, ck + 1);
    /* a wrong checksum */
    udp6_in(peer6, me6, 40000, 5353, "bad!", 4, 0x1234);
    assert_int_equal(udp_recvfrom(k, b, sizeof b, &src, &sport), 0);
    assert_int_equal(net_stats.rx_checksum_err, ck + 2);
    /* the checksum of another destination (the pseudo-header counts) */
    uint8_t u[12] = {0x9c, 0x40, 0x14, 0xe9, 0, 12, 0, 0, 'a', 'b', 'c', 'd'};
    uint16_t c = inet_fold(inet_sum(inet6_pseudo_sum(peer6, far6, IP6_NH_UDP, 12), u, 12));
    udp6_in(peer6, me6, 40000, 5353, "abcd", 4, c);
    assert_int_equal(udp_recvfrom(k, b, sizeof b, &src, &sport), 0);
    assert_int_equal(net_stats.rx_checksum_err, ck + 3);
    /* a length field past the packet: malformed */
    uint64_t mal = net_stats.rx_malformed;
    uint8_t pkt[128];
    uint8_t short_u[8] = {0x9c, 0x40, 0x14, 0xe9, 0, 40, 0x12, 0x34};
    size_t len = f6_packet(pkt, peer6, me6, IP6_NH_UDP, 64, short_u, 8, 0);
    ip6_input(pkt, len, f6_now);
    assert_int_equal(net_stats.rx_malformed, mal + 1);
    assert_int_equal(net_stats.udp6_rx, 2);
    /* no socket on the port */
    uint64_t np = net_stats.udp_no_port;
    udp6_in(peer6, me6, 40000, 9999, "x", 1, -1);
    assert_int_equal(net_stats.udp_no_port, np + 1);
    /* not our address: IPv6 drops it before UDP */
    udp6_in(peer6, far6, 40000, 5353, "x", 1, -1);
    assert_int_equal(udp_recvfrom(k, b, sizeof b, &src, &sport), 0);
    udp_close(k);
}

static void test_send(void **s)
{
    (void)s;
    start("1", NULL);
    int k = udp_open(5000);
    struct ip_addr dst = ip_addr_v6(peer6);
    assert_int_equal(udp_sendto(k, &dst, 53, "query", 5), NET_OK);
    assert_int_equal(f6_ntx, 1);
    struct ip6_hdr h;
    size_t n;
    const uint8_t *u = udp6_sent(0, &h, &n);
    assert_memory_equal(f6_tx[0].b, f6_peer_mac, 6);
    assert_memory_equal(h.src, me6, 16);         /* the global source for a global peer */
    assert_memory_equal(h.dst, peer6, 16);
    assert_int_equal(be16_get(u), 5000);
    assert_int_equal(be16_get(u + 2), 53);
    assert_int_equal(n, 5);
    assert_memory_equal(u + 8, "query", 5);
    assert_int_equal(net_stats.udp6_tx, 1);
    /* a link-local peer: from the link-local address */
    struct ip_addr ll = ip_addr_v6(f6_peer);
    assert_int_equal(udp_sendto(k, &ll, 53, "q", 1), NET_OK);
    udp6_sent(1, &h, &n);
    assert_memory_equal(h.src, f6_ll, 16);
    /* the payload bound: link MTU - 40 - 8 */
    assert_int_equal(udp_max_payload(&dst), 1452);
    static uint8_t big[1500];
    assert_int_equal(udp_sendto(k, &dst, 53, big, 1453), NET_ERR_TOO_BIG);
    assert_int_equal(udp_sendto(k, &dst, 53, big, 1452), NET_OK);
    assert_int_equal(f6_tx[2].len, 1514);
    udp6_sent(2, &h, &n);
    assert_int_equal(n, 1452);
    /* an RA's smaller MTU lowers it */
    ip6_set_link_mtu(1400);
    assert_int_equal(udp_max_payload(&dst), 1352);
    assert_int_equal(udp_sendto(k, &dst, 53, big, 1353), NET_ERR_TOO_BIG);
    /* off-link without a router: no route */
    struct ip_addr far = ip_addr_v6(far6);
    assert_int_equal(udp_sendto(k, &far, 53, "x", 1), NET_ERR_NO_ROUTE);
    udp_close(k);
}

static void test_no_global_source(void **s)
{
    (void)s;
    start("slaac", NULL);            /* a link-local address only */
    int k = udp_open(5001);
    struct ip_addr dst = ip_addr_v6(peer6);
    assert_int_equal(udp_sendto(k, &dst, 53, "x", 1), NET_ERR_NO_ROUTE);
    assert_int_equal(f6_ntx, 0);
    udp_close(k);
}

static void test_ipv6_off(void **s)
{
    (void)s;
    start("0", NULL);
    assert_false(ip6_enabled());
    int k = udp_open(5353);
    struct ip_addr dst = ip_addr_v6(peer6);
    assert_int_equal(udp_sendto(k, &dst, 53, "x", 1), NET_ERR_NO_ROUTE);
    assert_int_equal(udp_max_payload(&dst), 1452);
    uint64_t dropped = net_stats.rx_dropped;
    udp6_in(peer6, me6, 40000, 5353, "x", 1, -1);
    assert_int_equal(net_stats.rx_dropped, dropped + 1);   /* EtherType 0x86DD refused */
    uint8_t b[8];
    assert_int_equal(udp_recvfrom(k, b, sizeof b, NULL, NULL), 0);
    assert_int_equal(f6_ntx, 0);
    /* and the counters line has no IPv6 part */
    char line[NET_COUNTERS_LINE_MAX];
    net_counters_format(line, sizeof line);
    assert_null(strstr(line, "ip6_rx="));
    udp_close(k);
}

/* A DNS answer for qname with one A record 10.1.2.3, id from the query q. */
static size_t dns_answer(uint8_t *out, const uint8_t *q, size_t qlen)
{
    memcpy(out, q, qlen);
    out[2] = 0x81;
    out[3] = 0x80;
    be16_put(out + 6, 1);
    static const uint8_t rr[] = {0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 1, 2, 3};
    memcpy(out + qlen, rr, sizeof rr);
    return qlen + sizeof rr;
}

/* Starts a lookup: the query must go to server:port over IPv6 (the last
   frame sent); answers it from elsewhere (ignored), then from the server. */
static void resolve_over_v6(const uint8_t server[16], uint16_t port)
{
    assert_int_equal(dns_query_start("v6.test"), NET_OK);
    int i = f6_ntx - 1;
    assert_true(i >= 0);
    struct ip6_hdr h;
    size_t n;
    const uint8_t *u = udp6_sent(i, &h, &n);
    assert_memory_equal(h.dst, server, 16);
    assert_int_equal(be16_get(u + 2), port);
    uint16_t sport = be16_get(u);
    uint8_t ans[512];
    size_t alen = dns_answer(ans, u + 8, n);
    struct dns_answer a;
    if (memcmp(server, peer6, 16) != 0) {   /* the answer from another address is ignored */
        udp6_in(peer6, h.src, port, sport, ans, alen, -1);
        assert_int_equal(dns_query_result(&a), NET_ERR_AGAIN);
    }
    udp6_in(server, h.src, port, sport, ans, alen, -1);
    assert_int_equal(dns_query_result(&a), NET_OK);
    assert_int_equal(a.naddr, 1);
    assert_int_equal(ip_addr_v4_value(&a.addr[0]), 0x0a010203u);
}

static void test_dns_server_v6(void **s)
{
    (void)s;
    /* dns=[V6]:PORT */
    start("1", "[2001:db8:1::7]:5353");
    struct ip_addr a;
    uint16_t port;
    assert_true(net_dns_server(&a, &port));
    assert_memory_equal(a.bytes, peer6, 16);
    assert_int_equal(port, 5353);
    resolve_over_v6(peer6, 5353);
    /* no dns= (and no DHCP): none until an RA names one (RDNSS), port 53 */
    start("1", NULL);
    assert_false(net_dns_server(&a, &port));
    assert_int_equal(dns_query_start("v6.test"), NET_ERR_NO_ROUTE);
    static const uint8_t rdnss[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 0x53};
    uint8_t ra[40] = {ICMP6_ROUTER_ADVERT, 0, 0, 0, 64, 0, 0, 0};
    ra[16] = 25;                      /* RDNSS, length 3, lifetime 600 s */
    ra[17] = 3;
    be32_put(ra + 20, 600);
    memcpy(ra + 24, rdnss, 16);
    f6_icmp_in(f6_router, ip6_all_nodes, 255, ra, 40);
    assert_true(net_dns_server(&a, &port));
    assert_memory_equal(a.bytes, rdnss, 16);
    assert_int_equal(port, 53);
    ns_in(rdnss, me6);                /* on-link in 2001:db8:1::/64 */
    f6_ntx = 0;
    resolve_over_v6(rdnss, 53);
    /* dns= wins over the RA's */
    start("1", "10.0.2.2:5353");
    f6_icmp_in(f6_router, ip6_all_nodes, 255, ra, 40);
    assert_true(net_dns_server(&a, &port));
    assert_true(ip_addr_is_v4(&a));
    assert_int_equal(port, 5353);
    /* with IPv6 off, an RA is not even received */
    start("0", NULL);
    assert_false(net_dns_server(&a, &port));
}

static void test_counters(void **s)
{
    (void)s;
    start("1", NULL);
    int k = udp_open(5353);
    udp6_in(peer6, me6, 40000, 5353, "c", 1, -1);
    struct ip_addr dst = ip_addr_v6(peer6);
    assert_int_equal(udp_sendto(k, &dst, 53, "d", 1), NET_OK);
    char line[NET_COUNTERS_LINE_MAX];
    size_t n = net_counters_format(line, sizeof line);
    assert_true(n < sizeof line);
    assert_non_null(strstr(line, " udp6_rx=1 udp6_tx=1 "));
    assert_non_null(strstr(line, " ip6_rx="));
    assert_non_null(strstr(line, "ip6_frag_dropped=0"));
    /* truncated: still NUL-terminated, the full length returned */
    char small[64];
    assert_int_equal(net_counters_format(small, sizeof small), n);
    assert_int_equal(strlen(small), sizeof small - 1);
    udp_close(k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_receive),
        cmocka_unit_test(test_send),
        cmocka_unit_test(test_no_global_source),
        cmocka_unit_test(test_ipv6_off),
        cmocka_unit_test(test_dns_server_v6),
        cmocka_unit_test(test_counters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
