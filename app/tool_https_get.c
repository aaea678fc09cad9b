/* The https_get tool: GET one https:// URL through the kernel's own TLS 1.3
   and X.509 verification (the same anchors and rules as every connection;
   a certificate error is the tool's error, e.g. cert_untrusted). The
   request carries no credentials: no API key, no Authorization, no
   cookies. Where it may go: app/tool_args.h (tool_hosts= list, else public
   addresses only, checked on the address connected to).
   Arguments {"url": "https://host/path"}; result
     {"url": ..., "status": 200, "content_type": "text/html",
      "bytes": N (read), "truncated": false, "text": "..."}
   with at most TOOL_HTTPS_TEXT_MAX bytes of the body as text (invalid UTF-8
   replaced by U+FFFD); the body is not read further than that. A body
   whose content type is not textual gives "binary": true and no text. */
#include "app/app_tls.h"
#include "app/tool.h"
#include "app/tool_args.h"
#include "http/http.h"
#include "http/http_client.h"
#include "http/url.h"
#include "kernel/heap.h"
#include "lib/ascii.h"
#include "lib/fmt.h"
#include "lib/ip_scope.h"
#include <string.h>

#define TOOL_HTTPS_TEXT_MAX 16384

struct body_keep {
    size_t held;
    bool   truncated;
    char   text[TOOL_HTTPS_TEXT_MAX];
};

static bool on_body(void *ctx, const uint8_t *p, size_t n)
{
    struct body_keep *b = ctx;
    size_t room = TOOL_HTTPS_TEXT_MAX - b->held;
    size_t take = n < room ? n : room;
    memcpy(b->text + b->held, p, take);
    b->held += take;
    if (take < n) {
        b->truncated = true;
        return false;                 /* enough: stop reading (HTTP_ERR_ABORTED) */
    }
    return true;
}

/* The address check of the connection: tool_policy_addr on the resolved
   address. */
static bool addr_ok(void *ctx, const struct ip_addr *a, char *detail, size_t cap)
{
    const struct tool_env *env = ctx;
    if (tool_policy_addr(env->hosts, a) == TOOL_POLICY_OK)
        return true;
    char s[IP_ADDR_STR_MAX];
    fmt_snprintf(detail, cap, "%s scope=%s", ip_addr_format(a, s, sizeof s),
                 ip_scope_str(ip_scope_of(a)));
    return false;
}

/* Text types: text/..., and JSON, XML, JavaScript, form data. */
static bool textual(const char *ct)
{
    static const char *const kinds[] = {"json", "xml", "javascript", "x-www-form-urlencoded"};
    if (!ct[0] || ascii_caseeq(ct, "text/", 5))
        return true;
    size_t n = strlen(ct);
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        size_t kl = strlen(kinds[k]);
        for (size_t i = 0; i + kl <= n; i++)
            if (ascii_caseeq(ct + i, kinds[k], kl))
                return true;
    }
    return false;
}

/* Writes text[0..n) as a JSON string, each invalid UTF-8 byte (and a
   sequence cut at the end) replaced by U+FFFD. */
static void w_text(struct json_w *out, const char *text, size_t n)
{
    static char clean[TOOL_HTTPS_TEXT_MAX * 3];
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)text[i];
        size_t len = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3
                   : (c & 0xf8) == 0xf0 ? 4 : 0;
        if (len && i + len <= n && json_utf8_valid((const uint8_t *)text + i, len)) {
            memcpy(clean + o, text + i, len);
            o += len;
            i += len;
        } else {
            memcpy(clean + o, "\xef\xbf\xbd", 3);
            o += 3;
            i++;
        }
    }
    json_w_strn(out, clean, o);
}

static const char *https_get_run(const struct tool_env *env, const struct json_doc *d, int args,
                                 struct json_w *out)
{
    static const char *const names[] = {"url", NULL};
    static char text[URL_HOST_MAX + URL_PATH_MAX + 16];
    static struct url u;
    int bad;
    enum tool_arg_err ae = tool_args_only(d, args, names, &bad);
    if (!ae)
        ae = tool_arg_str(d, args, "url", true, text, sizeof text);
    if (ae)
        return app_tool_error(out, "bad_arguments", tool_arg_err_str(ae));
    enum url_err ue = url_parse(text, &u);
    if (ue)
        return app_tool_error(out, url_err_str(ue), text);
    if (!u.https)
        return app_tool_error(out, "https_only", "the tool fetches https:// URLs only");
    enum tool_policy pol = tool_policy_host(env->hosts, u.host);
    if (pol)
        return app_tool_error(out, tool_policy_str(pol), u.host);
    if (u.host_kind == URL_HOST_IP && tool_policy_addr(env->hosts, &u.host_addr)) {
        char detail[96];
        addr_ok((void *)env, &u.host_addr, detail, sizeof detail);
        return app_tool_error(out, tool_policy_str(TOOL_POLICY_ADDRESS_REFUSED), detail);
    }

    struct app_tls *t = app_tls_new();
    if (!t)
        return app_tool_error(out, "out_of_memory", "app_tls");
    static struct body_keep keep;
    static struct http_resp resp;
    static struct http_client hc;
    static uint8_t hc_buf[HTTP_CLIENT_BUF];
    const char *err = NULL;
    struct app_addr_check check = {addr_ok, (void *)env};
    struct app_tls_opts opts = *env->tls;
    opts.addr_check = &check;
    opts.resume = false;              /* the job's kept ticket is not the tool's */
    if (!app_tls_connect(t, &opts, u.host, u.port, env->timeout_ms)) {
        err = app_tool_error(out, app_err_str(t->err), t->detail[0] ? t->detail : u.host);
        app_tls_free(t);
        return err;
    }
    char req[URL_PATH_MAX + URL_HOST_MAX + 256];
    char host[URL_HOST_MAX + 2];   /* "[v6]" in the Host header */
    size_t len;
    url_host_header(&u, host, sizeof host);
    struct http_req q = {.method = "GET", .host = host, .port = u.port, .default_port = 443,
                         .path = u.path, .user_agent = "os-tool/1.0", .accept = "*/*",
                         .keep_alive = false};
    enum http_err he = http_req_write(&q, req, sizeof req, &len);
    if (he) {
        app_tls_free(t);
        return app_tool_error(out, http_err_str(he), "request");
    }
    memset(&keep, 0, offsetof(struct body_keep, text));
    http_resp_init(&resp, false, NULL, on_body, &keep);
    struct http_sink sink;
    http_sink_for_resp(&sink, &resp);
    struct byte_stream st;
    app_tls_stream(t, &st);
    http_client_init(&hc, &st, hc_buf, sizeof hc_buf);   /* a valid buffer: HTTPC_OK */
    enum http_client_err ce = http_client_exchange(&hc, (const uint8_t *)req, len, &sink);
    bool cut = ce == HTTPC_ERR_RESPONSE && resp.err == HTTP_ERR_ABORTED && keep.truncated;
    if (ce != HTTPC_OK && !cut) {
        if (ce == HTTPC_ERR_TRUNCATED)
            err = app_tool_error(out, "truncated", "no_close_notify");
        else if (ce == HTTPC_ERR_RESPONSE)
            err = app_tool_error(out, http_err_str(resp.err), "response");
        else if (t->err)
            err = app_tool_error(out, app_err_str(t->err), t->detail);
        else
            err = app_tool_error(out, http_client_err_str(ce), "http");
        app_tls_free(t);
        return err;
    }
    app_tls_free(t);
    json_w_obj_begin(out);
    json_w_key(out, "url");
    json_w_str(out, text);
    json_w_key(out, "status");
    json_w_int(out, resp.status);
    json_w_key(out, "content_type");
    json_w_str(out, resp.content_type);
    json_w_key(out, "bytes");
    json_w_int(out, (int64_t)resp.body_bytes);
    json_w_key(out, "truncated");
    json_w_bool(out, keep.truncated);
    if (textual(resp.content_type)) {
        json_w_key(out, "text");
        w_text(out, keep.text, keep.held);
    } else {
        json_w_key(out, "binary");
        json_w_bool(out, true);
    }
    json_w_obj_end(out);
    return NULL;
}

const struct app_tool app_tool_https_get = {
    .name = "https_get",
    .description = "Fetches an https:// URL with the kernel's own verified TLS and returns "
                   "the status, the content type and up to 16 KiB of the body as text. "
                   "Private, loopback and link-local addresses are refused.",
    .parameters = "{\"type\":\"object\",\"properties\":{\"url\":{\"type\":\"string\","
                  "\"description\":\"an https:// URL\"}},"
                  "\"required\":[\"url\"],\"additionalProperties\":false}",
    .run = https_get_run,
};
