/* Host-name and IP-address matching against subjectAltName (RFC 9525, which
   obsoletes RFC 6125). see x509.h

   Rules: DNS-IDs only (the subject CN is never consulted, RFC 9525 6.3);
   ASCII case-insensitive comparison of A-labels; a wildcard only as the whole
   left-most label "*.", matching exactly one non-empty label (RFC 9525 6.3,
   6125 6.4.3), and only when at least two labels follow it (so "*.com" never
   matches; we carry no public-suffix list, so "*.co.uk" would); IP literals
   match iPAddress entries only (4 or 16 octets), never a dNSName: an IPv4
   literal the 4-octet ones, an IPv6 literal the 16-octet ones, byte for
   byte. An IPv4-mapped IPv6 literal ("::ffff:10.0.0.1") is IPv6 (what the
   client connects over), so it matches a 16-octet ::ffff:10.0.0.1 entry
   only, never the 4-octet 10.0.0.1, and 10.0.0.1 never the mapped entry. */
#include "tls/x509.h"
#include "crypto/asn1.h"
#include "lib/ascii.h"
#include "lib/ip_addr.h"
#include <string.h>

static int ldh(uint8_t ch)
{
    ch = (uint8_t)ascii_lower((char)ch);
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
}

/* A DNS name of LDH labels, no empty label, at most 253 characters. */
static int valid_name(const char *s, size_t n)
{
    if (n == 0 || n > 253)
        return 0;
    size_t label = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '.') {
            if (label == 0)
                return 0;
            label = 0;
        } else if (ldh((uint8_t)s[i]) && ++label <= 63) {
            continue;
        } else {
            return 0;
        }
    }
    return label != 0;
}

/* see x509.h */
int x509_dns_name_match(const char *pattern, size_t plen, const char *host, size_t hlen)
{
    if (!pattern || !host || !valid_name(host, hlen))
        return 0;
    if (plen >= 2 && pattern[0] == '*' && pattern[1] == '.') {
        const char *rest = pattern + 2;
        size_t rlen = plen - 2;
        if (!valid_name(rest, rlen))
            return 0;
        int dot = 0;
        for (size_t i = 0; i < rlen; i++)
            dot |= rest[i] == '.';
        if (!dot)
            return 0; /* "*.com": wildcard over a single-label suffix */
        /* host = label "." rest, label non-empty and without dots */
        size_t first = 0;
        while (first < hlen && host[first] != '.')
            first++;
        if (first == 0 || first == hlen || hlen - first - 1 != rlen)
            return 0;
        return ascii_caseeq(host + first + 1, rest, rlen);
    }
    if (!valid_name(pattern, plen) || plen != hlen)
        return 0;
    return ascii_caseeq(pattern, host, hlen);
}

/* see x509.h */
size_t x509_parse_ip(const char *host, size_t hlen, uint8_t out[16])
{
    if (!host)
        return 0;
    if (hlen >= 2 && host[0] == '[' && host[hlen - 1] == ']') {
        host++;
        hlen -= 2;
    }
    /* the one parser of address literals (lib/ip_addr.h), the one that
       decides what a URL host or the resolver connects to */
    struct ip_addr a;
    if (ip_addr_parse(host, hlen, &a) != IP_ADDR_OK)
        return 0;
    if (ip_addr_is_v4(&a)) {
        memcpy(out, a.bytes, 4);
        return 4;
    }
    memcpy(out, a.bytes, 16);
    return 16;
}

/* see x509.h */
enum x509_err x509_check_host(const struct x509_cert *c, const char *host)
{
    if (!c || !host || !c->has_san)
        return X509_ERR_HOSTNAME_MISMATCH;
    size_t hlen = 0;
    while (hlen < 256 && host[hlen])
        hlen++;
    if (hlen == 0 || hlen >= 256)
        return X509_ERR_HOSTNAME_MISMATCH;
    uint8_t ip[16];
    size_t iplen = x509_parse_ip(host, hlen, ip);
    struct ip_addr lit;
    if (!iplen && ip_addr_parse(host, hlen, &lit) == IP_ADDR_ERR_V4_FORM)
        return X509_ERR_HOSTNAME_MISMATCH;   /* "010.0.0.1": not a name, not an address */
    if (!iplen && host[hlen - 1] == '.')
        hlen--; /* absolute form "example.com." */
    struct asn1_reader r;
    asn1_init(&r, c->san.p, c->san.len);
    while (!asn1_at_end(&r)) {
        struct asn1_tlv gn;
        if (asn1_read_tlv(&r, &gn))
            return X509_ERR_MALFORMED;
        if (iplen && gn.tag == ASN1_TAG_CTX_PRIM(7) && gn.len == iplen) {
            int same = 1;
            for (size_t i = 0; i < iplen; i++)
                same &= gn.val[i] == ip[i];
            if (same)
                return X509_OK;
        }
        if (!iplen && gn.tag == ASN1_TAG_CTX_PRIM(2) &&
            x509_dns_name_match((const char *)gn.val, gn.len, host, hlen))
            return X509_OK;
    }
    return X509_ERR_HOSTNAME_MISMATCH;
}
