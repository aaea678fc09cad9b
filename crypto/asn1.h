/* asn1: a bounds-checked DER reader (ITU-T X.690 section 10, the DER subset of
   BER) over caller bytes, for X.509 and ECDSA signatures.

   Memory: nothing is allocated or copied. A reader is a (p, end) view of the
   caller's buffer; every result (struct asn1_tlv, integer and OID spans) points
   into that buffer, which must outlive them.

   Strictness (DER): single-byte tags only (high tag numbers, X.690 8.1.2.4,
   are rejected), definite lengths only (no indefinite form, X.690 10.1),
   minimal length encoding (X.690 10.1), minimal INTEGER encoding (X.690
   8.3.2), BOOLEAN 0x00/0xFF (X.690 11.1), and times in the RFC 5280 4.1.2.5
   profile (UTCTime YYMMDDHHMMSSZ, GeneralizedTime YYYYMMDDHHMMSSZ).

   Errors: functions return enum asn1_err (ASN1_OK = 0). A failed read leaves
   the reader where it was. */
#ifndef CRYPTO_ASN1_H
#define CRYPTO_ASN1_H
#include <stddef.h>
#include <stdint.h>

enum asn1_err {
    ASN1_OK = 0,
    ASN1_ERR_TRUNCATED,          /* header or value runs past the end */
    ASN1_ERR_HIGH_TAG,           /* multi-byte tag number (not used by X.509) */
    ASN1_ERR_INDEFINITE_LENGTH,  /* 0x80 length: BER only */
    ASN1_ERR_NON_MINIMAL_LENGTH, /* long form where short fits, or leading 0 */
    ASN1_ERR_LENGTH_TOO_LARGE,   /* more than 4 length octets, or 0xFF */
    ASN1_ERR_UNEXPECTED_TAG,     /* tag differs from the expected one */
    ASN1_ERR_BAD_INTEGER,        /* empty or non-minimal INTEGER */
    ASN1_ERR_NEGATIVE,           /* negative where a positive value is required */
    ASN1_ERR_INTEGER_TOO_LARGE,  /* does not fit the requested width */
    ASN1_ERR_BAD_BOOLEAN,        /* length != 1 or value not 0x00/0xFF */
    ASN1_ERR_BAD_BIT_STRING,     /* empty, unused bits > 7, or != 0 when required */
    ASN1_ERR_BAD_OID,            /* empty or badly encoded sub-identifier */
    ASN1_ERR_BAD_TIME,           /* not in the RFC 5280 time profile */
    ASN1_ERR_TRAILING_DATA,      /* bytes left where the structure must end */
    ASN1_ERR_BAD_ARG,            /* caller error (NULL, zero widths) */
};

const char *asn1_err_str(int err);

/* Universal tags (X.680 8.4) and the class/constructed bits. Prefixed
   ASN1_TAG_ so that tests can include OpenSSL headers alongside. */
#define ASN1_TAG_BOOLEAN          0x01
#define ASN1_TAG_INTEGER          0x02
#define ASN1_TAG_BIT_STRING       0x03
#define ASN1_TAG_OCTET_STRING     0x04
#define ASN1_TAG_NULL             0x05
#define ASN1_TAG_OID              0x06
#define ASN1_TAG_UTF8_STRING      0x0c
#define ASN1_TAG_PRINTABLE_STRING 0x13
#define ASN1_TAG_T61_STRING       0x14
#define ASN1_TAG_IA5_STRING       0x16
#define ASN1_TAG_UTC_TIME         0x17
#define ASN1_TAG_GENERALIZED_TIME 0x18
#define ASN1_TAG_UNIVERSAL_STRING 0x1c
#define ASN1_TAG_BMP_STRING       0x1e
#define ASN1_TAG_SEQUENCE         0x30
#define ASN1_TAG_SET              0x31
#define ASN1_TAG_CONSTRUCTED      0x20
#define ASN1_TAG_CONTEXT          0x80
/* [n] EXPLICIT (constructed) and [n] IMPLICIT primitive context tags. */
#define ASN1_TAG_CTX_CONS(n)      ((uint8_t)(0xa0 | (n)))
#define ASN1_TAG_CTX_PRIM(n)      ((uint8_t)(0x80 | (n)))

struct asn1_reader {
    const uint8_t *p;   /* next unread byte */
    const uint8_t *end; /* one past the last readable byte */
};

/* One element: tag, its whole encoding [hdr, hdr+total) and value [val, val+len). */
struct asn1_tlv {
    uint8_t tag;
    const uint8_t *hdr;
    size_t total;
    const uint8_t *val;
    size_t len;
};

void asn1_init(struct asn1_reader *r, const uint8_t *p, size_t len);
/* 1 when nothing is left to read. */
int asn1_at_end(const struct asn1_reader *r);
/* ASN1_OK when nothing is left, ASN1_ERR_TRAILING_DATA otherwise. */
int asn1_finish(const struct asn1_reader *r);
/* Next tag without consuming it; ASN1_ERR_TRUNCATED at the end. */
int asn1_peek_tag(const struct asn1_reader *r, uint8_t *tag);

/* Reads any element. */
int asn1_read_tlv(struct asn1_reader *r, struct asn1_tlv *out);
/* Reads an element that must carry `tag`. */
int asn1_expect(struct asn1_reader *r, uint8_t tag, struct asn1_tlv *out);
/* Reads an element with `tag` and opens a sub-reader over its value. */
int asn1_enter(struct asn1_reader *r, uint8_t tag, struct asn1_reader *sub);
/* When the next element has `tag`, reads it and sets *present = 1; otherwise
   reads nothing and sets *present = 0 (also at the end of the reader). */
int asn1_optional(struct asn1_reader *r, uint8_t tag, struct asn1_tlv *out, int *present);

/* Checks the minimal two's-complement encoding of an INTEGER value (X.690 8.3.2). */
int asn1_check_integer(const uint8_t *v, size_t len);
/* INTEGER as raw two's-complement content bytes (minimal encoding checked). */
int asn1_read_integer(struct asn1_reader *r, const uint8_t **v, size_t *len);
/* Positive (> = 0) INTEGER as big-endian magnitude with the one sign 0x00 byte
   stripped ("0" yields one 0x00 byte); ASN1_ERR_NEGATIVE when negative. */
int asn1_read_uint(struct asn1_reader *r, const uint8_t **v, size_t *len);
/* Same, on an already-read INTEGER value (tag checked by the caller). */
int asn1_uint_value(const uint8_t *v, size_t len, const uint8_t **mag, size_t *maglen);
/* Small INTEGER into an int64_t. */
int asn1_read_int64(struct asn1_reader *r, int64_t *out);
int asn1_read_bool(struct asn1_reader *r, int *out);
int asn1_read_null(struct asn1_reader *r);
/* BIT STRING content without the unused-bits octet; *unused gets that octet
   (pass NULL to require 0 unused bits, as for keys and signatures). Unused
   bits must themselves be zero (X.690 11.2.1). */
int asn1_read_bits(struct asn1_reader *r, const uint8_t **v, size_t *len, unsigned *unused);
/* OBJECT IDENTIFIER content bytes (sub-identifier encoding checked). */
int asn1_read_oid(struct asn1_reader *r, const uint8_t **v, size_t *len);
/* 1 when the OID content bytes equal `oid` (content bytes, no tag/length). */
int asn1_oid_eq(const uint8_t *v, size_t len, const uint8_t *oid, size_t oidlen);
#define ASN1_OID_EQ(v, len, arr) asn1_oid_eq((v), (len), (arr), sizeof(arr))

/* UTCTime or GeneralizedTime (RFC 5280 4.1.2.5) to Unix seconds (UTC). */
int asn1_read_time(struct asn1_reader *r, int64_t *out);
int asn1_parse_time(uint8_t tag, const uint8_t *v, size_t len, int64_t *out);
/* Days since 1970-01-01 for a proleptic Gregorian date (month 1..12). */
int64_t asn1_days_from_civil(int64_t y, unsigned m, unsigned d);

/* Strict DER ECDSA-Sig-Value (RFC 5480 / SEC 1: SEQUENCE { r INTEGER,
   s INTEGER }, both non-negative, minimal, no trailing data) to r and s
   left-padded to coord_len bytes each. Returns enum crypto_err: CRYPTO_OK or
   CRYPTO_ERR_BAD_ENCODING. */
int ecdsa_sig_der_to_raw(const uint8_t *der, size_t len, uint8_t *r, uint8_t *s, size_t coord_len);

#endif
