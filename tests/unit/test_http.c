/* HTTP/1.1 request writer and incremental response parser: framing by
   Content-Length, chunked and close; keep-alive; every malformed case named;
   byte-at-a-time feeding must give the same result as one-shot feeding. */
#include "unit.h"
#include "http/http.h"
#include "lib/ascii.h"

struct collect {
    char body[70000];
    size_t len;
    int headers, trailers;
    char last_name[64], last_value[256];
    size_t abort_after; /* 0: never */
};

static bool body_cb(void *ctx, const uint8_t *p, size_t n)
{
    struct collect *c = ctx;
    assert_true(c->len + n <= sizeof c->body);
    memcpy(c->body + c->len, p, n);
    c->len += n;
    return !(c->abort_after && c->len >= c->abort_after);
}

static void header_cb(void *ctx, const char *name, const char *value, bool trailer)
{
    struct collect *c = ctx;
    if (trailer)
        c->trailers++;
    else
        c->headers++;
    snprintf(c->last_name, sizeof c->last_name, "%s", name);
    snprintf(c->last_value, sizeof c->last_value, "%s", value);
}

static struct http_resp R; /* ~12 KiB: keep off the stack */
static struct collect C;

/* Feeds msg in pieces of `step` bytes (0: all at once); returns the error,
   *used the bytes consumed, then calls eof when eof is set. */
static enum http_err run(const char *msg, size_t len, size_t step, bool eof, size_t *used)
{
    memset(&C, 0, sizeof C);
    http_resp_init(&R, false, header_cb, body_cb, &C);
    size_t off = 0;
    enum http_err e = HTTP_OK;
    while (off < len && !http_resp_done(&R)) {
        size_t n = step ? step : len;
        if (n > len - off)
            n = len - off;
        size_t c;
        e = http_resp_feed(&R, (const uint8_t *)msg + off, n, &c);
        assert_true(c <= n);
        off += c;
        if (e)
            break;
        if (c < n)
            assert_true(http_resp_done(&R));
    }
    if (!e && eof)
        e = http_resp_eof(&R);
    if (used)
        *used = off;
    return e;
}

static const size_t steps[] = {0, 1, 2, 3, 7, 64};
#define NSTEPS (sizeof steps / sizeof steps[0])

static void expect_ok(const char *msg, const char *body, int status, bool eof)
{
    for (size_t s = 0; s < NSTEPS; s++) {
        enum http_err e = run(msg, strlen(msg), steps[s], eof, NULL);
        if (e)
            fail_msg("step %zu: %s", steps[s], http_err_str(e));
        assert_true(http_resp_done(&R));
        assert_int_equal(R.status, status);
        assert_int_equal(C.len, strlen(body));
        assert_memory_equal(C.body, body, C.len);
        assert_int_equal(R.body_bytes, C.len);
    }
}

static void expect_err(const char *msg, size_t len, enum http_err want, bool eof)
{
    for (size_t s = 0; s < NSTEPS; s++) {
        enum http_err e = run(msg, len, steps[s], eof, NULL);
        if (e != want)
            fail_msg("step %zu: got %s want %s for [%.60s]", steps[s], http_err_str(e),
                     http_err_str(want), msg);
        /* sticky */
        assert_int_equal(http_resp_feed(&R, (const uint8_t *)"x", 1, NULL), want);
    }
}

static void test_request_writer(void **state)
{
    (void)state;
    char buf[512];
    size_t n;
    struct http_req q = {.method = "POST", .host = "api.example.com", .port = 8443,
                         .default_port = 443, .path = "/v1/chat/completions",
                         .user_agent = "os/1", .bearer = "sk-123",
                         .content_type = "application/json", .accept = "text/event-stream",
                         .has_body = true, .content_length = 42, .keep_alive = true};
    assert_int_equal(http_req_write(&q, buf, sizeof buf, &n), HTTP_OK);
    const char *want = "POST /v1/chat/completions HTTP/1.1\r\n"
                       "Host: api.example.com:8443\r\n"
                       "User-Agent: os/1\r\n"
                       "Accept: text/event-stream\r\n"
                       "Authorization: Bearer sk-123\r\n"
                       "Content-Type: application/json\r\n"
                       "Content-Length: 42\r\n"
                       "Connection: keep-alive\r\n\r\n";
    assert_int_equal(n, strlen(want));
    assert_memory_equal(buf, want, n);

    struct http_req g = {.method = "GET", .host = "h", .port = 443, .default_port = 443,
                         .path = "/x"};
    assert_int_equal(http_req_write(&g, buf, sizeof buf, &n), HTTP_OK);
    const char *wg = "GET /x HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n";
    assert_int_equal(n, strlen(wg));
    assert_memory_equal(buf, wg, n);
    /* every shorter buffer is refused, never overrun */
    for (size_t cap = 0; cap < strlen(wg); cap++)
        assert_int_equal(http_req_write(&g, buf, cap, &n), HTTP_ERR_BUFFER_TOO_SMALL);

    /* further fields, in order, after Authorization */
    struct http_req x = {.method = "POST", .host = "h", .default_port = 443, .path = "/v1/messages",
                         .bearer = "b", .content_type = "application/json",
                         .extra = {{"x-api-key", "k1"}, {"anthropic-version", "2023-06-01"}}};
    assert_int_equal(http_req_write(&x, buf, sizeof buf, &n), HTTP_OK);
    const char *wx = "POST /v1/messages HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer b\r\n"
                     "x-api-key: k1\r\nanthropic-version: 2023-06-01\r\n"
                     "Content-Type: application/json\r\nConnection: close\r\n\r\n";
    assert_int_equal(n, strlen(wx));
    assert_memory_equal(buf, wx, n);
    x.extra[1].value = "1\r\nX-Evil: 1";
    assert_int_equal(http_req_write(&x, buf, sizeof buf, &n), HTTP_ERR_BAD_ARGUMENT);
    x.extra[1].value = "1";
    x.extra[1].name = "bad name";
    assert_int_equal(http_req_write(&x, buf, sizeof buf, &n), HTTP_ERR_BAD_ARGUMENT);
    x.extra[1].name = "ok";
    x.extra[1].value = NULL;
    assert_int_equal(http_req_write(&x, buf, sizeof buf, &n), HTTP_ERR_BAD_ARGUMENT);

    /* header injection attempts */
    struct http_req bad = g;
    bad.bearer = "x\r\nX-Evil: 1";
    assert_int_equal(http_req_write(&bad, buf, sizeof buf, &n), HTTP_ERR_BAD_ARGUMENT);
    bad = g;
    bad.host = "h\nx";
    assert_int_equal(http_req_write(&bad, buf, sizeof buf, &n), HTTP_ERR_BAD_ARGUMENT);
    bad = g;
    bad.path = "/a b";
    assert_int_equal(http_req_write(&bad, buf, sizeof buf, &n), HTTP_ERR_BAD_ARGUMENT);
    bad = g;
    bad.path = "x";
    assert_int_equal(http_req_write(&bad, buf, sizeof buf, &n), HTTP_ERR_BAD_ARGUMENT);
    bad = g;
    bad.method = "GE T";
    assert_int_equal(http_req_write(&bad, buf, sizeof buf, &n), HTTP_ERR_BAD_ARGUMENT);
}

static void test_content_length(void **state)
{
    (void)state;
    expect_ok("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello",
              "hello", 200, false);
    assert_true(R.has_content_length);
    assert_int_equal(R.content_length, 5);
    assert_true(R.keep_alive);
    assert_string_equal(R.reason, "OK");
    assert_string_equal(R.content_type, "text/plain");
    assert_int_equal(C.headers, 2);
    /* case-insensitive names, OWS around values, repeated identical CL */
    expect_ok("HTTP/1.1 201 Created\r\ncOnTeNt-LeNgTh:   3  \r\ncontent-length: 3, 3\r\n\r\nabc",
              "abc", 201, false);
    expect_ok("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", "", 200, false);
    /* bare LF line endings are tolerated */
    expect_ok("HTTP/1.1 200 OK\nContent-Length: 2\n\nhi", "hi", 200, false);
    /* no reason phrase */
    expect_ok("HTTP/1.1 404\r\nContent-Length: 1\r\n\r\nx", "x", 404, false);
    assert_string_equal(R.reason, "");
}

static void test_keep_alive_pipeline(void **state)
{
    (void)state;
    const char *two = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc"
                      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nde\r\n0\r\n\r\n";
    for (size_t s = 0; s < NSTEPS; s++) {
        size_t used;
        assert_int_equal(run(two, strlen(two), steps[s], false, &used), HTTP_OK);
        assert_true(http_resp_done(&R));
        assert_int_equal(used, strlen("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc"));
        assert_true(R.keep_alive);
        /* a done parser consumes nothing more */
        size_t c = 99;
        assert_int_equal(http_resp_feed(&R, (const uint8_t *)two + used, 5, &c), HTTP_OK);
        assert_int_equal(c, 0);
        enum http_err e = run(two + used, strlen(two) - used, steps[s], false, &used);
        assert_int_equal(e, HTTP_OK);
        assert_true(http_resp_done(&R));
        assert_int_equal(C.len, 2);
        assert_memory_equal(C.body, "de", 2);
    }
    /* Connection: close and HTTP/1.0 defaults */
    expect_ok("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\nx", "x", 200, false);
    assert_false(R.keep_alive);
    expect_ok("HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx", "x", 200, false);
    assert_false(R.keep_alive);
    expect_ok("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 1\r\n\r\nx", "x", 200, false);
    assert_true(R.keep_alive);
    expect_ok("HTTP/1.1 200 OK\r\nConnection: foo, CLOSE\r\nContent-Length: 1\r\n\r\nx", "x", 200, false);
    assert_false(R.keep_alive);
}

static void test_chunked(void **state)
{
    (void)state;
    expect_ok("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
              "5\r\nhello\r\n"
              "1;name=value;x=\"q\"\r\n \r\n"
              "00000A   ;ext\r\n0123456789\r\n"
              "0\r\nX-Trailer: t1\r\nX-Other: t2\r\n\r\n",
              "hello 0123456789", 200, false);
    assert_true(R.chunked);
    assert_true(R.keep_alive);
    assert_int_equal(C.trailers, 2);
    assert_string_equal(C.last_name, "X-Other");
    assert_string_equal(C.last_value, "t2");
    expect_ok("HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\nf\r\n0123456789abcde\r\n0\r\n\r\n",
              "0123456789abcde", 200, false);
    expect_ok("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "", 200, false);
}

static void test_close_delimited(void **state)
{
    (void)state;
    expect_ok("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end", "until the end",
              200, true);
    assert_false(R.keep_alive);
    /* 204 / 304 / HEAD have no body even without a length */
    expect_ok("HTTP/1.1 204 No Content\r\n\r\n", "", 204, false);
    expect_ok("HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n", "", 304, false);
    http_resp_init(&R, true, NULL, NULL, NULL);
    const char *h = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n";
    size_t c;
    assert_int_equal(http_resp_feed(&R, (const uint8_t *)h, strlen(h), &c), HTTP_OK);
    assert_true(http_resp_done(&R));
    assert_int_equal(c, strlen(h));
    /* interim 100 Continue is skipped */
    expect_ok("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", "ok",
              200, false);
    /* up to HTTP_INTERIM_MAX interim responses are skipped, one more is refused */
    static char msg[2048];
    msg[0] = 0;
    for (int i = 0; i < HTTP_INTERIM_MAX; i++)
        strcat(msg, i % 2 ? "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                          : "HTTP/1.1 100 Continue\r\n\r\n");
    size_t fin = strlen(msg);
    strcat(msg, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    expect_ok(msg, "ok", 200, false);
    assert_int_equal(R.interim, HTTP_INTERIM_MAX);
    strcpy(msg + fin, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    expect_err(msg, strlen(msg), HTTP_ERR_TOO_MANY_INTERIM, false);
    assert_string_equal(http_err_str(HTTP_ERR_TOO_MANY_INTERIM), "http_too_many_interim");
}

static void test_truncated(void **state)
{
    (void)state;
    const char *cases[] = {
        "",
        "HTTP/1.1 200 OK\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: y\r\n",
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect_err(cases[i], strlen(cases[i]), HTTP_ERR_TRUNCATED, true);
}

static void test_malformed(void **state)
{
    (void)state;
    static const struct { const char *m; enum http_err e; } cases[] = {
        {"HTTX/1.1 200 OK\r\n\r\n", HTTP_ERR_BAD_STATUS_LINE},
        {"garbage\r\n", HTTP_ERR_BAD_STATUS_LINE},
        {"HTTP/2.0 200 OK\r\n\r\n", HTTP_ERR_BAD_VERSION},
        {"HTTP/1.x 200 OK\r\n\r\n", HTTP_ERR_BAD_VERSION},
        {"HTTP/1.1 2x0 OK\r\n\r\n", HTTP_ERR_BAD_STATUS_CODE},
        {"HTTP/1.1 099 OK\r\n\r\n", HTTP_ERR_BAD_STATUS_CODE},
        {"HTTP/1.1 600 OK\r\n\r\n", HTTP_ERR_BAD_STATUS_CODE},
        {"HTTP/1.1 2000 OK\r\n\r\n", HTTP_ERR_BAD_STATUS_CODE},
        {"HTTP/1.1 200 OK\r\nNoColon\r\n\r\n", HTTP_ERR_BAD_HEADER},
        {"HTTP/1.1 200 OK\r\n: empty\r\n\r\n", HTTP_ERR_BAD_HEADER},
        {"HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n", HTTP_ERR_BAD_HEADER},
        {"HTTP/1.1 200 OK\r\nName : x\r\n\r\n", HTTP_ERR_BAD_HEADER},
        {"HTTP/1.1 200 OK\r\nX: a\x01b\r\n\r\n", HTTP_ERR_BAD_HEADER},
        {"HTTP/1.1 200 OK\r\nX: a\r\n folded\r\n\r\n", HTTP_ERR_OBS_FOLD},
        {"HTTP/1.1 200 OK\rX: y\r\n\r\n", HTTP_ERR_BARE_CR},
        {"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", HTTP_ERR_BAD_CONTENT_LENGTH},
        {"HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n", HTTP_ERR_BAD_CONTENT_LENGTH},
        {"HTTP/1.1 200 OK\r\nContent-Length: \r\n\r\n", HTTP_ERR_BAD_CONTENT_LENGTH},
        {"HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\n", HTTP_ERR_BAD_CONTENT_LENGTH},
        {"HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\n", HTTP_ERR_BAD_CONTENT_LENGTH},
        {"HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551615\r\n\r\n", HTTP_ERR_BAD_CONTENT_LENGTH},
        {"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", HTTP_ERR_CONFLICTING_CONTENT_LENGTH},
        {"HTTP/1.1 200 OK\r\nContent-Length: 5, 6\r\n\r\n", HTTP_ERR_CONFLICTING_CONTENT_LENGTH},
        {"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", HTTP_ERR_CL_AND_TE},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n", HTTP_ERR_CL_AND_TE},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", HTTP_ERR_UNSUPPORTED_TRANSFER_ENCODING},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", HTTP_ERR_UNSUPPORTED_TRANSFER_ENCODING},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: \r\n\r\n", HTTP_ERR_UNSUPPORTED_TRANSFER_ENCODING},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", HTTP_ERR_BAD_CHUNK_SIZE},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\r\n", HTTP_ERR_BAD_CHUNK_SIZE},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n", HTTP_ERR_BAD_CHUNK_SIZE},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5 x\r\n", HTTP_ERR_BAD_CHUNK_SIZE},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000000\r\n", HTTP_ERR_CHUNK_SIZE_OVERFLOW},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n", HTTP_ERR_BAD_CHUNK_END},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\rx", HTTP_ERR_BARE_CR},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\nbad trailer\r\n\r\n", HTTP_ERR_BAD_HEADER},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect_err(cases[i].m, strlen(cases[i].m), cases[i].e, false);
    /* NUL inside the status line */
    expect_err("HTTP/1.1 200 O\0K\r\n\r\n", 20, HTTP_ERR_BAD_STATUS_LINE, false);
}

static void test_limits(void **state)
{
    (void)state;
    static char msg[20000];
    /* one line longer than HTTP_LINE_MAX */
    strcpy(msg, "HTTP/1.1 200 OK\r\nX-Long: ");
    size_t o = strlen(msg);
    memset(msg + o, 'a', HTTP_LINE_MAX);
    strcpy(msg + o + HTTP_LINE_MAX, "\r\n\r\n");
    expect_err(msg, strlen(msg), HTTP_ERR_LINE_TOO_LONG, false);
    /* many medium headers beyond HTTP_HEADERS_MAX in total */
    strcpy(msg, "HTTP/1.1 200 OK\r\n");
    for (int i = 0; i < 40; i++)
        sprintf(msg + strlen(msg), "X-%02d: %0300d\r\n", i, 0);
    strcat(msg, "\r\n");
    expect_err(msg, strlen(msg), HTTP_ERR_HEADERS_TOO_LARGE, false);
    /* too many small headers */
    strcpy(msg, "HTTP/1.1 200 OK\r\n");
    for (int i = 0; i < HTTP_HEADER_COUNT + 1; i++)
        strcat(msg, "A: b\r\n");
    strcat(msg, "\r\n");
    expect_err(msg, strlen(msg), HTTP_ERR_TOO_MANY_HEADERS, false);
    /* an endless chunk-size line of zeros is bounded too */
    strcpy(msg, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
    o = strlen(msg);
    memset(msg + o, '0', 5000);
    msg[o + 5000] = 0;
    expect_err(msg, strlen(msg), HTTP_ERR_LINE_TOO_LONG, false);
}

static void test_abort_and_large(void **state)
{
    (void)state;
    static char msg[70000];
    int hl = sprintf(msg, "HTTP/1.1 200 OK\r\nContent-Length: 65536\r\n\r\n");
    for (int i = 0; i < 65536; i++)
        msg[hl + i] = (char)(i * 7 + 3);
    size_t len = (size_t)hl + 65536;
    for (size_t s = 0; s < NSTEPS; s++) {
        assert_int_equal(run(msg, len, steps[s] ? steps[s] * 101 : 0, false, NULL), HTTP_OK);
        assert_int_equal(C.len, 65536);
        assert_memory_equal(C.body, msg + hl, 65536);
    }
    memset(&C, 0, sizeof C);
    C.abort_after = 100;
    http_resp_init(&R, false, NULL, body_cb, &C);
    assert_int_equal(http_resp_feed(&R, (const uint8_t *)msg, len, NULL), HTTP_ERR_ABORTED);
    assert_int_equal(http_resp_eof(&R), HTTP_ERR_ABORTED);
    assert_string_equal(http_err_str(HTTP_ERR_CL_AND_TE), "http_content_length_and_transfer_encoding");
}

static void test_helpers(void **state)
{
    (void)state;
    assert_true(ascii_strcaseeq("Content-Length", "content-LENGTH"));
    assert_false(ascii_strcaseeq("Content-Length", "content-lengt"));
    assert_true(http_list_has_token("a, Keep-Alive ,b", "keep-alive"));
    assert_false(http_list_has_token("keep-alivex", "keep-alive"));
    assert_false(http_list_has_token("", "close"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_request_writer),
        cmocka_unit_test(test_content_length),
        cmocka_unit_test(test_keep_alive_pipeline),
        cmocka_unit_test(test_chunked),
        cmocka_unit_test(test_close_delimited),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_abort_and_large),
        cmocka_unit_test(test_helpers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
