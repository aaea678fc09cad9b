/* nameConstraints (RFC 5280 4.2.1.10 and 6.1.4 (g)). see x509_ext.h

   NameConstraints ::= SEQUENCE {
        permittedSubtrees [0] GeneralSubtrees OPTIONAL,
        excludedSubtrees  [1] GeneralSubtrees OPTIONAL }
   GeneralSubtrees ::= SEQUENCE SIZE (1..MAX) OF GeneralSubtree
   GeneralSubtree ::= SEQUENCE { base GeneralName,
        minimum [0] BaseDistance DEFAULT 0, maximum [1] BaseDistance OPTIONAL }

   Names checked: dNSName [2] and iPAddress [7] subjectAltName entries, and
   the subject DN (directoryName [4]). A constraint type with permitted
   subtrees restricts every name of that type; excluded subtrees forbid.
   A wildcard dNSName "*.rest" stands for every name it can match: it must
   lie wholly within a permitted subtree, and it is refused when one of the
   names it matches lies in an excluded subtree (Go's CVE-2025-61727 class).
   A critical extension with subtrees of any other name type refuses the
   chain: we cannot tell whether such a constraint would hold. The work is
   bounded (NC_MAX_WORK name/subtree comparisons per certificate pair). */
#include "tls/x509_ext.h"
#include <string.h>
#include "lib/ascii.h"

#define GN_DNS ASN1_TAG_CTX_PRIM(2)
#define GN_IP ASN1_TAG_CTX_PRIM(7)
#define GN_DIR ASN1_TAG_CTX_CONS(4)
#define NC_MAX_WORK 65536

/* Checks one GeneralSubtrees list (the value of [0] or [1]). */
static int parse_subtrees(const struct asn1_tlv *t)
{
    struct asn1_reader r, st;
    asn1_init(&r, t->val, t->len);
    if (asn1_at_end(&r))
        return X509_ERR_MALFORMED;
    while (!asn1_at_end(&r)) {
        struct asn1_tlv base, tlv;
        int present;
        if (asn1_enter(&r, ASN1_TAG_SEQUENCE, &st) || asn1_read_tlv(&st, &base))
            return X509_ERR_MALFORMED;
        if ((base.tag & 0xc0) != ASN1_TAG_CONTEXT)
            return X509_ERR_MALFORMED;
        if (base.tag == GN_IP && base.len != 8 && base.len != 32)
            return X509_ERR_MALFORMED; /* address + mask */
        if (base.tag == GN_DIR) {
            struct asn1_reader d, name;
            asn1_init(&d, base.val, base.len);
            if (asn1_enter(&d, ASN1_TAG_SEQUENCE, &name) || !asn1_at_end(&d))
                return X509_ERR_MALFORMED;
        }
        /* minimum MUST be zero and maximum MUST be absent (4.2.1.10) */
        if (asn1_optional(&st, ASN1_TAG_CTX_PRIM(0), &tlv, &present))
            return X509_ERR_MALFORMED;
        if (present && !(tlv.len == 1 && tlv.val[0] == 0))
            return X509_ERR_MALFORMED;
        if (!asn1_at_end(&st))
            return X509_ERR_MALFORMED;
    }
    return X509_OK;
}

/* The NameConstraints SEQUENCE content: structure, and the names types
   used (*unsupported = 1 for a type other than dNSName, iPAddress and
   directoryName), and *count the number of subtrees. */
static int nc_valid(const uint8_t *p, size_t len, int *unsupported, size_t *count)
{
    struct asn1_tlv t;
    struct asn1_reader nc;
    int present, any = 0;
    *unsupported = 0;
    *count = 0;
    asn1_init(&nc, p, len);
    for (uint8_t n = 0; n <= 1; n++) {
        if (asn1_optional(&nc, ASN1_TAG_CTX_CONS(n), &t, &present))
            return X509_ERR_MALFORMED;
        if (present) {
            any = 1;
            if (parse_subtrees(&t))
                return X509_ERR_MALFORMED;
            struct asn1_reader list, st;
            struct asn1_tlv base;
            asn1_init(&list, t.val, t.len);
            while (!asn1_at_end(&list)) {
                if (asn1_enter(&list, ASN1_TAG_SEQUENCE, &st) || asn1_read_tlv(&st, &base))
                    return X509_ERR_MALFORMED;
                (*count)++;
                if (base.tag != GN_DNS && base.tag != GN_IP && base.tag != GN_DIR)
                    *unsupported = 1;
            }
        }
    }
    if (!any || !asn1_at_end(&nc))
        return X509_ERR_MALFORMED; /* "MUST NOT be an empty sequence" */
    return X509_OK;
}

enum x509_err x509_nc_parse(struct asn1_reader *r, struct x509_cert *c)
{
    struct asn1_tlv seq;
    int unsupported;
    size_t count;
    if (asn1_expect(r, ASN1_TAG_SEQUENCE, &seq))
        return X509_ERR_MALFORMED;
    if (nc_valid(seq.val, seq.len, &unsupported, &count))
        return X509_ERR_MALFORMED;
    c->has_nc = 1;
    c->nc.p = seq.val;
    c->nc.len = seq.len;
    return X509_OK;
}

/* A DNS name satisfies a dNSName constraint when it is the constraint with
   zero or more labels added on the left; a leading '.' (seen in practice)
   means subdomains only; an empty constraint matches every name. */
static int dns_within(const uint8_t *name, size_t nl, const uint8_t *base, size_t bl)
{
    if (bl == 0)
        return 1;
    if (nl > 0 && name[nl - 1] == '.')
        nl--;
    if (bl > nl)
        return 0;
    if (!ascii_caseeq(name + nl - bl, base, bl))
        return 0;
    if (base[0] == '.')
        return nl > bl;               /* ".example.com": strict subdomains */
    return nl == bl || name[nl - bl - 1] == '.'; /* whole labels only */
}

/* Excluded subtrees: 1 when some name the SAN can stand for lies within
   base. A plain name is itself; "*.rest" is every "label.rest", so it hits
   base when rest lies within base, or when base is one label more than
   rest ("bar.example.com" against "*.example.com"). A base of one label
   only ("local") is not hit by "*.example.com". */
static int dns_may_hit(const uint8_t *name, size_t nl, const uint8_t *base, size_t bl)
{
    if (dns_within(name, nl, base, bl))
        return 1;
    if (nl < 2 || name[0] != '*' || name[1] != '.' || bl == 0 || base[0] == '.')
        return 0;
    const uint8_t *rest = name + 2;
    size_t rl = nl - 2;
    if (bl < rl + 2 || base[bl - rl - 1] != '.')
        return 0;
    if (!ascii_caseeq(rest, base + bl - rl, rl))
        return 0;
    for (size_t i = 0; i < bl - rl - 1; i++)
        if (base[i] == '.')
            return 0; /* more than one label more than rest */
    return 1;
}

static int ip_within(const uint8_t *ip, size_t il, const uint8_t *base, size_t bl)
{
    if (bl != 2 * il)
        return 0;
    for (size_t i = 0; i < il; i++)
        if ((ip[i] & base[il + i]) != (base[i] & base[il + i]))
            return 0;
    return 1;
}

/* The base Name's RDNs are the first RDNs of the subject, byte for byte. */
static int dn_within(const uint8_t *subj, size_t sl, const uint8_t *base, size_t bl)
{
    struct asn1_reader s, b, sv, bv;
    asn1_init(&s, subj, sl);
    asn1_init(&b, base, bl);
    if (asn1_enter(&s, ASN1_TAG_SEQUENCE, &sv) || asn1_enter(&b, ASN1_TAG_SEQUENCE, &bv))
        return 0;
    while (!asn1_at_end(&bv)) {
        struct asn1_tlv x, y;
        if (asn1_read_tlv(&bv, &x) || asn1_read_tlv(&sv, &y))
            return 0;
        if (x.total != y.total || memcmp(x.hdr, y.hdr, x.total) != 0)
            return 0;
    }
    return 1;
}

/* 1 when name (of GeneralName tag `tag`) lies within base (same tag); for
   excluded subtrees (which = 1), when any name a wildcard stands for does. */
static int within(uint8_t which, uint8_t tag, const uint8_t *name, size_t nl, const struct asn1_tlv *base)
{
    if (tag == GN_DNS)
        return which ? dns_may_hit(name, nl, base->val, base->len)
                     : dns_within(name, nl, base->val, base->len);
    if (tag == GN_IP)
        return ip_within(name, nl, base->val, base->len);
    return dn_within(name, nl, base->val, base->len);
}

/* Scans subtrees [which] of the constraint for entries of `tag`: *has is set
   when there is one, and the return value is 1 when name lies within one. */
static int scan(const uint8_t *ncp, size_t nclen, uint8_t which, uint8_t tag, const uint8_t *name,
                size_t nl, int *has)
{
    struct asn1_reader nc, list, st;
    struct asn1_tlv t, base;
    int present, hit = 0;
    *has = 0;
    asn1_init(&nc, ncp, nclen);
    for (uint8_t n = 0; n <= 1; n++) {
        if (asn1_optional(&nc, ASN1_TAG_CTX_CONS(n), &t, &present) || !present || n != which)
            continue;
        asn1_init(&list, t.val, t.len);
        while (!asn1_at_end(&list)) {
            if (asn1_enter(&list, ASN1_TAG_SEQUENCE, &st) || asn1_read_tlv(&st, &base))
                break; /* structure was checked at parse time */
            if (base.tag != tag)
                continue;
            *has = 1;
            hit |= within(which, tag, name, nl, &base);
        }
    }
    return hit;
}

static int name_ok(const uint8_t *nc, size_t nclen, uint8_t tag, const uint8_t *name, size_t nl)
{
    int has;
    int in_permitted = scan(nc, nclen, 0, tag, name, nl, &has);
    if (has && !in_permitted)
        return 0;
    return !scan(nc, nclen, 1, tag, name, nl, &has);
}

/* see x509_ext.h */
enum x509_err x509_nc_check(const uint8_t *nc, size_t nclen, int critical, const struct x509_cert *sub)
{
    int unsupported;
    size_t count, names = 1;
    if (!nc)
        return X509_OK;
    if (nc_valid(nc, nclen, &unsupported, &count))
        return X509_ERR_MALFORMED;
    if (unsupported && critical)
        return X509_ERR_NC_UNSUPPORTED;
    if (sub->has_san) {
        struct asn1_reader r;
        struct asn1_tlv gn;
        asn1_init(&r, sub->san.p, sub->san.len);
        while (!asn1_at_end(&r) && !asn1_read_tlv(&r, &gn))
            names++;
    }
    if (count > NC_MAX_WORK || names * count > NC_MAX_WORK)
        return X509_ERR_NAME_CONSTRAINTS; /* refused rather than worked through */
    /* the subject DN, when not empty (an empty SEQUENCE is 2 bytes) */
    if (sub->subject.len > 2 && !name_ok(nc, nclen, GN_DIR, sub->subject.p, sub->subject.len))
        return X509_ERR_NAME_CONSTRAINTS;
    if (!sub->has_san)
        return X509_OK;
    struct asn1_reader r;
    asn1_init(&r, sub->san.p, sub->san.len);
    while (!asn1_at_end(&r)) {
        struct asn1_tlv gn;
        if (asn1_read_tlv(&r, &gn))
            return X509_ERR_MALFORMED;
        if (gn.tag == GN_DNS || (gn.tag == GN_IP && (gn.len == 4 || gn.len == 16))) {
            if (!name_ok(nc, nclen, gn.tag, gn.val, gn.len))
                return X509_ERR_NAME_CONSTRAINTS;
        } else if (gn.tag == GN_DIR) {
            struct asn1_reader d;
            struct asn1_tlv name;
            asn1_init(&d, gn.val, gn.len);
            if (asn1_expect(&d, ASN1_TAG_SEQUENCE, &name))
                return X509_ERR_MALFORMED;
            if (!name_ok(nc, nclen, GN_DIR, name.hdr, name.total))
                return X509_ERR_NAME_CONSTRAINTS;
        }
    }
    return X509_OK;
}
