/* Server-sent events parser: line endings, multi-line data, comments, event
   and id fields, BOM, limits; piecewise feeding equals one-shot feeding. */
#include "unit.h"
#include "http/sse.h"

struct ev_log {
    char text[8192];
    size_t len;
    int count;
    int stop_after;
};

static bool on_ev(void *ctx, const char *type, const char *data, size_t len, const char *id)
{
    struct ev_log *l = ctx;
    assert_int_equal(strlen(data), len); /* NUL-terminated, no NUL inside here */
    l->len += (size_t)snprintf(l->text + l->len, sizeof l->text - l->len, "<%s|%s|%s>", type,
                               data, id);
    l->count++;
    return !(l->stop_after && l->count >= l->stop_after);
}

static struct sse S;
static struct sse_bufs SB;
static struct ev_log L;

static enum sse_err run(const char *s, size_t len, size_t step)
{
    memset(&L, 0, sizeof L);
    sse_use_bufs(&S, &SB);
    sse_init(&S, on_ev, &L);
    for (size_t o = 0; o < len;) {
        size_t n = step && step < len - o ? step : len - o;
        enum sse_err e = sse_feed(&S, (const uint8_t *)s + o, n);
        if (e)
            return e;
        o += n;
    }
    return sse_finish(&S);
}

static void expect(const char *stream, const char *want, int count)
{
    static const size_t steps[] = {0, 1, 2, 3, 5};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        assert_int_equal(run(stream, strlen(stream), steps[i]), SSE_OK);
        if (strcmp(L.text, want) != 0)
            fail_msg("step %zu: got %s want %s", steps[i], L.text, want);
        assert_int_equal(L.count, count);
        assert_int_equal(S.events, (unsigned)count);
    }
}

static void test_basic(void **state)
{
    (void)state;
    expect("data: {\"a\":1}\n\ndata: [DONE]\n\n", "<message|{\"a\":1}|><message|[DONE]|>", 2);
    /* CRLF, CR and LF endings mixed */
    expect("data: a\r\n\r\ndata: b\r\rdata: c\n\n", "<message|a|><message|b|><message|c|>", 3);
    /* multi-line data joined with LF; no space after colon; field without colon */
    expect("data: one\ndata:two\ndata\n\n", "<message|one\ntwo\n|>", 1);
    /* comments, unknown fields, event and id */
    expect(": keep-alive\nfoo: bar\nevent: delta\nid: 42\ndata: x\n\ndata: y\n\n",
           "<delta|x|42><message|y|42>", 2);
    /* empty event (no data) is not dispatched; only one leading space removed */
    expect("event: nothing\n\ndata:  two spaces\n\n", "<message| two spaces|>", 1);
    /* an incomplete final event is discarded */
    expect("data: complete\n\ndata: partial\n", "<message|complete|>", 1);
    /* BOM skipped only at the start */
    expect("\xef\xbb\xbf" "data: bom\n\n", "<message|bom|>", 1);
    /* retry */
    assert_int_equal(run("retry: 1500\n\n", 13, 0), SSE_OK);
    assert_int_equal(S.retry_ms, 1500);
    assert_int_equal(run("retry: 15x\n\n", 12, 0), SSE_OK);
    assert_int_equal(S.retry_ms, -1);
}

static void test_limits(void **state)
{
    (void)state;
    static char big[SSE_DATA_MAX * 2];
    strcpy(big, "data: ");
    memset(big + 6, 'a', SSE_LINE_MAX);
    strcpy(big + 6 + SSE_LINE_MAX, "\n\n");
    assert_int_equal(run(big, strlen(big), 0), SSE_ERR_LINE_TOO_LONG);
    assert_int_equal(sse_feed(&S, (const uint8_t *)"\n", 1), SSE_ERR_LINE_TOO_LONG); /* sticky */
    /* many lines accumulating past SSE_DATA_MAX */
    size_t o = 0;
    for (int i = 0; i < SSE_DATA_MAX / 4000 + 1; i++) {
        memcpy(big + o, "data: ", 6);
        o += 6;
        memset(big + o, 'b', 4000);
        o += 4000;
        big[o++] = '\n';
    }
    big[o++] = '\n';
    big[o] = 0;
    assert_int_equal(run(big, o, 0), SSE_ERR_DATA_TOO_LARGE);
    /* a line of exactly SSE_LINE_MAX bytes is accepted */
    strcpy(big, "data: ");
    memset(big + 6, 'c', SSE_LINE_MAX - 6);
    big[SSE_LINE_MAX] = 0;
    assert_int_equal(run(big, strlen(big), 0), SSE_OK);
    /* abort from the callback */
    memset(&L, 0, sizeof L);
    L.stop_after = 1;
    sse_use_bufs(&S, &SB);
    sse_init(&S, on_ev, &L);
    const char *two = "data: 1\n\ndata: 2\n\n";
    assert_int_equal(sse_feed(&S, (const uint8_t *)two, strlen(two)), SSE_ERR_ABORTED);
    assert_int_equal(L.count, 1);
    assert_string_equal(sse_err_str(SSE_ERR_ABORTED), "sse_aborted");
}

/* Caller buffers of any size bound lines and events to what they hold:
   a 16-byte line buffer takes a 16-byte line and refuses a 17-byte one; an
   8-byte data buffer holds 6 bytes of data (with the LF and the NUL) and
   refuses 7; sse_init keeps the buffers; without any, the first feed
   fails. */
static void test_small_bufs(void **state)
{
    (void)state;
    char line[16], data[8];
    memset(&L, 0, sizeof L);
    sse_set_bufs(&S, line, sizeof line, data, sizeof data);
    sse_init(&S, on_ev, &L);
    const char *ok = "data: 123456\n\n:234567890123456\n";    /* 6 data bytes; a 16-byte comment */
    assert_int_equal(sse_feed(&S, (const uint8_t *)ok, strlen(ok)), SSE_OK);
    assert_int_equal(L.count, 1);
    assert_string_equal(L.text, "<message|123456|>");
    const char *big = "data: 1234567\n";
    assert_int_equal(sse_feed(&S, (const uint8_t *)big, strlen(big)), SSE_ERR_DATA_TOO_LARGE);
    sse_init(&S, on_ev, &L);                         /* same buffers, error cleared */
    const char *longer = ":2345678901234567\n";      /* 17 bytes */
    assert_int_equal(sse_feed(&S, (const uint8_t *)longer, strlen(longer)), SSE_ERR_LINE_TOO_LONG);
    static struct sse none;
    sse_init(&none, on_ev, &L);
    assert_int_equal(sse_feed(&none, (const uint8_t *)ok, strlen(ok)), SSE_ERR_LINE_TOO_LONG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_small_bufs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
