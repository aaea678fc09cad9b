/* llm/history.h: the bounded conversation store: its cost formula against
   real request bodies, trimming of whole exchanges at the limit, a turn
   larger than the limit, clear, system replace, UTF-8 answers, an
   interrupted (partial) answer and a failed exchange. */
#include "unit.h"
#include "llm/history.h"

#define LIMIT 1024
static char arena[LIMIT];
static struct llm_message msgs[64];

static struct llm_history *fresh(size_t limit)
{
    static struct llm_history h;
    assert_int_equal(llm_history_init(&h, arena, sizeof arena, msgs, 64, limit), LLM_HIST_OK);
    return &h;
}

/* One whole exchange: user text, answer text. */
static void exchange(struct llm_history *h, const char *q, const char *a)
{
    assert_int_equal(llm_history_begin(h, q, strlen(q)), LLM_HIST_OK);
    assert_string_equal(llm_history_prompt(h), q);
    assert_int_equal(llm_history_answer(h, a, strlen(a)), LLM_HIST_OK);
    assert_int_equal(llm_history_commit(h), LLM_HIST_OK);
}

/* Sum of the costs of the turns held, recomputed from the texts. */
static size_t recount(const struct llm_history *h)
{
    size_t n, sum = 0;
    const struct llm_message *m = llm_history_messages(h, &n);
    for (size_t i = 0; i < n; i++)
        sum += llm_history_cost(m[i].role, m[i].content, strlen(m[i].content));
    const char *s = llm_history_system(h);
    if (s)
        sum += llm_history_cost(LLM_ROLE_SYSTEM, s, strlen(s));
    return sum;
}

/* Length of the JSON body of an OpenAI chat request. */
static size_t body_len(const struct llm_message *hist, size_t n)
{
    static char buf[8192];
    struct llm_request q = {.host = "h", .port = 443, .path = "/v1/chat/completions",
                            .model = "m", .prompt = "p", .history = hist, .history_len = n};
    size_t len;
    assert_int_equal(llm_build_request(&llm_openai_chat, &q, buf, sizeof buf, &len), LLM_OK);
    const char *b = strstr(buf, "\r\n\r\n");
    assert_non_null(b);
    return len - (size_t)(b + 4 - buf);
}

static void test_cost_matches_request_json(void **st)
{
    (void)st;
    struct llm_history *h = fresh(LIMIT);
    exchange(h, "say \"hi\"\n\tnow\\", "caf\xc3\xa9 \x01 \x7f ok");
    exchange(h, "second", "answer two");
    size_t n;
    const struct llm_message *m = llm_history_messages(h, &n);
    assert_int_equal(n, 4);
    /* each turn adds exactly its cost (its message JSON and a comma) */
    assert_int_equal(body_len(m, n) - body_len(NULL, 0), llm_history_bytes(h));
    assert_int_equal(llm_history_bytes(h), recount(h));
    assert_int_equal(llm_history_cost(LLM_ROLE_USER, "a\"\x01", 3),
                     LLM_HISTORY_MSG_OVERHEAD + 4 + 1 + 2 + 6);
}

static void test_trim_oldest_whole_exchanges(void **st)
{
    (void)st;
    struct llm_history *h = fresh(LIMIT);
    char q[16], a[271];
    memset(a, 'a', sizeof a - 1);
    a[sizeof a - 1] = 0;
    /* an exchange costs (25+4+3) + (25+9+270) = 336: three fit in 1024, a
       fourth user turn (66 with its empty answer) does not */
    for (int i = 0; i < 3; i++) {
        snprintf(q, sizeof q, "q%02d", i);
        exchange(h, q, a);
    }
    assert_int_equal(llm_history_turns(h), 6);
    assert_int_equal(llm_history_bytes(h), 3 * 336);
    assert_int_equal(llm_history_take_trimmed(h), 0);
    /* the fourth needs 66 more: only the oldest exchange goes, whole */
    assert_int_equal(llm_history_begin(h, "q03", 3), LLM_HIST_OK);
    assert_int_equal(llm_history_take_trimmed(h), 2);
    assert_int_equal(llm_history_take_trimmed(h), 0);
    size_t n;
    const struct llm_message *m = llm_history_messages(h, &n);
    assert_int_equal(n, 4);
    assert_int_equal(m[0].role, LLM_ROLE_USER);
    assert_string_equal(m[0].content, "q01");
    assert_int_equal(m[1].role, LLM_ROLE_ASSISTANT);
    assert_string_equal(m[1].content, a);
    assert_string_equal(m[2].content, "q02");
    assert_string_equal(llm_history_prompt(h), "q03");
    assert_int_equal(llm_history_answer(h, a, strlen(a)), LLM_HIST_OK);
    assert_int_equal(llm_history_commit(h), LLM_HIST_OK);
    assert_int_equal(llm_history_bytes(h), 3 * 336);
    assert_int_equal(llm_history_bytes(h), recount(h));
    assert_true(llm_history_bytes(h) <= LIMIT);
}

static void test_exact_limit_boundary(void **st)
{
    (void)st;
    struct llm_history *h = fresh(LIMIT);
    /* fill to exactly the limit: no trim; one byte more: trim */
    exchange(h, "x", "y");                         /* 30 + 35 = 65 */
    size_t rest = LIMIT - 65 - (25 + 4) - (25 + 9);
    static char big[LIMIT];
    memset(big, 'b', rest);
    big[rest] = 0;
    assert_int_equal(llm_history_begin(h, big, rest), LLM_HIST_OK);
    assert_int_equal(llm_history_take_trimmed(h), 0);
    assert_int_equal(llm_history_bytes(h), LIMIT);
    assert_int_equal(llm_history_abort(h), LLM_HIST_OK);
    assert_int_equal(llm_history_bytes(h), 65);
    big[rest] = 'b';
    big[rest + 1] = 0;
    assert_int_equal(llm_history_begin(h, big, rest + 1), LLM_HIST_OK);
    assert_int_equal(llm_history_take_trimmed(h), 2);
    assert_int_equal(llm_history_turns(h), 0);
}

static void test_turn_larger_than_limit(void **st)
{
    (void)st;
    struct llm_history *h = fresh(LIMIT);
    exchange(h, "keep", "me");
    static char big[LIMIT];
    memset(big, 'z', sizeof big - 1);
    big[sizeof big - 1] = 0;
    assert_int_equal(llm_history_begin(h, big, strlen(big)), LLM_HIST_TURN_TOO_LARGE);
    assert_string_equal(llm_hist_err_str(LLM_HIST_TURN_TOO_LARGE), "turn_too_large");
    /* nothing changed: the history is still there, nothing pending */
    assert_int_equal(llm_history_turns(h), 2);
    assert_null(llm_history_prompt(h));
    assert_int_equal(llm_history_take_trimmed(h), 0);
    /* escaping counts: 200 controls cost 1200 */
    char ctl[201];
    memset(ctl, 1, 200);
    ctl[200] = 0;
    assert_int_equal(llm_history_begin(h, ctl, 200), LLM_HIST_TURN_TOO_LARGE);
    assert_int_equal(llm_history_turns(h), 2);
}

static void test_answer_outgrows_limit(void **st)
{
    (void)st;
    struct llm_history *h = fresh(LIMIT);
    exchange(h, "old", "answer");
    assert_int_equal(llm_history_begin(h, "new", 3), LLM_HIST_OK);
    char piece[100];
    memset(piece, 'p', sizeof piece);
    for (int i = 0; i < 20; i++)      /* 2000 bytes: the old exchange goes, then it is cut */
        assert_int_equal(llm_history_answer(h, piece, sizeof piece), LLM_HIST_OK);
    assert_int_equal(llm_history_take_trimmed(h), 2);
    assert_true(h->answer_cut);
    assert_int_equal(llm_history_commit(h), LLM_HIST_OK);
    size_t n;
    const struct llm_message *m = llm_history_messages(h, &n);
    assert_int_equal(n, 2);
    assert_string_equal(m[0].content, "new");
    assert_int_equal(strlen(m[1].content) % 100, 0);
    assert_true(llm_history_bytes(h) <= LIMIT);
    assert_int_equal(llm_history_bytes(h), recount(h));
}

static void test_clear(void **st)
{
    (void)st;
    struct llm_history *h = fresh(LIMIT);
    assert_int_equal(llm_history_set_system(h, "be brief", 8), LLM_HIST_OK);
    exchange(h, "a", "b");
    exchange(h, "c", "d");
    llm_history_clear(h);
    assert_int_equal(llm_history_turns(h), 0);
    assert_string_equal(llm_history_system(h), "be brief");
    assert_int_equal(llm_history_bytes(h), 25 + 6 + 8);
    exchange(h, "e", "f");
    size_t n;
    const struct llm_message *m = llm_history_messages(h, &n);
    assert_int_equal(n, 2);
    assert_string_equal(m[0].content, "e");
}

static void test_system_replace(void **st)
{
    (void)st;
    struct llm_history *h = fresh(LIMIT);
    assert_null(llm_history_system(h));
    assert_int_equal(llm_history_set_system(h, "one", 3), LLM_HIST_OK);
    assert_int_equal(llm_history_bytes(h), 25 + 6 + 3);
    exchange(h, "q", "a");
    assert_int_equal(llm_history_set_system(h, "two!", 4), LLM_HIST_OK);
    assert_string_equal(llm_history_system(h), "two!");
    assert_int_equal(llm_history_bytes(h), recount(h));
    /* a system prompt that needs the room of the turns drops them */
    static char big[900];
    memset(big, 's', sizeof big - 1);
    big[sizeof big - 1] = 0;
    assert_int_equal(llm_history_set_system(h, big, strlen(big)), LLM_HIST_OK);
    assert_int_equal(llm_history_turns(h), 2);      /* 930 + 65 fits */
    exchange(h, "qq", "aa");                         /* no room for both */
    assert_int_equal(llm_history_take_trimmed(h), 2);
    assert_int_equal(llm_history_turns(h), 2);
    /* removing it */
    assert_int_equal(llm_history_set_system(h, "", 0), LLM_HIST_OK);
    assert_null(llm_history_system(h));
    assert_int_equal(llm_history_bytes(h), recount(h));
    /* too large */
    static char huge[LLM_HISTORY_SYSTEM_MAX + 2];
    memset(huge, 'h', sizeof huge - 1);
    assert_int_equal(llm_history_set_system(h, huge, sizeof huge - 1),
                     LLM_HIST_SYSTEM_TOO_LARGE);
    assert_int_equal(llm_history_set_system(h, huge, LIMIT), LLM_HIST_SYSTEM_TOO_LARGE);
    /* not while an exchange is pending */
    assert_int_equal(llm_history_begin(h, "q", 1), LLM_HIST_OK);
    assert_int_equal(llm_history_set_system(h, "x", 1), LLM_HIST_BUSY);
    assert_int_equal(llm_history_begin(h, "q", 1), LLM_HIST_BUSY);
}

static void test_utf8_content(void **st)
{
    (void)st;
    struct llm_history *h = fresh(LIMIT);
    /* multi-byte characters cost their bytes; the answer arrives split
       inside a character */
    const char *q = "gr\xc3\xbc\xc3\x9f \xf0\x9f\x98\x80";
    assert_int_equal(llm_history_begin(h, q, strlen(q)), LLM_HIST_OK);
    assert_int_equal(llm_history_answer(h, "\xe2\x82", 2), LLM_HIST_OK);
    assert_int_equal(llm_history_answer(h, "\xac ok", 4), LLM_HIST_OK);
    assert_int_equal(llm_history_commit(h), LLM_HIST_OK);
    size_t n;
    const struct llm_message *m = llm_history_messages(h, &n);
    assert_string_equal(m[1].content, "\xe2\x82\xac ok");
    assert_int_equal(llm_history_bytes(h), 25 + 4 + 11 + 25 + 9 + 6);
    /* a stray byte inside becomes '?' */
    exchange(h, "x", "a\xff" "b\xc0\xaf" "c");
    m = llm_history_messages(h, &n);
    assert_string_equal(m[3].content, "a?b??c");
    assert_int_equal(llm_history_bytes(h), recount(h));
    /* the request accepts every text held */
    assert_true(body_len(m, n) > 0);
}

static void test_interrupted_partial_answer(void **st)
{
    (void)st;
    struct llm_history *h = fresh(LIMIT);
    exchange(h, "first", "one");
    assert_int_equal(llm_history_begin(h, "second", 6), LLM_HIST_OK);
    assert_int_equal(llm_history_answer(h, "partial \xf0\x9f", 10), LLM_HIST_OK);
    /* interrupted here: kept, the cut character dropped */
    assert_int_equal(llm_history_commit(h), LLM_HIST_OK);
    size_t n;
    const struct llm_message *m = llm_history_messages(h, &n);
    assert_int_equal(n, 4);
    assert_string_equal(m[2].content, "second");
    assert_int_equal(m[3].role, LLM_ROLE_ASSISTANT);
    assert_string_equal(m[3].content, "partial ");
    assert_int_equal(llm_history_bytes(h), recount(h));
    /* interrupted before any text: the exchange is not kept */
    assert_int_equal(llm_history_begin(h, "third", 5), LLM_HIST_OK);
    assert_int_equal(llm_history_commit(h), LLM_HIST_OK);
    assert_int_equal(llm_history_turns(h), 4);
    assert_int_equal(llm_history_bytes(h), recount(h));
}

static void test_failed_exchange_removed(void **st)
{
    (void)st;
    struct llm_history *h = fresh(LIMIT);
    exchange(h, "first", "one");
    size_t before = llm_history_bytes(h);
    assert_int_equal(llm_history_begin(h, "doomed", 6), LLM_HIST_OK);
    assert_int_equal(llm_history_answer(h, "some", 4), LLM_HIST_OK);
    assert_int_equal(llm_history_abort(h), LLM_HIST_OK);
    assert_int_equal(llm_history_turns(h), 2);
    assert_int_equal(llm_history_bytes(h), before);
    assert_null(llm_history_prompt(h));
    assert_int_equal(llm_history_abort(h), LLM_HIST_NO_EXCHANGE);
    assert_int_equal(llm_history_commit(h), LLM_HIST_NO_EXCHANGE);
    assert_int_equal(llm_history_answer(h, "x", 1), LLM_HIST_NO_EXCHANGE);
    exchange(h, "next", "two");
    size_t n;
    const struct llm_message *m = llm_history_messages(h, &n);
    assert_string_equal(m[2].content, "next");
}

static void test_message_slots_bound(void **st)
{
    (void)st;
    static struct llm_history h;
    static struct llm_message few[4];
    assert_int_equal(llm_history_init(&h, arena, sizeof arena, few, 4, LIMIT), LLM_HIST_OK);
    exchange(&h, "a", "1");
    exchange(&h, "b", "2");
    exchange(&h, "c", "3");            /* four slots: the oldest exchange goes */
    assert_int_equal(llm_history_take_trimmed(&h), 2);
    size_t n;
    const struct llm_message *m = llm_history_messages(&h, &n);
    assert_int_equal(n, 4);
    assert_string_equal(m[0].content, "b");
    assert_string_equal(m[3].content, "3");
    assert_int_equal(llm_history_init(&h, arena, 100, few, 4, LIMIT), LLM_HIST_BAD_ARGUMENT);
}

/* ---- tool rounds ---------------------------------------------------- */

static struct llm_tool_call pool[4];
static char big_arena[8192];
static struct llm_message big_msgs[64];

static struct llm_history *fresh_tools(size_t limit)
{
    static struct llm_history h;
    assert_int_equal(llm_history_init(&h, big_arena, sizeof big_arena, big_msgs, 64, limit),
                     LLM_HIST_OK);
    llm_history_set_calls(&h, pool, 4);
    return &h;
}

static void mkcall(struct llm_tool_call *c, const char *id, const char *name, const char *args)
{
    memset(c, 0, sizeof *c);
    snprintf(c->id, sizeof c->id, "%s", id);
    snprintf(c->name, sizeof c->name, "%s", name);
    c->args_len = (size_t)snprintf(c->args, sizeof c->args, "%s", args);
    c->args_ok = true;
}

/* Sum of llm_history_msg_cost over the turns held and the system prompt. */
static size_t recount_all(const struct llm_history *h)
{
    size_t sum = 0;
    for (size_t i = 0; i < h->nmsgs; i++)
        sum += llm_history_msg_cost(&h->msgs[i]);
    const char *s = llm_history_system(h);
    if (s)
        sum += llm_history_cost(LLM_ROLE_SYSTEM, s, strlen(s));
    return sum;
}

/* One exchange with a round of two calls: the turns, their order and
   fields, the messages sent during the round (prompt NULL), the cost. */
static void test_round_kept_in_order(void **st)
{
    (void)st;
    struct llm_history *h = fresh_tools(4096);
    exchange(h, "hello", "hi");
    size_t before = llm_history_bytes(h);
    struct llm_tool_call c[2];
    mkcall(&c[0], "call_1", "clock", "{}");
    mkcall(&c[1], "call_2", "net_info", "{\"x\":\"\\\"\"}");
    assert_int_equal(llm_history_begin(h, "what time?", 10), LLM_HIST_OK);
    assert_int_equal(llm_history_answer(h, "checking", 8), LLM_HIST_OK);
    assert_int_equal(llm_history_tool_result(h, "a", "b", "{}", 2), LLM_HIST_NO_EXCHANGE);
    assert_int_equal(llm_history_calls(h, c, 2), LLM_HIST_OK);
    assert_int_equal(llm_history_rounds(h), 1);
    c[0].name[0] = 'X';                    /* the store holds copies */
    assert_int_equal(llm_history_tool_result(h, "call_1", "clock", "{\"utc\":1}", 9), LLM_HIST_OK);
    assert_int_equal(llm_history_tool_result(h, "call_2", "net_info", "{\"ip\":\"10\"}", 11),
                     LLM_HIST_OK);
    size_t n;
    const struct llm_message *m = llm_history_messages(h, &n);
    assert_int_equal(n, 6);                /* the pending user turn and the round are sent */
    assert_int_equal(m[2].role, LLM_ROLE_USER);
    assert_string_equal(m[2].content, "what time?");
    assert_int_equal(m[3].role, LLM_ROLE_ASSISTANT);
    assert_string_equal(m[3].content, "checking");
    assert_int_equal(m[3].ncalls, 2);
    assert_string_equal(m[3].calls[0].name, "clock");
    assert_string_equal(m[3].calls[1].id, "call_2");
    assert_string_equal(m[3].calls[1].args, "{\"x\":\"\\\"\"}");
    assert_int_equal(m[4].role, LLM_ROLE_TOOL);
    assert_string_equal(m[4].content, "{\"utc\":1}");
    assert_string_equal(m[4].call_id, "call_1");
    assert_string_equal(m[4].tool_name, "clock");
    assert_string_equal(m[5].tool_name, "net_info");
    assert_int_equal(llm_history_turns(h), 2);   /* committed turns only */
    /* the follow-up request builds from these turns with no prompt */
    static char buf[16384];
    struct llm_request q = {.host = "h", .port = 443, .path = "/v1/chat/completions",
                            .model = "m", .history = m, .history_len = n};
    size_t len;
    assert_int_equal(llm_build_request(&llm_openai_chat, &q, buf, sizeof buf, &len), LLM_OK);
    assert_non_null(strstr(buf, "\"tool_call_id\":\"call_2\""));
    /* the final answer */
    assert_int_equal(llm_history_answer(h, "It is 1.", 8), LLM_HIST_OK);
    assert_int_equal(llm_history_tool_result(h, "c", "d", "{}", 2), LLM_HIST_BUSY);
    assert_int_equal(llm_history_commit(h), LLM_HIST_OK);
    m = llm_history_messages(h, &n);
    assert_int_equal(n, 7);
    assert_string_equal(m[6].content, "It is 1.");
    assert_int_equal(m[6].ncalls, 0);
    assert_int_equal(llm_history_rounds(h), 0);
    assert_int_equal(llm_history_bytes(h), recount_all(h));
    assert_true(llm_history_bytes(h) > before + 2 * LLM_HISTORY_CALL_OVERHEAD);
    assert_int_equal(h->ncalls, 2);
}

/* A failed exchange with rounds leaves nothing; so does one whose final
   answer is empty (it would end on bare results). */
static void test_round_abort_and_empty_commit(void **st)
{
    (void)st;
    struct llm_history *h = fresh_tools(4096);
    exchange(h, "a", "b");
    size_t bytes = llm_history_bytes(h), text = h->text_len;
    struct llm_tool_call c;
    mkcall(&c, "", "clock", "{}");
    for (int pass = 0; pass < 2; pass++) {
        assert_int_equal(llm_history_begin(h, "q", 1), LLM_HIST_OK);
        for (int r = 0; r < 2; r++) {
            assert_int_equal(llm_history_calls(h, &c, 1), LLM_HIST_OK);
            assert_int_equal(llm_history_tool_result(h, "", "clock", "{}", 2), LLM_HIST_OK);
        }
        assert_int_equal(llm_history_rounds(h), 2);
        if (pass == 0)
            assert_int_equal(llm_history_abort(h), LLM_HIST_OK);
        else
            assert_int_equal(llm_history_commit(h), LLM_HIST_OK);
        size_t n;
        llm_history_messages(h, &n);
        assert_int_equal(n, 2);
        assert_int_equal(llm_history_bytes(h), bytes);
        assert_int_equal(h->text_len, text);
        assert_int_equal(h->ncalls, 0);
    }
}

/* Trimming drops an exchange with its round, calls and results, and the
   calls of the exchanges that stay still read right (the pool moved). */
static void test_round_trimmed_whole(void **st)
{
    (void)st;
    struct llm_history *h = fresh_tools(2048);
    struct llm_tool_call c;
    char q[16], args[64];
    for (int i = 0; i < 6; i++) {
        snprintf(q, sizeof q, "q%d", i);
        snprintf(args, sizeof args, "{\"n\":%d}", i);
        mkcall(&c, q, i % 2 ? "dns_lookup" : "clock", args);
        assert_int_equal(llm_history_begin(h, q, strlen(q)), LLM_HIST_OK);
        assert_int_equal(llm_history_calls(h, &c, 1), LLM_HIST_OK);
        char res[400];
        memset(res, 'r', sizeof res);
        assert_int_equal(llm_history_tool_result(h, q, c.name, res, sizeof res), LLM_HIST_OK);
        assert_int_equal(llm_history_answer(h, "done", 4), LLM_HIST_OK);
        assert_int_equal(llm_history_commit(h), LLM_HIST_OK);
        assert_true(llm_history_bytes(h) <= 2048);
        assert_int_equal(llm_history_bytes(h), recount_all(h));
    }
    assert_true(llm_history_take_trimmed(h) > 0);
    size_t n;
    const struct llm_message *m = llm_history_messages(h, &n);
    assert_int_equal(n % 4, 0);            /* whole exchanges: user, calls, result, answer */
    assert_int_equal(h->ncalls, n / 4);
    for (size_t i = 0; i < n; i += 4) {
        assert_int_equal(m[i].role, LLM_ROLE_USER);
        assert_int_equal(m[i + 1].ncalls, 1);
        assert_string_equal(m[i + 1].calls[0].id, m[i].content);
        assert_string_equal(m[i + 2].call_id, m[i].content);
        assert_string_equal(m[i + 2].tool_name, m[i + 1].calls[0].name);
        int k = m[i].content[1] - '0';
        snprintf(args, sizeof args, "{\"n\":%d}", k);
        assert_string_equal(m[i + 1].calls[0].args, args);
    }
    assert_string_equal(m[n - 4].content, "q5");
}

/* No pool, or more calls than it holds: the round is refused, the
   exchange goes on unchanged. */
static void test_round_no_pool(void **st)
{
    (void)st;
    struct llm_history *h = fresh_tools(4096);
    llm_history_set_calls(h, NULL, 0);
    struct llm_tool_call c[5];
    for (int i = 0; i < 5; i++)
        mkcall(&c[i], "", "clock", "{}");
    assert_int_equal(llm_history_begin(h, "q", 1), LLM_HIST_OK);
    assert_int_equal(llm_history_calls(h, c, 1), LLM_HIST_NO_CALL_ROOM);
    llm_history_set_calls(h, pool, 4);
    assert_int_equal(llm_history_calls(h, c, 5), LLM_HIST_NO_CALL_ROOM);
    assert_int_equal(llm_history_rounds(h), 0);
    assert_int_equal(llm_history_calls(h, c, 4), LLM_HIST_OK);
    assert_int_equal(llm_history_abort(h), LLM_HIST_OK);
    assert_int_equal(llm_history_bytes(h), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cost_matches_request_json),
        cmocka_unit_test(test_trim_oldest_whole_exchanges),
        cmocka_unit_test(test_exact_limit_boundary),
        cmocka_unit_test(test_turn_larger_than_limit),
        cmocka_unit_test(test_answer_outgrows_limit),
        cmocka_unit_test(test_clear),
        cmocka_unit_test(test_system_replace),
        cmocka_unit_test(test_utf8_content),
        cmocka_unit_test(test_interrupted_partial_answer),
        cmocka_unit_test(test_failed_exchange_removed),
        cmocka_unit_test(test_message_slots_bound),
        cmocka_unit_test(test_round_kept_in_order),
        cmocka_unit_test(test_round_abort_and_empty_commit),
        cmocka_unit_test(test_round_trimmed_whole),
        cmocka_unit_test(test_round_no_pool),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
