/* Every recorded real LLM API response in ../shared/llm-fixtures (127 of the
   five APIs: openai-chat, openai-responses, anthropic, gemini, ollama; each
   folder's meta.json gives the status, content type, expected outcome, text,
   finish reason and error message) goes through the client code path of its
   provider: an HTTP response around body.bin, fed to the response driver
   whole, byte by byte and in random pieces, and compared with meta.json.
   meta.json records no usage, so usage is checked two ways: every piece
   size reports the one-shot run's counts, and an answer whose body holds
   the provider's count members with a number ("prompt_tokens": 12) must
   report known (>= 0) counts.
   Tool calls: every fixture runs again with a tool-call accumulator. Its
   text, finish reason and usage stay the same; an answer that holds only
   calls is no longer no-content; an answer meta.json marks as calling
   tools (finish tool_calls or tool_use, tool_use blocks, functionCall
   parts, function_call items) yields calls, each with a name and object
   arguments, and every piece size yields the one-shot run's calls.
   The pass count per provider is printed; a fixture the client cannot
   handle fails the test unless KNOWN lists it with a reason (and a listed
   one that passes fails too, so the list stays true). */
#include "unit.h"
#include "llm/llm.h"
#include "llm/provider.h"
#include <stdbool.h>

static struct llm_resp R;

static struct llm_resp_bufs R_bufs;
static struct llm_tool_calls *TCS;     /* the accumulator of the runs, or NULL */
static struct { char text[140000]; size_t len; } OUT;

static bool on_content(void *ctx, const char *s, size_t n)
{
    (void)ctx;
    assert_true(OUT.len + n < sizeof OUT.text);
    memcpy(OUT.text + OUT.len, s, n);
    OUT.len += n;
    return true;
}

/* Fixtures the client does not handle, with the reason. */
static const struct { const char *id, *why; } KNOWN[] = {
    {NULL, NULL},
};

static const char *known(const char *id)
{
    for (size_t i = 0; KNOWN[i].id; i++)
        if (strcmp(KNOWN[i].id, id) == 0)
            return KNOWN[i].why;
    return NULL;
}

struct meta {
    char id[96], provider[32], wire[16], outcome[16], ctype[96];
    int status;
    char *text;         /* expected text (malloc'd) */
    size_t text_len;
    char finish[64];    /* "" for none */
    char message[1024]; /* "" for none */
    bool calls;         /* the answer calls tools (see the features) */
};

static struct json_tok TOKS[20000];

static void str_of(struct json_doc *d, int t, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = 0;
    if (t < 0)
        return;
    if (d->tok[t].type == JSON_STRING) {
        if (json_str_decode(d, t, out, cap, &n) != JSON_OK && n < cap)
            out[n] = 0;
        out[n < cap ? n : cap - 1] = 0;
    } else if (d->tok[t].type == JSON_NUMBER) {
        n = d->tok[t].end - d->tok[t].start;
        if (n >= cap)
            n = cap - 1;
        memcpy(out, d->text + d->tok[t].start, n);
        out[n] = 0;
    }
}

static bool read_meta(const char *path, struct meta *m)
{
    size_t len;
    char *txt = unit_read_file(path, &len);
    if (!txt)
        return false;
    struct json_doc d;
    assert_int_equal(json_parse(&d, txt, len, TOKS, sizeof TOKS / sizeof TOKS[0], NULL), JSON_OK);
    memset(m, 0, sizeof *m);
    str_of(&d, json_obj_get(&d, 0, "id"), m->id, sizeof m->id);
    str_of(&d, json_obj_get(&d, 0, "provider"), m->provider, sizeof m->provider);
    str_of(&d, json_obj_get(&d, 0, "wire"), m->wire, sizeof m->wire);
    str_of(&d, json_obj_get(&d, 0, "expected_outcome"), m->outcome, sizeof m->outcome);
    str_of(&d, json_obj_get(&d, 0, "expected_finish"), m->finish, sizeof m->finish);
    str_of(&d, json_obj_get(&d, 0, "expected_message"), m->message, sizeof m->message);
    int f = json_obj_get(&d, 0, "features");
    for (uint32_t i = 0; f >= 0 && d.tok[f].type == JSON_ARRAY && i < d.tok[f].count; i++) {
        static const char *const calling[] = {"block:tool_use", "finish=tool_calls",
                                              "functionCall", "item:function_call",
                                              "stop_reason=tool_use"};
        for (size_t k = 0; k < sizeof calling / sizeof calling[0]; k++)
            m->calls |= llm_json_is(&d, json_arr_get(&d, f, i), calling[k]);
    }
    m->calls |= strcmp(m->finish, "tool_calls") == 0 || strcmp(m->finish, "tool_use") == 0;
    int64_t st = 0;
    assert_int_equal(json_int(&d, json_obj_get(&d, 0, "status"), &st), JSON_OK);
    m->status = (int)st;
    int t = json_obj_get(&d, 0, "expected_text");
    m->text = calloc(1, 140000);
    assert_non_null(m->text);
    if (t >= 0 && d.tok[t].type == JSON_STRING)
        assert_int_equal(json_str_decode(&d, t, m->text, 140000, &m->text_len), JSON_OK);
    /* the recorded content type, else the one the wire format implies */
    int h = json_obj_get(&d, 0, "headers");
    for (uint32_t i = 0; h >= 0 && d.tok[h].type == JSON_ARRAY && i < d.tok[h].count; i++) {
        int pair = json_arr_get(&d, h, i);
        char name[64];
        str_of(&d, json_arr_get(&d, pair, 0), name, sizeof name);
        if (strcasecmp(name, "content-type") == 0)
            str_of(&d, json_arr_get(&d, pair, 1), m->ctype, sizeof m->ctype);
    }
    if (!m->ctype[0])
        snprintf(m->ctype, sizeof m->ctype, "%s",
                 strcmp(m->wire, "sse") == 0      ? "text/event-stream"
                 : strcmp(m->wire, "ndjson") == 0 ? "application/x-ndjson"
                                                  : "application/json");
    free(txt);
    return true;
}

/* Feeds resp in pieces: step 0 whole, else sizes 1..step (random when
   seed != 0, else exactly step). */
static enum llm_err feed(const struct llm_provider *p, const char *resp, size_t len, size_t step,
                         unsigned seed)
{
    OUT.len = 0;
    llm_resp_use_bufs(&R, &R_bufs);
    llm_resp_init(&R, p, on_content, NULL);
    R.tool_calls = TCS;
    srand(seed);
    for (size_t o = 0; o < len && !llm_resp_done(&R);) {
        size_t n = len - o;
        if (step) {
            size_t s = seed ? 1 + (size_t)rand() % step : step;
            n = s < n ? s : n;
        }
        size_t c;
        enum llm_err e = llm_resp_feed(&R, (const uint8_t *)resp + o, n, &c);
        if (e)
            return e;
        o += c;
    }
    return llm_resp_eof(&R);
}

/* The usage of the one-shot run, which every other run must repeat. */
static int64_t IN0, OUT0;

/* Whether body holds "key": followed by a digit. */
static bool has_count(const char *body, size_t len, const char *key)
{
    char pat[64];
    int pl = snprintf(pat, sizeof pat, "\"%s\":", key);
    for (size_t i = 0; i + (size_t)pl < len; i++) {
        if (memcmp(body + i, pat, (size_t)pl) != 0)
            continue;
        size_t j = i + (size_t)pl;
        while (j < len && body[j] == ' ')
            j++;
        if (j < len && body[j] >= '0' && body[j] <= '9')
            return true;
    }
    return false;
}

/* Compares one run with the expectations; why gets the first difference. */
static bool check(const struct meta *m, enum llm_err e, char *why, size_t cap)
{
    if (R.in_tokens != IN0 || R.out_tokens != OUT0) {
        snprintf(why, cap, "usage %lld/%lld, one-shot %lld/%lld", (long long)R.in_tokens,
                 (long long)R.out_tokens, (long long)IN0, (long long)OUT0);
        return false;
    }
    enum llm_err want = strcmp(m->outcome, "ok") == 0          ? LLM_OK
                        : strcmp(m->outcome, "api-error") == 0 ? LLM_ERR_API
                                                               : LLM_ERR_NO_CONTENT;
    if (want == LLM_ERR_NO_CONTENT && TCS && TCS->n)
        want = LLM_OK;                  /* calls are an answer */
    char line[400];
    llm_resp_describe(&R, line, sizeof line);
    if (e != want) {
        snprintf(why, cap, "outcome %s, want %s (%s)", llm_err_str(e), llm_err_str(want), line);
        return false;
    }
    if (OUT.len != m->text_len || memcmp(OUT.text, m->text, OUT.len) != 0) {
        snprintf(why, cap, "text differs: %zu bytes, want %zu", OUT.len, m->text_len);
        return false;
    }
    if (strcmp(R.finish_reason, m->finish) != 0) {
        snprintf(why, cap, "finish '%s', want '%s'", R.finish_reason, m->finish);
        return false;
    }
    if (want == LLM_ERR_API) {
        size_t n = strlen(R.message), w = strlen(m->message);
        size_t keep = w < LLM_MESSAGE_MAX - 1 ? w : LLM_MESSAGE_MAX - 1;
        if (R.status != m->status || n < keep - (keep > 3 ? 3 : keep) || n > keep ||
            memcmp(R.message, m->message, n) != 0) {
            snprintf(why, cap, "message '%s' status %d, want '%s' %d", R.message, R.status,
                     m->message, m->status);
            return false;
        }
    }
    return true;
}

/* The run with the accumulator: as check, and the calls: present when
   meta says so (each with a name and object arguments), and those of
   first (the one-shot run) when first is not NULL. */
static bool check_calls(const struct meta *m, enum llm_err e, const struct llm_tool_calls *first,
                        char *why, size_t cap)
{
    if (!check(m, e, why, cap))
        return false;
    const struct llm_tool_calls *t = TCS;
    if (m->calls != (t->n > 0) && e == LLM_OK) {
        snprintf(why, cap, "%zu tool calls, meta.json says %s", t->n, m->calls ? "some" : "none");
        return false;
    }
    for (size_t i = 0; e == LLM_OK && i < t->n; i++) {
        if (!t->call[i].name[0] || !t->call[i].args_ok) {
            snprintf(why, cap, "call %zu: name '%s' args '%s'", i, t->call[i].name, t->call[i].args);
            return false;
        }
    }
    if (first && (first->n != t->n || first->err != t->err)) {
        snprintf(why, cap, "%zu calls, one-shot %zu", t->n, first->n);
        return false;
    }
    for (size_t i = 0; first && i < t->n; i++) {
        const struct llm_tool_call *a = &first->call[i], *b = &t->call[i];
        if (strcmp(a->id, b->id) || strcmp(a->name, b->name) || strcmp(a->args, b->args)) {
            snprintf(why, cap, "call %zu differs from the one-shot run", i);
            return false;
        }
    }
    return true;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static void test_fixtures(void **state)
{
    (void)state;
    unit_need(UNIT_LLM_FIXTURES);
    static const char *const names[] = {"openai-chat", "openai-responses", "anthropic", "gemini",
                                        "ollama"};
    unsigned pass[5] = {0}, total[5] = {0}, usage[5] = {0}, calls[5] = {0}, listed = 0,
             failed = 0;
    struct dirent **ents;
    int ne = scandir(unit_dir(UNIT_LLM_FIXTURES), &ents, NULL, by_name);
    assert_true(ne > 0);
    for (int i = 0; i < ne; i++) {
        char path[1024];
        struct meta m;
        snprintf(path, sizeof path, "%s/%s/meta.json", unit_dir(UNIT_LLM_FIXTURES),
                 ents[i]->d_name);
        if (ents[i]->d_name[0] == '.' || !read_meta(path, &m)) {
            free(ents[i]);
            continue;
        }
        size_t pi = 0;
        while (pi < 5 && strcmp(names[pi], m.provider) != 0)
            pi++;
        assert_true(pi < 5);
        const struct llm_provider *p = llm_provider_by_name(m.provider);
        assert_non_null(p);
        total[pi]++;
        snprintf(path, sizeof path, "%s/%s/body.bin", unit_dir(UNIT_LLM_FIXTURES), ents[i]->d_name);
        size_t blen;
        char *body = unit_read_file(path, &blen);
        assert_non_null(body);
        char *resp = malloc(blen + 512);
        assert_non_null(resp);
        int hl = snprintf(resp, 512, "HTTP/1.1 %d X\r\nContent-Type: %s\r\nContent-Length: %zu\r\n\r\n",
                          m.status, m.ctype, blen);
        memcpy(resp + hl, body, blen);
        size_t len = (size_t)hl + blen;

        char why[1200] = "";
        enum llm_err e0 = feed(p, resp, len, 0, 0);
        IN0 = R.in_tokens;
        OUT0 = R.out_tokens;
        bool ok = check(&m, e0, why, sizeof why);
        /* the provider's count members, when the body has them */
        static const char *const keys[5][2] = {{"prompt_tokens", "completion_tokens"},
                                               {"input_tokens", "output_tokens"},
                                               {"input_tokens", "output_tokens"},
                                               {"promptTokenCount", "candidatesTokenCount"},
                                               {"prompt_eval_count", "eval_count"}};
        if (ok && e0 == LLM_OK) {
            bool hin = has_count(body, blen, keys[pi][0]), hout = has_count(body, blen, keys[pi][1]);
            if ((hin && IN0 < 0) || (hout && OUT0 < 0) || (!hin && IN0 >= 0) || (!hout && OUT0 >= 0)) {
                ok = false;
                snprintf(why, sizeof why, "usage %lld/%lld, body has counts %d/%d", (long long)IN0,
                         (long long)OUT0, hin, hout);
            }
            usage[pi] += IN0 >= 0 && OUT0 >= 0;
        }
        for (unsigned seed = 1; ok && seed <= 6; seed++) {
            size_t step = seed < 4 ? 7 : 200;
            ok = check(&m, feed(p, resp, len, step, seed), why, sizeof why);
        }
        if (ok && len < 20000)
            ok = check(&m, feed(p, resp, len, 1, 0), why, sizeof why);
        /* again with tool calls collected */
        static struct llm_tool_calls tc0, tc1;
        TCS = &tc0;
        if (ok)
            ok = check_calls(&m, feed(p, resp, len, 0, 0), NULL, why, sizeof why);
        if (ok && tc0.n)
            calls[pi] += 1;
        TCS = &tc1;
        for (unsigned seed = 1; ok && seed <= 3; seed++)
            ok = check_calls(&m, feed(p, resp, len, seed == 3 ? 1 : 7, seed == 3 ? 0 : seed),
                             &tc0, why, sizeof why);
        TCS = NULL;
        const char *k = known(m.id);
        if (ok && !k) {
            pass[pi]++;
        } else if (!ok && k) {
            listed++;
            printf("llm-fixtures: %s: not handled (listed: %s)\n", m.id, k);
        } else if (ok) {
            failed++;
            printf("llm-fixtures: %s passes but KNOWN lists it (%s)\n", m.id, k);
        } else {
            failed++;
            printf("llm-fixtures: FAIL %s (%s): %s\n", m.id, m.provider, why);
        }
        free(resp);
        free(body);
        free(m.text);
        free(ents[i]);
    }
    free(ents);
    unsigned all = 0;
    for (size_t i = 0; i < 5; i++) {
        printf("llm-fixtures: %-16s %u/%u (usage in %u, tool calls in %u)\n", names[i], pass[i],
               total[i], usage[i], calls[i]);
        all += total[i];
    }
    printf("llm-fixtures: %u fixtures, %u listed as not handled, %u failed\n", all, listed, failed);
    assert_true(all > 0);
    assert_int_equal(failed, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixtures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
