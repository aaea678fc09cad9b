/* http_client over a fake stream: request bytes written whole, responses
   read in pieces of varied size through read buffers of varied size (the
   default 4 KiB, mem=small's 1 KiB, a few bytes), keep-alive reuse with
   bytes of the next response already buffered, header lines longer than
   the read buffer, a refused buffer, EOF and I/O errors, and the LLM
   sink. */
#include "unit.h"
#include "http/http_client.h"
#include "llm/llm.h"

struct fake {
    const char *in;
    size_t in_len, in_off;
    size_t piece;          /* max bytes per read */
    long fail_read_at;     /* -1: never; else fail when in_off reaches it */
    bool unauth_end;       /* the end is HTTP_STREAM_END_UNAUTHENTICATED, not 0 */
    size_t write_max;      /* max bytes per write (short writes) */
    bool fail_write;
    char out[8192];
    size_t out_len;
    int reads;
    size_t max_ask;        /* the largest len a read was given */
};

static long f_read(void *ctx, uint8_t *buf, size_t len)
{
    struct fake *f = ctx;
    f->reads++;
    if (len > f->max_ask)
        f->max_ask = len;
    if (f->fail_read_at >= 0 && f->in_off >= (size_t)f->fail_read_at)
        return -1;
    size_t n = f->in_len - f->in_off;
    if (n == 0 && f->unauth_end)
        return HTTP_STREAM_END_UNAUTHENTICATED;
    if (n > len)
        n = len;
    if (n > f->piece)
        n = f->piece;
    memcpy(buf, f->in + f->in_off, n);
    f->in_off += n;
    return (long)n;
}

static long f_write(void *ctx, const uint8_t *buf, size_t len)
{
    struct fake *f = ctx;
    if (f->fail_write)
        return -1;
    size_t n = len < f->write_max ? len : f->write_max;
    assert_true(f->out_len + n <= sizeof f->out);
    memcpy(f->out + f->out_len, buf, n);
    f->out_len += n;
    return (long)n;
}

#define GUARD 64
static struct fake F;
static struct http_client C;
/* the client's read buffer: CAP bytes of it given, the rest a guard that
   must stay untouched */
static uint8_t CBUF[HTTP_CLIENT_BUF + GUARD];
static size_t CAP = HTTP_CLIENT_BUF;
static struct http_resp R;
static char BODY[100000];
static size_t BODY_LEN;

static bool body(void *ctx, const uint8_t *p, size_t n)
{
    (void)ctx;
    memcpy(BODY + BODY_LEN, p, n);
    BODY_LEN += n;
    return true;
}

static void setup_fake(const char *in, size_t piece)
{
    memset(&F, 0, sizeof F);
    F.in = in;
    F.in_len = strlen(in);
    F.piece = piece;
    F.fail_read_at = -1;
    F.write_max = 5;
    struct byte_stream s = {&F, f_read, f_write};
    memset(CBUF, 0xa5, sizeof CBUF);
    assert_int_equal(http_client_init(&C, &s, CBUF, CAP), HTTPC_OK);
}

/* No read asked for more than the buffer, no byte past it was written. */
static void check_buffer_bounds(void)
{
    assert_true(F.max_ask <= CAP);
    for (size_t i = CAP; i < sizeof CBUF; i++)
        assert_int_equal(CBUF[i], 0xa5);
}

static enum http_client_err get(const char *req)
{
    struct http_sink sink;
    BODY_LEN = 0;
    http_resp_init(&R, false, NULL, body, NULL);
    http_sink_for_resp(&sink, &R);
    return http_client_exchange(&C, (const uint8_t *)req, strlen(req), &sink);
}

static void test_keep_alive(void **state)
{
    (void)state;
    const char *in = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst"
                     "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nsecond\r\n0\r\n\r\n"
                     "HTTP/1.1 404 Not Found\r\nContent-Length: 4\r\nConnection: close\r\n\r\nnope";
    static const size_t pieces[] = {1, 3, 40, 4096};
    static const size_t caps[] = {HTTP_CLIENT_BUF, 1024, 7, 1};
    for (size_t i = 0; i < 16; i++) {
        CAP = caps[i / 4];
        setup_fake(in, pieces[i % 4]);
        assert_int_equal(get("GET /1 HTTP/1.1\r\n\r\n"), HTTPC_OK);
        assert_int_equal(R.status, 200);
        assert_int_equal(BODY_LEN, 5);
        assert_memory_equal(BODY, "first", 5);
        assert_int_equal(get("GET /2 HTTP/1.1\r\n\r\n"), HTTPC_OK);
        assert_int_equal(BODY_LEN, 6);
        assert_memory_equal(BODY, "second", 6);
        assert_int_equal(get("GET /3 HTTP/1.1\r\n\r\n"), HTTPC_OK);
        assert_int_equal(R.status, 404);
        assert_false(R.keep_alive);
        assert_int_equal(C.exchanges, 3);
        /* all three requests written in full, in order, despite short writes */
        assert_int_equal(F.out_len, 3 * strlen("GET /1 HTTP/1.1\r\n\r\n"));
        assert_memory_equal(F.out + 2 * 19, "GET /3", 6);
        assert_int_equal(C.bytes_in, strlen(in));
        /* the stream is now exhausted: the next exchange sees EOF at once */
        assert_int_equal(get("GET /4 HTTP/1.1\r\n\r\n"), HTTPC_ERR_CLOSED);
        assert_int_equal(get("GET /5 HTTP/1.1\r\n\r\n"), HTTPC_ERR_NOT_REUSABLE);
        check_buffer_bounds();
    }
    CAP = HTTP_CLIENT_BUF;
}

static size_t LONG_VALUE_LEN;
static char LONG_VALUE_HEAD[8];

static void on_header(void *ctx, const char *name, const char *value, bool trailer)
{
    (void)ctx;
    (void)trailer;
    if (strcmp(name, "X-Long") == 0) {
        LONG_VALUE_LEN = strlen(value);
        memcpy(LONG_VALUE_HEAD, value, sizeof LONG_VALUE_HEAD);
    }
}

/* A response whose "X-Long" header line is line_len bytes (CRLF not
   counted), then a body "ok", then a second response. */
static char LONG_IN[HTTP_LINE_MAX + 400];
static const char *long_header_response(size_t line_len)
{
    size_t o = 0;
    o += (size_t)snprintf(LONG_IN, sizeof LONG_IN, "HTTP/1.1 200 OK\r\nX-Long: ");
    assert_true(line_len > 8 && line_len - 8 + o + 80 < sizeof LONG_IN);
    memset(LONG_IN + o, 'v', line_len - 8);
    o += line_len - 8;
    snprintf(LONG_IN + o, sizeof LONG_IN - o,
             "\r\nContent-Length: 2\r\n\r\nok"
             "HTTP/1.1 204 No Content\r\n\r\n");
    return LONG_IN;
}

static enum http_client_err get_with_headers(void)
{
    struct http_sink sink;
    BODY_LEN = 0;
    LONG_VALUE_LEN = 0;
    http_resp_init(&R, false, on_header, body, NULL);
    http_sink_for_resp(&sink, &R);
    return http_client_exchange(&C, (const uint8_t *)"GET / HTTP/1.1\r\n\r\n", 18, &sink);
}

/* The read buffer bounds no line: a header line of 4000 bytes arrives whole
   through buffers of 1 KiB, 16 bytes and one byte (the parser assembles it
   in its own line buffer), and a line over HTTP_LINE_MAX is the parser's
   named error, whatever the buffer, never a read past the buffer. */
static void test_header_longer_than_buffer(void **state)
{
    (void)state;
    static const size_t caps[] = {1024, 16, 1, HTTP_CLIENT_BUF};
    for (size_t i = 0; i < 4; i++) {
        CAP = caps[i];
        setup_fake(long_header_response(4000), 4096);
        assert_int_equal(get_with_headers(), HTTPC_OK);
        assert_int_equal(R.status, 200);
        assert_int_equal(LONG_VALUE_LEN, 4000 - 8);
        assert_memory_equal(LONG_VALUE_HEAD, "vvvvvvvv", 8);
        assert_int_equal(BODY_LEN, 2);
        assert_memory_equal(BODY, "ok", 2);
        /* reads of at most CAP bytes: a 1 KiB buffer took several */
        assert_true((size_t)F.reads >= (4000 + CAP - 1) / CAP);
        assert_int_equal(get_with_headers(), HTTPC_OK);   /* the next response, kept */
        assert_int_equal(R.status, 204);
        check_buffer_bounds();

        setup_fake(long_header_response(HTTP_LINE_MAX + 100), 4096);
        assert_int_equal(get_with_headers(), HTTPC_ERR_RESPONSE);
        assert_int_equal(R.err, HTTP_ERR_LINE_TOO_LONG);
        assert_string_equal(http_err_str(R.err), "http_line_too_long");
        assert_int_equal(get_with_headers(), HTTPC_ERR_NOT_REUSABLE);
        check_buffer_bounds();
    }
    CAP = HTTP_CLIENT_BUF;
}

/* No buffer, or one under HTTP_CLIENT_BUF_MIN: a named error at init, and
   the client refuses every exchange without writing or reading. */
static void test_bad_buffer(void **state)
{
    (void)state;
    memset(&F, 0, sizeof F);
    F.fail_read_at = -1;
    F.write_max = 100;
    struct byte_stream s = {&F, f_read, f_write};
    assert_int_equal(http_client_init(&C, &s, NULL, 4096), HTTPC_ERR_BAD_BUFFER);
    assert_int_equal(get("GET / HTTP/1.1\r\n\r\n"), HTTPC_ERR_NOT_REUSABLE);
    assert_int_equal(http_client_init(&C, &s, CBUF, HTTP_CLIENT_BUF_MIN - 1), HTTPC_ERR_BAD_BUFFER);
    assert_int_equal(get("GET / HTTP/1.1\r\n\r\n"), HTTPC_ERR_NOT_REUSABLE);
    assert_int_equal(F.out_len, 0);
    assert_int_equal(F.reads, 0);
    assert_string_equal(http_client_err_str(HTTPC_ERR_BAD_BUFFER), "bad_buffer");
    /* the smallest accepted buffer works */
    assert_int_equal(http_client_init(&C, &s, CBUF, HTTP_CLIENT_BUF_MIN), HTTPC_OK);
}

static void test_close_delimited_and_errors(void **state)
{
    (void)state;
    setup_fake("HTTP/1.1 200 OK\r\n\r\nto the end", 4);
    assert_int_equal(get("GET / HTTP/1.1\r\n\r\n"), HTTPC_OK);
    assert_int_equal(BODY_LEN, 10);
    assert_int_equal(get("GET / HTTP/1.1\r\n\r\n"), HTTPC_ERR_NOT_REUSABLE);

    setup_fake("HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\nshort", 7);
    assert_int_equal(get("GET / HTTP/1.1\r\n\r\n"), HTTPC_ERR_RESPONSE);
    assert_int_equal(R.err, HTTP_ERR_TRUNCATED);

    setup_fake("HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\nshort", 7);
    F.fail_read_at = 10;
    assert_int_equal(get("GET / HTTP/1.1\r\n\r\n"), HTTPC_ERR_READ);

    setup_fake("", 7);
    F.fail_write = true;
    assert_int_equal(get("GET / HTTP/1.1\r\n\r\n"), HTTPC_ERR_WRITE);
    assert_int_equal(F.reads, 0);
    assert_int_equal(get("GET / HTTP/1.1\r\n\r\n"), HTTPC_ERR_NOT_REUSABLE);

    setup_fake("garbage\r\n\r\n", 100);
    assert_int_equal(get("GET / HTTP/1.1\r\n\r\n"), HTTPC_ERR_RESPONSE);
    assert_int_equal(R.err, HTTP_ERR_BAD_STATUS_LINE);
    assert_string_equal(http_client_err_str(HTTPC_ERR_CLOSED), "connection_closed");
}

/* The stream ends without proof that the server ended it (TLS: TCP FIN
   without close_notify): no response completes on it, a close-delimited
   body included, and the sink is not told the body ended. */
static void test_unauthenticated_end(void **state)
{
    (void)state;
    static const size_t pieces[] = {1, 4, 4096};
    for (size_t i = 0; i < 3; i++) {
        setup_fake("HTTP/1.1 200 OK\r\n\r\nto the end", pieces[i]);
        F.unauth_end = true;
        assert_int_equal(get("GET / HTTP/1.1\r\n\r\n"), HTTPC_ERR_TRUNCATED);
        assert_int_equal(BODY_LEN, 10);          /* delivered as it came ... */
        assert_false(http_resp_done(&R));        /* ... but never complete */
        assert_int_equal(R.err, HTTP_OK);
        assert_int_equal(get("GET / HTTP/1.1\r\n\r\n"), HTTPC_ERR_NOT_REUSABLE);
    }
    /* Content-Length and chunked bodies cut short: truncated too */
    setup_fake("HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\nshort", 7);
    F.unauth_end = true;
    assert_int_equal(get("GET / HTTP/1.1\r\n\r\n"), HTTPC_ERR_TRUNCATED);
    setup_fake("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n", 7);
    F.unauth_end = true;
    assert_int_equal(get("GET / HTTP/1.1\r\n\r\n"), HTTPC_ERR_TRUNCATED);
    /* a response complete by its length is not read past: the end after it
       does not matter */
    setup_fake("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", 3);
    F.unauth_end = true;
    assert_int_equal(get("GET / HTTP/1.1\r\n\r\n"), HTTPC_OK);
    assert_memory_equal(BODY, "ok", 2);
    /* no response byte at all: the idle connection closed (callers may retry) */
    setup_fake("", 7);
    F.unauth_end = true;
    assert_int_equal(get("GET / HTTP/1.1\r\n\r\n"), HTTPC_ERR_CLOSED);
    assert_string_equal(http_client_err_str(HTTPC_ERR_TRUNCATED), "truncated");
}

static struct llm_resp L;

static struct llm_resp_bufs L_bufs;
static char TEXT[1000];
static size_t TEXT_LEN;

static bool content(void *ctx, const char *s, size_t n)
{
    (void)ctx;
    memcpy(TEXT + TEXT_LEN, s, n);
    TEXT_LEN += n;
    return true;
}

static void test_llm_sink(void **state)
{
    (void)state;
    const char *in =
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: 114\r\n\r\n"
        "data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\n"
        "data: {\"choices\":[{\"delta\":{\"content\":\" there\"}}]}\n\n"
        "data: [DONE]\n\n"
        "HTTP/1.1 401 Unauthorized\r\nContent-Length: 31\r\n\r\n{\"error\":{\"message\":\"bad key\"}}";
    static const size_t caps[] = {HTTP_CLIENT_BUF, 1024, 5};
    for (size_t c = 0; c < 3; c++) {
        CAP = caps[c];
        TEXT_LEN = 0;
        setup_fake(in, 9);
        struct http_sink sink;
        llm_resp_use_bufs(&L, &L_bufs);
        llm_resp_init(&L, &llm_openai_chat, content, NULL);
        llm_sink(&sink, &L);
        assert_int_equal(http_client_exchange(&C, (const uint8_t *)"x", 1, &sink), HTTPC_OK);
        assert_int_equal(L.err, LLM_OK);
        assert_true(llm_resp_keep_alive(&L));
        TEXT[TEXT_LEN] = 0;
        assert_string_equal(TEXT, "Hi there");
        llm_resp_use_bufs(&L, &L_bufs);
        llm_resp_init(&L, &llm_openai_chat, content, NULL);
        llm_sink(&sink, &L);
        assert_int_equal(http_client_exchange(&C, (const uint8_t *)"y", 1, &sink), HTTPC_ERR_RESPONSE);
        char m[200];
        llm_resp_describe(&L, m, sizeof m);
        assert_string_equal(m, "llm: error status=401 message=bad key");
        assert_false(llm_resp_keep_alive(&L));
        check_buffer_bounds();
    }
    CAP = HTTP_CLIENT_BUF;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keep_alive),
        cmocka_unit_test(test_close_delimited_and_errors),
        cmocka_unit_test(test_unauthenticated_end),
        cmocka_unit_test(test_llm_sink),
        cmocka_unit_test(test_header_longer_than_buffer),
        cmocka_unit_test(test_bad_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
