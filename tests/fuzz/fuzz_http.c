/* libFuzzer target: the HTTP response parser. The first input byte picks a
   piece size; the rest is fed in pieces and, separately, in one go. Both
   runs must agree on the error, the consumed count and the body bytes. */
#include "http/http.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct acc {
    uint64_t sum, n;
};

static bool body(void *ctx, const uint8_t *p, size_t n)
{
    struct acc *a = ctx;
    for (size_t i = 0; i < n; i++)
        a->sum = a->sum * 31 + p[i];
    a->n += n;
    return true;
}

static void header(void *ctx, const char *name, const char *value, bool trailer)
{
    (void)ctx;
    if (strlen(name) == 0 || strlen(value) > HTTP_LINE_MAX || (trailer && !*name))
        abort();
}

static enum http_err run(const uint8_t *d, size_t len, size_t step, struct acc *a, size_t *used)
{
    static struct http_resp r;
    http_resp_init(&r, false, header, body, a);
    size_t off = 0;
    enum http_err e = HTTP_OK;
    while (off < len && !http_resp_done(&r)) {
        size_t n = step < len - off ? step : len - off, c;
        e = http_resp_feed(&r, d + off, n, &c);
        if (c > n)
            abort();
        off += c;
        if (e)
            break;
        if (c < n && !http_resp_done(&r))
            abort();
    }
    if (!e)
        e = http_resp_eof(&r);
    if (r.body_bytes != a->n || a->n > len)
        abort();
    *used = off;
    return e;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t step = (size_t)(data[0] % 17) + 1;
    struct acc a1 = {0, 0}, a2 = {0, 0};
    size_t u1, u2;
    enum http_err e1 = run(data + 1, size - 1, step, &a1, &u1);
    enum http_err e2 = run(data + 1, size - 1, size, &a2, &u2);
    if (e1 != e2 || a1.sum != a2.sum || a1.n != a2.n || (e1 == HTTP_OK && u1 != u2))
        abort();
    if (!http_err_str(e1)[0])
        abort();
    return 0;
}
