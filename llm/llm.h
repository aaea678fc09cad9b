/* LLM client logic, transport-free and provider-neutral.
   A provider (llm/provider.h: OpenAI chat completions and Responses,
   Anthropic, Gemini, Ollama) knows one API's request body and answer
   format; this header is what callers use with any of them:
   - llm_build_request() writes a whole POST request (head + JSON body) for a
     provider into a caller buffer;
   - struct llm_resp is the response driver: it consumes the response bytes
     as they arrive (any piece size), owns the HTTP status, chooses a stream
     or a whole JSON body from the content type, captures error bodies and
     hands content to the caller's callback. A streamed answer (200 + the
     provider's stream content type) goes to the callback piece by piece; a
     non-streamed answer is handed over whole at the end; an API error (any
     non-200 status, or an error inside the stream) ends in LLM_ERR_API with
     the server's message kept for llm_resp_describe(). It also records the
     usage the provider reports and the wait a Retry-After header asks for
     (llm_meta.c).
   Tool calling: a request declares tools (struct llm_tool_def) and its
   history carries the assistant's tool calls and the tools' results
   (LLM_ROLE_TOOL turns), each written in the provider's native form
   (llm/tool_json.c); an answer's tool calls are assembled into the
   caller's struct llm_tool_calls (llm/tool_call.h, see tool_calls below).
   The retry policy is llm/retry.h, model lists llm/models.h.
   The caller owns struct llm_resp (about 5 KiB) and its buffers, given
   with llm_resp_set_bufs (struct llm_resp_mem) or llm_resp_use_bufs with
   struct llm_resp_bufs of the default sizes (about 275 KiB: keep it static
   or on the heap, not on a small stack); smaller buffers bound the pieces,
   events, lines and bodies an answer may carry (named errors past them:
   LLM_ERR_SSE, LLM_ERR_LINE_TOO_LONG, LLM_ERR_BODY_TOO_LARGE,
   LLM_ERR_BAD_JSON for too many tokens). The caller also owns every
   string a request points to. No allocation. */
#ifndef LLM_LLM_H
#define LLM_LLM_H
#include "http/http.h"
#include "http/json.h"
#include "http/sse.h"
#include "llm/tool_call.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LLM_BODY_MAX    65536   /* non-streamed or error response body */
#define LLM_JSON_TOKENS 1024
#define LLM_MESSAGE_MAX 256
#define LLM_DEFAULT_MAX_TOKENS 1024

enum llm_err {
    LLM_OK = 0,
    LLM_ERR_BAD_ARGUMENT,       /* missing model/prompt/host, bad characters */
    LLM_ERR_REQUEST_TOO_LARGE,  /* the request does not fit the buffer */
    LLM_ERR_HTTP,               /* malformed HTTP response: see http_err */
    LLM_ERR_SSE,                /* malformed event stream: see sse_err */
    LLM_ERR_BAD_JSON,           /* a JSON payload did not parse: see json_err */
    LLM_ERR_NO_CONTENT,         /* 200 but the answer holds no content */
    LLM_ERR_BODY_TOO_LARGE,     /* a JSON body exceeds LLM_BODY_MAX */
    LLM_ERR_STREAM_INCOMPLETE,  /* the stream ended without its end marker or finish reason */
    LLM_ERR_API,                /* the server answered an error (status, message) */
    LLM_ERR_ABORTED,            /* the content callback asked to stop */
    LLM_ERR_LINE_TOO_LONG,      /* an NDJSON stream line exceeds SSE_DATA_MAX */
    LLM_ERR_TOOL_CALL,          /* the answer's tool calls broke a limit: see
                                   tool_calls->err (llm_tc_err) */
};
const char *llm_err_str(enum llm_err e);

/* An earlier turn of a conversation, sent before the prompt. */
enum llm_role { LLM_ROLE_SYSTEM, LLM_ROLE_USER, LLM_ROLE_ASSISTANT, LLM_ROLE_TOOL };
/* "system", "user", "assistant", "tool" */
const char *llm_role_str(enum llm_role r);

/* A turn. An ASSISTANT turn may carry the tool calls the model asked for
   (calls[0..ncalls), as llm_resp assembled them; content is then its text,
   "" or NULL for none). A TOOL turn is the result of one call: call_id and
   tool_name say which call it answers, content is the tool's result (a
   JSON object's text). Consecutive TOOL turns are the results of one
   round. A zero-initialised turn with role and content is a plain one. */
struct llm_message {
    enum llm_role role;
    const char   *content;      /* UTF-8 */
    const struct llm_tool_call *calls;
    size_t        ncalls;
    const char   *call_id;      /* TOOL: the call's id ("" or NULL: none given) */
    const char   *tool_name;    /* TOOL: the tool's name */
};

/* A tool the model may call: name (1..64 of [A-Za-z0-9_-]), what it does,
   and its parameters as the text of a JSON Schema object, inserted into
   the request as is once it parsed as one JSON object. */
struct llm_tool_def {
    const char *name;
    const char *description;
    const char *parameters;
};

struct llm_request {
    const char *host;           /* Host header */
    uint16_t    port;           /* 443 is left out of Host */
    const char *path;           /* e.g. "/v1/chat/completions" */
    const char *model;
    const char *key;            /* API key, NULL or "" for none */
    const char *system;         /* optional system message, NULL for none */
    const struct llm_message *history; /* earlier turns (after system), or NULL */
    size_t      history_len;
    const char *prompt;         /* the user message (UTF-8); NULL only when the
                                   history ends with TOOL turns (the request
                                   that continues after running tools) */
    const struct llm_tool_def *tools; /* tools to declare, or NULL */
    size_t      ntools;
    bool        stream;
    bool        keep_alive;
    bool        include_usage;  /* OpenAI chat, streamed: ask for the usage chunk
                                   ("stream_options": {"include_usage": true});
                                   the other APIs report usage unasked */
    unsigned    max_tokens;     /* answer limit; 0: the API's default (Anthropic,
                                   which requires one: LLM_DEFAULT_MAX_TOKENS) */
    const char *user_agent;     /* NULL: "os-llm/1.0" */
};

/* The providers (llm/provider.h says what one is). */
struct llm_provider;
extern const struct llm_provider llm_openai_chat;  /* POST /v1/chat/completions */
extern const struct llm_provider llm_openai_responses; /* POST /v1/responses */
extern const struct llm_provider llm_anthropic;    /* POST /v1/messages */
extern const struct llm_provider llm_gemini;       /* POST /v1beta/models/M:generateContent */
extern const struct llm_provider llm_ollama;       /* POST /api/chat (NDJSON stream) */

/* A provider by name: openai (or openai-chat), responses (openai-responses),
   anthropic, gemini, ollama; NULL for another name. */
const struct llm_provider *llm_provider_by_name(const char *name);
/* The provider a URL path implies: .../responses, .../messages,
   ...:generateContent or ...:streamGenerateContent, /api/chat or
   /api/generate; anything else is OpenAI chat completions (the API every
   OpenAI-compatible server speaks). */
const struct llm_provider *llm_provider_from_path(const char *path);

/* Writes the request (head + body) for provider p into buf; *len gets its
   length. */
enum llm_err llm_build_request(const struct llm_provider *p, const struct llm_request *q,
                               char *buf, size_t cap, size_t *len);

/* Content text as it arrives (UTF-8, not NUL-terminated); false aborts. */
typedef bool (*llm_content_fn)(void *ctx, const char *text, size_t len);

/* The buffers of one response driver (caller memory): JSON tokens of one
   event or body; a decoded text piece or tool-call argument; a
   non-streamed or error body; the event stream's line and event data (an
   NDJSON line too). */
struct llm_resp_mem {
    struct json_tok *toks;
    size_t ntoks;
    char *piece, *body, *sse_line, *sse_data;
    size_t piece_cap, body_cap, sse_line_cap, sse_data_cap;
};

struct llm_resp {
    /* results */
    enum llm_err  err;
    enum http_err http_err;
    enum sse_err  sse_err;
    enum json_err json_err;
    int      status;
    bool     streaming;
    bool     done_marker;       /* the stream's end marker (OpenAI: data: [DONE]) seen */
    bool     complete;          /* the response ended and was consumed */
    char     finish_reason[32];
    size_t   content_bytes;     /* bytes handed to the callback */
    unsigned pieces;            /* callback invocations */
    char     message[LLM_MESSAGE_MAX]; /* API error message */
    /* usage as the provider reported it (the last report wins), -1 when it
       did not: input (prompt, cached parts included) and output tokens */
    int64_t  in_tokens, out_tokens;
    /* the wait a Retry-After or retry-after-ms header of the final response
       asks for, in ms, -1 for none (or a bad value): retry-after-ms wins,
       then Retry-After's seconds, then its HTTP-date minus the response's
       Date header (>= 0) */
    int64_t  retry_after_ms;
    /* 0, or Retry-After's HTTP-date as Unix seconds when the response had no
       Date header to measure it from (the caller compares with its clock) */
    int64_t  retry_after_unix;

    /* Tool calls of the answer: the caller points this at its accumulator
       after llm_resp_init and before the first llm_resp_feed (NULL: tool
       calls are ignored). The driver initialises it at the first feed and
       finishes it (llm_tc_finish) when a 200 answer completes; with calls
       present an answer without text is not LLM_ERR_NO_CONTENT. */
    struct llm_tool_calls *tool_calls;

    /* internal */
    bool     tc_ready;          /* tool_calls initialised */
    const struct llm_provider *provider;
    llm_content_fn on_content;
    void    *ctx;
    uint64_t pstate[8];         /* the provider's per-response state, zeroed by init */
    int64_t  hdr_ra_ms, hdr_ra_s, hdr_ra_date, hdr_date; /* header values (llm_meta.c) */
    size_t   body_len;
    bool     mode_chosen;
    struct http_resp http;
    struct sse sse;
    size_t   line_len;          /* NDJSON: bytes of the current line (kept in sse.data) */
    struct llm_resp_mem mem;    /* the caller's buffers, kept by llm_resp_init */
};

/* Buffers of the default sizes (llm_resp_use_bufs). */
struct llm_resp_bufs {
    struct json_tok toks[LLM_JSON_TOKENS];
    char piece[SSE_DATA_MAX];
    char body[LLM_BODY_MAX];
    struct sse_bufs sse;
};
/* The buffers, before the first llm_resp_init (which keeps them; without
   them every response fails with LLM_ERR_BAD_ARGUMENT). */
void llm_resp_set_bufs(struct llm_resp *r, const struct llm_resp_mem *m);
void llm_resp_use_bufs(struct llm_resp *r, struct llm_resp_bufs *b);

void llm_resp_init(struct llm_resp *r, const struct llm_provider *p, llm_content_fn on_content,
                   void *ctx);
/* Feeds response bytes; *consumed (may be NULL) as in http_resp_feed. Returns
   the (sticky) error; check llm_resp_done() for the end of the response. */
enum llm_err llm_resp_feed(struct llm_resp *r, const uint8_t *data, size_t len, size_t *consumed);
/* The connection closed. */
enum llm_err llm_resp_eof(struct llm_resp *r);
bool llm_resp_done(const struct llm_resp *r);
/* Sink adapter for http_client_exchange (http/http_client.h). */
struct http_sink;
void llm_sink(struct http_sink *sink, struct llm_resp *r);
/* The connection may carry another request after this response. */
bool llm_resp_keep_alive(const struct llm_resp *r);

/* One line for the console, e.g. `llm: error status=401 message=Invalid key`
   or `llm: error=http_truncated`; "llm: ok" on success. The server's
   message passes text_filter_field (lib/text_filter.h): on one line,
   controls and invalid UTF-8 shown escaped ("\x1b"). */
void llm_resp_describe(const struct llm_resp *r, char *buf, size_t cap);

#endif
