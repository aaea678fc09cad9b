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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
