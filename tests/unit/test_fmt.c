/* lib/fmt.c against the host's snprintf for every conversion we support. */
#include <string.h>
#include "unit.h"
#include "lib/fmt.h"

#define CHECK(...)                                                     \
    do {                                                               \
        char want[256], got[256];                                      \
        int wn = snprintf(want, sizeof want, __VA_ARGS__);             \
        size_t gn = fmt_snprintf(got, sizeof got, __VA_ARGS__);        \
        assert_string_equal(got, want);                                \
        assert_int_equal(gn, (size_t)wn);                              \
    } while (0)

static void test_conversions(void **s)
{
    (void)s;
    CHECK("%d %d %d", 0, -1, 2147483647);
    CHECK("%i|%5d|%-5d|%05d|%+d", -2147483647 - 1, 42, 42, -42, 7);
    CHECK("%u %x %X %o", 4294967295u, 0xdeadbeefu, 0xabcu, 8u);
    CHECK("%lx %lu %ld", 0xfedcba9876543210ul, 18446744073709551615ul, -9223372036854775807l - 1);
    CHECK("%llx %lld", 0x1234567890abcdefull, -5ll);
    CHECK("%zu %zd", (size_t)123456789, (ssize_t)-3);
    CHECK("%016lx|%08x|%2x|%.3d|%8.3d", 0xabcul, 0x1fu, 0xfffu, 7, 7);
    CHECK("[%s] [%10s] [%-10s] [%.2s] [%.*s]", "abc", "abc", "abc", "abc", 1, "xyz");
    CHECK("%c%c%3c|%-3c|", 'a', 'b', 'c', 'd');
    CHECK("%p", (void *)0x1234);
    CHECK("100%% %*d %-*d|", 6, 1, 4, 2);
}

static void test_truncation(void **s)
{
    (void)s;
    char b[8];
    size_t n = fmt_snprintf(b, sizeof b, "%s", "0123456789");
    assert_int_equal(n, 10);
    assert_string_equal(b, "0123456");
    n = fmt_snprintf(NULL, 0, "%d", 12345);
    assert_int_equal(n, 5);
    n = fmt_snprintf(b, 1, "abc");
    assert_string_equal(b, "");
}

static void test_null_string(void **s)
{
    (void)s;
    char b[16];
    const char *volatile nul = NULL;
    fmt_snprintf(b, sizeof b, "%s", (const char *)nul);
    assert_string_equal(b, "(null)");
}

static void test_hex(void **s)
{
    (void)s;
    const unsigned char d[] = { 0x00, 0x0f, 0xa5, 0xff, 0x10 };
    char out[2 * sizeof d + 1];
    memset(out, 'x', sizeof out);
    fmt_hex(d, sizeof d, out);
    assert_string_equal(out, "000fa5ff10");
    fmt_hex(d, 0, out);
    assert_string_equal(out, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_conversions),
        cmocka_unit_test(test_truncation),
        cmocka_unit_test(test_null_string),
        cmocka_unit_test(test_hex),
    };
    return cmocka_run_group_tests_name("fmt", tests, NULL, NULL);
}
