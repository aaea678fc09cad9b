/* see asn1.h */
#include "crypto/asn1.h"
#include "crypto/crypto.h"
#include <string.h>

const char *asn1_err_str(int err)
{
    switch (err) {
    case ASN1_OK: return "ok";
    case ASN1_ERR_TRUNCATED: return "asn1_truncated";
    case ASN1_ERR_HIGH_TAG: return "asn1_high_tag";
    case ASN1_ERR_INDEFINITE_LENGTH: return "asn1_indefinite_length";
    case ASN1_ERR_NON_MINIMAL_LENGTH: return "asn1_non_minimal_length";
    case ASN1_ERR_LENGTH_TOO_LARGE: return "asn1_length_too_large";
    case ASN1_ERR_UNEXPECTED_TAG: return "asn1_unexpected_tag";
    case ASN1_ERR_BAD_INTEGER: return "asn1_bad_integer";
    case ASN1_ERR_NEGATIVE: return "asn1_negative";
    case ASN1_ERR_INTEGER_TOO_LARGE: return "asn1_integer_too_large";
    case ASN1_ERR_BAD_BOOLEAN: return "asn1_bad_boolean";
    case ASN1_ERR_BAD_BIT_STRING: return "asn1_bad_bit_string";
    case ASN1_ERR_BAD_OID: return "asn1_bad_oid";
    case ASN1_ERR_BAD_TIME: return "asn1_bad_time";
    case ASN1_ERR_TRAILING_DATA: return "asn1_trailing_data";
    case ASN1_ERR_BAD_ARG: return "asn1_bad_arg";
    }
    return "asn1_unknown";
}

void asn1_init(struct asn1_reader *r, const uint8_t *p, size_t len)
{
    r->p = p;
    r->end = p ? p + len : p;
}

int asn1_at_end(const struct asn1_reader *r)
{
    return r->p >= r->end;
}

int asn1_finish(const struct asn1_reader *r)
{
    return asn1_at_end(r) ? ASN1_OK : ASN1_ERR_TRAILING_DATA;
}

int asn1_peek_tag(const struct asn1_reader *r, uint8_t *tag)
{
    if (r->p >= r->end)
        return ASN1_ERR_TRUNCATED;
    *tag = r->p[0];
    return ASN1_OK;
}

/* X.690 8.1.2-8.1.3 with the DER restrictions of 10.1. */
int asn1_read_tlv(struct asn1_reader *r, struct asn1_tlv *out)
{
    const uint8_t *p = r->p;
    size_t avail = (size_t)(r->end - p);
    if (avail < 2)
        return ASN1_ERR_TRUNCATED;
    uint8_t tag = p[0];
    if ((tag & 0x1f) == 0x1f)
        return ASN1_ERR_HIGH_TAG;
    size_t hlen = 2, len;
    uint8_t l0 = p[1];
    if (l0 < 0x80) {
        len = l0;
    } else if (l0 == 0x80) {
        return ASN1_ERR_INDEFINITE_LENGTH;
    } else {
        size_t nb = l0 & 0x7f;
        if (nb > 4) /* 0xFF is reserved (8.1.3.5 c); > 4 GiB is never valid here */
            return ASN1_ERR_LENGTH_TOO_LARGE;
        if (avail < 2 + nb)
            return ASN1_ERR_TRUNCATED;
        if (p[2] == 0)
            return ASN1_ERR_NON_MINIMAL_LENGTH;
        len = 0;
        for (size_t i = 0; i < nb; i++)
            len = (len << 8) | p[2 + i];
        if (len < 0x80)
            return ASN1_ERR_NON_MINIMAL_LENGTH;
        hlen = 2 + nb;
    }
    if (len > avail - hlen)
        return ASN1_ERR_TRUNCATED;
    out->tag = tag;
    out->hdr = p;
    out->val = p + hlen;
    out->len = len;
    out->total = hlen + len;
    r->p = p + hlen + len;
    return ASN1_OK;
}

int asn1_expect(struct asn1_reader *r, uint8_t tag, struct asn1_tlv *out)
{
    struct asn1_reader save = *r;
    int e = asn1_read_tlv(r, out);
    if (e)
        return e;
    if (out->tag != tag) {
        *r = save;
        return ASN1_ERR_UNEXPECTED_TAG;
    }
    return ASN1_OK;
}

int asn1_enter(struct asn1_reader *r, uint8_t tag, struct asn1_reader *sub)
{
    struct asn1_tlv t;
    int e = asn1_expect(r, tag, &t);
    if (e)
        return e;
    asn1_init(sub, t.val, t.len);
    return ASN1_OK;
}

int asn1_optional(struct asn1_reader *r, uint8_t tag, struct asn1_tlv *out, int *present)
{
    *present = 0;
    if (asn1_at_end(r) || r->p[0] != tag)
        return ASN1_OK;
    int e = asn1_expect(r, tag, out);
    if (e)
        return e;
    *present = 1;
    return ASN1_OK;
}

int asn1_check_integer(const uint8_t *v, size_t len)
{
    if (len == 0)
        return ASN1_ERR_BAD_INTEGER;
    /* 8.3.2: the first 9 bits must not be all zeros or all ones. */
    if (len > 1 && ((v[0] == 0x00 && !(v[1] & 0x80)) || (v[0] == 0xff && (v[1] & 0x80))))
        return ASN1_ERR_BAD_INTEGER;
    return ASN1_OK;
}

/* Rewinds the reader when a value check fails after a successful TLV read. */
static int fail_at(struct asn1_reader *r, const struct asn1_reader *save, int e)
{
    *r = *save;
    return e;
}

int asn1_read_integer(struct asn1_reader *r, const uint8_t **v, size_t *len)
{
    struct asn1_reader save = *r;
    struct asn1_tlv t;
    int e = asn1_expect(r, ASN1_TAG_INTEGER, &t);
    if (e)
        return e;
    e = asn1_check_integer(t.val, t.len);
    if (e)
        return fail_at(r, &save, e);
    *v = t.val;
    *len = t.len;
    return ASN1_OK;
}

int asn1_uint_value(const uint8_t *v, size_t len, const uint8_t **mag, size_t *maglen)
{
    int e = asn1_check_integer(v, len);
    if (e)
        return e;
    if (v[0] & 0x80)
        return ASN1_ERR_NEGATIVE;
    if (len > 1 && v[0] == 0) {
        v++;
        len--;
    }
    *mag = v;
    *maglen = len;
    return ASN1_OK;
}

int asn1_read_uint(struct asn1_reader *r, const uint8_t **v, size_t *len)
{
    struct asn1_reader save = *r;
    struct asn1_tlv t;
    int e = asn1_expect(r, ASN1_TAG_INTEGER, &t);
    if (e)
        return e;
    e = asn1_uint_value(t.val, t.len, v, len);
    if (e)
        return fail_at(r, &save, e);
    return ASN1_OK;
}

int asn1_read_int64(struct asn1_reader *r, int64_t *out)
{
    struct asn1_reader save = *r;
    const uint8_t *v;
    size_t len;
    int e = asn1_read_integer(r, &v, &len);
    if (e)
        return e;
    if (len > 8)
        return fail_at(r, &save, ASN1_ERR_INTEGER_TOO_LARGE);
    uint64_t x = (v[0] & 0x80) ? ~(uint64_t)0 : 0;
    for (size_t i = 0; i < len; i++)
        x = (x << 8) | v[i];
    *out = (int64_t)x;
    return ASN1_OK;
}

int asn1_read_bool(struct asn1_reader *r, int *out)
{
    struct asn1_reader save = *r;
    struct asn1_tlv t;
    int e = asn1_expect(r, ASN1_TAG_BOOLEAN, &t);
    if (e)
        return e;
    if (t.len != 1 || (t.val[0] != 0x00 && t.val[0] != 0xff))
        return fail_at(r, &save, ASN1_ERR_BAD_BOOLEAN);
    *out = t.val[0] != 0;
    return ASN1_OK;
}

int asn1_read_null(struct asn1_reader *r)
{
    struct asn1_reader save = *r;
    struct asn1_tlv t;
    int e = asn1_expect(r, ASN1_TAG_NULL, &t);
    if (e)
        return e;
    if (t.len != 0)
        return fail_at(r, &save, ASN1_ERR_TRAILING_DATA);
    return ASN1_OK;
}

int asn1_read_bits(struct asn1_reader *r, const uint8_t **v, size_t *len, unsigned *unused)
{
    struct asn1_reader save = *r;
    struct asn1_tlv t;
    int e = asn1_expect(r, ASN1_TAG_BIT_STRING, &t);
    if (e)
        return e;
    if (t.len == 0 || t.val[0] > 7)
        return fail_at(r, &save, ASN1_ERR_BAD_BIT_STRING);
    unsigned ub = t.val[0];
    if (ub && (t.len == 1 || (t.val[t.len - 1] & ((1u << ub) - 1))))
        return fail_at(r, &save, ASN1_ERR_BAD_BIT_STRING);
    if (!unused && ub)
        return fail_at(r, &save, ASN1_ERR_BAD_BIT_STRING);
    if (unused)
        *unused = ub;
    *v = t.val + 1;
    *len = t.len - 1;
    return ASN1_OK;
}

int asn1_read_oid(struct asn1_reader *r, const uint8_t **v, size_t *len)
{
    struct asn1_reader save = *r;
    struct asn1_tlv t;
    int e = asn1_expect(r, ASN1_TAG_OID, &t);
    if (e)
        return e;
    /* X.690 8.19.2: each sub-identifier is base-128, minimal (no leading 0x80),
       the last octet of each has bit 8 clear. */
    if (t.len == 0 || (t.val[t.len - 1] & 0x80))
        return fail_at(r, &save, ASN1_ERR_BAD_OID);
    int start = 1;
    for (size_t i = 0; i < t.len; i++) {
        if (start && t.val[i] == 0x80)
            return fail_at(r, &save, ASN1_ERR_BAD_OID);
        start = !(t.val[i] & 0x80);
    }
    *v = t.val;
    *len = t.len;
    return ASN1_OK;
}

int asn1_oid_eq(const uint8_t *v, size_t len, const uint8_t *oid, size_t oidlen)
{
    return len == oidlen && memcmp(v, oid, len) == 0;
}

/* ---- time (RFC 5280 4.1.2.5) ---------------------------------------- */

int64_t asn1_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    /* Count from a year starting in March so the leap day is the year's last
       day; eras of 400 years hold exactly 146097 days. */
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;                              /* 0..399 */
    int64_t mp = (m + 9) % 12;                                /* March = 0 */
    int64_t doy = (153 * mp + 2) / 5 + (int64_t)d - 1;        /* 0..365 */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;      /* 0..146096 */
    return era * 146097 + doe - 719468;                       /* 1970-03-01 base */
}

static int digits(const uint8_t *v, size_t n, unsigned *out)
{
    unsigned x = 0;
    for (size_t i = 0; i < n; i++) {
        if (v[i] < '0' || v[i] > '9')
            return 0;
        x = x * 10 + (unsigned)(v[i] - '0');
    }
    *out = x;
    return 1;
}

static int is_leap(unsigned y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int asn1_parse_time(uint8_t tag, const uint8_t *v, size_t len, int64_t *out)
{
    unsigned year, mon, day, hh, mm, ss;
    size_t yl;
    if (tag == ASN1_TAG_UTC_TIME && len == 13)
        yl = 2;
    else if (tag == ASN1_TAG_GENERALIZED_TIME && len == 15)
        yl = 4;
    else
        return ASN1_ERR_BAD_TIME;
    /* Seconds are mandatory and the zone is always Z; no fractions. */
    if (v[len - 1] != 'Z')
        return ASN1_ERR_BAD_TIME;
    if (!digits(v, yl, &year) || !digits(v + yl, 2, &mon) || !digits(v + yl + 2, 2, &day) ||
        !digits(v + yl + 4, 2, &hh) || !digits(v + yl + 6, 2, &mm) || !digits(v + yl + 8, 2, &ss))
        return ASN1_ERR_BAD_TIME;
    if (yl == 2)
        year += year >= 50 ? 1900 : 2000; /* RFC 5280 4.1.2.5.1 */
    static const uint8_t mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (mon < 1 || mon > 12 || day < 1 || hh > 23 || mm > 59 || ss > 59)
        return ASN1_ERR_BAD_TIME;
    unsigned dim = mdays[mon - 1] + (mon == 2 && is_leap(year));
    if (day > dim)
        return ASN1_ERR_BAD_TIME;
    *out = asn1_days_from_civil(year, mon, day) * 86400 + (int64_t)hh * 3600 + mm * 60 + ss;
    return ASN1_OK;
}

int asn1_read_time(struct asn1_reader *r, int64_t *out)
{
    struct asn1_reader save = *r;
    struct asn1_tlv t;
    int e = asn1_read_tlv(r, &t);
    if (e)
        return e;
    if (t.tag != ASN1_TAG_UTC_TIME && t.tag != ASN1_TAG_GENERALIZED_TIME)
        return fail_at(r, &save, ASN1_ERR_UNEXPECTED_TAG);
    e = asn1_parse_time(t.tag, t.val, t.len, out);
    if (e)
        return fail_at(r, &save, e);
    return ASN1_OK;
}

/* ---- ECDSA-Sig-Value ------------------------------------------------- */

static int sig_int(struct asn1_reader *r, uint8_t *out, size_t coord_len)
{
    const uint8_t *v;
    size_t n;
    if (asn1_read_uint(r, &v, &n))
        return 0;
    if (n > coord_len)
        return 0;
    memset(out, 0, coord_len - n);
    memcpy(out + coord_len - n, v, n);
    return 1;
}

int ecdsa_sig_der_to_raw(const uint8_t *der, size_t len, uint8_t *r, uint8_t *s, size_t coord_len)
{
    struct asn1_reader top, seq;
    if (!der || !r || !s || coord_len == 0)
        return CRYPTO_ERR_BAD_ENCODING;
    asn1_init(&top, der, len);
    if (asn1_enter(&top, ASN1_TAG_SEQUENCE, &seq) || asn1_finish(&top))
        return CRYPTO_ERR_BAD_ENCODING;
    if (!sig_int(&seq, r, coord_len) || !sig_int(&seq, s, coord_len) || asn1_finish(&seq))
        return CRYPTO_ERR_BAD_ENCODING;
    return CRYPTO_OK;
}
