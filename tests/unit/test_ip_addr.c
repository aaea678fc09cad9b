/* lib/ip_addr.c: constructors, equality, family checks, text in and out
   (the host's inet_ntop/inet_pton as the reference for IPv4). */
#include <arpa/inet.h>
#include "unit.h"
#include "lib/ip_addr.h"

static void test_v4_value(void **s)
{
    (void)s;
    struct ip_addr a = ip_addr_v4(0x0a000202u);
    assert_true(ip_addr_is_v4(&a));
    assert_int_equal(a.family, IP_FAMILY_V4);
    assert_memory_equal(a.bytes, ((uint8_t[16]){10, 0, 2, 2}), 16); /* rest zero */
    assert_int_equal(ip_addr_v4_value(&a), 0x0a000202u);
    struct ip_addr none;
    memset(&none, 0, sizeof none);
    assert_false(ip_addr_is_v4(&none));
    assert_false(ip_addr_is_v4(NULL));
    struct ip_addr v6 = {.family = IP_FAMILY_V6, .bytes = {10, 0, 2, 2}};
    assert_false(ip_addr_is_v4(&v6));
    assert_int_equal(ip_addr_v4_value(&v6), 0);  /* never the bytes of another family */
}

static void test_eq(void **s)
{
    (void)s;
    struct ip_addr a = ip_addr_v4(0x7f000001u), b = ip_addr_v4(0x7f000001u);
    struct ip_addr c = ip_addr_v4(0x7f000002u);
    struct ip_addr v6 = a;
    v6.family = IP_FAMILY_V6;
    assert_true(ip_addr_eq(&a, &b));
    assert_false(ip_addr_eq(&a, &c));
    assert_false(ip_addr_eq(&a, &v6));   /* same bytes, other family */
}

static void test_format(void **s)
{
    (void)s;
    const uint32_t v[] = {0, 0x0a000202u, 0x7f000001u, 0xffffffffu, 0x01020304u, 0xc0a86409u,
                          0x640a0b63u};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        struct ip_addr a = ip_addr_v4(v[i]);
        struct in_addr in = {.s_addr = htonl(v[i])};
        char want[INET_ADDRSTRLEN], got[IP_ADDR_STR_MAX];
        assert_non_null(inet_ntop(AF_INET, &in, want, sizeof want));
        assert_ptr_equal(ip_addr_format(&a, got, sizeof got), got);
        assert_string_equal(got, want);
    }
    assert_int_equal(IP_ADDR_STR_MAX, INET6_ADDRSTRLEN);
    /* truncation keeps the NUL */
    struct ip_addr a = ip_addr_v4(0xffffffffu);
    char small[8];
    assert_string_equal(ip_addr_format(&a, small, sizeof small), "255.255");
    /* a family it cannot write */
    struct ip_addr v6 = {.family = IP_FAMILY_V6};
    char b[IP_ADDR_STR_MAX];
    assert_string_equal(ip_addr_format(&v6, b, sizeof b), "?");
}

static void test_parse(void **s)
{
    (void)s;
    const char *good[] = {"127.0.0.1", "255.255.255.255", "0.0.0.0", "10.0.2.2", "1.20.100.200"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        struct ip_addr a;
        struct in_addr in;
        assert_int_equal(ip_addr_parse(good[i], strlen(good[i]), &a), IP_ADDR_OK);
        assert_int_equal(inet_pton(AF_INET, good[i], &in), 1);
        assert_true(ip_addr_is_v4(&a));
        assert_int_equal(ip_addr_v4_value(&a), ntohl(in.s_addr));
    }
    /* n bounds the text: the rest of the string is not read */
    struct ip_addr a;
    assert_int_equal(ip_addr_parse("10.0.2.2:443", 8, &a), IP_ADDR_OK);
    assert_int_equal(ip_addr_v4_value(&a), 0x0a000202u);

    /* not literals at all: host names, or nothing */
    const char *bad[] = {"a.b.c.d", "1.2.3.4 ", "", "example.com", "1:2", "1.2.3.4a",
                         "0x.example", "example.1a", "1.2.3.0xg", ".", "a..",
                         "1.2.3.4-"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct ip_addr keep = ip_addr_v4(0x01010101u);
        if (ip_addr_parse(bad[i], strlen(bad[i]), &keep) != IP_ADDR_ERR_SYNTAX)
            fail_msg("'%s': want bad_address", bad[i]);
        assert_int_equal(ip_addr_v4_value(&keep), 0x01010101u);   /* untouched */
    }
    /* the last label a number (WHATWG "ends in a number": a browser would
       take these as IPv4, 010 as octal) but not a strict dotted quad */
    const char *form[] = {"256.1.1.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "010.0.0.1",
                          "10.0.0.01", "1..2.3", ".1.2.3", "1.2.3.", "1.2.3.4.", "1.2.3.1000",
                          "-1.2.3.4", "127.1", "2130706433", "0", "0x7f.0.0.1", "0X7F000001",
                          "1.2.3.0x", "example.123", "a.0x1F.", "x1.2.3.4"};
    for (size_t i = 0; i < sizeof form / sizeof form[0]; i++) {
        struct ip_addr keep = ip_addr_v4(0x01010101u);
        if (ip_addr_parse(form[i], strlen(form[i]), &keep) != IP_ADDR_ERR_V4_FORM)
            fail_msg("'%s': want bad_ipv4_literal", form[i]);
        assert_int_equal(ip_addr_v4_value(&keep), 0x01010101u);
    }
    assert_string_equal(ip_addr_err_str(IP_ADDR_ERR_V4_FORM), "bad_ipv4_literal");
    assert_int_equal(ip_addr_parse(NULL, 0, &a), IP_ADDR_ERR_SYNTAX);
}

/* IPv6 literals are recognised and refused with the family error. */
static void test_parse_v6_refused(void **s)
{
    (void)s;
    const char *v6[] = {"::1", "::", "fe80::1", "2001:db8::ff00:42:8329", "::ffff:10.0.2.2",
                        "2001:DB8:0:0:0:0:0:1"};
    for (size_t i = 0; i < sizeof v6 / sizeof v6[0]; i++) {
        struct ip_addr a = ip_addr_v4(0x01010101u);
        assert_int_equal(ip_addr_parse(v6[i], strlen(v6[i]), &a), IP_ADDR_ERR_FAMILY);
        assert_int_equal(ip_addr_v4_value(&a), 0x01010101u);
    }
    assert_string_equal(ip_addr_err_str(IP_ADDR_ERR_FAMILY), "unsupported_family");
    assert_string_equal(ip_addr_err_str(IP_ADDR_ERR_SYNTAX), "bad_address");
    assert_string_equal(ip_addr_err_str(IP_ADDR_OK), "ok");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_v4_value),
        cmocka_unit_test(test_eq),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_parse_v6_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
