/* LLM client logic: the request it builds (parsed back, and byte for byte
   for fixed inputs), streamed and non-streamed answers fed in pieces of any
   size, API errors and broken responses with their messages, and the
   response driver with a provider other than OpenAI's. */
#include "unit.h"
#include "llm/llm.h"
#include "llm/provider.h"

static struct llm_resp R;

static struct llm_resp_bufs R_bufs;
static struct { char text[70000]; size_t len; int pieces; int stop_after; } OUT;

static bool on_content(void *ctx, const char *s, size_t n)
{
    (void)ctx;
    assert_true(OUT.len + n < sizeof OUT.text);
    memcpy(OUT.text + OUT.len, s, n);
    OUT.len += n;
    OUT.text[OUT.len] = 0;
    OUT.pieces++;
    return !(OUT.stop_after && OUT.pieces >= OUT.stop_after);
}

static enum llm_err run(const char *resp, size_t len, size_t step, bool eof)
{
    memset(&OUT, 0, sizeof OUT);
    llm_resp_use_bufs(&R, &R_bufs);
    llm_resp_init(&R, &llm_openai_chat, on_content, NULL);
    enum llm_err e = LLM_OK;
    for (size_t o = 0; o < len && !llm_resp_done(&R);) {
        size_t n = step && step < len - o ? step : len - o, c;
        e = llm_resp_feed(&R, (const uint8_t *)resp + o, n, &c);
        if (e)
            return e;
        o += c;
    }
    if (eof)
        e = llm_resp_eof(&R);
    return e;
}

static void test_request(void **state)
{
    (void)state;
    static char buf[4096];
    size_t n;
    struct llm_request q = {.host = "10.0.2.2", .port = 8443, .path = "/v1/chat/completions",
                            .model = "demo", .key = "sk-test", .prompt = "Say \"hi\"\n\tplease \xc3\xa9",
                            .stream = true, .keep_alive = false};
    assert_int_equal(llm_build_request(&llm_openai_chat, &q, buf, sizeof buf, &n), LLM_OK);
    buf[n] = 0;
    char *body = strstr(buf, "\r\n\r\n");
    assert_non_null(body);
    body += 4;
    assert_true(strncmp(buf, "POST /v1/chat/completions HTTP/1.1\r\nHost: 10.0.2.2:8443\r\n", 57) == 0);
    assert_non_null(strstr(buf, "\r\nAuthorization: Bearer sk-test\r\n"));
    assert_non_null(strstr(buf, "\r\nContent-Type: application/json\r\n"));
    assert_non_null(strstr(buf, "\r\nAccept: text/event-stream\r\n"));
    assert_non_null(strstr(buf, "\r\nConnection: close\r\n"));
    char cl[64];
    snprintf(cl, sizeof cl, "\r\nContent-Length: %zu\r\n", strlen(body));
    assert_non_null(strstr(buf, cl));
    static struct json_tok t[64];
    struct json_doc d;
    assert_int_equal(json_parse(&d, body, strlen(body), t, 64, NULL), JSON_OK);
    char s[128];
    size_t sl;
    assert_int_equal(json_str_decode(&d, json_path(&d, 0, "model", NULL), s, sizeof s, &sl), JSON_OK);
    assert_string_equal(s, "demo");
    assert_int_equal(json_str_decode(&d, json_path(&d, 0, "messages[0].role", NULL), s, sizeof s, &sl), JSON_OK);
    assert_string_equal(s, "user");
    assert_int_equal(json_str_decode(&d, json_path(&d, 0, "messages[0].content", NULL), s, sizeof s, &sl), JSON_OK);
    assert_string_equal(s, q.prompt);
    assert_int_equal(d.tok[json_path(&d, 0, "stream", NULL)].type, JSON_TRUE);

    /* no key: no Authorization; stream false; system message first */
    q.key = NULL;
    q.stream = false;
    q.system = "be brief";
    q.port = 443;
    assert_int_equal(llm_build_request(&llm_openai_chat, &q, buf, sizeof buf, &n), LLM_OK);
    buf[n] = 0;
    assert_null(strstr(buf, "Authorization"));
    assert_non_null(strstr(buf, "Host: 10.0.2.2\r\n"));
    assert_non_null(strstr(buf, "\"stream\":false"));
    assert_non_null(strstr(buf, "\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},{\"role\":\"user\""));

    /* too small buffers at every size fail cleanly */
    for (size_t cap = 0; cap < n; cap += 7)
        assert_int_equal(llm_build_request(&llm_openai_chat, &q, buf, cap, &n), LLM_ERR_REQUEST_TOO_LARGE);
    q.prompt = "bad \xff utf8";
    assert_int_equal(llm_build_request(&llm_openai_chat, &q, buf, sizeof buf, &n), LLM_ERR_BAD_ARGUMENT);
    q.prompt = "x";
    q.key = "k\r\nX: y";
    assert_int_equal(llm_build_request(&llm_openai_chat, &q, buf, sizeof buf, &n), LLM_ERR_BAD_ARGUMENT);
    q.key = NULL;
    q.model = NULL;
    assert_int_equal(llm_build_request(&llm_openai_chat, &q, buf, sizeof buf, &n), LLM_ERR_BAD_ARGUMENT);
}

/* The exact bytes on the wire for fixed inputs (recorded from the client
   before the provider seam existed: they must never change by accident). */
static void test_request_exact(void **state)
{
    (void)state;
    static char buf[4096];
    size_t n;
    struct llm_request q = {.host = "api.example.com", .port = 8443, .path = "/v1/chat/completions",
                            .model = "gpt-test", .key = "sk-123", .system = "Be \"brief\".",
                            .prompt = "Hello,\n\twide w\xc3\xb6rld \x01", .stream = true,
                            .keep_alive = true};
    static const char want1[] =
        "POST /v1/chat/completions HTTP/1.1\r\n"
        "Host: api.example.com:8443\r\n"
        "User-Agent: os-llm/1.0\r\n"
        "Accept: text/event-stream\r\n"
        "Authorization: Bearer sk-123\r\n"
        "Content-Type: application/json\r\n"
        "Content-Length: 148\r\n"
        "Connection: keep-alive\r\n"
        "\r\n"
        "{\"model\":\"gpt-test\",\"messages\":[{\"role\":\"system\",\"content\":\"Be \\\"brief\\\".\"},"
        "{\"role\":\"user\",\"content\":\"Hello,\\n\\twide w\xc3\xb6rld \\u0001\"}],\"stream\":true}";
    assert_int_equal(llm_build_request(&llm_openai_chat, &q, buf, sizeof buf, &n), LLM_OK);
    assert_int_equal(n, sizeof want1 - 1);
    assert_memory_equal(buf, want1, n);

    q.port = 443;
    q.key = "";
    q.system = NULL;
    q.stream = false;
    q.keep_alive = false;
    q.user_agent = "ua/2";
    static const char want2[] =
        "POST /v1/chat/completions HTTP/1.1\r\n"
        "Host: api.example.com\r\n"
        "User-Agent: ua/2\r\n"
        "Accept: application/json\r\n"
        "Content-Type: application/json\r\n"
        "Content-Length: 105\r\n"
        "Connection: close\r\n"
        "\r\n"
        "{\"model\":\"gpt-test\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello,\\n\\twide w\xc3\xb6rld "
        "\\u0001\"}],\"stream\":false}";
    assert_int_equal(llm_build_request(&llm_openai_chat, &q, buf, sizeof buf, &n), LLM_OK);
    assert_int_equal(n, sizeof want2 - 1);
    assert_memory_equal(buf, want2, n);

    /* earlier turns go between the system message and the prompt */
    static const struct llm_message hist[] = {{.role = LLM_ROLE_USER, .content = "2+2?"},
                                              {.role = LLM_ROLE_ASSISTANT, .content = "4"}};
    q.system = "s";
    q.history = hist;
    q.history_len = 2;
    q.prompt = "and 3+3?";
    static const char want3[] =
        "POST /v1/chat/completions HTTP/1.1\r\n"
        "Host: api.example.com\r\n"
        "User-Agent: ua/2\r\n"
        "Accept: application/json\r\n"
        "Content-Type: application/json\r\n"
        "Content-Length: 185\r\n"
        "Connection: close\r\n"
        "\r\n"
        "{\"model\":\"gpt-test\",\"messages\":[{\"role\":\"system\",\"content\":\"s\"},"
        "{\"role\":\"user\",\"content\":\"2+2?\"},{\"role\":\"assistant\",\"content\":\"4\"},"
        "{\"role\":\"user\",\"content\":\"and 3+3?\"}],\"stream\":false}";
    assert_int_equal(llm_build_request(&llm_openai_chat, &q, buf, sizeof buf, &n), LLM_OK);
    assert_int_equal(n, sizeof want3 - 1);
    assert_memory_equal(buf, want3, n);
    static const struct llm_message bad[] = {{.role = LLM_ROLE_USER, .content = NULL}};
    q.history = bad;
    q.history_len = 1;
    assert_int_equal(llm_build_request(&llm_openai_chat, &q, buf, sizeof buf, &n),
                     LLM_ERR_BAD_ARGUMENT);
    assert_string_equal(llm_role_str(LLM_ROLE_ASSISTANT), "assistant");
}

static const char STREAM[] =
    "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n"
    "Transfer-Encoding: chunked\r\n\r\n"
    "3e\r\ndata: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"}}]}\n\n\r\n"
    "3d\r\ndata: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello\"}}]}\n\n\r\n"
    "53\r\n: comment\r\ndata: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\", w\\u00f6rld\\n\"}}]}\r\n\r\n\r\n"
    "5e\r\ndata: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"!\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n\r\n"
    "0\r\n\r\n";

static void test_stream(void **state)
{
    (void)state;
    static const size_t steps[] = {0, 1, 2, 3, 13, 100};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        enum llm_err e = run(STREAM, strlen(STREAM), steps[i], false);
        if (e) {
            char m[300];
            llm_resp_describe(&R, m, sizeof m);
            fail_msg("step %zu: %s", steps[i], m);
        }
        assert_true(llm_resp_done(&R));
        assert_true(R.streaming);
        assert_true(R.done_marker);
        assert_string_equal(OUT.text, "Hello, w\xc3\xb6rld\n!");
        assert_int_equal(OUT.pieces, 3);
        assert_int_equal(R.pieces, 3);
        assert_string_equal(R.finish_reason, "stop");
        char m[300];
        llm_resp_describe(&R, m, sizeof m);
        assert_string_equal(m, "llm: ok status=200 bytes=15 pieces=3");
    }
    /* abort after the first piece */
    memset(&OUT, 0, sizeof OUT);
    OUT.stop_after = 1;
    llm_resp_use_bufs(&R, &R_bufs);
    llm_resp_init(&R, &llm_openai_chat, on_content, NULL);
    assert_int_equal(llm_resp_feed(&R, (const uint8_t *)STREAM, strlen(STREAM), NULL), LLM_ERR_ABORTED);
    assert_int_equal(OUT.pieces, 1);
}

/* Every piece size from 1 byte to the whole response gives the one-shot
   result: the same content, pieces, finish reason and end marker. */
static void test_every_piece_size(void **state)
{
    (void)state;
    static char whole[256];
    static const char *const resps[] = {STREAM,
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n"
        "data: {\"choices\":[{\"delta\":{\"content\":\"a\\u00e9\"}}]}\r\r"
        "data: {\"choices\":[{\"delta\":{\"content\":\"\\ud83d\\ude00\"},\"finish_reason\":\"length\"}]}\r\n\r\n"};
    for (size_t k = 0; k < sizeof resps / sizeof resps[0]; k++) {
        const char *resp = resps[k];
        size_t len = strlen(resp);
        assert_int_equal(run(resp, len, 0, true), LLM_OK);
        assert_true(OUT.len > 0 && OUT.len < sizeof whole);
        memcpy(whole, OUT.text, OUT.len + 1);
        int pieces = OUT.pieces;
        char finish[32];
        memcpy(finish, R.finish_reason, sizeof finish);
        assert_true(finish[0]);
        bool marker = R.done_marker;
        for (size_t step = 1; step <= len; step++) {
            enum llm_err e = run(resp, len, step, true);
            if (e)
                fail_msg("response %zu step %zu: %s", k, step, llm_err_str(e));
            assert_string_equal(OUT.text, whole);
            assert_int_equal(OUT.pieces, pieces);
            assert_string_equal(R.finish_reason, finish);
            assert_int_equal(R.done_marker, marker);
        }
    }
}

/* Small buffers (the mem=small profile): a long answer of many events
   passes through them whole; an event or a body larger than they hold
   fails with its named error; no buffers at all is refused. */
static void test_small_bufs(void **state)
{
    (void)state;
    static struct json_tok toks[64];
    static char piece[512], body[1024], line[1024], data[1024];
    const struct llm_resp_mem m = {.toks = toks, .ntoks = 64, .piece = piece,
                                   .piece_cap = sizeof piece, .body = body,
                                   .body_cap = sizeof body, .sse_line = line,
                                   .sse_line_cap = sizeof line, .sse_data = data,
                                   .sse_data_cap = sizeof data};
    static char resp[40000];
    size_t n = (size_t)snprintf(resp, sizeof resp,
                                "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n");
    for (int i = 0; i < 300; i++)
        n += (size_t)snprintf(resp + n, sizeof resp - n,
                              "data: {\"choices\":[{\"delta\":{\"content\":\"w%03d \"}}]}\n\n", i);
    n += (size_t)snprintf(resp + n, sizeof resp - n,
                          "data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
                          "data: [DONE]\n\n");
    memset(&OUT, 0, sizeof OUT);
    llm_resp_set_bufs(&R, &m);
    llm_resp_init(&R, &llm_openai_chat, on_content, NULL);
    assert_int_equal(llm_resp_feed(&R, (const uint8_t *)resp, n, NULL), LLM_OK);
    assert_int_equal(llm_resp_eof(&R), LLM_OK);
    assert_int_equal(OUT.len, 300 * 5);
    assert_memory_equal(OUT.text + 299 * 5, "w299 ", 5);
    assert_string_equal(R.finish_reason, "stop");
    /* one event past the 1 KiB data buffer */
    static char big[3000];
    n = (size_t)snprintf(big, sizeof big,
                         "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\ndata: {\"choices\":"
                         "[{\"delta\":{\"content\":\"");
    memset(big + n, 'x', 1500);
    n += 1500;
    n += (size_t)snprintf(big + n, sizeof big - n, "\"}}]}\n\n");
    llm_resp_init(&R, &llm_openai_chat, on_content, NULL);
    assert_int_equal(llm_resp_feed(&R, (const uint8_t *)big, n, NULL), LLM_ERR_SSE);
    /* a JSON body past the 1 KiB body buffer */
    n = (size_t)snprintf(big, sizeof big,
                         "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                         "Content-Length: 2000\r\n\r\n");
    memset(big + n, ' ', 2000);
    llm_resp_init(&R, &llm_openai_chat, on_content, NULL);
    assert_int_equal(llm_resp_feed(&R, (const uint8_t *)big, n + 2000, NULL), LLM_ERR_BODY_TOO_LARGE);
    /* no buffers */
    static struct llm_resp none;
    llm_resp_init(&none, &llm_openai_chat, on_content, NULL);
    assert_int_equal(none.err, LLM_ERR_BAD_ARGUMENT);
}

static void test_stream_broken(void **state)
{
    (void)state;
    char m[300];
    /* ends (close-delimited) without [DONE] or finish_reason */
    const char *nodone = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n"
                         "data: {\"choices\":[{\"delta\":{\"content\":\"par\"}}]}\n\n";
    assert_int_equal(run(nodone, strlen(nodone), 1, true), LLM_ERR_STREAM_INCOMPLETE);
    assert_string_equal(OUT.text, "par");
    /* chunked stream cut in the middle */
    assert_int_equal(run(STREAM, 200, 0, true), LLM_ERR_HTTP);
    assert_int_equal(R.http_err, HTTP_ERR_TRUNCATED);
    llm_resp_describe(&R, m, sizeof m);
    assert_string_equal(m, "llm: error=http_truncated");
    /* bad JSON in an event */
    const char *badjson = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n"
                          "data: {\"choices\":[{\"delta\":{\"content\":\"x\"}}\n\n";
    assert_int_equal(run(badjson, strlen(badjson), 0, true), LLM_ERR_BAD_JSON);
    llm_resp_describe(&R, m, sizeof m);
    assert_string_equal(m, "llm: error=json_unexpected_end");
    /* an error object inside the stream */
    const char *inerr = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n"
                        "data: {\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}\n\n";
    assert_int_equal(run(inerr, strlen(inerr), 3, true), LLM_ERR_API);
    llm_resp_describe(&R, m, sizeof m);
    assert_string_equal(m, "llm: error status=200 message=overloaded");
    /* malformed HTTP */
    assert_int_equal(run("HTTP/9.9 200 OK\r\n\r\n", 19, 0, true), LLM_ERR_HTTP);
    assert_int_equal(R.http_err, HTTP_ERR_BAD_VERSION);
}

static void test_non_stream(void **state)
{
    (void)state;
    static char resp[1024];
    const char *body = "{\"id\":\"c1\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,"
                       "\"message\":{\"role\":\"assistant\",\"content\":\"The answer is \\\"42\\\".\\n\\ud83d\\ude00\"},"
                       "\"finish_reason\":\"stop\"}],\"usage\":{\"total_tokens\":7}}";
    snprintf(resp, sizeof resp, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
             "Content-Length: %zu\r\n\r\n%s", strlen(body), body);
    for (size_t step = 0; step < 8; step += 1) {
        assert_int_equal(run(resp, strlen(resp), step, false), LLM_OK);
        assert_false(R.streaming);
        assert_string_equal(OUT.text, "The answer is \"42\".\n\xf0\x9f\x98\x80");
        assert_int_equal(OUT.pieces, 1);
        assert_string_equal(R.finish_reason, "stop");
    }
    /* 200 without content */
    const char *nc = "HTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\n{\"choices\":[]";
    assert_int_equal(run(nc, strlen(nc), 0, false), LLM_ERR_BAD_JSON);
    const char *nc2 = "HTTP/1.1 200 OK\r\nContent-Length: 14\r\n\r\n{\"choices\":[]}";
    assert_int_equal(run(nc2, strlen(nc2), 0, false), LLM_ERR_NO_CONTENT);
    /* body larger than LLM_BODY_MAX */
    const char *huge = "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n";
    memset(&OUT, 0, sizeof OUT);
    llm_resp_use_bufs(&R, &R_bufs);
    llm_resp_init(&R, &llm_openai_chat, on_content, NULL);
    assert_int_equal(llm_resp_feed(&R, (const uint8_t *)huge, strlen(huge), NULL), LLM_OK);
    static char zeros[70000];
    memset(zeros, ' ', sizeof zeros);
    assert_int_equal(llm_resp_feed(&R, (const uint8_t *)zeros, sizeof zeros, NULL), LLM_ERR_BODY_TOO_LARGE);
}

static void test_api_errors(void **state)
{
    (void)state;
    char m[300];
    const char *e401 = "HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: 119\r\n\r\n"
                       "{\"error\":{\"message\":\"Incorrect API key provided\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}";
    assert_int_equal(run(e401, strlen(e401), 1, false), LLM_ERR_API);
    assert_int_equal(R.status, 401);
    llm_resp_describe(&R, m, sizeof m);
    assert_string_equal(m, "llm: error status=401 message=Incorrect API key provided");
    assert_int_equal(OUT.pieces, 0);
    /* 429 chunked */
    const char *e429 = "HTTP/1.1 429 Too Many Requests\r\nTransfer-Encoding: chunked\r\n\r\n"
                       "1c\r\n{\"error\":{\"message\":\"Rate \\n\r\n"
                       "a\r\nlimited\"}}\r\n0\r\n\r\n";
    assert_int_equal(run(e429, strlen(e429), 0, false), LLM_ERR_API);
    llm_resp_describe(&R, m, sizeof m);
    assert_string_equal(m, "llm: error status=429 message=Rate \\x0alimited");
    /* 500 with a non-JSON body: its text becomes the message */
    const char *e500 = "HTTP/1.1 500 Internal Server Error\r\nConnection: close\r\n\r\nupstream exploded";
    assert_int_equal(run(e500, strlen(e500), 4, true), LLM_ERR_API);
    llm_resp_describe(&R, m, sizeof m);
    assert_string_equal(m, "llm: error status=500 message=upstream exploded");
    /* 503 with an event-stream content type is still an error, not a stream */
    const char *e503 = "HTTP/1.1 503 Unavailable\r\nContent-Type: text/event-stream\r\nContent-Length: 2\r\n\r\nno";
    assert_int_equal(run(e503, strlen(e503), 0, false), LLM_ERR_API);
    assert_false(R.streaming);
    assert_string_equal(llm_err_str(LLM_ERR_API), "llm_api_error");
}

/* An OpenAI-compatible stream with `event: error` (Groq, vLLM) is an API
   error with its message, not an incomplete stream, at every piece size,
   whatever the data holds. */
static void test_stream_error_event(void **state)
{
    (void)state;
    char m[300];
    const char *ev = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n"
                     "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"may\"}}]}\n\n"
                     "event: error\r\ndata:{\"error\":{\"message\":\"Tool choice is required\","
                     "\"type\":\"invalid_request_error\",\"status_code\":400}}\r\n\r\n";
    for (size_t step = 0; step <= strlen(ev); step++) {
        assert_int_equal(run(ev, strlen(ev), step, true), LLM_ERR_API);
        assert_string_equal(OUT.text, "may");
        llm_resp_describe(&R, m, sizeof m);
        assert_string_equal(m, "llm: error status=200 message=Tool choice is required");
    }
    /* data that is not an error object: the data is the message */
    const char *raw = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n"
                      "event: error\ndata: upstream \x1b[31mfailed\n\n"
                      "data: {\"choices\":[{\"delta\":{\"content\":\"late\"}}]}\n\ndata: [DONE]\n\n";
    assert_int_equal(run(raw, strlen(raw), 5, true), LLM_ERR_API);
    assert_int_equal(OUT.len, 0);
    llm_resp_describe(&R, m, sizeof m);
    assert_string_equal(m, "llm: error status=200 message=upstream \\x1b[31mfailed");
    const char *empty = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n"
                        "event: error\ndata: {}\n\n";
    assert_int_equal(run(empty, strlen(empty), 0, true), LLM_ERR_API);
    llm_resp_describe(&R, m, sizeof m);
    assert_string_equal(m, "llm: error status=200 message={}");
    /* other named events are still skipped */
    const char *named = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n"
                        "event: keepalive\ndata: {}\n\n"
                        "data: {\"choices\":[{\"delta\":{\"content\":\"ok\"},\"finish_reason\":\"stop\"}]}\n\n";
    assert_int_equal(run(named, strlen(named), 0, true), LLM_OK);
    assert_string_equal(OUT.text, "ok");
}

/* With n > 1 a server interleaves the choices' chunks: only index 0 is
   shown, and its finish reason kept, at every piece size; a body's choices
   likewise. */
static void test_choice_index0(void **state)
{
    (void)state;
    const char *n2 = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n"
                     "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"A\"}}]}\n\n"
                     "data: {\"choices\":[{\"index\":1,\"delta\":{\"content\":\"X\"}}]}\n\n"
                     "data: {\"choices\":[{\"index\":1,\"delta\":{\"content\":\"Y\"},\"finish_reason\":\"length\"},"
                     "{\"index\":0,\"delta\":{\"content\":\"B\"}}]}\n\n"
                     "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
                     "data: {\"choices\":[{\"index\":1,\"delta\":{},\"finish_reason\":\"length\"}]}\n\n"
                     "data: [DONE]\n\n";
    for (size_t step = 0; step <= strlen(n2); step++) {
        assert_int_equal(run(n2, strlen(n2), step, true), LLM_OK);
        assert_string_equal(OUT.text, "AB");
        assert_string_equal(R.finish_reason, "stop");
    }
    const char *body = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 142\r\n\r\n"
                       "{\"choices\":[{\"index\":1,\"message\":{\"content\":\"one\"},\"finish_reason\":\"length\"},"
                       "{\"index\":0,\"message\":{\"content\":\"zero\"},\"finish_reason\":\"stop\"}]}";
    assert_int_equal(strlen(strstr(body, "\r\n\r\n") + 4), 142);
    assert_int_equal(run(body, strlen(body), 0, false), LLM_OK);
    assert_string_equal(OUT.text, "zero");
    assert_string_equal(R.finish_reason, "stop");
}

/* A provider that is not OpenAI's: the driver routes by its stream content
   type, hands it events, bodies and error bodies, and keeps what it reports. */
static enum llm_err fake_event(struct llm_resp *r, const char *type, const char *data, size_t len)
{
    r->pstate[0]++;
    if (strcmp(type, "end") == 0) {
        llm_resp_end_of_stream(r);
        return LLM_OK;
    }
    if (strcmp(type, "fail") == 0)
        return LLM_ERR_API;
    return llm_resp_content(r, data, len);
}

static enum llm_err fake_body(struct llm_resp *r, char *body, size_t len)
{
    return llm_resp_content(r, body, len);
}

static bool fake_error(struct llm_resp *r, struct json_doc *d)
{
    int m = json_obj_get(d, 0, "msg");
    if (m < 0)
        return false;
    llm_resp_set_message(r, d, m, NULL);
    return true;
}

static const struct llm_provider FAKE = {
    .name = "fake", .stream_type = "application/x-fake",
    .consume_event = fake_event, .consume_body = fake_body, .error_message = fake_error,
};

static enum llm_err run_with(const struct llm_provider *p, const char *resp)
{
    memset(&OUT, 0, sizeof OUT);
    llm_resp_use_bufs(&R, &R_bufs);
    llm_resp_init(&R, p, on_content, NULL);
    enum llm_err e = llm_resp_feed(&R, (const uint8_t *)resp, strlen(resp), NULL);
    return e ? e : llm_resp_eof(&R);
}

static void test_other_provider(void **state)
{
    (void)state;
    char m[300];
    const char *st = "HTTP/1.1 200 OK\r\nContent-Type: application/x-fake\r\n\r\n"
                     "data: one\n\nevent: text\ndata: two\n\nevent: end\ndata: x\n\n";
    assert_int_equal(run_with(&FAKE, st), LLM_OK);
    assert_true(R.streaming);
    assert_true(R.done_marker);
    assert_int_equal(R.pstate[0], 3);
    assert_string_equal(OUT.text, "onetwo");
    /* without its end marker the stream is incomplete */
    const char *cut = "HTTP/1.1 200 OK\r\nContent-Type: application/x-fake\r\n\r\ndata: one\n\n";
    assert_int_equal(run_with(&FAKE, cut), LLM_ERR_STREAM_INCOMPLETE);
    /* an error the provider finds inside the stream */
    const char *sf = "HTTP/1.1 200 OK\r\nContent-Type: application/x-fake\r\n\r\nevent: fail\ndata: x\n\n";
    assert_int_equal(run_with(&FAKE, sf), LLM_ERR_API);
    /* OpenAI's stream type is a plain body to this provider, and the reverse */
    const char *sse = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\ndata: a\n\n";
    assert_int_equal(run_with(&FAKE, sse), LLM_OK);
    assert_false(R.streaming);
    assert_string_equal(OUT.text, "data: a\n\n");
    assert_int_equal(run_with(&llm_openai_chat, st), LLM_ERR_BAD_JSON);
    assert_false(R.streaming);
    /* error bodies: the provider's message, else the body's text */
    const char *e400 = "HTTP/1.1 400 Bad\r\nContent-Length: 26\r\n\r\n{\"msg\":\"no\",\"error\":\"yes\"}";
    assert_int_equal(run_with(&FAKE, e400), LLM_ERR_API);
    llm_resp_describe(&R, m, sizeof m);
    assert_string_equal(m, "llm: error status=400 message=no");
    assert_int_equal(run_with(&llm_openai_chat, e400), LLM_ERR_API);
    llm_resp_describe(&R, m, sizeof m);
    assert_string_equal(m, "llm: error status=400 message=yes");
    const char *e404 = "HTTP/1.1 404 NF\r\nContent-Length: 9\r\n\r\n{\"a\":\"b\"}";
    assert_int_equal(run_with(&FAKE, e404), LLM_ERR_API);
    llm_resp_describe(&R, m, sizeof m);
    assert_string_equal(m, "llm: error status=404 message={\"a\":\"b\"}");
}

/* The NDJSON stream mode (Ollama): one event per non-empty line, CRLF or LF,
   a last line without LF still counts, an overlong line is a named error. */
static enum llm_err nd_event(struct llm_resp *r, const char *type, const char *data, size_t len)
{
    assert_string_equal(type, "message");
    assert_int_equal(strlen(data), len);
    if (strcmp(data, "end") == 0) {
        llm_resp_end_of_stream(r);
        return LLM_OK;
    }
    if (strcmp(data, "fail") == 0)
        return LLM_ERR_API;
    llm_resp_content(r, data, len);
    return llm_resp_content(r, "|", 1);
}

static const struct llm_provider FAKE_ND = {
    .name = "fake-nd", .stream_type = "application/x-ndjson", .stream_kind = LLM_STREAM_NDJSON,
    .consume_event = nd_event, .consume_body = fake_body, .error_message = fake_error,
};

static void test_ndjson(void **state)
{
    (void)state;
    const char *st = "HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\n\r\n"
                     "one\n\n  \r\ntwo \r\n\t three\nend";
    size_t len = strlen(st);
    for (size_t step = 1; step <= len; step++) {
        memset(&OUT, 0, sizeof OUT);
        llm_resp_use_bufs(&R, &R_bufs);
        llm_resp_init(&R, &FAKE_ND, on_content, NULL);
        for (size_t o = 0; o < len; o += step) {
            size_t n = step < len - o ? step : len - o;
            assert_int_equal(llm_resp_feed(&R, (const uint8_t *)st + o, n, NULL), LLM_OK);
        }
        assert_int_equal(llm_resp_eof(&R), LLM_OK);
        assert_true(R.streaming);
        assert_true(R.done_marker);
        assert_string_equal(OUT.text, "one|two|three|");
    }
    /* without its end line the stream is incomplete */
    const char *cut = "HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\n\r\none\n";
    assert_int_equal(run_with(&FAKE_ND, cut), LLM_ERR_STREAM_INCOMPLETE);
    const char *fail = "HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\n\r\nfail";
    assert_int_equal(run_with(&FAKE_ND, fail), LLM_ERR_API);
    /* a line longer than the buffer */
    memset(&OUT, 0, sizeof OUT);
    llm_resp_use_bufs(&R, &R_bufs);
    llm_resp_init(&R, &FAKE_ND, on_content, NULL);
    const char *head = "HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\n\r\n";
    assert_int_equal(llm_resp_feed(&R, (const uint8_t *)head, strlen(head), NULL), LLM_OK);
    static char big[SSE_DATA_MAX + 10];
    memset(big, 'x', sizeof big);
    assert_int_equal(llm_resp_feed(&R, (const uint8_t *)big, sizeof big, NULL), LLM_ERR_LINE_TOO_LONG);
    char m[100];
    llm_resp_describe(&R, m, sizeof m);
    assert_string_equal(m, "llm: error=llm_line_too_long status=200");
    /* a non-NDJSON content type is a body */
    const char *js = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\none\nend\n";
    assert_int_equal(run_with(&FAKE_ND, js), LLM_OK);
    assert_false(R.streaming);
    assert_string_equal(OUT.text, "one\nend\n");
}

/* include_usage: OpenAI chat asks for the usage chunk when streaming only;
   the other providers' requests do not change. */
static void test_include_usage(void **state)
{
    (void)state;
    static char buf[4096];
    size_t n;
    struct llm_request q = {.host = "h", .port = 443, .path = "/v1/chat/completions", .model = "m",
                            .prompt = "p", .stream = true, .include_usage = true};
    assert_int_equal(llm_build_request(&llm_openai_chat, &q, buf, sizeof buf, &n), LLM_OK);
    buf[n] = 0;
    assert_non_null(strstr(buf, "\r\n\r\n{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"p\"}],"
                                "\"stream\":true,\"stream_options\":{\"include_usage\":true}}"));
    q.stream = false;
    assert_int_equal(llm_build_request(&llm_openai_chat, &q, buf, sizeof buf, &n), LLM_OK);
    buf[n] = 0;
    assert_null(strstr(buf, "stream_options"));
    q.stream = true;
    q.include_usage = false;
    assert_int_equal(llm_build_request(&llm_openai_chat, &q, buf, sizeof buf, &n), LLM_OK);
    buf[n] = 0;
    assert_null(strstr(buf, "stream_options"));
    const struct llm_provider *ps[] = {&llm_openai_responses, &llm_anthropic, &llm_gemini, &llm_ollama};
    static char buf2[4096];
    for (size_t i = 0; i < 4; i++) {
        size_t n2;
        q.include_usage = false;
        assert_int_equal(llm_build_request(ps[i], &q, buf, sizeof buf, &n), LLM_OK);
        q.include_usage = true;
        assert_int_equal(llm_build_request(ps[i], &q, buf2, sizeof buf2, &n2), LLM_OK);
        assert_int_equal(n, n2);
        assert_memory_equal(buf, buf2, n);
    }
}

/* resp in every piece size: the Retry-After results. */
static void expect_retry(const char *resp, int64_t ms, int64_t unix_s)
{
    size_t len = strlen(resp);
    for (size_t step = 0; step <= len; step++) {
        run(resp, len, step, true);
        if (R.retry_after_ms != ms || R.retry_after_unix != unix_s)
            fail_msg("step %zu: retry_after_ms %lld unix %lld, want %lld %lld in [%.80s]", step,
                     (long long)R.retry_after_ms, (long long)R.retry_after_unix, (long long)ms,
                     (long long)unix_s, resp);
    }
}

#define H429 "HTTP/1.1 429 Too Many Requests\r\nContent-Length: 0\r\n"

static void test_retry_after(void **state)
{
    (void)state;
    /* seconds; retry-after-ms wins in either order; its fraction is dropped */
    expect_retry(H429 "Retry-After: 2\r\n\r\n", 2000, 0);
    expect_retry(H429 "Retry-After: 0\r\n\r\n", 0, 0);
    expect_retry(H429 "retry-after-ms: 1500\r\nRetry-After: 2\r\n\r\n", 1500, 0);
    expect_retry(H429 "RETRY-AFTER: 2\r\nRetry-After-Ms: 1500.75\r\n\r\n", 1500, 0);
    /* an HTTP-date minus the Date header, in either order, any form */
    expect_retry(H429 "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
                 "Retry-After: Sun, 06 Nov 1994 08:50:07 GMT\r\n\r\n", 30000, 0);
    expect_retry(H429 "Retry-After: Sunday, 06-Nov-94 08:51:37 GMT\r\n"
                 "Date: Sun Nov  6 08:49:37 1994\r\n\r\n", 120000, 0);
    /* a date already past waits 0 */
    expect_retry(H429 "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
                 "Retry-After: Sun, 06 Nov 1994 08:49:00 GMT\r\n\r\n", 0, 0);
    /* no (or a bad) Date: the date for the caller's clock */
    expect_retry(H429 "Retry-After: Sun, 06 Nov 1994 08:50:07 GMT\r\n\r\n", -1, 784111807);
    expect_retry(H429 "Date: yesterday\r\nRetry-After: Sun, 06 Nov 1994 08:50:07 GMT\r\n\r\n", -1,
                 784111807);
    /* bad values are ignored */
    static const char *const bad[] = {"soon", "-1", "1.5", "", "2 s", "0x10", "+3",
                                      "Sun, 06 Nov 1994 08:50:07 UTC"};
    char resp[256];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(resp, sizeof resp, H429 "Retry-After: %s\r\n\r\n", bad[i]);
        expect_retry(resp, -1, 0);
    }
    static const char *const bad_ms[] = {"soon", "-1", "", "1.", ".5", "1e3", "0x10", "1.2.3",
                                         "Sun, 06 Nov 1994 08:50:07 GMT"};
    for (size_t i = 0; i < sizeof bad_ms / sizeof bad_ms[0]; i++) {
        snprintf(resp, sizeof resp, H429 "retry-after-ms: %s\r\n\r\n", bad_ms[i]);
        expect_retry(resp, -1, 0);
    }
    /* a bad value does not undo a good one; the last good one wins */
    expect_retry(H429 "Retry-After: 5\r\nRetry-After: later\r\n\r\n", 5000, 0);
    expect_retry(H429 "Retry-After: Sun, 06 Nov 1994 08:50:07 GMT\r\nRetry-After: 3\r\n\r\n", 3000, 0);
    /* huge waits saturate at 2^31 s (the caller caps them further) */
    expect_retry(H429 "Retry-After: 99999999999999999999999\r\n\r\n", 2147483648000LL, 0);
    expect_retry(H429 "retry-after-ms: 99999999999999999999999\r\n\r\n", 2147483648000LL, 0);
    /* none at all; an interim response's and a trailer's do not count */
    expect_retry(H429 "\r\n", -1, 0);
    expect_retry("HTTP/1.1 103 Early Hints\r\nRetry-After: 9\r\n\r\n" H429 "\r\n", -1, 0);
    expect_retry("HTTP/1.1 503 Busy\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nno\r\n0\r\n"
                 "Retry-After: 9\r\n\r\n", -1, 0);
    /* a 503 with a body keeps its message and its wait */
    const char *e503 = "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 7\r\nContent-Length: 42\r\n\r\n"
                       "{\"error\":{\"message\":\"Service overloaded\"}}";
    expect_retry(e503, 7000, 0);
    assert_int_equal(R.err, LLM_ERR_API);
    assert_int_equal(R.status, 503);
    assert_string_equal(R.message, "Service overloaded");
    /* a fresh response forgets the last one's */
    expect_retry(STREAM, -1, 0);
    assert_int_equal(R.err, LLM_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_request),
        cmocka_unit_test(test_request_exact),
        cmocka_unit_test(test_stream),
        cmocka_unit_test(test_small_bufs),
        cmocka_unit_test(test_every_piece_size),
        cmocka_unit_test(test_stream_broken),
        cmocka_unit_test(test_non_stream),
        cmocka_unit_test(test_api_errors),
        cmocka_unit_test(test_other_provider),
        cmocka_unit_test(test_stream_error_event),
        cmocka_unit_test(test_choice_index0),
        cmocka_unit_test(test_ndjson),
        cmocka_unit_test(test_include_usage),
        cmocka_unit_test(test_retry_after),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
