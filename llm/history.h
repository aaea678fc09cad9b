/* The bounded conversation store of a chat: an optional system prompt and
   the user/assistant turns, kept in caller memory (no allocation) and
   handed to struct llm_request as an array of struct llm_message.
   Size: every turn costs the bytes of the message JSON it adds to a
   request,
       cost(role, text) = LLM_HISTORY_MSG_OVERHEAD + strlen(role) + esc(text)
   where LLM_HISTORY_MSG_OVERHEAD (25) is the wrapping
   {"role":"","content":""}, and esc(text) is the JSON-escaped length of
   the text as http/json_write.c writes it (" \ \b \f \n \r \t: 2 bytes;
   other bytes below 0x20 and 0x7f: 6 (\u00XX); every other byte: 1). The
   system prompt costs cost("system", text) when there is one. The sum of
   the costs (history_bytes) stays <= the limit (llm_history=): a new turn
   first drops the oldest whole exchanges (a user turn and the answer after
   it), and the count of dropped turns (messages) is reported.
   An exchange runs in three steps: llm_history_begin() adds the user's
   turn (pending), llm_history_answer() appends the answer as it streams,
   then llm_history_commit() keeps both (also for an interrupted, partial
   answer) or llm_history_abort() removes both (a failed exchange).
   Tool rounds (issue 23): while an exchange is pending, an answer that
   asked for tools becomes an assistant turn with its calls
   (llm_history_calls: the text so far, possibly empty, and copies of the
   calls), followed by one TOOL turn per call (llm_history_tool_result);
   the model is then asked again and its next answer streams into a new
   pending answer. From the first round on llm_history_messages() returns
   the pending user turn and the round turns too (the request's prompt is
   then NULL). commit/abort treat the exchange as a whole: abort removes
   the user turn and every round; commit with an empty final answer also
   removes all of it (a conversation may not end on unanswered calls or
   bare results). Trimming drops whole exchanges, rounds included.
   Costs of the round turns (an estimate of their request JSON, counted in
   the limit like the others):
       assistant with calls: cost(assistant, text) + per call
           LLM_HISTORY_CALL_OVERHEAD + strlen(id) + strlen(name)
           + esc(args) + strlen(sig)
       tool: cost(tool, result) + LLM_HISTORY_TOOL_OVERHEAD
           + strlen(call_id) + strlen(tool_name)
   Call storage: the calls live in a caller-given pool of struct
   llm_tool_call (llm_history_set_calls; each ~8.3 KiB, because a call
   carries 4 KiB of arguments and Gemini's 4 KiB signature), in the order
   of the turns like the texts, and an assistant turn's calls point into
   it; dropping an exchange moves the pool down like the message array. A
   store without a pool refuses rounds (LLM_HIST_NO_CALL_ROOM), as does a
   round whose calls do not fit even after trimming.
   Memory: the caller gives a text arena (>= the limit is enough: a turn's
   text is never longer than its cost) and a message array; both must
   outlive the store, and llm_history_messages() points into them. Pure
   code, portable. */
#ifndef LLM_HISTORY_H
#define LLM_HISTORY_H
#include <stdbool.h>
#include <stddef.h>
#include "llm/llm.h"
#include "llm/tool_call.h"

#define LLM_HISTORY_MSG_OVERHEAD 25     /* strlen("{\"role\":\"\",\"content\":\"\"},") */
#define LLM_HISTORY_SYSTEM_MAX   2048   /* bytes of system prompt text */
#define LLM_HISTORY_MIN          1024   /* the smallest limit (llm_history=) */
#define LLM_HISTORY_CALL_OVERHEAD 64    /* a call's JSON wrapping (see above) */
#define LLM_HISTORY_TOOL_OVERHEAD 40    /* a tool result's id/name members */

enum llm_hist_err {
    LLM_HIST_OK = 0,
    LLM_HIST_TURN_TOO_LARGE,    /* one turn (with the system prompt) exceeds the limit */
    LLM_HIST_SYSTEM_TOO_LARGE,  /* the system prompt exceeds LLM_HISTORY_SYSTEM_MAX or the limit */
    LLM_HIST_BUSY,              /* begin while an exchange is pending */
    LLM_HIST_NO_EXCHANGE,       /* answer/commit/abort without a pending exchange */
    LLM_HIST_BAD_ARGUMENT,      /* memory too small for the limit */
    LLM_HIST_NO_CALL_ROOM,      /* the round's calls do not fit the call pool */
};
const char *llm_hist_err_str(enum llm_hist_err e);

struct llm_history {
    char   *text;               /* caller's arena: NUL-terminated texts, oldest first */
    size_t  text_cap, text_len;
    struct llm_message *msgs;   /* caller's array: committed turns, then the pending ones */
    size_t  max_msgs, nmsgs;
    size_t  limit;              /* bound on history_bytes */
    size_t  bytes;              /* cost of the system prompt and every turn held */
    bool    pending;            /* a user turn (msgs[nmsgs-1]) awaits its answer */
    size_t  answer_off, answer_len; /* the answer so far, at text + answer_off */
    size_t  answer_cost;        /* esc() of the answer so far */
    bool    answer_cut;         /* the answer outgrew the limit: the rest is not kept */
    size_t  trimmed;            /* turns dropped since the last llm_history_take_trimmed */
    size_t  system_len;
    char    system[LLM_HISTORY_SYSTEM_MAX + 1];
    /* tool rounds: the caller's call pool, used in the order of the turns */
    struct llm_tool_call *calls;
    size_t  max_calls, ncalls;
    size_t  pending_at;         /* index of the pending user turn */
    size_t  rounds;             /* tool rounds of the pending exchange */
};

/* A store over text[0..text_cap) and msgs[0..max_msgs) bounded by limit
   bytes of message JSON; text_cap must be >= limit and max_msgs >= 4. */
enum llm_hist_err llm_history_init(struct llm_history *h, char *text, size_t text_cap,
                                   struct llm_message *msgs, size_t max_msgs, size_t limit);
/* Gives the store a pool of max_calls tool calls for tool rounds (before
   the first exchange; the pool must outlive the store). */
void llm_history_set_calls(struct llm_history *h, struct llm_tool_call *pool, size_t max_calls);
/* The message-JSON cost of one plain turn (see above). */
size_t llm_history_cost(enum llm_role role, const char *text, size_t len);
/* The cost of any turn held (rounds' turns included, see above). */
size_t llm_history_msg_cost(const struct llm_message *m);

/* Replaces the system prompt (len 0 removes it). Drops oldest exchanges if
   the new prompt makes the store too big. */
enum llm_hist_err llm_history_set_system(struct llm_history *h, const char *text, size_t len);
/* The system prompt (NUL-terminated), NULL when there is none. */
const char *llm_history_system(const struct llm_history *h);
/* Drops every turn (the system prompt stays). */
void llm_history_clear(struct llm_history *h);

/* Adds the user's turn (pending) after dropping the oldest exchanges the
   bytes need; LLM_HIST_TURN_TOO_LARGE (nothing changed) when the turn does
   not fit even into an empty history. */
enum llm_hist_err llm_history_begin(struct llm_history *h, const char *text, size_t len);
/* Appends answer text. Drops oldest exchanges as the answer grows; when
   even that is not enough the rest of the answer is not kept
   (answer_cut). */
enum llm_hist_err llm_history_answer(struct llm_history *h, const char *text, size_t len);
/* Keeps the pending exchange: the user's turn and the answer so far (an
   incomplete UTF-8 sequence at its end is dropped, invalid bytes become
   '?'). An exchange with an empty answer is removed instead: an API takes
   no empty assistant turn. */
enum llm_hist_err llm_history_commit(struct llm_history *h);
/* Removes the pending exchange (the request failed). */
enum llm_hist_err llm_history_abort(struct llm_history *h);
/* A tool round: the answer so far (maybe empty) becomes an assistant turn
   with copies of calls[0..n) (n >= 1); a new empty answer is pending. On an
   error nothing changed. */
enum llm_hist_err llm_history_calls(struct llm_history *h, const struct llm_tool_call *calls,
                                    size_t n);
/* A TOOL turn after the round's calls: the result text of call id (may be
   "") of tool name. */
enum llm_hist_err llm_history_tool_result(struct llm_history *h, const char *id,
                                          const char *name, const char *text, size_t len);
/* Tool rounds of the pending exchange so far. */
size_t llm_history_rounds(const struct llm_history *h);

/* The turns to send: every committed turn (not the pending user turn,
   which is the request's prompt), and once a tool round is held the
   pending user turn and the rounds' turns as well (prompt NULL). */
const struct llm_message *llm_history_messages(const struct llm_history *h, size_t *n);
/* The pending user turn's text, NULL when none. */
const char *llm_history_prompt(const struct llm_history *h);
/* Committed turns (messages). */
size_t llm_history_turns(const struct llm_history *h);
/* history_bytes: the cost of the system prompt and the turns held. */
size_t llm_history_bytes(const struct llm_history *h);
/* Turns dropped since the last call (and resets the count). */
size_t llm_history_take_trimmed(struct llm_history *h);

#endif
