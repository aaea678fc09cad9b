/* One parser per notation: every path that meets a host string (a URL,
   the resolver's literal shortcut, the certificate host check, the ip=/
   gw=/dns= settings) tells IPv4 literals from names with ip_addr_parse
   (lib/ip_addr.h), so the address connected to is the address verified.
   The same string gives the same answer through each: an address (the
   same one), a name, or refused. Before, "010.0.0.1" connected to 10.0.0.1
   (the resolver's own parser took the leading zero) while the certificate
   check took it as a DNS name, so a dNSName "010.0.0.1" vouched for it. */
#include "unit.h"
#include <string.h>
#include "http/url.h"
#include "lib/ip_addr.h"
#include "net/dns.h"
#include "net/net.h"
#include "tls/x509.h"

enum kind { LIT, NAME, REFUSED };

static const struct {
    const char *host;
    enum kind kind;
    uint32_t addr;   /* LIT */
} cases[] = {
    { "10.0.0.1", LIT, 0x0a000001u },
    { "10.0.0.2", LIT, 0x0a000002u },
    { "0.0.0.0", LIT, 0 },
    { "host.test", NAME, 0 },
    { "h10.test", NAME, 0 },
    { "1.2.3.4a", NAME, 0 },
    { "010.0.0.1", REFUSED, 0 },   /* octal 8.0.0.1 to a browser */
    { "10.0.0.01", REFUSED, 0 },
    { "10.0.0.1.", REFUSED, 0 },
    { "10.0.1", REFUSED, 0 },      /* 10.0.0.1 to inet_aton */
    { "167772161", REFUSED, 0 },   /* 10.0.0.1 as one number */
    { "0xa.0.0.1", REFUSED, 0 },
    { "10.0.0.256", REFUSED, 0 },
    { "host.123", REFUSED, 0 },
};

/* GeneralNames content: iPAddress 10.0.0.1, and a dNSName spelling each
   test string, so that only the IP-versus-name decision makes a match. */
static size_t san_bytes(uint8_t *b, size_t cap)
{
    size_t o = 0;
    const uint8_t ip[] = { 0x87, 4, 10, 0, 0, 1 };
    memcpy(b, ip, sizeof ip);
    o += sizeof ip;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = strlen(cases[i].host);
        assert_true(o + 2 + n <= cap);
        b[o++] = 0x82;
        b[o++] = (uint8_t)n;
        memcpy(b + o, cases[i].host, n);
        o += n;
    }
    return o;
}

static void test_same_answer_every_path(void **st)
{
    (void)st;
    static uint8_t san[1024];
    struct x509_cert c;
    memset(&c, 0, sizeof c);
    c.has_san = 1;
    c.san.p = san;
    c.san.len = san_bytes(san, sizeof san);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *h = cases[i].host;
        enum kind k = cases[i].kind;
        struct ip_addr want = ip_addr_v4(cases[i].addr);
        /* URL */
        char url[300];
        snprintf(url, sizeof url, "https://%s:8443/x", h);
        struct url u;
        enum url_err ue = url_parse(url, &u);
        if (k == REFUSED) {
            if (ue == URL_OK)
                fail_msg("url %s: accepted", h);
        } else {
            if (ue != URL_OK)
                fail_msg("url %s: %s", h, url_err_str(ue));
            assert_int_equal(u.host_kind, k == LIT ? URL_HOST_IP : URL_HOST_NAME);
            if (k == LIT)
                assert_true(ip_addr_eq(&u.host_addr, &want));
        }
        /* the resolver: a literal is answered without a lookup */
        struct dns_answer a;
        enum net_err de = dns_literal(h, &a);
        if (k == LIT) {
            assert_int_equal(de, NET_OK);
            assert_int_equal(a.naddr, 1);
            assert_true(ip_addr_eq(&a.addr[0], &want));
        } else if (k == NAME) {
            assert_int_equal(de, NET_ERR_AGAIN);
        } else if (de != NET_ERR_INVALID_ARG) {
            fail_msg("dns %s: %s", h, net_err_str(de));
        }
        assert_int_equal(dns_query_start(h) == NET_ERR_INVALID_ARG, k == REFUSED);
        /* the certificate: an address matches iPAddress only, a name its
           dNSName, and a refused string nothing (a dNSName spells it) */
        enum x509_err xe = x509_check_host(&c, h);
        bool want_match = k == NAME || (k == LIT && cases[i].addr == 0x0a000001u);
        if ((xe == X509_OK) != want_match)
            fail_msg("x509 %s: %s", h, x509_err_str(xe));
        /* the settings take literals only */
        struct net_config nc;
        enum net_err ce = net_config_parse(&nc, "dhcp", h, h);
        assert_int_equal(ce, k == LIT ? NET_OK : NET_ERR_INVALID_ARG);
        if (k == LIT) {
            assert_int_equal(nc.gw, cases[i].addr);
            assert_int_equal(ip_addr_v4_value(&nc.dns), cases[i].addr);
        }
    }
}

/* IPv6 literals take the same one path: a bracketed URL host, the
   resolver's literal shortcut and the certificate check agree on the
   address; the certificate matches a 16-byte iPAddress byte for byte, and
   never a dNSName, a 4-byte iPAddress or (for a mapped literal) the IPv4
   address it carries. */
static void test_v6_every_path(void **st)
{
    (void)st;
    static const uint8_t san[] = {
        0x87, 16, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,   /* 2001:db8::1 */
        0x87, 4, 0x20, 0x01, 0x0d, 0xb8,                /* 32.1.13.184: the first 4 of 2001:db8:: */
        0x87, 4, 10, 0, 0, 1,                           /* 10.0.0.1 */
        0x87, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 2,  /* ::ffff:10.0.0.2 */
        0x82, 11, '2', '0', '0', '1', ':', 'd', 'b', '8', ':', ':', '2',  /* dNSName "2001:db8::2" */
    };
    struct x509_cert c;
    memset(&c, 0, sizeof c);
    c.has_san = 1;
    c.san.p = san;
    c.san.len = sizeof san;
    static const struct { const char *host; int match; } t[] = {
        { "2001:db8::1", 1 },
        { "2001:DB8:0:0::1", 1 },
        { "[2001:db8::1]", 1 },
        { "2001:db8::2", 0 },        /* only a dNSName spells it */
        { "2001:db8::", 0 },         /* a 4-byte SAN holds its first 4 bytes */
        { "10.0.0.1", 1 },
        { "::ffff:10.0.0.1", 0 },    /* mapped text vs the 4-byte 10.0.0.1 */
        { "::a00:1", 0 },
        { "::ffff:10.0.0.2", 1 },    /* the 16-byte mapped entry */
        { "10.0.0.2", 0 },           /* ... is not the IPv4 address */
        { "2001:db8::1%eth0", 0 },   /* a zone id: no literal, no name */
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        enum x509_err xe = x509_check_host(&c, t[i].host);
        if ((xe == X509_OK) != t[i].match)
            fail_msg("x509 %s: %s", t[i].host, x509_err_str(xe));
    }
    /* the URL and the resolver give the address the check verified */
    struct ip_addr want;
    assert_int_equal(ip_addr_parse("2001:db8::1", 11, &want), IP_ADDR_OK);
    struct url u;
    assert_int_equal(url_parse("https://[2001:0db8::1]:8443/x", &u), URL_OK);
    assert_int_equal(u.host_kind, URL_HOST_IP);
    assert_true(ip_addr_eq(&u.host_addr, &want));
    assert_int_equal(x509_check_host(&c, u.host), X509_OK);
    struct dns_answer a;
    assert_int_equal(dns_literal(u.host, &a), NET_OK);
    assert_int_equal(a.naddr, 1);
    assert_true(ip_addr_eq(&a.addr[0], &want));
    assert_int_equal(dns_literal("::ffff:10.0.0.2", &a), NET_OK);
    assert_true(ip_addr_is_v6(&a.addr[0]));
    /* refused, never looked up: a zone id, malformed IPv6, a ':' in a name */
    const char *bad[] = { "fe80::1%eth0", "1::2::3", "host:80" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (dns_literal(bad[i], &a) != NET_ERR_INVALID_ARG)
            fail_msg("dns %s: not refused", bad[i]);
        assert_int_equal(dns_query_start(bad[i]), NET_ERR_INVALID_ARG);
    }
    assert_int_not_equal(url_parse("https://[fe80::1%25eth0]/", &u), URL_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_answer_every_path),
        cmocka_unit_test(test_v6_every_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
