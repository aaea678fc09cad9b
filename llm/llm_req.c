/* The provider-neutral half of building a request (see llm.h, provider.h):
   common argument checks and the HTTP head around the provider's JSON body.
   Everything is written into the caller's buffer; no allocation. */
#include "llm/llm.h"
#include "llm/provider.h"
#include <string.h>

/* see llm.h */
const char *llm_role_str(enum llm_role r)
{
    switch (r) {
    case LLM_ROLE_SYSTEM: return "system";
    case LLM_ROLE_USER: return "user";
    case LLM_ROLE_ASSISTANT: return "assistant";
    case LLM_ROLE_TOOL: return "tool";
    }
    return "user";
}

/* see provider.h */
void llm_w_begin(struct json_w *w, char *body, size_t cap, const char *model)
{
    json_w_init(w, body, cap);
    json_w_obj_begin(w);
    if (model) {
        json_w_key(w, "model");
        json_w_str(w, model);
    }
}

/* see provider.h */
void llm_req_head(const struct llm_request *q, struct http_req *h, const char *stream_type)
{
    h->path = q->path;
    h->accept = q->stream ? stream_type : "application/json";
}

/* see provider.h */
void llm_w_turn(struct json_w *w, const char *role, const char *text, bool parts)
{
    json_w_obj_begin(w);
    if (role) {
        json_w_key(w, "role");
        json_w_str(w, role);
    }
    if (parts) {
        json_w_key(w, "parts");
        json_w_arr_begin(w);
        json_w_obj_begin(w);
        json_w_key(w, "text");
        json_w_str(w, text);
        json_w_obj_end(w);
        json_w_arr_end(w);
    } else {
        json_w_key(w, "content");
        json_w_str(w, text);
    }
    json_w_obj_end(w);
}

/* see provider.h */
const struct llm_turns llm_chat_turns = {
    .key = "messages", .system = "system", .assistant = "assistant", .system_first = true,
    .tools = LLM_TOOLS_CHAT,
};

/* see provider.h */
enum llm_err llm_w_turns(struct json_w *w, const struct llm_request *q, const struct llm_turns *t)
{
    json_w_key(w, t->key);
    json_w_arr_begin(w);
    if (t->system_first && q->system)
        llm_w_turn(w, "system", q->system, t->parts);
    for (size_t i = 0; i < q->history_len;) {
        if (llm_msg_is_tool(&q->history[i])) {
            i += llm_w_tool_turns(w, q->history + i, q->history_len - i, t);
            continue;
        }
        const char *role = "user";
        switch (q->history[i].role) {
        case LLM_ROLE_SYSTEM:
            if (!t->system)
                return LLM_ERR_BAD_ARGUMENT; /* the API has one top-level system */
            role = t->system;
            break;
        case LLM_ROLE_ASSISTANT: role = t->assistant; break;
        case LLM_ROLE_USER:
        case LLM_ROLE_TOOL: break;
        }
        llm_w_turn(w, role, q->history[i].content, t->parts);
        i++;
    }
    if (q->prompt)
        llm_w_turn(w, "user", q->prompt, t->parts);
    json_w_arr_end(w);
    return LLM_OK;
}

/* see provider.h */
void llm_w_int_obj(struct json_w *w, const char *key, const char *member, int64_t v)
{
    json_w_key(w, key);
    json_w_obj_begin(w);
    json_w_key(w, member);
    json_w_int(w, v);
    json_w_obj_end(w);
}

/* see provider.h */
enum llm_err llm_w_finish(struct json_w *w, size_t *len)
{
    enum json_err je = json_w_finish(w, len);
    if (je == JSON_ERR_BUFFER_TOO_SMALL)
        return LLM_ERR_REQUEST_TOO_LARGE;
    if (je)
        return LLM_ERR_BAD_ARGUMENT; /* invalid UTF-8 in model or prompt */
    return LLM_OK;
}

/* see llm.h */
enum llm_err llm_build_request(const struct llm_provider *p, const struct llm_request *q,
                               char *buf, size_t cap, size_t *len)
{
    *len = 0;
    if (!q->host || !q->path || !q->model || !q->model[0])
        return LLM_ERR_BAD_ARGUMENT;
    /* no prompt only to continue after tool results */
    if (!q->prompt &&
        (!q->history_len || q->history[q->history_len - 1].role != LLM_ROLE_TOOL))
        return LLM_ERR_BAD_ARGUMENT;
    for (size_t i = 0; i < q->history_len; i++) {
        const struct llm_message *m = &q->history[i];
        if (m->ncalls && (m->role != LLM_ROLE_ASSISTANT || !m->calls))
            return LLM_ERR_BAD_ARGUMENT;
        if (!m->content && !m->ncalls)
            return LLM_ERR_BAD_ARGUMENT;
        if (m->role == LLM_ROLE_TOOL && (!m->tool_name || !m->tool_name[0]))
            return LLM_ERR_BAD_ARGUMENT;
    }

    /* body first, at the start of buf; the head is then put in front */
    struct http_req h = {
        .method = "POST", .host = q->host, .port = q->port, .default_port = 443,
        .user_agent = q->user_agent ? q->user_agent : "os-llm/1.0",
        .content_type = "application/json", .has_body = true, .keep_alive = q->keep_alive,
    };
    size_t blen;
    enum llm_err e = p->build(q, &h, buf, cap, &blen);
    if (e)
        return e;
    h.content_length = blen;
    char head[2048];
    size_t hlen;
    enum http_err he = http_req_write(&h, head, sizeof head, &hlen);
    if (he == HTTP_ERR_BUFFER_TOO_SMALL)
        return LLM_ERR_REQUEST_TOO_LARGE;
    if (he)
        return LLM_ERR_BAD_ARGUMENT;
    if (hlen > cap || blen > cap - hlen)
        return LLM_ERR_REQUEST_TOO_LARGE;
    memmove(buf + hlen, buf, blen);
    memcpy(buf, head, hlen);
    *len = hlen + blen;
    return LLM_OK;
}

static const struct llm_provider *const PROVIDERS[] = {
    &llm_openai_chat, &llm_openai_responses, &llm_anthropic, &llm_gemini, &llm_ollama,
};

/* see llm.h */
const struct llm_provider *llm_provider_by_name(const char *name)
{
    static const char *const short_names[] = {"openai", "responses", "anthropic", "gemini",
                                              "ollama"};
    for (size_t i = 0; i < sizeof PROVIDERS / sizeof PROVIDERS[0]; i++)
        if (strcmp(name, short_names[i]) == 0 || strcmp(name, PROVIDERS[i]->name) == 0)
            return PROVIDERS[i];
    return NULL;
}

/* Whether path (up to a '?') ends with suffix. */
static bool path_ends(const char *path, const char *suffix)
{
    size_t n = 0, k = strlen(suffix);
    while (path[n] && path[n] != '?')
        n++;
    return n >= k && memcmp(path + n - k, suffix, k) == 0;
}

/* see llm.h */
const struct llm_provider *llm_provider_from_path(const char *path)
{
    if (path_ends(path, "/responses"))
        return &llm_openai_responses;
    if (path_ends(path, "/messages"))
        return &llm_anthropic;
    if (path_ends(path, ":generateContent") || path_ends(path, ":streamGenerateContent"))
        return &llm_gemini;
    if (path_ends(path, "/api/chat") || path_ends(path, "/api/generate"))
        return &llm_ollama;
    return &llm_openai_chat;
}
