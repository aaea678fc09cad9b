/* net/: parsers and checksums on valid, malformed, truncated and hostile
   input; ARP, ICMP, UDP, DHCP and the DNS resolver over a fake device with a
   fake clock; the fault injector's determinism. */
#include "unit.h"
#include "net_fake.h"
#include "net/arp.h"
#include "net/dhcp.h"
#include "net/dns.h"
#include "net/ipv4.h"
#include "net/netfault.h"
#include "net/udp.h"

#define ME  IP4_ADDR(10, 0, 2, 15)
#define GW  IP4_ADDR(10, 0, 2, 2)
#define DNS IP4_ADDR(10, 0, 2, 2)

static uint64_t now;

static void start_static(void)
{
    fake_reset();
    net_set_random(fake_random);
    struct net_config c;
    assert_int_equal(net_config_parse(&c, "10.0.2.15/24", "10.0.2.2", "10.0.2.2:5353"), NET_OK);
    netfault_init(NULL);
    now = 1000;
    net_init(&fake_dev, &c, now);
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
    assert_int_equal(udp_sendto(sock, IP4_ADDR(8, 8, 8, 8), 53, "x", 1), NET_OK);
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
    assert_int_equal(udp_sendto(sock, IP4_ADDR(8, 8, 8, 8), 53, "y", 1), NET_OK);
    assert_int_equal(fake_ntx, 3);
    udp_close(sock);
}

static void test_arp_timeout_drops_held(void **s)
{
    (void)s;
    start_static();
    int sock = udp_open(4001);
    udp_sendto(sock, IP4_ADDR(10, 0, 2, 99), 9, "x", 1);
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

static void test_arp_reply_to_request_for_us(void **s)
{
    (void)s;
    start_static();
    struct arp_pkt q = { .op = 1, .spa = GW, .tpa = ME };
    memcpy(q.sha, gw_mac, 6);
    uint8_t f[60] = { 0 };
    eth_build(f, eth_broadcast, gw_mac, ETH_TYPE_ARP);
    arp_build(f + 14, &q);
    fake_queue(f, 60);
    poll_for(10);
    assert_int_equal(fake_ntx, 1);
    struct arp_pkt r;
    assert_int_equal(arp_parse(fake_tx[0].b + 14, 28, &r), NET_OK);
    assert_int_equal(r.op, 2);
    assert_int_equal(r.spa, ME);
    assert_memory_equal(r.sha, fake_mac, 6);
    assert_memory_equal(fake_tx[0].b, gw_mac, 6);
}

static void test_icmp_echo_reply(void **s)
{
    (void)s;
    start_static();
    uint8_t mac[6];
    /* teach ARP the gateway first (a request from it, for us) */
    struct arp_pkt q = { .op = 1, .spa = GW, .tpa = ME };
    memcpy(q.sha, gw_mac, 6);
    uint8_t f[200] = { 0 };
    eth_build(f, eth_broadcast, gw_mac, ETH_TYPE_ARP);
    arp_build(f + 14, &q);
    fake_queue(f, 60);
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
    assert_int_equal(net_current_config()->dns, IP4_ADDR(10, 0, 2, 3));
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
    assert_int_equal(a.addr[0], IP4_ADDR(1, 2, 3, 4));
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
    struct arp_pkt q = { .op = 1, .spa = GW, .tpa = ME };
    memcpy(q.sha, gw_mac, 6);
    uint8_t f[60] = { 0 };
    eth_build(f, eth_broadcast, gw_mac, ETH_TYPE_ARP);
    arp_build(f + 14, &q);
    fake_queue(f, 60);
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
    fake_queue(f, fake_udp_frame(f, DNS, 5353, ME, sport, m, n));
    poll_for(10);
    assert_int_equal(dns_query_result(&a), NET_OK);
    assert_int_equal(a.addr[0], IP4_ADDR(10, 1, 2, 3));
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
    /* the same seed gives the same fate to every frame */
    uint64_t first[4];
    for (int run = 0; run < 2; run++) {
        start_static();
        netfault_parse("drop:20,dup:10,reorder:10,corrupt:10,seed:99", &c);
        netfault_init(&c);
        uint8_t f[100] = { 0 };
        for (int i = 0; i < 500; i++) {
            f[20] = (uint8_t)i;
            net_dev_tx(f, sizeof f);
        }
        uint64_t got[4] = { net_stats.fault_drop, net_stats.fault_dup, net_stats.fault_reorder,
                            net_stats.fault_corrupt };
        if (run == 0)
            memcpy(first, got, sizeof got);
        else
            assert_memory_equal(first, got, sizeof got);
        assert_true(got[0] > 60 && got[0] < 140);   /* ~20 % of 500 */
        /* every frame left once, minus drops, plus duplicates; one may still
           be held for reordering */
        uint64_t expect = 500 - got[0] + got[1];
        assert_true(net_stats.tx_frames == expect || net_stats.tx_frames + 1 == expect);
    }
    netfault_init(NULL);
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
        cmocka_unit_test(test_arp_timeout_drops_held),
        cmocka_unit_test(test_arp_reply_to_request_for_us),
        cmocka_unit_test(test_icmp_echo_reply),
        cmocka_unit_test(test_dhcp_parse_and_build),
        cmocka_unit_test(test_dhcp_exchange),
        cmocka_unit_test(test_dhcp_gives_up),
        cmocka_unit_test(test_dns_query_build),
        cmocka_unit_test(test_dns_parse_answers),
        cmocka_unit_test(test_dns_hostile_names),
        cmocka_unit_test(test_resolver_retry_and_cache),
        cmocka_unit_test(test_netfault),
    };
    return cmocka_run_group_tests_name("net", tests, NULL, NULL);
}
