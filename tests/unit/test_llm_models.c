/* Model lists (llm/models.h): the list path derived from the chat path,
   the GET request of each provider byte for byte, each provider's list
   shape fed whole and in every piece size (ids, count, skipped elements),
   API errors with their messages, malformed documents with named errors,
   and the callback stopping the list. */
#include "unit.h"
#include "llm/models.h"
#include "llm/provider.h"
#include "http/http_client.h"

static struct llm_models M;
static struct { char ids[8192]; size_t len; unsigned n, stop_after; } OUT;

static bool on_model(void *ctx, const char *id, size_t n)
{
    (void)ctx;
    assert_true(n > 0 && OUT.len + n + 1 < sizeof OUT.ids);
    memcpy(OUT.ids + OUT.len, id, n);
    OUT.len += n;
    OUT.ids[OUT.len++] = '\n';
    OUT.ids[OUT.len] = 0;
    OUT.n++;
    return !(OUT.stop_after && OUT.n >= OUT.stop_after);
}

static enum llm_err run(const struct llm_provider *p, const char *resp, size_t len, size_t step)
{
    memset(&OUT, 0, sizeof OUT);
    llm_models_init(&M, p, on_model, NULL);
    for (size_t o = 0; o < len && !llm_models_done(&M);) {
        size_t n = step && step < len - o ? step : len - o, c;
        enum llm_err e = llm_models_feed(&M, (const uint8_t *)resp + o, n, &c);
        if (e)
            return e;
        o += c;
    }
    return llm_models_eof(&M);
}

/* resp whole and in every piece size: the error, the ids (one per line),
   the skipped count and the console line. */
static void expect(const struct llm_provider *p, const char *resp, enum llm_err err,
                   const char *ids, unsigned skipped, const char *line)
{
    size_t len = strlen(resp);
    for (size_t step = 0; step <= len; step++) {
        enum llm_err e = run(p, resp, len, step);
        char m[400];
        llm_models_describe(&M, m, sizeof m);
        if (e != err)
            fail_msg("%s step %zu: %s, want %s", p->name, step, m, llm_err_str(err));
        assert_string_equal(OUT.ids, ids);
        assert_int_equal(M.count, OUT.n);
        assert_int_equal(M.skipped, skipped);
        assert_true(llm_models_done(&M));
        if (line)
            assert_string_equal(m, line);
    }
}

static void test_path(void **state)
{
    (void)state;
    static const struct { const struct llm_provider *p; const char *chat, *list; } cases[] = {
        {&llm_openai_chat, "/v1/chat/completions", "/v1/models"},
        {&llm_openai_chat, "/openai/v1/chat/completions", "/openai/v1/models"},    /* Groq */
        {&llm_openai_chat, "/api/v1/chat/completions", "/api/v1/models"},          /* OpenRouter */
        {&llm_openai_chat, "/v1beta/openai/chat/completions", "/v1beta/openai/models"},
        {&llm_openai_chat, "/chat/completions?x=/v1/", "/models"},
        {&llm_openai_chat, "/custom", "/v1/models"},
        {&llm_openai_responses, "/v1/responses", "/v1/models"},
        {&llm_openai_responses, "/proxy/responses", "/proxy/models"},
        {&llm_anthropic, "/v1/messages", "/v1/models"},
        {&llm_anthropic, "/anthropic/v1/messages", "/anthropic/v1/models"},
        {&llm_anthropic, "/messages", "/v1/models"},
        {&llm_gemini, "/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse", "/v1beta/models"},
        {&llm_gemini, "/g/v1beta/models/x:generateContent", "/g/v1beta/models"},
        {&llm_ollama, "/api/chat", "/api/tags"},
        {&llm_ollama, "/ollama/api/generate", "/ollama/api/tags"},
        {&llm_ollama, "/v1/chat/completions", "/api/tags"},
    };
    char out[64];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(llm_models_path(cases[i].p, cases[i].chat, out, sizeof out), LLM_OK);
        if (strcmp(out, cases[i].list) != 0)
            fail_msg("%s %s: %s, want %s", cases[i].p->name, cases[i].chat, out, cases[i].list);
    }
    /* too small, at every size: never a partial path */
    for (size_t cap = 0; cap <= strlen("/openai/v1/models"); cap++)
        assert_int_equal(llm_models_path(&llm_openai_chat, "/openai/v1/chat/completions", out, cap),
                         LLM_ERR_REQUEST_TOO_LARGE);
    static const struct llm_provider other = {.name = "other"};
    assert_int_equal(llm_models_path(&other, "/v1/x", out, sizeof out), LLM_ERR_BAD_ARGUMENT);
}

static void test_request(void **state)
{
    (void)state;
    static char buf[1024];
    size_t n;
    struct llm_request q = {.host = "api.example.com", .port = 443, .path = "/v1/chat/completions",
                            .key = "sk-1", .keep_alive = true};
    static const struct { const struct llm_provider *p; const char *path, *want; } cases[] = {
        {&llm_openai_chat, "/v1/chat/completions",
         "GET /v1/models HTTP/1.1\r\nHost: api.example.com\r\nUser-Agent: os-llm/1.0\r\n"
         "Accept: application/json\r\nAuthorization: Bearer sk-1\r\nConnection: keep-alive\r\n\r\n"},
        {&llm_openai_responses, "/v1/responses",
         "GET /v1/models HTTP/1.1\r\nHost: api.example.com\r\nUser-Agent: os-llm/1.0\r\n"
         "Accept: application/json\r\nAuthorization: Bearer sk-1\r\nConnection: keep-alive\r\n\r\n"},
        {&llm_anthropic, "/v1/messages",
         "GET /v1/models HTTP/1.1\r\nHost: api.example.com\r\nUser-Agent: os-llm/1.0\r\n"
         "Accept: application/json\r\nx-api-key: sk-1\r\nanthropic-version: 2023-06-01\r\n"
         "Connection: keep-alive\r\n\r\n"},
        {&llm_gemini, "/v1beta/models/g:streamGenerateContent?alt=sse",
         "GET /v1beta/models HTTP/1.1\r\nHost: api.example.com\r\nUser-Agent: os-llm/1.0\r\n"
         "Accept: application/json\r\nx-goog-api-key: sk-1\r\nConnection: keep-alive\r\n\r\n"},
        {&llm_ollama, "/api/chat",
         "GET /api/tags HTTP/1.1\r\nHost: api.example.com\r\nUser-Agent: os-llm/1.0\r\n"
         "Accept: application/json\r\nAuthorization: Bearer sk-1\r\nConnection: keep-alive\r\n\r\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        q.path = cases[i].path;
        assert_int_equal(llm_models_request(cases[i].p, &q, buf, sizeof buf, &n), LLM_OK);
        buf[n] = 0;
        assert_string_equal(buf, cases[i].want);
    }
    /* no key: no key header (Anthropic keeps its version); port; close */
    q.key = NULL;
    q.port = 11434;
    q.keep_alive = false;
    q.user_agent = "ua/2";
    q.path = "/v1/messages";
    assert_int_equal(llm_models_request(&llm_anthropic, &q, buf, sizeof buf, &n), LLM_OK);
    buf[n] = 0;
    assert_string_equal(buf, "GET /v1/models HTTP/1.1\r\nHost: api.example.com:11434\r\nUser-Agent: ua/2\r\n"
                             "Accept: application/json\r\nanthropic-version: 2023-06-01\r\n"
                             "Connection: close\r\n\r\n");
    q.key = "";
    q.path = "/api/chat";
    assert_int_equal(llm_models_request(&llm_ollama, &q, buf, sizeof buf, &n), LLM_OK);
    buf[n] = 0;
    assert_null(strstr(buf, "Authorization"));
    assert_null(strstr(buf, "Content-Length"));
    /* small buffers, header injection, missing fields */
    for (size_t cap = 0; cap < n; cap += 3)
        assert_int_equal(llm_models_request(&llm_ollama, &q, buf, cap, &n), LLM_ERR_REQUEST_TOO_LARGE);
    q.key = "k\r\nX: y";
    assert_int_equal(llm_models_request(&llm_openai_chat, &q, buf, sizeof buf, &n), LLM_ERR_BAD_ARGUMENT);
    q.key = NULL;
    q.host = NULL;
    assert_int_equal(llm_models_request(&llm_openai_chat, &q, buf, sizeof buf, &n), LLM_ERR_BAD_ARGUMENT);
}

#define OK_HEAD "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n"

static void test_shapes(void **state)
{
    (void)state;
    /* OpenAI: data[].id, other members and nesting skipped, escapes decoded */
    expect(&llm_openai_chat,
           "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
           "29\r\n{\"object\": \"list\", \"meta\": {\"data\": [{\"id\r\n"
           "4d\r\n\": \"no\"}]}, \"data\": [\r\n {\"id\": \"gpt-4o\", \"object\": \"model\", \"owned_by\": \"s\"},\r\n"
           "52\r\n {\"object\": \"model\", \"id\": \"o3-\\u00e9\\\"x\\\"\", \"p\": [1, {\"id\": \"in\"}], \"n\": -1.5e3},\r\n"
           "1e\r\n {\"id\": \"tts-1\", \"b\": true}]}\n\r\n"
           "0\r\n\r\n",
           LLM_OK, "gpt-4o\no3-\xc3\xa9\"x\"\ntts-1\n", 0, "llm: models count=3");
    /* Anthropic: the same shape, with paging members after the list */
    expect(&llm_anthropic,
           OK_HEAD "{\"data\":[{\"type\":\"model\",\"id\":\"claude-sonnet-4-5\",\"display_name\":\"Claude Sonnet 4.5\","
           "\"created_at\":\"2025-09-29T00:00:00Z\"},{\"type\":\"model\",\"id\":\"claude-haiku-4-5\"}],"
           "\"has_more\":false,\"first_id\":\"claude-sonnet-4-5\",\"last_id\":\"claude-haiku-4-5\"}",
           LLM_OK, "claude-sonnet-4-5\nclaude-haiku-4-5\n", 0, NULL);
    /* Gemini: models[].name without "models/" */
    expect(&llm_gemini,
           OK_HEAD "{\n  \"models\": [\n    {\n      \"name\": \"models/gemini-2.0-flash\",\n"
           "      \"version\": \"2.0\",\n      \"supportedGenerationMethods\": [\"generateContent\", \"countTokens\"]\n"
           "    },\n    {\"name\": \"models/text-embedding-004\", \"inputTokenLimit\": 2048},\n"
           "    {\"name\": \"tunedModels/x\"}\n  ],\n  \"nextPageToken\": \"Ch5tb2RlbHM\"\n}\n",
           LLM_OK, "gemini-2.0-flash\ntext-embedding-004\ntunedModels/x\n", 0, NULL);
    /* Ollama: models[].name (model when there is no name) */
    expect(&llm_ollama,
           OK_HEAD "{\"models\":[{\"name\":\"llama3.2:latest\",\"model\":\"llama3.2:latest\",\"size\":2019393189,"
           "\"details\":{\"format\":\"gguf\",\"families\":[\"llama\"]}},{\"model\":\"qwen3:8b\"}]}",
           LLM_OK, "llama3.2:latest\nqwen3:8b\n", 0, NULL);
    /* an empty list is a list */
    expect(&llm_ollama, OK_HEAD "{\"models\":[]}", LLM_OK, "", 0, "llm: models count=0");
    /* elements without a usable id are skipped and counted: no id, a number,
       a control byte, "models/" alone, an id too long; not objects: ignored */
    static char resp[2048];
    char longid[LLM_MODEL_ID_MAX + 2];
    memset(longid, 'a', sizeof longid - 1);
    longid[sizeof longid - 1] = 0;
    snprintf(resp, sizeof resp,
             OK_HEAD "{\"data\":[{\"object\":\"model\"},{\"id\":7},{\"id\":\"a\\u001bb\"},{\"id\":\"%s\"},"
             "\"str\",3,[{\"id\":\"nested\"}],{\"id\":\"ok\"}]}", longid);
    expect(&llm_openai_chat, resp, LLM_OK, "ok\n", 4, NULL);
    expect(&llm_gemini, OK_HEAD "{\"models\":[{\"name\":\"models/\"},{\"name\":\"models/g\"}]}", LLM_OK,
           "g\n", 1, NULL);
}

/* An element larger than the buffer is skipped; the list goes on. */
static void test_big_element(void **state)
{
    (void)state;
    static char resp[LLM_MODELS_ELEM_MAX + 512];
    int n = snprintf(resp, sizeof resp, OK_HEAD "{\"data\":[{\"id\":\"big\",\"description\":\"");
    memset(resp + n, 'x', LLM_MODELS_ELEM_MAX);
    n += LLM_MODELS_ELEM_MAX;
    snprintf(resp + n, sizeof resp - (size_t)n, "\"},{\"id\":\"small\"}]}");
    size_t len = strlen(resp);
    static const size_t steps[] = {0, 1, 7, 4096};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        assert_int_equal(run(&llm_openai_chat, resp, len, steps[i]), LLM_OK);
        assert_string_equal(OUT.ids, "small\n");
        assert_int_equal(M.skipped, 1);
    }
}

static void test_errors(void **state)
{
    (void)state;
    expect(&llm_openai_chat,
           "HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: 106\r\n\r\n"
           "{\"error\":{\"message\":\"Incorrect API key provided\",\"type\":\"invalid_request_error\","
           "\"code\":\"invalid_api_key\"}}",
           LLM_ERR_API, "", 0, "llm: error status=401 message=Incorrect API key provided");
    expect(&llm_gemini,
           "HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\n\r\n"
           "[{\"error\":{\"code\":403,\"message\":\"API key not valid\",\"status\":\"PERMISSION_DENIED\"}}]",
           LLM_ERR_API, "", 0, "llm: error status=403 message=API key not valid");
    expect(&llm_ollama, "HTTP/1.1 500 Internal Server Error\r\n\r\n{\"error\":\"boom\"}", LLM_ERR_API, "",
           0, "llm: error status=500 message=boom");
    /* not JSON: the text, filtered, is the message */
    expect(&llm_anthropic, "HTTP/1.1 404 Not Found\r\nContent-Length: 13\r\n\r\nno \x1b[31mroute",
           LLM_ERR_API, "", 0, "llm: error status=404 message=no \\x1b[31mroute");
    expect(&llm_anthropic, "HTTP/1.1 429 Too Many\r\nContent-Length: 0\r\n\r\n", LLM_ERR_API, "", 0,
           "llm: error status=429 message=");
    /* an answer without the list */
    expect(&llm_openai_chat, OK_HEAD "{\"object\":\"list\",\"models\":[{\"id\":\"x\"}]}",
           LLM_ERR_NO_CONTENT, "", 0, "llm: error=llm_no_content status=200");
    expect(&llm_openai_chat, OK_HEAD "{\"data\":{\"id\":\"x\"}}", LLM_ERR_NO_CONTENT, "", 0, NULL);
    expect(&llm_openai_chat, OK_HEAD "{\"x\":{\"data\":[{\"id\":\"x\"}]}}", LLM_ERR_NO_CONTENT, "", 0, NULL);
    /* malformed documents: named errors; ids before the fault were handed over */
    expect(&llm_openai_chat, OK_HEAD "{\"data\":[{\"id\":\"a\"},{\"id\":\"b\"", LLM_ERR_BAD_JSON, "a\n", 0,
           "llm: error=json_unexpected_end");
    expect(&llm_openai_chat, OK_HEAD "", LLM_ERR_BAD_JSON, "", 0, "llm: error=json_empty");
    expect(&llm_openai_chat, OK_HEAD "[{\"id\":\"a\"}]", LLM_ERR_BAD_JSON, "", 0,
           "llm: error=json_wrong_type");
    expect(&llm_openai_chat, OK_HEAD "\"data\"", LLM_ERR_BAD_JSON, "", 0, "llm: error=json_wrong_type");
    expect(&llm_openai_chat, OK_HEAD "{\"data\":[{\"id\":\"a\"}]} x", LLM_ERR_BAD_JSON, "a\n", 0,
           "llm: error=json_trailing_data");
    expect(&llm_openai_chat, OK_HEAD "{\"data\":[{\"id\":\"a\"}}", LLM_ERR_BAD_JSON, "a\n", 0,
           "llm: error=json_unexpected_char");
    expect(&llm_openai_chat, OK_HEAD "{\"data\":[{\"id\":\"a\",}]}", LLM_ERR_BAD_JSON, "", 0, NULL);
    expect(&llm_openai_chat, OK_HEAD "{\"data\":[{\"id\":tru}]}", LLM_ERR_BAD_JSON, "", 0, NULL);
    expect(&llm_openai_chat, OK_HEAD "{\"data\":[{\"id\":\"\\ud800\"}]}", LLM_ERR_BAD_JSON, "", 0,
           "llm: error=json_lone_surrogate");
    expect(&llm_openai_chat, OK_HEAD "}", LLM_ERR_BAD_JSON, "", 0, NULL);
    static char deep[LLM_MODELS_DEPTH * 2 + 200];
    int n = snprintf(deep, sizeof deep, OK_HEAD "{\"x\":");
    for (int i = 0; i < LLM_MODELS_DEPTH; i++)
        deep[n++] = '[';
    deep[n] = 0;
    expect(&llm_openai_chat, deep, LLM_ERR_BAD_JSON, "", 0, "llm: error=json_too_deep");
    /* broken HTTP */
    expect(&llm_openai_chat, "HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n{\"data\":[]}", LLM_ERR_HTTP, "",
           0, "llm: error=http_truncated");
    static const struct llm_provider other = {.name = "other"};
    llm_models_init(&M, &other, on_model, NULL);
    assert_int_equal(M.err, LLM_ERR_BAD_ARGUMENT);
    assert_true(llm_models_done(&M));
}

/* The callback stops the list; the sink adapter and keep-alive. */
static void test_abort_sink(void **state)
{
    (void)state;
    const char *resp = "HTTP/1.1 200 OK\r\nContent-Length: 43\r\n\r\n"
                       "{\"data\":[{\"id\":\"a\"},{\"id\":\"b\"},{\"id\":\"c\"}]}"
                       "HTTP/1.1 200 OK\r\n";
    memset(&OUT, 0, sizeof OUT);
    OUT.stop_after = 2;
    llm_models_init(&M, &llm_openai_chat, on_model, NULL);
    assert_int_equal(llm_models_feed(&M, (const uint8_t *)resp, strlen(resp), NULL), LLM_ERR_ABORTED);
    assert_string_equal(OUT.ids, "a\nb\n");
    assert_true(llm_models_done(&M));
    assert_false(llm_models_keep_alive(&M));
    char m[100];
    llm_models_describe(&M, m, sizeof m);
    assert_string_equal(m, "llm: error=llm_aborted status=200");

    struct http_sink sink;
    llm_models_sink(&sink, &M);
    memset(&OUT, 0, sizeof OUT);
    llm_models_init(&M, &llm_openai_chat, on_model, NULL);
    size_t used;
    assert_int_equal(sink.feed(sink.ctx, (const uint8_t *)resp, strlen(resp), &used), 0);
    assert_int_equal(used, strlen(resp) - strlen("HTTP/1.1 200 OK\r\n")); /* the rest is the next one's */
    assert_true(sink.done(sink.ctx));
    assert_int_equal(sink.eof(sink.ctx), 0);
    assert_true(llm_models_keep_alive(&M));
    assert_string_equal(OUT.ids, "a\nb\nc\n");
    /* a close-delimited list ends at the eof */
    const char *cl = "HTTP/1.1 200 OK\r\n\r\n{\"data\":[{\"id\":\"z\"}]}";
    llm_models_init(&M, &llm_openai_chat, on_model, NULL);
    memset(&OUT, 0, sizeof OUT);
    assert_int_equal(sink.feed(sink.ctx, (const uint8_t *)cl, strlen(cl), &used), 0);
    assert_false(sink.done(sink.ctx));
    assert_int_equal(sink.eof(sink.ctx), (int)LLM_OK);
    assert_true(sink.done(sink.ctx));
    assert_false(llm_models_keep_alive(&M));
    assert_string_equal(OUT.ids, "z\n");
    llm_models_describe(&M, m, 0); /* nothing written, no crash */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_path),        cmocka_unit_test(test_request),
        cmocka_unit_test(test_shapes),      cmocka_unit_test(test_big_element),
        cmocka_unit_test(test_errors),      cmocka_unit_test(test_abort_sink),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
