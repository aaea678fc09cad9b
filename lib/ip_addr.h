/* A family-tagged IP address, the one address type of every interface that
   names a peer: the socket APIs of net/ (tcp_connect, udp_sendto), DNS
   answers, the app's connect path and the host of a parsed URL (http/url.h).
   Both families parse (ip_addr_parse) and format (RFC 5952); net/ carries
   IPv6 where the IPv6 layer is switched on. Code that meets a family it cannot handle
   refuses it with a named error (net/: NET_ERR_FAMILY, "unsupported_family"),
   never by reading the bytes as something else.
   Plain values: no allocation, the caller owns every struct and buffer.
   Portable C, built for the kernel and the host. */
#ifndef LIB_IP_ADDR_H
#define LIB_IP_ADDR_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ip_family {
    IP_FAMILY_NONE = 0,   /* a zeroed struct: no address */
    IP_FAMILY_V4 = 4,
    IP_FAMILY_V6 = 6,     /* text in and out here; net/ipv6.h carries it */
};

/* bytes[] holds the address in network byte order: an IPv4 address in
   bytes[0..3], the rest zero (so ip_addr_eq may compare all 16). Build
   addresses with the constructors below rather than by hand. */
struct ip_addr {
    uint8_t family;       /* enum ip_family */
    uint8_t bytes[16];
};

/* Longest text ip_addr_format writes, NUL included: an IPv6 address with an
   embedded IPv4 part (45 characters), as INET6_ADDRSTRLEN. */
#define IP_ADDR_STR_MAX 46

enum ip_addr_err {
    IP_ADDR_OK = 0,
    IP_ADDR_ERR_SYNTAX,   /* not an address literal: a host name, or nothing */
    IP_ADDR_ERR_FAMILY,   /* a literal of a family the caller cannot use (for
                             callers; ip_addr_parse no longer gives it) */
    IP_ADDR_ERR_V4_FORM,  /* shaped like an IPv4 literal but not a strict dotted
                             quad ("010.0.0.1", "1.2.3", "1.2.3.4."): neither an
                             address nor a host name; every caller refuses it */
    IP_ADDR_ERR_V6_ZONE,  /* an IPv6 literal with a zone id ("fe80::1%eth0",
                             RFC 4007 11): one interface, so no zones */
};
const char *ip_addr_err_str(enum ip_addr_err e);

/* The IPv4 address whose 32-bit value (host byte order, 10.0.2.2 =
   0x0a000202) is v. */
struct ip_addr ip_addr_v4(uint32_t v);
bool ip_addr_is_v4(const struct ip_addr *a);
/* The 32-bit value (host byte order) of an IPv4 address; 0 for any other
   family: check ip_addr_is_v4 first. */
uint32_t ip_addr_v4_value(const struct ip_addr *a);
/* The IPv6 address of the 16 bytes b (network byte order). */
struct ip_addr ip_addr_v6(const uint8_t b[16]);
bool ip_addr_is_v6(const struct ip_addr *a);
/* Same family and same bytes. */
bool ip_addr_eq(const struct ip_addr *a, const struct ip_addr *b);

/* Writes the text of a ("10.0.2.2") into buf, NUL-terminated and truncated
   to cap (give IP_ADDR_STR_MAX); a family it cannot write gives "?".
   IPv6 in the canonical form of RFC 5952 section 4: lowercase hex, no
   leading zeros, the longest run of two or more zero fields as "::" (the
   first of equal runs), never "::" for one field; IPv4-mapped addresses
   (::ffff:0:0/96) in mixed notation, "::ffff:10.0.2.2" (RFC 5952 5). The
   deprecated IPv4-compatible form (::a.b.c.d) is not used: "::102:304".
   Returns buf, for use inside a printf argument list. */
char *ip_addr_format(const struct ip_addr *a, char *buf, size_t cap);

/* The one parser of IPv4 literals: URLs (http/url.c), the resolver's
   literal shortcut and the ip=/gw=/dns= settings (net/), the certificate
   host check (tls/x509_host.c) all call it, so that the address connected
   to is the address verified.
   Parses s[0..n) as a whole. IPv4: the strict dotted quad of RFC 3986
   section 3.2.2 (four decimal parts 0..255, no leading zeros except "0").
   Text whose last dot-separated label (one final dot dropped) is a number,
   decimal digits or "0x" and hex digits, is an IPv4 literal to a WHATWG URL
   parser, which reads "010" as octal 8 and "1.2.3" as 1.2.0.3; when it is
   not a strict dotted quad it gives IP_ADDR_ERR_V4_FORM rather than being
   taken as a name (no top-level domain is all-numeric, RFC 3696 2). Text
   shaped like an IPv6 literal (hex digits, ':' and '.', at least two ':')
   is parsed by ip_addr_parse_v6: family 6 on success, IP_ADDR_ERR_SYNTAX
   when malformed ("1::2::3"; callers refuse ':' in a name); such text then
   '%' and a zone id gives IP_ADDR_ERR_V6_ZONE. Brackets are URL syntax,
   not the address's: "[::1]" is IP_ADDR_ERR_SYNTAX here (http/url.c strips
   them). An IPv4-mapped literal ("::ffff:10.0.2.2") stays family 6: it is
   never turned into the IPv4 address, so it matches only a 16-byte
   certificate iPAddress and connects over IPv6. Anything else
   IP_ADDR_ERR_SYNTAX. *out is written only on success. */
enum ip_addr_err ip_addr_parse(const char *s, size_t n, struct ip_addr *out);

/* The IPv6 text parser: s[0..n) as a whole, every form of RFC 4291 section
   2.2: eight fields of 1 to 4 hex digits (either case), one "::" standing
   for one or more zero fields, and a final strict dotted quad in place of
   the last two fields ("::ffff:1.2.3.4", "64:ff9b::10.0.2.2"). A zone id
   ('%' and what follows) gives IP_ADDR_ERR_V6_ZONE; anything else that is
   not such a literal IP_ADDR_ERR_SYNTAX. *out is written only on success. */
enum ip_addr_err ip_addr_parse_v6(const char *s, size_t n, struct ip_addr *out);

#endif
