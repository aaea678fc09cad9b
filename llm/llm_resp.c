/* The provider-neutral response driver (see llm.h, provider.h): HTTP status,
   stream or whole body by content type, error-body capture, the content
   callback and the console line. The memory is the caller's struct llm_resp. */
#include "llm/llm.h"
#include "llm/provider.h"
#include "http/http_client.h"
#include "lib/fmt.h"
#include "lib/text_filter.h"
#include <string.h>

const char *llm_err_str(enum llm_err e)
{
    switch (e) {
    case LLM_OK: return "ok";
    case LLM_ERR_BAD_ARGUMENT: return "llm_bad_argument";
    case LLM_ERR_REQUEST_TOO_LARGE: return "llm_request_too_large";
    case LLM_ERR_HTTP: return "llm_http";
    case LLM_ERR_SSE: return "llm_sse";
    case LLM_ERR_BAD_JSON: return "llm_bad_json";
    case LLM_ERR_NO_CONTENT: return "llm_no_content";
    case LLM_ERR_BODY_TOO_LARGE: return "llm_body_too_large";
    case LLM_ERR_STREAM_INCOMPLETE: return "llm_stream_incomplete";
    case LLM_ERR_API: return "llm_api_error";
    case LLM_ERR_ABORTED: return "llm_aborted";
    case LLM_ERR_LINE_TOO_LONG: return "llm_line_too_long";
    case LLM_ERR_TOOL_CALL: return "llm_tool_call";
    }
    return "llm_unknown";
}

static void set_err(struct llm_resp *r, enum llm_err e)
{
    if (!r->err)
        r->err = e;
}

/* see provider.h */
enum llm_err llm_resp_content(struct llm_resp *r, const char *text, size_t n)
{
    if (n == 0)
        return LLM_OK;
    r->content_bytes += n;
    r->pieces++;
    if (r->on_content && !r->on_content(r->ctx, text, n))
        return LLM_ERR_ABORTED;
    return LLM_OK;
}

/* Copies a JSON string token into dst (truncating, NUL-terminated). */
static void copy_str(struct json_doc *d, int t, char *dst, size_t cap)
{
    size_t n = 0;
    enum json_err e = json_str_decode(d, t, dst, cap - 1, &n);
    if (e != JSON_OK && e != JSON_ERR_BUFFER_TOO_SMALL)
        n = 0;
    dst[n] = 0;
}

/* see provider.h */
void llm_resp_set_finish_text(struct llm_resp *r, const char *text, size_t n)
{
    if (n > sizeof r->finish_reason - 1)
        n = sizeof r->finish_reason - 1;
    memcpy(r->finish_reason, text, n);
    r->finish_reason[n] = 0;
}

/* see provider.h */
void llm_resp_set_finish(struct llm_resp *r, struct json_doc *d, int t)
{
    if (d->tok[t].type == JSON_STRING)
        copy_str(d, t, r->finish_reason, sizeof r->finish_reason);
    else
        llm_resp_set_finish_text(r, d->text + d->tok[t].start, d->tok[t].end - d->tok[t].start);
}

/* see provider.h */
enum llm_err llm_resp_text(struct llm_resp *r, struct json_doc *d, int t, char *wtext)
{
    if (t < 0 || d->tok[t].type != JSON_STRING)
        return LLM_OK;
    const struct json_tok *k = &d->tok[t];
    char *out = r->mem.piece;
    size_t cap = r->mem.piece_cap;
    if (wtext && wtext == d->text) {
        /* in place: an escape never decodes to more bytes than it spans */
        out = wtext + k->start;
        cap = k->end - k->start + 1;
    }
    size_t n;
    enum json_err je = json_str_decode(d, t, out, cap, &n);
    if (je)
        return llm_resp_json_err(r, je);
    return llm_resp_content(r, out, n);
}

/* see provider.h */
bool llm_json_is(const struct json_doc *d, int t, const char *s)
{
    if (t < 0 || d->tok[t].type != JSON_STRING)
        return false;
    size_t n = strlen(s);
    return d->tok[t].end - d->tok[t].start == n && memcmp(d->text + d->tok[t].start, s, n) == 0;
}

/* see provider.h */
bool llm_json_member_is(const struct json_doc *d, int obj, const char *key, const char *s)
{
    return llm_json_is(d, json_obj_get(d, obj, key), s);
}

/* see provider.h */
bool llm_error_object(struct llm_resp *r, struct json_doc *d, int obj)
{
    int e = json_obj_get(d, obj, "error");
    if (e < 0 || d->tok[e].type == JSON_NULL)
        return false;
    int m = d->tok[e].type == JSON_OBJECT ? json_obj_get(d, e, "message") : e;
    if (m >= 0 && d->tok[m].type == JSON_STRING)
        llm_resp_set_message(r, d, m, NULL);
    else
        llm_resp_set_message(r, d, -1, "(no message)");
    return true;
}

/* see provider.h */
void llm_resp_end_of_stream(struct llm_resp *r) { r->done_marker = true; }

/* see provider.h */
void llm_resp_set_message(struct llm_resp *r, struct json_doc *d, int t, const char *text)
{
    if (t >= 0)
        copy_str(d, t, r->message, sizeof r->message);
    else
        fmt_snprintf(r->message, sizeof r->message, "%s", text);
}

/* see provider.h */
enum llm_err llm_resp_json_err(struct llm_resp *r, enum json_err e)
{
    r->json_err = e;
    return LLM_ERR_BAD_JSON;
}

/* see provider.h */
enum llm_err llm_resp_json(struct llm_resp *r, struct json_doc *d, const char *text, size_t len)
{
    enum json_err je = json_parse(d, text, len, r->mem.toks, r->mem.ntoks, NULL);
    return je ? llm_resp_json_err(r, je) : LLM_OK;
}

static bool on_event(void *ctx, const char *type, const char *data, size_t len, const char *id)
{
    struct llm_resp *r = ctx;
    (void)id;
    enum llm_err e = r->provider->consume_event(r, type, data, len);
    if (e) {
        set_err(r, e);
        return false;
    }
    return true;
}

/* NDJSON: one JSON value per line (LF or CRLF); blank lines are skipped, a
   last line without its LF counts at the end. */
static enum llm_err ndjson_line(struct llm_resp *r)
{
    char *line = r->sse.data; /* unused by SSE in this mode */
    size_t n = r->line_len;
    r->line_len = 0;
    while (n && (line[n - 1] == '\r' || line[n - 1] == ' ' || line[n - 1] == '\t'))
        n--;
    size_t s = 0;
    while (s < n && (line[s] == ' ' || line[s] == '\t'))
        s++;
    if (s == n)
        return LLM_OK;
    line[n] = 0;
    return r->provider->consume_event(r, "message", line + s, n - s);
}

static bool ndjson_feed(struct llm_resp *r, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '\n') {
            enum llm_err e = ndjson_line(r);
            if (e) {
                set_err(r, e);
                return false;
            }
            continue;
        }
        if (r->line_len >= r->sse.data_cap - 1) {
            set_err(r, LLM_ERR_LINE_TOO_LONG);
            return false;
        }
        r->sse.data[r->line_len++] = (char)p[i];
    }
    return true;
}

static bool on_body(void *ctx, const uint8_t *p, size_t n)
{
    struct llm_resp *r = ctx;
    if (!r->mode_chosen) {
        r->mode_chosen = true;
        /* first body bytes: choose the mode from the head */
        const char *ct = r->http.content_type;
        r->status = r->http.status;
        const char *st = r->provider->stream_type;
        r->streaming = r->status == 200 && strncmp(ct, st, strlen(st)) == 0;
    }
    if (r->streaming && r->provider->stream_kind == LLM_STREAM_NDJSON)
        return ndjson_feed(r, p, n);
    if (r->streaming) {
        enum sse_err se = sse_feed(&r->sse, p, n);
        if (se == SSE_ERR_ABORTED)
            return false; /* r->err already says why */
        if (se) {
            r->sse_err = se;
            set_err(r, LLM_ERR_SSE);
            return false;
        }
        return true;
    }
    if (n > r->mem.body_cap - 1 - r->body_len) {
        set_err(r, LLM_ERR_BODY_TOO_LARGE);
        return false;
    }
    memcpy(r->mem.body + r->body_len, p, n);
    r->body_len += n;
    return true;
}

void llm_resp_init(struct llm_resp *r, const struct llm_provider *p, llm_content_fn on_content,
                   void *ctx)
{
    memset(r, 0, offsetof(struct llm_resp, http));
    r->provider = p;
    r->on_content = on_content;
    r->ctx = ctx;
    r->line_len = 0;
    llm_resp_meta_init(r);
    http_resp_init(&r->http, false, llm_resp_on_header, on_body, r);
    sse_init(&r->sse, on_event, r);
    const struct llm_resp_mem *m = &r->mem;
    if (!m->toks || !m->ntoks || !m->piece || m->piece_cap < 2 || !m->body || m->body_cap < 2 ||
        !r->sse.line || !r->sse.data)
        r->err = LLM_ERR_BAD_ARGUMENT;
}

void llm_resp_set_bufs(struct llm_resp *r, const struct llm_resp_mem *m)
{
    r->mem = *m;
    sse_set_bufs(&r->sse, m->sse_line, m->sse_line_cap, m->sse_data, m->sse_data_cap);
}

void llm_resp_use_bufs(struct llm_resp *r, struct llm_resp_bufs *b)
{
    const struct llm_resp_mem m = {
        .toks = b->toks, .ntoks = LLM_JSON_TOKENS, .piece = b->piece,
        .piece_cap = sizeof b->piece, .body = b->body, .body_cap = sizeof b->body,
        .sse_line = b->sse.line, .sse_line_cap = sizeof b->sse.line,
        .sse_data = b->sse.data, .sse_data_cap = sizeof b->sse.data };
    llm_resp_set_bufs(r, &m);
}

/* Non-200 body: keep the provider's error message, or a prefix of the body
   (llm_resp_describe filters it). */
static void finish_error_body(struct llm_resp *r)
{
    struct json_doc d;
    r->mem.body[r->body_len] = 0;
    if (json_parse(&d, r->mem.body, r->body_len, r->mem.toks, r->mem.ntoks, NULL) == JSON_OK &&
        (d.tok[0].type == JSON_OBJECT || d.tok[0].type == JSON_ARRAY) &&
        r->provider->error_message(r, &d))
        return;
    size_t n = r->body_len < sizeof r->message - 1 ? r->body_len : sizeof r->message - 1;
    memcpy(r->message, r->mem.body, n);
    r->message[n] = 0;
}

/* The end of a 200 answer: the tool calls are checked and completed. */
static void finish_calls(struct llm_resp *r)
{
    if (!r->err && r->tool_calls && llm_tc_finish(r->tool_calls))
        set_err(r, LLM_ERR_TOOL_CALL);
}

static void finish(struct llm_resp *r)
{
    r->complete = true;
    r->status = r->http.status;
    if (r->err)
        return;
    if (r->status != 200) {
        finish_error_body(r);
        set_err(r, LLM_ERR_API);
        return;
    }
    if (r->streaming) {
        if (r->provider->stream_kind == LLM_STREAM_NDJSON) {
            set_err(r, ndjson_line(r));
            if (r->err)
                return;
        } else {
            sse_finish(&r->sse);
        }
        if (!r->done_marker && !r->finish_reason[0])
            set_err(r, LLM_ERR_STREAM_INCOMPLETE);
        finish_calls(r);
        return;
    }
    set_err(r, r->provider->consume_body(r, r->mem.body, r->body_len));
    finish_calls(r);
}

/* The caller's tool-call accumulator, initialised once per response. */
static void calls_ready(struct llm_resp *r)
{
    if (r->tool_calls && !r->tc_ready) {
        llm_tc_init(r->tool_calls);
        r->tc_ready = true;
    }
}

enum llm_err llm_resp_feed(struct llm_resp *r, const uint8_t *data, size_t len, size_t *consumed)
{
    size_t used = 0;
    calls_ready(r);
    if (!r->err && !r->complete) {
        enum http_err he = http_resp_feed(&r->http, data, len, &used);
        if (he == HTTP_ERR_ABORTED)
            ; /* the reason is already in r->err */
        else if (he) {
            r->http_err = he;
            set_err(r, LLM_ERR_HTTP);
        }
        if (!r->err && http_resp_done(&r->http))
            finish(r);
        if (r->err)
            r->complete = true;
    }
    if (consumed)
        *consumed = used;
    return r->err;
}

enum llm_err llm_resp_eof(struct llm_resp *r)
{
    calls_ready(r);
    if (r->err || r->complete)
        return r->err;
    enum http_err he = http_resp_eof(&r->http);
    if (he) {
        r->http_err = he;
        set_err(r, LLM_ERR_HTTP);
        r->complete = true;
        return r->err;
    }
    finish(r);
    return r->err;
}

bool llm_resp_done(const struct llm_resp *r) { return r->complete; }

void llm_resp_describe(const struct llm_resp *r, char *buf, size_t cap)
{
    if (cap == 0)
        return;
    switch (r->err) {
    case LLM_OK:
        fmt_snprintf(buf, cap, "llm: ok status=%d bytes=%lu pieces=%u", r->status,
                     (unsigned long)r->content_bytes, r->pieces);
        break;
    case LLM_ERR_API: {
        /* the server's text, on one line, controls escaped (\x1b) */
        char m[LLM_MESSAGE_MAX];
        text_filter_field(m, sizeof m, r->message, strlen(r->message));
        fmt_snprintf(buf, cap, "llm: error status=%d message=%s", r->status ? r->status : r->http.status, m);
        break;
    }
    case LLM_ERR_HTTP:
        fmt_snprintf(buf, cap, "llm: error=%s", http_err_str(r->http_err));
        break;
    case LLM_ERR_SSE:
        fmt_snprintf(buf, cap, "llm: error=%s", sse_err_str(r->sse_err));
        break;
    case LLM_ERR_BAD_JSON:
        fmt_snprintf(buf, cap, "llm: error=%s", json_err_str(r->json_err));
        break;
    case LLM_ERR_TOOL_CALL:
        fmt_snprintf(buf, cap, "llm: error=%s status=%d",
                     llm_tc_err_str(r->tool_calls ? r->tool_calls->err : LLM_TC_OK), r->status);
        break;
    default:
        fmt_snprintf(buf, cap, "llm: error=%s status=%d", llm_err_str(r->err), r->status);
    }
}

static int sink_feed(void *ctx, const uint8_t *p, size_t n, size_t *used)
{
    return (int)llm_resp_feed(ctx, p, n, used);
}
static int sink_eof(void *ctx) { return (int)llm_resp_eof(ctx); }
static bool sink_done(void *ctx) { return llm_resp_done(ctx); }

void llm_sink(struct http_sink *sink, struct llm_resp *r)
{
    sink->ctx = r;
    sink->feed = sink_feed;
    sink->eof = sink_eof;
    sink->done = sink_done;
}

bool llm_resp_keep_alive(const struct llm_resp *r)
{
    return r->err == LLM_OK && r->complete && http_resp_done(&r->http) && r->http.keep_alive;
}

/* see provider.h */
bool llm_error_root(struct llm_resp *r, struct json_doc *d)
{
    return llm_error_object(r, d, 0);
}

/* see provider.h */
enum llm_err llm_resp_object(struct llm_resp *r, struct json_doc *d, const char *text, size_t len)
{
    enum llm_err e = llm_resp_json(r, d, text, len);
    if (e)
        return e;
    if (d->tok[0].type != JSON_OBJECT)
        return llm_resp_json_err(r, JSON_ERR_WRONG_TYPE);
    return LLM_OK;
}

/* see provider.h */
enum llm_err llm_resp_answer(struct llm_resp *r, struct json_doc *d, const char *text, size_t len)
{
    enum llm_err e = llm_resp_object(r, d, text, len);
    if (e)
        return e;
    return llm_error_root(r, d) ? LLM_ERR_API : LLM_OK;
}

/* see provider.h */
void llm_resp_finish_at(struct llm_resp *r, struct json_doc *d, int from, const char *path)
{
    int f = from >= 0 ? json_path(d, from, path, NULL) : -1;
    if (f >= 0 && d->tok[f].type == JSON_STRING)
        llm_resp_set_finish(r, d, f);
}

/* see provider.h */
enum llm_err llm_resp_text_parts(struct llm_resp *r, struct json_doc *d, int arr, const char *type,
                                 const char *skip, char *wtext)
{
    for (uint32_t i = 0; arr >= 0 && d->tok[arr].type == JSON_ARRAY && i < d->tok[arr].count; i++) {
        int p = json_arr_get(d, arr, i);
        if (type && !llm_json_member_is(d, p, "type", type))
            continue;
        int s = skip ? json_obj_get(d, p, skip) : -1;
        if (s >= 0 && d->tok[s].type == JSON_TRUE)
            continue;
        enum llm_err e = llm_resp_text(r, d, json_obj_get(d, p, "text"), wtext);
        if (e)
            return e;
    }
    return LLM_OK;
}

/* see provider.h */
bool llm_resp_has_calls(const struct llm_resp *r) { return r->tool_calls && r->tool_calls->n; }

static enum llm_err tc_result(enum llm_tc_err e) { return e ? LLM_ERR_TOOL_CALL : LLM_OK; }

/* Decodes string token t into buf (cap bytes); *n its length, 0 for no
   string, and cap (too long for any limit below it) when it does not fit. */
static enum llm_err tc_str(struct llm_resp *r, struct json_doc *d, int t, char *buf, size_t cap,
                           size_t *n)
{
    *n = 0;
    if (t < 0 || d->tok[t].type != JSON_STRING)
        return LLM_OK;
    enum json_err je = json_str_decode(d, t, buf, cap, n);
    if (je == JSON_ERR_BUFFER_TOO_SMALL)
        *n = cap;
    else if (je)
        return llm_resp_json_err(r, je);
    return LLM_OK;
}

/* see provider.h */
enum llm_err llm_resp_tc_start(struct llm_resp *r, long key, struct json_doc *d, int id, int name)
{
    if (!r->tool_calls)
        return LLM_OK;
    char ib[LLM_TOOL_ID_MAX], nb[LLM_TOOL_NAME_MAX];
    size_t in, nn;
    enum llm_err e = tc_str(r, d, id, ib, sizeof ib, &in);
    if (!e)
        e = tc_str(r, d, name, nb, sizeof nb, &nn);
    if (e)
        return e;
    return tc_result(llm_tc_start(r->tool_calls, key, ib, in, nb, nn));
}

/* see provider.h */
enum llm_err llm_resp_tc_args(struct llm_resp *r, long key, struct json_doc *d, int s)
{
    if (!r->tool_calls || s < 0)
        return LLM_OK;
    if (d->tok[s].type == JSON_OBJECT) /* a server that sends the object itself */
        return tc_result(llm_tc_args(r->tool_calls, key, d->text + d->tok[s].start,
                                     d->tok[s].end - d->tok[s].start));
    if (d->tok[s].type != JSON_STRING)
        return LLM_OK;
    size_t n;
    enum json_err je = json_str_decode(d, s, r->mem.piece, r->mem.piece_cap, &n);
    if (je)
        return llm_resp_json_err(r, je);
    return tc_result(llm_tc_args(r->tool_calls, key, r->mem.piece, n));
}

/* see provider.h */
enum llm_err llm_resp_tc_whole(struct llm_resp *r, struct json_doc *d, int id, int name, int args)
{
    if (!r->tool_calls)
        return LLM_OK;
    char ib[LLM_TOOL_ID_MAX], nb[LLM_TOOL_NAME_MAX];
    size_t in, nn, an = 0;
    const char *a = NULL;
    enum llm_err e = tc_str(r, d, id, ib, sizeof ib, &in);
    if (!e)
        e = tc_str(r, d, name, nb, sizeof nb, &nn);
    if (e)
        return e;
    if (args >= 0 && d->tok[args].type == JSON_STRING) {
        enum json_err je = json_str_decode(d, args, r->mem.piece, r->mem.piece_cap, &an);
        if (je)
            return llm_resp_json_err(r, je);
        a = r->mem.piece;
    } else if (args >= 0) {
        a = d->text + d->tok[args].start;
        an = d->tok[args].end - d->tok[args].start;
    }
    return tc_result(llm_tc_whole(r->tool_calls, ib, in, nb, nn, a, an));
}

/* see provider.h */
void llm_resp_tc_sig(struct llm_resp *r, struct json_doc *d, int s)
{
    if (!r->tool_calls || !r->tool_calls->n || s < 0 || d->tok[s].type != JSON_STRING)
        return;
    char *sig = r->tool_calls->call[r->tool_calls->n - 1].sig;
    size_t n;
    if (json_str_decode(d, s, sig, LLM_TOOL_SIG_MAX, &n) != JSON_OK || n >= LLM_TOOL_SIG_MAX ||
        memchr(sig, 0, n))
        n = 0;
    sig[n] = 0;
}
