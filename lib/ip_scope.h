/* What kind of network an address belongs to, for code that must not let
   untrusted input (a URL a model chose, a name that resolves to anything)
   steer the kernel at its own machine or its local network: loopback,
   private ranges, link-local and the cloud metadata address, shared
   (carrier-grade NAT) space, multicast, broadcast and the ranges IANA
   reserves (RFC 6890 special-purpose registries, RFC 6598, RFC 5737,
   RFC 2544, RFC 1122/1112 for IPv4; RFC 4291, RFC 4193, RFC 6052, RFC 3849,
   RFC 6666 for IPv6). ip_scope_of() classifies one address; only IP_SCOPE_PUBLIC is
   an address on the internet at large. An IPv6 address that embeds an IPv4
   one (IPv4-mapped ::ffff:a.b.c.d, the NAT64 well-known prefix 64:ff9b::/96)
   is classified by the embedded address, so the private 10.0.0.1 stays
   private written as ::ffff:10.0.0.1; the deprecated IPv4-compatible
   ::a.b.c.d (RFC 4291 2.5.5.1) is reserved whatever it embeds.
   Pure functions over struct ip_addr (lib/ip_addr.h), no allocation;
   portable, built for the kernel and the host. */
#ifndef LIB_IP_SCOPE_H
#define LIB_IP_SCOPE_H
#include <stdbool.h>
#include "lib/ip_addr.h"

enum ip_scope {
    IP_SCOPE_PUBLIC = 0,     /* global unicast */
    IP_SCOPE_NONE,           /* no address (family 0) or a family not known */
    IP_SCOPE_UNSPECIFIED,    /* 0.0.0.0/8 ("this network"), :: */
    IP_SCOPE_LOOPBACK,       /* 127.0.0.0/8, ::1 */
    IP_SCOPE_PRIVATE,        /* 10/8, 172.16/12, 192.168/16, fc00::/7 */
    IP_SCOPE_SHARED,         /* 100.64.0.0/10 (carrier-grade NAT) */
    IP_SCOPE_LINK_LOCAL,     /* 169.254/16 (but the metadata address), fe80::/10 */
    IP_SCOPE_METADATA,       /* 169.254.169.254, fd00:ec2::254: cloud instance metadata */
    IP_SCOPE_MULTICAST,      /* 224/4, ff00::/8 */
    IP_SCOPE_BROADCAST,      /* 255.255.255.255 */
    IP_SCOPE_RESERVED,       /* 192.0.0/24, 192.0.2/24, 198.18/15, 198.51.100/24,
                                203.0.113/24, 240/4, 2001:db8::/32, ::/96, 100::/64 and
                                the rest of ::/8, fec0::/10 (site-local) */
};

/* "public", "none", "unspecified", "loopback", "private", "shared",
   "link_local", "metadata", "multicast", "broadcast", "reserved". */
const char *ip_scope_str(enum ip_scope s);

enum ip_scope ip_scope_of(const struct ip_addr *a);

/* True only for IP_SCOPE_PUBLIC. */
bool ip_scope_is_public(const struct ip_addr *a);

#endif
