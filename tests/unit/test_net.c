/* net/: parsers and checksums on valid, malformed, truncated and hostile
   input; ARP, ICMP, UDP, DHCP and the DNS resolver over a fake device with a
   fake clock; the fault injector's determinism; IPv4 reassembly (orders,
   duplicates, overlaps, timeout, limits, slot eviction, hostile fragments). */
#include "unit.h"
#include "net_fake.h"
#include "net/arp.h"
#include "net/dhcp.h"
#include "net/dns.h"
#include "net/ip4_reasm.h"
#include "net/ipv4.h"
#include "net/netfault.h"
#include "net/udp.h"

#define ME  IP4_ADDR(10, 0, 2, 15)
#define GW  IP4_ADDR(10, 0, 2, 2)
#define DNS IP4_ADDR(10, 0, 2, 2)

static uint64_t now;

static void start_static_on(struct netdev *d)
{
    fake_reset();
    net_set_random(fake_random);
    struct net_config c;
    assert_int_equal(net_config_parse(&c, "10.0.2.15/24", "10.0.2.2", "10.0.2.2:5353"), NET_OK);
    now = 1000;
    net_init(d, &c, now);
}

static void start_static(void)
{
    start_static_on(&fake_dev);
}

static void poll_for(uint64_t ms)
{
    for (uint64_t t = 0; t < ms; t += 10) {
        now += 10;
        net_poll(now);
    }
}

static void test_checksum(void **s)
{
    (void)s;
    /* RFC 1071 section 3 example: sum of 0001 f203 f4f5 f6f7 is ddf2 */
    const uint8_t d[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
    assert_int_equal(inet_fold(inet_sum(0, d, sizeof d)), (uint16_t)~0xddf2);
    uint8_t h[20];
    ipv4_build(h, ME, GW, 17, 1, 100, 64);
    assert_int_equal(inet_checksum(h, 20), 0);     /* a header with its sum checks to 0 */
    const uint8_t odd[] = { 0x12, 0x34, 0x56 };
    assert_int_equal(inet_fold(inet_sum(0, odd, 3)), (uint16_t)~(0x1234 + 0x5600));
}

static void test_config_parse(void **s)
{
    (void)s;
    struct net_config c;
    assert_int_equal(net_config_parse(&c, NULL, NULL, NULL), NET_OK);
    assert_true(c.dhcp);
    assert_int_equal(net_config_parse(&c, "192.168.1.7/16", "192.168.0.1", "1.2.3.4"), NET_OK);
    assert_false(c.dhcp);
    assert_int_equal(c.addr, IP4_ADDR(192, 168, 1, 7));
    assert_int_equal(c.netmask, 0xFFFF0000u);
    assert_int_equal(c.dns_port, 53);
    assert_int_equal(net_config_parse(&c, "10.0.0.1/33", NULL, NULL), NET_ERR_INVALID_ARG);
    assert_int_equal(net_config_parse(&c, "10.0.0.256", NULL, NULL), NET_ERR_INVALID_ARG);
    assert_int_equal(net_config_parse(&c, "10.0.0", NULL, NULL), NET_ERR_INVALID_ARG);
    assert_int_equal(net_config_parse(&c, "dhcp", NULL, "1.2.3.4:0"), NET_ERR_INVALID_ARG);
    assert_int_equal(net_config_parse(&c, "dhcp", NULL, "1.2.3.4:70000"), NET_ERR_INVALID_ARG);
    assert_int_equal(net_config_parse(&c, "dhcp", "x", NULL), NET_ERR_INVALID_ARG);
    /* leading zeros (octal to some parsers) are refused in every setting */
    assert_int_equal(net_config_parse(&c, "010.0.2.15/24", NULL, NULL), NET_ERR_INVALID_ARG);
    assert_int_equal(net_config_parse(&c, "dhcp", "10.0.2.02", NULL), NET_ERR_INVALID_ARG);
    assert_int_equal(net_config_parse(&c, "dhcp", NULL, "010.0.2.3:53"), NET_ERR_INVALID_ARG);
    assert_int_equal(net_config_parse(&c, "dhcp", NULL, "10.0.2.3."), NET_ERR_INVALID_ARG);
    assert_int_equal(net_config_parse(&c, "10.0.2.15/24", "10.0.2.2", "10.0.2.3:5353"), NET_OK);
    assert_true(ip_addr_is_v4(&c.dns));
    assert_int_equal(ip_addr_v4_value(&c.dns), IP4_ADDR(10, 0, 2, 3));
    assert_int_equal(c.dns_port, 5353);
    /* dns= over IPv6: alone, or in brackets with or without a port */
    static const uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
    assert_int_equal(net_config_parse(&c, NULL, NULL, "2001:db8::1"), NET_OK);
    assert_true(ip_addr_is_v6(&c.dns));
    assert_memory_equal(c.dns.bytes, v6, 16);
    assert_int_equal(c.dns_port, 53);
    assert_int_equal(net_config_parse(&c, NULL, NULL, "[2001:db8::1]:5353"), NET_OK);
    assert_memory_equal(c.dns.bytes, v6, 16);
    assert_int_equal(c.dns_port, 5353);
    assert_int_equal(net_config_parse(&c, NULL, NULL, "[2001:db8::1]"), NET_OK);
    assert_int_equal(c.dns_port, 53);
    const char *bad[] = {"[2001:db8::1]:", "[2001:db8::1]:0", "[2001:db8::1]:65536",
                         "[2001:db8::1", "[2001:db8::1]x", "2001:db8::1%eth0", "fe80::1%1",
                         "[10.0.2.3]:53", "::", "[::]:53", "ff02::1", "2001:db8::g",
                         "[]:53", "10.0.2.3:53:1", "10.0.2.3:"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (net_config_parse(&c, NULL, NULL, bad[i]) != NET_ERR_INVALID_ARG)
            fail_msg("dns=%s taken", bad[i]);
    /* 0.0.0.0 is "none given", as before: DHCP's server is used */
    assert_int_equal(net_config_parse(&c, NULL, NULL, "0.0.0.0"), NET_OK);
    assert_int_equal(c.dns.family, IP_FAMILY_NONE);
    char b[16];
    assert_string_equal(ip4_format(IP4_ADDR(10, 0, 2, 255), b), "10.0.2.255");
}

static void test_ipv4_parse(void **s)
{
    (void)s;
    uint8_t p[40] = { 0 };
    ipv4_build(p, GW, ME, 17, 9, 20, 64);
    struct ipv4_hdr h;
    assert_int_equal(ipv4_parse(p, 40, &h), NET_OK);
    assert_int_equal(h.total_len, 40);
    assert_int_equal(h.src, GW);
    for (size_t n = 0; n < 40; n++)                  /* every truncation fails */
        assert_int_equal(ipv4_parse(p, n, &h), NET_ERR_MALFORMED);
    uint8_t q[40];
    memcpy(q, p, 40);
    q[8] ^= 1;                                       /* checksum no longer matches */
    assert_int_equal(ipv4_parse(q, 40, &h), NET_ERR_MALFORMED);
    memcpy(q, p, 40);
    q[0] = 0x65;                                     /* version 6 */
    assert_int_equal(ipv4_parse(q, 40, &h), NET_ERR_MALFORMED);
    memcpy(q, p, 40);
    q[0] = 0x44;                                     /* IHL 16 bytes */
    assert_int_equal(ipv4_parse(q, 40, &h), NET_ERR_MALFORMED);
}

static void test_arp_parse(void **s)
{
    (void)s;
    struct arp_pkt a = { .op = 1, .spa = ME, .tpa = GW }, b;
    memcpy(a.sha, fake_mac, 6);
    uint8_t p[28];
    arp_build(p, &a);
    assert_int_equal(arp_parse(p, 28, &b), NET_OK);
    assert_int_equal(b.spa, ME);
    assert_int_equal(b.tpa, GW);
    assert_memory_equal(b.sha, fake_mac, 6);
    assert_int_equal(arp_parse(p, 27, &b), NET_ERR_MALFORMED);
    p[4] = 8;                                        /* hardware length */
    assert_int_equal(arp_parse(p, 28, &b), NET_ERR_MALFORMED);
}

static void test_udp_parse(void **s)
{
    (void)s;
    uint8_t f[200];
    const uint8_t msg[] = "hello";
    size_t n = fake_udp_frame(f, GW, 53, ME, 4000, msg, 5);
    struct udp_hdr h;
    assert_int_equal(udp_parse(GW, ME, f + 34, n - 34, &h), NET_OK);
    assert_int_equal(h.len, 13);
    assert_int_equal(udp_parse(GW, ME, f + 34, 12, &h), NET_ERR_MALFORMED);   /* length past the end */
    assert_int_equal(udp_parse(GW, IP4_ADDR(1, 1, 1, 1), f + 34, n - 34, &h), NET_ERR_MALFORMED);
    be16_put(f + 34 + 6, 0);                         /* checksum 0: not computed, accepted */
    assert_int_equal(udp_parse(GW, IP4_ADDR(1, 1, 1, 1), f + 34, n - 34, &h), NET_OK);
}

static void test_arp_resolution_holds_and_releases(void **s)
{
    (void)s;
    start_static();
    int sock = udp_open(4000);
    assert_true(sock >= 0);
    assert_int_equal(udp_sendto(sock, ADDR(IP4_ADDR(8, 8, 8, 8)), 53, "x", 1), NET_OK);
    /* off-link: an ARP request for the gateway, the datagram held */
    assert_int_equal(fake_ntx, 1);
    assert_int_equal(be16_get(fake_tx[0].b + 12), ETH_TYPE_ARP);
    struct arp_pkt a;
    assert_int_equal(arp_parse(fake_tx[0].b + 14, 28, &a), NET_OK);
    assert_int_equal(a.op, 1);
    assert_int_equal(a.tpa, GW);
    /* the reply releases the held datagram, addressed to the gateway's MAC */
    struct arp_pkt r = { .op = 2, .spa = GW, .tpa = ME };
    memcpy(r.sha, gw_mac, 6);
    memcpy(r.tha, fake_mac, 6);
    uint8_t f[60] = { 0 };
    eth_build(f, fake_mac, gw_mac, ETH_TYPE_ARP);
    arp_build(f + 14, &r);
    fake_queue(f, 60);
    poll_for(10);
    assert_int_equal(fake_ntx, 2);
    assert_memory_equal(fake_tx[1].b, gw_mac, 6);
    assert_int_equal(be16_get(fake_tx[1].b + 12), ETH_TYPE_IPV4);
    uint8_t mac[6];
    assert_int_equal(arp_lookup(GW, mac), 1);
    /* cached now: the next datagram goes out at once */
    assert_int_equal(udp_sendto(sock, ADDR(IP4_ADDR(8, 8, 8, 8)), 53, "y", 1), NET_OK);
    assert_int_equal(fake_ntx, 3);
    udp_close(sock);
}

/* The UDP socket API speaks struct ip_addr: an IPv6 destination while
   IPv6 is off (the stack's default) is refused with NET_ERR_NO_ROUTE, an
   address of no family with NET_ERR_FAMILY, and nothing leaves; a received
   datagram names its sender as an IPv4 ip_addr. (UDP over IPv6:
   test_udp6.c.) */
static void test_udp_addr_family(void **s)
{
    (void)s;
    start_static();
    int sock = udp_open(4002);
    assert_true(sock >= 0);
    struct ip_addr v6 = ip_addr_v4(GW);
    v6.family = IP_FAMILY_V6;
    assert_int_equal(udp_sendto(sock, &v6, 53, "x", 1), NET_ERR_NO_ROUTE);
    struct ip_addr none;
    memset(&none, 0, sizeof none);
    assert_int_equal(udp_sendto(sock, &none, 53, "x", 1), NET_ERR_FAMILY);
    assert_int_equal(udp_sendto(sock, NULL, 53, "x", 1), NET_ERR_INVALID_ARG);
    assert_int_equal(fake_ntx, 0);
    assert_int_equal(net_stats.udp_tx, 0);
    assert_string_equal(net_err_str(NET_ERR_FAMILY), "unsupported_family");

    uint8_t f[128];
    fake_queue(f, fake_udp_frame(f, IP4_ADDR(10, 0, 2, 7), 5555, ME, 4002, (const uint8_t *)"hi", 2));
    poll_for(10);
    uint8_t b[8];
    struct ip_addr src;
    uint16_t sport = 0;
    memset(&src, 0, sizeof src);
    assert_int_equal(udp_recvfrom(sock, b, sizeof b, &src, &sport), 2);
    assert_memory_equal(b, "hi", 2);
    assert_true(ip_addr_is_v4(&src));
    assert_true(ip_addr_eq(&src, ADDR(IP4_ADDR(10, 0, 2, 7))));
    assert_int_equal(sport, 5555);
    udp_close(sock);
}

static void test_arp_timeout_drops_held(void **s)
{
    (void)s;
    start_static();
    int sock = udp_open(4001);
    udp_sendto(sock, ADDR(IP4_ADDR(10, 0, 2, 99)), 9, "x", 1);
    poll_for(5000);
    int requests = 0;
    for (int i = 0; i < fake_ntx; i++)
        requests += be16_get(fake_tx[i].b + 12) == ETH_TYPE_ARP;
    assert_int_equal(requests, ARP_MAX_TRIES);
    assert_int_equal(fake_ntx, ARP_MAX_TRIES);      /* the datagram never left */
    assert_int_equal(net_stats.arp_timeouts, 1);
    assert_int_equal(net_stats.arp_queue_drops, 1);
    udp_close(sock);
}

/* Queues an ARP request from the gateway asking for our address. */
static void queue_arp_request_for_us(void)
{
    struct arp_pkt q = { .op = 1, .spa = GW, .tpa = ME };
    memcpy(q.sha, gw_mac, 6);
    uint8_t f[60] = { 0 };
    eth_build(f, eth_broadcast, gw_mac, ETH_TYPE_ARP);
    arp_build(f + 14, &q);
    fake_queue(f, 60);
}

static void test_arp_reply_to_request_for_us(void **s)
{
    (void)s;
    start_static();
    queue_arp_request_for_us();
    poll_for(10);
    assert_int_equal(fake_ntx, 1);
    struct arp_pkt r;
    assert_int_equal(arp_parse(fake_tx[0].b + 14, 28, &r), NET_OK);
    assert_int_equal(r.op, 2);
    assert_int_equal(r.spa, ME);
    assert_memory_equal(r.sha, fake_mac, 6);
    assert_memory_equal(fake_tx[0].b, gw_mac, 6);
}

/* A device with a flush hook (a driver that batches its doorbell, like
   virtio-net): net_poll ends with one flush, after the frames it sent, so
   nothing it queued waits for a later poll; net_flush rings it on demand. */
static int flush_calls, flush_ntx_seen;
static void fake_flush_fn(void *ctx)
{
    (void)ctx;
    flush_calls++;
    flush_ntx_seen = fake_ntx;
}

static void test_poll_ends_with_flush(void **s)
{
    (void)s;
    static struct netdev batching;
    batching = fake_dev;
    batching.flush = fake_flush_fn;
    start_static_on(&batching);
    flush_calls = 0;
    /* two ARP requests for us in one poll: two replies, then one flush */
    queue_arp_request_for_us();
    queue_arp_request_for_us();
    now += 10;
    net_poll(now);
    assert_int_equal(fake_ntx, 2);
    assert_int_equal(flush_calls, 1);
    assert_int_equal(flush_ntx_seen, 2);
    net_flush();
    assert_int_equal(flush_calls, 2);
    /* without the hook (fake_dev) net_flush does nothing and does not crash */
    start_static();
    net_flush();
    assert_int_equal(flush_calls, 2);
}

static void test_icmp_echo_reply(void **s)
{
    (void)s;
    start_static();
    uint8_t mac[6];
    /* teach ARP the gateway first (a request from it, for us) */
    queue_arp_request_for_us();
    uint8_t f[200] = { 0 };
    uint8_t icmp[16] = { 8, 0, 0, 0, 0x12, 0x34, 0, 1, 'p', 'i', 'n', 'g', 1, 2, 3, 4 };
    be16_put(icmp + 2, inet_checksum(icmp, sizeof icmp));
    size_t n = fake_ip_frame(f, GW, ME, 1, icmp, sizeof icmp);
    fake_queue(f, n);
    poll_for(10);
    assert_int_equal(arp_lookup(GW, mac), 1);
    assert_int_equal(fake_ntx, 2);                   /* ARP reply, then the echo reply */
    const uint8_t *rep = fake_tx[1].b + 34;
    assert_int_equal(rep[0], 0);
    assert_memory_equal(rep + 4, icmp + 4, sizeof icmp - 4);
    assert_int_equal(inet_checksum(rep, sizeof icmp), 0);
    assert_int_equal(net_stats.icmp_echo_reply_tx, 1);
    /* a corrupted echo request is counted, not answered */
    icmp[9] ^= 0xFF;
    n = fake_ip_frame(f, GW, ME, 1, icmp, sizeof icmp);
    fake_queue(f, n);
    poll_for(10);
    assert_int_equal(fake_ntx, 2);
    assert_int_equal(net_stats.rx_checksum_err, 1);
}

static void test_dhcp_parse_and_build(void **s)
{
    (void)s;
    uint8_t b[400];
    size_t n = dhcp_build(b, sizeof b, DHCP_REQUEST, 0xabcdef01, fake_mac, ME, GW);
    assert_true(n > 240);
    struct dhcp_msg m;
    assert_int_equal(dhcp_parse(b, n, &m), NET_OK);
    assert_int_equal(m.xid, 0xabcdef01);
    assert_int_equal(m.type, DHCP_REQUEST);
    assert_int_equal(m.server_id, GW);
    for (size_t k = 0; k < 240; k++)
        assert_int_equal(dhcp_parse(b, k, &m), NET_ERR_MALFORMED);
    uint8_t c[400];
    memcpy(c, b, n);
    c[236] = 0;                                      /* no magic cookie */
    assert_int_equal(dhcp_parse(c, n, &m), NET_ERR_MALFORMED);
    memcpy(c, b, 243);
    c[240] = 51; c[241] = 200;                       /* option runs past the end */
    assert_int_equal(dhcp_parse(c, 243, &m), NET_ERR_MALFORMED);
}

static void test_dhcp_exchange(void **s)
{
    (void)s;
    fake_reset();
    net_set_random(fake_random);
    struct net_config c;
    net_config_parse(&c, "dhcp", NULL, NULL);
    now = 0;
    net_init(&fake_dev, &c, now);
    assert_false(net_is_up());
    assert_int_equal(fake_ntx, 1);                   /* DISCOVER, broadcast */
    struct dhcp_msg d;
    assert_int_equal(dhcp_parse(fake_tx[0].b + 42, fake_tx[0].len - 42, &d), NET_OK);
    assert_int_equal(d.type, DHCP_DISCOVER);
    /* OFFER */
    uint8_t m[300] = { 0 };
    m[0] = 2; m[1] = 1; m[2] = 6;
    be32_put(m + 4, d.xid);
    be32_put(m + 16, ME);
    memcpy(m + 28, fake_mac, 6);
    be32_put(m + 236, 0x63825363);
    uint8_t opts[] = { 53, 1, 2, 54, 4, 10, 0, 2, 2, 1, 4, 255, 255, 255, 0, 3, 4, 10, 0, 2, 2,
                       6, 4, 10, 0, 2, 3, 51, 4, 0, 0, 0x0e, 0x10, 255 };
    memcpy(m + 240, opts, sizeof opts);
    uint8_t f[600];
    size_t n = fake_udp_frame(f, GW, 67, 0xFFFFFFFFu, 68, m, 240 + sizeof opts);
    fake_queue(f, n);
    poll_for(10);
    assert_int_equal(fake_ntx, 2);
    assert_int_equal(dhcp_parse(fake_tx[1].b + 42, fake_tx[1].len - 42, &d), NET_OK);
    assert_int_equal(d.type, DHCP_REQUEST);
    /* ACK */
    m[242] = 5;
    n = fake_udp_frame(f, GW, 67, 0xFFFFFFFFu, 68, m, 240 + sizeof opts);
    fake_queue(f, n);
    poll_for(10);
    assert_true(net_is_up());
    assert_int_equal(net_current_config()->addr, ME);
    assert_int_equal(net_current_config()->gw, GW);
    assert_int_equal(ip_addr_v4_value(&net_current_config()->dns), IP4_ADDR(10, 0, 2, 3));
    struct ip_addr srv;
    uint16_t port;
    assert_true(net_dns_server(&srv, &port));       /* DHCP's server, port 53 */
    assert_int_equal(ip_addr_v4_value(&srv), IP4_ADDR(10, 0, 2, 3));
    assert_int_equal(port, 53);
    assert_int_equal(net_current_config()->netmask, 0xFFFFFF00u);
}

static void test_dhcp_gives_up(void **s)
{
    (void)s;
    fake_reset();
    struct net_config c;
    net_config_parse(&c, "dhcp", NULL, NULL);
    now = 0;
    net_init(&fake_dev, &c, now);
    poll_for(DHCP_RETRY_MS * (DHCP_MAX_TRIES + 1));
    assert_int_equal(net_config_status(), NET_ERR_DHCP_TIMEOUT);
    assert_int_equal(fake_ntx, DHCP_MAX_TRIES);
}

/* --- DNS messages ------------------------------------------------------ */

static size_t dns_resp(uint8_t *out, uint16_t id, uint16_t flags, const uint8_t *answers,
                       size_t alen, uint16_t ancount, const char *qname)
{
    size_t n = dns_build_query(out, 512, id, qname);
    be16_put(out + 2, flags);
    be16_put(out + 6, ancount);
    if (alen)
        memcpy(out + n, answers, alen);
    return n + alen;
}

static void test_dns_query_build(void **s)
{
    (void)s;
    uint8_t b[300];
    size_t n = dns_build_query(b, sizeof b, 0x1234, "www.example.com");
    assert_int_equal(n, 12 + 17 + 4);
    assert_memory_equal(b + 12, "\3www\7example\3com\0", 17);
    assert_int_equal(dns_build_query(b, sizeof b, 1, ""), 0);
    assert_int_equal(dns_build_query(b, sizeof b, 1, "a..b"), 0);
    char lab[80];
    memset(lab, 'a', 64);
    lab[64] = 0;
    assert_int_equal(dns_build_query(b, sizeof b, 1, lab), 0);   /* 64-byte label */
    assert_int_equal(dns_build_query(b, 20, 1, "example.com"), 0);
}

/* DNS over TCP: the query goes with its 2-byte length; a response fed in
   pieces of every size is whole exactly once, and a bad length is named. */
static void test_dns_tcp_framing(void **s)
{
    (void)s;
    uint8_t udp[300], tcp[302];
    size_t n = dns_build_query(udp, sizeof udp, 0x1234, "big.test");
    assert_int_equal(dns_tcp_build_query(tcp, sizeof tcp, 0x1234, "big.test"), n + 2);
    assert_int_equal(be16_get(tcp), n);
    assert_memory_equal(tcp + 2, udp, n);
    assert_int_equal(dns_tcp_build_query(tcp, 1, 0x1234, "big.test"), 0);
    assert_int_equal(dns_tcp_build_query(tcp, sizeof tcp, 0x1234, ""), 0);
    /* a 600-byte message and 5 bytes of the next one, in every piece size */
    uint8_t stream[2 + 600 + 5], buf[600];
    be16_put(stream, 600);
    for (int i = 0; i < 605; i++)
        stream[2 + i] = (uint8_t)(i * 7);
    for (size_t piece = 1; piece <= sizeof stream; piece++) {
        struct dns_tcp_reader r;
        dns_tcp_reader_init(&r, buf, sizeof buf);
        size_t off = 0;
        enum net_err e = NET_ERR_AGAIN;
        while (e == NET_ERR_AGAIN && off < sizeof stream) {
            size_t k = sizeof stream - off < piece ? sizeof stream - off : piece, used;
            e = dns_tcp_feed(&r, stream + off, k, &used);
            assert_true(used <= k);
            off += used;
        }
        assert_int_equal(e, NET_OK);
        assert_int_equal(off, 602);                 /* nothing of the next message */
        assert_int_equal(r.len, 600);
        assert_memory_equal(buf, stream + 2, 600);
    }
    struct dns_tcp_reader r;
    size_t used;
    dns_tcp_reader_init(&r, buf, sizeof buf);
    assert_int_equal(dns_tcp_feed(&r, (const uint8_t *)"\x00\x00", 2, &used), NET_ERR_DNS_MALFORMED);
    dns_tcp_reader_init(&r, buf, 100);              /* longer than the buffer */
    assert_int_equal(dns_tcp_feed(&r, stream, 10, &used), NET_ERR_DNS_MALFORMED);
    dns_tcp_reader_init(&r, buf, sizeof buf);
    assert_int_equal(dns_tcp_feed(&r, stream, 1, &used), NET_ERR_AGAIN);
    assert_int_equal(used, 1);
}

static void test_dns_parse_answers(void **s)
{
    (void)s;
    uint8_t m[512];
    struct dns_answer a;
    /* www.test CNAME (ptr) -> a.test; a.test A 1.2.3.4; names compressed */
    const uint8_t ans[] = {
        0xC0, 12, 0, 5, 0, 1, 0, 0, 0, 100, 0, 8, 1, 'a', 4, 't', 'e', 's', 't', 0,
        0xC0, 38, 0, 1, 0, 1, 0, 0, 0, 50, 0, 4, 1, 2, 3, 4,
    };
    size_t n = dns_resp(m, 7, 0x8180, ans, sizeof ans, 2, "www.test");
    assert_int_equal(dns_parse_response(m, n, 7, "WWW.test", &a), NET_OK);
    assert_int_equal(a.naddr, 1);
    assert_true(ip_addr_is_v4(&a.addr[0]));
    assert_true(ip_addr_eq(&a.addr[0], ADDR(IP4_ADDR(1, 2, 3, 4))));
    assert_int_equal(a.ttl, 50);
    assert_string_equal(a.canonical, "a.test");
    /* every truncation is an error, never a crash */
    for (size_t k = 0; k < n; k++)
        assert_int_not_equal(dns_parse_response(m, k, 7, "www.test", &a), NET_OK);
    assert_int_equal(dns_parse_response(m, n, 8, "www.test", &a), NET_ERR_DNS_MALFORMED);
    assert_int_equal(dns_parse_response(m, n, 7, "other.test", &a), NET_ERR_DNS_MALFORMED);
    n = dns_resp(m, 7, 0x8183, NULL, 0, 0, "nx.test");
    assert_int_equal(dns_parse_response(m, n, 7, "nx.test", &a), NET_ERR_DNS_NXDOMAIN);
    n = dns_resp(m, 7, 0x8182, NULL, 0, 0, "x.test");
    assert_int_equal(dns_parse_response(m, n, 7, "x.test", &a), NET_ERR_DNS_SERVFAIL);
    n = dns_resp(m, 7, 0x8380, NULL, 0, 0, "x.test");    /* TC */
    assert_int_equal(dns_parse_response(m, n, 7, "x.test", &a), NET_OK);
    assert_true(a.truncated);
    n = dns_resp(m, 7, 0x8180, NULL, 0, 0, "x.test");
    assert_int_equal(dns_parse_response(m, n, 7, "x.test", &a), NET_ERR_DNS_NO_ANSWER);
}

/* A name of n characters: labels of 63 'a' (the last shorter) joined by
   dots, plus a final dot when dot. */
static const char *long_name(size_t n, bool dot)
{
    static char b[512];
    size_t w = 0, label = 0;
    while (w < n) {
        if (label == 63 && w + 1 < n) {
            b[w++] = '.';
            label = 0;
        } else {
            b[w++] = 'a';
            label++;
        }
    }
    if (dot)
        b[w++] = '.';
    b[w] = 0;
    return b;
}

/* Names longer than 253 characters (254 with the root's final dot) are
   refused by every entry point; a 253-character name fills canonical[]
   exactly, with or without the final dot. */
static void test_dns_name_limits(void **s)
{
    (void)s;
    static uint8_t m[600];
    struct dns_answer a;
    assert_int_equal(strlen(long_name(253, false)), 253);
    assert_int_equal(dns_name_len(long_name(253, false)), 253);
    assert_int_equal(dns_name_len(long_name(253, true)), 253);
    assert_int_equal(dns_name_len(long_name(254, false)), 0);
    assert_int_equal(dns_name_len(long_name(254, true)), 0);
    assert_int_equal(dns_name_len(long_name(400, false)), 0);
    assert_int_equal(dns_name_len(""), 0);
    assert_int_equal(dns_name_len("."), 0);
    assert_int_equal(dns_name_len("a.test."), 6);
    assert_int_equal(dns_build_query(m, sizeof m, 1, long_name(254, false)), 0);
    assert_int_equal(dns_build_query(m, sizeof m, 1, long_name(254, true)), 0);
    assert_int_equal(dns_query_start(long_name(254, false)), NET_ERR_INVALID_ARG);
    assert_int_equal(dns_query_start(long_name(254, true)), NET_ERR_INVALID_ARG);
    /* a response is not even looked at for a name that long */
    size_t n = dns_resp(m, 7, 0x8180, NULL, 0, 0, "x.test");
    assert_int_equal(dns_parse_response(m, n, 7, long_name(254, false), &a), NET_ERR_INVALID_ARG);
    assert_int_equal(dns_parse_response(m, n, 7, long_name(254, true), &a), NET_ERR_INVALID_ARG);
    /* the longest name, answered (A record named by a pointer to the
       question): canonical holds all 253 characters, no final dot */
    const uint8_t ans[] = { 0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, 7 };
    for (int dot = 0; dot < 2; dot++) {
        n = dns_resp(m, 7, 0x8180, ans, sizeof ans, 1, long_name(253, dot));
        assert_true(n > 253);
        assert_int_equal(dns_parse_response(m, n, 7, long_name(253, dot), &a), NET_OK);
        assert_int_equal(a.naddr, 1);
        assert_string_equal(a.canonical, long_name(253, false));
    }
    /* on the wire: 253 characters read, 254 refused */
    size_t off = 12;
    char out[DNS_MAX_NAME + 2];
    n = dns_resp(m, 7, 0x8180, NULL, 0, 0, long_name(253, false));
    assert_int_equal(dns_read_name(m, n, &off, out, sizeof out), NET_OK);
    assert_int_equal(strlen(out), 253);
    m[12 + 64 * 3] = 62;                       /* last label 61 -> 62: 254 characters */
    static uint8_t m2[600];
    memcpy(m2, m, 12 + 64 * 3 + 1);
    memset(m2 + 12 + 64 * 3 + 1, 'a', 62);
    m2[12 + 64 * 3 + 63] = 0;
    off = 12;
    assert_int_equal(dns_read_name(m2, 12 + 64 * 3 + 64, &off, out, sizeof out),
                     NET_ERR_DNS_MALFORMED);
}

/* NXDOMAIN, SERVFAIL, REFUSED and truncated answers must match the
   question (QDCOUNT 1, our name, type A, class IN) as NOERROR answers do:
   one that does not is malformed, never taken as the answer. */
static void test_dns_errors_match_question(void **s)
{
    (void)s;
    uint8_t m[512];
    struct dns_answer a;
    static const struct { uint16_t flags; enum net_err ok; } kinds[] = {
        { 0x8183, NET_ERR_DNS_NXDOMAIN }, { 0x8182, NET_ERR_DNS_SERVFAIL },
        { 0x8185, NET_ERR_DNS_REFUSED }, { 0x8380, NET_OK /* TC */ },
    };
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        size_t n = dns_resp(m, 7, kinds[k].flags, NULL, 0, 0, "x.test");
        assert_int_equal(dns_parse_response(m, n, 7, "x.test", &a), kinds[k].ok);
        assert_int_equal(a.truncated, kinds[k].ok == NET_OK);
        assert_int_equal(dns_parse_response(m, n, 7, "X.TEST.", &a), kinds[k].ok);
        /* another name */
        assert_int_equal(dns_parse_response(m, n, 7, "y.test", &a), NET_ERR_DNS_MALFORMED);
        assert_false(a.truncated);
        /* another id */
        assert_int_equal(dns_parse_response(m, n, 8, "x.test", &a), NET_ERR_DNS_MALFORMED);
        /* no question, or two */
        be16_put(m + 4, 0);
        assert_int_equal(dns_parse_response(m, n, 7, "x.test", &a), NET_ERR_DNS_MALFORMED);
        be16_put(m + 4, 2);
        assert_int_equal(dns_parse_response(m, n, 7, "x.test", &a), NET_ERR_DNS_MALFORMED);
        be16_put(m + 4, 1);
        /* type AAAA (28), then class CH (3) */
        be16_put(m + n - 4, 28);
        assert_int_equal(dns_parse_response(m, n, 7, "x.test", &a), NET_ERR_DNS_MALFORMED);
        be16_put(m + n - 4, 1);
        be16_put(m + n - 2, 3);
        assert_int_equal(dns_parse_response(m, n, 7, "x.test", &a), NET_ERR_DNS_MALFORMED);
        be16_put(m + n - 2, 1);
        /* cut inside the question */
        assert_int_equal(dns_parse_response(m, n - 1, 7, "x.test", &a), NET_ERR_DNS_MALFORMED);
        assert_int_equal(dns_parse_response(m, 12, 7, "x.test", &a), NET_ERR_DNS_MALFORMED);
        assert_int_equal(dns_parse_response(m, n, 7, "x.test", &a), kinds[k].ok);
    }
}

static void test_dns_hostile_names(void **s)
{
    (void)s;
    char out[300];
    size_t off;
    const uint8_t self_loop[] = { 0, 0, 0xC0, 2 };             /* pointer to itself */
    off = 2;
    assert_int_equal(dns_read_name(self_loop, sizeof self_loop, &off, out, sizeof out), NET_ERR_DNS_MALFORMED);
    const uint8_t fwd[] = { 0xC0, 2, 1, 'a', 0 };               /* forward pointer */
    off = 0;
    assert_int_equal(dns_read_name(fwd, sizeof fwd, &off, out, sizeof out), NET_ERR_DNS_MALFORMED);
    const uint8_t past[] = { 5, 'a', 'b' };                     /* label past the end */
    off = 0;
    assert_int_equal(dns_read_name(past, sizeof past, &off, out, sizeof out), NET_ERR_DNS_MALFORMED);
    const uint8_t badptr[] = { 0xC0 };                          /* half a pointer */
    off = 0;
    assert_int_equal(dns_read_name(badptr, 1, &off, out, sizeof out), NET_ERR_DNS_MALFORMED);
    const uint8_t rsv[] = { 0x40, 'a', 0 };                     /* reserved label type */
    off = 0;
    assert_int_equal(dns_read_name(rsv, 3, &off, out, sizeof out), NET_ERR_DNS_MALFORMED);
    /* a mutual loop a -> b -> a is impossible: pointers only go backwards */
    const uint8_t ok[] = { 1, 'x', 0, 1, 'y', 0xC0, 0 };
    off = 3;
    assert_int_equal(dns_read_name(ok, sizeof ok, &off, out, sizeof out), NET_OK);
    assert_string_equal(out, "y.x");
    assert_int_equal(off, 7);
    /* an over-long name (> 253) is refused */
    uint8_t longname[400];
    size_t w = 0;
    for (int i = 0; i < 5; i++) {
        longname[w++] = 63;
        memset(longname + w, 'a', 63);
        w += 63;
    }
    longname[w++] = 0;
    off = 0;
    assert_int_equal(dns_read_name(longname, w, &off, out, sizeof out), NET_ERR_DNS_MALFORMED);
}

/* --- the resolver over the fake device ------------------------------------ */

static void learn_gateway(void)
{
    queue_arp_request_for_us();
    poll_for(10);
}

static void test_resolver_retry_and_cache(void **s)
{
    (void)s;
    start_static();
    learn_gateway();
    int base = fake_ntx;
    assert_int_equal(dns_query_start("a.test"), NET_OK);
    assert_int_equal(fake_ntx, base + 1);
    struct dns_answer a;
    assert_int_equal(dns_query_result(&a), NET_ERR_AGAIN);
    poll_for(DNS_RETRY_MS + 20);                      /* no answer: retried */
    assert_int_equal(fake_ntx, base + 2);
    const uint8_t *q = fake_tx[base + 1].b;
    uint16_t sport = be16_get(q + 34), id = be16_get(q + 42);
    assert_int_equal(be16_get(q + 36), 5353);
    assert_true(sport >= 49152);
    /* an answer with the wrong id is ignored, then the right one lands */
    uint8_t m[512], f[600];
    const uint8_t ans[] = { 0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 2, 0, 4, 10, 1, 2, 3 };
    size_t n = dns_resp(m, (uint16_t)(id + 1), 0x8180, ans, sizeof ans, 1, "a.test");
    fake_queue(f, fake_udp_frame(f, DNS, 5353, ME, sport, m, n));
    poll_for(10);
    assert_int_equal(dns_query_result(&a), NET_ERR_AGAIN);
    n = dns_resp(m, id, 0x8180, ans, sizeof ans, 1, "a.test");
    /* the right id from another address than the server's: ignored */
    fake_queue(f, fake_udp_frame(f, IP4_ADDR(10, 0, 2, 3), 5353, ME, sport, m, n));
    poll_for(10);
    assert_int_equal(dns_query_result(&a), NET_ERR_AGAIN);
    fake_queue(f, fake_udp_frame(f, DNS, 5353, ME, sport, m, n));
    poll_for(10);
    assert_int_equal(dns_query_result(&a), NET_OK);
    assert_true(ip_addr_eq(&a.addr[0], ADDR(IP4_ADDR(10, 1, 2, 3))));
    /* cached for its TTL (2 s), then asked again */
    int sent = fake_ntx;
    assert_int_equal(dns_query_start("A.TEST"), NET_OK);
    assert_int_equal(dns_query_result(&a), NET_OK);
    assert_int_equal(fake_ntx, sent);
    poll_for(2100);
    assert_int_equal(dns_query_start("a.test"), NET_OK);
    assert_int_equal(fake_ntx, sent + 1);
    /* and a silent server times out after DNS_TRIES */
    poll_for(DNS_RETRY_MS * DNS_TRIES + 50);
    assert_int_equal(dns_query_result(&a), NET_ERR_DNS_TIMEOUT);
}

/* --- IPv4 reassembly -------------------------------------------------------- */

#define PEER IP4_ADDR(10, 0, 2, 9)

/* An IPv4 fragment from src to us in an Ethernet frame: frag is the header's
   flags+offset field, data its len payload bytes. */
static size_t frag_raw(uint8_t *out, ip4_addr src, uint8_t proto, uint16_t id, uint16_t frag,
                       const uint8_t *data, size_t len)
{
    eth_build(out, fake_mac, gw_mac, ETH_TYPE_IPV4);
    ipv4_build(out + 14, src, ME, proto, id, (uint16_t)len, 64);
    be16_put(out + 14 + 6, frag);
    be16_put(out + 14 + 10, 0);
    be16_put(out + 14 + 10, inet_checksum(out + 14, IPV4_HDR_LEN));
    memcpy(out + 34, data, len);
    return 34 + len;
}

/* Feeds one frame and polls once; recycles the fake's RX table when drained. */
static void rx_frame(const uint8_t *f, size_t n)
{
    fake_queue(f, n);
    poll_for(10);
    if (fake_rx_pos == fake_nrx)
        fake_nrx = fake_rx_pos = 0;
}

/* Bytes [off, off + len) of datagram payload dg as one fragment. */
static void send_frag(ip4_addr src, uint8_t proto, uint16_t id, const uint8_t *dg, size_t off,
                      size_t len, int mf)
{
    uint8_t f[1600];
    assert_true(len <= 1480 && off % 8 == 0);      /* one frame; else a test bug */
    uint16_t frag = (uint16_t)((mf ? IPV4_FRAG_MF : 0) | (off / 8));
    rx_frame(f, frag_raw(f, src, proto, id, frag, dg + off, len));
}

/* UDP header and payload (n bytes of a pattern seeded by seed) from
   (src, 7777) to our dport, checksummed, into u; returns 8 + n. The payload
   alone goes to want when not NULL. */
static size_t udp_dgram(uint8_t *u, ip4_addr src, uint16_t dport, size_t n, unsigned seed,
                        uint8_t *want)
{
    be16_put(u, 7777);
    be16_put(u + 2, dport);
    be16_put(u + 4, (uint16_t)(8 + n));
    be16_put(u + 6, 0);
    for (size_t i = 0; i < n; i++)
        u[8 + i] = (uint8_t)(i * 7 + i / 251 + seed);
    uint32_t sum = inet_pseudo_sum(src, ME, IPV4_PROTO_UDP, (uint16_t)(8 + n));
    uint16_t c = inet_fold(inet_sum(sum, u, 8 + n));
    be16_put(u + 6, c ? c : 0xFFFF);
    if (want)
        memcpy(want, u + 8, n);
    return 8 + n;
}

/* The next datagram on sock is exactly want[0..n). */
static void expect_udp(int sock, const uint8_t *want, size_t n)
{
    static uint8_t got[UDP_RX_MAX_PAYLOAD + 1];
    assert_int_equal(udp_recvfrom(sock, got, sizeof got, NULL, NULL), n);
    assert_memory_equal(got, want, n);
}

static void expect_no_udp(int sock)
{
    uint8_t b[16];
    assert_int_equal(udp_recvfrom(sock, b, sizeof b, NULL, NULL), 0);
}

/* A 4000-byte UDP payload in three fragments (1480, 1480, 1048), in each of
   the six orders, reaches the socket byte-exact; the counters line ends with
   the new keys. */
static void test_ip4_reasm_udp_orders(void **s)
{
    (void)s;
    static const int orders[6][3] = { { 0, 1, 2 }, { 2, 1, 0 }, { 1, 0, 2 },
                                      { 1, 2, 0 }, { 2, 0, 1 }, { 0, 2, 1 } };
    static uint8_t dg[4008], want[4000];
    const size_t off[3] = { 0, 1480, 2960 }, len[3] = { 1480, 1480, 1048 };
    start_static();
    int sock = udp_open(5000);
    assert_true(sock >= 0);
    for (int o = 0; o < 6; o++) {
        assert_int_equal(udp_dgram(dg, GW, 5000, 4000, (unsigned)o, want), 4008);
        for (int k = 0; k < 3; k++) {
            int i = orders[o][k];
            assert_int_equal(net_stats.ip_reasm_ok, (uint64_t)o);   /* not before the last */
            send_frag(GW, IPV4_PROTO_UDP, (uint16_t)(300 + o), dg, off[i], len[i], i != 2);
        }
        assert_int_equal(net_stats.ip_reasm_ok, (uint64_t)o + 1);
        expect_udp(sock, want, 4000);
        assert_int_equal(ip4_reasm_pending(), 0);
    }
    assert_int_equal(net_stats.ip_frag_rx, 18);
    assert_int_equal(net_stats.ip_frag_dropped, 0);
    assert_int_equal(net_stats.udp_rx, 6);
    char line[1024];
    size_t n = net_counters_format(line, sizeof line);
    assert_true(n < sizeof line);
    assert_int_equal(strncmp(line, "net: counters rx_frames=", 24), 0);
    const char *tail = "fault_corrupt=0 ip_frag_rx=18 ip_reasm_ok=6 ip_reasm_timeout=0";
    assert_true(n > strlen(tail));
    assert_string_equal(line + n - strlen(tail), tail);
    udp_close(sock);
}

static uint32_t reasm_rng = 12345;
static uint32_t reasm_rand(uint32_t bound)
{
    reasm_rng ^= reasm_rng << 13;
    reasm_rng ^= reasm_rng >> 17;
    reasm_rng ^= reasm_rng << 5;
    return reasm_rng % bound;
}

/* Random sizes, fragment lengths, orders and duplicates (all arriving before
   the fragment that completes the datagram): always one datagram, exact. */
static void test_ip4_reasm_shuffled(void **s)
{
    (void)s;
    static uint8_t dg[4104], want[4096];
    size_t off[600], len[600], seq[1200], dups = 0, most = 0;
    start_static();
    int sock = udp_open(5001);
    for (unsigned round = 0; round < 40; round++) {
        size_t total = udp_dgram(dg, GW, 5001, 1 + reasm_rand(4096), round, want);
        size_t np = 0;
        for (size_t at = 0; at < total; np++) {
            size_t l = 8 * (1 + reasm_rand(round % 4 == 0 ? 4 : 185));
            off[np] = at;
            len[np] = l < total - at ? l : total - at;
            at += len[np];
        }
        if (np == 1)                                /* one piece is not a fragment */
            continue;
        size_t ord[600];
        for (size_t i = 0; i < np; i++)
            ord[i] = i;
        for (size_t i = np - 1; i > 0; i--) {       /* Fisher-Yates */
            size_t j = reasm_rand((uint32_t)i + 1), t = ord[i];
            ord[i] = ord[j];
            ord[j] = t;
        }
        /* every piece but the last of ord, some twice (a copy of any of
           them, possibly ahead of its original), then the last */
        size_t ns = 0;
        for (size_t k = 0; k + 1 < np; k++) {
            seq[ns++] = ord[k];
            if (reasm_rand(4) == 0) {
                seq[ns++] = ord[reasm_rand((uint32_t)np - 1)];
                dups++;
            }
        }
        seq[ns++] = ord[np - 1];
        most = np > most ? np : most;
        uint64_t ok = net_stats.ip_reasm_ok;
        for (size_t k = 0; k < ns; k++)
            send_frag(GW, IPV4_PROTO_UDP, (uint16_t)(1000 + round), dg, off[seq[k]], len[seq[k]],
                      off[seq[k]] + len[seq[k]] < total);
        assert_int_equal(net_stats.ip_reasm_ok, ok + 1);
        expect_udp(sock, want, total - 8);
        expect_no_udp(sock);
        assert_int_equal(ip4_reasm_pending(), 0);
    }
    assert_int_equal(net_stats.ip_frag_dropped, 0);
    assert_true(net_stats.ip_reasm_ok > 30);
    assert_true(dups > 100 && most > 100);       /* the mix really had both */
    udp_close(sock);
}

/* Exact duplicates are harmless; a copy after completion opens a datagram
   that never completes and times out. */
static void test_ip4_reasm_duplicates(void **s)
{
    (void)s;
    static uint8_t dg[3008], want[3000];
    start_static();
    int sock = udp_open(5002);
    udp_dgram(dg, GW, 5002, 3000, 9, want);
    send_frag(GW, IPV4_PROTO_UDP, 42, dg, 0, 1480, 1);
    send_frag(GW, IPV4_PROTO_UDP, 42, dg, 0, 1480, 1);
    send_frag(GW, IPV4_PROTO_UDP, 42, dg, 2960, 48, 0);
    send_frag(GW, IPV4_PROTO_UDP, 42, dg, 2960, 48, 0);
    assert_int_equal(net_stats.ip_reasm_ok, 0);
    send_frag(GW, IPV4_PROTO_UDP, 42, dg, 1480, 1480, 1);
    assert_int_equal(net_stats.ip_reasm_ok, 1);
    expect_udp(sock, want, 3000);
    assert_int_equal(ip4_reasm_pending(), 0);
    send_frag(GW, IPV4_PROTO_UDP, 42, dg, 1480, 1480, 1);    /* late copy */
    assert_int_equal(ip4_reasm_pending(), 1);
    poll_for(IP4_REASM_TIMEOUT_MS + 20);
    assert_int_equal(ip4_reasm_pending(), 0);
    assert_int_equal(net_stats.ip_reasm_timeout, 1);
    assert_int_equal(net_stats.ip_reasm_ok, 1);
    assert_int_equal(net_stats.ip_frag_dropped, 0);
    expect_no_udp(sock);
    udp_close(sock);
}

/* Overlaps that repeat the same bytes are accepted; a different byte under
   an overlap discards the whole datagram, and what arrives later for the
   same id starts afresh (so no mix of the two versions is ever delivered). */
static void test_ip4_reasm_overlap(void **s)
{
    (void)s;
    static uint8_t dg[4008], want[4000], bad[4008];
    start_static();
    int sock = udp_open(5003);
    udp_dgram(dg, GW, 5003, 4000, 3, want);
    /* consistent overlaps: [1000, 2000) over [0, 1480) and [1480, 2960),
       the last [2952, 4008) over [1480, 2960) */
    send_frag(GW, IPV4_PROTO_UDP, 60, dg, 0, 1480, 1);
    send_frag(GW, IPV4_PROTO_UDP, 60, dg, 1000, 1000, 1);
    send_frag(GW, IPV4_PROTO_UDP, 60, dg, 2952, 1056, 0);
    assert_int_equal(net_stats.ip_reasm_ok, 0);
    send_frag(GW, IPV4_PROTO_UDP, 60, dg, 1480, 1480, 1);
    assert_int_equal(net_stats.ip_reasm_ok, 1);
    expect_udp(sock, want, 4000);
    assert_int_equal(net_stats.ip_frag_dropped, 0);

    /* one byte differs where [1000, 2000) overlaps [0, 1480) */
    memcpy(bad, dg, sizeof dg);
    bad[1234] ^= 0x01;
    send_frag(GW, IPV4_PROTO_UDP, 61, dg, 0, 1480, 1);
    send_frag(GW, IPV4_PROTO_UDP, 61, bad, 1000, 1000, 1);
    assert_int_equal(net_stats.ip_frag_dropped, 1);
    assert_int_equal(ip4_reasm_pending(), 0);
    send_frag(GW, IPV4_PROTO_UDP, 61, dg, 1480, 1480, 1);
    send_frag(GW, IPV4_PROTO_UDP, 61, dg, 2960, 1048, 0);
    assert_int_equal(net_stats.ip_reasm_ok, 1);                /* [0, 1480) went with it */
    expect_no_udp(sock);
    send_frag(GW, IPV4_PROTO_UDP, 61, dg, 0, 1480, 1);
    assert_int_equal(net_stats.ip_reasm_ok, 2);
    expect_udp(sock, want, 4000);

    /* the other way round: the changed copy first, the good one overlapping */
    send_frag(GW, IPV4_PROTO_UDP, 62, bad, 1000, 1000, 1);
    send_frag(GW, IPV4_PROTO_UDP, 62, dg, 0, 1480, 1);
    assert_int_equal(net_stats.ip_frag_dropped, 2);
    assert_int_equal(ip4_reasm_pending(), 0);

    /* a last fragment repeated with its final (partial-block) byte changed */
    memcpy(bad, dg, sizeof dg);
    bad[4007] ^= 0x80;
    send_frag(GW, IPV4_PROTO_UDP, 63, dg, 2960, 1048, 0);
    send_frag(GW, IPV4_PROTO_UDP, 63, bad, 2960, 1048, 0);
    assert_int_equal(net_stats.ip_frag_dropped, 3);
    assert_int_equal(ip4_reasm_pending(), 0);
    send_frag(GW, IPV4_PROTO_UDP, 63, dg, 0, 1480, 1);
    send_frag(GW, IPV4_PROTO_UDP, 63, dg, 1480, 1480, 1);
    assert_int_equal(net_stats.ip_reasm_ok, 2);
    expect_no_udp(sock);
    udp_close(sock);
}

/* A datagram missing a fragment is discarded IP4_REASM_TIMEOUT_MS after its
   first fragment (later fragments do not extend it); the slot is free and
   the same id then reassembles. */
static void test_ip4_reasm_timeout(void **s)
{
    (void)s;
    static uint8_t dg[4008], want[4000];
    start_static();
    int sock = udp_open(5004);
    udp_dgram(dg, GW, 5004, 4000, 5, want);
    send_frag(GW, IPV4_PROTO_UDP, 77, dg, 0, 1480, 1);
    poll_for(10000);
    send_frag(GW, IPV4_PROTO_UDP, 77, dg, 2960, 1048, 0);
    poll_for(IP4_REASM_TIMEOUT_MS - 10000 - 100);
    assert_int_equal(ip4_reasm_pending(), 1);
    assert_int_equal(net_stats.ip_reasm_timeout, 0);
    poll_for(200);
    assert_int_equal(ip4_reasm_pending(), 0);
    assert_int_equal(net_stats.ip_reasm_timeout, 1);
    /* the missing middle alone now starts a new datagram: nothing delivered */
    send_frag(GW, IPV4_PROTO_UDP, 77, dg, 1480, 1480, 1);
    assert_int_equal(net_stats.ip_reasm_ok, 0);
    expect_no_udp(sock);
    poll_for(IP4_REASM_TIMEOUT_MS);
    assert_int_equal(net_stats.ip_reasm_timeout, 2);
    /* a complete datagram with the same id */
    send_frag(GW, IPV4_PROTO_UDP, 77, dg, 2960, 1048, 0);
    send_frag(GW, IPV4_PROTO_UDP, 77, dg, 1480, 1480, 1);
    send_frag(GW, IPV4_PROTO_UDP, 77, dg, 0, 1480, 1);
    assert_int_equal(net_stats.ip_reasm_ok, 1);
    expect_udp(sock, want, 4000);
    assert_int_equal(ip4_reasm_pending(), 0);
    assert_int_equal(net_stats.ip_frag_dropped, 0);
    udp_close(sock);
}

/* A payload of exactly IP4_REASM_MAX reassembles (UDP then refuses it as
   over UDP_RX_MAX_PAYLOAD); 8 bytes more is dropped at the fragment that
   reaches past the limit, or at once when that fragment comes first. */
static void test_ip4_reasm_oversize(void **s)
{
    (void)s;
    static uint8_t dg[IP4_REASM_MAX + 8];
    start_static();
    int sock = udp_open(5005);
    for (int extra = 0; extra <= 8; extra += 8) {
        size_t total = udp_dgram(dg, GW, 5005, IP4_REASM_MAX - 8 + (size_t)extra, 1, NULL);
        uint16_t id = (uint16_t)(90 + extra);
        for (size_t at = 0; at < total; at += 1480) {
            size_t l = total - at < 1480 ? total - at : 1480;
            send_frag(GW, IPV4_PROTO_UDP, id, dg, at, l, at + l < total);
        }
    }
    assert_int_equal(net_stats.ip_reasm_ok, 1);
    assert_int_equal(net_stats.udp_rx, 1);           /* parsed, checksum good */
    assert_int_equal(net_stats.rx_dropped, 1);       /* too big for the socket */
    assert_int_equal(net_stats.ip_frag_dropped, 1);
    assert_int_equal(ip4_reasm_pending(), 0);
    /* the fragment past the limit first: dropped, no slot taken */
    send_frag(GW, IPV4_PROTO_UDP, 99, dg, 16280, 112, 0);
    assert_int_equal(net_stats.ip_frag_dropped, 2);
    assert_int_equal(ip4_reasm_pending(), 0);
    expect_no_udp(sock);
    udp_close(sock);
}

/* Five datagrams for four slots: the oldest is evicted and counted, the
   other four complete; the evicted one's late fragments start afresh. The
   key is (src, dst, proto, id): the same id from another source is
   another datagram. */
static void test_ip4_reasm_slots(void **s)
{
    (void)s;
    static uint8_t dg[5][3008], want[5][3000];
    start_static();
    int sock = udp_open(5006);
    for (int d = 0; d < 5; d++) {
        ip4_addr src = d == 4 ? PEER : GW;          /* the fifth reuses id 100 */
        udp_dgram(dg[d], src, 5006, 3000, (unsigned)(40 + d), want[d]);
        send_frag(src, IPV4_PROTO_UDP, (uint16_t)(100 + d % 4), dg[d], 0, 1480, 1);
    }
    assert_int_equal(ip4_reasm_pending(), IP4_REASM_SLOTS);
    assert_int_equal(net_stats.ip_frag_dropped, 1);       /* datagram 0 evicted */
    for (int d = 1; d < 5; d++) {
        ip4_addr src = d == 4 ? PEER : GW;
        send_frag(src, IPV4_PROTO_UDP, (uint16_t)(100 + d % 4), dg[d], 2960, 48, 0);
        send_frag(src, IPV4_PROTO_UDP, (uint16_t)(100 + d % 4), dg[d], 1480, 1480, 1);
        expect_udp(sock, want[d], 3000);
    }
    assert_int_equal(net_stats.ip_reasm_ok, 4);
    send_frag(GW, IPV4_PROTO_UDP, 100, dg[0], 1480, 1480, 1);
    send_frag(GW, IPV4_PROTO_UDP, 100, dg[0], 2960, 48, 0);
    assert_int_equal(net_stats.ip_reasm_ok, 4);
    assert_int_equal(ip4_reasm_pending(), 1);
    expect_no_udp(sock);
    udp_close(sock);
}

/* Fragments hostile or malformed by themselves are refused without taking a
   slot; inconsistent ones discard the datagram in progress; odd but valid
   ones (header options, an empty last fragment, the last block of the
   buffer) work. */
static void test_ip4_reasm_hostile(void **s)
{
    (void)s;
    static uint8_t dg[4100], want[4000];
    uint8_t f[1600], junk[64];
    memset(junk, 0xAB, sizeof junk);
    start_static();
    int sock = udp_open(5007);
    udp_dgram(dg, GW, 5007, 4000, 11, want);

    rx_frame(f, frag_raw(f, GW, IPV4_PROTO_UDP, 1, 0x1FFF, junk, 20));     /* MF=0 at 65528 */
    rx_frame(f, frag_raw(f, GW, IPV4_PROTO_UDP, 2, IPV4_FRAG_MF | 0x1FFF, junk, 8));
    rx_frame(f, frag_raw(f, GW, IPV4_PROTO_UDP, 3, IPV4_FRAG_MF | (IP4_REASM_MAX / 8), junk, 8));
    rx_frame(f, frag_raw(f, GW, IPV4_PROTO_UDP, 4, IPV4_FRAG_MF, junk, 7));  /* not 8k bytes */
    rx_frame(f, frag_raw(f, GW, IPV4_PROTO_UDP, 5, IPV4_FRAG_MF | 10, junk, 0));   /* empty */
    assert_int_equal(net_stats.ip_frag_rx, 5);
    assert_int_equal(net_stats.ip_frag_dropped, 5);
    assert_int_equal(ip4_reasm_pending(), 0);
    /* the last block below the limit is fine */
    rx_frame(f, frag_raw(f, GW, IPV4_PROTO_UDP, 6, IPV4_FRAG_MF | (IP4_REASM_MAX / 8 - 1), junk, 8));
    assert_int_equal(net_stats.ip_frag_dropped, 5);
    assert_int_equal(ip4_reasm_pending(), 1);
    /* a truncated frame (total length past its end) never reaches reassembly */
    frag_raw(f, GW, IPV4_PROTO_UDP, 7, IPV4_FRAG_MF, dg, 1480);
    rx_frame(f, 100);
    assert_int_equal(net_stats.rx_malformed, 1);
    /* nor does a fragment for another host */
    size_t n = frag_raw(f, GW, IPV4_PROTO_UDP, 8, IPV4_FRAG_MF, dg, 1480);
    be32_put(f + 30, IP4_ADDR(10, 0, 2, 77));
    be16_put(f + 24, 0);
    be16_put(f + 24, inet_checksum(f + 14, IPV4_HDR_LEN));
    rx_frame(f, n);
    assert_int_equal(net_stats.rx_dropped, 1);
    assert_int_equal(net_stats.ip_frag_rx, 6);
    assert_int_equal(ip4_reasm_pending(), 1);

    /* a last fragment shorter than data held */
    send_frag(GW, IPV4_PROTO_UDP, 20, dg, 0, 1480, 1);
    send_frag(GW, IPV4_PROTO_UDP, 20, dg, 1480, 1480, 1);
    send_frag(GW, IPV4_PROTO_UDP, 20, dg, 8, 16, 0);
    assert_int_equal(net_stats.ip_frag_dropped, 6);
    assert_int_equal(ip4_reasm_pending(), 1);        /* only id 6 is left */
    /* a second last fragment with another length */
    send_frag(GW, IPV4_PROTO_UDP, 21, dg, 0, 1480, 1);
    send_frag(GW, IPV4_PROTO_UDP, 21, dg, 2960, 1048, 0);
    send_frag(GW, IPV4_PROTO_UDP, 21, dg, 2960, 1056, 0);
    assert_int_equal(net_stats.ip_frag_dropped, 7);
    assert_int_equal(ip4_reasm_pending(), 1);
    /* a fragment past the length the last one fixed */
    send_frag(GW, IPV4_PROTO_UDP, 22, dg, 2960, 1048, 0);
    send_frag(GW, IPV4_PROTO_UDP, 22, dg, 4000, 16, 1);
    assert_int_equal(net_stats.ip_frag_dropped, 8);
    assert_int_equal(ip4_reasm_pending(), 1);
    /* a malformed fragment takes the datagram in progress with it */
    send_frag(GW, IPV4_PROTO_UDP, 23, dg, 0, 1480, 1);
    rx_frame(f, frag_raw(f, GW, IPV4_PROTO_UDP, 23, IPV4_FRAG_MF | 185, junk, 12));
    assert_int_equal(net_stats.ip_frag_dropped, 9);
    assert_int_equal(ip4_reasm_pending(), 1);
    assert_int_equal(net_stats.ip_reasm_ok, 0);
    expect_no_udp(sock);

    /* valid: an empty last fragment ends a 1480-byte datagram */
    udp_dgram(dg, GW, 5007, 1472, 12, want);
    send_frag(GW, IPV4_PROTO_UDP, 24, dg, 0, 1480, 1);
    send_frag(GW, IPV4_PROTO_UDP, 24, dg, 1480, 0, 0);
    assert_int_equal(net_stats.ip_reasm_ok, 1);
    expect_udp(sock, want, 1472);
    /* valid: the first fragment carries 4 bytes of options (IHL 6) */
    udp_dgram(dg, GW, 5007, 2000, 13, want);
    eth_build(f, fake_mac, gw_mac, ETH_TYPE_IPV4);
    uint8_t *ip = f + 14;
    ipv4_build(ip, GW, ME, IPV4_PROTO_UDP, 25, 4 + 1000, 64);
    ip[0] = 0x46;
    be16_put(ip + 6, IPV4_FRAG_MF);
    memcpy(ip + 20, "\x01\x01\x01\x00", 4);           /* NOP NOP NOP EOL */
    memcpy(ip + 24, dg, 1000);
    be16_put(ip + 10, 0);
    be16_put(ip + 10, inet_checksum(ip, 24));
    rx_frame(f, 14 + 24 + 1000);
    send_frag(GW, IPV4_PROTO_UDP, 25, dg, 1000, 1008, 0);
    assert_int_equal(net_stats.ip_reasm_ok, 2);
    expect_udp(sock, want, 2000);
    assert_int_equal(net_stats.ip_frag_dropped, 9);
    udp_close(sock);
}

/* An ICMP echo request in three fragments gets one reply (it fits a frame:
   we never fragment what we send). */
static void test_ip4_reasm_icmp_echo(void **s)
{
    (void)s;
    uint8_t icmp[1208] = { 8, 0, 0, 0, 0x42, 0x42, 0, 1 };
    for (size_t i = 8; i < sizeof icmp; i++)
        icmp[i] = (uint8_t)(i ^ 0x5C);
    be16_put(icmp + 2, inet_checksum(icmp, sizeof icmp));
    start_static();
    learn_gateway();
    int base = fake_ntx;
    send_frag(GW, IPV4_PROTO_ICMP, 500, icmp, 800, 408, 0);
    send_frag(GW, IPV4_PROTO_ICMP, 500, icmp, 0, 400, 1);
    assert_int_equal(fake_ntx, base);
    send_frag(GW, IPV4_PROTO_ICMP, 500, icmp, 400, 400, 1);
    assert_int_equal(fake_ntx, base + 1);
    assert_int_equal(net_stats.icmp_echo_reply_tx, 1);
    const uint8_t *rep = fake_tx[base].b;
    struct ipv4_hdr h;
    assert_int_equal(ipv4_parse(rep + 14, fake_tx[base].len - 14, &h), NET_OK);
    assert_int_equal(h.total_len, IPV4_HDR_LEN + sizeof icmp);
    assert_int_equal(h.dst, GW);
    assert_int_equal(h.proto, IPV4_PROTO_ICMP);
    assert_int_equal(rep[34], 0);                    /* echo reply */
    assert_memory_equal(rep + 34 + 4, icmp + 4, sizeof icmp - 4);
    assert_int_equal(inet_checksum(rep + 34, sizeof icmp), 0);
}

static struct ipv4_hdr reasm_got_h;
static uint8_t reasm_got[64];
static size_t reasm_got_len;
static int reasm_got_n;
static void reasm_capture(const struct ipv4_hdr *h, const uint8_t *p, size_t len)
{
    reasm_got_h = *h;
    reasm_got_len = len;
    memcpy(reasm_got, p, len < sizeof reasm_got ? len : sizeof reasm_got);
    reasm_got_n++;
}

/* The module's own API: the header handed up describes the whole datagram,
   with tos and ttl of the fragment at offset 0. */
static void test_ip4_reasm_api(void **s)
{
    (void)s;
    memset(&net_stats, 0, sizeof net_stats);
    ip4_reasm_reset();
    const uint8_t data[24] = "0123456789abcdefghijklm";
    struct ipv4_hdr h = { .ihl_bytes = 24, .tos = 0x10, .ttl = 9, .proto = 200,
                          .total_len = 24 + 8, .id = 0xBEEF, .frag = 2 | IPV4_FRAG_MF,
                          .src = GW, .dst = ME };
    ip4_reasm_input(&h, data + 16, 8, 100, reasm_capture);   /* [16, 24) */
    h.frag = 0 | IPV4_FRAG_MF;
    h.ttl = 33;
    h.tos = 0x20;
    ip4_reasm_input(&h, data, 8, 110, reasm_capture);        /* [0, 8) */
    h.frag = 1;
    h.ttl = 44;
    h.tos = 0x30;
    assert_int_equal(reasm_got_n, 0);
    ip4_reasm_input(&h, data + 8, 7, 120, reasm_capture);    /* [8, 15), last */
    assert_int_equal(net_stats.ip_frag_dropped, 1);          /* [16, 24) is past the end */
    assert_int_equal(reasm_got_n, 0);
    /* [8, 16), [0, 8), [16, 23) last, each with its own ttl and tos */
    h.frag = 1 | IPV4_FRAG_MF;
    ip4_reasm_input(&h, data + 8, 8, 130, reasm_capture);
    h.frag = 0 | IPV4_FRAG_MF;
    h.ttl = 33;
    h.tos = 0x20;
    ip4_reasm_input(&h, data, 8, 131, reasm_capture);
    h.frag = 2;
    h.ttl = 55;
    h.tos = 0x40;
    ip4_reasm_input(&h, data + 16, 7, 132, reasm_capture);
    assert_int_equal(reasm_got_n, 1);
    assert_int_equal(reasm_got_len, 23);
    assert_memory_equal(reasm_got, data, 23);
    assert_int_equal(reasm_got_h.total_len, IPV4_HDR_LEN + 23);
    assert_int_equal(reasm_got_h.ihl_bytes, IPV4_HDR_LEN);
    assert_int_equal(reasm_got_h.frag, 0);
    assert_int_equal(reasm_got_h.id, 0xBEEF);
    assert_int_equal(reasm_got_h.proto, 200);
    assert_int_equal(reasm_got_h.src, GW);
    assert_int_equal(reasm_got_h.dst, ME);
    assert_int_equal(reasm_got_h.ttl, 33);
    assert_int_equal(reasm_got_h.tos, 0x20);
    assert_int_equal(net_stats.ip_reasm_ok, 1);
    assert_int_equal(net_stats.ip_frag_rx, 6);
    /* the timeout runs on the clock passed in, from the first fragment */
    h.frag = IPV4_FRAG_MF;
    ip4_reasm_input(&h, data, 8, 1000, reasm_capture);
    ip4_reasm_timers(1000 + IP4_REASM_TIMEOUT_MS - 1);
    assert_int_equal(ip4_reasm_pending(), 1);
    ip4_reasm_timers(1000 + IP4_REASM_TIMEOUT_MS);
    assert_int_equal(ip4_reasm_pending(), 0);
    assert_int_equal(net_stats.ip_reasm_timeout, 1);
}

static void test_netfault(void **s)
{
    (void)s;
    struct netfault_cfg c;
    assert_int_equal(netfault_parse("drop:3,dup:1,reorder:3,corrupt:1,seed:7", &c), NET_OK);
    assert_int_equal(c.drop, 3);
    assert_int_equal(c.reorder, 3);
    assert_int_equal(c.seed, 7);
    assert_int_equal(netfault_parse("drop:101", &c), NET_ERR_INVALID_ARG);
    assert_int_equal(netfault_parse("jitter:1", &c), NET_ERR_INVALID_ARG);
    assert_int_equal(netfault_parse("drop", &c), NET_ERR_INVALID_ARG);
    /* the same seed gives the same fate to every frame; the wrapper sits
       between the stack and the fake device, in both directions */
    uint64_t first[4];
    static struct netfault nf;
    for (int run = 0; run < 2; run++) {
        netfault_parse("drop:20,dup:10,reorder:10,corrupt:10,seed:99", &c);
        start_static_on(netfault_wrap(&nf, &fake_dev, &c));
        uint8_t f[100] = { 0 };
        int sent = 0;
        for (int i = 0; i < 500; i++) {
            f[20] = (uint8_t)i;
            net_dev_tx(f, sizeof f);
            if (fake_ntx >= FAKE_MAX - 2) {  /* the fake keeps 64 frames */
                sent += fake_ntx;
                fake_ntx = 0;
            }
        }
        sent += fake_ntx;
        uint64_t got[4] = { net_stats.fault_drop, net_stats.fault_dup, net_stats.fault_reorder,
                            net_stats.fault_corrupt };
        if (run == 0)
            memcpy(first, got, sizeof got);
        else
            assert_memory_equal(first, got, sizeof got);
        assert_true(got[0] > 60 && got[0] < 140);   /* ~20 % of 500 */
        assert_true(got[1] > 0 && got[2] > 0 && got[3] > 0);
        /* every frame reached the device once, minus drops, plus duplicates;
           one may still be held for reordering */
        uint64_t expect = 500 - got[0] + got[1];
        assert_true((uint64_t)sent == expect || (uint64_t)sent + 1 == expect);
        assert_int_equal(net_stats.tx_frames, 500);   /* the stack counts what it sent */
        /* a held frame leaves at the flush once it has waited NETFAULT_HOLD_MS */
        now += NETFAULT_HOLD_MS;
        fake_ntx = 0;
        net_poll(now);
        assert_int_equal((uint64_t)sent + (uint64_t)fake_ntx, expect);
    }
    /* received frames: 300 queued at the fake device reach the stack with
       the same faults: count what net_poll takes from the wrapper */
    netfault_parse("drop:20,dup:10,reorder:10,seed:5", &c);
    start_static_on(netfault_wrap(&nf, &fake_dev, &c));
    uint8_t junk[60] = { 0 };            /* not for us: dropped by eth_input */
    for (int i = 0; i < FAKE_MAX; i++)
        fake_queue(junk, sizeof junk);
    for (int i = 0; i < 10; i++)
        net_poll(now += 10);
    uint64_t expect = FAKE_MAX - net_stats.fault_drop + net_stats.fault_dup;
    assert_true(net_stats.fault_drop > 0 && net_stats.fault_dup > 0);
    assert_int_equal(net_stats.rx_frames, expect);   /* the held one left after 5 ms */
    start_static();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_checksum),
        cmocka_unit_test(test_config_parse),
        cmocka_unit_test(test_ipv4_parse),
        cmocka_unit_test(test_arp_parse),
        cmocka_unit_test(test_udp_parse),
        cmocka_unit_test(test_arp_resolution_holds_and_releases),
        cmocka_unit_test(test_udp_addr_family),
        cmocka_unit_test(test_arp_timeout_drops_held),
        cmocka_unit_test(test_arp_reply_to_request_for_us),
        cmocka_unit_test(test_icmp_echo_reply),
        cmocka_unit_test(test_poll_ends_with_flush),
        cmocka_unit_test(test_dhcp_parse_and_build),
        cmocka_unit_test(test_dhcp_exchange),
        cmocka_unit_test(test_dhcp_gives_up),
        cmocka_unit_test(test_dns_query_build),
        cmocka_unit_test(test_dns_tcp_framing),
        cmocka_unit_test(test_dns_parse_answers),
        cmocka_unit_test(test_dns_hostile_names),
        cmocka_unit_test(test_dns_name_limits),
        cmocka_unit_test(test_dns_errors_match_question),
        cmocka_unit_test(test_resolver_retry_and_cache),
        cmocka_unit_test(test_netfault),
        cmocka_unit_test(test_ip4_reasm_udp_orders),
        cmocka_unit_test(test_ip4_reasm_shuffled),
        cmocka_unit_test(test_ip4_reasm_duplicates),
        cmocka_unit_test(test_ip4_reasm_overlap),
        cmocka_unit_test(test_ip4_reasm_timeout),
        cmocka_unit_test(test_ip4_reasm_oversize),
        cmocka_unit_test(test_ip4_reasm_slots),
        cmocka_unit_test(test_ip4_reasm_hostile),
        cmocka_unit_test(test_ip4_reasm_icmp_echo),
        cmocka_unit_test(test_ip4_reasm_api),
    };
    return cmocka_run_group_tests_name("net", tests, NULL, NULL);
}
