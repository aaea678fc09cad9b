/* The llm= job: asks an LLM endpoint and streams the answer to the console
   as it arrives.
     llm=https://host[:port]/PATH model=NAME key=KEY prompt=TEXT
         [provider=openai|responses|anthropic|gemini|ollama]
         [stream=0|1] [system=TEXT] [timeout=MS]
   The provider (llm/llm.h) is provider= or, without it, the one the URL
   path implies (llm_provider_from_path: OpenAI chat completions unless the
   path says otherwise).
   Values may be quoted or %-encoded. Without prompt= the prompts are read
   from the serial console, one per line ("quit" or Ctrl-D ends; llm_idle=S
   seconds without input ends too, default 600). Output:
     llm: answer: <text as it streams>
     | <each further line of the text>
     llm: done status=200 bytes=N pieces=K finish=stop ms=T
   or `llm: error status=401 message=...` / `llm: error=NAME detail=...`.
   The answer, the finish reason and the message pass the console filter
   (kernel/console.h, lib/text_filter.h): controls escaped, no line of
   server text at column 0. */
#include "app/jobs.h"
#include "app/app_tls.h"
#include "crypto/crypto.h"
#include "http/http_client.h"
#include "llm/llm.h"
#include "http/url.h"
#include "kernel/console.h"
#include "kernel/heap.h"
#include "kernel/time.h"
#include "lib/fmt.h"
#include "lib/text_filter.h"
#include <string.h>

#define LLM_PROMPT_MAX 2048
#define LLM_REQ_MAX    (LLM_PROMPT_MAX * 6 + 4096)  /* worst-case \u00XX escaping */

struct llm_session {
    struct url url;
    const struct app_tls_opts *tls_opts;
    const char *model, *key, *system;
    const struct llm_provider *provider;
    bool stream;
    uint32_t timeout;
    struct app_tls *tls;            /* open connection or NULL */
    struct http_client hc;
    struct llm_resp resp;
    char req[LLM_REQ_MAX];
};

static bool on_content(void *ctx, const char *text, size_t len)
{
    (void)ctx;
    console_write_untrusted(text, len);
    return true;
}

static void drop_connection(struct llm_session *s)
{
    if (s->tls) {
        app_tls_free(s->tls);
        s->tls = NULL;
    }
}

static int ask(struct llm_session *s, const char *prompt)
{
    struct llm_request q = {.host = s->url.host, .port = s->url.port, .path = s->url.path,
                            .model = s->model, .key = s->key, .system = s->system,
                            .prompt = prompt, .stream = s->stream, .keep_alive = true};
    size_t len;
    enum llm_err le = llm_build_request(s->provider, &q, s->req, sizeof s->req, &len);
    if (le) {
        kprintf("llm: error=%s detail=request\n", llm_err_str(le));
        return 1;
    }
    for (int attempt = 0; attempt < 2; attempt++) {
        bool fresh = false;
        if (!s->tls) {
            s->tls = app_tls_new();
            if (!s->tls) {
                kprintf("llm: error=out_of_memory detail=app_tls\n");
                return 1;
            }
            if (!app_tls_connect(s->tls, s->tls_opts, s->url.host, s->url.port, s->timeout)) {
                kprintf("llm: error=%s detail=%s\n", app_err_str(s->tls->err),
                        s->tls->detail[0] ? s->tls->detail : "-");
                drop_connection(s);
                return 1;
            }
            kprintf("llm: connected %s:%u suite=%s group=%s sig=%s handshake_ms=%u\n",
                    s->url.host, (unsigned)s->url.port, app_tls_suite(s->tls),
                    app_tls_group(s->tls), app_tls_sig(s->tls), (unsigned)s->tls->handshake_ms);
            struct byte_stream st;
            app_tls_stream(s->tls, &st);
            http_client_init(&s->hc, &st);
            fresh = true;
        }
        llm_resp_init(&s->resp, s->provider, on_content, NULL);
        struct http_sink sink;
        llm_sink(&sink, &s->resp);
        kprintf("llm: answer: ");
        console_untrusted_begin(false);
        uint64_t t0 = time_ms();
        enum http_client_err ce = http_client_exchange(&s->hc, (const uint8_t *)s->req, len, &sink);
        uint64_t ms = time_ms() - t0;
        console_untrusted_end();
        if ((ce == HTTPC_ERR_CLOSED || ce == HTTPC_ERR_WRITE) && !fresh) {
            /* the server dropped the idle keep-alive connection: reconnect once */
            kprintf("llm: reconnecting (idle connection closed)\n");
            drop_connection(s);
            continue;
        }
        if (ce == HTTPC_OK && s->resp.err == LLM_OK) {
            char finish[64];
            text_filter_field(finish, sizeof finish, s->resp.finish_reason,
                              strlen(s->resp.finish_reason));
            kprintf("llm: done status=%d bytes=%lu pieces=%u finish=%s stream=%d ms=%lu\n",
                    s->resp.status, (unsigned long)s->resp.content_bytes, s->resp.pieces,
                    finish[0] ? finish : "-", s->resp.streaming ? 1 : 0, (unsigned long)ms);
            if (!llm_resp_keep_alive(&s->resp))
                drop_connection(s);
            return 0;
        }
        char line[LLM_MESSAGE_MAX + 64];
        if (ce == HTTPC_ERR_TRUNCATED) {      /* TCP end without close_notify */
            kprintf("llm: error=truncated detail=no_close_notify\n");
        } else if (ce == HTTPC_ERR_RESPONSE || s->resp.err) {
            llm_resp_describe(&s->resp, line, sizeof line);
            kprintf("%s\n", line);
        } else if (s->tls->err) {
            kprintf("llm: error=%s detail=%s\n", app_err_str(s->tls->err), s->tls->detail);
        } else {
            kprintf("llm: error=%s detail=http\n", http_client_err_str(ce));
        }
        drop_connection(s);
        return 1;
    }
    return 1;
}

/* Reads one line from the serial console into buf; false on quit/idle. */
static bool read_line(char *buf, size_t cap, uint32_t idle_s)
{
    size_t n = 0;
    uint64_t last = time_ms();
    kprintf("llm> ");
    for (;;) {
        int c = console_getc_nonblock();
        if (c < 0) {
            if (idle_s && time_ms() - last > (uint64_t)idle_s * 1000) {
                kprintf("\nllm: idle, leaving\n");
                return false;
            }
            sleep_ms(5);
            continue;
        }
        last = time_ms();
        if (c == 4) /* Ctrl-D */
            return false;
        if (c == '\r' || c == '\n') {
            kprintf("\n");
            if (n == 0)
                return read_line(buf, cap, idle_s);
            buf[n] = 0;
            return strcmp(buf, "quit") != 0 && strcmp(buf, "exit") != 0;
        }
        if ((c == 8 || c == 127) && n > 0) {
            n--;
            kprintf("\b \b");
            continue;
        }
        if ((unsigned char)c >= 0x20 && n < cap - 1) {
            buf[n++] = (char)c;
            console_putc((char)c);
        }
    }
}

int app_llm_run(const struct app_options *o)
{
    static struct llm_session s;
    static char prompt[LLM_PROMPT_MAX];
    if (app_options_on_cmdline(o, "key"))    /* fw_cfg opt/llm/key keeps it off the line */
        kprintf("llm: warning key_on_command_line\n");
    memset(&s, 0, offsetof(struct llm_session, hc));
    s.url = o->llm_url;                      /* parsed and checked by app/keys.c */
    s.tls_opts = &o->tls;
    s.model = o->model;
    s.key = o->key;
    s.system = o->system;
    s.stream = o->stream;
    s.provider = o->provider ? llm_provider_by_name(o->provider)
                             : llm_provider_from_path(s.url.path);
    s.timeout = o->timeout_ms > 0 ? (uint32_t)o->timeout_ms : 60000;
    if (!s.model) {
        kprintf("llm: error=bad_argument detail=model= is required\n");
        return 1;
    }
    app_tls_forget_tickets();    /* a job resumes only its own sessions */
    size_t heap0 = heap_bytes_in_use();
    int rc = 0;
    if (o->prompt) {
        for (long i = 0; i < o->repeat && !rc; i++)
            rc = ask(&s, o->prompt);
    } else {
        kprintf("llm: interactive: type a prompt and Enter (quit or Ctrl-D to leave)\n");
        while (read_line(prompt, sizeof prompt, o->llm_idle_s))
            rc |= ask(&s, prompt);
    }
    drop_connection(&s);
    crypto_zeroize(s.req, sizeof s.req);     /* the request's key header */
    if (o->heapcheck)
        kprintf("llm: heap before=%lu after=%lu\n", (unsigned long)heap0,
                (unsigned long)heap_bytes_in_use());
    return rc;
}
