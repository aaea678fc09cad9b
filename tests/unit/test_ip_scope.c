/* lib/ip_scope.c: the scope of addresses at every range's edges, IPv4 and
   IPv6 (text turned into bytes by the host's inet_pton), embedded IPv4 in
   IPv6 classified like the IPv4 address itself, and the names. */
#include <arpa/inet.h>
#include "unit.h"
#include "lib/ip_scope.h"

static struct ip_addr addr_of(const char *text)
{
    struct ip_addr a;
    memset(&a, 0, sizeof a);
    if (inet_pton(AF_INET, text, a.bytes) == 1) {
        a.family = IP_FAMILY_V4;
    } else {
        assert_int_equal(inet_pton(AF_INET6, text, a.bytes), 1);
        a.family = IP_FAMILY_V6;
    }
    return a;
}

struct scope_case {
    const char *text;
    enum ip_scope want;
};

static const struct scope_case cases[] = {
    {"8.8.8.8", IP_SCOPE_PUBLIC}, {"1.1.1.1", IP_SCOPE_PUBLIC},
    {"0.0.0.0", IP_SCOPE_UNSPECIFIED}, {"0.255.255.255", IP_SCOPE_UNSPECIFIED},
    {"1.0.0.0", IP_SCOPE_PUBLIC},
    {"9.255.255.255", IP_SCOPE_PUBLIC}, {"10.0.0.0", IP_SCOPE_PRIVATE},
    {"10.255.255.255", IP_SCOPE_PRIVATE}, {"11.0.0.0", IP_SCOPE_PUBLIC},
    {"100.63.255.255", IP_SCOPE_PUBLIC}, {"100.64.0.0", IP_SCOPE_SHARED},
    {"100.127.255.255", IP_SCOPE_SHARED}, {"100.128.0.0", IP_SCOPE_PUBLIC},
    {"126.255.255.255", IP_SCOPE_PUBLIC}, {"127.0.0.1", IP_SCOPE_LOOPBACK},
    {"127.255.255.255", IP_SCOPE_LOOPBACK}, {"128.0.0.0", IP_SCOPE_PUBLIC},
    {"169.253.255.255", IP_SCOPE_PUBLIC}, {"169.254.0.0", IP_SCOPE_LINK_LOCAL},
    {"169.254.169.253", IP_SCOPE_LINK_LOCAL}, {"169.254.169.254", IP_SCOPE_METADATA},
    {"169.254.169.255", IP_SCOPE_LINK_LOCAL}, {"169.254.255.255", IP_SCOPE_LINK_LOCAL},
    {"169.255.0.0", IP_SCOPE_PUBLIC},
    {"172.15.255.255", IP_SCOPE_PUBLIC}, {"172.16.0.0", IP_SCOPE_PRIVATE},
    {"172.31.255.255", IP_SCOPE_PRIVATE}, {"172.32.0.0", IP_SCOPE_PUBLIC},
    {"191.255.255.255", IP_SCOPE_PUBLIC}, {"192.0.0.0", IP_SCOPE_RESERVED},
    {"192.0.0.255", IP_SCOPE_RESERVED}, {"192.0.1.0", IP_SCOPE_PUBLIC},
    {"192.0.2.1", IP_SCOPE_RESERVED}, {"192.0.3.0", IP_SCOPE_PUBLIC},
    {"192.167.255.255", IP_SCOPE_PUBLIC}, {"192.168.0.0", IP_SCOPE_PRIVATE},
    {"192.168.255.255", IP_SCOPE_PRIVATE}, {"192.169.0.0", IP_SCOPE_PUBLIC},
    {"198.17.255.255", IP_SCOPE_PUBLIC}, {"198.18.0.0", IP_SCOPE_RESERVED},
    {"198.19.255.255", IP_SCOPE_RESERVED}, {"198.20.0.0", IP_SCOPE_PUBLIC},
    {"198.51.100.7", IP_SCOPE_RESERVED}, {"198.51.101.0", IP_SCOPE_PUBLIC},
    {"203.0.112.255", IP_SCOPE_PUBLIC}, {"203.0.113.9", IP_SCOPE_RESERVED},
    {"203.0.114.0", IP_SCOPE_PUBLIC},
    {"223.255.255.255", IP_SCOPE_PUBLIC}, {"224.0.0.1", IP_SCOPE_MULTICAST},
    {"239.255.255.255", IP_SCOPE_MULTICAST}, {"240.0.0.0", IP_SCOPE_RESERVED},
    {"255.255.255.254", IP_SCOPE_RESERVED}, {"255.255.255.255", IP_SCOPE_BROADCAST},
    {"::", IP_SCOPE_UNSPECIFIED}, {"::1", IP_SCOPE_LOOPBACK}, {"::2", IP_SCOPE_RESERVED},
    {"::ffff:10.1.2.3", IP_SCOPE_PRIVATE}, {"::ffff:127.0.0.1", IP_SCOPE_LOOPBACK},
    {"::ffff:169.254.169.254", IP_SCOPE_METADATA}, {"::ffff:8.8.8.8", IP_SCOPE_PUBLIC},
    {"64:ff9b::7f00:1", IP_SCOPE_LOOPBACK}, {"64:ff9b::808:808", IP_SCOPE_PUBLIC},
    {"64:ff9b:1::808:808", IP_SCOPE_RESERVED}, /* local-use NAT64 (RFC 8215): in ::/8 */
    {"::10.0.0.1", IP_SCOPE_RESERVED}, {"::8.8.8.8", IP_SCOPE_RESERVED},
    {"100::1", IP_SCOPE_RESERVED}, {"ff::1", IP_SCOPE_RESERVED},
    {"fe80::1", IP_SCOPE_LINK_LOCAL}, {"febf:ffff::1", IP_SCOPE_LINK_LOCAL},
    {"fec0::1", IP_SCOPE_RESERVED}, {"fe7f::1", IP_SCOPE_PUBLIC},
    {"fc00::1", IP_SCOPE_PRIVATE}, {"fdff:ffff::1", IP_SCOPE_PRIVATE},
    {"fbff::1", IP_SCOPE_PUBLIC},
    {"fd00:ec2::254", IP_SCOPE_METADATA}, {"fd00:ec2::253", IP_SCOPE_PRIVATE},
    {"ff02::1", IP_SCOPE_MULTICAST}, {"ff0e::101", IP_SCOPE_MULTICAST},
    {"2001:db8::1", IP_SCOPE_RESERVED}, {"2001:db9::1", IP_SCOPE_PUBLIC},
    {"2001:4860:4860::8888", IP_SCOPE_PUBLIC}, {"2606:4700::1111", IP_SCOPE_PUBLIC},
};

static void test_edges(void **s)
{
    (void)s;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct ip_addr a = addr_of(cases[i].text);
        enum ip_scope got = ip_scope_of(&a);
        if (got != cases[i].want)
            fail_msg("%s: %s, want %s", cases[i].text, ip_scope_str(got),
                     ip_scope_str(cases[i].want));
        assert_int_equal(ip_scope_is_public(&a), cases[i].want == IP_SCOPE_PUBLIC);
    }
}

/* ::ffff:a.b.c.d and 64:ff9b::a.b.c.d share the scope of a.b.c.d, over
   addresses spread across the whole IPv4 space. */
static void test_embedded_v4(void **s)
{
    (void)s;
    uint32_t x = 0x12345678u;
    for (int i = 0; i < 200000; i++) {
        x = x * 1103515245u + 12345u;
        uint32_t v = (x >> 16) | (x << 16);
        struct ip_addr a4 = ip_addr_v4(v), m, n;
        memset(&m, 0, sizeof m);
        m.family = IP_FAMILY_V6;
        m.bytes[10] = m.bytes[11] = 0xff;
        memcpy(m.bytes + 12, a4.bytes, 4);
        n = m;
        n.bytes[10] = n.bytes[11] = 0;
        n.bytes[1] = 0x64, n.bytes[2] = 0xff, n.bytes[3] = 0x9b;
        assert_int_equal(ip_scope_of(&m), ip_scope_of(&a4));
        assert_int_equal(ip_scope_of(&n), ip_scope_of(&a4));
    }
}

static void test_none_and_names(void **s)
{
    (void)s;
    struct ip_addr none;
    memset(&none, 0, sizeof none);
    assert_int_equal(ip_scope_of(&none), IP_SCOPE_NONE);
    assert_int_equal(ip_scope_of(NULL), IP_SCOPE_NONE);
    assert_false(ip_scope_is_public(&none));
    const char *names[] = {"public", "none", "unspecified", "loopback", "private", "shared",
                           "link_local", "metadata", "multicast", "broadcast", "reserved"};
    for (int i = 0; i <= IP_SCOPE_RESERVED; i++)
        assert_string_equal(ip_scope_str((enum ip_scope)i), names[i]);
    assert_string_equal(ip_scope_str((enum ip_scope)99), "unknown");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_edges),
        cmocka_unit_test(test_embedded_v4),
        cmocka_unit_test(test_none_and_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
