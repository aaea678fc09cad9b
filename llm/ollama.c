/* Ollama's native chat API (POST /api/chat) as an llm provider (see
   provider.h), for servers on the local network over plain http:// (the
   caller never sends a key there). Request: {"model", "messages":
   [system?, history..., user], "stream", "options": {"num_predict"}?}.
   Stream: application/x-ndjson, one object per line with message.content;
   the last has "done": true (the end marker) and done_reason (the finish
   reason). A non-streamed answer is one such object. Tool calls:
   message.tool_calls[] {id?, function: {name, arguments object}}, each
   whole. /api/generate's
   "response" field is read as well. Usage: prompt_eval_count and
   eval_count of the done line or the body. Errors: {"error": "..."} as a body or
   as a line inside the stream. Stateless. */
#include "llm/provider.h"
#include <string.h>

static enum llm_err build(const struct llm_request *q, struct http_req *h, char *body, size_t cap,
                          size_t *len)
{
    struct json_w w;
    llm_w_begin(&w, body, cap, q->model);
    static const struct llm_turns turns = {
        .key = "messages", .system = "system", .assistant = "assistant", .system_first = true,
        .tools = LLM_TOOLS_OLLAMA,
    };
    enum llm_err e = llm_w_turns(&w, q, &turns);
    if (!e)
        e = llm_w_tools(&w, q, LLM_TOOLS_OLLAMA);
    if (e)
        return e;
    json_w_key(&w, "stream");
    json_w_bool(&w, q->stream);
    if (q->max_tokens)
        llm_w_int_obj(&w, "options", "num_predict", q->max_tokens);
    json_w_obj_end(&w);
    e = llm_w_finish(&w, len);
    if (e)
        return e;
    llm_req_head(q, h, "application/x-ndjson");
    h->bearer = (q->key && q->key[0]) ? q->key : NULL;
    return LLM_OK;
}

/* One chat object that is not an error: its text, its finish reason and
   done flag. */
static enum llm_err chunk(struct llm_resp *r, struct json_doc *d, char *wtext)
{
    int tc = json_path(d, 0, "message.tool_calls", NULL);
    for (uint32_t i = 0; tc >= 0 && d->tok[tc].type == JSON_ARRAY && i < d->tok[tc].count; i++) {
        int k = json_arr_get(d, tc, i);
        int f = json_obj_get(d, k, "function");
        enum llm_err e = llm_resp_tc_whole(r, d, json_obj_get(d, k, "id"),
                                           json_obj_get(d, f, "name"),
                                           json_obj_get(d, f, "arguments"));
        if (e)
            return e;
    }
    int c = json_path(d, 0, "message.content", NULL);
    if (c < 0)
        c = json_obj_get(d, 0, "response");
    enum llm_err e = llm_resp_text(r, d, c, wtext);
    if (e)
        return e;
    llm_resp_finish_at(r, d, 0, "done_reason");
    llm_resp_usage_at(r, d, 0, "prompt_eval_count", "eval_count");
    int done = json_obj_get(d, 0, "done");
    if (done >= 0 && d->tok[done].type == JSON_TRUE)
        llm_resp_end_of_stream(r);
    return LLM_OK;
}

static enum llm_err consume_event(struct llm_resp *r, const char *type, const char *data, size_t len)
{
    (void)type;
    struct json_doc d;
    enum llm_err e = llm_resp_answer(r, &d, data, len);
    return e ? e : chunk(r, &d, NULL);
}

static enum llm_err consume_body(struct llm_resp *r, char *body, size_t len)
{
    struct json_doc d;
    enum llm_err e = llm_resp_answer(r, &d, body, len);
    if (e)
        return e;
    size_t before = r->content_bytes;
    e = chunk(r, &d, body);
    if (e)
        return e;
    return r->content_bytes > before || llm_resp_has_calls(r) ? LLM_OK : LLM_ERR_NO_CONTENT;
}

/* see llm.h */
const struct llm_provider llm_ollama = {
    .name = "ollama",
    .stream_type = "application/x-ndjson",
    .stream_kind = LLM_STREAM_NDJSON,
    .build = build,
    .consume_event = consume_event,
    .consume_body = consume_body,
    .error_message = llm_error_root,
};
