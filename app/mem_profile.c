/* see mem_profile.h */
#include "app/mem_profile.h"
#include "http/http_client.h"
#include "http/sse.h"
#include "llm/llm.h"
#include "tls/record.h"
#include "tls/tls.h"
#include <string.h>

#define SMALL_MFL 3                     /* 2^(8+3) = 2048 bytes a record */
#define SMALL_FRAG (1u << (8 + SMALL_MFL))

static const struct app_mem_sizes profiles[] = {
    [APP_MEM_DEFAULT] = {
        .tcp = { 0, 0 },                /* TCP_RX_BUF, TCP_TX_BUF */
        .tls_hs = 16384, .tls_rx = TLS_RX_BUF, .tls_tx = TLS_TX_BUF,
        .tls_mfl = 0, .tls_rsl = 0, .pipeline = true, .http_buf = HTTP_CLIENT_BUF,
        .llm_toks = LLM_JSON_TOKENS, .llm_piece = SSE_DATA_MAX, .llm_body = LLM_BODY_MAX,
        .llm_line = SSE_LINE_MAX, .llm_data = SSE_DATA_MAX,
    },
    [APP_MEM_SMALL] = {
        /* two records in flight; the request goes out in 4 KiB steps */
        .tcp = { 4096, 4096 },
        /* the certificate chain (a few KiB) and our ClientHello; one
           record in; our ClientHello (about 1.8 KiB with a ticket) out */
        .tls_hs = 8192, .tls_rx = TLS_REC_HDR + SMALL_FRAG + 1 + TLS_REC_TAG, .tls_tx = 3072,
        .tls_mfl = SMALL_MFL, .tls_rsl = SMALL_FRAG + 1, .pipeline = false,
        /* half a record a read: the HTTP parser and SSE keep their own
           lines, so this buffer bounds no header line (http_client.h) */
        .http_buf = 1024,
        /* a streamed answer's events are a few hundred bytes each */
        .llm_toks = 128, .llm_piece = 2048, .llm_body = 4096, .llm_line = 2048,
        .llm_data = 2048,
    },
};

const struct app_mem_sizes *app_mem_sizes(enum app_mem m)
{
    return &profiles[m == APP_MEM_SMALL ? APP_MEM_SMALL : APP_MEM_DEFAULT];
}

const char *app_mem_str(enum app_mem m)
{
    return m == APP_MEM_SMALL ? "small" : "default";
}

bool app_mem_parse(const char *v, enum app_mem *out)
{
    if (!strcmp(v, "small")) {
        *out = APP_MEM_SMALL;
        return true;
    }
    if (!strcmp(v, "default")) {
        *out = APP_MEM_DEFAULT;
        return true;
    }
    return false;
}
