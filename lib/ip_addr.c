/* see ip_addr.h */
#include "lib/ip_addr.h"
#include "lib/ascii.h"
#include <string.h>
#include "lib/bytes.h"

const char *ip_addr_err_str(enum ip_addr_err e)
{
    switch (e) {
    case IP_ADDR_OK: return "ok";
    case IP_ADDR_ERR_SYNTAX: return "bad_address";
    case IP_ADDR_ERR_FAMILY: return "unsupported_family";
    case IP_ADDR_ERR_V4_FORM: return "bad_ipv4_literal";
    case IP_ADDR_ERR_V6_ZONE: return "ipv6_zone_refused";
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

struct ip_addr ip_addr_v6(const uint8_t b[16])
{
    struct ip_addr a;
    a.family = IP_FAMILY_V6;
    memcpy(a.bytes, b, 16);
    return a;
}

bool ip_addr_is_v6(const struct ip_addr *a)
{
    return a && a->family == IP_FAMILY_V6;
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

static void put_v4(char *buf, size_t cap, size_t *o, const uint8_t b[4])
{
    for (int i = 0; i < 4; i++) {
        unsigned v = b[i];
        if (i)
            put(buf, cap, o, '.');
        if (v >= 100)
            put(buf, cap, o, (char)('0' + v / 100));
        if (v >= 10)
            put(buf, cap, o, (char)('0' + v / 10 % 10));
        put(buf, cap, o, (char)('0' + v % 10));
    }
}

/* RFC 5952 section 4: fields without leading zeros, lowercase, the longest
   run (>= 2) of zero fields as "::", the first run on a tie; section 5 for
   the IPv4-mapped prefix ::ffff:0:0/96. */
static void put_v6(char *buf, size_t cap, size_t *o, const uint8_t b[16])
{
    static const char hex[] = "0123456789abcdef";
    static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    unsigned w[8];
    for (int i = 0; i < 8; i++)
        w[i] = be16_get(b + 2 * i);
    int fields = 8;
    if (memcmp(b, mapped, 12) == 0)
        fields = 6;   /* the last two written as a dotted quad */
    int best = -1, best_len = 1;
    for (int i = 0; i < fields;) {
        int j = i;
        while (j < fields && w[j] == 0)
            j++;
        if (j - i > best_len) {
            best = i;
            best_len = j - i;
        }
        i = j > i ? j : i + 1;
    }
    for (int i = 0; i < fields; i++) {
        if (i == best) {
            put(buf, cap, o, ':');
            put(buf, cap, o, ':');
            i += best_len - 1;
            continue;
        }
        if (i && i != best + best_len)
            put(buf, cap, o, ':');
        bool lead = true;
        for (int sh = 12; sh >= 0; sh -= 4) {
            unsigned d = (w[i] >> sh) & 0xF;
            if (d || !lead || sh == 0) {
                put(buf, cap, o, hex[d]);
                lead = false;
            }
        }
    }
    if (fields == 6) {
        if (best + best_len != 6)
            put(buf, cap, o, ':');
        put_v4(buf, cap, o, b + 12);
    }
}

char *ip_addr_format(const struct ip_addr *a, char *buf, size_t cap)
{
    size_t o = 0;
    if (!cap)
        return buf;
    if (ip_addr_is_v4(a))
        put_v4(buf, cap, &o, a->bytes);
    else if (ip_addr_is_v6(a))
        put_v6(buf, cap, &o, a->bytes);
    else
        put(buf, cap, &o, '?');
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
    /* a zone id ("fe80::1%eth0") is looked at before the IPv6 shape, whose
       alphabet has no '%': refused by name, not taken for a host name */
    const char *pct = memchr(s, '%', n);
    if (pct && looks_v6(s, (size_t)(pct - s)))
        return IP_ADDR_ERR_V6_ZONE;
    if (looks_v6(s, n))
        return ip_addr_parse_v6(s, n, out);
    return ends_in_number(s, n) ? IP_ADDR_ERR_V4_FORM : IP_ADDR_ERR_SYNTAX;
}

/* RFC 4291 section 2.2. Fields are collected in order; "::" marks where the
   zero fields go, and the fields after it are moved to the end. */
enum ip_addr_err ip_addr_parse_v6(const char *s, size_t n, struct ip_addr *out)
{
    if (!s)
        return IP_ADDR_ERR_SYNTAX;
    for (size_t k = 0; k < n; k++)
        if (s[k] == '%')
            return IP_ADDR_ERR_V6_ZONE;
    uint8_t b[16];
    memset(b, 0, sizeof b);
    int nf = 0, gap = -1;   /* fields written (2-byte units); where "::" was */
    size_t i = 0;
    if (n >= 2 && s[0] == ':' && s[1] == ':') {
        gap = 0;
        i = 2;
    } else if (n >= 1 && s[0] == ':') {
        return IP_ADDR_ERR_SYNTAX;   /* a lone leading ':' */
    }
    while (i < n) {
        size_t start = i;
        unsigned v = 0;
        while (i < n && i - start < 5 && ascii_hex_val(s[i]) >= 0)
            v = v << 4 | (unsigned)ascii_hex_val(s[i++]);
        size_t nd = i - start;
        if (i < n && s[i] == '.') {
            /* an embedded dotted quad: the last 32 bits, nothing after */
            size_t end = start;
            while (end < n && s[end] != ':')
                end++;
            if (end != n || nf > 6 || !parse_v4(s + start, n - start, b + 2 * nf))
                return IP_ADDR_ERR_SYNTAX;
            nf += 2;
            break;
        }
        if (nd == 0 || nd > 4 || nf >= 8)
            return IP_ADDR_ERR_SYNTAX;
        be16_put(b + 2 * nf++, (uint16_t)v);
        if (i == n)
            break;
        if (s[i] != ':')
            return IP_ADDR_ERR_SYNTAX;
        i++;
        if (i < n && s[i] == ':') {
            if (gap >= 0)
                return IP_ADDR_ERR_SYNTAX;   /* a second "::" */
            gap = nf;
            i++;
        } else if (i == n) {
            return IP_ADDR_ERR_SYNTAX;       /* a trailing single ':' */
        }
    }
    if (gap < 0) {
        if (nf != 8)
            return IP_ADDR_ERR_SYNTAX;
    } else {
        if (nf > 7)
            return IP_ADDR_ERR_SYNTAX;       /* "::" stands for at least one field */
        int tail = nf - gap;
        memmove(b + 16 - 2 * tail, b + 2 * gap, (size_t)(2 * tail));
        memset(b + 2 * gap, 0, (size_t)(16 - 2 * tail - 2 * gap));
    }
    *out = ip_addr_v6(b);
    return IP_ADDR_OK;
}
