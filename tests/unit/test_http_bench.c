/* Throughput of the pure http/ parsers (host, -O2, no sanitizers): the
   response parser on Content-Length and chunked bodies (one-shot and in
   1460-byte TCP-sized pieces), the JSON tokenizer on an LLM-sized response,
   the SSE parser on a delta stream. Built and run by `make bench-http`
   (not a cmocka suite: it prints figures). */
#include "http/http.h"
#include "http/json.h"
#include "http/sse.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static size_t sink_bytes;
static bool body(void *ctx, const uint8_t *p, size_t n)
{
    (void)ctx;
    sink_bytes += n + p[0] * 0;
    return true;
}

static double parse_mbps(const uint8_t *msg, size_t len, size_t piece, int reps)
{
    static struct http_resp r;
    double t0 = now();
    for (int k = 0; k < reps; k++) {
        http_resp_init(&r, false, NULL, body, NULL);
        for (size_t o = 0; o < len;) {
            size_t n = piece < len - o ? piece : len - o, c;
            if (http_resp_feed(&r, msg + o, n, &c) != HTTP_OK) {
                fprintf(stderr, "parse error\n");
                exit(1);
            }
            o += c;
            if (http_resp_done(&r))
                break;
        }
        if (!http_resp_done(&r)) {
            fprintf(stderr, "not done\n");
            exit(1);
        }
    }
    return (double)len * reps / (now() - t0) / 1e6;
}

static bool ev(void *ctx, const char *t, const char *d, size_t n, const char *id)
{
    (void)ctx, (void)t, (void)d, (void)id;
    sink_bytes += n;
    return true;
}

int main(void)
{
    /* header-heavy: a typical 12-field response head, no body */
    static char head[2048];
    size_t hl = (size_t)sprintf(head, "HTTP/1.1 200 OK\r\nDate: Wed, 25 Nov 2026 07:00:00 GMT\r\n"
        "Server: nginx/1.22.1\r\nContent-Type: application/json; charset=utf-8\r\n"
        "Content-Length: 0\r\nConnection: keep-alive\r\nCache-Control: no-cache, must-revalidate\r\n"
        "X-Request-Id: 7d1f0c2e-9b3a-4a7e-8c55-0f2d9e6b1a44\r\nStrict-Transport-Security: max-age=31536000\r\n"
        "Vary: Accept-Encoding\r\nAccess-Control-Allow-Origin: *\r\nopenai-processing-ms: 412\r\n"
        "x-ratelimit-remaining-requests: 9999\r\n\r\n");
    int reps = 200000;
    double t0 = now();
    parse_mbps((const uint8_t *)head, hl, hl, reps);
    double dt = now() - t0;
    printf("bench-http: response head (%zu bytes, 12 fields): %.0f heads/s, %.0f MB/s\n", hl,
           reps / dt, (double)hl * reps / dt / 1e6);
    /* chunk framing: a 1 MiB body in 64-byte chunks, fed in 1460-byte pieces */
    size_t body_len = 1 << 20;
    uint8_t *ch = malloc(body_len * 2 + 4096);
    size_t o = (size_t)sprintf((char *)ch, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
    for (size_t left = body_len; left;) {
        size_t n = left < 64 ? left : 64;
        o += (size_t)sprintf((char *)ch + o, "%zx\r\n", n);
        memset(ch + o, 'y', n);
        o += n;
        memcpy(ch + o, "\r\n", 2);
        o += 2;
        left -= n;
    }
    o += (size_t)sprintf((char *)ch + o, "0\r\n\r\n");
    printf("bench-http: chunked body in 64-byte chunks, 1460-byte pieces: %.0f MB/s of body\n",
           parse_mbps(ch, o, 1460, 20) * (double)body_len / (double)o);

    /* JSON: a chat.completion with a 16 KiB escaped content string plus usage */
    static char js[40000];
    size_t jl = (size_t)sprintf(js, "{\"id\":\"c\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,"
                                    "\"message\":{\"role\":\"assistant\",\"content\":\"");
    for (int i = 0; i < 2048; i++)
        jl += (size_t)sprintf(js + jl, "ab\\n\\u00e9 d");
    jl += (size_t)sprintf(js + jl, "\"},\"finish_reason\":\"stop\"}],\"usage\":{\"a\":1,\"b\":2}}");
    static struct json_tok toks[256];
    static char out[40000];
    struct json_doc d;
    reps = 2000;
    t0 = now();
    for (int k = 0; k < reps; k++) {
        size_t n;
        if (json_parse(&d, js, jl, toks, 256, NULL) ||
            json_str_decode(&d, json_path(&d, 0, "choices[0].message.content", NULL), out,
                            sizeof out, &n)) {
            fprintf(stderr, "json error\n");
            return 1;
        }
    }
    printf("bench-http: JSON parse + path + decode of a %zu-byte completion: %.0f MB/s\n", jl,
           (double)jl * reps / (now() - t0) / 1e6);

    /* SSE: 1000 delta events */
    static char ss[200000];
    size_t sl = 0;
    for (int i = 0; i < 1000; i++)
        sl += (size_t)sprintf(ss + sl, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"tok%d \"}}]}\n\n", i);
    static struct sse s;
    static struct sse_bufs sb;
    sse_use_bufs(&s, &sb);
    t0 = now();
    for (int k = 0; k < 200; k++) {
        sse_init(&s, ev, NULL);
        for (size_t p = 0; p < sl; p += 1460)
            sse_feed(&s, (const uint8_t *)ss + p, sl - p < 1460 ? sl - p : 1460);
    }
    printf("bench-http: SSE parse, 1460-byte pieces: %.0f MB/s (%u events per pass)\n",
           (double)sl * 200 / (now() - t0) / 1e6, s.events);
    free(ch);
    return sink_bytes == 0;
}
