/* see ip_scope.h */
#include "lib/ip_scope.h"
#include <string.h>
#include "lib/bytes.h"

const char *ip_scope_str(enum ip_scope s)
{
    switch (s) {
    case IP_SCOPE_PUBLIC: return "public";
    case IP_SCOPE_NONE: return "none";
    case IP_SCOPE_UNSPECIFIED: return "unspecified";
    case IP_SCOPE_LOOPBACK: return "loopback";
    case IP_SCOPE_PRIVATE: return "private";
    case IP_SCOPE_SHARED: return "shared";
    case IP_SCOPE_LINK_LOCAL: return "link_local";
    case IP_SCOPE_METADATA: return "metadata";
    case IP_SCOPE_MULTICAST: return "multicast";
    case IP_SCOPE_BROADCAST: return "broadcast";
    case IP_SCOPE_RESERVED: return "reserved";
    }
    return "unknown";
}

/* An IPv4 range: the address's top `bits` bits equal net's. */
struct v4_range {
    uint32_t net;
    unsigned bits;
    enum ip_scope scope;
};

/* Most specific first: the metadata address inside link-local. */
static const struct v4_range v4_ranges[] = {
    {0xa9fea9feu, 32, IP_SCOPE_METADATA},     /* 169.254.169.254 */
    {0xffffffffu, 32, IP_SCOPE_BROADCAST},    /* 255.255.255.255 */
    {0x00000000u, 8, IP_SCOPE_UNSPECIFIED},   /* 0.0.0.0/8 */
    {0x7f000000u, 8, IP_SCOPE_LOOPBACK},      /* 127.0.0.0/8 */
    {0x0a000000u, 8, IP_SCOPE_PRIVATE},       /* 10.0.0.0/8 */
    {0xac100000u, 12, IP_SCOPE_PRIVATE},      /* 172.16.0.0/12 */
    {0xc0a80000u, 16, IP_SCOPE_PRIVATE},      /* 192.168.0.0/16 */
    {0x64400000u, 10, IP_SCOPE_SHARED},       /* 100.64.0.0/10 */
    {0xa9fe0000u, 16, IP_SCOPE_LINK_LOCAL},   /* 169.254.0.0/16 */
    {0xc0000000u, 24, IP_SCOPE_RESERVED},     /* 192.0.0.0/24 IETF protocol */
    {0xc0000200u, 24, IP_SCOPE_RESERVED},     /* 192.0.2.0/24 TEST-NET-1 */
    {0xc6120000u, 15, IP_SCOPE_RESERVED},     /* 198.18.0.0/15 benchmarking */
    {0xc6336400u, 24, IP_SCOPE_RESERVED},     /* 198.51.100.0/24 TEST-NET-2 */
    {0xcb007100u, 24, IP_SCOPE_RESERVED},     /* 203.0.113.0/24 TEST-NET-3 */
    {0xe0000000u, 4, IP_SCOPE_MULTICAST},     /* 224.0.0.0/4 */
    {0xf0000000u, 4, IP_SCOPE_RESERVED},      /* 240.0.0.0/4 */
};

static enum ip_scope v4_scope(uint32_t v)
{
    for (size_t i = 0; i < sizeof v4_ranges / sizeof v4_ranges[0]; i++) {
        const struct v4_range *r = &v4_ranges[i];
        uint32_t mask = r->bits == 32 ? 0xffffffffu : ~(0xffffffffu >> r->bits);
        if ((v & mask) == r->net)
            return r->scope;
    }
    return IP_SCOPE_PUBLIC;
}

/* b[0..n) are all zero. */
static bool zero(const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (b[i])
            return false;
    return true;
}

static enum ip_scope v6_scope(const uint8_t b[16])
{
    static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    static const uint8_t nat64[12] = {0x00, 0x64, 0xff, 0x9b};
    static const uint8_t metadata[16] = {0xfd, 0x00, 0x0e, 0xc2, [15] = 0x54, [14] = 0x02};
    if (zero(b, 16))
        return IP_SCOPE_UNSPECIFIED;                      /* :: */
    if (zero(b, 15) && b[15] == 1)
        return IP_SCOPE_LOOPBACK;                         /* ::1 */
    if (memcmp(b, mapped, 12) == 0 || memcmp(b, nat64, 12) == 0)
        return v4_scope(be32_get(b + 12));                /* ::ffff:0:0/96, 64:ff9b::/96 */
    if (zero(b, 12))
        return IP_SCOPE_RESERVED;                         /* ::/96 deprecated IPv4-compatible */
    if (memcmp(b, metadata, 16) == 0)
        return IP_SCOPE_METADATA;                         /* fd00:ec2::254 */
    if (b[0] == 0xff)
        return IP_SCOPE_MULTICAST;                        /* ff00::/8 */
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)
        return IP_SCOPE_LINK_LOCAL;                       /* fe80::/10 */
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0)
        return IP_SCOPE_RESERVED;                         /* fec0::/10 site-local */
    if ((b[0] & 0xfe) == 0xfc)
        return IP_SCOPE_PRIVATE;                          /* fc00::/7 unique local */
    if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8)
        return IP_SCOPE_RESERVED;                         /* 2001:db8::/32 documentation */
    if (b[0] == 0)
        return IP_SCOPE_RESERVED;                         /* the rest of ::/8 */
    if (b[0] == 0x01 && zero(b + 1, 7))
        return IP_SCOPE_RESERVED;                         /* 100::/64 discard-only */
    return IP_SCOPE_PUBLIC;
}

enum ip_scope ip_scope_of(const struct ip_addr *a)
{
    if (!a)
        return IP_SCOPE_NONE;
    switch (a->family) {
    case IP_FAMILY_V4: return v4_scope(be32_get(a->bytes));
    case IP_FAMILY_V6: return v6_scope(a->bytes);
    default: return IP_SCOPE_NONE;
    }
}

bool ip_scope_is_public(const struct ip_addr *a)
{
    return ip_scope_of(a) == IP_SCOPE_PUBLIC;
}
