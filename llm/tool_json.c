/* Tool calling on the request side (see provider.h): each provider's
   spelling of the tools it may call, of an assistant turn that called
   tools, and of the tools' results.
   - OpenAI chat: "tools": [{"type": "function", "function": {"name",
     "description", "parameters"}}]; {"role": "assistant", "content": text
     or null, "tool_calls": [{"id", "type": "function", "function": {"name",
     "arguments": "<text>"}}]}; {"role": "tool", "tool_call_id", "content"}.
   - Ollama /api/chat: the same tools; {"role": "assistant", "content",
     "tool_calls": [{"function": {"name", "arguments": {...}}}]};
     {"role": "tool", "content", "tool_name"}.
   - Responses: "tools": [{"type": "function", "name", "description",
     "parameters", "strict": false}] (strict is the API's default and would
     demand every property be required); input items {"type":
     "function_call", "call_id", "name", "arguments": "<text>"} after the
     assistant's text, and {"type": "function_call_output", "call_id",
     "output"}.
   - Anthropic: "tools": [{"name", "description", "input_schema"}];
     {"role": "assistant", "content": [{"type": "text"}?, {"type":
     "tool_use", "id", "name", "input": {...}}...]}; one round's results in
     one {"role": "user", "content": [{"type": "tool_result", "tool_use_id",
     "content"}...]}. A user turn after it stays a turn of its own (the API
     joins consecutive user turns, text after the tool_result blocks).
   - Gemini: "tools": [{"functionDeclarations": [{"name", "description",
     "parametersJsonSchema"}]}] (full JSON Schema); {"role": "model",
     "parts": [{"text"}?, {"functionCall": {"id"?, "name", "args"},
     "thoughtSignature"?}...]} (Gemini 3 refuses a call of the current turn
     without the signature it came with);
     one round's results in one {"role": "user", "parts":
     [{"functionResponse": {"id"?, "name", "response": {...}}}...]}.
   Arguments that are not one JSON object (args_ok false) go as "{}" where
   the API wants an object and as their text where it wants a string; a
   result that is not one JSON object goes to Gemini as {"output": text}.
   Writes into the caller's json_w; no allocation. */
#include "llm/llm.h"
#include "llm/provider.h"
#include <string.h>

/* Whether s is a tool name the APIs accept (llm_tool_name_ok). */
static bool tool_name_ok(const char *s)
{
    return s && llm_tool_name_ok(s, strlen(s));
}

/* key: "text" (or nothing when text is NULL) */
static void w_str_member(struct json_w *w, const char *key, const char *text)
{
    if (!text)
        return;
    json_w_key(w, key);
    json_w_str(w, text);
}

/* key: a call's arguments as a JSON object ("{}" when they are not one) */
static void w_args_obj(struct json_w *w, const char *key, const struct llm_tool_call *c)
{
    json_w_key(w, key);
    if (c->args_ok)
        json_w_raw(w, c->args, c->args_len);
    else
        json_w_raw(w, "{}", 2);
}

/* name, description?, then the schema under key */
static void w_decl(struct json_w *w, const struct llm_tool_def *t, const char *schema_key)
{
    json_w_key(w, "name");
    json_w_str(w, t->name);
    w_str_member(w, "description", t->description);
    json_w_key(w, schema_key);
    json_w_raw(w, t->parameters, strlen(t->parameters));
}

/* see provider.h */
enum llm_err llm_w_tools(struct json_w *w, const struct llm_request *q, enum llm_tool_style s)
{
    if (!q->ntools)
        return LLM_OK;
    if (!q->tools)
        return LLM_ERR_BAD_ARGUMENT;
    for (size_t i = 0; i < q->ntools; i++) {
        const struct llm_tool_def *t = &q->tools[i];
        if (!tool_name_ok(t->name) || !t->parameters ||
            !llm_json_one_object(t->parameters, strlen(t->parameters)))
            return LLM_ERR_BAD_ARGUMENT;
    }
    json_w_key(w, "tools");
    json_w_arr_begin(w);
    if (s == LLM_TOOLS_GEMINI) {
        json_w_obj_begin(w);
        json_w_key(w, "functionDeclarations");
        json_w_arr_begin(w);
    }
    for (size_t i = 0; i < q->ntools; i++) {
        const struct llm_tool_def *t = &q->tools[i];
        json_w_obj_begin(w);
        switch (s) {
        case LLM_TOOLS_CHAT:
        case LLM_TOOLS_OLLAMA:
            json_w_key(w, "type");
            json_w_str(w, "function");
            json_w_key(w, "function");
            json_w_obj_begin(w);
            w_decl(w, t, "parameters");
            json_w_obj_end(w);
            break;
        case LLM_TOOLS_RESPONSES:
            json_w_key(w, "type");
            json_w_str(w, "function");
            w_decl(w, t, "parameters");
            json_w_key(w, "strict");
            json_w_bool(w, false);
            break;
        case LLM_TOOLS_ANTHROPIC: w_decl(w, t, "input_schema"); break;
        case LLM_TOOLS_GEMINI: w_decl(w, t, "parametersJsonSchema"); break;
        }
        json_w_obj_end(w);
    }
    if (s == LLM_TOOLS_GEMINI) {
        json_w_arr_end(w);
        json_w_obj_end(w);
    }
    json_w_arr_end(w);
    return LLM_OK;
}

/* see provider.h */
bool llm_msg_is_tool(const struct llm_message *m)
{
    return m->role == LLM_ROLE_TOOL || (m->role == LLM_ROLE_ASSISTANT && m->ncalls);
}

static bool has_text(const struct llm_message *m) { return m->content && m->content[0]; }
static const char *or_empty(const char *s) { return s ? s : ""; }

/* OpenAI chat and Ollama: one message per turn. */
static void chat_turn(struct json_w *w, const struct llm_message *m, bool ollama)
{
    json_w_obj_begin(w);
    json_w_key(w, "role");
    if (m->role == LLM_ROLE_TOOL) {
        json_w_str(w, "tool");
        if (!ollama) {
            json_w_key(w, "tool_call_id");
            json_w_str(w, or_empty(m->call_id));
        }
        json_w_key(w, "content");
        json_w_str(w, or_empty(m->content));
        if (ollama) {
            json_w_key(w, "tool_name");
            json_w_str(w, or_empty(m->tool_name));
        }
        json_w_obj_end(w);
        return;
    }
    json_w_str(w, "assistant");
    json_w_key(w, "content");
    if (has_text(m) || ollama)
        json_w_str(w, or_empty(m->content));
    else
        json_w_null(w);
    json_w_key(w, "tool_calls");
    json_w_arr_begin(w);
    for (size_t i = 0; i < m->ncalls; i++) {
        const struct llm_tool_call *c = &m->calls[i];
        json_w_obj_begin(w);
        if (!ollama) {
            json_w_key(w, "id");
            json_w_str(w, c->id);
            json_w_key(w, "type");
            json_w_str(w, "function");
        }
        json_w_key(w, "function");
        json_w_obj_begin(w);
        json_w_key(w, "name");
        json_w_str(w, c->name);
        if (ollama) {
            w_args_obj(w, "arguments", c);
        } else {
            json_w_key(w, "arguments");
            json_w_strn(w, c->args, c->args_len);
        }
        json_w_obj_end(w);
        json_w_obj_end(w);
    }
    json_w_arr_end(w);
    json_w_obj_end(w);
}

/* Responses: the assistant's text as a message item, then one item per
   call; a result is one item. */
static void responses_turn(struct json_w *w, const struct llm_message *m)
{
    if (m->role == LLM_ROLE_TOOL) {
        json_w_obj_begin(w);
        json_w_key(w, "type");
        json_w_str(w, "function_call_output");
        json_w_key(w, "call_id");
        json_w_str(w, or_empty(m->call_id));
        json_w_key(w, "output");
        json_w_str(w, or_empty(m->content));
        json_w_obj_end(w);
        return;
    }
    if (has_text(m))
        llm_w_turn(w, "assistant", m->content, false);
    for (size_t i = 0; i < m->ncalls; i++) {
        const struct llm_tool_call *c = &m->calls[i];
        json_w_obj_begin(w);
        json_w_key(w, "type");
        json_w_str(w, "function_call");
        json_w_key(w, "call_id");
        json_w_str(w, c->id);
        json_w_key(w, "name");
        json_w_str(w, c->name);
        json_w_key(w, "arguments");
        json_w_strn(w, c->args, c->args_len);
        json_w_obj_end(w);
    }
}

/* Anthropic and Gemini: an assistant turn of blocks (parts), or one turn
   holding the results of consecutive TOOL turns. */
static size_t block_turns(struct json_w *w, const struct llm_message *m, size_t n, bool gemini)
{
    json_w_obj_begin(w);
    json_w_key(w, "role");
    json_w_str(w, m->role == LLM_ROLE_TOOL ? "user" : gemini ? "model" : "assistant");
    json_w_key(w, gemini ? "parts" : "content");
    json_w_arr_begin(w);
    size_t used = 1;
    if (m->role == LLM_ROLE_TOOL) {
        for (used = 0; used < n && m[used].role == LLM_ROLE_TOOL; used++) {
            const struct llm_message *t = &m[used];
            json_w_obj_begin(w);
            if (gemini) {
                json_w_key(w, "functionResponse");
                json_w_obj_begin(w);
                if (t->call_id && t->call_id[0])
                    w_str_member(w, "id", t->call_id);
                json_w_key(w, "name");
                json_w_str(w, or_empty(t->tool_name));
                json_w_key(w, "response");
                const char *c = or_empty(t->content);
                if (llm_json_one_object(c, strlen(c))) {
                    json_w_raw(w, c, strlen(c));
                } else {
                    json_w_obj_begin(w);
                    json_w_key(w, "output");
                    json_w_str(w, c);
                    json_w_obj_end(w);
                }
                json_w_obj_end(w);
            } else {
                json_w_key(w, "type");
                json_w_str(w, "tool_result");
                json_w_key(w, "tool_use_id");
                json_w_str(w, or_empty(t->call_id));
                json_w_key(w, "content");
                json_w_str(w, or_empty(t->content));
            }
            json_w_obj_end(w);
        }
    } else {
        if (has_text(m)) {
            json_w_obj_begin(w);
            if (!gemini) {
                json_w_key(w, "type");
                json_w_str(w, "text");
            }
            json_w_key(w, "text");
            json_w_str(w, m->content);
            json_w_obj_end(w);
        }
        for (size_t i = 0; i < m->ncalls; i++) {
            const struct llm_tool_call *c = &m->calls[i];
            json_w_obj_begin(w);
            if (gemini) {
                json_w_key(w, "functionCall");
                json_w_obj_begin(w);
                if (c->id[0])
                    w_str_member(w, "id", c->id);
                json_w_key(w, "name");
                json_w_str(w, c->name);
                w_args_obj(w, "args", c);
                json_w_obj_end(w);
                if (c->sig[0])
                    w_str_member(w, "thoughtSignature", c->sig);
            } else {
                json_w_key(w, "type");
                json_w_str(w, "tool_use");
                json_w_key(w, "id");
                json_w_str(w, c->id);
                json_w_key(w, "name");
                json_w_str(w, c->name);
                w_args_obj(w, "input", c);
            }
            json_w_obj_end(w);
        }
    }
    json_w_arr_end(w);
    json_w_obj_end(w);
    return used;
}

/* see provider.h */
size_t llm_w_tool_turns(struct json_w *w, const struct llm_message *m, size_t n,
                        const struct llm_turns *t)
{
    switch (t->tools) {
    case LLM_TOOLS_CHAT: chat_turn(w, m, false); return 1;
    case LLM_TOOLS_OLLAMA: chat_turn(w, m, true); return 1;
    case LLM_TOOLS_RESPONSES: responses_turn(w, m); return 1;
    case LLM_TOOLS_ANTHROPIC: return block_turns(w, m, n, false);
    case LLM_TOOLS_GEMINI: return block_turns(w, m, n, true);
    }
    return 1;
}
