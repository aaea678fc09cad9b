/* The llm= job: asks an LLM endpoint and streams the answer to the console
   as it arrives.
     llm=http[s]://host[:port]/PATH model=NAME [key=KEY] [prompt=TEXT]
         [provider=openai|responses|anthropic|gemini|ollama]
         [stream=0|1] [system=TEXT] [timeout=MS] [retries=N]
         [llm_history=BYTES] [llm_idle=S]
   The provider (llm/llm.h) is provider= or, without it, the one the URL
   path implies (llm_provider_from_path: OpenAI chat completions unless the
   path says otherwise). A plain http:// URL (Ollama on the local network)
   takes no key: `llm: error=key_over_plain_http`, before connecting.
   With prompt= the job asks it (repeat= times, each on its own, the
   system= prompt first); without it the chat reads prompts from the serial
   console (llm_chat.c) and sends the conversation so far with each. Each
   answer ends in
     llm: done status=200 provider=P model=M bytes=N pieces=K finish=R
         stream=0|1 in_tokens=I out_tokens=O ttft_ms=T ms=TOTAL turn=N
         tool_calls=K
   or an error line (llm_conn.c, which also retries). With tools= (all by
   default) the model may call the kernel tools; llm_tools.c runs them
   and asks again (tool_rounds=), in both modes: the one-shot mode then
   keeps the turn's rounds in a history of its own. The answer and every
   server string pass the console filter (kernel/console.h,
   lib/text_filter.h).
   Memory: the session is static; the answer driver's buffers and the
   HTTP read buffer (sized by mem=, app/mem_profile.h) come from the
   kernel heap for the job and are wiped when it ends; the
   history's arena, message array and
   tool-call pool ((tool_rounds= + 1) * 8 calls of ~8.3 KiB, only with
   tools) and the request buffer come from the kernel heap, sized by
   llm_history=, and go back (the request, which held the key, wiped) when
   the job ends. */
#include "app/jobs.h"
#include "app/llm_app.h"
#include "kernel/console.h"
#include "kernel/heap.h"
#include <string.h>

/* Request room beyond the history's bytes: the head, the model, the other
   members, and providers whose turns wrap the text more than the
   history's measure (llm/history.h) counts (Gemini's parts). */
#define LLM_REQ_SLACK (16384 + APP_PROMPT_MAX * 6)

/* memset that the compiler may not drop (the buffer held the key). */
static void wipe(void *p, size_t n)
{
    volatile uint8_t *v = p;
    while (n--)
        *v++ = 0;
}

int app_llm_run(const struct app_options *o)
{
    static struct llm_session s;
    static struct llm_history hist;
    if (app_options_on_cmdline(o, "key"))    /* fw_cfg opt/llm/key keeps it off the line */
        kprintf("llm: warning key_on_command_line\n");
    memset(&s, 0, offsetof(struct llm_session, resp));
    s.url = o->llm_url;                      /* parsed and checked by app/keys.c */
    s.tls_opts = &o->tls;
    s.key = o->key;
    s.system = o->system;
    s.stream = o->stream;
    s.retries = o->retries;
    s.provider = o->provider ? llm_provider_by_name(o->provider)
                             : llm_provider_from_path(s.url.path);
    s.timeout = o->timeout_ms > 0 ? (uint32_t)o->timeout_ms : 60000;
    s.in_tokens = s.out_tokens = -1;
    s.mem = o->tls.mem;
    if (!o->model) {
        kprintf("llm: error=bad_argument detail=model= is required\n");
        return 1;
    }
    memcpy(s.model, o->model, strlen(o->model) + 1);   /* < APP_MODEL_MAX (keys.c) */
    if (!s.url.https && s.key && s.key[0]) {
        kprintf("llm: error=key_over_plain_http\n");
        return 1;
    }
    app_tls_forget_tickets();    /* a job resumes only its own sessions */
    llm_app_tools_init(&s, o);
    size_t heap0 = heap_bytes_in_use();
    size_t limit = o->llm_history;
    size_t max_msgs = limit / (LLM_HISTORY_MSG_OVERHEAD + 4) + 4;
    bool use_hist = !o->prompt || s.ntools;      /* the chat's, or the tool rounds' */
    size_t ncalls = s.ntools ? (s.tool_rounds + 1) * LLM_TOOL_CALLS_MAX : 0;
    s.req_cap = (use_hist ? 2 * limit : 0) + LLM_REQ_SLACK;
    s.req = kmalloc(s.req_cap);
    const struct app_mem_sizes *ms = app_mem_sizes(o->tls.mem);
    size_t toks = ms->llm_toks * sizeof(struct json_tok);
    s.resp_mem_len = toks + ms->llm_piece + ms->llm_body + ms->llm_line + ms->llm_data;
    s.resp_mem = kmalloc(s.resp_mem_len);
    s.http_buf_len = ms->http_buf;
    s.http_buf = kmalloc(s.http_buf_len);
    if (s.resp_mem) {
        char *b = s.resp_mem;
        const struct llm_resp_mem m = {
            .toks = s.resp_mem, .ntoks = ms->llm_toks,
            .piece = b + toks, .piece_cap = ms->llm_piece,
            .body = b + toks + ms->llm_piece, .body_cap = ms->llm_body,
            .sse_line = b + toks + ms->llm_piece + ms->llm_body, .sse_line_cap = ms->llm_line,
            .sse_data = b + toks + ms->llm_piece + ms->llm_body + ms->llm_line,
            .sse_data_cap = ms->llm_data };
        llm_resp_set_bufs(&s.resp, &m);
    }
    char *arena = use_hist ? kmalloc(limit) : NULL;
    struct llm_message *msgs = use_hist ? kcalloc(max_msgs, sizeof *msgs) : NULL;
    struct llm_tool_call *pool = ncalls ? kcalloc(ncalls, sizeof *pool) : NULL;
    int rc = 0;
    if (use_hist) {
        llm_history_init(&hist, arena, limit, msgs, max_msgs, limit);
        llm_history_set_calls(&hist, pool, ncalls);
    }
    if (!s.req || !s.resp_mem || !s.http_buf || (use_hist && (!arena || !msgs)) || (ncalls && !pool)) {
        kprintf("llm: error=out_of_memory detail=llm_history=%lu\n", (unsigned long)limit);
        rc = 1;
    } else if (o->prompt) {
        s.hist = use_hist ? &hist : NULL;
        for (long i = 0; i < o->repeat && !rc; i++) {
            enum llm_hist_err he = s.hist
                ? llm_history_begin(s.hist, o->prompt, strlen(o->prompt)) : LLM_HIST_OK;
            if (he) {
                kprintf("llm: error=%s detail=history_max=%u\n", llm_hist_err_str(he),
                        (unsigned)o->llm_history);
                rc = 1;
                break;
            }
            rc = llm_app_ask(&s, o->prompt) != 0;
            if (s.hist)
                llm_history_clear(s.hist);   /* each prompt is asked on its own */
        }
    } else {
        s.hist = &hist;
        s.chat = true;
        enum llm_hist_err he = o->system
            ? llm_history_set_system(&hist, o->system, strlen(o->system)) : LLM_HIST_OK;
        if (he) {
            kprintf("llm: error=%s detail=system\n", llm_hist_err_str(he));
            rc = 1;
        } else {
            rc = llm_app_chat(&s, o);
        }
    }
    llm_app_drop(&s);
    if (s.req) {
        wipe(s.req, s.req_cap);
        kfree(s.req);
    }
    if (arena) {
        wipe(arena, limit);
        kfree(arena);
    }
    if (s.resp_mem) {
        wipe(s.resp_mem, s.resp_mem_len);     /* the answer's text */
        kfree(s.resp_mem);
    }
    llm_resp_set_bufs(&s.resp, &(const struct llm_resp_mem){ 0 });
    s.resp_mem = NULL;
    if (s.http_buf) {
        wipe(s.http_buf, s.http_buf_len);     /* the answer's last bytes */
        kfree(s.http_buf);
    }
    s.http_buf = NULL;
    kfree(msgs);
    kfree(pool);
    s.hist = NULL;
    s.chat = false;
    s.req = NULL;
    if (o->heapcheck)
        kprintf("llm: heap before=%lu after=%lu\n", (unsigned long)heap0,
                (unsigned long)heap_bytes_in_use());
    return rc;
}
