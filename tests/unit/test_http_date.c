/* HTTP-date (RFC 9110 5.6.7): the three forms of the RFC's own example
   instant, dates checked against the C library's timegm at many instants,
   leap years and seconds, and malformed dates, each refused with
   HTTP_ERR_BAD_DATE and the output left untouched. */
#include "unit.h"
#include "http/http_date.h"
#include <time.h>

static void test_forms(void **state)
{
    (void)state;
    int64_t t = 0;
    /* the RFC's example, 784111777, in each form */
    assert_int_equal(http_date_parse("Sun, 06 Nov 1994 08:49:37 GMT", &t), HTTP_OK);
    assert_int_equal(t, 784111777);
    t = 0;
    assert_int_equal(http_date_parse("Sunday, 06-Nov-94 08:49:37 GMT", &t), HTTP_OK);
    assert_int_equal(t, 784111777);
    t = 0;
    assert_int_equal(http_date_parse("Sun Nov  6 08:49:37 1994", &t), HTTP_OK);
    assert_int_equal(t, 784111777);
    assert_int_equal(http_date_parse("Thu, 01 Jan 1970 00:00:00 GMT", &t), HTTP_OK);
    assert_int_equal(t, 0);
    assert_int_equal(http_date_parse("Wed, 31 Dec 1969 23:59:59 GMT", &t), HTTP_OK);
    assert_int_equal(t, -1);
    /* rfc850 two-digit years: 70..99 are 19xx, 00..69 20xx */
    assert_int_equal(http_date_parse("Monday, 07-Dec-26 17:47:12 GMT", &t), HTTP_OK);
    assert_int_equal(t, 1796665632);
    assert_int_equal(http_date_parse("Thursday, 01-Jan-70 00:00:00 GMT", &t), HTTP_OK);
    assert_int_equal(t, 0);
    /* asctime with a two-digit day; leap day; leap second */
    assert_int_equal(http_date_parse("Mon Dec 07 17:47:12 2026", &t), HTTP_OK);
    assert_int_equal(t, 1796665632);
    assert_int_equal(http_date_parse("Tue Feb 29 12:00:00 2000", &t), HTTP_OK);
    assert_int_equal(t, 951825600);
    assert_int_equal(http_date_parse("Sat, 31 Dec 2016 23:59:60 GMT", &t), HTTP_OK);
    assert_int_equal(t, 1483228800);
    assert_string_equal(http_err_str(HTTP_ERR_BAD_DATE), "http_bad_date");
}

/* Every day from 1900 to 2200 at a varying time of day, formatted by
   strftime and parsed back, against timegm. */
static void test_against_libc(void **state)
{
    (void)state;
    for (int64_t day = -25567; day < 84000; day += 1) {
        time_t tt = (time_t)(day * 86400 + ((day * 7919) % 86400 + 86400) % 86400);
        struct tm tm;
        assert_non_null(gmtime_r(&tt, &tm));
        char s[64];
        int64_t t = 0;
        strftime(s, sizeof s, "%a, %d %b %Y %H:%M:%S GMT", &tm);
        assert_int_equal(http_date_parse(s, &t), HTTP_OK);
        assert_int_equal(t, (int64_t)tt);
        strftime(s, sizeof s, "%a %b %e %H:%M:%S %Y", &tm);
        t = 0;
        assert_int_equal(http_date_parse(s, &t), HTTP_OK);
        assert_int_equal(t, (int64_t)tt);
        assert_int_equal(http_days_from_civil(tm.tm_year + 1900, (unsigned)tm.tm_mon + 1,
                                              (unsigned)tm.tm_mday),
                         day);
    }
}

static void test_bad(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",
        "Sun, 06 Nov 1994 08:49:37",          /* no GMT */
        "Sun, 06 Nov 1994 08:49:37 UTC",      /* another zone */
        "Sun, 06 Nov 1994 08:49:37 GMT ",     /* trailing space */
        " Sun, 06 Nov 1994 08:49:37 GMT",     /* leading space */
        "sun, 06 Nov 1994 08:49:37 GMT",      /* case-sensitive */
        "Sun, 06 nov 1994 08:49:37 GMT",
        "Sun, 6 Nov 1994 08:49:37 GMT",       /* one-digit day */
        "Sun, 06 Nov 94 08:49:37 GMT",        /* two-digit year in IMF-fixdate */
        "Sun, 31 Nov 1994 08:49:37 GMT",      /* no such day */
        "Sun, 00 Nov 1994 08:49:37 GMT",
        "Thu, 29 Feb 1900 00:00:00 GMT",      /* 1900 is not a leap year */
        "Sun, 06 Nov 1994 24:00:00 GMT",      /* hour */
        "Sun, 06 Nov 1994 08:60:00 GMT",      /* minute */
        "Sun, 06 Nov 1994 08:49:61 GMT",      /* second */
        "Sun, 06 Nov 1994 8:49:37 GMT",
        "Sun, 06 Nov 1994 08:49 GMT",
        "Sun, 06 Foo 1994 08:49:37 GMT",      /* month */
        "Sux, 06 Nov 1994 08:49:37 GMT",      /* day name */
        "Sunday, 06 Nov 1994 08:49:37 GMT",   /* long name with IMF-fixdate */
        "Sun, 06-Nov-94 08:49:37 GMT",        /* short name with rfc850 */
        "Sunday, 06-Nov-1994 08:49:37 GMT",
        "Sunday, 06-Nov-94 08:49:37",
        "Sun Nov 6 08:49:37 1994",            /* asctime needs two columns for the day */
        "Sun Nov  6 08:49:37 94",
        "Sun Nov  6 08:49:37 1994 GMT",
        "Sun Nov 06 08:49:37",
        "120",                                /* delay-seconds, not a date */
        "Sun, 06 Nov 1994 08:49:37 GMT\r",
        "Sun, +6 Nov 1994 08:49:37 GMT",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t t = 12345;
        if (http_date_parse(bad[i], &t) != HTTP_ERR_BAD_DATE)
            fail_msg("accepted [%s]", bad[i]);
        assert_int_equal(t, 12345);
    }
    /* every prefix of a good date is bad */
    const char *good = "Sun, 06 Nov 1994 08:49:37 GMT";
    char s[64];
    for (size_t n = 0; n < strlen(good); n++) {
        memcpy(s, good, n);
        s[n] = 0;
        int64_t t = 7;
        assert_int_equal(http_date_parse(s, &t), HTTP_ERR_BAD_DATE);
        assert_int_equal(t, 7);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_forms),
        cmocka_unit_test(test_against_libc),
        cmocka_unit_test(test_bad),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
