/* app/tool_args.c: strict argument reading for the kernel tools, the tool
   names the option parser checks, tool_hosts= values, and the address
   policy of https_get (host list before DNS, address scope after). */
#include "unit.h"
#include "app/tool_args.h"

static struct json_tok toks[64];

static struct json_doc parse(const char *text)
{
    struct json_doc d;
    size_t at;
    assert_int_equal(json_parse(&d, text, strlen(text), toks, 64, &at), JSON_OK);
    return d;
}

static void test_only(void **s)
{
    (void)s;
    static const char *const url_only[] = {"url", NULL};
    static const char *const none[] = {NULL};
    int bad;
    struct json_doc d = parse("{\"url\":\"https://a.test/\"}");
    assert_int_equal(tool_args_only(&d, 0, url_only, &bad), TOOL_ARG_OK);
    assert_int_equal(bad, -1);
    assert_int_equal(tool_args_only(&d, 0, none, &bad), TOOL_ARG_UNKNOWN_MEMBER);
    assert_int_equal(bad, 1);
    /* the second member is the unknown one; nested values are skipped whole */
    d = parse("{\"url\":{\"x\":[1,{\"y\":2}]},\"urls\":1}");
    assert_int_equal(tool_args_only(&d, 0, url_only, &bad), TOOL_ARG_UNKNOWN_MEMBER);
    assert_int_equal(d.tok[bad].type, JSON_STRING);
    assert_memory_equal(d.text + d.tok[bad].start, "urls", 4);
    d = parse("{}");
    assert_int_equal(tool_args_only(&d, 0, none, &bad), TOOL_ARG_OK);
    d = parse("[\"url\"]");
    assert_int_equal(tool_args_only(&d, 0, url_only, &bad), TOOL_ARG_NOT_OBJECT);
    d = parse("\"url\"");
    assert_int_equal(tool_args_only(&d, 0, url_only, &bad), TOOL_ARG_NOT_OBJECT);
    /* a key that only starts like a known one */
    d = parse("{\"ur\":1}");
    assert_int_equal(tool_args_only(&d, 0, url_only, &bad), TOOL_ARG_UNKNOWN_MEMBER);
}

static void test_str(void **s)
{
    (void)s;
    char out[16];
    struct json_doc d = parse("{\"name\":\"a.test\",\"n\":5,\"esc\":\"caf\\u00e9\","
                              "\"ctl\":\"a\\nb\",\"nul\":\"a\\u0000b\",\"long\":\"0123456789abcdef\"}");
    assert_int_equal(tool_arg_str(&d, 0, "name", true, out, sizeof out), TOOL_ARG_OK);
    assert_string_equal(out, "a.test");
    assert_int_equal(tool_arg_str(&d, 0, "esc", true, out, sizeof out), TOOL_ARG_OK);
    assert_string_equal(out, "caf\xc3\xa9");
    assert_int_equal(tool_arg_str(&d, 0, "n", true, out, sizeof out), TOOL_ARG_WRONG_TYPE);
    assert_int_equal(tool_arg_str(&d, 0, "ctl", true, out, sizeof out), TOOL_ARG_BAD_TEXT);
    assert_string_equal(out, "");
    assert_int_equal(tool_arg_str(&d, 0, "nul", true, out, sizeof out), TOOL_ARG_BAD_TEXT);
    /* 16 bytes do not fit 16 with the NUL; 15 do */
    assert_int_equal(tool_arg_str(&d, 0, "long", true, out, sizeof out), TOOL_ARG_TOO_LONG);
    assert_string_equal(out, "");
    d = parse("{\"long\":\"0123456789abcde\"}");
    assert_int_equal(tool_arg_str(&d, 0, "long", true, out, sizeof out), TOOL_ARG_OK);
    assert_string_equal(out, "0123456789abcde");
    assert_int_equal(tool_arg_str(&d, 0, "absent", true, out, sizeof out), TOOL_ARG_MISSING);
    assert_int_equal(tool_arg_str(&d, 0, "absent", false, out, sizeof out), TOOL_ARG_OK);
    assert_string_equal(out, "");
    d = parse("[1]");
    assert_int_equal(tool_arg_str(&d, 0, "x", false, out, sizeof out), TOOL_ARG_NOT_OBJECT);
    assert_string_equal(tool_arg_err_str(TOOL_ARG_UNKNOWN_MEMBER), "unknown_argument");
    assert_string_equal(tool_arg_err_str(TOOL_ARG_MISSING), "missing_argument");
}

static void test_names(void **s)
{
    (void)s;
    assert_int_equal(tool_name_index("clock", 5), 0);
    assert_int_equal(tool_name_index("https_get", 9), 3);
    assert_int_equal(tool_name_index("https_getx", 9), 3);   /* by length */
    assert_int_equal(tool_name_index("https", 5), -1);
    assert_int_equal(tool_name_index("CLOCK", 5), -1);
    assert_int_equal(tool_name_index("", 0), -1);
}

static void test_hosts_valid(void **s)
{
    (void)s;
    assert_true(tool_hosts_valid("a.example"));
    assert_true(tool_hosts_valid("a.example,b.example,10.0.2.2"));
    assert_true(tool_hosts_valid("a.example,"));             /* a trailing comma adds nothing */
    assert_false(tool_hosts_valid(""));
    assert_false(tool_hosts_valid(","));
    assert_false(tool_hosts_valid("a,,b"));
    assert_false(tool_hosts_valid("a b"));
    assert_false(tool_hosts_valid("a/b"));
    assert_false(tool_hosts_valid("a@b"));
    char many[64] = "";
    for (int i = 0; i < 17; i++)
        strcat(many, "a,");
    assert_false(tool_hosts_valid(many));                    /* 17 hosts */
    many[32] = 0;
    assert_true(tool_hosts_valid(many));                     /* 16 */
    char big[300];
    memset(big, 'a', 254);
    big[254] = 0;
    assert_false(tool_hosts_valid(big));
    big[253] = 0;
    assert_true(tool_hosts_valid(big));
}

static void test_policy(void **s)
{
    (void)s;
    assert_int_equal(tool_policy_host(NULL, "anything.test"), TOOL_POLICY_OK);
    assert_int_equal(tool_policy_host("", "anything.test"), TOOL_POLICY_OK);
    assert_int_equal(tool_policy_host("a.test,B.Test", "b.test"), TOOL_POLICY_OK);
    assert_int_equal(tool_policy_host("a.test,b.test.", "B.TEST"), TOOL_POLICY_OK);
    assert_int_equal(tool_policy_host("a.test", "a.test."), TOOL_POLICY_OK);
    assert_int_equal(tool_policy_host("a.test", "xa.test"), TOOL_POLICY_HOST_NOT_ALLOWED);
    assert_int_equal(tool_policy_host("a.test", "a.test.evil"), TOOL_POLICY_HOST_NOT_ALLOWED);
    assert_int_equal(tool_policy_host("a.test", "a.tes"), TOOL_POLICY_HOST_NOT_ALLOWED);
    assert_int_equal(tool_policy_host("10.0.2.2", "10.0.2.2"), TOOL_POLICY_OK);

    struct ip_addr pub = ip_addr_v4(0x08080808u), priv = ip_addr_v4(0x0a000202u);
    struct ip_addr meta = ip_addr_v4(0xa9fea9feu), lo = ip_addr_v4(0x7f000001u);
    assert_int_equal(tool_policy_addr(NULL, &pub), TOOL_POLICY_OK);
    assert_int_equal(tool_policy_addr(NULL, &priv), TOOL_POLICY_ADDRESS_REFUSED);
    assert_int_equal(tool_policy_addr("", &meta), TOOL_POLICY_ADDRESS_REFUSED);
    assert_int_equal(tool_policy_addr(NULL, &lo), TOOL_POLICY_ADDRESS_REFUSED);
    /* a host list decides by name: its hosts may be at any address */
    assert_int_equal(tool_policy_addr("internal.test", &priv), TOOL_POLICY_OK);
    assert_string_equal(tool_policy_str(TOOL_POLICY_ADDRESS_REFUSED), "address_refused");
    assert_string_equal(tool_policy_str(TOOL_POLICY_HOST_NOT_ALLOWED), "host_not_allowed");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_only),
        cmocka_unit_test(test_str),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_hosts_valid),
        cmocka_unit_test(test_policy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
