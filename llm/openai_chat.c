/* OpenAI chat completions (POST /v1/chat/completions) as an llm provider
   (see provider.h). Request: {"model", "messages": [system?, history...,
   user], "stream"} with a bearer key. Answer: a stream of unnamed SSE events
   whose JSON carries choices[0].delta.content and choices[0].finish_reason,
   ending with data: [DONE]; or one JSON body with
   choices[0].message.content. Usage: "usage" {prompt_tokens,
   completion_tokens} in the body, or in a streamed chunk (with
   stream_options.include_usage, a last chunk with empty choices carries
   it; llm_request.include_usage asks for it; Groq's x_groq.usage too).
   Only the choice with index 0 is shown when a
   server streams several (n > 1). Errors: {"error": {"message": ...}} or
   {"error": "..."}, in an error body or inside the stream, and any event
   named `error` (Groq, vLLM), whose data is the message when it is not
   such an object. Tool calls: choices[0].delta.tool_calls[] {index, id?,
   function: {name?, arguments fragment}} streamed, message.tool_calls[]
   in a body (finish reason "tool_calls"). Stateless: all
   memory is the caller's (request strings, output buffer, struct llm_resp). */
#include "llm/provider.h"
#include <string.h>

static enum llm_err build(const struct llm_request *q, struct http_req *h, char *body, size_t cap,
                          size_t *len)
{
    struct json_w w;
    llm_w_begin(&w, body, cap, q->model);
    enum llm_err e = llm_w_turns(&w, q, &llm_chat_turns);
    if (!e)
        e = llm_w_tools(&w, q, LLM_TOOLS_CHAT);
    if (e)
        return e;
    json_w_key(&w, "stream");
    json_w_bool(&w, q->stream);
    if (q->stream && q->include_usage) {
        json_w_key(&w, "stream_options");
        json_w_obj_begin(&w);
        json_w_key(&w, "include_usage");
        json_w_bool(&w, true);
        json_w_obj_end(&w);
    }
    json_w_obj_end(&w);
    e = llm_w_finish(&w, len);
    if (e)
        return e;
    llm_req_head(q, h, "text/event-stream");
    h->bearer = (q->key && q->key[0]) ? q->key : NULL;
    return LLM_OK;
}

/* The element of choices whose index is 0 (a missing index counts as 0), or
   -1: with n > 1 a server interleaves the choices' chunks. */
static int choice0(struct json_doc *d)
{
    int a = json_obj_get(d, 0, "choices");
    if (a < 0 || d->tok[a].type != JSON_ARRAY)
        return -1;
    for (uint32_t i = 0; i < d->tok[a].count; i++) {
        int c = json_arr_get(d, a, i);
        if (c < 0 || d->tok[c].type != JSON_OBJECT)
            continue;
        int x = json_obj_get(d, c, "index");
        int64_t v = 0;
        if (x < 0 || (d->tok[x].type == JSON_NUMBER && json_int(d, x, &v) == JSON_OK && v == 0))
            return c;
    }
    return -1;
}

/* The root's "usage" (a body, or a chunk: with include_usage the last one
   before [DONE] has empty choices and only the usage; some servers send it
   on the chunk with the finish reason instead; Groq in x_groq.usage). */
static void usage(struct llm_resp *r, struct json_doc *d)
{
    int u = json_obj_get(d, 0, "usage");
    if (u < 0 || d->tok[u].type != JSON_OBJECT)
        u = json_path(d, 0, "x_groq.usage", NULL);
    llm_resp_usage_at(r, d, u, "prompt_tokens", "completion_tokens");
}

/* The tool_calls array tc of a delta (streamed: fragments keyed by their
   "index", id and name in the first) or of a message (whole: arguments
   complete). */
static enum llm_err tool_calls(struct llm_resp *r, struct json_doc *d, int tc, bool whole)
{
    if (!r->tool_calls)
        return LLM_OK;                  /* not asked for: not read */
    for (uint32_t i = 0; tc >= 0 && d->tok[tc].type == JSON_ARRAY && i < d->tok[tc].count; i++) {
        int c = json_arr_get(d, tc, i);
        int f = json_obj_get(d, c, "function");
        int id = json_obj_get(d, c, "id"), name = json_obj_get(d, f, "name");
        int args = json_obj_get(d, f, "arguments");
        enum llm_err e;
        if (whole) {
            e = llm_resp_tc_whole(r, d, id, name, args);
        } else {
            int x = json_obj_get(d, c, "index");
            int64_t key = i;
            if (x >= 0 && (json_int(d, x, &key) != JSON_OK || key < 0 || key > 1 << 20))
                return llm_resp_json_err(r, JSON_ERR_WRONG_TYPE);
            e = llm_resp_tc_start(r, (long)key, d, id, name);
            if (!e)
                e = llm_resp_tc_args(r, (long)key, d, args);
        }
        if (e)
            return e;
    }
    return LLM_OK;
}

static enum llm_err consume_event(struct llm_resp *r, const char *type, const char *data, size_t len)
{
    struct json_doc d;
    enum llm_err e;
    if (strcmp(type, "error") == 0) {
        /* an error event ends the answer, whatever its data holds */
        if (llm_resp_json(r, &d, data, len) != LLM_OK || d.tok[0].type != JSON_OBJECT ||
            !llm_error_root(r, &d)) {
            r->json_err = JSON_OK;
            llm_resp_set_message(r, NULL, -1, len ? data : "(no message)");
        }
        return LLM_ERR_API;
    }
    if (strcmp(type, "message") != 0)
        return LLM_OK; /* OpenAI sends only unnamed events; skip others */
    if (len == 6 && memcmp(data, "[DONE]", 6) == 0) {
        llm_resp_end_of_stream(r);
        return LLM_OK;
    }
    e = llm_resp_json(r, &d, data, len);
    if (e)
        return e;
    if (d.tok[0].type == JSON_OBJECT && llm_error_root(r, &d))
        return LLM_ERR_API;
    usage(r, &d);
    int ch = choice0(&d);
    int c = ch >= 0 ? json_path(&d, ch, "delta.content", NULL) : -1;
    if (c >= 0 && d.tok[c].type == JSON_STRING) {
        size_t n;
        enum json_err je = json_str_decode(&d, c, r->mem.piece, r->mem.piece_cap, &n);
        if (je)
            return llm_resp_json_err(r, je);
        e = llm_resp_content(r, r->mem.piece, n);
        if (e)
            return e;
    }
    e = tool_calls(r, &d, ch >= 0 ? json_path(&d, ch, "delta.tool_calls", NULL) : -1, false);
    if (e)
        return e;
    llm_resp_finish_at(r, &d, ch, "finish_reason");
    return LLM_OK;
}

static enum llm_err consume_body(struct llm_resp *r, char *body, size_t len)
{
    struct json_doc d;
    enum llm_err e = llm_resp_json(r, &d, body, len);
    if (e)
        return e;
    if (d.tok[0].type == JSON_OBJECT && llm_error_root(r, &d))
        return LLM_ERR_API;
    usage(r, &d);
    int ch = choice0(&d);
    llm_resp_finish_at(r, &d, ch, "finish_reason");
    e = tool_calls(r, &d, ch >= 0 ? json_path(&d, ch, "message.tool_calls", NULL) : -1, true);
    if (e)
        return e;
    int c = ch >= 0 ? json_path(&d, ch, "message.content", NULL) : -1;
    if (c < 0 || d.tok[c].type != JSON_STRING)
        return llm_resp_has_calls(r) ? LLM_OK : LLM_ERR_NO_CONTENT;
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
    .error_message = llm_error_root,
};
