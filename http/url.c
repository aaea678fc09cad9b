/* URL parsing (see url.h). RFC 3986 §3.1 scheme, §3.2.2 host, §3.2.3 port,
   §3.3 path, §3.4 query, §3.5 fragment. */
#include "http/url.h"
#include <string.h>
#include "lib/ascii.h"

const char *url_err_str(enum url_err e)
{
    switch (e) {
    case URL_OK: return "ok";
    case URL_ERR_EMPTY: return "url_empty";
    case URL_ERR_TOO_LONG: return "url_too_long";
    case URL_ERR_NO_SCHEME: return "url_no_scheme";
    case URL_ERR_BAD_SCHEME: return "url_bad_scheme";
    case URL_ERR_USERINFO: return "url_userinfo";
    case URL_ERR_EMPTY_HOST: return "url_empty_host";
    case URL_ERR_BAD_HOST: return "url_bad_host";
    case URL_ERR_HOST_TOO_LONG: return "url_host_too_long";
    case URL_ERR_IPV6_NO_BRACKETS: return "url_ipv6_no_brackets";
    case URL_ERR_IPV6_ZONE: return "url_ipv6_zone_refused";
    case URL_ERR_BAD_PORT: return "url_bad_port";
    case URL_ERR_BAD_PATH: return "url_bad_path";
    case URL_ERR_PATH_TOO_LONG: return "url_path_too_long";
    }
    return "url_unknown";
}

/* A DNS name: labels of 1..63 of [A-Za-z0-9-], not starting or ending with
   '-', separated by single dots; one trailing dot is allowed. */
static bool valid_hostname(const char *h, size_t n)
{
    size_t label = 0;
    for (size_t i = 0; i < n; i++) {
        char c = h[i];
        if (c == '.') {
            if (label == 0 || h[i - 1] == '-')
                return false;
            label = 0;
            continue;
        }
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_';
        if (!ok || (label == 0 && c == '-') || ++label > 63)
            return false;
    }
    if (n > 0 && h[n - 1] == '-')
        return false;
    return n > 0;
}

enum url_err url_parse(const char *s, struct url *u)
{
    memset(u, 0, sizeof *u);
    if (!s || !*s)
        return URL_ERR_EMPTY;
    size_t total = strnlen(s, URL_HOST_MAX + URL_PATH_MAX + 16);
    if (total >= URL_HOST_MAX + URL_PATH_MAX + 16)
        return URL_ERR_TOO_LONG;

    const char *sep = strstr(s, "://");
    if (!sep)
        return URL_ERR_NO_SCHEME;
    size_t slen = (size_t)(sep - s);
    char scheme[8];
    if (slen == 0 || slen >= sizeof scheme)
        return URL_ERR_BAD_SCHEME;
    for (size_t i = 0; i < slen; i++)
        scheme[i] = ascii_lower(s[i]);
    scheme[slen] = 0;
    bool https;
    if (strcmp(scheme, "https") == 0)
        https = true;
    else if (strcmp(scheme, "http") == 0)
        https = false;
    else
        return URL_ERR_BAD_SCHEME;

    /* authority: up to the first '/', '?' or '#' */
    const char *a = sep + 3;
    size_t alen = 0;
    while (a[alen] && a[alen] != '/' && a[alen] != '?' && a[alen] != '#')
        alen++;
    if (memchr(a, '@', alen))
        return URL_ERR_USERINFO;
    if (alen == 0)
        return URL_ERR_EMPTY_HOST;
    /* host: an IP-literal in brackets (RFC 3986 3.2.2: "[" IPv6address "]";
       IPvFuture and zone ids (RFC 6874 "%25") are refused), else a
       reg-name; an unbracketed IPv6 address is not a host */
    const char *h = a;                     /* the host text, without brackets */
    size_t hlen, hspan;                    /* its length; the authority bytes it takes */
    struct ip_addr lit;
    bool is_v6 = false;
    if (a[0] == '[') {
        const char *close = memchr(a, ']', alen);
        if (!close)
            return URL_ERR_BAD_HOST;
        h = a + 1;
        hlen = (size_t)(close - h);
        hspan = hlen + 2;
        if (hlen == 0)
            return URL_ERR_EMPTY_HOST;
        enum ip_addr_err ae = ip_addr_parse_v6(h, hlen, &lit);
        if (ae == IP_ADDR_ERR_V6_ZONE)
            return URL_ERR_IPV6_ZONE;
        if (ae != IP_ADDR_OK)
            return URL_ERR_BAD_HOST;
        if (hspan < alen && a[hspan] != ':')
            return URL_ERR_BAD_HOST;       /* "[::1]x" */
        is_v6 = true;
    } else {
        const char *c1 = memchr(a, ':', alen);
        if (c1 && memchr(c1 + 1, ':', alen - (size_t)(c1 + 1 - a)))
            return URL_ERR_IPV6_NO_BRACKETS;
        hlen = c1 ? (size_t)(c1 - a) : alen;
        hspan = hlen;
    }
    uint16_t port = https ? 443 : 80;
    bool port_explicit = false;
    if (hspan < alen) {                    /* a[hspan] == ':' */
        const char *p = a + hspan + 1;
        size_t plen = alen - hspan - 1;
        if (plen == 0 || plen > 5)
            return URL_ERR_BAD_PORT;
        unsigned v = 0;
        for (size_t i = 0; i < plen; i++) {
            if (p[i] < '0' || p[i] > '9')
                return URL_ERR_BAD_PORT;
            v = v * 10 + (unsigned)(p[i] - '0');
        }
        if (v == 0 || v > 65535)
            return URL_ERR_BAD_PORT;
        port = (uint16_t)v;
        port_explicit = true;
    }
    if (hlen == 0)
        return URL_ERR_EMPTY_HOST;
    if (hlen >= URL_HOST_MAX)
        return URL_ERR_HOST_TOO_LONG;
    if (!is_v6) {
        if (!valid_hostname(a, hlen))
            return URL_ERR_BAD_HOST;
        /* the one IPv4-literal rule (lib/ip_addr.h): text shaped like an
           IPv4 literal but not a strict dotted quad ("010.0.0.1",
           "1.2.3.256") is neither an address nor a name */
        if (ip_addr_parse(a, hlen, &lit) == IP_ADDR_ERR_V4_FORM)
            return URL_ERR_BAD_HOST;
    }

    /* path + query; the fragment is never sent (RFC 9110 §7.1) */
    const char *p = a + alen;
    size_t plen = 0;
    while (p[plen] && p[plen] != '#')
        plen++;
    for (size_t i = 0; i < plen; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c <= 0x20 || c >= 0x7f)
            return URL_ERR_BAD_PATH;
    }
    bool need_slash = plen == 0 || p[0] == '?';
    if (plen + (need_slash ? 1 : 0) >= URL_PATH_MAX)
        return URL_ERR_PATH_TOO_LONG;

    u->https = https;
    if (is_v6) {                           /* the RFC 5952 text: one spelling */
        ip_addr_format(&lit, u->host, sizeof u->host);
    } else {
        for (size_t i = 0; i < hlen; i++)
            u->host[i] = ascii_lower(a[i]);
        u->host[hlen] = 0;
    }
    u->port = port;
    u->port_explicit = port_explicit;
    u->host_kind = ip_addr_parse(u->host, strlen(u->host), &u->host_addr) == IP_ADDR_OK
                       ? URL_HOST_IP : URL_HOST_NAME;
    size_t o = 0;
    if (need_slash)
        u->path[o++] = '/';
    memcpy(u->path + o, p, plen);
    u->path[o + plen] = 0;
    return URL_OK;
}

size_t url_host_header(const struct url *u, char *buf, size_t cap)
{
    bool v6 = u->host_kind == URL_HOST_IP && ip_addr_is_v6(&u->host_addr);
    size_t n = strlen(u->host) + (v6 ? 2 : 0);
    if (n + 1 > cap)
        return 0;
    size_t o = 0;
    if (v6)
        buf[o++] = '[';
    memcpy(buf + o, u->host, strlen(u->host));
    o += strlen(u->host);
    if (v6)
        buf[o++] = ']';
    buf[o] = 0;
    return o;
}
