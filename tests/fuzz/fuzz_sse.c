/* libFuzzer target: the SSE parser and the LLM response consumer. The event
   log of a piecewise run must equal the one-shot run's. */
#include "http/llm.h"
#include "http/sse.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t h1, h2;

static bool ev(void *ctx, const char *type, const char *data, size_t len, const char *id)
{
    uint64_t *h = ctx;
    for (const char *p = type; *p; p++)
        *h = *h * 131 + (uint8_t)*p;
    for (size_t i = 0; i < len; i++)
        *h = *h * 131 + (uint8_t)data[i];
    for (const char *p = id; *p; p++)
        *h = *h * 131 + (uint8_t)*p;
    *h += 7;
    return true;
}

static bool content(void *ctx, const char *s, size_t n)
{
    (void)ctx;
    (void)s;
    if (n == 0)
        abort();
    return true;
}

static struct sse s1, s2;
static struct llm_resp lr;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t step = (size_t)(data[0] % 11) + 1;
    data++, size--;
    h1 = h2 = 0;
    sse_init(&s1, ev, &h1);
    sse_init(&s2, ev, &h2);
    enum sse_err e1 = SSE_OK;
    for (size_t o = 0; o < size && !e1; o += step)
        e1 = sse_feed(&s1, data + o, step < size - o ? step : size - o);
    enum sse_err e2 = sse_feed(&s2, data, size);
    if (e1 != e2 || (e1 == SSE_OK && (h1 != h2 || s1.events != s2.events)))
        abort();

    /* the same bytes as an HTTP response body to the LLM consumer */
    llm_resp_init(&lr, content, NULL);
    static const char head[] = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n";
    llm_resp_feed(&lr, (const uint8_t *)head, sizeof head - 1, NULL);
    for (size_t o = 0; o < size && !llm_resp_done(&lr); o += step)
        llm_resp_feed(&lr, data + o, step < size - o ? step : size - o, NULL);
    llm_resp_eof(&lr);
    char msg[300];
    llm_resp_describe(&lr, msg, sizeof msg);
    return 0;
}
