/* see history.h: the bounded conversation store. The texts lie in the
   arena in the order of the turns (then the pending answer), so dropping
   the oldest exchange is one memmove of the arena and of the message
   array; history_bytes is kept up to date turn by turn. */
#include "llm/history.h"
#include <string.h>

const char *llm_hist_err_str(enum llm_hist_err e)
{
    switch (e) {
    case LLM_HIST_OK: return "ok";
    case LLM_HIST_TURN_TOO_LARGE: return "turn_too_large";
    case LLM_HIST_SYSTEM_TOO_LARGE: return "system_too_large";
    case LLM_HIST_BUSY: return "busy";
    case LLM_HIST_NO_EXCHANGE: return "no_exchange";
    case LLM_HIST_BAD_ARGUMENT: return "bad_argument";
    case LLM_HIST_NO_CALL_ROOM: return "no_call_room";
    }
    return "unknown";
}

/* Bytes text takes inside a JSON string (http/json_write.c's escaping). */
static size_t esc_len(const char *text, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '"' || c == '\\' || c == '\b' || c == '\f' || c == '\n' || c == '\r' ||
            c == '\t')
            n += 2;
        else if (c < 0x20 || c == 0x7f)
            n += 6;
        else
            n += 1;
    }
    return n;
}

static size_t role_overhead(enum llm_role role)
{
    return LLM_HISTORY_MSG_OVERHEAD + strlen(llm_role_str(role));
}

size_t llm_history_cost(enum llm_role role, const char *text, size_t len)
{
    return role_overhead(role) + esc_len(text, len);
}

static size_t calls_cost(const struct llm_tool_call *c, size_t n)
{
    size_t sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += LLM_HISTORY_CALL_OVERHEAD + strlen(c[i].id) + strlen(c[i].name) +
               esc_len(c[i].args, c[i].args_len) + strlen(c[i].sig);
    return sum;
}

static size_t tool_cost(const char *id, const char *name, const char *text, size_t len)
{
    return llm_history_cost(LLM_ROLE_TOOL, text, len) + LLM_HISTORY_TOOL_OVERHEAD +
           strlen(id) + strlen(name);
}

static size_t msg_cost(const struct llm_message *m)
{
    if (m->role == LLM_ROLE_TOOL)
        return tool_cost(m->call_id, m->tool_name, m->content, strlen(m->content));
    return llm_history_cost(m->role, m->content, strlen(m->content)) +
           calls_cost(m->calls, m->ncalls);
}

size_t llm_history_msg_cost(const struct llm_message *m)
{
    return msg_cost(m);
}

static size_t system_cost(const struct llm_history *h)
{
    return h->system_len ? llm_history_cost(LLM_ROLE_SYSTEM, h->system, h->system_len) : 0;
}

enum llm_hist_err llm_history_init(struct llm_history *h, char *text, size_t text_cap,
                                   struct llm_message *msgs, size_t max_msgs, size_t limit)
{
    memset(h, 0, sizeof *h);
    if (!text || !msgs || text_cap < limit || max_msgs < 4 || limit < LLM_HISTORY_MIN)
        return LLM_HIST_BAD_ARGUMENT;
    h->text = text;
    h->text_cap = text_cap;
    h->msgs = msgs;
    h->max_msgs = max_msgs;
    h->limit = limit;
    return LLM_HIST_OK;
}

void llm_history_set_calls(struct llm_history *h, struct llm_tool_call *pool, size_t max_calls)
{
    h->calls = pool;
    h->max_calls = pool ? max_calls : 0;
    h->ncalls = 0;
}

static size_t committed(const struct llm_history *h)
{
    return h->pending ? h->pending_at : h->nmsgs;
}

/* Drops the oldest exchange: the first committed turn and the answers
   after it up to the next user turn. False when there is none. */
static bool drop_oldest(struct llm_history *h)
{
    size_t n = committed(h);
    if (n == 0)
        return false;
    size_t k = 1;
    while (k < n && h->msgs[k].role != LLM_ROLE_USER)
        k++;
    size_t off = k < h->nmsgs ? (size_t)(h->msgs[k].content - h->text)
                              : h->text_len;
    size_t dc = 0;                          /* calls of the dropped turns */
    for (size_t i = 0; i < k; i++) {
        h->bytes -= msg_cost(&h->msgs[i]);
        dc += h->msgs[i].ncalls;
    }
    memmove(h->text, h->text + off, h->text_len - off);
    h->text_len -= off;
    if (h->pending) {
        h->answer_off -= off;
        h->pending_at -= k;
    }
    memmove(h->msgs, h->msgs + k, (h->nmsgs - k) * sizeof h->msgs[0]);
    h->nmsgs -= k;
    if (dc) {
        memmove(h->calls, h->calls + dc, (h->ncalls - dc) * sizeof h->calls[0]);
        h->ncalls -= dc;
    }
    for (size_t i = 0; i < h->nmsgs; i++) {
        struct llm_message *m = &h->msgs[i];
        m->content -= off;
        if (m->ncalls)
            m->calls -= dc;
        if (m->role == LLM_ROLE_TOOL) {
            m->call_id -= off;
            m->tool_name -= off;
        }
    }
    h->trimmed += k;
    return true;
}

/* Drops oldest exchanges until bytes more cost, text more arena bytes,
   msgs more messages and calls more pool calls fit; false when even an
   empty history is too small. */
static bool make_room(struct llm_history *h, size_t bytes, size_t text, size_t msgs,
                      size_t calls)
{
    while (h->bytes + bytes > h->limit || h->text_len + text > h->text_cap ||
           h->nmsgs + msgs > h->max_msgs || h->ncalls + calls > h->max_calls)
        if (!drop_oldest(h))
            return false;
    return true;
}

enum llm_hist_err llm_history_set_system(struct llm_history *h, const char *text, size_t len)
{
    if (h->pending)
        return LLM_HIST_BUSY;
    size_t c = len ? llm_history_cost(LLM_ROLE_SYSTEM, text, len) : 0;
    if (len > LLM_HISTORY_SYSTEM_MAX || c > h->limit)
        return LLM_HIST_SYSTEM_TOO_LARGE;
    h->bytes -= system_cost(h);
    memcpy(h->system, text, len);
    h->system[len] = 0;
    h->system_len = len;
    h->bytes += c;
    make_room(h, 0, 0, 0, 0);     /* always succeeds: c <= limit */
    return LLM_HIST_OK;
}

const char *llm_history_system(const struct llm_history *h)
{
    return h->system_len ? h->system : NULL;
}

void llm_history_clear(struct llm_history *h)
{
    h->nmsgs = 0;
    h->text_len = 0;
    h->ncalls = 0;
    h->rounds = 0;
    h->pending = false;
    h->answer_cut = false;
    h->bytes = system_cost(h);
}

enum llm_hist_err llm_history_begin(struct llm_history *h, const char *text, size_t len)
{
    if (h->pending)
        return LLM_HIST_BUSY;
    /* the user's turn and at least an empty answer */
    size_t c = llm_history_cost(LLM_ROLE_USER, text, len) + role_overhead(LLM_ROLE_ASSISTANT);
    if (system_cost(h) + c > h->limit || len + 2 > h->text_cap)
        return LLM_HIST_TURN_TOO_LARGE;
    if (!make_room(h, c, len + 2, 2, 0))
        return LLM_HIST_TURN_TOO_LARGE;  /* not reached: an empty history fits it */
    char *p = h->text + h->text_len;
    memcpy(p, text, len);
    p[len] = 0;
    h->text_len += len + 1;
    h->pending_at = h->nmsgs;
    h->rounds = 0;
    h->msgs[h->nmsgs] = (struct llm_message){.role = LLM_ROLE_USER, .content = p};
    h->nmsgs++;
    h->bytes += c;
    h->pending = true;
    h->answer_off = h->text_len;
    h->answer_len = h->answer_cost = 0;
    h->answer_cut = false;
    return LLM_HIST_OK;
}

enum llm_hist_err llm_history_answer(struct llm_history *h, const char *text, size_t len)
{
    if (!h->pending)
        return LLM_HIST_NO_EXCHANGE;
    if (h->answer_cut)
        return LLM_HIST_OK;
    size_t c = esc_len(text, len);
    if (!make_room(h, c, len + 1, 1, 0)) {   /* + the answer's NUL and message */
        h->answer_cut = true;
        return LLM_HIST_OK;
    }
    memcpy(h->text + h->text_len, text, len);
    h->text_len += len;
    h->answer_len += len;
    h->answer_cost += c;
    h->bytes += c;
    return LLM_HIST_OK;
}

/* Length of the valid UTF-8 sequence at p (RFC 3629: no overlong forms,
   no surrogates, <= U+10FFFF), 0 when invalid; *need gets the length the
   lead byte asks for (0 when it is no lead byte). */
static size_t utf8_seq(const unsigned char *p, size_t n, size_t *need)
{
    unsigned char c = p[0];
    size_t k;
    unsigned char lo = 0x80, hi = 0xbf;   /* range of the second byte */
    if (c < 0x80) {
        *need = 1;
        return 1;
    } else if (c >= 0xc2 && c <= 0xdf) {
        k = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
        k = 3;
        lo = c == 0xe0 ? 0xa0 : 0x80;
        hi = c == 0xed ? 0x9f : 0xbf;
    } else if (c >= 0xf0 && c <= 0xf4) {
        k = 4;
        lo = c == 0xf0 ? 0x90 : 0x80;
        hi = c == 0xf4 ? 0x8f : 0xbf;
    } else {
        *need = 0;
        return 0;
    }
    *need = k;
    if (n < k)
        return 0;
    if (p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < k; i++)
        if ((p[i] & 0xc0) != 0x80)
            return 0;
    return k;
}

/* Makes the answer valid UTF-8: an incomplete sequence at its end is
   dropped, any other invalid byte becomes '?' (same cost: one byte). */
static void answer_fix_utf8(struct llm_history *h)
{
    unsigned char *p = (unsigned char *)h->text + h->answer_off;
    size_t n = h->answer_len, i = 0;
    while (i < n) {
        size_t need, k = utf8_seq(p + i, n - i, &need);
        if (k) {
            i += k;
            continue;
        }
        bool tail = need > n - i;            /* maybe cut short: check what is there */
        for (size_t j = 1; tail && j < n - i; j++)
            if ((p[i + j] & 0xc0) != 0x80)
                tail = false;
        if (tail) {
            size_t cut = n - i;
            h->answer_len -= cut;
            h->answer_cost -= cut;
            h->bytes -= cut;
            h->text_len -= cut;
            return;
        }
        p[i++] = '?';
    }
}

/* Removes the pending user turn, its rounds and the answer so far. */
static void remove_pending(struct llm_history *h)
{
    struct llm_message *u = &h->msgs[h->pending_at];
    for (size_t i = h->pending_at; i < h->nmsgs; i++) {
        h->bytes -= msg_cost(&h->msgs[i]);
        h->ncalls -= h->msgs[i].ncalls;
    }
    h->bytes -= role_overhead(LLM_ROLE_ASSISTANT) + h->answer_cost;
    h->text_len = (size_t)(u->content - h->text);
    h->nmsgs = h->pending_at;
    h->pending = false;
    h->rounds = 0;
    h->answer_len = h->answer_cost = 0;
}

enum llm_hist_err llm_history_commit(struct llm_history *h)
{
    if (!h->pending)
        return LLM_HIST_NO_EXCHANGE;
    answer_fix_utf8(h);
    if (h->answer_len == 0) {
        remove_pending(h);
        return LLM_HIST_OK;
    }
    h->text[h->text_len++] = 0;            /* room kept by llm_history_answer */
    h->msgs[h->nmsgs] = (struct llm_message){.role = LLM_ROLE_ASSISTANT,
                                             .content = h->text + h->answer_off};
    h->nmsgs++;
    h->pending = false;
    h->rounds = 0;
    return LLM_HIST_OK;
}

enum llm_hist_err llm_history_abort(struct llm_history *h)
{
    if (!h->pending)
        return LLM_HIST_NO_EXCHANGE;
    remove_pending(h);
    return LLM_HIST_OK;
}

enum llm_hist_err llm_history_calls(struct llm_history *h, const struct llm_tool_call *calls,
                                    size_t n)
{
    if (!h->pending)
        return LLM_HIST_NO_EXCHANGE;
    if (n == 0 || n > h->max_calls)
        return n ? LLM_HIST_NO_CALL_ROOM : LLM_HIST_BAD_ARGUMENT;
    answer_fix_utf8(h);
    size_t c = calls_cost(calls, n) + role_overhead(LLM_ROLE_ASSISTANT);
    /* the answer's NUL and message, then the next answer's (kept room) */
    if (!make_room(h, c, 2, 2, n))
        return h->ncalls + n > h->max_calls ? LLM_HIST_NO_CALL_ROOM : LLM_HIST_TURN_TOO_LARGE;
    h->text[h->text_len++] = 0;
    struct llm_tool_call *pool = h->calls + h->ncalls;
    memcpy(pool, calls, n * sizeof *calls);
    h->ncalls += n;
    h->msgs[h->nmsgs] = (struct llm_message){.role = LLM_ROLE_ASSISTANT,
                                             .content = h->text + h->answer_off,
                                             .calls = pool, .ncalls = n};
    h->nmsgs++;
    h->bytes += c;                          /* the calls, and the next answer's overhead */
    h->answer_off = h->text_len;
    h->answer_len = h->answer_cost = 0;
    h->answer_cut = false;
    h->rounds++;
    return LLM_HIST_OK;
}

enum llm_hist_err llm_history_tool_result(struct llm_history *h, const char *id,
                                          const char *name, const char *text, size_t len)
{
    if (!h->pending || !h->rounds)
        return LLM_HIST_NO_EXCHANGE;
    if (h->answer_len)
        return LLM_HIST_BUSY;               /* results come before the next answer */
    if (!id)
        id = "";
    size_t il = strlen(id), nl = strlen(name);
    size_t c = tool_cost(id, name, text, len);
    size_t need = len + il + nl + 3;
    if (!make_room(h, c, need + 1, 2, 0))   /* + the next answer's NUL and message */
        return LLM_HIST_TURN_TOO_LARGE;
    char *p = h->text + h->text_len;
    memcpy(p, text, len);
    p[len] = 0;
    memcpy(p + len + 1, id, il + 1);
    memcpy(p + len + 1 + il + 1, name, nl + 1);
    h->text_len += need;
    h->msgs[h->nmsgs] = (struct llm_message){.role = LLM_ROLE_TOOL, .content = p,
                                             .call_id = p + len + 1,
                                             .tool_name = p + len + 1 + il + 1};
    h->nmsgs++;
    h->bytes += c;
    h->answer_off = h->text_len;
    return LLM_HIST_OK;
}

size_t llm_history_rounds(const struct llm_history *h)
{
    return h->pending ? h->rounds : 0;
}

const struct llm_message *llm_history_messages(const struct llm_history *h, size_t *n)
{
    *n = h->pending && h->rounds ? h->nmsgs : committed(h);
    return h->msgs;
}

const char *llm_history_prompt(const struct llm_history *h)
{
    return h->pending ? h->msgs[h->nmsgs - 1].content : NULL;
}

size_t llm_history_turns(const struct llm_history *h)
{
    return committed(h);
}

size_t llm_history_bytes(const struct llm_history *h)
{
    return h->bytes;
}

size_t llm_history_take_trimmed(struct llm_history *h)
{
    size_t n = h->trimmed;
    h->trimmed = 0;
    return n;
}
