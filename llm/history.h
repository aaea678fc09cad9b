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
   Memory: the caller gives a text arena (>= the limit is enough: a turn's
   text is never longer than its cost) and a message array; both must
   outlive the store, and llm_history_messages() points into them. Pure
   code, portable. */
#ifndef LLM_HISTORY_H
#define LLM_HISTORY_H
#include <stdbool.h>
#include <stddef.h>
#include "llm/llm.h"

#define LLM_HISTORY_MSG_OVERHEAD 25     /* strlen("{\"role\":\"\",\"content\":\"\"},") */
#define LLM_HISTORY_SYSTEM_MAX   2048   /* bytes of system prompt text */
#define LLM_HISTORY_MIN          1024   /* the smallest limit (llm_history=) */

enum llm_hist_err {
    LLM_HIST_OK = 0,
    LLM_HIST_TURN_TOO_LARGE,    /* one turn (with the system prompt) exceeds the limit */
    LLM_HIST_SYSTEM_TOO_LARGE,  /* the system prompt exceeds LLM_HISTORY_SYSTEM_MAX or the limit */
    LLM_HIST_BUSY,              /* begin while an exchange is pending */
    LLM_HIST_NO_EXCHANGE,       /* answer/commit/abort without a pending exchange */
    LLM_HIST_BAD_ARGUMENT,      /* memory too small for the limit */
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
};

/* A store over text[0..text_cap) and msgs[0..max_msgs) bounded by limit
   bytes of message JSON; text_cap must be >= limit and max_msgs >= 4. */
enum llm_hist_err llm_history_init(struct llm_history *h, char *text, size_t text_cap,
                                   struct llm_message *msgs, size_t max_msgs, size_t limit);
/* The message-JSON cost of one turn (see above). */
size_t llm_history_cost(enum llm_role role, const char *text, size_t len);

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

/* The turns to send: every committed turn (not the pending user turn,
   which is the request's prompt). */
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
