/* DER reader edge cases: lengths, tags, integers, strings, times, ECDSA-Sig-Value. */
#include "unit.h"
#include "crypto/asn1.h"
#include "crypto/crypto.h"
#include <time.h>

static uint8_t buf[4096];

static struct asn1_reader rd(const char *h)
{
    long n = unit_hex(h, buf, sizeof buf);
    assert_true(n >= 0);
    struct asn1_reader r;
    asn1_init(&r, buf, (size_t)n);
    return r;
}

static int tlv_hex(const char *h, struct asn1_tlv *t)
{
    struct asn1_reader r = rd(h);
    return asn1_read_tlv(&r, t);
}

static void test_lengths(void **st)
{
    (void)st;
    struct asn1_tlv t;
    assert_int_equal(tlv_hex("0403616263", &t), ASN1_OK);
    assert_int_equal(t.tag, 0x04);
    assert_int_equal(t.len, 3);
    assert_int_equal(t.total, 5);
    assert_memory_equal(t.val, "abc", 3);
    assert_int_equal(tlv_hex("0400", &t), ASN1_OK);
    assert_int_equal(t.len, 0);
    /* value past the end */
    assert_int_equal(tlv_hex("0404616263", &t), ASN1_ERR_TRUNCATED);
    /* header cut */
    assert_int_equal(tlv_hex("04", &t), ASN1_ERR_TRUNCATED);
    assert_int_equal(tlv_hex("", &t), ASN1_ERR_TRUNCATED);
    assert_int_equal(tlv_hex("0482", &t), ASN1_ERR_TRUNCATED);
    assert_int_equal(tlv_hex("048201", &t), ASN1_ERR_TRUNCATED);
    /* indefinite length */
    assert_int_equal(tlv_hex("308004000000", &t), ASN1_ERR_INDEFINITE_LENGTH);
    /* long form for a short length */
    assert_int_equal(tlv_hex("04817f", &t), ASN1_ERR_NON_MINIMAL_LENGTH);
    assert_int_equal(tlv_hex("04810161", &t), ASN1_ERR_NON_MINIMAL_LENGTH);
    /* leading zero length octet */
    assert_int_equal(tlv_hex("0482008000", &t), ASN1_ERR_NON_MINIMAL_LENGTH);
    /* too many length octets and the reserved 0xFF */
    assert_int_equal(tlv_hex("04850100000000", &t), ASN1_ERR_LENGTH_TOO_LARGE);
    assert_int_equal(tlv_hex("04ff", &t), ASN1_ERR_LENGTH_TOO_LARGE);
    /* huge length must not wrap the pointer arithmetic */
    assert_int_equal(tlv_hex("0484ffffffff00", &t), ASN1_ERR_TRUNCATED);
    /* minimal long forms accepted */
    char h[2 * 300 + 16];
    strcpy(h, "048180");
    for (int i = 0; i < 128; i++)
        strcat(h, "41");
    assert_int_equal(tlv_hex(h, &t), ASN1_OK);
    assert_int_equal(t.len, 128);
    strcpy(h, "04820100");
    for (int i = 0; i < 256; i++)
        strcat(h, "42");
    assert_int_equal(tlv_hex(h, &t), ASN1_OK);
    assert_int_equal(t.len, 256);
    assert_int_equal(t.total, 260);
}

static void test_tags(void **st)
{
    (void)st;
    struct asn1_tlv t;
    assert_int_equal(tlv_hex("1f2100", &t), ASN1_ERR_HIGH_TAG);
    assert_int_equal(tlv_hex("bf8100", &t), ASN1_ERR_HIGH_TAG);
    struct asn1_reader r = rd("0201050400");
    /* a failed expect does not consume */
    assert_int_equal(asn1_expect(&r, ASN1_TAG_OCTET_STRING, &t), ASN1_ERR_UNEXPECTED_TAG);
    assert_int_equal(asn1_expect(&r, ASN1_TAG_INTEGER, &t), ASN1_OK);
    int present;
    assert_int_equal(asn1_optional(&r, ASN1_TAG_CTX_CONS(0), &t, &present), ASN1_OK);
    assert_int_equal(present, 0);
    assert_int_equal(asn1_optional(&r, ASN1_TAG_OCTET_STRING, &t, &present), ASN1_OK);
    assert_int_equal(present, 1);
    assert_true(asn1_at_end(&r));
    assert_int_equal(asn1_finish(&r), ASN1_OK);
    assert_int_equal(asn1_optional(&r, ASN1_TAG_OCTET_STRING, &t, &present), ASN1_OK);
    assert_int_equal(present, 0);
}

static void test_nested(void **st)
{
    (void)st;
    struct asn1_reader r = rd("3006020101020102"), s;
    int64_t v;
    assert_int_equal(asn1_enter(&r, ASN1_TAG_SEQUENCE, &s), ASN1_OK);
    assert_int_equal(asn1_read_int64(&s, &v), ASN1_OK);
    assert_int_equal(v, 1);
    assert_int_equal(asn1_finish(&s), ASN1_ERR_TRAILING_DATA);
}

static void test_nested_truncation(void **st)
{
    (void)st;
    /* outer SEQUENCE fits, inner claims more than the outer holds */
    struct asn1_reader r = rd("300430050201010000"), s, s2;
    assert_int_equal(asn1_enter(&r, ASN1_TAG_SEQUENCE, &s), ASN1_OK);
    assert_int_equal(asn1_enter(&s, ASN1_TAG_SEQUENCE, &s2), ASN1_ERR_TRUNCATED);
    /* inner element ends exactly at the outer end */
    r = rd("3005300302010a");
    assert_int_equal(asn1_enter(&r, ASN1_TAG_SEQUENCE, &s), ASN1_OK);
    assert_int_equal(asn1_enter(&s, ASN1_TAG_SEQUENCE, &s2), ASN1_OK);
    int64_t v;
    assert_int_equal(asn1_read_int64(&s2, &v), ASN1_OK);
    assert_int_equal(v, 10);
    assert_int_equal(asn1_finish(&s2), ASN1_OK);
    assert_int_equal(asn1_finish(&s), ASN1_OK);
    /* every truncation of a valid nested encoding fails cleanly */
    uint8_t full[] = {0x30, 0x0a, 0x30, 0x08, 0x02, 0x02, 0x00, 0x80, 0x04, 0x02, 0x61, 0x62};
    for (size_t n = 0; n < sizeof full; n++) {
        struct asn1_reader a, b;
        asn1_init(&a, full, n);
        int e = asn1_enter(&a, ASN1_TAG_SEQUENCE, &b);
        assert_int_equal(e, ASN1_ERR_TRUNCATED);
    }
}

static void test_integers(void **st)
{
    (void)st;
    const uint8_t *v;
    size_t n;
    int64_t x;
    struct asn1_reader r;
    r = rd("020100");
    assert_int_equal(asn1_read_int64(&r, &x), ASN1_OK);
    assert_int_equal(x, 0);
    r = rd("0201ff");
    assert_int_equal(asn1_read_int64(&r, &x), ASN1_OK);
    assert_int_equal(x, -1);
    r = rd("02020080");
    assert_int_equal(asn1_read_int64(&r, &x), ASN1_OK);
    assert_int_equal(x, 128);
    r = rd("0202ff7f");
    assert_int_equal(asn1_read_int64(&r, &x), ASN1_OK);
    assert_int_equal(x, -129);
    /* non-minimal */
    r = rd("0202007f");
    assert_int_equal(asn1_read_int64(&r, &x), ASN1_ERR_BAD_INTEGER);
    r = rd("0202ff80");
    assert_int_equal(asn1_read_integer(&r, &v, &n), ASN1_ERR_BAD_INTEGER);
    /* empty */
    r = rd("0200");
    assert_int_equal(asn1_read_integer(&r, &v, &n), ASN1_ERR_BAD_INTEGER);
    /* too wide for int64 */
    r = rd("0209010000000000000000");
    assert_int_equal(asn1_read_int64(&r, &x), ASN1_ERR_INTEGER_TOO_LARGE);
    /* unsigned: strip one sign byte, refuse negatives */
    r = rd("020300ff01");
    assert_int_equal(asn1_read_uint(&r, &v, &n), ASN1_OK);
    assert_int_equal(n, 2);
    assert_int_equal(v[0], 0xff);
    r = rd("020180");
    assert_int_equal(asn1_read_uint(&r, &v, &n), ASN1_ERR_NEGATIVE);
    r = rd("020100");
    assert_int_equal(asn1_read_uint(&r, &v, &n), ASN1_OK);
    assert_int_equal(n, 1);
    assert_int_equal(v[0], 0);
}

static void test_bool_null_bits_oid(void **st)
{
    (void)st;
    struct asn1_reader r;
    int b;
    r = rd("0101ff");
    assert_int_equal(asn1_read_bool(&r, &b), ASN1_OK);
    assert_int_equal(b, 1);
    r = rd("010100");
    assert_int_equal(asn1_read_bool(&r, &b), ASN1_OK);
    assert_int_equal(b, 0);
    r = rd("010101");
    assert_int_equal(asn1_read_bool(&r, &b), ASN1_ERR_BAD_BOOLEAN);
    r = rd("0102ffff");
    assert_int_equal(asn1_read_bool(&r, &b), ASN1_ERR_BAD_BOOLEAN);
    r = rd("0500");
    assert_int_equal(asn1_read_null(&r), ASN1_OK);
    r = rd("050100");
    assert_int_equal(asn1_read_null(&r), ASN1_ERR_TRAILING_DATA);

    const uint8_t *v;
    size_t n;
    unsigned ub;
    r = rd("030300abcd");
    assert_int_equal(asn1_read_bits(&r, &v, &n, NULL), ASN1_OK);
    assert_int_equal(n, 2);
    r = rd("030301abcc");
    assert_int_equal(asn1_read_bits(&r, &v, &n, NULL), ASN1_ERR_BAD_BIT_STRING);
    r = rd("030301abcc");
    assert_int_equal(asn1_read_bits(&r, &v, &n, &ub), ASN1_OK);
    assert_int_equal(ub, 1);
    r = rd("030301abcd"); /* unused bit set */
    assert_int_equal(asn1_read_bits(&r, &v, &n, &ub), ASN1_ERR_BAD_BIT_STRING);
    r = rd("0300");
    assert_int_equal(asn1_read_bits(&r, &v, &n, &ub), ASN1_ERR_BAD_BIT_STRING);
    r = rd("030108");
    assert_int_equal(asn1_read_bits(&r, &v, &n, &ub), ASN1_ERR_BAD_BIT_STRING);
    r = rd("030101"); /* unused bits with no content */
    assert_int_equal(asn1_read_bits(&r, &v, &n, &ub), ASN1_ERR_BAD_BIT_STRING);

    /* 1.2.840.10045.2.1 id-ecPublicKey */
    static const uint8_t ecpk[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01};
    r = rd("06072a8648ce3d0201");
    assert_int_equal(asn1_read_oid(&r, &v, &n), ASN1_OK);
    assert_true(ASN1_OID_EQ(v, n, ecpk));
    assert_false(asn1_oid_eq(v, n - 1, ecpk, sizeof ecpk - 1 + 1));
    r = rd("0600");
    assert_int_equal(asn1_read_oid(&r, &v, &n), ASN1_ERR_BAD_OID);
    r = rd("06022a86"); /* last octet continues */
    assert_int_equal(asn1_read_oid(&r, &v, &n), ASN1_ERR_BAD_OID);
    r = rd("06032a8001"); /* non-minimal sub-identifier */
    assert_int_equal(asn1_read_oid(&r, &v, &n), ASN1_ERR_BAD_OID);
}

static int time_of(const char *s, uint8_t tag, int64_t *out)
{
    return asn1_parse_time(tag, (const uint8_t *)s, strlen(s), out);
}

static void test_times(void **st)
{
    (void)st;
    int64_t t;
    assert_int_equal(time_of("700101000000Z", ASN1_TAG_UTC_TIME, &t), ASN1_OK);
    assert_int_equal(t, 0);
    assert_int_equal(time_of("491231235959Z", ASN1_TAG_UTC_TIME, &t), ASN1_OK);
    assert_int_equal(t, 2524607999); /* 2049-12-31T23:59:59Z */
    assert_int_equal(time_of("500101000000Z", ASN1_TAG_UTC_TIME, &t), ASN1_OK);
    assert_int_equal(t, -631152000); /* 1950 */
    assert_int_equal(time_of("20000229120000Z", ASN1_TAG_GENERALIZED_TIME, &t), ASN1_OK);
    assert_int_equal(t, 951825600);
    assert_int_equal(time_of("99991231235959Z", ASN1_TAG_GENERALIZED_TIME, &t), ASN1_OK);
    assert_int_equal(t, 253402300799);
    assert_int_equal(time_of("20380119031408Z", ASN1_TAG_GENERALIZED_TIME, &t), ASN1_OK);
    assert_int_equal(t, 2147483648LL);
    assert_int_equal(time_of("19000301000000Z", ASN1_TAG_GENERALIZED_TIME, &t), ASN1_OK);
    assert_int_equal(t, -2203891200LL);
    /* bad forms */
    assert_int_equal(time_of("19000229000000Z", ASN1_TAG_GENERALIZED_TIME, &t), ASN1_ERR_BAD_TIME);
    assert_int_equal(time_of("210229000000Z", ASN1_TAG_UTC_TIME, &t), ASN1_ERR_BAD_TIME);
    assert_int_equal(time_of("2001010000Z", ASN1_TAG_UTC_TIME, &t), ASN1_ERR_BAD_TIME);
    assert_int_equal(time_of("200101000000+0100", ASN1_TAG_UTC_TIME, &t), ASN1_ERR_BAD_TIME);
    assert_int_equal(time_of("200101000000", ASN1_TAG_UTC_TIME, &t), ASN1_ERR_BAD_TIME);
    assert_int_equal(time_of("20200101000000.5Z", ASN1_TAG_GENERALIZED_TIME, &t), ASN1_ERR_BAD_TIME);
    assert_int_equal(time_of("201301000000Z", ASN1_TAG_UTC_TIME, &t), ASN1_ERR_BAD_TIME);
    assert_int_equal(time_of("200100000000Z", ASN1_TAG_UTC_TIME, &t), ASN1_ERR_BAD_TIME);
    assert_int_equal(time_of("200101240000Z", ASN1_TAG_UTC_TIME, &t), ASN1_ERR_BAD_TIME);
    assert_int_equal(time_of("200101006000Z", ASN1_TAG_UTC_TIME, &t), ASN1_ERR_BAD_TIME);
    assert_int_equal(time_of("200101000060Z", ASN1_TAG_UTC_TIME, &t), ASN1_ERR_BAD_TIME);
    assert_int_equal(time_of("2001010000-0Z", ASN1_TAG_UTC_TIME, &t), ASN1_ERR_BAD_TIME);
    assert_int_equal(time_of("200101000000Z", ASN1_TAG_GENERALIZED_TIME, &t), ASN1_ERR_BAD_TIME);
    assert_int_equal(time_of("20200101000000Z", ASN1_TAG_UTC_TIME, &t), ASN1_ERR_BAD_TIME);
    struct asn1_reader r = rd("170d3235313132353036323830325a");
    assert_int_equal(asn1_read_time(&r, &t), ASN1_OK);
    assert_int_equal(t, 1764052082); /* 2025-11-25T06:28:02Z */
    r = rd("040d3235313132353036323830325a");
    assert_int_equal(asn1_read_time(&r, &t), ASN1_ERR_UNEXPECTED_TAG);
}

/* 20000 pseudo-random valid dates and times (fixed seed) in both encodings
   against libc timegm(). */
static void test_times_vs_timegm(void **st)
{
    (void)st;
    uint32_t x = 0x12345678;
    for (int i = 0; i < 20000; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        int year = 1950 + (int)(x % 8050); /* 1950..9999 */
        int mon = 1 + (int)((x >> 8) % 12);
        static const int md[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        int dim = md[mon - 1] + (mon == 2 && leap);
        int day = 1 + (int)((x >> 4) % (uint32_t)dim);
        int hh = (int)((x >> 12) % 24), mm = (int)((x >> 17) % 60), ss = (int)((x >> 23) % 60);
        struct tm tm = {0};
        tm.tm_year = year - 1900;
        tm.tm_mon = mon - 1;
        tm.tm_mday = day;
        tm.tm_hour = hh;
        tm.tm_min = mm;
        tm.tm_sec = ss;
        int64_t want = (int64_t)timegm(&tm), got;
        char g[32];
        snprintf(g, sizeof g, "%04d%02d%02d%02d%02d%02dZ", year, mon, day, hh, mm, ss);
        assert_int_equal(asn1_parse_time(ASN1_TAG_GENERALIZED_TIME, (const uint8_t *)g, 15, &got), ASN1_OK);
        assert_int_equal(got, want);
        if (year < 2050) {
            snprintf(g, sizeof g, "%02d%02d%02d%02d%02d%02dZ", year % 100, mon, day, hh, mm, ss);
            assert_int_equal(asn1_parse_time(ASN1_TAG_UTC_TIME, (const uint8_t *)g, 13, &got), ASN1_OK);
            assert_int_equal(got, want);
        }
        /* the day after the month's last day is refused */
        snprintf(g, sizeof g, "%04d%02d%02d000000Z", year, mon, dim + 1);
        assert_int_equal(asn1_parse_time(ASN1_TAG_GENERALIZED_TIME, (const uint8_t *)g, 15, &got), ASN1_ERR_BAD_TIME);
    }
}

static int sig(const char *h, uint8_t *r, uint8_t *s, size_t cl)
{
    long n = unit_hex(h, buf, sizeof buf);
    assert_true(n >= 0);
    return ecdsa_sig_der_to_raw(buf, (size_t)n, r, s, cl);
}

static void test_ecdsa_sig(void **st)
{
    (void)st;
    uint8_t r[32], s[32];
    assert_int_equal(sig("3006020101020102", r, s, 32), CRYPTO_OK);
    for (int i = 0; i < 31; i++)
        assert_int_equal(r[i] | s[i], 0);
    assert_int_equal(r[31], 1);
    assert_int_equal(s[31], 2);
    /* leading 0 for a high bit is required and stripped */
    assert_int_equal(sig("30080202008002020081", r, s, 32), CRYPTO_OK);
    assert_int_equal(r[31], 0x80);
    assert_int_equal(s[31], 0x81);
    assert_int_equal(r[30], 0);
    /* negative, non-minimal, trailing, wrong tag, too long */
    assert_int_equal(sig("3006020180020102", r, s, 32), CRYPTO_ERR_BAD_ENCODING);
    assert_int_equal(sig("300702020001020102", r, s, 32), CRYPTO_ERR_BAD_ENCODING);
    assert_int_equal(sig("300602010102010200", r, s, 32), CRYPTO_ERR_BAD_ENCODING);
    assert_int_equal(sig("3009020101020102020103", r, s, 32), CRYPTO_ERR_BAD_ENCODING);
    assert_int_equal(sig("3106020101020102", r, s, 32), CRYPTO_ERR_BAD_ENCODING);
    assert_int_equal(sig("30060201010201", r, s, 32), CRYPTO_ERR_BAD_ENCODING);
    assert_int_equal(sig("3080020101020102", r, s, 32), CRYPTO_ERR_BAD_ENCODING);
    assert_int_equal(sig("308106020101020102", r, s, 32), CRYPTO_ERR_BAD_ENCODING);
    assert_int_equal(sig("30030201010000", r, s, 32), CRYPTO_ERR_BAD_ENCODING);
    assert_int_equal(sig("", r, s, 32), CRYPTO_ERR_BAD_ENCODING);
    /* 33-byte magnitude does not fit a 32-byte coordinate; 32 does */
    char h[256];
    strcpy(h, "3026022101");
    for (int i = 0; i < 32; i++)
        strcat(h, "00");
    strcat(h, "020101");
    assert_int_equal(sig(h, r, s, 32), CRYPTO_ERR_BAD_ENCODING);
    strcpy(h, "3026022100ff");
    for (int i = 0; i < 31; i++)
        strcat(h, "11");
    strcat(h, "020101");
    assert_int_equal(sig(h, r, s, 32), CRYPTO_OK);
    assert_int_equal(r[0], 0xff);
    assert_int_equal(r[31], 0x11);
}

static void test_err_str(void **st)
{
    (void)st;
    assert_string_equal(asn1_err_str(ASN1_OK), "ok");
    assert_string_equal(asn1_err_str(ASN1_ERR_INDEFINITE_LENGTH), "asn1_indefinite_length");
    assert_string_equal(asn1_err_str(9999), "asn1_unknown");
    for (int e = ASN1_ERR_TRUNCATED; e <= ASN1_ERR_BAD_ARG; e++)
        assert_string_not_equal(asn1_err_str(e), "asn1_unknown");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lengths),
        cmocka_unit_test(test_tags),
        cmocka_unit_test(test_nested),
        cmocka_unit_test(test_nested_truncation),
        cmocka_unit_test(test_integers),
        cmocka_unit_test(test_bool_null_bits_oid),
        cmocka_unit_test(test_times),
        cmocka_unit_test(test_times_vs_timegm),
        cmocka_unit_test(test_ecdsa_sig),
        cmocka_unit_test(test_err_str),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
