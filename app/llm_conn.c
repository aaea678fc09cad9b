/* One llm= request (see llm_app.h): opens the connection when none is
   open (TLS for https://, a plain TCP byte stream for http://), sends the
   request, streams the answer to the console through the console filter
   and prints the outcome:
     llm: answer: <text>              (once the first content arrives)
     llm: done status=200 provider=P model=M bytes=N pieces=K finish=R
         stream=0|1 in_tokens=I out_tokens=O ttft_ms=T ms=TOTAL turn=N
         tool_calls=K
   or an error line; an answer that asks for tools (s->tc) prints no done
   line: the tool loop (llm_tools.c) asks again. Retries: a connection that fails (refused, timeout,
   reset) or closes before any response byte, and the statuses
   llm_retry_status() names, are tried again up to s->retries attempts in
   all, each after `llm: retry attempt=K wait_ms=W reason=R`; the error line
   is printed only after the last attempt. An answer that has started
   printing is never retried: `llm: error=stream_cut bytes=N` (after the
   cause's own line; a TLS connection cut without close_notify keeps its
   `llm: error=truncated detail=no_close_notify`).
   Ctrl-C: the content callback and, while a read waits, the connection's
   cancel hook (app/app_tcp.h) poll the console; 0x03 stops the exchange,
   closes the connection and prints `llm: interrupted bytes=N`. */
#include "app/llm_app.h"
#include "kernel/console.h"
#include "kernel/random.h"
#include "kernel/time.h"
#include "lib/fmt.h"
#include "lib/text_filter.h"
#include "llm/models.h"
#include "llm/retry.h"
#include "net/tcp.h"
#include <string.h>


#define ERRLINE_MAX (LLM_MESSAGE_MAX + 160)

enum outcome { ASK_OK, ASK_FAIL, ASK_INTERRUPTED, ASK_RETRY };

const char *llm_app_provider_name(const struct llm_provider *p)
{
    if (p == &llm_openai_responses)
        return "responses";
    if (p == &llm_anthropic)
        return "anthropic";
    if (p == &llm_gemini)
        return "gemini";
    if (p == &llm_ollama)
        return "ollama";
    return "openai";
}

bool llm_app_poll_console(struct llm_session *s)
{
    int c;
    if (s->typeahead_off) {     /* the editor took some: keep the rest at the start */
        s->typeahead_len -= s->typeahead_off;
        memmove(s->typeahead, s->typeahead + s->typeahead_off, s->typeahead_len);
        s->typeahead_off = 0;
    }
    while (!s->interrupted && (c = console_getc_nonblock()) >= 0) {
        if (c == 0x03)
            s->interrupted = true;
        else if (s->typeahead_len < sizeof s->typeahead)
            s->typeahead[s->typeahead_len++] = (uint8_t)c;
    }
    return s->interrupted;
}

static bool cancel_hook(void *ctx)
{
    return llm_app_poll_console(ctx);
}

static bool on_content(void *ctx, const char *text, size_t len)
{
    struct llm_session *s = ctx;
    if (!s->answer_open) {
        s->t_first = time_ms();
        kprintf("llm: answer: ");
        console_untrusted_begin(false);
        s->answer_open = true;
    }
    console_write_untrusted(text, len);
    if (s->hist)
        llm_history_answer(s->hist, text, len);
    return !llm_app_poll_console(s);
}

/* The plain TCP byte stream (http://): no TLS, a read of 0 is the end. */
static long tcp_stream_read(void *ctx, uint8_t *buf, size_t len)
{
    return app_tcp_read(ctx, buf, len);
}

static long tcp_stream_write(void *ctx, const uint8_t *buf, size_t len)
{
    return app_tcp_write(ctx, buf, len);
}

void llm_app_drop(struct llm_session *s)
{
    if (s->tls) {
        app_tls_free(s->tls);
        s->tls = NULL;
    }
    if (s->tcp_open) {
        app_tcp_close(&s->tcp);
        s->tcp_open = false;
    }
}

/* The retry reason of a connection error; NONE for errors another attempt
   would not change (DNS, certificates, TLS alerts). */
static enum llm_retry_reason connect_reason(enum app_err e)
{
    switch (e) {
    case APP_ERR_TCP_REFUSED: return LLM_RETRY_CONNECT_REFUSED;
    case APP_ERR_TIMEOUT: return LLM_RETRY_TIMEOUT;
    case APP_ERR_TCP_RESET:
    case APP_ERR_TCP_CLOSED:
    case APP_ERR_TCP_ERROR:
    case APP_ERR_ARP_TIMEOUT:
    case APP_ERR_NO_ROUTE:
        return LLM_RETRY_CONNECT_FAILED;
    default:
        return LLM_RETRY_NONE;
    }
}

/* The open connection's error and detail. */
static enum app_err conn_err(const struct llm_session *s, const char **detail)
{
    const struct app_tcp *t = s->tls ? &s->tls->tcp : &s->tcp;
    if (s->tls && s->tls->err) {
        *detail = s->tls->detail;
        return s->tls->err;
    }
    *detail = t->detail;
    return t->err;
}

/* The connection's memory (docs/memory.md), from the sizes it was given:
   mem: conn profile=P tcp=.. tcp_rx=.. tcp_tx=.. tls=.. tls_bufs=.. pipe=..
        http=.. llm=.. total=.. request=.. calls=.. peer_fragment=..
   (peer_fragment: the record size the server agreed to, 0 for none)
   http is struct http_client and its read buffer (mem=); total is the
   connection's (TCP, TLS, HTTP, LLM answer driver); the
   request buffer (the conversation, sized by llm_history=) and the tool
   calls kept for the history (with tools=) are the conversation's and are
   not in it. */
static void print_mem(const struct llm_session *s)
{
    struct app_tls_mem m = { 0 };
    if (s->tls) {
        app_tls_mem(s->tls, &m);
    } else {
        struct tcp_mem tm;
        tcp_get_mem(s->tcp.sock, &tm);
        m.tcp = tm.state;
        m.tcp_rx = tm.rx;
        m.tcp_tx = tm.tx;
    }
    size_t http = sizeof s->hc + s->http_buf_len, llm = sizeof s->resp + s->resp_mem_len;
    size_t total = m.tcp + m.tcp_rx + m.tcp_tx + m.tls + m.tls_bufs + m.pipe + http + llm;
    kprintf("mem: conn profile=%s tcp=%lu tcp_rx=%lu tcp_tx=%lu tls=%lu tls_bufs=%lu pipe=%lu "
            "http=%lu llm=%lu total=%lu request=%lu calls=%lu "
            "peer_fragment=%lu\n", app_mem_str(s->mem),
            (unsigned long)m.tcp, (unsigned long)m.tcp_rx, (unsigned long)m.tcp_tx,
            (unsigned long)m.tls, (unsigned long)m.tls_bufs, (unsigned long)m.pipe,
            (unsigned long)http, (unsigned long)llm, (unsigned long)total,
            (unsigned long)s->req_cap, (unsigned long)(s->tc ? sizeof *s->tc : 0),
            (unsigned long)m.peer_frag);
}

/* Opens the connection; false with errline and *why set. */
static bool conn_open(struct llm_session *s, char *errline, enum llm_retry_reason *why)
{
    struct byte_stream st;
    if (s->url.https) {
        s->tls = app_tls_new();
        if (!s->tls) {
            fmt_snprintf(errline, ERRLINE_MAX, "llm: error=out_of_memory detail=app_tls");
            return false;
        }
        if (!app_tls_connect(s->tls, s->tls_opts, s->url.host, s->url.port, s->timeout)) {
            fmt_snprintf(errline, ERRLINE_MAX, "llm: error=%s detail=%s",
                         app_err_str(s->tls->err), s->tls->detail[0] ? s->tls->detail : "-");
            *why = connect_reason(s->tls->err);
            llm_app_drop(s);
            return false;
        }
        kprintf("llm: connected %s:%u suite=%s group=%s sig=%s handshake_ms=%u\n",
                s->url.host, (unsigned)s->url.port, app_tls_suite(s->tls),
                app_tls_group(s->tls), app_tls_sig(s->tls), (unsigned)s->tls->handshake_ms);
        s->tls->tcp.cancel = cancel_hook;
        s->tls->tcp.cancel_ctx = s;
        app_tls_stream(s->tls, &st);
    } else {
        enum app_err nerr = APP_OK;
        if (!app_net_up(&nerr)) {
            fmt_snprintf(errline, ERRLINE_MAX, "llm: error=%s detail=network not configured",
                         app_err_str(nerr ? nerr : APP_ERR_NET_DOWN));
            return false;
        }
        uint64_t t0 = time_ms();
        s->tcp.bufs = &app_mem_sizes(s->mem)->tcp;
        if (!app_tcp_connect(&s->tcp, s->url.host, s->url.port, s->timeout)) {
            enum app_err e = s->tcp.err ? s->tcp.err : APP_ERR_TCP_ERROR;
            fmt_snprintf(errline, ERRLINE_MAX, "llm: error=%s detail=%s", app_err_str(e),
                         s->tcp.detail[0] ? s->tcp.detail : "-");
            *why = connect_reason(e);
            return false;
        }
        s->tcp_open = true;
        kprintf("llm: connected %s:%u plain_http connect_ms=%lu\n", s->url.host,
                (unsigned)s->url.port, (unsigned long)(time_ms() - t0));
        s->tcp.cancel = cancel_hook;
        s->tcp.cancel_ctx = s;
        st.ctx = &s->tcp;
        st.read = tcp_stream_read;
        st.write = tcp_stream_write;
    }
    enum http_client_err ie = http_client_init(&s->hc, &st, s->http_buf, s->http_buf_len);
    if (ie) {
        fmt_snprintf(errline, ERRLINE_MAX, "llm: error=%s detail=http_client",
                     http_client_err_str(ie));
        llm_app_drop(s);
        return false;
    }
    print_mem(s);
    return true;
}

void llm_app_count(char *buf, size_t cap, int64_t v)
{
    if (v < 0)
        fmt_snprintf(buf, cap, "-");
    else
        fmt_snprintf(buf, cap, "%lu", (unsigned long)v);
}

/* The job's totals (/usage), for every answer. */
static void add_usage(struct llm_session *s)
{
    if (s->resp.in_tokens >= 0)
        s->in_tokens = (s->in_tokens < 0 ? 0 : s->in_tokens) + s->resp.in_tokens;
    if (s->resp.out_tokens >= 0)
        s->out_tokens = (s->out_tokens < 0 ? 0 : s->out_tokens) + s->resp.out_tokens;
}

static void print_done(struct llm_session *s, uint64_t t0, uint64_t ms)
{
    char finish[64], model[APP_MODEL_MAX * 4], ttft[24];
    text_filter_field(finish, sizeof finish, s->resp.finish_reason,
                      strlen(s->resp.finish_reason));
    text_filter_field(model, sizeof model, s->model, strlen(s->model));
    if (s->t_first)
        fmt_snprintf(ttft, sizeof ttft, "%lu", (unsigned long)(s->t_first - t0));
    else
        fmt_snprintf(ttft, sizeof ttft, "-");
    char in[24], out[24];
    llm_app_count(in, sizeof in, s->resp.in_tokens);
    llm_app_count(out, sizeof out, s->resp.out_tokens);
    kprintf("llm: done status=%d provider=%s model=%s bytes=%lu pieces=%u finish=%s stream=%d "
            "in_tokens=%s out_tokens=%s ttft_ms=%s ms=%lu turn=%u tool_calls=%u\n",
            s->resp.status, llm_app_provider_name(s->provider), model,
            (unsigned long)s->resp.content_bytes, s->resp.pieces, finish[0] ? finish : "-",
            s->resp.streaming ? 1 : 0, in, out, ttft, (unsigned long)ms, s->turn,
            s->tool_calls_run);
}

/* One attempt: the exchange on the open connection (or a new one). */
static enum outcome attempt(struct llm_session *s, size_t len, char *errline,
                            enum llm_retry_reason *why, int *why_status)
{
    *why = LLM_RETRY_NONE;
    for (int reconnects = 0; reconnects < 2; reconnects++) {
        bool fresh = false;
        if (!s->tls && !s->tcp_open) {
            if (!conn_open(s, errline, why))
                return *why ? ASK_RETRY : ASK_FAIL;
            fresh = true;
        }
        llm_resp_init(&s->resp, s->provider, on_content, s);
        s->resp.tool_calls = s->tc;           /* NULL without tools: calls ignored */
        struct http_sink sink;
        llm_sink(&sink, &s->resp);
        s->answer_open = false;
        s->interrupted = false;
        s->t_first = 0;
        uint64_t t0 = time_ms();
        enum http_client_err ce =
            http_client_exchange(&s->hc, (const uint8_t *)s->req, len, &sink);
        uint64_t ms = time_ms() - t0;
        if (s->answer_open)
            console_untrusted_end();
        size_t shown = s->resp.content_bytes;
        if (s->interrupted) {
            kprintf("llm: interrupted bytes=%lu\n", (unsigned long)shown);
            llm_app_drop(s);
            return ASK_INTERRUPTED;
        }
        if ((ce == HTTPC_ERR_CLOSED || ce == HTTPC_ERR_WRITE) && !fresh) {
            /* the server dropped the idle keep-alive connection: reconnect once */
            kprintf("llm: reconnecting (idle connection closed)\n");
            llm_app_drop(s);
            continue;
        }
        if (ce == HTTPC_OK && s->resp.err == LLM_OK) {
            add_usage(s);
            if (!s->tc || s->tc->n == 0)      /* calls: the loop goes on, no done line */
                print_done(s, t0, ms);
            if (!llm_resp_keep_alive(&s->resp))
                llm_app_drop(s);
            return ASK_OK;
        }
        const char *detail;
        enum app_err ae = conn_err(s, &detail);
        if (ce == HTTPC_ERR_TRUNCATED) {      /* TCP end without close_notify */
            fmt_snprintf(errline, ERRLINE_MAX, "llm: error=truncated detail=no_close_notify");
            llm_app_drop(s);
            return ASK_FAIL;
        }
        if (ce == HTTPC_ERR_RESPONSE || s->resp.err) {
            llm_resp_describe(&s->resp, errline, ERRLINE_MAX);
            if (s->resp.err == LLM_ERR_API && llm_retry_status(s->resp.status)) {
                *why = LLM_RETRY_STATUS;
                *why_status = s->resp.status;
            }
        } else if (ae) {
            fmt_snprintf(errline, ERRLINE_MAX, "llm: error=%s detail=%s", app_err_str(ae),
                         detail[0] ? detail : "-");
            if (ce == HTTPC_ERR_CLOSED)
                *why = LLM_RETRY_CLOSED;
            else if (ae == APP_ERR_TIMEOUT)
                *why = LLM_RETRY_TIMEOUT;
            else
                *why = connect_reason(ae) ? LLM_RETRY_CONNECT_FAILED : LLM_RETRY_NONE;
        } else {
            fmt_snprintf(errline, ERRLINE_MAX, "llm: error=%s detail=http",
                         http_client_err_str(ce));
            if (ce == HTTPC_ERR_CLOSED)
                *why = LLM_RETRY_CLOSED;
        }
        llm_app_drop(s);
        if (shown > 0) {                      /* never retried once it printed */
            kprintf("%s\n", errline);
            fmt_snprintf(errline, ERRLINE_MAX, "llm: error=stream_cut bytes=%lu",
                         (unsigned long)shown);
            *why = LLM_RETRY_NONE;
        }
        return *why ? ASK_RETRY : ASK_FAIL;
    }
    return ASK_FAIL;   /* not reached: the second pass runs on a fresh connection */
}

int llm_app_request(struct llm_session *s, const char *prompt)
{
    size_t nhist = 0;
    const struct llm_message *hist = s->hist ? llm_history_messages(s->hist, &nhist) : NULL;
    char host[URL_HOST_MAX + 2];   /* "[v6]" in the Host header */
    url_host_header(&s->url, host, sizeof host);
    struct llm_request q = {.host = host, .port = s->url.port, .path = s->url.path,
                            .model = s->model, .key = s->key,
                            .system = s->chat ? llm_history_system(s->hist) : s->system,
                            .history = hist, .history_len = nhist, .prompt = prompt,
                            .tools = s->ntools ? s->tool_defs : NULL, .ntools = s->ntools,
                            .stream = s->stream, .keep_alive = true, .include_usage = true};
    size_t len;
    enum llm_err le = llm_build_request(s->provider, &q, s->req, s->req_cap, &len);
    if (le) {
        kprintf("llm: error=%s detail=request\n", llm_err_str(le));
        return 1;
    }
    static char errline[ERRLINE_MAX];
    for (unsigned n = 1;; n++) {
        enum llm_retry_reason why;
        int status = 0;
        errline[0] = 0;
        enum outcome o = attempt(s, len, errline, &why, &status);
        if (o == ASK_OK)
            return 0;
        if (o == ASK_INTERRUPTED)
            return 2;
        if (o == ASK_FAIL || n >= s->retries) {
            kprintf("%s\n", errline);
            return 1;
        }
        uint32_t rnd = random_ready() ? random_u32() : (uint32_t)time_ms();
        /* the server's wait (Retry-After, retry-after-ms) counts for a
           status it answered; a date without the server's Date header is
           measured against our clock */
        int64_t server_ms = -1;
        if (why == LLM_RETRY_STATUS) {
            server_ms = s->resp.retry_after_ms;
            if (server_ms < 0 && s->resp.retry_after_unix > 0) {
                int64_t d = s->resp.retry_after_unix - time_unix();
                server_ms = d > 0 ? d * 1000 : 0;
            }
        }
        uint32_t wait = llm_retry_wait_ms(n, rnd, server_ms);
        char rbuf[24];
        kprintf("llm: retry attempt=%u wait_ms=%u reason=%s\n", n + 1, (unsigned)wait,
                llm_retry_reason_str(why, status, rbuf, sizeof rbuf));
        sleep_ms(wait);
    }
}

/* /models: each id as it arrives, through the console filter. */
static bool on_model(void *ctx, const char *id, size_t len)
{
    (void)ctx;
    char shown[LLM_MODEL_ID_MAX * 4];
    text_filter_field(shown, sizeof shown, id, len);
    kprintf("llm: model id=%s\n", shown);
    return true;
}

int llm_app_models(struct llm_session *s)
{
    static struct llm_models m;
    static char errline[ERRLINE_MAX];
    char host[URL_HOST_MAX + 2];   /* "[v6]" in the Host header */
    url_host_header(&s->url, host, sizeof host);
    struct llm_request q = {.host = host, .port = s->url.port, .path = s->url.path,
                            .key = s->key, .keep_alive = true};
    size_t len;
    enum llm_err le = llm_models_request(s->provider, &q, s->req, s->req_cap, &len);
    if (le) {
        kprintf("llm: error=%s detail=models_request\n", llm_err_str(le));
        return 1;
    }
    for (int reconnects = 0; reconnects < 2; reconnects++) {
        bool fresh = false;
        enum llm_retry_reason why = LLM_RETRY_NONE;
        if (!s->tls && !s->tcp_open) {
            errline[0] = 0;
            if (!conn_open(s, errline, &why)) {
                kprintf("%s\n", errline);
                return 1;
            }
            fresh = true;
        }
        llm_models_init(&m, s->provider, on_model, s);
        struct http_sink sink;
        llm_models_sink(&sink, &m);
        enum http_client_err ce =
            http_client_exchange(&s->hc, (const uint8_t *)s->req, len, &sink);
        if ((ce == HTTPC_ERR_CLOSED || ce == HTTPC_ERR_WRITE) && !fresh) {
            llm_app_drop(s);                  /* an idle keep-alive connection closed */
            continue;
        }
        if (ce == HTTPC_OK || ce == HTTPC_ERR_RESPONSE) {
            llm_models_describe(&m, errline, sizeof errline);
            kprintf("%s\n", errline);
        } else {
            const char *detail;
            enum app_err ae = conn_err(s, &detail);
            kprintf("llm: error=%s detail=%s\n", ae ? app_err_str(ae) : http_client_err_str(ce),
                    ae && detail[0] ? detail : "models");
        }
        if (ce != HTTPC_OK || m.err || !llm_models_keep_alive(&m))
            llm_app_drop(s);
        return ce == HTTPC_OK && m.err == LLM_OK ? 0 : 1;
    }
    return 1;
}
