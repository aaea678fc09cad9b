/* see ip_addr.h */
#include "lib/ip_addr.h"
#include <string.h>
#include "lib/bytes.h"

const char *ip_addr_err_str(enum ip_addr_err e)
{
    switch (e) {
    case IP_ADDR_OK: return "ok";
    case IP_ADDR_ERR_SYNTAX: return "bad_address";
    case IP_ADDR_ERR_FAMILY: return "unsupported_family";
    case IP_ADDR_ERR_V4_FORM: return "bad_ipv4_literal";
    }
    return "unknown";
}

struct ip_addr ip_addr_v4(uint32_t v)
{
    struct ip_addr a;
    memset(&a, 0, sizeof a);
    a.family = IP_FAMILY_V4;
    be32_put(a.bytes, v);
    return a;
}

bool ip_addr_is_v4(const struct ip_addr *a)
{
    return a && a->family == IP_FAMILY_V4;
}

uint32_t ip_addr_v4_value(const struct ip_addr *a)
{
    if (!ip_addr_is_v4(a))
        return 0;
    return be32_get(a->bytes);
}

bool ip_addr_eq(const struct ip_addr *a, const struct ip_addr *b)
{
    return a->family == b->family && memcmp(a->bytes, b->bytes, sizeof a->bytes) == 0;
}

/* Appends c at *o while a byte stays free for the NUL. */
static void put(char *buf, size_t cap, size_t *o, char c)
{
    if (*o + 1 < cap)
        buf[(*o)++] = c;
}

char *ip_addr_format(const struct ip_addr *a, char *buf, size_t cap)
{
    size_t o = 0;
    if (!cap)
        return buf;
    if (!ip_addr_is_v4(a)) {
        put(buf, cap, &o, '?');
    } else {
        for (int i = 0; i < 4; i++) {
            unsigned v = a->bytes[i];
            if (i)
                put(buf, cap, &o, '.');
            if (v >= 100)
                put(buf, cap, &o, (char)('0' + v / 100));
            if (v >= 10)
                put(buf, cap, &o, (char)('0' + v / 10 % 10));
            put(buf, cap, &o, (char)('0' + v % 10));
        }
    }
    buf[o] = 0;
    return buf;
}

static bool parse_v4(const char *s, size_t n, uint8_t out[4])
{
    size_t i = 0;
    for (int part = 0; part < 4; part++) {
        if (part > 0) {
            if (i >= n || s[i] != '.')
                return false;
            i++;
        }
        size_t start = i;
        unsigned v = 0;
        while (i < n && s[i] >= '0' && s[i] <= '9' && i - start < 3)
            v = v * 10 + (unsigned)(s[i++] - '0');
        size_t nd = i - start;
        if (nd == 0 || v > 255 || (nd > 1 && s[start] == '0'))
            return false;
        out[part] = (uint8_t)v;
    }
    return i == n;
}

/* RFC 4291 section 2.2 text forms use only hex digits, ':' and (for an
   embedded IPv4 part) '.'; every form has at least two ':'. */
static bool looks_v6(const char *s, size_t n)
{
    size_t colons = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == ':')
            colons++;
        else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ||
                   c == '.'))
            return false;
    }
    return colons >= 2;
}

/* The WHATWG URL Standard's "ends in a number" (host parsing): the last
   label, after dropping one final '.', is all decimal digits, or "0x"/"0X"
   followed by hex digits only (possibly none). */
static bool ends_in_number(const char *s, size_t n)
{
    if (n && s[n - 1] == '.')
        n--;
    size_t start = n;
    while (start > 0 && s[start - 1] != '.')
        start--;
    const char *l = s + start;
    size_t ln = n - start;
    if (ln == 0)
        return false;
    size_t i = 0;
    bool hex = ln >= 2 && l[0] == '0' && (l[1] == 'x' || l[1] == 'X');
    if (hex)
        i = 2;
    for (; i < ln; i++) {
        char c = l[i];
        bool ok = (c >= '0' && c <= '9') ||
                  (hex && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
        if (!ok)
            return false;
    }
    return true;
}

enum ip_addr_err ip_addr_parse(const char *s, size_t n, struct ip_addr *out)
{
    uint8_t b[4];
    if (!s)
        return IP_ADDR_ERR_SYNTAX;
    if (parse_v4(s, n, b)) {
        *out = ip_addr_v4(be32_get(b));
        return IP_ADDR_OK;
    }
    if (looks_v6(s, n))
        return IP_ADDR_ERR_FAMILY;
    return ends_in_number(s, n) ? IP_ADDR_ERR_V4_FORM : IP_ADDR_ERR_SYNTAX;
}
