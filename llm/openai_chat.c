/* OpenAI chat completions (POST /v1/chat/completions) as an llm provider
   (see provider.h). Request: {"model", "messages": [system?, history...,
   user], "stream"} with a bearer key. Answer: a stream of unnamed SSE events
   whose JSON carries choices[0].delta.content and choices[0].finish_reason,
   ending with data: [DONE]; or one JSON body with
   choices[0].message.content. Errors: {"error": {"message": ...}} or
   {"error": "..."}, in an error body or inside the stream. Stateless: all
   memory is the caller's (request strings, output buffer, struct llm_resp). */
#include "llm/provider.h"
#include <string.h>

static void message(struct json_w *w, const char *role, const char *content)
{
    json_w_obj_begin(w);
    json_w_key(w, "role");
    json_w_str(w, role);
    json_w_key(w, "content");
    json_w_str(w, content);
    json_w_obj_end(w);
}

static enum llm_err build(const struct llm_request *q, struct http_req *h, char *body, size_t cap,
                          size_t *len)
{
    struct json_w w;
    json_w_init(&w, body, cap);
    json_w_obj_begin(&w);
    json_w_key(&w, "model");
    json_w_str(&w, q->model);
    json_w_key(&w, "messages");
    json_w_arr_begin(&w);
    if (q->system)
        message(&w, "system", q->system);
    for (size_t i = 0; i < q->history_len; i++)
        message(&w, llm_role_str(q->history[i].role), q->history[i].content);
    message(&w, "user", q->prompt);
    json_w_arr_end(&w);
    json_w_key(&w, "stream");
    json_w_bool(&w, q->stream);
    json_w_obj_end(&w);
    enum json_err je = json_w_finish(&w, len);
    if (je == JSON_ERR_BUFFER_TOO_SMALL)
        return LLM_ERR_REQUEST_TOO_LARGE;
    if (je)
        return LLM_ERR_BAD_ARGUMENT; /* invalid UTF-8 in model or prompt */
    h->path = q->path;
    h->bearer = (q->key && q->key[0]) ? q->key : NULL;
    h->accept = q->stream ? "text/event-stream" : "application/json";
    return LLM_OK;
}

/* {"error": {"message": "...", ...}} or {"error": "..."}; true when found. */
static bool error_message(struct llm_resp *r, struct json_doc *d)
{
    int e = json_obj_get(d, 0, "error");
    if (e < 0 || d->tok[e].type == JSON_NULL)
        return false;
    int m = d->tok[e].type == JSON_OBJECT ? json_obj_get(d, e, "message") : e;
    if (m >= 0 && d->tok[m].type == JSON_STRING)
        llm_resp_set_message(r, d, m, NULL);
    else
        llm_resp_set_message(r, d, -1, "(no message)");
    return true;
}

static void take_finish(struct llm_resp *r, struct json_doc *d)
{
    int f = json_path(d, 0, "choices[0].finish_reason", NULL);
    if (f >= 0 && d->tok[f].type == JSON_STRING)
        llm_resp_set_finish(r, d, f);
}

static enum llm_err consume_event(struct llm_resp *r, const char *type, const char *data, size_t len)
{
    if (strcmp(type, "message") != 0)
        return LLM_OK; /* OpenAI sends only unnamed events; skip others */
    if (len == 6 && memcmp(data, "[DONE]", 6) == 0) {
        llm_resp_end_of_stream(r);
        return LLM_OK;
    }
    struct json_doc d;
    enum llm_err e = llm_resp_json(r, &d, data, len);
    if (e)
        return e;
    if (error_message(r, &d))
        return LLM_ERR_API;
    int c = json_path(&d, 0, "choices[0].delta.content", NULL);
    if (c >= 0 && d.tok[c].type == JSON_STRING) {
        size_t n;
        enum json_err je = json_str_decode(&d, c, r->piece, sizeof r->piece, &n);
        if (je)
            return llm_resp_json_err(r, je);
        e = llm_resp_content(r, r->piece, n);
        if (e)
            return e;
    }
    take_finish(r, &d);
    return LLM_OK;
}

static enum llm_err consume_body(struct llm_resp *r, char *body, size_t len)
{
    struct json_doc d;
    enum llm_err e = llm_resp_json(r, &d, body, len);
    if (e)
        return e;
    if (error_message(r, &d))
        return LLM_ERR_API;
    int c = json_path(&d, 0, "choices[0].message.content", NULL);
    if (c < 0 || d.tok[c].type != JSON_STRING)
        return LLM_ERR_NO_CONTENT;
    take_finish(r, &d);
    /* decode in place: an escape never decodes to more bytes than it spans,
       and nothing reads the document after this */
    const struct json_tok *t = &d.tok[c];
    size_t n;
    char *out = body + t->start;
    enum json_err je = json_str_decode(&d, c, out, t->end - t->start + 1, &n);
    if (je)
        return llm_resp_json_err(r, je);
    return llm_resp_content(r, out, n);
}

/* see llm.h */
const struct llm_provider llm_openai_chat = {
    .name = "openai-chat",
    .stream_type = "text/event-stream",
    .build = build,
    .consume_event = consume_event,
    .consume_body = consume_body,
    .error_message = error_message,
};
