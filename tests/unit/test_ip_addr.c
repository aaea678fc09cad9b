/* lib/ip_addr.c: constructors, equality, family checks, text in and out
   (the host's inet_ntop/inet_pton as the reference for IPv4 and IPv6). */
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
    struct ip_addr none = {.family = IP_FAMILY_NONE};
    char b[IP_ADDR_STR_MAX];
    assert_string_equal(ip_addr_format(&none, b, sizeof b), "?");
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

/* IPv6 literals parse to family 6 through the one parser, with the same
   bytes as ip_addr_parse_v6; a zone id is refused by name; a mapped
   literal stays IPv6; malformed IPv6-shaped text is no address. */
static void test_parse_v6_literals(void **s)
{
    (void)s;
    const char *v6[] = {"::1", "::", "fe80::1", "2001:db8::ff00:42:8329", "::ffff:10.0.2.2",
                        "2001:DB8:0:0:0:0:0:1"};
    for (size_t i = 0; i < sizeof v6 / sizeof v6[0]; i++) {
        struct ip_addr a = ip_addr_v4(0x01010101u), b;
        assert_int_equal(ip_addr_parse(v6[i], strlen(v6[i]), &a), IP_ADDR_OK);
        assert_int_equal(a.family, IP_FAMILY_V6);
        assert_int_equal(ip_addr_parse_v6(v6[i], strlen(v6[i]), &b), IP_ADDR_OK);
        assert_true(ip_addr_eq(&a, &b));
    }
    struct ip_addr a;
    assert_int_equal(ip_addr_parse("2001:db8::1", 11, &a), IP_ADDR_OK);
    static const uint8_t want[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    assert_memory_equal(a.bytes, want, 16);
    /* v4-mapped text is an IPv6 address, never the IPv4 one */
    assert_int_equal(ip_addr_parse("::ffff:10.0.2.2", 15, &a), IP_ADDR_OK);
    assert_false(ip_addr_is_v4(&a));
    assert_int_equal(ip_addr_v4_value(&a), 0);
    const char *zoned[] = {"fe80::1%eth0", "fe80::1%1", "::1%"};
    for (size_t i = 0; i < sizeof zoned / sizeof zoned[0]; i++) {
        struct ip_addr keep = ip_addr_v4(0x01010101u);
        if (ip_addr_parse(zoned[i], strlen(zoned[i]), &keep) != IP_ADDR_ERR_V6_ZONE)
            fail_msg("'%s': want ipv6_zone_refused", zoned[i]);
        assert_int_equal(ip_addr_v4_value(&keep), 0x01010101u);
    }
    const char *bad[] = {"1::2::3", ":::", "1:2:3:4:5:6:7:8:9", "12345::1", "[::1]", "::1.2.3"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct ip_addr keep = ip_addr_v4(0x01010101u);
        if (ip_addr_parse(bad[i], strlen(bad[i]), &keep) != IP_ADDR_ERR_SYNTAX)
            fail_msg("'%s': want bad_address", bad[i]);
        assert_int_equal(ip_addr_v4_value(&keep), 0x01010101u);
    }
    /* a '%' in a name is no zone id */
    assert_int_equal(ip_addr_parse("host%1", 6, &a), IP_ADDR_ERR_SYNTAX);
    assert_string_equal(ip_addr_err_str(IP_ADDR_ERR_FAMILY), "unsupported_family");
    assert_string_equal(ip_addr_err_str(IP_ADDR_ERR_SYNTAX), "bad_address");
    assert_string_equal(ip_addr_err_str(IP_ADDR_OK), "ok");
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static unsigned rnd(unsigned n)
{
    rng = rng * 6364136223846793005ull + 1442695040888963407ull;
    return (unsigned)(rng >> 33) % n;
}

/* A random address biased to zero fields (so "::" runs of every length and
   position, ties included, occur often), sometimes IPv4-mapped. */
static void random_v6(uint8_t b[16])
{
    for (int i = 0; i < 8; i++) {
        unsigned k = rnd(4), v = k == 0 ? rnd(0x10000) : k == 1 ? rnd(16) : 0;
        b[2 * i] = (uint8_t)(v >> 8);
        b[2 * i + 1] = (uint8_t)v;
    }
    if (rnd(8) == 0) {
        memset(b, 0, 10);
        b[10] = b[11] = 0xff;
    }
}

/* glibc writes ::a.b.c.d (IPv4-compatible, deprecated by RFC 4291 2.5.5.1)
   when the first 96 bits are zero; RFC 5952 asks for hex there. */
static bool glibc_compat_form(const uint8_t b[16])
{
    static const uint8_t z[12];
    return memcmp(b, z, 12) == 0 && (b[12] | b[13]) != 0;
}

static void test_format_v6(void **s)
{
    (void)s;
    for (int n = 0; n < 20000; n++) {
        uint8_t b[16];
        random_v6(b);
        struct ip_addr a = ip_addr_v6(b);
        char want[INET6_ADDRSTRLEN], got[IP_ADDR_STR_MAX];
        assert_non_null(inet_ntop(AF_INET6, b, want, sizeof want));
        ip_addr_format(&a, got, sizeof got);
        if (glibc_compat_form(b)) {
            assert_null(strchr(got, '.'));
        } else if (strcmp(got, want) != 0) {
            fail_msg("format: got %s want %s", got, want);
        }
        /* and it parses back to the same bytes */
        struct ip_addr back;
        assert_int_equal(ip_addr_parse_v6(got, strlen(got), &back), IP_ADDR_OK);
        assert_true(ip_addr_eq(&a, &back));
    }
    const struct { const char *in, *out; } fixed[] = {
        {"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"},      /* first of equal runs */
        {"2001:0db8:0:0:0:0:2:1", "2001:db8::2:1"},
        {"2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"},  /* one zero field: no "::" */
        {"2001:DB8::AAAA", "2001:db8::aaaa"},
        {"0:0:0:0:0:0:0:0", "::"},
        {"0:0:0:0:0:0:0:1", "::1"},
        {"1:0:0:0:0:0:0:0", "1::"},
        {"1:0:0:2:0:0:0:3", "1:0:0:2::3"},                   /* the longest run */
        {"::ffff:a00:202", "::ffff:10.0.2.2"},
        {"::102:304", "::102:304"},
        {"fe80::0200:5eff:fe00:5301", "fe80::200:5eff:fe00:5301"},
        {"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"},
    };
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
        struct ip_addr a;
        char got[IP_ADDR_STR_MAX];
        assert_int_equal(ip_addr_parse_v6(fixed[i].in, strlen(fixed[i].in), &a), IP_ADDR_OK);
        assert_string_equal(ip_addr_format(&a, got, sizeof got), fixed[i].out);
    }
    /* truncation keeps the NUL */
    struct ip_addr a;
    char small[6];
    assert_int_equal(ip_addr_parse_v6("2001:db8::1", 11, &a), IP_ADDR_OK);
    assert_string_equal(ip_addr_format(&a, small, sizeof small), "2001:");
    assert_true(ip_addr_is_v6(&a));
    assert_false(ip_addr_is_v4(&a));
    assert_int_equal(ip_addr_v4_value(&a), 0);
}

/* Writes b in a random valid RFC 4291 2.2 text form: upper or lower case,
   leading zeros or not, "::" over a random zero run (or none), a dotted
   quad for the last 32 bits sometimes. */
static size_t random_text(const uint8_t b[16], char *out)
{
    unsigned w[8];
    for (int i = 0; i < 8; i++)
        w[i] = (unsigned)(b[2 * i] << 8 | b[2 * i + 1]);
    bool quad = rnd(4) == 0;
    int fields = quad ? 6 : 8;
    int zs = -1, zl = 0;
    if (rnd(3)) {
        int i = (int)rnd((unsigned)fields), j = i;
        while (j < fields && w[j] == 0)
            j++;
        if (j > i) {
            zs = i;
            zl = j - i;
            if (zl > 1)
                zl = 1 + (int)rnd((unsigned)zl);
        }
    }
    size_t o = 0;
    for (int i = 0; i < fields; i++) {
        if (i == zs) {
            out[o++] = ':';
            out[o++] = ':';
            i += zl - 1;
            continue;
        }
        if (i && i != zs + zl)
            out[o++] = ':';
        o += (size_t)sprintf(out + o, rnd(2) ? "%x" : rnd(2) ? "%04X" : "%X", w[i]);
    }
    if (quad) {
        if (zs < 0 || zs + zl != 6)
            out[o++] = ':';
        o += (size_t)sprintf(out + o, "%u.%u.%u.%u", b[12], b[13], b[14], b[15]);
    }
    out[o] = 0;
    return o;
}

static void test_parse_v6(void **s)
{
    (void)s;
    for (int n = 0; n < 20000; n++) {
        uint8_t b[16], ref[16];
        char t[64];
        random_v6(b);
        size_t len = random_text(b, t);
        struct ip_addr a;
        assert_int_equal(inet_pton(AF_INET6, t, ref), 1);
        assert_memory_equal(ref, b, 16);
        if (ip_addr_parse_v6(t, len, &a) != IP_ADDR_OK)
            fail_msg("'%s' refused", t);
        assert_int_equal(a.family, IP_FAMILY_V6);
        assert_memory_equal(a.bytes, b, 16);
    }
    /* random strings over the literal alphabet: accepted exactly when the
       host accepts them, with the same bytes */
    static const char alpha[] = "0123456789abcdefABCDEF::::::.....";
    unsigned accepted = 0;
    for (int n = 0; n < 200000; n++) {
        char t[48];
        size_t len = 1 + rnd(40);
        for (size_t i = 0; i < len; i++)
            t[i] = alpha[rnd(sizeof alpha - 1)];
        t[len] = 0;
        if (rnd(2)) {   /* splice in a "::" or a dotted quad part */
            size_t at = rnd((unsigned)len);
            if (rnd(2)) t[at] = ':', t[at + 1 < len ? at + 1 : at] = ':';
            else if (at + 1 < len) t[at] = '.';
        }
        uint8_t ref[16];
        struct ip_addr a = ip_addr_v4(0x01010101u);
        int want = inet_pton(AF_INET6, t, ref);
        enum ip_addr_err got = ip_addr_parse_v6(t, len, &a);
        if ((got == IP_ADDR_OK) != (want == 1))
            fail_msg("'%s': ours %s, inet_pton %d", t, ip_addr_err_str(got), want);
        if (want == 1) {
            accepted++;
            assert_memory_equal(a.bytes, ref, 16);
        } else {
            assert_int_equal(got, IP_ADDR_ERR_SYNTAX);
            assert_int_equal(ip_addr_v4_value(&a), 0x01010101u);   /* untouched */
        }
    }
    assert_true(accepted > 100);   /* the generator reaches valid forms */
    const char *good[] = {"::", "::1", "1::", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8",
                          "1:2:3:4:5:6:1.2.3.4", "::1.2.3.4", "::ffff:10.0.2.2",
                          "64:ff9b::192.0.2.33", "1::1.2.3.4", "FE80::1", "0000:0::0"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        uint8_t ref[16];
        struct ip_addr a;
        assert_int_equal(inet_pton(AF_INET6, good[i], ref), 1);
        if (ip_addr_parse_v6(good[i], strlen(good[i]), &a) != IP_ADDR_OK)
            fail_msg("'%s' refused", good[i]);
        assert_memory_equal(a.bytes, ref, 16);
    }
    const char *bad[] = {"", ":", ":::", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "12345::",
                         "1::2::3", ":1::", "1::2:", "::1.2.3", "::1.2.3.04", "::256.1.1.1",
                         "1.2.3.4", "::1.2.3.4:5", "1:2:3:4:5:6:7:1.2.3.4", "g::", "::1 ",
                         "1:2:3:4:5:6:7:8::", "[::1]", "::-1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint8_t ref[16];
        struct ip_addr a;
        assert_int_equal(inet_pton(AF_INET6, bad[i], ref), 0);
        if (ip_addr_parse_v6(bad[i], strlen(bad[i]), &a) != IP_ADDR_ERR_SYNTAX)
            fail_msg("'%s' accepted", bad[i]);
    }
    struct ip_addr a;
    /* zone ids are refused by name */
    assert_int_equal(ip_addr_parse_v6("fe80::1%eth0", 12, &a), IP_ADDR_ERR_V6_ZONE);
    assert_int_equal(ip_addr_parse_v6("fe80::1%25en0", 13, &a), IP_ADDR_ERR_V6_ZONE);
    assert_string_equal(ip_addr_err_str(IP_ADDR_ERR_V6_ZONE), "ipv6_zone_refused");
    /* n bounds the text */
    assert_int_equal(ip_addr_parse_v6("::1]:443", 3, &a), IP_ADDR_OK);
    assert_int_equal(a.bytes[15], 1);
    assert_int_equal(ip_addr_parse_v6(NULL, 0, &a), IP_ADDR_ERR_SYNTAX);
    /* IPv4 text is not an IPv6 literal */
    assert_int_equal(ip_addr_parse_v6("10.0.2.2", 8, &a), IP_ADDR_ERR_SYNTAX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_v4_value),
        cmocka_unit_test(test_eq),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_parse_v6_literals),
        cmocka_unit_test(test_format_v6),
        cmocka_unit_test(test_parse_v6),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
