/* libFuzzer target: the SSE parser. The event log of a piecewise run must
   equal the one-shot run's. (The LLM response driver over SSE has its own
   target, tests/fuzz/fuzz_llm.c.) */
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

static struct sse s1, s2;
static struct sse_bufs b1, b2;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t step = (size_t)(data[0] % 11) + 1;
    data++, size--;
    h1 = h2 = 0;
    sse_use_bufs(&s1, &b1);
    sse_use_bufs(&s2, &b2);
    sse_init(&s1, ev, &h1);
    sse_init(&s2, ev, &h2);
    enum sse_err e1 = SSE_OK;
    for (size_t o = 0; o < size && !e1; o += step)
        e1 = sse_feed(&s1, data + o, step < size - o ? step : size - o);
    enum sse_err e2 = sse_feed(&s2, data, size);
    if (e1 != e2 || (e1 == SSE_OK && (h1 != h2 || s1.events != s2.events)))
        abort();
    return 0;
}
