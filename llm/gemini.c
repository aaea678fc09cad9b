/* Google Gemini (POST /v1beta/models/MODEL:streamGenerateContent?alt=sse,
   or :generateContent) as an llm provider (see provider.h). The model is in
   the path (llm_default_path writes it); the body is {"systemInstruction"?,
   "contents": [{"role": "user"|"model", "parts": [{"text"}]}...],
   "generationConfig"?} with x-goog-api-key. Answer: GenerateContentResponse
   objects, one per unnamed SSE event (the stream has no end marker: a
   finishReason ends it), or one JSON body, or a JSON array of them
   (streamGenerateContent without alt=sse). The text is the candidate's
   content.parts[].text, except parts marked "thought": true; finishReason
   may be a string ("STOP") or, with enum-encoding=int, a number. Errors:
   {"error": {"code", "message", "status"}}, alone or as an array element.
   Stateless. */
#include "llm/provider.h"
#include <string.h>

static void content(struct json_w *w, const char *role, const char *text)
{
    json_w_obj_begin(w);
    if (role) {
        json_w_key(w, "role");
        json_w_str(w, role);
    }
    json_w_key(w, "parts");
    json_w_arr_begin(w);
    json_w_obj_begin(w);
    json_w_key(w, "text");
    json_w_str(w, text);
    json_w_obj_end(w);
    json_w_arr_end(w);
    json_w_obj_end(w);
}

static enum llm_err build(const struct llm_request *q, struct http_req *h, char *body, size_t cap,
                          size_t *len)
{
    struct json_w w;
    json_w_init(&w, body, cap);
    json_w_obj_begin(&w);
    if (q->system) {
        json_w_key(&w, "systemInstruction");
        content(&w, NULL, q->system);
    }
    json_w_key(&w, "contents");
    json_w_arr_begin(&w);
    for (size_t i = 0; i < q->history_len; i++) {
        enum llm_role ro = q->history[i].role;
        if (ro == LLM_ROLE_SYSTEM)
            return LLM_ERR_BAD_ARGUMENT;
        content(&w, ro == LLM_ROLE_ASSISTANT ? "model" : "user", q->history[i].content);
    }
    content(&w, "user", q->prompt);
    json_w_arr_end(&w);
    if (q->max_tokens) {
        json_w_key(&w, "generationConfig");
        json_w_obj_begin(&w);
        json_w_key(&w, "maxOutputTokens");
        json_w_int(&w, q->max_tokens);
        json_w_obj_end(&w);
    }
    json_w_obj_end(&w);
    enum json_err je = json_w_finish(&w, len);
    if (je == JSON_ERR_BUFFER_TOO_SMALL)
        return LLM_ERR_REQUEST_TOO_LARGE;
    if (je)
        return LLM_ERR_BAD_ARGUMENT;
    h->path = q->path;
    h->accept = q->stream ? "text/event-stream" : "application/json";
    if (q->key && q->key[0])
        h->extra[0] = (struct http_field){"x-goog-api-key", q->key};
    return LLM_OK;
}

static bool error_message(struct llm_resp *r, struct json_doc *d)
{
    if (d->tok[0].type == JSON_ARRAY) {
        for (uint32_t i = 0; i < d->tok[0].count; i++)
            if (llm_error_object(r, d, json_arr_get(d, 0, i)))
                return true;
        return false;
    }
    return llm_error_object(r, d, 0);
}

/* One GenerateContentResponse o: the text of its first candidate (the one
   with index 0 when they say), and its finish reason. */
static enum llm_err response(struct llm_resp *r, struct json_doc *d, int o, char *wtext)
{
    if (llm_error_object(r, d, o))
        return LLM_ERR_API;
    int cs = json_obj_get(d, o, "candidates");
    if (cs < 0 || d->tok[cs].type != JSON_ARRAY)
        return LLM_OK; /* usage-only or promptFeedback chunks */
    int c = -1;
    for (uint32_t i = 0; i < d->tok[cs].count && c < 0; i++) {
        int k = json_arr_get(d, cs, i);
        int x = json_obj_get(d, k, "index");
        int64_t v = 0;
        if (x < 0 || (json_int(d, x, &v) == JSON_OK && v == 0))
            c = k;
    }
    if (c < 0)
        return LLM_OK;
    int ps = json_path(d, c, "content.parts", NULL);
    for (uint32_t i = 0; ps >= 0 && d->tok[ps].type == JSON_ARRAY && i < d->tok[ps].count; i++) {
        int p = json_arr_get(d, ps, i);
        int th = json_obj_get(d, p, "thought");
        if (th >= 0 && d->tok[th].type == JSON_TRUE)
            continue;
        enum llm_err e = llm_resp_text(r, d, json_obj_get(d, p, "text"), wtext);
        if (e)
            return e;
    }
    int f = json_obj_get(d, c, "finishReason");
    if (f >= 0 && (d->tok[f].type == JSON_STRING || d->tok[f].type == JSON_NUMBER))
        llm_resp_set_finish(r, d, f);
    return LLM_OK;
}

static enum llm_err consume_event(struct llm_resp *r, const char *type, const char *data, size_t len)
{
    (void)type; /* Gemini's events are unnamed; a named one is read alike */
    struct json_doc d;
    enum llm_err e = llm_resp_json(r, &d, data, len);
    if (e)
        return e;
    if (d.tok[0].type != JSON_OBJECT)
        return llm_resp_json_err(r, JSON_ERR_WRONG_TYPE);
    return response(r, &d, 0, NULL);
}

static enum llm_err consume_body(struct llm_resp *r, char *body, size_t len)
{
    struct json_doc d;
    enum llm_err e = llm_resp_json(r, &d, body, len);
    if (e)
        return e;
    size_t before = r->content_bytes;
    if (d.tok[0].type == JSON_ARRAY) {
        for (uint32_t i = 0; i < d.tok[0].count; i++) {
            int o = json_arr_get(&d, 0, i);
            if (d.tok[o].type != JSON_OBJECT)
                return llm_resp_json_err(r, JSON_ERR_WRONG_TYPE);
            e = response(r, &d, o, body);
            if (e)
                return e;
        }
    } else if (d.tok[0].type == JSON_OBJECT) {
        e = response(r, &d, 0, body);
        if (e)
            return e;
    } else {
        return llm_resp_json_err(r, JSON_ERR_WRONG_TYPE);
    }
    return r->content_bytes > before ? LLM_OK : LLM_ERR_NO_CONTENT;
}

/* see llm.h */
const struct llm_provider llm_gemini = {
    .name = "gemini",
    .stream_type = "text/event-stream",
    .stream_kind = LLM_STREAM_SSE,
    .build = build,
    .consume_event = consume_event,
    .consume_body = consume_body,
    .error_message = error_message,
};
