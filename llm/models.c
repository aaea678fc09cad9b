/* A provider's model list: the GET request and the incremental list parser
   (see models.h). The memory is the caller's struct llm_models. */
#include "llm/models.h"
#include "http/http_client.h"
#include "lib/fmt.h"
#include "lib/text_filter.h"
#include <string.h>

/* ---- the shapes: one list element (token 0 of d, an object) to its id
   token, or -1; *strip bytes of the decoded id are dropped ---- */

/* OpenAI and Anthropic: {"id": "gpt-4o", "object": "model", ...} */
static int data_id(const struct json_doc *d, size_t *strip)
{
    *strip = 0;
    return json_obj_get(d, 0, "id");
}

/* Gemini: {"name": "models/gemini-2.0-flash", ...}: the id the chat path
   takes is the part after "models/". */
static int gemini_name(const struct json_doc *d, size_t *strip)
{
    int t = json_obj_get(d, 0, "name");
    static const char pre[] = "models/";
    *strip = 0;
    if (t >= 0 && d->tok[t].type == JSON_STRING && d->tok[t].end - d->tok[t].start >= 7 &&
        memcmp(d->text + d->tok[t].start, pre, 7) == 0)
        *strip = 7;
    return t;
}

/* Ollama: {"name": "llama3:latest", "model": "llama3:latest", ...} */
static int ollama_name(const struct json_doc *d, size_t *strip)
{
    *strip = 0;
    int t = json_obj_get(d, 0, "name");
    return t >= 0 ? t : json_obj_get(d, 0, "model");
}

enum models_auth { AUTH_BEARER, AUTH_ANTHROPIC, AUTH_GOOG };

struct llm_models_api {
    const struct llm_provider *p;
    const char *marker;         /* the API's first path segment, "/v1/" */
    const char *path;           /* the list, "/v1/models" */
    const char *list;           /* the root member holding the list */
    enum models_auth auth;
    int (*id)(const struct json_doc *d, size_t *strip);
};

static const struct llm_models_api APIS[] = {
    {&llm_openai_chat, "/v1/", "/v1/models", "data", AUTH_BEARER, data_id},
    {&llm_openai_responses, "/v1/", "/v1/models", "data", AUTH_BEARER, data_id},
    {&llm_anthropic, "/v1/", "/v1/models", "data", AUTH_ANTHROPIC, data_id},
    {&llm_gemini, "/v1beta/", "/v1beta/models", "models", AUTH_GOOG, gemini_name},
    {&llm_ollama, "/api/", "/api/tags", "models", AUTH_BEARER, ollama_name},
};

static const struct llm_models_api *api_of(const struct llm_provider *p)
{
    for (size_t i = 0; i < sizeof APIS / sizeof APIS[0]; i++)
        if (APIS[i].p == p)
            return &APIS[i];
    return NULL;
}

/* ---- the request ---- */

/* see models.h */
enum llm_err llm_models_path(const struct llm_provider *p, const char *chat_path, char *out,
                             size_t cap)
{
    const struct llm_models_api *a = api_of(p);
    if (!a || !chat_path)
        return LLM_ERR_BAD_ARGUMENT;
    size_t n = 0, ml = strlen(a->marker), pre = 0;
    while (chat_path[n] && chat_path[n] != '?')
        n++;
    const char *list = a->path;
    size_t i = 0;
    while (i + ml <= n && memcmp(chat_path + i, a->marker, ml) != 0)
        i++;
    if (i + ml <= n) {
        pre = i;
    } else if (a->auth == AUTH_BEARER && a->p != &llm_ollama) {
        static const char *const ends[] = {"/chat/completions", "/responses"};
        for (size_t k = 0; k < 2; k++) {
            size_t el = strlen(ends[k]);
            if (n >= el && memcmp(chat_path + n - el, ends[k], el) == 0) {
                pre = n - el;
                list = "/models";
            }
        }
    }
    size_t ll = strlen(list);
    if (cap == 0 || pre + ll >= cap)
        return LLM_ERR_REQUEST_TOO_LARGE;
    memcpy(out, chat_path, pre);
    memcpy(out + pre, list, ll + 1);
    return LLM_OK;
}

/* see models.h */
enum llm_err llm_models_request(const struct llm_provider *p, const struct llm_request *q,
                                char *buf, size_t cap, size_t *len)
{
    *len = 0;
    const struct llm_models_api *a = api_of(p);
    if (!a || !q->host || !q->path)
        return LLM_ERR_BAD_ARGUMENT;
    char path[LLM_MODELS_PATH_MAX];
    enum llm_err e = llm_models_path(p, q->path, path, sizeof path);
    if (e)
        return e;
    struct http_req h = {
        .method = "GET", .host = q->host, .port = q->port, .default_port = 443, .path = path,
        .user_agent = q->user_agent ? q->user_agent : "os-llm/1.0", .accept = "application/json",
        .keep_alive = q->keep_alive,
    };
    bool key = q->key && q->key[0];
    switch (a->auth) {
    case AUTH_BEARER:
        h.bearer = key ? q->key : NULL;
        break;
    case AUTH_ANTHROPIC:
        if (key)
            h.extra[0] = (struct http_field){"x-api-key", q->key};
        h.extra[key ? 1 : 0] = (struct http_field){"anthropic-version", "2023-06-01"};
        break;
    case AUTH_GOOG:
        if (key)
            h.extra[0] = (struct http_field){"x-goog-api-key", q->key};
        break;
    }
    enum http_err he = http_req_write(&h, buf, cap, len);
    if (he == HTTP_ERR_BUFFER_TOO_SMALL)
        return LLM_ERR_REQUEST_TOO_LARGE;
    return he ? LLM_ERR_BAD_ARGUMENT : LLM_OK;
}

/* ---- the list parser ---- */

static enum llm_err json_fail(struct llm_models *m, enum json_err e)
{
    m->json_err = e;
    return LLM_ERR_BAD_JSON;
}

/* A complete list element in m->elem: its id to the callback. */
static enum llm_err element(struct llm_models *m)
{
    if (m->elem_over) {
        m->skipped++;
        return LLM_OK;
    }
    struct json_doc d;
    enum json_err je = json_parse(&d, m->elem, m->elem_len, m->toks, LLM_MODELS_TOKENS, NULL);
    if (je == JSON_ERR_TOO_MANY_TOKENS) {
        m->skipped++;
        return LLM_OK;
    }
    if (je)
        return json_fail(m, je);
    size_t strip, n;
    int t = m->api->id(&d, &strip);
    if (t < 0 || d.tok[t].type != JSON_STRING ||
        json_str_decode(&d, t, m->id, sizeof m->id, &n) != JSON_OK || n <= strip) {
        m->skipped++;
        return LLM_OK;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)m->id[i];
        if (c < 0x20 || c == 0x7f) {
            m->skipped++; /* never a real model id; keeps the console safe */
            return LLM_OK;
        }
    }
    m->count++;
    if (m->on_model && !m->on_model(m->ctx, m->id + strip, n - strip))
        return LLM_ERR_ABORTED;
    return LLM_OK;
}

static bool is_ws(uint8_t c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* One byte of a 200 body. Tracks nesting, strings and the root's keys;
   copies each element of the root's list member and hands it to element()
   when it closes. */
static enum llm_err scan(struct llm_models *m, uint8_t c)
{
    if (m->in_elem) {
        if (m->elem_len < sizeof m->elem)
            m->elem[m->elem_len++] = (char)c;
        else
            m->elem_over = true;
    }
    if (m->in_str) {
        if (m->esc)
            m->esc = false;
        else if (c == '\\')
            m->esc = true;
        else if (c == '"')
            m->in_str = m->key_cap = false;
        else if (m->key_cap && m->key_len < sizeof m->key)
            m->key[m->key_len++] = (char)c;
        else if (m->key_cap)
            m->key_len = sizeof m->key + 1; /* longer than any list member */
        return LLM_OK;
    }
    if (is_ws(c))
        return LLM_OK;
    if (m->ended)
        return json_fail(m, JSON_ERR_TRAILING_DATA);
    switch (c) {
    case '{':
    case '[':
        if (m->depth == 0 && c == '[')
            return json_fail(m, JSON_ERR_WRONG_TYPE); /* the root is an object */
        if (m->depth >= LLM_MODELS_DEPTH)
            return json_fail(m, JSON_ERR_TOO_DEEP);
        if (m->depth == 1 && m->list_next && c == '[')
            m->in_list = m->list_seen = true;
        else if (m->depth == 2 && m->in_list && c == '{') {
            m->in_elem = true;
            m->elem_over = false;
            m->elem[0] = '{';
            m->elem_len = 1;
        }
        m->list_next = false;
        m->started = true;
        if (c == '{')
            m->objects |= (uint64_t)1 << m->depth;
        else
            m->objects &= ~((uint64_t)1 << m->depth);
        m->depth++;
        m->want_key = m->depth == 1;
        return LLM_OK;
    case '}':
    case ']': {
        if (m->depth == 0)
            return json_fail(m, JSON_ERR_UNEXPECTED_CHAR);
        bool obj = (m->objects >> (m->depth - 1)) & 1;
        if (obj != (c == '}'))
            return json_fail(m, JSON_ERR_UNEXPECTED_CHAR);
        m->depth--;
        if (m->depth == 0)
            m->ended = true;
        if (m->depth == 1)
            m->in_list = false;
        if (m->depth == 2 && m->in_elem) {
            m->in_elem = false;
            return element(m);
        }
        return LLM_OK;
    }
    case '"':
        if (m->depth == 0)
            return json_fail(m, JSON_ERR_WRONG_TYPE);
        m->in_str = true;
        if (m->depth == 1 && m->want_key) {
            m->key_cap = true;
            m->key_len = 0;
        }
        m->list_next = false;
        return LLM_OK;
    case ':':
        if (m->depth == 1) {
            size_t kl = strlen(m->api->list);
            m->list_next = m->want_key && m->key_len == kl && memcmp(m->key, m->api->list, kl) == 0;
            m->want_key = false;
        }
        return LLM_OK;
    case ',':
        if (m->depth == 1)
            m->want_key = true;
        return LLM_OK;
    default:
        /* a number or literal: checked inside elements only */
        if (m->depth == 0)
            return json_fail(m, JSON_ERR_WRONG_TYPE);
        m->list_next = false;
        return LLM_OK;
    }
}

static void set_err(struct llm_models *m, enum llm_err e)
{
    if (!m->err)
        m->err = e;
}

static bool on_body(void *ctx, const uint8_t *p, size_t n)
{
    struct llm_models *m = ctx;
    if (!m->mode_chosen) {
        m->mode_chosen = true;
        m->status = m->http.status;
    }
    if (m->status != 200) {
        /* an error body: keep what fits for the message */
        size_t k = sizeof m->elem - 1 - m->elem_len;
        k = n < k ? n : k;
        memcpy(m->elem + m->elem_len, p, k);
        m->elem_len += k;
        return true;
    }
    for (size_t i = 0; i < n; i++) {
        enum llm_err e = scan(m, p[i]);
        if (e) {
            set_err(m, e);
            return false;
        }
    }
    return true;
}

/* see models.h */
void llm_models_init(struct llm_models *m, const struct llm_provider *p, llm_model_fn on_model,
                     void *ctx)
{
    memset(m, 0, offsetof(struct llm_models, http));
    m->api = api_of(p);
    m->on_model = on_model;
    m->ctx = ctx;
    m->elem_len = 0;
    http_resp_init(&m->http, false, NULL, on_body, m);
    if (!m->api) {
        m->err = LLM_ERR_BAD_ARGUMENT;
        m->complete = true;
    }
}

/* The message of a non-200 body: {"error": {"message"}} or {"error": "..."}
   (alone, or the first such element of an array: Gemini), else the text. */
static void error_body(struct llm_models *m)
{
    struct json_doc d;
    m->elem[m->elem_len] = 0;
    if (json_parse(&d, m->elem, m->elem_len, m->toks, LLM_MODELS_TOKENS, NULL) == JSON_OK) {
        uint32_t n = d.tok[0].type == JSON_ARRAY ? d.tok[0].count : 1;
        for (uint32_t i = 0; i < n; i++) {
            int o = d.tok[0].type == JSON_ARRAY ? json_arr_get(&d, 0, i) : 0;
            int e = json_obj_get(&d, o, "error");
            int t = e >= 0 && d.tok[e].type == JSON_OBJECT ? json_obj_get(&d, e, "message") : e;
            size_t len;
            if (t >= 0 && d.tok[t].type == JSON_STRING) {
                enum json_err je = json_str_decode(&d, t, m->message, sizeof m->message - 1, &len);
                if (je != JSON_OK && je != JSON_ERR_BUFFER_TOO_SMALL)
                    len = 0;
                m->message[len] = 0;
                return;
            }
        }
    }
    fmt_snprintf(m->message, sizeof m->message, "%s", m->elem);
}

static void finish(struct llm_models *m)
{
    m->complete = true;
    m->status = m->http.status;
    if (m->err)
        return;
    if (m->status != 200) {
        error_body(m);
        set_err(m, LLM_ERR_API);
    } else if (!m->ended) {
        set_err(m, json_fail(m, m->started ? JSON_ERR_UNEXPECTED_END : JSON_ERR_EMPTY));
    } else if (!m->list_seen) {
        set_err(m, LLM_ERR_NO_CONTENT); /* an object without the list */
    }
}

/* see models.h */
enum llm_err llm_models_feed(struct llm_models *m, const uint8_t *data, size_t len,
                             size_t *consumed)
{
    size_t used = 0;
    if (!m->err && !m->complete) {
        enum http_err he = http_resp_feed(&m->http, data, len, &used);
        if (he && he != HTTP_ERR_ABORTED) {
            m->http_err = he;
            set_err(m, LLM_ERR_HTTP);
        }
        if (!m->err && http_resp_done(&m->http))
            finish(m);
        if (m->err)
            m->complete = true;
    }
    if (consumed)
        *consumed = used;
    return m->err;
}

/* see models.h */
enum llm_err llm_models_eof(struct llm_models *m)
{
    if (m->err || m->complete)
        return m->err;
    enum http_err he = http_resp_eof(&m->http);
    if (he) {
        m->http_err = he;
        set_err(m, LLM_ERR_HTTP);
        m->complete = true;
        return m->err;
    }
    finish(m);
    return m->err;
}

/* see models.h */
bool llm_models_done(const struct llm_models *m) { return m->complete; }

/* see models.h */
bool llm_models_keep_alive(const struct llm_models *m)
{
    return m->err == LLM_OK && m->complete && http_resp_done(&m->http) && m->http.keep_alive;
}

/* see models.h */
void llm_models_describe(const struct llm_models *m, char *buf, size_t cap)
{
    if (cap == 0)
        return;
    switch (m->err) {
    case LLM_OK:
        fmt_snprintf(buf, cap, "llm: models count=%u", m->count);
        break;
    case LLM_ERR_API: {
        char t[LLM_MESSAGE_MAX];
        text_filter_field(t, sizeof t, m->message, strlen(m->message));
        fmt_snprintf(buf, cap, "llm: error status=%d message=%s", m->status, t);
        break;
    }
    case LLM_ERR_HTTP:
        fmt_snprintf(buf, cap, "llm: error=%s", http_err_str(m->http_err));
        break;
    case LLM_ERR_BAD_JSON:
        fmt_snprintf(buf, cap, "llm: error=%s", json_err_str(m->json_err));
        break;
    default:
        fmt_snprintf(buf, cap, "llm: error=%s status=%d", llm_err_str(m->err), m->status);
    }
}

static int sink_feed(void *ctx, const uint8_t *p, size_t n, size_t *used)
{
    return (int)llm_models_feed(ctx, p, n, used);
}
static int sink_eof(void *ctx) { return (int)llm_models_eof(ctx); }
static bool sink_done(void *ctx) { return llm_models_done(ctx); }

/* see models.h */
void llm_models_sink(struct http_sink *sink, struct llm_models *m)
{
    sink->ctx = m;
    sink->feed = sink_feed;
    sink->eof = sink_eof;
    sink->done = sink_done;
}
