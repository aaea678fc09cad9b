/* lib/ascii.h: only 'A'..'Z' fold, every other byte compares as it is. */
#include "unit.h"
#include "lib/ascii.h"

static void test_lower(void **s)
{
    (void)s;
    for (int c = 0; c < 256; c++) {
        char want = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        assert_int_equal((unsigned char)ascii_lower((char)c), (unsigned char)want);
    }
}

static void test_caseeq(void **s)
{
    (void)s;
    assert_true(ascii_caseeq("Example.COM", "example.com", 11));
    assert_false(ascii_caseeq("example.con", "example.com", 11));
    assert_true(ascii_caseeq("ab", "AB-different", 2));
    assert_true(ascii_caseeq("", "x", 0));
    /* '@' | 0x20 is '`' and 0xc1 is no letter: neither folds. */
    assert_false(ascii_caseeq("@", "`", 1));
    assert_false(ascii_caseeq("\xc1", "\xe1", 1));
    assert_true(ascii_caseeq("\xc1", "\xc1", 1));
    const uint8_t a[3] = { 'X', 0, 0x80 }, b[3] = { 'x', 0, 0x80 };
    assert_true(ascii_caseeq(a, b, 3));          /* NUL is an ordinary byte */
}

static void test_strcaseeq(void **s)
{
    (void)s;
    assert_true(ascii_strcaseeq("Content-Length", "content-LENGTH"));
    assert_false(ascii_strcaseeq("Content-Length", "content-lengt"));
    assert_false(ascii_strcaseeq("a", "ab"));
    assert_true(ascii_strcaseeq("", ""));
    assert_false(ascii_strcaseeq("[", "{"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lower),
        cmocka_unit_test(test_caseeq),
        cmocka_unit_test(test_strcaseeq),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
