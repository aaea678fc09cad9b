/* libFuzzer target: the model-list parser (llm/models.h) with each
   provider's shape. Byte 0 picks the piece size (bits 0-3), the status
   (bit 4: 200, else 404) and the provider (bits 5-7: OpenAI chat,
   Responses, Anthropic, Gemini, Ollama); the rest is a close-delimited
   body. A run fed in pieces must end exactly like the one-shot run: same
   error, ids (hashed), count, skipped count and console line; every id is
   non-empty, fits LLM_MODEL_ID_MAX and holds no control byte. */
#include "llm/models.h"
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static bool model(void *ctx, const char *s, size_t n)
{
    uint64_t *h = ctx;
    if (n == 0 || n >= LLM_MODEL_ID_MAX)
        abort();
    for (size_t i = 0; i < n; i++) {
        if ((uint8_t)s[i] < 0x20 || s[i] == 0x7f)
            abort();
        *h = *h * 131 + (uint8_t)s[i];
    }
    *h += 7;
    return true;
}

static struct llm_models m1, m2;
static uint64_t h1, h2;
static const struct llm_provider *P;

static void run(struct llm_models *m, uint64_t *h, const char *head, const uint8_t *data,
                size_t size, size_t step)
{
    *h = 0;
    llm_models_init(m, P, model, h);
    llm_models_feed(m, (const uint8_t *)head, strlen(head), NULL);
    for (size_t o = 0; o < size && !llm_models_done(m); o += step)
        llm_models_feed(m, data + o, step < size - o ? step : size - o, NULL);
    llm_models_eof(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t step = (size_t)(data[0] & 15) + 1;
    static const struct llm_provider *const ps[] = {&llm_openai_chat, &llm_openai_responses,
                                                    &llm_anthropic, &llm_gemini, &llm_ollama};
    P = ps[(data[0] >> 5) % 5];
    const char *head = data[0] & 16 ? "HTTP/1.1 200 OK\r\n\r\n" : "HTTP/1.1 404 NF\r\n\r\n";
    data++, size--;
    run(&m1, &h1, head, data, size, step);
    run(&m2, &h2, head, data, size, size ? size : 1);
    if (m1.err != m2.err || h1 != h2 || m1.count != m2.count || m1.skipped != m2.skipped ||
        !llm_models_done(&m1))
        abort();
    char d1[300], d2[300];
    llm_models_describe(&m1, d1, sizeof d1);
    llm_models_describe(&m2, d2, sizeof d2);
    if (strcmp(d1, d2) != 0)
        abort();
    return 0;
}
