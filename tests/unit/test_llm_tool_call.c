/* llm/tool_call.c: tool calls assembled from whole calls and from
   fragments keyed by the stream's index, in any interleaving; the limits
   (calls, argument bytes, id and name) at their edges; argument checking at
   the end (empty -> {}, not an object -> args_ok false, not an error). */
#include "unit.h"
#include "llm/tool_call.h"

static struct llm_tool_calls tc;

#define S(x) x, strlen(x)

static void test_streamed_interleaved(void **s)
{
    (void)s;
    llm_tc_init(&tc);
    /* OpenAI: id and name in the first delta of each index, then pieces */
    assert_int_equal(llm_tc_start(&tc, 0, S("call_a"), S("clock")), LLM_TC_OK);
    assert_int_equal(llm_tc_args(&tc, 0, S("")), LLM_TC_OK);
    assert_int_equal(llm_tc_start(&tc, 1, S("call_b"), S("dns_lookup")), LLM_TC_OK);
    assert_int_equal(llm_tc_args(&tc, 1, S("{\"na")), LLM_TC_OK);
    assert_int_equal(llm_tc_start(&tc, 1, NULL, 0, NULL, 0), LLM_TC_OK);  /* later delta */
    assert_int_equal(llm_tc_args(&tc, 1, S("me\":\"a.test\"}")), LLM_TC_OK);
    /* a later delta with another name does not rename the call */
    assert_int_equal(llm_tc_start(&tc, 1, S("call_x"), S("https_get")), LLM_TC_OK);
    assert_int_equal(llm_tc_finish(&tc), LLM_TC_OK);
    assert_int_equal(tc.n, 2);
    assert_string_equal(tc.call[0].name, "clock");
    assert_string_equal(tc.call[0].id, "call_a");
    assert_string_equal(tc.call[0].args, "{}");          /* empty arguments */
    assert_true(tc.call[0].args_ok);
    assert_string_equal(tc.call[1].name, "dns_lookup");
    assert_string_equal(tc.call[1].id, "call_b");
    assert_string_equal(tc.call[1].args, "{\"name\":\"a.test\"}");
    assert_int_equal(tc.call[1].args_len, strlen("{\"name\":\"a.test\"}"));
    assert_true(tc.call[1].args_ok);
}

static void test_keys_not_in_order(void **s)
{
    (void)s;
    /* Anthropic: content block 1 (block 0 was text), Responses: output_index 3 */
    llm_tc_init(&tc);
    assert_int_equal(llm_tc_start(&tc, 3, S("fc_1"), S("net_info")), LLM_TC_OK);
    assert_int_equal(llm_tc_start(&tc, 1, S("toolu_1"), S("clock")), LLM_TC_OK);
    assert_int_equal(llm_tc_args(&tc, 3, S(" { } ")), LLM_TC_OK);
    assert_int_equal(llm_tc_finish(&tc), LLM_TC_OK);
    assert_string_equal(tc.call[0].name, "net_info");   /* arrival order */
    assert_string_equal(tc.call[0].args, " { } ");
    assert_true(tc.call[0].args_ok);
    assert_string_equal(tc.call[1].name, "clock");
}

static void test_whole(void **s)
{
    (void)s;
    llm_tc_init(&tc);
    assert_int_equal(llm_tc_whole(&tc, NULL, 0, S("clock"), S("{}")), LLM_TC_OK);
    assert_int_equal(llm_tc_whole(&tc, S("id2"), S("clock"), NULL, 0), LLM_TC_OK);
    assert_int_equal(llm_tc_finish(&tc), LLM_TC_OK);
    assert_int_equal(tc.n, 2);                           /* the same tool twice: two calls */
    assert_string_equal(tc.call[0].id, "");
    assert_string_equal(tc.call[1].id, "id2");
    assert_string_equal(tc.call[1].args, "{}");
}

static void test_bad_arguments_are_marked(void **s)
{
    (void)s;
    const char *bad[] = {"[1]", "{\"a\":", "\"x\"", "{}{}", "nul", "{\"a\":1}x"};
    llm_tc_init(&tc);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(llm_tc_whole(&tc, NULL, 0, S("clock"), S(bad[i])), LLM_TC_OK);
    assert_int_equal(llm_tc_finish(&tc), LLM_TC_OK);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_false(tc.call[i].args_ok);
        assert_string_equal(tc.call[i].args, bad[i]);   /* kept for the model's error */
    }
}

static void test_limits(void **s)
{
    (void)s;
    static char big[LLM_TOOL_ARGS_MAX + 1];
    memset(big, ' ', sizeof big);
    llm_tc_init(&tc);
    for (int i = 0; i < LLM_TOOL_CALLS_MAX; i++)
        assert_int_equal(llm_tc_start(&tc, i, NULL, 0, S("t")), LLM_TC_OK);
    assert_int_equal(llm_tc_start(&tc, 99, NULL, 0, S("t")), LLM_TC_TOO_MANY);
    assert_int_equal(llm_tc_args(&tc, 0, S("{}")), LLM_TC_TOO_MANY);   /* sticky */
    assert_string_equal(llm_tc_err_str(tc.err), "tool_calls_too_many");

    llm_tc_init(&tc);
    assert_int_equal(llm_tc_start(&tc, 0, NULL, 0, S("t")), LLM_TC_OK);
    assert_int_equal(llm_tc_args(&tc, 0, big, LLM_TOOL_ARGS_MAX - 1), LLM_TC_OK);
    assert_int_equal(llm_tc_args(&tc, 0, "}", 1), LLM_TC_OK);            /* exactly the limit */
    assert_int_equal(tc.call[0].args_len, LLM_TOOL_ARGS_MAX);
    assert_int_equal(llm_tc_args(&tc, 0, "x", 1), LLM_TC_ARGS_TOO_LONG);

    char id[LLM_TOOL_ID_MAX + 1];
    memset(id, 'i', sizeof id);
    llm_tc_init(&tc);
    assert_int_equal(llm_tc_start(&tc, 0, id, LLM_TOOL_ID_MAX - 1, S("t")), LLM_TC_OK);
    llm_tc_init(&tc);
    assert_int_equal(llm_tc_start(&tc, 0, id, LLM_TOOL_ID_MAX, S("t")), LLM_TC_ID_TOO_LONG);

    char name[LLM_TOOL_NAME_MAX + 1];
    memset(name, 'n', sizeof name);
    llm_tc_init(&tc);
    assert_int_equal(llm_tc_start(&tc, 0, NULL, 0, name, LLM_TOOL_NAME_MAX - 1), LLM_TC_OK);
    llm_tc_init(&tc);
    assert_int_equal(llm_tc_start(&tc, 0, NULL, 0, name, LLM_TOOL_NAME_MAX), LLM_TC_BAD_NAME);
    const char *bad_names[] = {"a b", "a.b", "a/b", "\xc3\xa9", "a\"", "a\n"};
    for (size_t i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++) {
        llm_tc_init(&tc);
        assert_int_equal(llm_tc_start(&tc, 0, NULL, 0, S(bad_names[i])), LLM_TC_BAD_NAME);
    }
    llm_tc_init(&tc);
    assert_int_equal(llm_tc_start(&tc, 0, NULL, 0, S("Get_Page-2")), LLM_TC_OK);
}

static void test_errors(void **s)
{
    (void)s;
    llm_tc_init(&tc);
    assert_int_equal(llm_tc_args(&tc, 5, S("{}")), LLM_TC_NO_CALL);      /* no start */
    llm_tc_init(&tc);
    assert_int_equal(llm_tc_start(&tc, 0, S("id"), NULL, 0), LLM_TC_OK);  /* name never came */
    assert_int_equal(llm_tc_finish(&tc), LLM_TC_NAME_MISSING);
    llm_tc_init(&tc);
    assert_int_equal(llm_tc_finish(&tc), LLM_TC_OK);                       /* no calls */
    assert_int_equal(tc.n, 0);
    assert_string_equal(llm_tc_err_str(LLM_TC_NAME_MISSING), "tool_name_missing");
    assert_string_equal(llm_tc_err_str((enum llm_tc_err)99), "unknown");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_streamed_interleaved),
        cmocka_unit_test(test_keys_not_in_order),
        cmocka_unit_test(test_whole),
        cmocka_unit_test(test_bad_arguments_are_marked),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
