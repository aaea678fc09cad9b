/* see tool_call.h */
#include "llm/tool_call.h"
#include <string.h>
#include "http/json.h"

const char *llm_tc_err_str(enum llm_tc_err e)
{
    switch (e) {
    case LLM_TC_OK: return "ok";
    case LLM_TC_TOO_MANY: return "tool_calls_too_many";
    case LLM_TC_ARGS_TOO_LONG: return "tool_args_too_long";
    case LLM_TC_ID_TOO_LONG: return "tool_id_too_long";
    case LLM_TC_BAD_NAME: return "tool_name_bad";
    case LLM_TC_NO_CALL: return "tool_call_unknown_index";
    case LLM_TC_NAME_MISSING: return "tool_name_missing";
    }
    return "unknown";
}

void llm_tc_init(struct llm_tool_calls *t)
{
    t->err = LLM_TC_OK;
    t->n = 0;
}

static enum llm_tc_err fail(struct llm_tool_calls *t, enum llm_tc_err e)
{
    if (!t->err)
        t->err = e;
    return t->err;
}

bool llm_tool_name_ok(const char *s, size_t n)
{
    if (n == 0 || n >= LLM_TOOL_NAME_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-'))
            return false;
    }
    return true;
}

static struct llm_tool_call *find(struct llm_tool_calls *t, long key)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->call[i].key == key)
            return &t->call[i];
    return NULL;
}

const struct llm_tool_call *llm_tc_get(const struct llm_tool_calls *t, long key)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->call[i].key == key)
            return &t->call[i];
    return NULL;
}

enum llm_tc_err llm_tc_start(struct llm_tool_calls *t, long key, const char *id, size_t id_len,
                             const char *name, size_t name_len)
{
    if (t->err)
        return t->err;
    if (!id)
        id_len = 0;
    if (!name)
        name_len = 0;
    if (id_len >= LLM_TOOL_ID_MAX)
        return fail(t, LLM_TC_ID_TOO_LONG);
    if (name_len && !llm_tool_name_ok(name, name_len))
        return fail(t, LLM_TC_BAD_NAME);
    struct llm_tool_call *c = find(t, key);
    if (!c) {
        if (t->n == LLM_TOOL_CALLS_MAX)
            return fail(t, LLM_TC_TOO_MANY);
        c = &t->call[t->n++];
        memset(c, 0, offsetof(struct llm_tool_call, args) + 1);
        c->key = key;
        c->args_len = 0;
        c->args_ok = false;
    }
    if (id_len && !c->id[0]) {
        memcpy(c->id, id, id_len);
        c->id[id_len] = 0;
    }
    if (name_len && !c->name[0]) {
        memcpy(c->name, name, name_len);
        c->name[name_len] = 0;
    }
    return LLM_TC_OK;
}

enum llm_tc_err llm_tc_args(struct llm_tool_calls *t, long key, const char *frag, size_t n)
{
    if (t->err)
        return t->err;
    struct llm_tool_call *c = find(t, key);
    if (!c)
        return fail(t, LLM_TC_NO_CALL);
    if (n > LLM_TOOL_ARGS_MAX - c->args_len)
        return fail(t, LLM_TC_ARGS_TOO_LONG);
    memcpy(c->args + c->args_len, frag, n);
    c->args_len += n;
    c->args[c->args_len] = 0;
    return LLM_TC_OK;
}

enum llm_tc_err llm_tc_whole(struct llm_tool_calls *t, const char *id, size_t id_len,
                             const char *name, size_t name_len, const char *args,
                             size_t args_len)
{
    if (t->err)
        return t->err;
    long key = (long)t->n;
    while (find(t, key))             /* a key no streamed call of this answer uses */
        key++;
    enum llm_tc_err e = llm_tc_start(t, key, id, id_len, name, name_len);
    if (!e && args_len)
        e = llm_tc_args(t, key, args, args_len);
    return e;
}

bool llm_json_one_object(const char *s, size_t n)
{
    static struct json_tok toks[512];
    struct json_doc d;
    size_t at;
    return json_parse(&d, s, n, toks, sizeof toks / sizeof toks[0], &at) == JSON_OK &&
           d.tok[0].type == JSON_OBJECT;
}

enum llm_tc_err llm_tc_finish(struct llm_tool_calls *t)
{
    if (t->err)
        return t->err;
    for (size_t i = 0; i < t->n; i++) {
        struct llm_tool_call *c = &t->call[i];
        if (!c->name[0])
            return fail(t, LLM_TC_NAME_MISSING);
        size_t k = 0;
        while (k < c->args_len && (c->args[k] == ' ' || c->args[k] == '\n' ||
                                   c->args[k] == '\r' || c->args[k] == '\t'))
            k++;
        if (k == c->args_len) {
            memcpy(c->args, "{}", 3);
            c->args_len = 2;
        }
        c->args_ok = llm_json_one_object(c->args, c->args_len);
    }
    return LLM_TC_OK;
}
