/* kernel/cmdline.c: words, quotes, escapes, limits, integers, %-decoding. */
#include "unit.h"
#include "kernel/cmdline.h"

static struct cmdline c;

static void test_plain_words(void **s)
{
    (void)s;
    assert_int_equal(cmdline_parse(&c, "  ip=10.0.2.15/24 gw=10.0.2.2   exit=1 verbose "), CMDLINE_OK);
    assert_int_equal(c.n, 4);
    assert_string_equal(cmdline_get(&c, "ip"), "10.0.2.15/24");
    assert_string_equal(cmdline_get(&c, "gw"), "10.0.2.2");
    assert_string_equal(cmdline_get(&c, "verbose"), "");
    assert_null(cmdline_get(&c, "dns"));
    assert_int_equal(cmdline_get_int(&c, "exit", 0), 1);
}

static void test_quotes(void **s)
{
    (void)s;
    assert_int_equal(cmdline_parse(&c, "prompt=\"hello world\" 'model=gpt x' k=a\"b c\"d e=\"q\\\"x\""), CMDLINE_OK);
    assert_string_equal(cmdline_get(&c, "prompt"), "hello world");
    assert_string_equal(cmdline_get(&c, "model"), "gpt x");
    assert_string_equal(cmdline_get(&c, "k"), "ab cd");
    assert_string_equal(cmdline_get(&c, "e"), "q\"x");
    assert_int_equal(c.n, 4);
}

static void test_value_with_equals_and_last_wins(void **s)
{
    (void)s;
    assert_int_equal(cmdline_parse(&c, "get=https://h/p?a=b get=https://x/"), CMDLINE_OK);
    assert_string_equal(cmdline_get(&c, "get"), "https://x/");
    assert_int_equal(cmdline_parse(&c, "q=a=b"), CMDLINE_OK);
    assert_string_equal(cmdline_get(&c, "q"), "a=b");
}

static void test_errors(void **s)
{
    (void)s;
    assert_int_equal(cmdline_parse(&c, "a=\"open"), CMDLINE_ERR_UNTERMINATED_QUOTE);
    assert_int_equal(cmdline_parse(&c, "=x"), CMDLINE_ERR_EMPTY_KEY);
    char big[CMDLINE_MAX_LEN + 10];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = 0;
    assert_int_equal(cmdline_parse(&c, big), CMDLINE_ERR_TOO_LONG);
    char many[CMDLINE_MAX_ARGS * 3 + 10] = "";
    for (int i = 0; i <= CMDLINE_MAX_ARGS; i++)
        strcat(many, "a ");
    assert_int_equal(cmdline_parse(&c, many), CMDLINE_ERR_TOO_MANY);
    assert_string_equal(cmdline_err_str(CMDLINE_ERR_TOO_MANY), "too_many_args");
    assert_int_equal(cmdline_parse(&c, NULL), CMDLINE_OK);
    assert_int_equal(c.n, 0);
}

static void test_ints(void **s)
{
    (void)s;
    assert_int_equal(cmdline_parse(&c, "a=0x1f b=-42 c=12x d= e=99999999999999999999999"), CMDLINE_OK);
    assert_int_equal(cmdline_get_int(&c, "a", 7), 31);
    assert_int_equal(cmdline_get_int(&c, "b", 7), -42);
    assert_int_equal(cmdline_get_int(&c, "c", 7), 7);
    assert_int_equal(cmdline_get_int(&c, "d", 7), 7);
    assert_int_equal(cmdline_get_int(&c, "e", 7), 7);
    assert_int_equal(cmdline_get_int(&c, "zz", 7), 7);
}

static void test_pct_decode(void **s)
{
    (void)s;
    char a[] = "hello%20world%21%2f";
    assert_true(cmdline_pct_decode(a));
    assert_string_equal(a, "hello world!/");
    char b[] = "bad%2";
    assert_false(cmdline_pct_decode(b));
    assert_string_equal(b, "bad%2");
    char d[] = "bad%zz";
    assert_false(cmdline_pct_decode(d));
}

static void test_wipe_key(void **s)
{
    (void)s;
    char line[] = "llm=https://h/x key=sk-secret-1 \"key=sk two\" model=m 'key'=\"q\\\"k\" exit=1";
    size_t len0 = strlen(line);
    assert_int_equal(cmdline_parse(&c, line), CMDLINE_OK);
    assert_int_equal(c.n, 6);
    const char *v1 = c.val[1], *v2 = c.val[2], *v4 = c.val[4];
    assert_string_equal(v4, "q\"k");
    assert_int_equal(cmdline_redact_key(&c, line, "key"), 3);
    assert_string_equal(v4, "q\"k");                      /* the copy stays... */
    assert_int_equal(cmdline_wipe_key(&c, "key"), 3);       /* ...until wiped */
    /* the decoded copies are zeroed, the other words untouched */
    assert_string_equal(v1, "");
    assert_string_equal(v2, "");
    assert_string_equal(v4, "");
    for (size_t i = 0; i < strlen("sk two"); i++)          /* every byte, not just the first */
        assert_int_equal(v2[i], 0);
    assert_string_equal(cmdline_get(&c, "model"), "m");
    assert_string_equal(cmdline_get(&c, "llm"), "https://h/x");
    /* the raw line: each key word is `key=*`, nothing of the secrets left */
    assert_string_equal(line, "llm=https://h/x key=* key=* model=m key=* exit=1");
    for (size_t i = strlen(line); i < len0; i++)
        assert_int_equal(line[i], 0);
    /* the rewritten line parses to the same other words */
    struct cmdline c2;
    assert_int_equal(cmdline_parse(&c2, line), CMDLINE_OK);
    assert_int_equal(c2.n, 6);
    assert_string_equal(cmdline_get(&c2, "exit"), "1");
    assert_string_equal(cmdline_get(&c2, "key"), "*");
    /* the spans were kept in step: a second wipe changes nothing more */
    assert_int_equal(cmdline_redact_key(&c, line, "key"), 3);
    assert_string_equal(line, "llm=https://h/x key=* key=* model=m key=* exit=1");
}

static void test_wipe_key_edges(void **s)
{
    (void)s;
    char a[] = "exit=1 key=";          /* empty value: nothing to hide */
    assert_int_equal(cmdline_parse(&c, a), CMDLINE_OK);
    assert_int_equal(cmdline_redact_key(&c, a, "key"), 1);
    assert_string_equal(a, "exit=1 key=");
    char b[] = "exit=1 keys=x";         /* another key, not wiped */
    assert_int_equal(cmdline_parse(&c, b), CMDLINE_OK);
    assert_int_equal(cmdline_redact_key(&c, b, "key"), 0);
    assert_int_equal(cmdline_wipe_key(&c, "key"), 0);
    assert_string_equal(b, "exit=1 keys=x");
    assert_string_equal(cmdline_get(&c, "keys"), "x");
    char d[] = "key=abc";               /* the copy only: the line stays */
    assert_int_equal(cmdline_parse(&c, d), CMDLINE_OK);
    assert_int_equal(cmdline_wipe_key(&c, "key"), 1);
    assert_string_equal(cmdline_get(&c, "key"), "");
    assert_string_equal(d, "key=abc");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_words),
        cmocka_unit_test(test_quotes),
        cmocka_unit_test(test_value_with_equals_and_last_wins),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_ints),
        cmocka_unit_test(test_pct_decode),
        cmocka_unit_test(test_wipe_key),
        cmocka_unit_test(test_wipe_key_edges),
    };
    return cmocka_run_group_tests_name("cmdline", tests, NULL, NULL);
}
