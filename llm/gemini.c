/* Google Gemini (POST /v1beta/models/MODEL:streamGenerateContent?alt=sse,
   or :generateContent) as an llm provider (see provider.h). The model is in
   the path (llm_default_path writes it); the body is {"systemInstruction"?,
   "contents": [{"role": "user"|"model", "parts": [{"text"}]}...],
   "generationConfig"?} with x-goog-api-key. Answer: GenerateContentResponse
   objects, one per unnamed SSE event (the stream has no end marker: a
   finishReason ends it), or one JSON body, or a JSON array of them
   (streamGenerateContent without alt=sse). The text is the candidate's
   content.parts[].text, except parts marked "thought": true; finishReason
   may be a string ("STOP") or, with enum-encoding=int, a number. Tool
   calls: parts' functionCall {id?, name, args object}, each whole, with
   the part's thoughtSignature. Errors:
   {"error": {"code", "message", "status"}}, alone or as an array element.
   Usage: usageMetadata {promptTokenCount, candidatesTokenCount} of any
   response (each count as it comes; the last wins).
   Stateless. */
#include "llm/provider.h"
#include <string.h>

static enum llm_err build(const struct llm_request *q, struct http_req *h, char *body, size_t cap,
                          size_t *len)
{
    struct json_w w;
    llm_w_begin(&w, body, cap, NULL); /* the model is in the path */
    if (q->system) {
        json_w_key(&w, "systemInstruction");
        llm_w_turn(&w, NULL, q->system, true);
    }
    static const struct llm_turns turns = {
        .key = "contents", .assistant = "model", .parts = true, .tools = LLM_TOOLS_GEMINI,
    };
    enum llm_err e = llm_w_turns(&w, q, &turns);
    if (!e)
        e = llm_w_tools(&w, q, LLM_TOOLS_GEMINI);
    if (e)
        return e;
    if (q->max_tokens)
        llm_w_int_obj(&w, "generationConfig", "maxOutputTokens", q->max_tokens);
    json_w_obj_end(&w);
    e = llm_w_finish(&w, len);
    if (e)
        return e;
    llm_req_head(q, h, "text/event-stream");
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
    llm_resp_usage_at(r, d, json_obj_get(d, o, "usageMetadata"), "promptTokenCount",
                      "candidatesTokenCount");
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
        int part = json_arr_get(d, ps, i);
        int fc = json_obj_get(d, part, "functionCall");
        if (fc < 0 || d->tok[fc].type != JSON_OBJECT)
            continue;
        enum llm_err e = llm_resp_tc_whole(r, d, json_obj_get(d, fc, "id"),
                                           json_obj_get(d, fc, "name"), json_obj_get(d, fc, "args"));
        if (e)
            return e;
        llm_resp_tc_sig(r, d, json_obj_get(d, part, "thoughtSignature"));
    }
    enum llm_err e = llm_resp_text_parts(r, d, ps, NULL, "thought", wtext);
    if (e)
        return e;
    int f = json_obj_get(d, c, "finishReason");
    if (f >= 0 && (d->tok[f].type == JSON_STRING || d->tok[f].type == JSON_NUMBER))
        llm_resp_set_finish(r, d, f);
    return LLM_OK;
}

static enum llm_err consume_event(struct llm_resp *r, const char *type, const char *data, size_t len)
{
    (void)type; /* Gemini's events are unnamed; a named one is read alike */
    struct json_doc d;
    enum llm_err e = llm_resp_object(r, &d, data, len);
    return e ? e : response(r, &d, 0, NULL);
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
    return r->content_bytes > before || llm_resp_has_calls(r) ? LLM_OK : LLM_ERR_NO_CONTENT;
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
