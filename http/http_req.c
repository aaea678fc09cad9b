/* HTTP/1.1 request head writer (see http.h). RFC 9112 §3 request line,
   RFC 9110 §7.2 Host, §11.6.2 Authorization, §8.6 Content-Length. */
#include "http/http.h"
#include "lib/fmt.h"
#include <string.h>

struct out {
    char *buf;
    size_t cap, len;
    bool overflow;
};

static void put(struct out *o, const char *s)
{
    size_t n = strlen(s);
    if (o->overflow || n > o->cap - o->len) {
        o->overflow = true;
        return;
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
}

static void header(struct out *o, const char *name, const char *value)
{
    put(o, name);
    put(o, ": ");
    put(o, value);
    put(o, "\r\n");
}

/* Field values: visible ASCII, space, tab and obs-text; never CR/LF/NUL/ctl. */
static bool safe_value(const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            return false;
    }
    return true;
}

static bool safe_token(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c <= 0x20 || c >= 0x7f || strchr("\"(),/:;<=>?@[\\]{}", c))
            return false;
    }
    return true;
}

static bool safe_path(const char *s)
{
    if (s[0] != '/')
        return false;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c <= 0x20 || c >= 0x7f)
            return false;
    }
    return true;
}

enum http_err http_req_write(const struct http_req *q, char *buf, size_t cap, size_t *out_len)
{
    *out_len = 0;
    if (!q->method || !q->host || !q->path || !safe_token(q->method) || !q->host[0] ||
        !safe_value(q->host) || strchr(q->host, ' ') || !safe_path(q->path))
        return HTTP_ERR_BAD_ARGUMENT;
    const char *opt[] = {q->user_agent, q->bearer, q->content_type, q->accept};
    for (size_t i = 0; i < sizeof opt / sizeof opt[0]; i++)
        if (opt[i] && !safe_value(opt[i]))
            return HTTP_ERR_BAD_ARGUMENT;
    for (size_t i = 0; i < HTTP_REQ_EXTRA_MAX && q->extra[i].name; i++)
        if (!safe_token(q->extra[i].name) || !q->extra[i].value || !safe_value(q->extra[i].value))
            return HTTP_ERR_BAD_ARGUMENT;

    struct out o = {buf, cap, 0, false};
    char tmp[48];
    put(&o, q->method);
    put(&o, " ");
    put(&o, q->path);
    put(&o, " HTTP/1.1\r\nHost: ");
    put(&o, q->host);
    if (q->port && q->port != q->default_port) {
        fmt_snprintf(tmp, sizeof tmp, ":%u", (unsigned)q->port);
        put(&o, tmp);
    }
    put(&o, "\r\n");
    if (q->user_agent)
        header(&o, "User-Agent", q->user_agent);
    if (q->accept)
        header(&o, "Accept", q->accept);
    if (q->bearer) {
        put(&o, "Authorization: Bearer ");
        put(&o, q->bearer);
        put(&o, "\r\n");
    }
    for (size_t i = 0; i < HTTP_REQ_EXTRA_MAX && q->extra[i].name; i++)
        header(&o, q->extra[i].name, q->extra[i].value);
    if (q->content_type)
        header(&o, "Content-Type", q->content_type);
    if (q->has_body) {
        fmt_snprintf(tmp, sizeof tmp, "%lu", (unsigned long)q->content_length);
        header(&o, "Content-Length", tmp);
    }
    header(&o, "Connection", q->keep_alive ? "keep-alive" : "close");
    put(&o, "\r\n");
    if (o.overflow)
        return HTTP_ERR_BUFFER_TOO_SMALL;
    *out_len = o.len;
    return HTTP_OK;
}
