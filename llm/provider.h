/* The provider interface: what one LLM API (OpenAI chat completions,
   later Responses, Anthropic Messages, Gemini, Ollama) has to say, and the
   response driver's helpers a provider reports through.

   A provider is a constant table of function pointers (struct llm_provider,
   one static instance per API, e.g. llm_openai_chat in openai_chat.c); it
   holds no memory of its own. Per-response state a provider needs lives in
   struct llm_resp's pstate (zeroed by llm_resp_init).

   Division of work:
   - llm_build_request() checks the common arguments and presets the HTTP
     head (POST, Host, User-Agent, Content-Type: application/json,
     Content-Length, Connection); build() writes the JSON body and sets the
     provider's head fields (path, authorization, Accept).
   - The driver (llm_resp.c) parses HTTP, reads the status, treats a 200
     whose content type starts with stream_type as a stream (SSE today) and
     anything else as a body (the body buffer). It calls consume_event() per
     event, consume_body() once for a whole 200 body, and error_message()
     for a non-200 body that parsed as a JSON object (else the body's text
     becomes the message). Every callback returns LLM_OK to go on, or the
     error that ends the response (sticky; the driver records it).
   - A provider reports through llm_resp_content() (a content piece),
     llm_resp_set_finish() (finish reason), llm_resp_end_of_stream() (the
     stream's end marker), llm_resp_set_message() (the API error message),
     llm_resp_json() (parse into the driver's token array) and
     llm_resp_json_err() (a JSON failure); tool calls through
     llm_resp_tc_start/_args/_whole/_sig (into the caller's
     r->tool_calls; nothing when it is NULL).
   - Tool declarations, calls and results in requests: llm_w_tools and
     llm_w_tool_turns (tool_json.c), in the style the provider's
     struct llm_turns names. */
#ifndef LLM_PROVIDER_H
#define LLM_PROVIDER_H
#include "llm/llm.h"

/* How a streamed answer is framed. */
enum llm_stream_kind {
    LLM_STREAM_SSE,             /* server-sent events: consume_event per event */
    LLM_STREAM_NDJSON,          /* one JSON value per line (Ollama): consume_event
                                   per non-empty line, type "message" */
};

struct llm_provider {
    const char *name;           /* "openai-chat" */
    const char *stream_type;    /* content type of a streamed answer */
    enum llm_stream_kind stream_kind;
    /* Writes the JSON body for q into body[0..cap), *len its length, and fills
       h->path, h->bearer, h->accept. LLM_ERR_REQUEST_TOO_LARGE when it does not
       fit, LLM_ERR_BAD_ARGUMENT for input it cannot encode. */
    enum llm_err (*build)(const struct llm_request *q, struct http_req *h, char *body, size_t cap,
                          size_t *len);
    /* One stream event: type ("message" when unnamed) and its data. */
    enum llm_err (*consume_event)(struct llm_resp *r, const char *type, const char *data,
                                  size_t len);
    /* The whole body of a 200 answer that is not a stream. The provider may
       decode strings in place. */
    enum llm_err (*consume_body)(struct llm_resp *r, char *body, size_t len);
    /* The error of a parsed non-200 body (an object, or an array: Gemini's
       JSON-array stream): true when it held one (and the message was set). */
    bool (*error_message)(struct llm_resp *r, struct json_doc *d);
};

/* Request helpers (llm_req.c) for a provider's build(). */

/* How a provider's API spells tool declarations, tool-call turns and tool
   results (llm/tool_json.c). */
enum llm_tool_style {
    LLM_TOOLS_CHAT,             /* OpenAI chat: tools[].function, tool_calls, role tool */
    LLM_TOOLS_OLLAMA,           /* like chat; arguments an object, tool_name */
    LLM_TOOLS_RESPONSES,        /* function_call / function_call_output items */
    LLM_TOOLS_ANTHROPIC,        /* tool_use / tool_result content blocks */
    LLM_TOOLS_GEMINI,           /* functionCall / functionResponse parts */
};

/* How a provider's API spells the turns of a conversation. */
struct llm_turns {
    const char *key;            /* the array's member: "messages", "contents" */
    const char *system;         /* role of a system turn in the history; NULL when
                                   the API has none there (LLM_ERR_BAD_ARGUMENT) */
    const char *assistant;      /* role of an assistant turn: "assistant", "model" */
    bool system_first;          /* q->system as the first turn (role "system") */
    bool parts;                 /* turns are {"role", "parts": [{"text"}]} rather
                                   than {"role", "content"} */
    enum llm_tool_style tools;  /* how tool calls and results are written */
};
/* Starts the body in body[0..cap): the top-level object and, when model is
   not NULL, its "model" member. */
void llm_w_begin(struct json_w *w, char *body, size_t cap, const char *model);
/* Sets h->path to q->path and h->accept to stream_type for a streamed
   request, else to application/json. */
void llm_req_head(const struct llm_request *q, struct http_req *h, const char *stream_type);
/* OpenAI chat's "messages" (Ollama's, with its tool style): the system prompt as the first
   turn, roles system, user, assistant. */
extern const struct llm_turns llm_chat_turns;
/* Writes one turn: {"role", "content"} or, with parts, {"role"?, "parts":
   [{"text"}]} (no role when role is NULL). */
void llm_w_turn(struct json_w *w, const char *role, const char *text, bool parts);
/* Writes key and the array of q's turns as t says: the system prompt (when
   t->system_first), the history, then the user prompt (none when it is
   NULL). Assistant turns with tool calls and TOOL turns are written by
   llm_w_tool_turns. LLM_ERR_BAD_ARGUMENT for a system turn in the history
   when t->system is NULL. */
enum llm_err llm_w_turns(struct json_w *w, const struct llm_request *q, const struct llm_turns *t);
/* Tool encoding (tool_json.c). */
/* Writes "tools": [...] for q's tools in style s (nothing when there are
   none). LLM_ERR_BAD_ARGUMENT for a tool without a valid name or whose
   parameters are not one JSON object. */
enum llm_err llm_w_tools(struct json_w *w, const struct llm_request *q, enum llm_tool_style s);
/* Writes the turn m[0] (an ASSISTANT turn with calls, or a TOOL turn) in
   t's style, with the TOOL turns that follow it when the API groups one
   round's results (Anthropic, Gemini); returns how many of m[0..n) it
   wrote (>= 1). */
size_t llm_w_tool_turns(struct json_w *w, const struct llm_message *m, size_t n,
                        const struct llm_turns *t);
/* Whether m needs llm_w_tool_turns (a TOOL turn, or calls). */
bool llm_msg_is_tool(const struct llm_message *m);

/* Writes key: {member: v}. */
void llm_w_int_obj(struct json_w *w, const char *key, const char *member, int64_t v);
/* Finishes the body in w (json_w_finish): LLM_ERR_REQUEST_TOO_LARGE when it
   did not fit, LLM_ERR_BAD_ARGUMENT for what JSON cannot carry (invalid
   UTF-8 in a string). */
enum llm_err llm_w_finish(struct json_w *w, size_t *len);

/* Hands text[0..n) to the content callback (nothing for n == 0);
   LLM_ERR_ABORTED when the callback asks to stop. */
enum llm_err llm_resp_content(struct llm_resp *r, const char *text, size_t n);
/* Finish reason from JSON token t (truncated to fit): a string's decoded
   text, or any other value's JSON text (Gemini's enum-as-int 1). */
void llm_resp_set_finish(struct llm_resp *r, struct json_doc *d, int t);
/* Finish reason from text[0..n) (truncated to fit). */
void llm_resp_set_finish_text(struct llm_resp *r, const char *text, size_t n);
/* Decodes JSON string token t and hands it to the content callback. The
   text is decoded into r->mem.piece, or in place when the document's text is
   the writable buffer wtext (a whole body); LLM_ERR_BAD_JSON when the
   string does not fit. Nothing happens for a token that is not a string. */
enum llm_err llm_resp_text(struct llm_resp *r, struct json_doc *d, int t, char *wtext);
/* Whether token t is a string equal to s. */
bool llm_json_is(const struct json_doc *d, int t, const char *s);
/* Member key of object obj as a string equal to s. */
bool llm_json_member_is(const struct json_doc *d, int obj, const char *key, const char *s);
/* The common error shape {"error": {"message": ...}} or {"error": "..."}
   (OpenAI, Anthropic, Gemini, Ollama) in object token obj: true and the
   message set when present and not null. */
bool llm_error_object(struct llm_resp *r, struct json_doc *d, int obj);
/* llm_error_object on the root: the error_message of a provider whose
   errors are {"error": ...} objects. */
bool llm_error_root(struct llm_resp *r, struct json_doc *d);
/* Parses text[0..len) into d (llm_resp_json) and requires an object at the
   root (else a JSON failure, JSON_ERR_WRONG_TYPE). */
enum llm_err llm_resp_object(struct llm_resp *r, struct json_doc *d, const char *text, size_t len);
/* llm_resp_object, then LLM_ERR_API when the object is an error (see
   llm_error_object). */
enum llm_err llm_resp_answer(struct llm_resp *r, struct json_doc *d, const char *text, size_t len);
/* Finish reason from the string at path (see json_path) below token from;
   nothing when from < 0 or the value is not a string. */
void llm_resp_finish_at(struct llm_resp *r, struct json_doc *d, int from, const char *path);
/* Hands the "text" of each element of array token arr to the content
   callback (llm_resp_text with wtext): only elements whose "type" is type
   (any element when type is NULL), and none whose member skip is true (when
   skip is not NULL). Nothing when arr is not an array. */
enum llm_err llm_resp_text_parts(struct llm_resp *r, struct json_doc *d, int arr, const char *type,
                                 const char *skip, char *wtext);
/* The stream's own end marker arrived; a stream that ends without it (and
   without a finish reason) is LLM_ERR_STREAM_INCOMPLETE. */
void llm_resp_end_of_stream(struct llm_resp *r);
/* API error message from JSON string token t, or, for t < 0, the text. */
void llm_resp_set_message(struct llm_resp *r, struct json_doc *d, int t, const char *text);
/* Usage (llm_meta.c): the non-negative integer member key of object obj,
   else -1 (absent, not an object, negative, fractional). */
int64_t llm_json_count(const struct json_doc *d, int obj, const char *key);
/* Records usage: each count that is >= 0 replaces the one recorded. */
void llm_resp_set_usage(struct llm_resp *r, int64_t in, int64_t out);
/* llm_resp_set_usage with the counts in_key and out_key of object obj
   (nothing for what is absent). */
void llm_resp_usage_at(struct llm_resp *r, struct json_doc *d, int obj, const char *in_key,
                       const char *out_key);
/* The driver's side of llm_meta.c: results to "unknown" (llm_resp_init),
   and the HTTP header callback that reads Retry-After, retry-after-ms and
   Date. */
void llm_resp_meta_init(struct llm_resp *r);
void llm_resp_on_header(void *ctx, const char *name, const char *value, bool trailer);

/* Tool calls of the answer (nothing when r->tool_calls is NULL); each
   returns LLM_ERR_TOOL_CALL when the accumulator fails (llm_tc_err), or a
   JSON failure for a string that does not decode. Tokens id and name
   (-1 or not a string: absent) are decoded strings. */
/* The call with this key, started when new (llm_tc_start). */
enum llm_err llm_resp_tc_start(struct llm_resp *r, long key, struct json_doc *d, int id, int name);
/* Appends the decoded string token s (or, for an object, its JSON text)
   to the call with this key. */
enum llm_err llm_resp_tc_args(struct llm_resp *r, long key, struct json_doc *d, int s);
/* A whole call (llm_tc_whole): args is a string token (the arguments'
   text, decoded) or any other value (its JSON text as is); -1: none. */
enum llm_err llm_resp_tc_whole(struct llm_resp *r, struct json_doc *d, int id, int name, int args);
/* Gemini: string token s is the thoughtSignature of the call just added
   (llm_resp_tc_whole); kept when it fits LLM_TOOL_SIG_MAX, else dropped
   (the API then says what it misses). */
void llm_resp_tc_sig(struct llm_resp *r, struct json_doc *d, int s);
/* Whether the answer so far holds tool calls (it then needs no text). */
bool llm_resp_has_calls(const struct llm_resp *r);

/* Parses text[0..len) into d with the driver's token array. */
enum llm_err llm_resp_json(struct llm_resp *r, struct json_doc *d, const char *text, size_t len);
/* Records a JSON failure (json_err) and returns LLM_ERR_BAD_JSON. */
enum llm_err llm_resp_json_err(struct llm_resp *r, enum json_err e);

#endif
