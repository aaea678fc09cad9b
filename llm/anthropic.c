/* Anthropic Messages (POST /v1/messages) as an llm provider (see
   provider.h). Request: {"model", "max_tokens", "system"?, "messages":
   [history..., user], "stream"} with x-api-key and anthropic-version:
   2023-06-01. Stream: named SSE events message_start, content_block_start,
   content_block_delta (delta.type text_delta carries delta.text; thinking,
   signature and input_json deltas are not shown), content_block_stop,
   message_delta (delta.stop_reason), message_stop (the end marker), ping,
   and error ({"type":"error","error":{"type","message"}}); the event kind
   is read from the data's "type" (the event name when it has none), and
   unknown kinds are skipped, as the API asks. Body: content[] blocks of type
   text, and stop_reason. Tool calls: content_block_start with a tool_use
   block (key: the block index; id, name), then its input_json_delta
   partial_json fragments (stop_reason "tool_use"); tool_use blocks' input
   objects in a body. Usage: message_start's message.usage, then
   message_delta's usage (cumulative; the last wins), or the body's usage:
   input_tokens (plus cache_creation_ and cache_read_input_tokens),
   output_tokens. Errors: the same {"error": {"message"}} object in
   an error body. Stateless. */
#include "llm/provider.h"
#include <string.h>

static enum llm_err build(const struct llm_request *q, struct http_req *h, char *body, size_t cap,
                          size_t *len)
{
    struct json_w w;
    llm_w_begin(&w, body, cap, q->model);
    json_w_key(&w, "max_tokens");
    json_w_int(&w, q->max_tokens ? q->max_tokens : LLM_DEFAULT_MAX_TOKENS);
    if (q->system) {
        json_w_key(&w, "system");
        json_w_str(&w, q->system);
    }
    /* no system turns: the API has one top-level system */
    static const struct llm_turns turns = {
        .key = "messages", .assistant = "assistant", .tools = LLM_TOOLS_ANTHROPIC,
    };
    enum llm_err e = llm_w_turns(&w, q, &turns);
    if (!e)
        e = llm_w_tools(&w, q, LLM_TOOLS_ANTHROPIC);
    if (e)
        return e;
    json_w_key(&w, "stream");
    json_w_bool(&w, q->stream);
    json_w_obj_end(&w);
    e = llm_w_finish(&w, len);
    if (e)
        return e;
    llm_req_head(q, h, "text/event-stream");
    size_t x = 0;
    if (q->key && q->key[0])
        h->extra[x++] = (struct http_field){"x-api-key", q->key};
    h->extra[x] = (struct http_field){"anthropic-version", "2023-06-01"};
    return LLM_OK;
}

/* Usage object u: input is input_tokens plus the cache's reads and writes
   (which input_tokens leaves out), each part only when reported. */
static void usage(struct llm_resp *r, struct json_doc *d, int u)
{
    int64_t in = llm_json_count(d, u, "input_tokens");
    int64_t cw = llm_json_count(d, u, "cache_creation_input_tokens");
    int64_t cr = llm_json_count(d, u, "cache_read_input_tokens");
    if (in >= 0)
        in += (cw > 0 ? cw : 0) + (cr > 0 ? cr : 0);
    llm_resp_set_usage(r, in, llm_json_count(d, u, "output_tokens"));
}

/* The event's content block index: the key of a streamed tool call. */
static bool block_index(struct json_doc *d, long *key)
{
    int x = json_obj_get(d, 0, "index");
    int64_t v;
    if (x < 0 || json_int(d, x, &v) != JSON_OK || v < 0 || v > 1 << 20)
        return false;
    *key = (long)v;
    return true;
}

static enum llm_err consume_event(struct llm_resp *r, const char *type, const char *data, size_t len)
{
    if (strcmp(type, "ping") == 0)
        return LLM_OK;
    struct json_doc d;
    enum llm_err e = llm_resp_object(r, &d, data, len);
    if (e)
        return e;
    int t = json_obj_get(&d, 0, "type");
    bool typed = t >= 0 && d.tok[t].type == JSON_STRING;
    if (strcmp(type, "error") == 0 || llm_json_is(&d, t, "error")) {
        if (!llm_error_root(r, &d))
            llm_resp_set_message(r, NULL, -1, data);
        return LLM_ERR_API;
    }
#define KIND(s) (typed ? llm_json_is(&d, t, s) : strcmp(type, s) == 0)
    if (KIND("content_block_delta")) {
        int dl = json_obj_get(&d, 0, "delta");
        if (llm_json_member_is(&d, dl, "type", "text_delta"))
            return llm_resp_text(r, &d, json_obj_get(&d, dl, "text"), NULL);
        /* only a tool_use block's: server tools (server_tool_use: web
           search, tool search) stream their input alike */
        long key;
        if (llm_json_member_is(&d, dl, "type", "input_json_delta") && block_index(&d, &key) &&
            r->tool_calls && llm_tc_get(r->tool_calls, key))
            return llm_resp_tc_args(r, key, &d, json_obj_get(&d, dl, "partial_json"));
    } else if (KIND("content_block_start")) {
        int b = json_obj_get(&d, 0, "content_block");
        long key;
        if (llm_json_member_is(&d, b, "type", "tool_use") && block_index(&d, &key))
            return llm_resp_tc_start(r, key, &d, json_obj_get(&d, b, "id"),
                                     json_obj_get(&d, b, "name"));
    } else if (KIND("message_start")) {
        usage(r, &d, json_path(&d, 0, "message.usage", NULL));
    } else if (KIND("message_delta")) {
        llm_resp_finish_at(r, &d, 0, "delta.stop_reason");
        usage(r, &d, json_obj_get(&d, 0, "usage")); /* cumulative counts */
    } else if (KIND("message_stop")) {
        llm_resp_end_of_stream(r);
    }
#undef KIND
    return LLM_OK;
}

static enum llm_err consume_body(struct llm_resp *r, char *body, size_t len)
{
    struct json_doc d;
    enum llm_err e = llm_resp_answer(r, &d, body, len);
    if (e)
        return e;
    llm_resp_finish_at(r, &d, 0, "stop_reason");
    usage(r, &d, json_obj_get(&d, 0, "usage"));
    size_t before = r->content_bytes;
    int blocks = json_obj_get(&d, 0, "content");
    for (uint32_t i = 0; blocks >= 0 && d.tok[blocks].type == JSON_ARRAY && i < d.tok[blocks].count;
         i++) {
        int b = json_arr_get(&d, blocks, i);
        if (!llm_json_member_is(&d, b, "type", "tool_use"))
            continue;
        e = llm_resp_tc_whole(r, &d, json_obj_get(&d, b, "id"), json_obj_get(&d, b, "name"),
                              json_obj_get(&d, b, "input"));
        if (e)
            return e;
    }
    /* the text last: it is decoded in place */
    e = llm_resp_text_parts(r, &d, blocks, "text", NULL, body);
    if (e)
        return e;
    return r->content_bytes > before || llm_resp_has_calls(r) ? LLM_OK : LLM_ERR_NO_CONTENT;
}

/* see llm.h */
const struct llm_provider llm_anthropic = {
    .name = "anthropic",
    .stream_type = "text/event-stream",
    .stream_kind = LLM_STREAM_SSE,
    .build = build,
    .consume_event = consume_event,
    .consume_body = consume_body,
    .error_message = llm_error_root,
};
