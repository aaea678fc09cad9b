/* Tool calling in the five providers (llm/tool_json.c and the providers'
   answer parsers): the request body with tools and a history holding an
   assistant turn with calls and the tools' results, byte for byte in each
   API's documented shape and parsed back; bad declarations; answers with
   one call, several calls, text and calls, arguments streamed in
   fragments (every stream fed in every piece size, so fragments split at
   every byte), arguments that are not a JSON object (args_ok false, the
   answer OK), and too many calls (LLM_ERR_TOOL_CALL). */
#include "unit.h"
#include "llm/llm.h"
#include "llm/provider.h"

static struct llm_resp R;

static struct llm_resp_bufs R_bufs;
static struct llm_tool_calls TC;
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

static enum llm_err run(const struct llm_provider *p, const char *resp, size_t len, size_t step,
                        bool tools)
{
    memset(&OUT, 0, sizeof OUT);
    memset(&TC, 0x5a, sizeof TC);   /* the driver initialises it */
    llm_resp_use_bufs(&R, &R_bufs);
    llm_resp_init(&R, p, on_content, NULL);
    R.tool_calls = tools ? &TC : NULL;
    for (size_t o = 0; o < len && !llm_resp_done(&R);) {
        size_t n = step && step < len - o ? step : len - o, c;
        enum llm_err e = llm_resp_feed(&R, (const uint8_t *)resp + o, n, &c);
        if (e)
            return e;
        o += c;
    }
    return llm_resp_eof(&R);
}

/* The calls as one line: name#id args (" BAD" when not an object, then
   " sig=" and Gemini's signature when there is one); */
static void calls_line(char *buf, size_t cap)
{
    size_t o = 0;
    buf[0] = 0;
    for (size_t i = 0; i < TC.n; i++) {
        const struct llm_tool_call *c = &TC.call[i];
        int k = snprintf(buf + o, cap - o, "%s#%s %s%s%s%s;", c->name, c->id, c->args,
                         c->args_ok ? "" : " BAD", c->sig[0] ? " sig=" : "", c->sig);
        assert_true(k > 0 && (size_t)k < cap - o);
        o += (size_t)k;
    }
}

/* resp through p, whole and in every piece size, with an accumulator:
   err, text, finish reason, calls (when err is LLM_OK) and, when line is
   not NULL, the console line. */
static void expect(const struct llm_provider *p, const char *resp, enum llm_err err,
                   const char *text, const char *finish, const char *calls, const char *line)
{
    size_t len = strlen(resp);
    for (size_t step = 0; step <= len; step++) {
        enum llm_err e = run(p, resp, len, step, true);
        char m[400], got[2048];
        llm_resp_describe(&R, m, sizeof m);
        if (e != err)
            fail_msg("%s step %zu: %s, want %s", p->name, step, m, llm_err_str(err));
        assert_string_equal(OUT.text, text);
        assert_string_equal(R.finish_reason, finish);
        if (err == LLM_OK) {
            calls_line(got, sizeof got);
            if (strcmp(got, calls) != 0)
                fail_msg("%s step %zu: calls %s, want %s", p->name, step, got, calls);
        }
        if (line)
            assert_string_equal(m, line);
    }
}

#define SSE_HEAD "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n"
#define JSON_HEAD "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n"
#define NDJSON_HEAD "HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\n\r\n"

/* ---- requests ---- */

static const struct llm_tool_def TOOLS[] = {
    {"clock", "The time", "{\"type\":\"object\",\"properties\":{}}"},
    {"dns_lookup", NULL,
     "{\"type\": \"object\", \"properties\": {\"name\": {\"type\": \"string\"}}, "
     "\"required\": [\"name\"], \"additionalProperties\": false}"},
};
#define DNS_SCHEMA "{\"type\": \"object\", \"properties\": {\"name\": {\"type\": \"string\"}}, " \
                   "\"required\": [\"name\"], \"additionalProperties\": false}"

static struct llm_tool_call CALLS[2];
static struct llm_message HIST[4];

/* One round: the user asks, the model calls clock and dns_lookup (after
   a word of text when text), the two results; no prompt follows. */
static void setup_round(struct llm_request *q, const char *path, bool text)
{
    memset(CALLS, 0, sizeof CALLS);
    strcpy(CALLS[0].id, "c1");
    strcpy(CALLS[0].name, "clock");
    strcpy(CALLS[0].args, "{}");
    CALLS[0].args_len = 2;
    CALLS[0].args_ok = true;
    strcpy(CALLS[1].id, "c2");
    strcpy(CALLS[1].name, "dns_lookup");
    strcpy(CALLS[1].args, "{\"name\":\"a.test\"}");
    CALLS[1].args_len = strlen(CALLS[1].args);
    CALLS[1].args_ok = true;
    memset(HIST, 0, sizeof HIST);
    HIST[0] = (struct llm_message){.role = LLM_ROLE_USER, .content = "q"};
    HIST[1] = (struct llm_message){.role = LLM_ROLE_ASSISTANT, .content = text ? "t" : NULL,
                                   .calls = CALLS, .ncalls = 2};
    HIST[2] = (struct llm_message){.role = LLM_ROLE_TOOL, .content = "{\"now\":1}",
                                   .call_id = "c1", .tool_name = "clock"};
    HIST[3] = (struct llm_message){.role = LLM_ROLE_TOOL, .content = "{\"addr\":\"10.0.0.1\"}",
                                   .call_id = "c2", .tool_name = "dns_lookup"};
    *q = (struct llm_request){.host = "h", .port = 443, .path = path, .model = "m",
                              .history = HIST, .history_len = 4, .prompt = NULL,
                              .tools = TOOLS, .ntools = 2};
}

static char BUF[8192];
static struct json_tok TOKS[512];

/* Builds q for p; checks that the body is want and parses as one JSON
   object; returns its token document. */
static struct json_doc body_is(const struct llm_provider *p, const struct llm_request *q,
                               const char *want)
{
    size_t n;
    assert_int_equal(llm_build_request(p, q, BUF, sizeof BUF, &n), LLM_OK);
    BUF[n] = 0;
    const char *b = strstr(BUF, "\r\n\r\n");
    assert_non_null(b);
    b += 4;
    if (strcmp(b, want) != 0)
        fail_msg("%s body\n got %s\nwant %s", p->name, b, want);
    struct json_doc d;
    assert_int_equal(json_parse(&d, b, strlen(b), TOKS, 512, NULL), JSON_OK);
    assert_int_equal(d.tok[0].type, JSON_OBJECT);
    return d;
}

static void test_request_chat(void **s)
{
    (void)s;
    struct llm_request q;
    setup_round(&q, "/v1/chat/completions", false);
    struct json_doc d = body_is(&llm_openai_chat, &q,
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"q\"},"
        "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":["
        "{\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"clock\",\"arguments\":\"{}\"}},"
        "{\"id\":\"c2\",\"type\":\"function\",\"function\":{\"name\":\"dns_lookup\","
        "\"arguments\":\"{\\\"name\\\":\\\"a.test\\\"}\"}}]},"
        "{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"{\\\"now\\\":1}\"},"
        "{\"role\":\"tool\",\"tool_call_id\":\"c2\",\"content\":\"{\\\"addr\\\":\\\"10.0.0.1\\\"}\"}],"
        "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"clock\",\"description\":\"The time\","
        "\"parameters\":{\"type\":\"object\",\"properties\":{}}}},"
        "{\"type\":\"function\",\"function\":{\"name\":\"dns_lookup\",\"parameters\":" DNS_SCHEMA "}}],"
        "\"stream\":false}");
    /* parsed back: the schema is an object, the arguments a string */
    assert_int_equal(d.tok[json_path(&d, 0, "tools[1].function.parameters.required", NULL)].type,
                     JSON_ARRAY);
    assert_true(llm_json_is(&d, json_path(&d, 0, "messages[1].tool_calls[1].function.arguments",
                                          NULL), "{\\\"name\\\":\\\"a.test\\\"}"));
    assert_true(llm_json_is(&d, json_path(&d, 0, "messages[3].tool_call_id", NULL), "c2"));

    /* text beside the calls; a call whose arguments are not an object goes
       as its text; a user prompt after the results */
    setup_round(&q, "/v1/chat/completions", true);
    strcpy(CALLS[1].args, "{\"name\":");
    CALLS[1].args_len = strlen(CALLS[1].args);
    CALLS[1].args_ok = false;
    q.prompt = "p";
    q.ntools = 0;
    body_is(&llm_openai_chat, &q,
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"q\"},"
        "{\"role\":\"assistant\",\"content\":\"t\",\"tool_calls\":["
        "{\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"clock\",\"arguments\":\"{}\"}},"
        "{\"id\":\"c2\",\"type\":\"function\",\"function\":{\"name\":\"dns_lookup\","
        "\"arguments\":\"{\\\"name\\\":\"}}]},"
        "{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"{\\\"now\\\":1}\"},"
        "{\"role\":\"tool\",\"tool_call_id\":\"c2\",\"content\":\"{\\\"addr\\\":\\\"10.0.0.1\\\"}\"},"
        "{\"role\":\"user\",\"content\":\"p\"}],\"stream\":false}");
}

static void test_request_responses(void **s)
{
    (void)s;
    struct llm_request q;
    setup_round(&q, "/v1/responses", true);
    struct json_doc d = body_is(&llm_openai_responses, &q,
        "{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":\"q\"},"
        "{\"role\":\"assistant\",\"content\":\"t\"},"
        "{\"type\":\"function_call\",\"call_id\":\"c1\",\"name\":\"clock\",\"arguments\":\"{}\"},"
        "{\"type\":\"function_call\",\"call_id\":\"c2\",\"name\":\"dns_lookup\","
        "\"arguments\":\"{\\\"name\\\":\\\"a.test\\\"}\"},"
        "{\"type\":\"function_call_output\",\"call_id\":\"c1\",\"output\":\"{\\\"now\\\":1}\"},"
        "{\"type\":\"function_call_output\",\"call_id\":\"c2\","
        "\"output\":\"{\\\"addr\\\":\\\"10.0.0.1\\\"}\"}],"
        "\"tools\":[{\"type\":\"function\",\"name\":\"clock\",\"description\":\"The time\","
        "\"parameters\":{\"type\":\"object\",\"properties\":{}},\"strict\":false},"
        "{\"type\":\"function\",\"name\":\"dns_lookup\",\"parameters\":" DNS_SCHEMA ",\"strict\":false}],"
        "\"stream\":false}");
    assert_int_equal(d.tok[json_path(&d, 0, "tools[0].parameters", NULL)].type, JSON_OBJECT);
    assert_true(llm_json_is(&d, json_path(&d, 0, "input[4].type", NULL), "function_call_output"));
    /* no text: no assistant message item, only the calls */
    setup_round(&q, "/v1/responses", false);
    q.ntools = 0;
    d = body_is(&llm_openai_responses, &q,
        "{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":\"q\"},"
        "{\"type\":\"function_call\",\"call_id\":\"c1\",\"name\":\"clock\",\"arguments\":\"{}\"},"
        "{\"type\":\"function_call\",\"call_id\":\"c2\",\"name\":\"dns_lookup\","
        "\"arguments\":\"{\\\"name\\\":\\\"a.test\\\"}\"},"
        "{\"type\":\"function_call_output\",\"call_id\":\"c1\",\"output\":\"{\\\"now\\\":1}\"},"
        "{\"type\":\"function_call_output\",\"call_id\":\"c2\","
        "\"output\":\"{\\\"addr\\\":\\\"10.0.0.1\\\"}\"}],\"stream\":false}");
}

static void test_request_anthropic(void **s)
{
    (void)s;
    struct llm_request q;
    setup_round(&q, "/v1/messages", true);
    CALLS[0].args_ok = false;           /* "{}" either way: the object API gets {} */
    strcpy(CALLS[0].args, "[1]");
    CALLS[0].args_len = 3;
    q.prompt = "p";
    struct json_doc d = body_is(&llm_anthropic, &q,
        "{\"model\":\"m\",\"max_tokens\":1024,\"messages\":[{\"role\":\"user\",\"content\":\"q\"},"
        "{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"t\"},"
        "{\"type\":\"tool_use\",\"id\":\"c1\",\"name\":\"clock\",\"input\":{}},"
        "{\"type\":\"tool_use\",\"id\":\"c2\",\"name\":\"dns_lookup\",\"input\":{\"name\":\"a.test\"}}]},"
        "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"c1\","
        "\"content\":\"{\\\"now\\\":1}\"},{\"type\":\"tool_result\",\"tool_use_id\":\"c2\","
        "\"content\":\"{\\\"addr\\\":\\\"10.0.0.1\\\"}\"}]},"
        "{\"role\":\"user\",\"content\":\"p\"}],"
        "\"tools\":[{\"name\":\"clock\",\"description\":\"The time\","
        "\"input_schema\":{\"type\":\"object\",\"properties\":{}}},"
        "{\"name\":\"dns_lookup\",\"input_schema\":" DNS_SCHEMA "}],\"stream\":false}");
    /* both results in one user turn */
    int t = json_path(&d, 0, "messages[2].content", NULL);
    assert_int_equal(d.tok[t].count, 2);
    assert_true(llm_json_is(&d, json_path(&d, 0, "messages[2].role", NULL), "user"));
    assert_int_equal(d.tok[json_path(&d, 0, "messages[1].content[2].input", NULL)].type,
                     JSON_OBJECT);
}

static void test_request_gemini(void **s)
{
    (void)s;
    struct llm_request q;
    setup_round(&q, "/v1beta/models/m:generateContent", true);
    HIST[3].content = "not json";   /* a result that is no object is wrapped */
    CALLS[1].id[0] = 0;             /* Gemini's calls often come without an id */
    strcpy(CALLS[0].sig, "CiEB/z+x=");  /* the first call's part carried a signature */
    HIST[3].call_id = NULL;
    struct json_doc d = body_is(&llm_gemini, &q,
        "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"q\"}]},"
        "{\"role\":\"model\",\"parts\":[{\"text\":\"t\"},"
        "{\"functionCall\":{\"id\":\"c1\",\"name\":\"clock\",\"args\":{}},\"thoughtSignature\":\"CiEB/z+x=\"},"
        "{\"functionCall\":{\"name\":\"dns_lookup\",\"args\":{\"name\":\"a.test\"}}}]},"
        "{\"role\":\"user\",\"parts\":[{\"functionResponse\":{\"id\":\"c1\",\"name\":\"clock\","
        "\"response\":{\"now\":1}}},"
        "{\"functionResponse\":{\"name\":\"dns_lookup\",\"response\":{\"output\":\"not json\"}}}]}],"
        "\"tools\":[{\"functionDeclarations\":[{\"name\":\"clock\",\"description\":\"The time\","
        "\"parametersJsonSchema\":{\"type\":\"object\",\"properties\":{}}},"
        "{\"name\":\"dns_lookup\",\"parametersJsonSchema\":" DNS_SCHEMA "}]}]}");
    assert_int_equal(d.tok[json_path(&d, 0, "contents[2].parts", NULL)].count, 2);
    assert_true(llm_json_is(
        &d, json_path(&d, 0, "tools[0].functionDeclarations[1].parametersJsonSchema.type", NULL),
        "object"));
}

static void test_request_ollama(void **s)
{
    (void)s;
    struct llm_request q;
    setup_round(&q, "/api/chat", false);
    CALLS[1].args_ok = false;
    strcpy(CALLS[1].args, "oops");
    CALLS[1].args_len = 4;
    struct json_doc d = body_is(&llm_ollama, &q,
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"q\"},"
        "{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":["
        "{\"function\":{\"name\":\"clock\",\"arguments\":{}}},"
        "{\"function\":{\"name\":\"dns_lookup\",\"arguments\":{}}}]},"
        "{\"role\":\"tool\",\"content\":\"{\\\"now\\\":1}\",\"tool_name\":\"clock\"},"
        "{\"role\":\"tool\",\"content\":\"{\\\"addr\\\":\\\"10.0.0.1\\\"}\",\"tool_name\":\"dns_lookup\"}],"
        "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"clock\",\"description\":\"The time\","
        "\"parameters\":{\"type\":\"object\",\"properties\":{}}}},"
        "{\"type\":\"function\",\"function\":{\"name\":\"dns_lookup\",\"parameters\":" DNS_SCHEMA "}}],"
        "\"stream\":false}");
    assert_int_equal(d.tok[json_path(&d, 0, "messages[1].tool_calls[0].function.arguments", NULL)].type,
                     JSON_OBJECT);
}

/* Declarations and turns that cannot be encoded. */
static void test_request_bad(void **s)
{
    (void)s;
    const struct llm_provider *ps[] = {&llm_openai_chat, &llm_openai_responses, &llm_anthropic,
                                       &llm_gemini, &llm_ollama};
    static const struct llm_tool_def bad[][1] = {
        {{"clock", NULL, "[]"}},                 /* not an object */
        {{"clock", NULL, "{\"type\":"}},         /* not JSON */
        {{"clock", NULL, "{} {}"}},              /* two values */
        {{"clock", NULL, NULL}},
        {{"clo ck", NULL, "{}"}},                /* a name the APIs refuse */
        {{"", NULL, "{}"}},
        {{NULL, NULL, "{}"}},
    };
    size_t n;
    for (size_t i = 0; i < sizeof ps / sizeof ps[0]; i++) {
        struct llm_request q;
        setup_round(&q, "/x", false);
        assert_int_equal(llm_build_request(ps[i], &q, BUF, sizeof BUF, &n), LLM_OK);
        for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
            q.tools = bad[k];
            q.ntools = 1;
            assert_int_equal(llm_build_request(ps[i], &q, BUF, sizeof BUF, &n),
                             LLM_ERR_BAD_ARGUMENT);
        }
        q.tools = NULL;                          /* a count without tools */
        assert_int_equal(llm_build_request(ps[i], &q, BUF, sizeof BUF, &n), LLM_ERR_BAD_ARGUMENT);
        q.ntools = 0;
        /* no prompt: only after tool results */
        q.history_len = 2;
        assert_int_equal(llm_build_request(ps[i], &q, BUF, sizeof BUF, &n), LLM_ERR_BAD_ARGUMENT);
        q.history_len = 0;
        assert_int_equal(llm_build_request(ps[i], &q, BUF, sizeof BUF, &n), LLM_ERR_BAD_ARGUMENT);
        /* a result without its tool's name; calls on a user turn */
        q.history_len = 4;
        HIST[3].tool_name = NULL;
        assert_int_equal(llm_build_request(ps[i], &q, BUF, sizeof BUF, &n), LLM_ERR_BAD_ARGUMENT);
        HIST[3].tool_name = "dns_lookup";
        HIST[0].calls = CALLS;
        HIST[0].ncalls = 1;
        assert_int_equal(llm_build_request(ps[i], &q, BUF, sizeof BUF, &n), LLM_ERR_BAD_ARGUMENT);
        HIST[0].ncalls = 0;
        assert_string_equal(llm_role_str(LLM_ROLE_TOOL), "tool");
        /* every smaller buffer fails cleanly */
        q.tools = TOOLS;
        q.ntools = 2;
        assert_int_equal(llm_build_request(ps[i], &q, BUF, sizeof BUF, &n), LLM_OK);
        size_t full = n;
        for (size_t cap = 0; cap < full; cap += 3)
            assert_int_equal(llm_build_request(ps[i], &q, BUF, cap, &n), LLM_ERR_REQUEST_TOO_LARGE);
    }
}

/* ---- answers ---- */

static void test_answer_chat(void **s)
{
    (void)s;
    /* text, then two calls whose arguments arrive in fragments */
    expect(&llm_openai_chat,
           SSE_HEAD
           "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Let me check.\"}}]}\n\n"
           "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\","
           "\"type\":\"function\",\"function\":{\"name\":\"clock\",\"arguments\":\"\"}}]}}]}\n\n"
           "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"id\":\"call_2\","
           "\"type\":\"function\",\"function\":{\"name\":\"dns_lookup\",\"arguments\":\"{\\\"na\"}}]}}]}\n\n"
           "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,"
           "\"function\":{\"arguments\":\"me\\\": \\\"a.t\\u00e9st\\\"}\"}}]}}]}\n\n"
           "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}\n\n"
           "data: [DONE]\n\n",
           LLM_OK, "Let me check.", "tool_calls",
           "clock#call_1 {};dns_lookup#call_2 {\"name\": \"a.t\xc3\xa9st\"};", NULL);
    /* a body with one call and content null */
    expect(&llm_openai_chat,
           JSON_HEAD "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,"
           "\"tool_calls\":[{\"id\":\"call_9\",\"type\":\"function\",\"function\":{\"name\":\"https_get\","
           "\"arguments\":\"{\\\"url\\\":\\\"https://x.test/\\\"}\"}}]},\"finish_reason\":\"tool_calls\"}]}",
           LLM_OK, "", "tool_calls", "https_get#call_9 {\"url\":\"https://x.test/\"};", NULL);
    /* arguments that are no JSON object: marked, the answer is fine */
    expect(&llm_openai_chat,
           SSE_HEAD
           "data: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"c\",\"function\":"
           "{\"name\":\"clock\",\"arguments\":\"{\\\"x\\\":\"}}]},\"finish_reason\":\"tool_calls\"}]}\n\n"
           "data: [DONE]\n\n",
           LLM_OK, "", "tool_calls", "clock#c {\"x\": BAD;", NULL);
    /* a server that streams the arguments as an object */
    expect(&llm_openai_chat,
           SSE_HEAD
           "data: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"c\",\"function\":"
           "{\"name\":\"clock\",\"arguments\":{\"tz\": \"UTC\"}}}]},\"finish_reason\":\"tool_calls\"}]}\n\n"
           "data: [DONE]\n\n",
           LLM_OK, "", "tool_calls", "clock#c {\"tz\": \"UTC\"};", NULL);
    /* a fragment for an index that no delta named: the name is missing */
    expect(&llm_openai_chat,
           SSE_HEAD
           "data: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{}\"}}]},"
           "\"finish_reason\":\"tool_calls\"}]}\n\ndata: [DONE]\n\n",
           LLM_ERR_TOOL_CALL, "", "tool_calls", NULL, "llm: error=tool_name_missing status=200");
    /* nine calls: one too many */
    expect(&llm_openai_chat,
           JSON_HEAD "{\"choices\":[{\"message\":{\"content\":null,\"tool_calls\":["
           "{\"id\":\"1\",\"function\":{\"name\":\"clock\",\"arguments\":\"{}\"}},"
           "{\"id\":\"2\",\"function\":{\"name\":\"clock\",\"arguments\":\"{}\"}},"
           "{\"id\":\"3\",\"function\":{\"name\":\"clock\",\"arguments\":\"{}\"}},"
           "{\"id\":\"4\",\"function\":{\"name\":\"clock\",\"arguments\":\"{}\"}},"
           "{\"id\":\"5\",\"function\":{\"name\":\"clock\",\"arguments\":\"{}\"}},"
           "{\"id\":\"6\",\"function\":{\"name\":\"clock\",\"arguments\":\"{}\"}},"
           "{\"id\":\"7\",\"function\":{\"name\":\"clock\",\"arguments\":\"{}\"}},"
           "{\"id\":\"8\",\"function\":{\"name\":\"clock\",\"arguments\":\"{}\"}},"
           "{\"id\":\"9\",\"function\":{\"name\":\"clock\",\"arguments\":\"{}\"}}]},"
           "\"finish_reason\":\"tool_calls\"}]}",
           LLM_ERR_TOOL_CALL, "", "tool_calls", NULL, "llm: error=tool_calls_too_many status=200");
    /* without an accumulator the calls are ignored: no content */
    const char *body = JSON_HEAD "{\"choices\":[{\"message\":{\"content\":null,\"tool_calls\":["
                       "{\"id\":\"1\",\"function\":{\"name\":\"clock\",\"arguments\":\"{}\"}}]}}]}";
    assert_int_equal(run(&llm_openai_chat, body, strlen(body), 0, false), LLM_ERR_NO_CONTENT);
    assert_int_equal(run(&llm_openai_chat, body, strlen(body), 0, true), LLM_OK);
    assert_int_equal(TC.n, 1);
    /* a malformed index matters only to a caller that reads calls */
    body = SSE_HEAD "data: {\"choices\":[{\"delta\":{\"content\":\"a\",\"tool_calls\":[{\"index\":\"x\"}]},"
           "\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n";
    assert_int_equal(run(&llm_openai_chat, body, strlen(body), 0, false), LLM_OK);
    assert_int_equal(run(&llm_openai_chat, body, strlen(body), 0, true), LLM_ERR_BAD_JSON);
}

static void test_answer_responses(void **s)
{
    (void)s;
    expect(&llm_openai_responses,
           SSE_HEAD
           "event: response.output_item.added\ndata: {\"type\":\"response.output_item.added\",\"output_index\":0,"
           "\"item\":{\"type\":\"message\",\"role\":\"assistant\",\"content\":[]}}\n\n"
           "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"output_index\":0,"
           "\"delta\":\"On it.\"}\n\n"
           "event: response.output_item.added\ndata: {\"type\":\"response.output_item.added\",\"output_index\":1,"
           "\"item\":{\"type\":\"function_call\",\"id\":\"fc_1\",\"call_id\":\"call_a\",\"name\":\"dns_lookup\","
           "\"arguments\":\"\"}}\n\n"
           "event: response.function_call_arguments.delta\ndata: {\"type\":\"response.function_call_arguments.delta\","
           "\"item_id\":\"fc_1\",\"output_index\":1,\"delta\":\"{\\\"name\\\":\"}\n\n"
           "event: response.function_call_arguments.delta\ndata: {\"type\":\"response.function_call_arguments.delta\","
           "\"item_id\":\"fc_1\",\"output_index\":1,\"delta\":\"\\\"a.test\\\"}\"}\n\n"
           "event: response.function_call_arguments.done\ndata: {\"type\":\"response.function_call_arguments.done\","
           "\"item_id\":\"fc_1\",\"output_index\":1,\"arguments\":\"{\\\"name\\\":\\\"a.test\\\"}\"}\n\n"
           "event: response.output_item.done\ndata: {\"type\":\"response.output_item.done\",\"output_index\":1,"
           "\"item\":{\"type\":\"function_call\",\"id\":\"fc_1\",\"call_id\":\"call_a\",\"name\":\"dns_lookup\","
           "\"arguments\":\"{\\\"name\\\":\\\"a.test\\\"}\"}}\n\n"
           /* a call whose arguments come only with its done item */
           "event: response.output_item.added\ndata: {\"type\":\"response.output_item.added\",\"output_index\":2,"
           "\"item\":{\"type\":\"function_call\",\"call_id\":\"call_b\",\"name\":\"clock\",\"arguments\":\"\"}}\n\n"
           "event: response.output_item.done\ndata: {\"type\":\"response.output_item.done\",\"output_index\":2,"
           "\"item\":{\"type\":\"function_call\",\"call_id\":\"call_b\",\"name\":\"clock\","
           "\"arguments\":\"{\\\"tz\\\":1}\"}}\n\n"
           "event: response.completed\ndata: {\"type\":\"response.completed\",\"response\":{\"status\":\"completed\"}}\n\n",
           LLM_OK, "On it.", "completed",
           "dns_lookup#call_a {\"name\":\"a.test\"};clock#call_b {\"tz\":1};", NULL);
    expect(&llm_openai_responses,
           JSON_HEAD "{\"status\":\"completed\",\"output\":[{\"type\":\"function_call\",\"id\":\"fc_1\","
           "\"call_id\":\"call_a\",\"name\":\"clock\",\"arguments\":\"{}\",\"status\":\"completed\"},"
           "{\"type\":\"function_call\",\"call_id\":\"call_b\",\"name\":\"net_info\",\"arguments\":\"nope\"}]}",
           LLM_OK, "", "completed", "clock#call_a {};net_info#call_b nope BAD;", NULL);
    /* a delta for an output index no item started */
    expect(&llm_openai_responses,
           SSE_HEAD
           "event: response.function_call_arguments.delta\ndata: {\"type\":\"response.function_call_arguments.delta\","
           "\"output_index\":4,\"delta\":\"{\"}\n\n",
           LLM_ERR_TOOL_CALL, "", "", NULL, "llm: error=tool_call_unknown_index status=200");
}

static void test_answer_anthropic(void **s)
{
    (void)s;
    expect(&llm_anthropic,
           SSE_HEAD
           "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"content\":[]}}\n\n"
           "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
           "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
           "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
           "\"delta\":{\"type\":\"text_delta\",\"text\":\"Checking.\"}}\n\n"
           "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
           "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":1,"
           "\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"dns_lookup\",\"input\":{}}}\n\n"
           "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,"
           "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\"}}\n\n"
           "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,"
           "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"name\\\": \\\"a.\"}}\n\n"
           "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,"
           "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"test\\\"}\"}}\n\n"
           "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":1}\n\n"
           "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":2,"
           "\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_2\",\"name\":\"clock\",\"input\":{}}}\n\n"
           "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":2}\n\n"
           "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"}}\n\n"
           "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
           LLM_OK, "Checking.", "tool_use",
           "dns_lookup#toolu_1 {\"name\": \"a.test\"};clock#toolu_2 {};", NULL);
    expect(&llm_anthropic,
           JSON_HEAD "{\"content\":[{\"type\":\"text\",\"text\":\"A\"},{\"type\":\"tool_use\",\"id\":\"toolu_9\","
           "\"name\":\"https_get\",\"input\":{\"url\": \"https://x.test/\"}}],\"stop_reason\":\"tool_use\"}",
           LLM_OK, "A", "tool_use", "https_get#toolu_9 {\"url\": \"https://x.test/\"};", NULL);
    /* an input that is no object (a broken partial_json) */
    expect(&llm_anthropic,
           SSE_HEAD
           "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
           "\"content_block\":{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"clock\",\"input\":{}}}\n\n"
           "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
           "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"a\"}}\n\n"
           "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"}}\n\n"
           "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
           LLM_OK, "", "tool_use", "clock#t {\"a BAD;", NULL);
    /* a server tool's block streams its input too: not a call of ours */
    expect(&llm_anthropic,
           SSE_HEAD
           "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
           "\"content_block\":{\"type\":\"server_tool_use\",\"id\":\"srvtoolu_1\",\"name\":\"web_search\",\"input\":{}}}\n\n"
           "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
           "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"query\\\": \\\"x\\\"}\"}}\n\n"
           "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,"
           "\"delta\":{\"type\":\"text_delta\",\"text\":\"Found.\"}}\n\n"
           "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"}}\n\n"
           "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
           LLM_OK, "Found.", "end_turn", "", NULL);
    /* a tool name the APIs never send */
    expect(&llm_anthropic,
           JSON_HEAD "{\"content\":[{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"rm -rf\",\"input\":{}}],"
           "\"stop_reason\":\"tool_use\"}",
           LLM_ERR_TOOL_CALL, "", "tool_use", NULL, "llm: error=tool_name_bad status=200");
}

static void test_answer_gemini(void **s)
{
    (void)s;
    expect(&llm_gemini,
           SSE_HEAD
           "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Sure.\"}]}}]}\r\n\r\n"
           "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"name\":\"clock\","
           "\"args\":{}},\"thoughtSignature\":\"CiEB/z+x=\"},{\"functionCall\":{\"id\":\"g2\",\"name\":\"dns_lookup\","
           "\"args\":{\"name\":\"a.test\"}}}]},\"finishReason\":\"STOP\"}]}\r\n\r\n",
           LLM_OK, "Sure.", "STOP", "clock# {} sig=CiEB/z+x=;dns_lookup#g2 {\"name\":\"a.test\"};", NULL);
    expect(&llm_gemini,
           JSON_HEAD "{\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"name\":\"net_info\","
           "\"args\":[1]}}]},\"finishReason\":\"STOP\"}]}",
           LLM_OK, "", "STOP", "net_info# [1] BAD;", NULL);
    /* a signature beyond LLM_TOOL_SIG_MAX is dropped, the call kept */
    static char longsig[LLM_TOOL_SIG_MAX + 200];
    snprintf(longsig, sizeof longsig, JSON_HEAD "{\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":"
             "{\"name\":\"clock\",\"args\":{}},\"thoughtSignature\":\"%0*d\"}]},\"finishReason\":\"STOP\"}]}",
             LLM_TOOL_SIG_MAX, 0);
    expect(&llm_gemini, longsig, LLM_OK, "", "STOP", "clock# {};", NULL);
    snprintf(longsig, sizeof longsig, JSON_HEAD "{\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":"
             "{\"name\":\"clock\",\"args\":{}},\"thoughtSignature\":\"%0*d\"}]},\"finishReason\":\"STOP\"}]}",
             LLM_TOOL_SIG_MAX - 1, 0);
    run(&llm_gemini, longsig, strlen(longsig), 0, true);
    assert_int_equal(strlen(TC.call[0].sig), LLM_TOOL_SIG_MAX - 1);
    char many[2048] = SSE_HEAD "data: {\"candidates\":[{\"content\":{\"parts\":[";
    for (int i = 0; i < LLM_TOOL_CALLS_MAX + 1; i++)
        strcat(many, i ? ",{\"functionCall\":{\"name\":\"clock\"}}" : "{\"functionCall\":{\"name\":\"clock\"}}");
    strcat(many, "]},\"finishReason\":\"STOP\"}]}\n\n");
    expect(&llm_gemini, many, LLM_ERR_TOOL_CALL, "", "", NULL,
           "llm: error=tool_calls_too_many status=200");
}

static void test_answer_ollama(void **s)
{
    (void)s;
    expect(&llm_ollama,
           NDJSON_HEAD
           "{\"message\":{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{\"function\":"
           "{\"name\":\"dns_lookup\",\"arguments\":{\"name\":\"a.test\"}}},{\"function\":"
           "{\"name\":\"clock\",\"arguments\":{}}}]},\"done\":false}\n"
           "{\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,\"done_reason\":\"stop\"}\n",
           LLM_OK, "", "stop", "dns_lookup# {\"name\":\"a.test\"};clock# {};", NULL);
    expect(&llm_ollama,
           JSON_HEAD "{\"message\":{\"role\":\"assistant\",\"content\":\"Hm.\",\"tool_calls\":[{\"id\":\"o1\","
           "\"function\":{\"index\":0,\"name\":\"clock\",\"arguments\":\"later\"}}]},\"done\":true}",
           LLM_OK, "Hm.", "", "clock#o1 later BAD;", NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_request_chat),      cmocka_unit_test(test_request_responses),
        cmocka_unit_test(test_request_anthropic), cmocka_unit_test(test_request_gemini),
        cmocka_unit_test(test_request_ollama),    cmocka_unit_test(test_request_bad),
        cmocka_unit_test(test_answer_chat),       cmocka_unit_test(test_answer_responses),
        cmocka_unit_test(test_answer_anthropic),  cmocka_unit_test(test_answer_gemini),
        cmocka_unit_test(test_answer_ollama),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
