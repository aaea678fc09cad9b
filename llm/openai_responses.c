/* OpenAI Responses (POST /v1/responses) as an llm provider (see
   provider.h). Request: {"model", "instructions"?, "input": [history...,
   user], "max_output_tokens"?, "stream"} with a bearer key. Stream: named
   SSE events whose data carries the same "type": response.output_text.delta
   (its "delta" is shown), response.completed and response.incomplete (the
   end: the finish reason is response.status, "incomplete:REASON" with
   incomplete_details.reason), response.failed (response.error is the API
   error) and error ({"error": {...}} or the older top-level "message");
   everything else (created, in_progress, output_item.*, content_part.*,
   output_text.done, reasoning events, keep-alives) is skipped, and
   OpenRouter's trailing data: [DONE] counts as an end marker too.
   Body: output[] items of type message whose content[] parts of type
   output_text hold the text, and status. Usage: response.usage
   {input_tokens, output_tokens} of the completed (incomplete, failed)
   event, or the body's usage. Tool calls: response.output_item.added with
   an item of type function_call (key: output_index; call_id, name),
   response.function_call_arguments.delta, and the full arguments of
   function_call_arguments.done or output_item.done when no delta came;
   function_call items of output[] in a body. Stateless. */
#include "llm/provider.h"
#include <string.h>

static enum llm_err build(const struct llm_request *q, struct http_req *h, char *body, size_t cap,
                          size_t *len)
{
    struct json_w w;
    llm_w_begin(&w, body, cap, q->model);
    if (q->system) {
        json_w_key(&w, "instructions");
        json_w_str(&w, q->system);
    }
    static const struct llm_turns turns = {
        .key = "input", .system = "system", .assistant = "assistant",
        .tools = LLM_TOOLS_RESPONSES,
    };
    enum llm_err e = llm_w_turns(&w, q, &turns);
    if (!e)
        e = llm_w_tools(&w, q, LLM_TOOLS_RESPONSES);
    if (e)
        return e;
    if (q->max_tokens) {
        json_w_key(&w, "max_output_tokens");
        json_w_int(&w, q->max_tokens);
    }
    json_w_key(&w, "stream");
    json_w_bool(&w, q->stream);
    json_w_obj_end(&w);
    e = llm_w_finish(&w, len);
    if (e)
        return e;
    llm_req_head(q, h, "text/event-stream");
    h->bearer = (q->key && q->key[0]) ? q->key : NULL;
    return LLM_OK;
}

/* The finish reason of response object o: status, with the reason of an
   incomplete one ("incomplete:max_output_tokens"). */
static void take_status(struct llm_resp *r, struct json_doc *d, int o)
{
    int s = json_obj_get(d, o, "status");
    if (s < 0 || d->tok[s].type != JSON_STRING)
        return;
    int why = json_path(d, o, "incomplete_details.reason", NULL);
    if (!llm_json_is(d, s, "incomplete") || why < 0 || d->tok[why].type != JSON_STRING) {
        llm_resp_set_finish(r, d, s);
        return;
    }
    char f[sizeof r->finish_reason];
    size_t n = 0;
    memcpy(f, "incomplete:", 11);
    if (json_str_decode(d, why, f + 11, sizeof f - 11, &n) != JSON_OK)
        n = 0;
    llm_resp_set_finish_text(r, f, 11 + n);
}

/* The stream's key of a call: the event's output_index. */
static bool out_index(struct json_doc *d, long *key)
{
    int x = json_obj_get(d, 0, "output_index");
    int64_t v;
    if (x < 0 || json_int(d, x, &v) != JSON_OK || v < 0 || v > 1 << 20)
        return false;
    *key = (long)v;
    return true;
}

/* A function_call item it at output index key: started (added), or done
   (its full arguments, used only when no delta brought any). */
static enum llm_err call_item(struct llm_resp *r, struct json_doc *d, int it, long key, bool done)
{
    if (!llm_json_member_is(d, it, "type", "function_call"))
        return LLM_OK;
    enum llm_err e = llm_resp_tc_start(r, key, d, json_obj_get(d, it, "call_id"),
                                       json_obj_get(d, it, "name"));
    if (e || !done)
        return e;
    const struct llm_tool_call *c = r->tool_calls ? llm_tc_get(r->tool_calls, key) : NULL;
    if (c && c->args_len == 0)
        e = llm_resp_tc_args(r, key, d, json_obj_get(d, it, "arguments"));
    return e;
}

static enum llm_err consume_event(struct llm_resp *r, const char *type, const char *data, size_t len)
{
    if (len == 6 && memcmp(data, "[DONE]", 6) == 0) {
        llm_resp_end_of_stream(r); /* OpenRouter's, after response.completed */
        return LLM_OK;
    }
    struct json_doc d;
    enum llm_err e = llm_resp_object(r, &d, data, len);
    if (e)
        return e;
    int t = json_obj_get(&d, 0, "type");
    bool typed = t >= 0 && d.tok[t].type == JSON_STRING;
#define KIND(s) (typed ? llm_json_is(&d, t, s) : strcmp(type, s) == 0)
    if (strcmp(type, "error") == 0 || KIND("error")) {
        int m = json_obj_get(&d, 0, "message");
        if (!llm_error_root(r, &d)) {
            if (m >= 0 && d.tok[m].type == JSON_STRING)
                llm_resp_set_message(r, &d, m, NULL);
            else
                llm_resp_set_message(r, NULL, -1, data);
        }
        return LLM_ERR_API;
    }
    if (KIND("response.output_text.delta"))
        return llm_resp_text(r, &d, json_obj_get(&d, 0, "delta"), NULL);
    long key;
    if ((KIND("response.output_item.added") || KIND("response.output_item.done")) &&
        out_index(&d, &key))
        return call_item(r, &d, json_obj_get(&d, 0, "item"), key,
                         KIND("response.output_item.done"));
    if (KIND("response.function_call_arguments.delta") && out_index(&d, &key))
        return llm_resp_tc_args(r, key, &d, json_obj_get(&d, 0, "delta"));
    if (KIND("response.function_call_arguments.done") && out_index(&d, &key)) {
        const struct llm_tool_call *c = r->tool_calls ? llm_tc_get(r->tool_calls, key) : NULL;
        if (c && c->args_len == 0)
            return llm_resp_tc_args(r, key, &d, json_obj_get(&d, 0, "arguments"));
        return LLM_OK;
    }
    if (KIND("response.completed") || KIND("response.incomplete") || KIND("response.failed")) {
        int o = json_obj_get(&d, 0, "response");
        take_status(r, &d, o);
        llm_resp_usage_at(r, &d, json_obj_get(&d, o, "usage"), "input_tokens", "output_tokens");
        if (llm_error_object(r, &d, o))
            return LLM_ERR_API;
        if (KIND("response.failed")) {
            llm_resp_set_message(r, NULL, -1, "response failed");
            return LLM_ERR_API;
        }
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
    take_status(r, &d, 0);
    llm_resp_usage_at(r, &d, json_obj_get(&d, 0, "usage"), "input_tokens", "output_tokens");
    int out = json_obj_get(&d, 0, "output");
    size_t before = r->content_bytes;
    for (uint32_t i = 0; out >= 0 && d.tok[out].type == JSON_ARRAY && i < d.tok[out].count; i++) {
        int it = json_arr_get(&d, out, i);
        if (llm_json_member_is(&d, it, "type", "function_call")) {
            e = llm_resp_tc_whole(r, &d, json_obj_get(&d, it, "call_id"),
                                  json_obj_get(&d, it, "name"), json_obj_get(&d, it, "arguments"));
            if (e)
                return e;
            continue;
        }
        if (!llm_json_member_is(&d, it, "type", "message"))
            continue;
        e = llm_resp_text_parts(r, &d, json_obj_get(&d, it, "content"), "output_text", NULL, body);
        if (e)
            return e;
    }
    return r->content_bytes > before || llm_resp_has_calls(r) ? LLM_OK : LLM_ERR_NO_CONTENT;
}

/* see llm.h */
const struct llm_provider llm_openai_responses = {
    .name = "openai-responses",
    .stream_type = "text/event-stream",
    .stream_kind = LLM_STREAM_SSE,
    .build = build,
    .consume_event = consume_event,
    .consume_body = consume_body,
    .error_message = llm_error_root,
};
