/* The providers other than OpenAI chat completions (Responses, Anthropic,
   Gemini, Ollama): the request each builds (path, headers, JSON body), and
   handcrafted streams and bodies (keep-alive pings, comments, CRLF, data:
   without a space, an error event mid-stream, error bodies) fed whole and
   in every piece size, each giving the one-shot result. */
#include "unit.h"
#include "llm/llm.h"
#include "llm/provider.h"

static struct llm_resp R;

static struct llm_resp_bufs R_bufs;
static struct { char text[4096]; size_t len; } OUT;

static bool on_content(void *ctx, const char *s, size_t n)
{
    (void)ctx;
    assert_true(OUT.len + n < sizeof OUT.text);
    memcpy(OUT.text + OUT.len, s, n);
    OUT.len += n;
    OUT.text[OUT.len] = 0;
    return true;
}

static enum llm_err run(const struct llm_provider *p, const char *resp, size_t len, size_t step)
{
    memset(&OUT, 0, sizeof OUT);
    llm_resp_use_bufs(&R, &R_bufs);
    llm_resp_init(&R, p, on_content, NULL);
    for (size_t o = 0; o < len && !llm_resp_done(&R);) {
        size_t n = step && step < len - o ? step : len - o, c;
        enum llm_err e = llm_resp_feed(&R, (const uint8_t *)resp + o, n, &c);
        if (e)
            return e;
        o += c;
    }
    return llm_resp_eof(&R);
}

/* resp through p whole and in every piece size: err, text, finish reason,
   and (for LLM_ERR_API) the console line. */
static void expect(const struct llm_provider *p, const char *resp, enum llm_err err,
                   const char *text, const char *finish, const char *line)
{
    size_t len = strlen(resp);
    for (size_t step = 0; step <= len; step++) {
        enum llm_err e = run(p, resp, len, step);
        char m[400];
        llm_resp_describe(&R, m, sizeof m);
        if (e != err)
            fail_msg("%s step %zu: %s, want %s", p->name, step, m, llm_err_str(err));
        assert_string_equal(OUT.text, text);
        assert_string_equal(R.finish_reason, finish);
        if (line)
            assert_string_equal(m, line);
    }
}

#define SSE_HEAD "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n\r\n"
#define JSON_HEAD "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n"

static void test_anthropic(void **state)
{
    (void)state;
    expect(&llm_anthropic,
           SSE_HEAD
           "event: message_start\r\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"content\":[]}}\r\n\r\n"
           "event: ping\r\ndata: {\"type\": \"ping\"}\r\n\r\n"
           "event: content_block_start\ndata:{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\"}}\n\n"
           "event: content_block_delta\ndata:{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"hmm\"}}\n\n"
           "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hel\"}}\n\n"
           ": keep-alive\n\n"
           "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"text_delta\",\"text\":\"lo \\u00e9\"}}   \n\n"
           "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\"}}\n\n"
           "event: future_event\ndata: {\"type\":\"future_event\"}\n\n"
           "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":3}}\n\n"
           "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
           LLM_OK, "Hello \xc3\xa9", "end_turn", NULL);
    /* overloaded mid-stream */
    expect(&llm_anthropic,
           SSE_HEAD
           "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"par\"}}\n\n"
           "event: error\ndata: {\"type\": \"error\", \"error\": {\"type\": \"overloaded_error\", \"message\": \"Overloaded\"}}\n\n",
           LLM_ERR_API, "par", "", "llm: error status=200 message=Overloaded");
    /* cut before message_stop */
    expect(&llm_anthropic,
           SSE_HEAD "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"x\"}}\n\n",
           LLM_ERR_STREAM_INCOMPLETE, "x", "", NULL);
    /* body: text blocks only, stop_reason */
    expect(&llm_anthropic,
           JSON_HEAD "{\"id\":\"m\",\"type\":\"message\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"t\"},"
           "{\"type\":\"text\",\"text\":\"A\\n\"},{\"type\":\"tool_use\",\"id\":\"x\",\"input\":{}},"
           "{\"type\":\"text\",\"text\":\"B\"}],\"stop_reason\":\"max_tokens\"}",
           LLM_OK, "A\nB", "max_tokens", NULL);
    expect(&llm_anthropic, JSON_HEAD "{\"content\":[{\"type\":\"tool_use\",\"id\":\"x\",\"input\":{}}],\"stop_reason\":\"tool_use\"}",
           LLM_ERR_NO_CONTENT, "", "tool_use", NULL);
    expect(&llm_anthropic,
           "HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\n\r\n"
           "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key\"}}",
           LLM_ERR_API, "", "", "llm: error status=401 message=invalid x-api-key");
}

static void test_responses(void **state)
{
    (void)state;
    expect(&llm_openai_responses,
           SSE_HEAD
           "event: response.created\r\ndata: {\"type\":\"response.created\",\"response\":{\"status\":\"in_progress\",\"error\":null}}\r\n\r\n"
           ": OPENROUTER PROCESSING\r\n\r\n"
           "event: response.reasoning_text.delta\ndata:{\"type\":\"response.reasoning_text.delta\",\"delta\":\"think\"}\n\n"
           "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"delta\":\"Hi\"}\n\n"
           "data: {\"type\":\"response.output_text.delta\",\"delta\":\" there\"}\n\n"
           "event: response.output_text.done\ndata: {\"type\":\"response.output_text.done\",\"text\":\"Hi there\"}\n\n"
           "event: response.incomplete\ndata: {\"type\":\"response.incomplete\",\"response\":{\"status\":\"incomplete\","
           "\"incomplete_details\":{\"reason\":\"max_output_tokens\"},\"error\":null}}\n\n",
           LLM_OK, "Hi there", "incomplete:max_output_tokens", NULL);
    expect(&llm_openai_responses,
           SSE_HEAD
           "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"delta\":\"a\"}\n\n"
           "event: error\ndata: {\"type\":\"error\",\"code\":\"server_error\",\"message\":\"The server had an error\",\"param\":null}\n\n",
           LLM_ERR_API, "a", "", "llm: error status=200 message=The server had an error");
    expect(&llm_openai_responses,
           SSE_HEAD
           "event: response.failed\ndata: {\"type\":\"response.failed\",\"response\":{\"status\":\"failed\","
           "\"error\":{\"code\":\"server_error\",\"message\":\"boom\"}}}\n\n",
           LLM_ERR_API, "", "failed", "llm: error status=200 message=boom");
    expect(&llm_openai_responses,
           SSE_HEAD "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"delta\":\"a\"}\n\n",
           LLM_ERR_STREAM_INCOMPLETE, "a", "", NULL);
    expect(&llm_openai_responses,
           JSON_HEAD "{\"status\":\"completed\",\"error\":null,\"output\":[{\"type\":\"reasoning\",\"summary\":[]},"
           "{\"type\":\"message\",\"content\":[{\"type\":\"output_text\",\"text\":\"4\",\"annotations\":[]}]}]}",
           LLM_OK, "4", "completed", NULL);
    expect(&llm_openai_responses,
           "HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\n\r\n"
           "{\"error\":{\"message\":\"Incorrect API key\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}",
           LLM_ERR_API, "", "", "llm: error status=401 message=Incorrect API key");
}

static void test_gemini(void **state)
{
    (void)state;
    /* CRLF, data: without a space, a thought part, finishReason ends it */
    expect(&llm_gemini,
           "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n"
           "data:{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"plan\",\"thought\":true},{\"text\":\"Hel\"}],\"role\":\"model\"},\"index\":0}]}\r\n\r\n"
           ": ping\r\n\r\n"
           "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"lo\"}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],"
           "\"usageMetadata\":{\"totalTokenCount\":5}}\r\n\r\n"
           "data: {\"usageMetadata\":{\"totalTokenCount\":5}}\r\n\r\n",
           LLM_OK, "Hello", "STOP", NULL);
    expect(&llm_gemini,
           SSE_HEAD "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"x\"}]}}]}\n\n"
           "data: {\"error\":{\"code\":503,\"message\":\"The model is overloaded.\",\"status\":\"UNAVAILABLE\"}}\n\n",
           LLM_ERR_API, "x", "", "llm: error status=200 message=The model is overloaded.");
    expect(&llm_gemini, SSE_HEAD "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"x\"}]}}]}\n\n",
           LLM_ERR_STREAM_INCOMPLETE, "x", "", NULL);
    /* a JSON-array answer with enums as ints */
    expect(&llm_gemini,
           JSON_HEAD "[{\r\n  \"candidates\": [{\"content\": {\"parts\": [{\"text\": \"a\"}]}}]\r\n},\r\n"
           "{\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"b\"}]}, \"finishReason\": 1}]}]",
           LLM_OK, "ab", "1", NULL);
    expect(&llm_gemini, JSON_HEAD "{\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"name\":\"f\"}}]},\"finishReason\":\"STOP\"}]}",
           LLM_ERR_NO_CONTENT, "", "STOP", NULL);
    expect(&llm_gemini,
           "HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\n\r\n"
           "[{\"error\":{\"code\":429,\"message\":\"Quota exceeded\",\"status\":\"RESOURCE_EXHAUSTED\"}}]",
           LLM_ERR_API, "", "", "llm: error status=429 message=Quota exceeded");
}

static void test_ollama(void **state)
{
    (void)state;
    expect(&llm_ollama,
           "HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\n\r\n"
           "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"Hel\"},\"done\":false}\r\n"
           "\r\n"
           "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"lo\\n\"},\"done\":false}\n"
           "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done_reason\":\"length\",\"done\":true,\"eval_count\":3}",
           LLM_OK, "Hello\n", "length", NULL);
    expect(&llm_ollama,
           "HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\n\r\n"
           "{\"message\":{\"content\":\"a\"},\"done\":false}\n{\"error\":\"model runner crashed\"}\n",
           LLM_ERR_API, "a", "", "llm: error status=200 message=model runner crashed");
    expect(&llm_ollama,
           "HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\n\r\n{\"message\":{\"content\":\"a\"},\"done\":false}\n",
           LLM_ERR_STREAM_INCOMPLETE, "a", "", NULL);
    expect(&llm_ollama,
           "HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\n\r\n{\"message\":{\"content\":\"a\"},\"done\":fals}\n",
           LLM_ERR_BAD_JSON, "", "", NULL);
    expect(&llm_ollama,
           JSON_HEAD "{\"message\":{\"role\":\"assistant\",\"content\":\"4\"},\"done\":true,\"done_reason\":\"stop\"}",
           LLM_OK, "4", "stop", NULL);
    expect(&llm_ollama,
           "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\n\r\n{\"error\":\"model 'x' not found\"}",
           LLM_ERR_API, "", "", "llm: error status=404 message=model 'x' not found");
}

/* resp through p whole and in every piece size: err, and the usage it
   reports (-1: none). */
static void expect_usage(const struct llm_provider *p, const char *resp, enum llm_err err,
                         int64_t in, int64_t out)
{
    size_t len = strlen(resp);
    for (size_t step = 0; step <= len; step++) {
        enum llm_err e = run(p, resp, len, step);
        if (e != err)
            fail_msg("%s step %zu: %s, want %s", p->name, step, llm_err_str(e), llm_err_str(err));
        if (R.in_tokens != in || R.out_tokens != out)
            fail_msg("%s step %zu: usage %lld/%lld, want %lld/%lld", p->name, step,
                     (long long)R.in_tokens, (long long)R.out_tokens, (long long)in, (long long)out);
    }
}

/* Usage as each provider reports it, streamed and not, in every piece
   size; none reported stays -1. */
static void test_usage(void **state)
{
    (void)state;
    /* OpenAI chat: the include_usage chunk with empty choices, after the
       finish reason, does not disturb choice 0 */
    expect_usage(&llm_openai_chat,
                 SSE_HEAD
                 "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}],\"usage\":null}\n\n"
                 "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":null}\n\n"
                 "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3,\"total_tokens\":15,"
                 "\"prompt_tokens_details\":{\"cached_tokens\":0}}}\n\n"
                 "data: [DONE]\n\n",
                 LLM_OK, 12, 3);
    assert_string_equal(OUT.text, "Hi");
    assert_string_equal(R.finish_reason, "stop");
    /* a usage-only chunk alone still ends with [DONE]; the text is empty */
    expect_usage(&llm_openai_chat,
                 SSE_HEAD "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":0}}\n\n"
                 "data: [DONE]\n\n",
                 LLM_OK, 1, 0);
    /* DeepSeek-style: usage on the finishing chunk */
    expect_usage(&llm_openai_chat,
                 SSE_HEAD "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"},\"finish_reason\":\"stop\"}],"
                 "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":1}}\n\n",
                 LLM_OK, 9, 1);
    /* Groq's own place for it */
    expect_usage(&llm_openai_chat,
                 SSE_HEAD "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"},\"finish_reason\":\"stop\"}],"
                 "\"x_groq\":{\"id\":\"r\",\"usage\":{\"queue_time\":0.05,\"prompt_tokens\":573,\"completion_tokens\":1509}}}\n\n"
                 "data: [DONE]\n\n",
                 LLM_OK, 573, 1509);
    /* not asked for: unknown */
    expect_usage(&llm_openai_chat,
                 SSE_HEAD "data: {\"choices\":[{\"delta\":{\"content\":\"x\"},\"finish_reason\":\"stop\"}]}\n\n",
                 LLM_OK, -1, -1);
    expect_usage(&llm_openai_chat,
                 JSON_HEAD "{\"choices\":[{\"index\":0,\"message\":{\"content\":\"4\"},\"finish_reason\":\"stop\"}],"
                 "\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":1,\"total_tokens\":21}}",
                 LLM_OK, 20, 1);
    /* bad counts are ignored: negative, fractional, strings */
    expect_usage(&llm_openai_chat,
                 JSON_HEAD "{\"choices\":[{\"message\":{\"content\":\"4\"}}],"
                 "\"usage\":{\"prompt_tokens\":-2,\"completion_tokens\":1.5}}",
                 LLM_OK, -1, -1);
    expect_usage(&llm_openai_chat,
                 JSON_HEAD "{\"choices\":[{\"message\":{\"content\":\"4\"}}],\"usage\":{\"prompt_tokens\":\"7\"}}",
                 LLM_OK, -1, -1);

    /* Responses: response.completed's response.usage; the body's usage */
    expect_usage(&llm_openai_responses,
                 SSE_HEAD
                 "event: response.created\ndata: {\"type\":\"response.created\",\"response\":{\"status\":\"in_progress\",\"usage\":null}}\n\n"
                 "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"delta\":\"Hi\"}\n\n"
                 "event: response.completed\ndata: {\"type\":\"response.completed\",\"response\":{\"status\":\"completed\","
                 "\"usage\":{\"input_tokens\":36,\"input_tokens_details\":{\"cached_tokens\":0},\"output_tokens\":87,"
                 "\"total_tokens\":123}}}\n\n",
                 LLM_OK, 36, 87);
    expect_usage(&llm_openai_responses,
                 JSON_HEAD "{\"status\":\"completed\",\"output\":[{\"type\":\"message\",\"content\":"
                 "[{\"type\":\"output_text\",\"text\":\"4\"}]}],\"usage\":{\"input_tokens\":5,\"output_tokens\":2}}",
                 LLM_OK, 5, 2);

    /* Anthropic: message_start's input, message_delta's output (the last wins) */
    expect_usage(&llm_anthropic,
                 SSE_HEAD
                 "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"content\":[],"
                 "\"usage\":{\"input_tokens\":25,\"output_tokens\":1}}}\n\n"
                 "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
                 "{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\n"
                 "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},"
                 "\"usage\":{\"output_tokens\":15}}\n\n"
                 "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
                 LLM_OK, 25, 15);
    /* cache reads and writes count as input */
    expect_usage(&llm_anthropic,
                 JSON_HEAD "{\"content\":[{\"type\":\"text\",\"text\":\"A\"}],\"stop_reason\":\"end_turn\","
                 "\"usage\":{\"input_tokens\":4,\"cache_creation_input_tokens\":100,\"cache_read_input_tokens\":2000,"
                 "\"output_tokens\":6}}",
                 LLM_OK, 2104, 6);
    expect_usage(&llm_anthropic,
                 JSON_HEAD "{\"content\":[{\"type\":\"text\",\"text\":\"A\"}],\"usage\":{\"input_tokens\":4,"
                 "\"cache_creation_input_tokens\":null,\"output_tokens\":6}}",
                 LLM_OK, 4, 6);

    /* Gemini: usageMetadata on several chunks, the last wins */
    expect_usage(&llm_gemini,
                 SSE_HEAD
                 "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"He\"}]}}],"
                 "\"usageMetadata\":{\"promptTokenCount\":8,\"totalTokenCount\":8}}\r\n\r\n"
                 "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"llo\"}]},\"finishReason\":\"STOP\"}],"
                 "\"usageMetadata\":{\"promptTokenCount\":8,\"candidatesTokenCount\":2,\"totalTokenCount\":10}}\r\n\r\n"
                 "data: {\"usageMetadata\":{\"promptTokenCount\":9,\"candidatesTokenCount\":3}}\r\n\r\n",
                 LLM_OK, 9, 3);
    expect_usage(&llm_gemini,
                 JSON_HEAD "[{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"a\"}]}}],"
                 "\"usageMetadata\":{\"promptTokenCount\":3,\"candidatesTokenCount\":1}},"
                 "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"b\"}]},\"finishReason\":\"STOP\"}],"
                 "\"usageMetadata\":{\"promptTokenCount\":3,\"candidatesTokenCount\":2}}]",
                 LLM_OK, 3, 2);

    /* Ollama: the done line's counts; the body's */
    expect_usage(&llm_ollama,
                 "HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\n\r\n"
                 "{\"message\":{\"content\":\"Hi\"},\"done\":false}\n"
                 "{\"message\":{\"content\":\"\"},\"done\":true,\"done_reason\":\"stop\",\"total_duration\":5,"
                 "\"prompt_eval_count\":26,\"eval_count\":290}\n",
                 LLM_OK, 26, 290);
    expect_usage(&llm_ollama,
                 JSON_HEAD "{\"message\":{\"content\":\"4\"},\"done\":true,\"eval_count\":2}",
                 LLM_OK, -1, 2);
    /* an error answer reports none */
    expect_usage(&llm_ollama,
                 "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\n\r\n{\"error\":\"no\"}",
                 LLM_ERR_API, -1, -1);
}

/* The requests: path, the provider's header fields, the JSON body. */
static void test_requests(void **state)
{
    (void)state;
    static char buf[4096];
    size_t n;
    static const struct llm_message hist[] = {{.role = LLM_ROLE_USER, .content = "2+2?"},
                                              {.role = LLM_ROLE_ASSISTANT, .content = "4"}};
    struct llm_request q = {.host = "h", .port = 443, .path = "/v1/messages", .model = "m",
                            .key = "k1", .system = "s", .history = hist, .history_len = 2,
                            .prompt = "p", .stream = true};
    assert_int_equal(llm_build_request(&llm_anthropic, &q, buf, sizeof buf, &n), LLM_OK);
    buf[n] = 0;
    assert_non_null(strstr(buf, "POST /v1/messages HTTP/1.1\r\n"));
    assert_non_null(strstr(buf, "\r\nx-api-key: k1\r\nanthropic-version: 2023-06-01\r\n"));
    assert_null(strstr(buf, "Authorization"));
    assert_non_null(strstr(buf, "\r\n\r\n{\"model\":\"m\",\"max_tokens\":1024,\"system\":\"s\",\"messages\":"
                                "[{\"role\":\"user\",\"content\":\"2+2?\"},{\"role\":\"assistant\",\"content\":\"4\"},"
                                "{\"role\":\"user\",\"content\":\"p\"}],\"stream\":true}"));
    q.key = NULL;
    q.max_tokens = 50;
    assert_int_equal(llm_build_request(&llm_anthropic, &q, buf, sizeof buf, &n), LLM_OK);
    buf[n] = 0;
    assert_null(strstr(buf, "x-api-key"));
    assert_non_null(strstr(buf, "\"max_tokens\":50,"));

    q.key = "g1";
    q.path = "/v1beta/models/m:streamGenerateContent?alt=sse";
    q.max_tokens = 0;
    assert_int_equal(llm_build_request(&llm_gemini, &q, buf, sizeof buf, &n), LLM_OK);
    buf[n] = 0;
    assert_non_null(strstr(buf, "POST /v1beta/models/m:streamGenerateContent?alt=sse HTTP/1.1\r\n"));
    assert_non_null(strstr(buf, "\r\nx-goog-api-key: g1\r\n"));
    assert_non_null(strstr(buf, "\r\n\r\n{\"systemInstruction\":{\"parts\":[{\"text\":\"s\"}]},\"contents\":"
                                "[{\"role\":\"user\",\"parts\":[{\"text\":\"2+2?\"}]},"
                                "{\"role\":\"model\",\"parts\":[{\"text\":\"4\"}]},"
                                "{\"role\":\"user\",\"parts\":[{\"text\":\"p\"}]}]}"));

    q.path = "/v1/responses";
    assert_int_equal(llm_build_request(&llm_openai_responses, &q, buf, sizeof buf, &n), LLM_OK);
    buf[n] = 0;
    assert_non_null(strstr(buf, "\r\nAuthorization: Bearer g1\r\n"));
    assert_non_null(strstr(buf, "\r\n\r\n{\"model\":\"m\",\"instructions\":\"s\",\"input\":"
                                "[{\"role\":\"user\",\"content\":\"2+2?\"},{\"role\":\"assistant\",\"content\":\"4\"},"
                                "{\"role\":\"user\",\"content\":\"p\"}],\"stream\":true}"));

    q.path = "/api/chat";
    q.key = NULL;
    q.stream = false;
    q.max_tokens = 7;
    assert_int_equal(llm_build_request(&llm_ollama, &q, buf, sizeof buf, &n), LLM_OK);
    buf[n] = 0;
    assert_non_null(strstr(buf, "\r\nAccept: application/json\r\n"));
    assert_non_null(strstr(buf, "\r\n\r\n{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":\"s\"},"
                                "{\"role\":\"user\",\"content\":\"2+2?\"},{\"role\":\"assistant\",\"content\":\"4\"},"
                                "{\"role\":\"user\",\"content\":\"p\"}],\"stream\":false,\"options\":{\"num_predict\":7}}"));

    /* a system turn in the history has no place in Anthropic's or Gemini's list */
    static const struct llm_message sys[] = {{.role = LLM_ROLE_SYSTEM, .content = "x"}};
    q.history = sys;
    q.history_len = 1;
    assert_int_equal(llm_build_request(&llm_anthropic, &q, buf, sizeof buf, &n), LLM_ERR_BAD_ARGUMENT);
    assert_int_equal(llm_build_request(&llm_gemini, &q, buf, sizeof buf, &n), LLM_ERR_BAD_ARGUMENT);
    /* small buffers fail cleanly for every provider */
    const struct llm_provider *ps[] = {&llm_openai_responses, &llm_anthropic, &llm_gemini, &llm_ollama};
    q.history_len = 0;
    for (size_t i = 0; i < 4; i++)
        for (size_t cap = 0; cap < 120; cap += 5)
            assert_int_equal(llm_build_request(ps[i], &q, buf, cap, &n), LLM_ERR_REQUEST_TOO_LARGE);
}

static void test_lookup(void **state)
{
    (void)state;
    assert_ptr_equal(llm_provider_by_name("openai"), &llm_openai_chat);
    assert_ptr_equal(llm_provider_by_name("responses"), &llm_openai_responses);
    assert_ptr_equal(llm_provider_by_name("anthropic"), &llm_anthropic);
    assert_ptr_equal(llm_provider_by_name("gemini"), &llm_gemini);
    assert_ptr_equal(llm_provider_by_name("ollama"), &llm_ollama);
    assert_null(llm_provider_by_name("bard"));
    assert_ptr_equal(llm_provider_from_path("/v1/chat/completions"), &llm_openai_chat);
    assert_ptr_equal(llm_provider_from_path("/openai/deployments/x/chat/completions?api-version=1"), &llm_openai_chat);
    assert_ptr_equal(llm_provider_from_path("/v1/responses"), &llm_openai_responses);
    assert_ptr_equal(llm_provider_from_path("/v1/messages"), &llm_anthropic);
    assert_ptr_equal(llm_provider_from_path("/v1beta/models/g:streamGenerateContent?alt=sse"), &llm_gemini);
    assert_ptr_equal(llm_provider_from_path("/v1beta/models/g:generateContent"), &llm_gemini);
    assert_ptr_equal(llm_provider_from_path("/api/chat"), &llm_ollama);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_anthropic), cmocka_unit_test(test_responses),
        cmocka_unit_test(test_gemini),    cmocka_unit_test(test_ollama),
        cmocka_unit_test(test_requests),  cmocka_unit_test(test_lookup),
        cmocka_unit_test(test_usage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
