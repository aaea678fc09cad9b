/* One user turn of the llm= job with its tool rounds (issue 23; see
   llm_app.h): the request declares the tools of tools= (app_tools_all in
   its order, as struct llm_tool_def); an answer that asks for tools (a
   200 whose llm_tool_calls hold calls) is kept in the history as an
   assistant turn with its calls, each call runs in the kernel
   (app_tool_call, prefix "llm:") and its result object becomes one TOOL
   turn, and the model is asked again with no prompt, until an answer
   without calls (its done line ends in tool_calls=K, the calls of the
   whole turn) or tool_rounds= rounds:
     llm: tool call=NAME args=JSON
     llm: tool result=NAME status=ok|error bytes=N ms=T[ error=NAME]
     llm: error=tool_rounds_exceeded rounds=N      (the turn fails)
   A call whose arguments are not one JSON object (args_ok false) is not
   run: the model gets {"error":"bad_arguments","detail":
   "arguments_not_object"}. An unknown tool or a failing one answers with
   its error object too; no tool error ends the turn. Ctrl-C between calls
   stops the turn like an interrupted answer (`llm: interrupted bytes=N`,
   the exchange is then dropped: it has no final answer).
   Memory: the calls accumulator and the result buffer are static (the job
   runs one turn at a time); the history copies what it keeps. */
#include "app/llm_app.h"
#include "kernel/console.h"
#include "lib/text_filter.h"
#include "llm/tool_call.h"
#include <string.h>

#define SHOWN_ARGS 200       /* as app_tool_call shows them */

void llm_app_tools_init(struct llm_session *s, const struct app_options *o)
{
    s->ntools = 0;
    for (int i = 0; app_tools_all[i] && s->ntools < sizeof s->tool_defs / sizeof s->tool_defs[0];
         i++) {
        if (!(o->tools_mask >> i & 1))       /* bit i: tool_names[i], same order */
            continue;
        const struct app_tool *t = app_tools_all[i];
        s->tool_defs[s->ntools++] = (struct llm_tool_def){
            .name = t->name, .description = t->description, .parameters = t->parameters};
    }
    s->tool_env = (struct tool_env){.tls = &o->tls, .hosts = o->tool_hosts,
                                    .timeout_ms = s->timeout};
    s->tool_rounds = (unsigned)o->tool_rounds;
}

/* A call whose arguments are no JSON object: the two console lines of
   app_tool_call, and the bad_arguments object without running the tool. */
static size_t bad_arguments(const struct llm_tool_call *c, char *out, size_t cap)
{
    char name[LLM_TOOL_NAME_MAX * 4], args[SHOWN_ARGS * 4 + 8];
    text_filter_field(name, sizeof name, c->name, strlen(c->name));
    size_t cut = c->args_len < SHOWN_ARGS ? c->args_len : SHOWN_ARGS;
    text_filter_field(args, sizeof args, c->args, cut);
    kprintf("llm: tool call=%s args=%s%s\n", name, cut ? args : "{}",
            cut < c->args_len ? "..." : "");
    struct json_w w;
    size_t len = 0;
    json_w_init(&w, out, cap);
    app_tool_error(&w, "bad_arguments", "arguments_not_object");
    if (json_w_finish(&w, &len) != JSON_OK)
        len = 0;
    kprintf("llm: tool result=%s status=error bytes=%lu ms=0 error=bad_arguments\n", name,
            (unsigned long)len);
    return len;
}

/* Runs the calls of s->tc and keeps them and their results in the
   history. 0: done; 1: failed (error printed); 2: interrupted. */
static int run_round(struct llm_session *s)
{
    static char result[APP_TOOL_RESULT_MAX];
    const struct llm_tool_calls *tc = s->tc;
    enum llm_hist_err he = llm_history_calls(s->hist, tc->call, tc->n);
    if (he) {
        kprintf("llm: error=%s detail=tool_calls\n", llm_hist_err_str(he));
        return 1;
    }
    for (size_t i = 0; i < tc->n; i++) {
        const struct llm_tool_call *c = &tc->call[i];
        if (llm_app_poll_console(s)) {
            kprintf("llm: interrupted bytes=%lu\n", (unsigned long)s->resp.content_bytes);
            return 2;
        }
        size_t len = 0;
        if (!c->args_ok)
            len = bad_arguments(c, result, sizeof result);
        else
            app_tool_call(&s->tool_env, "llm:", c->name, strlen(c->name), c->args, c->args_len,
                          result, sizeof result, &len);
        s->tool_calls_run++;
        he = llm_history_tool_result(s->hist, c->id, c->name, result, len);
        if (he) {
            kprintf("llm: error=%s detail=tool_result=%s\n", llm_hist_err_str(he), c->name);
            return 1;
        }
    }
    if (llm_app_poll_console(s)) {
        kprintf("llm: interrupted bytes=%lu\n", (unsigned long)s->resp.content_bytes);
        return 2;
    }
    return 0;
}

int llm_app_ask(struct llm_session *s, const char *prompt)
{
    static struct llm_tool_calls tc;
    s->turn++;
    s->tool_calls_run = 0;
    s->tc = s->ntools && s->hist ? &tc : NULL;
    for (unsigned round = 0;; round++) {
        if (s->tc)
            llm_tc_init(s->tc);
        int r = llm_app_request(s, round ? NULL : prompt);
        if (r || !s->tc || s->tc->n == 0)
            return r;                         /* the done line (or the error) is printed */
        if (round >= s->tool_rounds) {
            kprintf("llm: error=tool_rounds_exceeded rounds=%u\n", s->tool_rounds);
            return 1;
        }
        r = run_round(s);
        if (r)
            return r;
    }
}
