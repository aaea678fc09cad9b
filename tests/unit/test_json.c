/* JSON writer and parser: escapes both ways, surrogate pairs, lone
   surrogates, UTF-8 validation, depth and token limits, path lookup, every
   prefix of a valid document rejected, writer round trips. */
#include "unit.h"
#include "http/json.h"

static struct json_tok T[4096];

static enum json_err parse(struct json_doc *d, const char *s)
{
    return json_parse(d, s, strlen(s), T, sizeof T / sizeof T[0], NULL);
}

static void test_parse_basic(void **state)
{
    (void)state;
    struct json_doc d;
    const char *s = "{\"id\":\"x\",\"n\":-12,\"f\":1.5e+3,\"a\":[true,false,null,[],{}],"
                    "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\\\"lo\"}},"
                    "{\"delta\":{\"content\":\"second\"}}]}";
    assert_int_equal(parse(&d, s), JSON_OK);
    assert_int_equal(d.tok[0].type, JSON_OBJECT);
    assert_int_equal(d.tok[0].count, 5);
    assert_int_equal(d.tok[0].next, d.ntok);
    char buf[64];
    size_t n;
    int t = json_path(&d, 0, "choices[0].delta.content", NULL);
    assert_true(t > 0);
    assert_int_equal(json_str_decode(&d, t, buf, sizeof buf, &n), JSON_OK);
    assert_int_equal(n, 6);
    assert_string_equal(buf, "Hel\"lo");
    t = json_path(&d, 0, "choices[1].delta.content", NULL);
    assert_int_equal(json_str_decode(&d, t, buf, sizeof buf, &n), JSON_OK);
    assert_string_equal(buf, "second");
    int64_t v;
    assert_int_equal(json_int(&d, json_obj_get(&d, 0, "n"), &v), JSON_OK);
    assert_int_equal(v, -12);
    assert_int_equal(json_int(&d, json_obj_get(&d, 0, "f"), &v), JSON_ERR_WRONG_TYPE);
    int a = json_obj_get(&d, 0, "a");
    assert_int_equal(d.tok[a].count, 5);
    assert_int_equal(d.tok[json_arr_get(&d, a, 2)].type, JSON_NULL);
    assert_int_equal(d.tok[json_arr_get(&d, a, 4)].type, JSON_OBJECT);
    assert_int_equal(json_arr_get(&d, a, 5), -1);

    enum json_err e;
    assert_int_equal(json_path(&d, 0, "choices[2].delta", &e), -1);
    assert_int_equal(e, JSON_ERR_NOT_FOUND);
    assert_int_equal(json_path(&d, 0, "missing", &e), -1);
    assert_int_equal(e, JSON_ERR_NOT_FOUND);
    assert_int_equal(json_path(&d, 0, "id[0]", &e), -1);
    assert_int_equal(e, JSON_ERR_WRONG_TYPE);
    assert_int_equal(json_path(&d, 0, "choices.x", &e), -1);
    assert_int_equal(e, JSON_ERR_WRONG_TYPE);
    assert_int_equal(json_path(&d, 0, "choices[x]", &e), -1);
    assert_int_equal(e, JSON_ERR_BAD_PATH);
    assert_int_equal(json_path(&d, 0, "choices[0", &e), -1);
    assert_int_equal(e, JSON_ERR_BAD_PATH);
    assert_int_equal(json_path(&d, 0, ".id", &e), -1);
    assert_int_equal(e, JSON_ERR_BAD_PATH);
    assert_int_equal(json_path(&d, 0, "a..b", &e), -1);
    assert_int_equal(e, JSON_ERR_BAD_PATH);

    /* top-level scalars and whitespace */
    assert_int_equal(parse(&d, " \t\r\n 42 \n"), JSON_OK);
    assert_int_equal(d.tok[0].type, JSON_NUMBER);
    assert_int_equal(parse(&d, "\"\""), JSON_OK);
    assert_int_equal(d.tok[0].type, JSON_STRING);
    /* escaped keys match their decoded form; last duplicate wins */
    assert_int_equal(parse(&d, "{\"k\\u0065y\":1,\"key\":2}"), JSON_OK);
    assert_int_equal(json_int(&d, json_obj_get(&d, 0, "key"), &v), JSON_OK);
    assert_int_equal(v, 2);
    assert_int_equal(parse(&d, "[-9223372036854775808, 9223372036854775807, 9223372036854775808]"), JSON_OK);
    assert_int_equal(json_int(&d, 1, &v), JSON_OK);
    assert_true(v == INT64_MIN);
    assert_int_equal(json_int(&d, 2, &v), JSON_OK);
    assert_true(v == INT64_MAX);
    assert_int_equal(json_int(&d, 3, &v), JSON_ERR_BAD_NUMBER);
}

static void test_escapes_decode(void **state)
{
    (void)state;
    struct json_doc d;
    char buf[64];
    size_t n;
    assert_int_equal(parse(&d, "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0041\\u00e9\\u20AC\\ud83d\\ude00\\u0000z\""), JSON_OK);
    assert_int_equal(json_str_decode(&d, 0, buf, sizeof buf, &n), JSON_OK);
    const char want[] = "\"\\/\b\f\n\r\tA\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\0z";
    assert_int_equal(n, sizeof want - 1);
    assert_memory_equal(buf, want, n);
    /* raw UTF-8 passes through */
    assert_int_equal(parse(&d, "\"caf\xc3\xa9 \xf0\x9f\x98\x80\""), JSON_OK);
    assert_int_equal(json_str_decode(&d, 0, buf, sizeof buf, &n), JSON_OK);
    assert_string_equal(buf, "caf\xc3\xa9 \xf0\x9f\x98\x80");
    /* decode into every too-small buffer is refused */
    for (size_t cap = 0; cap < 10; cap++)
        assert_int_equal(json_str_decode(&d, 0, buf, cap, &n), JSON_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(json_str_decode(&d, 0, buf, 10, &n), JSON_OK);
    assert_int_equal(n, 10);
    /* highest code point */
    assert_int_equal(parse(&d, "\"\\uDBFF\\uDFFF\""), JSON_OK);
    assert_int_equal(json_str_decode(&d, 0, buf, sizeof buf, &n), JSON_OK);
    assert_memory_equal(buf, "\xf4\x8f\xbf\xbf", 4);
}

static void test_errors(void **state)
{
    (void)state;
    static const struct { const char *s; enum json_err e; } cases[] = {
        {"", JSON_ERR_EMPTY},
        {"   ", JSON_ERR_EMPTY},
        {"{", JSON_ERR_UNEXPECTED_END},
        {"[1,", JSON_ERR_UNEXPECTED_END},
        {"\"abc", JSON_ERR_UNEXPECTED_END},
        {"{\"a\" 1}", JSON_ERR_UNEXPECTED_CHAR},
        {"{1:2}", JSON_ERR_UNEXPECTED_CHAR},
        {"[1 2]", JSON_ERR_UNEXPECTED_CHAR},
        {"[1,]", JSON_ERR_UNEXPECTED_CHAR},
        {"{\"a\":1,}", JSON_ERR_UNEXPECTED_CHAR},
        {"[1]]", JSON_ERR_TRAILING_DATA},
        {"1 2", JSON_ERR_TRAILING_DATA},
        {"tru", JSON_ERR_UNEXPECTED_END},
        {"trUe", JSON_ERR_BAD_LITERAL},
        {"nul1", JSON_ERR_BAD_LITERAL},
        {"'x'", JSON_ERR_UNEXPECTED_CHAR},
        {"01", JSON_ERR_BAD_NUMBER},
        {"-", JSON_ERR_UNEXPECTED_END},
        {"-a", JSON_ERR_BAD_NUMBER},
        {"1.", JSON_ERR_UNEXPECTED_END},
        {"1.e5", JSON_ERR_BAD_NUMBER},
        {"1e", JSON_ERR_UNEXPECTED_END},
        {"1e+x", JSON_ERR_BAD_NUMBER},
        {"+1", JSON_ERR_UNEXPECTED_CHAR},
        {".5", JSON_ERR_UNEXPECTED_CHAR},
        {"\"\\x\"", JSON_ERR_BAD_ESCAPE},
        {"\"\\u12G4\"", JSON_ERR_BAD_UNICODE_ESCAPE},
        {"\"\\u12\"", JSON_ERR_BAD_UNICODE_ESCAPE},
        {"\"\\u12", JSON_ERR_UNEXPECTED_END},
        {"\"\\ud800\"", JSON_ERR_LONE_SURROGATE},
        {"\"\\ud800x\"", JSON_ERR_LONE_SURROGATE},
        {"\"\\ud800\\n\"", JSON_ERR_LONE_SURROGATE},
        {"\"\\ud800\\u0041\"", JSON_ERR_LONE_SURROGATE},
        {"\"\\ud800\\ud800\"", JSON_ERR_LONE_SURROGATE},
        {"\"\\udc00\\ud800\"", JSON_ERR_LONE_SURROGATE},
        {"\"\\udfff\"", JSON_ERR_LONE_SURROGATE},
        {"\"\\ud800\\uZZZZ\"", JSON_ERR_BAD_UNICODE_ESCAPE},
        {"\"\\ud800", JSON_ERR_UNEXPECTED_END},
        {"\"\\ud800\\", JSON_ERR_UNEXPECTED_END},
        {"\"\\ud800\\udc", JSON_ERR_UNEXPECTED_END},
        {"\"a\tb\"", JSON_ERR_CONTROL_CHAR},
        {"\"a\nb\"", JSON_ERR_CONTROL_CHAR},
        {"\"\xff\"", JSON_ERR_BAD_UTF8},
        {"\"\xc0\xaf\"", JSON_ERR_BAD_UTF8},        /* overlong '/' */
        {"\"\xe0\x80\xaf\"", JSON_ERR_BAD_UTF8},    /* overlong */
        {"\"\xed\xa0\x80\"", JSON_ERR_BAD_UTF8},    /* encoded surrogate */
        {"\"\xf4\x90\x80\x80\"", JSON_ERR_BAD_UTF8},/* > U+10FFFF */
        {"\"\xc3\"", JSON_ERR_BAD_UTF8},            /* truncated sequence */
        {"\"\xe2\x82\"", JSON_ERR_BAD_UTF8},
    };
    struct json_doc d;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        enum json_err e = parse(&d, cases[i].s);
        if (e != cases[i].e)
            fail_msg("[%s]: got %s want %s", cases[i].s, json_err_str(e), json_err_str(cases[i].e));
        assert_int_equal(d.ntok, 0);
    }
    /* NUL inside the document is a control character, not an end */
    assert_int_equal(json_parse(&d, "\"a\0b\"", 5, T, 10, NULL), JSON_ERR_CONTROL_CHAR);
    assert_int_equal(json_parse(&d, "[1]\0", 4, T, 10, NULL), JSON_ERR_TRAILING_DATA);
}

static void test_limits(void **state)
{
    (void)state;
    static char s[400];
    struct json_doc d;
    memset(s, '[', JSON_MAX_DEPTH);
    memset(s + JSON_MAX_DEPTH, ']', JSON_MAX_DEPTH);
    s[2 * JSON_MAX_DEPTH] = 0;
    assert_int_equal(parse(&d, s), JSON_OK);
    memset(s, '[', JSON_MAX_DEPTH + 1);
    memset(s + JSON_MAX_DEPTH + 1, ']', JSON_MAX_DEPTH + 1);
    s[2 * JSON_MAX_DEPTH + 2] = 0;
    assert_int_equal(parse(&d, s), JSON_ERR_TOO_DEEP);
    /* very deep input must fail fast, not overflow the stack */
    static char deep[100000];
    memset(deep, '[', sizeof deep - 1);
    assert_int_equal(parse(&d, deep), JSON_ERR_TOO_DEEP);
    /* token capacity */
    assert_int_equal(json_parse(&d, "[1,2,3]", 7, T, 4, NULL), JSON_OK);
    assert_int_equal(json_parse(&d, "[1,2,3]", 7, T, 3, NULL), JSON_ERR_TOO_MANY_TOKENS);
    assert_int_equal(json_parse(&d, "{\"a\":1}", 7, T, 2, NULL), JSON_ERR_TOO_MANY_TOKENS);
    size_t off;
    assert_int_equal(json_parse(&d, "[1, x]", 6, T, 10, &off), JSON_ERR_UNEXPECTED_CHAR);
    assert_int_equal(off, 4);
}

/* Every proper prefix of a valid document fails; none crashes. */
static void test_prefixes(void **state)
{
    (void)state;
    const char *s = "{\"a\":[1,-2.5e3,true,false,null,\"x\\u00e9\\ud83d\\ude00\\n\"],\"b\":{\"c\":\"\xc3\xa9\"}}";
    struct json_doc d;
    size_t len = strlen(s);
    assert_int_equal(json_parse(&d, s, len, T, 100, NULL), JSON_OK);
    for (size_t n = 0; n < len; n++) {
        enum json_err e = json_parse(&d, s, n, T, 100, NULL);
        assert_int_not_equal(e, JSON_OK);
    }
}

static void test_writer(void **state)
{
    (void)state;
    char buf[1024];
    struct json_w w;
    size_t n;
    json_w_init(&w, buf, sizeof buf);
    json_w_obj_begin(&w);
    json_w_key(&w, "model");
    json_w_str(&w, "m");
    json_w_key(&w, "n");
    json_w_int(&w, -5);
    json_w_key(&w, "arr");
    json_w_arr_begin(&w);
    json_w_bool(&w, true);
    json_w_null(&w);
    json_w_obj_begin(&w);
    json_w_obj_end(&w);
    json_w_str(&w, "q\"\\\n\x01\x1f\x7f/\xc3\xa9\xc2\x80\xc2\x9b\xc2\xa0");
    json_w_arr_end(&w);
    json_w_obj_end(&w);
    assert_int_equal(json_w_finish(&w, &n), JSON_OK);
    const char *want = "{\"model\":\"m\",\"n\":-5,\"arr\":[true,null,{},"
                       "\"q\\\"\\\\\\n\\u0001\\u001f\\u007f/\xc3\xa9\\u0080\\u009b\xc2\xa0\"]}";
    assert_string_equal(buf, want);
    assert_int_equal(n, strlen(want));

    /* every shorter buffer fails cleanly and never writes past cap */
    for (size_t cap = 0; cap <= strlen(want); cap++) {
        char small[1100];
        memset(small, 0x5a, sizeof small);
        json_w_init(&w, small, cap);
        json_w_obj_begin(&w);
        json_w_key(&w, "model");
        json_w_str(&w, "m");
        json_w_key(&w, "n");
        json_w_int(&w, -5);
        json_w_key(&w, "arr");
        json_w_arr_begin(&w);
        json_w_bool(&w, true);
        json_w_null(&w);
        json_w_obj_begin(&w);
        json_w_obj_end(&w);
        json_w_str(&w, "q\"\\\n\x01\x1f\x7f/\xc3\xa9\xc2\x80\xc2\x9b\xc2\xa0");
        json_w_arr_end(&w);
        json_w_obj_end(&w);
        assert_int_equal(json_w_finish(&w, &n), JSON_ERR_BUFFER_TOO_SMALL);
        assert_int_equal(small[cap], 0x5a);
    }
    json_w_init(&w, buf, sizeof buf);
    json_w_arr_begin(&w);
    json_w_int(&w, INT64_MIN);
    json_w_int(&w, INT64_MAX);
    json_w_int(&w, 0);
    json_w_arr_end(&w);
    assert_int_equal(json_w_finish(&w, &n), JSON_OK);
    assert_string_equal(buf, "[-9223372036854775808,9223372036854775807,0]");
    /* misuse */
    json_w_init(&w, buf, sizeof buf);
    json_w_obj_begin(&w);
    assert_int_equal(json_w_finish(&w, &n), JSON_ERR_UNBALANCED);
    json_w_init(&w, buf, sizeof buf);
    json_w_arr_end(&w);
    assert_int_equal(json_w_finish(&w, &n), JSON_ERR_UNBALANCED);
    json_w_init(&w, buf, sizeof buf);
    json_w_key(&w, "k");
    assert_int_equal(json_w_finish(&w, &n), JSON_ERR_UNBALANCED);
    json_w_init(&w, buf, sizeof buf);
    json_w_str(&w, "\xff");
    assert_int_equal(json_w_finish(&w, &n), JSON_ERR_BAD_UTF8);
    json_w_init(&w, buf, sizeof buf);
    for (int i = 0; i <= JSON_MAX_DEPTH; i++)
        json_w_arr_begin(&w);
    assert_int_equal(json_w_finish(&w, &n), JSON_ERR_TOO_DEEP);
}

/* json_w_raw: a value inserted as is, with the separators of its place
   (first member, later member, array element, top level), and the
   buffer limit. */
static void test_writer_raw(void **state)
{
    (void)state;
    char buf[256];
    struct json_w w;
    size_t n;
    json_w_init(&w, buf, sizeof buf);
    json_w_obj_begin(&w);
    json_w_key(&w, "a");
    json_w_raw(&w, "{\"type\":\"object\",\"x\":[1, 2]}", 28);
    json_w_key(&w, "b");
    json_w_arr_begin(&w);
    json_w_raw(&w, "1", 1);
    json_w_raw(&w, "{}", 2);
    json_w_int(&w, 3);
    json_w_arr_end(&w);
    json_w_obj_end(&w);
    assert_int_equal(json_w_finish(&w, &n), JSON_OK);
    assert_string_equal(buf, "{\"a\":{\"type\":\"object\",\"x\":[1, 2]},\"b\":[1,{},3]}");
    json_w_init(&w, buf, sizeof buf);
    json_w_raw(&w, "\"s\"", 3);
    assert_int_equal(json_w_finish(&w, &n), JSON_OK);
    assert_string_equal(buf, "\"s\"");
    for (size_t cap = 0; cap < 8; cap++) {
        char small[16];
        memset(small, 0x5a, sizeof small);
        json_w_init(&w, small, cap);
        json_w_arr_begin(&w);
        json_w_raw(&w, "{\"k\":1}", 7);
        json_w_arr_end(&w);
        assert_int_equal(json_w_finish(&w, &n), JSON_ERR_BUFFER_TOO_SMALL);
        assert_int_equal(small[cap], 0x5a);
    }
}

/* Writer -> parser -> decode gives back every byte 0x01..0x7f, NUL,
   multi-byte UTF-8 and the C1 controls U+0080..U+009F (which the writer
   escapes: no byte 0xc2 followed by 0x80..0x9f in its output). */
static void test_round_trip(void **state)
{
    (void)state;
    char in[300], out[300], buf[2048];
    size_t k = 0;
    for (int c = 0; c < 0x80; c++)
        in[k++] = (char)c;
    const char extra[] = "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf";
    memcpy(in + k, extra, sizeof extra - 1);
    k += sizeof extra - 1;
    for (int c = 0x80; c <= 0xa0; c++) {      /* C1 controls, then U+00A0 */
        in[k++] = (char)0xc2;
        in[k++] = (char)c;
    }
    struct json_w w;
    size_t n;
    json_w_init(&w, buf, sizeof buf);
    json_w_arr_begin(&w);
    json_w_strn(&w, in, k);
    json_w_arr_end(&w);
    assert_int_equal(json_w_finish(&w, &n), JSON_OK);
    for (size_t i = 0; i < n; i++) {
        assert_true((unsigned char)buf[i] >= 0x20); /* no raw control byte */
        if ((unsigned char)buf[i] == 0xc2)
            assert_true((unsigned char)buf[i + 1] > 0x9f);
    }
    struct json_doc d;
    assert_int_equal(json_parse(&d, buf, n, T, 10, NULL), JSON_OK);
    size_t m;
    assert_int_equal(json_str_decode(&d, 1, out, sizeof out, &m), JSON_OK);
    assert_int_equal(m, k);
    assert_memory_equal(in, out, k);
}

static void test_utf8(void **state)
{
    (void)state;
    assert_true(json_utf8_valid((const uint8_t *)"", 0));
    assert_true(json_utf8_valid((const uint8_t *)"\xed\x9f\xbf", 3));  /* U+D7FF */
    assert_true(json_utf8_valid((const uint8_t *)"\xee\x80\x80", 3));  /* U+E000 */
    assert_false(json_utf8_valid((const uint8_t *)"\x80", 1));
    assert_false(json_utf8_valid((const uint8_t *)"\xf5\x80\x80\x80", 4));
    assert_false(json_utf8_valid((const uint8_t *)"\xf0\x8f\xbf\xbf", 4)); /* overlong */
    assert_string_equal(json_err_str(JSON_ERR_LONE_SURROGATE), "json_lone_surrogate");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_basic),
        cmocka_unit_test(test_escapes_decode),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_prefixes),
        cmocka_unit_test(test_writer),
        cmocka_unit_test(test_writer_raw),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
