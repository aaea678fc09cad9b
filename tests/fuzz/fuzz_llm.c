/* libFuzzer target: the LLM response driver with each provider. Byte 0
   picks the piece size (bits 0-3), the content type (bit 4: the provider's
   stream type, SSE or NDJSON, else a JSON body) and the provider (bits 5-7:
   OpenAI chat, Responses, Anthropic, Gemini, Ollama); the rest is a
   close-delimited 200 body.
   Both runs collect tool calls. A run fed in pieces must end exactly like
   the one-shot run: same error, same content (hashed), piece count, finish
   reason, end marker, usage and tool calls (count, error, and each call's
   key, id, name, signature, arguments and args_ok); a successful run's calls are
   complete (a valid name, arguments within bounds, args_ok an object). */
#include "llm/llm.h"
#include "llm/provider.h"
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static bool content(void *ctx, const char *s, size_t n)
{
    uint64_t *h = ctx;
    if (n == 0)
        abort();
    for (size_t i = 0; i < n; i++)
        *h = *h * 131 + (uint8_t)s[i];
    *h += 7;
    return true;
}

static struct llm_resp r1, r2;
static struct llm_resp_bufs b1, b2;
static struct llm_tool_calls c1, c2;
static uint64_t h1, h2;

static const struct llm_provider *P;

static void run(struct llm_resp *r, struct llm_tool_calls *c, uint64_t *h, const char *head,
                const uint8_t *data, size_t size, size_t step)
{
    *h = 0;
    llm_resp_use_bufs(r, r == &r1 ? &b1 : &b2);
    llm_resp_init(r, P, content, h);
    r->tool_calls = c;
    llm_resp_feed(r, (const uint8_t *)head, strlen(head), NULL);
    for (size_t o = 0; o < size && !llm_resp_done(r); o += step)
        llm_resp_feed(r, data + o, step < size - o ? step : size - o, NULL);
    llm_resp_eof(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t step = (size_t)(data[0] & 15) + 1;
    static const struct llm_provider *const ps[] = {&llm_openai_chat, &llm_openai_responses,
                                                    &llm_anthropic, &llm_gemini, &llm_ollama};
    P = ps[(data[0] >> 5) % 5];
    char head[128];
    snprintf(head, sizeof head, "HTTP/1.1 200 OK\r\nContent-Type: %s\r\n\r\n",
             data[0] & 16 ? P->stream_type : "application/json");
    data++, size--;
    run(&r1, &c1, &h1, head, data, size, step);
    run(&r2, &c2, &h2, head, data, size, size ? size : 1);
    if (r1.err != r2.err || h1 != h2 || r1.pieces != r2.pieces ||
        r1.content_bytes != r2.content_bytes || r1.done_marker != r2.done_marker ||
        r1.in_tokens != r2.in_tokens || r1.out_tokens != r2.out_tokens ||
        r1.in_tokens < -1 || r1.out_tokens < -1 ||
        strcmp(r1.finish_reason, r2.finish_reason) != 0 || !llm_resp_done(&r1))
        abort();
    if (c1.n != c2.n || c1.err != c2.err || c1.n > LLM_TOOL_CALLS_MAX)
        abort();
    for (size_t i = 0; i < c1.n; i++) {
        const struct llm_tool_call *a = &c1.call[i], *b = &c2.call[i];
        if (a->key != b->key || strcmp(a->id, b->id) != 0 || strcmp(a->name, b->name) != 0 ||
            strcmp(a->sig, b->sig) != 0 ||
            a->args_len != b->args_len || memcmp(a->args, b->args, a->args_len) != 0 ||
            a->args_ok != b->args_ok || a->args_len > LLM_TOOL_ARGS_MAX)
            abort();
        if (r1.err == LLM_OK &&
            (!a->name[0] || a->args_len == 0 ||
             a->args_ok != llm_json_one_object(a->args, a->args_len)))
            abort();
    }
    char m1[300], m2[300];
    llm_resp_describe(&r1, m1, sizeof m1);
    llm_resp_describe(&r2, m2, sizeof m2);
    if (strcmp(m1, m2) != 0)
        abort();
    return 0;
}
