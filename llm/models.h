/* A provider's list of models (the chat's /models command):
   - llm_models_request() writes the GET request for the list: OpenAI chat
     and Responses GET /v1/models with a bearer key, Anthropic GET
     /v1/models with x-api-key and anthropic-version, Gemini GET
     /v1beta/models with x-goog-api-key, Ollama GET /api/tags. The list's
     path comes from the chat URL's path (llm_models_path).
   - struct llm_models is the response driver, used like struct llm_resp:
     it consumes the response bytes as they arrive (any piece size) and
     hands each model id to the caller's callback as soon as its list
     element is complete, so a list of any length needs only one
     element's worth of memory. The shapes, one function each in models.c:
     OpenAI and Anthropic {"data": [{"id": ...}]}, Gemini
     {"models": [{"name": "models/ID"}]} (the callback gets ID, without
     "models/", as the chat path wants it), Ollama {"models": [{"name":
     ...}]}. Each element is parsed whole (validated like any JSON);
     around them only the document's structure is checked. A non-200 answer
     ends in LLM_ERR_API with the status and the server's message, as
     llm_resp does.
   Ids are server text: print them through the console filter. The caller
   owns struct llm_models (about 32 KiB: static or heap) and the request's
   strings. No allocation. */
#ifndef LLM_MODELS_H
#define LLM_MODELS_H
#include "llm/llm.h"

#define LLM_MODELS_ELEM_MAX 16384   /* one list element (or a kept error body) */
#define LLM_MODELS_TOKENS   512     /* JSON tokens of one element */
#define LLM_MODEL_ID_MAX    256     /* longest id handed over (longer ones are skipped) */
#define LLM_MODELS_DEPTH    64      /* nesting of the whole document */
#define LLM_MODELS_PATH_MAX 512

/* Writes into out the list's path for provider p given the chat path:
   the part of chat_path before its first "/v1/" (OpenAI, Responses,
   Anthropic), "/v1beta/" (Gemini) or "/api/" (Ollama), then /v1/models,
   /v1beta/models or /api/tags. Without that part, an OpenAI path ending
   in /chat/completions or /responses has the ending replaced by /models
   ("/v1beta/openai/chat/completions" -> "/v1beta/openai/models"); else the
   list path alone. LLM_ERR_REQUEST_TOO_LARGE when out is too small. */
enum llm_err llm_models_path(const struct llm_provider *p, const char *chat_path, char *out,
                             size_t cap);

/* Writes the GET request (head only) for p's model list into buf; of q
   only host, port, path (the chat path), key, keep_alive and user_agent
   are used. LLM_ERR_BAD_ARGUMENT for a provider without a list or a field
   HTTP cannot carry. */
enum llm_err llm_models_request(const struct llm_provider *p, const struct llm_request *q,
                                char *buf, size_t cap, size_t *len);

/* One model id (UTF-8, no control bytes, not NUL-terminated); false stops
   the list (LLM_ERR_ABORTED). */
typedef bool (*llm_model_fn)(void *ctx, const char *id, size_t len);

struct llm_models_api;

struct llm_models {
    /* results */
    enum llm_err  err;
    enum http_err http_err;
    enum json_err json_err;
    int      status;
    bool     complete;
    unsigned count;             /* ids handed to the callback */
    unsigned skipped;           /* elements without a usable id, or too large */
    char     message[LLM_MESSAGE_MAX]; /* API error message */

    /* internal */
    const struct llm_models_api *api;
    llm_model_fn on_model;
    void    *ctx;
    bool     mode_chosen;
    /* the structure scanner (models.c) */
    unsigned depth;
    uint64_t objects;           /* bit d-1: level d is an object */
    bool     started, ended, in_str, esc;
    bool     want_key, key_cap, list_next, in_list, list_seen, in_elem, elem_over;
    size_t   key_len;
    char     key[16];
    size_t   elem_len;
    struct http_resp http;
    char     id[LLM_MODEL_ID_MAX];
    struct json_tok toks[LLM_MODELS_TOKENS];
    char     elem[LLM_MODELS_ELEM_MAX];
};

/* Prepares m for one list response of provider p (as llm_resp_init). */
void llm_models_init(struct llm_models *m, const struct llm_provider *p, llm_model_fn on_model,
                     void *ctx);
/* Feeds response bytes; *consumed (may be NULL) as in http_resp_feed.
   Returns the (sticky) error. */
enum llm_err llm_models_feed(struct llm_models *m, const uint8_t *data, size_t len,
                             size_t *consumed);
/* The connection closed. */
enum llm_err llm_models_eof(struct llm_models *m);
bool llm_models_done(const struct llm_models *m);
/* The connection may carry another request after this response. */
bool llm_models_keep_alive(const struct llm_models *m);
/* Sink adapter for http_client_exchange (http/http_client.h). */
struct http_sink;
void llm_models_sink(struct http_sink *sink, struct llm_models *m);
/* One line for the console: `llm: models count=N` on success, else the
   error as llm_resp_describe writes it (`llm: error status=404
   message=...`, `llm: error=json_unexpected_end`, ...). */
void llm_models_describe(const struct llm_models *m, char *buf, size_t cap);

#endif
