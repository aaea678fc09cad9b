/* DNS AAAA (RFC 3596, net/dns.h): AAAA queries and answers on crafted
   messages (AAAA, A and AAAA mixed, CNAME chains, NODATA, truncated,
   wrong record lengths, compression loops, a question of the other type),
   and the resolver over the fake device asking A and AAAA at once: both
   queries in flight, each answered, cached per type, merged for the name. */
#include "unit.h"
#include "net_fake.h"
#include "net/dns.h"
#include "net/udp.h"
#include "net/arp.h"

#define ME  IP4_ADDR(10, 0, 2, 15)
#define GW  IP4_ADDR(10, 0, 2, 2)
#define DNS IP4_ADDR(10, 0, 2, 2)

static uint64_t now;

/* A response to a qtype query for qname with flags and answer records. */
static size_t resp(uint8_t *out, uint16_t id, uint16_t flags, uint16_t qtype,
                   const uint8_t *answers, size_t alen, uint16_t ancount, const char *qname)
{
    size_t n = dns_build_query_type(out, 512, id, qname, qtype);
    assert_true(n > 0);
    be16_put(out + 2, flags);
    be16_put(out + 6, ancount);
    if (alen)
        memcpy(out + n, answers, alen);
    return n + alen;
}

static const uint8_t V6A[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

static void test_query_types(void **s)
{
    (void)s;
    uint8_t b[300], a[300];
    size_t n = dns_build_query_type(b, sizeof b, 0x1234, "www.test", DNS_QTYPE_AAAA);
    assert_int_equal(n, 12 + 10 + 4);
    assert_int_equal(be16_get(b + n - 4), 28);
    assert_int_equal(be16_get(b + n - 2), 1);
    assert_int_equal(dns_build_query(a, sizeof a, 0x1234, "www.test"), n);
    assert_int_equal(be16_get(a + n - 4), 1);
    assert_memory_equal(a, b, n - 4);
    assert_int_equal(dns_build_query_type(b, sizeof b, 1, "www.test", 5), 0);   /* CNAME: no */
    assert_int_equal(dns_tcp_build_query_type(b, sizeof b, 1, "www.test", DNS_QTYPE_AAAA), n + 2);
    assert_int_equal(be16_get(b), n);
    assert_int_equal(be16_get(b + 2 + n - 4), 28);
}

static void test_parse_aaaa(void **s)
{
    (void)s;
    uint8_t m[512];
    struct dns_answer a;
    /* two AAAA and an A (skipped) for the name */
    const uint8_t ans[] = {
        0xC0, 12, 0, 28, 0, 1, 0, 0, 0, 60, 0, 16,
        0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
        0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 1, 2, 3,
        0xC0, 12, 0, 28, 0, 1, 0, 0, 0, 30, 0, 16,
        0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2 };
    size_t n = resp(m, 7, 0x8180, DNS_QTYPE_AAAA, ans, sizeof ans, 3, "www.test");
    assert_int_equal(dns_parse_response_type(m, n, 7, "www.test", DNS_QTYPE_AAAA, &a), NET_OK);
    assert_int_equal(a.naddr, 2);
    assert_true(ip_addr_is_v6(&a.addr[0]));
    assert_memory_equal(a.addr[0].bytes, V6A, 16);
    assert_int_equal(a.addr[1].bytes[15], 2);
    assert_int_equal(a.ttl, 30);
    assert_string_equal(a.canonical, "www.test");
    /* the same records read for an A question are not our question */
    assert_int_equal(dns_parse_response_type(m, n, 7, "www.test", DNS_QTYPE_A, &a),
                     NET_ERR_DNS_MALFORMED);
    assert_int_equal(dns_parse_response(m, n, 7, "www.test", &a), NET_ERR_DNS_MALFORMED);
    /* every truncation of the message fails cleanly */
    for (size_t k = 0; k < n; k++)
        assert_int_not_equal(dns_parse_response_type(m, k, 7, "www.test", DNS_QTYPE_AAAA, &a),
                             NET_OK);
    /* an A response holds the A record only */
    n = resp(m, 7, 0x8180, DNS_QTYPE_A, ans, sizeof ans, 3, "www.test");
    assert_int_equal(dns_parse_response(m, n, 7, "www.test", &a), NET_OK);
    assert_int_equal(a.naddr, 1);
    assert_true(ip_addr_eq(&a.addr[0], ADDR(IP4_ADDR(10, 1, 2, 3))));
    assert_int_equal(dns_parse_response_type(m, n, 7, "www.test", 99, &a), NET_ERR_INVALID_ARG);
}

static void test_aaaa_cname_and_nodata(void **s)
{
    (void)s;
    uint8_t m[512];
    struct dns_answer a;
    /* www.test CNAME web.test; web.test AAAA 2001:db8::1 */
    const uint8_t ans[] = {
        0xC0, 12, 0, 5, 0, 1, 0, 0, 0, 100, 0, 6, 3, 'w', 'e', 'b', 0xC0, 16,
        0xC0, 38, 0, 28, 0, 1, 0, 0, 0, 50, 0, 16,
        0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
    size_t n = resp(m, 9, 0x8180, DNS_QTYPE_AAAA, ans, sizeof ans, 2, "www.test");
    assert_int_equal(dns_parse_response_type(m, n, 9, "www.test", DNS_QTYPE_AAAA, &a), NET_OK);
    assert_int_equal(a.naddr, 1);
    assert_memory_equal(a.addr[0].bytes, V6A, 16);
    assert_string_equal(a.canonical, "web.test");
    assert_int_equal(a.ttl, 50);
    /* NODATA: NOERROR, the CNAME only: no address of this type */
    n = resp(m, 9, 0x8180, DNS_QTYPE_AAAA, ans, 18, 1, "www.test");
    assert_int_equal(dns_parse_response_type(m, n, 9, "www.test", DNS_QTYPE_AAAA, &a),
                     NET_ERR_DNS_NO_ANSWER);
    n = resp(m, 9, 0x8183, DNS_QTYPE_AAAA, NULL, 0, 0, "nx.test");
    assert_int_equal(dns_parse_response_type(m, n, 9, "nx.test", DNS_QTYPE_AAAA, &a),
                     NET_ERR_DNS_NXDOMAIN);
    /* TC: our question, completed as truncated */
    n = resp(m, 9, 0x8380, DNS_QTYPE_AAAA, NULL, 0, 0, "big.test");
    assert_int_equal(dns_parse_response_type(m, n, 9, "big.test", DNS_QTYPE_AAAA, &a), NET_OK);
    assert_true(a.truncated);
    assert_int_equal(a.naddr, 0);
}

static void test_aaaa_hostile(void **s)
{
    (void)s;
    uint8_t m[512];
    struct dns_answer a;
    /* an AAAA record of 4 bytes, and an A record of 16, are malformed */
    const uint8_t short6[] = { 0xC0, 12, 0, 28, 0, 1, 0, 0, 0, 60, 0, 4, 10, 1, 2, 3 };
    size_t n = resp(m, 3, 0x8180, DNS_QTYPE_AAAA, short6, sizeof short6, 1, "x.test");
    assert_int_equal(dns_parse_response_type(m, n, 3, "x.test", DNS_QTYPE_AAAA, &a),
                     NET_ERR_DNS_MALFORMED);
    uint8_t long4[12 + 16] = { 0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 16 };
    n = resp(m, 3, 0x8180, DNS_QTYPE_A, long4, sizeof long4, 1, "x.test");
    assert_int_equal(dns_parse_response(m, n, 3, "x.test", &a), NET_ERR_DNS_MALFORMED);
    /* an AAAA record whose rdlength runs past the message */
    uint8_t over[12 + 8] = { 0xC0, 12, 0, 28, 0, 1, 0, 0, 0, 60, 0, 16 };
    n = resp(m, 3, 0x8180, DNS_QTYPE_AAAA, over, sizeof over, 1, "x.test");
    assert_int_equal(dns_parse_response_type(m, n, 3, "x.test", DNS_QTYPE_AAAA, &a),
                     NET_ERR_DNS_MALFORMED);
    /* a compression loop in an answer's owner name: a pointer to itself,
       and two pointing at each other */
    n = resp(m, 3, 0x8180, DNS_QTYPE_AAAA, NULL, 0, 1, "x.test");
    size_t at = n;
    const uint8_t loop_tail[] = { 0, 28, 0, 1, 0, 0, 0, 60, 0, 16,
                                  0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
    m[n++] = (uint8_t)(0xC0 | (at >> 8));
    m[n++] = (uint8_t)at;
    memcpy(m + n, loop_tail, sizeof loop_tail);
    n += sizeof loop_tail;
    assert_int_equal(dns_parse_response_type(m, n, 3, "x.test", DNS_QTYPE_AAAA, &a),
                     NET_ERR_DNS_MALFORMED);
    n = resp(m, 3, 0x8180, DNS_QTYPE_AAAA, NULL, 0, 1, "x.test");
    at = n;
    m[n++] = 1;
    m[n++] = 'a';
    m[n++] = (uint8_t)(0xC0 | ((at + 4) >> 8));   /* forward: to the next pointer */
    m[n++] = (uint8_t)(at + 4);
    m[n++] = (uint8_t)(0xC0 | (at >> 8));         /* back to the first */
    m[n++] = (uint8_t)at;
    memcpy(m + n, loop_tail, sizeof loop_tail);
    n += sizeof loop_tail;
    assert_int_equal(dns_parse_response_type(m, n, 3, "x.test", DNS_QTYPE_AAAA, &a),
                     NET_ERR_DNS_MALFORMED);
    /* a CNAME loop (a -> b -> a) ends without an address */
    const uint8_t cloop[] = {
        0xC0, 12, 0, 5, 0, 1, 0, 0, 0, 9, 0, 4, 1, 'b', 0xC0, 14,
        0xC0, 36, 0, 5, 0, 1, 0, 0, 0, 9, 0, 2, 0xC0, 12 };
    n = resp(m, 3, 0x8180, DNS_QTYPE_AAAA, cloop, sizeof cloop, 2, "a.test");
    assert_int_equal(dns_parse_response_type(m, n, 3, "a.test", DNS_QTYPE_AAAA, &a),
                     NET_ERR_DNS_NO_ANSWER);
}

static void test_merge(void **s)
{
    (void)s;
    struct dns_answer a6, a4, out;
    memset(&a6, 0, sizeof a6);
    memset(&a4, 0, sizeof a4);
    a6.addr[0] = ip_addr_v6(V6A);
    a6.naddr = 1;
    a6.ttl = 40;
    memcpy(a6.canonical, "h.test", 7);
    a4.addr[0] = ip_addr_v4(0x0a010203u);
    a4.naddr = 1;
    a4.ttl = 20;
    memcpy(a4.canonical, "h.test", 7);
    assert_int_equal(dns_answers_merge(&a6, NET_OK, &a4, NET_OK, &out), NET_OK);
    assert_int_equal(out.naddr, 2);
    assert_true(ip_addr_is_v6(&out.addr[0]));
    assert_true(ip_addr_is_v4(&out.addr[1]));
    assert_int_equal(out.ttl, 20);
    assert_string_equal(out.canonical, "h.test");
    /* NODATA for one type, data for the other: not an error for the name */
    assert_int_equal(dns_answers_merge(&a6, NET_ERR_DNS_NO_ANSWER, &a4, NET_OK, &out), NET_OK);
    assert_int_equal(out.naddr, 1);
    assert_true(ip_addr_is_v4(&out.addr[0]));
    assert_int_equal(dns_answers_merge(&a6, NET_OK, &a4, NET_ERR_DNS_TIMEOUT, &out), NET_OK);
    assert_int_equal(out.naddr, 1);
    assert_true(ip_addr_is_v6(&out.addr[0]));
    /* neither: the error that says most */
    assert_int_equal(dns_answers_merge(&a6, NET_ERR_DNS_NO_ANSWER, &a4, NET_ERR_DNS_NO_ANSWER, &out),
                     NET_ERR_DNS_NO_ANSWER);
    assert_int_equal(dns_answers_merge(&a6, NET_ERR_DNS_NO_ANSWER, &a4, NET_ERR_DNS_NXDOMAIN, &out),
                     NET_ERR_DNS_NXDOMAIN);
    assert_int_equal(dns_answers_merge(&a6, NET_ERR_DNS_SERVFAIL, &a4, NET_ERR_DNS_NXDOMAIN, &out),
                     NET_ERR_DNS_SERVFAIL);
    assert_int_equal(out.naddr, 0);
}

/* --- the resolver over the fake device ---------------------------------- */

static void poll_for(uint64_t ms)
{
    for (uint64_t t = 0; t < ms; t += 10) {
        now += 10;
        net_poll(now);
    }
}

static void start(void)
{
    fake_reset();
    net_set_random(fake_random);
    struct net_config c;
    assert_int_equal(net_config_parse(&c, "10.0.2.15/24", "10.0.2.2", "10.0.2.2:5353"), NET_OK);
    now = 1000;
    net_init(&fake_dev, &c, now);
    /* the gateway's MAC, from its ARP request for us */
    struct arp_pkt q = { .op = 1, .spa = GW, .tpa = ME };
    memcpy(q.sha, gw_mac, 6);
    uint8_t f[60] = { 0 };
    eth_build(f, eth_broadcast, gw_mac, ETH_TYPE_ARP);
    arp_build(f + 14, &q);
    fake_queue(f, 60);
    poll_for(10);
}

/* The UDP query frame i sent: its source port, id and question type. */
static void sent_query(int i, uint16_t *sport, uint16_t *id, uint16_t *qtype)
{
    const uint8_t *q = fake_tx[i].b;
    size_t len = fake_tx[i].len;
    assert_int_equal(be16_get(q + 12), ETH_TYPE_IPV4);
    assert_true(len > 42);
    assert_int_equal(q[23], 17);
    *sport = be16_get(q + 34);
    assert_int_equal(be16_get(q + 36), 5353);
    *id = be16_get(q + 42);
    size_t udp_len = be16_get(q + 38);
    *qtype = be16_get(q + 34 + udp_len - 4);
}

static void test_both_in_flight(void **s)
{
    (void)s;
    start();
    int base = fake_ntx;
    assert_int_equal(dns_lookup_start("h.test", DNS_WANT_A | DNS_WANT_AAAA), NET_OK);
    assert_int_equal(fake_ntx, base + 2);                 /* both sent at once */
    uint16_t sp[2], id[2], qt[2];
    sent_query(base, &sp[0], &id[0], &qt[0]);
    sent_query(base + 1, &sp[1], &id[1], &qt[1]);
    assert_int_equal(qt[0], DNS_QTYPE_A);
    assert_int_equal(qt[1], DNS_QTYPE_AAAA);
    assert_int_not_equal(sp[0], sp[1]);
    assert_int_not_equal(id[0], id[1]);
    struct dns_answer a;
    assert_int_equal(dns_lookup_result(DNS_QTYPE_A, &a), NET_ERR_AGAIN);
    assert_int_equal(dns_lookup_result(DNS_QTYPE_AAAA, &a), NET_ERR_AGAIN);
    /* the AAAA answer lands first */
    uint8_t m[512], f[600];
    const uint8_t a6[] = { 0xC0, 12, 0, 28, 0, 1, 0, 0, 0, 5, 0, 16,
                           0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
    size_t n = resp(m, id[1], 0x8180, DNS_QTYPE_AAAA, a6, sizeof a6, 1, "h.test");
    /* on the A query's port it is not the A answer (wrong id) */
    fake_queue(f, fake_udp_frame(f, DNS, 5353, ME, sp[0], m, n));
    poll_for(10);
    assert_int_equal(dns_lookup_result(DNS_QTYPE_A, &a), NET_ERR_AGAIN);
    fake_queue(f, fake_udp_frame(f, DNS, 5353, ME, sp[1], m, n));
    poll_for(10);
    assert_int_equal(dns_lookup_result(DNS_QTYPE_AAAA, &a), NET_OK);
    assert_memory_equal(a.addr[0].bytes, V6A, 16);
    assert_int_equal(dns_lookup_result(DNS_QTYPE_A, &a), NET_ERR_AGAIN);
    /* the A query: NODATA */
    n = resp(m, id[0], 0x8180, DNS_QTYPE_A, NULL, 0, 0, "h.test");
    fake_queue(f, fake_udp_frame(f, DNS, 5353, ME, sp[0], m, n));
    poll_for(10);
    struct dns_answer a4, a6r, out;
    assert_int_equal(dns_lookup_result(DNS_QTYPE_A, &a4), NET_ERR_DNS_NO_ANSWER);
    assert_int_equal(dns_lookup_result(DNS_QTYPE_AAAA, &a6r), NET_OK);
    assert_int_equal(dns_answers_merge(&a6r, NET_OK, &a4, NET_ERR_DNS_NO_ANSWER, &out), NET_OK);
    assert_int_equal(out.naddr, 1);
    /* the AAAA answer is cached (5 s), per type: a new lookup of both sends
       the A query only */
    int sent = fake_ntx;
    assert_int_equal(dns_lookup_start("H.TEST", DNS_WANT_A | DNS_WANT_AAAA), NET_OK);
    assert_int_equal(fake_ntx, sent + 1);
    uint16_t p1, i1, t1;
    sent_query(sent, &p1, &i1, &t1);
    assert_int_equal(t1, DNS_QTYPE_A);
    assert_int_equal(dns_lookup_result(DNS_QTYPE_AAAA, &a), NET_OK);
    assert_memory_equal(a.addr[0].bytes, V6A, 16);
    /* A-only lookups are as before and leave AAAA unasked */
    dns_lookup_cancel();
    assert_int_equal(dns_query_start("other.test"), NET_OK);
    assert_int_equal(dns_lookup_result(DNS_QTYPE_AAAA, &a), NET_ERR_INVALID_ARG);
    /* each query retries and times out on its own */
    poll_for(DNS_RETRY_MS * DNS_TRIES + 50);
    assert_int_equal(dns_query_result(&a), NET_ERR_DNS_TIMEOUT);
}

static void test_literals_and_refusals(void **s)
{
    (void)s;
    start();
    int base = fake_ntx;
    struct dns_answer a;
    assert_int_equal(dns_lookup_start("2001:db8::1", DNS_WANT_A | DNS_WANT_AAAA), NET_OK);
    assert_int_equal(fake_ntx, base);                     /* no query */
    assert_int_equal(dns_lookup_result(DNS_QTYPE_AAAA, &a), NET_OK);
    assert_memory_equal(a.addr[0].bytes, V6A, 16);
    assert_int_equal(dns_lookup_result(DNS_QTYPE_A, &a), NET_ERR_DNS_NO_ANSWER);
    assert_int_equal(dns_lookup_start("10.1.2.3", DNS_WANT_A | DNS_WANT_AAAA), NET_OK);
    assert_int_equal(dns_lookup_result(DNS_QTYPE_A, &a), NET_OK);
    assert_int_equal(dns_lookup_result(DNS_QTYPE_AAAA, &a), NET_ERR_DNS_NO_ANSWER);
    assert_int_equal(dns_lookup_start("fe80::1%eth0", DNS_WANT_AAAA), NET_ERR_INVALID_ARG);
    assert_int_equal(dns_lookup_start("h.test", 0), NET_ERR_INVALID_ARG);
    assert_int_equal(fake_ntx, base);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_query_types),
        cmocka_unit_test(test_parse_aaaa),
        cmocka_unit_test(test_aaaa_cname_and_nodata),
        cmocka_unit_test(test_aaaa_hostile),
        cmocka_unit_test(test_merge),
        cmocka_unit_test(test_both_in_flight),
        cmocka_unit_test(test_literals_and_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
