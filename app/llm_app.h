/* Internal to the llm= job (app/llm_*.c): the session the job, the chat
   and the connection share.
     llm_job.c   the job: options -> session, one-shot prompt= mode, the
                 memory (history arena, request buffer: kernel heap, sized
                 by llm_history=, freed at the end; the key is wiped)
     llm_chat.c  the interactive chat: the prompt, the line editor
                 (app/line_edit.h), the /commands, the history
                 (llm/history.h)
     llm_tools.c one user turn: the tool loop (issue 23) around the
                 requests (model -> kernel tools -> model, up to
                 tool_rounds=), the declared tools (tools=)
     llm_conn.c  one request: the connection (TLS for https://, plain TCP
                 for http://), the retry loop, the answer's console lines
                 (`llm: answer:`, `llm: done ...`, errors), Ctrl-C
   Kernel-only. */
#ifndef APP_LLM_APP_H
#define APP_LLM_APP_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "app/app_tls.h"
#include "app/options.h"
#include "app/tool.h"
#include "http/http_client.h"
#include "http/url.h"
#include "llm/history.h"
#include "llm/llm.h"

#define LLM_APP_TYPEAHEAD 4096     /* bytes typed while an answer streams */

struct llm_session {
    struct url url;
    const struct app_tls_opts *tls_opts;
    const char *key;
    const char *system;               /* one-shot mode (the chat's is in hist) */
    char model[APP_MODEL_MAX];        /* /model changes it */
    const struct llm_provider *provider;
    bool stream;
    uint32_t timeout;
    unsigned retries;                 /* attempts in all */
    /* the connection: TLS (https://) or plain TCP (http://) */
    struct app_tls *tls;
    struct app_tcp tcp;
    bool tcp_open;
    struct http_client hc;
    uint8_t *http_buf;                /* hc's read buffer (heap, sized by mem=) */
    size_t http_buf_len;
    /* the answer driver's buffers (heap, sized by mem=: llm_job.c) */
    void *resp_mem;
    size_t resp_mem_len;
    enum app_mem mem;
    /* the request (heap: llm_history= plus room for the prompt and head) */
    char *req;
    size_t req_cap;
    /* the history: the chat's, or in the one-shot mode with tools the
       turn's own (cleared after each prompt); NULL: one-shot, no tools */
    struct llm_history *hist;
    bool chat;                        /* interactive: the system prompt is hist's */
    /* tool calling (llm_tools.c): the tools declared (tools=), where they
       may reach, the round bound, the answer's calls */
    struct llm_tool_def tool_defs[8];
    size_t ntools;
    struct tool_env tool_env;
    unsigned tool_rounds;
    unsigned tool_calls_run;          /* calls run in this user turn */
    struct llm_tool_calls *tc;        /* NULL: no tools declared */
    /* the answer in progress */
    bool answer_open;                 /* `llm: answer: ` printed */
    bool interrupted;                 /* Ctrl-C seen */
    uint64_t t_first;                 /* first content byte (0: none yet) */
    /* Ctrl-C polling keeps the other bytes typed meanwhile for the editor */
    uint8_t typeahead[LLM_APP_TYPEAHEAD];
    size_t typeahead_len, typeahead_off;  /* bytes held; the next one's index */
    /* this job's totals */
    unsigned turn;                    /* user turns asked */
    int64_t in_tokens, out_tokens;    /* -1: no usage reported yet */
    struct llm_resp resp;             /* large: the session is static */
};

/* The provider's short name: openai|responses|anthropic|gemini|ollama. */
const char *llm_app_provider_name(const struct llm_provider *p);
/* One user turn (llm_tools.c): asks prompt (with the history when
   s->hist, whose pending turn it is), runs the tools the model calls and
   asks again, up to s->tool_rounds rounds; the final answer's done line
   ends in tool_calls=K. 0: answered; 1: failed (the error line printed);
   2: interrupted by Ctrl-C (`llm: interrupted bytes=N` printed). */
int llm_app_ask(struct llm_session *s, const char *prompt);
/* The declared tools, their environment and the round bound from o. */
void llm_app_tools_init(struct llm_session *s, const struct app_options *o);
/* One request (llm_conn.c): prompt NULL continues after tool turns; the
   tools of s are declared and the answer's calls land in s->tc. Prints
   the done line only for an answer without calls. Return as
   llm_app_ask. */
int llm_app_request(struct llm_session *s, const char *prompt);
/* /models: the provider's model list on the chat's connection, one
   `llm: model id=ID` line per model, then `llm: models count=N` (or the
   error line). 0 when the list came. */
int llm_app_models(struct llm_session *s);
/* A token count for the console: the number, or "-" when v < 0. */
void llm_app_count(char *buf, size_t cap, int64_t v);
/* Closes the connection, if one is open. */
void llm_app_drop(struct llm_session *s);
/* Reads the console without waiting: Ctrl-C sets s->interrupted, other
   bytes go to the typeahead. True when interrupted. */
bool llm_app_poll_console(struct llm_session *s);
/* The interactive chat (llm= without prompt=); 0 when every exchange went
   well. */
int llm_app_chat(struct llm_session *s, const struct app_options *o);

#endif
