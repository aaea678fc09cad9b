/* URL parser: accepted forms, defaults, and every named error. */
#include "unit.h"
#include "http/url.h"

static void test_basic(void **state)
{
    (void)state;
    struct url u;
    assert_int_equal(url_parse("https://Example.COM/v1/chat?x=1#frag", &u), URL_OK);
    assert_true(u.https);
    assert_string_equal(u.host, "example.com");
    assert_int_equal(u.port, 443);
    assert_false(u.port_explicit);
    assert_int_equal(u.host_kind, URL_HOST_NAME);
    assert_int_equal(u.host_addr.family, IP_FAMILY_NONE);
    assert_string_equal(u.path, "/v1/chat?x=1");

    assert_int_equal(url_parse("http://10.0.2.2:8443", &u), URL_OK);
    assert_false(u.https);
    assert_int_equal(u.port, 8443);
    assert_true(u.port_explicit);
    assert_int_equal(u.host_kind, URL_HOST_IP);
    assert_true(ip_addr_is_v4(&u.host_addr));
    assert_memory_equal(u.host_addr.bytes, ((uint8_t[]){10, 0, 2, 2}), 4);
    assert_string_equal(u.host, "10.0.2.2");
    assert_string_equal(u.path, "/");

    assert_int_equal(url_parse("https://a.b?q", &u), URL_OK);
    assert_string_equal(u.path, "/?q");
    assert_int_equal(url_parse("http://h/", &u), URL_OK);
    assert_int_equal(u.port, 80);
    assert_int_equal(url_parse("HTTPS://h:65535/x", &u), URL_OK);
    assert_int_equal(u.port, 65535);
}

static void test_errors(void **state)
{
    (void)state;
    struct url u;
    static const struct { const char *s; enum url_err e; } cases[] = {
        {"", URL_ERR_EMPTY},
        {"example.com/x", URL_ERR_NO_SCHEME},
        {"ftp://h/", URL_ERR_BAD_SCHEME},
        {"://h/", URL_ERR_BAD_SCHEME},
        {"https://user:pw@h/", URL_ERR_USERINFO},
        {"https:///x", URL_ERR_EMPTY_HOST},
        {"https://:443/x", URL_ERR_EMPTY_HOST},
        {"https://2001:db8::1/", URL_ERR_IPV6_NO_BRACKETS},
        {"https://::1/", URL_ERR_IPV6_NO_BRACKETS},
        {"https://[fe80::1%25eth0]/", URL_ERR_IPV6_ZONE},
        {"https://[fe80::1%eth0]:443/", URL_ERR_IPV6_ZONE},
        {"https://[::1/", URL_ERR_BAD_HOST},
        {"https://[]/", URL_ERR_EMPTY_HOST},
        {"https://[1::2::3]/", URL_ERR_BAD_HOST},
        {"https://[v1.fe]/", URL_ERR_BAD_HOST},
        {"https://[10.0.2.2]/", URL_ERR_BAD_HOST},
        {"https://[::1]x/", URL_ERR_BAD_HOST},
        {"https://[::1]:/", URL_ERR_BAD_PORT},
        {"https://[::1]:0/", URL_ERR_BAD_PORT},
        {"https://h:/", URL_ERR_BAD_PORT},
        {"https://h:0/", URL_ERR_BAD_PORT},
        {"https://h:65536/", URL_ERR_BAD_PORT},
        {"https://h:12a/", URL_ERR_BAD_PORT},
        {"https://h:123456/", URL_ERR_BAD_PORT},
        {"https://h_x!/", URL_ERR_BAD_HOST},
        {"https://-h/", URL_ERR_BAD_HOST},
        {"https://h-/", URL_ERR_BAD_HOST},
        {"https://a..b/", URL_ERR_BAD_HOST},
        {"https://h/a b", URL_ERR_BAD_PATH},
        {"https://h/a\x01", URL_ERR_BAD_PATH},
        {"https://h/\xc3\xa9", URL_ERR_BAD_PATH},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        enum url_err e = url_parse(cases[i].s, &u);
        if (e != cases[i].e)
            fail_msg("%s: got %s want %s", cases[i].s, url_err_str(e), url_err_str(cases[i].e));
        assert_string_equal(u.host, ""); /* left zeroed */
    }
    char big[3000];
    memset(big, 'a', sizeof big);
    memcpy(big, "https://", 8);
    big[sizeof big - 1] = 0;
    assert_int_equal(url_parse(big, &u), URL_ERR_TOO_LONG);
    char host[400];
    memcpy(host, "https://", 8);
    memset(host + 8, 'a', 300);
    for (int i = 60; i < 300; i += 60)
        host[8 + i] = '.';
    strcpy(host + 308, "/x");
    assert_int_equal(url_parse(host, &u), URL_ERR_HOST_TOO_LONG);
    char lab[100] = "https://";
    memset(lab + 8, 'b', 64);
    strcpy(lab + 72, "/x");
    assert_int_equal(url_parse(lab, &u), URL_ERR_BAD_HOST); /* label > 63 */
    char path[1200] = "https://h/";
    memset(path + 10, 'p', 1100);
    path[1110] = 0;
    assert_int_equal(url_parse(path, &u), URL_ERR_PATH_TOO_LONG);
    assert_string_equal(url_err_str(URL_ERR_BAD_PORT), "url_bad_port");
}

/* The host says whether it is a name or an IPv4 literal and carries the
   literal's address; text shaped like an IPv4 literal that is not a strict
   dotted quad is refused (lib/ip_addr.h). */
static void test_ipv4(void **state)
{
    (void)state;
    struct url u;
    assert_int_equal(url_parse("https://127.0.0.1/", &u), URL_OK);
    assert_int_equal(u.host_kind, URL_HOST_IP);
    assert_true(ip_addr_eq(&u.host_addr, (struct ip_addr[1]){ip_addr_v4(0x7f000001u)}));
    assert_int_equal(url_parse("http://255.255.255.255:8080/x", &u), URL_OK);
    assert_int_equal(u.host_kind, URL_HOST_IP);
    assert_int_equal(ip_addr_v4_value(&u.host_addr), 0xffffffffu);
    const char *names[] = {"https://a.b.c.d/", "https://1.2.3.4a/",
                           "https://0x.example/", "https://example.1a/"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        assert_int_equal(url_parse(names[i], &u), URL_OK);
        assert_int_equal(u.host_kind, URL_HOST_NAME);
        assert_int_equal(u.host_addr.family, IP_FAMILY_NONE);
    }
    /* text a browser reads as an IPv4 literal (the last label a number) but
       not a strict dotted quad: refused, not looked up as a name (010 would
       be octal 8 to a browser, 1.2.3 would be 1.2.0.3) */
    const char *bad[] = {"https://1.2.3.256/", "https://01.2.3.4/", "https://010.0.0.1/",
                         "https://1.2.3/", "https://1.2.3.4.5/", "https://1.2.3.4./",
                         "https://127.1/", "https://2130706433/", "https://0x7f.0.0.1/",
                         "https://0X7F000001:8080/", "https://example.123/",
                         "https://x1.2.3.4/"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (url_parse(bad[i], &u) != URL_ERR_BAD_HOST)
            fail_msg("%s: not refused", bad[i]);
        assert_int_equal(u.host_kind, URL_HOST_NAME);
        assert_string_equal(u.host, "");
    }
    /* an IPv4 address in brackets is no IP-literal (RFC 3986 3.2.2) */
    assert_int_equal(url_parse("https://[127.0.0.1]:443/", &u), URL_ERR_BAD_HOST);
    assert_int_equal(u.host_addr.family, IP_FAMILY_NONE);
    assert_string_equal(u.host, "");
}

/* IPv6 literals in brackets (RFC 3986 3.2.2): the address, the port after
   the bracket, the host in RFC 5952 form without brackets, and the Host
   header form with them. */
static void test_ipv6(void **state)
{
    (void)state;
    struct url u;
    char hh[URL_HOST_MAX + 2];
    assert_int_equal(url_parse("https://[2001:DB8:0::1]:8443/path?q=1", &u), URL_OK);
    assert_int_equal(u.host_kind, URL_HOST_IP);
    assert_true(ip_addr_is_v6(&u.host_addr));
    static const uint8_t want[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    assert_memory_equal(u.host_addr.bytes, want, 16);
    assert_string_equal(u.host, "2001:db8::1");
    assert_int_equal(u.port, 8443);
    assert_true(u.port_explicit);
    assert_string_equal(u.path, "/path?q=1");
    assert_int_equal(url_host_header(&u, hh, sizeof hh), 13);
    assert_string_equal(hh, "[2001:db8::1]");
    assert_int_equal(url_host_header(&u, hh, 13), 0);        /* no room for the NUL */

    assert_int_equal(url_parse("http://[::1]", &u), URL_OK);
    assert_int_equal(u.port, 80);
    assert_false(u.port_explicit);
    assert_string_equal(u.host, "::1");
    assert_string_equal(u.path, "/");
    assert_int_equal(url_parse("https://[::ffff:10.0.2.2]/", &u), URL_OK);
    assert_true(ip_addr_is_v6(&u.host_addr));              /* mapped stays IPv6 */
    assert_string_equal(u.host, "::ffff:10.0.2.2");

    /* names and IPv4 literals keep their Host form */
    assert_int_equal(url_parse("https://Example.com:8443/", &u), URL_OK);
    assert_int_equal(url_host_header(&u, hh, sizeof hh), 11);
    assert_string_equal(hh, "example.com");
    assert_int_equal(url_parse("https://10.0.2.2/", &u), URL_OK);
    url_host_header(&u, hh, sizeof hh);
    assert_string_equal(hh, "10.0.2.2");

    /* refused: nothing half-parsed */
    assert_int_equal(url_parse("https://[fe80::1%25en0]/", &u), URL_ERR_IPV6_ZONE);
    assert_int_equal(u.host_addr.family, IP_FAMILY_NONE);
    assert_string_equal(u.host, "");
    assert_string_equal(url_err_str(URL_ERR_IPV6_ZONE), "url_ipv6_zone_refused");
    assert_string_equal(url_err_str(URL_ERR_IPV6_NO_BRACKETS), "url_ipv6_no_brackets");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_ipv4),
        cmocka_unit_test(test_ipv6),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
