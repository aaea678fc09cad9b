/* URL parsing for the HTTP client: `scheme://host[:port][/path][?query][#frag]`
   with scheme http or https (RFC 3986 §3, restricted to what the client can
   use). The parsed URL is copied into the caller's struct url (fixed-size
   fields, no allocation). The fragment is dropped; the query stays in path.
   The host is a DNS name, an IPv4 literal or an IPv6 literal in brackets
   ("https://[2001:db8::1]:8443/", RFC 3986 3.2.2), the parsed address
   coming with a literal (lib/ip_addr.h). IPv6 without brackets, IPvFuture
   and zone ids ("[fe80::1%25eth0]", RFC 6874) are refused. */
#ifndef HTTP_URL_H
#define HTTP_URL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "lib/ip_addr.h"

#define URL_HOST_MAX 254   /* bytes incl. NUL: a DNS name is at most 253 */
#define URL_PATH_MAX 1024  /* bytes incl. NUL */

enum url_err {
    URL_OK = 0,
    URL_ERR_EMPTY,
    URL_ERR_TOO_LONG,
    URL_ERR_NO_SCHEME,           /* missing "scheme://" */
    URL_ERR_BAD_SCHEME,          /* not http or https */
    URL_ERR_USERINFO,            /* user:pass@host is refused */
    URL_ERR_EMPTY_HOST,
    URL_ERR_BAD_HOST,            /* character outside [A-Za-z0-9.-] or bad label */
    URL_ERR_HOST_TOO_LONG,
    URL_ERR_IPV6_NO_BRACKETS,    /* "http://2001:db8::1/": IPv6 needs "[...]" */
    URL_ERR_IPV6_ZONE,           /* "[fe80::1%25eth0]": IP_ADDR_ERR_V6_ZONE */
    URL_ERR_BAD_PORT,            /* empty, non-digit, 0 or > 65535 */
    URL_ERR_BAD_PATH,            /* space, control or non-ASCII byte */
    URL_ERR_PATH_TOO_LONG,
};

/* What the host of a URL is (RFC 3986 §3.2.2: reg-name or IP literal). */
enum url_host_kind {
    URL_HOST_NAME = 0,            /* a DNS name: resolve it */
    URL_HOST_IP,                  /* an address literal: host_addr holds it */
};

struct url {
    bool     https;
    char     host[URL_HOST_MAX];  /* lower-cased, as written; an IPv6 literal
                                     in RFC 5952 form, without brackets (what
                                     DNS, SNI and the certificate check take) */
    enum url_host_kind host_kind;
    struct ip_addr host_addr;     /* valid when host_kind == URL_HOST_IP */
    uint16_t port;                /* explicit or the scheme's default */
    bool     port_explicit;
    char     path[URL_PATH_MAX];  /* starts with '/', includes "?query" */
};

/* Parses the NUL-terminated string s into u. On error u is left zeroed. */
enum url_err url_parse(const char *s, struct url *u);
const char *url_err_str(enum url_err e);
/* The host as the Host header and authority write it (RFC 9110 7.2, RFC
   3986 3.2.2): an IPv6 literal in brackets ("[2001:db8::1]"), any other
   host as is; no port. Returns the length, or 0 when cap is too small. */
size_t url_host_header(const struct url *u, char *buf, size_t cap);

#endif
