/* lib/list.h: items as they stand, empty ones included, no trailing one. */
#include "unit.h"
#include "lib/list.h"

/* Joins the items of s with '|' into out, each in brackets. */
static const char *split(const char *s, char sep, char *out, size_t cap)
{
    struct list_iter it = list_split(s, sep);
    const char *item;
    size_t len, n = 0;
    out[0] = 0;
    while (list_next(&it, &item, &len))
        n += (size_t)snprintf(out + n, cap - n, "[%.*s]", (int)len, item);
    return out;
}

static void test_split(void **st)
{
    (void)st;
    char b[128];
    assert_string_equal(split("aes128,chacha20", ',', b, sizeof b), "[aes128][chacha20]");
    assert_string_equal(split("one", ',', b, sizeof b), "[one]");
    assert_string_equal(split("", ',', b, sizeof b), "");
    assert_string_equal(split(NULL, ',', b, sizeof b), "");
    assert_string_equal(split("a,", ',', b, sizeof b), "[a]");
    assert_string_equal(split("a,,b", ',', b, sizeof b), "[a][][b]");
    assert_string_equal(split(",a", ',', b, sizeof b), "[][a]");
    assert_string_equal(split(",", ',', b, sizeof b), "[]");
    assert_string_equal(split(" a , b ", ',', b, sizeof b), "[ a ][ b ]");
    assert_string_equal(split("a:b,c", ':', b, sizeof b), "[a][b,c]");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
