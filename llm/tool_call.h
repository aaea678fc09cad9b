/* Tool calls a model asks for, assembled from its response: whole (Gemini's
   functionCall, Ollama's tool_calls, a non-streamed answer) or streamed in
   fragments that a key ties together (OpenAI chat's tool_calls[i].index
   with function.arguments deltas, Anthropic's content block index with
   input_json_delta, Responses' output_index with
   response.function_call_arguments.delta). A provider decodes each JSON
   string it receives and hands the bytes here; this module keeps the calls
   in arrival order, checks names and sizes, and at the end checks that each
   call's arguments are one JSON object (empty arguments become "{}").

   Errors are sticky and named (llm_tc_err_str); a call whose arguments are
   not a JSON object is not an error of the response: it is marked
   (args_ok false) so that the kernel answers the model with a tool error.
   The caller owns struct llm_tool_calls (about 66 KiB); no allocation.
   Portable. */
#ifndef LLM_TOOL_CALL_H
#define LLM_TOOL_CALL_H
#include <stdbool.h>
#include <stddef.h>

#define LLM_TOOL_CALLS_MAX 8      /* calls in one answer */
#define LLM_TOOL_ARGS_MAX  4096   /* bytes of one call's arguments */
#define LLM_TOOL_ID_MAX    96     /* a provider's call id, NUL included */
#define LLM_TOOL_NAME_MAX  65     /* a tool name (1..64 of [A-Za-z0-9_-]), NUL included */
#define LLM_TOOL_SIG_MAX   4096   /* Gemini's thoughtSignature, NUL included */

enum llm_tc_err {
    LLM_TC_OK = 0,
    LLM_TC_TOO_MANY,          /* more than LLM_TOOL_CALLS_MAX calls */
    LLM_TC_ARGS_TOO_LONG,     /* arguments beyond LLM_TOOL_ARGS_MAX */
    LLM_TC_ID_TOO_LONG,
    LLM_TC_BAD_NAME,          /* empty, too long, or a byte outside [A-Za-z0-9_-] */
    LLM_TC_NO_CALL,           /* a fragment for a key no call started */
    LLM_TC_NAME_MISSING,      /* at the end, a call without a name */
};
const char *llm_tc_err_str(enum llm_tc_err e);
/* s[0..n) is a tool name the APIs accept: 1..64 bytes of [A-Za-z0-9_-]. */
bool llm_tool_name_ok(const char *s, size_t n);

struct llm_tool_call {
    long   key;                         /* the stream's index of this call */
    char   id[LLM_TOOL_ID_MAX];         /* "" when the provider gave none */
    char   name[LLM_TOOL_NAME_MAX];
    /* Gemini's thoughtSignature of the call's part, which Gemini 3 wants
       back with the call; "" for none, or when it did not fit */
    char   sig[LLM_TOOL_SIG_MAX];
    char   args[LLM_TOOL_ARGS_MAX + 1]; /* NUL-terminated */
    size_t args_len;
    bool   args_ok;                     /* set by llm_tc_finish: one JSON object */
};

struct llm_tool_calls {
    enum llm_tc_err err;
    size_t n;
    struct llm_tool_call call[LLM_TOOL_CALLS_MAX];
};

void llm_tc_init(struct llm_tool_calls *t);
/* The call with this key, started now when new (in arrival order). id and
   name may be NULL or empty (a later fragment may carry them: OpenAI sends
   them in the first delta only); a non-empty one fills an empty field and
   is otherwise ignored when equal, and replaces nothing. */
enum llm_tc_err llm_tc_start(struct llm_tool_calls *t, long key, const char *id, size_t id_len,
                             const char *name, size_t name_len);
/* Appends argument bytes to the call with this key. */
enum llm_tc_err llm_tc_args(struct llm_tool_calls *t, long key, const char *frag, size_t n);
/* A whole call at once (key: its position): start + args. */
enum llm_tc_err llm_tc_whole(struct llm_tool_calls *t, const char *id, size_t id_len,
                             const char *name, size_t name_len, const char *args,
                             size_t args_len);
/* The end of the answer: every call has a name, empty arguments become
   "{}", and args_ok says which arguments are one JSON object. */
enum llm_tc_err llm_tc_finish(struct llm_tool_calls *t);
/* The call with this key, or NULL. */
const struct llm_tool_call *llm_tc_get(const struct llm_tool_calls *t, long key);
/* Whether s[0..n) is one JSON object (whitespace around it allowed; at most
   512 tokens). Not reentrant: it parses into a static token array. */
bool llm_json_one_object(const char *s, size_t n);

#endif
